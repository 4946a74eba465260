"""Parsing untrusted code without letting it crash or hang the build.

libcst's native parser overflows its stack (a segfault that kills the process) on about 1,500 nested
brackets and spends minutes on a 20,000-term `1 + 1 + ...` chain; `ast`, `compile` and recursive visitors
raise RecursionError on a few thousand nested operators. So every parse of a row or repo file goes
through `parse_cst` / `parse_ast`: the C parser (`ast.parse`, which fails fast and safely) runs first,
and code nested deeper than `MAX_AST_DEPTH` (or, when it does not parse, bracketed deeper than
`MAX_BRACKET_DEPTH`) is refused with `TooDeep` before libcst sees it. Real scenes stay far below both
limits (their AST depth is 15-40).
"""

from __future__ import annotations

import ast
import re

import libcst as cst

MAX_AST_DEPTH = 200  # libcst and our visitors handle this depth with the default recursion limit
MAX_BRACKET_DEPTH = 100
_STRINGS_AND_COMMENTS = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'[^'\n]*'|\"[^\"\n]*\"|#[^\n]*", re.DOTALL)
_BRACKETS = re.compile(r"[()\[\]{}]")


class TooDeep(ValueError):
    """Code nested too deeply to analyse safely; `reason` is the exclusion reason."""

    reason = "unparsable:too-deep"


def ast_shape(tree: ast.AST) -> tuple[int, int]:
    """(depth, number of nodes) of an AST, computed without recursion."""
    deepest = count = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest, count


def ast_depth(tree: ast.AST) -> int:
    return ast_shape(tree)[0]


def bracket_depth(code: str) -> int:
    """Deepest bracket nesting outside strings and comments (a cheap bound for code that does not parse)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS_AND_COMMENTS.sub("", code)):
        depth = depth + 1 if match.group() in "([{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def parse_ast(code: str) -> ast.Module:
    """`ast.parse` that raises TooDeep (never RecursionError or MemoryError) for pathological nesting."""
    try:
        tree = ast.parse(code)
    except (RecursionError, MemoryError):
        raise TooDeep("nesting exceeds the Python parser's limits") from None
    except SyntaxError as exc:
        if "too many nested" in str(exc.msg):
            raise TooDeep(str(exc.msg)) from None
        raise
    depth = ast_depth(tree)
    if depth > MAX_AST_DEPTH:
        raise TooDeep(f"syntax tree {depth} levels deep (limit {MAX_AST_DEPTH})")
    return tree


def check_depth(code: str) -> None:
    """Raise TooDeep when `code` is too deep for libcst; code that does not parse is judged by brackets."""
    try:
        parse_ast(code)
    except (SyntaxError, ValueError) as exc:
        if isinstance(exc, TooDeep):
            raise
        depth = bracket_depth(code)
        if depth > MAX_BRACKET_DEPTH:
            raise TooDeep(f"brackets nested {depth} deep (limit {MAX_BRACKET_DEPTH})") from None


def parse_cst(code: str) -> cst.Module:
    """`libcst.parse_module` behind the depth check; raises TooDeep, or ParserSyntaxError as usual."""
    check_depth(code)
    try:
        return cst.parse_module(code)
    except (RecursionError, MemoryError):
        raise TooDeep("nesting exceeds libcst's limits") from None
