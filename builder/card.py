"""Dataset card (dist/README.md) from the Jinja2 template in `dataset_card/`, fed only by stats.json.

The YAML header makes `load_dataset(repo, config)` find each config's files and lets `datasets` check
split sizes; the body tells a trainer what is inside and how far to trust it. Every number printed comes
from the stats dict (a test checks this), and a section whose stats are missing says so instead of
failing, so the card renders for partial builds too.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import datasets
import jinja2
import yaml

from builder import about
from builder.fixes.catalogue import all_fixes
from builder.resources import card_template_dir
from builder.schema import COLUMNS, FEATURES, SPLITS

TEMPLATE = "README.md.j2"
DEFAULT_REPO = "ORG/manim-code-dataset"
DEFAULT_CONFIG = "clean"
# Licence ids the Hub knows (lower case); anything else is published as "other" with the per-source list.
HUB_LICENSES = {
    "apache-2.0", "mit", "bsd-2-clause", "bsd-3-clause", "gpl-2.0", "gpl-3.0", "lgpl-3.0", "agpl-3.0",
    "mpl-2.0", "cc0-1.0", "cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-nd-4.0",
    "cc-by-nc-nd-4.0", "creativeml-openrail-m", "openrail", "unlicense", "odc-by", "unknown",
}  # fmt: skip
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))


def hub_license(name: str | None) -> str:
    lic = (name or "unknown").strip().lower()
    return lic if lic in HUB_LICENSES else "other"


def _features(stats: Mapping[str, Any]) -> datasets.Features:
    return datasets.Features.from_dict(stats["features"]) if stats.get("features") else FEATURES


def _split_rows(cfg: Mapping[str, Any]) -> dict[str, int]:
    return {s: int(n) for s, n in (cfg.get("splits") or {}).items() if n}


def _data_files(name: str, cfg: Mapping[str, Any]) -> list[dict[str, str]]:
    """One glob per split that has rows; the export writes `<config>/<split>-NNNNN-of-NNNNN.parquet`."""
    order = {s: i for i, s in enumerate(SPLITS)}
    splits = sorted(_split_rows(cfg), key=lambda s: (order.get(s, len(order)), s))
    return [{"split": s, "path": f"{name}/{s}-*.parquet"} for s in splits]


def card_metadata(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The YAML header: licence, task, tags, size, `configs` (data files) and `dataset_info` (split sizes)."""
    sources = stats.get("sources") or {}
    used = {n: s for n, s in sources.items() if s.get("out", 1)} or sources
    licenses = sorted({hub_license(s.get("license")) for s in used.values()})
    configs_stats = stats.get("configs") or {}
    has_default = any(c.get("default") for c in configs_stats.values())
    features_yaml = datasets.DatasetInfo(features=_features(stats))._to_yaml_dict()["features"]
    configs, infos = [], []
    for name, cfg in configs_stats.items():
        entry: dict[str, Any] = {"config_name": name, "data_files": _data_files(name, cfg)}
        if cfg.get("default") or (not has_default and name == DEFAULT_CONFIG):
            entry["default"] = True
        configs.append(entry)
        num_bytes = cfg.get("num_bytes") or {}
        splits = [
            {"name": s, "num_bytes": int(num_bytes.get(s, 0)), "num_examples": n}
            for s, n in _split_rows(cfg).items()
        ]
        infos.append({"config_name": name, "features": features_yaml, "splits": splits})
    largest = max((sum(_split_rows(c).values()) for c in configs_stats.values()), default=0)
    meta: dict[str, Any] = {
        "license": licenses[0] if len(licenses) == 1 else "other",
        "task_categories": ["text-generation"],
        "language": ["en"],
        "tags": ["code", "manim", "python", "animation", "sft"],
        "pretty_name": "Manim code dataset",
        "size_categories": [next((label for limit, label in SIZE_CATEGORIES if largest < limit), "1M<n<10M")],
    }
    if meta["license"] == "other":
        meta["license_name"] = "per-source"
        meta["source_licenses"] = {n: s.get("license") or "unknown" for n, s in used.items()}
    meta["configs"] = configs
    meta["dataset_info"] = infos
    return meta


def _type_name(feature: Any) -> str:
    """A short type for the schema table: string, int64, list<string>, struct{...}."""
    if isinstance(feature, datasets.Value):
        return feature.dtype
    if isinstance(feature, datasets.List | datasets.LargeList | datasets.Sequence):
        return f"list<{_type_name(feature.feature)}>"
    if isinstance(feature, list):
        return f"list<{_type_name(feature[0])}>"
    if isinstance(feature, dict):
        return "struct{" + ", ".join(f"{k}: {_type_name(v)}" for k, v in feature.items()) + "}"
    return type(feature).__name__


def _flat(section: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested stats as (dotted key, scalar) rows for generic tables (dedup, overlap, environment)."""
    if not isinstance(section, Mapping):
        return [(prefix or "value", section)]
    rows: list[tuple[str, Any]] = []
    for key, value in section.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        rows += _flat(value, name) if isinstance(value, Mapping) else [(name, value)]
    return rows


def _funnel(funnel: Any) -> list[tuple[str, Any]]:
    """(stage, rows) for the build-wide stages: the rows a stage kept, or passed for a validation stage."""
    if isinstance(funnel, Mapping):
        return list(funnel.items())
    if not isinstance(funnel, list):
        return []
    rows = []
    for f in funnel:
        if not isinstance(f, Mapping) or f.get("config"):
            continue
        if "passed" in f:
            rows.append((f"{f.get('stage')} (passed)", f["passed"]))
        elif f.get("stage") == "clean":
            rows += [("input", f.get("in")), ("cleaned", f.get("out"))]
        else:
            rows.append((f.get("stage"), f.get("out", f.get("rows"))))
    return rows


def _fix_names() -> dict[str, str]:
    """Fix code -> name from the fix catalogue."""
    return {label: fix.name for fix in all_fixes() for label in fix.recorded}


def _source_link(src: Mapping[str, Any]) -> str | None:
    path = str(src.get("path") or "")
    if src.get("url"):
        return str(src["url"])
    if src.get("kind") == "hub" and path.count("/") == 1:
        return f"https://huggingface.co/datasets/{path}"
    if src.get("kind") == "repo" and path.startswith(("https://", "http://")):
        return path
    return None


def card_context(stats: Mapping[str, Any], repo_id: str | None = None) -> dict[str, Any]:
    """Everything the template shows, derived from stats only (absent sections become None/empty)."""
    configs = stats.get("configs") or {}
    default = next(
        (n for n, c in configs.items() if c.get("default")),
        DEFAULT_CONFIG if DEFAULT_CONFIG in configs else None,
    )
    features = _features(stats)
    meanings = {c.name: c.doc for c in COLUMNS}
    names = _fix_names()
    sources = stats.get("sources") or {}
    env = stats.get("validation_env")
    build = stats.get("build") or {}
    meta = card_metadata(stats)
    return {
        "repo_id": repo_id or build.get("repo_id") or DEFAULT_REPO,
        "meta_yaml": yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000).rstrip(),
        "configs": configs,
        "splits": SPLITS,
        "default_config": default,
        "schema": [(name, _type_name(features[name]), meanings.get(name, "")) for name in features],
        "sources": sources,
        "source_links": {n: _source_link(s) for n, s in sources.items()},
        "funnel": _funnel(stats.get("funnel")),
        "fixes": [(code, names.get(code, ""), n) for code, n in (stats.get("fixes") or {}).items()],
        "has_fixes": "fixes" in stats,
        "descriptions": _descriptions(stats.get("descriptions")),
        "source_funnels": stats.get("source_funnels") or {},
        "dedup": _flat(stats["dedup"]) if stats.get("dedup") else None,
        "overlap": _overlap(stats.get("overlap")),
        "dedup_rules": _dedup_rules(),
        "lengths": stats.get("lengths") or None,
        "env": _flat(env) if env else None,
        "env_raw": env or {},
        "versions": build.get("versions") or {},
        "accounting": stats.get("accounting") or {},
        "noncommercial": sorted(n for n, s in sources.items() if "-nc" in hub_license(s.get("license"))),
        "unknown_license": sorted(
            n for n, s in sources.items() if hub_license(s.get("license")) in ("other", "unknown")
        ),
        "mixed_license": meta["license"] == "other",
        "citation": about.CITATION,
        "homepage": about.HOMEPAGE,
    }


def _descriptions(report: Any) -> dict[str, Any] | None:
    """The descriptions section: kinds as columns (dataset first), examples, agreement, LLM figures."""
    if not isinstance(report, Mapping) or not report.get("by_source"):
        return None
    kinds = sorted({k for c in report["by_source"].values() for k in c}, key=lambda k: (k != "dataset", k))
    return {**report, "kinds": kinds, "llm": (report.get("describe") or {}).get("llm")}


def _overlap(overlap: Any) -> dict[str, Any] | None:
    """The cross-source matrices (rows of A with a copy in B), exact and near, when there are 2+ sources."""
    if not isinstance(overlap, Mapping) or len(overlap.get("sources") or ()) < 2:
        return None
    return {
        "sources": overlap["sources"],
        "rows": overlap.get("rows") or {},
        "kinds": [(k, overlap[k]) for k in ("exact", "near") if overlap.get(k)],
        "near_threshold": overlap.get("near_threshold"),
    }


def _dedup_rules() -> str:
    """The description-aware dedup rules table (its prose figures are measurements, not build stats)."""
    from builder.dedup.descriptions import RULES_MARKDOWN

    return RULES_MARKDOWN.split('\n"Best" is', 1)[0].strip()


def _cell(value: Any) -> str:
    """A markdown table cell: pipes and backticks escaped, no newlines; None becomes an em dash."""
    if value is None or value == "":
        return "—"
    return str(value).replace("|", "\\|").replace("`", "\\`").replace("\n", " ")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(card_template_dir()),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["cell"] = _cell
    return env


def render_card(stats: Mapping[str, Any], out_dir: Path, repo_id: str | None = None) -> str:
    """Render the card into out_dir/README.md and return its text."""
    text = _environment().get_template(TEMPLATE).render(**card_context(stats, repo_id))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "README.md").write_text(text, encoding="utf-8")
    return text
