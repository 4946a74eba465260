from manim import *


class NamelessScene(Scene):
    def construct(self):
        line = Line(LEFT * 3, RIGHT * 3, color=TEAL)
        self.play(Create(line))
        self.play(line.animate.rotate(PI / 3))
        self.wait()
