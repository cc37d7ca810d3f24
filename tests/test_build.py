"""End to end: what a reader gets from `briefgen build`, and what a writer sees on errors."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import MINIMAL, Project

SAMPLE_IDS = ["china-anticorruption-new-era", "china-asean-anticorruption"]
AUDIENCES = ["academic", "policymaker", "practitioner"]
EDITIONS = ["en-ru", "en", "ru"]  # in sorted order of the file names
FULL = {"en": ["Bottom line", "Key figures", "Data", "Why it matters",
               "What has been achieved", "Challenges", "Risks", "Recommendations",
               "References"],
        "ru": ["Главное", "Ключевые цифры", "Данные", "Почему это важно",
               "Достигнутые результаты", "Проблемы", "Риски", "Рекомендации", "Источники"]}
EVIDENCE = {"en": "Evidence", "ru": "Обоснование"}  # the academic edition's quotes
HEADINGS = {
    # the argument in the main column, then the figures, the problem and risks beside it
    ("policymaker", "en"): ["Bottom line", "Why it matters", "What we recommend", "Key figures",
                            "The problem", "Risks"],
    ("policymaker", "ru"): ["Главное", "Почему это важно", "Что мы рекомендуем",
                            "Ключевые цифры", "Суть проблемы", "Риски"],
    **{("practitioner", lang): FULL[lang] for lang in ("en", "ru")},
    **{("academic", lang): [*FULL[lang], EVIDENCE[lang]] for lang in ("en", "ru")},
}


def outputs(folder: Path) -> list[Path]:
    """The briefs built into ``folder``, without briefgen's own hidden files."""
    return [p for p in folder.rglob("*.*") if not p.name.startswith(".")]


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(path).pages)


class Outline(HTMLParser):
    """The parts of an HTML page a screen reader and a browser care about."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.title = ""
        self.headings: list[tuple[str, str]] = []
        self.external: list[str] = []
        self.scripts = 0
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "html":
            self.lang = attr.get("lang") or ""
        if tag in ("title", "h1", "h2", "h3") and not (tag == "title" and self.title):
            self._open = tag
            if tag != "title":
                self.headings.append((tag, ""))
        if tag == "script":
            self.scripts += 1
        # What a browser would fetch: not a data: URI, not a link to an alternate page.
        fetched = {"img": not (attr.get("src") or "").startswith("data:"),
                   "link": attr.get("rel") != "alternate", "iframe": True,
                   "style": bool(attr.get("src"))}
        if fetched.get(tag):
            self.external.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "title" and not self.headings:
            self.title += data
        elif self._open:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, " ".join((text + data).split()))


def test_samples_build_every_audience_as_pdf_and_html(sample_build: Path) -> None:
    files = sorted(p.relative_to(sample_build).as_posix() for p in outputs(sample_build))
    assert files == sorted([f"{i}/{i}-{a}-{e}.{fmt}" for i in SAMPLE_IDS for a in AUDIENCES
                            for e in EDITIONS for fmt in ("html", "pdf")]
                           + [f"{i}/{i}.{kind}" for i in SAMPLE_IDS for kind in ("csl.json", "ris")]
                           + [f"{i}/{i}-policymaker-{lang}.png" for i in SAMPLE_IDS
                              for lang in ("en", "ru")]  # the front page's pictures
                           + ["index.html", "index.ru.html"])


@pytest.mark.parametrize("brief_id", SAMPLE_IDS)
def test_sample_page_budgets(sample_build: Path, brief_id: str) -> None:
    def pages(audience: str, edition: str) -> int:
        path = sample_build / brief_id / f"{brief_id}-{audience}-{edition}.pdf"
        return len(PdfReader(path).pages)

    for lang in ("en", "ru"):
        assert pages("policymaker", lang) == 1
        assert 1 <= pages("practitioner", lang) <= 4
        assert pages("academic", lang) >= pages("practitioner", lang)
    assert pages("policymaker", "en-ru") == 2  # one sheet: English, then Russian
    assert pages("practitioner", "en-ru") <= 8


@pytest.mark.parametrize("brief_id", SAMPLE_IDS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_pdf_text_has_every_section(sample_build: Path, brief_id: str, audience: str) -> None:
    text = pdf_text(sample_build / brief_id / f"{brief_id}-{audience}-en.pdf")
    for heading in HEADINGS[audience, "en"]:
        assert heading.upper() in text.upper(), heading
    if brief_id == "china-asean-anticorruption":
        for figure in ("7,831", "19.7", "292", "data to August 2020"):
            assert figure in text
        assert "Who: " in text  # who is to act on a recommendation
        evaluate = "Evaluate joint projects before scaling them up"
        if audience != "policymaker":
            assert "13 November 2017" in text
            assert evaluate in text  # a practitioner/academic-only recommendation
        else:
            assert evaluate not in text
    if audience == "academic":
        assert re.search(r"\[1\]", text)


def test_pdf_metadata(sample_build: Path) -> None:
    reader = PdfReader(sample_build / SAMPLE_IDS[1] / f"{SAMPLE_IDS[1]}-policymaker-en.pdf")
    info = reader.metadata
    assert info.title == "Anti-corruption cooperation between China and ASEAN"
    assert info["/CreationDate"].startswith("D:20261120")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    root = reader.trailer["/Root"]
    # tagged PDF/UA-1: structure tree, marked content, the title shown, the variant declared
    assert root.get("/StructTreeRoot") is not None
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    fonts = {str(f["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("PTSans" in f or "PT-Sans" in f for f in fonts), fonts


@pytest.mark.parametrize("audience", AUDIENCES)
def test_html_is_standalone_and_structured(sample_build: Path, audience: str) -> None:
    brief_id = SAMPLE_IDS[1]
    html = (sample_build / brief_id / f"{brief_id}-{audience}-en.html").read_text()
    outline = Outline()
    outline.feed(html)
    assert outline.lang == "en"
    assert outline.title == "Anti-corruption cooperation between China and ASEAN"
    assert outline.headings[0] == ("h1", "Anti-corruption cooperation between China and ASEAN")
    assert [text for tag, text in outline.headings if tag == "h2"] == HEADINGS[audience, "en"]
    assert outline.external == [] and outline.scripts == 0
    assert "<style>" in html and "@page" in html


def test_academic_citations_resolve_to_the_reference_list(sample_build: Path) -> None:
    brief_id = SAMPLE_IDS[1]
    html = (sample_build / brief_id / f"{brief_id}-academic-en.html").read_text()
    targets = set(re.findall(r'href="#(ref-[^"]+)"', html))
    assert targets == {"ref-asean-paper"}
    assert all(f'id="{t}"' in html for t in targets)
    reader = PdfReader(sample_build / brief_id / f"{brief_id}-academic-en.pdf")
    names = reader.named_destinations
    assert "ref-asean-paper" in names


# --- bad input ------------------------------------------------------------------------------

BAD_BRIEFS = {
    "syntax": ("title: {en: Oops\ndate: 2024-01-01\n",
               "briefs/syntax.yaml:2:5: YAML syntax: expected ',' or '}', but got ':' "
               "(while parsing a flow mapping)"),
    "duplicate": (MINIMAL + "summary: {en: Again}\n",
                  "briefs/duplicate.yaml:12:1: duplicate key 'summary' (first defined at "
                  "line 4)"),
    "missing": (MINIMAL.replace("necessity: {en: Because., ru: Потому что.}\n", ""),
                "briefs/missing.yaml:1:1: necessity: required field is missing"),
    "wrongtype": (MINIMAL.replace("date: 2024-05-01", "date: yesterday"),
                  "briefs/wrongtype.yaml:2:7: date: expected a date as YYYY-MM-DD, got "
                  "'yesterday'"),
    "dangling": (MINIMAL.replace("  - {en: A treaty., ru: Договор.}",
                                 "  - text: {en: A treaty., ru: Договор.}\n    source: nowhere"),
                 "briefs/dangling.yaml:8:13: achievements[0].source: unknown reference "
                 "'nowhere'"),
}


def test_bad_briefs_fail_with_located_errors_while_good_ones_build(project: Project) -> None:
    project.brief("good")
    for name, (text, _) in BAD_BRIEFS.items():
        project.write(f"briefs/{name}.yaml", text)
    project.write("briefs/typo.yaml", MINIMAL + "sumary: {en: x}\n")
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 1
    assert "Traceback" not in result.err
    errors = result.err.splitlines()
    for _, expected in BAD_BRIEFS.values():
        assert expected in errors
    assert ("briefs/typo.yaml:12:1: warning: sumary: unknown field 'sumary' is ignored; "
            "did you mean 'summary'?") in errors
    built = sorted(p.name for p in outputs(project.root / "build"))
    assert built == sorted([f"{brief}-policymaker-{lang}.{fmt}" for brief in ("good", "typo")
                            for lang in ("en-ru", "en", "ru") for fmt in ("html", "pdf")]
                           + [f"{brief}-policymaker-{lang}.png" for brief in ("good", "typo")
                              for lang in ("en", "ru")]  # the front page's pictures
                           + ["index.html", "index.ru.html", "good.csl.json", "good.ris",
                              "typo.csl.json", "typo.ris"])
    index = (project.root / "build/index.html").read_text()
    assert "good/good-policymaker-en.pdf" in index and "syntax" not in index
    assert result.out.splitlines()[-1] == "12 built, 0 up to date, 0 failed; 5 brief(s) invalid"


def test_strict_turns_warnings_into_failures(project: Project) -> None:
    project.brief("typo", MINIMAL + "sumary: {en: x}\n")
    result = project.run("build", "--strict")
    assert result.code == 1
    assert not (project.root / "build").exists()


def test_a_broken_brief_keeps_its_previous_outputs(project: Project) -> None:
    path = project.brief("water")
    assert project.run("build", "--audience", "policymaker").code == 0
    pdf = project.root / "build/water/water-policymaker-en.pdf"
    before = pdf.read_bytes()
    path.write_text(MINIMAL.replace("date: 2024-05-01", "date: soon"), encoding="utf-8")
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 1
    assert result.err.splitlines() == [
        "briefs/water.yaml:2:7: date: expected a date as YYYY-MM-DD, got 'soon'"]
    assert pdf.read_bytes() == before
    assert [p.name for p in pdf.parent.iterdir() if p.name.startswith(".")] == []


def test_missing_translation_fails_that_language_only(project: Project) -> None:
    project.brief("water", MINIMAL.replace("summary: {en: Act now., ru: Действуйте сейчас.}",
                                           "summary: {en: Act now.}"))
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 1
    assert "briefs/water.yaml:4:10: summary: missing 'ru' translation" in result.err
    assert (project.root / "build/water/water-policymaker-en.pdf").exists()
    assert not (project.root / "build/water/water-policymaker-ru.pdf").exists()
    check = project.run("check")
    assert check.code == 1
    assert "briefs/water.yaml: translated en 6/6, ru 5/6" in check.out
    assert "briefs/water.yaml:4:10: summary: missing 'ru' translation" in check.err


@pytest.mark.slow
def test_over_budget_edition_fails_and_keeps_the_previous_pdf(project: Project) -> None:
    path = project.brief("water")
    assert project.run("build").code == 0
    pdf = project.root / "build/water/water-policymaker-en.pdf"
    before = pdf.read_bytes()
    long_text = " ".join(["Rivers cross borders and so must the answers."] * 60)
    paragraphs = "\n\n    ".join([long_text] * 6)
    path.write_text(MINIMAL.replace("necessity: {en: Because., ru: Потому что.}",
                                    f"necessity: |\n    {paragraphs}"), encoding="utf-8")
    result = project.run("build")
    assert result.code == 1
    assert re.search(r"failed  build/water/water-policymaker-en.pdf \(\d\.\d\d pages at 8 pt; "
                     r"the policymaker budget is 1\)", result.err)
    assert pdf.read_bytes() == before
    assert (project.root / "build/water/water-academic-en.pdf").exists()


@pytest.mark.slow
def test_builds_in_separate_processes_are_byte_identical(project: Project) -> None:
    project.brief("water")
    assert project.run_process("build", hash_seed=1).code == 0
    first = {p: p.read_bytes() for p in outputs(project.root / "build")}
    for path in first:
        path.unlink()
    assert project.run_process("build", hash_seed=2).code == 0
    second = {p: p.read_bytes() for p in outputs(project.root / "build")}
    # 18 editions, the two pictures of the one-pagers, the two citation files and the
    # front page in English and Russian
    assert len(first) == 24 and first == second
    again = project.run_process("build", "--force", hash_seed=3)
    assert again.out.splitlines()[-1] == "0 built, 0 up to date, 0 failed; 18 remade unchanged"


def test_pdf_metadata_names_the_authors(project: Project) -> None:
    project.brief("water", MINIMAL + "authors:\n  - name: {en: Jane Roe, ru: Джейн Роу}\n"
                  "  - name: Ivan Petrov\n")
    assert project.run("build", "--audience", "policymaker").code == 0
    info = PdfReader(project.root / "build/water/water-policymaker-ru.pdf").metadata
    assert info.author == "Джейн Роу, Ivan Petrov"
    assert info.title == "Водная безопасность"


def test_timeline_is_vector_graphics_in_html_and_pdf(sample_build: Path) -> None:
    brief_id = SAMPLE_IDS[1]
    html = (sample_build / brief_id / f"{brief_id}-practitioner-en.html").read_text()
    svg = re.search(r"<svg class=\"timeline-chart\".*?</svg>", html, re.S)
    assert svg, "the timeline chart is inline SVG"
    assert 'role="img"' in svg[0]
    assert '<title id="timeline-title">Timeline of 6 achievements, 2004 to 2020</title>' in svg[0]
    assert svg[0].count("<circle") == 6
    # in the PDF the chart's year labels are drawn as text on the axis, next to each
    # other (the dated list below it, its text alternative, has its events between)
    text = pdf_text(sample_build / brief_id / f"{brief_id}-practitioner-en.pdf")
    assert re.search(r"2004\s+2006\s+2016\s+2017", text)


def test_front_page_lists_every_brief_in_each_language(sample_build: Path) -> None:
    for page, lang, title, titles in (
            ("index.html", "en", "Policy briefs",
             ["China’s international anti-corruption cooperation in the new era",
              "Anti-corruption cooperation between China and ASEAN"]),
            ("index.ru.html", "ru", "Аналитические записки",
             ["Международное антикоррупционное сотрудничество Китая в новую эпоху",
              "Антикоррупционное сотрудничество Китая и АСЕАН"])):
        html = (sample_build / page).read_text()
        outline = Outline()
        outline.feed(html)
        assert outline.lang == lang and outline.title == title
        assert [text for tag, text in outline.headings if tag == "h2"] == titles
        links = set(re.findall(r'href="([^"]+)"', html))
        # 36 editions, 2 pictures' PDFs among them, the other language's page, and
        # each brief's change log when it has one
        assert len(links) == 37
        assert all((sample_build / link).is_file() for link in links)
        # It fetches only the pictures of the one-pagers, files beside it (a thousand
        # inlined would make a page of 60 MB): nothing from the network.
        pictures = re.findall(r'<img src="([^"]+)"', html)
        assert len(pictures) == 2 and all(
            ":" not in src and (sample_build / src).is_file() for src in pictures)
        assert outline.external == ["img"] * 2 and outline.scripts == 0
