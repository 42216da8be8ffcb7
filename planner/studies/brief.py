"""The brief: the answers a ministry asks first, from the studies that back them.

One run solves, ``jobs`` at a time in worker processes (``planner.studies.jobs``), every case the
answers need, each verified by ``planner.verify`` (``compare.solve_case_verified``):

- the strategy: the least-cost plan of the workbook as it is, then every disruption of the Disruptions
  sheet hits it (``resilience.test_plan``, as ``planner stress`` does);
- the plan with no policy: the Policy sheet blank (agreements may still be joined where they pay),
  tested against the same disruptions;
- the strategy without each policy in turn: each Policy column the workbook sets, blank everywhere,
  and the agreements left out;
- the strategy without the China cap and the single-country cap together, when both are set: by
  default they follow one path, and the one that binds first holds China where the other would;
- with ``alternatives``: the range of every decision within ``SLACK`` of the least cost
  (``studies.alternatives``).

Then the figures, as plain data for ``planner.reports.brief_report``: what the strategy and each
policy cost (a difference within the two plans' proven gaps is not significant), which limit does
the work of one that costs nothing, who replaces China's tonnes, the routes the tonnes take, the
costliest disruptions, and what is still open.  Shares come from ``planner.verify.MineralYear`` and
``planner.indicators`` only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from models.dataset import CHINA, OTHER_POOL, POOLS, PlanningData
from models.solve import SolveOptions
from planner.studies.alternatives import Study, run_alternatives
from planner.studies.compare import ERROR, Case, CaseResult, solve_case_verified
from planner.studies.jobs import run_jobs
from planner.studies.policies import (
    NO_POLICY, columns_set, cost_range, lift, strategy_limit, taking_the_row, target_year,
)
from planner.studies.resilience import Outcome, Range
from planner.studies.story import OPTION, RECYCLING, supplier_story
from planner.indicators import at_limit
from planner.verify import REL_TOL

STRATEGY = "strategy"
AGREEMENTS = "agreements"  # the joint-stockpile and swap agreements, left out as a whole
CHINA_AND_SINGLE = "china_and_single_country_caps"
ALTERNATIVES = "alternatives"
SLACK = 0.02  # the ranges: every decision within 2% of the least cost
# Kinds of the sources that replace China's tonnes (options and recycling as in ``story``).
STOCK, UNMET = "stock", "unmet"


@dataclass
class Brief:
    data: PlanningData
    year: int  # the year the first screen and the maps show: the target year
    cases: dict[str, CaseResult]  # STRATEGY, NO_POLICY, each policy left out
    policies: list[str]  # the Policy columns the workbook sets (and AGREEMENTS), in order
    alternatives: Study | None = None
    stopped: bool = False

    @property
    def strategy(self) -> CaseResult:
        return self.cases[STRATEGY]

    @property
    def no_policy(self) -> CaseResult:
        return self.cases[NO_POLICY]

    @property
    def errors(self) -> list[CaseResult]:
        return [r for r in self.cases.values() if r.status == ERROR]


def per_mineral(d: PlanningData, column: str, year: int) -> bool:
    """Whether ``column`` is set in ``year`` only by rows of single minerals."""
    return strategy_limit(d, column, year) is None and any(d.limit(column, m, year) is not None for m in d.minerals)


def stated_limit(d: PlanningData, column: str, year: int) -> float | None:
    """The all-minerals row's ``column`` in ``year`` as the Policy sheet states it: the strategy's own target
    (the default's 20% recycling in 2030), even where every mineral it can bind has a row of its own; None
    without such a row, or when every mineral's own row replaces it (the value is then nowhere kept)."""
    taken = [getattr(d.limits(m, year), column) for m in taking_the_row(d, column, year) or ()]
    return taken[0] if taken else None


def policies_set(d: PlanningData) -> list[str]:
    """The Policy columns the workbook sets somewhere, in sheet order, and AGREEMENTS if it has any."""
    return columns_set(d) + ([AGREEMENTS] if d.agreements else [])


def without(d: PlanningData, *policies: str) -> PlanningData:
    """The case with these Policy columns blank everywhere (AGREEMENTS: with no agreements)."""
    d = lift(d, *(p for p in policies if p != AGREEMENTS))
    return dataclasses.replace(d, agreements={}) if AGREEMENTS in policies else d


def cases(d: PlanningData) -> list[Case]:
    """Every case the answers need, the strategy first."""
    out = [Case(STRATEGY, "the workbook as it is", d, stressed=True),
           Case(NO_POLICY, "the Policy sheet blank", dataclasses.replace(d, policy={}), stressed=True)]
    chosen = policies_set(d)
    # A plan without a policy that cannot be had says the policy is needed; which limits would have to
    # move instead is not the brief's question, so no diagnosis is spent on it.
    out += [Case(p, f"without {p}", without(d, p), diagnosed=False) for p in chosen]
    if {"china_cap_share", "single_country_cap_share"} <= set(chosen):
        out.append(Case(CHINA_AND_SINGLE, "without the China cap and the single-country cap",
                        without(d, "china_cap_share", "single_country_cap_share"), diagnosed=False))
    return out


def _job(item):
    kind, payload, opts = item
    if kind == ALTERNATIVES:
        return run_alternatives(payload, opts, SLACK, [], 0)
    return solve_case_verified(payload, opts)


def run_brief(d: PlanningData, opts: SolveOptions, jobs: int, alternatives: bool = False,
              year: int | None = None, on_done: Callable[[str], None] = lambda name: None) -> Brief:
    """Solve every case (and the ranges if asked), ``jobs`` at a time, solver threads shared out;
    Ctrl-C or SIGTERM stops the run, and ``stopped`` says so."""
    todo = cases(d)
    items = [("case", c, None) for c in todo] + ([(ALTERNATIVES, d, None)] if alternatives else [])
    items = items[-1:] + items[:-1] if alternatives else items  # the longest first
    jobs = max(1, min(jobs, len(items)))
    per_job = dataclasses.replace(opts, threads=max(1, opts.threads // jobs))
    done, stopped = run_jobs(_job, [(k, p, per_job) for k, p, _ in items], jobs,
                             lambda r: on_done(ALTERNATIVES if isinstance(r, Study) else r.case.name))
    results = {r.case.name: r for r in done if isinstance(r, CaseResult)}
    study = next((r for r in done if isinstance(r, Study)), None)
    return Brief(d, year if year is not None else target_year(d), {c.name: results[c.name] for c in todo
                                                                   if c.name in results},
                 policies_set(d), study, stopped)


# ---- what it costs --------------------------------------------------------------------------

@dataclass(frozen=True)
class PolicyCost:
    """What a policy adds to the cost: the strategy's cost less that of the plan without it."""

    policy: str  # a Policy column, AGREEMENTS, CHINA_AND_SINGLE, or NO_POLICY for all of them
    status: str  # of the plan without it
    adds: Range | None  # None when that plan has none (infeasible: the policy is needed)
    base_usd: float = 0.0  # the cost of the plan without it

    @property
    def significant(self) -> bool:
        return self.adds is not None and self.adds.significant

    @property
    def share(self) -> float | None:
        """The difference as a share of the plan without it."""
        return self.adds.value / self.base_usd if self.adds is not None and self.base_usd else None


def policy_costs(b: Brief) -> list[PolicyCost]:
    """The strategy against no policy first, then each policy left out, then the China pair."""
    out = []
    strategy = cost_range(b.strategy)
    for key in [NO_POLICY, *b.policies, CHINA_AND_SINGLE]:
        r = b.cases.get(key)
        if r is None:
            continue
        if r.ok:
            out.append(PolicyCost(key, r.status, strategy - cost_range(r), base_usd=r.evaluation.total_usd))
        else:
            out.append(PolicyCost(key, r.status, None))
    return out


@dataclass(frozen=True)
class StandIn:
    """A limit that costs nothing on its own because another one holds its measure where it would: left
    out alone it changes nothing, left out with the other it does (the default China cap and the
    single-country cap follow one path).  Found from the solves, not from shadow prices, which share a
    degenerate limit's price among the limits at it as the solver happens to choose."""

    column: str  # the Policy column of the limit that costs nothing on its own
    by: str  # the Policy column of the limit that holds its measure there
    at_limit: int  # mineral-years in which the measure sits at the limit
    of: int  # mineral-years the limit applies to
    minerals: tuple[str, ...]  # the minerals of those mineral-years
    by_alone: Range  # what the other limit adds on its own
    both: Range  # what the two add together


PAIRS = (("china_cap_share", "single_country_cap_share"),)  # the pairs left out together (CHINA_AND_SINGLE)


def stand_ins(b: Brief, costs: list[PolicyCost]) -> list[StandIn]:
    """Each limit of a pair that adds nothing significant on its own while the pair together adds more than
    the other limit alone: the other one does its work.  ``costs``: ``policy_costs(b)``."""
    d, r = b.data, b.strategy
    cost = {pc.policy: pc for pc in costs}
    both = cost.get(CHINA_AND_SINGLE)
    out = []
    for pair in PAIRS:
        if both is None or not both.significant or any(cost.get(c) is None or cost[c].adds is None for c in pair):
            continue
        for column, by in (pair, pair[::-1]):
            if cost[column].significant or not (both.adds - cost[by].adds).significant:
                continue
            at = [(m, y) for m in d.minerals for y in d.years if at_limit(d, r.evaluation, column, m, y)]
            applies = sum(1 for m in d.minerals for y in d.years if d.limit(column, m, y) is not None)
            out.append(StandIn(column, by, len(at), applies, tuple(m for m in d.minerals if any(mm == m for mm, _ in at)),
                               cost[by].adds, both.adds))
    return out


# ---- who replaces China -----------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """One source of the tonnes that replace China's: a supply option not linked to China, recycling
    in Korea, the non-China stock (released less added), or demand left unmet."""

    kind: str  # OPTION, RECYCLING, STOCK or UNMET
    item: str  # the supplier_id of an option, else ""
    change_t: float  # against the no-policy plan


@dataclass
class Replacement:
    mineral: str
    year: int
    china_no_policy_t: float  # China-linked tonnes (MineralYear.china_t: imported or consumed, by the basis)
    china_plan_t: float
    sources: list[Source] = field(default_factory=list)  # largest gain first

    @property
    def china_lost_t(self) -> float:
        return self.china_no_policy_t - self.china_plan_t

    @property
    def unmet_t(self) -> float:
        return sum(s.change_t for s in self.sources if s.kind == UNMET)


def replacements(b: Brief, years=None) -> list[Replacement]:
    """Per mineral and year where China's tonnes change: the changes of every other source against
    the no-policy plan, which add up to China's loss (demand is the same in both plans)."""
    d = b.data
    a, p = b.no_policy, b.strategy
    base, plan = (a.case.data, a.plan, a.evaluation), (d, p.plan, p.evaluation)
    story = supplier_story(base, plan)
    wanted = set(d.years if years is None else years)
    out = []
    for m in d.minerals:
        for y in sorted(wanted):
            was, now = a.evaluation.indicators[m, y], p.evaluation.indicators[m, y]
            tol = max(1e-3, REL_TOL * d.demand_t.get((m, y), 0.0))
            if abs(was.china_t - now.china_t) <= tol:
                continue
            sources = [Source(c.kind, c.item if c.kind == OPTION else "", c.change_t) for c in story
                       if c.mineral == m and c.year == y and (c.kind == RECYCLING or c.kind == OPTION
                                                               and CHINA not in d.suppliers[c.item].countries)]
            # On the consumption basis China's tonnes include its stock pool's releases: only the other
            # pool replaces them; on the imports basis any stock released stands in for a tonne bought.
            pools = POOLS if now.on_imports else (OTHER_POOL,)
            stock = sum((now.released_t[p] - now.added_t[p]) - (was.released_t[p] - was.added_t[p]) for p in pools)
            for kind, change in ((STOCK, stock), (UNMET, now.unmet_t - was.unmet_t)):
                if abs(change) > tol:
                    sources.append(Source(kind, "", change))
            out.append(Replacement(m, y, was.china_t, now.china_t, sorted(sources, key=lambda s: -s.change_t)))
    return out


# ---- where the tonnes come from ----------------------------------------------------------------

def routes_t(r: CaseResult, mineral: str, year: int) -> dict[tuple[str, str], float]:
    """(mining country, refining country) -> tonnes of ``mineral`` bought in ``year``; a tonne counts once."""
    d, out = r.case.data, {}
    for (s_id, y), t in r.plan.buy_t.items():
        s = d.suppliers[s_id]
        if y == year and s.mineral_id == mineral and t > 1e-3:
            key = (s.origin_country, s.processing_country)
            out[key] = out.get(key, 0.0) + t
    return out


# ---- what if a supplier stops -------------------------------------------------------------------

@dataclass(frozen=True)
class Disruption:
    """An event of the Disruptions sheet at the start year that costs the strategy most."""

    event: str
    plan: Outcome  # the strategy's plan hit by it
    no_policy: Outcome | None  # the no-policy plan hit by the same scenario

    @property
    def saved_usd(self) -> float | None:
        """What the strategy's plan (its stock, lines and suppliers together) saves in this event."""
        return None if self.no_policy is None else self.no_policy.cost_usd - self.plan.cost_usd


def disruptions(b: Brief) -> list[Disruption]:
    """Each event once, at its costliest start year for the strategy, costliest first."""
    tested = b.strategy.stress
    if tested is None:
        return []
    other = b.no_policy.stress
    by_name = {o.scenario.name: o for o in other.outcomes} if other else {}
    worst: dict[str, Outcome] = {}
    for o in tested.outcomes:
        if o.scenario.event not in worst or o.cost_usd > worst[o.scenario.event].cost_usd:
            worst[o.scenario.event] = o
    return sorted((Disruption(e, o, by_name.get(o.scenario.name)) for e, o in worst.items()),
                  key=lambda x: -x.plan.cost_usd)
