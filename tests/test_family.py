"""Brief families (format 1.7): a brief per row of a table, its placeholders filled in
each language's way; staleness per member; every broken row or placeholder a located
error naming the data's row and column; a row's values are text, never code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import MINIMAL, REPO, Project
from .test_build import pdf_text

REGIONS = """\
code,name,name.ru,cases,share
north,North,Север,7831,19.654
south,South,Юг,292,2.5
east,East,Восток,12,0.5
"""

FAMILY = """\
family: {data: regions, key: code}
data:
  regions: ../data/regions.csv
title: {en: "Water security in {name}", ru: "Водная безопасность: {name}"}
date: 2024-05-01
languages: [en, ru]
summary:
  en: "{name} reported {cases} cases, {share:1} per cent of the total."
  ru: "{name}: {cases} случаев, {share:1} % от общего числа."
key_figures:
  - value: "{cases}"
    label: {en: "cases in {name}", ru: "случаев"}
necessity: {en: "Because {{braces}} stay.", ru: Потому что.}
""" + MINIMAL[MINIMAL.index("achievements:"):]


@pytest.fixture
def family(project: Project) -> Project:
    project.write("data/regions.csv", REGIONS)
    project.brief("water", FAMILY)
    return project


def built(project: Project, *args: str) -> list[str]:
    """The folders (brief ids) of the files a build wrote."""
    result = project.run("build", "--audience", "policymaker", *args)
    assert result.code == 0, result.err
    return sorted({line.split()[1].rstrip(":") for line in result.out.splitlines()
                   if line.strip().startswith("made")})


def test_a_brief_per_row_each_language_set_its_own_way(family: Project) -> None:
    assert built(family) == ["water-east", "water-north", "water-south"]
    out = family.root / "build"
    english = pdf_text(out / "water-north/water-north-policymaker-en.pdf")
    russian = pdf_text(out / "water-north/water-north-policymaker-ru.pdf")
    assert "Water security in North" in english
    assert "North reported 7,831 cases, 19.7 per cent of the total." in english
    assert "Because {braces} stay." in english
    # name.ru in Russian text; the number grouped and the decimal comma as Russian sets them.
    assert "Водная безопасность: Север" in russian
    assert "Север: 7 831 случаев, 19,7 % от общего числа." in russian
    # A lone placeholder keeps the cell's type: the key figure is a number, formatted.
    assert "7,831 cases in North" in english
    assert (out / "water-south/water-south.csl.json").is_file()
    assert not (out / "water").exists()


def test_an_edited_row_rebuilds_its_member_only_and_a_removed_row_its_files(
        family: Project) -> None:
    built(family)
    assert built(family) == []
    edited = REGIONS.replace("292", "318")
    family.write("data/regions.csv", edited)
    assert built(family) == ["water-south"]
    assert built(family) == []
    family.write("data/regions.csv", edited.replace("east,East,Восток,12,0.5\n", ""))
    result = family.run("build", "--audience", "policymaker")
    assert result.code == 0, result.err
    assert result.out.endswith("0 built, 12 up to date, 0 failed; 10 removed\n"), result.out
    assert not (family.root / "build/water-east").exists()
    assert (family.root / "build/water-north/water-north-policymaker-en.pdf").is_file()
    # The brief file is every member's: an edit to it rebuilds them all.
    family.brief("water", FAMILY.replace("Fund it.", "Fund it now."))
    assert built(family) == ["water-north", "water-south"]


def test_an_edited_row_says_what_changed_in_that_member(family: Project) -> None:
    built(family)
    family.write("data/regions.csv", REGIONS.replace("292", "318"))
    result = family.run("build", "--audience", "policymaker")
    changed = [line for line in result.out.splitlines() if line.strip().startswith("changed")]
    assert changed and all("water-south:" in line for line in changed)
    assert any('key figure "cases in South" 292 → 318' in line for line in changed)


@pytest.mark.parametrize(("csv", "text", "error"), [
    (REGIONS.replace("south,South,Юг,292", "south,South,Юг,"), FAMILY,
     "briefs/water.yaml:8:7: summary.en: {cases}: data/regions.csv:3:16: row 2 (code south) "
     "has no value in column 'cases' (in water-south)"),
    (REGIONS, FAMILY.replace("{name} reported", "{nmae} reported"),
     "briefs/water.yaml:8:7: summary.en: {nmae}: ../data/regions.csv has no column 'nmae'; "
     "did you mean 'name'? (in every member)"),
    (REGIONS, FAMILY.replace("Because {{braces}}", "Because {braces"),
     "briefs/water.yaml:13:17: necessity.en: '{' is not a placeholder: write {column} or "
     "{column:1}, and {{ or }} for a brace (in every member)"),
    (REGIONS.replace("south,", "So uth,"), FAMILY,
     "briefs/water.yaml:1:30: family.key: data/regions.csv:3:1: 'so uth' cannot name a "
     "member: its id 'water-so uth' must be lowercase letters, digits and hyphens, up to "
     "100"),
    (REGIONS.replace("south,", "north,"), FAMILY,
     "briefs/water.yaml:1:30: family.key: data/regions.csv:3:1: 'north' names row 1 "
     "already"),
    (REGIONS, FAMILY.replace("key: code", "key: id"),
     "briefs/water.yaml:1:30: family.key: ../data/regions.csv has no column 'id' (its "
     "columns: code, name, name.ru, cases, share)"),
    (REGIONS, FAMILY.replace("data: regions, key", "data: region, key"),
     "briefs/water.yaml:1:16: family.data: unknown data id 'region': the family's table "
     "is one of the brief's data: files; did you mean 'regions'?"),
])
def test_a_broken_row_or_placeholder_is_located_in_the_brief_and_the_data(
        family: Project, csv: str, text: str, error: str) -> None:
    family.write("data/regions.csv", csv)
    family.brief("water", text)
    family.brief("plain", """\
        title: Plain
        date: 2024-05-01
        languages: [en]
        summary: Act now.
        necessity: Because.
        achievements: [A treaty.]
        challenges: [Money.]
        recommendations: [Fund it.]
        """)
    result = family.run("build", "--audience", "policymaker")
    assert result.code == 1
    assert error in result.err.splitlines(), result.err
    assert "Traceback" not in result.err
    # The other briefs, and the other members of a family with one bad row, are made.
    assert (family.root / "build/plain/plain-policymaker-en.pdf").is_file()
    if "row 2 (code south)" in error:
        assert (family.root / "build/water-north/water-north-policymaker-ru.pdf").is_file()


def test_a_bad_row_keeps_its_members_previous_outputs(family: Project) -> None:
    built(family)
    pdf = family.root / "build/water-south/water-south-policymaker-en.pdf"
    before = pdf.read_bytes()
    family.write("data/regions.csv", REGIONS.replace("south,South,Юг,292", "south,South,Юг,"))
    result = family.run("build", "--audience", "policymaker")
    assert result.code == 1
    assert pdf.read_bytes() == before


def test_a_rows_values_are_text_never_code_or_markup(family: Project) -> None:
    hostile = ('evil,"{{ config.items() }} {cases} <script>alert(1)</script>'
               '<img src=x onerror=alert(1)>",Зло,1,1\n')
    family.write("data/regions.csv", REGIONS + hostile)
    assert "water-evil" in built(family)
    page = (family.root / "build/water-evil/water-evil-policymaker-en.html").read_text()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as the text it is
    text = pdf_text(family.root / "build/water-evil/water-evil-policymaker-en.pdf")
    # Filled once: a value that looks like a placeholder or a template stays as written.
    assert "{{ config.items() }} {cases} <script>alert(1)</script>" in text


def test_a_rows_text_is_shown_as_written_not_read_as_markdown(family: Project) -> None:
    family.write("data/regions.csv", REGIONS.replace(
        "south,South,Юг", 'south,"2019. A*B and R&D <Holdings> [x](y)",Юг'))
    family.brief("water", FAMILY.replace('summary:\n  en: "{name} reported',
                                         'summary:\n  en: "{name}\n\n{name} reported'))
    assert "water-south" in built(family)
    text = pdf_text(family.root / "build/water-south/water-south-policymaker-en.pdf")
    assert "2019. A*B and R&D <Holdings> [x](y) reported 292 cases" in text
    assert "Water security in 2019. A*B and R&D <Holdings> [x](y)" in text


def test_the_family_file_as_written_is_what_translators_get(family: Project) -> None:
    result = family.run("translations", "export", "--lang", "ru")
    assert result.code == 0, result.err
    xliff = (family.root / "translations/water.ru.xlf").read_text()
    assert "Water security in {name}" in xliff and "Water security in North" not in xliff


@pytest.mark.slow
def test_the_sample_family_builds_a_brief_per_asean_member_state_in_both_languages(
        tmp_path: Path) -> None:
    root = tmp_path / "asean-members"
    shutil.copytree(REPO / "examples" / "asean-members", root,
                    ignore=shutil.ignore_patterns("build"))
    project = Project(root)
    result = project.run_process("build", "--audience", "policymaker")
    assert result.code == 0, result.err
    members = sorted(p.name for p in (root / "build").iterdir() if p.is_dir()
                     and not p.name.startswith("."))
    assert members == [f"china-asean-member-{code}" for code in
                       ("bn", "id", "kh", "la", "mm", "my", "ph", "sg", "th", "vn")]
    for member in members:
        for lang in ("en", "ru"):
            pdf = root / "build" / member / f"{member}-policymaker-{lang}.pdf"
            assert len(PdfReader(pdf).pages) == 1
    philippines = root / "build/china-asean-member-ph/china-asean-member-ph-policymaker"
    english = pdf_text(philippines.with_name(philippines.name + "-en.pdf"))
    # The title breaks after "anti-": the extracted line ends there.
    assert "The Philippines in China–ASEAN anti-corruption cooperation" in re.sub(
        r"-\s+", "-", english)
    assert "Филиппины в антикоррупционном сотрудничестве Китая и АСЕАН" in pdf_text(
        philippines.with_name(philippines.name + "-ru.pdf"))


def test_check_reads_every_member(family: Project) -> None:
    result = family.run("check", "--no-layout")
    assert result.code == 0, result.err
    lines = [line for line in result.out.splitlines() if line.startswith("briefs/")]
    assert lines == [f"briefs/water.yaml (water-{key}): translated en 7/7, ru 7/7 (7 "
                     "unconfirmed)" for key in ("north", "south", "east")]
    assert result.out.splitlines()[-1] == "3 brief(s) checked: 0 error(s), 0 warning(s)"


def test_a_figure_of_the_whole_table_makes_every_member_depend_on_every_row(
        family: Project) -> None:
    family.brief("water", FAMILY.replace(
        'key_figures:\n  - value: "{cases}"',
        'key_figures:\n  - value: {data: regions, column: cases, aggregate: sum}\n'
        '    label: {en: "cases in all regions", ru: "случаев во всех регионах"}\n'
        '  - value: "{cases}"'))
    assert built(family) == ["water-east", "water-north", "water-south"]
    family.write("data/regions.csv", REGIONS.replace("292", "1292"))
    assert built(family) == ["water-east", "water-north", "water-south"]
    text = pdf_text(family.root / "build/water-north/water-north-policymaker-en.pdf")
    assert "9,135 cases in all regions" in text  # 7831 + 1292 + 12
