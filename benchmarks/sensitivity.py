"""planner sensitivity against planner solve: what a sample costs, and what a Morris screening takes.

    python benchmarks/sensitivity.py                          # the default case, Morris, 10 trajectories, -j 2
    python benchmarks/sensitivity.py --trajectories 4 --jobs 1
    python benchmarks/sensitivity.py --method sobol --top 8 --samples 64

Both commands run as new processes, as a planner would run them.  A sample is the whole case read
again with its inputs edited, each mineral solved (or its earlier answer reused when its data are
unchanged), verified and measured; "work per sample" is the wall time times the jobs over the
samples.  The yardsticks are one `planner solve` of the same workbook (start-up, read, build,
solve, verify, write) and HiGHS alone on the same compiled model, block by block (MPS files read
back, the planner's options).  The issue's target: Morris with 10 trajectories over the default
case's inputs in under 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
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
from planner.workbook.reader import read_workbook  # noqa: E402
from run import highs_alone  # noqa: E402

TARGET_S = 600  # the issue's: 10 trajectories under 10 minutes on 2 cores


def planner(*args: str) -> float:
    c = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planner", *args], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workbook", type=Path, default=ROOT / "inputs" / "korea_2030.xlsx")
    ap.add_argument("--method", choices=("morris", "sobol"), default="morris")
    ap.add_argument("--trajectories", type=int, default=10)
    ap.add_argument("--top", type=int)
    ap.add_argument("--samples", type=int)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--solves", type=int, default=3, help="planner solve runs for the yardstick (median)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        solve_s = statistics.median(planner("solve", str(a.workbook), "-o", str(tmp / "solve"))
                                    for _ in range(a.solves))
        d = read_workbook(a.workbook).data
        opts = SolveOptions.from_settings(d.settings)
        session = Session(d)
        highs_s = highs_alone(session, opts, tmp, session.blocks)
        args = ["sensitivity", str(a.workbook), "--method", a.method, "--trajectories", str(a.trajectories),
                "-j", str(a.jobs), "-o", str(tmp / "sens")]
        args += ["--top", str(a.top)] if a.top else []
        args += ["--samples", str(a.samples)] if a.samples else []
        total_s = planner(*args)
        facts = json.loads((tmp / "sens" / f"{a.workbook.stem}-sensitivity.json").read_text())
    samples = facts["samples_solved"]
    statuses = ", ".join(f"{k[8:]} {v}" for k, v in facts.items() if k.startswith("samples_") and k != "samples_solved")
    phases = ", ".join(f"{k[:-2].replace('_', ' ')} {v:.0f} s" for k, v in facts.items()
                       if k.endswith("_s") and k not in ("time_limit_s", "wall_s"))
    work = total_s * a.jobs / samples
    print(f"{a.workbook.name}: {facts['inputs']} uncertain inputs, {facts['inputs_in_model']} in the model; "
          f"{a.method}, {a.trajectories} trajectories, -j {a.jobs}, gap {opts.mip_gap:g}")
    print(f"  planner sensitivity, one process: {total_s:8.1f} s for {samples} samples ({statuses})")
    print(f"    phases: {phases}")
    print(f"  wall per sample:                  {total_s / samples:8.3f} s")
    print(f"  work per sample (x {a.jobs} jobs):        {work:8.3f} s  {work / solve_s:6.3f} x planner solve  "
          f"{work / highs_s:6.2f} x HiGHS alone")
    print(f"  planner solve (new process):      {solve_s:8.2f} s  (median of {a.solves})")
    print(f"  HiGHS alone, the case's blocks:   {highs_s:8.2f} s")
    if a.method == "morris" and a.trajectories == 10:
        verdict = "under" if total_s < TARGET_S else "OVER"
        print(f"  target: 10 trajectories in under {TARGET_S} s on 2 cores: {verdict} ({total_s / TARGET_S:.0%} of it)")


if __name__ == "__main__":
    main()
