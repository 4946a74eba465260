"""Leakage-free splits: no train or validation row may be a (near-)copy of a test row.

`builder.splits.assign_splits` already keeps every duplicate cluster inside one split. Clusters are
built at each config's threshold, though, and a config without near-dup has only exact clusters; this
pass closes the gap at a fixed, stricter threshold: every train/validation row whose code has Jaccard
>= threshold with any test row (or with any `reference` row, e.g. ManimBench's test split even when
that source is not part of the build) leaves with reason `decontaminated`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from builder.dedup.exact import exact_key
from builder.dedup.signatures import SignatureIndex
from builder.schema import Drop, Record

REASON = "decontaminated"


@dataclass(slots=True)
class Decontamination:
    kept: list[Record]
    dropped: list[Drop]
    stats: dict[str, object] = field(default_factory=dict)


def decontaminate(
    records: Sequence[Record],
    threshold: float = 0.7,
    index: SignatureIndex | None = None,
    *,
    reference: Sequence[tuple[str, str]] = (),
) -> Decontamination:
    """Drop train/validation rows near-duplicate to a test row or to a `reference` (id, code) pair.

    Each dropped row names the protected row it matched best (`duplicate_of`) and that Jaccard (1.0 for
    the same program after exact-dedup normalisation, even if comments lower the raw Jaccard).
    Input order does not matter; `kept` is in id order.
    """
    ordered = sorted(records, key=lambda r: r.id)
    protected = [(r.id, r.code) for r in ordered if r.split == "test"] + sorted(reference)
    others = [r for r in ordered if r.split != "test"]
    stats: dict[str, object] = {
        "threshold": threshold,
        "protected_rows": len(protected),
        "checked_rows": len(others),
    }
    if not protected or not others:
        stats["removed"] = 0
        return Decontamination(list(ordered), [], stats)
    texts = [code for _, code in protected] + [r.code for r in others]
    sides = [0] * len(protected) + [1] * len(others)
    search = (index or SignatureIndex()).pairs(texts, threshold, sides=sides)
    best: dict[int, tuple[float, str]] = {}
    protected_keys: dict[str, str] = {}
    for pid, code in sorted(protected):
        protected_keys.setdefault(exact_key(code), pid)
    for k, rec in enumerate(others):  # the same program after normalisation, however heavily commented
        pid = protected_keys.get(rec.dedup_key or exact_key(rec.code))
        if pid is not None:
            best[k] = (1.0, pid)
    for p in search.pairs:  # i < j, so i is the protected side
        k = p.j - len(protected)
        match = (p.jaccard, protected[p.i][0])
        if k not in best or (-match[0], match[1]) < (-best[k][0], best[k][1]):  # highest Jaccard, then id
            best[k] = match
    dropped_ids = {others[k].id for k in best}
    dropped = [
        Drop(others[k].id, REASON, f"{others[k].split} row near-duplicate to test row", match_id, sim)
        for k, (sim, match_id) in sorted(best.items())
    ]
    stats.update(removed=len(dropped))
    return Decontamination([r for r in ordered if r.id not in dropped_ids], dropped, stats)


def straddling_clusters(records: Sequence[Record]) -> dict[str, set[str]]:
    """Cluster ids whose members sit in more than one split (should always be empty)."""
    splits: dict[str, set[str]] = {}
    for r in records:
        splits.setdefault(r.cluster_id or r.id, set()).add(r.split)
    return {cid: s for cid, s in splits.items() if len(s) > 1}
