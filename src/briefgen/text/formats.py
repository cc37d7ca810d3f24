"""Dates and numbers in the reader's conventions (Babel, from CLDR)."""

from __future__ import annotations

import datetime as dt
import decimal

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from .typography import NBSP

# The locale each language is formatted in: British English gives "13 November 2017",
# the form briefs in international affairs use.
LOCALES = {"en": "en_GB", "ru": "ru_RU"}


def babel_locale(lang: str) -> str:
    return LOCALES.get(lang, lang)


def _no_narrow_spaces(text: str) -> str:
    # CLDR puts narrow no-break spaces before "г." and in some numbers; few text
    # fonts have that glyph (PT Sans does not), so use the ordinary no-break space.
    return text.replace("\u202f", NBSP)


def format_number(value: int | float | str, lang: str, precision: int | None = None) -> str:
    """A key figure's value in the reader's conventions; text is left as written.

    With ``precision`` the number is rounded to that many decimal places (19.654 at 1
    is 19.7); without it, every digit the writer gave is shown and none added, so that
    0.000001 does not print as 0.
    """
    if isinstance(value, str):
        return value
    if precision is None:
        return _no_narrow_spaces(format_decimal(value, locale=babel_locale(lang),
                                                decimal_quantization=False))
    pattern = "#,##0" + ("." + "0" * precision if precision else "")
    rounded = decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-precision),
                                                   rounding=decimal.ROUND_HALF_UP)
    return _no_narrow_spaces(format_decimal(rounded, format=pattern,
                                            locale=babel_locale(lang)))


def format_full_date(value: dt.date, lang: str) -> str:
    return _unbroken(format_date(value, "long", locale=babel_locale(lang)))


def _unbroken(text: str) -> str:
    """A date is one unit on a line: "13 November" must not leave "2017" alone."""
    return _no_narrow_spaces(text).replace(" ", NBSP)


def format_partial_date(value: str, lang: str) -> str:
    """'2017' -> '2017'; '2017-11' -> 'November 2017'; '2017-11-13' -> '13 November 2017'."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return value
    if len(parts) == 2:
        return _unbroken(format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1),
                                         locale=babel_locale(lang), fuzzy=True))
    return format_full_date(dt.date(parts[0], parts[1], parts[2]), lang)
