from manim import *


def f(x):
    return 0.1 * (x - 2) * (x + 1) * (x - 4) + 1


class MovingTangent(Scene):
    def construct(self):
        axes = Axes(x_range=[-2, 5, 1], y_range=[-2, 4, 1], x_length=9, y_length=5)
        graph = axes.plot(f, color=BLUE)
        x = ValueTracker(-1.5)
        tangent = always_redraw(
            lambda: TangentLine(graph, alpha=(x.get_value() + 2) / 7, length=3, color=YELLOW)
        )
        dot = always_redraw(lambda: Dot(axes.i2gp(x.get_value(), graph), color=YELLOW))
        self.play(Create(axes), Create(graph))
        self.add(tangent, dot)
        self.play(x.animate.set_value(4.5), run_time=4)
        self.wait()
