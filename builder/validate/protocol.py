"""The result channel between a scene, its worker and the build: one strict schema, checked at every hop.

A scene runs in a process it controls, so whatever that process writes is untrusted: the child's
message to the worker, the worker's line to the pool, and a verdict read back from the cache are all
parsed by `check_result`, which accepts only the known fields with their types, ranges and sizes and
turns anything else into a `worker-protocol` failure. Strings are made one line, valid UTF-8 and capped,
so nothing a scene prints or raises can carry a file's contents into the published error details.

Standard library only: the worker imports this file by path inside the sandbox.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

PROTOCOL_VERSION = 3  # part of the verdict cache key: bump when what a verdict means changes
SAMPLES_PER_ANIMATION = 0  # frames of the CLI's frame grid per animation to interpolate (0: every one)
MAX_MESSAGE_BYTES = 64 * 1024  # one result line, child -> worker and worker -> pool
MAX_PNG_BYTES = 8 * 1024 * 1024  # a last-frame PNG (render stage), sent base64-encoded
MAX_DETAIL_CHARS = 300  # error text that may end up in excluded.parquet
MAX_COUNT = 10_000_000
MAX_SECONDS = 10_000_000.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_STATUSES = ("ok", "fail")
_INT_FIELDS = ("n_play", "n_wait", "n_mobjects", "n_animations")
_FLOAT_FIELDS = ("run_time", "seconds")
_TEXT_FIELDS = {"error_type": 80, "error": MAX_DETAIL_CHARS, "id": 512, "output_tail": 1000}
_NAME = r"[A-Za-z_][A-Za-z0-9_]{0,59}"
# The trace (what a scene shows, for descriptions): comma lists of a strict shape, nothing free-form.
TRACE_FIELDS = {
    "trace_mobjects": (rf"(?:{_NAME}(?:,{_NAME}){{0,39}})?", 2500),
    "trace_animations": (rf"(?:{_NAME}(?:,{_NAME}){{0,63}})?", 4000),
    "trace_texts": (r"(?:\d{1,7}:\d{1,7}(?:,\d{1,7}:\d{1,7}){0,11})?", 200),
    "trace_colours": (r"(?:#[0-9a-f]{6}(?:,#[0-9a-f]{6}){0,7})?", 80),
    "trace_camera": (r"2d|3d|moving", 6),
}
_TRACE_RE = {name: re.compile(pattern) for name, (pattern, _) in TRACE_FIELDS.items()}
_KNOWN = {"status", "done", "png_b64", *_INT_FIELDS, *_FLOAT_FIELDS, *_TEXT_FIELDS, *TRACE_FIELDS}


def one_line(text: object, limit: int = MAX_DETAIL_CHARS) -> str:
    """Printable, single-line, valid UTF-8 text of at most `limit` characters."""
    value = str(text).encode("utf-8", "replace").decode("utf-8")
    value = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def fail(error_type: str, error: str) -> dict[str, Any]:
    return {"status": "fail", "error_type": error_type, "error": one_line(error)}


def protocol_error(why: str) -> dict[str, Any]:
    return fail("worker-protocol", why)


def check_result(raw: object) -> dict[str, Any]:
    """The result if it has exactly our shape; otherwise a `worker-protocol` failure saying why."""
    if not isinstance(raw, dict):
        return protocol_error("result is not an object")
    unknown = set(raw) - _KNOWN
    if unknown:
        return protocol_error(f"unknown result fields {sorted(unknown)[:5]}")
    status = raw.get("status")
    if status not in _STATUSES:
        return protocol_error(f"bad status {one_line(repr(status), 40)}")
    out: dict[str, Any] = {"status": status}
    for name in _INT_FIELDS:
        value = raw.get(name)
        if value is None:
            continue
        if type(value) is not int or not 0 <= value <= MAX_COUNT:
            return protocol_error(f"{name} must be a count, got {one_line(repr(value), 40)}")
        out[name] = value
    for name in _FLOAT_FIELDS:
        value = raw.get(name)
        if value is None:
            continue
        if type(value) not in (int, float) or not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
            return protocol_error(f"{name} must be seconds, got {one_line(repr(value), 40)}")
        out[name] = float(value)
    for name, limit in _TEXT_FIELDS.items():
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            return protocol_error(f"{name} must be text")
        out[name] = one_line(value, limit)
    for name, (_, limit) in TRACE_FIELDS.items():
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > limit or not _TRACE_RE[name].fullmatch(value):
            return protocol_error(f"{name} is not a trace list")
        out[name] = value
    if "done" in raw:
        if raw["done"] is not True:
            return protocol_error("done must be true")
        out["done"] = True
    png = raw.get("png_b64")
    if png is not None:
        if not isinstance(png, str) or len(png) > MAX_PNG_BYTES * 4 // 3 + 4:
            return protocol_error("png_b64 must be base64 text within the size cap")
        out["png_b64"] = png
    if status == "fail" and "error_type" not in out:
        out["error_type"] = "fail"
    if status == "ok" and "error_type" in out:
        return protocol_error("an ok result carries no error")
    return out


def decode_line(line: bytes | str) -> dict[str, Any]:
    """Parse one protocol line (size-capped, JSON, strict schema)."""
    if len(line) > MAX_MESSAGE_BYTES + MAX_PNG_BYTES * 2:
        return protocol_error("result line over the size cap")
    try:
        raw = json.loads(line)
    except (ValueError, RecursionError):
        return protocol_error("result is not JSON")
    return check_result(raw)


def _surrogates(code: int) -> str:
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _text(value: str, *, _ord=ord, _format=format, _surrogates=_surrogates) -> str:
    out = ['"']
    for ch in value:
        code = _ord(ch)
        if ch in '"\\' or code < 32 or code > 126:
            out.append("\\u" + _format(code, "04x") if code < 0x10000 else _surrogates(code))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def encode(
    result: dict[str, Any], *, _type=type, _str=str, _int=int, _float=float, _bool=bool, _text=_text
) -> str:
    """One protocol line for a flat dict of str, int, float, bool and None values.

    Hand-written rather than `json.dumps`, with the builtins it needs bound when this module is
    imported: the scene's process writes its own result line with it, after the scene's code ran, and
    that code may have replaced `json.dumps` or `builtins.repr` to forge what gets written.
    """
    parts = []
    for key, value in result.items():
        kind = _type(value)
        if kind is _str:
            shown = _text(value)
        elif kind is _bool:
            shown = "true" if value else "false"
        elif kind is _int:
            shown = _int.__repr__(value)
        elif kind is _float:
            finite = value == value and value not in (_float("inf"), -_float("inf"))
            shown = _float.__repr__(value) if finite else "null"
        elif value is None:
            shown = "null"
        else:
            raise TypeError(f"cannot encode {kind.__name__}")
        parts.append(_text(key) + ":" + shown)
    return "{" + ",".join(parts) + "}\n"
