"""Independent solves in parallel worker processes, one HiGHS instance each, stoppable.

Ctrl-C or SIGTERM ends the run: the results that finished are kept, the workers end at once.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from typing import TypeVar

from planner import stopping

Item = TypeVar("Item")
Result = TypeVar("Result")


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group; only the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_jobs(work: Callable[[Item], Result], items: Iterable[Item], jobs: int,
             on_done: Callable[[Result], None] = lambda r: None) -> tuple[list[Result], bool]:
    """``work`` on every item, ``jobs`` at a time (``work`` must be a module-level function, for the
    workers to import); return the finished results, in the order they finished, and whether a stop
    ended the run early."""
    items = list(items)
    done: list[Result] = []
    if max(1, min(jobs, len(items))) == 1:
        with stopping.Stoppable() as run:
            for item in items:
                r = work(item)
                stopping.check()  # a stop HiGHS swallowed ends its run as an error: not a result
                done.append(r)
                on_done(r)
        return done, run.stopped
    # spawn, not fork: a forked child would inherit HiGHS's thread pool in a broken state.
    pool = multiprocessing.get_context("spawn").Pool(min(jobs, len(items)), initializer=_ignore_sigint)
    finished = False
    try:
        with stopping.Stoppable() as run:
            for r in pool.imap_unordered(work, items):
                done.append(r)
                on_done(r)
        finished = not run.stopped
    finally:
        if finished:  # the workers exit and clean up after themselves (a killed one leaks pyomo's lock)
            pool.close()
        else:
            pool.terminate()  # the workers end with this run, at once
        pool.join()
    return done, run.stopped
