"""Which rows need a description, and writing it: the LLM when asked and reachable, else the synthesiser.

A row needs one when its text is not a request a person wrote: none at all, a class name split into
words, or a docstring or comment too short to say what the scene does. The weak text is kept in
`context`. A row that needs a description and did not run (so has no trace to describe) is excluded as
`missing-description`; a row that runs is never dropped for its description.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from builder.captions.synthesize import SOURCE as SYNTHESIZED
from builder.captions.synthesize import synthesize
from builder.schema import Drop, Record, Trace

MODES = ("never", "missing", "always")  # when to ask the LLM (the synthesiser needs no asking)
MIN_DOC_WORDS = 4  # a docstring or comment shorter than this names the scene, it does not describe it


def needs_description(rec: Record, min_chars: int) -> bool:
    """Is the row's description missing or weak (a name, a stub docstring)?"""
    text = rec.description.strip()
    if rec.description_source in ("name", "missing") or len(text) < min_chars:
        return True
    if rec.description_source in ("docstring", "comment"):
        return len(text.split()) < MIN_DOC_WORDS
    return False


@dataclass
class DescribeReport:
    kept: list[Record]
    dropped: list[Drop]
    stats: dict[str, Any] = field(default_factory=dict)  # the same for a fresh and a cached build
    run: dict[str, Any] = field(default_factory=dict)  # what this run spent (calls, cache hits)


def _trace_dict(trace: Trace) -> dict[str, Any]:
    return {
        "mobjects": trace.mobjects,
        "animations": trace.animations,
        "texts": trace.texts,
        "colours": trace.colours,
        "camera": trace.camera,
        "n_animations": trace.n_animations,
        "run_time": trace.run_time,
    }


def describe(
    records: list[Record],
    *,
    mode: str,
    min_chars: int,
    llm: Any | None = None,
    cache_dir: Path | None = None,
    ask: Any | None = None,
) -> DescribeReport:
    """Rows with descriptions where they need one. `llm` is an `LLMSettings` (None: synthesiser only);
    `ask` makes the calls the caption cache cannot answer (builder.captions.llm.spread for an executor)."""
    if mode not in MODES:
        raise ValueError(f"describe mode must be one of {MODES}, got {mode!r}")
    weak = {r.id for r in records if needs_description(r, min_chars)}
    traced = {r.id for r in records if r.trace is not None and r.validation.status == "ok"}
    asked = sorted(i for i in traced if mode == "always" or (mode == "missing" and i in weak)) if llm else []
    captions = _caption(records, asked, llm, cache_dir, ask) if asked else {}
    kept: list[Record] = []
    dropped: list[Drop] = []
    counts: Counter[str] = Counter()
    fallbacks: Counter[str] = Counter()
    for rec in records:
        if rec.id not in weak and rec.id not in captions:
            kept.append(rec)
            continue
        if rec.id not in traced:
            detail = rec.validation.error or f"did not run ({rec.validation.stage} {rec.validation.status})"
            dropped.append(Drop(rec.id, "missing-description", detail))
            continue
        result = captions.get(rec.id)
        context = (rec.context or rec.description.strip() or None) if rec.id in weak else rec.context
        if result is not None and result.text:
            text, source = result.text, result.source
        else:
            if result is not None:
                fallbacks[result.reason or "llm-failed"] += 1
            if rec.id not in weak:  # --describe always: the row's own description stands when the LLM fails
                kept.append(rec)
                continue
            text, source = synthesize(rec.trace, rec.code, rec.scene_class), SYNTHESIZED
        alts = rec.alt_descriptions if rec.id in weak else [rec.description, *rec.alt_descriptions]
        counts[source] += 1
        kept.append(
            replace(rec, description=text, description_source=source, context=context, alt_descriptions=alts)
        )
    stats: dict[str, Any] = {"mode": mode, "written": dict(sorted(counts.items()))}
    run: dict[str, Any] = {}
    if llm is not None:
        stats["llm"], run = _llm_stats(llm, captions, fallbacks)
    return DescribeReport(kept, dropped, stats, run)


def _caption(
    records: list[Record], ids: list[str], llm: Any, cache_dir: Path | None, ask: Any | None
) -> dict[str, Any]:
    from builder.captions.llm import CaptionRequest, caption

    by_id = {r.id: r for r in records}
    requests = [
        CaptionRequest(
            key=i,
            code=by_id[i].code,
            trace=_trace_dict(by_id[i].trace),
            context=by_id[i].context or by_id[i].description,
        )
        for i in ids
    ]
    results = caption(requests, llm, (cache_dir or Path(".cache/manim-dataset")) / "describe", ask)
    return {r.key: r for r in results}


def _llm_stats(
    llm: Any, captions: dict[str, Any], fallbacks: Counter[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(stats, run): stats count what the captions in this build took (a cached caption counts what it
    took when it was asked, so a rebuild reports the same), run what this process spent."""
    results = list(captions.values())
    stats = {
        "model": llm.model,
        "base_url": llm.base_url,
        "requested": len(results),
        "captioned": sum(1 for r in results if r.text),
        "calls": sum(r.cost.calls for r in results),
        "prompt_tokens": sum(r.cost.prompt_tokens for r in results),
        "completion_tokens": sum(r.cost.completion_tokens for r in results),
        "fallbacks": dict(sorted(fallbacks.items())),
    }
    run = {
        "cached": sum(1 for r in results if r.cached),
        "calls": sum(r.calls for r in results),
        "prompt_tokens": sum(r.prompt_tokens for r in results),
        "completion_tokens": sum(r.completion_tokens for r in results),
    }
    return stats, run
