"""A pool of warm workers (one per job) that streams scene verdicts and replaces workers that die.

Each slot is a thread owning one worker process; threads pull scenes from a shared queue, so a slow
scene never blocks the others. If a worker dies mid-scene (the scene killed it, or it crashed), that
scene is reported as `worker-died` and a fresh worker takes the slot.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from builder.validate.protocol import (
    MAX_MESSAGE_BYTES,
    MAX_PNG_BYTES,
    SAMPLES_PER_ANIMATION,
    decode_line,
    protocol_error,
)
from builder.validate.sandbox import (
    SCRATCH,
    TEX_SEED_DIR,
    WORKER_SCRIPT,
    SandboxSpec,
    bound_back,
    bwrap_command,
)

STARTUP_TIMEOUT_S = 120.0
MAX_LINE = MAX_MESSAGE_BYTES + 2 * MAX_PNG_BYTES  # one result line from a worker, PNG included


def _count_processes(uid: int) -> int:
    """Processes (threads included, as RLIMIT_NPROC counts them) that `uid` runs right now."""
    total = 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                total += len(list((entry / "task").iterdir()))
        except OSError:
            continue
    return total


def ensure_tex_seed(seed: Path) -> None:
    """Compile DecimalNumber's digit glyphs once per cache dir, outside the sandbox (fixed strings only).

    Workers read them read-only at start-up, so counters, axis labels and charts do not rerun LaTeX in
    every scene, and no scene can poison what the next one reads.
    """
    done = seed / ".complete"
    if done.exists():
        return
    seed.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tex-seed-") as cwd:
        subprocess.run(
            [sys.executable, "-I", str(WORKER_SCRIPT), "--seed", str(seed)],
            cwd=cwd,
            capture_output=True,
            timeout=600,
        )
    if any(seed.glob("*.svg")):
        done.touch()


class WorkerStartError(RuntimeError):
    """A worker did not come up (bad sandbox, manim not importable)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-scene resource limits, applied in the forked child."""

    timeout_s: float = 60.0
    cpu_s: int = 60
    mem_bytes: int = 2 * 1024**3
    fsize_bytes: int = 256 * 1024**2
    nofile: int = 256
    nproc: int = 128  # processes of the worker's uid (threads count too)
    max_output: int = 2 * 1024**2


@dataclass(frozen=True, slots=True)
class SceneTask:
    """One scene of one program to validate."""

    id: str
    code: str
    scene: str
    stage: str  # runtime | render


@dataclass(slots=True)
class _Slot:
    index: int
    proc: subprocess.Popen[str] | None = None
    stderr_tail: deque[str] = field(default_factory=lambda: deque(maxlen=40))
    scratch: tempfile.TemporaryDirectory[str] | None = None


class WorkerPool:
    """Start with `with WorkerPool(...) as pool:` and feed scenes to `pool.run(tasks)`."""

    def __init__(
        self,
        jobs: int,
        limits: Limits,
        *,
        sandbox: bool = True,
        tamper_guard: bool = True,
        samples: int = SAMPLES_PER_ANIMATION,
        uid_base: int = 65534,
        warm_up: bool = True,
        tex_seed: Path | None = None,
    ) -> None:
        self.jobs = max(1, jobs)
        self.limits = limits
        self.sandbox = sandbox
        self.tamper_guard = tamper_guard
        self.samples = samples
        self.uid_base = uid_base
        self.warm_up = warm_up
        self.tex_seed = tex_seed if warm_up else None
        self.slots = [_Slot(i) for i in range(self.jobs)]
        self.restarts = 0

    def __enter__(self) -> WorkerPool:
        if self.tex_seed is not None:
            ensure_tex_seed(self.tex_seed)
        errors: list[BaseException] = []
        threads = [threading.Thread(target=self._start_safe, args=(s, errors)) for s in self.slots]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            self.close()
            raise errors[0]
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start_safe(self, slot: _Slot, errors: list[BaseException]) -> None:
        try:
            self._start(slot)
        except BaseException as exc:  # noqa: B036  (re-raised in the caller's thread)
            errors.append(exc)

    def _uid(self, slot: _Slot) -> int:
        """Each slot its own uid, so one scene's fork bomb cannot use up another slot's process limit."""
        return self.uid_base - slot.index

    def _start(self, slot: _Slot) -> None:
        opts: dict[str, Any] = {"nproc": self.limits.nproc, "max_output": self.limits.max_output}
        opts["warm_up"] = self.warm_up
        if self.sandbox:
            opts.update(scratch=SCRATCH, wipe=["/tmp"], pidns=True, keep=[str(p) for p in bound_back()])
            opts["tex_seed"] = TEX_SEED_DIR if self.tex_seed is not None else None
            uid = self._uid(slot)
            if os.geteuid() != 0:  # our own uid: the limit counts every process we already run
                opts["nproc"] = self.limits.nproc + _count_processes(os.getuid())
            spec = SandboxSpec(uid=uid, gid=uid, tex_seed=self.tex_seed)
            argv = bwrap_command(spec, [sys.executable, "-I", str(WORKER_SCRIPT), json.dumps(opts)])
        else:
            slot.scratch = tempfile.TemporaryDirectory(prefix="manim-validate-")
            scratch = slot.scratch.name
            opts.update(scratch=scratch, wipe=[scratch], pidns=False)
            opts["tex_seed"] = str(self.tex_seed) if self.tex_seed is not None else None
            if os.geteuid() == 0:
                opts["nproc"] = None  # root ignores RLIMIT_NPROC anyway; do not pretend
            argv = [sys.executable, "-I", str(WORKER_SCRIPT), json.dumps(opts)]
        slot.stderr_tail.clear()
        slot.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        threading.Thread(target=self._drain_stderr, args=(slot.proc.stderr, slot), daemon=True).start()
        line = self._read_line(slot, STARTUP_TIMEOUT_S)
        if line is None or not json.loads(line).get("ready"):
            tail = "".join(slot.stderr_tail)[-1500:]
            self._stop(slot)
            raise WorkerStartError(f"validation worker did not start: {tail.strip() or 'no output'}")

    @staticmethod
    def _drain_stderr(stream: IO[str] | None, slot: _Slot) -> None:
        if stream is None:
            return
        for line in stream:
            slot.stderr_tail.append(line[:500])

    @staticmethod
    def _read_line(slot: _Slot, timeout: float) -> str | None:
        """One protocol line (at most `MAX_LINE` characters), or None if the worker died or hung."""
        assert slot.proc is not None and slot.proc.stdout is not None
        box: list[str] = []
        reader = threading.Thread(
            target=lambda: box.append(slot.proc.stdout.readline(MAX_LINE)),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(timeout)
        if not box or not box[0]:
            return None
        return box[0]

    def _stop(self, slot: _Slot) -> None:
        proc = slot.proc
        if proc is not None:
            try:
                if proc.stdin:
                    proc.stdin.close()
            except OSError:
                pass
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        slot.proc = None
        if slot.scratch is not None:
            slot.scratch.cleanup()
            slot.scratch = None

    def close(self) -> None:
        for slot in self.slots:
            self._stop(slot)

    def _payload(self, task: SceneTask, token: str) -> dict[str, Any]:
        lim = self.limits
        return {
            "id": token,
            "code": task.code,
            "scene": task.scene,
            "stage": task.stage,
            "timeout_s": lim.timeout_s,
            "cpu_s": lim.cpu_s,
            "mem_bytes": lim.mem_bytes,
            "fsize_bytes": lim.fsize_bytes,
            "nofile": lim.nofile,
            "tamper_guard": self.tamper_guard,
            "samples": self.samples,
        }

    def _run_one(self, slot: _Slot, task: SceneTask) -> dict[str, Any]:
        if slot.proc is None or slot.proc.poll() is not None:
            self.restarts += 1
            self._start(slot)
        assert slot.proc is not None and slot.proc.stdin is not None
        token = uuid.uuid4().hex  # the worker must echo it: a line for any other task is refused
        try:
            slot.proc.stdin.write(json.dumps(self._payload(task, token)) + "\n")
            slot.proc.stdin.flush()
        except OSError:
            line = None
        else:
            line = self._read_line(slot, self.limits.timeout_s + 30.0)
        if line is None:
            self._stop(slot)
            return {
                "id": task.id,
                "status": "fail",
                "error_type": "worker-died",
                "error": "the scene killed or hung its validation worker; the worker was replaced",
                "seconds": None,
            }
        if not line.endswith("\n"):  # over the size cap: the rest of the line would poison the next read
            self._stop(slot)
            return {**protocol_error("worker line over the size cap; the worker was replaced"), "id": task.id}
        result = decode_line(line)
        if result.get("id") != token:
            result = protocol_error("the worker answered for another scene")
        result["id"] = task.id
        return result

    def run(self, tasks: Iterable[SceneTask]) -> Iterator[tuple[SceneTask, dict[str, Any]]]:
        """Yield (task, result) as soon as each scene finishes, in completion order."""
        todo: queue.Queue[SceneTask | None] = queue.Queue()
        done: queue.Queue[tuple[SceneTask, dict[str, Any]] | BaseException | None] = queue.Queue()
        n = 0
        for task in tasks:
            todo.put(task)
            n += 1
        for _ in self.slots:
            todo.put(None)

        def serve(slot: _Slot) -> None:
            try:
                while (task := todo.get()) is not None:
                    done.put((task, self._run_one(slot, task)))
            except BaseException as exc:  # noqa: B036  (surfaced to the consumer)
                done.put(exc)

        threads = [threading.Thread(target=serve, args=(slot,), daemon=True) for slot in self.slots]
        for t in threads:
            t.start()
        for _ in range(n):
            item = done.get()
            if isinstance(item, BaseException):
                raise item
            assert item is not None
            yield item
        for t in threads:
            t.join()

    def stats(self) -> list[dict[str, Any]]:
        """Peak RSS of each worker and of its largest child so far (kB)."""
        out = []
        for slot in self.slots:
            if slot.proc is None or slot.proc.poll() is not None or slot.proc.stdin is None:
                continue
            slot.proc.stdin.write(json.dumps({"op": "stats"}) + "\n")
            slot.proc.stdin.flush()
            line = self._read_line(slot, 30.0)
            if line:
                out.append(json.loads(line))
        return out
