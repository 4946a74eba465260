"""What a Ray node must have to validate scenes as the driver would, and checking every node for it
before any work is sent: bubblewrap, TeX, manim, this package and manim at the driver's versions, and
the same package code. A node that fails is named (address, host, Ray node id) with what it lacks."""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import shutil
import socket
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from builder.executors import NodeError
from builder.validate.manim_names import manim_version
from builder.validate.pool import ensure_tex_seed
from builder.validate.sandbox import SandboxUnavailable, check_bwrap

STARTUP_TIMEOUT_S = 300.0  # a node's check (and an actor's start-up) must be done by then
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # builder/


def package_code() -> str:
    """A digest of this package's code (fixes, static checks, the sandboxed worker...): a node with
    other code, even at the same version number (an edited checkout), would give other rows."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def environment() -> dict[str, str]:
    """What must be equal on the driver and every node for the verdicts to be the same."""
    found = {}
    for pkg in ("manim-code-dataset", "manim"):
        try:
            found[pkg] = version(pkg)
        except PackageNotFoundError:
            found[pkg] = "missing"
    found["package code"] = package_code()
    return found


def node_label() -> str:
    """How errors name the node this runs on: address, host name and Ray node id."""
    node_id = ray.get_runtime_context().get_node_id()
    return f"node {ray.util.get_node_ip_address()} ({socket.gethostname()}, id {node_id[:12]})"


def node_problems(expected: dict[str, str], sandbox: bool) -> list[str]:
    """Everything this node lacks for validation, each a sentence saying what to install or align."""
    problems = []
    if sandbox:
        try:
            check_bwrap()
        except SandboxUnavailable as exc:
            problems.append(str(exc))
    missing = [tool for tool in ("latex", "dvisvgm") if shutil.which(tool) is None]
    if missing:
        problems.append(f"no {' or '.join(missing)} (install texlive-latex-base texlive-latex-extra dvisvgm)")
    if importlib.util.find_spec("manim") is None:
        problems.append("manim is not importable")
    here = environment()
    for key, want in expected.items():
        if here.get(key) != want:
            problems.append(f"{key} is {here.get(key)} here but {want} on the driver (install the same)")
    return problems


def check_node(expected: dict[str, str], sandbox: bool) -> tuple[str, list[str]]:
    return node_label(), node_problems(expected, sandbox)


def check_nodes(sandbox: bool) -> list[tuple[str, int]]:
    """Check every alive node with CPUs; (node id, CPU slots) of each, or a NodeError naming the bad ones."""
    expected = environment()
    nodes = [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) >= 1]
    if not nodes:
        raise NodeError("the Ray cluster has no alive node with a CPU")
    remote = ray.remote(num_cpus=0, max_retries=0)(check_node)
    refs = [
        remote.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote(
            expected, sandbox
        )
        for n in nodes
    ]
    reports = ray.get(refs, timeout=STARTUP_TIMEOUT_S)
    bad = [
        f"{label}: {'; '.join(p.rstrip('.') for p in problems)}" for label, problems in reports if problems
    ]
    if bad:
        raise NodeError("cannot validate on this Ray cluster: " + " | ".join(bad))
    return [(n["NodeID"], int(n["Resources"]["CPU"])) for n in nodes]


def node_tex_seed(driver_seed: Path | None) -> Path | None:
    """The driver's digit seed when this node sees it complete (same machine, shared disk), else one
    compiled once on this node under a lock (actors start side by side)."""
    if driver_seed is None:
        return None
    if (driver_seed / ".complete").exists():
        return driver_seed
    seed = Path(tempfile.gettempdir()) / "manim-dataset-tex-seed" / manim_version()
    seed.parent.mkdir(parents=True, exist_ok=True)
    with open(seed.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ensure_tex_seed(seed)
    return seed
