"""Benchmark repo extraction (discovery + program building) on a generated repo.

Generates ~2,000 files holding ~5,000 scenes that share helpers through every import style the
extractor handles (re-exporting `manim_imports_ext`, package imports, relative imports, star imports,
module-qualified calls, base scenes in other modules, scenes subclassing scenes), then runs
`extract_repo` in one process and prints scenes/s (one core) and peak RSS.

    .venv/bin/python benchmarks/bench_repos.py [--files 2000] [--scenes-per-file 2.5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

N_HELPER_MODULES = 20
N_BASE_MODULES = 10


def _helper_module(i: int) -> str:
    funcs = "\n\n".join(
        f"def shape_{i}_{j}(scale=SCALE_{i}):\n    # helper {j} of module {i}\n"
        f"    return VGroup(Square(scale), Circle(scale / 2)).arrange(RIGHT, buff=GAP_{i})"
        for j in range(8)
    )
    return (
        f'"""Shared helpers, part {i}."""\n\nfrom manim import *\n\nSCALE_{i} = {1 + i / 10}\nGAP_{i} = 0.{i % 9 + 1}\n'
        f"COLORS_{i} = [BLUE, GREEN, RED]\n\n\n{funcs}\n\n\n"
        f"class Card{i}(VGroup):\n    def __init__(self, **kwargs):\n"
        f"        super().__init__(Rectangle(width=2, height=1, color=COLORS_{i}[0]), **kwargs)\n"
    )


def _base_module(i: int) -> str:
    return (
        f"from manim import *\n\nfrom helpers.part{i} import Card{i}\n\n\n"
        f"class Base{i}Scene(Scene):\n    def setup(self):\n        self.card = Card{i}()\n\n"
        f"    def construct(self):\n        self.add(self.card)\n        self.body()\n\n"
        f"    def body(self):\n        raise NotImplementedError\n"
    )


def _scene_file(rng: random.Random, f: int, n_scenes: int) -> str:
    h = rng.randrange(N_HELPER_MODULES)
    b = rng.randrange(N_BASE_MODULES)
    style = f % 4
    if style == 0:
        header = "from manim_imports_ext import *\n"
        call = f"shape_{h}_{{j}}()"
    elif style == 1:
        header = f"from manim import *\nfrom helpers.part{h} import *\n"
        call = f"shape_{h}_{{j}}()"
    elif style == 2:
        header = f"from manim import *\nfrom helpers import part{h} as hp\n"
        call = f"hp.shape_{h}_{{j}}()"
    else:
        header = f"from manim import *\nimport helpers.part{h}\n"
        call = f"helpers.part{h}.shape_{h}_{{j}}()"
    header += f"from bases.base{b} import Base{b}Scene\n\nLOCAL_RUN_TIME = 0.{f % 9 + 1}\n\n\n"
    header += "def local_helper(n):\n    return VGroup(*(Dot() for _ in range(n))).arrange(RIGHT)\n"
    scenes = []
    for s in range(n_scenes):
        j = rng.randrange(8)
        kind = rng.randrange(3)
        if kind == 0 or s == 0:
            scenes.append(
                f'class Scene{f}x{s}(Scene):\n    """Scene {s} of file {f}."""\n\n    def construct(self):\n'
                f"        group = {call.format(j=j)}\n        dots = local_helper({s + 2})\n"
                f"        self.play(Create(group), run_time=LOCAL_RUN_TIME)\n        self.play(FadeIn(dots))\n"
            )
        elif kind == 1:
            scenes.append(
                f"class Scene{f}x{s}(Base{b}Scene):\n    def body(self):\n"
                f"        self.play(FadeIn({call.format(j=j)}), run_time=LOCAL_RUN_TIME)\n"
            )
        else:
            scenes.append(
                f"# variant of the first scene\nclass Scene{f}x{s}(Scene{f}x0):\n    def construct(self):\n"
                f"        super().construct()\n        self.wait(LOCAL_RUN_TIME)\n"
            )
    return header + "\n\n" + "\n\n".join(scenes)


def generate(root: Path, n_files: int, scenes_per_file: float, seed: int = 7) -> int:
    rng = random.Random(seed)
    (root / "helpers").mkdir(parents=True)
    (root / "bases").mkdir()
    (root / "helpers" / "__init__.py").write_text("")
    (root / "bases" / "__init__.py").write_text("")
    for i in range(N_HELPER_MODULES):
        (root / "helpers" / f"part{i}.py").write_text(_helper_module(i))
    for i in range(N_BASE_MODULES):
        (root / "bases" / f"base{i}.py").write_text(_base_module(i))
    (root / "manim_imports_ext.py").write_text(
        "from manim import *\n" + "".join(f"from helpers.part{i} import *\n" for i in range(N_HELPER_MODULES))
    )
    n_scene_files = n_files - N_HELPER_MODULES - N_BASE_MODULES - 3
    total = 0
    for f in range(n_scene_files):
        folder = root / "chapters" / f"ch{f // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        n = int(scenes_per_file) + (1 if rng.random() < scenes_per_file % 1 else 0)
        (folder / f"part{f:04d}.py").write_text(_scene_file(rng, f, n))
        total += n
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--scenes-per-file", type=float, default=2.55)
    parser.add_argument("--keep", type=Path, default=None, help="generate here and keep it")
    args = parser.parse_args(argv)

    from builder.repos.extract import extract_repo, manim_exports

    names = manim_exports()  # computed once per manim version, outside the timed part
    tmp = Path(tempfile.mkdtemp(prefix="bench-repos-")) if args.keep is None else args.keep
    root = tmp / "benchrepo"
    if root.exists():
        shutil.rmtree(root)
    t0 = time.perf_counter()
    generated = generate(root, args.files, args.scenes_per_file)
    t1 = time.perf_counter()
    n_files = sum(1 for _ in root.rglob("*.py"))
    cpu0 = time.process_time()
    results = list(extract_repo(root, license="MIT", manim_names=names, detect_dialects=False))
    cpu1 = time.process_time()
    t2 = time.perf_counter()
    programs = [r.code for r in results if r.status == "ok"]
    from builder.repos.extract import dialect_of

    dialects = [dialect_of(code) for code in programs[:500]]
    cpu2 = time.process_time()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = sum(r.status == "ok" for r in results)
    scenes = len(results)
    print(f"generated {n_files} files, {generated} scene classes in {t1 - t0:.1f}s")
    print(f"discovery + program building: {scenes} scenes ({ok} ok, {scenes - ok} excluded)")
    print(f"  CPU {cpu1 - cpu0:.1f}s -> {scenes / (cpu1 - cpu0):.1f} scenes/s per core (wall {t2 - t1:.1f}s)")
    print(
        f"dialect detection (builder.fixes.dialect, re-parsing): {len(dialects) / (cpu2 - cpu1):.1f} programs/s per core"
    )
    print(f"peak RSS: {peak_mb:.0f} MB")
    if args.keep is None:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
