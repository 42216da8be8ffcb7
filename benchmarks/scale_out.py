"""mpi-sppy's Progressive Hedging (planner.studies.scale_out) against our own extensive form.

    python benchmarks/scale_out.py                                  # nickel, 200 scenarios, 2 and 3 ranks
    python benchmarks/scale_out.py --minerals all --scenarios 20    # the whole default case
    python benchmarks/scale_out.py --scenarios 200 1000 --ranks 2 3 --iterations 3

Scenarios are ``models.sampling.sample_disruptions`` of the default workbook (seed 0), cut to
``--minerals``.  Each mpi-sppy scenario is the whole case's first stage with one scenario's
recourse, solved by HiGHS as one model: on the whole default case that is ~22 s a scenario
(13 minerals in one MIP; our Session solves them as 13 blocks), so PH on all minerals is
projected from the per-scenario cost rather than run (``--minerals all`` runs it anyway).
Yardsticks: our extensive form (``Session(d, hedged=True)``, blocks in parallel) and HiGHS
alone on the same model, read from MPS (``benchmarks/run.py highs_alone``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from models.sampling import sample_disruptions  # noqa: E402
from models.solve import Session, SolveOptions  # noqa: E402
from planner.studies.resilience import HEDGED_GAP  # noqa: E402
from planner.studies.scale_out import ScaleOutFailed, run_mpisppy, verified_objective_usd, verified_plan  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402
from run import highs_alone  # noqa: E402


def bench(d, n: int, ranks: list[int], opts: SolveOptions, iterations: int, sub_s: float) -> None:
    t0 = time.perf_counter()
    session = Session(d, hedged=True)
    ours = session.solve(opts, shadow_prices=False)
    ours_s = time.perf_counter() - t0
    one = Session(d, hedged=True, decompose=False)
    with tempfile.TemporaryDirectory() as tmp:
        alone_s = highs_alone(one, opts, Path(tmp), one.blocks)
    best = ours.stats.objective_usd
    print(f"\n{n} sampled scenarios, minerals {', '.join(d.minerals)}: {len(d.disruptions)} disruptions")
    print(f"  our EF (build + blocks in parallel):  {ours_s:8.1f} s   {best:,.0f} USD, gap {ours.stats.gap:.1e}")
    print(f"  HiGHS alone, whole EF (MPS):          {alone_s:8.1f} s")
    for k in ranks:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                r = run_mpisppy(d, opts, k, tmp, max_iterations=iterations, subproblem_time_limit_s=sub_s)
            except ScaleOutFailed as e:
                print(f"  PH, {k} ranks: failed: {str(e).splitlines()[0]}")
                continue
            c = time.perf_counter()
            v = hedged_objective_usd(verified_plan(d, r, opts))
            verify_s = time.perf_counter() - c
        print(f"  PH, {k} ranks ({' + '.join(r.cylinders)}): {r.wall_s:8.1f} s, {r.iterations} iterations; "
              f"inner {r.inner_usd:,.0f}, outer {r.outer_usd:,.0f}, gap {r.gap:.2e}")
        print(f"      first stage re-solved and verified by the planner: {verify_s:.1f} s, "
              f"{v:,.0f} USD ({(v - best) / best:+.2e} against our EF)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", nargs="+", type=int, default=[200])
    ap.add_argument("--ranks", nargs="+", type=int, default=[2, 3])
    ap.add_argument("--minerals", default="nickel", help="comma-separated, or 'all'")
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--subproblem-time-limit", type=float, default=2.0)
    ap.add_argument("--time-limit", type=float, default=600)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    d = read_workbook(ROOT / "inputs" / "korea_2030.xlsx").data
    opts = SolveOptions(a.time_limit, HEDGED_GAP, a.threads)
    print(f"default case, gap {opts.mip_gap:g}, {opts.threads} threads, PH: {a.iterations} iterations at most, "
          f"HiGHS {a.subproblem_time_limit:g} s a subproblem")
    for n in a.scenarios:
        case = sample_disruptions(d, n, 0)
        if a.minerals != "all":
            case = case.restricted_to(a.minerals.split(","))
        bench(case, n, a.ranks, opts, a.iterations, a.subproblem_time_limit)


if __name__ == "__main__":
    main()
