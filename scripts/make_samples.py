"""Write the bundled sample sources (the default input of `manim-dataset build`), deterministically.

The samples are data in `configs/samples/`; this script holds only the transformations.

- Data: `scenes/<key>.py`, one original scene per file (meant to run on Manim CE 0.22, which
  `tests/test_samples_run.py` verifies through the build's sandboxed worker), and `scenes/broken/<key>.py` for broken rows whose code is
  Python text: byte for byte the code of a row before wrapping. `rows.yaml`: the scenes' descriptions,
  the broken rows and why each is broken, the chat system prompts, and the rows of each output in order
  (which scene, which description, how the code is wrapped by FORMATS or reformatted by VARIANTS).
- Outputs, next to the data: `prompts.jsonl` (`input` -> `output`, shaped like `thanhkt/manim_code`),
  `chat.jsonl` (`messages`: system / user / assistant), `bench.parquet` (`Generated Description`,
  `Reviewed Description`, `Code`, `Type`, `Split`, like ManimBench) and `README.md`.

Rerunning the script gives byte-identical files (no timestamps, sorted JSON keys, fixed row order).

Usage: python scripts/make_samples.py [--out DIR]   (default: configs/samples)
"""

from __future__ import annotations

import argparse
import io
import json
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from builder.dedup.exact import exact_key

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "configs" / "samples"
OUTPUTS = ("prompts", "chat", "bench")  # row lists of rows.yaml, one per output file

BOILERPLATE = (
    "Generate accurate and correct ManimCE Python code for the animation requested by the user. "
    "Here is the user's request: "
)


@dataclass(frozen=True)
class Scene:
    """An original scene meant to run on Manim CE; descriptions[0] is canonical, the rest paraphrase it."""

    key: str
    descriptions: tuple[str, ...]
    code: str


@dataclass(frozen=True)
class Broken:
    """A row meant to be excluded or repaired; `why` says what is wrong with it.

    `fixable` rows use removed Community Edition names; `renames` lists the (old, new) pairs a repair
    stage would apply, and the checker verifies the repaired code runs. `runtime_fail` rows parse and
    import but must fail when run.
    """

    key: str
    description: str | None
    code: str | None
    why: str
    fixable: bool = False
    renames: tuple[tuple[str, str], ...] = ()
    runtime_fail: bool = False


@dataclass(frozen=True)
class Row:
    """One output row (one entry of a row list in rows.yaml; its header documents the fields)."""

    ref: str
    desc: int = 0
    text: str | None = None
    fmt: str = "plain"
    variant: str | None = None
    boiler: bool = False
    system: int = 0
    reviewed: str = "same"
    split: str = "train"
    note: str = ""


@dataclass(frozen=True)
class Samples:
    scenes: dict[str, Scene]
    broken: dict[str, Broken]
    system_prompts: list[str]
    rows: dict[str, list[Row]]  # keyed by OUTPUTS


# --- Reformatting variants: same program, different text (the same `exact_key` as the original) -------


def requote(code: str) -> str:
    """Swap double-quoted one-line strings to single quotes where the swap is trivially safe."""
    lines = code.splitlines(keepends=True)
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type != tokenize.STRING or tok.start[0] != tok.end[0]:
            continue
        text = tok.string
        prefix = text[: len(text) - len(text.lstrip("rRbBuUfF"))]
        body = text[len(prefix) :]
        if body.startswith('"""') or not body.startswith('"') or "'" in body or "\\" in body:
            continue
        row, col = tok.start[0] - 1, tok.start[1]
        line = lines[row]
        lines[row] = line[:col] + prefix + "'" + body[1:-1] + "'" + line[col + len(text) :]
    return "".join(lines)


def reindent(code: str, width: int = 2) -> str:
    """Re-indent from 4 spaces to `width` spaces per level (continuation lines too)."""
    out = []
    for line in code.splitlines(keepends=True):
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        out.append(" " * (depth // 4 * width + depth % 4) + stripped)
    return "".join(out)


def add_comments(code: str) -> str:
    """Add a header comment and a comment line above every class."""
    out = ["# Animation written for the request above.\n", "# Render with: manim -pql scene.py\n"]
    for line in code.splitlines(keepends=True):
        if line.startswith("class "):
            out.append("# The scene to render\n")
        out.append(line)
    return "".join(out)


def add_docstrings(code: str) -> str:
    """Give every class a one-line docstring (dropped by docstring-insensitive normalisation)."""
    out = []
    for line in code.splitlines(keepends=True):
        out.append(line)
        if line.startswith("class ") and line.rstrip().endswith(":"):
            out.append('    """An animated scene built with Manim Community Edition."""\n\n')
    return "".join(out)


VARIANTS: dict[str, Callable[[str], str]] = {
    "requote": requote,
    "reindent": reindent,
    "comments": add_comments,
    "docstring": add_docstrings,
    "requote+comments": lambda c: add_comments(requote(c)),
    "reindent+comments": lambda c: add_comments(reindent(c)),
}


# --- How code is wrapped in a row: fences, prose, literal "\n", CRLF, ... -----------------------------

PROSE_BEFORE = [
    "Here is the Manim code for the animation you described:",
    "Sure! Below is a ManimCE script that does this.",
    "The following scene implements your request.",
    "You can render this with `manim -pql scene.py`:",
]
PROSE_AFTER = [
    "Run it with `manim -pqh scene.py` to get a high-quality video.",
    "Let me know if you want different colors or timing.",
    "Each `self.play` call is one step of the animation, and `self.wait()` pauses at the end.",
]


def _pick(options: list[str], salt: str) -> str:
    return options[sum(map(ord, salt)) % len(options)]


def _fence(code: str, opener: str, closer: str) -> str:
    return f"{opener}\n{code}{closer}"


def _split_fences(code: str) -> str:
    """Imports in one block, the rest in a second block, as chat models sometimes answer."""
    lines = code.splitlines(keepends=True)
    cut = max(i for i, line in enumerate(lines) if line.startswith(("import ", "from "))) + 1
    head, tail = "".join(lines[:cut]), "".join(lines[cut:]).lstrip("\n")
    return (
        "First, the imports:\n\n```python\n" + head + "```\n\n"
        "Then the scene itself:\n\n```python\n" + tail + "```\n"
    )


FORMATS: dict[str, Callable[[str, str], str]] = {
    "plain": lambda code, salt: code,
    "python": lambda code, salt: _fence(code, "```python", "```"),
    "py": lambda code, salt: _fence(code, "```py", "```"),
    "python3": lambda code, salt: _fence(code, "```python3", "```"),
    "bare": lambda code, salt: _fence(code, "```", "```"),
    "tilde": lambda code, salt: _fence(code, "~~~python", "~~~"),
    "prose_fence": lambda code, salt: (
        f"{_pick(PROSE_BEFORE, salt)}\n\n```python\n{code}```\n\n{_pick(PROSE_AFTER, salt)}"
    ),
    "prose_plain": lambda code, salt: f"{_pick(PROSE_BEFORE, salt)}\n\n{code}\n{_pick(PROSE_AFTER, salt)}",
    "lit_n": lambda code, salt: "\\n" + code,
    "lit_n_fence": lambda code, salt: "\\n```python\n" + code + "```",
    "crlf": lambda code, salt: code.replace("\n", "\r\n"),
    "crlf_fence": lambda code, salt: _fence(code, "```python", "```").replace("\n", "\r\n"),
    "split_fences": lambda code, salt: _split_fences(code),
    "double_fence": lambda code, salt: "```python\n```python\n" + code + "```\n```",
    "unterminated": lambda code, salt: "```python\n" + code,
}

# bench.parquet: Generated Description wraps the description; Reviewed Description is one of these.
BENCH_COLUMNS = ("Generated Description", "Reviewed Description", "Code", "Type", "Split")
GENERATED_TEMPLATES = [
    "This animation demonstrates the following: {d}",
    "In this Manim scene, we see the following. {d}",
    "The scene is built with Manim Community Edition. {d}",
]
REVIEWED: dict[str, Callable[[str | None], str | None]] = {
    "same": lambda d: d,
    "empty": lambda d: "",
    "none": lambda d: None,
}


def difficulty(code: str | None) -> str:
    """ManimBench-style Type from the code length."""
    n = len(code.splitlines()) if code else 0
    return "Basic" if n <= 15 else "Intermediate" if n <= 40 else "Advanced"


# --- Loading the data ---------------------------------------------------------------------------------


def _read_code(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # bytes, not read_text: no newline translation


def load(samples_dir: Path = SAMPLES_DIR) -> Samples:
    """Read rows.yaml and the scene files, and check that they agree."""
    data = yaml.safe_load((samples_dir / "rows.yaml").read_text(encoding="utf-8"))
    extra = set(data) - {"shared", "system_prompts", "scenes", "broken", *OUTPUTS}
    assert not extra, f"unknown sections in rows.yaml: {sorted(extra)}"
    scenes_dir = samples_dir / "scenes"
    scenes = {}
    for key, descriptions in data["scenes"].items():
        assert isinstance(descriptions, list) and all(isinstance(d, str) for d in descriptions), key
        scenes[key] = Scene(key, tuple(descriptions), _read_code(scenes_dir / f"{key}.py"))
    broken = {}
    for key, entry in data["broken"].items():
        fields = dict(entry)
        path = scenes_dir / "broken" / f"{key}.py"
        assert ("code" in fields) != path.exists(), f"{key}: code must be in rows.yaml or {path}, not both"
        code = fields.pop("code") if "code" in fields else _read_code(path)
        renames = tuple((old, new) for old, new in fields.pop("renames", ()))
        broken[key] = Broken(key, code=code, renames=renames, **fields)
    rows = {name: [Row(**entry) for entry in data[name]] for name in OUTPUTS}
    samples = Samples(scenes, broken, list(data["system_prompts"]), rows)
    _check(samples, scenes_dir)
    return samples


def _check(samples: Samples, scenes_dir: Path) -> None:
    """Every reference exists and every sample is used; no stray scene file; fields are in range."""
    both = set(samples.scenes) & set(samples.broken)
    assert not both, f"keys both scene and broken: {sorted(both)}"
    files = {p.relative_to(scenes_dir).with_suffix("").as_posix() for p in scenes_dir.rglob("*.py")}
    stray = files - set(samples.scenes) - {f"broken/{key}" for key in samples.broken}
    assert not stray, f"scene files without an entry in rows.yaml: {sorted(stray)}"
    used = {r.ref for rows in samples.rows.values() for r in rows}
    unknown = used - set(samples.scenes) - set(samples.broken)
    assert not unknown, f"unknown refs: {sorted(unknown)}"
    unused = (set(samples.scenes) | set(samples.broken)) - used
    assert not unused, f"unused samples: {sorted(unused)}"
    for name, rows in samples.rows.items():
        for r in rows:
            where = (name, r.ref)
            assert r.fmt in FORMATS and (r.variant is None or r.variant in VARIANTS), where
            if r.ref in samples.broken:
                assert (r.desc, r.text) == (0, None), f"{where}: broken rows take their own description"
            else:
                assert 0 <= r.desc < len(samples.scenes[r.ref].descriptions), where
            assert 0 <= r.system < len(samples.system_prompts) and (name == "chat" or r.system == 0), where
            assert r.reviewed in REVIEWED and r.split in ("train", "test"), where
            assert name == "bench" or (r.reviewed, r.split) == ("same", "train"), where


# --- Rows and writers ---------------------------------------------------------------------------------


def row_description(samples: Samples, row: Row) -> str | None:
    if row.ref in samples.broken:
        text = samples.broken[row.ref].description
    elif row.text is not None:
        text = row.text
    else:
        text = samples.scenes[row.ref].descriptions[row.desc]
    if row.boiler and text is not None:
        text = BOILERPLATE + text
    return text


def row_code(samples: Samples, row: Row) -> str | None:
    code = (samples.broken.get(row.ref) or samples.scenes[row.ref]).code
    if code is None:
        return None
    if row.variant:
        changed = VARIANTS[row.variant](code)
        assert changed != code and exact_key(changed) == exact_key(code), (row.ref, row.variant)
        code = changed
    if not code.strip():
        return code
    return FORMATS[row.fmt](code, row.ref)


def _jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records).encode()


def prompt_records(samples: Samples) -> list[dict]:
    rows = samples.rows["prompts"]
    return [{"input": row_description(samples, r), "output": row_code(samples, r)} for r in rows]


def chat_records(samples: Samples) -> list[dict]:
    records = []
    for r in samples.rows["chat"]:
        messages = [
            {"role": "system", "content": samples.system_prompts[r.system]},
            {"role": "user", "content": row_description(samples, r)},
            {"role": "assistant", "content": row_code(samples, r)},
        ]
        records.append({"messages": messages})
    return records


def bench_table(samples: Samples) -> pa.Table:
    generated, reviewed, codes, types, splits = [], [], [], [], []
    for i, r in enumerate(samples.rows["bench"]):
        desc = row_description(samples, r)
        template = GENERATED_TEMPLATES[i % len(GENERATED_TEMPLATES)]
        generated.append(template.format(d=desc) if desc else desc)
        reviewed.append(REVIEWED[r.reviewed](desc))
        code = row_code(samples, r)
        codes.append(code)
        types.append(difficulty(code))
        splits.append(r.split)
    schema = pa.schema([(name, pa.string()) for name in BENCH_COLUMNS])
    return pa.table([generated, reviewed, codes, types, splits], schema=schema)


README = """\
# Bundled sample sources

Generated by `scripts/make_samples.py` from the data in this folder (do not edit the outputs by hand:
edit the data and rerun the script). All rows are original.

| file | rows | shape | fields for `configs/sources/samples.yaml` |
|---|---:|---|---|
| `prompts.jsonl` | {prompts} | like `thanhkt/manim_code` | `description: input`, `code: output` |
| `chat.jsonl` | {chat} | system / user / assistant turns | `messages: messages` |
| `bench.parquet` | {bench} | like ManimBench | `description: ["Reviewed Description", "Generated Description"]`, `code: Code`, `split: Split` |

The data: `scenes/<key>.py` holds one scene per file ({scenes} scenes meant to run on Manim CE), byte for
byte the code a row contains before wrapping; `rows.yaml` holds their descriptions and lists the rows of
each file in order (which scene, which description, how the code is wrapped or reformatted).

{boiler} prompts start with the boilerplate wrapper
"Generate accurate and correct ManimCE Python code for the animation requested by the user. Here is the
user's request: " (strip it with `strip_description`). Some rows are broken on purpose (invalid Python,
empty or None code, prose only, non-Manim Python, missing description, removed Community Edition names,
ManimGL, a missing SVG asset): `broken:` in `rows.yaml` lists each of the {broken} and why; their code is
in `scenes/broken/<key>.py`, or inline in `rows.yaml` when it is not Python text.
`tests/test_samples_run.py` runs every scene meant to be valid through the build's sandboxed worker.
"""


def write_all(out: Path, samples: Samples | None = None) -> dict[str, int]:
    samples = samples or load()
    out.mkdir(parents=True, exist_ok=True)
    prompts, chats, bench = prompt_records(samples), chat_records(samples), bench_table(samples)
    (out / "prompts.jsonl").write_bytes(_jsonl(prompts))
    (out / "chat.jsonl").write_bytes(_jsonl(chats))
    buf = io.BytesIO()
    pq.write_table(bench, buf, compression="zstd", store_schema=False)
    (out / "bench.parquet").write_bytes(buf.getvalue())
    n = {"prompts": len(prompts), "chat": len(chats), "bench": bench.num_rows}
    boiler = sum(r.boiler for r in samples.rows["prompts"])
    readme = README.format(**n, boiler=boiler, scenes=len(samples.scenes), broken=len(samples.broken))
    (out / "README.md").write_text(readme, encoding="utf-8")
    return {"prompts.jsonl": n["prompts"], "chat.jsonl": n["chat"], "bench.parquet": n["bench"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the bundled sample sources.")
    parser.add_argument("--out", type=Path, default=SAMPLES_DIR, help="output directory")
    args = parser.parse_args(argv)
    counts = write_all(args.out)
    for name, n in counts.items():
        print(f"{name}: {n} rows")
    print(f"total: {sum(counts.values())} rows in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
