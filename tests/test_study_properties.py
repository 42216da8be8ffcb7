"""Properties the studies must have, checked on real small HiGHS solves (the model's own properties are
test_metamorphic's; these are the studies' figures built on it).

- coalition: the split is efficient, symmetric between identical members, blind to the members' order
  and codes, individually rational and in the core where the study says so (a direct check of every
  coalition), the settlements add up to the joint stock's cost, pooling never loses, and a member with
  nothing to add gets its stand-alone value;
- stockpile: the risk-based days never fall as a disruption grows likelier, longer, deeper or dearer; a
  mineral no disruption hits holds no stock above its floor, and cover a plan holds with no disruption at
  all is not put down to the disruptions; every uniform floor is met, a higher one costs no less, and none
  above one without a plan has one; the rows' order on the sheets changes nothing;
- sweep: the point at the workbook's own limit is the plan ``planner solve`` reports; a minimum swept up
  never gets cheaper, loses its plan once for good, and each point without one gets one as its diagnosis
  says;
- alternatives: every plan's cost, by the verifier, is within the stated slack, and no plan goes beyond a
  direction's or a range's proven bound;
- compare and stress: a case compared with itself differs in nothing significant, and a disruption that
  cannot happen is worth no hedge.
"""

import dataclasses
import json
from itertools import combinations

import pytest
from click.testing import CliRunner

from conftest import TEST_OPTS
from factory import PolicyLimits, StockpileRule, default_tables_for, supplier
from models.dataset import Country, CountryStop, Mineral, Partner
from models.plan import FAMILY_LIMIT
from models.solve import SolveOptions, solve_case
from planner.cli import main
from planner.reports.compare_report import narrative, significant
from planner.reports.stockpile_report import _story, summary
from planner.studies import resilience, stockpile
from planner.studies.alternatives import DIRECTION, FRONTIER, parse_directions, range_value, run_alternatives
from planner.studies.coalition import run_study, settle, solve_coalition
from planner.studies.compare import BASE, Case, run_cases
from planner.studies.policies import cost_range, target_year
from planner.studies.sweep import PARAMETERS, run_sweep
from planner.verify import verify
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook
from test_alternatives import rich_case
from test_resilience import newsvendor

TOL_USD = 1e-6


def tol(usd: float) -> float:
    """Room for HiGHS's tolerances in a comparison of costs (test_metamorphic's)."""
    return 1e-7 * abs(usd) + 2.0


# ---- coalition ---------------------------------------------------------------------------------

def korea_and_partners(renamed: dict[str, str] | None = None):
    """The newsvendor of test_resilience (Korea loses 20, 50 or 100 t of 100 in 2025) and three partners
    (100 t a year each, a shortage 2,000 USD/t): JPN and CAN alike, never hit, each 50 t to lend; USA,
    half China-linked, loses half its supply in the scenario that stops all of Korea's.  ``renamed``
    gives partners other codes (their data kept)."""
    name = renamed or {}
    d = newsvendor(False)
    countries = {name.get(c, c): Country(name.get(c, c), c, 0.1, False, False, True) for c in ("JPN", "CAN", "USA")}
    d = dataclasses.replace(d, countries={**d.countries, **countries})
    partners = {"JPN": Partner("JPN", "li", 100, 50, 0, 0.0, (), 2000),
                "CAN": Partner("CAN", "li", 100, 50, 0, 0.0, (), 2000),
                "USA": Partner("USA", "li", 100, 0, 0, 0.5, (), 2000)}
    usa = name.get("USA", "USA")
    scenarios = tuple(dataclasses.replace(sc, stops=(CountryStop("li", "CHN", 2025, 1.0, importers=frozenset({usa})),))
                      if sc.name == "cut100" else sc for sc in d.disruptions)
    return dataclasses.replace(d, disruptions=scenarios, partners={
        (name.get(c, c), "li"): dataclasses.replace(p, country=name.get(c, c)) for c, p in partners.items()})


MEMBERS = ("KOR", "JPN", "CAN", "USA")


@pytest.fixture(scope="module")
def coalition():
    study = run_study(korea_and_partners(), MEMBERS, ["li"], TEST_OPTS)
    return study, settle(study)


def test_the_split_is_efficient_symmetric_and_the_game_superadditive(coalition):
    """Σ φ = v(N) in all and block by block; JPN and CAN are alike, so each adds to any coalition what the
    other does and their shares are equal; with the joint stock shared where it is needed first, any two
    disjoint coalitions together save at least what they save apart, and so every Shapley share is at
    least the member's stand-alone value (0)."""
    study, split = coalition
    grand = study.value(MEMBERS).value
    assert grand > 100  # the case is one where pooling pays
    assert sum(split.shapley_usd.values()) == pytest.approx(grand, abs=TOL_USD)
    for b in study.blocks:
        assert sum(split.shapley_by_mineral_usd[i, b] for i in MEMBERS) == pytest.approx(study.value(MEMBERS, b).value,
                                                                                         abs=TOL_USD)
    v = {frozenset(s): study.value(s).value for s in study.coalitions}
    others = [i for i in MEMBERS if i not in ("JPN", "CAN")]
    for k in range(len(others) + 1):
        for s in combinations(others, k):
            assert v.get(frozenset(s) | {"JPN"}, 0.0) == pytest.approx(v.get(frozenset(s) | {"CAN"}, 0.0), abs=1e-3)
    assert split.shapley_usd["JPN"] == pytest.approx(split.shapley_usd["CAN"], abs=1e-3)
    for s in v:
        for t in v:
            if not s & t and s | t in v:
                assert v[s | t] >= v[s] + v[t] - tol(study.cost(MEMBERS).value), (sorted(s), sorted(t))
    assert all(x >= -TOL_USD for x in split.shapley_usd.values())


def test_what_the_split_says_of_the_core_is_what_a_direct_check_finds(coalition):
    """``in_core`` and the coalitions named as shorted are those whose members' Shapley shares add up to
    less than they save alone; the nucleolus is efficient and, the core being non-empty (ε <= 0), in it."""
    study, split = coalition
    members = list(MEMBERS)
    v = {frozenset(s): study.value(s).value for s in study.coalitions}
    slack = 1.0 + 1e-9 * abs(study.cost(MEMBERS).value)
    shorted = {s for s in v if len(s) < len(members) and v[s] - sum(split.shapley_usd[i] for i in s) > slack}
    assert split.in_core == (not shorted)
    assert {frozenset(s) for s, _ in split.violations} == shorted
    assert sum(split.nucleolus_usd.values()) == pytest.approx(v[frozenset(members)], abs=1e-3)
    assert split.least_core_epsilon_usd <= 1e-6
    for s, x in v.items():
        assert sum(split.nucleolus_usd[i] for i in s) >= x - slack


def test_the_settlements_add_up_to_the_joint_stocks_cost(coalition):
    """Split's own claim: Σ_i (b_i - φ_i), what the members pay in all to end with their Shapley shares, is
    what the grand coalition's joint stock costs (no member holds it)."""
    study, split = coalition
    for b in study.blocks:
        owed = sum(split.settlement_usd[i, b] for i in MEMBERS)
        assert owed == pytest.approx(split.joint_cost_usd[b], abs=1e-3)


def test_the_members_order_and_their_codes_change_nothing(coalition):
    """The same partners listed in another order, JPN called ZZZ and USA called AAA: every coalition saves
    what it did, and every member keeps its share of each figure under its new code."""
    study, split = coalition
    code = {"JPN": "ZZZ", "USA": "AAA"}
    members = ("USA", "CAN", "KOR", "JPN")
    other = run_study(korea_and_partners(code), tuple(code.get(i, i) for i in members), ["li"], TEST_OPTS)
    theirs = settle(other)
    back = {code.get(i, i): i for i in MEMBERS}
    for s in study.coalitions:
        named = {code.get(i, i) for i in s}
        assert other.value(tuple(i for i in other.members if i in named)).value == pytest.approx(
            study.value(s).value, abs=1e-3)
    assert {back[i]: x for i, x in theirs.shapley_usd.items()} == pytest.approx(split.shapley_usd, abs=1e-3)
    assert {back[i]: x for i, x in theirs.nucleolus_usd.items()} == pytest.approx(split.nucleolus_usd, abs=1e-3)
    assert {(back[i], b): x for (i, b), x in theirs.settlement_usd.items()} == pytest.approx(split.settlement_usd,
                                                                                             abs=1e-3)
    assert theirs.in_core == split.in_core


def test_a_member_with_nothing_to_add_gets_its_stand_alone_value():
    """MEX is never hit and holds only its mandate (nothing to lend): every coalition with it saves what it
    saves without it, its Shapley share is its stand-alone value 0, and the grand coalition's plan the study
    takes from the others' is what the model finds solving it."""
    d = korea_and_partners()
    d = dataclasses.replace(d, countries={**d.countries, "MEX": Country("MEX", "MEX", 0.1, False, False, True)},
                            partners={**d.partners, ("MEX", "li"): Partner("MEX", "li", 100, 10, 36.5, 0.0)})
    members = ("KOR", "JPN", "MEX")
    study = run_study(d, members, ["li"], TEST_OPTS)
    assert "MEX is never hit" in study.solved[members, "li"].reused
    v = {frozenset(s): study.value(s).value for s in study.coalitions}
    for s, x in v.items():
        assert x == pytest.approx(v.get(s - {"MEX"}, 0.0), abs=1e-3)
    assert settle(study).shapley_usd["MEX"] == pytest.approx(0, abs=1e-3)
    solved = solve_coalition(d, members, members, "li", {}, TEST_OPTS)
    assert solved.objective.value == pytest.approx(study.cost(members).value, abs=1e-3)


# ---- stockpile ---------------------------------------------------------------------------------

# Sheets whose rows are read in order, kept as they are: a mineral's shortage and spot steps run from the
# shallowest, a stream's first row holds its name.  (The Disruptions sheets' events are reversed whole: an
# event's first row holds its probability.)
ORDERED = ("Shortage costs", "Spot supply", "Streams")


def reordered(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Every sheet's rows in reverse order; on the Disruptions sheets each event's rows kept together,
    the events reversed."""
    out = {}
    for name, rows in tables.items():
        if name in ("Disruptions", "Disruption risks"):
            key = "disruption" if name == "Disruptions" else "risk"
            events: list[list[dict]] = []
            for r in rows:
                if events and r[key] == events[-1][0][key]:
                    events[-1].append(r)
                else:
                    events.append([r])
            out[name] = [r for event in reversed(events) for r in event]
        else:
            out[name] = list(rows) if name in ORDERED else list(reversed(rows))
    return out


def gallium(tmp_path, edit=lambda tables: None, name="ga"):
    """The default case's gallium (China's export stop from 2027 and the sea-lane closure of 2028), its
    tables edited by ``edit``, written and read as a planner's workbook."""
    tables = default_tables_for("gallium")
    edit(tables)
    return read_workbook(write_input_workbook(tables, tmp_path / f"{name}.xlsx")).data


def risk_based(d, m="gallium"):

    return stockpile.study(d, [m], [], TEST_OPTS).minerals[0].risk_based


def scaled(sheet: str, column: str, factor: float):
    def edit(tables):
        for r in tables[sheet]:
            if r[column] is not None:
                r[column] *= factor
    return edit


@pytest.fixture(scope="module")
def gallium_base(tmp_path_factory):
    return risk_based(gallium(tmp_path_factory.mktemp("ga")))


@pytest.mark.parametrize("edit", [
    scaled("Disruptions", "probability", 2.0),  # each disruption twice as likely
    scaled("Disruptions", "duration", 1.5),  # China's stop 3 years, the closure 90 days
    scaled("Disruptions", "share_lost", 1.25),  # China's stop takes all of its tonnes, the closure 62.5%
    scaled("Shortage costs", "cost_usd_per_t", 2.0),  # every tonne short twice as dear
], ids=["probability", "duration", "share-lost", "shortage-cost"])
def test_the_risk_based_days_never_fall_as_a_disruption_grows_likelier_longer_deeper_or_dearer(tmp_path, gallium_base,
                                                                                               edit):
    """The risk-based plan of gallium holds at least as many days of cover, on the mean the report gives
    and year by year, when every disruption is likelier, longer, deeper or its shortages dearer.  (Year by
    year is this case's: where holding a tonne more or less costs the same, a solve may take either, as
    halving the share lost does in 2035, 37 days held or none at one objective.)"""
    base, worse = gallium_base, risk_based(gallium(tmp_path, edit))
    assert worse.mean_cover_days >= base.mean_cover_days - 1e-6
    assert all(worse.cover_days[y] >= days - 1e-6 for y, days in base.cover_days.items())
    assert worse.objective.high >= base.objective.low - tol(base.objective_usd)


def test_the_sheets_row_order_changes_no_risk_based_day(tmp_path, gallium_base):
    """Every sheet's rows reversed (the disruptions' events reversed, each kept whole): the same plan."""
    flipped = risk_based(gallium(tmp_path, lambda t: t.update(reordered(default_tables_for("gallium"))), "flipped"))
    assert flipped.objective_usd == pytest.approx(gallium_base.objective_usd, rel=1e-7)
    assert flipped.cover_days == pytest.approx(gallium_base.cover_days, abs=1e-4)


def two_minerals_one_at_risk(floor_days: float | None):
    """Lithium as in the newsvendor (China's 2025 contract cut by 20, 50 or all of its 100 t) and cobalt,
    100 t a year from Australia at 10 USD/t that no disruption touches, with a stock it may hold at the
    same terms and, if given, a floor of ``floor_days`` of cover in each year."""
    d = newsvendor(False)
    co = supplier("co_au", "AUS", 10, 1000, mineral="co", end=2025)
    policy = dict(d.policy)
    if floor_days is not None:
        policy.update({("co", y): PolicyLimits(stockpile_min_days=floor_days) for y in d.years})
    return dataclasses.replace(
        d, minerals={**d.minerals, "co": Mineral("co", "co", "co", True, False, 110)},
        suppliers={**d.suppliers, "co_au": co}, demand_t={**d.demand_t, ("co", 2024): 100.0, ("co", 2025): 100.0},
        stockpile={**d.stockpile, "co": StockpileRule("co", 0, 8, 4, 500)}, policy=policy)


@pytest.mark.parametrize("floor_days", [None, 30.0])
def test_a_mineral_no_disruption_hits_holds_no_stock_above_its_floor(floor_days):
    """Cobalt is never at risk: its risk-based plan holds no stock, its mandate's plan exactly the floor and
    no more, while lithium's risk-based plan still holds the newsvendor's 50 t."""
    s = stockpile.study(two_minerals_one_at_risk(floor_days), ["co", "li"], [], TEST_OPTS)
    co, li = s.minerals
    assert co.risk_based.stock_days == pytest.approx({2024: 0, 2025: 0}, abs=1e-6)
    assert co.calm_cover_days == pytest.approx({2024: 0, 2025: 0}, abs=1e-6)
    if floor_days is None:
        assert co.mandate is None
    else:
        assert co.mandate.stock_days == pytest.approx({2024: floor_days, 2025: floor_days}, abs=1e-6)
    assert li.risk_based.stock_days[2024] == pytest.approx(50 * 365 / 100, abs=1e-4)


def test_the_stock_a_plan_holds_with_no_disruption_is_not_put_down_to_the_disruptions(tmp_path, gallium_base):
    """Gallium's plan buys Chinese gallium under 2026's 95% China cap and draws it in the years of a tighter
    one (the cap counts imports): with every disruption at probability 0 the plan with no floor still holds
    68 days on the mean, 226 in 2026.  The study solves that calm plan beside the risk-based one, and the
    report no longer says the disruptions make those days worth holding: it says how many the plan would
    hold anyway.  With the disruptions in, the risk-based plan holds more than the calm one."""
    calm = gallium(tmp_path, scaled("Disruptions", "probability", 0.0))
    s = stockpile.study(calm, ["gallium"], [], TEST_OPTS)
    ms = s.minerals[0]
    assert ms.calm_mean_days == pytest.approx(ms.risk_based.mean_cover_days, abs=1e-2)
    assert ms.calm_cover_days[2026] == pytest.approx(7.98 / 12.87 * 365, abs=1e-3)  # the stock's maximum
    for lang, words in (("en", "with no disruption at all it would still hold 68 days"),
                        ("ko", "공급 차질이 전혀 없어도 68일을 보유함")):
        story = _story(calm, s, summary(calm, s), lang)[0]
        assert words in story and "the disruptions make" not in story, story
    assert gallium_base.mean_cover_days > ms.calm_mean_days + 50


def test_each_uniform_floor_is_met_and_costs_no_less_than_a_lower_one(gallium_base, tmp_path):
    """Along the curve of uniform floors (the reference rules and --days), every plan holds its floor in
    every year with demand, a higher floor never costs less, by the solves' proven bounds, and above a
    floor with no plan (the stock's maximum is 226 days of 2026's demand) none has one."""
    ms = stockpile.study(gallium(tmp_path), ["gallium"], [30.0, 250.0], TEST_OPTS).minerals[0]
    every = sorted(ms.curve, key=lambda p: p.days)
    planned = [p.tested is not None for p in every]
    assert planned[0] and not planned[-1] and planned == sorted(planned, reverse=True)  # none above one without
    curve = [p for p in every if p.tested]
    for p in curve:
        assert min(p.cover_days.values()) >= p.days - 1e-4, p.label
    for lower, higher in zip(curve, curve[1:]):
        assert higher.objective.high >= lower.objective.low - tol(lower.objective_usd)
    assert ms.risk_based.objective.low <= min(p.objective.high for p in curve) + tol(ms.risk_based.objective_usd)


# ---- sweep -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rare_earths(tmp_path_factory):
    """The default case cut down to cerium and lanthanum, as a workbook a planner would sweep."""
    return write_input_workbook(default_tables_for("cerium", "lanthanum"), tmp_path_factory.mktemp("ree") / "ree.xlsx")


@pytest.mark.parametrize("option, column, others", [("china-cap", "china_cap_share", (0.6, 0.45)),
                                                    ("stockpile-days", "stockpile_min_days", (70, 150))])
def test_the_point_at_the_workbooks_own_limit_is_the_plan_planner_solve_reports(rare_earths, tmp_path, option,
                                                                                column, others):
    """Swept through cerium's limit in the target year as the workbook sets it, the sweep's point there
    reports the objective, bound and verified cost ``planner solve`` reports for the workbook."""



    d = read_workbook(rare_earths).data
    own = d.limit(column, "cerium", target_year(d))
    values = ",".join(f"{v:g}" for v in (others[0], own, others[1]))
    for args in (["solve"], ["sweep", f"--{option}", values, "-m", "cerium"]):
        result = CliRunner().invoke(main, [*args, str(rare_earths), "-o", str(tmp_path)])
        assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "ree-plan.json").read_text())
    swept = json.loads((tmp_path / f"ree-sweep-{option}-cerium.json").read_text())
    assert swept[f"point {own:g} objective_usd"] == pytest.approx(plan["objective_usd"], rel=1e-9)
    assert swept[f"point {own:g} best_bound_usd"] == pytest.approx(plan["best_bound_usd"], rel=1e-9)
    costs = [swept[f"point {v:g} cost_usd"] for v in (others[0], own, others[1])]
    assert costs[1] == pytest.approx(plan["objective_usd"], rel=1e-9)
    assert costs[0] <= costs[1] * (1 + 1e-9) <= costs[2] * (1 + 2e-9)  # the looser point first


@pytest.mark.parametrize("gap", [1e-9, 0.3])
def test_a_minimum_swept_up_never_gets_cheaper_and_loses_its_plan_once_for_good(tmp_path, gap):
    """The stock floor of gallium swept from 0 to 300 days (its stock holds at most 7.98 t, 226 days of
    2026's demand and fewer later): the cost never falls as the floor rises, even solved to a 30% gap,
    and every floor above one without a plan has none, each with the diagnosis of the limits that must move,
    which moved as it says give a plan."""
    d = gallium(tmp_path)
    values = [0.0, 30.0, 60.0, 90.0, 120.0, 150.0, 180.0, 240.0, 300.0]
    points, stopped, _ = run_sweep(d, PARAMETERS["stockpile-days"], values, [("gallium", y) for y in d.years],
                                   SolveOptions(30, gap, 1))
    assert not stopped and [p.value for p in points] == values
    planned = [p.evaluation is not None for p in points]
    assert planned[0] and not planned[-1] and planned == sorted(planned, reverse=True)
    costs = [p.total_usd for p in points if p.evaluation]
    assert all(b >= a - tol(a) for a, b in zip(costs, costs[1:]))
    for p in points:
        if p.evaluation is None:  # proven to have no plan, and the limits the diagnosis moves give one
            assert p.status == "infeasible" and p.relaxations
            if gap < 0.01:
                moved = d.with_limit("stockpile_min_days", p.value, [("gallium", y) for y in d.years])
                for r in p.relaxations:
                    moved = moved.with_limit(FAMILY_LIMIT[r.family][0], r.needed, [(r.mineral_id, r.year)])
                assert solve_case(moved, TEST_OPTS, shadow_prices=False).has_solution, p.value


# ---- alternatives ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def alternatives():

    d = rich_case()
    return d, run_alternatives(d, TEST_OPTS, 0.03, parse_directions("china,recycling,partners,countries,stock"), 3,
                               ranges=True, tradeoff=("china", "cost"))


def test_every_alternative_costs_within_the_slack_by_the_verifiers_own_count(alternatives):
    """Each plan reported, recomputed by the verifier from the data: at most (1 + slack) x C* in all and
    each mineral within its own least cost plus its share of the allowance (a per-mineral budget); a
    frontier point within its part of the allowance."""
    d, study = alternatives
    least = study.least_cost.evaluation
    assert sum(study.allowance_usd.values()) == pytest.approx(0.03 * abs(least.total_usd))
    for alt in study.alternatives:
        assert alt.ok, (alt.name, alt.why)
        ev = verify(d, alt.plan)
        allowance = alt.allowance_share * sum(study.allowance_usd.values())
        assert ev.total_usd <= least.total_usd + allowance + 1.0, alt.name
        for m, cost in ev.costs_by_mineral_usd.items():
            assert cost <= least.costs_by_mineral_usd[m] + alt.allowance_share * study.allowance_usd[m] + 1.0


def test_no_plan_goes_further_than_a_directions_proven_bound_nor_outside_a_proven_range(alternatives):
    """What the study says is the furthest any plan within the budget can go, in a direction (HiGHS's bound)
    or for a decision (a range's proven ends), no plan it found goes beyond; and the frontier's direction
    goes no less far as its part of the allowance grows."""
    d, study = alternatives
    plans = [a for a in study.alternatives if a.ok]
    for alt in study.of_kind(DIRECTION):
        name, way = alt.direction
        for other in plans:
            x = other.measures[name]
            if x is not None:
                assert (x >= alt.bound - 1e-6) if way == "min" else (x <= alt.bound + 1e-6), (alt.name, other.name)
    for r in study.ranges:
        for other in plans:
            x = range_value(d, other.plan, other.evaluation, r.item)
            assert r.low - r.tolerance <= x <= r.high + r.tolerance, (r.item, other.name)
            if r.low_bound is not None:
                assert x >= r.low_bound - r.tolerance
            if r.high_bound is not None:
                assert x <= r.high_bound + r.tolerance
    frontier = sorted(study.of_kind(FRONTIER), key=lambda a: a.allowance_share)
    china = [study.least_cost.measures["china"]] + [a.measures["china"] for a in frontier]
    assert len(frontier) >= 3 and all(b <= a + 1e-6 for a, b in zip(china, china[1:]))


# ---- compare and stress ------------------------------------------------------------------------

@pytest.mark.parametrize("hedged", [False, True], ids=["least-cost", "hedged"])
def test_a_case_compared_with_itself_differs_in_nothing_significant(tmp_path, hedged):
    """The gallium case beside an exact copy of itself, solved to a 1% gap (least-cost) or hedged: the same
    verified cost, a change the headline sentence calls not significant, and no policy price that is."""
    d = gallium(tmp_path)
    results, _ = run_cases([Case(BASE, "", d), Case("again", "", d)], SolveOptions(30, 0.01, 1), 1, hedged=hedged)
    base, again = results
    assert base.ok and again.ok
    assert again.evaluation.total_usd == pytest.approx(base.evaluation.total_usd, rel=1e-9)
    assert not significant(base, again)
    assert "not significant" in narrative(base, again)
    assert not (cost_range(again) - cost_range(base)).significant


def test_a_disruption_that_cannot_happen_is_worth_no_hedge_and_changes_no_decision(tmp_path):
    """Every disruption of the gallium case at probability 0: the hedged plan is the least-cost plan, so
    the value of hedging, VSS and EVPI are not significant and no first-stage decision differs."""

    d = gallium(tmp_path, scaled("Disruptions", "probability", 0.0))
    r = resilience.study(d, TEST_OPTS)
    assert r.differences == []
    for figure in (r.value_of_hedging, r.vss, r.evpi):
        assert not figure.significant and abs(figure.value) <= tol(r.hedged.first_stage_usd)
