"""Notes (Markdown footnotes, ``[^1]``) as numbered endnotes of an edition.

Each text's notes are collected as the view converts it, and where the text refers to
one it holds a reference without a number. Only the whole page knows the order a reader
meets them in, and which its audience shows at all: once the page is rendered, its
references are numbered in reading order (per language, in a bilingual edition), linked
to their note, and each language's note list is filled with the notes its page refers
to, in that order. A list with none is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup

from ..text.convert import NOTE_MARK

_REF = re.compile(r'<sup class="note-ref" data-note="([^":]*):(n\d+)"></sup>')
_LIST = '<ol class="note-list" data-notes="{suffix}"></ol>'
_SECTION = re.compile(r'<section class="notes" data-notes="([^"]*)".*?</section>\s*', re.S)


@dataclass
class NoteBook:
    """The notes of one view (one language of an edition), by id."""

    suffix: str  # the view's anchor suffix: ids stay unique when two languages share a page
    notes: dict[str, Markup] = field(default_factory=dict)

    def add(self, notes: list[Markup]) -> list[str]:
        """Keep a text's notes; their ids, in the text's order."""
        ids = []
        for note in notes:
            ids.append(f"n{len(self.notes) + 1}")
            self.notes[ids[-1]] = Markup(note.strip())
        return ids

    def mark(self, body: Markup, ids: list[str]) -> Markup:
        """``body`` with each of its references to a note as an unnumbered reference."""
        return Markup(NOTE_MARK.sub(
            lambda m: f'<sup class="note-ref" data-note="{self.suffix}:{ids[int(m[1])]}">'
                      "</sup>" if int(m[1]) < len(ids) else "", str(body)))


def number_notes(html: str, books: list[NoteBook]) -> str:
    """Number the page's references in reading order, link them, and fill each
    language's note list; a list no reference points to is removed."""
    by_suffix = {book.suffix: book for book in books}
    numbers: dict[str, dict[str, int]] = {book.suffix: {} for book in books}

    def number(match: re.Match[str]) -> str:
        suffix, note = match[1], match[2]
        if suffix not in by_suffix or note not in by_suffix[suffix].notes:
            return ""
        seen = numbers[suffix]
        first = note not in seen
        seen.setdefault(note, len(seen) + 1)
        k = seen[note]
        anchor = f' id="noteref{suffix}-{k}"' if first else ""
        return (f'<sup class="note-ref"><a href="#note{suffix}-{k}"{anchor}>{k}</a></sup>')

    html = _REF.sub(number, html)
    for book in books:
        items = "".join(f'<li id="note{book.suffix}-{k}">{book.notes[note]}</li>'
                        for note, k in numbers[book.suffix].items())
        html = html.replace(_LIST.format(suffix=book.suffix),
                            f'<ol class="note-list">{items}</ol>')
    return _SECTION.sub(lambda m: "" if not numbers.get(m[1]) else m[0], html)
