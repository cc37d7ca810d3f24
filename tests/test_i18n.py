"""Russian and bilingual editions: catalogs, locale formats, typography, staleness."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from pypdf import PdfReader

from briefgen.layout.measure import page_box
from briefgen.make.edition import Maker
from briefgen.source.briefs import load_brief
from briefgen.source.editions import Edition
from briefgen.source.project import BUILTIN_TEMPLATES, Project
from briefgen.source.translations import translation_states
from briefgen.text.catalogs import Gettext, catalog_path
from briefgen.text.convert import markdown_to_html
from briefgen.text.formats import format_full_date, format_number, format_partial_date
from briefgen.text.typography import russian_typography

from .conftest import MINIMAL, REPO, SAMPLES
from .conftest import Project as ScratchProject

NBSP = "\u00a0"


def test_every_interface_string_has_a_russian_translation() -> None:
    with (REPO / "babel.cfg").open() as cfg:
        from babel.messages.frontend import parse_mapping_cfg
        method_map, options_map = parse_mapping_cfg(cfg)
    used = {msg[2] if isinstance(msg[2], str) else msg[2][0]
            for folder in (BUILTIN_TEMPLATES, BUILTIN_TEMPLATES.parent / "render")
            for msg in extract_from_dir(str(folder), method_map, options_map)}
    with catalog_path("ru").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
    assert "not yet translated" in used
    assert used and used <= translated, used - translated
    # A translation pasted twice over (as a catalog merge once left one) reads twice.
    for message in catalog:
        for text in [message.string] if isinstance(message.string, str) else message.string:
            sentences = [s for s in re.split(r"(?<=[.!?])\s*", text) if s]
            assert len(sentences) == len(set(sentences)), text


def test_gettext_plural_forms_and_formatting() -> None:
    ru = Gettext("ru")
    assert ru("Key figures") == "Ключевые цифры"
    assert ru("Page %(page)s of %(pages)s", page=3, pages=4) == "Стр. 3 из 4"
    singular = "Timeline of %(num)s achievement, %(start)s to %(end)s"
    plural = "Timeline of %(num)s achievements, %(start)s to %(end)s"
    assert [ru.ngettext(singular, plural, n, start=1991, end=2020) for n in (1, 3, 8, 21)] == [
        "Хронология: 1 событие, 1991–2020 гг.", "Хронология: 3 события, 1991–2020 гг.",
        "Хронология: 8 событий, 1991–2020 гг.", "Хронология: 21 событие, 1991–2020 гг."]
    assert Gettext("en").ngettext(singular, plural, 8, start=1991, end=2020) == (
        "Timeline of 8 achievements, 1991 to 2020")


def test_locale_formats_of_dates_and_numbers() -> None:
    day = dt.date(2017, 11, 13)
    # a date is one unit on a line: no-break spaces
    assert format_full_date(day, "en") == f"13{NBSP}November{NBSP}2017"
    assert format_full_date(day, "ru") == f"13{NBSP}ноября{NBSP}2017{NBSP}г."
    assert format_partial_date("2019-04", "ru") == f"апрель{NBSP}2019{NBSP}г."
    assert format_number(7831, "en") == "7,831"
    assert format_number(7831, "ru") == f"7{NBSP}831"
    assert format_number(19.654, "en") == "19.654"
    assert format_number(19.654, "ru") == "19,654"


@pytest.mark.parametrize(("source", "expected"), [
    ('Механизм "10 + 1"', f"Механизм «10{NBSP}+{NBSP}1»"),
    ('Он сказал: "это "важно" для нас"', f"Он сказал: «это „важно“ для{NBSP}нас»"),
    ("в Маниле и на саммите", f"в{NBSP}Маниле и{NBSP}на{NBSP}саммите"),
    ("АСЕАН — ближайший сосед", f"АСЕАН{NBSP}— ближайший сосед"),
    ("в 2017 г. и 2014 гг.", f"в{NBSP}2017{NBSP}г. и{NBSP}2014{NBSP}гг."),
    ("с 13 ноября 2017 г. по сентябрь 2020", f"с{NBSP}13{NBSP}ноября{NBSP}2017{NBSP}г. по{NBSP}"
     f"сентябрь{NBSP}2020"),
    ("7 831 человек и 19,654 млрд юаней", f"7{NBSP}831 человек и{NBSP}19,654{NBSP}млрд юаней"),
    ("Вьетнам, Таиланд", "Вьетнам, Таиланд"),
    ("статья «China's rise»", "статья «China\u2019s rise»"),
])
def test_russian_typography(source: str, expected: str) -> None:
    assert russian_typography(source) == expected


def test_typography_applies_to_markdown_only_outside_code() -> None:
    assert markdown_to_html('Проект "Пояс и путь" в `"коде"`', "ru") == (
        "<p>Проект «Пояс и&nbsp;путь» в <code>\"коде\"</code></p>")
    # English: curly quotes and apostrophes (smarty), no-break spaces in "10 + 1"
    assert markdown_to_html('China\'s "10 + 1" mechanism, `"code"`', "en") == (
        "<p>China’s “10&nbsp;+&nbsp;1” mechanism, <code>\"code\"</code></p>")


def test_russian_text_is_hyphenated_but_never_its_last_word() -> None:
    html = str(markdown_to_html("Антикоррупционное сотрудничество государства-членами", "ru"))
    assert "Анти\u00adкор\u00adруп\u00adци\u00adон\u00adное" in html
    assert html.endswith("государства-\u2060членами</p>")  # whole, and unbreakable
    assert "\u00ad" not in str(markdown_to_html("Antidisestablishmentarianism matters", "en"))


def squash(text: str) -> str:
    """Text for comparison: no white space, no hyphens (a line may be hyphenated)."""
    return re.sub(r"[\s\u00ad\u00a0\u2010\-]", "", text)


@pytest.mark.parametrize("brief_id", ["china-anticorruption-new-era",
                                      "china-asean-anticorruption"])
def test_russian_pdf_text_is_the_source_text(sample_build: Path, brief_id: str) -> None:
    import yaml

    source = yaml.safe_load((SAMPLES / f"{brief_id}.yaml").read_text(encoding="utf-8"))
    reader = PdfReader(sample_build / brief_id / f"{brief_id}-practitioner-ru.pdf")
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    for heading in ("Главное", "Ключевые цифры", "Почему это важно", "Достигнутые результаты",
                    "Проблемы", "Риски", "Рекомендации", "Источники"):
        # headings may be set in capitals by the stylesheet
        assert squash(heading).upper() in text.upper(), heading
    paragraphs = [source["summary"]["ru"], *source["necessity"]["ru"].split("\n\n")]
    paragraphs += [c["text"]["ru"] for c in source["challenges"]]
    for paragraph in paragraphs:
        # Its start and its end: a paragraph may straddle a page, whose footer the
        # extracted text then holds in between.
        words = squash(paragraph.replace('"', ""))
        for part in (words[:60], words[-60:]):
            assert part in text.replace('"', ""), paragraph[:40]
    # fonts with Cyrillic, embedded as subsets
    fonts = {str(f["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert all(re.match(r"/[A-Z]{6}\+", f) for f in fonts), fonts
    assert any("PT-Sans" in f or "PTSans" in f for f in fonts), fonts
    assert not any("DejaVu" in f for f in fonts), "every glyph from the house fonts"


def test_bilingual_policymaker_is_one_page_per_language(sample_build: Path) -> None:
    brief_id = "china-asean-anticorruption"
    reader = PdfReader(sample_build / brief_id / f"{brief_id}-policymaker-en-ru.pdf")
    first, second = (page.extract_text() for page in reader.pages)
    assert "Bottom line".upper() in first.upper() and "Главное" not in first
    assert "ГЛАВНОЕ" in second.upper() and "Bottom line" not in second
    html = (sample_build / brief_id / f"{brief_id}-policymaker-en-ru.html").read_text()
    assert '<article class="language-page" lang="en">' in html
    assert '<article class="language-page" lang="ru">' in html


@pytest.mark.slow
def test_parallel_edition_aligns_each_paragraph_with_its_translation() -> None:
    maker = Maker.of(Project(SAMPLES.parent))
    audience = maker.templates.audience("practitioner")
    path = SAMPLES / "china-asean-anticorruption.yaml"
    brief_file = load_brief(path, maker.templates.audiences, SAMPLES.parent)
    edition = maker.make(brief_file, audience, Edition(("en", "ru")), "a4")
    assert edition.fits
    rows = 0
    for page in edition.layout.document.pages:
        seen: set[int] = set()
        for box in page_box(page).children[0].descendants():
            element = getattr(box, "element", None)
            if (element is None or id(element) in seen
                    or "row" not in (element.get("class") or "").split()):
                continue
            seen.add(id(element))
            cells = {}
            for inner in box.descendants():
                cell = getattr(inner, "element", None)
                if cell is not None and "cell" in (cell.get("class") or "").split():
                    cells.setdefault(cell.get("lang"), inner)
            assert list(cells) == ["en", "ru"]
            tops = {round(c.children[0].position_y, 2) for c in cells.values() if c.children}
            assert len(tops) == 1, element.get("data-field")
            rows += 1
    assert rows >= 25  # title, summary, figures, 2 paragraphs, 8 + 4 + 6 items, ...


def test_neutral_text_is_marked_with_its_language_on_other_language_pages(
        project: ScratchProject) -> None:
    # the reference is the paper's English title, written once for both languages
    project.brief("water", MINIMAL + "references:\n  - id: r\n    text: \"Zhang, Shuyue. "
                  "*China's Anti-Corruption Cooperation*\"\n")
    assert project.run("build", "--audience", "practitioner").code == 0
    html = (project.root / "build/water/water-practitioner-ru.html").read_text()
    assert '<html lang="ru">' in html
    # set by English rules, in English, on the Russian page
    assert '<span lang="en">Zhang, Shuyue. <em>China’s Anti-Corruption' in html


def test_change_in_source_flags_exactly_that_translation(project: ScratchProject) -> None:
    path = project.brief("water")
    assert project.run("confirm").out == "briefs/water.yaml: confirmed 6 translation(s)\n"
    assert (project.root / "briefs/water.translations.json").is_file()
    assert project.run("check", "--no-layout", "--strict").code == 0
    path.write_text(MINIMAL.replace("  - {en: Money., ru: Деньги.}",
                                    "  - {en: Money and staff., ru: Деньги.}"), encoding="utf-8")
    result = project.run("check", "--no-layout")
    assert result.code == 0  # a warning, not an error
    assert result.err.splitlines() == [
        "briefs/water.yaml:9:32: warning: challenges[0].text: the 'ru' translation may be "
        "outdated: the 'en' text changed since it was confirmed (briefgen confirm --lang ru "
        "--field challenges[0].text briefs/water.yaml)"]
    assert "ru 6/6 (1 possibly outdated)" in result.out
    assert project.run("check", "--no-layout", "--strict").code == 1
    # a translator updates the translation and confirms that one field
    confirmed = project.run("confirm", "--lang", "ru", "--field", "challenges[0].text")
    assert confirmed.out == "briefs/water.yaml: confirmed 1 translation(s)\n"
    again = project.run("check", "--no-layout", "--strict")
    assert again.code == 0 and again.err == ""


def test_confirm_refuses_unknown_languages_and_fields(project: ScratchProject) -> None:
    project.brief("water")
    bad = project.run("confirm", "--lang", "de")
    assert bad.code == 2
    assert bad.err == ("briefgen: error: briefs/water.yaml: 'de' is not a translation "
                       "language of this brief (its languages: en, ru)\n")
    assert project.run("confirm", "--field", "sumary").err == (
        "briefgen: error: briefs/water.yaml: no localized field 'sumary'\n")


@pytest.mark.slow
def test_samples_translations_are_confirmed_and_current() -> None:
    maker = Maker.of(Project(SAMPLES.parent))
    for path in sorted(SAMPLES.glob("*.yaml")):
        brief_file = load_brief(path, maker.templates.audiences, SAMPLES.parent)
        [state] = translation_states(brief_file)
        assert state.outdated == [] and state.unconfirmed == [], path.name
        edition = maker.make(brief_file, maker.templates.audience("policymaker"),
                             Edition.single("ru"), "a4")
        assert edition.fits and edition.layout.pages == 1
