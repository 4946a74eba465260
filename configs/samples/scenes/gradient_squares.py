from manim import *


class GradientSquares(Scene):
    def construct(self):
        colors = color_gradient([BLUE, PURPLE, RED], 6)
        squares = VGroup(*[Square(side_length=1, fill_color=c, fill_opacity=0.8) for c in colors])
        squares.arrange(RIGHT, buff=0.25)
        self.play(LaggedStart(*[DrawBorderThenFill(s) for s in squares], lag_ratio=0.2))
        self.play(squares.animate.arrange(DOWN, buff=0.1).scale(0.6))
        self.wait()
