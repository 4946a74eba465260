"""A program's `Trace` from its scenes' raw trace fields: what it showed, in words a description can use.

The worker's trace is untrusted (the scene ran in the same process), so every part is re-checked here
against the program text: on-screen strings are spans of the code itself, and class names are kept only
when the code spells them or manim exports them. Nothing a scene computed or read can reach a row.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from builder.schema import SceneVerdict, Trace

# Manim's named colours (CE 0.22 hex values); a shown colour is named by the nearest one.
NAMED_COLOURS = {
    name: tuple(int(hexa[i : i + 2], 16) for i in (0, 2, 4))
    for name, hexa in (
        ("white", "FFFFFF"), ("black", "000000"), ("gray", "888888"), ("red", "FC6255"),
        ("orange", "FF862F"), ("yellow", "F7D96F"), ("green", "83C167"), ("teal", "5CD0B3"),
        ("blue", "58C4DD"), ("purple", "9A72AC"), ("pink", "D147BD"), ("gold", "F0AC5F"),
        ("maroon", "C55F73"),
    )
}  # fmt: skip
_PURE = {"red": (0xFF, 0, 0), "green": (0, 0xFF, 0), "blue": (0, 0, 0xFF), "yellow": (0xFF, 0xFF, 0)}
_SPAN = re.compile(r"(\d+):(\d+)")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def colour_name(hexa: str) -> str:
    """The nearest named colour of `#rrggbb` (squared RGB distance; ties go to the first name)."""
    rgb = tuple(int(hexa[i : i + 2], 16) for i in (1, 3, 5))
    candidates = [*NAMED_COLOURS.items(), *_PURE.items()]
    return min(candidates, key=lambda kv: sum((a - b) ** 2 for a, b in zip(rgb, kv[1], strict=True)))[0]


def _names(raw: str | None, allowed: Collection[str]) -> list[str]:
    return [n for n in (raw or "").split(",") if n and n in allowed]


def _texts(raw: str | None, code: str) -> list[str]:
    out = []
    for match in _SPAN.finditer(raw or ""):
        start, end = int(match.group(1)), int(match.group(2))
        if 0 <= start < end <= len(code):
            text = " ".join(code[start:end].split())
            if text and text not in out:
                out.append(text)
    return out


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def program_trace(
    verdicts: Sequence[SceneVerdict], code: str, manim_exports: Collection[str] = ()
) -> Trace | None:
    """The merged trace of a program's scenes (None unless every scene ran and reported one)."""
    if not verdicts or any(v.status != "ok" or v.trace_camera is None for v in verdicts):
        return None
    allowed = set(_IDENT.findall(code)) | set(manim_exports)
    mobjects: list[str] = []
    animations: list[str] = []
    texts: list[str] = []
    colours: list[str] = []
    cameras = []
    for v in verdicts:
        mobjects += _names(v.trace_mobjects, allowed | {"animate"})
        animations += _names(v.trace_animations, allowed | {"animate"})
        texts += _texts(v.trace_texts, code)
        colours += [colour_name(h) for h in (v.trace_colours or "").split(",") if h]
        cameras.append(v.trace_camera)
    camera = "3d" if "3d" in cameras else "moving" if "moving" in cameras else "2d"
    return Trace(
        mobjects=_unique(m for m in mobjects if m not in ("Mobject", "animate")),
        animations=animations[:64],
        texts=_unique(texts),
        colours=_unique(colours),
        camera=camera,
        n_animations=sum(v.n_animations or 0 for v in verdicts),
        run_time=round(sum(v.run_time or 0.0 for v in verdicts), 3),
    )
