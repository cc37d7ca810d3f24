"""Worker processes that make editions, and outlive whatever an edition does to them.

Every edition is made in a worker process (pebble's ProcessPool), never in the build's
own: a render that runs out of its memory can take its process down with a C library's
abort, or hang in C code where no signal reaches it. The pool replaces such a worker,
the build reports that task's editions as failed, and the other tasks go on. Workers
die with the build that started them (PR_SET_PDEATHSIG), so a killed build leaves
none behind. Light at import: the workers load WeasyPrint, the build does not.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, as_completed
from concurrent.futures import TimeoutError as TaskTimeout
from dataclasses import replace
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from ..events import Event, Facts, Report
from .task import MakeOptions, Outcome, Task

# Beyond its editions' own time limits, how long a task may take before its worker is
# killed: the limits are signals, which code in C may not let through for a while.
GRACE_SECONDS = 60.0
PR_SET_PDEATHSIG = 1


class Workers:
    """A pool of worker processes for one build, or for a `watch` session."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool = ProcessPool(max_workers=jobs, initializer=_start_worker,
                                 initargs=(os.getpid(),))

    def warm(self) -> None:
        """Start the workers now: they load WeasyPrint while the build plans."""
        for _ in range(self.jobs):
            self._pool.schedule(int)

    def prepare(self, root: Path) -> None:
        """Load what the first edition of ``root`` would (fonts, templates), and wait."""
        for future in [self._pool.schedule(_warm_up, (root,)) for _ in range(self.jobs)]:
            future.exception()  # a broken template is reported when an edition uses it

    def run(self, tasks: Iterable[Task], options: MakeOptions, root: Path,
            seconds_per_edition: float, write: bool = True) -> Iterator[Outcome]:
        """Each task's outcome as it is finished, in no particular order."""
        futures: dict[Future[Outcome], Task] = {}
        future: Future[Outcome]
        for task in tasks:
            timeout = seconds_per_edition * len(task.editions) + GRACE_SECONDS
            future = self._pool.schedule(_make, (task, options, root, write), timeout=timeout)
            futures[future] = task
        for future in as_completed(futures):
            # Popped: a thousand briefs' outcomes are not kept until the last is done.
            yield _outcome(future, futures.pop(future), options,
                           timeout_hint=seconds_per_edition)

    def close(self) -> None:
        self._pool.close()
        self._pool.join()

    def stop(self) -> None:
        """Stop at once: the build is being interrupted."""
        self._pool.stop()
        self._pool.join()


def _outcome(future: Future[Outcome], task: Task, options: MakeOptions,
             timeout_hint: float) -> Outcome:
    try:
        return future.result()
    except ProcessExpired as exc:
        why = (f"the worker making it died ({_death(exc.exitcode)}), most likely out of "
               "its memory limit; the previous output is kept")
    except TaskTimeout:
        why = (f"stopped: the render took longer than {timeout_hint:g} s and did not give "
               "way, so its worker was killed; the previous output is kept")
    return Outcome(task, [Report(Event.FAILED, target, why, Facts(reason))
                          for edition, reason in task.editions.items()
                          for target in task.outputs(options.out_dir, edition)])


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            pass
    return f"exit code {exitcode}"


def _make(task: Task, options: MakeOptions, root: Path, write: bool) -> Outcome:
    from .worker import run_task

    return run_task(task, options, root, write)


def _warm_up(root: Path) -> None:
    from .worker import warm_up

    warm_up(root)


def _start_worker(parent: int) -> None:
    """A worker's first act: die with the build, then load WeasyPrint."""
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)
    from . import worker  # noqa: F401


def split_for_pool(tasks: list[Task], together: Callable[[str], bool]) -> list[Task]:
    """One task per edition, so that workers share the work evenly; ``together(audience)``
    says when an audience's editions must stay in one task (its bilingual edition is
    made of the single-language ones' fitted pages)."""
    split = []
    for task in tasks:
        if together(task.audience):
            split.append(task)
        else:
            split += [replace(task, editions={edition: reason})
                      for edition, reason in task.editions.items()]
    return split
