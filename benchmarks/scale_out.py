"""The mpi-sppy engine (planner.studies.scale_out) against our own extensive form and HiGHS alone.

    python benchmarks/scale_out.py                         # default case, 200 draws, 2 ranks, 3 paired runs
    python benchmarks/scale_out.py --sample 200 1000 2000 --repeat 1     # the per-block cost as draws grow
    python benchmarks/scale_out.py --ph --repeat 1         # the largest block by PH instead (budget under it)
    python benchmarks/scale_out.py --cli                   # and planner solve --hedged as new processes

Scenarios are ``models.sampling.sample_disruptions`` of the default workbook with the CLI's
seed (1).  Each repeat runs, one after the other: our extensive form (``Session(d,
hedged=True)``: build and the blocks in parallel on ``--threads``), the mpi-sppy job on
``--ranks`` ranks (``run_blocks``: one mpiexec job, each rank building mpi-sppy's extensive form
of its blocks and solving it with HiGHS; wall from launch to the results read back, CPU of
every rank), the planner's re-solve and verification of its first stage, and HiGHS alone on
the same blocks (MPS, one thread each, ``benchmarks/run.py highs_alone``): their sum, and their
longest-processing-time makespan on ``--ranks`` processes, the least any ``--ranks``-process
run of them can take.  Ratios are from the same repeat (the machine is shared); the load
average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from models.sampling import sample_disruptions  # noqa: E402
from models.solve import Session, SolveOptions  # noqa: E402
from models.sppy_blocks import JobBlock, assign  # noqa: E402
from planner.studies import scale_out  # noqa: E402
from planner.studies.resilience import HEDGED_GAP, hedged_objective_usd  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402
from run import highs_alone  # noqa: E402

SEED = 1  # planner's --seed default


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def blocks_alone(d, opts: SolveOptions, ranks: int) -> tuple[float, float]:
    """HiGHS alone on each block of our extensive form, one thread: (sum, LPT makespan on ``ranks``)."""
    session = Session(d, hedged=True)
    one = SolveOptions(opts.time_limit_s, opts.mip_gap, 1)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for b in session.blocks:
            times.append(highs_alone(session, one, Path(tmp), [b]))
    jobs = assign([JobBlock(str(k), None, t, 1) for k, t in enumerate(times)], ranks)
    return sum(times), max(sum(j.work for j in jobs if j.rank == r) for r in range(ranks))


def bench(d, n: int, ranks: int, opts: SolveOptions, repeat: int, rank_memory_mb: float, ph: dict) -> None:
    print(f"\n{n} draws (seed {SEED}): {len(d.disruptions)} disruption scenarios; {ranks} ranks, rank memory "
          f"{rank_memory_mb:,.0f} MB; {load()}")
    for b in scale_out.plan_blocks(d, rank_memory_mb):
        print(f"  block {b.name:<45} {b.scenarios:>6} scenarios  ~{b.estimate_mb:7.0f} MB  {b.method}")
    rows = []
    for k in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        ours = Session(d, hedged=True).solve(opts, shadow_prices=False)
        ours_wall, ours_cpu = time.perf_counter() - t, time.process_time() - c
        with tempfile.TemporaryDirectory() as tmp:
            t, c = time.perf_counter(), children_cpu()
            r = scale_out.run_blocks(d, opts, ranks, tmp, rank_memory_mb=rank_memory_mb, **ph)
            job_wall, job_cpu = time.perf_counter() - t, children_cpu() - c
            t = time.perf_counter()
            verified = hedged_objective_usd(scale_out.verified_plan(d, r, opts))
            verify_s = time.perf_counter() - t
        alone_sum, alone_lpt = blocks_alone(d, opts, ranks)
        rows.append((ours_wall, ours_cpu, job_wall, job_cpu, verify_s, alone_sum, alone_lpt))
        best = ours.stats.objective_usd
        print(f"  run {k + 1} ({load()}):")
        print(f"    our extensive form (build + blocks, {opts.threads} threads): {ours_wall:7.2f} s wall "
              f"{ours_cpu:7.2f} s CPU  {best:,.0f} USD, gap {ours.stats.gap:.1e}")
        print(f"    mpi-sppy job ({r.method}, {r.ranks} ranks):{'':14}{job_wall:7.2f} s wall {job_cpu:7.2f} s CPU  "
              f"{r.inner_usd:,.0f} USD, bound {r.outer_usd:,.0f}, gap {r.gap:.1e}")
        print(f"    its first stage re-solved and verified:{'':14}{verify_s:7.2f} s       {verified:,.0f} USD "
              f"({(verified - best) / best:+.1e} against our EF)")
        print(f"    HiGHS alone, the blocks one thread each:  sum {alone_sum:7.2f} s, on {ranks} processes "
              f"(LPT) {alone_lpt:7.2f} s")
        for name, s in r.stats.items():
            if s.get("method") == "ef":
                print(f"      {name:<45} rank {s['rank']}: {s['per_bundle']:>6} scenarios, build "
                      f"{s['build_s']:6.2f} s, solve {s['solve_s']:7.2f} s, peak {s['peak_rss_mb']:6.0f} MB")
            else:
                print(f"      {name:<45} PH: {s.get('iterations')} iterations, bounds {s.get('inner')} / "
                      f"{s.get('outer')} (scaled)")
    med = [statistics.median(x) for x in zip(*rows)]
    ours_wall, ours_cpu, job_wall, job_cpu, verify_s, alone_sum, alone_lpt = med
    ratios = [r[2] / r[0] for r in rows]
    print(f"  median of {repeat}: mpi-sppy job / our EF {statistics.median(ratios):.2f} wall "
          f"({min(ratios):.2f}-{max(ratios):.2f}), {job_cpu / ours_cpu:.2f} CPU; (job + verify) / our EF "
          f"{statistics.median([(r[2] + r[4]) / r[0] for r in rows]):.2f}; mpi-sppy job / HiGHS alone on "
          f"{ranks} processes {statistics.median([r[2] / r[6] for r in rows]):.2f}; our EF / HiGHS alone sum "
          f"{statistics.median([r[0] / r[5] for r in rows]):.2f}")


def cli(n: int, ranks: int, repeat: int) -> None:
    """planner solve --hedged --sample N as new processes: the embedded engine and mpi-sppy, paired."""
    print(f"\nplanner solve --hedged --sample {n} as a new process ({load()}):")
    base = [sys.executable, "-m", "planner", "solve", "--hedged", "--sample", str(n)]
    for k in range(repeat):
        for label, extra in (("--engine highs", []), (f"--engine mpisppy --ranks {ranks}",
                                                       ["--engine", "mpisppy", "--ranks", str(ranks)])):
            with tempfile.TemporaryDirectory() as tmp:
                t, c = time.perf_counter(), children_cpu()
                subprocess.run(base + extra + ["-o", tmp], check=True, capture_output=True, cwd=ROOT)
                wall, cpu = time.perf_counter() - t, children_cpu() - c
                print(f"  run {k + 1} {label:<26} {wall:7.2f} s wall {cpu:7.2f} s CPU")


def parser() -> argparse.ArgumentParser:
    """The command line (tests/test_scale_out.py parses the README's lines with it)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", nargs="+", type=int, default=[200])
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rank-memory", type=float, default=scale_out.RANK_MEMORY_MB)
    ap.add_argument("--ph", action="store_true", help="a rank memory just under the largest block's estimate: "
                                                      "that block by PH")
    ap.add_argument("--iterations", type=int, default=10, help="PH's iterations at most (with --ph)")
    ap.add_argument("--time-limit", type=float, default=600)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cli", action="store_true", help="also time planner solve --hedged as new processes")
    return ap


def main() -> None:
    a = parser().parse_args()
    d = read_workbook(ROOT / "inputs" / "korea_2030.xlsx").data
    opts = SolveOptions(a.time_limit, HEDGED_GAP, a.threads)
    print(f"default case, gap {opts.mip_gap:g}, {opts.threads} threads for our EF, shared among the ranks for "
          "mpi-sppy's")
    for n in a.sample:
        case = sample_disruptions(d, n, SEED)
        memory = a.rank_memory
        ph = {}
        if a.ph:
            memory = max(b.estimate_mb for b in scale_out.plan_blocks(case)) - 1e-6
            ph = {"max_iterations": a.iterations}
        bench(case, n, a.ranks, opts, a.repeat, memory, ph)
        if a.cli:
            cli(n, a.ranks, a.repeat)


if __name__ == "__main__":
    main()
