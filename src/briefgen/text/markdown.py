"""Markdown -> sanitized HTML, with each language's typesetting applied to its text.

Python-Markdown converts; the result is cleaned by the allow-list in ``sanitize``.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from functools import cache

import markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .sanitize import BLOCK_TAGS, INLINE_TAGS, clean, strip_tags
from .typography import TYPESETTERS, Typesetter


def markdown_to_html(source: str, lang: str = "en") -> Markup:
    """Block Markdown (paragraphs, lists, emphasis, links) as sanitized HTML."""
    converted = _converter(lang, inline=False).reset().convert(source)
    return Markup(clean(converted, BLOCK_TAGS))


def markdown_blocks(source: str, lang: str = "en") -> list[Markup]:
    """Block Markdown as one sanitized HTML fragment per paragraph, list or quote.

    The bilingual editions set each paragraph level with its translation, so they
    need the blocks apart. A block is what blank lines separate, except that an
    indented line or a list item following a list continues the block before it.
    """
    chunks: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", source.strip()):
        continues = bool(chunks) and (chunk[:1].isspace() or bool(
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
    return Markup(clean(converted, INLINE_TAGS))


def plain_text(source: str, lang: str = "en") -> str:
    """The words of inline Markdown without markup, for <title> and PDF metadata."""
    return html.unescape(strip_tags(str(inline_markdown_to_html(source, lang))))


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
