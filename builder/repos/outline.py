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
  libcst's ScopeVisitor visits the same constructs;
- kinds, import bindings, star imports: units.py's rules on the same statements.
A file whose shape leaves any doubt (a module default indent other than four spaces, which a one-statement
Module would re-indent; CR line ends; form feeds; no final newline; `except E :`, which libcst prints
without the space; match statements; string annotations that are not plain type expressions...) raises
`Unsupported`, and units.py parses it with libcst as before.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from builder.repos.scopes import (
    _BUILTIN,
    _CLASS,
    _COMPREHENSION,
    _FUNCTION,
    _GLOBAL,
    Unsupported,
    _contains,
    _resolve,
    _Scope,
    _simple_type_value,
)

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
    walker = _AstWalker(lines, "typing" in source)
    facts = walker.run(groups)
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


def _kind(group: list[ast.stmt], index: int, fact: _Facts) -> str:
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


def _kind_of(group: list[ast.stmt], index: int, fact: _Facts) -> str:
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


# -- module-level name facts -------------------------------------------------------------------------


@dataclass
class _Facts:
    refs: set[str] = field(default_factory=set)
    eager: set[str] = field(default_factory=set)
    defines: list[str] = field(default_factory=list)
    def_names: set[str] = field(default_factory=set)


_STORE = ast.Store


class _AstWalker:
    """scopes._Walker's rules over `ast` nodes (see that module for what each rule reproduces)."""

    def __init__(self, lines: list[str], typing: bool) -> None:
        self.lines = lines
        self.module = _Scope(_GLOBAL, None)
        self.scope = self.module
        self.attr_stack: list[ast.Attribute | None] = [None]
        self.annotation = 0
        self.hint_subscripts = 0
        self.typing = typing
        self.unit = -1
        self.top: ast.stmt | None = None
        self.owned = True
        self.dotted = False
        self.accesses: list[tuple[ast.Name | _Keyword, _Scope, int, ast.Attribute | None, int]] = []

    def run(self, groups: list[list[ast.stmt]]) -> list[_Facts]:
        try:
            for index, group in enumerate(groups):
                self.unit = index
                for stmt in group:
                    self.top, self.owned = stmt, True
                    self.stmt(stmt)
            return self.facts(len(groups))
        finally:
            self.accesses = []

    # -- bindings ----------------------------------------------------------------------------------
    def assign(self, name: str, node: object) -> None:
        target = self.scope
        while target.kind != _GLOBAL and name in target.overwrites:
            target = _visible_scope(target.overwrites[name])
        target.assignments.setdefault(name, []).append((target.count, node, self.unit if self.owned else -1))

    def advance(self) -> None:  # ScopeVisitor's counter, after an assignment-like node
        self.scope.count += 1

    # -- statements --------------------------------------------------------------------------------
    def body(self, stmts: list[ast.stmt]) -> None:
        for stmt in stmts:
            self.stmt(stmt)

    def stmt(self, node: ast.stmt) -> None:
        if isinstance(node, _DEFS):
            self.function(node)
        elif isinstance(node, ast.ClassDef):
            self.class_(node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self.expr(target)
            self.expr(node.value)
            self.advance()
        elif isinstance(node, ast.AugAssign):
            self.expr(node.target)
            self.expr(node.value)
            self.advance()
        elif isinstance(node, ast.AnnAssign):
            self.expr(node.target)
            self.annotated(node.annotation)
            if node.value is not None:
                self.expr(node.value)
            self.advance()
        elif isinstance(node, ast.Expr):
            self.expr(node.value)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                self.expr(node.value)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            self.import_(node)
            self.advance()
        elif isinstance(node, ast.If | ast.While):
            self.expr(node.test)
            self.body(node.body)
            self.body(node.orelse)
        elif isinstance(node, ast.For | ast.AsyncFor):
            self.expr(node.target)
            self.advance()
            self.expr(node.iter)
            self.body(node.body)
            self.body(node.orelse)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.expr(item.optional_vars)
                    self.advance()  # the AsName
                self.advance()  # the WithItem
            self.body(node.body)
        elif isinstance(node, ast.Try | ast.TryStar):
            self.body(node.body)
            for handler in node.handlers:
                if handler.type is not None:
                    self.expr(handler.type)
                    if handler.name is None:
                        self.check_except_colon(handler)
                if handler.name is not None:
                    self.assign(handler.name, handler)
                    self.advance()
                self.body(handler.body)
            self.body(node.orelse)
            self.body(node.finalbody)
        elif isinstance(node, ast.Raise):
            if node.exc is not None:
                self.expr(node.exc)
            if node.cause is not None:
                self.expr(node.cause)
        elif isinstance(node, ast.Assert):
            self.expr(node.test)
            if node.msg is not None:
                self.expr(node.msg)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                self.expr(target)
        elif isinstance(node, ast.Global):
            if self.scope.kind != _GLOBAL:
                for name in node.names:
                    self.scope.overwrites[name] = self.module
            self.advance()
        elif isinstance(node, ast.Nonlocal):
            if self.scope.kind == _GLOBAL:
                raise Unsupported("nonlocal at module level")
            for name in node.names:
                self.scope.overwrites[name] = self.scope.parent  # type: ignore[assignment]
            self.advance()
        elif isinstance(node, ast.Pass | ast.Break | ast.Continue):
            pass
        else:
            raise Unsupported(type(node).__name__)  # match statements, PEP 695 aliases

    def check_except_colon(self, handler: ast.ExceptHandler) -> None:
        """libcst drops the whitespace between `except E` and its colon: such a file keeps libcst."""
        node = handler.type
        assert node is not None
        line, col = node.end_lineno or node.lineno, node.end_col_offset or 0
        if not self.lines[line - 1].encode("utf-8")[col:].lstrip(b")").startswith(b":"):
            raise Unsupported("except clause spacing")

    def import_(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                return
            if alias.asname is not None:
                names = [alias.asname]
            else:
                parts = alias.name.split(".")
                names = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
            for name in names:
                if "." in name:
                    self.dotted = True
                self.assign(name, node)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if getattr(node, "type_params", None):
            raise Unsupported("type parameters")
        self.assign(node.name, node)
        outer, owned = self.scope, self.owned
        self.scope = _Scope(_FUNCTION, outer)
        self.parameters(node.args)
        if node is self.top:
            self.owned = False
        self.body(node.body)
        self.scope, self.owned = outer, owned
        for decorator in node.decorator_list:
            self.expr(decorator)
        if node.returns is not None:
            self.annotated(node.returns)
        self.advance()

    def parameters(self, args: ast.arguments) -> None:
        """libcst's Parameters order: posonly, params, *args, keyword-only, **kwargs; each name, then its
        default and annotation (read in the enclosing scope)."""
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(
            args.defaults
        )
        params: list[tuple[ast.arg, ast.expr | None]] = list(zip(positional, defaults, strict=True))
        if args.vararg is not None:
            params.append((args.vararg, None))
        params += list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
        if args.kwarg is not None:
            params.append((args.kwarg, None))
        for arg, default in params:
            self.assign(arg.arg, arg)
            inner = self.scope
            self.scope = inner.parent  # type: ignore[assignment]
            if default is not None:
                self.expr(default)
            if arg.annotation is not None:
                self.annotated(arg.annotation)
            self.scope = inner
        self.advance()  # the Parameters node

    def class_(self, node: ast.ClassDef) -> None:
        if getattr(node, "type_params", None):
            raise Unsupported("type parameters")
        self.assign(node.name, node)
        for decorator in node.decorator_list:
            self.expr(decorator)
        for base in node.bases:
            self.expr(base)
        for keyword in node.keywords:
            self.expr(keyword.value)
        outer, owned = self.scope, self.owned
        self.scope = _Scope(_CLASS, outer)
        if node is self.top:
            self.owned = False
        self.body(node.body)
        self.scope, self.owned = outer, owned
        self.advance()

    # -- expressions -------------------------------------------------------------------------------
    def annotated(self, node: ast.expr) -> None:
        self.annotation += 1
        self.expr(node)
        self.annotation -= 1

    def expr(self, node: ast.expr) -> None:  # noqa: C901 - one branch per node type, as in scopes.py
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, _STORE):
                self.assign(node.id, node)
            else:
                self.accesses.append((node, self.scope, self.scope.count, self.attr_stack[-1], self.unit))
        elif isinstance(node, ast.Attribute):
            stack = self.attr_stack
            if stack[-1] is None:
                stack[-1] = node
            self.expr(node.value)
            if stack[-1] is node:
                stack[-1] = None
        elif isinstance(node, ast.Call):
            self.call(node)
        elif isinstance(node, ast.Constant):
            if node.value is None or node.value is True or node.value is False:
                # `None`, `True`, `False` are Names in libcst, read from builtins like any other
                self.accesses.append(
                    (_Keyword(repr(node.value)), self.scope, self.scope.count, self.attr_stack[-1], self.unit)
                )
            elif (self.annotation or self.hint_subscripts) and isinstance(node.value, str | bytes):
                if not _simple_type_value(node.value):
                    raise Unsupported("string annotation")
        elif isinstance(node, ast.JoinedStr):
            if self.annotation or self.hint_subscripts:
                raise Unsupported("f-string in an annotation")
            for value in node.values:
                self.expr(value)
        elif isinstance(node, ast.FormattedValue):
            self.expr(node.value)
            if node.format_spec is not None:
                self.expr(node.format_spec)
        elif isinstance(node, ast.Subscript):
            hint = self.typing and isinstance(node.value, ast.Name)
            if hint:
                self.hint_subscripts += 1
            self.expr(node.value)
            self.expr(node.slice)
            if hint:
                self.hint_subscripts -= 1
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            for element in node.elts:
                self.expr(element)
        elif isinstance(node, ast.Starred):
            self.expr(node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if key is not None:
                    self.expr(key)
                self.expr(value)
        elif isinstance(node, ast.BinOp):
            self.expr(node.left)
            self.expr(node.right)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self.expr(value)
        elif isinstance(node, ast.UnaryOp):
            self.expr(node.operand)
        elif isinstance(node, ast.Compare):
            self.expr(node.left)
            for comparator in node.comparators:
                self.expr(comparator)
        elif isinstance(node, ast.IfExp):
            self.expr(node.body)
            self.expr(node.test)
            self.expr(node.orelse)
        elif isinstance(node, ast.Lambda):
            outer = self.scope
            self.scope = _Scope(_FUNCTION, outer)
            self.parameters(node.args)
            self.expr(node.body)
            self.scope = outer
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            self.comprehension(node)
        elif isinstance(node, ast.NamedExpr):
            self.expr(node.target)
            self.expr(node.value)
            self.advance()
        elif isinstance(node, ast.Await | ast.Yield | ast.YieldFrom):
            if node.value is not None:
                self.expr(node.value)
        elif isinstance(node, ast.Slice):
            for part in (node.lower, node.upper, node.step):
                if part is not None:
                    self.expr(part)
        else:
            raise Unsupported(type(node).__name__)

    def call(self, node: ast.Call) -> None:
        func = node.func
        last = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if self.typing and last in {"NewType", "TypeVar"}:
            raise Unsupported(last)
        self.attr_stack.append(None)
        cast = self.typing and last == "cast"
        if cast:
            self.hint_subscripts += 1
        self.expr(func)
        arguments: list[ast.expr] = [*node.args, *(k.value for k in node.keywords)]
        if node.args and node.keywords:  # libcst keeps one list of arguments in source order
            positions = {id(a): (a.lineno, a.col_offset) for a in node.args}
            positions.update({id(k.value): (k.lineno, k.col_offset) for k in node.keywords})
            arguments.sort(key=lambda a: positions[id(a)])
        for argument in arguments:
            self.expr(argument)
        if cast:
            self.hint_subscripts -= 1
        self.attr_stack.pop()

    def comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        first, *inner = node.generators
        self.expr(first.iter)
        outer = self.scope
        self.scope = _Scope(_COMPREHENSION, outer)
        self.expr(first.target)
        self.advance()
        for condition in first.ifs:
            self.expr(condition)
        for generator in inner:  # libcst's nested CompFor: target, iterator, conditions
            self.expr(generator.target)
            self.expr(generator.iter)
            for condition in generator.ifs:
                self.expr(condition)
        self.scope.count += len(inner)  # each inner CompFor, when libcst leaves it
        if isinstance(node, ast.DictComp):
            self.expr(node.key)
            self.expr(node.value)
        else:
            self.expr(node.elt)
        self.scope = outer

    # -- facts -------------------------------------------------------------------------------------
    def facts(self, n: int) -> list[_Facts]:
        facts = [_Facts() for _ in range(n)]
        for name, assignments in self.module.assignments.items():
            for _, node, owner in assignments:
                if owner < 0:
                    continue
                fact = facts[owner]
                if name not in fact.defines:
                    fact.defines.append(name)
                if isinstance(node, (*_DEFS, ast.ClassDef, ast.Name, ast.ExceptHandler)):
                    fact.def_names.add(name)  # libcst binds these by a Name node (def_nodes)
        for node, scope, index, enclosing, owner in self.accesses:
            name = node.id
            if enclosing is not None and self.dotted:
                for dotted, _ in _dotted_names(enclosing):
                    if _contains(scope, dotted):
                        name = dotted
                        break
            if _reads_local(scope, name, index):
                continue
            fact = facts[owner]
            fact.refs.add(node.id)
            if not scope.lazy:
                fact.eager.add(node.id)
        return facts


class _Keyword:
    """`None` / `True` / `False` standing in for the libcst Name a read of them is."""

    __slots__ = ("id",)

    def __init__(self, name: str) -> None:
        self.id = name


def _visible_scope(scope: _Scope) -> _Scope:
    while scope.kind == _CLASS:
        scope = scope.parent  # type: ignore[assignment]
    return scope


def _dotted_names(node: ast.expr) -> list[tuple[str, ast.expr]]:
    """scopes._dotted_names on `ast` (the root of a pure chain is the only Name read under it)."""
    if isinstance(node, ast.Name):
        return [(node.id, node)]
    if not isinstance(node, ast.Attribute):
        return []
    value = node.value
    if isinstance(value, ast.Call):
        value = value.func
        return _dotted_names(value) if isinstance(value, ast.Attribute | ast.Name) else []
    if isinstance(value, ast.Attribute | ast.Name):
        inner = _dotted_names(value)
        if not inner:
            return []
        return [(f"{inner[0][0]}.{node.attr}", node), *inner]
    return []


def _reads_local(scope: _Scope, name: str, index: int) -> bool:
    if scope.kind == _GLOBAL:
        return False
    found = _resolve(scope, name)
    if found is None or found is _BUILTIN or found.kind == _GLOBAL:  # type: ignore[union-attr]
        return False
    if found is not scope:
        return True
    if any(i < index for i, _, _ in scope.assignments[name]):
        return True
    found = _resolve(scope.parent, name)  # type: ignore[arg-type]
    return not (found is None or found is _BUILTIN or found.kind == _GLOBAL)  # type: ignore[union-attr]
