"""Disruption scenarios sampled from the Disruption risks sheet: the draws (reproducible, at the rates
asked for, overlaps combined), the sheet's errors by cell, the sampled hedged model (decomposed and
whole agree; a certain risk is the deterministic plan with that event) and the command line."""

import dataclasses
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import DEFAULT_WORKBOOK, TEST_OPTS, options_refused
from factory import case, default_tables_for, supplier
from models.dataset import DisruptionRisk, DisruptionScenario
from models.plan import OPTIMAL
from models.sampling import sample_disruptions
from models.solve import Session
from planner.cli import main
from planner.studies.resilience import HEDGED_GAP
from planner.verify import verify
from planner.workbook.defaults import load_default_tables
from planner.workbook.errors import InputError
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook


def risk(name="stop", q=0.1, days=(365, 365), share=None, first=2024, spot=None, partners=()):
    return DisruptionRisk(name, q, first, days[0], days[1], share or {"cn": 0.5}, spot or {"li": 2.0},
                          frozenset(partners))


def risky_case(*risks, years=(2024, 2033)):
    """One mineral, 100 t a year: China cheap (10 USD/t, no spare capacity) and Australia dear (30 USD/t)."""
    d = case([supplier("cn", "CHN", 10, 100, end=years[1]), supplier("au", "AUS", 30, 1000, end=years[1])], 100,
             years=years)
    return dataclasses.replace(d, disruption_risks=tuple(risks))


def test_the_same_seed_gives_the_same_scenarios_and_the_first_k_of_n_are_the_k():
    d = risky_case(risk(q=0.2), risk("other", q=0.1, share={"au": 1.0}))
    a, b = sample_disruptions(d, 200, seed=7), sample_disruptions(d, 200, seed=7)
    assert a.disruptions == b.disruptions and len(a.disruptions) > 50
    assert sample_disruptions(d, 200, seed=8).disruptions != a.disruptions
    first = sample_disruptions(d, 20, seed=7).disruptions
    assert [(sc.event, sc.loss) for sc in first] == [(sc.event, sc.loss) for sc in a.disruptions
                                                     if int(sc.name[6:]) <= 20]


def test_samples_are_equally_likely_and_calm_draws_are_the_no_disruption_outcome():
    d = risky_case(risk(q=0.05))
    s = sample_disruptions(d, 4000, seed=1)
    assert all(sc.probability == 1 / 4000 for sc in s.disruptions)
    # P(no stop in 10 years) = 0.95^10 = 0.599; with 4,000 draws the standard error is 0.008.
    calm = 1 - sum(sc.probability for sc in s.disruptions)
    assert calm == pytest.approx(0.95 ** 10, abs=0.03)
    starts = [int(e.split("@")[1][:4]) for sc in s.disruptions for e in sc.event.split(" & ")]
    assert len(starts) / (4000 * 10) == pytest.approx(0.05, abs=0.005)  # stops per sample-year


def test_part_years_overlaps_and_spot_prices():
    """A 180-day stop loses 180/365 of its year's share; two stops on one option combine as
    independent losses; the spot multiplier is the highest of the stops."""
    d = risky_case(risk("half", q=1.0, days=(180, 180), share={"cn": 0.5}, spot={"li": 1.5}, first=2033),
                   risk("full", q=1.0, days=(365, 365), share={"cn": 0.4}, spot={"li": 3.0}, first=2033),
                   years=(2024, 2033))
    (sc,) = sample_disruptions(d, 1, seed=0).disruptions
    assert sc.loss == {("cn", 2033): pytest.approx(1 - (1 - 0.5 * 180 / 365) * (1 - 0.4))}
    assert sc.spot_multiplier == {("li", 2033): 3.0}
    assert sc.event == "half@2033+180d & full@2033+365d"


def test_a_long_stop_runs_into_the_next_years_and_stops_at_the_horizon():
    d = risky_case(risk(q=1.0, days=(500, 500), first=2032), years=(2024, 2033))
    (sc,) = sample_disruptions(d, 1, seed=0).disruptions  # starts in 2032 and again in 2033
    once = 1 - 0.5 * 135 / 365
    assert sc.loss[("cn", 2032)] == pytest.approx(0.5)
    assert sc.loss[("cn", 2033)] == pytest.approx(1 - once * 0.5)


def test_mix_keeps_the_named_events_at_their_probabilities():
    named = DisruptionScenario("named", "named", 0.3, {("cn", 2030): 1.0}, {})
    d = dataclasses.replace(risky_case(risk(q=0.5)), disruptions=(named,))
    s = sample_disruptions(d, 10, seed=2, mix=True)
    assert s.disruptions[0] == named
    assert all(sc.probability == pytest.approx(0.07) for sc in s.disruptions[1:])
    assert named not in sample_disruptions(d, 10, seed=2).disruptions


def test_a_certain_risk_is_the_deterministic_plan_with_that_event():
    """Every sample holds the same stop: the sampled hedged plan is the plan for that one event
    with probability 1, whatever N."""
    d = risky_case(risk(q=1.0, days=(365, 365), first=2033), years=(2032, 2033))
    sampled = sample_disruptions(d, 5, seed=3)
    assert len(sampled.disruptions) == 5
    one = dataclasses.replace(d, disruptions=(DisruptionScenario(
        "event", "event", 1.0, {("cn", 2033): 0.5}, {("li", 2033): 2.0}),))
    a = Session(sampled, hedged=True).solve(TEST_OPTS, shadow_prices=False)
    b = Session(one, hedged=True).solve(TEST_OPTS, shadow_prices=False)
    assert a.stats.status == b.stats.status == OPTIMAL
    assert a.stats.objective_usd == pytest.approx(b.stats.objective_usd, rel=1e-9)
    # Knowing half of China's 2033 tonnes will not arrive, buy x t there and 100 - x t in Australia:
    # x/2 are lost, replaced first from China's spare capacity (half of 100 - x still arrives, at
    # 2 x 10 USD/t spot), then from Australia at 2 x 30.  x = 50 balances the two: 1,000 (2032) +
    # 500 + 1,500 + 25 x 20 - 25 x 10 (lost tonnes are not paid) = 3,250 USD.
    assert b.stats.objective_usd == pytest.approx(3250, rel=1e-9)
    assert b.buy_t["cn", 2033] == pytest.approx(50)


def test_the_decomposed_and_the_whole_extensive_form_agree_on_real_data(tmp_path):
    """20 sampled draws of the default case cut to the magnet rare earths (a group: the magnet plants link
    them) and gallium (a mineral alone): the model solved by mineral group and as one HiGHS model reach
    the same proven optimum, and the plan verifies with every scenario.  (The whole default case proves
    the same in about 18 times the time, most of it the battery group's whole extensive form.)"""
    path = write_input_workbook(default_tables_for("neodymium", "dysprosium", "terbium", "gallium"),
                                tmp_path / "magnets.xlsx")
    d = sample_disruptions(read_workbook(path).data, 20, seed=11)
    assert sorted(map(len, d.mineral_groups)) == [1, 3] and d.disruptions
    opts = dataclasses.replace(TEST_OPTS, mip_gap=HEDGED_GAP, time_limit_s=120, threads=2)
    parts = Session(d, hedged=True)
    whole = Session(d, hedged=True, decompose=False)
    a, b = parts.solve(opts, shadow_prices=False), whole.solve(opts, shadow_prices=False)
    assert len(parts.blocks) == len(d.mineral_groups) and len(whole.blocks) == 1
    assert a.stats.status == b.stats.status == OPTIMAL
    tolerance = HEDGED_GAP * abs(a.stats.objective_usd) * 2
    assert a.stats.objective_usd == pytest.approx(b.stats.objective_usd, abs=tolerance)
    ev = verify(d, a)
    assert ev.total_usd + ev.expected_recourse_usd == pytest.approx(a.stats.objective_usd, rel=1e-9)


# ---- the Disruption risks sheet -------------------------------------------------------------

def risk_row(name, **kw):
    row = dict.fromkeys(("description", "annual_probability", "first_year", "duration_min_days",
                         "duration_max_days", "mineral_id", "supplier_id", "country", "country_role",
                         "spot_price_multiplier", "partners_hit", "source_id"))
    return {"risk": name, **row, "share_lost": 0.5, **kw}


def risk_workbook(tmp_path, rows, minerals=("graphite", "gallium")):
    tables = default_tables_for(*minerals)
    tables["Disruption risks"] = rows
    return write_input_workbook(tables, tmp_path / "risks.xlsx")


def test_the_default_workbook_ships_sourced_risks():
    d = read_workbook(DEFAULT_WORKBOOK).data
    assert {r.name for r in d.disruption_risks} >= {"china_graphite_controls", "drc_cobalt_halt", "sea_lane_closure"}
    tables = load_default_tables()
    sources = {r["source_id"]: r for r in tables["Sources"]}
    for row in tables["Disruption risks"]:
        source = sources[row["source_id"]]
        assert source["estimate"] == "yes" and "assumption" in source["note"]


def test_a_risk_row_reads_into_options_and_partners(tmp_path):
    path = risk_workbook(tmp_path, [
        risk_row("cn", annual_probability=0.1, duration_min_days=90, duration_max_days=200, mineral_id="graphite",
                 country="CHN", spot_price_multiplier=1.5, partners_hit="JPN"),
        risk_row("cn", mineral_id="gallium", country="CHN", share_lost=0.8)])
    (r,) = read_workbook(path).data.disruption_risks
    assert (r.annual_probability, r.first_year, r.duration_min_days, r.duration_max_days) == (0.1, 2026, 90, 200)
    assert r.share_lost["ga_chn_chn"] == 0.8 and r.share_lost["gr_chn_chn"] == 0.5
    # A typed multiplier is kept; a row without one records the share of world supply it removes (China's
    # 98% of gallium x 80% lost), from which the crisis price follows.
    assert r.spot_multiplier == {"graphite": 1.5} and r.partners_hit == {"JPN"}
    assert r.world_lost == {"gallium": pytest.approx(0.8 * 0.98)}
    assert r.cell == "'Disruption risks'!C2"


@pytest.mark.parametrize("rows, cell, text", [
    ([risk_row("x", duration_min_days=30, mineral_id="graphite")], "C2", "a yearly probability on the first row"),
    ([risk_row("x", annual_probability=0.1, mineral_id="graphite")], "E2", "the shortest stop in days"),
    ([risk_row("x", annual_probability=0.1, duration_min_days=0)], "E2", "a number > 0 days"),
    ([risk_row("x", annual_probability=0.1, duration_min_days=90, duration_max_days=30)], "F2",
     "at least duration_min_days"),
    ([risk_row("x", annual_probability=0.1, duration_min_days=9), risk_row("x", annual_probability=0.2)], "C3",
     "given on the risk's first row"),
    ([risk_row("x", annual_probability=0.1, duration_min_days=9, mineral_id="unobtainium")], "G2", "one of:"),
    ([risk_row("x", annual_probability=0.1, duration_min_days=9, mineral_id="gallium", country="AUS",
               country_role="origin")], "A2", "hits at least one supply option"),
    ([risk_row("x", annual_probability=1.5, duration_min_days=9)], "C2", "1"),
])
def test_bad_risk_rows_are_named_by_cell(tmp_path, rows, cell, text):
    with pytest.raises(InputError) as e:
        read_workbook(risk_workbook(tmp_path, rows))
    found = [str(i) for i in e.value.issues]
    assert any(f"'Disruption risks'!{cell}" in f and text in f for f in found), found


# ---- the command line -------------------------------------------------------------------------

def test_sampled_stress_and_hedged_from_the_command_line(tmp_path):
    path = write_input_workbook(default_tables_for("graphite", "gallium"), tmp_path / "two.xlsx")
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["stress", str(path), "--sample", "30", "--seed", "4", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "sampled   30 draws (seed 4)" in run.output
    facts = json.loads((out / "two-stress-sample30-seed4.json").read_text())
    assert facts["sampled"] == "--sample 30 --seed 4"
    # Every draw's probability comes from the one command line: the page says so once under the table, not on each
    # of 30 rows (and the subtitle says where the scenarios come from).
    page = (out / "two-stress-sample30-seed4.html").read_text()
    assert page.count("--sample 30 --seed 4") == 2
    assert "scenarios drawn from the Disruption risks sheet (--sample 30 --seed 4)" in page
    assert "Every scenario&#x27;s probability: --sample 30 --seed 4 (equally likely draws)." in page
    # 200 draws and the sheet's events (107 scenarios): more than a page lists (100) and than VSS and EVPI are
    # computed for (60).
    run = CliRunner().invoke(main, ["solve", str(path), "--hedged", "--sample", "200", "--mix", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "with the Disruptions sheet" in run.output and "(EVPI) and agreement values not computed" in run.output
    page = (out / "two-hedged-sample200-seed1-mix.html").read_text()
    assert "costliest of" in page and "agreement values were not computed" in page
    # In Korean the reason is the catalogue's, as every sentence of the page (it was the study's English); 120 draws
    # (67 scenarios) are more than VSS and EVPI are computed for, in less time.
    run = CliRunner().invoke(main, ["solve", str(path), "--hedged", "--sample", "120", "--mix", "--lang", "ko",
                                    "-o", str(out / "ko")])
    assert run.exit_code == 0, run.output
    page = (out / "ko" / "two-hedged-sample120-seed1-mix.html").read_text()
    assert "더 적게 표본추출하면 계산됩니다" in page and "sample fewer" not in page
    book = load_workbook(out / "ko" / "two-hedged-sample120-seed1-mix.xlsx")
    assert not [c.value for ws in book for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and "sample fewer" in c.value]
    book = load_workbook(out / "two-hedged-sample200-seed1-mix.xlsx")
    assert book["Disruptions"].max_row - 1 == len(sample_disruptions(read_workbook(path).data, 200, 1, True)
                                                  .disruptions)
    # compare: every case meets the same draws.
    run = CliRunner().invoke(main, ["compare", str(path), "--hedged", "--sample", "20", "-s", "gallium_ban", "-j", "1",
                                    "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert json.loads((out / "two-compare-hedged-gallium_ban-sample20-seed1.json").read_text())["sampled"] == "--sample 20 --seed 1"


@pytest.mark.parametrize("args, text", [
    (["stress", "--seed", "3"], "--seed goes with --sample"),
    (["stress", "--mix"], "--mix goes with --sample"),
    (["stress", "--sample", "0"], "0"),
    (["solve", "--sample", "10"], "--sample goes with --hedged"),
    (["compare", "--all", "--sample", "10"], "--sample goes with --hedged"),
    (["solve", "--ranks", "2"], "--ranks goes with --hedged"),
    (["solve", "--hedged", "--ranks", "2"], "--ranks goes with --engine mpisppy"),
])
def test_sampling_options_out_of_place_are_bad_input(tmp_path, args, text):
    run = CliRunner().invoke(main, [*args, str(DEFAULT_WORKBOOK), "-o", str(tmp_path / "out")])
    assert run.exit_code == 2 and text in run.output, run.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, texts", [
    (["solve", "--seed", "1", "--mix", "--engine", "mpisppy", "--ranks", "3"],
     ["--seed goes with --sample", "--mix goes with --sample", "--engine mpisppy goes with --hedged",
      "--ranks goes with --hedged"]),
    (["solve", "--hedged", "--ranks", "2", "--rank-memory", "100"],
     ["--ranks goes with --engine mpisppy", "--rank-memory goes with --engine mpisppy"]),
    (["compare", "--policies", "--all", "--sample", "5", "--seed", "2"],
     ["leave out --all", "--sample goes with --hedged"]),
    (["stress", "--seed", "1", "--mix"], ["--seed goes with --sample", "--mix goes with --sample"]),
    (["stockpile", "--days", "x", "--mix"], ["--days 'x'", "--mix goes with --sample"]),
    (["alternatives", "--directions", "foo", "--tradeoff", "china"], ["--directions 'foo'", "--tradeoff 'china'"]),
    (["alternatives", "--directions", "china", "--count", "3", "--tradeoff", "x,y"],
     ["--tradeoff 'x,y'", "--count mixes directions"]),
    (["sensitivity", "--top", "3", "--samples", "64"],
     ["--top goes with --method sobol", "--samples goes with --method sobol"]),
])
def test_every_problem_with_the_options_is_named_at_once(tmp_path, args, texts):
    """Options out of place were refused one at a time: fixing the first brought up the next."""
    lines = options_refused(args, tmp_path)
    assert len(lines) == len(texts) and all(line.startswith("  - ") and text in line
                                            for line, text in zip(lines, texts)), lines


def test_sampling_a_workbook_without_risks_says_so(tmp_path):
    tables = default_tables_for("graphite")
    tables["Disruption risks"] = []
    path = write_input_workbook(tables, tmp_path / "norisk.xlsx")
    run = CliRunner().invoke(main, ["stress", str(path), "--sample", "10", "-o", str(tmp_path / "out")])
    assert run.exit_code == 2 and "Disruption risks" in run.output


def test_draws_that_stop_nothing_are_reported_not_an_internal_error(tmp_path, monkeypatch):
    """Risks of a few percent a year leave some draws without a stop: the default case's one draw of seed 4
    (``stress --sample 1 --seed 4``) and gallium's of seed 1 stop nothing. The console's headline named the
    costliest scenario of none, and stress and solve --hedged ended as an internal error (exit 5), the
    reports unwritten. They are a study of the calm outcome alone, whose costliest scenario is none."""
    from planner.studies import jobs

    # The hedged study's values one at a time, in this process: what is reported does not depend on it, and a worker
    # spawned after a solve here imports the solver stack again (about 1 s of CPU each).
    monkeypatch.setattr(jobs, "default_jobs", lambda: 1)
    path = write_input_workbook(default_tables_for("gallium"), tmp_path / "gallium.xlsx")
    assert not sample_disruptions(read_workbook(path).data, 1, 1, False).disruptions
    out = tmp_path / "out"
    for args, stem in ((["stress"], "gallium-stress-sample1-seed1"),
                       (["solve", "--hedged"], "gallium-hedged-sample1-seed1")):
        run = CliRunner().invoke(main, [*args, str(path), "--sample", "1", "-o", str(out)])
        assert run.exit_code == 0, run.output
        assert "0 disruption scenarios; nothing stops in the rest (probability 1.000)" in run.output
        assert ("expected disruption cost USD 0.00 M; mean disruption cost of the costliest 10% of outcomes (CVaR 0.9) "
                "USD 0.00 M; worst: none (no scenario stops any supply)") in run.output, run.output
        facts = json.loads((out / f"{stem}.json").read_text())
        assert facts["worst_scenario"] is None and facts["probability_no_disruption"] == 1
        assert (out / f"{stem}.xlsx").exists() and (out / f"{stem}.html").exists()


def test_a_risk_certain_every_year_leaves_no_calm_outcome_and_no_negative_probability(tmp_path):
    """A risk with annual_probability 1 stops something in every draw: the console said 'nothing stops in the
    rest (probability -0.000)' and the .json's probability_no_disruption was -2.2e-16 (1 minus probabilities
    adding up to 1). It now says every draw stops something, and the probability of no disruption is 0."""
    tables = default_tables_for("gallium")
    tables["Disruption risks"][0]["annual_probability"] = 1
    path = write_input_workbook(tables, tmp_path / "certain.xlsx")
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["stress", str(path), "--sample", "5", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "5 disruption scenarios; something stops in every draw (no calm outcome)" in run.output, run.output
    assert "-0.000" not in run.output
    assert json.loads((out / "certain-stress-sample5-seed1.json").read_text())["probability_no_disruption"] == 0


def test_the_console_names_a_cvar_tail_below_one_percent_as_it_is(tmp_path):
    """Settings cvar_level 0.999 averages the costliest 0.1% of outcomes; the console said 'the costliest 0% of
    outcomes (CVaR 0.999)', the share rounded to whole percent. It now writes it as the page does."""
    tables = default_tables_for("gallium")
    for row in tables["Settings"]:
        if row["name"] == "cvar_level":
            row["value"] = 0.999
    path = write_input_workbook(tables, tmp_path / "tail.xlsx")
    run = CliRunner().invoke(main, ["stress", str(path), "--sample", "20", "-o", str(tmp_path / "out")])
    assert run.exit_code == 0, run.output
    assert "costliest 0.1% of outcomes (CVaR 0.999)" in run.output, run.output
    assert "costliest 0% of outcomes" not in run.output
