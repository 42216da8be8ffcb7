"""Assemble the sourcing model from its parts, in dependency order."""

from __future__ import annotations

import pyomo.core as pyo

from models.balance import add_demand_balance
from models.caps import (
    add_china_cap, add_ira_share, add_reliance_base, add_risk_cap, add_single_country_cap, add_stage_country_caps,
)
from models.dataset import PlanningData
from models.disruption import add_disruption_recourse, add_hedged_objective
from models.index import build_index
from models.objective import add_cost_objective, add_violation_objective
from models.recycling import add_modules, add_recycling, add_recycling_share, add_refining
from models.stockpile import add_agreements, add_stockpile, add_stockpile_cover
from models.supply import add_supply

def build_model(d: PlanningData, elastic: bool = False, hedged: bool = False) -> pyo.ConcreteModel:
    """The mixed-integer sourcing model of ``d`` (see FORMULATION.md).

    With ``elastic=True`` every policy constraint gets a penalised slack and the
    objective minimises total violation: the model is then always feasible
    (unless forced contracts alone conflict) and its slacks diagnose an
    infeasible case.  With ``hedged=True`` the model is the first stage of the
    two-stage disruption model (``models.disruption``): each of ``d.disruptions``
    adds its recourse, and the objective weighs their cost.
    """
    ix = build_index(d)
    b = pyo.ConcreteModel(name="sourcing_plan_elastic" if elastic else "sourcing_plan")
    b.elastic = elastic
    b.slack_families = []
    b.ix = ix  # sparse index sets, reused by solve and reports
    b.MY = pyo.Set(initialize=ix.my, dimen=2, ordered=True)
    # Physical decisions first; policies refer to their totals.
    add_supply(b, d, ix)
    add_modules(b, d, ix)
    add_refining(b, d, ix)
    add_recycling(b, d, ix)
    add_stockpile(b, d, ix)
    add_agreements(b, d, ix)
    add_demand_balance(b, d, ix)
    add_reliance_base(b, d, ix)
    add_china_cap(b, d, ix)
    add_single_country_cap(b, d, ix)
    add_stage_country_caps(b, d, ix)
    add_risk_cap(b, d, ix)
    add_ira_share(b, d, ix)
    add_recycling_share(b, d, ix)
    add_stockpile_cover(b, d, ix)
    if elastic:
        add_violation_objective(b, d, ix)
    else:
        add_cost_objective(b, d, ix)
    if hedged and not elastic:
        add_disruption_recourse(b, d, ix)
        add_hedged_objective(b, d)
    return b


def model_size(b: pyo.ConcreteModel) -> dict[str, int]:
    """Counts of variables (and integer ones) and constraints, for the Run sheet and benchmarks."""
    vars_ = list(b.component_data_objects(pyo.Var, active=True))
    return {
        "variables": len(vars_),
        "integer_variables": sum(1 for v in vars_ if v.is_integer() or v.is_binary()),
        "constraints": sum(1 for _ in b.component_data_objects(pyo.Constraint, active=True)),
    }
