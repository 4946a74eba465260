from manim import *


class PolarRose(Scene):
    def construct(self):
        plane = PolarPlane(radius_max=3, size=6)
        rose = plane.plot_polar_graph(lambda theta: 2.5 * np.cos(4 * theta), [0, TAU], color=PINK)
        self.add(plane)
        self.play(Create(rose), run_time=4)
        self.wait()
