"""The same input and options give the same plan: two runs of `planner solve` on the
default case, each a process of its own with another seed of Python's string hashing (which
orders sets of names), write the same numbers and record the same facts, apart from the date,
the command line and the timings."""

import json
import os
import subprocess
import sys

from openpyxl import load_workbook

from conftest import DEFAULT_WORKBOOK, ROOT

PLAN_SHEETS = ("Summary", "Supply", "Policy", "Recycling", "Stockpile", "Agreements", "ChartData")
# Facts that differ between runs by nature: when, how it was called, where it wrote, how long it took,
# and the hash of a workbook whose Run sheet records all that.
RUN_SPECIFIC = {"date_utc", "command", "output_dir", "outputs_sha256"}


def _run(folder, hash_seed: str):
    result = subprocess.run([sys.executable, "-m", "planner", "solve", str(DEFAULT_WORKBOOK), "-o", str(folder),
                             "--threads", "1"], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONHASHSEED": hash_seed})
    assert result.returncode == 0, result.stdout + result.stderr
    wb = load_workbook(folder / "korea_2030-plan.xlsx", read_only=True)  # the same values, in half the time
    sheets = {name: [list(r) for r in wb[name].iter_rows(values_only=True)] for name in PLAN_SHEETS}
    wb.close()  # read-only keeps the file open
    # Summary's solve_time_s is a timing too.
    sheets["Summary"] = [r for r in sheets["Summary"] if r[0] != "Solve time (s)"]
    facts = json.loads((folder / "korea_2030-plan.json").read_text())
    return sheets, {k: v for k, v in facts.items() if k not in RUN_SPECIFIC and not k.endswith("_s")
                    or k == "time_limit_s"}


def test_same_input_and_options_give_the_same_plan(tmp_path):
    first_sheets, first_facts = _run(tmp_path / "a", "1")
    second_sheets, second_facts = _run(tmp_path / "b", "2")
    for name in PLAN_SHEETS:
        assert first_sheets[name] == second_sheets[name], name
    assert first_facts == second_facts
    assert first_facts["threads"] == 1 and first_facts["random_seed"] == 0
