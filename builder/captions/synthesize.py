"""Synthesised instructions: a request a person could have written, from what a scene showed when it ran.

Offline and deterministic: the words come from the runtime `Trace` (objects added, animations played,
on-screen strings, colours, camera) and the scene's class name; phrasing varies by templates chosen with
a generator seeded by the code's hash, so a rebuild writes the same bytes. Every instruction names
something the program really uses (an animation class, an object or a string it shows).
"""

from __future__ import annotations

import hashlib
import random
import re

from builder.repos.describe import split_name
from builder.schema import Trace

SOURCE = "synthesized"

# Mobject classes -> how a person names them; None: not something a request mentions.
_NOUNS: dict[str, str | None] = {
    "Circle": "a circle", "Square": "a square", "Rectangle": "a rectangle", "RoundedRectangle": "a rounded rectangle",
    "Triangle": "a triangle", "Polygon": "a polygon", "RegularPolygon": "a regular polygon", "Star": "a star",
    "Dot": "a dot", "Dot3D": "a 3-D dot", "Line": "a line", "DashedLine": "a dashed line", "Arrow": "an arrow",
    "DoubleArrow": "a double arrow", "Vector": "a vector", "Arc": "an arc", "ArcBetweenPoints": "an arc",
    "Ellipse": "an ellipse", "Annulus": "an annulus", "Sector": "a sector", "AnnularSector": "an annular sector",
    "NumberLine": "a number line", "Axes": "a set of axes", "ThreeDAxes": "3-D axes",
    "NumberPlane": "a coordinate grid", "ComplexPlane": "a complex plane", "PolarPlane": "a polar plane",
    "ParametricFunction": "a parametric curve", "FunctionGraph": "a function graph",
    "Surface": "a surface", "Sphere": "a sphere", "Cube": "a cube", "Prism": "a prism", "Cone": "a cone",
    "Cylinder": "a cylinder", "Torus": "a torus", "Arrow3D": "a 3-D arrow", "Line3D": "a 3-D line",
    "Matrix": "a matrix", "IntegerMatrix": "a matrix", "DecimalMatrix": "a matrix", "Table": "a table",
    "MathTable": "a table", "BarChart": "a bar chart", "DecimalNumber": "a changing number",
    "Integer": "a counter", "Variable": "a labelled variable", "Brace": "a brace", "BraceLabel": "a labelled brace",
    "SurroundingRectangle": "a highlight box", "BackgroundRectangle": "a background box", "Cross": "a cross",
    "ImageMobject": "an image", "SVGMobject": "an SVG drawing", "Graph": "a graph of nodes and edges",
    "DiGraph": "a directed graph", "Code": "a code listing", "Angle": "an angle mark", "RightAngle": "a right-angle mark",
    "TracedPath": "a traced path", "StreamLines": "stream lines", "ArrowVectorField": "a vector field",
    "PiCreature": "a pi creature", "Randolph": "a pi creature", "Mortimer": "a pi creature",
    "SpeechBubble": "a speech bubble", "ThoughtBubble": "a thought bubble", "Checkmark": "a check mark",
    "Text": None, "MarkupText": None, "Paragraph": None, "Tex": None, "MathTex": None, "SingleStringMathTex": None,
    "VGroup": None, "Group": None, "VMobject": None, "Mobject": None, "ValueTracker": None, "VDict": None,
    "Mobject1D": None, "PMobject": None, "TexTemplate": None,
}  # fmt: skip
_OPENERS = (
    "Create a Manim scene called {name} that",
    "Write a Manim Community scene, {name}, that",
    "Make an animation ({name}) that",
    "Build a scene named {name} that",
    "Write a scene class {name} that",
)
_ANIMATE = ("animates them with {anims}", "brings them on with {anims}", "uses {anims} animations")
_LENGTHS = ("(about {secs}, {n}).", "(roughly {secs} and {n}).", "It runs about {secs} with {n}.")
_FORMULA = re.compile(r"[\\^_=]|\\frac|\d\s*[+\-*/]\s*\d")


def seeded(code: str) -> random.Random:
    """The generator that picks templates for this code (the same code always reads the same)."""
    return random.Random(int(hashlib.sha256(code.encode("utf-8", "replace")).hexdigest()[:16], 16))


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _quote(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return '"' + text.replace('"', "'") + '"'


def _noun(name: str) -> str | None:
    if name in _NOUNS:
        return _NOUNS[name]
    if name.startswith("_") or not name[:1].isupper():
        return None
    words = split_name(name).lower()
    return ("an " if words[:1] in "aeiou" else "a ") + words


def _strings_clause(texts: list[str], rng: random.Random) -> str | None:
    if not texts:
        return None
    formulas = [t for t in texts if _FORMULA.search(t)]
    words = [t for t in texts if t not in formulas]
    parts = []
    if words:
        head = rng.choice(("writes the title", "shows the text", "puts up the title"))
        if len(words) == 1:
            parts.append(f"{head} {_quote(words[0])}")
        else:
            shown = [_quote(w, 40) for w in words[:3]]
            more = " and more labels" if len(words) > 3 else ""
            parts.append(f"{head} {shown[0]} with the labels {_join(shown[1:])}{more}")
    if formulas:
        verb = "writes the formula" if len(formulas) == 1 else "writes the formulas"
        parts.append(f"{verb} {_join([_quote(f, 50) for f in formulas[:2]])}")
    return ", ".join(parts)


def _objects_clause(trace: Trace, rng: random.Random) -> str | None:
    nouns = list(dict.fromkeys(n for n in map(_noun, trace.mobjects) if n))[:4]
    if not nouns:
        return None
    colours = [c for c in trace.colours if c not in ("white", "black")][:2]
    verb = rng.choice(("draws", "shows", "adds"))
    tail = f" in {_join(colours)}" if colours else ""
    return f"{verb} {_join(nouns)}{tail}"


def _animations_clause(trace: Trace, rng: random.Random) -> str | None:
    names = list(dict.fromkeys(a for a in trace.animations if a != "animate" and not a.startswith("_")))[:4]
    if "animate" in trace.animations:
        names.append(".animate")
    if not names:
        return None
    return rng.choice(_ANIMATE).format(anims=_join(names))


def _seconds(value: float) -> str:
    return f"{max(1, round(value))} s" if value < 90 else f"{round(value / 60, 1):g} min"


def synthesize(trace: Trace, code: str, scene_class: str | None) -> str:
    """One instruction for the program, e.g. `Create a Manim scene called DiceIntro that writes the title
    "Two dice", draws a square and a dot in red and animates them with Write and FadeIn (about 4 s, 3
    animations).`"""
    rng = seeded(code)
    name = scene_class or "Main"
    clauses = [c for c in (_strings_clause(trace.texts, rng), _objects_clause(trace, rng)) if c]
    anims = _animations_clause(trace, rng)
    if anims:
        nouns = [n for n in map(_noun, trace.mobjects) if n]
        pronoun = "them" if not clauses or len(set(nouns)) + len(trace.texts) > 1 else "it"
        clauses.append(anims.replace("them", pronoun) if clauses else anims.replace("them", "its objects"))
    if not clauses:
        clauses.append("sets up a still frame" if trace.n_animations == 0 else "plays a short animation")
    text = f"{rng.choice(_OPENERS).format(name=name)} {_join(clauses)}"
    if trace.camera == "3d":
        text += rng.choice((", seen through a 3-D camera", ", all in 3-D"))
    elif trace.camera == "moving":
        text += rng.choice((", while the camera moves", ", with a moving camera"))
    if trace.n_animations:
        count = f"{trace.n_animations} animation" + ("s" if trace.n_animations != 1 else "")
        length = rng.choice(_LENGTHS).format(secs=_seconds(trace.run_time), n=count)
        return f"{text} {length}" if length[0] == "(" else f"{text}. {length}"
    return text + "."
