"""What scene discovery (discover.py) and class descriptions (describe.py) read of a class: its bases,
whether each method is trivial or a stub, its docstring and the comment lines around its decorators.

Why: discovery asks these of every class of a repo. A class unit outlined from `ast` (outline.py) has
them in its outline, so no libcst node is parsed to answer; a class parsed with libcst is read the same
way off its node (`class_view`), so discovery sees one shape whatever parsed the module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

from builder.repos.scope_rules import Unsupported
from builder.repos.statement_lines import COMPOUND, DEFS, group_statements, starts_line
from builder.repos.units import Unit

__all__ = ["BaseRef", "ClassOutline", "MethodOutline", "class_methods", "class_outline", "class_view"]


@dataclass(frozen=True)
class BaseRef:
    """A class base as discover.py reads it: `kind` name | attr | other; for attributes, the root Name's
    value ("" when the chain does not start at a Name), the chain's parts (libcst's `_attr_parts`) and
    the last attribute."""

    kind: str
    root: str = ""
    parts: tuple[str, ...] = ()
    last: str = ""


@dataclass(frozen=True)
class MethodOutline:
    trivial: bool  # only `pass`, `...`, a docstring or `raise NotImplementedError` (_is_trivial)
    stub: bool  # only `raise NotImplementedError` (_stub_only)


@dataclass(frozen=True)
class ClassOutline:
    name: str
    bases: tuple[BaseRef, ...]
    methods: dict[str, MethodOutline]
    docstring: str | None  # libcst's `get_docstring(clean=True)`
    # the leading lines describe.py reads (above the class, between decorators)
    comment_lines: tuple[str, ...]


# -- from ast (outline.py) --------------------------------------------------------------------------


def class_outline(node: ast.ClassDef, lines: list[str], start: int, first: int, index: int) -> ClassOutline:
    """The outline of a top-level class statement (unit `index`) whose text starts on line `start` and
    whose first token is on line `first`, in a module of physical lines `lines`."""
    methods: dict[str, MethodOutline] = {}
    if starts_line(node.body[0], lines):  # an indented block (libcst gives a suite no methods)
        for stmt in node.body:
            if isinstance(stmt, DEFS):
                methods[stmt.name] = _method(stmt, lines)
    comments: list[str] = []
    if index:  # the first statement's leading lines are the module header, not the class's
        comments.extend(lines[start - 1 : first - 1])
    for before, decorator in zip(node.decorator_list, node.decorator_list[1:], strict=False):
        at = decorator.lineno
        if not lines[at - 1].startswith("@"):
            raise Unsupported("decorator shape")
        comments.extend(lines[(before.end_lineno or before.lineno) : at - 1])
    return ClassOutline(
        name=node.name,
        bases=tuple(_base_ref(b) for b in node.bases),
        methods=methods,
        docstring=_docstring(node),
        comment_lines=tuple(comments),
    )


def _base_ref(expr: ast.expr) -> BaseRef:
    if isinstance(expr, ast.Starred):  # libcst: an Arg with a star, whose value is the expression
        expr = expr.value
    if isinstance(expr, ast.Name):
        return BaseRef("name", expr.id, (expr.id,), expr.id)
    if isinstance(expr, ast.Attribute):
        parts: list[str] = []
        inner: ast.expr = expr
        while isinstance(inner, ast.Attribute):
            parts.append(inner.attr)
            inner = inner.value
        root = inner.id if isinstance(inner, ast.Name) else ""
        if isinstance(inner, ast.Name):
            parts.append(inner.id)
        return BaseRef("attr", root, tuple(reversed(parts)), expr.attr)
    return BaseRef("other")


def _docstring(node: ast.ClassDef) -> str | None:
    first = node.body[0]
    if isinstance(first, ast.Expr):
        if isinstance(first.value, ast.JoinedStr):
            raise Unsupported("f-string docstring")  # libcst: a docstring if it concatenates plain strings
        if isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            return ast.get_docstring(node, clean=True)
    return None


def _docstring_like(group: list[ast.stmt]) -> bool:
    if len(group) != 1 or not isinstance(group[0], ast.Expr):
        return False
    value = group[0].value
    if isinstance(value, ast.JoinedStr):
        raise Unsupported("f-string statement")  # libcst: docstring-like if it concatenates
    return isinstance(value, ast.Constant) and isinstance(value.value, str | bytes)


def _raises_not_implemented(small: ast.stmt) -> bool:
    if not isinstance(small, ast.Raise) or small.exc is None:
        return False
    exc = small.exc.func if isinstance(small.exc, ast.Call) else small.exc
    return isinstance(exc, ast.Name) and exc.id in {"NotImplementedError", "NotImplemented"}


def _method(func: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> MethodOutline:
    if not starts_line(func.body[0], lines):  # a suite: libcst's checks see one non-line statement
        return MethodOutline(trivial=False, stub=False)
    groups = [g for g in group_statements(func.body) if not _docstring_like(g)]
    trivial = True
    for group in groups:
        if isinstance(group[0], COMPOUND):
            trivial = False
            break
        for small in group:
            if isinstance(small, ast.Pass) or (
                isinstance(small, ast.Expr)
                and isinstance(small.value, ast.Constant)
                and small.value.value is Ellipsis
            ):
                continue
            if _raises_not_implemented(small):
                continue
            trivial = False
            break
        if not trivial:
            break
    stub = bool(groups) and all(
        not isinstance(g[0], COMPOUND) and all(_raises_not_implemented(s) for s in g) for g in groups
    )
    return MethodOutline(trivial=trivial, stub=stub)


# -- from libcst ------------------------------------------------------------------------------------


def _is_trivial(func: cst.FunctionDef) -> bool:
    body = func.body.body if isinstance(func.body, cst.IndentedBlock) else [func.body]
    stmts = [s for s in body if not _is_docstring(s)]
    if not stmts:
        return True
    for stmt in stmts:
        if not isinstance(stmt, cst.SimpleStatementLine):
            return False
        for small in stmt.body:
            if isinstance(small, cst.Pass) or (
                isinstance(small, cst.Expr) and isinstance(small.value, cst.Ellipsis)
            ):
                continue
            if _cst_raises_not_implemented(small):
                continue
            return False
    return True


def _is_docstring(stmt: cst.BaseStatement | cst.BaseSmallStatement) -> bool:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        stmt = stmt.body[0]
    return isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.SimpleString | cst.ConcatenatedString)


def _cst_raises_not_implemented(small: cst.BaseSmallStatement) -> bool:
    if not isinstance(small, cst.Raise) or small.exc is None:
        return False
    exc = small.exc.func if isinstance(small.exc, cst.Call) else small.exc
    return isinstance(exc, cst.Name) and exc.value in {"NotImplementedError", "NotImplemented"}


def _stub_only(func: cst.FunctionDef) -> bool:
    body = func.body.body if isinstance(func.body, cst.IndentedBlock) else [func.body]
    stmts = [s for s in body if not _is_docstring(s)]
    return bool(stmts) and all(
        isinstance(s, cst.SimpleStatementLine) and all(_cst_raises_not_implemented(x) for x in s.body)
        for s in stmts
    )


def class_methods(node: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    """The methods of a libcst class (none for a one-line suite)."""
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
    return {s.name.value: s for s in body if isinstance(s, cst.FunctionDef)}


def class_view(unit: Unit) -> ClassOutline:
    """What discovery reads of a class unit: its outline (outline.py), or the same read off its libcst
    node (cached on the unit)."""
    found = getattr(unit, "class_outline", None)
    if found is None:
        found = getattr(unit, "_class_view", None)
    if found is None:
        node = unit.node
        assert isinstance(node, cst.ClassDef)
        found = ClassOutline(
            name=node.name.value,
            bases=tuple(_cst_base_ref(arg.value) for arg in node.bases),
            methods={
                name: MethodOutline(_is_trivial(func), _stub_only(func))
                for name, func in class_methods(node).items()
            },
            docstring=None,  # describe.py reads the node itself
            comment_lines=(),
        )
        unit._class_view = found  # type: ignore[attr-defined]
    return found


def _cst_base_ref(expr: cst.BaseExpression) -> BaseRef:
    if isinstance(expr, cst.Name):
        return BaseRef("name", expr.value, (expr.value,), expr.value)
    if isinstance(expr, cst.Attribute):
        return BaseRef("attr", _root_name(expr), tuple(_attr_parts(expr)), expr.attr.value)
    return BaseRef("other")


def _root_name(expr: cst.BaseExpression) -> str:
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else ""


def _attr_parts(expr: cst.BaseExpression) -> list[str]:
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
    return parts[::-1]
