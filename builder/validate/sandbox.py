"""The bubblewrap command that starts one validation worker, and the check that bubblewrap works here.

Layout inside the sandbox: the host root read-only; no network interfaces but loopback (own netns);
/root, /home and /run hidden behind empty tmpfs (no `~/.cache/huggingface/token`), with only the Python
install that the venv points to bound back read-only; a private size-capped tmpfs at /tmp holding the
scratch dir and an empty HOME; an empty environment except what the worker needs. As root the worker
drops to an unprivileged uid with `setpriv`, because the kernel ignores RLIMIT_NPROC for root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
SCRATCH = "/tmp/scratch"
TEX_SEED_DIR = "/run/validate-tex-seed"  # read-only LaTeX glyphs compiled by a trusted process

FIX_HINT = (
    "Install bubblewrap (`apt-get install bubblewrap`) and make sure user namespaces are allowed "
    "(`sysctl kernel.unprivileged_userns_clone=1` / `user.max_user_namespaces` > 0; in Docker run with "
    "`--security-opt seccomp=unconfined --cap-add SYS_ADMIN` or `--privileged`). To validate without any "
    "sandbox (runs untrusted code on this machine!) pass --unsafe-no-sandbox."
)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create the namespaces it needs."""


@dataclass(frozen=True, slots=True)
class SandboxSpec:
    """What one worker's sandbox needs to know."""

    uid: int = 65534  # unprivileged uid the worker runs as when we are root
    gid: int = 65534
    tmp_bytes: int = 512 * 1024**2  # size cap of the private /tmp
    tex_seed: Path | None = None  # host dir bound read-only at TEX_SEED_DIR


def python_paths() -> tuple[Path, ...]:
    """Directories the interpreter needs: the venv and the base install it was created from."""
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent.parent}
    paths.add(Path(sysconfig.get_paths()["stdlib"]).resolve().parent.parent)
    return tuple(sorted(paths))


def _hidden_roots() -> tuple[str, ...]:
    """Home directories, /run, and a Hugging Face home that was moved out of them."""
    roots = ["/root", "/home", "/run", "/var/run/secrets"]
    for var in ("HF_HOME", "HUGGINGFACE_HUB_CACHE", "XDG_CACHE_HOME"):
        if os.environ.get(var):
            roots.append(os.path.realpath(os.environ[var]))
    return tuple(p for p in dict.fromkeys(roots) if os.path.isdir(p) and p != "/")


def _hidden_files() -> tuple[str, ...]:
    token = os.environ.get("HF_TOKEN_PATH")
    return (os.path.realpath(token),) if token and os.path.isfile(token) else ()


def bound_back() -> tuple[Path, ...]:
    """The interpreter, venv and checkout when they live under a hidden dir or /tmp: bound back
    read-only (a CI clone or a wheel check's fresh venv under /tmp must stay visible, and unwiped)."""
    covered = (*_hidden_roots(), "/tmp")
    paths = dict.fromkeys((*python_paths(), WORKER_SCRIPT.parents[2]))
    return tuple(p for p in paths if any(str(p).startswith(root + "/") for root in covered))


def bwrap_command(spec: SandboxSpec, argv: list[str]) -> list[str]:
    """The full argv that runs `argv` inside the sandbox."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(f"bubblewrap (bwrap) is not installed. {FIX_HINT}")
    cmd = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for hidden in _hidden_roots():
        cmd += ["--tmpfs", hidden]
    for hidden in _hidden_files():
        cmd += ["--ro-bind", "/dev/null", hidden]
    cmd += ["--perms", "1777", "--size", str(spec.tmp_bytes), "--tmpfs", "/tmp"]
    cmd += ["--perms", "1777", "--dir", SCRATCH]
    for path in bound_back():
        for parent in reversed(path.parents[:-2]):  # bwrap would create them 0700, unreadable to the uid
            cmd += ["--perms", "0755", "--dir", str(parent)]
        cmd += ["--ro-bind", str(path), str(path)]
    if spec.tex_seed is not None:
        cmd += ["--ro-bind", str(spec.tex_seed), TEX_SEED_DIR]
    cmd += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    # No --die-with-parent: its signal fires when the *thread* that started bwrap exits, and the pool
    # starts workers from short-lived threads. A worker exits on its own when its stdin closes.
    cmd += ["--new-session", "--chdir", SCRATCH, "--clearenv"]
    env = {
        "HOME": f"{SCRATCH}/home",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "USER": "sandbox",
        "TMPDIR": "/tmp",
        "MPLCONFIGDIR": "/tmp/mpl",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            raise SandboxUnavailable("setpriv (util-linux) is needed to drop root inside the sandbox.")
        cmd += ["--", setpriv, f"--reuid={spec.uid}", f"--regid={spec.gid}", "--clear-groups"]
        cmd += ["--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    else:
        cmd.insert(1, "--unshare-user")
        cmd += ["--"]
    return cmd + argv


def check_bwrap(spec: SandboxSpec | None = None) -> None:
    """Fail early, with a fix, if the sandbox cannot start or is not what we think it is."""
    probe = bwrap_command(spec or SandboxSpec(), ["/bin/sh", "-c", "id -u; cat /proc/net/dev | wc -l"])
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SandboxUnavailable(f"bubblewrap could not start: {exc}. {FIX_HINT}") from exc
    if done.returncode != 0:
        raise SandboxUnavailable(f"bubblewrap failed: {done.stderr.strip()[:500]}. {FIX_HINT}")
    lines = done.stdout.split()
    if not lines or lines[0] == "0":
        raise SandboxUnavailable(f"the sandbox still runs as root. {FIX_HINT}")
