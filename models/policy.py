"""Shared plumbing for policy constraints: their limits as mutable parameters,
and the elastic slack that diagnoses infeasible cases.

Limits are mutable Pyomo Params so a sweep can change them and re-solve the
persistent HiGHS model without rebuilding it.  A blank limit in the workbook,
or one that does not apply to the mineral (``PlanningData.limit_applies``),
becomes its non-binding value (a cap of 1, a minimum of 0).
"""

from __future__ import annotations

import pyomo.core as pyo

from models.dataset import PlanningData

# Non-binding value of each limit, used where the Policy sheet leaves it blank.
NON_BINDING = {
    "china_cap_share": 1.0,
    "single_country_cap_share": 1.0,
    "risk_cap": 1.0,
    "recycling_min_share": 0.0,
    "stockpile_min_days": 0.0,
    "ira_min_share": 0.0,
    "mining_country_cap_share": 1.0,
    "refining_country_cap_share": 1.0,
}


def limit_param(b: pyo.ConcreteModel, d: PlanningData, column: str) -> pyo.Param:
    """A mutable Param over (mineral, year) holding the Policy sheet's ``column``."""

    def value(_, m, y):
        v = d.limit(column, m, y)
        return NON_BINDING[column] if v is None else v

    p = pyo.Param(b.MY, mutable=True, initialize=value, within=pyo.Reals)
    b.add_component(f"{column}_param", p)
    return p


def elastic_slack(b: pyo.ConcreteModel, family: str, index) -> pyo.Var | None:
    """In an elastic model, a non-negative slack (t) per row of ``family``; else None.

    The elastic objective minimises the total violation, so non-zero slacks
    name the limits that must move for the case to become feasible.
    """
    if not b.elastic:
        return None
    v = pyo.Var(index, domain=pyo.NonNegativeReals)
    b.add_component(f"{family}_slack", v)
    b.slack_families.append(family)
    return v
