"""Run a per-row function in worker processes that a row can crash or hang without taking the build down.

Why: a row is untrusted input, and the parsers we feed it to are native code. A segfault in a worker
of `multiprocess.Pool` hangs the pool; in the build's own process it kills the build. Here each worker
reports every result as soon as it has it, so when a worker dies (a signal, an abort) or makes no
progress for `timeout_s`, the parent knows exactly which row was running: that row becomes a `Failed`
result, the rows queued behind it go to a fresh worker, and the build goes on. Results come back in
input order, so the output does not depend on scheduling.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import multiprocess
from multiprocess.connection import wait

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Failed(Generic[T]):
    """The row `item` killed or hung its worker (`kind`: crash | timeout | error) and has no result."""

    item: T
    kind: str
    detail: str


@dataclass
class _Worker:
    proc: Any
    conn: Any
    in_flight: deque = field(default_factory=deque)  # (index, item) sent and not yet answered
    last_progress: float = field(default_factory=time.monotonic)


def _serve(fn: Callable[[Any], Any], conn: Any) -> None:
    """Worker loop: a batch in, one message per finished row out (so the parent knows where it died)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    faulthandler.disable()  # a crash is reported by the parent, once, as the row's failure
    while True:
        try:
            batch = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for index, item in batch:
            try:
                message = (index, True, fn(item))
            except Exception as exc:  # noqa: BLE001 - reported as this row's failure
                message = (index, False, f"{type(exc).__name__}: {exc}"[:300])
            conn.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))


def _describe_death(proc: Any) -> str:
    proc.join(timeout=5)
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            return f"worker killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"worker killed by signal {-code}"
    return f"worker exited with status {code}"


class _Pool:
    def __init__(self, fn: Callable[[Any], Any], jobs: int) -> None:
        self.fn = fn
        self.ctx = multiprocess.get_context("fork")
        self.workers = [self._spawn() for _ in range(max(1, jobs))]

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=_serve, args=(self.fn, child), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def replace(self, worker: _Worker) -> None:
        if worker.proc.is_alive():
            os.kill(worker.proc.pid, signal.SIGKILL)
        worker.proc.join(timeout=5)
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._spawn()

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker.conn.send_bytes(pickle.dumps(None))
            except OSError:
                pass
        for worker in self.workers:
            worker.proc.join(timeout=5)
            if worker.proc.is_alive():
                worker.proc.kill()
                worker.proc.join()
            worker.conn.close()


def isolated_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int = 1,
    timeout_s: float = 120.0,
    batch: int = 16,
) -> Iterator[R | Failed[T]]:
    """`fn` over `items` in `jobs` forked worker processes, in input order, surviving crashes and hangs.

    `fn` runs in a child process: it must not rely on state it changes in the parent. A row whose
    worker dies or exceeds `timeout_s` without finishing yields `Failed(item, "crash" | "timeout")`; an
    exception from `fn` yields `Failed(item, "error")`.
    """
    pool = _Pool(fn, jobs)
    source = iter(enumerate(items))
    exhausted = False
    queued: deque[tuple[int, T]] = deque()  # rows to (re)send, in order
    done: dict[int, R | Failed[T]] = {}
    next_out = 0
    window = max(1, jobs) * batch * 4  # rows in the parent's hands at once: bounded memory
    try:
        while True:
            while not exhausted and len(queued) + len(done) + _in_flight(pool) < window:
                try:
                    queued.append(next(source))
                except StopIteration:
                    exhausted = True
            for worker in pool.workers:
                if not worker.in_flight and queued:
                    chunk = [queued.popleft() for _ in range(min(batch, len(queued)))]
                    worker.in_flight.extend(chunk)
                    worker.last_progress = time.monotonic()
                    worker.conn.send_bytes(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL))
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            busy = [w for w in pool.workers if w.in_flight]
            if not busy:
                if exhausted and not queued:
                    return
                continue
            ready = wait([w.conn for w in busy], timeout=1.0)
            now = time.monotonic()
            for worker in busy:
                if worker.conn in ready:
                    _receive(worker, done, pool, queued)
                elif now - worker.last_progress > timeout_s:
                    index, item = worker.in_flight.popleft()
                    done[index] = Failed(item, "timeout", f"no result after {timeout_s:g} s")
                    queued.extendleft(reversed(worker.in_flight))
                    pool.replace(worker)
    finally:
        pool.close()


def _in_flight(pool: _Pool) -> int:
    return sum(len(w.in_flight) for w in pool.workers)


def _receive(worker: _Worker, done: dict, pool: _Pool, queued: deque) -> None:
    try:
        index, ok, value = pickle.loads(worker.conn.recv_bytes())
    except (EOFError, OSError, pickle.UnpicklingError):
        index, item = worker.in_flight.popleft()
        done[index] = Failed(item, "crash", _describe_death(worker.proc))
        queued.extendleft(reversed(worker.in_flight))
        pool.replace(worker)
        return
    sent_index, item = worker.in_flight.popleft()
    assert sent_index == index, (sent_index, index)
    done[index] = value if ok else Failed(item, "error", value)
    worker.last_progress = time.monotonic()


@dataclass(frozen=True, slots=True)
class Died:
    """The streaming child died or stalled (`kind`: crash | timeout) after sending `last` (or nothing)."""

    kind: str
    detail: str


def isolated_stream(
    produce: Callable[[Callable[[Any], None]], None], *, timeout_s: float = 300.0
) -> Iterator[Any]:
    """Run `produce(send)` in a forked child and yield every object it sends, as it sends it.

    If the child dies or sends nothing for `timeout_s`, a final `Died` is yielded instead of an error:
    the caller knows from the last message it got where the child was (see repos/source.py, which
    sends a marker before parsing each file, so it can blame and skip the file that killed it).
    """
    ctx = multiprocess.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def run() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        faulthandler.disable()
        try:
            produce(
                lambda obj: child.send_bytes(pickle.dumps(("item", obj), protocol=pickle.HIGHEST_PROTOCOL))
            )
            child.send_bytes(pickle.dumps(("done", None)))
        except BaseException as exc:  # noqa: B036 - reported as the stream's end
            child.send_bytes(pickle.dumps(("error", f"{type(exc).__name__}: {exc}"[:300])))

    proc = ctx.Process(target=run, daemon=True)
    proc.start()
    child.close()
    try:
        while True:
            if not parent.poll(timeout_s):
                yield Died("timeout", f"no progress for {timeout_s:g} s")
                return
            try:
                kind, obj = pickle.loads(parent.recv_bytes())
            except (EOFError, OSError, pickle.UnpicklingError):
                yield Died("crash", _describe_death(proc))
                return
            if kind == "done":
                return
            if kind == "error":
                yield Died("error", obj)
                return
            yield obj
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
        parent.close()
