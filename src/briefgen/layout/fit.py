"""The fit search: the largest step of a type scale at which an edition fits its budget.

A pure function of the scale's sizes and a measuring callback, so that it is tested in
milliseconds with a model of a layout; WeasyPrint is only on the measuring side.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

# How the type size that fills a budget follows the room content takes at another
# size: size ~ used ** -GROWTH. Text set to a measure in mm grows with the square of
# the size (more lines, each taller): 0.5; text set to a measure in em keeps its lines
# and grows with the size alone: 1. The house style measures its columns in rem, with
# some furniture in mm; the first probe assumes GROWTH, each later one the exponent
# the last two layouts showed (clamped to GROWTH_RANGE).
GROWTH = 0.75
GROWTH_RANGE = (0.3, 1.5)


class Measurement(Protocol):
    """What the search needs to know of one layout."""

    @property
    def pages(self) -> int: ...

    @property
    def used(self) -> float:
        """Pages of content, fractional."""
        ...


M = TypeVar("M", bound=Measurement)


@dataclass
class Search(Generic[M]):
    """The outcome: the step chosen (the floor when nothing fits) and its layout."""

    index: int
    measurement: M
    passes: int
    fits: bool


def fit_search(sizes: Sequence[float], measure: Callable[[int], M],
               max_pages: int | None, start: int = 0) -> Search[M]:
    """Find the largest step of ``sizes`` (largest first) that fits ``max_pages``.

    ``measure(i)`` lays the edition out at step ``i``, first at ``start``: the step
    the last build chose, which an edit seldom moves. One that fits at its base size
    costs one measurement, one that still fits where it did and overflows a step
    above, two. Otherwise each probe is chosen from the last measurement, on the
    model of GROWTH, then narrowed between the largest step known to overflow and the
    smallest known to fit; a brief a third too long fits in three passes.
    """
    if not sizes:
        raise ValueError("a type scale needs at least one step")
    results: dict[int, M] = {}

    def fits(index: int) -> bool:
        results[index] = measure(index)
        return max_pages is None or results[index].pages <= max_pages

    last = start if 0 <= start < len(sizes) else 0
    overflows, fitting, previous = -1, None, None
    if fits(last):
        fitting = last
    else:
        overflows = last
    if fitting is not None and fitting > 0:
        # Seeded: is the step above it too large still? Then the seed is the answer.
        previous, last = last, fitting - 1
        if fits(last):
            fitting = last
        else:
            overflows = last
    while fitting is None or fitting != overflows + 1:
        bound = fitting if fitting is not None else len(sizes)
        if overflows + 1 >= bound:
            break  # even the floor overflows
        assert max_pages is not None  # without a budget the base size always fits
        used = results[last].used
        growth = _growth(sizes, results, last, previous)
        target = sizes[last] * (max_pages / used) ** growth if used > 0 else 0.0
        previous = last
        last = min(range(overflows + 1, bound), key=lambda i: abs(sizes[i] - target))
        if fits(last):
            fitting = last
        else:
            overflows = last
    best = fitting if fitting is not None else len(sizes) - 1
    return Search(best, results[best], len(results), fitting is not None)


def _growth(sizes: Sequence[float], results: dict[int, M], last: int,
            previous: int | None) -> float:
    """The exponent the last two layouts showed, or GROWTH before there are two."""
    if previous is None or previous == last:
        return GROWTH
    size_ratio = sizes[last] / sizes[previous]
    used_ratio = results[last].used / results[previous].used if results[previous].used else 0
    if size_ratio <= 0 or used_ratio <= 0 or used_ratio == 1 or size_ratio == 1:
        return GROWTH
    low, high = GROWTH_RANGE
    return min(high, max(low, math.log(size_ratio) / math.log(used_ratio)))
