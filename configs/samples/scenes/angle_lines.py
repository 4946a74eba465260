from manim import *


class AngleBetweenLines(Scene):
    def construct(self):
        turn = ValueTracker(40)
        base = Line(ORIGIN, RIGHT * 3)
        arm = always_redraw(
            lambda: Line(ORIGIN, RIGHT * 3).rotate(turn.get_value() * DEGREES, about_point=ORIGIN)
        )
        angle = always_redraw(lambda: Angle(base, arm, radius=0.8, color=YELLOW))
        value = always_redraw(
            lambda: DecimalNumber(turn.get_value(), num_decimal_places=0, unit=r"^\circ").next_to(
                angle, RIGHT
            )
        )
        self.add(base, arm, angle, value)
        self.play(turn.animate.set_value(120), run_time=3)
        self.play(turn.animate.set_value(60), run_time=2)
        self.wait()
