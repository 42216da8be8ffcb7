"""Safe output files: written to a temporary file beside the target, then renamed.

A run that fails or is killed midway leaves the previous output untouched,
and no output may replace an input workbook, whatever path leads to it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from planner.workbook.errors import OutputError


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
    return atomic_write_all({Path(target): write}, protected)[0]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def atomic_write_all(writes: Mapping[Path, Callable[[Path], None]], protected: Iterable[Path] = ()) -> list[Path]:
    """Write each target through a temporary file beside it, and rename them all into place
    only once every write has succeeded.

    Everything that can be checked is checked first (no target is an input, every folder
    is writable, no target is locked or a folder), so a failed or killed run leaves every
    earlier output as it was.  Any OSError becomes an OutputError with a plain message.
    """
    targets = check_targets(list(writes), protected)
    tmps: dict[Path, Path] = {}
    try:
        for target, write in zip(targets, writes.values()):
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            os.chmod(tmp_name, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are shared like any file
            tmps[target] = Path(tmp_name)
            write(tmps[target])
            with tmps[target].open("rb") as f:
                os.fsync(f.fileno())
        for target, tmp in tmps.items():
            os.replace(tmp, target)
    except PermissionError as exc:
        raise OutputError(f"cannot write {exc.filename or 'the output'}: it is locked or read-only "
                          "(is it open in Excel?). Close it and run again") from exc
    except OSError as exc:
        raise OutputError(f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}") from exc
    finally:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
    return targets


def check_targets(targets: Iterable[Path], protected: Iterable[Path] = ()) -> list[Path]:
    """Raise OutputError for a target that is an input, in a folder that cannot be written,
    locked or a folder; a run calls this before its slow work, and again when writing."""
    targets, protected = [Path(t) for t in targets], [Path(p) for p in protected]
    for target in targets:
        _check_target(target, protected)
    return targets


def _check_target(target: Path, protected: list[Path]) -> None:
    for p in protected:
        if same_file(target, p) or target.resolve() == p.resolve():
            raise OutputError(f"refusing to write {target}: it is the input workbook {p}; "
                              "choose another output folder or name")
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {folder}: {exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write to {folder}: permission denied")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: a folder of that name is in the way")
    if target.exists():
        try:  # Excel holds a workbook it has open locked on Windows; a read-only file refuses too
            with target.open("r+b"):
                pass
        except OSError as exc:
            raise OutputError(f"cannot replace {target}: it is locked or read-only (is it open in Excel?). "
                              "Close it or make it writable, and run again") from exc
