"""Where a word may be hyphenated, chosen here rather than left to the layout engine.

WeasyPrint hyphenates every word it may, with no limit on consecutive hyphenated lines
and nothing to keep a paragraph from ending on a word fragment. So briefgen inserts the
soft hyphens itself (from the same Hyphen dictionaries, through pyphen) and sets such
text with ``hyphens: manual``: the last word of a paragraph gets none, and a word the
layout inspector found at the third rung of a ladder is kept whole when the edition is
laid out again (``keeping_whole``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

import pyphen

SOFT_HYPHEN = "\u00ad"
WORD_JOINER = "\u2060"  # invisible; no line break on either side
# Languages set justified or ragged with hyphenation, and their dictionaries.
DICTIONARIES = {"ru": "ru_RU"}
MIN_WORD = 8  # letters: shorter words are never split
MIN_LEFT = 3  # letters kept before a break ...
MIN_RIGHT = 3  # ... and carried to the next line
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_KEEP_WHOLE: ContextVar[frozenset[str]] = ContextVar("keep_whole", default=frozenset())


def hyphenates(lang: str) -> bool:
    return lang in DICTIONARIES


def kept_whole() -> frozenset[str]:
    """The words kept whole where this is called (``keeping_whole``)."""
    return _KEEP_WHOLE.get()


@contextmanager
def keeping_whole(words: frozenset[str]) -> Iterator[None]:
    """Within the block, ``words`` (lowercase) get no soft hyphens."""
    token = _KEEP_WHOLE.set(words)
    try:
        yield
    finally:
        _KEEP_WHOLE.reset(token)


def soft_hyphens(text: str, lang: str) -> str:
    """``text`` with a soft hyphen at each place its language's dictionary allows (in a
    language set with hyphenation), and the words kept whole made unbreakable."""
    dictionary = _dictionary(lang)
    keep = _KEEP_WHOLE.get()
    if dictionary is None and not keep:
        return text

    def split(match: re.Match[str]) -> str:
        word = match.group()
        if word.lower() in keep:  # whole, even at a hyphen of its own ("из-под")
            return word.replace("-", "-" + WORD_JOINER)
        if dictionary is None or len(word) < MIN_WORD or word.isupper():
            return word  # short words and acronyms (АСЕАН) stay whole
        return "-".join(dictionary.inserted(part, hyphen=SOFT_HYPHEN)
                        for part in word.split("-"))

    return _WORD.sub(split, text)


def without_soft_hyphens(text: str) -> str:
    return text.replace(SOFT_HYPHEN, "")


def last_word_whole(text: str) -> str:
    """``text`` whose last word cannot be broken: its soft hyphens removed, and a word
    joiner after each of its hyphens ("государства-членами"), so that a paragraph never
    ends on a word fragment."""
    # The last run of letters (and the soft hyphens inside it).
    runs = list(re.finditer(rf"[^\W\d_{SOFT_HYPHEN}][\w{SOFT_HYPHEN}-]*", text))
    if not runs:
        return text
    last = runs[-1]
    word = without_soft_hyphens(last.group()).replace("-", "-" + WORD_JOINER)
    return text[:last.start()] + word + text[last.end():]


@cache
def _dictionary(lang: str) -> pyphen.Pyphen | None:
    name = DICTIONARIES.get(lang)
    if name is None:
        return None
    return pyphen.Pyphen(lang=name, left=MIN_LEFT, right=MIN_RIGHT)
