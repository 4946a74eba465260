from manim import *


class LogoReveal(Scene):
    def construct(self):
        logo = SVGMobject("assets/logo.svg").scale(2)
        self.play(DrawBorderThenFill(logo))
        self.play(logo.animate.scale(1.3))
        self.wait()
