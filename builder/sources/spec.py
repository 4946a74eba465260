"""Source specs: the `sources:` entries of a sources YAML, checked before any work starts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.errors import ConfigError
from builder.sources.find_files import TooManyFiles, find_files

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
    def public_path(self) -> str:
        """`path` as it may be recorded and shown (a repo URL without its credentials)."""
        if self.kind != "repo":
            return self.path
        from builder.repos.clone import public_url

        return public_url(self.path)

    @property
    def description_fields(self) -> tuple[str, ...]:
        value = self.fields.get("description") or ()
        return (value,) if isinstance(value, str) else tuple(value)

    def local_files(self) -> list[str]:
        """The files a `files` source reads, resolved against the YAML's folder, sorted (bounded work)."""
        try:
            return find_files(self.path, self.base_dir)
        except TooManyFiles as exc:
            raise ConfigError(f"source '{self.name}': path {self.path!r}: {exc}; narrow it") from None


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
    revision = entry.get("revision")
    if kind == "repo":
        from builder.repos.clone import public_url, revision_problem, url_problem

        problem = url_problem(path, origin.parent.resolve())
        if problem:
            raise _fail(where, f"'path' {public_url(path)!r}: {problem}")
        problem = revision_problem(revision)
        if problem:
            raise _fail(where, f"'revision' {problem}")
    elif revision is not None and not isinstance(revision, str):
        raise _fail(where, f"'revision' must be a string, got {revision!r}")
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
        revision=revision,
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
