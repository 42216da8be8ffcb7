"""The second stage: what each disruption costs the plan decided before it, and the objective that
weighs those costs (expected value, and CVaR for a risk-averse planner).

The first stage is the whole deterministic model (``models.build``): contracts and the tonnes
planned under them, recycling builds, the stock path outside crises, agreements joined and the
size of each line.  It is the same in every scenario.  A scenario ω is one disruption
(``DisruptionScenario``): in its crisis years some options deliver only part of what was planned,
and the recourse covers the lost tonnes:

- spot purchases from the spare capacity any option of the mineral still has, at the year's
  price times the scenario's spot multiplier (no contract needed: it is a spot market);
- more recycling, from modules already online and feedstock not yet used;
- releases from the stock, down to nothing (the cover floor does not bind in a crisis);
- calls on agreement lines (swap lines, joint-stockpile shares), only if no partner is hit too;
- unmet demand, on the mineral's shortage cost curve (the output Korea's industries lose).

Stock and lines reach users only after their lead time, so of a stop's lost tonnes they replace the
part after it; Korea's spot buying climbs the mineral's spot supply curve.

Each lost tonne is replaced, and charged, as the option it was lost from (like for like): a
tonne drawn from the stock or a line is charged when drawn, at the lost tonne's price (plus the
purchase premium for the stock), and by ``rebuild_years`` after the crisis's end the stock is
where the plan had it and every call is given back.  So no disruption lowers the cost (see
``add_disruption_recourse``).  Policy caps do not bind crisis tonnes: an emergency is not the
time to count exposure.  Contracts cannot be re-signed in the light of the crisis: a two-stage
model decides them once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyomo.core as pyo

from models.dataset import DAYS_PER_YEAR, POOLS, PlanningData
from models.index import Index
from models.objective import OBJECTIVE_SCALE

DAYS_PER_MONTH = DAYS_PER_YEAR / 12


@dataclass
class _Hit:
    """One mineral hit in one scenario: the options losing tonnes in each crisis year, the years its
    recourse runs, the years by which stock and calls must be back, and the agreements that can
    deliver."""

    lost: dict[int, list[str]]  # crisis year -> options that lose tonnes then
    recovery: list[int]
    restored: list[int]
    lines: list[str] = field(default_factory=list)  # agreements none of whose partners is hit

    @property
    def crisis(self) -> list[int]:
        return sorted(self.lost)


def scenario_hits(d: PlanningData, ix: Index) -> dict[str, dict[str, _Hit]]:
    """scenario -> mineral -> what the scenario does to that mineral (only minerals with a loss
    on an option that delivers)."""
    hits: dict[str, dict[str, _Hit]] = {}
    back = d.settings.rebuild_years
    for sc in d.disruptions:
        lost: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        for (s, y), share in sorted(sc.loss.items()):
            if share > 0 and (s, y) in ix.sy_set:
                lost[ix.mineral_of[s]][y].append(s)
        for m, by_year in lost.items():
            crisis = sorted(by_year)
            lines = [a.agreement_id for a in d.agreements_by_mineral[m]
                     if not set(a.partner_countries) & sc.partners_hit]
            hits.setdefault(sc.name, {})[m] = _Hit(
                dict(by_year), [y for y in ix.years if y >= crisis[0]],
                [y for y in ix.years if y >= crisis[-1] + back], lines)
    return hits


def recourse_size(d: PlanningData) -> int:
    """About how many recourse variables the extensive form of ``d``'s disruptions holds, from the
    data alone, before any model is built: per option-year a scenario takes tonnes from, a spot
    purchase from each option of its mineral, extra recycling from each recycler, a call on each
    line, two stock releases and a shortfall (``add_disruption_recourse``).  The memory a hedged run
    needs grows with it (``planner.memory``)."""
    per_option = {m: len(d.usable_suppliers[m]) + len(d.recycling_by_mineral[m]) + len(d.agreements_by_mineral[m])
                  + 3 for m in d.minerals}
    years = set(d.years)
    return sum(per_option[d.suppliers[s].mineral_id] for sc in d.disruptions for (s, y), share in sc.loss.items()
               if share > 0 and y in years)


def add_disruption_recourse(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Recourse variables and rows of every disruption scenario ω, and its cost C_ω.

    For a mineral m hit in ω: crisis years H, recourse years R (from the first crisis year to T),
    restored years B (from the last crisis year + rebuild_years to T); L_y the options losing
    tonnes in year y, l_{s,y,ω} the share of option s's planned tonnes lost, μ_{m,y,ω} the spot
    multiplier.  Every lost tonne of option s is replaced, and the replacement is charged, as
    that option's own (s is the first index of each replacement):

    .. math::

        l_{s,y,ω}\\, buy_{s,y} = \\sum_{s'} spot_{s,s',y,ω} + \\sum_r xrec_{s,r,y,ω}
            + \\sum_p crel_{s,p,y,ω} + \\sum_a call_{a,s,y,ω} + short_{s,y,ω}   \\quad s \\in L_y, y \\in H

        \\sum_{s \\in L_y} spot_{s,s',y,ω} \\le a_{m,y,ω} (1 - l_{s',y,ω})\\,(cap_{s',y} - buy_{s',y})

        recycled_{r,y} + \\sum_s xrec_{s,r,y,ω} \\le module\\_capacity_r\\, online_{r,y}, \\qquad
            \\sum_r (recycled_{r,y} + \\sum_s xrec_{s,r,y,ω}) / yield_r \\le feedstock_{m,y}

        def_{m,p,y,ω} = def_{m,p,y-1,ω} + \\sum_s crel_{s,p,y,ω} - reb_{m,p,y,ω}, \\quad
            0 \\le def_{m,p,y,ω} \\le stock_{m,p,y}                            \\quad y \\in R

        owed_{a,y,ω} = owed_{a,y-1,ω} + \\sum_s call_{a,s,y,ω} - back_{a,y,ω}, \\quad
            owed_{a,y,ω} \\le line_{a,y}

        def_{m,p,y,ω} = 0, \\quad owed_{a,y,ω} = 0                               \\quad y \\in B

    crel, xrec and call only in crisis years, reb and back only in recourse years that are not crisis
    years (fixed at 0 in every y ∈ H); xrec only on options r with modules of their own; call only on
    agreements none of whose partners is hit; owed ≤ line only on an agreement that is not pooled
    (``models.coalition``'s rows limit a pooled one).  cap_{s',y} is the option's capacity as in
    ``add_supply``; spot_{s,s'} only from options s' with l_{s',y,ω} < 1.  a_{m,y,ω} is Korea's share
    of the spare capacity (1, unless other importers hit at the same time bid for it too:
    ``models.coalition``).  Lead times:
    with the stop of s running over days [o, o + D) of its course in year y and
    r(ℓ) = (o + D − max(o, ℓ))⁺ / D the share of its loss
    after a lead time ℓ (``PlanningData.deliverable_share``), ℓ_m the stock's release lead time,
    ℓ_a a line's delivery time and M_m the most released a month:

    .. math::

        \\sum_p crel_{s,p,y,ω} \\le r(ℓ_m)\\, l_{s,y,ω}\\, buy_{s,y}, \\qquad
            call_{a,s,y,ω} \\le r(ℓ_a)\\, l_{s,y,ω}\\, buy_{s,y}, \\qquad
            \\sum_{s,p} crel_{s,p,y,ω} \\le M_m \\max_s r(ℓ_m) D_s / (365/12)

    The shortage cost curve (steps k of width w_k of demand at c_{m,k}, costs never falling) and the
    spot supply curve (steps j holding share σ_j of the spare capacity at g_j times the crisis price):

    .. math::

        \\sum_{s \\in L_y} short_{s,y,ω} = \\sum_k shortage\\_step_{m,k,y,ω}, \\quad
            shortage\\_step_{m,k,y,ω} \\le w_k\\, demand_{m,y}

        \\sum_{s,s'} spot_{s,s',y,ω} = \\sum_j spot\\_step_{m,j,y,ω}, \\quad
            spot\\_step_{m,j,y,ω} \\le σ_j \\sum_{s'} a_{m,y,ω} (1 - l_{s',y,ω})(cap_{s',y} - buy_{s',y})

    (the last step of each curve open; the spot steps only for a mineral whose curve has more than
    one step or a factor other than 1).  The cost of ω, present value, with \\underline{p}_{m,y} the
    mineral's lowest price:

    .. math::

        C_ω = \\sum_{y \\in H} δ_y \\Big( \\sum_{s \\in L_y} \\Big[ \\sum_{s'} \\max(μ_{m,y,ω}\\, p_{s',y},\\, p_{s,y})\\,
            spot_{s,s',y,ω} + \\sum_r \\max(o_r,\\, p_{s,y})\\, xrec_{s,r,y,ω}
            + (p_{s,y} + π_m) \\sum_p crel_{s,p,y,ω} + p_{s,y} \\sum_a call_{a,s,y,ω}
            - p_{s,y}\\, l_{s,y,ω}\\, buy_{s,y} \\Big]
            + \\sum_k c_{m,k}\\, shortage\\_step_{m,k,y,ω}
            + \\sum_j (g_j - 1)\\, μ_{m,y,ω}\\, \\underline{p}_{m,y}\\, spot\\_step_{m,j,y,ω} \\Big)

    Lost tonnes are not paid for.  A tonne drawn from the stock or a line is charged when it is
    drawn, like for like (the lost tonne's price, plus the purchase premium for the stock): it is
    bought back, or given back, after the crisis, and charging the draw keeps a crisis from
    being a way to put off purchases.  A spot tonne, and a tonne of extra recycling, costs at
    least the tonne it replaces: a crisis makes no tonne cheaper, and spot bought or recycling run
    around a cap the plan kept is not a saving (a least-cost plan may keep a recycler cheaper than
    the tonne idle because a cap on imports makes it dearer than it looks; charged at its operating
    cost alone, the crisis was a saving and a likelier crisis a cheaper hedged plan).  So
    C_ω >= 0 for any first stage whenever every shortage cost is above every price.
    """
    hits = scenario_hits(d, ix)
    df = {y: d.settings.discount_factor(y) for y in ix.years}
    scenario = {sc.name: sc for sc in d.disruptions}
    stk = d.stockpile
    lost, spot, xrec, crel, deficit, call, owed, short, restored = [], [], [], [], [], [], [], [], []
    for w, minerals in hits.items():
        for m, h in minerals.items():
            for y, options in h.lost.items():
                sources = [s2 for s2 in ix.buy_by_my.get((m, y), ()) if scenario[w].loss.get((s2, y), 0.0) < 1]
                for s in options:
                    lost.append((s, y, w))
                    short.append((s, y, w))
                    spot += [(s, s2, y, w) for s2 in sources]
                    xrec += [(s, r, y, w) for r in ix.own_rec_by_m[m]]
                    crel += [(s, p, y, w) for p in POOLS]
                    call += [(a, s, y, w) for a in h.lines if (a, y) in ix.ay_set]
            deficit += [(m, p, y, w) for p in POOLS for y in h.recovery]
            owed += [(a, y, w) for a in h.lines for y in h.recovery if (a, y) in ix.ay_set]
            restored += [(m, y, w) for y in h.restored]
    b.SCENARIOS = pyo.Set(initialize=list(scenario), ordered=True)
    b.LOST = pyo.Set(initialize=lost, dimen=3, ordered=True)
    b.SPOT = pyo.Set(initialize=spot, dimen=4, ordered=True)
    b.XREC = pyo.Set(initialize=xrec, dimen=4, ordered=True)
    b.CREL = pyo.Set(initialize=crel, dimen=4, ordered=True)
    b.DEFICIT = pyo.Set(initialize=deficit, dimen=4, ordered=True)
    b.CALL = pyo.Set(initialize=call, dimen=4, ordered=True)
    b.OWED = pyo.Set(initialize=owed, dimen=3, ordered=True)

    def loss(s, y, w):
        return scenario[w].loss.get((s, y), 0.0)

    def price(s, y):
        return d.price_usd_per_t(d.suppliers[s], y)

    b.spot_t = pyo.Var(b.SPOT, domain=pyo.NonNegativeReals)
    b.crisis_recycled_t = pyo.Var(b.XREC, domain=pyo.NonNegativeReals)
    b.crisis_release_t = pyo.Var(b.CREL, domain=pyo.NonNegativeReals)
    b.rebuild_t = pyo.Var(b.DEFICIT, domain=pyo.NonNegativeReals)
    b.deficit_t = pyo.Var(b.DEFICIT, domain=pyo.NonNegativeReals)
    b.call_t = pyo.Var(b.CALL, domain=pyo.NonNegativeReals)
    b.give_back_t = pyo.Var(b.OWED, domain=pyo.NonNegativeReals)
    b.owed_t = pyo.Var(b.OWED, domain=pyo.NonNegativeReals)
    # Unbounded, so every first stage has a recourse: tonnes meant for the stock can be lost too.
    b.crisis_unmet_t = pyo.Var(b.LOST, domain=pyo.NonNegativeReals)
    # The shortage cost curve: the mineral's unmet tonnes of a crisis year, step by step (convex).
    crisis_my = sorted({(ix.mineral_of[s], y, w) for s, y, w in lost})
    b.SHORT = pyo.Set(initialize=[(m, k, y, w) for m, y, w in crisis_my for k in range(len(d.shortage_steps(m)))],
                      dimen=4, ordered=True)

    def step_bounds(_, m, k, y, w):
        width = d.shortage_steps(m)[k][0]
        return (0, None if width is None else width * d.demand_t.get((m, y), 0.0))

    b.shortage_step_t = pyo.Var(b.SHORT, domain=pyo.NonNegativeReals, bounds=step_bounds)
    unmet_of: dict[tuple, list] = defaultdict(list)
    for s, y, w in lost:
        unmet_of[ix.mineral_of[s], y, w].append(s)
    b.CRISIS_M = pyo.Set(initialize=crisis_my, dimen=3, ordered=True)
    b.crisis_shortage = pyo.Constraint(b.CRISIS_M, rule=lambda b, m, y, w: sum(
        b.crisis_unmet_t[s, y, w] for s in unmet_of[m, y, w]) == sum(
        b.shortage_step_t[m, k, y, w] for k in range(len(d.shortage_steps(m)))))
    by_lost: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    spot_from, xrec_of, crel_of, call_of = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    for k in spot:
        by_lost[k[0], k[2], k[3]]["spot"].append(k)
        spot_from[k[1], k[2], k[3]].append(k)
    for k in xrec:
        by_lost[k[0], k[2], k[3]]["xrec"].append(k)
        xrec_of[k[1], k[2], k[3]].append(k)
    for k in crel:
        by_lost[k[0], k[2], k[3]]["crel"].append(k)
        crel_of[ix.mineral_of[k[0]], k[1], k[2], k[3]].append(k)
    for k in call:
        by_lost[k[1], k[2], k[3]]["call"].append(k)
        call_of[k[0], k[2], k[3]].append(k)

    def crisis_balance(b, s, y, w):
        parts = by_lost[s, y, w]
        return loss(s, y, w) * b.buy_t[s, y] == (
            sum(b.spot_t[k] for k in parts["spot"]) + sum(b.crisis_recycled_t[k] for k in parts["xrec"])
            + sum(b.crisis_release_t[k] for k in parts["crel"]) + sum(b.call_t[k] for k in parts["call"])
            + b.crisis_unmet_t[s, y, w])

    b.crisis_balance = pyo.Constraint(b.LOST, rule=crisis_balance)
    b.SPOT_FROM = pyo.Set(initialize=list(spot_from), dimen=3, ordered=True)

    def sold(s2, y, w):  # Korea's share a of what an option has spare: all of it, unless other importers bid too
        return scenario[w].spot_share.get((ix.mineral_of[s2], y), 1.0) * (1 - loss(s2, y, w))

    b.spot_capacity = pyo.Constraint(b.SPOT_FROM, rule=lambda b, s2, y, w: sum(
        b.spot_t[k] for k in spot_from[s2, y, w]) + sold(s2, y, w) * b.buy_t[s2, y]
        <= sold(s2, y, w) * d.capacity_t(d.suppliers[s2], y))
    # Korea's spot buying climbs the mineral's spot supply curve: step k holds at most its share of the
    # spare capacity left, at its price factor over the crisis price.
    stepped = [(m, y, w) for m, y, w in crisis_my if len(d.spot_steps(m)) > 1 or d.spot_steps(m)[0].price_factor != 1]
    b.SPOT_STEP = pyo.Set(initialize=[(m, k, y, w) for m, y, w in stepped for k in range(len(d.spot_steps(m)))],
                          dimen=4, ordered=True)
    b.spot_step_t = pyo.Var(b.SPOT_STEP, domain=pyo.NonNegativeReals)
    spot_of_my: dict[tuple, list] = defaultdict(list)
    for k in spot:
        spot_of_my[ix.mineral_of[k[0]], k[2], k[3]].append(k)
    b.STEPPED = pyo.Set(initialize=stepped, dimen=3, ordered=True)
    b.spot_steps_total = pyo.Constraint(b.STEPPED, rule=lambda b, m, y, w: sum(
        b.spot_t[k] for k in spot_of_my[m, y, w]) == sum(
        b.spot_step_t[m, k, y, w] for k in range(len(d.spot_steps(m)))))

    def spare_t(b, m, y, w):
        return sum(sold(s2, y, w) * (d.capacity_t(d.suppliers[s2], y) - b.buy_t[s2, y])
                   for s2 in dict.fromkeys(k[1] for k in spot_of_my[m, y, w]))

    b.spot_step_capacity = pyo.Constraint(
        b.SPOT_STEP, rule=lambda b, m, k, y, w: b.spot_step_t[m, k, y, w] <= d.spot_steps(m)[k].share_of_spare
        * spare_t(b, m, y, w) if k < len(d.spot_steps(m)) - 1 else pyo.Constraint.Skip)
    # Stock and lines reach users only after their lead time: of a stop's lost tonnes they replace
    # the part after it (``PlanningData.deliverable_share``), and at most a month's release a month.
    sc_of = scenario

    def reach(s, y, w, lead):
        return d.deliverable_share(lead, *sc_of[w].stopped(s, y))

    def lead_of(m):
        rule = stk.get(m)
        return rule.release_lead_days if rule else 0.0

    b.RELEASE_LATE = pyo.Set(initialize=[k for k in lost if reach(*k, lead_of(ix.mineral_of[k[0]])) < 1], dimen=3,
                             ordered=True)
    b.crisis_release_lead = pyo.Constraint(b.RELEASE_LATE, rule=lambda b, s, y, w: sum(
        b.crisis_release_t[s, p, y, w] for p in POOLS) <= reach(s, y, w, lead_of(ix.mineral_of[s]))
        * loss(s, y, w) * b.buy_t[s, y])
    b.CALL_LATE = pyo.Set(initialize=[k for k in call if reach(k[1], k[2], k[3], d.agreements[k[0]].delivery_days)
                                      < 1], dimen=4, ordered=True)
    b.crisis_call_lead = pyo.Constraint(b.CALL_LATE, rule=lambda b, a, s, y, w: b.call_t[a, s, y, w] <= reach(
        s, y, w, d.agreements[a].delivery_days) * loss(s, y, w) * b.buy_t[s, y])

    def release_window_days(m, y, w):
        lead = lead_of(m)
        return max(reach(s, y, w, lead) * sc_of[w].stopped(s, y)[0] for s in unmet_of[m, y, w])

    b.RELEASE_CAPPED = pyo.Set(initialize=[k for k in crisis_my if stk.get(k[0]) is not None
                                           and stk[k[0]].max_release_t_per_month is not None], dimen=3, ordered=True)
    b.crisis_release_rate = pyo.Constraint(b.RELEASE_CAPPED, rule=lambda b, m, y, w: sum(
        b.crisis_release_t[s, p, y, w] for s in unmet_of[m, y, w] for p in POOLS)
        <= stk[m].max_release_t_per_month * release_window_days(m, y, w) / DAYS_PER_MONTH)
    b.XREC_OF = pyo.Set(initialize=list(xrec_of), dimen=3, ordered=True)
    b.crisis_recycling_capacity = pyo.Constraint(b.XREC_OF, rule=lambda b, r, y, w: b.recycled_t[r, y] + sum(
        b.crisis_recycled_t[k] for k in xrec_of[r, y, w])
        <= d.recycling[r].module_capacity_t_per_yr * b.modules_online[r, y])
    recycled_my = sorted({(ix.mineral_of[r], y, w) for r, y, w in xrec_of})

    def crisis_feedstock(b, m, y, w):
        used = sum((b.recycled_t[r, y] + sum(b.crisis_recycled_t[k] for k in xrec_of[r, y, w]))
                   * (1.0 / d.recycling[r].recovery_yield) for r in ix.own_rec_by_m[m])
        return used <= d.feedstock_t.get((m, y), 0.0)

    b.CRISIS_MY = pyo.Set(initialize=recycled_my, dimen=3, ordered=True)
    b.crisis_feedstock = pyo.Constraint(b.CRISIS_MY, rule=crisis_feedstock)
    deficit_set, owed_set = set(deficit), set(owed)

    def deficit_balance(b, m, p, y, w):
        before = b.deficit_t[m, p, y - 1, w] if (m, p, y - 1, w) in deficit_set else 0
        return b.deficit_t[m, p, y, w] == before + sum(b.crisis_release_t[k] for k in crel_of[m, p, y, w]) \
            - b.rebuild_t[m, p, y, w]

    b.deficit_balance = pyo.Constraint(b.DEFICIT, rule=deficit_balance)
    b.deficit_held = pyo.Constraint(b.DEFICIT, rule=lambda b, m, p, y, w: b.deficit_t[m, p, y, w]
                                    <= b.stock_t[m, p, y])

    def owed_balance(b, a, y, w):
        before = b.owed_t[a, y - 1, w] if (a, y - 1, w) in owed_set else 0
        return b.owed_t[a, y, w] == before + sum(b.call_t[k] for k in call_of[a, y, w]) - b.give_back_t[a, y, w]

    b.owed_balance = pyo.Constraint(b.OWED, rule=owed_balance)
    # A pooled line (a coalition's joint stock, a fellow member's stock) is limited by the coalition's rows.
    b.owed_within_line = pyo.Constraint(b.OWED, rule=lambda b, a, y, w: b.owed_t[a, y, w] <= b.line_t[a, y]
                                        if not d.agreements[a].pooled else pyo.Constraint.Skip)
    # Rebuilding and giving back wait until the crisis is over.
    for m, p, y, w in deficit:
        if y in hits[w][m].lost:
            b.rebuild_t[m, p, y, w].fix(0)
    for a, y, w in owed:
        if y in hits[w][ix.mineral_of[a]].lost:
            b.give_back_t[a, y, w].fix(0)
    for m, y, w in restored:  # by then the stock is where the plan had it, and every call given back
        for p in POOLS:
            b.deficit_t[m, p, y, w].fix(0)
        for a in hits[w][m].lines:
            if (a, y, w) in owed_set:
                b.owed_t[a, y, w].fix(0)

    terms: dict[str, list] = defaultdict(list)
    for s, s2, y, w in spot:
        m = ix.mineral_of[s]
        terms[w].append(df[y] * max(scenario[w].spot_multiplier.get((m, y), 1.0) * price(s2, y), price(s, y))
                        * b.spot_t[s, s2, y, w])
    for s, r, y, w in xrec:  # like for like, as spot: a recycler the plan kept idle is no way around a cap
        terms[w].append(df[y] * max(d.recycling[r].operating_cost_usd_per_t, price(s, y))
                        * b.crisis_recycled_t[s, r, y, w])
    for s, p, y, w in crel:
        rule = stk.get(ix.mineral_of[s])  # without a Stockpile row nothing can be released anyway
        premium = rule.purchase_premium_usd_per_t if rule else 0.0
        terms[w].append(df[y] * (price(s, y) + premium) * b.crisis_release_t[s, p, y, w])
    for a, s, y, w in call:
        terms[w].append(df[y] * price(s, y) * b.call_t[a, s, y, w])
    for s, y, w in lost:
        terms[w].append(-df[y] * price(s, y) * loss(s, y, w) * b.buy_t[s, y])
    for m, k, y, w in b.SHORT:
        terms[w].append(df[y] * d.shortage_steps(m)[k][1] * b.shortage_step_t[m, k, y, w])
    for m, k, y, w in b.SPOT_STEP:
        factor = d.spot_steps(m)[k].price_factor
        if factor > 1:  # the step's premium over the crisis price, on the mineral's lowest price
            terms[w].append(df[y] * (factor - 1) * scenario[w].spot_multiplier.get((m, y), 1.0)
                            * d.lowest_price_usd_per_t(m, y) * b.spot_step_t[m, k, y, w])
    b.recourse_cost_usd = pyo.Expression(b.SCENARIOS, rule=lambda b, w: sum(terms[w]))


# The second stage's variables and rows; everything else in a hedged model is the first stage.
RECOURSE_VARIABLES = ("spot_t", "crisis_recycled_t", "crisis_release_t", "rebuild_t", "deficit_t", "call_t",
                      "give_back_t", "owed_t", "crisis_unmet_t", "shortage_step_t", "spot_step_t", "var_usd",
                      "tail_usd", "calm_tail_usd")
# The CVaR term's own variables (η and the tails): they belong to no mineral.
CVAR_VARIABLES = ("var_usd", "tail_usd", "calm_tail_usd")
RECOURSE_ROWS = ("spot_capacity", "crisis_recycling_capacity", "crisis_feedstock", "crisis_balance",
                 "deficit_balance", "deficit_held", "owed_balance", "owed_within_line", "crisis_shortage",
                 "spot_steps_total", "spot_step_capacity", "crisis_release_lead", "crisis_call_lead",
                 "crisis_release_rate", "tail", "calm_tail")


def first_stage_values(b: pyo.ConcreteModel, source: pyo.ConcreteModel) -> Iterator[tuple[pyo.Var, float]]:
    """Each first-stage variable of the hedged model ``b`` and its value in ``source`` (a solved model of the
    same case: the least-cost plan, or a plan decided for another scenario set): whole where the variable
    is, else within its bounds (HiGHS's values may sit a tolerance outside one); 0 where ``source`` has none."""
    for var in b.component_objects(pyo.Var, active=True):
        if var.name in RECOURSE_VARIABLES:
            continue
        theirs = source.component(var.name)
        for k, v in var.items():
            value = theirs[k].value if theirs is not None and k in theirs else None
            value = 0.0 if value is None else float(value)
            if v.is_integer():
                value = round(value)
            else:
                if v.lb is not None:
                    value = max(value, v.lb)
                if v.ub is not None:
                    value = min(value, v.ub)
            yield v, value


def recourse_rows(b: pyo.ConcreteModel, rows: list) -> list[bool]:
    """Which of ``rows`` (of the hedged model ``b``) are a scenario's (``RECOURSE_ROWS``), not the first stage's."""
    # By the components' ids: a component's name is worked out each time it is asked, for every row.
    ours = {id(c) for c in map(b.component, RECOURSE_ROWS) if c is not None}
    return [id(row.parent_component()) in ours for row in rows]


def add_hedged_objective(b: pyo.ConcreteModel, d: PlanningData) -> None:
    """Minimise the first-stage cost plus the weighted expected recourse cost and CVaR.

    With p_ω the scenarios' probabilities, p_0 = 1 - Σ p_ω that of no disruption (C_0 = 0),
    λ = Settings cvar_weight and α = cvar_level (Rockafellar and Uryasev's linear form):

    .. math::

        \\min\\; F + (1 - λ) \\sum_ω p_ω C_ω
            + λ \\Big(η + \\frac{1}{1 - α}\\big(p_0 z_0 + \\sum_ω p_ω z_ω\\big)\\Big),
        \\qquad z_ω \\ge C_ω - η,\\; z_0 \\ge -η,\\; z \\ge 0

    F is the deterministic objective's cost (``total_cost_usd``).  λ = 0 is risk-neutral and
    keeps the minerals apart; λ > 0 links them through η.
    """
    weight, level = d.settings.cvar_weight, d.settings.cvar_level
    probability = {sc.name: sc.probability for sc in d.disruptions}
    b.expected_recourse_usd = pyo.Expression(expr=sum(probability[w] * b.recourse_cost_usd[w] for w in b.SCENARIOS))
    hedged = b.total_cost_usd + (1 - weight) * b.expected_recourse_usd
    if weight > 0:
        calm = max(0.0, 1.0 - sum(probability.values()))
        b.var_usd = pyo.Var(domain=pyo.Reals)  # η: the value at risk at the optimum
        b.tail_usd = pyo.Var(b.SCENARIOS, domain=pyo.NonNegativeReals)
        b.calm_tail_usd = pyo.Var(domain=pyo.NonNegativeReals)
        b.tail = pyo.Constraint(b.SCENARIOS, rule=lambda b, w: b.tail_usd[w] >= b.recourse_cost_usd[w] - b.var_usd)
        b.calm_tail = pyo.Constraint(expr=b.calm_tail_usd >= -b.var_usd)
        b.cvar_usd = pyo.Expression(expr=b.var_usd + (calm * b.calm_tail_usd + sum(
            probability[w] * b.tail_usd[w] for w in b.SCENARIOS)) / (1 - level))
        hedged = hedged + weight * b.cvar_usd
    b.objective.deactivate()
    b.hedged_cost_usd = pyo.Expression(expr=hedged)
    b.hedged_objective = pyo.Objective(expr=OBJECTIVE_SCALE * b.hedged_cost_usd, sense=pyo.minimize)
