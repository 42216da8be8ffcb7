"""Independent check of a solved plan against the input data.

This module never looks at the Pyomo model: it recomputes every quantity the
model constrains from the typed dataset and the plan's numbers alone, so a bug
in a constraint (a wrong index, a lost term) shows up here as a violation
instead of as a wrong plan in a report.  It also computes the indicators and
the cost breakdown that the reports print, so reports show checked figures.

A hedged or stress-tested plan (``plan.recourse``) is checked scenario by scenario: the crisis
years are found again from the disruptions, every recourse row is rechecked, each scenario's cost
C_ω is recomputed, and so are the expected recourse cost and the CVaR the objective weighs.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from models.dataset import (
    BASIS_IMPORTS, CHINA, CHINA_POOL, DAYS_PER_YEAR, JOINT_STOCKPILE, MINING, OTHER_POOL, POOLS, PRO_RATA, REFINING,
    RESERVE, SWAP, DisruptionScenario, PlanningData,
)
from models.plan import CoalitionPlan, Plan

REL_TOL = 1e-5  # relative to a mineral-year's demand; HiGHS works to 1e-7 on scaled rows
OBJ_TOL = 1e-6  # relative to the objective
# and at least a cent: an objective of cents (every scenario of probability 1e-12) differed by micro-dollars
OBJ_FLOOR_USD = 0.01
# The parts of the objective, in report order.
COST_PARTS = ("purchases", "contracts", "recycling_capital", "recycling_operating", "refining", "stockpile",
              "agreements", "terminal_stock", "shortage")


class VerificationError(Exception):
    """A plan broke a rule of the input data: a bug in the model, never a user error."""

    def __init__(self, violations: list[str]):
        super().__init__(f"{len(violations)} violation(s): " + "; ".join(violations[:5]))
        self.violations = violations

    def __reduce__(self):  # raised in a worker process, it must cross back whole
        return VerificationError, (self.violations,)


@dataclass
class MineralYear:
    """Indicators of one mineral in one year, computed from the plan.

    Every exposure share is taken on Settings reliance_basis (``base_t``): on **imports**, a share of
    the purchases from abroad, each tonne counted when it arrives, Korea itself no supplier country;
    on **consumption**, China-linked tonnes consumed (the stock's China pool included) over
    consumption and the other shares over supply (imports and recycling).  Shares by stage count a
    tonne for its mining (origin) or its refining (processing) country alone; shares by value weigh
    each tonne by its price."""

    demand_t: float
    basis: str = BASIS_IMPORTS
    home: str = ""  # the home country: no supplier country of its own imports
    imports_t: float = 0.0
    imports_usd: float = 0.0  # purchase value, undiscounted
    recycled_t: float = 0.0
    unmet_t: float = 0.0
    china_bought_t: float = 0.0  # bought from options mined or refined in China
    china_bought_usd: float = 0.0
    ira_t: float = 0.0
    risk_weighted_t: float = 0.0  # Σ risk x t over purchases
    recycled_risk_t: float = 0.0  # recycled tonnes x the home country's score (the consumption basis weighs them)
    by_country_t: dict[str, float] = field(default_factory=dict)  # by origin or processing country
    by_origin_t: dict[str, float] = field(default_factory=dict)  # by mining country
    by_processing_t: dict[str, float] = field(default_factory=dict)  # by refining country
    stock_t: dict[str, float] = field(default_factory=dict)  # pool -> t at the end of the year
    added_t: dict[str, float] = field(default_factory=dict)  # pool -> t put into the stock
    released_t: dict[str, float] = field(default_factory=dict)  # pool -> t released
    agreement_volume_t: float = 0.0  # Σ_a line_{a,y}: the agreement lines held
    # The year before's imports (net: no exports are modelled), the IEA's base for days of stock; in the
    # first year, that year's own.
    previous_imports_t: float = 0.0

    @property
    def on_imports(self) -> bool:
        return self.basis == BASIS_IMPORTS

    @property
    def supply_t(self) -> float:
        return self.imports_t + self.recycled_t

    @property
    def base_t(self) -> float:
        """What the exposure shares are shares of: imports, or supply (imports and recycling)."""
        return self.imports_t if self.on_imports else self.supply_t

    @property
    def consumed_t(self) -> float:
        return self.demand_t - self.unmet_t

    @property
    def stock_total_t(self) -> float:
        return sum(self.stock_t.values())

    @property
    def cover_t(self) -> float:
        """Stock plus the agreement lines held."""
        return self.stock_total_t + self.agreement_volume_t

    @property
    def china_consumed_t(self) -> float:
        """China-linked tonnes consumed: bought, less those put into the China pool, plus its releases."""
        return self.china_bought_t - self.added_t.get(CHINA_POOL, 0.0) + self.released_t.get(CHINA_POOL, 0.0)

    @property
    def china_t(self) -> float:
        """The China cap's numerator: China-linked imports, or China-linked tonnes consumed."""
        return self.china_bought_t if self.on_imports else self.china_consumed_t

    @property
    def china_base_t(self) -> float:
        """The China cap's base: imports, or consumption."""
        return self.imports_t if self.on_imports else self.consumed_t

    def share(self, tonnes: float) -> float:
        return tonnes / self.base_t if self.base_t > 0 else 0.0

    @property
    def china_share(self) -> float:
        """China-linked share (mined or refined in China), on the basis: what the China cap limits."""
        return self.china_t / self.china_base_t if self.china_base_t > 0 else 0.0

    @property
    def china_share_mining(self) -> float:
        """Share mined in China (the mining stage alone)."""
        return self.share(self.by_origin_t.get(CHINA, 0.0))

    @property
    def china_share_refining(self) -> float:
        """Share refined in China (the refining stage alone)."""
        return self.share(self.by_processing_t.get(CHINA, 0.0))

    @property
    def china_share_value(self) -> float:
        """China-linked share of the value of imports."""
        return self.china_bought_usd / self.imports_usd if self.imports_usd > 0 else 0.0

    def countries(self, stage: str | None = None) -> dict[str, float]:
        """Tonnes by supplier country (by origin or processing; or at one stage), as the caps count them:
        on the imports basis Korea is left out."""
        table = {None: self.by_country_t, MINING: self.by_origin_t, REFINING: self.by_processing_t}[stage]
        return {c: t for c, t in table.items() if not (self.on_imports and c == self.home)}

    def top(self, stage: str | None = None) -> tuple[str | None, float]:
        """The supplier country with the largest share (by origin or processing, or at one stage).  Countries
        level to round-off (a cap both meet) are a tie, which China wins, then the first by code: HiGHS's last
        digits do not pick the country a report names."""
        table = self.countries(stage)
        if not table:
            return None, 0.0
        most = max(table.values())
        tied = [k for k in sorted(table) if table[k] >= most - REL_TOL * max(self.demand_t, 1.0)]
        c = CHINA if CHINA in tied else tied[0]
        return c, self.share(table[c])

    @property
    def top_country(self) -> tuple[str | None, float]:
        return self.top()

    @property
    def avg_risk(self) -> float:
        return self.share(self.risk_weighted_t + (0.0 if self.on_imports else self.recycled_risk_t))

    @property
    def ira_share(self) -> float:
        return self.share(self.ira_t)

    @property
    def recycling_share(self) -> float:
        return self.recycled_t / self.demand_t if self.demand_t > 0 else 0.0

    @property
    def stockpile_days(self) -> float | None:
        """Cover in days of the year's demand: stock and agreement lines (the mandate's basis)."""
        return self.cover_t / self.demand_t * DAYS_PER_YEAR if self.demand_t > 0 else None

    @property
    def stock_days(self) -> float | None:
        """The stock alone in days of the year's demand (lines left out)."""
        return self.stock_total_t / self.demand_t * DAYS_PER_YEAR if self.demand_t > 0 else None

    @property
    def stock_days_iea(self) -> float | None:
        """Days of stock on the IEA's basis: the stock alone over the year before's net imports."""
        return self.stock_total_t / self.previous_imports_t * DAYS_PER_YEAR if self.previous_imports_t > 0 else None


@dataclass
class Evaluation:
    costs_usd: dict[str, float]  # present value per cost part
    indicators: dict[tuple[str, int], MineralYear]
    violations: list[str]
    modules_online: dict[tuple[str, int], int]  # (recycling option, year)
    costs_by_mineral_usd: dict[str, float] = field(default_factory=dict)  # present value per mineral
    cost_parts_by_mineral_usd: dict[tuple[str, str], float] = field(default_factory=dict)  # (part, mineral)
    # A plan with a recourse: C_ω per disruption scenario (present value), E = Σ_ω p_ω C_ω, and the
    # CVaR of the recourse cost at Settings cvar_level, the calm outcome included (``cvar_usd``;
    # computed whatever cvar_weight, so a risk-neutral plan's tail shows too).
    scenario_cost_usd: dict[str, float] = field(default_factory=dict)
    expected_recourse_usd: float | None = None
    expected_recourse_by_mineral_usd: dict[str, float] = field(default_factory=dict)  # Σ_ω p_ω C_ω,m
    cvar_usd: float | None = None
    # Per scenario and mineral hit: the tonnes left unmet, and what they cost on the shortage cost
    # curve (present value): the output Korea's industries lose.
    scenario_unmet_t: dict[tuple[str, str], float] = field(default_factory=dict)
    scenario_lost_output_usd: dict[tuple[str, str], float] = field(default_factory=dict)

    @property
    def total_usd(self) -> float:
        """F: the deterministic cost, the plan as decided with no disruption."""
        return sum(self.costs_usd.values())


def _demand_tol(d: PlanningData, m: str, y: int) -> float:
    """How far a tonnage of Korea's ``m`` in ``y`` may be off: REL_TOL of the year's demand, at least of a tonne."""
    return REL_TOL * max(d.demand_t.get((m, y), 0.0), 1.0)


def _objective_tol(total: float) -> float:
    """How far a recomputed objective may be from the solver's: OBJ_TOL of it, at least OBJ_FLOOR_USD."""
    return max(OBJ_TOL * abs(total), OBJ_FLOOR_USD)


def evaluate(d: PlanningData, plan: Plan) -> Evaluation:
    """Indicators, costs and every rule the plan breaks (an empty list if none)."""
    v: list[str] = []
    ind = {(m, y): MineralYear(demand_t=d.demand_t.get((m, y), 0.0), basis=d.settings.reliance_basis,
                               home=d.settings.home_country) for m in d.minerals for y in d.years}

    tol = functools.partial(_demand_tol, d)
    plan = _known(d, plan, v)
    _check_domains(plan, v)
    _check_supply(d, plan, ind, v, tol)
    online = _check_recycling(d, plan, ind, v, tol)
    _check_stockpile(d, plan, ind, v, tol)
    for m in d.minerals:
        for y in d.years:
            ind[m, y].previous_imports_t = ind[m, y - 1].imports_t if (m, y - 1) in ind else ind[m, y].imports_t
    _check_policies(d, ind, v, tol)
    by_part_mineral = _costs(d, plan)
    costs = dict.fromkeys(COST_PARTS, 0.0)
    by_mineral = dict.fromkeys(d.minerals, 0.0)
    for (part, m), usd in by_part_mineral.items():
        costs[part] += usd
        by_mineral[m] += usd
    ev = Evaluation(costs_usd=costs, indicators=ind, violations=v, modules_online=online,
                    costs_by_mineral_usd=by_mineral, cost_parts_by_mineral_usd=dict(by_part_mineral))
    total, what = ev.total_usd, "F"
    if plan.recourse is not None:
        total, what = _check_recourse(d, plan, ev, tol), "F + (1-λ)E + λ CVaR"
    if plan.stats.objective_usd is not None and total is not None:
        reported = plan.stats.objective_usd
        if not abs(total - reported) <= _objective_tol(total):  # a NaN reported fails too
            v.append(f"objective: recomputed {what} = {total:,.2f} USD but the solver reported {reported:,.2f}")
    _check_proof(plan.stats, v)
    return ev


def _check_proof(stats, v: list[str]) -> None:
    """What the solve proved, as the reports quote it (a difference below the gap is not significant):
    a lower bound no higher than the plan's cost, and a gap that is their distance over the one or
    the other (HiGHS's blocks over the bound, mpi-sppy over the plan's cost)."""
    cost, bound, gap = stats.objective_usd, stats.bound_usd, stats.gap
    for name, x in (("bound", bound), ("gap", gap)):
        if x is not None and not math.isfinite(x):
            v.append(f"{name}: {x!r} is not a finite number")
            return
    if cost is None or not math.isfinite(cost):
        return
    if bound is not None and bound > cost + _objective_tol(cost):
        v.append(f"bound: the solver's lower bound {bound:,.2f} USD is above the plan's cost {cost:,.2f} USD")
    if gap is None or bound is None:
        if gap is not None and gap < -OBJ_TOL:
            v.append(f"gap: reported {gap:.6%}, below 0")
        return
    apart = max(cost - bound, 0.0)
    low, high = apart / max(abs(cost), abs(bound), 1e-9), apart / max(min(abs(cost), abs(bound)), 1e-9)
    if not low - OBJ_TOL <= gap <= high + OBJ_TOL:
        v.append(f"gap: reported {gap:.6%}, but the cost {cost:,.2f} USD and the bound {bound:,.2f} USD are "
                 f"{apart:,.2f} USD apart, {low:.6%} of the larger")


def verify(d: PlanningData, plan: Plan) -> Evaluation:
    """Evaluate the plan and raise VerificationError if it breaks any rule."""
    ev = evaluate(d, plan)
    if ev.violations:
        raise VerificationError(ev.violations)
    return ev


# Each first-stage decision of a plan: what the first part of its key names, and where the data keeps it.
_NAMED = {"buy_t": ("supply option", "suppliers"), "contracted": ("supply option", "suppliers"),
          "start": ("supply option", "suppliers"), "build_modules": ("module owner", "module_owners"),
          "recycled_t": ("recycling option", "recycling"), "processed_units": ("recycling plant", "recycling_plants"),
          "stock_t": ("mineral", "minerals"), "stock_add_t": ("mineral", "minerals"),
          "stock_release_t": ("mineral", "minerals"), "join": ("agreement", "agreements"),
          "line_t": ("agreement", "agreements"), "unmet_t": ("mineral", "minerals")}


def _finite(name: str, values: dict, v: list[str]) -> dict:
    """``values`` without those that are not finite numbers, each named in ``v``: a NaN passes every
    comparison the checks make, and would pass them all."""
    out = {}
    for k, x in values.items():
        if math.isfinite(x):
            out[k] = x
        else:
            v.append(f"{name} {' '.join(map(str, k))}: {x!r} is not a finite number")
    return out


def _known(d: PlanningData, plan: Plan, v: list[str]) -> Plan:
    """The plan without the decisions the data has no place for (an option, owner, agreement or
    mineral it does not have, a stock pool that is not one, a year outside the horizon) and without
    values that are not finite numbers, each named in ``v``: the checks below look every key up in the
    data and compare every value."""
    years, kept = set(d.years), {}
    for name, (what, table) in _NAMED.items():
        known = getattr(d, table)
        kept[name] = {}
        for k, x in _finite(name, getattr(plan, name), v).items():
            where = f"{name} {' '.join(map(str, k))}"
            if k[0] not in known:
                v.append(f"{where}: the data has no {what} {k[0]}")
            elif k[-1] not in years:
                v.append(f"{where}: {k[-1]} is outside the horizon {d.settings.first_year}-{d.settings.last_year}")
            elif name.startswith("stock") and k[1] not in POOLS:
                v.append(f"{where}: {k[1]} is not a stock pool ({', '.join(POOLS)})")
            else:
                kept[name][k] = x
    rc = plan.recourse
    if rc is not None:
        var_usd = rc.var_usd
        if var_usd is not None and not math.isfinite(var_usd):
            v.append(f"recourse var_usd: {var_usd!r} is not a finite number")
            var_usd = None
        rc = dataclasses.replace(rc, var_usd=var_usd, **{name: _finite(name, getattr(rc, name), v)
                                                         for name in _RECOURSE_KEYS})
    return dataclasses.replace(plan, recourse=rc, **kept)


def _check_domains(plan, v):
    """Quantities are not negative; contracts and memberships are 0 or 1; modules are whole and not negative."""
    for name in ("recycled_t", "processed_units", "stock_t", "stock_add_t", "stock_release_t", "line_t", "unmet_t"):
        for k, t in getattr(plan, name).items():
            if t < 0:
                v.append(f"{name} {' '.join(map(str, k))}: negative ({t:,.6f})")
    for name in ("contracted", "start", "join"):
        for k, x in getattr(plan, name).items():
            if x not in (0, 1):
                v.append(f"{name} {' '.join(map(str, k))}: {x!r} is neither 0 nor 1")
    for k, n in plan.build_modules.items():
        if n < 0:
            v.append(f"build_modules {' '.join(map(str, k))}: negative ({n!r} modules)")
        elif n != int(n):
            v.append(f"build_modules {' '.join(map(str, k))}: {n!r} is not a whole number of modules")


def _check_supply(d, plan, ind, v, tol):
    st = d.settings
    L = st.min_contract_years
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        m = s.mineral_id
        on = plan.contracted.get((s_id, y), 0)
        if t > tol(m, y) and (d.excluded(s) or not s.available(y)):
            v.append(f"buy {s_id} {y}: {t:,.3f} t from an option that is excluded or not available")
        cap = d.capacity_t(s, y)
        if t < -tol(m, y) or t > cap * on + tol(m, y):
            v.append(f"capacity {s_id} {y}: {t:,.3f} t bought, capacity {cap:,.3f} t, contracted={on}")
        mi = ind[m, y]
        mi.imports_t += t
        mi.imports_usd += t * d.price_usd_per_t(s, y)
        for c in s.countries:
            mi.by_country_t[c] = mi.by_country_t.get(c, 0.0) + t
        mi.by_origin_t[s.origin_country] = mi.by_origin_t.get(s.origin_country, 0.0) + t
        mi.by_processing_t[s.processing_country] = mi.by_processing_t.get(s.processing_country, 0.0) + t
        if s.pool == CHINA_POOL:
            mi.china_bought_t += t
            mi.china_bought_usd += t * d.price_usd_per_t(s, y)
        if d.ira_compliant(s):
            mi.ira_t += t
        mi.risk_weighted_t += d.supplier_risk(s) * t
    for (s_id, y), on in plan.contracted.items():
        s = d.suppliers[s_id]
        if on and (d.excluded(s) or not s.available(y)):  # its fixed cost paid to an option that cannot be used
            v.append(f"contract {s_id} {y}: contracted, but the option is excluded (forced off or sanctioned) or "
                     f"not available in {y}")
        # A contract takes its minimum volume, whether or not the plan has a purchase of it that year.
        t, floor = plan.buy_t.get((s_id, y), 0.0), d.min_volume_t(s, y)
        if on and t < floor - tol(s.mineral_id, y):
            v.append(f"minimum volume {s_id} {y}: {t:,.3f} t < {floor:,.3f} t")
    # The contracts the Suppliers sheet holds run in every year their option is there, whatever the plan
    # lists: forced on, or in force at the start for the years it has left.
    for s in (s for options in d.usable_suppliers.values() for s in options):
        for y in d.years:
            if not s.available(y) or plan.contracted.get((s.supplier_id, y), 0):
                continue
            if s.contract == "on":
                v.append(f"contract {s.supplier_id} {y}: forced on in the Suppliers sheet but not contracted")
            if y < st.first_year + s.contract_years_left:
                v.append(f"contract {s.supplier_id} {y}: in force for {s.contract_years_left} more year(s) at the "
                         "start, but not contracted")
    # Minimum contract length: a run of contracted years ends early only at the option's last year or the
    # horizon's end; a run at the start of a contract already in force began before the horizon.
    runs: dict[str, list[int]] = defaultdict(list)
    for (s_id, y), on in plan.contracted.items():
        if on:
            runs[s_id].append(y)
    for s_id, ys in runs.items():
        s = d.suppliers[s_id]
        last = min(s.last_year, st.last_year)
        ys.sort()
        start = ys[0]
        for a, b in zip(ys, ys[1:] + [None]):
            if b != a + 1:  # a run ends at a
                in_force = start == st.first_year and s.contract_years_left > 0
                if a - start + 1 < L and a != last and not in_force:
                    v.append(f"contract length {s_id}: contracted {start}-{a}, shorter than {L} years")
                start = b
    # A contract started within L - 1 years of the horizon's end pays the rest of its minimum length.
    for (s_id, y), on in plan.contracted.items():
        s = d.suppliers[s_id]
        before = plan.contracted.get((s_id, y - 1), 1 if y == st.first_year and s.contract_years_left else 0)
        new = on and not before
        if min(y + L - 1, s.last_year) > st.last_year and new and not plan.start.get((s_id, y), 0):
            v.append(f"contract start {s_id} {y}: a new contract, but its minimum length past {st.last_year} "
                     "is not paid")
    # The years past the horizon are paid for a contract the plan holds (a start at no cost is none).
    for (s_id, y), started in plan.start.items():
        if started and not plan.contracted.get((s_id, y), 0) and d.suppliers[s_id].fixed_cost_usd_per_yr > 0:
            v.append(f"contract start {s_id} {y}: its years past {st.last_year} are paid, but it is not contracted "
                     f"in {y}")


def _online(owner, builds: dict[int, int], y: int) -> int:
    """Modules of ``owner`` running in ``y``: those there at the start, and each built in t from t + lead
    time for its life."""
    return owner.existing_modules + sum(n for t, n in builds.items()
                                        if t + owner.lead_time_yr <= y < t + owner.lead_time_yr + owner.life_yr)


def _check_recycling(d, plan, ind, v, tol) -> dict[tuple[str, int], int]:
    """Check module builds, the capacity of recycling options, stream plants and refineries, and
    feedstock; return the modules online per owner-year."""
    modules_online = {}
    for k, owner in d.module_owners.items():
        builds = {y: plan.build_modules.get((k, y), 0) for y in d.years}
        if sum(builds.values()) > owner.max_modules - owner.existing_modules:
            v.append(f"modules {k}: builds {builds} exceed max_modules {owner.max_modules}")
        for y in d.years:
            modules_online[k, y] = _online(owner, builds, y)
    for r in d.recycling.values():
        for y in d.years:
            out = plan.recycled_t.get((r.option_id, y), 0.0)
            t = tol(r.mineral_id, y)
            if r.plant_id is None and out > r.module_capacity_t_per_yr * modules_online[r.option_id, y] + t:
                v.append(f"recycling capacity {r.option_id} {y}: {out:,.3f} t from {modules_online[r.option_id, y]} "
                         f"modules of {r.module_capacity_t_per_yr:,.3f} t")
            if r.plant_id is not None:
                plant, processed = d.recycling_plants[r.plant_id], plan.processed_units.get((r.plant_id, y), 0.0)
                stream = d.streams[plant.stream_id]
                most = processed * stream.content_t_per_unit.get(r.mineral_id, 0.0) * r.recovery_yield
                if out > most + t:
                    v.append(f"stream output {r.option_id} {y}: {out:,.3f} t recovered from {processed:,.3f} "
                             f"{stream.unit} of {stream.stream_id}, which hold at most {most:,.3f} t recoverable")
            ind[r.mineral_id, y].recycled_t += out
            ind[r.mineral_id, y].recycled_risk_t += d.home_risk() * out
    for m in d.minerals:
        for y in d.years:
            used = sum(plan.recycled_t.get((r.option_id, y), 0.0) / r.recovery_yield
                       for r in d.recycling_by_mineral[m] if r.plant_id is None)
            if used > d.feedstock_t.get((m, y), 0.0) + tol(m, y):
                v.append(f"feedstock {m} {y}: {used:,.3f} t used, {d.feedstock_t.get((m, y), 0.0):,.3f} t available")
    for f, stream in d.streams.items():
        for y in d.years:
            plants = [p for p in d.recycling_plants.values() if p.stream_id == f]
            processed = sum(plan.processed_units.get((p.plant_id, y), 0.0) for p in plants)
            for p in plants:
                x = plan.processed_units.get((p.plant_id, y), 0.0)
                if x > p.module_capacity_t_per_yr * modules_online[p.plant_id, y] + REL_TOL * max(x, 1.0):
                    v.append(f"plant capacity {p.plant_id} {y}: {x:,.3f} {stream.unit} processed by "
                             f"{modules_online[p.plant_id, y]} modules of {p.module_capacity_t_per_yr:,.3f}")
            # Collected retirements: collection x Σ_a put on market (y - a) x share retiring at age a.
            available = stream.collection_rate * sum(stream.put_on_market.get(y - a, 0.0) * share
                                                     for a, share in stream.lifetime.items())
            if processed > available + REL_TOL * max(available, 1.0):
                v.append(f"stream feedstock {f} {y}: {processed:,.3f} {stream.unit} processed, {available:,.3f} "
                         "collected")
    for (k, y), n in modules_online.items():
        if k in d.refineries:
            ref = d.refineries[k]
            fed = sum(t for (s, yy), t in plan.buy_t.items() if yy == y and d.suppliers[s].refinery_id == k)
            if fed > ref.module_capacity_t_per_yr * n + tol(ref.mineral_id, y):
                v.append(f"refinery capacity {k} {y}: {fed:,.3f} t fed to {n} modules of "
                         f"{ref.module_capacity_t_per_yr:,.3f} t")
    return modules_online


def _check_stockpile(d, plan, ind, v, tol):
    """Each exposure pool balances and is fed only by its own tonnes; the total stays under the
    maximum; demand balances; agreements are kept once joined, and so are their lines:

    0 ≤ line_{a,y} ≤ emergency_volume_a · join_{a,y},  line_{a,y} ≥ line_{a,y-1}  (y ≥ first_year_a)."""
    for m in d.minerals:
        rule = d.stockpile.get(m)
        before = {p: rule.initial_t(p) if rule else 0.0 for p in POOLS}
        for y in d.years:
            mi = ind[m, y]
            for p in POOLS:
                k = (m, p, y)
                stock, add, rel = plan.stock_t.get(k, 0.0), plan.stock_add_t.get(k, 0.0), plan.stock_release_t.get(k, 0.0)
                if abs(stock - (before[p] + add - rel)) > tol(m, y):
                    v.append(f"stock balance {m} {p} {y}: {before[p]:,.3f} + {add:,.3f} - {rel:,.3f} != {stock:,.3f}")
                mi.stock_t[p], mi.added_t[p], mi.released_t[p] = stock, add, rel
                before[p] = stock
            china_in, other_in = mi.china_bought_t, mi.imports_t - mi.china_bought_t + mi.recycled_t
            for p, available in ((CHINA_POOL, china_in), (OTHER_POOL, other_in)):
                if mi.added_t[p] > available + tol(m, y):
                    v.append(f"stock pool {m} {p} {y}: {mi.added_t[p]:,.3f} t added, but only {available:,.3f} t "
                             f"of {p} tonnes came in")
            if mi.stock_total_t > (rule.max_stock_t if rule else 0.0) + tol(m, y):
                v.append(f"stock {m} {y}: {mi.stock_total_t:,.3f} t above the maximum")
            mi.unmet_t = plan.unmet_t.get((m, y), 0.0)
            if mi.unmet_t > tol(m, y) and not d.settings.allow_unmet_demand:
                v.append(f"demand {m} {y}: {mi.unmet_t:,.3f} t unmet but Settings do not allow unmet demand")
            added, released = sum(mi.added_t.values()), sum(mi.released_t.values())
            if abs(mi.supply_t + released - added + mi.unmet_t - mi.demand_t) > tol(m, y):
                v.append(f"demand balance {m} {y}: supply {mi.supply_t:,.3f} + release {released:,.3f} "
                         f"- additions {added:,.3f} + unmet {mi.unmet_t:,.3f} != demand {mi.demand_t:,.3f}")
    for a in d.agreements.values():
        prev, prev_line = 0, 0.0
        for y in d.years:
            j = plan.join.get((a.agreement_id, y), 0)
            line = plan.line_t.get((a.agreement_id, y), 0.0)
            t = tol(a.mineral_id, y)
            if j and y < a.first_year:
                v.append(f"agreement {a.agreement_id} joined in {y}, before its first year {a.first_year}")
            if j < prev:
                v.append(f"agreement {a.agreement_id} left in {y}: membership is kept once taken")
            if a.member_at_start and not j:
                v.append(f"agreement {a.agreement_id} {y}: a member at the start, but not a member")
            # A line before the first year is caught here too: there is no membership to hold it.
            if line > a.emergency_volume_t * (j if y >= a.first_year else 0) + t:
                v.append(f"agreement line {a.agreement_id} {y}: {line:,.3f} t held, above the emergency volume "
                         f"{a.emergency_volume_t:,.3f} t x join {j}")
            if line < prev_line - t:
                v.append(f"agreement line {a.agreement_id} {y}: {line:,.3f} t, less than the {prev_line:,.3f} t "
                         "held the year before: a line is kept once held")
            prev, prev_line = j, line
            ind[a.mineral_id, y].agreement_volume_t += line


def _check_policies(d, ind, v, tol):
    for (m, y), mi in ind.items():
        t, S = tol(m, y), mi.base_t

        def limit(column):
            return d.limit(column, m, y)

        cap = limit("china_cap_share")
        if cap is not None and mi.china_t > cap * mi.china_base_t + t:
            v.append(f"China cap {m} {y}: share of {mi.basis} {mi.china_share:.6f} > {cap}")
        for column, stage, words in (("single_country_cap_share", None, "single-country"),
                                     ("mining_country_cap_share", MINING, "mining-country"),
                                     ("refining_country_cap_share", REFINING, "refining-country")):
            cap = limit(column)
            if cap is not None:
                for c, ct in sorted(mi.countries(stage).items()):
                    if ct > cap * S + t:
                        v.append(f"{words} cap {m} {y}: {c} share {mi.share(ct):.6f} > {cap}")
        cap = limit("risk_cap")
        if cap is not None and S > 0 and mi.avg_risk * S > cap * S + t:
            v.append(f"risk cap {m} {y}: average risk {mi.avg_risk:.6f} > {cap}")
        floor = limit("ira_min_share")
        if floor is not None and mi.ira_t < floor * S - t:
            v.append(f"IRA share {m} {y}: {mi.ira_share:.6f} < {floor}")
        floor = limit("recycling_min_share")
        if floor is not None and mi.recycled_t < floor * mi.demand_t - t:
            v.append(f"recycling share {m} {y}: {mi.recycling_share:.6f} < {floor}")
        days = limit("stockpile_min_days")
        if days is not None:
            need = days / DAYS_PER_YEAR * mi.demand_t
            if mi.cover_t < need - t:
                v.append(f"stockpile cover {m} {y}: {mi.cover_t:,.3f} t < {need:,.3f} t ({days} days of demand)")


def purchases_by_origin_usd(d: PlanningData, plan: Plan, year: int | None = None) -> dict[str, float]:
    """Purchase value (USD, undiscounted) per country of origin, in one year or all."""
    out: dict[str, float] = {}
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        if t > 0 and (year is None or y == year):
            out[s.origin_country] = out.get(s.origin_country, 0.0) + t * d.price_usd_per_t(s, y)
    return out


def _costs(d: PlanningData, plan: Plan) -> dict[tuple[str, str], float]:
    """Present value of each cost part per mineral, from the plan's numbers (the model's objective terms)."""
    st = d.settings
    df = st.discount_factor
    c: dict[tuple[str, str], float] = defaultdict(float)
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        c["purchases", s.mineral_id] += df(y) * d.price_usd_per_t(s, y) * t
    for (s_id, y), on in plan.contracted.items():
        s = d.suppliers[s_id]
        c["contracts", s.mineral_id] += df(y) * s.fixed_cost_usd_per_yr * on
    for (s_id, y), started in plan.start.items():
        s = d.suppliers[s_id]
        past = range(st.last_year + 1, min(y + st.min_contract_years - 1, s.last_year) + 1)
        c["contracts", s.mineral_id] += started * s.fixed_cost_usd_per_yr * sum(df(t) for t in past)
    shares = _plant_shares(d, plan)
    for (k, built), n in plan.build_modules.items():
        o = d.module_owners[k]
        # An annuity in every year the module runs inside the horizon.
        running = [y for y in d.years if built + o.lead_time_yr <= y < built + o.lead_time_yr + o.life_yr]
        usd = n * o.capital_cost_usd_per_module * st.annuity_factor(o.life_yr) * sum(df(y) for y in running)
        part = "refining" if k in d.refineries else "recycling_capital"
        for m, share in shares.get(k, {getattr(o, "mineral_id", None): 1.0}).items():
            c[part, m] += share * usd
    for (r, y), t in plan.recycled_t.items():
        if d.recycling[r].plant_id is None:
            c["recycling_operating", d.recycling[r].mineral_id] += df(y) * d.recycling[r].operating_cost_usd_per_t * t
    for (p, y), x in plan.processed_units.items():
        for m, share in shares[p].items():
            c["recycling_operating", m] += share * df(y) * d.recycling_plants[p].operating_cost_usd_per_t * x
    for (s_id, y), t in plan.buy_t.items():
        ref = d.suppliers[s_id].refinery_id
        if ref is not None:
            c["refining", d.suppliers[s_id].mineral_id] += df(y) * d.refineries[ref].operating_cost_usd_per_t * t
    for (m, _pool, y), t in plan.stock_t.items():
        rule = d.stockpile.get(m)
        if rule:
            c["stockpile", m] += df(y) * rule.holding_cost_usd_per_t_yr * t
    for (m, _pool, y), t in plan.stock_add_t.items():
        rule = d.stockpile.get(m)
        if rule:
            c["stockpile", m] += df(y) * rule.purchase_premium_usd_per_t * t
    for (a, y), j in plan.join.items():
        c["agreements", d.agreements[a].mineral_id] += df(y) * d.agreements[a].fee_usd_per_yr * j
    for (a, y), t in plan.line_t.items():
        if a in d.agreements:
            c["agreements", d.agreements[a].mineral_id] += df(y) * d.agreements[a].fee_usd_per_t_yr * t
    for (m, pool, y), t in plan.stock_t.items():  # the stock handed on, at what it would cost to replace
        if y == st.last_year and m in d.stockpile and st.terminal_stock_credit:
            c["terminal_stock", m] -= df(y) * d.stock_value_usd_per_t(m) * t
    if st.allow_unmet_demand:
        for (m, y), t in plan.unmet_t.items():
            c["shortage", m] += df(y) * shortage_cost_usd(d, m, y, t)
    return c


def _plant_shares(d: PlanningData, plan: Plan) -> dict[str, dict[str, float]]:
    """Per stream plant, how its costs are shared among its minerals: by the tonnes each recovered over
    the horizon (equally while it recovered nothing)."""
    out: dict[str, dict[str, float]] = {}
    for p in d.recycling_plants:
        tonnes = {r.mineral_id: sum(plan.recycled_t.get((r.option_id, y), 0.0) for y in d.years)
                  for r in d.recycling.values() if r.plant_id == p}
        total = sum(tonnes.values())
        out[p] = {m: (t / total if total > 0 else 1 / len(tonnes)) for m, t in tonnes.items()} if tonnes else {}
    return out


def shortage_cost_usd(d: PlanningData, m: str, y: int, unmet_t: float) -> float:
    """What leaving ``unmet_t`` of mineral ``m`` unmet in year ``y`` costs on its shortage cost curve
    (the Shortage costs sheet; without rows, the Minerals penalty on every tonne): the first tonnes
    in the first step, up to its end as a share of the year's demand, the next in the next, and
    past the last end at the last step's price."""
    curve = d.shortage_curve.get(m)
    if not curve:
        return d.minerals[m].shortage_penalty_usd_per_t * unmet_t
    demand, left, start, usd = d.demand_t.get((m, y), 0.0), unmet_t, 0.0, 0.0
    for k, seg in enumerate(curve):
        t = left if k == len(curve) - 1 else min(left, max(0.0, seg.end_share - start) * demand)
        usd += seg.cost_usd_per_t * t
        left -= t
        start = seg.end_share
    return usd


def spot_premium_usd(d: PlanningData, m: str, y: int, spot_t: float, spare_t: float, multiplier: float) -> float:
    """What Korea pays above the crisis price for ``spot_t`` bought spot when the options still
    delivering have ``spare_t`` spare: the Spot supply steps filled in order, step k holding its share
    of the spare capacity (the last one the rest) at (factor_k - 1) x the crisis price of the
    mineral's cheapest option."""
    curve = d.spot_curve.get(m) or d.spot_curve.get("") or ()
    base = multiplier * d.lowest_price_usd_per_t(m, y)
    left, usd = spot_t, 0.0
    for k, step in enumerate(curve):
        t = left if k == len(curve) - 1 else min(left, step.share_of_spare * spare_t)
        usd += (step.price_factor - 1.0) * base * t
        left -= t
    return usd


# ---- the second stage: each disruption scenario's recourse ------------------------------------

def cvar_usd(outcomes: Iterable[tuple[float, float]], level: float) -> float:
    """CVaR at level α of a discrete cost: the mean of its worst 1 - α of probability.

    ``outcomes`` are (cost C_ω, probability p_ω) of the disruptions; the calm outcome, cost 0,
    has the probability left, p_0 = max(0, 1 - Σ p_ω).  Rockafellar and Uryasev's form,

        CVaR_α = min_η  η + (p_0 max(0, -η) + Σ_ω p_ω max(0, C_ω - η)) / (1 - α),   0 ≤ α < 1,

    is convex and piecewise linear in η with its kinks at the outcomes' costs, so its minimum is
    at one of them.  The kinks are taken from the highest down, the sums of p_ω and p_ω C_ω over
    the costs above η growing one outcome at a time: n log n, not n² (763 scenarios took 3 s).
    """
    return _cvar_and_var_usd(outcomes, level)[0]


def value_at_risk_usd(outcomes: Iterable[tuple[float, float]], level: float) -> float:
    """An η at which ``cvar_usd``'s minimum is reached (the value at risk at level α)."""
    return _cvar_and_var_usd(outcomes, level)[1]


def _cvar_and_var_usd(outcomes: Iterable[tuple[float, float]], level: float) -> tuple[float, float]:
    outcomes = list(outcomes)
    calm = max(0.0, 1.0 - sum(p for _c, p in outcomes))
    ranked = sorted(outcomes, key=lambda o: -o[0])
    best, best_eta, above_p, above_pc, k = float("inf"), 0.0, 0.0, 0.0, 0
    for eta in sorted({0.0, *(c for c, _p in outcomes)}, reverse=True):
        while k < len(ranked) and ranked[k][0] > eta:
            above_p, above_pc, k = above_p + ranked[k][1], above_pc + ranked[k][0] * ranked[k][1], k + 1
        value = eta + (calm * max(0.0, -eta) + above_pc - eta * above_p) / (1.0 - level)
        if value < best:
            best, best_eta = value, eta
    return best, best_eta


def _cvar_at_usd(outcomes: list[tuple[float, float]], level: float, var_usd: float) -> float:
    """The Rockafellar-Uryasev CVaR function at η = ``var_usd`` (``cvar_usd`` minimises it over η)."""
    calm = max(0.0, 1.0 - sum(p for _c, p in outcomes))
    tail = calm * max(0.0, -var_usd) + sum(p * max(0.0, c - var_usd) for c, p in outcomes)
    return var_usd + tail / (1.0 - level)


@dataclass
class _Hit:
    """What one scenario does to one mineral: the options L_y losing tonnes in each crisis year y ∈ H
    (a positive loss on an option that delivers that year), the recourse years R = first crisis
    year..T, the restored years B = last crisis year + rebuild_years..T, and the agreements it may
    call on (none of whose partners is hit)."""

    lost: dict[int, list[str]]
    recovery: list[int]
    restored: list[int]
    callable: set[str]

    @property
    def crisis(self) -> list[int]:
        return sorted(self.lost)


def _delivers(d: PlanningData, s_id: str, y: int) -> bool:
    """Whether option ``s_id`` can deliver in decision year ``y``: usable and available."""
    s = d.suppliers.get(s_id)
    return s is not None and not d.excluded(s) and s.available(y) and y in d.years


def _hits(d: PlanningData, sc: DisruptionScenario) -> dict[str, _Hit]:
    """mineral -> what ``sc`` does to it, for every mineral it hits."""
    lost: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for (s_id, y), share in sorted(sc.loss.items()):
        if share > 0 and _delivers(d, s_id, y):
            lost[d.suppliers[s_id].mineral_id][y].append(s_id)
    out = {}
    for m, by_year in lost.items():
        first, last = min(by_year), max(by_year)
        out[m] = _Hit(dict(by_year), [y for y in d.years if y >= first],
                      [y for y in d.years if y >= last + d.settings.rebuild_years],
                      {a.agreement_id for a in d.agreements_by_mineral[m]
                       if not set(a.partner_countries) & sc.partners_hit})
    return out


# Each recourse variable: what the parts of its key before (year, scenario) name, and the years it may
# be non-zero in: crisis years (H), recourse years (R), or recourse years after the crisis (R minus H).
# "lost" is the option whose lost tonnes a replacement stands in for; "source" an option sold spot.
_CRISIS, _RECOVERY, _AFTER = "crisis", "recovery", "after"
_RECOURSE_KEYS = {"spot_t": (("lost", "source"), _CRISIS), "crisis_recycled_t": (("lost", "recycling"), _CRISIS),
                  "crisis_release_t": (("lost", "pool"), _CRISIS), "call_t": (("agreement", "lost"), _CRISIS),
                  "unmet_t": (("lost",), _CRISIS), "deficit_t": (("mineral", "pool"), _RECOVERY),
                  "owed_t": (("agreement",), _RECOVERY), "rebuild_t": (("mineral", "pool"), _AFTER),
                  "give_back_t": (("agreement",), _AFTER)}


def _key_mineral(d: PlanningData, name: str, key: tuple) -> str | None:
    """The mineral of a recourse key (None if the option, recycling option or agreement it names
    first is unknown)."""
    kind, item = _RECOURSE_KEYS[name][0][0], key[0]
    if kind == "mineral":
        return item
    owner = (d.agreements if kind == "agreement" else d.suppliers).get(item)
    return owner.mineral_id if owner is not None else None


def _misplaced(d: PlanningData, hits: dict[str, dict[str, _Hit]], name: str, key: tuple) -> str | None:
    """Why recourse variable ``name`` cannot be non-zero at ``key``, or None if it can."""
    kinds, when = _RECOURSE_KEYS[name]
    y, w = key[-2], key[-1]
    if w not in hits:
        return f"there is no disruption scenario {w}"
    m = _key_mineral(d, name, key)
    if m is None:
        return f"there is no {kinds[0]} {key[0]}"
    h = hits[w].get(m)
    if h is None:
        return f"{w} does not hit {m}"
    for kind, item in zip(kinds, key):
        owner, noun = {"lost": (d.suppliers, "an option"), "source": (d.suppliers, "an option"),
                       "recycling": (d.recycling, "a recycling option"),
                       "agreement": (d.agreements, "an agreement")}.get(kind, (None, ""))
        if owner is not None and getattr(owner.get(item), "mineral_id", None) != m:
            return f"{item} is not {noun} of {m}"
        if kind == "lost" and item not in h.lost.get(y, ()):
            return f"{item} loses nothing in {y} in {w}"
        if kind == "source" and not _delivers(d, item, y):
            return f"{item} does not deliver in {y}"
        if kind == "recycling" and d.recycling[item].plant_id is not None:
            return f"{item} is a stream plant's output, which runs as planned in a crisis"
        if kind == "pool" and item not in POOLS:
            return f"there is no pool {item}"
        if kind == "agreement" and item not in h.callable:
            return f"a partner of {item} is hit in {w}, so its line cannot be called"
        if kind == "agreement" and y < d.agreements[item].first_year:
            return f"{y} is before the first year of {item}"
    if when == _CRISIS and y not in h.lost:
        return f"{y} is not a crisis year of {m} in {w}"
    if when != _CRISIS and y not in h.recovery:
        return f"{y} is before {m}'s crisis in {w}"
    if when == _AFTER and y in h.lost:
        return f"{y} is a crisis year of {m} in {w}: rebuilding and giving back wait until it is over"
    return None


def _check_recourse(d: PlanningData, plan: Plan, ev: Evaluation, tol) -> float | None:
    """Recheck every scenario's recourse and its cost; fill ``ev``'s scenario figures and return
    the hedged objective F + (1 - λ) Σ_ω p_ω C_ω + λ CVaR(η) with the plan's η (None if λ > 0 and
    the plan has no η)."""
    rc, v = plan.recourse, ev.violations
    hits = {sc.name: _hits(d, sc) for sc in d.disruptions}
    for name in _RECOURSE_KEYS:
        for key, t in getattr(rc, name).items():
            label, at = f"{name} {' '.join(map(str, key))}", (_key_mineral(d, name, key), key[-2])
            noise = tol(*at) if at in ev.indicators else REL_TOL
            if t < -noise:
                v.append(f"{label}: negative ({t:,.6f})")
            elif t > noise:
                why = _misplaced(d, hits, name, key)
                if why:
                    v.append(f"{label}: {t:,.3f} t, but {why}")
    by_mineral = ev.expected_recourse_by_mineral_usd
    by_mineral.update({m: 0.0 for m in d.minerals})
    for sc in d.disruptions:
        ev.scenario_cost_usd[sc.name] = 0.0
        for m, h in hits[sc.name].items():
            cost = _check_hit(d, plan, ev, sc, m, h, tol)
            ev.scenario_cost_usd[sc.name] += cost
            by_mineral[m] += sc.probability * cost
    st = d.settings
    outcomes = [(ev.scenario_cost_usd[sc.name], sc.probability) for sc in d.disruptions]
    ev.expected_recourse_usd = sum(c * p for c, p in outcomes)
    ev.cvar_usd = cvar_usd(outcomes, st.cvar_level)
    if st.cvar_weight == 0:
        return ev.total_usd + ev.expected_recourse_usd
    if rc.var_usd is None:
        v.append(f"recourse: cvar_weight is {st.cvar_weight} but the plan has no value at risk η")
        return None
    return (ev.total_usd + (1 - st.cvar_weight) * ev.expected_recourse_usd
            + st.cvar_weight * _cvar_at_usd(outcomes, st.cvar_level, rc.var_usd))


def _check_hit(d: PlanningData, plan: Plan, ev: Evaluation, sc: DisruptionScenario, m: str, h: _Hit, tol) -> float:
    """Check the recourse rows of mineral ``m`` in scenario ``sc`` and return its part of C_ω.

    Every lost tonne of an option s ∈ L_y is replaced, and charged, as that option's own.  In
    crisis years y ∈ H, with l_{s,y} the share lost and μ_{m,y} the spot multiplier:

        l_{s,y} buy_{s,y} = Σ_{s'} spot_{s,s',y} + Σ_r xrec_{s,r,y} + Σ_p crel_{s,p,y} + Σ_a call_{a,s,y}
                            + short_{s,y}
        Σ_{s ∈ L_y} spot_{s,s',y} ≤ (1 - l_{s',y}) (capacity_{s',y} - buy_{s',y})
        recycled_{r,y} + Σ_s xrec_{s,r,y} ≤ module_capacity_r online_{r,y}
        Σ_r (recycled_{r,y} + Σ_s xrec_{s,r,y}) / yield_r ≤ feedstock_{m,y}

    in recourse years y ∈ R (def and owed 0 before R):

        def_{m,p,y} = def_{m,p,y-1} + Σ_s crel_{s,p,y} - reb_{m,p,y},  0 ≤ def_{m,p,y} ≤ stock_{m,p,y}
        owed_{a,y} = owed_{a,y-1} + Σ_s call_{a,s,y} - back_{a,y},  owed_{a,y} ≤ line_{a,y}

    and in restored years y ∈ B, def_{m,p,y} = 0 and owed_{a,y} = 0.  Stock and lines reach users
    after their lead times: Σ_p crel_{s,p,y} ≤ r(ℓ_m) l_{s,y} buy_{s,y}, call_{a,s,y} ≤ r(ℓ_a) l_{s,y}
    buy_{s,y} (r: the share of the stop's loss in y after the lead time) and the year's releases stay
    within the most a month over the days they can run.  The cost, present value, with π_m the purchase
    premium; a draw on the stock or a line is charged when drawn, at the lost tonne's price, so
    rebuilding and giving back cost nothing more:

        Σ_{y ∈ H} δ_y (Σ_{s ∈ L_y} [Σ_{s'} max(μ_{m,y} p_{s',y}, p_{s,y}) spot_{s,s',y}
            + Σ_r max(o_r, p_{s,y}) xrec_{s,r,y} + (p_{s,y} + π_m) Σ_p crel_{s,p,y} + p_{s,y} Σ_a call_{a,s,y}
            - p_{s,y} l_{s,y} buy_{s,y}]
            + shortage_cost(Σ_s short_{s,y}) + spot_premium(Σ_{s,s'} spot_{s,s',y}))

    with the shortage cost curve and the spot supply curve filled in order (``shortage_cost_usd``,
    ``spot_premium_usd``): the cheapest way the model could have split the same tonnes.
    """
    _check_paths(d, plan, ev, sc.name, m, h, tol)
    return _check_crisis_years(d, plan, ev, sc, m, h, tol)


def _check_crisis_years(d, plan, ev, sc, m, h, tol) -> float:
    """The crisis balance of each lost option, spot and extra recycling of ``m`` in its crisis
    years; their cost."""
    rc, v, w, df = plan.recourse, ev.violations, sc.name, d.settings.discount_factor
    rule = d.stockpile.get(m)
    premium = rule.purchase_premium_usd_per_t if rule else 0.0
    lead = rule.release_lead_days if rule else 0.0
    sources = d.usable_suppliers[m]
    options = [r for r in d.recycling_by_mineral[m] if r.plant_id is None]  # stream plants run as planned
    usd = 0.0
    for y, lost_from in sorted(h.lost.items()):
        t, mu = tol(m, y), sc.spot_multiplier.get((m, y), 1.0)
        unmet = spot_total = released_total = window = 0.0
        for s_id in lost_from:
            s = d.suppliers[s_id]
            share, price = sc.loss[s_id, y], d.price_usd_per_t(s, y)
            lost = share * plan.buy_t.get((s_id, y), 0.0)
            spot = {s2.supplier_id: rc.spot_t.get((s_id, s2.supplier_id, y, w), 0.0) for s2 in sources
                    if _delivers(d, s2.supplier_id, y)}
            extra = {r.option_id: rc.crisis_recycled_t.get((s_id, r.option_id, y, w), 0.0) for r in options}
            released = sum(rc.crisis_release_t.get((s_id, p, y, w), 0.0) for p in POOLS)
            called = sum(rc.call_t.get((a, s_id, y, w), 0.0) for a in h.callable if y >= d.agreements[a].first_year)
            short = rc.unmet_t.get((s_id, y, w), 0.0)
            if abs(lost - (sum(spot.values()) + sum(extra.values()) + released + called + short)) > t:
                v.append(f"crisis balance {s_id} {y} {w}: {lost:,.3f} t lost != spot {sum(spot.values()):,.3f} "
                         f"+ recycling {sum(extra.values()):,.3f} + releases {released:,.3f} + calls {called:,.3f} "
                         f"+ unmet {short:,.3f}")
            # Stock and lines arrive after their lead time: they replace only the loss after it.
            days, onset = sc.stop_days.get((s_id, y), DAYS_PER_YEAR), sc.onset_days.get((s_id, y), 0.0)
            reach = _reach(lead, days, onset)
            if released > reach * lost + t:
                v.append(f"release lead time {s_id} {y} {w}: {released:,.3f} t released, but a {lead:g}-day lead "
                         f"on a {days:.0f}-day stop lets the stock replace only {reach * lost:,.3f} t")
            for a in h.callable:
                call = rc.call_t.get((a, s_id, y, w), 0.0)
                late = _reach(d.agreements[a].delivery_days, days, onset)
                if call > late * lost + t:
                    v.append(f"delivery time {a} {s_id} {y} {w}: {call:,.3f} t called, but its "
                             f"{d.agreements[a].delivery_days:g}-day delivery lets it replace only "
                             f"{late * lost:,.3f} t")
            window = max(window, reach * days)
            # A spot or recycled tonne costs at least the tonne it replaces; lost tonnes are not paid for.
            usd += df(y) * (sum(max(mu * d.price_usd_per_t(d.suppliers[s2], y), price) * q for s2, q in spot.items())
                            + sum(max(d.recycling[r].operating_cost_usd_per_t, price) * q for r, q in extra.items())
                            + (price + premium) * released + price * called - price * lost)
            unmet += short
            spot_total += sum(spot.values())
            released_total += released
        cap = rule.max_release_t_per_month if rule else None
        if cap is not None and released_total > cap * window / (DAYS_PER_YEAR / 12) + t:
            v.append(f"release rate {m} {y} {w}: {released_total:,.3f} t released in a {window:.0f}-day window, "
                     f"above {cap:,.3f} t a month")
        lost_output = shortage_cost_usd(d, m, y, unmet)
        ev.scenario_unmet_t[w, m] = ev.scenario_unmet_t.get((w, m), 0.0) + unmet
        ev.scenario_lost_output_usd[w, m] = ev.scenario_lost_output_usd.get((w, m), 0.0) + df(y) * lost_output
        usd += df(y) * lost_output
        spare_total = 0.0
        for s2 in sources:
            if not _delivers(d, s2.supplier_id, y):
                continue
            sold = sum(rc.spot_t.get((s_id, s2.supplier_id, y, w), 0.0) for s_id in lost_from)
            # Korea's share of it when other importers hit at the same time bid too (models.coalition).
            spare = sc.spot_share.get((m, y), 1.0) * (1 - sc.loss.get((s2.supplier_id, y), 0.0)) * (
                d.capacity_t(s2, y) - plan.buy_t.get((s2.supplier_id, y), 0.0))
            spare_total += max(spare, 0.0)
            if sold > spare + t:
                v.append(f"spot capacity {s2.supplier_id} {y} {w}: {sold:,.3f} t bought spot, but only "
                         f"{spare:,.3f} t of spare capacity is left")
        usd += df(y) * spot_premium_usd(d, m, y, spot_total, spare_total, mu)
        feedstock_used = 0.0
        for r in options:
            planned = plan.recycled_t.get((r.option_id, y), 0.0)
            more = sum(rc.crisis_recycled_t.get((s_id, r.option_id, y, w), 0.0) for s_id in lost_from)
            capacity = r.module_capacity_t_per_yr * ev.modules_online[r.option_id, y]
            if planned + more > capacity + t:
                v.append(f"crisis recycling capacity {r.option_id} {y} {w}: {planned:,.3f} + {more:,.3f} t "
                         f"from {capacity:,.3f} t of modules online")
            feedstock_used += (planned + more) / r.recovery_yield
        if feedstock_used > d.feedstock_t.get((m, y), 0.0) + t:
            v.append(f"crisis feedstock {m} {y} {w}: {feedstock_used:,.3f} t used, "
                     f"{d.feedstock_t.get((m, y), 0.0):,.3f} t available")
    return usd


def _reach(lead_days: float, stop_days: float, onset_days: float) -> float:
    """Share of one year's loss that stock or a line arriving ``lead_days`` into the stop can replace: the
    stop runs over days [onset, onset + D) of its course in that year, and what is called arrives
    from day ``lead_days`` of it."""
    if stop_days <= 0:
        return 1.0
    return min(1.0, max(0.0, onset_days + stop_days - max(onset_days, lead_days)) / stop_days)


def _check_paths(d, plan, ev, w, m, h, tol) -> None:
    """The stock deficit of each pool and the tonnes owed on each line, from the first crisis year
    to T: within the stock and the line, and back to nothing in the restored years."""
    rc, v, back = plan.recourse, ev.violations, d.settings.rebuild_years
    for p in POOLS:
        before = 0.0
        for y in h.recovery:
            t = tol(m, y)
            released = sum(rc.crisis_release_t.get((s_id, p, y, w), 0.0) for s_id in h.lost.get(y, ()))
            rebuilt = rc.rebuild_t.get((m, p, y, w), 0.0) if y not in h.lost else 0.0
            deficit, stock = rc.deficit_t.get((m, p, y, w), 0.0), plan.stock_t.get((m, p, y), 0.0)
            if abs(deficit - (before + released - rebuilt)) > t:
                v.append(f"deficit balance {m} {p} {y} {w}: {before:,.3f} + {released:,.3f} - {rebuilt:,.3f} "
                         f"!= {deficit:,.3f}")
            if deficit > stock + t:
                v.append(f"deficit {m} {p} {y} {w}: {deficit:,.3f} t released, more than the {stock:,.3f} t "
                         "of stock planned")
            if y in h.restored and deficit > t:
                v.append(f"deficit {m} {p} {y} {w}: {deficit:,.3f} t still missing {back} year(s) after the crisis")
            before = deficit
    for a in sorted(h.callable):
        before = 0.0
        for y in h.recovery:
            if y < d.agreements[a].first_year:
                continue
            t = tol(m, y)
            called = sum(rc.call_t.get((a, s_id, y, w), 0.0) for s_id in h.lost.get(y, ()))
            given = rc.give_back_t.get((a, y, w), 0.0) if y not in h.lost else 0.0
            owed, line = rc.owed_t.get((a, y, w), 0.0), plan.line_t.get((a, y), 0.0)
            if abs(owed - (before + called - given)) > t:
                v.append(f"owed balance {a} {y} {w}: {before:,.3f} + {called:,.3f} - {given:,.3f} != {owed:,.3f}")
            if owed > line + t and not d.agreements[a].pooled:  # a pooled line: the coalition's check
                v.append(f"owed {a} {y} {w}: {owed:,.3f} t owed, above the {line:,.3f} t line held")
            if y in h.restored and owed > t:
                v.append(f"owed {a} {y} {w}: {owed:,.3f} t still owed {back} year(s) after the crisis")
            before = owed


# ---- coalitions (models.coalition): what links the members, checked from the data -------------------

@dataclass
class CoalitionEvaluation:
    """A coalition's plan, rechecked: Korea's part as any hedged plan, the partners' recourse, the
    reserves, the joint stock and the swaps, and the costs (present value) recomputed."""

    korea: Evaluation | None  # None without Korea in the coalition
    # Each member's own part of the hedged cost, by mineral: Korea's first stage and expected disruption
    # cost (its pooled calls' premium included), a partner's expected disruption cost; each one's reserve.
    member_cost_usd: dict[tuple[str, str], float]
    joint_cost_usd: dict[str, float]  # the joint stock's first-stage cost, by mineral
    scenario_cost_usd: dict[str, float]  # C_ω of the whole coalition
    objective_usd: float  # F + F^J + (1 - λ) Σ p_ω C_ω + λ CVaR, recomputed
    violations: list[str]


def verify_coalition(d: PlanningData, members: tuple[str, ...], coalition: tuple[str, ...],
                     reference_buy_t: dict[tuple[str, int], float], korea: PlanningData, korea_plan: Plan,
                     cp: CoalitionPlan, objective_usd: float | None) -> CoalitionEvaluation:
    """Recheck coalition S of the members N (``models.coalition``) from the data: ``d`` the case, ``korea``
    Korea's case in S with its pooled agreements, ``korea_plan`` its plan (empty without Korea), ``cp``
    the coalition's own decisions; raise VerificationError on any rule broken.

    With λ_{i,m,y,ω} a partner's loss (``PlanningData.partner_loss``), D_i its demand, Q_i its stock and
    Q̂_i what it holds above its mandate, R a member's reserve, J the joint stock and a its share of the
    spare capacity (demand among the members of N hit):

        λ D_i = own + joint + Σ_k borrow_k + Σ_j spot_j + Σ_k short_k,  Σ_{τ≤y} own_τ ≤ Q_i + R_{i,y},
        own + joint + Σ borrow ≤ r(ℓ_m) λ D_i,  Σ_j spot_j ≤ a_i spare,
        Σ_i owed^J_i ≤ J (pro rata: owed^J_i ≤ D_i / Σ_{hit} D_j · J),  Σ_j owed^k_j ≤ Q̂_k + R_k,
        Korea: owed on its reserve ≤ R_h; owed to Korea ≤ R_h + min(stock, cover - floor)

    and the costs: F^J over the reserves and the joint stock, each partner's C^P_ω like for like at the
    mineral's lowest price, the premium π_m on Korea's pooled calls, added to Korea's own figures."""
    st, home = d.settings, d.settings.home_country
    df = st.discount_factor
    v: list[str] = []
    cp = CoalitionPlan(**{f.name: _finite(f.name, getattr(cp, f.name), v) for f in dataclasses.fields(CoalitionPlan)})
    partners = [i for i in coalition if i != home]
    plain = Plan(stats=dataclasses.replace(korea_plan.stats, objective_usd=None), **{
        f.name: getattr(korea_plan, f.name) for f in dataclasses.fields(Plan) if f.name != "stats"})
    ev = evaluate(korea, plain) if home in coalition else None
    if ev is not None:
        v += ev.violations

    def tol(m: str, y: int) -> float:
        return REL_TOL * max(d.demand_t.get((m, y), 0.0), *(d.partners[i, m].demand_t_per_yr for i in members
                                                          if (i, m) in d.partners), 1.0)

    def demand(i: str, m: str, y: int) -> float:
        return d.demand_t.get((m, y), 0.0) if i == home else d.partners[i, m].demand_t_per_yr

    scen = {sc.name: sc for sc in d.disruptions}
    hit: dict[tuple[str, str, str], dict[int, tuple[float, float, float]]] = defaultdict(dict)
    for sc in d.disruptions:
        if home in members:
            for (s_id, y), share in sc.loss.items():
                if share > 0 and _delivers(d, s_id, y):
                    hit[home, d.suppliers[s_id].mineral_id, sc.name][y] = (share, 0.0, 0.0)
        for i in members:
            for m in d.minerals:
                if i != home and (i, m) in d.partners:
                    for y in d.years:
                        lost = d.partner_loss(d.partners[i, m], sc, y)
                        if lost[0] > 0:
                            hit[i, m, sc.name][y] = lost

    def hit_in(i, m, w, y) -> bool:
        return y in hit.get((i, m, w), {})

    def share_of(group, i, m, y, w) -> float:  # i's demand among the members of ``group`` hit in (y, ω)
        who = [j for j in group if hit_in(j, m, w, y)]
        total = sum(demand(j, m, y) for j in who)
        return demand(i, m, y) / total if total > 0 else 1.0 / max(len(who), 1)

    def lender(k, m, w) -> bool:
        return not hit.get((k, m, w)) and k not in scen[w].partners_hit

    def owing(i, m, w) -> list[int]:
        years = sorted(hit.get((i, m, w), {}))
        return [y for y in d.years if years and years[0] <= y < years[-1] + st.rebuild_years]

    # The reserves and the joint stock: kept once built, within a year of every member's demand.
    stocks = {(m, i): {y: cp.reserve_t.get((m, i, y), 0.0) for y in d.years} for m in d.minerals for i in coalition}
    stocks.update({(m, None): {y: cp.joint_stock_t.get((m, y), 0.0) for y in d.years} for m in d.minerals})
    for (m, who, _y) in cp.reserve_t:
        if who not in coalition:
            v.append(f"reserve {m} {who}: {who} is not in the coalition")
    if len(coalition) < 2 and any(t > REL_TOL for t in cp.joint_stock_t.values()):
        v.append("joint stock: a coalition of one member holds none")
    reserve_usd: dict[tuple[str, str], float] = defaultdict(float)
    joint_usd: dict[str, float] = defaultdict(float)
    for (m, who), path in stocks.items():
        before, top = 0.0, None
        for y in d.years:
            x, t = path[y], tol(m, y)
            top = sum(demand(i, m, y) for i in members if i == home or (i, m) in d.partners)
            name = "joint stock" if who is None else f"reserve of {who}"
            if x < before - t or x < -t or x > top + t:
                v.append(f"{name} {m} {y}: {x:,.3f} t; kept once built (last year {before:,.3f} t) and at most "
                         f"{top:,.3f} t")
            rule = d.stock_rule(m)
            usd = df(y) * ((d.lowest_price_usd_per_t(m, y) + rule.purchase_premium_usd_per_t) * (x - before)
                           + rule.holding_cost_usd_per_t_yr * x)
            if y == st.last_year and st.terminal_stock_credit:
                usd -= df(y) * d.stock_value_usd_per_t(m) * x
            if who is None:
                joint_usd[m] += usd
            else:
                reserve_usd[m, who] += usd
            before = x
    # Korea's pooled calls: its reserve within the reserve, no swap from a member hit; their premium.
    pooled = {a: ag for a, ag in korea.agreements.items() if ag.pooled}
    premium: dict[tuple[str, str], float] = defaultdict(float)  # (ω, mineral)
    rc = korea_plan.recourse
    if rc is not None:
        for (a, s_id, y, w), t in rc.call_t.items():
            ag = pooled.get(a)
            if ag is None or t <= 0:
                continue
            # Every tonne called pays its premium, as the model charges it; only the check has a tolerance, and
            # Korea's: a partner's demand of 1e6 t made it 10 t, and Korea's calls of 0.8-5.6 t went uncharged.
            premium[w, ag.mineral_id] += df(y) * d.stock_rule(ag.mineral_id).purchase_premium_usd_per_t * t
            if t > _demand_tol(d, ag.mineral_id, y) and ag.kind == SWAP \
                    and not lender(ag.partner_countries[0], ag.mineral_id, w):
                v.append(f"swap call {a} {s_id} {y} {w}: {t:,.3f} t from {ag.partner_countries[0]}, which is hit")
        for (a, y, w), t in rc.owed_t.items():
            ag = pooled.get(a)
            if ag is not None and ag.kind == RESERVE and t > stocks[ag.mineral_id, home][y] + tol(ag.mineral_id, y):
                v.append(f"reserve {ag.mineral_id} {home} {y} {w}: {t:,.3f} t owed, above the reserve")

    def korea_owed(m, y, w, kind, k=None) -> float:
        if rc is None:
            return 0.0
        return sum(t for (a, yy, ww), t in rc.owed_t.items() if yy == y and ww == w and a in pooled
                   and pooled[a].mineral_id == m and pooled[a].kind == kind
                   and (k is None or pooled[a].partner_countries == (k,)))

    # The partners' recourse, row by row, and its cost.
    keys_ok = {(m, i, y, w) for (i, m, w), years in hit.items() if i in partners for y in years}
    for name, values in (("own", cp.own_t), ("joint", cp.joint_t), ("borrow", cp.borrow_t), ("spot", cp.spot_t),
                         ("short", cp.short_t)):
        for k, t in values.items():
            row = (k[0], k[1], k[-2], k[-1])
            if t > REL_TOL and row not in keys_ok:
                v.append(f"partner {name} {' '.join(map(str, k))}: {t:,.3f} t, but {k[1]} loses nothing of {k[0]} "
                         f"in {k[-2]} in {k[-1]}")
            if name == "joint" and t > REL_TOL and len(coalition) < 2:
                v.append(f"partner joint {' '.join(map(str, k))}: no joint stock in a coalition of one")
            if name == "borrow" and t > REL_TOL and (k[2] not in coalition or k[2] == k[1] or not lender(k[2], k[0],
                                                                                                          k[-1])):
                v.append(f"partner borrow {' '.join(map(str, k))}: {k[2]} cannot lend (not in S, itself, or hit)")
    by_row: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    spot_by_row: dict[tuple, float] = defaultdict(float)
    short_by_row: dict[tuple, float] = defaultdict(float)
    for k, t in cp.own_t.items():
        by_row[k]["own"] += t
    for k, t in cp.joint_t.items():
        by_row[k]["joint"] += t
    for (m, i, lend, y, w), t in cp.borrow_t.items():
        by_row[m, i, y, w]["borrow"] += t
    for (m, i, _j, y, w), t in cp.spot_t.items():
        spot_by_row[m, i, y, w] += t
    for (m, i, _k, y, w), t in cp.short_t.items():
        short_by_row[m, i, y, w] += t
    partner_usd: dict[tuple[str, str, str], float] = defaultdict(float)  # (ω, member, mineral)
    for (m, i, y, w) in sorted(keys_ok):
        p_, t = d.partners[i, m], tol(m, y)
        share, days, onset = hit[i, m, w][y]
        lost = share * p_.demand_t_per_yr
        got = by_row.get((m, i, y, w), {})
        stocked = got.get("own", 0.0) + got.get("joint", 0.0) + got.get("borrow", 0.0)
        spot, short = spot_by_row.get((m, i, y, w), 0.0), short_by_row.get((m, i, y, w), 0.0)
        if abs(lost - stocked - spot - short) > t:
            v.append(f"partner balance {i} {m} {y} {w}: {lost:,.3f} t lost != stocks {stocked:,.3f} + spot "
                     f"{spot:,.3f} + short {short:,.3f}")
        drawn = sum(cp.own_t.get((m, i, tt, w), 0.0) for tt in hit[i, m, w] if tt <= y)
        if drawn > p_.stock_t + stocks[m, i][y] + t:
            v.append(f"partner stock {i} {m} {y} {w}: {drawn:,.3f} t drawn, above its stock {p_.stock_t:,.3f} t and "
                     f"reserve {stocks[m, i][y]:,.3f} t")
        reach = _reach(d.stock_rule(m).release_lead_days, days, onset)
        if stocked > reach * lost + t:
            v.append(f"partner lead time {i} {m} {y} {w}: {stocked:,.3f} t from stocks, but only {reach * lost:,.3f} t "
                     "arrive after the release lead time")
        spare = _spare_t(d, m, y, scen[w], korea_plan.buy_t if home in coalition else reference_buy_t)
        allotted = share_of(members, i, m, y, w) * spare
        if spot > allotted + t:
            v.append(f"partner spot {i} {m} {y} {w}: {spot:,.3f} t, above its share {allotted:,.3f} t of the spare "
                     "capacity")
        p = d.lowest_price_usd_per_t(m, y)
        mu = scen[w].spot_multiplier.get((m, y), 1.0)
        partner_usd[w, i, m] += df(y) * ((p + d.stock_rule(m).purchase_premium_usd_per_t) * stocked + _fill(
            [(x.share_of_spare, x.price_factor * mu * p) for x in d.spot_steps(m)], allotted, spot)
            + _fill(d.partner_shortage_steps(p_), p_.demand_t_per_yr, short) - p * lost)
    # The joint stock: what is owed on it within it, and within each member's pro-rata share.
    for m in d.minerals:
        for w in scen:
            for y in d.years:
                owed = {i: korea_owed(m, y, w, JOINT_STOCKPILE) if i == home else (
                    sum(cp.joint_t.get((m, i, tt, w), 0.0) for tt in hit.get((i, m, w), {}) if tt <= y)
                    if y in owing(i, m, w) else 0.0) for i in coalition}
                t, stock = tol(m, y), stocks[m, None][y]
                if sum(owed.values()) > stock + t:
                    v.append(f"joint stock {m} {y} {w}: {sum(owed.values()):,.3f} t owed, above the {stock:,.3f} t "
                             "held")
                if st.coalition_sharing_rule == PRO_RATA:
                    for i, x in owed.items():
                        cap = share_of(coalition, i, m, y, w) * stock
                        if hit_in(i, m, w, y) and x > cap + t:
                            v.append(f"joint stock share {i} {m} {y} {w}: {x:,.3f} t owed, above its pro-rata share "
                                     f"{cap:,.3f} t")
                # Swaps: what each lender is owed, within what it may lend.
                for k in coalition:
                    if not lender(k, m, w):
                        continue
                    lent = sum(korea_owed(m, y, w, SWAP, k) if j == home else (
                        sum(cp.borrow_t.get((m, j, k, tt, w), 0.0) for tt in hit.get((j, m, w), {}) if tt <= y)
                        if y in owing(j, m, w) else 0.0) for j in coalition if j != k)
                    if k == home:
                        stock_t = sum(korea_plan.stock_t.get((m, p, y), 0.0) for p in POOLS)
                        days = d.limit("stockpile_min_days", m, y) or 0.0
                        floor = days / DAYS_PER_YEAR * d.demand_t.get((m, y), 0.0)
                        cover = ev.indicators[m, y].cover_t if ev is not None else 0.0
                        can = stocks[m, k][y] + min(stock_t, cover - floor)
                    else:
                        can = d.partners[k, m].lendable_t + stocks[m, k][y]
                    if lent > can + t:
                        v.append(f"swap {k} {m} {y} {w}: {lent:,.3f} t lent, above the {can:,.3f} t it may lend")
    # The costs, and the objective.
    member_usd: dict[tuple[str, str], float] = defaultdict(float)
    scenario_usd: dict[str, float] = {}
    for sc in d.disruptions:
        w = sc.name
        scenario_usd[w] = (ev.scenario_cost_usd.get(w, 0.0) if ev is not None else 0.0) + sum(
            usd for (ww, _m), usd in premium.items() if ww == w) + sum(
            usd for (ww, _i, _m), usd in partner_usd.items() if ww == w)
    for m in d.minerals:
        for i in coalition:
            member_usd[i, m] += reserve_usd[m, i]
        if ev is not None:
            member_usd[home, m] += ev.costs_by_mineral_usd.get(m, 0.0) + ev.expected_recourse_by_mineral_usd.get(m, 0.0)
    for (w, m), usd in premium.items():
        member_usd[home, m] += scen[w].probability * usd
    for (w, i, m), usd in partner_usd.items():
        member_usd[i, m] += scen[w].probability * usd
    first = (ev.total_usd if ev is not None else 0.0) + sum(joint_usd.values()) + sum(reserve_usd.values())
    outcomes = [(scenario_usd[sc.name], sc.probability) for sc in d.disruptions]
    expected = sum(c * p for c, p in outcomes)
    total = first + expected
    if st.cvar_weight > 0:
        eta = rc.var_usd if rc is not None and rc.var_usd is not None else 0.0
        total = first + (1 - st.cvar_weight) * expected + st.cvar_weight * _cvar_at_usd(outcomes, st.cvar_level, eta)
    if objective_usd is not None and not abs(total - objective_usd) <= _objective_tol(total):
        v.append(f"coalition objective: recomputed {total:,.2f} USD but the solver reported {objective_usd:,.2f}")
    out = CoalitionEvaluation(ev, dict(member_usd), dict(joint_usd), scenario_usd, total, v)
    if v:
        raise VerificationError(v)
    return out


def _spare_t(d: PlanningData, m: str, y: int, sc: DisruptionScenario, buy_t: dict[tuple[str, int], float]) -> float:
    """What the options of ``m`` still delivering in (y, ``sc``) have spare beyond ``buy_t``."""
    return sum((1 - sc.loss.get((s.supplier_id, y), 0.0)) * (d.capacity_t(s, y) - buy_t.get((s.supplier_id, y), 0.0))
               for s in d.usable_suppliers[m] if s.available(y) and sc.loss.get((s.supplier_id, y), 0.0) < 1)


def _fill(steps, scale: float, tonnes: float) -> float:
    """The cost of ``tonnes`` on a curve of (width, USD/t) steps filled in order, each width a share of
    ``scale`` (None: the last, open step): the cheapest way to split them on a rising curve."""
    left, usd = tonnes, 0.0
    for k, (width, price) in enumerate(steps):
        t = left if k == len(steps) - 1 or width is None else min(left, width * scale)
        usd += price * t
        left -= t
    return usd
