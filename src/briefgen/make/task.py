"""The work a build hands to a worker, and what the worker hands back.

Plain values, light at import: the builder plans with them without loading the heavy
modules that make an edition, and they travel to worker processes by pickling.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import Problem
from ..events import Event, Report
from ..source.editions import Edition
from ..source.project import DEFAULT_MEMORY_LIMIT, DEFAULT_RENDER_TIMEOUT, Paper, Project

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class MakeOptions:
    """How editions are made and where they go."""

    out_dir: Path  # absolute
    paper: Paper | None = None  # None: the project's, else each audience's own
    strict: bool = False
    render_timeout: float | None = None  # seconds; None: the project's, else 300
    memory_limit_mb: int | None = None  # None: the project's, else 2048; 0: none
    offline: bool = False  # web files from the cache only (a worker never fetches)


def limits(project: Project, options: MakeOptions) -> tuple[float, int]:
    """The time (s) and memory (MB) one edition may take: the command line's, else the
    project's briefgen.yaml, else the defaults."""
    config = project.config
    memory = (options.memory_limit_mb if options.memory_limit_mb is not None
              else config.memory_limit or DEFAULT_MEMORY_LIMIT)
    return (options.render_timeout or config.render_timeout or DEFAULT_RENDER_TIMEOUT, memory)


def output_path(out_dir: Path, brief_id: str, audience: str, edition: Edition,
                fmt: str) -> Path:
    return out_dir / brief_id / f"{brief_id}-{audience}-{edition.name}.{fmt}"


@dataclass
class Task:
    """Editions of one brief for one audience to make, each with why."""

    brief: Path  # absolute
    brief_id: str
    audience: str
    editions: dict[Edition, str] = field(default_factory=dict)  # -> the reason
    member: str | None = None  # of the family the brief file makes: its row's key
    seeds: dict[Edition, float] = field(default_factory=dict)  # the sizes fitted last
    # The content each edition's files show (Maker.content), where only the brief's own
    # text changed since: an edition whose content is the same is not laid out again.
    content: dict[Edition, str] = field(default_factory=dict)

    def outputs(self, out_dir: Path, edition: Edition) -> list[Path]:
        return [output_path(out_dir, self.brief_id, self.audience, edition, fmt)
                for fmt in FORMATS]


@dataclass
class EditionMade:
    """An edition written: what it was made from and what it wrote, for the manifest."""

    edition: Edition
    inputs: list[tuple[Path, bool]]  # (file, exists)
    outputs: list[Path]
    seconds: float
    fitted: float | None = None  # the size the fit search chose: the next build's seed
    content: str | None = None  # what its files show (Maker.content)


@dataclass(frozen=True)
class PageCount:
    """How an edition was laid out: for `check`, which writes nothing."""

    edition: Edition
    pages: int
    budget: int | None
    scale: float  # the body size, pt
    measures: str = ""  # the layout inspector's, in one line


@dataclass
class Outcome:
    """What a task did: its events, the problems it found, the editions it laid out
    and those it wrote, and why any failed."""

    task: Task
    reports: list[Report] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    made: list[EditionMade] = field(default_factory=list)
    pages: list[PageCount] = field(default_factory=list)
    failures: dict[Edition, str] = field(default_factory=dict)
    kept: list[EditionMade] = field(default_factory=list)  # content unchanged: not made
    files: dict[Path, bytes] = field(default_factory=dict)  # made on a cluster, to write

    @property
    def ok(self) -> bool:
        return not self.failures and all(
            report.kind is not Event.FAILED for report in self.reports)


class Pool(Protocol):
    """Where a build's tasks are made: worker processes on this machine (make.pool), or a
    Dask cluster's workers (make.cluster)."""

    jobs: int

    def warm(self) -> None: ...

    def run(self, tasks: Iterable[Task], options: MakeOptions, root: Path,
            seconds_per_edition: float, write: bool = True) -> Iterator[Outcome]: ...

    def close(self) -> None: ...

    def stop(self) -> None: ...
