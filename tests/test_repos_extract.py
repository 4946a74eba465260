"""Repo extraction on the fixture repos: goldens, self-containment of every program, exclusion reasons,
scene discovery rules, licences, descriptions, and the `kind: repo` source (local dir and git URL).

Goldens live beside the fixture repos as `<repo>.expected.json`; after an intended change regenerate them
with `UPDATE_REPO_GOLDENS=1 pytest tests/test_repos_extract.py` and review the diff.
"""

from __future__ import annotations

import argparse
import builtins
import json
import os
import shutil
import subprocess
import symtable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.fixes.catalogue import supplied_names
from builder.repos import cli
from builder.repos.datafiles import text_literal
from builder.repos.describe import describe_class, split_name
from builder.repos.discover import SCENE_BASES, find_scenes
from builder.repos.extract import extract_repo, manim_exports
from builder.repos.license import detect_license, identify_text
from builder.repos.modules import RepoIndex
from builder.repos.repo_files import RepoFiles
from builder.repos.source import iter_repo_rows

FIXTURES = Path(__file__).parent / "fixtures" / "repos"
REPOS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _golden(repo: str) -> dict:
    root = FIXTURES / repo
    results = [r.as_json() for r in extract_repo(root)]
    files = RepoFiles(root).list()
    index = RepoIndex(root.resolve(), frozenset(f for f in files if f.endswith(".py")), manim_exports())
    _, base_only = find_scenes(index, [f for f in files if f.endswith(".py")])
    return {
        "repo": repo,
        "license": detect_license(RepoFiles(root)),
        "base_only": sorted(f"{b.module}::{b.name}" for b in base_only),
        "scenes": results,
    }


def test_at_least_six_fixture_repos():
    assert len(REPOS) >= 6


@pytest.mark.parametrize("repo", REPOS)
def test_golden(repo):
    expected_file = FIXTURES / f"{repo}.expected.json"
    actual = _golden(repo)
    if os.environ.get("UPDATE_REPO_GOLDENS"):
        expected_file.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert actual == expected


def _free_globals(code: str, *, lazy: bool = True) -> set[str]:
    """Names a program reads that nothing in it binds; `lazy=False` keeps only those read when the
    module runs (module level and class bodies, not function bodies)."""
    top = symtable.symtable(code, "<program>", "exec")
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    free: set[str] = set()

    def walk(table: symtable.SymbolTable) -> None:
        if not lazy and table.get_type() == "function":
            return
        for sym in table.get_symbols():
            if sym.is_referenced() and (table is top or sym.is_global()) and sym.get_name() not in bound:
                if table is top and (sym.is_assigned() or sym.is_imported()):
                    continue
                free.add(sym.get_name())
        for child in table.get_children():
            walk(child)

    walk(top)
    return free


def _all_results() -> list[tuple[str, object]]:
    return [(repo, res) for repo in REPOS for res in extract_repo(FIXTURES / repo)]


def test_every_program_parses_compiles_and_only_carries_names_fixes_or_the_runtime_handle():
    """Fix before reject: a free name in a program is one a fix supplies, or one only function bodies
    read (Python fails only if that line runs); nothing the module runs on import is left undefined."""
    manim_names = set(manim_exports())
    allowed = set(dir(builtins)) | {"__file__", "__name__"} | supplied_names()
    checked = carried = 0
    for repo, res in _all_results():
        if res.status != "ok":
            continue
        compile(res.code, res.locator, "exec")
        known = manim_names if "from manim import *" in res.code else set()
        if "from manimlib import *" in res.code:  # names come from ManimGL's star import (not installed)
            continue
        assert not _free_globals(res.code, lazy=False) - known - allowed, (repo, res.locator)
        carried += bool(_free_globals(res.code) - known - allowed)
        checked += 1
    assert checked >= 20
    assert carried >= 1  # clash_cycles' UsesUndefinedHelper reads an undefined name in construct


def test_free_name_check_catches_a_missing_definition():
    assert _free_globals(
        "from manim import *\nclass A(Scene):\n    def construct(self):\n        helper()\n"
    ) - set(manim_exports()) == {"helper"}


def test_exclusion_reasons():
    reasons = {(r.path, r.scene): r.reason for _, r in _all_results() if r.status == "excluded"}
    assert reasons == {
        ("broken_scenes.py", "UsesMissingModule"): "missing-module:old_helpers",
        # read inside construct only: carried to the runtime stage (UsesUndefinedHelper, UsesRuntimeName)
        ("broken_scenes.py", "UsesUndefinedOnImport"): "unresolved-name:UNDEFINED_SIDE",
        ("scenes/plot_points.py", "ReadBlob"): "data-file-binary:scenes/data/blob.bin",
        ("legacy_py2.py", ""): "unparsable-file:ParserSyntaxError",  # Python 2 print statement
    }


def test_excluded_rows_carry_the_original_class_not_a_half_inlined_program():
    for _, res in _all_results():
        if res.status == "excluded" and res.scene:
            assert res.code.lstrip().startswith("class "), res.locator


def test_name_clash_is_renamed_deterministically_and_recorded():
    res = next(r for r in extract_repo(FIXTURES / "clash_cycles") if r.scene == "ClashScene")
    assert "INL001" in res.fixes and "INL003" in res.fixes
    assert "def make_shape():" in res.code and "def make_shape_geometry():" in res.code
    again = next(r for r in extract_repo(FIXTURES / "clash_cycles") if r.scene == "ClashScene")
    assert again.code == res.code


def test_programs_define_nothing_another_scene_needs_only():
    by_scene = {r.scene: r for _, r in _all_results() if r.status == "ok"}
    # a sibling scene's helpers do not leak in
    assert "is_even" not in by_scene["CountDots"].code and "WAVE_COLORS" not in by_scene["CountDots"].code
    assert "unused_helper" not in by_scene["BadgeIntro"].code
    # the overriding subclass carries its parent scene
    assert "class CountDots(Scene):" in by_scene["CountDotsRed"].code
    # module-level config of the scene's file is kept
    assert 'config.background_color = "#141414"' in by_scene["SpinDemo"].code
    # sys.path edits and __main__ blocks are dropped
    assert "sys.path" not in by_scene["BadgeIntro"].code and "__main__" not in by_scene["ParityDemo"].code


def test_base_scenes_that_only_exist_to_be_subclassed_are_not_rows():
    scenes = {(r.path, r.scene) for _, r in _all_results()}
    assert ("scenes.py", "BaseDemo") not in scenes  # trivial construct
    assert ("lessons/common.py", "LessonBase") not in scenes  # raise NotImplementedError hook
    assert ("base/slide_base.py", "BaseSlide") not in scenes  # named as a base and subclassed
    assert ("deck.py", "FirstSlide") in scenes  # subclassed, but a real scene


def test_scene_bases_cover_installed_manim():
    import manim

    installed = {
        n
        for n in dir(manim)
        if isinstance(getattr(manim, n), type) and issubclass(getattr(manim, n), manim.Scene)
    }
    assert installed <= SCENE_BASES


@pytest.mark.parametrize(
    ("repo", "spdx"),
    [
        ("reexport_lib", "MIT"),
        ("relative_pkg", "Apache-2.0"),
        ("clash_cycles", "GPL-3.0-only"),
        ("syspath_data", "CC-BY-NC-SA-4.0"),
        ("docs_notebooks", "BSD-3-Clause"),
        ("templates_plugins", "Unlicense"),
        ("big_file", "unknown"),
    ],
)
def test_license_detection(repo, spdx):
    assert detect_license(RepoFiles(FIXTURES / repo)) == spdx


def test_identify_text_does_not_guess():
    assert identify_text("All rights reserved. Do not copy.") is None


def test_split_name_and_description_sources():
    import libcst as cst

    assert split_name("SquareToCircle") == "Square to circle"
    assert split_name("LaTeXDemo3D") == "LaTeX demo 3D"
    mod = cst.parse_module(
        "import os\n\n# unrelated\n\n# Draws a grid.\n# Then fades it.\nclass GridScene(Scene):\n    pass\n"
    )
    assert describe_class(mod.body[1]).source == "comment"
    assert describe_class(mod.body[1]).text == "Draws a grid. Then fades it."
    mod = cst.parse_module('class GridScene(Scene):\n    """Doc here."""\n')
    assert (describe_class(mod.body[0]).text, describe_class(mod.body[0]).source) == (
        "Doc here.",
        "docstring",
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_text_literal_reproduces_any_text_exactly(text):
    import ast

    assert ast.literal_eval(text_literal(text)) == text


@dataclass
class _Spec:
    name: str
    path: str
    kind: str = "repo"
    revision: str | None = None
    license: str = "unknown"
    priority: int = 40
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    base_dir: Path = Path(".")


def test_iter_repo_rows_local_dir_with_globs_and_provenance(tmp_path):
    spec = _Spec("fx", str(FIXTURES / "big_file"), exclude=("**/nothing.py",))
    rows = list(iter_repo_rows(spec, tmp_path))
    assert [r.locator for r in rows] == [
        "scenes.py::CountDots", "scenes.py::CountDotsRed", "scenes.py::SpinDemo", "scenes.py::ParityDemo",
    ]  # fmt: skip
    row = rows[0]
    assert row.origin.class_name == "CountDots" and row.origin.path == "scenes.py"
    assert (row.origin.line_start, row.origin.line_end) == (29, 39)
    assert row.priority == 40 and row.license == "unknown" and row.excluded is None
    assert row.description_source == "docstring" and row.fixes == ("INL005",)
    only = list(
        iter_repo_rows(_Spec("fx", str(FIXTURES / "templates_plugins"), include=("deck.py",)), tmp_path)
    )
    assert [r.origin.class_name for r in only] == ["FirstSlide", "SecondSlide"]


def test_iter_repo_rows_excludes_blocked_licences(tmp_path):
    spec = _Spec("fx", str(FIXTURES / "syspath_data"), options={"exclude_licenses": ["CC-BY-NC-SA-4.0"]})
    rows = list(iter_repo_rows(spec, tmp_path))
    assert {r.excluded for r in rows} == {"license:CC-BY-NC-SA-4.0", "data-file-binary:scenes/data/blob.bin"}


def test_iter_repo_rows_with_source_spec_and_git_url(tmp_path):
    from builder.sources.spec import SourceSpec

    work = tmp_path / "src" / "relative_pkg"
    shutil.copytree(FIXTURES / "relative_pkg", work)
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    first = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    (work / "lessons" / "three.py").write_text(
        "from .common import *\n\n\nclass ThirdLesson(LessonBase):\n    def body(self):\n        self.wait(0.2)\n"
    )
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "two"], check=True)
    url = f"file://{work}"
    spec = SourceSpec(name="rp", kind="repo", path=url, revision=first, priority=60)
    rows = list(iter_repo_rows(spec, tmp_path / "cache"))
    assert [r.origin.class_name for r in rows] == ["GridLesson", "ColorLesson"]  # pinned: no ThirdLesson
    assert {r.origin.revision for r in rows} == {first} and {r.origin.dataset for r in rows} == {url}
    assert {r.license for r in rows} == {"Apache-2.0"}
    head = list(iter_repo_rows(SourceSpec(name="rp", kind="repo", path=url), tmp_path / "cache"))
    assert "ThirdLesson" in [r.origin.class_name for r in head]
    assert len(list((tmp_path / "cache" / "repos").iterdir())) == 1  # cloned once


def test_cli_extract_writes_one_json_object_per_scene(tmp_path):
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    out = tmp_path / "out.jsonl"
    assert cli.run(parser.parse_args([str(FIXTURES / "clash_cycles"), "--out", str(out)])) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 6
    required = {
        "path",
        "scene",
        "status",
        "code",
        "reason",
        "description",
        "dialect",
        "license",
        "line_start",
        "line_end",
    }
    assert all(required <= set(r) for r in rows)
    assert {r["status"] for r in rows} == {"ok", "excluded"}
    assert cli.run(parser.parse_args([str(tmp_path / "missing")])) == 2


def test_oversized_data_file_excludes_the_scene_with_a_reason():
    results = {r.scene: r for r in extract_repo(FIXTURES / "syspath_data", max_datafile_bytes=20)}
    assert results["PlotPoints"].reason == "data-file-too-large:scenes/data/points.csv"
    assert results["WriteCaption"].reason == "data-file-too-large:scenes/data/caption.txt"


def _write_repo(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_dotted_imports_package_all_and_module_objects(tmp_path):
    repo = _write_repo(
        tmp_path / "r",
        {
            "pkg/__init__.py": 'from .sub.tools import *\n__all__ = ["grow", "SHRINK"]\nSHRINK = 0.5\n',
            "pkg/sub/__init__.py": "",
            "pkg/sub/tools.py": "from manim import *\n\ndef grow(m, k=2):\n    return m.scale(k)\n\ndef deco(f):\n    return f\n",
            "a.py": (
                "from manim import *\nimport pkg.sub.tools\nfrom pkg import *\n\n"
                "class Dotted(Scene):\n    def construct(self):\n"
                "        self.add(pkg.sub.tools.grow(Square()), grow(Dot(), SHRINK))\n\n"
                "class NotExported(Scene):\n    def construct(self):\n        self.add(deco(Square()))\n\n"
                "class ModuleObject(Scene):\n    def construct(self):\n        self.add(Square())\n        print(pkg)\n"
            ),
        },
    )
    results = {r.scene: r for r in extract_repo(repo, license="MIT")}
    dotted = results["Dotted"]
    assert dotted.status == "ok" and "self.add(grow(Square()), grow(Dot(), SHRINK))" in dotted.code
    assert "INL003" in dotted.fixes and "import pkg" not in dotted.code
    not_exported = results["NotExported"]  # `__all__` limits the star import: `deco` is not inlined,
    assert not_exported.status == "ok" and "def deco" not in not_exported.code  # but carried to the runtime
    assert results["ModuleObject"].reason == "unsupported:module-object:pkg"
