import numpy as np
from manim import *

A, B = 3, 2
DELTA = PI / 2


class Lissajous(Scene):
    def construct(self):
        curve = ParametricFunction(
            lambda t: np.array([2.5 * np.sin(A * t + DELTA), 2.5 * np.sin(B * t), 0]),
            t_range=[0, TAU, 0.01],
            color=PINK,
        )
        caption = MathTex(r"x = \sin(3t + \tfrac{\pi}{2}),\quad y = \sin(2t)").scale(0.7).to_edge(DOWN)
        self.play(Create(curve), run_time=3)
        self.play(Write(caption))
        self.wait()
