"""What an output was made from: the record that makes rebuilding exact."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

# An input that is no file: a font family an edition embeds ("font:PT Sans"), which
# the build fingerprints by the files fontconfig lists for it.
FONT_PREFIX = "font:"
# An input that is no file: a family's member ("member:asean-bn"), its row of the
# family's table and the brief file it fills, hashed together when the family is read.
MEMBER_PREFIX = "member:"
MEMBER_MARK = "#"  # a member's records: "briefs/asean.yaml#bn"


def brief_key(file_key: str, member: str | None) -> str:
    """How the manifest names a brief: its file's key, and a member's key after it."""
    return f"{file_key}{MEMBER_MARK}{member}" if member else file_key


def file_key_of(key: str) -> str:
    """The brief file of a manifest's brief key (a member's family file)."""
    head, mark, member = key.rpartition(MEMBER_MARK)
    return head if mark and "/" not in member and head.endswith((".yaml", ".yml")) else key


def member_of(key: str) -> str | None:
    """The member a manifest's brief key names; None for an ordinary brief."""
    file_key = file_key_of(key)
    return key[len(file_key) + 1:] if file_key != key else None


class Inputs:
    """Files an output was made from, and files whose absence it relied on.

    A project template that would shadow the built-in one a render used is recorded
    as absent: creating it must rebuild that output, as editing a present one does.
    """

    def __init__(self, items: Iterable[tuple[Path, bool]] = ()) -> None:
        self._items: dict[Path, bool] = {}
        for path, exists in items:
            self.add(path, exists)

    def add(self, path: Path, exists: bool = True) -> None:
        # A file read in one place and found absent in another was read.
        self._items[path] = self._items.get(path, False) or exists

    def update(self, other: Inputs | Iterable[tuple[Path, bool]]) -> None:
        for path, exists in other:
            self.add(path, exists)

    def __iter__(self) -> Iterator[tuple[Path, bool]]:
        return iter(sorted(self._items.items()))

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, path: object) -> bool:
        return path in self._items
