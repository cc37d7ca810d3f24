"""The claims a brief makes: its prose fields and its items, each with where it is
written and the evidence it rests on (checked by source.evidence, typeset by
render.quotes)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .load import Path_
from .model import ITEM_LISTS, Brief, Evidence


@dataclass(frozen=True)
class Claim:
    """One thing a brief states, where it is written, and what supports it."""

    path: Path_  # of the item, or of the prose field
    evidence: list[Evidence]
    editorial: bool


def claims(brief: Brief) -> Iterator[Claim]:
    """Every claim of a brief, in the order written: its prose fields and its items."""
    yield Claim(("summary",), brief.evidence.summary, False)
    yield Claim(("necessity",), brief.evidence.necessity, False)
    for name in ("key_figures", *ITEM_LISTS):
        for i, item in enumerate(getattr(brief, name)):
            yield Claim((name, i), item.evidence, item.editorial)


def evidence_path(claim: Claim, index: int) -> Path_:
    """The path of a claim's ``index``-th evidence, as written."""
    if claim.path in (("summary",), ("necessity",)):
        return ("evidence", *claim.path, index)
    return (*claim.path, "evidence", index)
