"""Descriptions for repo scenes that only have class names: written from what each scene showed when it
ran (issue 11's "done when"), deterministic, never a reason to drop a scene that runs; and the LLM path
end to end through `build()` against the local chat-completions server (tests/chat_server.py)."""

from __future__ import annotations

import ast
import textwrap

import pytest
from chat_server import ChatServer, fenced, ok

from builder import guard
from builder.captions.describe import needs_description
from builder.captions.synthesize import synthesize
from builder.pipeline import build
from builder.schema import Trace

# A 2021-style tutorial repo: short class names, no docstrings, one scene that cannot run.
TUTE = {
    "tute1.py": """
        from manim import *


        class One(Scene):
            def construct(self):
                title = Text("Hello Manim")
                self.play(Write(title))
                self.play(title.animate.to_edge(UP), run_time=0.5)


        class Two(Scene):
            def construct(self):
                c = Circle(color=BLUE)
                s = Square(color=RED).shift(RIGHT * 2)
                self.play(Create(c), Create(s))
                self.play(Transform(c, s.copy()))
    """,
    "Tute2.py": """
        from manim import *


        class Tute2(Scene):
            def construct(self):
                axes = Axes(x_range=[-3, 3], y_range=[-1, 9])
                graph = axes.plot(lambda x: x ** 2, color=YELLOW)
                self.play(Create(axes))
                self.play(Create(graph), run_time=1)


        class Basic(Scene):
            def construct(self):
                dots = VGroup(*[Dot() for _ in range(5)]).arrange(RIGHT)
                self.play(LaggedStart(*[FadeIn(d) for d in dots]))
                self.play(dots.animate.set_color(GREEN))
    """,
    "tute3.py": """
        from manim import *


        class A3(Scene):
            def construct(self):
                arrow = Arrow(LEFT, RIGHT)
                label = Text("force").next_to(arrow, UP)
                self.play(GrowArrow(arrow), FadeIn(label))
                self.play(Rotate(arrow, PI / 2))


        class B3(Scene):
            def construct(self):
                square = Square()
                self.add(square)
                self.play(square.animate.scale(2))
                self.wait(0.2)


        class Broken(Scene):
            def construct(self):
                self.play(Create(Circle()))
                raise ValueError("half way")
    """,
}


@pytest.fixture(scope="module")
def tutorial_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("describe")
    repo = root / "tutorial_repo"
    repo.mkdir()
    for name, text in TUTE.items():
        (repo / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    sources = root / "sources.yaml"
    sources.write_text(f"sources:\n  - name: tute\n    kind: repo\n    path: {repo}\n    license: MIT\n")
    return build(sources=[sources], out_dir=root / "out", cache_dir=root / "cache", jobs=2, progress=False)


def _code_facts(code: str) -> set[str]:
    """Class names, attribute names and string literals the program really uses."""
    tree = guard.parse(code)
    facts: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            facts.add(node.id)
        elif isinstance(node, ast.Attribute):
            facts.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            facts.add(node.value)
    return {f for f in facts if len(f) >= 3}


def test_class_name_scenes_get_instructions_that_name_what_the_code_shows(tutorial_build):
    rows = [r for rows in tutorial_build.configs["clean"].values() for r in rows]
    assert {r.scene_class for r in rows} == {"One", "Two", "Tute2", "Basic", "A3", "B3"}  # none dropped
    descriptions = [r.description for r in rows]
    assert len(set(descriptions)) / len(descriptions) >= 0.9
    for rec in rows:
        assert rec.description_source == "synthesized", rec.description
        assert len(rec.description) >= 40, rec.description
        facts = _code_facts(rec.code)
        named = [f for f in facts if f in rec.description and f not in ("Scene", "construct", "self")]
        assert named, f"{rec.scene_class}: {rec.description!r} names nothing in {sorted(facts)}"
        assert rec.context  # the class name the description replaced
        assert rec.trace is not None and rec.trace.n_animations >= 1
    one = next(r for r in rows if r.scene_class == "One")
    assert '"Hello Manim"' in one.description and "Write" in one.description


def test_a_scene_that_fails_to_run_is_the_only_missing_description(tutorial_build):
    missing = [e for e in tutorial_build.exclusions if e.reason == "missing-description"]
    assert [e.stage for e in missing] == ["describe"]
    assert "half way" in (missing[0].detail or "")
    assert tutorial_build.stats["descriptions"]["by_source"]["tute"] == {"synthesized": 6}


def test_synthesised_descriptions_are_deterministic_and_vary_in_phrasing():
    trace = Trace(mobjects=["Circle"], animations=["Create"], n_animations=1, run_time=1.0)
    codes = [f"# variant {i}\n" for i in range(12)]
    first = [synthesize(trace, c, "Demo") for c in codes]
    assert first == [synthesize(trace, c, "Demo") for c in codes]
    assert len({d.split(" that ")[0] for d in first}) >= 3  # several openers across programs
    assert all("Create" in d and "circle" in d for d in first)


def test_which_descriptions_count_as_weak(make_record):
    assert needs_description(make_record(description="One", description_source="name"), 8)
    assert needs_description(make_record(description="Day 1", description_source="docstring"), 8)
    assert needs_description(make_record(description="", description_source="missing"), 8)
    assert not needs_description(make_record(description="Draw a red circle and fade it out"), 8)
    assert not needs_description(
        make_record(description="Shows a moon orbiting a planet.", description_source="docstring"), 8
    )


def rows_of(result):
    return {r.scene_class: r for rows in result.configs["clean"].values() for r in rows}


def test_llm_captions_end_to_end_with_fallback_and_cache(tmp_path, monkeypatch):
    """`--describe missing` with an endpoint: captions from the server, one bad reply falls back to the
    synthesiser with its reason in stats, and a rebuild makes no calls (the cache)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "scenes.py").write_text(textwrap.dedent(TUTE["tute1.py"]).lstrip(), encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: tute\n    kind: repo\n    path: {repo}\n    license: MIT\n")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
    caption = "A title saying Hello Manim is written and then slides up to the top edge."
    with ChatServer() as server:
        server.on("Hello Manim", ok(caption)).on("Transform(c", fenced())
        kwargs = dict(
            sources=[sources], cache_dir=tmp_path / "cache", jobs=1, progress=False, describe="missing",
            llm_base_url=server.url, llm_model="tiny-captioner",
        )  # fmt: skip
        first = build(out_dir=tmp_path / "out1", **kwargs)
        calls = len(server.requests)
        again = build(out_dir=tmp_path / "out2", **kwargs)
        assert len(server.requests) == calls + 1  # only the failed caption is asked again
    assert rows_of(first)["One"].description == caption
    rows = rows_of(first)
    assert len(rows) == 2
    by_source = {r.description_source for r in rows.values()}
    assert by_source == {"llm:tiny-captioner", "synthesized"}
    llm = first.stats["descriptions"]["describe"]["llm"]
    assert llm["fallbacks"] == {"llm-code-in-reply": 1} and llm["captioned"] == 1
    again_rows = {r.scene_class: r.description for rows in again.configs["clean"].values() for r in rows}
    assert again_rows == {k: r.description for k, r in rows.items()}
    # stats count what the captions took, whether asked now or served from the cache; this run's spend
    # is in run_info
    assert (tmp_path / "out1" / "stats.json").read_bytes() == (tmp_path / "out2" / "stats.json").read_bytes()
    assert (first.run_info["describe"]["calls"], first.run_info["describe"]["cached"]) == (2, 0)
    assert (again.run_info["describe"]["calls"], again.run_info["describe"]["cached"]) == (1, 1)
    assert llm["calls"] == 2 and llm["prompt_tokens"] > 0


def test_describe_never_means_no_calls(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "scenes.py").write_text(textwrap.dedent(TUTE["tute3.py"]).lstrip(), encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: tute\n    kind: repo\n    path: {repo}\n    license: MIT\n")
    with ChatServer() as server:
        result = build(
            sources=[sources], out_dir=None, cache_dir=tmp_path / "cache", jobs=1, progress=False,
            describe="never", llm_base_url=server.url, llm_model="m",
        )  # fmt: skip
        assert server.requests == []
    assert {r.description_source for rows in result.configs["clean"].values() for r in rows} == {
        "synthesized"
    }


def test_the_per_source_funnel_says_where_the_scenes_went(tutorial_build):
    funnel = tutorial_build.stats["source_funnels"]["tute"]
    assert funnel == funnel | {"found": 7, "extracted": 7, "cleaned": 7, "distinct": 7, "in_clean": 6}
    assert funnel["dialects"] == {"ce": 7} and funnel["static_ok"] == 7 and funnel["runtime_ok"] == 6
    assert funnel["top_reasons"] == {"missing-description": 1}
    card = (tutorial_build.out_dir / "README.md").read_text()
    assert "| `tute` | 7 | 7 | 7 (ce 7) | 7 | 7 | 6 | 6 | missing-description 1 |" in card
    assert "## Descriptions" in card and "Examples of `synthesized`" in card
