"""Editions: which languages an output is in, and which outputs a brief makes.

An edition is one language (``en``) or, for a brief in two or more languages, the
bilingual pair of its first two (``en-ru``). This module is the one place that decides
it; planning, checking and the front page all ask here. It imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    """The language or languages of one output, the source language first."""

    languages: tuple[str, ...]

    @classmethod
    def single(cls, lang: str) -> Edition:
        return cls((lang,))

    @classmethod
    def parse(cls, name: str) -> Edition:
        """The edition a name such as ``en`` or ``en-ru`` stands for (in a manifest)."""
        return cls(tuple(name.split("-")))

    @property
    def name(self) -> str:
        """How output files name it: ``en``, ``en-ru``."""
        return "-".join(self.languages)

    @property
    def bilingual(self) -> bool:
        return len(self.languages) > 1

    @property
    def lang(self) -> str:
        """The first language: what a page declares when it has to name one."""
        return self.languages[0]

    def __str__(self) -> str:
        return self.name


def editions_of(languages: Sequence[str]) -> list[Edition]:
    """The editions a brief in ``languages`` makes: each language, then the bilingual
    edition of the first two (the source language and its first translation)."""
    editions = [Edition.single(lang) for lang in languages]
    if len(languages) > 1:
        editions.append(Edition(tuple(languages[:2])))
    return editions
