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
- Concurrency: at most `max_concurrency` calls in flight (one thread pool, one shared client).
- Breaker: once the endpoint refuses the key (401/403) or stays unreachable through every retry, the
  remaining requests get that reason without further calls.
- Replies are checked (`check_reply`): quotes and labels stripped, one paragraph, no code, 20..600
  characters.
- Cache: one JSON file per caption under `<cache_dir>/captions/`, keyed by sha256 of (code hash,
  canonical-JSON trace hash, model, prompt version); written atomically; only accepted captions are
  stored, so a rebuild makes no calls for them. The API key is read from the environment variable
  `api_key_env` at call time and never stored or returned.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from builder.captions.prompt import PromptTemplate, load_prompt, trace_fields

CACHE_FORMAT = 1  # bump if the layout of a cache entry changes

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


def caption(
    requests: Sequence[CaptionRequest], settings: LLMSettings, cache_dir: Path
) -> list[CaptionResult]:
    """One result per request, in input order; identical (code, trace) pairs are asked once."""
    if not requests:
        return []
    template = load_prompt(settings.config_dir)
    store = _Cache(Path(cache_dir) / "captions")
    keys = [cache_key(r.code, r.trace, settings.model, template.version) for r in requests]
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)

    outcomes: dict[str, _Outcome] = {}
    todo = []
    for key, i in first.items():
        text = store.get(key, settings)
        if text is not None:
            outcomes[key] = _Outcome(text=text, cached=True)
        else:
            todo.append((key, requests[i]))
    if todo:
        outcomes.update(_ask_all(todo, settings, template, store))

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
            )
        )
    return results


def cache_key(code: str, trace: Mapping[str, Any] | Any, model: str, prompt_version: int) -> str:
    trace_json = canonical_json(trace_fields(trace))
    parts = {
        "code": hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest(),
        "trace": hashlib.sha256(trace_json.encode("utf-8", "surrogatepass")).hexdigest(),
        "model": model,
        "prompt_version": prompt_version,
    }
    return hashlib.sha256(canonical_json(parts).encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, sets sorted, tuples as lists: equal traces give equal text."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)


# --- replies -------------------------------------------------------------------------------------

_QUOTES = {'"': '"', "'": "'", "`": "`", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb"}
_LABEL = re.compile(r"^(?:\*\*)?(?:description|caption|instruction|prompt|request)(?:\*\*)?\s*:\s*", re.I)
_BULLET = re.compile(r"^(?:[-*\u2022]|\d+[.)])\s+")
_CODE_LINE = re.compile(
    r"""^(?:
        from\s+[\w.]+\s+import\s | import\s+[\w.]+(?:\s+as\s+\w+)?\s*(?:,.*)?$
      | (?:class|def)\s+\w+\s*[(:]
      | (?:self|np|manim|config)\.\w
      | @\w+
      | (?:return|yield|raise|pass|await)\b
      | (?:for|while|if|elif|with|try|else|finally|except)\b[^.!?]*:$
      | [A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*(?:[-+*/]?=)(?!=)\s*\S
      | [A-Za-z_][\w.]*\(.*\)[;,]?$
    )""",
    re.X,
)
_REFUSAL = re.compile(r"^(?:I'm sorry|I am sorry|Sorry,|I cannot|I can't|I can not|As an AI)\b", re.I)


def check_reply(content: str, min_chars: int = 20, max_chars: int = 600) -> tuple[str | None, str | None]:
    """(caption, None) for an acceptable reply, else (None, reason): quotes, a leading label
    ("Description:") and inline backticks go; lines are joined into one paragraph."""
    text = _unquote(content.strip())
    text = _unquote(_LABEL.sub("", text).strip())
    if not text:
        return None, "llm-empty-reply"
    if "```" in text or "~~~" in text:
        return None, "llm-code-in-reply"
    lines = [_BULLET.sub("", line.strip()) for line in text.splitlines()]
    if any(_CODE_LINE.match(line) for line in lines if line):
        return None, "llm-code-in-reply"
    text = " ".join(" ".join(lines).replace("`", "").split())
    if not text:
        return None, "llm-empty-reply"
    if _REFUSAL.match(text):
        return None, "llm-refusal"
    if len(text) < min_chars:
        return None, "llm-too-short"
    if len(text) > max_chars:
        return None, "llm-too-long"
    return text, None


def _unquote(text: str) -> str:
    while len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    return text


# --- calls ---------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    text: str | None = None
    reason: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cached: bool = False

    def repeated(self) -> _Outcome:
        """What a second identical request in the same batch gets: the same answer, at no cost."""
        return _Outcome(self.text, self.reason, cached=self.text is not None)


@dataclass
class _Breaker:
    reason: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def trip(self, reason: str) -> None:
        with self.lock:
            self.reason = self.reason or reason


def _ask_all(
    todo: list[tuple[str, CaptionRequest]], settings: LLMSettings, template: PromptTemplate, store: _Cache
) -> dict[str, _Outcome]:
    try:
        import openai  # only a build that asks a model needs the package

        client = openai.OpenAI(
            base_url=settings.base_url,
            api_key=os.environ.get(settings.api_key_env) or _NO_KEY,
            max_retries=0,  # ours, below
            timeout=settings.timeout_s,
        )
    except Exception:  # not installed, or a base_url the client refuses: every row falls back
        return {key: _Outcome(reason="llm-error") for key, _ in todo}
    breaker = _Breaker()
    with client:

        def one(item: tuple[str, CaptionRequest]) -> _Outcome:
            key, request = item
            try:
                out = _ask(client, openai, key, request, settings, template, breaker)
            except Exception:  # a bug must not cost the build its captions: this row falls back
                return _Outcome(reason="llm-error")
            if out.text is not None:
                store.put(key, out.text, settings, template.version, out)
            return out

        workers = min(settings.max_concurrency, len(todo))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="caption") as pool:
            outcomes = list(pool.map(one, todo))
    return {key: out for (key, _), out in zip(todo, outcomes, strict=True)}


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
    out.prompt_tokens += _count(getattr(usage, "prompt_tokens", 0))
    out.completion_tokens += _count(getattr(usage, "completion_tokens", 0))
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


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


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


# --- cache ---------------------------------------------------------------------------------------


class _Cache:
    """One JSON file per accepted caption: `<root>/<key[:2]>/<key>.json`, written tmp + os.replace."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, settings: LLMSettings) -> str | None:
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT or entry.get("key") != key:
            return None
        text = entry.get("text")
        if not isinstance(text, str):
            return None
        # the stored text exactly, if it still passes (the limits may have changed); else ask again
        return text if check_reply(text, settings.min_chars, settings.max_chars) == (text, None) else None

    def put(self, key: str, text: str, settings: LLMSettings, prompt_version: int, out: _Outcome) -> None:
        entry = {
            "format": CACHE_FORMAT,
            "key": key,
            "model": settings.model,
            "prompt_version": prompt_version,
            "text": text,
            "prompt_tokens": out.prompt_tokens,
            "completion_tokens": out.completion_tokens,
            "calls": out.calls,
        }
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:8]}-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(entry, fh, ensure_ascii=False, sort_keys=True, indent=1)
                    fh.write("\n")
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # an unwritable cache costs a call next time, not the caption
