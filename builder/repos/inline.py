"""One self-contained program per scene: the imports it needs plus the transitive closure of the
module-level definitions it uses, from its own file and from local modules, in their original text.

Rules (each rewrite is recorded as a fix code on the row):
- INL001: two different definitions (or imports) want the same name; external star-imported names,
  builtins and the scene file's own definitions keep theirs, others get `<name>_<module>` (suffixed with a
  counter if that is taken too).
- INL002: definitions were inlined from other local modules.
- INL003: a module-qualified access (`helpers.grid()`) or import alias was rewritten to the inlined name.
- INL004: a data file read at runtime was inlined as a literal (see datafiles.py).
- INL005: the scene was split out of a file holding other scenes or definitions it does not use.
- INL006: a document code block had no manim import; `from manim import *` was added (as the
  `.. manim::` directive and the `%%manim` magic do).
Statements of the scene's own file that only have side effects (e.g. `config.background_color = ...`)
are kept, unless they mention another scene; `sys.path` edits and `if __name__ == "__main__":` blocks are
dropped. Which units a scene needs is decided in closure.py; this module names, orders and writes them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

import libcst as cst
from libcst._nodes.internal import CodegenState

from builder.fixes.inline_codes import (
    FIX_CLASH,
    FIX_DATAFILE,
    FIX_HEADER,
    FIX_MULTIFILE,
    FIX_QUALIFIED,
    FIX_SPLIT,
)
from builder.repos import datafiles
from builder.repos.bindings import Binding, Builtin, External, Free, LocalDef
from builder.repos.closure import Closure, NameRewriter, Plan, UnitKey, Unresolvable
from builder.repos.modules import RepoIndex
from builder.repos.units import ModuleInfo, Unit

__all__ = ["Program", "Unresolvable", "build_program"]


@dataclass(frozen=True)
class Program:
    code: str
    fixes: tuple[str, ...]
    modules: tuple[str, ...]  # module keys the program drew definitions from
    datafiles: tuple[str, ...]
    build_tree: Callable[[], cst.Module] | None = field(default=None, compare=False, repr=False)

    @cached_property
    def tree(self) -> cst.Module | None:
        """The same program as a CST, built on first use (only dialect detection reads it, and the build
        detects dialects later, on every row)."""
        return self.build_tree() if self.build_tree is not None else None


def _identity(binding: Binding) -> tuple:
    if isinstance(binding, LocalDef):
        return ("def", binding.module, binding.name)
    if isinstance(binding, External):
        return ("star", binding.name) if binding.star else ("ext", binding.module, binding.attr, binding.name)
    if isinstance(binding, Builtin | Free):
        return ("builtin", binding.name)
    raise AssertionError(binding)


def _wanted(binding: Binding) -> str:
    return binding.name  # type: ignore[union-attr]


def _slug(key: str) -> str:
    stem = PurePosixPath(key.split("#")[0]).with_suffix("")
    parts = [p for p in stem.parts if p not in {"__init__", "."}]
    out = "_".join(parts[-2:]) if parts else "mod"
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in out)


def _assign_names(
    plan: Plan, scene_module: str, module_rank: dict[str, int]
) -> tuple[dict[tuple, str], bool]:
    """Final program name of every binding identity; True when a clash forced a rename."""
    identities: dict[tuple, Binding] = {}
    for key, unit in plan.units.items():
        for binding in [*plan.bindings[key].values(), *(b for _, b in plan.attr_rewrites[key])]:
            identities.setdefault(_identity(binding), binding)
        for name in unit.defines:
            identities.setdefault(("def", key[0], name), LocalDef(key[0], name))

    def priority(ident: tuple) -> tuple:
        kind = ident[0]
        if kind in {"star", "builtin"}:
            return (0, ident[1])
        if kind == "ext":
            return (1, ident[3], str(ident[1]), str(ident[2]))
        rank = 2 if ident[1] == scene_module else 3
        return (rank, module_rank.get(ident[1], 99), ident[2])

    taken: dict[str, tuple] = {}
    final: dict[tuple, str] = {}
    clashed = False
    for ident in sorted(identities, key=priority):
        name = _wanted(identities[ident])
        if name in taken and taken[name] != ident:
            clashed = True
            base = (
                f"{name}_{_slug(ident[1])}"
                if ident[0] == "def"
                else f"{name}_{str(ident[1]).replace('.', '_')}"
            )
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}_{n}", n + 1
            name = candidate
        taken[name] = ident
        final[ident] = name
    return final, clashed


def _import_line(binding: External, name: str) -> str:
    if binding.star:
        return f"from {binding.module} import *"
    if binding.attr is None:
        if name == binding.module:
            return f"import {name}"
        if "." in binding.module and name == binding.module.split(".")[0]:
            return f"import {binding.module}"
        return f"import {binding.module} as {name}"
    return f"from {binding.module} import {binding.attr}" + (f" as {name}" if name != binding.attr else "")


def _clean_text(text: str) -> str:
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def build_program(
    index: RepoIndex,
    module_key: str,
    class_name: str,
    *,
    max_datafile_bytes: int = datafiles.DEFAULT_MAX_BYTES,
    is_scene=None,
    supplied: frozenset[str] = frozenset(),
    placeholders: frozenset[str] = frozenset(),
) -> Program:
    """The self-contained program for one scene class; raises Unresolvable with the exclusion reason."""
    builder = Closure(
        index,
        module_key,
        is_scene=is_scene,
        max_datafile_bytes=max_datafile_bytes,
        supplied=supplied,
        placeholders=placeholders,
    )
    scene_mod = index.module(module_key)
    if scene_mod is None:
        raise Unresolvable(f"syntax-error:{module_key}")
    builder.add_def(LocalDef(module_key, class_name))
    builder.add_side_effects(scene_mod)
    plan = builder.plan

    module_rank = _module_rank(plan, module_key)

    final, clashed = _assign_names(plan, module_key, module_rank)
    fixes: set[str] = set()
    if clashed:
        fixes.add(FIX_CLASH)
    if any(k[0] != module_key for k in plan.units):
        fixes.add(FIX_MULTIFILE)
    if plan.datafiles:
        fixes.add(FIX_DATAFILE)
    if scene_mod.header_lines:
        fixes.add(FIX_HEADER)
    kept_scene_units = {k[1] for k in plan.units if k[0] == module_key}
    if any(
        u.index not in kept_scene_units and u.kind not in {"import", "docstring", "main", "syspath"}
        for u in scene_mod.units
    ):
        fixes.add(FIX_SPLIT)

    texts: dict[UnitKey, str] = {}
    renames: dict[UnitKey, tuple[dict[int, str], list[tuple[cst.Attribute, str]]]] = {}
    for key, unit in plan.units.items():
        mod = index.module(key[0])
        assert mod is not None
        names: dict[int, str] = {}
        for ref, binding in plan.bindings[key].items():
            new = final[_identity(binding)]
            if new != ref:
                if ref in unit.refs:
                    names.update((id(n), new) for n in unit.refs[ref])
                    if (
                        isinstance(binding, External)
                        and not (binding.star or new == binding.name)
                        or (isinstance(binding, LocalDef) and binding.name != ref)
                    ):
                        fixes.add(FIX_QUALIFIED)
        for name in unit.def_nodes:  # the names first: their Name nodes only when renamed
            new = final[("def", key[0], name)]
            if new != name:
                names.update((id(n), new) for n in unit.def_nodes[name])
        attrs = [(attr, final[_identity(binding)]) for attr, binding in plan.attr_rewrites[key]]
        if attrs:
            fixes.add(FIX_QUALIFIED)
        if names or attrs:
            renames[key] = (names, attrs)
            texts[key] = _renamed_text(index, mod, unit, names, attrs)
        else:
            texts[key] = _clean_text(unit.text)

    order = _order(plan, module_rank)
    externals = {
        _identity(b): b
        for key in plan.units
        for b in [*plan.bindings[key].values(), *(b for _, b in plan.attr_rewrites[key])]
        if isinstance(b, External)
    }
    future = sorted(
        {
            b.attr or ""
            for key in plan.module_order
            for b in (index.module(key).imports.values() if index.module(key) else [])  # type: ignore[union-attr]
            if b.module == "__future__" and b.attr
        }
    )
    header = [f"from __future__ import {name}" for name in future]
    stars = sorted(
        {b.module for b in externals.values() if b.star}, key=lambda s: (s.split(".")[0] != "manim", s)
    )
    header += [f"from {s} import *" for s in stars]
    plain = sorted(
        {_import_line(b, final[i]) for i, b in externals.items() if not b.star and b.module != "__future__"}
    )
    header += [line for line in plain if line.startswith("import ")] + [
        line for line in plain if line.startswith("from ")
    ]

    body: list[str] = []
    prev_kind = None
    for key in order:
        unit = plan.units[key]
        text = texts[key]
        if not text:
            continue
        if body:
            spaced = unit.kind in {"def", "class"} or prev_kind in {"def", "class"}
            body.append("\n\n\n" if spaced else "\n")
        body.append(text)
        prev_kind = unit.kind
    code = "\n".join(header) + ("\n\n\n" if header and body else "") + "".join(body) + "\n"
    compile(code, f"<{module_key}::{class_name}>", "exec")

    def build_tree() -> cst.Module:
        header_tree = cst.parse_module("\n".join(header) + "\n")
        nodes = [
            _renamed_node(index, plan.units[k], *renames[k]) if k in renames else plan.units[k].node
            for k in order
        ]
        return header_tree.with_changes(body=[*header_tree.body, *nodes])

    return Program(
        build_tree=build_tree,
        code=code,
        fixes=tuple(sorted(fixes)),
        modules=tuple(sorted(plan.module_order)),
        datafiles=tuple(sorted(plan.datafiles)),
    )


class _RenamingCodegen(CodegenState):
    """Prints a statement as `NameRewriter` would rewrite it, without rebuilding the tree: a renamed Name
    prints its new value; a rewritten attribute chain prints its own parentheses around the new name
    (NameRewriter's `Name(new, lpar=..., rpar=...)`), and nothing of the chain inside them."""

    def __init__(
        self, module: ModuleInfo, names: dict[int, str], attrs: list[tuple[cst.Attribute, str]]
    ) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.names = names
        self.begin = {id(attr.value): new for attr, new in attrs}  # the chain's first node...
        self.end = {id(attr.attr) for attr, _ in attrs}  # ...and its last
        self.printing: list[cst.CSTNode] = []
        self.hidden = 0

    def before_codegen(self, node: cst.CSTNode) -> None:
        new = self.begin.get(id(node))
        if new is not None:
            if not self.hidden:
                self.tokens.append(new)
            self.hidden += 1
        self.printing.append(node)

    def after_codegen(self, node: cst.CSTNode) -> None:
        self.printing.pop()
        if id(node) in self.end:
            self.hidden -= 1

    def add_token(self, value: str) -> None:
        if not self.hidden:  # the one token a Name prints itself is its value
            self.tokens.append(self.names.get(id(self.printing[-1]), value) if self.printing else value)

    def add_indent_tokens(self) -> None:
        if not self.hidden:
            self.tokens.extend(self.indent_tokens)


def _renamed_text(
    index: RepoIndex,
    mod: ModuleInfo,
    unit: Unit,
    names: dict[int, str],
    attrs: list[tuple[cst.Attribute, str]],
) -> str:
    """A unit's text with names rewritten, as `mod.tree.code_for_node` prints the rewritten unit (the
    module's default indent and newline). The scenes that share a helper usually rename it the same way,
    so the text is cached per repo (keyed by the unit's node, which the cache keeps alive, so the node
    ids in the key stay unique)."""
    memo = ("renamed", id(unit.node), frozenset(names.items()), tuple((id(a), n) for a, n in attrs))
    cached = index.memo.get(memo)
    if cached is None:
        state = _RenamingCodegen(mod, names, attrs)
        unit.node._codegen(state)
        cached = (unit.node, _clean_text("".join(state.tokens)))
        index.memo[memo] = cached
    return cached[1]  # type: ignore[index]


def _renamed_node(
    index: RepoIndex, unit: Unit, names: dict[int, str], attrs: list[tuple[cst.Attribute, str]]
) -> cst.BaseStatement:
    memo = ("renamed-node", id(unit.node), frozenset(names.items()), tuple((id(a), n) for a, n in attrs))
    cached = index.memo.get(memo)
    if cached is None:
        rewriter = NameRewriter(names, {id(attr): new for attr, new in attrs}, {})
        cached = (unit.node, unit.node.visit(rewriter))
        index.memo[memo] = cached
    return cached[1]  # type: ignore[index, return-value]


def _module_rank(plan: Plan, scene_module: str) -> dict[str, int]:
    """Helpers first: depth-first post-order of the module graph from the scene's module (a cycle is
    broken where the walk meets it), the scene's module last."""
    rank: dict[str, int] = {}
    visiting: set[str] = set()
    _post_order(scene_module, plan.module_edges, rank, visiting)
    for key in plan.module_order:
        _post_order(key, plan.module_edges, rank, visiting)
    rank[scene_module] = len(rank) + 1
    return rank


def _post_order(key: str, edges: dict[str, set[str]], rank: dict[str, int], visiting: set[str]) -> None:
    # a module-level function, not a closure that calls itself: that would be a reference cycle holding
    # every scene's plan until the cyclic GC runs
    if key in rank or key in visiting:
        return
    visiting.add(key)
    for dep in sorted(edges.get(key, ())):
        _post_order(dep, edges, rank, visiting)
    rank[key] = len(rank)


def _order(plan: Plan, module_rank: dict[str, int]) -> list[UnitKey]:
    """Definition order: each unit after the units it needs when it runs; otherwise helpers' modules
    first and original order within a module (Kahn's algorithm with that priority)."""
    indegree = {key: 0 for key in plan.units}
    users: dict[UnitKey, list[UnitKey]] = {key: [] for key in plan.units}
    for key, deps in plan.eager.items():
        for dep in deps:
            if dep in plan.units:
                indegree[key] += 1
                users[dep].append(key)

    def prio(key: UnitKey) -> tuple[int, int]:
        return (module_rank.get(key[0], 0), key[1])

    heap = [(prio(k), k) for k, d in indegree.items() if d == 0]
    heapq.heapify(heap)
    out: list[UnitKey] = []
    while heap:
        _, key = heapq.heappop(heap)
        out.append(key)
        for user in users[key]:
            indegree[user] -= 1
            if indegree[user] == 0:
                heapq.heappush(heap, (prio(user), user))
    if len(out) < len(plan.units):  # an eager cycle (cannot run in Python either): keep source order
        out.extend(sorted((k for k in plan.units if k not in set(out)), key=prio))
    return out
