"""What a person sees: build events on stdout, problems and failures on stderr, one a
line; a traceback only with --debug."""

from __future__ import annotations

import logging
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from ..errors import EXIT_FAILED, EXIT_USAGE, BriefError, BriefgenError, Problem, display_path
from ..events import Event, Report, Reporter


class ConsoleReporter(Reporter):
    """Build events on stdout, problems and failures on stderr.

    The editions made are said a line a brief when the build is over (files, pages,
    type sizes, time); --explain says each file, and why. On a terminal, a progress bar
    (rich) shows a build that takes more than a second; in a log (cron, CI) every line
    is plain.
    """

    def __init__(self, quiet: bool = False, explain: bool = False) -> None:
        self.quiet = quiet
        self.explain = explain
        self.every_file = explain
        self.live = sys.stderr.isatty()
        self.changes: Counter[Path] = Counter()  # lines said of each brief's changes
        self.problems: Counter[bool] = Counter()  # printed, by whether each is an error
        self.made: dict[str, list[Report]] = {}  # by brief, said when the build is over
        self.front_page: Report | None = None
        self.bar = _Bar() if self.live and not quiet else None

    def event(self, report: Report) -> None:
        if report.kind is Event.UP_TO_DATE and not self.explain:
            return
        if report.kind is Event.CHANGED:
            self._change(report)
            return
        failing = report.kind in (Event.FAILED, Event.STALE)
        if self.quiet and not failing:
            return
        made = (Event.BUILT, Event.UNCHANGED, Event.KEPT, Event.CITATION)
        if report.kind in made and not self.explain:
            self.made.setdefault(report.target.parent.name, []).append(report)
            return
        if report.kind is Event.FRONT_PAGE and not self.explain:
            self.front_page = report  # said after the briefs
            return
        suffix = f" ({report.detail})" if report.detail else ""
        if self.explain and report.facts.reason:
            suffix += f" [{report.facts.reason}]"
        self._clear()
        click.echo(f"{report.kind.value:>10}  {display_path(report.target)}{suffix}",
                   err=failing)

    def _change(self, report: Report) -> None:
        """ "   changed  x: key figure "returned" 292 → 318": the first few of a brief's
        changes, all of them with --explain."""
        if self.quiet:
            return
        self.changes[report.target] += 1
        said = self.changes[report.target]
        if said > MAX_CHANGE_LINES and not self.explain:
            if said == MAX_CHANGE_LINES + 1:
                brief = report.target.stem
                click.echo(f"{'':>10}  {brief}: … and more ({brief}/{brief}.changes.json in "
                           "the output folder lists every change; build --explain says all)")
            return
        self._clear()
        click.echo(f"{report.kind.value:>10}  {report.target.stem}: {report.detail}")

    def problem(self, problem: Problem) -> None:
        self._clear()
        self.problems[problem.is_error] += 1
        click.echo(str(problem), err=True)

    def progress(self, done: int, total: int) -> None:
        if self.bar:
            self.bar.update(done, total)

    def finish(self) -> None:
        if self.bar:
            self.bar.stop()
        for brief, reports in sorted(self.made.items()):
            click.echo(f"{'made':>10}  {brief}: {brief_line(reports)}")
        if self.front_page:
            click.echo(f"{'front page':>10}  {display_path(self.front_page.target)} "
                       f"({self.front_page.detail})")
        self.made.clear()
        self.front_page = None

    def failure(self, message: str) -> None:
        self._clear()
        click.echo(f"briefgen: error: {message}", err=True)

    def _clear(self) -> None:
        if self.bar:
            self.bar.stop()


MAX_CHANGE_LINES = 5  # of a brief's changes said without --explain


def brief_line(reports: list[Report]) -> str:
    """One brief's editions made, in a line: "6 built, 2 unchanged: 4 PDFs, 9 pages at
    9-10.5 pt, 2.4 s" (the time its editions took to make, added up)."""
    cited = [r for r in reports if r.kind is Event.CITATION]
    kept = sum(r.kind is Event.KEPT for r in reports)
    reports = [r for r in reports if r.kind not in (Event.CITATION, Event.KEPT)]
    built = sum(r.kind is Event.BUILT for r in reports)
    line = f"{built} built, {len(reports) - built} unchanged"
    # Kept: not laid out again, what they show being as before (the other language changed).
    line += f", {kept} kept" if kept else ""
    pdfs = [r.facts for r in reports if r.target.suffix == ".pdf"]
    sizes = sorted({f.scale for f in pdfs if f.scale})
    if pdfs:
        size = f"{sizes[0]:g}" + (f"-{sizes[-1]:g}" if len(sizes) > 1 else "")
        line += (f": {len(pdfs)} PDF(s), {sum(f.pages or 0 for f in pdfs)} page(s) at {size} "
                 f"pt, {sum(f.seconds or 0 for f in pdfs):.1f} s")
    return line + ("; its citation written" if cited else "")


class _Bar:
    """A progress bar on the terminal, shown once a build has taken a second; gone
    when it ends or when a line is printed above it."""

    def __init__(self) -> None:
        import time

        self.started = time.monotonic()
        self.progress: Any = None

    def update(self, done: int, total: int) -> None:
        import time

        if self.progress is None:
            if time.monotonic() - self.started < 1 or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.progress = Progress(TextColumn("briefs and audiences made"), BarColumn(),
                                     MofNCompleteColumn(), transient=True,
                                     console=Console(stderr=True))
            self.progress.start()
            self.task = self.progress.add_task("", total=total)
        self.progress.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def usage_error(message: str) -> NoReturn:
    click.echo(f"briefgen: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def run_command(run: Callable[[], int], debug: bool) -> NoReturn:
    """Run a command body, turning every failure into a message and an exit code."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(name)s: %(levelname)s: %(message)s")
    # briefgen collects WeasyPrint's warnings and reports them with the edition they
    # concern (and fails it under --strict); they need not be printed twice.
    logging.getLogger("weasyprint").propagate = debug
    try:
        code = run()
    except BriefError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        code = exc.exit_code
    except BriefgenError as exc:
        click.echo(f"briefgen: error: {exc}", err=True)
        code = exc.exit_code
    except Exception as exc:  # an internal error: say so, without a wall of text
        if debug:
            traceback.print_exc()
        else:
            click.echo(f"briefgen: internal error: {type(exc).__name__}: {exc} "
                       "(run with --debug for the traceback)", err=True)
        code = EXIT_FAILED
    sys.exit(code)
