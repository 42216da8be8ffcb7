"""Input problems, collected and reported together.

An :class:`Issue` says where (sheet, cell, column), what was found and what was
expected.  The reader and validator append issues to a list and raise one
:class:`InputError` carrying all of them at the end, so a planner fixes every
problem in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
import signal
from dataclasses import dataclass

from planner.workbook.schema import SHEETS

ERROR = "error"
WARNING = "warning"

# Exit codes of the CLI, documented in the README.
EXIT_OK = 0
EXIT_INFEASIBLE = 1
EXIT_BAD_INPUT = 2
EXIT_NO_SOLUTION = 3
EXIT_OUTPUT = 4
EXIT_INTERNAL = 5
EXIT_MEMORY = 6  # refused before it started, or ran out: not enough memory for the run
EXIT_INTERRUPTED = 130  # the shell convention for Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143  # 128 + SIGTERM
EXIT_HUNG_UP = 129  # 128 + SIGHUP: the terminal was closed


@dataclass(frozen=True)
class Issue:
    severity: str
    sheet: str
    cell: str  # "F12", or "" when the problem is the sheet or the file
    column: str
    value: object
    expected: str

    @property
    def where(self) -> str:
        if not self.sheet:
            return "file"
        return f"'{self.sheet}'!{self.cell}" if self.cell else f"'{self.sheet}'"

    def __str__(self) -> str:
        col = f" [{self.column}]" if self.column else ""
        found = "" if self.value is None else f"found {_show(self.value)}; "
        return f"{self.where}{col}: {found}{self.expected}"


def _show(value: object) -> str:
    if isinstance(value, dt.datetime):  # as the planner typed it, not datetime.datetime(2026, 1, 1, 0, 0)
        return f"{value:%Y-%m-%d}" + (f" {value:%H:%M}" if value.time() != dt.time() else "")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return repr(text)
    if isinstance(value, float) and len(repr(value)) > 17:  # arithmetic's noise (0.18000000000000002), not the cell
        return f"{value:.15g}"
    return repr(value)


SHEET_ORDER = {s.name: k for k, s in enumerate(SHEETS)}


def workbook_order(issue: Issue) -> tuple[int, int, int]:
    """Where an issue sits, to list issues as a planner walks the workbook: the file first, then sheet by
    sheet in the workbook's order, each sheet's own problem (a missing sheet, rows missing) before its
    cells, the cells row by row ('12:12', a whole row, before its cells; a range by its first cell)."""
    sheet = -1 if not issue.sheet else SHEET_ORDER.get(issue.sheet, len(SHEET_ORDER))
    letters, digits = re.match(r"([A-Z]*)(\d*)", issue.cell).groups()
    return sheet, int(digits or 0), column_number(letters)


def column_number(letters: str) -> int:
    """A column's number from its letters: A 1, Z 26, AA 27, XFD 16,384 ('' 0)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


class InputError(Exception):
    """The workbook cannot be used; ``issues`` lists every problem found, in the workbook's order."""

    def __init__(self, issues: list[Issue]):
        issues = sorted(issues, key=workbook_order)  # stable: one cell's issues keep the order they were found
        self.issues = [i for i in issues if i.severity == ERROR]
        self.warnings = [i for i in issues if i.severity == WARNING]
        super().__init__(f"{len(self.issues)} problem(s) in the input")


class OutputError(Exception):
    """An output could not be written (locked, not writable, or would overwrite an input)."""


class MemoryShort(Exception):
    """A run would need more memory than the process or the machine has (``planner.memory``)."""


class WorkerEnded(Exception):
    """A worker process of a study was ended by a signal from outside (``kill PID`` on it, not on the
    planner): not a bug, and not a stop of the run, which ends without its outputs; the exit code is
    the shell's 128 + the signal (``planner.studies.jobs``)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"a worker process was ended by signal {signum} ({signal.Signals(signum).name}) from "
                         "outside")


class Issues(list):
    """A list of Issue with short-hands for adding errors and warnings.

    ``unread`` names the sheets whose rows could not be read at all (the sheet or a required column is
    missing): a check across sheets that finds nothing on one of them says nothing then, and ``sound``
    tells a check that needs every row of a sheet whether it has them."""

    def __init__(self, *args):
        super().__init__(*args)
        self.unread: set[str] = set()

    def sound(self, *sheets: str) -> bool:
        """No error on any of ``sheets`` so far: each of their rows was read into the case."""
        return not any(i.sheet in sheets for i in self.errors)

    def error(self, sheet: str, cell: str, column: str, value: object, expected: str) -> None:
        self.append(Issue(ERROR, sheet, cell, column, value, expected))

    def warn(self, sheet: str, cell: str, column: str, value: object, expected: str) -> None:
        self.append(Issue(WARNING, sheet, cell, column, value, expected))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self if i.severity == ERROR]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(list(self))
