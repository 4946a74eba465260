"""Run many Manim programs cheaply to prove fixes: one warm process, one forked child per program.

This is the plain-subprocess stand-in for the validation stage's runtime check (builder/validate),
used by the fix tests and measurements. Importing manim costs ~1 s, so the parent imports it once and
forks a child per program; the fork keeps module-level `config` changes from leaking between programs.
Every leaf Scene subclass the program defines is constructed and rendered with `dry_run` (no files
written) at a low frame rate: each animation still runs start to end, at a fraction of the cost.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """Outcome of running one program: ok, or the exception type and message that stopped it."""

    ok: bool
    error_type: str | None = None
    error: str | None = None
    n_scenes: int = 0


_CHILD = r'''
import json, os, signal, sys, traceback, io, contextlib
import warnings
warnings.simplefilter("ignore")
import manim
from manim import config, tempconfig
from manim.scene.scene import Scene

FRAME_RATE = 6  # animations are still stepped through (so their errors surface), just at fewer frames

WARM_UP = """
from manim import *
class WarmUp(Scene):
    def construct(self):
        self.play(Create(Circle()), Write(Text("warm")), run_time=0.5)
"""

def run_one(code, media):
    ns = {"__name__": "probe_module"}
    exec(compile(code, "<probe>", "exec"), ns)
    scenes = [v for v in ns.values()
              if isinstance(v, type) and issubclass(v, Scene) and v.__module__ == "probe_module"]
    if not scenes:
        raise LookupError("no Scene subclass defined")
    # Render only leaf scenes (not the base classes other scenes in the file extend).
    leaves = [s for s in scenes if not any(o is not s and issubclass(o, s) for o in scenes)]
    for cls in leaves:
        with tempconfig({"dry_run": True, "media_dir": media, "disable_caching": True, "frame_rate": FRAME_RATE,
                         "progress_bar": "none", "verbosity": "CRITICAL"}):
            cls().render()
    return len(leaves)

def main():
    req = json.load(sys.stdin)
    media, timeout = req["media"], req["timeout"]
    # Warm lazy imports and font caches once in the parent, so every forked child starts warm.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        run_one(WARM_UP, media)
    out = []
    for code in req["codes"]:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            signal.alarm(int(timeout) + 1)
            try:
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    n = run_one(code, media)
                res = {"ok": True, "n_scenes": n}
            except BaseException as e:  # report every failure kind, including SystemExit
                res = {"ok": False, "error_type": type(e).__name__, "error": str(e)[:300]}
            os.write(w, json.dumps(res).encode())
            os.close(w)
            os._exit(0)
        os.close(w)
        chunks = []
        while True:
            b = os.read(r, 65536)
            if not b:
                break
            chunks.append(b)
        os.close(r)
        _, status = os.waitpid(pid, 0)
        if chunks:
            out.append(json.loads(b"".join(chunks)))
        elif os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM:
            out.append({"ok": False, "error_type": "Timeout", "error": "timed out"})
        else:
            out.append({"ok": False, "error_type": "Crash", "error": f"status {status}"})
    json.dump(out, sys.stdout)

main()
'''


def run_programs(
    codes: Sequence[str], *, timeout_s: float = 30.0, python: str | None = None
) -> list[ProbeResult]:
    """Run each program's scenes with `dry_run` in one warm subprocess; results in input order."""
    if not codes:
        return []
    with tempfile.TemporaryDirectory(prefix="fixprobe-") as media:
        request = json.dumps({"codes": list(codes), "media": media, "timeout": timeout_s})
        proc = subprocess.run(
            [python or sys.executable, "-c", _CHILD],
            input=request,
            capture_output=True,
            text=True,
            cwd=media,
            timeout=timeout_s * len(codes) + 60,
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"probe process failed: {proc.stderr[-2000:]}")
    return [ProbeResult(**item) for item in json.loads(proc.stdout)]


def run_program(code: str, *, timeout_s: float = 30.0) -> ProbeResult:
    """Convenience for one program (costs a whole process; prefer `run_programs`)."""
    return run_programs([code], timeout_s=timeout_s)[0]


__all__ = ["ProbeResult", "run_program", "run_programs"]
