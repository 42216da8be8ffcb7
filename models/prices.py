"""Shadow prices of policy: what one point more of a limit costs, with contracts and modules held.

After the MIP, the integer decisions are fixed at the plan's values and each block's LP is solved
(``Session.solve``).  A limit's price is the slope of that LP's least cost as the limit tightens: the
limit is moved a hundredth of a point tighter (``STEPS``), the LP solved again from the plan's
basis, and the cost it adds, times 100, is the price per point.  The row duals of the LP gave a
price only where the LP has one optimal basis: where optima tie (recycling at the price of an
option) or two limits hold the same tonnes (the China cap and the single-country cap on China) the
duals are one of many, and the default case's single-country cap on lithium read 614,554 USD a
point where tightening it costs 6,697,121 (models/FORMULATION.md, "Shadow prices of policy").

A limit the plan meets with room to spare costs nothing to tighten by a hundredth of a point and is
not solved again.  A limit that cannot be tightened at all with the contracts and modules held is
priced ``math.inf`` (reports say so in words).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.core as pyo

from models.compile import Block, CompiledModel, row_terms
from models.dataset import PlanningData
from models.objective import OBJECTIVE_SCALE
from models.plan import FAMILY_LIMIT

STEPS = 100  # a limit moves a hundredth of a point; the price is the cost of that step, times 100
POINT = {"share": 0.01, "score": 0.01, "days": 1.0}  # a point of a limit, in its own unit
# The plan still meets a tightened row within this (tonnes): HiGHS's primal feasibility tolerance.
STILL_MET = 1e-7
_MS = highspy.HighsModelStatus


@dataclass(frozen=True)
class RowStep:
    """One row of a limit moved a step tighter: its columns whose coefficient moves, their
    coefficients before and after, and how far its bounds move."""

    row: int  # in the compiled model
    cols: np.ndarray
    before: np.ndarray
    after: np.ndarray
    lower_by: float
    upper_by: float


def tightening_steps(d: PlanningData, model: pyo.ConcreteModel, form: CompiledModel,
                     only: Collection[tuple[str, str, int]] | None = None) -> dict[tuple[str, str, int], list[RowStep]]:
    """Every limit the Policy sheet sets (family, mineral, year), or those of them in ``only``, as the change
    of each of its rows (a country cap has one per country) when it is a step tighter: the rows compiled
    again with the limit's parameter moved, and the parameter put back.  A limit with no row in ``form``
    is left out."""
    row_of = {id(row): i for i, row in enumerate(form.rows)}
    where = {id(v): j for j, v in enumerate(form.columns)}
    steps: dict[tuple[str, str, int], list[RowStep]] = {}
    for family, (column, direction, unit) in FAMILY_LIMIT.items():
        rows = model.component(family)
        if rows is None:
            continue
        param = model.component(f"{column}_param")
        chosen = [(index, i) for index, row in rows.items() if (i := row_of.get(id(row))) is not None
                  and d.limit(column, index[0], index[-1]) is not None
                  and (only is None or (family, index[0], index[-1]) in only)]
        if not chosen:
            continue
        keys = {(index[0], index[-1]) for index, _ in chosen}
        held = {k: pyo.value(param[k]) for k in keys}
        try:
            for k, v in held.items():
                param[k] = v - direction * POINT[unit] / STEPS
            moved = row_terms([form.rows[i] for _, i in chosen], where)
        finally:
            for k, v in held.items():
                param[k] = v
        for (index, i), (terms, lower, upper) in zip(chosen, moved):
            now = dict(zip(form.index[form.start[i]:form.start[i + 1]].tolist(),
                           form.value[form.start[i]:form.start[i + 1]].tolist()))
            cols = np.array(sorted(j for j in terms.keys() | now.keys() if terms.get(j, 0.0) != now.get(j, 0.0)),
                            dtype=np.int64)
            steps.setdefault((family, index[0], index[-1]), []).append(RowStep(
                i, cols, np.array([now.get(j, 0.0) for j in cols.tolist()]),
                np.array([terms.get(j, 0.0) for j in cols.tolist()]),
                _moved_by(lower, form.row_lower[i]), _moved_by(upper, form.row_upper[i])))
    return steps


def block_prices(h: highspy.Highs, block: Block, steps: dict[tuple[str, str, int], list[RowStep]],
                 keys: Collection[tuple[str, str, int]] | None = None) -> dict[tuple[str, str, int], float] | None:
    """USD per point of each limit of ``block`` (``steps``: its limits'; ``keys``: those of them to price
    here, all by default), with ``h`` holding the block's LP with its integers fixed, solved to optimality.
    None if a step's LP is not solved within ``h``'s time limit."""
    row_at = {i: k for k, i in enumerate(block.rows.tolist())}
    col_at = np.full(int(block.cols.max()) + 1 if len(block.cols) else 0, -1, dtype=np.int64)
    col_at[block.cols] = np.arange(len(block.cols))
    solution = h.getSolution()
    x, activity = np.array(solution.col_value), np.array(solution.row_value)
    lp = h.getLp()
    lower, upper = np.array(lp.row_lower_), np.array(lp.row_upper_)
    least = h.getInfo().objective_function_value
    h.setOptionValue("presolve", "off")  # each step starts from the plan's basis
    prices: dict[tuple[str, str, int], float] = {}
    for key in steps if keys is None else keys:
        rows = steps[key]
        local = [(row_at[s.row], col_at[s.cols], s) for s in rows]
        if all(_still_met(activity[r] + (s.after - s.before) @ x[c], lower[r] + s.lower_by,
                          upper[r] + s.upper_by) for r, c, s in local):
            prices[key] = 0.0  # the plan meets the tighter limit as it is
            continue
        for r, c, s in local:
            for j, a in zip(c.tolist(), s.after.tolist()):
                h.changeCoeff(r, j, a)
            h.changeRowBounds(r, lower[r] + s.lower_by, upper[r] + s.upper_by)
        h.run()
        status = h.getModelStatus()
        moved = h.getInfo().objective_function_value
        for r, c, s in local:
            for j, a in zip(c.tolist(), s.before.tolist()):
                h.changeCoeff(r, j, a)
            h.changeRowBounds(r, lower[r], upper[r])
        if status == _MS.kInfeasible:
            prices[key] = math.inf  # not without another contract or module
        elif status == _MS.kOptimal:  # a tighter limit never costs less: below zero is round-off
            prices[key] = max(0.0, (moved - least) / OBJECTIVE_SCALE * STEPS)
        else:
            return None
    return prices


def _still_met(activity: float, lower: float, upper: float) -> bool:
    return lower - STILL_MET <= activity <= upper + STILL_MET


def _moved_by(after: float, before: float) -> float:
    return 0.0 if after == before else after - before  # an infinite bound stays infinite
