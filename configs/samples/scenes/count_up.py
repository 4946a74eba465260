from manim import *


class CountUp(Scene):
    def construct(self):
        tracker = ValueTracker(0)
        number = DecimalNumber(0, num_decimal_places=0, font_size=96)
        number.add_updater(lambda m: m.set_value(tracker.get_value()))
        caption = Text("visitors", font_size=36).next_to(number, DOWN)
        self.add(number, caption)
        self.play(tracker.animate.set_value(100), run_time=3, rate_func=linear)
        self.wait()
