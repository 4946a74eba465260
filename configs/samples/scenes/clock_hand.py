from manim import *


class ClockHand(Scene):
    def construct(self):
        face = Circle(radius=2.5, color=WHITE)
        ticks = VGroup(
            *[
                Line(2.2 * np.array([np.cos(a), np.sin(a), 0]), 2.5 * np.array([np.cos(a), np.sin(a), 0]))
                for a in np.linspace(0, TAU, 12, endpoint=False)
            ]
        )
        hand = Line(ORIGIN, 2 * UP, color=RED, stroke_width=6)
        hand.add_updater(lambda m, dt: m.rotate(-dt * TAU / 4, about_point=ORIGIN))
        self.add(face, ticks, hand)
        self.wait(4)
        hand.clear_updaters()
        self.play(FadeOut(VGroup(face, ticks, hand)))
