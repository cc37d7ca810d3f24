"""Text: localized lookup, Markdown -> sanitized HTML.

Brief text is content, never code: Markdown is converted by Python-Markdown and
the result cleaned by nh3 with an allow-list, so raw HTML in a brief cannot put
script, event handlers or dangerous links into an HTML brief or a PDF.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from functools import cache
from typing import Any

import markdown
import nh3
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup
from pydantic import BaseModel

from .load import Path_
from .model import LocalizedText

BLOCK_TAGS = {"p", "ul", "ol", "li", "blockquote", "em", "strong", "a", "code", "br", "img",
              "sub", "sup", "abbr", "span"}
INLINE_TAGS = {"em", "strong", "a", "code", "br", "sub", "sup", "abbr", "span"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "span": {"lang"},
              "img": {"src", "alt", "title", "width", "height"},
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


def markdown_to_html(source: str, lang: str = "en") -> Markup:
    """Block Markdown (paragraphs, lists, emphasis, links) as sanitized HTML."""
    converted = _converter(lang, inline=False).reset().convert(source)
    return Markup(_clean(converted, BLOCK_TAGS))


def markdown_blocks(source: str, lang: str = "en") -> list[Markup]:
    """Block Markdown as one sanitized HTML fragment per paragraph, list or quote.

    The bilingual editions set each paragraph level with its translation, so they
    need the blocks apart. A block is what blank lines separate, except that an
    indented line or a list item following a list continues the block before it.
    """
    chunks: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", source.strip()):
        continues = chunks and (chunk[:1].isspace() or (
            _LIST_ITEM.match(chunk) and _LIST_ITEM.match(chunks[-1])))
        if continues:
            chunks[-1] += "\n\n" + chunk
        elif chunk.strip():
            chunks.append(chunk)
    return [markdown_to_html(chunk, lang) for chunk in chunks]


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def inline_markdown_to_html(source: str, lang: str = "en") -> Markup:
    """Inline Markdown only (emphasis, links): for titles, labels and names."""
    converted = _converter(lang, inline=True).reset().convert(" ".join(source.split()))
    converted = converted.removeprefix("<p>").removesuffix("</p>")
    return Markup(_clean(converted, INLINE_TAGS))


def plain_text(source: str, lang: str = "en") -> str:
    """The words of inline Markdown without markup, for <title> and PDF metadata."""
    return html.unescape(nh3.clean(str(inline_markdown_to_html(source, lang)), tags=set()))


@cache
def _converter(lang: str, inline: bool) -> markdown.Markdown:
    converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    if inline:
        # Titles and labels take inline syntax only: "1. Scope" or "- draft" stay text.
        for name in ("indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist",
                     "quote", "reference"):
            converter.parser.blockprocessors.deregister(name)
    typesetter = TYPESETTERS.get(lang)
    if typesetter:
        # After the inline patterns (priority 20), so emphasis and links are elements.
        converter.treeprocessors.register(_Typography(converter, typesetter), "typography", 5)
    return converter


# --- typography ------------------------------------------------------------------------

NBSP = "\u00a0"
# Words a Russian typesetter keeps on the line of the word that follows them.
RU_SHORT_WORDS = (
    "а", "и", "в", "во", "к", "ко", "с", "со", "у", "о", "об", "от", "до", "из", "за", "на",
    "по", "не", "ни", "но", "да", "же", "ли", "бы", "для", "без", "при", "над", "под", "про",
    "что", "как", "или",
)
_RU_SHORT = re.compile(r"(?<![\w-])(" + "|".join(RU_SHORT_WORDS) + r") (?=\S)",
                       re.IGNORECASE)
_RU_UNITS = re.compile(r"(\d) (г\.|гг\.|млрд|млн|тыс\.|трлн|%|‰)")
_DIGIT_GROUPS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")


def russian_typography(text: str, quote_depth: list[int] | None = None) -> str:
    """Russian typesetting rules on plain text.

    «Ёлочки» for straight double quotes („лапки“ inside them), no-break spaces after
    short prepositions and conjunctions, before a dash, inside numbers and between a
    number and its unit or "г.". ``quote_depth`` carries open quotes across the text
    pieces of one paragraph.
    """
    depth = quote_depth if quote_depth is not None else [0]
    out = []
    for i, char in enumerate(text):
        if char == '"':
            opening = i == 0 and not out or (out and (out[-1].isspace() or out[-1] in "([«„"))
            if opening:
                out.append("«" if depth[0] == 0 else "„")
                depth[0] += 1
            else:
                depth[0] = max(0, depth[0] - 1)
                out.append("»" if depth[0] == 0 else "“")
        else:
            out.append(char)
    text = "".join(out)
    text = _RU_SHORT.sub(lambda m: m.group(1) + NBSP, text)
    text = text.replace(" — ", NBSP + "— ").replace(" – ", NBSP + "– ")
    text = _DIGIT_GROUPS.sub(NBSP, text)
    return _RU_UNITS.sub(lambda m: m.group(1) + NBSP + m.group(2), text)


TYPESETTERS = {"ru": russian_typography}


class _Typography(Treeprocessor):
    """Applies a language's typesetting to every text node outside code."""

    def __init__(self, md: markdown.Markdown, typeset: Any) -> None:
        super().__init__(md)
        self.typeset = typeset

    def run(self, root: etree.Element) -> None:
        for block in root:
            depth = [0]  # open quotes do not leak from one paragraph into the next
            self._walk(block, depth)

    def _walk(self, element: etree.Element, depth: list[int]) -> None:
        if element.tag == "code":
            return
        if element.text:
            element.text = self.typeset(element.text, depth)
        for child in element:
            self._walk(child, depth)
            if child.tail:
                child.tail = self.typeset(child.tail, depth)


def _clean(fragment: str, tags: set[str]) -> str:
    return nh3.clean(fragment, tags=tags, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


# --- locale formats ------------------------------------------------------------------

# The locale each language is formatted in: British English gives "13 November 2017",
# the form briefs in international affairs use.
LOCALES = {"en": "en_GB", "ru": "ru_RU"}


def babel_locale(lang: str) -> str:
    return LOCALES.get(lang, lang)


def _no_narrow_spaces(text: str) -> str:
    # CLDR puts narrow no-break spaces before "г." and in some numbers; few text
    # fonts have that glyph (PT Sans does not), so use the ordinary no-break space.
    return text.replace("\u202f", NBSP)


def format_number(value: int | float | str, lang: str) -> str:
    """A key figure's value in the reader's conventions; text is left as written."""
    if isinstance(value, str):
        return value
    return _no_narrow_spaces(format_decimal(value, locale=babel_locale(lang)))


def format_full_date(value: dt.date, lang: str) -> str:
    return _no_narrow_spaces(format_date(value, "long", locale=babel_locale(lang)))


def format_partial_date(value: str, lang: str) -> str:
    """'2017' -> '2017'; '2017-11' -> 'November 2017'; '2017-11-13' -> '13 November 2017'."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return value
    if len(parts) == 2:
        return _no_narrow_spaces(format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1),
                                                 locale=babel_locale(lang), fuzzy=True))
    return format_full_date(dt.date(*parts), lang)
