"""The small contract every code fix follows: a libcst transformer that counts what it changed."""

from __future__ import annotations

import libcst as cst

# Manim's direction constants (a positional argument built from them is a direction, not a mobject).
DIRECTIONS = frozenset({"UP", "DOWN", "LEFT", "RIGHT", "UL", "UR", "DL", "DR", "IN", "OUT"})


class Rewriter(cst.CSTTransformer):
    """A transformer that records each rewrite it makes, so the row's `fixes` list is exact.

    `hit()` with no label records the fix's own code; a label (e.g. "asset:icon") is recorded instead.
    `exclude()` marks the row unusable with a reason (the rewrite cannot be done mechanically).
    """

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []
        self.excluded: str | None = None

    def hit(self, label: str = "") -> None:
        self.labels.append(label)

    def exclude(self, reason: str) -> None:
        if self.excluded is None:
            self.excluded = reason


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` as a string for Name/Attribute chains, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted_name(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None


def call_name(call: cst.Call) -> str | None:
    """The last part of the called name: `Foo` for `Foo(...)` and `x.foo` -> `foo`."""
    func = call.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


def positional(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is None and not a.star]


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for a in call.args:
        if a.keyword is not None and a.keyword.value == name:
            return a
    return None


def kwarg(name: str, value: cst.BaseExpression) -> cst.Arg:
    """A keyword argument formatted as `name=value` (no spaces, like black)."""
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def with_args(call: cst.Call, args: list[cst.Arg]) -> cst.Call:
    """Replace a call's arguments, fixing the trailing commas so the result prints cleanly."""
    fixed = []
    for i, a in enumerate(args):
        last = i == len(args) - 1
        if last:
            a = a.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        elif a.comma is cst.MaybeSentinel.DEFAULT:
            a = a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        fixed.append(a)
    return call.with_changes(args=fixed)


def ensure_body(block: cst.IndentedBlock) -> cst.IndentedBlock:
    """A block left empty by removing statements gets a `pass` so the code still parses."""
    if block.body:
        return block
    return block.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
