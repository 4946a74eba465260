"""Where a repo source lives on disk: a local directory as is, or a git URL cloned once into the cache
and checked out at the pinned revision (fetched again only when the pinned revision is missing)."""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

_URL_PREFIXES = ("http://", "https://", "git://", "ssh://", "file://", "git@")


class CloneError(RuntimeError):
    """The repo could not be cloned or checked out; the message names the URL and revision."""


@dataclass(frozen=True)
class RepoCheckout:
    root: Path
    url: str  # what origin.dataset records: the URL, or the local path as given
    commit: str | None


def is_url(path: str) -> bool:
    return path.startswith(_URL_PREFIXES) or path.endswith(".git")


def _git(*args: str, cwd: Path | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise CloneError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def local_commit(root: Path) -> str | None:
    try:
        return _git("rev-parse", "HEAD", cwd=root) if (root / ".git").exists() else None
    except CloneError:
        return None


def checkout(path: str, revision: str | None, cache_dir: Path, base_dir: Path = Path(".")) -> RepoCheckout:
    """Resolve a repo source to a directory (cloning a URL into `cache_dir/repos/` at most once)."""
    if not is_url(path):
        root = Path(path) if Path(path).is_absolute() else (base_dir / path)
        if not root.is_dir():
            raise CloneError(f"repo directory {root} does not exist")
        return RepoCheckout(root.resolve(), path, local_commit(root))
    name = path.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1] or "repo"
    dest = Path(cache_dir) / "repos" / f"{name}-{hashlib.sha1(path.encode()).hexdigest()[:10]}"
    if not (dest / ".git").exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        _git("clone", "--quiet", path, str(dest))
    want = revision or "origin/HEAD"  # unpinned: the default branch as it was when cloned
    try:
        commit = _git("rev-parse", "--verify", f"{want}^{{commit}}", cwd=dest)
    except CloneError:
        _git("fetch", "--quiet", "origin", want, cwd=dest)
        commit = _git("rev-parse", "--verify", "FETCH_HEAD^{commit}", cwd=dest)
    if _git("rev-parse", "HEAD", cwd=dest) != commit:
        _git("checkout", "--quiet", "--detach", commit, cwd=dest)
    return RepoCheckout(dest, path, commit)
