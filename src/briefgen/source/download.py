"""One bounded HTTP GET of a web file: whether its URL may be asked for, and the answer
within a time and a size, whatever the server does.

The time is one deadline for the whole fetch (redirects, headers and body), kept by a
watchdog thread: httpx's timeouts are per socket read, so a server dripping a header
line every few seconds would otherwise hold a build for hours. The size is counted
after decoding, by briefgen's own bounded inflater: a few kilobytes of compressed zeros
must not become gigabytes in memory.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..files import size_text

if TYPE_CHECKING:
    import httpx

MAX_REMOTE_BYTES = 20 * 2**20
FETCH_TIMEOUT = 30.0  # seconds one fetch may take, redirects and all
MAX_REDIRECTS = 5
MAX_URL_LENGTH = 2000  # characters: longer ones are not addresses people write


class FetchError(Exception):
    """Why a fetch gave nothing new to use, in words."""


class Abandoned(FetchError):
    """The fetch ran out of time and was left to its thread: its client is not reused."""


def url_problem(url: str, hosts: frozenset[str] | None) -> str | None:
    """Why ``url`` may not be fetched, in words; None if it may. Without ``hosts``, only
    the URL's form is checked (the project's hosts are checked when it is fetched)."""
    if len(url) > MAX_URL_LENGTH:
        return f"a URL of {len(url):,} characters; the limit is {MAX_URL_LENGTH:,}"
    if any(c.isspace() or not c.isprintable() for c in url):
        return f"{url!r} holds a space or a control character (write it %-encoded)"
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
    if len(host) > 253 or any(len(label) > 63 for label in host.split(".")):
        return f"{url!r} is not a valid URL (a host name longer than DNS allows)"
    if hosts is not None and host not in hosts:
        return (f"{host} is not an allowed host; a project allows one in briefgen.yaml "
                "(allowed_hosts)")
    return None


@dataclass(frozen=True)
class Answer:
    body: bytes | None  # None: not modified
    etag: str | None = None
    last_modified: str | None = None
    media_type: str = ""


def download(client: httpx.Client, url: str, hosts: Callable[[], frozenset[str]],
             etag: str | None = None, last_modified: str | None = None) -> Answer:
    """GET ``url``, conditionally on a copy with ``etag`` and ``last_modified``;
    redirects are followed only to allowed hosts. Raises FetchError; Abandoned when the
    time ran out."""
    deadline = time.monotonic() + FETCH_TIMEOUT
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["answer"] = _get(client, url, hosts, etag, last_modified, deadline)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc

    watched = threading.Thread(target=run, name="briefgen-fetch", daemon=True)
    watched.start()
    watched.join(FETCH_TIMEOUT + 0.5)
    if watched.is_alive():
        raise Abandoned(f"no complete answer within {FETCH_TIMEOUT:g} s")
    if "error" in outcome:
        raise outcome["error"]
    answer: Answer = outcome["answer"]
    return answer


def _get(client: httpx.Client, url: str, hosts: Callable[[], frozenset[str]],
         etag: str | None, last_modified: str | None, deadline: float) -> Answer:
    import httpx

    # Encodings briefgen inflates itself, within the size limit (not brotli or zstd).
    headers = {"User-Agent": f"briefgen/{__version__}", "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        for _ in range(MAX_REDIRECTS + 1):
            left = deadline - time.monotonic()
            if left <= 0:
                raise FetchError(f"no complete answer within {FETCH_TIMEOUT:g} s")
            with client.stream("GET", url, headers=headers, timeout=left) as response:
                if response.has_redirect_location:
                    target = urljoin(url, response.headers.get("location", ""))
                    problem = url_problem(target, hosts())
                    if problem:
                        raise FetchError(f"redirected to {target[:200]}, which is refused: "
                                         f"{problem}")
                    url = target
                    continue
                if response.status_code == 304 and (etag or last_modified):
                    return Answer(None)
                if response.status_code != 200:
                    raise FetchError(f"the server answered {response.status_code} "
                                     f"{response.reason_phrase}".rstrip())
                body = b"".join(_bounded(response, deadline))
                return Answer(body, _header(response, "etag"),
                              _header(response, "last-modified"),
                              _header(response, "content-type") or "")
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        raise FetchError(f"no answer within {FETCH_TIMEOUT:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise FetchError(f"could not be fetched ({exc or type(exc).__name__})") from None


def _header(response: httpx.Response, name: str) -> str | None:
    """A header briefgen keeps and sends back: printable ASCII, or nothing."""
    value: str | None = response.headers.get(name)
    if value is None or not value.isascii() or not value.isprintable() or len(value) > 500:
        return None
    return value


def _bounded(response: httpx.Response, deadline: float) -> Iterator[bytes]:
    """The body, decoded, refused once it grows past the limit or the time is up."""
    limit = size_text(MAX_REMOTE_BYTES)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_REMOTE_BYTES:
        raise FetchError(f"{int(declared):,} bytes, more than the {limit} allowed")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"sent in an encoding briefgen does not read ({encoding[:40]})")
    # 47: a gzip or a zlib header, whichever the server sent.
    inflater = zlib.decompressobj(47) if encoding not in ("", "identity") else None
    size = 0
    try:
        for raw in response.iter_raw():
            chunk = inflater.decompress(raw, MAX_REMOTE_BYTES - size + 1) if inflater else raw
            size += len(chunk)
            if size > MAX_REMOTE_BYTES:
                raise FetchError(f"more than the {limit} allowed")
            if time.monotonic() > deadline:
                raise FetchError(f"no complete answer within {FETCH_TIMEOUT:g} s")
            yield chunk
        if inflater:
            rest = inflater.flush()
            if size + len(rest) > MAX_REMOTE_BYTES:
                raise FetchError(f"more than the {limit} allowed")
            yield rest
    except zlib.error as exc:
        raise FetchError(f"a body that does not inflate as {encoding} says ({exc})") from None
