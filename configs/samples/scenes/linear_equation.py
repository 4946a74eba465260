from manim import *


class SolveLinearEquation(Scene):
    def construct(self):
        lines = [
            MathTex("2x", "+", "3", "=", "11"),
            MathTex("2x", "=", "11", "-", "3"),
            MathTex("2x", "=", "8"),
            MathTex("x", "=", "4"),
        ]
        current = lines[0]
        self.play(Write(current))
        for nxt in lines[1:]:
            self.wait(0.5)
            self.play(TransformMatchingTex(current, nxt))
            current = nxt
        self.play(current.animate.set_color(GREEN).scale(1.5))
        self.wait()
