"""The build pipeline: stage contract and runner (stage.py), the global stages (stages.py), the
per-config stages (config_stages.py), stats (report.py) and `build()` (build.py)."""

from builder.pipeline.build import BuildResult, build

__all__ = ["BuildResult", "build"]
