"""Throughput and memory of the cheap build stages on N synthetic rows.

Rows are made by mutating a handful of scene templates (names, numbers, colours, comments, fences,
prose, exact and reformatted copies), written to a JSONL, then pushed through the real stages one at a
time on one core: load (datasets), strip fences, parse, normalise, exact dedup, export (parquet).
Each N runs in a fresh process so its peak RSS is its own.

    python benchmarks/bench_build.py            # N = 10,000 and 100,000
    python benchmarks/bench_build.py --n 2000   # quick look

Target (issue 2): >= 2,000 rows/s per core for the cheap stages, peak RSS < 2 GB at 100,000 rows.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from builder import guard

TEMPLATES = [
    """from manim import *

class {name}(Scene):
    def construct(self):
        shape = {shape}(color={color})
        self.play(Create(shape), run_time={t})
        self.play(shape.animate.shift({direction} * {k}))
        self.wait({w})
""",
    """from manim import *
import numpy as np

AMPLITUDE = {k}


def wave(x):
    return AMPLITUDE * np.sin({t} * x)


class {name}(Scene):
    \"\"\"Plot a sine wave and trace it.\"\"\"

    def construct(self):
        axes = Axes(x_range=[-{k}, {k}, 1], y_range=[-3, 3, 1])
        graph = axes.plot(wave, color={color})
        dot = Dot(axes.c2p(0, wave(0)), color={color})
        self.play(Create(axes), Create(graph))
        self.play(MoveAlongPath(dot, graph), run_time={w})
""",
    """from manim import *

class {name}(Scene):
    def construct(self):
        items = VGroup(*[{shape}(color={color}).scale(0.{k}) for _ in range({k} + 2)])
        items.arrange({direction}, buff=0.{t})
        label = Text("{name}", font_size=36).to_edge(UP)
        self.play(Write(label))
        self.play(LaggedStart(*[FadeIn(m) for m in items], lag_ratio=0.2))
        self.play(Indicate(items[0]))
        self.wait({w})
""",
]
SHAPES = ["Circle", "Square", "Triangle", "Star", "RegularPolygon", "Dot"]
COLORS = ["RED", "BLUE", "GREEN", "YELLOW", "PURPLE", "TEAL", "ORANGE"]
DIRECTIONS = ["LEFT", "RIGHT", "UP", "DOWN"]


def synthetic_rows(n: int, seed: int = 0) -> list[dict]:
    """n rows; about a third are exact or reformatted copies of earlier ones, like the real merged sets."""
    rng = random.Random(seed)
    rows: list[dict] = []
    for i in range(n):
        if rows and rng.random() < 0.33:
            base = rows[rng.randrange(len(rows))]
            code = base["code"]
            if rng.random() < 0.5:
                code = code.replace("\n\n", "\n\n# copied from another answer\n\n", 1).replace(
                    "(self):", "( self ):"
                )
            rows.append({"prompt": base["prompt"] + " (copy)", "code": code})
            continue
        tpl = TEMPLATES[i % len(TEMPLATES)]
        values = {
            "name": f"Scene{i}",
            "shape": rng.choice(SHAPES),
            "color": rng.choice(COLORS),
            "direction": rng.choice(DIRECTIONS),
            "k": rng.randint(1, 9),
            "t": rng.randint(1, 5),
            "w": rng.randint(1, 3),
        }
        code = tpl.format(**values)
        wrap = rng.random()
        if wrap < 0.4:
            code = f"```python\n{code}```"
        elif wrap < 0.5:
            code = f"Here is the scene:\n```py\n{code}```\nEnjoy!"
        elif wrap < 0.55:
            code = "\\n" + code
        rows.append(
            {
                "prompt": f"Animate a {values['color'].lower()} {values['shape'].lower()} number {i}",
                "code": code,
            }
        )
    return rows


def run_one(n: int) -> dict:
    """Time each cheap stage on n rows in this process (one core)."""

    from builder import export
    from builder.clean import CleanSettings, clean_row, row_id
    from builder.dedup.exact import exact_key, merge_exact
    from builder.fences import extract_code
    from builder.schema import Record
    from builder.sources import load_sources, open_source

    tmp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    data = tmp / "rows.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in synthetic_rows(n)), encoding="utf-8")
    (tmp / "sources.yaml").write_text(
        "sources:\n  - name: synth\n    kind: files\n    path: rows.jsonl\n"
        "    fields: {description: prompt, code: code}\n    license: MIT\n"
    )
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    spec = load_sources([tmp / "sources.yaml"])[0]
    raws = list(open_source(spec, tmp / "cache"))
    timings["load"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    extracted = [extract_code(r.code) for r in raws]
    timings["strip fences"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    for e in extracted:
        guard.parse(e.code)
    timings["parse"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    keys = [exact_key(e.code) for e in extracted]
    timings["normalise"] = time.perf_counter() - t0

    records = [
        Record(
            id=row_id("synth", r.locator),
            description=str(r.description),
            code=e.code,
            source="synth",
            origin=r.origin,
            license="MIT",
            priority=50,
            dedup_key=k,
        )
        for r, e, k in zip(raws, extracted, keys, strict=True)
    ]

    sample = raws[: min(n, 2000)]  # the libcst repairs are not a cheap stage: timed on a sample
    t0 = time.perf_counter()
    for r in sample:
        clean_row(r, CleanSettings())
    per_row = (time.perf_counter() - t0) / len(sample)

    t0 = time.perf_counter()
    survivors, dropped = merge_exact(records)
    timings["exact dedup"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    export.write_config(tmp / "out", "clean", {"train": survivors}, 50_000)
    timings["export"] = time.perf_counter() - t0

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "n": n,
        "survivors": len(survivors),
        "dropped": len(dropped),
        "timings": timings,
        "peak_mb": peak_mb,
        "fix_rows_per_s": 1 / per_row,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, action="append")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child)))
        return
    target = 2000.0
    for n in args.n or [10_000, 100_000]:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True
        )
        res = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"\nN = {n:,}  (exact-dedup survivors {res['survivors']:,}, duplicates {res['dropped']:,})")
        print(f"{'stage':<36}{'seconds':>10}{'rows/s':>12}{'vs target 2,000/s':>20}")
        for stage, sec in res["timings"].items():
            rate = n / sec if sec else float("inf")
            print(f"{stage:<36}{sec:>10.2f}{rate:>12,.0f}{rate / target:>19.1f}x")
        total = sum(res["timings"].values())
        print(f"{'cheap stages end to end':<36}{total:>10.2f}{n / total:>12,.0f}{n / total / target:>19.1f}x")
        print(
            f"{'clean_row with libcst fixes (sample)':<36}{'':>10}{res['fix_rows_per_s']:>12,.0f}  (not a cheap stage)"
        )
        print(
            f"peak RSS {res['peak_mb']:,.0f} MB (target < 2,048 MB): {res['peak_mb'] / 2048:.2f} of the budget"
        )


if __name__ == "__main__":
    main()
