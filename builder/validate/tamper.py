"""The tamper screen: code that reaches for process-level machinery no training scene needs.

A scene runs in the process that reports its verdict, so it could try to forge that verdict (write a
result line to the pipe and `os._exit(0)`, patch `json` or the worker, install a trace function that
rewrites the result, override `Scene.render`, raise manim's `EndSceneEarlyException`). The runtime has
guards for these (child.py); this screen is the cheap first line: it reads the program's syntax tree and
excludes it as `static:tamper:<what>` before it ever runs. Scenes that draw and animate need none of
it: on 1,016 public (description, code) rows no pattern below occurs.

| pattern | what is reported |
|---|---|
| importing `ctypes`, `_ctypes`, `cffi`, `signal`, `gc`, `posix`, `_posixsubprocess`, `pty`, `subprocess`, `importlib`, `builtins`, `__main__`, `pickle`, `marshal`, `dill`, `shelve` | `import:<module>` |
| `os._exit`, `os.write*`, `os.dup*`, `os.fdopen`, `os.open`, `os.kill*`, `os.fork`, `os.exec*`, `os.spawn*`, `os.posix_spawn*`, `os.system`, `os.popen` (also via `from os import`) | `os.<name>` |
| `sys.settrace`, `sys.setprofile`, `sys._getframe`, `sys.modules`, `sys._current_frames`, `sys.addaudithook`, `threading.settrace`, `threading.setprofile`, `inspect.currentframe` / `stack`, `traceback.walk_stack` / `walk_tb` | `<module>.<name>` |
| `eval`, `exec`, `compile`, `__import__`, `globals()`, `vars()`, `getattr`/`setattr`/`delattr` on an imported module or used as a value (`get = getattr`) | `builtin:<name>`, `builtin:<name>-alias` |
| frame and function internals: `f_back`, `f_globals`, `f_locals`, `tb_frame`, `gi_frame`, `cr_frame`, `__code__`, `__globals__`, `__closure__`, `__defaults__`, `__kwdefaults__`, `__builtins__`, `__subclasses__`, `cell_contents`, `__getattribute__` | `introspection:<name>` |
| assigning an attribute of an imported module (`json.dumps = ...`) or of a manim scene class (`Scene.render = ...`) | `patching:<target>` |
| a class defining `render`, `get_time_progression`, `play_internal` or `update_to_time` | `override:<method>` |
| naming `EndSceneEarlyException` or `RerunSceneException` | `end-scene-early` |
| `open(<integer>)`, or a string naming `/proc/<pid>/fd`, `/proc/self/mem` or `/dev/fd` | `raw-fd` |

Obfuscation beyond this (say, building `"_exit"` from pieces and fetching it through an object the
screen cannot see is a module) is what the runtime guards are for; the README's threat model says what
neither catches.
"""

from __future__ import annotations

import ast
import re

from builder.scenes import SCENE_BASES

FORBIDDEN_MODULES = frozenset(
    {
        "ctypes", "_ctypes", "cffi", "signal", "gc", "posix", "_posixsubprocess", "pty", "subprocess",
        "importlib", "builtins", "__main__", "pickle", "_pickle", "marshal", "dill", "shelve",
    }
)  # fmt: skip
_OS = re.compile(
    r"^(_exit|write|writev|pwrite|pwritev|sendfile|splice|dup|dup2|fdopen|open|kill|killpg|fork|forkpty|"
    r"exec\w*|spawn\w*|posix_spawn\w*|system|popen)$"
)
FORBIDDEN_ATTRS = {
    "sys": frozenset({"settrace", "setprofile", "_getframe", "modules", "_current_frames", "addaudithook"}),
    "threading": frozenset({"settrace", "setprofile", "settrace_all_threads", "setprofile_all_threads"}),
    "inspect": frozenset({"currentframe", "stack", "getouterframes", "getinnerframes", "trace"}),
    "traceback": frozenset({"walk_stack", "walk_tb"}),
}
FORBIDDEN_BUILTINS = frozenset({"eval", "exec", "compile", "__import__", "globals", "vars"})
ATTRIBUTE_BUILTINS = ("getattr", "setattr", "delattr")
INTROSPECTION = frozenset(
    {
        "f_back", "f_globals", "f_locals", "tb_frame", "gi_frame", "cr_frame", "ag_frame", "__code__",
        "__globals__", "__closure__", "__builtins__", "__subclasses__", "cell_contents", "__getattribute__",
        "__kwdefaults__", "__defaults__",
    }
)  # fmt: skip
OVERRIDES = frozenset({"render", "get_time_progression", "play_internal", "update_to_time"})
END_EARLY = frozenset({"EndSceneEarlyException", "RerunSceneException"})
_RAW_PATH = re.compile(r"/proc/[^/]+/(fd|mem)\b|/dev/fd\b")


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node


class _Screen(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []
        self.modules: dict[str, str] = {}  # local name -> module, from `import x [as y]`
        self.called: set[int] = set()  # Name nodes in call position

    def flag(self, node: ast.AST, what: str) -> None:
        self.found.append((getattr(node, "lineno", 0), what))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top in FORBIDDEN_MODULES:
                self.flag(node, f"import:{top}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        top = module.split(".")[0]
        if node.level == 0 and top in FORBIDDEN_MODULES:
            self.flag(node, f"import:{top}")
        for alias in node.names:
            if top == "os" and (_OS.match(alias.name) or alias.name == "*"):
                self.flag(node, f"os.{alias.name}")
            elif alias.name in FORBIDDEN_ATTRS.get(top, ()):
                self.flag(node, f"{top}.{alias.name}")
            elif alias.name in END_EARLY:
                self.flag(node, "end-scene-early")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in INTROSPECTION:
            self.flag(node, f"introspection:{node.attr}")
        elif node.attr in END_EARLY:
            self.flag(node, "end-scene-early")
        elif isinstance(node.value, ast.Name):
            module = self.modules.get(node.value.id, node.value.id)
            if module == "os" and _OS.match(node.attr):
                self.flag(node, f"os.{node.attr}")
            elif node.attr in FORBIDDEN_ATTRS.get(module, ()):
                self.flag(node, f"{module}.{node.attr}")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in END_EARLY:
            self.flag(node, "end-scene-early")
        elif node.id in FORBIDDEN_BUILTINS or node.id == "__builtins__":
            self.flag(node, f"builtin:{node.id}")
        elif node.id in ATTRIBUTE_BUILTINS and id(node) not in self.called:
            self.flag(node, f"builtin:{node.id}-alias")  # `get = getattr` hides what it is used on

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        self.called.add(id(func))
        if isinstance(func, ast.Name) and func.id in ATTRIBUTE_BUILTINS and node.args:
            target = node.args[0]
            if isinstance(target, ast.Name) and (target.id in self.modules or target.id == "__builtins__"):
                self.flag(node, f"builtin:{func.id}")
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in ("open", "fdopen", "FileIO") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and type(first.value) is int:
                self.flag(node, "raw-fd")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and _RAW_PATH.search(node.value):
            self.flag(node, "raw-fd")

    def _assigned(self, targets: list[ast.expr]) -> None:
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                    owner = node.value.id
                    if owner in self.modules or owner in SCENE_BASES:
                        self.flag(node, f"patching:{owner}.{node.attr}")

    def visit_Assign(self, node: ast.Assign) -> None:
        self._assigned(node.targets)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._assigned([node.target])
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._assigned([node.target])
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name in OVERRIDES:
                self.flag(item, f"override:{item.name}")
        self.generic_visit(node)


def screen(tree: ast.Module) -> list[tuple[int, str]]:
    """Every (line, what) the screen finds, in line order (empty: nothing process-level)."""
    visitor = _Screen()
    for node in ast.walk(tree):  # module names first, wherever their imports are
        if isinstance(node, ast.Import):
            for alias in node.names:
                visitor.modules[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
    visitor.visit(tree)
    return sorted(set(visitor.found))
