"""Static evaluation of the path expressions scripts build (`os.path.join(os.path.dirname(__file__), ...)`).

Why: scenes extend `sys.path` and open data files with such expressions; evaluating the common shapes
without running anything lets the extractor follow them while staying inside the repo.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import libcst as cst
import libcst.matchers as m

if TYPE_CHECKING:
    from builder.repos.units import Unit


def dotted(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted(node.value)}.{node.attr.value}"
    return ""


SYS_PATH = m.Attribute(value=m.Name("sys"), attr=m.Name("path"))


def eval_path(
    node: cst.BaseExpression,
    file_dir: PurePosixPath,
    env: dict[str, cst.BaseExpression] | None = None,
    depth: int = 0,
) -> PurePosixPath | None:
    """Evaluate the few path expressions scripts pass to sys.path or open() (relative to the repo root);
    `env` holds the module's simple constant assignments (`HERE = os.path.dirname(__file__)`)."""
    if depth > 20:
        return None
    if env and isinstance(node, cst.Name) and node.value in env:
        return eval_path(env[node.value], file_dir, env, depth + 1)
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return PurePosixPath(value) if isinstance(value, str) and not value.startswith("/") else None
    if isinstance(node, cst.Name) and node.value == "__file__":
        return file_dir / "__file__"
    if isinstance(node, cst.Attribute) and node.attr.value == "parent":
        inner = eval_path(node.value, file_dir, env, depth + 1)
        return inner.parent if inner is not None else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        left, right = (
            eval_path(node.left, file_dir, env, depth + 1),
            eval_path(node.right, file_dir, env, depth + 1),
        )
        return left / right if left is not None and right is not None else None
    if isinstance(node, cst.Call):
        func = dotted(node.func)
        args = [a.value for a in node.args]
        if func in {"os.path.dirname", "dirname"} and len(args) == 1:
            inner = eval_path(args[0], file_dir, env, depth + 1)
            return inner.parent if inner is not None else None
        if (
            func in {"os.path.abspath", "os.path.realpath", "str", "Path", "pathlib.Path", "os.path.normpath"}
            and len(args) == 1
        ):
            return eval_path(args[0], file_dir, env, depth + 1)
        if func in {"os.path.join", "join"} and args:
            parts = [eval_path(a, file_dir, env, depth + 1) for a in args]
            if any(p is None for p in parts):
                return None
            out = parts[0]
            for p in parts[1:]:
                out = out / p  # type: ignore[operator]
            return out
        if func == "os.getcwd" and not args:
            return PurePosixPath(".")
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value in {"resolve", "absolute"}
            and not args
        ):
            return eval_path(node.func.value, file_dir, env, depth + 1)
    return None


def normalise(path: PurePosixPath) -> str | None:
    parts: list[str] = []
    for part in path.parts:
        if part in {".", ""}:
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def syspath_dirs(units: list[Unit], file_dir: str) -> tuple[str, ...]:
    found: list[str] = []
    base = PurePosixPath(file_dir or ".")
    for unit in units:
        if unit.kind != "syspath":
            continue
        for call in m.findall(
            unit.node, m.Call(func=m.Attribute(value=SYS_PATH, attr=m.Name("append") | m.Name("insert")))
        ):
            assert isinstance(call, cst.Call)
            if not call.args:
                continue
            path = eval_path(call.args[-1].value, base)
            if path is None:
                continue
            anchored = bool(m.findall(call.args[-1].value, m.Name("__file__")))
            for candidate in (path,) if anchored else (base / path, path):
                norm = normalise(candidate)
                if norm is not None and norm not in found:
                    found.append(norm)
    return tuple(found)
