"""Why a case is infeasible: the smallest set of conflicting limits, named by workbook cell.

The elastic diagnosis (:func:`models.solve.diagnose`) says how far policy limits
must move.  This module says which numbers clash.  It asks HiGHS for an
irreducible infeasible subsystem (IIS) of the LP relaxation: a set of rows and
variable bounds that cannot all hold, and that can once any one of them is
dropped.  Each member is mapped to the workbook cell its number comes from
(a Policy limit, a demand, a capacity, ...).

HiGHS computes an IIS for LPs only, so integrality is relaxed first.  If that
LP is feasible the conflict needs whole contracts or modules (minimum volumes,
forced contracts, contract lengths, module sizes), and :func:`explain` says so
and lists those cells instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy

from models.dataset import PlanningData
from models.plan import FAMILY_LIMIT
from models.solve import Session, SolveOptions

# Start from a candidate set HiGHS takes from an LP (FromLp), then drop members until every
# one is needed (Irreducible): 0.1 s on the infeasible default case, 5 s for Irreducible alone.
IIS_STRATEGY = int(highspy.IisStrategy.kIisStrategyFromLp) | int(highspy.IisStrategy.kIisStrategyIrreducible)
_BOUND_IN_IIS = {int(highspy.IisBoundStatus.kIisBoundStatusLower): "lower",
                 int(highspy.IisBoundStatus.kIisBoundStatusUpper): "upper",
                 int(highspy.IisBoundStatus.kIisBoundStatusBoxed): "both"}

_LP_INFEASIBLE = (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible)
_SHEET_ORDER = ("Policy", "Demand", "Suppliers", "Recycling", "Feedstock", "Streams", "Put on market", "Refining",
                "Stockpile", "Agreements", "Settings")


@dataclass(frozen=True)
class Conflict:
    """One workbook number taking part in a conflict."""

    what: str  # plain words, e.g. "capacity of supplier gr_au"; "" for a Policy limit, named by the three below
    cell: str  # "'Policy'!C5"
    value: object  # the number in that cell (None: blank)
    unit: str
    years: tuple[int, ...] = ()  # the years in which it takes part (empty: all, or not year-bound)
    # A Policy limit: its family (FAMILY_LIMIT), the mineral and, for a single-country cap, the country; the
    # cli words it, as a Relaxation, through the reports' label catalogue (labels.family_name).
    family: str = ""
    mineral_id: str = ""
    country: str = ""
    column: str = ""  # the column of ``cell``, by its name in the workbook (max_stock_t)


@dataclass
class ConflictReport:
    lp_feasible: bool  # True: only whole contracts or modules make it infeasible
    conflicts: list[Conflict] = field(default_factory=list)
    iis_rows: int = 0  # size of HiGHS's IIS, before merging members that share a cell
    iis_bounds: int = 0
    found: bool = True  # False: HiGHS returned no IIS (time limit or error); conflicts is empty


def explain(d: PlanningData, opts: SolveOptions, minerals=None) -> ConflictReport:
    """The smallest conflicting set of limits of an infeasible case, or, when its LP
    relaxation is feasible, the integer-related cells of ``minerals`` (default all).

    Each block (a mineral, or the group a recycling plant links) is relaxed and run on its own;
    the IIS of every block whose LP relaxation is infeasible is reported together."""
    session = Session(d)
    found: list[_Source] = []
    n_rows = n_bounds = 0
    infeasible = False
    for block in session.blocks:
        h = session.relaxed_highs(block, opts)
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            continue
        if status not in _LP_INFEASIBLE:  # the time limit: nothing is known
            return ConflictReport(lp_feasible=False, found=False)
        infeasible = True
        h.setOptionValue("iis_strategy", IIS_STRATEGY)
        h.setOptionValue("time_limit", float(opts.time_limit_s))
        status, iis = h.getIis()
        if status == highspy.HighsStatus.kError or not iis.valid_:
            return ConflictReport(lp_feasible=False, found=False)
        for i, bound in zip(iis.row_index_, iis.row_bound_):
            if int(bound) in _BOUND_IN_IIS:
                n_rows += 1
                con = session.form.rows[block.rows[i]]
                src = _row_source(d, con.parent_component().name, _key(con.index()))
                if src is not None:  # None: accounting that holds no workbook number
                    found.append(src)
        for j, bound in zip(iis.col_index_, iis.col_bound_):
            side = _BOUND_IN_IIS.get(int(bound))
            if side is None:
                continue  # the column takes part through its rows, not through a bound
            n_bounds += 1
            var = session.form.columns[block.cols[j]]
            src = _bound_source(d, var.parent_component().name, _key(var.index()), side)
            if src is not None:  # None: non-negativity or a 0/1 bound, not a workbook number
                found.append(src)
    if not infeasible:
        return ConflictReport(lp_feasible=True, conflicts=integer_suspects(d, minerals or list(d.minerals)))
    return ConflictReport(lp_feasible=False, conflicts=_merge(d, found), iis_rows=n_rows, iis_bounds=n_bounds)


def integer_suspects(d: PlanningData, minerals) -> list[Conflict]:
    """Cells that can make a case infeasible only through whole numbers: minimum volumes
    (the most telling first: above the mineral's smallest demand), forced contracts, module
    capacities where a recycling minimum applies, and the minimum contract length."""
    out: list[tuple[float, Conflict]] = []
    for m in minerals:
        smallest = min((d.demand_t.get((m, y), 0.0) for y in d.years), default=0.0)
        for s in d.usable_suppliers.get(m, ()):
            if s.min_volume_t_per_yr > 0:
                beyond = s.min_volume_t_per_yr > smallest
                what = f"minimum volume of supplier {s.supplier_id}" + (
                    f" (above the smallest yearly demand of {m}, {smallest:,.0f} t)" if beyond else "")
                out.append((0 if beyond else 1, Conflict(what, d.cell("Suppliers", s.supplier_id,
                                                                     "min_volume_t_per_yr"),
                                                        s.min_volume_t_per_yr, "t/yr")))
            if s.contract == "on":
                out.append((1, Conflict(f"contract of supplier {s.supplier_id} forced on",
                                        d.cell("Suppliers", s.supplier_id, "contract"), "on", "")))
        if any((d.limit("recycling_min_share", m, y) or 0) > 0 for y in d.years):
            for k in dict.fromkeys(d.owner_of(r) for r in d.recycling_by_mineral.get(m, ())):
                owner = d.module_owners[k]
                out.append((2, Conflict(f"module capacity of recycling option {k}",
                                        d.cell("Recycling", k, "module_capacity_t_per_yr"),
                                        owner.module_capacity_t_per_yr, "t/yr")))
    if d.settings.min_contract_years > 1:
        out.append((3, Conflict("minimum contract length", d.cell("Settings", None, "min_contract_years"),
                                d.settings.min_contract_years, "yr")))
    return [c for _, c in sorted(out, key=lambda pc: pc[0])]


@dataclass(frozen=True)
class _Source:
    what: str
    sheet: str
    key: object
    column: str
    value: object
    unit: str
    year: int | None
    family: str = ""  # a Policy limit's (Conflict)
    mineral_id: str = ""
    country: str = ""


def _key(index) -> tuple:
    return index if isinstance(index, tuple) else (index,)


def _row_source(d: PlanningData, name: str, k: tuple) -> _Source | None:
    """The workbook number behind one constraint row of the model (see FORMULATION.md); None for
    rows that only keep accounts (a stock pool is fed by its own purchases)."""
    if name in FAMILY_LIMIT:
        column, _direction, unit = FAMILY_LIMIT[name]
        m, y = k[0], k[-1]
        return _Source("", "Policy", (m, y), column, d.limit(column, m, y), unit, y, name, m,
                       k[1] if name == "single_country_cap" else "")
    if name == "demand_balance":
        return _Source(f"demand, {k[0]}", "Demand", k, "demand_t", d.demand_t.get(k), "t", k[1])
    if name in ("supply_capacity", "supply_min_volume"):
        s = d.suppliers[k[0]]
        if name == "supply_capacity":
            return _Source(f"capacity of supplier {k[0]}", "Suppliers", k[0], "capacity_t_per_yr",
                           s.capacity_t_per_yr, "t/yr", k[1])
        return _Source(f"minimum volume of supplier {k[0]}", "Suppliers", k[0], "min_volume_t_per_yr",
                       s.min_volume_t_per_yr, "t/yr", k[1])
    if name in ("contract_start", "contract_min_years"):
        return _Source(f"minimum contract length (supplier {k[0]})", "Settings", None, "min_contract_years",
                       d.settings.min_contract_years, "yr", k[1])
    if name == "recycling_max_modules":
        sheet, what = ("Refining", "refinery") if k[0] in d.refineries else ("Recycling", "recycling option")
        return _Source(f"most modules of {what} {k[0]}", sheet, k[0], "max_modules",
                       d.module_owners[k[0]].max_modules, "modules", None)
    if name == "plant_capacity":
        return _Source(f"module capacity of recycling plant {k[0]} (times modules online)", "Recycling", k[0],
                       "module_capacity_t_per_yr", d.recycling_plants[k[0]].module_capacity_t_per_yr, "units/yr",
                       k[1])
    if name == "stream_feedstock":
        stream = d.streams[k[0]]
        return _Source(f"units of stream {k[0]} put on the market (and retiring)", "Put on market", (k[0], max(
            stream.put_on_market)), "units", stream.put_on_market[max(stream.put_on_market)], stream.unit, k[1])
    if name == "stream_output":
        r = d.recycling[k[0]]
        return _Source(f"{r.mineral_id} content of stream {d.recycling_plants[r.plant_id].stream_id}", "Streams",
                       (d.recycling_plants[r.plant_id].stream_id, r.mineral_id), "content_t_per_unit",
                       d.streams[d.recycling_plants[r.plant_id].stream_id].content_t_per_unit[r.mineral_id],
                       "t/unit", k[1])
    if name == "refinery_capacity":
        return _Source(f"module capacity of refinery {k[0]} (times modules online)", "Refining", k[0],
                       "module_capacity_t_per_yr", d.refineries[k[0]].module_capacity_t_per_yr, "t/yr", k[1])
    if name == "unmet_steps":
        return None
    if name == "recycling_capacity":
        return _Source(f"module capacity of recycling option {k[0]} (times modules online)", "Recycling", k[0],
                       "module_capacity_t_per_yr", d.recycling[k[0]].module_capacity_t_per_yr, "t/yr", k[1])
    if name == "recycling_feedstock":
        return _Source(f"recycling feedstock, {k[0]}", "Feedstock", k, "feedstock_t", d.feedstock_t.get(k, 0.0),
                       "t", k[1])
    if name == "stock_balance":
        rule = d.stockpile.get(k[0])
        # The years are the stock balance's in the conflict, not the initial stock's (the start of the horizon).
        return _Source(f"initial stock, {k[0]} (carried by the stock balance into the years shown)", "Stockpile",
                       k[0], "initial_stock_t", rule.initial_stock_t if rule else 0.0, "t", k[-1])
    if name == "stock_max":
        return _largest_stock(d, k[0], k[1])
    if name == "stock_pool_source":
        return None
    if name == "agreement_kept":
        return _Source(f"membership of agreement {k[0]} (kept once joined)", "Agreements", k[0], "first_year",
                       d.agreements[k[0]].first_year, "", k[1])
    if name == "agreement_line":
        return _Source(f"emergency volume of agreement {k[0]} (the largest line)", "Agreements", k[0],
                       "emergency_volume_t", d.agreements[k[0]].emergency_volume_t, "t", k[1])
    if name == "line_kept":
        return None
    raise KeyError(f"no workbook source known for constraint family {name}")


def _bound_source(d: PlanningData, name: str, k: tuple, side: str) -> _Source | None:
    """The workbook number behind a variable bound in the IIS; None for bounds that are
    not data (tonnes at least 0, a binary at most 1)."""
    upper = side in ("upper", "both")
    if name == "buy_t" and upper:
        return _Source(f"capacity of supplier {k[0]}", "Suppliers", k[0], "capacity_t_per_yr",
                       d.suppliers[k[0]].capacity_t_per_yr, "t/yr", k[1])
    if name == "contracted" and side in ("lower", "both"):
        s = d.suppliers[k[0]]
        if s.contract == "on":
            return _Source(f"contract of supplier {k[0]} forced on", "Suppliers", k[0], "contract", "on", "", k[1])
        if s.contract_years_left:
            return _Source(f"contract of supplier {k[0]} in force at the start", "Suppliers", k[0],
                           "contract_years_left", s.contract_years_left, "yr", k[1])
    if name == "join" and side in ("lower", "both") and d.agreements[k[0]].member_at_start:
        return _Source(f"membership of agreement {k[0]} at the start", "Agreements", k[0], "member_at_start", "yes",
                       "", k[1])
    if name == "line_t" and upper:
        return _Source(f"emergency volume of agreement {k[0]} (the largest line)", "Agreements", k[0],
                       "emergency_volume_t", d.agreements[k[0]].emergency_volume_t, "t", k[1])
    if name == "stock_t" and upper:
        return _largest_stock(d, k[0], k[-1])
    if name == "build_modules" and upper:
        sheet, what = ("Refining", "refinery") if k[0] in d.refineries else ("Recycling", "recycling option")
        return _Source(f"most modules of {what} {k[0]}", sheet, k[0], "max_modules",
                       d.module_owners[k[0]].max_modules, "modules", None)
    if name == "unmet_t" and upper:
        return _Source(f"demand, {k[0]}", "Demand", k, "demand_t", d.demand_t.get(k), "t", k[1])
    return None


def _largest_stock(d: PlanningData, m: str, year: int) -> _Source:
    rule = d.stockpile.get(m)
    if rule is None:
        return _Source(f"no Stockpile row for {m}, so no stock can be held", "Stockpile", m, "max_stock_t", 0.0, "t",
                       year)
    return _Source(f"largest stock, {m}", "Stockpile", m, "max_stock_t", rule.max_stock_t, "t", year)


def _merge(d: PlanningData, found: list[_Source]) -> list[Conflict]:
    """One Conflict per cell and meaning, with the years it takes part in; policy limits first."""
    years: dict[tuple, set[int]] = {}
    first: dict[tuple, _Source] = {}
    for s in found:
        k = (s.what, s.sheet, s.key, s.column, s.country)
        first.setdefault(k, s)
        years.setdefault(k, set())
        if s.year is not None:
            years[k].add(s.year)
    return [Conflict(s.what, d.cell(s.sheet, s.key, s.column), s.value, s.unit, tuple(sorted(years[k])), s.family,
                     s.mineral_id, s.country, s.column)
            for k, s in sorted(first.items(), key=lambda kv: (_SHEET_ORDER.index(kv[1].sheet), str(kv[1].key),
                                                              kv[1].column))]
