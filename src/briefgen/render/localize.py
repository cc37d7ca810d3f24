"""A brief's localized values as HTML in one language, and the marks that tell a reader
which passages are in another: text written once for every language, and a draft
translation's passages not yet translated."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from markupsafe import Markup

from ..errors import BriefError, Problem
from ..source.load import format_path
from ..source.model import BriefFile, localized_fields
from ..source.types import LocalizedText
from ..text.convert import (
    NestingError,
    inline_markdown_to_html,
    markdown_blocks_with_notes,
    markdown_with_notes,
    plain_text,
)
from ..text.typography import no_runts
from .notes import NoteBook

T = TypeVar("T")


class Localizer:
    """Turns a brief's localized values into HTML in one language; text that cannot be
    converted is a problem located at its field."""

    def __init__(self, brief_file: BriefFile, lang: str, notebook: NoteBook,
                 untranslated_label: str = "") -> None:
        self.brief_file = brief_file
        self.lang = lang
        self.notebook = notebook
        self.source_lang = brief_file.brief.source_language
        self._paths = {id(text): path for path, text in localized_fields(brief_file.brief)}
        # A draft translation shows what is not yet translated in the source language,
        # each passage marked with this label.
        self.draft = brief_file.brief.is_draft(lang)
        self.untranslated_label = untranslated_label
        self.untranslated = 0

    def _fallback(self, value: LocalizedText | None) -> bool:
        """Whether ``value`` is shown in the source language: a draft's untranslated
        text."""
        return self.draft and value is not None and not value.has(self.lang)

    def _converted(self, value: LocalizedText | None, convert: Callable[[str, str], T]) -> T:
        # Text written once for every language is in the source language: set it by
        # that language's rules (an English title on a Russian page keeps “quotes”).
        lang = self.lang if value is None or (value.translations is not None
                                              and not self._fallback(value)) else (
            self.source_lang)
        try:
            return convert(self.text(value), lang)
        except NestingError as exc:
            path = self._paths.get(id(value), ())
            if value is not None and value.translations is not None:
                path = (*path, self.lang)
            raise BriefError([Problem(self.brief_file.location(path), str(exc),
                                      format_path(path))]) from None

    def mark_neutral(self, value: LocalizedText | None, html: Markup, tag: str) -> Markup:
        # Text written once for every language is in the source language: say so on
        # pages in another language, for hyphenation and screen readers. A draft's
        # untranslated passage is marked for its reader too, in words.
        if self._fallback(value) and html:
            self.untranslated += 1
            mark = Markup('<span class="untranslated-mark" lang="{}">{}</span> ').format(
                self.lang, self.untranslated_label)
            if tag == "div":
                # Inside the first paragraph, where it reads as part of the text.
                html = Markup(str(html).replace("<p>", "<p>" + str(mark), 1)) if (
                    html.startswith("<p>")) else mark + html
            else:
                html = mark + html
            return (Markup(f'<{tag} class="untranslated" lang="{self.source_lang}">') + html
                    + Markup(f"</{tag}>"))
        if (value is None or value.translations is not None or self.lang == self.source_lang
                or not html):
            return html
        return Markup(f'<{tag} lang="{self.source_lang}">') + html + Markup(f"</{tag}>")

    def text(self, value: LocalizedText | None) -> str:
        if value is None:
            return ""
        return value.text(value.shown_in(self.lang, self.source_lang) if self.draft
                          else self.lang)

    def inline(self, value: LocalizedText | None) -> Markup:
        return self.mark_neutral(value, self._converted(value, inline_markdown_to_html),
                                 "span")

    def block(self, value: LocalizedText | None) -> Markup:
        body, notes = self._converted(value, markdown_with_notes)
        body = self.notebook.mark(body, self.notebook.add(notes))
        return self.mark_neutral(value, no_runts(body), "div")

    def blocks(self, value: LocalizedText) -> list[Markup]:
        bodies, notes = self._converted(value, markdown_blocks_with_notes)
        ids = self.notebook.add(notes)
        return [self.mark_neutral(value, no_runts(self.notebook.mark(html, ids)), "div")
                for html in bodies]

    def plain(self, value: LocalizedText | None) -> str:
        return plain_text(self.text(value), self.lang)
