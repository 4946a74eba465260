"""Warm validation worker: imports manim once, then forks a fresh child for every scene.

Runs inside the sandbox (see `sandbox.py`) as `python -I worker.py OPTIONS_JSON`. The fork gives each
scene a clean copy of the warm interpreter, so `config.*` changes, `set_default` calls and monkeypatches
die with the child instead of leaking into the next scene. The child (child.py) runs the scene and
writes one result line; this process runs no scene code, checks that line (protocol.py), and for the
render stage reads the PNG itself and sends its bytes in the result, so no folder is shared with the host.

Protocol: one JSON task per line on stdin, one JSON result per line on the original stdout (the worker
moves its own fd 1 to stderr so nothing else can write there). Standard library and manim only, so it
runs from the read-only bind without the `builder` package on `sys.path`.
"""

from __future__ import annotations

import base64
import ctypes
import json
import os
import resource
import secrets
import select
import shutil
import signal
import stat
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # `-I` leaves out the script's folder

from protocol import (  # noqa: E402
    MAX_MESSAGE_BYTES,
    MAX_PNG_BYTES,
    PNG_SIGNATURE,
    decode_line,
    encode,
    fail,
    protocol_error,
)

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
    import child  # noqa: F401  (imported before any fork, so children share it)
    import manim  # noqa: F401  (the expensive import, done once)

    _base_config()
    _warm_up(opts)
    proto.write(json.dumps({"ready": True, "manim": manim.__version__, "pid": os.getpid()}) + "\n")
    work = _reset_dirs(opts)
    for line in sys.stdin:
        task = json.loads(line)
        if task.get("op") == "stats":
            proto.write(json.dumps(_stats()) + "\n")
            continue
        try:
            result = run_task(task, opts, proto.fileno(), work)
        except Exception as exc:  # the worker must survive anything a scene does to its environment
            result = fail("worker-error", f"{type(exc).__name__}: {exc}")
        try:
            work = _reset_dirs(opts)  # after the scene, so a scene that resists the wipe is the one blamed
        except (ScratchNotEmpty, OSError) as exc:
            result = fail("tamper:scratch", f"the scene left files the worker could not remove ({exc})")
            work = ""
        result["id"] = str(task.get("id", ""))
        proto.write(encode(result))
        if not work:
            return 3  # the pool starts a fresh worker, in a fresh sandbox, for the next scene
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


def _writable(path: str, keep: tuple[str, ...] = ()) -> None:
    """Give back write permission a scene took away (it runs as our uid), so nothing resists the wipe."""
    me = os.getuid()
    for dirpath, dirnames, _ in os.walk(path):
        dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in keep]
        for name in dirnames:
            full = os.path.join(dirpath, name)
            try:
                if os.lstat(full).st_uid == me and not os.path.islink(full):
                    os.chmod(full, stat.S_IRWXU)
            except OSError:
                pass


def _wipe(root: str, keep: tuple[str, ...]) -> None:
    """Remove everything under `root` except the read-only binds in `keep` (and the folders above them)."""
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if path in keep:
            continue
        if any(k.startswith(path + "/") for k in keep):
            _wipe(path, keep)
        elif os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def _leftovers(root: str, keep: tuple[str, ...] = ()) -> list[str]:
    """What survived a wipe: anything but the kept binds and empty folders that are not ours (the
    sandbox's skeleton)."""
    me = os.getuid()
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in keep]
        found += [os.path.join(dirpath, f) for f in filenames]
        found += [
            os.path.join(dirpath, d) for d in dirnames if os.lstat(os.path.join(dirpath, d)).st_uid == me
        ]
    return found


class ScratchNotEmpty(RuntimeError):
    """A scene left something the wipe could not remove: it is blamed, and this worker exits."""


def _reset_dirs(opts: dict[str, Any]) -> str:
    """Empty the scratch area so nothing a scene wrote survives into the next one, and give the next
    scene a folder under a fresh random name (nothing can be planted for it in advance).

    Raises ScratchNotEmpty if anything survives.
    """
    keep = tuple(opts.get("keep") or ())
    for root in opts["wipe"]:
        if not os.path.isdir(root):
            continue
        _writable(root, keep)
        _wipe(root, keep)
        left = _leftovers(root, keep)
        if left:
            raise ScratchNotEmpty(f"{len(left)} entries left, e.g. {left[0]}")
    work = os.path.join(opts["scratch"], f"run-{secrets.token_hex(8)}")
    os.makedirs(os.path.join(opts["scratch"], "home"), exist_ok=True)
    os.makedirs(work)
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


def run_task(task: dict[str, Any], opts: dict[str, Any], proto_fd: int, work: str) -> dict[str, Any]:
    out_r, out_w = os.pipe()
    res_r, res_w = os.pipe2(os.O_CLOEXEC)
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
            import child

            child.child_main(task, opts, res_w, work)
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
    if result["status"] == "ok" and task["stage"] == "render":
        result.update(_read_png(work))
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
    """Wait for the child, draining its output and its result message (both capped)."""
    output = bytearray()
    n_output = 0
    message = bytearray()
    open_fds = {out_r, res_r}
    verdict: dict[str, Any] | None = None
    status: int | None = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            verdict = fail("timeout", "wall-clock timeout exceeded")
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
            verdict = fail("output-limit", f"scene wrote more than {max_output} bytes to stdout/stderr")
            break
        if len(message) > MAX_MESSAGE_BYTES:
            verdict = protocol_error(f"the scene's process wrote more than {MAX_MESSAGE_BYTES} result bytes")
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
        verdict = _verdict_from(status, bytes(message[: MAX_MESSAGE_BYTES + 1]))
    verdict["output_tail"] = tail[-1000:]
    return verdict


def _drain(fd: int, into: bytearray) -> None:
    while len(into) <= MAX_MESSAGE_BYTES and select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        into += chunk


def _verdict_from(status: int | None, message: bytes) -> dict[str, Any]:
    """The verdict from how the child ended and the one line it wrote (anything else: a failure)."""
    assert status is not None
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        error_type, text = _SIGNAL_REASONS.get(sig, ("killed", f"killed by signal {sig}"))
        return fail(error_type, text)
    code = os.WEXITSTATUS(status)
    if len(message) > MAX_MESSAGE_BYTES:
        return protocol_error("result over the size cap")
    lines = message.splitlines()
    if len(lines) > 1:
        return protocol_error(f"the scene's process wrote {len(lines)} result lines, not one")
    if not lines:
        if code == 0:
            return fail("silent-exit", "process exited before construct() returned (os._exit?)")
        return fail("exit", f"process exited with status {code}")
    reported = decode_line(lines[0])
    if reported["status"] == "ok" and (code != 0 or not reported.get("done")):
        return protocol_error("an ok result from a process that did not finish cleanly")
    reported.pop("done", None)
    return reported


def _read_png(work: str) -> dict[str, Any]:
    """The last frame's bytes (a regular, size-capped PNG file), read here and not by the scene."""
    path = os.path.join(work, "media", "images", "last.png")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return fail("render", "render finished but wrote no last-frame PNG")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_PNG_BYTES:
            return fail("render", "the last frame is not a regular file within the size cap")
        data = os.read(fd, MAX_PNG_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_PNG_BYTES or not data.startswith(PNG_SIGNATURE):
        return fail("render", "the last frame is not a PNG within the size cap")
    return {"png_b64": base64.b64encode(data).decode("ascii")}


if __name__ == "__main__":
    sys.exit(main())
