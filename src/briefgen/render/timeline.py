"""The achievements drawn on a time axis: where each point and label goes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass
class TimelinePoint:
    x: float
    label: str
    label_y: float | None  # None: too close to its neighbours to label; the list says it


@dataclass
class Timeline:
    """Geometry of the achievements chart, in a 600 x 64 SVG viewBox."""

    points: list[TimelinePoint]
    start: int
    end: int

    WIDTH: ClassVar[int] = 600
    AXIS_Y: ClassVar[int] = 32
    MARGIN: ClassVar[int] = 16
    LABEL_GAP: ClassVar[int] = 34  # a year label is about 26 units wide at the chart's size


def year_fraction(iso: str) -> float:
    """'2017-11-13' -> 2017.86..., for placing a partial date on a time axis."""
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 1) / 365


def timeline(dates: list[str]) -> Timeline | None:
    """Place dated achievements on a time axis; None when fewer than two are dated."""
    dated = sorted((year_fraction(d), d) for d in dates if d)
    if len(dated) < 2:
        return None
    start, end = int(dated[0][0]), int(dated[-1][0]) + 1
    span = Timeline.WIDTH - 2 * Timeline.MARGIN
    points: list[TimelinePoint] = []
    last_label_x = {"below": -1e9, "above": -1e9}
    for value, iso in dated:
        x = round(Timeline.MARGIN + (value - start) / (end - start) * span, 1)
        side = next((s for s in ("below", "above")
                     if x - last_label_x[s] >= Timeline.LABEL_GAP), None)
        label_y: float | None = None
        if side:
            last_label_x[side] = x
            label_y = Timeline.AXIS_Y + 22 if side == "below" else Timeline.AXIS_Y - 13
        points.append(TimelinePoint(x, iso[:4], label_y))
    return Timeline(points, start, end - 1)
