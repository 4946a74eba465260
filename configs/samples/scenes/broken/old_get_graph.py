from manim import *


class ExponentialCurve(Scene):
    def construct(self):
        axes = Axes(x_range=[-2, 2, 1], y_range=[0, 8, 2], x_length=6, y_length=5)
        curve = axes.get_graph(lambda x: np.exp(x), color=GREEN)
        self.play(Create(axes))
        self.play(Create(curve))
        self.wait()
