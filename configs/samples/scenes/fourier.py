import numpy as np
from manim import *

N_TERMS = [1, 3, 5, 9]


def partial_sum(x, n_terms):
    total = 0.0
    for k in range(n_terms):
        n = 2 * k + 1
        total += np.sin(n * x) / n
    return 4 / np.pi * total


class FourierSquareWave(Scene):
    def construct(self):
        axes = Axes(x_range=[-PI, PI, PI / 2], y_range=[-1.5, 1.5, 0.5], x_length=10, y_length=5)
        square = VMobject(color=GRAY).set_points_as_corners(
            [axes.c2p(-PI, -1), axes.c2p(0, -1), axes.c2p(0, 1), axes.c2p(PI, 1)]
        )
        approx = axes.plot(lambda x: partial_sum(x, N_TERMS[0]), color=YELLOW)
        label = Text(f"{N_TERMS[0]} term", font_size=32).to_corner(UL)
        self.play(Create(axes), Create(square))
        self.play(Create(approx), Write(label))
        for n in N_TERMS[1:]:
            self.play(
                Transform(approx, axes.plot(lambda x, n=n: partial_sum(x, n), color=YELLOW)),
                Transform(label, Text(f"{n} terms", font_size=32).to_corner(UL)),
            )
        self.wait()
