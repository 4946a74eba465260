"""Axes and graphs: `get_graph` -> `plot`, `x_min`/`x_max` -> `x_range`, surfaces, `GraphScene`, vector fields.

Why: CE reworked coordinate systems between 0.10 and 0.14 (ranges as lists, `plot` methods, no
`GraphScene`), and ManimGL sizes axes with other keywords. Old code fails with a TypeError or
AttributeError although the rewrite is mechanical. The `GraphScene` rewriter is in graphscene.py.
"""

from __future__ import annotations

import libcst as cst

from builder.fixes.base import keyword, kwarg, with_args
from builder.fixes.graphscene import GraphSceneRewriter
from builder.fixes.rewriters import RenameCallKeywords, rename_methods, rewrite_any_call, rewrite_calls
from builder.fixes.types import Example, Fix, example

_RANGE_KEYS = {
    "x": ("x_min", "x_max", "delta_x"),
    "y": ("y_min", "y_max", "delta_y"),
    "z": ("z_min", "z_max", "delta_z"),
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
    return with_args(call.with_changes(func=cst.Name("Surface")), args)


def _arrow_vector_field(call: cst.Call) -> cst.Call:
    return call.with_changes(func=cst.Name("ArrowVectorField"))


class AxesSizeKeywords(RenameCallKeywords):
    """GL `Axes(width=, height=)` / `NumberPlane(...)` sizes are CE's `x_length=` / `y_length=`, and GL
    `NumberLine(width=)` is CE's `length=`."""

    CALLS = frozenset({"Axes", "NumberPlane", "ThreeDAxes", "ComplexPlane", "NumberLine"})
    MAP = {"width": "x_length", "height": "y_length"}

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if isinstance(updated.func, cst.Name) and updated.func.value == "NumberLine":
            if keyword(updated, "width") is None or keyword(updated, "length") is not None:
                return updated
            self.hit()
            args = [
                kwarg("length", a.value) if a.keyword is not None and a.keyword.value == "width" else a
                for a in updated.args
            ]
            return with_args(updated, args)
        return super().leave_Call(original, updated)


_FIELD = "lambda p: np.array([-p[1], p[0], 0])"
_GRAPH_SCENE = """from manim import *


class Demo({base}):
    x_min = 0
    x_max = 4
    y_min = 0
    y_max = 8

    def construct(self):
{body}
        self.play(Create(curve))
        self.add(Dot({coords}(2, 2)))
"""
_GRAPH_SCENE_BEFORE = (
    "        self.setup_axes()\n        curve = self.get_graph(lambda x: x ** 2 / 2, color=GREEN)"
)
_GRAPH_SCENE_AFTER = (
    "        self.axes = Axes(x_range=[self.x_min, self.x_max, 1], y_range=[self.y_min, self.y_max, 1], x_length=9, y_length=6)\n"
    "        self.axes.shift(2.5 * DOWN + 4 * LEFT - self.axes.c2p(0, 0))\n"
    "        self.add(self.axes)\n"
    "        curve = self.axes.plot(lambda x: x ** 2 / 2, color=GREEN)"
)

FIXES: tuple[Fix, ...] = (
    Fix(
        "UPG014", "get-graph-to-plot",
        "Axes' `get_graph` and relatives were renamed `plot`, `plot_derivative_graph`, ... (removed in 0.14.0).",
        "upgrade",
        (example("ax = Axes()\nself.add(ax, ax.get_graph(lambda x: x / 2))", "ax = Axes()\nself.add(ax, ax.plot(lambda x: x / 2))"),),
        transformer=rename_methods(
            {
                "get_graph": "plot",
                "get_derivative_graph": "plot_derivative_graph",
                "get_implicit_curve": "plot_implicit_curve",
                "get_line_graph": "plot_line_graph",
                "get_parametric_curve": "plot_parametric_curve",
            }
        ),
        triggers=("get_",),
    ),
    Fix(
        "UPG015", "min-max-to-range",
        "`x_min`/`x_max`/`delta_x` (and `y_`, `z_`, `t_`) keywords became `x_range=[min, max, step]` (removed in 0.12.0).",
        "upgrade",
        (
            example(
                "ax = Axes(x_min=-2, x_max=4, y_min=-1, y_max=3)\nself.add(ax, ax.plot(lambda x: x, x_min=0, x_max=2))",
                "ax = Axes(x_range=[-2, 4], y_range=[-1, 3])\nself.add(ax, ax.plot(lambda x: x, x_range=[0, 2]))",
            ),
            example(
                "self.add(ThreeDAxes(x_min=-2, x_max=2, y_min=-2, y_max=2, z_min=-1, z_max=1))",
                "self.add(ThreeDAxes(x_range=[-2, 2], y_range=[-2, 2], z_range=[-1, 1]))",
                base="ThreeDScene",
            ),
        ),
        transformer=rewrite_any_call(_ranges),
        triggers=("_min", "_max"),
    ),
    Fix(
        "UPG016", "parametric-surface-to-surface",
        "`ParametricSurface(f, u_min=, u_max=, v_min=, v_max=)` became `Surface(f, u_range=, v_range=)` (removed in 0.11.0).",
        "upgrade",
        (
            example(
                "self.add(ParametricSurface(lambda u, v: np.array([u, v, 0]), u_min=-1, u_max=1, v_min=-1, v_max=1, resolution=4))",
                "self.add(Surface(lambda u, v: np.array([u, v, 0]), u_range=[-1, 1], v_range=[-1, 1], resolution=4))",
                base="ThreeDScene",
            ),
        ),
        transformer=rewrite_calls({"ParametricSurface"}, _parametric_surface),
        triggers=("ParametricSurface",),
    ),
    Fix(
        "UPG026", "graph-scene-to-axes",
        "`GraphScene` was removed in 0.10.0. When its use is mechanical (`setup_axes`, `coords_to_point`, `get_graph` and friends on the default axes) the scene becomes a `Scene` with `self.axes = Axes(...)` built from the same ranges; other uses exclude the row with reason `upgrade:graph-scene`.",
        "upgrade",
        (
            Example(
                _GRAPH_SCENE.format(base="GraphScene", body=_GRAPH_SCENE_BEFORE, coords="self.coords_to_point"),
                _GRAPH_SCENE.format(base="Scene", body=_GRAPH_SCENE_AFTER, coords="self.axes.coords_to_point"),
            ),
        ),
        transformer=GraphSceneRewriter,
        triggers=("GraphScene",),
    ),
    Fix(
        "UPG031", "vector-field-to-arrow-vector-field",
        "Since 0.6.0 `VectorField` is the base class (it draws nothing and rejects `x_range=`, `length_func=`, ...); the field of arrows is `ArrowVectorField`. Only calls are renamed; subclasses of `VectorField` are kept.",
        "upgrade",
        (example(f"self.add(VectorField({_FIELD}, x_range=[-2, 2, 1], y_range=[-2, 2, 1]))", f"self.add(ArrowVectorField({_FIELD}, x_range=[-2, 2, 1], y_range=[-2, 2, 1]))"),),
        transformer=rewrite_calls({"VectorField"}, _arrow_vector_field),
        triggers=("VectorField",),
    ),
    Fix(
        "GL008", "gl-axes-size-keywords",
        "GL sizes axes with `width=`/`height=`; CE's `Axes` and `NumberPlane` call them `x_length=`/`y_length=` and reject the GL names, and CE's `NumberLine` calls its width `length=`.",
        "gl",
        (
            example("self.add(Axes(x_range=[-2, 2, 1], y_range=[0, 4, 1], width=6, height=4))", "self.add(Axes(x_range=[-2, 2, 1], y_range=[0, 4, 1], x_length=6, y_length=4))"),
            example("self.add(NumberLine([0, 4, 1], width=8))", "self.add(NumberLine([0, 4, 1], length=8))"),
        ),
        transformer=AxesSizeKeywords,
        triggers=("width", "height"),
    ),
)  # fmt: skip
