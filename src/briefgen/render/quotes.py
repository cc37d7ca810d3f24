"""The quoted evidence a scholarly reader checks a brief against: each claim's passages
of its sources, in their own words, with where they are."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup

from ..source.claims import claims
from ..source.model import Brief, Recommendation
from ..source.types import LocalizedText

CLAIM_WORDS = 70  # characters of a claim named beside its quote


class _Cited(Protocol):
    id: str


@dataclass
class Passage:
    cite: _Cited  # the reference it quotes
    text: Markup  # in the source's words, set by its language's typography
    page: int | None = None
    section: str = ""  # of the source


@dataclass
class Quote:
    """A claim and the passages it rests on."""

    field: str  # the part of the brief the claim is in: summary, key_figures, ...
    claim: str  # the claim in a few words, in the reader's language
    passages: list[Passage]


def quotes(brief: Brief, shown: Iterable[Recommendation], cites: Mapping[str, _Cited],
           plain: Callable[[LocalizedText | None], str],
           typeset: Callable[[str], Markup]) -> list[Quote]:
    """The quotes of every claim an edition shows, in the order the brief gives them;
    ``typeset`` sets a passage's text in its language (its words as written)."""
    shown_ids = {id(r) for r in shown}
    found = []
    for claim in claims(brief):
        field = str(claim.path[0])
        item = getattr(brief, field)[claim.path[1]] if len(claim.path) > 1 else None
        if isinstance(item, Recommendation) and id(item) not in shown_ids:
            continue
        passages = [Passage(cites[e.ref], typeset(e.quote), e.page, e.section or "")
                    for e in claim.evidence if e.quote]
        if passages:
            found.append(Quote(field, _named(item, plain), passages))
    return found


def _named(item: object, plain: Callable[[LocalizedText | None], str]) -> str:
    """A claim in a few words: its title, action or label, else its text, cut at a word."""
    for name in ("title", "action", "label", "text"):
        value = getattr(item, name, None)
        if isinstance(value, LocalizedText):
            text = " ".join(plain(value).split())
            if len(text) <= CLAIM_WORDS:
                return text
            return text[:CLAIM_WORDS].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return ""
