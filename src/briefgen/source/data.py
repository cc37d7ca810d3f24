"""Data files a brief's figures are read from, and the selections that read them.

A table is rows of named cells, each remembering where it was written, so that a
selection that goes wrong names both the brief's field and the data's row and column.
CSV is read with the standard `csv` module, JSON and YAML with briefgen's own YAML
reader (a list of mappings), XLSX with openpyxl.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BriefError, Location, display_path
from ..files import size_text
from .load import load_yaml_tree
from .selection import DATA_SUFFIXES, CellValue, Part, Selection
from .validate import nearest

MAX_DATA_BYTES = 20 * 1024 * 1024  # a data file larger than this is refused
MAX_ROWS = 100_000
MAX_XLSX_UNPACKED = 100 * 2**20
_INTEGER = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?\d*\.\d+")


class DataError(Exception):
    """A data file that cannot be read as a table, located in that file."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(message)
        self.location = location


@dataclass(frozen=True)
class Cell:
    value: CellValue | None
    location: Location
    text: str | None = None  # as written, where a number was read from text (CSV "007")


@dataclass
class Row:
    number: int  # the record's place in the table, from 1 (the header is not a row)
    cells: dict[str, Cell]


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


# Kept in a process, by path, sheet and content: the last few (a long `watch` sees many
# versions of a file).
_TABLES: OrderedDict[tuple[Path, str | None, str], Table] = OrderedDict()
KEPT = 8


def read_table(path: Path, sheet: str | None = None, raw: bytes | None = None) -> Table:
    """A data file as a table; ``raw``, when given, is its content (bytes fetched and
    not yet written there). Raises DataError when it cannot be read as one."""
    try:
        if (len(raw) if raw is not None else path.stat().st_size) > MAX_DATA_BYTES:
            raise DataError(Location(path), f"larger than {MAX_DATA_BYTES // 2**20} MB")
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        raise DataError(Location(path), f"cannot be read: {exc.strerror or exc}") from None
    key = (path.resolve(), sheet, hashlib.sha256(raw).hexdigest())
    if key not in _TABLES:
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            table = _xlsx(path, raw, sheet)
        elif suffix in (".json", ".yaml", ".yml"):
            table = _records(path, raw)
        elif suffix in DATA_SUFFIXES:
            table = _csv(path, raw)
        else:
            raise DataError(Location(path), "not a data file briefgen reads: CSV, JSON, "
                            "YAML or XLSX")
        if len(table.rows) > MAX_ROWS:
            raise DataError(Location(path), f"{len(table.rows):,} rows; the limit is "
                            f"{MAX_ROWS:,}")
        _TABLES[key] = table
        while len(_TABLES) > KEPT:
            _TABLES.popitem(last=False)
    _TABLES.move_to_end(key)
    return _TABLES[key]


def _typed(text: str) -> CellValue | None:
    """A CSV cell as a number where it is written as one: 7831, -2.5; else text."""
    text = text.strip()
    if not text:
        return None
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text)
    return text


def _csv(path: Path, raw: bytes) -> Table:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(Location(path), f"not UTF-8 text (byte {exc.start})") from None
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        if not header:
            raise DataError(Location(path), "no header row: the first line names the columns")
        columns = _columns(path, [name.strip() for name in header], 1)
        table = Table(path, columns)
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                raise DataError(Location(path, line, 1), f"{len(record)} cells where the "
                                f"header names {len(columns)} columns")
            starts = _starts(lines[line - 1] if line <= len(lines) else "", len(record))
            table.rows.append(Row(len(table.rows) + 1, {
                name: Cell(_typed(cell), Location(path, line, starts[i]), cell.strip())
                for i, (name, cell) in enumerate(zip(columns, record, strict=True))}))
    except csv.Error as exc:
        raise DataError(Location(path, reader.line_num, 1), f"not valid CSV: {exc}") from None
    return table


def _starts(line: str, count: int) -> list[int]:
    """Where each cell of a plain CSV line starts (column 1 for each if it has quotes)."""
    if '"' in line or line.count(",") != count - 1:
        return [1] * count
    starts, column = [], 1
    for cell in line.split(","):
        starts.append(column)
        column += len(cell) + 1
    return starts


def _columns(path: Path, names: list[Any], line: int) -> list[str]:
    columns = [str(name).strip() if name is not None else "" for name in names]
    for i, name in enumerate(columns):
        if not name:
            raise DataError(Location(path, line, 1), f"column {i + 1} has no name")
        if name in columns[:i]:
            raise DataError(Location(path, line, 1), f"two columns are named {name!r}")
    return columns


def _records(path: Path, raw: bytes) -> Table:
    try:
        data, source_map = load_yaml_tree(path, raw, "a data file is a list of records")
    except BriefError as exc:
        problem = exc.problems[0]
        raise DataError(problem.location, problem.message) from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataError(source_map.value(()), "expected a list of records (mappings of "
                        "column to value)")
    columns = _columns(path, list(dict.fromkeys(k for record in data for k in record)), 1)
    table = Table(path, columns)
    for i, record in enumerate(data):
        cells = {}
        for name in columns:
            value = record.get(name)
            if value is not None and (isinstance(value, bool)
                                      or not isinstance(value, (int, float, str))):
                raise DataError(source_map.value((i, name)), f"{name!r} is neither a number "
                                "nor text")
            cells[name] = Cell(value, source_map.value((i, name)))
        table.rows.append(Row(i + 1, cells))
    return table


def _xlsx(path: Path, raw: bytes, sheet: str | None) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        # A workbook is a zip: what its parts unpack to is bounded before openpyxl
        # reads them (1 MB of zeros can unpack to gigabytes of one cell).
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED:
            raise DataError(Location(path), f"a workbook that unpacks to "
                            f"{size_text(unpacked)}; the limit is "
                            f"{size_text(MAX_XLSX_UNPACKED)}")
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise DataError(Location(path), f"not a readable XLSX workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataError(Location(path), f"no worksheet {sheet!r} (it has "
                            f"{', '.join(book.sheetnames)})")
        rows = book[sheet].iter_rows(values_only=True) if sheet else (
            book.worksheets[0].iter_rows(values_only=True))
        header = next(rows, None)
        if not header:
            raise DataError(Location(path), "no header row: the first row names the columns")
        columns = _columns(path, list(header), 1)
        table = Table(path, columns)
        for line, values in enumerate(rows, start=2):
            if len(table.rows) > MAX_ROWS:
                break
            if all(v is None for v in values):
                continue
            table.rows.append(Row(len(table.rows) + 1, {
                name: Cell(_cell(value), Location(path, line, i + 1))
                for i, (name, value) in enumerate(zip(columns, values, strict=False))}))
        return table
    finally:
        book.close()


def _cell(value: Any) -> CellValue | None:
    if value is None or isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return value
    return str(value)  # a date or time, as text


class SelectionError(Exception):
    """A selection that does not give one number; the message names the data's rows,
    ``part`` the field of the selection at fault."""

    def __init__(self, message: str, part: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.part = part


def select(table: Table, selection: Selection | Part, column: str,
           part: tuple[str | int, ...] = ()) -> float | int:
    """The number ``selection`` reads from ``table``; ``part`` is where the selection is
    written in its figure's value."""
    column = selection.column or column
    check_columns(table, [(column, (*part, "column")),
                          *((name, (*part, "where", name)) for name in selection.where)])
    rows = rows_where(table, selection.where)
    shown = ", ".join(f"{name} = {wanted}" for name, wanted in selection.where.items())
    if not rows:
        raise SelectionError(f"no row of {display_path(table.path)} has {shown}",
                             (*part, "where"))
    if selection.aggregate == "one" and len(rows) > 1:
        lines = ", ".join(str(r.cells[column].location.line) for r in rows[:5])
        raise SelectionError(f"{len(rows)} rows of {display_path(table.path)} have "
                             f"{shown or 'no condition'} (lines {lines}); narrow where:, or "
                             "give aggregate: sum, first or last", (*part, "where"))
    chosen = {"first": rows[:1], "last": rows[-1:]}.get(selection.aggregate, rows)
    return sum(number_in(row.cells[column], column, (*part, "column")) for row in chosen)


def check_columns(table: Table, named: list[tuple[str, tuple[str | int, ...]]]) -> None:
    """Raise SelectionError, at the part that names it, for a column ``table`` lacks."""
    for name, at in named:
        if name not in table.columns:
            hint = nearest(name, table.columns) or f" (its columns: {', '.join(table.columns)})"
            raise SelectionError(f"no column {name!r} in {display_path(table.path)}{hint}", at)


def rows_where(table: Table, where: dict[str, CellValue]) -> list[Row]:
    """The rows whose columns have the values ``where`` gives."""
    return [row for row in table.rows
            if all(_same_value(row.cells[name].value, wanted) for name, wanted in where.items())]


def number_in(cell: Cell, column: str, at: tuple[str | int, ...]) -> int | float:
    """A cell's number; SelectionError, naming the cell, when it holds none."""
    if isinstance(cell.value, bool) or not isinstance(cell.value, (int, float)):
        raise SelectionError(f"{cell.location}: {_shown_value(cell.value)} in column "
                             f"{column!r} is not a number", at)
    return cell.value


def _shown_value(value: object) -> str:  # an empty cell said so, not shown as None
    return "an empty cell" if value is None else repr(value)


def _same_value(value: CellValue | None, wanted: CellValue) -> bool:
    if isinstance(value, (int, float)) and isinstance(wanted, (int, float)):
        return value == wanted
    return str(value).strip() == str(wanted).strip()
