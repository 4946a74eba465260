from manim import *


def circumcenter(a, b, c):
    ax, ay = a[:2]
    bx, by = b[:2]
    cx, cy = c[:2]
    d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
    ux = ((ax**2 + ay**2) * (by - cy) + (bx**2 + by**2) * (cy - ay) + (cx**2 + cy**2) * (ay - by)) / d
    uy = ((ax**2 + ay**2) * (cx - bx) + (bx**2 + by**2) * (ax - cx) + (cx**2 + cy**2) * (bx - ax)) / d
    return np.array([ux, uy, 0])


class Circumcircle(Scene):
    def construct(self):
        a = np.array([-2.5, -1.5, 0])
        b = np.array([2.0, -2.0, 0])
        c = np.array([0.5, 2.0, 0])
        triangle = Polygon(a, b, c, color=WHITE)
        labels = VGroup(
            *[MathTex(n).next_to(p, d) for n, p, d in zip("ABC", (a, b, c), (DL, DR, UP))]
        )
        center = circumcenter(a, b, c)
        midpoints = [(a + b) / 2, (b + c) / 2, (c + a) / 2]
        bisectors = VGroup(*[DashedLine(center, m, color=GRAY) for m in midpoints])
        o = Dot(center, color=YELLOW)
        circle = Circle(radius=np.linalg.norm(a - center), color=YELLOW).move_to(center)
        self.play(Create(triangle), Write(labels))
        self.play(Create(bisectors))
        self.play(FadeIn(o))
        self.play(Create(circle))
        self.wait()
