"""Length measures, quantile buckets and the curriculum order (builder/lengths.py)."""

from __future__ import annotations

import random

import pytest
from tokenizers import Tokenizer, models, pre_tokenizers, trainers

from builder.lengths import (
    LengthInfo,
    curriculum_order,
    difficulty_buckets,
    load_token_counter,
    measure,
    quantile_cuts,
)

SCENE = """from manim import *


class Pulse(Scene):
    def construct(self):
        dot = Dot(color=RED)  # a red dot
        self.play(GrowFromCenter(dot))
        self.wait(0.5)
"""


def test_measure_counts_each_size():
    info = measure(SCENE)
    assert info.n_chars == len(SCENE)
    assert info.n_lines == 8
    # names, operators and literals plus the comment; no NEWLINE/INDENT/DEDENT/NL tokens
    # 4 (import) + 6 (class) + 6 (def) + 8 + 1 comment (dot=...) + 9 (play) + 6 (wait)
    assert info.n_tokens == 40
    assert info.n_ast_nodes > 20
    assert info.n_model_tokens is None


def test_measure_never_crashes_on_broken_code():
    info = measure("class A(:\n  x = (1,\n")
    assert info.n_ast_nodes == 0
    assert info.n_tokens == len("class A(:\n  x = (1,\n".split())
    assert measure("") == LengthInfo(0, 0, 0, 1)


def test_model_tokens_from_a_local_tokenizer_file(tmp_path):
    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator([SCENE], trainers.WordLevelTrainer(special_tokens=["[UNK]"]))
    tok.save(str(tmp_path / "tokenizer.json"))
    count = load_token_counter(tmp_path)
    info = measure(SCENE, count)
    assert info.n_model_tokens == len(tok.encode(SCENE).ids) > 10
    assert info.metric("n_model_tokens") == info.n_model_tokens
    with pytest.raises(FileNotFoundError):
        load_token_counter(tmp_path / "missing")
    with pytest.raises(ValueError, match="not measured"):
        measure(SCENE).metric("n_model_tokens")


def test_buckets_follow_quantiles_and_ties_stay_together():
    values = list(range(1, 101))
    labels = difficulty_buckets(values, [0.25, 0.5, 0.75])
    assert labels[:25] == ["easy"] * 25
    assert labels.count("easy") == labels.count("medium") == labels.count("hard") == 25
    assert labels[-1] == "expert"
    same = difficulty_buckets([7] * 10 + [100], [0.5])
    assert same == ["short"] * 10 + ["long"]
    assert difficulty_buckets([3, 1, 2], [0.5], ["a", "b"]) == ["b", "a", "a"]
    assert quantile_cuts([], [0.5]) == []


@pytest.mark.parametrize("edges", [[0.5, 0.5], [0.0, 0.5], [1.2]])
def test_bad_edges_are_rejected(edges):
    with pytest.raises(ValueError):
        difficulty_buckets([1, 2, 3], edges)


def test_curriculum_is_easy_to_hard_and_independent_of_input_order(make_record):
    codes = [f"x = {'+'.join(['1'] * (k % 7 + 1))}\n" for k in range(30)]
    recs = [
        make_record(c, id=f"id{i:03d}", description="d", priority=0, measure=True)
        for i, c in enumerate(codes)
    ]
    ordered = curriculum_order(recs)
    assert [r.curriculum_rank for r in ordered] == list(range(30))
    assert all(a.n_tokens <= b.n_tokens for a, b in zip(ordered, ordered[1:], strict=False))
    # equal-length rows are ordered by id, whatever the input order
    shuffled = recs[:]
    random.Random(4).shuffle(shuffled)
    assert [r.id for r in curriculum_order(shuffled)] == [r.id for r in ordered]
    assert all(r.curriculum_rank is None for r in recs)  # inputs are not mutated
