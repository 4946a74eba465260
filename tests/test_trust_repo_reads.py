"""A repo is hostile: extraction (which runs outside the sandbox) reads nothing outside it, no special
file, nothing huge, and no odd notebook or file count crashes or hangs it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from builder.repos.extract import extract_repo
from builder.repos.repo_files import RepoFiles, RepoLimits, RepoReadError

SECRET = "hf_THIS_IS_A_FAKE_SECRET_TOKEN_0123456789"
SCENE = "from manim import *\n\n\nclass {name}(Scene):\n    def construct(self):\n{body}\n"


def _scene(name: str, *body: str, head: str = "") -> str:
    return head + SCENE.format(name=name, body="\n".join("        " + b for b in body))


@pytest.fixture()
def hostile_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A repo whose links point at a fake token outside it, at /proc and at a FIFO, plus one good scene."""
    outside = tmp_path / "home" / ".cache" / "huggingface"
    outside.mkdir(parents=True)
    (outside / "token").write_text(SECRET)
    (outside / "helpers.py").write_text(f"TOKEN = {SECRET!r}\n\n\ndef label():\n    return TOKEN\n")
    (outside / "pkg").mkdir()
    (outside / "pkg" / "__init__.py").write_text("")
    (outside / "pkg" / "tools.py").write_text(f"VALUE = {SECRET!r}\n")
    (outside / "table.csv").write_text(f"a,b\n{SECRET},1\n")

    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    os.symlink(outside / "token", repo / "data.txt")
    os.symlink(outside / "helpers.py", repo / "helpers.py")
    os.symlink(outside / "pkg", repo / "linked")
    os.symlink("../../..", repo / "sub" / "up")  # climbs out of the repo
    os.symlink(outside / "table.csv", repo / "table.csv")
    os.symlink("/proc/self/pagemap", repo / "pagemap.txt")
    os.symlink("/proc/self/pagemap", repo / "pagemap_mod.py")
    os.mkfifo(repo / "pipe.txt")
    with open(repo / "huge.txt", "wb") as fh:  # 1.5 GB, sparse: costs nothing on disk
        fh.truncate(1536 * 1024**2)
    (repo / "ok.txt").write_text("inside the repo\n")
    climb = os.path.relpath(outside / "token", tmp_path)  # sub/up is tmp_path/..
    scenes = {
        "token.py": _scene("Token", 'self.add(Text(open("data.txt").read()))'),
        "helper.py": _scene("Helper", "self.add(Text(label()))", head="from helpers import label\n"),
        "linkdir.py": _scene("LinkDir", "self.add(Text(VALUE))", head="from linked.tools import VALUE\n"),
        "climb.py": _scene("Climb", f'self.add(Text(open("sub/up/{tmp_path.name}/{climb}").read()))'),
        "table.py": _scene(
            "Table", 'self.add(Text(str(pd.read_csv("table.csv").iloc[0, 0])))', head="import pandas as pd\n"
        ),
        "pagemap.py": _scene("Pagemap", 'self.add(Text(open("pagemap.txt").read()))'),
        "pipe.py": _scene("Pipe", 'self.add(Text(open("pipe.txt").read()))'),
        "huge.py": _scene("Huge", 'self.add(Text(open("huge.txt").read()))'),
        "good.py": _scene("Good", 'self.add(Text(open("ok.txt").read()))'),
    }
    for name, text in scenes.items():
        (repo / name).write_text(text)
    return repo, outside


def test_extraction_reads_nothing_outside_the_repo(hostile_repo):
    repo, _ = hostile_repo
    results = {(r.path, r.scene): r for r in extract_repo(repo)}
    reasons = {key: r.reason for key, r in results.items()}
    assert reasons[("token.py", "Token")] == "outside-repo:data.txt"
    assert reasons[("helper.py", "Helper")] == "outside-repo:helpers.py"
    assert reasons[("linkdir.py", "LinkDir")] == "outside-repo:linked/tools.py"
    assert reasons[("climb.py", "Climb")].startswith("outside-repo:sub/up/")
    assert reasons[("table.py", "Table")] == "outside-repo:table.csv"
    assert reasons[("pagemap.py", "Pagemap")] == "outside-repo:pagemap.txt"
    assert reasons[("pipe.py", "Pipe")] == "special-file:pipe.txt"
    assert reasons[("huge.py", "Huge")] == "data-file-too-large:huge.txt"
    assert reasons[("pagemap_mod.py", "")] == "outside-repo:pagemap_mod.py"  # a .py link: never read
    assert reasons[("helpers.py", "")] == "outside-repo:helpers.py"
    good = results[("good.py", "Good")]
    assert good.status == "ok" and "inside the repo" in good.code
    for result in results.values():
        assert SECRET not in (result.code or "") and SECRET not in (result.description or "")


def test_build_of_a_hostile_repo_publishes_no_secret(hostile_repo, tmp_path, build_cache):
    from builder.pipeline import build

    repo, _ = hostile_repo
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: hostile\n    kind: repo\n    path: {repo}\n    license: MIT\n")
    out = tmp_path / "dist"
    result = build(sources=[sources], out_dir=out, cache_dir=build_cache, progress=False, jobs=1)
    assert result.stats["accounting"]["ok"]
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    excluded = pq.read_table(out / "excluded.parquet").to_pylist()
    assert {"outside-repo:data.txt", "special-file:pipe.txt"} <= {e["reason"] for e in excluded}


def test_repo_files_refuses_links_out_special_files_and_oversized_reads(hostile_repo):
    repo, _ = hostile_repo
    fs = RepoFiles(repo, RepoLimits(max_file_bytes=1024))
    for rel, reason in [
        ("data.txt", "outside-repo:data.txt"),
        ("pipe.txt", "special-file:pipe.txt"),
        ("huge.txt", "file-too-large:huge.txt"),
        ("pagemap.txt", "outside-repo:pagemap.txt"),
    ]:
        with pytest.raises(RepoReadError) as caught:
            fs.read_bytes(rel)
        assert caught.value.reason == reason
    assert fs.read_text("ok.txt") == "inside the repo\n"
    listed = fs.list()
    assert "linked/tools.py" not in listed  # symlinked folders are not entered
    assert "data.txt" in listed  # links are listed; reading them is what is refused


@pytest.mark.timeout(120)
def test_many_empty_files_and_the_file_limit(tmp_path):
    repo = tmp_path / "empty"
    repo.mkdir()
    for i in range(10_000):
        (repo / f"f{i}.py").touch()
    (repo / "scene.py").write_text(_scene("Lonely", "self.add(Circle())"))
    results = list(extract_repo(repo))
    assert [(r.scene, r.status) for r in results] == [("Lonely", "ok")]
    limited = list(extract_repo(repo, limits=RepoLimits(max_files=500)))
    assert len(limited) == 1 and limited[0].reason.startswith("limit:repo-files")


def test_odd_notebooks_give_no_scene_and_no_crash(tmp_path):
    repo = tmp_path / "nb"
    repo.mkdir()
    good_cell = {"cell_type": "code", "source": ["from manim import *\n", _scene("Fine", "self.add(Dot())")]}
    docs = {
        "null_source.ipynb": {"cells": [{"cell_type": "code", "source": [None]}, good_cell]},
        "cells_int.ipynb": {"cells": 5},
        "not_object.ipynb": [1, 2, 3],
        "source_dict.ipynb": {"cells": [{"cell_type": "code", "source": {"a": 1}}]},
    }
    for name, doc in docs.items():
        (repo / name).write_text(json.dumps(doc))
    (repo / "deep.ipynb").write_text("[" * 100_000 + "]" * 100_000)
    (repo / "broken.ipynb").write_text("{not json")
    results = list(extract_repo(repo))
    assert [(r.path, r.scene, r.status) for r in results] == [("null_source.ipynb", "Fine", "ok")]


def test_hard_links_and_very_deep_folders(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text(SECRET)
    repo = tmp_path / "repo"
    deep = repo
    for _ in range(1100):  # deeper than Python's recursion limit
        deep = deep / "d"
        deep.mkdir(parents=deep.parent == repo)
    (deep / "scene.py").write_text(_scene("Deep", "self.add(Dot())"))
    os.link(outside, repo / "data.txt")
    (repo / "linked.py").write_text(_scene("Linked", 'self.add(Text(open("data.txt").read()))'))
    try:
        results = {(r.path.rsplit("/", 1)[-1], r.scene): r for r in extract_repo(repo)}
    finally:  # shutil.rmtree (pytest's clean-up) recurses per level: take the tower down from the top
        (deep / "scene.py").unlink()
        while deep != repo:
            deep.rmdir()
            deep = deep.parent
    assert results[("linked.py", "Linked")].reason == "special-file:data.txt"
    assert results[("scene.py", "Deep")].status == "ok"
    assert all(SECRET not in (r.code or "") for r in results.values())


def test_a_file_that_kills_extraction_is_excluded_and_the_rest_goes_on(tmp_path, monkeypatch):
    """The extraction child dies (here: a SIGSEGV in our own describer for one class, standing in for
    a native parser crash); that scene becomes `crash:source` and a fresh child extracts the rest."""
    import signal

    from builder.repos import extract
    from builder.repos.source import isolated_extract

    real = extract.describe_unit

    def dies_on_poison(unit):
        if "Poison" in unit.defines:
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(unit)

    monkeypatch.setattr(extract, "describe_unit", dies_on_poison)
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("Alpha", "Middle", "Omega"):
        (repo / f"{name.lower()}.py").write_text(_scene(name, "self.add(Dot())"))
    (repo / "middle.py").write_text(
        _scene("Middle", "self.add(Dot())") + "\n\n" + _scene("Poison", "self.add(Square())")
    )
    results = [(r.path, r.scene, r.status, r.reason) for r in isolated_extract(repo, license="MIT")]
    assert results == [
        ("alpha.py", "Alpha", "ok", None),
        ("middle.py", "Middle", "ok", None),
        ("middle.py", "Poison", "excluded", "crash:source"),
        ("omega.py", "Omega", "ok", None),
    ]
