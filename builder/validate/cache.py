"""The verdict cache: a sqlite file under the cache dir, so a rebuild validates only new or changed code.

Keyed by (sha256 of the code, manim version, stage, fingerprint of the settings that change a verdict).
Each program's verdict is committed as soon as it is known, so a killed build resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any


def code_sha(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def cache_key(code: str, manim_version: str, stage: str, fingerprint: str) -> str:
    return hashlib.sha256(f"{code_sha(code)}|{manim_version}|{stage}|{fingerprint}".encode()).hexdigest()


class VerdictCache:
    """A tiny key -> JSON store; one row per (program, manim version, stage, settings)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._db.commit()

    def get(self, key: str) -> Any | None:
        row = self._db.execute("SELECT value FROM verdicts WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, key: str, value: Any) -> None:
        self._db.execute("INSERT OR REPLACE INTO verdicts VALUES (?, ?)", (key, json.dumps(value)))
        self._db.commit()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> VerdictCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
