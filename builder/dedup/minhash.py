"""MinHash signatures with datasketch's bulk API and xxhash, into one dense uint32 matrix.

`MinHash.generator` reuses one set of permutations for every row (no per-row permutation set-up) and
hashes a row's shingles in one vectorised `update_batch`; xxh32 replaces the default SHA-1. Each row's
256 values go into a preallocated matrix, so 100,000 rows cost 100 MB and no Python objects.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version

import numpy as np
import xxhash
from datasketch import MinHash

from builder.dedup.shingles import ShingleRecipe, shingles

SCHEME = "affine32"


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
            "api": "MinHash.generator (bulk)",
            "scheme": SCHEME,
            "num_perm": self.num_perm,
            "seed": self.seed,
            "hash": f"xxh32 (xxhash {xxhash.VERSION}, seed 0)",
            "shingles": self.recipe.describe(),
            "shingle_size": self.recipe.k,
            "verification": "true Jaccard of shingle sets (64-bit fingerprints: xxh3_64 per token, folded per window)",
            "lsh_weights": {
                "false_positive": round(1 - self.lsh_fn_weight, 6),
                "false_negative": self.lsh_fn_weight,
            },
        }


DEFAULT_PARAMS = MinHashParams()


def _shingle_lists(texts: Iterable[str], recipe: ShingleRecipe) -> Iterable[list[bytes]]:
    for text in texts:
        yield list(shingles(text, recipe))


def signatures(texts: Sequence[str], params: MinHashParams = DEFAULT_PARAMS) -> np.ndarray:
    """An (n, num_perm) uint32 matrix: row i is the MinHash of `texts[i]`'s shingle set.

    A text without any token keeps the all-max "empty" signature; callers must not pair it with others
    (see `lsh.candidate_pairs`, which skips empty rows). With `params.jobs > 1` contiguous chunks are
    hashed in forked worker processes; the matrix is identical to the single-process one.
    """
    if params.jobs > 1 and len(texts) >= 2000:
        step = -(-len(texts) // params.jobs)
        chunks = [list(texts[i : i + step]) for i in range(0, len(texts), step)]
        with multiprocessing.get_context("fork").Pool(params.jobs) as pool:
            parts = pool.starmap(_signatures_one_process, [(chunk, params) for chunk in chunks])
        return np.concatenate(parts)
    return _signatures_one_process(texts, params)


def _signatures_one_process(texts: Sequence[str], params: MinHashParams) -> np.ndarray:
    out = np.empty((len(texts), params.num_perm), dtype=np.uint32)
    gen = MinHash.generator(
        _shingle_lists(texts, params.recipe),
        num_perm=params.num_perm,
        seed=params.seed,
        hashfunc=xxhash.xxh32_intdigest,
        scheme=SCHEME,
    )
    for i, mh in enumerate(gen):
        out[i] = mh.hashvalues
    return out


def empty_rows(sigs: np.ndarray) -> np.ndarray:
    """Boolean mask of rows whose signature is the empty sentinel (no shingles)."""
    return np.all(sigs == np.iinfo(np.uint32).max, axis=1)
