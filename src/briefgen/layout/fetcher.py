"""The confined URL fetcher: what a render may read, and nothing else.

WeasyPrint's default fetcher reads any local file and any URL; a brief must not be able
to embed ``/etc/passwd`` or call out to the network. Every stylesheet, image,
attachment and @import of a briefgen render comes through here, and so does every
image the HTML editions inline.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .svg import looks_like_xml, svg_problem

MAX_RESOURCE_BYTES = 20_000_000
# Media types by extension that Python's own table lacks before 3.12 (or on a system
# without /etc/mime.types).
MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
               ".woff2": "font/woff2", ".svg": "image/svg+xml", ".webp": "image/webp"}


@dataclass(frozen=True)
class ResourcePolicy:
    """What a render may read: files under ``roots`` and the ``files`` named (the
    brand's logo and fonts), ``data:`` URIs, and, only if the project names them, web
    resources from ``hosts`` (never following a redirect)."""

    roots: tuple[Path, ...]
    hosts: frozenset[str] = frozenset()
    files: frozenset[Path] = frozenset()
    max_bytes: int = MAX_RESOURCE_BYTES


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: str

    def __str__(self) -> str:
        return f"refused {self.url}: {self.reason}"


class ConfinedURLFetcher(URLFetcher):
    """Serves ``data:`` URIs and regular files inside the allowed folders; refuses the rest."""

    def __init__(self, policy: ResourcePolicy) -> None:
        super().__init__(allowed_protocols={"data", "file", "http", "https"},
                         allow_redirects=False, timeout=10, fail_on_errors=False)
        self.policy = policy
        self.roots = [r.resolve() for r in policy.roots]
        self.files = {f.resolve() for f in policy.files}
        self.refused: list[Refusal] = []
        self.served: list[Path] = []  # files read: the edition depends on them

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        response = self._fetch(url, headers)
        data = response.read()
        if looks_like_xml(data):
            problem = svg_problem(data)
            if problem:
                return self._refuse(url, problem)
        return URLFetcherResponse(url, data, response.headers)

    def _fetch(self, url: str, headers: dict[str, str] | None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            reason = self._file_refusal(path)
            if reason is None:
                self.served.append(path)
                return URLFetcherResponse(url, path.read_bytes())
        elif scheme in ("http", "https"):
            if (parts.hostname or "").lower() in self.policy.hosts:
                return self._web(url, headers)
            reason = ("network access is off; a project may allow a host in briefgen.yaml "
                      "(allowed_hosts)")
        elif not scheme:  # relative to a data: URI: an SVG inlined by its edition
            reason = ("a reference inside an embedded image; an SVG must carry its own "
                      "images (as data: URIs)")
        else:
            reason = f"the {scheme} scheme is not allowed"
        return self._refuse(url, reason)

    def get(self, url: str) -> tuple[bytes, str] | None:
        """The bytes and media type of ``url``, or None when it is refused (and noted)."""
        try:
            response = self.fetch(url)
            data = response.read()
        except ValueError:
            return None  # refused: the refusal is in self.refused
        kind = response.content_type
        if url.lower().startswith("file:"):
            # A file has no media type of its own: name it by its extension, as a
            # web server would.
            path = urlsplit(url).path
            kind = (MEDIA_TYPES.get(Path(path).suffix.lower()) or mimetypes.guess_type(path)[0]
                    or "application/octet-stream")
        return data, kind

    def refuse(self, url: str, reason: str) -> None:
        """Note a refusal made by the caller (a resource of the wrong kind)."""
        self.refused.append(Refusal(url, reason))

    def _refuse(self, url: str, reason: str) -> URLFetcherResponse:
        self.refused.append(Refusal(url, reason))
        raise ValueError(f"briefgen refused {url}: {reason}")

    def _web(self, url: str, headers: dict[str, str] | None) -> URLFetcherResponse:
        try:
            response = super().fetch(url, headers)
            data = response.read(self.policy.max_bytes + 1)
        except Exception as exc:  # noqa: BLE001 - refused, whatever went wrong
            return self._refuse(url, f"could not be fetched ({exc})")
        if len(data) > self.policy.max_bytes:
            return self._refuse(url, f"larger than {self.policy.max_bytes:,} bytes")
        return URLFetcherResponse(url, data, response.headers)

    def _file_refusal(self, path: Path) -> str | None:
        if path not in self.files and not any(path.is_relative_to(r) for r in self.roots):
            return "outside the project"
        if not path.is_file():
            return "not a regular file"
        if path.stat().st_size > self.policy.max_bytes:
            return f"larger than {self.policy.max_bytes:,} bytes"
        return None
