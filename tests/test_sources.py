"""Sources YAML contract: mistakes stop the build before any work; row trouble becomes exclusions."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.errors import ConfigError
from builder.pipeline import build
from builder.sources import load_sources

SCENE = "from manim import *\n\nclass Hello(Scene):\n    def construct(self):\n        self.add(Circle())\n"


def _yaml(tmp_path: Path, body: str, name: str = "sources.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _files_source(name: str, file: str, extra: str = "") -> str:
    return (
        f"  - name: {name}\n    kind: files\n    path: {file}\n"
        f"    fields: {{description: prompt, code: code}}\n    license: MIT\n{extra}"
    )


def test_invalid_yaml_names_the_file(tmp_path):
    path = _yaml(tmp_path, "sources: [\n  - name: x\n")
    with pytest.raises(ConfigError, match=r"sources\.yaml: invalid YAML"):
        load_sources([path])


def test_missing_sources_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read sources file"):
        load_sources([tmp_path / "nope.yaml"])


def test_missing_data_file_names_source(tmp_path):
    path = _yaml(tmp_path, "sources:\n" + _files_source("lost", "missing.jsonl"))
    with pytest.raises(ConfigError, match="source 'lost'.*no parquet/jsonl/json/csv file found"):
        load_sources([path])


def test_unknown_key_and_field_mapping(tmp_path):
    _jsonl(tmp_path / "a.jsonl", [{"prompt": "Draw a circle please", "code": SCENE}])
    bad_key = _yaml(tmp_path, "sources:\n" + _files_source("a", "a.jsonl", "    priorty: 3\n"))
    with pytest.raises(ConfigError, match=r"source 'a': unknown key\(s\) \['priorty'\]"):
        load_sources([bad_key])
    bad_field = _yaml(
        tmp_path,
        "sources:\n  - name: b\n    kind: files\n    path: a.jsonl\n    fields: {description: prompt, kode: code}\n",
        "b.yaml",
    )
    with pytest.raises(ConfigError, match=r"source 'b': unknown field mapping\(s\) \['kode'\]"):
        load_sources([bad_field])


def test_duplicate_source_names_across_files(tmp_path):
    _jsonl(tmp_path / "a.jsonl", [{"prompt": "Draw a circle please", "code": SCENE}])
    one = _yaml(tmp_path, "sources:\n" + _files_source("same", "a.jsonl"), "one.yaml")
    two = _yaml(tmp_path, "sources:\n" + _files_source("same", "a.jsonl"), "two.yaml")
    with pytest.raises(ConfigError, match="duplicate source name 'same'"):
        load_sources([one, two])


def test_unknown_column_fails_before_any_work(tmp_path):
    _jsonl(tmp_path / "a.jsonl", [{"prompt": "Draw a circle please", "code": SCENE}])
    path = _yaml(
        tmp_path,
        "sources:\n  - name: cols\n    kind: files\n    path: a.jsonl\n    fields: {description: question, code: code}\n",
    )
    with pytest.raises(
        ConfigError,
        match=r"source 'cols': column\(s\) \['question'\] not found.*available: \['code', 'prompt'\]",
    ):
        build(sources=[path], out_dir=tmp_path / "out", cache_dir=tmp_path / "cache", progress=False)
    assert not (tmp_path / "out").exists()


def test_row_trouble_becomes_exclusions_and_the_build_goes_on(tmp_path):
    good = {"prompt": "Draw a red circle in the middle", "code": SCENE}
    rows = [
        good,
        {"prompt": "Nothing here", "code": None},
        {"prompt": "Huge", "code": "x = 1\n" * 2_000_000},  # 12 MB
        {"prompt": "Prose only", "code": "I am sorry, I cannot write that animation for you."},
        {"prompt": "Not manim", "code": "def add(a, b):\n    return a + b\n"},
        {
            "prompt": "Broken colon after construct",
            "code": "from manim import *\nclass A(Scene):\n    def construct(self)\n        pass",
        },
        {"prompt": "", "code": SCENE.replace("Hello", "NoDescription")},  # runs: gets a synthesised one
        {"prompt": "", "code": SCENE.replace("Hello", "NoDescriptionBroken") + "        1 / 0\n"},
        {"prompt": "A class that is not a scene", "code": "class A:\n    pass\n"},
    ]
    _jsonl(tmp_path / "rows.jsonl", rows)
    with open(
        tmp_path / "rows.jsonl", "ab"
    ) as fh:  # a line that is not UTF-8 makes arrow give up on the file
        fh.write(b'{"prompt": "bad bytes \xff\xfe", "code": "x"}\n')
    table = pa.table(
        {
            "prompt": ["Bytes code that decodes", "Bytes that do not decode"],
            "code": pa.array([SCENE.replace("Hello", "FromBytes").encode(), b"\xff\xfe\x00"], pa.binary()),
        }
    )
    pq.write_table(table, tmp_path / "bin.parquet")
    # a line that is not JSON and a code cell of another type make arrow refuse the whole file
    (tmp_path / "mixed.jsonl").write_text(
        json.dumps({"prompt": "Draw a circle, mixed file", "code": SCENE.replace("Hello", "Mixed")})
        + "\n{not json\n"
        + json.dumps({"prompt": "A number as code", "code": 7})
        + "\n"
    )
    path = _yaml(
        tmp_path,
        "sources:\n"
        + _files_source("rows", "rows.jsonl")
        + _files_source("bin", "bin.parquet")
        + _files_source("mixed", "mixed.jsonl"),
    )
    result = build(sources=[path], out_dir=tmp_path / "out", cache_dir=tmp_path / "cache", progress=False)
    reasons = {(e.source, e.reason) for e in result.exclusions if e.scope == "all"}
    assert {
        ("rows", "missing-code"),
        ("rows", "too-large"),
        ("rows", "no-code"),
        ("rows", "no-scene"),
        ("rows", "syntax-error"),
        ("rows", "missing-description"),
        ("rows", "description-non-utf8"),
        ("bin", "non-utf8"),
        ("mixed", "unreadable-row"),
        ("mixed", "invalid-type:int"),
    } <= reasons
    assert result.stats["accounting"]["ok"]
    assert result.stats["sources"]["rows"]["in"] == len(rows) + 1
    assert result.stats["sources"]["rows"]["out"] == 2
    described = [
        r for rows in result.configs["clean"].values() for r in rows if r.scene_class == "NoDescription"
    ]
    assert [r.description_source for r in described] == ["synthesized"]
    assert "NoDescription" in described[0].description and "circle" in described[0].description
    assert result.stats["sources"]["bin"]["out"] == 1
    assert result.stats["sources"]["mixed"] == result.stats["sources"]["mixed"] | {"in": 3, "out": 1}
