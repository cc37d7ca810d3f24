"""The typed brief: one pydantic schema for the source format of brief-format.md.

Validation turns a loaded YAML tree into a :class:`Brief` or into located problems,
all of them at once. The same schema exports the JSON Schema that editors use.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    WrapValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import BriefError, Location, Problem, Severity
from .load import LoadedFile, Path_, SourceMap, describe_type, format_path

M = TypeVar("M", bound=BaseModel)
BRIEF_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_PATTERN = r"^[a-z]{2,3}$"
REF_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"


# --- localized text ---------------------------------------------------------------

@dataclass(frozen=True)
class LocalizedText:
    """A validated localized value: text for every language, or text per language."""

    value: str | dict[str, str]

    @property
    def translations(self) -> dict[str, str] | None:
        """The per-language mapping, or None for text used as is in every language."""
        return self.value if isinstance(self.value, dict) else None

    def has(self, lang: str) -> bool:
        return isinstance(self.value, str) or lang in self.value


def _check_localized(value: Any, handler: Any) -> Any:
    """Accept a plain string or a {language: string} mapping, with errors a writer reads."""
    if isinstance(value, str):
        return LocalizedText(value)
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "localized", "expected text, or a mapping from language code to text "
            "(en: ..., ru: ...), got {got}", {"got": describe_type(value)})
    if not value:
        raise PydanticCustomError("localized", "the mapping of translations is empty", {})
    for lang, text in value.items():
        if not isinstance(lang, str) or not re.match(LANG_PATTERN, lang):
            raise PydanticCustomError(
                "localized_key", "{key} is not a language code (two or three lowercase "
                "letters, such as en or ru)", {"key": repr(lang), "subpath": lang})
        if not isinstance(text, str):
            raise PydanticCustomError(
                "localized_value", "expected text, got {got}",
                {"got": describe_type(text), "subpath": lang})
    return LocalizedText(handler(value))


Localized = Annotated[
    str | dict[str, str],
    WrapValidator(_check_localized),
    Field(description="Text used as is in every language, or a mapping from language "
          "code to text."),
]


# --- other scalar types ------------------------------------------------------------

def _partial_date(value: Any) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD, however YAML typed it, normalised to that text."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PydanticCustomError("partial_date", "expected a date as YYYY, YYYY-MM or "
                                  "YYYY-MM-DD, got {got}", {"got": describe_type(value)})
    text = str(value)
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        month_ok = month is None or 1 <= month <= 12
        day_ok = day is None or (month_ok and 1 <= day <= calendar.monthrange(year, month)[1])
        if month_ok and day_ok:
            return text
    raise PydanticCustomError("partial_date", "expected a date as YYYY, YYYY-MM or "
                              "YYYY-MM-DD, got {text}", {"text": repr(text)})


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    WithJsonSchema({"anyOf": [
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
    ], "description": "YYYY, YYYY-MM or YYYY-MM-DD"}),
]


MAX_FIGURE = 10**15  # beyond this a figure is better written as text ("1.2 quadrillion")


def _figure_value(value: Any) -> int | float | str:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PydanticCustomError("figure_value", "expected a number or text, got {got}",
                                  {"got": describe_type(value)})
    if isinstance(value, (int, float)) and not (math.isfinite(value)
                                                and abs(value) < MAX_FIGURE):
        raise PydanticCustomError("figure_value", "the number {value} is too large to format; "
                                  "write it as text (value: \"...\")", {"value": repr(value)})
    return value


FigureValue = Annotated[
    int | float | str,
    BeforeValidator(_figure_value),
    Field(description="A number (formatted per language) or text used as is."),
]

RefId = Annotated[str, Field(pattern=REF_ID_PATTERN, description="The id of a reference.")]
LangCode = Annotated[str, Field(pattern=LANG_PATTERN)]


# --- the brief ---------------------------------------------------------------------

class _Node(BaseModel):
    # Unknown keys are kept, not refused: they become warnings naming the nearest
    # known field, so a typo does not stop a scheduled build.
    model_config = ConfigDict(extra="allow", strict=False, frozen=True)


class _Item(_Node):
    @model_validator(mode="before")
    @classmethod
    def _bare_item(cls, value: Any) -> Any:
        """An item may be written as a bare localized value instead of {text: ...}."""
        if isinstance(value, str):
            return {"text": value}
        if (isinstance(value, dict) and value and "text" not in value
                and all(isinstance(k, str) and re.match(LANG_PATTERN, k)
                        and k not in cls.model_fields for k in value)):
            return {"text": value}
        return value


class Author(_Node):
    name: Localized
    affiliation: Localized | None = None


class KeyFigure(_Node):
    value: FigureValue
    label: Localized
    source: RefId | None = None


class Achievement(_Item):
    date: PartialDate | None = None
    text: Localized
    source: RefId | None = None


class Challenge(_Item):
    title: Localized | None = None
    text: Localized


class Recommendation(_Item):
    text: Localized
    audiences: list[str] = Field(default_factory=list, description="Show it only to "
                                 "these audiences.")
    priority: int | None = Field(default=None, ge=1, description="1 is the most important.")


class Reference(_Node):
    id: RefId
    text: Localized
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None


class Brief(_Node):
    """A policy brief, as written in ``briefs/<id>.yaml``."""

    title: Localized
    subtitle: Localized | None = None
    date: dt.date
    languages: list[LangCode] = Field(min_length=1, description="The first is the source "
                                      "language.")
    authors: list[Author] = Field(default_factory=list)
    summary: Localized = Field(description="The bottom line, 1-3 sentences, Markdown.")
    key_figures: list[KeyFigure] = Field(default_factory=list)
    necessity: Localized = Field(description="Why it matters, Markdown.")
    achievements: list[Achievement] = Field(min_length=1)
    challenges: list[Challenge] = Field(min_length=1)
    recommendations: list[Recommendation] = Field(min_length=1)
    references: list[Reference] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="Files this brief draws "
                               "on, relative to its folder.")

    @property
    def source_language(self) -> str:
        return self.languages[0]


@dataclass
class BriefFile:
    """A validated brief together with where it came from."""

    id: str
    path: Path
    brief: Brief
    source_map: SourceMap
    warnings: list[Problem] = field(default_factory=list)

    def location(self, path: Path_) -> Location:
        return locate(self.source_map, path)


ITEM_LISTS = ("achievements", "challenges", "recommendations")
# The lists of a brief whose items are mappings of fields, and their models.
_ITEM_MODELS: dict[type[BaseModel], dict[str, type[BaseModel]]] = {Brief: {
    "authors": Author, "key_figures": KeyFigure, "achievements": Achievement,
    "challenges": Challenge, "recommendations": Recommendation, "references": Reference}}


def validate_brief(loaded: LoadedFile, known_audiences: set[str],
                   project_root: Path) -> BriefFile:
    """Validate a loaded file against the schema and its cross-references.

    Raises BriefError with every problem found; warnings ride along on success.
    """
    problems: list[Problem] = []
    brief_id = loaded.path.stem
    if not BRIEF_ID_RE.match(brief_id):
        problems.append(Problem(Location(loaded.path), f"the file name {brief_id!r} is not a "
                                "valid brief id (lowercase letters, digits and hyphens)"))
    warnings = list(_unknown_field_warnings(loaded.data, Brief, loaded.source_map))
    try:
        brief = Brief.model_validate(loaded.data)
    except ValidationError as exc:
        problems += [_problem(loaded.source_map, err) for err in exc.errors()]
        raise BriefError(_sorted(problems + warnings)) from None
    problems += _cross_reference_problems(brief, loaded, known_audiences, project_root)
    if any(p.is_error for p in problems):
        raise BriefError(_sorted(problems + warnings))
    return BriefFile(brief_id, loaded.path, brief, loaded.source_map, _sorted(warnings))


def validate_file(model: type[M], loaded: LoadedFile) -> M:
    """Validate a loaded YAML file against ``model``: a settings file (briefgen.yaml,
    audience.yaml) gets the same located messages as a brief."""
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        raise BriefError(_sorted([_problem(loaded.source_map, err)
                                  for err in exc.errors()])) from None


def locate(source_map: SourceMap, path: Path_) -> Location:
    """Where a model path was written; a bare list item has no ``text`` key of its own."""
    if path not in source_map.values and "text" in path:
        bare = tuple(p for p in path if p != "text")
        if bare in source_map.values:
            return source_map.value(bare)
    return source_map.value(path)


def _problem(source_map: SourceMap, err: Any) -> Problem:
    path = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    if "subpath" in ctx:
        path = (*path, ctx["subpath"])
    if err["type"] == "missing":
        location = locate(source_map, path[:-1])
        return Problem(location, "required field is missing", format_path(path))
    return Problem(locate(source_map, path), _message(err), format_path(path))


def _message(err: Any) -> str:
    kind, value = err["type"], err.get("input")
    if kind.startswith("date_") or kind == "datetime_type":
        return f"expected a date as YYYY-MM-DD, got {_show(value)}"
    if kind in ("string_type", "str_type"):
        return f"expected text, got {describe_type(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_show(value)}"
    if kind == "list_type":
        return f"expected a list, got {describe_type(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {describe_type(value)}"
    if kind == "too_short":
        return "needs at least one item"
    if kind == "greater_than_equal":
        return f"must be at least {err['ctx']['ge']}, got {_show(value)}"
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} does not have the expected form ({err['ctx']['pattern']})"
    return str(err["msg"])


def _show(value: Any) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return repr(value)
    return describe_type(value)


def _cross_reference_problems(brief: Brief, loaded: LoadedFile, known_audiences: set[str],
                              project_root: Path) -> Iterator[Problem]:
    smap = loaded.source_map
    seen_langs: set[str] = set()
    for i, lang in enumerate(brief.languages):
        if lang in seen_langs:
            yield Problem(smap.value(("languages", i)), f"{lang!r} is listed twice",
                          f"languages[{i}]")
        seen_langs.add(lang)

    ref_ids: dict[str, int] = {}
    for i, ref in enumerate(brief.references):
        if ref.id in ref_ids:
            yield Problem(smap.value(("references", i, "id")), f"duplicate reference id "
                          f"{ref.id!r} (first used by references[{ref_ids[ref.id]}])",
                          f"references[{i}].id")
        ref_ids.setdefault(ref.id, i)

    for list_name in ("key_figures", "achievements"):
        for i, item in enumerate(getattr(brief, list_name)):
            if item.source is not None and item.source not in ref_ids:
                yield Problem(smap.value((list_name, i, "source")),
                              f"unknown reference {item.source!r}{_nearest(item.source, ref_ids)}",
                              f"{list_name}[{i}].source")

    for i, rec in enumerate(brief.recommendations):
        for j, audience in enumerate(rec.audiences):
            if audience not in known_audiences:
                yield Problem(smap.value(("recommendations", i, "audiences", j)),
                              f"unknown audience {audience!r}"
                              f"{_nearest(audience, known_audiences)}",
                              f"recommendations[{i}].audiences[{j}]")

    folder = loaded.path.parent.resolve()
    root = project_root.resolve()
    for i, source in enumerate(brief.sources):
        where = smap.value(("sources", i))
        target = (folder / source).resolve()
        if Path(source).is_absolute() or not target.is_relative_to(root):
            yield Problem(where, f"{source!r} is outside the project", f"sources[{i}]")
        elif not target.is_file():
            yield Problem(where, f"{source!r} does not exist (paths are relative to "
                          f"{loaded.path.parent}/)", f"sources[{i}]")


def _unknown_field_warnings(data: Any, model: type[BaseModel], smap: SourceMap,
                            path: Path_ = ()) -> Iterator[Problem]:
    """Keys of the raw tree that ``model`` does not know, found before validation so that
    they are reported with a brief's errors too, not only when it is valid."""
    if not isinstance(data, dict) or (model is not Brief and "text" not in data and data and all(
            isinstance(k, str) and re.match(LANG_PATTERN, k) for k in data)):
        return  # not a mapping of fields: a bare localized item, or an error elsewhere
    fields = model.model_fields
    for name in sorted((k for k in data if k not in fields), key=str):
        yield Problem(smap.key((*path, name)), f"unknown field {name!r} is ignored"
                      f"{_nearest(str(name), fields)}", format_path((*path, name)),
                      Severity.WARNING)
    for name, item_model in _ITEM_MODELS.get(model, {}).items():
        value = data.get(name)
        for i, item in enumerate(value if isinstance(value, list) else []):
            yield from _unknown_field_warnings(item, item_model, smap, (*path, name, i))


def _nearest(word: str, candidates: Any) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.location.line, p.location.column))


def brief_json_schema() -> dict[str, Any]:
    """The JSON Schema of a brief file, with bare list items allowed as the format says."""
    schema = Brief.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "briefgen brief (format version 1)"
    localized = schema["properties"]["title"]
    bare = {k: v for k, v in localized.items() if k in ("anyOf", "type")}
    for list_name in ITEM_LISTS:
        prop = schema["properties"][list_name]
        prop["items"] = {"anyOf": [prop["items"], bare]}
    return schema
