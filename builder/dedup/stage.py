"""The near-duplicate stages as the pipeline runs them, on exact-dedup survivors:

1. `cluster_for_splits`: suspect pairs flagged, near-dup clusters at the lowest threshold any config
   uses, so a cluster (and every copy of a test row) lands in one split in every config;
2. `decontaminate` (after splits): train/validation rows near a test row leave with a reason;
3. `dedup_config`: each config's own near-dup threshold, suspect and description rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from builder.config import DatasetConfig
from builder.dedup import descriptions
from builder.dedup.minhash import DEFAULT_PARAMS
from builder.dedup.near import near_dup
from builder.schema import Exclusion, Record

_COUNTS = (
    "threshold", "rows_in", "lsh_bands", "lsh_rows_per_band", "candidate_pairs", "verified_pairs",
    "rejected_candidates", "clusters", "rows_out", "removed",
)  # fmt: skip


def _counts(stats: dict) -> dict:
    """A near-dup pass's counts; the MinHash recipe is recorded once, under dedup.minhash."""
    return {k: stats[k] for k in _COUNTS if k in stats}


@dataclass(slots=True)
class Clustering:
    records: list[Record]
    stats: dict[str, object] = field(default_factory=dict)


def cluster_for_splits(records: list[Record], cfgs: list[DatasetConfig]) -> Clustering:
    """Flag suspect pairs and give every record its near-dup cluster id (no row is dropped here)."""
    records, suspects = descriptions.flag_suspects(records)
    stats: dict[str, object] = {"suspect_pairs": len(suspects), "minhash": DEFAULT_PARAMS.describe()}
    thresholds = [c.near_dup_threshold for c in cfgs if c.near_dup_threshold is not None]
    if not thresholds:
        return Clustering(records, stats)
    result = near_dup(records, min(thresholds))
    stats["split_clusters"] = _counts(result.stats)
    size = {r.id: r.cluster_size for r in result.survivors}
    test_clusters = {result.clusters[r.id] for r in records if r.source_split == "test"}
    out = []
    for rec in records:
        cid = result.clusters[rec.id]
        out.append(
            replace(
                rec,
                cluster_id=cid,
                cluster_size=size.get(rec.id, rec.cluster_size),
                source_split="test" if cid in test_clusters else rec.source_split,
            )
        )
    return Clustering(out, stats)


def dedup_config(records: list[Record], cfg: DatasetConfig) -> tuple[list[Record], list[Exclusion], dict]:
    """One config's rows after its near-dup threshold, suspect-pair and one-per-description rules."""
    dropped: list[Exclusion] = []
    stats: dict[str, object] = {}
    if cfg.near_dup_threshold is not None:
        result = near_dup(records, cfg.near_dup_threshold, scope=cfg.name)
        records, stats["near"] = result.survivors, _counts(result.stats)
        dropped += result.exclusions
    if cfg.drop_suspect_pairs:
        records, more = descriptions.drop_suspects(records, cfg.name)
        dropped += more
    if cfg.one_per_description:
        records, more = descriptions.one_per_description(records, cfg.name)
        dropped += more
    return records, dropped, stats
