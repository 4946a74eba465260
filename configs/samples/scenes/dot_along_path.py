from manim import *


class DotAlongPath(Scene):
    def construct(self):
        path = ArcBetweenPoints(LEFT * 4, RIGHT * 4, angle=-PI / 2)
        dot = Dot(path.get_start(), color=RED)
        self.add(path, dot)
        self.play(MoveAlongPath(dot, path), run_time=3, rate_func=linear)
        self.wait()
