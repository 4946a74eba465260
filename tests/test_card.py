"""The dataset card (builder/card.py + dataset_card/README.md.j2) and the length report (builder/plots.py).

`write_dist` builds a small but complete dist/ (parquet per config and split, stats.json, plots, card)
from original fixture programs; test_publish.py reuses it.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import datasets
import pytest
import yaml
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData
from records import make_record

from builder import lengths
from builder.card import card_metadata, render_card
from builder.plots import ALL, length_report
from builder.schema import FEATURES, SPLITS, Origin, Record, to_row

LABELS = ("easy", "medium", "hard", "expert")


def _program(i: int, n_shapes: int) -> str:
    lines = ["from manim import *", "", "", f"class Stack{i}(Scene):", "    def construct(self):"]
    for k in range(n_shapes):
        lines.append(f"        s{k} = Square(side_length={k % 3 + 1}).shift(RIGHT * {k})")
        lines.append(f"        self.play(Create(s{k}))")
    lines.append("        self.wait()")
    return "\n".join(lines) + "\n"


def sample_records(n: int = 16, variant: int = 0) -> list[Record]:
    """Rows from two sources; 'tiny-snippets' only has short programs (a coverage gap to flag)."""
    recs = []
    for i in range(n):
        source = "tiny-snippets" if i % 4 == 0 else "long-scenes"
        recs.append(
            make_record(
                _program(i, 1 if source == "tiny-snippets" else 2 + (i * 7 + variant) % 11),
                n=i,
                measure=True,
                description=f"Stack {i} squares one after another and animate each.",
                source=source,
                origin=Origin(dataset=f"fixtures/{source}", row=i),
                license="MIT" if source == "long-scenes" else "CC-BY-NC-SA-4.0",
                split="test" if i % 8 == 3 else "train",
                scene_class=f"Stack{i}",
            )
        )
    labels = lengths.difficulty_buckets([r.n_tokens for r in recs], [0.25, 0.5, 0.75], LABELS)
    return [replace(r, difficulty=d) for r, d in zip(recs, labels, strict=True)]


def _write(path: Path, rows: list[Record]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    ds = datasets.Dataset.from_list([to_row(r) for r in rows], features=FEATURES)
    ds.to_parquet(str(path))
    return ds.data.nbytes


def write_dist(out: Path, records: list[Record] | None = None, **stats_overrides) -> dict:
    """A complete dist/: configs clean and curriculum-by-length, stats.json, plots and README.md."""
    records = records if records is not None else sample_records()
    by_split = {s: sorted((r for r in records if r.split == s), key=lambda r: r.id) for s in SPLITS}
    shaped = {
        "clean": by_split,
        "curriculum-by-length": {**by_split, "train": lengths.curriculum_order(by_split["train"])},
    }
    stats: dict = {
        "build": {"fingerprint": f"fixture-{len(records)}", "versions": {"datasets": datasets.__version__}},
        "sources": {
            name: {
                "kind": "files",
                "path": f"fixtures/{name}",
                "revision": None,
                "license": next(r.license for r in records if r.source == name),
                "in": sum(r.source == name for r in records) + 1,
                "out": sum(r.source == name for r in records),
                "excluded": {"missing-description": 1},
            }
            for name in sorted({r.source for r in records})
        },
        "accounting": {"ok": True},
        "funnel": {"input": len(records) + 2, "cleaned": len(records), "kept": len(records)},
        "fixes": {"UPG001": 3},
        "dedup": {"exact": {"groups": len(records), "removed": 2}},
        "validation_env": {"stage": "parse", "manim": "0.22.0", "sandbox": False},
        "configs": {},
        "features": FEATURES.to_dict(),
    }
    for name, splits in shaped.items():
        cfg = {"description": f"{name} rows", "default": name == "clean", "splits": {}, "num_bytes": {}}
        for split in SPLITS:
            cfg["splits"][split] = len(splits[split])
            if splits[split]:
                cfg["num_bytes"][split] = _write(
                    out / name / f"{split}-00000-of-00001.parquet", splits[split]
                )
        cfg["dropped"] = {}
        stats["configs"][name] = cfg
    stats["lengths"] = length_report(records, LABELS, out_dir=out)
    stats.update(stats_overrides)
    (out / "stats.json").write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    render_card(stats, out, repo_id="test-org/manim-code")
    return stats


def split_card(text: str) -> tuple[dict, str]:
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    assert match, "card must start with a YAML header"
    return yaml.safe_load(match.group(1)), match.group(2)


def stats_scalars(stats: dict) -> set[str]:
    """Every scalar in stats (and numbers inside its strings), as text: what the card may show."""
    return _scalars(stats, set())


def _scalars(obj, out: set[str]) -> set[str]:
    if isinstance(obj, dict):
        for key, value in obj.items():
            _scalars(key, out)
            _scalars(value, out)
    elif isinstance(obj, list):
        for value in obj:
            _scalars(value, out)
    elif obj is not None and not isinstance(obj, bool):
        out.add(str(obj))
        if isinstance(obj, str):
            out.update(
                re.findall(r"\d+(?:\.\d+)*", obj)
            )  # numbers inside stats strings (versions, gap notes)
    return out


def card_numbers(body: str) -> list[str]:
    """Numbers the reader sees: numeric tokens outside code blocks and inline code."""
    prose = re.sub(r"^```.*?^```$", " ", body, flags=re.S | re.M)
    prose = re.sub(r"(?<!\\)`[^`\n]*`", " ", prose)
    prose = re.sub(r"\([^)\s]*\.png\)|\[[^\]]*\.png\]", " ", prose)  # image paths
    tokens = re.split(r"[\s|,;:()<>\[\]!]+", prose)
    return [t.rstrip("%.") for t in tokens if re.fullmatch(r"\d+(?:\.\d+)*%?\.?", t)]


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("dist")
    return out, write_dist(out)


def test_every_number_in_the_card_comes_from_stats(dist):
    out, _ = dist
    stats = json.loads((out / "stats.json").read_text())
    meta, body = split_card((out / "README.md").read_text())
    allowed = stats_scalars(stats)
    numbers = card_numbers(body)
    assert len(numbers) > 40  # the tables are really there
    assert [n for n in numbers if n not in allowed] == []
    # and the other way round: the headline counts are shown
    for name, src in stats["sources"].items():
        assert re.search(rf"`{name}` \|.*\| {src['in']} \| {src['out']} \|", body)
    for cfg in stats["configs"].values():
        for n in cfg["splits"].values():
            assert str(n) in numbers


def test_yaml_header_matches_stats(dist):
    out, stats = dist
    meta, _ = split_card((out / "README.md").read_text())
    assert meta["license"] == "other" and meta["source_licenses"] == {
        "long-scenes": "MIT",
        "tiny-snippets": "CC-BY-NC-SA-4.0",
    }
    assert meta["task_categories"] == ["text-generation"] and meta["language"] == ["en"]
    assert meta["size_categories"] == ["n<1K"] and "manim" in meta["tags"]
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert configs["clean"].get("default") is True and "default" not in configs["curriculum-by-length"]
    assert configs["clean"]["data_files"] == [
        {"split": "train", "path": "clean/train-*.parquet"},
        {"split": "test", "path": "clean/test-*.parquet"},
    ]
    for info in meta["dataset_info"]:
        expected = {s: n for s, n in stats["configs"][info["config_name"]]["splits"].items() if n}
        assert {s["name"]: s["num_examples"] for s in info["splits"]} == expected
        assert [f["name"] for f in info["features"]] == list(FEATURES)


def test_card_yaml_loads_every_config_from_the_folder(dist):
    out, stats = dist
    for name, cfg in stats["configs"].items():
        loaded = datasets.load_dataset(str(out), name, cache_dir=str(out.parent / "hf-cache"))
        assert {s: d.num_rows for s, d in loaded.items()} == {s: n for s, n in cfg["splits"].items() if n}
        assert loaded["train"].features == FEATURES
    ranks = datasets.load_dataset(str(out), "curriculum-by-length", cache_dir=str(out.parent / "hf-cache"))
    tokens = ranks["train"]["n_tokens"]
    assert ranks["train"]["curriculum_rank"] == list(range(len(tokens))) and tokens == sorted(tokens)


def test_sections_with_missing_stats_say_so(tmp_path):
    stats = {"configs": {"clean": {"splits": {"train": 3}, "description": "d"}}, "sources": {}}
    text = render_card(stats, tmp_path)
    meta, body = split_card(text)
    assert meta["configs"] == [
        {
            "config_name": "clean",
            "data_files": [{"split": "train", "path": "clean/train-*.parquet"}],
            "default": True,
        }
    ]
    for phrase in (
        "no length report",
        "hold no funnel",
        "do not record fixes",
        "no deduplication report",
        "do not describe the validation environment",
        "list no sources",
    ):
        assert phrase in body
    assert (tmp_path / "README.md").read_text() == text


def test_single_licence_and_failed_accounting_are_shown(tmp_path):
    recs = [replace(r, license="MIT") for r in sample_records(8)]
    stats = write_dist(tmp_path, recs, accounting={"ok": False})
    meta, body = split_card((tmp_path / "README.md").read_text())
    assert meta["license"] == "mit" and "source_licenses" not in meta
    assert "Accounting failed" in body
    assert stats["lengths"]["plots"] == ["plots/n_tokens_all.png", "plots/n_tokens_by_source.png"]


def test_length_report_flags_gaps_and_plots_are_reproducible(tmp_path):
    recs = sample_records()
    first = length_report(recs, LABELS, out_dir=tmp_path / "a")
    second = length_report(list(reversed(recs)), LABELS, out_dir=tmp_path / "b")
    assert first == second
    for rel in first["plots"]:
        png = (tmp_path / "a" / rel).read_bytes()
        assert png.startswith(b"\x89PNG") and png == (tmp_path / "b" / rel).read_bytes()
    cov = first["coverage"]
    assert set(cov) == {ALL, "long-scenes", "tiny-snippets"}
    assert cov["tiny-snippets"]["easy"] == 100.0
    assert abs(sum(cov[ALL].values()) - 100.0) < 0.5
    assert any("tiny-snippets" in g and "short code" in g for g in first["gaps"])
    assert not any("long-scenes" in g for g in first["gaps"])
    skewed = [replace(r, difficulty="easy") for r in recs[:15]] + [replace(recs[15], difficulty="expert")]
    flags = length_report(skewed, LABELS, min_share=10.0)["gaps"]
    assert [f.split("'")[1] for f in flags if f.startswith("bucket")] == ["medium", "hard", "expert"]
    assert "bucket 'expert' holds only 6.2% of rows (under 10.0%)" in flags


def test_metadata_parses_as_datasets_reads_it(dist):
    _, stats = dist
    card_data = DatasetCardData(**card_metadata(stats))
    configs = MetadataConfigs.from_dataset_card_data(card_data)
    infos = DatasetInfosDict.from_dataset_card_data(card_data)
    assert set(configs) == set(infos) == set(stats["configs"])
    assert infos["clean"].splits["train"].num_examples == stats["configs"]["clean"]["splits"]["train"]
    assert infos["clean"].features == FEATURES


def test_card_and_in_process_builder_describe_the_dataset_alike(samples_build):
    from manim_code_dataset import ManimCodeDataset

    card = (samples_build.out_dir / "README.md").read_text()
    for name in ("clean", "dedup-strict", "curriculum-by-length"):
        info = ManimCodeDataset(config_name=name)._info()
        assert info.citation in card
        assert info.homepage in card
        assert " ".join(info.description.split()) in " ".join(card.split())
        assert info.features == datasets.Features.from_dict(samples_build.stats["features"])
