"""Sources and data files on the web: fetched from the hosts a project allows, kept in a
cache beside the build's manifest, and asked for again with a conditional request.

A copy in the cache is the file a brief reads: a 304 leaves it untouched (so nothing is
rebuilt), new bytes replace it only after they were read as what the brief expects (so a
server's error page never becomes a brief's data), and a failed fetch leaves the last
good copy in place. Workers never fetch; they read the copies the build fetched.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..files import write_if_changed

if TYPE_CHECKING:
    import httpx

    from .project import Project

REMOTE_FOLDER = ".briefgen-remote"  # in the output folder, beside the manifest
MAX_REMOTE_BYTES = 20 * 2**20
FETCH_TIMEOUT = 30.0  # seconds one fetch may take, redirects and all
MAX_REDIRECTS = 5
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")


def is_url(name: str) -> bool:
    """Whether a file a brief names is on the web rather than in the project."""
    return name[:8].lower() == "https://" or name[:7].lower() == "http://"


def url_problem(url: str, hosts: frozenset[str] | None) -> str | None:
    """Why ``url`` may not be fetched, in words; None if it may. Without ``hosts``, only
    the URL's form is checked (the project's hosts are checked when it is fetched)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        _ = parts.port  # a port that is not a number raises ValueError
    except ValueError:
        return f"{url!r} is not a valid URL"
    if parts.scheme.lower() != "https":
        return f"{url!r}: only https:// URLs are fetched"
    if parts.username is not None or parts.password is not None:
        return (f"{url!r}: a URL with a user name or password is not fetched (it would "
                "be written in the brief for all to read)")
    if not host:
        return f"{url!r} names no host"
    if hosts is not None and host not in hosts:
        return (f"{host} is not an allowed host; a project allows one in briefgen.yaml "
                "(allowed_hosts)")
    return None


def copy_path(folder: Path, url: str) -> Path:
    """Where the cache keeps ``url``'s copy: named by a hash of the URL, with the URL's
    own suffix, by which briefgen knows how to read it (a CSV, a PDF)."""
    suffix = Path(urlsplit(url).path).suffix
    name = hashlib.sha256(url.encode()).hexdigest()[:32]
    return folder / (name + (suffix.lower() if _SUFFIX.fullmatch(suffix) else ""))


class FetchError(Exception):
    """Why a fetch gave nothing new to use, in words."""


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
        """The URL a copy was fetched from, as its record says."""
        return _record(copy).get("url")

    def fetch(self, url: str, allowed: bool = False) -> Fetched:
        """``url`` brought up to date in the cache (once a build), or why it could not be.
        ``allowed``: its host is known to be allowed (checked when the brief was last
        read, under the same briefgen.yaml), so the settings need not be read for it."""
        if url not in self._fetched:
            self._fetched[url] = self._fetch(url, allowed)
        return self._fetched[url]

    def close(self) -> None:
        """Close the connections the fetches kept open."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def _fetch(self, url: str, allowed: bool) -> Fetched:
        copy = self.copy_path(url)
        if self.folder.is_symlink() or copy.is_symlink():
            # What a link points at is outside the cache: never read or written through.
            return Fetched(url, None, f"{self.folder.name}/ or {copy.name} in it is a "
                           "link; briefgen neither reads nor writes through it")
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

            self._client = httpx.Client(timeout=FETCH_TIMEOUT, follow_redirects=False)
        try:
            answer = _download(self._client, url, self.hosts, record if kept else {})
        except FetchError as exc:
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
            write_if_changed(copy, answer.body)
        write_if_changed(_record_path(copy), json.dumps(
            {"url": url, "etag": answer.etag, "last_modified": answer.last_modified,
             "sha256": digest, "bytes": len(answer.body), "fetched": now},
            indent=1).encode())
        return Fetched(url, copy, changed=changed, fetched_at=now)


@dataclass(frozen=True)
class _Answer:
    body: bytes | None  # None: not modified
    etag: str | None = None
    last_modified: str | None = None
    media_type: str = ""


def _download(client: httpx.Client, url: str, hosts: Callable[[], frozenset[str]],
              record: dict[str, str]) -> _Answer:
    """GET ``url``, conditionally on the copy ``record`` describes; redirects are
    followed only to allowed hosts, and the time and bytes are bounded. Raises
    FetchError."""
    import httpx

    headers = {"User-Agent": f"briefgen/{__version__}"}
    if record.get("etag"):
        headers["If-None-Match"] = record["etag"]
    if record.get("last_modified"):
        headers["If-Modified-Since"] = record["last_modified"]
    deadline = time.monotonic() + FETCH_TIMEOUT
    try:
        for _ in range(MAX_REDIRECTS + 1):
            with client.stream("GET", url, headers=headers, timeout=FETCH_TIMEOUT) as response:
                if response.has_redirect_location:
                    target = urljoin(url, response.headers.get("location", ""))
                    problem = url_problem(target, hosts())
                    if problem:
                        raise FetchError(f"redirected to {target}, which is refused: "
                                         f"{problem}")
                    url = target
                    continue
                if response.status_code == 304 and record:
                    return _Answer(None)
                if response.status_code != 200:
                    raise FetchError(f"the server answered {response.status_code} "
                                     f"{response.reason_phrase}".rstrip())
                body = b"".join(_bounded(response, deadline))
                return _Answer(body, response.headers.get("etag"),
                               response.headers.get("last-modified"),
                               response.headers.get("content-type", ""))
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        raise FetchError(f"no answer within {FETCH_TIMEOUT:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"could not be fetched ({exc or type(exc).__name__})") from None


def _bounded(response: httpx.Response, deadline: float) -> Iterator[bytes]:
    """The body, refused once it grows past the limit or the time is up."""
    limit = (f"{MAX_REMOTE_BYTES // 2**20} MB" if MAX_REMOTE_BYTES >= 2**20
             else f"{MAX_REMOTE_BYTES:,} bytes")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_REMOTE_BYTES:
        raise FetchError(f"{int(declared):,} bytes, more than the {limit} allowed")
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_REMOTE_BYTES:
            raise FetchError(f"more than the {limit} allowed")
        if time.monotonic() > deadline:
            raise FetchError(f"no complete answer within {FETCH_TIMEOUT:g} s")
        yield chunk


def _content_problem(copy: Path, body: bytes, media_type: str) -> str | None:
    """Why ``body`` is not a file of the copy's kind (a server's error page sent as a
    CSV), or None. Read as the brief will read it, from a file beside the copy."""
    from .data import DATA_SUFFIXES, DataError, read_table
    from .evidence import DOCUMENT_SUFFIXES, DocumentError, read_document

    suffix = copy.suffix
    if media_type.split(";")[0].strip().lower() == "text/html" and suffix not in (
            ".html", ".htm"):
        return f"a web page (text/html), not a {suffix or 'file'} file"
    if suffix not in DATA_SUFFIXES and suffix not in DOCUMENT_SUFFIXES:
        return None
    trial = copy.with_name(f".{copy.name}.new{suffix}")
    try:
        write_if_changed(trial, body)
        if suffix in DOCUMENT_SUFFIXES:  # .txt as text: the weaker test of the two
            read_document(trial)
        else:
            read_table(trial)
    except DataError as exc:
        return f"what is not a readable data file: {exc}"
    except DocumentError as exc:
        return f"what is not a readable document: {exc}"
    finally:
        trial.unlink(missing_ok=True)
    return None


def _record_path(copy: Path) -> Path:
    return copy.with_name(copy.name + ".json")


def _record(copy: Path) -> dict[str, str]:
    try:
        record = json.loads(_record_path(copy).read_bytes())
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in record.items() if isinstance(v, str)} if isinstance(
        record, dict) else {}
