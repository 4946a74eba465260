"""What a scene needs: the closure of module-level units (definitions, side effects, imports) that a
scene class reaches through its names, resolved once per unit and shared by every scene of the repo.

Fix before reject: a name no module binds is carried (a `Free` binding, left as written) when a fix of
the catalogue supplies it (`ParametricSurface`, `FRAME_HEIGHT`, pi creatures) or when only function
bodies read it (Python fails only if that line runs, which is the runtime stage's business). Only names
that run on import (module level, class bodies, defaults, decorators) and that nothing supplies make a
scene `unresolved-name`. A repo's own GL pi-creature classes are not inlined: the placeholder fix
replaces them (their SVGs are not public).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst
import libcst.matchers as m

from builder.repos import datafiles
from builder.repos.bindings import (
    Binding,
    External,
    Free,
    LocalDef,
    LocalModule,
    Missing,
    Unreadable,
    Unresolved,
)
from builder.repos.modules import RepoIndex
from builder.repos.parse import analyse_unit
from builder.repos.units import ModuleInfo, Unit


class Unresolvable(Exception):
    """The scene cannot become a self-contained program; `reason` is the exclusion reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


UnitKey = tuple[str, int]


@dataclass
class Plan:
    units: dict[UnitKey, Unit] = field(default_factory=dict)
    bindings: dict[UnitKey, dict[str, Binding]] = field(default_factory=dict)
    attr_rewrites: dict[UnitKey, list[tuple[cst.Attribute, Binding]]] = field(default_factory=dict)
    eager: dict[UnitKey, set[UnitKey]] = field(default_factory=dict)
    module_order: list[str] = field(default_factory=list)
    module_edges: dict[str, set[str]] = field(default_factory=dict)
    datafiles: set[str] = field(default_factory=set)


def attr_chain(expr: cst.BaseExpression) -> tuple[cst.Name | None, list[str]]:
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    return (expr if isinstance(expr, cst.Name) else None), parts[::-1]


class NameRewriter(cst.CSTTransformer):
    def __init__(
        self, names: dict[int, str], attrs: dict[int, str], calls: dict[int, cst.BaseExpression]
    ) -> None:
        self.names, self.attrs, self.calls = names, attrs, calls

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        new = self.names.get(id(original))
        return updated.with_changes(value=new) if new is not None else updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        new = self.attrs.get(id(original))
        return cst.Name(new, lpar=original.lpar, rpar=original.rpar) if new is not None else updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        return self.calls.get(id(original), updated)


class Closure:
    """Collects the plan of one scene (`add_def` of the scene class, then `add_side_effects`)."""

    def __init__(
        self,
        index: RepoIndex,
        scene_module: str,
        *,
        is_scene=None,
        max_datafile_bytes: int,
        supplied: frozenset[str] = frozenset(),
        placeholders: frozenset[str] = frozenset(),
    ) -> None:
        self.index = index
        self.max_datafile_bytes = max_datafile_bytes
        self.scene_module = scene_module
        self.plan = Plan()
        self.is_scene = is_scene or (lambda key, name: False)
        self.supplied = supplied
        self.placeholders = placeholders

    def carried(self, mod: ModuleInfo, unit: Unit, name: str, binding: Binding) -> Binding:
        """`Free` for a name a fix supplies or only function bodies read (fix before reject), and for a
        repo's own GL implementation of a name the placeholder fix replaces; else the binding itself."""
        if isinstance(binding, Unresolved) and (name in self.supplied or name not in unit.eager):
            return Free(name)
        if (
            isinstance(binding, LocalDef)
            and name in self.placeholders
            and binding.module != mod.key
            and self.index.is_gl(binding.module)
        ):
            return Free(name)
        return binding

    def fail(self, binding: Binding) -> None:
        if isinstance(binding, Missing):
            raise Unresolvable(f"missing-module:{binding.module}")
        if isinstance(binding, Unresolved):
            raise Unresolvable(f"unresolved-name:{binding.name}")
        if isinstance(binding, Unreadable):
            raise Unresolvable(binding.reason)

    def _canon(self, binding: Binding) -> Binding:
        """`from manim import TEAL` is the same binding as TEAL from `from manim import *`."""
        if (
            isinstance(binding, External)
            and not binding.star
            and binding.module == "manim"
            and binding.attr == binding.name
            and binding.name in self.index.manim_names
        ):
            return External("manim", None, binding.name, star=True)
        return binding

    def add_def(self, binding: LocalDef) -> list[UnitKey]:
        mod = self.index.module(binding.module)
        if mod is None:
            error = self.index.parse_error(binding.module) or ""
            raise Unresolvable(error if ":" in error else f"syntax-error:{binding.module}")
        keys = []
        for idx in mod.defs.get(binding.name, []):
            self.add_unit(mod, idx)
            keys.append((mod.key, idx))
        return keys

    def resolve_unit(
        self,
        mod: ModuleInfo,
        unit: Unit,
        injected: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> tuple[dict[str, Binding], list[tuple[cst.Attribute, Binding]], set[str]]:
        bindings: dict[str, Binding] = {}
        rewrites: list[tuple[cst.Attribute, Binding]] = []
        eager_names: set[str] = set()
        module_refs: dict[str, LocalModule] = {}
        for name in sorted(unit.refs):
            binding = self._canon(self.index.lookup(mod.key, name))
            if name in injected and isinstance(binding, Unresolved):
                binding = External(name, None, name)
            binding = self.carried(mod, unit, name, binding)
            self.fail(binding)
            if isinstance(binding, LocalModule):
                module_refs[name] = binding
            else:
                bindings[name] = binding
        if module_refs:
            covered: set[int] = set()
            for attr in m.findall(unit.node, m.Attribute(value=m.Name() | m.Attribute())):
                assert isinstance(attr, cst.Attribute)
                root, parts = attr_chain(attr)
                if (
                    root is None
                    or root.value not in module_refs
                    or not any(root is n for n in unit.refs[root.value])
                ):
                    continue
                target = module_refs[root.value].module
                for i, part in enumerate(parts):
                    found = self.index.lookup(target, part)
                    self.fail(found)
                    if isinstance(found, LocalModule):
                        target = found.module
                        continue
                    if i == len(parts) - 1:
                        rewrites.append((attr, self._canon(found)))
                        covered.add(id(root))
                        if root.value in unit.eager:
                            eager_names.add(f"{root.value}.{'.'.join(parts)}")
                    break
            for name in module_refs:
                if any(id(n) not in covered for n in unit.refs[name]):
                    raise Unresolvable(f"unsupported:module-object:{name}")
        return bindings, rewrites, eager_names

    def _inline_data(self, mod: ModuleInfo, unit: Unit) -> tuple[Unit, set[str], set[str]]:
        """The unit with its data-file reads replaced by literals, re-analysed (so `os` or `HERE` that
        only served the path are no longer needed), the names the replacement introduces, and the files."""
        if not any(word in unit.text for word in ("open", "load", "read_", "Path")):
            return unit, set(), set()
        reads = datafiles.find_reads(
            unit.node, mod.dir, self.index.fs, self.max_datafile_bytes, mod.constants
        )
        if not reads:
            return unit, set(), set()
        for read in reads:
            if read.problem:
                raise Unresolvable(f"{read.problem}:{read.relpath}")
        calls = {id(r.call): r.replacement for r in reads if r.replacement is not None}
        node = unit.node.visit(NameRewriter({}, {}, calls))
        fresh = analyse_unit(node, unit.index, unit.line_start)
        fresh = replace(
            fresh,
            kind=unit.kind,
            line_start=unit.line_start,
            line_end=unit.line_end,
            next_line=unit.next_line,
        )
        literal = m.SimpleString() | m.ConcatenatedString()
        injected = {"io"} if any(not m.matches(r.replacement, literal) for r in reads) else set()
        return fresh, injected, {r.relpath for r in reads}

    def _prepared(self, mod: ModuleInfo, idx: int) -> tuple:
        """Data-inlined unit and its resolution; the same for every scene, so cached per repo."""
        memo_key = ("unit", mod.key, idx, self.max_datafile_bytes)
        cached = self.index.memo.get(memo_key)
        if cached is None:
            try:
                unit, injected, files = self._inline_data(mod, mod.units[idx])
                cached = (unit, files, self.resolve_unit(mod, unit, injected))
            except Unresolvable as exc:
                cached = exc.reason
            self.index.memo[memo_key] = cached
        if isinstance(cached, str):
            raise Unresolvable(cached)
        return cached  # type: ignore[return-value]

    def add_unit(self, mod: ModuleInfo, idx: int) -> None:
        key = (mod.key, idx)
        if key in self.plan.units:
            return
        unit, files, (bindings, rewrites, eager_chains) = self._prepared(mod, idx)
        self.plan.datafiles.update(files)
        self.plan.units[key] = unit
        if mod.key not in self.plan.module_order:
            self.plan.module_order.append(mod.key)
        self.plan.bindings[key] = bindings
        self.plan.attr_rewrites[key] = rewrites
        eager: set[UnitKey] = set()
        for binding in [*bindings.values(), *(b for _, b in rewrites)]:
            if isinstance(binding, LocalDef) and binding.module != mod.key:
                self.plan.module_edges.setdefault(mod.key, set()).add(binding.module)
        for name, binding in bindings.items():
            if isinstance(binding, LocalDef):
                deps = self.add_def(binding)
                if name in unit.eager:
                    eager.update(d for d in deps if d != key)
        for attr, binding in rewrites:
            if isinstance(binding, LocalDef):
                deps = self.add_def(binding)
                root, parts = attr_chain(attr)
                if f"{root.value}.{'.'.join(parts)}" in eager_chains:  # type: ignore[union-attr]
                    eager.update(d for d in deps if d != key)
        self.plan.eager[key] = eager

    def add_side_effects(self, mod: ModuleInfo) -> None:
        for unit in mod.units:
            if unit.kind != "side":
                continue
            try:
                _, _, (bindings, rewrites, _) = self._prepared(mod, unit.index)
            except Unresolvable:
                continue
            mentioned = [
                b for b in [*bindings.values(), *(b for _, b in rewrites)] if isinstance(b, LocalDef)
            ]
            if any(self.is_scene(b.module, b.name) and not self._included(b) for b in mentioned):
                continue
            self.add_unit(mod, unit.index)

    def _included(self, binding: LocalDef) -> bool:
        mod = self.index.module(binding.module)
        return mod is not None and any(
            (mod.key, i) in self.plan.units for i in mod.defs.get(binding.name, [])
        )
