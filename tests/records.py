"""The one way tests build a `builder.schema.Record`.

Tests take it as the `make_record` fixture (tests/conftest.py returns this same function); module-level
helpers that run at import time or are imported by other test files (e.g. `test_card.sample_records`)
call it directly with `from records import make_record`.
"""

from __future__ import annotations

from itertools import count
from typing import Any

from builder import lengths
from builder.schema import Origin, Record

DEFAULT_CODE = "from manim import *\n\n\nclass Example(Scene):\n    def construct(self):\n        self.play(Create(Circle()))\n"

_serial = count(1)  # numbers records built without `n`, so their ids never collide within a test run


def make_record(
    code: str = DEFAULT_CODE, *, n: int | None = None, measure: bool = False, **fields: Any
) -> Record:
    """A Record with defaults for every required field; any Record field can be given as a keyword.

    `n` numbers the record: id `r{n:03d}` ("r001") and description `Row {n} draws shapes` unless given
    (without `n`, a process-wide counter supplies it). `measure=True` fills n_chars, n_lines, n_tokens
    and n_ast_nodes from `lengths.measure(code)` (explicit fields still win).
    """
    n = next(_serial) if n is None else n
    defaults: dict[str, Any] = dict(
        id=f"r{n:03d}",
        description=f"Row {n} draws shapes",
        code=code,
        source="s",
        origin=Origin(),
        license="mit",
        priority=50,
    )
    if measure:
        info = lengths.measure(code)
        defaults.update(
            n_chars=info.n_chars, n_lines=info.n_lines, n_tokens=info.n_tokens, n_ast_nodes=info.n_ast_nodes
        )
    return Record(**(defaults | fields))
