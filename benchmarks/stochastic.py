"""The extensive form of the disruption model on the default case: build and HiGHS time for 10, 50 and
200 scenarios, against HiGHS alone on the same model.

    python benchmarks/stochastic.py                   # 10, 50 and 200 scenarios
    python benchmarks/stochastic.py --scenarios 500   # any counts
    python benchmarks/stochastic.py --cvar 0.5        # with a CVaR term (links the minerals: one model)

Scenarios are drawn (seeded) from the default workbook's disruptions: an event, a start year
in the horizon and its losses scaled by a factor in [0.5, 1]; together they carry probability
0.8.  Phases: build (the Pyomo model, compiled to matrices and split into blocks), solve (the
blocks in parallel, as `planner solve --hedged` does), verify (every scenario's recourse
rechecked).  Yardsticks: the same compiled model solved through the planner as one HiGHS model,
and by highspy alone, read from an MPS file with the planner's options.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from models.dataset import DisruptionScenario, PlanningData  # noqa: E402
from models.solve import Session, SolveOptions  # noqa: E402
from planner.studies.resilience import HEDGED_GAP  # noqa: E402
from planner.verify import verify  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402
from run import highs_alone  # noqa: E402

TOTAL_PROBABILITY = 0.8


def sampled(d: PlanningData, n: int, seed: int = 0) -> PlanningData:
    """``d`` with ``n`` scenarios drawn from its own disruptions (see the module docstring)."""
    rng = random.Random(seed)
    events = sorted({sc.event: sc for sc in d.disruptions}.values(), key=lambda sc: sc.event)
    first, last = d.settings.first_year, d.settings.last_year
    out = []
    for i in range(n):
        sc = rng.choice(events)
        start = min(y for _s, y in sc.loss)
        shift = rng.randint(first, last) - start
        scale = rng.uniform(0.5, 1.0)
        loss = {(s, y + shift): share * scale for (s, y), share in sc.loss.items() if y + shift <= last}
        spot = {(m, y + shift): x for (m, y), x in sc.spot_multiplier.items() if y + shift <= last}
        out.append(DisruptionScenario(f"s{i}", sc.event, TOTAL_PROBABILITY / n, loss, spot, sc.partners_hit))
    return dataclasses.replace(d, disruptions=tuple(out))


def bench(d: PlanningData, n: int, opts: SolveOptions) -> None:
    case = sampled(d, n)
    t0 = time.perf_counter()
    session = Session(case, hedged=True)
    build = time.perf_counter() - t0
    plan = session.solve(opts, shadow_prices=False)
    c = time.perf_counter()
    verify(case, plan)
    verify_s = time.perf_counter() - c
    one = Session(case, hedged=True, decompose=False)
    single = one.solve(opts, shadow_prices=False)
    with tempfile.TemporaryDirectory() as tmp:
        alone = highs_alone(one, opts, Path(tmp), one.blocks)
    size = session.size
    print(f"\n{n} scenarios: {size['variables']:,} variables ({size['integer_variables']:,} integer), "
          f"{size['constraints']:,} constraints; {session.decomposition}")
    print(f"  build (Pyomo + compile):                  {build:8.2f} s")
    print(f"  decomposed solve (blocks in parallel):    {plan.stats.wall_s:8.2f} s   {plan.stats.status}, "
          f"gap {plan.stats.gap:.1e}")
    print(f"  verify (every scenario's recourse):       {verify_s:8.2f} s")
    print(f"  single-model solve (through the planner): {single.stats.wall_s:8.2f} s   {single.stats.status}")
    print(f"  HiGHS alone, whole model (MPS):           {alone:8.2f} s")
    print(f"  ratios to HiGHS alone: decomposed solve {plan.stats.wall_s / alone:.2f}, build {build / alone:.2f}, "
          f"build + solve + verify {(build + plan.stats.wall_s + verify_s) / alone:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", nargs="+", type=int, default=[10, 50, 200])
    ap.add_argument("--cvar", type=float, default=0.0, help="CVaR weight (Settings cvar_weight)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=600)
    a = ap.parse_args()
    d = read_workbook(ROOT / "inputs" / "korea_2030.xlsx").data
    d = dataclasses.replace(d, settings=dataclasses.replace(d.settings, cvar_weight=a.cvar))
    opts = SolveOptions(a.time_limit, HEDGED_GAP, a.threads)
    print(f"default case, gap {opts.mip_gap:g}, {opts.threads} threads, CVaR weight {a.cvar:g}")
    for n in a.scenarios:
        bench(d, n, opts)


if __name__ == "__main__":
    main()
