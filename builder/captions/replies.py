"""Checking a model's reply before it becomes a description: one paragraph of prose, no code, no
refusal, within the length limits. Quotes, a leading label ("Description:") and inline backticks go."""

from __future__ import annotations

import re

_QUOTES = {'"': '"', "'": "'", "`": "`", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb"}
_LABEL = re.compile(r"^(?:\*\*)?(?:description|caption|instruction|prompt|request)(?:\*\*)?\s*:\s*", re.I)
_BULLET = re.compile(r"^(?:[-*\u2022]|\d+[.)])\s+")
_CODE_LINE = re.compile(
    r"""^(?:
        from\s+[\w.]+\s+import\s | import\s+[\w.]+(?:\s+as\s+\w+)?\s*(?:,.*)?$
      | (?:class|def)\s+\w+\s*[(:]
      | (?:self|np|manim|config)\.\w
      | @\w+
      | (?:return|yield|raise|pass|await)\b
      | (?:for|while|if|elif|with|try|else|finally|except)\b[^.!?]*:$
      | [A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*(?:[-+*/]?=)(?!=)\s*\S
      | [A-Za-z_][\w.]*\(.*\)[;,]?$
    )""",
    re.X,
)
_REFUSAL = re.compile(r"^(?:I'm sorry|I am sorry|Sorry,|I cannot|I can't|I can not|As an AI)\b", re.I)


def check_reply(content: str, min_chars: int = 20, max_chars: int = 600) -> tuple[str | None, str | None]:
    """(caption, None) for an acceptable reply, else (None, reason): quotes, a leading label
    ("Description:") and inline backticks go; lines are joined into one paragraph."""
    text = _unquote(content.strip())
    text = _unquote(_LABEL.sub("", text).strip())
    if not text:
        return None, "llm-empty-reply"
    if "```" in text or "~~~" in text:
        return None, "llm-code-in-reply"
    lines = [_BULLET.sub("", line.strip()) for line in text.splitlines()]
    if any(_CODE_LINE.match(line) for line in lines if line):
        return None, "llm-code-in-reply"
    text = " ".join(" ".join(lines).replace("`", "").split())
    if not text:
        return None, "llm-empty-reply"
    if _REFUSAL.match(text):
        return None, "llm-refusal"
    if len(text) < min_chars:
        return None, "llm-too-short"
    if len(text) > max_chars:
        return None, "llm-too-long"
    return text, None


def _unquote(text: str) -> str:
    while len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    return text
