"""Risk-based stockpile days: how many days of stock each mineral deserves against its disruptions.

Korea's target is 100 days for every mineral; the question it raises is whether 100 days is too many
for one mineral and too few for another.  For each mineral the hedged plan (least first-stage cost +
(1 - λ) expected disruption cost + λ CVaR, ``models.disruption``) is solved with that mineral's cover
floor (Policy ``stockpile_min_days``) replaced by:

- no floor: the plan holds what the disruptions make worth holding (the **risk-based** level), and with
  it what the least-cost plan with no floor and no disruption at all holds (the **calm** plan): cover
  held for prices or Policy limits, not for risk (gallium bought ahead of a tighter China cap, say),
  which the report says;
- the workbook's own floor, year by year (the **mandate**'s path: Korea's rises from 69 days in 2026 to
  100 by 2030), and the same path one day higher (what one more day of the mandate saves and costs);
- each value of ``--days`` held in every year (the curve), and the reference rules: JOGMEC's 60 days
  and 180 for high-risk metals, Korea's 100.  A floor is a minimum, so each higher floor only takes
  plans away: the curve never falls as the floor rises, and no uniform floor costs less than none (the
  risk-based plan); the curve says what each floor costs above it and what it buys.

A mineral's case is the workbook cut down to it, or to its group where a stream plant links minerals
(``PlanningData.restricted_to``, ``mineral_groups``): with λ = 0 the hedged model has no other row
linking two minerals, so each group's plan is its part of the whole plan; with λ > 0 the CVaR is the
group's own (its disruption cost alone), which the report says.  Each point is one
session's limit changed (the sweep's persistent model), every plan is verified with every scenario,
and every figure from an optimisation carries the range its bound proves.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from models.dataset import DAYS_PER_YEAR, PlanningData
from models.iis import Conflict, explain
from models.plan import INFEASIBLE
from models.solve import Session, SolveOptions
from planner import stopping
from planner.studies.jobs import run_jobs
from planner.studies.resilience import USED_T, NoPlan, Range, Tested, hedged_objective_usd, hedged_options, tested_plan
from planner.studies.sweep import point_text
from planner.verify import verify

# Reference rules a planner measures a stockpile against (days of demand), with their sources.
REFERENCES = (("JOGMEC standard", 60.0), ("Korea's target", 100.0), ("JOGMEC high-risk metals", 180.0))
REFERENCE_DAYS = {days for _name, days in REFERENCES}
RISK_BASED, MANDATE, MANDATE_PLUS = "risk-based", "mandate", "mandate + 1 day"


@dataclass
class Point:
    """One floor of one mineral's cover, and the hedged plan solved under it (tested and verified)."""

    mineral_id: str
    label: str  # "risk-based", "mandate", "mandate + 1 day", "60 days" ...
    days: float | None  # the floor in every year; None for the risk-based plan and the mandate's path
    tested: Tested | None  # None: no plan meets the floor (above the largest stock, say); ``status`` says
    demand_t: dict[int, float]
    wall_s: float = 0.0
    status: str = "optimal"
    # A reference rule with no plan (proven infeasible): the workbook cells that bound the cover below it (HiGHS's
    # smallest conflicting set, the study's own floor left out); empty where unknown.
    bound_by: tuple[Conflict, ...] = ()

    @property
    def objective(self) -> Range:
        """The hedged objective, as proven: F + (1 - λ) E[C] + λ CVaR."""
        return self.tested.decided

    @property
    def objective_usd(self) -> float:
        return hedged_objective_usd(self.tested)

    @property
    def cover_days(self) -> dict[int, float]:
        """Per year, the cover held at the end of the year (stock and agreement lines) in days of demand."""
        ind = self.tested.evaluation.indicators
        return {y: ind[self.mineral_id, y].stockpile_days or 0.0 for y in self.demand_t if self.demand_t[y]}

    @property
    def stock_days(self) -> dict[int, float]:
        """Per year, the stock alone in days of demand."""
        ind = self.tested.evaluation.indicators
        return {y: ind[self.mineral_id, y].stock_total_t / self.demand_t[y] * DAYS_PER_YEAR
                for y in self.demand_t if self.demand_t[y]}

    @property
    def mean_cover_days(self) -> float:
        days = self.cover_days
        return sum(days.values()) / len(days) if days else 0.0

    @property
    def shortfall_probability(self) -> float:
        """The chance that some demand goes unmet (more than a kilogram) in a disruption."""
        unmet = self.tested.evaluation.scenario_unmet_t
        return sum(o.scenario.probability for o in self.tested.outcomes
                   if unmet.get((o.scenario.name, self.mineral_id), 0.0) > USED_T)

    @property
    def expected_unmet_t(self) -> float:
        p = {o.scenario.name: o.scenario.probability for o in self.tested.outcomes}
        return sum(p[w] * t for (w, m), t in self.tested.evaluation.scenario_unmet_t.items() if m == self.mineral_id)

    @property
    def expected_lost_output_usd(self) -> float:
        p = {o.scenario.name: o.scenario.probability for o in self.tested.outcomes}
        return sum(p[w] * usd for (w, m), usd in self.tested.evaluation.scenario_lost_output_usd.items()
                   if m == self.mineral_id)


@dataclass
class MineralStockpile:
    mineral_id: str
    risk_based: Point
    mandate: Point | None  # None: the workbook sets no floor for the mineral
    mandate_plus_day: Point | None
    curve: list[Point] = field(default_factory=list)  # the --days values and the reference rules, by days
    # Per year with demand, the cover the calm plan holds (no floor, no disruption: ``calm_cover_days``).
    calm_cover_days: dict[int, float] = field(default_factory=dict)

    @property
    def calm_mean_days(self) -> float | None:
        days = self.calm_cover_days
        return sum(days.values()) / len(days) if days else None

    @property
    def mandate_cost(self) -> Range | None:
        """What the mandate costs over the risk-based level (hedged objective; proven range)."""
        if self.mandate is None or self.mandate.tested is None:
            return None
        return self.mandate.objective - self.risk_based.objective

    def _day(self) -> tuple[Tested, Tested] | None:
        if self.mandate is None or self.mandate_plus_day is None or not (
                self.mandate.tested and self.mandate_plus_day.tested):
            return None
        return self.mandate.tested, self.mandate_plus_day.tested

    @property
    def day_saving_usd(self) -> float | None:
        """What one more day of the mandate saves in expected disruption cost (present value)."""
        day = self._day()
        return None if day is None else day[0].expected_recourse_usd - day[1].expected_recourse_usd

    @property
    def day_cost_usd(self) -> float | None:
        """What one more day of the mandate costs before any disruption (holding, premium, purchases)."""
        day = self._day()
        return None if day is None else day[1].first_stage_usd - day[0].first_stage_usd

    @property
    def mandate_avoided_per_extra_usd(self) -> float | None:
        """What the mandate's stock above the risk-based plan's buys, at the margin: expected lost output
        (risk-based - mandate) / cost before any disruption (mandate - risk-based).  Not the Protection
        table's per USD of stock, an average: all the lost output a plan's stock avoids / all it costs.
        None where the mandate costs nothing more (a USD or less) or has no plan."""
        a, b = self.risk_based, self.mandate
        if b is None or b.tested is None:
            return None
        extra = b.tested.first_stage_usd - a.tested.first_stage_usd
        if extra <= 1.0:
            return None
        return (a.expected_lost_output_usd - b.expected_lost_output_usd) / extra

    def reference(self, days: float) -> Point | None:
        return next((p for p in self.curve if p.days == days), None)


def mandate_path(d: PlanningData, m: str) -> dict[int, float]:
    """The workbook's cover floor of ``m`` by year (years without one left out): the mandate's path, such
    as Korea's 69 days in 2026 to 100 by 2030, solved as it stands (not its mean, not its 2030 target)."""
    return {y: v for y in d.years if (v := d.limit("stockpile_min_days", m, y)) is not None}


def floors(d: PlanningData, m: str, days: list[float]) -> list[tuple[str, dict[int, float | None], float | None]]:
    """Every point of mineral ``m``: its label, the floor by year (None: no floor) and the floor held in
    every year (None for the risk-based plan and the mandate's path), in the order they are solved."""
    mandate = mandate_path(d, m)
    points = [(RISK_BASED, {y: None for y in d.years}, None)]
    if mandate:
        points += [(MANDATE, mandate, None), (MANDATE_PLUS, {y: v + 1 for y, v in mandate.items()}, None)]
    wanted = sorted(set(days) | REFERENCE_DAYS)
    return points + [(f"{point_text(v)} days", {y: v for y in d.years}, v) for v in wanted]


def calm_cover_days(d: PlanningData, m: str, opts: SolveOptions) -> dict[int, float]:
    """Per year with demand, the cover (days of demand) of mineral ``m``'s least-cost plan with its floor lifted:
    with no disruption at all (the hedged plan when every probability is 0), so what it holds is held for
    prices or Policy limits (stock bought under a loose China cap for years of a tight one), not for risk.
    Verified; empty where the solve found no plan."""
    case = d.with_limit("stockpile_min_days", None, [(m, y) for y in d.years])
    plan = Session(case).solve(opts, shadow_prices=False)
    stopping.check()
    if not plan.has_solution:
        return {}
    ind = verify(case, plan).indicators
    return {y: ind[m, y].stockpile_days or 0.0 for y in d.years if d.demand_t.get((m, y), 0.0)}


def bounds(case: PlanningData, m: str, opts: SolveOptions) -> tuple[Conflict, ...]:
    """The workbook cells that keep mineral ``m``'s cover below its floor in ``case`` (infeasible): HiGHS's
    smallest conflicting set of the LP relaxation (``models.iis``: tens of milliseconds), less the floor the
    study set.  Empty where it needs whole contracts or modules, or HiGHS found none in time."""
    report = explain(case, opts, minerals=[m])
    if report.lp_feasible or not report.found:
        return ()
    return tuple(c for c in report.conflicts if not (c.family == "stockpile_cover" and c.mineral_id == m))


def mineral_stockpile(d: PlanningData, m: str, days: list[float], opts: SolveOptions,
                      on_point: Callable[[str], None] = lambda label: None) -> MineralStockpile:
    """Every point of mineral ``m`` (``d`` holds only ``m``, or its group: ``PlanningData.restricted_to``;
    the group's other minerals keep their workbook floors)."""
    session = Session(d, hedged=True)
    demand = {y: d.demand_t.get((m, y), 0.0) for y in d.years}
    points: dict[str, Point] = {}

    def solve(label: str, by_year: dict[int, float | None], uniform: float | None) -> Point:
        t0 = time.perf_counter()
        # None: no floor (0 days is the non-binding value of a minimum).
        session.set_limits("stockpile_min_days", {(m, y): by_year.get(y) or 0.0 for y in d.years})
        plan = session.solve(opts, shadow_prices=False, warm_start=any(p.tested for p in points.values()))
        stopping.check()
        if not plan.has_solution and label == RISK_BASED:  # with no floor at all, the case itself has no plan
            raise NoPlan(f"the hedged plan of {m}", plan)
        case = d
        for y, v in by_year.items():
            case = case.with_limit("stockpile_min_days", v, [(m, y)])
        if plan.has_solution:
            tested, bound_by = tested_plan(case, plan, label), ()
        else:  # a reference rule proven to have no plan says which cells stand in its way
            tested = None
            bound_by = bounds(case, m, opts) if plan.stats.status == INFEASIBLE and uniform in REFERENCE_DAYS else ()
        point = Point(m, label, uniform, tested, demand, time.perf_counter() - t0, plan.stats.status, bound_by)
        points[label] = point
        on_point(f"{m}: {label}")
        return point

    for label, by_year, uniform in floors(d, m, days):
        solve(label, by_year, uniform)
    return MineralStockpile(m, points[RISK_BASED], points.get(MANDATE), points.get(MANDATE_PLUS),
                            [p for p in points.values() if p.days is not None], calm_cover_days(d, m, opts))


@dataclass
class StockpileStudy:
    minerals: list[MineralStockpile]
    days: list[float]
    stopped: bool = False


def _job(args) -> MineralStockpile:
    d, m, days, opts = args
    return mineral_stockpile(d, m, days, opts)


def study(d: PlanningData, minerals: list[str], days: list[float], opts: SolveOptions, jobs: int = 1,
          progress: Callable[[str], None] = lambda step: None) -> StockpileStudy:
    """Every mineral's points, ``jobs`` minerals at a time; a stop keeps the minerals that finished."""
    opts = hedged_options(opts)
    per_job = dataclasses.replace(opts, threads=max(1, opts.threads // max(1, min(jobs, len(minerals)))))
    items = [(d.restricted_to(d.group_of(m)), m, days, per_job) for m in minerals]
    done, stopped = run_jobs(_job, items, jobs, lambda r: progress(r.mineral_id))
    order = {m: i for i, m in enumerate(minerals)}
    return StockpileStudy(sorted(done, key=lambda r: order[r.mineral_id]), days, stopped)


