"""What Korea builds at home in modules: recycling options, stream plants and refineries; their output,
and the recycling-share policy."""

from __future__ import annotations

import pyomo.core as pyo

from models.dataset import PlanningData
from models.index import Index
from models.policy import elastic_slack, limit_param


def running_years(d: PlanningData, owner_id: str, built_year: int) -> list[int]:
    """Decision years in which a module whose construction starts in ``built_year`` produces:
    from built_year + lead time, for its life."""
    o = d.module_owners[owner_id]
    first = built_year + o.lead_time_yr
    return [y for y in d.years if first <= y < first + o.life_yr]


def add_modules(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Modules built per owner k (a recycling option with modules of its own, a stream plant, a
    refinery) and year, with lead time ℓ_k and life T_k:

    .. math::

        online_{k,y} = existing_k + \\sum_{\\tau:\\, \\tau + ℓ_k \\le y < \\tau + ℓ_k + T_k} build_{k,\\tau}

        \\sum_y build_{k,y} \\le max_k - existing_k

    (max_k: max_modules).  ``build`` is a non-negative integer: capital is spent in whole modules.
    Existing modules run through the horizon; their capital is sunk.
    """
    b.OY = pyo.Set(initialize=ix.oy, dimen=2, ordered=True)
    b.OWNERS = pyo.Set(initialize=list(d.module_owners), ordered=True)
    room = {k: o.max_modules - o.existing_modules for k, o in d.module_owners.items()}
    b.build_modules = pyo.Var(b.OY, domain=pyo.NonNegativeIntegers, bounds=lambda _, k, y: (0, max(room[k], 0)))
    builds_running: dict[tuple[str, int], list[int]] = {key: [] for key in ix.oy}
    for k, tau in ix.oy:
        for y in running_years(d, k, tau):
            builds_running[k, y].append(tau)
    b.modules_online = pyo.Expression(b.OY, rule=lambda b, k, y: d.module_owners[k].existing_modules + sum(
        b.build_modules[k, tau] for tau in builds_running[k, y]))
    b.recycling_max_modules = pyo.Constraint(
        b.OWNERS, rule=lambda b, k: sum(b.build_modules[k, y] for y in ix.years) <= max(room[k], 0))


def add_recycling(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Recycled output per option and year.

    An option r with modules of its own recovers its mineral from the Feedstock sheet (capacity in
    t recovered); a stream plant p processes units of its stream f (``Stream``: collected retirements
    A_{f,y}) and recovers every mineral of it at once, so its outputs share its capacity:

    .. math::

        recycled_{r,y} \\le module\\_capacity_r \\cdot online_{r,y}, \\qquad
        \\sum_{r \\in R(m)} recycled_{r,y} / yield_r \\le feedstock_{m,y}        \\quad (own modules)

        processed_{p,y} \\le module\\_capacity_p \\cdot online_{p,y}, \\qquad
        \\sum_{p:\\, stream(p) = f} processed_{p,y} \\le A_{f,y}

        recycled_{r,y} \\le c_{f,m_r}\\, η_{f,m_r}\\, processed_{p(r),y}  \\quad (stream outputs)

    with c the content per unit (``content_t_per_unit``), η the recovery (``recovery_yield``), and
    A_{f,y} = κ_f Σ_a POM_{f,y−a} λ_{f,a}: κ the collection rate, POM the units put on the market,
    λ_{f,a} the share retiring at age a (FORMULATION.md's symbols).
    """
    b.RY = pyo.Set(initialize=ix.ry, dimen=2, ordered=True)
    b.recycled_t = pyo.Var(b.RY, domain=pyo.NonNegativeReals)
    own = [(r, y) for r, y in ix.ry if d.recycling[r].plant_id is None]
    b.OWN_RY = pyo.Set(initialize=own, dimen=2, ordered=True)
    b.recycling_capacity = pyo.Constraint(
        b.OWN_RY, rule=lambda b, r, y: b.recycled_t[r, y]
        <= d.recycling[r].module_capacity_t_per_yr * b.modules_online[r, y])

    def feedstock(b, m, y):
        options = ix.own_rec_by_m[m]
        if not options:
            return pyo.Constraint.Skip
        used = sum(b.recycled_t[r, y] * (1.0 / d.recycling[r].recovery_yield) for r in options)
        return used <= d.feedstock_t.get((m, y), 0.0)

    b.recycling_feedstock = pyo.Constraint(b.MY, rule=feedstock)
    b.PY = pyo.Set(initialize=[(p, y) for p in d.recycling_plants for y in ix.years], dimen=2, ordered=True)
    b.processed_units = pyo.Var(b.PY, domain=pyo.NonNegativeReals)
    b.plant_capacity = pyo.Constraint(b.PY, rule=lambda b, p, y: b.processed_units[p, y]
                                      <= d.recycling_plants[p].module_capacity_t_per_yr * b.modules_online[p, y])
    b.FY = pyo.Set(initialize=[(f, y) for f in d.streams for y in ix.years], dimen=2, ordered=True)
    b.stream_feedstock = pyo.Constraint(b.FY, rule=lambda b, f, y: sum(
        b.processed_units[p, y] for p in ix.plants_of_stream.get(f, ())) <= d.streams[f].available_units(y)
        if ix.plants_of_stream.get(f) else pyo.Constraint.Skip)
    b.STREAM_RY = pyo.Set(initialize=[(r, y) for r, y in ix.ry if d.recycling[r].plant_id is not None], dimen=2,
                          ordered=True)
    b.stream_output = pyo.Constraint(b.STREAM_RY, rule=lambda b, r, y: b.recycled_t[r, y]
                                     <= d.output_per_unit_t(d.recycling[r]) * b.processed_units[d.recycling[r].plant_id, y])
    b.recycled_by_my = pyo.Expression(
        b.MY, rule=lambda b, m, y: sum(b.recycled_t[r, y] for r in ix.rec_by_m[m]))


def add_refining(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Korean refineries: what their feed routes deliver fits the modules online.

    .. math::

        \\sum_{s:\\, refinery(s) = k} buy_{s,y} \\le module\\_capacity_k \\cdot online_{k,y}

    The feed's price is the price of the route (ore or intermediate delivered to Korea); the
    refinery's conversion cost per tonne is in the objective.
    """
    b.KY = pyo.Set(initialize=[(k, y) for k in d.refineries for y in ix.years], dimen=2, ordered=True)
    b.refinery_capacity = pyo.Constraint(b.KY, rule=lambda b, k, y: sum(
        b.buy_t[s, y] for s in ix.feed_by_ky.get((k, y), ()))
        <= d.refineries[k].module_capacity_t_per_yr * b.modules_online[k, y]
        if ix.feed_by_ky.get((k, y)) else pyo.Constraint.Skip)


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
