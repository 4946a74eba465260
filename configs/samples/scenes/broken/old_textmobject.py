from manim import *


class OldStyleText(Scene):
    def construct(self):
        words = TextMobject("Old style text")
        self.play(Write(words))
        self.play(words.animate.to_edge(UP))
        self.wait()
