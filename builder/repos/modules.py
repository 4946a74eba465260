"""The module graph of a repository: parsed modules split into top-level units, and name resolution.

Each top-level statement becomes a `Unit` analysed on its own with libcst's ScopeProvider: the names it
binds at module level, and the module-level names it reads (eagerly, at definition time, or lazily,
inside function bodies). `RepoIndex.lookup` follows a name through local definitions, absolute, relative,
package-style, star, re-exporting and `sys.path`-extended imports to the binding that provides it.
"""

from __future__ import annotations

import builtins
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

import libcst as cst
import libcst.matchers as m
from libcst.metadata import FunctionScope, GlobalScope, MetadataWrapper, ScopeProvider

from builder.guard import TooDeep, parse_cst
from builder.repos.repo_files import RepoFiles, RepoReadError

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
    }
)


@dataclass(frozen=True)
class ImportBinding:
    """One name bound by an import statement (`import a.b as c`, `from .x import y as z`)."""

    name: str
    module: str  # dotted module as written (without leading dots)
    attr: str | None  # None for `import module`
    level: int
    asname: bool  # written with `as`
    unit: int


@dataclass(frozen=True)
class StarImport:
    module: str
    level: int
    unit: int


@dataclass
class Unit:
    """One top-level statement with what it binds and reads at module level."""

    index: int
    node: cst.BaseStatement
    kind: str  # def | class | assign | import | side | compound | main | syspath | docstring
    defines: tuple[str, ...]
    refs: dict[str, list[cst.Name]]  # module-level names read, with their Name nodes
    eager: frozenset[str]  # the subset of refs evaluated when the statement runs
    def_nodes: dict[str, list[cst.Name]]  # Name nodes that bind each defined name
    line_start: int  # the statement itself (first decorator), without the comments and blank lines above
    line_end: int
    next_line: int  # where the next top-level statement's text (with its leading lines) starts
    text: str  # original source of the statement, with its leading comments


@dataclass
class ModuleInfo:
    """A parsed module (a .py file or a code block from a document) split into units."""

    key: str  # relpath of the file, plus "#..." for code blocks inside documents
    relpath: str  # the file on disk it comes from
    is_package: bool
    tree: cst.Module
    units: list[Unit]
    defs: dict[str, list[int]]
    imports: dict[str, ImportBinding]
    stars: list[StarImport]
    all_names: frozenset[str] | None
    syspath_dirs: tuple[str, ...]
    source: str = ""
    constants: dict[str, cst.BaseExpression] = field(default_factory=dict)
    line_offset: int = 0  # added to unit lines to get lines of the file on disk
    header_lines: int = 0  # lines prepended to the original block (e.g. a default `from manim import *`)

    @property
    def dir(self) -> str:
        parent = str(PurePosixPath(self.relpath).parent)
        return "" if parent == "." else parent

    def code(self, unit: Unit) -> str:
        return unit.text


@dataclass(frozen=True)
class LocalDef:
    module: str
    name: str


@dataclass(frozen=True)
class LocalModule:
    module: str  # key of the module, or a namespace directory ending in "/"


@dataclass(frozen=True)
class External:
    """A name bound by an import of a non-repo module; `star` for names that come from `from X import *`."""

    module: str
    attr: str | None
    name: str
    star: bool = False


@dataclass(frozen=True)
class Builtin:
    name: str


@dataclass(frozen=True)
class Missing:
    """The name comes from a module that the repo imports but does not contain."""

    module: str


@dataclass(frozen=True)
class Unreadable:
    """The name comes from a repo file that must not or cannot be read (`reason` says why)."""

    reason: str


@dataclass(frozen=True)
class Unresolved:
    name: str


Binding = LocalDef | LocalModule | External | Builtin | Missing | Unreadable | Unresolved


def _dotted(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


_SYS_PATH = m.Attribute(value=m.Name("sys"), attr=m.Name("path"))


def _unit_kind(node: cst.BaseStatement, index: int, uses_sys: bool) -> str:
    if isinstance(node, cst.FunctionDef):
        return "def"
    if isinstance(node, cst.ClassDef):
        return "class"
    if isinstance(node, cst.If) and m.matches(
        node.test,
        m.Comparison(left=m.Name("__name__"))
        | m.Comparison(comparisons=[m.ComparisonTarget(comparator=m.Name("__name__"))]),
    ):
        return "main"
    if uses_sys and m.findall(node, _SYS_PATH):
        return "syspath"
    if isinstance(node, cst.SimpleStatementLine):
        small = node.body
        if all(isinstance(s, cst.Import | cst.ImportFrom) for s in small):
            return "import"
        if (
            index == 0
            and len(small) == 1
            and m.matches(small[0], m.Expr(value=m.SimpleString() | m.ConcatenatedString()))
        ):
            return "docstring"
        if any(isinstance(s, cst.Import | cst.ImportFrom) for s in small):
            return "compound"
        if all(isinstance(s, cst.Assign | cst.AnnAssign | cst.AugAssign) for s in small):
            return "assign"
        return "side"
    return "compound"


@dataclass
class _Facts:
    refs: dict[str, list[cst.Name]] = field(default_factory=dict)
    eager: set[str] = field(default_factory=set)
    defines: list[str] = field(default_factory=list)
    def_nodes: dict[str, list[cst.Name]] = field(default_factory=dict)


def _evaluated_parts(stmt: cst.BaseStatement) -> list[cst.CSTNode]:
    """The parts of a top-level statement that run in the module scope (bodies of defs are scopes)."""
    if isinstance(stmt, cst.FunctionDef):
        return [*stmt.decorators, stmt.params, *([stmt.returns] if stmt.returns else [])]
    if isinstance(stmt, cst.ClassDef):
        return [*stmt.decorators, *stmt.bases, *stmt.keywords]
    return [stmt]


def _module_facts(tree: cst.Module) -> list[_Facts]:
    """One ScopeProvider pass over the module; every access and global assignment is attributed to the
    top-level statement it belongs to (via the statement of its outermost scope, or a walk of the
    statement's module-scope parts)."""
    scopes = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(ScopeProvider)
    facts = [_Facts() for _ in tree.body]
    owner: dict[int, int] = {}
    for i, stmt in enumerate(tree.body):
        owner[id(stmt)] = i
        stack: list[cst.CSTNode] = _evaluated_parts(stmt)
        while stack:
            node = stack.pop()
            owner[id(node)] = i
            stack.extend(node.children)
    global_scope = next((s for s in scopes.values() if isinstance(s, GlobalScope)), None)
    if global_scope is None:
        return facts
    for assignment in global_scope.assignments:
        target = getattr(assignment, "node", None)
        i = owner.get(id(target))
        if i is None:
            continue
        fact = facts[i]
        if assignment.name not in fact.defines:
            fact.defines.append(assignment.name)
        if isinstance(target, cst.FunctionDef | cst.ClassDef):
            fact.def_nodes.setdefault(assignment.name, []).append(target.name)
        elif isinstance(target, cst.Name):
            fact.def_nodes.setdefault(assignment.name, []).append(target)
    for scope in {id(s): s for s in scopes.values() if s is not None}.values():
        outer = scope
        while outer is not global_scope and getattr(outer, "parent", None) is not global_scope:
            outer = outer.parent
        scope_owner = None if outer is global_scope else owner.get(id(getattr(outer, "node", None)))
        for access in scope.accesses:
            node = access.node
            while isinstance(node, cst.Attribute):  # `import a.b` makes `a.b.f()` an access of `a.b`
                node = node.value
            if not isinstance(node, cst.Name):
                continue
            if any(
                getattr(r, "scope", None) is not global_scope and not _is_builtin_assignment(r)
                for r in access.referents
            ):
                continue
            i = owner.get(id(node)) if scope is global_scope else scope_owner
            if i is None:
                continue
            name = node.value
            facts[i].refs.setdefault(name, []).append(node)
            if not _is_lazy(access.scope):
                facts[i].eager.add(name)
    return facts


def _make_unit(node: cst.BaseStatement, index: int, line_start: int, fact: _Facts) -> Unit:
    code = cst.Module(body=[node]).code
    leading = (
        node.decorators[0].leading_lines
        if isinstance(node, cst.FunctionDef | cst.ClassDef) and node.decorators
        else getattr(node, "leading_lines", ())
    )
    first = line_start + len(leading)
    last = line_start + len(code.rstrip().splitlines()) - 1
    kind = _unit_kind(node, index, "sys" in fact.refs)
    if kind in {"assign", "compound"} and not fact.defines:
        kind = "side"  # e.g. `config.background_color = ...`: runs for its effect only
    return Unit(
        index,
        node,
        kind,
        tuple(fact.defines),
        fact.refs,
        frozenset(fact.eager),
        fact.def_nodes,
        first,
        max(first, last),
        line_start + code.count("\n"),
        code,
    )


def analyse_unit(node: cst.BaseStatement, index: int, line_start: int) -> Unit:
    """Scope-analyse one top-level statement on its own (used for statements rewritten after parsing)."""
    return _make_unit(node, index, line_start, _module_facts(cst.Module(body=[node]))[0])


def _is_builtin_assignment(ref: object) -> bool:
    return type(ref).__name__ == "BuiltinAssignment"


def _is_lazy(scope: object) -> bool:
    while scope is not None and not isinstance(scope, GlobalScope):
        if isinstance(scope, FunctionScope):
            return True
        scope = getattr(scope, "parent", None)
    return False


def _import_bindings(unit: Unit) -> tuple[list[ImportBinding], list[StarImport]]:
    names: list[ImportBinding] = []
    stars: list[StarImport] = []
    for small in unit.node.body:  # type: ignore[attr-defined]
        if isinstance(small, cst.Import):
            for alias in small.names:
                full = _dotted(alias.name)
                if alias.asname is not None:
                    names.append(ImportBinding(_dotted(alias.asname.name), full, None, 0, True, unit.index))
                else:
                    names.append(ImportBinding(full.split(".")[0], full, None, 0, False, unit.index))
        elif isinstance(small, cst.ImportFrom):
            module = _dotted(small.module) if small.module is not None else ""
            level = len(small.relative)
            if isinstance(small.names, cst.ImportStar):
                stars.append(StarImport(module, level, unit.index))
                continue
            for alias in small.names:
                attr = _dotted(alias.name)
                bound = _dotted(alias.asname.name) if alias.asname is not None else attr
                names.append(ImportBinding(bound, module, attr, level, alias.asname is not None, unit.index))
    return names, stars


def _all_names(units: list[Unit]) -> frozenset[str] | None:
    for unit in units:
        if unit.kind == "assign" and "__all__" in unit.defines:
            for small in unit.node.body:  # type: ignore[attr-defined]
                if isinstance(small, cst.Assign) and isinstance(small.value, cst.List | cst.Tuple):
                    values = [
                        e.value.evaluated_value
                        for e in small.value.elements
                        if isinstance(e.value, cst.SimpleString)
                    ]
                    return frozenset(v for v in values if isinstance(v, str))
    return None


def _eval_path(
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
        return _eval_path(env[node.value], file_dir, env, depth + 1)
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return PurePosixPath(value) if isinstance(value, str) and not value.startswith("/") else None
    if isinstance(node, cst.Name) and node.value == "__file__":
        return file_dir / "__file__"
    if isinstance(node, cst.Attribute) and node.attr.value == "parent":
        inner = _eval_path(node.value, file_dir, env, depth + 1)
        return inner.parent if inner is not None else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        left, right = (
            _eval_path(node.left, file_dir, env, depth + 1),
            _eval_path(node.right, file_dir, env, depth + 1),
        )
        return left / right if left is not None and right is not None else None
    if isinstance(node, cst.Call):
        func = _dotted(node.func)
        args = [a.value for a in node.args]
        if func in {"os.path.dirname", "dirname"} and len(args) == 1:
            inner = _eval_path(args[0], file_dir, env, depth + 1)
            return inner.parent if inner is not None else None
        if (
            func in {"os.path.abspath", "os.path.realpath", "str", "Path", "pathlib.Path", "os.path.normpath"}
            and len(args) == 1
        ):
            return _eval_path(args[0], file_dir, env, depth + 1)
        if func in {"os.path.join", "join"} and args:
            parts = [_eval_path(a, file_dir, env, depth + 1) for a in args]
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
            return _eval_path(node.func.value, file_dir, env, depth + 1)
    return None


def _normalise(path: PurePosixPath) -> str | None:
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


def _syspath_dirs(units: list[Unit], file_dir: str) -> tuple[str, ...]:
    found: list[str] = []
    base = PurePosixPath(file_dir or ".")
    for unit in units:
        if unit.kind != "syspath":
            continue
        for call in m.findall(
            unit.node, m.Call(func=m.Attribute(value=_SYS_PATH, attr=m.Name("append") | m.Name("insert")))
        ):
            assert isinstance(call, cst.Call)
            if not call.args:
                continue
            path = _eval_path(call.args[-1].value, base)
            if path is None:
                continue
            anchored = bool(m.findall(call.args[-1].value, m.Name("__file__")))
            for candidate in (path,) if anchored else (base / path, path):
                norm = _normalise(candidate)
                if norm is not None and norm not in found:
                    found.append(norm)
    return tuple(found)


def parse_module(
    key: str, relpath: str, source: str, *, line_offset: int = 0, header_lines: int = 0
) -> ModuleInfo:
    """Parse and analyse one module; raises libcst.ParserSyntaxError on invalid code, TooDeep on
    pathological nesting."""
    tree = parse_cst(source)
    units: list[Unit] = []
    line = len(tree.header) + 1
    for index, (stmt, fact) in enumerate(zip(tree.body, _module_facts(tree), strict=True)):
        unit = _make_unit(stmt, index, line, fact)
        units.append(unit)
        line = unit.next_line
    defs: dict[str, list[int]] = {}
    imports: dict[str, ImportBinding] = {}
    stars: list[StarImport] = []
    for unit in units:
        if unit.kind == "import":
            names, unit_stars = _import_bindings(unit)
            for binding in names:
                imports[binding.name] = binding
                defs.pop(binding.name, None)
            stars.extend(unit_stars)
        elif unit.kind not in {"main", "docstring", "syspath"}:
            for name in unit.defines:
                defs.setdefault(name, []).append(unit.index)
                # a later definition shadows an earlier import of the same name
                if name in imports and imports[name].unit < unit.index:
                    del imports[name]
    file_dir = str(PurePosixPath(relpath).parent)
    constants: dict[str, cst.BaseExpression] = {}
    for unit in units:
        if unit.kind == "assign" and len(unit.node.body) == 1:  # type: ignore[attr-defined]
            small = unit.node.body[0]  # type: ignore[attr-defined]
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
            ):
                constants[small.targets[0].target.value] = small.value
    return ModuleInfo(
        source=source,
        constants=constants,
        key=key,
        relpath=relpath,
        is_package=PurePosixPath(relpath).name == "__init__.py",
        tree=tree,
        units=units,
        defs=defs,
        imports=imports,
        stars=stars,
        all_names=_all_names(units),
        syspath_dirs=_syspath_dirs(units, "" if file_dir == "." else file_dir),
        line_offset=line_offset,
        header_lines=header_lines,
    )


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
            known = top in sys.stdlib_module_names or top in KNOWN_EXTERNAL
            if not known:
                try:
                    known = importlib.util.find_spec(top) is not None
                except (ImportError, ValueError):
                    known = False
            self._externals[top] = known
        return self._externals[top]

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
