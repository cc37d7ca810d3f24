"""Numbers in each language's way, from the Unicode CLDR (Babel): the one formatter the
text of a brief (key figures, a family's placeholders) and its outputs share."""

from __future__ import annotations

import decimal

from babel.numbers import format_decimal

# The locale each language is formatted in: British English gives "13 November 2017",
# the form briefs in international affairs use.
LOCALES = {"en": "en_GB", "ru": "ru_RU"}


def babel_locale(lang: str) -> str:
    return LOCALES.get(lang, lang)


def no_narrow_spaces(text: str) -> str:
    # CLDR puts narrow no-break spaces before "г." and in some numbers; few text
    # fonts have that glyph (PT Sans does not), so use the ordinary no-break space.
    return text.replace("\u202f", "\u00a0")


def format_number(value: int | float | str, lang: str, precision: int | None = None) -> str:
    """A key figure's value in the reader's conventions; text is left as written.

    With ``precision`` the number is rounded to that many decimal places (19.654 at 1
    is 19.7); without it, every digit the writer gave is shown and none added, so that
    0.000001 does not print as 0.
    """
    if isinstance(value, str):
        return value
    if precision is None:
        return no_narrow_spaces(format_decimal(value, locale=babel_locale(lang),
                                                decimal_quantization=False))
    pattern = "#,##0" + ("." + "0" * precision if precision else "")
    rounded = decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-precision),
                                                   rounding=decimal.ROUND_HALF_UP)
    return no_narrow_spaces(format_decimal(rounded, format=pattern,
                                            locale=babel_locale(lang)))
