from manim import *


class PolygonSequence(Scene):
    def construct(self):
        shape = RegularPolygon(n=3, color=BLUE).scale(2)
        label = Text("3 sides").to_edge(DOWN)
        self.play(Create(shape), Write(label))
        for n in range(4, 9):
            self.play(
                Transform(shape, RegularPolygon(n=n, color=BLUE).scale(2)),
                Transform(label, Text(f"{n} sides").to_edge(DOWN)),
            )
        self.wait()
