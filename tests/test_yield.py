"""Yield on realistic fixture repos (issue 14): how many scene classes the repo source finds, and how many
of them the build keeps, measured against each repo's MANIFEST.yaml (the ground truth, one row per class).

Each fixture repo goes through the build's own path: the `kind: repo` source (`iter_repo_rows`, extraction
in its crash-isolated child), `clean_row` with the build's settings (fences, fixes, exclusions), the static
check, and the runtime check in the warm sandboxed worker (`runtime_validator`). A scene is *clean* when it
survives all of them; the yield is clean scenes over the MANIFEST's scenes (an undiscovered scene counts as
lost). Run with `-s` to see the figures and the top reasons of what was lost.

Targets (issue 14): discovery >= 95% of scene classes in every repo; clean >= 30% of the 3b1b-style GL video
repo, >= 80% of the 2021 old-API tutorial repo, >= 85% of the repo built around local helper modules. The
library-checkout repo is measured for discovery only (its examples are current CE). Rows whose own text is
no description (class names such as `One`) are counted apart: the build keeps them only by writing one
from the run's trace, so they are reported, not dropped here.
"""

from __future__ import annotations

import random
import shutil
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from test_fixes_runtime import run_programs

from builder.clean import CleanSettings, clean_row
from builder.config import load_build_settings
from builder.repos.source import iter_repo_rows
from builder.schema import Exclusion, Record
from builder.sources.spec import SourceSpec
from builder.validate.static import static_check

FIXTURES = Path(__file__).parent / "fixtures" / "yield"
REPOS = ("gl_video_repo", "ce_library_repo", "ce_tutorial_2021", "ce_helpers_repo")
RUN = ("gl_video_repo", "ce_tutorial_2021", "ce_helpers_repo")  # repos whose programs go to the runtime check
RUN_ORDER = (
    "ce_tutorial_2021",
    "ce_helpers_repo",
    "gl_video_repo",
    "ce_library_repo",
)  # cheapest to clean first
DISCOVERY_TARGET = 0.95
CLEAN_TARGETS = {"gl_video_repo": 0.30, "ce_tutorial_2021": 0.80, "ce_helpers_repo": 0.85}
NOT_ROWS = ("library", "base")  # MANIFEST kinds that must never become rows
# The GL repo's clean rate is measured on a fixed random sample of its scenes, as the issue measured it
# on public repos (its LaTeX-heavy scenes cost seconds each); discovery is measured on all of them.
SAMPLES = {"gl_video_repo": 24}
SAMPLE_SEED = 14


def manifest(repo: str) -> dict:
    return yaml.safe_load((FIXTURES / repo / "MANIFEST.yaml").read_text(encoding="utf-8"))


def manifest_keys(repo: str, kinds: tuple[str, ...]) -> set[tuple[str, str]]:
    return {(s["file"], s["scene"]) for s in manifest(repo)["scenes"] if s["kind"] in kinds}


@dataclass
class RepoYield:
    repo: str
    expected: set[tuple[str, str]]  # MANIFEST scenes
    measured: set[tuple[str, str]]  # the scenes whose clean rate is measured (all, or a sample)
    found: set[tuple[str, str]] = field(default_factory=set)  # (file, class) of every scene row
    clean: set[tuple[str, str]] = field(default_factory=set)
    weak_description: set[tuple[str, str]] = field(
        default_factory=set
    )  # clean, but no description of its own
    lost: dict[tuple[str, str], str] = field(default_factory=dict)  # scene -> reason it is not clean
    ready: list[tuple[tuple[str, str], Record]] = field(default_factory=list)  # passed static: to run

    @property
    def discovery(self) -> float:
        return len(self.found & self.expected) / len(self.expected)

    @property
    def clean_rate(self) -> float:
        return len(self.clean & self.measured) / len(self.measured)


def _error_type(errors: tuple[str, ...]) -> str:
    """`runtime:<type>` from run_programs' "<scene>: <type>: <message>" (the first scene that failed)."""
    parts = errors[0].split(": ") if errors else []
    return f"runtime:{parts[1] if len(parts) > 1 else 'fail'}"


@pytest.fixture(scope="module")
def yields(runtime_validator, tmp_path_factory) -> dict[str, RepoYield]:
    """Every repo through source, cleaning and the static check; each repo's programs go to the warm worker
    as soon as they are ready (one repo at a time, in a helper thread), so the next repo is cleaned while
    the worker runs the last one's scenes."""
    settings = load_build_settings()
    clean_settings = CleanSettings(
        max_code_chars=settings.max_code_chars,
        max_ast_nodes=settings.max_ast_nodes,
        min_description_chars=settings.min_description_chars,
        disabled_fixes=tuple(settings.disabled_fixes),
    )
    cache = tmp_path_factory.mktemp("yield-cache")
    started = time.perf_counter()
    out: dict[str, RepoYield] = {}
    pending: list[tuple[RepoYield, Future]] = []
    with ThreadPoolExecutor(max_workers=1) as runner:
        for repo in sorted(REPOS, key=RUN_ORDER.index):  # cheap repos first: the worker starts early
            result = out[repo] = _source_and_clean(repo, cache, clean_settings)
            if result.ready:
                codes = [rec.code for _, rec in result.ready]
                pending.append((result, runner.submit(run_programs, runtime_validator, codes)))
        cleaned = time.perf_counter()
        for result, future in pending:
            for (key, rec), run in zip(result.ready, future.result(), strict=True):
                if not run.ok:
                    result.lost[key] = _error_type(run.errors)
                    continue
                result.clean.add(key)
                weak = rec.description_source in ("name", "missing")
                if weak or len(rec.description.strip()) < settings.min_description_chars:
                    result.weak_description.add(key)
    for result in out.values():
        for key in result.expected - result.found:
            result.lost[key] = "not-discovered"
        result.lost = {k: v for k, v in result.lost.items() if k in result.measured}
    n_run = sum(len(result.ready) for result, _ in pending)
    _print(out, (cleaned - started, time.perf_counter() - started, n_run))
    return out


def _source_and_clean(repo: str, cache: Path, clean_settings: CleanSettings) -> RepoYield:
    """The repo's rows from the `kind: repo` source; the measured ones cleaned and statically checked."""
    expected = manifest_keys(repo, ("scene",))
    n = SAMPLES.get(repo, len(expected))
    measured = set(random.Random(SAMPLE_SEED).sample(sorted(expected), n))
    result = RepoYield(repo, expected, measured)
    spec = SourceSpec(name=repo, kind="repo", path=str(FIXTURES / repo))
    for raw in iter_repo_rows(spec, cache):
        if not raw.origin.class_name:  # a file that yields no scene (e.g. it does not parse)
            continue
        key = (raw.origin.path, raw.origin.class_name)
        result.found.add(key)
        if repo not in RUN or key not in result.measured:
            continue
        cleaned = clean_row(raw, clean_settings)
        if isinstance(cleaned, Exclusion):
            result.lost[key] = cleaned.reason
            continue
        report = static_check(cleaned.code)
        if not report.ok:
            result.lost[key] = f"static:{report.error_type}"
        else:
            result.ready.append((key, cleaned))
    return result


def _print(out: dict[str, RepoYield], seconds: tuple[float, float, int]) -> None:
    print(
        f"\nyield per fixture repo (issue 14): sources and cleaning done after {seconds[0]:.0f} s,"
        f" {seconds[2]} programs through the runtime check after {seconds[1]:.0f} s"
    )
    for r in out.values():
        line = f"  {r.repo:18} discovery {len(r.found & r.expected)}/{len(r.expected)} = {r.discovery:.0%}"
        if r.repo in RUN:
            sampled = f" (a sample of {len(r.measured)})" if r.measured != r.expected else ""
            line += (
                f"; clean {len(r.clean & r.measured)}/{len(r.measured)}{sampled} = {r.clean_rate:.0%}"
                f" (target {CLEAN_TARGETS[r.repo]:.0%}); {len(r.weak_description)} of the clean rows have no"
                " description of their own (the build writes one from the trace)"
            )
        print(line)
        reasons = Counter(r.lost.values())
        if r.repo in RUN and reasons:
            print("    lost: " + ", ".join(f"{reason} {count}" for reason, count in reasons.most_common()))
        hopeless = {
            f"{s['file']}::{s['scene']}"
            for s in manifest(r.repo)["scenes"]
            if s.get("expect") == "unconvertible" and (s["file"], s["scene"]) in r.clean
        }
        if hopeless:  # runs, but without what the MANIFEST says makes the scene (interaction, shaders...)
            print(f"    clean although the MANIFEST calls them unconvertible: {', '.join(sorted(hopeless))}")


@pytest.mark.parametrize("repo", REPOS)
def test_discovery(yields, repo):
    result = yields[repo]
    assert result.discovery >= DISCOVERY_TARGET, sorted(result.expected - result.found)
    assert not result.found & manifest_keys(repo, NOT_ROWS)  # library and base classes are not rows
    unknown = result.found - manifest_keys(repo, ("scene", "unparsable"))
    assert not unknown, f"rows the MANIFEST does not list: {sorted(unknown)}"


@pytest.mark.parametrize("repo", sorted(CLEAN_TARGETS))
def test_clean_yield(yields, repo):
    result = yields[repo]
    lost = {f"{path}::{scene}": reason for (path, scene), reason in sorted(result.lost.items())}
    assert result.clean_rate >= CLEAN_TARGETS[repo], lost


def test_docs_examples_of_the_vendored_library_are_rows(yields):
    """`.. manim::` examples count in rst files and in the docstrings of the library's own modules."""
    found = yields["ce_library_repo"].found
    assert any(path.startswith("docs/") and path.endswith(".rst") for path, _ in found)
    assert any(path.startswith("manim/") for path, _ in found)
    assert ("manim/mobject/geometry.py", "ArrowFanExample") in found


def test_dead_code_after_not_implemented_does_not_reject_the_scenes_that_carry_it(yields):
    """`ArrayView.insert` reads the undefined `insert_index` after `raise NotImplementedError()`: every scene
    built on ArrayView carries that method and still runs; only InsertDemo, which calls it, fails."""
    result = yields["ce_helpers_repo"]
    assert ("scenes/sorting.py", "BubbleSortPass") in result.clean
    assert result.lost[("scenes/extras.py", "InsertDemo")] == "runtime:NotImplementedError"
    assert not any("insert_index" in reason for reason in result.lost.values())


def test_names_fixes_supply_are_not_rejected_at_extraction(yields):
    """`ParametricSurface` and `GraphScene` no longer exist in CE, but the upgrade fixes replace them, so
    extraction carries them and the scenes run."""
    result = yields["ce_tutorial_2021"]
    assert {
        ("tute4_3d.py", "ThreeD1"),
        ("tute4_3d.py", "ThreeD2"),
        ("tute3_graphs.py", "Graph1"),
    } <= result.clean
    assert result.lost[("tute3_graphs.py", "Graph2")] == "upgrade:graph-scene"


def test_gl_repo_without_its_manim_imports_ext_is_converted(runtime_validator, tmp_path):
    """A GL video repo that imports `manim_imports_ext` without shipping it is written against that module,
    which re-exports manimlib: the scene is GL code (converted to `from manim import *`), not a scene that
    needs a missing local module."""
    repo = tmp_path / "videos"
    shutil.copytree(FIXTURES / "gl_video_repo" / "_2021", repo / "_2021")
    (repo / "_2021" / "shared_constructs.py").unlink()  # keep one file whose imports all resolve
    (repo / "_2021" / "dice_sums.py").unlink()
    (repo / "_2021" / "harmonic_series.py").unlink()
    rows = {
        r.origin.class_name: r
        for r in iter_repo_rows(SourceSpec(name="videos", kind="repo", path=str(repo)), tmp_path / "cache")
    }
    walk = rows["RandomWalkOnGrid"]
    assert walk.excluded is None, (walk.excluded, walk.detail)
    assert not any((r.excluded or "").startswith("missing-module:manim_imports_ext") for r in rows.values())
    cleaned = clean_row(walk, CleanSettings(min_description_chars=0))
    assert isinstance(cleaned, Record) and "from manim import *" in cleaned.code
    assert "manim_imports_ext" not in cleaned.code and cleaned.dialect == "gl"
    assert run_programs(runtime_validator, [cleaned.code])[0].ok
