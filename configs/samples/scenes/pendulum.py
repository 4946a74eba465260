from manim import *

LENGTH = 3
AMPLITUDE = 30 * DEGREES
PERIOD = 2


class Pendulum(Scene):
    def construct(self):
        pivot = UP * 2.5
        t = ValueTracker(0)

        def bob_position():
            theta = AMPLITUDE * np.cos(TAU * t.get_value() / PERIOD)
            return pivot + LENGTH * np.array([np.sin(theta), -np.cos(theta), 0])

        ceiling = Line(pivot + LEFT, pivot + RIGHT)
        rod = always_redraw(lambda: Line(pivot, bob_position()))
        bob = always_redraw(
            lambda: Circle(radius=0.25, color=RED, fill_opacity=1).move_to(bob_position())
        )
        self.add(ceiling, rod, bob)
        self.play(t.animate.set_value(3 * PERIOD), run_time=6, rate_func=linear)
        self.wait()
