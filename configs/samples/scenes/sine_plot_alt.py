import numpy as np
from manim import *


class SineWave(Scene):
    def construct(self):
        plane = NumberPlane(x_range=[-4, 4], y_range=[-2, 2], x_length=8, y_length=4)
        curve = plane.plot(lambda x: np.sin(x), x_range=[-PI, PI], color=RED)
        tag = MathTex(r"y = \sin x").to_corner(UL)
        self.add(plane)
        self.play(Create(curve), run_time=2)
        self.play(FadeIn(tag))
        self.wait()
