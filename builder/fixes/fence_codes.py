"""Taking the code out of its field (EXT001-EXT007): catalogue entries of builder/fences.py's repairs.

Removing one ordinary markdown fence is not a repair and is not recorded; these are the repairs beyond
it. `builder.fences.extract_code` makes them and records their codes (defined here, once), and skips
any that `disabled_fixes` turns off. Each example's before is the raw field text, its after the code
`extract_code` returns.
"""

from __future__ import annotations

from builder.fixes.types import Example, Fix, scene

LITERAL_NEWLINE = "EXT001"  # a literal backslash-n before the code
ESCAPED_NEWLINES = "EXT002"  # the whole program stored with literal \n instead of line breaks
DOUBLE_FENCE = "EXT003"  # a fence inside a fence
UNTERMINATED_FENCE = "EXT004"  # an opening fence never closed
JOINED_BLOCKS = "EXT005"  # one program split over several blocks, joined
TRIMMED_PROSE = "EXT006"  # prose before or after unfenced code removed
DEDENTED = "EXT007"  # the whole program was indented
CODES = (
    LITERAL_NEWLINE,
    ESCAPED_NEWLINES,
    DOUBLE_FENCE,
    UNTERMINATED_FENCE,
    JOINED_BLOCKS,
    TRIMMED_PROSE,
    DEDENTED,
)

_CODE = scene("self.play(Create(Circle()))").rstrip("\n")  # extracted code has no trailing newline
_IMPORT, _CLASS = _CODE.split("\n\n\n")

FIXES: tuple[Fix, ...] = (
    Fix(
        LITERAL_NEWLINE, "strip-literal-newline-prefix",
        "Some fields start with the two characters backslash-n (an escaping accident upstream), which is a syntax error in front of Python; they are removed.",
        "extract",
        (Example("\\n" + _CODE, _CODE),),
    ),
    Fix(
        ESCAPED_NEWLINES, "unescape-newlines",
        "A program stored on one line with literal `\\n` (and `\\t`) escapes instead of line breaks gets its line breaks back, when the result parses and the stored text did not.",
        "extract",
        (Example(_CODE.replace("\n", "\\n"), _CODE),),
    ),
    Fix(
        DOUBLE_FENCE, "strip-double-fence",
        "A fence inside a fence (an answer wrapped twice) is unwrapped down to the code.",
        "extract",
        (Example(f"```python\n```python\n{_CODE}\n```\n```", _CODE),),
    ),
    Fix(
        UNTERMINATED_FENCE, "unterminated-fence",
        "An opening fence that is never closed (a truncated or sloppy answer) runs to the end of the text, as in CommonMark, and is removed.",
        "extract",
        (Example(f"```python\n{_CODE}\n", _CODE),),
    ),
    Fix(
        JOINED_BLOCKS, "join-split-blocks",
        "One program split over several fenced blocks (the imports in one, the scene in the next) is joined into one program; several complete programs are not joined (the first scene is taken).",
        "extract",
        (Example(f"First the import:\n```python\n{_IMPORT}\n```\nThen the scene:\n```python\n{_CLASS}\n```", f"{_IMPORT}\n\n{_CLASS}"),),
    ),
    Fix(
        TRIMMED_PROSE, "trim-prose-around-code",
        "Prose lines before or after unfenced code (\"Here is the code:\", \"Enjoy!\") are removed. Only lines that are prose go: code that is broken itself stays broken and is never truncated into something that parses.",
        "extract",
        (Example(f"Here is the code:\n{_CODE}\nThis scene draws a circle.", _CODE),),
    ),
    Fix(
        DEDENTED, "dedent-program",
        "A program indented as a whole (copied out of a list item or a notebook cell) does not parse; the common indentation is removed.",
        "extract",
        (Example("\n".join("    " + ln if ln else "" for ln in _CODE.split("\n")), _CODE),),
    ),
)  # fmt: skip
