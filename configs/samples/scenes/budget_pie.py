from manim import *

SHARES = {"Rent": 0.40, "Food": 0.25, "Travel": 0.15, "Savings": 0.20}
COLORS = [BLUE, GREEN, ORANGE, PURPLE]


def direction(angle):
    return np.array([np.cos(angle), np.sin(angle), 0])


class BudgetPie(Scene):
    def construct(self):
        slices = VGroup()
        labels = VGroup()
        middles = []
        start = 0
        for (name, share), color in zip(SHARES.items(), COLORS):
            angle = share * TAU
            sector = Sector(radius=2.5, angle=angle, start_angle=start, color=color, fill_opacity=0.9)
            middle = start + angle / 2
            label = Text(f"{name} {round(share * 100)}%", font_size=24)
            label.move_to(3.4 * direction(middle))
            slices.add(sector)
            labels.add(label)
            middles.append(middle)
            start += angle
        self.play(LaggedStart(*[FadeIn(s, scale=0.5) for s in slices], lag_ratio=0.2))
        self.play(Write(labels))
        offset = 0.4 * direction(middles[3])
        self.play(slices[3].animate.shift(offset), labels[3].animate.shift(offset))
        self.wait()
