"""The Scenarios sheet: each lever and edit does what it says, bad rows are named by cell,
and a ban never makes the plan cheaper."""

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TEST_OPTS
from factory import case, supplier
from models.plan import OPTIMAL
from models.solve import SolveOptions, solve_case
from planner.workbook.defaults import load_default_tables
from planner.workbook.errors import InputError, Issues
from planner.workbook.cells import Parser
from planner.workbook.reader import read_workbook
from planner.workbook.scenarios import Change, Scenario, apply_scenario
from planner.workbook.validate import check_dataset
from planner.workbook.writer import write_input_workbook

ISSUE_SCENARIOS = {"graphite_ban_2026", "gallium_ban", "rare_earth_ban", "lithium_price_up", "china_cap_40",
                   "indonesia_nickel_restriction", "central_asia_delay"}


def row(scenario, **kw):
    base = dict.fromkeys(("description", "lever", "sheet", "item_id", "mineral_id", "country", "country_role",
                          "first_year", "last_year", "column", "operation", "value", "source_id"))
    return {"scenario": scenario, **base, **kw}


def workbook_with(tmp_path, rows):
    tables = load_default_tables()
    tables["Scenarios"] = rows
    return write_input_workbook(tables, tmp_path / "case.xlsx")


def load(tmp_path, rows):
    return read_workbook(workbook_with(tmp_path, rows))


def errors(tmp_path, rows) -> list[str]:
    with pytest.raises(InputError) as e:
        load(tmp_path, rows)
    return [str(i) for i in e.value.issues]


def test_default_workbook_ships_the_issue_scenarios():
    from conftest import DEFAULT_WORKBOOK

    loaded = read_workbook(DEFAULT_WORKBOOK)
    assert ISSUE_SCENARIOS <= set(loaded.scenarios)
    for sc in loaded.scenarios.values():
        assert sc.data is not None and sc.description


def test_disruption_bans_china_linked_graphite_in_its_years_only(tmp_path):
    loaded = load(tmp_path, [row("ban", lever="disruption", mineral_id="graphite", country="CHN",
                                 first_year=2027, last_year=2030, value=0)])
    base, d = loaded.data, loaded.scenarios["ban"].data
    hit = {s.supplier_id for s in base.suppliers.values() if s.mineral_id == "graphite" and "CHN" in s.countries}
    assert hit == {"gr_chn_chn", "gr_moz_chn"}
    for s in base.suppliers.values():
        for y in base.years:
            cut = s.supplier_id in hit and 2027 <= y <= 2030
            assert d.capacity_t(s, y) == (0.0 if cut else base.capacity_t(s, y))
            assert d.min_volume_t(s, y) == (0.0 if cut else base.min_volume_t(s, y))
    assert base.capacity_factor == {}  # the base case is untouched


def test_country_role_picks_origin_or_processing(tmp_path):
    loaded = load(tmp_path, [
        row("origin", lever="disruption", country="IDN", country_role="origin", value=0.5),
        row("processing", lever="disruption", country="IDN", country_role="processing", value=0.5)])
    by_origin = {k[0] for k in loaded.scenarios["origin"].data.capacity_factor}
    by_processing = {k[0] for k in loaded.scenarios["processing"].data.capacity_factor}
    assert by_origin == {"ni_idn_chn", "ni_idn_idn", "co_idn_chn"}
    assert by_processing == {"ni_idn_idn"}


def test_price_demand_policy_and_edits(tmp_path):
    loaded = load(tmp_path, [
        row("mix", lever="price_shock", mineral_id="lithium", first_year=2027, value=1.5),
        row("mix", lever="demand_change", mineral_id="nickel", last_year=2027, value=2),
        row("mix", lever="policy", column="china_cap_share", mineral_id="cobalt", first_year=2030, value=0.3),
        row("mix", sheet="Suppliers", item_id="li_kaz_kaz", column="first_year", operation="add", value=2),
        row("mix", sheet="Settings", item_id="allow_unmet_demand", column="value", operation="set", value="yes"),
        row("mix", sheet="Policy", column="stockpile_min_days", operation="scale", value=0.5)])
    base, d = loaded.data, loaded.scenarios["mix"].data
    s = base.suppliers["li_aus_chn"]
    assert d.price_usd_per_t(s, 2026) == base.price_usd_per_t(s, 2026)
    assert d.price_usd_per_t(s, 2027) == pytest.approx(1.5 * base.price_usd_per_t(s, 2027), rel=1e-12)
    assert d.demand_t["nickel", 2027] == 2 * base.demand_t["nickel", 2027]
    assert d.demand_t["nickel", 2028] == base.demand_t["nickel", 2028]
    assert d.limits("cobalt", 2030).china_cap_share == 0.3
    assert d.limits("cobalt", 2029).china_cap_share == base.limits("cobalt", 2029).china_cap_share
    assert d.suppliers["li_kaz_kaz"].first_year == base.suppliers["li_kaz_kaz"].first_year + 2
    assert d.settings.allow_unmet_demand and not base.settings.allow_unmet_demand
    assert d.limits("lithium", 2030).stockpile_min_days == 50
    # A changed figure points at the Scenarios cell that set it, for later messages.
    assert d.cell("Policy", ("cobalt", 2030), "china_cap_share") == "'Scenarios'!M4"


@pytest.mark.parametrize("bad, cell, text", [
    (dict(sheet="Supplierz", column="capacity_t_per_yr", operation="scale", value=0), "D2", "one of: Settings"),
    (dict(sheet="Suppliers", column="capacity", operation="scale", value=0), "K2", "did you mean 'capacity_t_per_yr'"),
    (dict(lever="disruption", mineral_id="unobtainium", value=0), "F2", "one of: cerium"),
    (dict(lever="disruption", item_id="no_such_option", value=0), "E2", "one of:"),
    (dict(lever="demand_change", country="CHN", value=2), "G2", "Demand rows are chosen by"),
    (dict(sheet="Suppliers", column="fixed_cost_usd_per_yr", operation="scale", first_year=2026, value=2), "I2",
     "changes for the whole row"),
    (dict(lever="policy", column="china_cap_share", operation="scale", value=3), "M2", "a share between 0 and 1"),
    (dict(lever="disruption", column="price_usd_per_t", value=0), "K2", "lever disruption sets it"),
    (dict(lever="policy", value=0.4), "K2", "names its column"),
    (dict(lever="disruption", mineral_id="graphite", country="RUS", value=0), "F2", "match none"),
    (dict(sheet="Settings", item_id="base_year", column="value", operation="set", value=2025), "E2",
     "settings a scenario may change"),
    (dict(lever="disruption", value=-1), "M2", ">= 0"),
    # It said "value is not a number to scale or add to" of discount_rate, a number.
    (dict(sheet="Settings", item_id="discount_rate", column="value", operation="scale", value=2), "L2",
     "set: a scenario gives a setting its new value (discount_rate set to the value wanted), not a scale or an "
     "addition"),
    (dict(sheet="Suppliers", column="contract", operation="add", value=1), "L2",
     "set: contract is not a number to scale or add to"),
])
def test_bad_scenario_rows_are_named_by_cell(tmp_path, bad, cell, text):
    found = errors(tmp_path, [row("s", **bad)])
    assert any(f"'Scenarios'!{cell}" in e and text in e for e in found), found


def test_a_row_naming_an_item_of_a_sheet_without_rows_says_the_sheet_has_none(tmp_path):
    """A case without agreements (the Agreements sheet emptied): a scenario naming one listed the ids to choose
    from as "one of: " and nothing after it."""
    tables = load_default_tables()
    tables["Agreements"] = []
    tables["Scenarios"] = [row("fees_up", sheet="Agreements", item_id="jpn_swap", column="fee_usd_per_yr",
                               operation="scale", value=2)]
    with pytest.raises(InputError) as e:
        read_workbook(write_input_workbook(tables, tmp_path / "case.xlsx"))
    assert [str(i) for i in e.value.issues if i.sheet == "Scenarios"] == [
        "'Scenarios'!E2 [item_id]: found 'jpn_swap'; an id on the Agreements sheet; it has none"]


def test_all_scenario_errors_at_once(tmp_path):
    found = errors(tmp_path, [row("a", lever="disruption", mineral_id="unobtainium", value=0),
                              row("b", lever="policy", column="no_such_limit", value=0.4)])
    assert any("'Scenarios'!F2" in e for e in found) and any("'Scenarios'!K3" in e for e in found)


# ---- a ban, solved ----------------------------------------------------------------------------

def _ban(d, suppliers, years) -> Scenario:
    change = Change(2, "M2", "Suppliers", "capacity_t_per_yr", "scale", 0.0, tuple(suppliers), tuple(years),
                    frozenset({"li"}))
    issues = Issues()
    sc = Scenario("ban", "", [change])
    sc.data = apply_scenario(d, sc, Parser(issues, d.years), issues)
    assert not issues.errors
    return sc


def test_a_scenario_is_checked_for_errors_without_working_out_warnings_it_never_reports():
    """A scenario's dataset is checked for errors only (``check_dataset(..., warnings=False)``): its warnings
    were worked out for every scenario and dropped, a tenth of reading the default workbook.  A ban that
    leaves demand short warns in a full check and not in a scenario's; the errors are the same."""
    d = case([supplier("cn", "CHN", 100, 80, end=2026), supplier("au", "AUS", 150, 80, end=2026)], 60,
             years=(2024, 2026))
    short = _ban(d, ["cn", "au"], [2025]).data  # nothing to buy in 2025
    full, errors_only = Issues(), Issues()
    check_dataset(short, full)
    check_dataset(short, errors_only, warnings=False)
    warned = [i for i in full if i not in full.errors]
    assert any("2025" in str(w) for w in warned) and all(i in errors_only.errors for i in errors_only)
    assert [str(e) for e in full.errors] == [str(e) for e in errors_only.errors]


def test_a_ban_really_removes_that_supply(opts):
    d = case([supplier("cn", "CHN", 100, 80, end=2026), supplier("au", "AUS", 150, 80, end=2026)], 60,
             years=(2024, 2026))
    plan = solve_case(_ban(d, ["cn"], [2025, 2026]).data, opts)
    assert plan.stats.status == OPTIMAL
    assert plan.buy_t["cn", 2024] == pytest.approx(60)
    assert plan.buy_t["cn", 2025] == plan.buy_t["cn", 2026] == 0
    assert plan.buy_t["au", 2025] == pytest.approx(60)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["CHN", "AUS", "CHL", "IDN"]), st.integers(50, 200),
                          st.integers(10, 90), st.sampled_from([0, 0, 10])), min_size=2, max_size=5),
       st.integers(20, 120), st.sampled_from(["CHN", "AUS", "IDN"]), st.integers(2024, 2026))
def test_cost_under_a_ban_is_never_below_the_base(options, demand, country, start):
    sups = [supplier(f"s{i}", c, p, cap, min_volume=min(mv, cap), end=2026)
            for i, (c, p, cap, mv) in enumerate(options)]
    d = case(sups, demand, years=(2024, 2026), allow_unmet=True, min_contract_years=2)
    banned = [s.supplier_id for s in sups if s.origin_country == country]
    base = solve_case(d, TEST_OPTS, shadow_prices=False)
    assert base.stats.status == OPTIMAL  # unmet demand is allowed, so always feasible
    if not banned:
        return
    ban = solve_case(_ban(d, banned, range(start, 2027)).data, TEST_OPTS, shadow_prices=False)
    assert ban.stats.status == OPTIMAL
    assert ban.stats.objective_usd >= base.stats.objective_usd * (1 - 1e-9) - 1e-6
    assert all(ban.buy_t.get((s, y), 0.0) <= 1e-6 for s in banned for y in range(start, 2027))


def test_graphite_ban_in_the_default_case(tmp_path):
    from conftest import DEFAULT_WORKBOOK

    loaded = read_workbook(DEFAULT_WORKBOOK)
    opts = SolveOptions(time_limit_s=60, mip_gap=0.002, threads=2)
    d = loaded.scenarios["graphite_ban_2026"].data
    plan = solve_case(d, opts, shadow_prices=False)
    assert plan.has_solution
    for (s, y), t in plan.buy_t.items():
        if s in ("gr_chn_chn", "gr_moz_chn") and y >= 2026:
            assert t == 0
    assert plan.unmet_t["graphite", 2026] > 0  # a ban in the first decision year cannot be prepared for
    assert replace(d.settings, allow_unmet_demand=False) != d.settings  # the scenario allows shortfalls


def test_a_scenario_that_shrinks_demand_below_a_kilogram_is_refused_once_at_its_cell(tmp_path):
    """validate.MIN_DEMAND_T holds for a scenario's case too (a gram of gallium could be left unmet within HiGHS's
    tolerance): a demand_change of 1e-9 is one error at the Scenarios value cell that scaled all ten years, not
    one per year."""
    found = errors(tmp_path, [row("tiny", lever="demand_change", mineral_id="gallium", first_year=2026, value=1e-9)])
    tiny = [e for e in found if "at least 0.001 t" in e]
    assert len(tiny) == 1, found
    assert "'Scenarios'!M2" in tiny[0] and "gallium 2026-2035" in tiny[0], tiny
    # Without a mineral the one cell scales every mineral's demand: one error that names them all.
    found = errors(tmp_path, [row("tiny", lever="demand_change", first_year=2026, value=1e-9)])
    tiny = [e for e in found if "at least 0.001 t" in e]
    assert len(tiny) == 1 and "lithium" in tiny[0] and "gallium" in tiny[0] and "2026-2035" in tiny[0], tiny


def test_a_scenario_that_pushes_a_tonnage_beyond_a_billion_tonnes_is_refused_at_its_cell(tmp_path):
    """A tonnage is at most 1e9 t (schema.MAX_TONNES: beyond it the solver's round-off reads a sound case as
    infeasible) after a what-if's scale or add too, as typed: the Scenarios cell that made it is named."""
    found = errors(tmp_path, [row("huge", lever="demand_change", mineral_id="gallium", first_year=2026, value=1e8)])
    huge = [e for e in found if "1,000,000,000 t" in e]
    assert huge and all(e.startswith("'Scenarios'!M2 [demand_t]") and "far above any mineral's world output" in e
                        for e in huge), found
    found = errors(tmp_path, [row("huge", sheet="Stockpile", item_id="gallium", column="max_stock_t", operation="add",
                                  value=1.5e9)])
    assert any(e.startswith("'Scenarios'!M2 [max_stock_t]") and "1,000,000,000 t" in e for e in found), found


def test_a_factor_that_looks_like_a_percentage_typed_as_a_number_is_warned_of(tmp_path):
    """A demand_change of 120 meant +20%, a price_shock of 150 meant +50%, a disruption of 50 meant half the
    tonnes: each multiplied its figures by 120, 150 or 50, and compare planned it without a word. So did an
    Uncertainty range of 80 to 120 meant as 80% to 120%. They stand (a new mine may multiply a capacity
    tenfold), each with a warning at its cell; a factor below 10 has none."""
    tables = load_default_tables()
    tables["Scenarios"] = [
        row("demand_up", lever="demand_change", mineral_id="lithium", first_year=2027, value=120,
            source_id="scn_demand"),
        row("price_up", lever="price_shock", mineral_id="lithium", value=150, source_id="scn_demand"),
        row("half_cut", lever="disruption", mineral_id="graphite", country="CHN", value=50, source_id="scn_demand"),
        row("doubled", lever="price_shock", mineral_id="nickel", value=9.5, source_id="scn_demand")]
    tables["Uncertainty"].append(tables["Uncertainty"][0] | {"factor": "prices", "column": "price_usd_per_t",
                                                             "low": 80, "high": 120})
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "percent.xlsx"))
    assert loaded.scenarios["demand_up"].data.demand_t["lithium", 2030] == pytest.approx(
        120 * loaded.data.demand_t["lithium", 2030])  # read as written
    high = len(tables["Uncertainty"]) + 1
    assert [str(w) for w in loaded.warnings if w.sheet in ("Scenarios", "Uncertainty")] == [
        f"'Scenarios'!M{r} [value]: found {x}; a factor (scale: 1 changes nothing, 1.2 adds 20%); {x} multiplies "
        f"{column} by {x}. A percentage typed as a number? For {x}% type {x / 100:g}"
        for r, x, column in ((2, 120, "demand_t"), (3, 150, "price_usd_per_t"), (4, 50, "capacity_t_per_yr"))] + [
        f"'Uncertainty'!{c}{high} [{end}]: found {x:.1f}; a factor (scale: 1 changes nothing, 1.2 adds 20%); {x} "
        f"multiplies price_usd_per_t by {x}. A percentage typed as a number? For {x}% type {x / 100:g}"
        for c, end, x in (("M", "low", 80), ("N", "high", 120))]


@pytest.mark.parametrize("name", ["base", " Base ", "NO_POLICY"])
def test_a_scenario_named_as_one_of_compares_own_cases_is_refused_at_its_name(tmp_path, name):
    """A scenario named base replaced the base case in planner compare --all: every other case's change was
    measured from the scenario, and the scenario's own change was 0; one named no_policy was labelled "no policy"."""
    found = errors(tmp_path, [row(name, description="Lithium up by half", lever="price_shock", mineral_id="lithium",
                                  value=1.5), row(name, lever="demand_change", value=1.1)])
    assert found == [f"'Scenarios'!A2 [scenario]: found {name.strip()!r}; a name other than base and no_policy: planner "
                     "compare names its own cases so (the base case, the case without Policy limits), and would take "
                     "this scenario for one"], found


def test_a_base_cell_a_scenario_makes_wrong_names_the_scenario_and_its_cells(tmp_path):
    """A what-if sanctioning Mozambique makes gr_moz_kor's contract in force (Suppliers contract_years_left 2)
    unusable. The error named 'Suppliers'!N27 alone, a cell the planner had not touched and the base case
    accepts, without saying which scenario broke it; it now names the scenario and the Scenarios cell."""
    found = errors(tmp_path, [row("moz_sanction", sheet="Countries", item_id="MOZ", column="sanctioned",
                                  operation="set", value="yes")])
    hit = [e for e in found if e.startswith("'Suppliers'!N27 [contract_years_left]")]
    assert len(hit) == 1, found
    assert "in scenario moz_sanction, after its changes: 'Scenarios'!M2; the base case is valid" in hit[0], hit
    # ...and says why the contract is unusable: the country sanctioned (it read "contract off, or a sanctioned
    # country", and the planner had to find which).
    assert "must be usable, but MOZ is sanctioned (Countries), so the model excludes it" in hit[0], hit


def test_a_what_if_changing_the_minerals_penalty_of_a_mineral_with_a_shortage_curve_is_warned_it_changes_nothing(
        tmp_path):
    """Tungsten's unmet tonnes are priced by its Shortage costs rows; a what-if doubling its Minerals
    shortage_penalty_usd_per_t planned exactly as the base case, with no word that it changed nothing (the
    compare report even listed the cell as changed)."""
    loaded = load(tmp_path, [row("pen", sheet="Minerals", item_id="tungsten", column="shortage_penalty_usd_per_t",
                                 operation="scale", value=2, source_id="scn_demand")])
    said = [str(w) for w in loaded.warnings if w.sheet == "Scenarios"]
    assert len(said) == 1 and said[0].startswith("'Scenarios'!M2 [value]: found 2;"), said
    assert "tungsten has rows on the Shortage costs sheet" in said[0] and "changes nothing" in said[0], said
    # Without the curve the penalty prices the tonnes: no warning.
    tables = load_default_tables()
    tables["Shortage costs"] = [r for r in tables["Shortage costs"] if r["mineral_id"] != "tungsten"]
    tables["Scenarios"] = [row("pen", sheet="Minerals", item_id="tungsten", column="shortage_penalty_usd_per_t",
                               operation="scale", value=2, source_id="scn_demand")]
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "flat.xlsx"))
    assert not [w for w in loaded.warnings if w.sheet == "Scenarios"]
