"""A protocol test server for the Hugging Face Hub HTTP API, on 127.0.0.1. It is NOT the Hub.

It implements just the endpoints that the real `huggingface_hub` and `datasets` clients call when we
publish a build and load it back: repo create, YAML validation, preupload, the ndjson commit (inline and
LFS files, deletions, parent-commit check), the LFS batch API with basic PUT upload and verify, tree and
paths-info listings, repo/revision info, resolve (HEAD and GET), refs and tags. Clients reach it through
`HF_ENDPOINT` with `HF_HUB_DISABLE_XET=1` (no Xet storage here).

State lives in memory: each repo is a list of immutable commits (path -> blob) plus branch and tag refs,
so "the previous revision is intact" is a real property we can check. Faults can be injected per
endpoint to make a publish fail midway.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

LFS_SUFFIXES = (".parquet", ".arrow", ".png", ".jpg", ".jpeg", ".gif", ".mp4", ".zip", ".gz", ".bin")
LFS_SIZE = 10 * 1024 * 1024
TYPES = {"datasets": "dataset", "models": "model", "spaces": "space"}
PREFIX = {"dataset": "datasets/", "model": "", "space": "spaces/"}
GITATTRIBUTES = b"".join(f"*{s} filter=lfs diff=lfs merge=lfs -text\n".encode() for s in LFS_SUFFIXES)


def git_blob_oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True)
class Blob:
    """One file version: inline bytes, or an LFS object (content kept in the repo's LFS store)."""

    size: int
    oid: str  # git blob oid (of the pointer, for LFS files)
    sha256: str | None = None  # set for LFS files

    @property
    def is_lfs(self) -> bool:
        return self.sha256 is not None


@dataclass(frozen=True)
class Commit:
    oid: str
    parent: str | None
    title: str
    files: dict[str, Blob]


@dataclass
class Repo:
    repo_type: str
    repo_id: str
    private: bool
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    inline: dict[str, bytes] = field(default_factory=dict)  # git oid -> bytes
    lfs: dict[str, bytes] = field(default_factory=dict)  # sha256 -> bytes

    def resolve(self, rev: str) -> Commit | None:
        if rev in self.branches:
            return self.commits[self.branches[rev]]
        if rev in self.tags:
            return self.commits[self.tags[rev]]
        for name in ("refs/heads/", "refs/tags/"):
            if rev.startswith(name):
                return self.resolve(rev[len(name) :])
        if re.fullmatch(r"[0-9a-f]{7,40}", rev):
            hits = [c for oid, c in self.commits.items() if oid.startswith(rev)]
            if len(hits) == 1:
                return hits[0]
        return None

    def content(self, blob: Blob) -> bytes:
        return self.lfs[blob.sha256] if blob.sha256 else self.inline[blob.oid]


class HubError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


@dataclass
class HubState:
    """Everything the server knows; tests read it to check what was committed."""

    token: str | None = None
    repos: dict[tuple[str, str], Repo] = field(default_factory=dict)
    faults: dict[str, list[int]] = field(default_factory=dict)  # endpoint -> statuses to answer next
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def fail(self, endpoint: str, status: int = 500, times: int = 1) -> None:
        """Make the next `times` calls of `endpoint` answer `status` (commit, lfs-upload, preupload, ...);
        status 0 closes the connection without an answer (a network failure)."""
        with self.lock:
            self.faults.setdefault(endpoint, []).extend([status] * times)

    def repo(self, repo_type: str, repo_id: str) -> Repo:
        try:
            return self.repos[(repo_type, repo_id)]
        except KeyError:
            raise HubError(404, f"Repository {repo_id} not found", "RepoNotFound") from None

    def count(self, method: str, fragment: str) -> int:
        return sum(1 for m, p in self.requests if m == method and fragment in p)


def _entry(path: str, blob: Blob | None, commit: Commit) -> dict[str, Any]:
    if blob is None:
        oid = hashlib.sha1(f"tree:{commit.oid}:{path}".encode()).hexdigest()
        return {"type": "directory", "oid": oid, "size": 0, "path": path}
    out: dict[str, Any] = {"type": "file", "oid": blob.oid, "size": blob.size, "path": path}
    if blob.sha256:
        out["lfs"] = {"oid": blob.sha256, "size": blob.size, "pointerSize": 134}
    return out


def _dirs(files: dict[str, Blob]) -> set[str]:
    out: set[str] = set()
    for path in files:
        parts = path.split("/")[:-1]
        out.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    return out


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    # -- plumbing -------------------------------------------------------------------------------------------
    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(self, status: int, body: Any = b"", headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        is_json = not isinstance(body, bytes)
        if is_json:
            self.send_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _dispatch(self) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        with state.lock:
            state.requests.append((self.command, url.path))
        body = self._body() if self.command in ("POST", "PUT") else b""
        try:
            for method, pattern, name, func in ROUTES:
                match = pattern.fullmatch(url.path)
                if method == self.command or (method == "GET" and self.command == "HEAD"):
                    if match:
                        if self._check_fault(name):
                            self.close_connection = True  # dropped: the client sees a broken connection
                            return
                        self._check_auth(name)
                        status, payload, headers = func(state, self, match, parse_qs(url.query), body)
                        self._send(status, payload, headers)
                        return
            raise HubError(404, f"no route for {self.command} {url.path}")
        except HubError as err:
            headers = {"X-Error-Message": err.message}
            if err.code:
                headers["X-Error-Code"] = err.code
            self._send(err.status, {"error": err.message}, headers)

    def _check_fault(self, name: str) -> bool:
        """Raise an injected HTTP failure of `name`; True when the connection is to be dropped instead."""
        state = self.server.state
        with state.lock:
            queue = state.faults.get(name)
            status = queue.pop(0) if queue else None
        if status == 0:
            return True
        if status is not None:
            raise HubError(status, f"injected failure of {name}")
        return False

    def _check_auth(self, name: str) -> None:
        token = self.server.state.token
        if token is None or name in PUBLIC:
            return
        if self.headers.get("Authorization") != f"Bearer {token}":
            raise HubError(401, "Invalid credentials in Authorization header")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _dispatch


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: HubState
    url: str


# -- endpoints (each returns status, JSON-able or bytes, headers) -----------------------------------------
Result = tuple[int, Any, dict[str, str] | None]


def _repo_id(m: re.Match) -> str:
    return f"{unquote(m['ns'])}/{unquote(m['name'])}"


def _commit_for(repo: Repo, rev: str) -> Commit:
    commit = repo.resolve(unquote(rev))
    if commit is None:
        raise HubError(404, f"Invalid rev id: {unquote(rev)}", "RevisionNotFound")
    return commit


def create_repo(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    payload = json.loads(body)
    repo_type = payload.get("type") or "model"
    repo_id = (
        f"{payload['organization']}/{payload['name']}" if payload.get("organization") else payload["name"]
    )
    with state.lock:
        if (repo_type, repo_id) in state.repos:
            raise HubError(409, "You already created this repo")
        repo = Repo(
            repo_type, repo_id, payload.get("visibility") == "private" or bool(payload.get("private"))
        )
        blob = Blob(len(GITATTRIBUTES), git_blob_oid(GITATTRIBUTES))
        repo.inline[blob.oid] = GITATTRIBUTES
        oid = hashlib.sha1(f"init:{repo_id}".encode()).hexdigest()
        first = Commit(oid, None, "initial commit", {".gitattributes": blob})
        repo.commits[first.oid] = first
        repo.branches["main"] = first.oid
        state.repos[(repo_type, repo_id)] = repo
    url = f"{h.server.url}/{PREFIX[repo_type]}{repo_id}"
    return 200, {"url": url, "name": repo_id, "id": repo_id}, None


def validate_yaml(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    content = json.loads(body)["content"]
    match = re.match(r"^---\n(.*?)\n---\n", content, re.S)
    if match is None:
        return 200, {"warnings": [{"message": "empty or missing yaml metadata in repo card"}]}, None
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        return 400, {"errors": [{"message": f"invalid YAML: {exc}"}]}, None
    if not isinstance(data, dict):
        return 400, {"errors": [{"message": "YAML metadata must be a mapping"}]}, None
    return 200, {"warnings": []}, None


def repo_info(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    with state.lock:
        repo = state.repo(TYPES[m["type"]], _repo_id(m))
        commit = _commit_for(repo, m["rev"] or "main")
        return (
            200,
            {
                "id": repo.repo_id,
                "author": repo.repo_id.split("/")[0],
                "sha": commit.oid,
                "private": repo.private,
                "gated": False,
                "disabled": False,
                "lastModified": "2026-01-01T00:00:00.000Z",
                "tags": [],
                "siblings": [{"rfilename": p} for p in sorted(commit.files)],
            },
            None,
        )


def preupload(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    files = json.loads(body)["files"]
    with state.lock:
        repo = state.repo(TYPES[m["type"]], _repo_id(m))
        commit = _commit_for(repo, m["rev"])
        out = []
        for f in files:
            sample = base64.b64decode(f["sample"])
            lfs = f["path"].endswith(LFS_SUFFIXES) or f["size"] >= LFS_SIZE or b"\0" in sample
            remote = commit.files.get(f["path"])
            oid = None
            if remote is not None:
                oid = remote.sha256 if remote.is_lfs else remote.oid
            out.append(
                {
                    "path": f["path"],
                    "uploadMode": "lfs" if lfs else "regular",
                    "shouldIgnore": False,
                    "oid": oid,
                }
            )
    return 200, {"files": out, "commitOid": commit.oid}, None


def lfs_batch(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    payload = json.loads(body)
    if payload.get("operation") != "upload":
        raise HubError(400, "only uploads are supported")
    repo_type = {"datasets/": "dataset", "spaces/": "space"}.get(m["prefix"] or "", "model")
    repo_id = _repo_id(m)
    objects = []
    with state.lock:
        repo = state.repo(repo_type, repo_id)
        for obj in payload["objects"]:
            item: dict[str, Any] = {"oid": obj["oid"], "size": obj["size"], "authenticated": True}
            if obj["oid"] not in repo.lfs:
                base = f"{h.server.url}/_lfs/{repo_type}/{repo_id}/{obj['oid']}"
                item["actions"] = {
                    "upload": {"href": base, "header": {}},
                    "verify": {"href": f"{base}/verify", "header": {}},
                }
            objects.append(item)
    return 200, {"transfer": "basic", "objects": objects}, {"Content-Type": "application/vnd.git-lfs+json"}


def lfs_upload(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    if hashlib.sha256(body).hexdigest() != m["oid"]:
        raise HubError(400, "uploaded content does not match its sha256")
    with state.lock:
        state.repo(m["rtype"], _repo_id(m)).lfs[m["oid"]] = body
    return 200, b"", None


def lfs_verify(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    payload = json.loads(body)
    with state.lock:
        data = state.repo(m["rtype"], _repo_id(m)).lfs.get(payload["oid"])
    if data is None or len(data) != payload["size"]:
        raise HubError(404, "object not uploaded")
    return 200, {}, None


def commit(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    lines = [json.loads(line) for line in body.splitlines() if line.strip()]
    if not lines or lines[0].get("key") != "header":
        raise HubError(400, "commit payload must start with a header")
    header = lines[0]["value"]
    branch = unquote(m["rev"])
    with state.lock:
        repo = state.repo(TYPES[m["type"]], _repo_id(m))
        if branch not in repo.branches:
            raise HubError(400 if branch in repo.tags else 404, f"not a branch: {branch}", "RevisionNotFound")
        parent = repo.commits[repo.branches[branch]]
        if header.get("parentCommit") and not parent.oid.startswith(header["parentCommit"]):
            raise HubError(412, "A commit has happened since. Please refresh and try again.")
        files = dict(parent.files)
        for line in lines[1:]:
            key, value = line["key"], line["value"]
            path = value["path"]
            if key == "file":
                data = base64.b64decode(value["content"])
                blob = Blob(len(data), git_blob_oid(data))
                repo.inline[blob.oid] = data
                files[path] = blob
            elif key == "lfsFile":
                data = repo.lfs.get(value["oid"])
                if data is None:
                    raise HubError(422, f"LFS object {value['oid']} of {path} was never uploaded")
                pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{value['oid']}\nsize {len(data)}\n"
                files[path] = Blob(len(data), git_blob_oid(pointer.encode()), value["oid"])
            elif key == "deletedFile":
                if path not in files:
                    raise HubError(404, "A file with this name doesn't exist", "EntryNotFound")
                del files[path]
            elif key == "deletedFolder":
                prefix = path.rstrip("/") + "/"
                files = {p: b for p, b in files.items() if not p.startswith(prefix)}
            else:
                raise HubError(400, f"unknown commit operation {key}")
        seed = json.dumps([parent.oid, header.get("summary"), sorted((p, b.oid) for p, b in files.items())])
        oid = hashlib.sha1(f"{seed}:{len(repo.commits)}".encode()).hexdigest()
        repo.commits[oid] = Commit(oid, parent.oid, header.get("summary", ""), files)
        repo.branches[branch] = oid
    url = f"{h.server.url}/{PREFIX[repo.repo_type]}{repo.repo_id}/commit/{oid}"
    return (
        200,
        {"success": True, "commitOid": oid, "commitUrl": url, "hookOutput": "", "pullRequestUrl": None},
        None,
    )


def tree(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    recursive = q.get("recursive", ["False"])[0].lower() in ("1", "true")
    base = unquote(m["path"] or "").strip("/")
    with state.lock:
        repo = state.repo(TYPES[m["type"]], _repo_id(m))
        c = _commit_for(repo, m["rev"])
        dirs = _dirs(c.files)
        if base and base not in dirs:
            raise HubError(404, f"{base} does not exist on {m['rev']}", "EntryNotFound")
        prefix = base + "/" if base else ""
        entries = [(p, c.files[p]) for p in c.files] + [(d, None) for d in dirs]
        out = []
        for path, blob in sorted(entries, key=lambda e: e[0]):
            if not path.startswith(prefix):
                continue
            if not recursive and "/" in path[len(prefix) :]:
                continue
            out.append(_entry(path, blob, c))
    return 200, out, None


def paths_info(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    form = parse_qs(body.decode())
    with state.lock:
        repo = state.repo(TYPES[m["type"]], _repo_id(m))
        c = _commit_for(repo, m["rev"])
        dirs = _dirs(c.files)
        out = []
        for path in form.get("paths", []):
            path = path.strip("/")
            if path in c.files:
                out.append(_entry(path, c.files[path], c))
            elif path in dirs:
                out.append(_entry(path, None, c))
    return 200, out, None


def refs(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    with state.lock:
        repo = state.repo(TYPES[m["type"]], _repo_id(m))
        out = {
            "branches": [
                {"name": n, "ref": f"refs/heads/{n}", "targetCommit": o}
                for n, o in sorted(repo.branches.items())
            ],
            "tags": [
                {"name": n, "ref": f"refs/tags/{n}", "targetCommit": o} for n, o in sorted(repo.tags.items())
            ],
            "converts": [],
        }
    if q.get("include_prs"):
        out["pullRequests"] = []
    return 200, out, None


def create_tag(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    tag = json.loads(body)["tag"]
    with state.lock:
        repo = state.repo(TYPES[m["type"]], _repo_id(m))
        c = _commit_for(repo, m["rev"])
        if tag in repo.tags:
            raise HubError(409, f"Tag {tag} already exists")
        repo.tags[tag] = c.oid
    return 200, {}, None


def delete_tag(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    with state.lock:
        repo = state.repo(TYPES[m["type"]], _repo_id(m))
        if repo.tags.pop(unquote(m["rev"]), None) is None:
            raise HubError(404, "no such tag", "RevisionNotFound")
    return 200, {}, None


def list_commits(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    with state.lock:
        repo = state.repo(TYPES[m["type"]], _repo_id(m))
        c: Commit | None = _commit_for(repo, m["rev"])
        out = []
        while c is not None:
            out.append(
                {"id": c.oid, "title": c.title, "message": "", "authors": [], "date": "2026-01-01T00:00:00Z"}
            )
            c = repo.commits.get(c.parent) if c.parent else None
    return 200, out, None


def resolve(state: HubState, h: _Handler, m: re.Match, q: dict, body: bytes) -> Result:
    repo_type = {"datasets/": "dataset", "spaces/": "space"}.get(m["prefix"] or "", "model")
    path = unquote(m["path"])
    with state.lock:
        repo = state.repo(repo_type, _repo_id(m))
        c = _commit_for(repo, m["rev"])
        blob = c.files.get(path)
        if blob is None:
            raise HubError(404, f"{path} does not exist on {m['rev']}", "EntryNotFound")
        data = repo.content(blob)
    headers = {"X-Repo-Commit": c.oid, "ETag": f'"{blob.oid}"', "Accept-Ranges": "bytes"}
    if blob.sha256:
        headers.update({"X-Linked-Etag": f'"{blob.sha256}"', "X-Linked-Size": str(blob.size)})
    return 200, data, headers


_REPO = r"(?P<ns>[^/]+)/(?P<name>[^/]+)"
_API = rf"/api/(?P<type>datasets|models|spaces)/{_REPO}"
ROUTES = [
    ("POST", re.compile(r"/api/repos/create"), "create", create_repo),
    ("POST", re.compile(r"/api/validate-yaml"), "validate-yaml", validate_yaml),
    ("GET", re.compile(rf"{_API}(?:/revision/(?P<rev>[^/]+))?"), "info", repo_info),
    ("POST", re.compile(rf"{_API}/preupload/(?P<rev>[^/]+)"), "preupload", preupload),
    ("POST", re.compile(rf"{_API}/commit/(?P<rev>[^/]+)"), "commit", commit),
    ("GET", re.compile(rf"{_API}/tree/(?P<rev>[^/]+)(?:/(?P<path>.+))?"), "tree", tree),
    ("POST", re.compile(rf"{_API}/paths-info/(?P<rev>[^/]+)"), "paths-info", paths_info),
    ("GET", re.compile(rf"{_API}/refs"), "refs", refs),
    ("GET", re.compile(rf"{_API}/commits/(?P<rev>[^/]+)"), "commits", list_commits),
    ("POST", re.compile(rf"{_API}/tag/(?P<rev>[^/]+)"), "tag", create_tag),
    ("DELETE", re.compile(rf"{_API}/tag/(?P<rev>[^/]+)"), "tag", delete_tag),
    (
        "POST",
        re.compile(rf"/(?P<prefix>datasets/|spaces/)?{_REPO}\.git/info/lfs/objects/batch"),
        "lfs-batch",
        lfs_batch,
    ),
    ("PUT", re.compile(rf"/_lfs/(?P<rtype>\w+)/{_REPO}/(?P<oid>[0-9a-f]{{64}})"), "lfs-upload", lfs_upload),
    (
        "POST",
        re.compile(rf"/_lfs/(?P<rtype>\w+)/{_REPO}/(?P<oid>[0-9a-f]{{64}})/verify"),
        "lfs-verify",
        lfs_verify,
    ),
    (
        "GET",
        re.compile(rf"/(?P<prefix>datasets/|spaces/)?{_REPO}/resolve/(?P<rev>[^/]+)/(?P<path>.+)"),
        "resolve",
        resolve,
    ),
]
# Upload URLs are pre-signed on the real Hub (no Authorization header); reads of public repos need none.
PUBLIC = {"lfs-upload", "resolve", "info", "tree", "paths-info", "refs", "commits"}


class HubServer:
    """Run the protocol test server in a background thread: `with HubServer(token="t") as hub: hub.url`."""

    def __init__(self, token: str | None = None):
        self.state = HubState(token=token)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = self.state
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._server.url = self.url
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> HubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def repo(self, repo_id: str, repo_type: str = "dataset") -> Repo:
        return self.state.repo(repo_type, repo_id)

    def files(self, repo_id: str, rev: str = "main", repo_type: str = "dataset") -> dict[str, bytes]:
        """Path -> content of the repo at `rev` (what a client would download)."""
        with self.state.lock:
            repo = self.repo(repo_id, repo_type)
            c = _commit_for(repo, rev)
            return {path: repo.content(blob) for path, blob in c.files.items()}
