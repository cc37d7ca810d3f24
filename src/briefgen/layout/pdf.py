"""A layout -> PDF bytes, reproducibly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import RenderError
from .measure import PDF_VARIANT, Layout, weasyprint_warnings
from .xmp import with_publication


def write_pdf(layout: Layout, epoch: int) -> bytes:
    """The PDF of a layout; ``epoch`` is the only time it may contain.

    The same inputs must give the same bytes: fontTools stamps every font subset it
    writes with the current time unless SOURCE_DATE_EPOCH says otherwise. Images are
    drawn now (an SVG's own images are fetched only now): what WeasyPrint warns of
    meanwhile joins ``layout.warnings``, and what the fetcher refuses its ``refused``.
    """
    layout.document.metadata = with_publication(layout.document.metadata)
    with _source_date_epoch(epoch), weasyprint_warnings() as warnings:
        try:
            data = layout.document.write_pdf(pdf_variant=PDF_VARIANT)
        except (OSError, ValueError) as exc:  # e.g. an image that will not decode
            raise RenderError(f"could not write the PDF: {exc}") from None
    layout.warnings += [w for w in warnings if "briefgen refused" not in w]
    assert isinstance(data, bytes)  # write_pdf returns bytes when given no target
    return data


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
