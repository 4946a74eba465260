"""The build, stage by stage, in the order data flows:

sources -> clean and fix -> exact dedup -> splits -> shape per config -> export.

Each stage is a function of its own module; this file only wires them, counts what each stage saw,
kept and dropped, and checks that every input row is accounted for.
"""

from __future__ import annotations

import platform
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from tqdm import tqdm

from builder import export, lengths, plots
from builder.card import render_card
from builder.clean import CleanSettings, clean_row, failed_row
from builder.config import (
    CONFIG_DIR,
    CONFIG_NAMES,
    STAGES,
    BuildSettings,
    DatasetConfig,
    load_build_settings,
    load_dataset_config,
)
from builder.dedup.against import compare, load_previous, resolve_previous
from builder.dedup.decontaminate import decontaminate
from builder.dedup.exact import merge_exact
from builder.dedup.overlap import overlap_matrix, write_heatmap
from builder.dedup.stage import cluster_for_splits
from builder.isolated import Failed, isolated_map
from builder.schema import FEATURES, MAX_DETAIL_CHARS, SPLITS, Exclusion, RawRow, Record
from builder.shape import add_difficulty, shape_config
from builder.sources import SourceSpec, load_sources, open_source
from builder.splits import assign_splits
from builder.validate.records import dynamic_stage, static_stage

DEFAULT_SOURCES = CONFIG_DIR / "sources" / "samples.yaml"


@dataclass
class BuildResult:
    """What a build produced: rows per config and split, every exclusion, and the stats written."""

    out_dir: Path | None
    configs: dict[str, dict[str, list[Record]]]
    exclusions: list[Exclusion]
    stats: dict[str, Any]
    specs: list[SourceSpec] = field(default_factory=list)
    run_info: dict[str, Any] = field(default_factory=dict)  # run-dependent figures (cache hits), not in stats


def _progress(items: Iterable, desc: str, total: int | None = None, enabled: bool = True) -> Iterable:
    return tqdm(items, desc=desc, total=total, unit="row", disable=None if enabled else True, leave=False)


def _clean_all(
    streams: list[tuple[SourceSpec, Iterator[RawRow]]],
    settings: CleanSettings,
    jobs: int,
    progress: bool,
    row_timeout_s: float,
) -> tuple[list[Record], list[Exclusion], Counter]:
    """Clean every row of every source in isolated worker processes; count rows in per source.

    A row that crashes or hangs its worker becomes a `crash:clean` / `timeout:clean` exclusion.
    """
    records: list[Record] = []
    exclusions: list[Exclusion] = []
    rows_in: Counter = Counter()

    def counted() -> Iterator[RawRow]:
        for spec, stream in streams:
            for raw in stream:
                rows_in[spec.name] += 1
                yield raw

    work = partial(clean_row, settings=settings)
    results = isolated_map(work, counted(), jobs=jobs, timeout_s=row_timeout_s, batch=64)
    for result in _progress(results, "clean", enabled=progress):
        if isinstance(result, Failed):
            result = failed_row(result.item, "clean", result.kind, result.detail)
        (records if isinstance(result, Record) else exclusions).append(result)
    return records, exclusions, rows_in


def _measure(records: list[Record], tokenizer: str | None) -> list[Record]:
    """Length measures per row; model tokens only when a local tokenizer is configured."""
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
    return out


def _extra_packages() -> dict[str, str]:
    """The optional validation-extras packages and whether this environment has them (for the card)."""
    import re
    from importlib.metadata import PackageNotFoundError, requires, version

    found = {}
    for req in requires("manim-code-dataset") or []:
        if 'extra == "validation-extras"' in req:
            name = re.split(r"[ ;<>=!~\[]", req, maxsplit=1)[0]
            try:
                found[name] = version(name)
            except PackageNotFoundError:
                found[name] = "not installed"
    return dict(sorted(found.items()))


def _account(
    specs: list[SourceSpec],
    rows_in: Counter,
    kept_ids: set[str],
    survivors: list[Record],
    exclusions: list[Exclusion],
) -> dict[str, Any]:
    """Per source: rows in = rows kept in at least one config + rows excluded from everything."""
    kept = Counter(r.source for r in survivors if r.id in kept_ids)
    excluded: dict[str, Counter] = {s.name: Counter() for s in specs}
    for exc in exclusions:
        if exc.scope == "all":
            excluded[exc.source][exc.reason] += 1
    per_source = {}
    ok = True
    for spec in specs:
        n_excl = sum(excluded[spec.name].values())
        balanced = rows_in[spec.name] == kept[spec.name] + n_excl
        ok &= balanced
        per_source[spec.name] = {
            "kind": spec.kind,
            "path": spec.public_path,
            "revision": spec.revision,
            "license": spec.license,
            "priority": spec.priority,
            "in": rows_in[spec.name],
            "out": kept[spec.name],
            "excluded": dict(sorted(excluded[spec.name].items())),
            "balanced": balanced,
            **{k: spec.options[k] for k in ("citation", "url") if spec.options.get(k)},
        }
    return {"ok": ok, "sources": per_source}


def _not_kept_anywhere(
    survivors: list[Record], kept_ids: set[str], dropped: list[Exclusion]
) -> list[Exclusion]:
    """Survivors that no config kept become global exclusions, with the first config's reason."""
    first_reason: dict[str, Exclusion] = {}
    for exc in dropped:
        first_reason.setdefault(exc.id, exc)
    out = []
    for rec in survivors:
        if rec.id not in kept_ids:
            why = first_reason[rec.id]
            out.append(replace(why, scope="all"))
    return out


def _ok(rec: Record) -> bool:
    return rec.validation.status == "ok"


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for pkg in ("manim-code-dataset", "datasets", "libcst", "datasketch", "manim", "pyarrow"):
        try:
            found[pkg] = version(pkg)
        except PackageNotFoundError:
            found[pkg] = "missing"
    return found


def build(
    sources: Sequence[Path] | None = None,
    configs: Sequence[str] | None = None,
    out_dir: Path | None = Path("dist"),
    cache_dir: Path = Path(".cache/manim-dataset"),
    jobs: int = 1,
    progress: bool = True,
    config_dir: Path = CONFIG_DIR,
    settings: BuildSettings | None = None,
    unsafe_no_sandbox: bool = False,
    against: Path | str | None = None,
) -> BuildResult:
    """Run the whole build. With out_dir=None nothing is written (the GeneratorBasedBuilder path)."""
    source_files = [Path(p) for p in (sources or [DEFAULT_SOURCES])]
    specs = load_sources(source_files)
    settings = settings or load_build_settings(config_dir)
    cfgs: list[DatasetConfig] = [load_dataset_config(n, config_dir) for n in (configs or CONFIG_NAMES)]
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Open every source first: a bad column mapping or file fails here, before any work.
    streams = [(spec, open_source(spec, cache_dir)) for spec in specs]

    clean_settings = CleanSettings(
        max_code_chars=settings.max_code_chars,
        max_ast_nodes=settings.max_ast_nodes,
        min_description_chars=settings.min_description_chars,
        disabled_fixes=tuple(settings.disabled_fixes),
        strip_patterns={s.name: s.strip_description for s in specs},
    )
    records, exclusions, rows_in = _clean_all(streams, clean_settings, jobs, progress, settings.row_timeout_s)
    funnel = [{"stage": "input", "rows": sum(rows_in.values())}, {"stage": "cleaned", "rows": len(records)}]

    records = _measure(records, settings.tokenizer)
    thresholds = [c.near_dup_threshold for c in cfgs if c.near_dup_threshold is not None]
    overlap = overlap_matrix(records, near_threshold=min(thresholds, default=None))
    deepest = max(STAGES.index(c.validation_stage) for c in cfgs)
    if deepest >= STAGES.index("static"):
        records = static_stage(records, jobs, settings.row_timeout_s)
        funnel.append({"stage": "static checks passed", "rows": sum(_ok(r) for r in records)})
    survivors, duplicates = merge_exact(records)
    exclusions += duplicates
    funnel.append({"stage": "exact dedup", "rows": len(survivors)})
    run_info: dict[str, Any] = {}
    if deepest >= STAGES.index("runtime"):
        survivors, vstats = dynamic_stage(
            survivors,
            STAGES[deepest],
            jobs,
            cache_dir / "validate",
            not unsafe_no_sandbox,
            settings.validation_timeout_s,
        )
        run_info["validation"] = vstats
        funnel.append({"stage": f"{STAGES[deepest]} check passed", "rows": sum(_ok(r) for r in survivors)})

    clustering = cluster_for_splits(survivors, cfgs)
    survivors = assign_splits(clustering.records, settings.split_fractions, settings.seed)
    clean_test = decontaminate(survivors, settings.decontamination_threshold)
    survivors = clean_test.kept
    exclusions += clean_test.exclusions
    survivors = add_difficulty(survivors, settings)
    if against is not None:
        previous = load_previous(resolve_previous(str(against), cache_dir / "against"))
        report = compare(survivors, previous, near_threshold=settings.against_near_threshold)
        survivors = [replace(r, release_status=report.status[r.id]) for r in survivors]
        against_stats = {"previous": str(against), **report.stats}

    shaped: dict[str, dict[str, list[Record]]] = {}
    scoped: list[Exclusion] = []
    config_dedup: dict[str, dict] = {}
    for cfg in cfgs:
        shaped[cfg.name], dropped, config_dedup[cfg.name] = shape_config(survivors, cfg)
        scoped += dropped
    kept_ids = {r.id for splits in shaped.values() for rows in splits.values() for r in rows}
    exclusions += _not_kept_anywhere(survivors, kept_ids, scoped)
    exclusions += scoped
    funnel.append({"stage": "kept in at least one config", "rows": len(kept_ids)})

    accounting = _account(specs, rows_in, kept_ids, survivors, exclusions)
    fixes = Counter(code for r in survivors for code in r.fixes)
    stats: dict[str, Any] = {
        "build": {
            "sources_files": [str(p) for p in source_files],
            "seed": settings.seed,
            "versions": _versions(),
        },
        "sources": accounting["sources"],
        "accounting": {"ok": accounting["ok"]},
        "funnel": funnel,
        "fixes": dict(sorted(fixes.items())),
        "dedup": {
            "exact": {
                "groups": len(survivors),
                "removed": len(duplicates),
                "merged_descriptions": sum(len(r.alt_descriptions) for r in survivors),
            },
            **clustering.stats,
            "decontamination": clean_test.stats,
            "per_config": config_dedup,
        },
        "overlap": overlap.to_stats(),
        **({"against": against_stats} if against is not None else {}),
        "validation_env": {
            "stage": STAGES[deepest],
            "manim": _versions()["manim"],
            "sandbox": None if deepest < STAGES.index("runtime") else not unsafe_no_sandbox,
            "timeout_s": settings.validation_timeout_s,
            "max_detail_chars": MAX_DETAIL_CHARS,
            "extra_packages": _extra_packages(),
        },
        "configs": {},
        "features": FEATURES.to_dict(),
    }
    for cfg in cfgs:
        dropped_counts = Counter(e.reason for e in scoped if e.scope == cfg.name)
        stats["configs"][cfg.name] = {
            "description": cfg.description,
            "default": cfg.default,
            "splits": {s: len(shaped[cfg.name][s]) for s in SPLITS},
            **{s: len(shaped[cfg.name][s]) for s in SPLITS},  # the flat {CONFIG: {SPLIT: n}} form too
            "dropped": dict(sorted(dropped_counts.items())),
            "files": {},
        }

    if out_dir is not None:
        out_dir = Path(out_dir)
        export.prepare_out_dir(out_dir)
        for cfg in cfgs:
            files, sizes = export.write_config(
                out_dir, cfg.name, shaped[cfg.name], settings.max_rows_per_shard
            )
            stats["configs"][cfg.name]["files"] = files
            stats["configs"][cfg.name]["num_bytes"] = sizes
        clean_rows = [r for rows in shaped.get("clean", next(iter(shaped.values()))).values() for r in rows]
        labels = lengths.bucket_labels(len(settings.difficulty_edges), settings.difficulty_labels)
        stats["lengths"] = plots.length_report(clean_rows, labels, out_dir, metric=settings.difficulty_metric)
        if len(overlap.sources) > 1:
            write_heatmap(
                overlap, out_dir / "plots" / "overlap.png", kind="near" if overlap.near else "exact"
            )
        export.write_exclusions(out_dir, exclusions)
        export.write_stats(out_dir, stats)
        render_card(stats, out_dir)
    return BuildResult(
        out_dir=out_dir, configs=shaped, exclusions=exclusions, stats=stats, specs=specs, run_info=run_info
    )
