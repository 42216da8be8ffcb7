"""Near-optimal alternatives (modelling to generate alternatives, MGA): the least-cost model with a
cost budget, solved again for other objectives.

Once the least-cost plan x* is known, a budget row keeps every later plan within an allowance of
x*'s cost: one row per mineral (each mineral keeps its own block, so the model still solves mineral
by mineral) or one row over every mineral (the row links them: one HiGHS model).  The objective is
then replaced, in the compiled matrices, by a *measure* of the plan: China-linked tonnes (imported,
or consumed on the consumption basis), tonnes recycled, misaligned tonnes, supplier countries, stock
(the directions), or one decision's total (a supplier's tonnes, the modules of a recycling option, a
stream plant or a refinery, an agreement's years, a mineral's stock: the ranges).  The model is
built and compiled once; a solve changes only the cost vector, runs only the blocks the measure
touches (the others keep the least-cost plan) and starts each from its previous plan, which meets the
budget.  The budget and the solves that push a measure are
``BudgetSession``'s, which the coalition's model uses too (``models.coalition.CoalitionBudgetSession``:
a member's own cost among the grand coalition's plans as cheap).  See FORMULATION.md, "Near-optimal
alternatives".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyomo.core as pyo
from pyomo.core.base.enums import SortComponents
from pyomo.repn.linear import LinearRepnVisitor
from pyomo.repn.util import VarRecorder

from models.dataset import DAYS_PER_YEAR, PlanningData
from models.index import Index
from models.objective import OBJECTIVE_SCALE
from models.plan import Plan
from models.recycling import running_years
from models.solve import BlockRun, Session, SolveOptions

BUDGET_MINERAL, BUDGET_TOTAL = "mineral", "total"
MIN, MAX = "min", "max"
# A country counts as a supplier of a mineral when the options mined or refined there deliver at
# least this share of the mineral's demand over the horizon: a token purchase is not a partnership.
COUNTRY_MIN_SHARE = 0.01
# "Fewest countries" lets a country go uncounted only below (1 - this) of the threshold, so a plan the
# model counts as using fewer countries is counted the same way by the independent count.
COUNTRY_MARGIN = 1e-4


@dataclass(frozen=True)
class Measure:
    """A linear measure of a plan: ``constant + Σ coef · variable``."""

    constant: float
    terms: list  # (Pyomo variable, coefficient)


def combine(parts: list[tuple[float, Measure]]) -> Measure:
    """Σ weight · measure."""
    return Measure(sum(w * m.constant for w, m in parts), [(v, w * c) for w, m in parts for v, c in m.terms])


def linear(expr) -> Measure:
    """A linear Pyomo expression as a Measure (Pyomo's linear walker, as ``models.compile`` uses)."""
    var_map: dict[int, object] = {}
    repn = LinearRepnVisitor({}, var_recorder=VarRecorder(var_map, SortComponents.deterministic)).walk_expression(expr)
    return Measure(float(pyo.value(repn.constant)), [(var_map[k], c) for k, c in repn.linear.items() if c])


def _mean(d: PlanningData, ix: Index, per_tonne_of_demand: Callable[[str, int], object], minerals=None):
    """(1/N) Σ_{m,y} f(m, y) / demand_{m,y} over the mineral-years with demand (of ``minerals``)."""
    keys = [(m, y) for m, y in ix.my if d.demand_t.get((m, y), 0.0) > 0 and (minerals is None or m in minerals)]
    if not keys:
        return 0
    return sum(per_tonne_of_demand(m, y) / d.demand_t[m, y] for m, y in keys) / len(keys)


def china_share(b, d: PlanningData, ix: Index):
    """Mean over mineral-years of China-linked tonnes per tonne of demand (the China cap's numerator on
    the reliance basis: imports, or consumption with stock releases; per tonne of demand, which no
    decision moves, so the measure stays linear)."""
    return _mean(d, ix, lambda m, y: b.china_t[m, y])


def recycling_share(b, d: PlanningData, ix: Index):
    """Mean over the mineral-years of minerals with a recycling option of recycled tonnes per
    tonne of demand."""
    return _mean(d, ix, lambda m, y: b.recycled_by_my[m, y], [m for m in ix.minerals if ix.rec_by_m[m]])


def aligned_share(b, d: PlanningData, ix: Index):
    """1 − the mean over mineral-years of misalignment-weighted tonnes per tonne of demand:
    Σ_s (1 − A_s) buy_{s,y} + (1 − A_home) recycled_{m,y}, with A_s the option's alignment
    (``PlanningData.supplier_alignment``).  Misaligned tonnes, not aligned ones, are counted, so
    buying more than is needed never raises it."""
    home = 1.0 - d.home_alignment()
    off = {s: 1.0 - d.supplier_alignment(d.suppliers[s]) for s in ix.supplier_years}
    return 1 - _mean(d, ix, lambda m, y: sum(off[s] * b.buy_t[s, y] for s in ix.buy_by_my.get((m, y), ()))
                     + home * b.recycled_by_my[m, y])


def stock_days(b, d: PlanningData, ix: Index):
    """Mean over mineral-years of the stock at the end of the year in days of demand (the
    agreements' volumes not included: they are not Korea's stock)."""
    return _mean(d, ix, lambda m, y: DAYS_PER_YEAR * b.stock_total_t[m, y])


def supplier_countries(b, d: PlanningData, ix: Index, sense: str):
    """The supplier countries of every mineral, summed (``add_country_counts``): counted from above
    for fewest, from below for most."""
    var = b.country_over if sense == MIN else b.country_counted
    return sum(var[k] for k in b.MC)


@dataclass(frozen=True)
class Direction:
    name: str
    sense: str  # which way is "further" by default: MIN or MAX
    words: tuple[str, str]  # the plan that goes furthest, minimising and maximising
    label: str  # the measure, in words
    expression: Callable  # (b, d, ix, sense) -> the measure as a Pyomo expression


DIRECTIONS = {x.name: x for x in (
    Direction("china", MIN, ("least China", "most China"),
              "China-linked share of demand (mean over minerals and years)",
              lambda b, d, ix, sense: china_share(b, d, ix)),
    Direction("recycling", MAX, ("least recycling", "most recycling"),
              "recycled share of demand (mean over minerals with recycling, and years)",
              lambda b, d, ix, sense: recycling_share(b, d, ix)),
    Direction("partners", MAX, ("least aligned partners", "most aligned partners"),
              "alignment-weighted share of demand (1 - misaligned tonnes per tonne)",
              lambda b, d, ix, sense: aligned_share(b, d, ix)),
    Direction("countries", MIN, ("fewest supplier countries", "most supplier countries"),
              f"supplier countries, summed over minerals (each at least {COUNTRY_MIN_SHARE:.0%} of the mineral's "
              "demand)", supplier_countries),
    Direction("stock", MAX, ("least stock", "most stock"),
              "stock in days of demand (mean over minerals and years)",
              lambda b, d, ix, sense: stock_days(b, d, ix)),
)}


def add_country_counts(b: pyo.ConcreteModel, d: PlanningData, ix: Index) -> None:
    """Supplier countries per mineral, for the ``countries`` direction.

    A country c counts for mineral m when the options that mine or refine there deliver at least
    τ_m = COUNTRY_MIN_SHARE · Σ_y demand_{m,y} over the horizon.  With T_{m,c} = Σ_{s ∋ c, y} buy_{s,y}
    and M_{m,c} its most (the options' capacity over the horizon):

    .. math::

        τ_m \\, counted_{m,c} \\le T_{m,c} \\qquad
        T_{m,c} - (1 - ε) τ_m \\le M_{m,c}\\, over_{m,c}

    ``counted`` (binary) can be 1 only for a country at the threshold (most countries maximises
    Σ counted); ``over`` must be 1 for a country above (1 − ε) of it (fewest minimises Σ over).
    Each row alone leaves every plan of the base model feasible (counted = 0, over = 1).
    """
    pairs: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for (m, c, y), suppliers in ix.country_by_my.items():
        pairs.setdefault((m, c), []).extend((s, y) for s in suppliers)
    b.MC = pyo.Set(initialize=sorted(pairs), dimen=2, ordered=True)
    b.country_counted = pyo.Var(b.MC, domain=pyo.Binary)
    b.country_over = pyo.Var(b.MC, domain=pyo.Binary)

    def threshold_t(m):
        return COUNTRY_MIN_SHARE * sum(d.demand_t.get((m, y), 0.0) for y in ix.years)

    def delivered(b, m, c):
        return sum(b.buy_t[s, y] for s, y in pairs[m, c])

    b.country_counted_floor = pyo.Constraint(
        b.MC, rule=lambda b, m, c: threshold_t(m) * b.country_counted[m, c] <= delivered(b, m, c))
    most = {k: sum(d.capacity_t(d.suppliers[s], y) for s, y in v) for k, v in pairs.items()}
    b.country_over_ceiling = pyo.Constraint(
        b.MC, rule=lambda b, m, c: delivered(b, m, c) - (1 - COUNTRY_MARGIN) * threshold_t(m)
        <= most[m, c] * b.country_over[m, c])


# ---- ranges: one decision's total over the horizon -------------------------------------------

@dataclass(frozen=True)
class RangeItem:
    family: str  # supplier, recycling, agreement, stock
    item: str  # supplier_id, option_id, agreement_id or mineral_id
    mineral: str
    unit: str  # t, modules, years, days
    lowest: float  # the most and least the decision's own bounds allow (a found value there is proven)
    highest: float


def range_items(d: PlanningData, ix: Index) -> list[RangeItem]:
    """Every decision whose range the alternatives report: each usable supplier's tonnes over the
    horizon, the modules built that run in the horizon of each recycling option, stream plant and refinery,
    each agreement's years of
    membership, each stocked mineral's mean stock in days of demand."""
    out = [RangeItem("supplier", s, ix.mineral_of[s], "t", 0.0,
                     sum(d.capacity_t(d.suppliers[s], y) for y in ys)) for s, ys in ix.supplier_years.items()]
    out += [RangeItem("recycling", k, ix.mineral_of[k], "modules", 0.0, float(max(o.max_modules - o.existing_modules, 0)))
            for k, o in d.module_owners.items()]
    years = {a: sum(1 for aa, _ in ix.ay if aa == a) for a in d.agreements}
    out += [RangeItem("agreement", a, ix.mineral_of[a], "years",
                      float(years[a]) if d.agreements[a].member_at_start else 0.0, float(years[a]))
            for a in d.agreements]
    out += [RangeItem("stock", m, m, "days", 0.0, max(
        (DAYS_PER_YEAR * d.stockpile[m].max_stock_t / d.demand_t[m, y] for y in ix.years
         if d.demand_t.get((m, y), 0.0) > 0), default=0.0)) for m in ix.minerals if m in d.stockpile]
    return out


def range_expression(b, d: PlanningData, ix: Index, item: RangeItem):
    if item.family == "supplier":
        return sum(b.buy_t[item.item, y] for y in ix.supplier_years[item.item])
    if item.family == "recycling":  # a module started too late to run in the horizon costs and does nothing
        return sum(b.build_modules[item.item, y] for y in ix.years if running_years(d, item.item, y))
    if item.family == "agreement":
        return sum(b.join[a, y] for a, y in ix.ay if a == item.item)
    m = item.item
    years = [y for y in ix.years if d.demand_t.get((m, y), 0.0) > 0]
    return sum(DAYS_PER_YEAR * b.stock_total_t[m, y] / d.demand_t[m, y] for y in years) / max(len(years), 1)


# ---- the session ---------------------------------------------------------------------------

@dataclass
class Outcome:
    """A plan found for one measure, within the budget."""

    plan: Plan  # its stats carry the plan's cost as the objective (no bound: cost was not minimised)
    value: float | None  # the measure at the plan, as the solver computed it
    bound: float | None  # the furthest any plan within the budget can go (HiGHS's bound), if known


class BudgetSession(Session):
    """A model solved at least cost, then the same compiled model with a cost budget and other objectives
    (``push``): the near-optimal alternatives' session, and the coalition's (``models.coalition``).

    ``budget`` (a class or instance attribute): BUDGET_MINERAL keeps each mineral within its own allowance
    (one row per block, the blocks stay apart); BUDGET_TOTAL keeps the total cost within one allowance
    (one row over every mineral: the whole model is one block)."""

    budget = BUDGET_MINERAL

    def __init__(self, *args, **kw):
        self.runs: list[BlockRun] = []
        super().__init__(*args, **kw)
        self.cost_vector: np.ndarray | None = None  # the cost objective, once the budget is in
        self._best: np.ndarray | None = None  # the least-cost plan, per column
        self._budget: dict[str, tuple[float, float]] = {}

    def _run_all(self, opts: SolveOptions, warm_start: bool = False, **kw) -> list[BlockRun]:
        self.runs = super()._run_all(opts, warm_start=warm_start, **kw)  # each block's value and bound
        return self.runs

    def add_budget(self, allowance_usd: dict[str, float]) -> None:
        """Keep every later plan within ``allowance_usd`` of the plan now in the model (the least-cost
        plan): per mineral (``allowance_usd[m]``), or in total (``allowance_usd`` summed).

        The row is the compiled cost objective itself: Σ_j c_j x_j ≤ Σ_j c_j x*_j + allowance, over the
        block's columns (costs of fixed decisions, such as contracts in force, are the same in every
        plan, so they cancel)."""
        form, b = self.form, self.model
        x = self.column_values()
        if self.budget == BUDGET_TOTAL:
            groups = {"total": (np.arange(len(form.columns)), sum(allowance_usd.values()))}
        else:
            groups = {"+".join(blk.groups): (blk.cols, sum(allowance_usd.get(m, 0.0) for m in blk.groups))
                      for blk in self.blocks}
        # The least-cost plan's cost and the allowance, per row, in the solver's units.
        self._budget = {k: (float(form.c[cols] @ x[cols]), allowance * OBJECTIVE_SCALE)
                        for k, (cols, allowance) in groups.items()}
        b.BUDGET = pyo.Set(initialize=list(groups), ordered=True)
        b.cost_budget = pyo.Constraint(b.BUDGET, rule=lambda b, k: sum(
            float(form.c[j]) * form.columns[j] for j in groups[k][0] if form.c[j]) <= sum(self._budget[k]))
        self._compile()
        self.cost_vector = self.form.c.copy()
        self._best = self.column_values()
        self.share_allowance(1.0)

    def start_from(self, x: np.ndarray) -> float:
        """Load a plan of this model (``column_values`` of another session of the same data) and return its
        cost (USD), for ``add_budget`` to keep later plans within an allowance of it."""
        self._load_all(x)
        return (float(self.form.c @ x) + self.form.offset) / OBJECTIVE_SCALE

    def share_allowance(self, share: float) -> None:
        """Give the solves that follow ``share`` of the allowance (1: all of it), each block starting again
        from the least-cost plan, which meets any budget."""
        b = self.model
        for i, con in enumerate(self.form.rows):
            if con.parent_component() is b.cost_budget:
                cost, allowance = self._budget[con.index()]
                self.form.row_upper[i] = cost + share * allowance
        self._starts = {blk.groups: self._best[blk.cols] for blk in self.blocks}

    def column_values(self) -> np.ndarray:
        """The plan now in the model, column by column."""
        return np.array([v.value or 0.0 for v in self.form.columns])

    def vector(self, measure: Measure) -> tuple[np.ndarray, float]:
        """The measure as a cost vector over the compiled columns, and its constant (fixed variables
        included)."""
        col = {id(v): j for j, v in enumerate(self.form.columns)}
        c, constant = np.zeros(len(self.form.columns)), measure.constant
        for v, coef in measure.terms:
            j = col.get(id(v))
            if j is None:  # fixed in the model: a number
                constant += coef * (v.value or 0.0)
            else:
                c[j] += coef
        return c, constant


    def touches(self, measure: Measure) -> bool:
        """Whether the measure depends on any decision (a direction may apply to no mineral)."""
        return bool(np.any(self.vector(measure)[0]))

    def push(self, measure: Measure, sense: str, opts: SolveOptions, hold_integers: bool = False) -> Outcome:
        """The plan within the budget that takes ``measure`` furthest (``sense`` MIN or MAX).

        Only the blocks the measure touches are solved, each from its previous plan; the others
        keep the least-cost plan.  ``hold_integers`` holds the whole-number decisions at the least-cost
        plan's (an LP: the furthest plan with them, a start for the solve that follows, no bound)."""
        c, constant = self.vector(measure)
        sign = 1.0 if sense == MIN else -1.0
        active = [blk for blk in self.blocks if np.any(c[blk.cols])]
        if not active:
            raise ValueError("the measure depends on no decision")
        self._load_all(self._best)
        saved_c, saved_blocks = self.form.c, self.blocks
        saved_bounds = self.form.col_lower.copy(), self.form.col_upper.copy()
        self.form.c, self.blocks = sign * c, active
        if hold_integers:
            whole = self.form.integer
            self.form.col_lower[whole] = self.form.col_upper[whole] = np.round(self._best[whole])
        try:
            plan = self.solve(opts, shadow_prices=False, warm_start=True)
        finally:
            self.form.c, self.blocks = saved_c, saved_blocks
            self.form.col_lower, self.form.col_upper = saved_bounds
        value = bound = None
        if plan.has_solution:
            x = self.column_values()
            value = float(c @ x) + constant
            if not hold_integers and all(r.bound is not None for r in self.runs):  # untouched blocks add nothing
                bound = sign * sum(r.bound for r in self.runs) + constant
            cost = (float(self.cost_vector @ x) + self.form.offset) / OBJECTIVE_SCALE
            plan.stats = dataclasses.replace(plan.stats, objective_usd=cost, bound_usd=None, gap=None,
                                             blocks=len(active))
        return Outcome(plan, value, bound)

    def _load_all(self, x: np.ndarray) -> None:
        for var, value in zip(self.form.columns, x):
            var.set_value(float(value), skip_validation=True)


class AlternativesSession(BudgetSession):
    """The least-cost model, then the same compiled model with a cost budget and the alternatives' measures:
    the directions and the ranges.  ``countries`` adds the supplier-country counts."""

    def __init__(self, data: PlanningData, budget: str = BUDGET_MINERAL, countries: bool = False):
        self.budget, self.countries = budget, countries
        super().__init__(data)

    def _build(self, data: PlanningData, elastic: bool) -> pyo.ConcreteModel:
        b = super()._build(data, elastic)
        if self.countries:
            add_country_counts(b, data, b.ix)
        return b

    def direction(self, name: str, sense: str) -> Measure:
        """The measure a direction pushes (``DIRECTIONS``)."""
        b = self.model
        return linear(DIRECTIONS[name].expression(b, self.data, b.ix, sense))

    def range_items(self) -> list[RangeItem]:
        return range_items(self.data, self.model.ix)

    def range_measure(self, item: RangeItem) -> Measure:
        b = self.model
        return linear(range_expression(b, self.data, b.ix, item))
