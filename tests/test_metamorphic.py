"""Metamorphic and known-answer tests of the algebra and the verifier.

A metamorphic test changes a case in a way whose effect on the least cost is known without
solving it (more supply never costs more; renaming, reordering or moving the calendar changes
nothing; half an option twice is the option; a limit at what the plan already does is no limit; a
likelier disruption, or more risk aversion, never makes the hedged plan cheaper; pooling never
loses) and solves both.  The known answers are small cases priced by hand in their docstrings.
The verifier is shown a verified plan broken one way at a time and must name each break.

Cost comparisons go through HiGHS's proven bounds, as in test_model_properties: if A's optimum can
be no lower than B's, A's cost must be at least B's bound.
"""

import dataclasses
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TEST_OPTS
from factory import Agreement, PolicyLimits, RecyclingOption, StockpileRule, case, supplier
from models.dataset import (
    CountryStop, DisruptionRisk, DisruptionScenario, Partner, PlanningData, RecyclingPlant, Refinery, Stream,
)
from models.plan import OPTIMAL
from models.sampling import sample_disruptions
from models.solve import Session
from planner.studies.games import shapley
from planner.verify import evaluate, verify
from test_coalition import game

YEARS = (2024, 2026)
EXAMPLES = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tol(usd: float) -> float:
    """Room for HiGHS's tolerances in a cost comparison (1e-9 relative gap, 1 USD absolute)."""
    return 1e-7 * abs(usd) + 2.0


def solve(d, hedged: bool = False):
    return Session(d, hedged=hedged).solve(TEST_OPTS, shadow_prices=False)


def no_dearer(cheaper, dearer) -> bool:
    """``cheaper``'s optimum is no higher than ``dearer``'s, within what the two solves prove."""
    return cheaper.stats.bound_usd <= dearer.stats.objective_usd + tol(dearer.stats.objective_usd)


def same_cost(a, b) -> bool:
    return no_dearer(a, b) and no_dearer(b, a)


@st.composite
def cases(draw, disruptions: bool = False):
    """A random three-year lithium case touching every family of the deterministic model: routes by
    mining and refining country, contracts in force, ramp-ups and accessible shares, a Korean
    refinery, recycling, the stock, an agreement, every policy limit, either reliance basis and,
    if asked, one to three disruptions."""
    sups = []
    for i in range(draw(st.integers(2, 4))):
        origin = draw(st.sampled_from(["CHN", "AUS", "CHL", "IDN", "KOR"]))
        cap = draw(st.integers(20, 120))
        first = draw(st.sampled_from([2024, 2024, 2025]))
        sups.append(dataclasses.replace(
            supplier(f"s{i}", origin, draw(st.integers(50, 200)), cap,
                     processing=draw(st.sampled_from([origin, "CHN", "AUS", "KOR"])),
                     fixed=draw(st.sampled_from([0, 0, 300, 2000])), min_volume=draw(st.sampled_from([0, 0, 15])),
                     escalation=draw(st.sampled_from([0, 0.05])), first=first,
                     last=draw(st.sampled_from([2026, 2025, 2030])),
                     contract_years_left=draw(st.sampled_from([0, 0, 1, 2])) if first == 2024 else 0),
            ramp_up=draw(st.sampled_from([(), (0.5,)])), accessible_share=draw(st.sampled_from([1.0, 0.7]))))
    refinery = draw(st.booleans())
    if refinery:
        sups.append(dataclasses.replace(supplier("feed", "AUS", 60, 100, processing="KOR", end=YEARS[1]),
                                        refinery_id="kr"))
    policy = PolicyLimits(
        china_cap_share=draw(st.sampled_from([None, 0.4, 0.6])),
        single_country_cap_share=draw(st.sampled_from([None, 0.7])),
        risk_cap=draw(st.sampled_from([None, 0.35, 0.5])),
        recycling_min_share=draw(st.sampled_from([None, 0.05, 0.15])),
        stockpile_min_days=draw(st.sampled_from([None, 20, 60])),
        ira_min_share=draw(st.sampled_from([None, None, 0.1])),
        mining_country_cap_share=draw(st.sampled_from([None, 0.65])),
        refining_country_cap_share=draw(st.sampled_from([None, 0.65])))
    agreements = [Agreement("ag", "joint_stockpile", ("AUS",), "li", 400, 6, 2025, fee_usd_per_t_yr=2)] \
        if draw(st.booleans()) else []
    d = case(sups, draw(st.integers(40, 120)), years=YEARS, policy=policy,
             discount_rate=draw(st.sampled_from([0.0, 0.05])), min_contract_years=draw(st.sampled_from([1, 2, 3])),
             recycling=[RecyclingOption("r", "li", 15, 800, 120, 2, 5, 1, 0.9)],
             feedstock={("li", y): 50.0 for y in range(YEARS[0], YEARS[1] + 1)},
             stockpile=[StockpileRule("li", draw(st.sampled_from([0, 5, 30])), 8, 3, 200,
                                      initial_china_share=draw(st.sampled_from([1.0, 0.0, 0.5])))],
             agreements=agreements, basis=draw(st.sampled_from(["imports", "consumption"])),
             allow_unmet=draw(st.sampled_from([False, True])))
    d.minerals["li"] = dataclasses.replace(d.minerals["li"], shortage_penalty_usd_per_t=1000.0)
    if refinery:
        d = dataclasses.replace(d, refineries={"kr": Refinery("kr", "li", 40, 500, 5, draw(st.integers(0, 1)),
                                                              2, 1, 5)})
    if disruptions:
        ids = [s.supplier_id for s in sups]
        d = dataclasses.replace(d, disruptions=tuple(
            DisruptionScenario(f"w{j}", "e", draw(st.sampled_from([0.05, 0.1, 0.2])),
                               {(draw(st.sampled_from(ids)), y): draw(st.sampled_from([0.3, 1.0]))},
                               {("li", y): draw(st.sampled_from([1.0, 2.0]))},
                               partners_hit=frozenset(draw(st.sampled_from([(), ("AUS",)]))))
            for j, y in enumerate(draw(st.lists(st.sampled_from([2025, 2026]), min_size=1, max_size=3)))))
    return d


# ---- disruptions: a likelier crisis never makes a plan cheaper ------------------------------------

def idle_recycler(probability: float = 0.5):
    """One year, demand 100 t.  China 10 USD/t, Australia 20 USD/t, 100 t each; China at most half
    of imports.  A recycler already built recovers up to 40 t at 16 USD/t.  A recycled tonne cuts
    imports, and with them China's room, so it replaces half a tonne of each (15 USD): the least-cost
    plan buys 50 t of each and recycles nothing, 1,500 USD.  Australia may deliver nothing."""
    d = case([supplier("cn", "CHN", 10, 100), supplier("au", "AUS", 20, 100)], 100,
             policy=PolicyLimits(china_cap_share=0.5), recycling=[RecyclingOption("r", "li", 40, 0, 16, 1, 1, 0, 1.0)],
             feedstock={("li", 2024): 100.0})
    return dataclasses.replace(d, disruptions=(
        DisruptionScenario("au_stop", "stop", probability, {("au", 2024): 1.0}, {("li", 2024): 1.0}),))


def test_a_crisis_is_no_way_around_a_cap_for_recycling_as_for_spot():
    """In the crisis the 50 lost Australian tonnes are replaced, caps aside, by 40 t of extra recycling
    and 10 t spot from China's spare capacity.  Priced like for like, as a spot tonne is (at least the
    tonne it replaces: 20 USD), the crisis costs 0: 40 x 20 + 10 x 20 - 50 x 20.  Priced at its 16 USD
    operating cost, recycling made the crisis a saving of 160 USD, so the likelier the stop, the
    cheaper the hedged plan: a crisis as a way around the China cap, which no spot tonne is allowed
    to be.  With like for like the hedged plan is the least-cost plan, 1,500 USD at any probability."""
    d = idle_recycler()
    least = Session(d)
    plan = least.solve(TEST_OPTS, shadow_prices=False)
    assert plan.stats.objective_usd == pytest.approx(1500) and plan.recycled_t["r", 2024] == pytest.approx(0)
    tested = Session(d, hedged=True).held_at(least.model)
    ev = verify(d, tested.solve(TEST_OPTS, shadow_prices=False))
    assert ev.scenario_cost_usd["au_stop"] == pytest.approx(0, abs=1e-6)
    for p in (0.25, 0.5, 1.0):
        hedged = solve(idle_recycler(p), hedged=True)
        assert hedged.stats.objective_usd == pytest.approx(1500)
        assert verify(idle_recycler(p), hedged).scenario_cost_usd["au_stop"] >= -1e-6


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(disruptions=True))
def test_a_likelier_disruption_never_makes_the_hedged_plan_cheaper(d):
    """Every probability doubled (they stay valid): the hedged objective F + Σ p_ω C_ω cannot fall
    when every C_ω >= 0, which like-for-like pricing of every replacement and shortage costs above
    every price make true of any first stage; and the plan verifies, scenario by scenario."""
    base = solve(d, hedged=True)
    if base.stats.status != OPTIMAL:
        return
    assert evaluate(d, base).violations == []
    likelier = solve(dataclasses.replace(d, disruptions=tuple(
        dataclasses.replace(sc, probability=2 * sc.probability) for sc in d.disruptions)), hedged=True)
    assert likelier.stats.status == OPTIMAL and no_dearer(base, likelier)


@EXAMPLES
@given(cases(disruptions=True))
def test_a_disruption_never_makes_the_least_cost_plan_cheaper(d):
    """The least-cost plan held and every disruption solved against it: each C_ω >= 0 (what the plan
    costs with the disruption is never below what it costs with nothing happening), and a scenario
    at probability 0 changes no hedged cost."""
    least = Session(d)
    if least.solve(TEST_OPTS, shadow_prices=False).stats.status != OPTIMAL:
        return
    tested = Session(d, hedged=True).held_at(least.model)
    plan = tested.solve(TEST_OPTS, shadow_prices=False)
    assert plan.stats.status == OPTIMAL
    assert min(verify(d, plan).scenario_cost_usd.values()) >= -1e-6
    hedged = solve(d, hedged=True)
    never = dataclasses.replace(d.disruptions[0], name="never", probability=0.0,
                                loss={k: 1.0 for k in d.disruptions[0].loss})
    assert same_cost(hedged, solve(dataclasses.replace(d, disruptions=(*d.disruptions, never)), hedged=True))


def test_a_risk_averse_plan_of_a_case_with_a_mineral_no_disruption_hits():
    """Lithium from Australia (10 USD/t) and cobalt from Chile (20 USD/t), 100 t each; Australia may
    lose half of it (p = 0.1), its spare capacity selling spot at twice the price: 50 t x 20 - 50 t x
    10 = 500 USD.  Cobalt is never hit, so it is a block of its own, and the CVaR term's own columns
    belong to no mineral: the solve used to stop on them (a TypeError naming the blocks).  With
    λ = 0.5 and α = 0.9 the worst tenth is the stop itself: 3,000 + 0.5 x 50 + 0.5 x 500 = 3,275."""
    d = case([supplier("au", "AUS", 10, 1000), supplier("cl", "CHL", 20, 1000, mineral="co")], 100,
             minerals=("li", "co"))
    d = dataclasses.replace(d, settings=dataclasses.replace(d.settings, cvar_weight=0.5, cvar_level=0.9),
                            disruptions=(DisruptionScenario("au_half", "cut", 0.1, {("au", 2024): 0.5},
                                                            {("li", 2024): 2.0}),))
    plan = solve(d, hedged=True)
    ev = verify(d, plan)
    assert plan.stats.objective_usd == pytest.approx(3275) and ev.cvar_usd == pytest.approx(500)
    assert plan.stats.decomposition == "2 blocks, one per mineral: no constraint links two minerals"


RISK = {"weight": dict(cvar_weight=0.5), "level": dict(cvar_weight=0.3, cvar_level=0.95)}


@EXAMPLES
@given(cases(disruptions=True), st.sampled_from(list(RISK)))
def test_more_risk_aversion_never_lowers_the_hedged_objective_and_an_outcome_split_in_two_is_the_same(d, more):
    """CVaR >= E for any plan, and CVaR rises with its level: a larger weight λ or level α never lowers
    F + (1 - λ) E + λ CVaR.  A scenario split into two identical halves of its probability is the same
    distribution of costs, so the same objective, risk-averse or not."""
    d = dataclasses.replace(d, settings=dataclasses.replace(d.settings, cvar_weight=0.2))
    base = solve(d, hedged=True)
    if base.stats.status != OPTIMAL:
        return
    assert evaluate(d, base).violations == []
    averse = solve(dataclasses.replace(d, settings=dataclasses.replace(d.settings, **RISK[more])), hedged=True)
    assert averse.stats.status == OPTIMAL and no_dearer(base, averse)
    first, *rest = d.disruptions
    halves = tuple(dataclasses.replace(first, name=f"{first.name}{h}", probability=first.probability / 2) for h in "ab")
    assert same_cost(base, solve(dataclasses.replace(d, disruptions=(*halves, *rest)), hedged=True))


# ---- more supply never costs more ------------------------------------------------------------------

def more_supply(d, how: str, k: int):
    """``d`` with one option made more useful, or one more option: every plan of ``d`` stays a plan."""
    ids = [s for s in d.suppliers if s != "feed"]
    s = d.suppliers[ids[k % len(ids)]]
    changed = {"cheaper": dataclasses.replace(s, price_usd_per_t=s.price_usd_per_t / 2),
               "capacity": dataclasses.replace(s, capacity_t_per_yr=2 * s.capacity_t_per_yr),
               "access": dataclasses.replace(s, accessible_share=1.0),
               # A ramp-up counts from the first year, and the minimum volume ramps up with it.
               "earlier": dataclasses.replace(s, first_year=YEARS[0] if not s.ramp_up else s.first_year),
               "added": supplier("new", "CHL", 30 + 40 * k, 5 + 10 * k, end=YEARS[1])}[how]
    return dataclasses.replace(d, suppliers={**d.suppliers, changed.supplier_id: changed})


@EXAMPLES
@given(cases(), st.sampled_from(["cheaper", "capacity", "access", "earlier", "added"]), st.integers(0, 3))
def test_more_supply_never_raises_the_least_cost(d, how, k):
    """A cheaper option, more capacity, more of it accessible, an earlier start or one more option:
    every plan stays feasible and costs no more.  An option's price and a new option also move the
    credit for the stock handed on (the last year's lowest price, v_m), so those two are checked with
    the credit off: with it on, a 1 t option at half price sets v_m for the whole stock (one year,
    demand 100 t, 50 t of cover handed on, Australia at 100 USD/t: 10,000 USD; a 1 t Chilean option
    at 50 USD/t makes it 12,450, and with a fixed cost no plan pays, 12,500)."""
    if how in ("cheaper", "added"):
        d = dataclasses.replace(d, settings=dataclasses.replace(d.settings, terminal_stock_credit=False))
    base = solve(d)
    if base.stats.status != OPTIMAL:
        return
    more = solve(more_supply(d, how, k))
    assert more.stats.status == OPTIMAL and no_dearer(more, base)


# ---- names, order and dates mean nothing ------------------------------------------------------------

# Every id renamed (China keeps its code: the model knows it by name), and Korea's with the home country.
COUNTRY = {"KOR": "HOM", "AUS": "ZAU", "CHL": "ACL", "IDN": "MID", "CHN": "CHN", "RUS": "XRU"}
MINERAL = {"li": "aa"}


def renamed(d, years: int = 7):
    """``d`` with every supplier, option, agreement, refinery, mineral and country renamed, every
    table's rows in the reverse order, and its calendar moved ``years`` later (the horizon, the price
    year, every option's and agreement's years and every year a table is keyed by)."""
    def sid(s):
        return f"z{s[::-1]}"

    def rows(table, key=lambda k: k, value=lambda v: v):
        return {key(k): value(v) for k, v in reversed(list(table.items()))}

    def my(k):  # a (mineral, year) key
        return MINERAL[k[0]], k[1] + years

    def sy(k):  # a (supplier, year) key
        return sid(k[0]), k[1] + years

    r, st_ = dataclasses.replace, d.settings
    scenarios = tuple(r(sc, name=sid(sc.name), loss=rows(sc.loss, sy), spot_multiplier=rows(sc.spot_multiplier, my),
                        stop_days=rows(sc.stop_days, sy), onset_days=rows(sc.onset_days, sy),
                        partners_hit=frozenset(COUNTRY[c] for c in sc.partners_hit)) for sc in reversed(d.disruptions))
    return r(
        d, settings=r(st_, home_country=COUNTRY[st_.home_country], first_year=st_.first_year + years,
                      last_year=st_.last_year + years, price_year=st_.price_year + years),
        minerals=rows(d.minerals, MINERAL.get, lambda m: r(m, mineral_id=MINERAL[m.mineral_id])),
        countries=rows(d.countries, COUNTRY.get, lambda c: r(c, country_code=COUNTRY[c.country_code])),
        suppliers=rows(d.suppliers, sid, lambda s: r(
            s, supplier_id=sid(s.supplier_id), mineral_id=MINERAL[s.mineral_id],
            origin_country=COUNTRY[s.origin_country], processing_country=COUNTRY[s.processing_country],
            refinery_id=s.refinery_id and sid(s.refinery_id), first_year=s.first_year + years,
            last_year=s.last_year + years)),
        demand_t=rows(d.demand_t, my), feedstock_t=rows(d.feedstock_t, my), policy=rows(d.policy, my),
        recycling=rows(d.recycling, sid, lambda o: r(o, option_id=sid(o.option_id), mineral_id=MINERAL[o.mineral_id])),
        stockpile=rows(d.stockpile, MINERAL.get, lambda s: r(s, mineral_id=MINERAL[s.mineral_id])),
        agreements=rows(d.agreements, sid, lambda a: r(
            a, agreement_id=sid(a.agreement_id), mineral_id=MINERAL[a.mineral_id], first_year=a.first_year + years,
            partner_countries=tuple(COUNTRY[c] for c in a.partner_countries))),
        refineries=rows(d.refineries, sid, lambda k: r(k, refinery_id=sid(k.refinery_id),
                                                       mineral_id=MINERAL[k.mineral_id])),
        disruptions=scenarios)


@EXAMPLES
@given(cases(disruptions=True), st.booleans())
def test_renaming_every_id_reversing_every_table_and_moving_the_calendar_change_no_cost(d, hedged):
    """The same least cost (or hedged cost), each plan verified against its own case."""
    a, b = solve(d, hedged), solve(renamed(d), hedged)
    assert a.stats.status == b.stats.status
    if a.stats.status == OPTIMAL:
        assert same_cost(a, b)
        assert evaluate(renamed(d), b).violations == []


def halved(d, sid: str):
    """``d`` with option ``sid`` split into two identical halves of its capacity, each losing what it
    lost in every disruption."""
    s = d.suppliers[sid]
    halves = {f"{sid}{h}": dataclasses.replace(s, supplier_id=f"{sid}{h}", capacity_t_per_yr=s.capacity_t_per_yr / 2)
              for h in "ab"}
    scenarios = tuple(dataclasses.replace(sc, loss={**{k: v for k, v in sc.loss.items() if k[0] != sid}, **{
        (h, y): v for (x, y), v in sc.loss.items() if x == sid for h in halves}}) for sc in d.disruptions)
    return dataclasses.replace(d, suppliers={**{k: v for k, v in d.suppliers.items() if k != sid}, **halves},
                               disruptions=scenarios)


@EXAMPLES
@given(cases(disruptions=True), st.integers(0, 3), st.booleans())
def test_two_halves_of_an_option_are_the_option(d, k, hedged):
    """Without a fixed cost or a minimum volume (which each half would carry whole) an option and its
    two halves offer the same plans at the same costs, in every scenario too."""
    ids = [s for s in d.suppliers if s != "feed"]
    sid = ids[k % len(ids)]
    d.suppliers[sid] = dataclasses.replace(d.suppliers[sid], fixed_cost_usd_per_yr=0.0, min_volume_t_per_yr=0.0)
    a, b = solve(d, hedged), solve(halved(d, sid), hedged)
    assert a.stats.status == b.stats.status
    if a.stats.status == OPTIMAL:
        assert same_cost(a, b)


# ---- a limit at what the plan already does is no limit ----------------------------------------------

# Each Policy column, and what the verified plan achieves of it in (m, y).
ACHIEVED = {"china_cap_share": lambda i: i.china_share,
            "single_country_cap_share": lambda i: i.top()[1],
            "mining_country_cap_share": lambda i: i.top("mining")[1],
            "refining_country_cap_share": lambda i: i.top("refining")[1],
            "risk_cap": lambda i: i.avg_risk,
            "ira_min_share": lambda i: i.ira_share,
            "recycling_min_share": lambda i: i.recycling_share,
            "stockpile_min_days": lambda i: i.stockpile_days}


@EXAMPLES
@given(cases(), st.sampled_from(list(ACHIEVED)))
def test_a_limit_set_to_what_the_plan_achieves_changes_nothing(d, column):
    """Solve, then set one Policy limit in every year to what the verified plan achieves of it: the
    plan still meets it, so the least cost cannot change.  A cap of 100% is no cap."""
    s = Session(d)
    base = s.solve(TEST_OPTS, shadow_prices=False)
    if base.stats.status != OPTIMAL:
        return
    ev = verify(d, base)
    s.set_limits(column, {k: ACHIEVED[column](ev.indicators[k]) for k in ev.indicators})
    again = s.solve(TEST_OPTS, shadow_prices=False)
    assert again.stats.status == OPTIMAL and same_cost(base, again)
    if column.endswith("cap_share"):
        every = list(ev.indicators)
        none, full = solve(d.with_limit(column, None, every)), solve(d.with_limit(column, 1.0, every))
        assert none.stats.status == full.stats.status == OPTIMAL and same_cost(none, full)


# ---- the stage caps, priced by hand -----------------------------------------------------------------

def two_stages(basis: str = "imports"):
    """One year, demand 100 t, three routes: Chilean ore refined in China (100 USD/t), Australian
    ore refined in Australia (150) and Chilean ore refined in Korea (120), 100 t each.  No country
    may refine more than 60% of imports nor mine more than 70%."""
    return case([supplier("cl_cn", "CHL", 100, 100, processing="CHN"), supplier("au", "AUS", 150, 100),
                 supplier("cl_kr", "CHL", 120, 100, processing="KOR")], 100, basis=basis,
                policy=PolicyLimits(refining_country_cap_share=0.6, mining_country_cap_share=0.7))


@pytest.mark.parametrize("basis", ["imports", "consumption"])
def test_the_stage_caps_priced_by_hand(basis):
    """China may refine 60 t, so Chilean ore refined in China stops at 60; Chile may mine 70, so
    the Korean route takes 10 and Australia the other 30: 6,000 + 1,200 + 4,500 = 11,700 USD.  A
    point less for refiners moves a tonne from China's refining to Korea's (+20 USD); a point less
    for miners a tonne from Chile to Australia (+30 USD).  Korea refining 10% binds nothing on either
    basis (on imports it is no supplier country of its own imports)."""
    d = two_stages(basis)
    plan = Session(d).solve(TEST_OPTS)
    verify(d, plan)
    assert plan.stats.objective_usd == pytest.approx(11_700)
    assert [plan.buy_t[s, 2024] for s in ("cl_cn", "cl_kr", "au")] == pytest.approx([60, 10, 30])
    assert plan.shadow_usd_per_point["refining_country_cap", "li", 2024] == pytest.approx(20)
    assert plan.shadow_usd_per_point["mining_country_cap", "li", 2024] == pytest.approx(30)


# ---- the verifier names each break ------------------------------------------------------------------

def move(plan, source, target, tonnes, y=2024):
    plan.buy_t[source, y] -= tonnes
    plan.buy_t[target, y] += tonnes


def refinery_case():
    """Australian ore refined in a Korean refinery of one 60 t module (5 + 2 USD/t), Chilean
    hydroxide at 12: 60 t refined, 40 imported."""
    feed = dataclasses.replace(supplier("au_kr", "AUS", 5, 1000, processing="KOR"), refinery_id="kr")
    d = case([feed, supplier("cl", "CHL", 12, 1000)], 100)
    return dataclasses.replace(d, refineries={"kr": Refinery("kr", "li", 60, 100, 2, 1, 1, 1, 2)})


def stream_case():
    """A plant already built processes up to 500 of 1,000 spent batteries a year (0.02 t of lithium
    each, 90% recovered: 9 t), cheaper than imports at 10 USD/t; an agreement from 2025."""
    stream = Stream("bat", "spent batteries", "unit", 1.0, {"li": 0.02}, {"li": 0.9}, {2024: 1000.0}, {0: 1.0})
    d = case([supplier("au", "AUS", 10, 1000, end=2025)], 100, years=(2024, 2025),
             recycling=[RecyclingOption("hydro:li", "li", 500, 0, 0, 1, 1, 0, 0.9, plant_id="hydro")],
             agreements=[Agreement("ag", "swap", ("AUS",), "li", 0, 5, 2025)])
    return dataclasses.replace(d, streams={"bat": stream},
                               recycling_plants={"hydro": RecyclingPlant("hydro", "bat", 500, 0, 0.5, 1, 1, 0)})


def tail_case():
    """A contract with Australia (10 USD/t, 100 USD a year) can start only in 2025, the last year, and
    must run three years: its start pays 2026 and 2027 too.  Chile at 20 USD/t in 2024."""
    return case([supplier("au", "AUS", 10, 1000, fixed=100, first=2025, last=2030),
                 supplier("cl", "CHL", 20, 1000, end=2025)], 100, years=(2024, 2025), min_contract_years=3)


BREAKS = {
    "refining-country cap": (two_stages, lambda p: move(p, "au", "cl_cn", 5), "refining-country cap li 2024: CHN"),
    "mining-country cap": (two_stages, lambda p: move(p, "au", "cl_kr", 5), "mining-country cap li 2024: CHL"),
    "refinery capacity": (refinery_case, lambda p: move(p, "cl", "au_kr", 10), "refinery capacity kr 2024"),
    "plant capacity": (stream_case, lambda p: p.processed_units.update({("hydro", 2024): 600}),
                       "plant capacity hydro 2024"),
    "stream output": (stream_case, lambda p: p.recycled_t.update({("hydro:li", 2024): 10}),
                      "stream output hydro:li 2024"),
    "stream feedstock": (stream_case, lambda p: p.processed_units.update({("hydro", 2025): 1}),
                         "stream feedstock bat 2025"),
    "line before its first year": (stream_case, lambda p: p.line_t.update({("ag", 2024): 1}),
                                   "agreement line ag 2024"),
    "contract tail unpaid": (tail_case, lambda p: p.start.update({("au", 2025): 0}), "contract start au 2025"),
}


@pytest.mark.parametrize("broken", BREAKS)
def test_the_verifier_names_each_break_the_other_suite_does_not(broken):
    """test_outputs breaks a plan in every family of its case; these are the rows its case has none
    of: stage caps, refineries, stream plants, a line before its agreement, a contract's tail."""
    build, corrupt, expected = BREAKS[broken]
    d = build()
    plan = solve(d)
    assert evaluate(d, plan).violations == []
    corrupt(plan)
    violations = evaluate(d, plan).violations
    assert any(v.startswith(expected) for v in violations), violations


# A decision the data has no place for: an option, owner, agreement or mineral it does not have, a pool
# that is not one, a year outside the horizon (the stream case decides 2024-2025).
NOWHERE = {"buy_t": (("xx", 2024), 1.0, "buy_t xx 2024: the data has no supply option xx"),
           "contracted": (("au", 2031), 1, "contracted au 2031: 2031 is outside the horizon 2024-2025"),
           "build_modules": (("xx", 2024), 1, "build_modules xx 2024: the data has no module owner xx"),
           "recycled_t": (("hydro:li", 2031), 1.0, "recycled_t hydro:li 2031: 2031 is outside the horizon"),
           "processed_units": (("xx", 2024), 1.0, "processed_units xx 2024: the data has no recycling plant xx"),
           "stock_t": (("li", "gold", 2024), 1.0, "stock_t li gold 2024: gold is not a stock pool"),
           "unmet_t": (("co", 2024), 1.0, "unmet_t co 2024: the data has no mineral co"),
           "join": (("xx", 2025), 1, "join xx 2025: the data has no agreement xx")}


@pytest.mark.parametrize("name", NOWHERE)
def test_the_verifier_names_a_decision_the_data_has_no_place_for(name):
    """It used to stop on most of them (a KeyError from looking the key up), and to pass a stock in
    a pool that is not one, or of a mineral the case does not have, without a word."""
    key, value, expected = NOWHERE[name]
    d = stream_case()
    plan = solve(d)
    getattr(plan, name)[key] = value
    violations = evaluate(d, plan).violations
    assert any(v.startswith(expected) for v in violations), violations


# ---- coalitions: pooling never loses, and a name is only a name -------------------------------------

MEMBERS = ("KOR", "JPN", "USA")


def pooled_case(events, stocks, swapped: bool = False):
    """Korea (its one option, 1,000 USD/t, has no spare; a stock it may hold at 50 USD/t-yr) and
    partners JPN and USA (100 t each, all China-linked; ``stocks`` on hand), a shortage 2,000 USD/t for
    all; each event stops all supply of the members it names.  ``swapped``: JPN and USA trade names."""
    name = {"JPN": "USA", "USA": "JPN"} if swapped else {}
    d = case([supplier("au", "AUS", 1000, 100)], 100, stockpile=[StockpileRule("li", 0, 50, 0, 500)])
    d.minerals["li"] = dataclasses.replace(d.minerals["li"], shortage_penalty_usd_per_t=2000)
    scenarios = tuple(DisruptionScenario(
        f"e{j}", "e", p, {("au", 2024): 1.0} if "KOR" in who else {}, {("li", 2024): 1.0},
        stops=(CountryStop("li", "CHN", 2024, 1.0, importers=frozenset(name.get(i, i) for i in who)),))
        for j, (p, who) in enumerate(events))
    partners = {(name.get(c, c), "li"): Partner(name.get(c, c), "li", 100, stocks[c], 0, 1.0, (), 2000)
                for c in ("JPN", "USA")}
    return dataclasses.replace(d, disruptions=scenarios, partners=partners, settings=dataclasses.replace(
        d.settings, coalition_sharing_rule="need_first"))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([0.05, 0.1, 0.2]), st.lists(st.sampled_from(MEMBERS), min_size=1,
                                                                       max_size=2, unique=True)),
                min_size=1, max_size=3),
       st.fixed_dictionaries({"JPN": st.sampled_from([0, 30, 80]), "USA": st.sampled_from([0, 30, 80])}))
def test_pooling_never_loses_and_the_shapley_split_follows_the_members_not_their_names(events, stocks):
    """With the joint stock shared where it is needed first, a coalition can do all its parts can do
    apart: v(S) >= 0 and v(N) >= v(S) + v(N - S).  The Shapley shares add up to v(N), and with JPN and
    USA trading names (their data, stocks and events kept) each keeps its share under its new name."""
    v = game(pooled_case(events, stocks), MEMBERS)
    grand = frozenset(MEMBERS)
    for s, x in v.items():
        assert x >= -1e-6
        assert v[grand] >= x + v.get(grand - s, 0.0) - 1e-6
    phi = shapley(list(MEMBERS), v)
    assert sum(phi.values()) == pytest.approx(v[grand], abs=1e-6)
    theirs = shapley(list(MEMBERS), game(pooled_case(events, stocks, swapped=True), MEMBERS))
    assert theirs == pytest.approx({"KOR": phi["KOR"], "JPN": phi["USA"], "USA": phi["JPN"]}, abs=1e-6)


# ---- a shadow price is the slope of the cost in the limit itself ------------------------------------

@st.composite
def continuous_cases(draw):
    """One year with nothing whole to decide (no fixed cost, minimum volume or module to build), so
    the least cost is a convex function of each limit and its price is a slope of it."""
    sups = [supplier(f"s{i}", origin, draw(st.integers(50, 200)), draw(st.integers(20, 120)),
                     processing=draw(st.sampled_from([origin, "CHN", "AUS", "KOR"])))
            for i, origin in enumerate(draw(st.lists(st.sampled_from(["CHN", "AUS", "CHL", "IDN", "KOR"]),
                                                     min_size=2, max_size=5)))]
    policy = PolicyLimits(
        china_cap_share=draw(st.sampled_from([None, 0.4, 0.6])),
        single_country_cap_share=draw(st.sampled_from([None, 0.5, 0.7])),
        risk_cap=draw(st.sampled_from([None, 0.3, 0.4])),
        recycling_min_share=draw(st.sampled_from([None, 0.05, 0.15])),
        stockpile_min_days=draw(st.sampled_from([None, 20, 60])),
        ira_min_share=draw(st.sampled_from([None, 0.2, 0.5])),
        mining_country_cap_share=draw(st.sampled_from([None, 0.5, 0.65])),
        refining_country_cap_share=draw(st.sampled_from([None, 0.5, 0.65])))
    return case(sups, draw(st.integers(40, 120)), policy=policy,
                recycling=[RecyclingOption("r", "li", 30, 800, draw(st.integers(60, 250)), 1, 1, 0, 0.9)],
                feedstock={("li", 2024): 50.0},
                stockpile=[StockpileRule("li", draw(st.sampled_from([0, 5])), 8, 3, 200, initial_china_share=0.5)],
                basis=draw(st.sampled_from(["imports", "consumption"])))


@EXAMPLES
@given(continuous_cases())
def test_each_shadow_price_is_the_cost_of_tightening_its_limit(d):
    """For every priced limit, solve the whole case again with the Policy value itself moved a hundredth
    of a point (of a day) tighter: the price per point is the slope of that step (models.prices), or ∞
    where the tighter case has no plan.  The check builds and solves a new model from the data; the
    price moves the compiled rows of the solved one.  Loosening may save more than tightening costs:
    a cap multiplies a base that moves with the plan, so the cost need not be convex in it."""
    from models.plan import FAMILY_LIMIT

    plan = Session(d).solve(TEST_OPTS)
    if plan.stats.status != OPTIMAL:
        return
    for (family, m, y), price in plan.shadow_usd_per_point.items():
        column, direction, unit = FAMILY_LIMIT[family]
        point = 1.0 if unit == "days" else 0.01
        moved = Session(d)
        moved.set_limits(column, {(m, y): d.limit(column, m, y) - direction * point / 100})
        again = moved.solve(TEST_OPTS, shadow_prices=False)
        if again.stats.status != OPTIMAL:
            assert price == math.inf, (family, price, again.stats.status)
            continue
        tighten = (again.stats.objective_usd - plan.stats.objective_usd) * 100
        assert price == pytest.approx(tighten, rel=1e-3, abs=0.05), (family, price, tighten)


def test_a_caps_price_under_tied_optima_is_the_cost_of_tightening_it():
    """The example hypothesis found when prices were the row duals: recycling costs 60 USD/t, as s2 does,
    so the imports the refining cap multiplies are not unique at the optimum.  The dual price was 7.2
    USD a point (loosening saves that much); tightening costs 1.8, and the price now says so."""
    sups = [supplier("s0", "CHN", 51, 20, processing="CHN"), supplier("s1", "CHN", 69, 20, processing="AUS"),
            supplier("s2", "CHN", 60, 20, processing="CHN"), supplier("s3", "CHL", 69, 20, processing="CHL")]
    d = case(sups, 40, policy=PolicyLimits(refining_country_cap_share=0.5),
             recycling=[RecyclingOption("r", "li", 30, 800, 60, 1, 1, 0, 0.9)], feedstock={("li", 2024): 50.0},
             stockpile=[StockpileRule("li", 0, 8, 3, 200, initial_china_share=0.5)], basis="imports")
    assert Session(d).solve(TEST_OPTS).shadow_usd_per_point["refining_country_cap", "li", 2024] == \
        pytest.approx(1.8, abs=1e-6)
    test_each_shadow_price_is_the_cost_of_tightening_its_limit.hypothesis.inner_test(d)


# ---- sampled scenarios: the stops, not the order they are drawn in --------------------------------

def test_a_year_two_sampled_stops_cover_is_stopped_for_the_longer_whatever_their_order():
    """Two certain risks on one Chinese option: a 500-day stop from each year from 2025 (so its 2025
    stop runs 135 days into 2026, and a new one covers 2026), and a one-year stop of half from 2026.
    In 2026 the option is stopped all year, and its stop has run a year at the start of it (release
    lead times count from there), whichever row comes first.  The year's stopped days are the window
    the release rate applies over: with the 500-day row first it was the 135-day tail alone."""
    d = case([supplier("cn", "CHN", 10, 1000, end=2026)], 100, years=(2024, 2026))
    long = DisruptionRisk("long", 1.0, 2025, 500, 500, {"cn": 1.0}, {})
    year = DisruptionRisk("year", 1.0, 2026, 365, 365, {"cn": 0.5}, {})
    for risks in ((long, year), (year, long)):
        sc, = sample_disruptions(dataclasses.replace(d, disruption_risks=risks), 1, seed=0).disruptions
        assert (sc.stop_days["cn", 2026], sc.onset_days["cn", 2026]) == (365, 365), [r.name for r in risks]
        assert (sc.stop_days["cn", 2025], sc.onset_days["cn", 2025]) == (365, 0)


def test_a_partners_loss_does_not_depend_on_the_order_of_its_stops():
    """Two stops of half of Japan's Chinese supply cover 2026 whole: the second year of a two-year stop
    and a one-year stop from 2026.  Three quarters are lost, for the year, and the stop has run a year
    at its start (the longer-running of the two equally long), in either order of the rows."""
    japan = Partner("JPN", "li", 100, 0, 0, 1.0)
    second = CountryStop("li", "CHN", 2026, 0.5, days=365, onset=365)
    first = CountryStop("li", "CHN", 2026, 0.5, days=365, onset=0)
    for stops in ((second, first), (first, second)):
        sc = DisruptionScenario("w", "e", 0.1, {}, {}, stops=stops)
        assert PlanningData.partner_loss(japan, sc, 2026) == (0.75, 365, 365)
