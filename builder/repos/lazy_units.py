"""Units of a module outlined from `ast` (outline.py), whose libcst node is parsed only when something
asks for it.

Why: most statements of a repo are only read: a scene's program is the text of the statements it needs.
A `LazyUnit` answers its kind, names, lines and text from its outline; its libcst node is parsed from
its own text on first use (renames, data-file reads, `sys.path` edits), falling back to the whole
module's parse if the text alone parses differently, and the Name nodes of its refs and definitions are
found in that node when a rename needs them.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from builder.guard import parse_cst
from builder.repos.outline import Outline, UnitOutline
from builder.repos.scope_provider import statement_facts
from builder.repos.scopes import Facts
from builder.repos.units import ImportBinding, ModuleInfo, StarImport, Unit, module_info

__all__ = ["LazyUnit", "outlined_module"]


class _Names(Mapping):
    """The names a LazyUnit reads or binds, known from its outline; the Name nodes that go with them
    are found in its libcst node when a rename asks for them."""

    def __init__(self, names: frozenset[str], unit: LazyUnit, which: str) -> None:
        self.names, self.unit, self.which = names, unit, which

    def __getitem__(self, name: str) -> list[cst.Name]:
        if name not in self.names:
            raise KeyError(name)
        return getattr(self.unit.cst_facts(), self.which)[name]

    def __iter__(self):  # noqa: ANN204
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __contains__(self, name: object) -> bool:
        return name in self.names


def _names_property(names: str, which: str) -> property:
    """A unit's `which` (refs or def_nodes) as a _Names view of its outlined `names`; what Unit's
    __init__ assigns to it is ignored."""
    return property(lambda unit: _Names(getattr(unit, names), unit, which), lambda unit, value: None)


class LazyUnit(Unit):
    """A unit outlined from `ast`: its libcst node is parsed from its own text on first use (falling back
    to the whole module's parse if the text alone parses differently), and the Name nodes of its refs
    and definitions are found in that node when a rename needs them."""

    def __init__(self, found: UnitOutline, module: _LazyModule) -> None:
        self._node: cst.BaseStatement | None = None
        self._facts: object = None
        self._module = module
        self.ref_names = found.ref_names
        self.def_names = found.def_names
        self.single_assign_name = found.single_assign_name
        self.class_outline = found.class_outline
        self.outlined_imports = found.imports
        self.outlined_stars = found.stars
        super().__init__(
            index=found.index,
            node=None,  # type: ignore[arg-type]
            kind=found.kind,
            defines=found.defines,
            refs=None,  # type: ignore[arg-type]
            eager=found.eager,
            def_nodes=None,  # type: ignore[arg-type]
            line_start=found.line_start,
            line_end=found.line_end,
            next_line=found.next_line,
            text=found.text,
        )

    @property  # type: ignore[override]
    def node(self) -> cst.BaseStatement:
        if self._node is None:
            self._node = self._module.node(self)
        return self._node

    @node.setter
    def node(self, value: cst.BaseStatement) -> None:
        self._node = value

    refs = _names_property("ref_names", "refs")  # type: ignore[assignment]
    def_nodes = _names_property("def_names", "def_nodes")  # type: ignore[assignment]

    def constant(self) -> tuple[str, cst.BaseExpression] | None:
        if self.single_assign_name is None:
            return None  # not `NAME = value` alone: no need to parse it to know
        return super().constant()

    def cst_facts(self) -> Facts:
        """The unit's facts with their Name nodes (the facts of one statement do not depend on the rest
        of the module; scopes.py's walk of the node)."""
        if self._facts is None:
            tree = cst.Module(body=[self.node])
            facts = statement_facts(tree, self._module.source)[0]
            if set(facts.refs) != self.ref_names or set(facts.def_nodes) != self.def_names:
                raise ValueError(f"outline and libcst disagree on the names of unit {self.index}")
            self._facts = facts
        return self._facts  # type: ignore[return-value]


class _LazyModule:
    """Where the LazyUnits of one outlined module get their libcst nodes."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.info: ModuleInfo | None = None

    def node(self, unit: LazyUnit) -> cst.BaseStatement:
        try:
            alone = parse_cst(unit.text)
        except (cst.ParserSyntaxError, ValueError, RecursionError):
            alone = None
        if (
            alone is not None
            and len(alone.body) == 1
            and not alone.footer
            and alone.default_indent == "    "
            and alone.default_newline == "\n"
        ):
            node = alone.body[0]
            if unit.index and alone.header:  # libcst moved the leading lines into the module header
                node = node.with_changes(leading_lines=(*alone.header, *node.leading_lines))
            return node
        assert self.info is not None
        return self.info.tree.body[unit.index]


def outlined_module(
    key: str, relpath: str, source: str, found: Outline, line_offset: int, header_lines: int
) -> ModuleInfo:
    """The module of an outline: a LazyUnit per outlined unit, the imports read off the outline."""
    lazy = _LazyModule(source)
    units: list[Unit] = [LazyUnit(u, lazy) for u in found.units]

    def imports_of(unit: Unit) -> tuple[list[ImportBinding], list[StarImport]]:
        assert isinstance(unit, LazyUnit)
        names = [ImportBinding(*binding, unit.index) for binding in unit.outlined_imports]
        return names, [StarImport(module, level, unit.index) for module, level in unit.outlined_stars]

    info = module_info(key, relpath, source, units, imports_of, line_offset, header_lines)
    lazy.info = info
    return info
