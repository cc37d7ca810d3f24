"""What a brief reads from data files: the files, and the selection that reads a key
figure's value from one (format 1.4). Read by ``source.data``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag

from .types import REF_ID_PATTERN, FigureValue, Node

DataId = Annotated[str, Field(pattern=REF_ID_PATTERN, description="The id of a data file.")]
CellValue = int | float | str
Aggregate = Literal["one", "sum", "first", "last"]


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
