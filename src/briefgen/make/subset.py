"""A font cut down to the characters of one page, for the HTML edition.

A brand's font files weigh hundreds of kilobytes each; an HTML edition that carries
them whole weighs megabytes. fontTools keeps only the glyphs the page can show (every
character of its source, markup and stylesheets included, so nothing the page draws
is missing) and writes WOFF2. WeasyPrint cuts the PDF's fonts down itself.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO

WOFF2 = "font/woff2"


def subset_font(data: bytes, characters: frozenset[str]) -> tuple[bytes, str] | None:
    """``data`` with only the glyphs of ``characters``, as WOFF2; None when fontTools
    cannot read it (the whole font is used then)."""
    return _subset(data, characters)


@lru_cache(maxsize=64)
def _subset(data: bytes, characters: frozenset[str]) -> tuple[bytes, str] | None:
    from fontTools import subset
    from fontTools.ttLib import TTFont, TTLibError

    try:
        # The font's own time stamps, not now: the same page gives the same bytes.
        font = TTFont(BytesIO(data), recalcTimestamp=False, lazy=False)
        options = subset.Options()
        options.layout_features = ["*"]  # keep kerning, ligatures, small figures
        options.name_IDs = ["*"]  # the licence and copyright notices stay with it
        options.notdef_outline = True
        options.flavor = "woff2"
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in characters])
        subsetter.subset(font)
        out = BytesIO()
        font.flavor = "woff2"
        font.save(out, reorderTables=False)
    except (TTLibError, AssertionError, KeyError, ValueError, ImportError):
        return None
    return out.getvalue(), WOFF2


__all__ = ["subset_font"]
