"""Data files read at runtime, inlined as literals that reproduce what the original read returned.

Recognised reads of a repo file given by a literal or a `__file__`-relative path: `open(p)` (text mode),
`Path(p).read_text()`, `Path(p).open()`, and `np.loadtxt / np.genfromtxt / pd.read_csv / pd.read_table /
pd.read_json(p, ...)`. The replacement is `io.StringIO(<literal>)` (or the literal for `read_text`), where
the literal equals the decoded text after universal-newline translation, exactly as text-mode `open()`
yields it: so `Text(f.read())` or `Write(...)` see the same characters, escapes and trailing newline.
The literal is checked with `ast.literal_eval` before use. Binary or oversized files are reported so the
caller can exclude the scene (or hand the file to the asset handling).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath

import libcst as cst
import libcst.matchers as m

from builder.repos.paths import dotted, eval_path, normalise
from builder.repos.repo_files import RepoFiles, RepoReadError

DEFAULT_MAX_BYTES = 64 * 1024
_PATH_READERS = {"loadtxt", "genfromtxt", "read_csv", "read_table", "read_json", "read_fwf"}


@dataclass(frozen=True)
class DataRead:
    """One recognised read: the call to replace, the repo file, and the replacement (None = problem)."""

    call: cst.Call
    relpath: str
    replacement: cst.BaseExpression | None
    problem: str | None  # data-file-binary | data-file-too-large | outside-repo | special-file | unreadable


def text_literal(text: str) -> str:
    """Python source for a str literal equal to `text`: triple-quoted when that is exact, else reprs."""
    safe = (
        "\\" not in text
        and '"""' not in text
        and not text.endswith('"')
        and all(ch.isprintable() or ch in "\n\t" for ch in text)
    )
    if safe and "\n" in text:
        literal = f'"""{text}"""'
    elif "\n" in text.rstrip("\n") or len(text) > 80:
        parts = text.splitlines(keepends=True)
        literal = "(\n" + "\n".join(f"    {part!r}" for part in parts) + "\n)"
    else:
        literal = repr(text)
    if ast.literal_eval(literal) != text:  # never trust the rendering blindly
        literal = repr(text)
    return literal


def _open_mode(call: cst.Call) -> tuple[str, str | None, str | None]:
    mode, encoding, newline = "r", None, None
    for i, arg in enumerate(call.args):
        keyword = arg.keyword.value if arg.keyword else None
        value = arg.value.evaluated_value if isinstance(arg.value, cst.SimpleString) else None
        if (keyword == "mode" or (keyword is None and i == 1)) and isinstance(value, str):
            mode = value
        elif keyword == "encoding" and isinstance(value, str):
            encoding = value
        elif keyword == "newline" and isinstance(value, str):
            newline = value
    return mode, encoding, newline


def _locate(
    expr: cst.BaseExpression, file_dir: str, fs: RepoFiles, env: dict[str, cst.BaseExpression]
) -> str | None:
    """The repo path a read refers to, when the repo has an entry there that is not a folder (a link
    that leaves the repo is located too: reading it is refused with a reason)."""
    path = eval_path(expr, PurePosixPath(file_dir or "."), env)
    if path is None:
        return None
    for candidate in (PurePosixPath(file_dir or ".") / path, path):
        rel = normalise(candidate)
        if not rel or not fs.exists(rel):
            continue
        try:
            real = fs.real_path(rel)
        except RepoReadError:
            return rel
        if not os.path.isdir(real):
            return rel
    return None


def _read_text(
    fs: RepoFiles, rel: str, encoding: str | None, newline: str | None, limit: int
) -> tuple[str | None, str | None]:
    try:
        data = fs.read_bytes(rel, limit)
    except RepoReadError as exc:
        kind = exc.reason.split(":", 1)[0]
        return None, "data-file-too-large" if kind == "file-too-large" else kind
    if b"\x00" in data:
        return None, "data-file-binary"
    try:
        text = data.decode(encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        return None, "data-file-binary"
    if newline is None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None


def _stringio(text: str) -> cst.BaseExpression:
    return cst.parse_expression(f"io.StringIO({text_literal(text)})")


def _literal(text: str) -> cst.BaseExpression:
    return cst.parse_expression(text_literal(text))


def _with_text_argument(call: cst.Call, text: str) -> cst.Call:
    """`call` reading `io.StringIO(<text>)` in place of its path argument."""
    return call.with_changes(args=[call.args[0].with_changes(value=_stringio(text)), *call.args[1:]])


def _text_read(
    call: cst.Call,
    rel: str,
    fs: RepoFiles,
    limit: int,
    replace: Callable[[str], cst.BaseExpression],
    encoding: str | None = None,
    newline: str | None = None,
) -> DataRead:
    """The read of `rel` by `call`: replaced by what `replace` makes of the file's text, or the problem
    that keeps the file from being read."""
    text, problem = _read_text(fs, rel, encoding, newline, limit)
    if text is None:
        return DataRead(call, rel, None, problem)
    return DataRead(call, rel, replace(text), None)


def find_reads(
    node: cst.CSTNode,
    file_dir: str,
    fs: RepoFiles,
    limit: int = DEFAULT_MAX_BYTES,
    env: dict[str, cst.BaseExpression] | None = None,
) -> list[DataRead]:
    """Every recognised data-file read inside `node` whose file exists in the repo; `env` = the module's
    constant assignments, so `open(os.path.join(HERE, "x.txt"))` is found too."""
    env = env or {}
    reads: list[DataRead] = []
    for call in m.findall(node, m.Call()):
        assert isinstance(call, cst.Call)
        func = dotted(call.func)
        short = func.rsplit(".", 1)[-1]
        if func in {"open", "io.open"} and call.args:
            rel = _locate(call.args[0].value, file_dir, fs, env)
            if rel is None:
                continue
            mode, encoding, newline = _open_mode(call)
            if "b" in mode:
                reads.append(DataRead(call, rel, None, "data-file-binary"))
            elif not any(ch in mode for ch in "wax+"):
                reads.append(_text_read(call, rel, fs, limit, _stringio, encoding, newline))
        elif short in _PATH_READERS and call.args and "." in func:
            rel = _locate(call.args[0].value, file_dir, fs, env)
            if rel is not None:
                reads.append(_text_read(call, rel, fs, limit, partial(_with_text_argument, call)))
        elif isinstance(call.func, cst.Attribute) and call.func.attr.value in {"read_text", "open"}:
            inner = call.func.value
            if not (
                isinstance(inner, cst.Call) and dotted(inner.func) in {"Path", "pathlib.Path"} and inner.args
            ):
                continue
            rel = _locate(inner.args[0].value, file_dir, fs, env)
            if rel is not None:
                replace = _literal if call.func.attr.value == "read_text" else _stringio
                reads.append(_text_read(call, rel, fs, limit, replace))
    return reads
