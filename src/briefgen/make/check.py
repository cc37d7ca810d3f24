"""`briefgen check`: validate, check quotes against their sources, count translations
and evidence, measure page budgets; write nothing.

It makes every edition with a page budget as a build would (in worker processes, with
the same project settings, allowed hosts and render limits) but writes none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BriefError, Location, Problem
from ..events import Reporter
from ..render.templates import templates_for
from ..source.briefs import load_briefs, report_missing
from ..source.editions import Edition, editions_of
from ..source.evidence import Coverage, check_evidence
from ..source.model import (
    BriefFile,
    localized_fields,
    missing_translations,
    translatable_fields,
)
from ..source.project import Project, find_brief_files
from ..source.remote import RemoteSources
from ..source.translations import outdated_problems, translation_states
from .pool import Workers
from .task import MakeOptions, Task, limits


@dataclass
class LanguageStatus:
    lang: str
    translated: int
    total: int
    outdated: int = 0
    unconfirmed: int = 0
    neutral: int = 0  # fields written once for every language: nothing to translate
    draft: bool = False

    def __str__(self) -> str:
        notes = [f"{count} {what}" for count, what in (
            (self.outdated, "possibly outdated"), (self.unconfirmed, "unconfirmed")) if count]
        notes = ["draft"] * self.draft + notes
        return f"{self.lang} {self.translated}/{self.total}" + (
            f" ({', '.join(notes)})" if notes else "")


@dataclass
class PageUse:
    audience: str
    edition: Edition
    pages: int
    budget: int | None
    scale: float  # pt
    measures: str = ""

    def __str__(self) -> str:
        budget = f"/{self.budget}" if self.budget else ""
        measures = f"; {self.measures}" if self.measures else ""
        return (f"{self.audience}-{self.edition}: {self.pages}{budget} page(s) at "
                f"{self.scale:g} pt{measures}")


@dataclass
class CheckResult:
    valid: list[BriefFile] = field(default_factory=list)
    failed: int = 0
    languages: dict[str, list[LanguageStatus]] = field(default_factory=dict)
    pages: dict[str, list[PageUse]] = field(default_factory=dict)
    coverage: dict[str, Coverage] = field(default_factory=dict)
    invalid: int = 0  # briefs that failed to load

    @property
    def ok(self) -> bool:
        return self.failed == 0


def check(paths: list[Path], reporter: Reporter, project: Project,
          options: MakeOptions | None = None, jobs: int = 1,
          layout: bool = True) -> CheckResult:
    """Validate, report translation completeness, staleness and page budgets.

    Possibly outdated translations are warnings, failures under ``options.strict``.
    The editions are made in worker processes, with the project's settings, as a
    build makes them.
    """
    options = options or MakeOptions(project.root / "build")
    templates = templates_for(project)
    for problem in templates.brand_problems:
        reporter.problem(problem)
    loaded = load_briefs(find_brief_files(paths), templates.audiences, project.root,
                         reporter, options.strict,
                         RemoteSources.of(project, options.out_dir, options.offline),
                         members=True)
    result = CheckResult(loaded.briefs, len(loaded.failed) + (
        options.strict and bool(templates.brand_problems)), invalid=len(loaded.failed))
    # A language briefgen.yaml's publication lacks is incomplete in every brief.
    unpublished = set()
    for lang in sorted({lang for b in loaded.briefs for lang in b.brief.languages}):
        for problem in project.config.missing(lang):
            reporter.problem(problem)
            unpublished.add(lang)
    result.failed += len(unpublished)
    tasks = []
    for brief_file in loaded.briefs:
        statuses = _languages(brief_file, reporter, result, options.strict)
        result.languages[brief_file.id] = statuses
        result.coverage[brief_file.id] = check_evidence(brief_file)[1]
        result.pages[brief_file.id] = []
        # A draft is laid out as build makes it, unless --strict refuses it.
        complete = [s.lang for s in statuses if (s.translated == s.total or (
            s.draft and not options.strict)) and s.lang not in unpublished]
        editions = [e for e in editions_of(brief_file.brief.languages)
                    if all(lang in complete for lang in e.languages)]
        tasks += [Task(brief_file.path.resolve(), brief_file.id, audience.name,
                       {edition: "check" for edition in editions}, brief_file.member)
                  for audience in templates.audiences.values() if editions]
    if tasks and layout:
        _measure(tasks, project, options, jobs, reporter, result)
    return result


def _languages(brief_file: BriefFile, reporter: Reporter, result: CheckResult,
               strict: bool) -> list[LanguageStatus]:
    total = len(translatable_fields(brief_file.brief))
    neutral = len(list(localized_fields(brief_file.brief))) - total
    try:
        states = {state.lang: state for state in translation_states(brief_file)}
        outdated = outdated_problems(brief_file)
    except BriefError as exc:  # a broken translations record: say so, check the rest
        for problem in exc.problems:
            reporter.problem(problem)
        result.failed += 1
        states, outdated = {}, []
    statuses = []
    for lang in brief_file.brief.languages:
        missing = report_missing(brief_file, lang, reporter, refuse_drafts=strict)
        result.failed += bool(missing)
        state = states.get(lang)
        untranslated = len(missing_translations(brief_file.brief, lang))
        statuses.append(LanguageStatus(lang, total - untranslated, total,
                                       len(state.outdated) if state else 0,
                                       len(state.unconfirmed) if state else 0, neutral,
                                       brief_file.brief.is_draft(lang)))
    for problem in outdated:
        reporter.problem(problem)
        result.failed += strict
    return statuses


def _measure(tasks: list[Task], project: Project, options: MakeOptions, jobs: int,
             reporter: Reporter, result: CheckResult) -> None:
    """Lay out every edition of ``tasks`` in worker processes, writing nothing."""
    by_id = {brief_file.id: brief_file for brief_file in result.valid}
    seconds, _ = limits(project, options)
    reported: set[Problem] = set()
    workers = Workers(jobs)
    try:
        outcomes = list(workers.run(tasks, options, project.root, seconds, write=False))
    finally:
        workers.close()
    for outcome in sorted(outcomes, key=lambda o: (o.task.brief_id, o.task.audience)):
        task = outcome.task
        for problem in outcome.problems:
            if problem not in reported:
                reported.add(problem)
                reporter.problem(problem)
        for count in outcome.pages:
            result.pages[task.brief_id].append(PageUse(task.audience, count.edition,
                                                       count.pages, count.budget,
                                                       count.scale, count.measures))
            result.failed += options.strict and bool(outcome.problems)
        for edition, why in outcome.failures.items():
            result.failed += 1
            if "budget" not in why:  # an overflow is reported with what to cut
                reporter.problem(Problem(Location(by_id[task.brief_id].path),
                                         f"{task.audience}-{edition}: {why}"))
    for uses in result.pages.values():
        uses.sort(key=lambda use: (use.audience, use.edition.bilingual, use.edition.name))
