from manim import *

PALETTE = [RED, ORANGE, YELLOW, GREEN, BLUE]


def swatch_row(colors, size=0.8):
    squares = [Square(side_length=size, fill_color=c, fill_opacity=1, stroke_width=0) for c in colors]
    return VGroup(*squares).arrange(RIGHT, buff=0.1)


class PaletteScene(Scene):
    def show_heading(self, text):
        heading = Text(text, font_size=40).to_edge(UP)
        self.play(FadeIn(heading, shift=DOWN * 0.3))
        return heading


class WarmToCool(PaletteScene):
    def construct(self):
        self.show_heading("Warm to cool")
        row = swatch_row(PALETTE)
        self.play(LaggedStart(*[GrowFromCenter(s) for s in row], lag_ratio=0.15))
        self.wait()


class CoolToWarm(PaletteScene):
    def construct(self):
        self.show_heading("Cool to warm")
        row = swatch_row(list(reversed(PALETTE)), size=1.0)
        self.play(FadeIn(row))
        self.play(row.animate.arrange(DOWN, buff=0.1).next_to(ORIGIN, DOWN, buff=-2))
        self.wait()
