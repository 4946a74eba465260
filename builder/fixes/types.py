"""The catalogue's types: `Fix`, `Example`, `Phase`, the disabling rule, and helpers to write examples.

Like ruff's rule catalogue: every repair has a stable code, a name, a one-paragraph "why" and
before/after examples that double as its tests. This is the bottom module of `builder.fixes`: the
theme modules import it (and the shared rewriters); only `catalogue` gathers them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from builder.fixes.base import Rewriter

Phase = Literal["inline", "extract", "text", "gl", "upgrade", "asset", "final", "description"]

# Where each phase runs, in build order (fixes run phase by phase, by code within a phase).
PHASES: dict[Phase, str] = {
    "inline": "inlining a repository scene (builder/repos/inline.py)",
    "extract": "taking the code out of its field (builder/fences.py)",
    "text": "before parsing",
    "gl": "ManimGL -> CE (GL rows only)",
    "upgrade": "CE API upgrade",
    "asset": "asset placeholder",
    "final": "final touch",
    "description": "description cleanup",
}
# The phases `repair_code` runs; their examples are programs that the runtime check runs.
CODE_PHASES: tuple[Phase, ...] = ("text", "gl", "upgrade", "asset", "final")
# Phases whose examples are prose: the repair needs a whole repository, so no runnable example exists.
PROSE_PHASES: tuple[Phase, ...] = ("inline",)


@dataclass(frozen=True, slots=True)
class Example:
    """A before/after pair. `before_fails`: the build's validation fails on `before` (False for warnings)."""

    before: str
    after: str
    before_fails: bool = True


@dataclass(frozen=True, slots=True)
class Fix:
    """One repair. Text fixes map str -> str (None: not applicable); code fixes are libcst transformers.

    Fixes of the `inline`, `extract` and `description` phases carry neither: they are implemented by
    the stage named in `PHASES`, which records their codes.
    """

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
    # Free names the fix defines or renames away (beyond the identifiers among `triggers`): the repo
    # extractor carries such a name instead of rejecting the scene, so the fix gets its chance.
    supplies: tuple[str, ...] = ()

    def may_apply(self, code: str) -> bool:
        if self.triggers and not any(t in code for t in self.triggers):
            return False
        return self.precheck is None or self.precheck(code)

    @property
    def supplied(self) -> frozenset[str]:
        return frozenset(self.supplies) | {t for t in self.triggers if t.isidentifier()}

    @property
    def recorded(self) -> tuple[str, ...]:
        return self.records or (self.code,)


def code_disabled(label: str, disabled: Sequence[str]) -> bool:
    """A code or label is off when it starts with any entry of `disabled` ("UPG" or "UPG003")."""
    return any(label.startswith(d) for d in disabled if d)


def is_disabled(fix: Fix, disabled: Sequence[str]) -> bool:
    """A fix is off when its code starts with any entry ("UPG" or "UPG003"), or a label it records does."""
    return any(code_disabled(n, disabled) for n in (fix.code, *fix.records))


# --- helpers for writing examples ---------------------------------------------------------------------


def scene(body: str, *, base: str = "Scene", head: str = "", imp: str = "from manim import *") -> str:
    """A one-scene program around `body` (lines of `construct`, 8-space indented in the output)."""
    lines = "\n".join("        " + ln if ln else "" for ln in body.strip("\n").splitlines())
    return f"{imp}\n{head}\n\nclass Demo({base}):\n    def construct(self):\n{lines}\n"


def example(
    before: str, after: str, *, base: str = "Scene", head: str = "", after_head: str | None = None
) -> Example:
    """An example whose before and after are both `scene(...)` programs (`after_head`: a new import)."""
    return Example(
        scene(before, base=base, head=head),
        scene(after, base=base, head=head if after_head is None else after_head),
    )
