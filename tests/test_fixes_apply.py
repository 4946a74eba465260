"""repair_code's contract: order, disabling, exclusions, robustness; assets, descriptions, docs."""

from __future__ import annotations

import random

import pytest

from builder.fixes import docs
from builder.fixes.apply import FixOutcome, repair_code
from builder.fixes.assets import classify
from builder.fixes.catalogue import all_fixes, count_fixes, fix_by_code, is_disabled
from builder.fixes.colour import WEB_COLORS
from builder.fixes.descriptions import THANHKT_WRAPPER, clean_description

OLD = (
    "from manim import *\n\nclass A(Scene):\n    def construct(self):\n"
    "        t = TextMobject('hi')\n        self.play(ShowCreation(t))\n"
)


def test_outcome_shape_and_order_of_fixes():
    out = repair_code(OLD)
    assert isinstance(out, FixOutcome)
    assert out.fixes == ("UPG001", "UPG002")  # catalogue order, each once
    assert "Create(t)" in out.code and "Tex('hi')" in out.code
    assert out.dialect == "ce" and out.excluded is None


@pytest.mark.parametrize(
    ("disabled", "left"), [(["UPG"], ()), (["UPG002"], ("UPG001",)), (["UPG001", "X"], ("UPG002",))]
)
def test_disabling_by_code_or_prefix(disabled, left):
    out = repair_code(OLD, disabled=disabled)
    assert out.fixes == left


def test_disabling_asset_labels():
    code = "from manim import *\n\nclass A(Scene):\n    def construct(self):\n        self.add(SVGMobject('gear.svg'))\n"
    assert repair_code(code).fixes == ("asset:icon",)
    assert repair_code(code, disabled=["asset"]).fixes == ()


def test_collapsed_code_goes_through_every_phase():
    out = repair_code(
        "from manim import * class A(Scene): def construct(self): self.play(ShowCreation(Dot((1, 2))))"
    )
    assert out.fixes == ("COL001", "UPG001", "UPG027")
    assert out.code.splitlines()[-1] == "        self.play(Create(Dot((1, 2, 0))))"


def test_missing_data_file_is_excluded_but_written_files_are_not():
    base = "import numpy as np\nfrom manim import *\n\nclass A(Scene):\n    def construct(self):\n        {}\n        self.add(Dot())\n"
    assert repair_code(base.format("d = np.loadtxt('points.csv')")).excluded == "asset:missing-data-file"
    assert repair_code(base.format("f = open('log.txt', 'w')")).excluded is None


def test_graph_scene_with_unsupported_members_is_excluded():
    code = (
        "from manim import *\n\nclass A(GraphScene):\n    def construct(self):\n        self.setup_axes()\n"
        "        self.add_T_label(2, self.get_graph(lambda x: x))\n"
    )
    assert repair_code(code).excluded == "upgrade:graph-scene"


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        (["pi", "creature"], "character"),
        (["student"], "character"),
        (["factory"], "icon"),
        (["server", "rack"], "icon"),
        (["euler", "formula"], "formula"),
        (["bg", "stars"], "background"),
        (["holiday", "photo"], "photo"),
    ],
)
def test_asset_kinds(words, kind):
    assert classify(words)[0] == kind


def test_asset_kind_uses_the_variable_name_and_keeps_size_calls():
    code = (
        "from manim import *\n\nclass A(Scene):\n    def construct(self):\n"
        "        teacher = ImageMobject('img_01.png', height=3).to_edge(LEFT)\n        self.add(teacher)\n"
    )
    out = repair_code(code)
    assert out.fixes == ("asset:character",)
    assert ".set(height=3).to_edge(LEFT)" in out.code and "teacher = VGroup(" in out.code


def test_image_from_an_array_is_not_an_asset():
    code = "from manim import *\n\nclass A(Scene):\n    def construct(self):\n        self.add(ImageMobject(np.zeros((4, 4, 3), dtype=np.uint8)))\n"
    assert repair_code(code).fixes == ()


def test_local_names_are_not_renamed():
    code = (
        "from manim import *\n\nclass ShowCreation(Create):\n    pass\n\nCYAN = '#0ff'\n\n"
        "class A(Scene):\n    def construct(self):\n        self.play(ShowCreation(Dot(color=CYAN)))\n"
    )
    assert repair_code(code).fixes == ()


def _scene(body: str, head: str = "from manim import *") -> str:
    return f"{head}\n\nclass A(Scene):\n    def construct(self):\n        {body}\n"


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        ("import manim as mn", "self.play(mn.ShowCreation(mn.Dot()))", "self.play(mn.Create(mn.Dot()))"),
        ("import manim", "self.add(manim.TextMobject('a'))", "self.add(manim.Tex('a'))"),
        (
            "from manim import Scene, ShowCreation, Dot",
            "self.play(ShowCreation(Dot()))",
            "self.play(Create(Dot()))",
        ),
        (
            "import manimlib.animation.creation as c",
            "self.play(c.ShowCreation(Dot()))",
            "self.play(c.Create(Dot()))",
        ),
    ],
)
def test_names_qualified_as_manim_are_renamed(head, body, expected):
    out = repair_code(_scene(body, head))
    assert "UPG001" in out.fixes or "UPG002" in out.fixes
    assert expected in out.code
    if head.startswith("from manim import"):
        assert "from manim import Scene, Create, Dot" in out.code


@pytest.mark.parametrize(
    ("head", "body"),
    [
        ("from manim import *\nfrom mylib import ShowCreation", "self.play(ShowCreation(Dot()))"),
        ("from manim import *\nimport mylib as mn", "self.play(mn.ShowCreation(Dot()))"),
        ("from manim import *\nfrom mylib import Fancy as TextMobject", "self.add(TextMobject('a'))"),
        ("from manim import *", "self.ShowCreation = None"),
        ("from manim import *", "self.play(*[ShowCreation(Dot()) for ShowCreation in [Create]])"),
    ],
)
def test_names_from_elsewhere_or_local_are_not_renamed(head, body):
    code = _scene(body, head)
    out = repair_code(code)
    assert out.code == code and not {"UPG001", "UPG002"} & set(out.fixes)


def test_a_local_binding_keeps_its_name_while_the_star_imported_name_is_renamed():
    code = (
        "from manim import *\n\ndef show(ShowCreation, m):\n    return ShowCreation(m)\n\n"
        "class A(Scene):\n    def construct(self):\n        self.play(show(ShowCreation, Dot()))\n"
    )
    out = repair_code(code)
    assert out.fixes == ("UPG001",)
    assert "def show(ShowCreation, m):\n    return ShowCreation(m)" in out.code
    assert "self.play(show(Create, Dot()))" in out.code


def test_web_colors_are_not_manim_names():
    import manim

    assert not [name for name in WEB_COLORS if hasattr(manim, name)]


def test_never_crashes_on_junk():
    rng = random.Random(5)
    alphabet = "ab(): =\n\t'\"#\\x1[]{}.,*@`"
    samples = ["", "   ", None, 42, "```", "\x00", "class", "def f(:", "from manim import * class"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(150)]
    for s in samples:
        out = repair_code(s)
        assert isinstance(out.code, str)


@pytest.mark.parametrize(
    ("text", "expected", "codes"),
    [
        ("\\n\\nDraw a blue circle and fade it out.", "Draw a blue circle and fade it out.", ("DSC002",)),
        ("Plain request to draw a square.", "Plain request to draw a square.", ()),
        ("   ", "", ()),
        ("**Hi**", "", ("DSC003",)),
        (None, "", ()),
        (
            "Generate accurate and correct ManimCE Python code for the animation requested by the user. "
            "Here is the user's request: \\nShow **two** dots.",
            "Show two dots.",
            ("DSC001", "DSC002", "DSC003"),
        ),
    ],
)
def test_clean_description(text, expected, codes):
    assert clean_description(text, [THANHKT_WRAPPER]) == (expected, codes)


@pytest.mark.parametrize("code", ["DSC001", "DSC002", "DSC003"])
def test_disabled_description_fixes_are_not_applied(code):
    text = "Generate accurate and correct ManimCE Python code for the animation requested by the user. Here is the user's request: \\n**Show** two dots."
    cleaned, codes = clean_description(text, [THANHKT_WRAPPER], disabled=[code])
    assert code not in codes and codes
    assert ("**Show**" in cleaned) == (code == "DSC003")
    assert clean_description(text, [THANHKT_WRAPPER], disabled=["DSC"]) == (text, ())


def test_catalogue_lookups():
    assert fix_by_code("EXT006").name == "trim-prose-around-code"
    assert fix_by_code("INL003").phase == "inline"
    assert is_disabled(fix_by_code("AST001"), ["asset:icon"]) and not is_disabled(
        fix_by_code("AST002"), ["asset:icon"]
    )
    with pytest.raises(KeyError):
        fix_by_code("UPG999")


def test_count_fixes():
    assert count_fixes([("UPG001", "UPG001"), ("UPG001", "asset:icon"), ()]) == {"UPG001": 2, "asset:icon": 1}


def test_docs_are_up_to_date():
    assert docs.DOC_PATH.read_text(encoding="utf-8") == docs.render(), "run: python -m builder.fixes.docs"
    for fix in all_fixes():
        assert f"`{fix.code}`" in docs.render()
