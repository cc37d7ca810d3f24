"""Typesetting rules per language, applied to the text of Markdown (never to code)."""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup

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

# A typesetter takes a piece of text and the open-quote depth of its paragraph (a
# one-item list, shared by the pieces of one paragraph) and returns the text set.
Typesetter = Callable[[str, list[int]], str]


def russian_typography(text: str, quote_depth: list[int] | None = None) -> str:
    """Russian typesetting rules on plain text.

    «Ёлочки» for straight double quotes („лапки“ inside them), a typographic apostrophe
    within a word (an English name's "China's"), no-break spaces after
    short prepositions and conjunctions, before a dash, inside numbers and between a
    number and its unit or "г.". ``quote_depth`` carries open quotes across the text
    pieces of one paragraph.
    """
    depth = quote_depth if quote_depth is not None else [0]
    out: list[str] = []
    for i, char in enumerate(text):
        if char == '"':
            opening = (i == 0 and not out) or (bool(out) and (out[-1].isspace()
                                                              or out[-1] in "([«„"))
            if opening:
                out.append("«" if depth[0] == 0 else "„")
                depth[0] += 1
            else:
                depth[0] = max(0, depth[0] - 1)
                out.append("»" if depth[0] == 0 else "“")
        else:
            out.append(char)
    text = _APOSTROPHE.sub("\u2019", "".join(out))  # "China's" in a Russian text
    text = _RU_SHORT.sub(lambda m: m.group(1) + NBSP, text)
    text = text.replace(" — ", NBSP + "— ").replace(" – ", NBSP + "– ")
    text = _DIGIT_GROUPS.sub(NBSP, text)
    text = _dates(_RU_DATES, text)
    return common_typography(_RU_UNITS.sub(lambda m: m.group(1) + NBSP + m.group(2), text))


# Units that stay on the line of their number ("19.7 bn yuan", "60 per cent").
_EN_UNITS = re.compile(r"(\d) (bn|billion|million|thousand|trillion|per cent|percent|%|km|"
                       r"kg|yuan|dollars|euros|USD|EUR|RMB|CNY)\b")
_EN_MONTHS = ("January|February|March|April|May|June|July|August|September|October|"
              "November|December")
_EN_DATES = (re.compile(rf"\b(\d{{1,2}}) ({_EN_MONTHS})\b"),
             re.compile(rf"\b({_EN_MONTHS}) (\d{{4}})\b"))
_RU_MONTHS = ("января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|"
              "декабря|январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|"
              "ноябре|декабре|январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|"
              "октябрь|ноябрь|декабрь")
_RU_DATES = (re.compile(rf"(?i)\b(\d{{1,2}}) ({_RU_MONTHS})\b"),
             re.compile(rf"(?i)\b({_RU_MONTHS}) (\d{{4}})\b"))
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_SUM = re.compile(r"(\d) ([+×=−–-]) (?=\d)")  # "10 + 1" is one thing
_NUMBER_SIGN = re.compile(r"\b(No\.|p\.|pp\.|§) (?=\d)")


def english_typography(text: str, quote_depth: list[int] | None = None) -> str:
    """English typesetting beyond what smarty does (curly quotes, dashes, ellipses):
    no-break spaces inside "10 + 1", between a number and its unit, after "No.", and
    in dates (a year never starts a line alone)."""
    text = _dates(_EN_DATES, text)
    return common_typography(_EN_UNITS.sub(lambda m: m.group(1) + NBSP + m.group(2), text))


def _dates(patterns: tuple[re.Pattern[str], ...], text: str) -> str:
    """Day and month, then month and year, joined by no-break spaces."""
    for pattern in patterns:
        text = pattern.sub(lambda m: m.group(1) + NBSP + m.group(2), text)
    return text


def common_typography(text: str) -> str:
    """Rules of every language: an expression and a numbered sign are not broken."""
    text = _SUM.sub(lambda m: m.group(1) + NBSP + m.group(2) + NBSP, text)
    return _NUMBER_SIGN.sub(lambda m: m.group(1) + NBSP, text)


TYPESETTERS: dict[str, Typesetter] = {"ru": russian_typography, "en": english_typography}
# Languages whose quotes, apostrophes and dashes smarty sets (English conventions);
# Russian's «ёлочки» are set by its own typesetter.
SMART_QUOTES = {"en"}


def no_widow(html: Markup, longest: int = 20) -> Markup:
    """A heading (or a line like "Cite as") whose last word never stands alone on its
    line: the last space outside a tag becomes a no-break space ("between China
    and ASEAN"), unless the words it
    would bind (with those already bound to them) run longer than ``longest``
    characters: about what a title holds on one line of a parallel column."""
    text = str(html)
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        char = text[i]
        if char == ">":
            depth += 1
        elif char == "<":
            depth -= 1
        elif char == " " and depth == 0:
            joined = text[:i] + "\u00a0" + text[i + 1:]
            visible = re.sub(r"<[^>]*>", "", joined)
            if len(re.split(r"[ \t\n]", visible)[-1]) > longest:
                return html
            return Markup(joined)
    return html


_BLOCK_END = re.compile(r"</(?:p|li)>")


def no_runts(html: Markup, longest: int = 18) -> Markup:
    """Every paragraph and list item of ``html`` with its last two words bound, so that
    its last line never holds one short word ("2020." alone), unless the two run
    longer than ``longest`` characters."""
    text, out, start = str(html), [], 0
    for end in _BLOCK_END.finditer(text):
        out.append(str(no_widow(Markup(text[start:end.start()]), longest)))
        start = end.start()
    out.append(text[start:])
    return Markup("".join(out))
