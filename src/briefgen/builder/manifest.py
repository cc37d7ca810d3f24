"""What each output was made from, by content, and whether it is still current.

Every edition briefgen writes gets a record in ``<out>/.briefgen-manifest.json``:
the content hash of every file its render read (the brief, its sources and data, every
template loaded, the audience config, message catalogs, images), the files whose
absence it relied on (a project template that would shadow a built-in one), the
options and versions that change the result, and the content hash of each file it
wrote. An edition is rebuilt only when one of those differs. Files are named as the
project names them (relative to its root), never by the working folder: a committed
output folder is as current in a fresh clone as where it was built.

The manifest is read as untrusted input (it may sit in a committed folder anyone can
edit): a record that names a file outside the project or the output folder, or an
id, audience or edition that briefgen could not have written, is dropped, and that
edition is simply made again.

This module imports nothing heavy: a build with nothing to do must not pay for
WeasyPrint, Jinja or pydantic.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import write_if_changed
from ..inputs import FONT_PREFIX, MEMBER_PREFIX
from ..source.editions import Edition
from ..source.project import Project
from .fingerprint import font_digest
from .stats import StatCache, digest_of
from .trust import Check, mapping

MANIFEST = ".briefgen-manifest.json"
# What a build finished since the manifest was last saved, a line each: a thousand
# editions must not write the whole manifest a thousand times, and a killed build must
# not lose one (the next build reads the lines, if they extend the manifest there).
JOURNAL = ".briefgen-journal.jsonl"
FORMAT = 4  # 4: briefs note the settings they were read with; 3: outputs by content hash


class Digests:
    """Content hashes of a project's files, each read at most once a build (outputs
    through a cache of sizes and times: a no-op build reads none of them), and of the
    font families editions embed."""

    def __init__(self, project: Project, stats: StatCache | None = None) -> None:
        self.project = project
        self.stats = stats
        self._cache: dict[str, str | None] = {}
        self.root = str(project.root)
        self._keys: dict[Path, str] = {}
        # A family member's row and file, hashed when its family is planned.
        self.members: dict[str, str] = {}

    def __call__(self, key: str) -> str | None:
        if key in self._cache:  # most keys, a thousand times over in a large project
            return self._cache[key]
        if key.startswith(FONT_PREFIX):  # a font family an edition embeds
            return font_digest(key.removeprefix(FONT_PREFIX))
        if key.startswith(MEMBER_PREFIX):
            return self.members.get(key)
        if key not in self._cache:
            path = self.project.path(key)
            try:
                # Only regular files: a key naming /dev/zero must not hang a build.
                self._cache[key] = digest_of(path.read_bytes()) if path.is_file() else None
            except OSError:
                self._cache[key] = None
        return self._cache[key]

    def of(self, path: Path) -> str | None:
        if path not in self._keys:  # a family's members name the same files
            self._keys[path] = self.project.key(path)
        return self(self._keys[path])

    def output(self, path: Path) -> str | None:
        """The hash of an output file, None when it is missing."""
        return self.of(path) if self.stats is None else self.stats.digest(path)

    def output_named(self, key: str) -> str | None:
        """The hash of the output file a record names, None when it is missing."""
        if self.stats is None:
            return self(key)
        return self.stats.digest(key if key.startswith("/") else f"{self.root}/{key}")


@dataclass
class EditionRecord:
    """What one edition (an audience in a language, or two) was made from, and wrote."""

    brief: str  # the brief file's key
    audience: str
    edition: str  # its name: en, en-ru
    inputs: dict[str, str | None]  # file key -> content hash, None: must not exist
    outputs: dict[str, str]  # file key -> content hash as written
    options: dict[str, str]
    seconds: float = 0.0  # how long it took to make: the next build schedules by it
    fitted: float | None = None  # the size the fit search chose: where the next starts
    content: str | None = None  # what its files show (Maker.content)

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
    settings: dict[str, str | None] = field(default_factory=dict)  # briefgen.yaml, brand
    facts: dict[str, str] = field(default_factory=dict)  # what the change report compares
    updated: str = ""  # "2026-11-22: 2 figures changed", its last change, for the front page

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
    index_of: str | None = None  # the digest of the entries the front page was written from
    saved: str | None = None  # the digest of the manifest's bytes, as read or last saved
    journaled: bool = False  # whether lines were added to the journal since the last save

    @classmethod
    def load(cls, out_dir: Path, project: Project) -> Manifest:
        """The manifest in ``out_dir``, keeping only records briefgen could have written."""
        path = out_dir / MANIFEST
        manifest = cls(path, stamp=_stamp(path))
        try:
            raw = path.read_bytes()
            data = json.loads(raw)
        except (OSError, ValueError):
            return manifest  # none, or unreadable: rebuild everything
        manifest.saved = hashlib.sha256(raw).hexdigest()
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return manifest
        check = Check(out_dir, project)
        for key, value in mapping(data.get("briefs")).items():
            entry = check.brief_entry(key, value)
            if entry is not None:
                manifest.briefs[key] = entry
        for key, value in mapping(data.get("editions")).items():
            record = check.record(value)
            if record is not None and record.key == key:
                manifest.records[key] = record
        index = mapping(data.get("index"))
        if all(check.input_key(k) and isinstance(v, (str, type(None))) for k, v in index.items()):
            manifest.index = index
        if isinstance(data.get("index_of"), str):
            manifest.index_of = data["index_of"]
        manifest._replay(check)
        return manifest

    def _replay(self, check: Check) -> None:
        """Add what a build killed before its last save finished: the journal's lines,
        if the journal extends this manifest (a line cut short by the kill is skipped)."""
        try:
            lines = (self.path.parent / JOURNAL).read_bytes().splitlines()
        except OSError:
            return
        if not lines or lines[0] != json.dumps({"base": self.saved}).encode():
            return
        for line in lines[1:]:
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if not isinstance(value, dict):
                continue
            record = check.record(value.get("edition"))
            if record is not None:
                self.records[record.key] = record
            failed = value.get("failed")
            if isinstance(failed, str) and failed in self.briefs:
                self.briefs[failed].ok = False

    def journal(self, records: list[EditionRecord], failed: str | None = None) -> None:
        """Add what one task made (and the brief it failed) to the journal: appended,
        not the whole manifest written again. The next save folds it in."""
        lines: list[dict[str, Any]] = [{"edition": vars(record)} for record in records]
        lines += [{"failed": failed}] if failed else []
        if not lines:
            return
        journal = self.path.parent / JOURNAL
        mode = "ab" if self.journaled else "wb"
        with journal.open(mode) as handle:
            if not self.journaled:
                handle.write(json.dumps({"base": self.saved}).encode() + b"\n")
            handle.write(b"".join(json.dumps(line, sort_keys=True, ensure_ascii=False)
                                  .encode() + b"\n" for line in lines))
        self.journaled = True

    def index_is_current(self, digests: Digests) -> bool:
        """Whether the front page exists, and its templates and the entries it lists are as
        when it was written (a build killed after saving an entry has not written it)."""
        return (bool(self.index) and self.index_of == self.index_source()
                and (self.path.parent / "index.html").is_file()
                and all(digests(key) == digest for key, digest in self.index.items()))

    def index_source(self) -> str:
        """A digest of what the front page shows: the briefs and the editions recorded."""
        shown = [sorted((key, plain(entry)) for key, entry in self.briefs.items()),
                 sorted(self.records)]
        return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()

    def changed_on_disk(self) -> bool:  # another build wrote it since this one read it
        return _stamp(self.path) != self.stamp

    def save(self) -> None:
        """Write it whole, a brief or an edition a line: a diff of a committed manifest
        shows what changed, and JSON's C encoder writes a thousand briefs' in a blink
        (an indented document is written by its Python one, ten times slower)."""
        def lines(items: dict[str, Any]) -> str:
            return "{\n" + ",\n".join(f"{_json(key)}: {_json(value)}"
                                      for key, value in sorted(items.items())) + "\n}"

        parts = {"briefs": lines({key: plain(entry) for key, entry in self.briefs.items()}),
                 "editions": lines({key: vars(record) for key, record in self.records.items()}),
                 "format": _json(FORMAT), "index": _json(self.index),
                 "index_of": _json(self.index_of)}
        data = ("{\n" + ",\n".join(f'"{name}": {text}' for name, text in parts.items())
                + "\n}\n").encode()
        write_if_changed(self.path, data)
        self.stamp = _stamp(self.path)
        self.saved = hashlib.sha256(data).hexdigest()
        (self.path.parent / JOURNAL).unlink(missing_ok=True)  # folded in
        self.journaled = False


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def plain(entry: BriefEntry) -> dict[str, Any]:
    """A brief's entry as JSON has it: ``asdict`` without its deep copies, which cost a
    tenth of a second a thousand briefs (the values are only read, to be dumped)."""
    return {**vars(entry), "index": {lang: vars(index) for lang, index in entry.index.items()}}


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


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
    for key, digest in record.outputs.items():
        now = digests.output_named(key)
        if now is None:
            return f"{key} is missing"
        if now != digest:
            return f"{key} was modified since it was written"
    return None
