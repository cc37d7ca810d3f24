"""Evidence: quotes looked up in their sources, the claims that lose theirs when a source
changes, coverage, and what a reader sees of it (the editorial mark, risks, who acts,
how old the data are)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.source.evidence import read_document, skeleton

from .conftest import Project, copy_samples
from .test_build import pdf_text

PAPER = """\
# Water in the valley

The reservoirs held 41% of capacity in August 2023, the lowest level
since records began. Three new dams were com-
pleted in 2022; the "river basin authority" now meets every quarter.
"""

BRIEF = """\
title: {en: Water security, ru: Водная безопасность}
date: 2024-05-01
languages: [en, ru]
for: {en: Minister of Water, ru: Министр водного хозяйства}
summary: {en: Reservoirs are at a record low., ru: Водохранилища на рекордно низком уровне.}
necessity: {en: Because., ru: Потому что.}
sources: [../sources/paper.md]
evidence:
  summary: {ref: paper, quote: "the lowest level since records began"}
key_figures:
  - value: 41
    unit: "%"
    label: {en: of reservoir capacity, ru: от ёмкости водохранилищ}
    data_as_of: 2023-08
    evidence: {ref: paper, quote: "The reservoirs held 41% of capacity in August 2023"}
achievements:
  - date: 2022
    text: {en: Three dams built., ru: Построены три плотины.}
    evidence: {ref: paper, quote: "Three new dams were completed in 2022", section: "1"}
challenges:
  - title: {en: Falling reserves, ru: Сокращение запасов}
    text: {en: Reserves fall., ru: Запасы сокращаются.}
    evidence:
      - {ref: paper, quote: "THE RIVER BASIN AUTHORITY now meets every quarter"}
risks:
  - title: {en: Taps may run dry, ru: Возможны перебои с водой}
    text: {en: "Without rain, supply fails.", ru: "Без дождей водоснабжение прервётся."}
    basis: editorial
recommendations:
  - action: {en: Ration irrigation water, ru: Ввести лимиты на полив}
    actor: {en: Ministry of Agriculture, ru: Министерство сельского хозяйства}
    forum: {en: Basin authority, ru: Бассейновое управление}
    by: 2025-03
    text: {en: Irrigation takes most water., ru: На полив уходит больше всего воды.}
    basis: editorial
references:
  - id: paper
    text: Water in the valley.
    file: ../sources/paper.md
"""


@pytest.fixture
def sourced(project: Project) -> Project:
    project.write("sources/paper.md", PAPER)
    project.brief("water", BRIEF)
    return project


def test_quotes_are_found_whatever_their_spacing_hyphenation_quotes_and_case(
        sourced: Project) -> None:
    result = sourced.run("check", "--no-layout")
    assert result.code == 0, result.err
    assert result.err == ""
    # summary, necessity, the figure, the achievement, the challenge; risk and advice are
    # the editors' own.
    assert ("  evidence for 4/5 claims, 80% (2 editorial); 4/4 quotes found in their sources"
            in result.out.splitlines())


def test_a_quote_not_in_its_source_names_the_closest_passage(sourced: Project) -> None:
    sourced.brief("water", BRIEF.replace("Three new dams were completed in 2022",
                                         "Four new dams were completed in 2021"))
    result = sourced.run("check", "--no-layout")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "briefs/water.yaml:19:35: achievements[0].evidence[0].quote: not found in "
        "sources/paper.md; the closest passage (87% alike): \u201cThree new dams were "
        "com- pleted in 2022\u201d")


def test_a_quote_nothing_like_its_source_says_so(sourced: Project) -> None:
    sourced.brief("water", BRIEF.replace('"the lowest level since records began"',
                                         '"Glaciers feed the northern lakes"'))
    result = sourced.run("check", "--no-layout")
    assert re.match(r"briefs/water\.yaml:9:32: evidence\.summary\[0\]\.quote: not found in "
                    r"sources/paper\.md, nor anything like it \(the closest passage is "
                    r"\d+% alike\)$", result.err.splitlines()[0])


def test_evidence_must_cite_a_known_reference_with_a_file_among_the_sources(
        sourced: Project) -> None:
    sourced.brief("water", BRIEF.replace("{ref: paper, quote: \"the lowest",
                                         "{ref: papr, quote: \"the lowest")
                  .replace("sources: [../sources/paper.md]", "sources: []"))
    errors = sourced.run("check", "--no-layout").err.splitlines()
    assert "briefs/water.yaml:9:18: evidence.summary[0].ref: unknown reference 'papr'; " \
           "did you mean 'paper'?" in errors
    assert ("briefs/water.yaml:39:11: references[0].file: '../sources/paper.md' is not one "
            "of this brief's sources: (add it there; quotes are checked only against the "
            "brief's sources)") in errors


def test_a_quote_whose_reference_has_no_file_is_a_warning(sourced: Project) -> None:
    sourced.brief("water", BRIEF.replace("    file: ../sources/paper.md\n", ""))
    result = sourced.run("check", "--no-layout")
    assert result.code == 0
    assert result.err.splitlines()[0] == (
        "briefs/water.yaml:9:32: warning: evidence.summary[0].quote: cannot be checked: "
        "reference 'paper' names no file: (one of this brief's sources:)")
    assert "; 0/4 quotes found in their sources" in result.out


def test_a_sourced_claim_needs_evidence(sourced: Project) -> None:
    sourced.brief("water", BRIEF.replace("    basis: editorial\nrecommendations:",
                                         "    basis: source\nrecommendations:"))
    assert "briefs/water.yaml:26:5: risks[0]: basis 'source' needs evidence: (or write " \
           "basis: editorial)" in sourced.run("check", "--no-layout").err.splitlines()


def test_a_source_edit_that_removes_a_quote_fails_the_brief_and_keeps_its_outputs(
        sourced: Project) -> None:
    assert sourced.run("build").code == 0
    pdf = sourced.root / "build/water/water-policymaker-en.pdf"
    before = pdf.read_bytes()
    sourced.write("sources/paper.md", PAPER.replace("Three new dams", "Two new dams"))
    result = sourced.run("build")
    assert result.code == 1
    assert ("briefs/water.yaml:19:35: achievements[0].evidence[0].quote: not found in "
            "sources/paper.md; the closest passage (87% alike): \u201cbegan. Two new dams"
            ) in result.err
    assert pdf.read_bytes() == before  # the good PDF stays
    assert result.out.splitlines()[-1].endswith("1 brief(s) invalid")
    # Put back, it builds again; an edit that keeps every quote rebuilds without a word.
    sourced.write("sources/paper.md", PAPER + "\nA new paragraph.\n")
    rebuilt = sourced.run("build")
    assert rebuilt.code == 0  # the only change said is the paper's:
    assert [line for line in rebuilt.out.splitlines() if line.startswith("   changed")] == [
        "   changed  water: file sources/paper.md changed"]


def test_a_pdf_source_is_read_page_by_page(project: Project, tmp_path: Path) -> None:
    from weasyprint import HTML

    pages = "".join(f'<p style="break-after: page">{text}</p>' for text in (
        "An introduction.", "The reservoirs held 41% of capacity in August 2023, the "
        "lowest level since records began."))
    (project.root / "sources").mkdir()
    HTML(string=f"<html><body>{pages}</body></html>").write_pdf(project.root /
                                                                "sources/paper.pdf")
    document = read_document(project.root / "sources/paper.pdf")
    assert len(document.page_starts) == 2
    assert [document.page_at(start) for start, _ in document.find("41% of capacity")] == [2]
    brief = BRIEF.replace("paper.md", "paper.pdf")
    project.brief("water", brief.replace(
        '"the lowest level since records began"}',
        '"the lowest level since records began", page: 2}').replace(
        'quote: "Three new dams were completed in 2022", section: "1"',
        'quote: "An introduction", page: 2').replace(
        "quote: \"THE RIVER BASIN AUTHORITY now meets every quarter\"",
        "quote: \"An introduction\""))
    errors = project.run("check", "--no-layout").err.splitlines()
    assert errors == ["briefs/water.yaml:19:35: achievements[0].evidence[0].quote: found on "
                      "page 1 of sources/paper.pdf, not on page 2"]


def test_an_unreadable_source_is_an_error_at_the_source(sourced: Project) -> None:
    (sourced.root / "sources/paper.md").write_bytes(b"\xff\xfe\x00 not text")
    errors = sourced.run("check", "--no-layout").err.splitlines()
    assert errors[0] == ("sources/paper.md:1:1: cannot be read: not UTF-8 text (byte 0); text, "
                         "Markdown and PDF sources are read")


def test_skeleton_keeps_letters_and_digits_only() -> None:
    assert skeleton("«Anti-corruption»,\n co-\noperation 2017")[0] == (
        "anticorruptioncooperation2017")
    assert skeleton("ﬁnal ÉTAT")[0] == "finalétat"


@pytest.mark.slow
def test_every_edition_shows_the_editorial_mark_and_what_it_means(sourced: Project) -> None:
    assert sourced.run("build").code == 0
    built = sorted((sourced.root / "build/water").glob("*.pdf"))
    assert len(built) == 9
    for pdf in built:
        text = pdf_text(pdf)
        assert "†" in text, pdf.name
        if "-ru" in pdf.name or pdf.name.endswith("-ru.pdf"):
            assert "Оценка редакции, а не вывод цитируемых источников." in text, pdf.name
        if "-en" in pdf.name:
            assert "The editors’ judgement, not a finding of the sources cited." in text, (
                pdf.name)
    page = pdf_text(sourced.root / "build/water/water-policymaker-en.pdf")
    for seen in ("Prepared for: Minister of Water", "The problem", "Falling reserves",
                 "Taps may run dry", "Ration irrigation water", "Who: Ministry of Agriculture",
                 "Where: Basin authority", "By: March 2025", "data to August 2023"):
        assert seen in page, seen
    assert "Irrigation takes most water." not in page  # one page: the action, not the why
    page_ru = pdf_text(sourced.root / "build/water/water-policymaker-ru.pdf")
    for seen in ("Адресат: Министр водного хозяйства", "Суть проблемы", "Риски",
                 "Кто: Министерство сельского хозяйства", "данные на август 2023 г."):
        assert seen in page_ru, seen
    for audience in ("practitioner", "academic"):
        full = pdf_text(sourced.root / f"build/water/water-{audience}-en.pdf")
        for seen in ("Risks", "Without rain, supply fails.", "Ration irrigation water",
                     "Irrigation takes most water.", "Who: Ministry of Agriculture"):
            assert seen in full, (audience, seen)
    html = (sourced.root / "build/water/water-practitioner-en-ru.html").read_text()
    assert html.count('class="editorial-note"') == 2
    assert html.count("<h2 id=\"risks-") == 2


def test_every_claim_of_the_samples_is_quoted_from_its_paper_or_marked_editorial(
        project: Project) -> None:
    copy_samples(project.root)
    result = project.run("check", "--no-layout")
    assert result.code == 0, result.err
    assert result.err == ""
    coverage = re.findall(r"evidence for (\d+)/(\d+) claims, (\d+)% \((\d+) editorial\); "
                          r"(\d+)/(\d+) quotes found in their sources", result.out)
    assert len(coverage) == 2
    for supported, claims, percent, editorial, found, quoted in coverage:
        assert supported == claims and percent == "100" and found == quoted, coverage
        assert int(claims) >= 20 and int(quoted) >= 50 and int(editorial) >= 1


def test_a_broken_pdf_source_is_an_error_at_the_source(sourced: Project) -> None:
    (sourced.root / "sources/paper.pdf").write_bytes(b"%PDF-1.4\n not really a PDF")
    sourced.brief("water", BRIEF.replace("paper.md", "paper.pdf"))
    assert sourced.run("check", "--no-layout").err.splitlines()[0] == (
        "sources/paper.pdf:1:1: cannot be read: not a readable PDF (Failed to load document "
        "(PDFium: Data format error).)")


@pytest.mark.parametrize(("quote", "found"), [
    ("The reservoirs held 41% of capacity", True),
    ("The reservoirs held 4.1% of capacity", False),  # a decimal point is part of a number
    ("The reservoirs held -41% of capacity", False),  # so is a sign
    ("the LOWEST level since  records began", True),
])
def test_numbers_keep_their_points_and_signs_when_quotes_are_compared(
        sourced: Project, quote: str, found: bool) -> None:
    sourced.brief("water", BRIEF.replace("The reservoirs held 41% of capacity in August 2023",
                                         quote))
    result = sourced.run("check", "--no-layout")
    assert (result.code == 0) is found, result.err
    if not found:  # for the quote's numbers, not for anything else
        assert result.err.startswith("briefs/water.yaml:15:35: key_figures[0].evidence[0]."
                                     "quote: not found in sources/paper.md"), result.err


def test_thousands_separators_do_not_count() -> None:
    assert skeleton("7,831 people")[0] == skeleton("7831 people")[0]
    assert skeleton("19.654 billion")[0] != skeleton("19654 billion")[0]
    assert skeleton("G-20, -5")[0] == "g20-5"  # a hyphen in a word is no sign


@pytest.mark.parametrize(("edit", "error"), [
    (('quote: "the lowest level since records began"', 'quote: "a"'),
     "briefs/water.yaml:9:32: evidence.summary[0].quote: a quote of 1 letters and digits "
     "proves nothing; quote the passage the claim rests on, in its words"),
    (('quote: "the lowest level since records began"',
      'quote: "the lowest level \\u202Esince records began"'),
     "briefs/water.yaml:9:32: evidence.summary[0].quote: contains U+202E RIGHT-TO-LEFT "
     "OVERRIDE, an invisible character that can disguise text; remove it"),
    (('section: "1"', 'section: "a\\x07b"'),
     "briefs/water.yaml:19:85: achievements[0].evidence[0].section: contains the control "
     "character U+0007; remove it"),
    (("    by: 2025-03", "    by: 2025-13"),
     "briefs/water.yaml:33:9: recommendations[0].by: expected a date as YYYY, YYYY-MM or "
     "YYYY-MM-DD, got '2025-13'"),
    (("    by: 2025-03", "    by: [2025, 2026]"),
     "briefs/water.yaml:33:9: recommendations[0].by: expected a date (YYYY, YYYY-MM or "
     "YYYY-MM-DD) or words (a milestone), got a list"),
])
def test_evidence_and_actions_are_checked_as_text(sourced: Project, edit: tuple[str, str],
                                                  error: str) -> None:
    sourced.brief("water", BRIEF.replace(*edit))
    result = sourced.run("check", "--no-layout")
    assert result.code == 1
    assert result.err.splitlines() == [error]


def test_a_page_on_a_text_source_is_a_warning(sourced: Project) -> None:
    sourced.brief("water", BRIEF.replace('"the lowest level since records began"}',
                                         '"the lowest level since records began", page: 3}'))
    result = sourced.run("check", "--no-layout")
    assert result.code == 0
    assert result.err.splitlines() == [
        "briefs/water.yaml:9:32: warning: evidence.summary[0].quote: found, but page 3: "
        "sources/paper.md is not a PDF, and has no pages to check it against (give section: "
        "instead)"]


@pytest.mark.parametrize(("name", "error"), [
    ("../sources/pa\\0per.md", "per.md' is not a file name"),
    ("../sources/" + "a" * 300 + ".md", "cannot be used: File name too long"),
    ("../sources/loop.md", "cannot be used: Symlink loop"),
    ("../sources", "'../sources' is not a regular file (a folder, a device or a pipe)"),
    ("water.yaml", "'water.yaml' is a brief: a brief cannot be evidence for a brief"),
    ("../build/water.html", "'../build/water.html' is in briefgen's output folder: a brief "
     "cannot be evidence for itself"),
])
def test_a_source_that_cannot_be_evidence_is_a_located_error(sourced: Project, name: str,
                                                             error: str) -> None:
    (sourced.root / "sources/loop.md").symlink_to("loop2.md")
    (sourced.root / "sources/loop2.md").symlink_to("loop.md")
    sourced.write("build/.briefgen-manifest.json", "{}")
    sourced.write("build/water.html", "<p>the lowest level since records began</p>")
    sourced.brief("water", BRIEF.replace("sources: [../sources/paper.md]",
                                         f'sources: ["{name}"]')
                  .replace("file: ../sources/paper.md", f'file: "{name}"'))
    result = sourced.run("check", "--no-layout")
    assert result.code == 1
    assert error in result.err, result.err
    assert "internal error" not in result.err


def test_a_source_of_too_many_letters_is_refused_before_it_is_held(sourced: Project) -> None:
    # U+FDFA becomes 18 letters when normalized: 200,000 of them, 3.6 million letters
    sourced.write("sources/paper.md", PAPER + "\ufdfa" * 200_000)
    assert sourced.run("check", "--no-layout").err.splitlines()[0] == (
        "sources/paper.md:1:1: cannot be read: more than 3,000,000 letters of text")


def test_a_pdf_without_text_says_so(project: Project) -> None:
    from weasyprint import HTML

    (project.root / "sources").mkdir()
    HTML(string="<html><body><div style='height: 5cm'></div></body></html>").write_pdf(
        project.root / "sources/paper.pdf")
    project.brief("water", BRIEF.replace("paper.md", "paper.pdf"))
    assert project.run("check", "--no-layout").err.splitlines()[0] == (
        "sources/paper.pdf:1:1: cannot be read: a PDF without text (a scan?); quotes are "
        "checked against text: add its text layer, or give its text as a .txt file")


def test_a_figure_read_from_data_that_its_quotes_no_longer_hold_is_a_warning(
        project: Project) -> None:
    from .conftest import copy_samples

    copy_samples(project.root)
    figures = project.root / "data/china-asean-figures.csv"
    figures.write_text(figures.read_text().replace(",292,", ",318,"), encoding="utf-8")
    result = project.run("check", "--no-layout")
    assert result.code == 0
    assert result.err.splitlines() == [
        "briefs/china-asean-anticorruption.yaml:40:12: warning: key_figures[0].value: 318, "
        "read from data, is not in this figure's quotes: the data have moved on from the "
        "passage; quote the new source, or say the figure is newer than it"]


@pytest.mark.parametrize(("quote", "value", "held"), [
    ("including 292 from ASEAN countries", 292, True),
    ("including 2920 from ASEAN countries", 292, False),  # a whole number, not a part
    ("extradition treaties with six countries", 6, True),  # as a word
    ("cooperation projects since 2016", 6, False),
    ("retrieved 19.654 billion yuan", 19.654, True),
])
def test_a_figure_is_held_by_its_quote_as_a_whole_number(quote: str, value: float,
                                                         held: bool) -> None:
    from briefgen.source.evidence import _as_quoted, _holds

    number = _as_quoted(value)
    assert number is not None and _holds(quote, number, value) is held
    assert _as_quoted(100 * 292 / 799) is None  # a share no passage writes
