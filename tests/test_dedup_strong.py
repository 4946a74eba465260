"""The optional strong exact key: renamed variables and changed literals are still the same program."""

from __future__ import annotations

from builder.dedup.exact import exact_key, merge_exact

BASE = '''from manim import *


class Greeting(Scene):
    """Say hello."""

    def construct(self):
        card = RoundedRectangle(corner_radius=0.2, width=4, color=TEAL)  # the frame
        words = Text("Hello there").move_to(card)
        self.play(Create(card), Write(words), run_time=2)
        self.wait(1)
'''

RENAMED = """from manim import *

class Welcome(Scene):
    def construct(self):
        frame = RoundedRectangle(corner_radius=0.5, width=6, color=TEAL)
        label = Text(f"Hi {3}").move_to(frame)
        self.play(Create(frame), Write(label), run_time=1)
        self.wait(3)
"""

OTHER_OBJECT = RENAMED.replace("RoundedRectangle(corner_radius=0.5, ", "Ellipse(")
OTHER_COLOUR = RENAMED.replace("TEAL", "ORANGE")  # a name, not a literal: stays different


def test_plain_key_unchanged_and_strong_key_forgets_names_and_literals():
    assert exact_key(BASE) == exact_key(
        BASE.replace("  # the frame", "").replace('    """Say hello."""\n', "")
    )
    assert exact_key(BASE) != exact_key(RENAMED)
    assert exact_key(BASE, strong=True) == exact_key(RENAMED, strong=True)
    assert exact_key(BASE, strong=True) != exact_key(OTHER_OBJECT, strong=True)
    assert exact_key(BASE, strong=True) != exact_key(OTHER_COLOUR, strong=True)
    assert exact_key("def broken(:", strong=True) == exact_key("def broken(:  ", strong=True)


def test_merge_exact_strong_option_logs_which_key_joined_them(make_record):
    codes = (BASE, RENAMED, BASE + "\n# trailing note\n", OTHER_OBJECT)
    records = [
        make_record(code, id=f"r{i}", description=f"Greeting card number {i}")
        for i, code in enumerate(codes, 1)
    ]
    plain, plain_dropped = merge_exact(records)
    assert [r.id for r in plain] == ["r1", "r2", "r4"] and [e.reason for e in plain_dropped] == [
        "duplicate:exact"
    ]
    strong, dropped = merge_exact(records, strong=True)
    assert [r.id for r in strong] == ["r1", "r4"]
    assert strong[0].cluster_size == 3 and strong[0].dedup_key == exact_key(BASE)
    assert {e.id: e.reason for e in dropped} == {"r2": "duplicate:exact-strong", "r3": "duplicate:exact"}
