"""Validation: the schema and the cross-references, every problem located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.errors import BriefError
from briefgen.source.load import load_yaml
from briefgen.source.model import BriefFile
from briefgen.source.schema import brief_json_schema
from briefgen.source.validate import validate_brief

from .conftest import MINIMAL

AUDIENCES = {"policymaker", "practitioner", "academic"}


def validate(tmp_path: Path, text: str, name: str = "brief") -> BriefFile:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return validate_brief(load_yaml(path), AUDIENCES, tmp_path)


def errors(tmp_path: Path, text: str, name: str = "brief") -> list[str]:
    with pytest.raises(BriefError) as info:
        validate(tmp_path, text, name)
    return [f"{p.location.line}:{p.location.column}: {p.field}: {p.message}"
            for p in info.value.problems]


def test_minimal_brief_is_valid(tmp_path: Path) -> None:
    brief_file = validate(tmp_path, MINIMAL)
    assert brief_file.id == "brief"
    assert brief_file.warnings == []
    assert brief_file.brief.languages == ["en", "ru"]
    # bare items become {text: ...}
    assert brief_file.brief.challenges[0].text.value == {"en": "Money.", "ru": "Деньги."}


def test_wrong_date_is_located_at_its_value(tmp_path: Path) -> None:
    text = MINIMAL.replace("date: 2024-05-01", "date: yesterday")
    assert errors(tmp_path, text) == [
        "2:7: date: expected a date as YYYY-MM-DD, got 'yesterday'"]


def test_all_problems_are_reported_not_only_the_first(tmp_path: Path) -> None:
    text = (MINIMAL.replace("date: 2024-05-01\n", "")
            .replace("summary: {en: Act now., ru: Действуйте сейчас.}", "summary: [1, 2]")
            .replace("  - {en: Fund it., ru: Профинансировать.}",
                     "  - text: Fund it.\n    priority: 0"))
    assert errors(tmp_path, text) == [
        "1:1: date: required field is missing",
        "3:10: summary: expected text, or a mapping from language code to text "
        "(en: ..., ru: ...), got a list",
        "11:15: recommendations[0].priority: must be at least 1, got 0",
    ]


def test_wrong_type_inside_a_translation_points_at_that_language(tmp_path: Path) -> None:
    text = MINIMAL.replace("necessity: {en: Because., ru: Потому что.}",
                           "necessity:\n  en: Because.\n  ru: [no]")
    assert errors(tmp_path, text) == ["7:7: necessity.ru: expected text, got a list"]


def test_dangling_source_names_the_reference(tmp_path: Path) -> None:
    text = MINIMAL + (
        "key_figures:\n"
        "  - value: 12\n"
        "    label: Dams\n"
        "    source: ccdi-2021\n"
        "references:\n"
        "  - id: ccdi-2020\n"
        "    text: Report.\n")
    assert errors(tmp_path, text) == [
        "15:13: key_figures[0].source: unknown reference 'ccdi-2021'; did you mean "
        "'ccdi-2020'?"]


def test_unknown_audience_is_an_error_at_its_entry(tmp_path: Path) -> None:
    text = MINIMAL.replace("  - {en: Fund it., ru: Профинансировать.}",
                           "  - text: Fund it.\n    audiences: [policymaker, polcymaker]")
    assert errors(tmp_path, text) == [
        "12:30: recommendations[0].audiences[1]: unknown audience 'polcymaker'; did you "
        "mean 'policymaker'?"]


def test_unknown_field_is_a_warning_with_the_nearest_known_one(tmp_path: Path) -> None:
    brief_file = validate(tmp_path, MINIMAL + "refrences: []\n")
    assert [str(w).split(": ", 1)[1] for w in brief_file.warnings] == [
        "warning: refrences: unknown field 'refrences' is ignored; did you mean "
        "'references'?"]
    assert brief_file.warnings[0].location.line == 12


def test_partial_dates(tmp_path: Path) -> None:
    text = MINIMAL.replace("  - {en: A treaty., ru: Договор.}",
                           "  - {date: 2017, text: A}\n  - {date: 2017-11, text: B}\n"
                           "  - {date: 2017-11-13, text: C}\n  - {date: 2017-02-30, text: D}")
    assert errors(tmp_path, text) == [
        "10:12: achievements[3].date: '2017-02-30' is not a valid date: day is out of "
        "range for month"]
    text = text.replace("2017-02-30", "2017-13")
    assert errors(tmp_path, text) == [
        "10:12: achievements[3].date: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, "
        "got '2017-13'"]
    good = validate(tmp_path, text.replace("  - {date: 2017-13, text: D}\n", ""))
    assert [a.date for a in good.brief.achievements] == ["2017", "2017-11", "2017-11-13"]


def test_yaml_coercions_are_caught_where_text_is_meant(tmp_path: Path) -> None:
    text = MINIMAL.replace("challenges:\n  - {en: Money., ru: Деньги.}",
                           "challenges:\n  - title: no\n    text: Money.")
    assert errors(tmp_path, text) == [
        "9:12: challenges[0].title: expected text, or a mapping from language code to text "
        "(en: ..., ru: ...), got a yes/no value"]


def test_sources_must_exist_inside_the_project(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("x\n")
    text = MINIMAL + "sources:\n  - data.csv\n  - missing.csv\n  - ../../etc/passwd\n"
    assert errors(tmp_path, text) == [
        f"14:5: sources[1]: 'missing.csv' does not exist (paths are relative to {tmp_path}/)",
        "15:5: sources[2]: '../../etc/passwd' is outside the project",
    ]


def test_brief_id_comes_from_the_file_name(tmp_path: Path) -> None:
    assert errors(tmp_path, MINIMAL, name="Bad_Name") == [
        "1:1: : the file name 'Bad_Name' is not a valid brief id (lowercase letters, digits "
        "and hyphens)"]


def test_json_schema_describes_the_format() -> None:
    schema = brief_json_schema()
    json.dumps(schema)  # serialisable
    assert set(schema["required"]) == {"title", "date", "languages", "summary", "necessity",
                                       "achievements", "challenges", "recommendations"}
    # bare list items are allowed, as the format says
    assert {"type": "string"} in schema["properties"]["challenges"]["items"]["anyOf"][1]["anyOf"]


def test_unknown_fields_are_reported_with_errors_too(tmp_path: Path) -> None:
    text = (MINIMAL.replace("date: 2024-05-01", "date: soon")
            .replace("  - {en: Money., ru: Деньги.}", "  - {text: Money., titel: Cash}")
            + "refrences: []\n")
    assert errors(tmp_path, text) == [
        "2:7: date: expected a date as YYYY-MM-DD, got 'soon'",
        "9:20: challenges[0].titel: unknown field 'titel' is ignored; did you mean 'title'?",
        "12:1: refrences: unknown field 'refrences' is ignored; did you mean 'references'?"]
