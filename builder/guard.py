"""Parsing untrusted code without letting it crash or hang the build.

libcst's native parser overflows its stack (a segfault that kills the process) on about 1,500 nested
brackets or a 9,000-term `x and x and ...` chain, and spends minutes on a 20,000-term `1 + 1 + ...`
chain; `ast`, `compile` and recursive visitors raise RecursionError on a few thousand nested operators.
So every parse of a row or repo file goes through `parse_cst` / `parse_ast`: the C parser (`ast.parse`,
which fails fast and safely) runs first, and code nested deeper than `MAX_AST_DEPTH` as libcst would
nest it (a chain of `and`/`or` is flat in `ast` but one level per operand in libcst), or, when it does
not parse, bracketed deeper than `MAX_BRACKET_DEPTH`, is refused with `TooDeep` before libcst sees it.
libcst itself then parses on a thread with a large stack, so a shape this estimate misses ends in a
RecursionError (caught), not a segfault. Real scenes stay far below the limits (AST depth 15-40).

Every `ast.parse` in the package goes through `parse` (ruff bans the direct call): on CPython 3.11 up
to 3.11.8 the C-to-Python AST conversion keeps its recursion counter in state shared by all threads,
so two threads parsing at once (a garbage collection during one parse lets the other run) fail with
"SystemError: AST constructor recursion depth mismatch". One lock makes the parses take turns.
"""

from __future__ import annotations

import ast
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import libcst as cst

MAX_AST_DEPTH = 200  # libcst and our visitors handle this depth with the default recursion limit
MAX_BRACKET_DEPTH = 100
_STRINGS_AND_COMMENTS = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'[^'\n]*'|\"[^\"\n]*\"|#[^\n]*", re.DOTALL)
_BRACKETS = re.compile(r"[()\[\]{}]")


class TooDeep(ValueError):
    """Code nested too deeply to analyse safely; `reason` is the exclusion reason."""

    reason = "unparsable:too-deep"


def ast_shape(tree: ast.AST) -> tuple[int, int]:
    """(depth as libcst nests it, number of nodes) of an AST, computed without recursion (the children
    of `ast.iter_child_nodes`, read directly: this runs on every file a repo source parses)."""
    deepest = count = 0
    stack = [(tree, 1)]
    pop, push, node_type, bool_op = stack.pop, stack.append, ast.AST, ast.BoolOp
    while stack:
        node, depth = pop()
        count += 1
        if depth > deepest:
            deepest = depth
        below = depth + (len(node.values) if isinstance(node, bool_op) else 1)  # libcst nests `a and b`
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                push((value, below))
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type):
                        push((item, below))
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


_AST_LOCK = threading.RLock()  # re-entrant: a finaliser run by the GC mid-parse may parse too
os.register_at_fork(after_in_child=lambda: globals().update(_AST_LOCK=threading.RLock()))


def parse(code: str | bytes, mode: str = "exec", filename: str = "<unknown>") -> ast.AST:
    """`ast.parse`, one thread at a time (see the module docstring)."""
    with _AST_LOCK:
        return ast.parse(code, filename=filename, mode=mode)  # noqa: TID251 (the one allowed call)


def parse_ast(code: str) -> ast.Module:
    """`ast.parse` that raises TooDeep (never RecursionError or MemoryError) for pathological nesting."""
    try:
        tree = parse(code)
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


def check_depth(code: str) -> ast.Module | None:
    """Raise TooDeep when `code` is too deep for libcst; code that does not parse is judged by brackets.
    Returns the `ast` tree it parsed, None when `ast` rejects the code."""
    try:
        return parse_ast(code)
    except (SyntaxError, ValueError) as exc:
        if isinstance(exc, TooDeep):
            raise
        depth = bracket_depth(code)
        if depth > MAX_BRACKET_DEPTH:
            raise TooDeep(f"brackets nested {depth} deep (limit {MAX_BRACKET_DEPTH})") from None
    return None


_PARSER_STACK_BYTES = 512 * 1024**2  # reserved, not used: a deep parse fails in Python, not in C
_parser: tuple[int, ThreadPoolExecutor] | None = None


def _parser_thread() -> ThreadPoolExecutor:
    """One parsing thread per process (a forked worker makes its own), with a large stack."""
    global _parser
    if _parser is None or _parser[0] != os.getpid():
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="libcst-parse")
        before = threading.stack_size(_PARSER_STACK_BYTES)
        try:
            executor.submit(int).result()  # starts the thread now, with the large stack
        finally:
            threading.stack_size(before)
        _parser = (os.getpid(), executor)
    return _parser[1]


def parse_cst(code: str) -> cst.Module:
    """`libcst.parse_module` behind the depth check; raises TooDeep, or ParserSyntaxError as usual."""
    check_depth(code)
    try:
        return _parser_thread().submit(cst.parse_module, code).result()
    except (RecursionError, MemoryError):
        raise TooDeep("nesting exceeds libcst's limits") from None
