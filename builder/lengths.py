"""Length measures, difficulty buckets and the easy-to-hard curriculum order.

Difficulty is a length proxy: rows are bucketed by quantiles of one length measure so every bucket holds
about the same share of rows, whatever the corpus. The quantile fractions come from the build config, so
two builds of the same data give the same buckets. Model-token counts are optional (a local tokenizer file
loaded with `tokenizers`); the offline default is stdlib Python tokens.
"""

from __future__ import annotations

import ast
import io
import tokenize
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from builder import guard

if TYPE_CHECKING:
    from builder.schema import Record

# Tokens that only carry layout; they are not counted as "Python tokens".
_LAYOUT = {
    tokenize.ENCODING,
    tokenize.ENDMARKER,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
}

DEFAULT_LABELS = {
    1: ("short", "long"),
    2: ("easy", "medium", "hard"),
    3: ("easy", "medium", "hard", "expert"),
}

METRICS = ("n_chars", "n_lines", "n_tokens", "n_ast_nodes", "n_model_tokens")

TokenCounter = Callable[[str], int]


@dataclass(frozen=True, slots=True)
class LengthInfo:
    """Sizes of one program. `n_model_tokens` is None unless a tokenizer was configured."""

    n_chars: int
    n_lines: int
    n_tokens: int
    n_ast_nodes: int
    n_model_tokens: int | None = None

    def metric(self, name: str) -> int:
        value = getattr(self, name)
        if value is None:
            raise ValueError(f"length metric {name!r} was not measured (no tokenizer configured?)")
        return int(value)


def python_tokens(code: str) -> int:
    """Count non-layout tokens with stdlib `tokenize`; code that does not tokenize falls back to words."""
    try:
        toks = tokenize.generate_tokens(io.StringIO(code).readline)
        return sum(1 for tok in toks if tok.type not in _LAYOUT)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return len(code.split())


def ast_nodes(code: str) -> int:
    """Number of AST nodes; 0 when the code does not parse (such rows are excluded earlier anyway)."""
    try:
        tree = guard.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return 0
    return sum(1 for _ in ast.walk(tree))


def measure(code: str, count_model_tokens: TokenCounter | None = None) -> LengthInfo:
    """All length measures of `code`; model tokens only when a counter (see `load_token_counter`) is given."""
    return LengthInfo(
        n_chars=len(code),
        n_lines=len(code.splitlines()),
        n_tokens=python_tokens(code),
        n_ast_nodes=ast_nodes(code),
        n_model_tokens=count_model_tokens(code) if count_model_tokens is not None else None,
    )


def load_token_counter(path: str | Path) -> TokenCounter:
    """A model-token counter from a local `tokenizer.json` (or a folder holding one); never downloads.

    Needs the optional `tokenizers` package; a missing package or file is a clear error, not a crash later.
    """
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover - exercised only without the optional dependency
        raise RuntimeError("model-token counting needs the optional package 'tokenizers'") from exc
    file = Path(path)
    if file.is_dir():
        file = file / "tokenizer.json"
    if not file.is_file():
        raise FileNotFoundError(f"tokenizer file not found: {file}")
    tokenizer = Tokenizer.from_file(str(file))

    def count(code: str) -> int:
        return len(tokenizer.encode(code, add_special_tokens=False).ids)

    return count


def bucket_labels(n_edges: int, labels: Sequence[str] | None = None) -> tuple[str, ...]:
    """Labels for `n_edges` cut points (n_edges + 1 buckets): given ones, a named default, or q1..qN."""
    if labels is not None:
        if len(labels) != n_edges + 1:
            raise ValueError(f"{n_edges} quantile edges need {n_edges + 1} labels, got {len(labels)}")
        return tuple(labels)
    return DEFAULT_LABELS.get(n_edges, tuple(f"q{i + 1}" for i in range(n_edges + 1)))


def quantile_cuts(values: Sequence[float], edges: Sequence[float]) -> list[float]:
    """Cut points at the quantile fractions `edges` (strictly increasing, inside (0, 1)) of `values`.

    Uses the "lower" rule (a cut is always an observed value), which keeps buckets reproducible.
    """
    if any(not 0.0 < e < 1.0 for e in edges) or any(a >= b for a, b in zip(edges, edges[1:], strict=False)):
        raise ValueError(f"quantile edges must be strictly increasing fractions in (0, 1), got {list(edges)}")
    if not values:
        return []
    ordered = sorted(values)
    n = len(ordered)
    return [float(ordered[min(n - 1, int(e * (n - 1)))]) for e in edges]


def assign_buckets(values: Sequence[float], cuts: Sequence[float], labels: Sequence[str]) -> list[str]:
    """Bucket i holds values in (cuts[i-1], cuts[i]]; ties at a cut go to the easier bucket."""
    if len(labels) != len(cuts) + 1:
        raise ValueError(f"{len(cuts)} cuts need {len(cuts) + 1} labels, got {len(labels)}")
    return [labels[bisect_left(cuts, v)] for v in values]


def difficulty_buckets(
    values: Sequence[float], edges: Sequence[float], labels: Sequence[str] | None = None
) -> list[str]:
    """One difficulty label per value, from quantile `edges` of the same values (e.g. [0.33, 0.67])."""
    names = bucket_labels(len(edges), labels)
    if not values:
        return []
    return assign_buckets(values, quantile_cuts(values, edges), names)


def curriculum_key(rec: Record, metric: str = "n_tokens") -> tuple:
    """Sort key easy to hard: the metric, then the other sizes, then the id (a total, stable order)."""
    return (getattr(rec, metric), rec.n_ast_nodes, rec.n_chars, rec.n_lines, rec.id)


def curriculum_order(records: Sequence[Record], metric: str = "n_tokens") -> list[Record]:
    """Copies of `records` sorted easy to hard, each with `curriculum_rank` 0..n-1 set.

    The order does not depend on the input order: ties are broken by the other measures and finally the id.
    """
    if metric not in {"n_chars", "n_lines", "n_tokens", "n_ast_nodes"}:
        raise ValueError(f"unknown curriculum metric {metric!r}")
    ordered = sorted(records, key=lambda r: curriculum_key(r, metric))
    return [replace(rec, curriculum_rank=rank) for rank, rec in enumerate(ordered)]
