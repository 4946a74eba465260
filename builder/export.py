"""Export: parquet per config and split in the Hub layout, excluded.parquet, stats.json and the card.

Files are written with pyarrow at fixed settings and rows in a fixed order, so the same inputs give
byte-identical files. The `huggingface` schema metadata carries our Features, so `load_dataset` reads
the columns with their declared types.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from builder.schema import EXCLUSION_FEATURES, FEATURES, SPLITS, Exclusion, Record, exclusion_row, to_row

PARQUET_OPTIONS = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
}


def _schema(features) -> pa.Schema:
    meta = {"huggingface": json.dumps({"info": {"features": features.to_dict()}}, sort_keys=True)}
    return features.arrow_schema.with_metadata(meta)


def write_parquet(path: Path, rows: list[dict[str, Any]], features) -> int:
    """One parquet file with our schema and deterministic bytes; returns the table's in-memory size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=_schema(features))
    pq.write_table(table, path, row_group_size=10_000, **PARQUET_OPTIONS)
    return table.nbytes


def shard_names(split: str, n_rows: int, max_rows: int) -> list[str]:
    n = max(1, -(-n_rows // max_rows))
    return [f"{split}-{i:05d}-of-{n:05d}.parquet" for i in range(n)]


def write_config(
    out_dir: Path, config: str, splits: dict[str, list[Record]], max_rows: int
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Write a config's splits as parquet shards; return split -> relative file paths, and split -> bytes."""
    files: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for split in SPLITS:
        records = splits.get(split) or []
        if not records:
            continue
        names = shard_names(split, len(records), max_rows)
        for i, name in enumerate(names):
            chunk = records[i * max_rows : (i + 1) * max_rows]
            sizes[split] = sizes.get(split, 0) + write_parquet(
                out_dir / config / name, [to_row(r) for r in chunk], FEATURES
            )
        files[split] = [f"{config}/{n}" for n in names]
    return files, sizes


def write_exclusions(out_dir: Path, exclusions: Iterable[Exclusion]) -> int:
    rows = sorted(
        (exclusion_row(e) for e in exclusions),
        key=lambda r: (r["scope"] != "all", r["scope"], r["source"], r["id"]),
    )
    write_parquet(out_dir / "excluded.parquet", rows, EXCLUSION_FEATURES)
    return len(rows)


def write_stats(out_dir: Path, stats: dict[str, Any]) -> None:
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def prepare_out_dir(out_dir: Path) -> None:
    """Remove what an earlier build wrote (only our own files), so stale shards never linger."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for child in out_dir.iterdir():
        if child.is_dir() and (any(child.glob("*.parquet")) or child.name == "plots"):
            shutil.rmtree(child)
        elif child.name in {"stats.json", "excluded.parquet", "README.md"}:
            child.unlink()
