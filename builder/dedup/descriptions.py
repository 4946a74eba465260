"""Description-aware rules: alternative solutions, and pairs whose description does not fit the code.

Answers the design question "what is a duplicate when descriptions and code disagree?":
- near-identical descriptions, different code -> alternative solutions: all kept in `clean`, the best
  one (same survivor order as near-dup) kept in `dedup-strict` (`one_per_description`);
- the same code under several descriptions -> one row, the others in `alt_descriptions` (exact dedup);
- a description sharing no content word with the code's identifiers, strings and class name, or one
  program carrying several mutually dissimilar descriptions -> `suspect_pair` (`flag_suspects`):
  flagged in `clean`, dropped from `dedup-strict`.

Words are compared after splitting camelCase / snake_case, lowercasing and truncating to 5 characters
(so "rotating", "rotation" and "Rotate" meet), without English stop words and without words that say
nothing about one scene in particular ("scene", "animation", "create", ...) or that appear in a large
share of the batch's programs.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations

from builder import guard
from builder.dedup.clusters import components
from builder.dedup.minhash import MinHashParams
from builder.dedup.near import survivor_key
from builder.dedup.shingles import ShingleRecipe
from builder.dedup.signatures import similar_pairs
from builder.quality import description_quality, normalise_description
from builder.schema import Drop, Record

STEM = 5
WEAK_SOURCES = frozenset({"name", "missing"})  # description sources that are not requests a person wrote
_WORD = re.compile(r"[A-Za-z]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
_STOP = frozenset(
    """a an the and or of to in on at by for with from into onto as is are be been being it its this that
    these those then than there their them they we you your our us i me my he she his her which what when
    where who whom how why while after before during over under above below up down out off again each
    every all any both few more most other some such no nor not only own same so too very can will just
    should would could may might must shall do does did done have has had having make makes made let lets
    using use uses used also one two first second next finally appear appears appearing show shows shown
    display displays displayed screen scene scenes animation animations animate animated create creates
    created creating manim code python class construct self play wait object objects mobject mobjects
    render rendered video frame add adds added new set sets text""".split()
)


def _stem(word: str) -> str:
    word = word.lower()
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]  # plural: "lines" meets "line" even below the truncation length
    return word[:STEM]


def _words(text: str) -> Iterable[str]:
    for chunk in _WORD.findall(text):
        for part in _CAMEL.findall(chunk):
            if len(part) >= 3 and part.lower() not in _STOP:
                yield _stem(part)


def description_words(text: str) -> frozenset[str]:
    """Content-word stems of a description."""
    return frozenset(_words(text))


def code_words(code: str) -> frozenset[str]:
    """Content-word stems of the names, attributes, keywords, class names and strings a program uses.

    Comments are ignored (they are prose, not evidence). Code that does not parse falls back to all
    word runs in it.
    """
    try:
        tree = guard.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset(_words(code))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, ast.Attribute):
            found.append(node.attr)
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            found.append(node.name)
        elif isinstance(node, ast.keyword) and node.arg:
            found.append(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node.value)
        elif isinstance(node, ast.alias):
            found.append(node.asname or node.name)
    return frozenset(w for text in found for w in _words(text))


def generic_words(codes: Sequence[frozenset[str]], share: float = 0.25, min_rows: int = 40) -> frozenset[str]:
    """Stems present in at least `share` of the programs: they cannot tell one scene from another."""
    if len(codes) < min_rows:
        return frozenset()
    counts = Counter(w for words in codes for w in words)
    return frozenset(w for w, c in counts.items() if c >= share * len(codes))


def word_jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True, slots=True)
class SuspectParams:
    """Thresholds of the two suspect rules (measured on deliberately mismatched ManimBench pairs)."""

    generic_share: float = 0.2  # a stem in this share of programs is generic
    disagree_below: float = 0.1  # descriptions of one program this dissimilar (content-word Jaccard) disagree
    min_description_words: int = 2  # fewer content words than this: too little evidence to accuse


@dataclass(frozen=True, slots=True)
class Suspicion:
    id: str
    rule: str  # "no-shared-words" | "descriptions-disagree"
    detail: str


def suspicion(
    rec: Record, generic: frozenset[str] = frozenset(), params: SuspectParams = SuspectParams()
) -> Suspicion | None:
    """Why this row's description looks unrelated to its code, or None."""
    code = code_words(rec.code) - generic
    descs = [rec.description, *rec.alt_descriptions]
    words = [description_words(d) - generic for d in descs]
    if len(words[0]) >= params.min_description_words and code and not (words[0] & code):
        return Suspicion(rec.id, "no-shared-words", f"description shares none of {len(code)} code words")
    distinct = [
        w for w in {normalise_description(d): w for d, w in zip(descs, words, strict=True)}.values() if w
    ]
    if len(distinct) >= 2 and all(
        word_jaccard(a, b) < params.disagree_below for a, b in combinations(distinct, 2)
    ):
        return Suspicion(rec.id, "descriptions-disagree", f"{len(distinct)} mutually dissimilar descriptions")
    return None


def agreement(
    description: str, code: frozenset[str], generic: frozenset[str] = frozenset(), min_words: int = 2
) -> float | None:
    """Share of the description's content words that the code uses (0-1); None below `min_words`
    content words (too little evidence either way). 0 is the "shares no content word" rule."""
    words = description_words(description) - generic
    if len(words) < min_words or not code:
        return None
    return round(len(words & code) / len(words), 4)


def rank_key(score: float | None, text: str) -> tuple[float, float]:
    """Sort key of a description, best first: agreement (unknown counts as half), then quality."""
    return (-(0.5 if score is None else score), -description_quality(text))


def score_descriptions(
    records: Sequence[Record], params: SuspectParams = SuspectParams()
) -> tuple[list[Record], frozenset[str]]:
    """Every row with its `agreement` set and its alt_descriptions ordered best-agreeing first; and the
    batch's generic words (stems too common to count as evidence)."""
    vocab = {r.id: code_words(r.code) for r in records}
    generic = generic_words(list(vocab.values()), params.generic_share)
    out = []
    for rec in records:
        code = vocab[rec.id] - generic
        alts = sorted(
            rec.alt_descriptions,
            key=lambda d: rank_key(agreement(d, code, generic, params.min_description_words), d),
        )
        score = agreement(rec.description, code, generic, params.min_description_words)
        out.append(replace(rec, agreement=score, alt_descriptions=alts))
    return out, generic


def flag_suspects(
    records: Sequence[Record], params: SuspectParams = SuspectParams()
) -> tuple[list[Record], list[Suspicion]]:
    """Set `agreement` and `suspect_pair` on every row (alt_descriptions best-agreeing first); returns the
    rows (same order) and the reasons of those accused."""
    scored, generic = score_descriptions(records, params)
    out: list[Record] = []
    found: list[Suspicion] = []
    for rec in scored:
        why = suspicion(rec, generic, params)
        if why is not None:
            found.append(why)
        out.append(
            replace(rec, suspect_pair=why is not None) if (why is not None) != rec.suspect_pair else rec
        )
    return out, found


@dataclass(frozen=True, slots=True)
class Pruned:
    kept: list[Record]
    dropped: list[Drop]
    descriptions_dropped: int  # wrong descriptions removed from rows that stay
    promoted: int  # rows whose main description was replaced by a better-agreeing one


def drop_suspects(
    records: Sequence[Record], params: SuspectParams = SuspectParams(), keep_ratio: float = 0.34
) -> Pruned:
    """The `dedup-strict` rule: a program keeps its descriptions that match its code and loses the rest.

    A description matches when it has too few content words to judge, or shares content words with the
    code and scores at least `keep_ratio` of the row's best description. The best-agreeing description
    becomes the main one. A row leaves as `suspect-pair` only when none of its descriptions matches.
    """
    scored, generic = score_descriptions(records, params)
    kept: list[Record] = []
    dropped: list[Drop] = []
    removed = promoted = 0
    for rec in scored:
        code = code_words(rec.code) - generic
        texts = [rec.description, *rec.alt_descriptions]
        scores = [agreement(d, code, generic, params.min_description_words) for d in texts]
        best = max((s for s in scores if s is not None), default=None)
        good = [
            (s, i)
            for i, s in enumerate(scores)
            if s is None or (s > 0 and best is not None and s >= keep_ratio * best)
        ]
        if not good:
            dropped.append(Drop(rec.id, "suspect-pair", "no description shares a content word with the code"))
            continue
        ranked = sorted(good, key=lambda si: (*rank_key(si[0], texts[si[1]]), si[1]))
        top_score, top = ranked[0]
        main = 0 if any(i == 0 for _, i in good) and scores[0] == top_score else top  # ties keep the main
        removed += len(texts) - len(good)
        promoted += main != 0
        alts = [texts[i] for _, i in ranked if i != main]
        kept.append(
            replace(
                rec,
                description=texts[main],
                alt_descriptions=alts,
                agreement=scores[main],
                suspect_pair=False,
            )
        )
    return Pruned(kept, dropped, removed, promoted)


DESCRIPTION_RECIPE = ShingleRecipe(k=1, lowercase=True)


def one_per_description(records: Sequence[Record], threshold: float = 0.9) -> tuple[list[Record], list[Drop]]:
    """Keep the best row among near-identical descriptions (alternative solutions); log the rest.

    Descriptions are near-identical when their lowercased word sets have Jaccard >= threshold (found
    with the same MinHash LSH as code near-dup, verified exactly); groups are transitive.
    """
    ordered = sorted(records, key=lambda r: r.id)
    if len(ordered) < 2:
        return list(ordered), []
    search = similar_pairs(
        [r.description for r in ordered], threshold, MinHashParams(recipe=DESCRIPTION_RECIPE)
    )
    sim = {(p.i, p.j): p.jaccard for p in search.pairs}
    drop: dict[int, tuple[int, float]] = {}
    for group in components(len(ordered), sim):
        best = min(group, key=lambda k: survivor_key(ordered[k]))
        for k in group:
            if k != best:
                drop[k] = (best, sim.get((min(k, best), max(k, best)), threshold))
    kept = [r for k, r in enumerate(ordered) if k not in drop]
    return kept, [
        Drop(ordered[k].id, "alternative-solution", duplicate_of=ordered[best].id, similarity=s)
        for k, (best, s) in sorted(drop.items())
    ]


RULES_MARKDOWN = """\
### When descriptions and code disagree

| case | example | `clean` | `dedup-strict` |
|---|---|---|---|
| same program, different descriptions | "Draw a red square" and "Show a red square appearing" on one program | one row, the other description in `alt_descriptions` | same |
| near-identical descriptions, different programs | two solutions to "Animate a bouncing ball" | both rows (alternative solutions) | the best row only (`alternative-solution`) |
| description shares no content word with the program's names, strings or class name | "Plot the graph of sin(x)" on a program that only builds a `Matrix` | kept, `suspect_pair = true` | dropped (`suspect-pair`) |
| one program under several mutually dissimilar descriptions | one orbit program under "Orbit of a moon", "Sort a list of bars" and "Fade in a title" | kept, `suspect_pair = true` | dropped (`suspect-pair`) |

"Best" is the highest source priority, then the deepest validation stage passed, then description quality,
then the smallest id. Suspect detection was measured on ManimBench pairs mismatched on purpose: precision
0.99 (recall 0.60) for "shares no content word", precision 1.0 (recall 0.90) for "dissimilar descriptions".
"""
