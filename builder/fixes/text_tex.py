"""Text and TeX: `TextMobject`/`TexMobject`, Pango/Cairo text, Typst, number-label sizes, GL's TeX names.

Why: text mobjects were renamed more than once (CE 0.6.0 `Tex`/`MathTex`, merged `Text`, 0.21.0
`MathTypst`), ManimGL's `Tex` is CE's `MathTex`, and number labels moved from a scale factor to a
font size. Each is mechanical, and each fails on manim 0.22 with a NameError or TypeError.
"""

from __future__ import annotations

import libcst as cst

from builder.fixes.base import call_name, keyword, kwarg, with_args
from builder.fixes.dialect import detect
from builder.fixes.rewriters import (
    RenameCallKeywords,
    RenameNames,
    rename_names,
    renamed_keywords,
    rewrite_any_call,
)
from builder.fixes.types import Fix, example

# --- GL TeX names and keywords --------------------------------------------------------------------------


class GlTexNames(RenameNames):
    """GL `Tex` -> `MathTex` and `TexText` -> `Tex` in one pass. A row that also uses CE-only names
    (`MathTex`, `Create`, ...) was written against CE, where `Tex` already means CE's `Tex`: there only
    `TexText` is renamed."""

    def __init__(self) -> None:
        super().__init__({"Tex": "MathTex", "TexText": "Tex", "OldTex": "MathTex", "OldTexText": "Tex"})

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        if any(e.startswith("ce-name:") for e in detect(node).evidence):
            self.mapping.pop("Tex", None)


class GlTexKeywords(RenameCallKeywords):
    """GL `t2c=` / `isolate=` on (renamed) `MathTex`/`Tex` -> CE `tex_to_color_map=` / `substrings_to_isolate=`,
    also in a `dict(...)` of keywords assigned to a name that a TeX call unpacks (`kw = dict(t2c=...)` ...
    `Tex(s, **kw)`)."""

    CALLS = frozenset({"MathTex", "Tex"})
    MAP = {"t2c": "tex_to_color_map", "isolate": "substrings_to_isolate"}

    def __init__(self) -> None:
        super().__init__()
        self.tex_dicts: set[int] = set()

    def visit_Module(self, node: cst.Module) -> None:
        unpacked: set[str] = set()
        dicts: list[tuple[str, cst.Call]] = []

        class Scan(cst.CSTVisitor):
            def visit_Call(self, call: cst.Call) -> None:
                if isinstance(call.func, cst.Name) and call.func.value in GlTexKeywords.CALLS:
                    unpacked.update(
                        a.value.value for a in call.args if a.star == "**" and isinstance(a.value, cst.Name)
                    )

            def visit_Assign(self, assign: cst.Assign) -> None:
                value = assign.value
                if (
                    isinstance(value, cst.Call)
                    and isinstance(value.func, cst.Name)
                    and value.func.value == "dict"
                ):
                    dicts.extend(
                        (t.target.value, value) for t in assign.targets if isinstance(t.target, cst.Name)
                    )

        node.visit(Scan())
        self.tex_dicts = {id(call) for name, call in dicts if name in unpacked}

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if id(original) not in self.tex_dicts:
            return super().leave_Call(original, updated)
        renamed = renamed_keywords(updated, self.MAP)
        if renamed is None:
            return updated
        self.hit()
        return renamed


# --- UPG033: number_scale_value / label_scale -> font_size ---------------------------------------------

# Old number labels were `DecimalNumber`s (48 pt, DEFAULT_FONT_SIZE) scaled by `number_scale_value`,
# so the same size is `font_size = 48 * value` (the old default 0.75 is the new default 36).
OLD_LABEL_FONT_SIZE = 48
_NUMBER_LINES = frozenset({"NumberLine", "UnitInterval"})
# Old Axes/planes ignored unknown keywords (CONFIG digestion), so these keywords had no effect there.
_AXES = frozenset({"Axes", "ThreeDAxes", "NumberPlane", "ComplexPlane", "PolarPlane"})
_AXIS_CONFIGS = frozenset(
    {"axis_config", "x_axis_config", "y_axis_config", "z_axis_config", "number_line_config"}
)


def _font_size(value: cst.BaseExpression) -> cst.BaseExpression:
    """`48 * value`, folded for number literals (0.5 -> 24)."""
    if isinstance(value, (cst.Integer, cst.Float)):
        size = round(OLD_LABEL_FONT_SIZE * float(value.evaluated_value), 6)
        return cst.Integer(str(int(size))) if size == int(size) else cst.Float(repr(size))
    if not isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.BinaryOperation(cst.Integer(str(OLD_LABEL_FONT_SIZE)), cst.Multiply(), value)


def _key(element: cst.BaseDictElement) -> object:
    """The literal string key of a dict element, else None."""
    if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
        return element.key.evaluated_value
    return None


def _config_dict(d: cst.Dict) -> cst.Dict | None:
    """Rewrite `"number_scale_value": v` entries of an axis-config dict literal; `label_scale` is dropped."""
    keys = {_key(e) for e in d.elements} - {None}
    if not keys & {"number_scale_value", "label_scale"}:
        return None
    elements = []
    for e in d.elements:
        key = _key(e)
        if key == "label_scale" or (key == "number_scale_value" and "font_size" in keys):
            continue
        if key == "number_scale_value":
            e = e.with_changes(key=cst.SimpleString('"font_size"'), value=_font_size(e.value))
        elements.append(e)
    if elements:
        elements[-1] = elements[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return d.with_changes(elements=elements)


def _number_scale(call: cst.Call) -> cst.Call | None:
    name = call_name(call)
    has_font_size = keyword(call, "font_size") is not None
    args: list[cst.Arg] = []
    changed = False
    for a in call.args:
        key = a.keyword.value if a.keyword is not None else None
        if key in ("number_scale_value", "label_scale") and (name in _NUMBER_LINES or name in _AXES):
            changed = True
            if key == "number_scale_value" and name in _NUMBER_LINES and not has_font_size:
                args.append(kwarg("font_size", _font_size(a.value)))
            continue
        if key in _AXIS_CONFIGS and isinstance(a.value, cst.Dict):
            new = _config_dict(a.value)
            if new is not None:
                a = a.with_changes(value=new)
                changed = True
        args.append(a)
    return with_args(call, args) if changed else None


FIXES: tuple[Fix, ...] = (
    Fix(
        "UPG002", "textmobject-to-tex",
        "`TextMobject` (LaTeX text mode) became `Tex` (removed in 0.6.0).",
        "upgrade",
        (example("self.add(TextMobject('Area'))", "self.add(Tex('Area'))"),),
        transformer=rename_names({"TextMobject": "Tex"}),
        triggers=("TextMobject",),
    ),
    Fix(
        "UPG003", "texmobject-to-mathtex",
        "`TexMobject` (LaTeX math mode) became `MathTex` (removed in 0.6.0).",
        "upgrade",
        (example("self.add(TexMobject('x^2'))", "self.add(MathTex('x^2'))"),),
        transformer=rename_names({"TexMobject": "MathTex"}),
        triggers=("TexMobject",),
    ),
    Fix(
        "UPG004", "pango-cairo-text-to-text",
        "`PangoText` and `CairoText` were merged into `Text`.",
        "upgrade",
        (example("self.add(PangoText('hi'))", "self.add(Text('hi'))"),),
        transformer=rename_names({"PangoText": "Text", "CairoText": "Text"}),
        triggers=("PangoText", "CairoText"),
    ),
    Fix(
        "UPG032", "typst-math-to-math-typst",
        "`TypstMath` was renamed `MathTypst` in 0.21.0 (like `MathTex`).",
        "upgrade",
        (example("self.add(TypstMath('x^2 + 1'))", "self.add(MathTypst('x^2 + 1'))"),),
        transformer=rename_names({"TypstMath": "MathTypst"}),
        triggers=("TypstMath",),
    ),
    Fix(
        "UPG033", "number-scale-to-font-size",
        "`number_scale_value=` (removed in 0.12.0) scaled 48-pt number labels, so on `NumberLine` it becomes `font_size=48 * value` (0.75 -> 36, the current default), also inside `axis_config`-style dicts. Old `Axes`/planes ignored it as a direct keyword and `label_scale=` has no faithful counterpart, so those are dropped.",
        "upgrade",
        (
            example("self.add(NumberLine(x_range=[0, 4, 1], include_numbers=True, number_scale_value=0.5))", "self.add(NumberLine(x_range=[0, 4, 1], include_numbers=True, font_size=24))"),
            example(
                "self.add(Axes(axis_config={'include_numbers': True, 'number_scale_value': 0.6, 'label_scale': 2}))",
                "self.add(Axes(axis_config={'include_numbers': True, \"font_size\": 28.8}))",
            ),
        ),
        transformer=rewrite_any_call(_number_scale),
        triggers=("number_scale_value", "label_scale"),
    ),
    Fix(
        "GL002", "gl-tex-names",
        "GL `Tex` is CE `MathTex` and GL `TexText` is CE `Tex` (3Blue1Brown's legacy `OldTex` and `OldTexText` likewise); all are renamed in one pass so `TexText` never ends up as `MathTex`.",
        "gl",
        (
            example("self.add(Tex(R'e^{i\\pi}'), TexText('Euler').to_edge(UP))", "self.add(MathTex(R'e^{i\\pi}'), Tex('Euler').to_edge(UP))"),
            example("self.add(OldTex(R'\\frac{1}{2}'), OldTexText('half').to_edge(UP))", "self.add(MathTex(R'\\frac{1}{2}'), Tex('half').to_edge(UP))"),
        ),
        transformer=GlTexNames,
        triggers=("Tex",),
        supplies=("TexText", "OldTex", "OldTexText"),
    ),
    Fix(
        "GL003", "gl-tex-keywords",
        "GL's `t2c=` and `isolate=` keywords on TeX mobjects are CE's `tex_to_color_map=` and `substrings_to_isolate=`.",
        "gl",
        (
            example("self.add(MathTex('a', '+', 'b', t2c={'a': RED}))", "self.add(MathTex('a', '+', 'b', tex_to_color_map={'a': RED}))"),
            example("kw = dict(t2c={'x': RED})\nself.add(MathTex('x^2 + x', **kw))", "kw = dict(tex_to_color_map={'x': RED})\nself.add(MathTex('x^2 + x', **kw))"),
        ),
        transformer=GlTexKeywords,
        triggers=("t2c", "isolate"),
    ),
)  # fmt: skip
