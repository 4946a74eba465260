from manim import *


class NumberLineWalk(Scene):
    def construct(self):
        line = NumberLine(x_range=[-5, 5, 1], length=10, include_numbers=True)
        dot = Dot(line.n2p(-3), color=YELLOW)
        self.play(Create(line), FadeIn(dot))
        for target in [2, -1, 4]:
            self.play(dot.animate.move_to(line.n2p(target)))
        self.wait()
