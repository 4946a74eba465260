"""The wheel carries every subpackage and the data a build needs (scripts/check_wheel.sh installs one
into a fresh venv and builds from an empty folder; this is the cheap half of that check)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from builder.resources import card_template_dir, configs_dir

ROOT = Path(__file__).resolve().parents[1]


def test_every_builder_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "builder").rglob("__init__.py")}
    assert on_disk <= listed, f"add to pyproject.toml [tool.setuptools] packages: {sorted(on_disk - listed)}"


def test_shipped_resources_resolve():
    assert (configs_dir() / "build.yaml").is_file()
    assert (configs_dir() / "sources" / "samples.yaml").is_file()
    assert (card_template_dir() / "README.md.j2").is_file()
