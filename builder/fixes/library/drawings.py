"""Placeholder drawings for ManimGL mobjects that Community Edition lacks: what the fix AST004 inlines.

ManimGL ships small drawings (`Checkmark`, `Laptop`, `VideoIcon`, `Clock`...) partly drawn from SVG files;
CE has none of them, so GL scenes that use them fail with a NameError. Each placeholder is a composed
shape of about the same size, so layout calls keep working. Plain CE code: every definition stands alone.
"""

from manim import *


class Checkmark(Tex):
    def __init__(self, color=GREEN, **kwargs):
        super().__init__(r"\checkmark", color=color, **kwargs)


class Exmark(Tex):
    def __init__(self, color=RED, **kwargs):
        super().__init__(r"$\times$", color=color, **kwargs)


class FullScreenFadeRectangle(FullScreenRectangle):
    def __init__(self, fill_color=BLACK, fill_opacity=0.7, stroke_width=0, **kwargs):
        super().__init__(
            fill_color=fill_color, fill_opacity=fill_opacity, stroke_width=stroke_width, **kwargs
        )


class VideoIcon(VGroup):
    def __init__(self, color=WHITE, height=0.75, **kwargs):
        frame = (
            RoundedRectangle(width=1.6, height=1.0, corner_radius=0.15).set_fill(color, 1).set_stroke(width=0)
        )
        play = Triangle().rotate(-PI / 2).set_fill(BLACK, 1).set_stroke(width=0).scale(0.25).move_to(frame)
        super().__init__(frame, play, **kwargs)
        self.set(height=height)


class Laptop(VGroup):
    def __init__(self, color=GREY_B, width=3, **kwargs):
        screen = (
            RoundedRectangle(width=2.4, height=1.6, corner_radius=0.08)
            .set_fill(BLACK, 1)
            .set_stroke(color, 4)
        )
        base = Polygon(1.4 * LEFT, 1.4 * RIGHT, 1.2 * RIGHT + 0.25 * UP, 1.2 * LEFT + 0.25 * UP)
        base.set_fill(color, 1).set_stroke(width=0).next_to(screen, DOWN, buff=0)
        super().__init__(screen, base, **kwargs)
        self.screen = screen
        self.set(width=width)


class Clock(VGroup):
    def __init__(self, **kwargs):
        circle = Circle(color=WHITE)
        ticks = VGroup(*(Line(0.9 * UP, UP).rotate(-k * TAU / 12, about_point=ORIGIN) for k in range(12)))
        self.hour_hand = Line(ORIGIN, 0.3 * UP)
        self.minute_hand = Line(ORIGIN, 0.6 * UP)
        super().__init__(circle, ticks, self.hour_hand, self.minute_hand, **kwargs)


class ClockPassesTime(AnimationGroup):
    def __init__(self, clock, run_time=5, hours_passed=12, **kwargs):
        center = clock.get_center()
        super().__init__(
            Rotate(clock.hour_hand, -hours_passed * TAU / 12, about_point=center),
            Rotate(clock.minute_hand, -hours_passed * TAU, about_point=center),
            run_time=run_time,
        )


class Lightbulb(VGroup):
    def __init__(self, height=1.0, color=YELLOW, **kwargs):
        glass = Circle(radius=0.5).set_fill(color, 1).set_stroke(width=0)
        base = Rectangle(width=0.36, height=0.3).set_fill(GREY_B, 1).set_stroke(width=0)
        base.next_to(glass, DOWN, buff=-0.06)
        super().__init__(glass, base, **kwargs)
        self.set(height=height)
