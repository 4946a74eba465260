"""Runtime stage: real manim in real bubblewrap sandboxes; hostile scenes are contained and reported."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from builder.validate.pool import SceneTask, WorkerPool

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
GOOD = (FIXTURES / "good.py").read_text()

# hostile fixture -> (scene class, acceptable error types)
HOSTILE = {
    "socket_local": ("DialHome", {"ConnectionRefusedError"}),
    "socket_public": ("CallOut", {"OSError"}),
    "read_token": ("StealToken", {"FileNotFoundError"}),
    "read_shadow": ("ReadShadow", {"PermissionError"}),
    "write_outside": ("ScribbleOutside", {"OSError"}),
    "fork_bomb": ("ForkBomb", {"timeout", "cpu-limit"}),
    "memory_bomb": ("MemoryBomb", {"memory-limit"}),
    "infinite_loop": ("Forever", {"cpu-limit", "timeout"}),
    "c_sleep": ("SleepInC", {"timeout"}),
    "exit_zero": ("QuietExit", {"silent-exit"}),
    "kill_parent": ("Patricide", {"worker-died"}),
    "segfault": ("Segfault", {"crash"}),
    "flood_stdout": ("Flood", {"output-limit"}),
}


def _run(pool: WorkerPool, tasks: list[SceneTask]) -> dict[str, dict]:
    return {task.id: result for task, result in pool.run(tasks)}


def test_hostile_scenes_are_contained_and_the_next_scene_still_passes(sandbox_only_validator):
    """The sandbox alone (the child's tamper guards off) contains every hostile scene."""
    pool = sandbox_only_validator
    tasks = []
    for name, (scene, _) in HOSTILE.items():
        tasks.append(SceneTask(name, (FIXTURES / "hostile" / f"{name}.py").read_text(), scene, "runtime"))
        tasks.append(SceneTask(f"{name}+good", GOOD, "Wholesome", "runtime"))
    restarts_before = pool.restarts
    results = _run(pool, tasks)
    for name, (_, allowed) in HOSTILE.items():
        hostile, after = results[name], results[f"{name}+good"]
        assert hostile["status"] == "fail", name
        assert hostile["error_type"] in allowed, (name, hostile)
        assert hostile["error"], name
        assert after["status"] == "ok", (name, after)
        assert (after["n_play"], after["n_wait"], after["run_time"]) == (2, 1, 3.5)
    assert "Network is unreachable" in results["socket_public"]["error"]
    assert "Read-only file system" in results["write_outside"]["error"]
    assert not Path("/work/main/ESCAPED_BY_SCENE.txt").exists()
    assert pool.restarts == restarts_before + 1  # only kill_parent took its worker down


def test_hostile_scenes_fail_with_the_tamper_guards_on(runtime_validator):
    """With the guards on (the build's default) every hostile scene still fails, some of them earlier."""
    tasks = []
    for name, (scene, _) in HOSTILE.items():
        tasks.append(SceneTask(name, (FIXTURES / "hostile" / f"{name}.py").read_text(), scene, "runtime"))
        tasks.append(SceneTask(f"{name}+good", GOOD, "Wholesome", "runtime"))
    results = _run(runtime_validator, tasks)
    for name in HOSTILE:
        assert results[name]["status"] == "fail", name
        assert results[f"{name}+good"]["status"] == "ok", name
    assert results["segfault"]["error_type"] == "tamper:ctypes.string_at"
    assert results["exit_zero"]["error_type"] == "silent-exit"


def test_secrets_under_home_are_hidden(runtime_validator):
    secret_dir = Path.home() / ".cache" / f"validate-test-{uuid.uuid4().hex}"
    secret_dir.mkdir(parents=True)
    secret = secret_dir / "token"
    secret.write_text("hf_not_a_real_token")
    try:
        assert secret.read_text() == "hf_not_a_real_token"  # readable outside the sandbox
        code = f"from manim import *\nclass Peek(Scene):\n    def construct(self):\n        self.add(Text(open({str(secret)!r}).read()))\n"
        result = _run(runtime_validator, [SceneTask("peek", code, "Peek", "runtime")])["peek"]
    finally:
        secret.unlink()
        secret_dir.rmdir()
    assert (result["status"], result["error_type"]) == ("fail", "FileNotFoundError")


LEAKER = textwrap.dedent(
    """
    from manim import *

    config.background_color = RED
    Circle.set_default(color=PURPLE)
    VMobject.flip = lambda self, *a, **k: (_ for _ in ()).throw(RuntimeError("patched"))

    class Leaker(Scene):
        def construct(self):
            self.add(Circle())
    """
)
VICTIM = textwrap.dedent(
    """
    from manim import *

    class Victim(Scene):
        def construct(self):
            assert config.background_color != RED, "background leaked"
            assert Circle().color != PURPLE, "set_default leaked"
            self.add(Square().flip())
    """
)


def test_settings_do_not_leak_between_forked_scenes(runtime_validator):
    results = _run(
        runtime_validator,
        [SceneTask("leaker", LEAKER, "Leaker", "runtime"), SceneTask("victim", VICTIM, "Victim", "runtime")],
    )
    assert results["leaker"]["status"] == "ok"
    assert results["victim"]["status"] == "ok", results["victim"]


def test_settings_would_leak_in_a_shared_process(tmp_path):
    """For the record: the same two scenes in one interpreter without fork -> the victim fails."""
    harness = textwrap.dedent(
        """
        import sys, types
        from manim import config
        config.dry_run = True
        config.verbosity = "ERROR"
        for name, code in (("leaker", sys.argv[1]), ("victim", sys.argv[2])):
            module = types.ModuleType(name)
            exec(code, module.__dict__)
            scene_cls = module.Leaker if name == "leaker" else module.Victim
            try:
                scene_cls().render()
                print(name, "ok")
            except AssertionError as exc:
                print(name, "fail", exc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", harness, LEAKER, VICTIM],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "leaker ok" in done.stdout
    assert "victim fail background leaked" in done.stdout, done.stdout + done.stderr


def test_timeline_missing_package_and_latex_error(runtime_validator):
    timeline = (
        "from manim import *\nclass T(Scene):\n    def construct(self):\n"
        "        self.play(Create(Circle()), run_time=2)\n        self.wait(0.25)\n"
        "        self.play(FadeIn(Square()), FadeIn(Dot()))\n        self.wait()\n"
    )
    missing = "from manim import *\nimport nonexistent_plugin_xyz\nclass M(Scene):\n    def construct(self):\n        pass\n"
    latex = (FIXTURES / "bench" / "fail_latex.py").read_text()
    results = _run(
        runtime_validator,
        [
            SceneTask("timeline", timeline, "T", "runtime"),
            SceneTask("missing", missing, "M", "runtime"),
            SceneTask("latex", latex, "BrokenFraction", "runtime"),
        ],
    )
    t = results["timeline"]
    assert (t["status"], t["n_play"], t["n_wait"], t["run_time"], t["n_mobjects"]) == ("ok", 2, 2, 4.25, 3)
    assert results["missing"]["error_type"] == "missing-package:nonexistent_plugin_xyz"
    assert results["latex"]["error_type"] == "latex-error"
    assert "LaTeX:" in results["latex"]["error"], results["latex"]["error"]


@pytest.mark.parametrize("name", ["fail_updater", "fail_unknown_kwarg"])
def test_runtime_failures_name_the_exception(runtime_validator, name):
    code = (FIXTURES / "bench" / f"{name}.py").read_text()
    scene = {"fail_updater": "ExplodingUpdater", "fail_unknown_kwarg": "WrongKeyword"}[name]
    result = _run(runtime_validator, [SceneTask(name, code, scene, "runtime")])[name]
    assert result["status"] == "fail"
    assert result["error"].startswith(result["error_type"] + ":")
    assert "(line " in result["error"]


FORK_MANY = """
from manim import *
import os
import time


class ForkMany(Scene):
    def construct(self):
        for _ in range(300):
            if os.fork() == 0:
                time.sleep(30)
                os._exit(0)
"""


def test_process_limit_holds_for_the_unprivileged_uid(runtime_validator):
    """RLIMIT_NPROC (64 in tests) holds because the worker is not root: a scene cannot start 300 processes."""
    results = _run(
        runtime_validator,
        [
            SceneTask("many", FORK_MANY, "ForkMany", "runtime"),
            SceneTask("good", GOOD, "Wholesome", "runtime"),
        ],
    )
    assert (results["many"]["status"], results["many"]["error_type"]) == ("fail", "BlockingIOError")
    assert results["good"]["status"] == "ok"  # the sleeping children were cleaned up
