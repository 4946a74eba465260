from manim import *


class LoadingBar(Scene):
    def construct(self):
        frame = RoundedRectangle(width=6, height=0.6, corner_radius=0.3)
        fill = Rectangle(width=0.01, height=0.5, fill_color=GREEN, fill_opacity=1).align_to(frame, LEFT)
        self.add(frame, fill)
        self.play(fill.animate.stretch_to_fit_width(5.8, about_edge=LEFT), run_time=3, rate_func=
