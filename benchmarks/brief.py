"""`planner brief` on the default case against HiGHS alone on the plans it solves.

    python benchmarks/brief.py                    # the default case, 2 jobs, 2 threads (the 60 s target)
    python benchmarks/brief.py --alternatives     # with the ranges within 2% of the least cost
    python benchmarks/brief.py --repeat 3         # median of several runs (shared machines are noisy)

The brief runs as a new process, as a planner would run it: read, every plan the answers need
(the strategy with its shadow prices and stress test, no policy with its stress test, each policy
left out), verification, the report and the workbook.  The yardstick is highspy alone on the MPS
export of each of those plans' models, one after the other with the planner's options (the stress
tests' recourse models are not in it): what the brief's solves would cost with nothing around them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from models.solve import Session, SolveOptions  # noqa: E402
from planner.studies.brief import cases  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402
from run import highs_alone  # noqa: E402

TARGET_S = 60.0  # issue 23: without --alternatives, on 2 cores
DEFAULT = ROOT / "inputs" / "korea_2030.xlsx"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--alternatives", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    d = read_workbook(DEFAULT).data
    opts = SolveOptions.from_settings(d.settings, threads=a.threads)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        runs = []
        for _ in range(a.repeat):
            c = time.perf_counter()
            subprocess.run([sys.executable, "-m", "planner", "brief", str(DEFAULT), "-o", str(tmp / "out"), "-j",
                            str(a.jobs), "--threads", str(a.threads), *(["--alternatives"] if a.alternatives else [])],
                           check=True, capture_output=True, cwd=ROOT)
            runs.append(time.perf_counter() - c)
        todo = cases(d)
        yardstick, infeasible = 0.0, []
        for k, case in enumerate(todo):
            session = Session(case.data)
            folder = tmp / f"case{k}"
            folder.mkdir()
            try:
                yardstick += highs_alone(session, opts, folder, session.blocks)
            except AssertionError:  # a plan the case cannot have (a policy it needs left out): no yardstick
                infeasible.append(case.name)
    brief_s = statistics.median(runs)
    print(f"default case, {len(todo)} plans{' and the ranges within 2%' if a.alternatives else ''}, "
          f"{a.jobs} jobs, {a.threads} threads, gap {opts.mip_gap:g}; {a.repeat} run(s)")
    print(f"  planner brief, new process:           {brief_s:8.2f} s  {brief_s / yardstick:7.1f} x HiGHS"
          + ("" if a.alternatives else f"  (target {TARGET_S:.0f} s: {'met' if brief_s < TARGET_S else 'MISSED'})"))
    print(f"  HiGHS alone, the plans one by one:    {yardstick:8.2f} s  (MPS, block by block"
          + (f"; infeasible, left out: {', '.join(infeasible)})" if infeasible else ")"))


if __name__ == "__main__":
    main()
