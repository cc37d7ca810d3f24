"""Dates and numbers in the reader's conventions (Babel, from CLDR)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_skeleton

from ..cldr import LOCALES, babel_locale, format_number, no_narrow_spaces
from .typography import NBSP


def format_full_date(value: dt.date, lang: str) -> str:
    return _unbroken(format_date(value, "long", locale=babel_locale(lang)))


def _unbroken(text: str) -> str:
    """A date is one unit on a line: "13 November" must not leave "2017" alone."""
    return no_narrow_spaces(text).replace(" ", NBSP)


def format_partial_date(value: str, lang: str) -> str:
    """'2017' -> '2017'; '2017-11' -> 'November 2017'; '2017-11-13' -> '13 November 2017'."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return value
    if len(parts) == 2:
        return _unbroken(format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1),
                                         locale=babel_locale(lang), fuzzy=True))
    return format_full_date(dt.date(parts[0], parts[1], parts[2]), lang)


__all__ = ["LOCALES", "babel_locale", "format_full_date", "format_number",
           "format_partial_date"]
