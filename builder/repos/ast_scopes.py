"""Module-level name facts of each top-level unit of a module outlined from `ast` (see outline.py).

Why: an outlined module has no libcst tree to walk, yet its units need the facts scopes.py's walk
gives (which module-level names a unit binds, which it reads, eagerly or inside function bodies). So
the same rules (scope_rules.py) are walked over `ast` nodes, visited in the order libcst's ScopeVisitor
visits the same constructs (see scopes.py for what each rule reproduces), and give the same names; the
Name nodes that go with them are found in a unit's libcst node when a rename asks (lazy_units.py).
Shapes libcst prints or scopes differently (`except E :`, match statements, PEP 695 type parameters,
string annotations that are not plain type expressions) raise `Unsupported`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from builder.repos.scope_rules import COMPREHENSION, ScopeWalk, Spelling, Unsupported, simple_type_value

__all__ = ["UnitFacts", "unit_facts"]

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_STORE = ast.Store
_BOUND_BY_NAME = (*_DEFS, ast.ClassDef, ast.Name, ast.ExceptHandler)  # libcst binds these by a Name node
_SPELLING = Spelling(ast.Name, ast.Attribute, ast.Call, lambda n: n.id, lambda n: n.attr)


@dataclass
class UnitFacts:
    """What one unit binds and reads at module level, by name (see units.Unit)."""

    refs: set[str] = field(default_factory=set)
    eager: set[str] = field(default_factory=set)
    defines: list[str] = field(default_factory=list)
    def_names: set[str] = field(default_factory=set)


def unit_facts(groups: list[list[ast.stmt]], lines: list[str], typing: bool) -> list[UnitFacts]:
    """Facts of each unit (the statements of one libcst top-level statement) of a module whose physical
    lines are `lines`; `typing`: the module mentions typing. Raises Unsupported when in doubt."""
    return _AstWalker(lines, typing).run(groups)


class _AstWalker(ScopeWalk):
    """scopes._Walker's rules over `ast` nodes (see that module for what each rule reproduces)."""

    spelling = _SPELLING

    def __init__(self, lines: list[str], typing: bool) -> None:
        super().__init__(typing)
        self.lines = lines

    def advance(self) -> None:  # ScopeVisitor's counter, after an assignment-like node
        self.scope.count += 1

    # -- statements --------------------------------------------------------------------------------
    def body(self, stmts: list[ast.stmt]) -> None:
        for stmt in stmts:
            self.statement(stmt)

    def statement(self, node: ast.stmt) -> None:
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
                    self.bind(handler.name, handler)
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
        elif isinstance(node, ast.Global):
            self.declare_global(node.names)
            self.advance()
        elif isinstance(node, ast.Nonlocal):
            self.declare_nonlocal(node.names)
            self.advance()
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                self.expr(target)
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
                self.bind_import(name, node)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if getattr(node, "type_params", None):
            raise Unsupported("type parameters")
        self.walk_def(node, node.name, node.args, node.body, node.decorator_list, node.returns)
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
            self.walk_parameter(arg.arg, arg, default, arg.annotation)
        self.advance()  # the Parameters node

    def class_(self, node: ast.ClassDef) -> None:
        if getattr(node, "type_params", None):
            raise Unsupported("type parameters")
        reads = (*node.decorator_list, *node.bases, *(keyword.value for keyword in node.keywords))
        self.walk_class(node, node.name, reads, node.body)
        self.advance()

    # -- expressions -------------------------------------------------------------------------------
    def annotated(self, node: ast.expr) -> None:
        self.annotation += 1
        self.expr(node)
        self.annotation -= 1

    def expr(self, node: ast.expr) -> None:  # noqa: C901 - one branch per node type, as in scopes.py
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, _STORE):
                self.bind(node.id, node)
            else:
                self.read(node.id, node)
        elif isinstance(node, ast.Attribute):
            self.enter_attribute(node)
            self.expr(node.value)
            self.leave_attribute(node)
        elif isinstance(node, ast.Call):
            self.call(node)
        elif isinstance(node, ast.Constant):
            if node.value is None or node.value is True or node.value is False:
                self.read(repr(node.value), None)  # Names in libcst, read from builtins like any other
            elif (self.annotation or self.hint_subscripts) and isinstance(node.value, str | bytes):
                if not simple_type_value(node.value):
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
            hint = self.hint(self.typing and isinstance(node.value, ast.Name))
            self.expr(node.value)
            self.expr(node.slice)
            self.unhint(hint)
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
            self.walk_lambda(node.args, node.body)
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
        cast = self.enter_call(last)
        self.expr(func)
        arguments: list[ast.expr] = [*node.args, *(k.value for k in node.keywords)]
        if node.args and node.keywords:  # libcst keeps one list of arguments in source order
            positions = {id(a): (a.lineno, a.col_offset) for a in node.args}
            positions.update({id(k.value): (k.lineno, k.col_offset) for k in node.keywords})
            arguments.sort(key=lambda a: positions[id(a)])
        for argument in arguments:
            self.expr(argument)
        self.leave_call(cast)

    def comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        first, *inner = node.generators
        self.expr(first.iter)
        saved = self.enter(COMPREHENSION)
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
        for part in (node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,):
            self.expr(part)
        self.leave(saved)

    # -- facts -------------------------------------------------------------------------------------
    def facts(self, n: int) -> list[UnitFacts]:
        facts = [UnitFacts() for _ in range(n)]
        for fact, name, node in self.bindings(facts):
            if isinstance(node, _BOUND_BY_NAME):
                fact.def_names.add(name)
        for fact, name, _, _, lazy in self.reads(facts):
            fact.refs.add(name)
            if not lazy:
                fact.eager.add(name)
        return facts
