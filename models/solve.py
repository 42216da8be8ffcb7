"""Solving the sourcing model with HiGHS, block by block, and reading the plan out.

A :class:`Session` builds the Pyomo model once, compiles it to matrices
(``models.compile``) and splits it into the blocks no constraint links: each
mineral, or each group of minerals a recycling plant links.  Each block is its
own HiGHS model, solved to its own gap, the blocks in parallel across the
solver threads; a model whose minerals are linked (a budget, a risk measure
over the total) is one block, solved whole, and the stats say so.  The plan's
gap is the sum of the blocks' absolute gaps over the sum of their bounds.
Sweeps change a policy limit and solve again: the matrices are recompiled
(coefficients move with the limit) and each block may start from its previous
plan.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.core as pyo

from models.build import build_model, model_size
from models.compile import Block, CompiledModel, InfeasibleRow, compile_model, find_blocks, linear_costs
from models.dataset import DAYS_PER_YEAR, PlanningData, Settings
from models.disruption import CVAR_VARIABLES, RECOURSE_ROWS, first_stage_values, recourse_rows
from models.objective import OBJECTIVE_SCALE
from models.plan import (
    FAMILY_LIMIT, FEASIBLE, INFEASIBLE, NO_SOLUTION, OPTIMAL, Plan, Recourse, Relaxation, SolveStats, is_cap,
)
from models.prices import RowStep, block_prices, tightening_steps

CVAR = "CVaR"  # the group of the CVaR term's own columns (η and the tails), which belong to no mineral
# Slack below this many tonnes (relative to demand) is solver noise, not a violation.
SLACK_TOL = 1e-6
_MS = highspy.HighsModelStatus
# How a run ended, in the words the run facts and messages use.
MEMORY_LIMIT = "memoryLimit"  # HiGHS could not get the memory it needed
_TERMINATION = {_MS.kOptimal: "convergenceCriteriaSatisfied", _MS.kInfeasible: "provenInfeasible",
                _MS.kUnboundedOrInfeasible: "infeasibleOrUnbounded", _MS.kTimeLimit: "maxTimeLimit",
                _MS.kIterationLimit: "iterationLimit", _MS.kInterrupt: "interrupted",
                _MS.kMemoryLimit: MEMORY_LIMIT}


# A copy of a block's LP for its limits' prices costs a model passed and solved once (a few ms on the default
# case's battery group): it takes a share only of a block with this many limits a copy.
MIN_STEPS_A_COPY = 40
# HiGHS options of every block run (the benchmarks' highspy-alone yardstick uses them too).
MIP_OPTIONS = (
    # Restarting after root presolve took most of the time on these small blocks (default case
    # 6.2 s -> 3.8 s, 20x30x10 73 s -> 32 s, HiGHS 1.16).
    ("mip_allow_restart", False),
    # HiGHS 1.16's RINS and RENS sub-MIPs nest up to 10 deep and took 4.1 of the 4.9 s of the battery
    # group's block (7 nodes); without them it proves the same optimum in 1.1-1.5 s, and the other
    # blocks of the default case and of the 30x40x10 synthetic case the same optima as fast or faster.
    ("mip_heuristic_run_rins", False),
    ("mip_heuristic_run_rens", False),
    # A hedged model's recourse costs are p x 1e-6 x USD, 1e-5 and less: at HiGHS's default dual
    # tolerance (1e-7, absolute) an LP stopped short of its optimum.  The stress test of the hedged
    # plan's own first stage at 1,000 draws re-solved its recourse 42,868 USD (8.9e-7) above the
    # recourse it was decided with; at 1e-10 it finds it to the cent.
    ("dual_feasibility_tolerance", 1e-10),
    # Branching trusts a pseudocost after one strong-branching probe, not eight: strong branching was 40% of
    # a wait-and-see problem's LP iterations.  The battery group's 20 wait-and-see problems took 23% less CPU
    # (31.5 -> 24.1 s, twice each, the same optima), the default case's blocks 8% less, the 20x30x10
    # synthetic case's 8% less (HiGHS 1.16, 2026-12-06).
    ("mip_pscost_minreliable", 1),
)
# The root's reduced-cost sub-MIP looks for a first plan.  A run given a start does without it (it took half of a
# wait-and-see solve, 0.64 -> 0.31 s), and so does a block without scenarios, whose search finds its plan as soon:
# it took 0.27 of the 0.81 s of the default case's battery group's block (the case's blocks 1.09 -> 0.77 s of CPU,
# the same optima; synthetic 20x30x10 10.3 -> 8.0 s and 30x40x10 21.0 -> 18.4 s, within their 1e-4 gap).  A
# large hedged block from nothing needs it: the battery group's at 1,000 draws took 31 -> 64 s without it.
NO_ROOT_PLAN_SEARCH = (("mip_heuristic_run_root_reduced_cost", False),)


def run_options(hedged: bool, start: bool) -> tuple[tuple[str, object], ...]:
    """HiGHS options of a block run (the benchmarks' highspy-alone yardstick takes the same): MIP_OPTIONS, and
    no root plan search for a run with a start or a block without scenarios."""
    return MIP_OPTIONS + (NO_ROOT_PLAN_SEARCH if start or not hedged else ())


@dataclass(frozen=True)
class SolveOptions:
    time_limit_s: float
    mip_gap: float
    threads: int
    # HiGHS's random seed: the same input, seed and thread count give the same plan.
    random_seed: int = 0

    @classmethod
    def from_settings(cls, s: Settings, time_limit_s=None, mip_gap=None, threads=None) -> SolveOptions:
        """Settings from the workbook, overridden by whichever CLI options were given."""
        return cls(time_limit_s=s.time_limit_s if time_limit_s is None else time_limit_s,
                   mip_gap=s.mip_gap if mip_gap is None else mip_gap,
                   threads=s.threads if threads is None else threads)


def _quiet_first_highs() -> highspy.Highs:
    """The first HiGHS instance of a process prints a banner on the C-level stdout, whatever its
    options; make it here, with stdout pointed at /dev/null, so runs and reports stay clean."""
    if sys.stdout is None:  # no stdout at all (closed by the shell: `>&-`): the banner goes nowhere
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_FIRST = _quiet_first_highs()


def highs_version() -> str:
    return f"{_FIRST.versionMajor()}.{_FIRST.versionMinor()}.{_FIRST.versionPatch()}"


@dataclass
class BlockRun:
    """One HiGHS run of one block."""

    status: str
    termination: str
    x: np.ndarray | None  # column values of the block, when there is a plan
    objective: float | None  # c·x, scaled, without the model's constant
    bound: float | None
    reported: float | None = None  # the objective HiGHS reported

    @property
    def values_match(self) -> bool:
        """Whether the values handed back are the plan whose objective HiGHS reported."""
        return self.reported is not None and abs(self.objective - self.reported) <= 1e-7 * max(
            abs(self.reported), 1.0)


class Session:
    """One built model of ``data``, compiled into blocks, and the HiGHS runs that solve it."""

    def __init__(self, data: PlanningData, elastic: bool = False, decompose: bool = True, hedged: bool = False,
                 proven: dict[bytes, BlockRun] | None = None):
        self.data = data
        self.decompose = decompose  # False: one HiGHS model for the whole case (benchmarks, tests)
        self.hedged = hedged  # the two-stage model against data.disruptions
        # Proven block runs by the digest of what HiGHS was given: an unchanged block is not solved
        # again.  Studies that build many related models pass one dict to all their sessions.
        self._proven = proven if proven is not None else {}
        self.solved: set[tuple[str, ...]] = set()  # the blocks HiGHS ran in the last solve
        t0 = time.perf_counter()
        self.model = self._build(data, elastic)
        self.size = model_size(self.model)
        self._compile()
        self._starts: dict[tuple[str, ...], np.ndarray] = {}  # per block (by its minerals): the last plan
        self._shared: _FirstStage | None = None  # of the compiled form, for its wait-and-see problems
        self._held: list[tuple[pyo.Var, float]] = []  # the columns held out of the form (``_hold``), at their values
        self._runs = _Runs()
        self.build_s = time.perf_counter() - t0  # building the model and compiling it for HiGHS

    def _build(self, data: PlanningData, elastic: bool) -> pyo.ConcreteModel:
        """The Pyomo model of ``data`` (a model that adds to it, as the disruption model does,
        overrides this)."""
        return build_model(data, elastic=elastic, hedged=self.hedged)

    def _compile(self) -> None:
        try:
            self.form: CompiledModel | None = compile_model(self.model)
        except InfeasibleRow:  # a row of fixed values only (forced contracts) that fails
            self.form, self.blocks = None, []
            return
        self._split()

    def _split(self) -> None:
        self._minerals = self._column_minerals()
        self.blocks = sorted(find_blocks(self.form, self._minerals if self.decompose else ["all"] * len(
            self.form.columns)), key=lambda b: -len(b.cols))

    def _column_minerals(self) -> list[str]:
        """The mineral of each column: its variable's first index, or the mineral of the option,
        plant output or agreement it names (a plant or refinery is its own group; rows link it);
        ``CVAR`` for the CVaR term's own columns."""
        mineral_of = self.model.ix.mineral_of
        of: dict[int, str] = {}
        for var in self.model.component_objects(pyo.Var, active=True):
            cvar = var.name in CVAR_VARIABLES  # a component's name is worked out each time it is asked
            for key, v in var.items():
                first = key[0] if isinstance(key, tuple) else key
                of[id(v)] = CVAR if cvar else mineral_of.get(first, first)
        return [of[id(v)] for v in self.form.columns]

    @property
    def decomposition(self) -> str:
        """How the model was solved, in words for the run facts."""
        def minerals(block: Block) -> list[str]:
            return [g for g in block.groups if g != CVAR]

        if len(self.blocks) > 1:
            linked = [b for b in self.blocks if len(minerals(b)) > 1]
            if not linked:
                return f"{len(self.blocks)} blocks, one per mineral: no constraint links two minerals"
            why = "the CVaR term or a recycling plant" if any(CVAR in b.groups for b in linked) else "a recycling plant"
            return (f"{len(self.blocks)} blocks, one per mineral or per group of minerals {why} links "
                    f"({'; '.join('+'.join(minerals(b)) for b in linked)})")
        if not self.decompose:
            return "a single model, as asked"
        if self.blocks and len(minerals(self.blocks[0])) > 1:
            return f"a single model: {self._coupling()} links the minerals"
        return "a single model"

    def _coupling(self) -> str:
        """The constraint families whose rows hold columns of more than one mineral."""
        form = self.form
        number = {m: k for k, m in enumerate(dict.fromkeys(self._minerals))}
        code = np.array([number[m] for m in self._minerals], dtype=np.int64)[form.index]
        low = np.full(len(form.rows), len(number))
        high = np.full(len(form.rows), -1)
        np.minimum.at(low, form.entry_row, code)
        np.maximum.at(high, form.entry_row, code)
        names = {form.rows[i].parent_component().name for i in np.flatnonzero(low < high)}
        return ", ".join(sorted(names)) or "no single constraint"

    def held_at(self, source: pyo.ConcreteModel) -> Session:
        """This hedged session's first stage held at ``source``'s solved values (``first_stage_values``) and its
        rows dropped, which those values already meet: solving gives each scenario's recourse for that plan.  A
        session of its own, whose compiled form folds those columns and drops those rows (``CompiledModel.held``:
        the same matrices as compiling the model with them fixed, without walking its constraints again), and
        which shares the model and leaves it free: no variable fixed, no row dropped.  So a solve of this session
        may run while the other's does, as long as its plan is read first (each solve loads its values into the
        model before it reads its plan)."""
        if self.form is None:
            raise ValueError("a first stage is held in a compiled model")
        values = {id(v): value for v, value in first_stage_values(self.model, source)}
        columns = self.form.columns
        fixed = np.array([id(v) in values for v in columns], dtype=bool)
        x = np.array([values.get(id(v), 0.0) for v in columns])
        keep = np.array(recourse_rows(self.model, self.form.rows), dtype=bool)
        try:
            form = self.form.held(fixed, x, keep)
        except InfeasibleRow:
            form = None
        # Its HiGHS runs join this session's: a Ctrl-C stops both solves.
        return self._cut(form, self._runs, [(v, value) for v, value, held in zip(columns, x, fixed) if held])

    def _cut(self, form: CompiledModel | None, runs: _Runs, held: list[tuple[pyo.Var, float]]) -> Session:
        """A session sharing this one's model, solving the compiled ``form`` cut from its own (None: no plan can
        meet it), with no plan of its own yet; ``held``: the columns the form holds out, at their values."""
        out = copy.copy(self)
        out.form, out._runs, out._held = form, runs, held
        out._starts, out.solved = {}, set()
        if form is None:
            out.blocks = []
        else:
            out._split()
        return out

    def wait_and_see(self, scenario: str) -> Session:
        """The wait-and-see problem of ``scenario`` in this risk-neutral hedged session: its first stage
        with only that scenario's recourse, at probability 1 (min F + C_ω), cut from the compiled
        matrices: the other scenarios' rows and columns left out and the objective c = c_F + c_ω, F's
        costs walked once per compiled model (``_first_stage``) and C_ω's for the scenario, without
        building or compiling a model again (that took a fifth of a wait-and-see solve of the default
        case's battery group).  The session shares this one's model."""
        b = self.model
        if not self.hedged or self.form is None or hasattr(b, "var_usd"):
            raise ValueError("a wait-and-see problem is cut from a solvable risk-neutral hedged model")
        t0 = time.perf_counter()
        form = self.form
        first = self._first_stage()
        c, offset = linear_costs(b.recourse_cost_usd[scenario].expr, form.columns)
        keep = (first.scenario_of_row < 0) | (first.scenario_of_row == first.number[scenario])
        none = np.zeros(len(form.columns), dtype=bool)
        # A column of another scenario costs nothing now and sits in no row kept: held() leaves it out.
        alone = dataclasses.replace(form, c=OBJECTIVE_SCALE * (first.c + c),
                                    offset=OBJECTIVE_SCALE * (first.offset + offset))
        out = self._cut(alone.held(none, np.zeros(len(form.columns)), keep), _Runs(), [])
        out.build_s = time.perf_counter() - t0
        return out

    def _first_stage(self) -> _FirstStage:
        """What every wait-and-see problem of the compiled model shares, worked out once for it."""
        if self._shared is None or self._shared.form is not self.form:
            b, form = self.model, self.form
            c, offset = linear_costs(b.total_cost_usd.expr, form.columns)
            number = {w: k for k, w in enumerate(b.SCENARIOS)}
            of: dict[int, int] = {}  # a recourse row -> its scenario's number: the last of its indices
            for rows in filter(None, map(b.component, RECOURSE_ROWS)):
                for index, row in rows.items():
                    of[id(row)] = number[index[-1] if isinstance(index, tuple) else index]
            self._shared = _FirstStage(form, c, offset, np.array([of.get(id(row), -1) for row in form.rows]), number)
        return self._shared

    def set_limit(self, column: str, value: float, cells=None) -> None:
        """Set a Policy limit (a mutable parameter) for the given (mineral, year) cells, or all."""
        param = self.model.component(f"{column}_param")
        self.set_limits(column, dict.fromkeys(cells if cells is not None else list(param), value))

    def set_limits(self, column: str, values: dict) -> None:
        """Set a Policy limit cell by cell: (mineral, year) -> value."""
        param = self.model.component(f"{column}_param")
        for k, v in values.items():
            param[k] = v
        self._compile()  # the limit is a coefficient of the rows it caps: once for all the cells

    def _run_block(self, block: Block, opts: SolveOptions, clock: _Clock, threads: int, warm_start: bool,
                   relax: bool = False, fix_integers_at: np.ndarray | None = None,
                   partial: dict[int, float] | None = None) -> BlockRun:
        plain = not relax and fix_integers_at is None
        signature = self.form.signature(block, opts.mip_gap, opts.random_seed) if plain else None
        proven = self._proven.get(signature) if plain else None
        if proven is not None:
            clock.share(len(block.cols))
            return proven
        if self._runs.stopped:  # a block queued behind the others when a stop came (HiGHS's presolve would run)
            return BlockRun(NO_SOLUTION, _TERMINATION[_MS.kInterrupt], None, None, None)
        self.solved.add(block.groups)
        h = new_highs(threads)
        start = self._starts.get(block.groups) if warm_start else None
        # A partial start: the given whole numbers of the block's columns (HiGHS completes the rest).
        given = [(k, partial[j]) for k, j in enumerate(block.cols) if j in partial] if partial and start is None \
            else []
        for name, value in (("random_seed", opts.random_seed), ("mip_rel_gap", opts.mip_gap),
                            ("time_limit", clock.share(len(block.cols))),
                            *run_options(self.hedged, start=bool(given) or start is not None)):
            h.setOptionValue(name, value)
        h.passModel(self.form.lp(block.rows, block.cols, relax=relax, fix_integers_at=fix_integers_at))
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = list(start)
            solution.value_valid = True
            h.setSolution(solution)
        elif given:
            h.setSolution(len(given), np.array([k for k, _ in given], dtype=np.int32),
                          np.array([v for _, v in given], dtype=float))
        with self._runs.running(h):
            h.run()
        mip = bool(self.form.integer[block.cols].any()) and not relax and fix_integers_at is None
        run = _read_run(h, self.form.c[block.cols], mip)
        if (start is not None or given) and run.x is not None and not run.values_match:
            # HiGHS 1.16 with presolve can report a better incumbent's objective but hand back the
            # start's values; the plan would not be the one reported, so solve again without a start.
            return self._run_block(block, opts, clock, threads, warm_start=False)
        if plain and run.status == OPTIMAL:
            self._proven[signature] = run
        return run

    def _run_all(self, opts: SolveOptions, warm_start: bool = False,
                 then: Callable[[Block, BlockRun], None] | None = None,
                 before: Callable[[], None] | None = None, after: Callable[[], None] | None = None,
                 **kw) -> list[BlockRun]:
        """Run every block, in parallel across the solver threads, and ``then`` on each block's run in
        its thread as it ends; Ctrl-C stops them all.  ``before`` (work ``then`` may wait on) is queued
        right behind the largest block and ``after`` behind every block, each for the next solver
        thread free: work done meanwhile that takes a core from no HiGHS run (a thread of its own beside
        two HiGHS runs on two cores took a share of the largest block's)."""
        jobs = max(1, min(opts.threads, len(self.blocks)))
        threads = max(1, opts.threads // jobs)  # one block alone gets every thread
        clock = _Clock(opts.time_limit_s, [len(b.cols) for b in self.blocks], jobs)

        def run(block: Block) -> BlockRun:
            out = self._run_block(block, opts, clock, threads, warm_start, **kw)
            if then is not None:
                then(block, out)
            return out

        with _ctrl_c_stops(self._runs):
            if jobs == 1:
                if before is not None:
                    before()
                runs = [run(b) for b in self.blocks]
                if after is not None:
                    after()
                return runs
            with ThreadPoolExecutor(jobs) as pool:
                first = [pool.submit(run, self.blocks[0])]
                lane = [pool.submit(before)] if before is not None else []
                rest = [pool.submit(run, b) for b in self.blocks[1:]]
                lane += [pool.submit(after)] if after is not None else []
                runs = [f.result() for f in (*first, *rest)]
                for f in lane:
                    f.result()
                return runs

    def solve(self, opts: SolveOptions, shadow_prices: bool = True, warm_start: bool = False,
              start: dict[str, dict[tuple, int]] | None = None, meanwhile: Callable[[], None] | None = None) -> Plan:
        """Solve every block to the gap or the time limit; load the plan; price the policies if asked.

        ``warm_start`` offers each block its previous plan of this session as a starting
        incumbent (used by sweeps, where it is often still feasible).  ``start`` offers the
        whole-number decisions of a plan of a related model (``Plan.whole_numbers``: the hedged
        plan for the same case with one scenario foreseen, say), for HiGHS to complete.
        ``meanwhile``: the caller's work to do while HiGHS is on the largest block (loading the
        reports' modules), on a solver thread once the other blocks are done.
        """
        t0 = time.perf_counter()
        self.solved = set()
        partial = self._partial(start) if start and self.form is not None else None
        # Each block is priced in its thread as soon as it is solved: the small blocks' LPs run while
        # HiGHS is still on the largest one.  The limits' steps are compiled meanwhile, before them.
        priced = shadow_prices and not self.model.elastic and self.form is not None
        steps: Future = Future()
        prices: dict[tuple[str, ...], dict | None] = {}

        def price(block: Block, run: BlockRun) -> None:
            if run.x is not None:  # within what is left of the time limit
                # The largest block ends last, when the other threads are idle: its limits are shared among
                # them (always this block, so a case's prices do not depend on which block ended first).
                prices[block.groups] = self._block_prices(block, run.x, steps.result(),
                                                          t0 + opts.time_limit_s - time.perf_counter(),
                                                          copies=opts.threads if block is self.blocks[0] else 1)

        runs = self._run_all(opts, warm_start=warm_start, then=price if priced else None, partial=partial,
                             before=(lambda: _settle(steps, self._steps)) if priced else None, after=meanwhile) \
            if self.form is not None else []
        wall = time.perf_counter() - t0
        status = _combined_status(runs) if self.form is not None else INFEASIBLE
        # The elastic objective is a violation measure, not money: it is not rescaled.
        unscale = 1.0 if self.model.elastic else 1.0 / OBJECTIVE_SCALE
        obj = bound = gap = None
        if status in (OPTIMAL, FEASIBLE):
            obj = (sum(r.objective for r in runs) + self.form.offset) * unscale
            if all(r.bound is not None for r in runs):
                bound = (sum(r.bound for r in runs) + self.form.offset) * unscale
                # The sum of the blocks' absolute gaps over the sum of their bounds.
                gap = sum(r.objective - r.bound for r in runs) * unscale / max(abs(bound), 1e-9)
        stats = SolveStats(status=status, termination=_termination(runs), objective_usd=obj, bound_usd=bound,
                           gap=gap, wall_s=wall, build_s=self.build_s, time_limit_s=opts.time_limit_s,
                           mip_gap=opts.mip_gap, threads=opts.threads, random_seed=opts.random_seed,
                           blocks=len(self.blocks), decomposition=self.decomposition, **self.size)
        plan = Plan(stats=stats)
        if status in (OPTIMAL, FEASIBLE):
            for block, run in zip(self.blocks, runs):
                self._starts[block.groups] = run.x
                self._load(block, run.x)
            for v, value in self._held:
                v.set_value(float(value), skip_validation=True)
            _read_plan(self.model, plan)
            if priced:
                plan.shadow_usd_per_point = self._prices(prices)
        return plan

    def _partial(self, start: dict[str, dict[tuple, int]]) -> dict[int, float]:
        """Column -> value of each integer column whose variable ``start`` names."""
        value_of: dict[int, float] = {}
        for name, values in start.items():
            var = self.model.component(name)
            if var is None:
                continue
            for key, v in var.items():
                if key in values and v.is_integer():
                    value_of[id(v)] = float(values[key])
        return {j: value_of[id(v)] for j, v in enumerate(self.form.columns) if id(v) in value_of}

    def _load(self, block: Block, x: np.ndarray) -> None:
        """Put a block's column values into the model's variables (expressions then evaluate)."""
        columns = self.form.columns
        for j, value in zip(block.cols, x):
            columns[j].set_value(float(value), skip_validation=True)

    def lp_bound_usd(self, opts: SolveOptions) -> float | None:
        """Least cost of the LP relaxation (USD), a lower bound on every plan; None if it is infeasible."""
        runs = self._run_all(opts, relax=True)
        if any(r.status != OPTIMAL for r in runs):
            return None
        unscale = 1.0 if self.model.elastic else 1.0 / OBJECTIVE_SCALE
        return (sum(r.objective for r in runs) + self.form.offset) * unscale

    def relaxed_highs(self, block: Block, opts: SolveOptions) -> highspy.Highs:
        """A HiGHS instance holding the LP relaxation of ``block``, run once (for IIS)."""
        h = new_highs(1)
        h.setOptionValue("time_limit", float(opts.time_limit_s))
        h.passModel(self.form.lp(block.rows, block.cols, relax=True))
        runs = _Runs()
        with _ctrl_c_stops(runs), runs.running(h):
            h.run()
        return h

    def shadow_prices_usd(self, time_limit_s: float,
                          only: Collection[tuple[str, str, int]] | None = None) -> dict[tuple[str, str, int], float]:
        """Marginal cost of tightening each policy limit (or each (family, mineral, year) of ``only``) by one
        point, in USD of present value (``models.prices``): the integer decisions (contracts, modules,
        memberships) fixed at the plan's values, each block's LP solved and each limit moved a hundredth of a
        point tighter, within ``time_limit_s`` in all.  None are given unless every block is priced."""
        deadline = time.perf_counter() + time_limit_s
        x = np.array([v.value or 0.0 for v in self.form.columns])
        steps = self._steps(only)
        with _ctrl_c_stops(self._runs):
            return self._prices({block.groups: self._block_prices(block, x[block.cols], steps,
                                                                  deadline - time.perf_counter())
                                 for block in self.blocks})

    def _steps(self, only: Collection[tuple[str, str, int]] | None = None
               ) -> dict[tuple[str, str, int], list[RowStep]]:
        return tightening_steps(self.data, self.model, self.form, only)

    def _block_prices(self, block: Block, x: np.ndarray, steps: dict[tuple[str, str, int], list[RowStep]],
                      time_limit_s: float, copies: int = 1) -> dict[tuple[str, str, int], float] | None:
        """The prices of ``block``'s limits (``models.prices.block_prices``) with its integer columns
        fixed at ``x``, shared among ``copies`` copies of its LP, each in a thread of its own; None if its
        LPs are not solved to optimality within ``time_limit_s`` (or are stopped by Ctrl-C)."""
        if time_limit_s <= 0:
            return None
        rows = set(block.rows.tolist())
        steps = {key: limit for key, limit in steps.items() if limit[0].row in rows}  # this block's limits
        if not steps:
            return {}  # nothing of this block is asked for
        keys = list(steps)
        copies = max(1, min(copies, len(keys) // MIN_STEPS_A_COPY))
        # Every copy-th limit, not the next one free: each copy's LPs, and so the prices' round-off, are the
        # same from run to run.
        shares = [keys[k::copies] for k in range(copies)]
        with ThreadPoolExecutor(max(1, copies - 1)) as pool:  # its threads start only if submitted to
            others = [pool.submit(self._price_share, block, x, steps, share, time_limit_s) for share in shares[1:]]
            parts = [self._price_share(block, x, steps, shares[0], time_limit_s), *(f.result() for f in others)]
        if any(part is None for part in parts):
            return None
        found = {key: price for part in parts for key, price in part.items()}
        return {key: found[key] for key in keys}

    def _price_share(self, block: Block, x: np.ndarray, steps: dict[tuple[str, str, int], list[RowStep]],
                     keys: list[tuple[str, str, int]], time_limit_s: float) -> dict[tuple[str, str, int], float] | None:
        """The prices of ``keys`` among ``block``'s limits, on a copy of its LP of their own."""
        h = new_highs(1)
        h.setOptionValue("time_limit", float(time_limit_s))
        # A step moves the cost by a hundredth of a point's price: at HiGHS's default dual tolerance
        # (1e-7 of the scaled cost) a price of a few USD a point would be round-off.
        h.setOptionValue("dual_feasibility_tolerance", 1e-10)
        h.passModel(self.form.lp(block.rows, block.cols, fix_integers_at=x))
        with self._runs.running(h):
            h.run()
        return block_prices(h, block, steps, keys) if h.getModelStatus() == _MS.kOptimal else None

    def _prices(self, by_block: dict[tuple[str, ...], dict | None]) -> dict[tuple[str, str, int], float]:
        """Shadow prices (USD per point) of every block's limits; none unless every block has them."""
        if any(by_block.get(block.groups) is None for block in self.blocks):
            return {}
        return {k: v for block in self.blocks for k, v in by_block[block.groups].items()}


@dataclass(frozen=True)
class _FirstStage:
    """Of one compiled hedged model (``form``), what does not depend on the scenario foreseen: the
    first-stage cost F on its columns (c_F, and its constant) and each row's scenario (its number in
    ``number``; -1 for a row of the first stage)."""

    form: CompiledModel
    c: np.ndarray
    offset: float
    scenario_of_row: np.ndarray
    number: dict[str, int]


class _Clock:
    """The time limit shared out among blocks: each block, as it starts, gets a share of what is
    left in proportion to its size (columns) among the blocks not yet started (times the jobs
    running at once), so a hard first block cannot leave the last ones no time to find any plan,
    and a large block is not held to a small one's share (the default case with 1,000 sampled
    disruptions: graphite's block needs 10 s of 60, an even share was 9 s)."""

    def __init__(self, seconds: float, sizes: list[int], jobs: int):
        self.deadline = time.perf_counter() + seconds
        self.waiting, self.jobs = sum(sizes), jobs
        self.lock = threading.Lock()

    def share(self, size: int) -> float:
        with self.lock:
            left = max(self.deadline - time.perf_counter(), 0.01)
            seconds = left * min(self.jobs * size / max(self.waiting, 1), 1.0)
            self.waiting -= size
        return max(seconds, 0.01)


def _settle(future: Future, work: Callable[[], object]) -> None:
    """``future`` holds what ``work`` returns, or what it raised (for the threads that wait on it)."""
    try:
        future.set_result(work())
    except BaseException as e:
        future.set_exception(e)
        raise


def _read_run(h: highspy.Highs, cost: np.ndarray, mip: bool) -> BlockRun:
    ms = h.getModelStatus()
    info = h.getInfo()
    has_plan = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.array(h.getSolution().col_value) if has_plan else None
    status = {_MS.kOptimal: OPTIMAL, _MS.kInfeasible: INFEASIBLE, _MS.kUnboundedOrInfeasible: INFEASIBLE}.get(ms)
    if status is None or (status == OPTIMAL and not has_plan):
        status = FEASIBLE if has_plan else NO_SOLUTION
    objective = float(cost @ x) if x is not None else None
    bound = None
    if x is not None:
        # A MIP has HiGHS's dual bound; an LP solved to optimality proves its own objective.
        bound = float(info.mip_dual_bound) if mip else (objective if status == OPTIMAL else None)
        if bound is not None and (not np.isfinite(bound) or (status == OPTIMAL and bound > objective)):
            bound = objective if status == OPTIMAL else None  # a proven optimum is its own bound
    return BlockRun(status, _TERMINATION.get(ms, h.modelStatusToString(ms)), x, objective, bound,
                    float(info.objective_function_value) if x is not None else None)


def _combined_status(runs: list[BlockRun]) -> str:
    statuses = {r.status for r in runs}
    for status in (INFEASIBLE, NO_SOLUTION, FEASIBLE):
        if status in statuses:
            return status
    return OPTIMAL


def _termination(runs: list[BlockRun]) -> str:
    """HiGHS's words for the run: the first block that did not end optimal, else optimal."""
    return next((r.termination for r in runs if r.status != OPTIMAL), runs[0].termination if runs else
                "provenInfeasible")


class _Runs:
    """A session's HiGHS runs under way, and whether a stop has asked them to end: a run that starts after the
    stop is asked to end too (the blocks queued behind the largest had each run to its end)."""

    def __init__(self) -> None:
        self.highs: list[highspy.Highs] = []
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True
        for h in list(self.highs):
            _cancel(h)

    @contextmanager
    def running(self, h: highspy.Highs) -> Iterator[None]:
        self.highs.append(h)
        if self.stopped:
            _cancel(h)
        try:
            yield
        finally:
            self.highs.remove(h)


def _cancel(h: highspy.Highs) -> None:
    """Ask HiGHS to end the run under way.  highspy's cancelSolve only sets a flag that HiGHS reads through its
    interrupt callbacks, which are turned on here, with the flag set: HiGHS reads which callbacks are on at each
    check, so a run under way ends at its next (without them a stop waited for the run to end, 8-13 s of a
    1,000-draw hedged model's largest block).  Not before a stop: each check is a call into Python, which waits
    for the interpreter while another thread holds it (the default case's battery group's block took 0.65 s
    against 0.56 s in ``planner solve``), and in a run of the main thread outside a session's stop handling
    Python's own Ctrl-C would be raised inside one, and HiGHS end the run as an error."""
    h.cancelSolve()
    h.HandleUserInterrupt = True


@contextmanager
def _ctrl_c_stops(runs: _Runs) -> Iterator[None]:
    """Ctrl-C during HiGHS runs asks every run to stop, and raises KeyboardInterrupt once they have.

    Only the main thread of a process that has Python's own Ctrl-C handler (not a worker told to
    ignore it) takes over the signal.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return
    pressed = []
    runs.stopped = False

    def stop(signum, frame):
        pressed.append(signum)
        runs.stop()

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt


# HiGHS's thread pool belongs to the thread that first runs a model (a thread-local handle), so
# the pool size is tracked per thread too: a reset in a worker thread leaves the main thread's
# pool as it was.
_scheduler = threading.local()
_started: list[bool] = []  # one entry once this process has made a HiGHS instance to run


def highs_started() -> bool:
    """Whether this process has made a HiGHS instance to run: from then on HiGHS's thread pool exists,
    and a process forked from this one would inherit it without its threads."""
    return bool(_started)


def new_highs(threads: int) -> highspy.Highs:
    """A quiet HiGHS instance for ``threads`` threads.

    HiGHS keeps one thread pool per calling thread, sized by its first run; a later run asking
    for another size ends at once ("Not Set") unless the pool is reset first, so every
    instance the planner makes comes from here and says its size."""
    if getattr(_scheduler, "threads", threads) != threads:
        highspy.Highs.resetGlobalScheduler(True)
    _scheduler.threads = threads
    _started[:] = [True]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", threads)
    return h


def _values(var, integral=False) -> dict:
    if integral:
        return {k: int(round(v.value or 0)) for k, v in var.items()}
    return {k: max(float(v.value or 0.0), 0.0) for k, v in var.items()}


def _read_recourse(b: pyo.ConcreteModel) -> Recourse | None:
    if not hasattr(b, "recourse_cost_usd"):
        return None
    return Recourse(spot_t=_values(b.spot_t), crisis_recycled_t=_values(b.crisis_recycled_t),
                    crisis_release_t=_values(b.crisis_release_t),
                    rebuild_t=_values(b.rebuild_t), deficit_t=_values(b.deficit_t), call_t=_values(b.call_t),
                    give_back_t=_values(b.give_back_t), owed_t=_values(b.owed_t), unmet_t=_values(b.crisis_unmet_t),
                    var_usd=pyo.value(b.var_usd) if hasattr(b, "var_usd") else None)


def _read_plan(b: pyo.ConcreteModel, plan: Plan) -> None:
    plan.buy_t = _values(b.buy_t)
    plan.contracted = _values(b.contracted, integral=True)
    plan.build_modules = _values(b.build_modules, integral=True)
    plan.recycled_t = _values(b.recycled_t)
    plan.processed_units = _values(b.processed_units)
    plan.start = {k: int(round(b.start[k].value or 0)) for k in b.START_TAIL}
    plan.stock_t = _values(b.stock_t)
    plan.stock_add_t = _values(b.stock_add_t)
    plan.stock_release_t = _values(b.stock_release_t)
    plan.join = _values(b.join, integral=True)
    plan.line_t = _values(b.line_t)
    plan.recourse = _read_recourse(b)
    plan.unmet_t = _values(b.unmet_t) if hasattr(b, "unmet_t") else {}


# ---- infeasibility diagnosis ------------------------------------------------------------


def _clamp(x: float, unit: str) -> float:
    """A needed limit stays in its range: shares and scores in [0, 1], days at least 0."""
    return min(max(x, 0.0), 1.0) if unit in ("share", "score") else max(x, 0.0) + 0.0


# What a planner types: a share to 0.1 point, a score to 0.001, a day to 0.1, demand to a tonne.
_TYPED = {"share": 1000, "score": 1000, "days": 10, "t": 1}


def _typed(value: float, unit: str, upward: bool) -> float:
    """``value`` rounded to what a planner would type, outward: a cap up, a minimum down."""
    step = _TYPED[unit]
    rounded = (math.ceil if upward else math.floor)(round(value * step, 6)) / step
    return _clamp(rounded, unit) if unit != "t" else rounded


@dataclass
class Diagnosis:
    """The limits an infeasible case must move, all together, and whether that was checked."""

    plan: Plan  # of the first elastic model solved: the case's own, which ``finished`` reads
    relaxations: list[Relaxation]
    # The status of the case solved with every relaxation applied at once: OPTIMAL or FEASIBLE, it has a plan;
    # INFEASIBLE, whole contracts or modules need more moves than were found; NO_SOLUTION, the time limit
    # ended that check first.  None: no relaxation was found to check.
    check: str | None

    @property
    def verified(self) -> bool:
        """Whether the case with all the relaxations applied was solved and has a plan."""
        return self.check in (OPTIMAL, FEASIBLE)

    @property
    def finished(self) -> bool:
        """Whether the elastic model was solved to the end: its moves are then the smallest (optimal), or
        no move of the policy limits gives a plan (infeasible).  One the time limit cut short knows
        neither: its moves may be far from the smallest (a demand cut to 0 t), or there are none yet."""
        return self.plan.stats.status in (OPTIMAL, INFEASIBLE)


def _elastic(d: PlanningData, opts: SolveOptions) -> tuple[Plan, list[Relaxation]]:
    """Solve the elastic model of ``d``: the limits that must move, and to what (before rounding)."""
    session = Session(d, elastic=True)
    plan = session.solve(opts, shadow_prices=False)
    if not plan.has_solution:
        return plan, []
    b = session.model
    out: list[Relaxation] = []
    for family in b.slack_families:
        column, direction, unit = FAMILY_LIMIT[family]
        for k, var in b.component(f"{family}_slack").items():
            m, y = k[0], k[-1]
            s = var.value or 0.0
            if s <= SLACK_TOL * max(d.demand_t.get((m, y), 0.0), 1.0):
                continue
            limit = d.limit(column, m, y)
            # Tonnes of slack per unit of the limit: a day of demand, or a point of demand, consumption or supply.
            if family == "stockpile_cover":
                per_unit, nothing_to_scale = d.demand_t.get((m, y), 0.0) / DAYS_PER_YEAR, float("inf")
            elif family == "recycling_share":
                per_unit, nothing_to_scale = d.demand_t.get((m, y), 0.0), 1.0
            elif family == "china_cap":
                per_unit, nothing_to_scale = pyo.value(b.china_base_t[m, y]), 1.0
            else:
                per_unit, nothing_to_scale = pyo.value(b.reliance_base_t[m, y]), 1.0
            moved = s / per_unit if per_unit > 0 else nothing_to_scale
            out.append(Relaxation(family=family, mineral_id=m, year=y, country=k[1] if len(k) == 3 else None,
                                  limit=limit, needed=_clamp((limit or 0.0) + direction * moved, unit), unit=unit,
                                  cell=d.cell("Policy", (m, y), column),
                                  all_minerals_row=d.cell("Policy", (m, y), column)
                                  == d.cells.get(("Policy", (None, y), column))))
    for (m, y), var in b.unmet_t.items():
        s = var.value or 0.0
        if s > SLACK_TOL * max(d.demand_t.get((m, y), 0.0), 1.0):
            demand = d.demand_t.get((m, y), 0.0)
            out.append(Relaxation(family="demand", mineral_id=m, year=y, country=None, limit=demand,
                                  needed=demand - s, unit="t", cell=d.cell("Demand", (m, y), "demand_t")))
    return plan, out


def _with_relaxations(d: PlanningData, changes: dict[tuple, Relaxation]) -> PlanningData:
    """``d`` with every change applied: a limit for that mineral and year alone, or a demand."""
    for (family, m, y), r in changes.items():
        if family == "demand":
            d = dataclasses.replace(d, demand_t={**d.demand_t, (m, y): r.needed})
        else:
            d = d.with_limit(FAMILY_LIMIT[family][0], r.needed, [(m, y)])
    return d


def diagnose(d: PlanningData, opts: SolveOptions, rounds: int = 3) -> Diagnosis:
    """The limits that must move, by how much, as one set that is checked to work.

    The elastic model gives the smallest moves; each needed value is rounded outward to what a
    planner would type, all of them are applied together to a copy of the case, and that copy
    is solved.  If whole contracts or modules still make it infeasible, the elastic model of
    the copy names further moves, up to ``rounds`` times.  A single-country cap moved for one
    country moves for the mineral: the needed cap is the highest over the countries.
    """
    changes: dict[tuple, Relaxation] = {}
    current, first_plan, check = d, None, None
    for _ in range(rounds):
        plan, found = _elastic(current, opts)
        first_plan = first_plan or plan
        if not plan.has_solution or not found:
            break
        for r in found:
            key = (r.family, r.mineral_id, r.year)
            upward = is_cap(r.family)
            needed = _typed(r.needed, r.unit, upward)
            before = changes.get(key)
            if before is not None:
                needed = max(needed, before.needed) if upward else min(needed, before.needed)
            original = before.limit if before is not None else r.limit
            changes[key] = dataclasses.replace(r, limit=original, needed=needed, country=None)
        current = _with_relaxations(d, changes)
        check = Session(current).solve(opts, shadow_prices=False).stats.status
        if check != INFEASIBLE:  # a plan, or the time limit: nothing more is known
            break
    return Diagnosis(first_plan, list(changes.values()), check)


def solve_case(d: PlanningData, opts: SolveOptions, shadow_prices: bool = True) -> Plan:
    """Build and solve ``d`` once."""
    return Session(d).solve(opts, shadow_prices=shadow_prices)
