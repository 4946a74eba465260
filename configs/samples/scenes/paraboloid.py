from manim import *


class Paraboloid(ThreeDScene):
    def construct(self):
        axes = ThreeDAxes(x_range=[-3, 3], y_range=[-3, 3], z_range=[0, 5])
        surface = Surface(
            lambda u, v: axes.c2p(u, v, 0.5 * (u**2 + v**2)),
            u_range=[-2, 2],
            v_range=[-2, 2],
            resolution=(8, 8),
            fill_opacity=0.7,
        )
        surface.set_fill_by_checkerboard(BLUE_D, BLUE_E)
        self.set_camera_orientation(phi=65 * DEGREES, theta=-45 * DEGREES)
        self.play(Create(axes))
        self.play(Create(surface))
        self.begin_ambient_camera_rotation(rate=0.3)
        self.wait(1)
