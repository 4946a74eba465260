"""Near-dup: shingles, datasketch signatures, LSH candidates, verification, clusters, survivors."""

from __future__ import annotations

import random
import re
import sys
from dataclasses import replace
from itertools import combinations

import numpy as np
import pytest
from datasketch import MinHash

import builder.dedup.minhash as minhash_module
from builder.dedup.clusters import components
from builder.dedup.lsh import candidate_pairs, candidate_pairs_datasketch, lsh_params
from builder.dedup.minhash import SCHEME, MinHashParams, empty_rows, shingle_hashes32, signatures
from builder.dedup.near import REASON, near_dup, survivor_key
from builder.dedup.shingles import (
    ShingleRecipe,
    _word_mask_codepoints,
    fingerprints,
    fingerprints_many,
    jaccard,
    shingle_prints,
    shingles,
    tokens,
)
from builder.dedup.signatures import SignatureIndex, similar_pairs
from builder.schema import Origin, Record, Validation

_SHAPES = ["Circle", "Square", "Triangle", "Star", "Dot", "Annulus", "Rectangle"]
_COLOURS = ["BLUE", "RED", "GREEN", "GOLD", "TEAL", "PINK"]


def _program(rng: random.Random, n: int) -> list[str]:
    body = []
    for k in range(n):
        shape, colour = rng.choice(_SHAPES), rng.choice(_COLOURS)
        name = f"{shape.lower()}_{rng.randint(0, 9999)}"
        body.append(f"        {name} = {shape}(color={colour}).shift({rng.randint(1, 5)} * UP)")
        body.append(f"        self.play(Create({name}), run_time={rng.randint(1, 9) / 4})")
        if k % 3 == 0:
            body.append(f"        self.wait({rng.randint(1, 5)})")
    title = f"Drift{rng.randint(0, 10**6)}"
    return ["from manim import *", "", f"class {title}(Scene):", "    def construct(self):", *body]


def _corpus(n_base: int, copies: int, seed: int) -> list[str]:
    """Base programs plus edited copies (one or a few lines changed), so similarities span the thresholds."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n_base):
        lines = _program(rng, rng.randint(4, 14))
        texts.append("\n".join(lines))
        for _ in range(rng.randint(0, copies)):
            edited = list(lines)
            for _ in range(rng.randint(1, 4)):
                edited[rng.randrange(4, len(edited))] = f"        self.wait({rng.randint(6, 99)})"
            texts.append("\n".join(edited))
    return texts


def _rec(i: int, code: str, **kw) -> Record:
    fields = dict(
        id=f"id{i:05d}",
        description=f"Request number {i}",
        code=code,
        source="s",
        origin=Origin(),
        license="mit",
        priority=50,
    )
    fields.update(kw)
    return Record(**fields)


def test_tokens_and_shingles_ignore_formatting():
    a = "x = Circle( radius=1 )\nself.play(Create(x))"
    b = "x=Circle(radius=1); self.play(Create(x))"
    assert tokens(a) == ["x", "Circle", "radius", "1", "self", "play", "Create", "x"]
    assert shingles(a) == shingles(b)
    assert shingles("only three tokens") == {b"only three tokens"}
    assert shingles("  ()  ") == set()
    assert shingles("é ü a b c d") == {"é ü a b c".encode(), "ü a b c d".encode()}
    assert ShingleRecipe(k=2, lowercase=True) != ShingleRecipe()


def test_fingerprint_jaccard_equals_set_jaccard():
    rng = random.Random(3)
    texts = _corpus(10, 3, seed=3)
    for a, b in [(rng.choice(texts), rng.choice(texts)) for _ in range(30)]:
        sa, sb = shingles(a), shingles(b)
        assert jaccard(fingerprints(a), fingerprints(b)) == pytest.approx(len(sa & sb) / len(sa | sb))
    assert jaccard(fingerprints(""), fingerprints("a b c")) == 0.0


_ODD_TEXTS = [
    "",
    "tiny",
    "  ()  ",
    "a b c d e f",
    "é ü a b c d",
    "Σ ΣΣ ς İstanbul ﬁx x² 𝔘𝔫𝔦 日本語 テキスト tok_1 αβγ ΣΑΣ",
    "lone \ud800 surrogate and more tokens here",
    "x" * 8 + " " + "y" * 9 + " " + "z" * 16 + " " + "w" * 17 + " " + "q" * 40 + " tail end",
    "DrawBorderThenFill_abcdefgh1 DrawBorderThenFill_abcdefgh2 a b c",  # differ past byte 16
]


def _reference(text: str, recipe: ShingleRecipe) -> set[bytes]:
    return shingles(text.encode("utf-8", "surrogatepass").decode("utf-8", "replace"), recipe)


def test_word_characters_are_exactly_the_regex_ones():
    cps = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    regex = re.compile(r"\w")
    expected = np.fromiter((regex.match(chr(c)) is not None for c in range(cps.size)), dtype=bool)
    assert np.array_equal(_word_mask_codepoints(cps), expected)


@pytest.mark.parametrize(
    "recipe", [ShingleRecipe(), ShingleRecipe(k=1, lowercase=True), ShingleRecipe(k=3, lowercase=True)]
)
def test_batched_fingerprints_are_the_shingle_sets(recipe):
    texts = _corpus(30, 2, seed=8) + _ODD_TEXTS
    prints = fingerprints_many(texts, recipe)
    refs = [_reference(t, recipe) for t in texts]  # a lone surrogate, like U+FFFD, is no word character
    for text, fp, ref in zip(texts, prints, refs, strict=True):
        assert np.all(np.diff(fp.astype(object)) > 0)  # sorted, unique
        assert fp.size == len(ref), text[:40]  # one fingerprint per distinct shingle
    rng = random.Random(4)
    for _ in range(300):
        i, j = rng.randrange(len(texts)), rng.randrange(len(texts))
        a, b = refs[i], refs[j]
        expected = len(a & b) / len(a | b) if a and b else 0.0
        assert jaccard(prints[i], prints[j]) == pytest.approx(expected, abs=1e-12)
    long_tokens = fingerprints(_ODD_TEXTS[-1], ShingleRecipe(k=1))
    assert long_tokens.size == 5  # tokens equal in their first 16 bytes still differ


def test_shingle_prints_do_not_depend_on_the_batch():
    texts = _corpus(20, 2, seed=9) + _ODD_TEXTS
    values, offsets = shingle_prints(texts)
    for k, text in enumerate(texts):
        alone, alone_offsets = shingle_prints([text])
        assert np.array_equal(values[offsets[k] : offsets[k + 1]], alone)
        assert alone_offsets.tolist() == [0, alone.size]
    assert offsets[texts.index("") + 1] == offsets[texts.index("")]  # no token, no shingle
    assert offsets[texts.index("tiny") + 1] - offsets[texts.index("tiny")] == 1  # one short shingle


@pytest.mark.parametrize("num_perm,seed", [(256, 1), (64, 7)])
def test_signatures_equal_datasketch_fed_the_same_hashes(num_perm, seed):
    """Bit for bit: datasketch's MinHash (its permutations, its affine32 update) fed each row's 32-bit
    shingle hashes one by one."""
    texts = _corpus(80, 3, seed=5) + _ODD_TEXTS
    assert len(texts) >= 200
    params = MinHashParams(num_perm=num_perm, seed=seed)
    sigs = signatures(texts, params)
    assert sigs.dtype == np.uint32 and sigs.shape == (len(texts), num_perm)
    values, offsets = shingle_prints(texts, params.recipe)
    hashes = shingle_hashes32(values)
    for k, row in enumerate(sigs):
        m = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, scheme=SCHEME)
        for h in hashes[offsets[k] : offsets[k + 1]].tolist():
            m.update(h)
        assert np.array_equal(row, m.hashvalues), k
    assert empty_rows(sigs).tolist() == [t in ("", "  ()  ") for t in texts]
    described = params.describe()
    assert (
        described["scheme"] == "affine32"
        and described["num_perm"] == num_perm
        and "datasketch 2." in described["library"]
        and "high 32 bits" in described["hash"]
    )


def test_signatures_do_not_depend_on_blocks_or_batches(monkeypatch):
    texts = _corpus(40, 2, seed=6) + _ODD_TEXTS
    expected = signatures(texts)
    monkeypatch.setattr(minhash_module, "_BLOCK", 7)  # blocks cut through rows, rows span blocks
    monkeypatch.setattr(minhash_module, "BATCH_CHARS", 500)
    assert np.array_equal(signatures(texts), expected)


def test_numpy_banding_matches_datasketch_minhashlsh():
    texts = _corpus(40, 3, seed=11) + [""] + [_corpus(1, 0, seed=12)[0]] * 30  # one bucket of 30
    sigs = signatures(texts)
    bands, rows = lsh_params(0.7, 256)
    ours = candidate_pairs(sigs, bands, rows)
    theirs = candidate_pairs_datasketch(sigs, bands, rows)
    assert ours.shape[0] > 10
    assert np.array_equal(ours, theirs)


def test_lsh_params_follow_datasketch_and_reject_bad_threshold():
    assert lsh_params(0.7, 256) == (25, 10)  # datasketch's own default weighting
    assert lsh_params(0.7, 256, 0.95) == (36, 7)  # ours: recall first, candidates are verified anyway
    with pytest.raises(ValueError, match="threshold"):
        lsh_params(1.5, 256)


def test_similar_pairs_recall_and_precision_against_brute_force():
    texts = _corpus(150, 3, seed=21)
    sets = [shingles(t) for t in texts]
    truth = {
        (i, j)
        for i, j in combinations(range(len(texts)), 2)
        if len(sets[i] & sets[j]) >= 0.7 * len(sets[i] | sets[j])
    }
    found = {(p.i, p.j) for p in similar_pairs(texts, 0.7).pairs}
    assert len(truth) > 100
    assert found <= truth  # every reported pair is verified
    assert (
        len(found & truth) / len(truth) >= 0.97
    )  # measured: 0.99 (0.88 with datasketch's default 0.5/0.5 weights)


def test_pairs_at_exactly_the_threshold_are_kept():
    params = MinHashParams(recipe=ShingleRecipe(k=1))
    a, b = " ".join(f"w{i}" for i in range(7)), " ".join(f"w{i}" for i in range(10))  # Jaccard 7/10
    found = similar_pairs([a, b], 0.7, params).pairs
    assert [(p.i, p.j, p.jaccard) for p in found] == [(0, 1, 0.7)]


def test_index_reuses_signatures_across_queries_and_subsets():
    texts = _corpus(30, 3, seed=23)
    assert len(set(texts)) == len(texts)
    index = SignatureIndex()
    whole = index.pairs(texts, 0.7)
    part = texts[::2]
    sub = index.pairs(part, 0.7)
    assert index.computed == len(texts)  # the subset query recomputed nothing
    at = {t: k for k, t in enumerate(part)}
    expected = {
        (at[texts[p.i]], at[texts[p.j]]) for p in whole.pairs if texts[p.i] in at and texts[p.j] in at
    }
    assert {(p.i, p.j) for p in sub.pairs} == expected and expected


def test_components_are_order_independent():
    pairs = [(0, 1), (5, 6), (1, 2), (6, 7), (9, 3)]
    expected = [[0, 1, 2], [3, 9], [5, 6, 7]]
    assert components(10, pairs) == expected
    assert components(10, list(reversed(pairs))) == expected


def test_near_dup_keeps_best_survivor_and_logs_matches():
    base = "\n".join(_program(random.Random(1), 12))
    lines = base.splitlines()
    copy = "\n".join(lines[:-1] + ["        self.wait(42)"])
    other = "\n".join(_program(random.Random(2), 12))
    records = [
        _rec(1, base, priority=10),
        _rec(2, copy, priority=90, cluster_size=3),  # highest priority wins despite the larger id
        _rec(3, other),
        _rec(
            4,
            base + "\n        self.wait(7)",
            priority=90,
            validation=Validation(stage="static", status="fail"),
            source_split="test",
        ),
    ]
    result = near_dup(records, 0.7)
    assert [r.id for r in result.survivors] == ["id00002", "id00003"]
    assert result.survivors[0].cluster_id == "id00002" and result.survivors[0].cluster_size == 5
    assert result.survivors[0].pinned_split == "test"  # it absorbed a test row: it must not train
    assert result.clusters == {
        "id00001": "id00002",
        "id00002": "id00002",
        "id00003": "id00003",
        "id00004": "id00002",
    }
    by_id = {e.id: e for e in result.dropped}
    assert set(by_id) == {"id00001", "id00004"}
    exc = by_id["id00001"]
    assert (exc.reason, exc.duplicate_of) == (REASON, "id00002")
    expected = jaccard(fingerprints(base), fingerprints(copy))
    assert exc.similarity == pytest.approx(expected, abs=1e-6) and 0.7 <= exc.similarity < 1
    assert result.stats["verified_pairs"] == len(result.pairs) == 3


def test_near_dup_is_deterministic_under_shuffles():
    texts = _corpus(60, 3, seed=33)
    records = [_rec(i, t, priority=random.Random(i).choice([10, 50])) for i, t in enumerate(texts)]
    first = near_dup(records, 0.7)
    shuffled = list(records)
    random.Random(0).shuffle(shuffled)
    second = near_dup(shuffled, 0.7)
    assert first.survivors == second.survivors
    assert first.dropped == second.dropped and first.pairs == second.pairs
    assert len(first.dropped) > 20


def test_every_removed_row_is_within_the_threshold_of_its_survivor():
    texts = _corpus(80, 4, seed=34)
    records = [_rec(i, t) for i, t in enumerate(texts)]
    result = near_dup(records, 0.7)
    code = {r.id: r.code for r in records}
    assert len(result.dropped) > 30
    for drop in result.dropped:
        a, b = shingles(code[drop.id]), shingles(code[drop.duplicate_of])
        assert len(a & b) >= 0.7 * len(a | b)
        assert drop.similarity == pytest.approx(len(a & b) / len(a | b), abs=1e-6)
        assert result.clusters[drop.duplicate_of] == drop.duplicate_of  # a survivor, not a chain link


def test_near_dup_off_and_guards():
    records = [_rec(i, t) for i, t in enumerate(_corpus(5, 2, seed=2))]
    off = near_dup(records, None)
    assert off.survivors == sorted(records, key=lambda r: r.id) and off.dropped == []
    with pytest.raises(ValueError, match="unique"):
        near_dup([records[0], records[0]], 0.7)
    empty = near_dup([_rec(1, ""), _rec(2, "")], 0.7)  # no tokens: never a duplicate of anything
    assert len(empty.survivors) == 2


def test_survivor_key_prefers_validation_then_trust_then_description():
    a = _rec(1, "x", validation=Validation(stage="render", status="ok"))
    b = _rec(2, "x", validation=Validation(stage="runtime", status="ok"))
    c = replace(a, id="id00000", suspect_pair=True)
    d = replace(a, id="id00009", description="Draw a blue circle, then fade it out slowly from the left.")
    assert sorted([b, a], key=survivor_key)[0] is a
    assert sorted([c, a], key=survivor_key)[0] is a
    assert sorted([a, d], key=survivor_key)[0] is d


def test_parallel_signatures_equal_single_process():
    texts = [
        f"self.play(Create(Circle(radius={i % 97}))) ; self.wait({i % 13}) ; label_{i} = Text('n{i}')"
        for i in range(2100)
    ]
    one = signatures(texts, MinHashParams(num_perm=32))
    two = signatures(texts, MinHashParams(num_perm=32, jobs=2))
    assert np.array_equal(one, two)
    assert np.array_equal(one, signatures(texts, MinHashParams(num_perm=32, jobs=3)))
    assert MinHashParams(jobs=2).describe() == MinHashParams().describe()
