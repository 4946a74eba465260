"""Near-dup: shingles, datasketch signatures, LSH candidates, verification, clusters, survivors."""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import combinations

import numpy as np
import pytest
import xxhash
from datasketch import MinHash

from builder.dedup.clusters import components
from builder.dedup.lsh import candidate_pairs, candidate_pairs_datasketch, lsh_params
from builder.dedup.minhash import SCHEME, MinHashParams, empty_rows, signatures
from builder.dedup.near import REASON, near_dup, survivor_key
from builder.dedup.shingles import ShingleRecipe, fingerprints, jaccard, shingles, tokens
from builder.dedup.signatures import similar_pairs
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


def test_bulk_signatures_equal_datasketch_update_loop():
    texts = _corpus(6, 1, seed=5) + ["", "tiny"]
    params = MinHashParams(num_perm=64, seed=7)
    sigs = signatures(texts, params)
    assert sigs.dtype == np.uint32 and sigs.shape == (len(texts), 64)
    for row, text in zip(sigs, texts, strict=True):
        m = MinHash(num_perm=64, seed=7, hashfunc=xxhash.xxh32_intdigest, scheme=SCHEME)
        for s in shingles(text):
            m.update(s)
        assert np.array_equal(row, m.hashvalues)
    assert empty_rows(sigs).tolist() == [False] * (len(texts) - 2) + [True, False]
    described = params.describe()
    assert (
        described["scheme"] == "affine32"
        and described["num_perm"] == 64
        and "datasketch 2." in described["library"]
    )


def test_numpy_banding_matches_datasketch_minhashlsh():
    texts = _corpus(40, 3, seed=11) + [""]
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
    prints = [fingerprints(t) for t in texts]
    truth = {(i, j) for i, j in combinations(range(len(texts)), 2) if jaccard(prints[i], prints[j]) >= 0.7}
    found = {(p.i, p.j) for p in similar_pairs(texts, 0.7).pairs}
    assert len(truth) > 100
    assert found <= truth  # every reported pair is verified
    assert (
        len(found & truth) / len(truth) >= 0.97
    )  # measured: 0.99 (0.88 with datasketch's default 0.5/0.5 weights)


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
    assert MinHashParams(jobs=2).describe() == MinHashParams().describe()
