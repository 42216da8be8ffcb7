"""Safe output files: written to a temporary file beside the target, then renamed.

A run that fails or is killed midway leaves the previous output untouched,
and no output may replace an input workbook, whatever path leads to it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from planner.errors import OutputError


def same_file(a: Path, b: Path) -> bool:
    """True when both paths name one file (also through links or another spelling)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def atomic_write(target: Path, write: Callable[[Path], None], protected: Iterable[Path] = ()) -> Path:
    """Call ``write(tmp)`` and move ``tmp`` onto ``target`` only if it succeeded.

    ``protected`` are input files the target must never be.
    """
    target = Path(target)
    for p in protected:
        if same_file(target, Path(p)) or target.resolve() == Path(p).resolve():
            raise OutputError(f"refusing to write {target}: it is the input workbook {p}; "
                              "choose another output folder or name")
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {folder}: {exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write to {folder}: permission denied")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise OutputError(f"cannot replace {target}: it is locked or read-only (is it open in Excel?). "
                              "Close it and run again") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def put(ws, row: int, column: int, value):
    """Write ``value`` to a cell; text from the input stays text even if it starts with
    '=' (openpyxl would otherwise store it as a formula that Excel runs)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell

