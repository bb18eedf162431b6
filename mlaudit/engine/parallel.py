"""Run the per-file analysis over many files, in-process or in a process pool.

Results come back in input order, so output is identical whatever the worker count. A pool only pays
off above a few dozen files (start-up costs more than it saves below that).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_FILES_FOR_POOL = 40


def default_jobs() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_map(fn: Callable[[T], R], items: Sequence[T], jobs: int | None) -> list[R]:
    workers = default_jobs() if jobs is None or jobs <= 0 else jobs
    if workers <= 1 or len(items) < MIN_FILES_FOR_POOL:
        return [fn(item) for item in items]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    chunksize = max(1, min(16, len(items) // (workers * 8) or 1))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        return list(pool.map(fn, items, chunksize=chunksize))
