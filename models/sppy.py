"""The two-stage disruption model as an mpi-sppy model module (``--module-name models.sppy``).

mpi-sppy decomposes by scenario: each scenario is a whole Pyomo model, the first stage plus
that scenario's recourse, and its objective is the hedged objective as if the scenario were
certain.  We build it with ``models.build.build_model`` itself, on a copy of the case whose
only disruption is that scenario at probability 1: no second copy of the algebra, and variable
names and indices are the planner's own, so a first stage found by mpi-sppy loads straight into
a :class:`models.solve.Session` model.  With probability 1, ``add_hedged_objective`` gives

    F + (1 - λ) C_ω + λ (η + z_ω / (1 - α))          (z_ω >= C_ω - η)

and a "calm" scenario (no disruption, probability 1 - Σ p) gives F + λ (η + z_0 / (1 - α)),
z_0 >= -η; the probability-weighted sum of these is exactly the extensive form
``Session(d, hedged=True)`` solves.  The nonanticipative (first-stage) variables are every
variable outside ``RECOURSE_VARIABLES``, plus η (``var_usd``): the value at risk must be one
number across scenarios.

Scenario ``scen{i}`` is ``d.disruptions[i]``; ``scen{len(d.disruptions)}`` is the calm outcome
when Σ p < 1 (``scenario_count``).  The case reaches every MPI rank as a pickle of its
:class:`PlanningData` (``--case-file``), written by ``planner.studies.scale_out``.

Importing this module needs no mpi-sppy; only ``scenario_creator`` does.
"""

from __future__ import annotations

import dataclasses
import json
import pickle
from functools import lru_cache

import pyomo.core as pyo

from models.build import build_model
from models.dataset import PlanningData
from models.disruption import RECOURSE_VARIABLES
from models.objective import OBJECTIVE_SCALE

SCENARIO_PREFIX = "scen"
CALM = "no_disruption"
# Below this the calm outcome's probability is round-off of Σ p = 1: no calm scenario.
CALM_MIN_PROBABILITY = 1e-12
BOUNDS_SUFFIX = "_bounds.json"  # written next to --solution-base-name by custom_writer


def calm_probability(d: PlanningData) -> float:
    """1 - Σ p: the probability that no disruption happens."""
    return 1.0 - sum(sc.probability for sc in d.disruptions)


def scenario_count(d: PlanningData, per_bundle: int = 1) -> int:
    """mpi-sppy's scenarios of ``d``: every disruption, and the calm outcome if it has weight,
    ``per_bundle`` of ours to one of mpi-sppy's (see ``scenario_case``)."""
    ours = len(d.disruptions) + (1 if calm_probability(d) > CALM_MIN_PROBABILITY else 0)
    return -(-ours // per_bundle)


def scenario_case(d: PlanningData, i: int, per_bundle: int = 1) -> tuple[str, PlanningData, float]:
    """mpi-sppy's scenario ``i``: its name in our terms, its case and its probability.

    It bundles our scenarios ``i k .. i k + k - 1`` (k = ``per_bundle``; the calm outcome comes
    last): one case holding those disruptions, each at its probability over the bundle's P, so
    that ``build_model`` makes the bundle's own extensive form with one copy of the first stage
    (mpi-sppy's EF and PH hold one copy per mpi-sppy scenario, linked by nonanticipativity rows).
    A bundle with the calm outcome leaves it 1 - Σ p / P = p_calm / P.  P times the bundle's
    objective is the bundle's share of the whole extensive form's, λ > 0 included (η is first
    stage).  With k = 1 a scenario is one disruption at probability 1, or the calm outcome alone."""
    n = scenario_count(d)
    if not 0 <= i < scenario_count(d, per_bundle):
        raise ValueError(f"scenario {i} is not in the case: it has {scenario_count(d, per_bundle)} scenarios")
    mine = range(i * per_bundle, min(n, (i + 1) * per_bundle))
    stops = [d.disruptions[j] for j in mine if j < len(d.disruptions)]
    calm = calm_probability(d) if mine[-1] == len(d.disruptions) else 0.0
    probability = sum(sc.probability for sc in stops) + calm
    names = [sc.name for sc in stops] + ([CALM] if calm else [])
    name = names[0] if len(names) == 1 else f"{names[0]} .. {names[-1]}"
    stops = tuple(dataclasses.replace(sc, probability=sc.probability / probability) for sc in stops)
    return name, dataclasses.replace(d, disruptions=stops), probability


def first_stage_variables(model: pyo.ConcreteModel) -> list[pyo.Var]:
    """The nonanticipative variables, in the model's order: the first stage and η."""
    return [v for v in model.component_objects(pyo.Var, active=True)
            if v.name not in RECOURSE_VARIABLES or v.name == "var_usd"]


def first_stage_cost(model: pyo.ConcreteModel, d: PlanningData):
    """The first-stage part of the scaled objective: F, plus λ η when a CVaR term is weighted."""
    cost = model.total_cost_usd
    if hasattr(model, "var_usd"):
        cost = cost + d.settings.cvar_weight * model.var_usd
    return OBJECTIVE_SCALE * cost


def write_case(d: PlanningData, path) -> None:
    with open(path, "wb") as f:
        pickle.dump(d, f, protocol=pickle.HIGHEST_PROTOCOL)


def write_values(values: dict[str, float], path) -> None:
    with open(path, "wb") as f:
        pickle.dump(values, f, protocol=pickle.HIGHEST_PROTOCOL)


@lru_cache(maxsize=2)
def _load_values(path: str) -> dict[str, float]:
    with open(path, "rb") as f:
        return pickle.load(f)


@lru_cache(maxsize=2)
def _load(case_file: str) -> PlanningData:
    """The case, read once per process (every rank builds many scenarios from it)."""
    with open(case_file, "rb") as f:
        d = pickle.load(f)
    if not isinstance(d, PlanningData):
        raise TypeError(f"{case_file} holds a {type(d).__name__}, not a PlanningData")
    return d


# ---- the mpi-sppy model-module contract -------------------------------------------------

def scenario_names_creator(num_scens, start=None):
    start = 0 if start is None else start
    return [f"{SCENARIO_PREFIX}{i}" for i in range(start, start + num_scens)]


def scenario_creator(scenario_name, case_file=None, data=None, per_bundle=1, warm_start_file=None):
    """The Pyomo model of one scenario (a bundle of ``per_bundle`` of ours: ``scenario_case``),
    with its root node and probability attached, its first stage started from the values in
    ``warm_start_file`` if given (a pickled dict, Pyomo name -> value; mpi-sppy's
    ``--user-warmstart`` hands them to HiGHS).  ``data`` (a PlanningData) serves in-process
    callers (``models.sppy_blocks``) and tests; generic_cylinders passes ``case_file``."""
    from mpisppy.utils import sputils

    d = data if data is not None else _load(case_file)
    _name, case, probability = scenario_case(d, sputils.extract_num(scenario_name), per_bundle)
    model = build_model(case, hedged=True)
    first = first_stage_variables(model)
    if warm_start_file is not None:
        start = _load_values(warm_start_file)
        for var in first:
            for v in var.values():
                if v.name in start and not v.fixed:
                    v.set_value(start[v.name], skip_validation=True)
    sputils.attach_root_node(model, first_stage_cost(model, d), first)
    model._mpisppy_probability = probability
    return model


def inparser_adder(cfg):
    cfg.num_scens_required()
    cfg.add_to_config("case_file", description="pickle of the planner's PlanningData (written by "
                      "planner.studies.scale_out)", domain=str, default=None, argparse_args={"required": True})
    cfg.add_to_config("per_bundle", description="the case's scenarios in one mpi-sppy scenario (a bundle: "
                      "one model, one copy of the first stage); --num-scens counts bundles", domain=int, default=1)
    cfg.add_to_config("warm_start_file", description="pickle of first-stage values (Pyomo name -> value) "
                      "every scenario starts from", domain=str, default=None)


def kw_creator(cfg):
    return {"case_file": cfg.case_file, "per_bundle": cfg.per_bundle, "warm_start_file": cfg.warm_start_file}


def scenario_denouement(rank, scenario_name, scenario):
    """Nothing per scenario: the planner re-solves and verifies every recourse itself."""


def custom_writer(solved, cfg):
    """Write the run's bounds, in the model's scaled units, to ``<solution-base-name>_bounds.json``
    (rank 0 only): PH's best inner bound (the best first stage's expected objective, found by an
    xhat spoke) and outer bound (Lagrangian), or the EF's objective.  generic_cylinders calls
    this after a PH run (with its WheelSpinner) and after --EF (with its ExtensiveForm)."""
    base = cfg.get("solution_base_name")
    if base is None:
        return
    from mpisppy import MPI

    if MPI.COMM_WORLD.Get_rank() != 0:
        return
    if hasattr(solved, "BestInnerBound"):  # a WheelSpinner
        opt = solved.spcomm.opt
        out = {"method": "ph", "inner": _finite(solved.BestInnerBound), "outer": _finite(solved.BestOuterBound),
               "iterations": int(getattr(opt, "_PHIter", 0))}
    else:  # an ExtensiveForm: the objective of the plan HiGHS found, and HiGHS's dual bound if it has one
        objective = solved.get_objective_value()
        out = {"method": "ef", "inner": _finite(objective), "outer": _ef_bound(solved), "iterations": 0}
    out["scenarios"] = cfg.get("num_scens")
    with open(f"{base}{BOUNDS_SUFFIX}", "w") as f:
        json.dump(out, f)


def _finite(x):
    return None if x is None or x != x or abs(x) == float("inf") else float(x)


def _ef_bound(ef):
    """HiGHS's proven bound of the EF (appsi_highs keeps its highspy model), or None."""
    solver = getattr(ef, "solver", None)
    for holder in (solver, getattr(solver, "_solver", None)):
        h = getattr(holder, "_solver_model", None)
        if h is not None and hasattr(h, "getInfo"):
            info = h.getInfo()
            bound = info.mip_dual_bound if info.mip_node_count >= 0 else info.objective_function_value
            return _finite(bound)
    return None
