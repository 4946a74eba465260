"""Colours: CSS colour names Manim never defined, and `colour.Color` -> `ManimColor`.

Why: LLM-written code uses `CYAN`, `NAVY` ... which raise NameError, and since 0.18.0 Manim uses its
own `ManimColor` and no longer installs the `colour` package. Both rewrites keep the colour exact.
"""

from __future__ import annotations

import libcst as cst
from PIL import ImageColor

from builder.fixes.base import Rewriter, dotted_name, positional
from builder.fixes.rewriters import defined_names
from builder.fixes.types import Fix, example

# CSS colour names that Manim CE never defined (LLM-written code uses them); values are the CSS hex codes.
WEB_COLORS = {
    "CYAN": "#00FFFF", "AQUA": "#00FFFF", "BROWN": "#A52A2A", "OLIVE": "#808000", "VIOLET": "#EE82EE",
    "NAVY": "#000080", "NAVY_BLUE": "#000080", "LIME": "#00FF00", "LAVENDER": "#E6E6FA", "MAGENTA": "#FF00FF",
    "FUCHSIA": "#FF00FF", "INDIGO": "#4B0082", "CRIMSON": "#DC143C", "SILVER": "#C0C0C0", "BEIGE": "#F5F5DC",
    "TURQUOISE": "#40E0D0", "CORAL": "#FF7F50", "SALMON": "#FA8072", "KHAKI": "#F0E68C", "TAN": "#D2B48C",
    "CHARTREUSE": "#7FFF00", "SKY_BLUE": "#87CEEB", "LIGHT_BLUE": "#ADD8E6", "LIGHT_GREEN": "#90EE90",
    "DARK_GREEN": "#006400", "DARK_RED": "#8B0000", "FOREST_GREEN": "#228B22", "LIGHT_YELLOW": "#FFFFE0",
    "DARK_ORANGE": "#FF8C00",
}  # fmt: skip


class WebColors(Rewriter):
    """Undefined CSS colour names (`CYAN`, `NAVY`) -> their hex string, which every colour argument accepts."""

    def __init__(self) -> None:
        super().__init__()
        self.local: set[str] = set()
        self._skip: set[int] = set()

    def visit_Module(self, node: cst.Module) -> None:
        self.local = defined_names(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        hex_code = WEB_COLORS.get(original.value)
        if hex_code is None or original.value in self.local or id(original) in self._skip:
            return updated
        self.hit()
        return cst.SimpleString(f'"{hex_code}"')


# --- UPG034: colour.Color -> ManimColor -------------------------------------------------------------

_MANIM_COLOR_IMPORT = cst.ImportFrom(
    module=cst.Name("manim"), names=[cst.ImportAlias(cst.Name("ManimColor"))]
)


def _hex_of(literal: cst.SimpleString) -> cst.SimpleString | None:
    """`colour` reads names as CSS colours (Manim's own `RED` differs), so a name becomes its CSS hex."""
    text = literal.evaluated_value
    if not isinstance(text, str):
        return None
    if text.startswith("#"):
        return literal
    try:
        r, g, b = ImageColor.getrgb(text.strip())[:3]
    except ValueError:
        return None
    return cst.SimpleString(f'"#{r:02X}{g:02X}{b:02X}"')


def _manim_color(call: cst.Call) -> cst.Call | None:
    """`Color(x)`, `Color(hex=)`, `Color(rgb=)`, `Color(hsl=)` -> the ManimColor equivalent, else None."""
    pos = positional(call)
    if len(call.args) != 1 or call.args[0].star:
        return None
    arg = call.args[0]
    key = arg.keyword.value if arg.keyword is not None else None
    value = arg.value
    if key in (None, "hex", "color") and isinstance(value, cst.SimpleString):
        value = _hex_of(value)
        if value is None:
            return None
    if pos or key in ("hex", "color"):
        return cst.Call(cst.Name("ManimColor"), [cst.Arg(value)])
    if key in ("rgb", "hsl"):
        method = cst.Attribute(cst.Name("ManimColor"), cst.Name(f"from_{key}"))
        return cst.Call(method, [cst.Arg(value)])
    return None


class _Refs(cst.CSTVisitor):
    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        self.found = self.found or node.value in self.names

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # `x.Color` is an attribute, not a reference to the name
        return False


class ColourToManimColor(Rewriter):
    """`from colour import Color` / `import colour` users: calls become `ManimColor`, the import is swapped.

    When some use cannot be converted (methods of `colour.Color`, `isinstance` checks, other `colour`
    helpers) the row is excluded as `upgrade:colour-object`, since `colour` is no longer installed.
    """

    def __init__(self) -> None:
        super().__init__()
        self.classes: set[str] = set()  # local names of colour.Color
        self.modules: set[str] = set()  # local names of the colour module

    def visit_Module(self, node: cst.Module) -> None:
        local = defined_names(node)
        for stmt in node.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if (
                    isinstance(small, cst.ImportFrom)
                    and dotted_name(small.module or cst.Name("")) == "colour"
                ):
                    if isinstance(small.names, cst.ImportStar):
                        self.classes.add("Color")
                        continue
                    for alias in small.names:
                        if dotted_name(alias.name) == "Color":
                            self.classes.add(alias.evaluated_alias or "Color")
                elif isinstance(small, cst.Import):
                    for alias in small.names:
                        if dotted_name(alias.name) == "colour":
                            self.modules.add(alias.evaluated_alias or "colour")
        self.classes -= local

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        f = updated.func
        is_color = (isinstance(f, cst.Name) and f.value in self.classes) or (
            isinstance(f, cst.Attribute)
            and f.attr.value == "Color"
            and isinstance(f.value, cst.Name)
            and f.value.value in self.modules
        )
        new = _manim_color(updated) if is_color else None
        if new is None:
            return updated
        self.hit()
        return new

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        if not self.classes or dotted_name(updated.module or cst.Name("")) != "colour":
            return updated
        names = updated.names
        if not isinstance(names, cst.ImportStar) and any(dotted_name(a.name) != "Color" for a in names):
            self.exclude("upgrade:colour-object")  # other `colour` helpers have no Manim counterpart
            return updated
        return _MANIM_COLOR_IMPORT

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.BaseSmallStatement:
        if self.modules and len(updated.names) == 1 and dotted_name(updated.names[0].name) == "colour":
            return _MANIM_COLOR_IMPORT
        return updated

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not (self.classes or self.modules):
            return updated
        refs = _Refs(self.classes | self.modules)
        updated.visit(refs)
        if refs.found:
            self.exclude("upgrade:colour-object")
        return updated


FIXES: tuple[Fix, ...] = (
    Fix(
        "UPG028", "web-color-names-to-hex",
        "CSS colour names that Manim CE never defined (`CYAN`, `NAVY`, `BROWN`, ...) raise NameError; they become the CSS hex string, which every colour argument accepts.",
        "upgrade",
        (example("self.add(Square(color=CYAN), Circle(fill_color=NAVY, fill_opacity=1))", 'self.add(Square(color="#00FFFF"), Circle(fill_color="#000080", fill_opacity=1))'),),
        transformer=WebColors,
        triggers=tuple(WEB_COLORS),
    ),
    Fix(
        "UPG034", "colour-to-manim-color",
        "Since 0.18.0 Manim uses `ManimColor` and no longer installs the `colour` package. `Color(name)` becomes `ManimColor` of the CSS hex (`colour` reads CSS names; Manim's `RED` differs), `hex=`/`rgb=`/`hsl=` map to `ManimColor(...)`/`from_rgb`/`from_hsl`, and the import becomes `from manim import ManimColor`. Any other use of `colour` excludes the row (`upgrade:colour-object`).",
        "upgrade",
        (
            example(
                "self.add(Square(color=Color('red')), Circle(color=Color(hex='#00ff00')), Dot(color=Color(rgb=(0, 0, 1))))",
                "self.add(Square(color=ManimColor(\"#FF0000\")), Circle(color=ManimColor('#00ff00')), Dot(color=ManimColor.from_rgb((0, 0, 1))))",
                head="from colour import Color",
                after_head="from manim import ManimColor",
            ),
            example("self.add(Square(color=colour.Color('orange')))", "self.add(Square(color=ManimColor(\"#FFA500\")))", head="import colour", after_head="from manim import ManimColor"),
        ),
        transformer=ColourToManimColor,
        triggers=("colour",),
        supplies=("Color",),
    ),
)  # fmt: skip
