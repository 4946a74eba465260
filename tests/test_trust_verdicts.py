"""A broken scene cannot report itself `ok`: forging attempts fail (statically and at runtime), the result
channel is strict and capped, cached verdicts are checked on read, and error details carry nothing long."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from builder.validate.cache import VerdictCache, cache_key
from builder.validate.funnel import ValidationSettings, validate_programs
from builder.validate.manim_names import manim_version
from builder.validate.pool import SceneTask
from builder.validate.static import static_check

BROKEN = "        undefined_helper()  # the scene really fails here\n"
FORGED = '{"status":"ok","done":true,"n_play":1,"n_wait":0,"run_time":1.0,"n_mobjects":1}\\n'


def _scene(body: str, head: str = "", name: str = "Forger") -> str:
    body = textwrap.indent(textwrap.dedent(body).strip("\n"), "        ")
    return f"from manim import *\n{head}\n\nclass {name}(Scene):\n    def construct(self):\n{body}\n"


# name -> (code, what the static screen reports)
ATTACKS = {
    "forged-line-then-exit": (
        _scene(
            f"""
            for fd in range(3, 256):
                try:
                    os.write(fd, b'{FORGED}')
                except OSError:
                    pass
            os._exit(0)
            """,
            head="import os",
        ),
        "tamper:os.write",
    ),
    "obfuscated-forge": (
        _scene(
            f"""
            o = __import__("o" + "s")
            w, x = getattr(o, "wr" + "ite"), getattr(o, "_ex" + "it")
            for fd in range(3, 256):
                try:
                    w(fd, b'{FORGED}')
                except OSError:
                    pass
            x(0)
            """
        ),
        "tamper:builtin:__import__",
    ),
    "patch-json": (
        _scene(
            """
            json.dumps = lambda *a, **k: '{"status": "ok", "done": true}'
            undefined_helper()
            """,
            head="import json",
        ),
        "tamper:patching:json.dumps",
    ),
    "patch-worker-helpers": (
        _scene(
            """
            for name in ("__main__", "child", "protocol"):
                mod = sys.modules.get(name)
                if mod is not None:
                    for attr in ("describe_exception", "fail", "encode", "_verdict_from"):
                        setattr(mod, attr, lambda *a, **k: {"status": "ok", "done": True})
            undefined_helper()
            """,
            head="import sys",
        ),
        "tamper:sys.modules",
    ),
    "setprofile-rewrites-result": (
        _scene(
            """
            def rewrite(frame, event, arg):
                if event == "return" and isinstance(arg, dict) and arg.get("status") == "fail":
                    arg.clear()
                    arg.update(status="ok", done=True)
            sys.setprofile(rewrite)
            undefined_helper()
            """,
            head="import sys",
        ),
        "tamper:sys.setprofile",
    ),
    "settrace-rewrites-result": (
        _scene(
            """
            def tracer(frame, event, arg):
                if event == "return" and isinstance(arg, dict):
                    arg["status"] = "ok"
                return tracer
            sys.settrace(tracer)
            undefined_helper()
            """,
            head="import sys",
        ),
        "tamper:sys.settrace",
    ),
    "override-render": (
        "from manim import *\n\n\nclass Forger(Scene):\n    def render(self, preview=False):\n"
        "        return False\n\n    def construct(self):\n" + BROKEN,
        "tamper:override:render",
    ),
    "end-scene-early": (
        _scene(
            """
            try:
                undefined_helper()
            except NameError:
                raise EndSceneEarlyException()
            """,
            head="from manim.utils.exceptions import EndSceneEarlyException",
        ),
        "tamper:end-scene-early",
    ),
    "skip-the-sampling": (
        "from manim import *\n\n\nclass Forger(Scene):\n"
        "    def get_time_progression(self, run_time, *args, **kwargs):\n"
        "        return Scene.get_time_progression(self, run_time, *args, **kwargs)\n\n"
        "    def construct(self):\n"
        "        self.play(Rotate(Square(), rate_func=lambda t: 1 / int(t * 2 - 1) if t < 1 else 1))\n",
        "tamper:override:get_time_progression",
    ),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_the_static_screen_names_each_forging_attempt(name):
    code, expected = ATTACKS[name]
    report = static_check(code)
    assert not report.ok
    assert f"tamper:{report.error_type.removeprefix('tamper:')}" == expected, report


def test_forging_attempts_fail_at_runtime_too(runtime_validator, sandbox_only_validator):
    """Past the static screen (the pool runs code as given), the child's guards still fail every attempt;
    without them the naive forge would pass, which is why they exist."""
    tasks = [SceneTask(name, code, "Forger", "runtime") for name, (code, _) in ATTACKS.items()]
    results = {t.id: r for t, r in runtime_validator.run(tasks)}
    for name, result in results.items():
        assert result["status"] == "fail", (name, result)
    assert results["forged-line-then-exit"]["error_type"].startswith("tamper:os.write")
    assert results["obfuscated-forge"]["error_type"].startswith("tamper:os.write")
    assert results["setprofile-rewrites-result"]["error_type"] == "tamper:sys.setprofile"
    assert results["end-scene-early"]["error_type"] == "tamper:end-scene-early"
    assert results["override-render"]["error_type"] == "NameError"  # our lifecycle never calls render
    assert results["patch-json"]["error_type"] == "NameError"
    assert results["patch-worker-helpers"]["error_type"] == "NameError"
    unguarded = dict(
        sandbox_only_validator.run(
            [SceneTask("naive", ATTACKS["forged-line-then-exit"][0], "Forger", "runtime")]
        )
    )
    assert next(iter(unguarded.values()))["status"] == "ok"  # the threat the guards answer


def test_the_result_channel_is_strict_and_capped(sandbox_only_validator):
    """With the guards off, a scene can write anything to its result pipe: the worker and the pool
    accept only the schema, within the size cap, and the worker does not grow."""
    lots = _scene(
        """
        line = b'{"status":"ok","done":true,"n_play":"lots"}' + bytes([10])
        for fd in range(3, 256):
            try:
                os.write(fd, line)
            except OSError:
                pass
        os._exit(0)
        """,
        head="import os",
    )
    flood = _scene(
        """
        chunk = b"x" * (1 << 20)
        for fd in range(3, 256):
            try:
                for _ in range(300):
                    os.write(fd, chunk)
            except OSError:
                pass
        """,
        head="import os",
    )
    tasks = [SceneTask("lots", lots, "Forger", "runtime"), SceneTask("flood", flood, "Forger", "runtime")]
    results = {t.id: r for t, r in sandbox_only_validator.run(tasks)}
    assert results["lots"]["error_type"] == "worker-protocol" and "n_play" in results["lots"]["error"]
    assert results["flood"]["error_type"] in {"worker-protocol", "output-limit"}
    rss = max(s["worker_max_rss_kb"] for s in sandbox_only_validator.stats())
    assert rss < 600 * 1024  # the worker kept at most the capped message, not 300 MiB


def test_protocol_failures_are_not_cached_and_bad_cache_rows_are_redone(tmp_path):
    # passes the static screen (no literal fd, no os.write): the runtime guard and the channel must hold
    bad = _scene(
        """
        for fd in range(3, 256):
            try:
                io.open(fd, "wb", closefd=False).write(b'{"status":"ok","done":true,"n_play":"lots"}\\n')
            except OSError:
                pass
        """,
        head="import io",
    )
    assert static_check(bad).ok
    good = _scene("self.play(Create(Circle()))", name="Honest")
    guarded = ValidationSettings(stage="runtime", jobs=1, cache_dir=tmp_path / "g", use_cache=False)
    assert dict(validate_programs([("bad", bad)], guarded))["bad"][0].error_type == "tamper:open:result-pipe"
    settings = ValidationSettings(stage="runtime", jobs=1, cache_dir=tmp_path, tamper_guard=False)
    first = dict(validate_programs([("bad", bad), ("good", good)], settings))
    assert first["bad"][0].error_type == "worker-protocol" and first["good"][0].status == "ok"
    with VerdictCache(tmp_path / "verdicts.sqlite") as cache:
        assert len(cache) == 1  # only the honest verdict was stored
        key = cache_key(good, manim_version(), "runtime", settings.fingerprint())
        cache.put(key, [{"scene": "Honest", "stage": "runtime", "status": "ok", "n_play": "lots"}])
    again = dict(validate_programs([("good", good)], settings))
    assert again["good"][0].status == "ok" and again["good"][0].n_play == 1  # re-validated, not trusted


def test_error_details_are_one_short_line(runtime_validator):
    leak = _scene(
        """
        secret = open("/etc/passwd").read()
        raise ValueError(secret * 20)
        """
    )
    results = {t.id: r for t, r in runtime_validator.run([SceneTask("leak", leak, "Forger", "runtime")])}
    error = results["leak"]["error"]
    assert results["leak"]["error_type"] == "ValueError"
    assert len(error) <= 300 and "\n" not in error


def test_render_outputs_are_read_by_the_worker_not_shared(tmp_path):
    """The host renders folder is never visible to scenes; a last frame that is a link or not a PNG fails."""
    link = _scene(
        """
        self.add(Circle())
        os.makedirs("media/images", exist_ok=True)
        os.symlink("/etc/passwd", "media/images/last.png")
        self.render_target = True
        """,
        head="import os",
        name="LinkFrame",
    )
    honest = _scene("self.add(Square())", name="HonestFrame")
    settings = ValidationSettings(stage="render", jobs=1, cache_dir=tmp_path, use_cache=False)
    verdicts = {k: v[0] for k, v in validate_programs([("link", link), ("honest", honest)], settings)}
    assert verdicts["honest"].status == "ok"
    png = Path(verdicts["honest"].png)
    assert png.read_bytes().startswith(b"\x89PNG") and png.is_relative_to(tmp_path / "renders")
    assert verdicts["link"].status == "fail"
    files = [p for p in (tmp_path / "renders").rglob("*") if p.is_file() or p.is_symlink()]
    assert files == [png]


def test_guards_tell_library_internals_from_scene_code(runtime_validator):
    """networkx (behind manim's Graph) swaps a function's __code__ itself; a scene doing it is stopped."""
    graph = _scene("self.play(Create(Graph([1, 2, 3], [(1, 2), (2, 3)])))", name="LibraryDoesIt")
    swap = _scene(
        """
        def a():
            return 1

        def b():
            return 2

        a.__code__ = b.__code__
        self.add(Dot())
        """,
        name="SceneDoesIt",
    )
    tasks = [
        SceneTask("graph", graph, "LibraryDoesIt", "runtime"),
        SceneTask("swap", swap, "SceneDoesIt", "runtime"),
    ]
    results = {t.id: r for t, r in runtime_validator.run(tasks)}
    assert results["graph"]["status"] == "ok", results["graph"]
    assert results["swap"]["error_type"] in {"tamper:introspection:__code__", "tamper:patching:__code__"}


# Techniques an attacker's review found past the first version of the guards (each written anew here).
_REVIEW = {
    "kwdefaults": (
        """
        finish = sys.modules["child"].finish
        finish.__kwdefaults__["_encode"] = lambda result: '{"status":"ok","done":true}' + chr(10)
        undefined_helper()
        """,
        "import sys",
        "tamper:introspection:__kwdefaults__",
    ),
    "reopen-through-proc": (
        """
        pipes = [fd for fd in range(3, 256) if _is_other_pipe(fd)]
        os.chdir("/proc/self/fd")
        handle = open(str(pipes[0]), "w")
        handle.write('{"status":"ok","done":true}' + chr(10))
        undefined_helper()
        """,
        "import os\nimport stat\n\n\ndef _is_other_pipe(fd):\n    try:\n        info = os.fstat(fd)\n"
        "    except OSError:\n        return False\n    return stat.S_ISFIFO(info.st_mode) and info.st_ino != os.fstat(1).st_ino\n",
        "tamper:chdir:/proc",
    ),
    "close-the-pipe": (
        "for fd in range(3, 256):\n    try:\n        os.close(fd)\n    except OSError:\n        pass\nundefined_helper()",
        "import os",
        "tamper:os.close:result-pipe",
    ),
    "walk-up-the-frames": (
        """
        frame = getattr(sys, "_get" + "frame")(0)
        while frame.f_back is not None:
            frame = frame.f_back
        undefined_helper()
        """,
        "import sys",
        "tamper:sys._getframe",
    ),
    "spawn-a-shell": (
        'subprocess.run(["sh", "-c", "true"])\nundefined_helper()',
        "import subprocess",
        "tamper:subprocess:sh",
    ),
}


@pytest.mark.parametrize("name", sorted(_REVIEW))
def test_review_findings_fail_at_runtime(runtime_validator, name):
    body, head, expected = _REVIEW[name]
    code = _scene(body, head=head)
    result = dict((t.id, r) for t, r in runtime_validator.run([SceneTask(name, code, "Forger", "runtime")]))[
        name
    ]
    assert (result["status"], result["error_type"]) == ("fail", expected), result


def test_a_scene_cannot_plant_files_for_the_next_scene(runtime_validator):
    """A read-only folder with a planted .pyc must not make a later, failing scene pass (or break a
    later good one): each scene gets a fresh folder and the wipe takes back permissions first."""
    planter = _scene(
        """
        os.makedirs("__pycache__/deep", exist_ok=True)
        with open("__pycache__/scene_module.cpython-311.pyc", "wb") as fh:
            fh.write(b"planted")
        os.chmod("__pycache__/deep", 0o500)
        os.chmod("__pycache__", 0o500)
        os.chmod(".", 0o500)
        self.add(Dot())
        """,
        head="import os",
        name="Planter",
    )
    victim = _scene("undefined_helper()", name="Victim")
    honest = _scene("self.play(Create(Square()))", name="Honest")
    tasks = [
        SceneTask("planter", planter, "Planter", "runtime"),
        SceneTask("victim", victim, "Victim", "runtime"),
        SceneTask("honest", honest, "Honest", "runtime"),
    ]
    results = {t.id: r for t, r in runtime_validator.run(tasks)}
    assert results["planter"]["status"] == "ok"
    assert results["victim"]["error_type"] == "NameError"
    assert results["honest"]["status"] == "ok"


def test_scenes_that_import_asyncio_or_typing_helpers_pass(runtime_validator):
    code = _scene(
        "self.add(Text(str(asyncio.iscoroutinefunction(lambda: 1))))", head="import asyncio", name="Fine"
    )
    result = next(iter(dict(runtime_validator.run([SceneTask("a", code, "Fine", "runtime")])).values()))
    assert result["status"] == "ok", result
