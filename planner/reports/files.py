"""Output files: a run's outputs appear together or not at all, and never over an input.

Every output is built in memory first.  :func:`commit` writes each to a
temporary file beside its target (``.<name>.<pid>.<random>.tmp``), flushes it
to disk, and only when all are written renames them into place in the order
given.  The last is the run's ``.json``, which records the SHA-256 of the
others: a kill can only land between two renames, and then the ``.json`` on
disk (the previous run's) does not vouch for the new file beside it, so a
reader can always tell a mixed set (the README says how).  Ctrl-C, SIGTERM and
SIGHUP are held off while the renames run.  Temporaries left by a killed run are
removed by the next run that writes the same outputs; so are the files the outputs supersede (a stopped
study's report beside the complete one), once every output is in place.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

from planner.stopping import STOP_SIGNALS
from planner.workbook.errors import OutputError


def same_file(a: Path, b: Path) -> bool:
    """True when both paths name one file (also through links or another spelling)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def workbook_bytes(wb) -> bytes:
    """An openpyxl workbook as the bytes of its .xlsx, built in memory: a full disk fails in
    :func:`commit`, with a message, and never inside a zip writer."""
    from planner.workbook.sheet_xml import xlsx_bytes  # openpyxl loads when a workbook is written

    return xlsx_bytes(wb)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def commit(files: Mapping[Path, bytes], protected: Iterable[Path] = (), superseded: Iterable[Path] = ()) -> list[Path]:
    """Write every file through a temporary beside it, then rename them all into place, in order.

    Everything that can be checked is checked first (no target is an input, every folder is
    writable, no target is locked or a folder), so a failed or stopped run leaves every earlier
    output as it was.  Any OSError becomes an OutputError naming the output.  ``superseded``: files of
    earlier runs that these outputs replace (a stopped study's report beside the complete one), removed
    with the renames, never before them (a failed commit leaves them), and never an input; one that
    cannot be removed stays (the caller sees it is still there).
    """
    protected = [Path(p) for p in protected]
    targets = check_targets(list(files), protected)
    superseded = [p for p in map(Path, superseded) if not any(same_file(p, q) for q in protected)]
    tmps: dict[Path, Path] = {}
    renamed: list[Path] = []
    target = targets[0]
    try:
        for target, data in zip(targets, files.values()):
            fd, name = tempfile.mkstemp(prefix=_temporary_prefix(target), suffix=".tmp", dir=target.parent)
            tmps[target] = Path(name)
            with os.fdopen(fd, "wb") as f:
                os.chmod(name, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are shared like any file
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        with _stop_signals_held():
            for target, tmp in tmps.items():
                os.replace(tmp, target)
                renamed.append(target)
            for path in superseded:
                with suppress(OSError):  # gone already, or not ours to remove: the outputs are in place all the same
                    path.unlink()
            for folder in {t.parent for t in targets}:
                _fsync_folder(folder)  # the renames reach the disk in their order
    except OSError as exc:
        why = ("it is locked or read-only (is it open in Excel?). Close it and run again" if
               isinstance(exc, PermissionError) else exc.strerror or str(exc))
        done = (f"{', '.join(p.name for p in renamed)} already replaced, and the .json beside them does not "
                "vouch for them" if renamed else "earlier outputs are untouched")
        raise OutputError(f"cannot write {target}: {why}; {done}") from None
    finally:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
    return targets


@contextmanager
def _stop_signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP are ignored while the outputs are renamed into place (milliseconds): a
    stop there would leave some renamed and some not.  By then the run is done; it completes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder to flush it; NTFS journals renames
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_targets(targets: Iterable[Path], protected: Iterable[Path] = ()) -> list[Path]:
    """Raise OutputError for a target that is an input, in a folder that cannot be written,
    locked or a folder; remove what killed runs left of its temporaries.  A run calls this
    before its slow work, and again when writing."""
    targets, protected = [Path(t) for t in targets], [Path(p) for p in protected]
    for target in targets:
        _check_target(target, protected)
        _remove_stale_temporaries(target)
    return targets


def _check_target(target: Path, protected: list[Path]) -> None:
    folder = target.parent
    try:
        resolved = target.resolve()
    except RuntimeError:  # how Python 3.11 and 3.12 say the path loops through symbolic links
        raise OutputError(f"cannot write to {folder}: its path is a loop of symbolic links; "
                          "choose another output folder") from None
    for p in protected:
        if same_file(target, p) or resolved == p.resolve():
            raise OutputError(f"refusing to write {target}: it is the input workbook {p}; "
                              "choose another output folder or name")
        if same_file(folder, p):
            raise OutputError(f"cannot write to {folder}: it is the input workbook, not a folder; "
                              "choose another output folder")
    try:
        in_the_way = folder.exists() and not folder.is_dir()
    except PermissionError:  # a folder on its path that this user may not enter
        raise OutputError(f"cannot write to {folder}: permission denied") from None
    if in_the_way:
        raise OutputError(f"cannot write to {folder}: it is a file, not a folder; choose another output folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {folder}: {_why_no_folder(folder, exc)}") from None
    # Outputs are created in the folder (writing and entering it), and the folder is opened to flush their renames.
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to {folder}: {_why_not_writable(folder)}")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: a folder of that name is in the way")
    # The temporary written first has the longest name: refused by the file system, it would fail after the solve.
    if len(f"{_temporary_prefix(target)}XXXXXXXX.tmp".encode()) > os.pathconf(folder, "PC_NAME_MAX"):
        raise OutputError(f"cannot write {target}: its name, with the temporary file's, is longer than the file "
                          "system takes; choose a shorter workbook name")
    # Permissions alone do not tell: they let root write anywhere, yet /proc (a file system of the kernel's)
    # refuses any new file.  The temporary is made and removed as the commit will make it (by that name a killed run's is
    # removed too), so nothing stays in the folder.
    try:
        fd, probe = tempfile.mkstemp(prefix=_temporary_prefix(target), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write to {folder}: no file can be created there ({exc.strerror or exc}); "
                          "choose another output folder") from None
    os.close(fd)
    os.unlink(probe)
    if target.exists():
        try:  # Excel holds a workbook it has open locked on Windows; a read-only file refuses too
            with target.open("r+b"):
                pass
        except OSError as exc:
            raise OutputError(f"cannot replace {target}: it is locked or read-only (is it open in Excel?). "
                              "Close it or make it writable, and run again") from exc


def _why_not_writable(folder: Path) -> str:
    """Why ``folder`` cannot be written: os.access refuses a folder on a file system mounted read-only (a volume
    given read-only, a write-protected stick) whatever its permissions, which "permission denied" sent the reader
    to check."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system; choose another output folder"
    except (OSError, AttributeError):  # no statvfs on Windows
        pass
    return "permission denied"


def _why_no_folder(folder: Path, exc: OSError) -> str:
    """Why ``folder`` could not be made, naming what is in the way where the system's words ("Not a directory",
    "File exists") leave the reader to find it."""
    if exc.errno == errno.ENOTDIR:
        file = next((p for p in reversed([folder, *folder.parents]) if p.is_file()), None)
        if file is not None:
            return f"{file} is a file, not a folder"
    if exc.errno == errno.EEXIST and exc.filename and os.path.islink(exc.filename):
        return f"{exc.filename} is a symbolic link to {os.readlink(exc.filename)}, which does not exist"
    return exc.strerror or str(exc)


def _temporary_prefix(target: Path) -> str:
    """The start of the name of ``target``'s temporary (mkstemp adds 8 characters, then .tmp): hidden, and
    naming the process that writes it, so a later run can tell a killed writer's from a running one's."""
    return f".{target.name}.{os.getpid()}."


def _remove_stale_temporaries(target: Path) -> None:
    """Delete ``target``'s temporaries whose writer is no longer running (killed mid-write)."""
    prefix = f".{target.name}."
    for tmp in target.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        pid = tmp.name[len(prefix):].split(".")[0]
        if not (pid.isdigit() and _running(int(pid))):
            tmp.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if os.name != "posix":  # Windows has no harmless signal 0 (os.kill would end the process): keep it
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
