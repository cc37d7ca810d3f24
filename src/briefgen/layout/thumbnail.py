"""A picture of a PDF's first page, for the front page: rendered by PDFium
(pypdfium2) from the PDF as written, so that it shows what a reader gets, and encoded
as PNG with no time or other varying chunk: the same PDF gives the same bytes."""

from __future__ import annotations

import io

THUMBNAIL_WIDTH = 240  # pixels: 120 CSS pixels on a screen of twice the density


def first_page_png(pdf: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil()
        page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()
