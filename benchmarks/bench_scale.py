"""Benchmark: the same scene workload validated by each executor at equal slots.

    .venv/bin/python benchmarks/bench_scale.py [--scenes 200] [--slots 2] [--repeat 2] [--skip-nodes]

Runs a generated workload (distinct short scenes: shapes created one by one, moved, every tenth failing
mid-run) through the runtime stage's executors, with the build's default limits and no verdict cache:
`local` (a WorkerPool with `--slots` workers) against `ray` (a local Ray instance with `--slots` CPUs,
one actor per CPU) and `ray, 2 nodes` (ray.cluster_utils.Cluster: two simulated nodes on this machine,
half the slots each). Each Ray run follows a local run (`--repeat` pairs per set-up), because a shared
machine's load drifts; the overhead is the median of the paired differences. Prints start-up (node
checks, warm workers), the steady-state run (scenes/s, ms per scene), Ray's per-scene overhead over
local, and how many verdicts equal local's. The figures are in docs/scaling.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.executors import PoolSpec  # noqa: E402
from builder.executors.local import LocalExecutor  # noqa: E402
from builder.validate.funnel import ValidationSettings  # noqa: E402
from builder.validate.manim_names import manim_version  # noqa: E402
from builder.validate.pool import SceneTask, ensure_tex_seed  # noqa: E402

SHAPES = [
    "Circle()",
    "Square()",
    "Triangle()",
    "Dot()",
    "Star()",
    "RegularPolygon(5)",
    "Annulus()",
    "Ellipse()",
]
MOVES = ["shift(LEFT)", "scale(0.5)", "rotate(PI / 3)", "set_color(RED)"]


def workload(n: int) -> list[SceneTask]:
    """`n` distinct scenes; every 10th divides by zero after its first animation."""
    tasks = []
    for i in range(n):
        shape, move = SHAPES[i % len(SHAPES)], MOVES[(i // len(SHAPES)) % len(MOVES)]
        copies = 2 + i % 5
        body = [
            f"        group = VGroup(*[{shape}.shift(UP * k * 0.2) for k in range({copies})])",
            f"        for k in range({copies}):",
            "            self.play(Create(group[k]), run_time=0.5)",
            f"        self.play(group.animate.{move})",
        ]
        if i % 10 == 9:
            body.append("        self.add(Square(side_length=1 / 0))")
        body.append(f"        self.wait({0.5 + (i % 3) * 0.5})")
        code = (
            "from manim import *\n\n\n"
            + f"class Bench{i}(Scene):\n    def construct(self):\n"
            + "\n".join(body)
            + "\n"
        )
        tasks.append(SceneTask(f"p{i}\0Bench{i}", code, f"Bench{i}", "runtime"))
    return tasks


def measure(name: str, executor: Any, tasks: list[SceneTask], spec: PoolSpec) -> dict[str, Any]:
    t0 = time.perf_counter()
    with executor.pool(len(tasks), spec) as pool:
        t1 = time.perf_counter()
        verdicts = {task.id: (raw.get("status"), raw.get("error_type")) for task, raw in pool.run(tasks)}
        t2 = time.perf_counter()
    run = t2 - t1
    print(
        f"  {name:<14} start-up {t1 - t0:5.1f} s   run {run:6.1f} s   {len(tasks) / run:5.2f} scenes/s   "
        f"{run / len(tasks) * 1000:5.0f} ms/scene   {sum(s == 'ok' for s, _ in verdicts.values())} ok",
        flush=True,
    )
    return {"startup": t1 - t0, "run": run, "verdicts": verdicts, "describe": executor.describe()}


def paired(
    name: str, make: Callable[[], Any], tasks: list[SceneTask], spec: PoolSpec, args
) -> dict[str, Any]:
    """`--repeat` rounds of local then `name` back to back (the machine's load drifts; pairs share it)."""
    local, ray_runs = [], []
    for _ in range(args.repeat):
        local.append(measure("local", LocalExecutor(args.slots), tasks, spec))
        ray_runs.append(measure(name, make(), tasks, spec))
    n = len(tasks)
    extra = statistics.median((r["run"] - b["run"]) / n for r, b in zip(ray_runs, local, strict=True))
    base = statistics.median(b["run"] for b in local)
    agree = min(sum(r["verdicts"][k] == v for k, v in local[0]["verdicts"].items()) for r in ray_runs)
    return {
        "name": name,
        "local_s_per_scene": base / n,
        "s_per_scene": statistics.median(r["run"] for r in ray_runs) / n,
        "overhead_s_per_scene": extra,
        "overhead_pct": extra * n / base * 100,
        "startup_s": statistics.median(r["startup"] for r in ray_runs),
        "local_startup_s": statistics.median(b["startup"] for b in local),
        "agree": agree,
        "describe": ray_runs[-1]["describe"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=200)
    parser.add_argument("--slots", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2, help="rounds of (local, ray) per Ray set-up")
    parser.add_argument("--skip-nodes", action="store_true", help="leave out the two simulated nodes")
    args = parser.parse_args()

    import ray
    from ray.cluster_utils import Cluster

    from builder.executors.ray_actors import RayExecutor

    tasks = workload(args.scenes)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        seed = Path(tmp) / "tex-seed" / manim_version()
        ensure_tex_seed(seed)  # one-time per cache dir, as in a build: not timed
        spec = PoolSpec(ValidationSettings().limits(), tex_seed=seed)
        print(f"{len(tasks)} scenes, {args.slots} slots, manim {manim_version()}, build limits, no cache")

        t0 = time.perf_counter()
        ray.init(num_cpus=args.slots, include_dashboard=False, log_to_driver=False)
        print(f"\nlocal Ray instance ({args.slots} CPUs) started in {time.perf_counter() - t0:.1f} s")
        try:
            results.append(paired("ray", RayExecutor, tasks, spec, args))
        finally:
            ray.shutdown()

        if not args.skip_nodes:
            per_node = max(1, args.slots // 2)
            t0 = time.perf_counter()
            head = {"num_cpus": per_node, "include_dashboard": False}
            cluster = Cluster(initialize_head=True, head_node_args=head)
            cluster.add_node(num_cpus=per_node)
            ray.init(address=cluster.address, log_to_driver=False)
            print(f"\n2 simulated nodes ({per_node} CPU each) started in {time.perf_counter() - t0:.1f} s")
            try:
                results.append(paired("ray, 2 nodes", RayExecutor, tasks, spec, args))
            finally:
                ray.shutdown()
                cluster.shutdown()

    print(f"\nmedians of {args.repeat} paired rounds, {args.slots} slots on both sides (steady state):")
    for r in results:
        print(
            f"  {r['name']:<13} {1 / r['s_per_scene']:5.2f} scenes/s ({r['s_per_scene'] * 1000:.0f} ms/scene) vs "
            f"local {1 / r['local_s_per_scene']:5.2f} scenes/s; overhead {r['overhead_s_per_scene'] * 1000:+.0f} "
            f"ms/scene ({r['overhead_pct']:+.1f}%); start-up {r['startup_s']:.1f} s vs local "
            f"{r['local_startup_s']:.1f} s; verdicts equal to local {r['agree']}/{len(tasks)}; {r['describe']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
