"""Translations exchanged with CAT tools: XLIFF 2.0 and PO files that translate-toolkit
reads back, and their translations written into the brief's YAML with its comments and
layout kept, byte for byte where nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Project

BRIEF = """\
# The water brief: a comment the round trip keeps.
title: {en: Water security, ru: Водная безопасность}
date: 2024-05-01
languages: [en, ru]
status: {ru: draft}
summary: {en: Act now., ru: Действуйте сейчас.}
necessity:
  # why it matters
  en: |
    Because the rivers are **shared**.

    - one basin
    - two states
achievements:
  - {en: A treaty., ru: Договор.}
challenges:
  - text: {en: "Money: too little, too late."}
    title: {en: Funding}
recommendations:
  - {en: Fund the basin commission.}
references:
  - {id: un, text: United Nations (2024). Water report.}
"""


@pytest.fixture
def water(project: Project) -> Project:
    project.brief("water", BRIEF)
    return project


def units(path: str) -> dict[str, tuple[str, str | None]]:
    from translate.storage import pypo, xliff2

    parser = pypo.pofile if path.endswith(".po") else xliff2.Xliff2File
    with open(path, "rb") as handle:
        store = parser.parsefile(handle)
    return {(u.getcontext() if path.endswith(".po") else u.getid()): (
        str(u.source), str(u.target) if u.target else None)
        for u in store.units if not u.isheader()}


def translate(path: Path, targets: dict[str, str]) -> None:
    """Fill in the targets of the units named, as a translator's CAT tool does."""
    from translate.storage import pypo, xliff2

    po = path.suffix == ".po"
    with path.open("rb") as handle:
        store = (pypo.pofile if po else xliff2.Xliff2File).parsefile(handle)
    for unit in store.units:
        name = unit.getcontext() if po else unit.getid()
        if name in targets:
            unit.target = targets[name]
    path.write_bytes(bytes(store))


def test_an_xliff_export_that_translate_toolkit_reads_back(water: Project) -> None:
    result = water.run("translations", "export", "--lang", "ru")
    assert result.code == 0, result.err
    assert result.out == "wrote translations/water.ru.xlf: 7 field(s)\n"
    path = str(water.root / "translations/water.ru.xlf")
    assert units(path) == {
        "title": ("Water security", "Водная безопасность"),
        "summary": ("Act now.", "Действуйте сейчас."),
        "necessity": ("Because the rivers are **shared**.\n\n- one basin\n- two states\n",
                      None),
        "achievements[0].text": ("A treaty.", "Договор."),
        "challenges[0].text": ("Money: too little, too late.", None),
        "challenges[0].title": ("Funding", None),
        "recommendations[0].text": ("Fund the basin commission.", None)}
    xml = (water.root / "translations/water.ru.xlf").read_text()
    assert '<file id="f1" original="briefs/water.yaml">' in xml
    # XLIFF 2.0: a unit's notes before its segment, not inside it.
    assert ('<unit id="necessity" xml:space="preserve">\n      <notes>\n        <note '
            'category="developer">briefs/water.yaml:9:3: necessity; not yet translated'
            '</note>') in xml
    again = water.run("translations", "export", "--lang", "ru")
    assert again.code == 0 and (water.root / "translations/water.ru.xlf").read_text() == xml


def test_an_import_with_nothing_new_leaves_the_brief_byte_identical(water: Project) -> None:
    before = (water.root / "briefs/water.yaml").read_bytes()
    for fmt in ("xliff", "po"):
        assert water.run("translations", "export", "--lang", "ru", "--format", fmt).code == 0
        suffix = "xlf" if fmt == "xliff" else "po"
        result = water.run("translations", "import", f"translations/water.ru.{suffix}")
        assert result.code == 0, result.err
        assert result.out == (f"briefs/water.yaml: 0 translation(s) written from "
                              f"translations/water.ru.{suffix}, 0 confirmed; 3 "
                              "translation(s) in the brief not yet confirmed (briefgen "
                              "confirm --lang ru)\n")
        assert (water.root / "briefs/water.yaml").read_bytes() == before


def test_translations_arrive_in_the_yaml_with_comments_and_markdown_kept(
        water: Project) -> None:
    assert water.run("translations", "export", "--lang", "ru", "--only", "missing").code == 0
    translate(water.root / "translations/water.ru.xlf", {
        "necessity": "Потому что реки **общие**.\n\n- один бассейн\n- два государства\n",
        "challenges[0].text": "Деньги: слишком мало и слишком поздно.",
        "challenges[0].title": "Финансирование"})
    result = water.run("translations", "import", "translations/water.ru.xlf")
    assert result.code == 0, result.err
    assert result.out == ("briefs/water.yaml: 3 translation(s) written from "
                          "translations/water.ru.xlf, 3 confirmed; 3 translation(s) in the "
                          "brief not yet confirmed (briefgen confirm --lang ru)\n")
    assert (water.root / "briefs/water.yaml").read_text() == BRIEF.replace(
        "    - two states\n", "    - two states\n  ru: |\n    Потому что реки **общие**.\n\n"
        "    - один бассейн\n    - два государства\n").replace(
        '{en: "Money: too little, too late."}',
        '{en: "Money: too little, too late.", ru: "Деньги: слишком мало и слишком поздно."}'
    ).replace("{en: Funding}", "{en: Funding, ru: Финансирование}")
    record = json.loads((water.root / "briefs/water.translations.json").read_text())
    assert sorted(record["confirmed"]["ru"]) == ["challenges[0].text", "challenges[0].title",
                                                 "necessity"]
    check = water.run("check", "--no-layout")
    assert "translated en 7/7, ru 6/7 (draft, 3 unconfirmed)" in check.out


def test_a_po_round_trip_and_a_translation_of_an_older_source(water: Project) -> None:
    assert water.run("translations", "export", "--lang", "ru", "--format", "po").code == 0
    path = water.root / "translations/water.ru.po"
    assert b'"POT-Creation-Date: 2024-05-01 00:00+0000\\n"' in path.read_bytes()
    translate(path, {"recommendations[0].text": "Профинансировать бассейновую комиссию."})
    # Meanwhile the writer rewords the English the translator worked from.
    water.brief("water", BRIEF.replace("Fund the basin commission.", "Fund the commission."))
    result = water.run("translations", "import", "translations/water.ru.po")
    assert result.code == 0, result.err
    assert result.out == ("briefs/water.yaml: 1 translation(s) written from "
                          "translations/water.ru.po, 0 confirmed; 1 of a source text that "
                          "changed since the export, not confirmed; 4 translation(s) in the "
                          "brief not yet confirmed (briefgen confirm --lang ru)\n")
    assert ("{en: Fund the commission., ru: Профинансировать бассейновую комиссию.}"
            in (water.root / "briefs/water.yaml").read_text())


def test_a_file_briefgen_did_not_write_is_refused(water: Project) -> None:
    water.write("other.po", 'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\nmsgid "a"\nmsgstr "б"\n')
    result = water.run("translations", "import", "other.po")
    assert result.code == 2
    assert result.err == ("briefgen: error: other.po: names no brief or no target language; "
                          "import files that `briefgen translations export` wrote\n")


def test_a_folded_block_and_the_blank_line_after_it_stay_as_written(project: Project) -> None:
    from .conftest import MINIMAL

    brief = MINIMAL.replace("summary: {en: Act now., ru: Действуйте сейчас.}\n",
                            "summary:\n  en: >-\n    Act now,\n    before the rains.\n\n")
    project.brief("water", brief)
    assert project.run("translations", "export", "--lang", "ru").code == 0
    translate(project.root / "translations/water.ru.xlf", {"summary": "Действуйте до дождей."})
    assert project.run("translations", "import", "translations/water.ru.xlf").code == 0
    assert (project.root / "briefs/water.yaml").read_text() == brief.replace(
        "    before the rains.\n\n", "    before the rains.\n  ru: >-\n    Действуйте до "
        "дождей.\n\n")


def test_an_export_keeps_a_file_that_may_hold_a_translators_work(water: Project) -> None:
    assert water.run("translations", "export", "--lang", "ru").code == 0
    path = water.root / "translations/water.ru.xlf"
    translate(path, {"necessity": "Потому что."})
    worked = path.read_bytes()
    again = water.run("translations", "export", "--lang", "ru")
    assert again.code == 1 and path.read_bytes() == worked
    assert again.err == ("translations/water.ru.xlf is there already and may hold a "
                         "translator's work: import it first, or export with --force\n")
    assert water.run("translations", "export", "--lang", "ru", "--force").code == 0
    assert path.read_bytes() != worked
