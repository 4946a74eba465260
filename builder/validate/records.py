"""The validation funnel applied to pipeline records: static checks on every cleaned row, then the
sandboxed runtime (or render) check on exact-dedup survivors only.

Each stage writes its verdict into `Record.validation`; which stage a row must pass is each config's
business (`builder.shape`). Work runs once per distinct program: static verdicts are shared by rows
with the same normalised code, runtime verdicts are cached on disk by code hash.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from builder.isolated import Failed, isolated_map
from builder.schema import Record, Validation
from builder.validate.funnel import FunnelStats, ValidationSettings, validate_records
from builder.validate.static import StaticReport, static_check


def _check(code: str) -> StaticReport:
    return static_check(code)


def static_stage(records: list[Record], jobs: int = 1, timeout_s: float = 120.0) -> list[Record]:
    """Static verdict and `requires` for every record; one check per distinct normalised program, in
    isolated workers (a program that crashes or hangs one fails with `crash` / `timeout`)."""
    first: dict[str, str] = {}
    for rec in records:
        first.setdefault(rec.dedup_key, rec.code)
    keys = sorted(first)
    reports = {}
    for key, report in zip(
        keys, isolated_map(_check, [first[k] for k in keys], jobs=jobs, timeout_s=timeout_s), strict=True
    ):
        if isinstance(report, Failed):
            report = StaticReport(False, report.kind, report.detail)
        reports[key] = report
    out = []
    for rec in records:
        report = reports[rec.dedup_key]
        verdict = Validation(
            stage="static",
            status="ok" if report.ok else "fail",
            error_type=None if report.ok else report.error_type,
            error=report.message,
        )
        out.append(replace(rec, validation=verdict, requires=list(report.requires)))
    return out


def dynamic_stage(
    records: list[Record], stage: str, jobs: int, cache_dir: Path, sandbox: bool, timeout_s: float
) -> tuple[list[Record], FunnelStats]:
    """Runtime (or render) verdicts for the records that passed static; others keep their verdict.

    `seconds` is left out of the row: it varies run to run, and rows must be byte-identical across
    builds (the cache keeps the timings).
    """
    stats = FunnelStats()
    todo = {r.id: r.code for r in records if r.validation.stage == "static" and r.validation.status == "ok"}
    settings = ValidationSettings(
        stage=stage, jobs=jobs, cache_dir=cache_dir, sandbox=sandbox, timeout_s=timeout_s
    )
    verdicts = validate_records(sorted(todo.items()), settings, stats) if todo else {}
    out = []
    for rec in records:
        verdict = verdicts.get(rec.id)
        out.append(rec if verdict is None else replace(rec, validation=replace(verdict, seconds=None)))
    return out, stats
