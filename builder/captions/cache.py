"""The caption cache: one JSON file per accepted caption, so a rebuild makes no calls for it.

Keyed by sha256 of (code hash, canonical-JSON trace hash, model, prompt version); an entry also keeps
what producing the caption cost (tokens, calls), so a build served from the cache reports the same
figures as the build that asked. Written atomically (tmp + os.replace) and only by the process that
runs the build (on Ray, the driver): nodes return captions, they never write here.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.captions.prompt import trace_fields
from builder.captions.replies import check_reply

CACHE_FORMAT = 1  # bump if the layout of a cache entry changes


@dataclass(frozen=True)
class Cost:
    """What producing one caption took: tokens the endpoint counted and HTTP calls, retries included."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0


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


def count(value: Any) -> int:
    """A token or call count as reported by a stranger: a positive int, else 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


class CaptionCache:
    """`<root>/<key[:2]>/<key>.json`; an unreadable, foreign or no-longer-acceptable entry is a miss."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, min_chars: int, max_chars: int) -> tuple[str, Cost] | None:
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
        if check_reply(text, min_chars, max_chars) != (text, None):
            return None
        cost = Cost(
            count(entry.get("prompt_tokens")),
            count(entry.get("completion_tokens")),
            count(entry.get("calls")),
        )
        return text, cost

    def put(self, key: str, text: str, model: str, prompt_version: int, cost: Cost) -> None:
        entry = {
            "format": CACHE_FORMAT,
            "key": key,
            "model": model,
            "prompt_version": prompt_version,
            "text": text,
            "prompt_tokens": cost.prompt_tokens,
            "completion_tokens": cost.completion_tokens,
            "calls": cost.calls,
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
