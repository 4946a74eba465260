from manim import *


class HexagonTurn(Scene):
    def construct(self):
        hexagon = RegularPolygon(n=6, color=WHITE).scale(2)
        self.play(Create(hexagon)
        self.play(Rotate(hexagon, angle=PI), hexagon.animate.set_color(GOLD))
        self.wait()
