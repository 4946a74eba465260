import numpy as np
from manim import *

A = np.array([[1, 2], [3, 4]])
B = np.array([[5, 6], [7, 8]])
CELL = 0.8


def grid(matrix, color):
    rows, cols = matrix.shape
    cells = VGroup()
    for r in range(rows):
        for c in range(cols):
            box = Square(side_length=CELL, color=color)
            box.move_to(np.array([c * CELL, -r * CELL, 0]))
            value = Text(str(matrix[r, c]), font_size=28).move_to(box)
            cells.add(VGroup(box, value))
    return cells


def entry(cells, r, c, cols):
    return cells[r * cols + c]


class MatrixProduct(Scene):
    def construct(self):
        product = A @ B
        left = grid(A, BLUE)
        right = grid(B, GREEN)
        result = grid(product, YELLOW)
        for cell in result:
            cell[1].set_opacity(0)
        times = MathTex(r"\times")
        equals = MathTex("=")
        VGroup(left, times, right, equals, result).arrange(RIGHT, buff=0.5)
        self.play(FadeIn(left), FadeIn(right), Write(times), Write(equals), Create(result))

        inner = A.shape[1]
        for r in range(product.shape[0]):
            for c in range(product.shape[1]):
                row = VGroup(*[entry(left, r, k, inner)[0] for k in range(inner)])
                col = VGroup(*[entry(right, k, c, B.shape[1])[0] for k in range(inner)])
                terms = " + ".join(rf"{A[r, k]} \cdot {B[k, c]}" for k in range(inner))
                work = MathTex(terms + f" = {product[r, c]}").to_edge(DOWN)
                target = entry(result, r, c, product.shape[1])
                self.play(
                    row.animate.set_fill(BLUE, opacity=0.4),
                    col.animate.set_fill(GREEN, opacity=0.4),
                    Write(work),
                )
                self.play(target[1].animate.set_opacity(1))
                self.play(
                    row.animate.set_fill(opacity=0),
                    col.animate.set_fill(opacity=0),
                    FadeOut(work),
                )
        self.wait()
