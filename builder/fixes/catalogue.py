"""The fix catalogue: every repair the build makes, gathered from the theme modules.

Codes never change meaning; docs/fixes.md is generated from here (`python -m builder.fixes.docs`) and
the examples double as tests. Fixes run phase by phase in `PHASES` order and by code within a phase:
inlining and extraction happen in their own stages, `repair_code` runs the code phases, and
`clean_description` the description fixes. This is the top module: no fix module imports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache

from builder.fixes import (
    animations,
    assets,
    axes,
    camera,
    collapsed,
    colour,
    descriptions,
    fence_codes,
    gl_idioms,
    gl_objects,
    inline_codes,
    mobjects,
    placeholder_library,
    syntax,
    text_tex,
)
from builder.fixes.types import CODE_PHASES, PHASES, Fix, is_disabled

THEMES = (
    inline_codes,  # INL: cutting a scene out of its repository
    fence_codes,  # EXT: taking the code out of its field
    collapsed,  # COL: code whose newlines were lost
    syntax,  # SYN: stray fences, prose, tabs, escapes, the manim import
    gl_idioms,  # GL: ManimGL imports, names and constants
    gl_objects,  # GL: ManimGL objects, methods and keywords
    text_tex,  # text and TeX mobjects
    animations,  # animations
    axes,  # axes, graphs, GraphScene, vector fields
    colour,  # colours
    camera,  # the camera
    mobjects,  # mobjects and geometry
    assets,  # AST: placeholders for files a row cannot carry
    placeholder_library,  # AST: placeholder pi creatures and GL drawings
    descriptions,  # DSC: the description side
)
_PHASE_ORDER = {phase: i for i, phase in enumerate(PHASES)}

__all__ = [
    "THEMES",
    "all_fixes",
    "count_fixes",
    "fix_by_code",
    "is_disabled",
    "placeholder_names",
    "supplied_names",
]


@cache
def all_fixes() -> tuple[Fix, ...]:
    """Every fix in application order: by phase, then by code."""
    fixes = [fix for theme in THEMES for fix in theme.FIXES]
    codes = [f.code for f in fixes]
    if len(set(codes)) != len(codes):
        raise ValueError(f"duplicate fix codes: {sorted(c for c, n in Counter(codes).items() if n > 1)}")
    return tuple(sorted(fixes, key=lambda f: (_PHASE_ORDER[f.phase], f.code)))


@cache
def supplied_names() -> frozenset[str]:
    """Free names some code fix defines or renames away (the repo extractor consults this before it
    rejects a scene for an unresolved name: fix before reject)."""
    return frozenset().union(*(f.supplied for f in all_fixes() if f.phase in CODE_PHASES))


@cache
def placeholder_names() -> frozenset[str]:
    """Names an asset fix supplies a placeholder for (pi creatures and their scenes): a repo's own GL
    implementation of them needs files that are not public, so the extractor leaves them to the fix."""
    return frozenset().union(*(f.supplied for f in all_fixes() if f.phase == "asset" and f.supplies))


def fix_by_code(code: str) -> Fix:
    for fix in all_fixes():
        if fix.code == code:
            return fix
    raise KeyError(code)


def count_fixes(rows_fixes: Iterable[Sequence[str]]) -> dict[str, int]:
    """Per-fix counts over rows (each row counts once per fix), sorted by code, for stats and the card."""
    counts: Counter[str] = Counter()
    for fixes in rows_fixes:
        counts.update(set(fixes))
    return dict(sorted(counts.items()))
