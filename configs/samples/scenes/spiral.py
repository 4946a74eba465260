from manim import *


class ArchimedeanSpiral(Scene):
    def construct(self):
        spiral = ParametricFunction(
            lambda t: np.array([0.15 * t * np.cos(t), 0.15 * t * np.sin(t), 0]),
            t_range=[0, 6 * PI],
            color=ORANGE,
        )
        self.play(Create(spiral), run_time=4)
        self.wait()
