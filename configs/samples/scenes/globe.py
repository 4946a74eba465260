from manim import *


class GlobeWithAxes(ThreeDScene):
    def construct(self):
        axes = ThreeDAxes(x_length=6, y_length=6, z_length=4, tips=False)
        sphere = Sphere(radius=1.5, resolution=(10, 10)).set_color(BLUE)
        self.set_camera_orientation(phi=70 * DEGREES, theta=45 * DEGREES)
        self.add(axes)
        self.play(FadeIn(sphere))
        self.begin_ambient_camera_rotation(rate=0.6)
        self.wait(1.5)
        self.stop_ambient_camera_rotation()
