"""The bundled samples behave on the installed Manim CE as configs/samples/rows.yaml says, when run the way
the build runs them: through its sandboxed validation worker (the session `runtime_validator`).

- every valid scene (`scenes/<key>.py`) runs: each Scene subclass it defines ends with status "ok";
- every `runtime_fail` row of `broken:` fails (at least one of its scenes);
- every `fixable` row is changed by the build's own repair (`builder.fixes.apply.repair_code`), which
  does not exclude it, and the repaired code runs.

Every program goes through one `runtime_validator.run` call (module fixture `outcomes`); the tests only
read its results, one per sample key.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from builder import guard
from builder.fixes.apply import FixOutcome, repair_code
from builder.scenes import scene_classes
from builder.validate.funnel import ValidationSettings
from builder.validate.pool import SceneTask, WorkerPool

ROOT = Path(__file__).resolve().parent.parent


def _load_samples() -> Any:
    """`make_samples.load()`: the sample scenes and broken rows, read the way the script reads them."""
    spec = importlib.util.spec_from_file_location(
        "make_samples_for_runs", ROOT / "scripts" / "make_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here while the script runs
    try:
        spec.loader.exec_module(module)
        return module.load()
    finally:
        del sys.modules[spec.name]


SAMPLES = _load_samples()
VALID = sorted(SAMPLES.scenes)
RUNTIME_FAIL = sorted(k for k, b in SAMPLES.broken.items() if b.runtime_fail and b.code)
FIXABLE = sorted(k for k, b in SAMPLES.broken.items() if b.fixable and b.code)
FIXED = "+fixed"  # label suffix of a fixable row's repaired program


def _scenes(code: str) -> list[str]:
    return scene_classes(guard.parse(code))


@pytest.fixture(scope="module")
def repairs() -> dict[str, FixOutcome]:
    return {key: repair_code(SAMPLES.broken[key].code) for key in FIXABLE}


@contextmanager
def build_scene_limits(pool: WorkerPool) -> Iterator[WorkerPool]:
    """The pool with the build's per-scene limits (wall clock, CPU, memory) for the duration.

    The session pool's test limits (6 s wall, 4 s CPU) keep hostile scenes cheap, but real samples that
    interpolate every frame take longer, and the build gives each scene the limits of `ValidationSettings()`.
    Only the per-scene fields change (they are sent with each task): the worker's process and output
    limits, fixed when it starts, stay as they are, and everything is restored afterwards.
    """
    build = ValidationSettings().limits()
    before = pool.limits
    pool.limits = replace(before, timeout_s=build.timeout_s, cpu_s=build.cpu_s, mem_bytes=build.mem_bytes)
    try:
        yield pool
    finally:
        pool.limits = before


@pytest.fixture(scope="module")
def outcomes(runtime_validator, repairs) -> dict[str, dict[str, dict[str, Any]]]:
    """Program label -> scene name -> the worker's result; every scene of every program in one run."""
    programs = {key: SAMPLES.scenes[key].code for key in VALID}
    programs |= {key: SAMPLES.broken[key].code for key in RUNTIME_FAIL}
    programs |= {key + FIXED: repairs[key].code for key in FIXABLE}
    tasks = {
        f"{label}::{scene}": (label, SceneTask(f"{label}::{scene}", code, scene, "runtime"))
        for label, code in programs.items()
        for scene in _scenes(code)
    }
    with build_scene_limits(runtime_validator) as pool:
        results = {t.id: r for t, r in pool.run(task for _, task in tasks.values())}
    by_program: dict[str, dict[str, dict[str, Any]]] = {label: {} for label in programs}
    for task_id, (label, task) in tasks.items():
        by_program[label][task.scene] = results[task_id]
    return by_program


def _failures(scenes: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {
        name: f"{r['status']} {r.get('error_type')}: {r.get('error')}"
        for name, r in scenes.items()
        if r["status"] != "ok"
    }


def test_samples_are_all_checked():
    assert VALID and RUNTIME_FAIL and FIXABLE
    assert not set(VALID) & set(SAMPLES.broken)


@pytest.mark.parametrize("key", VALID)
def test_valid_scene_runs(outcomes, key):
    scenes = outcomes[key]
    assert scenes, f"{key}: no Scene subclass with construct"
    assert not _failures(scenes)


@pytest.mark.parametrize("key", RUNTIME_FAIL)
def test_runtime_fail_row_fails(outcomes, key):
    scenes = outcomes[key]
    assert scenes, f"{key}: no Scene subclass with construct, so nothing ran"
    assert any(r["status"] == "fail" for r in scenes.values()), scenes


@pytest.mark.parametrize("key", FIXABLE)
def test_fixable_row_runs_once_repaired(outcomes, repairs, key):
    repaired = repairs[key]
    assert repaired.fixes, f"{key}: repair_code applied no fix"
    assert repaired.code != SAMPLES.broken[key].code
    assert repaired.excluded is None, f"{key}: repair_code excludes it ({repaired.excluded})"
    scenes = outcomes[key + FIXED]
    assert scenes, f"{key}: the repaired code has no Scene subclass with construct"
    assert not _failures(scenes), repaired.fixes
