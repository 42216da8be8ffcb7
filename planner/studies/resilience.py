"""Resilience: plans decided before a disruption, tested against it, and hedged for it.

``stress`` takes the least-cost plan, holds its first stage (contracts, volumes, recycling,
stock path, agreements and lines) and lets every disruption of the Disruptions sheet hit it:
each scenario's recourse (spot, extra recycling, stock, agreement calls, unmet demand) is the
cheapest way through, and what it costs is that scenario's cost C_ω.  ``hedge`` decides the first
stage against all of them at once (``models.disruption``): expected cost, plus CVaR if asked.
``study`` adds what a planner needs to judge the hedge: the value of the stochastic solution
(VSS), the expected value of perfect information (EVPI), the value of each agreement, what the
hedged plan buys differently and which workbook limits it presses against.

VSS, EVPI and the agreement values are risk-neutral (expected cost) figures, computed mineral by
mineral: the risk-neutral model has no row linking two minerals, so it is the sum of its
minerals' models, and each small model solves in a fraction of the whole one's time.  Every
figure from an optimisation comes with its proven range (objective and bound); a difference
whose range holds 0 is not significant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models.dataset import DAYS_PER_YEAR, POOLS, DisruptionScenario, PlanningData
from models.plan import INFEASIBLE, Plan, SolveStats
from models.solve import BlockRun, Session, SolveOptions
from planner.studies.jobs import run_jobs
from planner.verify import Evaluation, cvar_usd, shortage_cost_usd, value_at_risk_usd, verify

if TYPE_CHECKING:
    import pyomo.core as pyo

# Hedging moves costs of a few thousand USD on a plan of billions: solve to 1e-7 (or the
# tighter gap asked for) so those differences are proven.  HiGHS takes no longer for it on the
# default case (2.9 s at 1e-7, 3.1 s at 1e-6).
HEDGED_GAP = 1e-7
USED_T = 1e-3  # 1 kg: below it a tonnage is solver round-off
ROUND_OFF_USD = 0.01  # a cent: below it a difference of costs of millions is floating-point round-off
MEAN = "expected_disruption"  # the one scenario of the expected-value problem
# Above this many scenarios VSS, EVPI and the agreement values are not computed: EVPI alone solves
# one model per scenario and mineral hit (--sample 1000 on the default case: about 2,000 MIPs).
VALUES_MAX_SCENARIOS = 60
# A scenario less likely than this weighs its recourse at p x 1e-6 x USD, near HiGHS's dual tolerance (1e-10):
# DR Congo's cobalt halt at 1e-10 took a recourse of USD 2,090 M where its least is 89.7 M (and 89.9 M at 1e-7).
TINY_WEIGHT = 1e-5


class NoPlan(Exception):
    """A study could not get a plan it needs (infeasible case, time limit)."""

    def __init__(self, what: str, plan: Plan):
        super().__init__(f"{what}: {plan.stats.status} ({plan.stats.termination})")
        self.what, self.plan = what, plan

    def __reduce__(self):  # raised in a worker process, it must cross back whole
        return NoPlan, (self.what, self.plan)


@dataclass(frozen=True)
class Range:
    """A figure known to lie in [low, high], and the value of the plans found."""

    value: float
    low: float
    high: float

    @property
    def significant(self) -> bool:
        """False when the proven range holds 0 (to a cent: exact evaluations differ by round-off):
        the figure may be nothing but the solver's gap."""
        return self.low > ROUND_OFF_USD or self.high < -ROUND_OFF_USD

    def __sub__(self, other: Range) -> Range:
        return Range(self.value - other.value, self.low - other.high, self.high - other.low)


def _optimum(plan: Plan) -> Range:
    st = plan.stats
    bound = st.bound_usd if st.bound_usd is not None else st.objective_usd
    return Range(st.objective_usd, min(bound, st.objective_usd), st.objective_usd)


def _exact(value: float) -> Range:
    return Range(value, value, value)


@dataclass
class Cover:
    """How one mineral's lost tonnes were covered in one scenario."""

    mineral_id: str
    crisis_years: list[int]
    lost_t: float
    lost_days: float  # the lost tonnes in days of the crisis years' demand
    spot_t: float
    recycling_t: float
    stock_t: float
    agreements_t: float
    unmet_t: float
    rebuilt_year: int | None  # the stock and every call are back by then (rebuild_years); None: after T
    drew_stock: bool  # stock or agreements were drawn (there is something to rebuild)

    @property
    def days_to_rebuild(self) -> float | None:
        """Days from the end of the crisis until the stock is back (Settings rebuild_years; the
        model is yearly: whole years)."""
        if not self.drew_stock:
            return 0.0
        return None if self.rebuilt_year is None else DAYS_PER_YEAR * (self.rebuilt_year - self.crisis_years[-1])


@dataclass
class Outcome:
    scenario: DisruptionScenario
    cost_usd: float  # C_ω, present value, verified
    covers: list[Cover]


@dataclass
class Tested:
    """A first stage tested against every disruption; all money is present value, verified."""

    label: str
    plan: Plan  # the first stage and its recourse
    evaluation: Evaluation
    outcomes: list[Outcome]
    decided: Range  # the objective the first stage was decided for, as proven (objective, bound)
    decided_by: SolveStats  # the solve that decided the first stage: its status, objective, bound, gap
    weight: float  # CVaR weight λ
    level: float  # CVaR level α

    @property
    def first_stage_usd(self) -> float:
        return self.evaluation.total_usd

    @property
    def expected_recourse_usd(self) -> float:
        return self.evaluation.expected_recourse_usd

    @property
    def expected_total_usd(self) -> float:
        return self.first_stage_usd + self.expected_recourse_usd

    def expected_total_by_mineral_usd(self, m: str) -> float:
        """Mineral ``m``'s part of the expected cost: its first stage and its expected disruption cost."""
        return self.evaluation.costs_by_mineral_usd[m] + self.evaluation.expected_recourse_by_mineral_usd[m]

    @property
    def cvar_usd(self) -> float:
        """CVaR at α of the disruption cost, the no-disruption outcome (cost 0) included."""
        return cvar_usd([(o.cost_usd, o.scenario.probability) for o in self.outcomes], self.level)

    @property
    def worst(self) -> Outcome | None:
        return max(self.outcomes, key=lambda o: o.cost_usd, default=None)


@dataclass
class Difference:
    """One first-stage decision the hedged plan takes differently from the least-cost plan."""

    what: str  # stock, line, purchases, contract, recycling modules, refining modules
    item: str  # mineral, agreement, supplier, or owner of modules (recycling option, stream plant, refinery)
    year: int
    least_cost: float
    hedged: float
    unit: str
    # Why, in numbers: of the ``hit`` disruptions of ``mineral``, the ``used`` that draw this stock, call this
    # line or run these modules in ``year`` (purchases: that stop this supplier in ``year``), and the expected
    # tonnes that year; cover used in no crisis of ``year`` counts ``later``, the disruptions that use it after.
    mineral: str  # minerals a stream plant recycles joined by '+'
    used: int
    hit: int
    expected_t: float | None = None
    # A cut, which ``used`` does not explain: what the hedged plan has more of in the same mineral(s) and year,
    # by (what, item) as above, in tonnes more.  A cut of cover (stock, line) takes the other cover held (an
    # agreement's line for a stock's cut, the mineral's stock for a line's cut); a cut of purchases or modules,
    # the tonnes bought from other suppliers.
    instead: dict[tuple[str, str], float] = field(default_factory=dict)
    later: int = 0


@dataclass
class Binding:
    """A workbook limit a plan's first stage sits at."""

    what: str
    item: str
    years: list[int]
    limit: float
    unit: str
    cell: str
    least_cost_too: bool


@dataclass
class MineralValues:
    """The risk-neutral figures of one mineral (USD present value, proven ranges)."""

    mineral_id: str
    least_cost: Range  # F_m: its deterministic optimum
    hedged: Range  # RP_m: the expected cost of the hedged plan presented
    expected_value_plan: Range  # EEV_m: the mean-scenario plan's expected cost (an evaluation: exact)
    wait_and_see: Range  # WS_m
    # agreement -> RP without it - RP; None: the Policy cannot be met without it (proven infeasible)
    agreements: dict[str, Range | None] = field(default_factory=dict)

    @property
    def vss(self) -> Range:
        return self.expected_value_plan - self.hedged

    @property
    def evpi(self) -> Range:
        return self.hedged - self.wait_and_see


@dataclass
class Resilience:
    least_cost: Tested
    hedged: Tested
    minerals: list[MineralValues] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    binding: list[Binding] = field(default_factory=list)
    # VSS, EVPI and the agreement values not computed: more scenarios than VALUES_MAX_SCENARIOS.
    values_skipped: bool = False
    # The agreement values are the embedded engine's, not the presented plan's (another engine decided it).
    agreements_by_embedded: bool = False

    @property
    def value_of_hedging(self) -> Range:
        """What the hedged plan saves on the hedged objective against the least-cost plan tested the same way."""
        return _exact(hedged_objective_usd(self.least_cost)) - self.hedged.decided

    @property
    def vss(self) -> Range:
        return _total(m.vss for m in self.minerals)

    @property
    def evpi(self) -> Range:
        return _total(m.evpi for m in self.minerals)

    def agreement_value(self, agreement_id: str) -> Range | None:
        return next((m.agreements[agreement_id] for m in self.minerals if agreement_id in m.agreements), None)


def _total(ranges) -> Range:
    ranges = list(ranges)
    return Range(sum(r.value for r in ranges), sum(r.low for r in ranges), sum(r.high for r in ranges))


def hedged_objective_usd(t: Tested) -> float:
    """The hedged objective of a tested plan: F + (1 - λ) E[C] + λ CVaR."""
    return t.first_stage_usd + (1 - t.weight) * t.expected_recourse_usd + t.weight * t.cvar_usd


def hedged_options(opts: SolveOptions) -> SolveOptions:
    return dataclasses.replace(opts, mip_gap=min(opts.mip_gap, HEDGED_GAP))


def _solved(session: Session, opts: SolveOptions, what: str, start: dict | None = None) -> Plan:
    return _solved_plan(session.solve(opts, shadow_prices=False, start=start), what)


def _solved_plan(plan: Plan, what: str) -> Plan:
    if not plan.has_solution:
        raise NoPlan(what, plan)
    return plan


def test_plan(d: PlanningData, first_stage: pyo.ConcreteModel, plan: Plan, opts: SolveOptions, label: str,
              proven: dict[bytes, BlockRun] | None = None, session: Session | None = None) -> Tested:
    """Hold the first stage whose values ``first_stage`` holds (a model of ``d`` from ``build_model``:
    the solved model of ``plan``, or one another engine's values were loaded into) and let every
    disruption hit it; verify the plan with its recourse.  ``session``: the hedged model of ``d``, if
    one is built (``Session.held_at`` leaves it as it is), else one is built.  A scenario with no weight in
    ``d``'s objective would take any recourse the plan allows: the plan is then held in
    ``weighing_every_scenario(d)``, which prices each scenario at its least recourse, an optimum of
    ``d``'s objective too (expected cost and CVaR never fall as one scenario's cost rises)."""
    held = weighing_every_scenario(d)
    if held is not d:
        session = Session(held, hedged=True, proven=proven)
    session = session or Session(d, hedged=True, proven=proven)
    tested = _solved(session.held_at(first_stage), opts, f"the recourse of the {label}")
    return _tested(d, tested, label, plan, held)


def weighing_every_scenario(d: PlanningData) -> PlanningData:
    """``d`` itself unless a scenario may have no weight in its objective (probability 0, or, at
    cvar_weight 1, any scenario below the tail), or one too small for HiGHS to tell its recourse apart
    (``TINY_WEIGHT``), else ``d`` risk-neutral with every scenario equally likely: a held first stage's
    recourse is then each scenario's least."""
    alike_p = 1 / max(len(d.disruptions), 1)
    if d.settings.cvar_weight < 1 and all(sc.probability > 0 for sc in d.disruptions) and not any(
            sc.probability < min(TINY_WEIGHT, alike_p / 2) for sc in d.disruptions):
        return d
    alike = tuple(dataclasses.replace(sc, probability=1 / len(d.disruptions)) for sc in d.disruptions)
    return dataclasses.replace(d, disruptions=alike, settings=dataclasses.replace(d.settings, cvar_weight=0.0))


def tested_plan(d: PlanningData, plan: Plan, label: str) -> Tested:
    """A solved hedged plan verified and tested: its outcomes, with the range its solve proved."""
    return _tested(d, plan, label, plan)


def _tested(d: PlanningData, plan: Plan, label: str, decided: Plan, held: PlanningData | None = None) -> Tested:
    """``plan`` (a first stage and its recourse) verified and tested; ``decided``: the plan that decided
    the first stage; ``held``: the case whose objective the recourse was solved for, if not ``d``: the
    plan is verified against it, objective included, and then evaluated for ``d`` (every rule again;
    the solver's objective, under the other probabilities, is not ``d``'s)."""
    if held is not None and held is not d:
        costs = verify(held, plan).scenario_cost_usd
        # the value at risk η of d's own probabilities, which the held case does not have
        eta = value_at_risk_usd([(costs[sc.name], sc.probability) for sc in d.disruptions], d.settings.cvar_level)
        ev = verify(d, dataclasses.replace(plan, stats=dataclasses.replace(plan.stats, objective_usd=None),
                                           recourse=dataclasses.replace(plan.recourse, var_usd=eta)))
    else:
        ev = verify(d, plan)
    by_scenario = recourse_by_scenario(plan)
    outcomes = [Outcome(sc, ev.scenario_cost_usd[sc.name], covers(d, plan, sc, by_scenario.get(sc.name, {})))
                for sc in d.disruptions]
    return Tested(label, plan, ev, outcomes, _optimum(decided), decided.stats, d.settings.cvar_weight,
                  d.settings.cvar_level)


def stress(d: PlanningData, opts: SolveOptions, proven: dict[bytes, BlockRun] | None = None) -> Tested:
    """The least-cost plan, then every disruption hits it."""
    session = Session(d, proven=proven)
    plan = _solved(session, opts, "the least-cost plan")
    return test_plan(d, session.model, plan, opts, "least-cost plan", proven)


def hedge(d: PlanningData, opts: SolveOptions, proven: dict[bytes, BlockRun] | None = None) -> Tested:
    """The plan decided against every disruption at once (expected cost, plus CVaR if weighted)."""
    session = Session(d, hedged=True, proven=proven)
    return _tested_hedged(d, session, _solved(session, opts, "the hedged plan"), opts, proven)


def _tested_hedged(d: PlanningData, session: Session, plan: Plan, opts: SolveOptions,
                   proven: dict[bytes, BlockRun] | None) -> Tested:
    """The hedged plan of ``session`` tested: its own recourse, or, where a scenario of probability 0 (or below
    ``TINY_WEIGHT``) took any recourse the plan allows (``weighing_every_scenario``), its first stage held and
    tested again."""
    if weighing_every_scenario(d) is d:
        return tested_plan(d, plan, "hedged plan")
    return test_plan(d, session.model, plan, opts, "hedged plan", proven)


def both_plans(d: PlanningData, opts: SolveOptions, proven: dict[bytes, BlockRun] | None = None,
               progress: Callable[[str], None] = lambda step: None) -> tuple[Tested, Tested]:
    """(``stress``, ``hedge``) in one hedged model: the least-cost plan first, the hedged plan's solve starting
    from its whole numbers (1,000 sampled draws of the default case: 41 s against 65 s from nothing, the same
    optimum), and the least-cost plan's first stage held in the same model (``Session.held_at``), solved and
    verified while HiGHS is on the hedged model's largest block, on the core its other blocks have left (1.7 s
    of the 1,000 draws' 30 s had come after it)."""
    progress("the least-cost plan")
    least_session = Session(d, proven=proven)
    least = _solved(least_session, opts, "the least-cost plan")
    session = Session(d, hedged=True, proven=proven)
    if weighing_every_scenario(d) is not d:
        # ``test_plan`` builds a model of its own: not while HiGHS runs, where a stop would wait for the build.
        progress("the hedged plan, from the least-cost plan's whole numbers")
        hedged = _tested_hedged(d, session, _solved(session, opts, "the hedged plan", least.whole_numbers), opts, proven)
        progress("every disruption against the least-cost plan")
        return test_plan(d, least_session.model, least, opts, "least-cost plan", proven), hedged
    stressed: list = []  # the least-cost plan tested, or what stopped it

    def stress() -> None:
        try:
            stressed.append(test_plan(d, least_session.model, least, dataclasses.replace(opts, threads=1),
                                      "least-cost plan", proven, session))
        except BaseException as e:  # raised in the caller's thread, after the hedged plan's own outcome
            stressed.append(e)

    progress("the hedged plan, from the least-cost plan's whole numbers, and every disruption against the "
             "least-cost plan")
    hedged = _solved_plan(session.solve(opts, shadow_prices=False, start=least.whole_numbers, meanwhile=stress),
                          "the hedged plan")
    if isinstance(stressed[0], BaseException):
        raise stressed[0]
    return stressed[0], tested_plan(d, hedged, "hedged plan")


def study(d: PlanningData, opts: SolveOptions, jobs: int = 1,
          progress: Callable[[str], None] = lambda step: None, hedge_with: Callable[..., Tested] | None = None
          ) -> Resilience | None:
    """Both plans tested, and the figures that judge the hedge (see the module docstring), solved
    ``jobs`` at a time.  ``hedge_with(d, opts, proven)`` decides the hedged plan in place of ``hedge``
    (mpi-sppy: ``planner.studies.scale_out``); it must return the plan tested and verified, with
    the range its engine proves.  None if a stop ended the run."""
    _new_study()
    opts = hedged_options(opts)
    values = len(d.disruptions) <= VALUES_MAX_SCENARIOS
    per_job = dataclasses.replace(opts, threads=max(1, opts.threads // max(1, jobs)))
    neutral = dataclasses.replace(d, settings=dataclasses.replace(d.settings, cvar_weight=0.0))
    groups = [neutral.restricted_to(g) for g in d.mineral_groups] if values else []
    names = ["+".join(g) for g in d.mineral_groups]
    plans: dict[str, Tested] = {}
    proven: dict[bytes, BlockRun] = {}
    # (group, "base") -> _Base; (group, "foreseen", scenario) and (group, "without", agreement) -> the optimum
    found: dict[tuple, object] = {}
    left = {m: 1 + len(_hit(g)) for g, m in zip(groups, names)}  # jobs of each group not done yet

    def base_jobs() -> list:
        """A group's least-cost, hedged and expected-value plans, once both whole plans are known: the
        group's least-cost and (risk-neutral) hedged blocks are theirs, and are not solved again."""
        known = proven if d.settings.cvar_weight == 0 else {}
        # Another engine's plan is not this process's optimum: VSS and EVPI are taken for the plan
        # presented (its expected cost per mineral, as verified).
        presented = {m: sum(plans["hedged"].expected_total_by_mineral_usd(x) for x in g.minerals)
                     for g, m in zip(groups, names)} if hedge_with else {}
        return [(_base_values, (g, m, per_job, presented.get(m), known)) for g, m in zip(groups, names)]

    def foreseen_jobs() -> list:
        """Each scenario foreseen, starting from the least-cost plan's whole numbers (as fast as from the
        hedged plan's, 0.39-0.41 s a battery-group scenario, and known first); the groups with the most
        scenarios first, so that no worker is left with a long one at the end."""
        start = plans["least"].plan.whole_numbers
        return sorted(((_foreseen, (g, m, sc, per_job, start)) for g, m in zip(groups, names) for sc in _hit(g)),
                      key=lambda item: -len(_hit(item[1][0])))

    def on_done(result: tuple[tuple, object]) -> None:
        key, value = result
        if key[0] in WHOLE:
            plans[WHOLE[key[0]]], more = value
            proven.update(more)
            return
        m = key[0]
        found[key] = value
        left[m] += len(value.used) if key[1] == "base" else 0
        left[m] -= 1
        if not left[m]:
            progress(f"values of {m}: VSS, EVPI, agreements")

    def then(result: tuple[tuple, object]) -> list:
        key, value = result
        if key[0] in WHOLE:
            return [*(base_jobs() if len(plans) == 2 else []), *(foreseen_jobs() if key[0] == "least-cost plan" else [])]
        if key[1] == "base":  # a group's base: an agreement its hedged optimum uses is worth a solve without it
            m = key[0]
            return [(_without, (groups[names.index(m)], m, a, per_job, value.start)) for a in value.used]
        return []

    # Every solve is a job of its own, so the groups with the most scenarios do not hold the run to
    # one core: each scenario foreseen follows the least-cost plan (it starts from its whole numbers), a
    # group's plans follow both whole plans, and each agreement left out its group's hedged plan.
    if hedge_with:
        progress("the least-cost plan, then every disruption")
        plans["least"] = stress(d, opts, proven)
        progress("the hedged plan")
        plans["hedged"] = hedge_with(d, opts, proven)
        items = [*base_jobs(), *foreseen_jobs()] if values else []
    elif not values:
        plans["least"], plans["hedged"] = both_plans(d, opts, proven, progress)
        items = []
    else:
        progress(f"the least-cost and the hedged plans, each tested against every disruption, and the values, "
                 f"{max(1, jobs)} at a time")
        items = [(_whole_plan, (d, "least-cost plan", per_job)), (_whole_plan, (d, "hedged plan", per_job))]
    _done, stopped = run_jobs(_values_job, items, jobs, on_done, then)
    if stopped:
        return None
    out = Resilience(plans["least"], plans["hedged"])
    out.differences = differences(d, out.least_cost, out.hedged)
    out.binding = binding(d, out.least_cost.plan, out.hedged.plan)
    if not values:
        out.values_skipped = True
        return out
    if hedge_with and d.agreements:
        # An agreement's value needs the plan re-decided without it, which only the embedded engine
        # does here, so those are its figures, and say so.
        out.agreements_by_embedded = True
    out.minerals = [found[m, "base"].values(g, found) for g, m in zip(groups, names)]
    return out


def _values_job(item):
    work, args = item
    return work(*args)


WHOLE = {"least-cost plan": "least", "hedged plan": "hedged"}


def _whole_plan(d: PlanningData, which: str, opts: SolveOptions):
    """((which,), (tested plan, the blocks its solves proved)): the least-cost plan (``stress``) or the
    hedged plan (``hedge``) of the whole case (``which``: a key of WHOLE)."""
    proven: dict[bytes, BlockRun] = {}
    return (which,), ((stress if which == "least-cost plan" else hedge)(d, opts, proven), proven)


def _hit(d: PlanningData) -> list[DisruptionScenario]:
    """The scenarios that take tonnes of some mineral of ``d``."""
    return [sc for sc in d.disruptions if any(sc_years(sc, x, d) for x in d.minerals)]


@dataclass
class _Base:
    """A group's figures that need no scenario foreseen and no agreement left out."""

    m: str
    least: Range
    rp: Range
    optimum: Range  # the optimum of the group's hedged model (RP unless another engine decided the plan)
    eev: Range
    agreements: dict[str, Range]  # those the hedged optimum does without
    used: list[str]  # those it uses: each needs a solve without it (``_without``)
    start: dict[str, dict[tuple, int]]  # the hedged optimum's whole numbers, where related solves start

    def values(self, d: PlanningData, found: dict[tuple, Range | None]) -> MineralValues:
        """The group's figures, with ``found``: the optimum with each scenario of ``d`` foreseen and
        without each agreement used (None: infeasible without it)."""
        hit = _hit(d)
        calm = 1 - sum(sc.probability for sc in hit)
        ws_value, ws_low, ws_high = calm * self.least.value, calm * self.least.low, calm * self.least.high
        for sc in hit:
            r = found[self.m, "foreseen", sc.name]
            ws_value += sc.probability * r.value
            ws_low += sc.probability * r.low
            ws_high += sc.probability * r.high
        ws = Range(ws_value, ws_low, ws_high) if hit else self.optimum
        without = {a: found[self.m, "without", a] for a in self.used}
        agreements = {**self.agreements, **{a: None if r is None else r - self.optimum for a, r in without.items()}}
        return MineralValues(self.m, self.least, self.rp, self.eev, ws,
                             {a: agreements[a] for a in d.agreements})


def _base_values(d: PlanningData, m: str, opts: SolveOptions, presented_usd: float | None,
                 proven: dict[bytes, BlockRun]) -> tuple[tuple[str, str], _Base]:
    """The least-cost, hedged and mean-scenario figures of ``m``'s case ``d``, and which agreements its
    hedged optimum uses.  The solves of the group's other plans start from the hedged optimum's whole
    numbers (``Session.solve``; HiGHS completes them)."""
    proven = dict(proven)
    least = _optimum(_solved(Session(d, proven=proven), opts, f"the least-cost plan of {m}"))
    hedged = Session(d, hedged=True, proven=proven)
    optimum_plan = _solved(hedged, opts, f"the hedged plan of {m}")
    optimum = _optimum(optimum_plan)
    rp = optimum if presented_usd is None else _exact(presented_usd)
    if not _hit(d):  # nothing can happen to it: the other figures are the least-cost plan's
        return (m, "base"), _Base(m, least, rp, optimum, optimum, {a: _exact(0.0) for a in d.agreements}, [],
                                  optimum_plan.whole_numbers)
    mean_case = dataclasses.replace(d, disruptions=(mean_disruption(d),))
    ev_session = Session(mean_case, hedged=True, proven=proven)
    ev_plan = _solved(ev_session, opts, f"the expected-value plan of {m}", optimum_plan.whole_numbers)
    eev = test_plan(d, ev_session.model, ev_plan, opts, "expected-value plan", proven, hedged)
    unused, used = {}, []
    for a in d.agreements:
        if any(v > 0 for (k, _y), v in (*optimum_plan.join.items(), *optimum_plan.line_t.items()) if k == a):
            used.append(a)
        else:
            # The hedged optimum neither joins it nor holds a line: that plan is feasible without it, so
            # the optimum without it lies in [bound, RP] and its value in [0, RP - bound], no solve needed.
            unused[a] = Range(0.0, 0.0, optimum.high - optimum.low)
    return (m, "base"), _Base(m, least, rp, optimum, _exact(eev.expected_total_usd), unused, used,
                              optimum_plan.whole_numbers)


def _foreseen(d: PlanningData, m: str, sc: DisruptionScenario, opts: SolveOptions,
              start: dict | None = None) -> tuple[tuple, Range]:
    """The optimum of ``m``'s case ``d`` when ``sc`` is certain (a wait-and-see problem), its solve
    starting from the whole numbers ``start`` (``Session.solve``): cut from the group's hedged model
    (``Session.wait_and_see``), built once in this process for all of the group's scenarios."""
    problem = _hedged_model(d, m).wait_and_see(sc.name)
    return (m, "foreseen", sc.name), _optimum(_solved(problem, opts, f"{sc.name} foreseen, {m}", start))


# One slot: (the group's name, its hedged model) of the group last met; the jobs come group by group.
# Within one study a name is one case (a digest of the case would pickle it for every job); each study
# empties the slot (``_new_study``), as the next study, of another workbook, may hold a group of the same name.
_hedged_slot: tuple[str, Session] | None = None


def _new_study() -> None:
    """Forget the hedged model of the study before (the workers a study starts inherit this, or
    start empty)."""
    global _hedged_slot
    _hedged_slot = None


def _hedged_model(d: PlanningData, m: str) -> Session:
    """The hedged model of group ``m``'s risk-neutral case ``d`` in this study, kept for the group's
    next wait-and-see problem (a worker meets each group's case once per scenario)."""
    global _hedged_slot
    if _hedged_slot is None or _hedged_slot[0] != m:
        _hedged_slot = (m, Session(d, hedged=True))
    return _hedged_slot[1]


def _without(d: PlanningData, m: str, a: str, opts: SolveOptions, start: dict | None = None
             ) -> tuple[tuple, Range | None]:
    """The hedged optimum of ``m``'s case ``d`` without agreement ``a`` (its solve starting from the whole
    numbers ``start``); None when the Policy cannot be met without it (proven infeasible: its line is
    part of the cover the Policy asks for)."""
    less = dataclasses.replace(d, agreements={k: v for k, v in d.agreements.items() if k != a})
    plan = Session(less, hedged=True).solve(opts, shadow_prices=False, start=start)
    if plan.stats.status == INFEASIBLE:
        return (m, "without", a), None
    return (m, "without", a), _optimum(_solved_plan(plan, f"the hedged plan of {m} without {a}"))


def mineral_values(d: PlanningData, m: str, opts: SolveOptions, presented_usd: float | None = None,
                   proven: dict[bytes, BlockRun] | None = None) -> MineralValues:
    """Risk-neutral least-cost, hedged, mean-scenario and wait-and-see figures of one mineral's (or one
    group's, ``m`` then naming its minerals joined by +) case ``d`` (``PlanningData.restricted_to``), and
    the value of each of its agreements, one solve after the other (``study`` shares them out among
    workers).  The hedged figure RP is the optimum of the mineral's hedged model, or ``presented_usd``,
    the expected cost of the plan a report presents when another engine decided it.  ``proven``:
    blocks already solved (by the whole case's plans)."""
    _new_study()
    _key, base = _base_values(d, m, opts, presented_usd, proven or {})
    found = dict((*(_foreseen(d, m, sc, opts, base.start) for sc in _hit(d)),
                  *(_without(d, m, a, opts, base.start) for a in base.used)))
    return base.values(d, found)


def mean_disruption(d: PlanningData) -> DisruptionScenario:
    """The expected-value problem's one scenario, certain: each option loses its expected share
    Σ p_ω l_ω in each year, at the expected spot multiplier 1 + Σ p_ω (μ_ω - 1); partners hit in
    some scenarios are taken as not hit (an average cannot hit a partner in part)."""
    loss: dict[tuple[str, int], float] = {}
    spot: dict[tuple[str, int], float] = {}
    for sc in d.disruptions:
        for k, lost in sc.loss.items():
            loss[k] = loss.get(k, 0.0) + sc.probability * lost
        for k, x in sc.spot_multiplier.items():
            spot[k] = spot.get(k, 1.0) + sc.probability * (x - 1.0)
    return DisruptionScenario(MEAN, MEAN, 1.0, loss, spot)


# ---- what a plan does in each scenario ----------------------------------------------------

REPLACING = (("spot_t", 0), ("crisis_recycled_t", 0), ("crisis_release_t", 0), ("call_t", 1), ("unmet_t", 0))


def recourse_by_scenario(plan: Plan) -> dict[str, dict[str, dict[tuple, float]]]:
    """scenario -> recourse family -> its values in that scenario (one pass over the plan's
    recourse, so covering a thousand scenarios does not scan every scenario's values each time)."""
    out: dict[str, dict[str, dict[tuple, float]]] = {}
    for family, _lost_at in REPLACING:
        for k, t in getattr(plan.recourse, family).items():
            out.setdefault(k[-1], {}).setdefault(family, {})[k] = t
    return out


def covers(d: PlanningData, plan: Plan, sc: DisruptionScenario,
           recourse: dict[str, dict[tuple, float]]) -> list[Cover]:
    """Per mineral hit in ``sc``: the tonnes lost and what covered them, from the verified plan
    (``recourse``: the scenario's part of ``recourse_by_scenario``)."""
    lost_by: dict[str, dict[int, float]] = {}
    for (s, y), share in sc.loss.items():
        t = share * plan.buy_t.get((s, y), 0.0)
        if t > 0:
            m = d.suppliers[s].mineral_id
            lost_by.setdefault(m, {})[y] = lost_by.get(m, {}).get(y, 0.0) + t
    replacing: dict[tuple[str, str], float] = {}  # (family, mineral) -> tonnes
    for family, lost_at in REPLACING:
        for k, t in recourse.get(family, {}).items():
            key = family, d.suppliers[k[lost_at]].mineral_id
            replacing[key] = replacing.get(key, 0.0) + t
    out = []
    for m, lost in sorted(lost_by.items()):
        years = sorted(y for y in sc_years(sc, m, d))
        spot, rec, stock, calls, unmet = (replacing.get((family, m), 0.0) for family, _ in REPLACING)
        days = sum(t / d.demand_t[m, y] * DAYS_PER_YEAR for y, t in lost.items() if d.demand_t.get((m, y), 0) > 0)
        back = years[-1] + d.settings.rebuild_years
        out.append(Cover(m, years, sum(lost.values()), days, spot, rec, stock, calls, unmet,
                         back if back <= d.settings.last_year else None, stock + calls > USED_T))
    return out


def sc_years(sc: DisruptionScenario, m: str, d: PlanningData) -> set[int]:
    """The years ``sc`` takes tonnes of mineral ``m`` from an option that delivers then."""
    return {y for (s, y), share in sc.loss.items() if share > 0 and d.suppliers[s].mineral_id == m
            and y in d.years and d.suppliers[s].available(y)}


# ---- what protection buys --------------------------------------------------------------------

# The ways a lost tonne is replaced (the recourse family, where in its key the lost option is).
PROTECTIONS = {"stock": ("crisis_release_t", 0), "lines": ("call_t", 1), "spot": ("spot_t", 0),
               "recycling": ("crisis_recycled_t", 0)}


@dataclass
class Protection:
    """What one mineral's protection buys against the disruptions, in expectation (present value).

    In each crisis year of a scenario, the tonnes lost L are replaced (stock, lines, spot from spare
    capacity, extra recycling) or left unmet U; left unmet, all of them would have cost f(L) on the
    shortage cost curve, and f(U) is what was lost.  The lost output avoided, f(L) - f(U), is shared
    among the ways of replacement in proportion to the tonnes each replaced: an attribution, not a
    plan solved without that protection (``planner stockpile`` solves those)."""

    mineral_id: str
    expected_lost_output_usd: float
    avoided_usd: dict[str, float]  # way of replacement -> expected lost output avoided
    stock_cost_usd: float  # the plan's stockpile cost of the mineral: holding and purchase premium
    lines_cost_usd: float  # its agreements' fees

    def per_usd(self, way: str) -> float | None:
        """Lost output avoided per USD the stock (or the lines) cost; None where they cost nothing."""
        cost = {"stock": self.stock_cost_usd, "lines": self.lines_cost_usd}[way]
        return self.avoided_usd[way] / cost if cost > 0 else None


def protection(d: PlanningData, t: Tested) -> dict[str, Protection]:
    """Per mineral a disruption hits, what its protection buys (``Protection``), from the verified plan."""
    replaced: dict[tuple[str, int, str], dict[str, float]] = {}  # (mineral, year, scenario) -> way -> t
    for way, (family, lost_at) in PROTECTIONS.items():
        for k, tonnes in getattr(t.plan.recourse, family).items():
            key = (d.suppliers[k[lost_at]].mineral_id, k[-2], k[-1])
            replaced.setdefault(key, dict.fromkeys(PROTECTIONS, 0.0))[way] += tonnes
    unmet: dict[tuple[str, int, str], float] = {}
    for (s, y, w), tonnes in t.plan.recourse.unmet_t.items():
        key = (d.suppliers[s].mineral_id, y, w)
        unmet[key] = unmet.get(key, 0.0) + tonnes
    p = {o.scenario.name: o.scenario.probability for o in t.outcomes}
    costs = t.evaluation.cost_parts_by_mineral_usd
    out: dict[str, Protection] = {}
    for key in sorted(replaced.keys() | unmet.keys()):
        m, y, w = key
        ways = replaced.get(key, dict.fromkeys(PROTECTIONS, 0.0))
        short = unmet.get(key, 0.0)
        covered = sum(ways.values())
        avoided = (shortage_cost_usd(d, m, y, covered + short) - shortage_cost_usd(d, m, y, short)) \
            * d.settings.discount_factor(y) * p[w]
        pr = out.setdefault(m, Protection(m, 0.0, dict.fromkeys(PROTECTIONS, 0.0), costs.get(("stockpile", m), 0.0),
                                          costs.get(("agreements", m), 0.0)))
        pr.expected_lost_output_usd += p[w] * d.settings.discount_factor(y) * shortage_cost_usd(d, m, y, short)
        for way, tonnes in ways.items():
            if covered > 0:
                pr.avoided_usd[way] += avoided * tonnes / covered
    return out


# ---- how the hedged plan differs, and why -------------------------------------------------

# What stands instead of a cut (``Difference.instead``): cover for cover, tonnes bought for tonnes bought or
# recycled or refined at home.
COVER = ("stock", "line")
BOUGHT = ("purchases",)


def differences(d: PlanningData, least: Tested, hedged: Tested) -> list[Difference]:
    a, b = least.plan, hedged.plan
    scen = {sc.name: sc for sc in d.disruptions}
    out: list[Difference] = []

    def tol(m: str, y: int) -> float:
        return max(USED_T, 1e-6 * d.demand_t.get((m, y), 0.0))

    def used(values: dict, match, y: int) -> tuple[int, float, int]:
        """The scenarios using a recourse in year ``y`` (a row's year: a crisis draws the stock held at the end of
        its year), its expected tonnes that year, and the scenarios using it only after ``y`` (cover held into
        later years); a recourse is keyed (..., year, scenario)."""
        per: dict[str, float] = {}
        after: set[str] = set()
        for k, t in values.items():
            if k[-2] >= y and match(k) and t > USED_T:
                if k[-2] == y:
                    per[k[-1]] = per.get(k[-1], 0.0) + t
                else:
                    after.add(k[-1])
        return len(per), sum(scen[w].probability * t for w, t in per.items()), len(after - per.keys())

    hit_by = {m: [sc for sc in d.disruptions if sc_years(sc, m, d)] for m in d.minerals}  # once, not per row

    # What the hedged plan has more of than the least-cost plan (negative: less), in tonnes, by (what, item,
    # mineral, year): each mineral's stock, each agreement's line, each supplier's purchases.
    rise = {("stock", m, m, y): sum(b.stock_t.get((m, p, y), 0.0) - a.stock_t.get((m, p, y), 0.0) for p in POOLS)
            for m in d.minerals for y in d.years}
    rise.update({("line", ag, d.agreements[ag].mineral_id, y): lb - a.line_t.get((ag, y), 0.0)
                 for (ag, y), lb in b.line_t.items()})
    rise.update({("purchases", s, d.suppliers[s].mineral_id, y): b.buy_t.get((s, y), 0.0) - a.buy_t.get((s, y), 0.0)
                 for s, y in b.buy_t.keys() | a.buy_t.keys()})

    ordered = sorted(rise.items())  # once, not per cut

    def rises(x: Difference, kinds: tuple[str, ...]) -> dict[tuple[str, str], float]:
        """What the hedged plan has more of than the least-cost plan in the year and mineral(s) of ``x``, a cut,
        of ``kinds``, other than ``x``'s own item."""
        minerals = x.mineral.split("+")
        return {(what, item): t for (what, item, m, y), t in ordered
                if y == x.year and m in minerals and what in kinds and (what, item) != (x.what, x.item)
                and t > tol(m, y)}

    def cut(x: Difference, kinds: tuple[str, ...]) -> Difference:
        """``x``, with what the hedged plan has more of instead where ``x`` is a cut."""
        if x.hedged < x.least_cost:
            x.instead = rises(x, kinds)
        return x

    for m in d.minerals:
        for y in d.years:
            sa = sum(a.stock_t.get((m, p, y), 0.0) for p in POOLS)
            sb = sum(b.stock_t.get((m, p, y), 0.0) for p in POOLS)
            if abs(sa - sb) > tol(m, y):
                n, expected, later = used(b.recourse.crisis_release_t, lambda k: d.suppliers[k[0]].mineral_id == m,
                                          y)
                out.append(cut(Difference("stock", m, y, sa, sb, "t", m, n, len(hit_by[m]), expected, later=later),
                               COVER))
    for (ag, y), lb in sorted(b.line_t.items()):
        la = a.line_t.get((ag, y), 0.0)
        m = d.agreements[ag].mineral_id
        if abs(la - lb) > tol(m, y):
            n, expected, later = used(b.recourse.call_t, lambda k: k[0] == ag, y)
            out.append(cut(Difference("line", ag, y, la, lb, "t", m, n, len(hit_by[m]), expected, later=later),
                           COVER))
    for (s, y), tb in sorted(b.buy_t.items()):
        ta = a.buy_t.get((s, y), 0.0)
        m = d.suppliers[s].mineral_id
        if abs(ta - tb) > tol(m, y):
            # A scenario's loss is by (supplier, year): one that stops the supplier in another year leaves
            # this year's tonnes whole.
            stopped = sum(1 for sc in hit_by[m] if sc.loss.get((s, y), 0.0) > 0)
            out.append(cut(Difference("purchases", s, y, ta, tb, "t", m, stopped, len(hit_by[m])), BOUGHT))
    for (o, y), nb in sorted(hedged.evaluation.modules_online.items()):
        na = least.evaluation.modules_online.get((o, y), 0)
        if na != nb:
            # A module owner: a recycling option of its own, a stream plant (several minerals, recycled
            # through its outputs) or a refinery.
            minerals = d.owner_minerals(o)
            hit = len({sc.name for m in minerals for sc in hit_by[m]})
            if o in d.refineries:
                out.append(cut(Difference("refining modules", o, y, na, nb, "modules", minerals[0], 0, hit), BOUGHT))
                continue
            outputs = {r.option_id for r in d.recycling.values() if d.owner_of(r) == o}
            n, expected, _later = used(b.recourse.crisis_recycled_t, lambda k: k[1] in outputs, y)
            out.append(cut(Difference("recycling modules", o, y, na, nb, "modules", "+".join(minerals), n, hit,
                                      expected), BOUGHT))
    return out


def binding(d: PlanningData, least: Plan, hedged: Plan) -> list[Binding]:
    """The workbook limits the hedged plan's first stage sits at: the largest stock, the largest
    line, an option's capacity, the most recycling modules."""
    found: dict[tuple[str, str], list[int]] = {}
    lc: dict[tuple[str, str], bool] = {}

    def at(value: float, limit: float) -> bool:
        return limit > 0 and value >= limit * (1 - 1e-6) - USED_T

    def mark(what: str, item: str, y: int, plan_value: float, least_value: float, limit: float) -> None:
        if at(plan_value, limit):
            found.setdefault((what, item), []).append(y)
            lc[what, item] = lc.get((what, item), True) and at(least_value, limit)

    for m, rule in d.stockpile.items():
        for y in d.years:
            mark("stock", m, y, sum(hedged.stock_t.get((m, p, y), 0.0) for p in POOLS),
                 sum(least.stock_t.get((m, p, y), 0.0) for p in POOLS), rule.max_stock_t)
    for (ag, y), t in hedged.line_t.items():
        mark("line", ag, y, t, least.line_t.get((ag, y), 0.0), d.agreements[ag].emergency_volume_t)
    for (s, y), t in hedged.buy_t.items():
        mark("purchases", s, y, t, least.buy_t.get((s, y), 0.0), d.capacity_t(d.suppliers[s], y))
    limits = {"stock": ("Stockpile", "max_stock_t", "t", lambda i: d.stockpile[i].max_stock_t),
              "line": ("Agreements", "emergency_volume_t", "t", lambda i: d.agreements[i].emergency_volume_t),
              "purchases": ("Suppliers", "capacity_t_per_yr", "t/yr",
                            lambda i: d.suppliers[i].capacity_t_per_yr)}
    out = []
    for (what, item), years in found.items():
        sheet, column, unit, limit = limits[what]
        out.append(Binding(what, item, years, limit(item), unit, d.cells.get((sheet, item, column), f"{sheet} "
                                                                                                      f"{column}"),
                           lc[what, item]))
    return sorted(out, key=lambda b: (b.least_cost_too, b.what, b.item))
