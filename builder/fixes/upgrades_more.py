"""More Community Edition upgrades: vector fields, Typst, number-label sizes, `colour.Color`, camera distance.

Why: each follows one row of /work/shared/CE_API_CHANGES.md that fails on manim 0.22 with a NameError,
TypeError or ModuleNotFoundError although the intent is mechanical. Kept apart from upgrades.py only to
keep each module small; upgrades.py appends these to its catalogue.
"""

from __future__ import annotations

import libcst as cst
from PIL import ImageColor

from builder.fixes.base import Rewriter, call_name, dotted_name, keyword, kwarg, positional, with_args
from builder.fixes.registry import Example, Fix
from builder.fixes.rewriters import defined_names, rename_names, rewrite_calls

# Old number labels were `DecimalNumber`s (48 pt, DEFAULT_FONT_SIZE) scaled by `number_scale_value`,
# so the same size is `font_size = 48 * value` (the old default 0.75 is the new default 36).
OLD_LABEL_FONT_SIZE = 48
_NUMBER_LINES = frozenset({"NumberLine", "UnitInterval"})
# Old Axes/planes ignored unknown keywords (CONFIG digestion), so these keywords had no effect there.
_AXES = frozenset({"Axes", "ThreeDAxes", "NumberPlane", "ComplexPlane", "PolarPlane"})
_AXIS_CONFIGS = frozenset(
    {"axis_config", "x_axis_config", "y_axis_config", "z_axis_config", "number_line_config"}
)


def _scene(body: str, *, base: str = "Scene", head: str = "") -> str:
    lines = "\n".join("        " + ln if ln else "" for ln in body.strip("\n").splitlines())
    return f"from manim import *\n{head}\n\nclass Demo({base}):\n    def construct(self):\n{lines}\n"


def _ex(before: str, after: str, *, after_head: str | None = None, **kw: str) -> Example:
    after_kw = kw if after_head is None else {**kw, "head": after_head}
    return Example(_scene(before, **kw), _scene(after, **after_kw))


# --- UPG031: VectorField -> ArrowVectorField ----------------------------------------------------------


def _arrow_vector_field(call: cst.Call) -> cst.Call:
    return call.with_changes(func=cst.Name("ArrowVectorField"))


# --- UPG033: number_scale_value / label_scale -> font_size ---------------------------------------------


def _font_size(value: cst.BaseExpression) -> cst.BaseExpression:
    """`48 * value`, folded for number literals (0.5 -> 24)."""
    if isinstance(value, (cst.Integer, cst.Float)):
        size = round(OLD_LABEL_FONT_SIZE * float(value.evaluated_value), 6)
        return cst.Integer(str(int(size))) if size == int(size) else cst.Float(repr(size))
    if not isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.BinaryOperation(cst.Integer(str(OLD_LABEL_FONT_SIZE)), cst.Multiply(), value)


def _config_dict(d: cst.Dict) -> cst.Dict | None:
    """Rewrite `"number_scale_value": v` entries of an axis-config dict literal; `label_scale` is dropped."""
    keys = {
        e.key.evaluated_value
        for e in d.elements
        if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
    }
    if not keys & {"number_scale_value", "label_scale"}:
        return None
    elements = []
    for e in d.elements:
        key = (
            e.key.evaluated_value
            if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
            else None
        )
        if key == "label_scale" or (key == "number_scale_value" and "font_size" in keys):
            continue
        if key == "number_scale_value":
            e = e.with_changes(key=cst.SimpleString('"font_size"'), value=_font_size(e.value))
        elements.append(e)
    if elements:
        elements[-1] = elements[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return d.with_changes(elements=elements)


def _number_scale(call: cst.Call) -> cst.Call | None:
    name = call_name(call)
    has_font_size = keyword(call, "font_size") is not None
    args: list[cst.Arg] = []
    changed = False
    for a in call.args:
        key = a.keyword.value if a.keyword is not None else None
        if key in ("number_scale_value", "label_scale") and (name in _NUMBER_LINES or name in _AXES):
            changed = True
            if key == "number_scale_value" and name in _NUMBER_LINES and not has_font_size:
                args.append(kwarg("font_size", _font_size(a.value)))
            continue
        if key in _AXIS_CONFIGS and isinstance(a.value, cst.Dict):
            new = _config_dict(a.value)
            if new is not None:
                a = a.with_changes(value=new)
                changed = True
        args.append(a)
    return with_args(call, args) if changed else None


class NumberScaleToFontSize(Rewriter):
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        new = _number_scale(updated)
        if new is None:
            return updated
        self.hit()
        return new


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


# --- UPG035: camera distance accessors -----------------------------------------------------------------

_CAMERA_DISTANCE = {
    "get_distance": "get_focal_distance",
    "set_distance": "set_focal_distance",
    "distance_tracker": "focal_distance_tracker",
}


class CameraDistanceAccessors(Rewriter):
    """`self.camera.set_distance(d)` / `get_distance()` / `distance_tracker` -> the `focal_distance` names."""

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        new = _CAMERA_DISTANCE.get(updated.attr.value)
        owner = dotted_name(updated.value) or ""
        if new is None or not (owner == "camera" or owner.endswith(".camera")):
            return updated
        self.hit()
        return updated.with_changes(attr=cst.Name(new))


# --- the catalogue ---------------------------------------------------------------------------------

_FIELD = "lambda p: np.array([-p[1], p[0], 0])"

FIXES: tuple[Fix, ...] = (
    Fix(
        "UPG031", "vector-field-to-arrow-vector-field",
        "Since 0.6.0 `VectorField` is the base class (it draws nothing and rejects `x_range=`, `length_func=`, ...); the field of arrows is `ArrowVectorField`. Only calls are renamed; subclasses of `VectorField` are kept.",
        "upgrade",
        (_ex(f"self.add(VectorField({_FIELD}, x_range=[-2, 2, 1], y_range=[-2, 2, 1]))", f"self.add(ArrowVectorField({_FIELD}, x_range=[-2, 2, 1], y_range=[-2, 2, 1]))"),),
        transformer=rewrite_calls({"VectorField"}, _arrow_vector_field),
        triggers=("VectorField",),
    ),
    Fix(
        "UPG032", "typst-math-to-math-typst",
        "`TypstMath` was renamed `MathTypst` in 0.21.0 (like `MathTex`).",
        "upgrade",
        (_ex("self.add(TypstMath('x^2 + 1'))", "self.add(MathTypst('x^2 + 1'))"),),
        transformer=rename_names({"TypstMath": "MathTypst"}),
        triggers=("TypstMath",),
    ),
    Fix(
        "UPG033", "number-scale-to-font-size",
        "`number_scale_value=` (removed in 0.12.0) scaled 48-pt number labels, so on `NumberLine` it becomes `font_size=48 * value` (0.75 -> 36, the current default), also inside `axis_config`-style dicts. Old `Axes`/planes ignored it as a direct keyword and `label_scale=` has no faithful counterpart, so those are dropped.",
        "upgrade",
        (
            _ex("self.add(NumberLine(x_range=[0, 4, 1], include_numbers=True, number_scale_value=0.5))", "self.add(NumberLine(x_range=[0, 4, 1], include_numbers=True, font_size=24))"),
            _ex(
                "self.add(Axes(axis_config={'include_numbers': True, 'number_scale_value': 0.6, 'label_scale': 2}))",
                "self.add(Axes(axis_config={'include_numbers': True, \"font_size\": 28.8}))",
            ),
        ),
        transformer=NumberScaleToFontSize,
        triggers=("number_scale_value", "label_scale"),
    ),
    Fix(
        "UPG034", "colour-to-manim-color",
        "Since 0.18.0 Manim uses `ManimColor` and no longer installs the `colour` package. `Color(name)` becomes `ManimColor` of the CSS hex (`colour` reads CSS names; Manim's `RED` differs), `hex=`/`rgb=`/`hsl=` map to `ManimColor(...)`/`from_rgb`/`from_hsl`, and the import becomes `from manim import ManimColor`. Any other use of `colour` excludes the row (`upgrade:colour-object`).",
        "upgrade",
        (
            _ex(
                "self.add(Square(color=Color('red')), Circle(color=Color(hex='#00ff00')), Dot(color=Color(rgb=(0, 0, 1))))",
                "self.add(Square(color=ManimColor(\"#FF0000\")), Circle(color=ManimColor('#00ff00')), Dot(color=ManimColor.from_rgb((0, 0, 1))))",
                head="from colour import Color",
                after_head="from manim import ManimColor",
            ),
            _ex("self.add(Square(color=colour.Color('orange')))", "self.add(Square(color=ManimColor(\"#FFA500\")))", head="import colour", after_head="from manim import ManimColor"),
        ),
        transformer=ColourToManimColor,
        triggers=("colour",),
    ),
    Fix(
        "UPG035", "camera-distance-accessors",
        "The 3-D camera's `distance` became `focal_distance` in 0.13.0: `camera.get_distance()`, `set_distance()` and `distance_tracker` are now `get_focal_distance()`, `set_focal_distance()` and `focal_distance_tracker` (keywords are handled by UPG030).",
        "upgrade",
        (
            _ex(
                "self.camera.set_distance(12)\nself.add(Cube(), Text(str(self.camera.get_distance())))\nself.play(self.camera.distance_tracker.animate.set_value(10), run_time=0.1)",
                "self.camera.set_focal_distance(12)\nself.add(Cube(), Text(str(self.camera.get_focal_distance())))\nself.play(self.camera.focal_distance_tracker.animate.set_value(10), run_time=0.1)",
                base="ThreeDScene",
            ),
        ),
        transformer=CameraDistanceAccessors,
        triggers=("distance",),
    ),
)  # fmt: skip
