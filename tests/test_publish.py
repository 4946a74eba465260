"""Publishing (builder/publish.py) end to end against tests/hub_server.py, a protocol test server (not the Hub).

Each publish runs `python -m builder.publish` in a fresh process with HF_ENDPOINT pointed at the server
and HF_HUB_DISABLE_XET=1, exactly as a user would run it, with the real huggingface_hub and datasets.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hub_server import HubServer
from test_card import card_numbers, sample_records, split_card, stats_scalars, write_dist

from builder.publish import LocalFile, RemoteFile, local_files, main, make_plan

ROOT = Path(__file__).resolve().parent.parent
# The real build published in the round trip. TODO(lead): switch to the bundled samples through a
TOKEN = "hf_protocolTestSecret0123456789"
REPO = "test-org/manim-code"


def _env(hub: HubServer | str, home: Path, token: str | None = TOKEN) -> dict[str, str]:
    """The environment of a publish against `hub` (a test server, or an endpoint URL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE_"))}
    env.update(
        HF_ENDPOINT=hub if isinstance(hub, str) else hub.url,
        HF_HUB_DISABLE_XET="1",
        HF_HOME=str(home),
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
        HF_DATASETS_DISABLE_PROGRESS_BARS="1",
        PYTHONPATH=str(ROOT),
    )
    if token:
        env["HF_TOKEN"] = token
    return env


def publish(hub: HubServer | str, home: Path, dist: Path, *args: str, token: str | None = TOKEN):
    proc = subprocess.run(
        [sys.executable, "-m", "builder.publish", str(dist), "--repo", REPO, *args],
        env=_env(hub, home, token),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert TOKEN not in proc.stdout + proc.stderr
    return proc


LOAD_BACK = """
import json, sys
import datasets
repo, rev, configs, out = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
rows = {}
for config in configs:
    loaded = datasets.load_dataset(repo, config, revision=rev)
    rows[config] = {split: ds.to_list() for split, ds in loaded.items()}
json.dump(rows, open(out, "w"))
"""


def load_back(hub: HubServer, home: Path, rev: str, configs: list[str]) -> dict:
    out = home / "loaded.json"
    subprocess.run(
        [sys.executable, "-c", LOAD_BACK, REPO, rev, ",".join(configs), str(out)],
        env=_env(hub, home),
        check=True,
        capture_output=True,
        timeout=120,
    )
    return json.loads(out.read_text())


def local_rows(dist: Path, stats: dict) -> dict:
    """Config -> split -> rows of the local build, read straight from its parquet shards."""
    import datasets

    return {
        config: {
            split: datasets.Dataset.from_parquet(
                [str(p) for p in sorted((dist / config).glob(f"{split}-*.parquet"))]
            ).to_list()
            for split, n in cfg["splits"].items()
            if n
        }
        for config, cfg in stats["configs"].items()
    }


@pytest.fixture(scope="module")
def real_build(samples_build) -> tuple[Path, dict]:
    """The session's real build of the bundled samples (tests/conftest.py)."""
    out = samples_build.out_dir
    return out, json.loads((out / "stats.json").read_text())


@pytest.fixture()
def hub():
    with HubServer(token=TOKEN) as server:
        yield server


def test_round_trip_noop_and_failure_midway(hub, tmp_path, real_build):
    home = tmp_path / "hf-home"
    dist, stats = real_build
    assert len(stats["configs"]) == 3 and stats["accounting"]["ok"]

    first = publish(hub, home, dist, "--tag", "v1.0.0", "--private")
    assert first.returncode == 0, first.stderr
    repo = hub.repo(REPO)
    assert repo.private
    head = repo.branches["main"]
    assert repo.tags == {"v1.0.0": head}
    assert hub.state.count("POST", "/commit/") == 1
    local = {f.path: f.source.read_bytes() for f in local_files(dist)}
    assert hub.files(REPO, "v1.0.0") == {**local, ".gitattributes": hub.files(REPO)[".gitattributes"]}
    assert repo.lfs and all(f.sha256 for p, f in repo.commits[head].files.items() if p.endswith(".parquet"))
    assert "verified row counts" in first.stdout

    # what datasets reads back through the protocol equals the local build, config by config
    assert load_back(hub, home, "v1.0.0", list(stats["configs"])) == local_rows(dist, stats)

    # the same build again: nothing to commit, no new tag target
    again = publish(hub, home, dist)
    assert again.returncode == 0, again.stderr
    assert "no commit" in again.stdout
    assert hub.state.count("POST", "/commit/") == 1 and repo.branches["main"] == head

    # a new build whose publish fails midway (an LFS upload, then the commit itself) leaves main intact;
    # LFS first: once uploaded, objects are not sent again, so a later upload fault would not trigger
    dist2 = tmp_path / "dist2"
    stats2 = write_dist(dist2, [replace(r, split="train") for r in sample_records(12, variant=3)])
    for endpoint, status in (("lfs-upload", 403), ("commit", 500)):
        hub.state.fail(endpoint, status)
        failed = publish(hub, home, dist2, "--tag", "v2.0.0")
        assert failed.returncode == 1 and "publish failed" in failed.stderr
        assert not hub.state.faults[endpoint]  # the fault was hit
        assert repo.branches["main"] == head and "v2.0.0" not in repo.tags
        assert hub.files(REPO) == hub.files(REPO, head)

    # the retry succeeds and removes what the new build no longer has (its test splits, a whole config)
    ok = publish(hub, home, dist2, "--tag", "v2.0.0")
    assert ok.returncode == 0, ok.stderr
    assert "delete  clean/test-00000-of-00001.parquet" in ok.stdout
    assert "delete  dedup-strict/train-00000-of-00001.parquet" in ok.stdout
    local2 = {f.path: f.source.read_bytes() for f in local_files(dist2)}
    assert hub.files(REPO, "v2.0.0") == {**local2, ".gitattributes": hub.files(REPO)[".gitattributes"]}
    assert repo.tags["v2.0.0"] == repo.branches["main"] != head and repo.tags["v1.0.0"] == head
    assert repo.commits[repo.branches["main"]].parent == head  # one commit on top of v1
    assert (
        "verified row counts" in ok.stdout
        and json.dumps(stats2["configs"]["clean"]["splits"]["train"]) in ok.stdout
    )

    # an existing tag is never moved: refused before anything is committed
    commits = hub.state.count("POST", "/commit/")
    clash = publish(hub, home, dist, "--tag", "v2.0.0")
    assert clash.returncode == 1 and "already exists" in clash.stderr
    assert hub.state.count("POST", "/commit/") == commits

    # the token was never written anywhere: not in the builds, not in the HF home or its caches
    for folder in (dist, dist2, home):
        for file in folder.rglob("*"):
            if file.is_file():
                assert TOKEN.encode() not in file.read_bytes(), file


def test_real_build_card_agrees_with_its_stats(real_build):
    dist, stats = real_build
    meta, body = split_card((dist / "README.md").read_text())
    numbers = card_numbers(body)
    assert [n for n in numbers if n not in stats_scalars(stats)] == []
    for name, src in stats["sources"].items():
        assert str(src["in"]) in numbers and str(src["out"]) in numbers, name
    for info in meta["dataset_info"]:
        splits = stats["configs"][info["config_name"]]["splits"]
        assert {s["name"]: s["num_examples"] for s in info["splits"]} == {
            k: v for k, v in splits.items() if v
        }


def test_dry_run_sends_nothing(hub, tmp_path):
    dist = tmp_path / "dist"
    write_dist(dist)
    proc = publish(hub, tmp_path / "home", dist, "--dry-run", "--tag", "v1", token=None)
    assert proc.returncode == 0, proc.stderr
    assert "add     README.md" in proc.stdout and "add     clean/train-00000-of-00001.parquet" in proc.stdout
    assert "dry run: nothing was sent" in proc.stdout
    assert hub.state.repos == {}
    assert all(method == "GET" for method, _ in hub.state.requests)


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_dry_run_without_a_network_plans_against_an_empty_repo(tmp_path):
    dist = tmp_path / "dist"
    write_dist(dist)
    expected = [f.path for f in local_files(dist)]
    for endpoint in (f"http://127.0.0.1:{_closed_port()}", "http://hub.invalid"):  # refused; no such name
        proc = publish(endpoint, tmp_path / "home", dist, "--dry-run", "--tag", "v1")
        assert proc.returncode == 0, proc.stderr
        said = [line for line in proc.stdout.splitlines() if "unreachable" in line]
        assert len(said) == 1 and endpoint in said[0] and "empty repository" in said[0], proc.stdout
        assert [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("  add ")] == expected
        assert f"{len(expected)} to add, 0 to update, 0 to delete, 0 unchanged" in proc.stdout
        assert "dry run: nothing was sent" in proc.stdout and proc.stderr.strip() == ""


def test_network_errors_name_the_endpoint_and_leave_the_remote_untouched(hub, tmp_path):
    home = tmp_path / "home"
    dist = tmp_path / "dist"
    write_dist(dist)
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    down = publish(endpoint, home, dist, "--tag", "v1")
    assert down.returncode == 1 and down.stdout == ""
    (line,) = down.stderr.strip().splitlines()
    assert line.startswith("publish failed: cannot reach the Hub at " + endpoint)
    assert all(word in line for word in ("HF_ENDPOINT", "proxy", "HF_TOKEN", "nothing was sent"))

    # the network breaks under a real publish: the commit request gets no answer; main stays where it was
    first = publish(hub, home, dist)
    assert first.returncode == 0, first.stderr
    head = hub.repo(REPO).branches["main"]
    dist2 = tmp_path / "dist2"
    write_dist(dist2, [replace(r, split="train") for r in sample_records(12, variant=3)])
    hub.state.fail("commit", 0)
    broken = publish(hub, home, dist2, "--tag", "v2")
    assert broken.returncode == 1 and not hub.state.faults["commit"]  # the fault was hit
    (line,) = broken.stderr.strip().splitlines()
    assert f"cannot reach the Hub at {hub.url}" in line and "not confirmed" in line and head in line
    assert hub.repo(REPO).branches["main"] == head and "v2" not in hub.repo(REPO).tags
    assert hub.files(REPO) == hub.files(REPO, head)


def test_refuses_bad_builds_before_any_request(tmp_path, capsys):
    dist = tmp_path / "dist"
    stats = write_dist(dist, accounting={"ok": False})
    args = [str(dist), "--repo", REPO]
    assert main(args) == 1 and "accounting failed" in capsys.readouterr().err

    stats["accounting"] = {"ok": True}
    stats["configs"]["clean"]["splits"]["train"] += 1  # stats and parquet disagree
    (dist / "stats.json").write_text(json.dumps(stats))
    assert main(args) == 1 and "parquet files hold" in capsys.readouterr().err

    (dist / "stats.json").unlink()
    assert main(args) == 1 and "stats.json is missing" in capsys.readouterr().err


def test_token_is_required_and_never_echoed(hub, tmp_path):
    home = tmp_path / "home"
    dist = tmp_path / "dist"
    write_dist(dist)
    missing = publish(hub, home, dist, token=None)
    assert missing.returncode == 1 and "no Hub token" in missing.stderr
    wrong = publish(hub, home, dist, token="hf_wrongToken")
    assert (
        wrong.returncode == 1 and "401" in wrong.stderr and "hf_wrongToken" not in wrong.stdout + wrong.stderr
    )
    assert hub.state.count("POST", "/commit/") == 0 and hub.state.repos == {}


def _local(path: str, data: bytes) -> LocalFile:
    import hashlib

    return LocalFile(
        path,
        Path(path),
        len(data),
        hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest(),
        hashlib.sha256(data).hexdigest(),
    )


def test_plan_compares_lfs_and_inline_files_and_keeps_gitattributes():
    readme, table = _local("README.md", b"card"), _local("clean/train.parquet", b"PAR1...")
    remote = [
        RemoteFile("README.md", 4, readme.git_oid, None),
        RemoteFile("clean/train.parquet", 7, "pointer-oid", "0" * 64),
        RemoteFile(".gitattributes", 10, "x", None),
        RemoteFile("old/config.parquet", 3, "y", "1" * 64),
    ]
    plan = make_plan([readme, table], remote, "abc")
    assert [f.path for f in plan.update] == ["clean/train.parquet"] and plan.unchanged == ("README.md",)
    assert plan.delete == ("old/config.parquet",) and not plan.is_noop
    same = make_plan([readme], [RemoteFile("README.md", 4, readme.git_oid, None)], "abc")
    assert same.is_noop and "nothing to commit" in same.describe()
    assert not make_plan([readme], None, None).is_noop  # a repo that does not exist yet


def test_the_exclusion_log_is_uploaded_only_when_asked(hub, tmp_path, real_build):
    home = tmp_path / "hf-home"
    dist, _ = real_build
    assert (dist / "excluded.parquet").is_file()
    first = publish(hub, home, dist)
    assert first.returncode == 0, first.stderr
    assert "excluded.parquet" not in hub.files(REPO) and "excluded.parquet" not in first.stdout
    second = publish(hub, home, dist, "--include-exclusions")
    assert second.returncode == 0, second.stderr
    assert "add     excluded.parquet" in second.stdout
    assert hub.files(REPO)["excluded.parquet"] == (dist / "excluded.parquet").read_bytes()
    third = publish(hub, home, dist)  # asked no more: the log leaves the repo again
    assert "delete  excluded.parquet" in third.stdout and "excluded.parquet" not in hub.files(REPO)
