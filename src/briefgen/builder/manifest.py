"""What each output was made from, by content, and whether it is still current.

Every edition briefgen writes gets a record in ``<out>/.briefgen-manifest.json``:
the content hash of every file its render read (the brief, its ``sources:``, every
template loaded, the audience config, message catalogs, images), the files whose
absence it relied on (a project template that would shadow a built-in one), the
options and versions that change the result, and the size and time of the files
written. An edition is rebuilt only when one of those differs. Files are named as
the project names them (relative to its root), never by the working folder.

This module imports nothing heavy: a build with nothing to do must not pay for
WeasyPrint, Jinja or pydantic.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..files import write_if_changed
from ..source.editions import Edition
from ..source.project import Project

MANIFEST = ".briefgen-manifest.json"
FORMAT = 2  # 2: keys relative to the project's root; typed brief entries


class Digests:
    """Content hashes of a project's files, each read at most once: one per build."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._cache: dict[str, str | None] = {}

    def __call__(self, key: str) -> str | None:
        if key not in self._cache:
            try:
                data = self.project.path(key).read_bytes()
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                self._cache[key] = None
            else:
                self._cache[key] = hashlib.sha256(data).hexdigest()[:20]
        return self._cache[key]

    def of(self, path: Path) -> str | None:
        return self(self.project.key(path))


@dataclass
class EditionRecord:
    """What one edition (an audience in a language, or two) was made from, and wrote."""

    brief: str  # the brief file's key
    audience: str
    edition: str  # its name: en, en-ru
    inputs: dict[str, str | None]  # file key -> content hash, None: must not exist
    outputs: dict[str, list[int]]  # file key -> [size, mtime_ns] as written
    options: dict[str, str]
    seconds: float = 0.0  # how long it took to make: the next build schedules by it

    @property
    def key(self) -> str:
        return edition_key(self.brief, self.audience, Edition.parse(self.edition))


def edition_key(brief: str, audience: str, edition: Edition) -> str:
    return f"{brief}::{audience}::{edition.name}"


@dataclass
class IndexEntry:
    """What the front page shows of a brief in one language."""

    title: str
    summary: str
    date: str
    date_iso: str


@dataclass
class BriefEntry:
    """What a brief file made when it was last parsed: a brief whose file and whose
    editions' inputs are unchanged need not be parsed again."""

    id: str
    digest: str | None  # of the brief file as parsed
    ok: bool  # whether every edition it makes could be made
    audiences: dict[str, list[str]]  # audience -> the names of the editions it makes
    index: dict[str, IndexEntry] = field(default_factory=dict)  # per complete language

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BriefEntry:
        return cls(str(data["id"]), data["digest"], bool(data["ok"]),
                   {str(a): [str(e) for e in names] for a, names in data["audiences"].items()},
                   {str(lang): IndexEntry(**entry) for lang, entry in data["index"].items()})

    def editions(self, audience: str) -> list[Edition]:
        return [Edition.parse(name) for name in self.audiences.get(audience, [])]


@dataclass
class Manifest:
    """The records of the last builds into one output folder."""

    path: Path
    records: dict[str, EditionRecord] = field(default_factory=dict)
    briefs: dict[str, BriefEntry] = field(default_factory=dict)  # by brief file key
    stamp: tuple[int, int] | None = None  # the file's inode and time when it was read
    index: dict[str, str | None] = field(default_factory=dict)  # the front page's inputs

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls(path, stamp=_stamp(path))
            records = {key: EditionRecord(**value) for key, value in data["editions"].items()}
            briefs = {key: BriefEntry.from_json(value) for key, value in data["briefs"].items()}
            index = dict(data.get("index", {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(path, stamp=_stamp(path))  # none, or unreadable: rebuild everything
        return cls(path, records, briefs, _stamp(path), index)

    def index_is_current(self, digests: Digests) -> bool:
        """Whether the front page exists and its templates are as when it was written."""
        return bool(self.index) and (self.path.parent / "index.html").is_file() and all(
            digests(key) == digest for key, digest in self.index.items())

    def changed_on_disk(self) -> bool:
        """Whether another build wrote the manifest since this one read it."""
        return _stamp(self.path) != self.stamp

    def save(self) -> None:
        document = {"format": FORMAT,
                    "briefs": {key: asdict(entry) for key, entry in self.briefs.items()},
                    "index": self.index,
                    "editions": {key: asdict(self.records[key]) for key in sorted(self.records)}}
        write_if_changed(self.path, (json.dumps(document, indent=1, sort_keys=True,
                                                ensure_ascii=False) + "\n").encode())
        self.stamp = _stamp(self.path)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


def output_stat(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def stale_reason(record: EditionRecord | None, options: dict[str, str], digests: Digests
                 ) -> str | None:
    """Why an edition must be rebuilt, in words; None when it is up to date."""
    if record is None:
        return "not built before"
    for name, value in options.items():
        if record.options.get(name) != value:
            was = record.options.get(name, "unset")
            return f"{name} changed ({was} -> {value})"
    for key, digest in record.inputs.items():
        now = digests(key)
        if now != digest:
            if digest is None:
                return f"{key} appeared"
            return f"{key} was removed" if now is None else f"{key} changed"
    for key, stat in record.outputs.items():
        try:
            if output_stat(digests.project.path(key)) != stat:
                return f"{key} was modified since it was written"
        except OSError:
            return f"{key} is missing"
    return None
