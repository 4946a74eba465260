"""Length distribution report: histograms (PNG), a coverage table per source and bucket, and gap flags.

The report is plain data that goes into stats.json under "lengths"; the card renders it and links the
PNGs. Numbers are rounded here, once, so the card shows exactly what stats.json holds. PNGs are written
without a software/date stamp so an unchanged build gives byte-identical files (a no-op publish).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from builder.schema import Record

MEASURES = ("n_chars", "n_lines", "n_tokens", "n_ast_nodes")
PLOT_DIR = "plots"
ALL = "(all sources)"  # coverage row over every source


def _pct(sorted_values: Sequence[int], q: float) -> int:
    return int(sorted_values[min(len(sorted_values) - 1, int(q * (len(sorted_values) - 1)))])


def summarise(values: Sequence[int]) -> dict[str, int]:
    """Count, min, median, p90, max (observed values, "lower" rule)."""
    if not values:
        return {"rows": 0}
    v = sorted(values)
    return {"rows": len(v), "min": v[0], "p50": _pct(v, 0.5), "p90": _pct(v, 0.9), "max": v[-1]}


def coverage(records: Sequence[Record], labels: Sequence[str]) -> dict[str, dict[str, float]]:
    """Share of each source's rows (and of all rows, key `ALL`) in each difficulty bucket, in percent."""
    groups: dict[str, list[Record]] = {ALL: list(records)}
    for rec in records:
        groups.setdefault(rec.source, []).append(rec)
    out = {}
    for name, rows in groups.items():
        counts = Counter(r.difficulty for r in rows)
        out[name] = {b: round(100.0 * counts[b] / len(rows), 1) if rows else 0.0 for b in labels}
    return out


def find_gaps(cov: dict[str, dict[str, float]], labels: Sequence[str], min_share: float) -> list[str]:
    """Flags: a bucket holding under `min_share` percent of all rows; a source with nothing in the top half."""
    flags = [
        f"bucket '{b}' holds only {cov[ALL][b]}% of rows (under {min_share}%)"
        for b in labels
        if cov.get(ALL) and cov[ALL][b] < min_share
    ]
    upper = labels[len(labels) // 2 :]
    for source, shares in cov.items():
        if source != ALL and len(labels) > 1 and all(shares[b] == 0 for b in upper):
            flags.append(f"source '{source}' only covers short code (no rows in {', '.join(upper)})")
    return flags


def histograms(records: Sequence[Record], out_dir: Path, metric: str) -> list[str]:
    """Two PNGs under out_dir/plots: the metric overall, and per source (log-x, shared bins)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    values = np.array([max(1, getattr(r, metric)) for r in records], dtype=float)
    if values.size == 0:
        return []
    bins = np.logspace(np.log10(values.min()), np.log10(values.max() + 1), 31)
    (out_dir / PLOT_DIR).mkdir(parents=True, exist_ok=True)
    paths = []

    fig, ax = plt.subplots(figsize=(7, 3.5), dpi=100)
    ax.hist(values, bins=bins, color="#3b7dd8")
    ax.set(xscale="log", xlabel=metric, ylabel="rows", title=f"{metric} per row (all sources)")
    paths.append(_save(fig, out_dir, f"{metric}_all.png"))

    sources = sorted({r.source for r in records})
    fig, axes = plt.subplots(len(sources), 1, figsize=(7, 1.8 * len(sources) + 0.6), dpi=100, squeeze=False)
    for ax, source in zip(axes[:, 0], sources, strict=True):
        mine = [max(1, getattr(r, metric)) for r in records if r.source == source]
        ax.hist(mine, bins=bins, color="#d8823b")
        ax.set(xscale="log", ylabel="rows")
        ax.set_title(source, fontsize=9)
    axes[-1, 0].set_xlabel(metric)
    fig.tight_layout()
    paths.append(_save(fig, out_dir, f"{metric}_by_source.png"))
    return paths


def _save(fig: Any, out_dir: Path, name: str) -> str:
    import matplotlib.pyplot as plt

    rel = f"{PLOT_DIR}/{name}"
    fig.savefig(out_dir / rel, format="png", metadata={"Software": None})
    plt.close(fig)
    return rel


def length_report(
    records: Sequence[Record],
    labels: Sequence[str],
    out_dir: Path | None = None,
    metric: str = "n_tokens",
    min_share: float = 5.0,
) -> dict[str, Any]:
    """The "lengths" section of stats.json for `records` (the rows of one config, all splits).

    `labels` are the difficulty labels in easy-to-hard order; PNGs are written only when out_dir is given.
    """
    per_source: dict[str, list[Record]] = {}
    for rec in records:
        per_source.setdefault(rec.source, []).append(rec)
    cov = coverage(records, labels)
    return {
        "metric": metric,
        "buckets": list(labels),
        "bucket_rows": {b: sum(1 for r in records if r.difficulty == b) for b in labels},
        "summary": {m: summarise([getattr(r, m) for r in records]) for m in MEASURES},
        "per_source": {
            s: summarise([getattr(r, metric) for r in rows]) for s, rows in sorted(per_source.items())
        },
        "coverage": cov,
        "min_share": min_share,
        "gaps": find_gaps(cov, labels, min_share),
        "plots": histograms(records, out_dir, metric) if out_dir is not None else [],
    }
