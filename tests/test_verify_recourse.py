"""The verifier's independent recheck of agreement lines and of a hedged plan's second stage.

Every case is solved with HiGHS (the two-stage model of ``models.disruption``); the verifier,
which never sees the model, must pass the plan, recompute each scenario's cost C_ω as the model
does, and name the rule a tampered plan breaks."""

import copy
import dataclasses
import random

import pyomo.environ as pyo
import pytest

from conftest import TEST_OPTS
from factory import Agreement, PolicyLimits, RecyclingOption, StockpileRule, case, supplier
from models.dataset import DisruptionScenario
from models.plan import OPTIMAL
from models.solve import Session, solve_case
from planner.verify import VerificationError, _cvar_at_usd, cvar_usd, evaluate, verify


def with_disruptions(d, *scenarios, penalty=110.0, **settings):
    """``d`` hedged against ``scenarios``, with a shortage penalty and Settings changed."""
    d = dataclasses.replace(d, disruptions=tuple(scenarios),
                            settings=dataclasses.replace(d.settings, **settings))
    d.minerals["li"] = dataclasses.replace(d.minerals["li"], shortage_penalty_usd_per_t=penalty)
    return d


def hedged(d):
    session = Session(d, hedged=True)
    plan = session.solve(TEST_OPTS, shadow_prices=False)
    assert plan.stats.status == OPTIMAL
    return session, plan


def newsvendor(**settings):
    """Two years, demand 100 t; China 10 USD/t on contract; stock premium 4, holding 8 USD/t-yr;
    a shortage costs 110 USD/t and spot 100 times the price.  In 2025 China loses 20% (p = 0.3),
    50% (p = 0.15) or all (p = 0.08) of what was planned."""
    d = case([supplier("cn", "CHN", 10, 1000, end=2025, min_volume=100, contract="on")], 100, years=(2024, 2025),
             stockpile=[StockpileRule("li", 0, 8, 4, 500)])
    return with_disruptions(d, *(DisruptionScenario(f"cut{int(lost * 100)}", "cut", p, {("cn", 2025): lost},
                                                    {("li", 2025): 100.0})
                                 for lost, p in ((0.2, 0.3), (0.5, 0.15), (1.0, 0.08))), **settings)


def lines_case(**settings):
    """Three years at a 5% discount rate, demand 100 t and 73 days of cover (20 t); China 10 USD/t
    on contract, Australia 20 USD/t with 30 t; a swap line with Japan of up to 10 t at 1 USD/t-yr;
    at most 25 t of stock, premium 4 and holding 8 USD/t-yr, so little can be bought ahead.  China
    delivers nothing in 2025, with Japan able to help (p = 0.2) or hit too (p = 0.1); spot costs
    twice the price.  The stock is rebuilt and calls given back in 2026."""
    d = case([supplier("cn", "CHN", 10, 1000, end=2026, contract="on"), supplier("au", "AUS", 20, 30, end=2026)],
             100, years=(2024, 2026), discount_rate=0.05, policy=PolicyLimits(stockpile_min_days=73),
             stockpile=[StockpileRule("li", 0, 8, 4, 25)],
             agreements=[Agreement("swap", "swap", ("JPN",), "li", 0, 10, 2024, fee_usd_per_t_yr=1)])
    return with_disruptions(d, *(DisruptionScenario(name, "china_stop", p, {("cn", 2025): 1.0}, {("li", 2025): 2.0},
                                                    partners_hit=hit)
                                 for name, p, hit in (("japan_helps", 0.2, frozenset()),
                                                      ("japan_hit", 0.1, frozenset({"JPN"})))), **settings)


def recycling_case():
    """One year, demand 100 t, 20% recycling minimum; China 10 USD/t; one module of 50 t running at
    15 USD/t with 45 t of feedstock: 20 t recycled as planned, 25 t more possible in a crisis.
    China loses half (p = 0.25); spot costs 100 times the price."""
    d = case([supplier("cn", "CHN", 10, 1000, contract="on")], 100, policy=PolicyLimits(recycling_min_share=0.2),
             recycling=[RecyclingOption("r", "li", 50, 1000, 15, 1, 1, 1, 1.0)], feedstock={("li", 2024): 45.0})
    return with_disruptions(d, DisruptionScenario("half", "cut", 0.25, {("cn", 2024): 0.5}, {("li", 2024): 100.0}))


CASES = {"stock": newsvendor, "lines": lines_case, "recycling": recycling_case,
         "cvar": lambda: lines_case(cvar_weight=0.5, cvar_level=0.8)}


@pytest.fixture(scope="module", params=list(CASES))
def solved(request):
    d = CASES[request.param]()
    session, plan = hedged(d)
    return d, session, plan


def test_a_hedged_plan_passes_and_its_scenario_costs_are_the_models(solved):
    d, session, plan = solved
    ev = verify(d, plan)
    b = session.model
    assert ev.scenario_cost_usd == pytest.approx({w: pyo.value(b.recourse_cost_usd[w]) for w in b.SCENARIOS},
                                                 rel=1e-9, abs=1e-6)
    assert ev.expected_recourse_usd == pytest.approx(pyo.value(b.expected_recourse_usd), rel=1e-9, abs=1e-6)
    assert ev.total_usd == pytest.approx(pyo.value(b.total_cost_usd), rel=1e-9, abs=1e-6)
    if d.settings.cvar_weight > 0:  # the optimal η makes the model's CVaR the exact one
        assert ev.cvar_usd == pytest.approx(pyo.value(b.cvar_usd), rel=1e-7, abs=1e-6)


def test_the_newsvendor_optimum():
    """A tonne of stock held both years costs 4 + 2 x 8 - 10 (the terminal credit) = 10 USD.  In
    2025 a loss of L t is not paid for (-10 USD/t) and is covered by min(s, L) t of stock, drawn at
    the lowest price plus the premium (14 USD/t, 4 net), the rest unmet at 110 (100 net).  The
    marginal tonne of stock saves 96 P(L > s): 50.88 USD below 20 t, 22.08 below 50 t, 7.68 above:
    s = 50 t, F = 1,500 + 1,000 + 200 + 800 - 500 = 3,000.  C = 20 x 4 = 80, 50 x 4 = 200 and
    50 x 4 + 50 x 100 = 5,200; E = 0.3 x 80 + 0.15 x 200 + 0.08 x 5,200 = 470: 3,470 USD.  The worst
    10% is 0.08 at 5,200 and 0.02 at 200: CVaR 4,200."""
    d = newsvendor()
    _, plan = hedged(d)
    ev = verify(d, plan)
    assert plan.stats.objective_usd == pytest.approx(3470)
    assert plan.stock_t["li", "china", 2024] == plan.stock_t["li", "china", 2025] == pytest.approx(50)
    assert ev.total_usd == pytest.approx(3000)
    assert ev.scenario_cost_usd == pytest.approx({"cut20": 80, "cut50": 200, "cut100": 5200})
    assert ev.expected_recourse_usd == pytest.approx(470)
    assert ev.cvar_usd == pytest.approx(4200)


def test_the_lines_case_uses_every_recourse():
    """The lines case's recourse calls the line only when Japan is not hit and gives it back after
    the crisis, buys spot from Australia's spare capacity, and releases stock rebuilt in 2026."""
    d = lines_case()
    _, plan = hedged(d)
    rc = plan.recourse
    assert rc.crisis_release_t["cn", "china", 2025, "japan_hit"] > 0
    assert rc.rebuild_t["li", "china", 2026, "japan_hit"] == pytest.approx(
        rc.crisis_release_t["cn", "china", 2025, "japan_hit"])
    assert rc.call_t["swap", "cn", 2025, "japan_helps"] > 0
    assert ("swap", "cn", 2025, "japan_hit") not in rc.call_t
    assert rc.give_back_t["swap", 2026, "japan_helps"] == pytest.approx(rc.call_t["swap", "cn", 2025, "japan_helps"])
    assert rc.owed_t["swap", 2026, "japan_helps"] == pytest.approx(0, abs=1e-9)
    assert rc.spot_t["cn", "au", 2025, "japan_hit"] > 0
    verify(d, plan)


def test_a_stress_test_with_the_first_stage_fixed_passes():
    """The least-cost plan, blind to the disruptions, tested against them: the recourse is the
    model's, the objective F + E, and the verifier agrees."""
    d = lines_case()
    source = Session(d)
    assert source.solve(TEST_OPTS, shadow_prices=False).stats.status == OPTIMAL
    stress = Session(d, hedged=True).held_at(source.model)
    plan = stress.solve(TEST_OPTS, shadow_prices=False)
    ev = verify(d, plan)
    assert ev.scenario_cost_usd == pytest.approx(
        {w: pyo.value(stress.model.recourse_cost_usd[w]) for w in stress.model.SCENARIOS}, rel=1e-9, abs=1e-6)
    assert plan.stats.objective_usd == pytest.approx(ev.total_usd + ev.expected_recourse_usd)


def _more_spot(plan):
    """5 t more spot than Australia's 30 t leave after what was bought, taken off unmet demand."""
    rc = plan.recourse
    spare = 30 - plan.buy_t["au", 2025]
    added = spare + 5 - rc.spot_t["cn", "au", 2025, "japan_hit"]
    rc.spot_t["cn", "au", 2025, "japan_hit"] += added
    rc.unmet_t["cn", 2025, "japan_hit"] -= added


def _call_when_partner_hit(plan):
    plan.recourse.call_t["swap", "cn", 2025, "japan_hit"] = 5.0
    plan.recourse.owed_t["swap", 2025, "japan_hit"] = 5.0
    plan.recourse.give_back_t["swap", 2026, "japan_hit"] = 5.0
    plan.recourse.unmet_t["cn", 2025, "japan_hit"] -= 5.0


def _drop_unmet(plan):
    plan.recourse.unmet_t["cn", 2025, "japan_hit"] -= 1.0


def _keep_owing(plan):
    rc = plan.recourse
    rc.give_back_t["swap", 2026, "japan_helps"] -= 1.0
    rc.owed_t["swap", 2026, "japan_helps"] += 1.0


def _rebuild_in_the_crisis(plan):
    rc = plan.recourse
    rc.rebuild_t["li", "china", 2025, "japan_hit"] = 1.0
    rc.deficit_t["li", "china", 2025, "japan_hit"] -= 1.0
    rc.rebuild_t["li", "china", 2026, "japan_hit"] -= 1.0


def _release_more_than_the_stock(plan):
    rc = plan.recourse
    extra = plan.stock_t["li", "china", 2025] + 5 - rc.crisis_release_t["cn", "china", 2025, "japan_hit"]
    rc.crisis_release_t["cn", "china", 2025, "japan_hit"] += extra
    rc.unmet_t["cn", 2025, "japan_hit"] -= extra
    rc.deficit_t["li", "china", 2025, "japan_hit"] += extra
    rc.rebuild_t["li", "china", 2026, "japan_hit"] += extra


def _line_above_volume(plan):
    for y in (2024, 2025, 2026):
        plan.line_t["swap", y] = 45.0


def _line_dropped(plan):
    plan.line_t["swap", 2026] = plan.line_t["swap", 2025] - 5


def _wrong_var(plan):
    plan.recourse.var_usd += 1_000.0


def _stock_not_rebuilt(plan):
    plan.recourse.deficit_t["li", "china", 2026, "japan_hit"] += 1.0
    plan.recourse.rebuild_t["li", "china", 2026, "japan_hit"] -= 1.0


# Each corruption of the CVaR lines plan breaks one rule; the verifier must name it.
CORRUPTIONS = {
    "spot above spare capacity": (_more_spot, "spot capacity au 2025 japan_hit"),
    "call on a hit partner": (_call_when_partner_hit, "call_t swap cn 2025 japan_hit: 5.000 t, but a partner of swap "
                                                      "is hit"),
    "crisis balance": (_drop_unmet, "crisis balance cn 2025 japan_hit"),
    "like for like": (lambda p: p.recourse.unmet_t.__setitem__(("au", 2025, "japan_hit"), 1.0),
                      "unmet_t au 2025 japan_hit: 1.000 t, but au loses nothing in 2025"),
    "owed after the crisis": (_keep_owing, "owed swap 2026 japan_helps: 1.000 t still owed"),
    "rebuild in the crisis": (_rebuild_in_the_crisis, "rebuild_t li china 2025 japan_hit: 1.000 t, but 2025 is "
                                                      "a crisis year"),
    "release more than the stock": (_release_more_than_the_stock, "deficit li china 2025 japan_hit"),
    "stock rebuilt": (_stock_not_rebuilt, "deficit li china 2026 japan_hit: 1.000 t still missing"),
    "negative recourse": (lambda p: p.recourse.spot_t.__setitem__(("cn", "au", 2025, "japan_hit"), -1.0),
                          "spot_t cn au 2025 japan_hit: negative"),
    "line above volume x join": (_line_above_volume, "agreement line swap 2024: 45.000 t held"),
    "line kept": (_line_dropped, "agreement line swap 2026"),
    "value at risk": (_wrong_var, "objective: recomputed F + (1-λ)E + λ CVaR"),
}


@pytest.fixture(scope="module")
def cvar_lines_plan():
    d = lines_case(cvar_weight=0.5, cvar_level=0.8)
    _, plan = hedged(d)
    verify(d, plan)
    rc = plan.recourse
    # The corruptions assume this plan's shape: stock released and rebuilt, the line called and
    # given back, and demand left unmet when Japan is hit.
    assert plan.line_t["swap", 2025] > 5 and plan.stock_t["li", "china", 2025] > 1
    assert rc.crisis_release_t["cn", "china", 2025, "japan_hit"] > 1 and rc.unmet_t["cn", 2025, "japan_hit"] > 5
    assert rc.rebuild_t["li", "china", 2026, "japan_hit"] > 1 and rc.give_back_t["swap", 2026, "japan_helps"] > 1
    return d, plan


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_the_verifier_names_a_broken_recourse_rule(cvar_lines_plan, name):
    d, plan = cvar_lines_plan
    corrupt, expected = CORRUPTIONS[name]
    bad = copy.deepcopy(plan)
    corrupt(bad)
    with pytest.raises(VerificationError) as exc:
        verify(d, bad)
    assert any(v.startswith(expected) for v in exc.value.violations), exc.value.violations


@pytest.mark.parametrize("more, expected", [(28.0, "crisis feedstock li 2024 half"),
                                            (31.0, "crisis recycling capacity r 2024 half")])
def test_crisis_recycling_stays_within_modules_and_feedstock(more, expected):
    """The recycling case can recycle 25 t more in the crisis (feedstock 45 - 20); 28 t breaks the
    feedstock, 31 t the 50 t of the module too."""
    d = recycling_case()
    _, plan = hedged(d)
    assert plan.recourse.crisis_recycled_t["cn", "r", 2024, "half"] == pytest.approx(25)
    plan.recourse.unmet_t["cn", 2024, "half"] -= more - 25
    plan.recourse.crisis_recycled_t["cn", "r", 2024, "half"] = more
    assert any(v.startswith(expected) for v in evaluate(d, plan).violations)


def test_the_discrete_cvar_is_the_mean_of_the_worst_tail():
    """Costs 5,000 (p = 0.1) and 1,000 (p = 0.2), calm otherwise (p = 0.7): the worst 10% is
    5,000; the worst 20% is half 5,000 and half 1,000; the worst 40% holds 0.1 x 5,000 + 0.2 x 1,000
    + 0.1 x 0; at α = 0 it is the mean, 700."""
    outcomes = [(5000.0, 0.1), (1000.0, 0.2)]
    assert cvar_usd(outcomes, 0.9) == pytest.approx(5000)
    assert cvar_usd(outcomes, 0.8) == pytest.approx(3000)
    assert cvar_usd(outcomes, 0.6) == pytest.approx(700 / 0.4)
    assert cvar_usd(outcomes, 0.0) == pytest.approx(700)
    assert cvar_usd([], 0.9) == 0.0


def test_a_line_is_cover_and_pays_its_fee_per_tonne():
    """One year, demand 100 t at 10 USD/t, 36.5 days of cover (10 t).  Stock costs 4 + 8 - 10 =
    2 USD/t (premium, holding, the terminal credit), 20 USD for the cover; a swap line 1 USD/t-yr
    and 5 USD a year to join, 15 USD.  The plan holds a 10 t line: 1,000 + 15 = 1,015 USD, and the
    line without the membership breaks the rule that holds it."""
    d = case([supplier("cn", "CHN", 10, 1000)], 100, policy=PolicyLimits(stockpile_min_days=36.5),
             stockpile=[StockpileRule("li", 0, 8, 4, 500)],
             agreements=[Agreement("swap", "swap", ("JPN",), "li", 5, 40, 2024, fee_usd_per_t_yr=1)])
    plan = solve_case(d, TEST_OPTS)
    ev = verify(d, plan)
    assert plan.stats.objective_usd == pytest.approx(1015)
    assert ev.costs_usd["agreements"] == pytest.approx(15)
    assert ev.indicators["li", 2024].agreement_volume_t == pytest.approx(10)
    assert ev.indicators["li", 2024].stockpile_days == pytest.approx(36.5)
    plan.join["swap", 2024] = 0
    assert any(v.startswith("agreement line swap 2024") for v in evaluate(d, plan).violations)


def test_the_cvar_is_the_least_of_the_rockafellar_uryasev_function_over_its_kinks():
    """The sorted sweep gives what minimising the function at every kink (0 and each cost) gives, on
    random outcomes with ties, zero costs and a calm outcome of any weight."""
    rng = random.Random(7)
    for n in (1, 2, 7, 60):
        for level in (0.0, 0.5, 0.9, 0.99):
            outcomes = [(rng.choice([0.0, 1e6, rng.uniform(0, 1e8)]), rng.uniform(0, 1 / n)) for _ in range(n)]
            brute = min(_cvar_at_usd(outcomes, level, eta) for eta in {0.0, *(c for c, _p in outcomes)})
            assert cvar_usd(outcomes, level) == pytest.approx(brute, rel=1e-12, abs=1e-6)
