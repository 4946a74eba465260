from manim import *


class WordMorph(Scene):
    def construct(self):
        a = Text("listen", font_size=72)
        b = Text("silent", font_size=72)
        self.play(Write(a))
        self.wait(0.5)
        self.play(TransformMatchingShapes(a, b, path_arc=PI / 2))
        self.wait()
