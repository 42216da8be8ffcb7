"""Exposure caps: China, any single country, any one mining or refining country, political risk, and
the IRA-compliant share.

Every share is taken on Settings ``reliance_basis`` (``reliance_base_t``, ``china_t``):

- **imports** (the default, as Korea's target is written): a share of the mineral's purchases from
  abroad, imports_{m,y} = Σ_s buy_{s,y}, each tonne counted in the year it arrives (bought for the
  stock or not); recycling and the stock's releases are not imports, and Korea is no supplier
  country of its own imports (a Korean refinery's imports count for the country they come from);
- **consumption** (the measure of earlier versions, for comparison): China-linked tonnes consumed
  (releases from the stock's China pool included) over consumption, and every other share over the
  mineral's supply S_{m,y} = imports + domestic recycling.

An option counts toward a country when that country mines **or** refines it, so Chilean lithium
refined in China is Chinese exposure; the stage caps count one stage each.
"""

from __future__ import annotations

import pyomo.core as pyo

from models.dataset import BASIS_IMPORTS, CHINA_POOL, MINING, REFINING, PlanningData
from models.index import Index
from models.policy import elastic_slack, limit_param
from models.stockpile import china_consumed_t


def _sum_buy(b, suppliers, y):
    return sum(b.buy_t[s, y] for s in suppliers)


def on_imports(d: PlanningData) -> bool:
    return d.settings.reliance_basis == BASIS_IMPORTS


def add_reliance_base(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """What the exposure shares are shares of, by Settings reliance_basis.

    .. math::

        base_{m,y} = imports_{m,y}, \\qquad china_{m,y} = \\sum_{s:\\, CHN \\in C(s)} buy_{s,y},
        \\qquad china\\_base_{m,y} = imports_{m,y}                          \\quad (imports)

        base_{m,y} = S_{m,y}, \\qquad china_{m,y} = china\\_consumed_{m,y},
        \\qquad china\\_base_{m,y} = consumed_{m,y}                         \\quad (consumption)

    with china_consumed = China-linked purchases − additions to the China pool + its releases.
    """
    imports = on_imports(d)
    b.reliance_base_t = pyo.Expression(b.MY, rule=lambda b, m, y: b.imports_t[m, y] if imports else b.supply_t[m, y])
    b.china_base_t = pyo.Expression(b.MY, rule=lambda b, m, y: b.imports_t[m, y] if imports else b.consumed_t[m, y])
    b.china_t = pyo.Expression(b.MY, rule=lambda b, m, y: _sum_buy(b, ix.pool_by_my.get((m, CHINA_POOL, y), ()), y) if imports
                               else china_consumed_t(b, ix, m, y))


def add_china_cap(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """China exposure cap: the share mined or refined in China, on the reliance basis.

    .. math::

        china_{m,y} \\le china\\_cap_{m,y} \\cdot china\\_base_{m,y} \\;(+\\, slack)

    for every mineral with China-linked options or China-linked initial stock, on either basis (on the
    imports basis a row whose mineral has no China-linked option that year reads 0 ≤ cap · imports).
    On the consumption basis a China-linked tonne counts in the year it is consumed, so buying into
    stock under a loose cap and releasing under a tight one gains nothing; on the imports basis it
    counts when it is imported, stocked or not.
    """
    cap = limit_param(b, d, "china_cap_share")
    b.CHINA_MY = pyo.Set(initialize=[(m, y) for m, y in ix.my if m in ix.china_exposed], dimen=2, ordered=True)
    slack = elastic_slack(b, "china_cap", b.CHINA_MY)

    def rule(b, m, y):
        lhs = b.china_t[m, y] - cap[m, y] * b.china_base_t[m, y]
        return lhs <= (slack[m, y] if slack is not None else 0)

    b.china_cap = pyo.Constraint(b.CHINA_MY, rule=rule)


def _country_cap(b: pyo.ConcreteModel, d: PlanningData, family: str, column: str,
                 by_my: dict[tuple[str, str, int], list[str]]) -> None:
    """Σ_{s: c at this stage} buy_{s,y} ≤ cap_{m,y} · base_{m,y} for every country c touching an
    option of m in y (on the imports basis, every country but Korea)."""
    cap = limit_param(b, d, column)
    home = d.settings.home_country if on_imports(d) else None
    index = pyo.Set(initialize=sorted(k for k in by_my if k[1] != home), dimen=3, ordered=True)
    b.add_component(f"{family.upper()}_MCY", index)
    slack = elastic_slack(b, family, index)

    def rule(b, m, c, y):
        lhs = _sum_buy(b, by_my[m, c, y], y) - cap[m, y] * b.reliance_base_t[m, y]
        return lhs <= (slack[m, c, y] if slack is not None else 0)

    b.add_component(family, pyo.Constraint(index, rule=rule))


def add_single_country_cap(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Single-country cap: no supplier country's share (by origin or processing) above the cap.

    For every country c touched by an option of mineral m in year y (on the imports basis, c ≠ Korea):

    .. math::

        \\sum_{s \\in S(m):\\, c \\in \\{origin_s, processing_s\\}} buy_{s,y}
        \\le single\\_country\\_cap_{m,y} \\cdot base_{m,y} \\;(+\\, slack)

    Recycling is not capped: it is what the strategy wants more of.  The cap counts purchases,
    not stock releases: a pool per country would multiply the stock variables by the countries.
    """
    b.MCY = pyo.Set(initialize=sorted(ix.country_by_my), dimen=3, ordered=True)
    _country_cap(b, d, "single_country_cap", "single_country_cap_share", ix.country_by_my)


def add_stage_country_caps(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Caps on any one country at one stage: the mining country and the refining country.

    For every country c (c ≠ Korea on the imports basis):

    .. math::

        \\sum_{s \\in S(m):\\, origin_s = c} buy_{s,y} \\le mining\\_cap_{m,y} \\cdot base_{m,y} \\;(+\\, slack)

        \\sum_{s \\in S(m):\\, processing_s = c} buy_{s,y} \\le refining\\_cap_{m,y} \\cdot base_{m,y} \\;(+\\, slack)

    with mining_cap and refining_cap the Policy sheet's mining_country_cap_share and
    refining_country_cap_share.  Both at 0.65 is the EU's rule for strategic raw materials (no more
    than 65% from one third country at any stage).
    """
    _country_cap(b, d, "mining_country_cap", "mining_country_cap_share", ix.stage_country_by_my[MINING])
    _country_cap(b, d, "refining_country_cap", "refining_country_cap_share", ix.stage_country_by_my[REFINING])


def add_risk_cap(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Risk cap on the volume-weighted average risk of imports (or supply).

    A country's score is its political risk, its misalignment with Korea
    (1 − alignment score) or the mean of the two, by Settings risk_basis
    (``PlanningData.country_risk``).  An option's risk ρ_s combines its mining
    and refining countries' scores (``PlanningData.supplier_risk``: weighted by
    stage, or the worse of the two); on the consumption basis recycled tonnes
    carry the home country's score ρ_home (on the imports basis they are no imports).

    .. math::

        \\sum_{s} \\rho_s\\, buy_{s,y} \\;[+\\, \\rho_{home}\\, recycled_{m,y}]
        \\le risk\\_cap_{m,y} \\cdot base_{m,y} \\;(+\\, slack)
    """
    cap = limit_param(b, d, "risk_cap")
    risk = {s.supplier_id: d.supplier_risk(s) for s in d.suppliers.values() if s.supplier_id in ix.supplier_years}
    home = 0.0 if on_imports(d) else d.home_risk()
    slack = elastic_slack(b, "risk_cap", b.MY)

    def rule(b, m, y):
        if not ix.buy_by_my.get((m, y)) and not (ix.rec_by_m[m] and home):
            return pyo.Constraint.Skip  # nothing to weigh
        weighted = sum(risk[s] * b.buy_t[s, y] for s in ix.buy_by_my.get((m, y), ())) \
            + home * b.recycled_by_my[m, y]
        return weighted - cap[m, y] * b.reliance_base_t[m, y] <= (slack[m, y] if slack is not None else 0)

    b.risk_cap = pyo.Constraint(b.MY, rule=rule)


def add_ira_share(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """IRA-compliant share, battery minerals only (``PlanningData.limit_applies``; off where blank).

    Compliant options are mined or refined in the US or an FTA/critical-
    minerals partner, with no foreign entity of concern at either stage:

    .. math::

        \\sum_{s \\in IRA(m)} buy_{s,y} \\ge ira\\_min_{m,y} \\cdot base_{m,y} \\;(-\\, slack)
    """
    share = limit_param(b, d, "ira_min_share")
    b.IRA_MY = pyo.Set(initialize=[(m, y) for m, y in ix.my if d.limit_applies("ira_min_share", m)], dimen=2,
                       ordered=True)
    slack = elastic_slack(b, "ira_share", b.IRA_MY)

    def rule(b, m, y):
        lhs = _sum_buy(b, ix.ira_by_my.get((m, y), ()), y) - share[m, y] * b.reliance_base_t[m, y]
        return lhs >= (-slack[m, y] if slack is not None else 0)

    b.ira_share = pyo.Constraint(b.IRA_MY, rule=rule)

