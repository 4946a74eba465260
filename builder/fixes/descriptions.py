"""Description cleanup: boilerplate wrappers, literal `\\n` prefixes and markdown decoration removed.

Why: 42% of one source's prompts start with the same instruction wrapper, many start with the two
characters backslash-n, and chat answers bring `**bold**` and `#` headings. The request itself is what
a model should learn from. Descriptions are prose, so regular expressions are the right tool here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from builder.fixes.types import Example, Fix, code_disabled

# The wrapper `thanhkt/manim_code` puts around 42% of its inputs (configure it as `strip_description`).
THANHKT_WRAPPER = (
    r"^\s*Generate accurate and correct ManimCE Python code for the animation requested by the user\."
    r"\s*Here is the user's request:\s*"
)
MIN_LETTERS = 8  # fewer letters than this is no description
MIN_WORDS = 2

_LITERAL_NEWLINES = re.compile(r"^(?:\s*\\n)+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1", re.DOTALL)
_BULLET = re.compile(r"^\s*[-*+]\s+", re.MULTILINE)
_INLINE_CODE = re.compile(r"`([^`\n]+)`")


def _sub(pattern: re.Pattern[str], repl: str, text: str) -> tuple[str, bool]:
    new = pattern.sub(repl, text)
    return new, new != text


def clean_description(
    text: str, strip_patterns: Sequence[str] = (), *, disabled: Sequence[str] = ()
) -> tuple[str, tuple[str, ...]]:
    """(cleaned text, description fix codes); "" when nothing meaningful is left.

    `disabled`: fix codes or prefixes (as in `repair_code`); a disabled DSC fix is not applied.
    """
    if not isinstance(text, str):
        return "", ()
    codes: list[str] = []
    out = text
    for pattern in () if code_disabled("DSC001", disabled) else strip_patterns:
        new = re.sub(pattern, "", out, count=1, flags=re.IGNORECASE | re.DOTALL)
        if new != out:
            out = new
            if "DSC001" not in codes:
                codes.append("DSC001")
    if not code_disabled("DSC002", disabled):
        out, changed = _sub(_LITERAL_NEWLINES, "", out)
        if changed:
            codes.append("DSC002")
    if not code_disabled("DSC003", disabled):
        decorated = False
        for pattern, repl in ((_HEADING, ""), (_EMPHASIS, r"\2"), (_BULLET, ""), (_INLINE_CODE, r"\1")):
            out, changed = _sub(pattern, repl, out)
            decorated |= changed
        if decorated:
            codes.append("DSC003")
    out = out.strip()
    letters = sum(c.isalpha() for c in out)
    if letters < MIN_LETTERS or len(out.split()) < MIN_WORDS:
        return "", tuple(codes)
    return out, tuple(codes)


FIXES: tuple[Fix, ...] = (
    Fix(
        "DSC001", "strip-description-wrapper",
        "The source's configured boilerplate wrappers (`strip_description` regexes; e.g. `THANHKT_WRAPPER`) are removed, leaving the request.",
        "description",
        (
            Example(
                "Generate accurate and correct ManimCE Python code for the animation requested by the user. "
                "Here is the user's request: Draw a red square that spins once.",
                "Draw a red square that spins once.",
            ),
        ),
    ),
    Fix(
        "DSC002", "strip-literal-newline-prefix",
        "Descriptions that start with the two characters `\\n` (an escaping accident upstream) lose them.",
        "description",
        (Example("\\nShow a circle growing from its center.", "Show a circle growing from its center."),),
    ),
    Fix(
        "DSC003", "strip-markdown-decoration",
        "Markdown headings, `**emphasis**`, bullets and inline-code backticks are removed; the words stay.",
        "description",
        (Example("## Task\n**Animate** a `Dot` moving along a sine curve.", "Task\nAnimate a Dot moving along a sine curve."),),
    ),
)  # fmt: skip
