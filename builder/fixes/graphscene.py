"""`GraphScene` (removed in CE 0.10.0) -> `Scene` with explicit `self.axes`, when the use is mechanical.

Why: GraphScene put one set of axes on the scene and exposed their methods on `self`. When a scene only
uses those (`setup_axes`, `get_graph`, `coords_to_point`, ...), building `self.axes = Axes(...)` from the
same ranges at the start of `construct` and calling the methods on it is the whole upgrade. Anything
else GraphScene-specific makes the row excluded (`upgrade:graph-scene`) rather than guessed.
"""

from __future__ import annotations

import libcst as cst

from builder.fixes.base import Rewriter, dotted_name, keyword

# GraphScene members that `Axes` has under the same name.
_SAME_ON_AXES = frozenset(
    {
        "coords_to_point", "point_to_coords", "input_to_graph_point", "get_graph_label",
        "get_riemann_rectangles", "get_area", "get_secant_slope_group", "angle_of_tangent",
        "slope_of_tangent", "get_vertical_lines_to_graph", "x_axis", "y_axis",
    }
)  # fmt: skip
_RENAMED_ON_AXES = {"get_graph": "plot", "get_derivative_graph": "plot_derivative_graph"}
# GraphScene-only members with no mechanical replacement.
_UNSUPPORTED = frozenset(
    {
        "get_riemann_rectangles_list", "transform_between_riemann_rects", "animate_secant_slope_group_change",
        "add_T_label", "get_vertical_line_to_graph", "default_graph_colors", "get_color_cycle",
    }
)  # fmt: skip
# GraphScene defaults of the attributes that shaped its axes.
_DEFAULTS = {
    "x_min": "-1", "x_max": "10", "x_tick_frequency": "1", "y_min": "-1", "y_max": "10",
    "y_tick_frequency": "1", "x_axis_width": "9", "y_axis_height": "6", "graph_origin": "2.5 * DOWN + 4 * LEFT",
}  # fmt: skip


class _ToAxes(cst.CSTTransformer):
    """Inside one GraphScene class: `self.<member>` -> `self.axes.<member>`, `setup_axes()` -> add the axes."""

    def __init__(self) -> None:
        super().__init__()
        self.unsupported: set[str] = set()

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if not (isinstance(updated.value, cst.Name) and updated.value.value == "self"):
            return updated
        name = updated.attr.value
        axes = cst.Attribute(cst.Name("self"), cst.Name("axes"))
        if name in _SAME_ON_AXES:
            return cst.Attribute(axes, updated.attr)
        if name in _RENAMED_ON_AXES:
            return cst.Attribute(axes, cst.Name(_RENAMED_ON_AXES[name]))
        if name in _UNSUPPORTED:
            self.unsupported.add(name)
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if dotted_name(updated.func) != "self.setup_axes":
            return updated
        animate = keyword(updated, "animate")
        if animate is not None and not (
            isinstance(animate.value, cst.Name) and animate.value.value == "False"
        ):
            return cst.parse_expression("self.play(Create(self.axes))")
        return cst.parse_expression("self.add(self.axes)")


def _class_attrs(cls: cst.ClassDef) -> set[str]:
    names: set[str] = set()
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for s in stmt.body:
                if isinstance(s, cst.Assign):
                    names |= {t.target.value for t in s.targets if isinstance(t.target, cst.Name)}
                    if isinstance(s.value, cst.Dict) and names & {
                        "CONFIG"
                    }:  # keys become attributes (UPG024)
                        names |= {
                            str(e.key.evaluated_value)
                            for e in s.value.elements
                            if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
                        }
    return names


def _axes_setup(attrs: set[str]) -> list[cst.BaseStatement]:
    def v(key: str) -> str:
        return f"self.{key}" if key in attrs else _DEFAULTS[key]

    make = (
        f"self.axes = Axes(x_range=[{v('x_min')}, {v('x_max')}, {v('x_tick_frequency')}], "
        f"y_range=[{v('y_min')}, {v('y_max')}, {v('y_tick_frequency')}], "
        f"x_length={v('x_axis_width')}, y_length={v('y_axis_height')})\n"
    )
    shift = f"self.axes.shift({v('graph_origin')} - self.axes.c2p(0, 0))\n"
    return [cst.parse_statement(make), cst.parse_statement(shift)]


class GraphSceneRewriter(Rewriter):
    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        bases = [a for a in updated.bases if dotted_name(a.value) == "GraphScene"]
        if not bases or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        to_axes = _ToAxes()
        body = updated.body.visit(to_axes)
        if to_axes.unsupported:
            self.exclude("upgrade:graph-scene")
            return updated
        setup = _axes_setup(_class_attrs(updated))
        new_stmts: list[cst.BaseStatement] = []
        found = False
        for stmt in body.body:
            if (
                isinstance(stmt, cst.FunctionDef)
                and stmt.name.value == "construct"
                and isinstance(stmt.body, cst.IndentedBlock)
            ):
                stmt = stmt.with_changes(body=stmt.body.with_changes(body=[*setup, *stmt.body.body]))
                found = True
            new_stmts.append(stmt)
        if not found:
            self.exclude("upgrade:graph-scene")
            return updated
        self.hit()
        new_bases = [a.with_changes(value=cst.Name("Scene")) if a in bases else a for a in updated.bases]
        return updated.with_changes(bases=new_bases, body=body.with_changes(body=new_stmts))
