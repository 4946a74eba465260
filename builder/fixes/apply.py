"""`repair_code`: run every enabled fix in catalogue order and report what changed, per row.

Order: text repairs (collapsed code, stray lines, tabs) on code that may not parse; then one parse;
dialect detection; GL -> CE conversion (GL rows only); CE upgrades; asset placeholders; final
touches. A transformer that fails on odd input is skipped, never fatal. The outcome says which fixes
applied, the detected dialect with its evidence, and an exclusion reason when the row cannot be used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import libcst as cst

from builder.fixes.assets import missing_data_file
from builder.fixes.catalogue import all_fixes
from builder.fixes.dialect import GL_ONLY_NAMES, detect
from builder.fixes.rewriters import defined_names
from builder.fixes.types import CODE_PHASES, Fix, is_disabled
from builder.guard import parse_cst

_GL_DIALECTS = ("gl", "gl-legacy", "mixed")


@dataclass(frozen=True, slots=True)
class FixOutcome:
    code: str
    fixes: tuple[str, ...]
    dialect: str
    dialect_evidence: tuple[str, ...]
    excluded: str | None


@dataclass(frozen=True, slots=True)
class _Step:
    code: str
    labels: tuple[str, ...]
    excluded: str | None = None


def apply_fix(fix: Fix, code: str) -> _Step:
    """Apply one fix to source text (used by `repair_code` and by each fix's example tests)."""
    if fix.text is not None:
        new = fix.text(code)
        if new is None or new == code:
            return _Step(code, ())
        return _Step(new, (fix.code,))
    module = parse_cst(code)
    new_module, labels, excluded = _transform(fix, module)
    return _Step(new_module.code, labels, excluded)


def _transform(fix: Fix, module: cst.Module) -> tuple[cst.Module, tuple[str, ...], str | None]:
    assert fix.transformer is not None
    rewriter = fix.transformer()
    try:
        if rewriter.get_inherited_dependencies():  # scope-aware fixes read libcst metadata
            new = cst.MetadataWrapper(module).visit(rewriter)
        else:
            new = module.visit(rewriter)
    except Exception:  # noqa: BLE001 - a fix that cannot handle odd input is skipped, not fatal
        return module, (), None
    if rewriter.excluded:
        return module, (), rewriter.excluded
    if not rewriter.labels:
        return module, (), None
    labels = tuple(dict.fromkeys(lbl or fix.code for lbl in rewriter.labels))
    return new, labels, None


def repair_code(code: Any, *, disabled: Sequence[str] = ()) -> FixOutcome:
    """Repair one row's code (already out of its markdown fence). `disabled`: fix codes or prefixes."""
    text = code if isinstance(code, str) else ""
    enabled = [f for f in all_fixes() if f.phase in CODE_PHASES and not is_disabled(f, disabled)]
    applied: list[str] = []
    for fix in (f for f in enabled if f.phase == "text" and f.may_apply(text)):
        step = apply_fix(fix, text)
        text, applied = step.code, applied + list(step.labels)
    try:
        module = parse_cst(text)
    except (cst.ParserSyntaxError, ValueError):  # TooDeep is a ValueError
        return FixOutcome(text, tuple(applied), "unknown", ("unparsable",), None)
    dialect = detect(module)
    excluded: str | None = None
    for fix in enabled:
        if fix.phase == "text" or (fix.phase == "gl" and dialect.name not in _GL_DIALECTS):
            continue
        if not fix.may_apply(text):
            continue
        module, labels, why = _transform(fix, module)
        if labels:
            text = module.code
        applied += labels
        excluded = excluded or why
    if dialect.name in _GL_DIALECTS and excluded is None:
        excluded = _still_gl(module)
    if excluded is None and missing_data_file(module):
        excluded = "asset:missing-data-file"
    return FixOutcome(module.code, tuple(dict.fromkeys(applied)), dialect.name, dialect.evidence, excluded)


def _still_gl(module: cst.Module) -> str | None:
    """`dialect:gl` when conversion left GL imports or GL-only names (the program does not define itself)."""
    after = detect(module)
    left = {e.split(":", 1)[1] for e in after.evidence if e.startswith("gl-name:")} - defined_names(module)
    gl_import = any(
        e.startswith("import:manimlib") or e.startswith("import:manim_imports_ext") for e in after.evidence
    )
    if gl_import or left & GL_ONLY_NAMES or any(n.startswith("self.") for n in left):
        return "dialect:gl"
    return None
