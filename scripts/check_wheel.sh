#!/usr/bin/env bash
# Build a wheel, install it into a fresh virtual environment, and run a build from an empty folder:
# the package must work outside the checkout (configs and the card template are package data).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d /tmp/wheel-check.XXXXXX)"
trap 'rm -rf "$work"' EXIT
base="$(.venv/bin/python -c 'import sys; print(sys.base_prefix)')/bin/python3"
echo ">> building the wheel"
.venv/bin/python -m pip wheel -q --no-deps -w "$work/wheel" . >/dev/null
echo ">> installing it into a fresh venv ($work/venv)"
"$base" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$work"/wheel/*.whl
mkdir "$work/empty"
cd "$work/empty"
echo ">> manim-dataset build from an empty folder"
"$work/venv/bin/manim-dataset" build --quiet --jobs 2 --out dist --cache-dir cache >build.log 2>&1 || {
  tail -40 build.log; exit 1; }
"$work/venv/bin/python" - <<'PY'
import json, pathlib
stats = json.loads(pathlib.Path("dist/stats.json").read_text())
assert stats["accounting"]["ok"], "accounting failed"
rows = {name: sum(cfg["splits"].values()) for name, cfg in stats["configs"].items()}
assert all(rows.values()), rows
assert pathlib.Path("dist/README.md").read_text().startswith("---"), "no card"
parquet = sorted(str(p) for p in pathlib.Path("dist").rglob("*.parquet"))
print(f"wheel check: ok ({rows}; {len(parquet)} parquet files)")
PY
