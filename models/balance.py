"""Supply totals and the demand balance."""

from __future__ import annotations

import pyomo.core as pyo

from models.dataset import PlanningData
from models.index import Index


def add_demand_balance(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Demand is met every mineral-year, from purchases, recycling and the stockpile.

    .. math::

        imports_{m,y} = \\sum_{s \\in S(m)} buy_{s,y}, \\qquad
        S_{m,y} = imports_{m,y} + \\sum_{r \\in R(m)} recycled_{r,y}

        S_{m,y} + \\sum_p release_{m,p,y} - \\sum_p add_{m,p,y} + unmet_{m,y} = demand_{m,y}

        consumed_{m,y} = demand_{m,y} - unmet_{m,y}

    ``unmet`` exists only when Settings allow_unmet_demand is yes or in the
    elastic diagnosis model.  It is then charged on the mineral's shortage cost
    curve (``PlanningData.shortage_steps``: steps k of width w_k, a share of
    demand, at c_k USD/t, costs never falling):

    .. math::

        unmet_{m,y} = \\sum_k unmet\\_step_{m,k,y}, \\qquad 0 \\le unmet\\_step_{m,k,y} \\le w_k\\, demand_{m,y}

    (the last step is open).  The elastic model weighs unmet tonnes by
    ``UNMET_WEIGHT`` instead and has no steps.
    """
    b.imports_t = pyo.Expression(
        b.MY, rule=lambda b, m, y: sum(b.buy_t[s, y] for s in ix.buy_by_my.get((m, y), ())))
    b.supply_t = pyo.Expression(b.MY, rule=lambda b, m, y: b.imports_t[m, y] + b.recycled_by_my[m, y])
    if d.settings.allow_unmet_demand or b.elastic:
        b.unmet_t = pyo.Var(b.MY, domain=pyo.NonNegativeReals,
                            bounds=lambda _, m, y: (0, d.demand_t.get((m, y), 0.0)))

    if hasattr(b, "unmet_t") and not b.elastic:
        b.UNMET_STEP = pyo.Set(initialize=[(m, k, y) for m, y in ix.my for k in range(len(d.shortage_steps(m)))],
                               dimen=3, ordered=True)

        def step_bounds(_, m, k, y):
            width = d.shortage_steps(m)[k][0]
            return (0, None if width is None else width * d.demand_t.get((m, y), 0.0))

        b.unmet_step_t = pyo.Var(b.UNMET_STEP, domain=pyo.NonNegativeReals, bounds=step_bounds)
        b.unmet_steps = pyo.Constraint(b.MY, rule=lambda b, m, y: b.unmet_t[m, y] == sum(
            b.unmet_step_t[m, k, y] for k in range(len(d.shortage_steps(m)))))

    def unmet(b, m, y):
        return b.unmet_t[m, y] if hasattr(b, "unmet_t") else 0

    b.consumed_t = pyo.Expression(b.MY, rule=lambda b, m, y: d.demand_t.get((m, y), 0.0) - unmet(b, m, y))
    b.demand_balance = pyo.Constraint(b.MY, rule=lambda b, m, y: (
        b.supply_t[m, y] + b.stock_released_t[m, y] - b.stock_added_t[m, y] + unmet(b, m, y)
        == d.demand_t.get((m, y), 0.0)))
