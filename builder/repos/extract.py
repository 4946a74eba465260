"""Every scene of a repository as a SceneResult: a self-contained program, or an exclusion with its
reason, with its place in the repo, a description and the dialect (the `extract` command prints these)."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import libcst as cst

from builder.guard import parse_cst
from builder.repos import datafiles, heap
from builder.repos.describe import describe_unit
from builder.repos.discover import SceneFinder, find_scenes
from builder.repos.documents import block_module, docstring_blocks, document_blocks
from builder.repos.inline import Unresolvable, build_program
from builder.repos.license import detect_license
from builder.repos.modules import RepoIndex
from builder.repos.repo_files import RepoFiles, RepoLimits, RepoReadError, RepoTooLarge
from builder.repos.units import ModuleInfo

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
    detail: str | None = None  # why an exclusion happened, when the reason alone does not say

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


def refused(
    rel: str,
    reason: str,
    license: str,
    code: str | None = None,
    *,
    scene: str = "",
    detail: str | None = None,
) -> SceneResult:
    """A file (or scene) that yields no program because it must not or cannot be read or parsed."""
    return SceneResult(
        path=rel,
        scene=scene,
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
        detail=detail,
    )


@heap.managed  # parsed modules stay out of the cyclic GC's way while the repo is extracted
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
    on_parse: Callable[[str], None] | None = None,
    crashed: frozenset[str] = frozenset(),
) -> Iterator[SceneResult]:
    """Discover every scene of the repo at `root` and build its program (deterministic order).

    `detect_dialects=False` leaves `dialect` as "unknown" (the benchmark times that step separately).
    Files are read only through `RepoFiles` (inside the repo, regular, size-capped). `on_parse` is told
    the key of each file before it is parsed and of each scene before its program is built; keys in
    `crashed` (which killed an earlier run, see source.py) are skipped.
    """
    limits = limits or RepoLimits(max_datafile_bytes=max_datafile_bytes)
    fs = RepoFiles(root, limits)
    license = license or detect_license(fs)
    try:
        files = fs.list()
    except RepoTooLarge as exc:
        yield refused(".", f"limit:repo-files ({exc})", license)
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
        on_parse=on_parse,
        crashed=crashed,
    )

    keys: list[str] = []
    for rel in selected:
        suffix = Path(rel).suffix.lower()
        if suffix not in _DOC_SUFFIXES and suffix != ".py":
            continue
        try:
            text = index.text(rel)
        except RepoReadError as exc:  # a link out of the repo, a FIFO, a huge file: never read
            yield refused(rel, exc.reason, license)
            continue
        if suffix != ".py":
            if rel in crashed:
                continue
            if on_parse is not None:
                on_parse(rel)
            keys.extend(_register_blocks(index, rel, document_blocks(rel, text)))
            continue
        library = index.in_library(rel)  # a vendored manim/manimlib: its docs examples only
        if ".. manim::" not in text and ("class" not in text or library):
            continue  # no scene here; parsed later only if a scene imports it
        if not library:
            keys.append(rel)
        mod = index.module(rel)
        if mod is None:  # e.g. Python 2 era ManimGL files: counted, with the reason, not silently lost
            if "construct" in text and "Scene" in text and not library:
                yield refused(rel, f"unparsable-file:{index.parse_error(rel)}", license, text)
        elif ".. manim::" in text:
            keys.extend(_register_blocks(index, rel, docstring_blocks(mod)))
    scenes, _base_only = find_scenes(index, keys)
    finder = SceneFinder(index)
    supplied, placeholders = _fix_names()
    for ref in scenes:
        mod = index.module(ref.module)
        assert mod is not None
        if f"{ref.module}::{ref.name}" in crashed:
            continue
        if on_parse is not None:
            on_parse(f"{ref.module}::{ref.name}")
        unit = mod.units[mod.defs[ref.name][-1]]
        assert unit.kind == "class"
        desc = describe_unit(unit)
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
                supplied=supplied,
                placeholders=placeholders,
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


def _fix_names() -> tuple[frozenset[str], frozenset[str]]:
    """Names the fix catalogue supplies, and those it replaces with placeholders (fix before reject)."""
    from builder.fixes.catalogue import placeholder_names, supplied_names

    return supplied_names(), placeholder_names()


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
