"""The supplier story of a comparison: per mineral and year, which countries and supply options
gained and lost tonnes against the base, with the recycling, stock and unmet-demand changes, largest
first.

Compare, sweep and the brief call :func:`supplier_story` on two verified plans of cases with the same
minerals and years; the reports name the items in their language.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.dataset import PlanningData
from models.plan import Plan
from planner.verify import REL_TOL, Evaluation

COUNTRY, OPTION, RECYCLING, STOCK, UNMET = "country", "option", "recycling", "stock_draw", "unmet"


@dataclass(frozen=True)
class Change:
    mineral: str
    year: int
    kind: str  # country (tonnes mined or refined there), option, recycling, stock_draw or unmet
    item: str  # an ISO3 code, a supplier_id, or for recycling, stock and unmet the kind again
    base_t: float
    other_t: float

    @property
    def change_t(self) -> float:
        return self.other_t - self.base_t


def _tonnes(d: PlanningData, plan: Plan, ev: Evaluation) -> dict[tuple[str, int, str, str], float]:
    """(mineral, year, kind, item) -> tonnes, for every kind of the story."""
    out: dict[tuple[str, int, str, str], float] = {}

    def add(key, t):
        out[key] = out.get(key, 0.0) + t

    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        add((s.mineral_id, y, OPTION, s_id), t)
        for c in s.countries:  # a tonne counts for the country that mines it and the one that refines it
            add((s.mineral_id, y, COUNTRY, c), t)
    for (m, y), mi in ev.indicators.items():
        add((m, y, RECYCLING, RECYCLING), mi.recycled_t)
        add((m, y, STOCK, STOCK), sum(mi.released_t.values()) - sum(mi.added_t.values()))
        add((m, y, UNMET, UNMET), mi.unmet_t)
    return out


def supplier_story(base: tuple[PlanningData, Plan, Evaluation], other: tuple[PlanningData, Plan, Evaluation],
                   minerals=None) -> list[Change]:
    """Every change of more than round-off (1e-5 of the year's demand, at least 1 kg), per mineral and
    year, largest first within a mineral-year; minerals in workbook order."""
    a, b = _tonnes(*base), _tonnes(*other)
    d = other[0]
    wanted = list(minerals) if minerals is not None else list(d.minerals)
    out = []
    for m in wanted:
        for y in d.years:
            tol = max(1e-3, REL_TOL * d.demand_t.get((m, y), 0.0))
            keys = sorted({k for k in a.keys() | b.keys() if k[0] == m and k[1] == y})
            found = [Change(m, y, k[2], k[3], a.get(k, 0.0), b.get(k, 0.0)) for k in keys]
            out += sorted((c for c in found if abs(c.change_t) > tol), key=lambda c: -abs(c.change_t))
    return out
