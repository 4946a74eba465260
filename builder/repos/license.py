"""A repository's licence as an SPDX id, from its LICENSE / LICENCE / COPYING file.

Full licence texts are identified with `licenseclassifier` (pure Python, offline, reports nothing rather
than guessing). Short notices it does not match (an `SPDX-License-Identifier:` line, a Creative Commons
URL, a licence title) are recognised from a small table of the licences common in Manim repos.
No licence file -> "unknown" (all rights reserved: not redistributable by default policy of the caller).
"""

from __future__ import annotations

import os
import re

from builder.repos.repo_files import RepoFiles, RepoReadError

_FILE = re.compile(r"^(LICEN[CS]E|COPYING|UNLICENSE)([._-].*)?$", re.IGNORECASE)
_SPDX_LINE = re.compile(r"SPDX-License-Identifier:\s*([A-Za-z0-9.+-]+)")
# (pattern, SPDX id), most specific first
_NOTICES: tuple[tuple[str, str], ...] = (
    (
        r"creativecommons\.org/licenses/by-nc-sa/4\.0|Attribution-NonCommercial-ShareAlike 4\.0",
        "CC-BY-NC-SA-4.0",
    ),
    (r"creativecommons\.org/licenses/by-nc/4\.0|Attribution-NonCommercial 4\.0", "CC-BY-NC-4.0"),
    (r"creativecommons\.org/licenses/by-sa/4\.0|Attribution-ShareAlike 4\.0", "CC-BY-SA-4.0"),
    (r"creativecommons\.org/licenses/by/4\.0|Attribution 4\.0 International", "CC-BY-4.0"),
    (r"GNU AFFERO GENERAL PUBLIC LICENSE\s+Version 3", "AGPL-3.0-only"),
    (r"GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3", "LGPL-3.0-only"),
    (r"GNU GENERAL PUBLIC LICENSE\s+Version 3", "GPL-3.0-only"),
    (r"GNU GENERAL PUBLIC LICENSE\s+Version 2", "GPL-2.0-only"),
    (r"Apache License,?\s+Version 2\.0", "Apache-2.0"),
    (r"Mozilla Public License,?\s+v(ersion)?\.?\s*2\.0", "MPL-2.0"),
    (r"This is free and unencumbered software released into the public domain", "Unlicense"),
    (r"^\s*MIT License", "MIT"),
    (r"^\s*BSD 3-Clause License", "BSD-3-Clause"),
    (r"^\s*BSD 2-Clause License", "BSD-2-Clause"),
)


MAX_LICENCE_BYTES = 256 * 1024


def licence_files(fs: RepoFiles) -> list[str]:
    """Top-level licence files of the repo (only regular files inside it)."""
    return sorted(name for name in os.listdir(fs.root) if _FILE.match(name) and fs.is_file(name))


def identify_text(text: str) -> str | None:
    """SPDX id (or `A AND B` for several) of one licence file's text, None when not recognised."""
    found: list[str] = []
    try:
        from licenseclassifier import identify_license

        found = [r.id for r in identify_license(text)]
    except ImportError:  # the table below still covers the common licences
        found = []
    if not found:
        found = _SPDX_LINE.findall(text)
    if not found:
        found = [
            spdx for pattern, spdx in _NOTICES if re.search(pattern, text, re.IGNORECASE | re.MULTILINE)
        ][:1]
    unique = sorted(dict.fromkeys(found))
    return " AND ".join(unique) if unique else None


def detect_license(fs: RepoFiles) -> str:
    """The repo's licence: first recognised licence file, "unknown" when there is none or none matches."""
    for name in licence_files(fs):
        try:
            text = fs.read_bytes(name, MAX_LICENCE_BYTES).decode("utf-8", errors="replace")
        except RepoReadError:
            continue
        spdx = identify_text(text)
        if spdx:
            return spdx
    return "unknown"
