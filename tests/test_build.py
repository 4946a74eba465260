"""End-to-end builds: real sources in, parquet out, read back with the real `datasets`."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest

from builder.config import CONFIG_NAMES
from builder.dedup.exact import exact_key
from builder.pipeline import build
from builder.quality import normalise_description
from builder.schema import FEATURES

ROOT = Path(__file__).resolve().parent.parent
SHARED_SOURCES = ROOT / "tests" / "fixtures" / "sources" / "shared_data.yaml"
MANIMBENCH = ROOT.parent / "shared" / "data" / "manimbench_v1.parquet"


@pytest.fixture(scope="module")
def shared_build(tmp_path_factory, build_cache):
    out = tmp_path_factory.mktemp("dist")
    return build(sources=[SHARED_SOURCES], out_dir=out, cache_dir=build_cache, jobs=2, progress=False)


def _load(path: Path, config: str | None, tmp_path: Path) -> datasets.DatasetDict:
    if config is None:
        return datasets.load_dataset(str(path), cache_dir=str(tmp_path / "hf"))
    return datasets.load_dataset(str(path), config, cache_dir=str(tmp_path / "hf"))


def test_every_row_is_accounted_for(shared_build):
    stats = shared_build.stats
    assert stats["accounting"]["ok"]
    for name, src in stats["sources"].items():
        assert src["in"] == src["out"] + sum(src["excluded"].values()), name
    assert stats["sources"]["manimbench"]["in"] == 417
    assert stats["sources"]["edoh-collapsed"]["in"] == 599
    excluded_ids = [e.id for e in shared_build.exclusions if e.scope == "all"]
    kept_ids = {r.id for splits in shared_build.configs.values() for rows in splits.values() for r in rows}
    assert len(excluded_ids) == len(set(excluded_ids))
    assert not kept_ids & set(excluded_ids)
    assert len(kept_ids) + len(excluded_ids) == 417 + 599


def test_collapsed_rows_are_restored_or_excluded_with_a_reason(shared_build):
    edoh = [e for e in shared_build.exclusions if e.source == "edoh-collapsed" and e.scope == "all"]
    edoh_kept = shared_build.stats["sources"]["edoh-collapsed"]["out"]
    assert len(edoh) + edoh_kept == 599
    assert all(e.reason and e.stage for e in edoh)
    reasons = Counter(e.reason for e in edoh)
    # restored rows either survive or are copies of rows that do (the set repeats itself)
    assert edoh_kept + reasons["duplicate:exact"] + reasons["duplicate:near"] >= 0.95 * 599
    assert reasons["syntax-error"] == 0
    kept = [
        r for rows in shared_build.configs["clean"].values() for r in rows if r.source == "edoh-collapsed"
    ]
    assert all("COL001" in r.fixes and r.validation.stage == "runtime" for r in kept)


def test_manimbench_test_rows_stay_in_test(shared_build):
    bench = pq.read_table(MANIMBENCH).to_pylist()
    test_codes = {exact_key(r["Code"]) for r in bench if r["Split"] == "test"}
    clean = shared_build.configs["clean"]
    for split in ("train", "validation"):
        assert not test_codes & {exact_key(r.code) for r in clean[split]}
    unusable = {
        exact_key(e.code)
        for e in shared_build.exclusions
        if e.source == "manimbench" and e.stage not in {"dedup", "near-dup"}
    }
    kept_test = {exact_key(r.code) for r in clean["test"]}
    assert len(test_codes - unusable) >= 85
    assert test_codes - unusable <= kept_test  # every usable test program is still there, in test


def test_load_dataset_reads_every_config(shared_build, tmp_path):
    out = shared_build.out_dir
    for config in CONFIG_NAMES:
        ds = _load(out, config, tmp_path)
        for split, n in shared_build.stats["configs"][config]["splits"].items():
            assert (ds[split].num_rows if n else 0) == n, (config, split)
        assert ds["train"].features == FEATURES
    default = _load(out, None, tmp_path)
    assert default["train"].num_rows == shared_build.stats["configs"]["clean"]["splits"]["train"]


def test_fences_and_chat_columns(shared_build, tmp_path):
    ds = _load(shared_build.out_dir, "clean", tmp_path)
    for split in ds:
        for row in ds[split]:
            assert "```" not in row["code"]
            assert row["completion"] == f"```python\n{row['code']}\n```"
            assert row["completion"].count("```") == 2
            assert row["messages"] == [
                {"role": "user", "content": row["description"]},
                {"role": "assistant", "content": row["completion"]},
            ]
            assert row["prompt"] == row["description"]
            assert row["split"] == split


def test_configs_keep_their_promises(shared_build):
    clean = shared_build.configs["clean"]
    strict = shared_build.configs["dedup-strict"]
    curriculum = shared_build.configs["curriculum-by-length"]
    all_clean = [r for rows in clean.values() for r in rows]
    keys = [exact_key(r.code) for r in all_clean]
    assert len(keys) == len(set(keys))  # exact dedup
    strict_rows = [r for rows in strict.values() for r in rows]
    descs = [normalise_description(r.description) for r in strict_rows]
    assert len(descs) == len(set(descs))  # one row per description
    assert {r.id for r in strict_rows} <= {r.id for r in all_clean}
    assert len(strict_rows) < len(all_clean)  # ManimBench repeats some descriptions
    train = curriculum["train"]
    assert [r.curriculum_rank for r in train] == list(range(len(train)))
    assert [r.n_tokens for r in train] == sorted(r.n_tokens for r in train)
    assert {r.id for r in train} == {r.id for r in clean["train"]}
    for split in ("validation", "test"):
        assert [r.id for r in curriculum[split]] == [r.id for r in clean[split]]
    assert {r.difficulty for r in all_clean} == {"easy", "medium", "hard", "expert"}


def test_duplicates_are_merged_and_logged(shared_build):
    dups = [e for e in shared_build.exclusions if e.reason == "duplicate:exact"]
    survivors = {r.id: r for rows in shared_build.configs["clean"].values() for r in rows}
    logged = {e.id for e in shared_build.exclusions}
    checked = 0
    for e in dups:
        assert e.similarity == 1.0
        assert e.duplicate_of in survivors or e.duplicate_of in logged  # the survivor may fail later stages
        if e.duplicate_of not in survivors:
            continue
        checked += 1
        survivor = survivors[e.duplicate_of]
        assert exact_key(e.code) == exact_key(survivor.code)
        assert survivor.cluster_size >= 2
        if normalise_description(e.description) != normalise_description(survivor.description):
            assert e.description in survivor.alt_descriptions
    assert checked >= 0.9 * len(dups)
    excluded = pq.read_table(shared_build.out_dir / "excluded.parquet")
    assert excluded.num_rows == len(shared_build.exclusions)
    assert {"id", "source", "stage", "reason", "description", "code"} <= set(excluded.column_names)


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.parquet"))
    }


def test_builds_are_byte_identical(shared_build, tmp_path, build_cache):
    # same inputs, another output folder, one job instead of two; validation verdicts come from the cache
    again = build(
        sources=[SHARED_SOURCES], out_dir=tmp_path / "again", cache_dir=build_cache, jobs=1, progress=False
    )
    first, second = _digests(shared_build.out_dir), _digests(again.out_dir)
    assert len(first) == 3 * 3 + 1
    assert first == second
    # stats.json too, but for the line that says how the build ran (its executor's slots: --jobs)
    stats = [json.loads((d / "stats.json").read_text()) for d in (shared_build.out_dir, again.out_dir)]
    assert [s.pop("executor") for s in stats] == [
        {"name": "local", "nodes": 1, "slots": 2},
        {"name": "local", "nodes": 1, "slots": 1},
    ]
    assert stats[0] == stats[1]


def test_generator_based_builder_matches_the_export(shared_build, tmp_path, build_cache):
    from manim_code_dataset import ManimCodeDataset

    builder = ManimCodeDataset(
        config_name="dedup-strict",
        cache_dir=str(tmp_path / "hf"),
        sources=(str(SHARED_SOURCES),),
        build_cache_dir=str(build_cache),
    )
    builder.download_and_prepare()
    ds = builder.as_dataset()
    exported = _load(shared_build.out_dir, "dedup-strict", tmp_path)
    for split in ds:
        assert ds[split]["id"] == exported[split]["id"]
        assert ds[split]["completion"] == exported[split]["completion"]
    assert builder.info.features == exported["train"].features


def test_bundled_samples_build(samples_build, tmp_path):
    stats = samples_build.stats
    assert stats["accounting"]["ok"]
    assert sum(s["in"] for s in stats["sources"].values()) >= 150
    reasons = Counter(e.reason for e in samples_build.exclusions if e.scope == "all")
    for reason in (
        "syntax-error",
        "empty-code",
        "missing-code",
        "no-scene",
        "no-code",
    ):
        assert reasons[reason] >= 1, reason
    assert reasons["missing-description"] == 0  # the rows without one run, so they get one written
    assert reasons["duplicate:exact"] >= 20
    clean = [r for rows in samples_build.configs["clean"].values() for r in rows]
    # copies from other files were merged: their descriptions live on as alternatives
    merged = [r for r in clean if r.cluster_size > 1]
    assert merged and any(r.alt_descriptions for r in merged)
    assert {r.source for r in merged} >= {"sample-bench"}
    # the boilerplate wrapper of the prompt/code set never reaches a description
    assert not any("Generate accurate and correct ManimCE" in r.description for r in clean)
    # every row the bench file marks as test stays in test (with its copies)
    for r in clean:
        if r.source_split == "test":
            assert r.split == "test"
    written = [r for r in clean if r.description_source == "synthesized"]
    assert written, "the sample rows with a blank or missing description get a synthesised one"
    for rec in written:
        assert len(rec.description) >= 40 and rec.scene_class in rec.description
        assert rec.trace is not None and any(a in rec.description for a in rec.trace.animations)
    ds = _load(samples_build.out_dir, "curriculum-by-length", tmp_path)
    assert ds["train"]["curriculum_rank"] == list(range(ds["train"].num_rows))


def test_stats_json_contract(samples_build):
    stats = json.loads((samples_build.out_dir / "stats.json").read_text())
    for name, src in stats["sources"].items():
        assert {"in", "out", "excluded"} <= set(src), name
    for config, cfg in stats["configs"].items():
        for split in ("train", "validation", "test"):
            assert cfg[split] == cfg["splits"][split] == len(samples_build.configs[config][split])
