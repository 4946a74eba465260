"""ManimGL (3Blue1Brown's fork) -> Community Edition: imports, mechanical renames, `self.embed()`.

Why: most public Manim code is ManimGL and fails on CE, yet much of it only differs in imports and a
few names. The `gl` phase runs only on rows detected as `gl`, `gl-legacy` or `mixed`; the CE upgrades
(`ShowCreation`, `CONFIG`, ...) then finish the job. GL's TeX names are in text_tex.py, its camera in
camera.py, its axes sizes in axes.py. A converted row still has to pass the runtime check; rows that
keep GL-only names with no CE equivalent (`UNCONVERTIBLE`) are excluded with reason `dialect:gl`.
"""

from __future__ import annotations

import libcst as cst

from builder.fixes.base import Rewriter, dotted_name
from builder.fixes.rewriters import DropCalls, rename_names
from builder.fixes.types import Example, Fix, example, scene

_GL_IMPORT_ROOTS = ("manimlib", "manim_imports_ext", "big_ol_pile_of_manim_imports")
# GL-only names that have no CE equivalent: their presence after conversion excludes the row.
UNCONVERTIBLE = frozenset(
    {
        "GlowDot",
        "TrueDot",
        "OldTex",
        "OldTexText",
        "TeacherStudentsScene",
        "PiCreatureScene",
        "VShowPassingFlash",
    }
)


class GlImports(Rewriter):
    """`from manimlib import *` / `from manimlib.imports import *` / `from manim_imports_ext import *` -> `from manim import *`."""

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        if updated.module is None or updated.relative:
            return updated
        name = dotted_name(updated.module) or ""
        if name.split(".")[0] not in _GL_IMPORT_ROOTS:
            return updated
        self.hit()
        return updated.with_changes(module=cst.Name("manim"))

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = [dotted_name(a.name) or "" for a in updated.names]
        if not any(n.split(".")[0] in _GL_IMPORT_ROOTS for n in names):
            return updated
        self.hit()
        aliases = [
            a.with_changes(name=cst.Name("manim"))
            if (dotted_name(a.name) or "").split(".")[0] in _GL_IMPORT_ROOTS
            else a
            for a in updated.names
        ]
        return updated.with_changes(names=aliases)


class RemoveEmbed(DropCalls):
    """GL `self.embed()` opens an interactive shell; it has no CE meaning and is dropped."""

    CALLS = frozenset({"self.embed"})


FIXES: tuple[Fix, ...] = (
    Fix(
        "GL001", "gl-imports-to-manim",
        "ManimGL imports (`manimlib`, `manimlib.imports`, `manim_imports_ext`) become `from manim import *`; the rest of the GL fixes make the names match.",
        "gl",
        (Example(scene("self.add(Square())", imp="from manimlib import *"), scene("self.add(Square())")),),
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
)  # fmt: skip
