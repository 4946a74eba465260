"""LLM captions through the real `openai` client against tests/chat_server.py (a local protocol server)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from chat_server import ChatServer, Reply, empty, fenced, malformed, ok, rate_limited, server_error, slow

from builder.captions.cache import cache_key
from builder.captions.llm import REASONS, CaptionRequest, LLMSettings, caption
from builder.captions.prompt import load_prompt, render_trace
from builder.captions.replies import check_reply
from builder.errors import ConfigError
from builder.schema import Trace

KEY_ENV = "MCD_TEST_LLM_KEY"
SECRET = "sk-test-4f1c9e0d7b2a"
TRACE = {
    "mobjects": ["Text", "Circle"],
    "animations": ["Write", "Create", "FadeOut"],
    "texts": ["Day 1"],
    "colours": ["BLUE"],
    "camera": "2d",
    "n_animations": 3,
    "run_time": 3.5,
}


def scene(tag: str, body: str = "self.play(Create(Circle(color=BLUE)))") -> str:
    return (
        f"from manim import *\n\n# tag:{tag}\nclass Day1(Scene):\n    def construct(self):\n"
        f"        self.play(Write(Text('Day 1')))\n        {body}\n"
    )


def req(tag: str, trace: dict | None = None, **kw) -> CaptionRequest:
    return CaptionRequest(
        key=f"row-{tag}", code=scene(tag, **kw), trace=TRACE if trace is None else trace, context="Day1"
    )


@pytest.fixture
def server():
    with ChatServer() as s:
        yield s


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv(KEY_ENV, SECRET)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-this-one")


def fast(server: ChatServer, **kw) -> LLMSettings:
    values = dict(
        base_url=server.url, model="test-model", api_key_env=KEY_ENV, timeout_s=1.0, max_retries=2,
        backoff_base_s=0.01, backoff_max_s=0.05, retry_after_max_s=0.5,
    )  # fmt: skip
    return LLMSettings(**(values | kw))


def test_success_gives_the_caption_tokens_and_source(server, tmp_path):
    [result] = caption([req("a")], fast(server), tmp_path)
    assert result.key == "row-a"
    assert result.text == "Create a scene that draws a blue circle for request a."
    assert (result.source, result.reason, result.calls, result.cached) == ("llm:test-model", None, 1, False)
    assert (result.prompt_tokens, result.completion_tokens) == (50, 20)

    [sent] = server.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.body["model"] == "test-model"
    assert (sent.body["max_tokens"], sent.body["temperature"], sent.body["seed"]) == (200, 0.0, 0)
    system, user = sent.body["messages"]
    assert (system["role"], user["role"]) == ("system", "user")
    assert scene("a").strip("\n") in user["content"]  # the program, whole
    assert 'animations played, in order: "Write", "Create", "FadeOut"' in user["content"]  # the trace
    assert (
        'text shown on screen: "Day 1"' in user["content"] and "run time in seconds: 3.5" in user["content"]
    )
    assert "Day1" in user["content"].split("label for it")[1]  # the context
    assert sent.headers["authorization"] == f"Bearer {SECRET}"  # from the named variable
    assert sent.headers["x-stainless-retry-count"] == "0"  # the client's own retries are off


@pytest.mark.parametrize("first", [rate_limited("0"), server_error(500), server_error(503)])
def test_retries_on_429_and_5xx_then_succeeds(server, tmp_path, first):
    server.on("tag:flaky", first, ok())
    [result] = caption([req("flaky")], fast(server), tmp_path)
    assert result.text and result.reason is None
    assert result.calls == 2 == server.calls("tag:flaky")
    assert (result.prompt_tokens, result.completion_tokens) == (50, 20)  # the successful reply's usage


def test_retry_after_is_honoured_and_capped(server, tmp_path):
    server.on("tag:ms", rate_limited(None, ms="300"), ok()).on("tag:long", rate_limited("3600"), ok())
    started = time.monotonic()
    results = caption([req("ms"), req("long")], fast(server, retry_after_max_s=0.2), tmp_path)
    assert all(r.text and r.calls == 2 for r in results)
    ms = [r.at for r in server.requests if "tag:ms" in r.prompt]
    long = [r.at for r in server.requests if "tag:long" in r.prompt]
    assert ms[1] - ms[0] >= 0.18  # asked for 300 ms, capped to 200 ms
    assert 0.18 <= long[1] - long[0] < 2  # asked for an hour, waited the cap
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("reply", "reason", "calls"),
    [
        (server_error(500), "llm-server-error", 3),
        (server_error(502), "llm-server-error", 3),
        (rate_limited("0"), "llm-rate-limited", 3),
        (Reply(status=404), "llm-client-error", 1),  # e.g. an unknown model: asking again will not help
        (Reply(status=400), "llm-client-error", 1),
    ],
)
def test_persistent_failures_give_their_reason(server, tmp_path, reply, reason, calls):
    server.on("tag:bad", reply)
    [result] = caption([req("bad")], fast(server), tmp_path)
    assert (result.text, result.source, result.reason, result.calls) == (None, "", reason, calls)
    assert server.calls() == calls


def test_timeout(server, tmp_path):
    server.on("tag:slow", slow(3.0))
    started = time.monotonic()
    [result] = caption([req("slow")], fast(server, timeout_s=0.25, max_retries=1), tmp_path)
    assert (result.text, result.reason, result.calls) == (None, "llm-timeout", 2)
    assert time.monotonic() - started < 2.5  # gave up well before the server answered


def test_a_wrong_key_stops_further_calls(server, tmp_path):
    server.on("tag:", Reply(status=401))
    results = caption([req(str(i)) for i in range(6)], fast(server, max_concurrency=1), tmp_path)
    assert [r.reason for r in results] == ["llm-auth-failed"] * 6
    assert server.calls() == 1 and [r.calls for r in results] == [1, 0, 0, 0, 0, 0]


def test_unreachable_endpoint_falls_back_without_hammering(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = LLMSettings(
        base_url=f"http://127.0.0.1:{port}/v1", model="m", api_key_env=KEY_ENV, timeout_s=0.5,
        max_retries=2, backoff_base_s=0.01, max_concurrency=1,
    )  # fmt: skip
    results = caption([req(str(i)) for i in range(5)], settings, tmp_path)
    assert [r.reason for r in results] == ["llm-unreachable"] * 5
    assert [r.calls for r in results] == [3, 0, 0, 0, 0]  # the first exhausts its retries, then the breaker
    assert not (tmp_path / "captions").exists()


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (malformed(), "llm-malformed-reply"),
        (Reply(raw_body=b'{"id": "x", "object": "chat.completion", "choices": []}'), "llm-malformed-reply"),
        (Reply(raw_body=b'{"object": "chat.completion"}'), "llm-malformed-reply"),
        (empty(), "llm-empty-reply"),
        (ok('  "  "  '), "llm-empty-reply"),
        (fenced(), "llm-code-in-reply"),
        (ok("Create a scene:\nself.play(Create(Circle()))"), "llm-code-in-reply"),
        (ok("from manim import *\nclass A(Scene): pass"), "llm-code-in-reply"),
        (ok("Create a scene that draws a circle and then", finish_reason="length"), "llm-truncated-reply"),
        (ok("I'm sorry, but I cannot describe this program."), "llm-refusal"),
        (ok("A circle."), "llm-too-short"),
        (ok("Create a scene that draws a circle. " * 20), "llm-too-long"),
    ],
)
def test_unusable_replies_are_rejected_with_a_reason_and_not_retried(server, tmp_path, reply, reason):
    server.on("tag:r", reply)
    [result] = caption([req("r")], fast(server), tmp_path)
    assert (result.text, result.source, result.reason, result.calls) == (None, "", reason, 1)
    assert not list((tmp_path / "captions").rglob("*.json"))  # failures are never cached


def test_replies_are_cleaned_to_one_paragraph():
    assert check_reply('  "Create a scene that shows a red square."\n') == (
        "Create a scene that shows a red square.", None,
    )  # fmt: skip
    assert check_reply("Description: \u201cAnimate a `Circle` turning into a square.\u201d")[0] == (
        "Animate a Circle turning into a square."
    )
    assert check_reply("Create a scene that:\n- writes a title\n- draws a blue circle\n\nthen fades out.")[
        0
    ] == ("Create a scene that: writes a title draws a blue circle then fades out.")
    for prose in (
        "Show the equation E = mc^2 being written, then transform it into a graph.",
        "Create a scene where a square (red) rotates, then Create(...)-style drawing reveals a circle.",
        "If the circle grows, fade it out: make a scene that grows a circle and fades it.",
    ):
        assert check_reply(prose) == (prose, None)
    for code in ("title = Text('Hi')", "import numpy as np", "def construct(self):", "self.wait(2)",
                 "for i in range(3):", "    Circle().shift(LEFT)", "return VGroup(a, b)"):  # fmt: skip
        assert check_reply(f"Create a scene with a circle.\n{code}")[1] == "llm-code-in-reply", code


def test_a_rebuild_is_served_from_the_cache(server, tmp_path):
    server.on("tag:fails", server_error())
    batch = [req("a"), req("b"), req("fails"), req("c")]
    first = caption(batch, fast(server, max_retries=0), tmp_path)
    assert [r.cached for r in first] == [False] * 4 and first[2].reason == "llm-server-error"
    entries = sorted((tmp_path / "captions").rglob("*.json"))
    assert len(entries) == 3  # successes only

    calls_before = server.calls()
    again = caption(batch, fast(server, max_retries=0), tmp_path)
    assert [r.text for r in again] == [r.text for r in first]
    assert [(r.cached, r.calls, r.prompt_tokens) for r in again if r.text] == [(True, 0, 0)] * 3
    assert [r.cost for r in again] == [r.cost for r in first]  # what each caption took, as when asked
    assert again[0].source == "llm:test-model"
    assert server.calls() - calls_before == 1  # only the failed one is asked again
    assert server.calls("tag:fails") == 2

    entry = json.loads(entries[0].read_text())
    assert entry["model"] == "test-model" and entry["prompt_version"] == 1
    assert (entry["prompt_tokens"], entry["completion_tokens"], entry["calls"]) == (50, 20, 1)
    assert not list((tmp_path / "captions").rglob("*.tmp"))


def test_cache_key_follows_code_trace_model_and_prompt_version(server, tmp_path):
    settings = fast(server)
    caption([req("a")], settings, tmp_path)
    reordered = dict(reversed(list(TRACE.items())))  # same trace, other key order: same entry
    caption([CaptionRequest("other-id", scene("a"), reordered, "other context")], settings, tmp_path)
    assert server.calls() == 1

    caption([req("a", trace=TRACE | {"n_animations": 4})], settings, tmp_path)
    caption([req("a", body="self.wait()")], settings, tmp_path)
    caption([req("a")], fast(server, model="other-model"), tmp_path)
    prompts = tmp_path / "cfg" / "prompts"
    prompts.mkdir(parents=True)
    shipped = load_prompt()
    (prompts / "caption.yaml").write_text(
        json.dumps({"version": 2, "system": shipped.system, "user": shipped.user}), encoding="utf-8"
    )
    caption([req("a")], fast(server, config_dir=tmp_path / "cfg"), tmp_path)
    assert server.calls() == 5
    assert len(list((tmp_path / "captions").rglob("*.json"))) == 5
    assert cache_key("x", {"a": 1, "b": [1, 2]}, "m", 1) == cache_key("x", {"b": (1, 2), "a": 1}, "m", 1)


def test_a_schema_trace_works_like_its_fields(server, tmp_path):
    trace = Trace(**TRACE)
    assert cache_key("x", trace, "m", 1) == cache_key("x", TRACE, "m", 1)
    caption([CaptionRequest("row-a", scene("a"), trace, "Day1")], fast(server), tmp_path)
    [again] = caption([req("a")], fast(server), tmp_path)  # the same fields as a dict: a cache hit
    assert again.cached and server.calls() == 1
    assert 'objects added: "Text", "Circle"' in server.requests[0].prompt


def test_identical_requests_in_one_batch_are_asked_once(server, tmp_path):
    results = caption([req("a"), req("b"), req("a")], fast(server), tmp_path)
    assert server.calls() == 2
    assert results[0].text == results[2].text and results[2].key == "row-a"
    assert [(r.calls, r.cached) for r in results] == [(1, False), (1, False), (0, True)]


def test_concurrency_is_bounded_and_order_preserved(server, tmp_path):
    server.hold_s = 0.15
    server.on("tag:r0", slow(0.3)).on("tag:r1", slow(0.2))  # the first answers come back last
    batch = [req(f"r{i}") for i in range(10)]
    results = caption(batch, fast(server, max_concurrency=3), tmp_path)
    assert 2 <= server.max_in_flight <= 3
    assert [r.key for r in results] == [f"row-r{i}" for i in range(10)]
    assert [r.text for r in results] == [
        f"Create a scene that draws a blue circle for request r{i}." for i in range(10)
    ]


def test_the_key_is_read_from_the_named_variable_and_never_stored(server, tmp_path, monkeypatch):
    results = caption([req("a"), req("b")], fast(server), tmp_path)
    assert {r.headers["authorization"] for r in server.requests} == {f"Bearer {SECRET}"}
    stored = "".join(p.read_text() for p in (tmp_path / "captions").rglob("*.json"))
    assert stored and SECRET not in stored and "sk-not-this-one" not in stored
    assert SECRET not in repr(results)

    monkeypatch.delenv(KEY_ENV)  # unset: a placeholder (local servers accept any key), never another key
    caption([req("c")], fast(server), tmp_path)
    assert server.requests[-1].headers["authorization"] == "Bearer not-set"


def test_prompt_template_and_trace_rendering(tmp_path):
    prompt = load_prompt()
    assert prompt.version == 1
    code = "class A(Scene):\n    def construct(self):\n        d = {'x': 1}  # {trace} stays literal\n"
    system, user = prompt.messages(code, {"mobjects": ["Dot"] * 30, "three_d": True}, "")
    assert code.strip("\n") in user["content"] and "{code}" not in system["content"] + user["content"]
    assert "(+6 more)" in user["content"] and "three d: yes" in user["content"]
    assert "(none)" in user["content"]  # empty context
    assert render_trace({}) == "(no trace recorded)"
    long = prompt.messages("x = 1\n" * 5000, {}, "")[1]["content"]
    assert "(program cut)" in long and len(long) < prompt.max_code_chars + 1000

    bad = tmp_path / "prompts"
    bad.mkdir()
    for doc, message in (
        ({"version": 1, "system": "s", "user": "{code} {colour}"}, "unknown placeholder"),
        ({"version": 1, "system": "s", "user": "no program"}, "never shows the program"),
        ({"version": "1", "system": "s", "user": "{code}"}, "version"),
        ({"version": 1, "system": "s", "user": "{code}", "temperature": 1}, "unknown key"),
    ):
        (bad / "caption.yaml").write_text(json.dumps(doc))
        with pytest.raises(ConfigError, match=message):
            load_prompt(tmp_path)


def test_every_reason_is_documented():
    documented = {name for name, _ in REASONS}
    assert {"llm-unreachable", "llm-rate-limited", "llm-server-error", "llm-timeout", "llm-malformed-reply",
            "llm-empty-reply", "llm-code-in-reply", "llm-too-long"} <= documented  # fmt: skip


def test_openai_is_not_imported_by_the_builder():
    code = "import sys, builder.captions.llm, builder.pipeline; assert 'openai' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def test_spread_shares_the_bound_and_a_lost_group_falls_back(server, tmp_path):
    """`spread` (how an executor's slots ask): one group per slot, the concurrency bound divided among
    them, and a group the executor lost (a Ray node gone) falls back with its own reason, uncached."""
    from builder.captions.llm import spread
    from builder.isolated import Failed

    seen: list[tuple[int, int]] = []

    def fan_out(fn, parts):  # the local executor's order of work, with the second part lost
        seen.extend((len(p), fn.keywords["settings"].max_concurrency) for p in parts)
        return [fn(parts[0]), Failed(parts[1], "error", "RayTaskError: node lost")]

    server.hold_s = 0.1
    batch = [req(t) for t in "abcdef"]
    results = caption(batch, fast(server, max_concurrency=4), tmp_path, ask=spread(fan_out, parts=2))
    assert seen == [(3, 2), (3, 2)]  # two groups of three, two calls in flight each
    assert [r.reason for r in results] == [None] * 3 + ["llm-worker-lost"] * 3
    assert server.calls() == 3 and server.max_in_flight <= 2
    assert len(list((tmp_path / "captions").rglob("*.json"))) == 3  # the lost ones are asked next time
    again = caption(batch, fast(server, max_concurrency=4), tmp_path)
    assert all(r.text for r in again) and server.calls() == 6
