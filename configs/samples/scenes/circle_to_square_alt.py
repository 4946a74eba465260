from manim import *


class ShapeMorph(Scene):
    def construct(self):
        start = Circle(radius=1.5).set_stroke(YELLOW, 6)
        end = Square(side_length=3).set_stroke(GREEN, 6)
        self.play(GrowFromCenter(start))
        self.wait(0.5)
        self.play(ReplacementTransform(start, end), run_time=2)
        self.play(end.animate.rotate(PI / 4))
        self.wait()
