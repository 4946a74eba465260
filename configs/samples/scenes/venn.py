from manim import *


class VennDiagram(Scene):
    def construct(self):
        left = Circle(radius=2, color=BLUE, fill_opacity=0.3).shift(LEFT)
        right = Circle(radius=2, color=RED, fill_opacity=0.3).shift(RIGHT)
        both = Intersection(left, right, color=PURPLE, fill_opacity=0.7)
        a = Text("A").next_to(left, UP)
        b = Text("B").next_to(right, UP)
        caption = MathTex(r"A \cap B").to_edge(DOWN)
        self.play(Create(left), Create(right), Write(a), Write(b))
        self.play(FadeIn(both))
        self.play(Write(caption))
        self.wait()
