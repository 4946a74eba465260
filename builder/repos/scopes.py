"""Module-level name facts of each top-level statement, in one direct walk of the libcst tree.

Why: libcst's `ScopeProvider` (with the `ExpressionContextProvider` it needs) cost about 80% of repo
extraction: its generic visitor rebuilds every node of every module. `module_facts` answers the same
questions units.py asks (which module-level names a statement binds, with their binding Name nodes,
and which module-level names it reads, eagerly or inside function bodies) by a hand-written walk that
follows ScopeProvider's rules, quirks included, so the answers are the same:

- scopes: module, function (def and lambda), class, comprehension; class scopes are invisible to the
  scopes nested in them; `global` / `nonlocal` redirect a name;
- a Name is a store in assignment, for, comprehension, `as` and walrus targets (not under an attribute or
  subscript), else a read; keyword names, attribute names, parameter names and import aliases are
  neither; match-pattern captures are reads (as in ScopeProvider);
- visiting order and the per-scope assignment counter follow ScopeVisitor (a def's name is bound before
  its body, its decorators read after it; a for target before its iterator; ...), because an access
  before the first assignment of its name in the same scope resolves in the parent scope;
- a read of `a.b.c` resolves as the longest dotted prefix that is bound (`import a.b`), as libcst does.

Rare shapes whose ScopeProvider answer depends on more than this (string annotations that are not plain
type expressions, `TypeVar`/`NewType` calls, PEP 695 type parameters) raise `Unsupported`, and the caller
falls back to ScopeProvider for that module.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from builder import guard

_LOAD, _STORE = 0, 1
_GLOBAL, _FUNCTION, _CLASS, _COMPREHENSION = 0, 1, 2, 3

# Nodes after which ScopeVisitor advances the assignment counter of the current scope.
_ASSIGNMENT_LIKE = frozenset(
    {
        cst.AnnAssign,
        cst.AsName,
        cst.Assign,
        cst.AugAssign,
        cst.ClassDef,
        cst.CompFor,
        cst.FunctionDef,
        cst.Global,
        cst.Import,
        cst.ImportFrom,
        cst.NamedExpr,
        cst.Nonlocal,
        cst.Parameters,
        cst.WithItem,
    }
)
_SIMPLE_TYPE_NODES = (ast.Expression, ast.Name, ast.Attribute, ast.Subscript, ast.Tuple, ast.Constant)
_SIMPLE_TYPE_NODES += (ast.Load, ast.BinOp, ast.BitOr, ast.List)


class Unsupported(Exception):
    """A shape whose ScopeProvider facts this walk does not reproduce; use ScopeProvider."""


@dataclass
class Facts:
    """What one top-level statement binds and reads at module level (see units.Unit)."""

    refs: dict[str, list[cst.Name]] = field(default_factory=dict)
    eager: set[str] = field(default_factory=set)
    defines: list[str] = field(default_factory=list)
    def_nodes: dict[str, list[cst.Name]] = field(default_factory=dict)


class _Scope:
    __slots__ = ("kind", "parent", "assignments", "overwrites", "count", "lazy")

    def __init__(self, kind: int, parent: _Scope | None) -> None:
        self.kind = kind
        self.parent = parent
        self.assignments: dict[str, list[tuple[int, cst.CSTNode, int]]] = {}  # (index, node, owner)
        self.overwrites: dict[str, _Scope] = {}
        self.count = 0
        # inside a function body somewhere up the chain (a read there runs only when called)
        self.lazy = kind == _FUNCTION or (parent is not None and parent.lazy)


def _visible(scope: _Scope) -> _Scope:
    while scope.kind == _CLASS:  # class scopes are hidden from the scopes nested in them
        scope = scope.parent  # type: ignore[assignment]
    return scope


_BUILTIN = object()


def _resolve(scope: _Scope, name: str) -> object:
    """The scope whose assignments a read of `name` in `scope` refers to, `_BUILTIN`, or None."""
    while True:
        if scope.kind == _GLOBAL:
            if name in scope.assignments:
                return scope
            return _BUILTIN if hasattr(builtins, name) else None
        redirect = scope.overwrites.get(name)
        if redirect is not None:
            scope = _visible(redirect)
            continue
        if name in scope.assignments:
            return scope
        scope = _visible(scope.parent)  # type: ignore[arg-type]


def _contains(scope: _Scope, name: str) -> bool:
    """`name in scope` as libcst answers it."""
    while True:
        if scope.kind == _GLOBAL:
            return name in scope.assignments or hasattr(builtins, name)
        redirect = scope.overwrites.get(name)
        if redirect is not None:
            scope = redirect
            continue
        if name in scope.assignments:
            return True
        scope = _visible(scope.parent)  # type: ignore[arg-type]


def _dotted_names(node: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]]:
    """libcst's `_gen_dotted_names`: `a.b.c` -> [("a.b.c", a.b.c), ("a.b", a.b), ("a", a)]."""
    if isinstance(node, cst.Name):
        return [(node.value, node)]
    if not isinstance(node, cst.Attribute):
        return []
    value = node.value
    if isinstance(value, cst.Call):
        value = value.func
        return _dotted_names(value) if isinstance(value, cst.Attribute | cst.Name) else []
    if isinstance(value, cst.Attribute | cst.Name):
        inner = _dotted_names(value)
        if not inner:
            return []
        return [(f"{inner[0][0]}.{node.attr.value}", node), *inner]
    return []


def _simple_type_string(node: cst.SimpleString | cst.ConcatenatedString) -> bool:
    """A string whose parse as an annotation only reads names (no statement, scope or binding)."""
    try:
        value = node.evaluated_value
    except Exception:  # noqa: BLE001 - an odd literal: let ScopeProvider decide
        return False
    return _simple_type_value(value)


def _simple_type_value(value: object) -> bool:
    if not value:
        return True  # ScopeProvider does not parse empty strings
    if not isinstance(value, str):
        return False
    try:
        tree = guard.parse(value.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return all(isinstance(n, _SIMPLE_TYPE_NODES) for n in ast.walk(tree))


class _Walker:
    def __init__(self, typing: bool) -> None:
        self.module = _Scope(_GLOBAL, None)
        self.scope = self.module
        self.attr_stack: list[cst.Attribute | None] = [None]
        self.annotation = 0  # depth inside `cst.Annotation` nodes
        self.hint_subscripts = (
            0  # depth inside `Name[...]` subscripts (typing hints when "typing" is in play)
        )
        self.typing = typing  # the module mentions typing: subscripts and casts may be type hints
        self.stmt = -1  # index of the top-level statement being walked
        self.stmt_node: cst.CSTNode | None = None
        self.owned = True  # inside the statement's module-level parts (not a top-level def's body)
        self.dotted = False  # some import bound a dotted name (`import a.b`)
        # (Name, scope, counter at the read, enclosing attribute, statement)
        self.accesses: list[tuple[cst.Name, _Scope, int, cst.Attribute | None, int]] = []
        self.handlers: dict[type, Callable[[Any, int], None]] = {
            cst.Name: self.name,
            cst.Attribute: self.attribute,
            cst.Call: self.call,
            cst.Arg: self.arg,
            cst.SimpleString: self.string,
            cst.ConcatenatedString: self.concatenated,
            cst.Integer: _skip,
            cst.Float: _skip,
            cst.Imaginary: _skip,
            cst.Ellipsis: _skip,
            cst.Pass: _skip,
            cst.Break: _skip,
            cst.Continue: _skip,
            cst.FormattedStringText: _skip,
            cst.ParamStar: _skip,
            cst.ParamSlash: _skip,
            cst.Import: self.import_,
            cst.ImportFrom: self.import_,
            cst.FunctionDef: self.function,
            cst.ClassDef: self.class_,
            cst.Lambda: self.lambda_,
            cst.Param: self.param,
            cst.Global: self.global_,
            cst.Nonlocal: self.nonlocal_,
            cst.ListComp: self.comprehension,
            cst.SetComp: self.comprehension,
            cst.GeneratorExp: self.comprehension,
            cst.DictComp: self.comprehension,
            cst.For: self.for_,
            cst.Annotation: self.annotation_,
            cst.Subscript: self.subscript,
            cst.Assign: self.assign,
            cst.AugAssign: self.store_target,
            cst.AnnAssign: self.ann_assign,
            cst.NamedExpr: self.store_target,
            cst.AsName: self.as_name,
            cst.CompFor: self.comp_for,
            cst.Del: self.del_,
            cst.Tuple: self.elements,
            cst.List: self.elements,
            cst.Element: self.element,
            cst.StarredElement: self.element,
            cst.TypeAlias: _unsupported,
            cst.TypeParameters: _unsupported,
            cst.TypeVar: _unsupported,
            cst.TypeVarTuple: _unsupported,
            cst.ParamSpec: _unsupported,
        }
        for kind, fields in _FIELDS.items():
            self.handlers.setdefault(kind, self._fields_handler(fields))

    # -- traversal -------------------------------------------------------------------------------
    def visit(self, node: cst.CSTNode, ctx: int = _LOAD) -> None:
        kind = type(node)
        handler = self.handlers.get(kind)
        if handler is None:
            for child in node.children:  # rare node types (match statements...): libcst's own order
                self.visit(child, ctx)
        else:
            handler(node, ctx)
        if kind in _ASSIGNMENT_LIKE:
            self.scope.count += 1

    def visit_all(self, nodes, ctx: int = _LOAD) -> None:  # noqa: ANN001
        for node in nodes:
            self.visit(node, ctx)

    def _fields_handler(self, fields: tuple[str, ...]) -> Callable[[Any, int], None]:
        visit = self.visit

        def handler(node: cst.CSTNode, ctx: int) -> None:
            for name in fields:
                value = getattr(node, name)
                if value is None:
                    continue
                if isinstance(value, cst.CSTNode):
                    visit(value, _LOAD)
                elif isinstance(value, list | tuple):
                    for item in value:
                        visit(item, _LOAD)

        return handler

    # -- bindings --------------------------------------------------------------------------------
    def assign_name(self, name: str, node: cst.CSTNode) -> None:
        target = self.scope
        while target.kind != _GLOBAL and name in target.overwrites:
            target = _visible(target.overwrites[name])
        target.assignments.setdefault(name, []).append((target.count, node, self.stmt if self.owned else -1))

    # -- handlers --------------------------------------------------------------------------------
    def name(self, node: cst.Name, ctx: int) -> None:
        if ctx == _STORE:
            self.assign_name(node.value, node)
        else:
            self.accesses.append((node, self.scope, self.scope.count, self.attr_stack[-1], self.stmt))

    def attribute(self, node: cst.Attribute, ctx: int) -> None:
        stack = self.attr_stack
        if stack[-1] is None:
            stack[-1] = node
        self.visit(node.value)
        if stack[-1] is node:
            stack[-1] = None

    def call(self, node: cst.Call, ctx: int) -> None:
        func = node.func
        last = (
            func.value
            if isinstance(func, cst.Name)
            else func.attr.value
            if isinstance(func, cst.Attribute)
            else ""
        )
        if self.typing and last in {"NewType", "TypeVar"}:
            raise Unsupported(last)
        self.attr_stack.append(None)
        cast = self.typing and last == "cast"
        if cast:
            self.hint_subscripts += 1
        self.visit(func)
        for arg in node.args:
            self.visit(arg)
        if cast:
            self.hint_subscripts -= 1
        self.attr_stack.pop()

    def arg(self, node: cst.Arg, ctx: int) -> None:
        self.visit(node.value)  # the keyword is neither a read nor a binding

    def string(self, node: cst.SimpleString, ctx: int) -> None:
        if (self.annotation or self.hint_subscripts) and not _simple_type_string(node):
            raise Unsupported("string annotation")

    def concatenated(self, node: cst.ConcatenatedString, ctx: int) -> None:
        if self.annotation or self.hint_subscripts:
            try:
                value = node.evaluated_value
            except Exception:  # noqa: BLE001
                raise Unsupported("string annotation") from None
            if value:  # parsed as an annotation, its parts not visited
                if not _simple_type_string(node):
                    raise Unsupported("string annotation")
                return
        self.visit(node.left)
        self.visit(node.right)

    def annotation_(self, node: cst.Annotation, ctx: int) -> None:
        self.annotation += 1
        self.visit(node.annotation)
        self.annotation -= 1

    def subscript(self, node: cst.Subscript, ctx: int) -> None:
        hint = self.typing and isinstance(node.value, cst.Name)
        if hint:
            self.hint_subscripts += 1
        self.visit(node.value)
        for element in node.slice:
            self.visit(element.slice)
        if hint:
            self.hint_subscripts -= 1

    def import_(self, node: cst.Import | cst.ImportFrom, ctx: int) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            target = alias.asname.name if alias.asname is not None else alias.name
            for name, _ in _dotted_names(target):  # type: ignore[arg-type]
                if "." in name:
                    self.dotted = True
                self.assign_name(name, node)

    def function(self, node: cst.FunctionDef, ctx: int) -> None:
        self.assign_name(node.name.value, node)
        outer, owned = self.scope, self.owned
        self.scope = _Scope(_FUNCTION, outer)
        self.visit(node.params)
        if self.stmt_node is node:
            self.owned = False  # the body of a top-level def is not module-level code
        self.visit(node.body)
        self.scope, self.owned = outer, owned
        self.visit_all(node.decorators)
        if node.returns is not None:
            self.visit(node.returns)

    def lambda_(self, node: cst.Lambda, ctx: int) -> None:
        outer = self.scope
        self.scope = _Scope(_FUNCTION, outer)
        self.visit(node.params)
        self.visit(node.body)
        self.scope = outer

    def param(self, node: cst.Param, ctx: int) -> None:
        self.assign_name(node.name.value, node)
        inner = self.scope
        self.scope = inner.parent  # type: ignore[assignment]
        if node.default is not None:
            self.visit(node.default)
        if node.annotation is not None:
            self.visit(node.annotation)
        self.scope = inner

    def class_(self, node: cst.ClassDef, ctx: int) -> None:
        self.assign_name(node.name.value, node)
        self.visit_all(node.decorators)
        self.visit_all(node.bases)
        self.visit_all(node.keywords)
        outer, owned = self.scope, self.owned
        self.scope = _Scope(_CLASS, outer)
        if self.stmt_node is node:
            self.owned = False
        body = node.body.body
        self.visit_all(body)
        self.scope, self.owned = outer, owned

    def global_(self, node: cst.Global, ctx: int) -> None:
        if self.scope.kind != _GLOBAL:
            for item in node.names:
                self.scope.overwrites[item.name.value] = self.module

    def nonlocal_(self, node: cst.Nonlocal, ctx: int) -> None:
        if self.scope.kind == _GLOBAL:
            raise Unsupported("nonlocal at module level")
        for item in node.names:
            self.scope.overwrites[item.name.value] = self.scope.parent  # type: ignore[assignment]

    def comprehension(self, node: Any, ctx: int) -> None:
        for_in = node.for_in
        self.visit(for_in.iter)
        outer = self.scope
        self.scope = _Scope(_COMPREHENSION, outer)
        self.visit(for_in.target, _STORE)
        self.scope.count += 1
        self.visit_all(for_in.ifs)
        if for_in.inner_for_in is not None:
            self.visit(for_in.inner_for_in)
        if isinstance(node, cst.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self.scope = outer

    def comp_for(self, node: cst.CompFor, ctx: int) -> None:  # an inner `for` of a comprehension
        self.visit(node.target, _STORE)
        self.visit(node.iter)
        self.visit_all(node.ifs)
        if node.inner_for_in is not None:
            self.visit(node.inner_for_in)

    def for_(self, node: cst.For, ctx: int) -> None:
        self.visit(node.target, _STORE)
        self.scope.count += 1
        self.visit(node.iter)
        self.visit(node.body)
        if node.orelse is not None:
            self.visit(node.orelse)

    def assign(self, node: cst.Assign, ctx: int) -> None:
        for target in node.targets:
            self.visit(target.target, _STORE)
        self.visit(node.value)

    def store_target(self, node: cst.AugAssign | cst.NamedExpr, ctx: int) -> None:
        self.visit(node.target, _STORE)
        self.visit(node.value)

    def ann_assign(self, node: cst.AnnAssign, ctx: int) -> None:
        self.visit(node.target, _STORE)
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)

    def as_name(self, node: cst.AsName, ctx: int) -> None:
        self.visit(node.name, _STORE)

    def del_(self, node: cst.Del, ctx: int) -> None:
        self.visit(node.target)  # a delete reads, as far as scopes go

    def elements(self, node: cst.Tuple | cst.List, ctx: int) -> None:
        for element in node.elements:
            self.visit(element, ctx)

    def element(self, node: cst.Element | cst.StarredElement, ctx: int) -> None:
        self.visit(node.value, ctx)

    # -- module ------------------------------------------------------------------------------------
    def run(self, tree: cst.Module) -> list[Facts]:
        try:
            for index, stmt in enumerate(tree.body):
                self.stmt, self.stmt_node, self.owned = index, stmt, True
                self.visit(stmt)
            return self.facts(len(tree.body))
        finally:  # the handlers are bound methods: free the walk now, not at the next cyclic collection
            self.handlers.clear()
            self.accesses.clear()

    def facts(self, n: int) -> list[Facts]:
        facts = [Facts() for _ in range(n)]
        for name, assignments in self.module.assignments.items():
            for _, node, owner in assignments:
                if owner < 0:
                    continue
                fact = facts[owner]
                if name not in fact.defines:
                    fact.defines.append(name)
                if isinstance(node, cst.FunctionDef | cst.ClassDef):
                    fact.def_nodes.setdefault(name, []).append(node.name)
                elif isinstance(node, cst.Name):
                    fact.def_nodes.setdefault(name, []).append(node)
        for node, scope, index, enclosing, owner in self.accesses:
            name = node.value
            target: cst.BaseExpression = node
            if enclosing is not None and self.dotted:
                for dotted, part in _dotted_names(enclosing):
                    if _contains(scope, dotted):
                        target, name = part, dotted
                        break
            while isinstance(target, cst.Attribute):
                target = target.value
            if not isinstance(target, cst.Name) or owner < 0 or self._reads_local(scope, name, index):
                continue
            fact = facts[owner]
            fact.refs.setdefault(target.value, []).append(target)
            if not scope.lazy:
                fact.eager.add(target.value)
        return facts

    @staticmethod
    def _reads_local(scope: _Scope, name: str, index: int) -> bool:
        """Whether ScopeProvider gives this read a referent in a local (non-module) scope."""
        if scope.kind == _GLOBAL:
            return False
        found = _resolve(scope, name)
        if found is None or found is _BUILTIN or found.kind == _GLOBAL:  # type: ignore[union-attr]
            return False
        if found is not scope:
            return True
        if any(i < index for i, _, _ in scope.assignments[name]):
            return True
        # read before the first assignment in its own scope: libcst resolves it from the parent
        found = _resolve(scope.parent, name)  # type: ignore[arg-type]
        return not (found is None or found is _BUILTIN or found.kind == _GLOBAL)  # type: ignore[union-attr]


def _skip(node: cst.CSTNode, ctx: int) -> None:
    return None


def _unsupported(node: cst.CSTNode, ctx: int) -> None:
    raise Unsupported(type(node).__name__)


# Children that can hold names, in the order ScopeVisitor visits them, for nodes it visits generically.
_FIELDS: dict[type, tuple[str, ...]] = {
    cst.Module: ("body",),
    cst.SimpleStatementLine: ("body",),
    cst.SimpleStatementSuite: ("body",),
    cst.IndentedBlock: ("body",),
    cst.Expr: ("value",),
    cst.Return: ("value",),
    cst.Raise: ("exc", "cause"),
    cst.From: ("item",),
    cst.Assert: ("test", "msg"),
    cst.If: ("test", "body", "orelse"),
    cst.Else: ("body",),
    cst.While: ("test", "body", "orelse"),
    cst.With: ("items", "body"),
    cst.WithItem: ("item", "asname"),
    cst.Try: ("body", "handlers", "orelse", "finalbody"),
    cst.TryStar: ("body", "handlers", "orelse", "finalbody"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
    cst.Finally: ("body",),
    cst.Decorator: ("decorator",),
    cst.Parameters: ("posonly_params", "posonly_ind", "params", "star_arg", "kwonly_params", "star_kwarg"),
    cst.BinaryOperation: ("left", "right"),
    cst.BooleanOperation: ("left", "right"),
    cst.UnaryOperation: ("expression",),
    cst.Comparison: ("left", "comparisons"),
    cst.ComparisonTarget: ("comparator",),
    cst.IfExp: ("body", "test", "orelse"),
    cst.Await: ("expression",),
    cst.Yield: ("value",),
    cst.Set: ("elements",),
    cst.Dict: ("elements",),
    cst.DictElement: ("key", "value"),
    cst.StarredDictElement: ("value",),
    cst.SubscriptElement: ("slice",),
    cst.Index: ("value",),
    cst.Slice: ("lower", "upper", "step"),
    cst.CompIf: ("test",),
    cst.FormattedString: ("parts",),
    cst.FormattedStringExpression: ("expression", "format_spec"),
}


def module_facts(tree: cst.Module, source: str | None = None) -> list[Facts]:
    """Facts of every top-level statement of `tree` (whose text is `source`, when the caller has it);
    raises Unsupported for shapes left to ScopeProvider."""
    text = tree.code if source is None else source
    # A name has a `typing.*` qualified name only if the module imports from typing (or names a scope
    # `typing`): only then can a subscript or a `cast(...)` be a type hint whose strings libcst parses.
    return _Walker("typing" in text).run(tree)
