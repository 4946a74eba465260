"""The one record schema: typed records that flow through the pipeline and the matching `datasets.Features`.

Every stage reads and writes these dataclasses; `FEATURES` is derived from the same field list so the
parquet files, the dataset card and `manim_code_dataset.py` can never disagree about a column.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import datasets

SPLITS = ("train", "validation", "test")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a row came from, precise enough to find it again."""

    dataset: str = ""  # Hub dataset id, local file path, or repo URL
    revision: str | None = None  # pinned revision / commit
    path: str | None = None  # file inside the dataset or repo
    row: int | None = None  # row index inside that file
    class_name: str | None = None  # scene class the code defines
    line_start: int | None = None
    line_end: int | None = None


@dataclass(frozen=True, slots=True)
class Validation:
    """The deepest validation stage a row reached and its verdict there."""

    stage: str = "parse"  # parse | static | runtime | render
    status: str = "ok"  # ok | fail | skipped
    error_type: str | None = None
    error: str | None = None
    seconds: float | None = None
    n_play: int | None = None
    n_wait: int | None = None
    run_time: float | None = None
    n_mobjects: int | None = None


@dataclass(frozen=True, slots=True)
class RawRow:
    """One input row as a source yielded it, before any cleaning."""

    source: str
    locator: str  # stable within the source, e.g. "train/17" or "scenes/foo.py::Intro"
    description: Any
    code: Any
    origin: Origin
    license: str
    priority: int
    source_split: str | None = None
    description_source: str = "dataset"
    fixes: tuple[str, ...] = ()  # repairs the source itself made (e.g. repo inlining)
    excluded: str | None = None  # the source already knows this row is unusable, and why
    detail: str | None = None  # extra text for that exclusion


@dataclass(slots=True)
class Record:
    """A cleaned row; the exported columns are exactly these fields."""

    id: str
    description: str
    code: str
    source: str
    origin: Origin
    license: str
    priority: int
    alt_descriptions: list[str] = field(default_factory=list)
    description_source: str = "dataset"
    dialect: str = "unknown"
    fixes: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    validation: Validation = field(default_factory=Validation)
    source_split: str | None = None
    scene_class: str | None = None
    n_chars: int = 0
    n_lines: int = 0
    n_tokens: int = 0
    n_ast_nodes: int = 0
    n_model_tokens: int | None = None
    difficulty: str | None = None
    dedup_key: str = ""
    cluster_id: str = ""
    cluster_size: int = 1
    suspect_pair: bool = False
    split: str = "train"
    curriculum_rank: int | None = None
    release_status: str | None = None


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A row that did not make it, and why. `scope` is "all" or the one config that dropped it."""

    id: str
    source: str
    stage: str
    reason: str
    description: str | None
    code: str | None
    scope: str = "all"
    duplicate_of: str | None = None
    similarity: float | None = None
    detail: str | None = None


_ORIGIN = {
    "dataset": datasets.Value("string"),
    "revision": datasets.Value("string"),
    "path": datasets.Value("string"),
    "row": datasets.Value("int64"),
    "class_name": datasets.Value("string"),
    "line_start": datasets.Value("int64"),
    "line_end": datasets.Value("int64"),
}
_VALIDATION = {
    "stage": datasets.Value("string"),
    "status": datasets.Value("string"),
    "error_type": datasets.Value("string"),
    "error": datasets.Value("string"),
    "seconds": datasets.Value("float64"),
    "n_play": datasets.Value("int64"),
    "n_wait": datasets.Value("int64"),
    "run_time": datasets.Value("float64"),
    "n_mobjects": datasets.Value("int64"),
}
_MESSAGE = {"role": datasets.Value("string"), "content": datasets.Value("string")}

# Column order of the exported files, with a one-line meaning each (rendered into the card).
COLUMNS: dict[str, tuple[Any, str]] = {
    "id": (datasets.Value("string"), "stable hash of source and locator"),
    "description": (datasets.Value("string"), "the natural-language request"),
    "alt_descriptions": (datasets.List(datasets.Value("string")), "other descriptions of the same code"),
    "description_source": (datasets.Value("string"), "dataset, docstring, comment or name"),
    "code": (datasets.Value("string"), "the Manim program, no markdown fence"),
    "prompt": (datasets.Value("string"), "same as description (prompt/completion format)"),
    "completion": (datasets.Value("string"), "the code fenced exactly once as ```python"),
    "messages": (datasets.List(_MESSAGE), "chat format: user = description, assistant = fenced code"),
    "source": (datasets.Value("string"), "name of the source in the build's sources YAML"),
    "origin": (_ORIGIN, "dataset id or repo, revision, path, row, class name, line span"),
    "license": (datasets.Value("string"), "licence of the source (SPDX id where known)"),
    "dialect": (datasets.Value("string"), "ce, gl, gl-legacy, mixed or unknown"),
    "fixes": (datasets.List(datasets.Value("string")), "codes of the repairs applied to this row"),
    "requires": (datasets.List(datasets.Value("string")), "third-party modules the code imports"),
    "validation": (_VALIDATION, "deepest validation stage reached and its verdict"),
    "scene_class": (datasets.Value("string"), "the Scene subclass the program renders"),
    "n_chars": (datasets.Value("int64"), "characters of code"),
    "n_lines": (datasets.Value("int64"), "lines of code"),
    "n_tokens": (datasets.Value("int64"), "Python tokens of code (stdlib tokenize)"),
    "n_ast_nodes": (datasets.Value("int64"), "AST nodes of code"),
    "n_model_tokens": (datasets.Value("int64"), "tokens of the configured model tokenizer (null if none)"),
    "difficulty": (datasets.Value("string"), "length-quantile bucket"),
    "cluster_id": (datasets.Value("string"), "id of the duplicate cluster's survivor"),
    "cluster_size": (datasets.Value("int64"), "rows merged into this one"),
    "suspect_pair": (datasets.Value("bool"), "description looks unrelated to the code"),
    "split": (datasets.Value("string"), "train, validation or test"),
    "curriculum_rank": (datasets.Value("int64"), "position in the easy-to-hard order (curriculum config)"),
    "release_status": (datasets.Value("string"), "new, changed or unchanged against --against (else null)"),
}

FEATURES = datasets.Features({name: ftype for name, (ftype, _) in COLUMNS.items()})

EXCLUSION_FEATURES = datasets.Features(
    {
        "id": datasets.Value("string"),
        "source": datasets.Value("string"),
        "stage": datasets.Value("string"),
        "reason": datasets.Value("string"),
        "scope": datasets.Value("string"),
        "duplicate_of": datasets.Value("string"),
        "similarity": datasets.Value("float64"),
        "detail": datasets.Value("string"),
        "description": datasets.Value("string"),
        "code": datasets.Value("string"),
    }
)


def fence(code: str) -> str:
    """Wrap code in a markdown fence exactly once (the one export format)."""
    return f"```python\n{code}\n```"


def to_row(rec: Record) -> dict[str, Any]:
    """The exported dict of one record, in `COLUMNS` order."""
    completion = fence(rec.code)
    row = {
        "id": rec.id,
        "description": rec.description,
        "alt_descriptions": list(rec.alt_descriptions),
        "description_source": rec.description_source,
        "code": rec.code,
        "prompt": rec.description,
        "completion": completion,
        "messages": [
            {"role": "user", "content": rec.description},
            {"role": "assistant", "content": completion},
        ],
        "source": rec.source,
        "origin": asdict(rec.origin),
        "license": rec.license,
        "dialect": rec.dialect,
        "fixes": list(rec.fixes),
        "requires": list(rec.requires),
        "validation": asdict(rec.validation),
        "scene_class": rec.scene_class,
        "n_chars": rec.n_chars,
        "n_lines": rec.n_lines,
        "n_tokens": rec.n_tokens,
        "n_ast_nodes": rec.n_ast_nodes,
        "n_model_tokens": rec.n_model_tokens,
        "difficulty": rec.difficulty,
        "cluster_id": rec.cluster_id,
        "cluster_size": rec.cluster_size,
        "suspect_pair": rec.suspect_pair,
        "split": rec.split,
        "curriculum_rank": rec.curriculum_rank,
        "release_status": rec.release_status,
    }
    assert list(row) == list(COLUMNS)
    return row


def valid_utf8(value: Any) -> Any:
    """Strings that parquet can hold: an excluded row may carry a lone surrogate (that may be why it
    was excluded); it is kept with U+FFFD in its place."""
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # pairs of surrogates become their character, lone ones U+FFFD
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


MAX_DETAIL_CHARS = 300  # nothing a scene prints or raises leaves the sandbox longer than this


def _detail(text: str | None) -> str | None:
    if text is None:
        return None
    line = " ".join(valid_utf8(text).split())
    return line if len(line) <= MAX_DETAIL_CHARS else line[: MAX_DETAIL_CHARS - 1] + "…"


def exclusion_row(exc: Exclusion) -> dict[str, Any]:
    row = {name: valid_utf8(getattr(exc, name)) for name in EXCLUSION_FEATURES}
    row["detail"] = _detail(exc.detail)
    return row
