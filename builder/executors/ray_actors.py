"""The Ray executor: per-row work as Ray tasks, and one actor per CPU slot of a cluster, each hosting one
warm sandboxed WorkerPool(jobs=1) for the scenes.

Before any work the driver (the machine running `manim-dataset build`) checks every node
(ray_nodes.py). `map` (cleaning and fixing, static checks) then sends chunks of `CHUNK_ROWS` rows as Ray tasks,
each run on its node through `isolated_map`, so a row that crashes or hangs its parser fails there
exactly as in a local build; results come back in input order. For the scenes, at most
`IN_FLIGHT_PER_SLOT` are queued on each actor and results stream back as they finish; the funnel, on
the driver, writes the verdict cache (nodes never do). An actor lost mid-run (killed, out of memory,
its node gone) is replaced and the scenes it held are sent again; the one it was running when it died
is blamed, and a scene blamed `MAX_ATTEMPTS` times is `worker-died`.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ray
from ray.exceptions import GetTimeoutError, RayActorError, RayError

from builder.executors import NodeError, PoolSpec
from builder.executors.ray_nodes import (
    STARTUP_TIMEOUT_S,
    check_nodes,
    environment,
    node_label,
    node_problems,
    node_tex_seed,
)
from builder.isolated import Failed, isolated_map
from builder.validate.pool import SceneTask, WorkerPool, WorkerStartError, ensure_tex_seed
from builder.validate.protocol import one_line

CHUNK_ROWS = 64  # rows per Ray task of `map` (cleaning, static checks): a few seconds of work
IN_FLIGHT_PER_SLOT = 2  # one scene running, one waiting on the actor: no idle round trip, bounded memory
MAX_ATTEMPTS = 3  # a scene whose actor was lost this many times while running it is `worker-died`
POLL_S = 10.0
LOG = logging.getLogger(__name__)


# -- the actor ------------------------------------------------------------------------------------------
class ValidationActor:
    """One CPU slot: checks its node, then hosts one warm sandboxed worker and runs one scene per call."""

    def __init__(self, slot: int, spec: PoolSpec, expected: dict[str, str]) -> None:
        self.label = node_label()
        self.error: str | None = None
        self.pool: WorkerPool | None = None
        problems = node_problems(expected, spec.sandbox)
        if problems:
            self.error = "; ".join(p.rstrip(".") for p in problems)
            return
        try:
            seed = node_tex_seed(spec.tex_seed) if spec.warm_up else None
            # its own uid per slot, as the local pool gives each slot one (process limits stay per slot)
            self.pool = spec.worker_pool(1, uid_base=spec.uid_base - slot, tex_seed=seed)
            self.pool.__enter__()
        except (WorkerStartError, OSError) as exc:
            self.pool, self.error = None, f"the validation worker did not start: {exc}"

    def ready(self) -> tuple[str, str | None]:
        return self.label, self.error

    def run(self, task: SceneTask) -> dict[str, Any]:
        assert self.pool is not None
        ((_, raw),) = list(self.pool.run([task]))
        return raw

    def restarts(self) -> int:
        return self.pool.restarts if self.pool else 0

    def stats(self) -> list[dict[str, Any]]:
        return self.pool.stats() if self.pool else []

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


_Actor = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(ValidationActor)


def _died(task: SceneTask, times: int) -> dict[str, Any]:
    return {
        "id": task.id,
        "status": "fail",
        "error_type": "worker-died",
        "error": f"the scene's validation actor was lost {times} times while running it",
        "seconds": None,
    }


# -- the driver's side ----------------------------------------------------------------------------------
def _map_chunk(fn: Callable[[Any], Any], chunk: list[Any], timeout_s: float, batch: int) -> list[Any]:
    """One chunk of rows on a node, each row isolated there as on a local build (a row that crashes
    or hangs its forked worker is a `Failed` row, and the Ray worker goes on)."""
    return list(isolated_map(fn, chunk, jobs=1, timeout_s=timeout_s, batch=batch))


_remote_chunk = ray.remote(num_cpus=1, max_retries=3)(_map_chunk)


def _call(fn: Callable[[Any], Any], part: Any) -> Any:
    return fn(part)


# I/O-bound parts (LLM calls) reserve no CPU, so they never wait behind validation actors; SPREAD puts
# them on different nodes. Not retried by Ray: a part that fails stops the build with its error.
_remote_call = ray.remote(num_cpus=0, max_retries=0, scheduling_strategy="SPREAD")(_call)


@dataclass
class RayExecutor:
    """Connects to the cluster at `address` (or RAY_ADDRESS), or starts a local Ray instance with
    `local_cpus` CPUs; a Ray already initialised in this process is used as it is. The nodes are
    checked once, on first use. With `keep_alive` (a build), only `close()` ends what it started."""

    address: str | None = None
    local_cpus: int = 1
    sandbox: bool = True
    keep_alive: bool = False
    name: str = "ray"
    nodes: int | None = None  # set once the nodes were checked
    slots: int | None = None
    started: bool = field(default=False, repr=False)

    def connect(self) -> None:
        if not ray.is_initialized():
            quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
            address = self.address or os.environ.get("RAY_ADDRESS")
            if address:
                ray.init(address=address, **quiet)
            else:
                ray.init(num_cpus=self.local_cpus, include_dashboard=False, **quiet)
            self.started = True
        if self.nodes is None:
            nodes = check_nodes(self.sandbox)
            self.nodes, self.slots = len(nodes), sum(n for _, n in nodes)

    def release(self) -> None:
        if not self.keep_alive:
            self.close()

    def close(self) -> None:
        if self.started:
            ray.shutdown()
            self.started = False

    def map(
        self, fn: Callable[[Any], Any], items: Iterable[Any], *, timeout_s: float, batch: int = 16
    ) -> Iterator[Any]:
        """`fn` over `items` as Ray tasks of `CHUNK_ROWS` rows, at most two per slot in flight,
        results in input order."""
        self.connect()
        try:
            remote_fn = ray.put(fn)
            source = iter(items)
            pending: deque[Any] = deque()
            window = 2 * (self.slots or 1)
            while True:
                while len(pending) < window and (chunk := list(itertools.islice(source, CHUNK_ROWS))):
                    pending.append(_remote_chunk.remote(remote_fn, chunk, timeout_s, batch))
                if not pending:
                    return
                yield from ray.get(pending.popleft())
        finally:
            self.release()

    def fan_out(self, fn: Callable[[Any], Any], parts: list[Any]) -> list[Any]:
        self.connect()
        try:
            remote_fn = ray.put(fn)
            refs = [_remote_call.remote(remote_fn, part) for part in parts]
            out: list[Any] = []
            for part, ref in zip(parts, refs, strict=True):
                try:
                    out.append(ray.get(ref))
                except RayError as exc:  # its worker or node was lost: that part only has no result
                    out.append(Failed(part, "error", one_line(f"{type(exc).__name__}: {exc}")))
            return out
        finally:
            self.release()

    def parts(self) -> int:
        self.connect()
        return self.slots or 1

    def pool(self, scenes: int, spec: PoolSpec) -> RayPool:
        return RayPool(self, max(1, scenes), spec)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "nodes": self.nodes, "slots": self.slots}


class RayPool:
    """The scene pool of a Ray run (see the module docstring); `lost` and `retried` count faults."""

    def __init__(self, executor: RayExecutor, scenes: int, spec: PoolSpec) -> None:
        self.executor = executor
        self.wanted = scenes
        self.spec = spec
        self.lost = 0  # actors lost mid-run
        self.retried = 0  # scenes sent again after their actor was lost
        self._run_id = uuid.uuid4().hex[:8]
        self._live: dict[int, Any] = {}  # slot -> actor that is up
        self._starting: dict[Any, tuple[int, Any, float]] = {}  # ready() ref -> (slot, actor, since)
        self._generation: Counter[int] = Counter()
        self._replacements = 0
        self._expected: dict[str, str] = {}

    # lifecycle
    def __enter__(self) -> RayPool:
        if self.spec.sandbox and not self.executor.sandbox:  # a pool that needs bwrap: check for it
            self.executor.sandbox, self.executor.nodes = True, None
        self.executor.connect()
        try:
            slots = min(self.wanted, self.executor.slots or 1)
            self._expected = environment()
            if self.spec.tex_seed is not None and self.spec.warm_up:
                ensure_tex_seed(self.spec.tex_seed)  # actors on this machine read it
            for slot in range(slots):
                self._start(slot)
            while self._starting:
                self._await_start(raise_errors=True)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        actors = list(self._live.values()) + [a for _, a, _ in self._starting.values()]
        try:
            ray.get([a.close.remote() for a in self._live.values()], timeout=30)
        except Exception:  # noqa: BLE001 - closing: a dead actor has nothing left to close
            pass
        for actor in actors:
            ray.kill(actor)
        self._live.clear()
        self._starting.clear()
        self.executor.release()

    def _start(self, slot: int) -> None:
        self._generation[slot] += 1
        actor = _Actor.options(
            name=f"manim-validate-{self._run_id}-slot{slot}-{self._generation[slot]}",
            scheduling_strategy="SPREAD",
        ).remote(slot, self.spec, self._expected)
        self._starting[actor.ready.remote()] = (slot, actor, time.monotonic())

    def _await_start(self, *, raise_errors: bool, timeout: float = POLL_S) -> None:
        """Take in the actors that came up; a start that failed is an error at the start of a run, and
        a lost slot later (the run goes on with the others)."""
        ready, _ = ray.wait(list(self._starting), num_returns=1, timeout=timeout)
        for ref in ready:
            slot, actor, _ = self._starting.pop(ref)
            try:
                label, error = ray.get(ref)
            except RayActorError as exc:
                label, error = "a Ray node", f"the validation actor died while starting: {exc}"
            if error is None:
                self._live[slot] = actor
                continue
            ray.kill(actor)
            if raise_errors:
                raise NodeError(f"cannot validate on {label}: {error}")
            LOG.warning("a replacement validation actor did not start on %s: %s", label, error)
        for ref, (_, actor, since) in list(self._starting.items()):
            if time.monotonic() - since > STARTUP_TIMEOUT_S:  # never scheduled: no node has room for it
                del self._starting[ref]
                ray.kill(actor)
                if raise_errors:
                    raise NodeError(f"a validation actor did not start within {STARTUP_TIMEOUT_S:.0f} s")

    # the work
    def run(self, tasks: Iterable[SceneTask]) -> Iterator[tuple[SceneTask, dict[str, Any]]]:
        """Yield (task, raw result) as each scene finishes, in completion order."""
        queue: deque[SceneTask] = deque(tasks)
        held: dict[int, deque[Any]] = {slot: deque() for slot in self._live}  # refs, in submission order
        owner: dict[Any, tuple[int, SceneTask]] = {}
        blamed: Counter[str] = Counter()
        while queue or owner:
            for slot, actor in self._live.items():
                while queue and len(held.setdefault(slot, deque())) < IN_FLIGHT_PER_SLOT:
                    task = queue.popleft()
                    ref = actor.run.remote(task)
                    owner[ref] = (slot, task)
                    held[slot].append(ref)
            if not owner and not self._starting:
                raise RuntimeError("no Ray validation slot is left (every actor was lost)")
            ready, _ = ray.wait(list(owner) + list(self._starting), num_returns=1, timeout=POLL_S)
            if not ready or ready[0] in self._starting:
                self._await_start(raise_errors=False, timeout=0)
                continue
            ready, _ = ray.wait(list(owner), num_returns=len(owner), timeout=0)  # all that are done
            for ref in ready:
                if ref not in owner:  # its actor was lost earlier in this batch: handled there
                    continue
                slot, task = owner[ref]
                try:
                    raw = ray.get(ref)
                except RayActorError:
                    yield from self._lose(slot, held.pop(slot), owner, queue, blamed)
                    continue
                del owner[ref]
                held[slot].remove(ref)
                yield task, raw

    def _lose(
        self,
        slot: int,
        refs: deque[Any],
        owner: dict[Any, tuple[int, SceneTask]],
        queue: deque[SceneTask],
        blamed: Counter[str],
    ) -> Iterator[tuple[SceneTask, dict[str, Any]]]:
        """The actor of `slot` is gone: keep what it finished, blame the scene it was running (the first
        unfinished call: an actor runs its calls in order), send the others again, start a replacement."""
        self.lost += 1
        actor = self._live.pop(slot, None)
        if actor is not None:
            ray.kill(actor)  # unreachable is not always dead: it must not run anything more
        again: list[SceneTask] = []
        culprit = True
        for ref in refs:
            _, task = owner.pop(ref)
            try:
                raw = ray.get(ref, timeout=30)  # finished before the actor went: its result stands
            except (RayActorError, GetTimeoutError):
                pass
            else:
                yield task, raw
                continue
            if culprit:
                culprit = False
                blamed[task.id] += 1
                if blamed[task.id] >= MAX_ATTEMPTS:
                    yield task, _died(task, blamed[task.id])
                    continue
            again.append(task)
        queue.extendleft(reversed(again))
        self.retried += len(again)
        if self._replacements < MAX_ATTEMPTS * max(1, self.executor.slots or 1):
            self._replacements += 1
            self._start(slot)

    @property
    def restarts(self) -> int:
        return sum(ray.get([a.restarts.remote() for a in self._live.values()], timeout=60))

    def stats(self) -> list[dict[str, Any]]:
        return [
            s for part in ray.get([a.stats.remote() for a in self._live.values()], timeout=60) for s in part
        ]
