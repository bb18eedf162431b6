"""The per-file time limit (the ``timeout`` setting): SIGALRM in the main thread of a process."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Timeout(BaseException):
    """Derives from BaseException so that no rule guard or parser handler swallows it."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[Callable[[], bool]]:
    """Abort the analysis of one file after ``seconds`` (SIGALRM; main thread of a process only)."""
    expired = False
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield lambda: False
        return

    def on_alarm(signum: int, frame: object) -> None:
        nonlocal expired
        expired = True
        raise Timeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # Repeat every 0.1 s until disarmed: Python code run from C (a __del__, a gc callback) reports an
    # exception raised in it as "ignored" and carries on, so one alarm alone can be swallowed.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)  # type: ignore[arg-type]
    try:
        yield lambda: expired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
