"""Sources: turn each `sources:` entry into a stream of RawRow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from builder.errors import ConfigError
from builder.schema import RawRow
from builder.sources.spec import SourceSpec, load_sources
from builder.sources.tabular import iter_tabular_rows, open_parts

__all__ = ["SourceSpec", "load_sources", "open_source"]


def open_source(spec: SourceSpec, cache_dir: Path) -> Iterator[RawRow]:
    """Check a source (columns, files) now and return the iterator of its rows for later."""
    if spec.kind == "repo":
        from builder.repos.clone import CloneError
        from builder.repos.source import open_repo, repo_rows

        try:
            checkout = open_repo(spec, cache_dir)
        except CloneError as exc:
            raise ConfigError(f"source '{spec.name}': {exc}") from None
        return repo_rows(spec, checkout)
    parts = open_parts(spec, cache_dir / "hf-datasets")
    return iter_tabular_rows(spec, parts)
