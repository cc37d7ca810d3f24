"""Charts as SVG, drawn by matplotlib in the brand's colours and face: the same bytes
for the same data (no date, a fixed salt for the ids), text left as text so that the
page's fonts set it, numbers in the reader's language."""

from __future__ import annotations

import io
import logging
import re
import textwrap
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..source.selection import Chart, ChartData, DataTable, TableColumn, TableData
from ..text.formats import format_number
from .identity import Identity

FONT_SIZE = 8.0  # pt, labels and ticks: legible in print, as the timeline's labels
BAR_HEIGHT = 0.24  # inches a category takes in a bar chart
# matplotlib's notes (building its font cache, a brand's face it has no file for: the
# page's fonts set the text) are not the writer's to act on.
logging.getLogger("matplotlib").setLevel(logging.ERROR)
_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


@dataclass
class ChartView:
    """A chart as a page shows it: its caption, the drawing, and its data as a table.
    The drawing is made when a page shows it (the one-page edition does not)."""

    title: Markup
    drawing: Callable[[], Markup]
    source: Markup
    data_as_of: str
    columns: list[str]
    rows: list[list[str]]

    @property
    def svg(self) -> Markup:
        return self.drawing()


# Drawings kept in a process: a page is laid out a few times while it is fitted, and a
# bilingual edition holds the drawings of the single-language ones.
_DRAWN: OrderedDict[str, Markup] = OrderedDict()
KEPT_DRAWINGS = 32


def chart_view(chart: Chart, data: ChartData, identity: Identity, lang: str, width: float,
               inline: Callable[[Any], Markup], plain: Callable[[Any], str],
               partial_date: Callable[[str | None], str], prefix: str) -> ChartView:
    """A chart of a brief in ``lang``: ``inline`` and ``plain`` turn its localized
    texts into the page's HTML and words."""

    def name(value: str) -> str:
        return plain(chart.labels[value]) if value in chart.labels else value

    title = plain(chart.title)

    def drawing() -> Markup:
        key = repr((chart, data, name(chart.x), [name(c) for c in
                    data.categories], [name(c) for c, _ in data.series], identity.palette,
                    identity.sans, lang, width, title, prefix))
        if key not in _DRAWN:
            _DRAWN[key] = draw(chart, data, name, identity, lang, width, title, prefix)
            while len(_DRAWN) > KEPT_DRAWINGS:
                _DRAWN.popitem(last=False)
        return _DRAWN[key]

    return ChartView(
        inline(chart.title), drawing,
        inline(chart.source), partial_date(chart.data_as_of),
        [name(chart.x), *(name(column) for column, _ in data.series)],
        [[name(category), *(format_number(values[i], lang) for _, values in data.series)]
         for i, category in enumerate(data.categories)])


def draw(chart: Chart, data: ChartData, name: Callable[[str], str], identity: Identity,
         lang: str, width: float, title: str, prefix: str = "chart") -> Markup:
    """The chart as inline SVG, ``width`` points wide; ``name`` gives what a category or
    series is called in ``lang``, ``title`` what the drawing shows, for screen readers."""
    import matplotlib
    from matplotlib.figure import Figure  # drawn to SVG by savefig: no backend is chosen


    palette = identity.palette
    colours = [palette.primary, palette.accent, palette.muted, palette.rule, palette.ink,
               palette.heading]
    face = identity.sans.split(",")[0].strip().strip('"')
    # A category's name wraps to take at most about a third of the chart's width.
    categories = [textwrap.fill(_literal(name(c)), max(12, int(width / 14)))
                  for c in data.categories]
    inches = width / 72
    extra_lines = sum(c.count("\n") for c in categories)
    height = (BAR_HEIGHT * len(categories) + 0.13 * extra_lines + 0.45 if chart.type == "bar"
              else inches * 0.42)
    settings: Any = {
        "svg.hashsalt": "briefgen", "svg.fonttype": "none", "font.family": [face, "sans-serif"],
        "font.size": FONT_SIZE, "text.usetex": False, "axes.edgecolor": palette.muted,
        "axes.labelcolor": palette.ink, "xtick.color": palette.muted,
        "ytick.color": palette.muted, "text.color": palette.ink}
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=(inches, height))
        axes = figure.add_subplot()
        _plot(axes, chart, data, categories, colours, name, lang)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(length=0)
        figure.tight_layout(pad=0.3)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    svg = _as_attributes(_METADATA.sub("", _PROLOGUE.sub("", out.getvalue())), prefix)
    label = escape(title)
    return Markup(svg.replace("<svg ", f'<svg class="chart-drawing" role="img" '
                              f'aria-label="{label}" ', 1))


def _plot(axes: Any, chart: Chart, data: ChartData, categories: list[str],
          colours: list[str], name: Callable[[str], str], lang: str) -> None:
    def number(value: float) -> str:
        return format_number(round(value, 6), lang)

    positions = list(range(len(categories)))
    count = len(data.series)
    if chart.type == "line":
        for k, (column, values) in enumerate(data.series):
            axes.plot(positions, values, color=colours[k], marker="o", markersize=3,
                      linewidth=1.5, label=_literal(name(column)))
        axes.set_xticks(positions, categories)
    elif chart.type == "bar":
        thickness = 0.8 / count
        for k, (column, values) in enumerate(data.series):
            at = [p + (k - (count - 1) / 2) * thickness for p in positions]
            bars = axes.barh(at, values, height=thickness * 0.9, color=colours[k],
                             label=_literal(name(column)))
            axes.bar_label(bars, labels=[number(v) for v in values], padding=3)
        axes.set_yticks(positions, categories)
        axes.invert_yaxis()  # the first row on top, as the data read
        axes.margins(x=0.12)  # room for the longest bar's number
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
    else:  # column, stacked
        stacked = chart.type == "stacked"
        width = 0.8 if stacked else 0.8 / count
        base: list[float] = [0.0] * len(positions)
        for k, (column, values) in enumerate(data.series):
            at = [p + (0 if stacked else (k - (count - 1) / 2) * width) for p in positions]
            bars = axes.bar(at, values, width=width * 0.9, bottom=base if stacked else None,
                            color=colours[k], label=_literal(name(column)))
            if stacked:
                base = [b + v for b, v in zip(base, values, strict=True)]
            else:
                axes.bar_label(bars, labels=[number(v) for v in values], padding=2)
        axes.set_xticks(positions, categories)
    if count > 1:
        axes.legend(frameon=False, fontsize=FONT_SIZE)
    if chart.type != "bar":
        axes.yaxis.set_major_formatter(lambda value, _: number(value))


_STYLE = re.compile(r' style="([^"]*)"')
_ID = re.compile(r' id="([^"]+)"')
_TRANSLATE = re.compile(r' transform="translate\(([-\d.e]+) ([-\d.e]+)\)"')
_NO_ROTATION = re.compile(r' transform="rotate\(-?0 [-\d.e]+ [-\d.e]+\)"')


def _as_attributes(svg: str, prefix: str) -> str:
    """matplotlib's SVG as the page's SVG is written: presentation attributes, not style
    (which an HTML page would read as its own CSS), a label's place in x and y, and ids
    of the chart's own (a bilingual page holds two drawings)."""

    def attributes(match: re.Match[str]) -> str:
        written = ""
        for part in match[1].split(";"):
            name, _, value = (piece.strip() for piece in part.partition(":"))
            if name and value:
                if name == "font-size":
                    value = value.removesuffix("px")
                written += f' {name}="{value}"'
        return written

    svg = _STYLE.sub(attributes, svg)
    svg = _NO_ROTATION.sub("", svg)
    svg = re.sub(r"<text ([^>]*)>", lambda m: "<text " + (
        _TRANSLATE.sub(r' x="\1" y="\2"', " " + m[1])[1:] if " x=" not in " " + m[1]
        else m[1]) + ">", svg)
    for name in set(_ID.findall(svg)):
        svg = (svg.replace(f' id="{name}"', f' id="{prefix}-{name}"')
               .replace(f"#{name})", f"#{prefix}-{name})")
               .replace(f'"#{name}"', f'"#{prefix}-{name}"'))
    return svg


def _literal(text: str) -> str:
    """Text matplotlib would read as mathematics ($x$) set as written."""
    return text.replace("$", r"\$")


@dataclass
class TableView:
    """A table of a brief's data as a page shows it: figures as the language writes them."""

    title: Markup
    source: Markup
    data_as_of: str
    header: list[tuple[str, bool]]  # a column's heading, and whether it holds figures
    rows: list[list[str]]


def table_view(table: DataTable, data: TableData, lang: str,
               inline: Callable[[Any], Markup], plain: Callable[[Any], str],
               partial_date: Callable[[str | None], str]) -> TableView:
    """A table of a brief in ``lang``: its numbers formatted, its words named as
    ``labels`` say."""
    figures = [all(isinstance(row[j], (int, float)) or row[j] is None for row in data.rows)
               for j in range(len(table.columns))]
    # A column of whole numbers from 1000 to 2100 holds years: written without grouping.
    years = [figures[j] and all(_year(row[j]) for row in data.rows if row[j] is not None)
             for j in range(len(table.columns))]

    def cell(value: object, column: TableColumn) -> str:
        if isinstance(value, int) and years[table.columns.index(column)]:
            return str(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return format_number(value, lang, column.precision)
        text = "" if value is None else str(value)
        return plain(table.labels[text]) if text in table.labels else text

    return TableView(
        inline(table.title), inline(table.source), partial_date(table.data_as_of),
        [(plain(c.label) if c.label else c.column, figures[j])
         for j, c in enumerate(table.columns)],
        [[cell(value, table.columns[j]) for j, value in enumerate(row)] for row in data.rows])


def _year(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 2100
