"""Editions: a validated brief rendered and fitted for one audience, ready to write.

The heavy half of a build (YAML and pydantic, Jinja, WeasyPrint), which build.py
imports only once it knows that something has to be made.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from .deps import Digests, EditionRecord, key_of, output_stat
from .errors import BriefgenError, Location, Problem, Severity
from .files import write_if_changed
from .load import Path_, format_path
from .model import BriefFile
from .pdf import (
    Fit,
    Layout,
    Refusal,
    RenderLimitError,
    ResourcePolicy,
    fit,
    lay_out,
    render_limits,
    write_pdf,
)
from .plan import (
    FORMATS,
    BuildOptions,
    Reporter,
    Task,
    TaskOutcome,
    find_brief_files,
    output_path,
)
from .project import Project, load_briefs, report_missing, templates_of, validated
from .render import Audience, Paper, Templates, TypeScale
from .text import localized_fields

PROJECT_CONFIG = "briefgen.yaml"


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
                 paper: Paper, hosts: frozenset[str] = frozenset()) -> Edition:
    """Render and fit one edition; an overflow comes back as problems a writer can act on.

    ``hosts`` are the web hosts the project allows resources from (briefgen.yaml).
    """
    return _fitted(brief_file, audience, lang, templates, audience.config.max_pages,
                   lambda scale: templates.render(brief_file, audience, lang, paper, scale),
                   hosts)


def make_bilingual_edition(brief_file: BriefFile, audience: Audience, langs: list[str],
                           templates: Templates, paper: Paper,
                           editions: dict[str, Edition] | None = None,
                           hosts: frozenset[str] = frozenset()) -> Edition | None:
    """The bilingual edition of ``langs``: parallel columns, or one language per page.

    In "pages" mode each language keeps the page it was fitted to on its own (Russian
    runs 15-25% longer than English), so the PDF is made of those pages as they are;
    ``editions`` may hold them already, made for the single-language outputs.
    """
    name = "-".join(langs)
    if audience.config.bilingual == "parallel":
        return _fitted(brief_file, audience, name, templates, audience.bilingual_max_pages,
                       lambda scale: templates.render_bilingual(brief_file, audience, langs,
                                                                paper, scale), hosts)
    editions = dict(editions or {})
    for lang in langs:
        if lang not in editions:
            editions[lang] = make_edition(brief_file, audience, lang, templates, paper, hosts)
    if not all(editions[lang].ok for lang in langs):
        return None  # the language that overflows is reported with its own edition
    parts = [editions[lang] for lang in langs]
    scale = min((part.fit.scale for part in parts), key=lambda s: s.font_size)
    with templates.recording() as inputs:
        html = templates.render_bilingual(brief_file, audience, langs, paper, scale)
    pages = [page for part in parts for page in part.fit.layout.document.pages]
    layout = Layout(parts[0].fit.layout.document.copy(pages), [],
                    [path for part in parts for path in part.fit.layout.served])
    # Each page's problems were reported with its own edition.
    inputs |= set().union(*(part.inputs for part in parts))
    return Edition(html, Fit(html, layout, scale, 0, True), [], audience.bilingual_max_pages,
                   inputs)


def _fitted(brief_file: BriefFile, audience: Audience, name: str, templates: Templates,
            budget: int | None, render: Callable[[TypeScale], str],
            hosts: frozenset[str]) -> Edition:
    policy = ResourcePolicy((brief_file.path.parent, *templates.folders), hosts)
    with templates.recording() as inputs:
        result = fit(render, audience.config.typography.scales(), budget,
                     brief_file.path.parent, policy)
    inputs |= brief_inputs(brief_file) | {(path, True) for path in result.layout.served}
    problems = _refusal_problems(brief_file, result.layout.refused)
    problems += [Problem(Location(brief_file.path), f"{audience.name}-{name}: WeasyPrint: "
                         f"{message}", severity=Severity.WARNING)
                 for message in dict.fromkeys(result.layout.warnings)]
    if not result.fits:
        problems += overflow_report(brief_file, f"{audience.name}-{name}", budget or 0, result)
    return Edition(result.html, result, problems, budget, inputs)


_REFERENCE = re.compile(r"""(?:\]\(\s*<?|(?:src|href)\s*=\s*["']?|url\(\s*["']?)([^\s"'()<>]+)""")


def _references(brief_file: BriefFile) -> dict[str, Path_]:
    """Every URL a brief's text names (Markdown links and images, raw src/href), resolved
    as WeasyPrint resolves it, with the field it is written in."""
    base = f"{brief_file.path.parent.resolve().as_uri()}/"
    found: dict[str, Path_] = {}
    for path, text in localized_fields(brief_file.brief):
        values = text.translations or {"": text.value}
        for lang, value in values.items():
            for match in _REFERENCE.finditer(value):
                found.setdefault(urljoin(base, match.group(1)), (*path, lang) if lang else path)
    return found


def _refusal_problems(brief_file: BriefFile, refused: list[Refusal]) -> list[Problem]:
    """A warning per refused resource, at the field that named it (else the file's start)."""
    if not refused:
        return []
    references = _references(brief_file)
    problems = []
    for refusal in refused:
        path = references.get(refusal.url)
        location = brief_file.location(path) if path else Location(brief_file.path)
        problems.append(Problem(location, str(refusal), format_path(path) if path else "",
                                Severity.WARNING))
    return problems


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


# --- making, for build.py (in its worker processes) ----------------------------------------

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
                      project_root, ResourcePolicy((project_root,))), 0)


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

    hosts = frozenset(h.lower() for h in project.config.allowed_hosts)
    made: dict[str, Edition] = {}
    ok = True
    # Single languages first: a one-language-per-page bilingual edition reuses them.
    for name in sorted(task.editions, key=lambda n: "-" in n):
        reason = task.editions[name]
        started = time.perf_counter()
        try:
            with render_limits(options.render_timeout, options.memory_limit_mb):
                if "-" in name:
                    edition = make_bilingual_edition(brief_file, audience, name.split("-"),
                                                     templates, paper, made, hosts)
                else:
                    edition = made[name] = make_edition(brief_file, audience, name,
                                                        templates, paper, hosts)
                failure = _failure(edition, audience, options)
                if edition is not None and not failure:
                    record, written = _write(edition, brief_file, audience.name, name,
                                             options, reason)
        except (BriefgenError, RenderLimitError) as exc:
            why = str(exc) if isinstance(exc, BriefgenError) else (
                f"stopped: {exc}; the previous output is kept")
            events += _failed(options, task, name, brief_file.id, why, reason)
            ok = False
            continue
        if edition is None:
            events += _failed(options, task, name, brief_file.id,
                              "a language it is made of failed", reason)
            ok = False
            continue
        problems += edition.problems
        if failure:
            events += _failed(options, task, name, brief_file.id, failure, reason)
            ok = False
            continue
        events += written
        record.seconds = round(time.perf_counter() - started, 3)
        records.append(record)
    return TaskOutcome(brief_key, events, problems, records, ok)


def _failure(edition: Edition | None, audience: Audience, options: BuildOptions
             ) -> str | None:
    if edition is None:
        return None
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
            missing = report_missing(brief_file, lang, reporter)
            result.failed += bool(missing)
            state = states.get(lang)
            statuses.append(LanguageStatus(
                lang, len(fields) - len(missing), len(fields),
                len(state.outdated) if state else 0,
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
