"""Benchmark repo extraction (discovery + program building) on generated repos, one child process each.

Two cases, each generated deterministically (seeded) into a temp dir:

- `ce`: ~2,000 files holding ~5,000 scenes that share helpers through every import style the extractor
  handles (re-exporting `manim_imports_ext`, package imports, relative imports, star imports,
  module-qualified calls, base scenes in other modules, scenes subclassing scenes);
- `gl`: a 6,000-scene repo shaped like a 3Blue1Brown ManimGL video repo: ~440 .py files; dated folders
  (`_2015/` .. `_2024/`) of scene files with 15 scenes each sharing module-level helpers and constants
  (plus three big files of 200 scenes), all starting `from manim_imports_ext import *` (a star
  re-export of `manimlib` and the repo's `custom/` helpers); a 50-module `custom/` package with star,
  named, relative and module-object cross imports and two import cycles; pi-creature scenes; a
  vendored skeleton `manimlib/` package.

Each case runs `extract_repo` (what `kind: repo` sources run in their extraction child, with
`detect_dialects=False` as the build does) in a fresh child process that does nothing else, so its
`ru_maxrss` is the extraction's own. Extraction of one repo is one process (no `--jobs`), so scenes/s
per core is scenes / wall time of that process (CPU time shown beside it). The child also hashes every
result (locator, status, reason, fixes, code), so two versions of the code can be checked to extract
identical programs. `--baseline DIR` runs the same cases first with the `builder` package found in DIR
(e.g. `git archive HEAD builder | tar -x -C DIR`), side by side, and prints the ratios.

    .venv/bin/python benchmarks/bench_repos.py [--case ce|gl|all] [--files 2000] [--scenes-per-file 2.55]
        [--gl-scenes 6000] [--baseline DIR] [--hashes DIR] [--profile FILE] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

N_HELPER_MODULES = 20
N_BASE_MODULES = 10


def _helper_module(i: int) -> str:
    funcs = "\n\n".join(
        f"def shape_{i}_{j}(scale=SCALE_{i}):\n    # helper {j} of module {i}\n"
        f"    return VGroup(Square(scale), Circle(scale / 2)).arrange(RIGHT, buff=GAP_{i})"
        for j in range(8)
    )
    return (
        f'"""Shared helpers, part {i}."""\n\nfrom manim import *\n\nSCALE_{i} = {1 + i / 10}\nGAP_{i} = 0.{i % 9 + 1}\n'
        f"COLORS_{i} = [BLUE, GREEN, RED]\n\n\n{funcs}\n\n\n"
        f"class Card{i}(VGroup):\n    def __init__(self, **kwargs):\n"
        f"        super().__init__(Rectangle(width=2, height=1, color=COLORS_{i}[0]), **kwargs)\n"
    )


def _base_module(i: int) -> str:
    return (
        f"from manim import *\n\nfrom helpers.part{i} import Card{i}\n\n\n"
        f"class Base{i}Scene(Scene):\n    def setup(self):\n        self.card = Card{i}()\n\n"
        f"    def construct(self):\n        self.add(self.card)\n        self.body()\n\n"
        f"    def body(self):\n        raise NotImplementedError\n"
    )


def _scene_file(rng: random.Random, f: int, n_scenes: int) -> str:
    h = rng.randrange(N_HELPER_MODULES)
    b = rng.randrange(N_BASE_MODULES)
    style = f % 4
    if style == 0:
        header = "from manim_imports_ext import *\n"
        call = f"shape_{h}_{{j}}()"
    elif style == 1:
        header = f"from manim import *\nfrom helpers.part{h} import *\n"
        call = f"shape_{h}_{{j}}()"
    elif style == 2:
        header = f"from manim import *\nfrom helpers import part{h} as hp\n"
        call = f"hp.shape_{h}_{{j}}()"
    else:
        header = f"from manim import *\nimport helpers.part{h}\n"
        call = f"helpers.part{h}.shape_{h}_{{j}}()"
    header += f"from bases.base{b} import Base{b}Scene\n\nLOCAL_RUN_TIME = 0.{f % 9 + 1}\n\n\n"
    header += "def local_helper(n):\n    return VGroup(*(Dot() for _ in range(n))).arrange(RIGHT)\n"
    scenes = []
    for s in range(n_scenes):
        j = rng.randrange(8)
        kind = rng.randrange(3)
        if kind == 0 or s == 0:
            scenes.append(
                f'class Scene{f}x{s}(Scene):\n    """Scene {s} of file {f}."""\n\n    def construct(self):\n'
                f"        group = {call.format(j=j)}\n        dots = local_helper({s + 2})\n"
                f"        self.play(Create(group), run_time=LOCAL_RUN_TIME)\n        self.play(FadeIn(dots))\n"
            )
        elif kind == 1:
            scenes.append(
                f"class Scene{f}x{s}(Base{b}Scene):\n    def body(self):\n"
                f"        self.play(FadeIn({call.format(j=j)}), run_time=LOCAL_RUN_TIME)\n"
            )
        else:
            scenes.append(
                f"# variant of the first scene\nclass Scene{f}x{s}(Scene{f}x0):\n    def construct(self):\n"
                f"        super().construct()\n        self.wait(LOCAL_RUN_TIME)\n"
            )
    return header + "\n\n" + "\n\n".join(scenes)


def generate(root: Path, n_files: int, scenes_per_file: float, seed: int = 7) -> int:
    rng = random.Random(seed)
    (root / "helpers").mkdir(parents=True)
    (root / "bases").mkdir()
    (root / "helpers" / "__init__.py").write_text("")
    (root / "bases" / "__init__.py").write_text("")
    for i in range(N_HELPER_MODULES):
        (root / "helpers" / f"part{i}.py").write_text(_helper_module(i))
    for i in range(N_BASE_MODULES):
        (root / "bases" / f"base{i}.py").write_text(_base_module(i))
    (root / "manim_imports_ext.py").write_text(
        "from manim import *\n" + "".join(f"from helpers.part{i} import *\n" for i in range(N_HELPER_MODULES))
    )
    n_scene_files = n_files - N_HELPER_MODULES - N_BASE_MODULES - 3
    total = 0
    for f in range(n_scene_files):
        folder = root / "chapters" / f"ch{f // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        n = int(scenes_per_file) + (1 if rng.random() < scenes_per_file % 1 else 0)
        (folder / f"part{f:04d}.py").write_text(_scene_file(rng, f, n))
        total += n
    return total


# -- case "gl": a 3Blue1Brown-style ManimGL video repo ------------------------------------------------

GL_LIBRARY = {  # vendored skeleton of manimlib: module -> classes it defines
    "constants": [],
    "utils/simple_functions": [],
    "utils/space_ops": [],
    "utils/color": [],
    "utils/rate_functions": [],
    "utils/bezier": [],
    "utils/iterables": [],
    "mobject/mobject": ["Mobject", "Group"],
    "mobject/types/vectorized_mobject": ["VMobject", "VGroup", "DashedVMobject"],
    "mobject/types/dot_cloud": ["DotCloud", "TrueDot", "GlowDot"],
    "mobject/types/surface": ["Surface", "ParametricSurface", "SurfaceMesh"],
    "mobject/types/image_mobject": ["ImageMobject"],
    "mobject/geometry": ["Line", "Arrow", "Circle", "Dot", "Square", "Rectangle", "Polygon"],
    "mobject/functions": ["ParametricCurve", "FunctionGraph"],
    "mobject/coordinate_systems": ["Axes", "NumberPlane", "ThreeDAxes"],
    "mobject/number_line": ["NumberLine", "UnitInterval"],
    "mobject/numbers": ["DecimalNumber", "Integer"],
    "mobject/value_tracker": ["ValueTracker"],
    "mobject/svg/svg_mobject": ["SVGMobject"],
    "mobject/svg/tex_mobject": ["Tex", "TexText"],
    "mobject/svg/old_tex_mobject": ["OldTex", "OldTexText"],
    "mobject/svg/text_mobject": ["Text", "Code"],
    "animation/animation": ["Animation"],
    "animation/composition": ["AnimationGroup", "LaggedStart", "LaggedStartMap", "Succession"],
    "animation/creation": ["ShowCreation", "Write", "DrawBorderThenFill", "Uncreate"],
    "animation/fading": ["FadeIn", "FadeOut", "FadeTransform"],
    "animation/indication": ["Indicate", "Flash", "FlashAround", "ShowPassingFlash"],
    "animation/transform": ["Transform", "ReplacementTransform", "TransformFromCopy", "MoveToTarget"],
    "camera/camera_frame": ["CameraFrame"],
    "scene/scene": ["Scene"],
    "scene/interactive_scene": ["InteractiveScene"],
    "scene/three_d_scene": ["ThreeDScene"],
}
GL_HELPERS = 39  # custom/helpers/hNN.py; with the 11 other custom/ modules: a 50-module helper package
GL_YEARS = tuple(range(2015, 2025))


def _gl_library_module(path: str, classes: list[str]) -> str:
    if path == "constants":
        return (
            "import numpy as np\n\nFRAME_HEIGHT = 8.0\nFRAME_WIDTH = FRAME_HEIGHT * 16 / 9\n"
            "FRAME_X_RADIUS = FRAME_WIDTH / 2\nFRAME_Y_RADIUS = FRAME_HEIGHT / 2\nDEG = np.pi / 180\n"
            "ORIGIN = np.array([0.0, 0.0, 0.0])\nUP = np.array([0.0, 1.0, 0.0])\nRIGHT = np.array([1.0, 0.0, 0.0])\n"
            "DOWN, LEFT = -UP, -RIGHT\nOUT = np.array([0.0, 0.0, 1.0])\nUL, UR, DL, DR = UP + LEFT, UP + RIGHT, DOWN + LEFT, DOWN + RIGHT\n"
            + "".join(
                f'{c} = "#{i:06x}"\n'
                for i, c in enumerate(("BLUE", "TEAL", "GREEN", "YELLOW", "RED", "GREY_B", "BLUE_E", "WHITE"))
            )
        )
    if path.startswith("utils/"):
        name = path.split("/")[-1]
        return (
            "import math\n\nimport numpy as np\n\nfrom manimlib.constants import *\n\n\n"
            + "\n\n".join(
                f"def {name}_{k}(x, y=1.0):\n    return np.clip(x * y + {k}, -1, 1)\n" for k in range(4)
            )
            + (
                "\n\ndef fdiv(a, b):\n    return np.true_divide(a, b)\n\n\ndef get_norm(v):\n    return np.linalg.norm(v)\n"
                if name == "space_ops"
                else ""
            )
        )
    out = [
        "from __future__ import annotations\n\nfrom manimlib.constants import *\nfrom manimlib.utils.space_ops import *\n"
    ]
    for c in classes:
        base = (
            "object"
            if c in {"Mobject", "Animation", "Scene", "CameraFrame"}
            else ("Scene" if c.endswith("Scene") else "Mobject")
        )
        out.append(
            f"\n\nclass {c}({base}):\n    def __init__(self, *args, **kwargs):\n        self.args = args\n        self.kwargs = kwargs\n\n"
            f"    def set_color(self, color):\n        self.color = color\n        return self\n"
            + ("\n    def construct(self):\n        pass\n" if c.endswith("Scene") else "")
        )
    return "".join(out)


def _gl_helper(rng: random.Random, i: int) -> str:
    """custom/helpers/hNN.py: constants, functions and widgets, with star, named, relative and
    module-object imports of other helpers (h01<->h02 and h10->h11->h12->h10 are cycles)."""
    imports = ["from manimlib import *\n"]
    calls: list[str] = []
    if i == 1:
        imports.append("from custom.helpers.h02 import *\n")
        calls.append("h02_shape_1(n)")
    elif i == 2:
        imports.append("from custom.helpers.h01 import h01_shape_0\n")
        calls.append("h01_shape_0(n)")
    elif i in (10, 11, 12):
        j = 10 + (i - 9) % 3
        imports.append(f"from custom.helpers.h{j:02d} import *\n")
        calls.append(f"h{j:02d}_shape_2(n)")
    elif i > 2:
        j = rng.randrange(i)
        imports.append(f"from custom.helpers.h{j:02d} import *\n")
        calls.append(f"h{j:02d}_shape_{rng.randrange(6)}(n)")
        k = rng.randrange(i)
        imports.append(f"from .h{k:02d} import h{k:02d}_shape_{rng.randrange(6)} as shape_from_{k}\n")
        calls.append(f"shape_from_{k}(n + 1)")
        if i % 5 == 0:
            imports.append(f"from custom.helpers import h{(i - 3):02d}\n")
            calls.append(f"h{(i - 3):02d}.h{(i - 3):02d}_shape_3(n)")
    body = [
        f'"""Helpers, part {i}."""\n\n',
        *imports,
        f"\nH{i:02d}_COLOR = TEAL\nH{i:02d}_SCALE = {1 + i / 20}\n",
    ]
    body.append(f"H{i:02d}_CONFIG = dict(stroke_width=2, stroke_color=H{i:02d}_COLOR)\n")
    for k in range(6):
        extra = f"\n    parts.append({calls[k % len(calls)]})" if calls and k % 2 else ""
        body.append(
            f"\n\ndef h{i:02d}_shape_{k}(n=3, scale=H{i:02d}_SCALE):\n"
            f"    parts = [Circle(radius=scale * (j + 1) / n, **H{i:02d}_CONFIG) for j in range(n)]{extra}\n"
            f"    group = VGroup(*parts)\n    group.arrange(RIGHT, buff=fdiv(scale, {k + 2}))\n    return group\n"
        )
    body.append(
        f"\n\nclass Widget{i:02d}(VGroup):\n    def __init__(self, n=3, **kwargs):\n"
        f"        super().__init__(*h{i:02d}_shape_0(n), **kwargs)\n        self.set_color(H{i:02d}_COLOR)\n\n"
        f"    def highlight(self, index):\n        return Indicate(self[index], color=YELLOW)\n"
        f"\n\nclass Widget{i:02d}Labeled(Widget{i:02d}):\n    def __init__(self, label, **kwargs):\n"
        f"        super().__init__(**kwargs)\n        self.add(OldTexText(label).next_to(self, UP))\n"
    )
    return "".join(body)


def _gl_custom(rng: random.Random) -> dict[str, str]:
    files = {
        "custom/__init__.py": "",
        "custom/helpers/__init__.py": "",
        "custom/characters/__init__.py": "",
        "custom/constants.py": 'import os\n\nPI_CREATURE_DIR = os.path.join("assets", "pi_creature")\nBUBBLE_DIR = os.path.join("assets", "bubbles")\nCUSTOM_BLUE = "#3b7dd8"\n',
        "custom/backdrops.py": "from manimlib import *\n\n\nclass ScreenRectangle(Rectangle):\n    def __init__(self, height=4, **kwargs):\n        super().__init__(width=16 / 9 * height, height=height, **kwargs)\n\n\nclass FullScreenFadeRectangle(ScreenRectangle):\n    pass\n",
        "custom/drawings.py": "from manimlib import *\n\nfrom custom.helpers.h05 import *\n\n\nclass DieFace(VGroup):\n    def __init__(self, value, **kwargs):\n        super().__init__(Square(), *(Dot() for _ in range(value)), **kwargs)\n\n\ndef get_die_faces(**kwargs):\n    return VGroup(*(DieFace(v, **kwargs) for v in range(1, 7)))\n",
        "custom/banner.py": 'from manimlib import *\n\nfrom custom.characters.pi_creature import *\n\n\nclass Banner(InteractiveScene):\n    def construct(self):\n        self.add(Randolph(), Text("banner"))\n',
        "custom/end_screen.py": "from manimlib import *\n\nfrom custom.backdrops import ScreenRectangle\n\n\nclass EndScreen(InteractiveScene):\n    def construct(self):\n        self.add(ScreenRectangle())\n        self.wait(5)\n",
        "custom/opening_quote.py": 'from manimlib import *\n\n\nclass OpeningQuote(InteractiveScene):\n    quote = ""\n\n    def construct(self):\n        raise NotImplementedError\n',
        "custom/characters/pi_creature.py": (
            "from manimlib import *\n\nfrom custom.constants import *\n\n\nclass PiCreature(SVGMobject):\n"
            '    def __init__(self, mode="plain", color=BLUE_E, **kwargs):\n        self.mode = mode\n'
            '        super().__init__(os.path.join(PI_CREATURE_DIR, f"{mode}.svg"), **kwargs)\n\n'
            "    def change(self, mode, look_at=None):\n        self.mode = mode\n        return self.animate\n\n"
            '    def says(self, content, mode="speaking"):\n        return PiCreatureSays(self, content, target_mode=mode)\n'
            "\n\nclass Randolph(PiCreature):\n    pass\n\n\nclass Mortimer(PiCreature):\n    pass\n"
            '\n\nclass PiCreatureSays(AnimationGroup):\n    def __init__(self, pi, content, target_mode="speaking", **kwargs):\n'
            "        super().__init__(pi.change(target_mode), Write(TexText(content)), **kwargs)\n"
            "\n\nclass RemovePiCreatureBubble(AnimationGroup):\n    pass\n"
        ),
        "custom/characters/pi_creature_animations.py": "from manimlib import *\n\nfrom custom.characters.pi_creature import PiCreature\n\n\nclass Blink(Animation):\n    pass\n\n\ndef blink_all(pis):\n    return [Blink(pi) for pi in pis if isinstance(pi, PiCreature)]\n",
        "custom/characters/pi_creature_scene.py": (
            "from manimlib import *\n\nfrom custom.characters.pi_creature import Mortimer, PiCreature, PiCreatureSays, Randolph\n"
            "from custom.characters.pi_creature_animations import *\n\n\nclass PiCreatureScene(InteractiveScene):\n"
            "    def setup(self):\n        super().setup()\n        self.pi_creatures = VGroup(Randolph())\n\n"
            "    def construct(self):\n        pass\n"
            "\n\nclass TeacherStudentsScene(PiCreatureScene):\n    def setup(self):\n        super().setup()\n"
            "        self.teacher = Mortimer()\n        self.students = VGroup(*(Randolph() for _ in range(3)))\n\n"
            "    def teacher_says(self, content, **kwargs):\n        self.play(PiCreatureSays(self.teacher, content, **kwargs))\n\n"
            "    def play_student_changes(self, *modes, **kwargs):\n"
            "        self.play(*(pi.change(mode) for pi, mode in zip(self.students, modes)), *blink_all(self.students))\n"
        ),
    }
    for i in range(GL_HELPERS):
        files[f"custom/helpers/h{i:02d}.py"] = _gl_helper(rng, i)
    return files


def _gl_imports_ext() -> str:
    mods = ["constants", "backdrops", "drawings", "banner", "end_screen", "characters.pi_creature"]
    mods += ["characters.pi_creature_animations", "characters.pi_creature_scene"]
    mods += [f"helpers.h{i:02d}" for i in range(0, GL_HELPERS, 2)]
    return "from manimlib import *\n\n" + "".join(f"from custom.{m} import *\n" for m in mods)


def _gl_statements(rng: random.Random, f: int, n_lines: int, helpers: list[str], n_funcs: int) -> list[str]:
    """About `n_lines` lines of 3b1b-style scene code (one string per statement, 8-space indented)."""
    h = rng.choice(helpers)
    pool = (
        f"group = f{f}_group({rng.randrange(2, 9)})",
        f"extra = f{f}_extra_{rng.randrange(n_funcs)}()",
        f"label = f{f}_label(F{f}_LABELS[{rng.randrange(3)}])",
        "dots = VGroup(*(GlowDot(axes.c2p(x, 0)) for x in range(-3, 4)))",
        f"self.play(ShowCreation(curve), run_time=F{f}_RUN_TIME)",
        f"self.play(FadeIn({h}(3)), lag_ratio=0.1)",
        'tex = Tex(R"\\int_0^1 f(x) dx", t2c={"f": YELLOW})',
        'self.play(Write(OldTexText("Step")), run_time=fdiv(FRAME_HEIGHT, 4))',
        "value = ValueTracker(0)\n        self.play(value.animate.set_value(k), rate_func=linear)",
        "self.wait()",
        "self.play(LaggedStartMap(FadeOut, VGroup(curve, axes)))",
        f"widget = F{f}Widget(color=F{f}_COLOR)\n        self.add(widget)",
        "arrow = Arrow(ORIGIN, RIGHT * get_norm(UP + RIGHT))\n        self.play(GrowArrow(arrow))",
        "for n in range(3):\n            self.play(Indicate(curve), run_time=0.5 + n / 4)",
        "# Show the next step",
        "self.play(\n            FadeIn(group, lag_ratio=0.1),\n            Write(label),\n            run_time=2,\n        )",
        "words = VGroup(*(Text(word) for word in it.islice(F{f}_LABELS * 3, 5)))\n        words.arrange(DOWN, aligned_edge=LEFT)\n        words.to_corner(UL)".replace(
            "{f}", str(f)
        ),
        "for mob, color in zip(group, it.cycle([BLUE, TEAL, YELLOW])):\n            mob.set_color(color)\n            self.play(mob.animate.scale(1.2), run_time=0.25)",
        "self.play(curve.animate.shift(fdiv(FRAME_WIDTH, 8) * RIGHT), rate_func=there_and_back)",
    )
    out: list[str] = [f"k = {rng.randrange(1, 6)}", f"axes = f{f}_axes()", f"curve = f{f}_curve(axes, k)"]
    count = 3
    while count < n_lines:
        stmt = rng.choice(pool)
        out.append(stmt)
        count += stmt.count("\n") + 1
    return out


def _gl_scene(rng: random.Random, f: int, s: int, helpers: list[str], n_funcs: int) -> str:
    """One scene class; body lengths follow the public corpus (median ~32 lines, long tail)."""
    kind = rng.choices(("plain", "frame", "teacher", "variant", "based"), (4, 3, 1, 2, 2))[0]
    if s == 0:
        kind = "plain"
    name = f"F{f}S{s}"
    n_lines = min(1500, max(4, int(rng.lognormvariate(math.log(26), 1.2))))
    statements = _gl_statements(rng, f, n_lines, helpers, n_funcs)
    if kind == "frame":
        statements.append("frame = self.frame\n        self.play(frame.animate.reorient(20, 70), run_time=3)")
        statements.append("frame.set_euler_angles(theta=-30 * DEG)")
    if kind == "teacher":
        statements[:3] = [f'self.teacher_says(OldTexText("Why {s}?"))']
        statements.append('self.play_student_changes("pondering", "confused", "happy")')
    methods: list[list[str]] = [[]]  # long scenes are split into steps, as 3b1b's are
    for stmt in statements:
        if len(methods[-1]) >= 40 and not stmt.startswith("#"):
            methods.append([f"k = {len(methods) + 1}", f"axes = f{f}_axes()", f"curve = f{f}_curve(axes, k)"])
        methods[-1].append(stmt)
    first = "body" if kind == "based" else "construct"
    parts = []
    if len(methods) > 1:
        calls = "\n        ".join(f"self.step{i}()" for i in range(1, len(methods)))
        parts.append(f"    def {first}(self):\n        {calls}\n")
        parts += [
            f"    def step{i}(self):\n        " + "\n        ".join(m) + "\n"
            for i, m in enumerate(methods, 1)
        ]
    else:
        parts.append(f"    def {first}(self):\n        " + "\n        ".join(methods[0]) + "\n")
    base = {"plain": "InteractiveScene", "frame": "InteractiveScene", "teacher": "TeacherStudentsScene"}.get(
        kind, f"F{f}S0" if kind == "variant" else f"F{f}Base"
    )
    head = f"class {name}({base}):\n"
    if kind == "variant":
        head += f"    # the same scene with another curve\n    k_value = {s}\n\n"
        parts[0] = parts[0].replace(
            "def construct(self):\n", "def construct(self):\n        super().construct()\n", 1
        )
    return head + "\n".join(parts)


def _gl_scene_file(rng: random.Random, f: int, n_scenes: int, n_funcs: int, siblings: list[str]) -> str:
    head = ["from manim_imports_ext import *\n"]
    helpers = [f"f{f}_group", f"f{f}_label"]
    if siblings and rng.random() < 0.35:
        sib = rng.choice(siblings)
        head.append(f"from {sib} import *\n")
    if rng.random() < 0.3:
        j = rng.randrange(1, GL_HELPERS, 2)  # a helper module not re-exported by manim_imports_ext
        head.append(f"from custom.helpers.h{j:02d} import h{j:02d}_shape_{rng.randrange(6)} as local_shape\n")
        helpers.append("local_shape")
    if rng.random() < 0.15:
        j = rng.randrange(GL_HELPERS)
        head.append(f"import custom.helpers.h{j:02d} as hmod\n")
        helpers.append(f"hmod.h{j:02d}_shape_{rng.randrange(6)}")
    if rng.random() < 0.02:
        head.append("from _2016.lost_video import OldHelperScene\n")  # a module the repo no longer has
    h = rng.randrange(0, GL_HELPERS, 2)
    helpers.append(f"h{h:02d}_shape_{rng.randrange(6)}")
    out = [
        "".join(head),
        f'\n\nF{f}_COLOR = TEAL\nF{f}_RUN_TIME = {f % 3 + 1}\nF{f}_LABELS = ["a", "b", "c"]\n',
    ]
    out.append(f"F{f}_AXIS_CONFIG = dict(stroke_color=GREY_B, stroke_width=2)\n")
    out.append(
        f"\n\ndef f{f}_axes(x_range=(-4, 4), y_range=(-2, 2)):\n    axes = Axes(x_range, y_range, axis_config=F{f}_AXIS_CONFIG)\n"
        "    axes.set_height(FRAME_HEIGHT - 2)\n    return axes\n"
        f"\n\ndef f{f}_curve(axes, k=1.0):\n    return axes.get_graph(lambda x: math.sin(k * x) * np.exp(-x * x / 8), color=F{f}_COLOR)\n"
        f"\n\ndef f{f}_group(n):\n    return VGroup(*(Dot(radius=0.05 * (i + 1)) for i in range(n))).arrange(RIGHT)\n"
        f"\n\ndef f{f}_label(text):\n    return OldTexText(text, font_size=36).set_color(F{f}_COLOR)\n"
    )
    for g in range(n_funcs):
        out.append(f"\n\ndef f{f}_extra_{g}(n={g}):\n    return {rng.choice(helpers)}(n + 2)\n")
    out.append(
        f"\n\nclass F{f}Widget(VGroup):\n    def __init__(self, color=F{f}_COLOR, **kwargs):\n"
        f"        super().__init__({helpers[-1]}(), f{f}_group(3), **kwargs)\n        self.set_color(color)\n"
        f"\n\nclass F{f}Base(InteractiveScene):\n    def setup(self):\n        super().setup()\n"
        f"        self.add(f{f}_axes())\n\n    def construct(self):\n        self.body()\n\n"
        "    def body(self):\n        raise NotImplementedError\n"
    )
    for s in range(n_scenes):
        out.append("\n\n" + _gl_scene(rng, f, s, helpers, n_funcs))
    return "".join(out)


def generate_gl(root: Path, n_scenes: int = 6000, seed: int = 14) -> int:
    """A GL video repo: vendored manimlib/, custom/ helpers, manim_imports_ext.py and dated folders of
    scene files (15 scenes each, plus three big files). Returns the number of scene classes written."""
    rng = random.Random(seed)
    files: dict[str, str] = {"LICENSE": "CC BY-NC-SA 4.0\n", "manim_imports_ext.py": _gl_imports_ext()}
    lib_inits = {"manimlib/__init__.py"}
    for path, classes in GL_LIBRARY.items():
        files[f"manimlib/{path}.py"] = _gl_library_module(path, classes)
        parts = path.split("/")[:-1]
        lib_inits.update(f"manimlib/{'/'.join(parts[: i + 1])}/__init__.py" for i in range(len(parts)))
    for init in sorted(lib_inits - {"manimlib/__init__.py"}):
        files[init] = ""
    files["manimlib/__init__.py"] = (
        "".join(f"from manimlib.{p.replace('/', '.')} import *\n" for p in GL_LIBRARY)
        + "import itertools as it\nimport math\nimport os\nimport random\nimport re\n\nimport numpy as np\n"
    )
    files.update(_gl_custom(rng))
    per_file, per_big = 15, 200
    n_big = 3 if n_scenes >= 10 * per_big else 0
    n_files = -(-(n_scenes - n_big * per_big) // per_file) + n_big
    big_at = {n_files * (b + 1) // (n_big + 1) for b in range(n_big)}
    total = 0
    topics: dict[str, list[str]] = {}
    for f in range(n_files):
        year = GL_YEARS[f * len(GL_YEARS) // n_files]
        topic = f"_{year}/topic{f // 6:03d}"
        is_big = f in big_at
        n = min(
            per_big if is_big else per_file, n_scenes - total - per_big * len({x for x in big_at if x > f})
        )
        siblings = topics.setdefault(topic, [])
        path = f"{topic}/part{len(siblings)}.py"
        files[path] = _gl_scene_file(rng, f, n, 60 if is_big else rng.randrange(2, 8), list(siblings))
        siblings.append(path[:-3].replace("/", "."))
        total += n
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return total


TARGET_SCENES_PER_S = 50.0  # issue 14: extraction >= 50 scenes/s per core ...
TARGET_RSS_MB = 500.0  # ... and <= 500 MB RSS on a 6,000-scene GL video repo


def _digest(results: list, out: Path | None) -> str:
    """One hash over every result (in order); with `out`, one line per scene to diff two runs."""
    total = hashlib.sha256()
    lines = []
    for r in results:
        code = hashlib.sha256((r.code or "").encode()).hexdigest()[:16]
        line = f"{r.locator}\t{r.status}\t{r.reason}\t{','.join(r.fixes)}\t{code}"
        total.update(line.encode() + b"\n")
        lines.append(line)
    if out is not None:
        out.write_text("\n".join(lines) + "\n")
    return total.hexdigest()[:16]


def child(case: str, root: Path, hashes: Path | None, profile: Path | None) -> dict:
    """Extraction of one generated repo in this (fresh) process; figures as a dict."""
    from builder.repos.extract import dialect_of, extract_repo, manim_exports

    names = manim_exports()  # computed once per manim version, outside the timed part
    with tempfile.TemporaryDirectory() as warm:  # imports every module extraction uses, untimed
        (Path(warm) / "a.py").write_text(
            "from manim import *\n\n\nclass A(Scene):\n    def construct(self):\n        pass\n"
        )
        list(extract_repo(Path(warm), license="MIT", manim_names=names, detect_dialects=False))
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu0, t0 = time.process_time(), time.perf_counter()
    results = list(extract_repo(root, license="MIT", manim_names=names, detect_dialects=False))
    cpu1, t1 = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(profile))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "case": case,
        "files": sum(1 for _ in root.rglob("*.py")),
        "scenes": len(results),
        "ok": sum(r.status == "ok" for r in results),
        "wall_s": t1 - t0,
        "cpu_s": cpu1 - cpu0,
        "rss_start_mb": rss_start,
        "peak_rss_mb": peak,
        "digest": _digest(results, hashes),
    }
    if case == "ce":  # the dialect detector the fixes stage runs on every row, timed apart
        programs = [r.code for r in results if r.status == "ok"][:500]
        cpu2 = time.process_time()
        for code in programs:
            dialect_of(code)
        figures["dialect_per_s"] = len(programs) / max(time.process_time() - cpu2, 1e-9)
    return figures


def run_child(
    case: str, root: Path, builder_dir: Path | None, hashes: Path | None, profile: Path | None
) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(builder_dir or ROOT), *filter(None, [env.get("PYTHONPATH")])])
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", case, str(root)]
    cmd += ["--hashes-file", str(hashes)] if hashes else []
    cmd += ["--profile", str(profile)] if profile else []
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{case} child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _table(rows: list[tuple[str, dict]]) -> str:
    head = f"{'case':<5} {'code':<9} {'files':>5} {'scenes':>6} {'ok':>6} {'wall s':>7} {'scenes/s':>8} "
    head += f"{'CPU s':>7} {'sc/s CPU':>8} {'RSS MB':>7} {'start MB':>8}  digest"
    out = [head, "-" * len(head)]
    for label, f in rows:
        out.append(
            f"{f['case']:<5} {label:<9} {f['files']:>5} {f['scenes']:>6} {f['ok']:>6} {f['wall_s']:>7.1f} "
            f"{f['scenes'] / f['wall_s']:>8.1f} {f['cpu_s']:>7.1f} {f['scenes'] / f['cpu_s']:>8.1f} "
            f"{f['peak_rss_mb']:>7.0f} {f['rss_start_mb']:>8.0f}  {f['digest']}"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--case", choices=("ce", "gl", "all"), default="all")
    parser.add_argument("--files", type=int, default=2000, help="ce case: files")
    parser.add_argument("--scenes-per-file", type=float, default=2.55, help="ce case: scenes per file")
    parser.add_argument("--gl-scenes", type=int, default=6000, help="gl case: scene classes")
    parser.add_argument("--baseline", type=Path, default=None, help="a dir holding another `builder` package")
    parser.add_argument("--hashes", type=Path, default=None, help="write per-scene hashes to this dir")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile the extraction into this dir")
    parser.add_argument("--keep", type=Path, default=None, help="generate here and keep it")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "ROOT"), help=argparse.SUPPRESS)
    parser.add_argument("--hashes-file", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.hashes_file, args.profile)))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="bench-repos-")) if args.keep is None else args.keep
    cases = ("ce", "gl") if args.case == "all" else (args.case,)
    rows: list[tuple[str, dict]] = []
    for case in cases:
        root = tmp / f"benchrepo-{case}"
        if root.exists():
            shutil.rmtree(root)
        t0 = time.perf_counter()
        if case == "ce":
            generated = generate(root, args.files, args.scenes_per_file)
        else:
            generated = generate_gl(root, args.gl_scenes)
        print(f"{case}: generated {generated} scene classes in {time.perf_counter() - t0:.1f}s ({root})")
        runs = [("baseline", args.baseline)] if args.baseline else []
        for label, builder_dir in [*runs, ("current", None)]:
            if args.hashes:
                args.hashes.mkdir(parents=True, exist_ok=True)
            hashes = args.hashes / f"{case}-{label}.tsv" if args.hashes else None
            profile = args.profile / f"{case}-{label}.prof" if args.profile else None
            if profile:
                profile.parent.mkdir(parents=True, exist_ok=True)
            rows.append((label, run_child(case, root, builder_dir, hashes, profile)))
            print(f"  {label}: {rows[-1][1]['scenes']} scenes in {rows[-1][1]['wall_s']:.1f}s", flush=True)
    print()
    print(_table(rows))
    for case in cases:
        mine = [f for label, f in rows if f["case"] == case and label == "current"][0]
        base = [f for label, f in rows if f["case"] == case and label == "baseline"]
        speed, cpu_speed = mine["scenes"] / mine["wall_s"], mine["scenes"] / mine["cpu_s"]
        print(
            f"\n{case}: {speed:.1f} scenes/s per core = {speed / TARGET_SCENES_PER_S:.2f}x the target "
            f"({TARGET_SCENES_PER_S:.0f}; by CPU time {cpu_speed / TARGET_SCENES_PER_S:.2f}x); peak RSS "
            f"{mine['peak_rss_mb']:.0f} MB = {mine['peak_rss_mb'] / TARGET_RSS_MB:.2f}x the limit "
            f"({TARGET_RSS_MB:.0f} MB)" + (" [targets are for the gl case]" if case != "gl" else "")
        )
        if base:
            b = base[0]
            print(
                f"  vs baseline: {b['wall_s'] / mine['wall_s']:.2f}x faster (wall), "
                f"{b['cpu_s'] / mine['cpu_s']:.2f}x (CPU), RSS {mine['peak_rss_mb'] / b['peak_rss_mb']:.2f}x; "
                f"results {'identical' if b['digest'] == mine['digest'] else 'DIFFER'}"
            )
        if "dialect_per_s" in mine:
            print(
                f"  dialect detection (builder.fixes.dialect, re-parsing): {mine['dialect_per_s']:.1f} programs/s per core"
            )
    if args.keep is None:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
