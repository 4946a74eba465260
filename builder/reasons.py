"""The exclusion reasons: one documented vocabulary for every row that does not make it.

Each entry is a pattern (`<name>` marks a variable part), the stage that uses it and what it means.
The pipeline's runner refuses a reason that matches no pattern (a bug in a stage, not in the data), and
docs/reasons.md is generated from this table (`python -m builder.reasons`; a test checks it is current).
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

# (pattern, stage, meaning), grouped by the stage that emits them, in pipeline order.
REASONS: tuple[tuple[str, str, str], ...] = (
    ("unreadable-row", "source", "the source file has a line or row that cannot be read as a record"),
    ("license:<id>", "source", "the repo's licence is in the source's `exclude_licenses`"),
    ("outside-repo:<path>", "source", "the scene needs a repo file whose real path leaves the repo (a symlink out); never read"),
    ("special-file:<path>", "source", "the scene needs a FIFO, device or other non-regular file; never read"),
    ("file-too-large:<path>", "source", "a repo file over `max_file_bytes`; never read whole"),
    ("unreadable:<path>", "source", "a repo file that cannot be opened or is not UTF-8"),
    ("limit:repo-files", "source", "the repo has more files than `max_files`"),
    ("unparsable-file:<error>", "source", "a repo file with scenes that does not parse (e.g. Python 2)"),
    ("unresolved-name:<name>", "source", "the scene uses a name defined nowhere in the repo"),
    ("missing-module:<module>", "source", "the scene imports a local module the repo does not have"),
    ("syntax-error:<module>", "source", "a local module the scene needs does not parse"),
    ("unsupported:module-object:<name>", "source", "the scene uses a local module as an object (not inlinable)"),
    ("inline-error:<error>", "source", "building the scene's program failed"),
    ("data-file-binary:<path>", "source", "the scene reads a binary data file (not inlinable as text)"),
    ("data-file-too-large:<path>", "source", "the scene reads a data file over `max_datafile_bytes`"),
    ("fix-disabled:<code>", "source", "the program needs a repair that `disabled_fixes` turns off"),
    ("missing-code", "extract", "the code field is empty (None)"),
    ("empty-code", "extract", "the code field holds only whitespace or empty fences"),
    ("non-utf8", "extract", "the code field is bytes that are not UTF-8"),
    ("invalid-unicode", "extract", "the code holds a lone surrogate (parquet cannot store it)"),
    ("invalid-type:<type>", "extract", "the code field is not text"),
    ("binary-content", "extract", "the code holds NUL bytes"),
    ("too-large", "extract", "more than `max_code_chars` characters of code"),
    ("too-complex", "extract", "more than `max_ast_nodes` syntax nodes: a data dump, not a scene"),
    ("no-code", "extract", "prose without code, or code that the repairs reduced to nothing"),
    ("description-<problem>", "description", "the description field is not text (`non-utf8`, `invalid-unicode`, `invalid-type:...`)"),
    ("missing-description", "describe", "no usable description (none, a class name, a stub) and the code did not run, so none could be written from what it shows"),
    ("dialect:gl", "fix", "ManimGL code that still needs GL-only names or imports after conversion"),
    ("upgrade:graph-scene", "fix", "a `GraphScene` using members with no mechanical `Axes` equivalent"),
    ("asset:missing-data-file", "fix", "the scene loads a data file the row cannot carry"),
    ("unparsable:too-deep", "parse", "code nested too deeply for the parsers (an attack or generated junk)"),
    ("syntax-error", "parse", "Python that does not parse, even after the repairs"),
    ("no-scene", "parse", "Python without a Manim Scene subclass"),
    ("no-construct", "parse", "a Scene subclass without construct()"),
    ("crash:<stage>", "<stage>", "the row crashed the worker process handling it (e.g. a segfault in a parser)"),
    ("timeout:<stage>", "<stage>", "the row made its worker exceed `row_timeout_s`"),
    ("duplicate:exact", "dedup", "the same program (comments, docstrings, formatting ignored) as `duplicate_of`"),
    ("duplicate:exact-strong", "dedup", "the same program up to names and literals (strong exact dedup)"),
    ("decontaminated", "decontaminate", "a train/validation row near (Jaccard >= threshold) a test row"),
    ("static:<error>", "validation", "failed the static checks (e.g. `static:undefined-name`, `static:tamper:os.write`, `static:missing-asset`)"),
    ("runtime:worker-died", "validation", "the scene killed or hung its sandboxed worker (replaced for the next scene); with `--executor ray`, also a scene whose Ray actor was lost 3 times while running it (after fewer losses it is run again on another actor)"),
    ("runtime:<error>", "validation", "failed when run in the sandbox (e.g. `runtime:NameError`, `runtime:missing-package:scipy`, `runtime:timeout`, `runtime:worker-died`, `runtime:tamper:sys.settrace`)"),
    ("runtime:shows-nothing", "validation", "every scene runs, but none plays an animation or leaves a mobject on screen (e.g. a ManimGL scene that was all `self.embed()`)"),
    ("render:<error>", "validation", "failed when its last frame was rendered"),
    ("parse:<error>", "validation", "did not parse (a config that requires only parsing)"),
    ("duplicate:near", "near-dup", "a near-duplicate (verified Jaccard >= the config's threshold) of `duplicate_of`"),
    ("suspect-pair", "dedup", "none of the row's descriptions shares a content word with the code (dedup-strict; a kept row loses only its descriptions that do not match, counted as `descriptions_dropped` in stats)"),
    ("alternative-solution", "dedup", "another program with a near-identical description was kept (dedup-strict)"),
)  # fmt: skip


def _regex(pattern: str) -> str:
    parts = re.split(r"<[a-z]+>", pattern)
    return ".+".join(re.escape(p) for p in parts)


@cache
def _compiled() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{_regex(p)})" for p, _, _ in REASONS) + r"\Z")


def is_known(reason: str) -> bool:
    """Whether `reason` belongs to the vocabulary."""
    return bool(_compiled().match(reason))


def check(reason: str) -> str:
    if not is_known(reason):
        raise ValueError(f"exclusion reason {reason!r} is not in builder/reasons.py (docs/reasons.md)")
    return reason


DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "reasons.md"


def render() -> str:
    lines = [
        "# Exclusion reasons",
        "",
        "Every row that is not in a config is in `excluded.parquet` with one of these reasons (`<name>`",
        "marks a variable part). Generated from `builder/reasons.py` by `python -m builder.reasons`.",
        "",
        "| reason | stage | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{p}` | {s} | {m.replace('|', '/')} |" for p, s, m in REASONS]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOC_PATH.write_text(render(), encoding="utf-8")
    sys.exit(0)
