"""`build --executor ray` on a real local Ray instance (2 CPUs, no dashboard): the parquet files are
byte-identical to `--executor local`, also when a validation actor is killed while it holds scenes;
rows go through Ray tasks in input order; a scene that kills its actor every time ends `worker-died`
after 3 tries while the others pass; and a node without bubblewrap (a second node of a
`ray.cluster_utils.Cluster`, started without bwrap on its PATH) stops the build with an error naming it.

The workload is small on purpose: eight short scenes that pass and one that fails mid-run, each build
with its own fresh verdict cache, so every build really validates every scene.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import ray
from ray.cluster_utils import Cluster

from builder import cli
from builder.executors import NodeError
from builder.pipeline import build

SHAPES = [
    "Circle()",
    "Square()",
    "Triangle()",
    "Dot()",
    "Star()",
    "RegularPolygon(6)",
    "Annulus()",
    "Ellipse()",
]
N_SCENES = len(SHAPES) + 1


def _rows() -> list[dict[str, str]]:
    rows = []
    for i, shape in enumerate(SHAPES):
        n = 4 + 2 * i
        code = (
            "from manim import *\n\n\n"
            f"class Shape{i}(Scene):\n"
            "    def construct(self):\n"
            f"        group = VGroup(*[{shape}.shift(RIGHT * k * 0.1) for k in range({n})])\n"
            f"        for k in range({n}):\n"
            "            self.play(Create(group[k]), run_time=0.5)\n"
            f"        self.play(group.animate.scale(0.5).rotate({i + 1} * DEGREES))\n"
            "        self.wait()\n"
        )
        name = shape.split("(")[0].lower()
        rows.append(
            {"description": f"Draw {n} copies of a {name} one by one, then shrink them", "code": code}
        )
    broken = "from manim import *\n\n\nclass Broken(Scene):\n    def construct(self):\n        self.play(Create(Circle()))\n        self.add(Square(side_length=1 / 0))\n"  # fmt: skip
    rows.append({"description": "Draw a circle, then a square whose side is one over zero", "code": broken})
    return rows


@pytest.fixture(scope="module")
def workload(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ray-workload")
    (folder / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in _rows()))
    (folder / "sources.yaml").write_text(
        "sources:\n  - name: tiny\n    kind: files\n    path: rows.jsonl\n"
        "    fields: {description: description, code: code}\n    license: mit\n    priority: 50\n"
    )
    return folder / "sources.yaml"


def _build(workload: Path, root: Path, executor: str):
    return build(
        sources=[workload], out_dir=root / "dist", cache_dir=root / "cache", jobs=2, progress=False,
        executor=executor,
    )  # fmt: skip


def _parquet(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.parquet"))
    }


@pytest.fixture(scope="module")
def local_build(workload, tmp_path_factory):
    return _build(workload, tmp_path_factory.mktemp("local"), "local")


@pytest.fixture(scope="module")
def ray_instance():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_build_is_byte_identical_to_local(workload, local_build, ray_instance, tmp_path):
    stats = local_build.stats
    assert stats["executor"] == {"name": "local", "nodes": 1, "slots": 2}
    assert stats["sources"]["tiny"]["excluded"] == {"runtime:ZeroDivisionError": 1}
    assert local_build.run_info["validation"].scenes_run == N_SCENES

    on_ray = _build(workload, tmp_path, "ray")
    assert on_ray.run_info["validation"].scenes_run == N_SCENES and on_ray.run_info["validation"].cached == 0
    assert on_ray.stats["executor"] == {"name": "ray", "nodes": 1, "slots": 2}
    expected = _parquet(local_build.out_dir)
    assert len(expected) == 3 * 2 + 1  # three configs with train and test, and excluded.parquet
    assert _parquet(on_ray.out_dir) == expected
    with sqlite3.connect(tmp_path / "cache" / "validate" / "verdicts.sqlite") as db:  # written by the driver
        assert db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == N_SCENES


def test_llm_captions_are_asked_from_ray_tasks(workload, local_build, ray_instance, tmp_path, monkeypatch):
    """`--describe always` with an endpoint: on Ray the calls leave from tasks on the nodes (the driver
    here cannot import the client at all), the concurrency bound holds across them, the driver alone
    writes the caption cache, and the parquet is byte-identical to the local build's."""
    import sys

    from chat_server import ChatServer, ok

    def captioned(root: Path, executor: str):
        return build(
            sources=[workload], out_dir=root / "dist", cache_dir=root / "cache", jobs=2, progress=False,
            executor=executor, describe="always", llm_base_url=server.url, llm_model="captioner",
        )  # fmt: skip

    with ChatServer(hold_s=0.2) as server:
        for i, shape in enumerate(SHAPES):
            server.on(
                f"class Shape{i}(",
                ok(f"Draw a row of {shape.split('(')[0].lower()}s one at a time, then shrink it."),
            )
        local = captioned(tmp_path / "local", "local")
        asked = len(server.requests)
        monkeypatch.setitem(sys.modules, "openai", None)  # `import openai` fails in this process only
        on_ray = captioned(tmp_path / "ray", "ray")
        assert (
            len(server.requests) == 2 * asked == 2 * len(SHAPES)
        )  # the broken scene has no trace to caption
        assert server.max_in_flight <= 4  # llm_max_concurrency, shared by the two tasks
    llm = on_ray.stats["descriptions"]["describe"]["llm"]
    assert llm["captioned"] == len(SHAPES) and llm["fallbacks"] == {}
    assert llm == local.stats["descriptions"]["describe"]["llm"]
    assert len(list((tmp_path / "ray" / "cache").rglob("captions/*/*.json"))) == len(SHAPES)
    assert _parquet(on_ray.out_dir) == _parquet(local.out_dir) != _parquet(local_build.out_dir)


def _verdicts(db_path: Path) -> int:
    try:
        with sqlite3.connect(db_path, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_a_killed_actor_changes_nothing(workload, local_build, ray_instance, tmp_path):
    result: dict = {}
    earlier = set(ray.util.list_named_actors())  # actors of the build before, if any are still listed
    worker = threading.Thread(target=lambda: result.setdefault("build", _build(workload, tmp_path, "ray")))
    worker.start()
    db = tmp_path / "cache" / "validate" / "verdicts.sqlite"
    deadline = time.monotonic() + 240
    while _verdicts(db) < 1 and worker.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    # the first verdict is in: the others are in flight on the two actors; kill the one of slot 0
    (name,) = [a for a in set(ray.util.list_named_actors()) - earlier if "-slot0-" in a]
    ray.kill(ray.get_actor(name))
    killed_at = _verdicts(db)
    worker.join(timeout=300)
    run = result["build"].run_info["validation"]
    assert killed_at < N_SCENES, "the build ended before the kill"
    assert run.slots_lost == 1 and run.scenes_retried >= 1
    assert _parquet(result["build"].out_dir) == _parquet(local_build.out_dir)


def test_rows_run_as_ray_tasks_in_input_order_each_isolated(ray_instance):
    # cleaning and static checks go through `map`: chunks of rows as Ray tasks, results in input order
    from builder.executors.ray_actors import CHUNK_ROWS, RayExecutor
    from builder.isolated import Failed

    executor = RayExecutor()
    n = 5 * CHUNK_ROWS + 3  # more chunks than are let in flight at once
    out = list(executor.map(math.sqrt, [i * i for i in range(n)] + [-1], timeout_s=30))
    assert out[:n] == [float(i) for i in range(n)]
    assert isinstance(out[n], Failed) and out[n].kind == "error" and out[n].item == -1
    raylets = set(executor.map(os.getenv, ["RAY_RAYLET_PID"] * 8, timeout_s=30))
    assert os.getenv("RAY_RAYLET_PID") is None and None not in raylets  # they ran in Ray workers
    assert executor.describe() == {"name": "ray", "nodes": 1, "slots": 2}


KILLER = """import os
from manim import *


class Killer(Scene):
    def construct(self):
        with open(f"/proc/{os.getppid()}/stat") as stat:  # the worker's parent is the actor
            actor = int(stat.read().rsplit(")", 1)[1].split()[1])
        os.kill(actor, 9)
        self.wait()
"""


def test_a_scene_that_kills_its_actor_every_time_is_worker_died(ray_instance):
    # Unsandboxed and unguarded (our own test scene), so the scene can reach the actor that hosts it.
    from builder.executors import PoolSpec
    from builder.executors.ray_actors import MAX_ATTEMPTS, RayExecutor
    from builder.validate.pool import Limits, SceneTask

    good = _rows()[0]["code"]
    tasks = [SceneTask("killer", KILLER, "Killer", "runtime")]
    tasks += [SceneTask(f"good{i}", good, "Shape0", "runtime") for i in range(2)]
    spec = PoolSpec(Limits(timeout_s=30.0, cpu_s=20), sandbox=False, tamper_guard=False, warm_up=False)
    with RayExecutor().pool(len(tasks), spec) as pool:
        verdicts = {task.id: raw for task, raw in pool.run(tasks)}
    assert verdicts["killer"]["error_type"] == "worker-died"
    assert f"lost {MAX_ATTEMPTS} times" in verdicts["killer"]["error"]
    assert [verdicts[f"good{i}"]["status"] for i in range(2)] == ["ok", "ok"]  # sent again, not blamed
    assert pool.lost == MAX_ATTEMPTS


def test_a_node_without_bubblewrap_is_named(workload, tmp_path, capsys):
    ray.shutdown()  # this test needs a cluster of two nodes: a good head and a node without bwrap
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    try:
        bad = cluster.add_node(num_cpus=1, env_vars={"PATH": str(tmp_path / "empty-bin")})
        ray.init(address=cluster.address, log_to_driver=False)
        with pytest.raises(NodeError) as failed:
            _build(workload, tmp_path, "ray")
        message = str(failed.value)
        assert f"id {bad.node_id[:12]}" in message and "bubblewrap (bwrap) is not installed" in message
        assert f"id {cluster.head_node.node_id[:12]}" not in message  # the good node is not blamed
        assert not (tmp_path / "dist").exists()  # stopped before anything was written

        argv = ["build", "--sources", str(workload), "--out", str(tmp_path / "cli-dist"), "--quiet"]
        argv += ["--cache-dir", str(tmp_path / "cache"), "--executor", "ray"]
        assert cli.main(argv) == 2
        (line,) = [x for x in capsys.readouterr().err.splitlines() if x.startswith("manim-dataset: error:")]
        assert line.startswith("manim-dataset: error: cannot validate on this Ray cluster: node ")
        assert bad.node_id[:12] in line
    finally:
        ray.shutdown()
        cluster.shutdown()
