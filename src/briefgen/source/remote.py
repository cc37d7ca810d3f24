"""Sources and data files on the web: fetched from the hosts a project allows, kept in a
cache beside the build's manifest, and asked for again with a conditional request.

A copy in the cache is the file a brief reads: a 304 leaves it untouched (so nothing is
rebuilt), new bytes replace it only after they were read as a file of their kind (so a
server's error page never becomes a brief's data), the last good copy is put back when
the brief cannot be made from them (source.briefs), and a failed fetch leaves it in
place. Workers never fetch; they read the copies the build fetched. The HTTP request
itself, bounded in time and size, is source.download's.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..files import write_if_changed
from .download import Abandoned, FetchError, download, url_problem

if TYPE_CHECKING:
    import httpx

    from .project import Project

REMOTE_FOLDER = ".briefgen-remote"  # in the output folder, beside the manifest
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")


def is_url(name: str) -> bool:
    """Whether a file a brief names is on the web rather than in the project."""
    return name[:8].lower() == "https://" or name[:7].lower() == "http://"


def copy_path(folder: Path, url: str) -> Path:
    """Where the cache keeps ``url``'s copy: named by a hash of the URL, with the URL's
    own suffix, by which briefgen knows how to read it (a CSV, a PDF)."""
    suffix = Path(urlsplit(url).path).suffix
    name = hashlib.sha256(url.encode()).hexdigest()[:32]
    return folder / (name + (suffix.lower() if _SUFFIX.fullmatch(suffix) else ""))


@dataclass(frozen=True)
class Fetched:
    """What a build has of a URL: the copy to read (None when it has none), and why the
    newest bytes could not be had."""

    url: str
    copy: Path | None
    problem: str | None = None
    changed: bool = False
    fetched_at: str = ""  # when the copy in use was fetched (UTC, ISO 8601)


@dataclass
class RemoteSources:
    """The web files of one build: each fetched once, whatever the number of briefs
    naming it. ``offline`` reads the cache only."""

    folder: Path
    # The project's allowed hosts, asked for at the first fetch: a build with no web
    # files never reads briefgen.yaml for them.
    hosts: Callable[[], frozenset[str]] = frozenset
    offline: bool = False
    _fetched: dict[str, Fetched] = field(default_factory=dict, repr=False)
    _replaced: dict[str, tuple[bytes, bytes]] = field(default_factory=dict, repr=False)
    _client: httpx.Client | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # The output folder resolved, the cache's own name not: a link there is refused.
        self.folder = self.folder.parent.resolve() / self.folder.name

    @classmethod
    def of(cls, project: Project, out_dir: Path, offline: bool = False) -> RemoteSources:
        """The web files of a build into ``out_dir``, fetched from the hosts the
        project's briefgen.yaml allows; under ``offline``, its cache as it is."""
        return cls(out_dir / REMOTE_FOLDER, lambda: project.config.hosts, offline)

    def copy_path(self, url: str) -> Path:
        return copy_path(self.folder, url)

    def owns(self, path: Path) -> bool:
        """Whether ``path`` is one of the cache's copies."""
        return (path.parent.name == self.folder.name
                and path.parent.parent.resolve() == self.folder.parent)

    def url_of(self, copy: Path) -> str | None:
        """The URL a copy was fetched from, as its record says, if the copy's name is
        that URL's (a record edited to name another URL names none)."""
        url = _record(copy).get("url")
        return url if url is not None and self.copy_path(url) == copy else None

    def fetch(self, url: str, allowed: bool = False) -> Fetched:
        """``url`` brought up to date in the cache (once a build), or why it could not be.
        ``allowed``: its host is known to be allowed (checked when the brief was last
        read, under the same briefgen.yaml), so the settings need not be read for it."""
        if url not in self._fetched:
            self._fetched[url] = self._fetch(url, allowed)
        return self._fetched[url]

    def roll_back(self, url: str, problem: str) -> bool:
        """Put back the copy this build replaced, when a brief cannot be made from the
        new one: the server's new file is then a failed fetch, said as ``problem``.
        False when there is no earlier copy to put back."""
        if url not in self._replaced:
            return False
        body, record = self._replaced.pop(url)
        copy = self.copy_path(url)
        write_if_changed(copy, body)
        write_if_changed(_record_path(copy), record)
        self._fetched[url] = Fetched(url, copy, f"the new version cannot be used: {problem}",
                                     fetched_at=json.loads(record).get("fetched", ""))
        return True

    def close(self) -> None:
        """Close the connections the fetches kept open."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def _fetch(self, url: str, allowed: bool) -> Fetched:
        copy = self.copy_path(url)
        if self.folder.is_symlink():
            # What a link points at is outside the cache: never read or written through.
            return Fetched(url, None, f"{self.folder} is a link; briefgen neither reads nor "
                           "writes through it (remove it)")
        for path in (copy, _record_path(copy)):
            _clear(path)
        record = _record(copy) if copy.is_file() else {}
        kept = copy if record.get("url") == url else None
        at = str(record.get("fetched", "")) if kept else ""
        if self.offline:
            problem = None if kept else ("not in the cache (--offline; build once online "
                                         "to fetch it)")
            return Fetched(url, kept, problem, fetched_at=at)
        problem = url_problem(url, None if allowed else self.hosts())
        if problem:
            return Fetched(url, None, problem)
        if self._client is None:  # one for the build: its TLS set-up costs ~80 ms
            import httpx

            # Time limits are set a request by download().
            self._client = httpx.Client(follow_redirects=False)
        try:
            answer = download(self._client, url, self.hosts, *(
                (record.get("etag"), record.get("last_modified")) if kept else ()))
        except FetchError as exc:
            if isinstance(exc, Abandoned):
                self._client = None  # still in use by the abandoned thread
            return Fetched(url, kept, str(exc), fetched_at=at)
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if answer.body is None:  # 304: the copy is current
            return Fetched(url, kept, fetched_at=at)
        digest = hashlib.sha256(answer.body).hexdigest()
        changed = record.get("sha256") != digest or kept is None
        if changed:
            problem = _content_problem(copy, answer.body, answer.media_type)
            if problem:
                return Fetched(url, kept, f"the server sent {problem}", fetched_at=at)
            if kept is not None:
                self._replaced[url] = (kept.read_bytes(), _record_path(copy).read_bytes())
            write_if_changed(copy, answer.body)
        write_if_changed(_record_path(copy), json.dumps(
            {"url": url, "etag": answer.etag, "last_modified": answer.last_modified,
             "sha256": digest, "bytes": len(answer.body), "fetched": now},
            indent=1).encode())
        return Fetched(url, copy, changed=changed, fetched_at=now)


def _content_problem(copy: Path, body: bytes, media_type: str) -> str | None:
    """Why ``body`` is not a file of the copy's kind (a server's error page sent as a
    CSV), or None. Read as the brief will read it, before it is written (what is read
    is kept by the readers' caches, by content, for the brief that reads it next)."""
    from .data import DataError, read_table
    from .evidence import DOCUMENT_SUFFIXES, DocumentError, read_document
    from .selection import DATA_SUFFIXES

    suffix = copy.suffix
    if media_type.split(";")[0].strip().lower() == "text/html" and suffix not in (
            ".html", ".htm"):
        return f"a web page (text/html), not a {suffix or 'file'} file"
    if suffix not in DATA_SUFFIXES and suffix not in DOCUMENT_SUFFIXES:
        return None
    try:
        if suffix in DOCUMENT_SUFFIXES:  # .txt as text: the weaker test of the two
            read_document(copy, body)
        else:
            read_table(copy, raw=body)
    except DataError as exc:
        return f"what is not a readable data file: {exc}"
    except DocumentError as exc:
        return f"what is not a readable document: {exc}"
    return None


def _clear(path: Path) -> None:
    """Remove what is at a copy's place and is no regular file (a link, a folder, a
    pipe): briefgen would hang on a pipe, and never reads through a link."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path, ignore_errors=True)
    elif not stat.S_ISREG(mode):
        path.unlink(missing_ok=True)


def _record_path(copy: Path) -> Path:
    return copy.with_name(copy.name + ".json")


def _record(copy: Path) -> dict[str, str]:
    path = _record_path(copy)
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return {}
        record = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in record.items() if isinstance(v, str)} if isinstance(
        record, dict) else {}
