"""The typed brief: one pydantic schema for the source format of docs/brief-format.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..errors import Location, Problem
from .load import Path_, SourceMap
from .selection import (
    BriefFamily,
    Chart,
    ChartData,
    DataFiles,
    DataTable,
    FigureOrSelection,
    TableData,
)
from .types import (
    LangCode,
    Localized,
    LocalizedText,
    Milestone,
    Node,
    PartialDate,
    PlainText,
    RefId,
    is_language_code,
)


class _Item(Node):
    @model_validator(mode="before")
    @classmethod
    def _bare_item(cls, value: Any) -> Any:
        """An item may be written as a bare localized value instead of {text: ...}."""
        if is_bare_item(value, cls):
            return {"text": value}
        return value


def is_bare_item(value: Any, model: type[BaseModel]) -> bool:
    """Whether a list item is written as a bare localized value, not a mapping of fields."""
    if isinstance(value, str):
        return True
    return (isinstance(value, dict) and bool(value) and "text" not in value
            and all(is_language_code(k) and k not in model.model_fields for k in value))


class Author(Node):
    name: Localized
    affiliation: Localized | None = None
    family: Localized | None = Field(default=None, description="The part of name that is "
                                     "the family name, where it is not the last word "
                                     "(Zhang in 'Zhang Shuyue'); for citations, format 1.2.")

    @field_validator("family")
    @classmethod
    def _family_in_name(cls, family: LocalizedText | None,
                        info: ValidationInfo) -> LocalizedText | None:
        name = info.data.get("name")
        if family is None or not isinstance(name, LocalizedText):
            return family
        names = name.translations or {"": name.first()}
        for lang, text in (family.translations or dict.fromkeys(names, family.first())).items():
            whole = names.get(lang, name.first())
            if f" {text.strip()} " not in f" {whole} ":
                raise PydanticCustomError("family", "'{family}' is not part of the name "
                                          "'{name}'", {"family": text, "name": whole})
        return family


MAX_QUOTE = 2000


class Evidence(Node):
    """Where a claim comes from: a reference and, in the source's own words, the passage
    that supports it (format 1.3)."""

    ref: RefId
    quote: PlainText | None = Field(default=None, description="The passage, verbatim: "
                                    "checked against the reference's file; at most "
                                    f"{MAX_QUOTE} characters.")
    page: Annotated[int, Field(ge=1, le=100_000, strict=True)] | None = None
    section: PlainText | None = None

    @field_validator("quote")
    @classmethod
    def _a_passage(cls, quote: str | None) -> str | None:
        if quote is not None and len(quote) > MAX_QUOTE:
            raise PydanticCustomError("quote", "a quote of {n} characters; quote at most "
                                      "{limit}: the passage a claim rests on, not a page",
                                      {"n": f"{len(quote):,}", "limit": f"{MAX_QUOTE:,}"})
        return quote


def _one_or_more(value: Any) -> Any:
    """`evidence:` may be one mapping or a list of them."""
    return [value] if isinstance(value, dict) else value


EvidenceList = Annotated[list[Evidence], BeforeValidator(_one_or_more), Field(
    description="One item of evidence, or a list of them (format 1.3).")]
Basis = Literal["source", "editorial"]
BASIS_DESCRIPTION = ("'source': a finding of the references (evidence required); "
                     "'editorial': the editors' own judgement, marked so (format 1.3).")


class _Claim(Node):
    """An item that states something: it may say what supports it, or that it is the
    editors' own."""

    evidence: EvidenceList = Field(default_factory=list)
    basis: Basis | None = Field(default=None, description=BASIS_DESCRIPTION)

    @model_validator(mode="after")
    def _sourced_needs_evidence(self) -> _Claim:
        if self.basis == "source" and not self.evidence:
            raise PydanticCustomError("basis", "basis 'source' needs evidence: (or write "
                                      "basis: editorial)")
        return self

    @property
    def editorial(self) -> bool:
        return self.basis == "editorial"


class KeyFigure(_Claim):
    value: FigureOrSelection
    label: Localized
    unit: Localized | None = Field(default=None, description="Set after the value, on its "
                                   "line: 'bn yuan', 'млрд юаней' (format 1.1).")
    precision: int | None = Field(default=None, ge=0, le=6, description="Decimal places to "
                                  "show a number with: 19.654 at 1 is 19.7 (format 1.1).")
    source: RefId | None = None
    data_as_of: PartialDate | None = Field(default=None, description="When the data end: "
                                           "'data to September 2020' (format 1.3).")

class Achievement(_Item, _Claim):
    date: PartialDate | None = None
    text: Localized
    source: RefId | None = None


class Challenge(_Item, _Claim):
    title: Localized | None = None
    text: Localized


class Risk(_Item, _Claim):
    title: Localized | None = Field(default=None, description="One line: the one-page "
                                    "edition shows it alone.")
    text: Localized


class Recommendation(_Item, _Claim):
    text: Localized
    action: Localized | None = Field(default=None, description="What to do, in one "
                                     "imperative line (format 1.3).")
    actor: Localized | None = Field(default=None, description="Who is to act.")
    forum: Localized | None = Field(default=None, description="Where: the body or meeting.")
    by: Milestone | None = Field(default=None, description="When: a date (YYYY, YYYY-MM, "
                                 "YYYY-MM-DD) or a milestone in words.")
    audiences: list[str] = Field(default_factory=list, description="Show it only to "
                                 "these audiences.")
    priority: int | None = Field(default=None, ge=1, description="1 is the most important.")


class Reference(Node):
    id: RefId
    text: Localized
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    file: str | None = Field(default=None, description="The source document (one of "
                             "sources:) that evidence quotes are checked against: text, "
                             "Markdown or PDF (format 1.3).")


class BriefEvidence(Node):
    """Evidence for the brief's prose fields, which are not items (format 1.3)."""

    summary: EvidenceList = Field(default_factory=list)
    necessity: EvidenceList = Field(default_factory=list)


class Brief(Node):
    """A policy brief, as written in ``briefs/<id>.yaml``."""

    title: Localized
    subtitle: Localized | None = None
    date: dt.date
    languages: list[LangCode] = Field(min_length=1, description="The first is the source "
                                      "language.")
    status: dict[LangCode, Literal["draft", "final"]] = Field(
        default_factory=dict, description="A translation in progress: {ru: draft} builds "
        "that language's editions with its untranslated fields in the source language, "
        "marked, and a draft band; build --release refuses it (format 1.6).")
    authors: list[Author] = Field(default_factory=list)
    summary: Localized = Field(description="The bottom line, 1-3 sentences, Markdown.")
    key_figures: list[KeyFigure] = Field(default_factory=list)
    necessity: Localized = Field(description="Why it matters, Markdown.")
    achievements: list[Achievement] = Field(min_length=1)
    challenges: list[Challenge] = Field(min_length=1)
    charts: list[Chart] = Field(default_factory=list, description="Charts drawn from the "
                                "brief's data (format 1.4).")
    tables: list[DataTable] = Field(default_factory=list, description="Tables of the "
                                    "brief's data (format 1.4).")
    risks: list[Risk] = Field(default_factory=list, description="What could go wrong, or "
                              "what happens if nothing is done (format 1.3).")
    recommendations: list[Recommendation] = Field(min_length=1)
    addressee: Localized | None = Field(default=None, alias="for", description="Whom the "
                                        "brief is for: 'Minister of Justice' (format 1.3).")
    evidence: BriefEvidence = Field(default_factory=BriefEvidence)
    references: list[Reference] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="Files this brief draws "
                               "on, relative to its folder.")
    data: DataFiles = Field(
        default_factory=dict, description="Data files figures are read from, by id, "
        "relative to its folder (format 1.4).")
    family: BriefFamily | None = Field(default=None, description="A brief per row of a data "
                                  "table, its {column} placeholders filled from the row "
                                  "(format 1.7).")
    number: (Annotated[int, Field(ge=1)]
             | Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9./-]{0,19}$")]
             | None) = Field(default=None, description="Its number in the project's series "
                             "(publication: in briefgen.yaml), format 1.2.")
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = Field(
        default=None, description="Where it is published, if not where briefgen.yaml's "
        "publication url says, format 1.2.")

    @property
    def source_language(self) -> str:
        return self.languages[0]

    def is_draft(self, lang: str) -> bool:
        return self.status.get(lang) == "draft"

    def named_files(self) -> list[tuple[Path_, str]]:
        """The files it draws on besides itself, each with the field naming it: its
        sources and its data files."""
        return [*((("sources", i), name) for i, name in enumerate(self.sources)),
                *((("data", data_id, "file"), data.file) for data_id, data in self.data.items())]


ITEM_LISTS = ("achievements", "challenges", "risks", "recommendations")
# The lists of a brief whose items are mappings of fields, and their models.
ITEM_MODELS: dict[type[BaseModel], dict[str, type[BaseModel]]] = {Brief: {
    "authors": Author, "key_figures": KeyFigure, "achievements": Achievement,
    "challenges": Challenge, "risks": Risk, "recommendations": Recommendation,
    "references": Reference, "evidence": BriefEvidence, "charts": Chart,
    "tables": DataTable},
    BriefEvidence: {"summary": Evidence, "necessity": Evidence},
    **{claim: {"evidence": Evidence}
       for claim in (KeyFigure, Achievement, Challenge, Risk, Recommendation)}}


@dataclass
class BriefFile:
    """A validated brief together with where it came from."""

    id: str
    path: Path
    brief: Brief
    source_map: SourceMap
    warnings: list[Problem] = field(default_factory=list)
    read_from: dict[int, str] = field(default_factory=dict)  # key figures read from data
    chart_data: dict[int, ChartData] = field(default_factory=dict)  # charts[i], read
    table_data: dict[int, TableData] = field(default_factory=dict)  # tables[i], read
    remote_dir: Path | None = None  # where the build keeps copies of its web files
    member: str | None = None  # a family's member: the key of its row
    member_digest: str | None = None  # of the family's file and the member's row

    def location(self, path: Path_) -> Location:
        return locate(self.source_map, path)

    def file_of(self, name: str) -> Path:
        """The file to read for a source or data file the brief names: relative to its
        folder, or, for a URL, the copy the build fetched."""
        from .remote import copy_path, is_url

        if is_url(name):
            return copy_path(self.remote_dir or self.path.parent, name)
        return self.path.parent / name

    def inputs(self) -> list[tuple[str, Path]]:
        """The files it draws on besides itself, as named and as read: its sources and
        its data files."""
        names = dict.fromkeys(name for _, name in self.brief.named_files())
        return [(name, self.file_of(name)) for name in names]

    def input_files(self) -> list[Path]:
        return [path for _, path in self.inputs()]

    @property
    def shown_path(self) -> Path:
        """The file a person knows it by: a member is named as if it had its own."""
        return self.path if self.member is None else self.path.with_name(
            f"{self.id}{self.path.suffix}")


def locate(source_map: SourceMap, path: Path_) -> Location:
    """Where a model path was written; a bare list item has no ``text`` key of its own,
    and a list written as its one item (``evidence: {...}``) has no index 0."""
    if path not in source_map.values and "text" in path:
        bare = tuple(p for p in path if p != "text")
        if bare in source_map.values:
            return source_map.value(bare)
    for i, part in enumerate(path):
        if part == 0 and path[:i] in source_map.values and path[:i + 1] not in source_map.values:
            return locate(source_map, path[:i] + path[i + 1:])
    return source_map.value(path)


def localized_fields(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, LocalizedText]]:
    """Every localized value under ``node`` (a brief or a part of one), with its path."""
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():  # paths as written: `for`
            yield from localized_fields(getattr(node, name), (*path, info.alias or name))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from localized_fields(item, (*path, i))
    elif isinstance(node, dict):  # a chart's labels, by the value they name
        for key, item in node.items():
            yield from localized_fields(item, (*path, key))
    elif isinstance(node, LocalizedText):
        yield path, node


def translatable_fields(node: Any) -> list[Path_]:
    """The paths of the localized values written per language (text written once
    serves every language and needs no translation)."""
    return [path for path, text in localized_fields(node) if text.translations is not None]


def missing_translations(node: Any, lang: str) -> list[Path_]:
    """The paths of the localized values under ``node`` that have no ``lang`` text."""
    return [path for path, text in localized_fields(node) if not text.has(lang)]
