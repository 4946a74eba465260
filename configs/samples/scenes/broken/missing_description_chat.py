from manim import *


class WhitespacePrompt(Scene):
    def construct(self):
        ring = Annulus(inner_radius=1, outer_radius=1.5, color=ORANGE, fill_opacity=0.8)
        self.play(FadeIn(ring))
        self.play(ring.animate.scale(0.5))
        self.wait()
