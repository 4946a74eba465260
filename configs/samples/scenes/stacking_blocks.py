from manim import *


class StackingBlocks(Scene):
    def construct(self):
        colors = [MAROON, RED, ORANGE, GOLD, YELLOW]
        blocks = VGroup(
            *[
                Rectangle(width=3 - i * 0.5, height=0.6, fill_color=c, fill_opacity=0.9)
                for i, c in enumerate(colors)
            ]
        )
        blocks.arrange(UP, buff=0.05).to_edge(DOWN)
        self.play(Succession(*[FadeIn(b, shift=DOWN * 2) for b in blocks]), run_time=3)
        self.play(blocks.animate.shift(UP * 1.5))
        self.wait()
