from manim import *


class BlankPrompt(Scene):
    def construct(self):
        dot = Dot(color=PINK)
        self.play(GrowFromCenter(dot))
        self.play(dot.animate.scale(4))
        self.wait()
