import numpy as np
from manim import *

rng = np.random.default_rng(3)
XS = np.linspace(0.5, 6.5, 14)
YS = 0.8 * XS + 1 + rng.normal(0, 0.5, XS.size)
LEARNING_RATE = 0.02
EPOCHS = 12


def gradient_steps(m, b):
    history = [(m, b)]
    for _ in range(EPOCHS):
        error = m * XS + b - YS
        m -= LEARNING_RATE * 2 * np.mean(error * XS)
        b -= LEARNING_RATE * 2 * np.mean(error)
        history.append((m, b))
    return history


def mse(m, b):
    return float(np.mean((m * XS + b - YS) ** 2))


class GradientDescentFit(Scene):
    def construct(self):
        axes = Axes(
            x_range=[0, 7, 1],
            y_range=[0, 8, 2],
            x_length=7,
            y_length=5,
            axis_config={"include_numbers": True},
        ).to_edge(LEFT)
        points = VGroup(*[Dot(axes.c2p(x, y), color=BLUE, radius=0.06) for x, y in zip(XS, YS)])

        history = gradient_steps(0.0, 0.0)
        losses = [mse(m, b) for m, b in history]
        slope = ValueTracker(history[0][0])
        intercept = ValueTracker(history[0][1])
        line = always_redraw(
            lambda: axes.plot(
                lambda x: slope.get_value() * x + intercept.get_value(), x_range=[0, 7], color=YELLOW
            )
        )

        loss_label = Text("MSE", font_size=28).to_corner(UR).shift(LEFT * 1.5)
        loss_value = always_redraw(
            lambda: DecimalNumber(
                mse(slope.get_value(), intercept.get_value()), num_decimal_places=3
            ).next_to(loss_label, RIGHT)
        )
        loss_axes = Axes(
            x_range=[0, EPOCHS, 3],
            y_range=[0, losses[0] * 1.1, losses[0] / 2],
            x_length=4,
            y_length=3,
            tips=False,
        ).to_corner(DR)
        loss_title = Text("loss per epoch", font_size=22).next_to(loss_axes, UP)

        self.play(Create(axes), LaggedStartMap(FadeIn, points, lag_ratio=0.05))
        self.play(Create(loss_axes), Write(loss_title))
        self.add(line, loss_label, loss_value)
        previous = Dot(loss_axes.c2p(0, losses[0]), radius=0.04, color=RED)
        self.add(previous)
        for epoch, (m, b) in enumerate(history[1:], start=1):
            dot = Dot(loss_axes.c2p(epoch, losses[epoch]), radius=0.04, color=RED)
            segment = Line(previous.get_center(), dot.get_center(), color=RED, stroke_width=2)
            self.play(
                slope.animate.set_value(m),
                intercept.animate.set_value(b),
                Create(segment),
                FadeIn(dot),
                run_time=0.4,
            )
            previous = dot

        m, b = history[-1]
        final = MathTex(rf"y \approx {m:.2f}\,x + {b:.2f}").to_edge(UP)
        self.play(Write(final))
        self.wait()
