"""A plan that means what it says: no end effects at the horizon, stock that cannot launder
China exposure, cover that releases cannot shrink, the state at the start of the first
decision year, risk that rewards diversifying, and limits that apply where they can bind.

Each case is small and hand-solved in its docstring; the solver, verified independently,
must find exactly that optimum."""

import dataclasses

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import DEFAULT_WORKBOOK, TEST_OPTS
from factory import Agreement, PolicyLimits, RecyclingOption, StockpileRule, case, default_tables_for, supplier
from models.plan import OPTIMAL
from models.solve import solve_case
from planner.cli import main
from planner.reports.plan_workbook import write_plan_workbook
from planner.verify import evaluate, verify
from planner.workbook.defaults import load_default_tables
from planner.workbook.errors import InputError
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook


def solved(d):
    plan = solve_case(d, TEST_OPTS)
    assert plan.stats.status == OPTIMAL
    return plan, verify(d, plan)


# ---- stock pools: China-linked tonnes count when they are consumed -----------------------------

# On the consumption basis (Settings reliance_basis), where the China cap counts tonnes when consumed.
LAUNDRY = dict(years=(2024, 2025), stockpile=[StockpileRule("li", 0, 0.0, 0.0, 100)], basis="consumption",
               policy={("li", 2024): PolicyLimits(china_cap_share=1.0), ("li", 2025): PolicyLimits(china_cap_share=0.5)})


def test_buying_into_stock_under_a_loose_cap_and_releasing_under_a_tight_one_gains_nothing():
    """Demand 10 t a year.  China 1 USD/t, Australia 2 USD/t; storage is free.  The cap is 100%
    in 2024 and 50% in 2025.

    Were the stock blind to origin, the cheapest plan would buy 20 t from China in 2024 and
    release 10 t in 2025: 20 USD.  With pools, the released tonnes are China-linked and count
    in 2025: at most 5 t of China-linked consumption, so 10 + 5 + 5 x 2 = 25 USD, and the
    stock buys nothing.
    """
    d = case([supplier("cn", "CHN", 1.0, 100, end=2025), supplier("au", "AUS", 2.0, 100, end=2025)], 10, **LAUNDRY)
    plan, ev = solved(d)
    assert plan.stats.objective_usd == pytest.approx(25)
    assert ev.indicators["li", 2025].china_share == pytest.approx(0.5)
    assert sum(plan.stock_release_t.values()) == pytest.approx(0, abs=1e-9)


def test_on_the_imports_basis_a_tonne_counts_when_it_is_imported():
    """Korea's target is reliance for imports: the 20 t bought from China in 2024 are 2024 imports
    (under its 100% cap), and releasing 10 t of them in 2025 imports nothing: 20 USD, China 0% of 2025's
    imports.  The measure the strategy chose does not see the stock; the consumption basis does (above)."""
    d = case([supplier("cn", "CHN", 1.0, 100, end=2025), supplier("au", "AUS", 2.0, 100, end=2025)], 10,
             **{**LAUNDRY, "basis": "imports"})
    plan, ev = solved(d)
    assert plan.stats.objective_usd == pytest.approx(20)
    assert ev.indicators["li", 2024].china_share == pytest.approx(1.0)
    assert ev.indicators["li", 2025].imports_t == pytest.approx(0, abs=1e-9)


def test_the_stockpile_sheet_shows_the_china_pool_only_where_a_plan_decides_it(tmp_path):
    """20 t in stock at the start, half China-linked, 1 USD/t a year to hold; demand 10 t a year, a 50%
    China cap.  The stock serves both years (10 USD: 10 t held through 2024).  On consumption the cap
    decides the pools: a year's release counts toward it, so at most 5 t of it China-linked, and 5 t of
    each are released each year.  On imports nothing does: a release imports nothing, whichever pool it
    leaves, so the sheet leaves the pools out rather than report one split of many."""
    headers = {}
    for basis in ("consumption", "imports"):
        d = case([supplier("cn", "CHN", 1.0, 100, end=2025), supplier("au", "AUS", 2.0, 100, end=2025)], 10,
                 years=(2024, 2025), stockpile=[StockpileRule("li", 20, 1.0, 0.0, 100, initial_china_share=0.5)],
                 basis=basis, policy=PolicyLimits(china_cap_share=0.5))
        plan, ev = solved(d)
        assert plan.stats.objective_usd == pytest.approx(10)
        path = write_plan_workbook(tmp_path / f"{basis}.xlsx", d, plan, ev, [], "case.xlsx")
        rows = list(load_workbook(path)["Stockpile"].iter_rows(values_only=True))
        headers[basis] = rows[0]
        table = {r[rows[0].index("year")]: dict(zip(rows[0], r)) for r in rows[1:]}  # one mineral
        if basis == "consumption":
            assert [(table[y]["stock_china_t"], table[y]["released_china_t"]) for y in (2024, 2025)] == [
                pytest.approx((5, 5)), pytest.approx((0, 5))]
    assert set(headers["consumption"]) - set(headers["imports"]) == {"stock_china_t", "released_china_t"}
    assert {"stock_t", "released_t", "cover_t"} <= set(headers["imports"])


def test_recycling_meets_a_cap_on_consumption_that_imports_do_not():
    """Demand 100 t; China 1 USD/t (any amount), Australia 3 USD/t; a recycling module already running
    recovers 40 t at 0.5 USD/t; a 50% China cap.  On consumption (imports + recycling) 50 t of China
    and 10 t of Australia meet the cap: recycling dilutes it.  On imports, China may be only half of the
    60 t imported: 30 t each, 30 + 90 + 20 = 140 USD against 50 + 30 + 20 = 100."""
    feed = {("li", 2024): 100.0}
    rec = [RecyclingOption("r", "li", 40, 0.0, 0.5, 1, 1, 0, 1.0)]
    cap = PolicyLimits(china_cap_share=0.5)
    plans = {}
    for basis in ("consumption", "imports"):
        d = case([supplier("cn", "CHN", 1.0, 1000), supplier("au", "AUS", 3.0, 1000)], 100, policy=cap,
                 recycling=rec, feedstock=feed, basis=basis)
        plans[basis] = solved(d)
    consumption, imports = plans["consumption"], plans["imports"]
    assert consumption[0].stats.objective_usd == pytest.approx(100)
    assert consumption[1].indicators["li", 2024].china_share == pytest.approx(0.5)
    # The consumption plan, measured on imports, breaks the strategy's 50%: 50 of 60 t imported.
    assert consumption[0].buy_t["cn", 2024] / (consumption[0].buy_t["cn", 2024] + consumption[0].buy_t["au", 2024]) \
        == pytest.approx(50 / 60)
    assert imports[0].stats.objective_usd == pytest.approx(140)
    assert imports[1].indicators["li", 2024].china_share == pytest.approx(0.5)


def test_the_verifier_catches_the_laundering_plan():
    """The 20 USD plan of the test above, written by hand with its release booked to the
    'other' pool, breaks the pool accounting; booked honestly it breaks the 2025 China cap."""
    d = case([supplier("cn", "CHN", 1.0, 100, end=2025), supplier("au", "AUS", 2.0, 100, end=2025)], 10, **LAUNDRY)
    plan, _ = solved(d)
    for pool, expected in (("other", "stock pool li other 2024"), ("china", "China cap li 2025")):
        laundered = dataclasses.replace(plan, buy_t={("cn", 2024): 20.0, ("cn", 2025): 0.0, ("au", 2024): 0.0,
                                                     ("au", 2025): 0.0},
                                        contracted={k: 1 for k in plan.contracted})
        laundered.stock_add_t = {(m, p, y): 0.0 for m, p, y in plan.stock_add_t}
        laundered.stock_release_t = dict(laundered.stock_add_t)
        laundered.stock_t = dict(laundered.stock_add_t)
        laundered.stock_add_t["li", pool, 2024] = laundered.stock_t["li", pool, 2024] = 10.0
        laundered.stock_release_t["li", pool, 2025] = 10.0
        laundered.stats = dataclasses.replace(plan.stats, objective_usd=20.0)
        violations = evaluate(d, laundered).violations
        assert any(v.startswith(expected) for v in violations), violations


# ---- the horizon's end -----------------------------------------------------------------------

def stationary_case(years=(2024, 2031)):
    """Eight years of the same demand, prices and limits: a case whose last years should look
    like the years before them."""
    return case(
        [supplier("cn", "CHN", 100, 200, end=2040), supplier("au", "AUS", 130, 80, fixed=50, min_volume=20, end=2040),
         supplier("cl", "CHL", 120, 60, fixed=50, min_volume=10, end=2040)],
        100, years=years, discount_rate=0.045, min_contract_years=3,
        policy=PolicyLimits(china_cap_share=0.5, recycling_min_share=0.1, stockpile_min_days=60),
        recycling=[RecyclingOption("r", "li", 10, 2_000, 125, 1, 5, 1, 1.0, life_yr=15)],
        feedstock={("li", y): 40.0 for y in range(years[0], years[1] + 1)},
        stockpile=[StockpileRule("li", 10, 5, 2, 100, initial_china_share=0.5)],
        agreements=[Agreement("swap", "swap", ("JPN",), "li", 400, 5, 2024)])


def test_the_last_year_does_not_differ_in_kind_from_the_year_before():
    """Nothing is released to run the stock down at the end, no contract is dropped or module
    built for the last year only, and the last two years buy the same."""
    d = stationary_case()
    plan, ev = solved(d)
    last, before = 2031, 2030
    for s in d.suppliers:
        assert plan.contracted[s, last] == plan.contracted[s, before], s
        assert plan.buy_t[s, last] == pytest.approx(plan.buy_t[s, before], abs=1e-6), s
    assert plan.build_modules["r", last] == plan.build_modules["r", before] == 0
    assert sum(ev.indicators["li", last].released_t.values()) == pytest.approx(0, abs=1e-6)
    assert ev.indicators["li", last].stock_total_t == pytest.approx(ev.indicators["li", before].stock_total_t)
    # The stock handed on at the end covers the last year's required days of demand.
    assert ev.indicators["li", last].cover_t >= 60 / 365 * 100 - 1e-6


def test_a_contract_started_near_the_end_pays_its_minimum_length():
    """2024-2025, demand 10 t a year, no discounting, contracts run at least 3 years.
    China sells at 12 USD/t; Australia at 10 USD/t with a fixed cost of 15 USD a year.

    Contracting Australia for the two years saves 2 x 10 x 2 = 40 USD for 30 of fixed cost, but
    the contract's third year, past the horizon, still costs 15: 45 > 40, so the plan buys
    from China: 240 USD.  Were the source to end in 2025, no third year could be owed, and the
    contract pays: 200 + 30 = 230 USD.
    """
    cn = supplier("cn", "CHN", 12, 100, end=2025)
    past = case([cn, supplier("au", "AUS", 10, 100, fixed=15, end=2030)], 10, years=(2024, 2025), min_contract_years=3)
    plan, ev = solved(past)
    assert plan.stats.objective_usd == pytest.approx(240)
    assert not any(plan.contracted["au", y] for y in (2024, 2025))
    ending = case([cn, supplier("au", "AUS", 10, 100, fixed=15, end=2025)], 10, years=(2024, 2025),
                  min_contract_years=3)
    plan, ev = solved(ending)
    assert plan.stats.objective_usd == pytest.approx(230)
    assert ev.costs_usd["contracts"] == pytest.approx(30)


def test_recycling_capital_is_an_annuity_for_the_years_a_module_runs():
    """2024-2026, demand 10 t a year at 20 USD/t.  A module recycles 10 t at no operating cost,
    costs 1,000 and lives 10 years; at a 0 discount rate its annuity is 100 a year.  Built in
    2024 (lead time 1), it runs in 2025 and 2026 and is charged 2 x 100, saving 2 x 200 of
    imports: cost 200 + 2 x 100 = 400 USD.  A module built in 2026 would run only after the
    horizon and is charged nothing: it is neither free nor a waste.
    """
    d = case([supplier("cn", "CHN", 20, 100, end=2026)], 10, years=(2024, 2026),
             recycling=[RecyclingOption("r", "li", 10, 1_000, 0, 0, 3, 1, 1.0, life_yr=10)],
             feedstock={("li", y): 100.0 for y in (2024, 2025, 2026)})
    plan, ev = solved(d)
    assert plan.stats.objective_usd == pytest.approx(400)
    assert plan.build_modules["r", 2024] == 1 and ev.costs_usd["recycling_capital"] == pytest.approx(200)
    late = dataclasses.replace(plan, build_modules={**plan.build_modules, ("r", 2026): 1})
    assert evaluate(d, late).costs_usd["recycling_capital"] == pytest.approx(200)
    # At a positive rate the annuity repays the capital over the life: K r / (1 - (1 + r)^-T).
    at_5 = dataclasses.replace(d.settings, discount_rate=0.05)
    assert at_5.annuity_factor(10) * 1_000 == pytest.approx(129.50457, rel=1e-6)


# ---- the state at the start of the first decision year -----------------------------------------

def test_a_contract_in_force_runs_its_remaining_years():
    """2024-2026, demand 10 t a year.  China 10 USD/t; Chile 12 USD/t with a contract in force
    for 2 more years and a 10 t minimum: Chile supplies 2024 and 2025 (240), China 2026 (100):
    340 USD.  The contract started before the horizon, so it may end after two years although
    contracts otherwise run at least 3."""
    d = case([supplier("cn", "CHN", 10, 100, end=2026),
              supplier("cl", "CHL", 12, 100, min_volume=10, contract_years_left=2, end=2026)],
             10, years=(2024, 2026), min_contract_years=3)
    plan, _ = solved(d)
    assert plan.stats.objective_usd == pytest.approx(340)
    assert [plan.contracted["cl", y] for y in (2024, 2025, 2026)] == [1, 1, 0]


def test_a_member_at_the_start_stays_a_member():
    """Nothing asks for cover, yet a member at the start keeps paying its 50 a year."""
    d = case([supplier("cn", "CHN", 10, 100, end=2025)], 10, years=(2024, 2025),
             agreements=[Agreement("swap", "swap", ("JPN",), "li", 50, 5, 2020, member_at_start=True)])
    plan, ev = solved(d)
    assert plan.join == {("swap", 2024): 1, ("swap", 2025): 1}
    assert ev.costs_usd["agreements"] == pytest.approx(100)


# ---- risk, applicability -------------------------------------------------------------------------

def test_risk_weighted_by_stage_rewards_a_diversified_route():
    """Congolese cobalt refined in Finland against Indonesian cobalt refined in China: the worse
    of the two countries rates the Finnish route riskier (0.97 against 0.72); weighted by stage
    (0.5 each, the default) it is the safer one (0.535 against 0.71)."""
    d = read_workbook(DEFAULT_WORKBOOK).data
    fin, chn = d.suppliers["co_cod_fin"], d.suppliers["co_idn_chn"]
    assert d.supplier_risk(fin) == pytest.approx(0.535) and d.supplier_risk(chn) == pytest.approx(0.71)
    worst = dataclasses.replace(d, settings=dataclasses.replace(d.settings, risk_stage_combination="worst"))
    assert worst.supplier_risk(fin) == pytest.approx(0.97) and worst.supplier_risk(chn) == pytest.approx(0.72)


def test_avg_risk_is_the_quantity_the_risk_cap_limits():
    """China (risk 0.6) at 100, Australia (0.1) at 150, recycling at home (Korea, 0.1) up to
    20 t at 140.  On the consumption basis a cap of 0.35 on 100 t: 0.6 c + 0.1 (100 - c) <= 35, so
    c <= 50 t; the recycled tonnes count at Korea's score in the average the report shows, which then
    equals the cap where it binds."""
    d = case([supplier("cn", "CHN", 100, 100), supplier("au", "AUS", 150, 100)], 100,
             policy=PolicyLimits(risk_cap=0.35), basis="consumption",
             recycling=[RecyclingOption("r", "li", 20, 0, 140, 1, 1, 1, 1.0)], feedstock={("li", 2024): 50.0})
    plan, ev = solved(d)
    assert plan.buy_t["cn", 2024] == pytest.approx(50) and plan.recycled_t["r", 2024] == pytest.approx(20)
    assert ev.indicators["li", 2024].avg_risk == pytest.approx(0.35)
    assert plan.shadow_usd_per_point["risk_cap", "li", 2024] > 0


def test_a_limit_applies_only_where_it_can_bind(tmp_path):
    """The default case's all-minerals recycling target does not apply to the minerals with no
    recycling option: the model, the verifier and the reports agree, and a sweep over it
    reports them as not applicable and verifies every point it solves.  The sweep runs on every mineral but the
    battery group (the magnet group's stream plants and tungsten's own option still recycle), whose model added
    only solves."""
    d = read_workbook(DEFAULT_WORKBOOK).data
    assert not d.limit_applies("recycling_min_share", "cerium") and d.limit_applies("recycling_min_share", "lithium")
    assert d.limit("recycling_min_share", "cerium", 2030) is None and d.limit("recycling_min_share", "lithium", 2030)
    battery = next(g for g in d.mineral_groups if "lithium" in g)
    cut = write_input_workbook(default_tables_for(*(m for m in d.minerals if m not in battery)), tmp_path / "cut.xlsx")
    result = CliRunner().invoke(main, ["sweep", str(cut), "--recycling", "0.005,0.01,0.25", "--years",
                                       "2030", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "not applicable to cerium, lanthanum, gallium, molybdenum" in result.output
    wb = load_workbook(tmp_path / "cut-sweep-recycling.xlsx")
    status = {r[0]: r[1] for r in wb["Sweep"].iter_rows(min_row=2, values_only=True)}
    assert status[0.005] == status[0.01] == "optimal"  # solved and verified (a failed check would be "error")
    assert status[0.25] == "infeasible"  # no mineral's feedstock gives a quarter of its demand by 2030
    run = {r[0]: r[1] for r in wb["Run"].iter_rows(min_row=2, values_only=True)}
    assert run["not_applicable"] == "cerium, lanthanum, gallium, molybdenum"
    page = (tmp_path / "cut-sweep-recycling.html").read_text(encoding="utf-8")
    assert "Not applicable to cerium" in page and "each solved" not in page


# ---- the workbook ---------------------------------------------------------------------------------

def test_the_default_case_plans_2026_to_2035_from_the_state_at_the_end_of_2025():
    d = read_workbook(DEFAULT_WORKBOOK).data
    assert (d.settings.first_year, d.settings.last_year, d.settings.price_year) == (2026, 2035, 2024)
    assert {s.supplier_id for s in d.suppliers.values() if s.contract_years_left} >= {"li_aus_kor", "ni_fin_fin"}
    assert all(0 < r.initial_china_share <= 1 for r in d.stockpile.values())
    policy = load_default_tables()["Policy"]
    for y in range(2030, 2036):  # the 2030 targets are held to 2035 on the all-minerals rows
        row = next(r for r in policy if r["year"] == y and r["mineral_id"] is None)
        assert (row["china_cap_share"], row["single_country_cap_share"], row["stockpile_min_days"]) == (0.5, 0.5, 100)
    # A mineral's own row says why it differs: the data cannot meet the target, or nickel's own mandate.
    assert {r["source_id"] for r in policy if r["mineral_id"]} == {"policy_reachable", "pps_nonferrous"}
    assert all(d.limit("china_cap_share", m, y) >= 0.5 for m in d.minerals for y in range(2030, 2036))


def test_a_workbook_with_the_old_base_year_setting_is_told_what_replaced_it(tmp_path):
    path = write_input_workbook(load_default_tables(), tmp_path / "case.xlsx")
    wb = load_workbook(path)
    assert wb["Settings"]["A2"].value == "first_year"
    wb["Settings"]["A2"] = "base_year"
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_workbook(path)
    assert any(str(i).startswith("'Settings'!A2") and "first_year (the first decision year) and price_year" in str(i)
               for i in e.value.issues), e.value.issues


@pytest.mark.parametrize("edit, cell, words", [
    (lambda t: next(r for r in t["Suppliers"] if r["supplier_id"] == "li_kaz_kaz").update(contract_years_left=2),
     None, "a contract in force at the start must be usable"),
    (lambda t: t["Agreements"][0].update(member_at_start="yes", first_year=2028),
     None, "a member at the start of 2026, but first_year is 2028"),
])
def test_state_and_horizon_errors_name_their_cell(tmp_path, edit, cell, words):
    tables = load_default_tables()
    edit(tables)
    path = write_input_workbook(tables, tmp_path / "case.xlsx")
    with pytest.raises(InputError) as e:
        read_workbook(path)
    found = [str(i) for i in e.value.issues]
    assert any(words in f and (cell is None or f.startswith(cell)) for f in found), found
