"""Shared test fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from records import make_record as _make_record

from builder.schema import Record
from builder.validate.manim_names import manim_version
from builder.validate.pool import Limits, WorkerPool, ensure_tex_seed

# Short limits keep hostile scenes (infinite loops, sleeps, fork bombs) cheap in tests.
TEST_LIMITS = Limits(timeout_s=6.0, cpu_s=4, mem_bytes=1024**3, nproc=64, max_output=1024**2)


@pytest.fixture
def make_record() -> Callable[..., Record]:
    """`make_record(code=..., *, n=None, measure=False, **fields) -> Record`: defaults for every required
    field (id `r{n:03d}`, description `Row {n} draws shapes`, source "s", `Origin()`, licence "mit",
    priority 50); see tests/records.py, whose function this is (module-level helpers import it)."""
    return _make_record


@pytest.fixture(scope="session")
def runtime_validator(tmp_path_factory) -> Iterator[WorkerPool]:
    """One warm sandboxed worker for the whole test run (one job, so scenes run in submission order),
    with LaTeX digit glyphs compiled once beforehand as the build does (so counters and axis labels do
    not spend the tests' short CPU limits on LaTeX)."""
    seed = tmp_path_factory.mktemp("tex-seed") / manim_version()
    ensure_tex_seed(seed)
    with WorkerPool(1, TEST_LIMITS, tex_seed=seed.resolve()) as pool:
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
