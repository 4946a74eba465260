"""Every fix's before/after examples, checked the way the build meets them.

Code fixes: the fix alone turns `before` into `after`, and the build's validation fails on `before`
and passes on `after`: its static check, then its runtime check (the sandboxed worker, manim 0.22). A
missing sound, for one, only fails the static check, since the runtime check skips sounds. Extraction fixes (EXT): `extract_code`
turns the raw field into the code, and does not when the fix is disabled. Description fixes:
`clean_description`. Inlining fixes (INL) need a whole repository: their examples are prose, checked
for shape only (the phase selects them; no test is skipped).
"""

from __future__ import annotations

import pytest
from test_fixes_runtime import run_programs

from builder.fences import extract_code
from builder.fixes.apply import apply_fix, repair_code
from builder.fixes.catalogue import all_fixes
from builder.fixes.descriptions import THANHKT_WRAPPER, clean_description
from builder.fixes.types import CODE_PHASES, PHASES, PROSE_PHASES, Fix
from builder.validate.static import static_check

CODE_FIXES = [f for f in all_fixes() if f.phase in CODE_PHASES]
EXT_FIXES = [f for f in all_fixes() if f.phase == "extract"]
PROSE_FIXES = [f for f in all_fixes() if f.phase in PROSE_PHASES]
# GL `Tex` -> `MathTex` must run exactly once: CE's `Tex` is a different class. repair_code runs it once.
NOT_IDEMPOTENT = {"GL002"}
CASES = [(f, i) for f in CODE_FIXES + EXT_FIXES for i in range(len(f.examples))]


def _id(case: tuple[Fix, int]) -> str:
    return f"{case[0].code}-{case[1]}"


@pytest.fixture(scope="module")
def validation(runtime_validator) -> dict[str, bool]:
    """Does each before and after program pass the static and the runtime check? The runtime check runs
    every program in one pass through the warm sandboxed worker."""
    programs = sorted({c for f, i in CASES for c in (f.examples[i].before, f.examples[i].after)})
    runs = run_programs(runtime_validator, programs)
    return {code: run.ok and static_check(code).ok for code, run in zip(programs, runs, strict=True)}


def test_catalogue_is_complete_and_unique():
    codes = [f.code for f in all_fixes()]
    assert len(codes) == len(set(codes))
    assert {f.phase for f in all_fixes()} == set(PHASES)
    for fix in all_fixes():
        assert fix.examples, fix.code
        assert fix.why and fix.name and fix.name == fix.name.lower()
        assert (fix.text is not None) + (fix.transformer is not None) == (fix.phase in CODE_PHASES)


@pytest.mark.parametrize("case", [c for c in CASES if c[0].phase in CODE_PHASES], ids=_id)
def test_fix_turns_before_into_after(case):
    fix, i = case
    ex = fix.examples[i]
    step = apply_fix(fix, ex.before)
    assert step.code == ex.after
    assert step.labels and set(step.labels) <= set(fix.recorded)
    if fix.code not in NOT_IDEMPOTENT:
        assert apply_fix(fix, ex.after).labels == ()  # nothing left to fix


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_after_passes_and_before_fails(case, validation):
    fix, i = case
    ex = fix.examples[i]
    assert validation[ex.after], f"{fix.code}: fixed example does not pass validation"
    if ex.before_fails:
        assert not validation[ex.before], f"{fix.code}: example passes even without the fix"


@pytest.mark.parametrize("fix", [f for f in CODE_FIXES if f.phase not in ("gl",)], ids=lambda f: f.code)
def test_repair_code_applies_and_records_the_fix(fix):
    for ex in fix.examples:
        out = repair_code(ex.before)
        assert set(fix.recorded) & set(out.fixes), (fix.code, out.fixes)
        assert out.excluded is None


@pytest.mark.parametrize("fix", EXT_FIXES, ids=lambda f: f.code)
def test_extraction_examples_and_disabling(fix):
    for ex in fix.examples:
        found = extract_code(ex.before)
        assert found.code == ex.after
        assert fix.code in found.fixes
        assert extract_code(ex.after).fixes == ()  # nothing left to repair
        off = extract_code(ex.before, disabled=[fix.code])
        assert fix.code not in off.fixes, off
        assert not [c for c in extract_code(ex.before, disabled=["EXT"]).fixes if c.startswith("EXT")]


@pytest.mark.parametrize("fix", [f for f in all_fixes() if f.phase == "description"], ids=lambda f: f.code)
def test_description_examples(fix):
    for ex in fix.examples:
        text, codes = clean_description(ex.before, [THANHKT_WRAPPER])
        assert text == ex.after
        assert fix.code in codes
        assert fix.code not in clean_description(ex.before, [THANHKT_WRAPPER], disabled=[fix.code])[1]


@pytest.mark.parametrize("fix", PROSE_FIXES, ids=lambda f: f.code)
def test_prose_examples_are_one_line_each(fix):
    for ex in fix.examples:
        assert ex.before and ex.after and "\n" not in ex.before + ex.after
