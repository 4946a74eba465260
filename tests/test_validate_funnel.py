"""The funnel end to end: per-row verdicts, several scenes per program, the cache, render, CLI, sandbox check."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from builder.validate import cli
from builder.validate.funnel import FunnelStats, ValidationSettings, validate_programs, validate_records
from builder.validate.sandbox import SandboxUnavailable, check_bwrap

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
GOOD = (FIXTURES / "good.py").read_text()
TWO_SCENES = """
from manim import *


class First(Scene):
    def construct(self):
        self.play(Create(Square()))


class Second(Scene):
    def construct(self):
        self.play(Create(Circle()))
        raise RuntimeError("second scene breaks")
"""
STATIC_FAIL = "from manim import *\nclass Old(Scene):\n    def construct(self):\n        self.play(ShowCreation(Dot()))\n"


def _settings(tmp_path: Path, **kw) -> ValidationSettings:
    # warm_up off: it only pre-loads LaTeX digits (speed), and these tests start several pools
    base = dict(
        stage="runtime", jobs=2, cache_dir=tmp_path / "cache", timeout_s=30.0, cpu_s=20, warm_up=False
    )
    return ValidationSettings(**(base | kw))


def test_validate_records_and_cache(tmp_path):
    items = [("good", GOOD), ("two", TWO_SCENES), ("static", STATIC_FAIL)]
    stats = FunnelStats()
    traced = validate_records(items, _settings(tmp_path), stats)
    out = {key: verdict for key, (verdict, _) in traced.items()}
    assert out["good"].status == "ok" and out["good"].stage == "runtime"
    assert (out["good"].n_play, out["good"].n_wait, out["good"].run_time, out["good"].n_mobjects) == (
        2,
        1,
        3.5,
        2,
    )
    assert out["two"].status == "fail" and out["two"].stage == "runtime"
    assert out["two"].error.startswith("Second: RuntimeError: second scene breaks")
    assert (out["static"].stage, out["static"].error_type) == ("static", "undefined-name")
    assert (stats.programs, stats.cached, stats.scenes_run) == (3, 0, 3)

    again = FunnelStats()
    changed = GOOD.replace("BLUE", "GREEN")
    out2 = validate_records([*items, ("changed", changed)], _settings(tmp_path), again)
    assert {k: v for k, v in out2.items() if k != "changed"} == traced  # traces come from the cache too
    assert (again.cached, again.scenes_run) == (3, 1)  # only the new code ran
    assert out2["changed"][0].status == "ok"

    stricter = FunnelStats()
    validate_records(items[:1], _settings(tmp_path, mem_bytes=1536 * 1024**2), stricter)
    assert stricter.cached == 0  # settings that change verdicts key the cache


def test_per_scene_verdicts(tmp_path):
    verdicts = dict(validate_programs([("two", TWO_SCENES)], _settings(tmp_path, use_cache=False)))["two"]
    assert [(v.scene, v.status) for v in verdicts] == [("First", "ok"), ("Second", "fail")]
    assert verdicts[0].n_play == 1


def test_render_writes_last_frame_png_into_the_cache(tmp_path):
    out = dict(validate_programs([("good", GOOD)], _settings(tmp_path, stage="render")))["good"]
    assert [(v.stage, v.status) for v in out] == [("render", "ok")]
    png = Path(out[0].png)
    assert png.is_relative_to((tmp_path / "cache").resolve())
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_static_stage_runs_nothing(tmp_path):
    stats = FunnelStats()
    traced = validate_records(
        [("good", GOOD), ("static", STATIC_FAIL)], _settings(tmp_path, stage="static"), stats
    )
    assert all(trace is None for _, trace in traced.values())  # nothing ran, nothing traced
    out = {key: verdict for key, (verdict, _) in traced.items()}
    assert (out["good"].stage, out["good"].status) == ("static", "ok")
    assert out["static"].status == "fail" and stats.scenes_run == 0


def test_unsafe_mode_is_explicit_and_works(tmp_path):
    settings = _settings(tmp_path, sandbox=False, jobs=1)
    assert settings.fingerprint() != _settings(tmp_path).fingerprint()
    stats = FunnelStats()
    assert validate_records([("good", GOOD)], settings, stats)["good"][0].status == "ok"
    assert stats.sandbox is False


def test_missing_bwrap_gives_a_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without bwrap
    with pytest.raises(SandboxUnavailable, match="--unsafe-no-sandbox"):
        check_bwrap()


def test_cli_json_lines(tmp_path, capsys):
    folder = tmp_path / "scenes"
    folder.mkdir()
    (folder / "good.py").write_text(GOOD)
    (folder / "empty.py").write_text("import math\nprint(math.pi)\n")
    (folder / "two.py").write_text(TWO_SCENES)
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args([str(folder), "--json", "--jobs", "2", "--cache-dir", str(tmp_path / "c")])
    assert cli.run(args) == 1
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_scene = {(Path(r["path"]).name, r["scene"]): r for r in rows}
    assert set(by_scene) == {
        ("good.py", "Wholesome"),
        ("empty.py", None),
        ("two.py", "First"),
        ("two.py", "Second"),
    }
    for row in rows:
        assert {"path", "scene", "stage", "status", "failed_stage", "error", "seconds"} <= set(row)
        assert row["stage"] == "runtime"
    assert by_scene[("empty.py", None)]["status"] == "fail"
    assert by_scene[("empty.py", None)]["failed_stage"] == "static"
    assert by_scene[("two.py", "Second")]["failed_stage"] == "runtime"
    assert by_scene[("good.py", "Wholesome")]["status"] == "ok"


TRACED = """
from manim import *


class Traced(ThreeDScene):
    def construct(self):
        title = Text("Day 1", color=YELLOW)
        formula = MathTex(r"e^{i\\pi} + 1 = 0")
        group = VGroup(Circle(color=RED), Square())
        self.add(title)
        self.play(Write(formula), LaggedStart(*[FadeIn(m) for m in group]))
        self.play(group.animate.shift(LEFT), run_time=0.5)
        secret = open("/etc/hostname").read() if False else "x" * 3
        self.add(Text(secret + "!"))  # computed at run time: not a literal of the code
"""


def test_trace_records_what_the_scene_shows_and_only_literal_strings(tmp_path):
    ((verdict, trace),) = validate_records([("t", TRACED)], _settings(tmp_path, jobs=1)).values()
    assert verdict.status == "ok", verdict.error
    assert trace is not None and trace.camera == "3d"
    assert {"Text", "MathTex", "VGroup", "Circle", "Square"} <= set(trace.mobjects)
    assert trace.animations[:2] == ["Write", "LaggedStart"] and "FadeIn" in trace.animations
    assert "animate" in trace.animations and trace.n_animations == 3
    assert trace.texts == ["Day 1", "e^{i\\pi} + 1 = 0"]  # "xxx!" was computed, so it is not shown
    assert {"yellow", "red"} <= set(trace.colours)
    assert 1.5 <= trace.run_time < 2  # Write 1 s, the lagged fades a little more, the shift 0.5 s


def test_a_forged_trace_is_a_protocol_error():
    from builder.validate.protocol import check_result

    ok = {"status": "ok", "trace_mobjects": "Circle,Square", "trace_texts": "1:4", "trace_camera": "2d"}
    assert check_result(ok) == ok
    for forged in (
        {"trace_mobjects": "Circle; rm -rf /"},
        {"trace_texts": "the token is abc"},
        {"trace_camera": "vr"},
        {"trace_colours": "#GGGGGG"},
    ):
        assert check_result({**ok, **forged})["error_type"] == "worker-protocol"


SHOWS_NOTHING = """
from manim import *


class Walkthrough(Scene):
    def construct(self):
        frame_center = ORIGIN  # all that is left of a GL scene once `self.embed()` is removed
        self.wait()
"""
SHOWS_A_STILL = (
    "from manim import *\n\n\nclass Still(Scene):\n    def construct(self):\n        self.add(Square())\n"
)
PLAYS_THEN_CLEARS = """
from manim import *


class Flash(Scene):
    def construct(self):
        dot = Dot()
        self.play(FadeIn(dot))
        self.remove(dot)
"""


def test_a_program_that_shows_nothing_fails_as_shows_nothing(tmp_path):
    """Runs without error, but plays nothing and leaves nothing on screen: not a training example. A
    still picture or an animation that ends on a blank screen still is one."""
    items = [("nothing", SHOWS_NOTHING), ("still", SHOWS_A_STILL), ("flash", PLAYS_THEN_CLEARS)]
    out = {key: v for key, (v, _) in validate_records(items, _settings(tmp_path)).items()}
    assert (out["nothing"].status, out["nothing"].error_type) == ("fail", "shows-nothing")
    assert "no scene plays an animation" in out["nothing"].error
    assert (out["still"].status, out["still"].n_play, out["still"].n_mobjects) == ("ok", 0, 1)
    assert (out["flash"].status, out["flash"].n_play, out["flash"].n_mobjects) == ("ok", 1, 0)
