from manim import *


class AgendaSlide(Scene):
    def construct(self):
        title = Title("Today's agenda")
        items = BulletedList("Vectors", "Matrices", "Eigenvalues", font_size=40)
        self.play(Write(title))
        for item in items:
            self.play(FadeIn(item, shift=RIGHT * 0.5))
        self.play(items[2].animate.set_color(YELLOW))
        self.wait()
