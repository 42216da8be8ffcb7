"""Work for run_jobs's workers in tests/test_signals.py, in a module of the standard library alone: a spawned
worker imports the module of its work function, and the test module's imports (openpyxl, Hypothesis, the
workbook writer) took 0.4 s of CPU a worker."""

import os
import signal


def square(x: int) -> int:
    return x * x


def fails_on_one(x: int) -> int:
    if x == 1:
        raise ValueError("bad item 1")
    return x


def ended_on_two(x: int) -> int:
    if x == 2:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)  # as in a terminal; under nohup the worker inherits SIG_IGN
        os.kill(os.getpid(), signal.SIGHUP)  # as `kill -HUP` from another shell would
    return x


def crashed_on_two(x: int) -> int:
    if x == 2:
        os.abort()  # as a fault in the solver's C code ends a process
    return x


def killed_on_two(x: int) -> int:
    if x == 2:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer ends a process
    return x
