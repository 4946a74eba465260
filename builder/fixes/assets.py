"""Context-aware placeholders for assets a row cannot carry (SVGs, images, sounds).

Why: a dataset row is one file, so `SVGMobject("gear.svg")` always fails with OSError although the
scene is fine. Replacing the asset with a drawing of the same kind keeps the scene's meaning and
layout: the kind is inferred from the path, the variable the result is bound to, and the call
(`pi_creature.svg` is a character; 3Blue1Brown's pi creature classes get a placeholder library instead,
see placeholder_library.py). The placeholder is a plain mobject expression about as tall as the
default SVG (2 units), so `.scale`, `.set_height`, `.to_edge`, `.next_to` keep working; size and
colour keywords are re-applied as calls. Sounds are removed. Data files (not visual) cannot be
replaced meaningfully: `missing_data_file` reports them so the row is excluded.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath

import libcst as cst

from builder.fixes.base import Rewriter, dotted_name, keyword, positional
from builder.fixes.rewriters import DropCalls, defined_names
from builder.fixes.types import Example, Fix, scene

_CHARACTER = {
    "pi", "creature", "randolph", "mortimer", "person", "people", "man", "woman", "student", "teacher",
    "boy", "girl", "human", "face", "character", "cat", "dog", "bird", "animal", "fish", "horse", "cow",
    "rabbit", "bear", "lion", "worker", "child", "user", "avatar",
}  # fmt: skip
_ICONS = {
    "factory": "VGroup(Rectangle(width=2, height=1), Rectangle(width=0.3, height=0.8).shift(0.6 * LEFT + 0.9 * UP), Rectangle(width=0.3, height=0.6).shift(0.1 * LEFT + 0.8 * UP))",
    "gear": "VGroup(RegularPolygon(n=8, radius=1), Circle(radius=0.35))",
    "cog": "VGroup(RegularPolygon(n=8, radius=1), Circle(radius=0.35))",
    "server": "VGroup(*[RoundedRectangle(width=1.6, height=0.5, corner_radius=0.08).shift(k * 0.6 * UP) for k in (-1, 0, 1)])",
    "database": "VGroup(*[Ellipse(width=1.6, height=0.5).shift(k * 0.6 * UP) for k in (-1, 0, 1)])",
    "house": "VGroup(Square(side_length=1.4).shift(0.4 * DOWN), Triangle().stretch_to_fit_width(1.8).stretch_to_fit_height(0.8).shift(0.7 * UP))",
    "home": "VGroup(Square(side_length=1.4).shift(0.4 * DOWN), Triangle().stretch_to_fit_width(1.8).stretch_to_fit_height(0.8).shift(0.7 * UP))",
    "tree": "VGroup(Rectangle(width=0.3, height=0.8).shift(0.6 * DOWN), Circle(radius=0.7).shift(0.3 * UP))",
    "cloud": "VGroup(Circle(radius=0.5).shift(0.5 * LEFT), Circle(radius=0.7).shift(0.2 * UP), Circle(radius=0.5).shift(0.6 * RIGHT))",
}  # fmt: skip
_ICON_WORDS = set(_ICONS) | {
    "building", "computer", "laptop", "phone", "car", "truck", "lock", "key", "bulb", "lightbulb",
    "battery", "globe", "book", "icon", "logo", "robot", "rocket", "plane", "ship", "train", "cpu", "chip",
}  # fmt: skip
_GENERIC_ICON = "VGroup(RoundedRectangle(width=1.8, height=1.8, corner_radius=0.3), Circle(radius=0.45))"
_FORMULA = {
    "formula",
    "equation",
    "eq",
    "symbol",
    "math",
    "latex",
    "tex",
    "integral",
    "sum",
    "sigma",
    "derivative",
}
_FORMULA_TEX = {
    "integral": r"\int f(x)\,dx",
    "sum": r"\sum_{i} a_i",
    "sigma": r"\Sigma",
    "derivative": r"\frac{d}{dx}",
}
_BACKGROUND = {"background", "bg", "backdrop", "wallpaper", "sky", "texture", "backgrounds"}
_STICK_FIGURE = (
    "VGroup(Circle(radius=0.25).shift(0.75 * UP), Line(0.5 * UP, 0.3 * DOWN), "
    "Line(0.3 * UP, 0.2 * DOWN + 0.45 * LEFT), Line(0.3 * UP, 0.2 * DOWN + 0.45 * RIGHT), "
    "Line(0.3 * DOWN, DOWN + 0.35 * LEFT), Line(0.3 * DOWN, DOWN + 0.35 * RIGHT))"
)
_BACKGROUND_RECT = (
    "Rectangle(width=config.frame_width, height=config.frame_height, stroke_width=0, "
    "fill_color=DARK_GRAY, fill_opacity=1)"
)
_VISUAL_CALLS = {"SVGMobject", "ImageMobject"}
_DATA_CALLS = {
    "open", "np.load", "np.loadtxt", "np.genfromtxt", "numpy.load", "numpy.loadtxt", "pd.read_csv",
    "pd.read_excel", "pd.read_json", "pd.read_parquet", "pandas.read_csv", "Image.open", "PIL.Image.open",
}  # fmt: skip


def _words(text: str) -> list[str]:
    """Lower-case words of a path or identifier (`bgImage_2.png` -> bg, image, 2, png)."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def _stem(path: str) -> str:
    """File name without folders or extension, for POSIX and Windows paths alike."""
    return PurePath(path.replace("\\", "/").split("/")[-1]).stem


def classify(words: list[str]) -> tuple[str, str]:
    """(kind, placeholder expression) for the words describing an asset."""
    ws = set(words)
    if ws & _FORMULA:
        tex = next((_FORMULA_TEX[w] for w in words if w in _FORMULA_TEX), r"f(x)")
        return "formula", f"MathTex({json.dumps(tex)})"
    if ws & _BACKGROUND:
        return "background", _BACKGROUND_RECT
    if ws & _CHARACTER:
        return "character", _STICK_FIGURE
    if ws & _ICON_WORDS:
        expr = next((_ICONS[w] for w in words if w in _ICONS), _GENERIC_ICON)
        return "icon", expr
    return "photo", None  # a labelled rectangle, built by the caller from the label


def _labelled_box(label: str) -> str:
    return f"VGroup(Rectangle(width=3, height=2), Text({json.dumps(label[:30] or 'image')}, font_size=28))"


class _Strings(cst.CSTVisitor):
    """Module-level `name = "path"` bindings, so `SVGMobject(path)` can be classified too."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.SimpleString) and len(node.targets) == 1:
            target = node.targets[0].target
            value = node.value.evaluated_value
            if isinstance(target, cst.Name) and isinstance(value, str):
                self.values[target.value] = value


def _path_text(expr: cst.BaseExpression, strings: dict[str, str]) -> str | None:
    """The path (or its readable parts) when `expr` is a file name; None when it is data (e.g. an array)."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.ConcatenatedString | cst.FormattedString):
        parts: list[str] = []
        for node in _string_parts(expr):
            parts.append(node)
        return " ".join(parts)
    if isinstance(expr, cst.Name):
        return strings.get(expr.value)
    if isinstance(expr, cst.Call) and dotted_name(expr.func) in ("os.path.join", "Path", "pathlib.Path"):
        texts = [_path_text(a.value, strings) for a in expr.args]
        return " ".join(t for t in texts if t) or None
    return None


def _string_parts(expr: cst.BaseExpression) -> list[str]:
    if isinstance(expr, cst.SimpleString):
        v = expr.evaluated_value
        return [v] if isinstance(v, str) else []
    if isinstance(expr, cst.ConcatenatedString):
        return _string_parts(expr.left) + _string_parts(expr.right)
    if isinstance(expr, cst.FormattedString):
        return [p.value for p in expr.parts if isinstance(p, cst.FormattedStringText)]
    return []


class AssetPlaceholders(Rewriter):
    """`SVGMobject(...)`, `ImageMobject(...)` -> a drawing of the same kind."""

    def __init__(self) -> None:
        super().__init__()
        self.strings: dict[str, str] = {}
        self.local: set[str] = set()
        self.targets: list[str] = []

    def visit_Module(self, node: cst.Module) -> None:
        seen = _Strings()
        node.visit(seen)
        self.strings = seen.values
        self.local = defined_names(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        t = node.targets[0].target if node.targets else None
        self.targets.append(dotted_name(t) or "" if t is not None else "")

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        self.targets.pop()
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        name = updated.func.value if isinstance(updated.func, cst.Name) else None
        if name is None or name in self.local:
            return updated
        target = self.targets[-1] if self.targets else ""
        if name in _VISUAL_CALLS:
            pos = positional(updated)
            first = (
                pos[0].value
                if pos
                else (keyword(updated, "file_name") or keyword(updated, "filename_or_array"))
            )
            if first is None:
                return updated
            first = first.value if isinstance(first, cst.Arg) else first
            path = _path_text(first, self.strings)
            if path is None:
                return updated
            words = _words(_stem(path)) + _words(target)
            kind, expr = classify(words)
            if expr is None:
                expr = _labelled_box(" ".join(_words(_stem(path))) or "image")
            kept = [a for a in updated.args if a.keyword is not None]
        else:
            return updated
        self.hit(f"asset:{kind}")
        return _with_size_calls(cst.parse_expression(expr), kept)


def _with_size_calls(expr: cst.BaseExpression, kwargs: list[cst.Arg]) -> cst.BaseExpression:
    """Re-apply the size/colour keywords the asset call had as method calls on the placeholder."""
    for a in kwargs:
        key = a.keyword.value if a.keyword else ""
        if key in ("height", "width"):
            method, args = "set", [a.with_changes(comma=cst.MaybeSentinel.DEFAULT)]
        elif key in ("color", "fill_color", "stroke_color"):
            method, args = "set_color", [cst.Arg(a.value)]
        elif key == "scale_factor":
            method, args = "scale", [cst.Arg(a.value)]
        else:
            continue
        expr = cst.Call(cst.Attribute(expr, cst.Name(method)), args)
    return expr


class RemoveSounds(DropCalls):
    """`self.add_sound("click.wav")` statements are removed: a sound file cannot travel with the row."""

    CALLS = frozenset({"self.add_sound"})
    LABEL = "asset:sound"


class _DataFiles(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: list[str] = []

    def visit_Call(self, node: cst.Call) -> None:
        name = dotted_name(node.func)
        if name not in _DATA_CALLS or not node.args:
            return
        first = node.args[0].value
        if isinstance(first, cst.Name) and first.value == "__file__":
            return
        if name == "open":
            mode = (
                node.args[1].value
                if len(node.args) > 1
                else (keyword(node, "mode").value if keyword(node, "mode") else None)
            )
            if isinstance(mode, cst.SimpleString) and any(c in str(mode.evaluated_value) for c in "wax"):
                return  # writing a file the scene creates itself
        self.found.append(name)


def missing_data_file(module: cst.Module) -> str | None:
    """The data-loading call (e.g. `np.load`) that needs a file the row cannot carry, if any."""
    seen = _DataFiles()
    module.visit(seen)
    return seen.found[0] if seen.found else None


FIXES: tuple[Fix, ...] = (
    Fix(
        "AST001", "visual-asset-placeholder",
        "An SVG or image the row cannot carry becomes a placeholder of the same kind: "
        "characters -> stick figure, icons -> a few composed shapes, formulas -> `MathTex`, backgrounds -> a "
        "full-frame rectangle, photos and the rest -> a rectangle labelled with the file name. Records `asset:<kind>`.",
        "asset",
        (
            Example(
                scene("worker = SVGMobject('assets/worker.svg', height=1.5)\nplant = SVGMobject('icons/factory.svg').next_to(worker, RIGHT)\nself.add(worker, plant)"),
                scene(
                    f"worker = {_STICK_FIGURE}.set(height=1.5)\nplant = {_ICONS['factory']}.next_to(worker, RIGHT)\nself.add(worker, plant)"
                ),
            ),
            Example(
                scene("bg = ImageMobject('bg.jpg')\nphoto = ImageMobject('C:\\\\Users\\\\me\\\\lake_photo.png').scale(0.5)\nself.add(bg, photo)"),
                scene(f"bg = {_BACKGROUND_RECT}\nphoto = {_labelled_box('lake photo')}.scale(0.5)\nself.add(bg, photo)"),
            ),
        ),
        transformer=AssetPlaceholders,
        triggers=("SVGMobject", "ImageMobject"),
        records=("asset:character", "asset:icon", "asset:formula", "asset:background", "asset:photo"),
    ),
    Fix(
        "AST002", "remove-sound",
        "`self.add_sound(...)` needs an audio file the row cannot carry; the call is removed (the animation is unchanged). Records `asset:sound`.",
        "asset",
        (
            Example(
                scene("self.add_sound('click.wav')\nself.play(Create(Square()))"),
                scene("self.play(Create(Square()))"),
            ),
        ),
        transformer=RemoveSounds,
        triggers=("add_sound",),
        records=("asset:sound",),
    ),
)  # fmt: skip
