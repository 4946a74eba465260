"""Build settings and the three dataset configs, read from `configs/*.yaml` (configs are data, not code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.errors import ConfigError
from builder.resources import configs_dir
from builder.schema import STAGES

CONFIG_NAMES = ("clean", "dedup-strict", "curriculum-by-length")


@dataclass(frozen=True)
class DatasetConfig:
    """What one published config holds: which rows (dedup, validation) and in what order."""

    name: str
    description: str
    default: bool = False
    validation_stage: str = "parse"  # the stage every row must pass
    near_dup_threshold: float | None = None  # MinHash near-dup at this Jaccard; None = off
    one_per_description: bool = False  # keep only the best row per (near-)identical description
    drop_suspect_pairs: bool = False
    order_by_length: bool = False
    length_metric: str = "n_tokens"


@dataclass(frozen=True)
class BuildSettings:
    """Knobs shared by every config: splits, limits, fixes, difficulty buckets."""

    seed: int = 0
    split_fractions: dict[str, float] = field(
        default_factory=lambda: {"train": 0.9, "validation": 0.05, "test": 0.05}
    )
    max_code_chars: int = 100_000
    max_ast_nodes: int = 40_000  # more syntax nodes than this: a data dump (too-complex), not a scene
    min_description_chars: int = 8
    disabled_fixes: tuple[str, ...] = ()
    difficulty_edges: tuple[float, ...] = (0.25, 0.5, 0.75)
    difficulty_labels: tuple[str, ...] | None = ("easy", "medium", "hard", "expert")
    difficulty_metric: str = "n_tokens"
    max_rows_per_shard: int = 50_000
    decontamination_threshold: float = 0.7  # train/validation rows this close to a test row leave
    against_near_threshold: float | None = 0.85  # --against: a near match counts as "changed"
    validation_timeout_s: float = 60.0  # wall clock per scene in the sandbox
    row_timeout_s: float = 120.0  # wall clock per row for cleaning and static checks (then excluded)
    tokenizer: str | None = None  # local tokenizer.json (or its folder) for n_model_tokens; never downloaded
    hub_repo: str | None = None  # where this dataset is published (used in the card's load snippets)
    executor: str = "local"  # where the per-row stages run: local | ray (builder/executors)
    ray_address: str | None = None  # --executor ray: the cluster (None: $RAY_ADDRESS or a local instance)
    describe: str = "missing"  # when to ask the LLM for a caption: never | missing | always
    llm_base_url: str | None = None  # an OpenAI-compatible endpoint (vLLM, TGI, Ollama, a hosted API)
    llm_model: str | None = None
    llm_api_key_env: str = "OPENAI_API_KEY"  # the variable holding the key (the key is never in a file)
    llm_max_concurrency: int = 4


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: expected a mapping")
    return doc


def _construct(cls, doc: dict[str, Any], path: Path):
    known = set(cls.__dataclass_fields__)
    unknown = set(doc) - known
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {sorted(unknown)}; known: {sorted(known)}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in doc.items()}
    return cls(**values)


def load_dataset_config(name: str, config_dir: Path | None = None) -> DatasetConfig:
    path = (config_dir or configs_dir()) / f"{name}.yaml"
    if not path.exists():
        raise ConfigError(f"unknown config {name!r}: no {path} (known: {', '.join(CONFIG_NAMES)})")
    cfg = _construct(DatasetConfig, read_yaml(path), path)
    if cfg.name != name:
        raise ConfigError(f"{path}: name {cfg.name!r} does not match the file name")
    if cfg.validation_stage not in STAGES:
        raise ConfigError(f"{path}: validation_stage must be one of {STAGES}")
    return cfg


def load_build_settings(config_dir: Path | None = None) -> BuildSettings:
    path = (config_dir or configs_dir()) / "build.yaml"
    settings = _construct(BuildSettings, read_yaml(path), path) if path.exists() else BuildSettings()
    total = sum(settings.split_fractions.values())
    if set(settings.split_fractions) - {"train", "validation", "test"} or abs(total - 1.0) > 1e-9:
        raise ConfigError(f"{path}: split_fractions must use train/validation/test and sum to 1, got {total}")
    if settings.executor not in ("local", "ray"):
        raise ConfigError(f"{path}: executor must be local or ray, not {settings.executor!r}")
    return settings


def default_sources() -> Path:
    """The bundled sample sources: what `build` reads when no sources file is given."""
    return configs_dir() / "sources" / "samples.yaml"
