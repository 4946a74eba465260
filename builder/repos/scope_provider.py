"""Module-level name facts of each top-level statement of a libcst tree: scopes.py's direct walk, or
libcst's ScopeProvider itself for the rare shapes that walk leaves to it (the answers are the same).

Why: ScopeProvider, with the ExpressionContextProvider it needs, cost about 80% of repo extraction (see
scopes.py), so it runs only on a module whose shape the walk raises `Unsupported` on. Its answer is then
attributed statement by statement: every access and global assignment to the top-level statement it
belongs to (via the statement of its outermost scope, or a walk of the statement's module-scope parts).
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import FunctionScope, GlobalScope, MetadataWrapper, ScopeProvider

from builder.repos.scopes import Facts, Unsupported, module_facts

__all__ = ["statement_facts"]


def statement_facts(tree: cst.Module, source: str | None = None) -> list[Facts]:
    """What each top-level statement of `tree` (whose text is `source`, when the caller has it) binds and
    reads at module level."""
    try:
        return module_facts(tree, source)
    except Unsupported:
        return _provider_facts(tree)


def _evaluated_parts(stmt: cst.BaseStatement) -> list[cst.CSTNode]:
    """The parts of a top-level statement that run in the module scope (bodies of defs are scopes)."""
    if isinstance(stmt, cst.FunctionDef):
        return [*stmt.decorators, stmt.params, *([stmt.returns] if stmt.returns else [])]
    if isinstance(stmt, cst.ClassDef):
        return [*stmt.decorators, *stmt.bases, *stmt.keywords]
    return [stmt]


def _provider_facts(tree: cst.Module) -> list[Facts]:
    """One ScopeProvider pass over the module; every access and global assignment is attributed to the
    top-level statement it belongs to (via the statement of its outermost scope, or a walk of the
    statement's module-scope parts)."""
    scopes = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(ScopeProvider)
    facts = [Facts() for _ in tree.body]
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


def _is_builtin_assignment(ref: object) -> bool:
    return type(ref).__name__ == "BuiltinAssignment"


def _is_lazy(scope: object) -> bool:
    while scope is not None and not isinstance(scope, GlobalScope):
        if isinstance(scope, FunctionScope):
            return True
        scope = getattr(scope, "parent", None)
    return False
