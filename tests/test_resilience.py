"""Plans decided before a disruption, tested against it and hedged for it: hand-solved stockpiles,
the limiting cases of the two-stage model, the value of information, and the Disruptions sheet."""

import dataclasses
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import TEST_OPTS
from factory import case, default_tables_for, supplier, StockpileRule
from models.dataset import POOLS, DisruptionScenario
from models.plan import OPTIMAL
from models.solve import Session
from planner.cli import main
from planner.reports import html
from planner.reports import labels as L
from planner.reports.html import usd_m
from planner.reports.plan_workbook import sheet_name
from planner.reports.resilience_report import _shown, binding_rows, console_lines, build_hedged_workbook, build_stress_workbook, why
from planner.studies.resilience import Range, both_plans, differences, hedge, mean_disruption, mineral_values, stress, study
from planner.workbook.defaults import load_default_tables
from planner.workbook.errors import InputError
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook

# Three sizes of cut of the one China supplier in 2025 (share lost, probability).
CUTS = ((0.2, 0.3), (0.5, 0.15), (1.0, 0.1))


def newsvendor(spot_from_australia: bool, weight: float = 0.0, level: float = 0.9):
    """Two years, demand 100 t, China the only planned supply at 10 USD/t: any amount in 2024, and
    a contract for exactly 100 t in 2025 (no spare capacity); stock costs 4 USD/t to add and 8
    USD/t/yr to hold, and is worth 10 USD/t at the end; unmet demand costs 110 USD/t.  In 2025
    China may deliver only part; the spot price is then 100x (no spot worth buying) or, with
    Australia, 2 x 30 USD/t from its spare capacity."""
    suppliers = [supplier("cn", "CHN", 10, 1000), supplier("cn25", "CHN", 10, 100, first=2025, end=2025,
                                                           min_volume=100, contract="on")]
    if spot_from_australia:
        suppliers.append(supplier("au", "AUS", 30, 1000, end=2025))
    d = case(suppliers, 100, years=(2024, 2025), stockpile=[StockpileRule("li", 0, 8, 4, 500)])
    d.minerals["li"] = dataclasses.replace(d.minerals["li"], shortage_penalty_usd_per_t=110)
    multiplier = 2.0 if spot_from_australia else 100.0
    scenarios = tuple(DisruptionScenario(f"cut{round(share * 100)}", "cut", p, {("cn25", 2025): share},
                                         {("li", 2025): multiplier}) for share, p in CUTS)
    settings = dataclasses.replace(d.settings, cvar_weight=weight, cvar_level=level)
    return dataclasses.replace(d, disruptions=scenarios, settings=settings)


def safety_stock_t(plan) -> float:
    return plan.stock_t["li", "china", 2025] + plan.stock_t["li", "other", 2025]


def test_the_newsvendor_stockpile():
    """A tonne of safety stock costs 14 + 8 + 8 - 10 = 20 USD (bought with its premium, held two
    years, handed on at 10).  Drawn in a crisis it is bought back at 10 + 4 = 14 USD, where a short
    tonne costs 110: it saves 96 USD in a scenario that loses more than the stock, so keep it
    while P(loss > S) >= 20 / 96.  P(loss > S) is 0.55 below 20 t, 0.25 below 50 t and 0.1 below
    100 t: S* = 50 t.  Scenario costs (lost tonnes are not paid): 20 x 14 - 200 = 80,
    50 x 14 - 500 = 200 and 50 x 14 + 50 x 110 - 1000 = 5200; expected cost 2000 + 20 x 50 +
    0.3 x 80 + 0.15 x 200 + 0.1 x 5200 = 3574 USD."""
    t = hedge(newsvendor(False), TEST_OPTS)
    assert safety_stock_t(t.plan) == pytest.approx(50, abs=1e-6)
    assert t.plan.stats.objective_usd == pytest.approx(3574, abs=1e-6)
    assert t.expected_total_usd == pytest.approx(3574, abs=1e-6)
    assert {o.scenario.name: round(o.cost_usd, 6) for o in t.outcomes} == {"cut20": 80, "cut50": 200,
                                                                             "cut100": 5200}


def test_the_textbook_stockpile_with_a_second_supplier():
    """With Australia's spare capacity at 2 x 30 = 60 USD/t spot, a tonne of stock saves 60 - 14 = 46
    USD when the loss exceeds it, so it is kept while P(loss > S) >= 20 / 46: S* = 20 t.  Expected
    cost 2000 + 20 x 20 + 0.3 x (280 - 200) + 0.15 x (280 + 30 x 60 - 500)
    + 0.1 x (280 + 80 x 60 - 1000) = 3069 USD."""
    t = hedge(newsvendor(True), TEST_OPTS)
    assert safety_stock_t(t.plan) == pytest.approx(20, abs=1e-6)
    assert t.plan.stats.objective_usd == pytest.approx(3069, abs=1e-6)
    spot = {w: tonnes for (_lost, _source, _y, w), tonnes in t.plan.recourse.spot_t.items() if tonnes > 1e-9}
    assert spot == pytest.approx({"cut50": 30, "cut100": 80})


def test_cvar_weight_zero_is_risk_neutral_and_cvar_at_the_worst_level_plans_for_the_worst():
    """λ = 0 gives the risk-neutral plan whatever α.  λ = 1 at α = 1 - p_worst (the worst scenario
    is also the least likely) makes the objective F + max C_ω = 2000 + 20 S + 10000 - 96 S for
    S <= 100: the plan for the worst case keeps 100 t and costs 4000 + (100 x 14 - 1000) = 4400."""
    neutral = hedge(newsvendor(False, weight=0.0, level=0.5), TEST_OPTS)
    assert safety_stock_t(neutral.plan) == pytest.approx(50, abs=1e-6)
    assert neutral.plan.stats.objective_usd == pytest.approx(3574, abs=1e-6)
    worst = hedge(newsvendor(False, weight=1.0, level=0.9), TEST_OPTS)
    assert safety_stock_t(worst.plan) == pytest.approx(100, abs=1e-6)
    assert worst.decided.value == pytest.approx(4400, abs=1e-6)
    assert worst.cvar_usd == pytest.approx(400, abs=1e-6)
    # The same plan as planning for the worst scenario alone, with certainty.
    certain = dataclasses.replace(newsvendor(False), disruptions=(
        dataclasses.replace(newsvendor(False).disruptions[-1], probability=1.0),))
    assert hedge(certain, TEST_OPTS).plan.stats.objective_usd == pytest.approx(4400, abs=1e-6)


@pytest.mark.parametrize("share", [0.5, 1.0])
def test_one_scenario_with_probability_one_is_the_deterministic_plan_with_that_event(share):
    """China (10 USD/t) loses ``share`` of its 2025 tonnes for certain; Australia sells at 15 USD/t
    with or without a contract, spot at the normal price.  The two-stage plan then costs what the
    deterministic plan with China's 2025 capacity cut costs."""
    suppliers = [supplier("cn", "CHN", 10, 1000, end=2025), supplier("au", "AUS", 15, 1000, end=2025)]
    base = case(suppliers, 100, years=(2024, 2025), stockpile=[StockpileRule("li", 0, 8, 4, 500)])
    event = DisruptionScenario("cut", "cut", 1.0, {("cn", 2025): share}, {("li", 2025): 1.0})
    two_stage = hedge(dataclasses.replace(base, disruptions=(event,)), TEST_OPTS)
    cut = dataclasses.replace(base, capacity_factor={("cn", 2025): 1 - share})
    deterministic = Session(cut).solve(TEST_OPTS, shadow_prices=False)
    assert deterministic.stats.status == OPTIMAL
    assert two_stage.plan.stats.objective_usd == pytest.approx(deterministic.stats.objective_usd, abs=1e-6)
    assert two_stage.plan.stats.objective_usd == pytest.approx(2000 if share < 1 else 2500, abs=1e-6)


from conftest import DEFAULT_WORKBOOK as DEFAULT  # noqa: E402


# The cases and plans below are read, never changed, by the tests that share them (a read of the default
# workbook, a stress test, a hedged plan: each made once in the module).
@pytest.fixture(scope="module")
def default_case():
    """The default case, whole: each test cuts it down to the minerals it is about."""
    return read_workbook(DEFAULT).data


@pytest.fixture(scope="module")
def two_minerals(default_case):
    """The default case cut down to graphite and gallium, with their default disruptions."""
    return default_case.restricted_to(["graphite", "gallium"])


@pytest.fixture(scope="module")
def two_minerals_least(two_minerals):
    """The least-cost plan of graphite and gallium, tested against each of their disruptions."""
    return stress(two_minerals, TEST_OPTS)


@pytest.fixture(scope="module")
def two_minerals_hedged(two_minerals):
    """The hedged plan of graphite and gallium."""
    return hedge(two_minerals, TEST_OPTS)


@pytest.fixture(scope="module")
def nickel_least(default_case):
    """The default case's nickel and its least-cost plan, tested against its disruptions."""
    d = default_case.restricted_to(["nickel"])
    return d, stress(d, TEST_OPTS)


def test_the_case_is_the_sum_of_its_minerals(two_minerals):
    whole = Session(two_minerals, hedged=True).solve(TEST_OPTS, shadow_prices=False)
    parts = [Session(two_minerals.restricted_to([m]), hedged=True).solve(TEST_OPTS, shadow_prices=False)
             for m in two_minerals.minerals]
    assert whole.stats.objective_usd == pytest.approx(sum(p.stats.objective_usd for p in parts), rel=1e-9)


def test_with_no_disruption_probability_the_hedged_plan_is_the_least_cost_plan(two_minerals):
    calm = dataclasses.replace(two_minerals, disruptions=tuple(
        dataclasses.replace(sc, probability=0.0) for sc in two_minerals.disruptions))
    hedged = hedge(calm, TEST_OPTS)
    least = stress(calm, TEST_OPTS)
    assert hedged.decided.value == pytest.approx(least.first_stage_usd, rel=1e-9)
    assert hedged.expected_recourse_usd == 0
    # The least-cost plan still meets each disruption, and pays for it.
    assert all(o.cost_usd >= -1e-6 for o in least.outcomes) and max(o.cost_usd for o in least.outcomes) > 0


def test_expected_cost_never_rises_when_a_scenario_probability_falls_to_zero(two_minerals, two_minerals_hedged):
    base = two_minerals_hedged
    assert all(o.cost_usd >= -1e-6 for o in base.outcomes)  # the property needs C_ω >= 0
    for dropped in ("china_graphite_stop@2027", "china_gallium_stop@2031", "sea_lane_closure"):
        fewer = dataclasses.replace(two_minerals, disruptions=tuple(
            dataclasses.replace(sc, probability=0.0) if sc.name == dropped else sc for sc in two_minerals.disruptions))
        assert hedge(fewer, TEST_OPTS).decided.value <= base.decided.value + 1e-6


def test_the_hedged_plan_is_never_worse_than_the_least_cost_plan_tested_the_same_way(two_minerals_hedged,
                                                                                     two_minerals_least):
    hedged, least = two_minerals_hedged, two_minerals_least
    assert hedged.expected_total_usd <= least.expected_total_usd + 1e-6
    assert hedged.first_stage_usd >= least.first_stage_usd - 1e-6  # the insurance has a premium


def test_both_plans_in_one_model_are_the_plans_tested_each_in_its_own(two_minerals, two_minerals_least,
                                                                       two_minerals_hedged):
    """``both_plans`` tests the least-cost plan in the hedged model while HiGHS is on that model's largest
    block (two blocks, two threads: on the thread the other block left): the outcomes of ``stress``, which
    tests it after, in a model of its own; and the hedged optimum of ``hedge``, to the gap (its solve starts
    from the least-cost plan's whole numbers)."""
    least, hedged = both_plans(two_minerals, dataclasses.replace(TEST_OPTS, threads=2))
    assert least.first_stage_usd == pytest.approx(two_minerals_least.first_stage_usd, rel=1e-12)
    assert [o.scenario.name for o in least.outcomes] == [o.scenario.name for o in two_minerals_least.outcomes]
    assert [o.cost_usd for o in least.outcomes] == pytest.approx([o.cost_usd for o in two_minerals_least.outcomes],
                                                                 rel=1e-9, abs=1e-3)
    assert least.evaluation.violations == hedged.evaluation.violations == []
    gap = TEST_OPTS.mip_gap * two_minerals_hedged.decided.value
    assert hedged.decided.value == pytest.approx(two_minerals_hedged.decided.value, abs=gap)
    assert hedged.expected_total_usd == pytest.approx(two_minerals_hedged.expected_total_usd, abs=gap)


def test_vss_and_evpi_are_not_negative(two_minerals):
    for m in two_minerals.minerals:
        values = mineral_values(two_minerals.restricted_to([m]), m, TEST_OPTS)
        assert values.vss.high >= -1e-3 and values.vss.value >= -1e-3
        assert values.evpi.high >= -1e-3 and values.evpi.value >= -1e-3
        assert values.wait_and_see.value <= values.hedged.value + 1e-3 <= values.expected_value_plan.value + 2e-3


def test_a_change_of_modules_is_named_for_every_kind_of_owner(default_case):
    """A plan that builds other modules than the least-cost plan (a time-limited hedged plan did) is a
    difference whatever owns them: a stream plant (its minerals), a recycling option of its own, a
    refinery.  The other plan is the least-cost plan tested, one module more of each (a hedged plan's own
    differences are no part of it: solving one took most of the time)."""
    d = default_case.restricted_to(["lithium", "nickel", "cobalt", "manganese", "graphite", "tungsten"])
    least = stress(d, TEST_OPTS)
    y = d.years[-1]
    online = dict(least.evaluation.modules_online)
    owners = {"bat_hydro": "recycling modules", "w_rec_scrap": "recycling modules", "kor_lioh": "refining modules"}
    for o in owners:
        online[o, y] += 1
    more = dataclasses.replace(least, evaluation=dataclasses.replace(least.evaluation, modules_online=online))
    found = {x.item: x for x in differences(d, least, more) if x.year == y and x.unit == "modules"}
    assert {o: found[o].what for o in owners} == owners
    assert all(found[o].hedged == found[o].least_cost + 1 for o in owners)
    assert "disruptions of lithium, nickel, cobalt, manganese and graphite" in why(d, found["bat_hydro"])
    assert why(d, found["w_rec_scrap"]).endswith(" 1 disruption of tungsten)")  # one: no plural ending
    assert "refining at home" in why(d, found["kor_lioh"])


def test_a_cut_of_stock_or_line_says_what_is_held_instead_not_why_the_cover_is_drawn(nickel_least):
    """The default case's hedged plan holds 6,000 t less nickel stock in 2027 than the least-cost plan (38,318 ->
    32,318 t) and joins the Japan nickel swap with a 6,000 t line: the stock's row said 'drawn in 2 of 2
    disruptions of nickel', a reason to hold more, not less.  A cut now says what the hedged plan holds
    instead that year (the line for the stock, the stock for the line), or, where it holds nothing more, only
    how much less.  The other plan is the least-cost plan tested with its cover moved (as above)."""
    d, least = nickel_least
    swap = "kor_jpn_ni"
    y, alone = d.years[1], d.years[2]
    stock, line = dict(least.plan.stock_t), dict(least.plan.line_t)
    pool = max(POOLS, key=lambda p: stock.get(("nickel", p, y), 0.0))
    assert stock["nickel", pool, y] > 6000 and stock["nickel", pool, alone] > 500 and line.get((swap, y), 0) == 0
    stock["nickel", pool, y] -= 6000
    line[swap, y] = 6000.0
    stock["nickel", pool, alone] -= 500
    moved = dataclasses.replace(least, plan=dataclasses.replace(least.plan, stock_t=stock, line_t=line))
    found = {(x.what, x.year): x for x in differences(d, least, moved)}
    assert found["stock", y].instead == {("line", swap): pytest.approx(6000)} and found["line", y].instead == {}
    assert why(d, found["stock", y]) == "6,000\u00a0t less, held instead as the Japan nickel swap line (+6,000\u00a0t)"
    assert why(d, found["stock", y], "ko") == "6,000\u00a0t 감소, 대신 일본 니켈 광물 스와프 협정 물량(+6,000\u00a0t)으로 보유"
    assert why(d, found["stock", alone]) == "500\u00a0t less than the least-cost plan holds"
    assert why(d, found["stock", alone], "ko") == "최소비용 계획보다 500\u00a0t 적게 보유"
    # a rise keeps the disruptions that call it (none here: the line was added to a plan tested without it)
    assert why(d, found["line", y]) == f"not called in {y} (0 of 2 disruptions of nickel)"
    # The other way round: the least-cost plan's line cut, with the stock it holds instead.
    (cut,) = [x for x in differences(d, moved, least) if (x.what, x.year) == ("line", y)]
    assert why(d, cut) == "6,000\u00a0t less, held instead as stock (+6,000\u00a0t)"


def test_a_cut_of_purchases_or_modules_says_what_is_bought_instead_not_which_disruptions_hit(nickel_least):
    """The default case's hedged plan buys 2,068 t less cobalt in 2027 from the DRC through China and as much
    more from Indonesia through China: both rows read 'hit in 2027 by 1 of 10 disruptions of cobalt' and
    'not hit in 2027 by any...', a reason for the rise given for the cut too; so did a cut of recycling
    modules.  A cut now says what the hedged plan buys instead that year from other suppliers of the
    mineral(s), or, where it buys no more, only how much less.  The other plan is the least-cost plan tested
    with its purchases and modules moved (as above)."""
    d, least = nickel_least
    y, alone = d.years[1], d.years[2]
    buy, online = dict(least.plan.buy_t), dict(least.evaluation.modules_online)
    assert buy["ni_idn_chn", y] > 500 and buy["ni_phl_chn", alone] > 300 and buy.get(("ni_can_can", y), 0) == 0
    assert online["cathode_scrap_hydro", y] >= 1 and online["cathode_scrap_hydro", alone] >= 1
    buy["ni_idn_chn", y] -= 500
    buy["ni_can_can", y] = 500.0
    buy["ni_phl_chn", alone] -= 300
    online["cathode_scrap_hydro", y] -= 1
    online["cathode_scrap_hydro", alone] -= 1
    moved = dataclasses.replace(least, plan=dataclasses.replace(least.plan, buy_t=buy),
                                evaluation=dataclasses.replace(least.evaluation, modules_online=online))
    found = {(x.item, x.year): x for x in differences(d, least, moved)}
    assert found["ni_idn_chn", y].instead == {("purchases", "ni_can_can"): pytest.approx(500)}
    canada = "Canadian nickel sulfate (Becancour, Quebec), new plant (+500\u00a0t)"
    assert why(d, found["ni_idn_chn", y]) == f"500\u00a0t less, bought instead from {canada}"
    assert why(d, found["ni_idn_chn", y], "ko") == "500\u00a0t 감소, 대신 니켈 캐나다(+500\u00a0t)에서 구매"
    assert why(d, found["ni_phl_chn", alone]) == "300\u00a0t less than the least-cost plan buys"
    assert why(d, found["ni_phl_chn", alone], "ko") == "최소비용 계획보다 300\u00a0t 적게 구매"
    assert "hit in" in why(d, found["ni_can_can", y])  # a rise keeps the disruptions that hit its supplier
    modules = found["cathode_scrap_hydro", y]
    assert why(d, modules) == f"1 module fewer online, bought instead from {canada}"
    assert why(d, modules, "ko") == "가동 모듈 1개 감소, 대신 니켈 캐나다(+500\u00a0t)에서 구매"
    assert why(d, found["cathode_scrap_hydro", alone]) == "1 module fewer online than in the least-cost plan"
    assert why(d, found["cathode_scrap_hydro", alone], "ko") == "최소비용 계획보다 가동 모듈 1개 적음"


def test_a_changed_purchase_says_how_many_disruptions_hit_its_supplier_in_its_year():
    """The newsvendor's hedged plan buys 50 t more from China in 2024 to stock them.  A disruption's loss is
    by supplier and year: when the three cuts also halve that supplier's 2025 deliveries, none stops it in
    2024, the year of the row (it said "hit by 3 of 3", counting a stop in any year); when they halve its
    2024 deliveries, all three do."""
    for also_cn, n in ((None, 0), (2025, 0), (2024, 3)):
        d = newsvendor(False)
        if also_cn:
            d = dataclasses.replace(d, disruptions=tuple(
                dataclasses.replace(sc, loss={**sc.loss, ("cn", also_cn): 0.5}) for sc in d.disruptions))
        (x,) = [x for x in differences(d, stress(d, TEST_OPTS), hedge(d, TEST_OPTS)) if x.what == "purchases"]
        assert (x.item, x.year, x.hedged - x.least_cost) == ("cn", 2024, pytest.approx(50, abs=1e-6))
        if n:
            assert why(d, x) == f"hit in 2024 by {n} of 3 disruptions of li"
            assert why(d, x, "ko") == f"2024년에 li 공급 차질 3개 중 {n}개의 영향을 받음"
        else:  # said as none ('not hit ... 0 of 3'), not "hit in 2024 by 0 of 3", which reads as hit
            assert why(d, x) == "not hit in 2024 (0 of 3 disruptions of li)"
            assert why(d, x, "ko") == "2024년에는 li 공급 차질 3개 중 어느 것의 영향도 받지 않음"


def test_a_reason_counting_one_disruption_reads_as_english():
    """'not drawn in 2027 by any of the 1 disruption of tungsten' and 'refining at home; 1 disruptions hit cobalt'."""
    said = {key: L.label(f"res.why.{key}", year=2027, of=1, n=0, mineral="tungsten")
            for key in ("stock_none", "line_none", "modules_none", "purchases_none", "refining")}
    assert said["stock_none"] == "not drawn in 2027 (0 of 1 disruption of tungsten)"
    assert said["refining"] == "refining at home; 1 disruption of tungsten"
    assert not [text for text in said.values() if "any of the 1" in text or "1 disruptions" in text], said


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_figures_blocks_name_each_figure_with_its_unit(lang):
    """The stress Summary's and the hedged Hedge sheet's figures: named in words with the unit their values
    are shown in (money in USD M), as the plan's Summary names its own, not by the .json's ids over raw USD.
    The newsvendor's least-cost plan costs 100 x 10 + 100 x 10 = 2,000 USD if nothing happens (the stock it
    ends with, none, earns no credit)."""
    d = newsvendor(False)
    least = stress(d, TEST_OPTS)
    blocks = {"stress": build_stress_workbook(d, least, {}, "subtitle", lang)[sheet_name("Summary", lang)],
              "hedged": build_hedged_workbook(d, study(d, TEST_OPTS), {}, "case.xlsx", "subtitle", lang)[
                  sheet_name("Hedge", lang)]}
    for kind, ws in blocks.items():
        names = {ws.cell(r, 2).value: ws.cell(r, 3) for r in range(5, 12)}
        # The value's header over its numbers, and what each figure is apart from them (no "2,000.0The plan's"),
        # a wrapped one too (the CVaR's: fitting the columns dropped its indent, "54.2Average disruption cost").
        assert ws.cell(4, 3).alignment.horizontal == "right"
        # A value that is a name (the costliest disruption) stands under that header as the numbers do.
        assert {ws.cell(r, 3).alignment.horizontal for r in range(5, 12) if isinstance(ws.cell(r, 3).value, str)} \
            == {"right"}, kind
        assert [ws.cell(r, 4).alignment.indent for r in range(5, 12)] == [1] * 7, kind
        assert any(ws.cell(r, 4).alignment.wrap_text for r in range(5, 12)), kind
        # The expected total is said in the figures' own names ('first stage', the model's word, named none)
        whats = {ws.cell(r, 2).value: ws.cell(r, 4).value for r in range(5, 12)}
        first, disruption = (L.label(f"res.figname.{k}", lang).removesuffix(" (USD M)").lower()
                             for k in ("first_stage_cost_usd", "expected_disruption_cost_usd"))
        assert whats[L.label("res.figname.expected_total_cost_usd", lang)] == f"{first} + {disruption}", kind
        # What a figure is says more than its name ("The costliest disruption" under "Costliest disruption")
        assert [n for n, w in whats.items() if n.removesuffix(" (USD M)").lower() in (w or "").lower()] == [], kind
        assert not any("_" in n for n in names), (kind, names)  # no .json id (first_stage_cost_usd, cvar_90_usd)
        cost = names[L.label("res.figname.first_stage_cost_usd", lang)]
        assert cost.value * 1e6 == pytest.approx(least.first_stage_usd) and cost.number_format == "#,##0.0"
        money = [n for n in names if n.endswith("(USD M)")]
        assert len(money) == 5 and ("CVaR 0.9" in " ".join(money)), (kind, money)
        assert least.first_stage_usd == pytest.approx(2000, abs=1e-6)

@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_hedge_values_table_has_a_sheet_of_its_own(lang):
    """The value of hedging, VSS, EVPI and each agreement's value: a table with its header on row 1 of its own
    sheet.  Below the Hedge sheet's figures, in the same columns, each column took the wider of the two blocks'
    texts (357 characters in all on the default case) and the sheet, a summary fitted to one page, printed at
    about a quarter of its size."""
    from planner.reports.resilience_report import RANGE_COLS, value_rows

    d = newsvendor(False)
    res = study(d, TEST_OPTS)
    wb = build_hedged_workbook(d, res, {}, "case.xlsx", "subtitle", lang)
    values = wb[sheet_name("Hedge values", lang)]
    assert wb.sheetnames.index(values.title) == wb.sheetnames.index(sheet_name("Hedge", lang)) + 1
    assert [c.value for c in values[1]] == [c.head(lang) for c in RANGE_COLS]
    assert [r[0] for r in values.iter_rows(min_row=2, values_only=True)] == [r[0] for r in value_rows(d, res, lang)]
    hedge = wb[sheet_name("Hedge", lang)]
    assert hedge.max_column == 4  # the figures' heading, name, value and what it is: nothing beside them
    assert values.print_title_rows == "$1:$1"  # its header on every printed page



def test_a_limit_the_hedged_plan_presses_against_has_its_unit_in_the_reports_language():
    """With China's 2024 capacity cut to 150 t/yr the newsvendor's hedged plan buys all of it (100 t and
    50 t of stock); the Korean page and Binding sheet wrote the unit 't/yr' in English."""
    d = newsvendor(False)
    d.suppliers["cn"] = dataclasses.replace(d.suppliers["cn"], capacity_t_per_yr=150)
    res = study(d, TEST_OPTS)
    ko, en = binding_rows(d, res, "ko"), binding_rows(d, res)
    assert [r[1:5] for r in ko] == [["li 중국 (cn)", "2024", 150, "t/년"], ["li 중국 (cn25)", "2025", 100, "t/년"]]
    assert [r[4] for r in en] == ["t/yr", "t/yr"]


def test_a_proven_figure_in_the_hedged_story_gives_its_range_only_where_its_ends_read_apart():
    """The default case's hedged page read 'Hedging saves USD 2.914 M (proven between 2.914 and 2.914)'."""
    assert _shown(Range(2.9141e6, 2.9140e6, 2.9142e6), "en") == "USD 2.914 M (proven to the digits shown)"
    assert _shown(Range(2.9141e6, 2.9140e6, 2.9142e6), "ko") == "USD 2.914 M (표시된 자릿수까지 증명)"
    assert _shown(Range(6.0467e6, 6.0466e6, 6.0468e6), "en") == "USD 6.047 M (proven to the digits shown)"
    assert _shown(Range(2.5e6, 2.4e6, 2.6e6), "en") == "USD 2.500 M (proven between 2.400 and 2.600)"
    assert _shown(Range(0.0, -1e3, 1e3), "en") == "USD 0.000 M (proven between -0.001 and 0.001), not significant"


def test_the_console_gives_the_values_as_the_page_does():
    """The console read 'value of hedging: USD 2.914 M (proven 2.914 to 2.914)' beside the page's 'proven to the
    digits shown': one rule for both."""
    d = newsvendor(False)
    res = study(d, TEST_OPTS)
    for lang in ("en", "ko"):
        lines = console_lines(d, res, lang)
        for key, r in (("value_of_hedging", res.value_of_hedging), ("vss", res.vss), ("evpi", res.evpi)):
            assert f"{L.label(f'res.fig.{key}', lang)}: {_shown(r, lang)}" in lines, lines


def test_the_mean_disruption_is_the_probability_weighted_loss():
    d = newsvendor(False)
    mean = mean_disruption(d)
    assert mean.probability == 1.0
    assert mean.loss[("cn25", 2025)] == pytest.approx(0.2 * 0.3 + 0.5 * 0.15 + 1.0 * 0.1)
    assert mean.spot_multiplier[("li", 2025)] == pytest.approx(1 + 99 * 0.55)


# ---- the Disruptions sheet ----------------------------------------------------------------

def disruption(name, **kw):
    row = dict.fromkeys(("description", "probability", "probability_basis", "mineral_id", "supplier_id", "country",
                         "country_role", "duration_unit", "spot_price_multiplier", "partners_hit", "source_id"))
    return {"disruption": name, **row, "first_year": 2027, "duration": 1, "share_lost": 0.5, **kw}


def small_workbook(tmp_path, rows, minerals=("graphite", "gallium")):
    tables = default_tables_for(*minerals)
    tables["Disruptions"] = rows
    return write_input_workbook(tables, tmp_path / "case.xlsx")


def test_the_default_workbook_ships_sourced_disruptions():
    d = read_workbook(DEFAULT).data
    events = {sc.event for sc in d.disruptions}
    assert {"china_graphite_stop", "china_gallium_stop", "china_rare_earth_licensing", "drc_cobalt_halt",
            "indonesia_nickel_restriction", "sea_lane_closure"} <= events
    assert sum(sc.probability for sc in d.disruptions) <= 1
    tables = load_default_tables()
    sources = {r["source_id"]: r for r in tables["Sources"]}
    for row in tables["Disruptions"]:
        source = sources[row["source_id"]]
        assert source["estimate"] == "yes" and "assumption" in source["note"]


def test_per_year_probability_and_part_years(tmp_path):
    path = small_workbook(tmp_path, [
        disruption("stop", probability=0.1, probability_basis="per_year", mineral_id="graphite", country="CHN",
                   first_year=2033, duration=90, duration_unit="days", share_lost=0.8, spot_price_multiplier=1.5),
        disruption("long", probability=0.2, supplier_id="gr_moz_kor", first_year=2034, duration=1.5)])
    d = read_workbook(path).data
    by = {sc.name: sc for sc in d.disruptions}
    assert set(by) == {"stop@2033", "stop@2034", "stop@2035", "long"}
    assert [round(by[f"stop@{y}"].probability, 6) for y in (2033, 2034, 2035)] == [0.1, 0.09, 0.081]
    assert by["stop@2034"].loss[("gr_chn_chn", 2034)] == pytest.approx(0.8 * 90 / 365)
    assert by["stop@2034"].spot_multiplier == {("graphite", 2034): 1.5}
    assert by["long"].loss == {("gr_moz_kor", 2034): 0.5, ("gr_moz_kor", 2035): 0.25}


@pytest.mark.parametrize("reverse", [False, True])
def test_rows_of_one_event_that_overlap_give_the_same_stop_in_either_order(tmp_path, reverse):
    """Two rows of one event stop the same option in 2030, each losing half: one from 2029 for two years,
    one from 2030 for one. The year is stopped whole, since the start of the stop that began in 2029 (its
    stock released a year before), whichever row comes first."""
    rows = [disruption("ga", supplier_id="ga_chn_chn", first_year=2029, duration=2, share_lost=0.5),
            disruption("ga", supplier_id="ga_chn_chn", first_year=2030, duration=1, share_lost=0.5)]
    rows = rows[::-1] if reverse else rows
    rows[0]["probability"] = 0.1  # on the event's first row
    d = read_workbook(small_workbook(tmp_path, rows)).data
    (sc,) = d.disruptions
    key = ("ga_chn_chn", 2030)
    assert (sc.loss[key], *sc.stopped(*key)) == (0.5, 365, 365)


@pytest.mark.parametrize("rows, cell, text", [
    ([disruption("x", mineral_id="graphite")], "C2", "a probability on the first row"),
    ([disruption("x", probability=0.1, supplier_id="nope")], "F2", "one of:"),
    ([disruption("x", probability=0.1, country_role="origin")], "H2", "blank, or a country to match"),
    ([disruption("x", probability=0.1, duration=0)], "J2", "a number > 0"),
    ([disruption("x", probability=0.1, partners_hit="JPN;XXX")], "N2", "unknown: XXX"),
    ([disruption("x", probability=0.1, share_lost=1.5)], "L2", "1"),
    ([disruption("x", probability=0.1, mineral_id="gallium", country="AUS", country_role="origin")], "A2",
     "hits at least one supply option"),
    ([disruption("x", probability=0.7), disruption("y", probability=0.6)], "C3", "at most 1"),
    ([disruption("x", probability=0.1), disruption("x", probability=0.2)], "C3", "given on the event's first row"),
])
def test_bad_disruption_rows_are_named_by_cell(tmp_path, rows, cell, text):
    with pytest.raises(InputError) as e:
        read_workbook(small_workbook(tmp_path, rows))
    found = [str(i) for i in e.value.issues]
    assert any(f"'Disruptions'!{cell}" in f and text in f for f in found), found


@pytest.mark.parametrize("name, says", [
    ("stop@2034", "a name without '@': the planner names each start year of a per_year disruption <name>@<year>"),
    ("Sample2", "a name other than sample<number>: --sample names its draws so, and --mix puts them beside this "
                "sheet's disruptions"),
])
def test_a_disruption_named_as_a_scenario_the_planner_names_is_an_error_at_its_name(tmp_path, name, says):
    """'stop@2034' beside the per_year event 'stop' (whose start year 2034 is named so), or 'sample2' beside the
    draws of --sample 9 --mix: two scenarios of one name, and planner stress and solve --hedged ended in an internal
    error (KeyError), exit 5."""
    path = small_workbook(tmp_path, [
        disruption("stop", probability=0.1, probability_basis="per_year", mineral_id="graphite", country="CHN",
                   first_year=2033, duration=90, duration_unit="days"),
        disruption(name, probability=0.2, supplier_id="gr_moz_kor", first_year=2034)])
    with pytest.raises(InputError) as e:
        read_workbook(path)
    (issue,) = e.value.issues
    assert str(issue).startswith(f"'Disruptions'!A3 [disruption]: found {name!r}; {says}"), str(issue)


# ---- end to end -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gallium_runs(tmp_path_factory):
    """Gallium alone (its own stop and the sea-lane closure: disruptions of one mineral and of several, and the
    gallium_ban scenario) written to ga.xlsx, and `planner stress`, `planner solve --hedged` and the same in Korean
    run on it once: (the workbook, the folder the English runs wrote to, each command's result).  The tests below
    read the same runs.  solve --hedged's study one job at a time, in this process (as in test_outputs): what it
    prints and writes does not depend on it, and a worker spawned after a solve here imports the solver stack
    again (about 1 s of CPU each)."""
    from planner.studies import jobs

    path = write_input_workbook(default_tables_for("gallium"), tmp_path_factory.mktemp("ga") / "ga.xlsx")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jobs, "default_jobs", lambda: 1)
        runs = {kind: CliRunner().invoke(main, [*args, str(path), "-o", str(path.parent / folder)])
                for kind, args, folder in (("stress", ["stress"], "out"), ("hedged", ["solve", "--hedged"], "out"),
                                           ("hedged ko", ["solve", "--hedged", "--lang", "ko"], "ko"))}
    return path, path.parent / "out", runs


def test_stress_and_hedged_from_the_command_line(tmp_path, gallium_runs):
    path, out, runs = gallium_runs
    run = runs["stress"]
    assert run.exit_code == 0, run.output
    assert "Least-cost plan: expected cost USD" in run.output and (out / "ga-stress.html").exists()
    book = load_workbook(out / "ga-stress.xlsx")
    assert {"Summary", "Disruptions", "Losses covered", "Run"} <= set(book.sheetnames)
    rows = list(book["Disruptions"].iter_rows(values_only=True))
    d = read_workbook(path).data
    assert rows[0][:3] == ("disruption", "scenario", "event") and len(rows) - 1 == len(d.disruptions)
    # Led by the disruption's name; its id beside it, to find it in the .json and the other sheets.
    assert [r[:2] for r in rows[1:]] == [(L.disruption_name(d, sc), sc.name) for sc in d.disruptions]
    facts = json.loads((out / "ga-stress.json").read_text())
    worst = facts["worst_scenario"]
    assert f"worst: {dict((r[1], r[0]) for r in rows[1:])[worst]} ({worst})" in run.output  # named as in the report
    assert set(facts["outputs_sha256"]) == {"ga-stress.xlsx", "ga-stress.html"}

    run = runs["hedged"]
    assert run.exit_code == 0, run.output
    # The shorthand spelled out where it appears: the console and the page's columns.
    assert "value of the stochastic solution (VSS): USD" in run.output
    assert "expected value of perfect information (EVPI): USD" in run.output and "of outcomes (CVaR 0.9)" in run.output
    hedged_page = (out / "ga-hedged.html").read_text()
    assert all(f"({x},\u00a0USD\u00a0M)" in hedged_page for x in ("RP", "EEV", "WS", "VSS", "EVPI"))  # kept whole
    book = load_workbook(out / "ga-hedged.xlsx")
    assert {"Hedge", "Differences", "Binding", "Disruptions", "Losses covered", "Values by mineral", "Supply"} <= set(
        book.sheetnames)
    assert "EVPI" in (out / "ga-hedged.html").read_text()

    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["compare", str(path), "--hedged", "-s", "gallium_ban", "-j", "1", "-o", str(out)])
    assert run.exit_code == 0, run.output
    rows = list(load_workbook(out / "ga-compare-hedged-gallium_ban.xlsx")["Hedged"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["base", "gallium_ban"]
    # In Korean the case the study made reads as in the Summary sheet (기준), a scenario by its workbook name.
    ko = tmp_path / "ko"
    run_ko = CliRunner().invoke(main, ["compare", str(path), "--hedged", "-s", "gallium_ban", "-j", "1", "--lang", "ko",
                                       "-o", str(ko)])
    assert run_ko.exit_code == 0, run_ko.output
    book = load_workbook(ko / "ga-compare-hedged-gallium_ban.xlsx")
    summary, hedged = (book[sheet_name(n, "ko")] for n in ("Summary", "Hedged"))
    assert [r[0] for r in hedged.iter_rows(min_row=2, values_only=True)] == [
        r[0] for r in summary.iter_rows(min_row=2, values_only=True)] == [L.label("compare.base", "ko"), "gallium_ban"]
    for _case, _lc_calm, lc_expected, _lc_cvar, _calm, expected, _cvar, premium, saving in rows:
        assert premium >= -1e-3 and saving == pytest.approx(lc_expected - expected) and saving >= -1e-3


def test_the_hedged_console_names_the_expected_cost_as_the_page_does(gallium_runs):
    """solve --hedged's console printed each plan's cost if nothing happens, its expected disruption cost and a
    'mean of the costliest 10% of outcomes', but never the expected cost, which the hedged plan is decided on
    and the page leads with, nor of which cost the CVaR is; and it printed them in English with --lang ko.
    Now each plan's line leads with its expected cost, as the .json and the page have it, and reads in the
    report's language."""
    _, out, runs = gallium_runs
    run = runs["hedged"]
    assert run.exit_code == 0, run.output
    facts = json.loads((out / "ga-hedged.json").read_text())

    def m(key: str) -> str:
        return f"USD {facts[key] / 1e6:,.2f} M"

    for plan, prefix in (("Hedged plan", ""), ("Least-cost plan", "least_cost_")):
        assert (f"  {plan}: expected cost {m(prefix + 'expected_total_cost_usd')} = cost if nothing happens "
                f"{m(prefix + 'first_stage_cost_usd')} + expected disruption cost "
                f"{m(prefix + 'expected_disruption_cost_usd')}; mean disruption cost of the costliest 10% of outcomes "
                f"(CVaR 0.9) {m(prefix + 'cvar_90_usd')}; worst: ") in run.output, run.output
    # The page's headline names the same figure the expected cost.
    page = (out / "ga-hedged.html").read_text()
    assert f"expected cost is {usd_m(facts['expected_total_cost_usd'])}" in page
    assert "value of hedging: USD" in run.output

    ko = runs["hedged ko"]
    assert ko.exit_code == 0, ko.output
    summary = [line for line in ko.output.splitlines() if line.startswith("  ") and not line.startswith("  - ")]
    assert summary[0].startswith(f"  {L.label('res.plan.hedged', 'ko')}: 기대비용 {m('expected_total_cost_usd')} = ")
    assert f"  {L.label('res.fig.value_of_hedging', 'ko')}: USD" in ko.output
    assert not [line for line in summary if "cost" in line or "plan" in line or "worst" in line], summary


def test_a_workbook_without_disruptions_says_so(tmp_path):
    tables = default_tables_for("graphite")
    tables["Disruptions"] = []
    path = write_input_workbook(tables, tmp_path / "calm.xlsx")
    run = CliRunner().invoke(main, ["stress", str(path), "-o", str(tmp_path / "out")])
    assert run.exit_code == 2 and "no disruptions" in run.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_every_figure_belongs_to_the_plan_presented_when_another_engine_decided_it(two_minerals):
    """A plan decided elsewhere (here the least-cost plan, as mpi-sppy's PH plan is: not this
    process's optimum): VSS, EVPI and the values by mineral are its own, not the embedded optimum's
    (once a report showed two hedged expected costs, and VSS and EVPI of the wrong plan)."""
    presented_elsewhere = study(two_minerals, TEST_OPTS, hedge_with=lambda d, opts, proven: stress(d, opts, proven))
    own = study(two_minerals, TEST_OPTS)
    h = presented_elsewhere.hedged
    assert sum(m.hedged.value for m in presented_elsewhere.minerals) == pytest.approx(h.expected_total_usd, rel=1e-9)
    for mine, embedded in zip(presented_elsewhere.minerals, own.minerals):
        assert mine.hedged.value == pytest.approx(h.expected_total_by_mineral_usd(mine.mineral_id), rel=1e-9)
        assert mine.expected_value_plan.value == pytest.approx(embedded.expected_value_plan.value, rel=1e-9)
        assert mine.wait_and_see.value == pytest.approx(embedded.wait_and_see.value, rel=1e-9)
    # The presented plan pays for not hedging: VSS falls and EVPI rises by just that.
    loss = presented_elsewhere.hedged.expected_total_usd - own.hedged.expected_total_usd
    assert loss > 1 and presented_elsewhere.evpi.value == pytest.approx(own.evpi.value + loss, abs=1e-3)
    assert presented_elsewhere.vss.value == pytest.approx(own.vss.value - loss, abs=1e-3)
    if abs(presented_elsewhere.vss.value) < 0.01:  # exact evaluations that differ by round-off only
        assert not presented_elsewhere.vss.significant
    assert presented_elsewhere.agreements_by_embedded == bool(two_minerals.agreements)
    assert not own.agreements_by_embedded



def test_whose_agreement_values_they_are_is_said_in_the_reports_language(default_case):
    """With another engine's plan the agreement values are the embedded engine's, and the reports say so: in
    Korean in a Korean report (once the English sentence itself, on the page and the Run sheet)."""
    from planner.reports import labels as L
    from planner.reports.resilience_report import hedged_facts, value_rows

    d = default_case.restricted_to(["tungsten"])  # Japan's tungsten swap
    assert d.agreements
    res = study(d, TEST_OPTS, hedge_with=lambda d, opts, proven: stress(d, opts, proven))
    assert res.agreements_by_embedded
    by = dict(hedged_facts(res))["agreement_values_by"]
    assert by == L.label("res.agreements_by_embedded")
    assert by.in_lang("ko") == L.label("res.agreements_by_embedded", "ko")
    agreements = [r for r in value_rows(d, res, "ko") if r[0].startswith(L.label("res.fig.agreement", "ko", name=""))]
    assert agreements and all(r[-1].endswith(L.label("res.agreements_by_embedded", "ko")) for r in agreements)


def test_a_plans_own_first_stage_held_costs_what_the_plan_was_decided_at(default_case):
    """Holding the hedged plan's first stage and re-solving every scenario's recourse (a stress test)
    finds a recourse no dearer than the one the plan was decided with: that one is feasible.  200 draws of
    nickel: at HiGHS's default dual tolerance (1e-7, absolute, on recourse costs of p x 1e-6 x USD) the
    re-solve stopped 29.86 USD above it (42,868 USD at 1,000 draws of the whole case)."""
    from models.sampling import sample_disruptions
    from models.solve import SolveOptions
    from planner.studies.resilience import _solved, hedged_options, test_plan, tested_plan

    # Nickel alone, not its whole battery group: the group's 29.86 USD were nickel's (nickel alone stops as far
    # above at the default tolerance, the group's other minerals at 200 draws and the group at 50 or 100 do not),
    # in a sixth of the CPU (1.0 s, not 6.0 s).
    d = sample_disruptions(default_case.restricted_to(["nickel"]), 200, 1, False)
    # One thread: the re-solve stopped as far above at the default dual tolerance, and a second thread's wait
    # costs CPU.
    opts = hedged_options(SolveOptions.from_settings(d.settings, None, None, 1))
    session = Session(d, hedged=True)
    plan = _solved(session, opts, "the hedged plan")
    decided = tested_plan(d, plan, "hedged plan").expected_total_usd
    held = test_plan(d, session.model, plan, opts, "hedged plan, held").expected_total_usd
    assert held <= decided + 1.0, held - decided


def test_studies_of_two_workbooks_in_one_process_each_give_their_own_values():
    """A worker keeps the hedged model it cuts a group's wait-and-see problems from, by the group's
    name.  Two cases with the same mineral and scenario names, the second's cuts half the first's,
    studied one after the other in this process (both ways round): each study's WS is its own
    case's, p_0 x the least-cost plan + the sum of p_ω x the optimum with ω certain, here solved
    from scratch."""
    def wait_and_see_usd(d) -> float:
        calm = 1 - sum(sc.probability for sc in d.disruptions)
        total = calm * Session(d).solve(TEST_OPTS, shadow_prices=False).stats.objective_usd
        for sc in d.disruptions:
            certain = dataclasses.replace(d, disruptions=(dataclasses.replace(sc, probability=1.0),))
            total += sc.probability * Session(certain, hedged=True).solve(TEST_OPTS, shadow_prices=False
                                                                          ).stats.objective_usd
        return total

    full = newsvendor(False)
    half = dataclasses.replace(full, disruptions=tuple(
        dataclasses.replace(sc, loss={k: share / 2 for k, share in sc.loss.items()}) for sc in full.disruptions))
    cases = {"full cuts": full, "half cuts": half}
    expected = {name: wait_and_see_usd(d) for name, d in cases.items()}
    assert expected["half cuts"] < expected["full cuts"] - 1  # a stale model would show
    for order in (["full cuts", "half cuts"], ["half cuts", "full cuts"]):
        for name in order:
            (values,) = study(cases[name], TEST_OPTS).minerals
            assert values.wait_and_see.value == pytest.approx(expected[name], abs=1e-6), (order, name)


def test_the_minerals_a_disruption_hits_read_as_every_other_list_of_minerals(two_minerals, two_minerals_least):
    """The stress page's 'minerals hit' column joined Korean names with ', ' ('흑연, 갈륨') where every other Korean
    text joins them with '·': the catalogue's one list of minerals, in both languages; the workbook keeps the ids."""
    from planner.reports.resilience_report import build_stress_html

    t = two_minerals_least
    (both,) = [o for o in t.outcomes if o.scenario.name == "sea_lane_closure"]
    hit = [c.mineral_id for c in both.covers]
    assert hit == ["gallium", "graphite"] and list(two_minerals.minerals) == ["graphite", "gallium"]
    hit = list(two_minerals.minerals)  # named in the workbook's order, as every other list of minerals
    for lang, words in (("en", L.minerals_words(two_minerals, hit)), ("ko", "·".join(L.KO_MINERALS[m] for m in hit))):
        page = build_stress_html(two_minerals, t, "title", "subtitle", lang)
        assert f"<td>{words}</td>" in page, lang
        assert ", ".join(L.mineral_name(two_minerals, m, lang) for m in hit) not in page, lang
    rows = build_stress_workbook(two_minerals, t, {}, "subtitle", "ko")[sheet_name("Disruptions", "ko")].iter_rows(
        values_only=True)
    assert "gallium, graphite" in {r[5] for r in rows}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_assumptions_are_headed_once(two_minerals, two_minerals_least, lang):
    """The stress, hedged and compare pages headed their assumptions 'Assumptions' twice: the section's
    heading, and the box's own title right under it."""
    from planner.reports.compare_report import build_compare_html
    from planner.reports.resilience_report import build_stress_html
    from planner.studies.compare import BASE, Case, run_cases

    named = L.label("brief.assumptions", lang)
    results, _ = run_cases([Case(BASE, "", two_minerals)], TEST_OPTS, 1)
    # The hedged page's box is the stress page's (resilience_report.assumptions).
    for page in (build_stress_html(two_minerals, two_minerals_least, "title", "subtitle", lang),
                 build_compare_html(results, "title", "subtitle", lang=lang)):
        assert page.count(f">{named}<") == 1 and '<div class="assumptions"><ul>' in page


@pytest.mark.parametrize("lang, after", [("en", "after 2035"), ("ko", "2035년 이후")])
def test_stock_not_back_within_the_horizon_is_said_to_be_back_after_it(two_minerals, two_minerals_least, lang, after):
    """A graphite stop from 2035 draws the stock in the last year: it is bought back after it.  The page's
    'stock back by' column showed a dash there, as if the year were unknown; it now says 'after 2035'."""
    import re

    from planner.reports.resilience_report import build_stress_html

    t = two_minerals_least
    late = [c for o in t.outcomes for c in o.covers if c.rebuilt_year is None]
    assert late  # the case this test is about
    page = build_stress_html(two_minerals, t, "title", "subtitle", lang)
    table = page[page.index(html.esc(L.label("res.sec.cover", lang))):]
    rows = re.findall(r"<tr>(.*?)</tr>", table[:table.index("</table>")])[1:]
    back = [re.findall(r"<td[^>]*>([^<]*)</td>", r)[-1] for r in rows]
    assert back.count(after) == len(late) and all(b == after or re.fullmatch(r"20\d\d", b) for b in back), back


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_costliest_disruptions_read_as_a_ranked_list_with_every_name_whole(two_minerals, two_minerals_least,
                                                                                 lang):
    """The stress report's chart of the costliest disruptions cut their names: on the page, turned under
    upright bars and cut at 180 px ('2027: DR Congo halts cobalt…'); in the workbook, 0.6 cm a name, so that
    LibreOffice skipped every other.  Both are horizontal bars, the costliest on top: the page names each
    whole on the left, and the workbook gives each name the lines it wraps to in the room left of the plot."""
    import re
    import xml.etree.ElementTree as ET

    from planner.reports.html import esc, wrap
    from planner.reports.plan_workbook import LEGEND_PT, NAME_LINE_CM, NAME_PAD_CM, PT_CM
    from planner.reports.resilience_report import build_stress_html

    d, t = two_minerals, two_minerals_least
    ranked = sorted(t.outcomes, key=lambda o: -o.cost_usd)[:15]
    names = [L.disruption_name(d, o.scenario, lang, year_first=True) for o in ranked]
    assert len(names) >= 10
    title = L.label("res.chart.cost", lang, n=len(names))
    page = build_stress_html(d, t, "title", "subtitle", lang)
    chart = re.search(rf'<svg[^>]*aria-label="{re.escape(esc(title))}".*?</svg>', page, re.S).group(0)
    root = ET.fromstring(chart)
    ns = {"s": "http://www.w3.org/2000/svg"}
    shown = [" ".join(span.text for span in e.findall("s:tspan", ns)) or e.text
             for e in root.iterfind(".//s:text[@class='category']", ns)]
    assert [n.split() for n in shown] == [n.split() for n in names]  # every word, in the order of cost
    assert "rotate" not in chart
    bars = [(float(r.get("y")), float(r.get("width"))) for r in root.iterfind(".//s:rect[@class='bar']", ns)]
    assert [y for y, _w in bars] == sorted(y for y, _w in bars)  # one below the other
    assert [w for _y, w in bars] == sorted((w for _y, w in bars), reverse=True)  # the costliest on top

    wb = build_stress_workbook(d, t, {}, "subtitle", lang)
    (bar,) = wb[sheet_name("Disruption charts", lang)]._charts
    assert bar.type == "bar" and bar.x_axis.tickLblSkip == 1 and bar.x_axis.scaling.orientation == "maxMin"
    plot = bar.layout.manualLayout
    room_cm, band_cm = plot.x * bar.width - NAME_PAD_CM, plot.h * bar.height / len(names)
    for name in names:
        assert len(wrap(name, room_cm / PT_CM, LEGEND_PT)) * NAME_LINE_CM < band_cm, name


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_hedged_plan_s_summary_leaves_its_binding_limits_blank_not_0(lang):
    """China at most half of 100 t a year, Australia dearer: the China cap binds the least-cost plan each year,
    and its Summary counts 1 binding limit a year.  The hedged plan has no shadow prices (its Policy sheet's
    prices are blank), yet its Summary counted 0 binding limits every year, as if no limit bound."""
    from factory import PolicyLimits
    from planner.reports.plan_workbook import build_plan_workbook
    from planner.verify import verify

    d = case([supplier("cn", "CHN", 50, 1000, end=2025), supplier("au", "AUS", 80, 1000, end=2025)], 100,
             years=(2024, 2025),
             policy=PolicyLimits(china_cap_share=0.5), stockpile=[StockpileRule("li", 0, 8, 4, 500)])
    d.minerals["li"] = dataclasses.replace(d.minerals["li"], shortage_penalty_usd_per_t=110)
    d = dataclasses.replace(d, disruptions=(DisruptionScenario("cut", "cut", 0.2, {("cn", 2025): 0.5},
                                                               {("li", 2025): 2.0}),))

    def years_table(wb):
        summary = wb[sheet_name("Summary", lang)]
        rows = list(summary.iter_rows(values_only=True))
        return ({r[0]: r[7] for r in rows if r[0] in (2024, 2025)},
                " ".join(str(r[0]) for r in rows if isinstance(r[0], str)))

    least = Session(d).solve(TEST_OPTS)  # as planner solve: with shadow prices
    counts, _ = years_table(build_plan_workbook(d, least, verify(d, least), [], "case.xlsx", lang))
    assert counts == {2024: 1, 2025: 1}
    counts, notes = years_table(build_hedged_workbook(d, study(d, TEST_OPTS), {}, "case.xlsx", "subtitle", lang))
    assert counts == {2024: None, 2025: None}
    assert L.label("plan.summary.no_prices", lang) in notes


def test_the_hedged_story_names_what_moves_most_first_in_every_language():
    """The hedged page's 'It differs in: purchases (...)' named the first six of a kind sorted by their names in
    the page's language: the English and the Korean sentence named different suppliers.  They are named by how
    much they move over every year, most first, the same in both; a route two options share is named once."""
    from planner.reports.resilience_report import _hedge_story, item_name
    from planner.studies.resilience import Difference

    d = read_workbook(DEFAULT).data
    res = study(newsvendor(False), TEST_OPTS)  # a real result; its differences are given below
    moved = {"li_usa_usa": 900.0, "li_aus_kor": 700.0, "li_arg_arg": 500.0, "li_aus_korref": 400.0,
             "li_chl_chl": 300.0, "li_kaz_kaz": 200.0, "li_chl_chn": 100.0, "li_aus_chn": 50.0}
    res.differences = [Difference("purchases", s, 2030 + k, 1000.0, 1000.0 + t / 2 * (-1) ** k, "t", "lithium", 0, 0)
                       for s, t in moved.items() for k in range(2)]
    for lang in L.LANGS:
        said = _hedge_story(d, res, lang)[-1]
        names = [item_name(d, "purchases", s, lang, short=True)
                 for s in ("li_usa_usa", "li_aus_kor", "li_arg_arg", "li_chl_chl", "li_kaz_kaz", "li_chl_chn")]
        assert f"({', '.join(names)}, ...)" in said, (lang, said)


def test_the_cvar_figure_is_named_by_its_level_with_every_digit_it_has():
    """The .json's CVaR key was cvar_{level:.0%}_usd: Settings cvar_level 0.995 and 0.999 both read cvar_100_usd,
    and 0.9 reads cvar_90_usd as before."""
    from planner.reports.resilience_report import figures

    tested = study(newsvendor(False), TEST_OPTS).hedged
    keys = {level: [f.id for f in figures(dataclasses.replace(tested, level=level))] for level in (0.9, 0.995, 0.999)}
    assert [next(k for k in ks if k.startswith("cvar_")) for ks in keys.values()] == [
        "cvar_90_usd", "cvar_99.5_usd", "cvar_99.9_usd"]


def test_a_scenario_too_unlikely_for_the_solver_to_weigh_is_still_met_at_its_least_recourse(tmp_path):
    """A probability of 1e-10 weighs a scenario's recourse below HiGHS's dual tolerance: DR Congo's cobalt halt
    took any recourse the plan allows (USD 2,090 M, all its tonnes unmet, against 89.7 M), reported as the worst
    case. Its cost is now what it is at probability 0: its least recourse."""
    from factory import default_case_for

    d = default_case_for(tmp_path, "cobalt")

    def with_p(p: float):
        scs = tuple(dataclasses.replace(sc, probability=p) if sc.event == "drc_cobalt_halt" else sc
                    for sc in d.disruptions)
        tested = stress(dataclasses.replace(d, disruptions=scs), TEST_OPTS)
        return {o.scenario.name: o.cost_usd for o in tested.outcomes}

    zero, tiny = with_p(0.0), with_p(1e-10)
    assert tiny == pytest.approx(zero, rel=1e-6, abs=1.0)


def test_a_sampled_stress_or_hedged_page_says_its_scenarios_are_draws():
    """With --sample the stress and hedged pages and workbooks said, as for the Disruptions sheet, that 'each event
    stops the share ... that the Disruptions sheet gives, in the years it gives', and nowhere that the scenarios
    were equally likely draws of the Disruption risks sheet, its risks drawn independently (an assumption)."""
    from models.sampling import sample_disruptions
    from planner.reports.resilience_report import assumptions, titles

    d = read_workbook(DEFAULT).data
    sampled, mixed = sample_disruptions(d, 200, 3), sample_disruptions(d, 20, 3, mix=True)
    own = assumptions(d, "en")
    assert "that the Disruptions sheet gives, in the years it gives" in own and "Disruption risks" not in titles(
        "stress", "case.xlsx", d, 1e-7, "0" * 64)[1]
    for kind in ("stress", "hedged"):
        assert titles(kind, "case.xlsx", sampled, 1e-7, "0" * 64)[1].endswith(
            "; scenarios drawn from the Disruption risks sheet (--sample 200 --seed 3)")
        assert titles(kind, "case.xlsx", mixed, 1e-7, "0" * 64, lang="ko")[1].endswith(
            "; Disruptions 시트의 시나리오와 Disruption risks 시트에서 뽑은 시나리오 (--sample 20 --seed 3 --mix)")
    page = assumptions(sampled, "en")
    assert "the Disruptions sheet gives" not in page
    assert "equally likely draws from the Disruption risks sheet" in page and "drawn independently" in page
    mix_page = assumptions(mixed, "en")
    assert "The Disruptions sheet&#x27;s events keep their probabilities" in mix_page  # escaped on the page
    assert "share the rest equally" in mix_page and "drawn independently" in mix_page
    assert "독립적으로 뽑습니다" in assumptions(sampled, "ko") and "Disruptions 시트가 정한" not in assumptions(sampled, "ko")


def test_with_a_cvar_weight_the_value_of_hedging_is_called_a_saving_of_the_objective_not_of_expected_cost():
    """With Settings cvar_weight 0.5 the story read 'Hedging saves USD 19.684 M' right after expected costs of
    USD 2,396 M against 2,398 M, and the console 'value of hedging: USD 19.684 M': the saving is of the hedged
    objective (CVaR weighted), the expected cost falls 1.55 M; and VSS and EVPI beside it, of the plan hedged with
    no weight, were not called risk-neutral."""
    from planner.reports.resilience_report import _hedge_story

    res = study(newsvendor(False, weight=0.5, level=0.9), TEST_OPTS)
    saving = res.least_cost.expected_total_usd - res.hedged.expected_total_usd
    assert res.value_of_hedging.value > saving + 1  # the objective's saving is not the expected cost's
    story = " ".join(_hedge_story(newsvendor(False, 0.5), res, "en"))
    assert "on the hedged objective (cost if nothing happens + 0.5 x expected disruption cost + 0.5 x CVaR 0.9" in story
    assert f"{usd_m(saving)} in expected cost alone" in story
    assert "risk-neutral, for the plan hedged with no CVaR weight: VSS" in story
    lines = console_lines(newsvendor(False, 0.5), res)
    assert lines[2].startswith("value of hedging (on the hedged objective, CVaR weight 0.5): ")
    assert lines[3].startswith("value of the stochastic solution (VSS), risk-neutral: ")
    ko = " ".join(_hedge_story(newsvendor(False, 0.5), res, "ko"))
    assert "헤지 목적값(평시 비용 + 0.5 × 기대 공급 차질 비용 + 0.5 × CVaR 0.9" in ko and "위험 중립" in ko
    # With no weight the value of hedging is the saving in expected cost, said as before.
    neutral = study(newsvendor(False), TEST_OPTS)
    assert "hedged objective" not in " ".join(_hedge_story(newsvendor(False), neutral, "en"))
    assert console_lines(newsvendor(False), neutral)[2].startswith("value of hedging: ")


def test_a_cvar_weighted_hedge_that_raises_expected_cost_says_so_not_that_it_saves_a_negative_amount():
    """With a CVaR weight the hedged plan may cost more in expectation (the price of a thinner tail): the story read
    'USD -3.20 M in expected cost alone' after 'Hedging saves'."""
    from planner.reports.resilience_report import _expected_saving

    assert _expected_saving(1.55e6, "en") == f"{usd_m(1.55e6)} in expected cost alone"
    assert _expected_saving(-3.2e6, "en") == f"though its expected cost is {usd_m(3.2e6)} higher"
    assert "-" not in _expected_saving(-3.2e6, "ko")


def test_a_changed_stock_says_which_disruptions_draw_it_in_its_year():
    """A crisis draws the stock held at the end of its year, but every stock row of the hedged plan's differences
    said the mineral's count over all years: 'drawn in 10 of 10 disruptions of gallium; 1.18 t expected' on each
    of 2027-2034, where only the stop from 2027 draws in 2027.  The newsvendor's hedged plan holds 50 t more at
    the end of 2024 and of 2025; the three cuts all fall in 2025: the 2024 row read 'drawn in 3 of 3'."""
    d = newsvendor(False)
    rows = {x.year: x for x in differences(d, stress(d, TEST_OPTS), hedge(d, TEST_OPTS)) if x.what == "stock"}
    assert (rows[2024].used, rows[2024].later, rows[2025].used) == (0, 3, 3)
    assert why(d, rows[2024]) == "not drawn in 2024; held into later years, drawn then by 3 of 3 disruptions of li"
    assert why(d, rows[2024], "ko") == "2024년에는 방출하지 않음; 이후 연도로 보유해 li 공급 차질 3개 중 3개에서 방출"
    # 0.3 x 20 + 0.15 x 50 + 0.1 x 50 t drawn in 2025.
    assert why(d, rows[2025]) == "drawn in 2025 by 3 of 3 disruptions of li; 18.5\u00a0t expected that year"
    assert why(d, rows[2025], "ko") == "2025년에 li 공급 차질 3개 중 3개에서 방출; 그해 기대 18.5\u00a0t"
