"""The build's global stages, in the order data flows (each a thin adapter over its own module):

clean and fix -> measure -> overlap -> static checks -> exact dedup -> runtime check -> split clusters
-> splits -> decontamination -> difficulty -> `--against`. Per-config stages are in config_stages.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from tqdm import tqdm

from builder import lengths
from builder.captions.describe import describe
from builder.clean import CleanSettings, clean_row, failed_row
from builder.dedup import descriptions
from builder.dedup.against import compare, load_previous, resolve_previous
from builder.dedup.decontaminate import decontaminate
from builder.dedup.exact import merge_exact
from builder.dedup.minhash import DEFAULT_PARAMS
from builder.dedup.near import split_clusters
from builder.dedup.overlap import overlap_matrix
from builder.dedup.signatures import SignatureIndex
from builder.executors import executor_for
from builder.isolated import Failed
from builder.pipeline.stage import Context, StageResult
from builder.schema import STAGES, RawRow, Record, Validation
from builder.splits import assign_splits
from builder.validate.funnel import FunnelStats, ValidationSettings, validate_records
from builder.validate.static import StaticReport, static_check


def deepest_stage(ctx: Context) -> str:
    """The deepest validation stage any config requires."""
    return STAGES[max(STAGES.index(c.validation_stage) for c in ctx.configs)]


def near_threshold(ctx: Context) -> float | None:
    """The lowest near-dup threshold any config uses (clusters for splits and overlap use it)."""
    return min((c.near_dup_threshold for c in ctx.configs if c.near_dup_threshold is not None), default=None)


def signature_index(ctx: Context) -> SignatureIndex:
    """The build's one signature index (one MinHash per distinct program text)."""
    return ctx.shared.setdefault("signatures", SignatureIndex(DEFAULT_PARAMS))


@dataclass(frozen=True)
class Clean:
    """Sources -> records: every raw row cleaned and repaired in isolated workers (the entry stage)."""

    streams: list[tuple[Any, Iterator[RawRow]]]
    name: str = "clean"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        settings = ctx.settings
        clean_settings = CleanSettings(
            max_code_chars=settings.max_code_chars,
            max_ast_nodes=settings.max_ast_nodes,
            min_description_chars=settings.min_description_chars,
            disabled_fixes=tuple(settings.disabled_fixes),
            strip_patterns={spec.name: spec.strip_description for spec, _ in self.streams},
        )
        rows_in: Counter = ctx.shared.setdefault("rows_in", Counter())

        def counted() -> Iterator[RawRow]:
            for spec, stream in self.streams:
                for raw in stream:
                    rows_in[spec.name] += 1
                    yield raw

        work = partial(clean_row, settings=clean_settings)
        results = executor_for(ctx).map(work, counted(), timeout_s=settings.row_timeout_s, batch=64)
        kept, excluded = [], []
        progress = tqdm(
            results, desc="clean", unit="row", disable=None if ctx.request.progress else True, leave=False
        )
        for result in progress:
            if isinstance(result, Failed):
                result = failed_row(result.item, "clean", result.kind, result.detail)
            (kept if isinstance(result, Record) else excluded).append(result)
        dialects: dict[str, Counter] = ctx.shared.setdefault("dialects", {})
        for rec in kept:  # the dialect each cleaned row was written in, before conversion (per-source funnel)
            dialects.setdefault(rec.source, Counter())[rec.dialect] += 1
        return StageResult(kept, excluded=excluded, rows_in=sum(rows_in.values()))


@dataclass(frozen=True)
class Measure:
    name: str = "measure"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        tokenizer = ctx.settings.tokenizer
        counter = lengths.load_token_counter(tokenizer) if tokenizer else None
        out = []
        for rec in records:
            info = lengths.measure(rec.code, counter)
            out.append(
                replace(
                    rec,
                    n_chars=info.n_chars,
                    n_lines=info.n_lines,
                    n_tokens=info.n_tokens,
                    n_ast_nodes=info.n_ast_nodes,
                    n_model_tokens=info.n_model_tokens,
                )
            )
        return StageResult(out)


@dataclass(frozen=True)
class Overlap:
    """Cross-source overlap before any row is dropped (stats and the card's heatmap)."""

    name: str = "overlap"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        matrix = overlap_matrix(records, near_threshold=near_threshold(ctx), index=signature_index(ctx))
        ctx.shared["overlap"] = matrix
        return StageResult(records, stats=matrix.to_stats())


@dataclass(frozen=True)
class StaticCheck:
    """Static verdict and `requires` per row; one check per distinct program, in isolated workers."""

    name: str = "static"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        first: dict[str, str] = {}
        for rec in records:
            first.setdefault(rec.dedup_key, rec.code)
        keys = sorted(first)
        checked = executor_for(ctx).map(
            static_check, [first[k] for k in keys], timeout_s=ctx.settings.row_timeout_s
        )
        reports: dict[str, StaticReport] = {}
        for key, report in zip(keys, checked, strict=True):
            reports[key] = (
                report
                if isinstance(report, StaticReport)
                else StaticReport(False, report.kind, report.detail)
            )
        ctx.shared["static"] = reports  # the runtime stage reuses them
        out = []
        for rec in records:
            report = reports[rec.dedup_key]
            verdict = Validation(
                stage="static",
                status="ok" if report.ok else "fail",
                error_type=None if report.ok else report.error_type,
                error=report.message,
            )
            out.append(replace(rec, validation=verdict, requires=list(report.requires)))
        return StageResult(out, passed=sum(r.validation.status == "ok" for r in out))


@dataclass(frozen=True)
class ExactDedup:
    name: str = "dedup"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        survivors, dropped = merge_exact(records)
        stats = {
            "groups": len(survivors),
            "removed": len(dropped),
            "merged_descriptions": sum(len(r.alt_descriptions) for r in survivors),
        }
        return StageResult(survivors, dropped, stats)


@dataclass(frozen=True)
class RuntimeCheck:
    """Runtime (or render) verdicts for the rows that passed static, in the sandbox, cached on disk.

    `seconds` is left out of the row: it varies run to run, and rows must be byte-identical across
    builds (the cache keeps the timings).
    """

    stage: str = "runtime"
    name: str = "runtime"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        todo = {
            r.id: r.code for r in records if r.validation.stage == "static" and r.validation.status == "ok"
        }
        static = ctx.shared.get("static", {})
        known = {r.id: static[r.dedup_key] for r in records if r.id in todo and r.dedup_key in static}
        settings = ValidationSettings(
            stage=self.stage,
            jobs=ctx.request.jobs,
            cache_dir=ctx.cache_dir / "validate",
            sandbox=not ctx.request.unsafe_no_sandbox,
            timeout_s=ctx.settings.validation_timeout_s,
            executor=executor_for(ctx),
        )
        stats = FunnelStats()
        verdicts = validate_records(sorted(todo.items()), settings, stats, known) if todo else {}
        ctx.shared["validation_run"] = stats
        out = []
        passed: dict[str, Counter] = ctx.shared.setdefault("validated", {})
        for rec in records:
            if rec.id in verdicts:
                verdict, trace = verdicts[rec.id]
                rec = replace(rec, validation=replace(verdict, seconds=None), trace=trace)
            out.append(rec)
            counts = passed.setdefault(rec.source, Counter())  # per-source funnel
            counts["static_ok"] += rec.validation.stage != "static" or rec.validation.status == "ok"
            counts["runtime_ok"] += rec.validation.stage != "static" and rec.validation.status == "ok"
        return StageResult(out, passed=sum(r.validation.status == "ok" for r in out))


@dataclass(frozen=True)
class Describe:
    """Descriptions for rows whose own text is not a request (class names, stubs, none), from the trace:
    the LLM when `describe` asks for it and an endpoint is set, else the synthesiser (builder/captions/)."""

    name: str = "describe"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        settings = ctx.settings
        mode = ctx.request.describe or settings.describe
        base_url = ctx.request.llm_base_url or settings.llm_base_url
        model = ctx.request.llm_model or settings.llm_model
        llm = None
        if mode != "never" and base_url and model:
            from builder.captions.llm import LLMSettings

            llm = LLMSettings(
                base_url=base_url,
                model=model,
                api_key_env=settings.llm_api_key_env,
                max_concurrency=settings.llm_max_concurrency,
                config_dir=ctx.request.config_dir,
            )
        ask = None
        if llm is not None:
            from builder.captions.llm import spread

            executor = executor_for(ctx)
            ask = spread(executor.fan_out, executor.parts())
        report = describe(
            records,
            mode=mode,
            min_chars=settings.min_description_chars,
            llm=llm,
            cache_dir=ctx.cache_dir,
            ask=ask,
        )
        if report.run:
            ctx.shared["describe_run"] = report.run
        return StageResult(report.kept, report.dropped, report.stats)


@dataclass(frozen=True)
class SplitClusters:
    """Suspect pairs flagged; near-dup clusters at the lowest threshold any config uses, so a cluster
    (and every copy of a test row) lands in one split in every config. No row is dropped here."""

    name: str = "split-clusters"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        records, suspects = descriptions.flag_suspects(records)
        stats: dict[str, Any] = {"suspect_pairs": len(suspects), "minhash": DEFAULT_PARAMS.describe()}
        threshold = near_threshold(ctx)
        if threshold is None:
            return StageResult(records, stats=stats)
        clusters, stats["split_clusters"] = split_clusters(records, threshold, signature_index(ctx))
        pinned = {clusters[r.id][0] for r in records if (r.pinned_split or r.source_split) == "test"}
        out = []
        for rec in records:
            cid, size = clusters[rec.id]
            out.append(
                replace(
                    rec,
                    cluster_id=cid,
                    cluster_size=size if cid == rec.id else rec.cluster_size,
                    pinned_split="test" if cid in pinned else rec.pinned_split,
                )
            )
        return StageResult(out, stats=stats)


@dataclass(frozen=True)
class AssignSplits:
    name: str = "splits"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        return StageResult(assign_splits(records, ctx.settings.split_fractions, ctx.settings.seed))


@dataclass(frozen=True)
class Decontaminate:
    name: str = "decontaminate"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        result = decontaminate(records, ctx.settings.decontamination_threshold, signature_index(ctx))
        return StageResult(result.kept, result.dropped, result.stats)


@dataclass(frozen=True)
class Difficulty:
    """Difficulty = length-quantile bucket, computed over all rows so every config agrees."""

    name: str = "difficulty"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        settings = ctx.settings
        values = [getattr(r, settings.difficulty_metric) for r in records]
        labels = lengths.difficulty_buckets(values, settings.difficulty_edges, settings.difficulty_labels)
        return StageResult([replace(r, difficulty=label) for r, label in zip(records, labels, strict=True)])


@dataclass(frozen=True)
class Against:
    """`release_status` of every row relative to an earlier build (`--against`)."""

    previous: str
    name: str = "against"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        rows = load_previous(resolve_previous(self.previous, ctx.cache_dir / "against"))
        report = compare(records, rows, ctx.settings.against_near_threshold, signature_index(ctx))
        out = [replace(r, release_status=report.status[r.id]) for r in records]
        return StageResult(out, stats={"previous": self.previous, **report.stats})


def global_stages(ctx: Context, streams: list) -> list:
    """The declared list of global stages for this build."""
    deepest = deepest_stage(ctx)
    stages: list = [Clean(streams), Measure(), Overlap()]
    if STAGES.index(deepest) >= STAGES.index("static"):
        stages.append(StaticCheck())
    stages.append(ExactDedup())
    if STAGES.index(deepest) >= STAGES.index("runtime"):
        stages.append(RuntimeCheck(stage=deepest))
    stages += [Describe(), SplitClusters(), AssignSplits(), Decontaminate(), Difficulty()]
    if ctx.request.against is not None:
        stages.append(Against(str(ctx.request.against)))
    return stages
