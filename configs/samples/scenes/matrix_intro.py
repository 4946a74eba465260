from manim import *


class MatrixIntro(Scene):
    def construct(self):
        m = Matrix([[2, 0], [1, 3]])
        v = Matrix([[1], [2]])
        eq = MathTex("=")
        result = Matrix([[2], [7]])
        VGroup(m, v, eq, result).arrange(RIGHT)
        self.play(Write(m), Write(v))
        self.play(Write(eq), FadeIn(result, shift=LEFT))
        self.play(Indicate(result))
        self.wait()
