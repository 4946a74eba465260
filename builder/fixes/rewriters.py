"""Reusable libcst transformers that the fix catalogue parametrises: renames and call rewrites.

Why: most API upgrades are "this name became that name" or "this call became that call"; one tested
transformer per shape keeps every fix small while each fix keeps its own code and examples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import libcst as cst

from builder.fixes.base import Rewriter, dotted_name, ensure_body


class _Defined(cst.CSTVisitor):
    """Names the module defines itself (a local `ShowCreation` class must not be renamed)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.names.add(node.name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.names.add(node.name.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name):
            self.names.add(node.target.value)


def defined_names(module: cst.Module) -> set[str]:
    seen = _Defined()
    module.visit(seen)
    return seen.names


class DropCalls(Rewriter):
    """Removes statements that only call one of `CALLS` (dotted names); an emptied block gets `pass`."""

    CALLS: frozenset[str] = frozenset()
    LABEL: str = ""  # recorded instead of the fix code when set (e.g. "asset:sound")

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        kept = [
            s
            for s in updated.body
            if not (
                isinstance(s, cst.Expr)
                and isinstance(s.value, cst.Call)
                and dotted_name(s.value.func) in self.CALLS
            )
        ]
        if len(kept) == len(updated.body):
            return updated
        self.hit(self.LABEL)
        return updated.with_changes(body=kept) if kept else cst.RemoveFromParent()

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return ensure_body(updated)


class RenameCallKeywords(Rewriter):
    """Keywords renamed (`MAP`) on calls of the plain names in `CALLS`."""

    CALLS: frozenset[str] = frozenset()
    MAP: dict[str, str] = {}

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not (isinstance(updated.func, cst.Name) and updated.func.value in self.CALLS):
            return updated
        if not any(a.keyword is not None and a.keyword.value in self.MAP for a in updated.args):
            return updated
        self.hit()
        args = [
            a.with_changes(keyword=cst.Name(self.MAP[a.keyword.value]))
            if a.keyword is not None and a.keyword.value in self.MAP
            else a
            for a in updated.args
        ]
        return updated.with_changes(args=args)


class RenameNames(Rewriter):
    """Rename bare names simultaneously (so `Tex`->`MathTex`, `TexText`->`Tex` never chain)."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        super().__init__()
        self.mapping = dict(mapping)
        self._skip: set[int] = set()

    def visit_Module(self, node: cst.Module) -> None:
        for name in defined_names(node):
            self.mapping.pop(name, None)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))  # `x.ShowCreation` is an attribute, not the global name

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))  # `f(ShowCreation=...)` is a keyword, not a reference

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        new = self.mapping.get(original.value)
        if new is None or id(original) in self._skip:
            return updated
        self.hit()
        return updated.with_changes(value=new)


class RenameMethods(Rewriter):
    """Rename `obj.method(...)` calls (not on `self` when `skip_self`), e.g. `get_graph` -> `plot`."""

    def __init__(self, mapping: Mapping[str, str], *, skip_self: bool = True) -> None:
        super().__init__()
        self.mapping = dict(mapping)
        self.skip_self = skip_self

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        func = updated.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in self.mapping:
            return updated
        if self.skip_self and isinstance(func.value, cst.Name) and func.value.value == "self":
            return updated
        self.hit()
        return updated.with_changes(func=func.with_changes(attr=cst.Name(self.mapping[func.attr.value])))


CallFn = Callable[[cst.Call], cst.BaseExpression | None]


class RewriteCalls(Rewriter):
    """Rewrite calls of the given bare names with `fn` (returns the new expression, or None to keep)."""

    def __init__(self, names: frozenset[str], fn: CallFn) -> None:
        super().__init__()
        self.names = set(names)
        self.fn = fn

    def visit_Module(self, node: cst.Module) -> None:
        self.names -= defined_names(node)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not isinstance(updated.func, cst.Name) or updated.func.value not in self.names:
            return updated
        new = self.fn(updated)
        if new is None:
            return updated
        self.hit()
        return new


def rename_names(mapping: Mapping[str, str]) -> Callable[[], Rewriter]:
    return lambda: RenameNames(mapping)


def rename_methods(mapping: Mapping[str, str], *, skip_self: bool = True) -> Callable[[], Rewriter]:
    return lambda: RenameMethods(mapping, skip_self=skip_self)


def rewrite_calls(names: set[str], fn: CallFn) -> Callable[[], Rewriter]:
    return lambda: RewriteCalls(frozenset(names), fn)
