from manim import *


class CompassArrows(Scene):
    def construct(self):
        directions = [UP, RIGHT, DOWN, LEFT]
        letters = ["N", "E", "S", "W"]
        needles = VGroup()
        for direction, letter in zip(directions, letters):
            arrow = Arrow(ORIGIN, 2 * direction, buff=0)
            tag = Text(letter, font_size=36).next_to(arrow.get_end(), direction)
            needles.add(VGroup(arrow, tag))
        self.play(LaggedStart(*[GrowArrow(n[0]) for n in needles], lag_ratio=0.25))
        self.play(*[FadeIn(n[1]) for n in needles])
        self.play(Rotate(needles, angle=PI / 2))
        self.wait()
