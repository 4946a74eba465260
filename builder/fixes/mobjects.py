"""Mobjects and geometry: removed classes, in-place methods, changed keywords, `CONFIG` dicts, 2-D points.

Why: CE removed `SmallDot`, `get_norm`, the `*_in_place` methods and `CONFIG` dicts, renamed
`Tabular` and several keywords (`Code`, `Sector`, `DashedLine`, the 3-D camera), and made every point
3-D. Old code fails with a NameError, TypeError or numpy broadcast error although its intent is
clear. Each fix follows one row of /work/shared/CE_API_CHANGES.md.
"""

from __future__ import annotations

import re

import libcst as cst

from builder.fixes.base import (
    DIRECTIONS,
    Rewriter,
    call_name,
    dotted_name,
    keyword,
    kwarg,
    positional,
    with_args,
)
from builder.fixes.rewriters import DropCalls, rename_names, rewrite_calls
from builder.fixes.types import Example, Fix, example


def _small_dot(call: cst.Call) -> cst.Call | None:
    args = list(call.args)
    if keyword(call, "radius") is None:
        args.append(kwarg("radius", cst.Name("DEFAULT_SMALL_DOT_RADIUS")))
    return with_args(call.with_changes(func=cst.Name("Dot")), args)


def _get_norm(call: cst.Call) -> cst.Call | None:
    return call.with_changes(func=cst.parse_expression("np.linalg.norm"))


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


# A sharper pre-filter than "(" or "[" for UPG027 (a text search to skip a libcst pass, never to
# rewrite): a literal of two numbers.
_NUMBER = r"[-+]?\s*\.?\d[\w.]*(?:\s*[-+*/]\s*\.?\d[\w.]*)*"
_POINT_2D = re.compile(r"[\(\[]\s*" + _NUMBER + r"\s*,\s*" + _NUMBER + r"\s*,?\s*[\)\]]")
_CONFIG_BEFORE = """from manim import *


class Demo(Scene):
    CONFIG = {"radius": 2, "tint": BLUE}

    def construct(self):
        self.add(Circle(radius=self.radius, color=self.tint))
"""

FIXES: tuple[Fix, ...] = (
    Fix(
        "UPG013", "small-dot-to-dot",
        "`SmallDot` was removed in 0.6.0; a `Dot` with the small radius is the same object.",
        "upgrade",
        (example("self.add(SmallDot(color=RED))", "self.add(Dot(color=RED, radius=DEFAULT_SMALL_DOT_RADIUS))"),),
        transformer=rewrite_calls({"SmallDot"}, _small_dot),
        triggers=("SmallDot",),
    ),
    Fix(
        "UPG017", "in-place-methods",
        "`rotate_in_place`, `scale_in_place` and `scale_about_point` were removed in 0.13.0; `rotate`/`scale` already act in place.",
        "upgrade",
        (example("s = Square()\ns.rotate_in_place(PI / 4)\ns.scale_about_point(2, ORIGIN)\nself.add(s)", "s = Square()\ns.rotate(PI / 4)\ns.scale(2, about_point=ORIGIN)\nself.add(s)"),),
        transformer=InPlaceMethods,
        triggers=("_in_place", "scale_about_point"),
    ),
    Fix(
        "UPG019", "get-norm-to-numpy",
        "The utility `get_norm` was removed in 0.9.0; `np.linalg.norm` computes the same.",
        "upgrade",
        (example("self.add(Circle(radius=get_norm(UP + RIGHT)))", "self.add(Circle(radius=np.linalg.norm(UP + RIGHT)))"),),
        transformer=rewrite_calls({"get_norm"}, _get_norm),
        triggers=("get_norm",),
    ),
    Fix(
        "UPG020", "tabular-to-table",
        "`Tabular` was renamed `Table` in 0.9.0.",
        "upgrade",
        (example("self.add(Tabular([['1', '2']]))", "self.add(Table([['1', '2']]))"),),
        transformer=rename_names({"Tabular": "Table"}),
        triggers=("Tabular",),
    ),
    Fix(
        "UPG021", "surrounding-rectangle-keywords",
        "Since 0.19.0 `SurroundingRectangle(*mobjects, color=, buff=)` takes several mobjects, so a positional colour and buffer must become keywords.",
        "upgrade",
        (example("t = Text('A')\nself.add(t, SurroundingRectangle(t, RED, 0.3))", "t = Text('A')\nself.add(t, SurroundingRectangle(t, color=RED, buff=0.3))"),),
        transformer=rewrite_calls({"SurroundingRectangle"}, _surrounding_positional),
        triggers=("SurroundingRectangle",),
    ),
    Fix(
        "UPG022", "code-keywords",
        "`Code(file_name=, code=, style=, insert_line_no=)` became `Code(code_file=, code_string=, formatter_style=, add_line_numbers=)` in 0.19.0; styling keywords that no longer exist are dropped.",
        "upgrade",
        (
            example(
                "self.add(Code(code='x = 1', language='python', style='monokai', insert_line_no=False, font='Monospace'))",
                "self.add(Code(code_string='x = 1', language='python', formatter_style='monokai', add_line_numbers=False))",
            ),
        ),
        transformer=rewrite_calls({"Code"}, _code_keywords),
        triggers=("Code(",),
    ),
    Fix(
        "UPG024", "config-dict-to-attributes",
        "Class-level `CONFIG` dicts and `digest_config` were removed in 0.2.0; the keys become class attributes, so `self.key` reads still work.",
        "upgrade",
        (Example(_CONFIG_BEFORE, _CONFIG_BEFORE.replace('CONFIG = {"radius": 2, "tint": BLUE}', "radius = 2\n    tint = BLUE")),),
        transformer=ConfigToAttributes,
        triggers=("CONFIG", "digest_config"),
    ),
    Fix(
        "UPG027", "points-2d-to-3d",
        "Manim points are 3-D arrays; a 2-D literal such as `Dot((1, 2))` or `m.move_to([0, 2])` fails with a numpy broadcast error. The literal gets a zero z-coordinate.",
        "upgrade",
        (example("self.add(Polygon((-1, 0), (1, 0), (0, 2)), Dot([1, 1]).move_to((0, 2)))", "self.add(Polygon((-1, 0, 0), (1, 0, 0), (0, 2, 0)), Dot([1, 1, 0]).move_to((0, 2, 0)))"),),
        transformer=PointsTo3D,
        triggers=("(", "["),
        precheck=lambda code: _POINT_2D.search(code) is not None,
    ),
    Fix(
        "UPG029", "sector-radius-keywords",
        "Since 0.19.0 `Sector` takes `radius=`; `outer_radius=` becomes `radius=`, and a sector with a non-zero `inner_radius` is an `AnnularSector`, which keeps both keywords.",
        "upgrade",
        (example("self.add(Sector(outer_radius=2, angle=PI / 3), Sector(inner_radius=1, outer_radius=2))", "self.add(Sector(radius=2, angle=PI / 3), AnnularSector(inner_radius=1, outer_radius=2))"),),
        transformer=rewrite_calls({"Sector"}, _sector),
        triggers=("Sector",),
    ),
    Fix(
        "UPG030", "renamed-keywords",
        "Keywords renamed in 0.13.0: `DashedLine(positive_space_ratio=)` -> `dashed_ratio=` (`dash_spacing=` dropped), camera `distance=` -> `focal_distance=`.",
        "upgrade",
        (example("self.set_camera_orientation(phi=60 * DEGREES, distance=8)\nself.add(DashedLine(LEFT, RIGHT, positive_space_ratio=0.3, dash_spacing=0.1))", "self.set_camera_orientation(phi=60 * DEGREES, focal_distance=8)\nself.add(DashedLine(LEFT, RIGHT, dashed_ratio=0.3))", base="ThreeDScene"),),
        transformer=KeywordRenames,
        triggers=("DashedLine", "distance"),
    ),
)  # fmt: skip
