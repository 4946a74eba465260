"""Code blocks in a repo's documents, each parsed as a module of its own: `.. manim::` directives in .rst
files and in .py docstrings, fenced python blocks in .md files, and notebook code cells (all cells of a
notebook form one module, as in a kernel session).

Why: documentation scenes are scenes too (the directive renders them), but their code lives inside
prose. A block keeps the line of the file it starts on, so its rows point at the document, and a block
with no import of manim gets the `from manim import *` the directive and the `%%manim` magic supply.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

import libcst as cst

from builder.guard import parse_cst
from builder.repos.class_outline import class_methods
from builder.repos.parse import parse_module
from builder.repos.paths import dotted
from builder.repos.units import ModuleInfo

_DEFAULT_HEADER = "from manim import *\n"


@dataclass(frozen=True)
class CodeBlock:
    """A code block found in a document: its text and the 1-based line of its first line in the file."""

    key: str
    code: str
    first_line: int


_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\. manim::")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)")


def _next_match(lines: list[str], pattern: re.Pattern[str], start: int) -> tuple[int, re.Match[str]] | None:
    """The first line from `start` on that opens a block, with its match."""
    for i in range(start, len(lines)):
        match = pattern.match(lines[i])
        if match:
            return i, match
    return None


def rst_blocks(text: str, relpath: str, line_offset: int = 0, tag: str = "rst") -> list[CodeBlock]:
    """Bodies of `.. manim::` directives (options and blank lines skipped, indentation removed)."""
    lines = text.splitlines()
    blocks: list[CodeBlock] = []
    i = 0
    while (found := _next_match(lines, _DIRECTIVE, i)) is not None:
        i, match = found
        indent = len(match.group("indent").expandtabs())
        j = i + 1
        body: list[tuple[int, str]] = []
        while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
            body.append((j, lines[j]))
            j += 1
        code_lines = [(n, s) for n, s in body]
        while code_lines and (not code_lines[0][1].strip() or code_lines[0][1].strip().startswith(":")):
            code_lines.pop(0)
        while code_lines and not code_lines[-1][1].strip():
            code_lines.pop()
        if code_lines:
            width = min(len(s) - len(s.lstrip()) for _, s in code_lines if s.strip())
            code = "\n".join(s[width:] for _, s in code_lines) + "\n"
            first = code_lines[0][0] + 1 + line_offset
            blocks.append(CodeBlock(f"{relpath}#{tag}-L{first}", code, first))
        i = j
    return blocks


def md_blocks(text: str, relpath: str) -> list[CodeBlock]:
    """Fenced python blocks of a markdown file that look like they hold code (any language tag py/python)."""
    lines = text.splitlines()
    blocks: list[CodeBlock] = []
    i = 0
    while (found := _next_match(lines, _FENCE, i)) is not None:
        i, match = found
        fence, lang = match.group("fence"), match.group("lang").lower()
        j = i + 1
        while j < len(lines) and not lines[j].lstrip().startswith(fence):
            j += 1
        if lang in {"py", "python", "python3"}:
            indent = len(match.group("indent"))
            code = "\n".join(s[indent:] if s[:indent].isspace() else s for s in lines[i + 1 : j]) + "\n"
            blocks.append(CodeBlock(f"{relpath}#md-L{i + 2}", code, i + 2))
        i = j + 1
    return blocks


def _cell_source(cell: object) -> str | None:
    """A code cell's text; None for anything that is not the nbformat shape (`source`: str or list of str)."""
    if not isinstance(cell, dict) or cell.get("cell_type") != "code":
        return None
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return "".join(source)
    return source if isinstance(source, str) else None


def notebook_block(text: str, relpath: str) -> CodeBlock | None:
    """All code cells of a notebook as one module; IPython magics and shell lines become blank lines.

    Notebooks are untrusted JSON: invalid, absurdly nested or oddly shaped documents give no block.
    """
    try:
        nb = json.loads(text)
    except (json.JSONDecodeError, RecursionError, MemoryError):
        return None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return None
    out: list[str] = []
    for cell in cells:
        source = _cell_source(cell)
        if source is None:
            continue
        for line in source.splitlines():
            out.append("" if line.lstrip().startswith(("%", "!")) else line)
        out.append("")
    return CodeBlock(f"{relpath}#nb", "\n".join(out) + "\n", 1) if out else None


def docstring_blocks(mod: ModuleInfo) -> list[CodeBlock]:
    """`.. manim::` directives inside the module's, classes' and functions' docstrings."""
    blocks: list[CodeBlock] = []
    nodes: list[cst.Module | cst.ClassDef | cst.FunctionDef] = [mod.tree]
    for unit in mod.units:
        if isinstance(unit.node, cst.ClassDef):
            nodes.append(unit.node)
            nodes.extend(class_methods(unit.node).values())
        elif isinstance(unit.node, cst.FunctionDef):
            nodes.append(unit.node)
    code = mod.source
    for node in nodes:
        doc = node.get_docstring(clean=False)
        if doc and ".. manim::" in doc:
            pos = code.find(doc)  # the raw docstring text is unique enough to place it in the file
            start = code[:pos].count("\n") + 1 if pos >= 0 else 1
            blocks.extend(rst_blocks(doc, mod.relpath, start - 1, tag="doc"))
    return blocks


def block_module(block: CodeBlock, relpath: str) -> ModuleInfo | None:
    """Parse a document code block; blocks with no import of manim get `from manim import *` prepended,
    as the `.. manim::` directive and `%%manim` magic do."""
    code = block.code
    header = 0
    try:
        probe = parse_cst(code)
    except (cst.ParserSyntaxError, ValueError):
        return None
    if not any(_imports_manim(stmt) for stmt in probe.body):
        code, header = _DEFAULT_HEADER + code, 1
    try:
        return parse_module(
            block.key, relpath, code, line_offset=block.first_line - 1 - header, header_lines=header
        )
    except (cst.ParserSyntaxError, ValueError):
        return None


def _imports_manim(stmt: cst.BaseStatement) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if isinstance(small, cst.ImportFrom) and small.module is not None:
            if dotted(small.module).split(".")[0] in {"manim", "manimlib"}:
                return True
        elif isinstance(small, cst.Import):
            if any(dotted(a.name).split(".")[0] in {"manim", "manimlib"} for a in small.names):
                return True
    return False


def document_blocks(relpath: str, text: str) -> list[CodeBlock]:
    suffix = PurePosixPath(relpath).suffix.lower()
    if suffix == ".rst":
        return rst_blocks(text, relpath)
    if suffix in {".md", ".markdown"}:
        return md_blocks(text, relpath)
    if suffix == ".ipynb":
        block = notebook_block(text, relpath)
        return [block] if block else []
    return []
