"""Editions: a validated brief rendered and fitted for one audience, ready to write.

The heavy half of a build (YAML and pydantic, Jinja, WeasyPrint), which build.py
imports only once it knows that something has to be made.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .deps import Digests, EditionRecord, key_of, output_stat
from .errors import BriefError, BriefgenError, Location, Problem, Severity
from .files import write_if_changed
from .load import format_path, load_yaml
from .model import BriefFile, validate_brief
from .pdf import Fit, Layout, fit, lay_out, write_pdf
from .plan import (
    FORMATS,
    BuildOptions,
    Plan,
    Reporter,
    Task,
    TaskOutcome,
    find_brief_files,
    output_path,
)
from .render import Audience, Paper, Templates, TypeScale
from .text import localized_fields, missing_translations

PROJECT_CONFIG = "briefgen.yaml"


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


@dataclass
class Loaded:
    briefs: list[BriefFile]
    failed: list[Path]


# Kept across tasks and builds in one process (a worker, `briefgen watch`): templates
# compile once (a tenth of a second) while the project's template files stay as they
# are; a brief is parsed again only when its file changed.
_TEMPLATES: dict[tuple[Path, tuple[tuple[str, int], ...]], Templates] = {}
_BRIEFS: dict[tuple[Path, str | None], BriefFile] = {}


def templates_of(project: Project) -> Templates:
    """The project's templates, compiled again only after a template file changed.

    A new project template can shadow a built-in one that Jinja has cached, so any
    change under templates/ starts afresh.
    """
    folder = project.templates_dir
    signature = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*")
                             if p.is_file())) if folder.is_dir() else ()
    key = (project.root.resolve(), signature)
    if key not in _TEMPLATES:
        _TEMPLATES.clear()
        _TEMPLATES[key] = project.templates()
    return _TEMPLATES[key]


def validated(path: Path, templates: Templates, project_root: Path) -> BriefFile:
    """A brief, loaded and validated, or from the cache while its file is unchanged."""
    key = (path.resolve(), Digests()(key_of(path)))
    if key not in _BRIEFS:
        _BRIEFS[key] = validate_brief(load_yaml(path), set(templates.audiences), project_root)
    return _BRIEFS[key]


def load_briefs(files: list[Path], project: Project, templates: Templates,
                reporter: Reporter, strict: bool = False) -> Loaded:
    """Load and validate every file, reporting all problems of all of them."""
    briefs, failed = [], []
    for path in files:
        try:
            brief_file = validated(path, templates, project.root)
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


def report_missing(brief_file: BriefFile, lang: str, reporter: Reporter) -> bool:
    """Report every field not translated into ``lang``; True when there is none."""
    missing = missing_translations(brief_file.brief, lang)
    for path in missing:
        reporter.problem(Problem(brief_file.location(path), f"missing {lang!r} translation",
                                 format_path(path)))
    return not missing


# --- editions -------------------------------------------------------------------------------

@dataclass
class Edition:
    """One audience in one language (or two, bilingual), laid out and fitted, not written."""

    html: str
    fit: Fit
    problems: list[Problem]
    budget: int | None
    inputs: set[tuple[Path, bool]]  # what it was made from: (file, exists)

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
                           editions: dict[str, Edition] | None = None) -> Edition | None:
    """The bilingual edition of ``langs``: parallel columns, or one language per page.

    In "pages" mode each language keeps the page it was fitted to on its own (Russian
    runs 15-25% longer than English), so the PDF is made of those pages as they are;
    ``editions`` may hold them already, made for the single-language outputs.
    """
    name = "-".join(langs)
    if audience.config.bilingual == "parallel":
        return _fitted(brief_file, audience, name, templates, audience.bilingual_max_pages,
                       lambda scale: templates.render_bilingual(brief_file, audience, langs,
                                                                paper, scale))
    editions = dict(editions or {})
    for lang in langs:
        if lang not in editions:
            editions[lang] = make_edition(brief_file, audience, lang, templates, paper)
    if not all(editions[lang].ok for lang in langs):
        return None  # the language that overflows is reported with its own edition
    parts = [editions[lang] for lang in langs]
    scale = min((part.fit.scale for part in parts), key=lambda s: s.font_size)
    with templates.recording() as inputs:
        html = templates.render_bilingual(brief_file, audience, langs, paper, scale)
    pages = [page for part in parts for page in part.fit.layout.document.pages]
    layout = Layout(parts[0].fit.layout.document.copy(pages), [],
                    [path for part in parts for path in part.fit.layout.served])
    inputs |= set().union(*(part.inputs for part in parts))
    return Edition(html, Fit(html, layout, scale, 0, True), [], audience.bilingual_max_pages,
                   inputs)


def _fitted(brief_file: BriefFile, audience: Audience, name: str, templates: Templates,
            budget: int | None, render: Callable[[TypeScale], str]) -> Edition:
    with templates.recording() as inputs:
        result = fit(render, audience.config.typography.scales(), budget,
                     brief_file.path.parent, [brief_file.path.parent, *templates.folders])
    inputs |= brief_inputs(brief_file) | {(path, True) for path in result.layout.served}
    problems = [Problem(Location(brief_file.path), f"refused {refused}",
                        severity=Severity.WARNING) for refused in result.layout.refused]
    if not result.fits:
        problems += overflow_report(brief_file, f"{audience.name}-{name}", budget or 0, result)
    return Edition(result.html, result, problems, budget, inputs)


def brief_inputs(brief_file: BriefFile) -> set[tuple[Path, bool]]:
    """The brief, the files it names in ``sources:``, and the project's settings file."""
    folder = brief_file.path.parent
    config = Path(PROJECT_CONFIG)
    return ({(brief_file.path, True), (config, config.is_file())}
            | {(folder / source, True) for source in brief_file.brief.sources})


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


def source_epoch(brief_file: BriefFile) -> int:
    """The time stamped into outputs: SOURCE_DATE_EPOCH if set, else the brief's date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    day = brief_file.brief.date
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


# --- planning and making, for build.py ------------------------------------------------------

def plan_loaded(paths: list[Path], audiences: list[str], options: BuildOptions,
                reporter: Reporter, plan: Plan, project_root: Path,
                sort: Callable[[Plan, Path, str, str, str], None]) -> None:
    """Parse and validate briefs that changed, and file each edition they make.

    Problems in the briefs (and missing translations) are reported here, once, so
    that the workers that make the editions need not report them again.
    """
    project = Project(project_root)
    _ = project.config  # a broken briefgen.yaml stops the run before anything is built
    loaded = load_briefs(paths, project, templates_of(project), reporter, options.strict)
    plan.failed_briefs += len(loaded.failed)
    digests = Digests()
    for brief_file in loaded.briefs:
        languages = brief_file.brief.languages
        complete = {lang: report_missing(brief_file, lang, reporter) for lang in languages}
        names = languages + (["-".join(languages[:2])] if len(languages) > 1 else [])
        plan.checked[key_of(brief_file.path)] = {
            "id": brief_file.id, "digest": digests(key_of(brief_file.path)),
            "ok": all(complete.values()), "audiences": {a: names for a in audiences}}
        for audience in audiences:
            for name in names:
                missing = [lang for lang in name.split("-") if not complete[lang]]
                if not missing:
                    sort(plan, brief_file.path, audience, name, brief_file.id)
                    continue
                reason = (f"not every field is translated into {missing[0]!r}" if "-" not in
                          name else "both languages must be complete")
                plan.failed += [(str(output_path(options.out_dir, brief_file.id, audience,
                                                 name, fmt)), reason) for fmt in FORMATS]


def warm_up(project_root: Path) -> None:
    """Load what the first edition would: WeasyPrint, fonts, compiled templates.

    `briefgen watch` calls this while it waits, so that the first save after it
    starts reaches its PDF as fast as the later ones.
    """
    templates = templates_of(Project(project_root))
    for audience in templates.audiences.values():
        for name in (audience.template_name, audience.bilingual_template_name):
            # A broken template is reported when an edition uses it, not here.
            with contextlib.suppress(Exception):
                templates.env.get_template(name)
    write_pdf(lay_out('<html lang="en"><p style="font-family: PT Sans">Aa Яя</p></html>',
                      project_root, [project_root]), 0)


def split_for_pool(tasks: list[Task], project_root: Path) -> list[Task]:
    """One task per edition, so that a pool's workers share the work evenly.

    Editions that one-language-per-page bilingual editions are made of stay together
    with them: the bilingual one reuses their fitted pages.
    """
    templates = templates_of(Project(project_root))
    split = []
    for task in tasks:
        if templates.audiences[task.audience].config.bilingual == "pages":
            split.append(task)
        else:
            split += [Task(task.brief, task.audience, {name: reason})
                      for name, reason in task.editions.items()]
    return split


def run_task(task: Task, options: BuildOptions, project_root: Path) -> TaskOutcome:
    """Make and write the editions of one brief for one audience (in a worker process)."""
    project = Project(project_root)
    templates = templates_of(project)
    events: list[tuple[str, str, str, dict]] = []
    problems: list[Problem] = []
    records: list[EditionRecord] = []
    brief_key = key_of(task.brief)
    try:
        brief_file = validated(task.brief, templates, project_root)
        audience = templates.audience(task.audience)
        paper = project.paper(options.paper, audience)  # type: ignore[arg-type]
    except BriefgenError as exc:
        for name, reason in task.editions.items():
            events += _failed(options, task, name, "?", str(exc), reason)
        return TaskOutcome(brief_key, events, problems, records, False)

    made: dict[str, Edition] = {}
    ok = True
    # Single languages first: a one-language-per-page bilingual edition reuses them.
    for name in sorted(task.editions, key=lambda n: "-" in n):
        reason = task.editions[name]
        try:
            if "-" in name:
                edition = make_bilingual_edition(brief_file, audience, name.split("-"),
                                                 templates, paper, made)
            else:
                edition = made[name] = make_edition(brief_file, audience, name, templates,
                                                    paper)
        except BriefgenError as exc:
            events += _failed(options, task, name, brief_file.id, str(exc), reason)
            ok = False
            continue
        if edition is None:
            events += _failed(options, task, name, brief_file.id,
                              "a language it is made of failed", reason)
            ok = False
            continue
        problems += edition.problems
        failure = _failure(edition, audience, options)
        if failure:
            events += _failed(options, task, name, brief_file.id, failure, reason)
            ok = False
            continue
        record, written = _write(edition, brief_file, audience.name, name, options, reason)
        events += written
        records.append(record)
    return TaskOutcome(brief_key, events, problems, records, ok)


def _failure(edition: Edition, audience: Audience, options: BuildOptions) -> str | None:
    if not edition.ok:
        return (f"{edition.fit.layout.used:.2f} pages at {edition.fit.scale}; the "
                f"{audience.name} budget is {edition.budget}")
    if options.strict and edition.problems:
        return "warnings are errors under --strict"
    return None


def _failed(options: BuildOptions, task: Task, name: str, brief_id: str, why: str,
            reason: str) -> list[tuple[str, str, str, dict]]:
    brief_id = brief_id if brief_id != "?" else task.brief.stem
    return [("failed", str(output_path(options.out_dir, brief_id, task.audience, name, fmt)),
             why, {"reason": reason}) for fmt in FORMATS]


def _write(edition: Edition, brief_file: BriefFile, audience: str, name: str,
           options: BuildOptions, reason: str
           ) -> tuple[EditionRecord, list[tuple[str, str, str, dict]]]:
    """Write an edition's HTML and PDF, and the record of what they were made from."""
    layout = edition.fit.layout
    facts = {"pages": layout.pages, "scale": edition.fit.scale.font_size,
             "passes": edition.fit.passes, "reason": reason}
    pdf = write_pdf(layout, source_epoch(brief_file))
    events, outputs = [], {}
    for fmt, data in (("html", edition.html.encode("utf-8")), ("pdf", pdf)):
        target = output_path(options.out_dir, brief_file.id, audience, name, fmt)
        changed = write_if_changed(target, data)
        outputs[key_of(target)] = output_stat(target)
        detail = (f"{layout.pages} page(s) at {edition.fit.scale}, "
                  f"{edition.fit.passes} layout pass(es)") if fmt == "pdf" else ""
        events.append(("built" if changed else "unchanged", str(target), detail, facts))
    digests = Digests()
    inputs = {key_of(path): (digests(key_of(path)) if exists else None)
              for path, exists in sorted(edition.inputs)}
    record = EditionRecord(key_of(brief_file.path), audience, name, inputs, outputs,
                           options.edition_options())
    return record, events


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
            complete = report_missing(brief_file, lang, reporter)
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
