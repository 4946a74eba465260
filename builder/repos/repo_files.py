"""Reading a repository a stranger wrote: nothing outside its root, only regular files, every read capped.

Extraction runs outside the sandbox, so a repo must not be able to make us read anything else: a
symlink to `~/.cache/huggingface/token`, a symlinked helper module or directory that points elsewhere,
a `sub/up -> ../../..` climb, `/proc/self/pagemap`, a FIFO or a device. Every open goes through
`RepoFiles`: the path is resolved to its real path, which must lie inside the repo's real root; the file
is opened without following a final symlink and without blocking, checked to be a regular file with
`fstat`, and read up to a byte limit. Anything else raises `RepoReadError` whose `reason`
(`outside-repo:<path>`, `special-file:<path>`, `file-too-large:<path>`, `unreadable:<path>`) becomes
the exclusion reason of the scenes that needed the file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "node_modules", "media", ".ipynb_checkpoints"}
)


@dataclass(frozen=True, slots=True)
class RepoLimits:
    """Limits on what one repo source may make us read (set per source under `options:`)."""

    max_files: int = 20_000  # files listed in the repo (after skipped folders)
    max_file_bytes: int = 2 * 1024**2  # one .py, .rst, .md or .ipynb file
    max_datafile_bytes: int = 64 * 1024  # one data file inlined into a program


class RepoReadError(Exception):
    """A file that must not or cannot be read; `reason` is the exclusion reason."""

    def __init__(self, kind: str, rel: str, detail: str = "") -> None:
        super().__init__(f"{kind}:{rel}" + (f" ({detail})" if detail else ""))
        self.reason = f"{kind}:{rel}"


class RepoTooLarge(Exception):
    """The repo has more files than `RepoLimits.max_files`."""


class RepoFiles:
    """The files of one repo checkout, read safely."""

    def __init__(self, root: Path, limits: RepoLimits = RepoLimits()) -> None:
        self.root = os.path.realpath(root)
        self.limits = limits

    def list(self) -> list[str]:
        """Posix relpaths of every file below the root, sorted; symlinked folders are not entered.

        Raises RepoTooLarge past `max_files` (the walk stops there, so a huge tree costs little).
        """
        out: list[str] = []
        stack = [""]  # an explicit stack: a tree thousands of folders deep must not exhaust recursion
        while stack:
            rel_dir = stack.pop()
            try:
                entries = sorted(os.scandir(os.path.join(self.root, rel_dir)), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                        stack.append(rel)
                else:
                    out.append(rel)
            if len(out) > self.limits.max_files:
                raise RepoTooLarge(f"more than {self.limits.max_files} files (options.max_files)")
        return sorted(out)

    def real_path(self, rel: str) -> str:
        """The real path of `rel`, which must stay inside the repo; raises RepoReadError otherwise."""
        real = os.path.realpath(os.path.join(self.root, rel))
        if real != self.root and not real.startswith(self.root + os.sep):
            raise RepoReadError("outside-repo", rel)
        return real

    def exists(self, rel: str) -> bool:
        """Whether the repo has an entry at `rel` (a file, folder or link, wherever it points)."""
        return os.path.lexists(os.path.join(self.root, rel))

    def is_file(self, rel: str) -> bool:
        """A regular file inside the repo (links allowed when they stay inside)."""
        try:
            return stat.S_ISREG(os.stat(self.real_path(rel)).st_mode)
        except (RepoReadError, OSError):
            return False

    def read_bytes(self, rel: str, limit: int | None = None) -> bytes:
        limit = self.limits.max_file_bytes if limit is None else limit
        real = self.real_path(rel)
        try:
            fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            raise RepoReadError("unreadable", rel, exc.strerror or "") from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise RepoReadError("special-file", rel)
            if info.st_nlink > 1:  # a hard link may name any file of the machine; git never makes them
                raise RepoReadError("special-file", rel, "a hard link")
            if info.st_size > limit:
                raise RepoReadError("file-too-large", rel, f"{info.st_size} bytes > {limit}")
            chunks, size = [], 0
            while size <= limit:
                chunk = os.read(fd, min(1 << 20, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > limit:  # the file grew, or stat lied
                raise RepoReadError("file-too-large", rel, f"more than {limit} bytes")
            return b"".join(chunks)
        except OSError as exc:
            raise RepoReadError("unreadable", rel, exc.strerror or "") from None
        finally:
            os.close(fd)

    def read_text(self, rel: str, limit: int | None = None) -> str:
        """UTF-8 text of a repo file (strict: undecodable bytes raise `unreadable:<path>`)."""
        data = self.read_bytes(rel, limit)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise RepoReadError("unreadable", rel, "not UTF-8") from None
