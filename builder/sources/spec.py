"""Source specs: the `sources:` entries of a sources YAML, checked before any work starts."""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.errors import ConfigError

KINDS = ("hub", "files", "repo")
_KNOWN_KEYS = {
    "name",
    "kind",
    "path",
    "revision",
    "fields",
    "license",
    "priority",
    "strip_description",
    "include",
    "exclude",
    "options",
    "split",
    "config_name",
    "data_files",
}
_FIELD_KEYS = {"description", "code", "split", "messages"}


@dataclass(frozen=True)
class SourceSpec:
    """One source: where its rows are, how its columns map onto ours, and how much we trust it."""

    name: str
    kind: str
    path: str
    revision: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    license: str = "unknown"
    priority: int = 50
    strip_description: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    base_dir: Path = Path(".")

    @property
    def description_fields(self) -> tuple[str, ...]:
        value = self.fields.get("description") or ()
        return (value,) if isinstance(value, str) else tuple(value)

    def local_files(self) -> list[str]:
        """The files a `files` source reads, resolved against the YAML's folder, sorted."""
        target = Path(self.path)
        if not target.is_absolute():
            target = self.base_dir / target
        if target.is_dir():
            found = [p for p in target.rglob("*") if p.suffix in _TABULAR_SUFFIXES and p.is_file()]
        else:
            found = [Path(p) for p in glob.glob(str(target), recursive=True)]
        return sorted(str(p) for p in found)


_TABULAR_SUFFIXES = {".parquet", ".jsonl", ".json", ".csv"}


def _fail(where: str, msg: str) -> ConfigError:
    return ConfigError(f"{where}: {msg}")


def _parse_entry(entry: Any, index: int, origin: Path) -> SourceSpec:
    where = f"{origin} sources[{index}]"
    if not isinstance(entry, dict):
        raise _fail(where, "each source must be a mapping with at least name, kind and path")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(where, "missing 'name'")
    where = f"{origin} source '{name}'"
    unknown = set(entry) - _KNOWN_KEYS
    if unknown:
        raise _fail(where, f"unknown key(s) {sorted(unknown)}; known: {sorted(_KNOWN_KEYS)}")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise _fail(where, f"'kind' must be one of {KINDS}, got {kind!r}")
    path = entry.get("path")
    if not isinstance(path, str) or not path:
        raise _fail(where, "missing 'path'")
    fields = entry.get("fields") or {}
    if not isinstance(fields, dict):
        raise _fail(where, "'fields' must be a mapping")
    bad = set(fields) - _FIELD_KEYS
    if bad:
        raise _fail(where, f"unknown field mapping(s) {sorted(bad)}; known: {sorted(_FIELD_KEYS)}")
    if kind != "repo":
        if "messages" in fields and ("code" in fields or "description" in fields):
            raise _fail(where, "map either 'messages' or 'description'+'code', not both")
        if "messages" not in fields and not ("code" in fields and "description" in fields):
            raise _fail(where, "'fields' must map 'description' and 'code' (or 'messages')")
    priority = entry.get("priority", 50)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise _fail(where, f"'priority' must be an integer, got {priority!r}")
    strip = entry.get("strip_description") or []
    if isinstance(strip, str):
        strip = [strip]
    import re

    for pattern in strip:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise _fail(where, f"strip_description regex {pattern!r} is invalid: {exc}") from None
    options = dict(entry.get("options") or {})
    for key in ("split", "config_name", "data_files", "citation", "url"):
        if key in entry:
            options[key] = entry[key]
    spec = SourceSpec(
        name=name.strip(),
        kind=kind,
        path=path,
        revision=entry.get("revision"),
        fields=dict(fields),
        license=str(entry.get("license") or "unknown"),
        priority=priority,
        strip_description=tuple(strip),
        include=tuple(entry.get("include") or ()),
        exclude=tuple(entry.get("exclude") or ()),
        options=options,
        base_dir=origin.parent.resolve(),
    )
    if kind == "files" and not spec.local_files():
        raise _fail(where, f"no parquet/jsonl/json/csv file found at {path!r} (relative to {spec.base_dir})")
    return spec


def load_sources(paths: list[Path]) -> list[SourceSpec]:
    """Read and check every sources YAML; raise ConfigError naming the file and source on any problem."""
    specs: list[SourceSpec] = []
    for path in paths:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read sources file ({exc.strerror})") from None
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML: {exc}") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
            raise ConfigError(f"{path}: expected a top-level 'sources:' list")
        specs.extend(_parse_entry(entry, i, path) for i, entry in enumerate(doc["sources"]))
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise ConfigError(
                f"duplicate source name '{spec.name}': names must be unique across all sources files"
            )
        seen.add(spec.name)
    return specs
