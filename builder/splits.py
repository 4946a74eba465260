"""Deterministic train/validation/test assignment per duplicate cluster.

A cluster's split comes from a hash of its id, so it does not depend on row order or on which other
rows are in the build; a source's own test (or validation) split wins, so benchmark rows stay test.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace

from builder.schema import Record

_SOURCE_SPLIT_ALIASES = {
    "test": "test",
    "eval": "test",
    "validation": "validation",
    "valid": "validation",
    "dev": "validation",
}


def _bucket(cluster_id: str, seed: int, fractions: dict[str, float]) -> str:
    digest = hashlib.sha256(f"{seed}\x00{cluster_id}".encode()).digest()
    x = int.from_bytes(digest[:8], "big") / 2**64
    acc = 0.0
    for name in ("test", "validation", "train"):
        acc += fractions.get(name, 0.0)
        if x < acc:
            return name
    return "train"


def assign_splits(records: list[Record], fractions: dict[str, float], seed: int) -> list[Record]:
    """Give every record a split; all members of a cluster get the same one (test beats validation beats train)."""
    clusters: dict[str, list[Record]] = defaultdict(list)
    for rec in records:
        clusters[rec.cluster_id or rec.id].append(rec)
    out = []
    for cid, members in clusters.items():
        declared = {_SOURCE_SPLIT_ALIASES.get(m.pinned_split or m.source_split or "") for m in members}
        if "test" in declared:
            split = "test"
        elif "validation" in declared:
            split = "validation"
        else:
            split = _bucket(cid, seed, fractions)
        out.extend(replace(m, split=split) for m in members)
    return out
