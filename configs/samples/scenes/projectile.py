from manim import *

G = 9.8
SPEED = 10
ANGLE = 50 * DEGREES


def position(t):
    return np.array([SPEED * np.cos(ANGLE) * t, SPEED * np.sin(ANGLE) * t - 0.5 * G * t**2, 0])


class Projectile(Scene):
    def construct(self):
        flight = 2 * SPEED * np.sin(ANGLE) / G
        axes = Axes(x_range=[0, 11, 1], y_range=[0, 4, 1], x_length=11, y_length=4, tips=False)
        axes.to_edge(DOWN)
        time = ValueTracker(0)
        ball = always_redraw(
            lambda: Dot(axes.c2p(*position(time.get_value())[:2]), color=ORANGE, radius=0.12)
        )
        trail = always_redraw(
            lambda: axes.plot_parametric_curve(
                position,
                t_range=[0, max(time.get_value(), 0.05), 0.01],
                color=ORANGE,
                stroke_opacity=0.5,
            )
        )
        self.play(Create(axes))
        self.add(trail, ball)
        self.play(time.animate.set_value(flight), run_time=3, rate_func=linear)
        self.wait()
