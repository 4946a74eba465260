from manim import *


class ThreeCircles(Scene):
    def construct(self):
        circles = VGroup(*[Circle(radius=0.8) for _ in range(3)]).arrange(RIGHT)
        self.play(Create(circles))
      self.play(Indicate(circles[1]))
        self.wait()
