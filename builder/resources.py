"""Where the shipped configs and the card template live, installed or in a checkout.

A wheel carries the repository's `configs/` and `dataset_card/` folders as package data
(`builder.shipped.configs`, `builder.shipped.dataset_card`); an editable install or a plain checkout reads
them from the repository. Users point a build at their own configs with `--config-dir`.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]


@cache
def shipped(name: str) -> Path:
    """The folder `configs` or `dataset_card`: package data when installed, else the checkout's."""
    found = Path(str(importlib.resources.files("builder.shipped"))) / name  # a regular package: a real path
    return found if found.is_dir() else CHECKOUT / name


def configs_dir() -> Path:
    return shipped("configs")


def card_template_dir() -> Path:
    return shipped("dataset_card")
