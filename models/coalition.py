"""Coalitions: Korea and partner countries meeting the same disruptions together (``planner coalition``).

A coalition S of the members N (Korea, the home country h, and partners of the Partners sheet) holds a
**joint stock** of each mineral, sized and paid for jointly in the first stage, beside each member's own
stock.  In a disruption each member hit meets its losses from its own stock, the joint stock (under the
sharing rule, Settings ``coalition_sharing_rule``), **swaps** from the stocks of members not hit, spot
purchases and, for the rest, a shortage at its own cost.  The same scenarios hit every member through
its own exposure: Korea through its supply options (``models.disruption``), a partner through its
China share and supplier countries (``PlanningData.partner_loss``).

Korea's part is the whole hedged model of ``models.build`` (its first stage re-decided in every
coalition); the joint stock and the swaps reach it as pooled agreements (``Agreement.pooled``): a
call on them replaces a lost tonne like a call on a line.  A partner's stock on hand is its own policy,
the same in every coalition, so it is data; its recourse is the family ``add_partner_recourse`` adds.
Every member, in every coalition and alone, may also hold a **reserve** of its own on the joint stock's
terms, which it may lend as it lends its stock: so a coalition can do all its members can do alone, and
v(S) is the value of pooling, not of having a stock.  This module adds the rows that link the members
(``add_coalition``); with Settings ``cvar_weight`` = 0 they link no minerals a stream plant does not, so
each mineral group (``PlanningData.mineral_groups``) is its own block.  Each member's own part of the
cost (``member_cost_usd``) is what ``CoalitionBudgetSession`` minimises and maximises among plans as cheap:
the range of its settlement.

Symbols (``models/FORMULATION.md``, "Coalitions"): D_{i,m,y} demand of member i, λ_{i,m,y,ω} the share of
a partner's supply lost, Q_i its stock, Q̂_i what it holds above its mandate, R_{i,m,y} a member's
reserve, J_{m,y} the joint stock, a_{i,m,y,ω} a member's share of the spare capacity sold spot,
H_i(m, ω) its crisis years.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

import pyomo.environ as pyo

from models.alternatives import BUDGET_TOTAL, BudgetSession, Measure, linear
from models.build import build_model
from models.dataset import JOINT_STOCKPILE, NEED_FIRST, POOLS, RESERVE, SWAP, Agreement, Partner, PlanningData
from models.objective import OBJECTIVE_SCALE
from models.plan import CoalitionPlan
from models.solve import BlockRun, Session


def joint_agreement(m: str) -> str:
    """The pooled agreement through which Korea draws on the coalition's joint stock of ``m``."""
    return f"coalition_joint_{m}"


def reserve_agreement(m: str) -> str:
    """The pooled agreement through which Korea draws on its own reserve of ``m``."""
    return f"coalition_reserve_{m}"


def swap_agreement(lender: str, m: str) -> str:
    """The pooled agreement through which Korea borrows ``m`` from member ``lender``'s stock."""
    return f"coalition_swap_{lender}_{m}"


@dataclass(frozen=True)
class CoalitionCase:
    """What one coalition's model is built from: the case ``d`` (a mineral group, or all minerals), the study's
    members N and the coalition S, and the purchases of Korea's plan alone, which set the spare capacity
    partners buy spot from when Korea is not in S (its plan outside S is its plan alone)."""

    d: PlanningData
    members: tuple[str, ...]
    coalition: tuple[str, ...]
    reference_buy_t: dict[tuple[str, int], float] = field(default_factory=dict)

    @property
    def home(self) -> str:
        return self.d.settings.home_country

    @property
    def joint(self) -> bool:
        """Whether S holds a joint stock: with two members or more."""
        return len(self.coalition) > 1

    @property
    def partners(self) -> list[str]:
        """The partners in S."""
        return [i for i in self.coalition if i != self.home]

    def partner(self, i: str, m: str) -> Partner:
        return self.d.partners[i, m]


def home_crisis_years(d: PlanningData) -> dict[str, dict[str, set[int]]]:
    """scenario -> mineral -> the years Korea loses tonnes of it (on an option that delivers then)."""
    out: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    years = set(d.years)
    for sc in d.disruptions:
        for (s, y), share in sc.loss.items():
            sup = d.suppliers.get(s)
            if share > 0 and y in years and sup is not None and not d.excluded(sup) and sup.available(y):
                out[sc.name][sup.mineral_id].add(y)
    return out


def partner_crisis(d: PlanningData, i: str, m: str) -> dict[str, dict[int, tuple[float, float, float]]]:
    """scenario -> year -> (λ, days, onset) of partner i's losses of ``m`` (``PlanningData.partner_loss``),
    the years it loses anything."""
    p = d.partners[i, m]
    out: dict[str, dict[int, tuple[float, float, float]]] = {}
    for sc in d.disruptions:
        for y in d.years:
            lost = d.partner_loss(p, sc, y)
            if lost[0] > 0:
                out.setdefault(sc.name, {})[y] = lost
    return out


def hit_years(d: PlanningData, members: tuple[str, ...]) -> dict[tuple[str, str, str], set[int]]:
    """(member, mineral, scenario) -> the years the member loses tonnes of the mineral."""
    out: dict[tuple[str, str, str], set[int]] = {}
    home = d.settings.home_country
    if home in members:
        for w, minerals in home_crisis_years(d).items():
            for m, years in minerals.items():
                out[home, m, w] = set(years)
    for i in members:
        if i == home:
            continue
        for m in d.minerals:
            for w, years in partner_crisis(d, i, m).items():
                out[i, m, w] = set(years)
    return out


def demand_t(d: PlanningData, i: str, m: str, y: int) -> float:
    """Member i's demand of m in y: Korea's Demand sheet, a partner's flat yearly figure."""
    return d.demand_t.get((m, y), 0.0) if i == d.settings.home_country else d.partners[i, m].demand_t_per_yr


def spot_shares(d: PlanningData, hits: dict[tuple[str, str, str], set[int]]
                ) -> dict[tuple[str, str, int, str], float]:
    """(member, mineral, year, scenario) -> a_{i,m,y,ω}: its share of the spare capacity sold spot, in
    proportion to demand among the members of N hit then (``hits``: (member, mineral, scenario) -> the
    years it is hit, for every member of N).  The same in every coalition: the other members bid on the
    world market whether or not they are in it."""
    hit_by: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for (i, m, w), years in hits.items():
        for y in years:
            hit_by[m, y, w].append(i)
    out = {}
    for (m, y, w), who in hit_by.items():
        total = sum(demand_t(d, i, m, y) for i in who)
        for i in who:
            out[i, m, y, w] = demand_t(d, i, m, y) / total if total > 0 else 1.0 / len(who)
    return out


def korea_case(case: CoalitionCase) -> PlanningData:
    """Korea's dataset in coalition S: its Agreements rows as they are (lines it pays for, which may be
    what meets its cover floor: the same in every coalition), Korea's share of the spare capacity in each
    scenario, and the pooled agreements (no fee, no line of cover: ``Agreement.pooled``) of its reserve
    and, with partners in S, of the joint stock and a swap from each partner, delivering after the
    stock's release lead time.  Without Korea in S, Korea's part is empty."""
    d, home = case.d, case.home
    if home not in case.coalition:
        return d.restricted_to([])
    agreements = dict(d.agreements)
    for m in d.minerals:
        pooled = {reserve_agreement(m): (RESERVE, ())} | (
            {joint_agreement(m): (JOINT_STOCKPILE, ())} if case.partners else {}) | {
            swap_agreement(k, m): (SWAP, (k,)) for k in case.partners}
        for a, (kind, partners) in pooled.items():
            agreements[a] = Agreement(a, kind, partners, m, 0.0, 0.0, d.settings.first_year, member_at_start=True,
                                      delivery_days=d.stock_rule(m).release_lead_days, pooled=True)
    shares = spot_shares(d, hit_years(d, case.members))
    scenarios = tuple(dataclasses.replace(sc, spot_share={(m, y): a for (i, m, y, w), a in shares.items()
                                                          if i == home and w == sc.name and a < 1})
                      for sc in d.disruptions)
    return dataclasses.replace(d, agreements=agreements, disruptions=scenarios)


@dataclass
class _Index:
    """The coalition's sparse sets, built once from the data (no Pyomo)."""

    case: CoalitionCase
    hits: dict[tuple[str, str, str], set[int]]  # (member of N, mineral, scenario) -> crisis years
    shares: dict[tuple[str, str, int, str], float]  # a_{i,m,y,ω}
    partner_lost: dict[tuple[str, str, int, str], tuple[float, float, float]]  # (m, i, y, ω) -> (λ, days, onset)
    lenders: dict[tuple[str, str], list[str]]  # (m, ω) -> members of S not hit, whose stock may be lent
    pooled_mineral: dict[str, str] = field(default_factory=dict)  # Korea's pooled agreement -> its mineral

    def crisis(self, i: str, m: str, w: str) -> list[int]:
        return sorted(self.hits.get((i, m, w), ()))

    def owing_years(self, i: str, m: str, w: str) -> list[int]:
        """The years a partner may owe what it drew in ω: from its first crisis year until rebuild_years
        after its last (it gives everything back by then)."""
        years = self.crisis(i, m, w)
        if not years:
            return []
        back = years[-1] + self.case.d.settings.rebuild_years
        return [y for y in self.case.d.years if years[0] <= y < back]


def _index(case: CoalitionCase) -> _Index:
    d = case.d
    hits = hit_years(d, case.members)
    lost = {}
    for i in case.partners:
        for m in d.minerals:
            for w, years in partner_crisis(d, i, m).items():
                for y, x in years.items():
                    lost[m, i, y, w] = x
    named = {sc.name: sc.partners_hit for sc in d.disruptions}
    lenders = {(m, w): [k for k in case.coalition if not hits.get((k, m, w)) and k not in named[w]]
               for m in d.minerals for w in named}
    pooled = {a(m): m for m in d.minerals for a in (reserve_agreement, joint_agreement)}
    return _Index(case, hits, spot_shares(d, hits), lost, lenders, pooled)


def add_coalition(b: pyo.ConcreteModel, case: CoalitionCase, korea: PlanningData) -> None:
    """Add coalition S to ``b``, the hedged model of ``korea``, Korea's case in S (``korea_case``; empty
    without Korea): the joint
    stock, the partners' recourse, the sharing of the joint stock, the swaps, and their costs in the
    objective's first stage and in each scenario's cost."""
    ix = _index(case)
    b.coalition_ix = ix
    add_coalition_stocks(b, case)
    add_partner_recourse(b, case, ix)
    add_stock_sharing(b, case, ix)
    add_swap_lines(b, case, ix)
    add_coalition_costs(b, case, ix, korea)


def add_coalition_stocks(b: pyo.ConcreteModel, case: CoalitionCase) -> None:
    """Each member's reserve and, with two members or more, the joint stock of each mineral at the end of
    each year, built up and kept (members count on them), each at most a year of every member's demand:

    .. math::

        R_{i,m,y_0-1} = 0 \\le R_{i,m,y-1} \\le R_{i,m,y} \\le \\sum_{k \\in N} D_{k,m,y}, \\qquad
        J_{m,y_0-1} = 0 \\le J_{m,y-1} \\le J_{m,y} \\le \\sum_{k \\in N} D_{k,m,y}

    Their tonnes are bought at the mineral's lowest price p_{m,y} plus the stockpile's purchase premium
    π_m, held at h_m a tonne-year (Korea's Stockpile figures for the mineral: an assumption), and the
    stock handed on after T is credited at v_m, as Korea's own (``add_cost_objective``); with X either
    stock:

    .. math::

        F^J = \\sum_X \\sum_{m,y} δ_y \\big[(p_{m,y} + π_m)(X_{m,y} - X_{m,y-1}) + h_m X_{m,y}\\big]
            - δ_T \\sum_X \\sum_m v_m X_{m,T}
    """
    d = case.d
    years = list(d.years)
    top = {(m, y): sum(demand_t(d, i, m, y) for i in case.members) for m in d.minerals for y in years}
    b.RESERVE = pyo.Set(initialize=[(m, i, y) for m in d.minerals for i in case.coalition for y in years], dimen=3,
                        ordered=True)
    b.reserve_t = pyo.Var(b.RESERVE, domain=pyo.NonNegativeReals, bounds=lambda _, m, i, y: (0, top[m, y]))
    b.reserve_kept = pyo.Constraint(b.RESERVE, rule=lambda b, m, i, y: b.reserve_t[m, i, y] >= b.reserve_t[
        m, i, y - 1] if y > years[0] else pyo.Constraint.Skip)
    b.JOINT_MY = pyo.Set(initialize=[(m, y) for m in d.minerals for y in years] if case.joint else [], dimen=2,
                         ordered=True)
    b.joint_stock_t = pyo.Var(b.JOINT_MY, domain=pyo.NonNegativeReals, bounds=lambda _, m, y: (0, top[m, y]))
    b.joint_stock_kept = pyo.Constraint(b.JOINT_MY, rule=lambda b, m, y: b.joint_stock_t[m, y] >= b.joint_stock_t[
        m, y - 1] if y > years[0] else pyo.Constraint.Skip)
    df, credit = d.settings.discount_factor, d.settings.terminal_stock_credit

    def cost(stock, m, y) -> object:  # one stock's part in year y; the credit for what it hands on after T
        added = stock(y) - (stock(y - 1) if y > years[0] else 0)
        rule = d.stock_rule(m)
        usd = df(y) * ((d.lowest_price_usd_per_t(m, y) + rule.purchase_premium_usd_per_t) * added
                       + rule.holding_cost_usd_per_t_yr * stock(y))
        if y == years[-1] and credit:
            usd -= df(y) * d.stock_value_usd_per_t(m) * stock(y)
        return usd

    # Each reserve is its member's cost; the joint stock is no member's.
    b.MEMBER = pyo.Set(initialize=case.coalition, ordered=True)
    b.reserve_cost_usd = pyo.Expression(b.MEMBER, rule=lambda b, i: sum(
        cost(lambda t: b.reserve_t[m, i, t], m, y) for m, j, y in b.RESERVE if j == i))
    b.joint_stock_cost_usd = pyo.Expression(expr=sum(b.reserve_cost_usd[i] for i in b.MEMBER) + sum(
        cost(lambda t: b.joint_stock_t[m, t], m, y) for m, y in b.JOINT_MY))


def _stocked_usd_per_t(d: PlanningData, m: str, y: int) -> float:
    """What a tonne drawn from a stock costs, like for like: bought back at the year's lowest price with the
    stockpile's purchase premium."""
    return d.lowest_price_usd_per_t(m, y) + d.stock_rule(m).purchase_premium_usd_per_t


def spare_capacity_t(b: pyo.ConcreteModel, case: CoalitionCase, m: str, y: int, w: str):
    """What the mineral's options have spare in (y, ω), as Korea's plan leaves them: Σ_{s'} (1 - l_{s',y,ω})
    (cap_{s',y} - buy_{s',y}), with Korea's purchases in S, or its plan alone outside S."""
    d = case.d
    sc = next(sc for sc in d.disruptions if sc.name == w)
    korea = case.home in case.coalition
    total = 0
    for s in d.usable_suppliers[m]:
        lost = sc.loss.get((s.supplier_id, y), 0.0)
        if not s.available(y) or lost >= 1:
            continue
        bought = b.buy_t[s.supplier_id, y] if korea else case.reference_buy_t.get((s.supplier_id, y), 0.0)
        total += (1 - lost) * (d.capacity_t(s, y) - bought)
    return total


def add_partner_recourse(b: pyo.ConcreteModel, case: CoalitionCase, ix: _Index) -> None:
    """What each partner i in S does in each crisis year y of ω in which it loses share λ_{i,m,y,ω} of
    its demand D_i: draws on its own stock (own), on the joint stock (joint), borrows from a member k
    not hit (borrow_k), buys spot on the spot supply curve (spot_j, step j) and leaves the rest short on
    its shortage curve (short_k, step k of width w_k D_i):

    .. math::

        λ_{i,m,y,ω} D_i = own + joint + \\sum_k borrow_k + \\sum_j spot_j + \\sum_k short_k

        \\sum_{τ \\in H_i, τ \\le y} own_{i,m,τ,ω} \\le Q_i + R_{i,m,y}, \\qquad
            own + joint + \\sum_k borrow_k \\le r(ℓ_m)\\, λ_{i,m,y,ω} D_i

        spot_j \\le a_{i,m,y,ω}\\, σ_j\\, spare_{m,y,ω} \\;(j \\text{ not last}), \\qquad
            \\sum_j spot_j \\le a_{i,m,y,ω}\\, spare_{m,y,ω}

    Stock and borrowed tonnes reach it after the mineral's release lead time ℓ_m (r as in
    ``models.disruption``); each member buys spot within its share a of the spare capacity
    (``spare_capacity_t``).  Its own stock is its stock on hand and its reserve.  Korea draws on its
    reserve through its pooled agreement: owed_{reserve,y,ω} ≤ R_{h,m,y}.
    """
    d = case.d
    rows = sorted(ix.partner_lost)
    b.PARTNER_HIT = pyo.Set(initialize=rows, dimen=4, ordered=True)
    b.partner_own_t = pyo.Var(b.PARTNER_HIT, domain=pyo.NonNegativeReals)
    b.PARTNER_JOINT = pyo.Set(initialize=rows if case.joint else [], dimen=4, ordered=True)
    b.partner_joint_t = pyo.Var(b.PARTNER_JOINT, domain=pyo.NonNegativeReals)
    borrow = [(m, i, k, y, w) for m, i, y, w in rows for k in ix.lenders[m, w] if k != i]
    b.PARTNER_BORROW = pyo.Set(initialize=borrow, dimen=5, ordered=True)
    b.partner_borrow_t = pyo.Var(b.PARTNER_BORROW, domain=pyo.NonNegativeReals)
    steps = [(m, i, j, y, w) for m, i, y, w in rows for j in range(len(d.spot_steps(m)))]
    b.PARTNER_SPOT = pyo.Set(initialize=steps, dimen=5, ordered=True)
    b.partner_spot_t = pyo.Var(b.PARTNER_SPOT, domain=pyo.NonNegativeReals)
    short = [(m, i, k, y, w) for m, i, y, w in rows
             for k in range(len(d.partner_shortage_steps(case.partner(i, m))))]
    b.PARTNER_SHORT = pyo.Set(initialize=short, dimen=5, ordered=True)

    def step_bounds(_, m, i, k, y, w):
        width = d.partner_shortage_steps(case.partner(i, m))[k][0]
        return (0, None if width is None else width * case.partner(i, m).demand_t_per_yr)

    b.partner_short_t = pyo.Var(b.PARTNER_SHORT, domain=pyo.NonNegativeReals, bounds=step_bounds)
    borrowed, spot, unmet = defaultdict(list), defaultdict(list), defaultdict(list)
    for k in borrow:
        borrowed[k[0], k[1], k[3], k[4]].append(k)
    for k in steps:
        spot[k[0], k[1], k[3], k[4]].append(k)
    for k in short:
        unmet[k[0], k[1], k[3], k[4]].append(k)

    def lost_t(m, i, y, w):
        return ix.partner_lost[m, i, y, w][0] * case.partner(i, m).demand_t_per_yr

    def stocked(b, m, i, y, w):  # what reaches it from a stock: its own, the joint one, a lender's
        joint = b.partner_joint_t[m, i, y, w] if case.joint else 0
        return b.partner_own_t[m, i, y, w] + joint + sum(b.partner_borrow_t[k] for k in borrowed[m, i, y, w])

    b.partner_balance = pyo.Constraint(b.PARTNER_HIT, rule=lambda b, m, i, y, w: lost_t(m, i, y, w) == stocked(
        b, m, i, y, w) + sum(b.partner_spot_t[k] for k in spot[m, i, y, w]) + sum(
        b.partner_short_t[k] for k in unmet[m, i, y, w]))
    b.partner_stock_held = pyo.Constraint(b.PARTNER_HIT, rule=lambda b, m, i, y, w: sum(
        b.partner_own_t[m, i, t, w] for t in ix.crisis(i, m, w) if t <= y) <= case.partner(i, m).stock_t
        + b.reserve_t[m, i, y])
    # Korea draws on its reserve through its pooled agreement.
    home = [(m, y, w) for (a, y, w) in b.owed_t if (m := ix.pooled_mineral.get(a)) and a == reserve_agreement(m)]
    b.HOME_RESERVE = pyo.Set(initialize=home, dimen=3, ordered=True)
    b.reserve_drawn = pyo.Constraint(b.HOME_RESERVE, rule=lambda b, m, y, w: b.owed_t[
        reserve_agreement(m), y, w] <= b.reserve_t[m, case.home, y])

    def reach(m, i, y, w):
        _share, days, onset = ix.partner_lost[m, i, y, w]
        return d.deliverable_share(d.stock_rule(m).release_lead_days, days, onset)

    late = [k for k in rows if reach(*k) < 1]
    b.PARTNER_LATE = pyo.Set(initialize=late, dimen=4, ordered=True)
    b.partner_release_lead = pyo.Constraint(b.PARTNER_LATE, rule=lambda b, m, i, y, w: stocked(
        b, m, i, y, w) <= reach(m, i, y, w) * lost_t(m, i, y, w))

    def allotted(m, i, y, w):
        return ix.shares.get((i, m, y, w), 1.0) * spare_capacity_t(b, case, m, y, w)

    b.partner_spot_total = pyo.Constraint(b.PARTNER_HIT, rule=lambda b, m, i, y, w: sum(
        b.partner_spot_t[k] for k in spot[m, i, y, w]) <= allotted(m, i, y, w))
    b.partner_spot_step = pyo.Constraint(b.PARTNER_SPOT, rule=lambda b, m, i, j, y, w: b.partner_spot_t[
        m, i, j, y, w] <= d.spot_steps(m)[j].share_of_spare * allotted(m, i, y, w)
        if j < len(d.spot_steps(m)) - 1 else pyo.Constraint.Skip)


def _owed(b: pyo.ConcreteModel, ix: _Index, i: str, m: str, y: int, w: str, lender: str | None):
    """What member i owes in (y, ω) to the joint stock (``lender`` None) or to member ``lender``: Korea's
    owed_t on the pooled agreement; a partner's draws so far in its crisis, until it gives them back."""
    case = ix.case
    if i == case.home:
        a = joint_agreement(m) if lender is None else swap_agreement(lender, m)
        return b.owed_t[a, y, w] if (a, y, w) in b.owed_t else 0
    if y not in ix.owing_years(i, m, w):
        return 0
    drawn = [t for t in ix.crisis(i, m, w) if t <= y]
    if lender is None:
        return sum(b.partner_joint_t[m, i, t, w] for t in drawn)
    return sum(b.partner_borrow_t[m, i, lender, t, w] for t in drawn if (m, i, lender, t, w) in b.partner_borrow_t)


def _home_owing(b: pyo.ConcreteModel) -> dict[tuple[str, str], list[int]]:
    """(pooled agreement, scenario) -> the years Korea may owe on it (its ``owed_t``)."""
    out: dict[tuple[str, str], list[int]] = defaultdict(list)
    for a, y, w in b.owed_t:
        out[a, w].append(y)
    return out


def add_stock_sharing(b: pyo.ConcreteModel, case: CoalitionCase, ix: _Index) -> None:
    """The joint stock in a crisis: what the members owe it (drawn and not yet given back) never exceeds
    it, and under the pro-rata rule a member hit in year y owes it at most its demand's share among the
    members of S hit then (under need_first the coalition's least-cost split decides):

    .. math::

        \\sum_{i \\in S} owed^J_{i,m,y,ω} \\le J_{m,y}, \\qquad
            owed^J_{i,m,y,ω} \\le \\frac{D_{i,m,y}}{\\sum_{j \\in S \\text{ hit in } (y, ω)} D_{j,m,y}}\\, J_{m,y}
            \\quad y \\in H_i(m, ω)

    For Korea owed^J is ``owed_t`` on the pooled joint agreement; for a partner, its joint draws so far
    in the crisis (``_owed``)."""
    d = case.d
    home_owing = _home_owing(b)
    rows, shares = [], []
    for m in d.minerals if case.joint else ():
        for w in (sc.name for sc in d.disruptions):
            owing = set()
            for i in case.coalition:
                years = (home_owing.get((joint_agreement(m), w), []) if i == case.home
                         else ix.owing_years(i, m, w))
                owing.update(years)
                if d.settings.coalition_sharing_rule != NEED_FIRST:
                    shares += [(m, i, y, w) for y in ix.crisis(i, m, w) if y in years]
            rows += [(m, y, w) for y in sorted(owing)]
    b.JOINT_OWED = pyo.Set(initialize=rows, dimen=3, ordered=True)
    b.joint_stock_drawn = pyo.Constraint(b.JOINT_OWED, rule=lambda b, m, y, w: sum(
        _owed(b, ix, i, m, y, w, None) for i in case.coalition) <= b.joint_stock_t[m, y])

    def share(m, i, y, w):
        hit = [j for j in case.coalition if y in ix.hits.get((j, m, w), ())]
        total = sum(demand_t(d, j, m, y) for j in hit)
        return demand_t(d, i, m, y) / total if total > 0 else 1.0 / len(hit)

    b.JOINT_SHARE = pyo.Set(initialize=shares, dimen=4, ordered=True)
    b.joint_stock_share = pyo.Constraint(b.JOINT_SHARE, rule=lambda b, m, i, y, w: _owed(
        b, ix, i, m, y, w, None) <= share(m, i, y, w) * b.joint_stock_t[m, y])


def add_swap_lines(b: pyo.ConcreteModel, case: CoalitionCase, ix: _Index) -> None:
    """Swaps: a member k not hit in (m, ω), and not named among the partners hit, lends from its stock
    what it holds above its mandate; what the others owe it never exceeds that:

    .. math::

        \\sum_{j \\ne k} owed^k_{j,m,y,ω} \\le \\hat Q_k + R_{k,m,y} \\quad (k \\text{ a partner}), \\qquad
        \\sum_{j \\ne h} owed^h_{j,m,y,ω} \\le R_{h,m,y} + \\min\\big(\\textstyle\\sum_p stock_{m,p,y},\\;
            cover_{m,y} - \\frac{days_{m,y}}{365} D_{h,m,y}\\big)

    Korea lends its reserve and, from its stock at the end of the year, what its cover holds above its
    floor (the stockpile_cover row keeps that at least 0).  Korea's calls on a partner hit in the
    mineral are 0."""
    d = case.d
    home = case.home
    for m in d.minerals:
        for k in case.partners:
            a = swap_agreement(k, m)
            for (aa, s, y, w) in b.call_t:
                if aa == a and k not in ix.lenders[m, w]:
                    b.call_t[aa, s, y, w].fix(0)
    home_owing = _home_owing(b)
    rows = []
    for m in d.minerals:
        for w in (sc.name for sc in d.disruptions):
            for k in ix.lenders[m, w]:
                years = set()
                for j in case.coalition:
                    if j == k:
                        continue
                    if j == home:
                        years.update(home_owing.get((swap_agreement(k, m), w), []))
                    elif ix.crisis(j, m, w):
                        years.update(ix.owing_years(j, m, w))
                rows += [(m, k, y, w) for y in sorted(years)]
    b.LENT = pyo.Set(initialize=rows, dimen=4, ordered=True)

    def owed_to(b, m, k, y, w):
        return sum(_owed(b, ix, j, m, y, w, k) for j in case.coalition if j != k)

    def lendable(b, m, k, y, w):
        own = case.partner(k, m).lendable_t if k != home else sum(b.stock_t[m, p, y] for p in POOLS)
        return own + b.reserve_t[m, k, y]

    b.lender_stock = pyo.Constraint(b.LENT, rule=lambda b, m, k, y, w: owed_to(b, m, k, y, w) <= lendable(
        b, m, k, y, w))
    # Korea keeps its floor: the stockpile_cover row is cover - floor >= 0, its body what Korea may lend.
    b.HOME_LENT = pyo.Set(initialize=[r for r in rows if r[1] == home], dimen=4, ordered=True)
    b.lender_mandate = pyo.Constraint(b.HOME_LENT, rule=lambda b, m, k, y, w: owed_to(
        b, m, k, y, w) <= b.stockpile_cover[m, y].body + b.reserve_t[m, k, y])


def add_coalition_costs(b: pyo.ConcreteModel, case: CoalitionCase, ix: _Index, korea: PlanningData) -> None:
    """The joint stock's cost F^J joins the first stage; each scenario's cost gains the partners'
    recourse and the premium on Korea's pooled calls.  Like Korea's, a partner's lost tonnes are not
    paid for and each replacement is charged like for like at the mineral's lowest price p_{m,y}: a
    tonne from a stock (its own, the joint one, a lender's) at p + π_m (it is bought back, or given
    back, after the crisis), a spot tonne on step j at g_j μ_{m,y,ω} p, a short tonne on step k at
    c_{i,k}:

    .. math::

        C^P_ω = \\sum_{i,m,y \\in H_i} δ_y \\Big[(p + π_m)(own + joint + \\sum_k borrow_k)
            + \\sum_j g_j μ p\\, spot_j + \\sum_k c_{i,k}\\, short_k - p\\, λ D_i\\Big]
            + \\sum_{a \\text{ pooled}, s, y} δ_y π_m\\, call_{a,s,y,ω}

    The hedged objective (``add_hedged_objective``) then weighs F + F^J and C_ω + C^P_ω as it weighs
    Korea's alone.  Each member's own part of it (``member_cost_usd``, the ``CoalitionEvaluation``'s):

    .. math::

        K_i = F^R_i + \\sum_ω p_ω C^P_{i,ω} \\;(+\\, F + \\sum_ω p_ω C_ω \\text{ for Korea})

    with F^R_i the cost of its reserve (the F^J of R_i alone) and C^P_{i,ω} its terms of C^P_ω (Korea's:
    the premium on its pooled calls), so that Σ_i K_i plus the joint stock's cost is the risk-neutral
    objective."""
    d = case.d
    df = d.settings.discount_factor
    mu = {sc.name: sc.spot_multiplier for sc in d.disruptions}
    terms: dict[tuple[str, str], list] = defaultdict(list)  # (scenario, member)
    for m, i, y, w in b.PARTNER_HIT:
        lost = ix.partner_lost[m, i, y, w][0] * case.partner(i, m).demand_t_per_yr
        terms[w, i].append(df(y) * (_stocked_usd_per_t(d, m, y) * b.partner_own_t[m, i, y, w]
                                    - d.lowest_price_usd_per_t(m, y) * lost))
    for m, i, y, w in b.PARTNER_JOINT:
        terms[w, i].append(df(y) * _stocked_usd_per_t(d, m, y) * b.partner_joint_t[m, i, y, w])
    for m, i, k, y, w in b.PARTNER_BORROW:
        terms[w, i].append(df(y) * _stocked_usd_per_t(d, m, y) * b.partner_borrow_t[m, i, k, y, w])
    for m, i, j, y, w in b.PARTNER_SPOT:
        price = d.spot_steps(m)[j].price_factor * mu[w].get((m, y), 1.0) * d.lowest_price_usd_per_t(m, y)
        terms[w, i].append(df(y) * price * b.partner_spot_t[m, i, j, y, w])
    for m, i, k, y, w in b.PARTNER_SHORT:
        terms[w, i].append(df(y) * d.partner_shortage_steps(case.partner(i, m))[k][1]
                           * b.partner_short_t[m, i, k, y, w])
    for a, s, y, w in b.call_t:
        if korea.agreements[a].pooled:
            terms[w, case.home].append(df(y) * d.stock_rule(korea.agreements[a].mineral_id).purchase_premium_usd_per_t
                                       * b.call_t[a, s, y, w])
    b.partner_recourse_usd = pyo.Expression(b.SCENARIOS, rule=lambda b, w: sum(
        x for i in case.coalition for x in terms[w, i]))
    probability = {sc.name: sc.probability for sc in d.disruptions}
    # Korea's own hedged cost, taken before the coalition's terms join it.
    home = b.total_cost_usd.expr + sum(probability[w] * b.recourse_cost_usd[w].expr for w in b.SCENARIOS) \
        if case.home in case.coalition else 0
    b.member_cost_usd = pyo.Expression(b.MEMBER, rule=lambda b, i: b.reserve_cost_usd[i] + sum(
        probability[w] * x for w in b.SCENARIOS for x in terms[w, i]) + (home if i == case.home else 0))
    b.total_cost_usd.set_value(b.total_cost_usd.expr + b.joint_stock_cost_usd)
    for w in b.SCENARIOS:
        b.recourse_cost_usd[w].set_value(b.recourse_cost_usd[w].expr + b.partner_recourse_usd[w])


def read_coalition(b: pyo.ConcreteModel) -> CoalitionPlan:
    """The coalition's own decisions of a solved model, as plain numbers."""

    def values(var) -> dict:
        return {k: max(float(v.value or 0.0), 0.0) for k, v in var.items()}

    return CoalitionPlan(reserve_t=values(b.reserve_t), joint_stock_t=values(b.joint_stock_t),
                         own_t=values(b.partner_own_t),
                         joint_t=values(b.partner_joint_t), borrow_t=values(b.partner_borrow_t),
                         spot_t=values(b.partner_spot_t), short_t=values(b.partner_short_t))


class CoalitionSession(Session):
    """The model of one coalition: Korea's hedged model in S (``korea_case``) with the coalition's rows
    (``add_coalition``), compiled and solved block by block like any other."""

    def __init__(self, case: CoalitionCase, proven: dict[bytes, BlockRun] | None = None):
        self.case = case
        super().__init__(korea_case(case), hedged=True, proven=proven)

    def _build(self, data: PlanningData, elastic: bool) -> pyo.ConcreteModel:
        b = build_model(data, hedged=True)
        add_coalition(b, self.case, data)
        return b


class CoalitionBudgetSession(BudgetSession, CoalitionSession):
    """A coalition's model solved at least cost, then with its cost within a budget (one row over the whole
    model: ``add_budget``) and a member's own cost K_i (``member_cost_usd``) as the objective (``push``):
    the least and the most K_i of the plans as cheap as the budget allows."""

    budget = BUDGET_TOTAL

    def member_cost(self, i: str) -> Measure:
        """K_i, in the solver's units (the cost objective's scale, so HiGHS's tolerances mean the same)."""
        return linear(OBJECTIVE_SCALE * self.model.member_cost_usd[i])
