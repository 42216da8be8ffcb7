"""Properties on random small cases (Hypothesis, PROPERTY_EXAMPLES cases per test):

- every plan verifies independently, and its LP relaxation costs no more; every
  infeasible case is explained (an IIS, or the cells of an integer-only conflict);
- tightening any policy limit never lowers the cost, relaxing it never raises it;
- scaling every money figure by k scales the cost by k (prices alone would not: fixed
  costs, capital, premiums and fees are money too, and their ratio to prices steers the plan);
- different HiGHS random seeds give costs within the gap.

HiGHS stops within a relative gap (1e-9 here) or an absolute one (1e-6 of the scaled
objective, 1 USD), so cost comparisons go through the proven bounds: if A's optimum can
be no lower than B's, A's cost must be at least B's *bound*, whatever the gaps.
"""

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TEST_OPTS
from factory import Agreement, PolicyLimits, RecyclingOption, StockpileRule, case, supplier
from models.iis import explain
from models.plan import INFEASIBLE, OPTIMAL
from models.policy import NON_BINDING
from models.solve import Session, solve_case
from planner.verify import evaluate

ORIGINS = ["CHN", "AUS", "CHL", "IDN", "KOR"]
YEARS = (2024, 2026)
PROPERTY_EXAMPLES = 80  # 4 tests, 320 random cases in all: the issue asks for at least 300 in CI
PROPERTY = settings(max_examples=PROPERTY_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HIGHS_ABS_GAP_USD = 1.0  # mip_abs_gap 1e-6 of the objective in million USD


def tol(usd: float) -> float:
    """Room for HiGHS's feasibility tolerances in a cost comparison."""
    return 1e-7 * abs(usd) + 1e-3


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
        ira_min_share=draw(st.sampled_from([None, None, None, 0.1])),
    )
    agreements = [Agreement("ag", "joint_stockpile", ("AUS",), "li", 400, 6, 2025)] if draw(st.booleans()) else []
    return case(sups, draw(st.integers(40, 120)), years=YEARS, policy=policy, discount_rate=0.05,
                min_contract_years=2,
                recycling=[RecyclingOption("r", "li", 15, 800, 120, 2, 5, 1, 0.9)],
                feedstock={("li", y): 50.0 for y in range(YEARS[0], YEARS[1] + 1)},
                stockpile=[StockpileRule("li", 5, 8, 3, 200)], agreements=agreements)


# Policy columns: +1 for a cap (tightening lowers it), -1 for a minimum (tightening raises it),
# and the size of a unit step (a step of 0.1 is 10 stockpile days).
LIMITS = {"china_cap_share": (+1, 1.0), "single_country_cap_share": (+1, 1.0), "risk_cap": (+1, 1.0),
          "recycling_min_share": (-1, 1.0), "stockpile_min_days": (-1, 100.0), "ira_min_share": (-1, 1.0)}
WHERE = st.sampled_from([None, [("li", 2024)], [("li", 2026)]])  # every year, or one cell


def moved(d, column: str, step: float) -> float:
    """The limit tightened by ``step`` (> 0) or relaxed (< 0), within its range."""
    current = getattr(d.limits("li", YEARS[0]), column)
    current = NON_BINDING[column] if current is None else current
    direction, unit = LIMITS[column]
    value = current - direction * step * unit
    return max(value, 0.0) if column == "stockpile_min_days" else min(max(value, 0.0), 1.0)


@PROPERTY
@given(instances())
def test_every_plan_verifies_and_costs_no_less_than_its_lp_relaxation(d):
    s = Session(d)
    plan = s.solve(TEST_OPTS, shadow_prices=False)
    if plan.stats.status == OPTIMAL:
        assert evaluate(d, plan).violations == []
        lp = s.lp_bound_usd(TEST_OPTS)
        assert lp is not None and lp <= plan.stats.objective_usd + tol(lp)
    else:
        assert plan.stats.status == INFEASIBLE
        report = explain(d, TEST_OPTS)
        assert report.found and report.conflicts


@PROPERTY
@given(instances(), st.sampled_from(list(LIMITS)), st.floats(0.02, 0.3), WHERE)
def test_tightening_a_limit_never_lowers_cost_and_relaxing_never_raises_it(d, column, step, where):
    s = Session(d)
    base = s.solve(TEST_OPTS, shadow_prices=False)
    s.set_limit(column, moved(d, column, step), where)
    tight = s.solve(TEST_OPTS, shadow_prices=False)
    s.set_limit(column, moved(d, column, -step), where)
    loose = s.solve(TEST_OPTS, shadow_prices=False)
    if base.stats.status != OPTIMAL:
        assert tight.stats.status == INFEASIBLE  # tighter than infeasible stays infeasible
    else:
        assert loose.stats.status == OPTIMAL  # looser than feasible stays feasible
        assert loose.stats.bound_usd <= base.stats.objective_usd + tol(base.stats.objective_usd)
        if tight.stats.status == OPTIMAL:
            assert tight.stats.objective_usd >= base.stats.bound_usd - tol(base.stats.bound_usd)


@PROPERTY
@given(instances(), st.floats(0.1, 100))
def test_scaling_all_money_scales_cost(d, k):
    scaled = replace(
        d,
        suppliers={i: replace(s, price_usd_per_t=s.price_usd_per_t * k,
                              fixed_cost_usd_per_yr=s.fixed_cost_usd_per_yr * k) for i, s in d.suppliers.items()},
        recycling={i: replace(r, capital_cost_usd_per_module=r.capital_cost_usd_per_module * k,
                              operating_cost_usd_per_t=r.operating_cost_usd_per_t * k) for i, r in d.recycling.items()},
        stockpile={i: replace(r, holding_cost_usd_per_t_yr=r.holding_cost_usd_per_t_yr * k,
                              purchase_premium_usd_per_t=r.purchase_premium_usd_per_t * k)
                   for i, r in d.stockpile.items()},
        agreements={i: replace(a, fee_usd_per_yr=a.fee_usd_per_yr * k) for i, a in d.agreements.items()},
    )
    a, b = solve_case(d, TEST_OPTS, shadow_prices=False), solve_case(scaled, TEST_OPTS, shadow_prices=False)
    assert a.stats.status == b.stats.status
    if a.stats.status == OPTIMAL:
        # The scaled case's optimum is exactly k times the original's; each solve is within its bounds.
        assert b.stats.objective_usd >= k * a.stats.bound_usd - tol(b.stats.objective_usd)
        assert k * a.stats.objective_usd >= b.stats.bound_usd - tol(b.stats.objective_usd)


@PROPERTY
@given(instances(), st.integers(1, 2**31 - 1))
def test_random_seeds_give_costs_within_the_gap(d, seed):
    opts = replace(TEST_OPTS, mip_gap=1e-3)
    s = Session(d)  # HiGHS solves each time from scratch
    a = s.solve(opts, shadow_prices=False)
    b = s.solve(replace(opts, random_seed=seed), shadow_prices=False)
    assert a.stats.status == b.stats.status
    if a.stats.status == OPTIMAL:
        x, y = a.stats.objective_usd, b.stats.objective_usd
        assert x >= b.stats.bound_usd - tol(x) and y >= a.stats.bound_usd - tol(y)
        assert abs(x - y) <= opts.mip_gap * max(x, y) + HIGHS_ABS_GAP_USD + tol(x)


def test_every_run_draws_the_same_cases():
    """The suite's verdict holds from run to run (tests/conftest.py's profile): a property test draws the
    same cases each time, where a fresh draw once failed a test that had passed the run before."""
    if settings.get_current_profile_name() == "explore":
        pytest.skip("--hypothesis-profile=explore draws fresh cases, as asked")
    drawn = []

    @settings(PROPERTY, max_examples=10)
    @given(instances())
    def record(d):
        drawn.append(repr(d))

    record()
    first, drawn[:] = drawn[:], []
    record()
    assert drawn == first and len(set(first)) > 1
