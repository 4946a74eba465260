from manim import *


class PlanetTable(Scene):
    def construct(self):
        table = Table(
            [["Mercury", "0.39"], ["Venus", "0.72"], ["Earth", "1.00"], ["Mars", "1.52"]],
            col_labels=[Text("Planet"), Text("Distance (AU)")],
            include_outer_lines=True,
        ).scale(0.6)
        self.play(table.create())
        self.play(Circumscribe(table.get_rows()[3], color=BLUE))
        self.wait()
