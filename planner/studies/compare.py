"""Solving several cases (the base and its scenarios) and comparing them.

Independent cases solve in parallel worker processes, one HiGHS instance
each.  Every plan is verified by ``planner.verify`` before it is compared; an
infeasible case gets the elastic diagnosis instead of a plan.  The figures
here are plain data for the reports (``planner.reports.compare_report``): cost and
its parts, indicators per mineral and year, the suppliers that enter or
leave, the year a scenario changed most.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from models.dataset import CHINA, PlanningData
from models.plan import INFEASIBLE, Plan, Relaxation, SolveStats
from models.solve import Diagnosis, SolveOptions
from planner.studies.jobs import run_jobs
from planner.studies import reasons
from planner.studies.resilience import (
    USED_T, NoPlan, Range, Tested, both_plans, hedged_objective_usd, hedged_options, test_plan,
)
from planner.verify import Evaluation
from planner.workbook import scenarios

BASE = scenarios.BASE  # the base case's name, which the reader keeps any scenario from taking
ERROR = "error"  # the plan failed verification: a bug, reported as such


@dataclass
class Case:
    """One case to solve: the base or a scenario applied to it."""

    name: str
    description: str
    data: PlanningData
    minerals: list[str] = field(default_factory=list)  # minerals the scenario touches
    first_year: int | None = None  # first year a year-limited change applies
    stressed: bool = False  # let every disruption of the case hit its plan, as ``planner stress`` does
    diagnosed: bool = True  # an infeasible case gets the elastic diagnosis (which limits must move)
    # A scenario's Scenarios rows (planner.workbook.scenarios.Change): what it changes, to name it where its
    # description is not in the report's language.
    changes: tuple = ()


@dataclass
class CaseResult:
    case: Case
    status: str
    plan: Plan | None = None
    evaluation: Evaluation | None = None
    relaxations: list[Relaxation] = field(default_factory=list)
    why: reasons.Why | None = None  # why it has no plan, or none the reports may use
    wall_s: float = 0.0
    # compare --hedged: the least-cost plan and the hedged plan (this result's plan), tested alike.
    tested: tuple[Tested, Tested] | None = None
    stress: Tested | None = None  # a stressed case: its plan with every disruption's recourse

    @property
    def ok(self) -> bool:
        return self.evaluation is not None


def solve_case_verified(case: Case, opts: SolveOptions, hedged: bool = False) -> CaseResult:
    """Solve, verify, and diagnose if infeasible: one case, in this process.  ``hedged``: the
    case's plan is its hedged plan, and the least-cost plan is tested beside it."""
    from models.solve import Session, diagnose
    from planner.verify import VerificationError, verify

    t0 = time.perf_counter()
    if hedged:
        try:
            result = _hedged_case(case, opts)
        except VerificationError as e:
            result = CaseResult(case, ERROR, why=reasons.failed(reasons.UNVERIFIED, e))
        result.wall_s = time.perf_counter() - t0
        if result.plan is None or result.plan.has_solution:
            return result
        plan = result.plan
    else:
        session = Session(case.data)
        plan = session.solve(opts, shadow_prices=False)
    result = CaseResult(case, plan.stats.status, plan)
    if plan.stats.status == INFEASIBLE:
        diagnosis = diagnose(case.data, opts) if case.diagnosed else None
        result.relaxations = relaxations_found(diagnosis)
        result.why = reasons.infeasible(diagnosis, opts.time_limit_s)
    elif plan.has_solution:
        try:
            result.evaluation = verify(case.data, plan)
            if case.stressed and case.data.disruptions:  # the very plan reported, not a second solve of it
                result.stress = test_plan(case.data, session.model, plan, hedged_options(opts), "least-cost plan")
        except VerificationError as e:
            result.status, result.why = ERROR, reasons.failed(reasons.UNVERIFIED, e)
        except NoPlan as e:
            result.why = reasons.failed(reasons.UNTESTED, e)
    else:
        result.why = reasons.time_limit(opts.time_limit_s)
    result.wall_s = time.perf_counter() - t0
    return result


def _hedged_case(case: Case, opts: SolveOptions) -> CaseResult:
    """Both plans of a case against its disruptions; a result without evaluation if either has none."""
    opts = hedged_options(opts)
    try:
        least, best = both_plans(case.data, opts)
    except NoPlan as e:
        return CaseResult(case, e.plan.stats.status, e.plan)
    return CaseResult(case, best.plan.stats.status, best.plan, best.evaluation, tested=(least, best))


def relaxations_found(diagnosis: Diagnosis | None) -> list[Relaxation]:
    """The limits that must move, as far as the diagnosis proved them: none from one cut short."""
    return diagnosis.relaxations if diagnosis is not None and diagnosis.finished else []


def proven_gap_usd(plan: Plan) -> float:
    """How much cheaper the best plan could be than this one: objective minus HiGHS's bound."""
    st = plan.stats
    if st.objective_usd is None or st.bound_usd is None:
        return abs(st.objective_usd or 0.0) * (st.gap or 0.0)
    return max(st.objective_usd - st.bound_usd, 0.0)


def hedged_objective(r: CaseResult) -> Range:
    """compare --hedged: what the case's hedged plan was decided on and proven on, F + (1 - λ) E[C] + λ CVaR
    (the expected cost at λ = 0), as verified, down to as low as the best plan could be (its solve's proven
    gap).  The cost if calm (F alone) has no such range: neither plan was chosen for it."""
    t = r.tested[1]
    value = hedged_objective_usd(t)
    return Range(value, value - (t.decided.value - t.decided.low), value)


def hedged_change(base: CaseResult, r: CaseResult) -> Range:
    """compare --hedged: the case's hedged objective minus the base's, with the range the two solves prove
    (significant when it leaves out 0)."""
    return hedged_objective(r) - hedged_objective(base)


def decided_stats(r: CaseResult) -> SolveStats:
    """The solve that decided the case's plan: compare --hedged, the hedged plan's (a plan tested with its
    first stage held carries the held solve's figures instead)."""
    return r.tested[1].decided_by if r.tested is not None else r.plan.stats


def _job(args) -> CaseResult:
    return solve_case_verified(*args)


def run_cases(cases: list[Case], opts: SolveOptions, jobs: int,
              on_done: Callable[[CaseResult], None] = lambda r: None,
              hedged: bool = False) -> tuple[list[CaseResult], bool]:
    """Solve every case, ``jobs`` at a time (``hedged``: against the disruptions); return the
    finished results (in case order) and whether Ctrl-C or SIGTERM stopped the run early.  Solver
    threads are shared out among the jobs."""
    jobs = max(1, min(jobs, len(cases)))
    per_job = SolveOptions(opts.time_limit_s, opts.mip_gap, max(1, opts.threads // jobs))
    results, stopped = run_jobs(_job, [(c, per_job, hedged) for c in cases], jobs, on_done)
    done = {r.case.name: r for r in results}
    return [done[c.name] for c in cases if c.name in done], stopped


# ---- figures for the reports --------------------------------------------------------------

def supply_by_origin_t(d: PlanningData, plan: Plan, mineral: str, year: int) -> dict[str, float]:
    """Tonnes of ``mineral`` supplied in ``year`` per country of origin ('recycled' for domestic recycling)."""
    out: dict[str, float] = {}
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        if s.mineral_id == mineral and y == year and t > USED_T:
            out[s.origin_country] = out.get(s.origin_country, 0.0) + t
    recycled = sum(t for (r, y), t in plan.recycled_t.items() if y == year and d.recycling[r].mineral_id == mineral)
    if recycled > USED_T:
        out["recycled"] = recycled
    return out


def china_value_share(d: PlanningData, plan: Plan) -> float:
    """Share of the whole horizon's purchase value from options mined or refined in China."""
    total = china = 0.0
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        v = t * d.price_usd_per_t(s, y)
        total += v
        china += v if CHINA in s.countries else 0.0
    return china / total if total else 0.0


def relative_change(delta: float, base: float) -> float | None:
    """``delta`` as a share of ``base``; None when the base costs nothing (a case with no demand)."""
    return delta / base if base else None


def cuts_supply(d: PlanningData, m: str) -> bool:
    """Whether a case cuts some supply of ``m`` (a disruption: capacity below the workbook's)."""
    return any(f < 1 for (s_id, _y), f in d.capacity_factor.items() if d.suppliers[s_id].mineral_id == m)


def year_most_changed(base: CaseResult, r: CaseResult, minerals: list[str]) -> int:
    """The year in which the supply of ``minerals`` by origin differs most from the base (the last
    year if it never differs): where to look when a scenario is not limited to some years."""
    d = r.case.data

    def change(y: int) -> float:
        total = 0.0
        for m in minerals:
            a, b = supply_by_origin_t(d, base.plan, m, y), supply_by_origin_t(d, r.plan, m, y)
            total += sum(abs(a.get(c, 0.0) - b.get(c, 0.0)) for c in a.keys() | b.keys())
        return total

    return max(reversed(d.years), key=change)
