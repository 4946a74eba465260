"""The fix catalogue: every repair has a stable code, a name, a reason, and before/after examples.

Like ruff's rule catalogue: codes never change meaning, the docs table (docs/fixes.md) is generated
from here, and the examples double as tests (each "after" is run by the runtime check).
Phases run in catalogue order: text repairs (the code may not parse yet), then libcst rewrites.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from builder.fixes.base import Rewriter

Phase = Literal["text", "gl", "upgrade", "asset", "final", "description"]


@dataclass(frozen=True, slots=True)
class Example:
    """A before/after pair. `before_fails`: the runtime check fails on `before` (False for warnings)."""

    before: str
    after: str
    before_fails: bool = True


@dataclass(frozen=True, slots=True)
class Fix:
    """One repair. Text fixes map str -> str (None: not applicable); the rest are libcst transformers."""

    code: str
    name: str
    why: str
    phase: Phase
    examples: tuple[Example, ...]
    text: Callable[[str], str | None] | None = None
    transformer: Callable[[], Rewriter] | None = None
    records: tuple[str, ...] = ()  # labels recorded per row instead of the code (e.g. asset kinds)
    # Cheap pre-filter: the fix can only apply when the code contains one of these substrings (empty: always
    # run). It only skips work; every rewrite is still decided by the libcst transformer.
    triggers: tuple[str, ...] = ()
    # A sharper cheap pre-filter for fixes whose substrings occur in almost every program.
    precheck: Callable[[str], bool] | None = None

    def may_apply(self, code: str) -> bool:
        if self.triggers and not any(t in code for t in self.triggers):
            return False
        return self.precheck is None or self.precheck(code)

    @property
    def recorded(self) -> tuple[str, ...]:
        return self.records or (self.code,)


@cache
def all_fixes() -> tuple[Fix, ...]:
    """Every fix in application order (imports the fix modules lazily to keep imports acyclic)."""
    from builder.fixes import assets, collapsed, descriptions, gl_to_ce, syntax, upgrades

    fixes = (
        *collapsed.FIXES,
        *syntax.TEXT_FIXES,
        *gl_to_ce.FIXES,
        *upgrades.FIXES,
        *assets.FIXES,
        *syntax.FINAL_FIXES,
        *descriptions.FIXES,
    )
    codes = [f.code for f in fixes]
    if len(set(codes)) != len(codes):
        raise ValueError(f"duplicate fix codes: {codes}")
    return fixes


def with_triggers(fixes: tuple[Fix, ...], table: dict[str, tuple[str, ...]]) -> tuple[Fix, ...]:
    """Attach pre-filter substrings to fixes by code (kept next to each module's catalogue)."""
    return tuple(replace(f, triggers=table.get(f.code, f.triggers)) for f in fixes)


def fix_by_code(code: str) -> Fix:
    for fix in all_fixes():
        if fix.code == code:
            return fix
    raise KeyError(code)


def is_disabled(fix: Fix, disabled: Sequence[str]) -> bool:
    """A fix is off when its code starts with any entry ("UPG" or "UPG003"), or a label it records does."""
    names = (fix.code, *fix.records)
    return any(n.startswith(d) for d in disabled if d for n in names)


def count_fixes(rows_fixes: Iterable[Sequence[str]]) -> dict[str, int]:
    """Per-fix counts over rows (each row counts once per fix), sorted by code, for stats and the card."""
    counts: Counter[str] = Counter()
    for fixes in rows_fixes:
        counts.update(set(fixes))
    return dict(sorted(counts.items()))
