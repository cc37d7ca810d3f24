"""The layout inspector: what a designer would check on every page, measured.

It reads WeasyPrint's laid-out boxes, not the HTML: characters per line of the body
text in each column, runs of hyphenated line ends and paragraphs that end on a word
fragment, how full each page is (a page before the last left under three quarters
full is stranded, a last page under a quarter full is a runt), headings left at the
foot of a page, widows and orphans, a citation marker alone on its line, chart labels
that overlap or are set too small, and anything that runs beyond the page. Thresholds
come from the audience (``layout:`` in audience.yaml).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from weasyprint.formatting_structure import boxes

from ..render.audiences import LayoutRules
from .measure import Layout, page_box

# Text that is not running text: figures, furniture, lists of references.
# Furniture and one-line lists (the problem's headlines, who acts where), not running text.
_NOT_BODY = {"figures", "references", "masthead", "list-source", "source-line", "cite-as",
             "kicker", "undated-heading", "headlines", "rec-meta",
             "action", "editorial-note", "colophon"}
_BODY_TAGS = {"p", "li"}
_MARKER_ALONE = re.compile(r"\[?\d+(?:[,–-]\s*\d+)*\]?\.?")
_HYPHENS = ("-", "\u2010", "\u00ad")
SVG = "{http://www.w3.org/2000/svg}"
CHAR_WIDTH_EM = 0.53  # a label's figures, for telling whether two labels overlap
PX_TO_PT = 0.75


@dataclass(frozen=True)
class Finding:
    """One thing a designer would send back: what, where (page, and the brief's field)."""

    kind: str
    message: str
    page: int
    field: str = ""


@dataclass
class _Line:
    text: str
    page: int
    block: int  # id of the element the line belongs to
    column: str  # which column of the page: "" or the language of a parallel cell
    body: bool
    field: str
    overflows: bool = False  # its text runs beyond the page


@dataclass
class Inspection:
    """The measures of one layout, and what breaks the audience's rules."""

    line_lengths: dict[str, list[int]] = field(default_factory=dict)  # per column
    hyphen_run: int = 0  # the most consecutive hyphenated line ends
    fills: list[float] = field(default_factory=list)  # per page, 0..1
    label_sizes: list[float] = field(default_factory=list)  # chart labels, pt
    findings: list[Finding] = field(default_factory=list)
    # Words another layout should keep whole: broken at the third rung of a ladder, or
    # on a line that runs beyond its column (WeasyPrint 70 may leave a line unbroken
    # after a hyphenated one).
    mend_words: set[str] = field(default_factory=set)

    def median_line(self, column: str) -> float:
        lengths = self.line_lengths.get(column) or [0]
        return float(statistics.median(lengths))

    def summary(self) -> str:
        """One line of measures, as `check` prints them."""
        lines = ", ".join(f"{column + ' ' if column else ''}{self.median_line(column):.0f}"
                          for column in sorted(self.line_lengths)) or "-"
        fills = " ".join(f"{fill:.0%}" for fill in self.fills)
        labels = f"; chart labels {min(self.label_sizes):.1f} pt" if self.label_sizes else ""
        return (f"{lines} characters a line; hyphenated lines in a row at most "
                f"{self.hyphen_run}; pages filled {fills}{labels}")


def inspect(layout: Layout, rules: LayoutRules, parallel: bool = False) -> Inspection:
    """Measure ``layout`` against ``rules``; ``parallel`` for editions set in two columns
    of languages (narrower by design: their own line-length range applies)."""
    result = Inspection()
    pages = [page_box(page) for page in layout.document.pages]
    lines: list[_Line] = []
    for number, box in enumerate(pages, start=1):
        result.fills.append(_fill(box))
        lines += _lines(box, number)
        result.findings += _page_findings(box, number, number == len(pages), rules, result)
    _line_findings(lines, rules, parallel, result)
    _fill_findings(result.fills, rules, result)
    return result


# --- lines ------------------------------------------------------------------------------------

def _lines(page: Any, number: int) -> list[_Line]:
    found: list[_Line] = []

    def walk(box: Any, body: bool, column: str, field: str, block: int) -> None:
        if str(getattr(box, "element_tag", "")).endswith(("::marker", "::before")):
            body = False  # a list's bullet or number is a line of its own, not text
        element = getattr(box, "element", None)
        if element is not None and not isinstance(box, boxes.TextBox):
            classes = set((element.get("class") or "").split())
            if classes & _NOT_BODY or element.tag in ("time", "h1", "h2", "h3"):
                body = False
            if "cell" in classes:
                column = element.get("lang") or column
            field = element.get("data-field") or field
            if isinstance(box, boxes.BlockContainerBox):
                block = id(element)
        if isinstance(box, boxes.LineBox):
            text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
            owner = getattr(box, "element", None)
            in_body = body and owner is not None and owner.tag in _BODY_TAGS
            found.append(_Line(text, number, block, column, in_body, field))
            return
        for child in getattr(box, "children", []):
            walk(child, body, column, field, block)

    root = page.children[0]  # the document; the others are the margin boxes (footers)
    walk(root, True, "", "", 0)
    right = page.content_box_x() + page.width
    bottom = page.content_box_y() + page.height
    for line, box in zip(found, _line_boxes(root), strict=True):
        line.overflows = any(t.position_x + t.width > right + 1 or t.position_y + t.height
                             > bottom + 1 for t in box.descendants()
                             if isinstance(t, boxes.TextBox) and t.text.strip())
    return found


def _line_boxes(root: Any) -> list[Any]:
    """The line boxes under ``root``, in the order the walk above finds them."""
    found: list[Any] = []

    def walk(box: Any) -> None:
        if isinstance(box, boxes.LineBox):
            found.append(box)
            return
        for child in getattr(box, "children", []):
            walk(child)

    walk(root)
    return found


def _line_findings(lines: list[_Line], rules: LayoutRules, parallel: bool,
                   result: Inspection) -> None:
    by_block: dict[int, list[_Line]] = {}
    for line in lines:
        by_block.setdefault(line.block, []).append(line)
    for block_lines in by_block.values():
        _block_findings(block_lines, result)
        for line in block_lines[:-1]:  # a paragraph's last line is as short as it is
            text = line.text.replace("\u00ad", "").strip()  # soft hyphens are not seen
            if line.body and text:
                result.line_lengths.setdefault(line.column, []).append(len(text))
    low, high = rules.parallel_line_length if parallel else rules.line_length
    for column, lengths in result.line_lengths.items():
        median = statistics.median(lengths)
        if not low <= median <= high:
            where = f" in the {column} column" if column else ""
            result.findings.append(Finding(
                "line length", f"body text{where} runs {median:.0f} characters a line; the "
                f"readable range is {low}-{high}", 1))
    if result.hyphen_run > rules.max_hyphen_run:
        result.findings.append(Finding(
            "hyphenation", f"{result.hyphen_run} hyphenated lines in a row; at most "
            f"{rules.max_hyphen_run}", 1))


def _block_findings(block: list[_Line], result: Inspection) -> None:
    run = 0
    for i, line in enumerate(block):
        text = line.text.rstrip()
        if line.overflows:
            result.findings.append(Finding("overflow", "a line runs beyond its column "
                                           f"({text[:40]!r})", line.page, line.field))
            result.mend_words.update(_words(text))
            if i and _hyphenated(block[i - 1].text.rstrip()):
                result.mend_words.add(_broken_word(block[i - 1].text, text))
        if _hyphenated(text) and i + 1 < len(block) and block[i + 1].page != line.page:
            result.findings.append(Finding("hyphenation", "a word is hyphenated across a "
                                           "page break", line.page, line.field))
            result.mend_words.add(_broken_word(text, block[i + 1].text))
        if _hyphenated(text):
            run += 1
            result.hyphen_run = max(result.hyphen_run, run)
            if run > 2 and i + 1 < len(block):  # the word broken at the third rung
                result.mend_words.add(_broken_word(text, block[i + 1].text))
        else:
            run = 0
        if _MARKER_ALONE.fullmatch(text.strip()) and len(block) > 1:
            result.findings.append(Finding("citation", f"{text.strip()!r} stands alone on "
                                           "its line", line.page, line.field))
    if len(block) >= 2 and _hyphenated(block[-2].text.rstrip()) and (
            len(block[-1].text.split()) == 1):
        result.findings.append(Finding("hyphenation", "a paragraph ends on a word fragment "
                                       f"({block[-1].text.strip()!r})", block[-1].page,
                                       block[-1].field))
    pages = [line.page for line in block]
    if len(set(pages)) > 1:
        first, last = pages.count(pages[0]), pages.count(pages[-1])
        if first == 1:
            result.findings.append(Finding("orphan", "a paragraph leaves one line at the "
                                           "foot of a page", pages[0], block[0].field))
        if last == 1:
            result.findings.append(Finding("widow", "a paragraph carries one line over to "
                                           "the next page", pages[-1], block[-1].field))


def _hyphenated(text: str) -> bool:
    """Whether a line ends inside a word: a hyphen right after a letter."""
    text = text.replace("\u00ad", "")
    return len(text) > 1 and text.endswith(_HYPHENS) and text[-2].isalpha()


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*",
                                           text.replace("\u00ad", ""))}


def _broken_word(line: str, next_line: str) -> str:
    """The word a line ends inside: "Анти-" and "коррупция" make "антикоррупция"; a break
    at a hyphen of the word's own ("из-" and "под") keeps it ("из-под")."""
    line = line.rstrip()
    soft = line.endswith(("\u00ad-", "\u00ad\u2010")) or line.endswith("\u00ad")
    head = line.rstrip("".join(_HYPHENS)).split()[-1] if line.split() else ""
    tail = next_line.split()[0] if next_line.split() else ""
    word = head + ("" if soft else "-") + tail
    return re.sub(r"[^\w-]", "", word.replace("\u00ad", "")).lower()


# --- pages --------------------------------------------------------------------------------------

def _fill(page: Any) -> float:
    """The share of a page's content area that its lines and images reach down to (not
    its containers, which run to the foot of a page they continue beyond)."""
    top = page.content_box_y()
    bottom = max((box.position_y + box.margin_height()
                  for box in page.children[0].descendants()
                  if isinstance(box, (boxes.LineBox, boxes.ReplacedBox))), default=top)
    return float(max(0.0, bottom - top) / page.height)


def _fill_findings(fills: list[float], rules: LayoutRules, result: Inspection) -> None:
    if len(fills) < 2:
        return
    for number, fill in enumerate(fills[:-1], start=1):
        if fill < rules.stranded_fill:
            result.findings.append(Finding("stranded page", f"page {number} is {fill:.0%} "
                                           f"full before the page that follows it; at "
                                           f"least {rules.stranded_fill:.0%}", number))
    if fills[-1] < rules.runt_fill:
        result.findings.append(Finding("runt page", f"the last page is {fills[-1]:.0%} full; "
                                       f"at least {rules.runt_fill:.0%}", len(fills)))


def _page_findings(page: Any, number: int, last: bool, rules: LayoutRules,
                   result: Inspection) -> Iterator[Finding]:
    lowest: tuple[float, Any] | None = None
    for box in page.children[0].descendants():
        element = getattr(box, "element", None)
        tag = getattr(box, "element_tag", "")
        if isinstance(box, (boxes.BlockReplacedBox, boxes.InlineReplacedBox)) and (
                element is not None and element.tag == f"{SVG}svg"):
            yield from _chart_findings(box, number, rules, result)
        if not hasattr(box, "margin_height") or isinstance(box, boxes.TextBox):
            continue
        if tag in ("h2", "h3", "p", "li") and box.height:
            end = box.position_y + box.margin_height()
            if lowest is None or end > lowest[0] + 0.5:
                lowest = (end, box)
    if lowest is not None and lowest[1].element_tag in ("h2", "h3") and not last:
        heading = lowest[1]
        yield Finding("heading", "a heading is left at the foot of the page", number,
                      heading.element.get("data-field") or "")


def _chart_findings(box: Any, number: int, rules: LayoutRules,
                    result: Inspection) -> Iterator[Finding]:
    view = (box.element.get("viewBox") or "").split()
    if len(view) != 4 or not float(view[2]):
        return
    scale = box.width / float(view[2])
    labels = []
    for text in box.element.iter(f"{SVG}text"):
        size = float(text.get("font-size") or 0)
        x, y = float(text.get("x") or 0), float(text.get("y") or 0)
        half = len("".join(text.itertext())) * CHAR_WIDTH_EM * size / 2
        labels.append((x - half, y - 0.75 * size, x + half, y + 0.2 * size))
        result.label_sizes.append(size * scale * PX_TO_PT)
    if result.label_sizes and min(result.label_sizes) < rules.min_label_size:
        yield Finding("chart", f"chart labels set at {min(result.label_sizes):.1f} pt; at "
                      f"least {rules.min_label_size:g}", number)
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]):
                yield Finding("chart", "two chart labels overlap", number)
                return
