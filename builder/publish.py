"""Publish a finished build (`dist/`) to a Hub dataset repo in one atomic commit, then tag and verify it.

Why one commit: a reader of the repo must see either the old build or the new one, never a mix. The
whole `dist/` goes in a single `HfApi.create_commit` (additions plus deletions of files the new build no
longer has) guarded by `parent_commit`, so a concurrent update or a failure midway leaves the branch where
it was. Nothing is committed when the remote already holds exactly these files. The token comes from
`HF_TOKEN` or the stored `hf auth login` (huggingface_hub's own lookup) and is never printed or written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import socket
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

KEEP_REMOTE = frozenset({".gitattributes"})  # files the Hub manages; never deleted by a publish
EXCLUSIONS = "excluded.parquet"  # uploaded only with --include-exclusions (it holds rejected code)
REPO_TYPE = "dataset"


class PublishError(RuntimeError):
    """A publish that must not go ahead (bad build, conflicting tag, ...) or that failed verification."""


@dataclass(frozen=True, slots=True)
class LocalFile:
    path: str  # path in the repo (posix, relative to dist/)
    source: Path
    size: int
    git_oid: str  # git blob sha1, what the Hub reports for regular files
    sha256: str  # what the Hub reports for LFS files


@dataclass(frozen=True, slots=True)
class RemoteFile:
    path: str
    size: int
    git_oid: str
    sha256: str | None  # set when the file is stored with LFS


@dataclass(frozen=True, slots=True)
class Plan:
    """What one commit would change; `parent` is the remote head it was computed against."""

    add: tuple[LocalFile, ...]
    update: tuple[LocalFile, ...]
    delete: tuple[str, ...]
    unchanged: tuple[str, ...]
    parent: str | None
    repo_exists: bool = True
    offline: bool = False  # the Hub could not be reached: planned against an empty repository

    @property
    def is_noop(self) -> bool:
        return self.repo_exists and not (self.add or self.update or self.delete)

    def describe(self) -> str:
        head = "(none: offline plan)" if self.offline else "(new repo)"
        lines = [f"parent commit: {self.parent or head}"]
        lines += [f"  add     {f.path} ({f.size} bytes)" for f in self.add]
        lines += [f"  update  {f.path} ({f.size} bytes)" for f in self.update]
        lines += [f"  delete  {p}" for p in self.delete]
        lines += [f"  keep    {p} (unchanged)" for p in self.unchanged]
        lines.append(
            f"{len(self.add)} to add, {len(self.update)} to update, {len(self.delete)} to delete, "
            f"{len(self.unchanged)} unchanged" + (" -> nothing to commit" if self.is_noop else "")
        )
        return "\n".join(lines)


@dataclass(slots=True)
class Result:
    plan: Plan
    commit: str | None = None  # commit the branch points to after publishing
    committed: bool = False
    tagged: str | None = None
    in_flight: bool = False  # the commit request was sent and not answered yet
    verified: dict[str, dict[str, int]] = field(default_factory=dict)


# -- the build --------------------------------------------------------------------------------------------
def load_stats(dist: Path) -> dict[str, Any]:
    """Read `dist/stats.json` and refuse builds that say accounting or validation failed."""
    path = dist / "stats.json"
    if not path.is_file():
        raise PublishError(f"{path} is missing: not a finished build")
    try:
        stats = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PublishError(f"{path} is not valid JSON: {exc}") from exc
    for section in ("accounting", "validation", "validation_env", "build"):
        part = stats.get(section)
        if isinstance(part, dict) and part.get("ok") is False:
            why = part.get("message") or part.get("errors") or ""
            raise PublishError(f"the build's {section} failed; refusing to publish it {why}".rstrip())
    if not stats.get("configs"):
        raise PublishError("stats.json lists no configs")
    if not (dist / "README.md").is_file():
        raise PublishError(f"{dist / 'README.md'} (the dataset card) is missing")
    return stats


def expected_rows(stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Config -> split -> rows, for the splits that have rows (empty splits have no files)."""
    return {
        name: {s: n for s, n in cfg.get("splits", {}).items() if n} for name, cfg in stats["configs"].items()
    }


def check_data_files(dist: Path, stats: dict[str, Any]) -> None:
    """Each config/split in stats has its parquet file with exactly the row count stats claims."""
    for config, splits in expected_rows(stats).items():
        for split, n in splits.items():
            files = sorted((dist / config).glob(f"{split}-*.parquet"))
            if not files:
                raise PublishError(f"no parquet file for {config}/{split} in {dist}")
            rows = sum(pq.read_metadata(f).num_rows for f in files)
            if rows != n:
                raise PublishError(
                    f"{config}/{split}: stats.json says {n} rows, the parquet files hold {rows}"
                )


def local_files(dist: Path, *, include_exclusions: bool = False) -> list[LocalFile]:
    """Every file under dist/ except hidden ones (and the exclusion log unless asked), with the hashes
    the Hub reports for comparison."""
    out = []
    for file in sorted(dist.rglob("*")):
        rel = file.relative_to(dist)
        if not file.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if rel.as_posix() == EXCLUSIONS and not include_exclusions:
            continue
        data = file.read_bytes()
        git_oid = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        out.append(LocalFile(rel.as_posix(), file, len(data), git_oid, hashlib.sha256(data).hexdigest()))
    return out


# -- the remote -------------------------------------------------------------------------------------------
def remote_state(api: Any, repo: str, revision: str) -> tuple[str | None, list[RemoteFile] | None]:
    """(head commit, files) of the branch, or (None, None) when the repo does not exist yet."""
    from huggingface_hub import RepoFile
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        info = api.repo_info(repo, repo_type=REPO_TYPE, revision=revision)
    except RepositoryNotFoundError:
        return None, None
    files = [
        RemoteFile(e.path, e.size, e.blob_id, e.lfs.sha256 if e.lfs else None)
        for e in api.list_repo_tree(repo, repo_type=REPO_TYPE, revision=info.sha, recursive=True)
        if isinstance(e, RepoFile)
    ]
    return info.sha, files


def same_content(local: LocalFile, remote: RemoteFile) -> bool:
    if remote.sha256 is not None:
        return remote.sha256 == local.sha256
    return remote.git_oid == local.git_oid


def make_plan(local: Iterable[LocalFile], remote: list[RemoteFile] | None, parent: str | None) -> Plan:
    """Compare local and remote files: pure, so the dry run shows exactly what a publish would do."""
    by_path = {f.path: f for f in remote or []}
    local = list(local)
    add = tuple(f for f in local if f.path not in by_path)
    update = tuple(f for f in local if f.path in by_path and not same_content(f, by_path[f.path]))
    unchanged = tuple(f.path for f in local if f.path in by_path and same_content(f, by_path[f.path]))
    names = {f.path for f in local}
    delete = tuple(sorted(p for p in by_path if p not in names and p not in KEEP_REMOTE))
    return Plan(add, update, delete, unchanged, parent, repo_exists=remote is not None)


def is_network_error(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) means the endpoint could not be reached at all: refused, name
    not resolved, proxy or TLS failure, timeout, offline mode. An HTTP answer (401, 404, 500) is not."""
    from huggingface_hub.errors import HfHubHTTPError, HTTPError

    transport = getattr(sys.modules[HTTPError.__module__.split(".")[0]], "TransportError", ())
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, HfHubHTTPError):
            return False
        if isinstance(exc, (transport, ConnectionError, TimeoutError, socket.gaierror)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unreachable(endpoint: str, exc: BaseException, remote: str) -> PublishError:
    """The error a real publish raises when the network fails: the endpoint, what to check, and what
    became of the remote."""
    return PublishError(
        f"cannot reach the Hub at {endpoint} ({_reason(exc)}); check HF_ENDPOINT, the proxy settings "
        f"(HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and the token (HF_TOKEN or `hf auth login`); {remote}"
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def existing_tag(api: Any, repo: str, tag: str) -> str | None:
    refs = api.list_repo_refs(repo, repo_type=REPO_TYPE)
    return next((t.target_commit for t in refs.tags if t.name == tag), None)


def commit_message(stats: dict[str, Any]) -> tuple[str, str]:
    counts = ", ".join(f"{c} {sum(s.values())}" for c, s in expected_rows(stats).items())
    build = stats.get("build") or {}
    ident = build.get("fingerprint") or build.get("id") or build.get("version") or ""
    title = f"Publish build {ident}".strip() + f" ({counts} rows)"
    return title, json.dumps(build, sort_keys=True)[:2000] if build else ""


def verify(repo: str, revision: str, stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Load every config back with `datasets.load_dataset` at that exact commit and compare row counts."""
    import datasets

    expected = expected_rows(stats)
    found: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="manim-dataset-verify-") as cache:
        for config in expected:
            loaded = datasets.load_dataset(repo, config, revision=revision, cache_dir=cache)
            found[config] = {split: ds.num_rows for split, ds in loaded.items()}
    if found != expected:
        raise PublishError(f"published data does not match the build: expected {expected}, loaded {found}")
    return found


def publish(
    dist: Path,
    repo: str,
    *,
    revision: str = "main",
    tag: str | None = None,
    private: bool = False,
    dry_run: bool = False,
    include_exclusions: bool = False,
    api: Any = None,
    out: Any = sys.stdout,
) -> Result:
    """Publish `dist` to dataset repo `repo`; see the module docstring for the guarantees."""
    from huggingface_hub import HfApi, get_token

    stats = load_stats(dist)
    check_data_files(dist, stats)
    api = api or HfApi()
    if not dry_run and not (api.token or get_token()):
        raise PublishError("no Hub token: set HF_TOKEN or run `hf auth login`")
    files = local_files(dist, include_exclusions=include_exclusions)
    try:
        parent, remote = remote_state(api, repo, revision)
    except Exception as exc:
        if not is_network_error(exc):
            raise
        if not dry_run:
            raise unreachable(api.endpoint, exc, "nothing was sent, the remote was not changed") from None
        print(
            f"Hub unreachable at {api.endpoint} ({_reason(exc)}): planning against an empty repository",
            file=out,
        )
        plan = replace(make_plan(files, None, None), offline=True)
    else:
        plan = make_plan(files, remote, parent)
    print(plan.describe(), file=out)
    result = Result(plan=plan, commit=plan.parent)
    if dry_run and plan.offline:
        print("dry run: nothing was sent", file=out)
        return result
    try:
        return _send(api, repo, revision, tag, private, dry_run, stats, result, out)
    except Exception as exc:
        if not is_network_error(exc):
            raise
        raise unreachable(api.endpoint, exc, _remote_state_after(result, repo, revision)) from None


def _remote_state_after(result: Result, repo: str, revision: str) -> str:
    """What a network failure left on the remote, as far as the client can know."""
    before = result.plan.parent or "no commit"
    if result.committed:
        return (
            f"{result.commit} was committed to {repo}@{revision}, the tag or check did not finish: run again"
        )
    if result.in_flight:
        return (
            f"the commit was not confirmed: {repo}@{revision} holds either {before} or this whole build "
            "(one commit, never a mix); run again"
        )
    return f"the remote was not changed ({repo}@{revision} at {before})"


def _send(
    api: Any,
    repo: str,
    revision: str,
    tag: str | None,
    private: bool,
    dry_run: bool,
    stats: dict[str, Any],
    result: Result,
    out: Any,
) -> Result:
    """Tag check, then (unless a dry run) the one commit, the tag and the read-back check."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    plan, parent = result.plan, result.plan.parent
    if tag and plan.repo_exists:
        target = existing_tag(api, repo, tag)
        if target is not None and not (plan.is_noop and target == parent):
            raise PublishError(f"tag {tag} already exists on {repo} (at {target}); pick a new version")
    if dry_run:
        print("dry run: nothing was sent", file=out)
        return result

    if plan.is_noop:
        print(f"{repo}@{revision} already holds this build ({parent}); no commit", file=out)
    else:
        if not plan.repo_exists:
            api.create_repo(repo, repo_type=REPO_TYPE, private=private, exist_ok=True)
            parent, _ = remote_state(api, repo, revision)
        ops: list[Any] = [CommitOperationAdd(f.path, f.source) for f in (*plan.add, *plan.update)]
        ops += [CommitOperationDelete(p) for p in plan.delete]
        title, description = commit_message(stats)
        result.in_flight = True
        info = api.create_commit(
            repo,
            ops,
            commit_message=title,
            commit_description=description,
            repo_type=REPO_TYPE,
            revision=revision,
            parent_commit=parent,
        )
        result.commit, result.committed, result.in_flight = info.oid, True, False
        print(f"committed {info.oid} to {repo}@{revision}", file=out)

    if tag and existing_tag(api, repo, tag) is None:
        api.create_tag(repo, tag=tag, revision=result.commit, repo_type=REPO_TYPE, tag_message=f"build {tag}")
        result.tagged = tag
        print(f"tagged {result.commit} as {tag}", file=out)

    result.verified = verify(repo, result.commit, stats)
    print("verified row counts: " + json.dumps(result.verified, sort_keys=True), file=out)
    return result


# -- CLI --------------------------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dist", type=Path, help="build output folder (holds stats.json, README.md, configs)")
    parser.add_argument("--repo", required=True, help="dataset repo id, ORG/NAME")
    parser.add_argument("--revision", default="main", help="branch to commit to (default: main)")
    parser.add_argument("--tag", help="tag the published commit, e.g. v1.2.0")
    parser.add_argument("--private", action="store_true", help="create the repo as private if it is new")
    parser.add_argument("--dry-run", action="store_true", help="print the commit plan and send nothing")
    parser.add_argument(
        "--include-exclusions",
        action="store_true",
        help=f"also upload {EXCLUSIONS} (the rejected rows, their code and one-line error details)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        publish(
            args.dist,
            args.repo,
            revision=args.revision,
            tag=args.tag,
            private=args.private,
            dry_run=args.dry_run,
            include_exclusions=args.include_exclusions,
        )
    except Exception as exc:  # noqa: BLE001 - one clear line instead of a traceback, whatever failed
        cause = f" (cause: {exc.__cause__})" if exc.__cause__ else ""
        print(f"publish failed: {_redact(f'{exc}{cause}')}", file=sys.stderr)
        return 1
    return 0


def _redact(text: str) -> str:
    """Belt and braces: no error message may carry the token."""
    from huggingface_hub import get_token

    token = get_token()
    return text.replace(token, "***") if token else text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="manim-dataset publish", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
