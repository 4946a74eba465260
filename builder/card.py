"""Dataset card (README.md): YAML header that makes `load_dataset(dir, config)` work, plus a summary.

Every number comes from stats.json, so the card and the build cannot disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import datasets
import yaml

from builder.schema import COLUMNS, FEATURES


def card_metadata(stats: dict[str, Any]) -> dict[str, Any]:
    """The YAML header: licence, configs with their data files, dataset_info with split sizes."""
    licenses = sorted({s["license"] for s in stats["sources"].values()})
    configs, infos = [], []
    for name, cfg in stats["configs"].items():
        entry = {"config_name": name, "data_files": [{"split": s, "path": f"{name}/{s}-*"} for s in cfg["files"]]}
        if cfg.get("default"):
            entry["default"] = True
        configs.append(entry)
        info = datasets.DatasetInfo(features=FEATURES)._to_yaml_dict()
        info = {"config_name": name, "features": info["features"],
                "splits": [{"name": s, "num_bytes": cfg.get("num_bytes", {}).get(s, 0), "num_examples": n}
                           for s, n in cfg["splits"].items() if n]}
        infos.append(info)
    total = sum(s["out"] for s in stats["sources"].values())
    size = "n<1K" if total < 1_000 else "1K<n<10K" if total < 10_000 else "10K<n<100K" if total < 100_000 else "100K<n<1M"
    return {
        "license": licenses[0] if len(licenses) == 1 else "other",
        "task_categories": ["text-generation"],
        "language": ["en"],
        "tags": ["code", "manim", "python", "animation"],
        "size_categories": [size],
        "configs": configs,
        "dataset_info": infos,
    }


def render_card(stats: dict[str, Any], out_dir: Path) -> str:
    """Write README.md into out_dir and return its text."""
    meta = yaml.safe_dump(card_metadata(stats), sort_keys=False, allow_unicode=True)
    lines = ["---", meta.rstrip(), "---", "", "# Manim code dataset", ""]
    lines += ["| config | " + " | ".join(("train", "validation", "test")) + " |", "|---|---|---|---|"]
    for name, cfg in stats["configs"].items():
        lines.append(f"| {name} | " + " | ".join(str(cfg["splits"].get(s, 0)) for s in ("train", "validation", "test")) + " |")
    lines += ["", "| source | licence | in | out |", "|---|---|---|---|"]
    for name, src in stats["sources"].items():
        lines.append(f"| {name} | {src['license']} | {src['in']} | {src['out']} |")
    lines += ["", "| column | type | meaning |", "|---|---|---|"]
    for col, (_, meaning) in COLUMNS.items():
        lines.append(f"| `{col}` | {FEATURES[col]!r} | {meaning} |".replace("\n", " "))
    text = "\n".join(lines) + "\n"
    (out_dir / "README.md").write_text(text, encoding="utf-8")
    return text
