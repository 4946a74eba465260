from manim import *


class FollowTheCar(MovingCameraScene):
    def construct(self):
        road = Line(LEFT * 2, RIGHT * 18)
        marks = VGroup(*[Line(UP * 0.2, DOWN * 0.2).move_to(RIGHT * x) for x in range(0, 18, 2)])
        car = Square(side_length=0.5, fill_color=BLUE, fill_opacity=1)
        car.move_to(road.get_start() + UP * 0.25)
        self.add(road, marks, car)
        self.camera.frame.add_updater(lambda frame: frame.move_to(car))
        self.play(car.animate.shift(RIGHT * 18), run_time=5, rate_func=smooth)
        self.camera.frame.clear_updaters()
        self.wait()
