"""Text: localized lookup, Markdown -> sanitized HTML.

Brief text is content, never code: Markdown is converted by Python-Markdown and
the result cleaned by nh3 with an allow-list, so raw HTML in a brief cannot put
script, event handlers or dangerous links into an HTML brief or a PDF.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from typing import Any

import markdown
import nh3
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup
from pydantic import BaseModel

from .load import Path_
from .model import LocalizedText

BLOCK_TAGS = {"p", "ul", "ol", "li", "blockquote", "em", "strong", "a", "code", "br",
              "sub", "sup", "abbr", "span"}
INLINE_TAGS = {"em", "strong", "a", "code", "br", "sub", "sup", "abbr", "span"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "span": {"lang"},
              "*": {"lang"}}
URL_SCHEMES = {"http", "https", "mailto"}


class MissingTranslation(LookupError):
    """A localized value has no text for the language asked for."""


def localize(text: LocalizedText | None, lang: str) -> str:
    """The text of a localized value in ``lang``; plain strings serve every language."""
    if text is None:
        return ""
    if not text.has(lang):
        raise MissingTranslation(lang)
    return text.value if isinstance(text.value, str) else text.value[lang]


def localized_fields(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every localized value under ``node``, with its path."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from localized_fields(getattr(node, name), (*path, name))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from localized_fields(item, (*path, i))
    elif isinstance(node, LocalizedText):
        yield path, node


def missing_translations(node: Any, lang: str) -> list[Path_]:
    """The paths of the localized values under ``node`` that have no ``lang`` text."""
    return [path for path, text in localized_fields(node) if not text.has(lang)]


def markdown_to_html(source: str) -> Markup:
    """Block Markdown (paragraphs, lists, emphasis, links) as sanitized HTML."""
    converted = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
    return Markup(_clean(converted, BLOCK_TAGS))


def _inline_converter() -> markdown.Markdown:
    converter = markdown.Markdown(output_format="html")
    # Titles and labels take inline syntax only: "1. Scope" or "- draft" stay text.
    for name in ("indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist",
                 "quote", "reference"):
        converter.parser.blockprocessors.deregister(name)
    return converter


_INLINE = _inline_converter()


def inline_markdown_to_html(source: str) -> Markup:
    """Inline Markdown only (emphasis, links): for titles, labels and names."""
    converted = _INLINE.reset().convert(" ".join(source.split()))
    converted = converted.removeprefix("<p>").removesuffix("</p>")
    return Markup(_clean(converted, INLINE_TAGS))


def plain_text(source: str) -> str:
    """The words of inline Markdown without markup, for <title> and PDF metadata."""
    return html.unescape(nh3.clean(str(inline_markdown_to_html(source)), tags=set()))


def _clean(fragment: str, tags: set[str]) -> str:
    return nh3.clean(fragment, tags=tags, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


# --- locale formats ------------------------------------------------------------------

# The locale each language is formatted in: British English gives "13 November 2017",
# the form briefs in international affairs use.
LOCALES = {"en": "en_GB", "ru": "ru_RU"}


def babel_locale(lang: str) -> str:
    return LOCALES.get(lang, lang)


def format_number(value: int | float | str, lang: str) -> str:
    """A key figure's value in the reader's conventions; text is left as written."""
    if isinstance(value, str):
        return value
    return format_decimal(value, locale=babel_locale(lang))


def format_full_date(value: dt.date, lang: str) -> str:
    return format_date(value, "long", locale=babel_locale(lang))


def format_partial_date(value: str, lang: str) -> str:
    """'2017' -> '2017'; '2017-11' -> 'November 2017'; '2017-11-13' -> '13 November 2017'."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return value
    if len(parts) == 2:
        return format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1),
                               locale=babel_locale(lang), fuzzy=True)
    return format_full_date(dt.date(*parts), lang)
