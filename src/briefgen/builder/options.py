"""What a build is asked to do: the command line's options, in one value."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..make.task import MakeOptions
from ..source.project import Paper, Project
from .fingerprint import environment


@dataclass
class BuildOptions:
    out_dir: Path = Path("build")  # relative to the project's root, or absolute
    audiences: list[str] | None = None  # None: every audience the project has
    paper: Paper | None = None  # None: the project's, else each audience's own
    strict: bool = False
    force: bool = False
    jobs: int = 1
    wait: float = 0.0  # seconds to wait for another build's lock; 0: fail at once
    render_timeout: float | None = None  # None: the project's, else 300 s
    memory_limit_mb: int | None = None  # None: the project's, else 2048 MB
    offline: bool = False  # web files from the cache only, never fetched
    release: bool = False  # draft translations refused (as under strict)
    # A writer watching: the shortest editions first, the one-pager they look at soonest
    # (a build's own order, longest first, finishes its workers together).
    shortest_first: bool = False

    def make_options(self, project: Project) -> MakeOptions:
        return MakeOptions(project.resolve(self.out_dir), self.paper, self.strict,
                           self.render_timeout, self.memory_limit_mb, self.offline)

    def edition_options(self) -> dict[str, str]:
        """The options and versions that change an edition's bytes."""
        return {"paper option": self.paper or "-",
                "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "-"),
                **environment()}
