"""The objective: present value of every cost of the plan."""

from __future__ import annotations

import pyomo.core as pyo

from models.dataset import PlanningData
from models.index import Index
from models.recycling import running_years
from models.supply import contract_tail_years

# Weight of one tonne of unmet demand against one tonne of policy slack in the
# elastic diagnosis, both per tonne of demand: relax a cap before leaving demand unmet.
UNMET_WEIGHT = 100.0
# The solver sees cost in millions of USD: coefficients of 1e7-1e9 USD (contracts,
# recycling modules) otherwise trip HiGHS's scaling warnings and slow it down.
OBJECTIVE_SCALE = 1e-6


def add_cost_objective(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Minimise the present value (USD) of the plan, discounted at δ_y = (1 + ρ)^-(y - y_0).

    .. math::

        \\min \\sum_y δ_y \\Big[ \\sum_s (p_{s,y}\\, buy_{s,y} + F_s\\, contracted_{s,y})
        + \\sum_k A_k\\, (online_{k,y} - existing_k) + \\sum_r o_r\\, recycled_{r,y} + \\sum_p o_p\\, processed_{p,y}
        + \\sum_{k,\\, s \\in feed(k)} o_k\\, buy_{s,y}
        + \\sum_m (π_m \\sum_p add_{m,p,y} + h_m \\sum_p stock_{m,p,y} + \\sum_k c_{m,k}\\, unmet\\_step_{m,k,y})
        + \\sum_a (f_a\\, join_{a,y} + g_a\\, line_{a,y}) \\Big]
        + \\sum_{(s,y) \\in START\\_TAIL} start_{s,y}\\, F_s \\sum_{t \\in tail(s,y)} δ_t
        - δ_T \\sum_{m} v_m \\sum_p stock_{m,p,T}

    with p_{s,y} = price_s (1 + escalation_s)^(y - price_year) g_{s,y}, where g is
    a scenario's price factor (1 unless a price shock applies).  Capital is
    charged as an annuity, the capacity-expansion convention: a module costs
    A_r = K_r ρ / (1 - (1 + ρ)^-T_r) in each year it runs inside the horizon,
    so a late build pays only for the years it serves.  A contract started
    less than L years before the horizon ends still pays its fixed cost for
    the rest of its minimum length (tail(s, y): ``contract_tail_years``).  The
    stock handed on after the last year T is credited at v_m, the lowest price
    that year (``PlanningData.stock_value_usd_per_t``), so stock bought in the
    last years is neither wasted nor a free lunch; Settings ``terminal_stock_credit``
    no drops this term (v_m = 0).  The
    parts are kept as named expressions (``cost_purchases_usd`` ...) for
    reporting.
    """
    df = {y: d.settings.discount_factor(y) for y in ix.years}
    sup, rec, stk, agr = d.suppliers, d.recycling, d.stockpile, d.agreements

    def tail_usd(s, y):
        return sup[s].fixed_cost_usd_per_yr * sum(d.settings.discount_factor(t)
                                                   for t in contract_tail_years(d, s, y))

    owners = d.module_owners

    def capital_usd(k, tau):
        """Present value of the annuities a module built in tau pays while it runs in the horizon."""
        annuity = owners[k].capital_cost_usd_per_module * d.settings.annuity_factor(owners[k].life_yr)
        return annuity * sum(df[y] for y in running_years(d, k, tau))

    b.cost_purchases_usd = pyo.Expression(expr=sum(
        df[y] * d.price_usd_per_t(sup[s], y) * b.buy_t[s, y] for s, y in ix.sy))
    b.cost_contracts_usd = pyo.Expression(expr=sum(
        df[y] * sup[s].fixed_cost_usd_per_yr * b.contracted[s, y] for s, y in ix.sy if sup[s].fixed_cost_usd_per_yr)
        + sum(tail_usd(s, y) * b.start[s, y] for s, y in b.START_TAIL))
    b.cost_recycling_capital_usd = pyo.Expression(expr=sum(
        capital_usd(k, y) * b.build_modules[k, y] for k, y in ix.oy if k not in d.refineries))
    b.cost_recycling_operating_usd = pyo.Expression(expr=sum(
        df[y] * rec[r].operating_cost_usd_per_t * b.recycled_t[r, y] for r, y in b.OWN_RY) + sum(
        df[y] * d.recycling_plants[p].operating_cost_usd_per_t * b.processed_units[p, y] for p, y in b.PY))
    b.cost_refining_usd = pyo.Expression(expr=sum(
        capital_usd(k, y) * b.build_modules[k, y] for k, y in ix.oy if k in d.refineries) + sum(
        df[y] * d.refineries[k].operating_cost_usd_per_t * b.buy_t[s, y] for (k, y), feed in ix.feed_by_ky.items()
        for s in feed))
    b.cost_stockpile_usd = pyo.Expression(expr=sum(
        df[y] * (stk[m].purchase_premium_usd_per_t * b.stock_added_t[m, y] + stk[m].holding_cost_usd_per_t_yr
                 * b.stock_total_t[m, y]) for m, y in ix.my if m in stk))
    b.cost_agreements_usd = pyo.Expression(expr=sum(
        df[y] * (agr[a].fee_usd_per_yr * b.join[a, y] + agr[a].fee_usd_per_t_yr * b.line_t[a, y]) for a, y in ix.ay))
    last = ix.years[-1]
    b.cost_terminal_stock_usd = pyo.Expression(expr=-df[last] * sum(
        d.stock_value_usd_per_t(m) * b.stock_total_t[m, last] for m in ix.minerals if m in stk)
        if d.settings.terminal_stock_credit else 0)
    shortage = 0
    if hasattr(b, "unmet_step_t"):
        shortage = sum(df[y] * d.shortage_steps(m)[k][1] * b.unmet_step_t[m, k, y] for m, k, y in b.UNMET_STEP)
    b.cost_shortage_usd = pyo.Expression(expr=shortage)
    b.total_cost_usd = pyo.Expression(expr=b.cost_purchases_usd + b.cost_contracts_usd
                                      + b.cost_recycling_capital_usd + b.cost_recycling_operating_usd
                                      + b.cost_refining_usd + b.cost_stockpile_usd + b.cost_agreements_usd + b.cost_terminal_stock_usd
                                      + b.cost_shortage_usd)
    b.objective = pyo.Objective(expr=OBJECTIVE_SCALE * b.total_cost_usd, sense=pyo.minimize)


def add_violation_objective(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Elastic diagnosis: minimise the total policy violation, each slack scaled by its demand.

    .. math::

        \\min \\sum_{f} \\sum_{k \\in f} slack_{f,k} / demand_{m(k),y(k)}
        + W \\sum_{m,y} unmet_{m,y} / demand_{m,y}

    Scaling by demand makes one point of share in a small mineral weigh the
    same as in a large one.  A tiny cost term breaks ties toward cheap plans.
    """
    def scale(m, y):
        return 1.0 / max(d.demand_t.get((m, y), 0.0), 1.0)

    terms = []
    for family in b.slack_families:
        slack = b.component(f"{family}_slack")
        for k in slack:
            m, y = k[0], k[-1]
            terms.append(scale(m, y) * slack[k])
    terms += [UNMET_WEIGHT * scale(m, y) * b.unmet_t[m, y] for m, y in ix.my]
    b.violation = pyo.Expression(expr=sum(terms))
    add_cost_objective(b, d, ix)
    b.objective.deactivate()
    total = max(sum(d.demand_t.values()), 1.0)
    # Every price 0 (a case of quantities alone) leaves any positive scale: 1 USD/t.
    typical_price = max((s.price_usd_per_t for s in d.suppliers.values()), default=0.0) or 1.0
    b.elastic_objective = pyo.Objective(expr=b.violation + 1e-6 * b.total_cost_usd / (total * typical_price))
