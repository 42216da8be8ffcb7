"""Hand-solved instances: the optimum is worked out in each docstring and the
solver, verified independently, must find exactly it."""

import math

import pytest

from factory import Agreement, PolicyLimits, RecyclingOption, StockpileRule, case, supplier
from models.plan import INFEASIBLE, OPTIMAL
from models.solve import Session, diagnose, solve_case
from planner.verify import verify

THREE = [supplier("cn", "CHN", 100, 80), supplier("cl", "CHL", 120, 30), supplier("au", "AUS", 150, 80)]


def solved(d, opts):
    plan = solve_case(d, opts)
    assert plan.stats.status == OPTIMAL
    return plan, verify(d, plan)


def test_one_mineral_three_suppliers_merit_order(opts):
    """Demand 100 t; China 100 USD/t (80 t), Chile 120 (30 t), Australia 150 (80 t).

    Cheapest first: 80 t China + 20 t Chile = 8,000 + 2,400 = 10,400 USD.
    """
    d = case(THREE, 100)
    plan, ev = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(10_400)
    assert plan.buy_t["cn", 2024] == pytest.approx(80)
    assert plan.buy_t["cl", 2024] == pytest.approx(20)
    assert ev.indicators["li", 2024].china_share == pytest.approx(0.8)


def test_china_cap_forces_dearer_supplier_and_prices_it(opts):
    """A 50% China cap: China 50 t, Chile all 30 t, Australia the other 20 t:
    5,000 + 3,600 + 3,000 = 11,600 USD.  One point less cap moves 1 t from
    China (100) to Australia (150): the shadow price is 50 USD per point.
    """
    d = case(THREE, 100, policy=PolicyLimits(china_cap_share=0.5))
    plan, ev = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(11_600)
    assert plan.buy_t["au", 2024] == pytest.approx(20)
    assert ev.indicators["li", 2024].china_share == pytest.approx(0.5)
    assert plan.shadow_usd_per_point["china_cap", "li", 2024] == pytest.approx(50)


def test_shadow_price_matches_finite_difference(opts):
    """The price equals the cost change of re-solving with the cap one point lower."""
    d = case(THREE, 100, policy=PolicyLimits(china_cap_share=0.6, risk_cap=0.45))
    s = Session(d)
    base = s.solve(opts)
    s.set_limit("china_cap_share", 0.59)
    tighter = s.solve(opts, shadow_prices=False)
    assert tighter.stats.objective_usd - base.stats.objective_usd == pytest.approx(
        base.shadow_usd_per_point["china_cap", "li", 2024], rel=1e-6)


def test_two_caps_on_the_same_tonnes_each_cost_what_tightening_it_costs(opts):
    """A 50% China cap and a 50% single-country cap: both hold China at 50 t (the plan above, 11,600 USD).
    Tightening either one point moves 1 t from China (100) to Australia (150): 50 USD a point each.  The
    LP's row duals split those 50 USD between the two rows as they fell, and a limit that read 0 looked
    as if it did not bind."""
    d = case(THREE, 100, policy=PolicyLimits(china_cap_share=0.5, single_country_cap_share=0.5))
    plan, _ = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(11_600)
    assert plan.shadow_usd_per_point["china_cap", "li", 2024] == pytest.approx(50)
    assert plan.shadow_usd_per_point["single_country_cap", "li", 2024] == pytest.approx(50)


def test_a_limit_the_held_contracts_cannot_meet_tighter_is_priced_infinite(opts):
    """Demand 100 t; China 100 USD/t with a contract of at least 60 t, Australia 150 USD/t; a 60% China
    cap.  The plan contracts China for its 60 t and buys Australia's 40: 12,000 USD.  With the contract
    held, China cannot fall below 60 t, so no plan meets a cap of 59.99%: the price is ∞, and the Policy
    sheet and the page say so in the place of a number."""
    from planner.reports.plan_report import build_plan_html
    from planner.reports.plan_workbook import build_plan_workbook, sheet_name

    d = case([supplier("cn", "CHN", 100, 100, min_volume=60), supplier("au", "AUS", 150, 100)], 100,
             policy=PolicyLimits(china_cap_share=0.6))
    plan, ev = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(12_000)
    assert plan.shadow_usd_per_point["china_cap", "li", 2024] == math.inf
    for lang in ("en", "ko"):
        policy = build_plan_workbook(d, plan, ev, [], "case.xlsx", lang=lang)[sheet_name("Policy", lang)]
        (head, row), = [r for r in zip(policy.iter_rows(min_row=1, max_row=1, values_only=True),
                                       policy.iter_rows(min_row=2, max_row=2, values_only=True))]
        assert [h for h, v in zip(head, row) if v == "\u221e"] == [head[7]], lang  # the China cap's price
        assert policy.cell(2, 8).alignment.horizontal == "right"  # where the column's numbers stand
        assert "\u221e" in build_plan_html(d, plan, ev, "case.xlsx", "0" * 64, lang), lang


def test_fixed_cost_makes_consolidation_pay(opts):
    """Demand 100 t.  A: 100 USD/t, 100 t, fixed 500.  B and C: 95 USD/t, 60 t each, fixed 1,000.

    B+C would buy cheapest (9,500) but pays 2,000 fixed = 11,500; A+B pays
    5,700 + 4,000 + 1,500 = 11,200; A alone pays 10,000 + 500 = 10,500: optimal.
    """
    d = case([supplier("a", "AUS", 100, 100, fixed=500), supplier("b", "CHL", 95, 60, fixed=1000),
              supplier("c", "IDN", 95, 60, fixed=1000)], 100)
    plan, _ = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(10_500)
    assert plan.contracted == {("a", 2024): 1, ("b", 2024): 0, ("c", 2024): 0}


def test_minimum_volume_and_contract_length(opts):
    """Two years, demand 100 then 10.  X: 100 USD/t, no floor.  Y: 90 USD/t, 100 t, minimum 50 t/yr.
    Contracts run at least 2 years.

    Using Y in year 1 binds it for year 2 at >= 50 t although demand is 10 t:
    the 40 t surplus would have to go to the stockpile, which holds at most 20 t.
    So Y can never be contracted: X only, 100*100 + 10*100 = 11,000.
    """
    d = case([supplier("x", "AUS", 100, 200, end=2025), supplier("y", "CHL", 90, 100, min_volume=50, end=2025)],
             {("li", 2024): 100.0, ("li", 2025): 10.0}, years=(2024, 2025), min_contract_years=2,
             stockpile=[StockpileRule("li", 0, 1, 0, 20)])
    plan, _ = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(11_000)
    assert sum(plan.contracted[k] for k in plan.contracted if k[0] == "y") == 0


def test_recycling_with_lead_time(opts):
    """2024-2026, demand 100 t/yr, imports 100 USD/t.  Recycling: 20 t per module, capital
    1,500 per module, operating 50 USD/t, lead time 2 years, life 1 year (so its whole
    capital is the one annuity of the one year it runs, at a 0 discount rate), yield 1,
    feedstock 100 t/yr.  The policy asks 30% recycled in 2026 only.

    Modules for 2026 must be built in 2024; 30 t needs 2 modules (40 t), and once
    built they run flat out (50 < 100 USD/t).  A third module would save 20*50 =
    1,000 < 1,500, so it is not built.  Cost: 2024 10,000 + 3,000; 2025 10,000;
    2026 40*50 + 60*100 = 8,000.  Total 31,000 USD.
    """
    pol = {("li", 2024): PolicyLimits(), ("li", 2025): PolicyLimits(),
           ("li", 2026): PolicyLimits(recycling_min_share=0.3)}
    d = case([supplier("cn", "CHN", 100, 200, end=2026)], 100, years=(2024, 2026), policy=pol,
             recycling=[RecyclingOption("r1", "li", 20, 1500, 50, 0, 5, 2, 1.0, life_yr=1)],
             feedstock={("li", y): 100.0 for y in (2024, 2025, 2026)})
    plan, ev = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(31_000)
    assert plan.build_modules["r1", 2024] == 2
    assert plan.recycled_t["r1", 2026] == pytest.approx(40)
    assert ev.indicators["li", 2026].recycling_share == pytest.approx(0.4)


def test_stockpile_days(opts):
    """One year, demand 365 t at 100 USD/t; stock starts empty; premium 5, holding 10 USD/t.
    Policy: 30 days of demand, 30 t at the end of the year, bought on top of demand
    (the base is demand, so buying the stock does not raise what it must cover).  The
    stock handed on is credited at the cheapest price that could replace it, 100 USD/t:
    cost = 100 (365 + 30) + 15 x 30 - 100 x 30 = 36,950 USD.
    """
    d = case([supplier("au", "AUS", 100, 1000)], 365, policy=PolicyLimits(stockpile_min_days=30),
             stockpile=[StockpileRule("li", 0, 10, 5, 1000)])
    plan, ev = solved(d, opts)
    assert plan.stock_add_t["li", "other", 2024] == pytest.approx(30)
    assert plan.stats.objective_usd == pytest.approx(36_950)
    assert ev.costs_usd["terminal_stock"] == pytest.approx(-3_000)
    assert ev.indicators["li", 2024].stockpile_days == pytest.approx(30)


def test_agreement_volume_replaces_stock(opts):
    """Same as above with a swap agreement: fee 300 USD/yr, 40 t emergency volume.
    Joining covers the 30 days (>= 30 t) for 300 < 450 of stock (premium and holding; the
    tonnes themselves are handed on): cost 36,800 USD.
    """
    d = case([supplier("au", "AUS", 100, 1000)], 365, policy=PolicyLimits(stockpile_min_days=30),
             stockpile=[StockpileRule("li", 0, 10, 5, 1000)],
             agreements=[Agreement("swap", "swap", ("JPN",), "li", 300, 40, 2024)])
    plan, _ = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(36_800)
    assert plan.join["swap", 2024] == 1


def test_discounting_and_escalation(opts):
    """Two years, 10 t/yr at 100 USD/t escalating 10%/yr, discount rate 10%:
    1,000 + 10 * 110 / 1.1 = 2,000 USD present value."""
    d = case([supplier("au", "AUS", 100, 50, escalation=0.1, end=2025)], 10, years=(2024, 2025),
             discount_rate=0.1)
    plan, _ = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(2_000)


def test_sanctioned_supplier_is_never_used(opts):
    """Russia is cheapest but sanctioned: Australia supplies all 10 t at 150 = 1,500 USD."""
    d = case([supplier("ru", "RUS", 10, 100), supplier("au", "AUS", 150, 100)], 10)
    plan, _ = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(1_500)
    assert ("ru", 2024) not in plan.buy_t


def test_unmet_demand_allowed_at_penalty(opts):
    """Capacity 60 t for demand 100 t, unmet allowed at the 1e6 USD/t penalty: 40 t short."""
    d = case([supplier("au", "AUS", 100, 60)], 100, allow_unmet=True)
    plan, ev = solved(d, opts)
    assert plan.unmet_t["li", 2024] == pytest.approx(40)
    assert ev.costs_usd["shortage"] == pytest.approx(40e6)


def test_infeasible_china_cap_is_diagnosed(opts):
    """Non-China capacity is 30 t of 100 t demand, so a 10% China cap cannot hold:
    the diagnosis says the cap must be at least 70%."""
    d = case([supplier("cn", "CHN", 100, 80), supplier("cl", "CHL", 120, 30)], 100,
             policy=PolicyLimits(china_cap_share=0.1))
    assert solve_case(d, opts).stats.status == INFEASIBLE
    diagnosis = diagnose(d, opts)
    relax = diagnosis.relaxations
    assert [(r.family, r.mineral_id, r.year) for r in relax] == [("china_cap", "li", 2024)]
    assert relax[0].needed == pytest.approx(0.7) and diagnosis.verified


def test_forced_contract_and_its_shadow_prices(opts):
    """Australia forced on (contract = on) with a 30 t minimum, and a 50% China cap:
    Australia 30 t (4,500), China 50 t (5,000), Chile 20 t (2,400) = 11,900 USD.
    One point less China cap moves 1 t from China to Chile's spare room: 20 USD per point.
    """
    forced = [THREE[0], THREE[1], supplier("au", "AUS", 150, 80, min_volume=30, contract="on")]
    d = case(forced, 100, policy=PolicyLimits(china_cap_share=0.5))
    plan, _ = solved(d, opts)
    assert plan.stats.objective_usd == pytest.approx(11_900)
    assert plan.contracted["au", 2024] == 1
    assert plan.shadow_usd_per_point["china_cap", "li", 2024] == pytest.approx(20)


@pytest.mark.parametrize("credit, total", [(True, 2000.0), (False, 2100.0)])
def test_the_terminal_stock_credit_can_be_switched_off(opts, credit, total):
    """10 t a year at 100 USD/t, and 1 t of cover to hold at the end of each year: 2,100 USD bought;
    the tonne handed on is credited at 100 USD (Settings terminal_stock_credit yes) or not at all
    (no), in the model and in the verifier alike."""
    import dataclasses

    d = case([supplier("au", "AUS", 100, 20, end=2025)], 10, years=(2024, 2025),
             policy=PolicyLimits(stockpile_min_days=36.5), stockpile=[StockpileRule("li", 0, 0, 0, 100)])
    d = dataclasses.replace(d, settings=dataclasses.replace(d.settings, terminal_stock_credit=credit))
    plan = solve_case(d, opts)
    ev = verify(d, plan)  # recomputes the objective, the credit (or none) included
    assert plan.stats.objective_usd == pytest.approx(total) and ev.total_usd == pytest.approx(total)
    assert ev.costs_usd["terminal_stock"] == pytest.approx(-100.0 if credit else 0.0)


def test_a_diagnosis_says_whether_its_moves_were_checked_to_suffice(opts, capsys):
    """The moves are checked together: the case with them all has a plan ('checked'), has none (whole
    contracts or modules need more), or the time limit ended the check (not known: it said 'no plan')."""
    import dataclasses

    from models.plan import NO_SOLUTION
    from planner.cli import _print_diagnosis

    d = case([supplier("cn", "CHN", 100, 80), supplier("cl", "CHL", 120, 30)], 100,
             policy=PolicyLimits(china_cap_share=0.1))
    diagnosis = diagnose(d, opts)
    said = {}
    for check in (diagnosis.check, INFEASIBLE, NO_SOLUTION):
        _print_diagnosis(dataclasses.replace(diagnosis, check=check), opts)
        said[check] = capsys.readouterr().err
    assert diagnosis.check == OPTIMAL and "Make all of these changes together (checked" in said[OPTIMAL]
    assert "even with all of them moved the case has no plan" in said[INFEASIBLE]
    assert "ended the check of all of them together before it found a plan, so they may not be enough" in said[
        NO_SOLUTION] and "no plan (whole contracts" not in said[NO_SOLUTION]
    assert all("'Policy'" in text and "at least 70%" in text for text in said.values()), said
