"""Time every phase of a solve, the decomposed and the single model, against HiGHS alone.

    python benchmarks/run.py                      # the default case, 20 x 30 x 10 and 30 x 40 x 10 synthetic cases
    python benchmarks/run.py --size 10 20 7       # minerals, supply options per mineral, years
    python benchmarks/run.py --repeat 3           # median of several runs (shared machines are noisy)
    python benchmarks/run.py --pairs-only --pairs 9   # only the end-to-end pairs, nine of them

The end-to-end figure runs ``planner solve`` on the default case as a new process and, right after
it, a new process that imports highspy and solves the same blocks from MPS with the same options
and parallelism: the ratio of each pair, and their median, is what issue 24 tracks.

Phases: read (workbook -> dataset), build (Pyomo model, compiled to matrices and split into
blocks), solve (the blocks, in parallel across the threads), prices (the fixed-integer LP for
shadow prices), verify (independent check), write (results workbook).  The yardsticks solve
the same compiled model with highspy alone, read from an MPS file with the planner's HiGHS
options: once whole, and block by block one after the other.  "Everything but HiGHS" is
read + build + verify + write; its ratio to HiGHS's own time is what the issue tracks.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import highspy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from models.solve import Session, SolveOptions, new_highs, run_options  # noqa: E402
from planner.reports.plan_workbook import write_plan_workbook  # noqa: E402
from planner.verify import verify  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402
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
    plan.shadow_usd_per_point = session.shadow_prices_usd(opts.time_limit_s)
    t["prices"] = time.perf_counter() - c
    c = time.perf_counter()
    ev = verify(loaded.data, plan)
    t["verify"] = time.perf_counter() - c
    c = time.perf_counter()
    write_plan_workbook(out, loaded.data, plan, ev, [("benchmark", True)], path.name, protected=[path])
    t["write"] = time.perf_counter() - c
    t["objective_usd"], t["gap"] = plan.stats.objective_usd, plan.stats.gap
    return t, session


def highs_alone(session: Session, opts: SolveOptions, folder: Path, blocks) -> float:
    """Seconds highspy alone takes on ``blocks`` of the session's compiled model, each written to MPS
    and read back, solved one after the other with the planner's options for a run from nothing."""
    total = 0.0
    for k, block in enumerate(blocks):
        mps = folder / f"block{k}.mps"
        writer = new_highs(opts.threads)
        writer.passModel(session.form.lp(block.rows, block.cols))
        writer.writeModel(str(mps))
        h = new_highs(opts.threads)
        for name, value in (("mip_rel_gap", opts.mip_gap), ("time_limit", opts.time_limit_s),
                            *run_options(session.hedged, start=False)):
            h.setOptionValue(name, value)
        h.readModel(str(mps))
        c = time.perf_counter()
        h.run()
        total += time.perf_counter() - c
        assert h.getModelStatus() in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit), \
            h.modelStatusToString(h.getModelStatus())
    return total


def bench_case(label: str, path: Path, opts: SolveOptions, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        runs, single, whole, by_block = [], [], [], []
        for _ in range(repeat):
            t, session = timed_run(path, Path(tmp) / "plan.xlsx", opts)
            runs.append(t)
            one = Session(session.data, decompose=False)
            single.append(one.solve(opts, shadow_prices=False).stats.wall_s)
            whole.append(highs_alone(one, opts, Path(tmp), one.blocks))
            by_block.append(highs_alone(session, SolveOptions(opts.time_limit_s, opts.mip_gap, 1), Path(tmp),
                                        session.blocks))
        med = {p: statistics.median(r[p] for r in runs) for p in PHASES}
        h_whole, h_blocks, s_single = (statistics.median(x) for x in (whole, by_block, single))
        size, blocks = session.size, len(session.blocks)
    non_highs = med["read"] + med["build"] + med["verify"] + med["write"]
    print(f"\n{label}: {size['variables']:,} variables ({size['integer_variables']:,} integer), "
          f"{size['constraints']:,} constraints, {blocks} blocks; gap {opts.mip_gap:g}, {opts.threads} threads; "
          f"median of {repeat}")
    for p in PHASES:
        print(f"  {p:<8}{med[p]:9.3f} s")
    print(f"  proven gap of the plan: {runs[-1]['gap']:.2e}")
    print(f"  decomposed solve (blocks in parallel):    {med['solve']:9.3f} s")
    print(f"  single-model solve (through the planner): {s_single:9.3f} s")
    print(f"  HiGHS alone, whole model (MPS):           {h_whole:9.3f} s")
    print(f"  HiGHS alone, block by block, one thread:  {h_blocks:9.3f} s")
    print(f"  everything but HiGHS (read+build+verify+write): {non_highs:.3f} s = {non_highs / h_whole:.1%} of "
          f"HiGHS alone on the whole model, {non_highs / med['solve']:.1%} of the decomposed solve")


# A new process that does only what HiGHS must: import highspy, read the blocks from MPS and solve
# them with the planner's options, ``jobs`` at a time on ``threads`` threads each (as the planner does).
HIGHS_PROCESS = """
import ast
import sys
from concurrent.futures import ThreadPoolExecutor
import highspy
gap, seed, limit, jobs, threads = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
options = ast.literal_eval(sys.argv[6])  # the planner's options of the blocks' runs, as their repr
def solve(path):
    h = highspy.Highs()
    for name, value in (("output_flag", False), ("threads", threads), ("mip_rel_gap", gap), ("random_seed", seed),
                        ("time_limit", limit), *options):
        h.setOptionValue(name, value)
    h.readModel(path)
    h.run()
    # Proven infeasible counts as solved: a stockpile point above the largest stock has no plan.
    return h.getModelStatus() in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kInfeasible)
with ThreadPoolExecutor(jobs) as pool:
    assert all(pool.map(solve, sys.argv[7:]))
"""


def in_new_process(work, *args):
    """``work(*args)`` in a new process of its own (its own peak memory; no HiGHS run before it)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(work, *args).result()


def capture_highs(folder: Path, work, *args) -> list[dict]:
    """Every HiGHS model that ``work(*args)`` solves: each written to ``folder`` as MPS as its run starts, with a
    .json of the options and the start the planner gave it and how long its run took.  HiGHS's methods are
    wrapped in this process, and so in the workers a study forks from it: run it in a process that has run no
    HiGHS (``in_new_process``), whose workers are forked (``planner.studies.jobs``), not spawned."""
    made = itertools.count()
    set_option, set_solution, run = highspy.Highs.setOptionValue, highspy.Highs.setSolution, highspy.Highs.run

    def setOptionValue(h, name, value):
        h.__dict__.setdefault("bench_options", {})[name] = value
        return set_option(h, name, value)

    def setSolution(h, *given):
        if len(given) == 1:  # a whole solution
            h.bench_start = (list(range(len(given[0].col_value))), list(given[0].col_value))
        else:  # some columns' values
            h.bench_start = ([int(k) for k in given[1]], [float(v) for v in given[2]])
        return set_solution(h, *given)

    def timed_run(h):
        # A second run of an instance re-solves a changed model from the first's basis (``planner solve``'s
        # shadow prices do): this yardstick would solve it from nothing, slower than the planner.
        assert not getattr(h, "bench_ran", False), "a HiGHS instance run twice: not a yardstick"
        h.bench_ran = True
        stem = folder / f"{os.getpid()}-{next(made)}"
        h.writeModel(f"{stem}.mps")
        c = time.perf_counter()
        out = run(h)
        Path(f"{stem}.json").write_text(json.dumps({
            "mps": f"{stem}.mps", "options": getattr(h, "bench_options", {}),
            "start": getattr(h, "bench_start", None), "planner_s": time.perf_counter() - c}))
        return out

    highspy.Highs.setOptionValue, highspy.Highs.setSolution, highspy.Highs.run = setOptionValue, setSolution, timed_run
    try:
        work(*args)
    finally:
        highspy.Highs.setOptionValue, highspy.Highs.setSolution, highspy.Highs.run = set_option, set_solution, run
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


# highspy alone on every model a run solved (the .json files ``capture_highs`` wrote), ``jobs`` at a time, the
# longest (as the run timed it) first: each from its MPS file with the options and the start the planner gave it.
HIGHS_EVERY = """
import json, sys
from concurrent.futures import ThreadPoolExecutor
import highspy, numpy as np
jobs, models = int(sys.argv[1]), [json.load(open(p)) for p in sys.argv[2:]]
def solve(m):
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(m["mps"])
    for name, value in m["options"].items():
        h.setOptionValue(name, value)
    if m["start"]:
        h.setSolution(len(m["start"][0]), np.array(m["start"][0], dtype=np.int32), np.array(m["start"][1]))
    h.run()
    return h.getModelStatus() in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kInfeasible)
with ThreadPoolExecutor(jobs) as pool:
    assert all(pool.map(solve, sorted(models, key=lambda m: -m["planner_s"])))
"""


def highs_every(folder: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds of a new process running highspy alone on every model ``capture_highs`` wrote
    to ``folder``, ``jobs`` at a time, with no wait for one another: what no Python around HiGHS can take
    away from a run that solves them."""
    return timed_process([sys.executable, "-c", HIGHS_EVERY, str(jobs), *map(str, sorted(folder.glob("*.json")))])


def print_every(solves: list[dict], jobs: int, every: list[tuple[float, float]], wall: float) -> None:
    """The yardstick of a whole command: highspy alone on every model it solves (``highs_every``'s runs)."""
    alone = statistics.median(w for w, _ in every)
    print(f"  highspy alone on every model the command solves ({len(solves)} HiGHS runs, "
          f"{sum(1 for m in solves if m['start'])} of them from a start; "
          f"{sum(m['planner_s'] for m in solves):.2f} s of HiGHS inside the planner), {jobs} at a time, the longest "
          f"first, new process: median {alone:.2f} s (CPU {statistics.median(c for _, c in every):.2f} s); the "
          f"planner {wall / alone:.2f}x that")


# Python as a user's copy runs: pip byte-compiles a package when it installs it, so a run loads the
# planner's modules compiled.  A shell that sets PYTHONDONTWRITEBYTECODE (this machine's does) would
# have every run compile them from source again (0.1 s of the default case's solve).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed_process(args: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, with the processes it started and waited for) of a new
    process running ``args``; its output is discarded (HiGHS prints a banner on its first instance)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    c = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, text=True, env=ENV)
    if done.returncode:
        sys.exit(f"{' '.join(a if len(a) < 80 else '...' for a in args)} exited with {done.returncode}:\n{done.stderr}")
    wall = time.perf_counter() - c
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def write_blocks(session: Session, folder: Path, stem: str = "proc-block") -> list[str]:
    """The session's blocks as MPS files (largest first, as the planner orders them)."""
    paths = []
    for k, block in enumerate(session.blocks):
        writer = new_highs(1)
        writer.passModel(session.form.lp(block.rows, block.cols))
        paths.append(str(folder / f"{stem}{k}.mps"))
        writer.writeModel(paths[-1])
    return paths


def highs_process(paths: list[str], opts: SolveOptions, hedged: bool) -> tuple[float, float]:
    """Wall and CPU seconds of a new process running highspy alone on the MPS files ``paths`` (blocks of a
    hedged model or not), with the planner's options for a run from nothing and its parallelism
    (``opts.threads`` blocks at a time)."""
    jobs = max(1, min(opts.threads, len(paths)))
    return timed_process([sys.executable, "-c", HIGHS_PROCESS, str(opts.mip_gap), str(opts.random_seed),
                          str(opts.time_limit_s), str(jobs), str(max(1, opts.threads // jobs)),
                          repr(run_options(hedged, start=False)), *paths])


def end_to_end(path: Path, opts: SolveOptions, repeat: int) -> None:
    """``planner solve`` as a new process against highspy alone as a new process on the same blocks,
    in pairs run back to back (the machine is shared: a pair sees the same load), and the median ratio."""
    session = Session(read_workbook(path).data)
    pairs, phases = [], []
    with tempfile.TemporaryDirectory() as tmp:
        blocks = write_blocks(session, Path(tmp))
        cli_run(path, opts.mip_gap)  # not timed: the modules compiled once, as an installed copy has them
        for _ in range(repeat):
            run, facts = cli_run(path, opts.mip_gap)
            pairs.append((run, highs_process(blocks, opts, session.hedged)))
            phases.append(facts)
        # HiGHS on the largest block alone, with the threads the planner gives it (the other blocks run beside it).
        jobs = max(1, min(opts.threads, len(session.blocks)))
        largest = statistics.median(highs_alone(session, dataclasses.replace(opts, threads=max(1, opts.threads // jobs)),
                                                Path(tmp), session.blocks[:1]) for _ in range(3))
    print(f"default case, 'planner solve' end to end as a new process against highspy alone as a new process on "
          f"the same {len(session.blocks)} blocks (gap {opts.mip_gap:g}, {opts.threads} threads), {repeat} pairs "
          "(wall, and CPU with the processes each started):")
    print_runs([(p, h, None) for p, h in pairs], "target: ratio <= 1.4, stretch 1.2")
    # Where the planner's wall time went, as each run recorded it in its .json (the solve is HiGHS on the
    # blocks and the shadow-price LPs; the rest of the wall time is Python starting and the files written).
    median = {k: statistics.median(f[k] for f in phases) for k in RUN_PHASES}
    wall = statistics.median(w for (w, _), _ in pairs)
    print("  the planner's phases (median, from its .json): " + ", ".join(f"{k.removesuffix('_s')} {v:.2f} s"
                                                                        for k, v in median.items())
          + f"; the rest of the wall time {wall - sum(median.values()):.2f} s")
    # The planner's order of work: HiGHS starts on the largest block after the imports, the read and the build,
    # and the outputs wait for its plan; so those three and the largest block's solve are a floor on its wall time.
    before = median["import_s"] + median["read_s"] + median["build_s"]
    after = median["verify_s"] + median["outputs_built_s"]
    floor = before + largest + after
    yardstick = statistics.median(h for _, (h, _) in pairs)
    print(f"  the critical path: before HiGHS {before:.2f} s (import, read, build) + HiGHS alone on the largest "
          f"block ({len(session.blocks[0].cols):,} columns) {largest:.2f} s + after it {after:.2f} s (verify, "
          f"outputs) = {floor:.2f} s, {floor / yardstick:.2f}x highspy alone: the least ratio this order of work "
          "can reach, however fast the other blocks and the process's start and end")


def print_runs(runs: list[tuple[tuple[float, float], tuple[float, float], tuple[float, float] | None]],
               target: str, baseline_target: str = "") -> None:
    """Each set of runs (wall and CPU seconds of the planner, of highspy alone and of the baseline
    checkout, or None) with its ratios, then the medians."""
    med = statistics.median
    for (w, wc), (h, hc), b in runs:
        print(f"  planner {w:7.2f} s (CPU {wc:6.2f} s)   highspy alone {h:7.2f} s (CPU {hc:6.2f} s)   ratio {w / h:.2f}"
              + (f"   baseline {b[0]:7.2f} s (CPU {b[1]:6.2f} s)   ratio to it {w / b[0]:.2f}" if b else ""))
    print(f"  median planner {med(w for (w, _), _, _ in runs):.2f} s, CPU {med(c for (_, c), _, _ in runs):.2f} s; "
          f"highspy alone {med(h for _, (h, _), _ in runs):.2f} s, CPU {med(c for _, (_, c), _ in runs):.2f} s; "
          f"median ratio {med(w / h for (w, _), (h, _), _ in runs):.2f} ({target})"
          + (f"; baseline {med(b[0] for _, _, b in runs):.2f} s, CPU {med(b[1] for _, _, b in runs):.2f} s, median "
             f"ratio to it {med(w / b[0] for (w, _), _, b in runs):.2f}{baseline_target}"
             if all(b for _, _, b in runs) else ""))


# The phases a plan's .json records, in the order they run.
RUN_PHASES = ("import_s", "read_s", "build_s", "solve_s", "verify_s", "outputs_built_s")


def cli_run(path: Path, gap: float | None) -> tuple[tuple[float, float], dict[str, float]]:
    """Wall and CPU seconds of ``planner solve`` on ``path``, a new process, and the phase times its
    .json records."""
    with tempfile.TemporaryDirectory() as tmp:
        run = timed_process([sys.executable, "-m", "planner", "solve", str(path), "-o", tmp]
                            + (["--gap", str(gap)] if gap else []))
        facts = json.loads((Path(tmp) / f"{path.stem}-plan.json").read_text())
    return run, {k: facts[k] for k in RUN_PHASES}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", nargs=3, type=int, metavar=("MINERALS", "SUPPLIERS", "YEARS"))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--pairs", type=int, default=5, help="paired end-to-end runs of the default case")
    ap.add_argument("--pairs-only", action="store_true", help="only the end-to-end pairs")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--gap", type=float, default=1e-5, help="relative MIP gap (default: the Settings default)")
    ap.add_argument("--synthetic-gap", type=float, default=1e-4,
                    help="relative MIP gap for the synthetic cases (their single model does not prove 1e-5 in minutes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=600)
    a = ap.parse_args()
    if a.size is None:
        default = ROOT / "inputs" / "korea_2030.xlsx"
        end_to_end(default, SolveOptions(a.time_limit, a.gap, a.threads), max(a.repeat, a.pairs))
        if a.pairs_only:
            return
        bench_case("default case", default, SolveOptions(a.time_limit, a.gap, a.threads), a.repeat)
    sizes = [a.size] if a.size else [(20, 30, 10), (30, 40, 10)]
    for m, s, y in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"synthetic-{m}x{s}x{y}.xlsx"
            write_input_workbook(make_tables(m, s, y, a.seed), path)
            bench_case(f"synthetic {m} minerals x {s} supply options each x {y} years", path,
                       SolveOptions(a.time_limit, a.synthetic_gap, a.threads), a.repeat)


if __name__ == "__main__":
    main()
