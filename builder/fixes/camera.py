"""The camera: `camera_frame`, the 3-D camera's distance accessors, GL's `InteractiveScene` and `self.frame`.

Why: CE moved the moving camera's frame to `self.camera.frame` (0.4.0) and renamed the 3-D camera's
`distance` to `focal_distance` (0.13.0); ManimGL scenes move the camera through `self.frame` and
derive from `InteractiveScene`. All fail on manim 0.22 with an AttributeError or NameError.
"""

from __future__ import annotations

import libcst as cst

from builder.fixes.base import Rewriter, dotted_name
from builder.fixes.rewriters import replace_dotted
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
        transformer=replace_dotted({"self.frame": "self.camera.frame"}),
        triggers=("self.frame",),
    ),
)  # fmt: skip
