"""Key figures read from data files: CSV, JSON, YAML and XLSX; selections found, not
found, ambiguous and of the wrong type, each a located error naming the brief's field
and the data's row and column; a data edit rebuilds the briefs that read it."""

from __future__ import annotations

import pytest

from briefgen.events import Event

from .conftest import Project
from .test_build import pdf_text

RETURNS = """\
year,region,returned
2019,asean,200
2019,other,1434
2020,asean,292
2020,other,507
"""

BRIEF = """\
title: Returns
date: 2024-05-01
languages: [en]
summary: Act now.
necessity: Because.
data:
  returns: ../data/returns.csv
key_figures:
  - value: {data: returns, where: {year: 2020, region: asean}, column: returned}
    label: returned from ASEAN
  - value: {data: returns, where: {year: 2020}, column: returned, aggregate: sum}
    label: returned in all
  - value: {data: returns, where: {year: 2020, region: asean}, column: returned,
            share_of: {where: {year: 2020}, aggregate: sum}}
    precision: 1
    unit: per cent
    label: the ASEAN share
achievements: [A treaty.]
challenges: [Money.]
recommendations: [Fund it.]
"""


@pytest.fixture
def data_project(project: Project) -> Project:
    project.write("data/returns.csv", RETURNS)
    project.brief("d", BRIEF)
    return project


def figures_of(project: Project) -> list[str]:
    from briefgen.source.briefs import load_brief

    brief_file = load_brief(project.root / "briefs/d.yaml", {"policymaker"}, project.root)
    return [str(f.value) for f in brief_file.brief.key_figures]


def test_figures_are_read_one_summed_and_as_a_share(data_project: Project) -> None:
    assert figures_of(data_project) == ["292", "799", str(100 * 292 / 799)]
    assert data_project.run("build", "--audience", "policymaker").code == 0
    text = pdf_text(data_project.root / "build/d/d-policymaker-en.pdf")
    assert "292 returned from ASEAN" in text and "799 returned in all" in text
    assert "36.5 per cent" in text


@pytest.mark.parametrize(("edit", "error"), [
    (("year: 2020, region: asean}, column: returned}", "year: 2021, region: asean}, "
      "column: returned}"),
     "briefs/d.yaml:9:35: key_figures[0].value.where: no row of data/returns.csv has "
     "year = 2021, region = asean"),
    (("where: {year: 2020, region: asean}, column: returned}", "where: {year: 2020}, "
      "column: returned}"),
     "briefs/d.yaml:9:35: key_figures[0].value.where: 2 rows of data/returns.csv have "
     "year = 2020 (lines 4, 5); narrow where:, or give aggregate: sum, first or last"),
    (("region: asean}, column: returned}", "region: asean}, column: retuned}"),
     "briefs/d.yaml:9:72: key_figures[0].value.column: no column 'retuned' in "
     "data/returns.csv; did you mean 'returned'?"),
    (("{data: returns, where: {year: 2020, region", "{data: retrns, where: {year: 2020, "
      "region"),
     "briefs/d.yaml:9:19: key_figures[0].value.data: unknown data 'retrns'; did you mean "
     "'returns'?"),
    (("{data: returns, where: {year: 2020, region", "{data: returns, where: {yr: 2020, "
      "region"),
     "briefs/d.yaml:9:40: key_figures[0].value.where.yr: no column 'yr' in "
     "data/returns.csv; did you mean 'year'?"),
    (("column: returned}\n    label: returned from", "}\n    label: returned from"),
     "briefs/d.yaml:9:12: key_figures[0].value.column: required field is missing"),
])
def test_a_selection_that_reads_no_number_is_located(data_project: Project,
                                                     edit: tuple[str, str],
                                                     error: str) -> None:
    data_project.brief("d", BRIEF.replace(*edit, 1))
    result = data_project.run("check", "--no-layout")
    assert result.code == 1
    assert result.err.splitlines()[0] == error


def test_a_cell_that_is_not_a_number_names_its_row_and_column(data_project: Project) -> None:
    data_project.write("data/returns.csv", RETURNS.replace("2020,asean,292", "2020,asean,n/a"))
    assert data_project.run("check", "--no-layout").err.splitlines()[0] == (
        "briefs/d.yaml:9:72: key_figures[0].value.column: data/returns.csv:4:12: 'n/a' in "
        "column 'returned' is not a number")


@pytest.mark.parametrize(("content", "error"), [
    ("year,returned\n2020,292,7\n", "data/returns.csv:2:1: 3 cells where the header names "
     "2 columns"),
    ("year,year\n2020,292\n", "data/returns.csv:1:1: two columns are named 'year'"),
    ("", "data/returns.csv:1:1: no header row: the first line names the columns"),
])
def test_a_data_file_that_is_no_table_is_an_error_at_the_field_and_the_file(
        data_project: Project, content: str, error: str) -> None:
    data_project.write("data/returns.csv", content)
    assert data_project.run("check", "--no-layout").err.splitlines()[0] == (
        f"briefs/d.yaml:9:19: key_figures[0].value: {error}")


def test_json_yaml_and_xlsx_tables(data_project: Project) -> None:
    from openpyxl import Workbook

    rows = [("year", "region", "returned"), (2020, "asean", 292), (2020, "other", 507)]
    data_project.write("data/returns.json", '[{"year": 2020, "region": "asean", "returned": '
                       '292},\n {"year": 2020, "region": "other", "returned": 507}]\n')
    data_project.write("data/returns.yaml", "- {year: 2020, region: asean, returned: 292}\n"
                       "- {year: 2020, region: other, returned: 507}\n")
    book = Workbook()
    sheet = book.active
    sheet.title = "Returns"
    for row in rows:
        sheet.append(row)
    book.save(data_project.root / "data/returns.xlsx")
    for name in ("returns.json", "returns.yaml", "returns.xlsx"):
        data_project.brief("d", BRIEF.replace("../data/returns.csv", f"../data/{name}"))
        assert figures_of(data_project)[:2] == ["292", "799"], name
    data_project.brief("d", BRIEF.replace("returns: ../data/returns.csv",
                                          "returns: {file: ../data/returns.xlsx, sheet: Data}"))
    assert data_project.run("check", "--no-layout").err.splitlines()[0] == (
        "briefs/d.yaml:9:19: key_figures[0].value: data/returns.xlsx:1:1: no worksheet "
        "'Data' (it has Returns)")
    data_project.write("data/returns.json", '[{"year": 2020, "returned": [292]}]\n')
    data_project.brief("d", BRIEF.replace("../data/returns.csv", "../data/returns.json"))
    assert data_project.run("check", "--no-layout").err.splitlines()[0] == (
        "briefs/d.yaml:9:19: key_figures[0].value: data/returns.json:1:29: 'returned' is "
        "neither a number nor text")


def test_a_data_file_outside_the_project_or_missing_is_refused(data_project: Project) -> None:
    data_project.brief("d", BRIEF.replace("../data/returns.csv", "../../etc/passwd"))
    assert data_project.run("check", "--no-layout").err.splitlines()[0] == (
        "briefs/d.yaml:7:12: data.returns.file: '../../etc/passwd' is outside the project")
    data_project.brief("d", BRIEF.replace("../data/returns.csv", "../data/gone.csv"))
    assert data_project.run("check", "--no-layout").err.splitlines()[0] == (
        "briefs/d.yaml:7:12: data.returns.file: '../data/gone.csv' does not exist (paths are "
        "relative to briefs/)")


@pytest.mark.slow
def test_a_data_edit_rebuilds_the_briefs_that_read_it_and_only_those(
        data_project: Project) -> None:
    from briefgen.builder.options import BuildOptions
    from briefgen.builder.run import build
    from briefgen.events import RecordingReporter
    from briefgen.source.project import Project as BriefgenProject

    from .conftest import MINIMAL

    data_project.brief("other", MINIMAL)

    def run() -> RecordingReporter:
        reporter = RecordingReporter()
        build([data_project.root / "briefs"], BuildOptions(jobs=1), reporter,
              BriefgenProject(data_project.root))
        return reporter

    run()
    data_project.write("data/returns.csv", RETURNS.replace("2020,asean,292", "2020,asean,318"))
    reporter = run()
    built = {p.name for p in reporter.targets(Event.BUILT)}
    assert built == {f"d-{a}-en.{f}" for a in ("academic", "policymaker", "practitioner")
                     for f in ("html", "pdf")}
    assert "318 returned from ASEAN" in pdf_text(
        data_project.root / "build/d/d-policymaker-en.pdf")
    assert run().targets(Event.BUILT) == []


def test_a_rebuild_says_what_changed_and_logs_it(data_project: Project,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795305600")  # 2026-11-22
    assert data_project.run("build", "--audience", "policymaker").code == 0
    assert not (data_project.root / "build/d/d.changes.json").exists()  # nothing to compare
    data_project.write("data/returns.csv", RETURNS.replace("2020,asean,292", "2020,asean,318"))
    result = data_project.run("build", "--audience", "policymaker")
    assert [line for line in result.out.splitlines() if line.startswith("   changed")] == [
        '   changed  d: key figure "returned from ASEAN" 292 → 318 (data: returns, '
        'year = 2020, region = asean)',
        '   changed  d: key figure "returned in all" 799 → 825 (data: returns, year = 2020)',
        '   changed  d: key figure "the ASEAN share" 36.5 per cent → 38.5 per cent (data: '
        'returns, year = 2020, region = asean)',
        "   changed  d: file data/returns.csv changed"]
    log = json.loads((data_project.root / "build/d/d.changes.json").read_text())
    assert log["brief"] == "d" and log["changes"][0]["date"] == "2026-11-22"
    assert len(log["changes"][0]["changes"]) == 4
    index = (data_project.root / "build/index.html").read_text()
    assert ("Updated 2026-11-22: 3 figures, 1 source file changed (<a href=\"d/d.changes.json\">"
            "what changed</a>)") in index
    # a text edit: named by its field and language; more than five lines are cut short
    data_project.brief("d", BRIEF.replace("summary: Act now.", "summary: Act today.")
                       .replace("[A treaty.]", "[A treaty., A law.]")
                       .replace("[Money.]", "[Money and staff.]")
                       .replace("necessity: Because.", "necessity: Because it matters.")
                       .replace("[Fund it.]", "[Fund it now.]")
                       .replace("title: Returns", "title: Fugitives returned"))
    out = data_project.run("build", "--audience", "policymaker").out.splitlines()
    said = [line for line in out if line.startswith(("   changed  ", "            d:"))]
    assert said == ["   changed  d: achievements[1].text added",
                    "   changed  d: challenges[0].text changed",
                    "   changed  d: necessity changed",
                    "   changed  d: recommendations[0].text changed",
                    "   changed  d: summary changed",
                    "            d: … and more (d/d.changes.json in the output folder lists "
                    "every change; build --explain says all)"]
    log = json.loads((data_project.root / "build/d/d.changes.json").read_text())
    assert [len(entry["changes"]) for entry in log["changes"]] == [6, 4]
    assert log["changes"][0]["changes"][-1] == "title changed"


@pytest.mark.slow
def test_a_number_edited_in_the_samples_data_rebuilds_that_brief_and_says_so(
        project: Project) -> None:
    from .conftest import copy_samples

    copy_samples(project.root)
    assert project.run("build", "--audience", "policymaker").code == 0
    figures = project.root / "data/china-asean-figures.csv"
    figures.write_text(figures.read_text().replace(",292,", ",318,"), encoding="utf-8")
    out = project.run("build", "--audience", "policymaker").out.splitlines()
    assert out[0] == ('   changed  china-asean-anticorruption: key figure "of the 799 fugitives '
                      'China recovered in…" 292 → 318 (data: figures, measure = fugitives '
                      'returned to China, scope = ASEAN countries)')
    made = [line.split(":")[0].split()[-1] for line in out if line.startswith("      made")]
    assert made == ["china-asean-anticorruption"]  # that brief only
    assert out[-1] == "6 built, 6 up to date, 0 failed"


CHART = """\
charts:
  - type: bar
    data: returns
    where: {year: 2020}
    x: region
    y: returned
    title: {en: Fugitives returned in 2020, ru: Возвращено беглецов в 2020 г.}
    source: {en: the paper, ru: исследование}
    data_as_of: 2020-08
    labels:
      asean: {en: ASEAN countries, ru: Страны АСЕАН}
      other: {en: "Other countries ($)", ru: Другие страны}
      region: {en: Region, ru: Регион}
      returned: {en: Returned, ru: Возвращено}
"""


def test_a_chart_is_drawn_from_data_with_its_table_in_each_language(
        data_project: Project) -> None:
    import re

    data_project.brief("d", BRIEF.replace("languages: [en]", "languages: [en, ru]")
                       .replace("title: Returns", "title: {en: Returns, ru: Возвраты}") + CHART)
    built = data_project.run("build", "--audience", "practitioner")
    assert built.code == 0
    assert built.err == ""  # no ignored style, no anchor twice in the bilingual page
    html = (data_project.root / "build/d/d-practitioner-en.html").read_text()
    assert '<svg class="chart-drawing" role="img" aria-label="Fugitives returned in 2020"' in html
    assert re.search(r'<div class="chart-data"><table><caption>Fugitives returned in 2020'
                     r'</caption>'
                     r'\s*<thead><tr><th scope="col">Region</th><th scope="col">Returned</th>'
                     r'</tr></thead>\s*<tbody><tr><th scope="row">ASEAN countries</th>'
                     r'<td>292</td></tr><tr><th scope="row">Other countries \(\$\)</th>'
                     r'<td>507</td></tr></tbody>', html)
    text = pdf_text(data_project.root / "build/d/d-practitioner-en.pdf")
    assert "Fugitives returned in 2020" in text and "ASEAN countries" in text
    assert "Source: the paper; data to August 2020" in text
    both = pdf_text(data_project.root / "build/d/d-practitioner-en-ru.pdf")
    assert "Страны АСЕАН" in both and "Данные" in both
    # the same data, the same drawing: byte for byte
    again = data_project.run("build", "--audience", "practitioner", "--force")
    assert again.code == 0 and "     built" not in again.out


@pytest.mark.parametrize(("edit", "error"), [
    (("    x: region", "    x: regoin"),
     "briefs/d.yaml:25:8: charts[0].x: no column 'regoin' in data/returns.csv; did you mean "
     "'region'?"),
    (("    y: returned", "    y: [returned, year, counted]"),
     "briefs/d.yaml:26:25: charts[0].y[2]: no column 'counted' in data/returns.csv (its columns: "
     "year, region, returned)"),
    (("where: {year: 2020}", "where: {year: 2031}"),
     "briefs/d.yaml:24:12: charts[0].where: no row of data/returns.csv matches where:"),
])
def test_a_chart_that_cannot_be_read_is_located(data_project: Project, edit: tuple[str, str],
                                                error: str) -> None:
    data_project.brief("d", BRIEF + CHART.replace(*edit))
    assert data_project.run("check", "--no-layout").err.splitlines()[0] == error


def test_a_table_of_data_is_set_with_figures_in_the_readers_language(
        data_project: Project) -> None:
    table = """\
tables:
  - data: returns
    columns: [year, region, {column: returned, label: {en: Returned, ru: Возвращено}}]
    title: {en: Fugitives returned, ru: Возвращено беглецов}
    labels: {asean: {en: ASEAN countries, ru: Страны АСЕАН}}
"""
    data_project.brief("d", BRIEF.replace("languages: [en]", "languages: [en, ru]")
                       .replace("title: Returns", "title: {en: Returns, ru: Возвраты}")
                       + table)
    data_project.write("data/returns.csv", RETURNS.replace("2019,other,1434",
                                                           "2019,other,11434"))
    assert data_project.run("build", "--audience", "academic").code == 0
    html = (data_project.root / "build/d/d-academic-ru.html").read_text()
    assert '<th scope="col" align="right">Возвращено</th>' in html
    assert '<td align="right">11\u00a0434</td>' in html  # as Russian writes it
    assert "<td>Страны АСЕАН</td>" in html and "<td>other</td>" in html
    text = pdf_text(data_project.root / "build/d/d-academic-en.pdf")
    assert "Fugitives returned" in text and "2019 ASEAN countries 200" in text
    data_project.brief("d", BRIEF + table.replace("columns: [year,", "columns: [yaer,"))
    assert data_project.run("check", "--no-layout").err.splitlines()[0] == (
        "briefs/d.yaml:23:15: tables[0].columns[0].column: no column 'yaer' in data/returns.csv; "
        "did you mean 'year'?")


def test_the_front_pages_summary_counts_each_kind_of_change() -> None:
    from briefgen.builder.changes import summary

    assert summary(['key figure "a" 1 → 2', 'key figure "b" 3 → 4',
                    'chart "c" A 1 → A 2', "summary (en) changed",
                    "file data/x.csv changed"]) == (
        "2 figures, 1 chart, 1 text, 1 source file changed")
    assert summary([]) == ""


@pytest.mark.parametrize("kind", ["bar", "column", "line", "stacked"])
def test_every_kind_of_chart_is_drawn_the_same_twice(kind: str) -> None:
    from briefgen.render.charts import draw
    from briefgen.render.identity import Identity
    from briefgen.source.selection import Chart, ChartData

    chart = Chart.model_validate({"type": kind, "data": "d", "x": "year", "y": ["a", "b"],
                                  "title": "T"})
    data = ChartData(["2019", "2020"], [("a", [200, 292]), ("b", [1434, 507])])
    svg = draw(chart, data, str.upper, Identity(), "ru", 360, "T")
    assert svg == draw(chart, data, str.upper, Identity(), "ru", 360, "T")
    assert svg.startswith('<svg class="chart-drawing" role="img" aria-label="T" ')
    assert "2019" in svg and "style=" not in svg
    if kind != "line":  # a line's points are not labelled; the others' bars are, in Russian
        assert ("1\u00a0434" in svg) is (kind in ("bar", "column"))


@pytest.mark.parametrize(("aggregate", "value"), [("first", "200"), ("last", "292"),
                                                  ("sum", "492")])
def test_first_last_and_sum_of_the_rows_a_selection_picks(
        data_project: Project, aggregate: str, value: str) -> None:
    data_project.brief("d", BRIEF.replace(
        "{data: returns, where: {year: 2020, region: asean}, column: returned}",
        f"{{data: returns, where: {{region: asean}}, column: returned, aggregate: {aggregate}}}"))
    assert figures_of(data_project)[0] == value
