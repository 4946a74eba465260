"""Fence extraction and wrapping: real-world wrappings, and the round-trip properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.fences import (
    DOUBLE_FENCE,
    ESCAPED_NEWLINES,
    JOINED_BLOCKS,
    LITERAL_NEWLINE,
    TRIMMED_PROSE,
    UNTERMINATED_FENCE,
    canonical_text,
    extract_code,
    strip_fences,
    wrap,
)

SCENE = """from manim import *


class Pulse(Scene):
    def construct(self):
        dot = Dot(color=TEAL)
        self.play(GrowFromCenter(dot))
        self.play(dot.animate.scale(3), run_time=0.5)"""


def test_each_fence_flavour_is_stripped():
    pairs = [
        ("```python", "```"),
        ("```py", "```"),
        ("```python3", "```"),
        ("```", "```"),
        ("~~~", "~~~"),
        ("~~~python", "~~~"),
        ("````python", "````"),
    ]
    for opener, closer in pairs:
        found = extract_code(f"{opener}\n{SCENE}\n{closer}")
        assert found.code == SCENE, opener
        assert found.fixes == ()
    # a fence inside a list item: CommonMark removes the item's indentation from the content
    indented = "\n".join("   " + line if line else "" for line in SCENE.split("\n"))
    assert extract_code(f"1. Code:\n\n   ```python\n{indented}\n   ```").code == SCENE


def test_prose_before_and_after_a_fence():
    text = (
        f"Sure! Here is the animation you asked for:\n\n```python\n{SCENE}\n```\n\nRun it with `manim -pql`."
    )
    assert extract_code(text).code == SCENE


def test_prose_around_unfenced_code_is_trimmed():
    text = f"Here is the code:\n{SCENE}\nThis scene grows a dot and then scales it."
    found = extract_code(text)
    assert found.code == SCENE
    assert TRIMMED_PROSE in found.fixes


def test_crlf_and_literal_leading_newline():
    found = extract_code("\\n" + SCENE.replace("\n", "\r\n"))
    assert found.code == SCENE
    assert found.fixes == (LITERAL_NEWLINE,)


def test_program_stored_with_escaped_newlines():
    found = extract_code(SCENE.replace("\n", "\\n"))
    assert found.code == SCENE
    assert ESCAPED_NEWLINES in found.fixes


def test_unterminated_fence_runs_to_the_end():
    found = extract_code(f"```python\n{SCENE}\n")
    assert found.code == SCENE
    assert UNTERMINATED_FENCE in found.fixes


def test_double_wrapping():
    found = extract_code(f"```python\n```python\n{SCENE}\n```\n```")
    assert found.code == SCENE
    assert DOUBLE_FENCE in found.fixes


def test_blocks_split_into_imports_and_class_are_joined():
    imports, body = SCENE.split("\n\n\n", 1)
    text = f"First import:\n```python\n{imports}\n```\nthen define:\n```python\n{body}\n```"
    found = extract_code(text)
    assert found.code == f"{imports}\n\n{body}"
    assert JOINED_BLOCKS in found.fixes


def test_scene_block_is_chosen_among_several():
    text = f"Install:\n```bash\npip install manim\n```\nCode:\n```python\n{SCENE}\n```\nOutput:\n```\nok\n```"
    assert extract_code(text).code == SCENE


def test_two_complete_programs_take_the_first():
    other = SCENE.replace("Pulse", "PulseTwo")
    found = extract_code(f"```python\n{SCENE}\n```\nOr:\n```python\n{other}\n```")
    assert found.code == SCENE
    assert JOINED_BLOCKS not in found.fixes


def test_bad_values_give_reasons():
    assert extract_code(None).reason == "missing-code"
    assert extract_code("   \n ").reason == "empty-code"
    assert extract_code(b"\xff\xfe").reason == "non-utf8"
    assert extract_code(42).reason == "invalid-type:int"
    assert extract_code("```python\n```").reason == "empty-code"
    assert extract_code(SCENE.encode()).code == SCENE


# Code-like text: lines without fence markers, no blank edges, no trailing spaces.
_line = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.rstrip)
_code = (
    st.lists(_line, min_size=1, max_size=12)
    .map("\n".join)
    .map(canonical_text)
    .filter(lambda s: s and "```" not in s and "~~~" not in s)
)


@settings(max_examples=300, deadline=None)
@given(_code)
def test_strip_of_wrap_is_identity(code):
    assert strip_fences(wrap(code)).code == code


@settings(max_examples=300, deadline=None)
@given(_code)
def test_wrap_is_idempotent_through_strip(code):
    once = wrap(code)
    assert wrap(strip_fences(once).code) == once
    assert wrap(strip_fences(wrap(once)).code) == once  # double wrapping collapses to one fence


@settings(max_examples=200, deadline=None)
@given(_code, st.sampled_from(["```python", "```py", "```python3", "```", "~~~"]), st.booleans())
def test_completion_has_exactly_one_fence(code, opener, crlf):
    closer = "~~~" if opener == "~~~" else "```"
    text = f"{opener}\n{code}\n{closer}"
    if crlf:
        text = text.replace("\n", "\r\n")
    found = strip_fences(text).code
    assert "```" not in found
    completion = wrap(found)
    assert completion.count("```") == 2
    assert completion.startswith("```python\n") and completion.endswith("\n```")


def test_broken_code_is_never_truncated_into_something_that_parses():
    broken = SCENE + "\n        self.play(Rotate(dot, angle=PI"  # cut off mid-call
    found = extract_code(broken)
    assert found.code == broken
    assert TRIMMED_PROSE not in found.fixes
    bad_indent = SCENE.replace("        self.play(GrowFromCenter", "      self.play(GrowFromCenter")
    assert extract_code(f"Here you go:\n{bad_indent}\nEnjoy!").code.startswith("Here you go:")


def test_a_disabled_repair_is_not_made():
    text = f"Here is the code:\n{SCENE}\nThis scene grows a dot and then scales it."
    assert extract_code(text, disabled=["EXT006"]) == extract_code(text, disabled=["EXT"])
    kept = extract_code(text, disabled=["EXT006"])
    assert kept.code == text and kept.fixes == ()  # the prose stays; the row then fails to parse
    assert extract_code(text, disabled=["EXT001"]).code == SCENE  # other codes leave it on
    double = f"```python\n```python\n{SCENE}\n```\n```"
    assert extract_code(double, disabled=["EXT003", "EXT006"]).code == f"```python\n{SCENE}"
    assert extract_code(double, disabled=["EXT003"]).fixes == (TRIMMED_PROSE,)  # the fence line is prose
    assert extract_code(f"\\n{SCENE}", disabled=["EXT001", "EXT006"]).code.startswith("\\n")
    imports, body = SCENE.split("\n\n\n", 1)
    split = f"```python\n{imports}\n```\nthen:\n```python\n{body}\n```"
    assert extract_code(split, disabled=["EXT005"]).code == body


def test_a_disabled_unterminated_fence_is_not_a_block():
    assert strip_fences(f"```python\n{SCENE}\n", disabled=["EXT004"]).code == f"```python\n{SCENE}"
    # the inner fence of a double wrapping loses its close to the outer one: not an unterminated fence
    found = strip_fences(f"```python\n```python\n{SCENE}\n```\n```", disabled=["EXT004"])
    assert found.code == SCENE and found.fixes == (DOUBLE_FENCE,)
