"""Cross-source overlap before dedup: how many rows of source A also exist (exactly or nearly) in B.

Computed once on all cleaned rows, before any row is dropped, so it shows how much each source adds.
Cell [A][B] counts rows of A that have at least one duplicate in B; the diagonal counts rows of A with
another copy inside A. Near counts include exact ones. Near-dup runs on one code per exact key, so a
program copied a hundred times costs one signature.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.dedup.exact import exact_key
from builder.dedup.signatures import SignatureIndex
from builder.schema import Record


@dataclass(frozen=True, slots=True)
class OverlapMatrix:
    sources: list[str]
    rows: dict[str, int]
    exact: dict[str, dict[str, int]]
    near: dict[str, dict[str, int]] | None
    near_threshold: float | None

    def to_stats(self) -> dict[str, object]:
        """The stats.json form."""
        return {
            "sources": self.sources,
            "rows": self.rows,
            "exact": self.exact,
            "near": self.near,
            "near_threshold": self.near_threshold,
        }

    def to_markdown(self, kind: str = "exact") -> str:
        """A markdown table: row = source A, column = source B, cell = 'count (percent of A)'."""
        cells = self.exact if kind == "exact" else self.near
        if cells is None:
            raise ValueError(f"no {kind} overlap was computed")
        head = "| rows of \\ with a copy in | " + " | ".join(self.sources) + " |"
        lines = [head, "|---|" + "---:|" * len(self.sources)]
        for a in self.sources:
            row = []
            for b in self.sources:
                n = cells[a][b]
                row.append(f"{n} ({100 * n / self.rows[a]:.0f}%)" if self.rows[a] else "0")
            lines.append(f"| {a} | " + " | ".join(row) + " |")
        return "\n".join(lines)


def overlap_matrix(
    records: Sequence[Record], near_threshold: float | None = 0.7, index: SignatureIndex | None = None
) -> OverlapMatrix:
    """Exact and (if `near_threshold`) near overlap between every pair of sources."""
    sources = sorted({r.source for r in records})
    rows = {s: 0 for s in sources}
    by_key: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    code_of: dict[str, str] = {}
    rec_keys: list[tuple[str, str]] = []
    for r in sorted(records, key=lambda r: r.id):
        key = r.dedup_key or exact_key(r.code)
        by_key[key][r.source] += 1
        code_of.setdefault(key, r.code)
        rows[r.source] += 1
        rec_keys.append((r.source, key))

    def has_copy(a: str, b: str, key: str) -> bool:
        n = by_key[key].get(b, 0)
        return n > (1 if a == b else 0)

    exact = {a: {b: 0 for b in sources} for a in sources}
    for a, key in rec_keys:
        for b in sources:
            exact[a][b] += has_copy(a, b, key)
    near = None
    if near_threshold is not None:
        keys = sorted(by_key)
        search = (index or SignatureIndex()).pairs([code_of[k] for k in keys], near_threshold)
        near_sources: dict[str, set[str]] = defaultdict(set)  # key -> sources holding a near (not exact) copy
        for p in search.pairs:
            near_sources[keys[p.i]].update(by_key[keys[p.j]])
            near_sources[keys[p.j]].update(by_key[keys[p.i]])
        near = {a: {b: 0 for b in sources} for a in sources}
        for a, key in rec_keys:
            for b in sources:
                near[a][b] += has_copy(a, b, key) or b in near_sources[key]
    return OverlapMatrix(sources, rows, exact, near, near_threshold)


def write_heatmap(matrix: OverlapMatrix, path: Path, kind: str = "near") -> Path:
    """A PNG heatmap of the share of A's rows with a copy in B (for the dataset card)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = matrix.near if kind == "near" and matrix.near is not None else matrix.exact
    n = len(matrix.sources)
    share = [
        [cells[a][b] / matrix.rows[a] if matrix.rows[a] else 0.0 for b in matrix.sources]
        for a in matrix.sources
    ]
    size = 2.0 + 0.8 * n
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    image = ax.imshow(share, vmin=0.0, vmax=1.0, cmap="viridis")
    ax.set_xticks(range(n), matrix.sources, rotation=45, ha="right")
    ax.set_yticks(range(n), matrix.sources)
    ax.set_xlabel("has a copy in source B")
    ax.set_ylabel("rows of source A")
    for i, a in enumerate(matrix.sources):
        for j, b in enumerate(matrix.sources):
            ax.text(
                j,
                i,
                str(cells[a][b]),
                ha="center",
                va="center",
                color="white" if share[i][j] < 0.6 else "black",
            )
    label = f"near (Jaccard >= {matrix.near_threshold})" if cells is matrix.near else "exact"
    ax.set_title(f"Cross-source overlap, {label}")
    fig.colorbar(image, ax=ax, label="share of A's rows")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return path
