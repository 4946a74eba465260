from manim import *


class SinePlot(Scene):
    def construct(self):
        axes = Axes(x_range=[-PI, PI, PI / 2], y_range=[-1.5, 1.5, 0.5], x_length=10, y_length=5)
        graph = axes.plot(np.sin, color=BLUE)
        label = axes.get_graph_label(graph, label=r"\sin(x)")
        self.play(Create(axes))
        self.play(Create(graph), Write(label))
        self.wait()
