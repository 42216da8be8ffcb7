"""How the planner ends (planner.__main__.leave): without the interpreter's teardown once its outputs are
written, yet with everything it printed delivered, the command's exit code, and a normal exit while a
thread or worker of the run is still alive."""

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT
from factory import default_tables_for, renamed
from planner.__main__ import leave
from planner.workbook.writer import write_input_workbook


def test_a_piped_run_delivers_all_it_printed_and_its_exit_code(tmp_path):
    workbook = write_input_workbook(default_tables_for("gallium"), tmp_path / "gallium.xlsx")
    # Piped, standard output is buffered: the last line must reach the pipe before the process ends.
    done = subprocess.run([sys.executable, "-m", "planner", "solve", str(workbook), "-o", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().splitlines()[-1].startswith("wrote     "), done.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "gallium-plan.html", "gallium-plan.json", "gallium-plan.xlsx"]
    bad = subprocess.run([sys.executable, "-m", "planner", "solve", str(tmp_path / "none.xlsx")], cwd=ROOT,
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "no workbook at" in bad.stderr


def test_a_console_whose_encoding_lacks_a_character_shows_it_escaped_and_the_run_ends_as_it_would(tmp_path):
    """A mineral named in Hangul, printed to a console in cp1252 (Windows, redirected to a file) or latin-1, ended
    the run as "internal error (UnicodeEncodeError) ... a bug", exit 5, with nothing written; so did every console
    line of a Korean report (--lang ko) there."""
    import os

    workbook = write_input_workbook(renamed(default_tables_for("gallium"), "gallium", "갈륨"), tmp_path / "gallium.xlsx")
    done = subprocess.run([sys.executable, "-m", "planner", "solve", str(workbook), "-o", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert done.returncode == 0, done.stderr
    assert "\\uac08\\ub968" in done.stdout.decode("cp1252") and not done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "gallium-plan.html", "gallium-plan.json", "gallium-plan.xlsx"]


def test_a_live_thread_gets_the_normal_exit():
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)  # not a daemon: the interpreter would wait for it
    waiting.start()
    try:
        with pytest.raises(SystemExit) as ended:
            leave(3)
        assert ended.value.code == 3
    finally:
        release.set()
        waiting.join()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
def test_a_console_on_a_full_disk_is_an_output_error_and_a_lost_message_keeps_the_exit_code(tmp_path):
    """planner solve > run.log on a full disk ended as "internal error (OSError: No space left on device) ...
    a bug", exit 5; and an error message that could not be written to a full stderr turned bad input (2)
    into Python's exit code 1, which reads as infeasible."""
    tables = default_tables_for("gallium")
    workbook = write_input_workbook(tables, tmp_path / "gallium.xlsx")
    out = tmp_path / "out"
    with open("/dev/full", "w") as full:
        logged = subprocess.run([sys.executable, "-m", "planner", "solve", str(workbook), "-o", str(out)], cwd=ROOT,
                                stdout=full, stderr=subprocess.PIPE, text=True)
    assert logged.returncode == 4, logged.stderr
    assert logged.stderr == ("error: cannot write the console output (standard output): No space left on device; the "
                             "run's output files are all written or none are\n")
    assert not out.exists() or not any(out.iterdir())

    tables["Demand"][0]["demand_t"] = -5
    bad = write_input_workbook(tables, tmp_path / "bad.xlsx")
    with open("/dev/full", "w") as full:
        told = subprocess.run([sys.executable, "-m", "planner", "validate", str(bad)], cwd=ROOT, stdout=full,
                              stderr=full)
        usage = subprocess.run([sys.executable, "-m", "planner", "solve", "--threads", "-1"], cwd=ROOT, stderr=full)
    assert told.returncode == 2
    assert usage.returncode == 2  # a usage error too (click's own message)


def test_a_run_piped_into_a_reader_that_stops_reading_still_writes_its_outputs_and_exit_code(tmp_path):
    """planner solve | head -1: the first line printed after head had gone ended the run, with nothing written,
    as exit 0 ("done, a plan was written"), also for a case without a plan (1)."""
    tables = default_tables_for("gallium")
    workbook = write_input_workbook(tables, tmp_path / "gallium.xlsx")
    for row in tables["Policy"]:
        row["stockpile_min_days"] = 3000 if row["stockpile_min_days"] is not None else None
    infeasible = write_input_workbook(tables, tmp_path / "tight.xlsx")
    for path, code in ((workbook, 0), (infeasible, 1)):
        out = tmp_path / f"out-{path.stem}"
        proc = subprocess.Popen([sys.executable, "-m", "planner", "solve", str(path), "-o", str(out)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().startswith("read      ")
        proc.stdout.close()  # as head -1 does
        err = proc.stderr.read()
        assert proc.wait(timeout=300) == code, err
        assert "Traceback" not in err
        written = sorted(p.name for p in out.iterdir()) if out.exists() else []
        assert written == ([f"{path.stem}-plan.{x}" for x in ("html", "json", "xlsx")] if code == 0 else []), written
