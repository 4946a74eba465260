from manim import *


class SpinningTriangle(Scene):
    def construct(self):
        tri = Triangle(color=GREEN, fill_opacity=0.6).scale(2)
        self.play(DrawBorderThenFill(tri))
        self.play(Rotate(tri, angle=PI), run_time=2)
        self.play(tri.animate.set_fill(YELLOW).scale(0.5))
        self.wait()
