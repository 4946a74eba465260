from manim import *


class SpinWord(Scene):
    def construct(self):
        word = Text("spin", font_size=96)
        self.play(FadeIn(word))
        self.play(Rotate(word, angle=TAU), run_time=2)
        self.play(word.animate.set_color(TEAL))
        self.wait()
