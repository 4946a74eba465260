"""Benchmark: `manim render -ql --dry_run --silent FILE SCENE` (one process per scene, as other
pipelines validate) against our sandboxed `runtime` stage (warm forking workers), side by side.

Both sides use the same number of parallel jobs and a fresh working directory per scene (so neither
reuses the other's LaTeX cache). Prints seconds per scene, the ratio, verdict agreement and peak RSS.

    .venv/bin/python benchmarks/bench_validate.py [--jobs 2] [--limit N]
"""

from __future__ import annotations

import argparse
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
from builder.validate.pool import ensure_tex_seed  # noqa: E402
from builder.validate.static import static_check  # noqa: E402

BENCH_DIR = ROOT / "tests" / "fixtures" / "validate" / "bench"
MANIM = Path(sys.executable).with_name("manim")


def scenes() -> list[tuple[Path, str]]:
    found = []
    for path in sorted(BENCH_DIR.glob("*.py")):
        found += [(path, name) for name in static_check(path.read_text()).scenes]
    return found


def cli_verdict(item: tuple[Path, str]) -> bool:
    path, scene = item
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as cwd:
        cmd = [str(MANIM), "render", "-ql", "--dry_run", "--silent", str(path), scene]
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=300)
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="only the first N scenes (0: all)")
    args = parser.parse_args()
    items = scenes()
    if args.limit:
        items = items[: args.limit]
    files = sorted({p for p, _ in items})
    print(f"{len(items)} scenes in {len(files)} files, {args.jobs} jobs")

    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as ex:
        cli = dict(zip(items, ex.map(cli_verdict, items), strict=True))
    t_cli = time.perf_counter() - t0

    stats = FunnelStats()
    with tempfile.TemporaryDirectory(prefix="bench-ours-") as cache:
        settings = ValidationSettings(stage="runtime", jobs=args.jobs, cache_dir=Path(cache), use_cache=False)
        t0 = time.perf_counter()  # one-time set-up per cache dir, like installing manim: timed apart
        ensure_tex_seed(Path(cache) / "tex-seed" / manim_version())
        print(f"one-time LaTeX digit seed: {time.perf_counter() - t0:.1f} s (not in the timing below)")
        wanted = {(p, s) for p, s in items}
        t0 = time.perf_counter()
        ours: dict[tuple[Path, str], bool] = {}
        for key, verdicts in validate_programs([(str(p), p.read_text()) for p in files], settings, stats):
            for v in verdicts:
                if (Path(key), v.scene) in wanted:
                    ours[(Path(key), v.scene)] = v.status == "ok"
        t_ours = time.perf_counter() - t0

    agree = sum(cli[i] == ours.get(i) for i in items)
    print(f"manim CLI (--dry_run, 1 process/scene): {t_cli / len(items):.3f} s/scene  ({t_cli:.1f} s total)")
    print(
        f"ours (runtime stage, sandboxed, incl. worker start-up): {t_ours / len(items):.3f} s/scene  ({t_ours:.1f} s total)"
    )
    print(f"ratio (CLI / ours): {t_cli / t_ours:.1f}x")
    print(f"agreement: {agree}/{len(items)} = {100 * agree / len(items):.1f}%  (CLI ok: {sum(cli.values())})")
    for item in items:
        if cli[item] != ours.get(item):
            print(f"  disagree: {item[0].name}::{item[1]} cli={cli[item]} ours={ours.get(item)}")
    rss = ", ".join(f"{kb / 1024:.0f} MB" for kb in stats.peak_rss_kb)
    print(f"peak RSS per worker (worker or its largest child): {rss}; restarts: {stats.worker_restarts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
