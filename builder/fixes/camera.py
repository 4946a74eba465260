"""The camera: `camera_frame`, the 3-D camera's distance accessors, GL's `InteractiveScene` and `self.frame`.

Why: CE moved the moving camera's frame to `self.camera.frame` (0.4.0) and renamed the 3-D camera's
`distance` to `focal_distance` (0.13.0); ManimGL scenes move the camera through `self.frame` and
derive from `InteractiveScene`. All fail on manim 0.22 with an AttributeError or NameError. A GL scene
that turns its frame in 3-D (`reorient`, `set_euler_angles`, `increment_theta`...) becomes a CE
`ThreeDScene` whose camera calls say the same (GL's theta 0 is CE's theta -90 degrees); one that only
pans and zooms becomes a `MovingCameraScene`.
"""

from __future__ import annotations

import libcst as cst

from builder.fixes.base import Rewriter, dotted_name, kwarg
from builder.fixes.rewriters import ReplaceDotted, replace_dotted
from builder.fixes.types import Example, Fix, example, scene

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


FRAME_3D_METHODS = frozenset(
    {"reorient", "set_euler_angles", "increment_theta", "increment_phi", "increment_gamma", "set_theta",
     "set_phi", "set_gamma", "add_ambient_rotation"}
)  # fmt: skip


class _FrameUse(cst.CSTVisitor):
    """Whether a class uses `self.frame`, and whether it turns it in 3-D (directly or via `frame = self.frame`)."""

    def __init__(self) -> None:
        self.found = False
        self.turns = False
        self.aliases: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        if dotted_name(node.value) == "self.frame":
            self.aliases |= {t.target.value for t in node.targets if isinstance(t.target, cst.Name)}

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if dotted_name(node) == "self.frame":
            self.found = True
        if node.attr.value in FRAME_3D_METHODS:
            self.turns = True  # a GL-only name: only GL's camera frame has it


def _frame_use(node: cst.ClassDef) -> _FrameUse:
    use = _FrameUse()
    node.visit(use)
    return use


def _is_3d(node: cst.ClassDef) -> bool:
    return any(dotted_name(a.value) in {"ThreeDScene", "SpecialThreeDScene"} for a in node.bases)


class InteractiveScene(Rewriter):
    """GL `InteractiveScene` -> CE `Scene`; `MovingCameraScene` when it moves `self.frame`, `ThreeDScene`
    when it turns the frame in 3-D (a GL `Scene` that moves its frame likewise)."""

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        use = _frame_use(original)
        target = "ThreeDScene" if use.found and use.turns else "MovingCameraScene" if use.found else "Scene"
        bases = []
        changed = False
        for a in updated.bases:
            name = dotted_name(a.value)
            if name == "InteractiveScene" or (name == "Scene" and use.found):
                a = a.with_changes(value=cst.Name(target))
                changed = True
            bases.append(a)
        if not changed:
            return updated
        self.hit()
        return updated.with_changes(bases=bases)


class FrameToCameraFrame(ReplaceDotted):
    """`self.frame` -> `self.camera.frame`, except in 3-D scenes (GL013 turns their camera)."""

    def __init__(self) -> None:
        super().__init__({"self.frame": "self.camera.frame"})
        self.depth = 0

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.depth += _is_3d(node)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.depth -= _is_3d(original)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        return updated if self.depth else super().leave_Attribute(original, updated)


def _degrees(expr: cst.BaseExpression, shift: int = 0) -> cst.BaseExpression:
    """GL angles in degrees as CE radians: `(x + shift) * DEGREES`, folded for number literals."""
    if isinstance(expr, cst.Integer | cst.Float) or (
        isinstance(expr, cst.UnaryOperation) and isinstance(expr.expression, cst.Integer | cst.Float)
    ):
        value = float(cst.Module(body=[]).code_for_node(expr)) + shift
        text = str(int(value)) if value == int(value) else repr(value)
        return cst.parse_expression(f"{text} * DEGREES")
    inner = cst.Module(body=[]).code_for_node(expr)
    return cst.parse_expression(f"({inner} + {shift}) * DEGREES" if shift else f"({inner}) * DEGREES")


def _code(expr: cst.BaseExpression) -> str:
    return cst.Module(body=[]).code_for_node(expr)


def _orientation(method: str, args: list[cst.Arg]) -> dict[str, cst.BaseExpression] | None:
    """CE camera keywords for one GL frame call, or None when the call has no mechanical equivalent."""
    pos = [a.value for a in args if a.keyword is None and not a.star]
    named = {a.keyword.value: a.value for a in args if a.keyword is not None}
    if method == "reorient":
        keys = ("theta_degrees", "phi_degrees", "gamma_degrees", "center", "height")
        given = dict(zip(keys, pos, strict=False)) | named
        out: dict[str, cst.BaseExpression] = {}
        for gl, ce, shift in (
            ("theta_degrees", "theta", -90),
            ("phi_degrees", "phi", 0),
            ("gamma_degrees", "gamma", 0),
        ):
            if gl in given and not (isinstance(given[gl], cst.Name) and given[gl].value == "None"):
                out[ce] = _degrees(given[gl], shift)
        if "center" in given:
            out["frame_center"] = given["center"]
        if "height" in given:
            out["zoom"] = cst.parse_expression(f"config.frame_height / ({_code(given['height'])})")
        return out
    if method in {"set_euler_angles", "set_theta", "set_phi", "set_gamma"}:
        keys = ("theta", "phi", "gamma") if method == "set_euler_angles" else (method[4:],)
        given = dict(zip(keys, pos, strict=False)) | {k: v for k, v in named.items() if k in keys}
        if "units" in named or set(named) - set(keys) - {"units"}:
            return None
        return {
            k: (cst.parse_expression(f"{_code(v)} - 90 * DEGREES") if k == "theta" else v)
            for k, v in given.items()
        }
    if method in {"increment_theta", "increment_phi", "increment_gamma"} and len(pos) == 1:
        angle = method.split("_")[1]
        return {angle: cst.parse_expression(f"self.camera.get_{angle}() + ({_code(pos[0])})")}
    if method in {"set_height", "set_width"} and len(pos) == 1:
        size = "frame_height" if method == "set_height" else "frame_width"
        return {"zoom": cst.parse_expression(f"config.{size} / ({_code(pos[0])})")}
    if method == "move_to" and len(pos) == 1:
        return {"frame_center": pos[0]}
    if method == "to_default_state" and not args:
        return {k: cst.parse_expression(v) for k, v in
                (("phi", "0"), ("theta", "-90 * DEGREES"), ("gamma", "0"), ("zoom", "1"), ("frame_center", "ORIGIN"))}  # fmt: skip
    return None


def _frame_chain(expr: cst.BaseExpression, frames: set[str]) -> tuple[bool, list[cst.Call]] | None:
    """`F.m(...)` or `F.animate.m(...).n(...)` on a frame `F`: (animated, the method calls in order)."""
    calls: list[cst.Call] = []
    while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        calls.append(expr)
        expr = expr.func.value
    animated = isinstance(expr, cst.Attribute) and expr.attr.value == "animate"
    if animated:
        expr = expr.value  # type: ignore[union-attr]
    if not calls or dotted_name(expr) not in frames:
        return None
    return animated, calls[::-1]


def _camera_keywords(calls: list[cst.Call]) -> dict[str, cst.BaseExpression] | None:
    merged: dict[str, cst.BaseExpression] = {}
    for call in calls:
        found = _orientation(call.func.attr.value, list(call.args))  # type: ignore[union-attr]
        if found is None:
            return None
        merged |= found
    return merged


def _ambient_rate(call: cst.Call) -> cst.BaseExpression | None:
    """`F.add_updater(lambda m, dt: m.increment_theta(k * dt))` / `F.add_ambient_rotation(k)`: the rate k."""
    method = call.func.attr.value  # type: ignore[union-attr]
    if method == "add_ambient_rotation":
        return call.args[0].value if call.args else cst.parse_expression("1 * DEGREES")
    if method != "add_updater" or len(call.args) != 1 or not isinstance(call.args[0].value, cst.Lambda):
        return None
    body = call.args[0].value.body
    params = [p.name.value for p in call.args[0].value.params.params]
    if len(params) != 2 or not (isinstance(body, cst.Call) and isinstance(body.func, cst.Attribute)):
        return None
    if body.func.attr.value != "increment_theta" or len(body.args) != 1:
        return None
    factors = _factors(body.args[0].value)
    dts = [f for f in factors if isinstance(f, cst.Name) and f.value == params[1]]
    if len(dts) != 1 or len(factors) < 2:
        return None
    rest = [_code(f) for f in factors if f is not dts[0]]
    return cst.parse_expression(" * ".join(rest))


def _factors(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The operands of a product chain (`dt * 5 * DEG` -> dt, 5, DEG); a non-product is one factor."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply) and not expr.lpar:
        return _factors(expr.left) + _factors(expr.right)
    return [expr]


class Frame3D(Rewriter):
    """In 3-D scenes: GL frame calls -> `set_camera_orientation` / `move_camera` / ambient rotation."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[set[str]] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.frames.append({"self.frame", *_frame_use(node).aliases} if _is_3d(node) else set())

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.frames.pop()
        return updated

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        frames = self.frames[-1] if self.frames else set()
        if not frames or len(updated.body) != 1:
            return updated
        small = updated.body[0]
        if isinstance(small, cst.Assign) and dotted_name(small.value) == "self.frame":
            return updated  # the alias goes once nothing reads it (checked in leave_IndentedBlock)
        if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
            return updated
        new = self._statement(small.value, frames)
        if new is None:
            return updated
        self.hit()
        return updated.with_changes(body=[cst.Expr(new)])

    def _statement(self, call: cst.Call, frames: set[str]) -> cst.Call | None:
        chain = _frame_chain(call, frames)
        if chain is not None and not chain[0]:
            if len(chain[1]) == 1 and dotted_name(chain[1][0].func.value) in frames:  # type: ignore[union-attr]
                method = chain[1][0].func.attr.value  # type: ignore[union-attr]
                if method in {"clear_updaters", "remove_updater"}:
                    return cst.parse_expression("self.stop_ambient_camera_rotation()")  # type: ignore[return-value]
                rate = _ambient_rate(chain[1][0])
                if rate is not None:
                    return cst.Call(
                        cst.parse_expression("self.begin_ambient_camera_rotation"), [kwarg("rate", rate)]
                    )
            keywords = _camera_keywords(chain[1])
            if keywords is None:
                return None
            return cst.Call(
                cst.parse_expression("self.set_camera_orientation"),
                [kwarg(k, v) for k, v in keywords.items()],
            )
        if dotted_name(call.func) != "self.play":
            return None
        moves = [(a, _frame_chain(a.value, frames)) for a in call.args if a.keyword is None]
        moving = [(a, c) for a, c in moves if c is not None and c[0]]
        if len(moving) != 1:
            return None
        keywords = _camera_keywords(moving[0][1][1])
        if keywords is None:
            return None
        others = [a for a, c in moves if c is None]
        args = [kwarg(k, v) for k, v in keywords.items()]
        if others:
            listed = ", ".join(_code(a.value) for a in others)
            args.append(kwarg("added_anims", cst.parse_expression(f"[{listed}]")))
        args += [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in call.args if a.keyword is not None]
        return cst.Call(cst.parse_expression("self.move_camera"), args)

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        frames = self.frames[-1] if self.frames else set()
        if not frames:
            return updated
        code = cst.Module(body=list(updated.body)).code
        body = []
        for stmt in updated.body:
            small = (
                stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
            )
            if isinstance(small, cst.Assign) and dotted_name(small.value) == "self.frame":
                names = [t.target.value for t in small.targets if isinstance(t.target, cst.Name)]
                if names and all(code.count(f"{n}.") == 0 for n in names):
                    self.hit()
                    continue
            body.append(stmt)
        return updated.with_changes(body=body or [cst.SimpleStatementLine([cst.Pass()])])


class FrameDefaultState(Rewriter):
    """GL `frame.to_default_state()` in a 2-D scene -> back to the full frame at the origin."""

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if not (
            isinstance(func, cst.Attribute) and func.attr.value == "to_default_state" and not updated.args
        ):
            return updated
        owner = dotted_name(func.value) or ""
        if not (owner.endswith("frame") or owner.endswith("frame.animate")):
            return updated
        self.hit()
        return cst.parse_expression(f"{_code(func.value)}.set(width=config.frame_width).move_to(ORIGIN)")


class _Both(Rewriter):
    """GL013 as one pass: the 3-D frame calls, then `to_default_state` in 2-D scenes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts = (Frame3D(), FrameDefaultState())

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        for part in self.parts:
            updated = updated.visit(part)
            self.labels += part.labels
        return updated


FIXES: tuple[Fix, ...] = (
    Fix(
        "UPG018", "camera-frame-attribute",
        "`MovingCameraScene.camera_frame` was removed in 0.4.0; the frame is `self.camera.frame`.",
        "upgrade",
        (example("self.play(self.camera_frame.animate.scale(0.5))", "self.play(self.camera.frame.animate.scale(0.5))", base="MovingCameraScene"),),
        transformer=replace_dotted({"self.camera_frame": "self.camera.frame"}),
        triggers=("camera_frame",),
    ),
    Fix(
        "UPG035", "camera-distance-accessors",
        "The 3-D camera's `distance` became `focal_distance` in 0.13.0: `camera.get_distance()`, `set_distance()` and `distance_tracker` are now `get_focal_distance()`, `set_focal_distance()` and `focal_distance_tracker` (keywords are handled by UPG030).",
        "upgrade",
        (
            example(
                "self.camera.set_distance(12)\nself.add(Cube(), Text(str(self.camera.get_distance())))\nself.play(self.camera.distance_tracker.animate.set_value(10), run_time=0.1)",
                "self.camera.set_focal_distance(12)\nself.add(Cube(), Text(str(self.camera.get_focal_distance())))\nself.play(self.camera.focal_distance_tracker.animate.set_value(10), run_time=0.1)",
                base="ThreeDScene",
            ),
        ),
        transformer=CameraDistanceAccessors,
        triggers=("distance",),
    ),
    Fix(
        "GL004", "interactive-scene-to-scene",
        "GL `InteractiveScene` is a plain scene with editing tools; in CE it is `Scene`, or `MovingCameraScene` when the scene moves `self.frame`.",
        "gl",
        (Example(scene("self.add(Circle())", base="InteractiveScene"), scene("self.add(Circle())")),),
        transformer=InteractiveScene,
        triggers=("InteractiveScene", "self.frame"),
    ),
    Fix(
        "GL005", "self-frame-to-camera-frame",
        "GL scenes move the camera through `self.frame`; CE's `MovingCameraScene` exposes it as `self.camera.frame`.",
        "gl",
        (example("self.add(Circle())\nself.play(self.frame.animate.scale(1.5))", "self.add(Circle())\nself.play(self.camera.frame.animate.scale(1.5))", base="MovingCameraScene"),),
        transformer=FrameToCameraFrame,
        triggers=("self.frame",),
    ),
    Fix(
        "GL013", "gl-3d-frame-to-camera",
        "A GL scene that turns `self.frame` in 3-D (GL004 makes it a `ThreeDScene`): `frame.reorient(theta, phi, gamma, center, height)` (degrees) and `set_euler_angles` become `self.set_camera_orientation(...)`, `self.play(frame.animate.reorient(...), *anims)` becomes `self.move_camera(..., added_anims=[...])`, an updater that increments theta becomes an ambient camera rotation. GL's theta 0 is CE's theta -90 degrees; `frame.to_default_state()` in a 2-D scene returns to the full frame.",
        "gl",
        (
            Example(
                scene("frame = self.frame\nframe.reorient(20, 70)\nself.add(Cube(side_length=1))\nself.play(frame.animate.reorient(-30, 60), run_time=1)\nframe.add_updater(lambda m, dt: m.increment_theta(0.1 * dt))\nself.wait()", base="ThreeDScene"),
                scene("self.set_camera_orientation(theta=-70 * DEGREES, phi=70 * DEGREES)\nself.add(Cube(side_length=1))\nself.move_camera(theta=-120 * DEGREES, phi=60 * DEGREES, run_time=1)\nself.begin_ambient_camera_rotation(rate=0.1)\nself.wait()", base="ThreeDScene"),
            ),
            Example(
                scene("self.add(Square())\nself.play(self.camera.frame.animate.scale(0.5))\nself.play(self.camera.frame.animate.to_default_state())", base="MovingCameraScene"),
                scene("self.add(Square())\nself.play(self.camera.frame.animate.scale(0.5))\nself.play(self.camera.frame.animate.set(width=config.frame_width).move_to(ORIGIN))", base="MovingCameraScene"),
            ),
        ),
        transformer=lambda: _Both(),
        triggers=(*FRAME_3D_METHODS, "to_default_state"),
    ),
)  # fmt: skip
