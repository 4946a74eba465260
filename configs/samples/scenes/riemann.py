from manim import *


class RiemannRefinement(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 4, 1], y_range=[0, 5, 1], x_length=8, y_length=5).to_edge(DOWN)
        curve = axes.plot(lambda x: 0.25 * x**2 + 1, x_range=[0, 4], color=WHITE)
        self.play(Create(axes), Create(curve))
        rects = axes.get_riemann_rectangles(curve, x_range=[0, 4], dx=1, fill_opacity=0.6)
        label = MathTex(r"\Delta x = 1").to_corner(UR)
        self.play(Create(rects), Write(label))
        for dx in [0.5, 0.25, 0.1]:
            new_rects = axes.get_riemann_rectangles(curve, x_range=[0, 4], dx=dx, fill_opacity=0.6)
            new_label = MathTex(rf"\Delta x = {dx}").to_corner(UR)
            self.play(Transform(rects, new_rects), Transform(label, new_label))
        self.wait()
