"""What runs in the forked child for one scene: limits, tamper guards, the scene itself, its one result.

The child is the only process that runs scene code, and it writes its own verdict, so the verdict is
only as good as the child's defences against the scene (see the threat model in the README):

- the result is written once, after the scene returned, by `finish`, whose helpers (the raw `write`
  and `_exit`, the hand-written encoder) are bound before the scene is imported, so replacing
  `json.dumps`, `builtins` or module globals of this file changes nothing;
- the result pipe is close-on-exec and moved to an unpredictable fd number; `os.write`, `os.dup*`,
  `os.sendfile` and friends refuse it, `os._exit` reports a silent exit, and an audit hook (which
  cannot be removed) stops the scene as `tamper:<event>` on what no training scene needs: trace and
  profile hooks, walking the garbage collector, frames reached from scene code, `ctypes`, `exec*`,
  opening the result pipe by number or through /proc;
- the scene is run by our own copy of manim's render lifecycle, so overriding `Scene.render` or raising
  `EndSceneEarlyException` (which manim's own loop swallows) cannot end it early as a success;
- every animation is interpolated at several alphas on the CLI's own frame grid, and updaters run at
  each of them, so errors raised mid-animation fail the scene (manim's skip mode only reaches alpha 1).

Standard library and manim only (imported by path inside the sandbox, next to protocol.py).
"""

from __future__ import annotations

import math
import os
import random
import resource
import sys
import types
from typing import Any

try:  # inside the sandbox, next to worker.py; on the host, as part of the package
    from protocol import MAX_DETAIL_CHARS, SAMPLES_PER_ANIMATION, encode, fail, one_line
    from scene_trace import Trace
except ImportError:
    from builder.validate.protocol import MAX_DETAIL_CHARS, SAMPLES_PER_ANIMATION, encode, fail, one_line
    from builder.validate.scene_trace import Trace

_FORBIDDEN_EVENTS = frozenset(
    {
        "sys.settrace", "sys.setprofile", "sys._current_frames", "gc.get_objects", "gc.get_referrers",
        "gc.get_referents", "os.exec", "os.system", "os.posix_spawn", "os.spawn", "os.forkpty",
        "ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "ctypes.addressof", "ctypes.string_at",
        "ctypes.wstring_at", "ctypes.call_function", "ctypes.create_string_buffer",
    }
)  # fmt: skip
_FRAMES = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame"})
_FUNCTION_INTERNALS = frozenset({"__code__", "__globals__", "__kwdefaults__", "__defaults__"})
_FRAME_GETTERS = ("/inspect.py", "/traceback.py")  # library helpers that hand frames to their caller
# What manim itself starts (LaTeX and its SVG converter); any other program is not a scene's business.
ALLOWED_PROGRAMS = frozenset(
    {"latex", "pdflatex", "xelatex", "lualatex", "luatex", "dvisvgm", "dvipng", "kpsewhich"}
)
_FD_FUNCS = (
    "write", "writev", "pwrite", "pwritev", "sendfile", "splice", "copy_file_range", "dup", "dup2", "close",
)  # fmt: skip
SCENE_FILE = "scene_module.py"


def finish(
    res_fd: int, result: dict[str, Any], *, _write=os.write, _exit=os._exit, _encode=encode, _fail=fail
) -> None:
    """Write the one result line and end the process (never returns)."""
    try:
        data = _encode(result).encode("ascii")
    except BaseException:  # noqa: B036 - a scene-made value that cannot be encoded
        data = _encode(_fail("worker-protocol", "the result could not be encoded")).encode("ascii")
    try:
        while data:
            data = data[_write(res_fd, data) :]
    except BaseException:  # noqa: B036 - the scene closed the pipe: the worker sees no result
        _exit(3)
    _exit(0)


def set_limits(task: dict[str, Any]) -> None:
    cpu = int(task["cpu_s"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (int(task["mem_bytes"]), int(task["mem_bytes"])))
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(task["fsize_bytes"]), int(task["fsize_bytes"])))
    resource.setrlimit(resource.RLIMIT_NOFILE, (int(task["nofile"]), int(task["nofile"])))


def hide_fd(res_fd: int, nofile: int) -> int:
    """Move the result pipe to a random close-on-exec fd number below the open-files limit."""
    low = min(64, max(3, nofile // 2))
    for _ in range(50):
        target = random.SystemRandom().randrange(low, max(low + 1, nofile - 1))
        try:
            os.fstat(target)
        except OSError:
            break
    else:
        return res_fd
    os.dup2(res_fd, target, inheritable=False)
    os.close(res_fd)
    return target


def tamper_event(event: str, args: tuple, caller: str, scene_path: str, res_fd: int) -> str | None:
    """What an audit event reveals (a `tamper:<what>` name), or None for the events scenes cause.

    `caller` is the file of the Python frame that caused the event: libraries do some of these things
    for themselves (typing and logging fetch frames, inspect reads `__code__`, networkx swaps it).
    """
    if event in _FORBIDDEN_EVENTS:
        return event
    from_scene = caller == scene_path
    name = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
    if event == "sys._getframe":
        return event if from_scene or caller.endswith(_FRAME_GETTERS) else None
    if event == "object.__getattr__" and (name in _FRAMES or name in _FUNCTION_INTERNALS):
        inspecting = name in _FRAMES and caller.endswith("/inspect.py")
        return f"introspection:{name}" if from_scene or inspecting else None
    if event == "object.__setattr__" and name in _FUNCTION_INTERNALS:
        return f"patching:{name}" if from_scene else None
    if event == "open" and args:
        return "open:result-pipe" if _reaches_pipe(args[0], res_fd) else None
    if event == "os.chdir" and args:
        return "chdir:/proc" if os.path.realpath(os.fsdecode(args[0])).startswith("/proc/") else None
    if event == "fcntl.fcntl" and args and args[0] == res_fd:
        return "fcntl:result-pipe"
    if event == "subprocess.Popen" and len(args) > 1:
        program = args[0] or (args[1][0] if isinstance(args[1], list | tuple) and args[1] else args[1])
        base = os.path.basename(os.fsdecode(program)) if isinstance(program, str | bytes) else "?"
        return None if base in ALLOWED_PROGRAMS else f"subprocess:{base}"
    return None


def _reaches_pipe(path: Any, res_fd: int) -> bool:
    """Whether opening `path` could give a handle on the result pipe (by number, or through /proc)."""
    if isinstance(path, int):
        return path == res_fd
    try:
        real = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError, OSError):
        return True
    return real.startswith("/dev/fd") or (
        real.startswith("/proc/") and ("/fd/" in real or real.endswith("/fd"))
    )


def arm(res_fd: int, scene_path: str) -> None:
    """Install the tamper guards; from here on, scene code must not reach the result channel."""

    def stop(what: str, *, _finish=finish) -> None:
        _finish(res_fd, fail(f"tamper:{what}", f"the scene used {what}, which no training scene needs"))

    busy = [False]

    def hook(event: str, args: tuple, *, _getframe=sys._getframe, _check=tamper_event) -> None:
        if busy[0]:
            return
        busy[0] = True
        try:
            what = _check(event, args, _getframe(1).f_code.co_filename, scene_path, res_fd)
            if what is not None:
                stop(what)
        finally:
            busy[0] = False

    sys.addaudithook(hook)
    import posix

    for name in _FD_FUNCS:
        original = getattr(os, name, None)
        if original is not None:
            guarded = _fd_guard(name, original, res_fd, stop)
            setattr(os, name, guarded)
            if hasattr(posix, name):
                setattr(posix, name, guarded)
    closerange = os.closerange

    def guarded_closerange(low: int, high: int) -> None:
        if low <= res_fd < high:
            stop("os.closerange:result-pipe")
        closerange(low, high)

    os.closerange = posix.closerange = guarded_closerange  # type: ignore[assignment]

    def quiet_exit(status: int = 0, *, _finish=finish) -> None:
        _finish(
            res_fd, fail("silent-exit", f"process exited with os._exit({status}) before construct() returned")
        )

    os._exit = posix._exit = quiet_exit  # type: ignore[assignment]


def _fd_guard(name: str, original: Any, res_fd: int, stop: Any) -> Any:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if res_fd in args[:2] or kwargs.get("fd") == res_fd:
            stop(f"os.{name}:result-pipe")
        return original(*args, **kwargs)

    return guarded


def sample_times(run_time: float, frame_rate: float, samples: int = SAMPLES_PER_ANIMATION) -> list[float]:
    """The CLI's frame times `k / frame_rate` (all of them, or `samples` evenly spread), then `run_time`.

    Sampling the CLI's own grid means an error found here is one the CLI hits too; without pixels to
    draw, every frame costs little (bench_validate.py measures it), so all frames is the default.
    """
    n = max(0, math.ceil(run_time * frame_rate - 1e-9))
    if n == 0:
        return [run_time]
    if samples <= 0 or samples >= n:
        picks = list(range(n))
    else:
        picks = sorted({round(i * (n - 1) / max(1, samples - 1)) for i in range(samples)})
    return [k / frame_rate for k in picks] + [run_time]


class _Progress(list):
    def close(self) -> None:  # play_internal closes its progress bar
        pass


def patch_manim(samples: int, trace: Trace | None = None) -> dict[str, int]:
    """Count plays and waits, trace what is shown, and make skipped animations interpolate at sampled
    frames."""
    import numpy as np
    from manim import Scene, config
    from manim.renderer.cairo_renderer import CairoRenderer

    counts = {"play": 0, "wait": 0, "depth": 0}
    orig_play, orig_wait, orig_add = Scene.play, Scene.wait, Scene.add

    def play(self: Any, *args: Any, **kwargs: Any) -> Any:
        if counts["depth"] == 0:
            counts["play"] += 1
            if trace is not None:
                for anim in args:
                    trace.animation(anim)
        return orig_play(self, *args, **kwargs)

    def add(self: Any, *mobjects: Any) -> Any:
        if trace is not None and counts["depth"] == 0:
            for mob in mobjects:
                trace.mobject(mob)
        return orig_add(self, *mobjects)

    def wait(self: Any, *args: Any, **kwargs: Any) -> Any:
        if counts["depth"] == 0:
            counts["wait"] += 1
        counts["depth"] += 1
        try:
            return orig_wait(self, *args, **kwargs)
        finally:
            counts["depth"] -= 1

    def get_time_progression(
        self: Any,
        run_time: float,
        description: str,
        n_iterations: int | None = None,
        override_skip_animations: bool = False,
    ) -> _Progress:
        rate = config["frame_rate"]
        if self.renderer.skip_animations and not override_skip_animations:
            return _Progress(sample_times(run_time, rate, samples))
        return _Progress(np.arange(0, run_time, 1 / rate))

    orig_render = CairoRenderer.render

    def render(self: Any, scene: Any, time: float, moving_mobjects: Any = None) -> None:
        """While skipping, manim still draws every sampled frame and copies its pixels, only to drop
        them (`add_frame` returns early): here the last frame of each animation is drawn (so a mobject
        cairo cannot draw still fails, as in the CLI) and no pixels are copied."""
        if not self.skip_animations:
            return orig_render(self, scene, time, moving_mobjects)
        if time >= scene.duration - 1e-9:
            self.update_frame(scene, moving_mobjects)
        return None

    Scene.play, Scene.wait, Scene.add = play, wait, add  # type: ignore[method-assign]
    Scene.get_time_progression = get_time_progression  # type: ignore[method-assign]
    CairoRenderer.render = render  # type: ignore[method-assign]
    return counts


def run_scene(task: dict[str, Any], work: str, res_fd: int) -> dict[str, Any]:
    """Import the program, build the scene and run its lifecycle; the ok result (raises on failure)."""
    from manim import Mobject, Scene, config
    from manim.manager import Manager

    config.quality = task.get("quality", "low_quality")  # the CLI's -ql frame grid
    if task["stage"] == "render":
        config.save_last_frame = True
        config.media_dir = os.path.join(work, "media")
        config.output_file = "last"
    else:
        config.dry_run = True
    random.seed(0)  # unseeded randomness would make traces (and so descriptions) differ run to run
    np_random_seed(0)
    trace = Trace(task["code"])
    counts = patch_manim(int(task.get("samples", SAMPLES_PER_ANIMATION)), trace)
    path = os.path.join(work, SCENE_FILE)
    with open(path, "w", encoding="utf-8") as fh:  # for tracebacks and inspect.getsource
        fh.write(task["code"])
    code = compile(task["code"], path, "exec", dont_inherit=True)  # from the task, never a cached .pyc
    if task.get("tamper_guard", True):
        arm(res_fd, path)
    module = types.ModuleType("scene_module")
    module.__file__ = path
    sys.modules["scene_module"] = module
    exec(code, module.__dict__)
    scene_cls = getattr(module, task["scene"], None)
    if not (isinstance(scene_cls, type) and issubclass(scene_cls, Scene)):
        return fail("no-scene", f"{task['scene']} is not a Scene subclass after import")
    scene = scene_cls()
    if task["stage"] != "render":
        scene.renderer._original_skipping_status = True
        scene.renderer.skip_animations = True
    manager = scene.manager or Manager(scene)
    # manim's Manager.render, without its `except EndSceneEarlyException: pass` and without calling an
    # overridable `render`: setup, construct, tear_down, post_construct.
    Scene.setup(scene) if type(scene).setup is Scene.setup else scene.setup()
    scene.construct()
    scene.tear_down()
    manager.post_construct()
    return {
        "status": "ok",
        "done": True,
        "n_play": counts["play"],
        "n_wait": counts["wait"],
        "run_time": round(float(scene.renderer.time), 6),
        # wait() leaves an empty placeholder Mobject in the scene; count only what is visible
        "n_mobjects": sum(1 for m in scene.mobjects if not (type(m) is Mobject and not m.submobjects)),
        **trace.fields(scene),
    }


def np_random_seed(seed: int) -> None:
    import numpy as np

    np.random.seed(seed)


def _scene_line(exc: BaseException) -> int | None:
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(SCENE_FILE):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _latex_log(message: str) -> str:
    """The '!' lines of the LaTeX log that manim names in its error message."""
    for word in message.split():
        if word.endswith(".log") and os.path.isfile(word):
            with open(word, encoding="utf-8", errors="replace") as fh:
                bangs = [ln.strip() for ln in fh if ln.startswith("!")]
            if bangs:
                return " | LaTeX: " + " ; ".join(bangs[:3])
    return ""


def describe_exception(
    exc: BaseException, *, _fail=fail, _one_line=one_line, _scene_line=_scene_line, _latex_log=_latex_log
) -> dict[str, Any]:
    """A one-line, capped failure for anything the scene raised."""
    name = type(exc).__name__
    try:
        text = str(exc).strip().splitlines()
    except BaseException:  # noqa: B036 - a scene-made exception whose __str__ raises
        text = []
    first = text[0] if text else ""
    if name == "EndSceneEarlyException":
        return _fail("tamper:end-scene-early", "the scene raised EndSceneEarlyException to end itself early")
    if isinstance(exc, ModuleNotFoundError) and isinstance(exc.name, str) and exc.name:
        error_type = f"missing-package:{_one_line(exc.name.split('.')[0], 60)}"
    elif isinstance(exc, MemoryError):
        error_type = "memory-limit"
    elif "latex error" in first.lower() or "LaTeX" in name:
        error_type = "latex-error"
    else:
        error_type = _one_line(name, 60)
    detail = f"{name}: {first}"
    if error_type == "latex-error":
        detail += _latex_log(str(exc))
    where = _scene_line(exc)
    suffix = f" (line {where})" if where else ""
    return _fail(error_type, _one_line(detail, MAX_DETAIL_CHARS - len(suffix)) + suffix)


def child_main(
    task: dict[str, Any],
    opts: dict[str, Any],
    res_fd: int,
    work: str,
    *,
    _run=run_scene,
    _describe=describe_exception,
    _fail=fail,
    _finish=finish,
) -> None:
    """The forked child's whole life: limits, the scene, one result line, exit.

    What runs after the scene is bound here as defaults, so a scene that replaces this module's
    globals (`sys.modules["child"].describe_exception = ...`) changes nothing.
    """
    os.chdir(work)
    os.environ["HOME"] = os.path.join(opts["scratch"], "home")
    try:
        set_limits(task)
        res_fd = hide_fd(res_fd, int(task["nofile"]))
        result = _run(task, work, res_fd)
    except BaseException as exc:  # noqa: B036 - scene code may raise anything, even SystemExit
        try:
            result = _describe(exc)
        except BaseException:  # noqa: B036
            result = _fail("error", "the scene raised an exception that could not be described")
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: B036 - the scene replaced or closed them
        pass
    _finish(res_fd, result)
