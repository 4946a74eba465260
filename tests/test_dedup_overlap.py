"""Cross-source overlap matrix and heatmap, dedup against a previous build, decontaminated splits."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.dedup.against import compare, load_previous
from builder.dedup.decontaminate import decontaminate, straddling_clusters
from builder.dedup.overlap import overlap_matrix, write_heatmap


def _scene(name: str, steps: int, colour: str = "BLUE") -> str:
    body = "\n".join(
        f"        s{k} = Square(side_length={k + 1}, color={colour}).shift({k} * RIGHT)\n"
        f"        self.play(FadeIn(s{k}), run_time={k + 1})"
        for k in range(steps)
    )
    return f"from manim import *\n\n\nclass {name}(Scene):\n    def construct(self):\n{body}\n"


SQUARES = _scene("Squares", 12)
SQUARES_COMMENTED = SQUARES.replace("    def construct(self):", "    def construct(self):  # entry point")
SQUARES_EDITED = SQUARES.replace("run_time=12", "run_time=13")  # one token differs: near, not exact
OTHER = _scene("Others", 12, colour="RED").replace("Square(", "Circle(").replace("side_length", "radius")
THIRD = (
    _scene("Third", 6).replace("FadeIn", "GrowFromCenter").replace("RIGHT", "UP").replace("Square", "Star")
)


def test_overlap_matrix_counts_exact_and_near_copies(tmp_path: Path, make_record):
    records = [
        make_record(SQUARES, n=1, source="hub"),
        make_record(SQUARES_COMMENTED, n=2, source="hub"),  # exact copy inside hub (comment only)
        make_record(SQUARES_COMMENTED, n=3, source="repo"),  # exact copy of hub rows
        make_record(SQUARES_EDITED, n=4, source="repo"),  # near copy of hub rows
        make_record(OTHER, n=5, source="repo"),
        make_record(THIRD, n=6, source="chat"),
    ]
    m = overlap_matrix(records, near_threshold=0.7)
    assert m.sources == ["chat", "hub", "repo"] and m.rows == {"chat": 1, "hub": 2, "repo": 3}
    assert m.exact["hub"] == {"chat": 0, "hub": 2, "repo": 2}
    assert m.exact["repo"] == {"chat": 0, "hub": 1, "repo": 0}
    assert m.near["repo"] == {"chat": 0, "hub": 2, "repo": 2}
    assert m.near["hub"]["repo"] == 2 and m.near["chat"] == {"chat": 0, "hub": 0, "repo": 0}
    table = m.to_markdown("near")
    assert "| repo | 0 (0%) | 2 (67%) | 2 (67%) |" in table
    assert m.to_stats()["near_threshold"] == 0.7
    png = write_heatmap(m, tmp_path / "card" / "overlap.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    assert overlap_matrix(records, near_threshold=None).near is None


def _write_build(folder: Path, rows: list[dict]) -> None:
    (folder / "clean").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), folder / "clean" / "train-00000-of-00001.parquet")
    pq.write_table(
        pa.Table.from_pylist([{"id": "gone", "description": "x", "code": "y"}]), folder / "excluded.parquet"
    )


def test_against_marks_new_changed_unchanged(tmp_path: Path, make_record):
    _write_build(
        tmp_path,
        [
            {"id": "r001", "description": "Row 1 draws shapes", "code": SQUARES, "split": "train"},
            {"id": "r002", "description": "Old wording", "code": OTHER, "split": "train"},
            {"id": "old9", "description": "Row 3 draws shapes", "code": SQUARES_COMMENTED, "split": "train"},
            {
                "id": "old8",
                "description": "near",
                "code": THIRD.replace("run_time=6", "run_time=7"),
                "split": "train",
            },
            {"id": "dropped", "description": "removed since", "code": "print(1)", "split": "train"},
        ],
    )
    previous = load_previous(tmp_path)
    assert [p.id for p in previous] == ["dropped", "old8", "old9", "r001", "r002"]
    codes = (SQUARES, OTHER, SQUARES, THIRD, SQUARES_EDITED)
    records = [make_record(code, n=i) for i, code in enumerate(codes, 1)]
    exact_only = compare(records, previous)
    assert exact_only.status == {
        "r001": "unchanged",
        "r002": "changed",
        "r003": "unchanged",
        "r004": "new",
        "r005": "new",
    }
    assert exact_only.matched["r003"] == "old9"
    near = compare(records, previous, near_threshold=0.7)
    assert near.status["r004"] == "changed" and near.matched["r004"] == "old8"
    assert near.status["r005"] == "changed" and near.matched["r005"] in {"r001", "old9"}
    assert near.removed == ["dropped"]
    assert near.stats == {"new": 0, "changed": 3, "unchanged": 2, "removed": 1, "near_threshold": 0.7}
    with pytest.raises(FileNotFoundError):
        load_previous(tmp_path / "missing")


def test_decontaminate_removes_train_rows_near_test_rows(make_record):
    records = [
        make_record(SQUARES, n=1, split="test"),
        make_record(SQUARES_EDITED, n=2, split="train"),
        make_record(SQUARES_COMMENTED, n=3, split="validation"),
        make_record(OTHER, n=4, split="train"),
        make_record(THIRD, n=5, split="train"),
    ]
    reference = [("manimbench-test-7", THIRD.replace("run_time=2", "run_time=3"))]
    result = decontaminate(list(reversed(records)), 0.7, reference=reference)
    assert [r.id for r in result.kept] == ["r001", "r004"]
    by_id = {e.id: e for e in result.dropped}
    assert set(by_id) == {"r002", "r003", "r005"}
    assert by_id["r003"].similarity == 1.0 and by_id["r003"].duplicate_of == "r001"
    assert by_id["r005"].duplicate_of == "manimbench-test-7" and by_id["r005"].reason == "decontaminated"
    assert 0.7 <= by_id["r002"].similarity < 1.0
    assert decontaminate(records[1:], 0.7).dropped == []  # nothing to protect


def test_straddling_clusters_reports_split_leaks(make_record):
    ok = [
        make_record("a", n=1, cluster_id="c1", split="train"),
        make_record("b", n=2, cluster_id="c1", split="train"),
    ]
    leak = ok + [make_record("c", n=3, cluster_id="c1", split="test")]
    assert straddling_clusters(ok) == {}
    assert straddling_clusters(leak) == {"c1": {"train", "test"}}
