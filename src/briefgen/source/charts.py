"""A brief's charts read from its data: the categories and series each one draws.

Read when the brief is loaded, as its figures are, so that a chart that cannot be read
is a located error naming its field and the data's row and column.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import BriefError, Problem
from .data import DataError, SelectionError, data_problem, same_value, table_of
from .model import BriefFile
from .selection import Chart, ChartData
from .validate import nearest

MAX_CATEGORIES = 40  # more would not be legible on a page


def read_charts(brief_file: BriefFile) -> BriefFile:
    """The brief with the data of each of its charts. Raises BriefError, located."""
    if not brief_file.brief.charts:
        return brief_file
    problems: list[Problem] = []
    read: dict[int, ChartData] = {}
    for i, chart in enumerate(brief_file.brief.charts):
        try:
            read[i] = _chart_data(brief_file, chart)
        except (DataError, SelectionError) as exc:
            problems.append(data_problem(brief_file, ("charts", i), exc))
    if problems:
        raise BriefError(problems)
    return replace(brief_file, chart_data=read)


def _chart_data(brief_file: BriefFile, chart: Chart) -> ChartData:
    table = table_of(brief_file, chart.data)
    shown = table.path.name
    for column, at in [(chart.x, ("x",)), *((y, ("y", j)) for j, y in enumerate(chart.y)),
                       *((name, ("where", name)) for name in chart.where)]:
        if column not in table.columns:
            hint = nearest(column, table.columns) or f" (its columns: {', '.join(table.columns)})"
            raise SelectionError(f"no column {column!r} in {shown}{hint}", at)
    rows = [row for row in table.rows if all(same_value(row.cells[name].value, wanted)
                                            for name, wanted in chart.where.items())]
    if not rows:
        raise SelectionError(f"no row of {shown} matches where:", ("where",))
    if len(rows) > MAX_CATEGORIES:
        raise SelectionError(f"{len(rows)} rows; a chart shows at most {MAX_CATEGORIES} "
                             "(narrow where:)", ("where",))
    series = []
    for j, column in enumerate(chart.y):
        values: list[int | float] = []
        for row in rows:
            cell = row.cells[column]
            if isinstance(cell.value, bool) or not isinstance(cell.value, (int, float)):
                raise SelectionError(f"{cell.location}: {cell.value!r} in column {column!r} "
                                     "is not a number", ("y", j))
            values.append(cell.value)
        series.append((column, values))
    return ChartData([str(row.cells[chart.x].value) for row in rows], series)
