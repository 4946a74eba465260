"""The one record schema: typed records that flow through the pipeline, each exported column declared
once, as a field with its `datasets` feature and its meaning.

`FEATURES`, `EXCLUSION_FEATURES`, `to_row`, `exclusion_row` and the card's column table are all derived
from these declarations, so the parquet files, the dataset card and `manim_code_dataset.py` can never
disagree about a column. Fields marked `internal()` travel with a record but are not exported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, asdict, dataclass, field, fields, is_dataclass
from typing import Any

import datasets

SPLITS = ("train", "validation", "test")
STAGES = ("parse", "static", "runtime", "render")  # validation stages, cheapest first
MAX_DETAIL_CHARS = 300  # nothing a scene prints or raises leaves the sandbox longer than this

STRING, INT, FLOAT, BOOL = (datasets.Value(t) for t in ("string", "int64", "float64", "bool"))
STRINGS = datasets.List(STRING)


def column(feature: Any, doc: str, default: Any = MISSING, default_factory: Any = MISSING) -> Any:
    """A dataclass field that is exported, with its feature type and one-line meaning."""
    meta = {"feature": feature, "doc": doc}
    if default_factory is not MISSING:
        return field(default_factory=default_factory, metadata=meta)
    return field(default=default, metadata=meta)


def internal(default: Any = MISSING, default_factory: Any = MISSING) -> Any:
    """A dataclass field the pipeline needs that is not a column of the published rows."""
    if default_factory is not MISSING:
        return field(default_factory=default_factory, metadata={"internal": True})
    return field(default=default, metadata={"internal": True})


def struct(cls: type) -> dict[str, Any]:
    """The `datasets` struct feature of a dataclass whose fields are all `column`s."""
    return {f.name: f.metadata["feature"] for f in fields(cls)}


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a row came from, precise enough to find it again."""

    dataset: str = column(STRING, "Hub dataset id, local file path, or repo URL", "")
    revision: str | None = column(STRING, "pinned revision / commit", None)
    path: str | None = column(STRING, "file inside the dataset or repo", None)
    row: int | None = column(INT, "row index inside that file", None)
    class_name: str | None = column(STRING, "scene class the code defines", None)
    line_start: int | None = column(INT, "first line in that file", None)
    line_end: int | None = column(INT, "last line in that file", None)


@dataclass(frozen=True, slots=True)
class Validation:
    """The deepest validation stage a row reached and its verdict there."""

    stage: str = column(STRING, "parse | static | runtime | render", "parse")
    status: str = column(STRING, "ok | fail | skipped", "ok")
    error_type: str | None = column(STRING, "what failed (e.g. NameError, timeout, tamper:...)", None)
    error: str | None = column(STRING, "one line about the failure", None)
    seconds: float | None = column(FLOAT, "time taken (kept out of rows: it varies run to run)", None)
    n_play: int | None = column(INT, "play() calls", None)
    n_wait: int | None = column(INT, "wait() calls", None)
    run_time: float | None = column(FLOAT, "seconds of animation", None)
    n_mobjects: int | None = column(INT, "mobjects on screen at the end", None)


@dataclass(frozen=True, slots=True)
class SceneVerdict(Validation):
    """One scene's verdict: a Validation plus which scene (None: the program failed before scenes were
    known), for the render stage where its last frame was written, and the raw trace the worker sent
    (strict comma lists, see validate/protocol.py; `validate/trace.py` turns them into a `Trace`)."""

    scene: str | None = None
    png: str | None = None
    n_animations: int | None = None
    trace_mobjects: str | None = None
    trace_animations: str | None = None
    trace_texts: str | None = None
    trace_colours: str | None = None
    trace_camera: str | None = None


@dataclass(frozen=True, slots=True)
class Trace:
    """What a program's scenes showed when they ran (the runtime stage records it; descriptions use it)."""

    mobjects: list[str] = column(STRINGS, "mobject classes added, first seen first", default_factory=list)
    animations: list[str] = column(
        STRINGS, "animation classes played, in order (at most 64)", default_factory=list
    )
    texts: list[str] = column(
        STRINGS, "Text/Tex strings shown (only literals of the code)", default_factory=list
    )
    colours: list[str] = column(
        STRINGS, "colour names of what was shown (nearest named colour)", default_factory=list
    )
    camera: str = column(STRING, "2d, moving or 3d", "2d")
    n_animations: int = column(INT, "animations played", 0)
    run_time: float = column(FLOAT, "seconds of animation", 0.0)


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


@dataclass(slots=True, kw_only=True)
class Record:
    """A cleaned row. Its `column` fields, plus `DERIVED`, are the exported columns, in this order."""

    id: str = column(STRING, "stable hash of source and locator")
    description: str = column(STRING, "the natural-language request")
    alt_descriptions: list[str] = column(STRINGS, "other descriptions of the same code", default_factory=list)
    description_source: str = column(
        STRING, "dataset, docstring, comment, synthesized or llm:<model> (see the card)", "dataset"
    )
    context: str | None = column(
        STRING, "the weak original text a description was written over (class name, docstring)", None
    )
    agreement: float | None = column(
        FLOAT, "share of the description's content words the code uses (0-1; null: too few words)", None
    )
    code: str = column(STRING, "the Manim program, no markdown fence")
    source: str = column(STRING, "name of the source in the build's sources YAML")
    origin: Origin = column(struct(Origin), "dataset id or repo, revision, path, row, class name, line span")
    license: str = column(STRING, "licence of the source (SPDX id where known)")
    dialect: str = column(STRING, "ce, gl, gl-legacy, mixed or unknown", "unknown")
    fixes: list[str] = column(STRINGS, "codes of the repairs applied to this row", default_factory=list)
    requires: list[str] = column(STRINGS, "third-party modules the code imports", default_factory=list)
    validation: Validation = column(
        struct(Validation), "deepest validation stage reached and its verdict", default_factory=Validation
    )
    scene_class: str | None = column(STRING, "the Scene subclass the program renders", None)
    trace: Trace | None = column(struct(Trace), "what the scenes showed when run (null if not run)", None)
    n_chars: int = column(INT, "characters of code", 0)
    n_lines: int = column(INT, "lines of code", 0)
    n_tokens: int = column(INT, "Python tokens of code (stdlib tokenize)", 0)
    n_ast_nodes: int = column(INT, "AST nodes of code", 0)
    n_model_tokens: int | None = column(INT, "tokens of the configured model tokenizer (null if none)", None)
    difficulty: str | None = column(STRING, "length-quantile bucket", None)
    cluster_id: str = column(STRING, "id of the duplicate cluster's survivor", "")
    cluster_size: int = column(INT, "rows merged into this one", 1)
    suspect_pair: bool = column(BOOL, "description looks unrelated to the code", False)
    split: str = column(STRING, "train, validation or test", "train")
    curriculum_rank: int | None = column(INT, "position in the easy-to-hard order (curriculum config)", None)
    release_status: str | None = column(
        STRING, "new, changed or unchanged against --against (else null)", None
    )
    priority: int = internal()
    source_split: str | None = internal(None)  # the source's own split (a fact about the source)
    pinned_split: str | None = internal(None)  # test/validation forced by a copy in a source's test split
    dedup_key: str = internal("")


def fence(code: str) -> str:
    """Wrap code in a markdown fence exactly once (the one export format)."""
    return f"```python\n{code}\n```"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    feature: Any
    doc: str
    value: Callable[[Record], Any]


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return asdict(value)
    return list(value) if isinstance(value, list | tuple) else value


def _field_column(f: Any) -> Column:
    return Column(
        f.name, f.metadata["feature"], f.metadata["doc"], lambda rec, n=f.name: _plain(getattr(rec, n))
    )


_MESSAGE = {"role": STRING, "content": STRING}
DERIVED: dict[str, tuple[Column, ...]] = {  # column name -> columns that follow it
    "code": (
        Column("prompt", STRING, "same as description (prompt/completion format)", lambda r: r.description),
        Column("completion", STRING, "the code fenced exactly once as ```python", lambda r: fence(r.code)),
        Column(
            "messages",
            datasets.List(_MESSAGE),
            "chat format: user = description, assistant = fenced code",
            lambda r: [
                {"role": "user", "content": r.description},
                {"role": "assistant", "content": fence(r.code)},
            ],
        ),
    ),
}


def _columns() -> tuple[Column, ...]:
    out: list[Column] = []
    for f in fields(Record):
        if not f.metadata.get("internal"):
            out.append(_field_column(f))
            out.extend(DERIVED.get(f.name, ()))
    return tuple(out)


COLUMNS = _columns()
FEATURES = datasets.Features({c.name: c.feature for c in COLUMNS})


def to_row(rec: Record) -> dict[str, Any]:
    """The exported dict of one record, in `COLUMNS` order."""
    return {c.name: c.value(rec) for c in COLUMNS}


@dataclass(frozen=True, slots=True, kw_only=True)
class Exclusion:
    """A row that did not make it, and why. `scope` is "all" or the one config that dropped it."""

    id: str = column(STRING, "id the row would have had")
    source: str = column(STRING, "its source")
    stage: str = column(STRING, "the pipeline stage that dropped it")
    reason: str = column(STRING, "why (see docs/reasons.md)")
    scope: str = column(STRING, '"all", or the one config that dropped it', "all")
    duplicate_of: str | None = column(STRING, "the row it duplicates (dedup stages)", None)
    similarity: float | None = column(FLOAT, "Jaccard to that row", None)
    detail: str | None = column(STRING, f"one line, at most {MAX_DETAIL_CHARS} characters", None)
    description: str | None = column(STRING, "its original description", None)
    code: str | None = column(STRING, "its code as far as it got", None)


EXCLUSION_FEATURES = datasets.Features(struct(Exclusion))


@dataclass(frozen=True, slots=True)
class Drop:
    """A stage's verdict on one of its input records: leave out record `id`, and why. The pipeline's
    runner turns it into an `Exclusion` (it knows the record, the stage and the scope)."""

    id: str
    reason: str
    detail: str | None = None
    duplicate_of: str | None = None
    similarity: float | None = None
    stage: str | None = None  # the `stage` to record when it is not the stage's own (validation drops)


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


def one_line_detail(text: str | None) -> str | None:
    if text is None:
        return None
    line = " ".join(valid_utf8(text).split())
    return line if len(line) <= MAX_DETAIL_CHARS else line[: MAX_DETAIL_CHARS - 1] + "…"


def exclusion_row(exc: Exclusion) -> dict[str, Any]:
    row = {f.name: valid_utf8(getattr(exc, f.name)) for f in fields(Exclusion)}
    row["detail"] = one_line_detail(exc.detail)
    return row
