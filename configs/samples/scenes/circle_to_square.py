from manim import *


class CircleToSquare(Scene):
    def construct(self):
        circle = Circle(color=BLUE, fill_opacity=0.5)
        square = Square(color=ORANGE, fill_opacity=0.5)
        self.play(Create(circle))
        self.play(Transform(circle, square))
        self.wait()
