"""What a manifest may say: it is read as untrusted input (it may sit in a committed
folder anyone can edit), so every entry is checked for the shapes briefgen writes."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..source.project import AUDIENCE_PATTERN, BRIEF_ID_PATTERN, BUILTIN_PREFIX, Project

if TYPE_CHECKING:
    from .manifest import BriefEntry, EditionRecord

EDITION_PATTERN = r"[a-z]{2,3}(?:-[a-z]{2,3})?"
_ID = re.compile(BRIEF_ID_PATTERN)
_AUDIENCE = re.compile(AUDIENCE_PATTERN)
_EDITION = re.compile(EDITION_PATTERN)


def output_name_ok(path: Path, out_dir: Path, audience: str, edition: str) -> bool:
    """Whether ``path`` is where briefgen writes an edition, or a one-pager's picture."""
    brief_id = path.parent.name
    return (path.parent.parent == out_dir and bool(_ID.fullmatch(brief_id))
            and path.name in {f"{brief_id}-{audience}-{edition}.{fmt}"
                              for fmt in ("html", "pdf", "png")})


class Check:
    """The shapes a manifest's entries must have; anything else is dropped."""

    def __init__(self, out_dir: Path, project: Project) -> None:
        self.out_dir = out_dir.resolve()
        self.project = project
        self._fine: set[object] = set()  # input keys found fine
        self.out_key = project.key(self.out_dir)  # how records name the output folder

    def input_key(self, key: object) -> bool:
        """A file inside the project, or one of briefgen's own: never anywhere else.
        Checked by its text (a thousand records name the same templates: once each)."""
        if key in self._fine:
            return True
        if not isinstance(key, str) or not key or "\\" in key or "\0" in key:
            return False
        relative = key.removeprefix(BUILTIN_PREFIX)
        if relative.startswith("/") or ".." in relative.split("/"):
            return False
        self._fine.add(key)
        return True

    def brief_entry(self, key: str, value: Any) -> BriefEntry | None:
        from .manifest import BriefEntry, IndexEntry

        try:
            entry = BriefEntry(value["id"], value["digest"], value["ok"],
                               dict(value["audiences"]),
                               {lang: IndexEntry(**index)
                                for lang, index in dict(value["index"]).items()},
                               dict(value["settings"]), dict(value.get("facts", {})),
                               value.get("updated", ""))
        except (KeyError, TypeError, ValueError):
            return None
        fine = (self.input_key(key) and not key.startswith(BUILTIN_PREFIX)
                and isinstance(entry.id, str) and bool(_ID.fullmatch(entry.id))
                and isinstance(entry.digest, (str, type(None))) and isinstance(entry.ok, bool)
                and all(self._audience(a) and isinstance(names, list)
                        and all(self._edition(n) for n in names)
                        for a, names in entry.audiences.items())
                and all(self._edition(lang) and all(isinstance(v, str)
                                                    for v in asdict(index).values())
                        for lang, index in entry.index.items())
                and all(self.input_key(k) and isinstance(v, (str, type(None)))
                        for k, v in entry.settings.items())
                and all(isinstance(v, str) for v in [*entry.facts, *entry.facts.values(),
                                                     entry.updated]))
        return entry if fine else None

    def record(self, value: Any) -> EditionRecord | None:
        from .manifest import EditionRecord

        try:
            record = EditionRecord(**value)
        except TypeError:
            return None
        fine = (self.input_key(record.brief) and self._audience(record.audience)
                and self._edition(record.edition)
                and isinstance(record.inputs, dict) and isinstance(record.outputs, dict)
                and isinstance(record.options, dict)
                and isinstance(record.seconds, (int, float))
                and isinstance(record.fitted, (int, float, type(None)))
                and isinstance(record.content, (str, type(None)))
                and all(self.input_key(k) and isinstance(v, (str, type(None)))
                        for k, v in record.inputs.items())
                and all(self._output(k, record.audience, record.edition)
                        and isinstance(v, str) for k, v in record.outputs.items())
                and all(isinstance(k, str) and isinstance(v, str)
                        for k, v in record.options.items()))
        return record if fine else None

    def _output(self, key: object, audience: str, edition: str) -> bool:
        """Where briefgen writes an edition, by the key alone: a no-op build reads
        thousands, and touches no file for them (a file is checked again, links
        resolved, before it is ever deleted)."""
        if not isinstance(key, str) or "\0" in key or "\\" in key:
            return False
        folder, _, name = key.rpartition("/")
        out_dir, _, brief_id = folder.rpartition("/")
        return (out_dir == self.out_key and bool(_ID.fullmatch(brief_id))
                and name in {f"{brief_id}-{audience}-{edition}.{fmt}"
                             for fmt in ("html", "pdf", "png")})

    @staticmethod
    def _audience(name: object) -> bool:
        return isinstance(name, str) and bool(_AUDIENCE.fullmatch(name))

    @staticmethod
    def _edition(name: object) -> bool:
        return isinstance(name, str) and bool(_EDITION.fullmatch(name))


def mapping(value: Any) -> dict[str, Any]:
    return {k: v for k, v in value.items() if isinstance(k, str)} if isinstance(
        value, dict) else {}
