"""ManimGL (3Blue1Brown's fork) -> Community Edition for the common, mechanical subset.

Why: most public Manim code is ManimGL and fails on CE, yet much of it only differs in imports and a
few names. These fixes run only on rows detected as `gl`, `gl-legacy` or `mixed`; the CE upgrades
(`ShowCreation`, `CONFIG`, ...) then finish the job. A converted row still has to pass the runtime
check; rows that keep GL-only names with no CE equivalent are excluded with reason `dialect:gl`.
"""

from __future__ import annotations

import libcst as cst

from builder.fixes.base import Rewriter, dotted_name
from builder.fixes.dialect import detect
from builder.fixes.registry import Example, Fix, with_triggers
from builder.fixes.rewriters import DropCalls, RenameCallKeywords, RenameNames, rename_names

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


class GlTexKeywords(RenameCallKeywords):
    """GL `t2c=` / `isolate=` on (renamed) `MathTex`/`Tex` -> CE `tex_to_color_map=` / `substrings_to_isolate=`."""

    CALLS = frozenset({"MathTex", "Tex"})
    MAP = {"t2c": "tex_to_color_map", "isolate": "substrings_to_isolate"}


class _UsesSelfFrame(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if dotted_name(node) == "self.frame":
            self.found = True


class InteractiveScene(Rewriter):
    """GL `InteractiveScene` -> CE `Scene`; a scene using `self.frame` needs `MovingCameraScene`."""

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        uses = _UsesSelfFrame()
        original.visit(uses)
        target = "MovingCameraScene" if uses.found else "Scene"
        bases = []
        changed = False
        for a in updated.bases:
            name = dotted_name(a.value)
            if name == "InteractiveScene" or (name == "Scene" and uses.found):
                a = a.with_changes(value=cst.Name(target))
                changed = True
            bases.append(a)
        if not changed:
            return updated
        self.hit()
        return updated.with_changes(bases=bases)


class SelfFrame(Rewriter):
    """GL `self.frame` (the camera frame) -> CE `self.camera.frame`."""

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if dotted_name(updated) == "self.frame":
            self.hit()
            return cst.parse_expression("self.camera.frame")
        return updated


class RemoveEmbed(DropCalls):
    """GL `self.embed()` opens an interactive shell; it has no CE meaning and is dropped."""

    CALLS = frozenset({"self.embed"})


class GlTexNames(RenameNames):
    """GL `Tex` -> `MathTex` and `TexText` -> `Tex` in one pass. A row that also uses CE-only names
    (`MathTex`, `Create`, ...) was written against CE, where `Tex` already means CE's `Tex`: there only
    `TexText` is renamed."""

    def __init__(self) -> None:
        super().__init__({"Tex": "MathTex", "TexText": "Tex"})

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        if any(e.startswith("ce-name:") for e in detect(node).evidence):
            self.mapping.pop("Tex", None)


class AxesSizeKeywords(RenameCallKeywords):
    """GL `Axes(width=, height=)` / `NumberPlane(...)` sizes are CE's `x_length=` / `y_length=`."""

    CALLS = frozenset({"Axes", "NumberPlane", "ThreeDAxes", "ComplexPlane"})
    MAP = {"width": "x_length", "height": "y_length"}


def _gl(body: str, *, base: str = "Scene", imp: str = "from manimlib import *") -> str:
    lines = "\n".join("        " + ln for ln in body.strip("\n").splitlines())
    return f"{imp}\n\n\nclass Demo({base}):\n    def construct(self):\n{lines}\n"


FIXES: tuple[Fix, ...] = (
    Fix(
        "GL001", "gl-imports-to-manim",
        "ManimGL imports (`manimlib`, `manimlib.imports`, `manim_imports_ext`) become `from manim import *`; the rest of the GL fixes make the names match.",
        "gl",
        (Example(_gl("self.add(Square())"), _gl("self.add(Square())", imp="from manim import *")),),
        transformer=GlImports,
    ),
    Fix(
        "GL002", "gl-tex-names",
        "GL `Tex` is CE `MathTex` and GL `TexText` is CE `Tex`; both are renamed in one pass so `TexText` never ends up as `MathTex`.",
        "gl",
        (
            Example(
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        self.add(Tex(R'e^{i\\pi}'), TexText('Euler').to_edge(UP))\n",
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        self.add(MathTex(R'e^{i\\pi}'), Tex('Euler').to_edge(UP))\n",
            ),
        ),
        transformer=GlTexNames,
    ),
    Fix(
        "GL003", "gl-tex-keywords",
        "GL's `t2c=` and `isolate=` keywords on TeX mobjects are CE's `tex_to_color_map=` and `substrings_to_isolate=`.",
        "gl",
        (
            Example(
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        self.add(MathTex('a', '+', 'b', t2c={'a': RED}))\n",
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        self.add(MathTex('a', '+', 'b', tex_to_color_map={'a': RED}))\n",
            ),
        ),
        transformer=GlTexKeywords,
    ),
    Fix(
        "GL004", "interactive-scene-to-scene",
        "GL `InteractiveScene` is a plain scene with editing tools; in CE it is `Scene`, or `MovingCameraScene` when the scene moves `self.frame`.",
        "gl",
        (
            Example(
                "from manim import *\n\n\nclass Demo(InteractiveScene):\n    def construct(self):\n        self.add(Circle())\n",
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        self.add(Circle())\n",
            ),
        ),
        transformer=InteractiveScene,
    ),
    Fix(
        "GL005", "self-frame-to-camera-frame",
        "GL scenes move the camera through `self.frame`; CE's `MovingCameraScene` exposes it as `self.camera.frame`.",
        "gl",
        (
            Example(
                "from manim import *\n\n\nclass Demo(MovingCameraScene):\n    def construct(self):\n        self.add(Circle())\n        self.play(self.frame.animate.scale(1.5))\n",
                "from manim import *\n\n\nclass Demo(MovingCameraScene):\n    def construct(self):\n        self.add(Circle())\n        self.play(self.camera.frame.animate.scale(1.5))\n",
            ),
        ),
        transformer=SelfFrame,
    ),
    Fix(
        "GL006", "gl-renames",
        "Mechanical GL -> CE renames: `ParametricCurve` -> `ParametricFunction`, `FlashAround` -> `Circumscribe`, `TransformMatchingStrings` -> `TransformMatchingShapes`.",
        "gl",
        (
            Example(
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        c = ParametricCurve(lambda t: np.array([t, t ** 2, 0]), t_range=[-1, 1])\n        self.add(c)\n        self.play(FlashAround(c))\n",
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        c = ParametricFunction(lambda t: np.array([t, t ** 2, 0]), t_range=[-1, 1])\n        self.add(c)\n        self.play(Circumscribe(c))\n",
            ),
        ),
        transformer=rename_names(
            {"ParametricCurve": "ParametricFunction", "FlashAround": "Circumscribe", "TransformMatchingStrings": "TransformMatchingShapes"}
        ),
    ),
    Fix(
        "GL007", "remove-embed",
        "`self.embed()` drops GL into an interactive shell, which has no CE meaning and would block a batch run.",
        "gl",
        (
            Example(
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        self.add(Dot())\n        self.embed()\n",
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        self.add(Dot())\n",
            ),
        ),
        transformer=RemoveEmbed,
    ),
    Fix(
        "GL008", "gl-axes-size-keywords",
        "GL sizes axes with `width=`/`height=`; CE's `Axes` and `NumberPlane` call them `x_length=`/`y_length=` and reject the GL names.",
        "gl",
        (
            Example(
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        self.add(Axes(x_range=[-2, 2, 1], y_range=[0, 4, 1], width=6, height=4))\n",
                "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        self.add(Axes(x_range=[-2, 2, 1], y_range=[0, 4, 1], x_length=6, y_length=4))\n",
            ),
        ),
        transformer=AxesSizeKeywords,
    ),
)  # fmt: skip


FIXES = with_triggers(
    FIXES,
    {
        "GL001": _GL_IMPORT_ROOTS,
        "GL002": ("Tex",),
        "GL003": ("t2c", "isolate"),
        "GL004": ("InteractiveScene", "self.frame"),
        "GL005": ("self.frame",),
        "GL006": ("ParametricCurve", "FlashAround", "TransformMatchingStrings"),
        "GL007": ("embed",),
        "GL008": ("width", "height"),
    },
)
