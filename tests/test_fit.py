"""Fitting an edition to its page budget: the largest type scale that fits, in few passes."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.layout.fetcher import ResourcePolicy
from briefgen.layout.fit import GROWTH, fit_search
from briefgen.layout.measure import lay_out, page_box
from briefgen.make.edition import Maker
from briefgen.render.templates import Templates
from briefgen.source.briefs import load_brief
from briefgen.source.editions import Edition
from briefgen.source.load import load_yaml
from briefgen.source.model import BriefFile
from briefgen.source.project import Project
from briefgen.source.validate import validate_brief

from .conftest import MINIMAL, SAMPLES
from .conftest import Project as ScratchProject

EN = Edition.single("en")

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


# --- the search alone, against a model of a layout: milliseconds, no WeasyPrint ---------

@dataclass
class Model:
    """A layout whose content takes ``area * size ** 2`` square units on pages of 1."""

    pages: int
    used: float


def model_measure(sizes: list[float], area: float, exponent: float = 2.0,
                  probes: list[int] | None = None) -> Callable[[int], Model]:
    def measure(index: int) -> Model:
        if probes is not None:
            probes.append(index)
        used = area * sizes[index] ** exponent
        return Model(math.ceil(used - 1e-9), used)
    return measure


SIZES = [round(10.5 - 0.25 * i, 2) for i in range(11)]  # 10.5 down to 8


def largest_fitting(sizes: list[float], area: float, budget: int) -> int | None:
    return next((i for i, size in enumerate(sizes) if area * size ** 2 <= budget + 1e-9), None)


def test_search_that_fits_at_the_base_size_measures_once() -> None:
    probes: list[int] = []
    result = fit_search(SIZES, model_measure(SIZES, 0.8 / 10.5 ** 2, probes=probes), 1)
    assert (result.index, result.passes, result.fits, probes) == (0, 1, True, [0])


def test_search_without_a_budget_measures_once() -> None:
    result = fit_search(SIZES, model_measure(SIZES, 5.0), None)
    assert (result.index, result.passes, result.fits) == (0, 1, True)


@pytest.mark.parametrize("overflow", [1.02, 1.1, 1.2, 1.33, 1.45, 1.6, 1.7])
@pytest.mark.parametrize("exponent", [1.0, 1.3, 1.6, 2.0, 2.2])
def test_search_finds_the_largest_step_that_fits(overflow: float, exponent: float) -> None:
    area = overflow / 10.5 ** exponent  # ``overflow`` pages at the base size
    sizes = SIZES
    expected = next((i for i, size in enumerate(sizes) if area * size ** exponent <= 1), None)
    probes: list[int] = []
    result = fit_search(sizes, model_measure(sizes, area, exponent, probes), 1)
    if expected is None:  # too long even at the floor: the floor, reported as not fitting
        assert (result.fits, result.index) == (False, len(sizes) - 1)
    else:
        assert (result.fits, result.index) == (True, expected)
        assert result.index == 0 or sizes[result.index - 1] in [sizes[i] for i in probes], (
            "the step above the answer was measured and overflowed")
    assert result.passes == len(set(probes)) <= 4


@pytest.mark.parametrize("overflow", [1.02, 1.2, 1.45, 1.7])
@pytest.mark.parametrize("moved", [-3, -1, 0, 1, 3])
def test_a_search_seeded_by_the_last_build_finds_the_same_step(overflow: float,
                                                               moved: int) -> None:
    """Seeded with the step the last build chose (an edit moved the answer ``moved``
    steps, or not), the search ends where an unseeded one does; seeded right, in two
    passes: the seed, and the step above it overflowing."""
    area = overflow / 10.5 ** 1.3
    unseeded = fit_search(SIZES, model_measure(SIZES, area, 1.3), 1)
    seed = min(max(unseeded.index + moved, 0), len(SIZES) - 1)
    probes: list[int] = []
    seeded = fit_search(SIZES, model_measure(SIZES, area, 1.3, probes), 1, start=seed)
    assert (seeded.index, seeded.fits) == (unseeded.index, unseeded.fits)
    assert probes[0] == seed
    if moved == 0 and unseeded.fits:
        assert seeded.passes == (1 if seed == 0 else 2)
    assert seeded.passes <= 4


def test_search_with_a_budget_of_several_pages() -> None:
    area = 4.6 / 10.5 ** 2
    result = fit_search(SIZES, model_measure(SIZES, area), 4)
    assert result.fits and result.index == largest_fitting(SIZES, area, 4)


def test_search_of_a_one_step_scale() -> None:
    assert not fit_search([9.0], model_measure([9.0], 2 / 81), 1).fits
    assert fit_search([9.0], model_measure([9.0], 0.5 / 81), 1).fits


def test_growth_model_is_between_area_and_line_scaling() -> None:
    # 0.5: a measure in mm (text area grows with the square of the size); 1: a measure in
    # em (only the line height grows). The house style is mostly the second.
    assert 0.5 <= GROWTH <= 1.0


# --- real layouts ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_third_too_long_is_fitted_to_one_page_in_at_most_four_passes(
        tmp_path: Path, paper: str) -> None:
    maker = Maker.of(Project(tmp_path))
    templates = maker.templates
    audience = templates.audience("policymaker")
    typography = audience.config.typography
    brief_file = load(tmp_path, long_brief(23), templates)
    at_base = lay_out(templates.render(brief_file, audience, EN, paper), tmp_path,
                      ResourcePolicy((tmp_path,))).used
    assert 1.2 <= at_base <= 1.45, "the premise: about a third too long at the base size"

    edition = maker.make(brief_file, audience, EN, paper)  # type: ignore[arg-type]
    assert edition.fits and edition.problems == []
    assert edition.layout.pages == 1
    assert typography.floor <= edition.scale.font_size < typography.font_size
    assert edition.passes <= 4
    # the largest step that fits: one step larger overflows
    scales = typography.scales()
    larger = scales[scales.index(edition.scale) - 1]
    html = templates.render(brief_file, audience, EN, paper, larger)  # type: ignore[arg-type]
    assert lay_out(html, tmp_path, ResourcePolicy((tmp_path,))).pages > 1
    # the chosen scale is what the written HTML says
    assert f"font-size: {edition.scale.font_size}pt" in edition.html


def test_a_brief_that_fits_costs_exactly_one_layout(tmp_path: Path) -> None:
    maker = Maker.of(Project(tmp_path))
    brief_file = load(tmp_path, MINIMAL, maker.templates)
    for name in ("policymaker", "practitioner", "academic"):
        audience = maker.templates.audience(name)
        edition = maker.make(brief_file, audience, EN, "a4")
        assert edition.passes == 1
        assert edition.scale == audience.config.typography.base


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_samples_are_one_page_on_both_papers(paper: str) -> None:
    maker = Maker.of(Project(SAMPLES.parent))
    audience = maker.templates.audience("policymaker")
    for path in sorted(SAMPLES.glob("*.yaml")):
        brief_file = load_brief(path, maker.templates.audiences, SAMPLES.parent)
        edition = maker.make(brief_file, audience, EN, paper)  # type: ignore[arg-type]
        assert edition.fits and edition.layout.pages == 1, path


@pytest.mark.slow
def test_too_long_even_at_the_floor_says_what_to_cut(project: ScratchProject) -> None:
    path = project.brief("long", MINIMAL)
    project.brief("other")
    assert project.run("build").code == 0
    pdf = project.root / "build/long/long-policymaker-en.pdf"
    before = pdf.read_bytes()
    path.write_text(long_brief(50), encoding="utf-8")
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


@pytest.mark.slow
@pytest.mark.parametrize("audience_name", ["practitioner", "academic"])
def test_no_heading_is_left_alone_at_the_bottom_of_a_page(audience_name: str) -> None:
    maker = Maker.of(Project(SAMPLES.parent))
    audience = maker.templates.audience(audience_name)
    for path in sorted(SAMPLES.glob("*.yaml")):
        brief_file = load_brief(path, maker.templates.audiences, SAMPLES.parent)
        layout = maker.make(brief_file, audience, EN, "a4").layout
        assert layout.pages > 1, "the premise: a page break to look at"
        for number, page in enumerate(layout.document.pages, start=1):
            blocks = [box for box in page_box(page).children[0].descendants()
                      if getattr(box, "element_tag", None) in ("h2", "h3", "p", "li")]
            assert blocks[-1].element_tag not in ("h2", "h3"), (path.name, number)
