"""`kind: repo` sources: every discovered scene of a repository as a RawRow (a self-contained program, or an
exclusion with its reason), with provenance, licence and a description."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import libcst as cst

from builder.guard import parse_cst
from builder.repos import datafiles
from builder.repos.clone import RepoCheckout, checkout
from builder.repos.describe import describe_class
from builder.repos.discover import SceneFinder, block_module, docstring_blocks, document_blocks, find_scenes
from builder.repos.inline import Unresolvable, build_program
from builder.repos.license import detect_license
from builder.repos.modules import ModuleInfo, RepoIndex
from builder.repos.repo_files import RepoFiles, RepoLimits, RepoReadError, RepoTooLarge
from builder.schema import Origin, RawRow

_DOC_SUFFIXES = {".rst", ".md", ".markdown", ".ipynb"}


@dataclass(frozen=True)
class SceneResult:
    """One discovered scene and what became of it (the `extract` command prints these)."""

    path: str
    scene: str
    status: str  # ok | excluded
    code: str | None
    reason: str | None
    description: str
    description_source: str
    dialect: str
    license: str
    fixes: tuple[str, ...]
    line_start: int | None
    line_end: int | None
    block: str | None = None  # "rst-L12" etc. for scenes inside documents

    @property
    def locator(self) -> str:
        return f"{self.path}#{self.block}::{self.scene}" if self.block else f"{self.path}::{self.scene}"

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "scene": self.scene,
            "block": self.block,
            "status": self.status,
            "reason": self.reason,
            "description": self.description,
            "description_source": self.description_source,
            "dialect": self.dialect,
            "license": self.license,
            "fixes": list(self.fixes),
            "line_start": self.line_start,
            "line_end": self.line_end,
            "code": self.code,
        }


def manim_exports() -> frozenset[str]:
    """What `from manim import *` binds in the installed manim (computed once, cached on disk)."""
    from builder.validate.manim_names import manim_names

    return frozenset(manim_names().exports)


def dialect_of(code: str, tree: cst.Module | None = None) -> str:
    """ce | gl | gl-legacy | mixed | unknown, by the fixes stage's detector when it is installed."""
    if tree is None:
        tree = parse_cst(code)
    try:
        from builder.fixes.dialect import detect
    except ImportError:  # fallback when the fixes package is absent: imports decide
        mods = {
            (s.module.value if isinstance(s.module, cst.Name) else "")
            if isinstance(s, cst.ImportFrom)
            else ""
            for stmt in tree.body
            if isinstance(stmt, cst.SimpleStatementLine)
            for s in stmt.body
        }
        ce, gl = "manim" in mods, "manimlib" in mods
        return "mixed" if ce and gl else "ce" if ce else "gl" if gl else "unknown"
    return detect(tree).name


def _matches(rel: str, patterns: Iterable[str]) -> bool:
    for pattern in patterns:
        if fnmatch.fnmatchcase(rel, pattern) or (
            pattern.startswith("**/") and fnmatch.fnmatchcase(rel, pattern[3:])
        ):
            return True
    return False


def _refused(rel: str, reason: str, license: str, code: str | None = None) -> SceneResult:
    """A file that yields no scene because it must not or cannot be read or parsed."""
    return SceneResult(
        path=rel,
        scene="",
        status="excluded",
        code=code,
        reason=reason,
        description="",
        description_source="name",
        dialect="unknown",
        license=license,
        fixes=(),
        line_start=None,
        line_end=None,
    )


def extract_repo(
    root: Path,
    *,
    license: str | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    max_datafile_bytes: int = datafiles.DEFAULT_MAX_BYTES,
    repo_name: str = "",
    manim_names: frozenset[str] | None = None,
    detect_dialects: bool = True,
    limits: RepoLimits | None = None,
) -> Iterator[SceneResult]:
    """Discover every scene of the repo at `root` and build its program (deterministic order).
    `detect_dialects=False` leaves `dialect` as "unknown" (the benchmark times that step separately).
    Files are read only through `RepoFiles` (inside the repo, regular, size-capped)."""
    limits = limits or RepoLimits(max_datafile_bytes=max_datafile_bytes)
    fs = RepoFiles(root, limits)
    license = license or detect_license(fs)
    try:
        files = fs.list()
    except RepoTooLarge as exc:
        yield _refused(".", f"limit:repo-files ({exc})", license)
        return
    py_files = frozenset(f for f in files if f.endswith(".py"))
    include, exclude = tuple(include), tuple(exclude)
    selected = [f for f in files if (not include or _matches(f, include)) and not _matches(f, exclude)]
    index = RepoIndex(
        Path(fs.root),
        py_files,
        manim_names if manim_names is not None else manim_exports(),
        name=repo_name,
        fs=fs,
    )

    keys: list[str] = []
    for rel in selected:
        suffix = Path(rel).suffix.lower()
        if suffix not in _DOC_SUFFIXES and suffix != ".py":
            continue
        try:
            text = index.text(rel)
        except RepoReadError as exc:  # a link out of the repo, a FIFO, a huge file: never read
            yield _refused(rel, exc.reason, license)
            continue
        if suffix != ".py":
            keys.extend(_register_blocks(index, rel, document_blocks(rel, text)))
            continue
        if "class" not in text and ".. manim::" not in text:
            continue  # no scene here; parsed later only if a scene imports it
        keys.append(rel)
        mod = index.module(rel)
        if mod is None:  # e.g. Python 2 era ManimGL files: counted, with the reason, not silently lost
            if "construct" in text and "Scene" in text:
                yield _refused(rel, f"unparsable-file:{index.parse_error(rel)}", license, text)
        elif ".. manim::" in text:
            keys.extend(_register_blocks(index, rel, docstring_blocks(mod)))
    scenes, _base_only = find_scenes(index, keys)
    finder = SceneFinder(index)
    for ref in scenes:
        mod = index.module(ref.module)
        assert mod is not None
        unit = mod.units[mod.defs[ref.name][-1]]
        node = unit.node
        assert isinstance(node, cst.ClassDef)
        desc = describe_class(node)
        block = ref.module.split("#", 1)[1] if "#" in ref.module else None
        common = {
            "path": mod.relpath,
            "scene": ref.name,
            "description": desc.text,
            "description_source": desc.source,
            "license": license,
            "line_start": unit.line_start + mod.line_offset,
            "line_end": unit.line_end + mod.line_offset,
            "block": block,
        }
        try:
            program = build_program(
                index,
                ref.module,
                ref.name,
                max_datafile_bytes=limits.max_datafile_bytes,
                is_scene=finder.is_scene,
            )
        except (Unresolvable, SyntaxError, ValueError, RecursionError, cst.ParserSyntaxError) as exc:
            reason = exc.reason if isinstance(exc, Unresolvable) else f"inline-error:{type(exc).__name__}"
            original = _clean(mod.code(unit))
            yield SceneResult(
                status="excluded",
                code=original,
                reason=reason,
                dialect=_module_dialect(index, mod) if detect_dialects else "unknown",
                fixes=(),
                **common,
            )
            continue
        yield SceneResult(
            status="ok",
            code=program.code,
            reason=None,
            dialect=dialect_of(program.code, program.tree) if detect_dialects else "unknown",
            fixes=program.fixes,
            **common,
        )


def _module_dialect(index: RepoIndex, mod: ModuleInfo) -> str:
    """Dialect of the scene's source module (imports and names decide; computed once per module)."""
    key = ("dialect", mod.key)
    if key not in index.memo:
        index.memo[key] = dialect_of(mod.source, mod.tree)
    return index.memo[key]  # type: ignore[return-value]


def _clean(text: str) -> str:
    return text.strip("\n") + "\n"


def _register_blocks(index: RepoIndex, rel: str, blocks: list) -> list[str]:
    keys = []
    for block in blocks:
        mod: ModuleInfo | None = block_module(block, rel)
        if mod is not None:
            index.virtual[mod.key] = mod
            keys.append(mod.key)
    return keys


def iter_repo_rows(spec: Any, cache_dir: Path) -> Iterator[RawRow]:
    """RawRows of a `kind: repo` source. Options: `max_datafile_bytes` (default 64 KiB),
    `max_file_bytes` (2 MiB), `max_files` (20,000), `exclude_licenses` (SPDX ids, or "unknown", whose
    rows are yielded as excluded `license:<id>`)."""
    return repo_rows(spec, open_repo(spec, cache_dir))


def open_repo(spec: Any, cache_dir: Path) -> RepoCheckout:
    """Clone or find the repo now, so a bad URL, revision or folder stops the build before any work."""
    return checkout(
        spec.path, getattr(spec, "revision", None), Path(cache_dir), Path(getattr(spec, "base_dir", "."))
    )


def repo_rows(spec: Any, repo: RepoCheckout) -> Iterator[RawRow]:
    """The RawRows of a checked-out repo source."""
    options = dict(getattr(spec, "options", None) or {})
    spec_license = getattr(spec, "license", None)
    limits = RepoLimits(
        **{k: int(options[k]) for k in ("max_files", "max_file_bytes", "max_datafile_bytes") if k in options}
    )
    license = (
        spec_license
        if spec_license and spec_license != "unknown"
        else detect_license(RepoFiles(repo.root, limits))
    )
    blocked = {str(x) for x in options.get("exclude_licenses", ())}
    name = options.get("package_name") or repo.url.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    results = extract_repo(
        repo.root,
        license=license,
        include=getattr(spec, "include", ()) or (),
        exclude=getattr(spec, "exclude", ()) or (),
        limits=limits,
        repo_name=str(name),
    )
    for res in results:
        excluded = res.reason if res.status == "excluded" else None
        if excluded is None and any(part in blocked for part in license.split(" AND ")):
            excluded = f"license:{license}"
        yield RawRow(
            source=spec.name,
            locator=res.locator,
            description=res.description,
            code=res.code,
            origin=Origin(
                dataset=repo.url,
                revision=repo.commit,
                path=res.path,
                class_name=res.scene,
                line_start=res.line_start,
                line_end=res.line_end,
            ),
            license=license,
            priority=getattr(spec, "priority", 50),
            description_source=res.description_source,
            fixes=res.fixes,
            excluded=excluded,
            detail=None,
        )
