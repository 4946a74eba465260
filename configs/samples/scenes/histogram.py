import numpy as np
from manim import *

rng = np.random.default_rng(2024)
SAMPLES = rng.normal(loc=0, scale=1, size=500)
BINS = np.linspace(-3, 3, 13)


def expected_count(x):
    width = BINS[1] - BINS[0]
    return len(SAMPLES) * width * np.exp(-(x**2) / 2) / np.sqrt(TAU)


class NormalHistogram(Scene):
    def construct(self):
        counts, edges = np.histogram(SAMPLES, bins=BINS)
        axes = Axes(
            x_range=[-3, 3, 1],
            y_range=[0, 120, 20],
            x_length=9,
            y_length=5,
            axis_config={"include_numbers": True},
        )
        bars = VGroup()
        for count, left, right in zip(counts, edges[:-1], edges[1:]):
            bar = Polygon(
                axes.c2p(left, 0),
                axes.c2p(right, 0),
                axes.c2p(right, count),
                axes.c2p(left, count),
                fill_color=BLUE,
                fill_opacity=0.7,
                stroke_width=1,
            )
            bars.add(bar)
        density = axes.plot(expected_count, color=YELLOW)
        self.play(Create(axes))
        self.play(LaggedStart(*[GrowFromEdge(b, DOWN) for b in bars], lag_ratio=0.1))
        self.play(Create(density))
        self.wait()
