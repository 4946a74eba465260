"""MinHash signatures, datasketch's "affine32" scheme applied to whole batches in numpy.

datasketch is the source of truth for the sketch: the permutations are `MinHash(num_perm, seed,
scheme="affine32").permutations`, and a row's signature is, bit for bit, what `datasketch.MinHash` gives
when it is fed that row's 32-bit shingle hashes one by one (the tests check this). Only the loop is
ours: datasketch's per-row `update_batch` costs a Python call per shingle plus numpy set-up per row,
while here a batch of rows is tokenised and fingerprinted in one numpy pass (`shingles.shingle_prints`)
and the permutations are applied to blocks of a few thousand shingles from many rows at once, each
block min-reduced per row with one `reduceat`. The signatures land in one preallocated (n, num_perm)
uint32 matrix: 100,000 rows cost 100 MB and no Python objects.

A shingle's 32-bit hash (the value datasketch would get from `hashfunc`) is the high half of its 64-bit
verification fingerprint, so one fold serves both.
"""

from __future__ import annotations

import mmap
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version

import numpy as np
from datasketch import MinHash

from builder.dedup.shingles import ShingleRecipe, shingle_prints

SCHEME = "affine32"
_MAX = np.uint32(0xFFFFFFFF)
BATCH_CHARS = 1 << 20  # text per tokenising batch (~700 programs): its temporaries stay ~30 MB
_BLOCK = 8192  # shingles per permutation block: num_perm x 8192 uint32 = 8 MB at 256 permutations
_PARALLEL_MIN_ROWS = 2000


@dataclass(frozen=True, slots=True)
class MinHashParams:
    """Every knob that changes a signature; `describe()` goes into stats.json."""

    num_perm: int = 256
    seed: int = 1
    recipe: ShingleRecipe = field(default_factory=ShingleRecipe)
    # LSH band choice weighs a missed pair 19x a wasted candidate: every candidate is verified by true
    # Jaccard anyway, so extra candidates cost a little time and never a wrong removal. (0.5 would lose
    # ~11% of pairs just above a 0.7 threshold; 0.95 loses <1% for ~40% more candidates.)
    lsh_fn_weight: float = 0.95
    jobs: int = 1  # worker processes for signatures; never changes a value, so not in `describe()`

    def describe(self) -> dict[str, object]:
        return {
            "library": f"datasketch {version('datasketch')}",
            "api": (
                "datasketch MinHash(num_perm, seed, scheme).permutations, its affine32 formula "
                "(fmix32 pre-mix, a*h+b mod 2**32, min) applied to batches of rows in numpy; equal to "
                "MinHash.update per shingle hash"
            ),
            "scheme": SCHEME,
            "num_perm": self.num_perm,
            "seed": self.seed,
            "hash": "32-bit shingle hash = high 32 bits of the shingle's 64-bit fingerprint",
            "fingerprint": (
                "token hash: fold of (length, then UTF-8 bytes 8 at a time, little-endian) through "
                "x -> mix(x ^ w), mix = *0xFF51AFD7ED558CCD, ^>>29; shingle fingerprint: fold of its k "
                "token hashes through x -> mix(x ^ h), mix = *0x9E3779B97F4A7C15, ^>>31, from 0"
            ),
            "shingles": self.recipe.describe(),
            "shingle_size": self.recipe.k,
            "verification": "true Jaccard of shingle sets (their sorted unique 64-bit fingerprints)",
            "lsh_weights": {
                "false_positive": round(1 - self.lsh_fn_weight, 6),
                "false_negative": self.lsh_fn_weight,
            },
        }


DEFAULT_PARAMS = MinHashParams()


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own (a, b) for `num_perm` / `seed` / affine32, as (num_perm, 1) uint32 columns."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    a = np.ascontiguousarray(a, dtype=np.uint32).reshape(-1, 1)
    b = np.ascontiguousarray(b, dtype=np.uint32).reshape(-1, 1)
    a.flags.writeable = b.flags.writeable = False
    return a, b


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, datasketch's affine32 pre-mix (a new array)."""
    h = h.astype(np.uint32, copy=True)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def shingle_hashes32(values: np.ndarray) -> np.ndarray:
    """The 32-bit hash datasketch is fed for each 64-bit shingle fingerprint (its high half)."""
    return (values >> np.uint64(32)).astype(np.uint32)


def minhash_rows(hashes: np.ndarray, offsets: np.ndarray, out: np.ndarray, num_perm: int, seed: int) -> None:
    """Lower `out[i]` (uint32, num_perm wide) to the affine32 MinHash of `hashes[offsets[i]:offsets[i+1]]`
    (32-bit input hashes, before the pre-mix), for every row i; rows without hashes keep their values."""
    a, b = permutations(num_perm, seed)
    mixed = fmix32(hashes)
    total = mixed.size
    row_starts = offsets[:-1][np.diff(offsets) > 0]  # rows with at least one hash, by first position
    buf = np.empty((num_perm, min(_BLOCK, max(total, 1))), dtype=np.uint32)
    for lo in range(0, total, _BLOCK):
        hi = min(lo + _BLOCK, total)
        block = buf[:, : hi - lo]
        np.multiply(a, mixed[None, lo:hi], out=block)
        block += b
        first, last = np.searchsorted(row_starts, [lo, hi])
        cuts = row_starts[first:last]
        if not (cuts.size and cuts[0] == lo):  # the block starts inside a row begun in the last one
            cuts = np.concatenate([[lo], cuts])
        rows = np.searchsorted(offsets, cuts, side="right") - 1
        mins = np.minimum.reduceat(block, cuts - lo, axis=1)
        out[rows] = np.minimum(out[rows], mins.T)


def _batches(texts: Sequence[str], lo: int, hi: int) -> list[tuple[int, int]]:
    spans, start, chars = [], lo, 0
    for i in range(lo, hi):
        chars += len(texts[i])
        if chars >= BATCH_CHARS:
            spans.append((start, i + 1))
            start, chars = i + 1, 0
    if start < hi:
        spans.append((start, hi))
    return spans


def _fill(texts: Sequence[str], lo: int, hi: int, params: MinHashParams, out: np.ndarray) -> None:
    for a, b in _batches(texts, lo, hi):
        values, offsets = shingle_prints(texts[a:b], params.recipe)
        minhash_rows(shingle_hashes32(values), offsets, out[a:b], params.num_perm, params.seed)


def signatures(texts: Sequence[str], params: MinHashParams = DEFAULT_PARAMS) -> np.ndarray:
    """An (n, num_perm) uint32 matrix: row i is the MinHash of `texts[i]`'s shingle set.

    A text without any token keeps the all-max "empty" signature; callers must not pair it with others
    (see `lsh.candidate_pairs`, which skips empty rows). With `params.jobs > 1`, contiguous ranges of
    rows (equal shares of the text) are hashed by forked workers straight into a shared matrix, this
    process taking the last share; the matrix is identical to the single-process one.
    """
    n = len(texts)
    jobs = min(params.jobs, max(1, n // (_PARALLEL_MIN_ROWS // 2)))
    if params.jobs <= 1 or n < _PARALLEL_MIN_ROWS or jobs <= 1:
        out = np.full((n, params.num_perm), _MAX, dtype=np.uint32)
        _fill(texts, 0, n, params, out)
        return out
    shared = mmap.mmap(-1, max(n * params.num_perm * 4, 1))  # MAP_SHARED: the workers write into it
    out = np.frombuffer(shared, dtype=np.uint32, count=n * params.num_perm).reshape(n, params.num_perm)
    out.fill(_MAX)
    cuts = _shares(texts, jobs)
    ctx = multiprocessing.get_context("fork")
    workers = [
        ctx.Process(target=_fill, args=(texts, cuts[j], cuts[j + 1], params, out), daemon=True)
        for j in range(jobs - 1)
    ]
    for w in workers:
        w.start()
    try:
        _fill(texts, cuts[-2], cuts[-1], params, out)
    finally:
        for w in workers:
            w.join()
    failed = [w.exitcode for w in workers if w.exitcode != 0]
    if failed:
        raise RuntimeError(f"signature worker(s) failed with exit code(s) {failed}")
    return out


def _shares(texts: Sequence[str], jobs: int) -> list[int]:
    """Row cuts 0 = c0 < c1 < ... < c_jobs = n splitting the text into about equal character counts."""
    chars = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    targets = chars[-1] * np.arange(1, jobs) / jobs
    inner = np.searchsorted(chars, targets, side="right").tolist()
    cuts = [0]
    for c in inner:
        cuts.append(min(max(c, cuts[-1] + 1), len(texts) - (jobs - len(cuts))))
    return [*cuts, len(texts)]


def empty_rows(sigs: np.ndarray) -> np.ndarray:
    """Boolean mask of rows whose signature is the empty sentinel (no shingles)."""
    mask = sigs[:, 0] == _MAX if sigs.ndim == 2 and sigs.shape[1] else np.ones(len(sigs), dtype=bool)
    maybe = np.flatnonzero(mask)  # only these can be all-max: check them in full
    if maybe.size:
        mask[maybe] = np.all(sigs[maybe] == _MAX, axis=1)
    return mask
