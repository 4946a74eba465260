"""Scene discovery: which classes of a repo are renderable scenes, in .py files and in documents.

A class is a scene when a base chain, followed through local classes in any file of the repo, reaches a
known Manim scene class (Community Edition, ManimGL or a plugin), and the class has or inherits
`construct`. Rule for bases that exist only to be subclassed (documented in the module README of the
issue): a scene is *not* yielded on its own when its `construct` is trivial (only `pass`, `...`, a
docstring or `raise NotImplementedError`), when any method it would run is a `raise NotImplementedError`
stub, or when it is subclassed by another scene of the repo and its name marks it as a base
(`Base...`, `...Base`, `Abstract...`, `...Template`). Such classes are still inlined into the programs
of their subclasses.

The code blocks of documents (documents.py) are modules like any other: their classes are found the same
way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from builder.repos.bindings import External, LocalDef, LocalModule, Unresolved
from builder.repos.class_outline import BaseRef, ClassOutline, MethodOutline, class_view
from builder.repos.modules import RepoIndex
from builder.repos.units import ModuleInfo, Unit
from builder.scenes import SCENE_BASES

_BASE_NAME = re.compile(r"^(Base|Abstract)[A-Z0-9_]|(Base|Template)$")


@dataclass(frozen=True)
class SceneRef:
    """A discovered scene class: the module key it lives in and its class name."""

    module: str
    name: str


class SceneFinder:
    """Answers "is this class a scene" for classes anywhere in the repo (memoised)."""

    def __init__(self, index: RepoIndex) -> None:
        self.index = index
        self._chains: dict[tuple[str, str], list[tuple[str, ClassOutline]] | None] = {}

    def class_node(self, key: str, name: str) -> ClassOutline | None:
        """The class `name` of module `key` as discovery reads it (see `class_view`)."""
        mod = self.index.module(key)
        if mod is None:
            return None
        for idx in reversed(mod.defs.get(name, [])):
            unit = mod.units[idx]
            if unit.kind == "class" and class_view(unit).name == name:
                return class_view(unit)
        return None

    def chain(self, key: str, name: str) -> list[tuple[str, ClassOutline]] | None:
        """Local classes from `name` up its bases (depth-first, MRO-like) if it reaches a scene base."""
        memo = (key, name)
        if memo in self._chains:
            return self._chains[memo]
        self._chains[memo] = None  # cycle guard
        node = self.class_node(key, name)
        result: list[tuple[str, ClassOutline]] | None = None
        if node is not None:
            local: list[tuple[str, ClassOutline]] = [(key, node)]
            is_scene = False
            for base in node.bases:
                binding = self._base_binding(key, base)
                if isinstance(binding, External):
                    is_scene |= (binding.attr or binding.name).split(".")[-1] in SCENE_BASES
                elif isinstance(binding, Unresolved):  # a scene base the installed manim removed
                    is_scene |= binding.name in SCENE_BASES  # (`GraphScene`): the fixes upgrade it
                elif isinstance(binding, LocalDef):
                    sub = self.chain(binding.module, binding.name)
                    if sub is not None:
                        is_scene = True
                        local.extend(x for x in sub if x not in local)
            result = local if is_scene else None
        self._chains[memo] = result
        return result

    def _base_binding(self, key: str, base: BaseRef) -> object:
        if base.kind == "name":
            return self.index.lookup(key, base.root)
        if base.kind == "attr":
            head = self.index.lookup(key, base.root)
            if isinstance(head, External):
                return External(head.module, base.last, base.last)
            if isinstance(head, LocalModule):
                parts = list(base.parts)[1:]
                target = head.module
                for part in parts[:-1]:
                    nxt = self.index.lookup(target, part)
                    if not isinstance(nxt, LocalModule):
                        return None
                    target = nxt.module
                return self.index.lookup(target, parts[-1])
        return None

    def is_scene(self, key: str, name: str) -> bool:
        chain = self.chain(key, name)
        return chain is not None and any("construct" in node.methods for _, node in chain)

    def is_base_only(self, key: str, name: str, subclassed: bool) -> bool:
        chain = self.chain(key, name) or []
        resolved: dict[str, MethodOutline] = {}
        for _, node in reversed(chain):
            resolved.update(node.methods)
        construct = resolved.get("construct")
        if construct is None or construct.trivial:
            return True
        if any(f.stub for f in resolved.values()):
            return True
        return subclassed and bool(_BASE_NAME.search(name))


def class_units(mod: ModuleInfo) -> Iterable[Unit]:
    return (u for u in mod.units if u.kind == "class")


def find_scenes(index: RepoIndex, keys: Iterable[str]) -> tuple[list[SceneRef], list[SceneRef]]:
    """(scenes to yield, base-only scenes) among the classes of the given modules, in file/line order."""
    finder = SceneFinder(index)
    candidates: list[SceneRef] = []
    for key in keys:
        mod = index.module(key)
        if mod is None:
            continue
        for unit in class_units(mod):
            name = class_view(unit).name
            if mod.defs.get(name, [None])[-1] == unit.index and finder.is_scene(key, name):
                candidates.append(SceneRef(key, name))
    parents: set[tuple[str, str]] = set()
    for ref in candidates:
        for pkey, node in (finder.chain(ref.module, ref.name) or [])[1:]:
            parents.add((pkey, node.name))
    keep, base_only = [], []
    for ref in candidates:
        subclassed = (ref.module, ref.name) in parents
        (base_only if finder.is_base_only(ref.module, ref.name, subclassed) else keep).append(ref)
    return keep, base_only
