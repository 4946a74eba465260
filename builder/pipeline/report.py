"""stats.json: what a build read, kept, dropped and why, assembled from the runner's ledger.

Every number the card shows comes from here. The accounting check is the build's promise: per source,
rows in = rows kept in at least one config + rows excluded from every config.
"""

from __future__ import annotations

import platform
import re
from collections import Counter
from importlib.metadata import PackageNotFoundError, requires, version
from typing import Any

from builder.executors import describe_executor
from builder.fixes.catalogue import count_fixes
from builder.pipeline.stage import Context, Ledger
from builder.pipeline.stages import deepest_stage
from builder.schema import FEATURES, MAX_DETAIL_CHARS, SPLITS, STAGES, Exclusion, Record


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for pkg in ("manim-code-dataset", "datasets", "libcst", "datasketch", "manim", "pyarrow"):
        try:
            found[pkg] = version(pkg)
        except PackageNotFoundError:
            found[pkg] = "missing"
    return found


def extra_packages() -> dict[str, str]:
    """The optional validation-extras packages and whether this environment has them (for the card)."""
    found = {}
    for req in requires("manim-code-dataset") or []:
        if 'extra == "validation-extras"' in req:
            name = re.split(r"[ ;<>=!~\[]", req, maxsplit=1)[0]
            try:
                found[name] = version(name)
            except PackageNotFoundError:
                found[name] = "not installed"
    return dict(sorted(found.items()))


def accounting(
    specs: list, rows_in: Counter, kept_ids: set[str], survivors: list[Record], exclusions: list[Exclusion]
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


_BEFORE_CLEAN = ("extract", "description", "fix", "parse", "clean")


def source_funnels(
    ctx: Context,
    shaped: dict[str, dict[str, list[Record]]],
    exclusions: list[Exclusion],
) -> dict[str, dict[str, Any]]:
    """Per source, where its rows (for a repo: its scene classes) go: found, extracted, cleaned (by the
    dialect they were written in), distinct programs, passing static and runtime, kept in `clean`, and
    the top reasons of those that left."""
    rows_in: Counter = ctx.shared.get("rows_in", Counter())
    dialects: dict[str, Counter] = ctx.shared.get("dialects", {})
    validated: dict[str, Counter] = ctx.shared.get("validated", {})
    clean_rows = shaped.get("clean") or next(iter(shaped.values()), {})
    in_clean = Counter(r.source for rows in clean_rows.values() for r in rows)
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(rows_in):
        mine = [e for e in exclusions if e.source == name and e.scope in ("all", "clean")]
        at_source = sum(e.stage == "source" for e in mine)
        before_clean = sum(e.stage in _BEFORE_CLEAN for e in mine)
        copies = sum(e.reason.startswith("duplicate:exact") for e in mine)
        reasons = Counter(e.reason for e in mine)
        cleaned = rows_in[name] - at_source - before_clean
        checked = validated.get(name, Counter())
        out[name] = {
            "found": rows_in[name],
            "extracted": rows_in[name] - at_source,
            "cleaned": cleaned,
            "dialects": dict(sorted(dialects.get(name, Counter()).items())),
            "distinct": cleaned - copies,
            "static_ok": checked["static_ok"],
            "runtime_ok": checked["runtime_ok"],
            "in_clean": in_clean[name],
            "top_reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:5]),
        }
    return out


AGREEMENT_BINS = ((0.0, "0"), (0.25, "0-0.25"), (0.5, "0.25-0.5"), (0.75, "0.5-0.75"), (1.0, "0.75-1"))


def _agreement_bin(score: float | None) -> str:
    if score is None:
        return "too few words"
    return next(label for edge, label in AGREEMENT_BINS if score <= edge)


def description_report(rows: list[Record], ledger: Ledger, configs: list[str]) -> dict[str, Any]:
    """Where descriptions came from, per source; three examples of each kind; the agreement scores."""
    by_source: dict[str, Counter] = {}
    examples: dict[str, list[dict[str, Any]]] = {}
    for rec in sorted(rows, key=lambda r: r.id):
        by_source.setdefault(rec.source, Counter())[rec.description_source] += 1
        shown = examples.setdefault(rec.description_source, [])
        if len(shown) < 3:
            text = rec.description if len(rec.description) <= 240 else rec.description[:239] + "…"
            shown.append({"id": rec.id, "source": rec.source, "description": text, "context": rec.context})
    bins = Counter(_agreement_bin(r.agreement) for r in rows)
    labels = [label for _, label in AGREEMENT_BINS] + ["too few words"]
    strict = {
        name: ledger.stats[f"{name}/suspect-pairs"]
        for name in configs
        if f"{name}/suspect-pairs" in ledger.stats
    }
    return {
        "by_source": {src: dict(sorted(c.items())) for src, c in sorted(by_source.items())},
        "examples": dict(sorted(examples.items())),
        "agreement": {label: bins.get(label, 0) for label in labels},
        "describe": ledger.stats.get("describe", {}),
        "pruned": strict,
    }


def build_stats(
    ctx: Context,
    specs: list,
    ledger: Ledger,
    survivors: list[Record],
    shaped: dict[str, dict[str, list[Record]]],
    config_drops: dict[str, Counter],
) -> dict[str, Any]:
    """The stats.json document (without the export's file lists, added when files are written).
    `config_drops` counts, per config, every row it dropped by reason (also those all configs dropped)."""
    kept_ids = {r.id for splits in shaped.values() for rows in splits.values() for r in rows}
    books = accounting(specs, ctx.shared["rows_in"], kept_ids, survivors, ledger.exclusions)
    deepest = deepest_stage(ctx)
    dedup = {
        "exact": ledger.stats.get("dedup", {}),
        **ledger.stats.get("split-clusters", {}),
        "decontamination": ledger.stats.get("decontaminate", {}),
        "per_config": {
            c.name: {"near": ledger.stats[f"{c.name}/near-dup"]}
            for c in ctx.configs
            if f"{c.name}/near-dup" in ledger.stats
        },
    }
    stats: dict[str, Any] = {
        "build": {
            "sources_files": [str(p) for p in ctx.shared["source_files"]],
            "seed": ctx.settings.seed,
            "versions": versions(),
            **({"repo_id": ctx.settings.hub_repo} if ctx.settings.hub_repo else {}),
        },
        "sources": books["sources"],
        "source_funnels": source_funnels(ctx, shaped, ledger.exclusions),
        "accounting": {"ok": books["ok"]},
        "funnel": ledger.funnel + [{"stage": "kept in at least one config", "out": len(kept_ids)}],
        "fixes": count_fixes(r.fixes for r in survivors),
        "descriptions": description_report(
            [r for rows in shaped.get("clean", next(iter(shaped.values()), {})).values() for r in rows],
            ledger,
            [c.name for c in ctx.configs],
        ),
        "dedup": dedup,
        "overlap": ledger.stats.get("overlap", {}),
        **({"against": ledger.stats["against"]} if "against" in ledger.stats else {}),
        "validation_env": {
            "stage": deepest,
            "manim": versions()["manim"],
            "sandbox": None
            if STAGES.index(deepest) < STAGES.index("runtime")
            else not ctx.request.unsafe_no_sandbox,
            "timeout_s": ctx.settings.validation_timeout_s,
            "max_detail_chars": MAX_DETAIL_CHARS,
            "extra_packages": extra_packages(),
        },
        "executor": describe_executor(ctx),
        "configs": {},
        "features": FEATURES.to_dict(),
    }
    for cfg in ctx.configs:
        dropped = config_drops.get(cfg.name, Counter())
        splits = {s: len(shaped[cfg.name][s]) for s in SPLITS}
        stats["configs"][cfg.name] = {
            "description": cfg.description,
            "default": cfg.default,
            "splits": splits,
            **splits,  # the flat {CONFIG: {SPLIT: n}} form too
            "dropped": dict(sorted(dropped.items())),
            "files": {},
        }
    return stats
