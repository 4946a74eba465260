from manim import *


class SwirlField(Scene):
    def construct(self):
        def swirl(p):
            return np.array([-p[1], p[0], 0]) * 0.5

        field = ArrowVectorField(swirl, x_range=[-5, 5, 1], y_range=[-3, 3, 1])
        self.play(Create(field))
        dot = Dot(RIGHT * 2, color=RED)
        self.add(dot)
        dot.add_updater(field.get_nudge_updater(speed=1))
        self.wait(3)
