"""Parsing a repo module into units: outlined from `ast` when outline.py can (its libcst nodes parsed when
something asks for them, lazy_units.py), else parsed with libcst and cut into units here.

Why: libcst builds about 25 Python objects per source line and most statements of a repo are only read
(see outline.py), so the outline is the common path; libcst's own parse remains for the files whose
shape the outline does not reproduce exactly, for documented modules (their docstrings are read from
libcst), and for statements rewritten after parsing (`analyse_unit`).
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from builder.guard import check_depth, parse_cst
from builder.repos.lazy_units import outlined_module
from builder.repos.outline import outline
from builder.repos.paths import SYS_PATH, dotted
from builder.repos.scope_provider import statement_facts
from builder.repos.scopes import Facts, Unsupported
from builder.repos.units import (
    ImportBinding,
    ModuleInfo,
    StarImport,
    Unit,
    line_kind,
    module_info,
    side_if_unbound,
)

__all__ = ["analyse_unit", "parse_module"]

_IMPORTS = (cst.Import, cst.ImportFrom)
_ASSIGNS = (cst.Assign, cst.AnnAssign, cst.AugAssign)
_DOCSTRING = m.Expr(value=m.SimpleString() | m.ConcatenatedString())


def parse_module(
    key: str, relpath: str, source: str, *, line_offset: int = 0, header_lines: int = 0
) -> ModuleInfo:
    """Parse and analyse one module; raises libcst.ParserSyntaxError on invalid code, TooDeep on
    pathological nesting. Outlined from `ast` when outline.py can (libcst nodes parsed on demand),
    otherwise parsed with libcst."""
    ast_tree = check_depth(source)
    if ast_tree is not None and ".. manim::" not in source:  # documented modules: libcst reads docstrings
        try:
            found = outline(source, ast_tree)
        except Unsupported:
            found = None
        del ast_tree  # an ast tree weighs as much as a libcst one: keep neither
        if found is not None:
            return outlined_module(key, relpath, source, found, line_offset, header_lines)
    return _parsed_module(key, relpath, source, line_offset, header_lines)


def _parsed_module(key: str, relpath: str, source: str, line_offset: int, header_lines: int) -> ModuleInfo:
    tree = parse_cst(source)
    units: list[Unit] = []
    line = len(tree.header) + 1
    for index, (stmt, fact) in enumerate(zip(tree.body, statement_facts(tree, source), strict=True)):
        unit = _make_unit(stmt, index, line, fact)
        units.append(unit)
        line = unit.next_line
    return module_info(key, relpath, source, units, _import_bindings, line_offset, header_lines, tree)


def _unit_kind(node: cst.BaseStatement, index: int, uses_sys: bool) -> str:
    if isinstance(node, cst.FunctionDef):
        return "def"
    if isinstance(node, cst.ClassDef):
        return "class"
    if isinstance(node, cst.If) and m.matches(
        node.test,
        m.Comparison(left=m.Name("__name__"))
        | m.Comparison(comparisons=[m.ComparisonTarget(comparator=m.Name("__name__"))]),
    ):
        return "main"
    if uses_sys and m.findall(node, SYS_PATH):
        return "syspath"
    if isinstance(node, cst.SimpleStatementLine):
        small = node.body
        docstring = lambda: index == 0 and len(small) == 1 and m.matches(small[0], _DOCSTRING)  # noqa: E731
        return line_kind(small, _IMPORTS, _ASSIGNS, docstring)
    return "compound"


def _make_unit(node: cst.BaseStatement, index: int, line_start: int, fact: Facts) -> Unit:
    code = cst.Module(body=[node]).code
    leading = (
        node.decorators[0].leading_lines
        if isinstance(node, cst.FunctionDef | cst.ClassDef) and node.decorators
        else getattr(node, "leading_lines", ())
    )
    first = line_start + len(leading)
    last = line_start + len(code.rstrip().splitlines()) - 1
    kind = side_if_unbound(_unit_kind(node, index, "sys" in fact.refs), fact.defines)
    return Unit(
        index,
        node,
        kind,
        tuple(fact.defines),
        fact.refs,
        frozenset(fact.eager),
        fact.def_nodes,
        first,
        max(first, last),
        line_start + code.count("\n"),
        code,
    )


def analyse_unit(node: cst.BaseStatement, index: int, line_start: int) -> Unit:
    """Scope-analyse one top-level statement on its own (used for statements rewritten after parsing)."""
    return _make_unit(node, index, line_start, statement_facts(cst.Module(body=[node]))[0])


def _import_bindings(unit: Unit) -> tuple[list[ImportBinding], list[StarImport]]:
    names: list[ImportBinding] = []
    stars: list[StarImport] = []
    for small in unit.node.body:  # type: ignore[attr-defined]
        if isinstance(small, cst.Import):
            for alias in small.names:
                full = dotted(alias.name)
                if alias.asname is not None:
                    names.append(ImportBinding(dotted(alias.asname.name), full, None, 0, True, unit.index))
                else:
                    names.append(ImportBinding(full.split(".")[0], full, None, 0, False, unit.index))
        elif isinstance(small, cst.ImportFrom):
            module = dotted(small.module) if small.module is not None else ""
            level = len(small.relative)
            if isinstance(small.names, cst.ImportStar):
                stars.append(StarImport(module, level, unit.index))
                continue
            for alias in small.names:
                attr = dotted(alias.name)
                bound = dotted(alias.asname.name) if alias.asname is not None else attr
                names.append(ImportBinding(bound, module, attr, level, alias.asname is not None, unit.index))
    return names, stars
