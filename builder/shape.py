"""Shape the validated, deduplicated rows into each config's rows (which rows, which order)."""

from __future__ import annotations

from dataclasses import replace

from builder import lengths
from builder.config import STAGES, BuildSettings, DatasetConfig
from builder.dedup.stage import dedup_config
from builder.schema import SPLITS, Exclusion, Record


def passed(rec: Record, stage: str) -> bool:
    """Did the row pass `stage` (or a later one)?"""
    reached = STAGES.index(rec.validation.stage) if rec.validation.stage in STAGES else 0
    ok_stage = reached if rec.validation.status == "ok" else reached - 1
    return ok_stage >= STAGES.index(stage)


def add_difficulty(records: list[Record], settings: BuildSettings) -> list[Record]:
    """Difficulty = length-quantile bucket, computed over all clean rows so every config agrees."""
    values = [getattr(r, settings.difficulty_metric) for r in records]
    labels = lengths.difficulty_buckets(values, settings.difficulty_edges, settings.difficulty_labels)
    return [replace(r, difficulty=label) for r, label in zip(records, labels, strict=True)]


def shape_config(
    records: list[Record], cfg: DatasetConfig
) -> tuple[dict[str, list[Record]], list[Exclusion], dict]:
    """Rows per split for one config, in export order; the rows it dropped; its dedup stats."""
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
    rows, more, dedup_stats = dedup_config(rows, cfg)
    dropped += more
    splits: dict[str, list[Record]] = {
        s: sorted((r for r in rows if r.split == s), key=lambda r: r.id) for s in SPLITS
    }
    if cfg.order_by_length:
        splits["train"] = lengths.curriculum_order(splits["train"], cfg.length_metric)
    return splits, dropped, dedup_stats
