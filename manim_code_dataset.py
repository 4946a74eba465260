"""Manim code dataset as a `datasets.GeneratorBasedBuilder` with the configs clean, dedup-strict and
curriculum-by-length.

`datasets` 5.x no longer runs dataset scripts from the Hub or by path, so this builder is used
in-process:

    from manim_code_dataset import ManimCodeDataset
    builder = ManimCodeDataset(config_name="dedup-strict")  # sources=("my_sources.yaml",), jobs=2, ...
    builder.download_and_prepare()
    ds = builder.as_dataset()

The published dataset needs no code at all: `manim-dataset build` writes parquet per config and a card
whose `configs:` YAML lets `load_dataset("org/manim-code", "curriculum-by-length")` read it. Both paths
run the same `builder.pipeline.build`, with the same `BuildRequest`.
"""

from __future__ import annotations

import dataclasses

import datasets

from builder.about import CITATION, HOMEPAGE, LICENSE
from builder.config import CONFIG_NAMES, load_dataset_config
from builder.pipeline import build
from builder.request import config_fields, request_from_config
from builder.schema import FEATURES, SPLITS, to_row

# The config carries the build request's knobs (sources, jobs, build_cache_dir, ...), from one declaration.
ManimCodeConfig = dataclasses.make_dataclass(
    "ManimCodeConfig",
    config_fields(),
    bases=(datasets.BuilderConfig,),
    namespace={"__doc__": "A config of the dataset; its knobs are those of builder.request.BuildRequest."},
)


def _config(name: str) -> datasets.BuilderConfig:
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
        result = build(request_from_config(self.config, self.config.name))
        splits = result.configs[self.config.name]
        return [
            datasets.SplitGenerator(name=split, gen_kwargs={"records": splits[split]})
            for split in SPLITS
            if splits[split]
        ]

    def _generate_examples(self, records):
        for rec in records:
            yield rec.id, to_row(rec)
