from manim import *

TITLE_COLOR = BLUE_B


class IntroTitle(Scene):
    def construct(self):
        title = Text("Linear Algebra", font_size=64, color=TITLE_COLOR)
        subtitle = Text("Episode 1: Vectors", font_size=32).next_to(title, DOWN)
        self.play(Write(title))
        self.play(FadeIn(subtitle, shift=UP * 0.3))
        self.wait()
        self.play(FadeOut(title), FadeOut(subtitle))


class OutroCredits(Scene):
    def construct(self):
        thanks = Text("Thanks for watching", font_size=48, color=TITLE_COLOR)
        credits = VGroup(
            Text("Script: A. Writer", font_size=28),
            Text("Animation: made with Manim", font_size=28),
        )
        credits.arrange(DOWN).next_to(thanks, DOWN, buff=0.6)
        self.play(Write(thanks))
        self.play(LaggedStart(*[FadeIn(c) for c in credits], lag_ratio=0.5))
        self.wait()
