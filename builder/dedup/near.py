"""Near-duplicate code: MinHash + LSH candidates, verified by true Jaccard, one survivor per star.

Candidates come from the build's signature index (signatures.py) and every candidate pair is verified
by true Jaccard of the shingle sets, so LSH only decides what to check, never what to remove. Removal
is by stars, not chains: rows are taken best first (source priority, validation stage passed, not a
suspect pair, description quality, then id); each row not yet claimed becomes a survivor and claims its
verified neighbours that are still unclaimed. Every removed row is therefore within the threshold of its
own survivor (union-find would let A~B~C remove C for resembling B). Split assignment, which must never
let two near-copies straddle splits, uses the connected components instead (`split_clusters`).
Rows are processed in id order, so the answer does not depend on input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from builder.dedup.clusters import components
from builder.dedup.minhash import DEFAULT_PARAMS
from builder.dedup.signatures import PairSearch, SignatureIndex
from builder.quality import description_quality
from builder.schema import STAGES, Drop, Record

REASON = "duplicate:near"


def validation_rank(rec: Record) -> int:
    """How many validation stages the row passed (parse=1 ... render=4)."""
    stage = rec.validation.stage if rec.validation.stage in STAGES else "parse"
    rank = STAGES.index(stage)
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


def search(records: Sequence[Record], threshold: float, index: SignatureIndex | None) -> PairSearch:
    """Verified near pairs among `records` (indices into it), through `index` (or a throwaway one)."""
    return (index or SignatureIndex(DEFAULT_PARAMS)).pairs([r.code for r in records], threshold)


@dataclass(slots=True)
class NearDupResult:
    """Outcome of one near-dup pass; `survivors` carry updated `cluster_id` / `cluster_size`."""

    survivors: list[Record]
    dropped: list[Drop]
    clusters: dict[str, str]  # every input id -> id of its survivor
    pairs: list[tuple[str, str, float]]  # verified near-duplicate pairs (id, id, Jaccard), sorted
    stats: dict[str, object] = field(default_factory=dict)  # deterministic: safe for stats.json


def _ordered(records: Sequence[Record]) -> list[Record]:
    ordered = sorted(records, key=lambda r: r.id)
    if len({r.id for r in ordered}) != len(ordered):
        raise ValueError("near_dup needs unique record ids")
    return ordered


def near_dup(
    records: Sequence[Record], threshold: float | None, index: SignatureIndex | None = None
) -> NearDupResult:
    """Keep one row per star of near-duplicate code; `threshold=None` turns it off.

    Dropped rows name their survivor (`duplicate_of`) and their verified Jaccard with it; a survivor that
    absorbed a row pinned to test is pinned to test too, as in exact dedup.
    """
    ordered = _ordered(records)
    ids = [r.id for r in ordered]
    stats: dict[str, object] = {"threshold": threshold, "rows_in": len(ordered)}
    if threshold is None or len(ordered) < 2:
        stats.update(rows_out=len(ordered), removed=0, clusters=0)
        return NearDupResult(list(ordered), [], {i: i for i in ids}, [], stats)
    found = search(ordered, threshold, index)
    neighbours: dict[int, dict[int, float]] = {}
    for p in found.pairs:
        neighbours.setdefault(p.i, {})[p.j] = p.jaccard
        neighbours.setdefault(p.j, {})[p.i] = p.jaccard
    owner: dict[int, int] = {}
    for k in sorted(range(len(ordered)), key=lambda k: survivor_key(ordered[k])):
        if k in owner:
            continue
        owner[k] = k
        for m in sorted(neighbours.get(k, {})):
            owner.setdefault(m, k)
    members: dict[int, list[int]] = {}
    for k, best in owner.items():
        members.setdefault(best, []).append(k)
    survivors, dropped = [], []
    for k, rec in enumerate(ordered):
        best = owner[k]
        if best == k:
            group = members[k]
            if len(group) > 1:
                pinned = any((ordered[m].pinned_split or ordered[m].source_split) == "test" for m in group)
                rec = replace(
                    rec,
                    cluster_id=rec.id,
                    cluster_size=sum(max(ordered[m].cluster_size, 1) for m in group),
                    pinned_split="test" if pinned else rec.pinned_split,
                )
            survivors.append(rec)
        else:
            size = len(members[best])
            dropped.append(
                Drop(rec.id, REASON, f"star of {ids[best]} ({size} rows)", ids[best], neighbours[k][best])
            )
    stars = sum(1 for g in members.values() if len(g) > 1)
    stats.update(
        lsh_bands=found.bands,
        lsh_rows_per_band=found.rows_per_band,
        candidate_pairs=found.candidates,
        verified_pairs=len(found.pairs),
        rejected_candidates=found.candidates - len(found.pairs),
        clusters=stars,
        rows_out=len(survivors),
        removed=len(dropped),
    )
    pairs = [(ids[p.i], ids[p.j], p.jaccard) for p in found.pairs]
    return NearDupResult(survivors, dropped, {ids[k]: ids[b] for k, b in owner.items()}, pairs, stats)


def split_clusters(
    records: Sequence[Record], threshold: float, index: SignatureIndex | None = None
) -> tuple[dict[str, tuple[str, int]], dict[str, object]]:
    """id -> (cluster id, cluster size in rows) by connected components of verified near pairs, so no
    two near-copies can land in different splits; the cluster id is its best member's id."""
    ordered = _ordered(records)
    found = search(ordered, threshold, index)
    out = {r.id: (r.id, max(r.cluster_size, 1)) for r in ordered}
    groups = components(len(ordered), ((p.i, p.j) for p in found.pairs))
    for group in groups:
        best = min(group, key=lambda k: survivor_key(ordered[k]))
        size = sum(max(ordered[k].cluster_size, 1) for k in group)
        for k in group:
            out[ordered[k].id] = (ordered[best].id, size)
    stats = {
        "threshold": threshold,
        "rows_in": len(ordered),
        "lsh_bands": found.bands,
        "lsh_rows_per_band": found.rows_per_band,
        "candidate_pairs": found.candidates,
        "verified_pairs": len(found.pairs),
        "rejected_candidates": found.candidates - len(found.pairs),
        "clusters": len(groups),
    }
    return out, stats
