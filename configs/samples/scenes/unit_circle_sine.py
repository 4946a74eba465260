from manim import *

RADIUS = 1.5
CENTER = LEFT * 4


class SineFromCircle(Scene):
    def construct(self):
        circle = Circle(radius=RADIUS, color=BLUE).move_to(CENTER)
        x_axis = Line(LEFT * 2, RIGHT * 6, stroke_width=2)
        angle = ValueTracker(0)

        def circle_point():
            a = angle.get_value()
            return CENTER + RADIUS * np.array([np.cos(a), np.sin(a), 0])

        def graph_point(a):
            return np.array([-2 + a * 8 / TAU, RADIUS * np.sin(a), 0])

        dot = always_redraw(lambda: Dot(circle_point(), color=YELLOW))
        radius_line = always_redraw(lambda: Line(CENTER, circle_point(), color=YELLOW))
        trace = always_redraw(
            lambda: ParametricFunction(
                graph_point, t_range=[0, max(angle.get_value(), 0.05), 0.01], color=RED
            )
        )
        bridge = always_redraw(
            lambda: DashedLine(circle_point(), graph_point(angle.get_value()), color=GRAY)
        )
        self.play(Create(circle), Create(x_axis))
        self.add(radius_line, dot, bridge, trace)
        self.play(angle.animate.set_value(TAU), run_time=6, rate_func=linear)
        self.wait()
