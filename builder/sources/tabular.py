"""Tabular sources (`hub` datasets and local `files`): both are read with `datasets.load_dataset`.

Opening checks the column mapping against the real columns, so a typo in a sources YAML fails before
any work. Rows come out raw: type trouble (None, bytes, numbers) is the cleaning stage's business.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa

from builder.errors import ConfigError
from builder.schema import Origin, RawRow
from builder.sources.spec import SourceSpec

_BUILDER_BY_SUFFIX = {".parquet": "parquet", ".jsonl": "json", ".json": "json", ".csv": "csv"}


@dataclass
class _Part:
    """One loaded table of a source: a split of a Hub dataset or one local file."""

    label: str  # goes into the locator
    split: str | None  # the source's own split when the table is a split
    dataset: datasets.Dataset | None
    path: str | None = None
    fallback_rows: list[dict[str, Any]] | None = None  # rows read line by line when arrow could not


def _needed_columns(spec: SourceSpec) -> list[str]:
    cols: list[str] = []
    if "messages" in spec.fields:
        cols.append(spec.fields["messages"])
    else:
        cols.extend(spec.description_fields)
        cols.append(spec.fields["code"])
    if spec.fields.get("split"):
        cols.append(spec.fields["split"])
    return cols


MAX_FILE_BYTES = 4 * 1024**3  # one local data file (options.max_file_bytes raises it)
MAX_LINE_BYTES = 64 * 1024**2  # one JSON line read by the line-by-line fallback


def _check_file(spec: SourceSpec, path: str) -> None:
    """Refuse, before reading, a file that is not what its suffix says (a FIFO, a huge or NUL-filled file)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"source '{spec.name}': {path} is not a regular file")
        limit = int(spec.options.get("max_file_bytes", MAX_FILE_BYTES))
        if info.st_size > limit:
            raise ConfigError(
                f"source '{spec.name}': {path} has {info.st_size} bytes, over the limit of {limit} "
                "(options.max_file_bytes)"
            )
        if Path(path).suffix in {".jsonl", ".json", ".csv"}:
            with open(path, "rb") as fh:
                head = fh.read(65536)
            if b"\x00" in head:
                raise ConfigError(f"source '{spec.name}': {path} holds NUL bytes: not a text file")
    except OSError as exc:
        raise ConfigError(f"source '{spec.name}': cannot read {path} ({exc.strerror})") from None


def _jsonl_lines(path: str):
    """Lines of a file, each at most MAX_LINE_BYTES (a longer one comes back as None, not in memory)."""
    with open(path, "rb") as fh:
        while True:
            line = fh.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while (rest := fh.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
                yield None
            else:
                yield line


def _jsonl_fallback(path: str) -> list[dict[str, Any]]:
    """Line-by-line JSON reading for files whose rows arrow cannot unify (mixed types per column)."""
    rows: list[dict[str, Any]] = []
    for line in _jsonl_lines(path):
        if line is None:
            rows.append({"__unreadable__": f"line longer than {MAX_LINE_BYTES} bytes"})
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            value = {"__unreadable__": f"{type(exc).__name__}: {str(exc)[:200]}"}
        rows.append(value if isinstance(value, dict) else {"__unreadable__": "row is not a JSON object"})
    return rows


def _load_file(spec: SourceSpec, path: str, cache_dir: Path) -> _Part:
    builder = _BUILDER_BY_SUFFIX.get(Path(path).suffix)
    rel = str(Path(path).relative_to(spec.base_dir)) if Path(path).is_relative_to(spec.base_dir) else path
    if builder is None:
        raise ConfigError(
            f"source '{spec.name}': unsupported file type {path!r} (parquet, jsonl, json or csv)"
        )
    _check_file(spec, path)
    try:
        ds = datasets.load_dataset(builder, data_files=[path], split="train", cache_dir=str(cache_dir))
        return _Part(label=rel, split=None, dataset=ds, path=rel)
    except Exception as exc:  # arrow could not read it as a table
        if builder == "json" and Path(path).suffix == ".jsonl":
            return _Part(label=rel, split=None, dataset=None, path=rel, fallback_rows=_jsonl_fallback(path))
        raise ConfigError(f"source '{spec.name}': cannot read {path}: {type(exc).__name__}: {exc}") from None


def _load_hub(spec: SourceSpec, cache_dir: Path) -> list[_Part]:
    kwargs: dict[str, Any] = {"revision": spec.revision, "cache_dir": str(cache_dir)}
    if spec.options.get("config_name"):
        kwargs["name"] = spec.options["config_name"]
    if spec.options.get("data_files"):
        kwargs["data_files"] = spec.options["data_files"]
    try:
        dsd = datasets.load_dataset(spec.path, **kwargs)
    except Exception as exc:
        raise ConfigError(f"source '{spec.name}': cannot load Hub dataset {spec.path!r}: {exc}") from None
    return [_Part(label=name, split=name, dataset=dsd[name], path=None) for name in sorted(dsd)]


def open_parts(spec: SourceSpec, cache_dir: Path) -> list[_Part]:
    """Load a source's tables and check that every mapped column exists."""
    if spec.kind == "hub":
        parts = _load_hub(spec, cache_dir)
    else:
        parts = [_load_file(spec, p, cache_dir) for p in spec.local_files()]
    needed = _needed_columns(spec)
    for part in parts:
        if part.dataset is None:
            continue
        missing = [c for c in needed if c not in part.dataset.column_names]
        if missing:
            raise ConfigError(
                f"source '{spec.name}': column(s) {missing} not found in {part.label}; "
                f"available: {sorted(part.dataset.column_names)}"
            )
    return parts


def _first_non_empty(row: dict[str, Any], names: tuple[str, ...]) -> Any:
    fallback = None
    for name in names:
        value = row.get(name)
        if isinstance(value, str) and value.strip():
            return value
        if value is not None and not isinstance(value, str) and fallback is None:
            fallback = value
    return fallback if fallback is not None else row.get(names[0]) if names else None


def _from_messages(messages: Any) -> tuple[Any, Any]:
    """Last user turn and the assistant turn that answers it (None when absent)."""
    if not isinstance(messages, list):
        return None, None
    turns = [m for m in messages if isinstance(m, dict)]
    user_idx = max((i for i, m in enumerate(turns) if m.get("role") == "user"), default=None)
    if user_idx is None:
        return None, None
    answers = [m for m in turns[user_idx + 1 :] if m.get("role") == "assistant"]
    if not answers:
        answers = [m for m in turns if m.get("role") == "assistant"][-1:]
    return turns[user_idx].get("content"), answers[0].get("content") if answers else None


def _rows(part: _Part, needed: list[str]) -> Iterator[dict[str, Any]]:
    if part.fallback_rows is not None:
        yield from part.fallback_rows
        return
    ds = part.dataset.select_columns(needed).with_format("arrow")
    for table in ds.iter(batch_size=2000):
        try:
            yield from table.to_pylist()
        except UnicodeDecodeError:  # arrow kept invalid UTF-8 in a string column: go row by row
            for i in range(table.num_rows):
                yield _row_with_raw_bytes(table.slice(i, 1))


def _row_with_raw_bytes(row: pa.Table) -> dict[str, Any]:
    """One row whose strings may not be UTF-8: bad string cells come back as bytes for the cleaner."""
    try:
        return row.to_pylist()[0]
    except UnicodeDecodeError:
        pass
    out: dict[str, Any] = {}
    for name in row.column_names:
        col = row.column(name)
        try:
            out[name] = col.to_pylist()[0]
        except UnicodeDecodeError:
            if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
                out[name] = col.cast(pa.binary()).to_pylist()[0]
            else:
                return {"__unreadable__": f"column {name!r} holds invalid UTF-8"}
    return out


def iter_tabular_rows(spec: SourceSpec, parts: list[_Part]) -> Iterator[RawRow]:
    """Yield one RawRow per table row, mapped onto our fields."""
    needed = list(dict.fromkeys(_needed_columns(spec)))
    split_col = spec.fields.get("split")
    for part in parts:
        for idx, row in enumerate(_rows(part, needed)):
            if "__unreadable__" in row:
                description, code, excluded = None, None, "unreadable-row"
            elif "messages" in spec.fields:
                description, code = _from_messages(row.get(spec.fields["messages"]))
                excluded = None
            else:
                description = _first_non_empty(row, spec.description_fields)
                code = row.get(spec.fields["code"])
                excluded = None
            split = row.get(split_col) if split_col else part.split
            yield RawRow(
                source=spec.name,
                locator=f"{part.label}:{idx}",
                description=description,
                code=code,
                origin=Origin(dataset=spec.path, revision=spec.revision, path=part.path, row=idx),
                license=spec.license,
                priority=spec.priority,
                source_split=str(split).strip().lower() if split is not None else None,
                excluded=excluded,
                detail=row.get("__unreadable__"),
            )
