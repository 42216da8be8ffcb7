"""Independent solves in parallel worker processes, one HiGHS instance each, stoppable.

Each worker is a process with a pipe of its own (forked while this process has run no HiGHS, else
spawned: ``_start_method``), fed one item at a time.  No queue, lock or
semaphore is shared: multiprocessing's Pool shares a lock among its workers, and a worker that a
signal to the process group ended while it held that lock (waiting for work) left the pool's
shutdown waiting on it for ever; its semaphores were left behind too.  Here a worker that ends
at any moment (starting, waiting, solving, sending) is seen through its pipe and its sentinel.

Ctrl-C, SIGTERM or SIGHUP ends the run: the results that finished are kept, the workers are killed at
once.  An exception raised by ``work`` is raised here; a worker that ends without one, and without
a stop, ends the run with a MemoryError if it was killed outright, a :class:`WorkerEnded` if another
signal from outside ended it, else (a crash) a :class:`WorkerLost`.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TypeVar

from models.solve import highs_started
from planner import stopping
from planner.workbook.errors import WorkerEnded

Item = TypeVar("Item")
Result = TypeVar("Result")
PR_SET_PDEATHSIG = 1  # linux/prctl.h


# Signals a process sends itself when it crashes (a fault in the solver or in Python): a bug, not a stop.
CRASHES = frozenset({signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGSYS,
                     signal.SIGTRAP})


class WorkerLost(RuntimeError):
    """A worker process ended without a result and without an error of its own."""


def _lost(process) -> Exception:
    """Why ``process`` ended without answering: killed outright (SIGKILL: on Linux most often the
    kernel when memory runs out) is a MemoryError, a crash a WorkerLost, another signal (SIGTERM,
    SIGHUP, ...) a WorkerEnded, and an exit without a signal a WorkerLost."""
    process.join()
    code = process.exitcode
    if code == -signal.SIGKILL:
        return MemoryError("a worker process was killed (SIGKILL), most often by the kernel when memory runs out")
    if code is not None and code < 0 and -code not in CRASHES:
        return WorkerEnded(-code)
    how = f"was killed by {signal.Signals(-code).name}" if code is not None and code < 0 else f"ended ({code})"
    return WorkerLost(f"a worker process {how} before it returned its result")


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection


def _serve(conn: Connection, work: Callable) -> None:
    """A worker's life: ``work`` on each item received, its result (or exception) sent back, until
    the parent kills it or is gone."""
    # Ctrl-C reaches the whole process group; only the parent decides what stops.  Ignoring SIGINT
    # also drops one that arrived while the stop signals were blocked (inherited from the parent,
    # which blocks them while it starts a worker); a pending SIGTERM ends the worker here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the parent's handler
    if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:  # under nohup it stays ignored, as in the parent
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, stopping.STOP_SIGNALS)
    if sys.platform == "linux":  # end with the parent, even if it is killed outright
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        try:
            answer = ("done", work(item))
        except BaseException as exc:  # noqa: BLE001 - raised again in the parent
            answer = ("raised", exc)
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return
        except Exception as exc:  # the result or the exception does not pickle: say what it was
            conn.send(("raised", RuntimeError(f"{type(exc).__name__} in a worker: {exc}")))


@contextlib.contextmanager
def _stops_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait (blocked) until the block ends, then arrive as usual."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, stopping.STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _start_method() -> str:
    """Fork while this process has run no HiGHS (the worker starts at once, with the modules already
    imported: each spawned worker imports them again, 0.4 s of CPU); spawn after, since a forked child
    would inherit HiGHS's thread pool without its threads."""
    return "fork" if sys.platform == "linux" and not highs_started() else "spawn"


def _start(context, work: Callable, workers: list[_Worker]) -> None:
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child, work), daemon=True)
    sys.stdout.flush()  # a forked worker holds a copy of what the buffers hold
    sys.stderr.flush()
    with _stops_held():  # a stop during the start would leave a worker this run does not know
        process.start()
        workers.append(_Worker(process, parent))
    child.close()


def _end(workers: list[_Worker]) -> None:
    """Kill every worker and reap it; nothing of them is left behind."""
    with _stops_held():
        for w in workers:
            if w.process.exitcode is None:
                w.process.kill()
        for w in workers:
            w.process.join()
            w.process.close()
            w.conn.close()


def run_jobs(work: Callable[[Item], Result], items: Iterable[Item], jobs: int,
             on_done: Callable[[Result], None] = lambda r: None,
             then: Callable[[Result], Iterable[Item]] = lambda r: ()) -> tuple[list[Result], bool]:
    """``work`` on every item, ``jobs`` at a time (``work`` must be a module-level function, for the
    workers to import); return the finished results, in the order they finished, and whether a stop
    ended the run early.  ``then(result)`` names items that a result makes possible: they are done
    next, before the items still waiting."""
    waiting = list(reversed(list(items)))  # the next item is the last
    done: list[Result] = []

    def finished(r: Result) -> None:
        done.append(r)
        on_done(r)
        waiting.extend(reversed(list(then(r))))

    if max(1, min(jobs, len(waiting))) == 1:
        with stopping.Stoppable() as run:
            while waiting:
                r = work(waiting.pop())
                stopping.check()  # a stop HiGHS swallowed ends its run as an error: not a result
                finished(r)
        return done, run.stopped
    context = multiprocessing.get_context(_start_method())
    workers: list[_Worker] = []
    with stopping.Stoppable() as run:
        try:
            for _ in range(min(jobs, len(waiting))):
                _start(context, work, workers)
            busy: dict[Connection, _Worker] = {}

            def give(w: _Worker) -> None:
                """The next item to ``w``, which is busy until it answers."""
                try:
                    w.conn.send(waiting.pop())
                except OSError:  # it ended before it was fed
                    raise _lost(w.process) from None
                busy[w.conn] = w

            for w in workers:  # as many as there are items, at most
                give(w)
            while busy:
                ended = {w.process.sentinel: w for w in busy.values()}
                for ready in wait([*busy, *ended]):
                    if ready in ended:
                        w = ended[ready]
                        if w.conn in busy and not w.conn.poll():  # ended without an answer
                            raise _lost(w.process)
                        continue
                    w = busy.pop(ready)
                    try:
                        kind, value = w.conn.recv()
                    except (EOFError, OSError):  # it ended while sending
                        raise _lost(w.process) from None
                    if kind == "raised":
                        raise value
                    finished(value)
                    for idle in [w, *(v for v in workers if v.conn not in busy and v is not w)]:
                        if waiting and idle.process.exitcode is None:
                            give(idle)
        finally:
            _end(workers)
    return done, run.stopped
