"""A protocol test server for OpenAI-compatible chat completions, on 127.0.0.1. It is NOT a model.

`POST /v1/chat/completions` answers like vLLM, Ollama or a hosted API would (`id`, `object:
"chat.completion"`, `choices[0].message.content`, `finish_reason`, `usage`), or misbehaves as a test
scripts it: a status with headers (429 with `Retry-After`, 500), a delay longer than the client's timeout,
a body that is not JSON, empty content, content with code fences. Every request is recorded (headers and
JSON body), and the server tracks how many requests were in flight at once.

Behaviour is chosen per request by a marker string in the prompt (`on(marker, *replies)`: the n-th
request carrying the marker gets the n-th reply, the last one repeating), so concurrent clients get a
deterministic script whatever order their requests arrive in. Unmarked requests get `default`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_TAG = re.compile(r"tag:(\w+)")


@dataclass(frozen=True)
class Reply:
    """One scripted answer. `content=None` with status 200 answers with a caption naming the request's
    `tag:<word>` (so tests can check which reply went to which request)."""

    status: int = 200
    content: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0
    raw_body: bytes | None = None  # sent as is, instead of a JSON completion
    finish_reason: str = "stop"
    usage: tuple[int, int] = (50, 20)  # prompt, completion tokens


def ok(content: str | None = None, **kw: Any) -> Reply:
    return Reply(content=content, **kw)


def rate_limited(retry_after: str | None = "0", *, ms: str | None = None) -> Reply:
    headers = ((("Retry-After", retry_after),) if retry_after is not None else ()) + (
        (("retry-after-ms", ms),) if ms is not None else ()
    )
    return Reply(status=429, headers=headers)


def server_error(status: int = 500) -> Reply:
    return Reply(status=status)


def slow(delay_s: float) -> Reply:
    return Reply(delay_s=delay_s)


def malformed() -> Reply:
    return Reply(raw_body=b'{"id": "chatcmpl-x", "object": "chat.completion", "choices": [{"mess')


def empty() -> Reply:
    return Reply(content="")


def fenced() -> Reply:
    return Reply(content="Here is the scene:\n```python\nclass A(Scene):\n    def construct(self): ...\n```")


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]  # lower-case names
    body: dict[str, Any] | None
    at: float

    @property
    def prompt(self) -> str:
        return "\n".join(str(m.get("content", "")) for m in (self.body or {}).get("messages", []))


@dataclass
class ChatServer:
    default: Reply = field(default_factory=ok)
    hold_s: float = 0.0  # every request stays in flight at least this long (to observe concurrency)
    requests: list[Recorded] = field(default_factory=list)
    max_in_flight: int = 0
    _rules: list[tuple[str, list[Reply]]] = field(default_factory=list)
    _seen: dict[str, int] = field(default_factory=dict)
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _httpd: ThreadingHTTPServer | None = None

    def on(self, marker: str, *replies: Reply) -> ChatServer:
        self._rules.append((marker, list(replies)))
        return self

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def calls(self, marker: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if marker is None or marker in r.prompt)

    def __enter__(self) -> ChatServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once (no 40 ms delayed-ACK stalls)

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                record = Recorded(
                    self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.time()
                )
                with server._lock:
                    server.requests.append(record)
                    server._in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server._in_flight)
                    reply = server._choose(record)
                try:
                    if server.hold_s:
                        server._stopping.wait(server.hold_s)
                    if reply.delay_s:
                        server._stopping.wait(reply.delay_s)
                    if self.path.rstrip("/") != "/v1/chat/completions" or body is None:
                        self._send(404 if body is not None else 400, {"error": {"message": "bad request"}})
                    else:
                        self._answer(reply, record)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)
                finally:
                    with server._lock:
                        server._in_flight -= 1

            def _answer(self, reply: Reply, record: Recorded) -> None:
                if reply.raw_body is not None:
                    self._send(200, reply.raw_body)
                elif reply.status != 200:
                    error = {"error": {"message": f"scripted {reply.status}", "type": "test", "code": None}}
                    self._send(reply.status, error, reply.headers)
                else:
                    content = reply.content
                    if content is None:
                        tag = _TAG.search(record.prompt)
                        content = f"Create a scene that draws a blue circle for request {tag.group(1) if tag else 'x'}."
                    prompt_tokens, completion_tokens = reply.usage
                    self._send(
                        200,
                        {
                            "id": f"chatcmpl-{len(server.requests)}",
                            "object": "chat.completion",
                            "created": int(record.at),
                            "model": (record.body or {}).get("model", ""),
                            "choices": [
                                {
                                    "index": 0,
                                    "message": {"role": "assistant", "content": content},
                                    "finish_reason": reply.finish_reason,
                                }
                            ],
                            "usage": {
                                "prompt_tokens": prompt_tokens,
                                "completion_tokens": completion_tokens,
                                "total_tokens": prompt_tokens + completion_tokens,
                            },
                        },
                    )

            def _send(self, status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        self._httpd = httpd
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stopping.set()
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    def _choose(self, record: Recorded) -> Reply:
        prompt = record.prompt
        for marker, replies in self._rules:
            if marker in prompt:
                n = self._seen.get(marker, 0)
                self._seen[marker] = n + 1
                return replies[min(n, len(replies) - 1)]
        return self.default
