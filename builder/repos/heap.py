"""Keeping the cyclic garbage collector off the parsed modules while a repo is extracted.

Why: extraction keeps every parsed module alive until the last scene is built (any scene may need any
module), millions of libcst nodes for a big repo. CPython's full collections walk every tracked object,
and a growing heap triggers one each time it grows by a quarter: on a 400,000-line repo that was 28 full
collections and 70 s, a quarter of the run. Parsed modules never become cyclic garbage while the index
holds them, so after each parse (`settle`) the garbage of the moment is collected and everything still
alive is moved to the permanent generation (`gc.freeze()`, constant time); later collections only look
at what was made since. Reference counting still frees frozen objects as usual. When extraction ends the
collector's state is restored (`gc.unfreeze()`); a process that froze objects itself or turned the
collector off is left alone.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_active = 0  # extractions in progress that manage the heap


def settle() -> None:
    """Collect the current garbage, then freeze what is alive (no-op outside `long_lived_modules`)."""
    if _active:
        gc.collect(1)  # the young generations: the older garbage of the moment is rare and small
        gc.freeze()


@contextmanager
def long_lived_modules() -> Iterator[None]:
    global _active
    if not _active and (gc.get_freeze_count() or not gc.isenabled()):
        yield  # someone else manages the collector here
        return
    _active += 1
    try:
        yield
    finally:
        _active -= 1
        if not _active:
            gc.unfreeze()


def managed(generator: Callable[P, Iterator[T]]) -> Callable[P, Iterator[T]]:
    """Run a generator function (an extraction) inside `long_lived_modules`."""

    @functools.wraps(generator)
    def run(*args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
        with long_lived_modules():
            yield from generator(*args, **kwargs)

    return run
