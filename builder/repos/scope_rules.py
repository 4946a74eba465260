"""ScopeProvider's scope rules and the bookkeeping of a walk that applies them, shared by the two walks
that reproduce libcst's module-level name facts: scopes.py over libcst trees, ast_scopes.py over `ast`.

Why: both walks must give the answers ScopeProvider gives (scopes.py lists the rules and their quirks),
so the rules are written once: the scope model (module, function, class and comprehension scopes; class
scopes invisible to the scopes nested in them; `global` / `nonlocal` redirects), how a read resolves
(the longest bound dotted prefix of `a.b.c`; before the first assignment in its own scope, from the
parent), which string annotations only ScopeProvider can answer, and a walk's state: bindings at the
per-scope assignment counter, attribute chains, calls and subscripts that may be type hints, and the
facts of each top-level unit read off at the end. A walk supplies its own nodes' visiting order.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from builder import guard

GLOBAL, FUNCTION, CLASS, COMPREHENSION = 0, 1, 2, 3
BUILTIN = object()  # what a read of a builtin name resolves to

_SIMPLE_TYPE_NODES = (ast.Expression, ast.Name, ast.Attribute, ast.Subscript, ast.Tuple, ast.Constant)
_SIMPLE_TYPE_NODES += (ast.Load, ast.BinOp, ast.BitOr, ast.List)


class Unsupported(Exception):
    """A shape whose ScopeProvider facts this walk does not reproduce; use ScopeProvider."""


class Scope:
    __slots__ = ("kind", "parent", "assignments", "overwrites", "count", "lazy")

    def __init__(self, kind: int, parent: Scope | None) -> None:
        self.kind = kind
        self.parent = parent
        self.assignments: dict[str, list[tuple[int, Any, int]]] = {}  # (index, node, owner)
        self.overwrites: dict[str, Scope] = {}
        self.count = 0
        # inside a function body somewhere up the chain (a read there runs only when called)
        self.lazy = kind == FUNCTION or (parent is not None and parent.lazy)


def visible(scope: Scope) -> Scope:
    while scope.kind == CLASS:  # class scopes are hidden from the scopes nested in them
        scope = scope.parent  # type: ignore[assignment]
    return scope


def resolve(scope: Scope, name: str) -> object:
    """The scope whose assignments a read of `name` in `scope` refers to, `BUILTIN`, or None."""
    while True:
        if scope.kind == GLOBAL:
            if name in scope.assignments:
                return scope
            return BUILTIN if hasattr(builtins, name) else None
        redirect = scope.overwrites.get(name)
        if redirect is not None:
            scope = visible(redirect)
            continue
        if name in scope.assignments:
            return scope
        scope = visible(scope.parent)  # type: ignore[arg-type]


def contains(scope: Scope, name: str) -> bool:
    """`name in scope` as libcst answers it."""
    while True:
        if scope.kind == GLOBAL:
            return name in scope.assignments or hasattr(builtins, name)
        redirect = scope.overwrites.get(name)
        if redirect is not None:
            scope = redirect
            continue
        if name in scope.assignments:
            return True
        scope = visible(scope.parent)  # type: ignore[arg-type]


def reads_local(scope: Scope, name: str, index: int) -> bool:
    """Whether ScopeProvider gives this read a referent in a local (non-module) scope."""
    if scope.kind == GLOBAL:
        return False
    found = resolve(scope, name)
    if found is None or found is BUILTIN or found.kind == GLOBAL:  # type: ignore[union-attr]
        return False
    if found is not scope:
        return True
    if any(i < index for i, _, _ in scope.assignments[name]):
        return True
    # read before the first assignment in its own scope: libcst resolves it from the parent
    found = resolve(scope.parent, name)  # type: ignore[arg-type]
    return not (found is None or found is BUILTIN or found.kind == GLOBAL)  # type: ignore[union-attr]


def simple_type_value(value: object) -> bool:
    """A string whose parse as an annotation only reads names (no statement, scope or binding)."""
    if not value:
        return True  # ScopeProvider does not parse empty strings
    if not isinstance(value, str):
        return False
    try:
        tree = guard.parse(value.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return all(isinstance(n, _SIMPLE_TYPE_NODES) for n in ast.walk(tree))


@dataclass(frozen=True)
class Spelling:
    """How a tree spells a dotted name: its Name, Attribute and Call node types, the identifier of a
    Name and the attribute of an Attribute."""

    name: type
    attribute: type
    call: type
    identifier: Callable[[Any], str]
    attr: Callable[[Any], str]


def dotted_names(node: Any, spelling: Spelling) -> list[tuple[str, Any]]:
    """libcst's `_gen_dotted_names`: `a.b.c` -> [("a.b.c", a.b.c), ("a.b", a.b), ("a", a)]."""
    if isinstance(node, spelling.name):
        return [(spelling.identifier(node), node)]
    if not isinstance(node, spelling.attribute):
        return []
    value = node.value
    chain = (spelling.attribute, spelling.name)
    if isinstance(value, spelling.call):
        value = value.func
        return dotted_names(value, spelling) if isinstance(value, chain) else []
    if isinstance(value, chain):
        inner = dotted_names(value, spelling)
        if not inner:
            return []
        return [(f"{inner[0][0]}.{spelling.attr(node)}", node), *inner]
    return []


class ScopeWalk:
    """One walk over a module's top-level units: its state, the bookkeeping both walks do alike, and
    ScopeVisitor's order for the constructs that open a scope. A subclass visits its own nodes (a
    top-level `statement`; the `parameters`, `body`, expressions and annotations handed back to it), says
    how its tree spells dotted names (`spelling`) and reads its `facts` off `bindings` and `reads`."""

    spelling: Spelling
    statement: Callable[[Any], None]  # a top-level statement
    parameters: Callable[[Any], None]  # a def's or a lambda's
    body: Callable[[Any], None]  # a def's or a class's
    expr: Callable[[Any], None]
    annotated: Callable[[Any], None]  # an annotation
    facts: Callable[[int], list]  # of each unit, when the walk is over

    def __init__(self, typing: bool) -> None:
        self.module = Scope(GLOBAL, None)
        self.scope = self.module
        self.attr_stack: list[Any] = [None]  # the outermost attribute being read, per call level
        self.annotation = 0  # depth inside annotations
        self.hint_subscripts = 0  # depth inside `Name[...]` subscripts and casts (typing hints)
        self.typing = typing  # the module mentions typing: subscripts and casts may be type hints
        self.unit = -1  # index of the top-level unit being walked
        self.top: object = None  # the top-level statement being walked
        self.owned = True  # inside the statement's module-level parts (not a top-level def's body)
        self.dotted = False  # some import bound a dotted name (`import a.b`)
        # (name, node, scope, counter at the read, enclosing attribute, unit)
        self.accesses: list[tuple[str, Any, Scope, int, Any, int]] = []

    def run(self, units: list[list[Any]]) -> list:
        """Walk each unit's statements in order; the facts of each unit."""
        try:
            for index, statements in enumerate(units):
                self.unit = index
                for node in statements:
                    self.top, self.owned = node, True
                    self.statement(node)
            return self.facts(len(units))
        finally:  # free the walk now, not at the next cyclic collection
            self.release()

    def release(self) -> None:
        self.accesses.clear()

    # -- bindings and reads ----------------------------------------------------------------------
    def bind(self, name: str, node: object) -> None:
        target = self.scope
        while target.kind != GLOBAL and name in target.overwrites:
            target = visible(target.overwrites[name])
        target.assignments.setdefault(name, []).append((target.count, node, self.unit if self.owned else -1))

    def bind_import(self, name: str, node: object) -> None:
        if "." in name:
            self.dotted = True
        self.bind(name, node)

    def read(self, name: str, node: object) -> None:
        self.accesses.append((name, node, self.scope, self.scope.count, self.attr_stack[-1], self.unit))

    def declare_global(self, names: Iterable[str]) -> None:
        if self.scope.kind != GLOBAL:
            for name in names:
                self.scope.overwrites[name] = self.module

    def declare_nonlocal(self, names: Iterable[str]) -> None:
        if self.scope.kind == GLOBAL:
            raise Unsupported("nonlocal at module level")
        for name in names:
            self.scope.overwrites[name] = self.scope.parent  # type: ignore[assignment]

    # -- scopes, in ScopeVisitor's order ---------------------------------------------------------
    def walk_def(
        self, node: Any, name: str, params: Any, body: Any, decorators: Iterable, returns: Any
    ) -> None:
        """A def: its name bound; its parameters, then its body, in its own scope; then its decorators
        and return annotation, read in the enclosing scope."""
        self.bind(name, node)
        saved = self.enter(FUNCTION)
        self.parameters(params)
        self.disown(node)
        self.body(body)
        self.leave(saved)
        for decorator in decorators:
            self.expr(decorator)
        if returns is not None:
            self.annotated(returns)

    def walk_lambda(self, params: Any, body: Any) -> None:
        saved = self.enter(FUNCTION)
        self.parameters(params)
        self.expr(body)
        self.leave(saved)

    def walk_parameter(self, name: str, node: Any, default: Any, annotation: Any) -> None:
        """A parameter: its name bound in the def's scope, its default and annotation read outside it."""
        self.bind(name, node)
        inner = self.scope
        self.scope = inner.parent  # type: ignore[assignment]
        if default is not None:
            self.expr(default)
        if annotation is not None:
            self.annotated(annotation)
        self.scope = inner

    def walk_class(self, node: Any, name: str, reads: Iterable, body: Any) -> None:
        """A class: its name bound, its decorators, bases and keywords read, then its body in its own
        scope."""
        self.bind(name, node)
        for read in reads:
            self.expr(read)
        saved = self.enter(CLASS)
        self.disown(node)
        self.body(body)
        self.leave(saved)

    def enter(self, kind: int) -> tuple[Scope, bool]:
        """Open a scope of `kind` inside the current one; give what this returns to `leave`."""
        saved = self.scope, self.owned
        self.scope = Scope(kind, self.scope)
        return saved

    def disown(self, node: object) -> None:
        if node is self.top:
            self.owned = False  # the body of a top-level def or class is not module-level code

    def leave(self, saved: tuple[Scope, bool]) -> None:
        self.scope, self.owned = saved

    # -- attribute chains, calls, type hints -----------------------------------------------------
    def enter_attribute(self, node: object) -> None:
        if self.attr_stack[-1] is None:
            self.attr_stack[-1] = node

    def leave_attribute(self, node: object) -> None:
        if self.attr_stack[-1] is node:
            self.attr_stack[-1] = None

    def enter_call(self, last: str) -> bool:
        """Enter a call of a name whose last part is `last`; returns whether it is a `cast(...)`, whose
        arguments may be type hints (give it to `leave_call`)."""
        if self.typing and last in {"NewType", "TypeVar"}:
            raise Unsupported(last)
        self.attr_stack.append(None)
        return self.hint(self.typing and last == "cast")

    def leave_call(self, cast: bool) -> None:
        self.unhint(cast)
        self.attr_stack.pop()

    def hint(self, on: bool) -> bool:
        if on:
            self.hint_subscripts += 1
        return on

    def unhint(self, on: bool) -> None:
        if on:
            self.hint_subscripts -= 1

    # -- facts -----------------------------------------------------------------------------------
    def bindings(self, facts: list) -> Iterator[tuple[Any, str, Any]]:
        """(facts of the unit, name, binding node) of each module-level binding made by a unit's own
        code, with the name added to that unit's `defines`."""
        for name, assignments in self.module.assignments.items():
            for _, node, owner in assignments:
                if owner < 0:
                    continue
                fact = facts[owner]
                if name not in fact.defines:
                    fact.defines.append(name)
                yield fact, name, node

    def reads(self, facts: list) -> Iterator[tuple[Any, str, Any, Any, bool]]:
        """(facts of the unit, name, node, the node of the bound dotted prefix or None, lazy) of each read
        that ScopeProvider resolves at module level: a read of `a.b.c` resolves as its longest dotted
        prefix that is bound (`import a.b`); `lazy` when it runs only when a function is called."""
        for name, node, scope, index, enclosing, owner in self.accesses:
            read, part = name, None
            if enclosing is not None and self.dotted:
                for dotted, found in dotted_names(enclosing, self.spelling):
                    if contains(scope, dotted):
                        read, part = dotted, found
                        break
            if owner < 0 or reads_local(scope, read, index):
                continue
            yield facts[owner], name, node, part, scope.lazy
