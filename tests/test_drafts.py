"""Draft translations: a language marked `status: {ru: draft}` builds green, its
untranslated passages in the source language and marked in the PDF's and the HTML's
text, with one warning a brief and language; --release and --strict refuse it."""

from __future__ import annotations

from .conftest import Project
from .test_build import pdf_text

# Three of the seven fields translated, as a translator leaves it mid-way.
PARTIAL = """\
title: {en: Water security, ru: Водная безопасность}
date: 2024-05-01
languages: [en, ru]
status: {ru: draft}
summary: {en: Act now., ru: Действуйте сейчас.}
necessity: {en: Because the rivers are shared.}
achievements:
  - {en: A treaty., ru: Договор.}
challenges:
  - {en: Money.}
recommendations:
  - {en: Fund the basin commission.}
references:
  - {id: un, text: United Nations (2024). Water report.}
"""


def test_a_draft_translation_builds_green_with_its_gaps_marked(project: Project) -> None:
    project.brief("water", PARTIAL)
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "briefs/water.yaml:4:14: warning: status.ru: a draft translation: 3 of 6 fields not "
        "yet translated into 'ru' are shown in 'en', marked"]
    text = " ".join(pdf_text(project.root / "build/water/water-policymaker-ru.pdf").split())
    assert ("Черновик перевода: отмеченные фрагменты ещё не переведены и приведены на "
            "языке оригинала.") in text
    assert text.count("НЕ ПЕРЕВЕДЕНО") == 3  # necessity, the problem, the recommendation
    assert "НЕ ПЕРЕВЕДЕНО Because the rivers are shared." in text
    assert "Действуйте сейчас." in text
    html = (project.root / "build/water/water-policymaker-ru.html").read_text()
    assert ('<div class="untranslated" lang="en"><p><span class="untranslated-mark" lang="ru">'
            "не переведено</span> Because the rivers are\u00a0shared.</p></div>") in html
    assert '<p class="draft-band" role="note"><strong>Черновик перевода</strong>' in html
    english = pdf_text(project.root / "build/water/water-policymaker-en.pdf")
    assert "Draft" not in english and "not yet translated" not in english
    # The bilingual edition is made too, its Russian half marked.
    assert "Черновик перевода" in pdf_text(
        project.root / "build/water/water-policymaker-en-ru.pdf")


def test_release_and_strict_refuse_a_draft(project: Project) -> None:
    project.brief("water", PARTIAL)
    for flag in ("--release", "--strict"):
        result = project.run("build", "--audience", "policymaker", flag)
        assert result.code == 1
        lines = result.err.splitlines()
        assert lines[0] == ("briefs/water.yaml:4:14: status.ru: a draft translation is not "
                            "published under --release or --strict")
        assert "briefs/water.yaml:6:12: necessity: missing 'ru' translation" in lines
        assert not (project.root / "build/water/water-policymaker-ru.pdf").exists()
        assert (project.root / "build/water/water-policymaker-en.pdf").is_file()


def test_a_release_after_a_draft_build_removes_the_draft_editions(project: Project) -> None:
    """Class: --release after an ordinary build found every edition up to date and left
    the draft's files published."""
    project.brief("water", PARTIAL)
    assert project.run("build", "--audience", "policymaker").code == 0
    assert (project.root / "build/water/water-policymaker-ru.pdf").is_file()
    result = project.run("build", "--audience", "policymaker", "--release")
    assert result.code == 1
    assert (" failed  build/water/water-policymaker-ru.pdf (a draft translation is not "
            "published under --release or --strict; its files are removed)") in result.err
    assert sorted(p.name for p in (project.root / "build/water").glob("*.pdf")) == [
        "water-policymaker-en.pdf"]
    assert "policymaker-ru" not in (project.root / "build/index.html").read_text()
    assert not (project.root / "build/index.ru.html").exists()  # no Russian left


def test_a_finished_draft_says_it_can_be_published(project: Project) -> None:
    from .conftest import MINIMAL

    project.brief("water", MINIMAL.replace("languages: [en, ru]\n",
                                           "languages: [en, ru]\nstatus: {ru: draft}\n"))
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 0
    assert result.err.splitlines() == [
        "briefs/water.yaml:4:14: warning: status.ru: a draft translation, every field "
        "translated: remove 'ru' from status: to publish it"]
    text = pdf_text(project.root / "build/water/water-policymaker-ru.pdf")
    assert "Черновик перевода." in text and "НЕ ПЕРЕВЕДЕНО" not in text


def test_status_names_only_a_translation(project: Project) -> None:
    project.brief("water", PARTIAL.replace("status: {ru: draft}", "status: {en: draft, "
                                                                   "de: final}"))
    result = project.run("check", "--no-layout")
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        "briefs/water.yaml:4:10: status.en: 'en' is not one of the brief's translations "
        "(languages: after the first)",
        "briefs/water.yaml:4:21: status.de: 'de' is not one of the brief's translations "
        "(languages: after the first)"]


def test_check_counts_the_fields_written_per_language_and_its_problems(
        project: Project) -> None:
    project.brief("water", PARTIAL.replace("status: {ru: draft}\n", ""))
    result = project.run("check", "--no-layout")
    assert result.code == 1
    errors = result.err.splitlines()
    assert len(errors) == 3 and all("missing 'ru' translation" in e for e in errors)
    assert ("briefs/water.yaml: translated en 6/6, ru 3/6 (3 unconfirmed); 1 field(s) "
            "written once for every language") in result.out
    assert result.out.splitlines()[-1] == "1 brief(s) checked: 3 error(s), 0 warning(s)"


def test_a_draft_with_nothing_translated_builds_every_edition(project: Project) -> None:
    """Class: a draft's untranslated title and summary crashed the citation files and
    the front page, which read every field in the draft's language."""
    import json

    from .conftest import MINIMAL

    english = MINIMAL.replace("languages: [en, ru]", "languages: [en, ru]\nstatus: {ru: draft}")
    for russian in ("Водная безопасность", "Действуйте сейчас.", "Потому что.",
                    "Договор.", "Деньги.", "Профинансировать."):
        english = english.replace(f", ru: {russian}", "")
    project.brief("water", english)
    result = project.run("build")
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "briefs/water.yaml:4:14: warning: status.ru: a draft translation: 6 of 6 fields not "
        "yet translated into 'ru' are shown in 'en', marked"]
    record = json.loads((project.root / "build/water/water.csl.json").read_text())
    assert [(r["language"], r["title"]) for r in record] == [("en", "Water security"),
                                                             ("ru", "Water security")]
    front = (project.root / "build/index.ru.html").read_text()
    assert '<h2 id="brief-water">Water security</h2>' in front
    assert "Черновик перевода: отмеченные фрагменты" in " ".join(
        pdf_text(project.root / "build/water/water-academic-ru.pdf").split())


def test_adding_a_language_reports_no_change_in_text_written_once(project: Project) -> None:
    """Class: adding Russian said "references[0].text (ru) added" for a text written once
    for every language, which did not change."""
    english = PARTIAL.replace("languages: [en, ru]\nstatus: {ru: draft}\n", "languages: [en]\n")
    project.brief("water", english)
    assert project.run("build", "--audience", "policymaker").code == 0
    project.brief("water", PARTIAL)
    said = [line for line in project.run("build", "--audience", "policymaker").out.splitlines()
            if line.startswith("   changed")]
    assert said and not any("references" in line for line in said)
