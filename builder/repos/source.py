"""`kind: repo` sources: every discovered scene of a repository as a RawRow, with provenance and licence.

Extraction parses strangers' files with native code on the build's host, so it runs in a forked child
(`isolated_extract`): the child says which file or scene it is about to work on, and if it dies or
stalls there, that file or scene becomes a `crash:source` / `timeout:source` exclusion and a fresh child
carries on without it. Results are deterministic, so the rerun skips what was already delivered.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from builder.isolated import Died, isolated_stream
from builder.repos.clone import RepoCheckout, checkout
from builder.repos.extract import SceneResult, extract_repo, refused
from builder.repos.license import detect_license
from builder.repos.repo_files import RepoFiles, RepoLimits
from builder.schema import Origin, RawRow

EXTRACT_TIMEOUT_S = 600.0  # no progress for this long on one file or scene: it is excluded


def isolated_extract(
    root: Path, *, timeout_s: float = EXTRACT_TIMEOUT_S, **options: Any
) -> Iterator[SceneResult]:
    """`extract_repo(root, **options)` in a child process that a file can crash or hang without harm."""
    crashed: set[str] = set()
    delivered: set[str] = set()
    license = options.get("license") or "unknown"
    while True:
        current: str | None = None
        died: Died | None = None

        def produce(send: Any, skip: frozenset[str] = frozenset(crashed)) -> None:
            for result in extract_repo(root, on_parse=lambda key: send(("at", key)), crashed=skip, **options):
                send(("result", result))

        for message in isolated_stream(produce, timeout_s=timeout_s):
            if isinstance(message, Died):
                died = message
                break
            tag, value = message
            if tag == "at":
                current = value
            elif value.locator not in delivered:
                delivered.add(value.locator)
                yield value
        if died is None:
            return
        if current is None or current in crashed:  # not attributable to one file: the repo stops here
            yield refused(".", f"{died.kind}:source", license, detail=died.detail)
            return
        crashed.add(current)
        path, _, scene = current.partition("::")
        yield refused(path, f"{died.kind}:source", license, scene=scene, detail=died.detail)


def iter_repo_rows(spec: Any, cache_dir: Path) -> Iterator[RawRow]:
    """RawRows of a `kind: repo` source. Options: `max_datafile_bytes` (default 64 KiB),
    `max_file_bytes` (2 MiB), `max_files` (20,000), `exclude_licenses` (SPDX ids, or "unknown", whose
    rows are yielded as excluded `license:<id>`)."""
    return repo_rows(spec, open_repo(spec, cache_dir))


def open_repo(spec: Any, cache_dir: Path) -> RepoCheckout:
    """Clone or find the repo now, so a bad URL, revision or folder stops the build before any work."""
    return checkout(
        spec.path, getattr(spec, "revision", None), Path(cache_dir), Path(getattr(spec, "base_dir", "."))
    )


def repo_limits(options: dict[str, Any]) -> RepoLimits:
    return RepoLimits(
        **{k: int(options[k]) for k in ("max_files", "max_file_bytes", "max_datafile_bytes") if k in options}
    )


def repo_rows(spec: Any, repo: RepoCheckout) -> Iterator[RawRow]:
    """The RawRows of a checked-out repo source."""
    options = dict(getattr(spec, "options", None) or {})
    limits = repo_limits(options)
    spec_license = getattr(spec, "license", None)
    license = (
        spec_license
        if spec_license and spec_license != "unknown"
        else detect_license(RepoFiles(repo.root, limits))
    )
    blocked = {str(x) for x in options.get("exclude_licenses", ())}
    name = options.get("package_name") or repo.url.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    results = isolated_extract(
        repo.root,
        license=license,
        include=getattr(spec, "include", ()) or (),
        exclude=getattr(spec, "exclude", ()) or (),
        limits=limits,
        repo_name=str(name),
        detect_dialects=False,  # the fixes stage detects the dialect of every row, once
    )
    for res in results:
        excluded = res.reason if res.status == "excluded" else None
        if excluded is None and any(part in blocked for part in license.split(" AND ")):
            excluded = f"license:{license}"
        yield RawRow(
            source=spec.name,
            locator=res.locator,
            description=res.description,
            code=res.code,
            origin=Origin(
                dataset=repo.url,
                revision=repo.commit,
                path=res.path,
                class_name=res.scene,
                line_start=res.line_start,
                line_end=res.line_end,
            ),
            license=license,
            priority=getattr(spec, "priority", 50),
            description_source=res.description_source,
            fixes=res.fixes,
            excluded=excluded,
            detail=res.detail,
        )
