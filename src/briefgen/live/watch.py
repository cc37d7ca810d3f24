"""`briefgen watch`: rebuild what an edit affects, as soon as it is saved.

One warm worker: WeasyPrint, fonts and compiled templates stay loaded between builds,
so a saved brief reaches its one-page PDF in about the time of one render.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from threading import Event

from watchfiles import Change, DefaultFilter, watch

from ..builder.options import BuildOptions
from ..builder.run import BuildResult, build
from ..errors import BriefError, BriefgenError
from ..events import Reporter
from ..make.pool import Workers
from ..source.project import Project

logger = logging.getLogger("briefgen")

# Time after a change to wait for more (an editor's save can touch several files),
# and the longest a burst of changes is gathered before building.
STEP_MS = 15
DEBOUNCE_MS = 800


class ProjectFilter(DefaultFilter):
    """Everything in the project but the output folder and briefgen's own hidden files."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__()
        self.out_dir = out_dir.resolve()

    def __call__(self, change: Change, path: str) -> bool:
        resolved = Path(path).resolve()
        if resolved == self.out_dir or resolved.is_relative_to(self.out_dir):
            return False
        return super().__call__(change, path)


def watch_and_build(paths: list[Path], options: BuildOptions, reporter: Reporter,
                    project: Project, stop: Event | None = None,
                    on_build: Callable[[BuildResult | None], None] | None = None,
                    on_change: Callable[[list[Path]], None] | None = None) -> None:
    """Build now, then again after every change under the project, until ``stop`` is set.

    A failed build is reported and waited out: the last good outputs stay, and the
    next save tries again. Editions are made in one worker process that stays warm
    (WeasyPrint, fonts and compiled templates loaded) from one build to the next.
    """
    workers = Workers(1)
    # watchfiles says it caught Ctrl-C, as a warning: the command says it stopped.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    try:
        _watch(paths, options, reporter, project, workers, stop, on_build, on_change)
    except KeyboardInterrupt:
        # Ctrl-C in the middle of a rebuild: what it wrote is whole (every file is
        # written atomically) and the manifest says so; the rest is made at the next start.
        workers.stop()
        return
    except BaseException:
        workers.stop()
        raise
    workers.close()


def _watch(paths: list[Path], options: BuildOptions, reporter: Reporter, project: Project,
           workers: Workers, stop: Event | None,
           on_build: Callable[[BuildResult | None], None] | None,
           on_change: Callable[[list[Path]], None] | None) -> None:
    def once() -> None:
        result = None
        try:
            result = build(paths, replace(options, shortest_first=True), reporter, project,
                           workers=workers)
        except BriefError as exc:
            for problem in exc.problems:
                reporter.problem(problem)
        except BriefgenError as exc:
            reporter.failure(str(exc))
        except Exception as exc:  # a fault in briefgen: say so, and keep watching
            logger.debug("the build failed", exc_info=True)
            reporter.failure(f"internal error: {type(exc).__name__}: {exc} (run with "
                             "--debug for the traceback; still watching)")
        if on_build:
            on_build(result)

    # The watcher starts with the first step of the generator (which returns after at
    # most rust_timeout): started before the first build, it sees every save made
    # while that build runs, and the first build is the only one that reports all.
    changes_seen = watch(project.root,
                         watch_filter=ProjectFilter(project.resolve(options.out_dir)),
                         step=STEP_MS, debounce=DEBOUNCE_MS, stop_event=stop,
                         raise_interrupt=False, rust_timeout=500, yield_on_timeout=True)
    early = next(changes_seen, None)
    once()
    workers.prepare(project.root)
    if early:
        once()
    for changes in changes_seen:
        if changes:
            changed = sorted({Path(path) for _, path in changes})
            logger.debug("changed: %s", changed)
            if on_change:
                on_change(changed)
            once()
