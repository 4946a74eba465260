"""The local executor: `--jobs` forked row workers (`isolated_map`) and one warm sandboxed scene worker
per job (a `WorkerPool`), all on this machine: the build as it always ran."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from builder.executors import PoolSpec
from builder.isolated import Failed, isolated_map
from builder.validate.pool import WorkerPool
from builder.validate.sandbox import check_bwrap

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class LocalExecutor:
    jobs: int
    name: str = "local"

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, timeout_s: float, batch: int = 16
    ) -> Iterator[R | Failed[T]]:
        return isolated_map(fn, items, jobs=self.jobs, timeout_s=timeout_s, batch=batch)

    def pool(self, scenes: int, spec: PoolSpec) -> WorkerPool:
        if spec.sandbox:
            check_bwrap()  # without bubblewrap: stop, and say how to fix it
        return spec.worker_pool(min(self.jobs, max(1, scenes)))

    def fan_out(self, fn: Callable[[T], R], parts: list[T]) -> list[R | Failed[T]]:
        return [fn(part) for part in parts]

    def parts(self) -> int:
        return 1  # one process: its thread pool is the concurrency

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "nodes": 1, "slots": self.jobs}

    def close(self) -> None:
        pass
