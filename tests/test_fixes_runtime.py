"""The fix tests' runtime check: programs run through the build's own sandboxed worker.

`run_programs` is shared by the fix test modules (each calls it once, from a module-scoped fixture, on
all its programs): every scene class a program defines becomes one `SceneTask` for conftest's warm
`runtime_validator` pool, and the program passes when each of them gets status "ok". A program that
defines no scene fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from builder import guard
from builder.scenes import scene_classes
from builder.validate.pool import SceneTask, WorkerPool
from builder.validate.static import static_check


@dataclass(frozen=True, slots=True)
class ProgramRun:
    ok: bool
    errors: tuple[str, ...] = ()  # "<scene>: <error type>: <message>" for each scene that failed


def program_scenes(code: str) -> list[str]:
    """The scene classes of a program; `scene_classes` for code the static check rejects (e.g. GL)."""
    scenes = static_check(code).scenes
    if scenes:
        return list(scenes)
    try:
        return scene_classes(guard.parse(code))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []


def run_programs(pool: WorkerPool, codes: Sequence[str]) -> list[ProgramRun]:
    """Run every scene of every program in one `pool.run` call; results in input order."""
    scenes = [program_scenes(code) for code in codes]
    tasks = [
        SceneTask(f"{i}:{scene}", code, scene, "runtime")
        for i, (code, names) in enumerate(zip(codes, scenes, strict=True))
        for scene in names
    ]
    results = {task.id: result for task, result in pool.run(tasks)}
    runs = []
    for i, names in enumerate(scenes):
        failed = [(s, results[f"{i}:{s}"]) for s in names if results[f"{i}:{s}"].get("status") != "ok"]
        errors = tuple(f"{s}: {r.get('error_type')}: {r.get('error')}" for s, r in failed)
        runs.append(ProgramRun(bool(names) and not failed, errors if names else ("no scene",)))
    return runs


_GOOD = (
    "from manim import *\n\n\nclass A(Scene):\n    def construct(self):\n        self.play(Create(Dot()))\n"
)
_PROGRAMS = {
    "good": _GOOD,
    "two-good": _GOOD + "\n\nclass B(A):\n    pass\n",
    "one-bad": _GOOD + "\n\nclass B(Scene):\n    def construct(self):\n        self.add(Nope())\n",
    "no-scene": "from manim import *\n\nx = Dot()\n",
    "syntax": "class A(Scene):\n    def construct(self:\n",
    "gl": "from manimlib import *\n\n\nclass A(Scene):\n    def construct(self):\n        self.add(Dot())\n",
}


@pytest.fixture(scope="module")
def runs(runtime_validator) -> dict[str, ProgramRun]:
    return dict(zip(_PROGRAMS, run_programs(runtime_validator, list(_PROGRAMS.values())), strict=True))


def test_a_program_passes_only_when_every_scene_passes(runs):
    assert runs["good"].ok and runs["two-good"].ok
    assert not runs["one-bad"].ok and runs["one-bad"].errors[0].startswith("B: ")


def test_programs_without_a_runnable_scene_fail(runs):
    assert runs["no-scene"] == ProgramRun(False, ("no scene",))
    assert runs["syntax"] == ProgramRun(False, ("no scene",))
    assert not runs["gl"].ok  # found by `scene_classes` (the static check rejects manimlib), then run
    assert program_scenes(_PROGRAMS["gl"]) == ["A"]
