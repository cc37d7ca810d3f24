"""What PDFium (pypdfium2) reads of a PDF as written: a picture of its first page, for
the front page, and the font families it embeds, which the edition then depends on
(rather than on every font installed)."""

from __future__ import annotations

import ctypes
import io

THUMBNAIL_WIDTH = 240  # pixels: 120 CSS pixels on a screen of twice the density


def first_page_png(pdf: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    """The first page as PNG, with no time or other varying chunk: the same PDF gives
    the same bytes."""
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


def embedded_families(pdf: bytes) -> list[str]:
    """The families of the fonts the PDF's text is set in ("PT Sans", "PT Serif")."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    families: set[str] = set()
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            for text in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
                font = raw.FPDFTextObj_GetFont(text.raw)
                size = raw.FPDFFont_GetFamilyName(font, None, 0)
                name = ctypes.create_string_buffer(size)
                raw.FPDFFont_GetFamilyName(font, name, size)
                families.add(name.value.decode("utf-8", "replace"))
            page.close()
    finally:
        document.close()
    return sorted(family for family in families if family)
