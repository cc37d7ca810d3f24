"""After fitting: the layout inspector's findings that another layout can mend.

A multi-page edition whose last page is a runt, or that strands a page half empty, is
laid out again a step or two smaller within its type scale (pulling the runt back, or
letting the page fill); a paragraph with three hyphenated lines in a row is laid out
again with the word at the third rung kept whole. A mended layout is taken only if it
still fits the budget and mends what it was made for; otherwise the first one stands,
and its findings are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..layout.inspect import Inspection, inspect
from ..layout.measure import Layout
from ..render.audiences import LayoutRules

MAX_PAGE_PASSES = 3  # layouts tried to pull a runt back or fill a stranded page
MAX_LADDER_PASSES = 3
PAGE_KINDS = {"runt page", "stranded page"}

Measure = Callable[[int, frozenset[str]], Layout]


@dataclass
class Refined:
    index: int  # the step of the scale the edition is set at
    layout: Layout
    inspection: Inspection
    keep_whole: frozenset[str] = frozenset()
    passes: int = 0  # layouts beyond the fit search's
    notes: list[str] = field(default_factory=list)


def refine(index: int, layout: Layout, sizes: list[float], measure: Measure,
           rules: LayoutRules, budget: int | None, parallel: bool) -> Refined:
    """Mend what can be mended of the layout at step ``index`` of the scale ``sizes``."""
    result = Refined(index, layout, inspect(layout, rules, parallel))

    def fits(candidate: Layout) -> bool:
        return budget is None or candidate.pages <= budget

    if layout.pages > 1 and _kinds(result.inspection) & PAGE_KINDS:
        for candidate in _pull_back(index, layout, sizes):
            trial = measure(candidate, result.keep_whole)
            result.passes += 1
            checked = inspect(trial, rules, parallel)
            if fits(trial) and not _kinds(checked) & PAGE_KINDS:
                result.index, result.layout, result.inspection = candidate, trial, checked
                break
    for _ in range(MAX_LADDER_PASSES):
        words = result.inspection.mend_words - result.keep_whole
        if not words:
            break
        keep = result.keep_whole | words
        trial = measure(result.index, keep)
        result.passes += 1
        checked = inspect(trial, rules, parallel)
        if not fits(trial) or (_kinds(checked) & PAGE_KINDS) - _kinds(result.inspection):
            break  # mending the ladder would break the page: keep the ladder
        result.layout, result.inspection, result.keep_whole = trial, checked, keep
    return result


def _pull_back(index: int, layout: Layout, sizes: list[float]) -> list[int]:
    """The steps worth trying to set the edition on one page fewer: from the one the
    content's room predicts (text set to a measure in em takes room in proportion to
    its size), down, at most MAX_PAGE_PASSES of them."""
    target = sizes[index] * (layout.pages - 1) / layout.used if layout.used else 0
    first = next((i for i in range(index + 1, len(sizes)) if sizes[i] <= target + 1e-9),
                 len(sizes))
    start = max(index + 1, first - 1)  # the step above the prediction may do
    return list(range(start, len(sizes)))[:MAX_PAGE_PASSES]


def _kinds(inspection: Inspection) -> set[str]:
    return {finding.kind for finding in inspection.findings}
