"""Restore code whose newlines and indents were collapsed into spaces (`class A(Scene): def f(self): x = 1`).

Why: a widely shared copy of a real dataset lost every newline; the code is good but does not parse.
How: Python's own tokenizer reads the collapsed text; statements are split where one complete atom is
followed by a token that can only start a new statement (bracket depth 0), blocks open after a
compound header's `:`, and blocks close at the places Python's grammar forces (`class`, methods taking
`self`, `elif`/`else`/`except`, code after `return`). Each statement's text is copied verbatim from the
input, so strings and expressions keep their exact content. Ambiguous splits (e.g. `if` after an atom,
ternary or statement) are tried in turn until the result compiles.
"""

from __future__ import annotations

import io
import itertools
import keyword
import tokenize
import warnings
from dataclasses import dataclass

from builder import guard
from builder.fixes.types import Example, Fix

_COMPOUND = {
    "if",
    "elif",
    "else",
    "for",
    "while",
    "with",
    "try",
    "except",
    "finally",
    "def",
    "class",
    "async",
}
_STMT_KEYWORDS = _COMPOUND | {
    "return", "pass", "break", "continue", "import", "from", "raise", "del", "global",
    "nonlocal", "assert", "yield", "await", "lambda", "not", "True", "False", "None",
}  # fmt: skip
_ATOM_KEYWORDS = {"True", "False", "None", "pass", "break", "continue"}
_TERMINAL = {"return", "raise", "break", "continue", "pass"}  # code after these leaves the block


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: int
    text: str
    start: int  # absolute offsets into the collapsed text
    end: int


@dataclass(slots=True)
class _Stmt:
    toks: list[_Tok]
    header: bool  # ends with a compound-statement colon

    @property
    def head(self) -> str:
        return self.toks[0].text


def looks_collapsed(code: str) -> bool:
    """Few lines, does not parse, and a compound header's colon is followed by more code on its line."""
    lines = [ln for ln in code.strip().splitlines() if ln.strip()]
    if not lines or len(lines) > 3:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            guard.parse(code)
        return False
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    return any(": " in ln for ln in lines)


def restore(code: str) -> str | None:
    """The restored program, or None when no candidate compiles."""
    toks = _tokens(" ".join(ln.strip() for ln in code.strip().splitlines()))
    if toks is None:
        return None
    text = " ".join(ln.strip() for ln in code.strip().splitlines())
    ambiguous = _ambiguous_points(toks)
    # Try the default reading first, then flip up to two ambiguous decisions.
    flips: list[frozenset[int]] = [frozenset()]
    flips += [frozenset(c) for r in (1, 2) for c in itertools.combinations(ambiguous[:8], r)]
    for flip in flips:
        stmts = _split(toks, flip)
        if stmts is None:
            continue
        out = _layout(stmts, text)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(out, "<restored>", "exec")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        return out
    return None


def _tokens(text: str) -> list[_Tok] | None:
    """Significant tokens with absolute offsets; None when the text cannot be tokenized or has a comment."""
    out: list[_Tok] = []
    try:
        for t in tokenize.generate_tokens(io.StringIO(text).readline):
            if t.type == tokenize.COMMENT:
                return None  # a comment swallowed the rest of the collapsed line: content is lost
            if t.type == tokenize.ERRORTOKEN and t.string.strip():
                return None
            if t.type in (tokenize.NAME, tokenize.NUMBER, tokenize.STRING, tokenize.OP):
                # single-line input: columns are absolute offsets
                out.append(_Tok(t.type, t.string, t.start[1], t.end[1]))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return out


def _ends_atom(t: _Tok) -> bool:
    if t.kind == tokenize.NAME:
        return not keyword.iskeyword(t.text) or t.text in _ATOM_KEYWORDS
    return t.kind in (tokenize.NUMBER, tokenize.STRING) or t.text in (")", "]", "}", "...")


def _star_import_end(cur: list[_Tok]) -> bool:
    return cur[0].text == "from" and len(cur) > 2 and cur[-1].text == "*" and cur[-2].text == "import"


def _starts_stmt(t: _Tok) -> bool:
    if t.kind == tokenize.NAME:
        return not keyword.iskeyword(t.text) or t.text in _STMT_KEYWORDS
    return t.kind in (tokenize.NUMBER, tokenize.STRING)


def _ambiguous_points(toks: list[_Tok]) -> list[int]:
    """Token indexes where the default split decision could be wrong (tried as alternatives)."""
    points = []
    for i in range(1, len(toks)):
        a, b = toks[i - 1], toks[i]
        if _ends_atom(a) and (b.text in ("if", "not") or (a.kind == b.kind == tokenize.STRING)):
            points.append(i)
        elif a.text == "return" and b.text not in ("not", "lambda", "await", "yield") and _starts_stmt(b):
            points.append(i)
    return points


def _is_statement_if(toks: list[_Tok], i: int) -> bool:
    """`if` at toks[i]: a statement when the next depth-0 `:` comes before a depth-0 `else`."""
    depth = 0
    lambdas = 0
    for t in toks[i + 1 :]:
        if t.text in "([{" and t.kind == tokenize.OP:
            depth += 1
        elif t.text in ")]}" and t.kind == tokenize.OP:
            depth -= 1
        elif depth == 0 and t.text == "lambda":
            lambdas += 1
        elif depth == 0 and t.text == ":":
            if lambdas:
                lambdas -= 1
                continue
            return True
        elif depth == 0 and t.text == "else":
            return False
    return False


def _is_decorator_at(toks: list[_Tok], i: int) -> bool:
    """`@` at toks[i] followed by a dotted name, optional call, then `def`/`class`/`@`."""
    j = i + 1
    while j < len(toks) and (toks[j].kind == tokenize.NAME or toks[j].text == "."):
        j += 1
    if j < len(toks) and toks[j].text == "(":
        depth = 0
        while j < len(toks):
            depth += toks[j].text == "("
            depth -= toks[j].text == ")"
            j += 1
            if depth == 0:
                break
    return j < len(toks) and toks[j].text in ("def", "class", "async", "@")


def _split(toks: list[_Tok], flip: frozenset[int]) -> list[_Stmt] | None:
    """Cut the token stream into logical statements (flip = ambiguous points decided the other way)."""
    stmts: list[_Stmt] = []
    cur: list[_Tok] = []
    depth = 0
    lambdas = 0

    def close(header: bool) -> None:
        nonlocal cur, lambdas
        if cur:
            stmts.append(_Stmt(cur, header))
        cur, lambdas = [], 0

    for i, t in enumerate(toks):
        if t.kind == tokenize.OP and t.text == ";" and depth == 0:
            close(False)
            continue
        if cur and depth == 0:
            prev = cur[-1]
            split = False
            if (_ends_atom(prev) or _star_import_end(cur)) and _starts_stmt(t):
                split = _default_split(cur, toks, i)
            elif prev.text == "return" and len(cur) == 1 and _starts_stmt(t):
                split = False
            elif t.text == "@" and _ends_atom(prev) and _is_decorator_at(toks, i):
                split = True
            if i in flip:
                split = not split
            if split:
                close(False)
        if cur == [] and t.text in (")", "]", "}", ":", "=", "."):
            return None
        cur.append(t)
        if t.kind == tokenize.OP and t.text in "([{":
            depth += 1
        elif t.kind == tokenize.OP and t.text in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and t.text == "lambda":
            lambdas += 1
        elif depth == 0 and t.text == ":" and t.kind == tokenize.OP:
            if lambdas:
                lambdas -= 1
            elif cur[0].text in _COMPOUND or cur[0].text == "@":
                close(True)
    close(False)
    return stmts if depth == 0 else None


def _default_split(cur: list[_Tok], toks: list[_Tok], i: int) -> bool:
    """Default decision between an atom and a statement-starting token at depth 0."""
    t = toks[i]
    head = cur[0].text
    if t.text == "if":
        return _is_statement_if(toks, i)
    if t.text == "else":
        return i + 1 < len(toks) and toks[i + 1].text == ":"
    if t.text == "from":
        return head not in ("raise", "yield")
    if t.text == "import":
        return head != "from"
    if t.text in ("not", "lambda", "await", "yield"):
        return False
    if t.text == "for" and head == "async":
        return False
    if t.kind == tokenize.STRING and cur[-1].kind == tokenize.STRING:
        return False  # implicit concatenation
    if head == "async" and t.text in ("def", "for", "with") and len(cur) == 1:
        return False
    return True


def _layout(stmts: list[_Stmt], text: str) -> str:
    """Indent statements: blocks open after headers and close where the grammar or reachability says."""
    lines: list[str] = []
    stack: list[tuple[str, int, bool]] = []  # (header keyword, level, first param is self/cls)
    level = 0
    decorated = False
    for k, st in enumerate(stmts):
        body = text[st.toks[0].start : st.toks[-1].end]
        head = st.head
        if head == "async" and len(st.toks) > 1:
            head = st.toks[1].text
        if head == "@" and not decorated:
            level = _def_level(stmts, k, stack, level)
            decorated = True
        elif head in ("def", "class") and not decorated:
            level = _def_level(stmts, k, stack, level)
        elif head in ("elif", "else", "except", "finally"):
            opener = {"elif": ("if", "elif"), "else": ("if", "elif", "for", "while", "try", "except")}.get(
                head, ("try", "except")
            )
            while stack and stack[-1][0] not in opener:
                stack.pop()
            if stack:
                level = stack.pop()[1]
        if head != "@":
            decorated = False
        while stack and stack[-1][1] >= level:
            stack.pop()
        lines.append("    " * level + body)
        if st.header:
            stack.append((head, level, _method_like(st)))
            level += 1
        elif head in _TERMINAL and stack:
            # code after return/raise/break/continue is unreachable in the same block: close it
            level = stack[-1][1]
    return "\n".join(lines) + "\n"


def _method_like(st: _Stmt) -> bool:
    toks = st.toks
    if toks[0].text == "def" and len(toks) > 3 and toks[2].text == "(":
        return toks[3].text in ("self", "cls")
    return False


def _def_level(stmts: list[_Stmt], k: int, stack: list[tuple[str, int, bool]], level: int) -> int:
    """Where a `def`/`class` (or its decorator) goes."""
    j = k
    while j < len(stmts) and stmts[j].head == "@":
        j += 1
    st = stmts[j] if j < len(stmts) else stmts[k]
    if st.head == "class":
        return 0
    method = _method_like(st) or any(
        stmts[m].toks[-1].text in ("staticmethod", "classmethod") for m in range(k, j)
    )
    classes = [lvl for kw, lvl, _ in stack if kw == "class"]
    if method and classes:
        return classes[-1] + 1
    if not stack:
        return 0
    return level  # a plain helper defined inside the current block (closure), as written in sequence


def _restore_fix(code: str) -> str | None:
    return restore(code) if looks_collapsed(code) else None


_BEFORE = (
    "from manim import * class Pulse(Scene): def construct(self): dot = Dot(color=RED) "
    "label = Text('big') if dot.width > 1 else Text('small') self.add(dot, label) "
    "for k in range(2): self.play(dot.animate.scale(1.5)) self.play(dot.animate.scale(1 / 1.5))"
)
_AFTER = """from manim import *
class Pulse(Scene):
    def construct(self):
        dot = Dot(color=RED)
        label = Text('big') if dot.width > 1 else Text('small')
        self.add(dot, label)
        for k in range(2):
            self.play(dot.animate.scale(1.5))
            self.play(dot.animate.scale(1 / 1.5))
"""

FIXES = (
    Fix(
        code="COL001",
        name="restore-collapsed-code",
        why=(
            "Some copies of datasets lost every newline and indent, so good code does not parse. The "
            "tokenizer-driven restoration rebuilds statement boundaries and block nesting; each "
            "statement's text is kept verbatim. Statements after a loop or `if` body stay inside it "
            "unless the grammar closes the block, as no text records where it ended."
        ),
        phase="text",
        examples=(Example(_BEFORE, _AFTER),),
        text=_restore_fix,
    ),
)
