"""Build events and the reporter that receives them.

The builder and the workers describe what happened as events; the command line prints
them, tests record them and assert on them (Lektor's reporter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from .errors import Problem


class Event(str, Enum):
    BUILT = "built"  # written: its bytes changed
    UNCHANGED = "unchanged"  # made again, the same bytes: not written
    UP_TO_DATE = "up to date"  # not made: nothing it depends on changed
    KEPT = "kept"  # not laid out again: what it shows is as before (the other language changed)
    FAILED = "failed"  # could not be made; a previous file stays
    STALE = "stale"  # would be made (build --check)
    REMOVED = "removed"  # its brief no longer makes it
    FRONT_PAGE = "front page"  # index.html written
    CITATION = "citation"  # a brief's citation file (CSL-JSON, RIS) written
    CHANGED = "changed"  # something a reader sees changed in a brief (detail says what)


@dataclass(frozen=True)
class Facts:
    """What is known of an output made: its layout, and why it was made."""

    reason: str = ""
    pages: int | None = None
    scale: float | None = None  # the body size it was set at, pt
    passes: int | None = None
    seconds: float | None = None  # how long the edition took to make and write


@dataclass(frozen=True)
class Report:
    """One event about one output file."""

    kind: Event
    target: Path
    detail: str = ""
    facts: Facts = Facts()


class Reporter:
    """Receives build events; the CLI prints them, tests record them."""

    # Whether it is told of each file up to date, or only of how many there are (a
    # thousand briefs' no-op build need not make six thousand events nobody reads).
    every_file = True

    def event(self, report: Report) -> None:
        """Something happened to an output."""

    def problem(self, problem: Problem) -> None:
        """A located error or warning in an input."""

    def progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` pieces of work (a brief for one audience) are finished."""

    def finish(self) -> None:
        """A build is over: whatever was held back to be said at its end, said."""

    def failure(self, message: str) -> None:
        """A run failed as a whole (a lock held, a usage error) but goes on (watch)."""


@dataclass
class RecordingReporter(Reporter):
    """Keeps every event and problem, for tests and for callers that report later."""

    reports: list[Report] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def event(self, report: Report) -> None:
        self.reports.append(report)

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)

    def failure(self, message: str) -> None:
        self.failures.append(message)

    def targets(self, kind: Event) -> list[Path]:
        return [r.target for r in self.reports if r.kind is kind]

    def facts(self, target: Path) -> Facts:
        """The facts of the last event about ``target``."""
        return next(r.facts for r in reversed(self.reports) if r.target == target)
