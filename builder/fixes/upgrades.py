"""Community Edition API upgrades: removed names and changed signatures rewritten mechanically.

Why: Manim CE 0.21+ keeps no deprecated aliases, so code written for older releases fails with a
NameError or TypeError although its intent is clear. Each upgrade below follows one row of the CE
changelog (see /work/shared/CE_API_CHANGES.md) and is one small libcst transformer.
"""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from builder.fixes.base import (
    Rewriter,
    call_name,
    dotted_name,
    keyword,
    kwarg,
    positional,
    with_args,
)
from builder.fixes.graphscene import GraphSceneRewriter
from builder.fixes.registry import Example, Fix, with_triggers
from builder.fixes.rewriters import DropCalls, rename_methods, rename_names, rewrite_calls
from builder.fixes.upgrades_more import FIXES as MORE_FIXES

DIRECTIONS = frozenset({"UP", "DOWN", "LEFT", "RIGHT", "UL", "UR", "DL", "DR", "IN", "OUT"})


def scene(body: str, *, base: str = "Scene", head: str = "") -> str:
    """A one-scene program around `body` (lines of `construct`, 8-space indented in the output)."""
    lines = "\n".join("        " + ln if ln else "" for ln in body.strip("\n").splitlines())
    return f"from manim import *\n{head}\n\nclass Demo({base}):\n    def construct(self):\n{lines}\n"


def _neg(expr: cst.BaseExpression) -> cst.BaseExpression:
    """`-expr`, simplifying `-(-x)` and parenthesising compound expressions."""
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        return expr.expression
    if isinstance(expr, (cst.Name, cst.Attribute, cst.Call, cst.Integer, cst.Float, cst.Subscript)):
        return cst.UnaryOperation(cst.Minus(), expr)
    return cst.UnaryOperation(cst.Minus(), expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]))


def _is_direction(expr: cst.BaseExpression) -> bool:
    """UP, 2 * LEFT, UP + RIGHT, -UP ... (a vector built only from direction constants and numbers)."""
    if isinstance(expr, cst.Name):
        return expr.value in DIRECTIONS
    if isinstance(expr, cst.UnaryOperation):
        return _is_direction(expr.expression)
    if isinstance(expr, cst.BinaryOperation):
        sides = (expr.left, expr.right)
        return any(_is_direction(s) for s in sides) and all(
            _is_direction(s) or isinstance(s, (cst.Integer, cst.Float)) for s in sides
        )
    return False


def _named(name: str) -> cst.Name:
    return cst.Name(name)


# --- call rewriters ---------------------------------------------------------------------------------


def _fade_in_from(call: cst.Call) -> cst.Call | None:
    pos = positional(call)
    if not pos:
        return None
    rest = [a for a in call.args if a is not pos[0] and (len(pos) < 2 or a is not pos[1])]
    direction = _neg(pos[1].value) if len(pos) > 1 else _named("UP")  # old default direction was DOWN
    return with_args(call.with_changes(func=_named("FadeIn")), [pos[0], kwarg("shift", direction), *rest])


def _fade_out_and_shift(call: cst.Call) -> cst.Call | None:
    pos = positional(call)
    if not pos:
        return None
    rest = [a for a in call.args if a is not pos[0] and (len(pos) < 2 or a is not pos[1])]
    direction = pos[1].value if len(pos) > 1 else _named("DOWN")
    return with_args(call.with_changes(func=_named("FadeOut")), [pos[0], kwarg("shift", direction), *rest])


def _fade_shift_fixed(new: str, direction: str):
    def fn(call: cst.Call) -> cst.Call | None:
        pos = positional(call)
        if len(pos) != 1:
            return None
        rest = [a for a in call.args if a is not pos[0]]
        return with_args(
            call.with_changes(func=_named(new)), [pos[0], kwarg("shift", _named(direction)), *rest]
        )

    return fn


def _fade_variants(call: cst.Call) -> cst.Call | None:
    name = call.func.value if isinstance(call.func, cst.Name) else ""
    pos = positional(call)
    if name in ("VFadeIn", "VFadeOut"):
        return call.with_changes(func=_named(name[1:]))
    if not pos:
        return None
    rest = [a for a in call.args if a is not pos[0] and (len(pos) < 2 or a is not pos[1])]
    if name == "FadeInFromLarge":
        factor = pos[1].value if len(pos) > 1 else cst.Integer("2")
        return with_args(call.with_changes(func=_named("FadeIn")), [pos[0], kwarg("scale", factor), *rest])
    if len(pos) < 2:
        return None
    if name == "FadeInFromPoint":
        args = [pos[0], kwarg("target_position", pos[1].value), *rest]
        return with_args(call.with_changes(func=_named("FadeIn")), args)
    if name == "FadeOutToPoint":
        args = [pos[0], kwarg("target_position", pos[1].value), *rest]
        return with_args(call.with_changes(func=_named("FadeOut")), args)
    return None


def _fade_direction_positional(call: cst.Call) -> cst.Call | None:
    pos = positional(call)
    if len(pos) != 2 or keyword(call, "shift") is not None or not _is_direction(pos[1].value):
        return None
    args = [pos[0] if a is pos[0] else kwarg("shift", pos[1].value) if a is pos[1] else a for a in call.args]
    return with_args(call, args)


def _to_circumscribe(call: cst.Call) -> cst.Call | None:
    name = call.func.value if isinstance(call.func, cst.Name) else ""
    args = list(call.args)
    if name == "CircleIndicate" and keyword(call, "shape") is None:
        args.append(kwarg("shape", _named("Circle")))
    if name == "ShowCreationThenFadeAround" and keyword(call, "fade_out") is None:
        args.append(kwarg("fade_out", _named("True")))
    return with_args(call.with_changes(func=_named("Circumscribe")), args)


def _creation_then_destruction(call: cst.Call) -> cst.Call | None:
    args = list(call.args)
    if keyword(call, "time_width") is None:
        args.append(kwarg("time_width", cst.Float("0.5")))
    return with_args(call.with_changes(func=_named("ShowPassingFlash")), args)


def _creation_then_fade_out(call: cst.Call) -> cst.Call | None:
    pos = positional(call)
    if len(pos) != 1 or dotted_name(pos[0].value) is None:
        return None  # the mobject is used twice: only safe for a plain name
    rest = [a for a in call.args if a is not pos[0]]
    create = cst.Call(_named("Create"), [pos[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    fade = cst.Call(_named("FadeOut"), [cst.Arg(pos[0].value)])
    return with_args(cst.Call(_named("Succession")), [cst.Arg(create), cst.Arg(fade), *rest])


def _small_dot(call: cst.Call) -> cst.Call | None:
    args = list(call.args)
    if keyword(call, "radius") is None:
        args.append(kwarg("radius", _named("DEFAULT_SMALL_DOT_RADIUS")))
    return with_args(call.with_changes(func=_named("Dot")), args)


def _get_norm(call: cst.Call) -> cst.Call | None:
    return call.with_changes(func=cst.parse_expression("np.linalg.norm"))


_RANGE_KEYS = {
    "x": ("x_min", "x_max", "delta_x"),
    "y": ("y_min", "y_max", "delta_y"),
    "t": ("t_min", "t_max", None),
}


def _ranges(call: cst.Call) -> cst.Call | None:
    """`x_min=a, x_max=b[, delta_x=s]` -> `x_range=[a, b(, s)]` (only when both bounds are given)."""
    args = list(call.args)
    changed = False
    for axis, (lo, hi, step) in _RANGE_KEYS.items():
        a, b = keyword(call, lo), keyword(call, hi)
        if a is None or b is None or keyword(call, f"{axis}_range") is not None:
            continue
        s = keyword(call, step) if step else None
        items = [a.value, b.value] + ([s.value] if s else [])
        lst = cst.List([cst.Element(v) for v in items])
        idx = args.index(a)
        args = [x for x in args if x not in (a, b, s)]
        args.insert(min(idx, len(args)), kwarg(f"{axis}_range", lst))
        changed = True
    return with_args(call, args) if changed else None


def _parametric_surface(call: cst.Call) -> cst.Call | None:
    args = list(call.args)
    for axis in ("u", "v"):
        a, b = keyword(call, f"{axis}_min"), keyword(call, f"{axis}_max")
        if (a is None) != (b is None):
            return None
        if a is not None and b is not None:
            lst = cst.List([cst.Element(a.value), cst.Element(b.value)])
            idx = args.index(a)
            args = [x for x in args if x not in (a, b)]
            args.insert(min(idx, len(args)), kwarg(f"{axis}_range", lst))
    return with_args(call.with_changes(func=_named("Surface")), args)


_CODE_KEYWORDS = {
    "file_name": "code_file",
    "code": "code_string",
    "style": "formatter_style",
    "insert_line_no": "add_line_numbers",
}
_CODE_DROPPED = {"font", "background_stroke_width", "background_stroke_color", "corner_radius", "margin"}


def _code_keywords(call: cst.Call) -> cst.Call | None:
    if not any(
        a.keyword is not None and a.keyword.value in {**_CODE_KEYWORDS, **dict.fromkeys(_CODE_DROPPED)}
        for a in call.args
    ):
        return None
    args = []
    for a in call.args:
        key = a.keyword.value if a.keyword is not None else None
        if key in _CODE_DROPPED:
            continue
        if key in _CODE_KEYWORDS:
            a = a.with_changes(keyword=cst.Name(_CODE_KEYWORDS[key]))
        args.append(a)
    return with_args(call, args)


_COLOR_HINTS = ("color", "COLOR")


def _looks_color(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.SimpleString):
        return expr.value.strip("'\"").startswith("#") or expr.value.strip("'\"").isalpha()
    name = dotted_name(expr)
    return name is not None and name.split(".")[-1].isupper() and name.split(".")[-1] not in DIRECTIONS


def _surrounding_positional(call: cst.Call) -> cst.Call | None:
    """`SurroundingRectangle(m, RED, 0.3)` -> `SurroundingRectangle(m, color=RED, buff=0.3)`."""
    pos = positional(call)
    if len(pos) < 2 or not _looks_color(pos[1].value):
        return None
    mapping = {id(pos[1]): kwarg("color", pos[1].value)}
    if len(pos) > 2 and isinstance(pos[2].value, (cst.Integer, cst.Float)):
        mapping[id(pos[2])] = kwarg("buff", pos[2].value)
    elif len(pos) > 2:
        return None
    args = [mapping.get(id(a), a) for a in call.args]
    kw = [a for a in args if a.keyword is not None]
    return with_args(call, [a for a in args if a.keyword is None] + kw)


# --- transformers that need more than one call -------------------------------------------------------

_MOBJECT_METHODS = frozenset(
    {
        "shift", "move_to", "scale", "rotate", "set_color", "next_to", "to_edge", "to_corner", "set_fill",
        "set_stroke", "flip", "stretch", "set_width", "set_height", "become", "arrange", "fade",
        "set_opacity", "match_color", "center", "align_to", "set_x", "set_y", "set_z", "set_value",
        "increment_value", "set_color_by_gradient", "stretch_to_fit_width", "stretch_to_fit_height",
        "match_height", "match_width", "set_coord", "rotate_about_origin", "put_start_and_end_on",
    }
)  # fmt: skip


class MethodAsAnimation(Rewriter):
    """`self.play(m.shift, LEFT, run_time=2)` -> `self.play(m.animate.shift(LEFT), run_time=2)`."""

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if dotted_name(updated.func) != "self.play":
            return updated
        args = list(updated.args)
        out: list[cst.Arg] = []
        i = 0
        changed = False
        while i < len(args):
            a = args[i]
            v = a.value
            if (
                a.keyword is None
                and not a.star
                and isinstance(v, cst.Attribute)
                and v.attr.value in _MOBJECT_METHODS
                and not (isinstance(v.value, cst.Name) and v.value.value == "self")
            ):
                j = i + 1
                while (
                    j < len(args)
                    and args[j].keyword is None
                    and not args[j].star
                    and not _starts_animation(args[j].value)
                ):
                    j += 1
                method_args = [b.with_changes(comma=cst.MaybeSentinel.DEFAULT) for b in args[i + 1 : j]]
                animate = cst.Attribute(v.value, cst.Name("animate"))
                call = with_args(cst.Call(cst.Attribute(animate, v.attr)), method_args)
                out.append(a.with_changes(value=call))
                changed = True
                i = j
                continue
            out.append(a)
            i += 1
        if not changed:
            return updated
        self.hit()
        return with_args(updated, out)


def _starts_animation(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value[:1].isupper():
        return True
    if isinstance(expr, cst.Attribute) and expr.attr.value in _MOBJECT_METHODS:
        return True
    return _mentions_animate(expr)


def _mentions_animate(node: cst.BaseExpression) -> bool:
    """True for `m.animate.shift(...)...`: walks the call/attribute chain."""
    while isinstance(node, (cst.Call, cst.Attribute)):
        if isinstance(node, cst.Attribute) and node.attr.value == "animate":
            return True
        node = node.func if isinstance(node, cst.Call) else node.value
    return False


class ConfigToAttributes(DropCalls):
    """Class-level `CONFIG = {"k": v}` -> class attributes `k = v`; `digest_config(...)` calls removed."""

    CALLS = frozenset({"digest_config"})

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        body = updated.body
        if not isinstance(body, cst.IndentedBlock):
            return updated
        new_body: list[cst.BaseStatement] = []
        changed = False
        for stmt in body.body:
            attrs = _config_attrs(stmt)
            if attrs is None:
                new_body.append(stmt)
                continue
            new_body.extend(attrs)
            changed = True
        if not changed:
            return updated
        self.hit()
        if not new_body:
            new_body = [cst.SimpleStatementLine([cst.Pass()])]
        return updated.with_changes(body=body.with_changes(body=new_body))


def _config_attrs(stmt: cst.BaseStatement) -> list[cst.BaseStatement] | None:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    if not (isinstance(target, cst.Name) and target.value == "CONFIG" and isinstance(assign.value, cst.Dict)):
        return None
    out: list[cst.BaseStatement] = []
    for el in assign.value.elements:
        if not isinstance(el, cst.DictElement) or not isinstance(el.key, cst.SimpleString):
            return None
        key = el.key.evaluated_value
        if not isinstance(key, str) or not key.isidentifier():
            return None
        out.append(cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(key))], el.value)]))
    return out


class CameraFrame(Rewriter):
    """`self.camera_frame` (removed) -> `self.camera.frame`."""

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if (
            isinstance(updated.value, cst.Name)
            and updated.value.value == "self"
            and updated.attr.value == "camera_frame"
        ):
            self.hit()
            return cst.parse_expression("self.camera.frame")
        return updated


class InPlaceMethods(Rewriter):
    """`rotate_in_place(a)` -> `rotate(a)`, `scale_in_place(s)` -> `scale(s)`, `scale_about_point(s, p)` -> `scale(s, about_point=p)`."""

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        f = updated.func
        if not isinstance(f, cst.Attribute):
            return updated
        name = f.attr.value
        if name in ("rotate_in_place", "scale_in_place"):
            self.hit()
            return updated.with_changes(func=f.with_changes(attr=cst.Name(name.split("_")[0])))
        if name == "scale_about_point":
            pos = positional(updated)
            if len(pos) != 2:
                return updated
            self.hit()
            args = [pos[0], kwarg("about_point", pos[1].value)]
            return with_args(updated.with_changes(func=f.with_changes(attr=cst.Name("scale"))), args)
        return updated


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
        from builder.fixes.rewriters import defined_names

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


_POINT_CALLS = frozenset(
    {
        "Polygon",
        "Polyline",
        "Dot",
        "Line",
        "Arrow",
        "DashedLine",
        "DoubleArrow",
        "CurvedArrow",
        "ArcBetweenPoints",
        "Dot3D",
    }
)
_POINT_METHODS = frozenset({"move_to", "shift", "put_start_and_end_on"})
_POINT_KEYWORDS = frozenset({"point", "start", "end", "arc_center", "about_point"})


def _is_number(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, (cst.Integer, cst.Float)):
        return True
    if isinstance(expr, cst.UnaryOperation):
        return _is_number(expr.expression)
    if isinstance(expr, cst.BinaryOperation):
        return _is_number(expr.left) and _is_number(expr.right)
    return False


def _point_3d(expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """`(x, y)` / `[x, y]` of numbers -> `(x, y, 0)`; anything else -> None."""
    if not isinstance(expr, (cst.Tuple, cst.List)) or len(expr.elements) != 2:
        return None
    if not all(isinstance(e, cst.Element) and _is_number(e.value) for e in expr.elements):
        return None
    first, second = expr.elements
    elements = [
        first.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
        second.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
        cst.Element(cst.Integer("0")),
    ]
    return expr.with_changes(elements=elements)


class PointsTo3D(Rewriter):
    """2-D point literals passed where Manim expects a 3-D point get a zero z: `Dot((1, 2))` -> `Dot((1, 2, 0))`."""

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        f = updated.func
        takes_points = (isinstance(f, cst.Name) and f.value in _POINT_CALLS) or (
            isinstance(f, cst.Attribute) and f.attr.value in _POINT_METHODS
        )
        args = []
        changed = False
        for a in updated.args:
            eligible = (a.keyword is None and takes_points) or (
                a.keyword is not None and a.keyword.value in _POINT_KEYWORDS
            )
            new = _point_3d(a.value) if eligible and not a.star else None
            if new is not None:
                a = a.with_changes(value=new)
                changed = True
            args.append(a)
        if not changed:
            return updated
        self.hit()
        return updated.with_changes(args=args)


class KeywordRenames(Rewriter):
    """Renamed (or removed, when mapped to None) keywords of a few calls, matched by the called name."""

    TABLE: dict[str, dict[str, str | None]] = {
        "DashedLine": {"positive_space_ratio": "dashed_ratio", "dash_spacing": None},
        "set_camera_orientation": {"distance": "focal_distance"},
        "move_camera": {"distance": "focal_distance"},
        "ThreeDCamera": {"distance": "focal_distance"},
    }

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        table = self.TABLE.get(call_name(updated) or "")
        if not table or not any(a.keyword is not None and a.keyword.value in table for a in updated.args):
            return updated
        args = []
        for a in updated.args:
            key = a.keyword.value if a.keyword is not None else None
            if key in table:
                new = table[key]
                if new is None:
                    continue
                a = a.with_changes(keyword=cst.Name(new))
            args.append(a)
        self.hit()
        return with_args(updated, args)


def _sector(call: cst.Call) -> cst.Call | None:
    """`Sector(outer_radius=r)` -> `Sector(radius=r)`; with a non-zero inner radius -> `AnnularSector`."""
    inner, outer = keyword(call, "inner_radius"), keyword(call, "outer_radius")
    if inner is None and outer is None:
        return None
    hollow = inner is not None and not (isinstance(inner.value, cst.Integer) and inner.value.value == "0")
    if hollow:
        return call.with_changes(func=cst.Name("AnnularSector"))
    args = [kwarg("radius", a.value) if a is outer else a for a in call.args if a is not inner]
    return with_args(call, args)


# --- the catalogue ---------------------------------------------------------------------------------


def _ex(before_body: str, after_body: str, **kw: str) -> Example:
    return Example(scene(before_body, **kw), scene(after_body, **kw))


FIXES: tuple[Fix, ...] = (
    Fix(
        "UPG001", "show-creation-to-create",
        "`ShowCreation` was renamed `Create` (removed in 0.7.0).",
        "upgrade",
        (_ex("self.play(ShowCreation(Circle()))", "self.play(Create(Circle()))"),),
        transformer=rename_names({"ShowCreation": "Create"}),
    ),
    Fix(
        "UPG002", "textmobject-to-tex",
        "`TextMobject` (LaTeX text mode) became `Tex` (removed in 0.6.0).",
        "upgrade",
        (_ex("self.add(TextMobject('Area'))", "self.add(Tex('Area'))"),),
        transformer=rename_names({"TextMobject": "Tex"}),
    ),
    Fix(
        "UPG003", "texmobject-to-mathtex",
        "`TexMobject` (LaTeX math mode) became `MathTex` (removed in 0.6.0).",
        "upgrade",
        (_ex("self.add(TexMobject('x^2'))", "self.add(MathTex('x^2'))"),),
        transformer=rename_names({"TexMobject": "MathTex"}),
    ),
    Fix(
        "UPG004", "pango-cairo-text-to-text",
        "`PangoText` and `CairoText` were merged into `Text`.",
        "upgrade",
        (_ex("self.add(PangoText('hi'))", "self.add(Text('hi'))"),),
        transformer=rename_names({"PangoText": "Text", "CairoText": "Text"}),
    ),
    Fix(
        "UPG005", "fade-in-from-down-to-shift",
        "`FadeInFromDown(m)` and `FadeOutAndShiftDown(m)` became `FadeIn(m, shift=UP)` and `FadeOut(m, shift=DOWN)`.",
        "upgrade",
        (
            _ex(
                "d = Dot()\nself.play(FadeInFromDown(d))\nself.play(FadeOutAndShiftDown(d))",
                "d = Dot()\nself.play(FadeIn(d, shift=UP))\nself.play(FadeOut(d, shift=DOWN))",
            ),
        ),
        transformer=lambda: _multi(
            {
                "FadeInFromDown": _fade_shift_fixed("FadeIn", "UP"),
                "FadeOutAndShiftDown": _fade_shift_fixed("FadeOut", "DOWN"),
            }
        ),
    ),
    Fix(
        "UPG006", "fade-in-from-to-shift",
        "`FadeInFrom(m, d)` moved in *from* `d`; `FadeIn(m, shift=...)` moves *along* the vector, so the sign flips: `shift=-d`.",
        "upgrade",
        (_ex("self.play(FadeInFrom(Square(), LEFT))", "self.play(FadeIn(Square(), shift=-LEFT))"),),
        transformer=rewrite_calls({"FadeInFrom"}, _fade_in_from),
    ),
    Fix(
        "UPG007", "fade-out-and-shift-to-shift",
        "`FadeOutAndShift(m, d)` became `FadeOut(m, shift=d)` (same direction).",
        "upgrade",
        (_ex("s = Square()\nself.add(s)\nself.play(FadeOutAndShift(s, UP))", "s = Square()\nself.add(s)\nself.play(FadeOut(s, shift=UP))"),),
        transformer=rewrite_calls({"FadeOutAndShift"}, _fade_out_and_shift),
    ),
    Fix(
        "UPG008", "fade-variants",
        "`FadeInFromLarge(m, s)`, `FadeInFromPoint(m, p)`, `FadeOutToPoint(m, p)`, `VFadeIn`, `VFadeOut` were folded into `FadeIn`/`FadeOut` keywords.",
        "upgrade",
        (
            _ex(
                "s = Square()\nself.play(FadeInFromLarge(s, 3))\nself.play(FadeOutToPoint(s, UP))",
                "s = Square()\nself.play(FadeIn(s, scale=3))\nself.play(FadeOut(s, target_position=UP))",
            ),
            _ex("self.play(VFadeIn(Circle()))", "self.play(FadeIn(Circle()))"),
        ),
        transformer=lambda: _multi(
            dict.fromkeys(("FadeInFromLarge", "FadeInFromPoint", "FadeOutToPoint", "VFadeIn", "VFadeOut"), _fade_variants)
        ),
    ),
    Fix(
        "UPG009", "indications-to-circumscribe",
        "`CircleIndicate`, `ShowPassingFlashAround`, `ShowCreationThenDestructionAround`, `ShowCreationThenFadeAround` and `AnimationOnSurroundingRectangle` became `Circumscribe`.",
        "upgrade",
        (_ex("c = Circle()\nself.add(c)\nself.play(CircleIndicate(c))", "c = Circle()\nself.add(c)\nself.play(Circumscribe(c, shape=Circle))"),),
        transformer=rewrite_calls(
            {
                "CircleIndicate", "ShowPassingFlashAround", "ShowCreationThenDestructionAround",
                "ShowCreationThenFadeAround", "AnimationOnSurroundingRectangle",
            },  # fmt: skip
            _to_circumscribe,
        ),
    ),
    Fix(
        "UPG010", "wiggle-out-then-in-to-wiggle",
        "`WiggleOutThenIn` was renamed `Wiggle`.",
        "upgrade",
        (_ex("s = Square()\nself.add(s)\nself.play(WiggleOutThenIn(s))", "s = Square()\nself.add(s)\nself.play(Wiggle(s))"),),
        transformer=rename_names({"WiggleOutThenIn": "Wiggle"}),
    ),
    Fix(
        "UPG011", "creation-then-destruction-to-passing-flash",
        "`ShowCreationThenDestruction(m)` became `ShowPassingFlash(m, time_width=...)`.",
        "upgrade",
        (_ex("self.play(ShowCreationThenDestruction(Line(LEFT, RIGHT)))", "self.play(ShowPassingFlash(Line(LEFT, RIGHT), time_width=0.5))"),),
        transformer=rewrite_calls({"ShowCreationThenDestruction"}, _creation_then_destruction),
    ),
    Fix(
        "UPG012", "creation-then-fade-out-to-succession",
        "`ShowCreationThenFadeOut(m)` was removed in 0.18.1; `Succession(Create(m), FadeOut(m))` does the same.",
        "upgrade",
        (_ex("s = Square()\nself.play(ShowCreationThenFadeOut(s))", "s = Square()\nself.play(Succession(Create(s), FadeOut(s)))"),),
        transformer=rewrite_calls({"ShowCreationThenFadeOut"}, _creation_then_fade_out),
    ),
    Fix(
        "UPG013", "small-dot-to-dot",
        "`SmallDot` was removed in 0.6.0; a `Dot` with the small radius is the same object.",
        "upgrade",
        (_ex("self.add(SmallDot(color=RED))", "self.add(Dot(color=RED, radius=DEFAULT_SMALL_DOT_RADIUS))"),),
        transformer=rewrite_calls({"SmallDot"}, _small_dot),
    ),
    Fix(
        "UPG014", "get-graph-to-plot",
        "Axes' `get_graph` and relatives were renamed `plot`, `plot_derivative_graph`, ... (removed in 0.14.0).",
        "upgrade",
        (_ex("ax = Axes()\nself.add(ax, ax.get_graph(lambda x: x / 2))", "ax = Axes()\nself.add(ax, ax.plot(lambda x: x / 2))"),),
        transformer=rename_methods(
            {
                "get_graph": "plot",
                "get_derivative_graph": "plot_derivative_graph",
                "get_implicit_curve": "plot_implicit_curve",
                "get_line_graph": "plot_line_graph",
                "get_parametric_curve": "plot_parametric_curve",
            }
        ),
    ),
    Fix(
        "UPG015", "min-max-to-range",
        "`x_min`/`x_max`/`delta_x` (and `y_`, `t_`) keywords became `x_range=[min, max, step]` (removed in 0.12.0).",
        "upgrade",
        (
            _ex(
                "ax = Axes(x_min=-2, x_max=4, y_min=-1, y_max=3)\nself.add(ax, ax.plot(lambda x: x, x_min=0, x_max=2))",
                "ax = Axes(x_range=[-2, 4], y_range=[-1, 3])\nself.add(ax, ax.plot(lambda x: x, x_range=[0, 2]))",
            ),
        ),
        transformer=lambda: _AnyCall(_ranges),
    ),
    Fix(
        "UPG016", "parametric-surface-to-surface",
        "`ParametricSurface(f, u_min=, u_max=, v_min=, v_max=)` became `Surface(f, u_range=, v_range=)` (removed in 0.11.0).",
        "upgrade",
        (
            _ex(
                "self.add(ParametricSurface(lambda u, v: np.array([u, v, 0]), u_min=-1, u_max=1, v_min=-1, v_max=1, resolution=4))",
                "self.add(Surface(lambda u, v: np.array([u, v, 0]), u_range=[-1, 1], v_range=[-1, 1], resolution=4))",
                base="ThreeDScene",
            ),
        ),
        transformer=rewrite_calls({"ParametricSurface"}, _parametric_surface),
    ),
    Fix(
        "UPG017", "in-place-methods",
        "`rotate_in_place`, `scale_in_place` and `scale_about_point` were removed in 0.13.0; `rotate`/`scale` already act in place.",
        "upgrade",
        (_ex("s = Square()\ns.rotate_in_place(PI / 4)\ns.scale_about_point(2, ORIGIN)\nself.add(s)", "s = Square()\ns.rotate(PI / 4)\ns.scale(2, about_point=ORIGIN)\nself.add(s)"),),
        transformer=InPlaceMethods,
    ),
    Fix(
        "UPG018", "camera-frame-attribute",
        "`MovingCameraScene.camera_frame` was removed in 0.4.0; the frame is `self.camera.frame`.",
        "upgrade",
        (_ex("self.play(self.camera_frame.animate.scale(0.5))", "self.play(self.camera.frame.animate.scale(0.5))", base="MovingCameraScene"),),
        transformer=CameraFrame,
    ),
    Fix(
        "UPG019", "get-norm-to-numpy",
        "The utility `get_norm` was removed in 0.9.0; `np.linalg.norm` computes the same.",
        "upgrade",
        (_ex("self.add(Circle(radius=get_norm(UP + RIGHT)))", "self.add(Circle(radius=np.linalg.norm(UP + RIGHT)))"),),
        transformer=rewrite_calls({"get_norm"}, _get_norm),
    ),
    Fix(
        "UPG020", "tabular-to-table",
        "`Tabular` was renamed `Table` in 0.9.0.",
        "upgrade",
        (_ex("self.add(Tabular([['1', '2']]))", "self.add(Table([['1', '2']]))"),),
        transformer=rename_names({"Tabular": "Table"}),
    ),
    Fix(
        "UPG021", "surrounding-rectangle-keywords",
        "Since 0.19.0 `SurroundingRectangle(*mobjects, color=, buff=)` takes several mobjects, so a positional colour and buffer must become keywords.",
        "upgrade",
        (_ex("t = Text('A')\nself.add(t, SurroundingRectangle(t, RED, 0.3))", "t = Text('A')\nself.add(t, SurroundingRectangle(t, color=RED, buff=0.3))"),),
        transformer=rewrite_calls({"SurroundingRectangle"}, _surrounding_positional),
    ),
    Fix(
        "UPG022", "code-keywords",
        "`Code(file_name=, code=, style=, insert_line_no=)` became `Code(code_file=, code_string=, formatter_style=, add_line_numbers=)` in 0.19.0; styling keywords that no longer exist are dropped.",
        "upgrade",
        (
            _ex(
                "self.add(Code(code='x = 1', language='python', style='monokai', insert_line_no=False, font='Monospace'))",
                "self.add(Code(code_string='x = 1', language='python', formatter_style='monokai', add_line_numbers=False))",
            ),
        ),
        transformer=rewrite_calls({"Code"}, _code_keywords),
    ),
    Fix(
        "UPG023", "method-as-animation-to-animate",
        "Passing a bound method and its arguments to `play` was removed in 0.2.0; `mob.animate.method(args)` is the replacement.",
        "upgrade",
        (_ex("s = Square()\nself.add(s)\nself.play(s.shift, LEFT, s.set_color, RED, run_time=0.5)", "s = Square()\nself.add(s)\nself.play(s.animate.shift(LEFT), s.animate.set_color(RED), run_time=0.5)"),),
        transformer=MethodAsAnimation,
    ),
    Fix(
        "UPG024", "config-dict-to-attributes",
        "Class-level `CONFIG` dicts and `digest_config` were removed in 0.2.0; the keys become class attributes, so `self.key` reads still work.",
        "upgrade",
        (
            Example(
                "from manim import *\n\n\nclass Demo(Scene):\n    CONFIG = {\"radius\": 2, \"tint\": BLUE}\n\n    def construct(self):\n        self.add(Circle(radius=self.radius, color=self.tint))\n",
                "from manim import *\n\n\nclass Demo(Scene):\n    radius = 2\n    tint = BLUE\n\n    def construct(self):\n        self.add(Circle(radius=self.radius, color=self.tint))\n",
            ),
        ),
        transformer=ConfigToAttributes,
    ),
    Fix(
        "UPG025", "fade-direction-to-shift",
        "Old `FadeIn(m, UP)`/`FadeOut(m, DOWN)` took the direction positionally; now every positional argument is a mobject, so it becomes `shift=`.",
        "upgrade",
        (_ex("self.play(FadeIn(Square(), 2 * UP))", "self.play(FadeIn(Square(), shift=2 * UP))"),),
        transformer=rewrite_calls({"FadeIn", "FadeOut"}, _fade_direction_positional),
    ),
    Fix(
        "UPG026", "graph-scene-to-axes",
        "`GraphScene` was removed in 0.10.0. When its use is mechanical (`setup_axes`, `coords_to_point`, `get_graph` and friends on the default axes) the scene becomes a `Scene` with `self.axes = Axes(...)` built from the same ranges; other uses exclude the row with reason `upgrade:graph-scene`.",
        "upgrade",
        (
            Example(
                "from manim import *\n\n\nclass Demo(GraphScene):\n    x_min = 0\n    x_max = 4\n    y_min = 0\n    y_max = 8\n\n    def construct(self):\n        self.setup_axes()\n        curve = self.get_graph(lambda x: x ** 2 / 2, color=GREEN)\n        self.play(Create(curve))\n        self.add(Dot(self.coords_to_point(2, 2)))\n",
                "from manim import *\n\n\nclass Demo(Scene):\n    x_min = 0\n    x_max = 4\n    y_min = 0\n    y_max = 8\n\n    def construct(self):\n        self.axes = Axes(x_range=[self.x_min, self.x_max, 1], y_range=[self.y_min, self.y_max, 1], x_length=9, y_length=6)\n        self.axes.shift(2.5 * DOWN + 4 * LEFT - self.axes.c2p(0, 0))\n        self.add(self.axes)\n        curve = self.axes.plot(lambda x: x ** 2 / 2, color=GREEN)\n        self.play(Create(curve))\n        self.add(Dot(self.axes.coords_to_point(2, 2)))\n",
            ),
        ),
        transformer=GraphSceneRewriter,
    ),
    Fix(
        "UPG027", "points-2d-to-3d",
        "Manim points are 3-D arrays; a 2-D literal such as `Dot((1, 2))` or `m.move_to([0, 2])` fails with a numpy broadcast error. The literal gets a zero z-coordinate.",
        "upgrade",
        (_ex("self.add(Polygon((-1, 0), (1, 0), (0, 2)), Dot([1, 1]).move_to((0, 2)))", "self.add(Polygon((-1, 0, 0), (1, 0, 0), (0, 2, 0)), Dot([1, 1, 0]).move_to((0, 2, 0)))"),),
        transformer=PointsTo3D,
    ),
    Fix(
        "UPG028", "web-color-names-to-hex",
        "CSS colour names that Manim CE never defined (`CYAN`, `NAVY`, `BROWN`, ...) raise NameError; they become the CSS hex string, which every colour argument accepts.",
        "upgrade",
        (_ex("self.add(Square(color=CYAN), Circle(fill_color=NAVY, fill_opacity=1))", 'self.add(Square(color="#00FFFF"), Circle(fill_color="#000080", fill_opacity=1))'),),
        transformer=WebColors,
    ),
    Fix(
        "UPG029", "sector-radius-keywords",
        "Since 0.19.0 `Sector` takes `radius=`; `outer_radius=` becomes `radius=`, and a sector with a non-zero `inner_radius` is an `AnnularSector`, which keeps both keywords.",
        "upgrade",
        (_ex("self.add(Sector(outer_radius=2, angle=PI / 3), Sector(inner_radius=1, outer_radius=2))", "self.add(Sector(radius=2, angle=PI / 3), AnnularSector(inner_radius=1, outer_radius=2))"),),
        transformer=rewrite_calls({"Sector"}, _sector),
    ),
    Fix(
        "UPG030", "renamed-keywords",
        "Keywords renamed in 0.13.0: `DashedLine(positive_space_ratio=)` -> `dashed_ratio=` (`dash_spacing=` dropped), camera `distance=` -> `focal_distance=`.",
        "upgrade",
        (_ex("self.set_camera_orientation(phi=60 * DEGREES, distance=8)\nself.add(DashedLine(LEFT, RIGHT, positive_space_ratio=0.3, dash_spacing=0.1))", "self.set_camera_orientation(phi=60 * DEGREES, focal_distance=8)\nself.add(DashedLine(LEFT, RIGHT, dashed_ratio=0.3))", base="ThreeDScene"),),
        transformer=KeywordRenames,
    ),
)  # fmt: skip


class _AnyCall(Rewriter):
    """Apply a call rewriter to every call (keyword upgrades that apply to many constructors)."""

    def __init__(self, fn) -> None:
        super().__init__()
        self.fn = fn

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        new = self.fn(updated)
        if new is None:
            return updated
        self.hit()
        return new


def _multi(table: dict) -> Rewriter:
    from builder.fixes.rewriters import RewriteCalls

    class _Multi(RewriteCalls):
        def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
            if isinstance(updated.func, cst.Name) and updated.func.value in self.names:
                new = table[updated.func.value](updated)
                if new is not None:
                    self.hit()
                    return new
            return updated

    return _Multi(frozenset(table), lambda c: None)


FIXES = (
    with_triggers(
        FIXES,
        {
            "UPG001": ("ShowCreation",),
            "UPG002": ("TextMobject",),
            "UPG003": ("TexMobject",),
            "UPG004": ("PangoText", "CairoText"),
            "UPG005": ("FadeInFromDown", "FadeOutAndShiftDown"),
            "UPG006": ("FadeInFrom",),
            "UPG007": ("FadeOutAndShift",),
            "UPG008": ("FadeInFromLarge", "FadeInFromPoint", "FadeOutToPoint", "VFadeIn", "VFadeOut"),
            "UPG009": ("CircleIndicate", "Around", "AnimationOnSurroundingRectangle"),
            "UPG010": ("WiggleOutThenIn",),
            "UPG011": ("ShowCreationThenDestruction",),
            "UPG012": ("ShowCreationThenFadeOut",),
            "UPG013": ("SmallDot",),
            "UPG014": ("get_",),
            "UPG015": ("_min", "_max"),
            "UPG016": ("ParametricSurface",),
            "UPG017": ("_in_place", "scale_about_point"),
            "UPG018": ("camera_frame",),
            "UPG019": ("get_norm",),
            "UPG020": ("Tabular",),
            "UPG021": ("SurroundingRectangle",),
            "UPG022": ("Code(",),
            "UPG023": ("play(",),
            "UPG024": ("CONFIG", "digest_config"),
            "UPG025": ("FadeIn", "FadeOut"),
            "UPG026": ("GraphScene",),
            "UPG027": ("(", "["),
            "UPG028": tuple(WEB_COLORS),
            "UPG029": ("Sector",),
            "UPG030": ("DashedLine", "distance"),
        },
    )
    + MORE_FIXES
)


# Sharper pre-filters for fixes whose trigger substrings are in almost every program (text searches to
# skip a libcst pass, never to rewrite): a method passed uncalled to play(...); a 2-number point literal.
_UNCALLED_METHOD = re.compile(r"\.(?:" + "|".join(sorted(_MOBJECT_METHODS)) + r")\s*[,)]")
_NUMBER = r"[-+]?\s*\.?\d[\w.]*(?:\s*[-+*/]\s*\.?\d[\w.]*)*"
_POINT_2D = re.compile(r"[\(\[]\s*" + _NUMBER + r"\s*,\s*" + _NUMBER + r"\s*,?\s*[\)\]]")
_PRECHECKS = {"UPG023": _UNCALLED_METHOD.search, "UPG027": _POINT_2D.search}
FIXES = tuple(replace(f, precheck=_PRECHECKS[f.code]) if f.code in _PRECHECKS else f for f in FIXES)
