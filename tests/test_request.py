"""One BuildRequest: every field has a `build` flag, every flag reaches `build()`, and the in-process
builder's config carries the same knobs."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from builder import cli
from builder.request import BuildRequest, config_fields, request_from_config

# a value different from the default for every field, and the command-line words that say it
NON_DEFAULT = {
    "sources": ((Path("a.yaml"), Path("b.yaml")), ["--sources", "a.yaml", "--sources", "b.yaml"]),
    "configs": (("clean", "dedup-strict"), ["--config", "clean", "--config", "dedup-strict"]),
    "out_dir": (Path("elsewhere"), ["--out", "elsewhere"]),
    "cache_dir": (Path("c"), ["--cache-dir", "c"]),
    "jobs": (7, ["--jobs", "7"]),
    "progress": (False, ["--quiet"]),
    "unsafe_no_sandbox": (True, ["--unsafe-no-sandbox"]),
    "against": ("org/previous", ["--against", "org/previous"]),
    "config_dir": (Path("my-configs"), ["--config-dir", "my-configs"]),
    "executor": ("ray", ["--executor", "ray"]),
    "ray_address": ("ray://head:10001", ["--ray-address", "ray://head:10001"]),
    "describe": ("always", ["--describe", "always"]),
    "llm_base_url": ("http://127.0.0.1:9/v1", ["--llm-base-url", "http://127.0.0.1:9/v1"]),
    "llm_model": ("tiny", ["--llm-model", "tiny"]),
}


def test_every_field_has_a_flag_and_every_flag_reaches_build(monkeypatch):
    assert set(NON_DEFAULT) == {f.name for f in fields(BuildRequest)}, "a new field needs a row here"
    seen: list[BuildRequest] = []

    class Stop(Exception):
        pass

    def fake_build(request):
        seen.append(request)
        raise Stop

    monkeypatch.setattr("builder.pipeline.build", fake_build)
    argv = ["build"] + [word for _, words in NON_DEFAULT.values() for word in words]
    with pytest.raises(Stop):
        cli.main(argv)
    (request,) = seen
    for name, (value, _) in NON_DEFAULT.items():
        assert getattr(request, name) == value, name
        assert getattr(BuildRequest(), name) != value, f"{name}: pick a non-default value"


def test_no_flags_means_the_defaults(monkeypatch):
    seen = []
    monkeypatch.setattr(
        "builder.pipeline.build", lambda request: seen.append(request) or (_ for _ in ()).throw(KeyError)
    )
    with pytest.raises(KeyError):
        cli.main(["build"])
    assert seen == [BuildRequest()]


def test_the_builder_config_carries_the_request_knobs():
    from manim_code_dataset import ManimCodeConfig

    names = {name for name, _, _ in config_fields()}
    assert names == {
        "sources", "build_cache_dir", "jobs", "against", "config_dir", "executor", "ray_address",
        "describe", "llm_base_url", "llm_model",
    }  # fmt: skip
    config = ManimCodeConfig(name="dedup-strict", sources=("x.yaml",), jobs=3, build_cache_dir="cache")
    request = request_from_config(config, "dedup-strict")
    assert request.sources == (Path("x.yaml"),) and request.jobs == 3 and request.cache_dir == Path("cache")
    assert request.configs == ("dedup-strict",) and request.out_dir is None and request.progress is False
