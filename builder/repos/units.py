"""A parsed module split into top-level units: what each statement binds and which module-level names
it reads, eagerly (when it runs) or lazily (inside function bodies).

Each top-level statement becomes a `Unit`: outlined from `ast` when outline.py can (a `LazyUnit`, whose
libcst node is parsed when first asked for), else from libcst's tree with scopes.py's walk (or
ScopeProvider itself); `parse_module` adds the module's imports, star imports, `__all__` and `sys.path`
extensions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import libcst as cst
import libcst.matchers as m
from libcst.metadata import FunctionScope, GlobalScope, MetadataWrapper, ScopeProvider

from builder.guard import check_depth, parse_cst
from builder.repos.outline import Outline, UnitOutline, outline
from builder.repos.paths import SYS_PATH, dotted, syspath_dirs
from builder.repos.scopes import Unsupported, module_facts


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
    """A parsed module (a .py file or a code block from a document) split into units.

    A module outlined from `ast` (see outline.py) parses its libcst `tree` and its `constants` (simple
    `NAME = value` assignments, as libcst expressions) only when something asks for them."""

    key: str  # relpath of the file, plus "#..." for code blocks inside documents
    relpath: str  # the file on disk it comes from
    is_package: bool
    units: list[Unit]
    defs: dict[str, list[int]]
    imports: dict[str, ImportBinding]
    stars: list[StarImport]
    all_names: frozenset[str] | None
    syspath_dirs: tuple[str, ...]
    source: str = ""
    line_offset: int = 0  # added to unit lines to get lines of the file on disk
    header_lines: int = 0  # lines prepended to the original block (e.g. a default `from manim import *`)
    parsed_tree: cst.Module | None = field(default=None, repr=False)
    parsed_constants: dict[str, cst.BaseExpression] | None = field(default=None, repr=False)
    default_indent: str = "    "  # libcst's defaults for printing this module's nodes
    default_newline: str = "\n"

    @property
    def tree(self) -> cst.Module:
        if self.parsed_tree is None:
            self.parsed_tree = parse_cst(self.source)
        return self.parsed_tree

    @property
    def constants(self) -> dict[str, cst.BaseExpression]:
        if self.parsed_constants is None:
            self.parsed_constants = _constants(self.units)
        return self.parsed_constants

    @property
    def dir(self) -> str:
        parent = str(PurePosixPath(self.relpath).parent)
        return "" if parent == "." else parent

    def code(self, unit: Unit) -> str:
        return unit.text


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
    if uses_sys and m.findall(node, SYS_PATH):
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


def _module_facts(tree: cst.Module, source: str | None = None) -> list[_Facts]:
    """What each top-level statement binds and reads: scopes.py's direct walk, or ScopeProvider for
    the rare shapes that walk leaves to it (the answers are the same)."""
    try:
        return module_facts(tree, source)  # type: ignore[return-value]
    except Unsupported:
        return _module_facts_libcst(tree)


def _module_facts_libcst(tree: cst.Module) -> list[_Facts]:
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
                full = dotted(alias.name)
                if alias.asname is not None:
                    names.append(ImportBinding(dotted(alias.asname.name), full, None, 0, True, unit.index))
                else:
                    names.append(ImportBinding(full.split(".")[0], full, None, 0, False, unit.index))
        elif isinstance(small, cst.ImportFrom):
            module = dotted(small.module) if small.module is not None else ""
            level = len(small.relative)
            if isinstance(small.names, cst.ImportStar):
                stars.append(StarImport(module, level, unit.index))
                continue
            for alias in small.names:
                attr = dotted(alias.name)
                bound = dotted(alias.asname.name) if alias.asname is not None else attr
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


def parse_module(
    key: str, relpath: str, source: str, *, line_offset: int = 0, header_lines: int = 0
) -> ModuleInfo:
    """Parse and analyse one module; raises libcst.ParserSyntaxError on invalid code, TooDeep on
    pathological nesting. Outlined from `ast` when outline.py can (libcst nodes parsed on demand),
    otherwise parsed with libcst."""
    ast_tree = check_depth(source)
    if ast_tree is not None and ".. manim::" not in source:  # documented modules: libcst reads docstrings
        try:
            found = outline(source, ast_tree)
        except Unsupported:
            found = None
        del ast_tree  # an ast tree weighs as much as a libcst one: keep neither
        if found is not None:
            return _outlined_module(key, relpath, source, found, line_offset, header_lines)
    return _parsed_module(key, relpath, source, line_offset, header_lines)


def _parsed_module(key: str, relpath: str, source: str, line_offset: int, header_lines: int) -> ModuleInfo:
    tree = parse_cst(source)
    units: list[Unit] = []
    line = len(tree.header) + 1
    for index, (stmt, fact) in enumerate(zip(tree.body, _module_facts(tree, source), strict=True)):
        unit = _make_unit(stmt, index, line, fact)
        units.append(unit)
        line = unit.next_line
    defs, imports, stars = _index_units(units, _import_bindings)
    file_dir = str(PurePosixPath(relpath).parent)
    return ModuleInfo(
        source=source,
        parsed_constants=_constants(units),
        key=key,
        relpath=relpath,
        is_package=PurePosixPath(relpath).name == "__init__.py",
        parsed_tree=tree,
        units=units,
        defs=defs,
        imports=imports,
        stars=stars,
        all_names=_all_names(units),
        syspath_dirs=syspath_dirs(units, "" if file_dir == "." else file_dir),
        line_offset=line_offset,
        header_lines=header_lines,
        default_indent=tree.default_indent,
        default_newline=tree.default_newline,
    )


def _constants(units: list[Unit]) -> dict[str, cst.BaseExpression]:
    """Simple `NAME = value` assignments alone on their line (for the path evaluation of datafiles.py)."""
    constants: dict[str, cst.BaseExpression] = {}
    for unit in units:
        if unit.kind != "assign":
            continue
        if isinstance(unit, LazyUnit) and unit.single_assign_name is None:
            continue  # not `NAME = value` alone: no need to parse it to know
        if len(unit.node.body) == 1:  # type: ignore[attr-defined]
            small = unit.node.body[0]  # type: ignore[attr-defined]
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
            ):
                constants[small.targets[0].target.value] = small.value
    return constants


def _index_units(units: list[Unit], imports_of) -> tuple[dict, dict, list]:  # noqa: ANN001
    """`defs`, `imports` and `stars` of a module from its units (the rules of `parse_module`)."""
    defs: dict[str, list[int]] = {}
    imports: dict[str, ImportBinding] = {}
    stars: list[StarImport] = []
    for unit in units:
        if unit.kind == "import":
            names, unit_stars = imports_of(unit)
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
    return defs, imports, stars


class _Names(Mapping):
    """The names a LazyUnit reads or binds, known from its outline; the Name nodes that go with them
    are found in its libcst node when a rename asks for them."""

    def __init__(self, names: frozenset[str], unit: LazyUnit, which: str) -> None:
        self.names, self.unit, self.which = names, unit, which

    def __getitem__(self, name: str) -> list[cst.Name]:
        if name not in self.names:
            raise KeyError(name)
        return getattr(self.unit.cst_facts(), self.which)[name]

    def __iter__(self):  # noqa: ANN204
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __contains__(self, name: object) -> bool:
        return name in self.names


class LazyUnit(Unit):
    """A unit outlined from `ast`: its libcst node is parsed from its own text on first use (falling back
    to the whole module's parse if the text alone parses differently), and the Name nodes of its refs
    and definitions are found in that node when a rename needs them."""

    def __init__(self, found: UnitOutline, module: _LazyModule) -> None:
        self._node: cst.BaseStatement | None = None
        self._facts: object = None
        self._module = module
        self.ref_names = found.ref_names
        self.def_names = found.def_names
        self.single_assign_name = found.single_assign_name
        self.class_outline = found.class_outline
        self.outlined_imports = found.imports
        self.outlined_stars = found.stars
        super().__init__(
            index=found.index,
            node=None,  # type: ignore[arg-type]
            kind=found.kind,
            defines=found.defines,
            refs=None,  # type: ignore[arg-type]
            eager=found.eager,
            def_nodes=None,  # type: ignore[arg-type]
            line_start=found.line_start,
            line_end=found.line_end,
            next_line=found.next_line,
            text=found.text,
        )

    @property  # type: ignore[override]
    def node(self) -> cst.BaseStatement:
        if self._node is None:
            self._node = self._module.node(self)
        return self._node

    @node.setter
    def node(self, value: cst.BaseStatement) -> None:
        self._node = value

    @property  # type: ignore[override]
    def refs(self) -> Mapping[str, list[cst.Name]]:
        return _Names(self.ref_names, self, "refs")

    @refs.setter
    def refs(self, value: object) -> None:
        pass

    @property  # type: ignore[override]
    def def_nodes(self) -> Mapping[str, list[cst.Name]]:
        return _Names(self.def_names, self, "def_nodes")

    @def_nodes.setter
    def def_nodes(self, value: object) -> None:
        pass

    def cst_facts(self) -> _Facts:
        """The unit's facts with their Name nodes (the facts of one statement do not depend on the rest
        of the module; scopes.py's walk of the node)."""
        if self._facts is None:
            tree = cst.Module(body=[self.node])
            try:
                facts = module_facts(tree, self._module.source)[0]
            except Unsupported:
                facts = _module_facts_libcst(tree)[0]
            if set(facts.refs) != self.ref_names or set(facts.def_nodes) != self.def_names:
                raise ValueError(f"outline and libcst disagree on the names of unit {self.index}")
            self._facts = facts
        return self._facts  # type: ignore[return-value]


class _LazyModule:
    """Where the LazyUnits of one outlined module get their libcst nodes."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.info: ModuleInfo | None = None

    def node(self, unit: LazyUnit) -> cst.BaseStatement:
        try:
            alone = parse_cst(unit.text)
        except (cst.ParserSyntaxError, ValueError, RecursionError):
            alone = None
        if (
            alone is not None
            and len(alone.body) == 1
            and not alone.footer
            and alone.default_indent == "    "
            and alone.default_newline == "\n"
        ):
            node = alone.body[0]
            if unit.index and alone.header:  # libcst moved the leading lines into the module header
                node = node.with_changes(leading_lines=(*alone.header, *node.leading_lines))
            return node
        assert self.info is not None
        return self.info.tree.body[unit.index]


def _outlined_module(
    key: str, relpath: str, source: str, found: Outline, line_offset: int, header_lines: int
) -> ModuleInfo:
    lazy = _LazyModule(source)
    units: list[Unit] = [LazyUnit(u, lazy) for u in found.units]

    def imports_of(unit: Unit) -> tuple[list[ImportBinding], list[StarImport]]:
        assert isinstance(unit, LazyUnit)
        names = [ImportBinding(*binding, unit.index) for binding in unit.outlined_imports]
        return names, [StarImport(module, level, unit.index) for module, level in unit.outlined_stars]

    defs, imports, stars = _index_units(units, imports_of)
    file_dir = str(PurePosixPath(relpath).parent)
    info = ModuleInfo(
        source=source,
        key=key,
        relpath=relpath,
        is_package=PurePosixPath(relpath).name == "__init__.py",
        units=units,
        defs=defs,
        imports=imports,
        stars=stars,
        all_names=_all_names(units),
        syspath_dirs=syspath_dirs(units, "" if file_dir == "." else file_dir),
        line_offset=line_offset,
        header_lines=header_lines,
    )
    lazy.info = info
    return info
