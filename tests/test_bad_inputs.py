"""Every workbook of the bad-input corpus (tests/corpus.py) is refused with exit code 2 and
a plain message naming what is wrong, with no traceback, no output and the input untouched.
Hostile files are refused, and valid ones with far or many cells read, in a real process in under 2 s
of CPU time and 200 MB."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import ROOT
from corpus import CASES, HARMLESS
from planner.workbook import safety
from planner.cli import main

MAX_SECONDS = 2.0
MAX_RSS_MB = 200


@pytest.mark.parametrize("name", list(CASES))
def test_bad_workbook_is_refused_plainly(name, tmp_path):
    case = CASES[name]
    path = tmp_path / f"{name}.xlsx"
    case.write(path)
    before = path.read_bytes()
    out = tmp_path / "out"
    for args in (["validate", str(path)], ["solve", str(path), "-o", str(out)]):
        result = CliRunner().invoke(main, args)
        text = result.output
        assert result.exit_code == 2, text
        assert isinstance(result.exception, SystemExit), text
        assert "Traceback" not in text and "internal error" not in text, text
        for words in case.says:
            assert words.lower() in text.lower(), text
        assert case.cell in text, text
    assert path.read_bytes() == before
    assert not out.exists()


# Time and peak memory are measured from a small launcher: a child forked straight from pytest would report
# pytest's own size (Linux keeps the pre-exec peak), not the planner's.  The time is the CPU time the
# planner used (user + system): its own cost, the same on a machine busy with other work.
LAUNCHER = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
with open(sys.argv[1], "wb") as log:
    code = subprocess.run(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT).returncode
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, used.ru_utime + used.ru_stime, used.ru_maxrss / 1024, time.perf_counter() - t0)
"""


def _run_planner(log, *args: str) -> tuple[int, float, float]:
    """Run ``python -m planner`` in a fresh process: (exit code, CPU seconds, peak RSS in MB)."""
    out = subprocess.run([sys.executable, "-c", LAUNCHER, str(log), sys.executable, "-m", "planner", *args],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    print(f"wall {float(out[3]):.2f} s", end="; ")
    return int(out[0]), float(out[1]), float(out[2])  # ru_maxrss is in kB on Linux


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.hostile])
def test_hostile_file_is_refused_fast_in_little_memory(name, tmp_path):
    path = tmp_path / f"{name}.xlsx"
    CASES[name].write(path)
    log = tmp_path / "log.txt"
    code, seconds, rss_mb = _run_planner(log, "validate", str(path))
    text = log.read_text(encoding="utf-8")
    print(f"{name}: exit {code}, {seconds:.2f} s CPU, {rss_mb:.0f} MB peak")
    assert code == 2, text
    assert "Traceback" not in text
    assert seconds < MAX_SECONDS and rss_mb < MAX_RSS_MB, (seconds, rss_mb)


@pytest.mark.parametrize("name", list(HARMLESS))
def test_far_or_many_cells_of_a_valid_workbook_cost_little(name, tmp_path):
    """Cost follows what a file of the default case's size (under 150 kB: it grew with the disruption
    economics and the stock-flow sheets) holds, whatever size its sheets declare."""
    path = tmp_path / f"{name}.xlsx"
    HARMLESS[name](path)
    assert path.stat().st_size < 150_000
    log = tmp_path / "log.txt"
    code, seconds, rss_mb = _run_planner(log, "validate", str(path))
    text = log.read_text(encoding="utf-8")
    print(f"{name}: exit {code}, {seconds:.2f} s CPU, {rss_mb:.0f} MB peak")
    assert code == 0 and text.startswith("valid:"), text
    assert seconds < MAX_SECONDS and rss_mb < MAX_RSS_MB, (seconds, rss_mb)


@pytest.mark.parametrize("name", ["corrupt_zip", "password_protected", "nan_value", "date_for_year_1904_system",
                                  "macro_enabled_renamed"])
def test_real_process_prints_no_traceback(name, tmp_path):
    path = tmp_path / f"{name}.xlsx"
    CASES[name].write(path)
    for args in (["validate", str(path)], ["solve", str(path), "-o", str(tmp_path / "out")]):
        proc = subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        assert "problem(s) in the input" in proc.stderr


def test_readme_states_the_limits_in_force():
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### Limits on input files")[1].split("\n#")[0]
    for limit in (safety.MAX_FILE_BYTES, safety.MAX_MEMBERS, safety.MAX_INFLATED_BYTES, safety.MAX_RATIO,
                  safety.MAX_CELLS, safety.MAX_XML_ELEMENTS):
        assert f"| {limit:,} " in section, limit
