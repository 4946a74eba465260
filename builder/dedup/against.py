"""Dedup against a published build: which rows are new, changed or unchanged since that release.

A row matches a previous row by id first, then by exact key of its code, then (optionally) by near-dup
of its code. A match with the same program and the same description is `unchanged`; any other match is
`changed`; no match is `new`. Previous rows matched by nothing are `removed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from builder.dedup.exact import exact_key
from builder.dedup.signatures import SignatureIndex
from builder.quality import normalise_description
from builder.schema import Record

STATUSES = ("new", "changed", "unchanged")


@dataclass(frozen=True, slots=True)
class PreviousRow:
    id: str
    description: str
    code: str


@dataclass(slots=True)
class AgainstReport:
    status: dict[str, str]  # record id -> new | changed | unchanged
    matched: dict[str, str]  # record id -> previous id it matched
    removed: list[str]  # previous ids nothing matched
    stats: dict[str, object] = field(default_factory=dict)


def load_previous(folder: Path) -> list[PreviousRow]:
    """Every distinct row of a build folder's parquet files (any config, any split; not excluded.parquet)."""
    if not folder.is_dir():
        raise FileNotFoundError(f"--against: {folder} is not a folder")
    rows: dict[str, PreviousRow] = {}
    for path in sorted(folder.rglob("*.parquet")):
        if path.name.startswith("excluded"):
            continue
        table = pq.read_table(path, columns=None)
        if not {"id", "description", "code"} <= set(table.column_names):
            continue
        for row in table.select(["id", "description", "code"]).to_pylist():
            rows.setdefault(row["id"], PreviousRow(row["id"], row["description"] or "", row["code"] or ""))
    return [rows[k] for k in sorted(rows)]


def resolve_previous(dir_or_repo: str, cache_dir: Path) -> Path:
    """A local folder as is; otherwise a Hub dataset repo id, downloaded (parquet files only)."""
    path = Path(dir_or_repo)
    if path.is_dir():
        return path
    from huggingface_hub import snapshot_download

    return Path(
        snapshot_download(
            dir_or_repo,
            repo_type="dataset",
            allow_patterns=["*.parquet", "**/*.parquet"],
            cache_dir=str(cache_dir),
        )
    )


def compare(
    records: Sequence[Record],
    previous: Sequence[PreviousRow],
    near_threshold: float | None = None,
    index: SignatureIndex | None = None,
) -> AgainstReport:
    """Status of every record relative to `previous` (see module docstring)."""
    prev_by_id = {p.id: p for p in previous}
    prev_by_key: dict[str, PreviousRow] = {}
    for p in sorted(previous, key=lambda p: p.id):
        prev_by_key.setdefault(exact_key(p.code), p)
    status: dict[str, str] = {}
    matched: dict[str, str] = {}
    unmatched: list[Record] = []
    for rec in sorted(records, key=lambda r: r.id):
        key = rec.dedup_key or exact_key(rec.code)
        prev = prev_by_id.get(rec.id) or prev_by_key.get(key)
        if prev is None:
            unmatched.append(rec)
            continue
        same = exact_key(prev.code) == key and normalise_description(
            prev.description
        ) == normalise_description(rec.description)
        status[rec.id] = "unchanged" if same else "changed"
        matched[rec.id] = prev.id
    if near_threshold is not None and unmatched and previous:
        texts = [p.code for p in previous] + [r.code for r in unmatched]
        sides = [0] * len(previous) + [1] * len(unmatched)
        best: dict[int, tuple[float, str]] = {}
        for p in (index or SignatureIndex()).pairs(texts, near_threshold, sides=sides).pairs:
            k, match = p.j - len(previous), (p.jaccard, previous[p.i].id)
            if k not in best or (-match[0], match[1]) < (-best[k][0], best[k][1]):
                best[k] = match
        for k, (_, prev_id) in best.items():
            status[unmatched[k].id] = "changed"
            matched[unmatched[k].id] = prev_id
    for rec in unmatched:
        status.setdefault(rec.id, "new")
    seen = set(matched.values())
    removed = sorted(p.id for p in previous if p.id not in seen)
    counts = {s: sum(1 for v in status.values() if v == s) for s in STATUSES}
    return AgainstReport(
        status, matched, removed, {**counts, "removed": len(removed), "near_threshold": near_threshold}
    )
