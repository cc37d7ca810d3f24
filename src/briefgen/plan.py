"""What a build is asked to do and how it tells of it: the vocabulary that build.py
(which decides) and editions.py (which makes) share.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .deps import EditionRecord, edition_key, environment, key_of
from .errors import Problem, UsageError

BRIEF_SUFFIXES = (".yaml", ".yml")
FORMATS = ("html", "pdf")


# --- reporting ------------------------------------------------------------------------

class Reporter:
    """Receives build events; the CLI prints them, tests record them."""

    def event(self, kind: str, target: str, detail: str = "", **facts: Any) -> None:
        """kind: built, unchanged (remade, same bytes), up to date, failed, removed, or
        front page (index.html written)."""

    def problem(self, problem: Problem) -> None:
        """A located error or warning in an input."""

    def progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` pieces of work (a brief for one audience) are finished."""

    def failure(self, message: str) -> None:
        """A run failed as a whole (a lock held, a usage error) but goes on (watch)."""


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


@dataclass
class BuildOptions:
    out_dir: Path = Path("build")
    audiences: list[str] | None = None  # None: every audience the project has
    paper: str | None = None  # None: the project's, else each audience's own
    strict: bool = False
    force: bool = False
    jobs: int = 1
    wait: float = 0.0  # seconds to wait for another build's lock; 0: fail at once
    render_timeout: float | None = 300.0  # seconds one edition may take to make
    memory_limit_mb: int | None = 2048  # memory one edition may take beyond what is in use

    def edition_options(self) -> dict[str, str]:
        """The options and versions that change an edition's bytes."""
        return {"paper option": self.paper or "-",
                "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "-"),
                **environment()}


@dataclass
class Task:
    """Editions of one brief for one audience to make, each with why."""

    brief: Path
    audience: str
    editions: dict[str, str]  # edition name -> reason

    def cost(self, manifest: Any) -> float:
        """Seconds this task took at the last build that made it, or a guess."""
        total = 0.0
        for name in self.editions:
            record = manifest.records.get(edition_key(key_of(self.brief), self.audience, name))
            if record is not None and record.seconds:
                total += record.seconds
            else:  # bilingual and multi-page editions take longest
                total += (0.6 if "-" in name else 0.3) * (
                    1 if self.audience == "policymaker" else 1.5)
        return total


@dataclass
class Plan:
    tasks: list[Task] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)  # output paths
    orphans: list[EditionRecord] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # output, reason
    failed_briefs: int = 0
    checked: dict[str, dict[str, Any]] = field(default_factory=dict)  # brief entries

    @property
    def has_work(self) -> bool:
        return bool(self.tasks or self.orphans)


@dataclass
class TaskOutcome:
    """What a task made, sent back from a worker process."""

    brief: str
    events: list[tuple[str, str, str, dict[str, Any]]]
    problems: list[Problem]
    records: list[EditionRecord]
    ok: bool


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


def output_path(out_dir: Path, brief_id: str, audience: str, edition: str, fmt: str) -> Path:
    return out_dir / brief_id / f"{brief_id}-{audience}-{edition}.{fmt}"
