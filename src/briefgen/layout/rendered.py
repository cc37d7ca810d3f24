"""What PDFium (pypdfium2) reads back of a PDF as written, in one pass over it: the font
families it embeds, which the edition then depends on (rather than on every font
installed), and a picture of its first page for the front page."""

from __future__ import annotations

import ctypes
import io

THUMBNAIL_WIDTH = 240  # pixels: 120 CSS pixels on a screen of twice the density


def read_back(pdf: bytes, picture: bool) -> tuple[list[str], bytes | None]:
    """The families of the fonts the PDF's text is set in ("PT Sans", "PT Serif"), and
    with ``picture`` its first page as PNG: no time or other varying chunk, so that the
    same PDF gives the same bytes."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    families: set[str] = set()
    png = None
    document = pdfium.PdfDocument(pdf)
    try:
        for number, page in enumerate(document):
            for text in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
                font = raw.FPDFTextObj_GetFont(text.raw)
                size = raw.FPDFFont_GetFamilyName(font, None, 0)
                name = ctypes.create_string_buffer(size)
                raw.FPDFFont_GetFamilyName(font, name, size)
                families.add(name.value.decode("utf-8", "replace"))
            if picture and number == 0:
                image = page.render(scale=THUMBNAIL_WIDTH / page.get_width()).to_pil()
                out = io.BytesIO()
                image.convert("RGB").save(out, "PNG", optimize=True)
                png = out.getvalue()
            page.close()
    finally:
        document.close()
    return sorted(family for family in families if family), png
