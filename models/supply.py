"""Supply contracts and the volumes bought under them."""

from __future__ import annotations

import pyomo.core as pyo

from models.dataset import PlanningData
from models.index import Index


def contract_tail_years(d: PlanningData, supplier_id: str, start_year: int) -> list[int]:
    """Years after the horizon that a contract started in ``start_year`` must still run: up to
    its minimum length L, and never past the option's last year."""
    s = d.suppliers[supplier_id]
    end = min(start_year + d.settings.min_contract_years - 1, s.last_year)
    return list(range(d.settings.last_year + 1, end + 1))


def add_supply(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Contract decisions and purchased volumes per supply option and year.

    For each usable option s (not sanctioned, not forced off) and year y in
    [first_year_s, last_year_s] ∩ Y:

    .. math::

        0 \\le buy_{s,y} \\le cap_{s,y} \\cdot contracted_{s,y}

        buy_{s,y} \\ge min\\_volume_s \\, ramp_s \\, q_s \\, f_{s,y} \\cdot contracted_{s,y}

        start_{s,y} \\ge contracted_{s,y} - contracted_{s,y-1}

        \\sum_{\\tau = y-L+1,\\, (s,\\tau) \\in SY}^{y} start_{s,\\tau} \\le contracted_{s,y}   \\quad L = min\\_contract\\_years

        contracted_{s,y} = 1 \\quad \\text{if contract}_s = on, \\text{ or } y < y_0 + left_s

    y_0 is the first decision year.  A contract in force at its start
    (``contract_years_left`` left_s > 0) has contracted_{s,y_0-1} = 1 and runs
    its remaining years; otherwise contracted_{s,y_0-1} = 0.
    cap_{s,y} = capacity_s · ramp_s · q_s · a_s · f_{s,y}
    (``PlanningData.capacity_t``): nameplate x the ramp-up share of the year x
    delivery probability q_s x Korea's accessible share a_s x f_{s,y}, a
    scenario's capacity factor (1 unless an export control or disruption cuts
    the option in year y).  The minimum volume scales with the ramp-up, q_s and
    f_{s,y} (a take on what the project delivers; force majeure), not with a_s
    (``min_volume_t``).  ``contracted`` is binary.  The minimum length is cut
    short at the option's last year (a contract cannot outlive its source) and
    at the horizon, where the objective still pays its fixed cost for the years
    past the horizon (``contract_tail_years``); where y is the window's only
    year in SY the row, start_{s,y} ≤ contracted_{s,y}, is left out (a start
    without its contract only adds cost, and ``planner.verify`` names one).
    ``start`` is binary in the years that carry such a tail, and elsewhere
    continuous in [0, 1], integral at any optimum.
    """
    b.SY = pyo.Set(initialize=ix.sy, dimen=2, ordered=True)
    cap = {(s, y): d.capacity_t(d.suppliers[s], y) for s, y in ix.sy}
    b.buy_t = pyo.Var(b.SY, domain=pyo.NonNegativeReals, bounds=lambda _, s, y: (0, cap[s, y]))
    b.contracted = pyo.Var(b.SY, domain=pyo.Binary)
    # Starts that commit fixed costs beyond the horizon are paid for, so they must be whole.
    b.START_TAIL = pyo.Set(initialize=[(s, y) for s, y in ix.sy if contract_tail_years(d, s, y)], dimen=2,
                           ordered=True)
    b.start = pyo.Var(b.SY, bounds=(0, 1), domain=lambda _, s, y: pyo.Binary if (s, y) in b.START_TAIL
                      else pyo.Reals)

    b.supply_capacity = pyo.Constraint(b.SY, rule=lambda b, s, y: b.buy_t[s, y] <= cap[s, y] * b.contracted[s, y])

    def min_volume(b, s, y):
        floor = d.min_volume_t(d.suppliers[s], y)
        return b.buy_t[s, y] >= floor * b.contracted[s, y] if floor > 0 else pyo.Constraint.Skip

    b.supply_min_volume = pyo.Constraint(b.SY, rule=min_volume)

    available = set(ix.sy)
    first = ix.years[0]

    def contract_start(b, s, y):
        if (s, y - 1) in available:
            before = b.contracted[s, y - 1]
        else:
            before = 1 if y == first and d.suppliers[s].contract_years_left > 0 else 0
        return b.start[s, y] >= b.contracted[s, y] - before

    b.contract_start = pyo.Constraint(b.SY, rule=contract_start)
    length = d.settings.min_contract_years

    def contract_min_years(b, s, y):
        starts = [b.start[s, t] for t in range(y - length + 1, y) if (s, t) in available]
        if not starts:
            # start ≤ contracted is left out: a start without its contract only adds cost (the fixed cost of
            # its years past the horizon), so no optimum holds one, and planner.verify names it.
            return pyo.Constraint.Skip
        return sum(starts) + b.start[s, y] <= b.contracted[s, y]

    b.contract_min_years = pyo.Constraint(b.SY, rule=contract_min_years)
    for s, y in ix.sy:
        if d.suppliers[s].contract_held(y, first):
            b.contracted[s, y].fix(1)
