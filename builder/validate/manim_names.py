"""The names `from manim import *` really exports, computed from the installed manim.

Computed once per process in a subprocess (so the builder itself never imports manim, ~1 s and 120 MB)
and cached on disk per manim version, so a rebuild pays nothing.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

_PROBE = """
import json, manim
namespace = {}
exec("from manim import *", namespace)  # exactly what a scene file gets
names = sorted(n for n in namespace if n != "__builtins__")
scenes = [n for n in names if isinstance(namespace[n], type) and issubclass(namespace[n], manim.Scene)]
print(json.dumps({"version": manim.__version__, "exports": names, "scenes": scenes}))
"""


@dataclass(frozen=True, slots=True)
class ManimNames:
    version: str
    exports: frozenset[str]  # what `from manim import *` binds
    scenes: frozenset[str]  # the exported Scene subclasses (Scene, ThreeDScene, ...)


def _cache_file(version: str) -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "manim-code-dataset" / f"manim-names-{version}.json"


def manim_version() -> str:
    return metadata.version("manim")


@functools.cache
def manim_names() -> ManimNames:
    """Exports of the installed manim; raises RuntimeError if manim cannot be imported."""
    version = manim_version()
    path = _cache_file(version)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"cannot import manim to list its exports: {done.stderr[-800:]}") from None
        data = json.loads(done.stdout.strip().splitlines()[-1])
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data))
        except OSError:
            pass  # a read-only cache only costs time
    return ManimNames(data["version"], frozenset(data["exports"]), frozenset(data["scenes"]))
