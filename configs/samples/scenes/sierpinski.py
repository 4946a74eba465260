from manim import *

DEPTH = 4


def sierpinski(a, b, c, depth):
    if depth == 0:
        return [Polygon(a, b, c, stroke_width=0, fill_color=TEAL, fill_opacity=1)]
    ab, bc, ca = (a + b) / 2, (b + c) / 2, (c + a) / 2
    return (
        sierpinski(a, ab, ca, depth - 1)
        + sierpinski(ab, b, bc, depth - 1)
        + sierpinski(ca, bc, c, depth - 1)
    )


class SierpinskiTriangle(Scene):
    def construct(self):
        corners = [np.array([-3.5, -3, 0]), np.array([3.5, -3, 0]), np.array([0, 3.2, 0])]
        stages = [VGroup(*sierpinski(*corners, d)) for d in range(DEPTH + 1)]
        shape = stages[0]
        self.play(FadeIn(shape))
        for stage in stages[1:]:
            self.play(Transform(shape, stage))
        self.wait()
