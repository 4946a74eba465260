from manim import *


class RadiusTracker(Scene):
    def construct(self):
        radius = ValueTracker(0.5)
        circle = always_redraw(lambda: Circle(radius=radius.get_value(), color=TEAL))
        readout = always_redraw(
            lambda: DecimalNumber(radius.get_value(), num_decimal_places=2).next_to(circle, RIGHT)
        )
        self.add(circle, readout)
        self.play(radius.animate.set_value(2.5), run_time=3)
        self.play(radius.animate.set_value(1), run_time=2)
        self.wait()
