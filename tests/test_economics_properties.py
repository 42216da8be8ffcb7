"""Properties the disruption economics must have whatever the figures: the shortage cost curve, crisis
prices set by the shock, release times, the limits of a disruption, the probabilities, CVaR, and the
default workbook's economics figures with their sources.  Hand-solved cases are in test_economics."""

import dataclasses

import pytest

from conftest import DEFAULT_WORKBOOK, TEST_OPTS
from models.dataset import DisruptionScenario, crisis_multiplier
from models.solve import Session
from planner.reports import labels as L
from planner.reports.resilience_report import build_stress_html
from planner.studies import resilience
from planner.studies.resilience import hedge, stress
from planner.verify import shortage_cost_usd, value_at_risk_usd
from planner.workbook.defaults import load_default_tables
from planner.workbook.reader import read_workbook
from test_economics import graphite_workbook, lead_case
from test_resilience import newsvendor

ECONOMICS_SHEETS = ("Shortage costs", "Spot supply", "WorldSupply", "Minerals", "Stockpile")


@pytest.fixture(scope="module")
def default():
    return read_workbook(DEFAULT_WORKBOOK).data


@pytest.fixture(scope="module")
def graphite(default):
    """The default case cut to graphite, with its default disruptions."""
    return default.restricted_to(["graphite"])


@pytest.fixture(scope="module")
def graphite_stressed(graphite):
    return stress(graphite, TEST_OPTS)


def test_the_shortage_cost_is_convex_and_never_falls_as_the_shortage_deepens(default):
    """f_m(U) on every default curve, from nothing to half again the year's demand: 0 at 0, never
    falling, its slope never falling (convex, so the recourse is a linear program); and the model's
    steps (``shortage_steps``) give the verifier's figure."""
    y = default.settings.last_year
    for m in default.minerals:
        demand = default.demand_t[m, y]
        grid = [demand * k / 200 for k in range(301)]
        f = [shortage_cost_usd(default, m, y, u) for u in grid]
        assert f[0] == 0
        slopes = [(b - a) / (grid[1] - grid[0]) for a, b in zip(f, f[1:])]
        assert all(s >= 0 for s in slopes), m
        assert all(b >= a - 1e-6 * max(1.0, abs(a)) for a, b in zip(slopes, slopes[1:])), m
        for u in grid[::25]:
            left, usd = u, 0.0
            for width, cost in default.shortage_steps(m):
                t = left if width is None else min(left, width * demand)
                usd, left = usd + cost * t, left - t
            assert usd == pytest.approx(shortage_cost_usd(default, m, y, u), rel=1e-12, abs=1e-9), m


def test_stopping_output_costs_more_than_buying_at_any_capped_crisis_price(default):
    """The deepest step (downstream output stops) is dearer per tonne than the dearest option at the
    highest derived crisis price (Settings spot_multiplier_max): where a tonne can be bought, the
    plan never prefers to stop a line.  The first steps (thrifting and deferred orders at twice the
    price, slowed lines) are below it on purpose: they are demand that steps back at crisis prices."""
    cap = default.settings.spot_multiplier_max
    for m in default.minerals:
        dearest = max(s.price_usd_per_t for s in default.suppliers.values() if s.mineral_id == m)
        assert default.shortage_steps(m)[-1][1] >= cap * dearest, m


@pytest.mark.parametrize("elasticity", [0.05, 0.3, 0.5, 1.0, 4.0])
def test_the_crisis_price_rises_with_the_shock_and_falls_with_the_elasticity(elasticity):
    """μ(R) = min((1 − R)^(−1/ε), μ_max) never falls as the share R of world supply lost grows, is 1
    with nothing lost and the cap with everything lost, and a more elastic market never prices the
    same shock higher."""
    cap = 4.0
    shares = [k / 100 for k in range(101)]
    mu = [crisis_multiplier(r, elasticity, cap) for r in shares]
    assert mu[0] == 1.0 and mu[-1] == cap
    assert all(1.0 <= a <= b <= cap for a, b in zip(mu, mu[1:]))
    assert all(crisis_multiplier(r, 1.5 * elasticity, cap) <= m for r, m in zip(shares, mu))


def test_a_deeper_stop_of_china_never_lowers_the_default_crisis_price(default):
    """On the default WorldSupply and elasticities: the share of world supply a China stop removes, and
    the price it sets, never fall as the stop's share lost grows; a stop of nothing leaves the price."""
    for m in default.minerals:
        lost = [default.world_supply_lost(m, {("CHN", "either"): k / 20}) for k in range(21)]
        mu = [default.derived_multiplier(m, r) for r in lost]
        assert lost[0] == 0 and mu[0] == 1.0, m
        assert all(a <= b for a, b in zip(lost, lost[1:])) and all(a <= b for a, b in zip(mu, mu[1:])), m


def test_a_derived_crisis_price_rises_with_the_share_lost_through_the_reader(tmp_path):
    """The same event with a larger share_lost gets a crisis price no lower (an elasticity of 0, a market
    whose price would have no bound, is refused by its cell: test_economics)."""
    mu = [read_workbook(graphite_workbook(tmp_path, share_lost=s)).data.disruptions[0].spot_multiplier[
        "graphite", 2027] for s in (0.1, 0.4, 0.8)]
    assert 1.0 < mu[0] < mu[1] <= mu[2]


def test_a_longer_release_lead_time_or_a_slower_release_never_lowers_the_expected_cost():
    """A 60-day stop of the one supplier: the hedged optimum never falls as the stock takes longer to
    arrive or may be released more slowly, and is dearest when nothing arrives in time."""
    by_lead = [hedge(lead_case(60, lead), TEST_OPTS).plan.stats.objective_usd for lead in (0, 15, 30, 45, 60, 90)]
    assert all(a <= b + 1e-6 for a, b in zip(by_lead, by_lead[1:]))
    assert by_lead[0] < by_lead[-1] and by_lead[-2] == pytest.approx(by_lead[-1], abs=1e-6)
    by_rate = [hedge(lead_case(60, 0, per_month=r), TEST_OPTS).plan.stats.objective_usd for r in (None, 10, 5, 1)]
    assert all(a <= b + 1e-6 for a, b in zip(by_rate, by_rate[1:]))


@pytest.mark.parametrize("lead", [0, 10, 30, 59, 60, 80])
def test_a_held_stock_reaches_only_the_part_of_a_stop_after_its_lead_time(lead):
    """The plan that holds stock for every tonne a 60-day stop loses (decided with instant release),
    held fixed and released with a lead of ``lead`` days: what goes unmet is the part of the stop
    before the stock arrives, lost x min(1, lead / 60); with instant release nothing is unmet."""
    session = Session(lead_case(60, 0), hedged=True)
    plan = session.solve(TEST_OPTS, shadow_prices=False)
    lost = 100 * 60 / 365
    assert plan.stock_t["li", "china", 2025] + plan.stock_t["li", "other", 2025] >= lost - 1e-6
    late = resilience.test_plan(lead_case(60, lead), session.model, plan, TEST_OPTS, "instant plan")
    assert late.evaluation.scenario_unmet_t["stop", "li"] == pytest.approx(lost * min(1.0, lead / 60), abs=1e-6)


def no_loss(d, how: str):
    """``d`` with every disruption made harmless: no share lost, or a stop of 0 days."""
    def harmless(sc: DisruptionScenario) -> DisruptionScenario:
        if how == "share":
            return dataclasses.replace(sc, loss={k: 0.0 for k in sc.loss})
        return dataclasses.replace(sc, loss={k: 0.0 for k in sc.loss}, stop_days={k: 0.0 for k in sc.loss},
                                   onset_days={k: 0.0 for k in sc.loss})
    return dataclasses.replace(d, disruptions=tuple(harmless(sc) for sc in d.disruptions))


@pytest.mark.parametrize("how", ["share", "days"])
def test_a_disruption_of_nothing_changes_nothing(how, graphite):
    """Disruptions of no share lost, or of 0 days: every scenario costs 0 and the hedged plan costs what
    the least-cost plan does, to the proven gap (the newsvendor, and the default case's graphite)."""
    for d in (newsvendor(True), graphite):
        harmless = no_loss(d, how)
        least = Session(harmless).solve(TEST_OPTS, shadow_prices=False)
        hedged = hedge(harmless, TEST_OPTS)
        assert all(abs(o.cost_usd) <= 1e-6 for o in hedged.outcomes)
        gap = abs(least.stats.objective_usd - least.stats.bound_usd) + abs(
            hedged.plan.stats.objective_usd - hedged.plan.stats.bound_usd)
        assert hedged.plan.stats.objective_usd == pytest.approx(least.stats.objective_usd, abs=gap + 1e-6)


def scaled(d, k: float):
    return dataclasses.replace(d, disruptions=tuple(dataclasses.replace(sc, probability=k * sc.probability)
                                                    for sc in d.disruptions))


@pytest.mark.parametrize("k", [0.0, 0.1, 0.5])
def test_the_expected_cost_of_a_fixed_plan_is_linear_in_the_probabilities(k, graphite, graphite_stressed):
    """The least-cost plan (which no probability touches) held and hit: scaling every probability by k
    leaves each scenario's cost and scales the expected disruption cost by k."""
    for d, base in ((newsvendor(True), stress(newsvendor(True), TEST_OPTS)), (graphite, graphite_stressed)):
        t = stress(scaled(d, k), TEST_OPTS)
        assert t.first_stage_usd == pytest.approx(base.first_stage_usd, rel=1e-9)
        assert [o.cost_usd for o in t.outcomes] == pytest.approx([o.cost_usd for o in base.outcomes], rel=1e-7,
                                                                 abs=1e-3)
        assert t.expected_recourse_usd == pytest.approx(k * base.expected_recourse_usd, rel=1e-7, abs=1e-3)


def test_a_held_plan_is_tested_at_each_scenarios_least_recourse():
    """The least-cost plan of the newsvendor with Australia's spot, held: each scenario costs the least
    recourse the plan allows, at probability 0 (a stress row kept for the record) as at its probability
    (at probability 0 each took any recourse the plan allows: 1,000, 2,500 and 5,000 USD were reported
    as 2,000, 5,000 and 10,000)."""
    held = stress(scaled(newsvendor(True), 0.0), TEST_OPTS)
    assert [o.cost_usd for o in held.outcomes] == pytest.approx([1000, 2500, 5000], abs=1e-6)
    assert held.expected_recourse_usd == 0


def test_the_hedged_plan_prices_a_disruption_of_probability_0_at_its_least_recourse():
    """The newsvendor with Australia's spot, its 20% cut at probability 0: the hedged plan reports the cut
    at its least recourse, 1,000 USD as for the least-cost plan held (it was reported at whatever
    recourse the solve left, here 2,000 USD), and its expected cost is the objective it was decided at."""
    d = newsvendor(True)
    d = dataclasses.replace(d, disruptions=(dataclasses.replace(d.disruptions[0], probability=0.0),
                                            *d.disruptions[1:]))
    hedged, held = hedge(d, TEST_OPTS), stress(scaled(newsvendor(True), 0.0), TEST_OPTS)
    assert hedged.outcomes[0].cost_usd == pytest.approx(held.outcomes[0].cost_usd, abs=1e-6)
    assert hedged.expected_total_usd == pytest.approx(hedged.decided.value, abs=1e-6)


def test_the_plan_for_the_worst_case_is_reported_at_each_scenarios_least_recourse():
    """On the plan for the worst case (λ = 1, α = 0.9: 100 t of stock) the scenarios below the tail cost
    20 x 14 - 200 = 80 and 50 x 14 - 500 = 200, not the tail's 400 (a scenario below the tail has no
    weight in the objective: it was reported at whatever recourse the solve left)."""
    worst = hedge(newsvendor(False, weight=1.0, level=0.9), TEST_OPTS)
    assert [o.cost_usd for o in worst.outcomes] == pytest.approx([80, 200, 400], abs=1e-6)


@pytest.mark.parametrize("weight, first_at_0", [(1.0, False), (0.5, True)])
def test_a_held_plan_of_a_risk_averse_case_is_tested_at_each_scenarios_least_recourse(weight, first_at_0):
    """The least-cost plan held in the newsvendor with Australia's spot at λ = 1 (the scenarios below the
    tail have no weight), or at λ = 0.5 with its 20% cut at probability 0: each scenario costs what it
    does risk-neutral, 1,000, 2,500 and 5,000 USD."""
    d = newsvendor(True, weight=weight, level=0.9)
    if first_at_0:
        d = dataclasses.replace(d, disruptions=(dataclasses.replace(d.disruptions[0], probability=0.0),
                                                *d.disruptions[1:]))
    held = stress(d, TEST_OPTS)
    assert [o.cost_usd for o in held.outcomes] == pytest.approx([1000, 2500, 5000], abs=1e-6)


@pytest.mark.parametrize("level", [0.0, 0.5, 0.8, 0.95])
def test_cvar_is_never_below_the_expected_disruption_cost(level, graphite_stressed):
    """CVaR at any level, the calm outcome included, is at least the expected cost, and the expected cost
    at level 0; the value at risk η reaches it in Rockafellar and Uryasev's form."""
    for t in (graphite_stressed, stress(newsvendor(True), TEST_OPTS)):
        t = dataclasses.replace(t, level=level)
        assert t.cvar_usd >= t.expected_recourse_usd - 1e-6
        if level == 0:
            assert t.cvar_usd == pytest.approx(t.expected_recourse_usd, rel=1e-9, abs=1e-6)
        outcomes = [(o.cost_usd, o.scenario.probability) for o in t.outcomes]
        eta, calm = value_at_risk_usd(outcomes, level), 1 - sum(p for _c, p in outcomes)
        at_eta = eta + (calm * max(0.0, -eta) + sum(p * max(0.0, c - eta) for c, p in outcomes)) / (1 - level)
        assert at_eta == pytest.approx(t.cvar_usd, rel=1e-9, abs=1e-6)


def test_more_risk_aversion_trades_expected_cost_for_a_lower_cvar():
    """The hedged plans of λ = 0 < 0.3 < 0.7 < 1 (α = 0.8) on the newsvendor: the expected total
    F + E[C] never falls and F + CVaR never rises as λ grows (each plan is optimal for its own weight)."""
    totals = []
    for weight in (0.0, 0.3, 0.7, 1.0):
        t = hedge(newsvendor(False, weight=weight, level=0.8), TEST_OPTS)
        totals.append((t.expected_total_usd, t.first_stage_usd + t.cvar_usd))
    for (e1, c1), (e2, c2) in zip(totals, totals[1:]):
        assert e2 >= e1 - 1e-6 and c2 <= c1 + 1e-6


def test_every_economics_figure_keeps_its_source_and_estimates_say_so():
    """Every row of the economics sheets of the default workbook cites a Sources row; the rows they
    cite for the shortage curves, spot curve and crisis price cap are marked estimate and their note
    says "estimate"."""
    tables = load_default_tables()
    sources = {r["source_id"]: r for r in tables["Sources"]}
    cited = set()
    for sheet in ECONOMICS_SHEETS:
        for row in tables[sheet]:
            assert row["source_id"] in sources, (sheet, row)
            cited.add(row["source_id"])
    cited |= {r["source_id"] for r in tables["Settings"] if r["name"] == "spot_multiplier_max"}
    for sid in ("shortage_curve", "spot_curve", "spot_cap", "stockpile", "minerals"):
        assert sid in cited
        assert sources[sid]["estimate"] is True or str(sources[sid]["estimate"]).lower() == "yes", sid
        assert "estimate" in sources[sid]["note"].lower(), sid


@pytest.mark.parametrize("lang, word", [(L.EN, "estimate"), (L.KO, "추정")])
def test_a_disruption_report_says_its_figures_are_estimates(lang, word, graphite, graphite_stressed):
    """The stress report's lost output rests on the estimated shortage curves: the page says so."""
    page = build_stress_html(graphite, graphite_stressed, "stress", "graphite", lang)
    assert word in page
