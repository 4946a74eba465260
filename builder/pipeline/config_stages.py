"""The stages each config runs on the shared rows, with the config's name as the exclusion scope:
validation requirement -> near-dup at its threshold -> suspect pairs -> one row per description -> order.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder import lengths
from builder.config import DatasetConfig
from builder.dedup import descriptions
from builder.dedup.near import near_dup
from builder.pipeline.stage import Context, StageResult
from builder.pipeline.stages import signature_index
from builder.schema import SPLITS, STAGES, Drop, Record


def passed(rec: Record, stage: str) -> bool:
    """Did the row pass `stage` (or a later one)?"""
    reached = STAGES.index(rec.validation.stage) if rec.validation.stage in STAGES else 0
    ok_stage = reached if rec.validation.status == "ok" else reached - 1
    return ok_stage >= STAGES.index(stage)


@dataclass(frozen=True)
class RequireValidation:
    cfg: DatasetConfig
    name: str = "validation"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        kept, dropped = [], []
        for rec in records:
            if passed(rec, self.cfg.validation_stage):
                kept.append(rec)
            else:
                v = rec.validation
                dropped.append(Drop(rec.id, f"{v.stage}:{v.error_type or v.status}", v.error, stage=v.stage))
        return StageResult(kept, dropped)


@dataclass(frozen=True)
class NearDup:
    cfg: DatasetConfig
    name: str = "near-dup"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        if self.cfg.near_dup_threshold is None:
            return StageResult(records)
        result = near_dup(records, self.cfg.near_dup_threshold, signature_index(ctx))
        return StageResult(result.survivors, result.dropped, result.stats)


@dataclass(frozen=True)
class DropSuspects:
    """Programs keep the descriptions that match their code; a program leaves only when none does."""

    name: str = "suspect-pairs"
    exclusion_stage: str = "dedup"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        pruned = descriptions.drop_suspects(records)
        stats = {"descriptions_dropped": pruned.descriptions_dropped, "promoted": pruned.promoted}
        return StageResult(pruned.kept, pruned.dropped, stats)


@dataclass(frozen=True)
class OnePerDescription:
    name: str = "one-per-description"
    exclusion_stage: str = "dedup"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        kept, dropped = descriptions.one_per_description(records)
        return StageResult(kept, dropped)


@dataclass(frozen=True)
class Order:
    """Export order: by split, then id; a curriculum config orders its train split easy to hard."""

    cfg: DatasetConfig
    name: str = "order"

    def run(self, records: list[Record], ctx: Context) -> StageResult:
        splits = {s: sorted((r for r in records if r.split == s), key=lambda r: r.id) for s in SPLITS}
        if self.cfg.order_by_length:
            splits["train"] = lengths.curriculum_order(splits["train"], self.cfg.length_metric)
        return StageResult([r for s in SPLITS for r in splits[s]])


def config_stages(cfg: DatasetConfig) -> list:
    """The declared list of one config's stages."""
    stages: list = [RequireValidation(cfg), NearDup(cfg)]
    if cfg.drop_suspect_pairs:
        stages.append(DropSuspects())
    if cfg.one_per_description:
        stages.append(OnePerDescription())
    return [*stages, Order(cfg)]


def by_split(records: list[Record]) -> dict[str, list[Record]]:
    """A config's rows per split, in their export order."""
    return {s: [r for r in records if r.split == s] for s in SPLITS}
