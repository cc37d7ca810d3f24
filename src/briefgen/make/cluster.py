"""Editions made on a Dask distributed cluster (``build --executor tcp://HOST:8786``).

The same tasks as the local pool's, run through the ``concurrent.futures`` executor
of a ``dask.distributed.Client``. A worker reads the project from the same path as
the build (a checkout, or a shared folder) but writes nothing: it hands each edition's
files back as bytes, with its record, and the build writes and records them
(``builder.collected``), so that the workers need no shared output folder and the
output is the bytes a local build writes. Dask's own nanny stands in for the local
pool's watchdog: a worker over its ``--memory-limit`` is restarted, and its task
fails here. Light at import: Dask is loaded only when a cluster is asked for.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, as_completed
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

from ..errors import UsageError
from ..events import Event, Facts, Report
from .task import MakeOptions, Outcome, Task

SCHEMES = {"tcp", "tls", "ucx", "ws", "wss"}  # the transports a Dask scheduler listens on


def _port(parts: SplitResult) -> bool:
    try:
        return bool(parts.port)
    except ValueError:  # not a number, or out of range
        return False


class ClusterWorkers:
    """The build's workers, on a Dask cluster: what ``pool.Workers`` is on one machine."""

    def __init__(self, address: str) -> None:
        try:
            import distributed
        except ImportError:
            raise UsageError("--executor needs Dask's distributed scheduler: pip install "
                             "'briefgen[cluster]'") from None
        parts = urlsplit(address)
        if parts.scheme not in SCHEMES or not parts.hostname or not _port(parts):
            raise UsageError(f"--executor {address!r}: a Dask scheduler's address is "
                             "tcp://HOST:PORT (dask scheduler says which)")
        hook = sys.unraisablehook
        try:
            # A client that could not connect complains again as it is collected.
            sys.unraisablehook = lambda _: None
            dask: Any = distributed  # untyped: its calls checked by the cluster test
            self._client: Any = dask.Client(address, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            gc.collect()
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        finally:
            sys.unraisablehook = hook
        self._executor: Any = self._client.get_executor(pure=False)
        self.jobs = max(1, sum(self._client.nthreads().values()))

    def warm(self) -> None:
        """Nothing to start: the cluster's workers are running already."""

    def run(self, tasks: Iterable[Task], options: MakeOptions, root: Path,
            seconds_per_edition: float, write: bool = True) -> Iterator[Outcome]:
        """Each task's outcome as it is finished, its files as bytes to write."""
        futures: dict[Future[Outcome], Task] = {
            self._executor.submit(make_collected, task, options, root, write): task
            for task in tasks}
        for future in as_completed(futures):
            # Popped: a thousand briefs' outcomes are not kept until the last is done.
            yield _outcome(future, futures.pop(future), options)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self._client.close()

    def stop(self) -> None:
        """Stop at once: the build is being interrupted; the cluster's tasks are
        cancelled with the client."""
        self._client.close()


def make_collected(task: Task, options: MakeOptions, root: Path, write: bool) -> Outcome:
    """A worker's side: make the task's editions and hand their files back."""
    from dataclasses import replace

    from .worker import run_task

    # Its memory is the worker's nanny's to watch (dask worker --memory-limit): a cap on
    # the address space of a process that runs other tasks' threads would fail them.
    return run_task(task, replace(options, memory_limit_mb=0), root, write, collect=write)


def _outcome(future: Future[Outcome], task: Task, options: MakeOptions) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a worker lost, a task that would not pickle
        why = (f"the cluster could not make it ({type(exc).__name__}: {exc}); the previous "
               "output is kept")
    return Outcome(task, [Report(Event.FAILED, target, why, Facts(reason))
                          for edition, reason in task.editions.items()
                          for target in task.outputs(options.out_dir, edition)])


__all__ = ["ClusterWorkers", "make_collected"]
