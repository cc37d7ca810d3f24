"""A brief's charts read from its data: the categories and series each one draws.

Read when the brief is loaded, as its figures are, so that a chart that cannot be read
is a located error naming its field and the data's row and column.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import BriefError, Problem, display_path
from .data import (
    DataError,
    Row,
    SelectionError,
    Table,
    check_columns,
    number_in,
    rows_where,
)
from .figures import data_problem, table_of
from .model import BriefFile
from .selection import CellValue, Chart, ChartData, DataTable, TableData

MAX_CATEGORIES = 40  # rows of a chart or table: more would not be legible on a page


def read_charts(brief_file: BriefFile) -> BriefFile:
    """The brief with the data of each of its charts. Raises BriefError, located."""
    brief = brief_file.brief
    if not brief.charts and not brief.tables:
        return brief_file
    problems: list[Problem] = []
    charts: dict[int, ChartData] = {}
    tables: dict[int, TableData] = {}
    for i, chart in enumerate(brief.charts):
        try:
            charts[i] = _chart_data(brief_file, chart)
        except (DataError, SelectionError) as exc:
            problems.append(data_problem(brief_file, ("charts", i), exc))
    for i, table in enumerate(brief.tables):
        try:
            tables[i] = _table_data(brief_file, table)
        except (DataError, SelectionError) as exc:
            problems.append(data_problem(brief_file, ("tables", i), exc))
    if problems:
        raise BriefError(problems)
    return replace(brief_file, chart_data=charts, table_data=tables)


def _table_data(brief_file: BriefFile, table: DataTable) -> TableData:
    data = table_of(brief_file, table.data)
    columns = [c.column for c in table.columns]
    rows = _rows(data, [*((c, ("columns", j, "column")) for j, c in enumerate(columns))],
                 table.where)
    return TableData([[row.cells[c].value for c in columns] for row in rows])


def _rows(table: Table, columns: list[tuple[str, tuple[str | int, ...]]],
          where: dict[str, CellValue]) -> list[Row]:
    """The rows ``where`` picks, once every column named is known to be in ``table``."""
    check_columns(table, [*columns, *((name, ("where", name)) for name in where)])
    rows = rows_where(table, where)
    if not rows:
        raise SelectionError(f"no row of {display_path(table.path)} matches where:",
                             ("where",))
    if len(rows) > MAX_CATEGORIES:
        raise SelectionError(f"{len(rows)} rows; at most {MAX_CATEGORIES} are shown "
                             "(narrow where:)", ("where",))
    return rows


def _chart_data(brief_file: BriefFile, chart: Chart) -> ChartData:
    table = table_of(brief_file, chart.data)
    rows = _rows(table, [(chart.x, ("x",)), *((y, ("y", j)) for j, y in enumerate(chart.y))],
                 chart.where)
    series = [(column, [number_in(row.cells[column], column, ("y", j)) for row in rows])
              for j, column in enumerate(chart.y)]
    return ChartData([str(row.cells[chart.x].value) for row in rows], series)
