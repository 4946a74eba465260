from manim import *


class LabelFollowsDot(Scene):
    def construct(self):
        dot = Dot(LEFT * 3, color=GREEN)
        label = always_redraw(lambda: Text("tracking", font_size=24).next_to(dot, UP))
        coords = always_redraw(
            lambda: Text(f"({dot.get_x():.1f}, {dot.get_y():.1f})", font_size=20).next_to(dot, DOWN)
        )
        self.add(dot, label, coords)
        self.play(dot.animate.shift(RIGHT * 6 + UP * 2), run_time=3)
        self.play(dot.animate.move_to(ORIGIN))
        self.wait()
