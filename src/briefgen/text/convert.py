"""Markdown -> sanitized HTML, with each language's typesetting applied to its text.

Python-Markdown converts; the result is cleaned by the allow-list in ``sanitize``.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from functools import cache

import markdown
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .hyphenate import last_word_whole, soft_hyphens, without_soft_hyphens
from .sanitize import BLOCK_TAGS, INLINE_TAGS, clean, strip_tags
from .typography import SMART_QUOTES, TYPESETTERS, Typesetter

# The deepest element nesting the HTML of one text may have. A brief's source is held
# to 16 levels of quotes, lists, tags or emphasis when it is validated; this bounds
# what the conversion makes of whatever that check cannot see, before a layout engine
# has to recurse through it.
MAX_HTML_DEPTH = 64
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)[^>]*?(/?)>")
_VOID = {"br", "img", "hr", "wbr"}


class NestingError(ValueError):
    """Converted text nests its elements deeper than MAX_HTML_DEPTH."""


def markdown_to_html(source: str, lang: str = "en") -> Markup:
    """Block Markdown (paragraphs, lists, emphasis, links, tables) as sanitized HTML,
    without its notes."""
    body, _ = markdown_with_notes(source, lang)
    return Markup(NOTE_MARK.sub("", str(body)))


# Where a note is referred to in converted text: its place among the text's notes.
NOTE_MARK = re.compile("\ue000(\\d+)\ue001")
_NOTES = re.compile(r'<div class="footnote">.*</div>\s*\Z', re.S)
_NOTE = re.compile(r'<li id="fn:([^"]*)">(.*?)</li>\s*(?=<li id="fn:|</ol>)', re.S)
_NOTE_REF = re.compile(r'<sup id="fnref\d*:([^"]*)"><a class="footnote-ref" href="#fn:[^"]*">'
                       r'\d+</a></sup>')
_BACK_REF = re.compile(r'(?:&#160;)?<a class="footnote-backref"[^>]*>&#8617;</a>')


def markdown_with_notes(source: str, lang: str = "en") -> tuple[Markup, list[Markup]]:
    """Block Markdown as sanitized HTML, and its notes (``[^1]`` and ``[^1]: ...``).

    Where the text refers to a note, the HTML holds NOTE_MARK with the note's place in
    the list: the edition numbers notes and links them, since it alone knows their order.
    """
    converted = _converter(lang, inline=False).reset().convert(source)
    notes: list[tuple[str, str]] = []
    found = _NOTES.search(converted)
    if found:
        notes = [(label, _BACK_REF.sub("", text)) for label, text in _NOTE.findall(found[0])]
        converted = converted[: found.start()]
    places = {label: i for i, (label, _) in enumerate(notes)}
    converted = _NOTE_REF.sub(lambda m: f"\ue000{places[m[1]]}\ue001" if m[1] in places
                              else "", converted)
    return (_bounded(clean(converted, BLOCK_TAGS)),
            [_bounded(clean(text, BLOCK_TAGS)) for _, text in notes])


def _bounded(html_text: str) -> Markup:
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html_text):
        if name in _VOID or self_closing:
            continue
        depth = depth - 1 if closing else depth + 1
        deepest = max(deepest, depth)
    if deepest > MAX_HTML_DEPTH:
        raise NestingError(f"its HTML nests {deepest} elements deep; the limit is "
                           f"{MAX_HTML_DEPTH}")
    return Markup(html_text)


def markdown_blocks(source: str, lang: str = "en") -> list[Markup]:
    """Block Markdown as one sanitized HTML fragment per paragraph, list or quote.

    The bilingual editions set each paragraph level with its translation, so they
    need the blocks apart. A block is what blank lines separate, except that an
    indented line or a list item following a list continues the block before it.
    """
    return [markdown_to_html(chunk, lang) for chunk in _chunks(source)]


def _chunks(source: str) -> list[str]:
    chunks: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", source.strip()):
        continues = bool(chunks) and (chunk[:1].isspace() or bool(
            _LIST_ITEM.match(chunk) and _LIST_ITEM.match(chunks[-1])))
        if continues:
            chunks[-1] += "\n\n" + chunk
        elif chunk.strip():
            chunks.append(chunk)
    return chunks


def markdown_blocks_with_notes(source: str, lang: str = "en"
                               ) -> tuple[list[Markup], list[Markup]]:
    """markdown_blocks, and the notes of the whole text: each block is converted with
    every note's definition, wherever in the text it is written."""
    definitions, text = _note_definitions(source)
    blocks = [markdown_with_notes(chunk + "\n\n" + definitions, lang)
              for chunk in _chunks(text)]
    notes = markdown_with_notes(definitions, lang)[1] if definitions else []
    return [body for body, _ in blocks], notes


_DEFINITION = re.compile(r"\[\^[^\]\n]+\]:")


def _note_definitions(source: str) -> tuple[str, str]:
    """The note definitions of a text (``[^1]: ...`` and the indented lines after it),
    and the text without them."""
    definitions: list[str] = []
    text: list[str] = []
    inside = False
    for line in source.splitlines():
        if _DEFINITION.match(line):
            inside = True
            definitions.append(line)
        elif inside and (line[:1] in (" ", "\t") or not line.strip()):
            definitions.append(line)
        else:
            inside = False
            text.append(line)
    return "\n".join(definitions).strip(), "\n".join(text)


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def inline_markdown_to_html(source: str, lang: str = "en") -> Markup:
    """Inline Markdown only (emphasis, links): for titles, labels and names."""
    converted = _converter(lang, inline=True).reset().convert(" ".join(source.split()))
    converted = converted.removeprefix("<p>").removesuffix("</p>")
    return _bounded(clean(converted, INLINE_TAGS))


def literal_markdown(text: str) -> str:
    """Text to show as written (a quoted passage), as Markdown: its markup characters
    escaped, so that only typography applies (curly quotes, dashes, no-break spaces)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#!])", r"\\\1", text)


def plain_text(source: str, lang: str = "en") -> str:
    """The words of inline Markdown without markup, for <title> and PDF metadata."""
    return without_soft_hyphens(html.unescape(strip_tags(
        str(inline_markdown_to_html(source, lang)))))


@cache
def _converter(lang: str, inline: bool) -> markdown.Markdown:
    extensions: list[str | markdown.Extension] = ["sane_lists"]
    if lang in SMART_QUOTES:
        extensions.append("smarty")
    if not inline:  # tables' alignment as an attribute: the sanitizer keeps no style
        extensions += [TableExtension(use_align_attribute=True), "footnotes"]
    converter = markdown.Markdown(extensions=extensions, output_format="html")
    if inline:
        # Titles and labels take inline syntax only: "1. Scope" or "- draft" stay text.
        for name in ("indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist",
                     "quote", "reference"):
            converter.parser.blockprocessors.deregister(name)
    typesetter = TYPESETTERS.get(lang)
    if typesetter:
        # After the inline patterns (priority 20), so emphasis and links are elements.
        converter.treeprocessors.register(_Typography(converter, typesetter), "typography", 5)
    if not inline:
        converter.treeprocessors.register(_Hyphenation(converter, lang), "hyphenation", 4)
        converter.treeprocessors.register(_Tables(converter), "tables", 3)
    return converter


_NUMBER = re.compile(r"[-+−–]?[\d\s\u00a0\u202f.,]*\d[\d\s\u00a0\u202f.,]*\s?[%‰]?")


class _Tables(Treeprocessor):
    """A table's figures right-aligned, its header cells scoped to their column: a
    column of numbers reads by its units, a screen reader names each cell's column."""

    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            numeric: dict[int, bool] = {}
            for row in table.iter("tr"):
                for i, cell in enumerate(c for c in row if c.tag == "td"):
                    text = "".join(cell.itertext()).replace("\u00ad", "").strip()
                    figure = bool(_NUMBER.fullmatch(text))
                    numeric[i] = numeric.get(i, True) and (figure or not text)
                    if cell.get("align") is None and figure:
                        cell.set("align", "right")
            for row in table.iter("tr"):
                for i, cell in enumerate(c for c in row if c.tag == "th"):
                    cell.set("scope", "col")
                    if cell.get("align") is None and numeric.get(i):
                        cell.set("align", "right")  # over a column of figures


class _Typography(Treeprocessor):
    """Applies a language's typesetting to every text node outside code."""

    def __init__(self, md: markdown.Markdown, typeset: Typesetter) -> None:
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


class _Hyphenation(Treeprocessor):
    """Soft hyphens where the language's dictionary allows them (in languages set with
    hyphenation), except in code and in the last word of a paragraph or list item,
    which is made unbreakable in every language: no paragraph ends on a fragment."""

    BLOCKS = {"p", "li", "blockquote", "ul", "ol"}

    def __init__(self, md: markdown.Markdown, lang: str) -> None:
        super().__init__(md)
        self.lang = lang

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in ("p", "li"):
                self._block(element)

    def _block(self, block: etree.Element) -> None:
        pieces = list(self._pieces(block))
        for owner, attribute in pieces:
            text = getattr(owner, attribute)
            setattr(owner, attribute, soft_hyphens(text, self.lang))
        if pieces:
            owner, attribute = pieces[-1]
            setattr(owner, attribute, last_word_whole(getattr(owner, attribute)))

    def _pieces(self, block: etree.Element) -> Iterator[tuple[etree.Element, str]]:
        """The text of ``block`` in reading order, as (element, "text" or "tail"),
        leaving out code and nested blocks (which are blocks of their own)."""
        if block.text:
            yield block, "text"
        for child in block:
            if child.tag not in self.BLOCKS and child.tag != "code":
                yield from self._pieces(child)
            if child.tail:
                yield child, "tail"
