from manim import *


class ShearPlane(Scene):
    def construct(self):
        plane = NumberPlane()
        arrow = Vector([1, 1], color=YELLOW)
        self.add(plane, arrow)
        matrix = [[1, 1], [0, 1]]
        label = MathTex(r"\begin{bmatrix} 1 & 1 \\ 0 & 1 \end{bmatrix}")
        label.to_corner(UL).add_background_rectangle()
        self.play(Write(label))
        self.play(ApplyMatrix(matrix, plane), ApplyMatrix(matrix, arrow), run_time=2)
        self.wait()
