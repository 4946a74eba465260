from manim import *


class BraceWidth(Scene):
    def construct(self):
        rect = Rectangle(width=5, height=2, color=BLUE)
        top = Brace(rect, UP)
        side = Brace(rect, RIGHT)
        w = top.get_text("width = 5")
        h = side.get_tex("h = 2")
        self.play(Create(rect))
        self.play(GrowFromCenter(top), Write(w))
        self.play(GrowFromCenter(side), Write(h))
        self.wait()
