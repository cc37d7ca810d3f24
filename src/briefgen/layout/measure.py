"""One layout of an edition's HTML with WeasyPrint, and what it measures.

This is where WeasyPrint is imported: importing it alone costs about half a second,
which a check of valid briefs or a build with nothing to do should not pay, so the
modules above import this one only when an edition has to be laid out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from .fetcher import ConfinedURLFetcher, Refusal, ResourcePolicy

# Tagged PDF for screen readers, with the title shown and the language declared.
PDF_VARIANT = "pdf/ua-1"


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
        return sum(_filled(page_box(page)) for page in self.document.pages)

    def sections(self) -> list[SectionUse]:
        """Room taken by each element marked ``data-field``, summed over pages."""
        heights: dict[str, float] = {}
        words: dict[str, int] = {}
        counted: set[int] = set()
        for page in self.document.pages:
            box_of_page = page_box(page)
            seen_here: set[int] = set()
            for box in box_of_page.children[0].descendants():
                element = getattr(box, "element", None)
                name = element.get("data-field") if element is not None else None
                # An element may make several boxes (a table and its wrapper): the
                # outermost one, met first, holds the others.
                if not name or id(element) in seen_here:
                    continue
                seen_here.add(id(element))
                heights[name] = (heights.get(name, 0.0)
                                 + box.margin_height() / box_of_page.height)
                if element is not None and id(element) not in counted:
                    counted.add(id(element))
                    words[name] = words.get(name, 0) + len(" ".join(element.itertext()).split())
        return [SectionUse(name, heights[name], words[name]) for name in heights]


def page_box(page: weasyprint.Page) -> Any:
    """The laid-out box tree of a page.

    ``Page._page_box`` is private WeasyPrint API, one of the two private APIs briefgen
    uses (the other is Jinja's ``Environment._load_template``, in render/environment.py):
    WeasyPrint offers no public way to measure a layout, so briefgen pins WeasyPrint
    below its next major version and reads the boxes only here.
    """
    return page._page_box


def _filled(box_of_page: Any) -> float:
    """The share of a page's content area that its boxes reach down to."""
    top = box_of_page.content_box_y()
    bottom = max((box.position_y + box.margin_height()
                  for box in box_of_page.children[0].descendants()
                  if hasattr(box, "margin_height")), default=top)
    return float(max(0.0, bottom - top) / box_of_page.height)


# One font configuration a process, for one set of fonts: making one costs about a
# tenth of a layout, and each kept memory a worker never gave back.
_FONT_CONFIG: dict[object, FontConfiguration] = {}


def font_configuration(fonts: object = None) -> FontConfiguration:
    """The process's font configuration for ``fonts`` (a key naming the project's own
    font files as they are now). A new key replaces the configuration: fonts a project
    replaced must not answer to their family's name any more."""
    if fonts not in _FONT_CONFIG:
        _FONT_CONFIG.clear()
        _FONT_CONFIG[fonts] = FontConfiguration()
    return _FONT_CONFIG[fonts]


def lay_out(html: str, base_dir: Path, policy: ResourcePolicy, fonts: object = None) -> Layout:
    """Lay ``html`` out once, fetching resources only as ``policy`` allows, with the
    process's font configuration for ``fonts``."""
    fetcher = ConfinedURLFetcher(policy)
    with weasyprint_warnings() as warnings:
        document = weasyprint.HTML(string=html, base_url=f"{base_dir.resolve().as_uri()}/",
                                   url_fetcher=fetcher).render(
            pdf_variant=PDF_VARIANT, font_config=font_configuration(fonts))
    return Layout(document, fetcher.refused, fetcher.served,
                  [w for w in warnings if "briefgen refused" not in w])


def join_pages(layouts: list[Layout]) -> Layout:
    """One document of the pages of ``layouts``, one after the other, as laid out."""
    pages = [page for layout in layouts for page in layout.document.pages]
    return Layout(layouts[0].document.copy(pages),
                  [refusal for layout in layouts for refusal in layout.refused],
                  [path for layout in layouts for path in layout.served],
                  [warning for layout in layouts for warning in layout.warnings])


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """What WeasyPrint warns of inside the block: unsupported CSS, images that failed."""
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
