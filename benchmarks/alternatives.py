"""Near-optimal alternatives against single solves, on the default case.

    python benchmarks/alternatives.py                 # 10 alternatives (5 directions + 5 mixes) vs 10 `planner solve`
    python benchmarks/alternatives.py --total         # also the directions under a total budget (one model; minutes)

Both sides run as new processes, as a planner would run them: `planner alternatives --count 5 --no-ranges
--tradeoff china,recycling` (no frontier, so exactly ten alternatives besides the least-cost plan) and ten
`planner solve`.  Then, in this process, the study phase by phase: the least-cost solve, each alternative,
the frontier and the ranges (solves, ends known without a solve), and the largest cost any plan reached
above its budget.
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

from models.solve import SolveOptions  # noqa: E402
from planner.reports.labels import reason  # noqa: E402
from planner.studies.alternatives import RANGE, parse_directions, run_alternatives  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402

DEFAULT = ROOT / "inputs" / "korea_2030.xlsx"


def planner(*args: str) -> float:
    c = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planner", *args], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - c


def study(budget: str, a, ranges: bool, tradeoff) -> None:
    d = read_workbook(DEFAULT).data
    c = time.perf_counter()
    s = run_alternatives(d, SolveOptions(a.time_limit, a.gap, a.threads), a.slack, parse_directions(a.directions),
                         a.count, budget, ranges, tradeoff)
    wall = time.perf_counter() - c
    print(f"\nin process, {budget} budget ({s.decomposition}): {wall:.1f} s; phases "
          + ", ".join(f"{k} {v:.1f} s" for k, v in s.phase_s.items()))
    worst = -float("inf")
    for alt in s.alternatives[1:]:
        if alt.kind == RANGE or not alt.ok:
            print(f"  {alt.name:<30} {alt.status}  {reason(alt.why)}")
            continue
        limit = s.best_usd + alt.allowance_share * sum(s.allowance_usd.values())
        worst = max(worst, alt.cost_usd - limit)
        print(f"  {alt.name:<30} {alt.status:<9} {alt.wall_s:6.2f} s  cost +{alt.cost_usd / s.best_usd - 1:.3%}  "
              + "  ".join(f"{k} {v:.4g}" for k, v in alt.measures.items() if v is not None))
    print(f"  largest cost above its budget: {worst:,.3f} USD (negative: every plan under its budget)")
    if s.ranges:
        free = sum(1 for r in s.ranges if not r.forced)
        print(f"  ranges: {len(s.ranges)} decisions ({free} free), {s.range_solves} solves, {s.range_ends_known} ends "
              f"known without one, {s.phase_s['ranges']:.1f} s, all proven: {all(r.proven for r in s.ranges)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slack", type=float, default=0.02)
    ap.add_argument("--directions", default="china,recycling,partners,countries,stock")
    ap.add_argument("--count", type=int, default=5)
    ap.add_argument("--gap", type=float, default=1e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=600)
    ap.add_argument("--total", action="store_true", help="also run the directions under a total budget (slow)")
    a = ap.parse_args()
    common = ["--gap", str(a.gap), "--threads", str(a.threads)]
    with tempfile.TemporaryDirectory() as tmp:
        alternatives_s = planner("alternatives", str(DEFAULT), "-o", tmp, "--slack", str(a.slack), "--directions",
                                 a.directions, "--count", str(a.count), "--no-ranges", "--tradeoff",
                                 "china,recycling", *common)
        solves = [planner("solve", str(DEFAULT), "-o", tmp, *common) for _ in range(10)]
    n = len(parse_directions(a.directions)) + a.count
    print(f"default case, slack {a.slack:.1%}, gap {a.gap:g}, {a.threads} threads, new processes")
    print(f"  planner alternatives, {n} alternatives + the least-cost plan: {alternatives_s:7.1f} s")
    print(f"  planner solve x 10:                                   {sum(solves):7.1f} s "
          f"(each {min(solves):.1f}-{max(solves):.1f} s)")
    ratio = alternatives_s / (n + 1) / (sum(solves) / 10)
    print(f"  one alternative / one solve:                          {ratio:7.2f}")
    study("mineral", a, True, ("china", "cost"))
    if a.total:
        a.count = 0
        study("total", a, False, None)


if __name__ == "__main__":
    main()
