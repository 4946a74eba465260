"""ManimGL objects and methods -> Community Edition: shader dots, GL-only methods, grids of copies, and
methods and keywords GL names differently.

Why: after the imports and names (gl_idioms.py), what still breaks converted GL scenes on CE is calls:
`GlowDot`, `DotCloud`, `set_backstroke`, `get_grid`, `add_coordinate_labels`, keywords CE rejects.
Each becomes the nearest CE equivalent; a converted row still has to pass the runtime check.
"""

from __future__ import annotations

import libcst as cst

from builder.fixes.base import dotted_name, kwarg, positional, with_args
from builder.fixes.rewriters import OwnNamesRewriter, rewrite_call_table
from builder.fixes.types import Fix, example


def _dot(call: cst.Call) -> cst.Call:
    """`GlowDot(center, radius=, color=, glow_factor=...)` / `TrueDot(...)` -> a CE `Dot` (glow dropped)."""
    glow = dotted_name(call.func) == "GlowDot"
    keep = {"point", "radius", "color", "fill_color", "fill_opacity", "stroke_width", "z_index"}
    pos = [a for a in call.args if a.keyword is None and not a.star]
    args = pos[:1] + [kwarg("radius", a.value) for a in pos[1:2]]  # GL order: center, radius, ...
    for a in call.args:
        key = a.keyword.value if a.keyword is not None else None
        if key == "center":
            args.insert(0, cst.Arg(a.value))
        elif key == "opacity":
            args.append(kwarg("fill_opacity", a.value))
        elif key in keep:
            args.append(a)
    if glow and not any(a.keyword is not None and a.keyword.value == "color" for a in args):
        args.append(kwarg("color", cst.Name("YELLOW")))  # GL's glow dots are yellow by default
    return with_args(call.with_changes(func=cst.Name("Dot")), args)


def _dot_cloud(call: cst.Call) -> cst.BaseExpression | None:
    """`DotCloud(points, color=, radius=)` -> `VGroup(*(Dot(p, ...) for p in points))`."""
    pos = positional(call)
    points = (
        pos[0].value
        if pos
        else next((a.value for a in call.args if a.keyword and a.keyword.value == "points"), None)
    )
    if points is None:
        return None
    extra = [
        f"{a.keyword.value}={cst.Module(body=[]).code_for_node(a.value)}"
        for a in call.args
        if a.keyword is not None and a.keyword.value in {"color", "radius"}
    ]
    inner = ", ".join(["p", *extra])
    return cst.parse_expression(
        f"VGroup(*(Dot({inner}) for p in {cst.Module(body=[]).code_for_node(points)}))"
    )


def _passing_flash(call: cst.Call) -> cst.Call:
    """`VShowPassingFlash(m, time_width=, taper_width=)` -> `ShowPassingFlash(m, time_width=)`."""
    args = [a for a in call.args if a.keyword is None or a.keyword.value != "taper_width"]
    return with_args(call.with_changes(func=cst.Name("ShowPassingFlash")), args)


# GL methods with no CE counterpart that only change rendering details: the call is dropped from its chain.
_NOOP_METHODS = frozenset(
    {
        "make_3d",
        "apply_depth_test",
        "deactivate_depth_test",
        "use_winding_fill",
        "always_sort_to_camera",
        "set_anti_alias_width",
    }
)


class GlMethods(OwnNamesRewriter):
    """GL-only method calls: `set_backstroke(c, w)` -> `set_stroke(c, w, background=True)`; rendering
    switches CE lacks (`make_3d()`, `apply_depth_test()`...) are dropped from the chain they sit in."""

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if not isinstance(func, cst.Attribute) or func.attr.value in self.own:
            return updated
        if func.attr.value in _NOOP_METHODS:
            self.hit()
            return func.value
        if func.attr.value == "set_backstroke":
            self.hit()
            pos = positional(updated)
            named = {a.keyword.value: a.value for a in updated.args if a.keyword is not None}
            color = pos[0].value if pos else named.get("color", cst.Name("BLACK"))
            width = pos[1].value if len(pos) > 1 else named.get("width", cst.Integer("3"))
            stroke = cst.Call(
                func.with_changes(attr=cst.Name("set_stroke")),
                [cst.Arg(color), cst.Arg(width), kwarg("background", cst.Name("True"))],
            )
            return with_args(stroke, list(stroke.args))
        return updated


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


class GlGrids(OwnNamesRewriter):
    """GL `m.get_grid(rows, cols, buff=...)` and `m.replicate(n)` (copies of `m`, arranged): CE builds the
    copies in a `VGroup` and arranges them with `arrange_in_grid`; `height=`/`width=` scale the grid."""

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if not isinstance(func, cst.Attribute) or func.attr.value in self.own:
            return updated
        method, pos = func.attr.value, positional(updated)
        named = {a.keyword.value: a.value for a in updated.args if a.keyword is not None}
        if any(a.star for a in updated.args):
            return updated
        mob = _code(func.value)
        if method == "replicate" and len(pos) == 1 and not named:
            self.hit()
            return cst.parse_expression(f"VGroup(*({mob}.copy() for _ in range({_code(pos[0].value)})))")
        if (
            method != "get_grid"
            or len(pos) != 2
            or set(named) - {"buff", "h_buff", "v_buff", "height", "width"}
        ):
            return updated
        rows, cols = _code(pos[0].value), _code(pos[1].value)
        count = " * ".join(
            _code(a.value)
            if isinstance(a.value, cst.Name | cst.Integer | cst.Attribute)
            else f"({_code(a.value)})"
            for a in pos
        )
        if "h_buff" in named or "v_buff" in named:
            h = _code(named.get("h_buff", named.get("buff", cst.Float("0.25"))))
            v = _code(named.get("v_buff", named.get("buff", cst.Float("0.25"))))
            buff = f", buff=({h}, {v})"
        else:
            buff = f", buff={_code(named['buff'])}" if "buff" in named else ""
        text = f"VGroup(*({mob}.copy() for _ in range({count}))).arrange_in_grid({rows}, {cols}{buff})"
        for key, method_name in (("height", "scale_to_fit_height"), ("width", "scale_to_fit_width")):
            if key in named:
                text += f".{method_name}({_code(named[key])})"
        self.hit()
        return cst.parse_expression(text)


# GL-only keywords CE rejects, dropped from calls of these names (`Arrow(thickness=)` is GL's stroke).
_GL_ONLY_KEYWORDS = {
    "Arrow": frozenset({"thickness", "tip_width_ratio", "tip_angle", "max_width_to_length_ratio"}),
    "Vector": frozenset({"thickness", "tip_width_ratio", "tip_angle", "max_width_to_length_ratio"}),
    "wait": frozenset({"note", "ignore_presenter_mode"}),
}
_AREA_KEYWORDS = {"fill_color": "color", "fill_opacity": "opacity"}


class GlCalls(OwnNamesRewriter):
    """GL methods and keywords with another CE name: `add_coordinate_labels` -> `add_coordinates`,
    `get_area_under_graph(fill_color=, fill_opacity=)` -> `get_area(color=, opacity=)`; GL-only keywords
    (`Arrow(thickness=)`, `self.wait(note=)`) are dropped."""

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        name = (
            func.value
            if isinstance(func, cst.Name)
            else func.attr.value
            if isinstance(func, cst.Attribute)
            else ""
        )
        if name in self.own:
            return updated
        if isinstance(func, cst.Attribute) and name == "add_coordinate_labels":
            self.hit()
            values = {a.keyword.value: a.value for a in updated.args if a.keyword is not None}
            axes = (
                [values.get("x_values", cst.Name("None")), values["y_values"]]
                if "y_values" in values
                else ([values["x_values"]] if "x_values" in values else [])
            )
            rest = [
                a
                for a in updated.args
                if a.keyword is None or a.keyword.value not in ("x_values", "y_values")
            ]
            args = [cst.Arg(v) for v in axes] + rest
            return with_args(
                updated.with_changes(func=func.with_changes(attr=cst.Name("add_coordinates"))), args
            )
        if isinstance(func, cst.Attribute) and name == "get_area_under_graph":
            self.hit()
            args = [
                a.with_changes(keyword=cst.Name(_AREA_KEYWORDS[a.keyword.value]))
                if a.keyword is not None and a.keyword.value in _AREA_KEYWORDS
                else a
                for a in updated.args
            ]
            return with_args(updated.with_changes(func=func.with_changes(attr=cst.Name("get_area"))), args)
        dropped = _GL_ONLY_KEYWORDS.get(name)
        if dropped is None or (name == "wait" and dotted_name(func) != "self.wait"):
            return updated
        args = [a for a in updated.args if a.keyword is None or a.keyword.value not in dropped]
        if len(args) == len(updated.args):
            return updated
        self.hit()
        return with_args(updated, args)


FIXES: tuple[Fix, ...] = (
    Fix(
        "GL010", "gl-dots",
        "GL's `GlowDot` and `TrueDot` (shader dots) become CE `Dot`s with the same centre, radius and colour (the glow is dropped); `DotCloud(points)` becomes a `VGroup` of `Dot`s; `VShowPassingFlash` is `ShowPassingFlash` without `taper_width`.",
        "gl",
        (
            example(
                "flies = Group(*[GlowDot(np.array([x, 0.5, 0]), glow_factor=2) for x in range(-2, 3)])\ncloud = DotCloud([LEFT, RIGHT, UP], radius=0.05)\nself.play(FadeIn(flies), FadeIn(cloud))\nself.play(VShowPassingFlash(Circle(), taper_width=0.1))",
                "flies = Group(*[Dot(np.array([x, 0.5, 0]), color=YELLOW) for x in range(-2, 3)])\ncloud = VGroup(*(Dot(p, radius=0.05) for p in [LEFT, RIGHT, UP]))\nself.play(FadeIn(flies), FadeIn(cloud))\nself.play(ShowPassingFlash(Circle()))",
            ),
        ),
        transformer=rewrite_call_table({"GlowDot": _dot, "TrueDot": _dot, "DotCloud": _dot_cloud, "VShowPassingFlash": _passing_flash}),
        triggers=("GlowDot", "TrueDot", "DotCloud", "VShowPassingFlash"),
    ),
    Fix(
        "GL011", "gl-only-methods",
        "GL-only methods: `set_backstroke(color, width)` is CE's background stroke `set_stroke(color, width, background=True)`; rendering switches CE does not have (`make_3d()`, `apply_depth_test()`, `deactivate_depth_test()`, `use_winding_fill()`, `always_sort_to_camera()`) are dropped from their chain.",
        "gl",
        (
            example(
                "label = Text('edge').set_backstroke(BLACK, 5)\nball = Sphere().make_3d()\nself.add(label, ball.apply_depth_test())",
                "label = Text('edge').set_stroke(BLACK, 5, background=True)\nball = Sphere()\nself.add(label, ball)",
            ),
        ),
        transformer=GlMethods,
        triggers=("set_backstroke", *_NOOP_METHODS),
    ),
    Fix(
        "GL014", "gl-grids",
        "GL's `m.get_grid(rows, cols, buff=)` and `m.replicate(n)` return copies of `m` (arranged in a grid); CE has neither, so the copies go into a `VGroup` and `arrange_in_grid(rows, cols, buff=)` places them (GL's default spacing, half a cell, becomes CE's default buffer; `height=`/`width=` scale the grid).",
        "gl",
        (
            example(
                "board = Square(side_length=0.5).get_grid(3, 4, buff=0)\nrow = Dot().replicate(5).arrange(RIGHT)\nself.play(FadeIn(board), FadeIn(row.next_to(board, DOWN)))",
                "board = VGroup(*(Square(side_length=0.5).copy() for _ in range(3 * 4))).arrange_in_grid(3, 4, buff=0)\nrow = VGroup(*(Dot().copy() for _ in range(5))).arrange(RIGHT)\nself.play(FadeIn(board), FadeIn(row.next_to(board, DOWN)))",
            ),
        ),
        transformer=GlGrids,
        triggers=(".get_grid", ".replicate"),
    ),
    Fix(
        "GL015", "gl-method-and-keyword-names",
        "GL names some methods and keywords differently: `axes.add_coordinate_labels()` is CE's `add_coordinates()`, `get_area_under_graph(graph, fill_color=, fill_opacity=)` is `get_area(graph, color=, opacity=)`; GL-only keywords CE rejects are dropped (`Arrow(thickness=, tip_width_ratio=)`, `self.wait(note=)`).",
        "gl",
        (
            example(
                "ax = Axes(x_range=[0, 2, 1], y_range=[0, 2, 1], x_length=4, y_length=3)\ng = ax.plot(lambda x: x)\nself.add(ax, g, ax.get_area_under_graph(g, x_range=(0, 1), fill_color=BLUE, fill_opacity=0.5))\nself.play(GrowArrow(Arrow(LEFT, RIGHT, thickness=4)))\nself.wait(note='pause')",
                "ax = Axes(x_range=[0, 2, 1], y_range=[0, 2, 1], x_length=4, y_length=3)\ng = ax.plot(lambda x: x)\nself.add(ax, g, ax.get_area(g, x_range=(0, 1), color=BLUE, opacity=0.5))\nself.play(GrowArrow(Arrow(LEFT, RIGHT)))\nself.wait()",
            ),
        ),
        transformer=GlCalls,
        triggers=(".add_coordinate_labels", ".get_area_under_graph", "thickness=", "tip_width_ratio=", "tip_angle=", "max_width_to_length_ratio=", "note=", "ignore_presenter_mode="),
    ),
)  # fmt: skip
