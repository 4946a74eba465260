"""Small syntax repairs: stray fences, prose and junk lines, mixed tabs, invalid escapes, a missing import.

Why: generated and copied code often carries a leftover ``` line, a sentence of prose, tabs mixed with
spaces, or LaTeX/Windows paths in non-raw strings. The line-level repairs run only on code that does
not parse and are kept only when the result parses; the string and import repairs are libcst
transformers that never change a string's value.
"""

from __future__ import annotations

import ast
import warnings

import libcst as cst

from builder import guard
from builder.fixes.base import Rewriter, dotted_name
from builder.fixes.types import Example, Fix, scene
from builder.scenes import CE_SCENE_BASES


def _parses(code: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes warn; SYN005 handles them
            guard.parse(code)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def drop_fence_lines(code: str) -> str | None:
    """Remove ``` lines left inside code (only when the code does not parse and the result does)."""
    if _parses(code):
        return None
    lines = code.splitlines()
    kept = [ln for ln in lines if not ln.strip().startswith("```")]
    if len(kept) == len(lines):
        return None
    out = "\n".join(kept) + "\n"
    return out if _parses(out) else None


def expand_tabs(code: str) -> str | None:
    """Mixed tabs and spaces in indentation -> spaces (tab = 8 as Python 2 read it, then 4), kept when the result parses."""
    if _parses(code) or "\t" not in code:
        return None
    for size in (8, 4):
        lines = []
        for ln in code.splitlines():
            body = ln.lstrip(" \t")
            lines.append(ln[: len(ln) - len(body)].expandtabs(size) + body)
        out = "\n".join(lines) + "\n"
        if _parses(out):
            return out
    return None


def _is_prose(line: str) -> bool:
    s = line.strip()
    return bool(s) and s[0].isalpha() and " " in s and not _parses(s)


def drop_prose_lines(code: str) -> str | None:
    """Leading prose lines ("Here is the scene:") before the code, removed while the code does not parse."""
    lines = code.splitlines()
    dropped = 0
    while lines and not _parses("\n".join(lines)) and (_is_prose(lines[0]) or not lines[0].strip()):
        if _is_prose(lines[0]):
            dropped += 1
        lines = lines[1:]
    out = "\n".join(lines) + "\n"
    return out if dropped and _parses(out) else None


def drop_trailing_junk(code: str) -> str | None:
    """Up to three trailing prose lines that break parsing (a closing remark) are removed."""
    if _parses(code):
        return None
    lines = code.rstrip().splitlines()
    for n in (1, 2, 3):
        if len(lines) <= n + 1 or not _is_remark(lines[-n]):
            break  # only prose goes; a cut-off line of code stays, so broken code is never truncated
        out = "\n".join(lines[:-n]) + "\n"
        if _parses(out):
            return out
    return None


def _is_remark(line: str) -> bool:
    """A flush-left line that is not Python on its own: a closing remark, not code."""
    stripped = line.strip()
    if not stripped:
        return True
    if line[0] in " \t" or stripped.startswith(("#", "@", "from ", "import ", "class ", "def ")):
        return False
    return not _parses(stripped)


class RawEscapes(Rewriter):
    """Non-raw strings whose only backslashes are invalid escapes (`"\\pi"`, `"C:\\d"`) get an `r` prefix.

    The string's value is identical (Python keeps an unknown escape's backslash); only the
    invalid-escape warning (an error in future Pythons) goes away. Strings with real escapes
    (`\\n`, `\\t`, `\\f`...) are left alone, since `r` would change them.
    """

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        prefix = updated.prefix.lower()
        if "\\" not in updated.value or "r" in prefix or "b" in prefix:
            return updated
        raw = updated.value[: len(updated.prefix)] + "r" + updated.value[len(updated.prefix) :]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                same = ast.literal_eval(updated.value) == ast.literal_eval(raw)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return updated
        if not same:
            return updated
        self.hit()
        return updated.with_changes(value=raw)


def _module_name(stmt: cst.Import | cst.ImportFrom) -> str:
    if isinstance(stmt, cst.ImportFrom):
        return (dotted_name(stmt.module) or "") if stmt.module is not None else ""
    return " ".join(dotted_name(a.name) or "" for a in stmt.names)


_SCENE_BASES = CE_SCENE_BASES


class MissingImport(Rewriter):
    """A program that subclasses a Manim scene but imports nothing from Manim gets `from manim import *`."""

    def visit_Module(self, node: cst.Module) -> bool:
        return False  # only top-level statements matter: skip the walk over the whole tree

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        modules = [
            _module_name(s)
            for n in updated.body
            if isinstance(n, cst.SimpleStatementLine)
            for s in n.body
            if isinstance(s, cst.Import | cst.ImportFrom)
        ]
        uses_scene = any(
            isinstance(n, cst.ClassDef)
            and any(isinstance(b.value, cst.Name) and b.value.value in _SCENE_BASES for b in n.bases)
            for n in updated.body
        )
        has_manim = any("manim" in m for m in modules)
        if not uses_scene or has_manim:
            return updated
        self.hit()
        first, *rest = updated.body
        gap = [cst.EmptyLine(), cst.EmptyLine()]
        first = first.with_changes(
            leading_lines=gap + [ln for ln in first.leading_lines if ln.comment is not None]
        )
        return updated.with_changes(body=[cst.parse_statement("from manim import *\n"), first, *rest])


_TAB_BEFORE = scene("s = Square()").rstrip("\n") + "\n\tself.add(s)\n"
_TAB_AFTER = scene("s = Square()\nself.add(s)")
_OK = scene("self.add(Circle())")

# SYN001-SYN004 run on the text before it is parsed; SYN005-SYN006 are the last touches.
FIXES: tuple[Fix, ...] = (
    Fix(
        "SYN001", "drop-stray-fence-lines",
        "A ``` line left inside the code (from a chat answer) is not Python; it is removed when the code does not parse without removing it.",
        "text",
        (Example("```python\n" + _OK + "```\n", _OK),),
        text=drop_fence_lines,
        triggers=("```",),
    ),
    Fix(
        "SYN002", "expand-mixed-tabs",
        "Indentation mixing tabs and spaces raises TabError; leading tabs become spaces (8 wide as Python 2 read them, else 4), kept only if the code then parses.",
        "text",
        (Example(_TAB_BEFORE, _TAB_AFTER),),
        text=expand_tabs,
        triggers=("\t",),
    ),
    Fix(
        "SYN003", "drop-leading-prose",
        "A sentence of prose before the code (\"Here is the animation:\") is removed while the code does not parse.",
        "text",
        (Example("Here is the scene you asked for:\n" + _OK, _OK),),
        text=drop_prose_lines,
    ),
    Fix(
        "SYN004", "drop-trailing-junk",
        "Up to three trailing prose lines that stop the code from parsing (a closing remark) are removed; code lines never are.",
        "text",
        (Example(_OK + "This renders a circle (run with manim -pql).\n", _OK),),
        text=drop_trailing_junk,
    ),
    Fix(
        "SYN005", "raw-strings-for-invalid-escapes",
        "LaTeX and Windows paths in non-raw strings (`\"\\pi\"`) rely on invalid escapes, which warn today and will fail in future Pythons. "
        "Such strings get an `r` prefix only when their value stays identical.",
        "final",
        (
            Example(
                scene('self.add(MathTex("\\pi r^2"))'),
                scene('self.add(MathTex(r"\\pi r^2"))'),
                before_fails=False,  # a warning, not an error, on Python 3.11
            ),
        ),
        transformer=RawEscapes,
        triggers=("\\",),
    ),
    Fix(
        "SYN006", "add-missing-manim-import",
        "A snippet that subclasses a Manim scene without importing Manim gets `from manim import *` (how every CE example starts).",
        "final",
        (Example(_OK.removeprefix("from manim import *\n\n\n"), _OK),),
        transformer=MissingImport,
        triggers=("Scene",),
        precheck=lambda code: "manim" not in code,  # only a program that never mentions manim at all
    ),
)  # fmt: skip
