"""The stage contract and the runner that does a build's bookkeeping.

A stage takes the records and a context and returns a `StageResult`: the records it kept (in the order
it wants), `Drop`s for the ones it did not (id, reason, detail), and its stats. The runner, not the
stage, turns drops into `Exclusion`s (with the dropped record's source, description and code), checks
every reason against the vocabulary (builder/reasons.py), counts reasons, and writes one funnel row per
stage: as datatrove's filters do, so every removal is auditable and no stage writes bookkeeping itself.
Per-config stages run once per config with that config's name as the exclusion scope; a row that every
config drops becomes one exclusion with scope `all`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from builder import reasons
from builder.config import BuildSettings, DatasetConfig
from builder.request import BuildRequest
from builder.schema import Drop, Exclusion, Record


@dataclass(slots=True)
class StageResult:
    kept: list[Record]
    dropped: list[Drop] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    passed: int | None = None  # validation stages keep every row; this counts the ones that passed
    excluded: list[Exclusion] = field(default_factory=list)  # rows that never became records (cleaning)
    rows_in: int | None = None  # the entry stage reads its rows from the sources, not from `records`


class Stage(Protocol):
    name: str  # the funnel row's name and the `stage` of its exclusions

    def run(self, records: list[Record], ctx: Context) -> StageResult: ...


@dataclass
class Context:
    """What every stage may read: the request, settings, configs and the build's shared indexes."""

    request: BuildRequest
    settings: BuildSettings
    configs: list[DatasetConfig]
    cache_dir: Path
    shared: dict[str, Any] = field(default_factory=dict)  # per-build indexes (signatures, rows in)


@dataclass
class Ledger:
    """What the runner records: exclusions, one funnel row per stage run, and each stage's stats."""

    exclusions: list[Exclusion] = field(default_factory=list)
    funnel: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


def _exclusion(rec: Record, drop: Drop, stage: str, scope: str) -> Exclusion:
    return Exclusion(
        id=rec.id,
        source=rec.source,
        stage=stage,
        reason=reasons.check(drop.reason),
        scope=scope,
        duplicate_of=drop.duplicate_of,
        similarity=drop.similarity,
        detail=drop.detail,
        description=rec.description,
        code=rec.code,
    )


def run_stages(
    stages: Sequence[Stage], records: list[Record], ctx: Context, ledger: Ledger, scope: str = "all"
) -> list[Record]:
    """Run `stages` in order; every drop becomes an Exclusion in `ledger` (with `scope`)."""
    for stage in stages:
        result = stage.run(records, ctx)
        by_id = {r.id: r for r in records}
        label = getattr(stage, "exclusion_stage", stage.name)
        excluded = [_exclusion(by_id[d.id], d, d.stage or label, scope) for d in result.dropped]
        excluded += [replace(e, reason=reasons.check(e.reason), scope=scope) for e in result.excluded]
        ledger.exclusions += excluded
        seen = result.rows_in if result.rows_in is not None else len(records)
        row: dict[str, Any] = {"stage": stage.name, "in": seen, "out": len(result.kept)}
        if scope != "all":
            row["config"] = scope
        if result.passed is not None:
            row["passed"] = result.passed
        row["excluded"] = dict(sorted(Counter(e.reason for e in excluded).items()))
        ledger.funnel.append(row)
        if result.stats:
            key = stage.name if scope == "all" else f"{scope}/{stage.name}"
            ledger.stats[key] = result.stats
        records = result.kept
    return records


def merge_scopes(per_config: dict[str, list[Exclusion]], configs: Sequence[str]) -> list[Exclusion]:
    """Config-scoped exclusions, with every row that all configs dropped written once, as scope `all`
    (with the first config's reason), instead of once per config."""
    dropped_by: dict[str, dict[str, Exclusion]] = {}
    for name in configs:
        for exc in per_config.get(name, ()):
            dropped_by.setdefault(exc.id, {})[name] = exc
    out: list[Exclusion] = []
    for name in configs:
        for exc in per_config.get(name, ()):
            everywhere = dropped_by[exc.id]
            if len(everywhere) < len(configs):
                out.append(exc)
            elif name == configs[0]:
                out.append(replace(exc, scope="all"))
    return out
