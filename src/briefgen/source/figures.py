"""A brief's key figures read from its data files, and where a reading goes wrong.

A figure whose value is a selection is replaced by the number it reads when the brief
is loaded, so that what cannot be read is a located error naming both the brief's field
and the data's row and column (a web file by its URL, not its copy in the cache).
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import BriefError, Problem, display_path
from .data import DataError, SelectionError, Table, read_table, select
from .load import format_path
from .model import BriefFile, KeyFigure
from .remote import is_url
from .selection import DataFile, Selection
from .validate import nearest


def resolve_figures(brief_file: BriefFile) -> BriefFile:
    """The brief with every key figure's selection replaced by the number it reads.

    Raises BriefError with every selection that cannot be read, located at the field.
    """
    brief = brief_file.brief
    if not any(isinstance(f.value, Selection) for f in brief.key_figures):
        return brief_file
    problems: list[Problem] = []
    figures: list[KeyFigure] = []
    for i, figure in enumerate(brief.key_figures):
        if not isinstance(figure.value, Selection):
            figures.append(figure)
            continue
        try:
            value = _read(brief_file, figure.value)
        except (DataError, SelectionError) as exc:
            problems.append(data_problem(brief_file, ("key_figures", i, "value"), exc))
        else:
            figures.append(figure.model_copy(update={"value": value}))
            continue
        figures.append(figure)
    if problems:
        raise BriefError(problems)
    read_from = {i: _provenance(f.value) for i, f in enumerate(brief.key_figures)
                 if isinstance(f.value, Selection)}
    return replace(brief_file, brief=brief.model_copy(update={"key_figures": figures}),
                   read_from=read_from)


def table_of(brief_file: BriefFile, data_id: str) -> Table:
    """The table a brief declares as ``data_id``. Raises SelectionError (at ``data``) or
    DataError."""
    data: DataFile | None = brief_file.brief.data.get(data_id)
    if data is None:
        known = ", ".join(brief_file.brief.data) or "none; declare it under data:"
        hint = nearest(data_id, brief_file.brief.data) or f" (known: {known})"
        raise SelectionError(f"unknown data {data_id!r}{hint}", ("data",))
    return read_table(brief_file.file_of(data.file).resolve(), data.sheet)


def data_problem(brief_file: BriefFile, path: tuple[str | int, ...],
                 exc: DataError | SelectionError) -> Problem:
    """What went wrong reading data for the field at ``path``: located at the part of it
    at fault, naming the data file's row and column where it is the data's fault."""
    if isinstance(exc, DataError):  # the data file's fault: at the field naming it
        location, message = brief_file.location((*path, "data")), f"{exc.location}: {exc}"
    else:
        path = (*path, *exc.part)
        location, message = brief_file.location(path), str(exc)
    for name, file in brief_file.inputs():
        if is_url(name):  # a web file by its URL, not its copy's place in the cache
            message = message.replace(display_path(file.resolve()), name)
    return Problem(location, message, format_path(path))


def _read(brief_file: BriefFile, selection: Selection) -> int | float:
    table = table_of(brief_file, selection.data)
    value = select(table, selection, selection.column)
    if selection.share_of is None:
        return value
    whole = select(table, selection.share_of, selection.column, ("share_of",))
    if not whole:
        column = selection.share_of.column or selection.column
        raise SelectionError(f"the share's whole ({column}) is 0", ("share_of",))
    return 100 * value / whole


def _provenance(value: Selection) -> str:
    """What a figure was read from, as the change report names it: "returns, year = 2020"."""
    where = ", ".join(f"{name} = {wanted}" for name, wanted in value.where.items())
    return f"data: {value.data}" + (f", {where}" if where else "")
