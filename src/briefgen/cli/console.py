"""What a person sees: build events on stdout, problems and failures on stderr, one a
line; a traceback only with --debug."""

from __future__ import annotations

import logging
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from ..errors import EXIT_FAILED, EXIT_USAGE, BriefError, BriefgenError, Problem, display_path
from ..events import Event, Report, Reporter


class ConsoleReporter(Reporter):
    """Build events on stdout, problems and failures on stderr.

    On a terminal, a progress line stands in for the "up to date" lines; in a log
    (cron, CI) every line is plain.
    """

    def __init__(self, quiet: bool = False, explain: bool = False) -> None:
        self.quiet = quiet
        self.explain = explain
        self.live = sys.stderr.isatty()
        self.changes: Counter[Path] = Counter()  # lines said of each brief's changes
        self.problems: Counter[bool] = Counter()  # printed, by whether each is an error

    def event(self, report: Report) -> None:
        if report.kind is Event.UP_TO_DATE and not self.explain:
            return
        if report.kind is Event.CHANGED:
            self._change(report)
            return
        failing = report.kind in (Event.FAILED, Event.STALE)
        if self.quiet and not failing:
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
        if self.live and not self.quiet:
            click.echo(f"\r[{done}/{total}] briefs and audiences made", nl=done == total,
                       err=True)

    def failure(self, message: str) -> None:
        self._clear()
        click.echo(f"briefgen: error: {message}", err=True)

    def _clear(self) -> None:
        if self.live:
            click.echo("\r\033[K", nl=False, err=True)


MAX_CHANGE_LINES = 5  # of a brief's changes said without --explain


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
