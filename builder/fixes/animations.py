"""Animation upgrades: `ShowCreation`, the old fade family, indications, flashes, methods passed to `play`.

Why: Manim CE 0.21+ keeps no deprecated aliases, so animations written for older releases fail with a
NameError or TypeError although their intent is clear. Each fix follows one row of the CE changelog
(see /work/shared/CE_API_CHANGES.md) and is one small libcst transformer.
"""

from __future__ import annotations

import re

import libcst as cst

from builder.fixes.base import DIRECTIONS, Rewriter, dotted_name, keyword, kwarg, positional, with_args
from builder.fixes.rewriters import (
    CallFn,
    RenameCallKeywords,
    rename_names,
    rewrite_call_table,
    rewrite_calls,
)
from builder.fixes.types import Fix, example


def _named(name: str) -> cst.Name:
    return cst.Name(name)


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


def _rest(call: cst.Call, drop: list[cst.Arg]) -> list[cst.Arg]:
    """The call's arguments without `drop` (compared by identity)."""
    return [a for a in call.args if not any(a is d for d in drop)]


def _fade_shift(new: str, default: str, *, flip: bool = False, mobject_only: bool = False) -> CallFn:
    """`Old(m[, d])` -> `new(m, shift=d)` (`-d` when `flip`; `default` without `d`).
    `mobject_only`: the old animation took no direction, so only `Old(m)` is rewritten."""

    def fn(call: cst.Call) -> cst.Call | None:
        pos = positional(call)
        if not pos or (mobject_only and len(pos) != 1):
            return None
        direction = pos[1].value if len(pos) > 1 else _named(default)
        if flip and len(pos) > 1:
            direction = _neg(direction)
        args = [pos[0], kwarg("shift", direction), *_rest(call, pos[:2])]
        return with_args(call.with_changes(func=_named(new)), args)

    return fn


def _fade_variants(call: cst.Call) -> cst.Call | None:
    name = call.func.value if isinstance(call.func, cst.Name) else ""
    pos = positional(call)
    if name in ("VFadeIn", "VFadeOut"):
        return call.with_changes(func=_named(name[1:]))
    if not pos:
        return None
    rest = _rest(call, pos[:2])
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
    if len(pos) != 1:
        return None
    shown = pos[0].value
    if dotted_name(shown) is None:  # the mobject is used twice: build it once, in the Create
        shown = cst.parse_expression("_shown")
        first = cst.Arg(cst.NamedExpr(cst.Name("_shown"), pos[0].value))
    else:
        first = pos[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    create = cst.Call(_named("Create"), [first])
    fade = cst.Call(_named("FadeOut"), [cst.Arg(shown)])
    return with_args(cst.Call(_named("Succession")), [cst.Arg(create), cst.Arg(fade), *_rest(call, pos[:1])])


class RotatingAngle(RenameCallKeywords):
    """`Rotating(m, radians=a)` -> `Rotating(m, angle=a)`."""

    CALLS = frozenset({"Rotating"})
    MAP = {"radians": "angle"}


MOBJECT_METHODS = frozenset(
    {
        "shift", "move_to", "scale", "rotate", "set_color", "next_to", "to_edge", "to_corner", "set_fill",
        "set_stroke", "flip", "stretch", "set_width", "set_height", "become", "arrange", "fade",
        "set_opacity", "match_color", "center", "align_to", "set_x", "set_y", "set_z", "set_value",
        "increment_value", "set_color_by_gradient", "stretch_to_fit_width", "stretch_to_fit_height",
        "match_height", "match_width", "set_coord", "rotate_about_origin", "put_start_and_end_on",
    }
)  # fmt: skip
# A sharper pre-filter than "play(" (a text search to skip a libcst pass, never to rewrite): a method
# passed uncalled, as in `play(m.shift, LEFT)`.
_UNCALLED_METHOD = re.compile(r"\.(?:" + "|".join(sorted(MOBJECT_METHODS)) + r")\s*[,)]")


def _is_method(arg: cst.Arg) -> bool:
    v = arg.value
    return (
        arg.keyword is None
        and not arg.star
        and isinstance(v, cst.Attribute)
        and v.attr.value in MOBJECT_METHODS
        and not (isinstance(v.value, cst.Name) and v.value.value == "self")
    )


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
            if not _is_method(a):
                out.append(a)
                i += 1
                continue
            j = i + 1
            while j < len(args) and args[j].keyword is None and not args[j].star:
                if _starts_animation(args[j].value):
                    break
                j += 1
            v = a.value
            assert isinstance(v, cst.Attribute)
            method_args = [b.with_changes(comma=cst.MaybeSentinel.DEFAULT) for b in args[i + 1 : j]]
            animate = cst.Attribute(v.value, cst.Name("animate"))
            out.append(a.with_changes(value=with_args(cst.Call(cst.Attribute(animate, v.attr)), method_args)))
            changed = True
            i = j
        if not changed:
            return updated
        self.hit()
        return with_args(updated, out)


def _starts_animation(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value[:1].isupper():
        return True
    if isinstance(expr, cst.Attribute) and expr.attr.value in MOBJECT_METHODS:
        return True
    return _mentions_animate(expr)


def _mentions_animate(node: cst.BaseExpression) -> bool:
    """True for `m.animate.shift(...)...`: walks the call/attribute chain."""
    while isinstance(node, (cst.Call, cst.Attribute)):
        if isinstance(node, cst.Attribute) and node.attr.value == "animate":
            return True
        node = node.func if isinstance(node, cst.Call) else node.value
    return False


_FADE_VARIANTS = ("FadeInFromLarge", "FadeInFromPoint", "FadeOutToPoint", "VFadeIn", "VFadeOut")
_CIRCUMSCRIBED = (
    "CircleIndicate", "ShowPassingFlashAround", "ShowCreationThenDestructionAround",
    "ShowCreationThenFadeAround", "AnimationOnSurroundingRectangle",
)  # fmt: skip

FIXES: tuple[Fix, ...] = (
    Fix(
        "UPG001", "show-creation-to-create",
        "`ShowCreation` was renamed `Create` (removed in 0.7.0).",
        "upgrade",
        (example("self.play(ShowCreation(Circle()))", "self.play(Create(Circle()))"),),
        transformer=rename_names({"ShowCreation": "Create"}),
        triggers=("ShowCreation",),
    ),
    Fix(
        "UPG005", "fade-in-from-down-to-shift",
        "`FadeInFromDown(m)` and `FadeOutAndShiftDown(m)` became `FadeIn(m, shift=UP)` and `FadeOut(m, shift=DOWN)`.",
        "upgrade",
        (
            example(
                "d = Dot()\nself.play(FadeInFromDown(d))\nself.play(FadeOutAndShiftDown(d))",
                "d = Dot()\nself.play(FadeIn(d, shift=UP))\nself.play(FadeOut(d, shift=DOWN))",
            ),
        ),
        transformer=rewrite_call_table(
            {
                "FadeInFromDown": _fade_shift("FadeIn", "UP", mobject_only=True),
                "FadeOutAndShiftDown": _fade_shift("FadeOut", "DOWN", mobject_only=True),
            }
        ),
        triggers=("FadeInFromDown", "FadeOutAndShiftDown"),
    ),
    Fix(
        "UPG006", "fade-in-from-to-shift",
        "`FadeInFrom(m, d)` moved in *from* `d`; `FadeIn(m, shift=...)` moves *along* the vector, so the sign flips: `shift=-d`.",
        "upgrade",
        (example("self.play(FadeInFrom(Square(), LEFT))", "self.play(FadeIn(Square(), shift=-LEFT))"),),
        transformer=rewrite_calls({"FadeInFrom"}, _fade_shift("FadeIn", "UP", flip=True)),  # old default: DOWN
        triggers=("FadeInFrom",),
    ),
    Fix(
        "UPG007", "fade-out-and-shift-to-shift",
        "`FadeOutAndShift(m, d)` became `FadeOut(m, shift=d)` (same direction).",
        "upgrade",
        (example("s = Square()\nself.add(s)\nself.play(FadeOutAndShift(s, UP))", "s = Square()\nself.add(s)\nself.play(FadeOut(s, shift=UP))"),),
        transformer=rewrite_calls({"FadeOutAndShift"}, _fade_shift("FadeOut", "DOWN")),
        triggers=("FadeOutAndShift",),
    ),
    Fix(
        "UPG008", "fade-variants",
        "`FadeInFromLarge(m, s)`, `FadeInFromPoint(m, p)`, `FadeOutToPoint(m, p)`, `VFadeIn`, `VFadeOut` were folded into `FadeIn`/`FadeOut` keywords.",
        "upgrade",
        (
            example(
                "s = Square()\nself.play(FadeInFromLarge(s, 3))\nself.play(FadeOutToPoint(s, UP))",
                "s = Square()\nself.play(FadeIn(s, scale=3))\nself.play(FadeOut(s, target_position=UP))",
            ),
            example("self.play(VFadeIn(Circle()))", "self.play(FadeIn(Circle()))"),
        ),
        transformer=rewrite_calls(set(_FADE_VARIANTS), _fade_variants),
        triggers=_FADE_VARIANTS,
    ),
    Fix(
        "UPG009", "indications-to-circumscribe",
        "`CircleIndicate`, `ShowPassingFlashAround`, `ShowCreationThenDestructionAround`, `ShowCreationThenFadeAround` and `AnimationOnSurroundingRectangle` became `Circumscribe`.",
        "upgrade",
        (example("c = Circle()\nself.add(c)\nself.play(CircleIndicate(c))", "c = Circle()\nself.add(c)\nself.play(Circumscribe(c, shape=Circle))"),),
        transformer=rewrite_calls(set(_CIRCUMSCRIBED), _to_circumscribe),
        triggers=("CircleIndicate", "Around", "AnimationOnSurroundingRectangle"),
    ),
    Fix(
        "UPG010", "wiggle-out-then-in-to-wiggle",
        "`WiggleOutThenIn` was renamed `Wiggle`.",
        "upgrade",
        (example("s = Square()\nself.add(s)\nself.play(WiggleOutThenIn(s))", "s = Square()\nself.add(s)\nself.play(Wiggle(s))"),),
        transformer=rename_names({"WiggleOutThenIn": "Wiggle"}),
        triggers=("WiggleOutThenIn",),
    ),
    Fix(
        "UPG011", "creation-then-destruction-to-passing-flash",
        "`ShowCreationThenDestruction(m)` became `ShowPassingFlash(m, time_width=...)`.",
        "upgrade",
        (example("self.play(ShowCreationThenDestruction(Line(LEFT, RIGHT)))", "self.play(ShowPassingFlash(Line(LEFT, RIGHT), time_width=0.5))"),),
        transformer=rewrite_calls({"ShowCreationThenDestruction"}, _creation_then_destruction),
        triggers=("ShowCreationThenDestruction",),
    ),
    Fix(
        "UPG012", "creation-then-fade-out-to-succession",
        "`ShowCreationThenFadeOut(m)` was removed in 0.18.1; `Succession(Create(m), FadeOut(m))` does the same (a mobject built in the call is built once: `Create(_shown := ...)`).",
        "upgrade",
        (
            example("s = Square()\nself.play(ShowCreationThenFadeOut(s))", "s = Square()\nself.play(Succession(Create(s), FadeOut(s)))"),
            example("self.play(ShowCreationThenFadeOut(Circle(radius=2)))", "self.play(Succession(Create(_shown := Circle(radius=2)), FadeOut(_shown)))"),
        ),
        transformer=rewrite_calls({"ShowCreationThenFadeOut"}, _creation_then_fade_out),
        triggers=("ShowCreationThenFadeOut",),
    ),
    Fix(
        "UPG036", "rotating-radians-to-angle",
        "`Rotating` took the amount to turn as `radians=`; current CE calls it `angle=` (as `Rotate` does) and rejects the old keyword.",
        "upgrade",
        (example("s = Square()\nself.play(Rotating(s, radians=PI / 2, run_time=0.5))", "s = Square()\nself.play(Rotating(s, angle=PI / 2, run_time=0.5))"),),
        transformer=RotatingAngle,
        triggers=("Rotating",),
        precheck=lambda code: "radians" in code,
    ),
    Fix(
        "UPG023", "method-as-animation-to-animate",
        "Passing a bound method and its arguments to `play` was removed in 0.2.0; `mob.animate.method(args)` is the replacement.",
        "upgrade",
        (example("s = Square()\nself.add(s)\nself.play(s.shift, LEFT, s.set_color, RED, run_time=0.5)", "s = Square()\nself.add(s)\nself.play(s.animate.shift(LEFT), s.animate.set_color(RED), run_time=0.5)"),),
        transformer=MethodAsAnimation,
        triggers=("play(",),
        precheck=lambda code: _UNCALLED_METHOD.search(code) is not None,
    ),
    Fix(
        "UPG025", "fade-direction-to-shift",
        "Old `FadeIn(m, UP)`/`FadeOut(m, DOWN)` took the direction positionally; now every positional argument is a mobject, so it becomes `shift=`.",
        "upgrade",
        (example("self.play(FadeIn(Square(), 2 * UP))", "self.play(FadeIn(Square(), shift=2 * UP))"),),
        transformer=rewrite_calls({"FadeIn", "FadeOut"}, _fade_direction_positional),
        triggers=("FadeIn", "FadeOut"),
    ),
)  # fmt: skip
