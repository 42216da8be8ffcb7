"""Domestic recycling: modules built, their output, and the recycling-share policy."""

from __future__ import annotations

import pyomo.core as pyo

from models.dataset import PlanningData
from models.index import Index
from models.policy import elastic_slack, limit_param


def running_years(d: PlanningData, option_id: str, built_year: int) -> list[int]:
    """Decision years in which a module whose construction starts in ``built_year`` produces:
    from built_year + lead time, for its life."""
    r = d.recycling[option_id]
    first = built_year + r.lead_time_yr
    return [y for y in d.years if first <= y < first + r.life_yr]


def add_recycling(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Recycling modules built per option and year, and recycled output.

    For recycling option r of mineral m, with lead time ℓ_r and life T_r:

    .. math::

        online_{r,y} = existing_r + \\sum_{\\tau:\\, \\tau + ℓ_r \\le y < \\tau + ℓ_r + T_r} build_{r,\\tau}

        \\sum_y build_{r,y} \\le max\\_modules_r - existing_r

        recycled_{r,y} \\le module\\_capacity_r \\cdot online_{r,y}

        \\sum_{r \\in R(m)} recycled_{r,y} / yield_r \\le feedstock_{m,y}

    ``build`` is a non-negative integer: capital is spent in whole modules.
    Existing modules run through the horizon; their capital is sunk.
    """
    b.RY = pyo.Set(initialize=ix.ry, dimen=2, ordered=True)
    b.R = pyo.Set(initialize=list(d.recycling), ordered=True)
    room = {r.option_id: r.max_modules - r.existing_modules for r in d.recycling.values()}
    b.build_modules = pyo.Var(b.RY, domain=pyo.NonNegativeIntegers,
                              bounds=lambda _, r, y: (0, max(room[r], 0)))
    b.recycled_t = pyo.Var(b.RY, domain=pyo.NonNegativeReals)
    builds_running: dict[tuple[str, int], list[int]] = {k: [] for k in ix.ry}
    for r, tau in ix.ry:
        for y in running_years(d, r, tau):
            builds_running[r, y].append(tau)

    b.modules_online = pyo.Expression(b.RY, rule=lambda b, r, y: d.recycling[r].existing_modules + sum(
        b.build_modules[r, tau] for tau in builds_running[r, y]))
    b.recycling_max_modules = pyo.Constraint(
        b.R, rule=lambda b, r: sum(b.build_modules[r, y] for y in ix.years) <= max(room[r], 0))
    b.recycling_capacity = pyo.Constraint(
        b.RY, rule=lambda b, r, y: b.recycled_t[r, y]
        <= d.recycling[r].module_capacity_t_per_yr * b.modules_online[r, y])

    def feedstock(b, m, y):
        options = ix.rec_by_m[m]
        if not options:
            return pyo.Constraint.Skip
        used = sum(b.recycled_t[r, y] * (1.0 / d.recycling[r].recovery_yield) for r in options)
        return used <= d.feedstock_t.get((m, y), 0.0)

    b.recycling_feedstock = pyo.Constraint(b.MY, rule=feedstock)
    b.recycled_by_my = pyo.Expression(
        b.MY, rule=lambda b, m, y: sum(b.recycled_t[r, y] for r in ix.rec_by_m[m]))


def add_recycling_share(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Recycling share: domestic recycling meets at least a minimum share of demand.

    .. math::

        \\sum_{r \\in R(m)} recycled_{r,y} \\ge recycling\\_min_{m,y} \\cdot demand_{m,y} \\;(-\\, slack)

    Only where the limit applies (``PlanningData.limit_applies``): a mineral
    with no recycling option is not bound by an all-minerals target.
    """
    share = limit_param(b, d, "recycling_min_share")
    b.RECYCLING_MY = pyo.Set(initialize=[(m, y) for m, y in ix.my if d.limit_applies("recycling_min_share", m)],
                             dimen=2, ordered=True)
    slack = elastic_slack(b, "recycling_share", b.RECYCLING_MY)

    def rule(b, m, y):
        need = share[m, y] * d.demand_t.get((m, y), 0.0)
        return b.recycled_by_my[m, y] >= need - (slack[m, y] if slack is not None else 0)

    b.recycling_share = pyo.Constraint(b.RECYCLING_MY, rule=rule)
