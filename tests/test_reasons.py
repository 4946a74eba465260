"""The exclusion reasons are one documented vocabulary: the runner refuses others, and the docs table
is generated from it."""

from __future__ import annotations

import pytest

from builder import reasons


@pytest.mark.parametrize(
    "reason",
    [
        "duplicate:exact",
        "runtime:NameError",
        "static:tamper:os.write",
        "runtime:missing-package:scipy",
        "outside-repo:data/secret.txt",
        "crash:clean",
        "timeout:static",
        "description-invalid-unicode",
        "fix-disabled:INL004",
    ],
)
def test_reasons_the_stages_emit_are_known(reason):
    assert reasons.is_known(reason)


@pytest.mark.parametrize("reason", ["", "made-up", "duplicate", "Duplicate:exact"])
def test_anything_else_is_refused(reason):
    with pytest.raises(ValueError, match="not in builder/reasons.py"):
        reasons.check(reason)


def test_docs_table_is_current():
    assert reasons.DOC_PATH.read_text(encoding="utf-8") == reasons.render(), "run: python -m builder.reasons"
