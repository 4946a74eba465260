"""Shingles: the one definition of "the same text" that MinHash estimates and verification measures.

Tokens are the runs between non-word characters (`re.split(r"\\W+")`), so formatting and punctuation
never matter; shingles are `k` consecutive tokens joined by a space. A text with fewer than `k` tokens
is one shingle of all its tokens, so short snippets still compare.

`shingles()` spells a text's shingles out as bytes (the reference definition). The hot paths never
do: `shingle_prints()` tokenises a whole batch of texts at once in numpy and gives each shingle a 64-bit
fingerprint. A token's hash is a fold of its UTF-8 bytes, 8 at a time, seeded with its length; a
shingle's fingerprint folds its k token hashes in order. Both folds step through
`x -> mix(x ^ word)` with `mix` (multiply by an odd constant, xor-shift) a bijection, so two different
tokens of the same length never get the same hash, and two different shingles whose tokens have the
same lengths never get the same fingerprint; any other pair collides with probability ~2**-64.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

import numpy as np

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ShingleRecipe:
    """How text becomes a set of shingles (recorded in stats.json so a run can be reproduced)."""

    k: int = 5
    lowercase: bool = False

    def describe(self) -> str:
        case = "lowercased, " if self.lowercase else ""
        return (
            f"{case}tokens = re.split(r'\\W+', text) without empties; {self.k}-token shingles joined by ' '"
        )


def tokens(text: str, recipe: ShingleRecipe = ShingleRecipe()) -> list[str]:
    """Word tokens of `text` (the split on non-word characters)."""
    if recipe.lowercase:
        text = text.lower()
    return _WORD.findall(text)  # the same tokens as re.split(r"\W+") minus the empty strings


def shingles(text: str, recipe: ShingleRecipe = ShingleRecipe()) -> set[bytes]:
    """The shingle set of `text`, as UTF-8 bytes (the reference definition; not on any hot path)."""
    toks = tokens(text, recipe)
    k = recipe.k
    if len(toks) < k:
        return {" ".join(toks).encode()} if toks else set()
    joined = " ".join(toks)
    encoded = joined.encode()
    lens = map(len, toks) if joined.isascii() else (len(t.encode()) for t in toks)
    starts = list(accumulate((n + 1 for n in lens), initial=0))
    return {encoded[a : b - 1] for a, b in zip(starts, starts[k:], strict=False)}


# ------------------------------------------------------------------------------- batched fingerprints
_U64 = np.uint64
_TOKEN_MIX = _U64(0xFF51AFD7ED558CCD)
_TOKEN_SHIFT = _U64(29)
_MIX = _U64(0x9E3779B97F4A7C15)
_SHIFT = _U64(31)
# _BYTE_MASK[n] keeps the low n bytes of a little-endian 8-byte word (n = 0..8).
_BYTE_MASK = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
# Python's `\w` is exactly `ch.isalnum() or ch == "_"` (checked over every code point by the tests).
_ASCII_WORD = np.array([chr(c).isalnum() or c == 0x5F for c in range(128)], dtype=bool)
_ASCII_WORD_TABLE = bytes(_ASCII_WORD.astype(np.uint8).tolist() + [0] * 128)  # for bytes.translate


def _word_mask_codepoints(cp: np.ndarray) -> np.ndarray:
    mask = np.zeros(cp.size, dtype=bool)
    low = cp < 128
    mask[low] = _ASCII_WORD[cp[low]]
    high = cp[~low]
    if high.size:
        uniq = np.unique(high)
        is_word = np.fromiter((chr(c).isalnum() for c in uniq.tolist()), dtype=bool, count=uniq.size)
        mask[~low] = is_word[np.searchsorted(uniq, high)]
    return mask


def _edges(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the runs of True in `mask`, which begins and ends with False."""
    edges = np.flatnonzero(mask[1:] != mask[:-1]) + 1
    return edges[0::2], edges[1::2]


def _token_spans(joined: str) -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray]:
    """UTF-8 bytes of `joined` (which starts and ends with a non-word character) and its tokens:
    character starts, byte starts, byte ends."""
    if joined.isascii():
        data = joined.encode("ascii")
        starts, ends = _edges(np.frombuffer(data.translate(_ASCII_WORD_TABLE), dtype=bool))
        return data, starts, starts, ends
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts, ends = _edges(_word_mask_codepoints(cp))
    width = 1 + (cp >= 0x80).astype(np.int64) + (cp >= 0x800) + (cp >= 0x10000)
    byte_at = np.concatenate([[0], np.cumsum(width)])
    data = joined.encode("utf-8", "surrogatepass")
    return data, starts, byte_at[starts], byte_at[ends]


def _token_hashes(data: bytes, bstart: np.ndarray, bend: np.ndarray) -> np.ndarray:
    """64-bit hash of each token data[bstart:bend]: its length, then its bytes 8 at a time, folded."""
    padded = data + bytes(8)
    # Every byte offset read as a little-endian uint64 (a strided view, nothing copied).
    words = np.ndarray((len(data) + 1,), dtype="<u8", buffer=padded, offset=0, strides=(1,))
    length = (bend - bstart).astype(np.uint64)
    acc = length.copy()
    acc ^= words[bstart] & _BYTE_MASK[np.minimum(length, 8)]
    acc *= _TOKEN_MIX
    acc ^= acc >> _TOKEN_SHIFT
    todo = np.flatnonzero(length > 8)
    step = 8
    while todo.size:
        rest = length[todo] - _U64(step)
        word = words[bstart[todo] + step] & _BYTE_MASK[np.minimum(rest, 8)]
        part = (acc[todo] ^ word) * _TOKEN_MIX
        acc[todo] = part ^ (part >> _TOKEN_SHIFT)
        step += 8
        todo = todo[rest > 8]
    return acc


def shingle_prints(
    texts: Sequence[str], recipe: ShingleRecipe = ShingleRecipe()
) -> tuple[np.ndarray, np.ndarray]:
    """(values, offsets): `values[offsets[i]:offsets[i + 1]]` are the 64-bit fingerprints of text i's
    shingles, in window order, repeats kept (so a set-valued consumer must deduplicate). One numpy
    pass over the whole batch; a text without any token has none."""
    n = len(texts)
    if n == 0:
        return np.empty(0, dtype=np.uint64), np.zeros(1, dtype=np.int64)
    if recipe.lowercase:
        texts = [t.lower() for t in texts]
    joined = "\n" + "\n".join(texts) + "\n"  # "\n" is a non-word character: no token crosses rows
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    data, cstart, bstart, bend = _token_spans(joined)
    row_start = np.concatenate([[1], 1 + np.cumsum(lengths + 1)])  # character position of each text
    tok_off = np.searchsorted(cstart, row_start)  # tokens of text i: tok_off[i]:tok_off[i + 1]
    th = _token_hashes(data, bstart, bend)
    n_tok = np.diff(tok_off)
    k = recipe.k
    total = th.size
    padded = np.concatenate([th, np.zeros(k - 1, dtype=np.uint64)])
    acc = np.zeros(total, dtype=np.uint64)
    short = np.flatnonzero((n_tok > 0) & (n_tok < k))  # texts of fewer than k tokens: one shingle
    short_values = np.empty(short.size, dtype=np.uint64)
    for j in range(k):
        acc ^= padded[j : j + total]
        acc *= _MIX
        acc ^= acc >> _SHIFT
        done = n_tok[short] == j + 1
        short_values[done] = acc[tok_off[short[done]]]
    row_of_token = np.repeat(np.arange(n), n_tok)
    keep = np.arange(total) + k <= tok_off[row_of_token + 1]  # the window ends inside its own text
    keep[tok_off[short]] = True
    acc[tok_off[short]] = short_values
    counts = np.where(n_tok >= k, n_tok - k + 1, (n_tok > 0).astype(np.int64))
    offsets = np.concatenate([[0], np.cumsum(counts)])
    return acc[keep], offsets


def fingerprints_many(texts: Sequence[str], recipe: ShingleRecipe = ShingleRecipe()) -> list[np.ndarray]:
    """Sorted unique shingle fingerprints of each text (see `fingerprints`), one batch pass."""
    values, offsets = shingle_prints(texts, recipe)
    return [
        _sorted_unique(values[a:b]) for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)
    ]


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    if values.size > 1:
        fresh = values[1:] != values[:-1]
        if not fresh.all():
            values = values[np.concatenate([[True], fresh])]
    return values


def fingerprints(text: str, recipe: ShingleRecipe = ShingleRecipe()) -> np.ndarray:
    """Sorted unique 64-bit fingerprints of the shingles: a compact exact stand-in for the shingle set.

    Jaccard on fingerprints equals Jaccard on `shingles()` unless two different shingles collide, which
    needs tokens of different lengths and then happens with probability ~2**-64 per pair; a tenth of the
    memory of `set[bytes]`.
    """
    return fingerprints_many([text], recipe)[0]


def intersection_size(a: np.ndarray, b: np.ndarray) -> int:
    """|a & b| for two sorted unique arrays."""
    if a.size > b.size:
        a, b = b, a
    if a.size == 0:
        return 0
    idx = np.searchsorted(b, a)
    idx[idx == b.size] = 0
    return int(np.count_nonzero(b[idx] == a))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """True Jaccard similarity of two fingerprint arrays from `fingerprints` (two empty sets -> 0.0)."""
    if a.size == 0 or b.size == 0:
        return 0.0
    inter = intersection_size(a, b)
    return inter / (a.size + b.size - inter)
