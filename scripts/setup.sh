#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian machine: system packages, .venv, the package.
# Idempotent: rerunning skips what is already there.
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh dev,ray (what make setup runs)   or   scripts/setup.sh dev,validation-extras
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="${1:-dev}"

APT_PACKAGES=(
  libcairo2-dev libpango1.0-dev pkg-config      # pycairo and manimpango build from source
  texlive-latex-base texlive-latex-extra dvisvgm  # MathTex/Tex (standalone.cls lives in -extra)
  bubblewrap util-linux                          # the validation sandbox (bwrap, setpriv)
  git python3-venv python3-dev gcc g++ make
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo ">> apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    cat >&2 <<MSG
These Debian packages are missing: ${missing[*]}
Run as root (or ask an administrator):
    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}
then run this command again. Nothing else here needs root.
MSG
    exit 1
  fi
fi

PY="${PYTHON:-python3}"
"$PY" -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"' || {
  echo "Python >= 3.11 is required (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${EXTRAS//,/_}"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[${EXTRAS}]"
  touch "$stamp"
fi
echo ">> setup done: $(.venv/bin/python -c 'import manim; print("manim", manim.__version__)' 2>/dev/null)"
