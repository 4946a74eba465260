"""Static stage: real libcst scope analysis against the names the installed manim really exports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from builder.validate.manim_names import manim_names
from builder.validate.static import static_check

FIXTURES = Path(__file__).parent / "fixtures" / "validate"

OK_PROGRAM = """
from manim import *
import numpy as np
from scipy import special
import json, os.path
from . import sibling

PALETTE = [RED, BLUE]


def helper(n):
    global COUNTER
    COUNTER = n
    return VGroup(*[Dot() for _ in range(n)])


class Base(Scene):
    def setup(self):
        self.k = 3


class Child(Base):
    size = 2
    doubled = [size * 2]

    def construct(self):
        dots = helper(self.k)
        squares = [x**2 for x in range(3) if (last := x)]
        try:
            json.dumps(squares)
        except ValueError as err:
            print(err, last)
        self.play(*[FadeIn(d) for d in dots])
        self.add(Text(str(COUNTER + np.pi + special.gamma(3))))
        print(__file__, PALETTE)
"""


def test_manim_exports_come_from_the_installed_manim():
    names = manim_names()
    probe = (
        "ns = {}\nexec('from manim import *', ns)\nprint('\\n'.join(n for n in ns if n != '__builtins__'))"
    )
    exported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert names.exports == frozenset(exported.stdout.split())
    assert {"Scene", "ThreeDScene", "MovingCameraScene"} <= names.scenes
    assert "ShowCreation" not in names.exports and "Create" in names.exports


def test_program_with_helpers_globals_class_scope_and_walrus_passes():
    report = static_check(OK_PROGRAM)
    assert report.ok, report.message
    assert report.scenes == ("Child",)  # Base has no construct of its own
    assert report.requires == ("numpy", "scipy")  # stdlib, manim and relative imports excluded


def test_removed_api_names_are_undefined():
    report = static_check((FIXTURES / "bench" / "fail_old_name.py").read_text())
    assert (report.ok, report.error_type) == (False, "undefined-name")
    assert "ShowCreation (line 6)" in report.message
    assert report.scenes == ("OldCreation",)


def test_class_attribute_is_not_visible_inside_methods():
    code = "from manim import *\nclass A(Scene):\n    r = 2\n    def construct(self):\n        self.add(Circle(radius=r))\n"
    report = static_check(code)
    assert report.error_type == "undefined-name" and "r (line 5)" in report.message
    with pytest.raises(NameError):  # Python agrees
        namespace: dict = {}
        exec("class A:\n    r = 2\n    def m(self):\n        return r\nA().m()", namespace)


@pytest.mark.parametrize(
    ("where", "rejected"),
    [
        ("    def construct(self):\n        self.add(missing_helper())\n", True),
        (
            "    def setup(self):\n        self.dot = missing_helper()\n    def construct(self):\n        self.add(self.dot)\n",
            True,
        ),
        (
            "    side = missing_helper()\n    def construct(self):\n        self.add(Square(self.side))\n",
            True,
        ),
        ("    def construct(self):\n        self.add(always_redraw(lambda: missing_helper()))\n", True),
        ("    def construct(self, k=missing_helper()):\n        self.add(Dot())\n", True),
        # a method construct never calls: dead code Python never evaluates (left to the runtime check)
        (
            "    def unused(self):\n        raise NotImplementedError()\n        return missing_helper()\n    def construct(self):\n        self.add(Dot())\n",
            False,
        ),
    ],
)
def test_undefined_names_count_where_the_scene_always_runs_them(where, rejected):
    report = static_check(f"from manim import *\nclass A(Scene):\n{where}")
    assert (report.error_type == "undefined-name") is rejected, report
    assert report.ok is not rejected


def test_unknown_star_import_cannot_be_checked_so_it_passes():
    code = "from manim import *\nfrom helpers import *\nclass A(Scene):\n    def construct(self):\n        make_grid()\n"
    report = static_check(code)
    assert report.ok and report.requires == ("helpers",)


def test_manimlib_is_the_gl_dialect():
    report = static_check("from manimlib import *\nclass A(Scene):\n    def construct(self):\n        pass\n")
    assert (report.ok, report.error_type) == (False, "dialect-gl")


@pytest.mark.parametrize(
    "code",
    [
        "from manim import *\nclass Blob(VGroup):\n    def construct(self):\n        pass\n",
        "from manim import *\nclass Template(Scene):\n    def setup(self):\n        pass\n",
        "import numpy as np\nx = np.zeros(3)\n",
    ],
)
def test_no_scene_with_construct(code):
    assert static_check(code).error_type == "no-scene"


def test_scenes_through_local_base_and_module_attribute():
    code = (
        "import manim as mn\n"
        "class Slide(mn.ThreeDScene):\n    def construct(self):\n        self.title()\n    def title(self):\n        pass\n"
        "class Second(Slide):\n    def title(self):\n        pass\n"
    )
    report = static_check(code)
    assert report.ok and report.scenes == ("Slide", "Second")


def test_syntax_error_reports_line():
    report = static_check("from manim import *\nclass A(Scene)\n    pass\n")
    assert report.error_type == "syntax" and "line 2" in report.message


def test_missing_sound_svg_and_image(tmp_path):
    sound = "from manim import *\nclass A(Scene):\n    def construct(self):\n        self.add_sound('click.wav')\n"
    report = static_check(sound)
    assert report.error_type == "missing-asset" and "click.wav" in report.message
    svg = "from manim import *\nclass A(Scene):\n    def construct(self):\n        self.add(SVGMobject(file_name='logo.svg'))\n"
    assert static_check(svg).error_type == "missing-asset"
    (tmp_path / "logo.svg").write_text("<svg/>")
    assert static_check(svg, base_dir=tmp_path).ok
    image = "from manim import *\nclass A(Scene):\n    def construct(self):\n        self.add(ImageMobject('/nonexistent/pic.png'))\n"
    assert static_check(image).error_type == "missing-asset"


def test_open_for_writing_is_not_an_asset():
    code = "from manim import *\nclass A(Scene):\n    def construct(self):\n        open('log.txt', 'w').write('x')\n"
    assert static_check(code).ok


def test_names_bound_by_a_later_for_of_a_generator_are_defined():
    code = (
        "from manim import *\nimport numpy as np\n\n"
        "def neighbours(grid):\n"
        "    padded = np.pad(grid, 1)\n"
        "    return sum(padded[1 + dr : 3 + dr, 1 + dc : 3 + dc]\n"
        "               for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0))\n\n"
        "class A(Scene):\n    def construct(self):\n        self.add(Square())\n"
    )
    report = static_check(code)
    assert report.ok, report.message
    exec(compile(code.split("class A")[0], "<check>", "exec"), {})  # and Python agrees it is valid
