"""Exposure caps: China, any single country, political risk, and the IRA-compliant share.

The China cap limits what is *consumed*: purchases net of what goes into the
stock, plus what comes out of its China pool (see ``add_stockpile``), as a
share of consumption.  The other limits are shares of a mineral's supply
S_{m,y}: the tonnes bought from all options plus the tonnes recycled at home
(see ``add_demand_balance``).  An option counts toward a country when that
country mines **or** refines it, so Chilean lithium refined in China is
Chinese exposure.
"""

from __future__ import annotations

import pyomo.core as pyo

from models.dataset import PlanningData
from models.index import Index
from models.policy import elastic_slack, limit_param
from models.stockpile import china_consumed_t


def _sum_buy(b, suppliers, y):
    return sum(b.buy_t[s, y] for s in suppliers)


def add_china_cap(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """China exposure cap: the share of consumption mined or refined in China, stock included.

    .. math::

        \\underbrace{\\sum_{s \\in S(m):\\, CHN \\in C(s)} buy_{s,y} - add_{m,china,y} + release_{m,china,y}}
        _{china\\_consumed_{m,y}} \\le china\\_cap_{m,y} \\cdot consumed_{m,y} \\;(+\\, slack)

    for every mineral with China-linked options or China-linked stock.  Buying
    Chinese tonnes into stock under a loose cap and releasing them under a
    tight one gains nothing: they count when they are consumed.
    """
    cap = limit_param(b, d, "china_cap_share")
    b.CHINA_MY = pyo.Set(initialize=[(m, y) for m, y in ix.my if m in ix.china_exposed], dimen=2, ordered=True)
    slack = elastic_slack(b, "china_cap", b.CHINA_MY)

    def rule(b, m, y):
        lhs = china_consumed_t(b, ix, m, y) - cap[m, y] * b.consumed_t[m, y]
        return lhs <= (slack[m, y] if slack is not None else 0)

    b.china_cap = pyo.Constraint(b.CHINA_MY, rule=rule)


def add_single_country_cap(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Single-country cap: no country's share (by origin or processing) above the cap.

    For every country c touched by an option of mineral m in year y:

    .. math::

        \\sum_{s \\in S(m):\\, c \\in \\{origin_s, processing_s\\}} buy_{s,y}
        \\le single\\_country\\_cap_{m,y} \\cdot S_{m,y} \\;(+\\, slack)

    The home country (recycling) is not capped: recycling is what the
    strategy wants more of.  This cap counts purchases, not stock releases:
    keeping a pool per country would multiply the stock variables by the
    countries, and China, the country that matters most, is already counted
    on consumption by ``add_china_cap``.
    """
    cap = limit_param(b, d, "single_country_cap_share")
    b.MCY = pyo.Set(initialize=sorted(ix.country_by_my), dimen=3, ordered=True)
    slack = elastic_slack(b, "single_country_cap", b.MCY)

    def rule(b, m, c, y):
        lhs = _sum_buy(b, ix.country_by_my[m, c, y], y) - cap[m, y] * b.supply_t[m, y]
        return lhs <= (slack[m, c, y] if slack is not None else 0)

    b.single_country_cap = pyo.Constraint(b.MCY, rule=rule)


def add_risk_cap(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Risk cap on the volume-weighted average risk of supply.

    A country's score is its political risk, its misalignment with Korea
    (1 − alignment score) or the mean of the two, by Settings risk_basis
    (``PlanningData.country_risk``).  An option's risk ρ_s combines its mining
    and refining countries' scores (``PlanningData.supplier_risk``: weighted by
    stage, or the worse of the two); recycled tonnes carry the home country's
    score ρ_home.

    .. math::

        \\sum_{s} \\rho_s\\, buy_{s,y} + \\rho_{home}\\, recycled_{m,y}
        \\le risk\\_cap_{m,y} \\cdot S_{m,y} \\;(+\\, slack)
    """
    cap = limit_param(b, d, "risk_cap")
    risk = {s.supplier_id: d.supplier_risk(s) for s in d.suppliers.values() if s.supplier_id in ix.supplier_years}
    home = d.home_risk()
    slack = elastic_slack(b, "risk_cap", b.MY)

    def rule(b, m, y):
        if not ix.buy_by_my.get((m, y)) and not ix.rec_by_m[m]:
            return pyo.Constraint.Skip  # nothing to weigh
        weighted = sum(risk[s] * b.buy_t[s, y] for s in ix.buy_by_my.get((m, y), ())) \
            + home * b.recycled_by_my[m, y]
        return weighted - cap[m, y] * b.supply_t[m, y] <= (slack[m, y] if slack is not None else 0)

    b.risk_cap = pyo.Constraint(b.MY, rule=rule)


def add_ira_share(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """IRA-compliant share, battery minerals only (``PlanningData.limit_applies``; off where blank).

    Compliant options are mined or refined in the US or an FTA/critical-
    minerals partner, with no foreign entity of concern at either stage:

    .. math::

        \\sum_{s \\in IRA(m)} buy_{s,y} \\ge ira\\_min_{m,y} \\cdot S_{m,y} \\;(-\\, slack)
    """
    share = limit_param(b, d, "ira_min_share")
    b.IRA_MY = pyo.Set(initialize=[(m, y) for m, y in ix.my if d.limit_applies("ira_min_share", m)], dimen=2,
                       ordered=True)
    slack = elastic_slack(b, "ira_share", b.IRA_MY)

    def rule(b, m, y):
        lhs = _sum_buy(b, ix.ira_by_my.get((m, y), ()), y) - share[m, y] * b.supply_t[m, y]
        return lhs >= (-slack[m, y] if slack is not None else 0)

    b.ira_share = pyo.Constraint(b.IRA_MY, rule=rule)

