"""Exact dedup on normalised code: comments, docstrings and formatting do not make a program new."""

from __future__ import annotations

import dis
import hashlib
import types
from collections import defaultdict
from dataclasses import replace

from builder.dedup.descriptions import WEAK_SOURCES, agreement, code_words, rank_key
from builder.dedup.strong import strong_canonical_code
from builder.quality import description_quality, normalise_description
from builder.schema import Drop, Record

_NOP = dis.opmap["NOP"]


def _feed(co: types.CodeType, h) -> None:
    """Hash what a code object does, not where its lines were: bytecode, names, constants."""
    code = co.co_code  # a docstring leaves a NOP where it stood: drop NOPs (2-byte code units)
    h.update(b"".join(code[i : i + 2] for i in range(0, len(code), 2) if code[i] != _NOP))
    h.update(
        "\0".join((co.co_name, *co.co_names, *co.co_varnames, *co.co_freevars, *co.co_cellvars)).encode()
    )
    for const in co.co_consts:
        if isinstance(const, types.CodeType):
            _feed(const, h)
        else:
            h.update(_const(const).encode())


def _const(value: object) -> str:
    """A constant's text, independent of hash randomisation (frozensets are sorted)."""
    if isinstance(value, frozenset):
        return "frozenset(" + ",".join(sorted(map(_const, value))) + ")"
    if isinstance(value, tuple):
        return "(" + ",".join(map(_const, value)) + ")"
    return f"{type(value).__name__}:{value!r}"


def exact_key(code: str, *, strong: bool = False) -> str:
    """Hash of the canonical form; equal keys mean the same program.

    The canonical form is the compiled bytecode with docstrings stripped (`optimize=2`) and line
    numbers ignored, so comments, docstrings and formatting do not count; it is several times faster
    than dumping the AST. (`optimize=2` also drops `assert`s: programs that differ only in asserts
    count as one.) `strong=True` also forgets the program's own names and literal values
    (builder.dedup.strong).
    """
    if strong:
        return hashlib.sha256(strong_canonical_code(code).encode()).hexdigest()
    try:
        compiled = compile(code, "<exact-key>", "exec", dont_inherit=True, optimize=2)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return hashlib.sha256(code.strip().encode()).hexdigest()
    h = hashlib.sha256()
    _feed(compiled, h)
    return h.hexdigest()


def survivor_order(rec: Record) -> tuple:
    """Sort key: the first record of a group survives (priority, then description, then smallest id)."""
    return (-rec.priority, -description_quality(rec.description), rec.id)


def _descriptions(members: list[Record]) -> tuple[str, str, list[str]]:
    """The group's description (the best-agreeing real one), its source, and the others best first.

    Real descriptions (from a dataset, docstring or comment) come before weak ones (a class name, none);
    among them, the one whose content words the code uses most, then the more specific one.
    """
    vocab = code_words(members[0].code)
    found: dict[str, tuple[str, str]] = {}  # normalised -> (text, source), first copy in survivor order
    for rec in members:
        for text, src in (
            (rec.description, rec.description_source),
            *((a, "dataset") for a in rec.alt_descriptions),
        ):
            if text.strip():
                found.setdefault(normalise_description(text), (text, src))
    if not found:
        return members[0].description, members[0].description_source, []
    ranked = sorted(
        found.values(),
        key=lambda ts: (ts[1] in WEAK_SOURCES, *rank_key(agreement(ts[0], vocab), ts[0])),
    )
    return ranked[0][0], ranked[0][1], [text for text, _ in ranked[1:]]


def merge_exact(records: list[Record], *, strong: bool = False) -> tuple[list[Record], list[Drop]]:
    """One record per canonical program; the others are dropped naming the survivor they duplicate.

    Differing descriptions of the copies move into the survivor's `alt_descriptions`. If any copy
    comes from a source's test split, the survivor is pinned to test, so copies never straddle splits.
    `strong=True` groups by the stronger key (names and literals forgotten); `dedup_key` keeps the
    plain key, and copies that only the strong key joins are dropped as `duplicate:exact-strong`.
    """
    groups: dict[str, list[Record]] = defaultdict(list)
    for rec in records:
        key = rec.dedup_key or exact_key(rec.code)
        groups[exact_key(rec.code, strong=True) if strong else key].append(replace(rec, dedup_key=key))
    survivors: list[Record] = []
    dropped: list[Drop] = []
    for key in sorted(groups, key=lambda k: min(r.id for r in groups[k])):
        members = sorted(groups[key], key=survivor_order)
        best = members[0]
        main, source, alts = _descriptions(members) if len(members) > 1 else (best.description, None, None)
        in_test = any((m.pinned_split or m.source_split) == "test" for m in members)
        survivors.append(
            replace(
                best,
                description=main,
                description_source=source or best.description_source,
                alt_descriptions=best.alt_descriptions if alts is None else alts,
                cluster_id=best.id,
                cluster_size=len(members),
                pinned_split="test" if in_test else best.pinned_split,
            )
        )
        dropped.extend(
            Drop(
                m.id,
                "duplicate:exact" if m.dedup_key == best.dedup_key else "duplicate:exact-strong",
                duplicate_of=best.id,
                similarity=1.0,
            )
            for m in members[1:]
        )
    return survivors, dropped
