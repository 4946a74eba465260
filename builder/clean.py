"""Clean one raw row into a Record, or say why it cannot be one (an Exclusion).

Pure per-row function: the pipeline maps it over every source row, so every row ends either here as a
Record or in the exclusion log with a reason.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field

from builder.dedup.exact import exact_key
from builder.fences import extract_code, looks_like_code
from builder.fixes.apply import repair_code
from builder.fixes.descriptions import clean_description
from builder.fixes.types import code_disabled
from builder.guard import TooDeep, ast_shape, check_depth, parse_ast
from builder.scenes import SCENE_BASES, scene_classes
from builder.schema import MAX_DETAIL_CHARS, Exclusion, RawRow, Record


@dataclass(frozen=True)
class CleanSettings:
    """Knobs of the cleaning stage (from the build config)."""

    max_code_chars: int = 100_000
    max_ast_nodes: int = 40_000
    min_description_chars: int = 8
    disabled_fixes: tuple[str, ...] = ()
    strip_patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source -> regexes


def row_id(source: str, locator: str) -> str:
    """Stable id: the same source row gets the same id in every build."""
    return hashlib.sha256(f"{source}\x00{locator}".encode()).hexdigest()[:16]


def _text(value: object) -> tuple[str | None, str | None]:
    """A str from a cell, or the reason it is not one."""
    if value is None:
        return None, None
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8"), None
        except UnicodeDecodeError:
            return None, "non-utf8"
    if isinstance(value, str):
        return (value, None) if _is_utf8(value) else (None, "invalid-unicode")
    return None, f"invalid-type:{type(value).__name__}"


def _ast_nodes(code: str) -> int:
    """Syntax nodes of the extracted code (raises TooDeep); 0 when it does not parse yet (the repairs
    come first; the depth guard still protects every later parse)."""
    try:
        return ast_shape(parse_ast(code))[1]
    except TooDeep:
        raise
    except (SyntaxError, ValueError):
        return 0


def _is_utf8(text: str) -> bool:
    """False for strings parquet cannot hold (lone surrogates, e.g. from a JSON `\\ud800` escape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _exclude(
    raw: RawRow, rid: str, stage: str, reason: str, *, code: object = None, detail: str | None = None
):
    description = raw.description if isinstance(raw.description, str) else None
    code_text = code if isinstance(code, str) else raw.code if isinstance(raw.code, str) else None
    if code_text is not None and len(code_text) > 200_000:
        code_text = code_text[:200_000]
    return Exclusion(
        id=rid,
        source=raw.source,
        stage=stage,
        reason=reason,
        description=description,
        code=code_text,
        detail=detail,
    )


def failed_row(raw: RawRow, stage: str, kind: str, detail: str) -> Exclusion:
    """The exclusion for a row that crashed (`crash:<stage>`) or hung (`timeout:<stage>`) its worker."""
    return _exclude(raw, row_id(raw.source, raw.locator), stage, f"{kind}:{stage}", detail=detail)


def clean_row(raw: RawRow, settings: CleanSettings) -> Record | Exclusion:
    """Extract, repair and check one row; pathological input becomes an exclusion, never an exception."""
    rid = row_id(raw.source, raw.locator)
    try:
        return _clean_row(raw, rid, settings)
    except TooDeep as exc:
        return _exclude(raw, rid, "parse", TooDeep.reason, detail=str(exc))
    except (RecursionError, MemoryError) as exc:
        return _exclude(raw, rid, "clean", "crash:clean", detail=type(exc).__name__)


def _clean_row(raw: RawRow, rid: str, settings: CleanSettings) -> Record | Exclusion:
    if raw.excluded:
        return _exclude(raw, rid, "source", raw.excluded, detail=raw.detail)
    off = [code for code in raw.fixes if code_disabled(code, settings.disabled_fixes)]
    if off:  # the source could only make this program with a repair that is turned off
        return _exclude(raw, rid, "source", f"fix-disabled:{off[0]}")

    code_text, code_problem = _text(raw.code)
    if code_problem:
        return _exclude(raw, rid, "extract", code_problem)
    if code_text is not None and len(code_text) > settings.max_code_chars:
        return _exclude(raw, rid, "extract", "too-large", detail=f"{len(code_text)} characters")

    description, desc_problem = _text(raw.description)
    if desc_problem:
        return _exclude(raw, rid, "description", f"description-{desc_problem}")
    original = " ".join((description or "").split())[:MAX_DETAIL_CHARS] or None
    description, desc_fixes = clean_description(
        description or "", settings.strip_patterns.get(raw.source, ()), disabled=settings.disabled_fixes
    )
    description_source, context = raw.description_source, None
    if len(description) < settings.min_description_chars:  # the describe stage writes one if the code runs
        description, description_source, context = "", "missing", original

    check_depth(code_text or "")
    found = extract_code(code_text, disabled=settings.disabled_fixes)
    if found.code is None:
        return _exclude(raw, rid, "extract", found.reason or "no-code")
    check_depth(found.code)
    nodes = _ast_nodes(found.code)
    if nodes > settings.max_ast_nodes:  # a data dump, not a scene: libcst would take minutes on it
        return _exclude(raw, rid, "extract", "too-complex", detail=f"{nodes} syntax nodes")
    repaired = repair_code(found.code, disabled=settings.disabled_fixes)
    code = repaired.code
    if not code.strip():  # the repairs removed everything: it was prose, not code
        return _exclude(raw, rid, "fix", "no-code", code=found.code)
    if repaired.excluded:
        detail = ", ".join(repaired.dialect_evidence) or None
        return _exclude(raw, rid, "fix", repaired.excluded, code=code, detail=detail)
    try:
        tree = parse_ast(code)
    except SyntaxError as exc:
        reason = "syntax-error" if looks_like_code(code) else "no-code"
        return _exclude(raw, rid, "parse", reason, code=code, detail=f"line {exc.lineno}: {exc.msg}")
    except TooDeep:
        raise
    except ValueError as exc:  # e.g. null bytes
        return _exclude(raw, rid, "parse", "syntax-error", code=code, detail=str(exc))
    scenes = scene_classes(tree)
    if not scenes:
        scene_like = any(
            isinstance(n, ast.ClassDef)
            and any(getattr(b, "id", getattr(b, "attr", "")) in SCENE_BASES for b in n.bases)
            for n in tree.body
        )
        reason = "no-construct" if scene_like else "no-scene"
        return _exclude(raw, rid, "parse", reason, code=code)

    return Record(
        id=rid,
        description=description,
        code=code,
        source=raw.source,
        origin=raw.origin,
        license=raw.license,
        priority=raw.priority,
        description_source=description_source,
        context=context,
        fixes=sorted(set(raw.fixes) | set(found.fixes) | set(desc_fixes) | set(repaired.fixes)),
        dialect=repaired.dialect,
        source_split=raw.source_split,
        scene_class=scenes[0],
        n_chars=len(code),
        n_lines=code.count("\n") + 1,
        dedup_key=exact_key(code),
    )
