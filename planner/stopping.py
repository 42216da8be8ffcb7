"""Ctrl-C (SIGINT), SIGTERM and SIGHUP stop a run the same way, in every phase.

Python turns SIGINT into KeyboardInterrupt, and during a HiGHS run the solver
session turns it into a cancelled run (``models.solve``).  SIGTERM (``kill``, a
scheduler, a CI timeout) and SIGHUP (the terminal was closed, or an ssh session
dropped) are handed on as SIGINT, so whatever handles Ctrl-C at that moment
handles them too; the exit code (128 + the signal) and message still say which
signal it was.

A handler's exception is lost where HiGHS calls back into Python (the run
then ends as a "solve error") or where a library's clean-up turns it into
another error.  So every signal is also noted at C level on a pipe
(``signal.set_wakeup_fd``): :func:`check`, called after each solve, raises the
stop that was lost, and :func:`requested` lets an error handler see that it was
a stop.  A signal the process was started ignoring (SIGINT in a background job
of a shell without job control, SIGHUP under ``nohup``) stays ignored, as that
shell meant.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator

from planner.workbook.errors import EXIT_HUNG_UP, EXIT_INTERRUPTED, EXIT_TERMINATED

# Each stop signal: the name a report gives it, what the run says it was, and its exit code.
_STOPS = {signal.SIGINT: ("Ctrl-C", "interrupted (Ctrl-C)", EXIT_INTERRUPTED),
          signal.SIGTERM: ("SIGTERM", "terminated (SIGTERM)", EXIT_TERMINATED),
          signal.SIGHUP: ("SIGHUP", "hung up (SIGHUP: the terminal was closed)", EXIT_HUNG_UP)}
STOP_SIGNALS = tuple(_STOPS)
_noted: list[int] = []  # stop signals received, first first
_pipe: int | None = None  # read end of the wakeup pipe, once installed


def install() -> None:
    """Take over SIGTERM and SIGHUP and note every signal; call once, from the main thread, at start-up.  A
    stop signal that arrived while Python started is raised here, once the run can report it."""
    global _pipe
    read, write = os.pipe()
    os.set_blocking(read, False)
    os.set_blocking(write, False)
    signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    _pipe = read
    for s in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(s) is not signal.SIG_IGN:  # nohup's SIGHUP stays ignored
            signal.signal(s, _on_stop)
    # A launcher may leave them blocked (a mask is inherited through exec): Ctrl-C would never arrive.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    # Pyomo logs an ERROR for every component whose construction an exception cuts short, a stop's
    # KeyboardInterrupt too, and raises it on: after a stop, its lines came before the one that says it.
    logging.getLogger("pyomo.core").addFilter(_quiet_after_a_stop)


def _quiet_after_a_stop(record: logging.LogRecord) -> bool:
    return not requested()


def _on_stop(signum, frame) -> None:
    """SIGTERM's and SIGHUP's handler: stop as Ctrl-C does (the wakeup pipe notes which signal it was)."""
    if callable(signal.getsignal(signal.SIGINT)):  # Python's Ctrl-C handler, or the solver's during a run
        os.kill(os.getpid(), signal.SIGINT)
    else:  # SIGINT is ignored: stop here
        raise KeyboardInterrupt


def requested() -> bool:
    """Whether a stop signal (SIGINT, SIGTERM or SIGHUP) has arrived."""
    if _pipe is not None:
        try:
            while data := os.read(_pipe, 64):
                _noted.extend(s for s in data if s in STOP_SIGNALS)
        except BlockingIOError:
            pass
    return bool(_noted)


def check() -> None:
    """Raise KeyboardInterrupt if a stop signal arrived but its exception was lost (inside HiGHS)."""
    if requested():
        raise KeyboardInterrupt


def _first() -> int:
    """The stop signal that came first (SIGTERM and SIGHUP are handed on as a SIGINT that follows them); a
    KeyboardInterrupt with none noted is Python's own Ctrl-C."""
    return _noted[0] if requested() else signal.SIGINT


def exit_code() -> int:
    return _STOPS[_first()][2]


def describe() -> str:
    return _STOPS[_first()][1]


def signal_name() -> str:
    """The stop as a report names it: "Ctrl-C", "SIGTERM" or "SIGHUP"."""
    return _STOPS[_first()][0]


def end(outcome: str) -> None:
    """End a run that a stop ended: say which signal it was and what became of the outputs."""
    with contextlib.suppress(OSError, ValueError):  # stderr on a full disk, or closed: the exit code still tells
        print(f"{describe()}: {outcome}", file=sys.stderr)
    sys.exit(exit_code())


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Stop signals that arrive inside the block are noted (``requested`` sees them), not raised: the block
    runs to its end.  For a study whose solving is over, while its report is built and written."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread sets handlers
        yield
        return
    previous = {s: signal.getsignal(s) for s in STOP_SIGNALS}
    for s, handler in previous.items():
        if handler is not signal.SIG_IGN:  # ignored from the start (a background job): it stays ignored
            signal.signal(s, _note)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)


def _note(signum, frame) -> None:
    """A stop signal's handler that only lets it be noted: the wakeup pipe has it already."""


class Stoppable:
    """A block that a stop ends quietly; ``stopped`` then says so.  A stop that surfaced as another
    error (pyomo's output capture turns a KeyboardInterrupt in its clean-up into RuntimeError)
    counts as the stop it was."""

    stopped = False

    def __enter__(self) -> Stoppable:
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if kind is not None and (issubclass(kind, KeyboardInterrupt) or (issubclass(kind, Exception) and requested())):
            self.stopped = True
        return self.stopped
