"""Shape the validated, deduplicated rows into each config's rows (which rows, which order)."""

from __future__ import annotations

from dataclasses import replace

from builder import lengths
from builder.config import STAGES, BuildSettings, DatasetConfig
from builder.dedup.exact import survivor_order
from builder.quality import normalise_description
from builder.schema import SPLITS, Exclusion, Record


def passed(rec: Record, stage: str) -> bool:
    """Did the row pass `stage` (or a later one)?"""
    reached = STAGES.index(rec.validation.stage) if rec.validation.stage in STAGES else 0
    ok_stage = reached if rec.validation.status == "ok" else reached - 1
    return ok_stage >= STAGES.index(stage)


def one_per_description(records: list[Record], config: str) -> tuple[list[Record], list[Exclusion]]:
    """Keep the best row per normalised description; alternative solutions are dropped with a reason."""
    best: dict[str, Record] = {}
    for rec in sorted(records, key=survivor_order):
        best.setdefault(normalise_description(rec.description), rec)
    keep_ids = {r.id for r in best.values()}
    dropped = [
        Exclusion(
            id=r.id,
            source=r.source,
            stage="shape",
            reason="same-description",
            description=r.description,
            code=r.code,
            scope=config,
            duplicate_of=best[normalise_description(r.description)].id,
        )
        for r in records
        if r.id not in keep_ids
    ]
    return [r for r in records if r.id in keep_ids], dropped


def add_difficulty(records: list[Record], settings: BuildSettings) -> list[Record]:
    """Difficulty = length-quantile bucket, computed over all clean rows so every config agrees."""
    values = [getattr(r, settings.difficulty_metric) for r in records]
    labels = lengths.difficulty_buckets(values, settings.difficulty_edges, settings.difficulty_labels)
    return [replace(r, difficulty=label) for r, label in zip(records, labels, strict=True)]


def shape_config(
    records: list[Record], cfg: DatasetConfig
) -> tuple[dict[str, list[Record]], list[Exclusion]]:
    """Rows per split for one config, in export order."""
    dropped: list[Exclusion] = []
    rows = []
    for rec in records:
        if passed(rec, cfg.validation_stage):
            rows.append(rec)
        else:
            dropped.append(
                Exclusion(
                    id=rec.id,
                    source=rec.source,
                    stage=rec.validation.stage,
                    scope=cfg.name,
                    reason=f"{rec.validation.stage}:{rec.validation.error_type or rec.validation.status}",
                    description=rec.description,
                    code=rec.code,
                    detail=rec.validation.error,
                )
            )
    if cfg.drop_suspect_pairs:
        dropped += [
            Exclusion(
                id=r.id,
                source=r.source,
                stage="shape",
                reason="suspect-pair",
                scope=cfg.name,
                description=r.description,
                code=r.code,
            )
            for r in rows
            if r.suspect_pair
        ]
        rows = [r for r in rows if not r.suspect_pair]
    if cfg.one_per_description:
        rows, more = one_per_description(rows, cfg.name)
        dropped += more
    splits: dict[str, list[Record]] = {
        s: sorted((r for r in rows if r.split == s), key=lambda r: r.id) for s in SPLITS
    }
    if cfg.order_by_length:
        splits["train"] = lengths.curriculum_order(splits["train"], cfg.length_metric)
    return splits, dropped
