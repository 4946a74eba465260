"""LLM captions: ask an OpenAI-compatible chat-completions endpoint to describe each scene.

`caption(requests, settings, cache_dir)` returns one `CaptionResult` per request, in input order. It
never raises for anything the endpoint or the model does: a request that gets no usable caption comes
back with `text=None` and a `reason` from `REASONS`, and the caller falls back to its deterministic
synthesiser. Only a broken prompt template (`ConfigError`), invalid settings (`ValueError`) or a trace that is
neither a mapping nor a dataclass (`TypeError`) raise.

- Client: the official `openai` package, imported only when a call is needed (the rest of the builder
  never needs it), with its own retries off; ours are bounded (`max_retries`) with exponential backoff
  and jitter from an RNG seeded by (`seed`, cache key), honouring `Retry-After` (capped), on 429, 5xx,
  timeouts and refused connections. Each call has `timeout_s` (no byte for that long: a timeout).
- Concurrency: at most `max_concurrency` calls in flight (one thread pool and one client per process;
  `spread` splits the calls over an executor's slots and divides the bound among them).
- Breaker: once the endpoint refuses the key (401/403) or stays unreachable through every retry, the
  remaining requests (of that process) get that reason without further calls.
- Replies are checked (builder/captions/replies.py): quotes and labels stripped, one paragraph, no
  code, 20..600 characters.
- Cache (builder/captions/cache.py): only accepted captions are stored, by the calling process, so a
  rebuild makes no calls for them. The API key is read from the environment variable `api_key_env`
  at call time and never stored or returned.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path
from typing import Any

from builder.captions.cache import CaptionCache, Cost, cache_key, count
from builder.captions.prompt import PromptTemplate, load_prompt
from builder.captions.replies import check_reply

# Why a request got no caption (`CaptionResult.reason`), in the order a request can fail.
REASONS: tuple[tuple[str, str], ...] = (
    ("llm-unreachable", "the endpoint refused or dropped the connection on every attempt"),
    ("llm-auth-failed", "the endpoint answered 401 or 403 (missing or wrong API key); no further calls"),
    ("llm-rate-limited", "the endpoint answered 429 on every attempt"),
    ("llm-server-error", "the endpoint answered 5xx on every attempt"),
    ("llm-timeout", "no reply within `timeout_s` on every attempt"),
    ("llm-client-error", "the endpoint rejected the request with another 4xx (e.g. an unknown model)"),
    ("llm-malformed-reply", "the reply is not a chat completion (invalid JSON, no choices, no message)"),
    ("llm-truncated-reply", "the model stopped at `max_tokens` (finish_reason `length`)"),
    ("llm-empty-reply", "the reply holds no text (or only quotes)"),
    ("llm-code-in-reply", "the reply holds a code fence or a line of code"),
    ("llm-refusal", "the model declined (`I'm sorry`, `I cannot`, ...)"),
    ("llm-too-short", "the caption is shorter than `min_chars`"),
    ("llm-too-long", "the caption is longer than `max_chars`"),
    ("llm-error", "an unexpected error in the client (a bug or an unusual reply)"),
    ("llm-worker-lost", "the executor's worker that was asking (a Ray task) was lost with its node"),
)
_RETRYABLE = frozenset({"llm-unreachable", "llm-rate-limited", "llm-server-error", "llm-timeout"})
_TRIPS_BREAKER = frozenset({"llm-unreachable", "llm-auth-failed"})
_NO_KEY = "not-set"  # sent when the key variable is unset: local servers (vLLM, Ollama) accept any key


@dataclass(frozen=True)
class LLMSettings:
    base_url: str  # e.g. http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:11434/v1 (Ollama)
    model: str
    api_key_env: str = "OPENAI_API_KEY"  # the name of the variable holding the key, never the key
    max_concurrency: int = 4
    timeout_s: float = 60.0
    max_retries: int = 4  # attempts = 1 + max_retries, on 429, 5xx, timeouts and refused connections
    max_tokens: int = 200
    temperature: float = 0.0
    seed: int = 0  # sent to the endpoint, and seeds the backoff jitter
    backoff_base_s: float = 0.5  # delay before retry n: base * 2**n, jittered to 50..100%, capped
    backoff_max_s: float = 20.0
    retry_after_max_s: float = 60.0  # a server's Retry-After is honoured up to this
    min_chars: int = 20
    max_chars: int = 600
    config_dir: Path | None = None  # where prompts/caption.yaml lives (None = the shipped configs)

    def __post_init__(self) -> None:
        if not self.base_url or not self.model:
            raise ValueError("LLMSettings: base_url and model are required")
        if self.max_concurrency < 1 or self.max_retries < 0 or self.timeout_s <= 0:
            raise ValueError("LLMSettings: max_concurrency >= 1, max_retries >= 0, timeout_s > 0")

    @property
    def source(self) -> str:
        return f"llm:{self.model}"


@dataclass(frozen=True)
class CaptionRequest:
    key: str  # the caller's id for the row; not part of the cache key
    code: str
    trace: Mapping[str, Any] | Any  # what the scene did when it ran: a mapping or a builder.schema.Trace
    context: str = ""  # the row's original weak text: class name, docstring, leading comments


@dataclass(frozen=True)
class CaptionResult:
    key: str
    text: str | None
    source: str  # "llm:<model>" when text is set, else ""
    reason: str | None  # why there is no text (a name from REASONS); None when text is set
    prompt_tokens: int = 0  # spent by this run (0 when served from the cache)
    completion_tokens: int = 0
    calls: int = 0  # HTTP requests this run made for it, retries included
    cached: bool = False  # served without a call: from the cache, or an identical request in this batch
    cost: Cost = Cost()  # what the caption took to produce, by this run or (cached) the run that asked


Asker = Callable[[list[tuple[str, CaptionRequest]], LLMSettings, PromptTemplate], list["_Outcome"]]


def caption(
    requests: Sequence[CaptionRequest], settings: LLMSettings, cache_dir: Path, ask: Asker | None = None
) -> list[CaptionResult]:
    """One result per request, in input order; identical (code, trace) pairs are asked once. `ask` makes
    the calls the cache cannot answer (default `ask_uncached` in this process; `spread` hands them to
    an executor); accepted captions are written to the cache here, by the caller's process only."""
    if not requests:
        return []
    template = load_prompt(settings.config_dir)
    store = CaptionCache(Path(cache_dir) / "captions")
    keys = [cache_key(r.code, r.trace, settings.model, template.version) for r in requests]
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)

    outcomes: dict[str, _Outcome] = {}
    todo = []
    for key, i in first.items():
        hit = store.get(key, settings.min_chars, settings.max_chars)
        if hit is not None:
            outcomes[key] = _Outcome(text=hit[0], cached=True, stored=hit[1])
        else:
            todo.append((key, requests[i]))
    if todo:
        asked = (ask or ask_uncached)(todo, settings, template)
        for (key, _), out in zip(todo, asked, strict=True):
            outcomes[key] = out
            if out.text is not None:
                store.put(key, out.text, settings.model, template.version, out.spent())

    results = []
    for i, (request, key) in enumerate(zip(requests, keys, strict=True)):
        out = outcomes[key] if first[key] == i else outcomes[key].repeated()
        results.append(
            CaptionResult(
                key=request.key,
                text=out.text,
                source=settings.source if out.text is not None else "",
                reason=None if out.text is not None else out.reason,
                prompt_tokens=out.prompt_tokens,
                completion_tokens=out.completion_tokens,
                calls=out.calls,
                cached=out.cached,
                cost=out.stored if out.stored is not None else out.spent(),
            )
        )
    return results


def spread(fan_out: Callable[[Callable[[Any], Any], list[Any]], list[Any]], parts: int) -> Asker:
    """An `ask` for `caption` that splits the calls into at most `parts` groups, one per executor slot,
    each run by `fan_out` (an executor's: on Ray, tasks spread over the nodes), sharing the concurrency
    bound so no more than `max_concurrency` calls are in flight in all. Each group has its own breaker,
    so a refused key costs one call per group."""

    def ask(todo: list[tuple[str, CaptionRequest]], settings: LLMSettings, template: PromptTemplate):
        n = max(1, min(parts, settings.max_concurrency, len(todo)))
        if n == 1:
            return ask_uncached(todo, settings, template)
        share = replace(settings, max_concurrency=settings.max_concurrency // n)
        size = -(-len(todo) // n)
        groups = [todo[i : i + size] for i in range(0, len(todo), size)]
        done = fan_out(partial(ask_uncached, settings=share, template=template), groups)
        return [
            out
            for group, outs in zip(groups, done, strict=True)
            for out in (outs if isinstance(outs, list) else [_Outcome(reason="llm-worker-lost")] * len(group))
        ]  # a group that came back Failed (its Ray worker lost): its rows fall back to the synthesiser

    return ask


# --- calls ---------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    text: str | None = None
    reason: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cached: bool = False
    stored: Cost | None = None  # what the cached caption took when it was asked

    def spent(self) -> Cost:
        return Cost(self.prompt_tokens, self.completion_tokens, self.calls)

    def repeated(self) -> _Outcome:
        """What a second identical request in the same batch gets: the same answer, at no cost."""
        return _Outcome(self.text, self.reason, cached=self.text is not None, stored=Cost())


@dataclass
class _Breaker:
    reason: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def trip(self, reason: str) -> None:
        with self.lock:
            self.reason = self.reason or reason


def ask_uncached(
    todo: list[tuple[str, CaptionRequest]], settings: LLMSettings, template: PromptTemplate
) -> list[_Outcome]:
    """Ask the endpoint for each (cache key, request), at most `max_concurrency` at a time; one outcome
    each, in order. Touches no cache, so it can run on any node."""
    try:
        import openai  # only a build that asks a model needs the package

        client = openai.OpenAI(
            base_url=settings.base_url,
            api_key=os.environ.get(settings.api_key_env) or _NO_KEY,
            max_retries=0,  # ours, below
            timeout=settings.timeout_s,
        )
    except Exception:  # not installed, or a base_url the client refuses: every row falls back
        return [_Outcome(reason="llm-error") for _ in todo]
    breaker = _Breaker()
    with client:

        def one(item: tuple[str, CaptionRequest]) -> _Outcome:
            key, request = item
            try:
                return _ask(client, openai, key, request, settings, template, breaker)
            except Exception:  # a bug must not cost the build its captions: this row falls back
                return _Outcome(reason="llm-error")

        workers = min(settings.max_concurrency, len(todo))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="caption") as pool:
            return list(pool.map(one, todo))


def _ask(client, openai, key: str, request: CaptionRequest, settings: LLMSettings,
         template: PromptTemplate, breaker: _Breaker) -> _Outcome:  # fmt: skip
    messages = template.messages(request.code, request.trace, request.context)
    rng = random.Random(f"{settings.seed}:{key}")
    out = _Outcome()
    for attempt in range(settings.max_retries + 1):
        if breaker.reason:
            out.reason = breaker.reason
            return out
        out.calls += 1
        retry_after = None
        try:
            reply = client.chat.completions.create(
                model=settings.model,
                messages=messages,
                max_tokens=settings.max_tokens,
                temperature=settings.temperature,
                seed=settings.seed,
                timeout=settings.timeout_s,
            )
        except openai.APITimeoutError:
            out.reason = "llm-timeout"
        except openai.APIConnectionError:
            out.reason = "llm-unreachable"
        except (openai.AuthenticationError, openai.PermissionDeniedError):
            out.reason = "llm-auth-failed"
        except openai.APIStatusError as exc:
            status = exc.status_code
            out.reason = (
                "llm-rate-limited" if status == 429
                else "llm-server-error" if status >= 500
                else "llm-timeout" if status == 408
                else "llm-client-error"
            )  # fmt: skip
            retry_after = _retry_after(exc.response.headers)
        except (openai.APIResponseValidationError, ValueError):  # ValueError: a body that is not JSON
            out.reason = "llm-malformed-reply"
        else:
            return _read(reply, out, settings)
        if out.reason not in _RETRYABLE:
            break
        if attempt < settings.max_retries:
            time.sleep(_delay(attempt, retry_after, settings, rng))
    if out.reason in _TRIPS_BREAKER:
        breaker.trip(out.reason)
    return out


def _read(reply: Any, out: _Outcome, settings: LLMSettings) -> _Outcome:
    usage = getattr(reply, "usage", None)
    out.prompt_tokens += count(getattr(usage, "prompt_tokens", 0))
    out.completion_tokens += count(getattr(usage, "completion_tokens", 0))
    try:
        choice = reply.choices[0]
        content = choice.message.content
        finish = getattr(choice, "finish_reason", None)
    except (AttributeError, IndexError, KeyError, TypeError):
        out.reason = "llm-malformed-reply"
        return out
    if content is not None and not isinstance(content, str):
        out.reason = "llm-malformed-reply"
        return out
    if finish == "length":
        out.reason = "llm-truncated-reply"
        return out
    out.text, out.reason = check_reply(content or "", settings.min_chars, settings.max_chars)
    return out


def _delay(attempt: int, retry_after: float | None, settings: LLMSettings, rng: random.Random) -> float:
    jitter = rng.uniform(0.5, 1.0)  # drawn every time, so the sequence depends only on the attempt
    if retry_after is not None:
        return min(retry_after, settings.retry_after_max_s)
    return min(settings.backoff_base_s * 2**attempt, settings.backoff_max_s) * jitter


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asked us to wait: `retry-after-ms`, or `Retry-After` in seconds or as a date."""
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return max(0.0, float(ms) / 1000)
        if (value := headers.get("retry-after")) is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None
