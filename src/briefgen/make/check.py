"""`briefgen check`: validate, count translations, measure page budgets; write nothing.

It makes every edition a build would (with the same project settings, allowed hosts
and render limits) but writes none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BriefgenError, Location, Problem
from ..events import Reporter
from ..layout.limits import RenderLimitError, render_limits
from ..render.audiences import TypeScale
from ..source.briefs import load_briefs, report_missing
from ..source.editions import Edition, editions_of
from ..source.model import BriefFile, localized_fields
from ..source.project import Project, find_brief_files
from ..source.translations import outdated_problems, translation_states
from .edition import MadeEdition, Maker, PartFailedError
from .task import MakeOptions
from .worker import limits


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
    edition: Edition
    pages: int
    budget: int | None
    scale: TypeScale

    def __str__(self) -> str:
        return f"{self.audience}-{self.edition} {self.pages}/{self.budget} page(s) at {self.scale}"


@dataclass
class CheckResult:
    valid: list[BriefFile] = field(default_factory=list)
    failed: int = 0
    languages: dict[str, list[LanguageStatus]] = field(default_factory=dict)
    pages: dict[str, list[PageUse]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.failed == 0


def check(paths: list[Path], reporter: Reporter, project: Project,
          options: MakeOptions | None = None) -> CheckResult:
    """Validate, report translation completeness, staleness and page budgets.

    Possibly outdated translations are warnings, failures under ``options.strict``.
    """
    options = options or MakeOptions(project.root / "build")
    maker = Maker.of(project)
    loaded = load_briefs(find_brief_files(paths), maker.templates.audiences, project.root,
                         reporter, options.strict)
    result = CheckResult(loaded.briefs, len(loaded.failed))
    for brief_file in loaded.briefs:
        statuses = _languages(brief_file, reporter, result, options.strict)
        result.languages[brief_file.id] = statuses
        complete = [s.lang for s in statuses if s.translated == s.total]
        result.pages[brief_file.id] = _pages(brief_file, complete, maker, options, reporter,
                                             result)
    return result


def _languages(brief_file: BriefFile, reporter: Reporter, result: CheckResult,
               strict: bool) -> list[LanguageStatus]:
    total = len(list(localized_fields(brief_file.brief)))
    states = {state.lang: state for state in translation_states(brief_file)}
    statuses = []
    for lang in brief_file.brief.languages:
        missing = report_missing(brief_file, lang, reporter)
        result.failed += bool(missing)
        state = states.get(lang)
        statuses.append(LanguageStatus(lang, total - len(missing), total,
                                       len(state.outdated) if state else 0,
                                       len(state.unconfirmed) if state else 0))
    for problem in outdated_problems(brief_file):
        reporter.problem(problem)
        result.failed += strict
    return statuses


def _pages(brief_file: BriefFile, complete: list[str], maker: Maker, options: MakeOptions,
           reporter: Reporter, result: CheckResult) -> list[PageUse]:
    seconds, memory = limits(maker.project, options)
    editions = [e for e in editions_of(brief_file.brief.languages)
                if all(lang in complete for lang in e.languages)]
    uses = []
    for audience in maker.templates.audiences.values():
        if audience.config.max_pages is None:
            continue
        paper = maker.paper(audience, options.paper)
        made: dict[Edition, MadeEdition] = {}
        for edition in editions:
            try:
                with render_limits(seconds, memory):
                    result_edition = maker.make(brief_file, audience, edition, paper, made)
            except PartFailedError:
                continue  # the language that overflows is reported with its own edition
            except (BriefgenError, RenderLimitError) as exc:
                reporter.problem(Problem(Location(brief_file.path),
                                         f"{audience.name}-{edition}: {exc}"))
                result.failed += 1
                continue
            made.setdefault(edition, result_edition)
            for problem in result_edition.problems:
                reporter.problem(problem)
            result.failed += not result_edition.fits
            result.failed += options.strict and bool(result_edition.problems)
            uses.append(PageUse(audience.name, edition, result_edition.layout.pages,
                                result_edition.budget, result_edition.scale))
    return uses
