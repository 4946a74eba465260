"""Near-duplicate code: MinHash + LSH candidates, verified by true Jaccard, clustered, one survivor each.

Pipeline per call: shingles -> 256-permutation MinHash (datasketch bulk API, xxh32) -> LSH bands at the
threshold -> every candidate pair verified by true Jaccard of the shingle sets (so LSH only decides
what to check, never what to remove) -> union-find clusters -> survivor = highest (source priority,
validation stage passed, not a suspect pair, description quality), ties by smallest id.
Rows are processed in id order, so the answer does not depend on input order.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from builder.dedup.clusters import components
from builder.dedup.lsh import candidate_pairs, lsh_params
from builder.dedup.minhash import DEFAULT_PARAMS, MinHashParams, signatures
from builder.dedup.shingles import fingerprints, jaccard
from builder.quality import description_quality
from builder.schema import Exclusion, Record

STAGE = "near-dup"
REASON = "duplicate:near"
_STAGE_ORDER = ("parse", "static", "runtime", "render")


@dataclass(frozen=True, slots=True)
class Pair:
    """Two rows (indices into the caller's sequence, i < j) and their true shingle Jaccard."""

    i: int
    j: int
    jaccard: float


@dataclass(frozen=True, slots=True)
class PairSearch:
    """Verified pairs plus the counts that explain them (candidates checked, candidates rejected)."""

    pairs: list[Pair]
    candidates: int
    bands: int
    rows_per_band: int
    seconds: dict[str, float]


def similar_pairs(
    texts: Sequence[str],
    threshold: float,
    params: MinHashParams = DEFAULT_PARAMS,
    *,
    sides: Sequence[int] | None = None,
) -> PairSearch:
    """All pairs of `texts` whose true shingle Jaccard is >= threshold, as LSH finds them.

    With `sides` (one label per text), only pairs whose labels differ are verified and returned: the
    cross-set query behind decontamination, overlap and `--against`.
    """
    bands, rows = lsh_params(threshold, params.num_perm, params.lsh_fn_weight)
    t0 = time.perf_counter()
    sigs = signatures(texts, params)
    t1 = time.perf_counter()
    cands = candidate_pairs(sigs, bands, rows)
    del sigs
    if sides is not None and cands.size:
        side = np.asarray(sides)
        cands = cands[side[cands[:, 0]] != side[cands[:, 1]]]
    t2 = time.perf_counter()
    prints: dict[int, np.ndarray] = {}
    for idx in np.unique(cands).tolist():
        prints[idx] = fingerprints(texts[idx], params.recipe)
    pairs = []
    for i, j in cands.tolist():
        sim = jaccard(prints[i], prints[j])
        if sim >= threshold:
            pairs.append(Pair(i, j, round(sim, 6)))
    t3 = time.perf_counter()
    seconds = {"minhash": t1 - t0, "lsh": t2 - t1, "verify": t3 - t2}
    return PairSearch(pairs, int(cands.shape[0]), bands, rows, {k: round(v, 3) for k, v in seconds.items()})


def validation_rank(rec: Record) -> int:
    """How many validation stages the row passed (parse=1 ... render=4)."""
    stage = rec.validation.stage if rec.validation.stage in _STAGE_ORDER else "parse"
    rank = _STAGE_ORDER.index(stage)
    return rank + 1 if rec.validation.status == "ok" else rank


def survivor_key(rec: Record) -> tuple:
    """Sort key, best first: priority, validation passed, not suspect, description quality, id."""
    return (
        -rec.priority,
        -validation_rank(rec),
        rec.suspect_pair,
        -description_quality(rec.description),
        rec.id,
    )


@dataclass(slots=True)
class NearDupResult:
    """Outcome of one near-dup pass; `survivors` carry updated `cluster_id` / `cluster_size`."""

    survivors: list[Record]
    exclusions: list[Exclusion]
    clusters: dict[str, str]  # every input id -> id of its cluster's survivor
    pairs: list[tuple[str, str, float]]  # verified near-duplicate pairs (id, id, Jaccard), sorted
    stats: dict[str, object] = field(default_factory=dict)  # deterministic: safe for stats.json
    seconds: dict[str, float] = field(default_factory=dict)  # per phase; varies run to run


def near_dup(
    records: Sequence[Record],
    threshold: float | None,
    params: MinHashParams = DEFAULT_PARAMS,
    *,
    scope: str = "all",
) -> NearDupResult:
    """Cluster near-duplicate code and keep one row per cluster; `threshold=None` turns it off.

    Excluded rows name the row they were matched to (`duplicate_of`, preferring the survivor when the
    two were verified directly) and that pair's Jaccard; `detail` names the cluster and its size.
    """
    ordered = sorted(records, key=lambda r: r.id)
    ids = [r.id for r in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError("near_dup needs unique record ids")
    stats: dict[str, object] = {"threshold": threshold, "rows_in": len(ordered), **params.describe()}
    if threshold is None or len(ordered) < 2:
        stats.update(rows_out=len(ordered), removed=0, clusters=0)
        return NearDupResult(list(ordered), [], {i: i for i in ids}, [], stats)
    search = similar_pairs([r.code for r in ordered], threshold, params)
    neighbours: dict[int, dict[int, float]] = {}
    for p in search.pairs:
        neighbours.setdefault(p.i, {})[p.j] = p.jaccard
        neighbours.setdefault(p.j, {})[p.i] = p.jaccard
    groups = components(len(ordered), ((p.i, p.j) for p in search.pairs))

    cluster_of = {i: i for i in ids}
    in_group: dict[int, tuple[int, int]] = {}  # member -> (survivor index, cluster size in rows)
    test_clusters: set[int] = set()
    for group in groups:
        best = min(group, key=lambda k: survivor_key(ordered[k]))
        size = sum(max(ordered[k].cluster_size, 1) for k in group)
        if any(ordered[k].source_split == "test" for k in group):
            test_clusters.add(best)
        for k in group:
            in_group[k] = (best, size)
            cluster_of[ids[k]] = ids[best]

    survivors: list[Record] = []
    exclusions: list[Exclusion] = []
    for k, rec in enumerate(ordered):
        if k not in in_group:
            survivors.append(rec)
            continue
        best, size = in_group[k]
        if k == best:  # a copy of a benchmark test row keeps the survivor in test, as in exact dedup
            split = "test" if k in test_clusters else rec.source_split
            survivors.append(replace(rec, cluster_id=rec.id, cluster_size=size, source_split=split))
            continue
        near = neighbours[k]
        match = best if best in near else max(near, key=lambda m: (near[m], -m))
        exclusions.append(
            Exclusion(
                id=rec.id,
                source=rec.source,
                stage=STAGE,
                reason=REASON,
                description=rec.description,
                code=rec.code,
                scope=scope,
                duplicate_of=ids[match],
                similarity=near[match],
                detail=f"cluster {ids[best]} ({size} rows)",
            )
        )
    pairs = [(ids[p.i], ids[p.j], p.jaccard) for p in search.pairs]
    stats.update(
        lsh_bands=search.bands,
        lsh_rows_per_band=search.rows_per_band,
        candidate_pairs=search.candidates,
        verified_pairs=len(pairs),
        rejected_candidates=search.candidates - len(pairs),
        clusters=len(groups),
        rows_out=len(survivors),
        removed=len(exclusions),
    )
    return NearDupResult(survivors, exclusions, cluster_of, pairs, stats, search.seconds)


apply_near_dup = near_dup
