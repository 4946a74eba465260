from manim import *


class ZoomToDot(MovingCameraScene):
    def construct(self):
        dots = VGroup(*[Dot([x, y, 0]) for x in range(-4, 5, 2) for y in range(-2, 3, 2)])
        target = dots[7]
        target.set_color(RED)
        self.add(dots)
        self.camera.frame.save_state()
        self.play(self.camera.frame.animate.scale(0.3).move_to(target))
        self.play(Flash(target))
        self.play(Restore(self.camera.frame))
        self.wait()
