"""Benchmark: `manim render -ql --dry_run --silent FILE SCENE` (one process per scene, as other
pipelines validate) against our sandboxed `runtime` stage (warm forking workers), side by side.

Both sides use the same number of parallel jobs and a fresh working directory per scene (so neither
reuses the other's LaTeX cache). Prints seconds per scene overall (our start-up included) and per kind
of scene (light, construct-heavy, failing only mid-animation), the worker start-up cost on its own,
verdict agreement (target >= 99%), and peak RSS.

    .venv/bin/python benchmarks/bench_validate.py [--jobs 2] [--limit N] [--samples K] [--skip-cli]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.validate.funnel import FunnelStats, ValidationSettings, validate_programs  # noqa: E402
from builder.validate.manim_names import manim_version  # noqa: E402
from builder.validate.pool import WorkerPool, ensure_tex_seed  # noqa: E402
from builder.validate.protocol import SAMPLES_PER_ANIMATION  # noqa: E402
from builder.validate.static import static_check  # noqa: E402

BENCH_DIR = ROOT / "tests" / "fixtures" / "validate" / "bench"
MANIM = Path(sys.executable).with_name("manim")
SAVED = Path(tempfile.gettempdir()) / "bench_validate_cli.json"
Item = tuple[Path, str]


def scenes() -> list[Item]:
    found = []
    for path in sorted(BENCH_DIR.glob("*.py")):
        found += [(path, name) for name in static_check(path.read_text()).scenes]
    return found


def kind(item: Item) -> str:
    name = item[0].name
    return (
        "construct-heavy"
        if name.startswith("heavy")
        else "mid-animation"
        if name.startswith("midanim")
        else "light"
    )


def cli_run(item: Item) -> tuple[bool, float]:
    path, scene = item
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as cwd:
        cmd = [str(MANIM), "render", "-ql", "--dry_run", "--silent", str(path), scene]
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=300)
    return done.returncode == 0, time.perf_counter() - t0


def cli_side(items: list[Item], jobs: int, reuse: bool) -> tuple[dict[Item, tuple[bool, float]], float]:
    """CLI verdicts and seconds per scene, and the wall-clock time of the whole run (saved for reuse)."""
    if reuse and SAVED.exists():
        known = json.loads(SAVED.read_text())
        return {i: tuple(known["scenes"][f"{i[0].name}::{i[1]}"]) for i in items}, known["wall"]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as ex:
        runs = dict(zip(items, ex.map(cli_run, items), strict=True))
    wall = time.perf_counter() - t0
    SAVED.write_text(
        json.dumps({"wall": wall, "scenes": {f"{p.name}::{s}": r for (p, s), r in runs.items()}})
    )
    return runs, wall


def startup_seconds(jobs: int, cache: Path) -> float:
    t0 = time.perf_counter()
    with WorkerPool(jobs, ValidationSettings().limits(), tex_seed=cache / "tex-seed" / manim_version()):
        return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="only the first N scenes (0: all)")
    parser.add_argument(
        "--samples", type=int, default=SAMPLES_PER_ANIMATION, help="frames per animation (0: all)"
    )
    parser.add_argument("--skip-cli", action="store_true", help="reuse the CLI side of the last run")
    args = parser.parse_args()
    items = scenes()[: args.limit or None]
    files = sorted({p for p, _ in items})
    print(
        f"{len(items)} scenes in {len(files)} files, {args.jobs} jobs, samples={args.samples or 'every frame'}"
    )

    cli, t_cli = cli_side(items, args.jobs, args.skip_cli)
    expected = {i: not ("_fail_" in i[0].name or i[0].name.startswith("fail_")) for i in items}
    print(
        f"CLI verdicts matching the fixture names: {sum(cli[i][0] == expected[i] for i in items)}/{len(items)}"
    )

    stats = FunnelStats()
    with tempfile.TemporaryDirectory(prefix="bench-ours-") as tmp:
        cache = Path(tmp)
        t0 = time.perf_counter()  # one-time set-up per cache dir, like installing manim: timed apart
        ensure_tex_seed(cache / "tex-seed" / manim_version())
        print(f"one-time LaTeX digit seed: {time.perf_counter() - t0:.1f} s (not in the timings below)")
        start = startup_seconds(args.jobs, cache)
        settings = ValidationSettings(
            stage="runtime", jobs=args.jobs, cache_dir=cache, use_cache=False, samples=args.samples
        )
        wanted = set(items)
        ours: dict[Item, tuple[bool, float]] = {}
        t0 = time.perf_counter()
        for key, verdicts in validate_programs([(str(p), p.read_text()) for p in files], settings, stats):
            for v in verdicts:
                if (Path(key), v.scene) in wanted:
                    ours[(Path(key), v.scene)] = (v.status == "ok", v.seconds or 0.0)
        t_ours = time.perf_counter() - t0

    n = len(items)
    print(f"\nwall clock, {args.jobs} jobs on both sides:")
    print(f"  manim CLI (--dry_run, 1 process/scene): {t_cli / n:.3f} s/scene ({t_cli:.1f} s)")
    print(f"  ours (sandboxed, worker start-up included): {t_ours / n:.3f} s/scene ({t_ours:.1f} s)")
    print(f"  ratio (CLI / ours): {t_cli / t_ours:.1f}x")
    print(f"worker start-up (import manim, fonts, LaTeX digits; {args.jobs} in parallel): {start:.1f} s")
    print("\nper scene, by kind (mean seconds of one scene's own run; CLI includes its manim import):")
    for name in ("light", "mid-animation", "construct-heavy"):
        group = [i for i in items if kind(i) == name]
        if group:
            c = statistics.mean(cli[i][1] for i in group)
            o = statistics.mean(ours[i][1] for i in group)
            print(f"  {name:<16} {len(group):>3} scenes  CLI {c:.3f} s  ours {o:.3f} s  ratio {c / o:.1f}x")
    agree = sum(cli[i][0] == ours[i][0] for i in items)
    print(f"\nagreement: {agree}/{n} = {100 * agree / n:.1f}%  (CLI ok: {sum(v[0] for v in cli.values())})")
    for item in items:
        if cli[item][0] != ours[item][0]:
            print(f"  disagree: {item[0].name}::{item[1]} cli={cli[item][0]} ours={ours[item][0]}")
    rss = ", ".join(f"{kb / 1024:.0f} MB" for kb in stats.peak_rss_kb)
    print(f"peak RSS per worker (worker or its largest child): {rss}; restarts: {stats.worker_restarts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
