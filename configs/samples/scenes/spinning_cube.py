from manim import *


class SpinningCube(ThreeDScene):
    def construct(self):
        self.set_camera_orientation(phi=60 * DEGREES, theta=30 * DEGREES)
        cube = Cube(side_length=2, fill_opacity=0.8, fill_color=GREEN)
        self.play(Create(cube))
        self.play(Rotate(cube, angle=PI / 2, axis=UP), run_time=2)
        self.move_camera(phi=75 * DEGREES, theta=120 * DEGREES, run_time=2)
        self.wait()
