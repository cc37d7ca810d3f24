"""Typesetting rules per language, applied to the text of Markdown (never to code)."""

from __future__ import annotations

import re
from collections.abc import Callable

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

    «Ёлочки» for straight double quotes („лапки“ inside them), no-break spaces after
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
    text = "".join(out)
    text = _RU_SHORT.sub(lambda m: m.group(1) + NBSP, text)
    text = text.replace(" — ", NBSP + "— ").replace(" – ", NBSP + "– ")
    text = _DIGIT_GROUPS.sub(NBSP, text)
    return _RU_UNITS.sub(lambda m: m.group(1) + NBSP + m.group(2), text)


TYPESETTERS: dict[str, Typesetter] = {"ru": russian_typography}
