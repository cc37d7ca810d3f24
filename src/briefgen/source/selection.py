"""What a brief reads from data files: the files, and the selection that reads a key
figure's value from one (format 1.4). Read by ``source.data``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from .types import REF_ID_PATTERN, FigureValue, Localized, Node, PartialDate

DataId = Annotated[str, Field(pattern=REF_ID_PATTERN, description="The id of a data file.")]
CellValue = int | float | str
Aggregate = Literal["one", "sum", "first", "last"]


DATA_SUFFIXES = (".csv", ".txt", ".json", ".yaml", ".yml", ".xlsx")  # what read_table reads


class DataFile(Node):
    """A table a brief's figures are read from: CSV, JSON, YAML or XLSX (format 1.4)."""

    file: str
    sheet: str | None = Field(default=None, description="The worksheet of an XLSX file "
                              "(the first if not given).")


def _file_only(value: Any) -> Any:
    """`data: {returns: data/returns.csv}` is short for `{returns: {file: ...}}`."""
    return {"file": value} if isinstance(value, str) else value


DataFiles = dict[DataId, Annotated[DataFile, BeforeValidator(_file_only)]]


class Part(Node):
    """Rows of a data table and one of their columns: the whole of a share."""

    where: dict[str, CellValue] = Field(default_factory=dict, description="The rows whose "
                                        "columns have these values.")
    column: str | None = Field(default=None, description="The column to read (the "
                               "selection's own if not given).")
    aggregate: Aggregate = Field(default="one", description="'one': exactly one row must "
                                 "match; 'sum', 'first' or 'last' of the rows that do.")


class Selection(Node):
    """A value read from a data file, not typed (format 1.4):
    ``{data: returns, where: {year: 2020}, column: returned}``."""

    data: DataId
    column: str
    where: dict[str, CellValue] = Field(default_factory=dict)
    aggregate: Aggregate = "one"
    share_of: Part | None = Field(default=None, description="Give the value as a "
                                  "percentage of this selection of the same data.")


# A mapping is a selection, anything else a value: one error, not one per alternative.
# The tags are not part of a field's path (validate.located drops them).
UNION_TAGS = ("value", "selection")
FigureOrSelection = Annotated[
    Annotated[FigureValue, Tag("value")] | Annotated[Selection, Tag("selection")],
    Discriminator(lambda v: "selection" if isinstance(v, (dict, Selection)) else "value"),
    Field(description="A number, text, or a selection from a data file (format 1.4).")]


@dataclass(frozen=True)
class ChartData:
    """What a chart draws, read from its table: a category per row, a series per
    column (in the data's order)."""

    categories: list[str]
    series: list[tuple[str, list[int | float]]]


class Chart(Node):
    """A chart drawn from a data table (format 1.4): a category per row of ``x``, a
    series per column of ``y``."""

    type: Literal["bar", "column", "line", "stacked"] = Field(
        default="bar", description="'bar' (horizontal), 'column' (vertical), 'line', or "
        "'stacked' (columns, each series on the last).")
    data: DataId
    x: str = Field(description="The column whose values name the categories (or the "
                   "points of a line).")
    y: list[str] = Field(min_length=1, max_length=6, description="The columns whose "
                         "numbers are drawn: a series each.")
    where: dict[str, CellValue] = Field(default_factory=dict, description="Only the rows "
                                        "whose columns have these values.")
    title: Localized
    source: Localized | None = Field(default=None, description="Where the data come "
                                     "from, as the caption says it.")
    data_as_of: PartialDate | None = None
    labels: dict[str, Localized] = Field(default_factory=dict, description="What a "
                                         "category or series is called in each language, "
                                         "by its value or column in the data.")

    @model_validator(mode="before")
    @classmethod
    def _one_series(cls, value: Any) -> Any:
        """`y: returned` is short for `y: [returned]`."""
        if isinstance(value, dict) and isinstance(value.get("y"), str):
            return {**value, "y": [value["y"]]}
        return value


class TableColumn(Node):
    column: str
    label: Localized | None = Field(default=None, description="Its heading (the column's "
                                    "name in the data if not given).")
    precision: int | None = Field(default=None, ge=0, le=6, description="Decimal places "
                                  "a number is shown with.")


class DataTable(Node):
    """A table of rows of a data file, set in the house style (format 1.4)."""

    data: DataId
    columns: list[TableColumn] = Field(min_length=1, max_length=8)
    where: dict[str, CellValue] = Field(default_factory=dict)
    title: Localized
    source: Localized | None = None
    data_as_of: PartialDate | None = None
    labels: dict[str, Localized] = Field(default_factory=dict, description="What a cell's "
                                         "text is called in each language, by its value.")

    @model_validator(mode="before")
    @classmethod
    def _bare_columns(cls, value: Any) -> Any:
        """`columns: [region, returned]` is short for `[{column: region}, ...]`."""
        if isinstance(value, dict) and isinstance(value.get("columns"), list):
            return {**value, "columns": [{"column": c} if isinstance(c, str) else c
                                         for c in value["columns"]]}
        return value


@dataclass(frozen=True)
class TableData:
    """A data table's rows as read: each cell's value, in the columns' order."""

    rows: list[list[CellValue | None]]


class BriefFamily(Node):
    """One brief per row of one of the brief's data tables (format 1.7)."""

    data: str = Field(description="The id of the data: table whose rows are the members.")
    key: str = Field(description="The column whose value names each member: the row "
                     "'bn' of briefs/asean.yaml is the brief asean-bn.")


def uses_whole_table(brief: Any, data_id: str) -> bool:
    """Whether a chart, a table or a key figure of the brief reads ``data_id``."""
    return (any(chart.data == data_id for chart in brief.charts)
            or any(table.data == data_id for table in brief.tables)
            or any(getattr(figure.value, "data", None) == data_id
                   for figure in brief.key_figures))
