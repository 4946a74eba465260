from manim import *


class QuarterlySales(Scene):
    def construct(self):
        chart = BarChart(
            values=[4, 6, 3, 8],
            bar_names=["Q1", "Q2", "Q3", "Q4"],
            y_range=[0, 10, 2],
            y_length=5,
            x_length=8,
        )
        title = Text("Quarterly sales", font_size=40).to_edge(UP)
        self.play(Write(title), Create(chart))
        self.play(chart.animate.change_bar_values([5, 7, 6, 9]))
        self.wait()
