"""AST003/AST004: inline a small CE placeholder library into programs that use GL-only characters or drawings.

Why: 3Blue1Brown's pi creatures and ManimGL's drawings have no Community Edition counterpart (their SVGs
are not public), and hundreds of public GL scenes use them. `library/characters.py` and
`library/drawings.py` are plain CE modules; a program that uses one of their names without defining it
gets exactly the definitions it needs, tree-shaken: a top-level definition is copied when a name the
program (or copied code) uses is defined by it, and a copied class keeps only the methods whose names
occur in the program or in copied code (plus the hooks manim itself calls). The copy goes right after the
imports, so the scene reads as one file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import libcst as cst

from builder.fixes.base import Rewriter
from builder.fixes.rewriters import defined_names
from builder.fixes.types import Example, Fix, scene

_LIBRARY = Path(__file__).with_name("library")
_HOOKS = frozenset({"__init__", "setup", "construct", "create_starting_mobject"})  # called by manim itself


class _Identifiers(cst.CSTVisitor):
    """Every identifier a piece of code mentions: names and attribute names alike (cheap and safe: a
    method kept for a same-named attribute elsewhere costs a few lines, a missing one a crash)."""

    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.found.add(node.value)


def _identifiers(node: cst.CSTNode) -> frozenset[str]:
    seen = _Identifiers()
    node.visit(seen)
    return frozenset(seen.found)


@dataclass(frozen=True)
class _Definition:
    """A top-level statement of a library: what it defines, what its non-method parts mention, its methods."""

    node: cst.BaseStatement
    defines: frozenset[str]
    mentions: frozenset[str]
    methods: tuple[tuple[str, frozenset[str]], ...]  # (method name, identifiers in it)


@dataclass(frozen=True)
class Library:
    name: str
    definitions: tuple[_Definition, ...]

    @property
    def public(self) -> frozenset[str]:
        return frozenset(n for d in self.definitions for n in d.defines if not n.isupper())


def _definition(stmt: cst.BaseStatement) -> _Definition | None:
    if isinstance(stmt, cst.ClassDef):
        body = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else ()
        methods = tuple((s.name.value, _identifiers(s)) for s in body if isinstance(s, cst.FunctionDef))
        rest = [s for s in body if not isinstance(s, cst.FunctionDef)]
        mentions = (
            _identifiers(stmt.with_changes(body=stmt.body.with_changes(body=rest))) if rest else frozenset()
        )
        mentions |= frozenset().union(
            *(_identifiers(b) for b in stmt.bases), *(_identifiers(d) for d in stmt.decorators)
        )
        return _Definition(stmt, frozenset({stmt.name.value}), mentions, methods)
    if isinstance(stmt, cst.FunctionDef):
        return _Definition(stmt, frozenset({stmt.name.value}), _identifiers(stmt), ())
    if isinstance(stmt, cst.SimpleStatementLine) and all(isinstance(s, cst.Assign) for s in stmt.body):
        targets = {
            t.target.value
            for s in stmt.body
            for t in s.targets
            if isinstance(t.target, cst.Name)  # type: ignore[attr-defined]
        }
        return _Definition(stmt, frozenset(targets), _identifiers(stmt), ())
    return None  # imports and the docstring: the program has its own


@cache
def library(name: str) -> Library:
    module = cst.parse_module((_LIBRARY / f"{name}.py").read_text(encoding="utf-8"))
    return Library(name, tuple(d for d in map(_definition, module.body) if d is not None))


def _pruned(definition: _Definition, keep: set[str]) -> cst.BaseStatement:
    node = definition.node
    if not isinstance(node, cst.ClassDef) or not isinstance(node.body, cst.IndentedBlock):
        return node
    body = [s for s in node.body.body if not isinstance(s, cst.FunctionDef) or s.name.value in keep]
    return node.with_changes(
        body=node.body.with_changes(body=body or [cst.SimpleStatementLine([cst.Pass()])])
    )


def needed(lib: Library, used: frozenset[str], own: frozenset[str]) -> list[cst.BaseStatement]:
    """The library's statements a program needs (tree-shaken, library order); `own`: names it defines."""
    used_now = set(used)
    chosen: dict[int, None] = {}
    kept_methods: set[str] = set(_HOOKS)
    changed = True
    while changed:
        changed = False
        for i, d in enumerate(lib.definitions):
            if i not in chosen and d.defines & used_now and not d.defines <= own:
                chosen[i] = None
                used_now |= d.mentions
                changed = True
            if i in chosen:
                for method, mentions in d.methods:
                    if (method in used_now or method in _HOOKS) and not mentions <= used_now:
                        used_now |= mentions
                        changed = True
                    if method in used_now or method in _HOOKS:
                        kept_methods.add(method)
    return [_pruned(lib.definitions[i], kept_methods) for i in sorted(chosen)]


@cache
def ce_exports() -> frozenset[str]:
    """What `from manim import *` binds in the installed manim (empty if it cannot be listed)."""
    from builder.validate.manim_names import manim_names

    try:
        return manim_names().exports
    except (RuntimeError, OSError):
        return frozenset()


class InlineLibrary(Rewriter):
    """Insert what a program needs from one placeholder library after its imports."""

    LIBRARY = ""
    LABEL = ""

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        lib = library(self.LIBRARY)
        own = frozenset(defined_names(updated))
        used = _identifiers(updated)
        if not (lib.public - ce_exports() & used) - own:  # CE's own `Blink` is not a pi creature's
            return updated
        statements = needed(lib, used, own)
        if not statements:
            return updated
        self.hit(self.LABEL)
        body = list(updated.body)
        at = 0
        for i, stmt in enumerate(body):
            if isinstance(stmt, cst.SimpleStatementLine) and all(
                isinstance(s, cst.Import | cst.ImportFrom) for s in stmt.body
            ):
                at = i + 1
        spaced = [
            s.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
            if hasattr(s, "leading_lines")
            else s
            for s in statements
        ]
        return updated.with_changes(body=[*body[:at], *spaced, *body[at:]])


class InlineCharacters(InlineLibrary):
    LIBRARY = "characters"
    LABEL = "asset:character"


class InlineDrawings(InlineLibrary):
    LIBRARY = "drawings"
    LABEL = "asset:icon"


def _render(module: cst.Module, library_name: str, names: set[str]) -> str:
    lib = library(library_name)
    statements = needed(lib, frozenset(names) | _identifiers(module), frozenset(defined_names(module)))
    body = list(module.body)
    spaced = [s.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()]) for s in statements]
    return module.with_changes(body=[body[0], *spaced, *body[1:]]).code


_PI_BEFORE = scene(
    "randy = Randolph().to_edge(LEFT)\nself.add(randy)\nself.play(randy.change('happy'))\nself.play(Blink(randy))"
)
_DRAWING_BEFORE = scene("self.add(Checkmark().shift(LEFT), Exmark().shift(RIGHT), Laptop().to_edge(DOWN))")

FIXES: tuple[Fix, ...] = (
    Fix(
        "AST003", "pi-creature-placeholders",
        "3Blue1Brown's pi creatures (`Randolph`, `Mortimer`, `PiCreatureSays`, bubbles, `TeacherStudentsScene`, "
        "`PiCreatureScene`) are drawn from SVGs that are not public. A program that uses them gets the needed "
        "parts of a small CE library (builder/fixes/library/characters.py): a body with eyes and a mouth that "
        "follows the mode, bubbles with their text, and the scene bases with `teacher`, `students`, "
        "`teacher_says`, `play_student_changes`... Records `asset:character`.",
        "asset",
        (Example(_PI_BEFORE, _render(cst.parse_module(_PI_BEFORE), "characters", set())),),
        transformer=InlineCharacters,
        triggers=tuple(sorted(library("characters").public - ce_exports())),
        supplies=tuple(sorted(library("characters").public)),
        records=("asset:character",),
    ),
    Fix(
        "AST004", "gl-drawing-placeholders",
        "ManimGL's drawings (`Checkmark`, `Exmark`, `Laptop`, `VideoIcon`, `Clock`, `Lightbulb`, `FullScreenFadeRectangle`) "
        "do not exist in CE; a program that uses them gets a composed placeholder of about the same size "
        "(builder/fixes/library/drawings.py). Records `asset:icon`.",
        "asset",
        (Example(_DRAWING_BEFORE, _render(cst.parse_module(_DRAWING_BEFORE), "drawings", set())),),
        transformer=InlineDrawings,
        triggers=tuple(sorted(library("drawings").public - ce_exports())),
        supplies=tuple(sorted(library("drawings").public)),
        records=("asset:icon",),
    ),
)  # fmt: skip
