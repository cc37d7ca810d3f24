"""Evidence checked against its sources: every quote a brief gives is looked up in the
reference's file, and a quote that is not there is a located error naming the closest
passage that is.

Quotes are compared by their letters and digits alone, case folded: whitespace, line
breaks, hyphens at line ends, quote styles and other punctuation do not count, since
a PDF's extracted text and a writer's copy differ in exactly those.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import unicodedata
from array import array
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, Problem, Severity, display_path
from .claims import Claim, claims, evidence_path
from .load import format_path
from .model import BriefFile, Evidence
from .remote import is_url

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a source document larger than this is refused,
MAX_PAGES = 5_000  # as is a PDF of more pages than this,
MAX_LETTERS = 3_000_000  # or of more letters (a long book): matching is kept to a second
MIN_LETTERS = 8  # a quote of fewer letters and digits ("a", "41") proves nothing
CLOSEST_LETTERS = 300  # of a quote not found, the part its closest passage is sought for
SIMILAR_ENOUGH = 60  # % alike: below it, no passage is offered as "the closest"
EXCERPT = 160  # characters of the closest passage shown
KEPT = 8  # documents kept read in a process (a long `watch` sees many versions)
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
DOCUMENT_SUFFIXES = (*TEXT_SUFFIXES, ".pdf")
# Small numbers as a paper writes them ("six countries").
NUMBER_WORDS = dict(enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty"]))


@dataclass(frozen=True, eq=False)  # hashed by identity: closest() is cached per document
class Document:
    """A source document's text, and its letters and digits for matching."""

    path: Path
    text: str
    page_starts: tuple[int, ...]  # where each page's text begins (PDF); () for text files
    skeleton: str
    positions: array[int]  # for each character of skeleton, its index in text

    def page_at(self, index: int) -> int | None:
        """The page number (from 1) of the text at ``index``, for a PDF."""
        return bisect.bisect_right(self.page_starts, index) if self.page_starts else None

    def find(self, quote: str) -> list[tuple[int, int]]:
        """Where the quote's skeleton occurs, as (start, end) indices into ``text``."""
        needle, found, start = skeleton(quote)[0], [], 0
        while needle and (at := self.skeleton.find(needle, start)) >= 0:
            found.append((self.positions[at], self.positions[at + len(needle) - 1]))
            start = at + 1
        return found

    @functools.lru_cache(maxsize=256)  # noqa: B019 (documents are few, and kept anyway)
    def closest(self, quote: str) -> tuple[float, str]:
        """How alike (0-100) the passage most like ``quote`` is, and that passage. A long
        quote is matched by its start: the time stays under a second on a long book."""
        from rapidfuzz import fuzz

        needle = skeleton(quote)[0][:CLOSEST_LETTERS]
        match = fuzz.partial_ratio_alignment(needle, self.skeleton)
        if not needle or match is None or match.dest_end <= match.dest_start:
            return 0.0, ""
        start = self.positions[match.dest_start]
        end = self.positions[match.dest_end - 1] + 1
        while start > 0 and self.text[start - 1].isalnum():  # whole words
            start -= 1
        while end < len(self.text) and self.text[end].isalnum():
            end += 1
        passage = " ".join(self.text[start:end].split())
        if len(passage) > EXCERPT:
            passage = passage[: EXCERPT - 1].rstrip() + "…"
        return match.score, passage


class DocumentError(Exception):
    """A source document that cannot be read as text."""


def skeleton(text: str, limit: int | None = None) -> tuple[str, array[int]]:
    """The letters and digits of ``text``, case folded, and where each came from.

    What tells numbers apart stays: a decimal point between digits ("4.1" is not "41")
    and a minus before one; a thousands separator ("7,831" is "7831") does not.
    Raises DocumentError past ``limit`` letters, before holding more of them.
    """
    letters: list[str] = []
    positions = array("q")
    for index, char in enumerate(text):
        if char in ".,-\u2212" and _significant(text, index):
            letters.append("." if char == "," else char.replace("\u2212", "-"))
            positions.append(index)
            continue
        for folded in unicodedata.normalize("NFKC", char).casefold():
            if folded.isalnum():
                letters.append(folded)
                positions.append(index)
        if limit is not None and len(letters) > limit:
            raise DocumentError(f"more than {limit:,} letters of text")
    return "".join(letters), positions


def _significant(text: str, index: int) -> bool:
    """Whether the punctuation at ``index`` is part of a number's value."""
    before = text[index - 1] if index else " "
    after = text[index + 1: index + 5]
    if not after[:1].isdigit():
        return False
    if text[index] in "-\u2212":  # a sign: not a hyphen inside a word ("G-20")
        return not before.isalnum()
    if not before.isdigit():
        return False
    # A comma with three digits after it separates thousands; any other, and a point,
    # is a decimal mark.
    return not (text[index] == "," and after[:3].isdigit() and not after[3:4].isdigit())


# Kept in a process (a worker, `briefgen watch`): by path and content, the last few.
_DOCUMENTS: OrderedDict[tuple[Path, str], Document] = OrderedDict()


def read_document(path: Path, raw: bytes | None = None) -> Document:
    """The text of a source document: UTF-8 text or Markdown as is, a PDF's text per page;
    ``raw``, when given, is its content (bytes fetched and not yet written there).

    Raises DocumentError when it cannot be read.
    """
    try:
        if (len(raw) if raw is not None else path.stat().st_size) > MAX_DOCUMENT_BYTES:
            raise DocumentError(f"larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        raise DocumentError(exc.strerror or str(exc)) from None
    key = (path.resolve(), hashlib.sha256(raw).hexdigest())
    if key in _DOCUMENTS:
        _DOCUMENTS.move_to_end(key)
        return _DOCUMENTS[key]
    # A PDF by its name, or by its signature in its first kilobyte; a text file by name.
    is_pdf = path.suffix.lower() not in TEXT_SUFFIXES and (
        path.suffix.lower() == ".pdf" or b"%PDF-" in raw[:1024])
    if is_pdf:
        pages = _pdf_pages(raw)
        if not any(page.strip() for page in pages):
            raise DocumentError("a PDF without text (a scan?); quotes are checked against "
                                "text: add its text layer, or give its text as a .txt file")
    else:
        try:
            pages = [raw.decode("utf-8-sig")]
        except UnicodeDecodeError as exc:
            raise DocumentError(f"not UTF-8 text (byte {exc.start}); text, Markdown "
                                "and PDF sources are read") from None
    starts = [0]
    for page in pages[:-1]:
        starts.append(starts[-1] + len(page) + 1)
    text = "\n".join(pages)
    letters, positions = skeleton(text, MAX_LETTERS)
    _DOCUMENTS[key] = Document(path, text, tuple(starts) if is_pdf else (), letters,
                               positions)
    while len(_DOCUMENTS) > KEPT:
        _DOCUMENTS.popitem(last=False)
    return _DOCUMENTS[key]


def _pdf_pages(raw: bytes) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        raise DocumentError(f"not a readable PDF ({exc})") from None
    try:
        if len(pdf) > MAX_PAGES:
            raise DocumentError(f"{len(pdf):,} pages; the limit is {MAX_PAGES:,}")
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return pages
    finally:
        pdf.close()


@dataclass
class Coverage:
    """How much of a brief its evidence supports."""

    claims: int = 0  # claims that are not the editors' own
    supported: int = 0  # of those, with evidence
    editorial: int = 0
    quotes: int = 0
    found: int = 0  # quotes found in their source document

    def __str__(self) -> str:
        percent = 100 * self.supported // self.claims if self.claims else 100
        editorial = f" ({self.editorial} editorial)" if self.editorial else ""
        return (f"evidence for {self.supported}/{self.claims} claims, {percent}%{editorial}; "
                f"{self.found}/{self.quotes} quotes found in their sources")


def check_evidence(brief_file: BriefFile) -> tuple[list[Problem], Coverage]:
    """Look up every quote of a brief in its reference's file.

    Returns the problems (a quote not found, a source that cannot be read: errors; a
    quote whose reference names no file: a warning) and the brief's coverage.
    """
    brief = brief_file.brief
    files = {ref.id: (ref.file, brief_file.file_of(ref.file).resolve())
             for ref in brief.references if ref.file}
    problems: list[Problem] = []
    unreadable: set[str] = set()
    coverage = Coverage()
    for claim in claims(brief):
        found = 0
        for index, evidence in enumerate(claim.evidence):
            if evidence.quote is None:
                continue
            coverage.quotes += 1
            quoted, problem = _check_quote(brief_file, claim, index, evidence, files,
                                           unreadable)
            found += quoted
            if problem is not None:
                problems.append(problem)
        coverage.found += found
        if claim.editorial:
            coverage.editorial += 1
        else:  # supported: by a passage of its sources, found there
            coverage.claims += 1
            coverage.supported += found > 0
    return problems + list(_figures_not_quoted(brief_file)), coverage


def _figures_not_quoted(brief_file: BriefFile) -> Iterator[Problem]:
    """A figure read from data whose quotes do not hold it: the data moved on, and the
    passage that was its evidence no longer says so (a warning: the data may be newer
    than the paper, and the brief must say which it shows)."""
    for i, figure in enumerate(brief_file.brief.key_figures):
        quotes = [e.quote for e in figure.evidence if e.quote]
        value = figure.value
        if (i not in brief_file.read_from or not quotes or isinstance(value, bool)
                or not isinstance(value, (int, float))):
            continue
        number = _as_quoted(value)
        if number is None:
            continue  # a share or an average: no passage writes it
        if not any(_holds(quote, number, value) for quote in quotes):
            path = ("key_figures", i, "value")
            yield Problem(brief_file.location(path), f"{number}, read from data, is not in "
                          "this figure's quotes: the data have moved on from the passage; "
                          "quote the new source, or say the figure is newer than it",
                          format_path(path), Severity.WARNING)


def _as_quoted(value: int | float) -> str | None:
    """A figure as read from data, as a passage would write it (19.654, though shown at
    a precision of 1); None for one no passage writes (more decimals than a paper gives:
    a share worked out from the data)."""
    if float(value).is_integer():
        return str(int(value))
    text = repr(float(value))
    return None if len(text.partition(".")[2]) > 3 else text


def _holds(quote: str, number: str, value: int | float) -> bool:
    """Whether ``quote`` holds the figure as a whole number ("292", not "2920"), or a
    small one as a word ("six countries")."""
    letters = skeleton(quote)[0]
    if re.search(rf"(?<![\d.]){re.escape(skeleton(number)[0])}(?!\d|\.\d)", letters):
        return True
    word = NUMBER_WORDS.get(int(value)) if float(value).is_integer() else None
    return word is not None and re.search(rf"\b{word}\b", quote.casefold()) is not None


def _check_quote(brief_file: BriefFile, claim: Claim, index: int, evidence: Evidence,
                 files: dict[str, tuple[str, Path]], unreadable: set[str]
                 ) -> tuple[bool, Problem | None]:
    """Whether the quote was found in its source, and what is wrong with it if anything."""
    path = (*evidence_path(claim, index), "quote")
    location = brief_file.location(path)

    def problem(message: str, severity: Severity = Severity.ERROR) -> Problem:
        return Problem(location, message, format_path(path), severity)

    assert evidence.quote is not None
    if evidence.ref not in files:
        return False, problem(f"cannot be checked: reference {evidence.ref!r} names no "
                              "file: (one of this brief's sources:)", Severity.WARNING)
    name, file = files[evidence.ref]
    shown = name if is_url(name) else display_path(file)  # a web source by its URL
    if evidence.ref in unreadable:
        return False, problem(f"cannot be checked: {shown} cannot be read")
    try:
        document = read_document(file)
    except DocumentError as exc:
        unreadable.add(evidence.ref)
        return False, (problem(f"cannot be checked: {shown} cannot be read: {exc}")
                       if is_url(name) else Problem(Location(file), f"cannot be read: {exc}"))
    letters = len(skeleton(evidence.quote)[0])
    if letters < MIN_LETTERS:
        return False, problem(f"a quote of {letters} letters and digits proves nothing; "
                              "quote the passage the claim rests on, in its words")
    found = document.find(evidence.quote)
    if found and evidence.page is not None and document.page_starts:
        # A passage across a page break is on both pages.
        spans = [range(document.page_at(a) or 0, (document.page_at(b) or 0) + 1)
                 for a, b in found]
        if not any(evidence.page in span for span in spans):
            where = ", ".join(str(span.start) for span in spans)
            return False, problem(f"found on page {where} of {shown}, not on page "
                                  f"{evidence.page}")
    if found and evidence.page is not None and not document.page_starts:
        return True, problem(f"found, but page {evidence.page}: {shown} is not a PDF, and "
                             "has no pages to check it against (give section: instead)",
                             Severity.WARNING)
    if found:
        return True, None
    score, passage = document.closest(evidence.quote)
    if score < SIMILAR_ENOUGH:
        return False, problem(f"not found in {shown}, nor anything like it "
                              f"(the closest passage is {score:.0f}% alike)")
    return False, problem(f"not found in {shown}; the closest passage ({score:.0f}% alike): "
                          f"\u201c{passage}\u201d")
