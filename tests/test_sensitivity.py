"""planner sensitivity: Sobol' indices known analytically, Morris's ranking, a study where no sample has a
plan, reproducible indices, thresholds found by bisection, and bad ranges and options refused with their
cell or option.  Every sample is a real solve of a tiny case with HiGHS, in this process (-j 1).

The tiny case: one mineral, one supply option at 10,000 USD/t with 2,000 t/yr of capacity, 1,000 t of
demand in each of two years, no discounting, no stock: the least cost is 2 x 1,000 x 10,000 x p for a
price factor p, linear in p and independent of the capacity while it exceeds demand.
"""

import copy
import dataclasses
import json
import math

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import TEST_OPTS
from planner.cli import main
from planner.reports.sensitivity_report import note_text
from planner.studies.sensitivity import group_names, morris_effects, prepare, run_study
from planner.workbook.errors import InputError, Issues
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook
from render import id_headers

COST_PER_UNIT_PRICE = 2 * 1_000 * 10_000  # USD per unit of the price factor


def uncertainty(sheet, column, low, high, **selectors):
    return {"sheet": sheet, "column": column, "low": low, "high": high, "source_id": "est", **selectors}


def tiny_tables(ranges, capacity=2_000.0, elasticity=None):
    yes = {"sanctioned": "no", "foreign_entity_of_concern": "no", "us_fta_or_cma": "yes", "msp_member": "yes",
           "fta_with_korea": "yes", "security_treaty": "yes", "unga_agreement_share": 0.8,
           "export_restrictions": "no", "source_id": "est"}
    return {
        "Settings": [{"name": n, "value": v} for n, v in (
            ("first_year", 2026), ("last_year", 2027), ("price_year", 2026), ("discount_rate", 0.0),
            ("min_contract_years", 1), ("mip_gap", 1e-9), ("threads", 1))],
        "Minerals": [{"mineral_id": "li", "name": "lithium", "traded_form": "LiOH", "unit": "t", "strategic": "yes",
                      "battery_mineral": "yes", "shortage_penalty_usd_per_t": 1e6, "price_elasticity": elasticity,
                      "substitution_index": 1.0, "source_id": "est"}],
        "Countries": [{"country_code": c, "name": c, "political_risk": r, **yes}
                      for c, r in (("KOR", 0.1), ("AUS", 0.1), ("CHN", 0.6))],
        "Suppliers": [{"supplier_id": "li_aus", "mineral_id": "li", "name": "Australian lithium hydroxide",
                       "origin_country": "AUS", "processing_country": "AUS", "capacity_t_per_yr": capacity,
                       "price_usd_per_t": 10_000.0, "price_escalation_per_yr": 0.0, "fixed_cost_usd_per_yr": 0.0,
                       "min_volume_t_per_yr": 0.0, "first_year": 2024, "last_year": 2035, "source_id": "est"}],
        "Demand": [{"mineral_id": "li", "year": y, "demand_t": 1_000.0, "source_id": "est"} for y in (2026, 2027)],
        "WorldSupply": [{"mineral_id": "li", "stage": "mining", "country": "AUS", "world_share": 0.5,
                         "source_id": "est"}],
        "Uncertainty": ranges,
        "Sources": [{"source_id": "est", "figures": "all", "source": "a test", "estimate": "yes"}],
    }


def study_of(tmp_path, ranges, method="morris", trajectories=4, top=2, samples=32, seed=1, **kw):
    path = write_input_workbook(tiny_tables(ranges, **kw), tmp_path / "tiny.xlsx")
    prepared = prepare(read_workbook(path), TEST_OPTS, only_declared=True)
    return run_study(prepared.ctx, method, trajectories, top, samples, seed, 1, prepared.fixed, prepared.notes)


PRICE = uncertainty("Suppliers", "price_usd_per_t", 0.8, 1.2, factor="price", item_id="li_aus")
CAPACITY = uncertainty("Suppliers", "capacity_t_per_yr", 0.9, 1.1, factor="capacity", mineral_id="li")


@pytest.fixture(scope="module")
def on_two_trajectories(tmp_path_factory):
    """``study_of`` a list of ranges on two trajectories, run once in the module for each list; each test gets a
    copy of its own (some change theirs)."""
    done = {}

    def study(ranges):
        key = repr(ranges)
        if key not in done:
            done[key] = study_of(tmp_path_factory.mktemp("tiny"), ranges, trajectories=2)
        return copy.deepcopy(done[key])

    return study


def test_sobol_indices_of_a_cost_linear_in_one_price_and_independent_of_the_other(tmp_path):
    study = study_of(tmp_path, [PRICE, CAPACITY], method="sobol")
    price, capacity = (study.sobol_factors.index(i) for i in (0, 1))
    s = study.sobol_results["total_cost_usd"]
    assert s.rows == 32 and study.status_counts() == {"optimal": len(study.sampled)}
    # Cost = 2e7 p: the price explains all of the variance, alone; the capacity none, even with interactions.
    assert abs(s.s1[price] - 1) <= max(s.s1_conf[price], 0.05) and abs(s.st[price] - 1) <= max(s.st_conf[price], 0.05)
    assert abs(s.s1[capacity]) <= s.s1_conf[capacity] + 1e-9 and s.st[capacity] == 0
    # Each input alone at its ends: exactly the linear cost, and nothing for the capacity.
    cost = study.outputs[0]
    assert study.swing(cost, 0) == pytest.approx((-0.2 * COST_PER_UNIT_PRICE, 0.2 * COST_PER_UNIT_PRICE), rel=1e-7)
    assert study.swing(cost, 1) == (0.0, 0.0)


def test_morris_ranks_an_input_with_no_effect_last_and_sets_aside_one_outside_the_model(tmp_path):
    share = uncertainty("WorldSupply", "world_share", 0.9, 1.1, factor="world share", mineral_id="li")
    study = study_of(tmp_path, [CAPACITY, PRICE, share], trajectories=6)
    names = [f.name for f in study.factors]
    # A world share feeds only the indicators: its edit leaves the model as it was, so it is not sampled.
    assert names[2] == "world share" and study.in_model == [0, 1]
    r = study.morris_results["total_cost_usd"]
    ranking = study.ranking("total_cost_usd")
    assert [names[i] for i in ranking] == ["price", "capacity"]
    mu_star = dict(zip((names[i] for i in study.in_model), r.mu_star))
    # mu* is the mean change across the whole range: 0.4 x 2e7 for the price, nothing for the capacity.
    assert mu_star["price"] == pytest.approx(0.4 * COST_PER_UNIT_PRICE, rel=1e-6) and mu_star["capacity"] == 0


def test_the_same_seed_gives_the_same_indices_and_another_seed_other_samples(tmp_path):
    ranges = [PRICE, CAPACITY]
    a, b = (study_of(tmp_path, ranges, trajectories=3, seed=7) for _ in range(2))
    c = study_of(tmp_path, ranges, trajectories=3, seed=8)
    assert [s.point for s in a.morris] == [s.point for s in b.morris] != [s.point for s in c.morris]
    assert a.morris_results["total_cost_usd"] == b.morris_results["total_cost_usd"]


def test_a_range_without_any_plan_is_reported_and_its_threshold_found(tmp_path):
    # Demand 2.5 to 4 times the workbook's against a capacity of twice it: no sample has a plan.
    demand = uncertainty("Demand", "demand_t", 2.5, 4.0, factor="demand", mineral_id="li")
    study = study_of(tmp_path, [demand, PRICE], trajectories=3)
    solved = [s for s in study.samples if s.phase in ("one at a time", "Morris") and s.point[0] is not None]
    assert solved and all(s.status == "infeasible" and s.has_plan("li") is False for s in solved)
    # The Samples sheet says why in the report's language (it read 'li: infeasible (provenInfeasible)' in both).
    from planner.reports.sensitivity_report import sample_reason
    assert {sample_reason(s) for s in solved} == {"li: infeasible"}
    assert {sample_reason(s, "ko") for s in solved} == {"li: 실행 불가"}
    assert study.mineral_failures()["li"] == (len(solved), len(study.sampled))
    assert all(math.isnan(v) for v in study.morris_results["total_cost_usd"].mu_star[:1])
    (feasible,) = [d for d in study.decisions if d.output.key == "feasible:li"]
    assert [study.factors[i].name for i in feasible.alone] == ["demand"]
    (t,) = feasible.thresholds  # both ends lie above the base: one bisection, towards the nearer
    # Demand meets the capacity at twice the workbook's: found within 1/128 of the span from 1 to 2.5.
    assert t.before <= 2.0 < t.after and t.after - t.before <= 1.5 / 128 + 1e-12 and t.state_after is False
    # Both sides of a threshold read to the same digits: 'between x0.957 and x0.9531' (gallium on the default
    # case) read as if one side were known to fewer; here it read 'above x2.012 (between x2 and x2.012)'.
    from planner.reports.sensitivity_report import threshold_text

    text = threshold_text(study, feasible.output, dataclasses.replace(t, before=2.0, after=2.0117))
    assert text == "lithium: demand (t) above x2.012 (between x2.000 and x2.012): no plan", text


def test_sobol_indices_are_not_reported_from_too_few_rows_with_a_plan(tmp_path):
    # Demand x1.5 to x2.5 against a capacity of twice it: about half the samples have no plan, so few of the
    # 8 Saltelli rows (4 samples each) are whole.  Indices from them were numbers of any size (S1 of 4.1 on
    # the default case); they are left out with a note, while the feasibility output, known in every
    # sample, keeps its indices.
    demand = uncertainty("Demand", "demand_t", 1.5, 2.5, factor="demand", mineral_id="li")
    study = study_of(tmp_path, [demand, PRICE], method="sobol", trajectories=3, samples=8)
    assert any(s.has_plan("li") is False for s in study.sobol) and any(s.has_plan("li") for s in study.sobol)
    assert "total_cost_usd" not in study.sobol_results
    notes = [note_text(study.data, n) for n in study.notes]
    assert any(n.startswith("Sobol' indices of total cost of the plan, present value")
               and ": not estimated, as only " in n for n in notes)
    assert any(n.startswith("Sobol' 지수") or "의 Sobol' 지수: 추정하지 않음" in n
               for n in (note_text(study.data, n, "ko") for n in study.notes))
    assert study.sobol_results["feasible:li"].rows == 8


def test_the_command_writes_every_report_and_they_say_what_decides_the_plan(tmp_path):
    path = write_input_workbook(tiny_tables([PRICE, CAPACITY]), tmp_path / "tiny.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["sensitivity", str(path), "--only-declared", "--method", "sobol", "--top", "2",
                                       "--samples", "8", "--trajectories", "2", "-j", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "price" in result.output and "mu* USD 8.00 M" in result.output
    assert "; 2 of 2 inputs reach the model" in result.output, result.output  # '1 of 1 inputs' read wrong
    facts = json.loads((out / "tiny-sensitivity.json").read_text())
    assert facts["status"] == "optimal" and facts["inputs"] == 2 and facts["samples_optimal"] == facts["samples_solved"]
    assert set(facts["outputs_sha256"]) == {"tiny-sensitivity.xlsx", "tiny-sensitivity.html"}
    assert facts["total_cost_usd input 1"].startswith(
        "Australian lithium hydroxide: supplier prices (USD/t) (price) (x0.8 to x1.2): mu* 8e+06")
    wb = load_workbook(out / "tiny-sensitivity.xlsx")
    assert {"Summary", "Charts", "Inputs", "Tornado", "Morris", "Sobol", "Decisions", "Samples", "Run"} <= set(
        wb.sheetnames)
    assert len(wb["Charts"]._charts) >= 3  # a tornado per output that moves, Morris and Sobol'
    page = (out / "tiny-sensitivity.html").read_text()
    assert "What decides the plan" in page and "tornado" in page and "src=" not in page and "<script" not in page
    assert id_headers(page) == []  # headers in words: 'in the model', not in_model


def test_the_console_counts_one_input_as_one(tmp_path):
    """'sensitivity -m gallium' printed '1 of 1 inputs reach the model'."""
    path = write_input_workbook(tiny_tables([PRICE]), tmp_path / "tiny.xlsx")
    result = CliRunner().invoke(main, ["sensitivity", str(path), "--only-declared", "--trajectories", "2", "-j", "1",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "; 1 of 1 input reaches the model" in result.output, result.output
    assert "; 1 uncertain input (1 from the Uncertainty sheet, 0 default ranges of estimates)" in result.output
    assert "; 1 sample at a time" in result.output, result.output


def test_an_edit_reaches_what_the_reader_derives_from_it(tmp_path):
    # A crisis price derived from the elasticity (no typed multiplier) moves with the elasticity's range.
    tables = tiny_tables([uncertainty("Minerals", "price_elasticity", 0.5, 2.0, factor="elasticity")],
                         elasticity=0.8)
    tables["Disruptions"] = [{"disruption": "stop", "probability": 0.1, "country": "AUS", "first_year": 2026,
                              "duration": 1, "share_lost": 1.0, "source_id": "est"}]
    path = write_input_workbook(tables, tmp_path / "derived.xlsx")
    ctx = prepare(read_workbook(path), TEST_OPTS, hedged=True, only_declared=True).ctx
    from planner.studies.sensitivity import case_at

    def spot(x):
        d = case_at(ctx, (x,), Issues())
        return d.disruptions[0].spot_multiplier["li", 2026]

    # The stop removes half the world's supply: (1 - 0.5)^(-1/e), at most Settings spot_multiplier_max (5).
    assert spot(None) == pytest.approx(0.5 ** (-1 / 0.8)) and spot(2.0) == pytest.approx(0.5 ** (-1 / 1.6))
    assert spot(0.5) == 5.0


def linked_tables():
    """The tiny case with nickel and gallium beside lithium (each 1,000 t a year from one option), and a
    battery stream whose recycling plant recovers lithium and nickel: the plant links them."""
    tables = tiny_tables([])
    tables["Minerals"] += [{**tables["Minerals"][0], "mineral_id": m, "name": name}
                           for m, name in (("ni", "nickel"), ("ga", "gallium"))]
    tables["Suppliers"] += [{**tables["Suppliers"][0], "supplier_id": f"{m}_aus", "mineral_id": m,
                             "name": f"Australian {m}"} for m in ("ni", "ga")]
    tables["Demand"] += [{**row, "mineral_id": m} for m in ("ni", "ga") for row in tables["Demand"][:2]]
    tables["Streams"] = [
        {"stream_id": "bat", "name": "batteries", "unit": "MWh", "collection_rate": 0.8, "mineral_id": "li",
         "content_t_per_unit": 0.5, "recovery_yield": 0.85, "source_id": "est"},
        {"stream_id": "bat", "name": None, "unit": None, "collection_rate": None, "mineral_id": "ni",
         "content_t_per_unit": 2.0, "recovery_yield": 0.95, "source_id": "est"}]
    tables["Put on market"] = [{"stream_id": "bat", "year": 2015, "units": 100.0, "source_id": "est"}]
    tables["Lifetimes"] = [{"stream_id": "bat", "age_yr": 11, "share_retiring": 1.0, "source_id": "est"}]
    tables["Recycling"] = [{"option_id": "hydro", "mineral_id": None, "module_capacity_t_per_yr": 100.0,
                            "capital_cost_usd_per_module": 1e6, "operating_cost_usd_per_t": 100.0,
                            "existing_modules": 0, "max_modules": 2, "lead_time_yr": 1, "recovery_yield": None,
                            "life_yr": 20, "stream_id": "bat", "source_id": "est"}]
    return tables


def test_minerals_a_recycling_plant_links_move_and_are_solved_together(tmp_path):
    path = write_input_workbook(linked_tables(), tmp_path / "linked.xlsx")
    prepared = prepare(read_workbook(path), TEST_OPTS)
    names = [f.name for f in prepared.ctx.factors]
    # One default range for the prices of the linked minerals (both battery minerals), one for gallium's;
    # the stream's figures belong to the linked group too.
    assert "battery minerals price_usd_per_t" in names and "ga price_usd_per_t" in names
    assert "li price_usd_per_t" not in names and {"battery minerals collection_rate", "battery minerals units"} <= set(
        names)
    d = read_workbook(path).data
    not_battery = dataclasses.replace(d, minerals={**d.minerals, "ni": dataclasses.replace(d.minerals["ni"],
                                                                                           battery_mineral=False)})
    assert group_names(not_battery)["bat"] == "li+ni" and group_names(d)["ga"] == "ga"
    linked = prepared.ctx.factors[names.index("battery minerals price_usd_per_t")]
    assert linked.minerals == ("li", "ni") and len(linked.targets) == 2
    study = run_study(prepared.ctx, "morris", 2, 2, 32, 1, 1, prepared.fixed, prepared.notes)
    assert set(study.base.parts) == {"li+ni", "ga"}
    assert {"feasible:li+ni", "feasible:ga"} <= {o.key for o in study.outputs}
    # Gallium's price alone leaves the linked part's data as they were: its answer is reused.
    ga = study.screened(names.index("ga price_usd_per_t"), 0)
    assert ga.parts["li+ni"].key == study.base.parts["li+ni"].key != ga.parts["ga"].key
    cost = study.outputs[0]
    assert study.swing(cost, names.index("ga price_usd_per_t")) == pytest.approx(
        (-0.2 * COST_PER_UNIT_PRICE, 0.2 * COST_PER_UNIT_PRICE), rel=1e-7)


@pytest.mark.parametrize("row, cell, words", [
    ({**PRICE, "low": 1.3}, "M2", "at most high (1.2)"),
    (uncertainty("Suppliers", "price_usd_per_kg", 0.8, 1.2), "D2", "did you mean 'price_usd_per_t'?"),
    (uncertainty("Suppliers", "price_usd_per_t", 0.8, 1.2, item_id="li_chl"), "E2", "match none"),
    (uncertainty("Demand", "demand_t", 0.8, 1.2, item_id="li"), "E2", "Demand rows are chosen by mineral_id"),
    (uncertainty("Suppliers", "capacity_t_per_yr", -1.0, 1.2), "M2", "a factor of at least 0"),
    (uncertainty("Countries", "political_risk", 0.5, 2.0, item_id="CHN"), "N2",
     "at high 'Countries'!C4 political_risk would be 1.2"),
])
def test_a_bad_range_is_an_error_at_its_cell(tmp_path, row, cell, words):
    path = write_input_workbook(tiny_tables([row]), tmp_path / "bad.xlsx")
    with pytest.raises(InputError) as e:
        read_workbook(path)
    (issue,) = e.value.issues
    assert (issue.sheet, issue.cell) == ("Uncertainty", cell) and words in issue.expected, str(issue)


def test_a_range_that_breaks_a_rule_of_the_case_at_an_end_names_its_cell(tmp_path):
    # Capacity a tenth of the workbook's falls below the minimum volume: the case reads no longer.
    tables = tiny_tables([uncertainty("Suppliers", "capacity_t_per_yr", 0.1, 1.0, item_id="li_aus")])
    tables["Suppliers"][0]["min_volume_t_per_yr"] = 500.0
    path = write_input_workbook(tables, tmp_path / "rule.xlsx")
    with pytest.raises(InputError) as e:
        prepare(read_workbook(path), TEST_OPTS, only_declared=True)
    (issue,) = e.value.issues
    assert (issue.sheet, issue.cell, issue.column) == ("Uncertainty", "M2", "low") and "min_volume" in issue.expected


@pytest.mark.parametrize("args, words", [
    (["--method", "sobol", "--samples", "-64"], "Invalid value for '--samples'"),
    (["--method", "sobol", "--samples", "100"], "a power of two"),
    (["--trajectories", "1"], "Invalid value for '--trajectories'"),
    (["--samples", "64"], "--samples goes with --method sobol"),
    (["--seed", "-1"], "Invalid value for '--seed'"),
    (["-m", "unobtainium"], "not on the Minerals sheet"),
])
def test_bad_options_are_usage_errors_before_any_solve(tmp_path, args, words):
    path = write_input_workbook(tiny_tables([PRICE]), tmp_path / "tiny.xlsx")
    result = CliRunner().invoke(main, ["sensitivity", str(path), "-o", str(tmp_path / "out"), *args])
    assert result.exit_code == 2 and words in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_nothing_uncertain_to_study_is_bad_input_not_an_empty_report(tmp_path):
    """--only-declared with an empty Uncertainty sheet solved no sample and wrote a report of no input ("solved
    0 samples ...: ; 0 of 0 inputs reach the model"), exit 0."""
    path = write_input_workbook(tiny_tables([]), tmp_path / "tiny.xlsx")
    result = CliRunner().invoke(main, ["sensitivity", str(path), "--only-declared", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == ("error: no uncertain input to study: the Uncertainty sheet ranges none, "
                                              "and --only-declared leaves out the default ranges of the figures "
                                              "marked estimate")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_ranges_only_on_sheets_the_run_does_not_read_are_not_called_none(tmp_path):
    """An Uncertainty sheet whose only row ranges the Disruptions sheet (read with --hedged alone) or the Disruption
    risks sheet (which sensitivity never reads) was told 'the Uncertainty sheet ranges none': the planner looking
    at the row it typed was not told why it does not count. The error now names the rows set aside and why."""
    from factory import default_tables_for

    out = tmp_path / "out"
    for sheet, column, item, hedged in (("Disruptions", "probability", "china_gallium_stop", True),
                                        ("Disruption risks", "duration_min_days", "china_gallium_controls", False)):
        tables = default_tables_for("gallium")
        tables["Uncertainty"] = [{**tables["Uncertainty"][0], "sheet": sheet, "column": column, "item_id": item,
                                  "low": 0.5, "high": 2}]
        path = write_input_workbook(tables, tmp_path / "ga.xlsx")
        result = CliRunner().invoke(main, ["sensitivity", str(path), "--only-declared", "-o", str(out)])
        assert result.exit_code == 2, result.output
        last = result.output.splitlines()[-1]
        assert "ranges none" not in last, last
        assert (f"the Uncertainty sheet's ranges are all on sheets this run does not read ('Uncertainty'!M2: {sheet}"
                + ("; the Disruptions sheet enters only with --hedged)" if hedged else ")")) in last, last
        assert not out.exists() or not any(out.iterdir())


def test_morris_statistics_match_salib_on_whole_trajectories():
    import numpy as np
    from SALib.analyze import morris as salib
    from SALib.sample import morris as sample

    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1], [10, 20], [-1, 1]]}
    x = sample.sample(problem, 12, num_levels=4, seed=3)
    y = x[:, 0] ** 2 + 0.1 * x[:, 1] + x[:, 0] * x[:, 2]
    ours = morris_effects(x, lambda j, k: y[k] - y[j], 4, problem["bounds"], seed=3)
    theirs = salib.analyze(problem, x, y, num_levels=4, seed=3)
    for name in ("mu_star", "sigma", "mu"):
        assert np.allclose(getattr(ours, name), theirs[name]), name
    assert np.allclose(ours.mu_star_conf, theirs["mu_star_conf"], rtol=0.5)  # bootstrap draws differ


def test_every_count_of_samples_without_a_plan_is_over_the_samples_drawn(tmp_path):
    """Demand x1.5 to x2.5 against a capacity of twice it: some samples have no plan, and the bisection
    for the threshold adds solves around the flip.  The narrative, the no-plan table, the console and the
    .json count the same samples: those drawn (alone, Morris), not the base case nor the bisection's
    points (counted in, they said 44 of 120 where the table said 35 of 98)."""
    from planner.reports.sensitivity_report import decision_rows, narrative, sensitivity_facts

    demand = uncertainty("Demand", "demand_t", 1.5, 2.5, factor="demand", mineral_id="li")
    study = study_of(tmp_path, [demand, PRICE], trajectories=3)
    assert study.bisections and study.sampled == [*study.screen, *study.morris]
    without = sum(1 for s in study.sampled if s.has_plan("li") is False)
    assert 0 < without < len(study.sampled)
    assert study.mineral_failures() == {"li": (without, len(study.sampled))}
    (row,) = [r for r in decision_rows(study)[1] if r[2] == "feasible:li"]
    assert (row[6], row[7]) == (without, len(study.sampled))
    story = " ".join(narrative(study))
    # the minerals by name, as a sentence starts (this case's Minerals sheet writes 'lithium')
    assert f"Lithium has no plan in {without} of {len(study.sampled)} samples" in story
    assert f"{len(study.sampled)} samples, the counts of samples below are over them (not the base case, nor the " \
           f"{len(study.bisections)} solves of the search for thresholds)" in story
    facts = dict(sensitivity_facts(study))
    assert facts["no_plan li"] == f"{without} of {len(study.sampled)} samples"
    assert facts["samples_solved"] == len(study.sampled) == sum(study.status_counts().values())
    assert facts["threshold_solves"] == len(study.bisections)


def test_money_reads_in_a_unit_that_keeps_small_effects_and_gaps_say_not_significant(on_two_trajectories):
    from planner.reports import labels as L
    from planner.reports.sensitivity_report import build_sensitivity_html, chart_unit, effect, shown

    study = on_two_trajectories([PRICE, CAPACITY])
    cost = study.outputs[0]
    # A billion and more in whole millions, as the other reports (the brief's USD 48,317 M): 'USD 48.3 bn' was
    # the default case's base plan here, and English on the Korean page.
    for lang in L.LANGS:
        assert [shown(cost, v, lang=lang) for v in (38_904, 213_456.4, 12_345_678, 1_234_567_890, -48_316_505_330)] == [
            "USD 38,904", "USD 213,456", "USD 12.3 M", "USD 1,235 M", "-USD 48,317 M"]
    assert chart_unit(study, cost, [38_904, 8e6]) == (1e-3, "USD thousand")  # 38.9, not 0.04 M
    assert chart_unit(study, cost, [2e6, 8e6]) == (1e-6, "USD M")
    assert chart_unit(study, cost, [38_904, 8e6], by_largest=True) == (1e-6, "USD M")
    assert chart_unit(study, cost, [512.0]) == (1.0, "USD")
    assert chart_unit(study, cost, [38_904, 8e6], "ko") == (1e-3, "천 USD")
    assert effect(study, cost, None) == "no plan" and effect(study, cost, -30_776) == "-USD 30,776"
    assert effect(study, cost, study.noise_usd) == "no significant change"
    # The price moves the cost by USD 8 M across its range: the Morris table in USD M.
    page = build_sensitivity_html(study, "t", "s")
    assert "mu* (USD\u00a0M)" in page  # the header's unit held together
    # Days are plain numbers under a header and axis that name the unit in the page's language: the axis of
    # the Korean page's stock-cover tornado read "-10 d".
    from planner.reports.sensitivity_report import _html_format

    days = next(o for o in study.outputs if o.unit == "days")
    assert _html_format(days) == "number" and chart_unit(study, days, [12.0], "ko") == (1.0, "일")


def test_a_threshold_of_no_significance_under_a_dollar_reads_as_plans_proven_to_the_dollar(on_two_trajectories):
    """Hedged plans are solved to a relative gap of 1e-7, and the tiny case to 1e-9: their proven gaps round to USD 0,
    and the reports said 'Cost differences below USD 0 ... are not significant' (in Korean 'USD 0 미만의 비용 차이')."""
    from planner.reports.sensitivity_report import build_sensitivity_html, narrative

    study = on_two_trajectories([PRICE, CAPACITY]).finish()
    assert study.noise_usd < 1
    for lang, proven in (("en", "proved every plan optimal to within USD 1"), ("ko", "USD 1 이내로 증명")):
        story, page = " ".join(narrative(study, lang)), build_sensitivity_html(study, "t", "s", lang)
        assert proven in story and proven in page and "USD 0" not in story + page, lang
    study._noise_usd = 9_763.3  # a gap of a few thousand dollars, as in an unhedged run of the default case
    # "or less", as the pages' "not significant" is decided (a difference equal to the gaps is one of them)
    assert "Cost differences of USD 9,763 or less are within the solver's proven gaps" in " ".join(narrative(study))
    # Morris's effects are changes per whole range, a step's over its move of 2/3: their gaps are 1.5 x as large
    assert "USD 14,645 이하의 비용 효과는" in build_sensitivity_html(study, "t", "s", "ko")
    page = build_sensitivity_html(study, "t", "s")
    assert "of USD 14,645 or less are within the solves&#x27; proven gaps: not significant" in page
    assert "to within USD 1" not in page


def test_a_morris_chart_draws_sigma_or_says_why_it_has_none(on_two_trajectories):
    """sigma is the spread of an input's steps: drawn as a second bar where there are two steps or more;
    where there is one, the HTML row says so and the Excel chart has no sigma series to name."""
    from planner.reports.sensitivity_report import build_sensitivity_html, build_sensitivity_workbook

    study = on_two_trajectories([PRICE, CAPACITY])
    r = study.morris_results["total_cost_usd"]
    assert all(n >= 2 for n in r.effects) and not any(math.isnan(v) for v in r.sigma)

    def morris_series() -> int:
        wb = build_sensitivity_workbook(study, [])
        charts = [c for c in wb["Charts"]._charts if "Morris" in str(c.title.tx.rich.p[0].r[0].t)]
        return len(charts[0].series)

    page = build_sensitivity_html(study, "t", "s")
    assert "one step only (sigma)" not in page and morris_series() == 2
    study.morris_results["total_cost_usd"] = dataclasses.replace(r, sigma=[math.nan] * 2, mu_star_conf=[math.nan] * 2,
                                                                effects=[1, 1])
    page = build_sensitivity_html(study, "t", "s")
    assert "one step only (sigma)" in page and morris_series() == 1
    assert "one step only (sigma)" not in build_sensitivity_html(study, "t", "s", "ko")
    assert "단계 1개뿐 (sigma)" in build_sensitivity_html(study, "t", "s", "ko")


def test_a_default_range_reads_as_its_minerals_and_the_catalogues_words_with_its_sheet_and_column(tmp_path):
    from planner.reports import labels as L
    from planner.reports.sensitivity_report import input_name, input_where
    from planner.workbook import schema as S
    from planner.workbook.uncertainty import figure_column

    loaded = read_workbook(write_input_workbook(linked_tables(), tmp_path / "linked.xlsx"))
    d, factors = loaded.data, {f.name: f for f in prepare(loaded, TEST_OPTS).ctx.factors}
    price = factors["battery minerals price_usd_per_t"]
    assert input_name(d, price) == "battery minerals: supplier prices (USD/t)"
    assert input_name(d, price, "ko") == "배터리 광물: 공급 단가 (USD/t)"
    assert input_where(price) == "Suppliers price_usd_per_t" and input_where(price, "ko") == \
        "Suppliers 시트 price_usd_per_t 열"
    ga = factors["ga demand_t"]
    assert input_name(d, ga) == "gallium: demand (t)" and input_where(ga) == "Demand demand_t"
    # Every column a default range can move has the catalogue's words, in both languages.
    for sheet in S.SHEET_BY_NAME.values():
        for col in sheet.columns:
            if sheet.name not in S.NO_DEFAULT_RANGE_SHEETS and figure_column(sheet.name, col.name) is not None \
                    and S.default_range(col) is not None:
                assert (sheet.name, col.name) in L.SENS_COLUMN_WORDS, (sheet.name, col.name)


def test_a_change_of_a_share_reads_in_points_and_one_that_rounds_to_zero_has_no_minus_sign():
    """'-0.00 points' once stood for a China share that did not move; a change of a share is in
    percentage points (pp, %p in Korean)."""
    from planner.reports.sensitivity_report import shown
    from planner.studies.sensitivity import Output

    share, days, tonnes = (Output("x", "x", unit) for unit in ("share", "days", "t"))
    assert shown(share, -0.024, sign=True) == "-2.40 pp" and shown(share, 0.024, True, "ko") == "+2.40%p"
    assert shown(share, -1e-7, sign=True) == "0 pp" and shown(share, 0.482) == "48.2%"
    assert shown(days, -1e-4, sign=True) == "0 days" and shown(days, 12.34, sign=True) == "+12.3 days"
    assert shown(tonnes, -0.2, sign=True) == "0 t" and shown(tonnes, 1234.4, sign=True) == "+1,234 t"


# Demand x1.5 to x2.5 against a capacity of twice it: a Morris step moves the demand 2/3 of its range, so one end of
# each step has no plan, and Morris never measures the demand on the cost, though alone it moves the cost by half.
SOME_PLANS = uncertainty("Demand", "demand_t", 1.5, 2.5, factor="demand", mineral_id="li")


def stopped_study(tmp_path, ranges, trajectories, after):
    """A study stopped (as Ctrl-C stops it) once ``after`` Morris trajectories have finished."""
    path = write_input_workbook(tiny_tables(ranges), tmp_path / "tiny.xlsx")
    prepared = prepare(read_workbook(path), TEST_OPTS, only_declared=True)

    def progress(phase, done, total):
        if phase == "Morris" and done >= after * (len(ranges) + 1):
            raise KeyboardInterrupt

    return run_study(prepared.ctx, "morris", trajectories, 2, 32, 1, 1, prepared.fixed, prepared.notes, progress)


def test_a_ranking_says_the_trajectories_it_rests_on_and_names_the_inputs_it_did_not_measure(tmp_path):
    """The headline once ranked the price alone ('The 1 inputs that move the total cost most'), silent on the demand
    that Morris could not measure: an input without a measured step is of unknown effect, not small."""
    from planner.reports.sensitivity_report import morris_rows, narrative, sensitivity_facts

    study = study_of(tmp_path, [SOME_PLANS, PRICE], trajectories=3)
    assert study.morris_finished == 3 and study.unmeasured("total_cost_usd") == [0]
    assert study.morris_results["total_cost_usd"].effects[1] >= 1  # the price, where the demand leaves a plan
    story = " ".join(narrative(study))
    assert "Of the 1 of 2 inputs Morris measured on the total cost (mu* over 3 trajectories" in story
    assert "the 1 moving it most: Australian lithium hydroxide: supplier prices (USD/t) (x0.8 to x1.2: mu* USD" \
        in story
    assert "Not measured on the total cost: lithium: demand (t) (1 of the 2 inputs in the model)" in story
    assert "their effect is unknown, not small" in story
    facts = dict(sensitivity_facts(study))
    assert facts["total_cost_usd not measured"] == "lithium: demand (t) (demand)"
    assert facts["morris_trajectories_finished"] == 3
    # The Morris sheet ranks the price first and the demand not at all (it once ranked it second, as if small).
    cost = [r for r in morris_rows(study)[1] if r[1] == "total_cost_usd"]
    assert [(r[3], r[4], r[9]) for r in cost] == [("price", 1, cost[0][9]), ("demand", None, 0)]


def test_a_stop_in_the_morris_screening_ranks_no_input_on_too_few_trajectories(tmp_path):
    """A stopped run once headlined 'the 2 inputs that move total cost most' from whatever steps had finished, while
    its tornado showed a far larger input no finished step had measured."""
    from planner.reports.sensitivity_report import build_sensitivity_html, narrative, sensitivity_facts

    study = stopped_study(tmp_path, [PRICE, CAPACITY], trajectories=4, after=1)
    assert study.stopped and study.morris_finished == 1 and study.morris_results["total_cost_usd"].effects[0] == 1
    story = " ".join(narrative(study))
    assert "3 Morris samples (1 of the 4 trajectories asked for)" in story
    assert "The run was stopped before it finished, after 1 of the 4 Morris trajectories." in story
    assert "The mu* below" not in story  # none: the page shows no Morris chart either
    # One gate: no ranking, and so no input set apart as not measured, from a single trajectory.
    assert study.ranked("total_cost_usd") is None and study.unmeasured("total_cost_usd") == []
    assert "No ranking of the inputs by Morris mu*: 1 of the 4 trajectories finished, and a ranking needs at least " \
           "2" in story
    assert "move the total cost most" not in story and "move it most" not in story
    assert "No ranking of the inputs" in build_sensitivity_html(study, "t", "s")
    facts = dict(sensitivity_facts(study))
    assert facts["morris_trajectories_finished"] == 1 and "total_cost_usd input 1" not in facts
    # Two whole trajectories rank, and say that they are two of the four asked for.
    study = stopped_study(tmp_path, [PRICE, CAPACITY], trajectories=4, after=2)
    story = " ".join(narrative(study))
    assert study.morris_finished == 2 and "(2 of the 4 trajectories asked for)" in story
    assert study.ranked("total_cost_usd") is study.morris_results["total_cost_usd"]
    assert "after 2 of the 4 Morris trajectories. The mu* below rest on those alone" in story
    assert "The 1 input moving the total cost most (Morris mu* over 2 trajectories" in story  # one, not '1 inputs'


def test_the_noise_and_the_finished_trajectories_are_counted_once_a_study_is_done_or_stopped(tmp_path, monkeypatch):
    """Every report reads the noise (a max over every sample) and the finished Morris trajectories many times: they
    are counted once, when the study returns, finished or stopped, and read as they were then."""
    from planner.reports.sensitivity_report import build_sensitivity_html, build_sensitivity_workbook
    from planner.studies.sensitivity import Sample

    finished = study_of(tmp_path, [PRICE, CAPACITY], trajectories=3)
    stopped = stopped_study(tmp_path, [PRICE, CAPACITY], trajectories=4, after=2)
    for study, whole in ((finished, 3), (stopped, 2)):
        done = {s.index for s in study.morris}
        assert study.morris_finished == whole == sum(set(range(t * 3, t * 3 + 3)) <= done for t in range(4))
        assert study.noise_usd == 2 * max(s.gap_usd for s in study.samples if s.parts)
    assert stopped.stopped and not finished.stopped and len(finished.morris) == 9
    reads = []
    gap = Sample.gap_usd.fget
    monkeypatch.setattr(Sample, "gap_usd", property(lambda s: reads.append(s) or gap(s)))
    noise = finished.noise_usd
    build_sensitivity_html(finished, "t", "s")
    build_sensitivity_workbook(finished, [])
    assert finished.noise_usd == noise and reads == []


def test_a_korean_report_names_each_input_in_the_catalogues_words_and_estimates_as_추정치(tmp_path):
    """The Korean workbook's input columns once held ids ('Recycling: battery minerals module_capacity_t_per_yr'), and
    its narrative said 'estimate로 표시된' where the other reports say 추정치."""
    from planner.reports.plan_workbook import sheet_name
    from planner.reports.sensitivity_report import build_sensitivity_workbook, narrative

    path = write_input_workbook(linked_tables(), tmp_path / "linked.xlsx")
    prepared = prepare(read_workbook(path), TEST_OPTS)
    study = run_study(prepared.ctx, "morris", 2, 2, 32, 1, 1, prepared.fixed, prepared.notes)
    wb = build_sensitivity_workbook(study, [], "ko")
    rows = list(wb[sheet_name("uncertain_inputs", "ko")].iter_rows(min_row=2, values_only=True))
    inputs = [r[0] for r in rows]
    assert "배터리 광물: 재자원화 모듈 용량" in inputs and not [x for x in inputs if "_" in x]
    what = {r[0]: r[2] for r in rows}
    assert what["배터리 광물: 재자원화 모듈 용량"] == "Recycling 시트 module_capacity_t_per_yr 열: 수치 1개"
    for sheet, col in (("Tornado", 2), ("Morris", 2)):
        names = {r[col] for r in wb[sheet_name(sheet, "ko")].iter_rows(min_row=2, values_only=True)}
        assert names and not [x for x in names if "_" in x], (sheet, names)
    story = " ".join(narrative(study, "ko"))
    assert "추정치(Sources 시트의 estimate)로 표시된 수치" in story and "estimate로" not in story
    # Both workbooks keep the ids, which the .json and the Samples sheet name the inputs by, in a column of their own.
    for book in (wb, build_sensitivity_workbook(study, [])):
        ids = {r[0]: r[1] for r in book.worksheets[2].iter_rows(min_row=2, values_only=True)}
        assert ids["배터리 광물: 재자원화 모듈 용량" if book is wb else "battery minerals: recycling module capacity"] \
            == "battery minerals module_capacity_t_per_yr"


def test_a_workbook_tornado_says_where_an_end_has_no_plan_as_the_page_does(on_two_trajectories):
    """Demand x1.5 to x2.5 against a capacity of twice it: at its high end the mineral has no plan, so the cost has no
    bar there.  The page says 'no plan (input at its high end)' beside the bars; the workbook's chart once just left
    the bar out, and the demand read as moving the cost one way only."""
    from planner.reports.plan_workbook import sheet_name
    from planner.reports.sensitivity_report import build_sensitivity_html, build_sensitivity_workbook

    study = on_two_trajectories([SOME_PLANS, PRICE])
    assert study.swing(study.outputs[0], 0) == pytest.approx((0.5 * COST_PER_UNIT_PRICE, None))
    for lang, words in (("en", "no plan (input at its high end)"), ("ko", "계획 없음 (입력 상단)")):
        assert words in build_sensitivity_html(study, "t", "s", lang)
        wb = build_sensitivity_workbook(study, [], lang)
        # The cost's tornado, first in ChartData: the axis names the demand with its missing end, and a column says it.
        head, *rows = list(wb[sheet_name("ChartData", lang)].iter_rows(values_only=True))[:3]
        demand = [r for r in rows if r[3]]
        name = "lithium: demand (t)" if lang == "en" else "리튬: 수요 (t)"
        assert [(r[0], r[3]) for r in demand] == [(f"{name} \u2014 {words}", words)], rows
        tornado = list(wb[sheet_name("Tornado", lang)].iter_rows(values_only=True))
        assert tornado[0][-1] == ("no_plan" if lang == "en" else "계획 없음")
        assert [r[-1] for r in tornado[1:] if r[1] == "total_cost_usd" and r[2:4] == (name, "demand")] == [words]
        assert [r[-1] for r in tornado[1:] if r[1] == "total_cost_usd" and r[3] == "price"] == [None]
    # An end a stop left unsolved is no "no plan", on the page as in the workbook.
    marked = build_sensitivity_html(study, "t", "s").count("no plan (")
    study.screen = [x for x in study.screen if x.index != 3]  # the price's high end, never solved
    assert study.swing(study.outputs[0], 1)[1] is None
    assert build_sensitivity_html(study, "t", "s").count("no plan (") == marked


def dear_study(tmp_path):
    """A second, dearer option (200 t a year, a fixed cost) beside the tiny case's 1,400 t, and demand x1.5 to x3:
    only the lowest demands have a plan, and there the dear option is contracted for both years, never in the base."""
    tables = tiny_tables([uncertainty("Demand", "demand_t", 1.5, 3.0, factor="demand", mineral_id="li")],
                         capacity=1_400.0)
    tables["Suppliers"].append({**tables["Suppliers"][0], "supplier_id": "li_b", "name": "dear lithium",
                                "capacity_t_per_yr": 200.0, "price_usd_per_t": 20_000.0,
                                "fixed_cost_usd_per_yr": 1_000.0})
    path = write_input_workbook(tables, tmp_path / "dear.xlsx")
    prepared = prepare(read_workbook(path), TEST_OPTS, only_declared=True)
    return run_study(prepared.ctx, "morris", 4, 2, 32, 1, 1, prepared.fixed, prepared.notes)


def test_a_decision_row_says_its_range_is_over_the_samples_and_why_no_input_moved_it(tmp_path):
    """A second, dearer option (200 t a year, a fixed cost) beside the tiny case's 1,400 t, and demand x1.5 to x3: only
    the lowest demands have a plan, and there the dear option is contracted for both years, never in the base.  The
    Decisions row read 'base 0, least 2, most 2' with 'moved most by' blank beside 'changed by one input alone':
    its range is over the samples with a plan (the base is not one), and no Morris step has a plan at both ends (a
    step moves the demand 2/3 of its range), so none measured what moves it."""
    from planner.reports import labels as L
    from planner.reports.sensitivity_report import build_sensitivity_html, decision_rows

    study = dear_study(tmp_path)
    cols, rows = decision_rows(study)
    (row,) = [r for r in rows if r[2] == "contract:li_b"]
    assert row[:2] == ["years under contract", "dear lithium (li)"]
    assert row[3:8] == [0, 2, 2, row[7], row[7]] and row[7] >= 2  # every sample with a plan differs from the base
    assert row[8] == "none: no Morris step with a plan at both ends changes it" and row[9] == "lithium: demand (t)"
    heads = [L.page_head(c) for c in cols]
    assert heads[3:6] == ["in the base plan", "least in the samples", "most in the samples"]
    assert "least in the samples" in build_sensitivity_html(study, "t", "s")
    assert "표본 중 최소" in build_sensitivity_html(study, "t", "s", "ko")
    # In Korean the option is named as the Korean pages name it, by its mineral and route, not by its id alone.
    _, rows = decision_rows(study, "ko")
    assert [r[:2] for r in rows if r[2] == "contract:li_b"] == [["계약 연수", "리튬 호주 (li_b)"]]


def test_a_korean_workbook_names_each_output_and_decision_in_words_with_its_id_in_a_column_of_its_own(tmp_path):
    """The Korean workbook's Tornado, Morris and Sobol sheets named each output by its id (total_cost_usd,
    feasible:li) and the Decisions sheet each decision by its kind (contract), where the page words them from the
    catalogue.  Each names them as the page does now, in either language; the id stays in an output_id column, the
    same in both, for what keys on it (the .json's keys, the other sheets), and out of the columns a reader reads."""
    from planner.reports import labels as L
    from planner.reports.plan_workbook import sheet_name
    from planner.reports.sensitivity_report import build_sensitivity_workbook, output_label
    from test_brief import english_words

    dear = dear_study(tmp_path)  # a contract and a mineral's plan change in it
    assert {o.decision for o in dear.outputs} >= {"feasible", "contract"}
    sobol = study_of(tmp_path, [PRICE, CAPACITY], method="sobol", trajectories=2, samples=8)
    for study, sheets in ((dear, ("Tornado", "Morris", "Decisions")), (sobol, ("Sobol",))):
        d, outputs = study.data, {o.key: o for o in study.outputs}
        books = {lang: build_sensitivity_workbook(study, [], lang) for lang in L.LANGS}
        for sheet in sheets:
            en, ko = (list(books[lang][sheet_name(sheet, lang)].iter_rows(values_only=True)) for lang in L.LANGS)
            at = en[0].index("output_id")
            keys = [r[at] for r in ko[1:]]
            assert keys and keys == [r[at] for r in en[1:]] and set(keys) <= set(outputs), sheet
            for lang, rows in (("en", en), ("ko", ko)):
                words = [L.label(f"sens.decision.{outputs[k].decision}", lang) if sheet == "Decisions"
                         else output_label(d, outputs[k], lang) for k in keys]
                assert [r[0] for r in rows[1:]] == words, (sheet, lang)
            read = [v for r in ko[1:] for k, v in enumerate(r)
                    if isinstance(v, str) and en[0][k] not in ("output_id", "input_id")]
            assert [v for v in read if any(k in v for k in outputs)] == [], sheet
            assert english_words(" ".join(read), {*d.suppliers, *d.minerals}) == [], sheet
        samples = books["ko"][sheet_name("Samples", "ko")]
        heads = [c.value for c in samples[1]][4:4 + len(study.headline)]
        assert heads and all(L.is_korean(h) for h in heads), heads


def test_every_input_is_named_by_whose_figures_it_moves_with_its_id_in_a_column_of_its_own(tmp_path,
                                                                                           on_two_trajectories):
    """The reports once named a declared range by its id ('kazakh_gallium_capacity') and a default range on rows of no
    mineral by its Sources row ('wgi_countries: political risk scores'): a planner reads whose figures move (a supply
    option, the countries, an event, the minerals), then the catalogue's words for them, in English and Korean.  The
    id stays in an input_id column of every table of inputs, and beside the words in the run's facts."""
    from planner.reports.plan_workbook import sheet_name
    from planner.reports.sensitivity_report import (
        build_sensitivity_html, build_sensitivity_workbook, input_name, sensitivity_facts,
    )

    tables = tiny_tables([PRICE])
    tables["Countries"].append({**tables["Countries"][0], "country_code": "JPN", "name": "Japan"})
    tables["Disruptions"] = [{"disruption": "port_strike", "probability": 0.1, "country": "AUS", "first_year": 2026,
                              "duration": 1, "share_lost": 1.0, "source_id": "est"}]
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "named.xlsx"))
    d, factors = loaded.data, {f.name: f for f in prepare(loaded, TEST_OPTS, hedged=True).ctx.factors}
    named = {name: (input_name(d, f), input_name(d, f, "ko")) for name, f in factors.items()}
    assert named["price"] == ("Australian lithium hydroxide: supplier prices (USD/t)", "리튬 호주: 공급 단가 (USD/t)")
    assert named["est political_risk"] == ("4 countries (est): political risk scores", "4개국 (est): 정치적 위험 점수")
    assert named["li demand_t"] == ("lithium: demand (t)", "리튬: 수요 (t)")
    assert named["port_strike probability"] == ("Port strike for 1 year: disruption probability",
                                                "호주 리튬 공급 차질 1년간: 공급 차질 확률")
    assert [n for n, (en, ko) in named.items() if n in (en, ko) or "_" in en + ko] == []
    # Three countries or fewer are named, as a planner would list them.
    tables["Countries"].pop()
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "three.xlsx"))
    three = next(f for f in prepare(loaded, TEST_OPTS).ctx.factors if f.name == "est political_risk")
    assert input_name(loaded.data, three) == "KOR, AUS and CHN: political risk scores"

    study = on_two_trajectories([PRICE, CAPACITY])
    for lang in ("en", "ko"):
        wb = build_sensitivity_workbook(study, [], lang)
        for sheet in ("uncertain_inputs", "Tornado", "Morris"):
            rows = list(wb[sheet_name(sheet, lang)].iter_rows(values_only=True))
            at = rows[0].index("input_id" if lang == "en" else "입력 ID")
            ids = {r[at]: r[at - 1] for r in rows[1:]}
            assert {"price", "capacity"} <= set(ids) and not {"price", "capacity"} & set(ids.values()), (sheet, ids)
        page = build_sensitivity_html(study, "t", "s", lang)
        assert ("Australian lithium hydroxide: supplier prices (USD/t) (x0.8 to x1.2)" if lang == "en"
                else "리튬 호주: 공급 단가 (USD/t) (x0.8에서 x1.2까지)") in page
    facts = dict(sensitivity_facts(study))
    assert facts["total_cost_usd input 1"].startswith("Australian lithium hydroxide: supplier prices (USD/t) (price) (")


def test_the_notes_on_inputs_left_out_are_in_the_reports_language(tmp_path):
    """The Korean Notes once held three English sentences ('battery minerals share_retiring: no default range, as at
    its low end ...'): each note is the catalogue's, in either language, its input in words; only the workbook
    checker's own message on the rule a range breaks stays as the checker writes it.  An event is named from the whole
    case, as the command and every other report name it: a study of lithium (-m li) once named the Australian stop
    by the minerals of its run alone on the page and in the workbook ('호주 리튬·ni'), by all three in the command."""
    from planner.reports.plan_workbook import sheet_name
    from planner.reports.sensitivity_report import build_sensitivity_html, build_sensitivity_workbook

    tables = linked_tables()
    tables["Disruptions"] = [{"disruption": "stop", "probability": 0.1, "country": "AUS", "first_year": 2026,
                              "duration": 1, "share_lost": 1.0, "source_id": "est"}]
    tables["Uncertainty"] = [uncertainty("Disruptions", "probability", 0.5, 1.5, factor="stop_odds")]
    path = write_input_workbook(tables, tmp_path / "notes.xlsx")
    loaded = read_workbook(path)
    prepared = prepare(loaded, TEST_OPTS, minerals=("li",))
    assert [n.kind for n in prepared.notes] == ["linked", "not_in_run_hedged", "breaks_rule"]
    issue = prepared.notes[2].values["issue"]
    assert issue.startswith("'Lifetimes'!C2 [share_retiring]: found 0.9")
    english = [
        "Also nickel: a recycling plant links them to lithium, so they are planned together.",
        "Stop for 1 year: disruption probability ('Uncertainty'!M2): not varied, as Disruptions does not enter this "
        "run (only with --hedged).",
        f"battery minerals: shares retiring by age: no default range, as at its low end (x0.9) the case breaks a rule: "
        f"{issue}"]
    assert [note_text(loaded.data, n) for n in prepared.notes] == english
    study = run_study(prepared.ctx, "morris", 2, 2, 32, 1, 1, prepared.fixed, prepared.notes)
    assert set(study.base.parts) == {"li+ni"} and set(study.data.minerals) == {"li", "ni", "ga"}
    korean = [note_text(study.data, n, "ko") for n in study.notes]
    assert korean == [
        "니켈도 포함: 재자원화 설비가 리튬과 묶어 함께 계획합니다.",
        "호주 리튬·니켈·갈륨 공급 차질 1년간: 공급 차질 확률 ('Uncertainty'!M2): 변화시키지 않음. Disruptions 시트가 "
        "이번 실행에 쓰이지 않습니다 (--hedged에서만 쓰임).",
        f"배터리 광물: 연령별 폐기 비중: 기본 범위 없음. 범위 하단(x0.9)에서 사례가 워크북 규칙을 어깁니다: {issue}"]
    wb = build_sensitivity_workbook(study, [], "ko")
    assert [r[0] for r in wb[sheet_name("Notes", "ko")].iter_rows(min_row=2, values_only=True)] == korean
    page = build_sensitivity_html(study, "t", "s", "ko")
    assert "연령별 폐기 비중: 기본 범위 없음" in page and "no default range" not in page
    assert "호주 리튬·니켈·갈륨 공급 차질 1년간" in page
    # The command prints the notes as the English workbook holds them.
    wb = build_sensitivity_workbook(study, [])
    assert [r[0] for r in wb[sheet_name("Notes", "en")].iter_rows(min_row=2, values_only=True)] == english
    result = CliRunner().invoke(main, ["sensitivity", str(path), "-m", "li", "--trajectories", "2", "-j", "1",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert [line.removeprefix("  note: ") for line in result.output.splitlines() if "note: " in line] == english


def test_a_tornado_row_reads_each_swing_once(on_two_trajectories, monkeypatch):
    """A row of the Tornado sheet once computed its input's swing again to say where an end has no plan."""
    from planner.reports.sensitivity_report import tornado_rows
    from planner.studies.sensitivity import Study

    study = on_two_trajectories([SOME_PLANS, PRICE])
    calls = []
    swing = Study.swing
    monkeypatch.setattr(Study, "swing", lambda self, o, i: calls.append((o.key, i)) or swing(self, o, i))
    rows = tornado_rows(study)[1]
    # One read to order the inputs by it, one for the row.
    assert len(calls) == 2 * len(rows) and rows[0][-1] == "no plan (input at its high end)"


def test_a_korean_report_names_each_decision_output_from_the_case_not_by_its_ids(tmp_path):
    """The Korean labels of decision outputs once read '계약 연수: li_aus' and 'li·ni: 모든 정책 한도를 지키는 계획'
    (ids, where every other Korean page names the supply option and the minerals), and the stock cover's lost its
    years ('광물과  평균'): each is named from the case the study read, an id only in brackets beside its name,
    in the labels themselves, in a note that lists them and in the Decisions sheet."""
    import re

    from planner.reports import labels as L
    from planner.reports.sensitivity_report import decision_rows, output_label
    from planner.studies.sensitivity import Note

    path = write_input_workbook(linked_tables(), tmp_path / "linked.xlsx")
    prepared = prepare(read_workbook(path), TEST_OPTS)
    study = run_study(prepared.ctx, "morris", 2, 2, 32, 1, 1, prepared.fixed, prepared.notes)
    d = study.data
    ids = {*d.suppliers, *d.minerals, *d.agreements, *d.recycling, *d.recycling_plants, *d.refineries}
    decisions = [o for o in study.outputs if o.decision]
    assert {o.decision for o in decisions} >= {"feasible", "contract", "modules"}
    note = note_text(d, Note("sobol_rows", {"outputs": decisions, "whole": 3, "rows": 8, "least": 4}), "ko")
    for o in study.outputs:
        text = output_label(d, o, "ko")
        assert text in note or not o.decision
        bare = re.sub(r"\([^)]*\)", "", text)  # an id in brackets beside a name, as the other pages give it
        assert not [i for i in ids if re.search(rf"(?<![\w.]){re.escape(i)}(?![\w.])", bare)], text
        assert L.is_korean(bare) and "  " not in bare, text
    labels = {o.key: output_label(d, o, "ko") for o in study.outputs}
    assert labels["contract:li_aus"] == "계약 연수: 리튬 호주 (li_aus)"
    assert labels["feasible:li+ni"] == "리튬·니켈: 모든 정책 한도를 지키는 계획"
    assert labels["stock_days"].endswith("광물과 2026-2027 평균")
    # The Decisions sheet's item column names a mineral group so too ('lithium+nickel+cobalt+...' stood there):
    # lithium has no plan at the highest demands.
    tables = tiny_tables([uncertainty("Demand", "demand_t", 1.5, 3.0, factor="demand", mineral_id="li")],
                         capacity=1_400.0)
    path = write_input_workbook(tables, tmp_path / "short.xlsx")
    prepared = prepare(read_workbook(path), TEST_OPTS, only_declared=True)
    study = run_study(prepared.ctx, "morris", 4, 2, 32, 1, 1, prepared.fixed, prepared.notes)
    assert [r[1] for r in decision_rows(study, "ko")[1] if r[2] == "feasible:li"] == ["리튬"]
    # and so does the English one: its page's 'Where minerals have no plan' read the id ('gallium', 'li').
    assert [r[1] for r in decision_rows(study, "en")[1] if r[2] == "feasible:li"] == ["lithium"]  # its Minerals name


def target_tables(ranges):
    """The tiny case over 2026-2029 with a Chinese option cheaper than the Australian one and a China cap of 90%
    in 2026 that falls to 70% in 2027 and keeps it: the strategy's target year is 2027."""
    tables = tiny_tables(ranges)
    next(r for r in tables["Settings"] if r["name"] == "last_year")["value"] = 2029
    tables["Suppliers"].append({**tables["Suppliers"][0], "supplier_id": "li_chn", "name": "Chinese lithium hydroxide",
                                "origin_country": "CHN", "processing_country": "CHN", "price_usd_per_t": 8_000.0})
    tables["Demand"] = [{**tables["Demand"][0], "year": y} for y in range(2026, 2030)]
    tables["Policy"] = [{"year": y, "mineral_id": None, "china_cap_share": 0.9 if y == 2026 else 0.7,
                         "source_id": "est"} for y in range(2026, 2030)]
    return tables


def test_the_china_share_is_reported_in_the_cases_target_year_and_its_last(tmp_path):
    """China shares were reported in 2030 and the last year whatever the case: a case whose strategy reaches its
    limits in 2027 had its China share in 2029 alone.  They follow the case's target year, in the study and in the
    reports of either language."""
    from planner.studies.policies import target_year

    cap = uncertainty("Policy", "china_cap_share", 0.8, 1.0, factor="cap")
    path = write_input_workbook(target_tables([cap]), tmp_path / "target.xlsx")
    loaded = read_workbook(path)
    assert target_year(loaded.data) == 2027
    prepared = prepare(loaded, TEST_OPTS, only_declared=True)
    assert prepared.ctx.china_years == (2027, 2029)
    study = run_study(prepared.ctx, "morris", 2, 2, 32, 1, 1, prepared.fixed, prepared.notes)
    # The Chinese option is cheaper: the plan buys up to the cap, 70% from 2027 on.
    assert [o.key for o in study.headline if o.unit == "share"] == ["china_share_2027", "china_share_2029"]
    assert study.base.outputs["china_share_2027"] == pytest.approx(0.7)
    for lang, words in (("en", "China share of imports in 2027"), ("ko", "2027년 중국 의존도 (수입 기준)")):
        out = tmp_path / lang
        result = CliRunner().invoke(main, ["sensitivity", str(path), "--only-declared", "--trajectories", "2",
                                           "-j", "1", "--lang", lang, "-o", str(out)])
        assert result.exit_code == 0, result.output
        page = (out / "target-sensitivity.html").read_text(encoding="utf-8")
        assert words in page and "2030" not in page, lang


def test_a_study_of_some_minerals_reports_the_china_share_in_the_target_year_of_the_whole_case(tmp_path):
    """Nickel keeps a China cap of its own, 80%, from 2028: cut down to nickel the Policy path would change to
    the end of 2028, but the strategy's target year is the case's, 2027, with or without -m."""
    from planner.studies.policies import target_year

    tables = target_tables([])
    tables["Minerals"].append({**tables["Minerals"][0], "mineral_id": "ni", "name": "nickel"})
    tables["Suppliers"].append({**tables["Suppliers"][0], "supplier_id": "ni_aus", "mineral_id": "ni",
                                "name": "Australian nickel"})
    tables["Demand"] += [{**row, "mineral_id": "ni"} for row in tables["Demand"]]
    tables["Policy"] += [{"year": y, "mineral_id": "ni", "china_cap_share": 0.8, "source_id": "est"}
                         for y in (2028, 2029)]
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "two.xlsx"))
    assert target_year(loaded.data) == 2027 and target_year(loaded.data.restricted_to(["ni"])) == 2028
    for minerals in ((), ("ni",)):
        ctx = prepare(loaded, TEST_OPTS, minerals=minerals, only_declared=True).ctx
        assert ctx.china_years == (2027, 2029), minerals


def test_the_console_names_the_cost_it_ranks_by_as_the_study_measures_it(tmp_path):
    """With --hedged the ranking is of the hedged plan's expected cost (its objective): the console said 'the total
    cost', as for a plan decided without disruptions."""
    tables = tiny_tables([PRICE, CAPACITY])
    tables["Disruptions"] = [{"disruption": "stop", "probability": 0.1, "country": "AUS", "first_year": 2026,
                              "duration": 1, "share_lost": 0.5, "source_id": "est"}]
    path = write_input_workbook(tables, tmp_path / "tiny.xlsx")
    heads = []
    for hedged in ([], ["--hedged"]):
        result = CliRunner().invoke(main, ["sensitivity", str(path), "--only-declared", "--trajectories", "2",
                                           "-j", "1", "-o", str(tmp_path / f"out{len(hedged)}"), *hedged])
        assert result.exit_code == 0, result.output
        heads += [line for line in result.output.splitlines() if line.startswith("the inputs that move")]
    assert [h.split(" most (")[0] for h in heads] == [
        "the inputs that move the total cost of the plan",
        "the inputs that move the expected cost of the hedged plan (its objective)"]


def test_an_item_left_out_by_another_selector_is_not_suggested_as_the_id_meant(tmp_path):
    """li_aus is on the Suppliers sheet, but not in China: the range matched nothing, and the message asked
    "did you mean 'li_aus'?" of the very id typed."""
    path = write_input_workbook(tiny_tables([uncertainty("Suppliers", "price_usd_per_t", 0.8, 1.2, item_id="li_aus",
                                                         country="CHN")]), tmp_path / "left_out.xlsx")
    with pytest.raises(InputError) as e:
        read_workbook(path)
    (issue,) = e.value.issues
    assert (issue.sheet, issue.cell) == ("Uncertainty", "E2") and issue.expected.endswith("these selectors match none")


def test_an_uncertainty_factor_named_as_a_default_range_keeps_both_apart(tmp_path):
    """An Uncertainty row naming its factor 'lithium price_usd_per_t', the name of the default range of lithium's
    prices: SALib took the two factors of one name for one, and planner sensitivity ended in an internal error
    (IndexError), exit 5."""
    from factory import default_tables_for

    tables = default_tables_for("lithium")
    tables["Uncertainty"] = [{**tables["Uncertainty"][0], "factor": "lithium price_usd_per_t"}]
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "named.xlsx"))
    names = [f.name for f in prepare(loaded, TEST_OPTS).ctx.factors]
    assert names[0] == "lithium price_usd_per_t" and "lithium price_usd_per_t (default range)" in names
    assert len(set(names)) == len(names), names


def test_a_morris_effect_is_significant_only_beyond_the_gaps_per_whole_range(on_two_trajectories):
    """mu* is a step's change divided by the step's move, 2/3 of the range: a mu* of 1.2 x the proven gaps
    (``noise_usd``) comes from changes of 0.8 x them, within the gaps, and was called significant (the
    Morris sheet's 'yes', the story's and the console's ranking); its gaps are noise_usd / (2/3)."""
    from planner.reports.sensitivity_report import _top, effect, morris_rows

    study = on_two_trajectories([PRICE, CAPACITY])
    cost = study.outputs[0]
    mu = study.ranked(cost.key).mu_star[study.in_model.index(0)]
    assert mu > 1e6  # the price moves the cost by millions across its range
    study._noise_usd = mu / 1.2  # each step's change, 2/3 of mu*, is 0.8 x the gaps
    assert study.effect_negligible(cost) == pytest.approx(study.noise_usd * 1.5)
    assert effect(study, cost, mu, morris=True) == "no significant change"
    assert effect(study, cost, mu) != "no significant change"  # a change of mu itself would be beyond the gaps
    assert _top(study, cost.key, 5) == []
    (row,) = [r for r in morris_rows(study)[1] if r[1] == cost.key and r[3] == study.factors[0].name]
    assert row[-1] == "no"
    study._noise_usd = mu / 1.6  # steps of 1.07 x the gaps: significant
    assert _top(study, cost.key, 5) == [0] and effect(study, cost, mu, morris=True) == "+USD 8.00 M"


def test_a_study_of_some_minerals_leaves_out_the_ranges_of_other_minerals_streams():
    """A stream's rows (Lifetimes, Put on market) name no mineral: its default range was kept in a study of gallium
    alone, where it moves nothing, and cost Morris steps (33 inputs, 15 reaching the model) and printed notes on
    the battery and magnet streams. A stream's range is its group's minerals', and a study of others leaves it out."""
    from conftest import DEFAULT_WORKBOOK

    loaded = read_workbook(DEFAULT_WORKBOOK)
    gallium = prepare(loaded, TEST_OPTS, minerals=("gallium",))
    streams = {"Lifetimes", "Put on market", "Streams"}
    assert not [f.name for f in gallium.ctx.factors if {t.sheet for t in f.targets} & streams]
    assert not [n for n in gallium.notes if "Lifetimes" in str(n.values)]
    battery = prepare(loaded, TEST_OPTS, minerals=("cobalt",))
    assert [f for f in battery.ctx.factors if {t.sheet for t in f.targets} & streams]  # its own streams stay


def test_the_console_s_count_of_decisions_says_the_sheet_s_rows_of_plans_that_come_and_go(tmp_path):
    """'decisions that change inside the ranges: 1' beside a Decisions sheet of 2 rows: the row of a group whose plan
    comes and goes (its line above) was left out of the count without a word."""
    ranges = [uncertainty("Suppliers", "capacity_t_per_yr", 0.1, 1.1, factor="capacity", mineral_id="li")]
    path = write_input_workbook(tiny_tables(ranges), tmp_path / "tiny.xlsx")
    result = CliRunner().invoke(main, ["sensitivity", str(path), "--only-declared", "--trajectories", "2", "-j", "1",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "minerals without a plan in some samples: li" in result.output, result.output
    assert "it also lists 1 mineral group with a plan in some samples only" in result.output, result.output
