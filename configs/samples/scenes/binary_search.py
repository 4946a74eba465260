from manim import *

DATA = [3, 7, 12, 18, 21, 29, 34, 40, 46, 55]
TARGET = 34


def cell(value):
    box = Square(side_length=0.9)
    number = Text(str(value), font_size=30)
    return VGroup(box, number)


def pointer(color, cells, index):
    return Arrow(DOWN, UP, color=color).next_to(cells[index], DOWN, buff=0.5)


class BinarySearch(Scene):
    def construct(self):
        cells = VGroup(*[cell(v) for v in DATA]).arrange(RIGHT, buff=0)
        indices = VGroup(
            *[Text(str(i), font_size=20, color=GRAY).next_to(c, DOWN, buff=0.1) for i, c in enumerate(cells)]
        )
        header = Text(f"Searching for {TARGET}", font_size=36).to_edge(UP)
        self.play(Write(header), Create(cells), FadeIn(indices))

        lo, hi = 0, len(DATA) - 1
        lo_arrow = pointer(BLUE, cells, lo)
        hi_arrow = pointer(RED, cells, hi)
        self.play(GrowArrow(lo_arrow), GrowArrow(hi_arrow))
        while lo <= hi:
            mid = (lo + hi) // 2
            self.play(cells[mid][0].animate.set_fill(YELLOW, opacity=0.5), run_time=0.5)
            if DATA[mid] == TARGET:
                self.play(cells[mid][0].animate.set_fill(GREEN, opacity=0.8))
                found = Text(f"found at index {mid}", font_size=32, color=GREEN).to_edge(DOWN)
                self.play(Write(found))
                break
            if DATA[mid] < TARGET:
                discarded = cells[lo : mid + 1]
                lo = mid + 1
                self.play(
                    discarded.animate.set_opacity(0.3),
                    lo_arrow.animate.next_to(cells[lo], DOWN, buff=0.5),
                )
            else:
                discarded = cells[mid : hi + 1]
                hi = mid - 1
                self.play(
                    discarded.animate.set_opacity(0.3),
                    hi_arrow.animate.next_to(cells[hi], DOWN, buff=0.5),
                )
        self.wait()
