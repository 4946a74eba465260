"""Shared test fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from builder.validate.pool import Limits, WorkerPool

# Short limits keep hostile scenes (infinite loops, sleeps, fork bombs) cheap in tests.
TEST_LIMITS = Limits(timeout_s=6.0, cpu_s=4, mem_bytes=1024**3, nproc=64, max_output=1024**2)


@pytest.fixture(scope="session")
def runtime_validator() -> Iterator[WorkerPool]:
    """One warm sandboxed worker for the whole test run (one job, so scenes run in submission order)."""
    with WorkerPool(1, TEST_LIMITS) as pool:
        yield pool


@pytest.fixture(scope="session")
def sandbox_only_validator() -> Iterator[WorkerPool]:
    """A warm worker without the child's tamper guards, to show what the sandbox alone contains."""
    with WorkerPool(1, TEST_LIMITS, tamper_guard=False) as pool:
        yield pool


@pytest.fixture(scope="session")
def build_cache(tmp_path_factory):
    """One build cache (validation verdicts, datasets cache) for every test build, so each distinct
    program is validated once per test run, as in a real rebuild."""
    return tmp_path_factory.mktemp("build-cache")


@pytest.fixture(scope="session")
def samples_build(tmp_path_factory, build_cache):
    """One build of the bundled samples (the default sources), shared by every test that reads it."""
    from builder.pipeline import build

    out = tmp_path_factory.mktemp("samples-dist")
    return build(out_dir=out, cache_dir=build_cache, progress=False)
