from manimlib import *


class SpinningHello(InteractiveScene):
    def construct(self):
        circle = Circle(radius=2, color=BLUE)
        word = TexText("Hi")
        self.play(ShowCreation(circle), Write(word))
        self.play(Rotate(VGroup(circle, word), TAU), run_time=2)
        self.wait()
