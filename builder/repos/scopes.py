"""Module-level name facts of each top-level statement, in one direct walk of the libcst tree.

Why: libcst's `ScopeProvider` (with the `ExpressionContextProvider` it needs) cost about 80% of repo
extraction: its generic visitor rebuilds every node of every module. `module_facts` answers the same
questions parse.py asks (which module-level names a statement binds, with their binding Name nodes,
and which module-level names it reads, eagerly or inside function bodies) by a hand-written walk that
follows ScopeProvider's rules, quirks included, so the answers are the same (the rules themselves,
shared with the walk over `ast` in ast_scopes.py, are written in scope_rules.py):

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
falls back to ScopeProvider for that module (scope_provider.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from builder.repos.scope_rules import (
    COMPREHENSION,
    ScopeWalk,
    Spelling,
    Unsupported,
    dotted_names,
    simple_type_value,
)

__all__ = ["Facts", "Unsupported", "module_facts"]

_LOAD, _STORE = 0, 1

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
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
_NAMELESS = (cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis, cst.Pass, cst.Break, cst.Continue)
_NAMELESS += (cst.FormattedStringText, cst.ParamStar, cst.ParamSlash)  # nodes that hold no names
# PEP 695 type parameters and aliases
_TYPE_PARAMETERS = (cst.TypeAlias, cst.TypeParameters, cst.TypeVar, cst.TypeVarTuple, cst.ParamSpec)
_SPELLING = Spelling(cst.Name, cst.Attribute, cst.Call, lambda n: n.value, lambda n: n.attr.value)


@dataclass
class Facts:
    """What one top-level statement binds and reads at module level (see units.Unit)."""

    refs: dict[str, list[cst.Name]] = field(default_factory=dict)
    eager: set[str] = field(default_factory=set)
    defines: list[str] = field(default_factory=list)
    def_nodes: dict[str, list[cst.Name]] = field(default_factory=dict)


def _simple_type_string(node: cst.SimpleString | cst.ConcatenatedString) -> bool:
    """A string whose parse as an annotation only reads names (no statement, scope or binding)."""
    try:
        value = node.evaluated_value
    except Exception:  # noqa: BLE001 - an odd literal: let ScopeProvider decide
        return False
    return simple_type_value(value)


class _Walker(ScopeWalk):
    spelling = _SPELLING

    def __init__(self, typing: bool) -> None:
        super().__init__(typing)
        self.handlers: dict[type, Callable[[Any, int], None]] = {
            cst.Name: self.name,
            cst.Attribute: self.attribute,
            cst.Call: self.call,
            cst.Arg: self.arg,
            cst.SimpleString: self.string,
            cst.ConcatenatedString: self.concatenated,
            cst.Import: self.import_,
            cst.ImportFrom: self.import_,
            cst.FunctionDef: self.function,
            cst.ClassDef: self.class_,
            cst.Lambda: self.lambda_,
            cst.Param: self.param,
            cst.Global: self.global_,
            cst.Nonlocal: self.nonlocal_,
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
            **dict.fromkeys(_COMPREHENSIONS, self.comprehension),
            **dict.fromkeys(_NAMELESS, _skip),
            **dict.fromkeys(_TYPE_PARAMETERS, _unsupported),
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

    # -- handlers --------------------------------------------------------------------------------
    def name(self, node: cst.Name, ctx: int) -> None:
        if ctx == _STORE:
            self.bind(node.value, node)
        else:
            self.read(node.value, node)

    def attribute(self, node: cst.Attribute, ctx: int) -> None:
        self.enter_attribute(node)
        self.visit(node.value)
        self.leave_attribute(node)

    def call(self, node: cst.Call, ctx: int) -> None:
        func = node.func
        name = func if isinstance(func, cst.Name) else func.attr if isinstance(func, cst.Attribute) else None
        cast = self.enter_call(name.value if name is not None else "")
        self.visit(func)
        self.visit_all(node.args)
        self.leave_call(cast)

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
        hint = self.hint(self.typing and isinstance(node.value, cst.Name))
        self.visit(node.value)
        for element in node.slice:
            self.visit(element.slice)
        self.unhint(hint)

    def import_(self, node: cst.Import | cst.ImportFrom, ctx: int) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            target = alias.asname.name if alias.asname is not None else alias.name
            for name, _ in dotted_names(target, _SPELLING):
                self.bind_import(name, node)

    def function(self, node: cst.FunctionDef, ctx: int) -> None:
        self.walk_def(node, node.name.value, node.params, node.body, node.decorators, node.returns)

    def lambda_(self, node: cst.Lambda, ctx: int) -> None:
        self.walk_lambda(node.params, node.body)

    def param(self, node: cst.Param, ctx: int) -> None:
        self.walk_parameter(node.name.value, node, node.default, node.annotation)

    def class_(self, node: cst.ClassDef, ctx: int) -> None:
        self.walk_class(node, node.name.value, (*node.decorators, *node.bases, *node.keywords), node.body)

    def global_(self, node: cst.Global, ctx: int) -> None:
        self.declare_global(item.name.value for item in node.names)

    def nonlocal_(self, node: cst.Nonlocal, ctx: int) -> None:
        self.declare_nonlocal(item.name.value for item in node.names)

    def comprehension(self, node: Any, ctx: int) -> None:
        for_in = node.for_in
        self.visit(for_in.iter)
        saved = self.enter(COMPREHENSION)
        self.visit(for_in.target, _STORE)
        self.scope.count += 1
        self.visit_all(for_in.ifs)
        if for_in.inner_for_in is not None:
            self.visit(for_in.inner_for_in)
        self.visit_all((node.key, node.value) if isinstance(node, cst.DictComp) else (node.elt,))
        self.leave(saved)

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
    def expr(self, node: cst.CSTNode) -> None:
        self.visit(node)

    # what ScopeWalk hands back (parameters, bodies, expressions, annotations) is visited as any node
    statement = parameters = body = annotated = expr

    def release(self) -> None:  # the handlers are bound methods
        self.handlers.clear()
        super().release()

    def facts(self, n: int) -> list[Facts]:
        facts = [Facts() for _ in range(n)]
        for fact, name, node in self.bindings(facts):
            if isinstance(node, cst.FunctionDef | cst.ClassDef):
                fact.def_nodes.setdefault(name, []).append(node.name)
            elif isinstance(node, cst.Name):
                fact.def_nodes.setdefault(name, []).append(node)
        for fact, _, node, part, lazy in self.reads(facts):
            target = node if part is None else part
            while isinstance(target, cst.Attribute):
                target = target.value
            if isinstance(target, cst.Name):
                fact.refs.setdefault(target.value, []).append(target)
                if not lazy:
                    fact.eager.add(target.value)
        return facts


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
    return _Walker("typing" in text).run([[stmt] for stmt in tree.body])
