from manim import *


class PentagonFill(Scene):
    def construct(self):
        pentagon = RegularPolygon(n=5, color=RED).scale(2)
        self.play(ShowCreation(pentagon))
        self.play(pentagon.animate.set_fill(RED, opacity=0.7))
        self.wait()
