"""Description quality: which copy's description is best when duplicates meet."""

from __future__ import annotations


def description_quality(text: str) -> float:
    """Higher is better: a specific request of a few sentences beats a stub or a wall of text."""
    words = len(text.split())
    if words == 0:
        return 0.0
    score = min(words, 60) / 60  # up to ~60 words, more detail is better
    if words > 400:
        score -= 0.5  # pasted documents, not requests
    if text.rstrip().endswith(("?", ".", "!")):
        score += 0.05
    return round(score, 6)


def normalise_description(text: str) -> str:
    """The form used to compare descriptions: case and whitespace folded."""
    return " ".join(text.lower().split())
