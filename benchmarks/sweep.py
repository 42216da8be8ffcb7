"""A sweep against separate solves: `planner sweep` over 15 China caps, and 15 `planner solve` runs.

    python benchmarks/sweep.py                        # 0.8:0.45:0.025, the battery minerals' cap in the target year
    python benchmarks/sweep.py --range 0.8:0.45:0.05 --gap 0.0001

Both run as new processes, as a planner would run them.  The sweep sets the China cap of the battery
minerals (lithium, nickel, cobalt, manganese, graphite) in the target year (2030 in the default case);
the separate solves use workbooks whose Policy rows for those minerals and that year carry each cap
(a mineral's own row, added from the all-minerals row where it has none), which is what the sweep sets
(below 45% the battery minerals have no plan, and a separate solve of such a case writes nothing).
Their objectives are checked equal to the sweep's, point by point, to the proven gaps.  The yardstick is
HiGHS alone (highspy on the MPS export) solving one of the same instances.
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from models.solve import Session, SolveOptions  # noqa: E402
from planner.cli import sweep_name  # noqa: E402
from planner.studies.policies import target_year  # noqa: E402
from planner.workbook.defaults import load_default_tables  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402
from planner.studies.sweep import PARAMETERS, parse_range  # noqa: E402
from planner.workbook.writer import write_input_workbook  # noqa: E402
from run import highs_alone  # noqa: E402


def planner(*args: str) -> float:
    c = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planner", *args], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - c


BATTERY = ("lithium", "nickel", "cobalt", "manganese", "graphite")


def with_caps(tables: dict, year: int, cap: float) -> dict:
    """The Policy rows of the battery minerals in ``year`` with China cap ``cap`` (a mineral's own row;
    from the all-minerals row of that year where it has none)."""
    rows = tables["Policy"]
    common = next(r for r in rows if r["year"] == year and r["mineral_id"] is None)
    for m in BATTERY:
        own = next((r for r in rows if r["year"] == year and r["mineral_id"] == m), None)
        if own is None:
            own = {**common, "mineral_id": m}
            rows.append(own)
        own["china_cap_share"] = cap
    return tables


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--range", default="0.8:0.45:0.025", help="China caps, START:STOP:STEP")
    ap.add_argument("--gap", type=float, default=1e-5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    caps = parse_range(a.range, PARAMETERS["china-cap"])
    gap, threads = str(a.gap), str(a.threads)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tables = load_default_tables()
        base = write_input_workbook(tables, tmp / "case.xlsx")
        data = read_workbook(base).data
        year = target_year(data)
        minerals = [arg for m in BATTERY for arg in ("-m", m)]
        sweep_s = planner("sweep", str(base), "--china-cap", a.range, *minerals, "-o", str(tmp / "sweep"), "--gap",
                          gap, "--threads", threads)
        name = sweep_name(base.stem, "china-cap", data, BATTERY, [year])  # as the sweep names its outputs
        swept = json.loads((tmp / "sweep" / f"{name}.json").read_text())
        solve_s = []
        for i, cap in enumerate(caps):
            path = write_input_workbook(with_caps(copy.deepcopy(tables), year, cap), tmp / f"case-{i}.xlsx")
            solve_s.append(planner("solve", str(path), "-o", str(tmp / "solves"), "--gap", gap, "--threads", threads))
            solved = json.loads((tmp / "solves" / f"case-{i}-plan.json").read_text())
            check_same(swept, f"point {cap:g}", solved, cap)
        session = Session(read_workbook(path).data, decompose=False)
        yardstick = highs_alone(session, SolveOptions(600, a.gap, a.threads), tmp, session.blocks)
    total = sum(solve_s)
    print(f"default case, battery minerals' China cap in {year} over {a.range} ({len(caps)} points), gap {a.gap}, "
          f"{a.threads} threads; every point's objective equal to its separate solve's within the gaps")
    print(f"  planner sweep, one process:          {sweep_s:8.2f} s  {sweep_s / yardstick:7.1f} x HiGHS")
    print(f"  planner solve x {len(caps)}, new processes:  {total:8.2f} s  {total / yardstick:7.1f} x HiGHS "
          f"(each {min(solve_s):.2f}-{max(solve_s):.2f} s)")
    print(f"  HiGHS alone, one instance (MPS):     {yardstick:8.2f} s  (the whole model, undecomposed)")
    print(f"  separate solves / sweep:             {total / sweep_s:8.2f} x")


def check_same(swept: dict, point: str, solved: dict, cap: float) -> None:
    """The sweep's point and the separate solve found the same least cost, to the two proven gaps."""
    a, b = swept[f"{point} objective_usd"], solved["objective_usd"]
    slack = (a - swept[f"{point} best_bound_usd"]) + (b - solved["best_bound_usd"]) + 1.0
    if abs(a - b) > slack:
        raise SystemExit(f"cap {cap:g}: the sweep found {a:,.0f} USD, the separate solve {b:,.0f} USD "
                         f"(more apart than their gaps, {slack:,.0f} USD): not the same instance")


if __name__ == "__main__":
    main()
