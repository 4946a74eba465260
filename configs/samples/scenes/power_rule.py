from manim import *


class PowerRuleExample(Scene):
    def construct(self):
        steps = VGroup(
            MathTex(r"f(x) = x^3"),
            MathTex(r"f'(x) = \lim_{h \to 0} \frac{(x+h)^3 - x^3}{h}"),
            MathTex(r"= \lim_{h \to 0} \left(3x^2 + 3xh + h^2\right)"),
            MathTex(r"= 3x^2"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.5)
        for step in steps:
            self.play(Write(step))
            self.wait(0.5)
        self.play(Circumscribe(steps[-1], color=YELLOW))
        self.wait()
