import numpy as np
from manim import *

STEPS = 60
SEED = 7


class RandomWalk(Scene):
    def construct(self):
        rng = np.random.default_rng(SEED)
        moves = rng.choice(np.array([UP, DOWN, LEFT, RIGHT]), size=STEPS) * 0.3
        points = np.vstack([ORIGIN, np.cumsum(moves, axis=0)])
        path = VMobject(color=YELLOW).set_points_as_corners(points)
        walker = Dot(color=RED)
        self.add(NumberPlane(background_line_style={"stroke_opacity": 0.3}))
        self.play(Create(path), MoveAlongPath(walker, path), run_time=4, rate_func=linear)
        self.play(Flash(walker))
        self.wait()
