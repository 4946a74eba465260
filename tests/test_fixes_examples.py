"""Every fix's before/after examples: the fix alone turns `before` into `after`, and the runtime check
(manim 0.22, dry run) fails on `before` and passes on `after`."""

from __future__ import annotations

import pytest

from builder.fixes.apply import apply_fix, repair_code
from builder.fixes.descriptions import THANHKT_WRAPPER, clean_description
from builder.fixes.probe import run_programs
from builder.fixes.registry import Fix, all_fixes

CODE_FIXES = [f for f in all_fixes() if f.phase != "description"]
# GL `Tex` -> `MathTex` must run exactly once: CE's `Tex` is a different class. repair_code runs it once.
NOT_IDEMPOTENT = {"GL002"}
CASES = [(f, i) for f in CODE_FIXES for i in range(len(f.examples))]


def _id(case: tuple[Fix, int]) -> str:
    return f"{case[0].code}-{case[1]}"


@pytest.fixture(scope="module")
def runtime() -> dict[str, bool]:
    """One warm manim process runs every before and after program (a forked child each)."""
    programs = sorted({c for f, i in CASES for c in (f.examples[i].before, f.examples[i].after)})
    return {code: res.ok for code, res in zip(programs, run_programs(programs), strict=True)}


def test_catalogue_is_complete_and_unique():
    codes = [f.code for f in all_fixes()]
    assert len(codes) == len(set(codes))
    for fix in all_fixes():
        assert fix.examples, fix.code
        assert fix.why and fix.name and fix.name == fix.name.lower()
        assert (fix.text is not None) + (fix.transformer is not None) == (
            0 if fix.phase == "description" else 1
        )


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_fix_turns_before_into_after(case):
    fix, i = case
    ex = fix.examples[i]
    step = apply_fix(fix, ex.before)
    assert step.code == ex.after
    assert step.labels and set(step.labels) <= set(fix.recorded)
    if fix.code not in NOT_IDEMPOTENT:
        assert apply_fix(fix, ex.after).labels == ()  # nothing left to fix


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_after_runs_and_before_fails(case, runtime):
    fix, i = case
    ex = fix.examples[i]
    assert runtime[ex.after], f"{fix.code}: fixed example does not run"
    if ex.before_fails:
        assert not runtime[ex.before], f"{fix.code}: example runs even without the fix"


@pytest.mark.parametrize("fix", [f for f in CODE_FIXES if f.phase not in ("gl",)], ids=lambda f: f.code)
def test_repair_code_applies_and_records_the_fix(fix):
    for ex in fix.examples:
        out = repair_code(ex.before)
        assert set(fix.recorded) & set(out.fixes), (fix.code, out.fixes)
        assert out.excluded is None


@pytest.mark.parametrize("fix", [f for f in all_fixes() if f.phase == "description"], ids=lambda f: f.code)
def test_description_examples(fix):
    for ex in fix.examples:
        text, codes = clean_description(ex.before, [THANHKT_WRAPPER])
        assert text == ex.after
        assert fix.code in codes
