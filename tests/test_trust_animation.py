"""The runtime check interpolates animations and runs updaters at sampled frames, so errors raised only
mid-animation fail a scene (manim's skip mode reaches only alpha 0 and 1), and look-alikes still pass."""

from __future__ import annotations

from pathlib import Path

from builder.validate.child import sample_times
from builder.validate.pool import SceneTask
from builder.validate.static import static_check

BENCH = Path(__file__).parent / "fixtures" / "validate" / "bench"


def _tasks(pattern: str) -> list[SceneTask]:
    tasks = []
    for path in sorted(BENCH.glob(pattern)):
        code = path.read_text()
        tasks += [SceneTask(f"{path.stem}::{s}", code, s, "runtime") for s in static_check(code).scenes]
    return tasks


def test_errors_raised_mid_animation_fail_and_lookalikes_pass(runtime_validator):
    failing, passing = _tasks("midanim_fail_*.py"), _tasks("midanim_ok_*.py")
    assert len(failing) >= 10 and len(passing) >= 6
    results = {task.id: result for task, result in runtime_validator.run(failing + passing)}
    assert {t.id for t in failing if results[t.id]["status"] == "ok"} == set()
    assert {t.id for t in passing if results[t.id]["status"] != "ok"} == set()
    kinds = {results[t.id]["error_type"] for t in failing}
    assert {"ZeroDivisionError", "IndexError", "ValueError"} <= kinds


def test_samples_are_frames_the_cli_renders():
    every = sample_times(2.0, 15)
    assert every == [k / 15 for k in range(30)] + [2.0]  # the -ql frame grid, then the end
    some = sample_times(2.0, 15, samples=8)
    assert len(some) == 9 and set(some[:-1]) <= set(every) and some[0] == 0.0
    assert sample_times(0.0, 15) == [0.0]
