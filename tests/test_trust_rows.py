"""No row can crash or hang a build: pathological nesting, lone surrogates, crashing and hanging workers,
runaway globs and NUL-filled files each end as an exclusion or a clear config error."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from builder.clean import CleanSettings, clean_row
from builder.errors import ConfigError
from builder.isolated import Failed, isolated_map
from builder.schema import Origin, RawRow, Record
from builder.sources import load_sources

GOOD = (
    "from manim import *\n\n\nclass SteadyOrbitOfMoon(Scene):\n    def construct(self):\n"
    "        self.play(Create(Circle()))\n"
)
HEAD = "from manim import *\n\n\nclass Deep(Scene):\n    def construct(self):\n        x = "
PATHOLOGICAL = {
    "parens": HEAD + "(" * 1500 + "1" + ")" * 1500 + "\n",
    "unary": HEAD + "- " * 3000 + "1\n",
    "not": HEAD + "not " * 3000 + "True\n",
    "attributes": HEAD + "self" + ".a" * 3000 + "\n",
    "subscripts": HEAD + "[0]" + "[0]" * 3000 + "\n",
    "sum-chain": HEAD + " + ".join(["1"] * 20_000) + "\n",
    "fenced-unary": "Here you go:\n```python\n" + HEAD + "- " * 3000 + "1\n```\n",
}


def _raw(code: object, locator: str = "x", description: str = "A moon that orbits steadily") -> RawRow:
    return RawRow("t", locator, description, code, Origin(), "MIT", 50)


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_nesting_is_an_exclusion(name):
    out = clean_row(_raw(PATHOLOGICAL[name]), CleanSettings())
    assert out.reason == "unparsable:too-deep", (name, out)


def test_lone_surrogates_and_huge_literals_are_exclusions():
    assert clean_row(_raw(GOOD + "# \ud800\n"), CleanSettings()).reason == "invalid-unicode"
    assert clean_row(_raw(GOOD, description="bad \udfff text"), CleanSettings()).reason == (
        "description-invalid-unicode"
    )
    t0 = time.perf_counter()
    huge = GOOD + "VALUES = [" + ",".join(["1"] * 49_000) + "]\n"  # 98 KB
    assert clean_row(_raw(huge), CleanSettings()).reason == "too-complex"
    assert time.perf_counter() - t0 < 30  # measured 74 s before the node limit


def _crash_on_marker(raw: RawRow):
    if raw.code == "SEGFAULT":
        os.kill(os.getpid(), signal.SIGSEGV)
    if raw.code == "HANG":
        time.sleep(600)
    return clean_row(raw, CleanSettings())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crashing_or_hanging_row_takes_only_itself_down(jobs):
    rows = [_raw(GOOD, f"ok{i}") for i in range(20)]
    rows[3] = _raw("SEGFAULT", "crash")
    rows[11] = _raw("HANG", "hang")
    out = list(isolated_map(_crash_on_marker, rows, jobs=jobs, timeout_s=3, batch=4))
    assert [o.item.locator for o in out if isinstance(o, Failed)] == ["crash", "hang"]
    assert [o.kind for o in out if isinstance(o, Failed)] == ["crash", "timeout"]
    assert "SIGSEGV" in out[3].detail
    assert sum(1 for o in out if not isinstance(o, Failed)) == 18  # the rest, in input order
    assert [o.id for o in out[:3]] == [clean_row(r, CleanSettings()).id for r in rows[:3]]


def _jsonl_source(tmp_path: Path, rows: list[dict]) -> Path:
    data = tmp_path / "rows.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    spec = tmp_path / "sources.yaml"
    spec.write_text(
        "sources:\n  - name: t\n    kind: files\n    path: rows.jsonl\n"
        "    fields: {description: d, code: c}\n    license: MIT\n"
    )
    return spec


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_survives_pathological_rows(tmp_path, build_cache, jobs):
    from builder.pipeline import build

    rows = [{"d": f"Deeply nested {name} expression row", "c": code} for name, code in PATHOLOGICAL.items()]
    rows += [{"d": "Surrogate in the code of this row", "c": GOOD + "# \ud800\n"}]
    rows += [{"d": "A moon orbiting a planet steadily", "c": GOOD}]
    out = tmp_path / "dist"
    result = build(
        sources=[_jsonl_source(tmp_path, rows)], out_dir=out, cache_dir=build_cache, jobs=jobs, progress=False
    )
    assert result.stats["accounting"]["ok"]
    assert result.stats["sources"]["t"]["in"] == len(rows)
    excluded = pq.read_table(out / "excluded.parquet").to_pylist()
    reasons = sorted(e["reason"] for e in excluded if e["scope"] == "all")
    assert reasons == ["invalid-unicode"] + ["unparsable:too-deep"] * len(PATHOLOGICAL)
    assert sum(result.stats["configs"]["clean"]["splits"].values()) == 1


@pytest.mark.timeout(60)
def test_a_runaway_glob_is_a_config_error(tmp_path):
    spec = tmp_path / "sources.yaml"
    spec.write_text(
        "sources:\n  - name: everything\n    kind: files\n    path: /**/*.jsonl\n"
        "    fields: {description: d, code: c}\n"
    )
    with pytest.raises(ConfigError, match="everything.*narrow it"):
        load_sources([spec])


@pytest.mark.timeout(60)
def test_a_nul_filled_file_is_a_config_error(tmp_path, build_cache):
    from builder.pipeline import build

    spec = _jsonl_source(tmp_path, [])
    with open(tmp_path / "rows.jsonl", "wb") as fh:
        fh.truncate(1536 * 1024**2)  # 1.5 GB of NUL bytes, sparse on disk
    with pytest.raises(ConfigError, match="NUL bytes"):
        build(sources=[spec], out_dir=tmp_path / "dist", cache_dir=build_cache, progress=False)


def test_chains_that_are_flat_in_ast_but_deep_in_libcst():
    """`x and x and ...` is one BoolOp in `ast` but one level per operand in libcst (a segfault before)."""
    from builder.validate.static import static_check

    code = HEAD + " and ".join(["1"] * 9000) + "\n"
    assert clean_row(_raw(code), CleanSettings()).reason == "unparsable:too-deep"
    assert static_check(code).error_type == "too-deep"
    mid = HEAD + " and ".join(["1"] * 600) + "\n"
    assert static_check(mid).error_type == "too-deep"  # RecursionError territory, reported, not raised


class _Finalised:
    """Cyclic garbage with a finaliser: a collection during a parse runs Python code, so another thread
    gets the GIL mid-parse (what the build's threads and the yield test's runner thread do)."""

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        sum(range(2000))


def test_rows_cleaned_and_checked_on_two_threads_at_once():
    """CPython 3.11.7 counts AST construction depth in state shared by threads; two threads parsing at once
    raised "SystemError: AST constructor recursion depth mismatch" (a CI run lost the yield tests to it).
    Here two threads clean and check rows concurrently under constant GC pressure, one from a deeper stack."""
    import sys
    import threading

    from builder.validate.static import static_check

    body = "".join(
        f"        c{i} = Circle(radius={i / 10}).shift([{i}, 0, 0]).set_color(BLUE)\n"
        f"        self.play(Create(c{i}), *[FadeIn(d) for d in (Dot(), Square()) if d], run_time=0.1)\n"
        for i in range(25)
    )
    code = "from manim import *\n\n\nclass ManyCircles(Scene):\n    def construct(self):\n" + body
    first = clean_row(_raw(code), CleanSettings())
    assert isinstance(first, Record), first
    want = first.code
    errors: list[BaseException] = []

    def work(depth: int) -> None:
        if depth:
            return work(depth - 1)
        try:
            for _ in range(3):
                for _ in range(40):
                    _Finalised()
                outcome = clean_row(_raw(code), CleanSettings())
                assert isinstance(outcome, Record) and outcome.code == want
                assert static_check(want).scenes == ("ManyCircles",)
        except BaseException as exc:  # noqa: BLE001 (reported by the main thread)
            errors.append(exc)

    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(depth,)) for depth in (0, 40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(before)
    assert not errors, errors[0]
