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

from models.dataset import CHINA_POOL, OTHER_POOL, POOLS, PlanningData
from models.plan import Plan

DAYS_PER_YEAR = 365.0
REL_TOL = 1e-5  # relative to a mineral-year's demand; HiGHS works to 1e-7 on scaled rows
OBJ_TOL = 1e-6  # relative to the objective
# The parts of the objective, in report order.
COST_PARTS = ("purchases", "contracts", "recycling_capital", "recycling_operating", "stockpile", "agreements",
              "terminal_stock", "shortage")


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
    china_bought_t: float = 0.0  # bought from options mined or refined in China
    ira_t: float = 0.0
    risk_weighted_t: float = 0.0  # Σ risk x t over purchases and recycling (at the home country's score)
    by_country_t: dict[str, float] = field(default_factory=dict)
    stock_t: dict[str, float] = field(default_factory=dict)  # pool -> t at the end of the year
    added_t: dict[str, float] = field(default_factory=dict)  # pool -> t put into the stock
    released_t: dict[str, float] = field(default_factory=dict)  # pool -> t released
    agreement_volume_t: float = 0.0  # emergency volumes of agreements joined

    @property
    def supply_t(self) -> float:
        return self.imports_t + self.recycled_t

    @property
    def consumed_t(self) -> float:
        return self.demand_t - self.unmet_t

    @property
    def stock_total_t(self) -> float:
        return sum(self.stock_t.values())

    @property
    def cover_t(self) -> float:
        """Stock plus emergency volumes of agreements joined."""
        return self.stock_total_t + self.agreement_volume_t

    @property
    def china_t(self) -> float:
        """China-linked tonnes consumed: bought, less those put into the China pool, plus its releases."""
        return self.china_bought_t - self.added_t.get(CHINA_POOL, 0.0) + self.released_t.get(CHINA_POOL, 0.0)

    def share(self, tonnes: float) -> float:
        return tonnes / self.supply_t if self.supply_t > 0 else 0.0

    @property
    def china_share(self) -> float:
        """China-linked share of what is consumed, stock releases included (what the China cap limits)."""
        return self.china_t / self.consumed_t if self.consumed_t > 0 else 0.0

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
        """Cover in days of the year's demand."""
        return self.cover_t / self.demand_t * DAYS_PER_YEAR if self.demand_t > 0 else None


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
    for name in ("contracted", "start", "join"):
        for k, x in getattr(plan, name).items():
            if x not in (0, 1):
                v.append(f"{name} {' '.join(map(str, k))}: {x!r} is neither 0 nor 1")
    for k, n in plan.build_modules.items():
        if n != int(n):
            v.append(f"build_modules {' '.join(map(str, k))}: {n!r} is not a whole number of modules")


def _check_supply(d, plan, ind, v, tol):
    st = d.settings
    L = st.min_contract_years
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
        if y < st.first_year + s.contract_years_left and not on:
            v.append(f"contract {s_id} {y}: in force for {s.contract_years_left} more year(s) at the start, "
                     "but not contracted")
        mi = ind[m, y]
        mi.imports_t += t
        for c in s.countries:
            mi.by_country_t[c] = mi.by_country_t.get(c, 0.0) + t
        if s.pool == CHINA_POOL:
            mi.china_bought_t += t
        if d.ira_compliant(s):
            mi.ira_t += t
        mi.risk_weighted_t += d.supplier_risk(s) * t
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


def _check_recycling(d, plan, ind, v, tol) -> dict[tuple[str, int], int]:
    """Check module builds, capacity and feedstock; return the modules online per option-year."""
    modules_online = {}
    for r in d.recycling.values():
        builds = {y: plan.build_modules.get((r.option_id, y), 0) for y in d.years}
        if any(n < 0 for n in builds.values()) or sum(builds.values()) > r.max_modules - r.existing_modules:
            v.append(f"recycling {r.option_id}: builds {builds} exceed max_modules {r.max_modules}")
        for y in d.years:
            # A module built in t runs from t + lead time for its life.
            online = r.existing_modules + sum(n for t, n in builds.items()
                                              if t + r.lead_time_yr <= y < t + r.lead_time_yr + r.life_yr)
            modules_online[r.option_id, y] = online
            out = plan.recycled_t.get((r.option_id, y), 0.0)
            if out > r.module_capacity_t_per_yr * online + tol(r.mineral_id, y):
                v.append(f"recycling capacity {r.option_id} {y}: {out:,.3f} t from {online} modules "
                         f"of {r.module_capacity_t_per_yr:,.3f} t")
            ind[r.mineral_id, y].recycled_t += out
            ind[r.mineral_id, y].risk_weighted_t += d.home_risk() * out
    for m in d.minerals:
        for y in d.years:
            used = sum(plan.recycled_t.get((r.option_id, y), 0.0) / r.recovery_yield
                       for r in d.recycling_by_mineral[m])
            if used > d.feedstock_t.get((m, y), 0.0) + tol(m, y):
                v.append(f"feedstock {m} {y}: {used:,.3f} t used, {d.feedstock_t.get((m, y), 0.0):,.3f} t available")
    return modules_online


def _check_stockpile(d, plan, ind, v, tol):
    """Each exposure pool balances and is fed only by its own tonnes; the total stays under the
    maximum; demand balances; agreements are kept once joined."""
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
        prev = 0
        for y in d.years:
            j = plan.join.get((a.agreement_id, y), 0)
            if j and y < a.first_year:
                v.append(f"agreement {a.agreement_id} joined in {y}, before its first year {a.first_year}")
            if j < prev:
                v.append(f"agreement {a.agreement_id} left in {y}: membership is kept once taken")
            if a.member_at_start and not j:
                v.append(f"agreement {a.agreement_id} {y}: a member at the start, but not a member")
            prev = j
            if j:
                ind[a.mineral_id, y].agreement_volume_t += a.emergency_volume_t


def _check_policies(d, ind, v, tol):
    for (m, y), mi in ind.items():
        t, S = tol(m, y), mi.supply_t

        def limit(column):
            return d.limit(column, m, y)

        cap = limit("china_cap_share")
        if cap is not None and mi.china_t > cap * mi.consumed_t + t:
            v.append(f"China cap {m} {y}: share of consumption {mi.china_share:.6f} > {cap}")
        cap = limit("single_country_cap_share")
        if cap is not None:
            for c, ct in sorted(mi.by_country_t.items()):
                if ct > cap * S + t:
                    v.append(f"single-country cap {m} {y}: {c} share {mi.share(ct):.6f} > {cap}")
        cap = limit("risk_cap")
        if cap is not None and S > 0 and mi.risk_weighted_t > cap * S + t:
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
    for (r_id, built), n in plan.build_modules.items():
        r = d.recycling[r_id]
        # An annuity in every year the module runs inside the horizon.
        running = [y for y in d.years if built + r.lead_time_yr <= y < built + r.lead_time_yr + r.life_yr]
        annuity = r.capital_cost_usd_per_module * st.annuity_factor(r.life_yr)
        c["recycling_capital", r.mineral_id] += n * annuity * sum(df(y) for y in running)
    for (r, y), t in plan.recycled_t.items():
        c["recycling_operating", d.recycling[r].mineral_id] += df(y) * d.recycling[r].operating_cost_usd_per_t * t
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
    for (m, pool, y), t in plan.stock_t.items():  # the stock handed on, at what it would cost to replace
        if y == st.last_year and m in d.stockpile:
            c["terminal_stock", m] -= df(y) * d.stock_value_usd_per_t(m) * t
    if st.allow_unmet_demand:
        for (m, y), t in plan.unmet_t.items():
            c["shortage", m] += df(y) * d.minerals[m].shortage_penalty_usd_per_t * t
    return c
