"""Properties on random small instances: every plan verifies, tightening a cap
never lowers cost, and scaling every money figure by k scales the cost by k."""

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TEST_OPTS
from factory import PolicyLimits, RecyclingOption, StockpileRule, case, supplier
from models.plan import INFEASIBLE, OPTIMAL
from models.solve import Session, solve_case
from planner.verify import evaluate

ORIGINS = ["CHN", "AUS", "CHL", "IDN", "KOR"]
YEARS = (2024, 2026)


@st.composite
def instances(draw):
    n = draw(st.integers(2, 5))
    sups = []
    for i in range(n):
        origin = draw(st.sampled_from(ORIGINS))
        processing = draw(st.sampled_from([origin, "CHN"]))
        cap = draw(st.integers(20, 120))
        sups.append(supplier(
            f"s{i}", origin, draw(st.integers(50, 200)), cap, processing=processing,
            fixed=draw(st.sampled_from([0, 0, 300, 2000])),
            min_volume=draw(st.sampled_from([0, 0, min(cap, 15)])), escalation=draw(st.sampled_from([0, 0.05])),
            first=draw(st.sampled_from([2024, 2024, 2025])), end=YEARS[1]))
    policy = PolicyLimits(
        china_cap_share=draw(st.sampled_from([None, 0.4, 0.6, 0.8])),
        single_country_cap_share=draw(st.sampled_from([None, 0.7])),
        risk_cap=draw(st.sampled_from([None, 0.35, 0.5])),
        recycling_min_share=draw(st.sampled_from([None, 0.05, 0.15])),
        stockpile_min_days=draw(st.sampled_from([None, 20, 60])),
    )
    return case(sups, draw(st.integers(40, 150)), years=YEARS, policy=policy, discount_rate=0.05,
                min_contract_years=2,
                recycling=[RecyclingOption("r", "li", 10, 800, 120, 1, 4, 1, 0.9)],
                feedstock={("li", y): 50.0 for y in range(YEARS[0], YEARS[1] + 1)},
                stockpile=[StockpileRule("li", 5, 8, 3, 200)])


FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances())
def test_every_plan_verifies(d):
    plan = solve_case(d, TEST_OPTS)
    if plan.stats.status == OPTIMAL:
        assert evaluate(d, plan).violations == []
    else:
        assert plan.stats.status == INFEASIBLE


@FAST
@given(instances(), st.sampled_from(["china_cap_share", "risk_cap", "single_country_cap_share"]),
       st.floats(0.02, 0.3))
def test_tightening_a_cap_never_lowers_cost(d, column, step):
    s = Session(d)
    loose = s.solve(TEST_OPTS, shadow_prices=False)
    current = getattr(d.limits("li", 2024), column)
    s.set_limit(column, max((1.0 if current is None else current) - step, 0.0))
    tight = s.solve(TEST_OPTS, shadow_prices=False)
    if loose.stats.status != OPTIMAL:
        assert tight.stats.status == INFEASIBLE  # tighter than infeasible stays infeasible
    elif tight.stats.status == OPTIMAL:
        assert tight.stats.objective_usd >= loose.stats.objective_usd * (1 - 1e-7) - 1e-6


@FAST
@given(instances(), st.sampled_from([0.5, 3.0, 10.0]))
def test_scaling_all_money_scales_cost(d, k):
    scaled = replace(
        d,
        suppliers={i: replace(s, price_usd_per_t=s.price_usd_per_t * k, fixed_cost_usd_per_yr=s.fixed_cost_usd_per_yr * k)
                   for i, s in d.suppliers.items()},
        recycling={i: replace(r, capital_cost_usd_per_module=r.capital_cost_usd_per_module * k,
                              operating_cost_usd_per_t=r.operating_cost_usd_per_t * k) for i, r in d.recycling.items()},
        stockpile={i: replace(r, holding_cost_usd_per_t_yr=r.holding_cost_usd_per_t_yr * k,
                              purchase_premium_usd_per_t=r.purchase_premium_usd_per_t * k)
                   for i, r in d.stockpile.items()},
    )
    a, b = solve_case(d, TEST_OPTS, shadow_prices=False), solve_case(scaled, TEST_OPTS, shadow_prices=False)
    assert a.stats.status == b.stats.status
    if a.stats.status == OPTIMAL:
        assert b.stats.objective_usd == pytest.approx(k * a.stats.objective_usd, rel=1e-6)
