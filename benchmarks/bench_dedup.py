"""Near-dup benchmark: ours vs datasketch's per-shingle `update` loop vs text-dedup's MinHash, one run.

    .venv/bin/python benchmarks/bench_dedup.py [--rows 50000] [--threshold 0.7] [--num-proc 2]
        [--memory-rows 100000] [--skip datasketch-loop] [--skip text-dedup] [--json out.json]

Data: synthetic Manim-like programs; about 30% are edited copies of an earlier program (1-40% of lines
changed), so true Jaccard spans both sides of the threshold. Every method runs in its own subprocess
on the same parquet file (so peak RSS is its own), at 1 process and at --num-proc processes for ours
and text-dedup (the ratio is taken at equal processes); datasketch's loop runs once, in 1 process.
Ours is timed end to end from reading the file: `SignatureIndex` signatures, then `near_dup` (LSH,
verification, stars), leaving out only the benchmark building its Record objects (reported as a phase).
text-dedup's time is its own "Total" (loading included).

Quality, against the reference shingles (`shingles.shingles`: 5-token byte strings, not our hashes):
- precision / recall / F1 of "same cluster" (connected components of the reported pairs; union-find
  clusters for text-dedup and the loop) over every pair of a sample of rows (whole injected groups plus
  random rows), against brute-force true Jaccard;
- star precision: of all rows a method removes, the share whose true Jaccard with the row kept in its
  place (ours: `duplicate_of`; text-dedup and the loop: their union-find root, the row they keep) is at
  least the threshold. near.py clusters as stars, so ours must be 1.0.
text-dedup 0.4.x is installed from PyPI into its own venv under --cache-dir on first use and run as
`python -m text_dedup.minhash` (xxh3, 32-bit, same num_perm / ngram / threshold).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_SHAPES = ["Circle", "Square", "Triangle", "Rectangle", "Dot", "Line", "Arrow", "Star", "Ellipse", "Annulus"]
_COLOURS = ["BLUE", "RED", "GREEN", "YELLOW", "PURPLE", "ORANGE", "TEAL", "PINK", "GOLD", "MAROON"]
_ANIMS = ["Create", "FadeIn", "Write", "GrowFromCenter", "DrawBorderThenFill", "SpinInFromNothing"]
_OUT = ["FadeOut", "Uncreate", "ShrinkToCenter"]
_DIRS = ["UP", "DOWN", "LEFT", "RIGHT", "UL", "UR", "DL", "DR", "ORIGIN"]
_WORDS = (
    "orbit wave graph vector matrix prime spiral field tangent area limit series pendulum gear lens "
    "photon signal sample kernel tree graph node edge path loop cycle flow wheel clock grid tile"
).split()


@dataclass(frozen=True, slots=True)
class SyntheticSet:
    texts: list[str]
    origin: list[int]  # index of the base program each row was derived from (itself for bases)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_WORDS)}_{rng.randint(0, 999)}"


def _statement(rng: random.Random) -> str:
    kind = rng.randint(0, 5)
    var = _name(rng)
    if kind == 0:
        return f"{var} = {rng.choice(_SHAPES)}(color={rng.choice(_COLOURS)}).shift({rng.randint(1, 4)} * {rng.choice(_DIRS)})"
    if kind == 1:
        return f"self.play({rng.choice(_ANIMS)}({var}), run_time={rng.randint(1, 30) / 10})"
    if kind == 2:
        return f'{var} = MathTex(r"{rng.choice(_WORDS)}^{rng.randint(2, 9)} + {rng.randint(1, 99)}").scale({rng.randint(5, 20) / 10})'
    if kind == 3:
        return f"self.play({var}.animate.move_to({rng.choice(_DIRS)} * {rng.randint(1, 3)}).rotate(PI / {rng.randint(2, 8)}))"
    if kind == 4:
        return f"self.play({rng.choice(_OUT)}({var}))"
    return f"self.wait({rng.randint(1, 20) / 10})"


def base_program(rng: random.Random, n_lines: int) -> list[str]:
    name = "".join(w.capitalize() for w in (rng.choice(_WORDS), rng.choice(_WORDS))) + str(rng.randint(0, 99))
    body = [f"        {_statement(rng)}" for _ in range(n_lines)]
    return ["from manim import *", "", "", f"class {name}(Scene):", "    def construct(self):", *body]


def mutate(rng: random.Random, lines: list[str], rate: float) -> list[str]:
    """Edit roughly `rate` of the body lines (replace, delete or insert a statement)."""
    out = list(lines)
    n_edits = max(1, round(rate * (len(lines) - 5)))
    for _ in range(n_edits):
        pos = rng.randrange(5, len(out)) if len(out) > 5 else len(out)
        op = rng.random()
        if op < 0.5 and pos < len(out):
            out[pos] = f"        {_statement(rng)}"
        elif op < 0.75 and pos < len(out) and len(out) > 7:
            del out[pos]
        else:
            out.insert(pos, f"        {_statement(rng)}")
    return out


def make_set(n_rows: int, *, dup_fraction: float = 0.3, seed: int = 0) -> SyntheticSet:
    """`n_rows` programs; about `dup_fraction` of them are mutated copies of an earlier base program.

    Mutation rates spread from 1% to 40% of lines, so true Jaccard to the base spans both sides of the
    usual thresholds (0.7, 0.85) and recall/precision are tested where they are hard.
    """
    rng = random.Random(seed)
    texts: list[str] = []
    origin: list[int] = []
    bases: list[tuple[int, list[str]]] = []
    while len(texts) < n_rows:
        if bases and rng.random() < dup_fraction:
            idx, lines = rng.choice(bases)
            texts.append("\n".join(mutate(rng, lines, rng.uniform(0.01, 0.4))) + "\n")
            origin.append(idx)
        else:
            lines = base_program(rng, rng.randint(8, 45))
            bases.append((len(texts), lines))
            texts.append("\n".join(lines) + "\n")
            origin.append(len(texts) - 1)
    return SyntheticSet(texts, origin)


# --------------------------------------------------------------------------------------------- methods
def _load(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=["text"]).column("text").to_pylist()


def _labels_from_pairs(n: int, pairs) -> list[int]:
    """Union-find root of every row (the row a union-find deduplicator keeps for it)."""
    from builder.dedup.clusters import UnionFind

    uf = UnionFind(n)
    for a, b in pairs:
        uf.union(int(a), int(b))
    return [uf.find(i) for i in range(n)]


def run_ours(data: Path, threshold: float, jobs: int) -> dict:
    from builder.dedup.minhash import MinHashParams
    from builder.dedup.near import near_dup
    from builder.dedup.signatures import SignatureIndex
    from builder.schema import Origin, Record

    t0 = time.perf_counter()
    texts = _load(data)
    t_load = time.perf_counter()
    ids = [f"r{i:08d}" for i in range(len(texts))]  # zero-padded: near_dup's id order is row order
    records = [
        Record(id=i, description="", code=t, source="bench", origin=Origin(), license="mit", priority=50)
        for i, t in zip(ids, texts, strict=True)
    ]
    t_records = time.perf_counter()
    base_rss = _reset_peak_rss()  # the data and the records, which a build holds anyway
    index = SignatureIndex(MinHashParams(jobs=jobs))
    index.add(texts)
    t_sigs = time.perf_counter()
    result = near_dup(records, threshold, index)
    t_end = time.perf_counter()
    row = {rid: k for k, rid in enumerate(ids)}
    survivor = [row[result.clusters[rid]] for rid in ids]
    labels = _labels_from_pairs(len(texts), ((row[a], row[b]) for a, b, _ in result.pairs))
    return {
        # Building the Record objects is the benchmark's own set-up (a build has them already).
        "seconds": (t_end - t0) - (t_records - t_load),
        "labels": labels,
        "survivor": survivor,
        "base_rss_mb": base_rss,
        "detail": {
            "candidates": result.stats["candidate_pairs"],
            "verified": result.stats["verified_pairs"],
            "bands": result.stats["lsh_bands"],
            "rows_per_band": result.stats["lsh_rows_per_band"],
            "phases_s": {
                "load": round(t_load - t0, 2),
                "records": round(t_records - t_load, 2),
                "signatures": round(t_sigs - t_records, 2),
                "lsh+verify+stars": round(t_end - t_sigs, 2),
            },
        },
    }


def run_datasketch_loop(data: Path, threshold: float, jobs: int) -> dict:
    """The textbook recipe: MinHash() per row, `update` per shingle (SHA-1), MinHashLSH insert + query."""
    from datasketch import MinHash, MinHashLSH

    from builder.dedup.shingles import shingles

    t0 = time.perf_counter()
    texts = _load(data)
    base_rss = _reset_peak_rss()
    lsh = MinHashLSH(threshold=threshold, num_perm=256)
    sketches = []
    for i, text in enumerate(texts):
        m = MinHash(num_perm=256)
        for s in shingles(text):
            m.update(s)
        lsh.insert(i, m)
        sketches.append(m)
    pairs = [(i, j) for i, m in enumerate(sketches) for j in lsh.query(m) if j > i]
    labels = _labels_from_pairs(len(texts), pairs)
    return {
        "seconds": time.perf_counter() - t0,
        "labels": labels,
        "survivor": labels,
        "base_rss_mb": base_rss,
        "detail": {"candidates": len(pairs), "bands": lsh.b, "rows_per_band": lsh.r},
    }


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak_rss() -> float:
    """Forget the peak RSS of loading the data (Linux clear_refs 5); returns the RSS now, in MB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_mb("VmRSS")


def _child_main(method: str, data: Path, threshold: float, out: Path, jobs: int) -> None:
    result = {"ours": run_ours, "datasketch-loop": run_datasketch_loop}[method](data, threshold, jobs)
    result["main_peak_rss_mb"] = _status_mb("VmHWM")  # peak since the reset, i.e. of the dedup itself
    result["children_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    # Like text-dedup's figure: the largest RSS of any one process of the run.
    result["peak_rss_mb"] = max(result["main_peak_rss_mb"], result["children_peak_rss_mb"])
    out.write_text(json.dumps(result))


def run_in_subprocess(method: str, data: Path, threshold: float, work: Path, jobs: int = 1) -> dict:
    out = work / f"{method}-{jobs}.json"
    t0 = time.perf_counter()
    cmd = [sys.executable, __file__, "--child", method, "--data", str(data), "--threshold", str(threshold)]
    subprocess.run([*cmd, "--out", str(out), "--jobs", str(jobs)], check=True)
    result = json.loads(out.read_text())
    result["wall_seconds"] = time.perf_counter() - t0
    result["procs"] = jobs
    return result


TEXT_DEDUP_SPEC = "text-dedup>=0.4,<0.5"


def text_dedup_python(cache_dir: Path) -> Path:
    """The text-dedup venv's python, creating the venv and installing text-dedup on first use."""
    venv = cache_dir / "textdedup-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import text_dedup.minhash"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", TEXT_DEDUP_SPEC], check=True)
    return python


# Runs a command and records the largest RSS of any process in its tree (main or worker).
_PEAK_WRAPPER = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""

_UF_TO_JSON = """
import json, pickle, sys
uf = pickle.load(open(sys.argv[1], "rb"))
n = int(sys.argv[2])
json.dump([uf.find(i) if i in uf.parent else i for i in range(n)], open(sys.argv[3], "w"))
"""

# text-dedup's Timer report, e.g. "INFO     MinHashing                      : 83.86s". Narrow, rich wraps
# the figure onto the next line after the "timer.py:65" column (so the runs set COLUMNS wide, too).
_TIMER_LINE = re.compile(
    r"INFO\s+(Loading|MinHashing|Clustering|Filtering|Saving|Cleaning|Total)\s*:\s*"
    r"(?:\S+\.py:\d+\s+)?([\d.]+)s"
)


def run_text_dedup(python: Path, data: Path, threshold: float, n: int, work: Path, num_proc: int) -> dict:
    out = work / f"td-out-{num_proc}"
    cmd = [
        str(python),
        "-m",
        "text_dedup.minhash",
        "--path",
        "parquet",
        "--data_files",
        str(data),
        "--split",
        "train",
        "--cache_dir",
        str(work / f"td-cache-{num_proc}"),
        "--output",
        str(out),
        "--column",
        "text",
        "--idx_column",
        "row",
        "--num_proc",
        str(num_proc),
        "--threshold",
        str(threshold),
        "--num_perm",
        "256",
        "--ngram",
        "5",
        "--hash_func",
        "xxh3",
        "--hash_bits",
        "32",
        "--debug",
    ]
    peak_file = work / "td-peak.txt"
    wrapper = [sys.executable, "-c", _PEAK_WRAPPER, str(peak_file), *cmd]
    # A wide "terminal" so rich prints each timer line whole (it wraps at 80 columns otherwise).
    env = {**os.environ, "TQDM_DISABLE": "1", "COLUMNS": "400"}
    t0 = time.perf_counter()
    proc = subprocess.run(wrapper, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"text-dedup failed:\n{proc.stderr[-3000:]}")
    peak = float(peak_file.read_text())
    labels_path = work / "td-labels.json"
    subprocess.run(
        [str(python), "-c", _UF_TO_JSON, str(out / "uf.pkl"), str(n), str(labels_path)], check=True
    )
    phases = {name: float(sec) for name, sec in _TIMER_LINE.findall(proc.stdout + proc.stderr)}
    labels = json.loads(labels_path.read_text())
    return {
        "wall_seconds": wall,
        "seconds": phases.get("Total", wall),
        "peak_rss_mb": peak / 1024,
        "labels": labels,
        "survivor": labels,  # text-dedup keeps the rows that are their own union-find root
        "procs": num_proc,
        "detail": {"num_proc": num_proc, "phases_s": phases or "timer report not found: wall time used"},
    }


# ------------------------------------------------------------------------------------------ evaluation
def sample_rows(origin: list[int], n_groups: int, n_random: int, seed: int) -> list[int]:
    """All members of `n_groups` injected groups plus `n_random` other rows."""
    rng = random.Random(seed)
    groups: dict[int, list[int]] = {}
    for i, o in enumerate(origin):
        groups.setdefault(o, []).append(i)
    multi = sorted(g for g, members in groups.items() if len(members) > 1)
    chosen = {i for g in rng.sample(multi, min(n_groups, len(multi))) for i in groups[g]}
    rest = [i for i in range(len(origin)) if i not in chosen]
    chosen.update(rng.sample(rest, min(n_random, len(rest))))
    return sorted(chosen)


def true_pairs(texts: list[str], rows: list[int], threshold: float) -> set[tuple[int, int]]:
    """Brute force: every pair of `rows` whose reference shingle sets have Jaccard >= threshold (one
    sparse matrix product over the shingle vocabulary)."""
    import numpy as np
    from scipy import sparse

    from builder.dedup.shingles import shingles

    sets = [shingles(texts[i]) for i in rows]
    vocab: dict[bytes, int] = {}
    indices = np.fromiter((vocab.setdefault(s, len(vocab)) for row in sets for s in row), dtype=np.int64)
    indptr = np.cumsum([0] + [len(row) for row in sets])
    x = sparse.csr_matrix(
        (np.ones(indices.size, dtype=np.int32), indices, indptr), shape=(len(rows), len(vocab))
    )
    inter = (x @ x.T).tocoo()
    sizes = np.diff(indptr)
    found = set()
    for a, b, c in zip(inter.row.tolist(), inter.col.tolist(), inter.data.tolist(), strict=True):
        if a < b and c / (sizes[a] + sizes[b] - c) >= threshold:
            found.add((rows[a], rows[b]))
    return found


def score(labels: list[int], rows: list[int], truth: set[tuple[int, int]]) -> dict:
    predicted = {(a, b) for k, a in enumerate(rows) for b in rows[k + 1 :] if labels[a] == labels[b]}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted_pairs": len(predicted),
        "true_pairs": len(truth),
    }


def star_precision(texts: list[str], survivor: list[int], threshold: float, cache: dict) -> dict:
    """Of the removed rows (survivor[i] != i), how many have true Jaccard >= threshold with their
    survivor, on the reference shingle sets. `cache` keeps shingle sets between methods."""
    from builder.dedup.shingles import shingles

    def sets(i: int) -> set[bytes]:
        found = cache.get(i)
        if found is None:
            found = cache[i] = shingles(texts[i])
        return found

    removed = [(i, s) for i, s in enumerate(survivor) if s != i]
    good = 0
    for i, s in removed:
        a, b = sets(i), sets(s)
        if a and b and len(a & b) >= threshold * len(a | b):
            good += 1
    return {"removed": len(removed), "star_precision": round(good / len(removed), 4) if removed else 1.0}


# ------------------------------------------------------------------------------------------------ main
@dataclass
class Row:
    name: str
    procs: int
    rows_per_s: float
    seconds: float
    wall: float
    rss: float
    quality: dict


def _write_parquet(texts: list[str], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": texts, "row": list(range(len(texts)))}), path)


def memory_check(rows: int, threshold: float, work: Path, jobs: int = 1) -> dict:
    data = work / f"mem-{rows}.parquet"
    _write_parquet(make_set(rows, seed=7).texts, data)
    result = run_in_subprocess("ours", data, threshold, work, jobs)
    return {
        "rows": rows,
        "procs": jobs,
        "rss_after_loading_mb": round(result["base_rss_mb"], 1),  # ours: data and Record objects
        "peak_rss_during_dedup_mb": round(result["main_peak_rss_mb"], 1),
        "dedup_extra_mb": round(result["main_peak_rss_mb"] - result["base_rss_mb"], 1),
        "workers_peak_rss_mb": round(result["children_peak_rss_mb"], 1),
        "seconds": round(result["seconds"], 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--sample-groups", type=int, default=400)
    ap.add_argument("--sample-random", type=int, default=1500)
    ap.add_argument(
        "--num-proc", type=int, default=2, help="processes for text-dedup and for ours (besides 1 process)"
    )
    ap.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--memory-rows", type=int, default=100_000, help="0 skips the memory check")
    ap.add_argument(
        "--cache-dir", type=Path, default=Path.home() / ".cache" / "manim-code-dataset" / "bench_dedup"
    )
    ap.add_argument("--skip", action="append", default=[], choices=["datasketch-loop", "text-dedup"])
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child_main(args.child, args.data, args.threshold, args.out, args.jobs)
        return 0

    synthetic = make_set(args.rows)
    n = len(synthetic.texts)
    procs = sorted({1, max(1, args.num_proc)})
    results: dict[str, dict] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench_dedup_") as tmp:
        work = Path(tmp)
        data = work / "rows.parquet"
        _write_parquet(synthetic.texts, data)
        print(
            f"{n} rows, {sum(o != i for i, o in enumerate(synthetic.origin))} injected near-copies",
            flush=True,
        )
        python = None
        if "text-dedup" not in args.skip:
            try:
                python = text_dedup_python(args.cache_dir)
            except (subprocess.CalledProcessError, OSError) as err:
                notes.append(f"text-dedup could not be installed: {err}")
        # Ours and text-dedup alternate at each process count, so both see the same machine load.
        for p in procs:
            results[f"ours/{p}"] = run_in_subprocess("ours", data, args.threshold, work, p)
            print(f"ours, {p} process(es): {results[f'ours/{p}']['seconds']:.1f}s", flush=True)
            if python is not None:
                try:
                    results[f"text-dedup/{p}"] = run_text_dedup(python, data, args.threshold, n, work, p)
                    print(
                        f"text-dedup, {p} process(es): {results[f'text-dedup/{p}']['seconds']:.1f}s",
                        flush=True,
                    )
                except (subprocess.CalledProcessError, RuntimeError, OSError) as err:
                    notes.append(f"text-dedup ({p} processes) could not run: {err}")
        if "datasketch-loop" not in args.skip:
            results["datasketch-loop/1"] = run_in_subprocess("datasketch-loop", data, args.threshold, work)
            print("datasketch loop done", flush=True)
        memory = memory_check(args.memory_rows, args.threshold, work) if args.memory_rows else None

    rows = sample_rows(synthetic.origin, args.sample_groups, args.sample_random, seed=1)
    truth = true_pairs(synthetic.texts, rows, args.threshold)
    shingle_cache: dict = {}
    table = []
    for key, r in results.items():
        quality = score(r["labels"], rows, truth)
        quality.update(star_precision(synthetic.texts, r["survivor"], args.threshold, shingle_cache))
        name = key.split("/")[0]
        table.append(
            Row(
                name, r["procs"], n / r["seconds"], r["seconds"], r["wall_seconds"], r["peak_rss_mb"], quality
            )
        )
    print(f"\nthreshold {args.threshold}, {n} rows, sample {len(rows)} rows / {len(truth)} true pairs")
    header = (
        f"{'method':<16}{'procs':>6}{'rows/s':>9}{'dedup s':>9}{'wall s':>8}{'peak RSS MB':>13}"
        f"{'precision':>11}{'recall':>8}{'F1':>7}{'removed':>9}{'star prec':>11}"
    )
    print(header)
    for t in table:
        q = t.quality
        print(
            f"{t.name:<16}{t.procs:>6}{t.rows_per_s:>9.0f}{t.seconds:>9.1f}{t.wall:>8.1f}{t.rss:>13.0f}"
            f"{q['precision']:>11.3f}{q['recall']:>8.3f}{q['f1']:>7.3f}{q['removed']:>9}{q['star_precision']:>11.4f}"
        )
    ratios = {}
    for p in procs:
        if f"text-dedup/{p}" in results:
            ratios[p] = results[f"text-dedup/{p}"]["seconds"] / results[f"ours/{p}"]["seconds"]
            print(f"ours vs text-dedup, both {p} process(es): {ratios[p]:.1f}x throughput")
    for key, r in results.items():
        if r.get("detail"):
            print(f"{key}: {r['detail']}")
    if memory:
        print(f"memory, {memory['rows']} rows: {memory}")
    for note in notes:
        print(note)
    if args.json:
        summary = {
            f"{t.name}/{t.procs}": {
                "rows_per_s": round(t.rows_per_s, 1),
                "seconds": round(t.seconds, 2),
                "wall_seconds": round(t.wall, 2),
                "peak_rss_mb": round(t.rss, 1),
                **t.quality,
            }
            for t in table
        }
        args.json.write_text(
            json.dumps(
                {
                    "rows": n,
                    "threshold": args.threshold,
                    "methods": summary,
                    "ratio_at_equal_procs": {str(p): round(v, 2) for p, v in ratios.items()},
                    "details": {k: r.get("detail") for k, r in results.items()},
                    "memory": memory,
                    "notes": notes,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
