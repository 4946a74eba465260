"""Warm validation worker: imports manim once, then forks a fresh child for every scene.

Runs inside the sandbox (see `sandbox.py`) as `python -I worker.py OPTIONS_JSON`. The fork gives each
scene a clean copy of the warm interpreter, so `config.*` changes, `set_default` calls and monkeypatches
die with the child instead of leaking into the next scene.

Protocol: one JSON task per line on stdin, one JSON result per line on the original stdout (the worker
moves its own fd 1 to stderr so nothing else can write there). This file uses only the stdlib and manim
so it runs from the read-only bind without the `builder` package on `sys.path`.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import os
import resource
import select
import shutil
import signal
import sys
import time
import traceback
from typing import Any

OUTPUT_TAIL = 4000  # characters of scene output kept for error messages
_SIGNAL_REASONS = {
    signal.SIGXCPU: ("cpu-limit", "CPU time limit exceeded"),
    signal.SIGXFSZ: ("file-size-limit", "file size limit exceeded"),
    signal.SIGSEGV: ("crash", "segmentation fault (SIGSEGV)"),
    signal.SIGBUS: ("crash", "bus error (SIGBUS)"),
    signal.SIGABRT: ("crash", "aborted (SIGABRT)"),
    signal.SIGILL: ("crash", "illegal instruction (SIGILL)"),
    signal.SIGFPE: ("crash", "floating point exception (SIGFPE)"),
    signal.SIGKILL: ("killed", "killed by SIGKILL (out of memory or a signal from the scene)"),
}


def main() -> int:
    if sys.argv[1] == "--seed":  # trusted, outside the sandbox: fixed strings only
        _base_config()
        _warm_digits(sys.argv[2])
        return 0
    opts = json.loads(sys.argv[1])
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints from imports go to stderr, never into the protocol
    _harden_worker(opts)
    import manim  # noqa: F401  (the expensive import, done once)

    _base_config()
    _warm_up(opts)
    proto.write(json.dumps({"ready": True, "manim": manim.__version__, "pid": os.getpid()}) + "\n")
    for line in sys.stdin:
        task = json.loads(line)
        if task.get("op") == "stats":
            proto.write(json.dumps(_stats()) + "\n")
            continue
        try:
            result = run_task(task, opts, proto.fileno())
        except Exception as exc:  # the worker must survive anything a scene does to its environment
            result = {"id": task.get("id"), **_fail("worker-error", f"{type(exc).__name__}: {exc}")}
        proto.write(json.dumps(result) + "\n")
    return 0


def _harden_worker(opts: dict[str, Any]) -> None:
    """Limits shared by the worker and its children; stop same-uid children reading our /proc fds."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if opts.get("nproc"):
        resource.setrlimit(resource.RLIMIT_NPROC, (opts["nproc"], opts["nproc"]))
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
    except (OSError, AttributeError):
        pass


def _base_config() -> None:
    from manim import config

    config.disable_caching = True
    config.verbosity = "ERROR"
    config.progress_bar = "none"
    config.notify_outdated_version = False
    config.preview = False


def _warm_up(opts: dict[str, Any]) -> None:
    """Pay shared start-up costs once, before any scene runs, so every fork inherits them.

    Fonts (Pango/fontconfig) and the digit glyphs that `DecimalNumber` (axis labels, counters, charts)
    keeps in manim's in-memory `string_to_mob_map`: each is a LaTeX run that every child would
    otherwise repeat. Memory, unlike a shared on-disk cache, cannot be poisoned by one scene for the next.
    """
    if not opts.get("warm_up", True):
        return
    from manim import Text

    warm = os.path.join(opts["scratch"], "warm")
    os.makedirs(warm, exist_ok=True)
    os.chdir(warm)
    Text("warm")
    if opts.get("tex_seed"):
        try:  # SVGMobject writes a scratch copy beside each SVG, so read a private copy of the seed
            copy = shutil.copytree(opts["tex_seed"], os.path.join(warm, "tex"))
            _warm_digits(copy)
        except Exception as exc:  # an incomplete seed only costs speed
            print(f"warm-up without LaTeX digits: {exc}", file=sys.stderr)


def _warm_digits(tex_dir: str) -> None:
    """Build DecimalNumber's glyphs from `tex_dir` (compiled there when seeding, found there when warming)."""
    from manim import DecimalNumber, config

    before = config.tex_dir
    config.tex_dir = tex_dir
    try:
        DecimalNumber(-1234567890.5, num_decimal_places=1, group_with_commas=True)
        DecimalNumber(1, include_sign=True)
    finally:
        config.tex_dir = before


def _stats() -> dict[str, Any]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"stats": True, "worker_max_rss_kb": own, "child_max_rss_kb": kids}


def _reset_dirs(opts: dict[str, Any]) -> str:
    """Empty the scratch area so nothing a scene wrote survives into the next one."""
    for root in opts["wipe"]:
        if not os.path.isdir(root):
            continue
        for name in os.listdir(root):
            path = os.path.join(root, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.unlink(path)
                except OSError:
                    pass
    work = os.path.join(opts["scratch"], "scene")
    os.makedirs(os.path.join(opts["scratch"], "home"), exist_ok=True)
    os.makedirs(work, exist_ok=True)
    return work


def _kill_strays(opts: dict[str, Any], pid: int) -> None:
    """Kill whatever the scene left behind (forks, daemons) and wait until they are reaped.

    Killed processes count against RLIMIT_NPROC until the namespace's init reaps them, so keep going
    until nothing is left to signal; otherwise a fork bomb starves the next scene's fork.
    """
    if opts.get("pidns"):
        deadline = time.monotonic() + 10.0
        while time.monotonic() < deadline:
            try:  # every process in our pid namespace we may signal, except us; stopped ones cannot fork
                os.kill(-1, signal.SIGSTOP)
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                return
            time.sleep(0.02)
    else:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def run_task(task: dict[str, Any], opts: dict[str, Any], proto_fd: int) -> dict[str, Any]:
    work = _reset_dirs(opts)
    out_r, out_w = os.pipe()
    res_r, res_w = os.pipe()
    start = time.monotonic()
    pid = _fork()
    if pid == 0:  # child
        try:
            os.close(out_r)
            os.close(res_r)
            os.close(proto_fd)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.dup2(out_w, 1)
            os.dup2(out_w, 2)
            if not opts.get("pidns"):
                os.setsid()
            _child(task, opts, res_w, work)
        except BaseException:  # noqa: B036  (the child must never return into the worker loop)
            pass
        os._exit(70)
    os.close(out_w)
    os.close(res_w)
    result = _supervise(pid, out_r, res_r, start + float(task["timeout_s"]), int(opts["max_output"]))
    _kill_strays(opts, pid)
    os.close(out_r)
    os.close(res_r)
    result["seconds"] = round(time.monotonic() - start, 4)
    result["id"] = task["id"]
    if result["status"] == "ok" and task["stage"] == "render":
        result.update(_collect_png(task, work))
    return result


def _fork() -> int:
    """fork(), retrying while a previous scene's processes are still being reaped (EAGAIN)."""
    for attempt in range(100):
        try:
            return os.fork()
        except BlockingIOError:
            time.sleep(0.05 * min(attempt + 1, 10))
    return os.fork()


def _supervise(pid: int, out_r: int, res_r: int, deadline: float, max_output: int) -> dict[str, Any]:
    """Wait for the child, draining its output (capped) and its result message."""
    output = bytearray()
    n_output = 0
    message = bytearray()
    open_fds = {out_r, res_r}
    verdict: dict[str, Any] | None = None
    status: int | None = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            verdict = _fail("timeout", "wall-clock timeout exceeded")
            break
        ready = select.select(list(open_fds), [], [], min(remaining, 0.2))[0] if open_fds else []
        for fd in ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.discard(fd)
            elif fd == out_r:
                n_output += len(chunk)
                output += chunk
                del output[: max(0, len(output) - OUTPUT_TAIL)]
            else:
                message += chunk
        if n_output > max_output:
            verdict = _fail("output-limit", f"scene wrote more than {max_output} bytes to stdout/stderr")
            break
        done, wait_status = os.waitpid(pid, os.WNOHANG)
        if done:
            status = wait_status
            _drain(res_r, message)
            break
        if not open_fds:
            time.sleep(0.01)
    if status is None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    tail = output.decode("utf-8", "replace")
    if verdict is None:
        verdict = _verdict_from(status, message, tail)
    verdict["output_tail"] = tail[-1000:]
    return verdict


def _drain(fd: int, into: bytearray) -> None:
    while select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        into += chunk


def _verdict_from(status: int | None, message: bytearray, tail: str) -> dict[str, Any]:
    reported = None
    for line in message.decode("utf-8", "replace").splitlines():
        try:
            reported = json.loads(line)
        except json.JSONDecodeError:
            continue
    assert status is not None
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        error_type, text = _SIGNAL_REASONS.get(sig, ("killed", f"killed by signal {sig}"))
        return _fail(error_type, text)
    code = os.WEXITSTATUS(status)
    if reported is not None and reported.get("done") and code == 0:
        return reported
    if reported is not None and reported.get("status") == "fail":
        return reported
    if code == 0:
        return _fail("silent-exit", "process exited before construct() returned (os._exit?)")
    return _fail("exit", f"process exited with status {code}")


def _fail(error_type: str, error: str) -> dict[str, Any]:
    return {"status": "fail", "error_type": error_type, "error": error}


def _collect_png(task: dict[str, Any], work: str) -> dict[str, Any]:
    """Copy the last frame out of the private scratch into the writable output bind."""
    src = os.path.join(work, "media", "images", "last.png")
    if not os.path.isfile(src):
        return _fail("render", "render finished but wrote no last-frame PNG")
    dest = os.path.join(task["out_dir"], task["out_name"])
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copyfile(src, dest)
    return {"png": dest}


# ----------------------------------------------------------------------------------------------- child


def _set_child_limits(task: dict[str, Any]) -> None:
    cpu = int(task["cpu_s"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (int(task["mem_bytes"]), int(task["mem_bytes"])))
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(task["fsize_bytes"]), int(task["fsize_bytes"])))
    resource.setrlimit(resource.RLIMIT_NOFILE, (int(task["nofile"]), int(task["nofile"])))


def _child(task: dict[str, Any], opts: dict[str, Any], res_fd: int, work: str) -> None:
    """Run one scene; write a result line only after construct() really returned."""
    os.chdir(work)
    os.environ["HOME"] = os.path.join(opts["scratch"], "home")
    result: dict[str, Any]
    try:
        _set_child_limits(task)
        result = _run_scene(task, work)
        result["done"] = True
        result["status"] = "ok"
    except BaseException as exc:  # noqa: B036  (scene code may raise anything, even SystemExit)
        result = _describe_exception(exc)
    with os.fdopen(res_fd, "w") as fh:
        fh.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _run_scene(task: dict[str, Any], work: str) -> dict[str, Any]:
    from manim import Mobject, Scene, config

    if task["stage"] == "render":
        config.save_last_frame = True
        config.quality = task.get("quality", "low_quality")
        config.media_dir = os.path.join(work, "media")
        config.output_file = "last"
    else:
        config.dry_run = True
    timeline = _wrap_timeline(Scene)
    path = os.path.join(work, "scene_module.py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(task["code"])
    spec = importlib.util.spec_from_file_location("scene_module", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["scene_module"] = module
    spec.loader.exec_module(module)
    scene_cls = getattr(module, task["scene"], None)
    if not (isinstance(scene_cls, type) and issubclass(scene_cls, Scene)):
        return _fail("no-scene", f"{task['scene']} is not a Scene subclass after import")
    scene = scene_cls()
    if task["stage"] != "render":
        scene.renderer._original_skipping_status = True
        scene.renderer.skip_animations = True
    scene.render()
    return {
        "n_play": timeline["play"],
        "n_wait": timeline["wait"],
        "run_time": round(float(scene.renderer.time), 6),
        # wait() leaves an empty placeholder Mobject in the scene; count only what is visible
        "n_mobjects": sum(1 for m in scene.mobjects if not (type(m) is Mobject and not m.submobjects)),
    }


def _wrap_timeline(scene_base: type) -> dict[str, int]:
    """Count play/wait calls (a wait calls play internally, so those plays are not counted twice)."""
    counts = {"play": 0, "wait": 0, "depth": 0}
    orig_play, orig_wait = scene_base.play, scene_base.wait

    def play(self: Any, *args: Any, **kwargs: Any) -> Any:
        if counts["depth"] == 0:
            counts["play"] += 1
        return orig_play(self, *args, **kwargs)

    def wait(self: Any, *args: Any, **kwargs: Any) -> Any:
        if counts["depth"] == 0:
            counts["wait"] += 1
        counts["depth"] += 1
        try:
            return orig_wait(self, *args, **kwargs)
        finally:
            counts["depth"] -= 1

    scene_base.play = play
    scene_base.wait = wait
    return counts


def _describe_exception(exc: BaseException) -> dict[str, Any]:
    name = type(exc).__name__
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    where = _scene_line(exc)
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        error_type = f"missing-package:{exc.name.split('.')[0]}"
    elif isinstance(exc, MemoryError):
        error_type = "memory-limit"
    elif "latex error" in first.lower() or "LaTeX" in name:
        error_type = "latex-error"
    else:
        error_type = name
    detail = f"{name}: {first}"[:500]
    if error_type == "latex-error":
        detail += _latex_log(exc)
    if where:
        detail += f" (line {where})"
    return {"status": "fail", "error_type": error_type, "error": detail}


def _scene_line(exc: BaseException) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith("scene_module.py"):
            line = frame.lineno
    return line


def _latex_log(exc: BaseException) -> str:
    """The '!' lines of the LaTeX log that manim names in its error message."""
    for word in str(exc).split():
        if word.endswith(".log") and os.path.isfile(word):
            with open(word, encoding="utf-8", errors="replace") as fh:
                bangs = [ln.strip() for ln in fh if ln.startswith("!")]
            if bangs:
                return " | LaTeX: " + " ; ".join(bangs[:3])[:400]
    return ""


if __name__ == "__main__":
    sys.exit(main())
