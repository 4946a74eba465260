"""What a name used in a repo module resolves to: the answers of `RepoIndex.lookup` (modules.py), and
the `Free` names closure.py decides to leave as written; closure.py, inline.py and discover.py act on them.

Why: a scene's program is built from these answers (inline a local definition or module, import an
external name, leave a builtin or a fix-supplied name as written, or exclude the scene for a module the
repo lacks or a file it must not read), so they are one small vocabulary of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Binding",
    "Builtin",
    "External",
    "Free",
    "LocalDef",
    "LocalModule",
    "Missing",
    "Unreadable",
    "Unresolved",
]


@dataclass(frozen=True)
class LocalDef:
    module: str
    name: str


@dataclass(frozen=True)
class LocalModule:
    module: str  # key of the module, or a namespace directory ending in "/"


@dataclass(frozen=True)
class External:
    """A name bound by an import of a non-repo module; `star` for names that come from `from X import *`."""

    module: str
    attr: str | None
    name: str
    star: bool = False


@dataclass(frozen=True)
class Builtin:
    name: str


@dataclass(frozen=True)
class Free:
    """A name left as written, bound by nothing in the repo: a fix supplies it, or only function bodies
    read it (decided in closure.py; never produced by `lookup`)."""

    name: str


@dataclass(frozen=True)
class Missing:
    """The name comes from a module that the repo imports but does not contain."""

    module: str


@dataclass(frozen=True)
class Unreadable:
    """The name comes from a repo file that must not or cannot be read (`reason` says why)."""

    reason: str


@dataclass(frozen=True)
class Unresolved:
    name: str


Binding = LocalDef | LocalModule | External | Builtin | Free | Missing | Unreadable | Unresolved
