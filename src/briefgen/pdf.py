"""HTML -> PDF with WeasyPrint, through a URL fetcher confined to the project.

This module is imported only when an output has to be laid out: importing
WeasyPrint alone costs about half a second, which a check of valid briefs or a
build with nothing to do should not pay.
"""

from __future__ import annotations

import logging
import os
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import RenderError
from .render import TypeScale

logger = logging.getLogger("briefgen")

MAX_RESOURCE_BYTES = 20_000_000
# Tagged PDF for screen readers, with the title shown and the language declared.
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class ResourcePolicy:
    """What a render may read: files under ``roots``, ``data:`` URIs, and, only if the
    project names them, web resources from ``hosts`` (never following a redirect)."""

    roots: tuple[Path, ...]
    hosts: frozenset[str] = frozenset()
    max_bytes: int = MAX_RESOURCE_BYTES


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: str

    def __str__(self) -> str:
        return f"refused {self.url}: {self.reason}"


class ConfinedURLFetcher(URLFetcher):
    """Serves ``data:`` URIs and regular files inside the allowed folders; refuses the rest.

    WeasyPrint's default fetcher reads any local file and any URL; a brief must not
    be able to embed ``/etc/passwd`` or call out to the network. Every stylesheet,
    image, attachment and @import of a briefgen render comes through here.
    """

    def __init__(self, policy: ResourcePolicy) -> None:
        super().__init__(allowed_protocols={"data", "file", "http", "https"},
                         allow_redirects=False, timeout=10, fail_on_errors=False)
        self.policy = policy
        self.roots = [r.resolve() for r in policy.roots]
        self.refused: list[Refusal] = []
        self.served: list[Path] = []  # files read: the edition depends on them

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
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
        else:
            reason = f"the {scheme or 'empty'} scheme is not allowed"
        return self._refuse(url, reason)

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
        if not any(path.is_relative_to(root) for root in self.roots):
            return "outside the project"
        if not path.is_file():
            return "not a regular file"
        if path.stat().st_size > self.policy.max_bytes:
            return f"larger than {self.policy.max_bytes:,} bytes"
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
    refused: list[Refusal]
    served: list[Path]
    warnings: list[str] = field(default_factory=list)  # WeasyPrint's, for --strict

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


def lay_out(html: str, base_dir: Path, policy: ResourcePolicy) -> Layout:
    """Lay ``html`` out once, fetching resources only as ``policy`` allows."""
    fetcher = ConfinedURLFetcher(policy)
    with _weasyprint_warnings() as warnings:
        document = weasyprint.HTML(string=html, base_url=f"{base_dir.resolve().as_uri()}/",
                                   url_fetcher=fetcher).render(pdf_variant=PDF_VARIANT)
    return Layout(document, fetcher.refused, fetcher.served,
                  [w for w in warnings if "briefgen refused" not in w])


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings() -> Iterator[list[str]]:
    """What WeasyPrint warns of while laying out: unsupported CSS, images that failed."""
    handler = _Collect()
    weasyprint_logger = logging.getLogger("weasyprint")
    level = weasyprint_logger.level
    if not level or level > logging.WARNING:
        weasyprint_logger.setLevel(logging.WARNING)
    weasyprint_logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        weasyprint_logger.removeHandler(handler)
        weasyprint_logger.setLevel(level)


class RenderLimitError(Exception):
    """A render ran past its time or memory limit."""


@contextmanager
def render_limits(seconds: float | None, memory_mb: int | None) -> Iterator[None]:
    """Stop a runaway render: at most ``seconds`` of time and ``memory_mb`` more memory.

    The time limit is a timer signal, so it holds only on the main thread (the CLI,
    a worker process, watch); the memory limit caps the process's address space at
    what it uses now plus ``memory_mb`` for as long as the render runs.
    """
    timer = seconds and threading.current_thread() is threading.main_thread()
    if timer:
        def expired(signum: int, frame: Any) -> None:
            raise RenderLimitError(f"the render took longer than {seconds:g} s")

        previous_handler = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    previous_limit = resource.getrlimit(resource.RLIMIT_AS)
    if memory_mb:
        cap = _address_space() + memory_mb * 1024 * 1024
        hard = previous_limit[1]
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY
                                                else min(cap, hard), hard))
    try:
        yield
    except MemoryError:
        raise RenderLimitError(f"the render needed more than its {memory_mb} MB of "
                               "memory") from None
    finally:
        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, previous_limit)
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)


def _address_space() -> int:
    """This process's virtual memory size, in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def write_pdf(layout: Layout, epoch: int) -> bytes:
    """The PDF of a layout; ``epoch`` is the only time it may contain.

    The same inputs must give the same bytes: fontTools stamps every font subset it
    writes with the current time unless SOURCE_DATE_EPOCH says otherwise.
    """
    with _source_date_epoch(epoch), _weasyprint_warnings():
        try:
            return layout.document.write_pdf(pdf_variant=PDF_VARIANT)
        except (OSError, ValueError) as exc:  # e.g. an image that will not decode
            raise RenderError(f"could not write the PDF: {exc}") from None


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
        base_dir: Path, policy: ResourcePolicy) -> Fit:
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
        results[index] = lay_out(htmls[index], base_dir, policy)
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
