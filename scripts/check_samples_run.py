"""Check that the bundled sample scenes behave as intended on the installed Manim CE.

Every scene of the sample data (`configs/samples/scenes/*.py`, read with `make_samples.load()`) must
run (all its Scene subclasses, dry run, no files written); every `runtime_fail` row of `broken:` in
`configs/samples/rows.yaml` must fail; every `fixable` row must run once its removed names are renamed.
By default animations are skipped (each play jumps to its end state);
`--full` draws every frame at low quality, which also exercises updaters at intermediate times. One warm process imports manim once and forks a child per code, so config
changes and monkeypatches cannot leak between samples. Each child gets 60 s.

Usage: python scripts/check_samples_run.py [KEY ...]     (exit status 1 if any expectation is unmet)
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
import types
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_samples  # noqa: E402

TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Outcome:
    key: str
    expect_ok: bool
    ok: bool
    seconds: float
    detail: str

    @property
    def as_expected(self) -> bool:
        return self.ok == self.expect_ok


def _scene_classes(module: types.ModuleType) -> list[type]:
    """Scene subclasses defined by the sample itself that implement construct."""
    from manim import Scene

    found = []
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, Scene)
            and value.__module__ == module.__name__
            and value.construct is not Scene.construct
        ):
            found.append(value)
    return found


def _child(code: str, workdir: str, full: bool, conn) -> None:  # runs in the forked child
    try:
        os.chdir(workdir)
        from manim import config

        config.dry_run = True
        config.disable_caching = True
        config.verbosity = "ERROR"
        config.progress_bar = "none"
        config.media_dir = os.path.join(workdir, "media")
        if full:  # draw every frame (low quality) so intermediate states are exercised too
            config.quality = "low_quality"
        module = types.ModuleType("sample_scene")
        sys.modules[module.__name__] = module
        exec(compile(code, "<sample>", "exec"), module.__dict__)
        classes = _scene_classes(module)
        if not classes:
            conn.send((False, "no Scene subclass with construct"))
            return
        for cls in classes:
            cls(skip_animations=not full).render()
        conn.send((True, ", ".join(c.__name__ for c in classes)))
    except BaseException as exc:  # report every failure kind, including SystemExit
        conn.send((False, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"))
    finally:
        conn.close()


def run_one(key: str, code: str, expect_ok: bool, workdir: str, full: bool = False) -> Outcome:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    start = time.perf_counter()
    proc = ctx.Process(target=_child, args=(code, workdir, full, child))
    proc.start()
    child.close()
    ok, detail = False, "no result"
    if parent.poll(TIMEOUT_S):
        try:
            ok, detail = parent.recv()
        except EOFError:
            detail = "child died without a result"
    else:
        detail = f"timeout after {TIMEOUT_S:.0f} s"
        proc.kill()
    proc.join(5)
    return Outcome(key, expect_ok, ok, time.perf_counter() - start, detail)


def planned_runs(keys: set[str] | None) -> list[tuple[str, str, bool]]:
    """(label, code, expect_ok) for every sample the checker should run."""
    samples = make_samples.load()
    runs = [(k, s.code, True) for k, s in samples.scenes.items()]
    for b in samples.broken.values():
        if b.runtime_fail and b.code:
            runs.append((b.key, b.code, False))
        if b.fixable and b.code:
            fixed = b.code
            for old, new in b.renames:
                fixed = fixed.replace(old, new)
            runs.append((f"{b.key}+fixed", fixed, True))
    if keys:
        runs = [r for r in runs if r[0].split("+")[0] in keys]
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="*", help="only these sample keys")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="reuse this directory (and its LaTeX cache) instead of a fresh temporary one",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="draw every frame at low quality (slower; still writes no video)",
    )
    args = parser.parse_args(argv)

    import manim  # noqa: F401  (warm the parent once; children inherit it)

    outcomes = []
    with tempfile.TemporaryDirectory(prefix="sample-check-") as tmp:
        workdir = str(args.workdir or tmp)
        os.makedirs(workdir, exist_ok=True)
        for label, code, expect_ok in planned_runs(set(args.keys) or None):
            outcome = run_one(label, code, expect_ok, workdir, args.full)
            outcomes.append(outcome)
            mark = "ok  " if outcome.as_expected else "FAIL"
            want = "run" if expect_ok else "fail"
            print(f"{mark} {label:32s} want {want:4s} {outcome.seconds:5.2f}s  {outcome.detail}", flush=True)

    bad = [o for o in outcomes if not o.as_expected]
    valid = [o for o in outcomes if o.expect_ok]
    print(
        f"\n{len(outcomes)} runs, {len(bad)} unexpected; {sum(o.ok for o in valid)}/{len(valid)} valid codes ran; "
        f"total {sum(o.seconds for o in outcomes):.1f}s, slowest "
        f"{max(outcomes, key=lambda o: o.seconds).key if outcomes else '-'} "
        f"{max((o.seconds for o in outcomes), default=0):.2f}s"
    )
    slow = sorted((o for o in valid if o.seconds > 2), key=lambda o: -o.seconds)
    if slow:
        print("over 2 s: " + ", ".join(f"{o.key} {o.seconds:.1f}s" for o in slow))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
