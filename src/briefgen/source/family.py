"""Brief families (format 1.7): one brief file and a table make one brief per row.

``family: {data: members, key: code}`` names one of the brief's ``data:`` tables and the
column whose value names each member: the row ``code: bn`` of ``briefs/asean.yaml`` is
the brief ``asean-bn``. A row's values reach the brief's text through placeholders,
``{column}`` (``{column:1}``: one decimal place), filled in one pass and never
evaluated: a value is text (or a number, set in each language's way), and a value that
looks like a placeholder stays as written. ``{{`` and ``}}`` write a brace. A string
that is one placeholder and nothing else takes the cell's own type, so that
``value: "{cases}"`` is a number. In a language's text, ``{name}`` reads the column
``name.ru`` where the table has one, else ``name``.

Each member is validated on its own, when it is asked for, and cached with its family:
a family of a thousand rows whose one row changed validates one brief.
"""

from __future__ import annotations

import decimal
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cldr import format_number
from ..errors import BriefError, Location, Problem
from .data import KEPT, Cell, DataError, Row, Table, read_table
from .load import LoadedFile, Path_, format_path
from .remote import RemoteSources, is_url
from .validate import BRIEF_ID_RE, input_file, nearest

FAMILY = "family"
# Fields a row never reaches: which files are read, and the family itself.
UNFILLED = frozenset({FAMILY, "data", "sources", "languages", "status"})
# The last few families read in a process, by file and content (a watch sees many).
_FAMILIES: dict[tuple[Path, str], Family] = {}
# The fields whose strings are values, not text shown as Markdown.
VALUES = frozenset({"url", "date", "by", "number", "quote", "ref", "id", "source", "data",
                    "column", "where", "sheet", "x", "y", "value", "data_as_of", "basis",
                    "priority", "audiences", "precision", "aggregate", "share_of", "type"})
# What Markdown reads as markup in a line of text (backslash-escaped in a row's values).
_MARKDOWN = re.compile(r"[\\`*_{}\[\]()#+\-.!|~]")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_PLACEHOLDER = re.compile(r"\s*([^{}:\s][^{}:]*?)\s*(?::\s*(\d)\s*)?")


@dataclass(frozen=True)
class FamilySpec:
    data: str  # the id of one of the brief's data: tables
    key: str  # the column naming each member


def family_spec(loaded: LoadedFile) -> FamilySpec | None:
    """The file's ``family:``, None when it is an ordinary brief; a located error when
    it is not the mapping it must be."""
    if FAMILY not in loaded.data:
        return None
    value = loaded.data[FAMILY]
    where = loaded.source_map.value((FAMILY,))
    if not isinstance(value, dict) or set(value) - {"data", "key"}:
        raise BriefError([Problem(where, "must be a mapping {data: <a data id>, key: <a "
                                  "column>}", FAMILY)])
    for name in ("data", "key"):
        if not isinstance(value.get(name), str) or not value[name].strip():
            raise BriefError([Problem(loaded.source_map.value((FAMILY, name)),
                                      f"{name}: is required, a name", f"{FAMILY}.{name}")])
    return FamilySpec(value["data"], value["key"])


@dataclass
class Member:
    key: str  # its part of the id: asean-<key>
    row: Row
    digest: str  # of the brief file and this row: what makes the member stale


@dataclass
class Family:
    """A brief file with ``family:``, and its table's rows by key."""

    loaded: LoadedFile
    spec: FamilySpec
    table: Table
    data_file: Path  # the table's file as read (a web file's copy)
    data_name: str  # as the brief names it
    members: dict[str, Member] = field(default_factory=dict)

    @property
    def reads_whole_table(self) -> bool:
        """Whether a chart, a table or a key figure reads the family's table as a whole
        (a total of every row): then each member depends on every row."""
        data = self.loaded.data

        def names_table(value: Any) -> bool:
            return isinstance(value, dict) and value.get("data") == self.spec.data

        items = [item for name in ("charts", "tables", "key_figures")
                 if isinstance(data.get(name), list) for item in data[name]]
        return any(names_table(item) or (isinstance(item, dict) and names_table(
            item.get("value"))) for item in items)

    @property
    def languages(self) -> list[str]:
        langs = self.loaded.data.get("languages")
        return [lang for lang in langs if isinstance(lang, str)] if isinstance(
            langs, list) and langs else ["en"]

    def member_id(self, key: str) -> str:
        return f"{self.loaded.path.stem}-{key}"

    def member_data(self, key: str, keep_text: bool = False) -> LoadedFile:
        """The brief of one member, its placeholders filled from its row; a located
        error for every placeholder that cannot be. With ``keep_text`` the text written
        per language keeps its placeholders: the family as a translator works on it."""
        filler = _Filler(self, self.members[key].row, keep_text)
        data = {name: value if name in UNFILLED else filler.fill(value, (name,))
                for name, value in self.loaded.data.items()}
        if filler.problems:
            raise BriefError(filler.problems)
        return LoadedFile(self.loaded.path, data, self.loaded.source_map)


def read_family(loaded: LoadedFile, raw: bytes, spec: FamilySpec, project_root: Path,
                remote: RemoteSources | None) -> Family:
    """The family's table read and its members named; raises BriefError, located at
    ``family:`` and naming the data file's row and column, when it cannot be."""
    smap = loaded.source_map
    data = loaded.data.get("data")
    entry = data.get(spec.data) if isinstance(data, dict) else None
    name = entry.get("file") if isinstance(entry, dict) else entry
    sheet = entry.get("sheet") if isinstance(entry, dict) else None
    if not isinstance(name, str) or not isinstance(sheet, (str, type(None))):
        known = list(data) if isinstance(data, dict) else []
        raise BriefError([Problem(smap.value((FAMILY, "data")), f"unknown data id "
                                  f"{spec.data!r}: the family's table is one of the brief's "
                                  f"data: files{nearest(spec.data, known)}", "family.data")])
    if is_url(name):
        fetched = remote.fetch(name) if remote is not None else None
        path, why = (fetched.copy, None) if fetched and fetched.copy else (
            None, fetched.problem if fetched else "a web file is read only by a build")
    else:
        path, why = input_file(loaded.path.parent.resolve(), project_root.resolve(), name)
    if path is None:
        raise BriefError([Problem(smap.value(("data", spec.data)), f"{name}: {why}",
                                  f"data.{spec.data}")])
    try:
        table = read_table(path, sheet)
    except DataError as exc:
        raise BriefError([Problem(smap.value(("data", spec.data)),
                                  f"{exc.location}: {exc}", f"data.{spec.data}")]) from None
    brief_digest = hashlib.sha256(raw).hexdigest()
    cached = _FAMILIES.get((loaded.path.resolve(), brief_digest))
    if cached is not None and cached.table is table and cached.loaded is loaded:
        return cached  # each member's task reads its family: its rows are hashed once
    family = Family(loaded, spec, table, path, name)
    key_at = smap.value((FAMILY, "key"))
    if spec.key not in table.columns:
        raise BriefError([Problem(key_at, f"{name} has no column {spec.key!r} (its columns: "
                                  f"{', '.join(table.columns)}){nearest(spec.key, table.columns)}",
                                  "family.key")])
    problems = []
    for row in table.rows:
        cell = row.cells.get(spec.key)
        # As written: a CSV key "007" is not the number 7.
        key = "" if cell is None or cell.value is None else (
            cell.text or str(cell.value)).strip().lower()
        where = cell.location if cell is not None else Location(path, row.number + 1)
        if not key:
            problems.append(Problem(key_at, f"{where}: row {row.number} has no value in "
                                    f"column {spec.key!r}, which names each member",
                                    "family.key"))
        elif not BRIEF_ID_RE.fullmatch(key) or len(family.member_id(key)) > 100:
            problems.append(Problem(key_at, f"{where}: {key!r} cannot name a member: its id "
                                    f"{family.member_id(key)!r} must be lowercase letters, "
                                    "digits and hyphens, up to 100", "family.key"))
        elif key in family.members:
            problems.append(Problem(key_at, f"{where}: {key!r} names row "
                                    f"{family.members[key].row.number} already",
                                    "family.key"))
        else:
            family.members[key] = Member(key, row, _digest(brief_digest, table, row))
    if problems:
        raise BriefError(problems)
    if not family.members:
        raise BriefError([Problem(key_at, f"{name} has no rows: a family needs one member "
                                  "at least", "family.key")])
    _FAMILIES[loaded.path.resolve(), brief_digest] = family
    while len(_FAMILIES) > KEPT:
        del _FAMILIES[next(iter(_FAMILIES))]
    return family


def _digest(brief_digest: str, table: Table, row: Row) -> str:
    cells = [(column, row.cells[column].value if column in row.cells else None)
             for column in table.columns]
    return hashlib.sha256(json.dumps([brief_digest, cells]).encode()).hexdigest()[:20]


class _Filler:
    """Fills one member's placeholders, collecting a problem for each it cannot."""

    def __init__(self, family: Family, row: Row, keep_text: bool = False) -> None:
        self.family = family
        self.row = row
        self.keep_text = keep_text
        self.languages = family.languages
        self.problems: list[Problem] = []

    def fill(self, value: Any, path: Path_) -> Any:
        if isinstance(value, str):
            return self._string(value, path)
        if isinstance(value, list):
            return [self.fill(item, (*path, i)) for i, item in enumerate(value)]
        if isinstance(value, dict):
            if value and all(lang in self.languages for lang in value):
                # A localized mapping: each text filled in its own language.
                return {lang: self._text(text, (*path, lang), lang)
                        if isinstance(text, str) and not self.keep_text else text
                        for lang, text in value.items()}
            # A reference's file is one of the brief's sources: a row never chooses it.
            return {key: item if key == "file" else self.fill(item, (*path, key))
                    for key, item in value.items()}
        return value

    def _string(self, text: str, path: Path_) -> Any:
        """Text written once: a lone placeholder in a value's field (a key figure's
        value, a quote) keeps its cell's type; text whose values are written differently
        per language becomes text per language."""
        whole = re.fullmatch(r"\{" + _PLACEHOLDER.pattern + r"\}", text)
        if whole and self._raw(path):
            cell = self._cell(whole[1], self.languages[0], path)
            if cell is None:
                return text
            if whole[2] is not None and isinstance(cell.value, (int, float)):
                return _rounded(cell.value, int(whole[2]))
            return cell.value
        filled = {lang: self._text(text, path, lang) for lang in self.languages}
        values = set(filled.values())
        return values.pop() if len(values) == 1 else filled

    def _text(self, text: str, path: Path_, lang: str) -> str:
        def replace(match: re.Match[str]) -> str:
            token = match[0]
            if token in ("{{", "}}"):
                return token[0]
            placeholder = _PLACEHOLDER.fullmatch(match[1] or "") if match[1] is not None else None
            if placeholder is None:
                self._problem(path, f"{token!r} is not a placeholder: write {{column}} or "
                              "{column:1}, and {{ or }} for a brace")
                return token
            cell = self._cell(placeholder[1], lang, path)
            if cell is None:
                return token
            precision = int(placeholder[2]) if placeholder[2] is not None else None
            if cell.value is None:
                return ""
            value = (cell.value if isinstance(cell.value, str)
                     else format_number(cell.value, lang, precision))
            return value if self._raw(path) else literal(value)

        return _TOKEN.sub(replace, text)

    @staticmethod
    def _raw(path: Path_) -> bool:
        """Whether the field is no text a reader sees but a value (an address, a date):
        there a row's value goes in as written, not as Markdown's literal text."""
        return any(part in VALUES for part in path)

    def _cell(self, column: str, lang: str, path: Path_) -> Cell | None:
        table = self.family.table
        name = f"{column}.{lang}" if f"{column}.{lang}" in table.columns else column
        if name not in table.columns:
            self._problem(path, f"{{{column}}}: {self.family.data_name} has no column "
                          f"{column!r}{nearest(column, table.columns)}")
            return None
        cell = self.row.cells.get(name)
        if cell is None or cell.value is None:
            where = cell.location if cell is not None else Location(table.path,
                                                                    self.row.number + 1)
            self._problem(path, f"{{{column}}}: {where}: row {self.row.number} ("
                          f"{self.family.spec.key} {self.row.cells[self.family.spec.key].value!s})"
                          f" has no value in column {name!r}")
            return None
        return cell

    def _problem(self, path: Path_, message: str) -> None:
        problem = Problem(self.family.loaded.source_map.value(path), message, format_path(path))
        if problem not in self.problems:
            self.problems.append(problem)


def literal(value: str) -> str:
    """A row's text as Markdown shows it, as written: "2019. The commission" stays a
    sentence, not a numbered list; A*B keeps its stars; <Holdings> is shown, not read as
    a tag. A row's values are text, never markup."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\g<0>", value)


def _rounded(value: int | float, places: int) -> float:
    return float(decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-places),
                                                      rounding=decimal.ROUND_HALF_UP))


__all__ = ["FAMILY", "Family", "FamilySpec", "Member", "family_spec", "read_family"]
