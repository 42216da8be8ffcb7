"""Which assumptions decide the plan: global sensitivity over the uncertain inputs (planner sensitivity).

The factors are the Uncertainty sheet's ranges and the default ranges of the estimates
(``planner.workbook.uncertainty``).  Every sample is the case read again with each factor's figures
edited by its value, solved in full (or hedged against the disruptions), verified, and measured:

1. the base case, then each factor alone at the low and the high end of its range (the tornado).
   A factor whose edit leaves every HiGHS model of the case as it was cannot move any output: it is
   set aside as not in the model (a WorldSupply share feeds only the indicators);
2. Morris elementary effects over the factors in the model: ``trajectories`` one-factor-at-a-time
   paths through a 4-level grid (SALib draws them); mu* is the mean absolute effect of moving a
   factor across its whole range, sigma how much that effect depends on the other factors;
3. with method sobol, Sobol' indices of the ``top`` factors (ranked by mu* on the headline outputs,
   each output's mu* divided by its largest), the others at their base value: first order S1 and
   total ST with 95% confidence intervals from N(k + 2) samples (Saltelli's scheme, SALib);
4. every decision that differs from the base plan in some sample, the factors that move it
   (Morris mu*) and, when the first of them flips it alone at an end of its range, the value at
   which it flips, by bisection between its base value and that end.

A stream plant's shared capacity links minerals into groups (``PlanningData.mineral_groups``;
``models.solve.Session`` checks that no HiGHS model spans two groups), so each group's case, most
of them one mineral, is solved alone (unless a hedged run's CVaR term links every mineral: the case
is then one part, ``ALL``), and a worker keeps every group's answer by a digest of its
data: a sample that edits lithium prices solves lithium alone.  This also keeps the study honest
where a mineral has no plan: a headline output is a sum over minerals, so the effect of a step that
edits lithium is lithium's change, whether gallium has a plan or not.  A sample
whose edited case breaks a workbook rule (invalid) or fails verification (error), and every
mineral without a plan (infeasible, or no plan within the time limit), is counted and reported;
each mineral's feasibility is an output of its own.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from models.dataset import PlanningData
from models.plan import FEASIBLE, INFEASIBLE, NO_SOLUTION, OPTIMAL, Plan
from models.solve import SolveOptions
from planner import stopping
from planner.studies import reasons
from planner.studies.jobs import run_jobs
from planner.workbook.errors import Issues
from planner.workbook.uncertainty import Factor, Note, edited

INVALID = "invalid"  # the edited case breaks a rule of the workbook
ERROR = "error"  # a plan failed independent verification: a bug
OK = (OPTIMAL, FEASIBLE)
NUM_LEVELS = 4  # Morris grid levels (SALib's default; a step moves a factor 2/3 of its range)
MORRIS_STEP = NUM_LEVELS / (2 * (NUM_LEVELS - 1))  # that move, 2/3, as SALib's grid makes it
# Whole Morris trajectories below which a stopped run ranks no input: the command's least --trajectories.
MIN_TRAJECTORIES = 2
CONF_LEVEL = 0.95
# Saltelli rows whose every sample has the output, below which Sobol' indices are not reported: with a
# handful of rows the estimators give any number (S1 of 4.1 from one row on the default case), and
# their bootstrap intervals, drawn from the same few rows, do not show it.
MIN_SOBOL_ROWS = 8
Z_95 = 1.959963984540054  # the normal quantile of a 95% interval (SALib's bootstrap interval of mu*)
BISECTIONS = 7  # a threshold is found to 1/128 of the span between the base value and the end
LINE_T = 1.0  # an agreement line of less than a tonne a year is no line held
CACHE_MAX = 50_000  # answers a worker keeps; beyond them it starts afresh
ALL = "all minerals"  # the one part of a case whose groups a constraint links (a CVaR term)

Point = tuple  # one value per factor; None: its figures as the workbook has them


@dataclass(frozen=True)
class Output:
    key: str  # total_cost_usd, china_share_2030, contract:li_kaz_kaz, feasible:gallium, feasible:neodymium+..., ...
    label: str  # plain words
    unit: str  # usd, share, days, years, modules, t, yes/no
    decision: str = ""  # feasible, contract, modules, line: a decision; "" for a headline output
    name: str = ""  # a decision's item in the workbook's words (the supply option's name), or its mineral group;
    # a China share's reliance basis (imports, consumption); the stock cover's years (2026-2035); "hedged" for the
    # hedged plan's expected cost


@dataclass
class Part:
    """One mineral group's plan in a sample (all minerals', when a constraint links the groups): its status,
    the digest of its data and the signature of its HiGHS models, and its measures (``_measures``)."""

    status: str
    key: bytes = b""  # digest of the part's data and the run's options: equal keys, equal parts
    signature: frozenset = frozenset()  # what HiGHS was given
    values: dict[str, float] = field(default_factory=dict)
    gap_usd: float = 0.0  # how much cheaper its best plan could be, proven
    why: reasons.Why | None = None  # why it has no plan
    minerals: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status in OK


@dataclass
class Sample:
    phase: str  # base, one at a time, Morris, Sobol', threshold
    index: int
    point: Point
    status: str  # the worst of its parts'
    outputs: dict[str, float] = field(default_factory=dict)  # totals when every part has a plan
    parts: dict[str, Part] = field(default_factory=dict)  # by mineral group ("nickel+cobalt"), or ALL
    why: reasons.Why | None = None  # an edited case that breaks a rule of the workbook: which
    in_model: bool = True  # its edit changes a HiGHS model of the case (one at a time)
    wall_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in OK

    @property
    def reasons(self) -> list[tuple[str | None, reasons.Why]]:
        """Why it has no plan: its edited case's broken rule (no group), or each group's without a plan."""
        if self.why is not None:
            return [(None, self.why)]
        return [(g, p.why) for g, p in self.parts.items() if not p.ok and p.why is not None]

    @property
    def gap_usd(self) -> float:
        return sum(p.gap_usd for p in self.parts.values())

    @property
    def minerals(self) -> int:
        return sum(len(p.minerals) for p in self.parts.values())

    def has_plan(self, group: str) -> bool | None:
        """Whether the mineral group ``group`` ("gallium", "neodymium+dysprosium+terbium") has a plan in
        this sample (None: not solved, the case was invalid)."""
        minerals = set(group.split("+"))
        part = next((p for p in self.parts.values() if minerals <= set(p.minerals)), None)
        return None if part is None else part.ok


@dataclass
class Context:
    """What every sample needs; sent with each job."""

    tables: dict[str, list]  # the parsed rows, with the ranges of no width applied
    factors: list[Factor]
    opts: SolveOptions
    hedged: bool = False
    strategy: bool = False  # also solve without any policy limit: the cost of the strategy
    minerals: tuple[str, ...] = ()  # only these minerals (-m); () for all
    outputs: tuple[Output, ...] = ()
    china_years: tuple[int, ...] = ()  # the years of the China share outputs
    by_mineral: bool = True  # no constraint links two mineral groups: each group is solved alone

    @property
    def base_point(self) -> Point:
        return (None,) * len(self.factors)

    def with_value(self, point: Point, i: int, x: float | None) -> Point:
        return point[:i] + (x,) + point[i + 1:]


# ---- the factors and the outputs -------------------------------------------------------------

@dataclass
class Prepared:
    ctx: Context
    fixed: list[Factor]  # Uncertainty rows of no width: their figures held at one value
    notes: list[Note]  # what was left out, and why

    @property
    def declared(self) -> int:
        return sum(1 for f in self.ctx.factors if f.cells)


def sheets_in_play(hedged: bool) -> tuple[str, ...]:
    """The sheets whose figures can move this run's plans: every sheet of the case, and the
    Disruptions sheet's events when the plan is hedged against them."""
    from planner.workbook import schema as S

    return tuple(n for n in S.UNCERTAIN_SHEETS if not S.SHEET_BY_NAME[n].study or (hedged and n == "Disruptions"))


def prepare(loaded, opts: SolveOptions, hedged: bool = False, strategy: bool = False, minerals: tuple[str, ...] = (),
            only_declared: bool = False) -> Prepared:
    """The factors of a study of ``loaded`` (a read workbook): the Uncertainty sheet's ranges and,
    unless ``only_declared``, the default ranges of the estimates; each is checked at both ends of
    its range by reading the case again, before any solve (an Uncertainty row that breaks a rule
    there is an InputError naming its cell; a default range that does is left out, with a note)."""
    from planner.workbook.errors import InputError
    from planner.workbook.uncertainty import default_factors

    play = sheets_in_play(hedged)
    notes: list[Note] = []
    if minerals:  # a stream plant's minerals share its capacity: they are solved together
        whole = tuple(dict.fromkeys(x for m in minerals for x in loaded.data.group_of(m)))
        if len(whole) > len(minerals):
            notes.append(Note("linked", {"also": [m for m in whole if m not in minerals], "minerals": list(minerals)}))
        minerals = whole
    declared, fixed = [], []
    for f in loaded.uncertainty:
        outside = sorted({t.sheet for t in f.targets} - set(play))
        if outside:
            notes.append(Note("not_in_run_hedged" if "Disruptions" in outside else "not_in_run",
                              {"factor": f, "where": f.where, "sheets": ", ".join(outside)}))
        elif f.fixed:
            fixed.append(f)
        else:
            declared.append(f)
    tables = edited(loaded.tables, [(f, f.low) for f in fixed])
    defaults: list[Factor] = []
    if not only_declared:
        defaults, left_out = default_factors(tables, loaded.uncertainty, play, group_names(loaded.data))
        notes += left_out
    factors = declared + defaults
    if minerals:  # a range on other minerals' rows only cannot move these minerals' plans
        factors = [f for f in factors if not f.minerals or set(f.minerals) & set(minerals)]
    ctx = Context(tables, factors, opts, hedged, strategy, minerals)
    issues = Issues()
    base = case_at(ctx, ctx.base_point, issues)
    if issues.errors:  # a range of no width broke a rule
        raise InputError([dataclasses.replace(i, expected=f"{i.expected} (with the Uncertainty ranges of no width "
                                                          f"applied: {', '.join(f.where for f in fixed)})")
                          for i in issues.errors])
    bad, kept = [], []
    for i, f in enumerate(ctx.factors):
        problems = []
        for end, x in (("low", f.low), ("high", f.high)):
            found = Issues()
            case_at(ctx, ctx.with_value(ctx.base_point, i, x), found)
            problems += [(end, x, issue) for issue in found.errors]
        if not problems:
            kept.append(f)
        elif f.cells:
            bad += [dataclasses.replace(issue, sheet="Uncertainty", cell=f.ends[end == "high"], column=end, value=x,
                                        expected=f"a range at whose {end} end the case is still valid; there "
                                                 f"{issue}") for end, x, issue in problems[:3]]
        else:
            end, x, issue = problems[0]
            notes.append(Note("breaks_rule", {"factor": f, "end": end, "x": f"x{x:g}", "issue": str(issue)}))
    if bad:
        raise InputError(bad)
    ctx.factors = kept
    ctx.china_years = china_years(named_case(ctx) if minerals else base)
    ctx.outputs = tuple(headline_outputs(base, hedged, strategy, ctx.china_years) + decision_outputs(base))
    return Prepared(ctx, fixed, notes)


def group_names(d) -> dict[str, str]:
    """Each mineral's and stream's mineral group, by name (a recycling plant links its minerals: they
    are planned together, and their default ranges move together): "battery minerals" when every
    mineral of a group of several is one (the Minerals sheet's battery_mineral), else its minerals
    joined by +."""
    def name(g: list[str]) -> str:
        return "battery minerals" if len(g) > 1 and all(d.minerals[m].battery_mineral for m in g) else "+".join(g)

    out = {m: name(g) for g in d.mineral_groups for m in g}
    out.update({f: out[next(iter(s.content_t_per_unit))] for f, s in d.streams.items() if s.content_t_per_unit})
    return out


def china_years(d) -> tuple[int, ...]:
    """The years China shares are reported for: the strategy's target year of the whole case ``d``
    (``policies.target_year``, 2030 in the default case; a study of some minerals reports the same years as
    one of all) and the last year."""
    from planner.studies.policies import target_year

    return tuple(dict.fromkeys((target_year(d), d.settings.last_year)))


def headline_outputs(d, hedged: bool, strategy: bool, years_china: tuple[int, ...]) -> list[Output]:
    """Total cost, the cost of the strategy (when asked), China share in ``years_china`` (``china_years``)
    and stock days: the figures a plan is presented by."""
    cost = "expected cost of the hedged plan (its objective)" if hedged else "total cost of the plan"
    out = [Output("total_cost_usd", f"{cost}, present value", "usd", name="hedged" if hedged else "")]
    if strategy:
        out.append(Output("strategy_cost_usd", "cost of the strategy: the plan's cost minus the cost with no policy "
                                               "limit", "usd"))
    # Each mineral's China share on Settings reliance_basis, the plain mean over minerals (not tonne-weighted).
    basis = d.settings.reliance_basis
    out += [Output(f"china_share_{y}", f"China share of {basis} in {y}, mean over minerals (not tonne-weighted)",
                   "share", name=basis) for y in years_china]
    years = f"{d.settings.first_year}-{d.settings.last_year}"
    out.append(Output("stock_days", f"stock cover in days of demand, mean over minerals and {years}", "days",
                      name=years))
    return out


def decision_outputs(d) -> list[Output]:
    """The plan's key decisions: whether each mineral group has a plan at all, years under contract per
    supply option, modules built per recycling option, stream plant and refinery, and the agreement
    line held (mean tonnes a year) per agreement."""
    groups = ["+".join(g) for g in d.mineral_groups]  # a recycling plant's minerals have a plan together or none
    out = [Output(f"feasible:{g}", f"{g} {'has' if '+' not in g else 'have'} a plan: the policy limits can all be met",
                  "yes/no", "feasible", g) for g in groups]
    out += [Output(f"contract:{s.supplier_id}", f"years under contract: {s.name or s.supplier_id} ({m})", "years",
                   "contract", f"{s.name or s.supplier_id} ({m})") for m in d.minerals for s in d.usable_suppliers[m]]
    out += [Output(f"modules:{k}", f"modules built: {owner_name(d, k)}", "modules", "modules", owner_name(d, k))
            for k in d.module_owners]
    out += [Output(f"line:{a.agreement_id}", f"agreement line held, mean t a year: {a.agreement_id} ({a.kind}, "
                                             f"{a.mineral_id})", "t", "line",
                   f"{a.agreement_id} ({a.kind}, {a.mineral_id})") for a in d.agreements.values()]
    return out


def owner_name(d, k: str) -> str:
    """What builds modules, in plain words: 'li_recycling (recycling, lithium)', 'battery_plant
    (recycling plant of spent batteries: lithium, nickel, cobalt)', 'li_korref (refinery, lithium)'."""
    if k in d.refineries:
        return f"{k} (refinery, {d.refineries[k].mineral_id})"
    if k in d.recycling_plants:
        stream = d.streams[d.recycling_plants[k].stream_id]
        return f"{k} (recycling plant of {stream.name.split(':')[0]}: {', '.join(d.owner_minerals(k))})"
    return f"{k} (recycling, {d.recycling[k].mineral_id})"


def decision_state(o: Output, value: float | None):
    """What counts as the same decision: the years under contract and the modules built exactly,
    whether a line is held at all, whether the mineral has a plan."""
    if value is None:
        return None
    if o.decision == "line":
        return value > LINE_T
    return bool(value) if o.decision == "feasible" else round(value)


def value_of(o: Output, s: Sample) -> float | None:
    """Output ``o`` in sample ``s``: a decision where its mineral has a plan, a mineral's
    feasibility wherever the case was solved, a headline output where every mineral has a plan."""
    if o.decision == "feasible":
        has = s.has_plan(o.name)
        return None if has is None else float(has)
    return s.outputs.get(o.key)


def state_of(o: Output, s: Sample):
    return decision_state(o, value_of(o, s))


def _contribution(part: Part, key: str, minerals: int) -> float | None:
    """A part's share of a headline output (each is a sum over the case's ``minerals``), None
    without a plan."""
    v = part.values
    if not part.ok:
        return None
    if key == "total_cost_usd":
        return v["cost"]
    if key == "strategy_cost_usd":
        return v["cost"] - v["free_cost"] if "free_cost" in v else None
    if key.startswith("china_share_"):
        year = key.rsplit("_", 1)[1]
        return sum(x for k, x in v.items() if k.startswith("china:") and k.endswith(f":{year}")) / minerals
    return sum(x for k, x in v.items() if k.startswith("stock:")) / minerals  # stock_days


def difference(o: Output, a: Sample, b: Sample) -> float | None:
    """``o`` in ``b`` minus ``o`` in ``a``, or None if it is not known.  A headline output is a sum
    over minerals, and a mineral whose data are the same in both samples has the same plan in both:
    the difference is that of the minerals the edit reached, whatever the others (gallium without a
    plan does not hide the effect of lithium prices)."""
    if o.decision or not (a.parts and b.parts):
        va, vb = value_of(o, a), value_of(o, b)
        return None if va is None or vb is None else vb - va
    total = 0.0
    for group, pa in a.parts.items():
        pb = b.parts.get(group)
        if pb is None:
            return None
        if pa.key == pb.key:
            continue
        ca, cb = _contribution(pa, o.key, a.minerals), _contribution(pb, o.key, b.minerals)
        if ca is None or cb is None:
            return None
        total += cb - ca
    return total


# ---- one sample ----------------------------------------------------------------------------

_proven: dict = {}  # this process's proven block answers, by what HiGHS was given (exact)
_parts: dict = {}  # this process's solved parts, by ``Part.key``


def case_at(ctx: Context, point: Point, issues: Issues, whole: bool = False):
    """The case read again with each factor's figures edited by its value (None: as they are), cut down to
    the study's minerals (-m) unless ``whole``."""
    from planner.workbook.reader import case_from_rows

    tables = edited(ctx.tables, [(f, x) for f, x in zip(ctx.factors, point) if x is not None])
    d = case_from_rows(tables, issues)
    return d.restricted_to(ctx.minerals) if ctx.minerals and not whole and not issues.errors else d


def named_case(ctx: Context):
    """The base case whole, which the reports and the command name inputs, events and minerals from: an input
    moves the workbook's figures, so it reads as every other report names them (an event over lithium and
    nickel is named by both, in a study of lithium alone)."""
    return case_at(ctx, ctx.base_point, Issues(), whole=True)


def linked(d, hedged: bool) -> bool:
    """Whether a constraint links two mineral groups (one HiGHS model holds minerals of several)."""
    from models.solve import Session

    session = Session(d, hedged=hedged)
    return session.form is not None and any(not any(set(b.groups) <= set(g) for g in d.mineral_groups)
                                            for b in session.blocks)


def solve_point(ctx: Context, phase: str, index: int, point: Point) -> Sample:
    """One sample: the case at ``point``, each mineral's case solved (or taken from this worker's
    earlier samples when its data are the same), verified and measured."""
    t0 = time.perf_counter()
    for cache in (_proven, _parts):
        if len(cache) > CACHE_MAX:
            cache.clear()
    issues = Issues()
    d = case_at(ctx, point, issues)
    sample = Sample(phase, index, point, INVALID)
    if issues.errors:
        sample.why = reasons.failed(reasons.INVALID, "; ".join(str(i) for i in issues.errors[:3]))
        return sample
    groups = {"+".join(g): g for g in d.mineral_groups} if ctx.by_mineral else {ALL: list(d.minerals)}
    sample.parts = {g: _part(d.restricted_to(ms) if ctx.by_mineral else d, ctx) for g, ms in groups.items()}
    _combine(sample, ctx)
    stopping.check()  # a stop HiGHS swallowed ends the job, not as a sample
    sample.wall_s = time.perf_counter() - t0
    return sample


def _part(d, ctx: Context) -> Part:
    """One part's plan, solved unless this worker solved the same data with the same options."""
    import hashlib
    import pickle

    key = hashlib.sha256(pickle.dumps((d, ctx.opts, ctx.hedged, ctx.strategy, ctx.china_years), protocol=5)).digest()
    if key not in _parts:
        _parts[key] = _solve_part(d, ctx)
        _parts[key].key, _parts[key].minerals = key, tuple(d.minerals)
    return _parts[key]


def _solve_part(d, ctx: Context) -> Part:
    from models.solve import Session
    from planner.studies.resilience import NoPlan
    from planner.verify import VerificationError

    session = Session(d, hedged=ctx.hedged, proven=_proven)
    signature = frozenset(session.form.signature(b, 0) for b in session.blocks) if session.form else frozenset()
    try:
        cost, plan, ev, gap = _plan(d, ctx, session)
        part = Part(plan.stats.status, signature=signature, values=_measures(d, plan, ev, cost, ctx.china_years),
                    gap_usd=gap)
        if ctx.strategy:  # the same case without any policy limit
            free = dataclasses.replace(d, policy={})
            free_cost, *_, free_gap = _plan(free, ctx, Session(free, hedged=ctx.hedged, proven=_proven))
            part.values["free_cost"] = free_cost
            part.gap_usd += free_gap
        return part
    except NoPlan as e:
        return Part(e.plan.stats.status, signature=signature, why=reasons.no_plan(e.plan.stats))
    except VerificationError as e:
        return Part(ERROR, signature=signature, why=reasons.failed(reasons.UNVERIFIED, e))


def _plan(d, ctx: Context, session):
    """(cost, plan, evaluation, proven gap in USD) of the case's least-cost plan (``session``'s) or
    hedged plan; NoPlan when it has none."""
    from planner.studies.compare import proven_gap_usd
    from planner.studies.resilience import NoPlan, hedge, hedged_objective_usd, hedged_options
    from planner.verify import verify

    if ctx.hedged:
        tested = hedge(d, hedged_options(ctx.opts), _proven)
        # the gap of the solve that decided the plan (its recourse may have been solved again: ``hedge``)
        return (hedged_objective_usd(tested), tested.plan, tested.evaluation,
                tested.decided.value - tested.decided.low)
    plan = session.solve(ctx.opts, shadow_prices=False)
    if not plan.has_solution:
        raise NoPlan("the plan", plan)
    ev = verify(d, plan)
    return ev.total_usd, plan, ev, proven_gap_usd(plan)


def _measures(d, plan: Plan, ev, cost: float, years_china: tuple[int, ...]) -> dict[str, float]:
    """A verified plan's cost, each mineral's China share in ``years_china`` and mean stock cover in
    days, and its decisions: years under contract per supply option, modules built per recycling
    option, stream plant and refinery, the agreement line held (mean t a year) per agreement."""
    years = list(d.years)
    values = {"cost": cost}
    for m in d.minerals:
        values.update({f"china:{m}:{y}": ev.indicators[m, y].china_share for y in years_china})
        days = [ev.indicators[m, y].stockpile_days for y in years]
        days = [x for x in days if x is not None]
        values[f"stock:{m}"] = sum(days) / len(days) if days else 0.0
        for s in d.usable_suppliers[m]:
            values[f"contract:{s.supplier_id}"] = float(sum(round(plan.contracted.get((s.supplier_id, y), 0))
                                                            for y in years))
    for k in d.module_owners:
        values[f"modules:{k}"] = float(sum(round(plan.build_modules.get((k, y), 0)) for y in years))
    for a in d.agreements:
        values[f"line:{a}"] = sum(plan.line_t.get((a, y), 0.0) for y in years) / len(years)
    return values


_SEVERITY = (ERROR, INFEASIBLE, NO_SOLUTION, FEASIBLE, OPTIMAL)  # a sample's status is its worst part's


def _combine(sample: Sample, ctx: Context) -> None:
    """The sample's status and outputs from its parts: a mineral's decisions wherever its plan
    exists, the headline outputs where every mineral has one."""
    parts = sample.parts
    sample.status = min((p.status for p in parts.values()), key=_SEVERITY.index)
    for p in parts.values():
        if p.ok:
            sample.outputs.update({k: v for k, v in p.values.items() if k.startswith(("contract:", "modules:",
                                                                                        "line:"))})
    for o in ctx.outputs:
        if not o.decision:
            shares = [_contribution(p, o.key, sample.minerals) for p in parts.values()]
            if all(x is not None for x in shares):
                sample.outputs[o.key] = sum(shares)


def _job(args) -> list[Sample]:
    """Points solved in order in one worker: a Morris trajectory, a Sobol' row with its neighbours,
    or factors one at a time (``warm``: the base first, so that they reuse its answers)."""
    ctx, phase, points, warm = args
    if warm:
        solve_point(ctx, "base", 0, ctx.base_point)
    return [solve_point(ctx, phase, i, p) for i, p in points]


# ---- the study -----------------------------------------------------------------------------

@dataclass
class MorrisResult:
    """Per factor (in the order of the factors Morris moved): NaN where no step measured it."""

    mu_star: list[float]
    mu_star_conf: list[float]
    sigma: list[float]
    mu: list[float]
    effects: list[int]  # the steps that measured it (both samples with a value)


@dataclass
class SobolResult:
    s1: list[float]
    s1_conf: list[float]
    st: list[float]
    st_conf: list[float]
    rows: int  # N used: Saltelli rows whose every sample has this output


@dataclass
class Threshold:
    factor: int  # index into the study's factors
    end: float  # the end of the range at which the factor alone flips the decision
    before: float  # the last value found with the base plan's decision
    after: float  # the first value found with another
    state_after: object  # the decision past the threshold (None: the mineral has no plan there)


@dataclass
class DecisionChange:
    output: Output
    base: float
    low: float  # the least and most values seen in any sample
    high: float
    changed: int  # samples whose decision differs from the base plan's
    seen: int  # samples in which it has a value
    movers: list[int]  # factors by Morris mu* on this decision, largest first (those with an effect)
    alone: list[int]  # factors that flip it alone at an end of their range, top mover first
    thresholds: list[Threshold] = field(default_factory=list)  # of the first of ``alone``, at each end it flips


@dataclass
class Study:
    ctx: Context
    method: str
    seed: int
    notes: list[Note]  # default ranges left out, declared ranges not in play, indices not estimated
    fixed: list[Factor]  # ranges of no width: held at their value
    base: Sample
    data: PlanningData  # the base case whole (``named_case``): the reports name inputs' rows, events, minerals from it
    screen: list[Sample] = field(default_factory=list)  # 2 per factor: index 2i at its low, 2i + 1 at its high
    in_model: list[int] = field(default_factory=list)  # factors whose edit changes a model
    trajectories: int = 0
    morris_planned: int = 0
    morris: list[Sample] = field(default_factory=list)
    morris_results: dict[str, MorrisResult] = field(default_factory=dict)
    sobol_factors: list[int] = field(default_factory=list)
    sobol_planned: int = 0
    sobol: list[Sample] = field(default_factory=list)
    sobol_results: dict[str, SobolResult] = field(default_factory=dict)
    decisions: list[DecisionChange] = field(default_factory=list)
    bisections: list[Sample] = field(default_factory=list)
    stopped: bool = False
    phase_s: dict[str, float] = field(default_factory=dict)
    # What every report reads many times, fixed by ``finish`` once nothing more is added to the study
    # (None while it runs: computed afresh at each read).
    _noise_usd: float | None = field(default=None, init=False, repr=False)
    _morris_finished: int | None = field(default=None, init=False, repr=False)

    def finish(self) -> Study:
        """The study is done or stopped: nothing more is added, so count once what the reports read."""
        self._noise_usd, self._morris_finished = self.noise_usd, self.morris_finished
        return self

    @property
    def factors(self) -> list[Factor]:
        return self.ctx.factors

    @property
    def outputs(self) -> tuple[Output, ...]:
        return self.ctx.outputs

    @property
    def headline(self) -> list[Output]:
        return [o for o in self.outputs if not o.decision]

    @property
    def samples(self) -> list[Sample]:
        """Every case solved: the base, the samples drawn, and the threshold search's points."""
        return [self.base, *self.screen, *self.morris, *self.sobol, *self.bisections]

    @property
    def sampled(self) -> list[Sample]:
        """The samples the study drew, which every count of samples is over: each input alone at its ends,
        Morris's and Sobol'.  Not the base case, nor the threshold search's points: those crowd around a
        flip by design, so counting them would tilt any share of samples towards it."""
        return [*self.screen, *self.morris, *self.sobol]

    def screened(self, i: int, end: int) -> Sample | None:
        """Factor ``i`` alone at its low (0) or high (1) end, if it was solved."""
        return next((s for s in self.screen if s.index == 2 * i + end), None)

    def swing(self, o: Output, i: int) -> tuple[float | None, float | None]:
        """``o`` at factor ``i``'s low and high end, the others as in the workbook, less the base."""
        return tuple(None if s is None else difference(o, self.base, s) for s in (self.screened(i, 0),
                                                                                 self.screened(i, 1)))

    @property
    def noise_usd(self) -> float:
        """A cost difference smaller than this is within the solver's proven gaps: the largest
        proven gap of any sample, twice (the two ends of a difference)."""
        if self._noise_usd is not None:
            return self._noise_usd
        return 2 * max((s.gap_usd for s in self.samples if s.parts), default=0.0)

    def negligible(self, o: Output) -> float:
        """A change of ``o`` no larger than this is no effect: for money the solver's proven gaps
        (``noise_usd``), for a share a millionth (0.0001 points), else a millionth of its unit."""
        return self.noise_usd if o.unit == "usd" else 1e-6

    def effect_negligible(self, o: Output) -> float:
        """A Morris statistic of ``o`` (mu*, mu, sigma) no larger than this is no effect: an elementary effect
        is a step's change divided by the step's move (2/3 of the range), so the proven gaps that make a
        change not significant (``negligible``) are divided by it too; a mu* of USD 1,500 from a change of
        USD 1,000 within gaps of USD 1,111 was called significant."""
        return self.negligible(o) / MORRIS_STEP

    def status_counts(self) -> dict[str, int]:
        """The samples drawn by status (a sample's is its worst mineral's)."""
        out: dict[str, int] = {}
        for s in self.sampled:
            out[s.status] = out.get(s.status, 0) + 1
        return out

    def mineral_failures(self) -> dict[str, tuple[int, int]]:
        """Per mineral group ("gallium", "neodymium+dysprosium+terbium"; all of them where a constraint
        links the groups) without a plan in some sample drawn: (the samples in which it has no plan, those
        in which it was solved), as the Decisions table counts its feasibility."""
        out: dict[str, tuple[int, int]] = {}
        for s in self.sampled:
            for g, p in s.parts.items():
                n, of = out.get(g, (0, 0))
                out[g] = (n + (not p.ok), of + 1)
        return {g: x for g, x in out.items() if x[0]}

    @property
    def morris_finished(self) -> int:
        """Morris trajectories whose every sample was solved (all asked for, unless a stop cut the run short)."""
        if self._morris_finished is not None:
            return self._morris_finished
        step = len(self.in_model) + 1
        done = {s.index for s in self.morris}
        return sum(1 for start in range(0, self.morris_planned, step) if done >= set(range(start, start + step)))

    @property
    def morris_ranks(self) -> bool:
        """Whether enough Morris trajectories finished for a ranking of the inputs (``MIN_TRAJECTORIES``)."""
        return self.morris_finished >= MIN_TRAJECTORIES

    def ranked(self, key: str) -> MorrisResult | None:
        """Morris's result on output ``key`` where it ranks the inputs; None where Morris has none on it, or too
        few trajectories finished for a ranking (``morris_ranks``): the one gate of every ranking reported."""
        return self.morris_results.get(key) if self.morris_ranks else None

    def unmeasured(self, key: str) -> list[int]:
        """The inputs in the model that no Morris step measured on output ``key`` (none with a value at
        both ends finished), where Morris ranks the others (``ranked``): their effect is unknown, not small."""
        r = self.ranked(key)
        return [] if r is None else [i for j, i in enumerate(self.in_model) if not r.effects[j]]

    def ranking(self, key: str = "") -> list[int]:
        """Factors in the model by Morris mu* on ``key``, or on the headline outputs together (each
        output's mu* divided by its largest; a factor's score is the largest over the outputs)."""
        keys = [key] if key else [o.key for o in self.headline]
        score = {i: 0.0 for i in self.in_model}
        for k in keys:
            r = self.morris_results.get(k)
            top = max((v for v in r.mu_star if not math.isnan(v)), default=0.0) if r else 0.0
            for j, i in enumerate(self.in_model):
                if top > 0 and not math.isnan(r.mu_star[j]):
                    score[i] = max(score[i], r.mu_star[j] / top)
        return sorted(score, key=lambda i: (-score[i], self.factors[i].name))


def problem(factors: list[Factor], indices: list[int]) -> dict:
    """SALib's description of the factors ``indices``."""
    return {"num_vars": len(indices), "names": [factors[i].name for i in indices],
            "bounds": [[factors[i].low, factors[i].high] for i in indices]}


def run_study(ctx: Context, method: str, trajectories: int, top: int, samples: int, seed: int, jobs: int,
              fixed: list[Factor], notes: list[Note],
              progress: Callable[[str, int, int], None] = lambda phase, done, total: None,
              data: PlanningData | None = None) -> Study:
    """The whole study (see the module docstring), ``jobs`` samples at a time; a stop keeps what
    finished.  ``progress(phase, samples done, samples planned)``; ``data``: ``named_case(ctx)``, where the
    caller has read it already."""
    t0 = time.perf_counter()
    progress("base case", 0, 1)
    with stopping.Stoppable() as run:
        data = named_case(ctx) if data is None else data
        ctx.by_mineral = not linked(data.restricted_to(ctx.minerals) if ctx.minerals else data, ctx.hedged)
        base = solve_point(ctx, "base", 0, ctx.base_point)
    study = Study(ctx, method, seed, notes, fixed, base, data, stopped=run.stopped, trajectories=trajectories)
    study.phase_s["base"] = time.perf_counter() - t0
    if study.stopped or not base.ok:
        return study.finish()
    progress("base case", 1, 1)

    def solve(phase: str, batches: list[list[tuple[int, Point]]], warm: bool) -> list[Sample]:
        total, done = sum(len(b) for b in batches), [0]
        progress(phase, 0, total)

        def tick(result: list[Sample]) -> None:
            done[0] += len(result)
            progress(phase, done[0], total)

        per_job = dataclasses.replace(ctx.opts, threads=max(1, ctx.opts.threads // max(1, min(jobs, len(batches)))))
        finished, stopped = run_jobs(_job, [(dataclasses.replace(ctx, opts=per_job), phase, b, warm)
                                            for b in batches], jobs, tick)
        study.stopped = study.stopped or stopped
        return sorted((s for batch in finished for s in batch), key=lambda s: s.index)

    # 1. each factor alone at each end, and whether its edit reaches a model at all
    t = time.perf_counter()
    study.screen = solve("one at a time", [[(2 * i + e, ctx.with_value(ctx.base_point, i, x))
                                            for e, x in enumerate((f.low, f.high))] for i, f in enumerate(ctx.factors)],
                         warm=True)
    for s in study.screen:
        s.in_model = s.status == INVALID or any(g not in base.parts or p.signature != base.parts[g].signature
                                                for g, p in s.parts.items())
    study.in_model = sorted({s.index // 2 for s in study.screen if s.in_model})
    study.phase_s["one_at_a_time"] = time.perf_counter() - t

    # 2. Morris over the factors in the model
    if study.in_model and trajectories and not study.stopped:
        import numpy as np
        from SALib.sample import morris as morris_sample

        t = time.perf_counter()
        x = morris_sample.sample(problem(ctx.factors, study.in_model), trajectories, num_levels=NUM_LEVELS, seed=seed)
        study.morris_planned = len(x)
        study.morris = solve("Morris", _rows(ctx, study.in_model, x, len(study.in_model) + 1), warm=False)
        study.morris_results = _analyse_morris(study, np.asarray(x), seed)
        study.phase_s["morris"] = time.perf_counter() - t

    # 3. Sobol' indices of the top factors
    if method == "sobol" and study.morris_results and not study.stopped:
        import numpy as np
        from SALib.sample import sobol as sobol_sample

        t = time.perf_counter()
        study.sobol_factors = sorted(study.ranking()[:top])
        x = sobol_sample.sample(problem(ctx.factors, study.sobol_factors), samples, calc_second_order=False, seed=seed)
        study.sobol_planned = len(x)
        study.sobol = solve("Sobol'", _rows(ctx, study.sobol_factors, x, len(study.sobol_factors) + 2), warm=False)
        study.sobol_results = _analyse_sobol(study, seed)
        study.phase_s["sobol"] = time.perf_counter() - t

    # 4. the decisions that change, and the value at which a factor alone flips one
    study.decisions = _decisions(study)
    # One job per factor and end: the decisions it flips there share the bisection's first points.
    ends: dict[tuple[int, int], list[tuple[Output, object, object]]] = {}
    for d in study.decisions:
        for i in d.alone[:1]:
            for e in _ends(study, d.output, i):
                ends.setdefault((i, e), []).append((d.output, state_of(d.output, base),
                                                    state_of(d.output, study.screened(i, e))))
    if ends and not study.stopped:
        t = time.perf_counter()
        total, done = sum(len(v) for v in ends.values()) * BISECTIONS, [0]
        progress("thresholds", 0, total)

        def tick(result) -> None:
            done[0] += len(result[0]) * BISECTIONS
            progress("thresholds", done[0], total)

        per_job = dataclasses.replace(ctx.opts, threads=max(1, ctx.opts.threads // max(1, min(jobs, len(ends)))))
        job_ctx = dataclasses.replace(ctx, opts=per_job)
        found, stopped = run_jobs(_threshold_job, [(job_ctx, i, e, flips) for (i, e), flips in ends.items()], jobs,
                                  tick)
        study.stopped = study.stopped or stopped
        by_key = {d.output.key: d for d in study.decisions}
        for thresholds, bisected in found:
            for key, threshold in thresholds:
                by_key[key].thresholds.append(threshold)
            study.bisections += bisected
        for d in study.decisions:
            d.thresholds.sort(key=lambda x: x.end)
        study.phase_s["thresholds"] = time.perf_counter() - t
    return study.finish()


def _rows(ctx: Context, moving: list[int], x, step: int) -> list[list[tuple[int, Point]]]:
    """SALib's sample as jobs of ``step`` consecutive rows (a Morris trajectory, a Sobol' row and
    its neighbours), each row a full point with the factors not ``moving`` as in the workbook."""
    def point(row) -> Point:
        values = list(ctx.base_point)
        for i, v in zip(moving, row):
            values[i] = float(v)
        return tuple(values)

    return [[(j, point(x[j])) for j in range(start, start + step)] for start in range(0, len(x), step)]


def _ends(study: Study, o: Output, i: int) -> list[int]:
    """The ends of factor ``i``'s range to bisect towards for decision ``o``: those at which it is not
    the base plan's (also where the mineral has no plan: the bisection then finds the flip, or the
    value from which there is none), the nearer one where both lie on one side of the base value."""
    f = study.factors[i]
    base = f.base if f.base is not None else (f.low + f.high) / 2
    ends = [e for e in (0, 1) if (s := study.screened(i, e)) is not None and state_of(o, s) != state_of(o, study.base)]
    if len(ends) == 2 and (f.low - base) * (f.high - base) > 0:
        ends = [0] if abs(f.low - base) <= abs(f.high - base) else [1]
    return ends


def _flips(study: Study, o: Output, i: int, end: int) -> bool:
    """Whether factor ``i`` alone at its low (0) or high (1) end changes decision ``o``."""
    s = study.screened(i, end)
    state = None if s is None else state_of(o, s)
    return state is not None and state != state_of(o, study.base)


def _threshold_job(args) -> tuple[list[tuple[str, Threshold]], list[Sample]]:
    """Bisections on one factor alone, between its base value and one end of its range, for the value
    at which each decision given (``(output, its base state, its state at the end)``) flips; the
    points they share are solved once."""
    ctx, i, end, flips = args
    factor = ctx.factors[i]
    solve_point(ctx, "base", 0, ctx.base_point)  # the answers the bisection starts from
    solved: dict[float, Sample] = {}
    found = []
    for o, base_state, after in flips:
        b = (factor.low, factor.high)[end]
        a = factor.base if factor.base is not None else (factor.high, factor.low)[end]
        for _ in range(BISECTIONS):
            mid = (a + b) / 2
            if mid not in solved:
                solved[mid] = solve_point(ctx, "threshold", len(solved), ctx.with_value(ctx.base_point, i, mid))
            state = state_of(o, solved[mid])
            if state == base_state:
                a = mid
            else:
                b, after = mid, state
        found.append((o.key, Threshold(i, (factor.low, factor.high)[end], a, b, after)))
    return found, list(solved.values())


def morris_effects(x, diff: Callable[[int, int], float | None], step: int, bounds: list[list[float]], seed: int,
                   resamples: int = 100) -> MorrisResult:
    """Morris's statistics from the elementary effects of every step of a trajectory (``step`` rows
    each) whose difference ``diff(j, j + 1)`` is known: EE = (y(x + Δe_i) - y(x)) / Δ, Δ the move of
    factor i as a share of its range; mu* = mean |EE|, mu = mean EE, sigma their standard deviation,
    and mu*'s confidence interval from ``resamples`` bootstrap resamples, as SALib computes them.
    SALib's own analysis needs every trajectory whole: one sample without a plan would drop it."""
    import numpy as np

    low = np.array([b[0] for b in bounds])
    unit = (np.asarray(x) - low) / (np.array([b[1] for b in bounds]) - low)
    effects: list[list[float]] = [[] for _ in bounds]
    for start in range(0, len(unit), step):
        for j in range(start, start + step - 1):
            dy = diff(j, j + 1)
            if dy is not None:
                move = unit[j + 1] - unit[j]
                i = int(np.argmax(np.abs(move)))
                effects[i].append(dy / move[i])
    rng = np.random.default_rng(seed)
    out = MorrisResult([], [], [], [], [])
    for ee in map(np.asarray, effects):
        n = len(ee)
        out.effects.append(n)
        out.mu_star.append(float(np.mean(np.abs(ee))) if n else math.nan)
        out.mu.append(float(np.mean(ee)) if n else math.nan)
        out.sigma.append(float(np.std(ee, ddof=1)) if n > 1 else math.nan)
        means = np.abs(ee)[rng.integers(0, n, size=(resamples, n))].mean(axis=1) if n > 1 else None
        out.mu_star_conf.append(float(Z_95 * np.std(means, ddof=1)) if n > 1 else math.nan)
    return out


def _analysed(study: Study, samples: list[Sample]) -> list[Output]:
    """The outputs to analyse: all but a mineral's feasibility where it always has a plan."""
    failed = {m for s in samples for p in s.parts.values() if not p.ok for m in p.minerals}
    return [o for o in study.outputs if o.decision != "feasible" or set(o.name.split("+")) & failed]


def _analyse_morris(study: Study, x, seed: int) -> dict[str, MorrisResult]:
    by_index = {s.index: s for s in study.morris}
    bounds = problem(study.factors, study.in_model)["bounds"]
    step = len(study.in_model) + 1

    def diff(o: Output) -> Callable[[int, int], float | None]:
        return lambda j, k: difference(o, by_index[j], by_index[k]) if j in by_index and k in by_index else None

    return {o.key: morris_effects(x, diff(o), step, bounds, seed) for o in _analysed(study, study.morris)}


def _analyse_sobol(study: Study, seed: int) -> dict[str, SobolResult]:
    """Sobol' indices of every output over the rows of Saltelli's scheme (a point, its k one-factor
    neighbours and a second point) whose every sample has a value: SALib's estimators need them
    whole, so where a mineral has no plan the indices describe the outputs over the rest."""
    import warnings

    import numpy as np
    from SALib.analyze import sobol

    k = len(study.sobol_factors)
    prob = problem(study.factors, study.sobol_factors)
    step = k + 2
    by_index = {s.index: s for s in study.sobol}
    out = {}
    short: dict[int, list[Output]] = {}  # outputs without indices, by their whole rows
    for o in _analysed(study, study.sobol):
        y = {j: v for j, s in by_index.items() if (v := value_of(o, s)) is not None}
        rows = [j for start in range(0, study.sobol_planned, step) if all(i in y for i in range(start, start + step))
                for j in range(start, start + step)]
        whole = len(rows) // step
        if whole < MIN_SOBOL_ROWS:
            short.setdefault(whole, []).append(o)
            continue
        values = np.array([y[j] for j in rows])
        if np.var(values) == 0:  # the output does not move: nothing to share out
            zeros = [0.0] * k
            out[o.key] = SobolResult(zeros, zeros, zeros, zeros, whole)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SALib warns of constant subsets; the indices say it
            r = sobol.analyze(prob, values, calc_second_order=False, conf_level=CONF_LEVEL, seed=seed)
        out[o.key] = SobolResult(*([float(v) for v in r[name]] for name in ("S1", "S1_conf", "ST", "ST_conf")),
                                 whole)
    for whole, outputs in short.items():
        study.notes.append(Note("sobol_rows", {"outputs": outputs, "whole": whole, "rows": study.sobol_planned // step,
                                               "least": MIN_SOBOL_ROWS}))
    return out


def _decisions(study: Study) -> list[DecisionChange]:
    """Every decision whose value differs from the base plan's in some sample, with the factors that
    move it (Morris mu*, largest first) and those that flip it alone at an end of their range."""
    solved = [s for s in study.sampled if s.parts]
    out = []
    for o in study.outputs:
        if not o.decision:
            continue
        state = state_of(o, study.base)
        values = [v for s in solved if (v := value_of(o, s)) is not None]
        changed = sum(1 for v in values if decision_state(o, v) != state)
        if not changed:
            continue
        r = study.morris_results.get(o.key)
        movers = sorted((i for j, i in enumerate(study.in_model) if r and r.mu_star[j] > 0),
                        key=lambda i: -r.mu_star[study.in_model.index(i)])
        alone = sorted({i for i in range(len(study.factors)) for e in (0, 1) if _flips(study, o, i, e)},
                       key=lambda i: (movers.index(i) if i in movers else len(movers), i))
        out.append(DecisionChange(o, value_of(o, study.base), min(values), max(values), changed, len(values), movers,
                                  alone))
    return out
