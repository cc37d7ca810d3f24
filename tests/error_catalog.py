"""Every error briefgen reports, with an input that causes it: the source of docs/errors.md.

The brief cases are run through briefgen (loading, validation, translation checks) when
the document is made, so the messages in it are the ones briefgen prints; a test keeps
docs/errors.md equal to what this prints. Refresh it with:

    python -m tests.error_catalog > docs/errors.md
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BriefError, Problem
from briefgen.source.load import load_yaml
from briefgen.source.model import missing_translations
from briefgen.source.validate import validate_brief

from .conftest import MINIMAL

AUDIENCES = {"policymaker", "practitioner", "academic"}
BASE = MINIMAL  # a valid brief, in English and Russian


@dataclass
class Case:
    title: str
    source: str  # the brief, as written; {base} stands for a valid brief
    name: str = "water"


@dataclass
class Described:
    """An error that needs more than a brief to show: its message, as tests assert it."""

    title: str
    cause: str
    message: str


LOADING = [
    Case("YAML syntax", "title: {en: Water\ndate: 2024-05-01\n"),
    Case("Duplicate key", BASE + "summary: {en: Again.}\n"),
    Case("Tag that would run code", "title: !!python/object/apply:os.system ['id']\n"),
    Case("Alias bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
        for i in range(5))),
    Case("Merge bomb (YAML merge keys, `<<`, multiplying)",
         "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
             f"{chr(98 + i)}: &{chr(98 + i)} {{" + ", ".join(
                 f"k{j}: *{chr(97 + i)}" for j in range(10)) + "}\n" for i in range(5))
         + "m: {<<: [*b, *c, *d, *e, *f]}\n"),
    Case("A mapping that merges itself", "a: &a {<<: *a}\n"),
    Case("Nesting too deep", "title: " + "[" * 40 + "]" * 40 + "\n"),
    Case("A number YAML reads as another number (017, 0x1F, 1:20, 1_000)",
         BASE + "key_figures:\n  - {value: 017, label: Cases}\n"),
    Case("Empty file", ""),
    Case("Not a mapping", "- title\n- date\n"),
    Case("Not UTF-8", "title: café\n".encode("latin-1").decode("latin-1")),
    Case("A value YAML cannot read", BASE.replace("date: 2024-05-01", "date: 2024-02-30")),
]
VALIDATION = [
    Case("Missing required field", BASE.replace("necessity: {en: Because., ru: Потому что.}\n",
                                                "")),
    Case("Not a date", BASE.replace("date: 2024-05-01", "date: yesterday")),
    Case("Not text", BASE.replace("summary: {en: Act now., ru: Действуйте сейчас.}",
                                  "summary: [Act, now]")),
    Case("Not a language code", BASE.replace("ru: Потому что.", "russian: Потому что.")),
    Case("A translation that is not text", BASE.replace("ru: Деньги.", "ru: [Деньги]")),
    Case("YAML read a yes/no where text is meant", BASE.replace("  - {en: Money., ru: Деньги.}",
                                                               "  - title: no\n    text: Money.")),
    Case("Empty list", BASE.replace("recommendations:\n  - {en: Fund it., ru: Профинансировать.}",
                                    "recommendations: []")),
    Case("Not a date for an achievement", BASE.replace("  - {en: A treaty., ru: Договор.}",
                                                       "  - {date: 2017-13, text: A treaty.}")),
    Case("A key figure that is not a number or text", BASE + "key_figures:\n  - value: [1]\n"
         "    label: Dams\n"),
    Case("A number too large to format", BASE + "key_figures:\n  - value: 1.0e+20\n"
         "    label: Grains of sand\n"),
    Case("Priority below 1", BASE.replace("  - {en: Fund it., ru: Профинансировать.}",
                                          "  - {text: Fund it., priority: 0}")),
    Case("A language listed twice", BASE.replace("languages: [en, ru]", "languages: [en, en]")),
    Case("Unknown reference", BASE + "key_figures:\n  - value: 12\n    label: Dams\n"
         "    source: ccdi-2021\nreferences:\n  - id: ccdi-2020\n    text: Report.\n"),
    Case("Duplicate reference id", BASE + "references:\n  - id: r\n    text: One.\n"
         "  - id: r\n    text: Two.\n"),
    Case("Unknown audience", BASE.replace("  - {en: Fund it., ru: Профинансировать.}",
                                          "  - text: Fund it.\n    audiences: [minister]")),
    Case("A source outside the project", BASE + "sources: [../../etc/passwd]\n"),
    Case("A source that does not exist", BASE + "sources: [data/figures.csv]\n"),
    Case("A file name that is not a brief id", BASE, name="Water_Security"),
    Case("A file name too long for an id", BASE, name="w" * 101),
    Case("An unknown language", BASE.replace("languages: [en, ru]", "languages: [en, zz]")),
    Case("An invisible character that can disguise text",
         BASE.replace("title: {en: Water security,", "title: {en: \"Water\u202esecurity\",")),
    Case("Markdown nested too deep (quotes, lists, tags or emphasis)",
         BASE.replace("necessity: {en: Because., ru: Потому что.}",
                      "necessity: {en: \"" + "> " * 20 + "Because.\", ru: Потому что.}")),
    Case("A date before year 1", BASE.replace("  - {en: A treaty., ru: Договор.}",
                                              "  - {date: '0000', text: A treaty.}")),
    Case("Evidence that cites an unknown reference", BASE.replace(
        "  - {en: A treaty., ru: Договор.}",
        "  - text: {en: A treaty., ru: Договор.}\n    evidence: {ref: papr, quote: A treaty}")
        + "references:\n  - id: paper\n    text: The paper.\n"),
    Case("A claim based on its sources without evidence", BASE.replace(
        "  - {en: Fund it., ru: Профинансировать.}",
        "  - text: {en: Fund it., ru: Профинансировать.}\n    basis: source")),
    Case("Unknown field (a warning)", BASE + "refrences: []\n"),
    Case("A missing translation (that language is not built)",
         BASE.replace("summary: {en: Act now., ru: Действуйте сейчас.}",
                      "summary: {en: Act now.}")),
]
BUILDING = [
    Described("Over the page budget even at the floor of the type scale",
              "a policymaker brief too long for one page at 8 pt",
              "briefs/x.yaml:1:1: policymaker-en: 1.29 pages at 8 pt, the floor of its type "
              "scale; the budget is 1 page: cut about 335 words\n"
              "briefs/x.yaml:34:1: necessity: takes 0.81 pages with 982 words; cut about 270 "
              "here"),
    Described("A resource outside the project (a warning; an error under --strict)",
              "![chart](/etc/passwd) in a text field, or a template's url(), @import or <link>",
              "briefs/x.yaml:6:7: warning: necessity.en: refused file:///etc/passwd: outside "
              "the project"),
    Described("A resource that is not a regular file, or too large",
              "![chart](fifo.png), a device, or a file over 20 MB",
              "briefs/x.yaml:6:7: warning: necessity.en: refused file:///…/fifo.png: not a "
              "regular file"),
    Described("The network (a warning; allowed only for hosts named in briefgen.yaml)",
              "![chart](https://example.org/chart.png)",
              "briefs/x.yaml:6:7: warning: necessity.en: refused https://example.org/chart.png: "
              "network access is off; a project may allow a host in briefgen.yaml "
              "(allowed_hosts)"),
    Described("A web source or data file that could not be fetched, with a copy kept (a "
              "warning; the copy is used)", "data: {returns: https://stats.example.org/"
              "returns.csv} while the server fails",
              "briefs/x.yaml:8:12: warning: data.returns.file: https://stats.example.org/"
              "returns.csv: the server answered 503 Service Unavailable; the copy fetched "
              "2026-11-21T02:15:04Z is used"),
    Described("A web source or data file that could not be fetched, with no copy yet",
              "the same on the first build, a timeout, an answer over 20 MB, an error page, "
              "a redirect to a host not allowed, or --offline with no copy",
              "briefs/x.yaml:8:12: data.returns.file: https://stats.example.org/returns.csv "
              "cannot be used: the server sent a web page (text/html), not a .csv file"),
    Described("A web file on a host briefgen.yaml does not allow",
              "data: {returns: https://example.org/returns.csv}",
              "briefs/x.yaml:8:12: data.returns.file: https://example.org/returns.csv cannot "
              "be used: example.org is not an allowed host; a project allows one in "
              "briefgen.yaml (allowed_hosts)"),
    Described("A web file by http://, or with a password in its URL",
              "data: {returns: http://stats.example.org/returns.csv}",
              "briefs/x.yaml:8:12: data.returns.file: 'http://stats.example.org/returns.csv': "
              "only https:// URLs are fetched"),
    Described("A family's placeholder whose row has no value (format 1.7)",
              "{cases} in a family's text, and an empty cell in its row",
              "briefs/water.yaml:8:7: summary.en: {cases}: data/regions.csv:3:16: row 2 (code "
              "south) has no value in column 'cases' (in water-south)"),
    Described("A family's placeholder naming a column the table lacks",
              "{nmae} where the table has a column 'name'",
              "briefs/water.yaml:8:7: summary.en: {nmae}: ../data/regions.csv has no column "
              "'nmae'; did you mean 'name'? (in every member)"),
    Described("A brace in a family's text that is no placeholder", "Because {braces",
              "briefs/water.yaml:13:17: necessity.en: '{' is not a placeholder: write "
              "{column} or {column:1}, and {{ or }} for a brace (in every member)"),
    Described("A family's key that cannot name a member, or names two",
              "a row whose key is 'So uth', or two rows keyed 'north'",
              "briefs/water.yaml:1:30: family.key: data/regions.csv:3:1: 'north' names row 1 "
              "already"),
    Described("A family whose table or key column is not there",
              "family: {data: region, key: code} where data: has 'regions'",
              "briefs/water.yaml:1:16: family.data: unknown data id 'region': the family's "
              "table is one of the brief's data: files; did you mean 'regions'?"),
    Described("An SVG image too costly to draw (a warning; the image is left out)",
              "![chart](bomb.svg), an SVG whose <use> elements multiply, nest deeply, "
              "reference themselves, or declare XML entities",
              "briefs/x.yaml:6:7: warning: necessity.en: refused file:///…/bomb.svg: an SVG "
              "that draws 26,132 elements once its references are expanded; the limit is "
              "20,000"),
    Described("An image inside an SVG (a warning)", "an SVG with <image href=\"logo.png\">",
              "briefs/x.yaml:1:1: warning: refused logo.png: a reference inside an embedded "
              "image; an SVG must carry its own images (as data: URIs)"),
    Described("A link to a local file (a warning; the link is dropped, its text kept)",
              "[the data](data.csv)",
              "briefs/x.yaml:6:7: warning: necessity.en: refused file:///…/data.csv: a link to "
              "a local file leads nowhere in a published brief; link to a web address"),
    Described("A brief outside the project, or a link to one", "briefs/x.yaml -> /elsewhere",
              "briefs/x.yaml:1:1: outside the project folder; briefgen reads briefs only inside "
              "it (and follows no link out)"),
    Described("A broken translations record", "briefs/x.translations.json edited by hand",
              "briefs/x.translations.json:1:23: not valid JSON: Expecting value; fix it, or "
              "delete it and run `briefgen confirm` again"),
    Described("A WeasyPrint warning (an error under --strict)",
              "a project template with CSS WeasyPrint ignores",
              "briefs/x.yaml:1:1: warning: policymaker-en: WeasyPrint: Ignored `colour: red` "
              "at 118:6, unknown property."),
    Described("A render that runs too long or needs too much memory",
              "--render-timeout and --memory-limit (300 s and 2048 MB by default)",
              "failed  build/x/x-academic-en.pdf (stopped: the render took longer than 300 s; "
              "the previous output is kept)"),
    Described("The same under `briefgen check`, which writes nothing",
              "--render-timeout, --memory-limit or render_timeout/memory_limit in "
              "briefgen.yaml",
              "briefs/x.yaml:1:1: practitioner-en: the render took longer than 300 s"),
    Described("An output that is stale, under `build --check` (exit 1)",
              "an input changed since the last build",
              "     stale  build/x/x-policymaker-en.pdf (briefs/x.yaml changed)"),
    Described("A worker that died making an edition (its memory ran out in C code, or it "
              "was killed)", "--memory-limit too low for a render",
              "failed  build/x/x-academic-en.pdf (the worker making it died (killed by "
              "SIGTRAP), most likely out of its memory limit; the previous output is kept)"),
    Described("An output that cannot be written", "a file where the brief's folder must be, "
              "a read-only or full disk",
              "failed  build/x/x-policymaker-en.pdf (cannot write build/x: a file is in the "
              "way where a folder must be)"),
    Described("A manifest that cannot be saved (exit 1; the outputs written are whole)",
              "a full disk",
              "briefgen: error: cannot save build/.briefgen-manifest.json: No space left on "
              "device"),
    Described("A PDF that cannot be written", "an image file that does not decode",
              "failed  build/x/x-practitioner-en.pdf (could not write the PDF: …)"),
    Described("A translation possibly outdated (a warning; an error for check --strict)",
              "the English text changed after `briefgen confirm`",
              "briefs/x.yaml:9:32: warning: challenges[0].text: the 'ru' translation may be "
              "outdated: the 'en' text changed since it was confirmed (briefgen confirm --lang "
              "ru --field challenges[0].text briefs/x.yaml)"),
    Described("A template that is missing or broken", "an audience folder without brief.html",
              "briefgen: error: template 'board/brief.html' not found (searched templates, "
              "…/briefgen/templates)"),
    Described("A bad briefgen.yaml or audience.yaml", "paper: a3",
              "briefgen.yaml:1:8: paper: Input should be 'a4' or 'letter'"),
    Described("Two briefs with one id", "briefs/x.yaml and briefs/more/x.yaml",
              "briefs/more/x.yaml:1:1: brief id 'x' is also used by briefs/x.yaml"),
    Described("A publication field without a language a brief is built in (that language "
              "is not built)", "publication: {series: {en: Policy Brief}} in briefgen.yaml",
              "briefgen.yaml:2:11: publication.series: missing 'ru' translation"),
    Described("A family name that is not part of the author's name", "family: Zang",
              "briefs/a.yaml:14:13: authors[0].family: 'Zang' is not part of the name "
              "'Zhang Shuyue'"),
]
EVIDENCE = [
    Described("A quote that is not in its source (the brief is not built; its previous "
              "outputs stay)", "a quote edited, or a new version of the paper without it",
              "briefs/water.yaml:19:35: achievements[0].evidence[0].quote: not found in "
              "sources/paper.md; the closest passage (87% alike): “began. Two new dams were "
              "com- pleted in 2022; the”"),
    Described("A quote nothing in its source is like", "a quote from another paper",
              "briefs/water.yaml:9:32: evidence.summary[0].quote: not found in "
              "sources/paper.md, nor anything like it (the closest passage is 48% alike)"),
    Described("A quote on another page than its `page:`", "page: 2 for a quote on page 1",
              "briefs/water.yaml:19:35: achievements[0].evidence[0].quote: found on page 1 "
              "of sources/paper.pdf, not on page 2"),
    Described("A source document that cannot be read", "a binary file, a broken PDF",
              "sources/paper.md:1:1: cannot be read: not UTF-8 text (byte 0); text, Markdown "
              "and PDF sources are read"),
    Described("A reference's file that is not one of the brief's sources",
              "file: ../sources/paper.md without it in sources:",
              "briefs/water.yaml:39:11: references[0].file: '../sources/paper.md' is not one "
              "of this brief's sources: (add it there; quotes are checked only against the "
              "brief's sources)"),
    Described("A quote whose reference names no file (a warning)", "a reference with a url "
              "only", "briefs/water.yaml:9:32: warning: evidence.summary[0].quote: cannot be "
              "checked: reference 'paper' names no file: (one of this brief's sources:)"),
]
DATA = [
    Described("A selection that matches no row", "where: {year: 2021} in a table without 2021",
              "briefs/d.yaml:9:35: key_figures[0].value.where: no row of data/returns.csv "
              "has year = 2021, region = asean"),
    Described("A selection that matches several rows", "where: {year: 2020} with a row per "
              "region", "briefs/d.yaml:9:35: key_figures[0].value.where: 2 rows of "
              "data/returns.csv have year = 2020 (lines 4, 5); narrow where:, or give "
              "aggregate: sum, first or last"),
    Described("A column the table lacks", "column: retuned",
              "briefs/d.yaml:9:72: key_figures[0].value.column: no column 'retuned' in "
              "data/returns.csv; did you mean 'returned'?"),
    Described("A cell that is not a number", "n/a in the column read",
              "briefs/d.yaml:9:72: key_figures[0].value.column: data/returns.csv:4:12: 'n/a' "
              "in column 'returned' is not a number"),
    Described("Data the brief does not declare", "data: retrns",
              "briefs/d.yaml:9:19: key_figures[0].value.data: unknown data 'retrns'; did you "
              "mean 'returns'?"),
    Described("A data file that is not a table", "a row with more cells than the header, two "
              "columns of one name, no header, a JSON value that is neither a number nor "
              "text, a missing worksheet",
              "briefs/d.yaml:9:19: key_figures[0].value: data/returns.csv:2:1: 3 cells where "
              "the header names 2 columns"),
]
IDENTITY = [
    Described("A logo or font file that does not exist (the build stops; every output "
              "stays)", "logo: {medium: missing.svg} in _brand.yml",
              "_brand.yml:4:11: logo.medium: 'missing.svg' does not exist (paths are relative "
              "to the folder of _brand.yml)"),
    Described("A logo or font file outside the project", "logo: {medium: ../logo.svg}, or an "
              "absolute path", "_brand.yml:4:11: logo.medium: '../logo.svg' is outside the "
              "project"),
    Described("A colour no browser reads", "secondary: \"#b5441\"",
              "_brand.yml:9:14: color.secondary: '#b5441' is not a colour (a name, #rrggbb, "
              "rgb(...) or another CSS colour)"),
    Described("A colour that fails WCAG AA where it is text (a warning; an error under "
              "--strict)", "secondary: \"#f5b942\"",
              "_brand.yml:9:14: warning: color.secondary: #f5b942 on #ffffff has a contrast of "
              "1.76:1, under the 4.5:1 WCAG AA asks for the edition's label"),
    Described("A font from the web (a warning: the house fonts stand in)",
              "source: google", "_brand.yml:18:15: warning: typography.fonts[1].source: "
              "'Lato' is not fetched from google (briefgen reads nothing from the network): "
              "the house fonts stand in; add the font's files with source: file"),
]
COMMAND_LINE = [
    Described("A path that does not exist (exit 2)", "briefgen build nowhere",
              "briefgen: error: nowhere: no such file or folder"),
    Described("An unknown audience (exit 2)", "briefgen build --audience board",
              "briefgen: error: unknown audience 'board' (known: academic, policymaker, "
              "practitioner)"),
    Described("A brief that exists already (exit 2)", "briefgen new water",
              "briefgen: error: briefs/water.yaml already exists; briefgen never overwrites a "
              "brief"),
    Described("Another build on the same folder (exit 75)", "two cron runs at once",
              "briefgen: error: another briefgen build is writing to build/ (waited 0 s; "
              "--wait SECONDS waits longer)"),
    Described("--out naming a file (exit 2)", "briefgen build --out notes.txt",
              "briefgen: error: notes.txt is not a folder; --out names the folder the outputs "
              "are written to"),
    Described("Anything else (exit 1)", "a bug in briefgen",
              "briefgen: internal error: ValueError: … (run with --debug for the traceback)"),
]


def problems_of(case: Case) -> list[Problem]:
    """What briefgen reports for a case: its validation problems and missing translations."""
    with tempfile.TemporaryDirectory() as folder, _inside(Path(folder)):
        root = Path(".")
        path = root / "briefs" / f"{case.name}.yaml"
        path.parent.mkdir()
        data = case.source.encode("latin-1") if case.title == "Not UTF-8" else (
            case.source.encode("utf-8"))
        path.write_bytes(data)
        try:
            brief_file = validate_brief(load_yaml(path), AUDIENCES, root)
        except BriefError as error:
            return [_relative(p, root) for p in error.problems]
        problems = list(brief_file.warnings)
        for lang in brief_file.brief.languages:
            problems += [Problem(brief_file.location(p), f"missing {lang!r} translation",
                                 ".".join(str(x) for x in p)) for p in
                         missing_translations(brief_file.brief, lang)]
        return [_relative(p, root) for p in problems]


def _relative(problem: Problem, root: Path) -> Problem:
    location = problem.location
    relative = location.file.relative_to(root)
    return Problem(type(location)(relative, location.line, location.column), problem.message,
                   problem.field, problem.severity)


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    """Run in ``folder``, as briefgen runs in a project: paths print relative to it."""
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def document() -> str:
    out = ["# Errors briefgen reports", "",
           "Every problem in a brief is printed on standard error as "
           "`FILE:LINE:COLUMN: field: message`, one a line, all of them; warnings say "
           "`warning:` and fail only under `--strict`. A brief with an error is not built; "
           "the others are, and every output keeps its previous good file. Exit codes: 0 "
           "all done, 1 something failed, 2 usage error, 75 another build holds the output "
           "folder.", "",
           "This page is made by `python -m tests.error_catalog > docs/errors.md`; the "
           "brief examples are run through briefgen to make it, so each message is the one "
           "briefgen prints.", ""]
    for heading, cases in (("Reading the file", LOADING), ("The brief's fields", VALIDATION)):
        out += [f"## {heading}", ""]
        for case in cases:
            source = case.source if len(case.source) < 600 else case.source[:300] + "…\n"
            out += [f"### {case.title}", "", f"`briefs/{case.name}.yaml`:", "", "```yaml",
                    source.rstrip("\n") or "# (empty)", "```", "", "```text"]
            out += [str(p) for p in problems_of(case)] + ["```", ""]
    for heading, described in (("Building", BUILDING),
                               ("Evidence (quotes checked against their sources)",
                                EVIDENCE),
                               ("Figures from data", DATA),
                               ("The organisation's identity (_brand.yml)", IDENTITY),
                               ("The command line", COMMAND_LINE)):
        out += [f"## {heading}", ""]
        for item in described:
            out += [f"### {item.title}", "", f"Cause: {item.cause}.", "", "```text",
                    item.message, "```", ""]
    return "\n".join(textwrap.dedent(line) for line in out).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(document(), end="")
