"""Markdown fences: find the code in an answer however it was wrapped, and wrap it exactly once on export.

Real answers arrive fenced as ```python, ```py, ```python3, bare ``` or ~~~, with prose around them,
double-wrapped, unterminated, split over several blocks, with CRLF line ends or with a literal
backslash-n in front. Fences are found with CommonMark's opening and closing rules. Repairs beyond
removing one fence are recorded as EXT codes (builder/fixes/fence_codes.py); `disabled` turns them off.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from builder import guard
from builder.fixes.fence_codes import (
    CODES,
    DEDENTED,
    DOUBLE_FENCE,
    ESCAPED_NEWLINES,
    JOINED_BLOCKS,
    LITERAL_NEWLINE,
    TRIMMED_PROSE,
    UNTERMINATED_FENCE,
)
from builder.fixes.types import code_disabled
from builder.schema import fence as wrap

__all__ = [
    "DEDENTED",
    "DOUBLE_FENCE",
    "ESCAPED_NEWLINES",
    "JOINED_BLOCKS",
    "LITERAL_NEWLINE",
    "TRIMMED_PROSE",
    "UNTERMINATED_FENCE",
    "Extracted",
    "canonical_text",
    "extract_code",
    "strip_fences",
    "trim_prose",
    "wrap",
]

PYTHON_LANGS = {"", "python", "py", "python3", "py3", "ipython", "python-repl", "manim", "pycon"}
MARKERS = ("```", "~~~")


@dataclass(frozen=True, slots=True)
class Extracted:
    """The code found in a text (None when there is none), the repairs made, and why it failed."""

    code: str | None
    fixes: tuple[str, ...] = ()
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class _Block:
    lang: str
    content: str
    closed: bool


def canonical_text(text: str) -> str:
    """LF line ends, no BOM, no blank lines at the edges, no trailing whitespace on any line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].lstrip("\ufeff").strip():
        lines.pop(0)
    if lines:
        lines[0] = lines[0].lstrip("\ufeff")
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() for line in lines)


_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>`{3,}|~{3,})(?P<info>.*)$")


def _blocks(text: str) -> list[_Block]:
    """Fenced blocks by the CommonMark rules that matter here: a fence opens with 3+ backticks or
    tildes (backtick info strings hold no backtick), closes with 3+ of the same character at least as
    long with nothing after, and an unclosed fence runs to the end. The opener's indentation is removed
    from the content lines (fences inside list items)."""
    blocks: list[_Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _OPEN.match(lines[i])
        if not m or (m["marker"][0] == "`" and "`" in m["info"]):
            i += 1
            continue
        marker, indent = m["marker"], len(m["indent"].expandtabs(4))
        body: list[str] = []
        closed = False
        i += 1
        while i < len(lines):
            stripped = lines[i].strip()
            if stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker):
                closed = True
                i += 1
                break
            line = lines[i]
            lead = len(line) - len(line.lstrip(" "))
            body.append(line[min(lead, indent) :])
            i += 1
        info = m["info"].strip().split()
        lang = info[0].lower().lstrip("{.").rstrip("}") if info else ""
        blocks.append(_Block(lang=lang, content="\n".join(body), closed=closed))
    return blocks


def _defines_scene(code: str) -> bool:
    try:
        tree = guard.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return any(isinstance(node, ast.ClassDef) for node in tree.body)


def _parses(code: str) -> bool:
    try:
        guard.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _imports_manim(code: str) -> bool:
    try:
        tree = guard.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in {"manim", "manimlib"}:
            return True
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] in {"manim", "manimlib"} for a in node.names
        ):
            return True
    return False


def _choose(blocks: list[_Block], off: frozenset[str] = frozenset()) -> tuple[str, tuple[str, ...]] | None:
    """Pick the block that defines the scene; join blocks when they are one program split up.
    `off`: disabled EXT codes (an unclosed fence is then no block; split blocks are not joined).
    None when no block is left."""
    if UNTERMINATED_FENCE in off:
        blocks = [b for b in blocks if b.closed]
        if not blocks:
            return None
    blocks = [b for b in blocks if b.content.strip()] or blocks
    python = [b for b in blocks if b.lang in PYTHON_LANGS] or blocks
    contents = [canonical_text(b.content) for b in python]
    fixes = (UNTERMINATED_FENCE,) if any(not b.closed for b in python) else ()
    if len(contents) == 1:
        return contents[0], fixes
    scene_blocks = [c for c in contents if _defines_scene(c)]
    joined = "\n\n".join(c for c in contents if c)
    if scene_blocks:
        main = scene_blocks[0]
        split_program = not _imports_manim(main) and any(_imports_manim(c) for c in contents)
        if split_program and _defines_scene(joined) and JOINED_BLOCKS not in off:
            return joined, fixes + (JOINED_BLOCKS,)
        return main, fixes
    if _defines_scene(joined) and JOINED_BLOCKS not in off:
        return joined, fixes + (JOINED_BLOCKS,)
    return max(contents, key=len), fixes


def _off(disabled: Sequence[str]) -> frozenset[str]:
    """The EXT codes that `disabled` (codes or prefixes, as for every fix) turns off."""
    return frozenset(c for c in CODES if code_disabled(c, disabled))


def strip_fences(text: str, *, disabled: Sequence[str] = ()) -> Extracted:
    """Remove markdown fences (recursively, for double wrapping); text without fences comes back as is."""
    text = canonical_text(text)
    off = _off(disabled)
    fixes: list[str] = []
    for _ in range(4):  # double (or worse) wrapping
        if not any(m in text for m in MARKERS):
            break
        blocks = _blocks(text)
        inner = bool(fixes) and fixes[-1] == DOUBLE_FENCE  # the inner fence's close was taken by the outer
        picked = _choose(blocks, off - {UNTERMINATED_FENCE} if inner else off) if blocks else None
        if picked is None:
            break
        chosen, block_fixes = picked
        if inner:
            block_fixes = tuple(f for f in block_fixes if f != UNTERMINATED_FENCE)
        fixes.extend(block_fixes)
        text = chosen
        if any(chosen.lstrip().startswith(m) for m in MARKERS):
            if DOUBLE_FENCE in off:
                break
            fixes.append(DOUBLE_FENCE)
    return Extracted(code=text, fixes=tuple(dict.fromkeys(fixes)))


def _unescape_literal_newlines(text: str, off: frozenset[str] = frozenset()) -> tuple[str, tuple[str, ...]]:
    fixes: list[str] = []
    stripped = text.lstrip()
    if stripped.startswith("\\n") and LITERAL_NEWLINE not in off:
        while stripped.startswith("\\n"):
            stripped = stripped[2:].lstrip(" \t")
        text = stripped
        fixes.append(LITERAL_NEWLINE)
    if "\n" not in text.strip() and text.count("\\n") >= 2 and ESCAPED_NEWLINES not in off:
        candidate = text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\t", "\t")
        if _parses(canonical_text(candidate)) and not _parses(text):
            text = candidate
            fixes.append(ESCAPED_NEWLINES)
    return text, tuple(fixes)


_CODE_STARTS = ("from ", "import ", "class ", "def ", "@", "#", "config.", "if __name__")


def looks_like_code(text: str) -> bool:
    """Does any line start like a Python statement? (Tells prose-only answers from broken code.)"""
    return any(line.lstrip().startswith(_CODE_STARTS) for line in text.split("\n"))


def _is_prose(line: str) -> bool:
    """A flush-left line that is not Python on its own (\"Here is the code:\", \"Enjoy!\")."""
    if not line.strip():
        return True
    if line[0] in " \t" or line.startswith(_CODE_STARTS):
        return False
    return not _parses(line)


def trim_prose(code: str, max_trailing: int = 40) -> Extracted:
    """Cut prose lines before and after unfenced code. Only lines that are prose go: code that is
    broken itself stays broken (and is excluded later), never silently truncated."""
    if _parses(code):
        return Extracted(code=code)
    lines = code.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith(_CODE_STARTS)), None)
    if start is None or not all(_is_prose(line) for line in lines[:start]):
        return Extracted(code=code)
    end = len(lines)
    while end > start and len(lines) - end < max_trailing and _is_prose(lines[end - 1]):
        end -= 1
    candidate = canonical_text("\n".join(lines[start:end]))
    if candidate != code and _defines_scene(candidate):
        return Extracted(code=candidate, fixes=(TRIMMED_PROSE,))
    return Extracted(code=code)


def extract_code(text: object, disabled: Sequence[str] = ()) -> Extracted:
    """The Python program inside a dataset's code field, or a reason why there is none.

    `disabled`: fix codes or prefixes (as in `repair_code`); a disabled EXT repair is not made.
    """
    if text is None:
        return Extracted(code=None, reason="missing-code")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            return Extracted(code=None, reason="non-utf8")
    if not isinstance(text, str):
        return Extracted(code=None, reason=f"invalid-type:{type(text).__name__}")
    if "\x00" in text:
        return Extracted(code=None, reason="binary-content")
    off = _off(disabled)
    text, fixes = _unescape_literal_newlines(canonical_text(text), off)
    if not text.strip():
        return Extracted(code=None, reason="empty-code", fixes=fixes)
    found = strip_fences(text, disabled=disabled)
    code = found.code or ""
    fixes += found.fixes
    if not code.strip():
        return Extracted(code=None, reason="empty-code", fixes=fixes)
    if _parses(code):
        return Extracted(code=code, fixes=fixes)
    dedented = textwrap.dedent(code)
    if dedented != code and _parses(dedented) and DEDENTED not in off:
        return Extracted(code=dedented, fixes=fixes + (DEDENTED,))
    if TRIMMED_PROSE in off:
        return Extracted(code=code, fixes=fixes)
    trimmed = trim_prose(code)
    return Extracted(code=trimmed.code, fixes=fixes + trimmed.fixes)
