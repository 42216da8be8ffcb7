"""planner sweep: the price of security. Cost never falls as a limit tightens, every point is
the optimum a separate solve finds, and the reports are written and render."""

import dataclasses
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import DEFAULT_WORKBOOK, TEST_OPTS
from factory import PolicyLimits, case, default_case_for, default_tables_for, supplier
from models.solve import SolveOptions, solve_case
from planner.cli import main
from planner.reports.compare_report import relaxation_words
from planner.reports.html import usd_m
from planner.studies.sweep import PARAMETERS, RangeError, marginal_usd_per_point, parse_range, run_sweep
from planner.workbook.writer import write_input_workbook
from render import chart_problems, chromium_binary, render_html


CHINA_CAP, DAYS = PARAMETERS["china-cap"], PARAMETERS["stockpile-days"]


def test_ranges():
    assert parse_range("0.8:0.3:0.05", CHINA_CAP) == [0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3]
    assert parse_range("54:120:6", DAYS)[-1] == 120
    assert parse_range("0.5,0.4", CHINA_CAP) == [0.5, 0.4]
    for bad in ("0.8:0.3:0", "0.8:0.3:0.07", "a:b:c", ""):
        with pytest.raises(RangeError):
            parse_range(bad, CHINA_CAP)


@pytest.mark.parametrize("text, param, said", [
    ("0.8,0.8,0.5", CHINA_CAP, "0.8 is given twice"),
    ("0.5,0.8,0.50", CHINA_CAP, "0.5 is given twice"),  # the same number, written another way
    ("60,100,60", DAYS, "60 is given twice"),  # planner stockpile --days too
    ("0.8:0.80000000001:1e-13", CHINA_CAP, "the step is too small; 0.8 comes twice"),  # rounded to one point
])
def test_a_value_given_twice_is_refused_by_name(text, param, said):
    """A repeated point was solved and reported twice; it is most likely a slip for another value."""
    with pytest.raises(RangeError, match=said):
        parse_range(text, param)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["CHN", "AUS", "CHL", "IDN"]), st.integers(50, 200),
                          st.integers(10, 90), st.sampled_from([0, 0, 300])), min_size=2, max_size=5),
       st.integers(30, 120))
def test_sweep_cost_never_falls_as_the_cap_tightens(options, demand):
    sups = [supplier(f"s{i}", c, p, cap, fixed=f, end=2025, processing="CHN" if i == 0 else None)
            for i, (c, p, cap, f) in enumerate(options)]
    d = case(sups, demand, years=(2024, 2025), policy=PolicyLimits(china_cap_share=0.9), min_contract_years=2)
    param = PARAMETERS["china-cap"]
    values = parse_range("0.9:0.1:0.2", param)
    keys = [("li", 2025)]
    points, interrupted, _ = run_sweep(d, param, values, keys, TEST_OPTS)
    assert not interrupted and [p.value for p in points] == values
    costs = [p.total_usd for p in points]
    solved = [c for c in costs if c is not None]
    # Infeasible points sit only at the tight end, and cost rises (weakly) towards it.
    assert costs[:len(solved)] == solved
    assert all(b >= a * (1 - 1e-9) - 1e-6 for a, b in zip(solved, solved[1:]))
    for p in points:  # the same optimum as a fresh solve of that case
        alone = solve_case(d.with_limit(param.column, p.value, keys), TEST_OPTS, shadow_prices=False)
        assert alone.stats.status == p.status
        if p.total_usd is not None:
            assert p.total_usd == pytest.approx(alone.stats.objective_usd, rel=1e-7, abs=1e-6)
    marginal = marginal_usd_per_point(points, param, lambda p: p.total_usd)
    assert all(m is None or m >= -1e-6 for m in marginal)


def test_sweep_cli_writes_reports(tmp_path):
    result = CliRunner().invoke(main, ["sweep", str(DEFAULT_WORKBOOK), "--china-cap", "0.5:0.4:0.05", "-m", "cerium",
                                       "-m", "lanthanum", "-o", str(tmp_path), "--gap", "0.01"])
    assert result.exit_code == 0, result.output
    stem = tmp_path / "korea_2030-sweep-china-cap-cerium-lanthanum"  # two minerals: not the full run's name
    wb = load_workbook(f"{stem}.xlsx")
    assert wb.sheetnames == ["Sweep", "Charts", "ByMineral", "ChinaShare", "SupplyRisk", "Story", "Definitions",
                             "Run"]
    assert chart_problems(f"{stem}.xlsx") == []
    rows = list(wb["Sweep"].iter_rows(min_row=2, max_col=3, values_only=True))
    assert [r[0] for r in rows] == [0.5, 0.45, 0.4]
    assert all(r[1] == "optimal" for r in rows)
    assert rows[0][2] <= rows[1][2] <= rows[2][2]
    page = Path(f"{stem}.html")
    assert "Tightening the China cap" in page.read_text(encoding="utf-8")
    assert "Supply risk in 2030" in page.read_text(encoding="utf-8")  # the target year by default
    if chromium_binary():
        assert render_html(page, tmp_path / "sweep.png") == []


@pytest.mark.parametrize("args, text", [
    (["--china-cap", "0.8:0.3:0.05", "--risk-cap", "0.7:0.5:0.1"], "exactly one of"),
    (["--china-cap", "80:30:5"], "a share between 0 and 1"),
    (["--china-cap", "0.8:0.3:0.05", "--years", "2040"], "--years '2040'"),
    (["--china-cap", "0.8:0.3:0.05", "-m", "mithril"], "not on the Minerals sheet"),
    (["--china-cap", "0.5", "-m", ""], "--mineral '': not on the Minerals sheet"),  # it read "--mineral : not on"
    # Every value is checked, as the Policy sheet checks it, and the points are counted before any is made.
    (["--china-cap", "0:1:1e-320"], "more than 200 points"),
    (["--china-cap", "0:1:1e-8"], "more than 200 points"),
    (["--china-cap", "0.5,nan"], "a finite number"),
    (["--china-cap", "0.8,0.8,0.5"], "--china-cap '0.8,0.8,0.5': 0.8 is given twice; give each value once"),
    (["--stockpile-days", "nan"], "a finite number"),
    (["--stockpile-days", "-5"], "from 0 to 3650 days"),
    (["--china-cap", "0.5", "--years", "2024-99999999999"], "years from 1990 to 2100"),
    # It was read as 2030 alone, where "from 2030 on" may have been meant.
    (["--china-cap", "0.5", "--years", "2030-"], "'--years': '2030-': expected a year or a range like 2027-2030"),
    (["--china-cap", "0.5", "--threads", "100000"], "from 1 to 256"),
    (["--china-cap", "0.5", "--time-limit", "nan"], "a finite number"),
    (["--china-cap", "0.5", "--gap", "nan"], "a finite number"),
])
def test_sweep_bad_options_are_refused_before_any_work(args, text):
    t0 = time.process_time()  # CPU time: the same on a machine busy with other work
    result = CliRunner().invoke(main, ["sweep", str(DEFAULT_WORKBOOK), *args])
    assert result.exit_code == 2 and text in result.output, result.output
    assert time.process_time() - t0 < 2.0  # the workbook is read at most; nothing is solved


def test_a_bad_mineral_and_bad_years_are_refused_together():
    """Both are checked against the workbook read, and both named at once: the user typed -m, and reads it."""
    result = CliRunner().invoke(main, ["sweep", str(DEFAULT_WORKBOOK), "--china-cap", "0.8:0.3:0.05",
                                       "-m", "mithril", "--years", "2040"])
    assert result.exit_code == 2, result.output
    assert "2 problems with the options" in result.output, result.output
    assert "-m/--mineral 'mithril': not on the Minerals sheet" in result.output, result.output
    assert "--years '2040'" in result.output, result.output


def test_a_sweep_is_named_after_the_minerals_and_years_it_was_restricted_to():
    """One function names a sweep's outputs: the cli writes them by it and benchmarks/sweep.py finds them by it.
    Its years read as every report and message writes a run of years (labels.year_list); the default years (the
    target year) are the full run's and go unnamed."""
    from planner.cli import sweep_name
    from planner.studies.policies import target_year
    from planner.workbook.reader import read_workbook

    d = read_workbook(DEFAULT_WORKBOOK).data
    every, target = list(d.minerals), [target_year(d)]
    assert sweep_name("k", "china-cap", d, every, target) == "k-sweep-china-cap"
    assert sweep_name("k", "china-cap", d, ["cerium", "lanthanum"], target) == "k-sweep-china-cap-cerium-lanthanum"
    assert sweep_name("k", "recycling", d, every, [target[0] + 1]) == f"k-sweep-recycling-years{target[0] + 1}"
    assert sweep_name("k", "risk-cap", d, ["cobalt"], [2027, 2028, 2029]) == "k-sweep-risk-cap-cobalt-years2027-2029"
    assert sweep_name("k", "risk-cap", d, every, list(d.years)) == \
        f"k-sweep-risk-cap-years{d.settings.first_year}-{d.settings.last_year}"


def test_ctrl_c_keeps_the_finished_points():
    d = case([supplier("cn", "CHN", 100, 80), supplier("au", "AUS", 150, 80)], 60,
             policy=PolicyLimits(china_cap_share=0.9))

    def interrupt(point):
        if point.value == 0.5:
            raise KeyboardInterrupt  # as if Ctrl-C arrived after the second point

    points, interrupted, _ = run_sweep(d, PARAMETERS["china-cap"], [0.9, 0.5, 0.1], [("li", 2024)], TEST_OPTS,
                                       interrupt)
    assert interrupted and [p.value for p in points] == [0.5, 0.1]  # solved tightest first


def test_a_china_cap_sweep_names_the_single_country_cap_doing_its_work():
    """Cobalt's single-country cap follows the China cap's path (50% in 2030): swept looser, the China cap
    stops binding, the cost stays flat, and each loose point names the single-country cap sitting at its
    limit in the China cap's place, with a positive shadow price; at 50% the China cap binds itself."""
    from planner.reports.sweep_report import sweep_narrative
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        d = default_case_for(Path(tmp), "cobalt")
    keys = [("cobalt", 2030)]
    assert d.limit("single_country_cap_share", "cobalt", 2030) == d.limit("china_cap_share", "cobalt", 2030) == 0.5
    points, _, _ = run_sweep(d, CHINA_CAP, [0.8, 0.6, 0.5], keys, TEST_OPTS)
    loose, _, tight = points
    assert loose.total_usd == pytest.approx(tight.total_usd, rel=1e-6)  # flat
    for p in points[:2]:
        assert p.slack == p.swept == 1 and p.instead[0].column == "single_country_cap_share" and p.instead[0].at == 1
        assert p.instead[0].price_usd_per_point > 0
    assert tight.slack == 0 and tight.instead == []
    story = " ".join(sweep_narrative(points, CHINA_CAP, "in 2030", []))
    assert "the China cap does not bind in 1 of 1 swept mineral-years: there the single-country cap sits" in story
    # In Korean the limit that does the work is the clause's subject (이/가): the sentence's topic is the China cap.
    ko = " ".join(sweep_narrative(points, CHINA_CAP, "2030년에", [], "ko"))
    assert "그곳에서는 특정국 의존도 상한이 1개에서 한도에 닿아" in ko
    # A flat curve is said to be flat, not to raise the cost by 'USD 0 M (0%)'.
    assert story.startswith("Tightening the China cap in 2030 from 80% to 50% leaves the present-value cost "
                            f"unchanged ({usd_m(loose.total_usd)}).")
    assert sweep_narrative(points, CHINA_CAP, "2030년에", [], "ko")[0].endswith(
        f"강화해도 현재가치 비용은 변하지 않습니다 ({usd_m(loose.total_usd)}).")


def _gapped_case():
    """Lithium in 2026 from four options, two with fixed fees, solved at a 30% gap in the tests below: plans whose
    proven gaps are wide.  Prices in USD per t as a planner's sheet has them, so that a change shows in USD M."""
    sups = [supplier("s0", "AUS", 57_000, 38, fixed=2e6, end=2026, processing="CHN"),
            supplier("s1", "AUS", 194_000, 37, end=2026), supplier("s2", "AUS", 155_000, 26, end=2026),
            supplier("s3", "CHL", 77_000, 46, fixed=2e6, end=2026)]
    return case(sups, 38, years=(2024, 2026), policy=PolicyLimits(china_cap_share=0.9), min_contract_years=2)


def test_a_rise_within_the_plans_proven_gaps_is_not_significant():
    """Solved to a 30% gap, the tighter cap's plan costs a little more than the looser one's, by less than
    the two plans' proven gaps together: the story says the change and that it is not significant (project
    rule 7), not that tightening raises the cost."""
    from planner.reports.sweep_report import sweep_narrative
    from planner.studies.compare import proven_gap_usd

    d = _gapped_case()
    points, _, _ = run_sweep(d, CHINA_CAP, [0.9, 0.8], [("li", 2026)], SolveOptions(10, 0.3, 1))
    loose, tight = points
    rise, gaps = tight.total_usd - loose.total_usd, proven_gap_usd(loose.plan) + proven_gap_usd(tight.plan)
    assert 0.05e6 < rise <= gaps  # the case this test is about: a change the report shows, within the gaps
    story = sweep_narrative(points, CHINA_CAP, "in 2026", [])[0]
    assert story.startswith(f"Tightening the China cap in 2026 from 90% to 80% changes the present-value cost by "
                            f"{usd_m(rise, sign=True)} (+") and "raises" not in story
    assert story.endswith(f"less than the two plans' proven gaps together ({usd_m(gaps)}): not significant.")
    ko = sweep_narrative(points, CHINA_CAP, "2026년에", [], "ko")[0]
    assert f"현재가치 비용이 {usd_m(rise, sign=True)} (+" in ko and ko.endswith(
        f"두 계획의 증명된 최적성 차이 합({usd_m(gaps)})보다 작아 유의하지 않습니다.")


def test_a_point_without_a_plan_names_the_mineral_year_and_cap_cell():
    """Only 40 of 100 t can come from outside China: a China cap below 60% has no plan, and each such point
    says, as ``planner compare`` does, that li's 2024 China cap must be at least 60%, with its Policy cell;
    the report says it in the narrative and the table, in English and Korean."""
    from planner.reports.sweep_report import sweep_narrative, sweep_rows
    from planner.studies.sweep import loosest_without_plan

    d = case([supplier("cn", "CHN", 100, 200), supplier("au", "AUS", 150, 40)], 100,
             policy=PolicyLimits(china_cap_share=0.9))
    points, _, _ = run_sweep(d, CHINA_CAP, [0.8, 0.5, 0.3], [("li", 2024)], TEST_OPTS)
    solved, loose, tight = points
    assert solved.evaluation and solved.diagnosis is None
    assert loosest_without_plan(points, CHINA_CAP) is loose
    for p in (loose, tight):
        assert p.status == "infeasible"
        (r,) = p.relaxations
        assert (r.family, r.mineral_id, r.year, r.limit) == ("china_cap", "li", 2024, p.value)
        assert r.needed == pytest.approx(0.6, abs=0.002)
        assert f"{r.cell} China cap, li 2024: must be at least 60" in relaxation_words(p.relaxations)
    story = " ".join(sweep_narrative(points, CHINA_CAP, "in 2024", []))
    assert f"No verified plan at 50%, 30%; at 50%: infeasible: {loose.relaxations[0].cell} China cap, li 2024: " \
           "must be at least 60" in story
    _, rows = sweep_rows(points, CHINA_CAP, 2024, "ko")
    assert f"{tight.relaxations[0].cell} 중국 의존도 상한, li 2024: 60" in rows[2][-1]
    none = sweep_narrative(points[1:], CHINA_CAP, "in 2024", [], "ko")[0]
    assert none.startswith("스윕의 어느 점에도 검증된 계획이 없습니다. 가장 느슨한 50%에서: 실행 불가:")


def test_sweep_cli_explains_a_sweep_without_any_plan(tmp_path):
    """Terbium's data cannot go below about 83% China in 2030: the console names the cell, mineral and year
    at every point, then the explanation ``planner solve`` gives (the limits to move, the conflicting cells).
    The default case's magnet group, terbium's model as in the whole case (the other models added only solves),
    swept in the whole case's target year (the cut's Policy rows would make it 2031)."""
    tables = default_tables_for("neodymium", "dysprosium", "terbium")
    workbook = write_input_workbook(tables, tmp_path / "magnets.xlsx")
    row = next(k for k, r in enumerate(tables["Policy"], 2) if r["year"] == 2030 and r["mineral_id"] == "terbium")
    cell = f"'Policy'!C{row}"  # the China cap of terbium's own row (C90 in the whole case)
    result = CliRunner().invoke(main, ["sweep", str(workbook), "--china-cap", "0.8", "--years", "2030", "-m",
                                       "terbium", "-o", str(tmp_path)])
    # The report is written (it says why), but a script must tell a sweep without any plan: 1, as solve's.
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith("no point has a plan (1 infeasible); the report says why for each\n"), result.stderr
    assert "; 1 point of china_cap_share" in result.output  # not '1 points'
    # In the words of the page and of the diagnosis below ('China cap', not the family's id 'china_cap').
    assert f"    infeasible: {cell} China cap, terbium 2030: must be at least 83" in result.output
    assert "no plan at china_cap_share = 0.8, the loosest point without one:" in result.output
    assert "smallest conflicting set" in result.output and "capacity of supplier tb_" in result.output
    page = (tmp_path / "magnets-sweep-china-cap-terbium-years2030.html").read_text(encoding="utf-8")
    escaped = cell.replace("'", "&#x27;")
    assert f"At the loosest, 80%: infeasible: {escaped} China cap, terbium 2030: must be at least 83" in page


def test_a_diagnosis_says_a_cell_holds_another_value_than_the_sweep_set(tmp_path):
    """Graphite's China cap in 2030 comes from the all-minerals row's C cell, which holds 50%.  Swept to 40% it
    has no plan, and the diagnosis said 'C6 China cap, graphite 2030: is 40%, must be at least 40.4%': a planner
    who opens the cell sees 50%.  Each place that names the cell now says that 40% is the sweep's and what the
    cell holds; a cell the sweep did not set keeps its words ('stockpile minimum, graphite: 100 days')."""
    tables = default_tables_for("graphite")
    row = next(k for k, r in enumerate(tables["Policy"], 2) if r["year"] == 2030 and r["mineral_id"] is None)
    assert tables["Policy"][row - 2]["china_cap_share"] == 0.5
    cap, stock = f"'Policy'!C{row}", f"'Policy'!G{row}"
    workbook = write_input_workbook(tables, tmp_path / "graphite.xlsx")
    result = CliRunner().invoke(main, ["sweep", str(workbook), "--china-cap", "0.5,0.4", "--years", "2030", "-m",
                                       "graphite", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    said = "set to 40% by the sweep (the cell holds 50%)"
    assert f"    infeasible: {cap} China cap, graphite 2030: must be at least 40.4% (set to 40% by the sweep; " \
           "the cell holds 50%)" in result.output, result.output
    assert f"  - {cap} China cap, graphite 2030: {said}, must be at least 40.4%" in result.output, result.output
    assert f"  - {cap} China cap, graphite (2030): {said}" in result.output, result.output  # the conflicting set
    assert f"  - {stock} stockpile minimum, graphite: 100 days (2030)" in result.output, result.output
    assert ": is 40%" not in result.output and ": 40% (2030)" not in result.output, result.output
    # The reports say it as the console does: the table's note, the page's story and the Run sheet's fact.
    stem = tmp_path / "graphite-sweep-china-cap-years2030"
    header, _, infeasible = load_workbook(f"{stem}.xlsx")["Sweep"].iter_rows(values_only=True)
    note = infeasible[header.index("note")]
    assert note.endswith("must be at least 40.4% (set to 40% by the sweep; the cell holds 50%)"), note
    page = Path(f"{stem}.html").read_text(encoding="utf-8")
    assert "(set to 40% by the sweep; the cell holds 50%)" in page


def test_a_point_says_which_limits_in_force_are_the_sweeps():
    """``SweepPoint.overrides``: the limits a point set to another value than the workbook's, with what the
    workbook holds (None: blank), which its note names in English and Korean; a point at the workbook's own
    value names none, and its note keeps the words it had."""
    from planner.reports.sweep_report import point_note

    suppliers = [supplier("cn", "CHN", 100, 200), supplier("au", "AUS", 150, 40)]  # 60 of 100 t from China
    for policy, held, en, ko in [(PolicyLimits(china_cap_share=0.9), 0.9, "the cell holds 90%", "셀 값은 90%"),
                                 (None, None, "the cell is blank", "셀은 공란")]:
        (p,), _, _ = run_sweep(case(suppliers, 100, policy=policy), CHINA_CAP, [0.5], [("li", 2024)], TEST_OPTS)
        assert p.status == "infeasible" and p.overrides == {("china_cap", "li", 2024): held}
        assert point_note(p).endswith(f"must be at least 60% (set to 50% by the sweep; {en})"), point_note(p)
        ko_note = point_note(p, "ko")
        assert ko_note.endswith(f"60% 이상이어야 함 (스윕이 50%로 설정; {ko})"), ko_note
    (same,), _, _ = run_sweep(case(suppliers, 100, policy=PolicyLimits(china_cap_share=0.5)), CHINA_CAP, [0.5],
                              [("li", 2024)], TEST_OPTS)
    assert same.status == "infeasible" and same.overrides == {}
    assert point_note(same) == relaxation_words(same.relaxations) and "sweep" not in point_note(same)


def test_a_point_without_a_plan_within_the_time_limit_says_so_in_words(tmp_path, monkeypatch):
    """A point the time limit stopped before any plan printed its status's id, 'china_cap_share = 0.6
    no_solution', where ``planner compare`` says 'no plan within the time limit of 0.1 s': the sweep now says
    it in compare's words (the catalogue's ``why.time_limit``), as its reports do.  (A limit of 1e-9 s, below
    the 0.1 s the option takes, stops HiGHS before any plan on any machine.)"""
    from models.solve import SolveOptions
    from planner.reports.labels import label

    chosen = SolveOptions.from_settings
    monkeypatch.setattr(SolveOptions, "from_settings",
                        lambda *a, **k: dataclasses.replace(chosen(*a, **k), time_limit_s=1e-9))
    workbook = write_input_workbook(default_tables_for("lithium"), tmp_path / "lithium.xlsx")
    result = CliRunner().invoke(main, ["sweep", str(workbook), "--china-cap", "0.6,0.5", "--years", "2030", "-m",
                                       "lithium", "-o", str(tmp_path)])
    assert result.exit_code == 3, result.output
    words = label("why.time_limit", s="1e-09")
    assert words == "no plan within the time limit of 1e-09 s"
    lines = [line for line in result.output.splitlines() if line.startswith("  china_cap_share = ")]
    assert [re.sub(r"\(\d+\.\d\d s\)$", "", line) for line in lines] == [
        f"  china_cap_share = {v} {words:<38}  " for v in ("0.6", "0.5")], result.output
    assert "no_solution" not in result.output
    header, *rows = load_workbook(tmp_path / "lithium-sweep-china-cap-years2030.xlsx")["Sweep"].iter_rows(
        values_only=True)
    assert [(r[header.index("status")], r[header.index("note")]) for r in rows] == [
        ("no plan within the time limit", words)] * 2


def test_a_sweep_of_some_minerals_names_them_in_words():
    """A sweep narrowed to some minerals says them as a sentence does, 'for gallium and graphite'
    ('갈륨·흑연'), not as a list of capitalised names ('for Gallium, Graphite')."""
    from planner.reports.sweep_report import where_words
    from planner.workbook.reader import read_workbook

    d = read_workbook(DEFAULT_WORKBOOK).data
    assert where_words([2030], ["gallium", "graphite"], d, True) == "in 2030 for gallium and graphite"
    assert where_words([2030], ["gallium", "graphite"], d, True, "ko") == "2030년 갈륨·흑연에"


def test_one_point_without_a_plan_is_named_once():
    """One point of the sweep has no plan: the story names it once ('No verified plan at 50%: infeasible:
    ...'), not '... at 50%; at 50%: ...'."""
    from planner.reports.sweep_report import sweep_narrative

    d = case([supplier("cn", "CHN", 100, 200), supplier("au", "AUS", 150, 40)], 100,
             policy=PolicyLimits(china_cap_share=0.9))
    points, _, _ = run_sweep(d, CHINA_CAP, [0.9, 0.8, 0.5], [("li", 2024)], TEST_OPTS)
    assert [bool(p.evaluation) for p in points] == [True, True, False]
    story = " ".join(sweep_narrative(points, CHINA_CAP, "in 2024", []))
    assert "No verified plan at 50%: infeasible: " in story and "at 50%; at 50%" not in story
    ko = " ".join(sweep_narrative(points, CHINA_CAP, "2024년에", [], "ko"))
    assert "50%에서 검증된 계획 없음: 실행 불가:" in ko


def test_the_marginal_cost_chart_draws_no_bar_where_no_step_is_priced():
    """The marginal-cost chart leaves the first point and a point without a plan, which have no step to
    price, without a bar or a '0 M' label, as the table shows them with a dash."""
    import re

    from planner.reports.sweep_report import build_sweep_html

    d = case([supplier("cn", "CHN", 100, 200), supplier("au", "AUS", 150, 40)], 100,
             policy=PolicyLimits(china_cap_share=0.9))
    points, _, _ = run_sweep(d, CHINA_CAP, [0.9, 0.8, 0.5], [("li", 2024)], TEST_OPTS)
    page = build_sweep_html(d, points, CHINA_CAP, ["li"], [], 2024, [("li", 2024)], "t", "s", "in 2024")
    chart = re.search(r'<svg[^>]*>(?:(?!</svg>).)*Marginal cost(?:(?!</svg>).)*</svg>', page, re.S).group(0)
    assert len(re.findall(r'class="value"', chart)) == 1  # the one step, 90% to 80%


def test_the_marginal_cost_charts_name_the_unit_last_for_every_swept_limit():
    """A risk-cap sweep's chart was titled 'Marginal cost per 0.01 of risk score of tightening' (and 'per
    percentage point of tightening', 'per day of tightening'; the per-mineral chart 'per 0.01 of risk score by
    mineral'); each now names the unit last, 'Marginal cost of tightening, per 0.01 of risk score', on the page
    as in the catalogue, and the Korean says 'when tightening' before the unit ('강화 시 ...당')."""
    from planner.reports import labels as L
    from planner.reports.html import esc
    from planner.reports.sweep_report import build_sweep_html

    for param in PARAMETERS.values():
        per = {lang: L.label(f"sweep.per.{param.unit}", lang) for lang in L.LANGS}
        assert L.label("sweep.chart.marginal", per=per["en"]) == f"Marginal cost of tightening, per {per['en']}"
        assert L.label("sweep.chart.by_mineral", per=per["en"]) == f"Marginal cost by mineral, per {per['en']}"
        assert L.label("sweep.chart.marginal", "ko", per=per["ko"]) == f"강화 시 {per['ko']}당 한계비용"
    d = case([supplier("cn", "CHN", 100, 200), supplier("au", "AUS", 150, 40)], 100,
             policy=PolicyLimits(china_cap_share=0.9))
    points, _, _ = run_sweep(d, CHINA_CAP, [0.9, 0.8], [("li", 2024)], TEST_OPTS)
    page = build_sweep_html(d, points, CHINA_CAP, ["li"], [], 2024, [("li", 2024)], "t", "s", "in 2024")
    assert f'aria-label="{esc("Marginal cost of tightening, per percentage point")}' in page
    assert "of tightening\"" not in page and "point of tightening" not in page


def test_points_closer_than_six_digits_are_told_apart_without_noise_in_the_others(tmp_path):
    """:g's 6 significant digits printed 0.45 and 0.4500001 alike, on the console and in the Run sheet's facts
    (one 'point 0.45 status' written over the other) and the charts' categories.  (Lithium's cap binds at 45%
    and 40%: the marginal-cost chart is drawn, its steps named by their ends; the 80% of a flat sweep drew none.)"""
    result = CliRunner().invoke(main, ["sweep", str(DEFAULT_WORKBOOK), "--china-cap", "0.45,0.4500001,0.4", "-m",
                                       "lithium", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("  china_cap_share = ")]
    assert [line.split()[2] for line in lines] == ["0.45", "0.4500001", "0.4"], result.output
    # The value column fits the widest value: 0.4500001 in a column of 8 pushed its status right.
    status_at = {re.match(r"  china_cap_share = \S+ +", line).end() for line in lines}
    assert status_at == {len("  china_cap_share = 0.4500001 ")}, result.output
    wb = load_workbook(tmp_path / "korea_2030-sweep-china-cap-lithium.xlsx")
    facts = [r[0] for r in wb["Run"].iter_rows(values_only=True) if str(r[0]).endswith(" status")]
    assert facts == ["point 0.45 status", "point 0.4500001 status", "point 0.4 status"], facts
    # Each point's proven gap shows its first digit: '0.00%' read a gap of 7e-06 as none, as if proven exact.
    header = [c.value for c in wb["Sweep"][1]]
    gaps = [r[header.index("gap")] for r in wb["Sweep"].iter_rows(min_row=2, max_row=4)]
    assert any(g.value for g in gaps), [g.value for g in gaps]
    for g in gaps:
        decimals = len(g.number_format.rstrip("%").partition(".")[2])
        assert not g.value or round(g.value * 100, decimals) != 0, (g.value, g.number_format)
    page = (tmp_path / "korea_2030-sweep-china-cap-lithium.html").read_text(encoding="utf-8")
    assert re.findall(r'class="category"[^>]*>.*?<title>([^<]*)</title>', _marginal_chart(page)) == [
        "45% \u2192 45.00001%", "45.00001% \u2192 40%"]
    # The page's table of points too: its percent column printed both as '45%'.
    assert re.findall(r'<td class="num">([^<]*%)</td>', page)[:3] == ["45%", "45.00001%", "40%"]


def test_a_sweep_of_days_names_the_unit_of_its_bare_numbers():
    """The stockpile minimum swept: the page's table and the charts' axes showed '0', '60', '120' under
    'stockpile minimum', with no unit; they now say '(days)'."""
    from factory import StockpileRule
    from planner.reports import labels as L
    from planner.reports.html import esc
    from planner.reports.sweep_report import build_sweep_html

    d = case([supplier("cn", "CHN", 100, 200)], 100, stockpile=[StockpileRule("li", 0, 8, 4, 500)])
    points, _, _ = run_sweep(d, DAYS, [0, 30], [("li", 2024)], TEST_OPTS)
    for lang in L.LANGS:
        page = build_sweep_html(d, points, DAYS, ["li"], [], 2024, [("li", 2024)], "t", "s", "in 2024", lang)
        limit = L.limit_name(DAYS.column, lang)
        named = esc(L.label("sweep.axis.days", lang, limit=limit))
        assert f'<th scope="col" class="num">{named}</th>' in page  # the table's column of values
        assert f">{named}</text>" in page and f">{esc(limit)}</text>" not in page  # every x axis


def test_a_flat_curve_within_the_plans_proven_gaps_is_not_significant():
    """Solved to a 30% gap, the plans found at a China cap of 50% and 45% cost the same, USD 14.1 M, each
    proven only within USD 0.30 M of its own least cost.  The story said tightening 'leaves the present-value
    cost unchanged': the least cost may still move by up to the gaps together.  It now says so: not
    significant (a flat curve solved to a gap that hides nothing is still 'unchanged')."""
    from planner.reports.sweep_report import sweep_narrative
    from planner.studies.compare import proven_gap_usd

    d = _gapped_case()
    points, _, _ = run_sweep(d, CHINA_CAP, [0.5, 0.45], [("li", 2026)], SolveOptions(10, 0.3, 1))
    loose, tight = points
    gaps = proven_gap_usd(loose.plan) + proven_gap_usd(tight.plan)
    assert usd_m(tight.total_usd - loose.total_usd) == usd_m(0) != usd_m(gaps)  # the case this test is about
    story = sweep_narrative(points, CHINA_CAP, "in 2026", [])[0]
    assert story == (f"Tightening the China cap in 2026 from 50% to 45% leaves the cost of the plans found unchanged "
                     f"({usd_m(loose.total_usd)}), but their proven gaps together ({usd_m(gaps)}) leave room for a "
                     f"change of the least cost up to that: not significant.")
    ko = sweep_narrative(points, CHINA_CAP, "2026년에", [], "ko")[0]
    assert f"({usd_m(gaps)}) 이내의 최소비용 변화는 가려낼 수 없어 유의하지 않습니다." in ko


def _marginal_chart(page: str, lang: str = "en") -> str:
    """The page's marginal-cost chart (its <svg>), or '' when the page says in words why there is none."""
    from planner.reports import labels as L
    from planner.reports.html import esc

    title = esc(L.label("sweep.chart.marginal", lang, per=L.label("sweep.per.share", lang)))
    found = re.search(rf'<svg[^>]*aria-label="{re.escape(title)}"(?:(?!</svg>).)*</svg>', page, re.S)
    return found.group(0) if found else ""


CHART_NS = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _native_charts(path: Path) -> list:
    """The workbook's native charts, each its chart part's XML, in the parts' order."""
    import xml.etree.ElementTree as ET
    import zipfile

    with zipfile.ZipFile(path) as z:
        return [ET.fromstring(z.read(n)) for n in sorted(z.namelist()) if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]


def _charted_steps(path: Path, step: str) -> tuple[list[list], list[str]]:
    """The workbook's marginal-cost chart: the step block its bars are drawn from (beside the Sweep sheet's
    table, under the header ``step``), and each native chart's kind and number of series."""
    ns = CHART_NS
    ws = load_workbook(path).worksheets[0]
    head = [cell.value for cell in ws[1]]
    at = head.index(step) if step in head else len(head)
    block = [list(r[at:]) for r in ws.iter_rows(values_only=True) if any(v is not None for v in r[at:])]
    return block, [f"{kind}:{len(chart.findall(f'.//{ns}{kind}Chart/{ns}ser'))}" for chart in _native_charts(path)
                   for kind in ("bar", "line") if chart.find(f".//{ns}{kind}Chart") is not None]


def _tiered_case():
    """China at 100 USD/t for 90 t, Korea at 100 for 10 t, Australia at 150 for 40 t; 100 t a year.  The least
    cost is 90% China: a China cap of 100% or 90% costs the same (no step), 80% moves 10 t a year to Australia
    (a real step), and below 50% there is no plan."""
    return case([supplier("cn", "CHN", 100, 90), supplier("kr", "KOR", 100, 10), supplier("au", "AUS", 150, 40)],
                100, policy=PolicyLimits(china_cap_share=1.0))


def test_the_marginal_cost_chart_draws_each_step_between_two_plans_and_greys_a_step_within_the_gaps(tmp_path):
    """The chart had a category per point: the first point and those without a plan were empty slots, and a step
    within its two plans' proven gaps (the solver's tolerance, which the story leaves out of 'the steepest
    step') drew a bar like a real price.  It now has a bar per step between two plans, named by its ends
    ('100% → 90%'), and a step within the gaps is a grey series of its own, named not significant; the
    workbook's native chart alike."""
    from planner.reports import labels as L
    from planner.reports.html import esc
    from planner.reports.sweep_report import build_sweep_html, build_sweep_workbook

    d, keys = _tiered_case(), [("li", 2024)]
    points, _, _ = run_sweep(d, CHINA_CAP, [1.0, 0.9, 0.8, 0.4], keys, TEST_OPTS)
    assert [bool(p.evaluation) for p in points] == [True, True, True, False]  # the case this test is about
    assert points[0].total_usd == pytest.approx(points[1].total_usd) and points[1].total_usd < points[2].total_usd
    for lang in L.LANGS:
        page = build_sweep_html(d, points, CHINA_CAP, ["li"], [], 2024, keys, "t", "s", "in 2024", lang)
        chart = _marginal_chart(page, lang)
        steps = [L.label("sweep.step", lang, a=a, b=b) for a, b in (("100%", "90%"), ("90%", "80%"))]
        assert re.findall(r'class="category"[^>]*>.*?<title>([^<]*)</title>', chart) == steps
        ns, sig = (esc(L.label(f"sweep.series.{k}", lang)) for k in ("marginal_ns", "marginal"))
        assert f"<title>{ns}</title>" in chart and f"<title>{sig}</title>" in chart  # the legend names both
        bars = re.findall(r'<rect class="bar"[^>]*><title>([^<]*)</title>', chart)
        assert bars == [f"{steps[1]} \u2014 {sig}: {bars[0].rsplit(': ', 1)[1]}"]  # the flat step: no bar
        book = tmp_path / f"{lang}.xlsx"
        build_sweep_workbook(d, points, CHINA_CAP, ["li"], 2024, keys, [], lang).save(book)
        block, kinds = _charted_steps(book, L.label("sweep.col.step", lang))
        assert kinds == ["line:1", "bar:2"], kinds
        assert block[0] == [L.label("sweep.col.step", lang), L.label("sweep.series.marginal", lang),
                            L.label("sweep.series.marginal_ns", lang)]
        assert [r[0] for r in block[1:]] == steps
        assert block[1][1] is None and block[1][2] == pytest.approx(0, abs=1e-9)  # within the gaps: grey
        assert block[2][1] > 0 and block[2][2] is None
        assert chart_problems(book) == []
        # its horizontal axis is titled, as the cost chart's is (the steps' names alone were under no title)
        bar = next(c for c in build_sweep_workbook(d, points, CHINA_CAP, ["li"], 2024, keys, [], lang)[
            L.label("sheet.charts", lang)]._charts if c.tagname == "barChart")
        title = "".join(r.t for p in bar.x_axis.title.tx.rich.p for r in p.r)
        assert title == L.label("sweep.axis.steps", lang, limit=L.limit_name(CHINA_CAP.column, lang))


def test_a_sweep_with_no_step_to_chart_says_so_instead_of_an_empty_chart(tmp_path):
    """A flat sweep (the China cap never binds: Australia is cheaper) drew a marginal-cost chart of '0 M' bars,
    and a sweep with one plan an empty frame ('\u2013'), on the page and in the workbook.  Each now says why
    there is no chart: no step changes the cost by more than its plans' proven gaps, or no step has a plan at
    both ends."""
    from planner.reports import labels as L
    from planner.reports.sweep_report import build_sweep_html, build_sweep_workbook

    d, keys = case([supplier("au", "AUS", 100, 200), supplier("cn", "CHN", 150, 200)], 100), [("li", 2024)]
    flat, _, _ = run_sweep(d, CHINA_CAP, [0.9, 0.5, 0.1], keys, TEST_OPTS)
    assert len({round(p.total_usd, 6) for p in flat}) == 1  # the case this test is about
    tight = dataclasses.replace(d, suppliers={"cn": d.suppliers["cn"]})
    one, _, _ = run_sweep(tight, CHINA_CAP, [1.0, 0.5], keys, TEST_OPTS)
    assert [bool(p.evaluation) for p in one] == [True, False]
    for lang in L.LANGS:
        for case_d, points, why in ((d, flat, "sweep.chart.none_significant"), (tight, one, "sweep.chart.no_step")):
            page = build_sweep_html(case_d, points, CHINA_CAP, ["li"], [], 2024, keys, "t", "s", "in 2024", lang)
            assert _marginal_chart(page, lang) == ""
            assert L.label(why, lang).replace("'", "&#x27;") in page
            book = tmp_path / f"{lang}.xlsx"
            build_sweep_workbook(case_d, points, CHINA_CAP, ["li"], 2024, keys, [], lang).save(book)
            block, kinds = _charted_steps(book, L.label("sweep.col.step", lang))
            assert block == [] and kinds == ["line:1"], kinds
            charts = load_workbook(book)[L.label("sheet.charts", lang)]
            assert L.label(why, lang) in [c.value for row in charts.iter_rows() for c in row]


def test_the_workbooks_cost_chart_spans_the_costs_and_marks_each_point(tmp_path):
    """The workbook's total-cost line started its axis at 0: a sweep whose costs differ by a few parts in a
    thousand drew one flat line at the top (the page's axis spans the costs).  Its axis now spans the costs
    found, its ticks with the digits that tell them apart, and each point is marked, so a sweep with one plan
    draws a dot, not nothing."""
    from planner.reports.sweep_report import build_sweep_workbook

    ns = CHART_NS
    d, keys = _tiered_case(), [("li", 2024)]
    points, _, _ = run_sweep(d, CHINA_CAP, [1.0, 0.8, 0.4], keys, TEST_OPTS)
    costs_m = [p.total_usd / 1e6 for p in points if p.evaluation]
    assert len(costs_m) == 2 and 0 < max(costs_m) - min(costs_m) < 0.2 * min(costs_m)  # the case this is about
    book = tmp_path / "sweep.xlsx"
    build_sweep_workbook(d, points, CHINA_CAP, ["li"], 2024, keys, []).save(book)
    (line,) = [c for c in _native_charts(book) if c.find(f".//{ns}lineChart") is not None]
    scaling = line.find(f".//{ns}valAx/{ns}scaling")
    low, high = (float(scaling.find(f"{ns}{end}").get("val")) for end in ("min", "max"))
    assert 0 < low <= min(costs_m) and max(costs_m) <= high < max(costs_m) + (max(costs_m) - low), (low, high, costs_m)
    assert line.find(f".//{ns}ser/{ns}marker/{ns}symbol").get("val") == "circle"
    # Each tick reads apart in the axis's number format (a small case's all read '74' in '#,##0').
    step = float(line.find(f".//{ns}valAx/{ns}majorUnit").get("val"))
    number_format = line.find(f".//{ns}valAx/{ns}numFmt").get("formatCode")
    digits = len(number_format.partition(".")[2])
    assert len({f"{low + k * step:,.{digits}f}" for k in range(round((high - low) / step) + 1)}) > 2, number_format


def test_the_gap_sentence_shows_a_small_cases_gap_in_usd_not_zero(tmp_path):
    """Gallium alone costs about USD 74 M: a 1e-5 gap of it read 'about USD 0 M' in the sweep's story.  The
    figure now shows its first digit.  (Solved at 2e-5: at 1e-5 HiGHS now proves both plans exactly.)"""
    from planner.reports.sweep_report import sweep_narrative

    d = default_case_for(tmp_path, "gallium")
    points, _, _ = run_sweep(d, CHINA_CAP, [0.9, 0.8], [("gallium", 2032)], SolveOptions(30, 2e-5, 1))
    usd = max(p.plan.stats.gap for p in points) * points[0].total_usd
    assert usd > 0  # the case this test is about: a gap, worth a fraction of a million
    (line,) = [s for s in sweep_narrative(points, CHINA_CAP, "in 2032", [], "en") if "(about " in s]
    shown = re.search(r"\(about USD\u00a0([\d.,]+)\u00a0M\)", line).group(1)
    assert float(shown) > 0 and float(shown) == pytest.approx(usd / 1e6, rel=0.5), (line, usd)


def test_the_chart_by_mineral_names_its_mineral_when_one_alone_pays():
    """A sweep of two minerals, of which one alone pays for the tighter cap (the other buys from Australia,
    cheaper than China): the page's 'Marginal cost by mineral' drew that mineral's bar with no legend, a bar
    'by mineral' of no mineral, as a chart of one key has none.  Its legend now names the mineral that pays,
    and only it, in English and Korean."""
    from planner.reports import labels as L
    from planner.reports.html import esc
    from planner.reports.sweep_report import build_sweep_html

    d = case([supplier("cn", "CHN", 100, 90), supplier("kr", "KOR", 100, 10), supplier("au", "AUS", 150, 40),
              supplier("co_au", "AUS", 80, 200, mineral="co"), supplier("co_cn", "CHN", 120, 200, mineral="co")],
             100, minerals=("li", "co"), policy=PolicyLimits(china_cap_share=1.0))
    keys = [("li", 2024), ("co", 2024)]
    points, _, _ = run_sweep(d, CHINA_CAP, [1.0, 0.8], keys, TEST_OPTS)
    assert all(p.evaluation for p in points)
    steps = [p.evaluation.costs_by_mineral_usd for p in points]
    assert steps[1]["li"] > steps[0]["li"] + 1 and steps[1]["co"] == pytest.approx(steps[0]["co"])  # li alone pays
    for lang in L.LANGS:
        page = build_sweep_html(d, points, CHINA_CAP, ["li", "co"], [], 2024, keys, "t", "s", "in 2024", lang)
        title = esc(L.label("sweep.chart.by_mineral", lang, per=L.label("sweep.per.share", lang)))
        chart = re.search(rf'<svg[^>]*aria-label="{re.escape(title)}"(?:(?!</svg>).)*</svg>', page, re.S).group(0)
        found = re.search(r'<g class="legend">(.*?)</g>', chart, re.S)
        legend = re.findall(r"<title>([^<]*)</title>", found.group(1)) if found else []
        assert legend == [L.mineral_name(d, "li", lang)], (lang, legend)
