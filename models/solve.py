"""Solving the sourcing model with HiGHS, in memory, and reading the plan out.

The model is solved through Pyomo's persistent interface to highspy
(``pyomo.contrib.solver``), never through files.  A :class:`Session` keeps the
built model and the HiGHS instance together, so scenario sweeps can change a
policy limit and re-solve without rebuilding.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from models.build import build_model, model_size
from models.dataset import PlanningData, Settings
from models.objective import OBJECTIVE_SCALE
from models.plan import FEASIBLE, INFEASIBLE, NO_SOLUTION, OPTIMAL, Plan, Relaxation, SolveStats
from models.stockpile import DAYS_PER_YEAR

POINT = 0.01  # one percentage point of a share, or 0.01 of a risk score
# Slack below this many tonnes (relative to demand) is solver noise, not a violation.
SLACK_TOL = 1e-6


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


class _HighsWithStart(Highs):
    """Pyomo's persistent HiGHS interface, plus a MIP start.

    When ``start`` is set, the values held in the model's variables (the last
    plan loaded) are handed to HiGHS after Pyomo has pushed its changes and
    just before the run; HiGHS checks them and, if they are feasible, starts
    branch-and-bound with that plan as the incumbent.  Pyomo offers no MIP
    start for HiGHS, so this reaches into its column map.
    """

    start = False

    def _solve(self):
        if self.start:
            values = [0.0] * self._solver_model.getNumCol()
            for v_id, col in self._pyomo_var_to_solver_var_map.items():
                values[col] = self._vars[v_id][0].value or 0.0
            solution = highspy.HighsSolution()
            solution.col_value = values
            solution.value_valid = True
            self._solver_model.setSolution(solution)
        return super()._solve()


def highs_version() -> str:
    return ".".join(str(v) for v in Highs().version())


class Session:
    """One built model of ``data`` and its persistent HiGHS instance."""

    def __init__(self, data: PlanningData, elastic: bool = False):
        self.data = data
        t0 = time.perf_counter()
        self.model = build_model(data, elastic=elastic)
        self.size = model_size(self.model)
        self.solver = _HighsWithStart()
        self.solver.set_instance(self.model)
        # Quiet from the start: the first solve pushes the limits into HiGHS before its options apply.
        self.solver._solver_model.setOptionValue("output_flag", False)
        self.build_s = time.perf_counter() - t0  # building the model and loading it into HiGHS

    def set_limit(self, column: str, value: float, cells=None) -> None:
        """Set a Policy limit (a mutable parameter) for the given (mineral, year) cells, or all."""
        param = self.model.component(f"{column}_param")
        for k in (cells if cells is not None else list(param)):
            param[k] = value

    def run(self, opts: SolveOptions):
        """One HiGHS run of the model as it stands: Pyomo's results (nothing loaded) and the wall time."""
        _use_threads(opts.threads)
        t0 = time.perf_counter()
        with _ctrl_c_stops(self.solver._solver_model):
            res = self.solver.solve(
                self.model, load_solutions=False, raise_exception_on_nonoptimal_result=False,
                time_limit=opts.time_limit_s, rel_gap=opts.mip_gap, threads=opts.threads,
                solver_options={"output_flag": False, "random_seed": opts.random_seed})
        return res, time.perf_counter() - t0

    def solve(self, opts: SolveOptions, shadow_prices: bool = True, warm_start: bool = False) -> Plan:
        """Solve to the gap or time limit; load the plan; price the policies if asked.

        ``warm_start`` offers the previous plan of this session to HiGHS as a
        starting incumbent (used by sweeps, where it is often still feasible).
        """
        self.solver.start = warm_start
        try:
            res, wall = self.run(opts)
        finally:
            self.solver.start = False
        status = _status(res)
        # The elastic objective is a violation measure, not money: it is not rescaled.
        unscale = 1.0 if self.model.elastic else 1.0 / OBJECTIVE_SCALE
        obj = res.incumbent_objective * unscale if status in (OPTIMAL, FEASIBLE) else None
        bound = res.objective_bound * unscale if res.objective_bound is not None else None
        gap = None
        if obj is not None and bound is not None and abs(bound) != float("inf"):
            gap = abs(obj - bound) / max(abs(obj), 1e-9)
        stats = SolveStats(status=status, termination=res.termination_condition.name, objective_usd=obj,
                           bound_usd=bound, gap=gap, wall_s=wall, build_s=self.build_s,
                           time_limit_s=opts.time_limit_s, mip_gap=opts.mip_gap, threads=opts.threads,
                           random_seed=opts.random_seed, **self.size)
        plan = Plan(stats=stats)
        if status in (OPTIMAL, FEASIBLE):
            res.solution_loader.load_vars()
            if warm_start and not _values_match_objective(self.model, res.incumbent_objective):
                # HiGHS 1.16 with presolve can report a better incumbent's objective but hand back the
                # start's values; the plan would not be the one reported, so solve again without a start.
                return self.solve(opts, shadow_prices)
            _read_plan(self.model, plan)
            if shadow_prices and not self.model.elastic:
                plan.shadow_usd_per_point = self._shadow_prices(opts)
        return plan

    @contextmanager
    def integers_relaxed(self, at_values: bool = False) -> Iterator[None]:
        """Make the integer decisions (contracts, modules, memberships) continuous inside the block.

        ``at_values=False`` keeps their bounds: the LP relaxation, whose optimum is a
        lower bound on every plan's cost.  ``at_values=True`` pins each at its rounded
        current value (lb = ub): the LP that prices the policies at the plan's choices.
        Both models are restored on exit.
        """
        ints = [v for v in self.model.component_data_objects(pyo.Var) if v.is_integer()]  # fixed ones too
        saved = [(v, v.domain, v.bounds) for v in ints]
        for v in ints:
            lb, ub = (round(v.value),) * 2 if at_values else v.bounds
            v.domain = pyo.Reals
            v.setlb(lb)
            v.setub(ub)
        try:
            self.solver.update_variables(ints)
            yield
        finally:
            for v, domain, (lb, ub) in saved:
                v.domain = domain
                v.setlb(lb)
                v.setub(ub)
            self.solver.update_variables(ints)

    def lp_bound_usd(self, opts: SolveOptions) -> float | None:
        """Least cost of the LP relaxation (USD), a lower bound on every plan; None if it is infeasible."""
        with self.integers_relaxed():
            res, _ = self.run(opts)
        if res.termination_condition != TerminationCondition.convergenceCriteriaSatisfied:
            return None
        unscale = 1.0 if self.model.elastic else 1.0 / OBJECTIVE_SCALE
        return res.incumbent_objective * unscale

    def highs_rows_and_columns(self) -> tuple[highspy.Highs, dict[int, object], dict[int, pyo.Var]]:
        """The highspy instance behind the persistent interface, and the model's constraint
        and variable of each of its row and column indices (for reading HiGHS's own answers)."""
        s = self.solver
        rows = {i: con for con, i in s._pyomo_con_to_solver_con_map.items()}
        by_id = {id(v): v for v in self.model.component_data_objects(pyo.Var)}
        cols = {i: by_id[v_id] for v_id, i in s._pyomo_var_to_solver_var_map.items()}
        return s._solver_model, rows, cols

    def _shadow_prices(self, opts: SolveOptions) -> dict[tuple[str, str, int], float]:
        """Marginal cost of tightening each policy limit by one point, in USD of present value.

        The integer decisions (contracts, modules, memberships) are fixed at
        their optimum (:meth:`integers_relaxed` with ``at_values``); the LP that
        remains is re-solved and its duals converted from "per tonne of
        right-hand side" to "per point of the limit" (see FORMULATION.md).
        """
        with self.integers_relaxed(at_values=True):
            res, _ = self.run(opts)
            if res.termination_condition != TerminationCondition.convergenceCriteriaSatisfied:
                return {}
            duals = {c: v / OBJECTIVE_SCALE for c, v in res.solution_loader.get_duals().items()}
            res.solution_loader.load_vars()
            return _convert_duals(self.data, self.model, duals)


@contextmanager
def _ctrl_c_stops(highs: highspy.Highs) -> Iterator[None]:
    """Ctrl-C during a HiGHS run asks HiGHS to stop, and raises KeyboardInterrupt once it has.

    Left alone, the interrupt surfaces inside HiGHS's Python callback and the run ends as
    a "solve error", which a sweep would record and carry on past.  Only the main thread
    of a process that has Python's own Ctrl-C handler (not a worker told to ignore it)
    takes over the signal.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return
    pressed = []

    def stop(signum, frame):
        pressed.append(signum)
        highs.cancelSolve()

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt


def _values_match_objective(model: pyo.ConcreteModel, reported: float) -> bool:
    return abs(pyo.value(model.objective) - reported) <= 1e-7 * max(abs(reported), 1.0)


_scheduler_threads: int | None = None


def _use_threads(threads: int) -> None:
    """HiGHS keeps one thread pool per process, sized by the first solve; a later
    solve asking for another size fails unless the pool is reset first."""
    global _scheduler_threads
    if _scheduler_threads is not None and _scheduler_threads != threads:
        highspy.Highs.resetGlobalScheduler(True)
    _scheduler_threads = threads


def _status(res) -> str:
    tc, ss = res.termination_condition, res.solution_status
    if tc in (TerminationCondition.provenInfeasible, TerminationCondition.infeasibleOrUnbounded,
              TerminationCondition.locallyInfeasible):
        return INFEASIBLE
    if ss == SolutionStatus.optimal and tc == TerminationCondition.convergenceCriteriaSatisfied:
        return OPTIMAL
    if ss in (SolutionStatus.optimal, SolutionStatus.feasible):
        return FEASIBLE
    return NO_SOLUTION


def _values(var, integral=False) -> dict:
    if integral:
        return {k: int(round(v.value or 0)) for k, v in var.items()}
    return {k: max(float(v.value or 0.0), 0.0) for k, v in var.items()}


def _read_plan(b: pyo.ConcreteModel, plan: Plan) -> None:
    plan.buy_t = _values(b.buy_t)
    plan.contracted = _values(b.contracted, integral=True)
    plan.build_modules = _values(b.build_modules, integral=True)
    plan.recycled_t = _values(b.recycled_t)
    plan.start = {k: int(round(b.start[k].value or 0)) for k in b.START_TAIL}
    plan.stock_t = _values(b.stock_t)
    plan.stock_add_t = _values(b.stock_add_t)
    plan.stock_release_t = _values(b.stock_release_t)
    plan.join = _values(b.join, integral=True)
    plan.unmet_t = _values(b.unmet_t) if hasattr(b, "unmet_t") else {}


def _convert_duals(d: PlanningData, b: pyo.ConcreteModel, duals) -> dict[tuple[str, str, int], float]:
    """Dual values (∂cost/∂rhs) -> USD per point of tightening, summed per (family, mineral, year).

    For a cap ``exposure - cap·S <= 0`` a point less of cap moves the right-hand
    side by -0.01·S (S: consumption for the China cap, supply for the others);
    for a minimum ``recycled >= share·demand`` a point more moves it by
    +0.01·demand; one more stockpile day by +demand/365.
    """
    out: dict[tuple[str, str, int], float] = {}

    def add(family, m, y, usd):
        out[family, m, y] = out.get((family, m, y), 0.0) + usd

    def supply(m, y):
        return pyo.value(b.supply_t[m, y])

    for (m, y), con in b.china_cap.items():
        add("china_cap", m, y, -duals.get(con, 0.0) * POINT * pyo.value(b.consumed_t[m, y]))
    for (m, _c, y), con in b.single_country_cap.items():
        add("single_country_cap", m, y, -duals.get(con, 0.0) * POINT * supply(m, y))
    for (m, y), con in b.risk_cap.items():
        add("risk_cap", m, y, -duals.get(con, 0.0) * POINT * supply(m, y))
    for (m, y), con in b.ira_share.items():
        add("ira_share", m, y, duals.get(con, 0.0) * POINT * supply(m, y))
    for (m, y), con in b.recycling_share.items():
        add("recycling_share", m, y, duals.get(con, 0.0) * POINT * d.demand_t.get((m, y), 0.0))
    for (m, y), con in b.stockpile_cover.items():
        add("stockpile_cover", m, y, duals.get(con, 0.0) * d.demand_t.get((m, y), 0.0) / DAYS_PER_YEAR)
    # A limit that is not binding has no price; -0.0 and 1e-9 noise read as 0.
    return {k: (v if abs(v) > 1e-6 else 0.0) for k, v in out.items()}


# ---- infeasibility diagnosis ------------------------------------------------------------

# The policy constraint families (each a Constraint ``<family>`` and, in the elastic model,
# a Var ``<family>_slack``): the Policy column behind each, +1 for a cap (it must rise to
# become feasible) or -1 for a minimum (it must fall), and the limit's unit.
FAMILY_LIMIT = {
    "china_cap": ("china_cap_share", +1, "share"),
    "single_country_cap": ("single_country_cap_share", +1, "share"),
    "risk_cap": ("risk_cap", +1, "score"),
    "ira_share": ("ira_min_share", -1, "share"),
    "recycling_share": ("recycling_min_share", -1, "share"),
    "stockpile_cover": ("stockpile_min_days", -1, "days"),
}


def _clamp(x: float, unit: str) -> float:
    """A needed limit stays in its range: shares and scores in [0, 1], days at least 0."""
    return min(max(x, 0.0), 1.0) if unit in ("share", "score") else max(x, 0.0) + 0.0


def diagnose(d: PlanningData, opts: SolveOptions) -> tuple[Plan, list[Relaxation]]:
    """Solve the elastic model and list the limits that must move, by how much.

    Each relaxation gives the loosest value of the limit that the data can
    meet in that mineral-year, given the other relaxations; moving every
    listed limit to its ``needed`` value makes the case feasible.
    """
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
                per_unit, nothing_to_scale = pyo.value(b.consumed_t[m, y]), 1.0
            else:
                per_unit, nothing_to_scale = pyo.value(b.supply_t[m, y]), 1.0
            moved = s / per_unit if per_unit > 0 else nothing_to_scale
            out.append(Relaxation(family=family, mineral_id=m, year=y, country=k[1] if len(k) == 3 else None,
                                  limit=limit, needed=_clamp((limit or 0.0) + direction * moved, unit), unit=unit,
                                  cell=d.cell("Policy", (m, y), column)))
    for (m, y), var in b.unmet_t.items():
        s = var.value or 0.0
        if s > SLACK_TOL * max(d.demand_t.get((m, y), 0.0), 1.0):
            demand = d.demand_t.get((m, y), 0.0)
            out.append(Relaxation(family="demand", mineral_id=m, year=y, country=None, limit=demand,
                                  needed=demand - s, unit="t", cell=d.cell("Demand", (m, y), "demand_t")))
    return plan, out


def solve_case(d: PlanningData, opts: SolveOptions, shadow_prices: bool = True) -> Plan:
    """Build and solve ``d`` once."""
    return Session(d).solve(opts, shadow_prices=shadow_prices)
