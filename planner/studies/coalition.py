"""Joint stockpiles and swaps as a coalition: what each partnership is worth, and a fair split of its saving.

For the members N (Korea and up to five partners of the Partners sheet, or two to six partners alone)
every coalition S ⊆ N is planned against the same disruptions (``models.coalition``): its expected cost
is the hedged objective of its plan (first stage + (1 - λ) expected disruption cost + λ CVaR, Settings
``cvar_weight``), and

    v(S) = Σ_{i ∈ S} cost({i}) - cost(S)

is what S saves against its members alone.  With λ = 0 only a stream plant links minerals: every
coalition is solved mineral group by mineral group (``PlanningData.mineral_groups``, most often one
mineral), v is a sum over groups and so is the Shapley value.  The coalitions are solved in parallel
worker processes (``planner.studies.jobs``): first every coalition with Korea, then the partners' own
(small models, solved in this process), which meet the spare capacity Korea's plan alone leaves.  A
coalition with a partner that no disruption hits and that has nothing to lend is not solved: that
member adds nothing, so the plan is the plan without it (``_null_members``).  Each worker keeps HiGHS's
proven blocks, so a block met again is not solved again.  Every plan is verified
(``planner.verify.verify_coalition``).

The split (``planner.studies.games``): the Shapley value per member, per mineral group and in all;
whether that split is in the core (every coalition gets at least what it saves alone), naming the
coalitions it shorts; the nucleolus (and the least-core ε) as the split to use when it is not; each
member's settlement (what it should pay, or be paid, so that it ends with its Shapley value: the
coalition's stocks are paid by whoever holds them, each reserve by its member and the joint stock by none)
against the fees of the Agreements sheet, with the range it takes over the grand coalition's plans within
the proven gap of its least cost (``member_cost_range``: who holds a reserve may move between members, or
to the joint stock, at no change of cost), and the plan found's with the range the coalitions' gaps alone
prove; and what each member adds to each coalition.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from models.alternatives import MAX, MIN
from models.coalition import CoalitionBudgetSession, CoalitionCase, CoalitionSession, read_coalition
from models.dataset import RESERVE, SWAP, Agreement, PlanningData
from models.objective import OBJECTIVE_SCALE
from models.solve import BlockRun, SolveOptions, solve_case
from planner.studies.alternatives import BUDGET_TOL_REL, BUDGET_TOL_USD
from planner.studies.games import coalitions, nucleolus, shapley, shapley_coefficients
from planner.studies.jobs import run_jobs
from planner.studies.resilience import NoPlan, Range, hedged_options
from planner.verify import VerificationError, verify_coalition
from planner.workbook.cells import norm_key

MAX_MEMBERS = 6  # 63 coalitions; each one more doubles the solves
ALL = "all minerals"  # the one block when a CVaR term links the minerals (else a block is a mineral group)
ROUND_OFF_USD = 1.0  # below a dollar, a saving of plans costing billions is solver round-off


class MemberError(ValueError):
    """--members or -m names something the workbook cannot plan: every problem, one message each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def check_members(d: PlanningData, members: list[str], minerals: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """The members and minerals a coalition study of ``d`` will plan, as the workbook spells them; every
    problem at once (a MemberError) before any solve: a code not on the Countries sheet, a partner without
    rows on the Partners sheet or without a row for a mineral studied, a mineral not on the Minerals
    sheet, fewer than two members, more than ``MAX_MEMBERS``.  Korea may be left out: a study of partners
    alone plans Korea alone only as the reference whose spare supply the partners meet (``run_study``)."""
    problems: list[str] = []
    countries = {c.upper(): c for c in d.countries}
    known_minerals = {norm_key(m): m for m in d.minerals}  # as every -m matches them
    home = d.settings.home_country
    chosen: list[str] = []
    for code in members:
        c = countries.get(code.strip().upper())
        if c is None:
            problems.append(f"--members {code}: not a country_code of the Countries sheet")
        elif c in chosen:
            problems.append(f"--members {code}: named twice")
        elif c != home and not any(k[0] == c for k in d.partners):
            problems.append(f"--members {code}: 'Partners' has no rows for {c}; add its demand, stock and exposure "
                            "per mineral there (see the README)")
        else:
            chosen.append(c)
    if not 2 <= len(members) <= MAX_MEMBERS:
        problems.append(f"--members: {len(members)} named; a coalition study needs 2 to {MAX_MEMBERS} members "
                        f"({2 ** MAX_MEMBERS - 1} coalitions at most)")
    studied: list[str] = []
    for m in minerals:
        known = known_minerals.get(norm_key(m))
        if known is None:
            problems.append(f"-m {m}: not a mineral_id of the Minerals sheet ({', '.join(d.minerals)})")
        elif known not in studied:
            studied.append(known)
    studied = studied or ([] if minerals else list(d.minerals))
    # A stream plant links its minerals into one model: a mineral is studied with its whole group.
    named = set(studied)
    studied = [m for m in d.minerals if any(m in d.group_of(k) for k in studied)]
    for c in chosen:
        if c == home:
            continue
        missing = [m for m in studied if (c, m) not in d.partners]
        linked = [m for m in missing if m not in named]
        if missing:
            problems.append(f"'Partners': no row for {c} and {', '.join(missing)}; add one per mineral (country "
                            f"{c}, mineral_id ...) or leave the mineral out (-m)" + (
                                f"; {', '.join(linked)} is studied with the minerals a stream plant links it to, "
                                f"{', '.join(d.group_of(linked[0]))}" if linked else ""))
    if problems:
        raise MemberError(problems)
    return tuple(chosen), studied


@dataclass
class Cover:
    """How one member met its losses of one mineral in one scenario, in one coalition's plan (tonnes)."""

    coalition: tuple[str, ...]
    mineral_id: str
    scenario: str
    probability: float
    member: str
    lost_t: float
    own_t: float  # its own stock (Korea: the public stock) and its reserve
    joint_t: float  # drawn from the joint stock
    swaps_in_t: float  # borrowed from members not hit
    spot_t: float
    recycling_t: float  # Korea's extra recycling
    unmet_t: float
    lent_t: float = 0.0  # what it lent to members hit


@dataclass
class OwnCost:
    """A member's own cost K_i (``models.coalition.add_coalition_costs``) over the grand coalition's plans
    of one block that cost at most ``budget_usd`` (``member_cost_range``): the least and the most of the
    verified plans found, and what HiGHS proved no plan within the budget goes beyond (None: not proven,
    the time limit ended the solve first)."""

    member: str
    block: str
    budget_usd: float
    least_usd: float
    most_usd: float
    least_bound_usd: float | None
    most_bound_usd: float | None
    wall_s: float = 0.0

    @property
    def low(self) -> float | None:
        """The least K_i of any plan within the budget, as proven."""
        return None if self.least_bound_usd is None else min(self.least_bound_usd, self.least_usd)

    @property
    def high(self) -> float | None:
        """The most K_i of any plan within the budget, as proven."""
        return None if self.most_bound_usd is None else max(self.most_bound_usd, self.most_usd)


@dataclass
class Solved:
    """One coalition's plan of one block (a mineral, or every mineral), verified."""

    coalition: tuple[str, ...]
    block: str
    status: str
    termination: str
    objective: Range  # the hedged objective: its verified value and the solve's bound
    member_cost_usd: dict[tuple[str, str], float]  # (member, mineral): its own part (``CoalitionEvaluation``)
    joint_cost_usd: dict[str, float]  # the joint stock's cost, by mineral
    reserve_t: dict[tuple[str, str, int], float]
    joint_stock_t: dict[tuple[str, int], float]
    cover: list[Cover] = field(default_factory=list)
    korea_buy_t: dict[tuple[str, int], float] = field(default_factory=dict)  # Korea alone: the spare's reference
    wall_s: float = 0.0
    blocks_solved: int = 0  # HiGHS runs; the others were proven already in this worker
    blocks: int = 0
    reused: str = ""  # why it was not solved ("": it was)
    columns: np.ndarray | None = None  # the grand coalition's plan, column by column: the start of its ranges


class CoalitionNoPlan(NoPlan):
    """A coalition's model without a plan: which coalition, and the minerals of its block (the CLI names the
    Partners rows of its members for them, rather than diagnose Korea's own case)."""

    def __init__(self, what: str, plan, coalition: tuple[str, ...], minerals: tuple[str, ...]):
        super().__init__(what, plan)
        self.coalition, self.minerals = coalition, minerals

    def __reduce__(self):  # raised in a worker process, it must cross back whole
        return CoalitionNoPlan, (self.what, self.plan, self.coalition, self.minerals)


def own_case_has_plan(d: PlanningData, minerals, opts: SolveOptions) -> bool:
    """Whether Korea's own case of ``minerals`` has a plan: if it has, a coalition's model without one is not
    its limits' doing, and no diagnosis of it says why."""
    return solve_case(d.restricted_to(list(minerals)), opts, shadow_prices=False).has_solution


# Proven HiGHS blocks of this worker process, by digest: a block met again (the same mineral's model in
# another coalition's session) is not solved again.
_PROVEN: dict[bytes, BlockRun] = {}


def solve_coalition(d: PlanningData, members: tuple[str, ...], coalition: tuple[str, ...], block: str,
                    reference_buy_t: dict[tuple[str, int], float], opts: SolveOptions,
                    ranges: bool = False) -> Solved:
    """Plan ``coalition`` on the case ``d`` (one block), verify it, and say how each member met its losses;
    with ``ranges`` (the grand coalition), keep its plan's columns for ``member_cost_range``."""
    t0 = time.perf_counter()
    case = CoalitionCase(d, members, coalition, reference_buy_t)
    session = (CoalitionBudgetSession if ranges else CoalitionSession)(case, proven=_PROVEN)
    plan = session.solve(opts, shadow_prices=False)
    if not plan.has_solution:
        raise CoalitionNoPlan(f"the plan of coalition {'+'.join(coalition)} ({block})", plan, coalition,
                              tuple(d.minerals))
    cp = read_coalition(session.model)
    ev = verify_coalition(d, members, coalition, reference_buy_t, session.data, plan, cp, plan.stats.objective_usd)
    st = plan.stats
    bound = st.bound_usd if st.bound_usd is not None else st.objective_usd
    home = d.settings.home_country
    return Solved(coalition, block, st.status, st.termination, Range(ev.objective_usd, min(bound, ev.objective_usd),
                                                                      ev.objective_usd),
                  ev.member_cost_usd, ev.joint_cost_usd, cp.reserve_t, cp.joint_stock_t,
                  _covers(session.data, case, plan, cp), dict(plan.buy_t) if coalition == (home,) else {},
                  time.perf_counter() - t0, len(session.solved), len(session.blocks),
                  columns=session.column_values() if ranges else None)


def member_cost_range(d: PlanningData, members: tuple[str, ...], block: str,
                      reference_buy_t: dict[tuple[str, int], float], reported: Range, columns: np.ndarray | None,
                      who: tuple[str, ...], opts: SolveOptions) -> list[OwnCost]:
    """Each member of ``who``: its least and most own cost K_i over the grand coalition's plans of the block
    ``d`` that cost at most C + (C - B): C the cost of the plan the study reports (``reported``), B the best bound proven
    on the least cost.  Every plan within the proven gap of the least cost is within it (the least cost
    is at most C), and so is the plan reported.  Two solves per member, K_i minimised and maximised, each
    from the grand coalition's plan (``columns``; None: a plan the study composed, ``_with_idle``, so the
    model is solved and verified here first, and the better bound kept), each plan verified and its cost
    checked against the budget before its K_i is used."""
    t0 = time.perf_counter()
    case = CoalitionCase(d, members, members, reference_buy_t)
    session = CoalitionBudgetSession(case, proven=_PROVEN)
    grand = f"the plan of coalition {'+'.join(members)} ({block})"
    if columns is None:
        plan = session.solve(opts, shadow_prices=False)
        if not plan.has_solution:
            raise CoalitionNoPlan(grand, plan, members, tuple(d.minerals))
        plan_usd = verify_coalition(d, members, members, reference_buy_t, session.data, plan,
                                    read_coalition(session.model), plan.stats.objective_usd).objective_usd
        if plan.stats.bound_usd is not None:
            reported = Range(reported.value, min(max(reported.low, plan.stats.bound_usd), reported.value),
                             reported.value)
    else:
        plan_usd = session.start_from(columns)
        if not abs(plan_usd - reported.value) <= BUDGET_TOL_USD + BUDGET_TOL_REL * abs(reported.value):
            raise VerificationError([f"{grand}: its columns cost {plan_usd:,.2f} USD in this model, not the "
                                     f"{reported.value:,.2f} USD verified"])
    budget = reported.value + (reported.value - reported.low)
    session.add_budget({block: budget - plan_usd})
    out = []
    for member in who:  # the first member's time holds the model's build and start
        out.append(_member_cost_range(session, grand, budget, block, member, opts))
        out[-1].wall_s, t0 = time.perf_counter() - t0, time.perf_counter()
    return out


def _member_cost_range(session: CoalitionBudgetSession, grand: str, budget: float, block: str, member: str,
                       opts: SolveOptions) -> OwnCost:
    """``member_cost_range`` of one member, the budget in."""
    case = session.case
    d, members, reference_buy_t = case.d, case.members, case.reference_buy_t
    found, proven = {}, {}
    for sense in (MIN, MAX):
        # The ties are in who holds and lends a reserve, not in whole-number decisions: the LP with the grand
        # coalition's held finds the end, and HiGHS, started from it, has only to prove it (the default
        # battery group's six solves: 21.2 s from the grand coalition's plan, 15.1 s from these).
        session.push(session.member_cost(member), sense, opts, hold_integers=True)
        out = session.push(session.member_cost(member), sense, opts)
        what = f"{grand} with the {'least' if sense == MIN else 'most'} own cost of {member}"
        if not out.plan.has_solution:
            raise CoalitionNoPlan(what, out.plan, members, tuple(d.minerals))
        # The check prices a curve's tonnes (spot, shortage) at their cheapest split; a plan pushed to a
        # member's most cost may split them dearer than the model, so its cost is checked against the
        # model's and the budget, not for equality.
        ev = verify_coalition(d, members, members, reference_buy_t, session.data, out.plan,
                              read_coalition(session.model), None)
        cost = out.plan.stats.objective_usd
        if ev.objective_usd > min(budget, cost) + BUDGET_TOL_USD + BUDGET_TOL_REL * abs(budget):
            raise VerificationError([f"{what}: its cost {ev.objective_usd:,.2f} USD is above the budget "
                                     f"{budget:,.2f} USD or the model's {cost:,.2f} USD"])
        found[sense] = sum(x for (j, _m), x in ev.member_cost_usd.items() if j == member)
        proven[sense] = None if out.bound is None else out.bound / OBJECTIVE_SCALE
    return OwnCost(member, block, budget, found[MIN], found[MAX], proven[MIN], proven[MAX])


def _covers(korea: PlanningData, case: CoalitionCase, plan, cp) -> list[Cover]:
    """Per member hit, mineral and scenario: its losses and what met them."""
    d, home = case.d, case.home
    prob = {sc.name: sc.probability for sc in d.disruptions}
    rows: dict[tuple[str, str, str], Cover] = {}

    def row(i, m, w) -> Cover:
        return rows.setdefault((i, m, w), Cover(case.coalition, m, w, prob[w], i, *[0.0] * 7))

    rc = plan.recourse
    if home in case.coalition and rc is not None:
        mineral = {s: sup.mineral_id for s, sup in d.suppliers.items()}
        for sc in d.disruptions:
            for (s, y), share in sc.loss.items():
                lost = share * plan.buy_t.get((s, y), 0.0)
                if lost > 0:
                    row(home, mineral[s], sc.name).lost_t += lost
        for (s, _p, _y, w), t in rc.crisis_release_t.items():
            row(home, mineral[s], w).own_t += t
        for (a, s, _y, w), t in rc.call_t.items():
            ag = korea.agreements[a]
            if not ag.pooled:
                continue
            r = row(home, ag.mineral_id, w)
            if ag.kind == RESERVE:
                r.own_t += t
            elif ag.kind == SWAP:
                r.swaps_in_t += t
                row(ag.partner_countries[0], ag.mineral_id, w).lent_t += t
            else:
                r.joint_t += t
        for (s, _s2, _y, w), t in rc.spot_t.items():
            row(home, mineral[s], w).spot_t += t
        for (s, _r, _y, w), t in rc.crisis_recycled_t.items():
            row(home, mineral[s], w).recycling_t += t
        for (s, _y, w), t in rc.unmet_t.items():
            row(home, mineral[s], w).unmet_t += t
    for (m, i, y, w), t in cp.own_t.items():
        row(i, m, w).own_t += t
        lost = d.partner_loss(d.partners[i, m], next(sc for sc in d.disruptions if sc.name == w), y)[0]
        row(i, m, w).lost_t += lost * d.partners[i, m].demand_t_per_yr
    for (m, i, _y, w), t in cp.joint_t.items():
        row(i, m, w).joint_t += t
    for (m, i, k, _y, w), t in cp.borrow_t.items():
        row(i, m, w).swaps_in_t += t
        row(k, m, w).lent_t += t
    for (m, i, _j, _y, w), t in cp.spot_t.items():
        row(i, m, w).spot_t += t
    for (m, i, _k, _y, w), t in cp.short_t.items():
        row(i, m, w).unmet_t += t
    return [r for r in rows.values() if r.lost_t > 1e-6 or r.lent_t > 1e-6]


def _job(item: tuple[Callable, tuple]) -> Solved | list[OwnCost]:
    """A coalition's plan (``solve_coalition``) or a member's cost range (``member_cost_range``)."""
    work, args = item
    return work(*args)


@dataclass
class CoalitionStudy:
    """Every coalition's plan, block by block, and what they say together (``settle``)."""

    d: PlanningData
    members: tuple[str, ...]
    minerals: list[str]
    blocks: list[str]  # the minerals, or [ALL] when a CVaR term links them
    solved: dict[tuple[tuple[str, ...], str], Solved]
    own_costs: dict[tuple[str, str], OwnCost] = field(default_factory=dict)  # (member, block): ``member_cost_range``
    stopped: bool = False
    wall_s: float = 0.0

    @property
    def home(self) -> str:
        return self.d.settings.home_country

    @property
    def plans(self) -> list[Solved]:
        """The members' coalitions' plans, not Korea's plan alone that a study of partners alone solves only for
        the spare capacity it leaves (``run_study``)."""
        return [r for (s, _b), r in self.solved.items() if set(s) <= set(self.members)]

    def block_of(self, m: str) -> str:
        """The block a mineral is solved in: its group's ("lithium+nickel+..."), or ALL."""
        return next(b for b in self.blocks if b == ALL or m in b.split("+"))

    @property
    def coalitions(self) -> list[tuple[str, ...]]:
        """Every coalition of the members, in the members' order, smallest first."""
        return [tuple(i for i in self.members if i in s) for s in coalitions(self.members)]

    def complete(self, s: tuple[str, ...]) -> bool:
        """Whether S and its members alone are solved in every block, so v(S) is known."""
        return all((c, b) in self.solved for c in (s, *((i,) for i in s)) for b in self.blocks)

    def cost(self, s: tuple[str, ...], block: str | None = None) -> Range:
        """The hedged objective of S's plan: in one block, or summed over the blocks."""
        blocks = self.blocks if block is None else [block]
        parts = [self.solved[s, b].objective for b in blocks]
        return Range(sum(r.value for r in parts), sum(r.low for r in parts), sum(r.high for r in parts))

    def value(self, s: tuple[str, ...], block: str | None = None) -> Range:
        """v(S) = Σ_{i ∈ S} cost({i}) - cost(S), with the range the solves' bounds prove."""
        if len(s) == 1:
            return Range(0.0, 0.0, 0.0)
        alone = [self.cost((i,), block) for i in s]
        v = Range(sum(r.value for r in alone), sum(r.low for r in alone), sum(r.high for r in alone)) - self.cost(
            s, block)
        return Range(*(0.0 if abs(x) < ROUND_OFF_USD else x for x in (v.value, v.low, v.high)))


def plans_to_solve(d: PlanningData, members: tuple[str, ...], blocks: int) -> int:
    """The plans ``run_study`` solves or composes, one ``progress`` step each: every coalition of ``members``
    in each of ``blocks``, and Korea's plan alone where Korea is not a member (the reference whose spare
    supply the partners meet)."""
    return (2 ** len(members) - 1 + (d.settings.home_country not in members)) * blocks


def run_study(d: PlanningData, members: tuple[str, ...], minerals: list[str], opts: SolveOptions, jobs: int = 1,
              progress: Callable[[str], None] = lambda step: None, ranges: bool = True) -> CoalitionStudy:
    """Plan every coalition of ``members`` for ``minerals`` (``check_members`` first), ``jobs`` at a time,
    and (``ranges``) each member's own cost over the grand coalition's plans as cheap.  A stop keeps the
    plans that finished (``CoalitionStudy.stopped``)."""
    t0 = time.perf_counter()
    opts = hedged_options(opts)
    case = d.restricted_to(minerals)
    linked = d.settings.cvar_weight > 0  # the CVaR of the whole coalition's cost links the minerals
    groups = {"+".join(g): g for g in d.mineral_groups if set(g) & set(minerals)}  # a stream plant links a group
    blocks = [ALL] if linked else list(groups)
    cases = {b: case if b == ALL else case.restricted_to(groups[b]) for b in blocks}
    home = d.settings.home_country
    study = CoalitionStudy(d, members, list(minerals), blocks, {})
    sets = study.coalitions
    per_job = dataclasses.replace(opts, threads=max(1, opts.threads // max(1, jobs)))

    def done(r: Solved) -> None:
        study.solved[r.coalition, r.block] = r
        progress(f"{'+'.join(r.coalition)}: {r.block}")

    # A coalition with a member who adds nothing (``_null_members``) is not solved: its plan is the plan
    # without that member.  The others: Korea's coalitions in worker processes, the largest first; then,
    # in this process, the partners' (small models), which meet the spare capacity Korea's plan alone
    # leaves.
    null = {b: _null_members(cases[b], members) for b in blocks}
    idle = {(s, b): next((i for i in s if i in null[b]), None) for s in sets if len(s) > 1 for b in blocks}
    # Each member's own cost over the grand coalition's plans as cheap (``member_cost_range``: its settlement's
    # range), one job per member and block, done as soon as the grand coalition's plan of the block is
    # known; not with a CVaR term, which does not split by member.
    ranges = ranges and not linked
    reference: dict[str, dict] = {b: {} for b in blocks}

    def job(s: tuple[str, ...], b: str) -> tuple:
        return solve_coalition, (cases[b], members, s, b, reference[b], per_job, ranges and s == members)

    def range_jobs(r: Solved | list[OwnCost]) -> list[tuple]:
        if not isinstance(r, Solved) or r.columns is None:
            return []
        return [(member_cost_range, (cases[r.block], members, r.block, reference[r.block], r.objective, r.columns,
                                     (i,), per_job)) for i in members]

    def solved_or_range(r: Solved | list[OwnCost]) -> None:
        if isinstance(r, Solved):
            done(r)
        else:
            study.own_costs.update({(x.member, x.block): x for x in r})

    korea = [job(s, b) for s in (sets if home in members else [*sets, (home,)])
             if home in s for b in blocks if not idle.get((s, b))]
    korea.sort(key=lambda it: -len(it[1][2]))
    _done, stopped = run_jobs(_job, korea, jobs, solved_or_range, then=range_jobs)
    if not stopped:
        reference = {b: study.solved[(home,), b].korea_buy_t for b in blocks}
        partners = [job(s, b) for s in sets if home not in s for b in blocks if not idle.get((s, b))]
        _done, stopped = run_jobs(_job, partners, 1, solved_or_range, then=range_jobs)
    for s in sorted(sets, key=len):  # smaller coalitions first: each reuses one a member smaller
        for b in blocks:
            i = idle.get((s, b))
            if i and (tuple(j for j in s if j != i), b) in study.solved and ((i,), b) in study.solved:
                done(_with_idle(study, s, b, i))
    # Where the grand coalition's plan is another's with a member that adds nothing, that member may still
    # hold a reserve for the others at the same cost: the grand coalition's model is solved for the ranges,
    # one job per block, in this process (small models: starting workers took longer on the default case).
    composed = [(member_cost_range, (cases[b], members, b, reference[b], study.solved[members, b].objective, None,
                                     members, per_job))
                for b in blocks if ranges and not stopped and (members, b) in study.solved
                and study.solved[members, b].reused]
    if composed:
        _done, stopped = run_jobs(_job, composed, 1, solved_or_range)
    study.stopped, study.wall_s = stopped, time.perf_counter() - t0
    return study


def _null_members(d: PlanningData, members: tuple[str, ...]) -> set[str]:
    """The partners no disruption of ``d`` hits and with nothing above their mandate to lend: such a member
    adds nothing to any coalition (a stock it might hold for others costs them the same held by
    themselves), so a coalition's plan with it is the plan without it."""
    from models.coalition import hit_years

    hit = {i for (i, _m, _w), years in hit_years(d, members).items() if years}
    home = d.settings.home_country
    return {i for i in members if i != home and i not in hit
            and all(d.partners[i, m].lendable_t == 0 for m in d.minerals)}


def _with_idle(study: CoalitionStudy, s: tuple[str, ...], b: str, idle: str) -> Solved:
    """S's plan of block ``b`` when member ``idle`` adds nothing: the plan of S without it, and its own."""
    rest, alone = study.solved[tuple(i for i in s if i != idle), b], study.solved[(idle,), b]
    total = Range(rest.objective.value + alone.objective.value, rest.objective.low + alone.objective.low,
                  rest.objective.high + alone.objective.high)
    return Solved(s, b, rest.status, rest.termination, total, {**rest.member_cost_usd, **alone.member_cost_usd},
                  rest.joint_cost_usd, {**rest.reserve_t, **alone.reserve_t}, rest.joint_stock_t,
                  [dataclasses.replace(c, coalition=s) for c in rest.cover],
                  reused=f"not solved again: {idle} is never hit in {b} and has nothing to lend, so it adds nothing "
                         f"to {'+'.join(i for i in s if i != idle)}")


# ---- what the plans say together: the game ---------------------------------------------------------

@dataclass
class Split:
    """How the grand coalition's saving is split, and whether it holds."""

    shapley_usd: dict[str, float]  # per member, in all
    # per member, in all: the least and most φ_i over every coalition's cost within its proven range
    # (``linear_range``); significant when it does not hold 0
    shapley_range_usd: dict[str, Range]
    shapley_by_mineral_usd: dict[tuple[str, str], float]  # (member, block)
    # v(S) - Σ_{i ∈ S} φ_i of every proper coalition S (> 0: S is short), with its range (``linear_range``)
    shortfall_usd: dict[tuple[str, ...], Range]
    round_off_usd: float  # a shortfall no larger is the solves' round-off, no coalition shorted
    # whether Shapley is in the core over every cost within the proven ranges: 'in' (no coalition can be short),
    # 'out' (one is short in all of them), else 'not_significant' (the plans found decide it, the gaps do not);
    # and the same of each proper coalition alone (``core_verdict``)
    core: str
    holds: dict[tuple[str, ...], str]
    nucleolus_usd: dict[str, float]
    least_core_epsilon_usd: float  # <= 0: the core is not empty
    # A member's own saving b_i (its own costs alone minus in the grand coalition: its reserves and its
    # expected disruption cost; the joint stock is no member's), and its settlement b_i - φ_i, what it
    # should pay (negative: be paid) to end with φ_i: by (member, block).  Σ_i (b_i - φ_i) is the joint
    # stock's cost; the rest moves money from the members who draw on others' reserves and lending to
    # those who hold them.  Empty with a CVaR term (the CVaR does not split by member).
    gross_saving_usd: dict[tuple[str, str], float]
    settlement_usd: dict[tuple[str, str], float]
    # b_i - φ_i over the grand coalition's plans within the proven gap of its least cost (``own_costs``) and
    # the coalitions' costs within theirs (φ_i's own range): the found plan's, and the least and most any such
    # plan gives, as proven; by (member, block), and in all
    # (each block's plan is chosen apart, so the ends add up).  Empty where a block's range is not known (a
    # stop, or a solve the time limit ended before HiGHS proved its end).
    settlement_range_usd: dict[tuple[str, str], Range]
    settlement_total_usd: dict[str, Range]
    # b_i - φ_i of the plan found, in all, with the range the coalitions' gaps alone prove (its own cost in the
    # grand coalition held as found): the settlement on a basis one plan fixes.  What each member ends with,
    # its cost alone less φ_i, is the same in every plan; a plan as cheap that holds a reserve with another
    # member or in the joint stock moves the settlement by what that reserve costs (``settlement_total_usd``).
    # Known whenever the settlements are (not with a CVaR term), with or without ``settlement_total_usd``.
    settlement_found_usd: dict[str, Range]
    joint_cost_usd: dict[str, float]  # the grand coalition's joint stock cost, by block
    # present value of the fees of Korea's agreements with members, by mineral (none without Korea)
    fees_usd: dict[str, float]
    fee_agreements: dict[str, list[str]]  # mineral -> those agreements
    annuity: float  # Σ_y δ_y: a present value over it is the even yearly equivalent
    # (S, member added) -> v(S ∪ {i}) - v(S), in all, with its range (``linear_range``)
    marginal_usd: dict[tuple[tuple[str, ...], str], Range]
    marginal_by_mineral_usd: dict[tuple[tuple[str, ...], str, str], float]

    @property
    def violations(self) -> list[tuple[tuple[str, ...], float]]:
        """The coalitions the Shapley split shorts in the plans found, and by how much, the largest first."""
        short = [(s, r.value) for s, r in self.shortfall_usd.items() if r.value > self.round_off_usd]
        return sorted(short, key=lambda x: -x[1])

    @property
    def in_core(self) -> bool:
        """Whether the Shapley split is in the core in the plans found (``core``: whether the gaps prove it)."""
        return not self.violations

    @property
    def joint_total_usd(self) -> float:
        """The grand coalition's joint stock cost over every block: what the settlements add up to."""
        return sum(self.joint_cost_usd.values())


def settle(study: CoalitionStudy) -> Split | None:
    """The split of the grand coalition's saving (``Split``); None unless every coalition is solved."""
    members, d = list(study.members), study.d
    if not all(study.complete(s) for s in study.coalitions):
        return None
    grand = tuple(members)
    v_total = {frozenset(s): study.value(s).value for s in study.coalitions}
    tol = ROUND_OFF_USD + 1e-9 * abs(study.cost(grand).value)
    phi = shapley(members, v_total)
    costs = {frozenset(s): study.cost(s) for s in study.coalitions}
    weights = shapley_coefficients(members)
    spread = {i: linear_range(costs, cost_weights(weights[i]), phi[i]) for i in members}
    by_block = {}
    for b in study.blocks:
        phi_b = shapley(members, {frozenset(s): study.value(s, b).value for s in study.coalitions})
        by_block.update({(i, b): x for i, x in phi_b.items()})
    shortfalls = core_shortfalls(members, costs, v_total, phi)
    nuc, epsilon = nucleolus(members, v_total, tol)
    gross, owes, spans, found = {}, {}, {}, {}
    if d.settings.cvar_weight == 0:
        # b_i - φ_i = C({i}) - K_i together - φ_i: the weights of the coalitions' costs in C({i}) - φ_i.
        settling = {i: cost_weights({t: -a for t, a in weights[i].items()}) for i in members}
        for i in members:
            settling[i][frozenset([i])] = settling[i].get(frozenset([i]), 0.0) + 1.0
        for b in study.blocks:
            together = study.solved[grand, b].member_cost_usd
            block_costs = {frozenset(s): study.cost(s, b) for s in study.coalitions}
            for i in members:
                alone = study.solved[(i,), b].member_cost_usd
                gross[i, b] = sum(alone.values()) - sum(x for (j, _m), x in together.items() if j == i)
                owes[i, b] = gross[i, b] - by_block[i, b]
                # b_i = K_i alone - K_i together; alone K_i is the whole objective, proven to its own gap.  So
                # b_i - φ_i is linear in the coalitions' costs (C({i}) less φ_i's weights) and in K_i together,
                # which the plans as cheap take anywhere from its least to its most.  The plan found's (K_i
                # together held) needs only the coalitions' own solves: known with --no-ranges too, which
                # skips the solves of K_i's least and most, not what the gaps already prove.
                r = found[i, b] = linear_range(block_costs, settling[i], owes[i, b])
                own = study.own_costs.get((i, b))
                if own is not None and None not in (own.low, own.high):
                    kept = sum(alone.values()) - gross[i, b]
                    spans[i, b] = Range(owes[i, b], r.low - (own.high - kept), r.high + (kept - own.low))

    def total(ranges: dict[tuple[str, str], Range]) -> dict[str, Range]:
        return {i: Range(sum(owes[i, b] for b in study.blocks), sum(ranges[i, b].low for b in study.blocks),
                         sum(ranges[i, b].high for b in study.blocks)) for i in members}

    known = bool(spans) and len(spans) == len(owes)
    totals, found_totals = total(spans) if known else {}, total(found) if found else {}
    # Korea's fees for its lines with the partners: none in a study of partners alone.
    fees, named = _fees(d, members, study.minerals) if study.home in members else ({}, {})
    marginal, marginal_m = {}, {}
    for s in study.coalitions:
        for i in members:
            if i in s:
                continue
            bigger = tuple(j for j in members if j in s or j == i)
            marginal[s, i] = linear_range(costs, cost_weights({frozenset(bigger): 1.0, frozenset(s): -1.0}),
                                          study.value(bigger).value - study.value(s).value)
            for b in study.blocks:
                marginal_m[s, i, b] = study.value(bigger, b).value - study.value(s, b).value
    joint = {b: sum(study.solved[grand, b].joint_cost_usd.values()) for b in study.blocks}
    annuity = sum(d.settings.discount_factor(y) for y in d.years)
    return Split(phi, spread, by_block, shortfalls, tol, core_verdict(shortfalls, tol),
                 {s: core_verdict({s: r}, tol) for s, r in shortfalls.items()}, nuc, epsilon, gross, owes,
                 spans if totals else {}, totals, found_totals, joint, fees, named, annuity, marginal, marginal_m)


def cost_weights(alpha: dict[frozenset, float]) -> dict[frozenset, float]:
    """The weight of each coalition's cost C(U) in Σ_T α_T v(T) (a Shapley value, a coalition's shortfall, what
    a member adds to a coalition), v(T) = Σ_{j ∈ T} C({j}) - C(T) for |T| ≥ 2 (v of one member is 0):
    b_U = -α_U for |U| ≥ 2 and b_{j} = Σ_{T ∋ j, |T| ≥ 2} α_T."""
    weight: dict[frozenset, float] = {}
    for t, a in alpha.items():
        if len(t) > 1:
            weight[t] = weight.get(t, 0.0) - a
            for j in t:
                weight[frozenset([j])] = weight.get(frozenset([j]), 0.0) + a
    return weight


def linear_range(cost: dict[frozenset, Range], weight: dict[frozenset, float], value: float) -> Range:
    """``value`` = Σ_U b_U C(U) + a constant (``weight``: b, ``cost_weights``), with the least and most it can be
    when every coalition's cost C(U) lies anywhere in its proven range [bound, found] (``cost``:
    ``CoalitionStudy.cost`` of each): each end takes every cost at the end of its range its weight points to.
    One coalition's cost is shared by many v(T): ranges of v(T) taken apart would count its gap once for each
    (a member's cost alone cancels out of what it adds to a coalition)."""
    moves = [(w * (cost[u].low - cost[u].value), w * (cost[u].high - cost[u].value)) for u, w in weight.items()]
    return Range(value, value + sum(min(m) for m in moves), value + sum(max(m) for m in moves))


def core_shortfalls(members: list[str], cost: dict[frozenset, Range], v: dict[frozenset, float],
                    phi: dict[str, float]) -> dict[tuple[str, ...], Range]:
    """v(S) - Σ_{i ∈ S} φ_i of every proper coalition S (members in ``members``' order), with its range
    (``linear_range``: φ_i is Σ_T a_iT v(T), ``shapley_coefficients``)."""
    weights = shapley_coefficients(members)
    out = {}
    for t in coalitions(members, proper=True):
        alpha = {t: 1.0}
        for i in t:
            for u, a in weights[i].items():
                alpha[u] = alpha.get(u, 0.0) - a
        out[tuple(i for i in members if i in t)] = linear_range(cost, cost_weights(alpha),
                                                                v.get(t, 0.0) - sum(phi[i] for i in t))
    return out


def core_verdict(shortfalls: dict[tuple[str, ...], Range], tol: float) -> str:
    """'out' when some coalition is short by more than ``tol`` at every cost within the proven ranges, 'in'
    when none can be, else 'not_significant': the plans found decide it, the proven gaps do not."""
    if any(r.low > tol for r in shortfalls.values()):
        return "out"
    return "in" if all(r.high <= tol for r in shortfalls.values()) else "not_significant"


def _fees(d: PlanningData, members: list[str], minerals: list[str]) -> tuple[dict[str, float], dict[str, list[str]]]:
    """The present value of the fees Korea would pay for its Agreements rows with members on the minerals
    studied (today's terms for lines with these partners), each joined from its first year with its whole
    line.  A row on a mineral the study leaves out is not set against what the study splits."""
    fees: dict[str, float] = {}
    named: dict[str, list[str]] = {}
    for a in agreements_with(d, members, minerals):
        usd = sum(d.settings.discount_factor(y) * (a.fee_usd_per_yr + a.fee_usd_per_t_yr * a.emergency_volume_t)
                  for y in d.years if y >= a.first_year or a.member_at_start)
        fees[a.mineral_id] = fees.get(a.mineral_id, 0.0) + usd
        named.setdefault(a.mineral_id, []).append(a.agreement_id)
    return fees, named


def agreements_with(d: PlanningData, members: tuple[str, ...] | list[str], minerals: list[str]) -> list[Agreement]:
    """Korea's Agreements rows with any of the other members on the minerals studied."""
    others = set(members) - {d.settings.home_country}
    return [a for a in d.agreements.values() if set(a.partner_countries) & others and a.mineral_id in minerals]
