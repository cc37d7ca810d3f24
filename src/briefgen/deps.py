"""What each output was made from, by content, and whether it is still current.

Every edition briefgen writes gets a record in ``<out>/.briefgen-manifest.json``:
the content hash of every file its render read (the brief, its ``sources:``, every
template loaded, the audience config, message catalogs, images), the files whose
absence it relied on (a project template that would shadow a built-in one), the
options and versions that change the result, and the size and time of the files
written. An edition is rebuilt only when one of those differs.

This module imports nothing heavy: a build with nothing to do must not pay for
WeasyPrint, Jinja or pydantic.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .files import write_if_changed

MANIFEST = ".briefgen-manifest.json"
FORMAT = 1
PACKAGE_DIR = Path(__file__).parent
BUILTIN_PREFIX = "builtin:"


def key_of(path: Path) -> str:
    """How a file is named in the manifest: relative to the project, or to briefgen."""
    resolved = path.resolve()
    if resolved.is_relative_to(PACKAGE_DIR):
        return BUILTIN_PREFIX + resolved.relative_to(PACKAGE_DIR).as_posix()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def path_of(key: str) -> Path:
    if key.startswith(BUILTIN_PREFIX):
        return PACKAGE_DIR / key.removeprefix(BUILTIN_PREFIX)
    return Path(key)


class Digests:
    """Content hashes of files, each read at most once per run."""

    def __init__(self) -> None:
        self._cache: dict[str, str | None] = {}

    def __call__(self, key: str) -> str | None:
        if key not in self._cache:
            try:
                data = path_of(key).read_bytes()
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                self._cache[key] = None
            else:
                self._cache[key] = hashlib.sha256(data).hexdigest()[:20]
        return self._cache[key]

    def forget(self, key: str) -> None:
        self._cache.pop(key, None)


@cache
def environment() -> dict[str, str]:
    """Versions and machine facts that change outputs: a change rebuilds everything."""
    facts = {"briefgen": __version__}
    for package in ("weasyprint", "pydyf", "fonttools", "jinja2", "markdown", "babel", "nh3"):
        try:
            facts[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            facts[package] = "-"
    facts["fonts"] = _font_fingerprint()
    return facts


def _font_fingerprint() -> str:
    """The installed fonts, as fontconfig lists them (files, families, styles, sizes).

    Hashing every font file's content on every run would cost far more than the
    build it saves; a font installed, removed or updated changes this list.
    """
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file}|%{family}|%{style}\n"],
                                 capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    lines = []
    for line in sorted(set(listing.splitlines())):
        path = line.split("|", 1)[0]
        try:
            stat = os.stat(path)
            lines.append(f"{line}|{stat.st_size}|{stat.st_mtime_ns}")
        except OSError:
            lines.append(line)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:20]


@dataclass
class EditionRecord:
    """What one edition (an audience in a language, or two) was made from, and wrote."""

    brief: str
    audience: str
    edition: str
    inputs: dict[str, str | None]  # file key -> content hash, None: must not exist
    outputs: dict[str, list[int]]  # file key -> [size, mtime_ns] as written
    options: dict[str, str]
    seconds: float = 0.0  # how long it took to make: the next build schedules by it

    @property
    def key(self) -> str:
        return edition_key(self.brief, self.audience, self.edition)


def edition_key(brief: str, audience: str, edition: str) -> str:
    return f"{brief}::{audience}::{edition}"


def output_stat(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


@dataclass
class Manifest:
    """The records of the last builds into one output folder.

    ``briefs`` maps each brief file to what it made when last parsed: its id, the
    hash of the file, whether all its editions could be made, and the editions it
    makes per audience. A brief whose hash and editions' inputs are unchanged need
    not be parsed again.
    """

    path: Path
    records: dict[str, EditionRecord] = field(default_factory=dict)
    briefs: dict[str, dict[str, Any]] = field(default_factory=dict)
    stamp: tuple[int, int] | None = None  # the file's inode and time when it was read
    index: dict[str, str | None] = field(default_factory=dict)  # the front page's inputs

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls(path)
            records = {key: EditionRecord(**value) for key, value in data["editions"].items()}
            briefs = dict(data["briefs"])
            index = dict(data.get("index", {}))
        except (OSError, ValueError, KeyError, TypeError):
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
        document = {"format": FORMAT, "briefs": self.briefs, "index": self.index,
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
            if output_stat(path_of(key)) != stat:
                return f"{key} was modified since it was written"
        except OSError:
            return f"{key} is missing"
    return None
