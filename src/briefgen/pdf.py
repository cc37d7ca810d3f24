"""HTML -> PDF with WeasyPrint, through a URL fetcher confined to the project.

This module is imported only when an output has to be laid out: importing
WeasyPrint alone costs about half a second, which a check of valid briefs or a
build with nothing to do should not pay.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .render import TypeScale

logger = logging.getLogger("briefgen")

MAX_RESOURCE_BYTES = 20_000_000
# Tagged PDF for screen readers, with the title shown and the language declared.
PDF_VARIANT = "pdf/ua-1"


class ConfinedURLFetcher(URLFetcher):
    """Serves ``data:`` URIs and regular files inside the allowed folders; refuses the rest.

    WeasyPrint's default fetcher reads any local file and any URL; a brief must not
    be able to embed ``/etc/passwd`` or call out to the network.
    """

    def __init__(self, allowed_roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.allowed_roots = [r.resolve() for r in allowed_roots]
        self.refused: list[str] = []
        self.served: list[Path] = []  # files read: the edition depends on them

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            reason = self._file_refusal(path)
            if reason is None:
                self.served.append(path)
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
class SectionUse:
    """How much room one part of the brief takes on the page, and how many words."""

    field: str
    height: float  # in pages
    words: int


@dataclass
class Layout:
    """One layout pass of an edition: WeasyPrint's document and what it measured."""

    document: weasyprint.document.Document
    refused: list[str]
    served: list[Path]

    @property
    def pages(self) -> int:
        return len(self.document.pages)

    @property
    def used(self) -> float:
        """Pages of content, fractional: the filled height of every page, added up.

        Room a page leaves empty because a block that must not break moved on to the
        next page is not counted, so the figure tracks the content, not its breaks.
        """
        return sum(_filled(page._page_box) for page in self.document.pages)

    def sections(self) -> list[SectionUse]:
        """Room taken by each element marked ``data-field``, summed over pages."""
        heights: dict[str, float] = {}
        words: dict[str, int] = {}
        counted: set[int] = set()
        for page in self.document.pages:
            page_box = page._page_box
            seen_here: set[int] = set()
            for box in page_box.children[0].descendants():
                element = getattr(box, "element", None)
                name = element.get("data-field") if element is not None else None
                # An element may make several boxes (a table and its wrapper): the
                # outermost one, met first, holds the others.
                if not name or id(element) in seen_here:
                    continue
                seen_here.add(id(element))
                heights[name] = heights.get(name, 0.0) + box.margin_height() / page_box.height
                if id(element) not in counted:
                    counted.add(id(element))
                    words[name] = words.get(name, 0) + len(" ".join(element.itertext()).split())
        return [SectionUse(name, heights[name], words[name]) for name in heights]


def _filled(page_box: Any) -> float:
    """The share of a page's content area that its boxes reach down to."""
    top = page_box.content_box_y()
    bottom = max((box.position_y + box.margin_height()
                  for box in page_box.children[0].descendants()
                  if hasattr(box, "margin_height")), default=top)
    return max(0.0, bottom - top) / page_box.height


def lay_out(html: str, base_dir: Path, allowed_roots: list[Path]) -> Layout:
    """Lay ``html`` out once, fetching resources only from ``allowed_roots``."""
    fetcher = ConfinedURLFetcher(allowed_roots)
    document = weasyprint.HTML(string=html, base_url=f"{base_dir.resolve().as_uri()}/",
                               url_fetcher=fetcher).render(pdf_variant=PDF_VARIANT)
    return Layout(document, fetcher.refused, fetcher.served)


def write_pdf(layout: Layout, epoch: int) -> bytes:
    """The PDF of a layout; ``epoch`` is the only time it may contain.

    The same inputs must give the same bytes: fontTools stamps every font subset it
    writes with the current time unless SOURCE_DATE_EPOCH says otherwise.
    """
    with _source_date_epoch(epoch):
        return layout.document.write_pdf(pdf_variant=PDF_VARIANT)


# How the type size that fills a budget follows the room content takes at another
# size: size ~ used ** GROWTH. Text area grows with the square of the size (longer
# lines, taller lines), which would make it 0.5; blocks that may not break and
# partly filled last lines make it smaller. Measured here on the samples and
# synthetic briefs 10-60% too long: 0.41 to 0.5.
GROWTH = 0.45


@dataclass
class Fit:
    """The outcome of fitting an edition to its page budget."""

    html: str
    layout: Layout
    scale: TypeScale
    passes: int
    fits: bool


def fit(render: Callable[[TypeScale], str], scales: list[TypeScale], max_pages: int | None,
        base_dir: Path, allowed_roots: list[Path]) -> Fit:
    """Find the largest step of ``scales`` at which the edition fits ``max_pages``.

    A brief that fits at its base size costs one layout. Otherwise each probe is
    chosen from the last measurement, on the model of GROWTH, then narrowed between
    the largest step known to overflow and the smallest known to fit; a brief a third
    too long fits in three passes here.
    """
    results: dict[int, Layout] = {}
    htmls: dict[int, str] = {}

    def probe(index: int) -> bool:
        htmls[index] = render(scales[index])
        results[index] = lay_out(htmls[index], base_dir, allowed_roots)
        return max_pages is None or results[index].pages <= max_pages

    # Scales run from the base size (index 0) down to the floor (the last index).
    overflows, fitting, last = -1, None, 0
    if probe(0):
        fitting = 0
    else:
        overflows = 0
    while fitting != overflows + 1:
        bound = fitting if fitting is not None else len(scales)
        if overflows + 1 >= bound:
            break  # even the floor overflows
        target = scales[last].font_size * (max_pages / results[last].used) ** GROWTH  # type: ignore[operator]
        last = min(range(overflows + 1, bound),
                   key=lambda i: abs(scales[i].font_size - target))
        if probe(last):
            fitting = last
        else:
            overflows = last
    best = fitting if fitting is not None else len(scales) - 1
    return Fit(htmls[best], results[best], scales[best], len(results), fitting is not None)


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
