"""The stronger exact-dedup key: also forget the names a program chose and the literal values it used.

`exact_key` treats two programs as one when only comments, docstrings or formatting differ. Copies in
the wild also rename variables and classes or tweak numbers and strings; `strong_canonical_code` maps
those to one form too. Names the program did not bind itself (`Circle`, `BLUE`, `self.play`, imports)
stay, so programs that build different things keep different keys. The rows keep their original code.
"""

from __future__ import annotations

import ast

from builder import guard


class _Anonymise(ast.NodeTransformer):
    """Rename the names a program binds itself (in order of first binding) and blank every literal.

    Imported and builtin names (`Circle`, `BLUE`, `self.play`) stay, so two programs that use different
    Manim objects keep different keys; only naming and constant choices are forgotten.
    """

    def __init__(self, bound: set[str]) -> None:
        self.bound = bound
        self.names: dict[str, str] = {}

    def _rename(self, name: str) -> str:
        if name not in self.bound or (name.startswith("__") and name.endswith("__")):
            return name
        return self.names.setdefault(name, f"_n{len(self.names)}")

    def visit_Name(self, node: ast.Name) -> ast.AST:
        node.id = self._rename(node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg = self._rename(node.arg)
        node.annotation = None
        return node

    def _visit_def(self, node):
        node.name = self._rename(node.name)
        return self.generic_visit(node)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _visit_def

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            return node
        if isinstance(value, str):
            return ast.copy_location(ast.Constant(""), node)
        if isinstance(value, bytes):
            return ast.copy_location(ast.Constant(b""), node)
        return ast.copy_location(ast.Constant(0), node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        return ast.copy_location(ast.Constant(""), node)


def _drop_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    node.body = body[1:] or [ast.Pass()]
    return tree


def _bound_names(tree: ast.AST) -> set[str]:
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
    bound.discard("self")
    bound.discard("cls")
    return bound


def strong_canonical_code(code: str) -> str:
    """The program without docstrings, with its own names renamed by first use and literals blanked.

    Catches copies that only renamed variables or changed numbers, colours given as literals, or texts.
    """
    try:
        tree = _drop_docstrings(guard.parse(code))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return code.strip()
    return ast.dump(_Anonymise(_bound_names(tree)).visit(tree))
