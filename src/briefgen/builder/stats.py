"""Output files by size and time: a build with nothing to do reads none of them.

Local to one checkout, never committed: file times are not content.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from stat import S_ISREG
from typing import Any

from ..files import write_if_changed

STAT_CACHE = ".briefgen-stat.json"


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


class StatCache:
    """Output file -> (size, time, content hash) as last seen: a file whose size and time
    are unchanged is not read again. Never committed (.gitignore'd in the folder)."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / STAT_CACHE
        self.entries: dict[str, list[Any]] = {}
        self.seen: set[str] = set()
        self.changed = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                self.entries = {str(k): v for k, v in data.items()
                                if isinstance(v, list) and len(v) == 3}
        except (OSError, ValueError):
            pass

    def digest(self, path: Path | str) -> str | None:
        """The content hash of the file at ``path`` (a path's text will do: a no-op
        build looks at thousands), None when it is missing or not a regular file."""
        key = str(path)
        try:
            stat = os.stat(key)
        except OSError:
            return None
        if not S_ISREG(stat.st_mode):
            return None
        self.seen.add(key)
        seen = self.entries.get(key)
        if seen is not None and seen[:2] == [stat.st_size, stat.st_mtime_ns]:
            return str(seen[2])
        try:
            with open(key, "rb") as handle:
                digest = digest_of(handle.read())
        except OSError:
            return None
        self.entries[key] = [stat.st_size, stat.st_mtime_ns, digest]
        self.changed = True
        return digest

    def save(self) -> None:
        """Write the cache if it learned something; it keeps the files seen this run."""
        if self.changed:
            entries = {k: v for k, v in self.entries.items() if k in self.seen}
            with contextlib.suppress(OSError):  # a cache: the next build hashes again
                write_if_changed(self.path, json.dumps(entries, sort_keys=True).encode())
            self.changed = False
