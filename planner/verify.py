"""Independent check of a solved plan against the input data.

This module never looks at the Pyomo model: it recomputes every quantity the
model constrains from the typed dataset and the plan's numbers alone, so a bug
in a constraint (a wrong index, a lost term) shows up here as a violation
instead of as a wrong plan in a report.  It also computes the indicators and
the cost breakdown that the reports print, so reports show checked figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from models.dataset import CHINA, PlanningData
from models.plan import Plan

DAYS_PER_YEAR = 365.0
REL_TOL = 1e-5  # relative to a mineral-year's demand; HiGHS works to 1e-7 on scaled rows
OBJ_TOL = 1e-6  # relative to the objective
# The parts of the objective, in report order.
COST_PARTS = ("purchases", "contracts", "recycling_capital", "recycling_operating", "stockpile", "agreements",
              "shortage")


class VerificationError(Exception):
    """A plan broke a rule of the input data: a bug in the model, never a user error."""

    def __init__(self, violations: list[str]):
        super().__init__(f"{len(violations)} violation(s): " + "; ".join(violations[:5]))
        self.violations = violations


@dataclass
class MineralYear:
    """Indicators of one mineral in one year, computed from the plan."""

    demand_t: float
    imports_t: float = 0.0
    recycled_t: float = 0.0
    unmet_t: float = 0.0
    china_t: float = 0.0
    ira_t: float = 0.0
    risk_weighted_t: float = 0.0
    by_country_t: dict[str, float] = field(default_factory=dict)
    stock_t: float = 0.0
    cover_t: float = 0.0  # stock plus emergency volumes of agreements joined

    @property
    def supply_t(self) -> float:
        return self.imports_t + self.recycled_t

    def share(self, tonnes: float) -> float:
        return tonnes / self.supply_t if self.supply_t > 0 else 0.0

    @property
    def china_share(self) -> float:
        return self.share(self.china_t)

    @property
    def top_country(self) -> tuple[str | None, float]:
        if not self.by_country_t:
            return None, 0.0
        c = max(sorted(self.by_country_t), key=lambda k: self.by_country_t[k])
        return c, self.share(self.by_country_t[c])

    @property
    def avg_risk(self) -> float:
        return self.share(self.risk_weighted_t)

    @property
    def ira_share(self) -> float:
        return self.share(self.ira_t)

    @property
    def recycling_share(self) -> float:
        return self.recycled_t / self.demand_t if self.demand_t > 0 else 0.0

    @property
    def stockpile_days(self) -> float | None:
        return self.cover_t / self.imports_t * DAYS_PER_YEAR if self.imports_t > 0 else None


@dataclass
class Evaluation:
    costs_usd: dict[str, float]  # present value per cost part
    indicators: dict[tuple[str, int], MineralYear]
    violations: list[str]
    modules_online: dict[tuple[str, int], int]  # (recycling option, year)
    costs_by_mineral_usd: dict[str, float] = field(default_factory=dict)  # present value per mineral

    @property
    def total_usd(self) -> float:
        return sum(self.costs_usd.values())


def evaluate(d: PlanningData, plan: Plan) -> Evaluation:
    """Indicators, costs and every rule the plan breaks (an empty list if none)."""
    v: list[str] = []
    ind = {(m, y): MineralYear(demand_t=d.demand_t.get((m, y), 0.0)) for m in d.minerals for y in d.years}

    def tol(m, y):
        return REL_TOL * max(ind[m, y].demand_t, 1.0)

    _check_domains(plan, v)
    _check_supply(d, plan, ind, v, tol)
    online = _check_recycling(d, plan, ind, v, tol)
    _check_stockpile(d, plan, ind, v, tol)
    _check_policies(d, ind, v, tol)
    by_part_mineral = _costs(d, plan)
    costs = dict.fromkeys(COST_PARTS, 0.0)
    by_mineral = dict.fromkeys(d.minerals, 0.0)
    for (part, m), usd in by_part_mineral.items():
        costs[part] += usd
        by_mineral[m] += usd
    if plan.stats.objective_usd is not None:
        total, reported = sum(costs.values()), plan.stats.objective_usd
        if abs(total - reported) > OBJ_TOL * max(abs(total), 1.0):
            v.append(f"objective: recomputed {total:,.2f} USD but the solver reported {reported:,.2f}")
    return Evaluation(costs_usd=costs, indicators=ind, violations=v, modules_online=online,
                      costs_by_mineral_usd=by_mineral)


def verify(d: PlanningData, plan: Plan) -> Evaluation:
    """Evaluate the plan and raise VerificationError if it breaks any rule."""
    ev = evaluate(d, plan)
    if ev.violations:
        raise VerificationError(ev.violations)
    return ev


def _check_domains(plan, v):
    """Quantities are not negative; contracts and memberships are 0 or 1; modules are whole."""
    for name in ("recycled_t", "stock_t", "stock_add_t", "stock_release_t", "unmet_t"):
        for k, t in getattr(plan, name).items():
            if t < 0:
                v.append(f"{name} {' '.join(map(str, k))}: negative ({t:,.6f})")
    for name in ("contracted", "join"):
        for k, x in getattr(plan, name).items():
            if x not in (0, 1):
                v.append(f"{name} {' '.join(map(str, k))}: {x!r} is neither 0 nor 1")
    for k, n in plan.build_modules.items():
        if n != int(n):
            v.append(f"build_modules {' '.join(map(str, k))}: {n!r} is not a whole number of modules")


def _check_supply(d, plan, ind, v, tol):
    L = d.settings.min_contract_years
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers.get(s_id)
        if s is None:
            v.append(f"buy {s_id} {y}: no such supplier")
            continue
        m = s.mineral_id
        on = plan.contracted.get((s_id, y), 0)
        if t > tol(m, y) and (d.excluded(s) or not s.available(y)):
            v.append(f"buy {s_id} {y}: {t:,.3f} t from an option that is excluded or not available")
        cap, floor = d.capacity_t(s, y), d.min_volume_t(s, y)
        if t < -tol(m, y) or t > cap * on + tol(m, y):
            v.append(f"capacity {s_id} {y}: {t:,.3f} t bought, capacity {cap:,.3f} t, contracted={on}")
        if t < floor * on - tol(m, y):
            v.append(f"minimum volume {s_id} {y}: {t:,.3f} t < {floor:,.3f} t")
        if s.contract == "on" and not on:
            v.append(f"contract {s_id} {y}: forced on in the Suppliers sheet but not contracted")
        mi = ind[m, y]
        mi.imports_t += t
        for c in s.countries:
            mi.by_country_t[c] = mi.by_country_t.get(c, 0.0) + t
        if CHINA in s.countries:
            mi.china_t += t
        if d.ira_compliant(s):
            mi.ira_t += t
        mi.risk_weighted_t += d.supplier_risk(s) * t
    # Minimum contract length: a run of contracted years ends early only at the option's last year.
    runs: dict[str, list[int]] = defaultdict(list)
    for (s_id, y), on in plan.contracted.items():
        if on:
            runs[s_id].append(y)
    for s_id, ys in runs.items():
        last = min(d.suppliers[s_id].last_year, d.settings.last_year)
        ys.sort()
        start = ys[0]
        for a, b in zip(ys, ys[1:] + [None]):
            if b != a + 1:  # a run ends at a
                if a - start + 1 < L and a != last:
                    v.append(f"contract length {s_id}: contracted {start}-{a}, shorter than {L} years")
                start = b


def _check_recycling(d, plan, ind, v, tol) -> dict[tuple[str, int], int]:
    """Check module builds, capacity and feedstock; return the modules online per option-year."""
    modules_online = {}
    for r in d.recycling.values():
        builds = {y: plan.build_modules.get((r.option_id, y), 0) for y in d.years}
        if any(n < 0 for n in builds.values()) or sum(builds.values()) > r.max_modules - r.existing_modules:
            v.append(f"recycling {r.option_id}: builds {builds} exceed max_modules {r.max_modules}")
        for y in d.years:
            online = r.existing_modules + sum(n for t, n in builds.items() if t <= y - r.lead_time_yr)
            modules_online[r.option_id, y] = online
            out = plan.recycled_t.get((r.option_id, y), 0.0)
            if out > r.module_capacity_t_per_yr * online + tol(r.mineral_id, y):
                v.append(f"recycling capacity {r.option_id} {y}: {out:,.3f} t from {online} modules "
                         f"of {r.module_capacity_t_per_yr:,.3f} t")
            ind[r.mineral_id, y].recycled_t += out
    for m in d.minerals:
        for y in d.years:
            used = sum(plan.recycled_t.get((r.option_id, y), 0.0) / r.recovery_yield
                       for r in d.recycling_by_mineral[m])
            if used > d.feedstock_t.get((m, y), 0.0) + tol(m, y):
                v.append(f"feedstock {m} {y}: {used:,.3f} t used, {d.feedstock_t.get((m, y), 0.0):,.3f} t available")
    return modules_online


def _check_stockpile(d, plan, ind, v, tol):
    for m in d.minerals:
        rule = d.stockpile.get(m)
        before = rule.initial_stock_t if rule else 0.0
        for y in d.years:
            k = (m, y)
            stock, add, rel = plan.stock_t.get(k, 0.0), plan.stock_add_t.get(k, 0.0), plan.stock_release_t.get(k, 0.0)
            if abs(stock - (before + add - rel)) > tol(m, y):
                v.append(f"stock balance {m} {y}: {before:,.3f} + {add:,.3f} - {rel:,.3f} != {stock:,.3f}")
            if stock > (rule.max_stock_t if rule else 0.0) + tol(m, y):
                v.append(f"stock {m} {y}: {stock:,.3f} t above the maximum")
            before = stock
            mi = ind[k]
            mi.stock_t = stock
            mi.unmet_t = plan.unmet_t.get(k, 0.0)
            if mi.unmet_t > tol(m, y) and not d.settings.allow_unmet_demand:
                v.append(f"demand {m} {y}: {mi.unmet_t:,.3f} t unmet but Settings do not allow unmet demand")
            if abs(mi.supply_t + rel + mi.unmet_t - (mi.demand_t + add)) > tol(m, y):
                v.append(f"demand balance {m} {y}: supply {mi.supply_t:,.3f} + release {rel:,.3f} "
                         f"+ unmet {mi.unmet_t:,.3f} != demand {mi.demand_t:,.3f} + additions {add:,.3f}")
    for a in d.agreements.values():
        prev = 0
        for y in d.years:
            j = plan.join.get((a.agreement_id, y), 0)
            if j and y < a.first_year:
                v.append(f"agreement {a.agreement_id} joined in {y}, before its first year {a.first_year}")
            if j < prev:
                v.append(f"agreement {a.agreement_id} left in {y}: membership is kept once taken")
            prev = j
            if j:
                ind[a.mineral_id, y].cover_t += a.emergency_volume_t
    for k, mi in ind.items():
        mi.cover_t += mi.stock_t


def _check_policies(d, ind, v, tol):
    for (m, y), mi in ind.items():
        lim, t, S = d.limits(m, y), tol(m, y), mi.supply_t
        if lim.china_cap_share is not None and mi.china_t > lim.china_cap_share * S + t:
            v.append(f"China cap {m} {y}: share {mi.china_share:.6f} > {lim.china_cap_share}")
        if lim.single_country_cap_share is not None:
            for c, ct in sorted(mi.by_country_t.items()):
                if ct > lim.single_country_cap_share * S + t:
                    v.append(f"single-country cap {m} {y}: {c} share {mi.share(ct):.6f} "
                             f"> {lim.single_country_cap_share}")
        if lim.risk_cap is not None and S > 0:
            weighted = mi.risk_weighted_t + d.home_risk() * mi.recycled_t
            if weighted > lim.risk_cap * S + t:
                v.append(f"risk cap {m} {y}: average risk {weighted / S:.6f} > {lim.risk_cap}")
        if lim.ira_min_share is not None and d.minerals[m].battery_mineral and mi.ira_t < lim.ira_min_share * S - t:
            v.append(f"IRA share {m} {y}: {mi.ira_share:.6f} < {lim.ira_min_share}")
        if lim.recycling_min_share is not None and mi.recycled_t < lim.recycling_min_share * mi.demand_t - t:
            v.append(f"recycling share {m} {y}: {mi.recycling_share:.6f} < {lim.recycling_min_share}")
        if lim.stockpile_min_days is not None:
            need = lim.stockpile_min_days / DAYS_PER_YEAR * mi.imports_t
            if mi.cover_t < need - t:
                v.append(f"stockpile cover {m} {y}: {mi.cover_t:,.3f} t < {need:,.3f} t "
                         f"({lim.stockpile_min_days} days of imports)")


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
    for (r, y), n in plan.build_modules.items():
        c["recycling_capital", d.recycling[r].mineral_id] += df(y) * d.recycling[r].capital_cost_usd_per_module * n
    for (r, y), t in plan.recycled_t.items():
        c["recycling_operating", d.recycling[r].mineral_id] += df(y) * d.recycling[r].operating_cost_usd_per_t * t
    for (m, y), t in plan.stock_t.items():
        rule = d.stockpile.get(m)
        if rule:
            c["stockpile", m] += df(y) * (rule.holding_cost_usd_per_t_yr * t
                                          + rule.purchase_premium_usd_per_t * plan.stock_add_t.get((m, y), 0.0))
    for (a, y), j in plan.join.items():
        c["agreements", d.agreements[a].mineral_id] += df(y) * d.agreements[a].fee_usd_per_yr * j
    if st.allow_unmet_demand:
        for (m, y), t in plan.unmet_t.items():
            c["shortage", m] += df(y) * d.minerals[m].shortage_penalty_usd_per_t * t
    return c
