"""Where the expensive per-row work runs: the one small interface the stages call.

An executor does two things. `map(fn, items)` runs a per-row function (cleaning and fixing, static
checks) with every row crash- and hang-isolated, results in input order. `pool(...)` opens a *scene
pool*: something with `run(tasks)` that yields `(task, raw result)` as each scene finishes,
`restarts`, `stats()`, and a `with` block around it. Every executor starts the same warm sandboxed
workers (`PoolSpec`, so limits and verdicts are the same everywhere), and none writes the verdict
cache or the output: the funnel (builder/validate/funnel.py) and the stages, on the driver, do.

- `local` (local.py): today's `WorkerPool` with one warm worker per job on this machine.
- `ray` (ray_actors.py; the node checks in ray_nodes.py): one Ray actor per CPU slot of a cluster, each
  hosting a `WorkerPool(jobs=1)`; needs the optional extra `ray` (`pip install 'manim-code-dataset[ray]'`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from builder.errors import ConfigError
from builder.isolated import Failed
from builder.validate.pool import Limits, SceneTask, WorkerPool
from builder.validate.protocol import SAMPLES_PER_ANIMATION

EXECUTORS = ("local", "ray")
T = TypeVar("T")
R = TypeVar("R")


class NodeError(ConfigError):
    """A machine the build would validate on lacks what validation needs (named in the message)."""


@dataclass(frozen=True, slots=True)
class PoolSpec:
    """Everything a validation worker is started with; identical on every executor and node."""

    limits: Limits
    sandbox: bool = True
    tamper_guard: bool = True
    samples: int = SAMPLES_PER_ANIMATION
    uid_base: int = 65534
    warm_up: bool = True
    tex_seed: Path | None = None  # digits compiled once per machine (speed only, not verdicts)

    def worker_pool(
        self, jobs: int, *, uid_base: int | None = None, tex_seed: Path | None = None
    ) -> WorkerPool:
        return WorkerPool(
            jobs,
            self.limits,
            sandbox=self.sandbox,
            tamper_guard=self.tamper_guard,
            samples=self.samples,
            uid_base=self.uid_base if uid_base is None else uid_base,
            warm_up=self.warm_up,
            tex_seed=tex_seed or self.tex_seed,
        )


class ScenePool(Protocol):
    restarts: int  # workers replaced because a scene killed or hung one

    def run(self, tasks: Iterable[SceneTask]) -> Iterator[tuple[SceneTask, dict[str, Any]]]: ...

    def stats(self) -> list[dict[str, Any]]: ...

    def __enter__(self) -> ScenePool: ...

    def __exit__(self, *exc: object) -> None: ...


class Executor(Protocol):
    name: str

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, timeout_s: float, batch: int = 16
    ) -> Iterator[R | Failed[T]]:
        """`fn` over `items` in input order, each row crash- and hang-isolated (builder/isolated.py)."""
        ...

    def pool(self, scenes: int, spec: PoolSpec) -> ScenePool:
        """A pool for a run of `scenes` scenes (fewer slots than scenes are never started)."""
        ...

    def fan_out(self, fn: Callable[[T], R], parts: list[T]) -> list[R | Failed[T]]:
        """`fn(part)` for each of a few large parts of I/O-bound work (LLM calls), results in order; on
        Ray each part is a task spread over the nodes, and a part whose worker or node is lost comes back
        `Failed`. `fn` must not raise."""
        ...

    def parts(self) -> int:
        """How many parts `fan_out` runs at once (the slots)."""
        ...

    def describe(self) -> dict[str, Any]:
        """What stats.json records: `name`, `nodes` and `slots` (for Ray: None until it was used)."""
        ...

    def close(self) -> None:
        """Release what the executor started (a local Ray instance); a no-op for `local`."""
        ...


def make_executor(
    name: str | None, *, jobs: int, ray_address: str | None = None, sandbox: bool = True
) -> Executor:
    """The executor called `name` (default `local`); `ray` without Ray installed is a clear error."""
    name = name or "local"
    if name == "local":
        from builder.executors.local import LocalExecutor

        return LocalExecutor(jobs)
    if name == "ray":
        try:
            from builder.executors.ray_actors import RayExecutor
        except ImportError as exc:
            raise ConfigError(
                f"--executor ray needs Ray ({exc}): pip install 'manim-code-dataset[ray]'"
            ) from None
        return RayExecutor(address=ray_address, local_cpus=jobs, sandbox=sandbox, keep_alive=True)
    raise ConfigError(f"unknown executor {name!r}; known: {', '.join(EXECUTORS)}")


def build_executor(request: Any, settings: Any) -> Executor:
    """The executor a build asked for: the request's `executor`/`ray_address`, else build.yaml's."""
    return make_executor(
        request.executor or settings.executor,
        jobs=request.jobs,
        ray_address=request.ray_address or settings.ray_address,
        sandbox=not request.unsafe_no_sandbox,
    )


def executor_for(ctx: Any) -> Executor:
    """The build's one executor (made on first use and kept in `ctx.shared`)."""
    if "executor" not in ctx.shared:
        ctx.shared["executor"] = build_executor(ctx.request, ctx.settings)
    return ctx.shared["executor"]


@contextmanager
def executor_scope(ctx: Any) -> Iterator[None]:
    """Around the stages that use the executor: whatever it started is released at the end."""
    try:
        yield
    finally:
        executor = ctx.shared.get("executor")
        if executor is not None:
            executor.close()


def describe_executor(ctx: Any) -> dict[str, Any]:
    """stats.json's `executor`: what ran (or, when nothing asked for one, what was chosen)."""
    if "executor" in ctx.shared:
        return ctx.shared["executor"].describe()
    name = ctx.request.executor or ctx.settings.executor or "local"
    local = name == "local"
    return {"name": name, "nodes": 1 if local else None, "slots": ctx.request.jobs if local else None}
