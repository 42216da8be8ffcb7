"""Why a case, sweep point or alternative has no plan, or no plan a report may use.

A study records the reason as a :class:`Why`: a key and its values, not words.  The reports
word it in their language from the one label catalogue (``planner.reports.labels.reason``,
the keys ``why.<key>``), and the console in English from the same catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models import plan as _plan
from models.solve import Diagnosis

INFEASIBLE = "infeasible"  # no plan meets the limits (and, when diagnosed, these limits must move)
DIAGNOSIS_CUT = "diagnosis_cut"  # infeasible, and the time limit ended the diagnosis: which limits is unknown
DATA_CONFLICT = "data_conflict"  # infeasible even with every policy limit relaxed
TIME_LIMIT = "time_limit"  # no plan within the time limit
UNVERIFIED = "unverified"  # the plan failed independent verification (a bug in the model)
UNTESTED = "untested"  # the plan's disruptions could not be tested
OVER_BUDGET = "over_budget"  # an alternative's plan breaks the cost budget it was given
NO_DECISION = "no_decision"  # an alternative's direction depends on no decision of the case
TIGHTER_PLAN = "tighter_plan"  # a sweep point keeps the plan of a tighter point, cheaper than its own solve's
INVALID = "invalid"  # a sensitivity sample's edited case breaks a rule of the workbook


@dataclass(frozen=True)
class Why:
    key: str
    values: dict[str, object] = field(default_factory=dict, hash=False)


def time_limit(time_limit_s: float) -> Why:
    return Why(TIME_LIMIT, {"s": f"{time_limit_s:g}"})


def no_plan(stats: _plan.SolveStats) -> Why:
    """Why an undiagnosed solve has no plan: proven infeasible, or none within its time limit."""
    return Why(INFEASIBLE) if stats.status == _plan.INFEASIBLE else time_limit(stats.time_limit_s)


def infeasible(diagnosis: Diagnosis | None, time_limit_s: float) -> Why:
    """Why an infeasible case has no plan (``diagnosis`` None: not diagnosed); the limits it must move,
    when the diagnosis found them, are its relaxations, which the reports word beside this."""
    if diagnosis is not None and not diagnosis.finished:
        return Why(DIAGNOSIS_CUT, {"s": f"{time_limit_s:g}"})
    if diagnosis is not None and not diagnosis.relaxations:
        return Why(DATA_CONFLICT)
    return Why(INFEASIBLE)


def failed(key: str, error: Exception | str) -> Why:
    """A plan refused (``UNVERIFIED``, ``UNTESTED``, ``OVER_BUDGET``), with what was wrong (the verifier's
    own English: a bug report, not a planner's sentence)."""
    return Why(key, {"detail": str(error)})
