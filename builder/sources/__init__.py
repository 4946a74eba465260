"""Sources: turn each `sources:` entry into a stream of RawRow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from builder.schema import RawRow
from builder.sources.spec import SourceSpec, load_sources
from builder.sources.tabular import iter_tabular_rows, open_parts

__all__ = ["SourceSpec", "load_sources", "open_source"]


def open_source(spec: SourceSpec, cache_dir: Path) -> Iterator[RawRow]:
    """Check a source (columns, files) now and return the iterator of its rows for later."""
    if spec.kind == "repo":
        from builder.repos.source import iter_repo_rows

        return iter_repo_rows(spec, cache_dir)
    parts = open_parts(spec, cache_dir / "hf-datasets")
    return iter_tabular_rows(spec, parts)
