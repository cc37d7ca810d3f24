"""The command line as a user meets it: init, new, check, clean, schema, help, usage
errors."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_init_starts_a_project_that_builds_and_checks(tmp_path: Path) -> None:
    folder = tmp_path / "water-policy"
    folder.mkdir()
    project = Project(folder)
    empty = project.run("build")
    assert empty.code == 2
    assert empty.err == ("briefgen: error: briefs: no such file or folder; to start a "
                         "project here, run `briefgen init`\n")
    result = project.run("init")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "wrote briefgen.yaml", "wrote briefs/water-policy.yaml", "wrote brief.schema.json",
        "wrote .gitignore", "next: briefgen build   (then open build/index.html)"]
    assert json.loads((folder / "brief.schema.json").read_text()) == json.loads(
        project.run("schema").out)  # where the skeleton's first line points
    assert (folder / "briefs/water-policy.yaml").read_text().startswith(
        "# yaml-language-server: $schema=../brief.schema.json")
    assert project.run("build").code == 0
    check = project.run("check", "--no-layout")
    assert check.code == 0 and check.out.endswith("0 error(s), 0 warning(s)\n")
    again = project.run("init")
    assert again.code == 2 and "is a briefgen project already" in again.err


def test_clean_removes_only_what_briefgen_wrote(tmp_path: Path) -> None:
    from .conftest import MINIMAL

    project = Project(tmp_path)
    project.brief("water", MINIMAL)
    assert project.run("build", "--audience", "policymaker").code == 0
    project.write("build/notes.txt", "mine")
    result = project.run("clean")
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["removed 15 file(s) from build/",
                                       "kept build/notes.txt (not written by briefgen)"]
    assert sorted(p.name for p in (tmp_path / "build").rglob("*")) == ["notes.txt"]
    again = project.run("clean")  # the notes keep the folder; it has no manifest
    assert again.code == 2 and "holds no briefgen manifest" in again.err
    (tmp_path / "build/notes.txt").unlink()
    (tmp_path / "build").rmdir()
    assert project.run("clean").out == "removed 0 file(s) from build/\n"  # nothing there


def test_serve_answers_the_hosts_it_was_started_on() -> None:
    from briefgen.live.serve import answered_hosts

    assert answered_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000"}
    assert answered_hosts("192.168.1.5", 80) == {"192.168.1.5:80", "192.168.1.5"}
    assert answered_hosts("0.0.0.0", 8000) is None


def test_every_help_is_whole_at_80_columns() -> None:
    """No command's help runs past 80 columns, and no summary is cut short with '...'."""
    import click
    from click.testing import CliRunner

    from briefgen.cli import cli

    def commands(group: click.Group, prefix: list[str]) -> list[list[str]]:
        found = [prefix]
        for name, command in group.commands.items():
            found += (commands(command, [*prefix, name]) if isinstance(command, click.Group)
                      else [[*prefix, name]])
        return found

    names = commands(cli, [])
    assert ["translations", "export"] in names and ["init"] in names
    for args in names:
        result = CliRunner().invoke(cli, [*args, "--help"], terminal_width=80)
        assert result.exit_code == 0, args
        summaries = result.output.partition("Commands:")[2]
        assert "..." not in summaries, args
        assert max(len(line) for line in result.output.splitlines()) <= 80, args


def test_build_says_a_line_a_brief(project: Project) -> None:
    import re

    from .conftest import MINIMAL

    project.brief("water", MINIMAL)
    project.brief("rivers", MINIMAL)
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert [re.sub(r"at [\d.-]+ pt, [\d.]+ s", "at X pt, T s", line) for line in lines] == [
        "      made  rivers: 6 built, 0 unchanged: 3 PDF(s), 4 page(s) at X pt, T s; its "
        "citation written",
        "      made  water: 6 built, 0 unchanged: 3 PDF(s), 4 page(s) at X pt, T s; its "
        "citation written",
        "front page  build/index.html (written, and index.ru.html)",
        "12 built, 0 up to date, 0 failed"]
    explained = project.run("build", "--audience", "policymaker", "--force", "--explain")
    assert (" unchanged  build/water/water-policymaker-en.pdf" in explained.out
            and "[--force]" in explained.out)
