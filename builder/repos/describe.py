"""Descriptions for code-only rows: the class docstring, else its leading comments, else its name in words.

A plain function of the class node so that a model-based describer can replace or extend it later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from builder.repos.units import Unit

_KEEP = {"LaTeX", "TeX"}
_WORDS = re.compile(r"LaTeX|TeX|\d+D(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@dataclass(frozen=True)
class Description:
    text: str
    source: str  # docstring | comment | name


def split_name(name: str) -> str:
    """`SquareToCircle` -> "Square to circle", `LaTeXDemo3D` -> "LaTeX demo 3D" (capital runs kept)."""
    words: list[str] = []
    for chunk in name.split("_"):
        words.extend(_WORDS.findall(chunk))
    if not words:
        return name
    first = words[0]
    out = [first if (first.isupper() and len(first) > 1) or first in _KEEP else first.capitalize()]
    out += [w if (w.isupper() and len(w) > 1) or w in _KEEP else w.lower() for w in words[1:]]
    return " ".join(out)


def _comment_text(lines: list[cst.EmptyLine]) -> str:
    block: list[str] = []
    for line in lines:
        if line.comment is None:
            block = []  # only the comment block directly above the class counts
            continue
        text = line.comment.value.lstrip("#").strip()
        if text and not text.startswith(("!", "-*-", "type:", "noqa", "pylint", "fmt:")):
            block.append(text)
    return " ".join(block).strip()


def describe_class(node: cst.ClassDef) -> Description:
    """Docstring, leading comments, or the class name split into words (in that order of preference)."""
    doc = node.get_docstring(clean=True)
    if doc and doc.strip():
        return Description(doc.strip(), "docstring")
    leading = list(node.leading_lines)
    for decorator in node.decorators:
        leading.extend(decorator.leading_lines)
    comment = _comment_text(leading)
    if comment:
        return Description(comment, "comment")
    return Description(split_name(node.name.value), "name")


def describe_unit(unit: Unit) -> Description:
    """`describe_class` of a class unit, from its outline when it has one (no libcst parse needed)."""
    found = getattr(unit, "class_outline", None)
    if found is None:
        return describe_class(unit.node)  # type: ignore[arg-type]
    if found.docstring and found.docstring.strip():
        return Description(found.docstring.strip(), "docstring")
    comment = _comment_text([_empty_line(line) for line in found.comment_lines])
    if comment:
        return Description(comment, "comment")
    return Description(split_name(found.name), "name")


def _empty_line(text: str) -> cst.EmptyLine:
    """A blank or comment line as libcst parses it (whitespace, then a comment to the end of the line)."""
    stripped = text.lstrip(" \t")
    return cst.EmptyLine(comment=cst.Comment(stripped) if stripped.startswith("#") else None)
