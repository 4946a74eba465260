from manim import *


class Greeting(Scene):
    def construct(self):
        words = VGroup(Text("Hello,"), Text("Manim!", color=YELLOW)).arrange(RIGHT)
        self.play(LaggedStart(*[FadeIn(w, shift=DOWN) for w in words], lag_ratio=0.5))
        self.play(Circumscribe(words))
        self.play(FadeOut(words))
