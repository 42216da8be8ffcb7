"""The public stockpile, partner agreements, and the stockpile-cover policy."""

from __future__ import annotations

import pyomo.environ as pyo

from models.dataset import PlanningData
from models.index import Index
from models.policy import elastic_slack, limit_param

DAYS_PER_YEAR = 365.0


def add_stockpile(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Stock level per mineral at the end of each year.

    .. math::

        stock_{m,y} = stock_{m,y-1} + add_{m,y} - release_{m,y},
        \\qquad stock_{m,base-1} = initial\\_stock_m

        0 \\le stock_{m,y} \\le max\\_stock_m

    Additions are bought through the supply options (they enter the demand
    balance) and also pay the purchase premium; releases serve demand.  A
    mineral without a Stockpile row has no stock and cannot build one.
    """

    def max_stock(_, m, y):
        rule = d.stockpile.get(m)
        return (0.0, rule.max_stock_t if rule else 0.0)

    b.stock_t = pyo.Var(b.MY, domain=pyo.NonNegativeReals, bounds=max_stock)
    b.stock_add_t = pyo.Var(b.MY, domain=pyo.NonNegativeReals)
    b.stock_release_t = pyo.Var(b.MY, domain=pyo.NonNegativeReals)
    first = ix.years[0]

    def balance(b, m, y):
        before = b.stock_t[m, y - 1] if y > first else (d.stockpile[m].initial_stock_t if m in d.stockpile else 0.0)
        return b.stock_t[m, y] == before + b.stock_add_t[m, y] - b.stock_release_t[m, y]

    b.stock_balance = pyo.Constraint(b.MY, rule=balance)


def add_agreements(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Joining a joint-stockpile or swap agreement, from its first year on.

    .. math::

        join_{a,y} \\in \\{0,1\\},\\quad y \\ge first\\_year_a, \\qquad
        join_{a,y} \\ge join_{a,y-1}

    Membership, once taken, is kept: partners count on it.  Each year of
    membership pays the fee and adds the emergency volume to stockpile cover.
    """
    b.AY = pyo.Set(initialize=ix.ay, dimen=2, ordered=True)
    b.join = pyo.Var(b.AY, domain=pyo.Binary)
    member = set(ix.ay)
    b.agreement_kept = pyo.Constraint(
        b.AY, rule=lambda b, a, y: b.join[a, y] >= b.join[a, y - 1] if (a, y - 1) in member
        else pyo.Constraint.Skip)


def add_stockpile_cover(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Stockpile cover: stock plus agreement volumes cover the minimum days of imports.

    .. math::

        stock_{m,y} + \\sum_{a \\in A(m)} emergency\\_volume_a\\, join_{a,y}
        \\ge \\frac{stockpile\\_min\\_days_{m,y}}{365}\\, imports_{m,y} \\;(-\\, slack)
    """
    days = limit_param(b, d, "stockpile_min_days")
    slack = elastic_slack(b, "stockpile_cover", b.MY)

    def rule(b, m, y):
        cover = b.stock_t[m, y] + sum(d.agreements[a].emergency_volume_t * b.join[a, y]
                                      for a in ix.agr_by_my.get((m, y), ()))
        need = days[m, y] * (1.0 / DAYS_PER_YEAR) * b.imports_t[m, y]
        return cover - need >= (-slack[m, y] if slack is not None else 0)

    b.stockpile_cover = pyo.Constraint(b.MY, rule=rule)
