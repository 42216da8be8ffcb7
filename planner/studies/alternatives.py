"""Near-optimal alternatives: the choices a planner still has within a few percent of the least cost
(modelling to generate alternatives, as PyPSA's ``optimize_mga`` and Temoa's hull of alternatives).

1. The least-cost plan is solved to the gap and verified.  Its cost C* is the best plan found;
   HiGHS's bound B proves how close C* is to the least possible cost.
2. A budget keeps every later plan within slack x |C*| of C*: per mineral (each mineral within the
   slack of its own least cost, the minerals still separate HiGHS models), or in total.
3. For each direction, the plan within the budget that goes furthest (least China, most recycling,
   ...); then ``count`` plans that trade the directions off, weighted by Halton points spread over
   the simplex, each direction scaled by how far it moved.
4. The range of every decision within the budget: each supplier's tonnes, each recycling option's
   modules, each agreement's years and each mineral's stock, at their least and most.  An end that
   a plan already found sits at the decision's own bound (no tonnes, full capacity) is proven
   without a solve; every other end is one solve of its mineral's block.

Every plan is verified by ``planner.verify`` and its cost checked against the budget before it is
reported; the measures are recomputed here from the verified plan, not read from the solver.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from models.alternatives import (
    BUDGET_MINERAL, COUNTRY_MARGIN, COUNTRY_MIN_SHARE, DIRECTIONS, MAX, MIN, AlternativesSession,
    RangeItem, combine, range_items,
)
from models.dataset import DAYS_PER_YEAR, PlanningData
from models.index import build_index
from models.plan import Plan
from models.recycling import running_years
from models.solve import SolveOptions
from planner import stopping
from planner.indicators import exposure_tonnes
from planner.studies import reasons
from planner.verify import Evaluation, VerificationError, verify

# What a plan is: the least-cost plan, the furthest in one direction, a mix of directions, a point of the
# trade-off frontier (the furthest in one direction on part of the allowance), or a range's end that failed.
LEAST_COST, DIRECTION, MIX, FRONTIER, RANGE = "least cost", "direction", "mix", "frontier", "range"
ERROR = "error"  # a plan failed verification or the budget check: a bug, reported as such
NOT_APPLICABLE = "not applicable"
COST = "cost"  # the trade-off chart's other axis
# Shares of the allowance at which the trade-off chart traces the frontier of its direction against cost.
FRONTIER_SHARES = (0.25, 0.5, 0.75)
# Cost above the budget that is HiGHS's feasibility tolerance, not a breach: 1e-7 of the solver's
# million-USD units on the budget row, with room for the sum's round-off.
BUDGET_TOL_USD = 1.0
BUDGET_TOL_REL = 1e-9


class OptionError(ValueError):
    """A --directions or --tradeoff value the study cannot use."""


def parse_directions(text: str) -> list[tuple[str, str]]:
    """'china,recycling,countries:max' -> [(china, min), (recycling, max), (countries, max)]: each
    direction its default way unless ``:min`` or ``:max`` says otherwise; each at most once."""
    out: list[tuple[str, str]] = []
    for part in text.split(","):
        name, _, sense = part.strip().lower().partition(":")
        if name not in DIRECTIONS:
            raise OptionError(f"{part.strip()!r} is not a direction; choose from {', '.join(DIRECTIONS)}, each "
                              "optionally with :min or :max")
        if sense not in ("", MIN, MAX):
            raise OptionError(f"{part.strip()!r}: the way must be :min or :max")
        key = (name, sense or DIRECTIONS[name].sense)
        if key not in out:
            out.append(key)
    return out


def parse_tradeoff(text: str) -> tuple[str, str]:
    """'china,cost' -> the trade-off chart's x and y: two of the directions' measures or cost."""
    dims = [p.strip().lower() for p in text.split(",")]
    known = [*DIRECTIONS, COST]
    if len(dims) != 2 or dims[0] == dims[1] or any(x not in known for x in dims):
        raise OptionError(f"{text!r}: expected two different names of {', '.join(known)}, such as china,cost")
    return dims[0], dims[1]


def direction_name(name: str, sense: str) -> str:
    """'least China', 'most recycling', 'fewest supplier countries' ..."""
    return DIRECTIONS[name].words[sense == MAX]


# ---- the measures, recomputed from a verified plan ---------------------------------------------

def _years(d: PlanningData, m: str) -> list[int]:
    return [y for y in d.years if d.demand_t.get((m, y), 0.0) > 0]


def mineral_measures(d: PlanningData, plan: Plan, ev: Evaluation, m: str) -> dict[str, float | None]:
    """Each direction's measure for one mineral: the mean over its years with demand of the China-linked
    share, the recycled share (None without a recycling option), the alignment-weighted share and the
    stock in days, all per tonne of demand; and its supplier countries (``COUNTRY_MIN_SHARE``)."""
    years = _years(d, m)
    home = 1.0 - d.home_alignment()
    misaligned = {y: home * ev.indicators[m, y].recycled_t for y in years}
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        if s.mineral_id == m and y in misaligned:
            misaligned[y] += (1.0 - d.supplier_alignment(s)) * t

    def mean(f):
        return sum(f(y) / d.demand_t[m, y] for y in years) / len(years) if years else None

    threshold = COUNTRY_MIN_SHARE * sum(d.demand_t.get((m, y), 0.0) for y in d.years)
    by_country: dict[str, float] = {}
    for (mm, c, _y), t in exposure_tonnes(d, plan).items():
        if mm == m:
            by_country[c] = by_country.get(c, 0.0) + t
    # Counted at the model's own threshold, with a tolerance well inside its margin.
    counted = sum(1 for t in by_country.values() if t > 0 and t >= threshold * (1 - COUNTRY_MARGIN / 100))
    return {"china": mean(lambda y: ev.indicators[m, y].china_t),
            "recycling": mean(lambda y: ev.indicators[m, y].recycled_t) if d.recycling_by_mineral[m] else None,
            "partners": None if not years else 1.0 - mean(lambda y: misaligned[y]),
            "countries": float(counted),
            "stock": mean(lambda y: DAYS_PER_YEAR * ev.indicators[m, y].stock_total_t)}


def plan_measures(d: PlanningData, plan: Plan, ev: Evaluation) -> dict[str, float | None]:
    """Each direction's measure over every mineral: means weighted by mineral-years, countries summed
    (the quantities the model pushes, ``models.alternatives.DIRECTIONS``)."""
    per = {m: mineral_measures(d, plan, ev, m) for m in d.minerals}
    out: dict[str, float | None] = {"countries": sum(v["countries"] for v in per.values())}
    for name in ("china", "recycling", "partners", "stock"):
        weighted = [(len(_years(d, m)), v[name]) for m, v in per.items() if v[name] is not None]
        n = sum(w for w, _ in weighted)
        out[name] = sum(w * x for w, x in weighted) / n if n else None
    return out


def range_value(d: PlanningData, plan: Plan, ev: Evaluation, item: RangeItem) -> float:
    """The decision's total in a verified plan: a supplier's tonnes, an option's modules built that run in
    the horizon, an agreement's years of membership, or a mineral's mean stock in days of demand."""
    if item.family == "supplier":
        return sum(t for (s, _y), t in plan.buy_t.items() if s == item.item)
    if item.family == "recycling":  # modules that run in the horizon
        return float(sum(n for (r, built), n in plan.build_modules.items()
                         if r == item.item and running_years(d, r, built)))
    if item.family == "agreement":
        return float(sum(j for (a, _y), j in plan.join.items() if a == item.item))
    years = _years(d, item.item)
    return sum(DAYS_PER_YEAR * ev.indicators[item.item, y].stock_total_t / d.demand_t[item.item, y]
               for y in years) / max(len(years), 1)


# ---- the study ----------------------------------------------------------------------------

@dataclass
class Alternative:
    name: str
    kind: str  # LEAST_COST, DIRECTION, MIX, FRONTIER or RANGE
    weights: dict[tuple[str, str], float]  # (direction, way) -> its share of the objective; empty: least cost
    status: str
    plan: Plan | None = None
    evaluation: Evaluation | None = None
    measures: dict[str, float | None] = field(default_factory=dict)
    value: float | None = None  # one direction: its measure as the solver found it, and the furthest
    bound: float | None = None  # any plan within the budget can go (HiGHS's bound)
    allowance_share: float = 1.0  # of the allowance it was given (a frontier point: less)
    wall_s: float = 0.0
    why: reasons.Why | None = None  # why it has no plan, or none the study may use

    @property
    def ok(self) -> bool:
        return self.evaluation is not None

    @property
    def cost_usd(self) -> float | None:
        return self.evaluation.total_usd if self.evaluation else None

    @property
    def direction(self) -> tuple[str, str]:
        """The (direction, way) of a plan pushed in one direction."""
        (key,) = self.weights
        return key


@dataclass
class Range:
    """What one decision can be within the budget: its least and its most, each from a verified plan,
    and the bound HiGHS proved for each end (equal to the end when it is proven)."""

    item: RangeItem
    least_cost: float  # in the least-cost plan
    low: float
    high: float
    low_by: str  # the plan that reached it
    high_by: str
    low_bound: float | None = None
    high_bound: float | None = None
    solves: int = 0

    @property
    def tolerance(self) -> float:
        return 1e-6 * max(1.0, abs(self.item.highest))

    @property
    def proven(self) -> bool:
        return all(b is not None and abs(b - v) <= self.tolerance
                   for b, v in ((self.low_bound, self.low), (self.high_bound, self.high)))

    @property
    def forced(self) -> bool:
        """The same in every plan found within the budget (proven so when ``proven``)."""
        return self.high - self.low <= self.tolerance


@dataclass
class Study:
    data: PlanningData
    slack: float
    budget: str
    count: int
    least_cost: Alternative
    alternatives: list[Alternative] = field(default_factory=list)  # the least-cost plan first
    items: list[RangeItem] = field(default_factory=list)  # the decisions the reports show side by side
    ranges: list[Range] = field(default_factory=list)
    allowance_usd: dict[str, float] = field(default_factory=dict)  # per mineral
    frontier: tuple[str, str] | None = None  # the direction traced against cost
    spans: dict[tuple[str, str], float] = field(default_factory=dict)  # how far each direction moved
    ranges_asked: bool = True
    range_solves: int = 0
    range_ends_known: int = 0  # ends proven by a plan at the decision's own bound, without a solve
    phase_s: dict[str, float] = field(default_factory=dict)
    decomposition: str = ""
    blocks: int = 1  # HiGHS models the session solves (the budget may link the minerals into one)
    stopped: bool = False

    @property
    def best_usd(self) -> float:
        """C*, the cost of the best plan found."""
        return self.least_cost.cost_usd

    @property
    def budget_usd(self) -> float:
        return self.best_usd + sum(self.allowance_usd.values())

    def of_kind(self, *kinds: str) -> list[Alternative]:
        return [a for a in self.alternatives if a.kind in kinds]


def allowances(slack: float, costs_by_mineral_usd: dict[str, float]) -> dict[str, float]:
    """slack x |C*| shared among the minerals in proportion to |C*_m|: each mineral within the slack of its
    own least cost when every cost is positive, and the total within the slack of C* always."""
    total = sum(costs_by_mineral_usd.values())
    magnitude = sum(abs(c) for c in costs_by_mineral_usd.values())
    return {m: slack * abs(total) * abs(c) / magnitude if magnitude else 0.0 for m, c in costs_by_mineral_usd.items()}


def budget_breach(study: Study, ev: Evaluation, share: float = 1.0) -> str:
    """What in a verified plan exceeds the budget ('' if nothing): the total, and in a per-mineral budget
    each mineral (each group of minerals a recycling plant links, whose costs share one budget row),
    against the least-cost plan's cost plus ``share`` of the allowance."""
    base = study.least_cost.evaluation

    def over(cost, limit):
        return cost - limit > BUDGET_TOL_USD + BUDGET_TOL_REL * abs(limit)

    out = []
    limit = study.best_usd + share * sum(study.allowance_usd.values())
    if over(ev.total_usd, limit):
        out.append(f"total {ev.total_usd:,.0f} USD > budget {limit:,.0f} USD")
    if study.budget == BUDGET_MINERAL:
        for group in study.data.mineral_groups:
            limit = sum(base.costs_by_mineral_usd[m] + share * study.allowance_usd.get(m, 0.0) for m in group)
            cost = sum(ev.costs_by_mineral_usd[m] for m in group)
            if over(cost, limit):
                out.append(f"{'+'.join(group)} {cost:,.0f} USD > budget {limit:,.0f} USD")
    return "; ".join(out)


def halton(index: int, base: int) -> float:
    """The index-th point (from 1) of the van der Corput sequence in ``base``: Halton's coordinate."""
    out, f = 0.0, 1.0
    while index:
        f /= base
        index, digit = divmod(index, base)
        out += f * digit
    return out


PRIMES = (2, 3, 5, 7, 11)  # one Halton base per direction


def mix_weights(k: int, count: int) -> list[list[float]]:
    """``count`` weight vectors over ``k`` directions, spread over the simplex: Halton points (one prime
    base per direction) mapped by w_i = -ln(u_i) / Σ -ln(u_j), which takes uniform points of the cube to
    uniform points of the simplex.  Deterministic: the same run gives the same mixes."""
    out = []
    for i in range(1, count + 1):
        e = [-math.log(halton(i, PRIMES[j])) for j in range(k)]
        out.append([x / sum(e) for x in e])
    return out


def planned_steps(d: PlanningData, directions: list, count: int, ranges: bool,
                  tradeoff: tuple[str, str] | None = None, slack: float = 1.0) -> int:
    """The steps ``run_alternatives`` reports: the least-cost plan, each direction, each mix, the frontier's
    points, and two ends per ranged decision."""
    frontier = frontier_direction(directions, tradeoff)
    return (1 + len(directions) + count + len(frontier_shares(slack, frontier, directions))
            + (2 * len(range_items(d, build_index(d))) if ranges else 0))


def frontier_shares(slack: float, frontier: tuple[str, str] | None, directions: list) -> tuple[float, ...]:
    """The shares of the allowance the frontier is traced at (the whole of it too unless a direction went
    there already); none without a frontier or an allowance (at zero slack every share is the least cost)."""
    if frontier is None or slack <= 0:
        return ()
    return FRONTIER_SHARES + (() if frontier in directions else (1.0,))


def frontier_direction(directions: list[tuple[str, str]], tradeoff: tuple[str, str] | None) -> tuple[str, str] | None:
    """The direction the trade-off chart traces against cost: its other axis, the way --directions pushes
    it (else its default way); None when cost is not an axis."""
    if tradeoff is None or COST not in tradeoff:
        return None
    (name,) = [x for x in tradeoff if x != COST]
    return next((k for k in directions if k[0] == name), (name, DIRECTIONS[name].sense))


def run_alternatives(d: PlanningData, opts: SolveOptions, slack: float, directions: list[tuple[str, str]],
                     count: int, budget: str = BUDGET_MINERAL, ranges: bool = True,
                     tradeoff: tuple[str, str] | None = None,
                     on_step: Callable[..., None] = lambda label, steps=1: None) -> Study:
    """The least-cost plan, the plan furthest in each direction, ``count`` mixes, the frontier of the
    trade-off chart's direction against cost (when cost is an axis) and, if asked, the ranges, all within
    ``slack`` of the least cost.  ``on_step(label, steps=1)`` hears each step done (a solve, a range end known
    without one, or mixes there was nothing to mix for).  Ctrl-C or SIGTERM stops the study: what finished
    is kept and ``stopped`` says so."""
    t0 = time.perf_counter()
    frontier = frontier_direction(directions, tradeoff)
    pushed = {name for name, _ in directions} | ({frontier[0]} if frontier else set())
    session = AlternativesSession(d, budget, countries="countries" in pushed)
    least = _verified(LEAST_COST, LEAST_COST, {}, session.solve(opts, shadow_prices=False), d)
    study = Study(d, slack, budget, count, least, [least], frontier=frontier, ranges_asked=ranges)
    with stopping.Stoppable() as run:
        stopping.check()
        on_step(LEAST_COST)
        study.phase_s["least_cost"] = time.perf_counter() - t0
        if not least.ok:
            return study
        study.allowance_usd = allowances(slack, least.evaluation.costs_by_mineral_usd)
        session.add_budget(study.allowance_usd)
        study.decomposition, study.blocks, study.items = (session.decomposition, len(session.blocks),
                                                          session.range_items())
        phase = time.perf_counter()
        for key in directions:
            _add(study, _push(study, session, direction_name(*key), DIRECTION, {key: 1.0}, opts), on_step)
        study.phase_s["directions"] = time.perf_counter() - phase
        phase = time.perf_counter()
        mixes = _mixes(study)
        if len(mixes) < count:
            on_step("nothing to mix: fewer than two directions moved", count - len(mixes))
        for i, weights in enumerate(mixes, start=1):
            _add(study, _push(study, session, f"mix {i}", MIX, weights, opts), on_step)
        study.phase_s["mixes"] = time.perf_counter() - phase
        if frontier_shares(slack, frontier, directions):
            phase = time.perf_counter()
            for share in frontier_shares(slack, frontier, directions):
                session.share_allowance(share)
                name = f"{direction_name(*frontier)} within {share * slack:.2%}"
                _add(study, _push(study, session, name, FRONTIER, {frontier: 1.0}, opts, share), on_step)
            session.share_allowance(1.0)
            study.phase_s["frontier"] = time.perf_counter() - phase
        if ranges:
            phase = time.perf_counter()
            _ranges(study, session, opts, on_step)
            study.phase_s["ranges"] = time.perf_counter() - phase
    study.stopped = run.stopped
    return study


def _add(study: Study, alt: Alternative, on_step) -> None:
    study.alternatives.append(alt)
    stopping.check()  # a stop HiGHS swallowed ends its run as an error: not a plan
    on_step(alt.name)


def _verified(name: str, kind: str, weights, plan: Plan, d: PlanningData, study: Study | None = None,
              share: float = 1.0) -> Alternative:
    """The plan as an alternative, verified and (for all but the least-cost plan) checked against the budget."""
    alt = Alternative(name, kind, weights, plan.stats.status, plan, allowance_share=share, wall_s=plan.stats.wall_s)
    if not plan.has_solution:
        alt.why = reasons.no_plan(plan.stats)
        return alt
    try:
        ev = verify(d, plan)
    except VerificationError as e:
        alt.status, alt.why = ERROR, reasons.failed(reasons.UNVERIFIED, e)
        return alt
    breach = budget_breach(study, ev, share) if study is not None else ""
    if breach:
        alt.status, alt.why = ERROR, reasons.failed(reasons.OVER_BUDGET, breach)
        return alt
    alt.evaluation, alt.measures = ev, plan_measures(d, plan, ev)
    return alt


def _push(study: Study, session: AlternativesSession, name: str, kind: str, weights: dict[tuple[str, str], float],
          opts: SolveOptions, share: float = 1.0) -> Alternative:
    """The plan within the budget furthest along Σ weight x direction, each direction its own way and, in a
    mix, divided by how far it moved alone (so each counts alike)."""
    scale = {k: 1.0 / study.spans[k] for k in weights} if kind == MIX else {k: 1.0 for k in weights}
    parts = [(w * scale[k] * (1 if k[1] == MIN else -1), session.direction(*k)) for k, w in weights.items()]
    measure = combine(parts)
    if not session.touches(measure):
        return Alternative(name, kind, weights, NOT_APPLICABLE, why=reasons.Why(reasons.NO_DECISION))
    outcome = session.push(measure, MIN, opts)
    alt = _verified(name, kind, weights, outcome.plan, study.data, study, share)
    if len(parts) == 1 and outcome.value is not None:  # one direction: its own measure, its own way
        (w, _), = parts
        alt.value = outcome.value / w
        alt.bound = None if outcome.bound is None else outcome.bound / w
    return alt


def direction_moved(study: Study, alt: Alternative) -> bool | None:
    """Whether a direction's plan went further than the least-cost plan, beyond round-off (else the solver's
    plan at the same measure may cost anything within the budget, and has nothing to trade); None where either
    plan has no figure of it to compare (no plan, or a measure of nothing, as recycling without any option)."""
    name = alt.direction[0]
    base = study.least_cost.measures.get(name)
    if not alt.ok or base is None or alt.measures.get(name) is None:
        return None
    return abs(alt.measures[name] - base) > 1e-9 * max(1.0, abs(base))


def _mixes(study: Study) -> list[dict[tuple[str, str], float]]:
    """The mixes' weights: Halton points over the directions that moved from the least-cost plan (a direction
    that cannot move has nothing to trade)."""
    base = study.least_cost.measures
    for alt in study.of_kind(DIRECTION):
        if direction_moved(study, alt):
            study.spans[alt.direction] = abs(alt.measures[alt.direction[0]] - base[alt.direction[0]])
    if study.count == 0 or len(study.spans) < 2:  # nothing to trade off
        return []
    keys = list(study.spans)
    return [dict(zip(keys, ws)) for ws in mix_weights(len(keys), study.count)]


def _ranges(study: Study, session: AlternativesSession, opts: SolveOptions, on_step) -> None:
    d, items = study.data, study.items
    found: dict[RangeItem, Range] = {}

    def observe(alt: Alternative) -> None:
        for item in items:
            v = range_value(d, alt.plan, alt.evaluation, item)
            r = found.get(item)
            if r is None:
                found[item] = Range(item, v, v, v, alt.name, alt.name)
            elif v < r.low:
                r.low, r.low_by = v, alt.name
            elif v > r.high:
                r.high, r.high_by = v, alt.name

    for alt in study.alternatives:  # a plan within part of the allowance is within all of it
        if alt.ok:
            observe(alt)
    for item in items:
        r = found[item]
        measure = session.range_measure(item)
        # No decision moves it within the horizon (a plant that can be built only after it): every plan has
        # the value found, which is both its ends.
        fixed = not session.touches(measure)
        for sense in (MIN, MAX):
            end = r.low if sense == MIN else r.high
            own = end if fixed else item.lowest if sense == MIN else item.highest
            if abs(end - own) <= r.tolerance:  # a plan sits at its own bound
                study.range_ends_known += 1
                label = f"range of {item.item}: known"
            else:
                outcome = session.push(measure, sense, opts)
                r.solves += 1
                study.range_solves += 1
                label = f"{'least' if sense == MIN else 'most'} {item.item}"
                alt = _verified(label, RANGE, {}, outcome.plan, d, study)
                if alt.status == ERROR:
                    study.alternatives.append(alt)  # reported as the bug it is
                elif alt.ok:
                    observe(alt)
                own = outcome.bound  # HiGHS's: no plan within the budget goes further
            if sense == MIN:
                r.low_bound = own
            else:
                r.high_bound = own
            stopping.check()
            on_step(label)
        study.ranges.append(r)
