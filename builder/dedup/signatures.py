"""One MinHash signature per distinct program text of a build, computed once and shared.

Overlap, split clustering, decontamination, each config's near-dup and `--against` all ask "which of
these programs are near-duplicates at threshold t?". The signature of a text does not depend on t, so
the index computes it once per distinct text (and the shingle fingerprints used for verification once,
when first needed); each query is LSH banding at t over the stored rows, then true-Jaccard verification.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from builder.dedup.lsh import candidate_pairs, lsh_params
from builder.dedup.minhash import BATCH_CHARS, DEFAULT_PARAMS, MinHashParams, signatures
from builder.dedup.shingles import fingerprints_many, intersection_size


@dataclass(frozen=True, slots=True)
class Pair:
    """Two items (indices into the caller's key list, i < j) and their true shingle Jaccard."""

    i: int
    j: int
    jaccard: float


@dataclass(frozen=True, slots=True)
class PairSearch:
    """Verified pairs plus the counts that explain them (candidates checked, candidates rejected)."""

    pairs: list[Pair]
    candidates: int
    bands: int
    rows_per_band: int
    seconds: dict[str, float]


class SignatureIndex:
    """Signatures (and verification fingerprints) by text; `add` computes only the missing ones."""

    def __init__(self, params: MinHashParams = DEFAULT_PARAMS) -> None:
        self.params = params
        self._row: dict[str, int] = {}
        self._codes: list[str] = []
        self._blocks: list[np.ndarray] = []
        self._matrix: np.ndarray | None = None
        self._prints: dict[int, np.ndarray] = {}
        self.computed = 0  # signatures computed so far (each key once)

    def add(self, texts: Iterable[str]) -> None:
        """Index the texts not indexed yet (in one batch)."""
        fresh: list[str] = []
        for text in texts:
            if text not in self._row:
                self._row[text] = len(self._codes) + len(fresh)
                fresh.append(text)
        if not fresh:
            return
        self._codes.extend(fresh)
        self._blocks.append(signatures(fresh, self.params))
        self._matrix = None
        self.computed += len(fresh)

    def _sigs(self) -> np.ndarray:
        if self._matrix is None:
            if len(self._blocks) == 1:
                self._matrix = self._blocks[0]
            elif self._blocks:
                self._matrix = np.concatenate(self._blocks)
            else:
                self._matrix = np.empty((0, self.params.num_perm), dtype=np.uint32)
            self._blocks = [self._matrix]
        return self._matrix

    def _fingerprints(self, rows: Iterable[int]) -> dict[int, np.ndarray]:
        """Verification fingerprints of `rows` (index rows), computing the missing ones in one batch."""
        missing = sorted({r for r in rows if r not in self._prints})
        chunk: list[int] = []
        chars = 0
        for r in missing:  # batches of ~1M characters, like the signatures: bounded temporaries
            chunk.append(r)
            chars += len(self._codes[r])
            if chars >= BATCH_CHARS or r == missing[-1]:
                found = fingerprints_many([self._codes[k] for k in chunk], self.params.recipe)
                self._prints.update(zip(chunk, found, strict=True))
                chunk, chars = [], 0
        return self._prints

    def pairs(
        self, texts: Sequence[str], threshold: float, *, sides: Sequence[int] | None = None
    ) -> PairSearch:
        """All pairs of `texts` (indices into it, i < j) with true shingle Jaccard >= threshold, as LSH
        finds them; with `sides`, only pairs whose labels differ (the cross-set query). Texts not yet
        indexed are added first."""
        self.add(texts)
        bands, rows = lsh_params(threshold, self.params.num_perm, self.params.lsh_fn_weight)
        t0 = time.perf_counter()
        index_rows = np.fromiter((self._row[t] for t in texts), dtype=np.int64, count=len(texts))
        sigs = self._sigs()
        everything = index_rows.size == sigs.shape[0] and np.array_equal(
            index_rows, np.arange(index_rows.size)
        )
        cands = candidate_pairs(sigs if everything else sigs[index_rows], bands, rows)
        if sides is not None and cands.size:
            side = np.asarray(sides)
            cands = cands[side[cands[:, 0]] != side[cands[:, 1]]]
        t1 = time.perf_counter()
        found = []
        if cands.size:
            pair_rows = index_rows[cands]
            prints = self._fingerprints(pair_rows.ravel().tolist())
            for (i, j), (a, b) in zip(cands.tolist(), pair_rows.tolist(), strict=True):
                if a == b:
                    found.append(Pair(i, j, 1.0))
                    continue
                pa, pb = prints[a], prints[b]
                if not (pa.size and pb.size):
                    continue
                # Jaccard <= min(|A|, |B|) / max(|A|, |B|) (and so is its rounded quotient): skip unread
                small, large = sorted((pa.size, pb.size))
                if small / large < threshold:
                    continue
                inter = intersection_size(pa, pb)
                sim = inter / (pa.size + pb.size - inter)
                if sim >= threshold:
                    found.append(Pair(i, j, round(sim, 6)))
        t2 = time.perf_counter()
        seconds = {"lsh": round(t1 - t0, 3), "verify": round(t2 - t1, 3)}
        return PairSearch(found, int(cands.shape[0]), bands, rows, seconds)


def similar_pairs(
    texts: Sequence[str],
    threshold: float,
    params: MinHashParams = DEFAULT_PARAMS,
    *,
    sides: Sequence[int] | None = None,
) -> PairSearch:
    """The same query over throwaway texts (e.g. descriptions, with their own shingle recipe)."""
    return SignatureIndex(params).pairs(texts, threshold, sides=sides)
