"""LSH banding over a signature matrix: which row pairs are worth verifying.

The band count and width come from datasketch's own optimiser (`MinHashLSH(threshold, num_perm)`),
so the false-positive / false-negative trade-off is exactly datasketch's. The index itself is a
sort per band over a 64-bit digest of the band's values instead of a dict of bytes per band: the same
buckets (a digest collision only adds a candidate, and every candidate is verified by true Jaccard
afterwards), a tenth of the memory, and no dependence on insertion order.
`candidate_pairs_datasketch` builds the same candidates with `MinHashLSH` for cross-checking.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np
from datasketch import MinHash, MinHashLSH

from builder.dedup.minhash import SCHEME, empty_rows

# Buckets bigger than this pair every member with the first MAX_BUCKET members only (a star, not a
# clique), which keeps the candidate count linear for pathological buckets of near-identical rows.
MAX_BUCKET = 500

_MIX = np.uint64(0x9E3779B97F4A7C15)


@lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int, fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows per band) minimising datasketch's weighted FP + FN probability at `threshold`."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"near-dup threshold must be in (0, 1], got {threshold!r}")
    if not 0.0 <= fn_weight <= 1.0:
        raise ValueError(f"false-negative weight must be in [0, 1], got {fn_weight!r}")
    fp_weight = round(1.0 - fn_weight, 12)
    index = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(fp_weight, 1.0 - fp_weight))
    return index.b, index.r


def _band_digests(band: np.ndarray) -> np.ndarray:
    """One uint64 per row for an (n, r) uint32 band: a multiply-xorshift fold of its values."""
    acc = np.zeros(band.shape[0], dtype=np.uint64)
    for j in range(band.shape[1]):
        acc = (acc ^ band[:, j].astype(np.uint64)) * _MIX
        acc ^= acc >> np.uint64(29)
    return acc


def _bucket_pairs(members: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Every pair (members[p], members[q]), p < q, inside each bucket members[s : s + size]."""
    total = int(sizes.sum())
    within = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)  # position in its bucket
    pos = np.repeat(starts, sizes) + within
    after = np.repeat(sizes, sizes) - within - 1  # partners: the members after it in its bucket
    left = np.repeat(pos, after)
    right = left + 1 + np.arange(int(after.sum())) - np.repeat(np.cumsum(after) - after, after)
    return np.stack([members[left], members[right]], axis=1)


def candidate_pairs(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Sorted unique (i, j) row pairs, i < j, that share at least one band; shape (m, 2), int64.

    Rows with an empty signature (no shingles) are never paired.
    """
    n = sigs.shape[0]
    live = np.flatnonzero(~empty_rows(sigs)) if n else np.empty(0, dtype=np.int64)
    keys: list[np.ndarray] = []
    for b in range(bands):
        digests = _band_digests(sigs[live, b * rows : (b + 1) * rows])
        order = np.argsort(digests, kind="stable")  # stable: a bucket's members stay in row order
        sorted_d = digests[order]
        starts = np.flatnonzero(np.r_[True, sorted_d[1:] != sorted_d[:-1]])
        sizes = np.diff(np.r_[starts, sorted_d.size])
        multi = sizes > 1
        if not multi.any():
            continue
        members = live[order]
        normal = multi & (sizes <= MAX_BUCKET)
        found = [_bucket_pairs(members, starts[normal], sizes[normal])]
        for k in np.flatnonzero(sizes > MAX_BUCKET).tolist():
            bucket = members[starts[k] : starts[k] + sizes[k]].tolist()
            hubs = bucket[:MAX_BUCKET]
            star = list(combinations(hubs, 2)) + [(h, m) for m in bucket[MAX_BUCKET:] for h in hubs]
            found.append(np.asarray(star, dtype=np.int64).reshape(-1, 2))
        pairs = np.concatenate(found)
        keys.append(pairs[:, 0] * n + pairs[:, 1])
    if not keys:
        return np.empty((0, 2), dtype=np.int64)
    unique = np.unique(np.concatenate(keys))
    return np.stack([unique // n, unique % n], axis=1)


def candidate_pairs_datasketch(sigs: np.ndarray, bands: int, rows: int, seed: int = 1) -> np.ndarray:
    """The same candidates through datasketch's `MinHashLSH` insert/query (slow; for cross-checks)."""
    n, num_perm = sigs.shape
    index = MinHashLSH(num_perm=num_perm, params=(bands, rows))
    template = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME)
    sketches = [
        MinHash(seed=seed, hashvalues=sigs[i], permutations=template.permutations, scheme=SCHEME)
        for i in range(n)
    ]
    live = [i for i in range(n) if not sketches[i].is_empty()]
    for i in live:
        index.insert(i, sketches[i])
    pairs = {(min(i, j), max(i, j)) for i in live for j in index.query(sketches[i]) if j != i}
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    return np.asarray(sorted(pairs), dtype=np.int64)
