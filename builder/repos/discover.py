"""Scene discovery: which classes of a repo are renderable scenes, in .py files and in documents.

A class is a scene when a base chain, followed through local classes in any file of the repo, reaches a
known Manim scene class (Community Edition, ManimGL or a plugin), and the class has or inherits
`construct`. Rule for bases that exist only to be subclassed (documented in the module README of the
issue): a scene is *not* yielded on its own when its `construct` is trivial (only `pass`, `...`, a
docstring or `raise NotImplementedError`), when any method it would run is a `raise NotImplementedError`
stub, or when it is subclassed by another scene of the repo and its name marks it as a base
(`Base...`, `...Base`, `Abstract...`, `...Template`). Such classes are still inlined into the programs
of their subclasses.

Documents: `.. manim::` directives in .rst files and in .py docstrings, fenced python blocks in .md
files, and notebook code cells (all cells of a notebook form one module, as in a kernel session).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

import libcst as cst

from builder.guard import parse_cst
from builder.repos.class_outline import BaseRef, ClassOutline, MethodOutline
from builder.repos.modules import External, LocalDef, LocalModule, RepoIndex, Unresolved
from builder.repos.units import ModuleInfo, Unit, parse_module
from builder.scenes import SCENE_BASES

_BASE_NAME = re.compile(r"^(Base|Abstract)[A-Z0-9_]|(Base|Template)$")
_DEFAULT_HEADER = "from manim import *\n"


@dataclass(frozen=True)
class SceneRef:
    """A discovered scene class: the module key it lives in and its class name."""

    module: str
    name: str


def _is_trivial(func: cst.FunctionDef) -> bool:
    body = func.body.body if isinstance(func.body, cst.IndentedBlock) else [func.body]
    stmts = [s for s in body if not _is_docstring(s)]
    if not stmts:
        return True
    for stmt in stmts:
        if not isinstance(stmt, cst.SimpleStatementLine):
            return False
        for small in stmt.body:
            if isinstance(small, cst.Pass) or (
                isinstance(small, cst.Expr) and isinstance(small.value, cst.Ellipsis)
            ):
                continue
            if _raises_not_implemented(small):
                continue
            return False
    return True


def _is_docstring(stmt: cst.BaseStatement | cst.BaseSmallStatement) -> bool:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        stmt = stmt.body[0]
    return isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.SimpleString | cst.ConcatenatedString)


def _raises_not_implemented(small: cst.BaseSmallStatement) -> bool:
    if not isinstance(small, cst.Raise) or small.exc is None:
        return False
    exc = small.exc.func if isinstance(small.exc, cst.Call) else small.exc
    return isinstance(exc, cst.Name) and exc.value in {"NotImplementedError", "NotImplemented"}


def _stub_only(func: cst.FunctionDef) -> bool:
    body = func.body.body if isinstance(func.body, cst.IndentedBlock) else [func.body]
    stmts = [s for s in body if not _is_docstring(s)]
    return bool(stmts) and all(
        isinstance(s, cst.SimpleStatementLine) and all(_raises_not_implemented(x) for x in s.body)
        for s in stmts
    )


def _methods(node: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
    return {s.name.value: s for s in body if isinstance(s, cst.FunctionDef)}


def class_view(unit: Unit) -> ClassOutline:
    """What discovery reads of a class unit: its outline (outline.py), or the same read off its libcst
    node (cached on the unit)."""
    found = getattr(unit, "class_outline", None)
    if found is None:
        found = getattr(unit, "_class_view", None)
    if found is None:
        node = unit.node
        assert isinstance(node, cst.ClassDef)
        found = ClassOutline(
            name=node.name.value,
            bases=tuple(_base_ref(arg.value) for arg in node.bases),
            methods={
                name: MethodOutline(_is_trivial(func), _stub_only(func))
                for name, func in _methods(node).items()
            },
            docstring=None,  # describe.py reads the node itself
            comment_lines=(),
        )
        unit._class_view = found  # type: ignore[attr-defined]
    return found


def _base_ref(expr: cst.BaseExpression) -> BaseRef:
    if isinstance(expr, cst.Name):
        return BaseRef("name", expr.value, (expr.value,), expr.value)
    if isinstance(expr, cst.Attribute):
        return BaseRef("attr", _root_name(expr), tuple(_attr_parts(expr)), expr.attr.value)
    return BaseRef("other")


class SceneFinder:
    """Answers "is this class a scene" for classes anywhere in the repo (memoised)."""

    def __init__(self, index: RepoIndex) -> None:
        self.index = index
        self._chains: dict[tuple[str, str], list[tuple[str, ClassOutline]] | None] = {}

    def class_node(self, key: str, name: str) -> ClassOutline | None:
        """The class `name` of module `key` as discovery reads it (see `class_view`)."""
        mod = self.index.module(key)
        if mod is None:
            return None
        for idx in reversed(mod.defs.get(name, [])):
            unit = mod.units[idx]
            if unit.kind == "class" and class_view(unit).name == name:
                return class_view(unit)
        return None

    def chain(self, key: str, name: str) -> list[tuple[str, ClassOutline]] | None:
        """Local classes from `name` up its bases (depth-first, MRO-like) if it reaches a scene base."""
        memo = (key, name)
        if memo in self._chains:
            return self._chains[memo]
        self._chains[memo] = None  # cycle guard
        node = self.class_node(key, name)
        result: list[tuple[str, ClassOutline]] | None = None
        if node is not None:
            local: list[tuple[str, ClassOutline]] = [(key, node)]
            is_scene = False
            for base in node.bases:
                binding = self._base_binding(key, base)
                if isinstance(binding, External):
                    is_scene |= (binding.attr or binding.name).split(".")[-1] in SCENE_BASES
                elif isinstance(binding, Unresolved):  # a scene base the installed manim removed
                    is_scene |= binding.name in SCENE_BASES  # (`GraphScene`): the fixes upgrade it
                elif isinstance(binding, LocalDef):
                    sub = self.chain(binding.module, binding.name)
                    if sub is not None:
                        is_scene = True
                        local.extend(x for x in sub if x not in local)
            result = local if is_scene else None
        self._chains[memo] = result
        return result

    def _base_binding(self, key: str, base: BaseRef) -> object:
        if base.kind == "name":
            return self.index.lookup(key, base.root)
        if base.kind == "attr":
            head = self.index.lookup(key, base.root)
            if isinstance(head, External):
                return External(head.module, base.last, base.last)
            if isinstance(head, LocalModule):
                parts = list(base.parts)[1:]
                target = head.module
                for part in parts[:-1]:
                    nxt = self.index.lookup(target, part)
                    if not isinstance(nxt, LocalModule):
                        return None
                    target = nxt.module
                return self.index.lookup(target, parts[-1])
        return None

    def is_scene(self, key: str, name: str) -> bool:
        chain = self.chain(key, name)
        return chain is not None and any("construct" in node.methods for _, node in chain)

    def is_base_only(self, key: str, name: str, subclassed: bool) -> bool:
        chain = self.chain(key, name) or []
        resolved: dict[str, MethodOutline] = {}
        for _, node in reversed(chain):
            resolved.update(node.methods)
        construct = resolved.get("construct")
        if construct is None or construct.trivial:
            return True
        if any(f.stub for f in resolved.values()):
            return True
        return subclassed and bool(_BASE_NAME.search(name))


def _root_name(expr: cst.BaseExpression) -> str:
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else ""


def _attr_parts(expr: cst.BaseExpression) -> list[str]:
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
    return parts[::-1]


def class_units(mod: ModuleInfo) -> Iterable[Unit]:
    return (u for u in mod.units if u.kind == "class")


def find_scenes(index: RepoIndex, keys: Iterable[str]) -> tuple[list[SceneRef], list[SceneRef]]:
    """(scenes to yield, base-only scenes) among the classes of the given modules, in file/line order."""
    finder = SceneFinder(index)
    candidates: list[SceneRef] = []
    for key in keys:
        mod = index.module(key)
        if mod is None:
            continue
        for unit in class_units(mod):
            name = class_view(unit).name
            if mod.defs.get(name, [None])[-1] == unit.index and finder.is_scene(key, name):
                candidates.append(SceneRef(key, name))
    parents: set[tuple[str, str]] = set()
    for ref in candidates:
        for pkey, node in (finder.chain(ref.module, ref.name) or [])[1:]:
            parents.add((pkey, node.name))
    keep, base_only = [], []
    for ref in candidates:
        subclassed = (ref.module, ref.name) in parents
        (base_only if finder.is_base_only(ref.module, ref.name, subclassed) else keep).append(ref)
    return keep, base_only


# -- documents -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeBlock:
    """A code block found in a document: its text and the 1-based line of its first line in the file."""

    key: str
    code: str
    first_line: int


_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\. manim::")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)")


def rst_blocks(text: str, relpath: str, line_offset: int = 0, tag: str = "rst") -> list[CodeBlock]:
    """Bodies of `.. manim::` directives (options and blank lines skipped, indentation removed)."""
    lines = text.splitlines()
    blocks: list[CodeBlock] = []
    i = 0
    while i < len(lines):
        match = _DIRECTIVE.match(lines[i])
        if not match:
            i += 1
            continue
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
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
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
            nodes.extend(_methods(unit.node).values())
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
            if _attr_parts(small.module)[0] in {"manim", "manimlib"}:
                return True
        elif isinstance(small, cst.Import):
            if any(_attr_parts(a.name)[0] in {"manim", "manimlib"} for a in small.names):
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
