from manim import *


class MultiplyByI(Scene):
    def construct(self):
        plane = ComplexPlane()
        names = ["z", "iz", "-z", "-iz"]
        z = complex(2, 1)
        dot = Dot(plane.n2p(z), color=YELLOW)
        label = MathTex(names[0]).next_to(dot, UR, buff=0.1)
        self.add(plane)
        self.play(FadeIn(dot), Write(label))
        for k in range(1, 4):
            w = z * 1j**k
            new_label = MathTex(names[k]).next_to(plane.n2p(w), UR, buff=0.1)
            self.play(
                dot.animate(path_arc=PI / 2).move_to(plane.n2p(w)),
                Transform(label, new_label),
            )
        self.wait()
