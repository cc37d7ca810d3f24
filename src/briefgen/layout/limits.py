"""Limits on one render: time and memory, so that a runaway input stops with a report."""

from __future__ import annotations

import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# After the first alarm, how often to raise again until the render gives way: a
# library that catches every exception somewhere (WeasyPrint's SVG drawing catches
# BaseException) swallows one raise, not all of them.
REPEAT_SECONDS = 0.05


class RenderLimitError(BaseException):
    """A render ran past its time or memory limit.

    A BaseException, as KeyboardInterrupt is, so that a library's ``except Exception``
    does not swallow it on its way out of the render.
    """


@contextmanager
def render_limits(seconds: float | None, memory_mb: int | None) -> Iterator[None]:
    """Stop a runaway render: at most ``seconds`` of time and ``memory_mb`` more memory.

    The time limit is a timer signal, so it holds only on the main thread (the CLI,
    a worker process, watch); the memory limit caps the process's address space at
    what it uses now plus ``memory_mb`` for as long as the render runs. A render
    whose time ran out fails even if something inside it swallowed the signal.
    """
    timer = bool(seconds) and threading.current_thread() is threading.main_thread()
    expired = False
    message = f"the render took longer than {seconds:g} s" if seconds else ""

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        nonlocal expired
        expired = True
        signal.setitimer(signal.ITIMER_REAL, REPEAT_SECONDS)
        raise RenderLimitError(message)

    if seconds and timer:
        previous_handler = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    previous_limit = resource.getrlimit(resource.RLIMIT_AS)
    if memory_mb:
        cap = _address_space() + memory_mb * 1024 * 1024
        hard = previous_limit[1]
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY
                                                else min(cap, hard), hard))
    try:
        yield
    except MemoryError:
        raise RenderLimitError(f"the render needed more than its {memory_mb} MB of "
                               "memory") from None
    except BaseException:
        if expired:  # whatever the alarm turned into on its way out
            raise RenderLimitError(message) from None
        raise
    finally:
        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, previous_limit)
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
    if expired:
        raise RenderLimitError(message)


def _address_space() -> int:
    """This process's virtual memory size, in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()
