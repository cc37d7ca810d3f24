"""Fitting an edition to its page budget: the largest type scale that fits, in few passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.editions import Project, make_edition
from briefgen.load import load_yaml
from briefgen.model import BriefFile, validate_brief
from briefgen.pdf import ResourcePolicy, lay_out
from briefgen.render import Templates

from .conftest import MINIMAL, SAMPLES
from .conftest import Project as ScratchProject

SENTENCE = "Shared rivers need shared rules, shared data and the money to enforce both. "


def long_brief(sentences: int) -> str:
    """MINIMAL with a two-paragraph necessity of ``sentences`` sentences each."""
    paragraph = (SENTENCE * sentences).strip()
    return MINIMAL.replace("necessity: {en: Because., ru: Потому что.}",
                           f"necessity:\n  en: |\n    {paragraph}\n\n    {paragraph}\n"
                           "  ru: Потому что.")


def load(root: Path, text: str, templates: Templates) -> BriefFile:
    path = root / "briefs" / "long.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return validate_brief(load_yaml(path), set(templates.audiences), root)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_third_too_long_is_fitted_to_one_page_in_at_most_four_passes(
        tmp_path: Path, paper: str) -> None:
    templates = Templates(None)
    audience = templates.audience("policymaker")
    typography = audience.config.typography
    brief_file = load(tmp_path, long_brief(36), templates)
    at_base = lay_out(templates.render(brief_file, audience, "en", paper), tmp_path,
                      ResourcePolicy((tmp_path,))).used
    assert 1.2 <= at_base <= 1.45, "the premise: about a third too long at the base size"

    edition = make_edition(brief_file, audience, "en", templates, paper)
    assert edition.ok and edition.problems == []
    assert edition.fit.layout.pages == 1
    assert typography.floor <= edition.fit.scale.font_size < typography.font_size
    assert edition.fit.passes <= 4
    # the largest step that fits: one step larger overflows
    scales = typography.scales()
    larger = scales[scales.index(edition.fit.scale) - 1]
    html = templates.render(brief_file, audience, "en", paper, larger)
    assert lay_out(html, tmp_path, ResourcePolicy((tmp_path,))).pages > 1
    # the chosen scale is what the written HTML says
    assert f"font-size: {edition.fit.scale.font_size}pt" in edition.html


def test_a_brief_that_fits_costs_exactly_one_layout(tmp_path: Path) -> None:
    templates = Templates(None)
    brief_file = load(tmp_path, MINIMAL, templates)
    for name in ("policymaker", "practitioner", "academic"):
        edition = make_edition(brief_file, templates.audience(name), "en", templates, "a4")
        assert edition.fit.passes == 1
        assert edition.fit.scale == templates.audience(name).config.typography.base


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_samples_are_one_page_on_both_papers(paper: str) -> None:
    project = Project(SAMPLES.parent)
    templates = project.templates()
    audience = templates.audience("policymaker")
    for path in sorted(SAMPLES.glob("*.yaml")):
        brief_file = validate_brief(load_yaml(path), set(templates.audiences), project.root)
        edition = make_edition(brief_file, audience, "en", templates, paper)
        assert edition.ok and edition.fit.layout.pages == 1, path


def test_too_long_even_at_the_floor_says_what_to_cut(project: ScratchProject) -> None:
    path = project.brief("long", MINIMAL)
    project.brief("other")
    assert project.run("build").code == 0
    pdf = project.root / "build/long/long-policymaker-en.pdf"
    before = pdf.read_bytes()
    path.write_text(long_brief(70), encoding="utf-8")
    result = project.run("build")
    assert result.code == 1 and "Traceback" not in result.err
    lines = result.err.splitlines()
    head = next(line for line in lines if "policymaker-en:" in line)
    match = re.fullmatch(r"briefs/long\.yaml:1:1: policymaker-en: (\d\.\d\d) pages at 8 pt, "
                         r"the floor of its type scale; the budget is 1 page: cut about "
                         r"(\d+) words", head)
    assert match, head
    used, words = float(match[1]), int(match[2])
    assert 1.0 < used < 2.0 and words > 0
    necessity = next(line for line in lines if line.startswith("briefs/long.yaml:5:1: "
                                                               "necessity: takes "))
    assert re.search(r"takes \d\.\d\d pages with \d+ words; cut about \d+ here", necessity)
    assert any(line.startswith("briefs/long.yaml:4:1: summary: takes ") for line in lines)
    assert pdf.read_bytes() == before  # the previous good PDF is kept
    # every other output of the run is built: long's other editions and the other brief
    assert "failed  build/long/long-policymaker-en.pdf" in result.err
    assert "failed  build/long/long-policymaker-ru.pdf" not in result.err
    # the bilingual sheet is made of the two fitted pages, so it fails with English
    assert ("failed  build/long/long-policymaker-en-ru.pdf (a language it is made of "
            "failed)") in result.err
    assert ", 4 failed" in result.out.splitlines()[-1]
    assert (project.root / "build/long/long-practitioner-en.pdf").exists()
    assert (project.root / "build/other/other-policymaker-en.pdf").exists()


def test_project_paper_setting(project: ScratchProject) -> None:
    project.brief("water")
    project.write("briefgen.yaml", "paper: letter\n")
    assert project.run("build", "--audience", "policymaker").code == 0
    page = PdfReader(project.root / "build/water/water-policymaker-en.pdf").pages[0]
    assert round(float(page.mediabox.width)) == 612
    assert project.run("build", "--audience", "policymaker", "--paper", "a4").code == 0
    page = PdfReader(project.root / "build/water/water-policymaker-en.pdf").pages[0]
    assert round(float(page.mediabox.width)) == 595
    project.write("briefgen.yaml", "paper: a3\n")
    bad = project.run("build")
    assert bad.code == 1
    assert bad.err.startswith("briefgen.yaml:1:8: paper: Input should be 'a4' or 'letter'")


@pytest.mark.parametrize("audience_name", ["practitioner", "academic"])
def test_no_heading_is_left_alone_at_the_bottom_of_a_page(audience_name: str) -> None:
    project = Project(SAMPLES.parent)
    templates = project.templates()
    audience = templates.audience(audience_name)
    for path in sorted(SAMPLES.glob("*.yaml")):
        brief_file = validate_brief(load_yaml(path), set(templates.audiences), project.root)
        layout = make_edition(brief_file, audience, "en", templates, "a4").fit.layout
        assert layout.pages > 1, "the premise: a page break to look at"
        for number, page in enumerate(layout.document.pages, start=1):
            blocks = [box for box in page._page_box.children[0].descendants()
                      if getattr(box, "element_tag", None) in ("h2", "h3", "p", "li")]
            assert blocks[-1].element_tag not in ("h2", "h3"), (path.name, number)
