"""What to build, in what order, written how.

A build loads and validates every brief first, then renders each edition (one
audience in one language, as HTML and PDF) and writes it atomically. A brief that
fails, or one edition of it, never stops the others, and never touches the files a
previous good build left.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import BriefError, BriefgenError, Location, Problem, Severity, UsageError
from .files import write_if_changed
from .load import format_path, load_yaml
from .model import BriefFile, validate_brief
from .render import Audience, Paper, Templates, TypeScale
from .text import localized_fields, missing_translations

if TYPE_CHECKING:
    from .pdf import Fit

logger = logging.getLogger("briefgen")

BRIEF_SUFFIXES = (".yaml", ".yml")
FORMATS = ("html", "pdf")


# --- reporting ------------------------------------------------------------------------

class Reporter:
    """Receives build events; the CLI prints them, tests record them."""

    def event(self, kind: str, target: str, detail: str = "", **facts: Any) -> None:
        """kind is one of: built, unchanged, failed; facts are figures such as pages."""

    def problem(self, problem: Problem) -> None:
        """A located error or warning in an input."""


@dataclass
class RecordingReporter(Reporter):
    events: list[tuple[str, str, str]] = field(default_factory=list)
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def event(self, kind: str, target: str, detail: str = "", **facts: Any) -> None:
        self.events.append((kind, target, detail))
        self.facts[target] = facts

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)

    def targets(self, kind: str) -> list[str]:
        return [target for k, target, _ in self.events if k == kind]


# --- the project ------------------------------------------------------------------------

class ProjectConfig(BaseModel):
    """``briefgen.yaml`` at the project's root: settings for all its briefs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paper: Paper | None = Field(default=None, description="a4 or letter, for every "
                                "audience; --paper overrides it.")


@dataclass
class Project:
    """A folder holding briefs/ and, optionally, templates/ and briefgen.yaml of its own."""

    root: Path

    @cached_property
    def config(self) -> ProjectConfig:
        path = self.root / "briefgen.yaml"
        if not path.is_file():
            return ProjectConfig()
        loaded = load_yaml(path)
        try:
            return ProjectConfig.model_validate(loaded.data)
        except ValidationError as exc:
            raise BriefError([Problem(loaded.source_map.value(tuple(err["loc"])),
                                      str(err["msg"]), format_path(tuple(err["loc"])))
                              for err in exc.errors()]) from None

    def paper(self, options_paper: Paper | None, audience: Audience) -> Paper:
        """--paper, else the project's briefgen.yaml, else the audience's own."""
        return options_paper or self.config.paper or audience.config.paper

    @property
    def briefs_dir(self) -> Path:
        return self.root / "briefs"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def templates(self) -> Templates:
        return Templates(self.templates_dir)


def find_brief_files(paths: Iterable[Path]) -> list[Path]:
    """The brief files named by PATH arguments: files as given, folders searched."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in BRIEF_SUFFIXES
                            and p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return list(dict.fromkeys(found))


@dataclass
class Loaded:
    briefs: list[BriefFile]
    failed: list[Path]


def load_briefs(files: list[Path], project: Project, templates: Templates,
                reporter: Reporter, strict: bool = False) -> Loaded:
    """Load and validate every file, reporting all problems of all of them."""
    briefs, failed = [], []
    audiences = set(templates.audiences)
    for path in files:
        try:
            brief_file = validate_brief(load_yaml(path), audiences, project.root)
        except BriefError as exc:
            for problem in exc.problems:
                reporter.problem(problem)
            failed.append(path)
            continue
        for warning in brief_file.warnings:
            reporter.problem(warning)
        if strict and brief_file.warnings:
            failed.append(path)
            continue
        briefs.append(brief_file)
    ids: dict[str, Path] = {}
    for brief_file in list(briefs):
        if brief_file.id in ids:
            reporter.problem(Problem(Location(brief_file.path), f"brief id {brief_file.id!r} "
                                     f"is also used by {ids[brief_file.id]}"))
            briefs.remove(brief_file)
            failed.append(brief_file.path)
        ids.setdefault(brief_file.id, brief_file.path)
    return Loaded(briefs, failed)


# --- building -------------------------------------------------------------------------------

@dataclass
class BuildOptions:
    out_dir: Path = Path("build")
    audiences: list[str] | None = None  # None: every audience the project has
    paper: Paper | None = None  # None: the project's, else each audience's own
    strict: bool = False


@dataclass
class BuildResult:
    built: int = 0
    unchanged: int = 0
    failed: int = 0
    failed_briefs: int = 0

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.failed_briefs == 0

    def summary(self) -> str:
        text = f"{self.built} built, {self.unchanged} unchanged, {self.failed} failed"
        if self.failed_briefs:
            text += f"; {self.failed_briefs} brief(s) invalid"
        return text


def output_path(out_dir: Path, brief_id: str, audience: str, lang: str, fmt: str) -> Path:
    return out_dir / brief_id / f"{brief_id}-{audience}-{lang}.{fmt}"


def build(paths: list[Path], options: BuildOptions, reporter: Reporter,
          project: Project | None = None) -> BuildResult:
    """Build every edition of every brief under ``paths``."""
    project = project or Project(Path.cwd())
    _ = project.config  # a broken briefgen.yaml stops the run before anything is built
    templates = project.templates()
    audiences = [templates.audience(name) for name in
                 (options.audiences or sorted(templates.audiences))]
    loaded = load_briefs(find_brief_files(paths), project, templates, reporter, options.strict)
    result = BuildResult(failed_briefs=len(loaded.failed))
    for brief_file in loaded.briefs:
        languages = brief_file.brief.languages
        complete = {lang: _report_missing(brief_file, lang, reporter) for lang in languages}
        for audience in audiences:
            paper = project.paper(options.paper, audience)
            editions: dict[str, Edition] = {}
            for lang in languages:
                if not complete[lang]:
                    _fail(reporter, result, options, brief_file, audience, lang,
                          f"not every field is translated into {lang!r}")
                    continue
                edition = _attempt(partial(make_edition, brief_file, audience, lang,
                                           templates, paper),
                                   brief_file, audience, lang, reporter, result, options)
                if edition:
                    _write(edition, brief_file, audience, lang, options, reporter, result)
                    editions[lang] = edition
            if len(languages) < 2:
                continue
            pair = languages[:2]
            name = "-".join(pair)
            if not all(complete[lang] for lang in pair):
                _fail(reporter, result, options, brief_file, audience, name,
                      "both languages must be complete")
                continue
            edition = _attempt(partial(make_bilingual_edition, brief_file, audience, pair,
                                       templates, paper, editions),
                               brief_file, audience, name, reporter, result, options)
            if edition:
                _write(edition, brief_file, audience, name, options, reporter, result)
    return result


def _report_missing(brief_file: BriefFile, lang: str, reporter: Reporter) -> bool:
    """Report every field not translated into ``lang``; True when there is none."""
    missing = missing_translations(brief_file.brief, lang)
    for path in missing:
        reporter.problem(Problem(brief_file.location(path), f"missing {lang!r} translation",
                                 format_path(path)))
    return not missing


@dataclass
class Edition:
    """One audience in one language (or two, bilingual), laid out and fitted, not written."""

    html: str
    fit: Fit
    problems: list[Problem]
    budget: int | None

    @property
    def ok(self) -> bool:
        return self.fit.fits


def make_edition(brief_file: BriefFile, audience: Audience, lang: str, templates: Templates,
                 paper: Paper) -> Edition:
    """Render and fit one edition; an overflow comes back as problems a writer can act on."""
    return _fitted(brief_file, audience, lang, templates, audience.config.max_pages,
                   lambda scale: templates.render(brief_file, audience, lang, paper, scale))


def make_bilingual_edition(brief_file: BriefFile, audience: Audience, langs: list[str],
                           templates: Templates, paper: Paper,
                           editions: dict[str, Edition]) -> Edition | None:
    """The bilingual edition of ``langs``: parallel columns, or one language per page.

    In "pages" mode each language keeps the page it was fitted to on its own (Russian
    runs 15-25% longer than English), so the PDF is made of those pages as they are.
    """
    name = "-".join(langs)
    if audience.config.bilingual == "parallel":
        return _fitted(brief_file, audience, name, templates, audience.bilingual_max_pages,
                       lambda scale: templates.render_bilingual(brief_file, audience, langs,
                                                                paper, scale))
    from .pdf import Fit, Layout

    if not all(lang in editions and editions[lang].ok for lang in langs):
        return None  # a language that failed has been reported already
    parts = [editions[lang].fit for lang in langs]
    scale = min((part.scale for part in parts), key=lambda s: s.font_size)
    html = templates.render_bilingual(brief_file, audience, langs, paper, scale)
    first = parts[0].layout.document
    document = first.copy([page for part in parts for page in part.layout.document.pages])
    layout = Layout(document, [])
    return Edition(html, Fit(html, layout, scale, 0, True), [], audience.bilingual_max_pages)


def _fitted(brief_file: BriefFile, audience: Audience, name: str, templates: Templates,
            budget: int | None, render: Callable[[TypeScale], str]) -> Edition:
    from .pdf import fit  # deferred: WeasyPrint is slow to import

    result = fit(render, audience.config.typography.scales(), budget, brief_file.path.parent,
                 [brief_file.path.parent, *templates.folders])
    problems = [Problem(Location(brief_file.path), f"refused {refused}",
                        severity=Severity.WARNING) for refused in result.layout.refused]
    if not result.fits:
        problems += overflow_report(brief_file, f"{audience.name}-{name}", budget or 0, result)
    return Edition(result.html, result, problems, budget)


def overflow_report(brief_file: BriefFile, edition: str, budget: int, result: Fit
                    ) -> list[Problem]:
    """Say how far over the budget an edition is at its floor, and what to cut where."""
    over = result.layout.used - budget
    sections = sorted(result.layout.sections(), key=lambda s: -s.height)
    text_sections = [s for s in sections if s.words]
    words = sum(s.words for s in text_sections)
    room = sum(s.height for s in text_sections)
    # A cut frees less room than its words' share, since a shortened paragraph keeps
    # its last line: ask for a little more than the average density says.
    to_cut = _round_up(over / (room / words) * 1.15) if words and room else 0
    problems = [Problem(
        Location(brief_file.path),
        f"{edition}: {result.layout.used:.2f} pages at {result.scale}, the floor of its "
        f"type scale; the budget is {budget} page{'s' if budget != 1 else ''}: cut about "
        f"{to_cut} words")]
    for section in text_sections:
        share = _round_up(to_cut * section.words / words)
        problems.append(Problem(
            brief_file.source_map.key((section.field,)),
            f"takes {section.height:.2f} pages with {section.words} words; cut about {share} "
            "here", section.field))
    return problems


def _round_up(words: float, step: int = 5) -> int:
    return int(math.ceil(words / step) * step)


def _attempt(make: Callable[[], Edition | None], brief_file: BriefFile, audience: Audience,
             name: str, reporter: Reporter, result: BuildResult,
             options: BuildOptions) -> Edition | None:
    """Make an edition; report its problems, and a failure as failed outputs."""
    try:
        edition = make()
    except BriefgenError as exc:
        _fail(reporter, result, options, brief_file, audience, name, str(exc))
        return None
    if edition is None:
        _fail(reporter, result, options, brief_file, audience, name,
              "a language it is made of failed")
        return None
    for problem in edition.problems:
        reporter.problem(problem)
    if not edition.ok:
        _fail(reporter, result, options, brief_file, audience, name,
              f"{edition.fit.layout.used:.2f} pages at {edition.fit.scale}; the "
              f"{audience.name} budget is {edition.budget}")
        return None
    if options.strict and edition.problems:
        _fail(reporter, result, options, brief_file, audience, name,
              "warnings are errors under --strict")
        return None
    return edition


def _write(edition: Edition, brief_file: BriefFile, audience: Audience, name: str,
           options: BuildOptions, reporter: Reporter, result: BuildResult) -> None:
    from .pdf import write_pdf

    layout = edition.fit.layout
    facts = {"pages": layout.pages, "scale": edition.fit.scale.font_size,
             "passes": edition.fit.passes}
    pdf = write_pdf(layout, source_epoch(brief_file))
    for fmt, data in (("html", edition.html.encode("utf-8")), ("pdf", pdf)):
        target = output_path(options.out_dir, brief_file.id, audience.name, name, fmt)
        changed = write_if_changed(target, data)
        result.built += changed
        result.unchanged += not changed
        detail = (f"{layout.pages} page(s) at {edition.fit.scale}, "
                  f"{edition.fit.passes} layout pass(es)") if fmt == "pdf" else ""
        reporter.event("built" if changed else "unchanged", str(target), detail, **facts)


def _fail(reporter: Reporter, result: BuildResult, options: BuildOptions,
          brief_file: BriefFile, audience: Audience, lang: str, reason: str) -> None:
    for fmt in FORMATS:
        result.failed += 1
        target = output_path(options.out_dir, brief_file.id, audience.name, lang, fmt)
        reporter.event("failed", str(target), reason)


def source_epoch(brief_file: BriefFile) -> int:
    """The time stamped into outputs: SOURCE_DATE_EPOCH if set, else the brief's date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    day = brief_file.brief.date
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


# --- checking -------------------------------------------------------------------------------

@dataclass
class LanguageStatus:
    lang: str
    translated: int
    total: int
    outdated: int = 0
    unconfirmed: int = 0

    def __str__(self) -> str:
        notes = [f"{count} {what}" for count, what in ((self.outdated, "possibly outdated"),
                                                       (self.unconfirmed, "unconfirmed"))
                 if count]
        return f"{self.lang} {self.translated}/{self.total}" + (
            f" ({', '.join(notes)})" if notes else "")


@dataclass
class PageUse:
    audience: str
    edition: str
    pages: int
    budget: int | None
    scale: TypeScale

    def __str__(self) -> str:
        return f"{self.audience}-{self.edition} {self.pages}/{self.budget} page(s) at {self.scale}"


@dataclass
class CheckResult:
    valid: list[BriefFile]
    failed: int
    languages: dict[str, list[LanguageStatus]]
    pages: dict[str, list[PageUse]]

    @property
    def ok(self) -> bool:
        return self.failed == 0


def check(paths: list[Path], reporter: Reporter, project: Project | None = None,
          paper: Paper | None = None, strict: bool = False) -> CheckResult:
    """Validate, report translation completeness, staleness and page budgets; write nothing.

    Possibly outdated translations are warnings, failures under ``strict``.
    """
    from .translations import outdated_problems, translation_states

    project = project or Project(Path.cwd())
    _ = project.config
    templates = project.templates()
    loaded = load_briefs(find_brief_files(paths), project, templates, reporter, strict)
    result = CheckResult(loaded.briefs, len(loaded.failed), {}, {})
    for brief_file in loaded.briefs:
        fields = list(localized_fields(brief_file.brief))
        states = {state.lang: state for state in translation_states(brief_file)}
        statuses = []
        for lang in brief_file.brief.languages:
            complete = _report_missing(brief_file, lang, reporter)
            result.failed += not complete
            state = states.get(lang)
            statuses.append(LanguageStatus(
                lang, len(fields) - len(missing_translations(brief_file.brief, lang)),
                len(fields), len(state.outdated) if state else 0,
                len(state.unconfirmed) if state else 0))
        for problem in outdated_problems(brief_file):
            reporter.problem(problem)
            result.failed += strict
        result.languages[brief_file.id] = statuses
        result.pages[brief_file.id] = _check_pages(brief_file, statuses, templates, project,
                                                   paper, reporter, result)
    return result


def _check_pages(brief_file: BriefFile, statuses: list[LanguageStatus], templates: Templates,
                 project: Project, paper: Paper | None, reporter: Reporter,
                 result: CheckResult) -> list[PageUse]:
    uses = []
    complete = [s.lang for s in statuses if s.translated == s.total]
    for audience in templates.audiences.values():
        if audience.config.max_pages is None:
            continue
        audience_paper = project.paper(paper, audience)
        editions = {lang: make_edition(brief_file, audience, lang, templates, audience_paper)
                    for lang in complete}
        pair = brief_file.brief.languages[:2]
        if len(pair) == 2 and all(lang in editions for lang in pair):
            bilingual = make_bilingual_edition(brief_file, audience, pair, templates,
                                               audience_paper, editions)
            if bilingual is not None:
                editions["-".join(pair)] = bilingual
        for name, edition in editions.items():
            for problem in edition.problems:
                reporter.problem(problem)
            result.failed += not edition.ok
            uses.append(PageUse(audience.name, name, edition.fit.layout.pages, edition.budget,
                                edition.fit.scale))
    return uses
