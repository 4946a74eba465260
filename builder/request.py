"""One build request: the knobs of a run, declared once and shared by `build()`, the `build` command's
flags and `manim_code_dataset.ManimCodeConfig`.

Each field's metadata says how it appears on the command line (`flag`, `help`, argparse keywords) and
whether the in-process builder's config carries it (`config`, under which name). `add_build_flags` and
`request_from_args` derive the CLI from the fields, so a new knob cannot be parsed and then forgotten
(a test checks that every field has a flag and every flag reaches `build()`).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any


def knob(
    default: Any = MISSING,
    *,
    help: str,
    flag: str | None = None,
    config: str | None = None,
    **argparse_kw: Any,
) -> Any:
    meta = {"help": help, "flag": flag, "config": config, "argparse": argparse_kw}
    if callable(default) and not isinstance(default, type):
        return field(default_factory=default, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class BuildRequest:
    """What to build, from where, into where, and how."""

    sources: tuple[Path, ...] = knob(
        (), help="sources YAML (repeatable); default: the bundled samples", flag="--sources", config="sources",
        action="append", type=Path, metavar="FILE.yaml",
    )  # fmt: skip
    configs: tuple[str, ...] = knob(
        (),
        help="config to build (repeatable); default: all three",
        flag="--config",
        action="append",
        metavar="NAME",
    )
    out_dir: Path | None = knob(Path("dist"), help="output folder (default: dist)", flag="--out", type=Path)
    cache_dir: Path = knob(
        Path(".cache/manim-dataset"), help="build cache (verdicts, clones, Hub downloads)", flag="--cache-dir",
        config="build_cache_dir", type=Path,
    )  # fmt: skip
    jobs: int = knob(
        lambda: os.cpu_count() or 1,
        help="worker processes (default: all cores)",
        flag="--jobs",
        config="jobs",
        type=int,
    )
    progress: bool = knob(True, help="no progress bars", flag="--quiet", action="store_false")
    unsafe_no_sandbox: bool = knob(
        False, help="run untrusted scenes WITHOUT the bubblewrap sandbox (recorded in stats.json)",
        flag="--unsafe-no-sandbox", action="store_true",
    )  # fmt: skip
    against: str | None = knob(
        None, help="an earlier build (folder or Hub dataset id): rows get release_status new/changed/unchanged",
        flag="--against", config="against", metavar="DIR_OR_REPO",
    )  # fmt: skip
    config_dir: Path | None = knob(
        None, help="folder with build.yaml and the config YAMLs (default: the ones shipped with the package)",
        flag="--config-dir", config="config_dir", type=Path,
    )  # fmt: skip
    executor: str | None = knob(
        None, help="where cleaning, static checks and validation run: local (this machine's cores) or ray (a Ray "
        "cluster, one sandboxed scene worker per CPU slot; output identical to local); default: build.yaml's `executor`",
        flag="--executor", config="executor", choices=("local", "ray"),
    )  # fmt: skip
    ray_address: str | None = knob(
        None, help="Ray cluster to run on with --executor ray (e.g. ray://head:10001, auto); default: "
        "build.yaml's `ray_address`, $RAY_ADDRESS, else a local Ray instance with --jobs CPUs",
        flag="--ray-address", config="ray_address", metavar="ADDRESS",
    )  # fmt: skip
    describe: str | None = knob(
        None, help="when to ask the LLM for a description: never, missing (rows without a usable one) or "
        "always; without an endpoint the offline synthesiser writes them (default: build.yaml's `describe`)",
        flag="--describe", config="describe", choices=("never", "missing", "always"),
    )  # fmt: skip
    llm_base_url: str | None = knob(
        None, help="OpenAI-compatible endpoint for --describe, e.g. http://127.0.0.1:8000/v1 (key: $OPENAI_API_KEY)",
        flag="--llm-base-url", config="llm_base_url", metavar="URL",
    )  # fmt: skip
    llm_model: str | None = knob(
        None, help="model name the endpoint serves, for --describe", flag="--llm-model", config="llm_model",
        metavar="NAME",
    )  # fmt: skip

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", tuple(Path(p) for p in self.sources or ()))
        object.__setattr__(self, "configs", tuple(self.configs or ()))
        if self.out_dir is not None:
            object.__setattr__(self, "out_dir", Path(self.out_dir))
        object.__setattr__(self, "cache_dir", Path(self.cache_dir))
        object.__setattr__(self, "jobs", max(1, int(self.jobs)))


def with_changes(request: BuildRequest | None, **changes: Any) -> BuildRequest:
    """`request` (or the defaults) with `changes`, for `build(sources=..., jobs=...)` style calls."""
    return replace(request or BuildRequest(), **changes)


def add_build_flags(parser: argparse.ArgumentParser) -> None:
    for f in fields(BuildRequest):
        meta = f.metadata
        kwargs = dict(meta["argparse"])
        if kwargs.get("action") not in ("append", "store_true", "store_false"):
            kwargs.setdefault("default", None)  # None = "not given": the request's own default applies
        parser.add_argument(meta["flag"], dest=f.name, help=meta["help"], **kwargs)


def request_from_args(args: argparse.Namespace) -> BuildRequest:
    """The request the parsed flags describe (flags not given keep the request's defaults)."""
    given = {
        f.name: getattr(args, f.name) for f in fields(BuildRequest) if getattr(args, f.name, None) is not None
    }
    defaults = BuildRequest()
    for name in ("progress", "unsafe_no_sandbox"):  # store_true/false flags always have a value
        given.setdefault(name, getattr(defaults, name))
    return replace(defaults, **given)


def config_fields() -> list[tuple[str, Any, Any]]:
    """(name, type, dataclass field) of the request knobs the in-process builder's config carries."""
    out = []
    for f in fields(BuildRequest):
        name = f.metadata.get("config")
        if name:
            default = field(default=None)
            out.append((name, f.type, default))
    return out


def request_from_config(config: Any, name: str) -> BuildRequest:
    """The request an in-process builder config describes, for its one config `name`."""
    given = {}
    for f in fields(BuildRequest):
        alias = f.metadata.get("config")
        if alias and getattr(config, alias, None) is not None:
            given[f.name] = getattr(config, alias)
    return replace(BuildRequest(), configs=(name,), out_dir=None, progress=False, **given)
