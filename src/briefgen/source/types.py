"""The scalar types of the brief format: localized text, partial dates, figure values.

Each is an annotated type for pydantic with a validator that words its errors for the
person who wrote the brief, not for a programmer.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .load import describe_type
from .textrules import text_problem

LANG_PATTERN = r"^[a-z]{2,3}$"
REF_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"


def is_language_code(value: object) -> bool:
    return isinstance(value, str) and re.match(LANG_PATTERN, value) is not None


class MissingTranslation(LookupError):
    """A localized value has no text for the language asked for."""


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

    def text(self, lang: str) -> str:
        """The text in ``lang``; plain text serves every language."""
        if isinstance(self.value, str):
            return self.value
        try:
            return self.value[lang]
        except KeyError:
            raise MissingTranslation(lang) from None

    def shown_in(self, lang: str, fallback: str) -> str:
        """The language its ``lang`` text is shown in: ``lang`` where it has one, else
        ``fallback``, the source language (a draft translation's untranslated field)."""
        return lang if self.has(lang) else fallback

    def first(self) -> str:
        """The text in whichever language comes first: a fallback for interface labels."""
        return self.value if isinstance(self.value, str) else next(iter(self.value.values()))


def _check_localized(value: Any) -> LocalizedText:
    """Accept a plain string or a {language: string} mapping, with errors a writer reads."""
    if isinstance(value, LocalizedText):
        return value
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise PydanticCustomError("text", "{problem}", {"problem": problem})
        return LocalizedText(value)
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "localized", "expected text, or a mapping from language code to text "
            "(en: ..., ru: ...), got {got}", {"got": describe_type(value)})
    if not value:
        raise PydanticCustomError("localized", "the mapping of translations is empty", {})
    for lang, text in value.items():
        if not is_language_code(lang):
            raise PydanticCustomError(
                "localized_key", "{key} is not a language code (two or three lowercase "
                "letters, such as en or ru)", {"key": repr(lang), "subpath": lang})
        if not isinstance(text, str):
            raise PydanticCustomError(
                "localized_value", "expected text, got {got}",
                {"got": describe_type(text), "subpath": lang})
        problem = text_problem(text)
        if problem:
            raise PydanticCustomError("text", "{problem}", {"problem": problem,
                                                            "subpath": lang})
    return LocalizedText(dict(value))


def _check_plain(value: Any) -> str:
    """Text written once, in one language (a quotation, a section's name)."""
    if not isinstance(value, str):
        raise PydanticCustomError("text", "expected text, got {got}",
                                  {"got": describe_type(value)})
    problem = text_problem(value)
    if problem:
        raise PydanticCustomError("text", "{problem}", {"problem": problem})
    return value


PlainText = Annotated[str, PlainValidator(_check_plain),
                      WithJsonSchema({"type": "string"})]


# The schema half says what a writer may put there (for the JSON Schema); the
# validator turns it into a LocalizedText, which is what the model holds.
Localized = Annotated[
    LocalizedText,
    PlainValidator(_check_localized),
    WithJsonSchema({
        "anyOf": [{"type": "string"},
                  {"type": "object", "additionalProperties": {"type": "string"},
                   "propertyNames": {"pattern": LANG_PATTERN}}],
        "description": "Text used as is in every language, or a mapping from language "
                       "code to text."}),
]


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
        assert year is not None  # the pattern requires it
        month_ok = year >= 1 and (month is None or 1 <= month <= 12)
        day_ok = day is None or (month is not None and month_ok
                                 and 1 <= day <= calendar.monthrange(year, month)[1])
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


class Node(BaseModel):
    """A mapping of fields in a brief or a project file."""

    # Unknown keys are kept, not refused: they become warnings naming the nearest
    # known field, so a typo does not stop a scheduled build.
    model_config = ConfigDict(extra="allow", strict=False, frozen=True)


_DATE_LIKE = re.compile(r"\d{4}(?:-\d{1,2}){0,2}")


def _check_milestone(value: Any) -> str | LocalizedText:
    """A date (YYYY, YYYY-MM, YYYY-MM-DD) or words: "before the 2027 summit"."""
    if isinstance(value, (dt.date, int)) and not isinstance(value, bool) or (
            isinstance(value, str) and _DATE_LIKE.fullmatch(value.strip())):
        return _partial_date(value)  # "2027-13" looks like a date: it must be one
    if isinstance(value, (str, dict)):
        return _check_localized(value)
    raise PydanticCustomError("milestone", "expected a date (YYYY, YYYY-MM or YYYY-MM-DD) "
                              "or words (a milestone), got {got}",
                              {"got": describe_type(value)})


Milestone = Annotated[
    str | LocalizedText,
    PlainValidator(_check_milestone),
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string"},
                              {"type": "object", "additionalProperties": {"type": "string"}}],
                    "description": "A date (YYYY, YYYY-MM, YYYY-MM-DD) or a milestone in "
                                   "words."}),
]
