"""Reusable libcst transformers that the fix catalogue parametrises: renames and call rewrites.

Why: most API upgrades are "this name became that name" or "this call became that call"; one tested
transformer per shape keeps every fix small while each fix keeps its own code and examples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import libcst as cst
from libcst.metadata import QualifiedNameProvider

from builder.fixes.base import Rewriter, dotted_name, ensure_body

MANIM_PACKAGES = frozenset({"manim", "manimlib"})


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


class OwnNamesRewriter(Rewriter):
    """A rewriter that leaves alone the names the program defines itself (`self.own`), e.g. a scene's
    own `get_grid` method."""

    def __init__(self) -> None:
        super().__init__()
        self.own: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        self.own = defined_names(node)


def renamed_keywords(call: cst.Call, mapping: Mapping[str, str]) -> cst.Call | None:
    """`call` with its keywords renamed by `mapping`, or None when it has none of them."""
    if not any(a.keyword is not None and a.keyword.value in mapping for a in call.args):
        return None
    args = [
        a.with_changes(keyword=cst.Name(mapping[a.keyword.value]))
        if a.keyword is not None and a.keyword.value in mapping
        else a
        for a in call.args
    ]
    return call.with_changes(args=args)


class RenameCallKeywords(Rewriter):
    """Keywords renamed (`MAP`) on calls of the plain names in `CALLS`."""

    CALLS: frozenset[str] = frozenset()
    MAP: dict[str, str] = {}

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not (isinstance(updated.func, cst.Name) and updated.func.value in self.CALLS):
            return updated
        renamed = renamed_keywords(updated, self.MAP)
        if renamed is None:
            return updated
        self.hit()
        return renamed


def _manim_qualified(qualified: str, name: str) -> bool:
    """`manim.Old` / `manimlib.Old` (or a submodule's `Old`): the name comes from Manim itself."""
    parts = qualified.split(".")
    return len(parts) > 1 and parts[0] in MANIM_PACKAGES and parts[-1] == name


class RenameNames(Rewriter):
    """Rename names simultaneously (so `Tex`->`MathTex`, `TexText`->`Tex` never chain).

    A name's origin comes from libcst's `QualifiedNameProvider` (`apply` runs it under a
    `MetadataWrapper`). Renamed: a bare name from a star import or unresolved, a name imported from
    `manim`/`manimlib` (the import too), and `mn.Old` where `mn` is the `manim` module. Kept: a name
    the module defines itself (anywhere), a local binding, or an import from another module.
    """

    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    def __init__(self, mapping: Mapping[str, str]) -> None:
        super().__init__()
        self.mapping = dict(mapping)
        self._skip: set[int] = set()
        self._imported: set[int] = set()  # `Old` in `from manim import Old`

    def visit_Module(self, node: cst.Module) -> None:
        for name in defined_names(node):
            self.mapping.pop(name, None)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = dotted_name(node.module) if node.module is not None and not node.relative else None
        from_manim = module is not None and module.split(".")[0] in MANIM_PACKAGES
        for alias in node.names:
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._skip.add(id(alias.asname.name))  # the local name is the program's own choice
            if isinstance(alias.name, cst.Name):
                (self._imported if from_manim else self._skip).add(id(alias.name))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))  # `x.ShowCreation` is an attribute, not the global name

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))  # `f(ShowCreation=...)` is a keyword, not a reference

    def _from_manim(self, node: cst.Name | cst.Attribute, name: str, *, bare: bool) -> bool:
        qualified = self.get_metadata(QualifiedNameProvider, node, set())
        if bare and not qualified:
            return True  # star-imported or unresolved: the Manim name (as before scope analysis)
        return any(_manim_qualified(q.name, name) for q in qualified)

    def target(self, original: cst.Name) -> str | None:
        """The replacement for this occurrence of a mapped name, or None when it stays."""
        new = self.mapping.get(original.value)
        if new is None or id(original) in self._skip:
            return None
        if id(original) not in self._imported and not self._from_manim(original, original.value, bare=True):
            return None
        return new

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        new = self.target(original)
        if new is None:
            return updated
        self.hit()
        return updated.with_changes(value=new)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        new = self.mapping.get(original.attr.value)
        if new is None or not self._from_manim(original, original.attr.value, bare=False):
            return updated
        self.hit()
        return updated.with_changes(attr=updated.attr.with_changes(value=new))


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
    """Rewrite calls of bare names with the function `table` gives for the name (None: keep the call)."""

    def __init__(self, table: Mapping[str, CallFn]) -> None:
        super().__init__()
        self.table = dict(table)

    def visit_Module(self, node: cst.Module) -> None:
        for name in defined_names(node):
            self.table.pop(name, None)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not isinstance(updated.func, cst.Name) or updated.func.value not in self.table:
            return updated
        new = self.table[updated.func.value](updated)
        if new is None:
            return updated
        self.hit()
        return new


class RewriteAnyCall(Rewriter):
    """Apply a call rewriter to every call (keyword upgrades that apply to many constructors)."""

    def __init__(self, fn: CallFn) -> None:
        super().__init__()
        self.fn = fn

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        new = self.fn(updated)
        if new is None:
            return updated
        self.hit()
        return new


class ReplaceDotted(Rewriter):
    """Replace dotted attribute chains by other expressions: `self.camera_frame` -> `self.camera.frame`."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        super().__init__()
        self.mapping = dict(mapping)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        new = self.mapping.get(dotted_name(updated) or "")
        if new is None:
            return updated
        self.hit()
        return cst.parse_expression(new)


def rename_names(mapping: Mapping[str, str]) -> Callable[[], Rewriter]:
    return lambda: RenameNames(mapping)


def rename_methods(mapping: Mapping[str, str], *, skip_self: bool = True) -> Callable[[], Rewriter]:
    return lambda: RenameMethods(mapping, skip_self=skip_self)


def rewrite_calls(names: set[str], fn: CallFn) -> Callable[[], Rewriter]:
    """Every call of one of `names` goes through `fn`."""
    return lambda: RewriteCalls(dict.fromkeys(names, fn))


def rewrite_call_table(table: Mapping[str, CallFn]) -> Callable[[], Rewriter]:
    """Calls of each name go through that name's function."""
    return lambda: RewriteCalls(table)


def rewrite_any_call(fn: CallFn) -> Callable[[], Rewriter]:
    return lambda: RewriteAnyCall(fn)


def replace_dotted(mapping: Mapping[str, str]) -> Callable[[], Rewriter]:
    return lambda: ReplaceDotted(mapping)
