"""How the planner ends (planner.__main__.leave): without the interpreter's teardown once its outputs are
written, yet with everything it printed delivered, the command's exit code, and a normal exit while a
thread or worker of the run is still alive."""

import subprocess
import sys
import threading

import pytest

from conftest import ROOT
from factory import default_tables_for
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
