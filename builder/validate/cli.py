"""`manim-dataset validate PATH...`: the build's validation funnel, one line per scene.

PATH may be a `.py` file, a folder of them (searched recursively), or a built dataset folder (its
parquet files' `code` column). `--json` prints one JSON object per scene with at least path, scene,
stage, status, failed_stage, error and seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from builder.validate.funnel import STAGES, FunnelStats, SceneVerdict, ValidationSettings, validate_programs
from builder.validate.pool import WorkerStartError
from builder.validate.sandbox import SandboxUnavailable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help=".py files, folders, or a dataset"
    )
    parser.add_argument("--stage", choices=STAGES, default="runtime", help="deepest stage (default: runtime)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers (default: all cores)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line per scene")
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache/manim-dataset/validate"))
    parser.add_argument("--no-cache", action="store_true", help="ignore and do not write cached verdicts")
    parser.add_argument("--timeout", type=float, default=60.0, help="wall-clock seconds per scene")
    parser.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="run scenes WITHOUT bubblewrap (only for code you trust)",
    )


def iter_programs(paths: list[Path]) -> Iterator[tuple[str, str]]:
    """(label, code) for every program under `paths`, in a stable order."""
    for path in paths:
        if path.is_file() and path.suffix == ".parquet":
            yield from _parquet_programs(path)
        elif path.is_file():
            yield str(path), path.read_text(encoding="utf-8", errors="replace")
        elif path.is_dir():
            tables = sorted(path.rglob("*.parquet"))
            if tables:
                for table in tables:
                    yield from _parquet_programs(table)
            else:
                for file in sorted(path.rglob("*.py")):
                    yield str(file), file.read_text(encoding="utf-8", errors="replace")
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")


def _parquet_programs(path: Path) -> Iterator[tuple[str, str]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["code"])
    for i, code in enumerate(table.column("code").to_pylist()):
        if isinstance(code, str):
            yield f"{path}:{i}", code


def _error_text(verdict: SceneVerdict) -> str:
    """`type: message`, without repeating the type when the message already starts with it."""
    message = verdict.error or ""
    if verdict.error_type and not message.startswith(verdict.error_type):
        return f"{verdict.error_type}: {message}".rstrip(": ")
    return message


def _line(label: str, stage: str, verdict: SceneVerdict) -> dict[str, object]:
    row: dict[str, object] = {
        "path": label,
        "scene": verdict.scene,
        "stage": stage,
        "status": verdict.status,
        "failed_stage": verdict.stage if verdict.status != "ok" else None,
        "error": _error_text(verdict) if verdict.status != "ok" else None,
        "seconds": verdict.seconds,
    }
    extra = {
        k: v for k, v in asdict(verdict).items() if k in ("n_play", "n_wait", "run_time", "n_mobjects", "png")
    }
    return row | extra


def run(args: argparse.Namespace) -> int:
    settings = ValidationSettings(
        stage=args.stage,
        jobs=max(1, args.jobs),
        cache_dir=args.cache_dir,
        sandbox=not args.unsafe_no_sandbox,
        timeout_s=args.timeout,
        use_cache=not args.no_cache,
    )
    if args.unsafe_no_sandbox:
        print("warning: --unsafe-no-sandbox: scenes run unconfined on this machine", file=sys.stderr)
    stats = FunnelStats()
    failures = 0
    try:
        programs = list(iter_programs(args.paths))
        for label, verdicts in validate_programs(programs, settings, stats):
            for verdict in verdicts:
                failures += verdict.status != "ok"
                row = _line(label, args.stage, verdict)
                if args.json:
                    print(json.dumps(row), flush=True)
                else:
                    status = "ok  " if verdict.status == "ok" else "FAIL"
                    tail = f"  [{verdict.stage}] {row['error']}" if verdict.status != "ok" else ""
                    print(f"{status} {label}::{verdict.scene}  {verdict.seconds or 0:.2f}s{tail}", flush=True)
    except (SandboxUnavailable, WorkerStartError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"{stats.programs} programs, {stats.cached} cached, {stats.scenes_run} scenes run, "
        f"{failures} failed, sandbox={'on' if stats.sandbox else 'OFF'}",
        file=sys.stderr,
    )
    return 1 if failures else 0
