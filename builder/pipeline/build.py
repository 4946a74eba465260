"""The build: a declared list of global stages, the same per-config stages for each config, export."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder import export, lengths, plots
from builder.card import render_card
from builder.config import (
    CONFIG_NAMES,
    DatasetConfig,
    default_sources,
    load_build_settings,
    load_dataset_config,
)
from builder.dedup.overlap import write_heatmap
from builder.executors import executor_scope
from builder.pipeline.config_stages import by_split, config_stages
from builder.pipeline.report import build_stats
from builder.pipeline.stage import Context, Ledger, merge_scopes, run_stages
from builder.pipeline.stages import global_stages
from builder.request import BuildRequest, with_changes
from builder.schema import Exclusion, Record
from builder.sources import SourceSpec, load_sources, open_source


@dataclass
class BuildResult:
    """What a build produced: rows per config and split, every exclusion, and the stats written."""

    out_dir: Path | None
    configs: dict[str, dict[str, list[Record]]]
    exclusions: list[Exclusion]
    stats: dict[str, Any]
    specs: list[SourceSpec] = field(default_factory=list)
    run_info: dict[str, Any] = field(default_factory=dict)  # run-dependent figures (cache hits), not in stats


def build(request: BuildRequest | None = None, **changes: Any) -> BuildResult:
    """Run the whole build. With `out_dir=None` nothing is written (the GeneratorBasedBuilder path).

    `build(BuildRequest(...))`, or keyword changes to the defaults: `build(sources=[...], jobs=2)`.
    """
    request = with_changes(request, **changes)
    source_files = list(request.sources) or [default_sources()]
    specs = load_sources(source_files)
    settings = load_build_settings(request.config_dir)
    cfgs: list[DatasetConfig] = [
        load_dataset_config(n, request.config_dir) for n in request.configs or CONFIG_NAMES
    ]
    request.cache_dir.mkdir(parents=True, exist_ok=True)
    streams = [(spec, open_source(spec, request.cache_dir)) for spec in specs]  # bad sources fail here
    ctx = Context(request, settings, cfgs, request.cache_dir, {"source_files": source_files})

    ledger = Ledger()
    with executor_scope(ctx):  # the stages that use the executor (a Ray instance it started ends here)
        survivors = run_stages(global_stages(ctx, streams), [], ctx, ledger)
    per_config: dict[str, list[Exclusion]] = {}
    shaped: dict[str, dict[str, list[Record]]] = {}
    for cfg in cfgs:
        scoped = Ledger(funnel=ledger.funnel, stats=ledger.stats)
        shaped[cfg.name] = by_split(run_stages(config_stages(cfg), survivors, ctx, scoped, scope=cfg.name))
        per_config[cfg.name] = scoped.exclusions
    ledger.exclusions += merge_scopes(per_config, [c.name for c in cfgs])
    drops = {name: Counter(e.reason for e in excs) for name, excs in per_config.items()}
    stats = build_stats(ctx, specs, ledger, survivors, shaped, drops)
    if request.out_dir is not None:
        write_outputs(request.out_dir, ctx, shaped, ledger.exclusions, stats)
    run_info = {
        key: ctx.shared[f"{key}_run"] for key in ("validation", "describe") if f"{key}_run" in ctx.shared
    }
    return BuildResult(request.out_dir, shaped, ledger.exclusions, stats, specs, run_info)


def write_outputs(
    out_dir: Path,
    ctx: Context,
    shaped: dict[str, dict[str, list[Record]]],
    exclusions: list[Exclusion],
    stats: dict,
) -> None:
    """Parquet per config and split, the exclusion log, plots, stats.json and the card."""
    settings = ctx.settings
    export.prepare_out_dir(out_dir)
    for name, splits in shaped.items():
        files, sizes = export.write_config(out_dir, name, splits, settings.max_rows_per_shard)
        stats["configs"][name]["files"] = files
        stats["configs"][name]["num_bytes"] = sizes
    clean_rows = [r for rows in shaped.get("clean", next(iter(shaped.values()))).values() for r in rows]
    labels = lengths.bucket_labels(len(settings.difficulty_edges), settings.difficulty_labels)
    stats["lengths"] = plots.length_report(clean_rows, labels, out_dir, metric=settings.difficulty_metric)
    overlap = ctx.shared.get("overlap")
    if overlap is not None and len(overlap.sources) > 1:
        write_heatmap(overlap, out_dir / "plots" / "overlap.png", kind="near" if overlap.near else "exact")
    export.write_exclusions(out_dir, exclusions)
    export.write_stats(out_dir, stats)
    render_card(stats, out_dir)
