import numpy as np
from manim import *

GRID = 9
SPACING = 0.6


class DistanceGrid(Scene):
    def construct(self):
        corner = np.hypot(GRID // 2, GRID // 2) * SPACING
        dots = VGroup()
        for i in range(GRID):
            for j in range(GRID):
                x = (i - GRID // 2) * SPACING
                y = (j - GRID // 2) * SPACING
                t = np.hypot(x, y) / corner
                dots.add(Dot([x, y, 0], color=interpolate_color(YELLOW, PURPLE, t)))
        self.play(LaggedStartMap(GrowFromCenter, dots, lag_ratio=0.01))
        self.play(dots.animate.rotate(PI / 4).scale(1.2))
        self.wait()
