"""The protocol test server (tests/hub_server.py) answers the real `HfApi` the way our publish relies on.

These run the client in-process (HfApi(endpoint=...)), so they also cover endpoints the publish flow
does not hit every time: paths-info, commit history, error codes, and the parent-commit guard.
"""

from __future__ import annotations

import pytest
from hub_server import HubServer
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, RepoFile, RepoFolder, constants
from huggingface_hub.errors import (
    EntryNotFoundError,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

REPO = "org/server-check"


@pytest.fixture()
def api(monkeypatch):
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)  # the server has no Xet storage
    with HubServer(token="hf_serverTest") as hub:
        client = HfApi(endpoint=hub.url, token="hf_serverTest")
        client.create_repo(REPO, repo_type="dataset")
        yield client, hub


def _commit(api: HfApi, ops, parent: str | None = None) -> str:
    return api.create_commit(REPO, ops, commit_message="c", repo_type="dataset", parent_commit=parent).oid


def test_listing_download_and_history(api, tmp_path):
    client, hub = api
    first = _commit(
        client,
        [
            CommitOperationAdd("README.md", b"---\nlicense: mit\n---\nhello\n"),
            CommitOperationAdd("data/a/train.parquet", b"PAR1" + bytes(range(256)) * 4),
        ],
    )
    infos = client.get_paths_info(REPO, ["README.md", "data/a", "missing"], repo_type="dataset")
    assert [type(i) for i in infos] == [RepoFile, RepoFolder]
    top = {e.path: e for e in client.list_repo_tree(REPO, repo_type="dataset")}
    assert set(top) == {".gitattributes", "README.md", "data"} and isinstance(top["data"], RepoFolder)
    deep = {e.path: e for e in client.list_repo_tree(REPO, "data", repo_type="dataset", recursive=True)}
    assert deep["data/a/train.parquet"].lfs.size == 4 + 1024 and "data/a" in deep
    path = client.hf_hub_download(REPO, "README.md", repo_type="dataset", revision=first, cache_dir=tmp_path)
    assert open(path, "rb").read().endswith(b"hello\n")

    second = _commit(client, [CommitOperationDelete("data/", is_folder=True)], parent=first)
    assert [c.commit_id for c in client.list_repo_commits(REPO, repo_type="dataset")][:2] == [second, first]
    assert set(hub.files(REPO)) == {".gitattributes", "README.md"}
    assert "data/a/train.parquet" in hub.files(REPO, first)  # old revisions stay readable


def test_parent_commit_guard_and_error_codes(api, tmp_path):
    client, hub = api
    first = _commit(client, [CommitOperationAdd("x.txt", b"one")])
    _commit(client, [CommitOperationAdd("x.txt", b"two")])
    with pytest.raises(HfHubHTTPError) as stale:
        _commit(client, [CommitOperationAdd("x.txt", b"three")], parent=first)  # someone pushed since
    assert stale.value.response.status_code == 412 and hub.files(REPO)["x.txt"] == b"two"

    with pytest.raises(EntryNotFoundError):
        client.hf_hub_download(REPO, "nope.txt", repo_type="dataset", cache_dir=tmp_path)
    with pytest.raises(RevisionNotFoundError):
        client.repo_info(REPO, repo_type="dataset", revision="no-such-branch")
    with pytest.raises(RepositoryNotFoundError):
        client.repo_info("org/absent", repo_type="dataset")
    with pytest.raises(ValueError, match="Invalid metadata"):
        _commit(client, [CommitOperationAdd("README.md", b"---\nlicense: [unclosed\n---\n")])

    client.create_tag(REPO, tag="v1", revision=first, repo_type="dataset")
    assert {t.name: t.target_commit for t in client.list_repo_refs(REPO, repo_type="dataset").tags} == {
        "v1": first
    }
    with pytest.raises(HfHubHTTPError):
        client.create_tag(REPO, tag="v1", repo_type="dataset")  # tags never move
    client.delete_tag(REPO, tag="v1", repo_type="dataset")
    assert client.list_repo_refs(REPO, repo_type="dataset").tags == []

    outsider = HfApi(endpoint=client.endpoint, token="hf_wrong")
    with pytest.raises(HfHubHTTPError) as denied:
        outsider.create_commit(REPO, [CommitOperationAdd("y", b"y")], commit_message="c", repo_type="dataset")
    assert denied.value.response.status_code == 401
