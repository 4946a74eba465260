"""A repo module outlined from `ast`: its top-level statements as libcst would cut them, with their text,
lines, kind, imports, module-level name facts and (for classes) what scene discovery asks about them.

Why: a repo source parses every file of the repo. libcst builds about 25 Python objects per source line,
twelve times the time of `ast`, and extraction kept them all to the end (1.2 GB and 3 minutes of parsing
for a 400,000-line GL video repo). Most statements are only read: a scene's program is the text of the
statements it needs. So a module is outlined from the `ast` tree the depth guard parses anyway, and a
statement's libcst node is parsed from its own text only when something must rewrite or inspect it
(renames, data-file reads, `sys.path` edits; see lazy_units.py).

The outline reproduces what libcst gives, so extraction does not change:
- units: one per libcst top-level statement (statements joined by `;` are one);
- text: what `cst.Module(body=[statement]).code` prints, which is the source (libcst prints what it
  parsed): a statement owns the comment and blank lines above it; after a compound statement, libcst's
  indented-block footers own the following comment and blank lines up to the last one indented at least
  as deep as the statement's last block; the first statement's leading lines are the module header and
  the lines after the last statement the module footer;
- lines: `line_start` / `line_end` / `next_line` as parse.py computes them from the libcst node;
- facts: the rules of scopes.py (which reproduces ScopeProvider), walked over `ast` nodes in the order
  libcst's ScopeVisitor visits the same constructs (ast_scopes.py);
- kinds, import bindings, star imports: parse.py's rules on the same statements (units.line_kind).
A file whose shape leaves any doubt (a module default indent other than four spaces, which a one-statement
Module would re-indent; CR line ends; form feeds; no final newline; `except E :`, which libcst prints
without the space; match statements; string annotations that are not plain type expressions...) raises
`Unsupported`, and parse.py parses it with libcst as before.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from builder.repos.ast_scopes import UnitFacts, unit_facts
from builder.repos.class_outline import ClassOutline, class_outline
from builder.repos.scope_rules import Unsupported
from builder.repos.statement_lines import COMPOUND, DEFS, default_indent, group_statements, unit_spans
from builder.repos.units import line_kind, side_if_unbound

__all__ = ["Outline", "UnitOutline", "outline"]

_IMPORTS = (ast.Import, ast.ImportFrom)
_ASSIGNS = (ast.Assign, ast.AnnAssign, ast.AugAssign)


@dataclass
class UnitOutline:
    index: int
    kind: str
    defines: tuple[str, ...]
    ref_names: frozenset[str]
    eager: frozenset[str]
    def_names: frozenset[str]
    line_start: int
    line_end: int
    next_line: int
    text: str
    decorated: bool
    imports: list[tuple[str, str, str | None, int, bool]] = field(default_factory=list)
    stars: list[tuple[str, int]] = field(default_factory=list)
    single_assign_name: str | None = None  # `NAME = value` alone on its line (units.ModuleInfo.constants)
    class_outline: ClassOutline | None = None


@dataclass
class Outline:
    header_lines: int  # len(libcst Module.header)
    units: list[UnitOutline]


def outline(source: str, tree: ast.Module) -> Outline:
    """The outline of a module whose `ast` tree is `tree`; raises Unsupported when in doubt."""
    if (
        not tree.body
        or not source.endswith("\n")
        or "\r" in source
        or "\f" in source
        or source.startswith("\ufeff")
    ):
        raise Unsupported("file shape")
    lines = source.split("\n")[:-1]  # physical lines, without their "\n"
    if default_indent(tree.body, lines) != "    ":
        raise Unsupported("default indent")
    groups = group_statements(tree.body)
    spans = unit_spans(groups, lines)
    facts = unit_facts(groups, lines, "typing" in source)
    offsets = [0]
    for text in lines:
        offsets.append(offsets[-1] + len(text) + 1)
    units: list[UnitOutline] = []
    for index, (group, (start, first_token, end), fact) in enumerate(zip(groups, spans, facts, strict=True)):
        head = group[0]
        decorated = isinstance(head, (*DEFS, ast.ClassDef)) and bool(head.decorator_list)
        text = source[offsets[start - 1] : offsets[end]]
        first = start if decorated else first_token
        last = start + len(text.rstrip().splitlines()) - 1
        kind = _kind(group, index, fact)
        unit = UnitOutline(
            index=index,
            kind=kind,
            defines=tuple(fact.defines),
            ref_names=frozenset(fact.refs),
            eager=frozenset(fact.eager),
            def_names=frozenset(fact.def_names),
            line_start=first,
            line_end=max(first, last),
            next_line=start + text.count("\n"),
            text=text,
            decorated=decorated,
        )
        if kind == "import":
            _import_bindings(group, unit)
        if len(group) == 1 and isinstance(head, ast.Assign) and len(head.targets) == 1:
            target = head.targets[0]
            if isinstance(target, ast.Name):
                unit.single_assign_name = target.id
        if isinstance(head, ast.ClassDef):
            unit.class_outline = class_outline(head, lines, start, first_token, index)
        units.append(unit)
    return Outline(header_lines=spans[0][1] - 1, units=units)


# -- kinds and imports -------------------------------------------------------------------------------


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _mentions_sys_path(group: list[ast.stmt]) -> bool:
    for stmt in group:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Attribute) and node.attr == "path" and _is_name(node.value, "sys"):
                return True
            if isinstance(node, ast.Import) and any(_sys_path_dotted(a.name) for a in node.names):
                return True
            if isinstance(node, ast.ImportFrom) and (
                _sys_path_dotted(node.module or "") or any(_sys_path_dotted(a.name) for a in node.names)
            ):
                return True
    return False


def _sys_path_dotted(name: str) -> bool:
    return name == "sys.path" or name.startswith("sys.path.")


def _kind(group: list[ast.stmt], index: int, fact: UnitFacts) -> str:
    """parse._unit_kind (and the `side` rule of parse._make_unit) on the unit's ast statements."""
    head = group[0]
    if isinstance(head, DEFS):
        return "def"
    if isinstance(head, ast.ClassDef):
        return "class"
    return side_if_unbound(_kind_of(group, index, fact), fact.defines)


def _kind_of(group: list[ast.stmt], index: int, fact: UnitFacts) -> str:
    head = group[0]
    if isinstance(head, ast.If) and isinstance(head.test, ast.Compare):
        test = head.test
        if _is_name(test.left, "__name__") or (
            len(test.comparators) == 1 and _is_name(test.comparators[0], "__name__")
        ):
            return "main"
    if "sys" in fact.refs and _mentions_sys_path(group):
        return "syspath"
    if isinstance(head, COMPOUND):
        return "compound"
    docstring = lambda: index == 0 and len(group) == 1 and _is_docstring(head)  # noqa: E731
    return line_kind(group, _IMPORTS, _ASSIGNS, docstring)


def _is_docstring(stmt: ast.stmt) -> bool:
    if not isinstance(stmt, ast.Expr):
        return False
    value = stmt.value
    if isinstance(value, ast.JoinedStr):
        raise Unsupported("f-string first statement")  # libcst: a docstring if it concatenates
    return isinstance(value, ast.Constant) and isinstance(value.value, str | bytes)


def _import_bindings(group: list[ast.stmt], unit: UnitOutline) -> None:
    for small in group:
        if isinstance(small, ast.Import):
            for alias in small.names:
                if alias.asname is not None:
                    unit.imports.append((alias.asname, alias.name, None, 0, True))
                else:
                    unit.imports.append((alias.name.split(".")[0], alias.name, None, 0, False))
        elif isinstance(small, ast.ImportFrom):
            module = small.module or ""
            if len(small.names) == 1 and small.names[0].name == "*":
                unit.stars.append((module, small.level))
                continue
            for alias in small.names:
                bound = alias.asname if alias.asname is not None else alias.name
                unit.imports.append((bound, module, alias.name, small.level, alias.asname is not None))
