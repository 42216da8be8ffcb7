"""planner stockpile: risk-based days of stock per mineral against the mandate (issue 21).  The
two-step newsvendor of test_economics solved by hand, its properties, and the command end to end."""

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import DEFAULT_WORKBOOK, TEST_OPTS
from planner.cli import main
from planner.studies.stockpile import study
from test_economics import with_curve
from test_resilience import newsvendor, safety_stock_t

DAY_T = 100 / 365  # a day of the newsvendor's demand (100 t a year)


def two_step(mandate_days=None):
    d = with_curve(newsvendor(False), (0.2, 30), (1.0, 110))
    return d if mandate_days is None else d.with_limit("stockpile_min_days", mandate_days, [("li", 2024)])


def test_the_risk_based_stock_and_the_mandate_of_the_two_step_newsvendor():
    """With no floor the hedged plan keeps the newsvendor's S* = 30 t (test_economics: the tonnes from 30
    to 50 save 0.15 x 16 + 0.1 x 96 = 12 USD each in expectation and cost 20): 109.5 days of 2024's
    demand, objective 3,254 USD.  A mandate of 146 days (40 t) in 2024 forces 10 more tonnes at a net
    8 USD each: 3,334 USD, 80 more.  One more day of it (100/365 t) saves 12 and costs 20 per tonne."""
    s = study(two_step(146.0), ["li"], [73.0], TEST_OPTS)
    (ms,) = s.minerals
    rb, md = ms.risk_based, ms.mandate
    assert safety_stock_t(rb.tested.plan) == pytest.approx(30, abs=1e-6)
    assert rb.cover_days[2024] == pytest.approx(109.5, abs=1e-4)
    assert rb.objective_usd == pytest.approx(3254, abs=1e-6)
    assert md.cover_days[2024] == pytest.approx(146, abs=1e-4) and md.objective_usd == pytest.approx(3334, abs=1e-6)
    assert ms.mandate_cost.value == pytest.approx(80, abs=1e-6) and ms.mandate_cost.significant
    assert ms.day_saving_usd == pytest.approx(12 * DAY_T, abs=1e-6)
    assert ms.day_cost_usd == pytest.approx(20 * DAY_T, abs=1e-6)
    # A floor is a minimum: 73 days (20 t) binds nothing; the curve rises past the risk-based level.
    assert ms.reference(73.0).objective_usd == pytest.approx(3254, abs=1e-6)
    assert ms.reference(100.0).objective_usd == pytest.approx(3254, abs=1e-6)
    assert ms.best_on_curve.objective_usd == pytest.approx(3254, abs=1e-6)
    assert ms.reference(180.0).objective_usd > ms.reference(100.0).objective_usd + 1
    # Every point verified with every scenario, so its shortfalls are the verifier's.
    assert rb.shortfall_probability == pytest.approx(0.25) and md.shortfall_probability == pytest.approx(0.25)
    assert rb.expected_unmet_t == pytest.approx(0.15 * 20 + 0.1 * 70)


def test_the_risk_based_days_stop_where_a_day_saves_less_than_it_costs():
    """The property of issue 21: at every mandate below the risk-based level one more day saves more
    than it costs, and at every mandate above it less, so the risk-based days never exceed the days at
    which the expected marginal saving falls below the cost of holding."""
    risk_based = study(two_step(), ["li"], [], TEST_OPTS).minerals[0].risk_based.cover_days[2024]
    for days in (30.0, 80.0, 120.0, 160.0):
        ms = study(two_step(days), ["li"], [], TEST_OPTS).minerals[0]
        if days < risk_based:
            assert ms.day_saving_usd >= ms.day_cost_usd - 1e-9
        else:
            assert ms.day_saving_usd < ms.day_cost_usd


def test_stockpile_from_the_command_line(tmp_path):
    """One mineral of the default case, two floors: the three reports together, the Protection sheet, the
    headline in the .json; the input untouched; bad options are usage errors before any solve."""
    before = DEFAULT_WORKBOOK.read_bytes()
    result = CliRunner().invoke(main, ["stockpile", str(DEFAULT_WORKBOOK), "-m", "gallium", "--days", "0,100",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert DEFAULT_WORKBOOK.read_bytes() == before
    stem = tmp_path / "korea_2030-stockpile-gallium"  # one mineral: not the full run's name
    wb = load_workbook(f"{stem}.xlsx")
    assert {"Summary", "Curve", "Protection", "Charts", "Run"} <= set(wb.sheetnames)
    summary = [[c.value for c in r] for r in wb["Summary"].iter_rows(min_row=1, max_row=2)]
    assert summary[1][0] == "gallium" and summary[1][1] > 0
    facts = json.loads(open(f"{stem}.json").read())
    assert facts["gallium_mandate_days"] == pytest.approx(summary[1][4])
    assert "gallium" in open(f"{stem}.html").read().lower()  # by its Minerals sheet name
    for bad in (["--days", "0:x"], ["-m", "unobtainium"], ["--days", "-5"]):
        r = CliRunner().invoke(main, ["stockpile", str(DEFAULT_WORKBOOK), *bad, "-o", str(tmp_path / "bad")])
        assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert not (tmp_path / "bad").exists()
