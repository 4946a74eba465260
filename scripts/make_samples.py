"""Write the bundled sample sources (the default input of `manim-dataset build`), deterministically.

All rows live here as Python data; the files under `configs/samples/` are generated from them:

- `prompts.jsonl`  (`input` -> `output`), shaped like `thanhkt/manim_code`: fenced and unfenced code,
  prose around code, literal leading ``\\n``, CRLF, boilerplate-wrapped prompts, mismatched pairs.
- `chat.jsonl`     (`messages`: system / user / assistant), like the chat-format sets.
- `bench.parquet`  (`Generated Description`, `Reviewed Description`, `Code`, `Type`, `Split`), like
  ManimBench.

Every scene and description is original. Scenes in `SCENES` are meant to run on Manim CE 0.22
(`scripts/check_samples_run.py` verifies it); rows in `BROKEN` are meant to fail, each for a stated
reason. Rerunning the script gives byte-identical files (no timestamps, sorted JSON keys, fixed row order).

Usage: python scripts/make_samples.py [--out DIR]   (default: configs/samples)
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "configs" / "samples"

BOILERPLATE = (
    "Generate accurate and correct ManimCE Python code for the animation requested by the user. "
    "Here is the user's request: "
)


@dataclass(frozen=True)
class Scene:
    """An original scene meant to run on Manim CE; descriptions[0] is canonical, the rest paraphrase it."""

    key: str
    descriptions: tuple[str, ...]
    code: str


@dataclass(frozen=True)
class Broken:
    """A row meant to be excluded or repaired; `why` says what is wrong with it.

    `fixable` rows use removed Community Edition names; `renames` lists the (old, new) pairs a repair
    stage would apply, and the checker verifies the repaired code runs. `runtime_fail` rows parse and
    import but must fail when run.
    """

    key: str
    description: str | None
    code: str | None
    why: str
    fixable: bool = False
    renames: tuple[tuple[str, str], ...] = ()
    runtime_fail: bool = False


SCENES: dict[str, Scene] = {}
BROKEN: dict[str, Broken] = {}


def scene(key: str, descriptions: tuple[str, ...] | str, code: str) -> None:
    if isinstance(descriptions, str):
        descriptions = (descriptions,)
    assert key not in SCENES, key
    SCENES[key] = Scene(key, descriptions, code)


def broken(key: str, description: str | None, code: str | None, why: str, **kw: object) -> None:
    assert key not in BROKEN and key not in SCENES, key
    BROKEN[key] = Broken(key, description, code, why, **kw)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------------
# Valid scenes (Manim Community Edition). Short ones first, long ones at the end.
# ----------------------------------------------------------------------------------------------------

CIRCLE_SQUARE = "Draw a circle and then transform it into a square."
HELLO = "Show the text 'Hello, Manim!' on screen and then fade it out."
SINE = "Plot y = sin(x) on a set of axes between -pi and pi and label the curve."

scene(
    "circle_to_square",
    (
        CIRCLE_SQUARE,
        "Create a blue half-transparent circle and morph it into an orange square.",
    ),
    r"""from manim import *


class CircleToSquare(Scene):
    def construct(self):
        circle = Circle(color=BLUE, fill_opacity=0.5)
        square = Square(color=ORANGE, fill_opacity=0.5)
        self.play(Create(circle))
        self.play(Transform(circle, square))
        self.wait()
""",
)

scene(
    "circle_to_square_alt",
    CIRCLE_SQUARE,
    r"""from manim import *


class ShapeMorph(Scene):
    def construct(self):
        start = Circle(radius=1.5).set_stroke(YELLOW, 6)
        end = Square(side_length=3).set_stroke(GREEN, 6)
        self.play(GrowFromCenter(start))
        self.wait(0.5)
        self.play(ReplacementTransform(start, end), run_time=2)
        self.play(end.animate.rotate(PI / 4))
        self.wait()
""",
)

scene(
    "hello_text",
    (HELLO, "Write 'Hello, Manim!' in big letters and let it float up and disappear."),
    r"""from manim import *


class HelloManim(Scene):
    def construct(self):
        greeting = Text("Hello, Manim!", font_size=72)
        self.play(Write(greeting))
        self.wait()
        self.play(FadeOut(greeting, shift=UP))
""",
)

scene(
    "hello_text_alt",
    HELLO,
    r"""from manim import *


class Greeting(Scene):
    def construct(self):
        words = VGroup(Text("Hello,"), Text("Manim!", color=YELLOW)).arrange(RIGHT)
        self.play(LaggedStart(*[FadeIn(w, shift=DOWN) for w in words], lag_ratio=0.5))
        self.play(Circumscribe(words))
        self.play(FadeOut(words))
""",
)

scene(
    "dot_along_path",
    (
        "Move a red dot along a curved arc from the left side of the screen to the right.",
        "Animate a red point travelling over an arc that bends downward, left to right, at constant speed.",
    ),
    r"""from manim import *


class DotAlongPath(Scene):
    def construct(self):
        path = ArcBetweenPoints(LEFT * 4, RIGHT * 4, angle=-PI / 2)
        dot = Dot(path.get_start(), color=RED)
        self.add(path, dot)
        self.play(MoveAlongPath(dot, path), run_time=3, rate_func=linear)
        self.wait()
""",
)

scene(
    "gradient_squares",
    (
        "Create a row of six squares colored with a gradient from blue to red, then rearrange them into a vertical column.",
        "Six squares shaded blue through purple to red appear in a row and then stack into a smaller column.",
    ),
    r"""from manim import *


class GradientSquares(Scene):
    def construct(self):
        colors = color_gradient([BLUE, PURPLE, RED], 6)
        squares = VGroup(*[Square(side_length=1, fill_color=c, fill_opacity=0.8) for c in colors])
        squares.arrange(RIGHT, buff=0.25)
        self.play(LaggedStart(*[DrawBorderThenFill(s) for s in squares], lag_ratio=0.2))
        self.play(squares.animate.arrange(DOWN, buff=0.1).scale(0.6))
        self.wait()
""",
)

scene(
    "compass_arrows",
    "Draw a compass: four arrows pointing north, east, south and west with letter labels, then rotate the whole compass a quarter turn.",
    r"""from manim import *


class CompassArrows(Scene):
    def construct(self):
        directions = [UP, RIGHT, DOWN, LEFT]
        letters = ["N", "E", "S", "W"]
        needles = VGroup()
        for direction, letter in zip(directions, letters):
            arrow = Arrow(ORIGIN, 2 * direction, buff=0)
            tag = Text(letter, font_size=36).next_to(arrow.get_end(), direction)
            needles.add(VGroup(arrow, tag))
        self.play(LaggedStart(*[GrowArrow(n[0]) for n in needles], lag_ratio=0.25))
        self.play(*[FadeIn(n[1]) for n in needles])
        self.play(Rotate(needles, angle=PI / 2))
        self.wait()
""",
)

scene(
    "spinning_triangle",
    "Show a green triangle, rotate it by 180 degrees, then shrink it and change its fill to yellow.",
    r"""from manim import *


class SpinningTriangle(Scene):
    def construct(self):
        tri = Triangle(color=GREEN, fill_opacity=0.6).scale(2)
        self.play(DrawBorderThenFill(tri))
        self.play(Rotate(tri, angle=PI), run_time=2)
        self.play(tri.animate.set_fill(YELLOW).scale(0.5))
        self.wait()
""",
)

scene(
    "number_line_walk",
    (
        "Draw a number line from -5 to 5 with numbers and move a yellow dot from -3 to 2, then -1, then 4.",
        "Hop a yellow marker along a labelled number line: start at -3 and visit 2, -1 and 4.",
    ),
    r"""from manim import *


class NumberLineWalk(Scene):
    def construct(self):
        line = NumberLine(x_range=[-5, 5, 1], length=10, include_numbers=True)
        dot = Dot(line.n2p(-3), color=YELLOW)
        self.play(Create(line), FadeIn(dot))
        for target in [2, -1, 4]:
            self.play(dot.animate.move_to(line.n2p(target)))
        self.wait()
""",
)

scene(
    "euler_identity",
    (
        "Write Euler's identity e^{i pi} + 1 = 0 in large font and draw a yellow box around it.",
        "Display the famous equation e to the i pi plus one equals zero and frame it with a yellow rectangle.",
    ),
    r"""from manim import *


class EulerIdentity(Scene):
    def construct(self):
        identity = MathTex(r"e^{i\pi} + 1 = 0", font_size=96)
        box = SurroundingRectangle(identity, color=YELLOW, buff=0.3)
        self.play(Write(identity))
        self.play(Create(box))
        self.wait()
""",
)

scene(
    "pythagoras_tex",
    (
        "Write the Pythagorean theorem a^2 + b^2 = c^2 and transform it into c = sqrt(a^2 + b^2).",
        "Start from a squared plus b squared equals c squared and rearrange it to solve for c.",
    ),
    r"""from manim import *


class PythagorasRearrange(Scene):
    def construct(self):
        first = MathTex("a^2", "+", "b^2", "=", "c^2")
        second = MathTex("c", "=", r"\sqrt{a^2 + b^2}")
        self.play(Write(first))
        self.wait()
        self.play(TransformMatchingTex(first, second))
        self.wait()
""",
)

scene(
    "sine_plot",
    (SINE, "Graph the sine function from -pi to pi on labelled axes."),
    r"""from manim import *


class SinePlot(Scene):
    def construct(self):
        axes = Axes(x_range=[-PI, PI, PI / 2], y_range=[-1.5, 1.5, 0.5], x_length=10, y_length=5)
        graph = axes.plot(np.sin, color=BLUE)
        label = axes.get_graph_label(graph, label=r"\sin(x)")
        self.play(Create(axes))
        self.play(Create(graph), Write(label))
        self.wait()
""",
)

scene(
    "sine_plot_alt",
    SINE,
    r"""import numpy as np
from manim import *


class SineWave(Scene):
    def construct(self):
        plane = NumberPlane(x_range=[-4, 4], y_range=[-2, 2], x_length=8, y_length=4)
        curve = plane.plot(lambda x: np.sin(x), x_range=[-PI, PI], color=RED)
        tag = MathTex(r"y = \sin x").to_corner(UL)
        self.add(plane)
        self.play(Create(curve), run_time=2)
        self.play(FadeIn(tag))
        self.wait()
""",
)

scene(
    "parabola_area",
    (
        "Shade the area under y = x^2 from 0 to 2 and show that the integral equals 8/3.",
        "Plot the parabola x squared, fill the region under it between x = 0 and x = 2, and write the value of that definite integral.",
    ),
    r"""from manim import *


class AreaUnderParabola(Scene):
    def construct(self):
        axes = Axes(
            x_range=[0, 3, 1],
            y_range=[0, 9, 3],
            tips=False,
            axis_config={"include_numbers": True},
        )
        curve = axes.plot(lambda x: x**2, x_range=[0, 3], color=YELLOW)
        area = axes.get_area(curve, x_range=[0, 2], color=BLUE, opacity=0.5)
        formula = MathTex(r"\int_0^2 x^2\,dx = \frac{8}{3}").to_corner(UL)
        self.play(Create(axes), Create(curve))
        self.play(FadeIn(area))
        self.play(Write(formula))
        self.wait()
""",
)

scene(
    "moving_tangent",
    "Plot a cubic curve and slide a tangent line along it using a ValueTracker, with a dot marking the point of tangency.",
    r"""from manim import *


def f(x):
    return 0.1 * (x - 2) * (x + 1) * (x - 4) + 1


class MovingTangent(Scene):
    def construct(self):
        axes = Axes(x_range=[-2, 5, 1], y_range=[-2, 4, 1], x_length=9, y_length=5)
        graph = axes.plot(f, color=BLUE)
        x = ValueTracker(-1.5)
        tangent = always_redraw(
            lambda: TangentLine(graph, alpha=(x.get_value() + 2) / 7, length=3, color=YELLOW)
        )
        dot = always_redraw(lambda: Dot(axes.i2gp(x.get_value(), graph), color=YELLOW))
        self.play(Create(axes), Create(graph))
        self.add(tangent, dot)
        self.play(x.animate.set_value(4.5), run_time=4)
        self.wait()
""",
)

scene(
    "count_up",
    (
        "Show a large counter that counts from 0 to 100 with the word 'visitors' under it.",
        "Animate a number ticking up from zero to one hundred, captioned 'visitors'.",
    ),
    r"""from manim import *


class CountUp(Scene):
    def construct(self):
        tracker = ValueTracker(0)
        number = DecimalNumber(0, num_decimal_places=0, font_size=96)
        number.add_updater(lambda m: m.set_value(tracker.get_value()))
        caption = Text("visitors", font_size=36).next_to(number, DOWN)
        self.add(number, caption)
        self.play(tracker.animate.set_value(100), run_time=3, rate_func=linear)
        self.wait()
""",
)

scene(
    "clock_hand",
    "Draw a clock face with 12 tick marks and a red hand that makes one full turn in four seconds.",
    r"""from manim import *


class ClockHand(Scene):
    def construct(self):
        face = Circle(radius=2.5, color=WHITE)
        ticks = VGroup(
            *[
                Line(2.2 * np.array([np.cos(a), np.sin(a), 0]), 2.5 * np.array([np.cos(a), np.sin(a), 0]))
                for a in np.linspace(0, TAU, 12, endpoint=False)
            ]
        )
        hand = Line(ORIGIN, 2 * UP, color=RED, stroke_width=6)
        hand.add_updater(lambda m, dt: m.rotate(-dt * TAU / 4, about_point=ORIGIN))
        self.add(face, ticks, hand)
        self.wait(4)
        hand.clear_updaters()
        self.play(FadeOut(VGroup(face, ticks, hand)))
""",
)

scene(
    "radius_tracker",
    "Grow a teal circle from radius 0.5 to 2.5 and back to 1, with a number next to it showing the current radius.",
    r"""from manim import *


class RadiusTracker(Scene):
    def construct(self):
        radius = ValueTracker(0.5)
        circle = always_redraw(lambda: Circle(radius=radius.get_value(), color=TEAL))
        readout = always_redraw(
            lambda: DecimalNumber(radius.get_value(), num_decimal_places=2).next_to(circle, RIGHT)
        )
        self.add(circle, readout)
        self.play(radius.animate.set_value(2.5), run_time=3)
        self.play(radius.animate.set_value(1), run_time=2)
        self.wait()
""",
)

scene(
    "bar_chart",
    "Show a bar chart of quarterly sales for Q1 to Q4 and animate the bars updating to new values.",
    r"""from manim import *


class QuarterlySales(Scene):
    def construct(self):
        chart = BarChart(
            values=[4, 6, 3, 8],
            bar_names=["Q1", "Q2", "Q3", "Q4"],
            y_range=[0, 10, 2],
            y_length=5,
            x_length=8,
        )
        title = Text("Quarterly sales", font_size=40).to_edge(UP)
        self.play(Write(title), Create(chart))
        self.play(chart.animate.change_bar_values([5, 7, 6, 9]))
        self.wait()
""",
)

scene(
    "matrix_intro",
    "Show the matrix-vector product [[2, 0], [1, 3]] times [1, 2] equals [2, 7].",
    r"""from manim import *


class MatrixIntro(Scene):
    def construct(self):
        m = Matrix([[2, 0], [1, 3]])
        v = Matrix([[1], [2]])
        eq = MathTex("=")
        result = Matrix([[2], [7]])
        VGroup(m, v, eq, result).arrange(RIGHT)
        self.play(Write(m), Write(v))
        self.play(Write(eq), FadeIn(result, shift=LEFT))
        self.play(Indicate(result))
        self.wait()
""",
)

scene(
    "planet_table",
    "Display a table of the four inner planets and their distance from the Sun in AU, then highlight Earth's row.",
    r"""from manim import *


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
""",
)

scene(
    "polygon_sequence",
    (
        "Morph a regular polygon from a triangle up to an octagon, one side at a time, with a caption showing the number of sides.",
        "Turn a triangle into a square, pentagon, hexagon, heptagon and octagon in turn while the caption counts the sides.",
    ),
    r"""from manim import *


class PolygonSequence(Scene):
    def construct(self):
        shape = RegularPolygon(n=3, color=BLUE).scale(2)
        label = Text("3 sides").to_edge(DOWN)
        self.play(Create(shape), Write(label))
        for n in range(4, 9):
            self.play(
                Transform(shape, RegularPolygon(n=n, color=BLUE).scale(2)),
                Transform(label, Text(f"{n} sides").to_edge(DOWN)),
            )
        self.wait()
""",
)

scene(
    "distance_grid",
    "Make a 9 by 9 grid of dots colored from yellow at the center to purple at the corners, then rotate the grid by 45 degrees.",
    r"""import numpy as np
from manim import *

GRID = 9
SPACING = 0.6


class DistanceGrid(Scene):
    def construct(self):
        corner = np.hypot(GRID // 2, GRID // 2) * SPACING
        dots = VGroup()
        for i in range(GRID):
            for j in range(GRID):
                x = (i - GRID // 2) * SPACING
                y = (j - GRID // 2) * SPACING
                t = np.hypot(x, y) / corner
                dots.add(Dot([x, y, 0], color=interpolate_color(YELLOW, PURPLE, t)))
        self.play(LaggedStartMap(GrowFromCenter, dots, lag_ratio=0.01))
        self.play(dots.animate.rotate(PI / 4).scale(1.2))
        self.wait()
""",
)

scene(
    "spiral",
    "Draw an orange Archimedean spiral that winds around three times.",
    r"""from manim import *


class ArchimedeanSpiral(Scene):
    def construct(self):
        spiral = ParametricFunction(
            lambda t: np.array([0.15 * t * np.cos(t), 0.15 * t * np.sin(t), 0]),
            t_range=[0, 6 * PI],
            color=ORANGE,
        )
        self.play(Create(spiral), run_time=4)
        self.wait()
""",
)

scene(
    "lissajous",
    "Trace a Lissajous figure with frequency ratio 3:2 and write its parametric equations underneath.",
    r"""import numpy as np
from manim import *

A, B = 3, 2
DELTA = PI / 2


class Lissajous(Scene):
    def construct(self):
        curve = ParametricFunction(
            lambda t: np.array([2.5 * np.sin(A * t + DELTA), 2.5 * np.sin(B * t), 0]),
            t_range=[0, TAU, 0.01],
            color=PINK,
        )
        caption = MathTex(r"x = \sin(3t + \tfrac{\pi}{2}),\quad y = \sin(2t)").scale(0.7).to_edge(DOWN)
        self.play(Create(curve), run_time=3)
        self.play(Write(caption))
        self.wait()
""",
)

scene(
    "swirl_field",
    "Show a rotational vector field with arrows and let a red dot drift along the flow.",
    r"""from manim import *


class SwirlField(Scene):
    def construct(self):
        def swirl(p):
            return np.array([-p[1], p[0], 0]) * 0.5

        field = ArrowVectorField(swirl, x_range=[-5, 5, 1], y_range=[-3, 3, 1])
        self.play(Create(field))
        dot = Dot(RIGHT * 2, color=RED)
        self.add(dot)
        dot.add_updater(field.get_nudge_updater(speed=1))
        self.wait(3)
""",
)

scene(
    "shear_plane",
    "Apply the shear matrix [[1, 1], [0, 1]] to a coordinate grid and a yellow vector, showing the matrix in the corner.",
    r"""from manim import *


class ShearPlane(Scene):
    def construct(self):
        plane = NumberPlane()
        arrow = Vector([1, 1], color=YELLOW)
        self.add(plane, arrow)
        matrix = [[1, 1], [0, 1]]
        label = MathTex(r"\begin{bmatrix} 1 & 1 \\ 0 & 1 \end{bmatrix}")
        label.to_corner(UL).add_background_rectangle()
        self.play(Write(label))
        self.play(ApplyMatrix(matrix, plane), ApplyMatrix(matrix, arrow), run_time=2)
        self.wait()
""",
)

scene(
    "zoom_to_dot",
    (
        "In a moving-camera scene, zoom in on a red dot among a grid of dots, flash it, then zoom back out.",
        "Use a MovingCameraScene to close in on one highlighted dot in a lattice and return to the full view.",
    ),
    r"""from manim import *


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
""",
)

scene(
    "follow_dot",
    "Make the camera follow a small blue square as it drives to the right along a long road with tick marks.",
    r"""from manim import *


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
""",
)

scene(
    "paraboloid",
    "In 3D, plot the paraboloid z = (x^2 + y^2)/2 over a square with a checkerboard blue surface and slowly rotate the camera.",
    r"""from manim import *


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
""",
)

scene(
    "spinning_cube",
    (
        "Show a green cube in 3D, rotate it 90 degrees around the vertical axis, then swing the camera around it.",
        "Render a solid green cube in a 3D scene, give it a quarter turn, and move the camera to a new angle.",
    ),
    r"""from manim import *


class SpinningCube(ThreeDScene):
    def construct(self):
        self.set_camera_orientation(phi=60 * DEGREES, theta=30 * DEGREES)
        cube = Cube(side_length=2, fill_opacity=0.8, fill_color=GREEN)
        self.play(Create(cube))
        self.play(Rotate(cube, angle=PI / 2, axis=UP), run_time=2)
        self.move_camera(phi=75 * DEGREES, theta=120 * DEGREES, run_time=2)
        self.wait()
""",
)

scene(
    "globe",
    "Draw a blue sphere at the origin with 3D axes and rotate the camera around it for a few seconds.",
    r"""from manim import *


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
""",
)

scene(
    "label_follows",
    "Move a green dot across the screen with a 'tracking' label above it and its live coordinates below it, both following the dot.",
    r"""from manim import *


class LabelFollowsDot(Scene):
    def construct(self):
        dot = Dot(LEFT * 3, color=GREEN)
        label = always_redraw(lambda: Text("tracking", font_size=24).next_to(dot, UP))
        coords = always_redraw(
            lambda: Text(f"({dot.get_x():.1f}, {dot.get_y():.1f})", font_size=20).next_to(dot, DOWN)
        )
        self.add(dot, label, coords)
        self.play(dot.animate.shift(RIGHT * 6 + UP * 2), run_time=3)
        self.play(dot.animate.move_to(ORIGIN))
        self.wait()
""",
)

scene(
    "brace_width",
    "Draw a 5 by 2 rectangle and annotate its width and height with braces and labels.",
    r"""from manim import *


class BraceWidth(Scene):
    def construct(self):
        rect = Rectangle(width=5, height=2, color=BLUE)
        top = Brace(rect, UP)
        side = Brace(rect, RIGHT)
        w = top.get_text("width = 5")
        h = side.get_tex("h = 2")
        self.play(Create(rect))
        self.play(GrowFromCenter(top), Write(w))
        self.play(GrowFromCenter(side), Write(h))
        self.wait()
""",
)

scene(
    "highlight_keyword",
    "Write the sentence 'Manim makes math move', then emphasize the word 'math' in yellow and wiggle the word 'move'.",
    r"""from manim import *


class HighlightKeyword(Scene):
    def construct(self):
        words = VGroup(*[Text(w, font_size=48) for w in "Manim makes math move".split()])
        words.arrange(RIGHT, buff=0.3)
        self.play(Write(words))
        self.play(Indicate(words[2], color=YELLOW))
        self.play(words[2].animate.set_color(YELLOW).scale(1.2))
        self.play(Wiggle(words[3]))
        self.wait()
""",
)

scene(
    "stacking_blocks",
    "Drop five colored blocks of decreasing width one after another to build a stepped tower.",
    r"""from manim import *


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
""",
)

scene(
    "word_morph",
    (
        "Show that 'listen' and 'silent' are anagrams by rearranging the letters of one word into the other.",
        "Animate the letters of the word listen flying into place to spell silent.",
    ),
    r"""from manim import *


class WordMorph(Scene):
    def construct(self):
        a = Text("listen", font_size=72)
        b = Text("silent", font_size=72)
        self.play(Write(a))
        self.wait(0.5)
        self.play(TransformMatchingShapes(a, b, path_arc=PI / 2))
        self.wait()
""",
)

scene(
    "spin_word",
    "Write the word 'spin', rotate it a full turn, then change its color from white to teal.",
    r"""from manim import *


class SpinWord(Scene):
    def construct(self):
        word = Text("spin", font_size=96)
        self.play(FadeIn(word))
        self.play(Rotate(word, angle=TAU), run_time=2)
        self.play(word.animate.set_color(TEAL))
        self.wait()
""",
)

scene(
    "venn",
    (
        "Draw a two-set Venn diagram with circles A and B and fill their intersection in purple, labeled A intersect B.",
        "Make a Venn diagram of two overlapping sets and highlight the overlap.",
    ),
    r"""from manim import *


class VennDiagram(Scene):
    def construct(self):
        left = Circle(radius=2, color=BLUE, fill_opacity=0.3).shift(LEFT)
        right = Circle(radius=2, color=RED, fill_opacity=0.3).shift(RIGHT)
        both = Intersection(left, right, color=PURPLE, fill_opacity=0.7)
        a = Text("A").next_to(left, UP)
        b = Text("B").next_to(right, UP)
        caption = MathTex(r"A \cap B").to_edge(DOWN)
        self.play(Create(left), Create(right), Write(a), Write(b))
        self.play(FadeIn(both))
        self.play(Write(caption))
        self.wait()
""",
)

scene(
    "power_rule",
    "Derive the derivative of x^3 from the limit definition step by step, writing each line below the previous one, and circle the final answer 3x^2.",
    r"""from manim import *


class PowerRuleExample(Scene):
    def construct(self):
        steps = VGroup(
            MathTex(r"f(x) = x^3"),
            MathTex(r"f'(x) = \lim_{h \to 0} \frac{(x+h)^3 - x^3}{h}"),
            MathTex(r"= \lim_{h \to 0} \left(3x^2 + 3xh + h^2\right)"),
            MathTex(r"= 3x^2"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.5)
        for step in steps:
            self.play(Write(step))
            self.wait(0.5)
        self.play(Circumscribe(steps[-1], color=YELLOW))
        self.wait()
""",
)

scene(
    "linear_equation",
    (
        "Solve 2x + 3 = 11 step by step with TransformMatchingTex, ending on x = 4 in green.",
        "Show the algebra steps that solve two x plus three equals eleven, morphing each line into the next.",
    ),
    r"""from manim import *


class SolveLinearEquation(Scene):
    def construct(self):
        lines = [
            MathTex("2x", "+", "3", "=", "11"),
            MathTex("2x", "=", "11", "-", "3"),
            MathTex("2x", "=", "8"),
            MathTex("x", "=", "4"),
        ]
        current = lines[0]
        self.play(Write(current))
        for nxt in lines[1:]:
            self.wait(0.5)
            self.play(TransformMatchingTex(current, nxt))
            current = nxt
        self.play(current.animate.set_color(GREEN).scale(1.5))
        self.wait()
""",
)

scene(
    "agenda",
    "Make a title slide 'Today's agenda' with a bulleted list of vectors, matrices and eigenvalues revealed one at a time, and highlight the last item.",
    r"""from manim import *


class AgendaSlide(Scene):
    def construct(self):
        title = Title("Today's agenda")
        items = BulletedList("Vectors", "Matrices", "Eigenvalues", font_size=40)
        self.play(Write(title))
        for item in items:
            self.play(FadeIn(item, shift=RIGHT * 0.5))
        self.play(items[2].animate.set_color(YELLOW))
        self.wait()
""",
)

scene(
    "polar_rose",
    "On a polar grid, draw the eight-petal rose r = 2.5 cos(4 theta) in pink.",
    r"""from manim import *


class PolarRose(Scene):
    def construct(self):
        plane = PolarPlane(radius_max=3, size=6)
        rose = plane.plot_polar_graph(lambda theta: 2.5 * np.cos(4 * theta), [0, TAU], color=PINK)
        self.add(plane)
        self.play(Create(rose), run_time=4)
        self.wait()
""",
)

scene(
    "multiply_by_i",
    "On the complex plane, start with z = 2 + i and repeatedly multiply by i, swinging the point a quarter turn around the origin each time with labels z, iz, -z, -iz.",
    r"""from manim import *


class MultiplyByI(Scene):
    def construct(self):
        plane = ComplexPlane()
        names = ["z", "iz", "-z", "-iz"]
        z = complex(2, 1)
        dot = Dot(plane.n2p(z), color=YELLOW)
        label = MathTex(names[0]).next_to(dot, UR, buff=0.1)
        self.add(plane)
        self.play(FadeIn(dot), Write(label))
        for k in range(1, 4):
            w = z * 1j**k
            new_label = MathTex(names[k]).next_to(plane.n2p(w), UR, buff=0.1)
            self.play(
                dot.animate(path_arc=PI / 2).move_to(plane.n2p(w)),
                Transform(label, new_label),
            )
        self.wait()
""",
)

scene(
    "angle_lines",
    "Show an angle between a fixed horizontal line and a rotating arm, with an arc and a degree readout that updates as the angle opens from 40 to 120 degrees and closes to 60.",
    r"""from manim import *


class AngleBetweenLines(Scene):
    def construct(self):
        turn = ValueTracker(40)
        base = Line(ORIGIN, RIGHT * 3)
        arm = always_redraw(
            lambda: Line(ORIGIN, RIGHT * 3).rotate(turn.get_value() * DEGREES, about_point=ORIGIN)
        )
        angle = always_redraw(lambda: Angle(base, arm, radius=0.8, color=YELLOW))
        value = always_redraw(
            lambda: DecimalNumber(turn.get_value(), num_decimal_places=0, unit=r"^\circ").next_to(
                angle, RIGHT
            )
        )
        self.add(base, arm, angle, value)
        self.play(turn.animate.set_value(120), run_time=3)
        self.play(turn.animate.set_value(60), run_time=2)
        self.wait()
""",
)

scene(
    "random_walk",
    "Animate a 60-step random walk on a faint grid with a fixed random seed, drawing the yellow path as a red dot walks it.",
    r"""import numpy as np
from manim import *

STEPS = 60
SEED = 7


class RandomWalk(Scene):
    def construct(self):
        rng = np.random.default_rng(SEED)
        moves = rng.choice(np.array([UP, DOWN, LEFT, RIGHT]), size=STEPS) * 0.3
        points = np.vstack([ORIGIN, np.cumsum(moves, axis=0)])
        path = VMobject(color=YELLOW).set_points_as_corners(points)
        walker = Dot(color=RED)
        self.add(NumberPlane(background_line_style={"stroke_opacity": 0.3}))
        self.play(Create(path), MoveAlongPath(walker, path), run_time=4, rate_func=linear)
        self.play(Flash(walker))
        self.wait()
""",
)

scene(
    "sierpinski",
    "Build the Sierpinski triangle by recursion, transforming from a solid teal triangle through four levels of subdivision.",
    r"""from manim import *

DEPTH = 4


def sierpinski(a, b, c, depth):
    if depth == 0:
        return [Polygon(a, b, c, stroke_width=0, fill_color=TEAL, fill_opacity=1)]
    ab, bc, ca = (a + b) / 2, (b + c) / 2, (c + a) / 2
    return (
        sierpinski(a, ab, ca, depth - 1)
        + sierpinski(ab, b, bc, depth - 1)
        + sierpinski(ca, bc, c, depth - 1)
    )


class SierpinskiTriangle(Scene):
    def construct(self):
        corners = [np.array([-3.5, -3, 0]), np.array([3.5, -3, 0]), np.array([0, 3.2, 0])]
        stages = [VGroup(*sierpinski(*corners, d)) for d in range(DEPTH + 1)]
        shape = stages[0]
        self.play(FadeIn(shape))
        for stage in stages[1:]:
            self.play(Transform(shape, stage))
        self.wait()
""",
)

scene(
    "koch",
    (
        "Draw a Koch snowflake, starting from an equilateral triangle and adding one level of detail at a time up to level 4.",
        "Grow the Koch snowflake fractal from a triangle, refining its edges four times.",
    ),
    r"""from manim import *


def koch_points(points, levels):
    for _ in range(levels):
        refined = []
        for p, q in zip(points, points[1:] + points[:1]):
            d = (q - p) / 3
            peak = p + d + rotate_vector(d, -PI / 3)
            refined += [p, p + d, peak, p + 2 * d]
        points = refined
    return points


class KochSnowflake(Scene):
    def construct(self):
        triangle = [rotate_vector(UP * 3, k * TAU / 3) for k in range(3)]
        flake = Polygon(*koch_points(triangle, 0), color=BLUE)
        self.play(Create(flake))
        for level in range(1, 5):
            self.play(Transform(flake, Polygon(*koch_points(triangle, level), color=BLUE)))
        self.wait()
""",
)

scene(
    "pendulum",
    (
        "Animate a simple pendulum hanging from a ceiling, swinging with a 30 degree amplitude for three periods.",
        "Make a red pendulum bob on a rod swing back and forth under a ceiling line.",
    ),
    r"""from manim import *

LENGTH = 3
AMPLITUDE = 30 * DEGREES
PERIOD = 2


class Pendulum(Scene):
    def construct(self):
        pivot = UP * 2.5
        t = ValueTracker(0)

        def bob_position():
            theta = AMPLITUDE * np.cos(TAU * t.get_value() / PERIOD)
            return pivot + LENGTH * np.array([np.sin(theta), -np.cos(theta), 0])

        ceiling = Line(pivot + LEFT, pivot + RIGHT)
        rod = always_redraw(lambda: Line(pivot, bob_position()))
        bob = always_redraw(
            lambda: Circle(radius=0.25, color=RED, fill_opacity=1).move_to(bob_position())
        )
        self.add(ceiling, rod, bob)
        self.play(t.animate.set_value(3 * PERIOD), run_time=6, rate_func=linear)
        self.wait()
""",
)

scene(
    "riemann",
    (
        "Approximate the area under y = x^2/4 + 1 with Riemann rectangles and refine the width from 1 down to 0.1, updating the Delta x label each time.",
        "Show left Riemann sums under a parabola getting finer and finer, with the rectangle width written in the corner.",
    ),
    r"""from manim import *


class RiemannRefinement(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 4, 1], y_range=[0, 5, 1], x_length=8, y_length=5).to_edge(DOWN)
        curve = axes.plot(lambda x: 0.25 * x**2 + 1, x_range=[0, 4], color=WHITE)
        self.play(Create(axes), Create(curve))
        rects = axes.get_riemann_rectangles(curve, x_range=[0, 4], dx=1, fill_opacity=0.6)
        label = MathTex(r"\Delta x = 1").to_corner(UR)
        self.play(Create(rects), Write(label))
        for dx in [0.5, 0.25, 0.1]:
            new_rects = axes.get_riemann_rectangles(curve, x_range=[0, 4], dx=dx, fill_opacity=0.6)
            new_label = MathTex(rf"\Delta x = {dx}").to_corner(UR)
            self.play(Transform(rects, new_rects), Transform(label, new_label))
        self.wait()
""",
)

scene(
    "fourier",
    "Approximate a square wave with Fourier series partial sums using 1, 3, 5 and 9 odd sine terms, drawn in yellow over the gray square wave.",
    r"""import numpy as np
from manim import *

N_TERMS = [1, 3, 5, 9]


def partial_sum(x, n_terms):
    total = 0.0
    for k in range(n_terms):
        n = 2 * k + 1
        total += np.sin(n * x) / n
    return 4 / np.pi * total


class FourierSquareWave(Scene):
    def construct(self):
        axes = Axes(x_range=[-PI, PI, PI / 2], y_range=[-1.5, 1.5, 0.5], x_length=10, y_length=5)
        square = VMobject(color=GRAY).set_points_as_corners(
            [axes.c2p(-PI, -1), axes.c2p(0, -1), axes.c2p(0, 1), axes.c2p(PI, 1)]
        )
        approx = axes.plot(lambda x: partial_sum(x, N_TERMS[0]), color=YELLOW)
        label = Text(f"{N_TERMS[0]} term", font_size=32).to_corner(UL)
        self.play(Create(axes), Create(square))
        self.play(Create(approx), Write(label))
        for n in N_TERMS[1:]:
            self.play(
                Transform(approx, axes.plot(lambda x, n=n: partial_sum(x, n), color=YELLOW)),
                Transform(label, Text(f"{n} terms", font_size=32).to_corner(UL)),
            )
        self.wait()
""",
)

scene(
    "projectile",
    "Simulate a projectile launched at 10 m/s and 50 degrees: an orange ball flies over the axes leaving a faint trail until it lands.",
    r"""from manim import *

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
""",
)

scene(
    "circumcircle",
    (
        "Construct the circumcircle of triangle ABC: draw the triangle, dashed segments from the circumcenter to the side midpoints, the center point, and finally the circle through all three vertices.",
        "Find the point equally far from the three corners of a triangle and draw the circle that passes through A, B and C.",
    ),
    r"""from manim import *


def circumcenter(a, b, c):
    ax, ay = a[:2]
    bx, by = b[:2]
    cx, cy = c[:2]
    d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
    ux = ((ax**2 + ay**2) * (by - cy) + (bx**2 + by**2) * (cy - ay) + (cx**2 + cy**2) * (ay - by)) / d
    uy = ((ax**2 + ay**2) * (cx - bx) + (bx**2 + by**2) * (ax - cx) + (cx**2 + cy**2) * (bx - ax)) / d
    return np.array([ux, uy, 0])


class Circumcircle(Scene):
    def construct(self):
        a = np.array([-2.5, -1.5, 0])
        b = np.array([2.0, -2.0, 0])
        c = np.array([0.5, 2.0, 0])
        triangle = Polygon(a, b, c, color=WHITE)
        labels = VGroup(
            *[MathTex(n).next_to(p, d) for n, p, d in zip("ABC", (a, b, c), (DL, DR, UP))]
        )
        center = circumcenter(a, b, c)
        midpoints = [(a + b) / 2, (b + c) / 2, (c + a) / 2]
        bisectors = VGroup(*[DashedLine(center, m, color=GRAY) for m in midpoints])
        o = Dot(center, color=YELLOW)
        circle = Circle(radius=np.linalg.norm(a - center), color=YELLOW).move_to(center)
        self.play(Create(triangle), Write(labels))
        self.play(Create(bisectors))
        self.play(FadeIn(o))
        self.play(Create(circle))
        self.wait()
""",
)

scene(
    "budget_pie",
    "Make a pie chart of a monthly budget (rent 40%, food 25%, travel 15%, savings 20%) with labels, then pull the savings slice out.",
    r"""from manim import *

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
""",
)

scene(
    "intro_outro",
    "Make two scenes for a linear algebra video: an intro with the title 'Linear Algebra' and subtitle 'Episode 1: Vectors', and an outro that says 'Thanks for watching' with two credit lines.",
    r"""from manim import *

TITLE_COLOR = BLUE_B


class IntroTitle(Scene):
    def construct(self):
        title = Text("Linear Algebra", font_size=64, color=TITLE_COLOR)
        subtitle = Text("Episode 1: Vectors", font_size=32).next_to(title, DOWN)
        self.play(Write(title))
        self.play(FadeIn(subtitle, shift=UP * 0.3))
        self.wait()
        self.play(FadeOut(title), FadeOut(subtitle))


class OutroCredits(Scene):
    def construct(self):
        thanks = Text("Thanks for watching", font_size=48, color=TITLE_COLOR)
        credits = VGroup(
            Text("Script: A. Writer", font_size=28),
            Text("Animation: made with Manim", font_size=28),
        )
        credits.arrange(DOWN).next_to(thanks, DOWN, buff=0.6)
        self.play(Write(thanks))
        self.play(LaggedStart(*[FadeIn(c) for c in credits], lag_ratio=0.5))
        self.wait()
""",
)

scene(
    "palette",
    "Using a shared base scene with a heading helper, make two scenes that show a row of five color swatches: one warm-to-cool from red to blue, and one cool-to-warm that then stacks the swatches vertically.",
    r"""from manim import *

PALETTE = [RED, ORANGE, YELLOW, GREEN, BLUE]


def swatch_row(colors, size=0.8):
    squares = [Square(side_length=size, fill_color=c, fill_opacity=1, stroke_width=0) for c in colors]
    return VGroup(*squares).arrange(RIGHT, buff=0.1)


class PaletteScene(Scene):
    def show_heading(self, text):
        heading = Text(text, font_size=40).to_edge(UP)
        self.play(FadeIn(heading, shift=DOWN * 0.3))
        return heading


class WarmToCool(PaletteScene):
    def construct(self):
        self.show_heading("Warm to cool")
        row = swatch_row(PALETTE)
        self.play(LaggedStart(*[GrowFromCenter(s) for s in row], lag_ratio=0.15))
        self.wait()


class CoolToWarm(PaletteScene):
    def construct(self):
        self.show_heading("Cool to warm")
        row = swatch_row(list(reversed(PALETTE)), size=1.0)
        self.play(FadeIn(row))
        self.play(row.animate.arrange(DOWN, buff=0.1).next_to(ORIGIN, DOWN, buff=-2))
        self.wait()
""",
)

scene(
    "neural_net",
    (
        "Draw a feed-forward neural network with layers of 3, 5, 4 and 2 neurons, connect every pair of neurons in adjacent layers, light up each layer in turn and label the layers.",
        "Visualize a small fully connected network (3-5-4-2) and animate a signal passing from the input layer to the output layer.",
    ),
    r"""from manim import *

LAYERS = [3, 5, 4, 2]
LAYER_GAP = 2.5
NAMES = ["input", "hidden", "hidden", "output"]


def layer_of_neurons(count, x):
    neurons = VGroup(*[Circle(radius=0.25, color=WHITE) for _ in range(count)])
    neurons.arrange(DOWN, buff=0.4).move_to(RIGHT * x)
    return neurons


def connect(left, right):
    edges = VGroup()
    for a in left:
        for b in right:
            edges.add(Line(a.get_right(), b.get_left(), stroke_width=1, color=GRAY))
    return edges


class NeuralNetwork(Scene):
    def construct(self):
        offset = (len(LAYERS) - 1) * LAYER_GAP / 2
        layers = [layer_of_neurons(n, i * LAYER_GAP - offset) for i, n in enumerate(LAYERS)]
        edges = VGroup(*[connect(a, b) for a, b in zip(layers, layers[1:])])
        self.play(LaggedStart(*[Create(layer) for layer in layers], lag_ratio=0.3))
        self.play(Create(edges), run_time=2)
        for layer in layers:
            self.play(layer.animate.set_fill(YELLOW, opacity=0.8), run_time=0.4)
            self.play(layer.animate.set_fill(opacity=0), run_time=0.2)
        labels = VGroup(
            *[Text(name, font_size=24).next_to(layer, DOWN) for name, layer in zip(NAMES, layers)]
        )
        self.play(FadeIn(labels))
        self.wait()
""",
)

scene(
    "unit_circle_sine",
    "Show how the sine wave comes from the unit circle: a point rotates around a circle on the left while its height is traced as a red sine curve on the right, linked by a dashed line.",
    r"""from manim import *

RADIUS = 1.5
CENTER = LEFT * 4


class SineFromCircle(Scene):
    def construct(self):
        circle = Circle(radius=RADIUS, color=BLUE).move_to(CENTER)
        x_axis = Line(LEFT * 2, RIGHT * 6, stroke_width=2)
        angle = ValueTracker(0)

        def circle_point():
            a = angle.get_value()
            return CENTER + RADIUS * np.array([np.cos(a), np.sin(a), 0])

        def graph_point(a):
            return np.array([-2 + a * 8 / TAU, RADIUS * np.sin(a), 0])

        dot = always_redraw(lambda: Dot(circle_point(), color=YELLOW))
        radius_line = always_redraw(lambda: Line(CENTER, circle_point(), color=YELLOW))
        trace = always_redraw(
            lambda: ParametricFunction(
                graph_point, t_range=[0, max(angle.get_value(), 0.05), 0.01], color=RED
            )
        )
        bridge = always_redraw(
            lambda: DashedLine(circle_point(), graph_point(angle.get_value()), color=GRAY)
        )
        self.play(Create(circle), Create(x_axis))
        self.add(radius_line, dot, bridge, trace)
        self.play(angle.animate.set_value(TAU), run_time=6, rate_func=linear)
        self.wait()
""",
)

scene(
    "histogram",
    "Draw a histogram of 500 samples from a standard normal distribution in 12 bins, growing the bars from the axis, and overlay the expected bell curve.",
    r"""import numpy as np
from manim import *

rng = np.random.default_rng(2024)
SAMPLES = rng.normal(loc=0, scale=1, size=500)
BINS = np.linspace(-3, 3, 13)


def expected_count(x):
    width = BINS[1] - BINS[0]
    return len(SAMPLES) * width * np.exp(-(x**2) / 2) / np.sqrt(TAU)


class NormalHistogram(Scene):
    def construct(self):
        counts, edges = np.histogram(SAMPLES, bins=BINS)
        axes = Axes(
            x_range=[-3, 3, 1],
            y_range=[0, 120, 20],
            x_length=9,
            y_length=5,
            axis_config={"include_numbers": True},
        )
        bars = VGroup()
        for count, left, right in zip(counts, edges[:-1], edges[1:]):
            bar = Polygon(
                axes.c2p(left, 0),
                axes.c2p(right, 0),
                axes.c2p(right, count),
                axes.c2p(left, count),
                fill_color=BLUE,
                fill_opacity=0.7,
                stroke_width=1,
            )
            bars.add(bar)
        density = axes.plot(expected_count, color=YELLOW)
        self.play(Create(axes))
        self.play(LaggedStart(*[GrowFromEdge(b, DOWN) for b in bars], lag_ratio=0.1))
        self.play(Create(density))
        self.wait()
""",
)

scene(
    "bubble_sort",
    (
        "Visualize bubble sort on the list [5, 2, 8, 1, 6, 3] with labeled bars: highlight each compared pair in yellow, swap bars when needed, and color sorted bars green.",
        "Animate bubble sort step by step on six numbers drawn as bars, swapping neighbours that are out of order.",
    ),
    r"""from manim import *

VALUES = [5, 2, 8, 1, 6, 3]
BAR_WIDTH = 0.8
GAP = 0.3


def make_bar(value):
    bar = Rectangle(width=BAR_WIDTH, height=value * 0.5, fill_color=BLUE, fill_opacity=0.8)
    label = Text(str(value), font_size=28).next_to(bar, DOWN, buff=0.1)
    return VGroup(bar, label)


def slot(i, n):
    return np.array([(i - (n - 1) / 2) * (BAR_WIDTH + GAP), -2.5, 0])


class BubbleSort(Scene):
    def construct(self):
        title = Text("Bubble sort", font_size=44).to_edge(UP)
        n = len(VALUES)
        bars = [make_bar(v) for v in VALUES]
        for i, bar in enumerate(bars):
            bar.move_to(slot(i, n), aligned_edge=DOWN)
        self.play(Write(title), *[FadeIn(b, shift=UP) for b in bars])

        values = list(VALUES)
        for end in range(n - 1, 0, -1):
            for i in range(end):
                left, right = bars[i], bars[i + 1]
                self.play(
                    left[0].animate.set_fill(YELLOW),
                    right[0].animate.set_fill(YELLOW),
                    run_time=0.3,
                )
                if values[i] > values[i + 1]:
                    self.play(
                        left.animate.move_to(slot(i + 1, n), aligned_edge=DOWN),
                        right.animate.move_to(slot(i, n), aligned_edge=DOWN),
                        run_time=0.5,
                    )
                    bars[i], bars[i + 1] = right, left
                    values[i], values[i + 1] = values[i + 1], values[i]
                self.play(
                    bars[i][0].animate.set_fill(BLUE),
                    bars[i + 1][0].animate.set_fill(BLUE),
                    run_time=0.2,
                )
            self.play(bars[end][0].animate.set_fill(GREEN), run_time=0.2)
        self.play(bars[0][0].animate.set_fill(GREEN))
        self.wait()
""",
)

scene(
    "binary_search",
    (
        "Animate a binary search for 34 in a sorted array of ten numbers, with blue and red arrows for the low and high pointers, dimming discarded halves and highlighting the found cell in green.",
        "Show how binary search narrows down a sorted list of ten values to find the number 34.",
    ),
    r"""from manim import *

DATA = [3, 7, 12, 18, 21, 29, 34, 40, 46, 55]
TARGET = 34


def cell(value):
    box = Square(side_length=0.9)
    number = Text(str(value), font_size=30)
    return VGroup(box, number)


def pointer(color, cells, index):
    return Arrow(DOWN, UP, color=color).next_to(cells[index], DOWN, buff=0.5)


class BinarySearch(Scene):
    def construct(self):
        cells = VGroup(*[cell(v) for v in DATA]).arrange(RIGHT, buff=0)
        indices = VGroup(
            *[Text(str(i), font_size=20, color=GRAY).next_to(c, DOWN, buff=0.1) for i, c in enumerate(cells)]
        )
        header = Text(f"Searching for {TARGET}", font_size=36).to_edge(UP)
        self.play(Write(header), Create(cells), FadeIn(indices))

        lo, hi = 0, len(DATA) - 1
        lo_arrow = pointer(BLUE, cells, lo)
        hi_arrow = pointer(RED, cells, hi)
        self.play(GrowArrow(lo_arrow), GrowArrow(hi_arrow))
        while lo <= hi:
            mid = (lo + hi) // 2
            self.play(cells[mid][0].animate.set_fill(YELLOW, opacity=0.5), run_time=0.5)
            if DATA[mid] == TARGET:
                self.play(cells[mid][0].animate.set_fill(GREEN, opacity=0.8))
                found = Text(f"found at index {mid}", font_size=32, color=GREEN).to_edge(DOWN)
                self.play(Write(found))
                break
            if DATA[mid] < TARGET:
                discarded = cells[lo : mid + 1]
                lo = mid + 1
                self.play(
                    discarded.animate.set_opacity(0.3),
                    lo_arrow.animate.next_to(cells[lo], DOWN, buff=0.5),
                )
            else:
                discarded = cells[mid : hi + 1]
                hi = mid - 1
                self.play(
                    discarded.animate.set_opacity(0.3),
                    hi_arrow.animate.next_to(cells[hi], DOWN, buff=0.5),
                )
        self.wait()
""",
)

scene(
    "bfs_tree",
    "Draw a binary tree with seven numbered nodes and animate a breadth-first traversal, marking each node with its visit order and writing the final order at the bottom.",
    r"""from manim import *

EDGES = [(1, 2), (1, 3), (2, 4), (2, 5), (3, 6), (3, 7)]


def bfs_order(root):
    order, queue, seen = [], [root], {root}
    while queue:
        v = queue.pop(0)
        order.append(v)
        for a, b in EDGES:
            if a == v and b not in seen:
                seen.add(b)
                queue.append(b)
    return order


class BreadthFirst(Scene):
    def construct(self):
        graph = Graph(
            list(range(1, 8)),
            EDGES,
            layout="tree",
            root_vertex=1,
            labels=True,
            vertex_config={"radius": 0.3},
        )
        self.play(Create(graph))
        order = bfs_order(1)
        badges = VGroup()
        for step, v in enumerate(order, start=1):
            badge = Text(str(step), font_size=24, color=YELLOW)
            badge.next_to(graph.vertices[v], RIGHT, buff=0.15)
            self.play(Indicate(graph.vertices[v], color=ORANGE), FadeIn(badge), run_time=0.5)
            badges.add(badge)
        summary = Text("BFS order: " + " ".join(map(str, order)), font_size=32).to_edge(DOWN)
        self.play(Write(summary))
        self.wait()
""",
)

scene(
    "matrix_product",
    "Visualize multiplying the 2x2 matrices [[1,2],[3,4]] and [[5,6],[7,8]]: for each entry of the result, highlight the row and column used, show the dot-product arithmetic at the bottom, and reveal the entry.",
    r"""import numpy as np
from manim import *

A = np.array([[1, 2], [3, 4]])
B = np.array([[5, 6], [7, 8]])
CELL = 0.8


def grid(matrix, color):
    rows, cols = matrix.shape
    cells = VGroup()
    for r in range(rows):
        for c in range(cols):
            box = Square(side_length=CELL, color=color)
            box.move_to(np.array([c * CELL, -r * CELL, 0]))
            value = Text(str(matrix[r, c]), font_size=28).move_to(box)
            cells.add(VGroup(box, value))
    return cells


def entry(cells, r, c, cols):
    return cells[r * cols + c]


class MatrixProduct(Scene):
    def construct(self):
        product = A @ B
        left = grid(A, BLUE)
        right = grid(B, GREEN)
        result = grid(product, YELLOW)
        for cell in result:
            cell[1].set_opacity(0)
        times = MathTex(r"\times")
        equals = MathTex("=")
        VGroup(left, times, right, equals, result).arrange(RIGHT, buff=0.5)
        self.play(FadeIn(left), FadeIn(right), Write(times), Write(equals), Create(result))

        inner = A.shape[1]
        for r in range(product.shape[0]):
            for c in range(product.shape[1]):
                row = VGroup(*[entry(left, r, k, inner)[0] for k in range(inner)])
                col = VGroup(*[entry(right, k, c, B.shape[1])[0] for k in range(inner)])
                terms = " + ".join(rf"{A[r, k]} \cdot {B[k, c]}" for k in range(inner))
                work = MathTex(terms + f" = {product[r, c]}").to_edge(DOWN)
                target = entry(result, r, c, product.shape[1])
                self.play(
                    row.animate.set_fill(BLUE, opacity=0.4),
                    col.animate.set_fill(GREEN, opacity=0.4),
                    Write(work),
                )
                self.play(target[1].animate.set_opacity(1))
                self.play(
                    row.animate.set_fill(opacity=0),
                    col.animate.set_fill(opacity=0),
                    FadeOut(work),
                )
        self.wait()
""",
)

scene(
    "solar_system",
    "Animate a small solar system: a glowing sun, four inner planets with labels orbiting at different speeds on faint orbit rings, a moon circling Earth, and a counter showing elapsed Earth years.",
    r"""from manim import *

# name, orbit radius, dot radius, color, seconds per orbit
PLANETS = [
    ("Mercury", 0.9, 0.06, GRAY, 1.0),
    ("Venus", 1.4, 0.10, GOLD, 2.5),
    ("Earth", 2.0, 0.11, BLUE, 4.0),
    ("Mars", 2.7, 0.08, RED, 7.5),
]
EARTH_PERIOD = 4.0
MOON_PERIOD = 0.8
MOON_DISTANCE = 0.25


def orbit_updater(period):
    def update(mob, dt):
        mob.rotate(TAU * dt / period, about_point=ORIGIN)

    return update


def polar(radius, angle):
    return radius * np.array([np.cos(angle), np.sin(angle), 0])


class SolarSystem(Scene):
    def construct(self):
        sun = Dot(radius=0.3, color=YELLOW)
        glow = Circle(radius=0.45, color=YELLOW, stroke_opacity=0.3, stroke_width=8)
        title = Text("Inner planets", font_size=32).to_corner(UL)
        self.play(FadeIn(sun, scale=0.2), Create(glow), Write(title))

        orbits = VGroup()
        planets = VGroup()
        names = VGroup()
        for name, radius, size, color, period in PLANETS:
            orbits.add(Circle(radius=radius, stroke_color=WHITE, stroke_width=1, stroke_opacity=0.4))
            planet = Dot(RIGHT * radius, radius=size, color=color)
            planet.add_updater(orbit_updater(period))
            label = Text(name, font_size=18)
            label.add_updater(lambda m, p=planet: m.next_to(p, UP, buff=0.08))
            planets.add(planet)
            names.add(label)
        self.play(Create(orbits), run_time=2)
        self.add(planets, names)

        earth = planets[2]
        moon_angle = ValueTracker(0)
        moon_angle.add_updater(lambda m, dt: m.increment_value(TAU * dt / MOON_PERIOD))
        moon = Dot(radius=0.04, color=WHITE)
        moon.add_updater(
            lambda m: m.move_to(earth.get_center() + polar(MOON_DISTANCE, moon_angle.get_value()))
        )
        self.add(moon_angle, moon)

        years = ValueTracker(0)
        years.add_updater(lambda m, dt: m.increment_value(dt / EARTH_PERIOD))
        counter = DecimalNumber(0, num_decimal_places=2, font_size=32)
        counter.add_updater(lambda m: m.set_value(years.get_value()))
        caption = Text("Earth years", font_size=24)
        readout = VGroup(counter, caption).arrange(RIGHT).to_corner(DR)
        self.add(years, readout)
        self.wait(6)

        for mob in [*planets, *names, moon, moon_angle, years, counter]:
            mob.clear_updaters()
        self.play(FadeOut(VGroup(orbits, planets, names, moon, readout, title)), run_time=1.5)
        self.play(Flash(sun, color=YELLOW, flash_radius=0.8))
        self.wait()
""",
)

scene(
    "game_of_life",
    (
        "Simulate Conway's Game of Life on a 12 by 18 board seeded with a glider, a blinker and a block; animate eight generations with a generation counter and live-cell count.",
        "Show the Game of Life cellular automaton evolving for a few generations on a small grid, with the generation number and population on screen.",
    ),
    r'''import numpy as np
from manim import *

ROWS, COLS = 12, 18
CELL = 0.38
GENERATIONS = 8
ALIVE_COLOR = YELLOW
GLIDER = [(1, 2), (2, 3), (3, 1), (3, 2), (3, 3)]
BLINKER = [(6, 12), (6, 13), (6, 14)]
BLOCK = [(9, 4), (9, 5), (10, 4), (10, 5)]


def seed():
    grid = np.zeros((ROWS, COLS), dtype=int)
    for r, c in GLIDER + BLINKER + BLOCK:
        grid[r, c] = 1
    return grid


def step(grid):
    """One generation with a dead border (cells outside the board never live)."""
    padded = np.pad(grid, 1)
    neighbours = sum(
        padded[1 + dr : 1 + dr + ROWS, 1 + dc : 1 + dc + COLS]
        for dr in (-1, 0, 1)
        for dc in (-1, 0, 1)
        if (dr, dc) != (0, 0)
    )
    born = neighbours == 3
    survives = (grid == 1) & (neighbours == 2)
    return (born | survives).astype(int)


def build_board():
    cells = VGroup()
    for r in range(ROWS):
        for c in range(COLS):
            square = Square(side_length=CELL, stroke_width=1, stroke_color=GRAY_D)
            square.move_to(np.array([(c - (COLS - 1) / 2) * CELL, ((ROWS - 1) / 2 - r) * CELL, 0]))
            cells.add(square)
    return cells


def changes(cells, old, new):
    animations = []
    for r, c in zip(*np.nonzero(old != new)):
        square = cells[r * COLS + c]
        opacity = 0.9 if new[r, c] else 0
        animations.append(square.animate.set_fill(ALIVE_COLOR, opacity=opacity))
    return animations


class GameOfLife(Scene):
    def construct(self):
        board = build_board().shift(DOWN * 0.4)
        title = Text("Game of Life", font_size=36).to_edge(UP)
        grid = seed()

        generation = Integer(0)
        population = Integer(int(grid.sum()))
        stats = VGroup(
            VGroup(Text("generation", font_size=24), generation).arrange(RIGHT),
            VGroup(Text("alive", font_size=24), population).arrange(RIGHT),
        ).arrange(RIGHT, buff=1.0)
        stats.next_to(board, DOWN, buff=0.2)

        self.play(Write(title), Create(board, lag_ratio=0.01), run_time=2)
        self.play(*changes(board, np.zeros_like(grid), grid), FadeIn(stats))

        for gen in range(1, GENERATIONS + 1):
            new = step(grid)
            animations = changes(board, grid, new)
            animations.append(generation.animate.set_value(gen))
            animations.append(population.animate.set_value(int(new.sum())))
            self.play(*animations, run_time=0.6)
            grid = new

        self.play(Indicate(stats))
        self.wait()
''',
)

scene(
    "dijkstra",
    (
        "Run Dijkstra's algorithm on a six-node weighted graph from A: show edge weights, replace each node's 'inf' distance label with its final distance as nodes are settled, color the shortest-path tree green, and finally highlight the shortest path from A to F with its total cost.",
        "Animate shortest paths with Dijkstra on a small weighted graph and highlight the cheapest route from A to F.",
    ),
    r'''import heapq

from manim import *

POSITIONS = {
    "A": [-5, 0, 0],
    "B": [-2.5, 2, 0],
    "C": [-2.5, -2, 0],
    "D": [0.5, 1.5, 0],
    "E": [0.5, -1.5, 0],
    "F": [3.5, 0, 0],
}
WEIGHTS = {
    ("A", "B"): 4,
    ("A", "C"): 2,
    ("B", "C"): 1,
    ("B", "D"): 5,
    ("C", "D"): 8,
    ("C", "E"): 10,
    ("D", "E"): 2,
    ("D", "F"): 6,
    ("E", "F"): 3,
}
SOURCE, TARGET = "A", "F"


def neighbours(node):
    for (u, v), w in WEIGHTS.items():
        if u == node:
            yield v, w, (u, v)
        elif v == node:
            yield u, w, (u, v)


def dijkstra():
    """Return the settle order, final distances and the tree edge that reached each node."""
    dist = {SOURCE: 0}
    parent = {}
    order = []
    heap = [(0, SOURCE)]
    done = set()
    while heap:
        d, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        order.append((node, d))
        for nxt, w, edge in neighbours(node):
            if d + w < dist.get(nxt, float("inf")):
                dist[nxt] = d + w
                parent[nxt] = (node, edge)
                heapq.heappush(heap, (d + w, nxt))
    return order, dist, parent


def weight_tag(edge, weight):
    u, v = edge
    middle = (np.array(POSITIONS[u]) + np.array(POSITIONS[v])) / 2
    return Text(str(weight), font_size=24).move_to(middle).add_background_rectangle()


def distance_table(dist):
    rows = VGroup(*[Text(f"{node}: {dist[node]}", font_size=24) for node in sorted(dist)])
    rows.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
    frame = SurroundingRectangle(rows, color=GRAY, buff=0.2)
    heading = Text("distance", font_size=24).next_to(frame, UP, buff=0.1)
    return VGroup(frame, rows, heading).to_edge(RIGHT)


def legend():
    tree = VGroup(Line(ORIGIN, RIGHT * 0.5, color=GREEN), Text("tree edge", font_size=20))
    best = VGroup(
        Line(ORIGIN, RIGHT * 0.5, color=YELLOW, stroke_width=8), Text("shortest path", font_size=20)
    )
    items = VGroup(tree.arrange(RIGHT), best.arrange(RIGHT)).arrange(DOWN, aligned_edge=LEFT)
    return items.to_corner(DL)


class Dijkstra(Scene):
    def construct(self):
        graph = Graph(
            list(POSITIONS),
            list(WEIGHTS),
            layout={k: np.array(v, dtype=float) for k, v in POSITIONS.items()},
            labels=True,
            vertex_config={"radius": 0.35, "fill_color": BLUE_E},
            edge_config={"stroke_width": 3},
        )
        weights = VGroup(*[weight_tag(e, w) for e, w in WEIGHTS.items()])
        title = Text(f"Dijkstra from {SOURCE}", font_size=36).to_edge(UP)
        self.play(Create(graph), Write(title))
        self.play(FadeIn(weights))

        order, dist, parent = dijkstra()
        tags = {}
        for node in POSITIONS:
            tags[node] = Text("inf", font_size=22, color=GRAY).next_to(graph.vertices[node], DOWN, buff=0.15)
        self.play(*[FadeIn(t) for t in tags.values()])

        for node, d in order:
            settled = Text(str(d), font_size=22, color=YELLOW).move_to(tags[node])
            animations = [
                graph.vertices[node].animate.set_fill(GREEN, family=False),
                Transform(tags[node], settled),
            ]
            if node in parent:
                animations.append(graph.edges[parent[node][1]].animate.set_color(GREEN))
            self.play(*animations, run_time=0.7)

        path = [TARGET]
        while path[-1] != SOURCE:
            path.append(parent[path[-1]][0])
        path.reverse()
        path_edges = [parent[n][1] for n in path[1:]]
        self.play(*[graph.edges[e].animate.set_stroke(YELLOW, width=8) for e in path_edges])
        summary = Text(" -> ".join(path) + f"   cost {dist[TARGET]}", font_size=32).to_edge(DOWN)
        self.play(Write(summary))
        self.play(FadeIn(legend()), FadeIn(distance_table(dist), shift=LEFT))
        self.wait()
''',
)

scene(
    "gradient_descent",
    "Fit a line to 14 noisy points with gradient descent: show the scatter plot with the yellow fitted line updating each epoch, a live MSE readout, a small loss-per-epoch plot on the right, and the final equation.",
    r"""import numpy as np
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
""",
)


# ----------------------------------------------------------------------------------------------------
# Broken rows: each must be excluded (or, for `fixable=True`, repaired by a later stage).
# ----------------------------------------------------------------------------------------------------

broken(
    "syntax_missing_paren",
    "Rotate a hexagon by 180 degrees and change its color to gold.",
    r"""from manim import *


class HexagonTurn(Scene):
    def construct(self):
        hexagon = RegularPolygon(n=6, color=WHITE).scale(2)
        self.play(Create(hexagon)
        self.play(Rotate(hexagon, angle=PI), hexagon.animate.set_color(GOLD))
        self.wait()
""",
    why="invalid Python: unclosed parenthesis in self.play(Create(hexagon)",
)

broken(
    "syntax_bad_indent",
    "Draw three circles side by side and make the middle one pulse.",
    r"""from manim import *


class ThreeCircles(Scene):
    def construct(self):
        circles = VGroup(*[Circle(radius=0.8) for _ in range(3)]).arrange(RIGHT)
        self.play(Create(circles))
      self.play(Indicate(circles[1]))
        self.wait()
""",
    why="invalid Python: unindent does not match any outer indentation level",
)

broken(
    "syntax_truncated",
    "Animate a loading bar that fills from left to right over three seconds.",
    r"""from manim import *


class LoadingBar(Scene):
    def construct(self):
        frame = RoundedRectangle(width=6, height=0.6, corner_radius=0.3)
        fill = Rectangle(width=0.01, height=0.5, fill_color=GREEN, fill_opacity=1).align_to(frame, LEFT)
        self.add(frame, fill)
        self.play(fill.animate.stretch_to_fit_width(5.8, about_edge=LEFT), run_time=3, rate_func=
""",
    why="invalid Python: code truncated in the middle of a call (generation cut off)",
)

broken("empty_code_prompt", "Make a square bounce up and down three times.", "", why="empty code")
broken(
    "empty_code_chat",
    "Draw a spiral galaxy of dots rotating slowly.",
    "   \n",
    why="empty code (whitespace only)",
)
broken("none_code_prompt", "Show a heart shape drawn with a parametric curve.", None, why="code is None")
broken("none_code_bench", "A scene that draws a snowman from three circles.", None, why="code is None")

broken(
    "plain_function",
    "Write code that computes the first ten Fibonacci numbers and animates them.",
    r"""def fibonacci(n):
    a, b = 0, 1
    result = []
    for _ in range(n):
        result.append(a)
        a, b = b, a + b
    return result


if __name__ == "__main__":
    print(fibonacci(10))
""",
    why="non-Manim Python: a plain function, no scene",
)

broken(
    "matplotlib_script",
    "Plot a damped oscillation curve.",
    r"""import matplotlib.pyplot as plt
import numpy as np

t = np.linspace(0, 10, 500)
y = np.exp(-0.3 * t) * np.cos(2 * np.pi * t)
plt.plot(t, y)
plt.title("Damped oscillation")
plt.savefig("damped.png")
""",
    why="non-Manim Python: a matplotlib script",
)

broken(
    "no_scene_class",
    "Helper that builds a labelled arrow.",
    r"""from manim import *


def labelled_arrow(start, end, text):
    arrow = Arrow(start, end, buff=0)
    label = Text(text, font_size=24).next_to(arrow, UP)
    return VGroup(arrow, label)
""",
    why="Manim import but no Scene subclass with construct",
)

broken(
    "prose_only_chat",
    "Animate the process of photosynthesis.",
    "Photosynthesis is a complex biological process, so a full animation is beyond a short example. "
    "You could start by drawing a leaf with a Polygon, add arrows for sunlight, water and carbon dioxide "
    "coming in, and arrows for oxygen and glucose going out, then play GrowArrow on each of them in turn.",
    why="prose only, no code",
)

broken(
    "prose_only_prompt",
    "Make a 3D animation of a beating human heart with realistic textures.",
    "I'm sorry, but realistic textured organ models are not something Manim is designed for. "
    "Manim works best with geometric shapes, graphs and equations.",
    why="prose only, no code (a refusal)",
)

broken(
    "missing_description_prompt",
    "",
    r"""from manim import *


class BlankPrompt(Scene):
    def construct(self):
        dot = Dot(color=PINK)
        self.play(GrowFromCenter(dot))
        self.play(dot.animate.scale(4))
        self.wait()
""",
    why="description is empty",
)

broken(
    "missing_description_bench",
    None,
    r"""from manim import *


class NamelessScene(Scene):
    def construct(self):
        line = Line(LEFT * 3, RIGHT * 3, color=TEAL)
        self.play(Create(line))
        self.play(line.animate.rotate(PI / 3))
        self.wait()
""",
    why="both descriptions missing (None / empty)",
)

broken(
    "missing_description_chat",
    "  ",
    r"""from manim import *


class WhitespacePrompt(Scene):
    def construct(self):
        ring = Annulus(inner_radius=1, outer_radius=1.5, color=ORANGE, fill_opacity=0.8)
        self.play(FadeIn(ring))
        self.play(ring.animate.scale(0.5))
        self.wait()
""",
    why="user turn is whitespace only",
)

# --- fixable old-API rows (removed Community Edition names; a repair stage can rename them) -----------

broken(
    "old_showcreation",  # FIXABLE: ShowCreation -> Create
    "Draw a pentagon outline and then fill it with red.",
    r"""from manim import *


class PentagonFill(Scene):
    def construct(self):
        pentagon = RegularPolygon(n=5, color=RED).scale(2)
        self.play(ShowCreation(pentagon))
        self.play(pentagon.animate.set_fill(RED, opacity=0.7))
        self.wait()
""",
    why="old API: ShowCreation was removed from Manim CE (use Create)",
    fixable=True,
    renames=(("ShowCreation", "Create"),),
    runtime_fail=True,
)

broken(
    "old_textmobject",  # FIXABLE: TextMobject -> Tex
    "Write the words 'Old style text' and move them to the top of the screen.",
    r"""from manim import *


class OldStyleText(Scene):
    def construct(self):
        words = TextMobject("Old style text")
        self.play(Write(words))
        self.play(words.animate.to_edge(UP))
        self.wait()
""",
    why="old API: TextMobject was removed from Manim CE (use Tex)",
    fixable=True,
    renames=(("TextMobject", "Tex"),),
    runtime_fail=True,
)

broken(
    "old_texmobject",  # FIXABLE: TexMobject -> MathTex
    "Write the quadratic formula and underline it.",
    r"""from manim import *


class QuadraticFormula(Scene):
    def construct(self):
        formula = TexMobject(r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}")
        underline = Underline(formula, color=YELLOW)
        self.play(Write(formula))
        self.play(Create(underline))
        self.wait()
""",
    why="old API: TexMobject was removed from Manim CE (use MathTex)",
    fixable=True,
    renames=(("TexMobject", "MathTex"),),
    runtime_fail=True,
)

broken(
    "old_get_graph",  # FIXABLE: axes.get_graph -> axes.plot
    "Plot an exponential curve y = e^x on axes in green.",
    r"""from manim import *


class ExponentialCurve(Scene):
    def construct(self):
        axes = Axes(x_range=[-2, 2, 1], y_range=[0, 8, 2], x_length=6, y_length=5)
        curve = axes.get_graph(lambda x: np.exp(x), color=GREEN)
        self.play(Create(axes))
        self.play(Create(curve))
        self.wait()
""",
    why="old API: Axes.get_graph was removed from Manim CE (use plot)",
    fixable=True,
    renames=(("get_graph", "plot"),),
    runtime_fail=True,
)

broken(
    "manimgl_scene",
    "Draw a circle with the text 'Hi' inside and spin it.",
    r"""from manimlib import *


class SpinningHello(InteractiveScene):
    def construct(self):
        circle = Circle(radius=2, color=BLUE)
        word = TexText("Hi")
        self.play(ShowCreation(circle), Write(word))
        self.play(Rotate(VGroup(circle, word), TAU), run_time=2)
        self.wait()
""",
    why="ManimGL dialect (from manimlib import *): does not run on Community Edition",
    runtime_fail=True,
)

broken(
    "missing_svg",
    "Show the company logo in the middle of the screen and scale it up.",
    r"""from manim import *


class LogoReveal(Scene):
    def construct(self):
        logo = SVGMobject("assets/logo.svg").scale(2)
        self.play(DrawBorderThenFill(logo))
        self.play(logo.animate.scale(1.3))
        self.wait()
""",
    why="missing asset: assets/logo.svg does not exist",
    runtime_fail=True,
)


# ----------------------------------------------------------------------------------------------------
# Reformatting variants: same program, different text (the AST matches once docstrings are dropped).
# ----------------------------------------------------------------------------------------------------


def requote(code: str) -> str:
    """Swap double-quoted one-line strings to single quotes where the swap is trivially safe."""
    lines = code.splitlines(keepends=True)
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type != tokenize.STRING or tok.start[0] != tok.end[0]:
            continue
        text = tok.string
        prefix = text[: len(text) - len(text.lstrip("rRbBuUfF"))]
        body = text[len(prefix) :]
        if body.startswith('"""') or not body.startswith('"') or "'" in body or "\\" in body:
            continue
        row, col = tok.start[0] - 1, tok.start[1]
        line = lines[row]
        lines[row] = line[:col] + prefix + "'" + body[1:-1] + "'" + line[col + len(text) :]
    return "".join(lines)


def reindent(code: str, width: int = 2) -> str:
    """Re-indent from 4 spaces to `width` spaces per level (continuation lines too)."""
    out = []
    for line in code.splitlines(keepends=True):
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        out.append(" " * (depth // 4 * width + depth % 4) + stripped)
    return "".join(out)


def add_comments(code: str) -> str:
    """Add a header comment and a comment line above every class."""
    out = ["# Animation written for the request above.\n", "# Render with: manim -pql scene.py\n"]
    for line in code.splitlines(keepends=True):
        if line.startswith("class "):
            out.append("# The scene to render\n")
        out.append(line)
    return "".join(out)


def add_docstrings(code: str) -> str:
    """Give every class a one-line docstring (dropped by docstring-insensitive normalisation)."""
    out = []
    for line in code.splitlines(keepends=True):
        out.append(line)
        if line.startswith("class ") and line.rstrip().endswith(":"):
            out.append('    """An animated scene built with Manim Community Edition."""\n\n')
    return "".join(out)


def _canonical(code: str) -> str:
    tree = ast.parse(code)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


VARIANTS: dict[str, Callable[[str], str]] = {
    "requote": requote,
    "reindent": reindent,
    "comments": add_comments,
    "docstring": add_docstrings,
    "requote+comments": lambda c: add_comments(requote(c)),
    "reindent+comments": lambda c: add_comments(reindent(c)),
}


# ----------------------------------------------------------------------------------------------------
# How code is wrapped in a row: fences, prose, literal "\n", CRLF, ...
# ----------------------------------------------------------------------------------------------------

PROSE_BEFORE = [
    "Here is the Manim code for the animation you described:",
    "Sure! Below is a ManimCE script that does this.",
    "The following scene implements your request.",
    "You can render this with `manim -pql scene.py`:",
]
PROSE_AFTER = [
    "Run it with `manim -pqh scene.py` to get a high-quality video.",
    "Let me know if you want different colors or timing.",
    "Each `self.play` call is one step of the animation, and `self.wait()` pauses at the end.",
]


def _pick(options: list[str], salt: str) -> str:
    return options[sum(map(ord, salt)) % len(options)]


def _fence(code: str, opener: str, closer: str) -> str:
    return f"{opener}\n{code}{closer}"


def _split_fences(code: str) -> str:
    """Imports in one block, the rest in a second block, as chat models sometimes answer."""
    lines = code.splitlines(keepends=True)
    cut = max(i for i, line in enumerate(lines) if line.startswith(("import ", "from "))) + 1
    head, tail = "".join(lines[:cut]), "".join(lines[cut:]).lstrip("\n")
    return (
        "First, the imports:\n\n```python\n" + head + "```\n\n"
        "Then the scene itself:\n\n```python\n" + tail + "```\n"
    )


FORMATS: dict[str, Callable[[str, str], str]] = {
    "plain": lambda code, salt: code,
    "python": lambda code, salt: _fence(code, "```python", "```"),
    "py": lambda code, salt: _fence(code, "```py", "```"),
    "python3": lambda code, salt: _fence(code, "```python3", "```"),
    "bare": lambda code, salt: _fence(code, "```", "```"),
    "tilde": lambda code, salt: _fence(code, "~~~python", "~~~"),
    "prose_fence": lambda code, salt: (
        f"{_pick(PROSE_BEFORE, salt)}\n\n```python\n{code}```\n\n{_pick(PROSE_AFTER, salt)}"
    ),
    "prose_plain": lambda code, salt: f"{_pick(PROSE_BEFORE, salt)}\n\n{code}\n{_pick(PROSE_AFTER, salt)}",
    "lit_n": lambda code, salt: "\\n" + code,
    "lit_n_fence": lambda code, salt: "\\n```python\n" + code + "```",
    "crlf": lambda code, salt: code.replace("\n", "\r\n"),
    "crlf_fence": lambda code, salt: _fence(code, "```python", "```").replace("\n", "\r\n"),
    "split_fences": lambda code, salt: _split_fences(code),
    "double_fence": lambda code, salt: "```python\n```python\n" + code + "```\n```",
    "unterminated": lambda code, salt: "```python\n" + code,
}


@dataclass(frozen=True)
class Row:
    """One output row: which sample, which description, how the code is wrapped.

    `desc` is an index into the scene's descriptions or a literal string (used for mismatched pairs);
    `variant` names a reformatting from VARIANTS; `boiler` prepends the thanhkt-style wrapper.
    """

    ref: str
    desc: int | str = 0
    fmt: str = "plain"
    variant: str | None = None
    boiler: bool = False
    system: int = 0  # chat only: which system prompt
    reviewed: str = "same"  # bench only: same | empty | none
    note: str = ""  # why this row exists (kept in the generator only)


def row_description(row: Row) -> str | None:
    if row.ref in BROKEN:
        text = BROKEN[row.ref].description
    elif isinstance(row.desc, str):
        text = row.desc
    else:
        text = SCENES[row.ref].descriptions[row.desc]
    if row.boiler and text is not None:
        text = BOILERPLATE + text
    return text


def row_code(row: Row) -> str | None:
    code = BROKEN[row.ref].code if row.ref in BROKEN else SCENES[row.ref].code
    if code is None:
        return None
    if row.variant:
        changed = VARIANTS[row.variant](code)
        assert changed != code and _canonical(changed) == _canonical(code), (row.ref, row.variant)
        code = changed
    if not code.strip():
        return code
    return FORMATS[row.fmt](code, row.ref)


# Mismatched descriptions: the same code under a clearly unrelated request, as in the real sets.
MISMATCH_BOUNCE = "Animate a ball bouncing on the floor with gravity, losing height after each bounce."
MISMATCH_HISTOGRAM = "Draw a histogram of exam scores for a class of 30 students."
MISMATCH_PYTHAGORAS = (
    "Explain the Pythagorean theorem by drawing squares on the three sides of a right triangle."
)
MISMATCH_EXP = "Plot the graph of y = e^x and mark the point (0, 1)."

PROMPT_ROWS: list[Row] = [
    # -- scenes whose first appearance is here --
    Row("circle_to_square"),
    Row("circle_to_square_alt", fmt="python", note="alternative solution, same description"),
    Row("hello_text", fmt="lit_n"),
    Row("hello_text_alt", fmt="python", note="alternative solution, same description"),
    Row("dot_along_path", fmt="py"),
    Row("euler_identity", fmt="python"),
    Row("pythagoras_tex", fmt="lit_n"),
    Row("sine_plot", fmt="python3"),
    Row("sine_plot_alt", fmt="bare", note="alternative solution, same description"),
    Row("count_up", fmt="lit_n"),
    Row("clock_hand", fmt="tilde"),
    Row("polygon_sequence", fmt="prose_plain"),
    Row("spiral", fmt="crlf"),
    Row("zoom_to_dot", fmt="python", boiler=True),
    Row("spinning_cube", fmt="lit_n"),
    Row("word_morph", fmt="prose_fence"),
    Row("linear_equation", fmt="python", boiler=True),
    Row("koch", fmt="crlf_fence"),
    Row("riemann", fmt="split_fences"),
    Row("bubble_sort", fmt="python"),
    Row("intro_outro", fmt="double_fence"),
    # -- cross-file duplicates (first appearance in chat or bench) --
    Row("parabola_area", fmt="python", variant="requote", note="reformatted copy of a bench row"),
    Row("pendulum", fmt="lit_n", variant="requote+comments", note="reformatted copy of a chat row"),
    Row("gradient_squares", fmt="py", variant="reindent", note="reformatted copy of a bench row"),
    Row("circumcircle", desc=1, fmt="prose_fence", note="paraphrased description of a bench row"),
    Row("dijkstra", desc=1, fmt="python", boiler=True, note="paraphrase of a bench row"),
    Row("binary_search", desc=1, fmt="lit_n", boiler=True, note="paraphrase of a chat row"),
    # -- mismatched pairs: same code, unrelated description --
    Row("hello_text", desc=MISMATCH_BOUNCE, fmt="python", note="mismatched pair"),
    Row("word_morph", desc=MISMATCH_HISTOGRAM, fmt="lit_n", boiler=True, note="mismatched pair"),
    # -- within-file repeats, as in thanhkt/manim_code --
    Row("circle_to_square", boiler=True, fmt="lit_n"),
    Row("circle_to_square", desc=1, fmt="unterminated"),
    Row("hello_text", desc=1, fmt="lit_n", boiler=True),
    Row("euler_identity", boiler=True, fmt="python"),
    Row("euler_identity", desc=1, fmt="lit_n"),
    Row("sine_plot", desc=1, fmt="python", boiler=True),
    Row("sine_plot", fmt="python3", note="exact duplicate row"),
    Row("count_up", fmt="lit_n", note="exact duplicate row"),
    Row("count_up", desc=1, fmt="python", boiler=True),
    Row("pythagoras_tex", desc=1, fmt="python", boiler=True),
    Row("polygon_sequence", desc=1, fmt="lit_n"),
    Row("zoom_to_dot", desc=1, fmt="lit_n"),
    Row("spinning_cube", desc=1, fmt="python"),
    Row("linear_equation", desc=1, fmt="lit_n"),
    Row("koch", desc=1, fmt="python", boiler=True),
    Row("riemann", desc=1, fmt="python"),
    Row("bubble_sort", desc=1, fmt="lit_n", boiler=True),
    Row("bubble_sort", fmt="python", note="exact duplicate row"),
    Row("dot_along_path", desc=1, fmt="lit_n"),
    Row("word_morph", desc=1, fmt="python"),
    Row("clock_hand", fmt="lit_n"),
    Row("spiral", fmt="python"),
    Row("hello_text_alt", fmt="lit_n"),
    Row("dot_along_path", fmt="python", boiler=True),
    Row("pythagoras_tex", fmt="lit_n", note="exact duplicate row"),
    Row("sine_plot_alt", fmt="lit_n"),
    Row("clock_hand", fmt="python"),
    Row("polygon_sequence", fmt="python"),
    Row("word_morph", fmt="prose_fence", note="exact duplicate row"),
    Row("koch", fmt="lit_n"),
    Row("intro_outro", fmt="python", boiler=True),
    # -- broken rows --
    Row("syntax_missing_paren", fmt="python"),
    Row("syntax_truncated", fmt="unterminated"),
    Row("empty_code_prompt"),
    Row("none_code_prompt"),
    Row("plain_function", fmt="python"),
    Row("prose_only_prompt"),
    Row("missing_description_prompt", fmt="python"),
    Row("old_showcreation", fmt="lit_n", boiler=True),
    Row("old_get_graph", fmt="python"),
    Row("manimgl_scene", fmt="python"),
]

SYSTEM_PROMPTS = [
    "You are an expert in Manim Community Edition. Answer with Python code that renders the requested animation.",
    "You write Manim animations. Reply with a complete scene that uses `from manim import *`.",
    "You are a helpful assistant that turns descriptions of math animations into ManimCE code.",
]

CHAT_ROWS: list[Row] = [
    # -- first appearance here --
    Row("moving_tangent", fmt="py"),
    Row("bar_chart", fmt="python"),
    Row("follow_dot", fmt="prose_fence", system=1),
    Row("globe", fmt="plain", system=2),
    Row("venn", fmt="python"),
    Row("agenda", fmt="prose_plain", system=1),
    Row("pendulum", fmt="py"),
    Row("fourier", fmt="python", system=2),
    Row("palette", fmt="prose_fence"),
    Row("binary_search", fmt="python", system=1),
    Row("solar_system", fmt="py"),
    Row("angle_lines", fmt="plain"),
    Row("label_follows", fmt="prose_fence", system=2),
    # -- cross-file duplicates --
    Row("euler_identity", fmt="plain", note="byte-identical copy (code) of a prompts row"),
    Row("count_up", desc=1, fmt="py", note="paraphrase of a prompts row"),
    Row("spinning_cube", desc=1, fmt="python", system=1),
    Row("polygon_sequence", fmt="python", variant="reindent+comments", note="reformatted copy"),
    Row("neural_net", desc=1, fmt="py", variant="docstring", note="copy of a bench row with a docstring"),
    Row("riemann", desc=1, fmt="prose_fence"),
    Row("game_of_life", desc=1, fmt="python", system=2),
    Row("linear_equation", desc=1, fmt="python"),
    # -- mismatched pairs --
    Row("lissajous", desc=MISMATCH_PYTHAGORAS, fmt="python", note="mismatched pair"),
    Row("clock_hand", desc=MISMATCH_EXP, fmt="py", note="mismatched pair"),
    # -- within-file repeats (same pair under another system prompt) --
    Row("moving_tangent", fmt="py", system=1),
    Row("bar_chart", fmt="python", system=2),
    Row("pendulum", desc=1, fmt="python"),
    Row("fourier", fmt="python", system=2, note="exact duplicate row"),
    Row("solar_system", fmt="prose_fence", system=1),
    Row("globe", fmt="py", system=1),
    Row("venn", desc=1, fmt="python", system=2),
    Row("agenda", fmt="python", system=2),
    Row("angle_lines", fmt="py", system=1),
    Row("palette", fmt="python", system=2),
    Row("label_follows", fmt="prose_plain", system=1),
    # -- broken rows --
    Row("empty_code_chat"),
    Row("matplotlib_script", fmt="python"),
    Row("prose_only_chat"),
    Row("missing_description_chat", fmt="py"),
    Row("old_textmobject", fmt="python"),
    Row("missing_svg", fmt="prose_fence"),
]

BENCH_ROWS: list[Row] = [
    Row("gradient_squares"),
    Row("parabola_area"),
    Row("matrix_intro", reviewed="empty"),
    Row("lissajous"),
    Row("paraboloid"),
    Row("power_rule", reviewed="none"),
    Row("sierpinski"),
    Row("circumcircle"),
    Row("budget_pie"),
    Row("neural_net", reviewed="empty"),
    Row("histogram"),
    Row("bfs_tree"),
    Row("matrix_product"),
    Row("game_of_life", reviewed="none"),
    Row("dijkstra"),
    Row("gradient_descent"),
    Row("spinning_triangle"),
    Row("number_line_walk", reviewed="empty"),
    Row("radius_tracker"),
    Row("planet_table"),
    Row("distance_grid", reviewed="none"),
    Row("swirl_field"),
    Row("shear_plane"),
    Row("brace_width"),
    Row("highlight_keyword", reviewed="empty"),
    Row("stacking_blocks"),
    Row("polar_rose"),
    Row("random_walk", reviewed="none"),
    Row("unit_circle_sine"),
    Row("projectile"),
    # -- cross-file duplicates --
    Row("euler_identity", note="byte-identical code in all three files"),
    Row("sine_plot", note="byte-identical copy of a prompts row"),
    Row("bubble_sort", desc=1),
    Row("venn", reviewed="empty"),
    Row("koch", variant="comments", note="same program as the prompts row, with comments"),
    Row("pythagoras_tex", desc=1),
    Row("multiply_by_i"),
    Row("compass_arrows", reviewed="none"),
    Row("spin_word"),
    Row("word_morph"),
    # -- broken rows --
    Row("syntax_bad_indent"),
    Row("none_code_bench"),
    Row("no_scene_class"),
    Row("missing_description_bench", reviewed="none"),
    Row("old_texmobject"),
]

GENERATED_TEMPLATES = [
    "This animation demonstrates the following: {d}",
    "In this Manim scene, we see the following. {d}",
    "The scene is built with Manim Community Edition. {d}",
]


def difficulty(code: str | None) -> str:
    """ManimBench-style Type from the code length."""
    n = len(code.splitlines()) if code else 0
    return "Basic" if n <= 15 else "Intermediate" if n <= 40 else "Advanced"


# ----------------------------------------------------------------------------------------------------
# Writers
# ----------------------------------------------------------------------------------------------------


def _jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records).encode()


def prompt_records() -> list[dict]:
    return [{"input": row_description(r), "output": row_code(r)} for r in PROMPT_ROWS]


def chat_records() -> list[dict]:
    records = []
    for r in CHAT_ROWS:
        messages = [
            {"role": "system", "content": SYSTEM_PROMPTS[r.system]},
            {"role": "user", "content": row_description(r)},
            {"role": "assistant", "content": row_code(r)},
        ]
        records.append({"messages": messages})
    return records


def bench_table() -> pa.Table:
    generated, reviewed, codes, types, splits = [], [], [], [], []
    for i, r in enumerate(BENCH_ROWS):
        desc = row_description(r)
        template = GENERATED_TEMPLATES[i % len(GENERATED_TEMPLATES)]
        generated.append(template.format(d=desc) if desc else desc)
        reviewed.append({"same": desc, "empty": "", "none": None}[r.reviewed])
        code = row_code(r)
        codes.append(code)
        types.append(difficulty(code))
        splits.append("test" if i % 4 == 3 else "train")
    schema = pa.schema(
        [
            ("Generated Description", pa.string()),
            ("Reviewed Description", pa.string()),
            ("Code", pa.string()),
            ("Type", pa.string()),
            ("Split", pa.string()),
        ]
    )
    return pa.table([generated, reviewed, codes, types, splits], schema=schema)


def _check_rows() -> None:
    """Every sample is used, every reference exists."""
    used = {r.ref for rows in (PROMPT_ROWS, CHAT_ROWS, BENCH_ROWS) for r in rows}
    unknown = used - set(SCENES) - set(BROKEN)
    assert not unknown, f"unknown refs: {sorted(unknown)}"
    unused = (set(SCENES) | set(BROKEN)) - used
    assert not unused, f"unused samples: {sorted(unused)}"


README = """\
# Bundled sample sources

Generated by `scripts/make_samples.py` (do not edit by hand; rerun the script). All rows are original.

| file | rows | shape | fields for `configs/sources/samples.yaml` |
|---|---:|---|---|
| `prompts.jsonl` | {prompts} | like `thanhkt/manim_code` | `description: input`, `code: output` |
| `chat.jsonl` | {chat} | system / user / assistant turns | `messages: messages` |
| `bench.parquet` | {bench} | like ManimBench | `description: ["Reviewed Description", "Generated Description"]`, `code: Code`, `split: Split` |

{boiler} prompts start with the boilerplate wrapper
"Generate accurate and correct ManimCE Python code for the animation requested by the user. Here is the
user's request: " (strip it with `strip_description`). Some rows are broken on purpose (invalid Python,
empty or None code, prose only, non-Manim Python, missing description, removed Community Edition names,
ManimGL, a missing SVG asset); `BROKEN` in the script lists each one and why.
`scripts/check_samples_run.py` runs every scene meant to be valid on the installed Manim.
"""


def write_all(out: Path) -> dict[str, int]:
    _check_rows()
    out.mkdir(parents=True, exist_ok=True)
    prompts, chats, bench = prompt_records(), chat_records(), bench_table()
    (out / "prompts.jsonl").write_bytes(_jsonl(prompts))
    (out / "chat.jsonl").write_bytes(_jsonl(chats))
    buf = io.BytesIO()
    pq.write_table(bench, buf, compression="zstd", store_schema=False)
    (out / "bench.parquet").write_bytes(buf.getvalue())
    readme = README.format(
        prompts=len(prompts),
        chat=len(chats),
        bench=bench.num_rows,
        boiler=sum(r.boiler for r in PROMPT_ROWS),
    )
    (out / "README.md").write_text(readme, encoding="utf-8")
    return {"prompts.jsonl": len(prompts), "chat.jsonl": len(chats), "bench.parquet": bench.num_rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the bundled sample sources.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    counts = write_all(args.out)
    for name, n in counts.items():
        print(f"{name}: {n} rows")
    print(f"total: {sum(counts.values())} rows in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
