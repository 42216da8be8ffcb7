"""The price of security: one policy limit swept over a range, cost at each point.

The model is built once; each point changes the limit's mutable parameters
and re-solves the same persistent HiGHS instance (``models.solve.Session``,
the code path of ``planner solve``).  Points run from the tightest limit to
the loosest, each offered the previous plan as a MIP start: a plan that meets
a tighter limit meets a looser one, so the reported cost never rises as the
limit loosens, whatever the MIP gap.  Every plan is verified against the
input data with the point's limit in place.

Where the swept limit does not bind (the plan sits below a cap, above a
minimum) in some swept mineral-years, the point says which other Policy
limits sit at their own limit there instead, with their shadow prices: a flat
curve is then the other limit doing the work, not a free policy.

A point without a plan gets the diagnosis ``planner compare`` gives an infeasible case
(``models.solve.diagnose``): which limits must move, by mineral, year and Policy cell, and to what.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from models.dataset import CHINA, MINING, REFINING, PlanningData
from models.plan import FAMILY_LIMIT, INFEASIBLE, Plan, Relaxation
from models.solve import Diagnosis, Session, SolveOptions, diagnose
from planner import stopping
from planner.indicators import LIMITED, at_limit
from planner.studies import reasons
from planner.studies.compare import relaxations_found
from planner.verify import Evaluation, MineralYear, VerificationError, verify
from planner.workbook import schema as S
from planner.workbook.cells import Bad, Parser
from planner.workbook.errors import Issues

POLICY = S.SHEET_BY_NAME["Policy"]


@dataclass(frozen=True)
class Parameter:
    option: str  # the CLI option, e.g. china-cap
    column: str  # the Policy column it sets
    unit: str  # share, score or days
    tighter_when_lower: bool  # caps tighten downwards, minimums upwards
    point: float  # the step one marginal cost is quoted for (a percentage point, a day)
    example: tuple[str, str]  # a range and a list of values, as --help and a bad range quote them


PARAMETERS = {p.option: p for p in (
    Parameter("china-cap", "china_cap_share", "share", True, 0.01, ("0.8:0.3:0.05", "0.8,0.5")),
    Parameter("risk-cap", "risk_cap", "score", True, 0.01, ("0.75:0.5:0.05", "0.75,0.6")),
    Parameter("recycling", "recycling_min_share", "share", False, 0.01, ("0:0.3:0.05", "0.1,0.2")),
    Parameter("stockpile-days", "stockpile_min_days", "days", False, 1.0, ("54:120:6", "60,100")),
)}


MAX_POINTS = 200
POINT_DECIMALS = 10  # a range's points are rounded to this many decimals (0.1 * 3 is 0.30000000000000004)


def point_text(x: float) -> str:
    """A swept value as written, with every digit that tells it from the next point (:g's 6 significant
    digits show 0.8 and 0.8000001 alike) and none of a float's noise: points differ within POINT_DECIMALS
    decimals, which 15 significant digits hold for any value below 1e5."""
    return f"{x:.15g}"


class RangeError(ValueError):
    pass


def parse_range(text: str, param: Parameter, example: tuple[str, str] | None = None) -> list[float]:
    """'0.8:0.3:0.05' -> [0.8, 0.75, ..., 0.3] (both ends included); '0.8,0.5,0.4' -> as listed.

    The number of points is known before any list is built, every value must be one the Policy sheet
    accepts in ``param``'s column (finite, in range), and no value may come twice (it would be solved and
    reported twice; a repeat is most likely a slip for another value).  A bad range is answered with
    ``example`` (a range and a list of values; default ``param.example``): one the option takes.
    """
    shown = repr(text if len(text) <= 40 else text[:37] + "...")
    stepped = ":" in text
    parts = text.split(":" if stepped else ",")
    if len(parts) > MAX_POINTS:
        raise RangeError(f"{shown}: {len(parts):,} points; at most {MAX_POINTS}")
    try:
        numbers = [float(x) for x in parts]
    except ValueError:
        numbers = []
    if not numbers or (stepped and len(numbers) != 3):
        steps, listed = example or param.example
        raise RangeError(f"{shown}: expected START:STOP:STEP such as {steps}, or values like {listed}")
    if not stepped:
        values = numbers
    else:
        start, stop, step = numbers
        for x in (start, stop):
            check_value(x, param, shown)
        if not (math.isfinite(step) and step > 0):
            raise RangeError(f"{shown}: the step must be a number above 0")
        steps = abs(stop - start) / step  # inf for a step too small to count
        if not steps < MAX_POINTS:
            raise RangeError(f"{shown}: more than {MAX_POINTS} points; at most {MAX_POINTS}")
        n = round(steps)
        if abs(n * step - abs(stop - start)) > 1e-9 * max(1.0, abs(stop)):
            raise RangeError(f"{shown}: the step does not divide the range")
        sign = 1 if stop >= start else -1
        values = [round(start + sign * i * step, POINT_DECIMALS) for i in range(n + 1)]
    for x in values:
        check_value(x, param, shown)
    seen: set[float] = set()
    for x in values:
        point = round(x, POINT_DECIMALS)  # closer values are one limit within the solver's tolerances
        if point in seen:
            raise RangeError(f"{shown}: the step is too small; {point_text(x)} comes twice at {POINT_DECIMALS} decimals"
                             if stepped else f"{shown}: {point_text(x)} is given twice; give each value once")
        seen.add(point)
    return values


def check_value(x: float, param: Parameter, shown: str) -> None:
    """Raise RangeError unless ``x`` is a value the Policy sheet accepts in ``param``'s column."""
    issues = Issues()
    try:
        Parser(issues, None).parse("Policy", "", POLICY.column(param.column), x)
    except Bad:
        raise RangeError(f"{shown}: {point_text(x)} is not allowed; {issues[-1].expected}") from None


FAMILY_OF = {column: family for family, (column, _direction, _unit) in FAMILY_LIMIT.items()}
# The limits that can hold a swept cap's measure where the cap itself does not bind, and when: a country cap
# does the China cap's work where China is the country at the cap; every exposure cap bounds the risk.
_CHINA_TOP = {"single_country_cap_share": lambda mi: mi.top_country[0] == CHINA,
              "mining_country_cap_share": lambda mi: mi.top(MINING)[0] == CHINA,
              "refining_country_cap_share": lambda mi: mi.top(REFINING)[0] == CHINA}
STAND_INS: dict[str, dict[str, Callable[[MineralYear], bool]]] = {
    "china_cap_share": {**_CHINA_TOP, "risk_cap": lambda mi: True},
    "risk_cap": {c: (lambda mi: True) for c in ("china_cap_share", "single_country_cap_share",
                                                "mining_country_cap_share", "refining_country_cap_share")},
}


@dataclass(frozen=True)
class Instead:
    """Another Policy limit that sits at its own limit in swept mineral-years where the swept one does not."""

    column: str  # its Policy column
    at: int  # the swept mineral-years where it sits at its limit while the swept limit is slack
    price_usd_per_point: float | None  # its highest shadow price there (None: not priced)


@dataclass
class SweepPoint:
    value: float
    status: str
    plan: Plan | None
    evaluation: Evaluation | None
    wall_s: float
    why: reasons.Why | None = None  # why it has no plan, or whose plan it keeps
    swept: int = 0  # swept mineral-years with a verified plan
    slack: int = 0  # of which those where the swept limit does not bind (the plan is inside it)
    instead: list[Instead] = field(default_factory=list)  # the limits that sit there, most mineral-years first
    diagnosis: Diagnosis | None = None  # infeasible: the limits that must move for a plan
    # With a diagnosis: the limits this point set to another value than the workbook's (set_by_sweep), whose
    # cells the diagnosis may name with the sweep's value in force, not the one the cell shows.
    overrides: dict[tuple[str, str, int], float | None] = field(default_factory=dict)

    @property
    def relaxations(self) -> list[Relaxation]:
        return relaxations_found(self.diagnosis)

    @property
    def total_usd(self) -> float | None:
        return self.evaluation.total_usd if self.evaluation else None


def run_sweep(d: PlanningData, param: Parameter, values: list[float], keys: list[tuple[str, int]],
              opts: SolveOptions, on_point: Callable[[SweepPoint], None] = lambda p: None
              ) -> tuple[list[SweepPoint], bool, Session]:
    """Solve at every value, tightest first; return the points in the order given, whether Ctrl-C
    or SIGTERM stopped the sweep, and the session (for its model size)."""
    session = Session(d)
    order = sorted(values, reverse=not param.tighter_when_lower)
    points: dict[float, SweepPoint] = {}
    warm = False
    best: SweepPoint | None = None  # the cheapest verified plan of the points solved so far (all tighter)
    with stopping.Stoppable() as run:
        for v in order:
            session.set_limit(param.column, v, keys)
            t0 = time.perf_counter()
            plan = session.solve(opts, shadow_prices=False, warm_start=warm)
            stopping.check()  # a stop HiGHS swallowed ends its run as an error: not a point
            point = SweepPoint(v, plan.stats.status, plan, None, 0.0)
            if plan.has_solution:
                try:
                    point.evaluation = verify(d.with_limit(param.column, v, keys), plan)
                    binds_instead(session, d.with_limit(param.column, v, keys), param, keys, point, True,
                                  opts.time_limit_s)
                except VerificationError as e:
                    point.status, point.why = "error", reasons.failed(reasons.UNVERIFIED, e)
            elif plan.stats.status == INFEASIBLE:
                point.diagnosis = diagnose(d.with_limit(param.column, v, keys), opts)
                stopping.check()  # a stop inside the diagnosis is no diagnosis
                point.overrides = set_by_sweep(d, param, keys, v)
                point.why = reasons.infeasible(point.diagnosis, opts.time_limit_s)
            else:
                point.why = reasons.time_limit(opts.time_limit_s)
            warm = plan.has_solution  # the plan in the model's variables is the next point's start
            if point.evaluation and best and best.total_usd < point.total_usd:
                # A plan that meets a tighter limit meets this one too: keep the cheaper plan, so the
                # curve never rises as the limit loosens, even where a solve stopped early at its gap.
                point = SweepPoint(v, best.status, best.plan, verify(d.with_limit(param.column, v, keys),
                                                                     best.plan), 0.0,
                                   reasons.Why(reasons.TIGHTER_PLAN))
                binds_instead(session, d.with_limit(param.column, v, keys), param, keys, point, False,
                              opts.time_limit_s)
            if point.evaluation and (best is None or point.total_usd <= best.total_usd):
                best = point
            point.wall_s = time.perf_counter() - t0
            points[v] = point
            on_point(point)
    return [points[v] for v in values if v in points], run.stopped, session


def set_by_sweep(d: PlanningData, param: Parameter, keys: list[tuple[str, int]], value: float
                 ) -> dict[tuple[str, str, int], float | None]:
    """The limits a point at ``value`` sets to another value than the workbook's, by (limit family, mineral,
    year), as a Relaxation or a Conflict names them, with the value the workbook holds there (None: blank).
    A diagnosis naming one of their cells names the sweep's value, which the cell does not show."""
    family = FAMILY_OF[param.column]
    out: dict[tuple[str, str, int], float | None] = {}
    for m, y in keys:
        held = d.limit(param.column, m, y)
        if held is None or abs(held - value) > 10 ** -POINT_DECIMALS:  # a point is its value to that many decimals
            out[family, m, y] = held
    return out


def binds_instead(session: Session, d: PlanningData, param: Parameter,
                  keys: list[tuple[str, int]], point: SweepPoint, loaded: bool, time_limit_s: float) -> None:
    """Where the swept limit is slack at ``point`` (the plan inside it), the other Policy limits that sit at
    theirs and hold its measure (STAND_INS), with their highest shadow prices there: priced on the plan's integer decisions when some limit
    sits instead and the session holds this plan (``loaded``; a plan kept from a tighter point has the
    prices of its own point, if any), within ``time_limit_s``."""
    ev = point.evaluation
    measured = [(m, y) for m, y in keys if LIMITED[param.column][0](ev.indicators[m, y]) is not None]
    slack = [(m, y) for m, y in measured if not at_limit(d, ev, param.column, m, y)]
    point.swept, point.slack = len(measured), len(slack)
    found = {c: [(m, y) for m, y in slack if at_limit(d, ev, c, m, y) and holds(ev.indicators[m, y])]
             for c, holds in STAND_INS.get(param.column, {}).items()}
    found = {c: at for c, at in found.items() if at}
    if not found:
        return
    if loaded and not point.plan.shadow_usd_per_point:
        # The stand-ins alone, in the swept mineral-years (what a kept plan's later points ask for too): each
        # limit priced is an LP solved again, and pricing all of them took a fifth of a China-cap sweep.
        point.plan.shadow_usd_per_point = session.shadow_prices_usd(
            time_limit_s, {(FAMILY_OF[c], m, y) for c in STAND_INS[param.column] for m, y in keys})
    prices = point.plan.shadow_usd_per_point
    point.instead = sorted((Instead(c, len(at), max(prices.get((FAMILY_OF[c], m, y), 0.0) for m, y in at) if prices else None)
                            for c, at in found.items()), key=lambda x: (-x.at, -(x.price_usd_per_point or 0.0)))


def loosest_without_plan(points: list[SweepPoint], param: Parameter) -> SweepPoint | None:
    """The point without a plan nearest the loose end (its diagnosis names the fewest moves), if any."""
    none = [p for p in points if not p.evaluation]
    return (max if param.tighter_when_lower else min)(none, key=lambda p: p.value) if none else None


def marginal_usd_per_point(points: list[SweepPoint], param: Parameter, cost: Callable[[SweepPoint], float]
                           ) -> list[float | None]:
    """Cost of each step towards the tighter end, in USD per point of the limit; None at the first point,
    or where either end has no plan."""
    out: list[float | None] = [None]
    for a, b in zip(points, points[1:]):
        if a.evaluation is None or b.evaluation is None or a.value == b.value:
            out.append(None)
            continue
        tighter = -1 if param.tighter_when_lower else 1
        steps = (b.value - a.value) * tighter / param.point  # positive when b is tighter
        out.append((cost(b) - cost(a)) / steps)
    return out
