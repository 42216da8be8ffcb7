"""Disruption economics: shortage cost curves, crisis prices set by the shock, spot supply that
rises with what Korea buys, and stock that takes time to reach users.  Hand-solved cases first,
then properties, then the workbook's sheets and their errors."""

import dataclasses

import pytest
from openpyxl import load_workbook

from conftest import TEST_OPTS
from factory import StockpileRule, default_tables_for
from models.dataset import DisruptionScenario, ShortageSegment, SpotStep, crisis_multiplier
from models.plan import OPTIMAL
from models.solve import Session
from planner.reports.resilience_report import protection_rows
from planner.studies.resilience import hedge, protection
from planner.verify import VerificationError, verify
from planner.workbook.errors import InputError
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook
from test_resilience import newsvendor, safety_stock_t


def with_curve(d, *steps):
    return dataclasses.replace(d, shortage_curve={"li": tuple(ShortageSegment(e, c) for e, c in steps)})


def test_the_newsvendor_with_a_two_step_shortage_curve():
    """The newsvendor of test_resilience (a tonne of stock costs 20 USD net, a drawn tonne 14), but the
    first 20% of demand (20 t) left unmet costs 30 USD/t and deeper shortages 110.  The S-th tonne of
    stock saves (cost of the deepest unmet tonne - 14) in every scenario losing more than S:
    S < 20: 0.3 x 16 + 0.15 x 96 + 0.1 x 96 = 28.8 > 20; 20 <= S < 30: 0.15 x 96 + 0.1 x 96 = 24 > 20;
    30 <= S < 50: 0.15 x 16 + 0.1 x 96 = 12 < 20: S* = 30 t.  Scenario costs: cut20 20 x 14 - 200 = 80;
    cut50 30 x 14 + 20 x 30 - 500 = 520; cut100 30 x 14 + 20 x 30 + 50 x 110 - 1000 = 5520; expected
    2000 + 20 x 30 + 0.3 x 80 + 0.15 x 520 + 0.1 x 5520 = 3254 USD."""
    t = hedge(with_curve(newsvendor(False), (0.2, 30), (1.0, 110)), TEST_OPTS)
    assert safety_stock_t(t.plan) == pytest.approx(30, abs=1e-6)
    assert t.plan.stats.objective_usd == pytest.approx(3254, abs=1e-6)
    assert {o.scenario.name: round(o.cost_usd, 6) for o in t.outcomes} == {"cut20": 80, "cut50": 520,
                                                                             "cut100": 5520}
    # The lost output is the shortage's cost on the curve: 600 and 6100 USD.
    lost = t.evaluation.scenario_lost_output_usd
    assert (lost["cut20", "li"], lost["cut50", "li"], lost["cut100", "li"]) == pytest.approx((0, 600, 6100))


def test_one_flat_step_is_the_old_penalty():
    """A curve of one step at the Minerals penalty is what a workbook without the Shortage costs sheet
    had: the same plan and cost, here on the newsvendor (S* = 50 t, 3,574 USD)."""
    flat = hedge(with_curve(newsvendor(False), (1.0, 110)), TEST_OPTS)
    assert safety_stock_t(flat.plan) == pytest.approx(50, abs=1e-6)
    assert flat.plan.stats.objective_usd == pytest.approx(3574, abs=1e-6)
    # A curve that ends before all of demand charges its last price beyond its end.
    short = hedge(with_curve(newsvendor(False), (0.5, 110)), TEST_OPTS)
    assert short.plan.stats.objective_usd == pytest.approx(3574, abs=1e-6)


@pytest.mark.parametrize("deep", [40.0, 60.0, 110.0, 300.0, 1000.0])
def test_a_costlier_shortage_step_never_lowers_the_stock(deep):
    """Raising the price of the deepest step (of the newsvendor's curve) never makes the hedged plan
    hold less stock than with the step before it."""
    stocks = [safety_stock_t(hedge(with_curve(newsvendor(False), (0.2, 30), (1.0, c)), TEST_OPTS).plan)
              for c in (30.0, deep)]
    assert stocks[1] >= stocks[0] - 1e-6


def test_the_crisis_multiplier_follows_the_share_of_world_supply_lost():
    """Constant-elasticity clearing: losing half of world supply at elasticity 0.5 quadruples the price
    ((1 - 0.5)^(-1/0.5) = 4); nothing lost leaves it; the cap holds it."""
    assert crisis_multiplier(0.5, 0.5, 10.0) == pytest.approx(4.0)
    assert crisis_multiplier(0.0, 0.5, 10.0) == 1.0
    assert crisis_multiplier(0.5, 0.1, 10.0) == 10.0
    assert crisis_multiplier(1.0, 2.0, 7.0) == 7.0
    # An elasticity this small overflowed the power before the cap (exit 5 in every command, validate too).
    assert crisis_multiplier(0.784, 0.002, 10.0) == 10.0
    assert crisis_multiplier(0.784, 1e-12, 10.0) == 10.0


def disruption_row(**kw):
    row = {"disruption": "cn_stop", "description": None, "probability": 0.1, "probability_basis": "horizon",
           "mineral_id": "graphite", "supplier_id": None, "country": "CHN", "country_role": "either",
           "first_year": 2027, "duration": 1, "duration_unit": "years", "share_lost": 0.5,
           "spot_price_multiplier": None, "partners_hit": None, "source_id": "dis_china_controls"}
    row.update(kw)
    return row


def graphite_workbook(tmp_path, elasticity=0.5, **row):
    tables = default_tables_for("graphite")
    for m in tables["Minerals"]:
        m["price_elasticity"] = elasticity
    tables["Disruptions"] = [disruption_row(**row)]
    tables["Disruption risks"] = []
    return write_input_workbook(tables, tmp_path / "g.xlsx")


def test_a_disruption_without_a_typed_multiplier_gets_the_one_its_shock_sets(tmp_path):
    """China holds the larger of its mining and refining shares of graphite (WorldSupply) for a row
    that hits it either way; losing half of it at elasticity 0.5 sets (1 - R)^(-2); a typed multiplier
    wins; a mineral with no elasticity keeps the normal price."""
    d = read_workbook(graphite_workbook(tmp_path)).data
    china = max(d.world_share["graphite", "mining", "CHN"], d.world_share["graphite", "refining", "CHN"])
    (sc,) = d.disruptions
    assert sc.spot_multiplier["graphite", 2027] == pytest.approx((1 - 0.5 * china) ** -2)
    assert sc.stop_days[next(iter(sc.loss))] == 365
    typed = read_workbook(graphite_workbook(tmp_path, spot_price_multiplier=1.5)).data.disruptions[0]
    assert typed.spot_multiplier == {("graphite", 2027): 1.5}
    plain = read_workbook(graphite_workbook(tmp_path, elasticity=None)).data.disruptions[0]
    assert plain.spot_multiplier == {}


def lead_case(stop_days: float, lead_days: float, per_month=None):
    """China, the only supplier (10 USD/t, 100 t contracted in 2025), stops for ``stop_days`` from the
    start of 2025 with probability 0.5; a short tonne costs 110 USD/t, a tonne of stock 20 USD net and 14
    when drawn (the newsvendor's costs), so stock is worth holding against every tonne it can reach."""
    base = newsvendor(False)
    lost = stop_days / 365
    event = DisruptionScenario("stop", "stop", 0.5, {("cn25", 2025): lost}, {("li", 2025): 100.0},
                               stop_days={("cn25", 2025): stop_days}, onset_days={("cn25", 2025): 0.0})
    rule = StockpileRule("li", 0, 8, 4, 500, release_lead_days=lead_days, max_release_t_per_month=per_month)
    return dataclasses.replace(base, disruptions=(event,), stockpile={"li": rule})


def test_a_stop_shorter_than_the_release_lead_time_cannot_be_covered_from_stock():
    """A 20-day stop loses 100 x 20/365 = 5.48 t.  With stock arriving after 30 days nothing reaches the
    users in time: no stock is held and every lost tonne goes unmet.  With no lead time the stock covers
    all of it (it saves 0.5 x 96 = 48 > 20 a tonne); a 60-day stop with a 30-day lead lets the stock
    replace half its loss."""
    late = hedge(lead_case(20, 30), TEST_OPTS)
    assert safety_stock_t(late.plan) == pytest.approx(0, abs=1e-6)
    assert late.evaluation.scenario_unmet_t["stop", "li"] == pytest.approx(100 * 20 / 365)
    instant = hedge(lead_case(20, 0), TEST_OPTS)
    assert safety_stock_t(instant.plan) == pytest.approx(100 * 20 / 365, abs=1e-6)
    half = hedge(lead_case(60, 30), TEST_OPTS)
    assert safety_stock_t(half.plan) == pytest.approx(0.5 * 100 * 60 / 365, abs=1e-6)


def test_the_release_rate_caps_what_a_stop_can_draw():
    """5 t a month over a 60-day stop with no lead time: at most 5 x 60 / (365/12) = 9.86 t, of the
    16.44 t lost."""
    capped = hedge(lead_case(60, 0, per_month=5.0), TEST_OPTS)
    assert safety_stock_t(capped.plan) == pytest.approx(5 * 60 / (365 / 12), abs=1e-6)


def test_the_verifier_catches_a_release_before_the_stock_can_arrive():
    late = hedge(lead_case(20, 0), TEST_OPTS)  # a plan that draws on the stock at once
    strict = lead_case(20, 30)
    with pytest.raises(VerificationError, match="release lead time"):
        verify(strict, late.plan)


def test_spot_supply_steps_price_the_deeper_spare_capacity_higher():
    """Australia's 1,000 t of spare capacity sells at 2 x 30 = 60 USD/t spot.  A step's premium is its
    factor - 1 times the crisis price of the mineral's cheapest option (2 x 10 = 20 USD/t).  Selling the
    first 10% (100 t) at the crisis price and the rest at 1.5 times it changes nothing for losses of at most
    100 t: the textbook plan (S* = 20 t, 3,069 USD) stands.  Selling only 5% (50 t) first makes the last 30 t
    of the full cut cost 0.5 x 20 = 10 USD/t more: 0.1 x 30 x 10 = 30 USD in expectation.  One more tonne
    of stock (20 USD) would save 0.15 x (60 - 14) + 0.1 x (70 - 14) = 12.5: S* stays 20 t."""
    base = newsvendor(True)
    wide = hedge(dataclasses.replace(base, spot_curve={"": (SpotStep(0.1, 1.0), SpotStep(0.9, 1.5))}), TEST_OPTS)
    assert wide.plan.stats.objective_usd == pytest.approx(3069, abs=1e-6)
    narrow = hedge(dataclasses.replace(base, spot_curve={"": (SpotStep(0.05, 1.0), SpotStep(0.95, 1.5))}),
                   TEST_OPTS)
    assert safety_stock_t(narrow.plan) == pytest.approx(20, abs=1e-6)
    assert narrow.plan.stats.objective_usd == pytest.approx(3069 + 0.1 * 30 * 10, abs=1e-6)


def test_nothing_can_happen_gives_the_least_cost_plan():
    """With every probability 0 the hedged plan is the least-cost plan, whatever the curves, prices and
    lead times: the value of hedging is 0."""
    d = with_curve(lead_case(60, 30, per_month=5.0), (0.2, 30), (1.0, 110))
    calm = dataclasses.replace(d, disruptions=tuple(dataclasses.replace(sc, probability=0.0) for sc in d.disruptions))
    least = Session(calm).solve(TEST_OPTS, shadow_prices=False)
    assert least.stats.status == OPTIMAL
    assert hedge(calm, TEST_OPTS).decided.value == pytest.approx(least.stats.objective_usd, abs=1e-6)


# ---- the workbook ---------------------------------------------------------------------------

def curve_rows(*rows):
    return [{"mineral_id": m, "segment_end_share": e, "cost_usd_per_t": c, "segment": None, "source_id": None}
            for m, e, c in rows]


def errors_of(tmp_path, **tables_changes) -> list[str]:
    tables = default_tables_for("graphite")
    for sheet, change in tables_changes.items():
        change(tables[sheet.replace("_", " ")])
    path = write_input_workbook(tables, tmp_path / "bad.xlsx")
    with pytest.raises(InputError) as e:
        read_workbook(path)
    return [str(i) for i in e.value.issues]


def test_bad_curves_and_economics_are_named_by_their_cells(tmp_path):
    def curve(rows):
        rows[:] = curve_rows(("graphite", 0.1, 5000), ("graphite", 0.05, 9000), ("graphite", 0.5, 4000),
                             ("nickel_x", 0.2, 1), (None, 0.3, 1))

    def steps(rows):
        rows[:] = [{"mineral_id": None, "share_of_spare": 0.5, "price_factor": 1.5, "source_id": None},
                   {"mineral_id": None, "share_of_spare": 0.3, "price_factor": 1.2, "source_id": None}]

    def minerals(rows):
        rows[0]["price_elasticity"] = 0

    def stockpile(rows):
        rows[0]["release_lead_days"] = -8

    found = "\n".join(errors_of(tmp_path, Shortage_costs=curve, Spot_supply=steps, Minerals=minerals,
                                Stockpile=stockpile))
    assert "'Shortage costs'!B3" in found and "a step end above 0.1" in found  # ends not increasing
    assert "'Shortage costs'!C4" in found and "never costs less" in found  # a cost that falls
    assert "'Shortage costs'!A5" in found  # an unknown mineral
    assert "'Shortage costs'!A6" in found and "required" in found  # a missing mineral
    assert "'Spot supply'!C3" in found and "'Spot supply'!B3" in found  # a falling price, shares not 1
    assert "'Minerals'!" in found and "price_elasticity" in found
    assert "'Stockpile'!" in found and "release_lead_days" in found


def test_a_segment_end_above_one_is_refused(tmp_path):
    found = "\n".join(errors_of(tmp_path, Shortage_costs=lambda rows: rows.__setitem__(
        slice(None), curve_rows(("graphite", 1.5, 5000)))))
    assert "'Shortage costs'!B2" in found


def test_an_old_workbook_without_the_new_sheets_and_columns_reads_the_same(tmp_path):
    """A workbook written before the disruption economics (no Shortage costs or Spot supply sheet, no
    price_elasticity, release_lead_days, max_release_t_per_month or delivery_days column) reads, and the
    missing figures take their old meaning."""
    tables = default_tables_for("graphite", "gallium")
    tables["Shortage costs"], tables["Spot supply"] = [], []
    path = write_input_workbook(tables, tmp_path / "new.xlsx")
    new = read_workbook(path).data
    wb = load_workbook(path)
    for name in ("Shortage costs", "Spot supply"):
        del wb[name]
    for sheet, column in (("Minerals", "price_elasticity"), ("Stockpile", "release_lead_days"),
                          ("Stockpile", "max_release_t_per_month"), ("Agreements", "delivery_days")):
        ws = wb[sheet]
        j = next(c.column for c in ws[1] if c.value == column)
        ws.delete_cols(j)
    wb.save(tmp_path / "old.xlsx")
    old = read_workbook(tmp_path / "old.xlsx").data
    assert old.shortage_curve == {} and old.spot_curve == {}
    assert all(m.price_elasticity is None for m in old.minerals.values())
    assert all(r.release_lead_days == 0 and r.max_release_t_per_month is None for r in old.stockpile.values())
    assert old.suppliers == new.suppliers and old.demand_t == new.demand_t


def test_what_the_stock_buys_is_the_shortage_cost_it_keeps_off_the_curve():
    """The two-step newsvendor's 30 t of stock: cut20 (p 0.3) loses 20 t, all replaced, keeping
    f(20) = 600 USD off the curve; cut50 (p 0.15) and cut100 (p 0.1) replace 30 t at the deep end of
    the shortage, f(50) - f(20) = f(100) - f(70) = 30 x 110 = 3,300 USD.  Expected: 0.3 x 600 +
    0.25 x 3,300 = 1,005 USD avoided by the stock; 0.15 x 600 + 0.1 x 6,100 = 700 USD still lost."""
    d = with_curve(newsvendor(False), (0.2, 30), (1.0, 110))
    t = hedge(d, TEST_OPTS)
    p = protection(d, t)["li"]
    assert p.avoided_usd == pytest.approx({"stock": 1005, "lines": 0, "spot": 0, "recycling": 0})
    assert p.expected_lost_output_usd == pytest.approx(700)
    assert p.stock_cost_usd > 0 and p.per_usd("stock") == pytest.approx(1005 / p.stock_cost_usd)
    assert p.per_usd("lines") is None  # no agreement, no fee
    rows = protection_rows(d, t)
    assert rows[0][:6] == ["li", pytest.approx(700), pytest.approx(1005), 0, 0, 0]
