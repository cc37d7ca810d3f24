"""What to build, in what order, written how.

A build loads and validates every brief first, then renders each edition (one
audience in one language, as HTML and PDF) and writes it atomically. A brief that
fails, or one edition of it, never stops the others, and never touches the files a
previous good build left.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BriefError, BriefgenError, Location, Problem, Severity, UsageError
from .load import format_path, load_yaml
from .model import BriefFile, validate_brief
from .render import Audience, Paper, Templates
from .text import localized_fields, missing_translations

logger = logging.getLogger("briefgen")

BRIEF_SUFFIXES = (".yaml", ".yml")
FORMATS = ("html", "pdf")


# --- reporting ------------------------------------------------------------------------

class Reporter:
    """Receives build events; the CLI prints them, tests record them."""

    def event(self, kind: str, target: str, detail: str = "") -> None:
        """kind is one of: built, unchanged, failed."""

    def problem(self, problem: Problem) -> None:
        """A located error or warning in an input."""


@dataclass
class RecordingReporter(Reporter):
    events: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def event(self, kind: str, target: str, detail: str = "") -> None:
        self.events.append((kind, target, detail))

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)

    def targets(self, kind: str) -> list[str]:
        return [target for k, target, _ in self.events if k == kind]


# --- the project ------------------------------------------------------------------------

@dataclass
class Project:
    """A folder holding briefs/ and, optionally, templates/ of its own."""

    root: Path

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
    paper: Paper = "a4"
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
    templates = project.templates()
    audiences = [templates.audience(name) for name in
                 (options.audiences or sorted(templates.audiences))]
    loaded = load_briefs(find_brief_files(paths), project, templates, reporter, options.strict)
    result = BuildResult(failed_briefs=len(loaded.failed))
    for brief_file in loaded.briefs:
        for lang in brief_file.brief.languages:
            missing = missing_translations(brief_file.brief, lang)
            if missing:
                for path in missing:
                    reporter.problem(Problem(brief_file.location(path),
                                             f"missing {lang!r} translation",
                                             format_path(path)))
                for audience in audiences:
                    _fail(reporter, result, options, brief_file, audience, lang,
                          f"{len(missing)} field(s) not translated into {lang!r}")
                continue
            for audience in audiences:
                _build_edition(brief_file, audience, lang, templates, project, options,
                               reporter, result)
    return result


def _build_edition(brief_file: BriefFile, audience: Audience, lang: str,
                   templates: Templates, project: Project, options: BuildOptions,
                   reporter: Reporter, result: BuildResult) -> None:
    from .pdf import render_pdf  # deferred: WeasyPrint is slow to import

    try:
        html = templates.render(brief_file, audience, lang, options.paper)
        pdf = render_pdf(html, brief_file.path.parent,
                         [brief_file.path.parent, *templates.folders], source_epoch(brief_file))
    except BriefgenError as exc:
        _fail(reporter, result, options, brief_file, audience, lang, str(exc))
        return
    limit = audience.config.max_pages
    if limit is not None and pdf.pages > limit:
        _fail(reporter, result, options, brief_file, audience, lang,
              f"{pdf.pages} pages; the {audience.name} budget is {limit}")
        return
    for warning in pdf.warnings:
        reporter.problem(Problem(Location(brief_file.path), warning,
                                 severity=Severity.WARNING))
    if options.strict and pdf.warnings:
        _fail(reporter, result, options, brief_file, audience, lang,
              "warnings are errors under --strict")
        return
    for fmt, data in (("html", html.encode("utf-8")), ("pdf", pdf.data)):
        target = output_path(options.out_dir, brief_file.id, audience.name, lang, fmt)
        changed = write_if_changed(target, data)
        result.built += changed
        result.unchanged += not changed
        reporter.event("built" if changed else "unchanged", str(target),
                       f"{pdf.pages} page(s)" if fmt == "pdf" else "")


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


def write_if_changed(target: Path, data: bytes) -> bool:
    """Atomically replace ``target`` with ``data`` unless it already holds exactly that.

    Writing to a temporary file in the same folder and renaming it means a reader,
    a crash or a kill never sees half a file; skipping identical bytes keeps
    watchers and `git status` quiet.
    """
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


# --- checking -------------------------------------------------------------------------------

@dataclass
class LanguageStatus:
    lang: str
    translated: int
    total: int


@dataclass
class CheckResult:
    valid: list[BriefFile]
    failed: int
    languages: dict[str, list[LanguageStatus]]
    pages: dict[str, list[tuple[str, str, int, int | None]]]

    @property
    def ok(self) -> bool:
        return self.failed == 0


def check(paths: list[Path], reporter: Reporter, project: Project | None = None,
          paper: Paper = "a4", strict: bool = False) -> CheckResult:
    """Validate, report translation completeness and page budgets; write nothing."""
    from .pdf import render_pdf

    project = project or Project(Path.cwd())
    templates = project.templates()
    loaded = load_briefs(find_brief_files(paths), project, templates, reporter, strict)
    result = CheckResult(loaded.briefs, len(loaded.failed), {}, {})
    for brief_file in loaded.briefs:
        fields = list(localized_fields(brief_file.brief))
        statuses = []
        incomplete = False
        for lang in brief_file.brief.languages:
            missing = [path for path, text in fields if not text.has(lang)]
            statuses.append(LanguageStatus(lang, len(fields) - len(missing), len(fields)))
            for path in missing:
                reporter.problem(Problem(brief_file.location(path),
                                         f"missing {lang!r} translation", format_path(path)))
            incomplete |= bool(missing)
        result.languages[brief_file.id] = statuses
        result.failed += incomplete
        pages = []
        for audience in templates.audiences.values():
            limit = audience.config.max_pages
            if limit is None:
                continue
            for status in statuses:
                if status.translated < status.total:
                    continue
                html = templates.render(brief_file, audience, status.lang, paper)
                count = render_pdf(html, brief_file.path.parent,
                                   [brief_file.path.parent, *templates.folders],
                                   source_epoch(brief_file)).pages
                pages.append((audience.name, status.lang, count, limit))
                if count > limit:
                    reporter.problem(Problem(Location(brief_file.path),
                                             f"the {audience.name} {status.lang} edition is "
                                             f"{count} pages; its budget is {limit}"))
                    result.failed += 1
        result.pages[brief_file.id] = pages
    return result
