"""Time every phase of a solve and compare it with HiGHS alone on the same model.

    python benchmarks/run.py                      # the default case and a 30 x 40 x 10 synthetic case
    python benchmarks/run.py --size 10 20 7       # minerals, supply options per mineral, years
    python benchmarks/run.py --repeat 3           # median of several runs (shared machines are noisy)

Phases: read (workbook -> dataset), build (Pyomo model), solve (HiGHS through
Pyomo's in-memory interface, MIP only), prices (the fixed-integer LP for shadow
prices), verify (independent check), write (results workbook).  "HiGHS alone"
solves the same model, exported to MPS, with highspy and the same options.
Overhead = end-to-end time minus HiGHS alone, as a ratio of HiGHS alone.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import highspy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from models.solve import Session, SolveOptions  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402
from planner.reports.plan_workbook import write_plan_workbook  # noqa: E402
from planner.verify import verify  # noqa: E402
from planner.workbook.writer import write_input_workbook  # noqa: E402
from synthetic import make_tables  # noqa: E402

PHASES = ("read", "build", "solve", "prices", "verify", "write")


def timed_run(path: Path, out: Path, opts: SolveOptions) -> tuple[dict[str, float], Session]:
    t: dict[str, float] = {}
    c = time.perf_counter()
    loaded = read_workbook(path)
    t["read"] = time.perf_counter() - c
    session = Session(loaded.data)
    t["build"] = session.build_s
    plan = session.solve(opts, shadow_prices=False)
    t["solve"] = plan.stats.wall_s
    c = time.perf_counter()
    plan.shadow_usd_per_point = session._shadow_prices(opts)
    t["prices"] = time.perf_counter() - c
    c = time.perf_counter()
    ev = verify(loaded.data, plan)
    t["verify"] = time.perf_counter() - c
    c = time.perf_counter()
    write_plan_workbook(out, loaded.data, plan, ev, [("benchmark", True)], path.name, protected=[path])
    t["write"] = time.perf_counter() - c
    t["objective_usd"] = plan.stats.objective_usd
    return t, session


def highs_alone(session: Session, opts: SolveOptions, folder: Path) -> tuple[float, float]:
    mps = folder / "model.mps"
    session.model.write(str(mps), io_options={"symbolic_solver_labels": False})
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", opts.threads)
    h.setOptionValue("mip_rel_gap", opts.mip_gap)
    h.setOptionValue("time_limit", opts.time_limit_s)
    h.readModel(str(mps))
    c = time.perf_counter()
    h.run()
    return time.perf_counter() - c, h.getInfo().objective_function_value


def bench_case(label: str, path: Path, opts: SolveOptions, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        runs, alone = [], []
        for _ in range(repeat):
            t, session = timed_run(path, Path(tmp) / "plan.xlsx", opts)
            runs.append(t)
            alone.append(highs_alone(session, opts, Path(tmp))[0])
        med = {p: statistics.median(r[p] for r in runs) for p in PHASES}
        h = statistics.median(alone)
        size = session.size
    total = sum(med.values())
    print(f"\n{label}: {size['variables']:,} variables ({size['integer_variables']:,} integer), "
          f"{size['constraints']:,} constraints; median of {repeat}")
    for p in PHASES:
        print(f"  {p:<8}{med[p]:9.3f} s  {med[p] / h:7.2f} x HiGHS")
    print(f"  {'total':<8}{total:9.3f} s  {total / h:7.2f} x HiGHS")
    print(f"  HiGHS alone (MPS, highspy): {h:.3f} s")
    print(f"  overhead (total - HiGHS alone) / HiGHS alone: {(total - h) / h:.1%}")
    non_solver = total - med["solve"] - med["prices"]
    print(f"  read+build+verify+write / HiGHS alone: {non_solver / h:.1%}")


def cli_wall(path: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        c = time.perf_counter()
        subprocess.run([sys.executable, "-m", "planner", "solve", str(path), "-o", tmp], check=True,
                       capture_output=True, cwd=ROOT)
        return time.perf_counter() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", nargs=3, type=int, metavar=("MINERALS", "SUPPLIERS", "YEARS"))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--gap", type=float, default=0.002, help="relative MIP gap (default: the default case's)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=600)
    a = ap.parse_args()
    opts = SolveOptions(time_limit_s=a.time_limit, mip_gap=a.gap, threads=a.threads)
    if a.size is None:
        default = ROOT / "inputs" / "korea_2030.xlsx"
        walls = [cli_wall(default) for _ in range(a.repeat)]
        print(f"default case, 'planner solve' end to end (new process): {statistics.median(walls):.2f} s wall "
              f"(median of {a.repeat}; target < 5 s)")
        bench_case("default case", default, opts, a.repeat)
    sizes = [a.size] if a.size else [(30, 40, 10)]
    for m, s, y in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"synthetic-{m}x{s}x{y}.xlsx"
            write_input_workbook(make_tables(m, s, y, a.seed), path)
            bench_case(f"synthetic {m} minerals x {s} supply options each x {y} years", path, opts, a.repeat)


if __name__ == "__main__":
    main()
