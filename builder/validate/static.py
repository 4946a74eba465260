"""Static checks: the cheapest stage of the validation funnel, run on every row without executing it.

Checks, in order: the code parses (and is not nested deeper than libcst can take); nothing
process-level a training scene never needs (the tamper screen, tamper.py); no `manimlib` import (ManimGL fails on Community Edition); it
defines a Scene subclass with `construct`; every free name that always runs resolves (module level,
class bodies and `construct`/`setup`; builtins, the names `from manim import *` really exports, the
code's own imports and definitions, via libcst's scope analysis); literal asset paths (SVG, images, sounds, `open`) exist. A missing sound passes silently
when animations are skipped, so it must be caught here.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
import libcst.metadata as meta

from builder.guard import TooDeep, parse_ast, parse_cst
from builder.validate.manim_names import ManimNames, manim_names
from builder.validate.tamper import screen

MODULE_DUNDERS = frozenset(
    {"__file__", "__name__", "__doc__", "__builtins__", "__spec__", "__loader__", "__package__"}
)
ASSET_CALLS = {  # callee name -> keyword names that hold the path
    "SVGMobject": ("file_name",),
    "ImageMobject": ("filename_or_array", "filename"),
    "add_sound": ("sound_file",),
    "open": ("file",),
}


@dataclass(frozen=True, slots=True)
class StaticReport:
    ok: bool
    error_type: str | None = None
    message: str | None = None
    scenes: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()


def static_check(code: str, *, names: ManimNames | None = None, base_dir: Path | None = None) -> StaticReport:
    """Check `code` without running it. Relative asset paths resolve against `base_dir` (none: missing).
    Code too deep for the parsers or the scope analysis fails as `too-deep`, never with an exception."""
    try:
        return _static_check(code, names, base_dir)
    except (TooDeep, RecursionError, MemoryError) as exc:
        return StaticReport(False, "too-deep", str(exc) or type(exc).__name__)


def _static_check(code: str, names: ManimNames | None, base_dir: Path | None) -> StaticReport:
    try:
        tree = parse_ast(code)
        module = parse_cst(code)
    except TooDeep:
        raise
    except (SyntaxError, ValueError, cst.ParserSyntaxError) as exc:
        return StaticReport(False, "syntax", _syntax_message(exc))
    imports = _imports(tree)
    requires = _requires(imports)
    tampering = screen(tree)
    if tampering:
        line, what = tampering[0]
        return StaticReport(
            False, f"tamper:{what}", f"uses {what} (line {line}), which no scene needs", (), requires
        )
    if any(name.split(".")[0] == "manimlib" for name, _ in imports):
        return StaticReport(False, "dialect-gl", "imports manimlib (ManimGL), not Manim CE", (), requires)
    names = names or manim_names()
    scenes = _scenes(tree, names)
    if not scenes:
        return StaticReport(False, "no-scene", "defines no Scene subclass with construct()", (), requires)
    undefined = _undefined_names(module, imports, names)
    if undefined:
        listed = ", ".join(f"{n} (line {line})" for n, line in undefined[:5])
        return StaticReport(False, "undefined-name", f"undefined names: {listed}", scenes, requires)
    missing = _missing_assets(tree, base_dir)
    if missing:
        path, line = missing[0]
        return StaticReport(False, "missing-asset", f"missing file {path!r} (line {line})", scenes, requires)
    return StaticReport(True, None, None, scenes, requires)


def _syntax_message(exc: Exception) -> str:
    if isinstance(exc, SyntaxError):
        return f"{exc.msg} (line {exc.lineno})"
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


def _imports(tree: ast.Module) -> list[tuple[str, bool]]:
    """(absolute module name, is star import) for every import anywhere in the code."""
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, False) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, any(alias.name == "*" for alias in node.names)))
    return found


def _requires(imports: Iterable[tuple[str, bool]]) -> tuple[str, ...]:
    tops = {name.split(".")[0] for name, _ in imports}
    return tuple(
        sorted(t for t in tops if t not in sys.stdlib_module_names and t not in {"manim", "__future__"})
    )


def _base_name(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr  # manim.Scene, mn.ThreeDScene
    if isinstance(expr, ast.Subscript):
        return _base_name(expr.value)
    return None


def _scenes(tree: ast.Module, names: ManimNames) -> tuple[str, ...]:
    """Module-level classes that reach a manim Scene class and have a construct (own or inherited)."""
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}

    def reaches_scene(name: str, seen: frozenset[str]) -> bool:
        node = classes.get(name)
        if node is None or name in seen:
            return name in names.scenes and node is None
        return any(reaches_scene(b, seen | {name}) for b in filter(None, map(_base_name, node.bases)))

    def has_construct(name: str, seen: frozenset[str]) -> bool:
        node = classes.get(name)
        if node is None or name in seen:
            return False
        own = any(
            isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name == "construct"
            for item in node.body
        )
        return own or any(has_construct(b, seen | {name}) for b in filter(None, map(_base_name, node.bases)))

    return tuple(n for n in classes if reaches_scene(n, frozenset()) and has_construct(n, frozenset()))


def _undefined_names(
    module: cst.Module, imports: list[tuple[str, bool]], names: ManimNames
) -> list[tuple[str, int]]:
    """Free names no scope, builtin or star import binds; empty if a non-manim star import hides them."""
    stars = {name for name, star in imports if star}
    if stars - {"manim"}:
        return []  # names from an unknown star import cannot be checked statically
    known = (
        MODULE_DUNDERS
        | (names.exports if "manim" in stars else frozenset())
        | _walrus_targets(module)
        | _bound_anywhere(module)
    )
    wrapper = meta.MetadataWrapper(module, unsafe_skip_copy=True)  # the tree is ours alone here
    scopes = wrapper.resolve(meta.ScopeProvider)
    free: list[cst.Name] = []
    for scope in {s for s in scopes.values() if s is not None}:
        if not _always_runs(scope):
            continue
        for access in scope.accesses:
            name = access.node.value if isinstance(access.node, cst.Name) else None
            if name is not None and not access.referents and name not in known:
                free.append(access.node)
    if not free:
        return []
    positions = wrapper.resolve(meta.PositionProvider)  # only when there is something to report
    found: dict[str, int] = {}
    for node in free:
        line = positions[node].start.line
        found[node.value] = min(line, found.get(node.value, line))
    return sorted(found.items(), key=lambda item: (item[1], item[0]))


RUN_METHODS = frozenset({"construct", "setup"})  # what rendering a scene always runs


def _always_runs(scope: meta.Scope) -> bool:
    """Whether code in `scope` runs whenever the scene renders: the module, class bodies (and defaults,
    decorators), and the bodies of `construct`/`setup`. Other function bodies run only if called, so a
    name undefined there is the runtime stage's business (helpers often carry dead code)."""
    while isinstance(scope, meta.ComprehensionScope) or (
        isinstance(scope, meta.FunctionScope) and isinstance(scope.node, cst.Lambda)
    ):
        scope = scope.parent  # comprehensions and lambdas (updaters) run with the code around them
    if not isinstance(scope, meta.FunctionScope):
        return True
    node = scope.node
    return (
        isinstance(node, cst.FunctionDef)
        and node.name.value in RUN_METHODS
        and isinstance(scope.parent, meta.ClassScope)
    )


def _bound_anywhere(module: cst.Module) -> frozenset[str]:
    """Every name the program binds somewhere, by the compiler's own symbol tables.

    libcst's scope analysis misses some bindings (e.g. the later `for` targets of a multi-`for`
    generator used in its `if`); a name bound somewhere is never reported as undefined, so the static
    stage errs towards letting the runtime check decide rather than rejecting working code.
    """
    import symtable

    try:
        table = symtable.symtable(module.code, "<scene>", "exec")
    except (SyntaxError, RecursionError, MemoryError):
        return frozenset()
    bound: set[str] = set()
    stack = [table]
    while stack:
        t = stack.pop()
        stack.extend(t.get_children())
        if t.get_type() == "class":  # class-body names are not visible from its methods: keep checking those
            continue
        bound.update(
            sym.get_name()
            for sym in t.get_symbols()
            if sym.is_assigned() or sym.is_imported() or sym.is_parameter() or sym.is_namespace()
        )
    return frozenset(bound)


def _walrus_targets(module: cst.Module) -> frozenset[str]:
    """`(y := x)` inside a comprehension binds in the enclosing scope; libcst keeps it in the comprehension."""
    targets: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            if isinstance(node.target, cst.Name):
                targets.add(node.target.value)

    module.visit(Collect())
    return frozenset(targets)


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _missing_assets(tree: ast.Module, base_dir: Path | None) -> list[tuple[str, int]]:
    missing: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = _base_name(node.func)
        if callee not in ASSET_CALLS:
            continue
        if callee == "open" and not _opens_for_reading(node):
            continue
        args = [_literal(a) for a in node.args[:1]]
        args += [_literal(k.value) for k in node.keywords if k.arg in ASSET_CALLS[callee]]
        for path in filter(None, args):
            if not _asset_exists(path, base_dir):
                missing.append((path, node.lineno))
    return missing


def _opens_for_reading(node: ast.Call) -> bool:
    mode = _literal(node.args[1]) if len(node.args) > 1 else None
    for kw in node.keywords:
        if kw.arg == "mode":
            mode = _literal(kw.value)
    return mode is None or not any(ch in mode for ch in "wax+")


def _asset_exists(path: str, base_dir: Path | None) -> bool:
    candidate = Path(path).expanduser()
    if candidate.is_absolute():
        return candidate.exists()
    return base_dir is not None and (base_dir / candidate).exists()
