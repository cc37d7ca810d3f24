"""The command line as a user meets it: new, check, schema, help, usage errors."""

from __future__ import annotations

import json

import pytest

from .conftest import Project


def test_new_writes_a_skeleton_that_passes_check(project: Project) -> None:
    result = project.run("new", "water-security")
    assert result.code == 0 and result.out == "wrote briefs/water-security.yaml\n"
    text = (project.root / "briefs/water-security.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../brief.schema.json")
    assert 'en: "Water security"' in text
    check = project.run("check")
    assert check.code == 0, check.err
    assert check.err == ""
    assert "briefs/water-security.yaml: translated en 10/10\n" in check.out
    assert "\n  policymaker-en: 1/1 page(s) at 10.5 pt; " in check.out
    assert project.run("build").code == 0


def test_new_never_overwrites_and_checks_the_id(project: Project) -> None:
    assert project.run("new", "water").code == 0
    again = project.run("new", "water")
    assert again.code == 2
    assert again.err == "briefgen: error: briefs/water.yaml already exists; briefgen never " \
                        "overwrites a brief\n"
    bad = project.run("new", "Water_Security")
    assert bad.code == 2 and "is not a valid brief id" in bad.err


def test_schema_is_json_schema(project: Project) -> None:
    result = project.run("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "title" in schema["properties"] and "$defs" in schema


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["new"], ["schema"]])
def test_every_command_has_help(project: Project, command: list[str]) -> None:
    result = project.run(*command, "--help")
    assert result.code == 0
    assert "Usage: briefgen" in result.out
    if command == ["build"]:
        for option in ("--out", "--audience", "--paper", "--strict", "--quiet", "--debug"):
            assert option in result.out


def test_usage_errors_exit_2(project: Project) -> None:
    missing = project.run("build", "nowhere")
    assert missing.code == 2
    assert missing.err == "briefgen: error: nowhere: no such file or folder\n"
    project.brief("water")
    audience = project.run("build", "--audience", "board")
    assert audience.code == 2
    assert audience.err == ("briefgen: error: unknown audience 'board' (known: academic, "
                            "policymaker, practitioner)\n")
    assert project.run("build", "--paper", "a3").code == 2


def test_letter_paper(project: Project) -> None:
    from pypdf import PdfReader

    project.brief("water")
    assert project.run("build", "--paper", "letter", "--audience", "policymaker").code == 0
    page = PdfReader(project.root / "build/water/water-policymaker-en.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_committed_schema_matches_the_code(project: Project) -> None:
    from .conftest import REPO

    committed = (REPO / "brief.schema.json").read_text(encoding="utf-8")
    assert project.run("schema").out == committed, "refresh: briefgen schema > brief.schema.json"


def test_docs_errors_lists_what_briefgen_prints() -> None:
    from .conftest import REPO
    from .error_catalog import document

    assert (REPO / "docs/errors.md").read_text(encoding="utf-8") == document(), (
        "refresh: python -m tests.error_catalog > docs/errors.md")
