"""The public stockpile in two exposure pools, partner agreements, and the stockpile-cover policy."""

from __future__ import annotations

import pyomo.core as pyo

from models.dataset import CHINA_POOL, DAYS_PER_YEAR, OTHER_POOL, POOLS, PlanningData
from models.index import Index
from models.policy import elastic_slack, limit_param



def add_stockpile(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Stock per mineral at the end of each year, kept in pools p by exposure.

    Pool ``china`` holds tonnes bought from China-linked options (mined or
    refined in China); pool ``other`` holds the rest, recycled tonnes included.
    A tonne keeps its pool until it is released, so on the consumption basis
    (Settings ``reliance_basis``) what is consumed from the stock counts toward
    the China cap in the year it is consumed; on the imports basis (the
    default) a tonne counts when it arrives, stocked or not:

    .. math::

        stock_{m,p,y} = stock_{m,p,y-1} + add_{m,p,y} - release_{m,p,y},
        \\qquad stock_{m,p,y_0-1} = initial_{m,p}

        \\sum_p stock_{m,p,y} \\le max\\_stock_m

        add_{m,china,y} \\le \\sum_{s \\in S(m):\\, CHN \\in C(s)} buy_{s,y}, \\qquad
        add_{m,other,y} \\le \\sum_{s \\in S(m):\\, CHN \\notin C(s)} buy_{s,y} + \\sum_{r \\in R(m)} recycled_{r,y}

    initial_{m,china} = initial\\_stock_m · initial\\_china\\_share_m.  Additions
    are bought through the supply options (they enter the demand balance) and
    also pay the purchase premium; releases serve demand.  A mineral without
    a Stockpile row has no stock and cannot build one.
    """
    b.POOLS = pyo.Set(initialize=POOLS, ordered=True)
    b.MPY = pyo.Set(initialize=[(m, p, y) for m in ix.minerals for p in POOLS for y in ix.years], dimen=3,
                    ordered=True)

    def max_stock(_, m, p, y):
        rule = d.stockpile.get(m)
        return (0.0, rule.max_stock_t if rule else 0.0)

    b.stock_t = pyo.Var(b.MPY, domain=pyo.NonNegativeReals, bounds=max_stock)
    b.stock_add_t = pyo.Var(b.MPY, domain=pyo.NonNegativeReals)
    b.stock_release_t = pyo.Var(b.MPY, domain=pyo.NonNegativeReals)
    first = ix.years[0]

    def balance(b, m, p, y):
        before = b.stock_t[m, p, y - 1] if y > first else (d.stockpile[m].initial_t(p) if m in d.stockpile else 0.0)
        return b.stock_t[m, p, y] == before + b.stock_add_t[m, p, y] - b.stock_release_t[m, p, y]

    b.stock_balance = pyo.Constraint(b.MPY, rule=balance)
    b.stock_total_t = pyo.Expression(b.MY, rule=lambda b, m, y: sum(b.stock_t[m, p, y] for p in POOLS))
    b.stock_added_t = pyo.Expression(b.MY, rule=lambda b, m, y: sum(b.stock_add_t[m, p, y] for p in POOLS))
    b.stock_released_t = pyo.Expression(b.MY, rule=lambda b, m, y: sum(b.stock_release_t[m, p, y] for p in POOLS))
    b.stock_max = pyo.Constraint(b.MY, rule=lambda b, m, y: b.stock_total_t[m, y] <= (
        d.stockpile[m].max_stock_t if m in d.stockpile else 0.0))

    def source(b, m, p, y):
        bought = sum(b.buy_t[s, y] for s in ix.pool_by_my.get((m, p, y), ()))
        if p == OTHER_POOL:
            bought += b.recycled_by_my[m, y]
        if isinstance(bought, int):  # nothing can enter this pool this year
            return b.stock_add_t[m, p, y] == 0
        return b.stock_add_t[m, p, y] <= bought

    b.stock_pool_source = pyo.Constraint(b.MPY, rule=source)


def add_agreements(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Joining a joint-stockpile or swap agreement, from its first year on, and the size of its line.

    .. math::

        join_{a,y} \\in \\{0,1\\},\\quad y \\ge first\\_year_a, \\qquad
        join_{a,y} \\ge join_{a,y-1}, \\qquad join_{a,y} = 1 \\text{ if member at the start}

        0 \\le line_{a,y} \\le emergency_a \\cdot join_{a,y}, \\qquad line_{a,y} \\ge line_{a,y-1}

    with emergency_a the agreement's emergency_volume_t.  Membership, and a line once held, are
    kept: partners count on them.  Each year of membership pays the fee, and each tonne of line the
    fee per tonne; the line counts toward stockpile cover and is what a crisis can call on.
    """
    b.AY = pyo.Set(initialize=ix.ay, dimen=2, ordered=True)
    b.join = pyo.Var(b.AY, domain=pyo.Binary)
    b.line_t = pyo.Var(b.AY, bounds=lambda _, a, y: (0, d.agreements[a].emergency_volume_t))
    member = set(ix.ay)
    b.agreement_kept = pyo.Constraint(
        b.AY, rule=lambda b, a, y: b.join[a, y] >= b.join[a, y - 1] if (a, y - 1) in member
        else pyo.Constraint.Skip)
    b.agreement_line = pyo.Constraint(b.AY, rule=lambda b, a, y: b.line_t[a, y]
                                      <= d.agreements[a].emergency_volume_t * b.join[a, y])
    b.line_kept = pyo.Constraint(
        b.AY, rule=lambda b, a, y: b.line_t[a, y] >= b.line_t[a, y - 1] if (a, y - 1) in member
        else pyo.Constraint.Skip)
    for a, y in ix.ay:
        if d.agreements[a].member_at_start:
            b.join[a, y].fix(1)


def add_stockpile_cover(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Stockpile cover: stock plus agreement lines cover the minimum days of demand.

    .. math::

        \\sum_p stock_{m,p,y} + \\sum_{a \\in A(m)} line_{a,y}
        \\ge \\frac{days_{m,y}}{365}\\, demand_{m,y} \\;(-\\, slack)

    with days the Policy sheet's stockpile_min_days.  The base is demand, which no release,
    purchase or recycling decision can shrink.  Stock is counted at the end of the year, so in the
    last year this is also the terminal condition: the plan hands on at least the cover the policy
    asks for.
    """
    days = limit_param(b, d, "stockpile_min_days")
    slack = elastic_slack(b, "stockpile_cover", b.MY)

    def rule(b, m, y):
        cover = b.stock_total_t[m, y] + sum(b.line_t[a, y] for a in ix.agr_by_my.get((m, y), ()))
        need = days[m, y] * (d.demand_t.get((m, y), 0.0) / DAYS_PER_YEAR)
        return cover - need >= (-slack[m, y] if slack is not None else 0)

    b.stockpile_cover = pyo.Constraint(b.MY, rule=rule)


def china_consumed_t(b: pyo.ConcreteModel, ix: Index, m: str, y: int):
    """Tonnes of China-linked material consumed in (m, y): bought, less what went into the China
    pool, plus what came out of it."""
    bought = sum(b.buy_t[s, y] for s in ix.pool_by_my.get((m, CHINA_POOL, y), ()))
    return bought - b.stock_add_t[m, CHINA_POOL, y] + b.stock_release_t[m, CHINA_POOL, y]
