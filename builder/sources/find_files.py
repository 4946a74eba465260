"""The files a `files` source names (a file, a folder or a glob), found with bounded work.

`glob.glob("/**/*.jsonl", recursive=True)` walks the whole machine before it answers, so a careless or
hostile `path:` would hang the build while its config is read. This walk starts at the pattern's
literal prefix, counts every directory entry it looks at, and stops with a clear error past
`MAX_ENTRIES` entries or `MAX_FILES` matches. Symlinked folders are not entered.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MAX_ENTRIES = 100_000  # directory entries looked at while expanding one path
MAX_FILES = 10_000  # files one source may read
TABULAR_SUFFIXES = frozenset({".parquet", ".jsonl", ".json", ".csv"})
_MAGIC = re.compile(r"[*?\[]")


class TooManyFiles(ValueError):
    """The path expands to too much; the message says what to narrow."""


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A glob (with `**` for any number of folders) as a regex over posix paths."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end].replace("\\", "\\\\")
            out.append(f"[{'^' + body[1:] if body.startswith('!') else body}]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _walk(base: Path, keep, max_depth: int | None = None) -> list[Path]:
    found: list[Path] = []
    seen = 0
    stack = [(base, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_ENTRIES:
                raise TooManyFiles(f"expanding it looks at more than {MAX_ENTRIES} entries under {base}")
            if entry.is_dir(follow_symlinks=False):
                if max_depth is None or depth < max_depth:
                    stack.append((Path(entry.path), depth + 1))
            elif keep(entry.path) and entry.is_file():
                found.append(Path(entry.path))
                if len(found) > MAX_FILES:
                    raise TooManyFiles(f"it matches more than {MAX_FILES} files")
    return sorted(found)


def find_files(path: str, base_dir: Path) -> list[str]:
    """The tabular files `path` names (relative paths against `base_dir`), sorted; raises TooManyFiles."""
    target = Path(path) if Path(path).is_absolute() else base_dir / path
    if not _MAGIC.search(str(target)):
        if target.is_dir():
            return [str(p) for p in _walk(target, lambda p: Path(p).suffix in TABULAR_SUFFIXES)]
        return [str(target)] if target.is_file() else []
    parts = target.as_posix().split("/")
    literal = next(i for i, part in enumerate(parts) if _MAGIC.search(part))
    base = Path("/".join(parts[:literal]) or "/")
    regex = _pattern_regex(target.as_posix())
    rest = parts[literal:]
    depth = None if any("**" in part for part in rest) else len(rest) - 1
    return [str(p) for p in _walk(base, lambda p: bool(regex.match(Path(p).as_posix())), depth)]
