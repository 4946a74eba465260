from manim import *

VALUES = [5, 2, 8, 1, 6, 3]
BAR_WIDTH = 0.8
GAP = 0.3


def make_bar(value):
    bar = Rectangle(width=BAR_WIDTH, height=value * 0.5, fill_color=BLUE, fill_opacity=0.8)
    label = Text(str(value), font_size=28).next_to(bar, DOWN, buff=0.1)
    return VGroup(bar, label)


def slot(i, n):
    return np.array([(i - (n - 1) / 2) * (BAR_WIDTH + GAP), -2.5, 0])


class BubbleSort(Scene):
    def construct(self):
        title = Text("Bubble sort", font_size=44).to_edge(UP)
        n = len(VALUES)
        bars = [make_bar(v) for v in VALUES]
        for i, bar in enumerate(bars):
            bar.move_to(slot(i, n), aligned_edge=DOWN)
        self.play(Write(title), *[FadeIn(b, shift=UP) for b in bars])

        values = list(VALUES)
        for end in range(n - 1, 0, -1):
            for i in range(end):
                left, right = bars[i], bars[i + 1]
                self.play(
                    left[0].animate.set_fill(YELLOW),
                    right[0].animate.set_fill(YELLOW),
                    run_time=0.3,
                )
                if values[i] > values[i + 1]:
                    self.play(
                        left.animate.move_to(slot(i + 1, n), aligned_edge=DOWN),
                        right.animate.move_to(slot(i, n), aligned_edge=DOWN),
                        run_time=0.5,
                    )
                    bars[i], bars[i + 1] = right, left
                    values[i], values[i + 1] = values[i + 1], values[i]
                self.play(
                    bars[i][0].animate.set_fill(BLUE),
                    bars[i + 1][0].animate.set_fill(BLUE),
                    run_time=0.2,
                )
            self.play(bars[end][0].animate.set_fill(GREEN), run_time=0.2)
        self.play(bars[0][0].animate.set_fill(GREEN))
        self.wait()
