"""Independent blocks solved as whole extensive forms, one MPI job for all of them:

    mpiexec -n K python -m mpi4py -m models.sppy_blocks JOB

With no CVaR term no row links two mineral groups, so the hedged model is the sum of the
groups' models (``PlanningData.mineral_groups``, the blocks ``models.solve.Session`` solves).
``planner.studies.scale_out`` writes JOB, a pickle of :class:`Job`: every block's case, the
rank that owns it (longest processing time first: see ``assign``) and HiGHS's options.  Each
rank builds the extensive form of each of its blocks with mpi-sppy (``sputils.create_EF`` over
``models.sppy``'s scenarios, ``per_bundle`` of ours to one of mpi-sppy's), solves it with HiGHS
(``solve_block``), and writes ``<block>.json`` beside JOB: the first stage, the
objective and HiGHS's proven bound (scaled units), and the times.  The ranks share nothing but
the job file: one process start-up for the whole case, not one per mineral.

mpi-sppy's ``ExtensiveForm`` class spreads its scenarios over every rank of COMM_WORLD, so the
ranks call the function it is built on, ``create_EF``, each on its own blocks.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import sys
import time
from dataclasses import dataclass

import numpy as np

from models.compile import compile_model
from models.dataset import PlanningData
from models.solve import new_highs
from models.sppy import scenario_count, scenario_creator, scenario_names_creator

FEASIBLE_SOLUTION = 2  # HiGHS's primal_solution_status of a feasible point


@dataclass
class JobBlock:
    name: str  # the group's minerals joined by "+"
    case: PlanningData  # the group's case, with only the disruptions that hit it
    work: float  # the estimated work that ordered the assignment (recourse variables, as the memory they take)
    per_bundle: int  # our scenarios per mpi-sppy scenario
    rank: int = 0


@dataclass
class Job:
    blocks: list[JobBlock]
    highs: dict  # HiGHS options of every block's solve, but its time limit
    time_limit_s: float  # of each rank, shared by its blocks in turn


def assign(blocks: list[JobBlock], ranks: int) -> list[JobBlock]:
    """Longest processing time first: the blocks by falling ``work``, each to the rank with the
    least work so far (within 4/3 of the best assignment's longest rank)."""
    load = [0.0] * ranks
    for b in sorted(blocks, key=lambda b: -b.work):
        b.rank = min(range(ranks), key=lambda r: (load[r], r))
        load[b.rank] += b.work
    return blocks


def result_path(job_file: str, block: str) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(job_file)), f"{block}.json")


def solve_block(b: JobBlock, highs: dict) -> dict:
    """mpi-sppy's extensive form of one block, solved by HiGHS: what the rank writes.

    HiGHS gets the EF's matrices whole (``models.compile``, as the embedded engine hands it its
    own blocks): on the default case's largest block at 200 draws Pyomo's ``appsi_highs``, which
    feeds it row by row, took 0.5 s to load the model and its solve ran longer."""
    from mpisppy.utils import sputils

    t0 = time.perf_counter()
    n = scenario_count(b.case, b.per_bundle)
    names = scenario_names_creator(n)
    ef = sputils.create_EF(names, scenario_creator, {"data": b.case, "per_bundle": b.per_bundle},
                           suppress_warnings=True)
    form = compile_model(ef)
    built = time.perf_counter()
    h = new_highs(highs["threads"])
    for name, value in highs.items():
        if name != "threads":
            h.setOptionValue(name, value)
    h.passModel(form.lp(np.arange(len(form.rows)), np.arange(len(form.columns))))
    h.run()
    info = h.getInfo()
    out = {"block": b.name, "rank": b.rank, "scenarios": len(b.case.disruptions), "mpisppy_scenarios": n,
           "per_bundle": b.per_bundle, "status": h.modelStatusToString(h.getModelStatus()),
           "inner": None, "outer": None, "first_stage": {}}
    if info.primal_solution_status == FEASIBLE_SOLUTION:
        for v, x in zip(form.columns, h.getSolution().col_value):
            v.set_value(x, skip_validation=True)
        # Every scenario's copy holds the same first stage (the nonanticipativity rows): read the first.
        model = ef if n == 1 else getattr(ef, names[0])
        out["first_stage"] = {v.getname(fully_qualified=True, relative_to=model): v.value
                              for v in model._mpisppy_node_list[0].nonant_vardata_list if v.value is not None}
        out["inner"] = info.objective_function_value + form.offset
        bound = info.mip_dual_bound if form.integer.any() else info.objective_function_value
        out["outer"] = bound + form.offset
    out.update(build_s=built - t0, solve_s=time.perf_counter() - built,
               peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def main(job_file: str) -> None:
    from mpi4py import MPI

    rank = MPI.COMM_WORLD.Get_rank()
    t0 = time.perf_counter()
    with open(job_file, "rb") as f:
        job: Job = pickle.load(f)
    for b in job.blocks:
        if b.rank != rank:
            continue
        left = max(1.0, job.time_limit_s - (time.perf_counter() - t0))  # what the rank's earlier blocks left
        out = solve_block(b, {**job.highs, "time_limit": left})
        path = result_path(job_file, b.name)
        with open(f"{path}.part", "w") as f:
            json.dump(out, f)
        os.replace(f"{path}.part", path)  # a reader never sees half a result
        print(f"rank {rank}: {b.name} {out['status']} in {out['build_s']:.1f} + {out['solve_s']:.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
