from manim import *


def koch_points(points, levels):
    for _ in range(levels):
        refined = []
        for p, q in zip(points, points[1:] + points[:1]):
            d = (q - p) / 3
            peak = p + d + rotate_vector(d, -PI / 3)
            refined += [p, p + d, peak, p + 2 * d]
        points = refined
    return points


class KochSnowflake(Scene):
    def construct(self):
        triangle = [rotate_vector(UP * 3, k * TAU / 3) for k in range(3)]
        flake = Polygon(*koch_points(triangle, 0), color=BLUE)
        self.play(Create(flake))
        for level in range(1, 5):
            self.play(Transform(flake, Polygon(*koch_points(triangle, level), color=BLUE)))
        self.wait()
