from manim import *


class HighlightKeyword(Scene):
    def construct(self):
        words = VGroup(*[Text(w, font_size=48) for w in "Manim makes math move".split()])
        words.arrange(RIGHT, buff=0.3)
        self.play(Write(words))
        self.play(Indicate(words[2], color=YELLOW))
        self.play(words[2].animate.set_color(YELLOW).scale(1.2))
        self.play(Wiggle(words[3]))
        self.wait()
