from manim import *


class PythagorasRearrange(Scene):
    def construct(self):
        first = MathTex("a^2", "+", "b^2", "=", "c^2")
        second = MathTex("c", "=", r"\sqrt{a^2 + b^2}")
        self.play(Write(first))
        self.wait()
        self.play(TransformMatchingTex(first, second))
        self.wait()
