from manim import *


class QuadraticFormula(Scene):
    def construct(self):
        formula = TexMobject(r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}")
        underline = Underline(formula, color=YELLOW)
        self.play(Write(formula))
        self.play(Create(underline))
        self.wait()
