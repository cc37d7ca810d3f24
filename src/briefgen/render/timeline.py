"""The achievements drawn on a time axis: where each point and label goes.

Events are set at even intervals in date order, not in proportion to time: a brief's
events crowd into its last few years (five of eight in the last fifth of the span), and
a proportional axis piles their labels on each other. A gap of several years between
neighbours is marked on the axis instead, so the spacing never pretends to be a scale.
Label boxes are computed here, from the font's measures, so that overlap is tested, not
hoped against.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_EVENTS = 3  # fewer dated events make an almost empty line: the list alone says it
FONT_SIZE = 8.0  # label size in viewBox units, set so that one unit is about one point
DIGIT_WIDTH = 0.53  # the advance of a bold lining figure, in em (PT Sans Bold: 0.525)
LABEL_GAP = 4.0  # at least this much space between two labels on one row
GAP_YEARS = 3  # a jump of this many years or more between neighbours is marked
MARGIN = 14.0
AXIS_Y = 24.0
ROWS = (AXIS_Y + 17.0, AXIS_Y - 9.0)  # label baselines: below the axis, then above


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return not (self.right <= other.left or other.right <= self.left
                    or self.bottom <= other.top or other.bottom <= self.top)


@dataclass
class TimelinePoint:
    x: float
    label: str
    label_y: float | None  # None: no room for its label here; the list gives it

    @property
    def box(self) -> Box | None:
        """Where its label is drawn (text-anchor middle, baseline at label_y)."""
        if self.label_y is None:
            return None
        half = len(self.label) * DIGIT_WIDTH * FONT_SIZE / 2
        return Box(self.x - half, self.label_y - 0.75 * FONT_SIZE, self.x + half,
                   self.label_y + 0.2 * FONT_SIZE)


@dataclass
class Timeline:
    """Geometry of the achievements chart, in a WIDTH x HEIGHT SVG viewBox."""

    points: list[TimelinePoint]
    gaps: list[float]  # x of each mark for a jump of years between two events
    start: int
    end: int
    width: float
    font_size: float = FONT_SIZE
    axis_y: float = AXIS_Y
    margin: float = MARGIN

    height: float = ROWS[0] + 5

    def label_boxes(self) -> list[Box]:
        return [box for point in self.points if (box := point.box) is not None]


def timeline(dates: list[str], width: float) -> Timeline | None:
    """Place dated events along an axis ``width`` units wide; None under MIN_EVENTS."""
    dated = sorted(d for d in dates if d)
    if len(dated) < MIN_EVENTS:
        return None
    span = width - 2 * MARGIN
    step = span / (len(dated) - 1)
    points: list[TimelinePoint] = []
    last_right = {row: -1e9 for row in ROWS}
    previous_year = None
    for i, iso in enumerate(dated):
        x = round(MARGIN + i * step, 1)
        year = iso[:4]
        label = year if year != previous_year else ""  # a year is named once
        previous_year = year
        point = TimelinePoint(x, label, None)
        if label:
            for row in ROWS:
                point.label_y = row
                box = point.box
                assert box is not None
                if box.left >= last_right[row] + LABEL_GAP and box.left >= 0 and (
                        box.right <= width):
                    last_right[row] = box.right
                    break
            else:
                point.label_y = None
        points.append(point)
    gaps = [round((a.x + b.x) / 2, 1) for a, b, da, db in zip(points, points[1:], dated,
                                                                dated[1:], strict=False)
            if int(db[:4]) - int(da[:4]) >= GAP_YEARS]
    return Timeline(points, gaps, int(dated[0][:4]), int(dated[-1][:4]), width)
