"""ManimGL (3Blue1Brown's fork) -> Community Edition: imports, names and constants (objects and methods:
gl_objects.py).

Why: most public Manim code is ManimGL and fails on CE, yet much of it only differs in imports, a few
names and small idioms. The `gl` phase runs only on rows detected as `gl`, `gl-legacy` or `mixed`; the
CE upgrades (`ShowCreation`, `CONFIG`, ...) then finish the job. GL's TeX names are in text_tex.py, its
camera in camera.py, its axes sizes in axes.py, its pi creatures in placeholder_library.py. A converted
row still has to pass the runtime check; rows that keep GL imports or GL-only names are excluded with
reason `dialect:gl`.
"""

from __future__ import annotations

import libcst as cst

from builder.fixes.base import Rewriter, dotted_name
from builder.fixes.rewriters import DropCalls, RenameNames, rename_names
from builder.fixes.types import Example, Fix, example, scene

_GL_IMPORT_ROOTS = ("manimlib", "manim_imports_ext", "big_ol_pile_of_manim_imports")
_STAR = "from manim import *"

# What GL's star import supplies besides the library: manimlib's modules import these without `__all__`,
# so `from manimlib import *` (and 3b1b's `manim_imports_ext`) re-exports them to every scene.
GL_STAR_IMPORTS = {
    "it": "import itertools as it", "op": "import operator as op", "math": "import math",
    "random": "import random", "re": "import re", "os": "import os", "sys": "import sys",
    "string": "import string", "time": "import time", "inspect": "import inspect", "copy": "import copy",
    "itertools": "import itertools", "functools": "import functools", "operator": "import operator",
    "reduce": "from functools import reduce", "wraps": "from functools import wraps",
    "Path": "from pathlib import Path", "Iterable": "from typing import Iterable",
    "Sequence": "from typing import Sequence", "Callable": "from typing import Callable",
    "Optional": "from typing import Optional", "List": "from typing import List",
    "Dict": "from typing import Dict", "Tuple": "from typing import Tuple", "Any": "from typing import Any",
    "TYPE_CHECKING": "from typing import TYPE_CHECKING",
}  # fmt: skip


def _is_gl_module(name: str | None) -> bool:
    return bool(name) and name.split(".")[0] in _GL_IMPORT_ROOTS  # type: ignore[union-attr]


def _alias_line(name: str, alias: str) -> cst.SimpleStatementLine:
    return cst.parse_statement(f"{alias} = {name}")  # type: ignore[return-value]


class GlImports(Rewriter):
    """Every GL import (`manimlib`, its submodules, `manimlib.imports`, `manim_imports_ext`) becomes one
    `from manim import *`: names imported one by one are left to the renames, which act on star names,
    and `from manimlib.x import a as b` keeps `b` as an assignment."""

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        body: list[cst.BaseStatement] = []
        star_seen = any(
            isinstance(s, cst.SimpleStatementLine) and cst.Module(body=[s]).code.strip() == _STAR
            for s in updated.body
        )
        for stmt in updated.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                body.append(stmt)
                continue
            kept, aliases, gl = [], [], False
            for small in stmt.body:
                if (
                    isinstance(small, cst.ImportFrom)
                    and not small.relative
                    and _is_gl_module(dotted_name(small.module) if small.module else None)
                ):
                    gl = True
                    if not isinstance(small.names, cst.ImportStar):
                        aliases += [
                            _alias_line(dotted_name(a.name) or "", a.asname.name.value)  # type: ignore[union-attr]
                            for a in small.names
                            if a.asname is not None and isinstance(a.asname.name, cst.Name)
                        ]
                else:
                    kept.append(small)
            if not gl:
                body.append(stmt)
                continue
            self.hit()
            if not star_seen:
                body.append(stmt.with_changes(body=[cst.parse_statement(_STAR).body[0]]))  # type: ignore[attr-defined]
                star_seen = True
            if kept:
                body.append(stmt.with_changes(body=kept))
            body.extend(aliases)
        return updated.with_changes(body=body)

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = [dotted_name(a.name) or "" for a in updated.names]
        if not any(_is_gl_module(n) for n in names):
            return updated
        self.hit()
        aliases = [
            a.with_changes(name=cst.Name("manim")) if _is_gl_module(dotted_name(a.name)) else a
            for a in updated.names
        ]
        return updated.with_changes(names=aliases)


class StarImports(Rewriter):
    """Names GL's star import supplied (`it`, `math`, `random`, typing names...) get their own import."""

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        free = _free_names(updated)
        lines = sorted({GL_STAR_IMPORTS[n] for n in free if n in GL_STAR_IMPORTS})
        if not lines:
            return updated
        self.hit()
        body = list(updated.body)
        at = next((i + 1 for i, s in enumerate(body) if cst.Module(body=[s]).code.strip() == _STAR), None)
        if at is None:  # after the module docstring and `__future__` imports
            at = 0
            while at < len(body) and (
                _is_docstring(body[at]) or "__future__" in cst.Module(body=[body[at]]).code
            ):
                at += 1
        new = [cst.parse_statement(line) for line in lines]
        return updated.with_changes(body=[*body[:at], *new, *body[at:]])


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.used: set[str] = set()
        self.skip: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.skip.add(id(node.keyword))

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self.skip:
            self.used.add(node.value)


def _free_names(module: cst.Module) -> set[str]:
    """Names read but bound nowhere in the module (defs, assignments, imports, parameters, targets)."""
    seen = _Names()
    module.visit(seen)
    import symtable

    try:
        table = symtable.symtable(module.code, "<gl>", "exec")
    except SyntaxError:
        return set()
    bound: set[str] = set()
    stack = [table]
    while stack:
        t = stack.pop()
        stack.extend(t.get_children())
        bound |= {
            s.get_name() for s in t.get_symbols() if s.is_assigned() or s.is_imported() or s.is_parameter()
        }
    return seen.used - bound


class ReplaceNames(RenameNames):
    """Free GL names -> CE expressions (`FRAME_HEIGHT` -> `config.frame_height`), with the rename rules:
    names the program defines, attributes and keywords stay."""

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:  # type: ignore[override]
        new = self.target(original)
        if new is None:
            return updated
        self.hit()
        return cst.parse_expression(new).with_changes(lpar=updated.lpar, rpar=updated.rpar)


_GL_CONSTANTS = {
    "FRAME_HEIGHT": "config.frame_height", "FRAME_WIDTH": "config.frame_width",
    "FRAME_X_RADIUS": "config.frame_x_radius", "FRAME_Y_RADIUS": "config.frame_y_radius", "DEG": "DEGREES",
    "fdiv": "np.true_divide", "cross": "np.cross",
}  # fmt: skip


class RemoveEmbed(DropCalls):
    """GL `self.embed()` opens an interactive shell; it has no CE meaning and is dropped."""

    CALLS = frozenset({"self.embed"})


FIXES: tuple[Fix, ...] = (
    Fix(
        "GL001", "gl-imports-to-manim",
        "ManimGL imports (`manimlib`, its submodules, `manimlib.imports`, `manim_imports_ext`) become one `from manim import *`; names imported one by one are left to the renames (an `as` alias stays as an assignment).",
        "gl",
        (
            Example(scene("self.add(Square())", imp="from manimlib import *"), scene("self.add(Square())")),
            Example(
                scene("self.play(W(Square()))", imp="from manimlib.constants import *\nfrom manimlib.animation.creation import Write as W\nfrom manimlib.mobject.geometry import Square"),
                scene("self.play(W(Square()))", imp="from manim import *\nW = Write"),
            ),
        ),
        transformer=GlImports,
        triggers=_GL_IMPORT_ROOTS,
    ),
    Fix(
        "GL006", "gl-renames",
        "Mechanical GL -> CE renames: `ParametricCurve` -> `ParametricFunction`, `FlashAround` -> `Circumscribe`, `TransformMatchingStrings` -> `TransformMatchingShapes`.",
        "gl",
        (
            example(
                "c = ParametricCurve(lambda t: np.array([t, t ** 2, 0]), t_range=[-1, 1])\nself.add(c)\nself.play(FlashAround(c))",
                "c = ParametricFunction(lambda t: np.array([t, t ** 2, 0]), t_range=[-1, 1])\nself.add(c)\nself.play(Circumscribe(c))",
            ),
        ),
        transformer=rename_names(
            {"ParametricCurve": "ParametricFunction", "FlashAround": "Circumscribe", "TransformMatchingStrings": "TransformMatchingShapes"}
        ),
        triggers=("ParametricCurve", "FlashAround", "TransformMatchingStrings"),
    ),
    Fix(
        "GL007", "remove-embed",
        "`self.embed()` drops GL into an interactive shell, which has no CE meaning and would block a batch run.",
        "gl",
        (example("self.add(Dot())\nself.embed()", "self.add(Dot())"),),
        transformer=RemoveEmbed,
        triggers=("embed",),
    ),
    Fix(
        "GL009", "gl-constants-and-helpers",
        "GL constants and helpers CE lacks: `FRAME_HEIGHT`/`FRAME_WIDTH`/`FRAME_X_RADIUS`/`FRAME_Y_RADIUS` -> `config.frame_*`, `DEG` -> `DEGREES`, `fdiv` -> `np.true_divide`, `cross` -> `np.cross`.",
        "gl",
        (
            example(
                "line = Line(FRAME_X_RADIUS * LEFT, FRAME_X_RADIUS * RIGHT).rotate(30 * DEG)\nself.add(line, Dot(fdiv(UP, 2)), Square(FRAME_HEIGHT / 4))",
                "line = Line(config.frame_x_radius * LEFT, config.frame_x_radius * RIGHT).rotate(30 * DEGREES)\nself.add(line, Dot(np.true_divide(UP, 2)), Square(config.frame_height / 4))",
            ),
        ),
        transformer=lambda: ReplaceNames(_GL_CONSTANTS),
        triggers=tuple(_GL_CONSTANTS),
    ),
    Fix(
        "GL012", "gl-star-imports",
        "GL's star import also hands scenes `it` (itertools), `math`, `random`, `op`, `re`, `os`, typing names and a few more, because manimlib's modules import them without `__all__`; CE's does not, so each one a converted row uses gets its own import.",
        "gl",
        (
            Example(
                scene("for a, b in it.combinations([LEFT, RIGHT, UP], 2):\n    self.add(Line(a, b).rotate(random.random() * math.pi))"),
                scene("for a, b in it.combinations([LEFT, RIGHT, UP], 2):\n    self.add(Line(a, b).rotate(random.random() * math.pi))", imp="from manim import *\nimport itertools as it\nimport math\nimport random"),
            ),
        ),
        transformer=StarImports,
        triggers=tuple(GL_STAR_IMPORTS),
    ),
)  # fmt: skip
