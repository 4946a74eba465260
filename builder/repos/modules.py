"""Name resolution in a repository: which binding provides a name used in a module.

`RepoIndex.lookup` follows a name through local definitions, absolute, relative, package-style, star,
re-exporting and `sys.path`-extended imports to the binding that provides it. The installed library
(`manim`, `manimlib`) is always external, even when the repo vendors a copy: the vendored copy
supplies scene bases, never rows or inlined code.
"""

from __future__ import annotations

import builtins
import importlib.util
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

import libcst as cst

from builder.guard import TooDeep
from builder.repos import heap
from builder.repos.bindings import (
    Binding,
    Builtin,
    External,
    LocalDef,
    LocalModule,
    Missing,
    Unreadable,
    Unresolved,
)
from builder.repos.parse import parse_module
from builder.repos.repo_files import RepoFiles, RepoReadError
from builder.repos.units import ImportBinding, ModuleInfo

BUILTIN_NAMES = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__builtins__", "__spec__"}
# Third-party modules that may be absent from the build environment but are never repo-local.
KNOWN_EXTERNAL = frozenset(
    {
        "manim",
        "manimlib",
        "manim_slides",
        "manim_voiceover",
        "manim_physics",
        "manim_ml",
        "chanim",
        "manim_chemistry",
        "manim_fonts",
        "manim_editor",
        "manimpango",
        "numpy",
        "scipy",
        "sympy",
        "matplotlib",
        "pandas",
        "torch",
        "tqdm",
        "PIL",
        "cv2",
        "sklearn",
        "networkx",
        "colour",
        "pydub",
        "moderngl",
        "IPython",
        "requests",
        "yaml",
        "tensorflow",
        "jax",
        "seaborn",
        "skimage",
        # seen unresolved in public scenes (REAL_WORLD.md): carried, so the runtime says missing-package
        "transformers",
        "tiktoken",
        "mpmath",
        "gensim",
        "shapely",
        "colorcet",
        "ripser",
        "pymunk",
        "mido",
        "openai",
    }
)
# The library itself: never repo-local, even when a repo vendors a copy (at any depth). A program always
# imports the installed library; the vendored copy is read for its docs examples only.
LIBRARY_PACKAGES = frozenset({"manim", "manimlib"})
# 3Blue1Brown's `manim_imports_ext` re-exports manimlib; a repo that imports it without shipping it is
# GL code written against that module, so it counts as the GL library (GL001 converts it), not a lost module.
GL_MODULES = frozenset({"manimlib", "big_ol_pile_of_manim_imports", "manim_imports_ext"})
_REQUIREMENT_FILES = (
    "requirements.txt",
    "requirements-dev.txt",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "environment.yml",
)
_REQ_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.-]*)", re.M)  # requirements.txt, environment.yml
_REQ_QUOTED = re.compile(r"""["']([A-Za-z][A-Za-z0-9_.-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;][^"']*)?["']""")


def _guessed(found: Binding) -> bool:
    """A name only assumed to come from a star import of a library whose exports are unknown here (ManimGL,
    or another package that is not installed): a weaker answer than any definite binding."""
    return isinstance(found, External) and found.star and found.module.split(".")[0] != "manim"


@dataclass
class RepoIndex:
    """All Python files of a repo (parsed lazily) plus code blocks found in documents."""

    root: Path
    files: frozenset[str]  # relpaths of every .py file
    manim_names: frozenset[str]
    name: str = ""  # the repo's own package name, for package-style imports (defaults to the dir name)
    virtual: dict[str, ModuleInfo] = field(default_factory=dict)
    _modules: dict[str, ModuleInfo | None] = field(default_factory=dict)
    _errors: dict[str, str] = field(default_factory=dict)
    _texts: dict[str, str | RepoReadError] = field(default_factory=dict)
    _refused: set[str] = field(default_factory=set)  # files RepoFiles would not read
    _lookups: dict[tuple[str, str], Binding] = field(default_factory=dict)
    _externals: dict[str, bool] = field(default_factory=dict)
    memo: dict[tuple, object] = field(default_factory=dict)  # per-repo caches of the later stages
    fs: RepoFiles | None = None  # how files are read (defaults to RepoFiles(root))
    on_parse: Callable[[str], None] | None = None  # told before each file is parsed (crash isolation)
    crashed: frozenset[str] = frozenset()  # files that killed an earlier extraction: never parsed again

    def __post_init__(self) -> None:
        if self.fs is None:
            self.fs = RepoFiles(self.root)

    @cached_property
    def dirs(self) -> frozenset[str]:
        out: set[str] = set()
        for rel in self.files:
            parent = PurePosixPath(rel).parent
            while str(parent) != ".":
                out.add(str(parent))
                parent = parent.parent
        return frozenset(out)

    @cached_property
    def library_dirs(self) -> frozenset[str]:
        """Folders of vendored copies of the library (`manim/`, `vendor/manimlib/` with an `__init__.py`)."""
        return frozenset(
            d
            for d in self.dirs
            if PurePosixPath(d).name in LIBRARY_PACKAGES and f"{d}/__init__.py" in self.files
        )

    def in_library(self, rel: str) -> bool:
        """Whether a file belongs to a vendored copy of the library (its classes are bases, not rows)."""
        return any(rel.startswith(f"{d}/") for d in self.library_dirs)

    @cached_property
    def declared_packages(self) -> frozenset[str]:
        """Import names of the dependencies the repo declares (requirements, pyproject, setup): an import
        of one that is not installed is external (the runtime reports `missing-package`), not a lost
        local module."""
        assert self.fs is not None
        found: set[str] = set()
        for name in _REQUIREMENT_FILES:
            try:
                text = self.fs.read_text(name)
            except RepoReadError:
                continue
            pattern = _REQ_LINE if name.endswith((".txt", ".yml")) else _REQ_QUOTED
            found.update(m.group(1).lower().replace("-", "_") for m in pattern.finditer(text))
        return frozenset(found)

    def module(self, key: str) -> ModuleInfo | None:
        """The parsed module for a file relpath or virtual key; None when it does not parse."""
        if key in self.virtual:
            return self.virtual[key]
        if key not in self._modules:
            self._modules[key] = None
            if key in self.crashed:
                self._errors[key] = f"crash:source:{key}"
                self._refused.add(key)
                return None
            try:
                source = self.text(key)
            except RepoReadError as exc:
                self._errors[key] = exc.reason
                self._refused.add(key)
                return None
            if self.on_parse is not None:
                self.on_parse(key)
            try:
                self._modules[key] = parse_module(key, key, source)
            except TooDeep:
                self._errors[key] = "too-deep"
            except (cst.ParserSyntaxError, RecursionError, MemoryError, ValueError) as exc:
                self._errors[key] = type(exc).__name__
            heap.settle()  # the module lives as long as the index: out of the cyclic GC's way
        return self._modules[key]

    def text(self, rel: str) -> str:
        """The text of a repo file, read once (raises RepoReadError for files that must not be read)."""
        if rel not in self._texts:
            assert self.fs is not None
            try:
                self._texts[rel] = self.fs.read_text(rel)
            except RepoReadError as exc:
                self._texts[rel] = exc
        found = self._texts[rel]
        if isinstance(found, RepoReadError):
            raise found
        return found

    def parse_error(self, key: str) -> str | None:
        """Why `module(key)` is None: the parse error's name, or a read reason such as `outside-repo:<path>`."""
        return self._errors.get(key)

    # -- module resolution -------------------------------------------------------------------------
    def _find_under(self, root: str, dotted: str) -> str | None:
        rel = "/".join(p for p in [root, *dotted.split(".")] if p)
        if f"{rel}.py" in self.files:
            return f"{rel}.py"
        if f"{rel}/__init__.py" in self.files:
            return f"{rel}/__init__.py"
        if rel in self.dirs:
            return f"{rel}/"  # namespace package
        assert self.fs is not None
        for candidate in (f"{rel}.py", f"{rel}/__init__.py"):  # behind a symlinked folder, which is not
            if self.fs.exists(candidate):  # listed: reading it says whether it stays inside the repo
                return candidate
        return None

    def resolve_module(self, mod: ModuleInfo, dotted: str, level: int) -> str | None:
        """The key of the local module `dotted` imported from `mod`, or None when it is not in the repo."""
        if level:
            base = PurePosixPath(mod.relpath).parent
            for _ in range(level - 1):
                base = base.parent
            root = "" if str(base) == "." else str(base)
            if dotted:
                return self._find_under(root, dotted)
            init = f"{root}/__init__.py" if root else "__init__.py"
            return init if init in self.files else f"{root}/"
        if dotted.split(".")[0] in LIBRARY_PACKAGES:
            return None
        roots = [mod.dir, *mod.syspath_dirs, "", "src"]
        for root in dict.fromkeys(roots):
            found = self._find_under(root, dotted)
            if found is not None:
                return found
        head, _, rest = dotted.partition(".")
        if head == (self.name or self.root.name) and rest:  # package-style import of the repo itself
            return self._find_under("", rest)
        return None

    def is_external(self, dotted: str) -> bool:
        top = dotted.split(".")[0]
        if top not in self._externals:
            known = (
                top in sys.stdlib_module_names
                or top in KNOWN_EXTERNAL
                or top in GL_MODULES
                or top in self.declared_packages
            )
            if not known:
                try:
                    known = importlib.util.find_spec(top) is not None
                except (ImportError, ValueError):
                    known = False
            self._externals[top] = known
        return self._externals[top]

    def is_gl(self, key: str) -> bool:
        """Whether a module is ManimGL code: it imports manimlib, or star-imports a local module that is."""
        memo = ("gl", key)
        if memo not in self.memo:
            self.memo[memo] = False  # cycle guard
            mod = self.module(key) if not key.endswith("/") else None
            found = False
            if mod is not None:
                modules = [b.module for b in mod.imports.values() if not b.level] + [
                    s.module for s in mod.stars if not s.level
                ]
                found = any(name.split(".")[0] in GL_MODULES for name in modules)
                for star in mod.stars:
                    if found:
                        break
                    target = self.resolve_module(mod, star.module, star.level)
                    found = target is not None and self.is_gl(target)
            self.memo[memo] = found
        return self.memo[memo]  # type: ignore[return-value]

    # -- name resolution ---------------------------------------------------------------------------
    def lookup(self, key: str, name: str) -> Binding:
        """Which binding provides `name` inside module `key` (cached, cycle-safe)."""
        memo = (key, name)
        if memo in self._lookups:
            return self._lookups[memo]
        self._lookups[memo] = Unresolved(name)  # cycle guard: a circular star import finds nothing new
        result = self._lookup(key, name)
        self._lookups[memo] = result
        return result

    def _lookup(self, key: str, name: str) -> Binding:
        if key.endswith("/"):
            sub = self._find_under(key.rstrip("/"), name)
            return LocalModule(sub) if sub is not None else Unresolved(name)
        mod = self.module(key)
        if mod is None:
            return Unreadable(self._errors[key]) if key in self._refused else Missing(key)
        if name in mod.defs:
            return LocalDef(key, name)
        if name in mod.imports:
            return self._from_import(mod, mod.imports[name])
        if mod.is_package:
            sub = self._find_under(mod.dir, name)
            if sub is not None:
                return LocalModule(sub)
        fallback: Binding | None = None
        for star in reversed(mod.stars):
            target = self.resolve_module(mod, star.module, star.level)
            if target is not None:
                inner = self.module(target) if not target.endswith("/") else None
                if name.startswith("_") or (
                    inner is not None and inner.all_names is not None and name not in inner.all_names
                ):
                    continue
                found = self.lookup(target, name)
                if _guessed(found):  # a GL star import may bind it; a later-searched local one surely does
                    if fallback is None or isinstance(fallback, Missing):
                        fallback = found
                    continue
                if not isinstance(found, Unresolved | Missing | Builtin):
                    return found
                if isinstance(found, Missing) and fallback is None:
                    fallback = found
            elif star.level == 0 and self.is_external(star.module):
                if star.module.split(".")[0] == "manim":
                    if name in self.manim_names:
                        return External(star.module, None, name, star=True)
                elif fallback is None or isinstance(fallback, Missing):
                    fallback = External(star.module, None, name, star=True)
            elif fallback is None:
                fallback = Missing("." * star.level + star.module)
        if name in BUILTIN_NAMES:
            return Builtin(name)
        return fallback if fallback is not None else Unresolved(name)

    def _from_import(self, mod: ModuleInfo, binding: ImportBinding) -> Binding:
        if binding.attr is None:  # import a.b.c [as x]
            local_name = binding.module if binding.asname else binding.module.split(".")[0]
            target = self.resolve_module(mod, local_name, 0)
            if target is not None:
                return LocalModule(target)
            if self.is_external(binding.module):
                return External(binding.module, None, binding.name)
            return Missing(binding.module)
        target = self.resolve_module(mod, binding.module, binding.level)
        if target is None:
            if binding.level == 0 and self.is_external(binding.module):
                return External(binding.module, binding.attr, binding.name)
            return Missing("." * binding.level + binding.module)
        sub = (
            self._find_under(target.removesuffix("__init__.py").rstrip("/"), binding.attr)
            if target.endswith(("__init__.py", "/"))
            else None
        )
        if sub is not None and (
            target.endswith("/") or binding.attr not in (self.module(target) or mod).defs
        ):
            return LocalModule(sub)
        found = self.lookup(target, binding.attr)
        return found if not isinstance(found, Unresolved) else Unresolved(binding.attr)
