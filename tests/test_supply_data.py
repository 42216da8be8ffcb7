"""Supply that does not bend to demand: project ramp-ups and Korea's accessible share, recycling
feedstock from a stock-flow of products with several metals per stream, Korean refineries, and the
workbook errors that guard them."""

import dataclasses

import pytest

from conftest import TEST_OPTS
from factory import PolicyLimits, RecyclingOption, case, default_tables_for, supplier
from models.dataset import RecyclingPlant, Refinery, Stream
from models.plan import OPTIMAL
from models.solve import solve_case
from planner.verify import verify
from planner.workbook.errors import InputError
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook


def solved(d):
    plan = solve_case(d, TEST_OPTS)
    assert plan.stats.status == OPTIMAL
    return plan, verify(d, plan)


def test_a_ramp_up_delivers_its_stated_share_by_year():
    """A new project (10 USD/t, 100 t/yr nameplate from 2024) ramps up 30%, 60%, then full; an old route
    at 20 USD/t fills the rest of 100 t a year: 30, 60 and 100 t from the project.  Korea may take only
    80% of it (partners' offtakes), and it is 90% sure to deliver: 0.72 x nameplate once ramped up."""
    new = dataclasses.replace(supplier("new", "AUS", 10, 100, end=2026), ramp_up=(0.3, 0.6))
    old = supplier("old", "CHL", 20, 1000, end=2026)
    plan, _ = solved(case([new, old], 100, years=(2024, 2026)))
    assert [plan.buy_t["new", y] for y in (2024, 2025, 2026)] == pytest.approx([30, 60, 100])
    shared = dataclasses.replace(new, accessible_share=0.8, delivery_probability=0.9)
    plan, _ = solved(case([shared, old], 100, years=(2024, 2026)))
    assert [plan.buy_t["new", y] for y in (2024, 2025, 2026)] == pytest.approx([0.3 * 72, 0.6 * 72, 72])


def battery_case(capacity_units: float, nickel_floor: float = 0.0):
    """Lithium and nickel, 100 t demand each a year, imports at 10 USD/t.  One battery stream: 1,000 units
    retire each year (all collected), each holding 0.02 t of lithium and 0.08 t of nickel, recovered at
    90% and 95%.  A plant already built processes ``capacity_units`` a year at 0.5 USD a unit, less than
    the 0.02 x 0.9 x 10 + 0.08 x 0.95 x 10 = 0.94 USD of imports a unit replaces."""
    stream = Stream("bat", "spent batteries", "unit", 1.0, {"li": 0.02, "ni": 0.08}, {"li": 0.9, "ni": 0.95},
                    {2024: 1000.0}, {0: 1.0})
    plant = RecyclingPlant("hydro", "bat", capacity_units, 0.0, 0.5, 1, 1, 0)
    outputs = [RecyclingOption(f"hydro:{m}", m, capacity_units, 0.0, 0.0, 1, 1, 0, stream.recovery_yield[m],
                               plant_id="hydro") for m in ("li", "ni")]
    sups = [supplier(f"{m}_au", "AUS", 10, 1000, mineral=m) for m in ("li", "ni")]
    policy = {("ni", 2024): PolicyLimits(recycling_min_share=nickel_floor)} if nickel_floor else None
    d = case(sups, 100, minerals=("li", "ni"), recycling=outputs, policy=policy)
    return dataclasses.replace(d, streams={"bat": stream}, recycling_plants={"hydro": plant})


def test_a_two_metal_battery_stream_shares_its_capacity():
    """500 units of capacity against 1,000 retired: the plant runs flat out and every unit yields both
    metals at once, 500 x 0.02 x 0.9 = 9 t of lithium and 500 x 0.08 x 0.95 = 38 t of nickel.  A nickel
    floor of 40% cannot be met from 500 units (38 t): with 1,000 units' capacity it needs 40 / 0.076 =
    526.3 units, which also recover 9.47 t of lithium."""
    d = battery_case(500)
    plan, ev = solved(d)
    assert plan.processed_units["hydro", 2024] == pytest.approx(500)
    assert plan.recycled_t["hydro:li", 2024] == pytest.approx(9) and plan.recycled_t["hydro:ni", 2024] == \
        pytest.approx(38)
    assert d.mineral_groups == [["li", "ni"]]  # the shared plant links the two minerals
    assert solve_case(battery_case(500, nickel_floor=0.4), TEST_OPTS).stats.status == "infeasible"
    wide = battery_case(1000, nickel_floor=0.4)
    wide = dataclasses.replace(wide, recycling_plants={"hydro": dataclasses.replace(
        wide.recycling_plants["hydro"], operating_cost_usd_per_t=30.0)})  # now recycling only for the floor
    plan, _ = solved(wide)
    assert plan.processed_units["hydro", 2024] == pytest.approx(40 / 0.076)
    assert plan.recycled_t["hydro:li", 2024] == pytest.approx(40 / 0.076 * 0.018)


def test_a_stock_flow_gives_the_units_retiring_each_year():
    """Units put on the market retire by age: 100 (2020) and 200 (2021) units with half retiring at age
    3 and half at 4 give 50 units in 2023, 150 in 2024 and 100 in 2025; 80% are collected."""
    s = Stream("s", "s", "unit", 0.8, {}, {}, {2020: 100.0, 2021: 200.0}, {3: 0.5, 4: 0.5})
    assert [s.available_units(y) for y in (2023, 2024, 2025, 2026)] == pytest.approx([40, 120, 80, 0])


def test_a_korean_refinery_limits_its_feed_and_charges_its_capital():
    """Australian ore refined in Korea at 5 USD/t plus 2 USD/t conversion, against 12 USD/t imported
    hydroxide.  The refinery has no module; one module (60 t/yr, 100 USD, built in 2024, a year's lead,
    two years' life, no discounting: an annuity of 50 USD a year) runs in 2025 only: 60 t at 7 USD/t
    + 50 = 470 instead of 720; 2024 is all imports.  So the plan builds it: 1,200 + 470 + 40 x 12 = 2,150."""
    feed = dataclasses.replace(supplier("au_kor", "AUS", 5, 1000, processing="KOR", end=2025), refinery_id="kr")
    imported = supplier("chl", "CHL", 12, 1000, end=2025)
    d = case([feed, imported], 100, years=(2024, 2025))
    d = dataclasses.replace(d, refineries={"kr": Refinery("kr", "li", 60, 100, 2, 0, 1, 1, 2)})
    plan, ev = solved(d)
    assert plan.build_modules["kr", 2024] == 1
    assert plan.buy_t["au_kor", 2024] == pytest.approx(0) and plan.buy_t["au_kor", 2025] == pytest.approx(60)
    assert plan.stats.objective_usd == pytest.approx(100 * 12 + 60 * 7 + 50 + 40 * 12)
    assert ev.costs_usd["refining"] == pytest.approx(60 * 2 + 50)


def test_todays_pattern_counts_contracts_in_force_and_only_refineries_that_exist():
    """validate's cheapest-first China share (100 t): Korean refining of Australian ore (5 + 2 USD/t)
    is cheapest but has no module, so it fills nothing; a Chilean contract in force (15 USD/t) takes
    its 30 t minimum; Chinese hydroxide (10 USD/t) the other 70 t: 70% China.  With one module of
    60 t the refined route takes 60 t before China: 10%."""
    from planner.workbook.validate import merit_order_china_share

    feed = dataclasses.replace(supplier("au_kor", "AUS", 5, 1000, processing="KOR"), refinery_id="kr")
    contract = supplier("chl", "CHL", 15, 1000, min_volume=30, contract_years_left=2)
    china = supplier("chn", "CHN", 10, 1000)
    d = case([feed, contract, china], 100)
    d = dataclasses.replace(d, refineries={"kr": Refinery("kr", "li", 60, 100, 2, 0, 1, 1, 2)})
    assert merit_order_china_share(d, 2024)["li"] == pytest.approx(0.7)
    built = dataclasses.replace(d, refineries={"kr": Refinery("kr", "li", 60, 100, 2, 1, 1, 1, 2)})
    assert merit_order_china_share(built, 2024)["li"] == pytest.approx(0.1)


# ---- the workbook ----------------------------------------------------------------------------

def errors_of(tmp_path, change) -> str:
    tables = default_tables_for("lithium", "nickel")
    change(tables)
    path = write_input_workbook(tables, tmp_path / "bad.xlsx")
    with pytest.raises(InputError) as e:
        read_workbook(path)
    return "\n".join(str(i) for i in e.value.issues)


def stream_tables(tables, shares=(0.5, 0.4)):
    tables["Streams"] = [
        {"stream_id": "ev", "name": "EV batteries", "unit": "MWh", "collection_rate": 0.8, "mineral_id": "lithium",
         "content_t_per_unit": 0.56, "recovery_yield": 0.85, "source_id": None},
        {"stream_id": "ev", "name": None, "unit": None, "collection_rate": None, "mineral_id": "nickel",
         "content_t_per_unit": 2.8, "recovery_yield": 0.95, "source_id": None}]
    tables["Put on market"] = [{"stream_id": "ev", "year": 2015, "units": 1000, "source_id": None}]
    tables["Lifetimes"] = [{"stream_id": "ev", "age_yr": 12 + k, "share_retiring": x, "source_id": None}
                           for k, x in enumerate(shares)]


def test_bad_supply_and_recycling_data_are_named_by_their_cells(tmp_path):
    def change(tables):
        tables["Suppliers"][0]["ramp_up"] = "0.5;1.2"
        stream_tables(tables)
        tables["Refining"] = [{"refinery_id": "kor_li", "mineral_id": "lithium", "name": None,
                               "module_capacity_t_per_yr": 10000, "capital_cost_usd_per_module": 1e8,
                               "operating_cost_usd_per_t": 1500, "existing_modules": 0, "max_modules": 4,
                               "lead_time_yr": 3, "life_yr": 25, "source_id": None}]
        settings = next(r for r in tables["Settings"] if r["name"] == "reliance_basis")
        settings["value"] = "supply"

    found = errors_of(tmp_path, change)
    assert "'Suppliers'!" in found and "ramp_up" in found and "0.5;1.2" in found  # a ramp-up above 1
    assert "'Lifetimes'!C3" in found and "adding up to 1" in found  # 0.5 + 0.4
    assert "'Refining'!A2" in found and "no option names this one" in found  # a refinery with no feed
    assert "reliance_basis" in found and "imports, consumption" in found  # a basis that does not exist


def test_days_of_stock_on_the_iea_basis_and_the_mandates():
    """Demand 100 t a year, imports only (10 USD/t), no stock at the start; a 73-day floor in both years
    (20 t), met by 15 t of stock and a 5 t agreement line.  2024: imports 100 + 15 = 115 t; the mandate's
    basis counts 20 t = 73 days of demand, the stock alone 15 t = 54.75 days, the IEA's stock over the year
    before's imports (the first year: its own, 115 t) 15 / 115 x 365 = 47.6 days; 2025: imports 100 t,
    the IEA's 15 / 115 x 365 again."""
    from factory import Agreement, StockpileRule

    d = case([supplier("au", "AUS", 10, 1000, end=2025)], 100, years=(2024, 2025),
             policy=PolicyLimits(stockpile_min_days=73), stockpile=[StockpileRule("li", 0, 1, 0, 500)],
             agreements=[Agreement("ag", "swap", ("JPN",), "li", 0, 5, 2024, fee_usd_per_t_yr=0.0)])
    plan, ev = solved(d)
    first, second = ev.indicators["li", 2024], ev.indicators["li", 2025]
    assert first.stockpile_days == pytest.approx(73) and first.stock_days == pytest.approx(54.75)
    assert first.imports_t == pytest.approx(115) and second.imports_t == pytest.approx(100)
    assert first.stock_days_iea == pytest.approx(15 / 115 * 365)
    assert second.stock_days_iea == pytest.approx(15 / 115 * 365)


def test_the_magnets_recycled_carry_their_rare_earths_in_the_proportion_demand_uses(tmp_path):
    """The default case's magnet streams held 0.035 t of Dy2O3 and 0.007 t of Tb4O7 per 0.30 t of NdPr, three times
    the composition the Demand sheet puts Korea's dysprosium and terbium at (~3.6% and ~1.1% of NdPr): recycling
    could meet 16.5% and 11% of their 2030 demand against NdPr's 5.1%.  One composition for both sheets: each
    stream's Dy and Tb per tonne of NdPr is demand's, every year, within 2%; and so is what recycling can give,
    as a share of demand, the same for the three (the same plants, the same magnets)."""
    from planner.workbook.validate import max_recycling_t

    tables = default_tables_for("neodymium", "dysprosium", "terbium")
    content = {(r["stream_id"], r["mineral_id"]): r["content_t_per_unit"] for r in tables["Streams"]}
    demand = {(r["mineral_id"], r["year"]): r["demand_t"] for r in tables["Demand"]}
    d = read_workbook(write_input_workbook(tables, tmp_path / "magnets.xlsx")).data
    for stream in ("vehicle_magnets", "magnet_swarf"):
        for m in ("dysprosium", "terbium"):
            for y in d.years:
                in_stream = content[stream, m] / content[stream, "neodymium"]
                assert in_stream == pytest.approx(demand[m, y] / demand["neodymium", y], rel=0.02), (stream, m, y)
    for y in d.years:
        shares = [max_recycling_t(d, m, y) / d.demand_t[m, y] for m in ("neodymium", "dysprosium", "terbium")]
        assert shares == pytest.approx([shares[0]] * 3, rel=0.02), y
