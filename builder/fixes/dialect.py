"""Which Manim a program was written for: `ce`, `gl`, `gl-legacy`, `mixed` or `unknown`, with evidence.

Why: ManimGL (3Blue1Brown's fork) code fails on Community Edition almost always, and some names mean
different things in the two (GL `Tex` is CE `MathTex`). Imports decide first; names only one dialect
has decide when imports are missing or disagree. The evidence list says why, per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from builder.fixes.base import dotted_name
from builder.guard import parse_cst

# Names (or `self.<attr>` uses) that exist in only one dialect.
GL_ONLY_NAMES = frozenset(
    {
        "InteractiveScene", "TexText", "OldTex", "OldTexText", "GlowDot", "TrueDot", "FlashAround",
        "TransformMatchingStrings", "ParametricCurve", "TeacherStudentsScene", "PiCreatureScene",
        "manim_imports_ext", "VShowPassingFlash", "ShowCreationThenDestructionAround",
    }
)  # fmt: skip
GL_ONLY_SELF_ATTRS = frozenset({"frame", "embed"})
CE_ONLY_NAMES = frozenset(
    {"MathTex", "Create", "MovingCameraScene", "ManimColor", "tempconfig", "Circumscribe", "ArrowVectorField"}
)
_GL_MODULES = ("manimlib", "manim_imports_ext")
_GL_LEGACY_MODULES = ("manimlib.imports", "big_ol_pile_of_manim_imports")


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str  # ce | gl | gl-legacy | mixed | unknown
    evidence: tuple[str, ...]


class _Collector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.imports: list[str] = []
        self.names: set[str] = set()
        self.self_attrs: set[str] = set()

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if name:
                self.imports.append(name)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None and not node.relative:
            name = dotted_name(node.module)
            if name:
                self.imports.append(name)

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            self.self_attrs.add(node.attr.value)


def _import_dialect(module: str) -> str | None:
    if module in _GL_LEGACY_MODULES or module.startswith("manimlib.imports"):
        return "gl-legacy"
    if module.split(".")[0] in _GL_MODULES:
        return "gl"
    if module.split(".")[0] == "manim":
        return "ce"
    return None


def detect(module: cst.Module) -> Dialect:
    """Dialect of a parsed module, from imports first and dialect-only names second."""
    seen = _Collector()
    module.visit(seen)
    evidence: list[str] = []
    by_import: set[str] = set()
    for imp in seen.imports:
        d = _import_dialect(imp)
        if d:
            by_import.add(d)
            evidence.append(f"import:{imp}")
    gl_names = sorted(seen.names & GL_ONLY_NAMES) + sorted(
        f"self.{a}" for a in seen.self_attrs & GL_ONLY_SELF_ATTRS
    )
    ce_names = sorted(seen.names & CE_ONLY_NAMES)
    evidence += [f"gl-name:{n}" for n in gl_names] + [f"ce-name:{n}" for n in ce_names]
    gl_import = by_import & {"gl", "gl-legacy"}
    if "ce" in by_import and gl_import:
        name = "mixed"
    elif gl_import:
        name = "gl-legacy" if "gl-legacy" in gl_import else "gl"
        if ce_names and not gl_names:
            name = "mixed"
    elif "ce" in by_import:
        name = "mixed" if gl_names else "ce"
    elif gl_names and not ce_names:
        name = "gl"
    elif ce_names and not gl_names:
        name = "ce"
    elif gl_names and ce_names:
        name = "mixed"
    else:
        name = "unknown"
    return Dialect(name, tuple(evidence))


def detect_code(code: str) -> Dialect:
    """Like `detect`, for source text; code that does not parse is `unknown`."""
    try:
        return detect(parse_cst(code))
    except (cst.ParserSyntaxError, ValueError):
        return Dialect("unknown", ("unparsable",))
