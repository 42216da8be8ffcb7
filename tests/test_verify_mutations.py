"""A mutation audit of the independent verifier (``planner/verify.py``).

Small cases are solved once with HiGHS; each solved plan is then changed one way at a time: every
decision family (purchases, contracts, recycling, stock, agreements, unmet demand, each scenario's
recourse) and every figure the solve reports (objective, bound, gap).  A change that makes the plan
wrong beyond the verifier's tolerance must be rejected with a message naming the rule, the mineral,
option or agreement and the year; a change within the tolerance must pass.  Most changes are made
"with the objective repaired": the reported objective is set to the one the changed decisions cost
(and the solve's bound and gap dropped), so that only the rule itself can catch them, not the cost
check.  The figures the reports print (shares, risk, cover, costs, the disruption costs) are worked
here by hand from the data."""

from __future__ import annotations

import copy
import dataclasses
import functools
import math

import pytest

from conftest import TEST_OPTS
from factory import Agreement, PolicyLimits, RecyclingOption, StockpileRule, case, supplier
from models.dataset import DisruptionScenario, RecyclingPlant, Stream
from models.plan import OPTIMAL
from models.solve import Session
from planner.verify import OBJ_TOL, REL_TOL, VerificationError, _cvar_at_usd, cvar_usd, evaluate, verify

YEARS = (2024, 2025, 2026)


def rich_case(basis: str = "imports", scale: float = 1.0):
    """Three years at 5%, demand 100 t (times ``scale``), every policy limit set and most binding:
    China 10 USD/t (forced on), Australia 14 (at least 20 t; to 2027), Indonesia 11 (in force one more year),
    Chile refined in China 12 (to 2027), Russia sanctioned, a Chilean option from 2025; one recycling option
    (6 t modules, 12 t of feedstock at 90%), a stock of 5 t at most 20, a swap line of up to 10 t
    from 2025 and a joint stock Korea is a member of from the start."""
    k = scale
    policy = PolicyLimits(china_cap_share=0.5, single_country_cap_share=0.55, risk_cap=0.45, recycling_min_share=0.1,
                          stockpile_min_days=73, ira_min_share=0.2)
    suppliers = [supplier("cn", "CHN", 10, 1000 * k, fixed=50 * k, end=2026, contract="on"),
                 supplier("au", "AUS", 14, 60 * k, fixed=30 * k, min_volume=20 * k, end=2027),
                 supplier("cl", "CHL", 12, 50 * k, processing="CHN", end=2027),
                 supplier("id", "IDN", 11, 40 * k, end=2026, contract_years_left=1),
                 supplier("ru", "RUS", 5, 100 * k, end=2026),
                 supplier("late", "CHL", 13, 5 * k, first=2025, end=2026)]
    return case(suppliers, 100 * k, years=(2024, 2026), policy=policy, discount_rate=0.05, min_contract_years=2,
                recycling=[RecyclingOption("r", "li", 6 * k, 100 * k, 15, 0, 4, 0, 0.9)],
                feedstock={("li", y): 12.0 * k for y in YEARS},
                stockpile=[StockpileRule("li", 5 * k, 2, 1, 20 * k)],
                agreements=[Agreement("swap", "swap", ("JPN",), "li", 5 * k, 10 * k, 2025, fee_usd_per_t_yr=1),
                            Agreement("js", "joint_stockpile", ("JPN", "USA"), "li", 1 * k, 2 * k, 2024,
                                      member_at_start=True)],
                basis=basis)


def shortage_case():
    """Unmet demand allowed at 30 USD/t: above Australia's 20 t, what China's 10 t leave is not met."""
    d = case([supplier("cn", "CHN", 10, 10, end=2025), supplier("au", "AUS", 20, 20, end=2025)], 100,
             years=(2024, 2025), allow_unmet=True)
    d.minerals["li"] = dataclasses.replace(d.minerals["li"], shortage_penalty_usd_per_t=30.0)
    return d


def hedged_case():
    """Three years at 5%, demand 100 t, 73 days of cover; China 10 USD/t (forced on), Australia 20 with 30 t;
    one 40 t recycling module (15 USD/t, 45 t of feedstock); stock at most 40 t, released 30 days after the
    call and 4 t a month at most; a 10 t swap line delivering in 60 days.  China stops in 2025 with Japan
    able to help (p = 0.2) or hit too (p = 0.1), or loses half for 180 days of 2024 (p = 0.25).  CVaR
    weight 0.5 at 80%."""
    d = case([supplier("cn", "CHN", 10, 1000, end=2026, contract="on"), supplier("au", "AUS", 20, 30, end=2026)],
             100, years=(2024, 2026), discount_rate=0.05, policy=PolicyLimits(stockpile_min_days=73),
             recycling=[RecyclingOption("r", "li", 40, 1000, 15, 1, 1, 1, 1.0)],
             feedstock={("li", y): 45.0 for y in YEARS},
             stockpile=[StockpileRule("li", 0, 8, 4, 40, release_lead_days=30, max_release_t_per_month=4)],
             agreements=[Agreement("swap", "swap", ("JPN",), "li", 0, 10, 2024, fee_usd_per_t_yr=1,
                                   delivery_days=60)])
    scenarios = (DisruptionScenario("japan_helps", "china_stop", 0.2, {("cn", 2025): 1.0}, {("li", 2025): 2.0}),
                 DisruptionScenario("japan_hit", "china_stop", 0.1, {("cn", 2025): 1.0}, {("li", 2025): 2.0},
                                    partners_hit=frozenset({"JPN"})),
                 DisruptionScenario("half", "cut", 0.25, {("cn", 2024): 0.5}, {("li", 2024): 3.0},
                                    stop_days={("cn", 2024): 180}))
    d = dataclasses.replace(d, disruptions=scenarios,
                            settings=dataclasses.replace(d.settings, cvar_weight=0.5, cvar_level=0.8))
    d.minerals["li"] = dataclasses.replace(d.minerals["li"], shortage_penalty_usd_per_t=110.0)
    return d


def plant_case():
    """Two years, demand 100 t, Australia 10 USD/t and China 8; a stream plant processing up to 1,000 spent
    batteries a year of 1,000 (0.02 t of lithium each, 90% recovered: 18 t) at 0.1 USD a battery.  China stops
    in 2025 (p = 0.05), spot at 1.5 times the price."""
    stream = Stream("bat", "spent batteries", "unit", 1.0, {"li": 0.02}, {"li": 0.9}, {2024: 1000.0, 2025: 1000.0},
                    {0: 1.0})
    d = case([supplier("au", "AUS", 10, 1000, end=2025), supplier("cn", "CHN", 8, 1000, end=2025)], 100,
             years=(2024, 2025), recycling=[RecyclingOption("hydro:li", "li", 1000, 0, 0, 1, 1, 0, 0.9,
                                                            plant_id="hydro")])
    d = dataclasses.replace(d, streams={"bat": stream},
                            recycling_plants={"hydro": RecyclingPlant("hydro", "bat", 1000, 0, 0.1, 1, 1, 0)},
                            disruptions=(DisruptionScenario("stop", "stop", 0.05, {("cn", 2025): 1.0},
                                                            {("li", 2025): 1.5}),))
    d.minerals["li"] = dataclasses.replace(d.minerals["li"], shortage_penalty_usd_per_t=100.0)
    return d


CASES = {"rich": rich_case, "consumption": functools.partial(rich_case, "consumption"),
         "large": functools.partial(rich_case, scale=1e4), "shortage": shortage_case, "hedged": hedged_case,
         "plant": plant_case}


@functools.cache
def solved(name: str):
    """(data, plan) of a case, solved once per test process; tests change deep copies."""
    d = CASES[name]()
    plan = Session(d, hedged=bool(d.disruptions)).solve(TEST_OPTS, shadow_prices=False)
    assert plan.stats.status == OPTIMAL
    verify(d, plan)
    return d, plan


def recomputed_objective(d, plan) -> float:
    """What the plan's decisions cost as the verifier counts them (F, or F + (1-λ)E + λ CVaR(η))."""
    ev = evaluate(d, dataclasses.replace(plan, stats=dataclasses.replace(plan.stats, objective_usd=None)))
    if plan.recourse is None:
        return ev.total_usd
    st = d.settings
    if st.cvar_weight == 0:
        return ev.total_usd + ev.expected_recourse_usd
    outcomes = [(ev.scenario_cost_usd[sc.name], sc.probability) for sc in d.disruptions]
    return (ev.total_usd + (1 - st.cvar_weight) * ev.expected_recourse_usd
            + st.cvar_weight * _cvar_at_usd(outcomes, st.cvar_level, plan.recourse.var_usd))


def changed(name: str, change, repair: bool = True):
    """The case's data and a copy of its plan with ``change`` made (and the objective repaired)."""
    d, plan = solved(name)
    plan = copy.deepcopy(plan)
    change(plan)
    if repair:  # the cost of the changed decisions; the solve's bound was proved for others
        plan.stats = dataclasses.replace(plan.stats, objective_usd=recomputed_objective(d, plan), bound_usd=None,
                                         gap=None)
    return d, plan


def tol(d, m="li", y=2024) -> float:
    return REL_TOL * max(d.demand_t.get((m, y), 0.0), 1.0)


# ---- the changes ---------------------------------------------------------------------------------

def move(frm, to, y, t):
    """Buy ``t`` tonnes from ``to`` in place of ``frm`` in ``y``: the demand still balances."""
    def change(p):
        p.buy_t[frm, y] = p.buy_t.get((frm, y), 0.0) - t
        p.buy_t[to, y] = p.buy_t.get((to, y), 0.0) + t
    return change


def _values(p, family: str) -> dict:
    """A plan's values of ``family`` (``recourse.<name>`` for a recourse family)."""
    return getattr(p.recourse, family[9:]) if family.startswith("recourse.") else getattr(p, family)


def put(family, key, value):
    """Set one value of a decision family."""
    return lambda p: _values(p, family).__setitem__(key, value)


def add(family, key, dt):
    """Add ``dt`` to one value of a decision family."""
    return lambda p: _values(p, family).__setitem__(key, _values(p, family).get(key, 0.0) + dt)


def stats(**values):
    def change(p):
        p.stats = dataclasses.replace(p.stats, **values)
    return change


def objective_times(factor):
    def change(p):
        p.stats.objective_usd *= factor
    return change


def stock_path(pool, deltas):
    """Add ``deltas`` (year -> t) to the stock of ``pool`` in those years."""
    return lambda p: [p.stock_t.__setitem__(("li", pool, y), p.stock_t.get(("li", pool, y), 0.0) + dt)
                      for y, dt in deltas.items()]


def both(*changes):
    """The changes made one after the other."""
    return lambda p: [change(p) for change in changes]


def contracts(supplier_id, years, on):
    return lambda p: [p.contracted.__setitem__((supplier_id, y), on) for y in years]


# Each change to the rich case (imports basis): (change, what the verifier must say), the objective
# repaired.  The breaks test_outputs, test_metamorphic and test_verify_recourse make already (a cap, a
# balance, a capacity, a contract's length, a pool, a line ...) are not made again.
RICH = {
    # purchases
    "bought without a contract": (both(contracts("late", [2025], 0), move("cn", "late", 2025, 1.0)),
                                  "capacity late 2025"),
    "bought before the option exists": (move("cn", "late", 2024, 1.0), "buy late 2024"),
    "negative purchase": (move("cl", "cn", 2024, 1.0), "capacity cl 2024: -1.000 t"),
    # contracts
    # a plan that leaves rows out holds none of them: China's forced contract, Australia's minimum
    "a forced contract left out": (both(lambda p: (p.contracted.pop(("cn", 2026)), p.buy_t.pop(("cn", 2026))),
                                        add("buy_t", ("id", 2026), 17.5), add("buy_t", ("au", 2026), 22.5),
                                        add("buy_t", ("late", 2026), 5.0)),
                                   "contract cn 2026: forced on in the Suppliers sheet but not contracted"),
    "a minimum volume left out": (both(lambda p: p.buy_t.pop(("au", 2026)), add("buy_t", ("id", 2026), 17.5),
                                       add("buy_t", ("late", 2026), 5.0)),
                                  "minimum volume au 2026: 0.000 t < 20.000 t"),
    "a tail paid for no contract": (both(contracts("au", [2026], 0), put("start", ("au", 2026), 1)),
                                    "contract start au 2026: its years past 2026 are paid, but it is not contracted"),
    "a contract with a sanctioned option": (contracts("ru", [2024, 2025], 1), "contract ru 2024: contracted, but"),
    "a contract before the option exists": (contracts("late", [2024], 1), "contract late 2024: contracted, but"),
    # recycling
    "recycling above the modules": (put("build_modules", ("r", 2024), 1), "recycling capacity r 2024"),
    "a module taken down": (both(put("build_modules", ("r", 2024), 3), put("build_modules", ("r", 2025), -1)),
                            "build_modules r 2025: negative (-1 modules)"),
    # stock
    "release above the stock": (both(add("stock_release_t", ("li", "china", 2026), 9.0),
                                     stock_path("china", {2026: -9.0}), add("buy_t", ("cn", 2026), -9.0)),
                                "stock_t li china 2026: negative"),
    "cover below the mandate": (put("line_t", ("swap", 2025), 9.0), "stockpile cover li 2025"),
    # agreements
    "member at the start leaves": (both(put("join", ("js", 2024), 0), put("line_t", ("js", 2024), 0.0)),
                                   "agreement js 2024: a member at the start"),
    # numbers that are not (finite) numbers: a NaN passes every comparison
    "a purchase that is not a number": (put("buy_t", ("cn", 2024), math.nan), "buy_t cn 2024: nan"),
    "a stock that is not a number": (put("stock_t", ("li", "china", 2025), math.nan), "stock_t li china 2025: nan"),
    "a line that is no finite number": (put("line_t", ("swap", 2025), math.inf),
                                        "line_t swap 2025: inf is not a finite number"),
}

# Changes to the figures the solve reports, and to the costs behind them (no repair).
REPORTED = {
    "objective 3e-6 too high": (objective_times(1 + 3 * OBJ_TOL), "objective: recomputed F"),
    "objective 3e-6 too low": (objective_times(1 - 3 * OBJ_TOL), "objective: recomputed F"),
    "objective not a number": (stats(objective_usd=math.nan), "objective: recomputed F"),
    # the proof: a bound no higher than the cost, a gap that is their distance
    "bound above the objective": (lambda p: stats(bound_usd=p.stats.objective_usd * 1.01)(p), "bound: "),
    "gap understated": (lambda p: stats(bound_usd=p.stats.objective_usd * 0.99, gap=0.0)(p), "gap: "),
    "gap overstated": (lambda p: stats(bound_usd=p.stats.objective_usd * 0.99, gap=0.05)(p), "gap: "),
    "negative gap": (lambda p: stats(gap=-0.01)(p), "gap: "),
    "bound not a number": (stats(bound_usd=math.nan), "bound: nan is not a finite number"),
    "a purchase re-costed as recycling": (both(add("recycled_t", ("r", 2024), 0.5), add("buy_t", ("cn", 2024), -0.5)),
                                          "objective: recomputed F"),
}

# The consumption basis: China-linked tonnes consumed, the stock's China pool counted.
CONSUMPTION = {
    # 0.85 t more of the China pool released in 2025, 0.85 t less of the other pool: 50.85 t of 100
    "China pool released": (both(add("stock_release_t", ("li", "china", 2025), 0.85),
                                 add("stock_release_t", ("li", "other", 2025), -0.85),
                                 stock_path("china", {2025: -0.85, 2026: -0.85}),
                                 stock_path("other", {2025: 0.85, 2026: 0.85})),
                            "China cap li 2025: share of consumption 0.508500"),
    # 0.85 t of China's 2024 tonnes counted into the other pool, and released from it in 2025
    "China tonnes put in the other pool": (both(add("stock_add_t", ("li", "china", 2024), -0.85),
                                                add("stock_add_t", ("li", "other", 2024), 0.85),
                                                add("stock_release_t", ("li", "china", 2025), -0.85),
                                                add("stock_release_t", ("li", "other", 2025), 0.85),
                                                stock_path("china", {2024: -0.85}), stock_path("other", {2024: 0.85})),
                                           "China cap li 2024: share of consumption"),
}

# Unmet demand allowed: 70 t a year is not met.
SHORTAGE = {"negative unmet demand": (put("unmet_t", ("li", 2025), -1.0), "unmet_t li 2025: negative")}
SHORTAGE_REPORTED = {"a purchase re-costed as unmet demand": (both(add("unmet_t", ("li", 2024), 1.0),
                                                                   add("buy_t", ("au", 2024), -1.0)),
                                                              "objective: recomputed F")}


RECYCLE, RELEASE, CALL, SPOT = ("crisis_recycled_t", "r"), ("crisis_release_t", "china"), ("call_t", "swap"), \
    ("spot_t", "au")


def cover(w, y, frm, to, t):
    """In scenario ``w``, cover ``t`` tonnes of China's loss in ``y`` by ``to`` in place of ``frm`` (each a
    recourse family and what it draws on: the option recycling or sold spot, the pool, the agreement); the
    stock released is rebuilt, and the tonnes called given back, the year after, as the plan does."""
    def change(p):
        rc = p.recourse
        for (family, item), dt in ((frm, -t), (to, t)):
            key = (item, "cn", y, w) if family == "call_t" else ("cn", item, y, w)
            getattr(rc, family)[key] = getattr(rc, family).get(key, 0.0) + dt
            path = {"crisis_release_t": (rc.deficit_t, rc.rebuild_t, ("li", "china")),
                    "call_t": (rc.owed_t, rc.give_back_t, ("swap",))}.get(family)
            if path:
                held, back, head = path
                held[(*head, y, w)] = held.get((*head, y, w), 0.0) + dt
                back[(*head, y + 1, w)] = back.get((*head, y + 1, w), 0.0) + dt
    return change


# Each scenario's recourse, and the first stage under it.  The hedged plan: in both China stops 40 t
# recycled more, 10 t of stock released (rebuilt in 2026); when Japan helps 10 t called (given back
# in 2026), when Japan is hit 10 t spot from Australia; in 'half' (32.5 t lost over 180 days of 2024)
# 35.3 t recycled, 19.7 t released (the 4 t a month over the 150 days after the 30-day lead), 10 t
# called.
HEDGED = {
    **{f"crisis balance {w}": (add("recourse.crisis_recycled_t", ("cn", "r", y, w), -1.0),
                               f"crisis balance cn {y} {w}")
       for w, y in (("japan_helps", 2025), ("japan_hit", 2025), ("half", 2024))},
    **{f"crisis recycling above the module {w}": (cover(w, 2025, RELEASE, RECYCLE, 1.0),
                                                  f"crisis recycling capacity r 2025 {w}")
       for w in ("japan_helps", "japan_hit")},
    "release faster than 4 t a month": (cover("half", 2024, RECYCLE, RELEASE, 1.0), "release rate li 2024 half"),
    "release before the lead time": (cover("half", 2024, RECYCLE, RELEASE, 35.0), "release lead time cn 2024 half"),
    "call before the delivery time": (cover("half", 2024, RECYCLE, CALL, 34.0), "delivery time swap cn 2024 half"),
    "owed above the line": (cover("japan_helps", 2025, RECYCLE, CALL, 1.0),
                            "owed swap 2025 japan_helps: 11.000 t owed, above the 10.000 t line"),
    "owed out of balance": (add("recourse.owed_t", ("swap", 2024, "half"), -1.0), "owed balance swap 2024 half"),
    "deficit out of balance": (add("recourse.rebuild_t", ("li", "china", 2025, "half"), -1.0),
                               "deficit balance li china 2025 half"),
    "spot from an option hit": (cover("japan_helps", 2025, RECYCLE, ("spot_t", "cn"), 1.0),
                                "spot capacity cn 2025 japan_helps"),
    "recourse in a scenario there is not": (put("recourse.spot_t", ("cn", "au", 2025, "calm"), 1.0),
                                            "spot_t cn au 2025 calm: 1.000 t, but there is no disruption scenario"),
    "recourse not a number": (put("recourse.unmet_t", ("cn", 2025, "japan_hit"), math.nan),
                              "unmet_t cn 2025 japan_hit: nan"),
    "value at risk not a number": (lambda p: setattr(p.recourse, "var_usd", math.nan),
                                   "recourse var_usd: nan is not a finite number"),
    # the first stage under the scenarios
    "stock cut under its releases": (both(add("stock_release_t", ("li", "china", 2025), 3.0),
                                          stock_path("china", {2025: -3.0, 2026: -3.0}),
                                          add("buy_t", ("cn", 2025), -3.0)),
                                     "deficit li china 2025 japan_helps: 10.000 t released, more than the 7.000 t"),
    "line cut under its calls": (put("line_t", ("swap", 2024), 9.0),
                                 "owed swap 2024 half: 10.000 t owed, above the 9.000 t line"),
    "purchase cut under a scenario": (move("cn", "au", 2025, 1.0), "crisis balance cn 2025 japan_helps"),
}

# A stream plant runs as planned in a crisis (models.disruption): no crisis recycling from its output.
PLANT = {"crisis recycling from a stream plant": (put("recourse.crisis_recycled_t", ("cn", "hydro:li", 2025, "stop"),
                                                      1.0),
                                                  "crisis_recycled_t cn hydro:li 2025 stop: 1.000 t, but hydro:li is "
                                                  "a stream plant's output")}

# The scenario costs re-costed: the same tonnes, the reported objective kept.
HEDGED_REPORTED = {
    "recycled tonnes bought spot instead": (cover("half", 2024, RECYCLE, SPOT, 1.0), "objective: recomputed F + "),
}

# Each table's case is its first word; a "reported" table keeps the reported objective.
TABLES = {"rich": RICH, "rich reported": REPORTED, "consumption": CONSUMPTION, "shortage": SHORTAGE,
          "shortage reported": SHORTAGE_REPORTED, "hedged": HEDGED, "hedged reported": HEDGED_REPORTED, "plant": PLANT}
MUTATIONS = [(table, name) for table, rows in TABLES.items() for name in rows]


@pytest.mark.parametrize("table, name", MUTATIONS, ids=[f"{t}: {n}" for t, n in MUTATIONS])
def test_a_wrong_plan_is_rejected_with_what_is_wrong(table, name):
    change, expected = TABLES[table][name]
    d, plan = changed(table.split()[0], change, repair="reported" not in table)
    with pytest.raises(VerificationError) as exc:
        verify(d, plan)
    assert any(v.startswith(expected) for v in exc.value.violations), exc.value.violations


@pytest.mark.parametrize("over", ["bound", "cost"])
def test_a_gap_over_the_bound_or_over_the_cost_passes(over):
    """HiGHS's blocks report their distance over the bound, mpi-sppy over the plan's cost: both are the gap."""
    d, plan = solved("rich")
    cost = plan.stats.objective_usd
    bound = 0.99 * cost
    _, plan = changed("rich", stats(bound_usd=bound, gap=(cost - bound) / (bound if over == "bound" else cost)),
                      repair=False)
    verify(d, plan)


# ---- within the tolerance: noise a solver leaves never rejects a plan ------------------------------

FLOATS = ("buy_t", "recycled_t", "stock_t", "stock_add_t", "stock_release_t", "line_t", "unmet_t")
RECOURSE = ("spot_t", "crisis_recycled_t", "crisis_release_t", "rebuild_t", "deficit_t", "call_t", "give_back_t",
            "owed_t", "unmet_t")


# The families each plan holds values of (the deterministic plans meet all demand).
NOISE = {"rich": FLOATS[:-1], "consumption": FLOATS[:-1], "large": FLOATS[:-1], "shortage": ("buy_t", "unmet_t"),
         "hedged": FLOATS[:-1] + tuple(f"recourse.{f}" for f in RECOURSE),
         "plant": ("buy_t", "recycled_t", "processed_units", "recourse.spot_t")}


@pytest.mark.parametrize("name, family", [(n, f) for n, families in NOISE.items() for f in families])
def test_every_value_may_move_within_the_tolerance(name, family):
    """Each value of the family moved by 0.3 x the tolerance (relative to its mineral-year's demand),
    down where it is above it, up where not, one at a time: every plan passes."""
    d, plan = solved(name)
    values = _values(plan, family)
    assert values
    for key, value in values.items():
        y = key[-2] if family.startswith("recourse.") else key[-1]
        dt = 0.3 * tol(d, "li", y) * (-1 if value > tol(d, "li", y) else 1)
        d, bent = changed(name, add(family, key, dt))
        ev = evaluate(d, bent)
        assert not ev.violations, (key, dt, ev.violations)


@pytest.mark.parametrize("name", ["rich", "large", "hedged"])
@pytest.mark.parametrize("times, rejected", [(0.3, False), (3.0, True)])
def test_the_tolerances_are_relative_to_demand_and_to_the_objective(name, times, rejected):
    """The same relative error passes (0.3 x the tolerance) or is rejected (3 x) at 100 t and
    10^6 t of demand: tonnes against REL_TOL of the mineral-year's demand, USD against OBJ_TOL of the
    objective (37 M USD in the large case)."""
    d, _ = solved(name)
    short = times * tol(d)
    for change, expected in ((add("buy_t", ("cn", 2024), -short), "demand balance li 2024"),
                             (objective_times(1 + times * OBJ_TOL), "objective: recomputed")):
        _, plan = changed(name, change, repair=expected != "objective: recomputed")
        found = [v for v in evaluate(d, plan).violations if v.startswith(expected)]
        assert bool(found) == rejected, (expected, evaluate(d, plan).violations)


# ---- the figures the reports print, recomputed by hand ------------------------------------------

def _by_hand(d, plan, y):
    """China share (of tonnes on the basis, of value, mined, refined), top country share, average risk, IRA
    share, recycling share, days of cover and the IEA's days of stock of li in ``y``, from the data and the
    plan's numbers."""
    bought = {s: plan.buy_t.get((s, y), 0.0) for s in d.suppliers}
    imports = sum(bought.values())
    recycled = sum(t for (r, yy), t in plan.recycled_t.items() if yy == y)
    china = sum(t for s, t in bought.items() if "CHN" in d.suppliers[s].countries)
    demand, unmet = d.demand_t["li", y], plan.unmet_t.get(("li", y), 0.0)
    by_country = {}
    for s, t in bought.items():
        for c in {d.suppliers[s].origin_country, d.suppliers[s].processing_country}:
            by_country[c] = by_country.get(c, 0.0) + t
    risk = sum(d.supplier_risk(d.suppliers[s]) * t for s, t in bought.items())
    ira = sum(t for s, t in bought.items() if d.ira_compliant(d.suppliers[s]))
    if d.settings.reliance_basis == "imports":
        base, china_share = imports, china / imports
    else:
        base = imports + recycled
        china_consumed = (china - plan.stock_add_t.get(("li", "china", y), 0.0)
                          + plan.stock_release_t.get(("li", "china", y), 0.0))
        china_share = china_consumed / (demand - unmet)
        risk += d.home_risk() * recycled
    stock = sum(t for (m, _p, yy), t in plan.stock_t.items() if yy == y)
    cover = stock + sum(t for (a, yy), t in plan.line_t.items() if yy == y)
    value = {s: t * d.price_usd_per_t(d.suppliers[s], y) for s, t in bought.items()}
    mined = sum(t for s, t in bought.items() if d.suppliers[s].origin_country == "CHN")
    refined = sum(t for s, t in bought.items() if d.suppliers[s].processing_country == "CHN")
    before = sum(t for (s, yy), t in plan.buy_t.items() if yy == max(y - 1, YEARS[0]))
    return {"china_share": china_share, "top_country": max(by_country.values()) / base, "avg_risk": risk / base,
            "ira_share": ira / base, "recycling_share": recycled / demand, "stockpile_days": cover / demand * 365,
            "china_share_value": sum(u for s, u in value.items() if "CHN" in d.suppliers[s].countries)
            / sum(value.values()), "china_share_mining": mined / base, "china_share_refining": refined / base,
            "stock_days_iea": stock / before * 365}


def _figures(mi):
    return {"china_share": mi.china_share, "top_country": mi.top_country[1], "avg_risk": mi.avg_risk,
            "ira_share": mi.ira_share, "recycling_share": mi.recycling_share, "stockpile_days": mi.stockpile_days,
            "china_share_value": mi.china_share_value, "china_share_mining": mi.china_share_mining,
            "china_share_refining": mi.china_share_refining, "stock_days_iea": mi.stock_days_iea}


FIGURE_CHANGES = {
    "as solved": lambda p: None,
    "1 t from Indonesia to Australia": move("id", "au", 2025, 1.0),
    "0.7 t recycled in place of China's": both(add("recycled_t", ("r", 2025), 0.7), add("buy_t", ("cn", 2025), -0.7)),
    "1 t more stock in 2026": both(add("stock_add_t", ("li", "china", 2026), 1.0), stock_path("china", {2026: 1.0}),
                                   add("buy_t", ("au", 2026), 1.0)),
}


@pytest.mark.parametrize("name", ["rich", "consumption", "large"])
@pytest.mark.parametrize("what", list(FIGURE_CHANGES))
def test_the_reported_figures_are_the_plans(name, what):
    """Every share, the risk, the cover and the cost the reports print are the plan's, as worked by
    hand from the data, as solved and after a change that keeps the plan valid."""
    d, plan = changed(name, FIGURE_CHANGES[what], repair=what != "as solved")
    ev = verify(d, plan)
    for y in YEARS:
        assert _figures(ev.indicators["li", y]) == pytest.approx(_by_hand(d, plan, y), rel=1e-12, abs=1e-12), y
    df = d.settings.discount_factor
    purchases = sum(df(y) * d.price_usd_per_t(d.suppliers[s], y) * t for (s, y), t in plan.buy_t.items())
    assert ev.costs_usd["purchases"] == pytest.approx(purchases, rel=1e-12)
    if what == "as solved":  # and the parts add up to what HiGHS reported
        assert ev.total_usd == pytest.approx(plan.stats.objective_usd, rel=1e-9)


def test_the_disruption_figures_are_the_scenarios():
    """The expected disruption cost and the CVaR the hedged report prints: Σ p C_ω, and the least of
    Rockafellar and Uryasev's function over η, worked from the scenario costs; the objective they make
    is the one HiGHS reported."""
    d, plan = solved("hedged")
    ev = verify(d, plan)
    outcomes = [(ev.scenario_cost_usd[sc.name], sc.probability) for sc in d.disruptions]
    assert ev.expected_recourse_usd == pytest.approx(sum(c * p for c, p in outcomes), rel=1e-12)
    kinks = (0.0, *(c for c, _p in outcomes))
    assert ev.cvar_usd == pytest.approx(min(_cvar_at_usd(outcomes, 0.8, eta) for eta in kinks), rel=1e-12)
    assert ev.cvar_usd == pytest.approx(cvar_usd(outcomes, 0.8))
    assert plan.stats.objective_usd == pytest.approx(ev.total_usd + 0.5 * ev.expected_recourse_usd
                                                     + 0.5 * _cvar_at_usd(outcomes, 0.8, plan.recourse.var_usd),
                                                     rel=1e-9)


# ---- the command line: a plan the verifier rejects is never reported --------------------------------

def _earlier_outputs(out, stem, kind):
    """Outputs of an earlier run, as files the run must leave as they were."""
    out.mkdir()
    earlier = {out / f"{stem}-{kind}.{x}": f"an earlier {kind}.{x}".encode() for x in ("xlsx", "html", "json")}
    for path, data in earlier.items():
        path.write_bytes(data)
    return earlier


@pytest.mark.parametrize("command", ["solve", "stress"])
def test_a_plan_the_verifier_rejects_ends_the_run_with_nothing_written(tmp_path, monkeypatch, command):
    """The solve's plan broken after HiGHS, the verifier untouched: `solve` loses 1 t of the largest
    purchase, `stress` 1 t of what covers the largest crisis loss of one scenario.  The run ends with exit
    code 5 (README: an internal error, a plan that failed independent verification), names the rule
    broken, and writes nothing: the earlier outputs are as they were and no temporary is left."""
    from click.testing import CliRunner

    from factory import default_tables_for
    from planner.cli import main
    from planner.workbook.errors import EXIT_INTERNAL
    from planner.workbook.writer import write_input_workbook

    workbook = write_input_workbook(default_tables_for("gallium"), tmp_path / "gallium.xlsx")
    earlier = _earlier_outputs(tmp_path / "out", "gallium", "plan" if command == "solve" else "stress")
    solve, broken = Session.solve, []

    def solve_and_break(session, *args, **kwargs):
        plan = solve(session, *args, **kwargs)
        if command == "solve":
            (s, y), t = max(plan.buy_t.items(), key=lambda kv: kv[1])
            plan.buy_t[s, y] = t - 1.0
            broken.append(f"demand balance gallium {y}")
        elif plan.recourse is not None:
            rows = [(name, k, t) for name in ("spot_t", "crisis_recycled_t", "crisis_release_t", "unmet_t")
                    for k, t in getattr(plan.recourse, name).items() if t > 1.0]
            name, k, t = max(rows, key=lambda row: row[2])
            getattr(plan.recourse, name)[k] = t - 1.0
            broken.append(f"crisis balance {k[0]} {k[-2]} {k[-1]}")
        return plan

    monkeypatch.setattr(Session, "solve", solve_and_break)
    result = CliRunner().invoke(main, [command, str(workbook), "-o", str(tmp_path / "out")])
    assert result.exit_code == EXIT_INTERNAL == 5, result.output
    assert broken and "failed independent verification" in result.output, result.output
    assert f"  - {broken[0]}" in result.output, result.output
    assert "Traceback" not in result.output
    assert sorted((tmp_path / "out").iterdir()) == sorted(earlier)
    assert all(path.read_bytes() == data for path, data in earlier.items())


def test_a_study_with_a_plan_the_verifier_rejects_reports_it_beside_the_earlier_report(tmp_path, monkeypatch):
    """compare with every plan broken after HiGHS: it wrote its report, the failed cases marked, over the
    earlier complete report, then ended with exit 5, a failed run that lost the earlier outputs.  Now the
    report goes to <name>-failed.* and the earlier report is as it was."""
    from click.testing import CliRunner

    from factory import default_tables_for
    from planner.cli import main
    from planner.workbook.writer import write_input_workbook

    workbook = write_input_workbook(default_tables_for("gallium"), tmp_path / "gallium.xlsx")
    earlier = _earlier_outputs(tmp_path / "out", "gallium", "compare-gallium_ban")
    solve = Session.solve

    def solve_and_break(session, *args, **kwargs):
        plan = solve(session, *args, **kwargs)
        (s, y), t = max(plan.buy_t.items(), key=lambda kv: kv[1])
        plan.buy_t[s, y] = t - 1.0
        return plan

    monkeypatch.setattr(Session, "solve", solve_and_break)
    result = CliRunner().invoke(main, ["compare", str(workbook), "-s", "gallium_ban", "-j", "1",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 5, result.output
    assert "failed independent verification" in result.output and "-failed report" in result.output
    assert all(path.read_bytes() == data for path, data in earlier.items())
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [*(p.name for p in earlier), *(f"gallium-compare-gallium_ban-failed.{x}" for x in ("html", "json", "xlsx"))])
