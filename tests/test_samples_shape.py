"""The bundled samples have the real-world shapes the builder must handle, and regenerate byte for byte.

Fast: no manim runs (tests/test_samples_run.py does those). Files are read with the real
`datasets.load_dataset` json/parquet builders, the same path the `files` source kind uses.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import datasets
import pytest

from builder import guard

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "configs" / "samples"
FILES = ("prompts.jsonl", "chat.jsonl", "bench.parquet")
BOILERPLATE = (
    "Generate accurate and correct ManimCE Python code for the animation requested by the user. "
    "Here is the user's request: "
)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("hf-cache"))


@pytest.fixture(scope="module")
def prompts(cache_dir: str) -> datasets.Dataset:
    return datasets.load_dataset(
        "json", data_files=str(SAMPLES / "prompts.jsonl"), split="train", cache_dir=cache_dir
    )


@pytest.fixture(scope="module")
def chat(cache_dir: str) -> datasets.Dataset:
    return datasets.load_dataset(
        "json", data_files=str(SAMPLES / "chat.jsonl"), split="train", cache_dir=cache_dir
    )


@pytest.fixture(scope="module")
def bench(cache_dir: str) -> datasets.Dataset:
    return datasets.load_dataset(
        "parquet", data_files=str(SAMPLES / "bench.parquet"), split="train", cache_dir=cache_dir
    )


def _turn(messages: list[dict], role: str) -> str | None:
    return next((m["content"] for m in messages if m["role"] == role), None)


def _rough_code(text: str | None) -> str | None:
    """Test-only unwrapping: first fenced block (or the text), no literal leading backslash-n, LF endings.

    Blank lines at either end are trimmed so that only real reformatting makes two texts differ.
    """
    if text is None:
        return None
    text = text.replace("\r\n", "\n")
    if text.startswith("\\n"):
        text = text[2:]
    lines = text.split("\n")
    opens = [i for i, line in enumerate(lines) if line.startswith(("```", "~~~"))]
    if opens:
        start = opens[0] + 1
        while start < len(lines) and lines[start].startswith("```"):  # double wrapping
            start += 1
        end = next((i for i in opens if i >= start), len(lines))
        text = "\n".join(lines[start:end])
    return text.strip("\n") + "\n"


def _canonical(code: str | None) -> str | None:
    """AST dump without docstrings, or None when the text is not Python."""
    if not code or not code.strip():
        return None
    try:
        tree = guard.parse(code)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


@pytest.fixture(scope="module")
def pairs(prompts, chat, bench) -> list[tuple[str, str | None, str | None]]:
    """(file, description, raw code) for every row of every file."""
    out = [("prompts", r["input"], r["output"]) for r in prompts]
    out += [("chat", _turn(r["messages"], "user"), _turn(r["messages"], "assistant")) for r in chat]
    out += [("bench", r["Reviewed Description"] or r["Generated Description"], r["Code"]) for r in bench]
    return out


def test_row_counts_and_columns(prompts, chat, bench):
    assert len(prompts) + len(chat) + len(bench) >= 150
    assert len(prompts) >= 60 and len(chat) >= 35 and len(bench) >= 40
    assert set(prompts.column_names) == {"input", "output"}
    assert chat.column_names == ["messages"]
    assert set(bench.column_names) == {
        "Generated Description",
        "Reviewed Description",
        "Code",
        "Type",
        "Split",
    }


def test_prompt_outputs_have_every_real_world_wrapping(prompts):
    outputs = [o for o in prompts["output"] if o]
    firsts = [o.replace("\r\n", "\n").split("\n", 1)[0] for o in outputs]
    for opener in ("```python", "```py", "```python3", "```", "~~~python"):
        assert opener in firsts, opener
    assert sum(o.startswith("\\n") for o in outputs) >= 5, "literal backslash-n prefix"
    assert sum("\r\n" in o for o in outputs) >= 2, "CRLF line endings"
    assert any(o.startswith("```python\n```python\n") for o in outputs), "double wrapped fence"
    assert any(o.count("```") == 1 for o in outputs), "unterminated fence"
    assert any(o.count("```python") == 2 and not o.startswith("```") for o in outputs), "two fences, prose"
    prose_fenced = [o for o in outputs if "```" in o and not o.startswith(("```", "\\n"))]
    assert len(prose_fenced) >= 3, "prose before a fence"
    prose_plain = [
        o
        for o in outputs
        if "```" not in o
        and "~~~" not in o
        and not o.removeprefix("\\n").startswith(("from", "import", "def"))
    ]
    assert any("class " in o for o in prose_plain), "prose around unfenced code"


def test_prompt_inputs_boilerplate_and_broken_rows(prompts):
    inputs, outputs = prompts["input"], prompts["output"]
    wrapped = [i for i in inputs if i and i.startswith(BOILERPLATE)]
    assert 10 <= len(wrapped) <= 20
    assert all(len(i) > len(BOILERPLATE) + 10 for i in wrapped)
    assert None in outputs and "" in outputs
    assert "" in inputs
    assert any(o and "from manimlib import *" in o for o in outputs)
    assert any(o and "ShowCreation(" in o for o in outputs)
    assert any(o and "def " in o and "manim" not in o for o in outputs), "non-Manim Python"


def test_chat_turns_and_shapes(chat):
    messages = chat["messages"]
    assert all([m["role"] for m in ms] == ["system", "user", "assistant"] for ms in messages)
    answers = [_turn(ms, "assistant") for ms in messages]
    assert any(a.startswith("```py\n") for a in answers)
    assert any(a.startswith("```python\n") for a in answers)
    assert any("```" in a and not a.startswith("```") for a in answers), "prose around fenced code"
    assert any(a.startswith("from manim import *") for a in answers), "unfenced code"
    assert any(not a.strip() for a in answers), "empty assistant turn"
    assert any(not _turn(ms, "user").strip() for ms in messages), "empty user turn"
    assert any("SVGMobject(" in a for a in answers)
    assert any("TextMobject(" in a for a in answers)
    assert len({_turn(ms, "system") for ms in messages}) >= 2


def test_bench_columns(bench):
    assert set(bench["Type"]) == {"Basic", "Intermediate", "Advanced"}
    splits = bench["Split"]
    assert set(splits) == {"train", "test"}
    assert 0.15 <= splits.count("test") / len(splits) <= 0.35
    reviewed, generated = bench["Reviewed Description"], bench["Generated Description"]
    fallback = [g for r, g in zip(reviewed, generated, strict=True) if not r and g]
    assert len(fallback) >= 5, "rows where only the generated description exists"
    assert None in reviewed and "" in reviewed
    assert any(not r and not g for r, g in zip(reviewed, generated, strict=True)), "no description at all"
    assert None in bench["Code"]
    assert any(c and _canonical(c) is None for c in bench["Code"]), "invalid Python"
    assert any(c and "TexMobject(" in c for c in bench["Code"])


def test_duplicates_across_files(pairs):
    by_exact: dict[str, set[str]] = defaultdict(set)
    by_ast: dict[str, set[str]] = defaultdict(set)
    texts_by_ast: dict[str, set[str]] = defaultdict(set)
    for name, _, raw in pairs:
        code = _rough_code(raw)
        key = _canonical(code)
        if key is None:
            continue
        by_exact[code].add(name)
        by_ast[key].add(name)
        texts_by_ast[key].add(code)
    assert sum(len(files) == 3 for files in by_exact.values()) >= 1, "byte-identical in all three files"
    assert sum(len(files) >= 2 for files in by_exact.values()) >= 8, "byte-identical across files"
    reformatted = [k for k, texts in texts_by_ast.items() if len(texts) >= 2 and len(by_ast[k]) >= 2]
    assert len(reformatted) >= 4, "same program, different formatting, different files"
    assert sum(len(files) >= 2 for files in by_ast.values()) >= 12


def test_descriptions_vs_code(pairs):
    descs_by_code: dict[str, set[str]] = defaultdict(set)
    codes_by_desc: dict[str, set[str]] = defaultdict(set)
    for _, desc, raw in pairs:
        key = _canonical(_rough_code(raw))
        if key is None or not desc or not desc.strip():
            continue
        desc = desc.removeprefix(BOILERPLATE)
        descs_by_code[key].add(desc)
        codes_by_desc[desc].add(key)
    assert sum(len(d) >= 2 for d in descs_by_code.values()) >= 15, "paraphrased or mismatched pairs"
    assert sum(len(c) >= 2 for c in codes_by_desc.values()) >= 3, "alternative solutions"
    assert len(descs_by_code) >= 60, "distinct valid-looking programs"


def test_scene_files_are_python_and_every_one_is_used():
    """The data behind the outputs: valid scenes parse; every scene file is a scene or broken row of rows.yaml."""
    scenes = sorted((SAMPLES / "scenes").glob("*.py"))
    assert len(scenes) >= 60
    for path in scenes:
        tree = guard.parse(path.read_bytes(), filename=str(path))
        assert any(isinstance(node, ast.ClassDef) for node in tree.body), path.name
    rows = (SAMPLES / "rows.yaml").read_text(encoding="utf-8")
    for path in [*scenes, *(SAMPLES / "scenes" / "broken").glob("*.py")]:
        assert f"\n  {path.stem}:\n" in rows, f"{path.name} has no entry in rows.yaml"


def test_generator_is_deterministic_and_committed_files_are_current(tmp_path, monkeypatch):
    script = ROOT / "scripts" / "make_samples.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path / "a")], check=True, capture_output=True
    )
    spec = importlib.util.spec_from_file_location("make_samples_under_test", script)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up here
    spec.loader.exec_module(module)
    counts = module.write_all(tmp_path / "b")
    assert set(counts) == set(FILES) and sum(counts.values()) >= 150
    for name in (*FILES, "README.md"):
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes(), name
        assert first == (SAMPLES / name).read_bytes(), f"{name} is stale: rerun scripts/make_samples.py"
