from manim import *


class AreaUnderParabola(Scene):
    def construct(self):
        axes = Axes(
            x_range=[0, 3, 1],
            y_range=[0, 9, 3],
            tips=False,
            axis_config={"include_numbers": True},
        )
        curve = axes.plot(lambda x: x**2, x_range=[0, 3], color=YELLOW)
        area = axes.get_area(curve, x_range=[0, 2], color=BLUE, opacity=0.5)
        formula = MathTex(r"\int_0^2 x^2\,dx = \frac{8}{3}").to_corner(UL)
        self.play(Create(axes), Create(curve))
        self.play(FadeIn(area))
        self.play(Write(formula))
        self.wait()
