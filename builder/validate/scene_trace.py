"""The trace a scene leaves while it runs in the child: classes added and played, on-screen strings,
colours, camera. It feeds descriptions (builder/captions/), never the verdict.

Strings are sent as `start:end` spans of the program text, and only when they occur literally in it,
so a trace cannot carry what a scene computed or read from a file; the host re-checks every field
(validate/protocol.py for the shape, validate/trace.py against the code). Standard library and manim
only: the worker imports it by path inside the sandbox, next to child.py.
"""

from __future__ import annotations

from typing import Any

TRACE_NAMES = 40  # distinct mobject classes kept in a trace
TRACE_ANIMATIONS = 64  # animation class names kept, in play order
TRACE_TEXTS = 12  # on-screen strings kept
TRACE_COLOURS = 8
_FAMILY_WALK = 200  # submobjects looked at per added mobject
_GROUPS = frozenset({"VGroup", "Group", "VDict", "Mobject", "VMobject"})


class Trace:
    """What a scene shows, for descriptions: classes added and played, on-screen strings, colours.

    On-screen strings are sent as spans of the program's own text (`start:end`), and only when the
    string occurs literally in it: a trace can never carry text the scene read from somewhere else.
    """

    def __init__(self, code: str) -> None:
        self.code = code
        self.mobjects: list[str] = []
        self.animations: list[str] = []
        self.texts: list[tuple[int, int]] = []
        self.colours: list[str] = []
        self.n_animations = 0
        self._seen: set[int] = set()

    def mobject(self, mob: Any, depth: int = 0) -> None:
        if id(mob) in self._seen or len(self._seen) > 10_000:
            return
        self._seen.add(id(mob))
        name = type(mob).__name__
        if name not in self.mobjects and len(self.mobjects) < TRACE_NAMES:
            self.mobjects.append(name)
        self._colour(mob)
        if self._text(mob):
            return
        subs = list(getattr(mob, "submobjects", ()) or ())[:_FAMILY_WALK] if name in _GROUPS else []
        if name in _GROUPS and depth < 3:  # a group's members are what it shows; a Axes' ticks are not
            for sub in subs:
                self.mobject(sub, depth + 1)

    def _text(self, mob: Any) -> bool:
        strings = getattr(mob, "tex_strings", None)
        if not isinstance(strings, list | tuple):
            original = getattr(mob, "original_text", None)
            strings = [original] if isinstance(original, str) else None
        if strings is None:
            return False
        for text in strings:
            if isinstance(text, str) and 0 < len(text.strip()) <= 160 and len(self.texts) < TRACE_TEXTS:
                start = self.code.find(text)
                span = (start, start + len(text))
                if start >= 0 and span not in self.texts:
                    self.texts.append(span)
        return True

    def _colour(self, mob: Any) -> None:
        if len(self.colours) >= TRACE_COLOURS:
            return
        try:
            hexa = str(mob.get_color().to_hex()).lower()[:7]
        except Exception:
            return
        if len(hexa) == 7 and hexa not in self.colours:
            self.colours.append(hexa)

    def animation(self, anim: Any) -> None:
        from manim import Animation

        mob = getattr(anim, "mobject", None)
        name = "animate" if type(anim).__name__ == "_AnimationBuilder" else type(anim).__name__
        if isinstance(anim, Animation) or name == "animate":
            self.n_animations += 1
            if len(self.animations) < TRACE_ANIMATIONS:
                self.animations.append(name)
            if mob is not None:
                self.mobject(mob)
            for inner in list(getattr(anim, "animations", ()) or ())[:20]:
                if isinstance(inner, Animation):
                    if len(self.animations) < TRACE_ANIMATIONS:
                        self.animations.append(type(inner).__name__)
                    if getattr(inner, "mobject", None) is not None:
                        self.mobject(inner.mobject)

    def fields(self, scene: Any) -> dict[str, Any]:
        from manim import MovingCameraScene, ThreeDScene

        camera = (
            "3d"
            if isinstance(scene, ThreeDScene)
            else "moving"
            if isinstance(scene, MovingCameraScene)
            else "2d"
        )
        return {
            "trace_mobjects": ",".join(self.mobjects),
            "trace_animations": ",".join(self.animations),
            "trace_texts": ",".join(f"{a}:{b}" for a, b in self.texts),
            "trace_colours": ",".join(self.colours),
            "trace_camera": camera,
            "n_animations": self.n_animations,
        }
