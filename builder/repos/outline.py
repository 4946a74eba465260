"""A repo module outlined from `ast`: its top-level statements as libcst would cut them, with their text,
lines, kind, imports, module-level name facts and (for classes) what scene discovery asks about them.

Why: a repo source parses every file of the repo. libcst builds about 25 Python objects per source line,
twelve times the time of `ast`, and extraction kept them all to the end (1.2 GB and 3 minutes of parsing
for a 400,000-line GL video repo). Most statements are only read: a scene's program is the text of the
statements it needs. So a module is outlined from the `ast` tree the depth guard parses anyway, and a
statement's libcst node is parsed from its own text only when something must rewrite or inspect it
(renames, data-file reads, `sys.path` edits; see units.LazyUnit).

The outline reproduces what libcst gives, so extraction does not change:
- units: one per libcst top-level statement (statements joined by `;` are one);
- text: what `cst.Module(body=[statement]).code` prints, which is the source (libcst prints what it
  parsed): a statement owns the comment and blank lines above it; after a compound statement, libcst's
  indented-block footers own the following comment and blank lines up to the last one indented at least
  as deep as the statement's last block; the first statement's leading lines are the module header and
  the lines after the last statement the module footer;
- lines: `line_start` / `line_end` / `next_line` as units.py computes them from the libcst node;
- facts: the rules of scopes.py (which reproduces ScopeProvider), walked over `ast` nodes in the order
  libcst's ScopeVisitor visits the same constructs (ast_scopes.py);
- kinds, import bindings, star imports: units.py's rules on the same statements.
A file whose shape leaves any doubt (a module default indent other than four spaces, which a one-statement
Module would re-indent; CR line ends; form feeds; no final newline; `except E :`, which libcst prints
without the space; match statements; string annotations that are not plain type expressions...) raises
`Unsupported`, and units.py parses it with libcst as before.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from builder.repos.ast_scopes import UnitFacts, unit_facts
from builder.repos.scope_rules import Unsupported

__all__ = ["BaseRef", "ClassOutline", "MethodOutline", "Outline", "UnitOutline", "Unsupported", "outline"]

_COMPOUND = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


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
    trivial: bool  # discover._is_trivial
    stub: bool  # discover._stub_only


@dataclass(frozen=True)
class ClassOutline:
    name: str
    bases: tuple[BaseRef, ...]
    methods: dict[str, MethodOutline]
    docstring: str | None  # libcst's `get_docstring(clean=True)`
    comment_lines: tuple[
        str, ...
    ]  # the leading lines describe.py reads (above the class, between decorators)


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
    if _default_indent(tree.body, lines) != "    ":
        raise Unsupported("default indent")
    groups = _groups(tree.body)
    spans = _spans(groups, lines)
    facts = unit_facts(groups, lines, "typing" in source)
    offsets = [0]
    for text in lines:
        offsets.append(offsets[-1] + len(text) + 1)
    units: list[UnitOutline] = []
    for index, (group, (start, first_token, end), fact) in enumerate(zip(groups, spans, facts, strict=True)):
        head = group[0]
        decorated = isinstance(head, (*_DEFS, ast.ClassDef)) and bool(head.decorator_list)
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
            unit.class_outline = _class_outline(head, lines, start, first_token, index)
        units.append(unit)
    return Outline(header_lines=spans[0][1] - 1, units=units)


# -- statements and their lines ---------------------------------------------------------------------


def _groups(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """Top-level statements as libcst groups them: simple statements on one logical line are one."""
    groups: list[list[ast.stmt]] = []
    for stmt in body:
        if (
            groups
            and not isinstance(stmt, _COMPOUND)
            and not isinstance(groups[-1][-1], _COMPOUND)
            and groups[-1][-1].end_lineno == stmt.lineno
        ):
            groups[-1].append(stmt)
        else:
            groups.append([stmt])
    return groups


def _line_text_before(lines: list[str], lineno: int, col: int) -> bytes:
    return lines[lineno - 1].encode("utf-8")[:col]


def _starts_line(node: ast.stmt, lines: list[str]) -> bool:
    """Whether a statement is the first thing on its line (a block's statement, not a suite's)."""
    return not _line_text_before(lines, node.lineno, node.col_offset).strip()


def _clause_bodies(stmt: ast.stmt, lines: list[str]) -> list[list[ast.stmt]]:
    """The bodies of a compound statement's clauses, in source order (elif chains followed)."""
    if isinstance(stmt, ast.If):
        out = [stmt.body]
        orelse = stmt.orelse
        while len(orelse) == 1 and isinstance(orelse[0], ast.If) and _is_elif(orelse[0], lines):
            out.append(orelse[0].body)
            orelse = orelse[0].orelse
        return [*out, orelse] if orelse else out
    if isinstance(stmt, ast.For | ast.AsyncFor | ast.While):
        return [stmt.body, stmt.orelse] if stmt.orelse else [stmt.body]
    if isinstance(stmt, ast.Try | ast.TryStar):
        out = [stmt.body, *(h.body for h in stmt.handlers)]
        return out + [b for b in (stmt.orelse, stmt.finalbody) if b]
    if isinstance(stmt, ast.Match):
        raise Unsupported("match statement")
    return [stmt.body]  # def, class, with


def _is_elif(node: ast.If, lines: list[str]) -> bool:
    return lines[node.lineno - 1].encode("utf-8")[node.col_offset :].startswith(b"elif")


def _default_indent(body: list[ast.stmt], lines: list[str]) -> str:
    """libcst's default indent: the relative indent of the file's first indented block."""
    for stmt in body:
        if not isinstance(stmt, _COMPOUND):
            continue
        for clause in _clause_bodies(stmt, lines):
            if clause and _starts_line(clause[0], lines):
                return _line_text_before(lines, clause[0].lineno, clause[0].col_offset).decode("utf-8")
    return "    "  # libcst's fallback


def _block_indent(stmt: ast.stmt, lines: list[str]) -> str | None:
    """The absolute indent of a compound statement's last block (None when the last clause is a suite)."""
    if not isinstance(stmt, _COMPOUND):
        return None
    last = _clause_bodies(stmt, lines)[-1]
    if not last or not _starts_line(last[0], lines):
        return None
    return _line_text_before(lines, last[0].lineno, last[0].col_offset).decode("utf-8")


def _is_empty_line(text: str) -> bool:
    stripped = text.lstrip(" \t")
    if stripped.startswith("\\"):
        raise Unsupported("line continuation between statements")  # one libcst EmptyLine, two lines
    return not stripped or stripped.startswith("#")


def _spans(groups: list[list[ast.stmt]], lines: list[str]) -> list[tuple[int, int, int]]:
    """(first line of the unit's text, line of its first token, last line of its text) per unit."""
    starts: list[int] = []
    for group in groups:
        head = group[0]
        if isinstance(head, (*_DEFS, ast.ClassDef)) and head.decorator_list:
            line = head.decorator_list[0].lineno
            if not lines[line - 1].startswith("@"):
                raise Unsupported("decorator shape")
        else:
            if head.col_offset != 0:
                raise Unsupported("statement position")
            line = head.lineno
        starts.append(line)
    spans: list[tuple[int, int, int]] = []
    text_start = starts[0]
    if not all(_is_empty_line(lines[n]) for n in range(starts[0] - 1)):
        raise Unsupported("module header")
    for i, group in enumerate(groups):
        code_end = group[-1].end_lineno or group[-1].lineno
        after = starts[i + 1] - 1 if i + 1 < len(groups) else len(lines)  # last line before the next unit
        if after < code_end:
            raise Unsupported("overlapping statements")
        between = range(code_end, after)  # 0-based indices of the lines between
        if not all(_is_empty_line(lines[n]) for n in between):
            raise Unsupported("text between statements")
        end = code_end
        indent = _block_indent(group[-1], lines)
        if indent is not None:
            for n in between:  # the block footers own lines up to the last one indented as deep
                if lines[n].startswith(indent):
                    end = n + 1
        spans.append((text_start, starts[i], end))
        text_start = end + 1
    return spans


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
    """units._unit_kind (and the `side` rule of units._make_unit) on the unit's ast statements."""
    head = group[0]
    if isinstance(head, _DEFS):
        return "def"
    if isinstance(head, ast.ClassDef):
        return "class"
    kind = _kind_of(group, index, fact)
    if kind in {"assign", "compound"} and not fact.defines:
        return "side"
    return kind


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
    if isinstance(head, _COMPOUND):
        return "compound"
    if all(isinstance(s, ast.Import | ast.ImportFrom) for s in group):
        return "import"
    if index == 0 and len(group) == 1 and isinstance(head, ast.Expr):
        value = head.value
        if isinstance(value, ast.JoinedStr):
            raise Unsupported("f-string first statement")  # libcst: a docstring if it concatenates
        if isinstance(value, ast.Constant) and isinstance(value.value, str | bytes):
            return "docstring"
    if any(isinstance(s, ast.Import | ast.ImportFrom) for s in group):
        return "compound"
    if all(isinstance(s, ast.Assign | ast.AnnAssign | ast.AugAssign) for s in group):
        return "assign"
    return "side"


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


# -- classes -----------------------------------------------------------------------------------------


def _class_outline(node: ast.ClassDef, lines: list[str], start: int, first: int, index: int) -> ClassOutline:
    methods: dict[str, MethodOutline] = {}
    if _starts_line(node.body[0], lines):  # an indented block (libcst gives a suite no methods)
        for stmt in node.body:
            if isinstance(stmt, _DEFS):
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
    if not _starts_line(func.body[0], lines):  # a suite: libcst's checks see one non-line statement
        return MethodOutline(trivial=False, stub=False)
    groups = [g for g in _groups(func.body) if not _docstring_like(g)]
    trivial = True
    for group in groups:
        if isinstance(group[0], _COMPOUND):
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
        not isinstance(g[0], _COMPOUND) and all(_raises_not_implemented(s) for s in g) for g in groups
    )
    return MethodOutline(trivial=trivial, stub=stub)
