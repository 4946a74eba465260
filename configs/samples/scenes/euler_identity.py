from manim import *


class EulerIdentity(Scene):
    def construct(self):
        identity = MathTex(r"e^{i\pi} + 1 = 0", font_size=96)
        box = SurroundingRectangle(identity, color=YELLOW, buff=0.3)
        self.play(Write(identity))
        self.play(Create(box))
        self.wait()
