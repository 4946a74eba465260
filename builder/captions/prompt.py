"""The caption prompt: a versioned template in `configs/prompts/caption.yaml`, rendered per scene.

The template holds a `system` and a `user` message with the placeholders `{code}`, `{trace}` and
`{context}`. Placeholders are filled in one pass, so braces inside the code are never read as
placeholders. `version` is part of the caption cache key (`builder.captions.llm`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.config import read_yaml
from builder.errors import ConfigError
from builder.resources import configs_dir

PLACEHOLDERS = ("code", "trace", "context")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_KEYS = {"version", "system", "user", "max_code_chars", "max_trace_chars"}
_LIST_ITEMS = 24  # items of one trace list shown before "(+N more)"
_STRING_CHARS = 120  # characters of one trace string shown before "..."
# How the fields of builder.schema.Trace read in the prompt; other fields show their own names.
_LABELS = {
    "mobjects": "objects added",
    "animations": "animations played, in order",
    "texts": "text shown on screen",
    "colours": "colours",
    "camera": "camera",
    "n_animations": "number of animations",
    "run_time": "run time in seconds",
}


@dataclass(frozen=True)
class PromptTemplate:
    version: int
    system: str
    user: str
    max_code_chars: int = 12_000
    max_trace_chars: int = 2_000

    def messages(self, code: str, trace: Mapping[str, Any] | Any, context: str) -> list[dict[str, str]]:
        """The chat messages for one scene."""
        values = {
            "code": _cut(code.strip("\n"), self.max_code_chars, "\n# ... (program cut)"),
            "trace": _cut(render_trace(trace), self.max_trace_chars, "\n..."),
            "context": context.strip() or "(none)",
        }
        return [
            {"role": "system", "content": _fill(self.system, values)},
            {"role": "user", "content": _fill(self.user, values)},
        ]


def prompt_path(config_dir: Path | None = None) -> Path:
    return (config_dir or configs_dir()) / "prompts" / "caption.yaml"


def load_prompt(config_dir: Path | None = None) -> PromptTemplate:
    """Read and check the template (`config_dir` as `--config-dir`; None = the shipped configs)."""
    path = prompt_path(config_dir)
    doc = read_yaml(path)
    if unknown := set(doc) - _KEYS:
        raise ConfigError(f"{path}: unknown key(s) {sorted(unknown)}; known: {sorted(_KEYS)}")
    for key in ("version", "system", "user"):
        if key not in doc:
            raise ConfigError(f"{path}: missing key {key!r}")
    if not isinstance(doc["version"], int) or isinstance(doc["version"], bool):
        raise ConfigError(f"{path}: version: expected an integer, got {doc['version']!r}")
    for key in ("system", "user"):
        if not isinstance(doc[key], str) or not doc[key].strip():
            raise ConfigError(f"{path}: {key}: expected a non-empty string")
        if bad := sorted(set(_PLACEHOLDER.findall(doc[key])) - set(PLACEHOLDERS)):
            raise ConfigError(f"{path}: {key}: unknown placeholder(s) {bad}; known: {list(PLACEHOLDERS)}")
    if "{code}" not in doc["system"] + doc["user"]:
        raise ConfigError(f"{path}: the template never shows the program ({{code}})")
    for key in ("max_code_chars", "max_trace_chars"):
        if key in doc and (not isinstance(doc[key], int) or doc[key] < 100):
            raise ConfigError(f"{path}: {key}: expected an integer >= 100")
    return PromptTemplate(**doc)


def trace_fields(trace: Mapping[str, Any] | Any) -> Mapping[str, Any]:
    """A trace as a mapping: a mapping as is, a dataclass (`builder.schema.Trace`) by its fields."""
    if dataclasses.is_dataclass(trace) and not isinstance(trace, type):
        return {f.name: getattr(trace, f.name) for f in dataclasses.fields(trace)}
    if isinstance(trace, Mapping):
        return trace
    raise TypeError(f"a trace must be a mapping or a dataclass, not {type(trace).__name__}")


def render_trace(trace: Mapping[str, Any] | Any) -> str:
    """One `label: value` line per trace field, in the trace's own order: lists joined with commas (long
    ones cut with a count), nested mappings as `k=v`, empty fields left out."""
    lines = []
    for key, value in trace_fields(trace).items():
        shown = _value(value)
        if shown:
            lines.append(f"{_LABELS.get(str(key), str(key).replace('_', ' '))}: {shown}")
    return "\n".join(lines) or "(no trace recorded)"


def _value(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return json.dumps(value if len(value) <= _STRING_CHARS else value[:_STRING_CHARS] + "...")
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_value(v)}" for k, v in value.items() if _value(v))
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        shown = [_value(v) for v in items[:_LIST_ITEMS]]
        more = f" (+{len(items) - _LIST_ITEMS} more)" if len(items) > _LIST_ITEMS else ""
        return ", ".join(s for s in shown if s) + more
    return str(value)


def _cut(text: str, limit: int, mark: str) -> str:
    return text if len(text) <= limit else text[: limit - len(mark)] + mark


def _fill(template: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
