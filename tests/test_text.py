"""Markdown -> sanitized HTML, and locale formats."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.text.convert import inline_markdown_to_html, markdown_to_html, plain_text
from briefgen.text.formats import format_full_date, format_number, format_partial_date

from .conftest import MINIMAL, Project


def test_markdown_blocks() -> None:
    html = markdown_to_html("One *two*.\n\n- a\n- [b](https://example.org)\n")
    assert html == ('<p>One <em>two</em>.</p>\n<ul>\n<li>a</li>\n<li><a href="https://example.org"'
                    ' rel="noopener noreferrer">b</a></li>\n</ul>')


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>Hi",
    "<img src=x onerror=alert(1)>Hi",
    "[Hi](javascript:alert(1))",
    "<a href=\"JaVaScRiPt:alert(1)\">Hi</a>",
    "<iframe src=\"https://evil.example\"></iframe>Hi",
    "<style>body{display:none}</style>Hi",
    "<p onclick=\"alert(1)\">Hi</p>",
])
def test_dangerous_html_never_survives(source: str) -> None:
    for render in (markdown_to_html, inline_markdown_to_html):
        html = str(render(source)).lower()
        assert "hi" in html
        for needle in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style",
                       "alert(1)</"):
            assert needle not in html


def test_inline_markdown_has_no_paragraph() -> None:
    assert inline_markdown_to_html("*Title* of [it](https://x.org)") == (
        '<em>Title</em> of <a href="https://x.org" rel="noopener noreferrer">it</a>')
    assert inline_markdown_to_html("- not a list") == "- not a list"


def test_plain_text_drops_markup_and_keeps_characters() -> None:
    assert plain_text("*China's* R&D <b>x</b>") == "China’s R&D x"


def test_template_syntax_in_content_is_just_text() -> None:
    assert markdown_to_html("{{ 7*7 }} {% raw %}") == "<p>{{ 7*7 }} {% raw %}</p>"


def test_locale_formats() -> None:
    assert format_number(7831, "en") == "7,831"
    assert format_number(19.654, "en") == "19.654"
    assert format_number("2013", "en") == "2013"
    assert format_full_date(dt.date(2017, 11, 13), "en") == "13\u00a0November\u00a02017"
    assert format_partial_date("2017", "en") == "2017"
    assert format_partial_date("2019-04", "en") == "April\u00a02019"
    assert format_partial_date("2016-11-02", "en") == "2\u00a0November\u00a02016"


def test_key_figure_precision() -> None:
    assert format_number(19.654, "en", 1) == "19.7"
    assert format_number(19.654, "ru", 1) == "19,7"
    assert format_number(7831, "ru", 0) == "7\u00a0831"
    assert format_number(0.125, "en", 2) == "0.13"  # half up, as a writer rounds
    assert format_number(2.5, "en", 0) == "3"
    assert format_number(0.1e-5, "en") == "0.000001"  # no precision: every digit given


TABLE = """Returns by region:

| Region | 2019 | 2020 |
| --- | --- | --- |
| ASEAN countries | 200 | 292 |
| Other <td onclick="x()" style="color:red">countries</td> | 1 434 | n/a |
"""


def test_a_markdown_table_is_a_table_with_its_figures_aligned() -> None:
    html = str(markdown_to_html(TABLE, "en"))
    assert '<th scope="col">Region</th>' in html
    assert '<th align="right" scope="col">2019</th>' in html  # over a column of figures
    assert '<td align="right">292</td>' in html
    assert "<td>ASEAN countries</td>" in html
    assert "onclick" not in html and "style" not in html
    assert '<td align="right">n/a</td>' not in html  # not a figure


@pytest.mark.slow
def test_a_table_reaches_the_pdf_and_the_html_in_both_languages(project: Project) -> None:
    from .test_build import pdf_text

    english = TABLE.replace("\n", "\n    ")
    russian = english.replace("Region", "Регион")
    project.brief("t", MINIMAL.replace(
        "necessity: {en: Because., ru: Потому что.}",
        f"necessity:\n  en: |\n    {english}\n  ru: |\n    {russian}"))
    assert project.run("build", "--audience", "practitioner").code == 0
    html = (project.root / "build/t/t-practitioner-en-ru.html").read_text()
    assert html.count("<table>") == 2 and '<th scope="col">Регион</th>' in html
    text = pdf_text(project.root / "build/t/t-practitioner-en-ru.pdf")
    assert "Region 2019 2020" in text and "Регион 2019 2020" in text
    assert "ASEAN countries 200 292" in text


def test_notes_are_taken_out_of_a_text_with_their_places() -> None:
    from briefgen.text.convert import NOTE_MARK, markdown_blocks_with_notes, markdown_with_notes

    body, notes = markdown_with_notes("Rose[^a] and fell[^b], then rose[^a].\n\n"
                                      "[^a]: In 2020.\n[^b]: In *2021*.\n", "en")
    assert [int(m) for m in NOTE_MARK.findall(str(body))] == [0, 1, 0]
    assert [str(n).strip() for n in notes] == ["<p>In 2020.</p>", "<p>In <em>2021</em>.</p>"]
    # paragraph by paragraph (bilingual editions), each with the notes written anywhere
    blocks, notes = markdown_blocks_with_notes("One[^x].\n\n[^x]: Note,\n    continued.\n\n"
                                               "Two[^x].", "ru")
    assert len(blocks) == 2 and all(NOTE_MARK.search(str(b)) for b in blocks)
    assert [str(n).strip() for n in notes] == ["<p>Note,\ncontinued.</p>"]
    assert str(markdown_to_html("Plain[^x].\n\n[^x]: Gone.", "en")).strip() == "<p>Plain.</p>"


@pytest.mark.slow
def test_notes_are_endnotes_numbered_in_reading_order_in_each_language(
        project: Project) -> None:
    import re

    from .test_build import pdf_text

    project.brief("t", MINIMAL.replace(
        "summary: {en: Act now., ru: Действуйте сейчас.}",
        'summary: {en: "Act now.[^s]\\n\\n[^s]: Said so.", ru: "Сейчас.[^s]\\n\\n[^s]: Так."}')
        .replace("necessity: {en: Because., ru: Потому что.}",
                 'necessity: {en: "Rose[^1], fell[^2], rose.[^1]\\n\\n[^1]: In 2020.\\n'
                 '[^2]: In 2021.", ru: "Рост[^1], спад[^2].\\n\\n[^1]: В 2020 г.\\n'
                 '[^2]: В 2021 г."}'))
    assert project.run("build", "--audience", "practitioner").code == 0
    html = (project.root / "build/t/t-practitioner-en.html").read_text()
    assert re.findall(r'<a href="#note-(\d)"', html) == ["1", "2", "3", "2"]
    assert re.findall(r'<li id="note-(\d)"><p>([^<]*)</p>', html) == [
        ("1", "Said so."), ("2", "In 2020."), ("3", "In 2021.")]
    both = (project.root / "build/t/t-practitioner-en-ru.html").read_text()
    assert '<li id="note-ru-3"><p>В&nbsp;2021&nbsp;г.</p>' in both
    assert '<h2 id="notes-en">Notes</h2>' in both and '<h2 id="notes-ru">Примечания</h2>' in both
    text = pdf_text(project.root / "build/t/t-practitioner-en.pdf")
    assert "Rose2, fell3, rose.2" in text and "Said so. In 2020. In 2021." in text
    # a brief without notes has no notes section
    project.brief("t", MINIMAL)
    assert project.run("build", "--audience", "practitioner").code == 0
    assert 'class="notes"' not in (project.root / "build/t/t-practitioner-en.html").read_text()
