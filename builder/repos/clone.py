"""Where a repo source lives on disk: a local directory as is, or a git URL cloned once into the cache
and checked out at the pinned revision (fetched again only when the pinned revision is missing).

A sources YAML and the repos it names come from strangers, so nothing in them reaches git as an option
or a transport: URLs are limited to https, ssh (and scp-like `user@host:path`), git and file (the last
only for a folder that exists here); a revision is a commit hash or a ref name `git check-ref-format`
accepts; `--` ends the options before every positional argument; git runs with the ext and (unless
asked) file protocols off, no hooks, no fsmonitor, no credential helper, no terminal prompt, and an
environment that holds no tokens. Credentials in a URL are used for the clone and nowhere else:
`public_url` strips them before a URL is recorded in a row, in stats.json, the card or a message.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_SCHEMES = ("https", "ssh", "git", "file")
_SCP_LIKE = re.compile(
    r"^(?:(?P<user>[^@/:\s]+)(?::(?P<secret>[^@/\s]*))?@)?(?P<host>[A-Za-z0-9][A-Za-z0-9.-]*):(?P<path>[^/].*)$"
)
_COMMIT = re.compile(r"^(?:[0-9a-f]{7,40}|[0-9a-f]{64})$")
# The parts of the caller's environment git may see (proxies, certificates, ssh agent); never tokens.
_ENV_KEEP = (
    "PATH", "HOME", "LANG", "LC_ALL", "SSH_AUTH_SOCK", "SSL_CERT_FILE", "SSL_CERT_DIR", "GIT_SSL_CAINFO",
    "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY",
)  # fmt: skip


class CloneError(RuntimeError):
    """The repo could not be cloned or checked out; the message names the URL (without credentials)."""


@dataclass(frozen=True)
class RepoCheckout:
    root: Path
    url: str  # what origin.dataset records: the URL without credentials, or the local path as given
    commit: str | None


def is_url(path: str) -> bool:
    return "://" in path or "::" in path or bool(_SCP_LIKE.match(path)) or path.endswith(".git")


def public_url(url: str) -> str:
    """The URL as it may be shown and recorded: no user, password, token, query or fragment."""
    if "://" not in url:
        scp = _SCP_LIKE.match(url)
        return f"{scp['host']}:{scp['path']}" if scp and scp["secret"] is not None else url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:
        return "<invalid URL>"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _secrets(url: str) -> list[str]:
    if "://" not in url:
        scp = _SCP_LIKE.match(url)
        return [s for s in (scp["secret"], scp["user"]) if s] if scp and scp["secret"] is not None else []
    try:
        parts = urlsplit(url)
        return [s for s in (parts.password, parts.username, parts.query) if s]
    except ValueError:
        return [url]


def redact(text: str, url: str) -> str:
    """`text` (e.g. git's stderr) with the URL's credentials removed wherever they appear."""
    text = text.replace(url, public_url(url))
    for secret in _secrets(url):
        text = text.replace(secret, "***")
    return text


def url_problem(url: str, base_dir: Path = Path(".")) -> str | None:
    """Why a repo URL must not be used, or None. Checked before any work (see sources/spec.py)."""
    if not url or url.startswith("-") or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "must not be empty, start with '-' or contain spaces or control characters"
    scp = _SCP_LIKE.match(url)
    if "::" in url:
        return "git transports such as 'ext::' are not allowed"
    if "://" not in url:
        if scp:  # user@host:path, git's ssh shorthand
            if scp["secret"] is not None:
                return "credentials in an ssh address are not allowed (use an ssh key or agent)"
            if scp["path"].startswith("-") or (scp["user"] or "").startswith("-"):
                return "the user or path of an ssh address must not start with '-'"
            return None
        path = Path(url)
        if not (path if path.is_absolute() else base_dir / path).is_dir():
            return "a repo path must be a git URL or an existing local folder"
        return None
    scheme = url.split("://", 1)[0].lower()
    if scheme not in _SCHEMES:
        hint = " (use https)" if scheme == "http" else ""
        return f"scheme {scheme!r} is not allowed{hint}; allowed: {', '.join(_SCHEMES)}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as exc:
        return f"invalid URL ({exc})"
    if scheme == "file":
        path = Path(parts.path)
        if not (path if path.is_absolute() else base_dir / path).is_dir():
            return f"file:// URLs must name a local folder; {parts.path!r} is not one"
        return None
    if not parts.hostname or parts.hostname.startswith("-") or (parts.username or "").startswith("-"):
        return "the URL has no valid host, or its user starts with '-'"
    return None


def revision_problem(revision: object) -> str | None:
    """Why a revision must not be used, or None: a commit hash or a ref name git accepts."""
    if revision is None:
        return None
    if not isinstance(revision, str) or not revision or revision.startswith("-"):
        return "must be a commit hash or a ref name (and not start with '-')"
    if _COMMIT.match(revision):
        return None
    done = subprocess.run(
        ["git", "check-ref-format", "--allow-onelevel", revision],
        capture_output=True,
        env=_env(),
        check=False,
    )
    return None if done.returncode == 0 else f"{revision!r} is not a valid git ref name"


def _env() -> dict[str, str]:
    env = {k: os.environ[k] for k in _ENV_KEEP if k in os.environ}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1", GIT_ASKPASS="true", SSH_ASKPASS="true")
    env.setdefault("GIT_SSH_COMMAND", os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"))
    return env


def _git(*args: str, cwd: Path | None = None, allow_file: bool = False, url: str = "") -> str:
    hardening = [
        "-c", "protocol.ext.allow=never",
        "-c", f"protocol.file.allow={'always' if allow_file else 'never'}",
        "-c", "core.hooksPath=/dev/null",
        "-c", "core.fsmonitor=false",
        "-c", "credential.helper=",
        "-c", "submodule.recurse=false",
    ]  # fmt: skip
    proc = subprocess.run(
        ["git", *hardening, *args], cwd=cwd, capture_output=True, text=True, check=False, env=_env()
    )
    if proc.returncode != 0:
        shown = " ".join(public_url(a) if a == url else a for a in args)
        raise CloneError(redact(f"git {shown} failed: {proc.stderr.strip()}", url) if url else proc.stderr)
    return proc.stdout.strip()


def local_commit(root: Path) -> str | None:
    try:
        if not (root / ".git").exists():
            return None
        return _git("rev-parse", "--verify", "--end-of-options", "HEAD", cwd=root)
    except CloneError:
        return None


def checkout(path: str, revision: str | None, cache_dir: Path, base_dir: Path = Path(".")) -> RepoCheckout:
    """Resolve a repo source to a directory (cloning a URL into `cache_dir/repos/` at most once)."""
    if not is_url(path):
        root = Path(path) if Path(path).is_absolute() else (base_dir / path)
        if not root.is_dir():
            raise CloneError(f"repo directory {root} does not exist")
        return RepoCheckout(root.resolve(), path, local_commit(root))
    for problem in (url_problem(path, base_dir), revision_problem(revision)):
        if problem:
            raise CloneError(f"{public_url(path)}: {problem}")
    allow_file = path.lower().startswith("file://")
    name = public_url(path).rstrip("/").removesuffix(".git").rsplit("/", 1)[-1] or "repo"
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".") or "repo"
    dest = Path(cache_dir) / "repos" / f"{name}-{hashlib.sha1(path.encode()).hexdigest()[:10]}"
    git = {"allow_file": allow_file, "url": path}
    if not (dest / ".git").exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        _git("clone", "--quiet", "--no-checkout", "--", path, str(dest), **git)
    want = revision or "origin/HEAD"  # unpinned: the default branch as it was when cloned
    try:
        commit = _git("rev-parse", "--verify", "--end-of-options", f"{want}^{{commit}}", cwd=dest, **git)
    except CloneError:
        _git("fetch", "--quiet", "--", "origin", want, cwd=dest, **git)
        commit = _git("rev-parse", "--verify", "--end-of-options", "FETCH_HEAD^{commit}", cwd=dest, **git)
    if not _COMMIT.match(commit):
        raise CloneError(f"{public_url(path)}: git resolved {want!r} to {commit!r}, not a commit")
    _git("checkout", "--quiet", "--force", "--detach", commit, "--", cwd=dest, **git)  # cheap when there
    return RepoCheckout(dest, public_url(path), commit)
