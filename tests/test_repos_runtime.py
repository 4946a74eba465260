"""Runtime acceptance for repo extraction: every fixture scene whose original runs from its repo (with
its sys.path) also runs as the extracted program, from an empty folder, with the same timeline (each
play/wait and its run time, final mobject count, final family size). Includes the data-file trap: the
inlined caption gives the same glyph count and run times as reading the file, and a naive literal does not.

The runner below is this test's own small helper (one warm manim process, a forked child per scene,
`dry_run`), independent of the builder's validation stage.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from builder.repos.extract import extract_repo

FIXTURES = Path(__file__).parent / "fixtures" / "repos"
REPOS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
# Originals that cannot run here, and why: a plugin / ManimGL that is not installed, and a file whose
# module-level import of a deleted helper module fails before any scene is defined.
UNRUNNABLE_ORIGINALS = {
    ("templates_plugins", "voice.py", "NarratedCircle"),  # manim_voiceover not installed
    ("templates_plugins", "gl_intro.py", "GLIntro"),  # manimlib (ManimGL) not installed
    ("clash_cycles", "broken_scenes.py", "StillFine"),  # `from old_helpers import ...` fails at import
    ("clash_cycles", "broken_scenes.py", "UsesUndefinedHelper"),  # the same file
    ("clash_cycles", "broken_scenes.py", "UsesRuntimeName"),  # the same file
}

RUNNER = r"""
import importlib, json, os, runpy, sys, tempfile, traceback
import manim
from manim import Scene, tempconfig

def record(scene_cls):
    events = []
    depth = [0]
    orig_play, orig_wait = Scene.play, Scene.wait
    def play(self, *args, **kwargs):
        depth[0] += 1
        t0 = self.renderer.time
        try:
            return orig_play(self, *args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                events.append(["play", round(self.renderer.time - t0, 6)])
    def wait(self, *args, **kwargs):
        depth[0] += 1
        t0 = self.renderer.time
        try:
            return orig_wait(self, *args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                events.append(["wait", round(self.renderer.time - t0, 6)])
    Scene.play, Scene.wait = play, wait
    scene = scene_cls()
    scene.render()
    family = sum(len(m.get_family()) for m in scene.mobjects)
    return {"events": events, "n_mobjects": len(scene.mobjects), "n_family": family}

def run(job):
    os.chdir(job["cwd"])
    for entry in reversed(job["sys_path"]):
        sys.path.insert(0, entry)
    if job.get("module"):
        namespace = vars(importlib.import_module(job["module"]))
    elif job.get("path"):
        namespace = runpy.run_path(job["path"], run_name="__scene__")
    else:
        namespace = {"__name__": "__scene__", "__file__": os.path.join(job["cwd"], "program.py")}
        exec(compile(job["code"], "program.py", "exec"), namespace)
    with tempconfig({"dry_run": True, "disable_caching": True, "media_dir": tempfile.mkdtemp(), "verbosity": "ERROR", "progress_bar": "none"}):
        return record(namespace[job["scene"]])

for line in sys.stdin:
    job = json.loads(line)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            out = {"ok": True, **run(job)}
        except BaseException as exc:
            out = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()[-1500:]}
        with os.fdopen(write, "w") as fh:
            fh.write(json.dumps(out))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    result = json.loads(data) if data else {"ok": False, "error": "child died"}
    result["id"] = job["id"]
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
"""


def run_jobs(jobs: list[dict], timeout: float = 600) -> dict[str, dict]:
    """Run every job; returns id -> {"ok", "events", "n_mobjects", "n_family"} or {"ok": False, "error"}."""
    payload = "".join(json.dumps(job) + "\n" for job in jobs)
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=payload,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    results = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            item = json.loads(line)
            results[item.pop("id")] = item
    missing = [job["id"] for job in jobs if job["id"] not in results]
    assert not missing, f"runner lost jobs {missing}: {proc.stderr[-2000:]}"
    return results


def original_job(job_id: str, repo: Path, relpath: str, scene: str) -> dict:
    """Run a repo file the way its author did: package module import when its folder is a package."""
    path = repo / relpath
    folder = path.parent
    common = {"id": job_id, "scene": scene, "cwd": str(repo)}
    if (folder / "__init__.py").exists():
        module = ".".join(Path(relpath).with_suffix("").parts)
        return {**common, "module": module, "sys_path": [str(repo), str(repo.parent)]}
    return {**common, "path": str(path), "sys_path": [str(folder), str(repo), str(repo.parent)]}


def code_job(job_id: str, code: str, scene: str, cwd: Path, sys_path: list[str] | None = None) -> dict:
    return {"id": job_id, "code": code, "scene": scene, "cwd": str(cwd), "sys_path": sys_path or []}


def _block_code(repo: Path, res) -> str:
    """The document block as the `.. manim::` directive / `%%manim` magic would run it."""
    from builder.repos.documents import block_module, docstring_blocks, document_blocks
    from builder.repos.parse import parse_module

    text = (repo / res.path).read_text(encoding="utf-8")
    if res.path.endswith(".py"):
        blocks = docstring_blocks(parse_module(res.path, res.path, text))
    else:
        blocks = document_blocks(res.path, text)
    for block in blocks:
        if block.key.endswith("#" + res.block):
            return block_module(block, res.path).tree.code
    raise AssertionError(res.locator)


@pytest.fixture(scope="module")
def timelines(tmp_path_factory):
    empty = tmp_path_factory.mktemp("empty-cwd")
    jobs, meta = [], {}
    for name in REPOS:
        repo = (FIXTURES / name).resolve()
        for res in extract_repo(repo):
            if res.status != "ok":
                continue
            key = (name, res.path, res.scene)
            meta[key] = res
            if res.block:
                code = _block_code(repo, res)
                folder = str((repo / res.path).parent)
                jobs.append(
                    code_job(f"orig:{res.locator}:{name}", code, res.scene, repo, [str(repo), folder])
                )
            else:
                jobs.append(original_job(f"orig:{res.locator}:{name}", repo, res.path, res.scene))
            jobs.append(code_job(f"new:{res.locator}:{name}", res.code, res.scene, empty))
    results = run_jobs(jobs)
    return meta, results


def test_unrunnable_originals_are_exactly_the_expected_ones(timelines):
    meta, results = timelines
    failing = {key for key, res in meta.items() if not results[f"orig:{res.locator}:{key[0]}"]["ok"]}
    assert failing == UNRUNNABLE_ORIGINALS, {
        k: results[f"orig:{meta[k].locator}:{k[0]}"].get("error") for k in failing
    }
    assert len(meta) - len(failing) >= 18  # the comparison below covers most fixture scenes


def test_extracted_programs_reproduce_the_original_timeline(timelines):
    meta, results = timelines
    compared = 0
    for key, res in sorted(meta.items()):
        original = results[f"orig:{res.locator}:{key[0]}"]
        if not original["ok"]:
            continue
        extracted = results[f"new:{res.locator}:{key[0]}"]
        assert extracted["ok"], (key, extracted.get("error"), extracted.get("trace"))
        assert extracted["events"] == original["events"], key
        assert extracted["n_mobjects"] == original["n_mobjects"], key
        assert extracted["n_family"] == original["n_family"], key
        assert original["events"], key  # every fixture scene animates something
        compared += 1
    assert compared == len(meta) - len(UNRUNNABLE_ORIGINALS)


def test_scene_split_from_an_unrunnable_file_still_runs(timelines):
    meta, results = timelines
    res = meta[("clash_cycles", "broken_scenes.py", "StillFine")]
    assert results[f"new:{res.locator}:clash_cycles"]["ok"]


def test_datafile_trap_inlined_caption_matches_and_naive_literal_does_not(tmp_path):
    repo = (FIXTURES / "syspath_data").resolve()
    res = next(r for r in extract_repo(repo) if r.scene == "WriteCaption")
    assert "INL004" in res.fixes
    raw = (repo / "scenes/data/caption.txt").read_text(encoding="utf-8")
    # the naive inlining: paste the file between triple quotes (escapes get interpreted, CRLF kept)
    naive = (
        "from manim import *\n\n"
        "class WriteCaption(Scene):\n"
        "    def construct(self):\n"
        f'        caption = """{raw}"""\n'
        "        text = Text(caption, font_size=24)\n"
        "        self.play(Write(text))\n"
        "        self.wait(0.25)\n"
    )
    jobs = [
        original_job("orig", repo, res.path, "WriteCaption"),
        code_job("inlined", res.code, "WriteCaption", tmp_path),
        code_job("naive", naive, "WriteCaption", tmp_path),
    ]
    out = run_jobs(jobs)
    assert out["orig"]["ok"] and out["inlined"]["ok"] and out["naive"]["ok"], out
    assert out["inlined"]["n_family"] == out["orig"]["n_family"]
    assert out["inlined"]["events"] == out["orig"]["events"]
    # the check is able to see the trap: the naive literal changes what Write() draws
    assert (out["naive"]["n_family"], out["naive"]["events"]) != (
        out["orig"]["n_family"],
        out["orig"]["events"],
    )
