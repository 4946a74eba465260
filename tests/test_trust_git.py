"""No string from a sources YAML reaches git as an option or transport, and no credential in a repo URL
is recorded or printed anywhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from builder.errors import ConfigError
from builder.repos.clone import CloneError, _env, checkout, public_url, redact, url_problem
from builder.sources import load_sources, open_source

SECRET = "ghp_FAKE0123456789SECRET"
SCENE = "from manim import *\n\n\nclass OrbitingMoonAroundPlanet(Scene):\n    def construct(self):\n        self.play(Create(Circle()))\n"


def _git_repo(path: Path) -> str:
    path.mkdir(parents=True)
    (path / "scene.py").write_text(SCENE)
    git = ["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    return subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def _sources(tmp_path: Path, path: str, revision: str | None = None) -> Path:
    doc = {"sources": [{"name": "r", "kind": "repo", "path": path, "license": "MIT"}]}
    if revision is not None:
        doc["sources"][0]["revision"] = revision
    out = tmp_path / "sources.yaml"
    out.write_text(json.dumps(doc))  # JSON is YAML
    return out


def test_an_option_as_revision_is_a_config_error_and_runs_nothing(tmp_path, monkeypatch):
    _git_repo(tmp_path / "origin")
    monkeypatch.chdir(tmp_path)
    evil = "--upload-pack=touch pwned;git-upload-pack"
    with pytest.raises(ConfigError) as caught:
        load_sources([_sources(tmp_path, f"file://{tmp_path / 'origin'}", evil)])
    assert "source 'r'" in str(caught.value) and "'revision'" in str(caught.value)
    with pytest.raises(CloneError):  # the same revision handed to checkout directly
        checkout(f"file://{tmp_path / 'origin'}", evil, tmp_path / "cache")
    assert not (tmp_path / "pwned").exists()
    assert not list(tmp_path.rglob("pwned"))


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c touch% pwned",
        "-oProxyCommand=touch pwned",
        "ssh://-oProxyCommand=touch%20pwned/repo",
        "http://example.com/repo.git",
        "ftp://example.com/repo.git",
        "file:///nonexistent/repo",
        "https://example.com/a b.git",
    ],
)
def test_bad_urls_are_config_errors_before_any_work(tmp_path, url):
    with pytest.raises(ConfigError) as caught:
        load_sources([_sources(tmp_path, url)])
    assert "source 'r'" in str(caught.value) and "'path'" in str(caught.value)
    assert url_problem(url) is not None


@pytest.mark.parametrize(
    "url", ["https://github.com/org/repo.git", "git@github.com:org/repo.git", "ssh://git@host/org/repo"]
)
def test_good_urls_pass(url):
    assert url_problem(url) is None


def test_credentials_are_used_to_clone_and_recorded_nowhere(tmp_path, build_cache):
    from builder.pipeline import build

    commit = _git_repo(tmp_path / "origin")
    url = f"file://user:{SECRET}@localhost{tmp_path / 'origin'}"
    out = tmp_path / "dist"
    result = build(
        sources=[_sources(tmp_path, url, commit)], out_dir=out, cache_dir=build_cache, progress=False
    )
    rows = [r for split in result.configs["clean"].values() for r in split]
    assert [r.origin.dataset for r in rows] == [public_url(url)] and rows[0].origin.revision == commit
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert "localhost" in (out / "stats.json").read_text()


def test_clone_errors_never_print_credentials(tmp_path):
    not_a_repo = tmp_path / "plain"
    not_a_repo.mkdir()
    url = f"file://user:{SECRET}@localhost{not_a_repo}"
    with pytest.raises(ConfigError) as caught:
        open_source(load_sources([_sources(tmp_path, url)])[0], tmp_path / "cache")
    assert SECRET not in str(caught.value) and "source 'r'" in str(caught.value)
    assert redact(f"fatal: could not read {url}", url).count(SECRET) == 0


def test_git_sees_no_tokens(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")
    env = _env()
    assert not {"HF_TOKEN", "OPENAI_API_KEY", "GITHUB_TOKEN"} & set(env)
    assert env["GIT_TERMINAL_PROMPT"] == "0" and "PATH" in env


@pytest.mark.parametrize(
    "url",
    [
        "alice:TOKEN123@host:org/repo.git",  # credentials in the ssh shorthand
        "ssh://-oProxyCommand=id@host/repo",  # an option as the user
        "host:-oProxyCommand=id",  # an option as the path
        "https://host:99999999/repo.git",  # a malformed port: an error, not a traceback
        "/no/such/local/repo",
    ],
)
def test_url_edge_cases_are_clear_errors_without_secrets(tmp_path, url):
    with pytest.raises(ConfigError) as caught:
        load_sources([_sources(tmp_path, url)])
    assert "TOKEN123" not in str(caught.value)
