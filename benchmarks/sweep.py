"""A sweep against separate solves: `planner sweep` over 21 China caps, and 21 `planner solve` runs.

    python benchmarks/sweep.py                        # 0.8:0.3:0.025 on the last year's cap of the default case
    python benchmarks/sweep.py --range 0.8:0.3:0.05 --gap 0.0001

Both run as new processes, as a planner would run them.  The separate solves
use workbooks whose all-minerals Policy row for the last year carries each
cap, which is what the sweep sets.  The yardstick is HiGHS alone (highspy on
the MPS export) solving one of the same instances.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from models.solve import Session, SolveOptions  # noqa: E402
from planner.workbook.defaults import load_default_tables  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402
from planner.studies.sweep import PARAMETERS, parse_range  # noqa: E402
from planner.workbook.writer import write_input_workbook  # noqa: E402
from run import highs_alone  # noqa: E402


def planner(*args: str) -> float:
    c = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planner", *args], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--range", default="0.8:0.3:0.025", help="China caps, START:STOP:STEP")
    ap.add_argument("--gap", type=float, default=1e-5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    caps = parse_range(a.range, PARAMETERS["china-cap"])
    gap, threads = str(a.gap), str(a.threads)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tables = load_default_tables()
        last = max(r["year"] for r in tables["Policy"])
        base = write_input_workbook(tables, tmp / "case.xlsx")
        sweep_s = planner("sweep", str(base), "--china-cap", a.range, "-o", str(tmp / "sweep"), "--gap", gap,
                          "--threads", threads)
        solve_s = []
        for i, cap in enumerate(caps):
            for row in tables["Policy"]:
                if row["year"] == last and row["mineral_id"] is None:
                    row["china_cap_share"] = cap
            path = write_input_workbook(tables, tmp / f"case-{i}.xlsx")
            solve_s.append(planner("solve", str(path), "-o", str(tmp / "solves"), "--gap", gap, "--threads", threads))
        session = Session(read_workbook(path).data, decompose=False)
        yardstick = highs_alone(session, SolveOptions(600, a.gap, a.threads), tmp, session.blocks)
    total = sum(solve_s)
    print(f"default case, China cap in {last} over {a.range} ({len(caps)} points), gap {a.gap}, {a.threads} threads")
    print(f"  planner sweep, one process:          {sweep_s:8.2f} s  {sweep_s / yardstick:7.1f} x HiGHS")
    print(f"  planner solve x {len(caps)}, new processes:  {total:8.2f} s  {total / yardstick:7.1f} x HiGHS "
          f"(each {min(solve_s):.2f}-{max(solve_s):.2f} s)")
    print(f"  HiGHS alone, one instance (MPS):     {yardstick:8.2f} s  (the whole model, undecomposed)")
    print(f"  separate solves / sweep:             {total / sweep_s:8.2f} x")


if __name__ == "__main__":
    main()
