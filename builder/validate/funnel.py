"""The validation funnel: static -> runtime -> render, cheapest first, cached by code hash.

`validate_programs` is the per-scene API (the CLI prints it); `validate_records` folds each program's
scenes into the one `Validation` the pipeline stores per row: ok only if every scene passes.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from builder.executors import Executor, PoolSpec, ScenePool
from builder.executors.local import LocalExecutor
from builder.isolated import isolated_map
from builder.schema import SceneVerdict, Trace, Validation
from builder.validate.cache import VerdictCache, cache_key, code_sha
from builder.validate.manim_names import manim_names, manim_version
from builder.validate.pool import Limits, SceneTask
from builder.validate.protocol import (
    MAX_PNG_BYTES,
    PNG_SIGNATURE,
    PROTOCOL_VERSION,
    SAMPLES_PER_ANIMATION,
    TRACE_FIELDS,
    check_result,
    protocol_error,
)
from builder.validate.static import StaticReport, static_check
from builder.validate.trace import program_trace

STAGES = ("static", "runtime", "render")


@dataclass(frozen=True, slots=True)
class ValidationSettings:
    """Every knob of the funnel. Fields in `fingerprint()` change verdicts and so key the cache."""

    stage: str = "runtime"  # the deepest stage to run: static | runtime | render
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache_dir: Path = Path(".cache/validate")
    sandbox: bool = True  # False only via an explicit --unsafe-no-sandbox
    timeout_s: float = 60.0  # wall clock per scene
    cpu_s: int = 60
    mem_bytes: int = 2 * 1024**3  # address space per scene
    fsize_bytes: int = 256 * 1024**2
    nofile: int = 256
    nproc: int = 128
    max_output: int = 2 * 1024**2  # bytes of stdout+stderr before the scene is stopped
    uid_base: int = 65534  # worker i runs as uid_base - i when the build runs as root
    tamper_guard: bool = True  # the child's tamper guards (child.py); off only to test the sandbox alone
    samples: int = SAMPLES_PER_ANIMATION  # frames per animation at which interpolation is checked
    use_cache: bool = True
    warm_up: bool = True  # pre-load fonts and LaTeX digits in each worker (speed only, not verdicts)
    executor: Executor | None = None  # where scenes run (builder/executors); None: local, `jobs` workers

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, not {self.stage!r}")

    def limits(self) -> Limits:
        return Limits(
            self.timeout_s,
            self.cpu_s,
            self.mem_bytes,
            self.fsize_bytes,
            self.nofile,
            self.nproc,
            self.max_output,
        )

    def fingerprint(self) -> str:
        lim = self.limits()
        head = f"sandbox={self.sandbox};guard={self.tamper_guard};samples={self.samples};protocol={PROTOCOL_VERSION};"
        return head + ";".join(f"{k}={v}" for k, v in sorted(asdict(lim).items()))


@dataclass(slots=True)
class FunnelStats:
    programs: int = 0
    cached: int = 0
    scenes_run: int = 0
    worker_restarts: int = 0
    slots_lost: int = 0  # Ray actors lost mid-run (their scenes were sent again)
    scenes_retried: int = 0
    sandbox: bool = True
    peak_rss_kb: list[int] = field(default_factory=list)


def _from_worker(scene: str | None, stage: str, raw: dict[str, Any]) -> SceneVerdict:
    return SceneVerdict(
        scene=scene,
        stage=stage,
        status=raw.get("status", "fail"),
        error_type=raw.get("error_type"),
        error=raw.get("error"),
        seconds=raw.get("seconds"),
        n_play=raw.get("n_play"),
        n_wait=raw.get("n_wait"),
        run_time=raw.get("run_time"),
        n_mobjects=raw.get("n_mobjects"),
        png=raw.get("png"),
        **{name: raw.get(name) for name in ("n_animations", *TRACE_FIELDS)},
    )


def _save_png(raw: dict[str, Any], path: Path) -> dict[str, Any]:
    """Write the worker's PNG bytes to the host renders folder (nothing in the sandbox writes there)."""
    data = base64.b64decode(raw.pop("png_b64", "") or "", validate=False)
    if not data.startswith(PNG_SIGNATURE) or len(data) > MAX_PNG_BYTES:
        return protocol_error("render result without a valid PNG")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return {**raw, "png": str(path)}


def _run_stage(
    pool: ScenePool, programs: dict[str, tuple[str, tuple[str, ...]]], stage: str, out_dir: Path
) -> Iterator[tuple[str, list[SceneVerdict]]]:
    """Run every scene of every program at `stage`; yield a program as soon as all its scenes are done."""
    tasks = [
        SceneTask(f"{key}\0{s}", code, s, stage) for key, (code, scenes) in programs.items() for s in scenes
    ]
    pending = {key: {} for key in programs}  # type: dict[str, dict[str, SceneVerdict]]
    for task, raw in pool.run(tasks):
        key = task.id.split("\0", 1)[0]
        if stage == "render" and raw.get("status") == "ok":
            sha = code_sha(task.code)
            raw = _save_png(raw, out_dir / sha[:2] / sha / f"{task.scene}.png")
        pending[key][task.scene] = _from_worker(task.scene, stage, raw)
        if len(pending[key]) == len(programs[key][1]):
            verdicts = pending.pop(key)
            yield key, [verdicts[s] for s in programs[key][1]]


def validate_programs(
    items: Sequence[tuple[str, str]],
    settings: ValidationSettings,
    stats: FunnelStats | None = None,
    static: Mapping[str, StaticReport] | None = None,
) -> Iterator[tuple[str, list[SceneVerdict]]]:
    """Yield (key, one verdict per scene) for every (key, code) item, as verdicts become known.

    `static` holds static reports already made (the build's static stage), keyed like `items`; the
    others are checked here, in isolated workers (a program that crashes a parser fails, not the run).
    """
    stats = stats if stats is not None else FunnelStats()
    stats.sandbox = settings.sandbox
    version = manim_version()
    fingerprint = settings.fingerprint()
    cache = VerdictCache(settings.cache_dir / "verdicts.sqlite") if settings.use_cache else None
    try:
        todo: dict[str, tuple[str, tuple[str, ...]]] = {}
        ckeys: dict[str, str] = {}
        unknown: list[tuple[str, str]] = []
        for key, code in items:
            stats.programs += 1
            ckeys[key] = cache_key(code, version, settings.stage, fingerprint)
            hit = _cached(cache, ckeys[key])
            if hit is not None:
                stats.cached += 1
                yield key, hit
            else:
                unknown.append((key, code))
        reports = _static_reports(unknown, settings, static or {})
        for key, code in unknown:
            report = reports[key]
            if not report.ok:
                failed = [
                    SceneVerdict(
                        scene=s,
                        stage="static",
                        status="fail",
                        error_type=report.error_type,
                        error=report.message,
                        seconds=0.0,
                    )
                    for s in report.scenes or (None,)
                ]
                yield key, _store(cache, ckeys[key], failed)
            elif settings.stage == "static":
                yield (
                    key,
                    _store(
                        cache,
                        ckeys[key],
                        [SceneVerdict(scene=s, stage="static", status="ok") for s in report.scenes],
                    ),
                )
            else:
                todo[key] = (code, report.scenes)
        if todo:
            yield from _run_dynamic(todo, settings, stats, cache, ckeys)
    finally:
        if cache is not None:
            cache.close()


def _static_reports(
    items: list[tuple[str, str]], settings: ValidationSettings, known: Mapping[str, StaticReport]
) -> dict[str, StaticReport]:
    """Static reports for `items`: the known ones, the rest checked in isolated workers."""
    missing = [(k, c) for k, c in items if k not in known]
    out = dict(known)
    checked = isolated_map(
        static_check, [c for _, c in missing], jobs=settings.jobs, timeout_s=settings.timeout_s
    )
    for (key, _), report in zip(missing, checked, strict=True):
        out[key] = (
            report if isinstance(report, StaticReport) else StaticReport(False, report.kind, report.detail)
        )
    return out


def _run_dynamic(
    todo: dict[str, tuple[str, tuple[str, ...]]],
    settings: ValidationSettings,
    stats: FunnelStats,
    cache: VerdictCache | None,
    ckeys: dict[str, str],
) -> Iterator[tuple[str, list[SceneVerdict]]]:
    out_dir = (settings.cache_dir / "renders").resolve()
    spec = PoolSpec(
        settings.limits(),
        sandbox=settings.sandbox,
        tamper_guard=settings.tamper_guard,
        samples=settings.samples,
        uid_base=settings.uid_base,
        warm_up=settings.warm_up,
        tex_seed=(settings.cache_dir / "tex-seed" / manim_version()).resolve(),
    )
    executor = settings.executor or LocalExecutor(settings.jobs)
    with executor.pool(sum(len(s) for _, s in todo.values()), spec) as pool:
        to_render: dict[str, tuple[str, tuple[str, ...]]] = {}
        for key, verdicts in _run_stage(pool, todo, "runtime", out_dir):
            stats.scenes_run += len(verdicts)
            if settings.stage == "render" and all(v.status == "ok" for v in verdicts):
                to_render[key] = todo[key]
            else:
                yield key, _store(cache, ckeys[key], verdicts)
        for key, verdicts in _run_stage(pool, to_render, "render", out_dir):
            stats.scenes_run += len(verdicts)
            yield key, _store(cache, ckeys[key], verdicts)
        stats.worker_restarts += pool.restarts
        stats.slots_lost += getattr(pool, "lost", 0)
        stats.scenes_retried += getattr(pool, "retried", 0)
        stats.peak_rss_kb = [max(s["worker_max_rss_kb"], s["child_max_rss_kb"]) for s in pool.stats()]


_NOT_CACHED = frozenset({"worker-protocol", "worker-error"})  # the machinery failed, not the scene


def _store(cache: VerdictCache | None, ckey: str, verdicts: list[SceneVerdict]) -> list[SceneVerdict]:
    if cache is not None and not any(v.error_type in _NOT_CACHED for v in verdicts):
        cache.put(ckey, [asdict(v) for v in verdicts])
    return verdicts


def _cached(cache: VerdictCache | None, ckey: str) -> list[SceneVerdict] | None:
    """A cached verdict, checked like a fresh one; a malformed entry counts as a miss (and is redone)."""
    hit = cache.get(ckey) if cache is not None else None
    if not isinstance(hit, list) or not hit:
        return None
    out = []
    for item in hit:
        if not isinstance(item, dict) or not (
            item.get("scene") is None or isinstance(item.get("scene"), str)
        ):
            return None
        if item.get("stage") not in STAGES:
            return None
        checked = check_result({k: v for k, v in item.items() if k not in ("scene", "stage", "png")})
        if checked.get("error_type") == "worker-protocol":
            return None
        png = item.get("png")
        if png is not None and not isinstance(png, str):
            return None
        out.append(_from_worker(item["scene"], item["stage"], {**checked, "png": png}))
    return out


SHOWS_NOTHING = "shows-nothing"


def fold(verdicts: Sequence[SceneVerdict]) -> Validation:
    """One row verdict: ok only if every scene passes and, together, they show something (a program
    whose scenes all run without playing anything or leaving anything on screen teaches nothing and
    has nothing to describe); a failure names the scene that failed."""
    seconds = round(sum(v.seconds or 0.0 for v in verdicts), 4)
    failed = next((v for v in verdicts if v.status != "ok"), None)
    if failed is not None:
        error = f"{failed.scene}: {failed.error}" if failed.scene else failed.error
        return Validation(
            stage=failed.stage, status="fail", error_type=failed.error_type, error=error, seconds=seconds
        )

    def total(name: str) -> Any:
        values = [getattr(v, name) for v in verdicts]
        return None if any(x is None for x in values) else sum(values)

    if total("n_play") == 0 and total("n_mobjects") == 0:  # e.g. a GL scene that was all `self.embed()`
        return Validation(
            stage=verdicts[0].stage,
            status="fail",
            error_type=SHOWS_NOTHING,
            error="no scene plays an animation or leaves anything on screen",
            seconds=seconds,
        )
    return Validation(
        stage=verdicts[0].stage,
        status="ok",
        seconds=seconds,
        n_play=total("n_play"),
        n_wait=total("n_wait"),
        run_time=total("run_time"),
        n_mobjects=total("n_mobjects"),
    )


def validate_records(
    items: Sequence[tuple[str, str]],
    settings: ValidationSettings,
    stats: FunnelStats | None = None,
    static: Mapping[str, StaticReport] | None = None,
) -> dict[str, tuple[Validation, Trace | None]]:
    """key -> (Validation, Trace) for every (key, code) item (the pipeline's entry point)."""
    codes = dict(items)
    out = {}
    for key, verdicts in validate_programs(items, settings, stats, static):
        ran = all(v.status == "ok" and v.trace_camera is not None for v in verdicts)
        exports = manim_names().exports if ran else frozenset()
        out[key] = (fold(verdicts), program_trace(verdicts, codes[key], exports))
    return out
