from manim import *


class HelloManim(Scene):
    def construct(self):
        greeting = Text("Hello, Manim!", font_size=72)
        self.play(Write(greeting))
        self.wait()
        self.play(FadeOut(greeting, shift=UP))
