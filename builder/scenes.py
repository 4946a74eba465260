"""Find the Scene subclasses a program defines (cheap, AST only)."""

from __future__ import annotations

import ast

# Scene base classes of Manim CE, ManimGL and common plugins. A class counts as a scene when it
# inherits from one of these, directly or through classes defined in the same program.
SCENE_BASES = frozenset(
    {
        # Community Edition (checked against the installed manim in the tests)
        "Scene",
        "MovingCameraScene",
        "ThreeDScene",
        "ZoomedScene",
        "VectorScene",
        "LinearTransformationScene",
        "SpecialThreeDScene",
        # ManimGL and pre-2021 manimlib
        "InteractiveScene",
        "GraphScene",
        "ReconfigurableScene",
        "SampleSpaceScene",
        "NumberLineScene",
        "ExternallyAnimatedScene",
        "TeacherStudentsScene",
        "PiCreatureScene",
        # plugins
        "VoiceoverScene",
        "Slide",
        "ThreeDSlide",
        "SpaceScene",
        "MovingCameraSlide",
    }
)


CE_SCENE_BASES = frozenset(
    {"Scene", "MovingCameraScene", "ThreeDScene", "ZoomedScene", "VectorScene", "LinearTransformationScene"}
)


def _base_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def scene_classes(tree: ast.Module) -> list[str]:
    """Names of module-level classes that are scenes and have (or inherit) `construct`, in order."""
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}

    def has_construct(name: str, seen: frozenset[str] = frozenset()) -> bool:
        node = classes[name]
        if any(
            isinstance(b, ast.FunctionDef | ast.AsyncFunctionDef) and b.name == "construct" for b in node.body
        ):
            return True
        local_bases = [b for b in map(_base_name, node.bases) if b in classes and b not in seen]
        return any(has_construct(b, seen | {name}) for b in local_bases)

    def is_scene(name: str, seen: frozenset[str] = frozenset()) -> bool:
        for base in map(_base_name, classes[name].bases):
            if base in SCENE_BASES and base not in classes:
                return True
            if base in classes and base not in seen and is_scene(base, seen | {name}):
                return True
        return False

    return [name for name in classes if is_scene(name) and has_construct(name)]
