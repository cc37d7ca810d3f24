"""HTML -> PDF with WeasyPrint, through a URL fetcher confined to the project.

This module is imported only when an output has to be laid out: importing
WeasyPrint alone costs about half a second, which a check of valid briefs or a
build with nothing to do should not pay.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger("briefgen")

MAX_RESOURCE_BYTES = 20_000_000


class ConfinedURLFetcher(URLFetcher):
    """Serves ``data:`` URIs and regular files inside the allowed folders; refuses the rest.

    WeasyPrint's default fetcher reads any local file and any URL; a brief must not
    be able to embed ``/etc/passwd`` or call out to the network.
    """

    def __init__(self, allowed_roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.allowed_roots = [r.resolve() for r in allowed_roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            reason = self._file_refusal(path)
            if reason is None:
                return URLFetcherResponse(url, path.read_bytes())
        else:
            reason = f"scheme {scheme or '(none)'}: is not allowed"
        self.refused.append(f"{url}: {reason}")
        raise ValueError(f"briefgen refused {url}: {reason}")

    def _file_refusal(self, path: Path) -> str | None:
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            return "outside the project"
        if not path.is_file():
            return "not a regular file"
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            return f"larger than {MAX_RESOURCE_BYTES:,} bytes"
        return None


@dataclass
class Pdf:
    data: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)


def render_pdf(html: str, base_dir: Path, allowed_roots: list[Path], epoch: int) -> Pdf:
    """Lay out ``html`` once and write it as a tagged PDF.

    ``epoch`` (seconds since 1970) is the only time the PDF may contain, so that the
    same inputs give the same bytes: fontTools stamps every font subset it writes with
    the current time unless SOURCE_DATE_EPOCH says otherwise.
    """
    fetcher = ConfinedURLFetcher(allowed_roots)
    with _source_date_epoch(epoch):
        document = weasyprint.HTML(string=html, base_url=f"{base_dir.resolve().as_uri()}/",
                                   url_fetcher=fetcher).render(pdf_tags=True)
        data = document.write_pdf(pdf_tags=True)
    return Pdf(data, len(document.pages), [f"refused {r}" for r in fetcher.refused])


@contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
