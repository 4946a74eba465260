"""A parsed module split into top-level units: what each statement binds and which module-level names
it reads, eagerly (when it runs) or lazily (inside function bodies).

Each top-level statement becomes a `Unit`: outlined from `ast` when outline.py can (a `LazyUnit`, whose
libcst node is parsed when first asked for; lazy_units.py), else from libcst's tree with scopes.py's walk
(or ScopeProvider itself; parse.py). This module holds the types and what a module's units give it
whichever way they were made (`module_info`): its definitions, imports, star imports, `__all__`,
`sys.path` extensions and constants, and the kind rule of a line of simple statements (`line_kind`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import libcst as cst

from builder.guard import parse_cst
from builder.repos.paths import syspath_dirs


@dataclass(frozen=True)
class ImportBinding:
    """One name bound by an import statement (`import a.b as c`, `from .x import y as z`)."""

    name: str
    module: str  # dotted module as written (without leading dots)
    attr: str | None  # None for `import module`
    level: int
    asname: bool  # written with `as`
    unit: int


@dataclass(frozen=True)
class StarImport:
    module: str
    level: int
    unit: int


@dataclass
class Unit:
    """One top-level statement with what it binds and reads at module level."""

    index: int
    node: cst.BaseStatement
    kind: str  # def | class | assign | import | side | compound | main | syspath | docstring
    defines: tuple[str, ...]
    refs: dict[str, list[cst.Name]]  # module-level names read, with their Name nodes
    eager: frozenset[str]  # the subset of refs evaluated when the statement runs
    def_nodes: dict[str, list[cst.Name]]  # Name nodes that bind each defined name
    line_start: int  # the statement itself (first decorator), without the comments and blank lines above
    line_end: int
    next_line: int  # where the next top-level statement's text (with its leading lines) starts
    text: str  # original source of the statement, with its leading comments

    def constant(self) -> tuple[str, cst.BaseExpression] | None:
        """`NAME = value` alone on its line: the name and the value (for datafiles.py's path evaluation)."""
        if self.kind != "assign" or len(self.node.body) != 1:  # type: ignore[attr-defined]
            return None
        small = self.node.body[0]  # type: ignore[attr-defined]
        if (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
        ):
            return small.targets[0].target.value, small.value
        return None


@dataclass
class ModuleInfo:
    """A parsed module (a .py file or a code block from a document) split into units.

    A module outlined from `ast` (see outline.py) parses its libcst `tree` and its `constants` (simple
    `NAME = value` assignments, as libcst expressions) only when something asks for them."""

    key: str  # relpath of the file, plus "#..." for code blocks inside documents
    relpath: str  # the file on disk it comes from
    is_package: bool
    units: list[Unit]
    defs: dict[str, list[int]]
    imports: dict[str, ImportBinding]
    stars: list[StarImport]
    all_names: frozenset[str] | None
    syspath_dirs: tuple[str, ...]
    source: str = ""
    line_offset: int = 0  # added to unit lines to get lines of the file on disk
    header_lines: int = 0  # lines prepended to the original block (e.g. a default `from manim import *`)
    parsed_tree: cst.Module | None = field(default=None, repr=False)
    parsed_constants: dict[str, cst.BaseExpression] | None = field(default=None, repr=False)
    default_indent: str = "    "  # libcst's defaults for printing this module's nodes
    default_newline: str = "\n"

    @property
    def tree(self) -> cst.Module:
        if self.parsed_tree is None:
            self.parsed_tree = parse_cst(self.source)
        return self.parsed_tree

    @property
    def constants(self) -> dict[str, cst.BaseExpression]:
        if self.parsed_constants is None:
            self.parsed_constants = _constants(self.units)
        return self.parsed_constants

    @property
    def dir(self) -> str:
        parent = str(PurePosixPath(self.relpath).parent)
        return "" if parent == "." else parent

    def code(self, unit: Unit) -> str:
        return unit.text


def line_kind(
    small: Sequence[object],
    imports: tuple[type, ...],
    assigns: tuple[type, ...],
    docstring: Callable[[], bool],
) -> str:
    """The kind of a line of simple statements (see Unit.kind), for the statement types of either tree:
    `imports`, `assigns`; `docstring()` says whether the line is the module's docstring (asked only when
    the line is not all imports)."""
    if all(isinstance(s, imports) for s in small):
        return "import"
    if docstring():
        return "docstring"
    if any(isinstance(s, imports) for s in small):
        return "compound"
    if all(isinstance(s, assigns) for s in small):
        return "assign"
    return "side"


def side_if_unbound(kind: str, defines: Sequence[str]) -> str:
    """An assignment or compound statement that binds no module-level name runs for its effect only
    (`config.background_color = ...`): a `side` unit."""
    return "side" if kind in {"assign", "compound"} and not defines else kind


def module_info(
    key: str,
    relpath: str,
    source: str,
    units: list[Unit],
    imports_of: Callable[[Unit], tuple[list[ImportBinding], list[StarImport]]],
    line_offset: int,
    header_lines: int,
    tree: cst.Module | None = None,
) -> ModuleInfo:
    """The module made of `units` (`imports_of` reads an import unit's bindings); `tree`: the libcst
    parse the units were cut from, if any (its constants are read now, its print defaults kept)."""
    defs, imports, stars = _index_units(units, imports_of)
    parsed = {}
    if tree is not None:
        parsed = {
            "parsed_tree": tree,
            "parsed_constants": _constants(units),
            "default_indent": tree.default_indent,
            "default_newline": tree.default_newline,
        }
    file_dir = str(PurePosixPath(relpath).parent)
    return ModuleInfo(
        source=source,
        key=key,
        relpath=relpath,
        is_package=PurePosixPath(relpath).name == "__init__.py",
        units=units,
        defs=defs,
        imports=imports,
        stars=stars,
        all_names=_all_names(units),
        syspath_dirs=syspath_dirs(units, "" if file_dir == "." else file_dir),
        line_offset=line_offset,
        header_lines=header_lines,
        **parsed,  # type: ignore[arg-type]
    )


def _index_units(units: list[Unit], imports_of) -> tuple[dict, dict, list]:  # noqa: ANN001
    """`defs`, `imports` and `stars` of a module from its units (the rules of `parse_module`)."""
    defs: dict[str, list[int]] = {}
    imports: dict[str, ImportBinding] = {}
    stars: list[StarImport] = []
    for unit in units:
        if unit.kind == "import":
            names, unit_stars = imports_of(unit)
            for binding in names:
                imports[binding.name] = binding
                defs.pop(binding.name, None)
            stars.extend(unit_stars)
        elif unit.kind not in {"main", "docstring", "syspath"}:
            for name in unit.defines:
                defs.setdefault(name, []).append(unit.index)
                # a later definition shadows an earlier import of the same name
                if name in imports and imports[name].unit < unit.index:
                    del imports[name]
    return defs, imports, stars


def _all_names(units: list[Unit]) -> frozenset[str] | None:
    for unit in units:
        if unit.kind == "assign" and "__all__" in unit.defines:
            for small in unit.node.body:  # type: ignore[attr-defined]
                if isinstance(small, cst.Assign) and isinstance(small.value, cst.List | cst.Tuple):
                    values = [
                        e.value.evaluated_value
                        for e in small.value.elements
                        if isinstance(e.value, cst.SimpleString)
                    ]
                    return frozenset(v for v in values if isinstance(v, str))
    return None


def _constants(units: list[Unit]) -> dict[str, cst.BaseExpression]:
    """Simple `NAME = value` assignments alone on their line (for the path evaluation of datafiles.py)."""
    return dict(found for unit in units if (found := unit.constant()) is not None)
