"""Where libcst cuts a module's top-level statements and which source lines each one owns, read from the
`ast` tree and the file's physical lines (the text and line rules outline.py lists).

Why: an outlined unit's text must be what `cst.Module(body=[statement]).code` prints, so that a scene's
program does not change with the parser that cut it. libcst joins simple statements on one logical line,
hands a statement the comment and blank lines above it, and hands a compound statement's indented-block
footer the lines after it up to the last one indented at least as deep as its last block; its module
default indent is the first indented block's. Lines whose ownership libcst would decide otherwise (a
backslash continuation between statements, text between statements, decorators not at the line start)
raise `Unsupported`.
"""

from __future__ import annotations

import ast

from builder.repos.scope_rules import Unsupported

__all__ = ["COMPOUND", "DEFS", "default_indent", "group_statements", "starts_line", "unit_spans"]

COMPOUND = (
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
DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def group_statements(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """Top-level statements as libcst groups them: simple statements on one logical line are one."""
    groups: list[list[ast.stmt]] = []
    for stmt in body:
        if (
            groups
            and not isinstance(stmt, COMPOUND)
            and not isinstance(groups[-1][-1], COMPOUND)
            and groups[-1][-1].end_lineno == stmt.lineno
        ):
            groups[-1].append(stmt)
        else:
            groups.append([stmt])
    return groups


def _line_text_before(lines: list[str], lineno: int, col: int) -> bytes:
    return lines[lineno - 1].encode("utf-8")[:col]


def starts_line(node: ast.stmt, lines: list[str]) -> bool:
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


def default_indent(body: list[ast.stmt], lines: list[str]) -> str:
    """libcst's default indent: the relative indent of the file's first indented block."""
    for stmt in body:
        if not isinstance(stmt, COMPOUND):
            continue
        for clause in _clause_bodies(stmt, lines):
            if clause and starts_line(clause[0], lines):
                return _line_text_before(lines, clause[0].lineno, clause[0].col_offset).decode("utf-8")
    return "    "  # libcst's fallback


def _block_indent(stmt: ast.stmt, lines: list[str]) -> str | None:
    """The absolute indent of a compound statement's last block (None when the last clause is a suite)."""
    if not isinstance(stmt, COMPOUND):
        return None
    last = _clause_bodies(stmt, lines)[-1]
    if not last or not starts_line(last[0], lines):
        return None
    return _line_text_before(lines, last[0].lineno, last[0].col_offset).decode("utf-8")


def _is_empty_line(text: str) -> bool:
    stripped = text.lstrip(" \t")
    if stripped.startswith("\\"):
        raise Unsupported("line continuation between statements")  # one libcst EmptyLine, two lines
    return not stripped or stripped.startswith("#")


def unit_spans(groups: list[list[ast.stmt]], lines: list[str]) -> list[tuple[int, int, int]]:
    """(first line of the unit's text, line of its first token, last line of its text) per unit."""
    starts: list[int] = []
    for group in groups:
        head = group[0]
        if isinstance(head, (*DEFS, ast.ClassDef)) and head.decorator_list:
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
