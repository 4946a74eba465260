"""`manim-dataset extract REPO_DIR [--out FILE.jsonl]`: what one repo yields, one JSON object per scene."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from builder.repos import datafiles
from builder.repos.source import isolated_extract


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("repo_dir", type=Path, help="local checkout of the repository")
    parser.add_argument("--out", type=Path, default=None, help="write JSON lines here (default: stdout)")
    parser.add_argument("--include", action="append", default=[], help="glob of files to scan (repeatable)")
    parser.add_argument("--exclude", action="append", default=[], help="glob of files to skip (repeatable)")
    parser.add_argument("--license", default=None, help="override the detected licence (SPDX id)")
    parser.add_argument("--max-datafile-bytes", type=int, default=datafiles.DEFAULT_MAX_BYTES)


def run(args: argparse.Namespace) -> int:
    if not args.repo_dir.is_dir():
        print(f"extract: {args.repo_dir} is not a directory", file=sys.stderr)
        return 2
    results = isolated_extract(
        args.repo_dir,
        license=args.license,
        include=args.include,
        exclude=args.exclude,
        max_datafile_bytes=args.max_datafile_bytes,
    )
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    n_ok = n_excluded = 0
    try:
        for res in results:
            out.write(json.dumps(res.as_json(), ensure_ascii=False) + "\n")
            n_ok += res.status == "ok"
            n_excluded += res.status == "excluded"
    finally:
        if args.out:
            out.close()
    print(f"extract: {n_ok} ok, {n_excluded} excluded", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="manim-dataset extract", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
