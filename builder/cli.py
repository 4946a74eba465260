"""`manim-dataset`: a thin shell over the same functions the builder calls."""

from __future__ import annotations

import argparse
import importlib
import sys

from builder.errors import ConfigError
from builder.request import add_build_flags, request_from_args

# Subcommands that live with their stage: module with add_arguments(parser) and run(args) -> int.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("builder.repos.cli", "extract the self-contained scene programs of one repository (JSONL)"),
    "validate": (
        "builder.validate.cli",
        "validate .py files, folders or a built dataset (static/runtime/render)",
    ),
    "publish": ("builder.publish", "publish a built dataset folder to the Hugging Face Hub in one commit"),
}


def _add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the dataset (all configs) into an output folder")
    add_build_flags(p)  # every flag is a BuildRequest field (builder/request.py)


def print_summary(stats: dict) -> None:
    """Rows per source (in / out / excluded, top reasons) and per config and split."""
    print(f"\n{'source':<24}{'in':>8}{'out':>8}{'excluded':>10}  top reasons")
    for name, src in stats["sources"].items():
        excl = src["excluded"]
        top = ", ".join(f"{r} {n}" for r, n in sorted(excl.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
        print(f"{name:<24}{src['in']:>8}{src['out']:>8}{sum(excl.values()):>10}  {top}")
    print(f"\n{'config':<24}{'train':>8}{'valid':>8}{'test':>8}  dropped")
    for name, cfg in stats["configs"].items():
        s = cfg["splits"]
        dropped = ", ".join(f"{r} {n}" for r, n in cfg["dropped"].items()) or "-"
        print(f"{name:<24}{s['train']:>8}{s['validation']:>8}{s['test']:>8}  {dropped}")
    if stats.get("fixes"):
        print("\nfixes applied: " + ", ".join(f"{c} {n}" for c, n in stats["fixes"].items()))
    print(f"\naccounting: {'ok' if stats['accounting']['ok'] else 'FAILED'}")


def _run_build(args: argparse.Namespace) -> int:
    from builder.pipeline import build

    request = request_from_args(args)
    if request.unsafe_no_sandbox:
        print("warning: --unsafe-no-sandbox: scenes run unconfined on this machine", file=sys.stderr)
    result = build(request)
    print_summary(result.stats)
    print(f"wrote {request.out_dir}/")
    return 0 if result.stats["accounting"]["ok"] else 1


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="manim-dataset", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_build(sub)
    for name, (module, help_text) in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if getattr(args, "progress", True) is False:
        import datasets

        datasets.disable_progress_bars()
    try:
        if args.command == "build":
            return _run_build(args)
        return importlib.import_module(SUBCOMMANDS[args.command][0]).run(args)
    except ConfigError as exc:
        print(f"manim-dataset: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
