"""Manim code dataset as a `datasets.GeneratorBasedBuilder` with the configs clean, dedup-strict and
curriculum-by-length.

`datasets` 5.x no longer runs dataset scripts from the Hub or by path, so this builder is used
in-process:

    from manim_code_dataset import ManimCodeDataset
    builder = ManimCodeDataset(config_name="dedup-strict")
    builder.download_and_prepare()
    ds = builder.as_dataset()

The published dataset needs no code at all: `manim-dataset build` writes parquet per config and a card
whose `configs:` YAML lets `load_dataset("org/manim-code", "curriculum-by-length")` read it. Both paths
run the same `builder.pipeline.build`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import datasets

from builder.about import CITATION, HOMEPAGE, LICENSE
from builder.config import CONFIG_NAMES, load_dataset_config
from builder.pipeline import build
from builder.schema import FEATURES, SPLITS, to_row


@dataclass
class ManimCodeConfig(datasets.BuilderConfig):
    """A config of the dataset; `sources` are sources YAML files (default: the bundled samples)."""

    sources: tuple[str, ...] | None = None
    build_cache_dir: str = ".cache/manim-dataset"
    jobs: int = 1


def _config(name: str) -> ManimCodeConfig:
    return ManimCodeConfig(
        name=name, version=datasets.Version("0.1.0"), description=load_dataset_config(name).description
    )


class ManimCodeDataset(datasets.GeneratorBasedBuilder):
    """Description-to-Manim-code pairs, merged from several sources, cleaned, deduplicated and validated."""

    BUILDER_CONFIG_CLASS = ManimCodeConfig
    BUILDER_CONFIGS = [_config(name) for name in CONFIG_NAMES]
    DEFAULT_CONFIG_NAME = "clean"

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(
            description=self.config.description,
            features=FEATURES,
            homepage=HOMEPAGE,
            license=LICENSE,
            citation=CITATION,
        )

    def _split_generators(self, dl_manager):
        sources = [Path(p) for p in self.config.sources] if self.config.sources else None
        result = build(
            sources=sources,
            configs=[self.config.name],
            out_dir=None,
            cache_dir=Path(self.config.build_cache_dir),
            jobs=self.config.jobs,
            progress=False,
        )
        splits = result.configs[self.config.name]
        return [
            datasets.SplitGenerator(name=split, gen_kwargs={"records": splits[split]})
            for split in SPLITS
            if splits[split]
        ]

    def _generate_examples(self, records):
        for rec in records:
            yield rec.id, to_row(rec)
