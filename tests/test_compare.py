"""planner compare: parallel solves, verified plans, infeasible scenarios reported, reports
checked in real tools (Chromium, LibreOffice) when they are installed."""

import dataclasses
import json
import math
import re
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import TEST_OPTS
from factory import PolicyLimits, case, default_tables_for, supplier
from models.plan import FAMILY_LIMIT, Relaxation
from planner.cli import main
from planner.reports import html as H
from planner.reports import labels as L
from planner.reports.compare_report import relaxation_words
from planner.reports.plan_workbook import LINE_PT, PRINT_WIDTH, line_pt, significance
from planner.studies.compare import BASE, Case, run_cases
from planner.workbook.errors import EXIT_INFEASIBLE
from planner.workbook.defaults import load_default_tables
from planner.workbook.scenarios import Change
from planner.workbook.writer import write_input_workbook
from render import chart_problems, chromium_binary, external_urls, render_html, soffice_binary, xlsx_to_pdf
from test_scenarios import row


def _cases():
    d = case([supplier("cn", "CHN", 100, 80), supplier("au", "AUS", 150, 80)], 60)
    tight = case([supplier("cn", "CHN", 100, 80), supplier("au", "AUS", 150, 80)], 60,
                 policy=PolicyLimits(china_cap_share=0.2))
    impossible = case([supplier("cn", "CHN", 100, 80), supplier("au", "AUS", 150, 20)], 60,
                      policy=PolicyLimits(china_cap_share=0.2))
    return [Case(BASE, "", d), Case("tight", "", tight), Case("impossible", "", impossible)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_cases_solve_verified_in_order(jobs):
    results, interrupted = run_cases(_cases(), TEST_OPTS, jobs)
    assert not interrupted
    assert [r.case.name for r in results] == [BASE, "tight", "impossible"]
    assert [r.status for r in results] == ["optimal", "optimal", "infeasible"]
    assert results[0].evaluation.total_usd == pytest.approx(6000)
    assert results[1].evaluation.total_usd == pytest.approx(0.2 * 60 * 100 + 0.8 * 60 * 150)
    # The diagnosis: the limit to move, worded by the reports as every page and the console name it.
    (r,) = results[2].relaxations
    assert (r.family, r.needed) == ("china_cap", pytest.approx((60 - 20) / 60, abs=0.002))  # Australia: 20 t
    assert f"{r.cell} China cap, " in relaxation_words(results[2].relaxations)


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_keeps_the_finished_cases(jobs):
    def interrupt(result):
        raise KeyboardInterrupt  # as if Ctrl-C arrived after the first case finished

    results, interrupted = run_cases(_cases(), TEST_OPTS, jobs, interrupt)
    assert interrupted and len(results) == 1 and results[0].evaluation is not None


REPORT = "case-compare-graphite_ban_2026-no_china_graphite_2026"  # two of the scenarios: named after them


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """The default case's battery group (graphite's model, the same as in the whole case), its graphite ban and
    an impossible scenario, compared through the CLI; the other minerals' models added only solves."""
    tmp = tmp_path_factory.mktemp("compare")
    tables = default_tables_for("lithium", "nickel", "cobalt", "manganese", "graphite")
    tables["Scenarios"] += [row("no_china_graphite_2026", lever="policy", column="china_cap_share",
                                mineral_id="graphite", first_year=2026, last_year=2026, value=0)]
    workbook = write_input_workbook(tables, tmp / "case.xlsx")
    before = workbook.read_bytes()
    result = CliRunner().invoke(main, ["compare", str(workbook), "-s", "graphite_ban_2026", "-s",
                                       "no_china_graphite_2026", "-j", "1", "-o", str(tmp / "out"), "--gap", "0.01"])
    assert workbook.read_bytes() == before
    return result, tmp / "out"


def test_the_json_gives_each_cost_change_its_verdict_and_the_gaps_that_judge_it(compared):
    """The page and the story say whether a case's cost change is beyond the two plans' proven gaps; the .json
    gave the change alone, so a script reading it could not tell a finding from the solver's gap.  It now gives
    the verdict and the gaps summed, which the Summary sheet's proven_gap_usd of the two cases add up to."""
    _result, out = compared
    facts = json.loads((out / f"{REPORT}.json").read_text())
    summary = {r[0]: r for r in load_workbook(out / f"{REPORT}.xlsx")["Summary"].iter_rows(values_only=True)}
    gap = summary["case"].index("proven_gap_usd")
    name = "case graphite_ban_2026"
    gaps = summary["base"][gap] + summary["graphite_ban_2026"][gap]
    assert facts[f"{name} change_proven_gaps_usd"] == pytest.approx(gaps)
    assert facts[f"{name} change_significant"] is (abs(facts[f"{name} change_usd"]) > gaps) is True
    assert "case base change_significant" not in facts  # the base is no change
    assert "case no_china_graphite_2026 change_significant" not in facts  # no plan, no change


def test_compare_writes_both_reports(compared):
    result, out = compared
    assert result.exit_code == 0, result.output
    assert "China stops graphite exports from 2026 to the end of the horizon (graphite_ban_2026): cost +USD" in (
        result.output)
    wb = load_workbook(out / f"{REPORT}.xlsx")
    assert wb.sheetnames == ["Summary", "Charts", "Inputs", "Indicators", "Story", "Diagnosis", "Definitions", "Run",
                             "ChartData"]
    # The inputs each scenario changes against the base, beside the outputs: the ban sets China's graphite
    # capacity to 0 from 2026, one row for the run of years, with the base's cell and the Scenarios cell.
    inputs = list(wb["Inputs"].iter_rows(min_row=2, values_only=True))
    ban = next(r for r in inputs if r[0] == "graphite_ban_2026" and r[3] == "gr_chn_chn")
    assert ban[1:5] == ("Suppliers", "capacity_t_per_yr", "gr_chn_chn", "2026-2035")
    assert ban[5].startswith("'Suppliers'!") and ban[7] == "0" and ban[8].startswith("'Scenarios'!M")
    # A setting the scenario changes names its cell too (the value beside the setting's name), not the sheet.
    unmet = next(r for r in inputs if r[0] == "graphite_ban_2026" and r[1] == "Settings")
    assert unmet[1:4] == ("Settings", "value", "allow_unmet_demand")
    assert re.fullmatch(r"'Settings'!B\d+", unmet[5]) and unmet[6:8] == ("no", "yes"), unmet
    summary = {r[0]: r for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["base"][1] == "optimal" and summary["graphite_ban_2026"][1] == "optimal"
    assert summary["graphite_ban_2026"][3] > 0  # a ban costs money
    assert summary["no_china_graphite_2026"][1] == "infeasible"
    diagnosis = list(wb["Diagnosis"].iter_rows(min_row=2, values_only=True))
    # The impossible limit is named by the Scenarios cell that set it.
    assert any(r[0] == "no_china_graphite_2026" and r[1].startswith("'Scenarios'!M") for r in diagnosis)
    # The ban: China's graphite goes in every year, and the story says so, largest change first.
    story = [r for r in wb["Story"].iter_rows(min_row=2, values_only=True) if r[0] == "graphite_ban_2026"]
    cut = {r[2]: r for r in story if r[3] == "option" and r[4] == "gr_chn_chn"}
    assert sorted(cut) == list(range(2026, 2036)) and all(r[7] == 0 and r[8] < 0 for r in cut.values())
    first_2026 = next(r for r in story if r[1] == "graphite" and r[2] == 2026 and r[3] != "country")
    assert first_2026[4] == "gr_chn_chn"
    with zipfile.ZipFile(out / f"{REPORT}.xlsx") as z:  # cost by part, China share overall and graphite's
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) >= 3
    assert chart_problems(out / f"{REPORT}.xlsx") == []
    page = (out / f"{REPORT}.html").read_text(encoding="utf-8")
    assert "China stops graphite exports from 2026 to the end of the horizon (graphite_ban_2026): cost +USD" in page
    assert "infeasible" in page
    assert external_urls(page) == []
    # A change of a share is in percentage points: China's share moves under the ban.
    moved = re.findall(r"<td>China share \d{4}</td>(.*?)</tr>", page)
    assert moved and all(m.endswith("\u00a0pp</td>") for m in moved), moved  # the unit kept with its figure
    # "Outputs that moved" leaves out a share that moved less than its figure shows (it read "0 pp").
    assert not re.search(r">[+-]?0[ \u00a0]pp</td>", page)
    # The one negative cost part is explained once in each place, not named twice over ("Negative cost part:
    # stock handed on (credit): A credit, so negative: ...").
    note = H.esc(L.cost_note("terminal_stock"))
    assert page.count(note) == 2 and "Negative cost part" not in page


def test_the_page_s_diagnosis_gives_each_limit_as_the_console_does(compared):
    """A cap of 40% that must be at least 40.4% read '0.40' needing '0.40' in the page's table of cases
    without a plan (a number to 2 decimals): as if the cap already met the need.  The page now writes both
    as a planner types them, as the console's 'must be at least 40.4%' does, and the mineral by its name
    (its id, 'graphite', was English in a Korean page)."""
    result, out = compared
    needs = re.findall(r"China cap, graphite 2026: must be at least ([\d.]+%)", result.output)
    assert needs, result.output
    page = (out / f"{REPORT}.html").read_text(encoding="utf-8")
    table = page[page.index(H.esc(L.label("compare.sec.diagnosis"))):]
    rows = re.findall(r"<tr>(.*?)</tr>", table[:table.index("</table>")])
    cells = [re.findall(r"<td[^>]*>([^<]*)</td>", r) for r in rows]
    graphite = [c for c in cells if c and c[3] == "Graphite" and c[4] == "2026"]  # by name, as the page's words
    assert [c[6:8] for c in graphite] == [["0%", needs[0]]], cells


@pytest.mark.skipif(chromium_binary() is None, reason="Chromium is not installed")
def test_compare_html_renders_in_chromium(compared):
    _, out = compared
    assert render_html(out / f"{REPORT}.html", out / "compare.png") == []
    assert (out / "compare.png").stat().st_size > 20_000


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice is not installed")
def test_compare_workbook_converts_to_pdf(compared, tmp_path):
    _, out = compared
    pdf = xlsx_to_pdf(out / f"{REPORT}.xlsx", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_unknown_scenario_is_a_clear_error():
    from conftest import DEFAULT_WORKBOOK

    result = CliRunner().invoke(main, ["compare", str(DEFAULT_WORKBOOK), "-s", "no_such"])
    assert result.exit_code == 2
    assert "no scenario named 'no_such'" in result.output and "graphite_ban_2026" in result.output


def test_a_case_that_costs_nothing_compares_and_sweeps(tmp_path):
    """No demand, no stock, no forced contract: every plan costs 0, and no change can be a percentage."""
    tables = default_tables_for("gallium")
    tables["Scenarios"].append(row("demand_high", lever="demand_change", mineral_id="gallium", first_year=2027,
                                   value=1.2))
    for r in tables["Demand"]:
        r["demand_t"] = 0
    for r in tables["Stockpile"]:
        r["initial_stock_t"] = 0
    workbook = write_input_workbook(tables, tmp_path / "free.xlsx")
    out = tmp_path / "out"
    compare = CliRunner().invoke(main, ["compare", str(workbook), "--all", "-j", "1", "-o", str(out)])
    assert compare.exit_code == 0, compare.output
    # 0 takes no sign; a scenario without a description is named by what it changes, its id in brackets
    assert "Gallium demand x1.2, from 2027 (demand_high): cost USD 0 M over 2026-2035 (present value)" in \
        compare.output
    assert f"wrote     {out / 'free-compare.xlsx'}, .html and .json" in compare.output
    summary = list(load_workbook(out / "free-compare.xlsx")["Summary"].iter_rows(min_row=2, values_only=True))
    assert all(r[2] == 0 and r[4] is None for r in summary)  # cost 0, change in % not defined
    sweep = CliRunner().invoke(main, ["sweep", str(workbook), "--china-cap", "0.8,0.5", "-o", str(out)])
    assert sweep.exit_code == 0, sweep.output
    # Nothing to raise: the cost is said to stay as it is, without a percentage of 0.
    assert "leaves the present-value cost unchanged (USD 0 M)." in (
        out / "free-sweep-china-cap.html").read_text().replace("\u00a0", " ")


def test_the_compare_report_says_who_replaces_china_in_cerium(tmp_path):
    """'Cerium's China share at most 40% from 2030' on the default case's cerium (a model of its own, the
    other minerals' added only solves): the HTML names the options and countries that gained and lost tonnes,
    with the tonnes, recomputed here from the two plans."""
    from planner.reports.compare_report import build_compare_html
    from planner.workbook.reader import read_workbook

    tables = default_tables_for("cerium")
    tables["Scenarios"] = [row("cerium_china_40", lever="policy", column="china_cap_share",
                               mineral_id="cerium", first_year=2030, value=0.4)]
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "case.xlsx"))
    scenario = loaded.scenarios["cerium_china_40"]
    opts = TEST_OPTS.__class__(60, 0.01, 2)
    # One case at a time, in this process: the plans do not depend on it, and a worker spawned after a solve here
    # imports the solver stack again (about 1 s of CPU each).
    results, _ = run_cases([Case(BASE, "", loaded.data),
                            Case(scenario.name, "", scenario.data, scenario.minerals, scenario.first_year)], opts, 1)
    base, other = results
    page = build_compare_html(results, "t", "s").replace("\u00a0", " ")
    section = page[page.index("cerium_china_40: the inputs it changes and what moved"):]
    d = loaded.data

    def tonnes(plan, where, stage=None):  # cerium tonnes over all years mined (or refined) in a country
        return sum(t for (s, _y), t in plan.buy_t.items() if d.suppliers[s].mineral_id == "cerium"
                   and where in ({d.suppliers[s].origin_country} if stage == "mined" else
                                 {d.suppliers[s].processing_country} if stage == "refined" else d.suppliers[s].countries))

    # Each tonne once per column group: the tonnes mined in a country, and refined there, in each plan.
    for code, name in (("AUS", "Australia"), ("USA", "United States")):
        assert f"<td>{name}</td>" in section, name
        for stage in ("mined", "refined"):
            a, b = tonnes(base.plan, code, stage), tonnes(other.plan, code, stage)
            assert f"{a:,.0f} t" in section and f"{b:,.0f} t" in section, (name, stage)
    assert tonnes(other.plan, "CHN") < tonnes(base.plan, "CHN")  # the cap bites
    # Each year's largest option change is named with its tonnes in the year table.
    for y in range(2030, 2033):
        delta = {s: other.plan.buy_t.get((s, y), 0) - base.plan.buy_t.get((s, y), 0)
                 for s, x in d.suppliers.items() if x.mineral_id == "cerium"}
        s, t = max(delta.items(), key=lambda kv: abs(kv[1]))
        if abs(t) >= 1:
            assert f"({s}) {t:+,.0f} t" in section, (y, s, t)


def test_outputs_that_moved_write_days_in_the_reports_language():
    """A case that raises the stock floor: its stockpile days read '30 d' in English and '30일' in Korean,
    as every other table of days does (the Korean page read '30 d')."""
    from factory import StockpileRule
    from planner.reports.compare_report import inputs_section

    def floor(days):
        return case([supplier("au", "AUS", 100, 200)], 60, stockpile=[StockpileRule("li", 0, 5, 0, 100)],
                    policy=PolicyLimits(stockpile_min_days=days))

    base, raised = run_cases([Case(BASE, "", floor(0)), Case("raised", "", floor(30))], TEST_OPTS, 1)[0]
    for lang, unit in (("en", "\u00a0d"), ("ko", "일")):  # a figure kept with its unit
        cells = re.findall(r"<td(?: class=\"short\")?( class=\"num\")?>(.*?)</td>",
                           "".join(inputs_section(base, raised, lang)))
        # the figures at the right, as numbers are in every table (they were set at the left, as text)
        assert cells[1:] == [(' class="num"', v) for v in (f"0{unit}", f"30{unit}", f"+30{unit}")], cells


def test_a_korean_page_names_each_scenario_in_korean_where_its_description_is_english(tmp_path):
    """The Korean compare page named a what-if only by its id ('gallium_ban: ...'), its description being
    English: it is named by what its rows change, in the catalogue's words, its id in brackets; the English
    page keeps the description's first words."""
    workbook = write_input_workbook(default_tables_for("gallium"), tmp_path / "ga.xlsx")
    for lang, title in (("ko", "중국 갈륨 공급 중단 (gallium_ban)"),
                        ("en", "China stops gallium exports from 2026 (gallium_ban)")):
        out = tmp_path / lang
        r = CliRunner().invoke(main, ["compare", str(workbook), "-s", "gallium_ban", "--lang", lang, "-j", "1",
                                      "-o", str(out)])
        assert r.exit_code == 0, r.output
        assert f"  {title}: " in r.output
        page = (out / "ga-compare-gallium_ban.html").read_text()
        assert f"<h2>{title}: " in page and f"<td>{title}</td>" in page, title
        # The id alone stands only where English puts it too: in a column header, a chart's bars and legend.
        assert "gallium_ban:" not in re.sub(r"<svg.*?</svg>", "", page, flags=re.S)


def test_a_scenario_s_section_keeps_its_id_whole_in_its_headers_and_its_charts_name_it_in_words(tmp_path):
    """A scenario's section broke its column headers inside its id ('mined there, gallium_' over 'ban (t)': a line
    may break after each _ of a header's id) and titled its chart by the id alone ('gallium_ban: Gallium, tonnes
    gained and lost...').  The headers keep the id, as a sentence would not fit there, whole; the chart's title,
    which wraps at words, names the scenario as its section does, in English and Korean."""
    from planner.reports.compare_report import build_compare_html, case_title
    from planner.workbook.reader import read_workbook

    loaded = read_workbook(write_input_workbook(default_tables_for("gallium"), tmp_path / "ga.xlsx"))
    sc = loaded.scenarios["gallium_ban"]
    results, _ = run_cases([Case(BASE, "", loaded.data), Case(sc.name, sc.description, sc.data, sc.minerals,
                                                             sc.first_year, changes=tuple(sc.changes))], TEST_OPTS, 1)
    for lang in L.LANGS:
        page = build_compare_html(results, "t", "s", lang=lang)
        named = [h for h in re.findall(r"<th\b[^>]*>(.*?)</th>", page) if "gallium_" in h]
        # the outputs that moved, and the tonnes mined and refined there
        assert len(named) == 3 and all("gallium_ban" in h for h in named), named
        story = L.label("compare.chart.story", lang, case=case_title(results[1].case, lang),
                        mineral=L.mineral_name(loaded.data, "gallium", lang))
        assert f'aria-label="{H.esc(story)}"' in page, lang


def test_the_indicators_sheet_names_each_indicator_as_the_plans_reports_do_its_id_beside_it():
    """The Indicators sheet's rows said 'hhi_mining', 'supply_risk_sr' in either language: each is named in words, in
    Korean as the plan workbook heads its column (a supply-risk indicator as its Definitions name it), at the stage it
    is taken at; its id stays in a column of its own."""
    from planner.reports.compare_report import INDICATORS, indicator_rows
    from planner.reports.plan_workbook import INDICATOR_COL, Col

    results, _ = run_cases(_cases()[:2], TEST_OPTS, 1)
    for lang in L.LANGS:
        cols, rows = indicator_rows(results, lang)
        assert [c.name for c in cols[:4]] == ["indicator", "indicator_id", "mineral", "year"]
        named = dict((r[1], r[0]) for r in rows)
        assert list(named) == [name for name, _, _ in INDICATORS]
        assert all(words != name and "_" not in words for name, words in named.items()), named
        if lang == "ko":
            assert all(named[n] == Col(n, "").head(lang) for n in ("china_share", "avg_risk", "recycling_share"))
            assert named["hhi_mining"] == f"{INDICATOR_COL['hhi'].head(lang)}, 채굴"
            assert named["supply_risk_sr"].startswith(INDICATOR_COL["sr"].head(lang))
        else:
            assert named["hhi_refining"] == "HHI, refining" and named["china_share"] == "China share"
    china = next(r for r in rows if r[1] == "china_share")
    assert china[4][0] == pytest.approx(1.0) and china[5][0] == pytest.approx(0.2)  # the values as they were


def test_a_change_within_the_proven_gaps_reads_not_significant_in_the_headline_table(tmp_path):
    """A tenth of a percent more cerium demand in 2035 moves the cost by far less than the two plans' proven
    gaps: its sentence said 'not significant' while the headline table showed the change in red, as a rise."""
    from planner.reports.compare_report import build_compare_html, significant
    from planner.workbook.reader import read_workbook

    tables = load_default_tables()
    tables["Scenarios"] = [row("cerium_hair", lever="edit", sheet="Demand", mineral_id="cerium", first_year=2035,
                               column="demand_t", operation="scale", value=1.001)]
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "case.xlsx"))
    scenario = loaded.scenarios["cerium_hair"]
    # One case at a time, in this process: significance does not depend on it, and a worker spawned after a solve
    # here imports the solver stack again (about 1 s of CPU each).  The whole case: the base's proven gap, not
    # the change, must be large (cerium alone proves its cost so close that the change is significant).
    results, _ = run_cases([Case(BASE, "", loaded.data), Case(scenario.name, "", scenario.data)],
                           TEST_OPTS.__class__(60, 1e-3, 1), 1)
    base, hair = results
    assert hair.ok and not significant(base, hair)
    for lang, words in (("en", "not\u00a0significant"), ("ko", "유의하지\u00a0않음")):
        page = build_compare_html(results, "t", "s", lang=lang)
        table = page[page.index('<table class="data">', page.index(L.label("compare.sec.headline", lang))):]
        cells = re.findall(r"<td( class=\"[^\"]*\")?>([^<]*)</td>", table[:table.index("</table>")])
        change = cells[len(cells) // 2 + 3]  # the case's row: its change in USD after case, status and cost
        # '(not significant)' joined by no-break spaces, as every report writes it: a line wraps before it.
        assert change[0] == ' class="num"' and change[1].endswith(f"\u00a0M ({words})"), change


def test_the_subtitle_counts_only_the_cases_with_a_plan_as_verified(compared):
    """'3 cases solved to a 1% gap and verified' where one case has no plan: nothing of it was verified."""
    result, out = compared
    assert result.exit_code == 0, result.output
    page = (out / f"{REPORT}.html").read_text(encoding="utf-8")
    assert "3 cases, 2 with a plan solved to a 1% gap and verified; input SHA-256" in page


@pytest.mark.parametrize(("column", "value", "en", "ko"), [
    ("stockpile_min_days", 37.0, "37 days", "37일"), ("stockpile_min_days", 1234.5, "1,234.5 days", "1,234.5일"),
    ("china_cap_share", 0.655, "65.5%", "65.5%"), ("recycling_min_share", 0.2, "20%", "20%"),
    ("risk_cap", 0.35, "0.35", "0.35")])
def test_a_policy_limit_reads_alike_in_a_diagnosis_and_a_scenario_name(column, value, en, ko):
    """One Policy limit value, one format, as a planner types it: 37 days is '37일' both where a diagnosis says
    what a limit must become and where a what-if scenario that sets it is named (not '37.0일' in one)."""
    family, unit = next((f, u) for f, (c, _direction, u) in FAMILY_LIMIT.items() if c == column)
    needed = Relaxation(family=family, mineral_id="li", year=2024, country=None, limit=None, needed=value,
                        unit=unit, cell="'Policy'!F3")
    edit = Change(row=2, coord="M2", sheet="Policy", column=column, operation="set", value=value,
                  keys=(("li", 2024),), years=None, minerals=frozenset({"li"}))
    d = case([supplier("cn", "CHN", 100, 80)], 60)
    for lang, shown in (("en", en), ("ko", ko)):
        for text in (relaxation_words([needed], lang), L.what_if_name(d, [edit], lang)):
            assert re.search(f" {re.escape(shown)}( |$)", text), text


# ---- compare --hedged: the headline is what the plans were decided and proven on ----------------------------

PENALTY_USD_PER_T = 1000.0  # a tonne of lithium short


def _certain_cut(price_usd_per_t: float, penalty_usd_per_t: float = PENALTY_USD_PER_T, weight: float = 0.0):
    """60,000 t of lithium from China alone at ``price_usd_per_t``, no stock, and a disruption certain to stop it
    all: the plan if nothing happens costs 60,000 x price, but the tonnes lost are not paid and go unmet at
    ``penalty_usd_per_t``, so the hedged objective is 60,000 x penalty whatever the price (at any CVaR weight:
    one outcome, so CVaR = the expected disruption cost)."""
    from models.dataset import DisruptionScenario

    d = case([supplier("cn", "CHN", price_usd_per_t, 100_000)], 60_000)
    d.minerals["li"] = dataclasses.replace(d.minerals["li"], shortage_penalty_usd_per_t=penalty_usd_per_t)
    cut = DisruptionScenario("cut", "cut", 1.0, {("cn", 2024): 1.0}, {("li", 2024): 1.0})
    return dataclasses.replace(d, disruptions=(cut,), settings=dataclasses.replace(d.settings, cvar_weight=weight))


def test_a_second_option_from_a_country_is_drawn_in_no_country_s_colour():
    """China's 100 t replaced by two Australian options: the who-replaces-whom chart drew the second one in the
    palette's next colour, Korea's blue (lithium_price_up's second Argentine option took Australia's orange,
    and after that China's vermilion), so the chart named a country by another's colour."""
    import xml.etree.ElementTree as ET

    from planner.reports.compare_report import story_section

    def three(china_t):
        return case([supplier("cn", "CHN", 100, china_t), supplier("au1", "AUS", 150, 60),
                     supplier("au2", "AUS", 160, 60, processing="KOR")], 100)

    results, _ = run_cases([Case(BASE, "", three(200)), Case("ban", "", three(0))], TEST_OPTS, 1)
    base, ban = results
    chart = story_section("ban", (base.case.data, base.plan, base.evaluation),
                          (ban.case.data, ban.plan, ban.evaluation), ["li"])[0]
    root = ET.fromstring(chart[chart.index("<svg"):chart.index("</svg>") + 6])
    ns = {"s": "http://www.w3.org/2000/svg"}
    legend = list(root.find(".//s:g[@class='legend']", ns))  # each series: its box, then its name
    fills = {text.find("s:title", ns).text: box.get("fill") for box, text in zip(legend[::2], legend[1::2])}
    assert len(fills) == 3 and len(set(fills.values())) == 3, fills
    second = [f for name, f in fills.items() if "au2" in name]
    assert second and second[0] not in H.COUNTRY_COLORS.values(), fills


def test_the_hedged_table_names_what_its_cvar_is_of():
    """The page's 'least-cost and hedged plans' table put 'least-cost: expected' (the expected total cost,
    48,329 M on the default case) beside 'least-cost: CVaR' (54.2 M: of the disruption cost alone), so the CVaR
    read as far below the mean it bounds.  A disruption certain to stop all of China's lithium: its CVaR is the
    disruption cost, expected minus if nothing happens, and the header says so."""
    import html as htmllib

    from planner.reports.compare_report import build_compare_html

    results, _ = run_cases([Case(BASE, "", _certain_cut(100))], TEST_OPTS, 1, hedged=True)
    for lang, of in (("en", "CVaR of disruption cost"), ("ko", "공급 차질 비용 CVaR")):
        page = build_compare_html(results, "t", "s", lang=lang)
        table = page[page.index(H.esc(L.label("compare.sec.hedged", lang))):]
        table = table[:table.index("</table>")]
        heads = [htmllib.unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<th[^>]*>(.*?)</th>", table)]
        cells = [htmllib.unescape(c) for c in re.findall(r"<td[^>]*>([^<]*)</td>", table)]
        cvars = [j for j, h in enumerate(heads) if "CVaR" in h]
        assert len(cvars) == 2 and all(heads[j].endswith(of) for j in cvars), heads
        for j in cvars:  # one outcome: its CVaR is its disruption cost, expected minus if nothing happens
            calm, expected, cvar = (float(c.replace(",", "").replace("\u00a0", " ").rstrip(" M"))
                                    for c in cells[j - 2:j + 1])
            assert cvar == pytest.approx(expected - calm, abs=0.01), cells


@pytest.mark.parametrize("weight", [0.0, 0.5])
def test_a_hedged_compare_headlines_and_judges_the_objective_its_plans_were_decided_on(weight):
    """China's price halved moves the cost if nothing happens by USD -3 M (-50%) and the hedged objective by
    nothing; a dearer shortage moves the objective by +30 M and the cost if nothing happens by nothing.  The
    headline was the cost if nothing happens, its significance judged by the hedged objective's gaps: 'cost
    -USD 3 M (-50%)' for a case that changes nothing the plans were decided on, 'USD 0 M ... not significant' for
    one that costs 30 M more.  Headline, proven range and significance are now all of the objective, in every
    report; compare without --hedged keeps the cost (the same cheaper case: -3 M, significant)."""
    from planner.reports.compare_report import (build_compare_html, compare_facts, narrative, significant,
                                                summary_rows)

    cases = [Case(BASE, "", _certain_cut(100, weight=weight)), Case("cheaper", "", _certain_cut(50, weight=weight)),
             Case("dearer", "", _certain_cut(100, 1.5 * PENALTY_USD_PER_T, weight))]
    results, _ = run_cases(cases, TEST_OPTS, 1, hedged=True)
    base, cheaper, dearer = results
    objective = {r.case.name: r.tested[1].decided.value for r in results}
    calm = {r.case.name: r.evaluation.total_usd for r in results}
    assert objective == pytest.approx({BASE: 60e6, "cheaper": 60e6, "dearer": 90e6})
    assert calm == pytest.approx({BASE: 6e6, "cheaper": 3e6, "dearer": 6e6})
    assert not significant(base, cheaper) and significant(base, dearer)

    named = "expected cost" if weight == 0 else "expected cost and CVaR (weight 0.5)"
    words = {r.case.name: narrative(base, r).replace("\u00a0", " ") for r in results[1:]}
    assert words["cheaper"].startswith(f"cheaper: {named} USD 0 M (0%) over 2024-2024 (present value), proven "
                                       "between 0 and 0 M: not significant, the range holds 0; cost if nothing happens "
                                       "-USD 3 M")
    assert words["dearer"].startswith(f"dearer: {named} +USD 30 M (+50%) over 2024-2024 (present value), proven "
                                      "between +30.000 and +30.000 M; cost if nothing happens USD 0 M")
    ko = {r.case.name: narrative(base, r, "ko") for r in results[1:]}
    assert "유의하지 않음" in ko["cheaper"] and "유의하지 않음" not in ko["dearer"]
    assert "평시 비용 -USD\u00a03\u00a0M" in ko["cheaper"]

    # The workbook's Summary, the .json and the page say the same of the same quantity.
    for lang in L.LANGS:
        cols, rows = summary_rows(results, lang)
        at = {c.name: i for i, c in enumerate(cols)}
        assert "total_cost_usd" not in at and "proven_gap_usd" not in at
        for r, cells in zip(results, rows):
            assert cells[at["hedged_objective_usd"]] == pytest.approx(objective[r.case.name])
            assert cells[at["delta_objective_usd"]] == pytest.approx(objective[r.case.name] - objective[BASE])
            assert cells[at["cost_if_calm_usd"]] == pytest.approx(calm[r.case.name])
            assert cells[at["delta_cost_if_calm_usd"]] == pytest.approx(calm[r.case.name] - calm[BASE])
            if r is not base:
                assert cells[at["delta_objective_significant"]] == significance(significant(base, r), lang)
    facts = dict(compare_facts(results))
    for r in results[1:]:
        name = f"case {r.case.name}"
        assert facts[f"{name} change_usd"] == pytest.approx(objective[r.case.name] - objective[BASE])
        assert facts[f"{name} change_significant"] is significant(base, r)
        assert facts[f"{name} change_low_usd"] <= facts[f"{name} change_usd"] <= facts[f"{name} change_high_usd"]
        assert facts[f"{name} change_if_calm_usd"] == pytest.approx(calm[r.case.name] - calm[BASE])
    for lang in L.LANGS:
        page = build_compare_html(results, "t", "s", lang=lang).replace("\u00a0", " ")
        table = page[page.index(L.label("compare.sec.headline", lang)):]
        table = table[:table.index("</table>")]
        objective_words = L.label("compare.objective.neutral" if weight == 0 else "compare.objective.cvar", lang,
                                  weight="0.5")
        assert H.esc(L.label("compare.col.objective", lang, objective=objective_words, price_year=2024)) in table
        assert f"<td class=\"num\">0 M ({L.label('sig.no', lang)})</td>" in table  # cheaper: uncoloured
        assert '<td class="num up">+30 M</td>' in table  # dearer: a rise the solves prove
        assert '<td class="num">-3 M</td>' in table  # the change of the cost if nothing happens: signed, not coloured
        assert H.esc(L.label("compare.headline.note_hedged", lang, objective=objective_words)) in page

    # Without --hedged the same cases compare on the cost: the cheaper case saves 3 M, as before.
    plain, _ = run_cases(cases[:2], TEST_OPTS, 1)
    assert significant(*plain) and narrative(*plain).replace("\u00a0", " ").startswith(
        "cheaper: cost -USD 3 M (-50%) over 2024-2024 (present value)")
    assert [c.name for c in summary_rows(plain)[0][2:5]] == ["total_cost_usd", "delta_cost_usd", "delta_cost_pct"]


def test_the_cost_if_nothing_happens_has_one_name_on_the_compare_and_stress_pages():
    """The first-stage cost (a plan's cost with no disruption) was 'cost if calm' on the compare page and console
    and 'cost if nothing happens' on the stress and hedged pages, both '평시 비용' in Korean: one figure, two
    English names.  Every report now calls it what the README does."""
    for lang in L.LANGS:
        stress = L.label("res.figname.first_stage_cost_usd", lang)
        assert L.label("compare.col.calm", lang).lower() == stress.lower()
    assert not [key for key, (en, _) in L.CATALOGUE.items() if "if calm" in en]
    assert "; cost if nothing happens USD" in L.label("compare.story.if_calm", usd="USD")


def test_hedged_compare_from_the_command_line_says_the_same_in_every_output(tmp_path):
    """compare --hedged on gallium and its ban, in English and Korean: the console's sentence, the .json, the
    Summary sheet and the page's headline table all give the change of the hedged objective (the plans' expected
    cost here) with its significance, and the cost if nothing happens beside it; the .json's objective is the
    solve's."""
    import json

    from planner.reports.html import usd_m
    from planner.reports.plan_workbook import sheet_name

    workbook = write_input_workbook(default_tables_for("gallium"), tmp_path / "ga.xlsx")
    for lang in L.LANGS:
        out = tmp_path / lang
        run = CliRunner().invoke(main, ["compare", str(workbook), "--hedged", "-s", "gallium_ban", "-j", "1",
                                        "--lang", lang, "-o", str(out)])
        assert run.exit_code == 0, run.output
        facts = json.loads((out / "ga-compare-hedged-gallium_ban.json").read_text())
        base, ban = "case base", "case gallium_ban"
        change = facts[f"{ban} change_usd"]
        assert change == pytest.approx(facts[f"{ban} cost_usd"] - facts[f"{base} cost_usd"])
        assert facts[f"{ban} cost_usd"] == pytest.approx(facts[f"{ban} objective_usd"], rel=1e-6)
        assert facts[f"{ban} cost_usd"] == pytest.approx(facts[f"{ban} hedged_expected_usd"])  # cvar_weight 0
        assert facts[f"{ban} change_significant"] is True and facts[f"{ban} change_low_usd"] > 0
        calm = facts[f"{ban} change_if_calm_usd"]
        assert calm == pytest.approx(facts[f"{ban} cost_if_calm_usd"] - facts[f"{base} cost_if_calm_usd"])
        assert abs(calm - change) > 1e5  # the two differ: the test tells them apart
        line = next(x for x in run.output.splitlines() if "(gallium_ban)" in x)
        objective = L.label("compare.objective.neutral", lang)
        assert f"{objective} {usd_m(change, True)}".replace("\u00a0", " ") in line
        assert f"{L.label('compare.story.if_calm', lang, usd=usd_m(calm, True))}".replace("\u00a0", " ") in line
        summary = load_workbook(out / "ga-compare-hedged-gallium_ban.xlsx")[sheet_name("Summary", lang)]
        heads = [c.value for c in summary[1]]
        rows = {r[0]: dict(zip(heads, r)) for r in summary.iter_rows(min_row=2, values_only=True)}
        cell = rows["gallium_ban"]
        head = {"en": ("delta_objective_usd", "delta_objective_significant", "delta_cost_if_calm_usd"),
                "ko": ("기준 대비 헤지 목적값 변화 (USD)", "유의함", "기준 대비 평시 비용 변화 (USD)")}[lang]
        assert (cell[head[0]], cell[head[1]], cell[head[2]]) == (pytest.approx(change), significance(True, lang),
                                                                 pytest.approx(calm))
        page = (out / "ga-compare-hedged-gallium_ban.html").read_text().replace("\u00a0", " ")
        assert f'<td class="num up">{H.fmt(change, "usd_m", sign=True)}</td>' in page
        assert f'<td class="num">{H.fmt(calm, "usd_m", sign=True)}</td>' in page


def test_a_hedged_case_tested_with_its_first_stage_held_reports_the_solve_that_decided_it():
    """A disruption of probability 0 has the hedged plan tested again with its first stage held, every scenario
    equally likely (resilience.weighing_every_scenario): the case's plan then carries that held solve's figures
    (6 M + (54 M + 27 M) / 2 = 37.5 M), and the .json gave them as the case's objective, bound and gap.  They are
    the decision's: 6 M + 0.5 x 54 M = 33 M, the hedged objective the headline gives."""
    from models.dataset import DisruptionScenario
    from planner.reports.compare_report import compare_facts

    d = _certain_cut(100)
    never = DisruptionScenario("half", "half", 0.0, {("cn", 2024): 0.5}, {("li", 2024): 1.0})
    d = dataclasses.replace(d, disruptions=(dataclasses.replace(d.disruptions[0], probability=0.5), never))
    results, _ = run_cases([Case(BASE, "", d)], TEST_OPTS, 1, hedged=True)
    assert results[0].plan.stats.objective_usd == pytest.approx(37.5e6)  # the held solve's, not the decision's
    facts = dict(compare_facts(results))
    assert facts["objective_usd"] == facts["case base objective_usd"] == pytest.approx(33e6)
    assert facts["case base cost_usd"] == pytest.approx(33e6)
    assert facts["case base cost_if_calm_usd"] == pytest.approx(6e6)


def test_a_hedged_compare_says_its_plans_are_decided_before_knowing_which_disruption_comes():
    """The page's assumptions: a plain comparison's cases are planned with perfect foresight (planner stress tests
    them against what they did not foresee); compare --hedged's plans know their case's changes but were decided
    against the Disruptions sheet's scenarios before knowing which comes, and say so instead."""
    from planner.reports.compare_report import build_compare_html

    d = _certain_cut(100)
    keys = ("compare.assume.foresight", "compare.assume.foresight_hedged")
    for hedged in (False, True):
        results, _ = run_cases([Case(BASE, "", d), Case("again", "", d)], TEST_OPTS, 1, hedged=hedged)
        for lang in L.LANGS:
            page = build_compare_html(results, "title", "subtitle", lang=lang)
            assert [H.esc(L.label(k, lang)) in page for k in keys] == [not hedged, hedged], (hedged, lang)


def test_a_base_case_without_a_plan_says_so_first_and_why(tmp_path):
    """Every scenario's line said 'infeasible', and nothing said the base case, which every case is compared
    with, had no plan either (the report did).  With no case planned, the run ended with exit 0, as if it had
    found plans: it writes its report, which says why for each, and ends with 1 (infeasible), saying so."""
    tables = default_tables_for("gallium")
    for r in tables["Policy"]:
        r["stockpile_min_days"] = 3000 if r["stockpile_min_days"] is not None else None
    workbook = write_input_workbook(tables, tmp_path / "tight.xlsx")
    result = CliRunner().invoke(main, ["compare", str(workbook), "-s", "gallium_ban", "-j", "1", "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == EXIT_INFEASIBLE == 1, result.output
    assert "no case has a plan (2 infeasible); the report says why for each" in result.stderr, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"tight-compare-gallium_ban.{x}"
                                                                   for x in ("html", "json", "xlsx")]
    lines = [line for line in result.output.splitlines() if line.startswith("  ") and "(base)" in line]
    assert len(lines) == 1 and lines[0].startswith("  The workbook as it is (base): infeasible: 'Policy'!G2 stockpile "
                                                   "minimum, gallium 2026: must be at most"), result.output


def test_a_case_with_every_price_0_is_diagnosed_when_a_scenario_has_no_plan(tmp_path):
    """Every supply option at 0 USD (a case of quantities alone): a scenario without a plan ended the run as an
    internal error (ZeroDivisionError) as its diagnosis scaled the cost by the highest price."""
    tables = default_tables_for("gallium")
    for r in tables["Suppliers"]:
        r.update(price_usd_per_t=0, fixed_cost_usd_per_yr=0)
    workbook = write_input_workbook(tables, tmp_path / "free.xlsx")
    result = CliRunner().invoke(main, ["compare", str(workbook), "-s", "central_asia_delay", "-j", "1", "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "(central_asia_delay): infeasible: 'Policy'!" in result.output, result.output


def test_a_scenario_named_as_a_stopped_or_failed_report_does_not_name_its_run_so(tmp_path):
    """A scenario called "failed" named its complete run <stem>-compare-failed.*, the name of a failed full run's
    report: the next complete full run removed it as out of date.  A subset whose last name is "stopped" or
    "failed" (in any case: some file systems ignore it) is named by its count and hash, as an odd name is."""
    tables = default_tables_for("gallium")
    for r in tables["Scenarios"]:
        if r["scenario"] == "gallium_ban":
            r["scenario"] = "failed"
    workbook = write_input_workbook(tables, tmp_path / "case.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(workbook), "-s", "failed", "-j", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    named = sorted(p.name for p in out.iterdir())
    assert len(named) == 3 and all(p.startswith("case-compare-1-scenarios-") for p in named), named
    result = CliRunner().invoke(main, ["compare", str(workbook), "--all", "-j", "1", "-o", str(out)])
    assert result.exit_code == 0 and "removed" not in result.output, result.output
    assert set(named) < {p.name for p in out.iterdir()}


@pytest.fixture(scope="module")
def ga_late(tmp_path_factory):
    """Gallium, and a scenario that starts the Kazakh gallium two years late: the base and the scenario solved
    (no plan meets the China cap then)."""
    from planner.workbook.reader import read_workbook

    tables = default_tables_for("gallium")
    tables["Scenarios"] = [row("ga_late", lever="edit", sheet="Suppliers", item_id="ga_kaz_kaz", column="first_year",
                               operation="add", value=2)]
    loaded = read_workbook(write_input_workbook(tables, tmp_path_factory.mktemp("in") / "case.xlsx"))
    scenario = loaded.scenarios["ga_late"]
    results, _ = run_cases([Case(BASE, "", loaded.data), Case(scenario.name, "", scenario.data)], TEST_OPTS, 1)
    return results


def test_a_run_of_policy_cells_says_how_far_it_moves_between_its_first_and_last_years(tmp_path):
    """rare_earth_ban lifts dysprosium's single-country cap to 100% in 2027-2035, a run of Policy cells reading 95%,
    95%, 90%, 80% and 95% to the end: the page and the Inputs sheet read '95%…95%', as if the cap stood still;
    graphite_ban_2026's graphite cap, 90% down to 50% in 2030 and up to 70%, read '90%…70%'.  Between the first
    and last figure a run gives its lowest and highest where beyond them, in the order they come."""
    from planner.reports.compare_report import input_rows
    from planner.studies.compare import CaseResult
    from planner.workbook.reader import read_workbook

    loaded = read_workbook(write_input_workbook(default_tables_for("dysprosium", "graphite"), tmp_path / "dg.xlsx"))
    base = CaseResult(Case(BASE, "", loaded.data), "optimal")  # what the cells were and are: no plan needed
    for name, mineral, old in (("rare_earth_ban", "dysprosium", "95%…80%…95%"),
                               ("graphite_ban_2026", "graphite", "90%…50%…70%")):
        ban = CaseResult(Case(name, "", loaded.scenarios[name].data), "optimal")
        for lang in L.LANGS:
            (cap,) = [r for r in input_rows(base, ban, lang) if r[1:4] == ["Policy", "single_country_cap_share",
                                                                             mineral]]
            assert cap[6:8] == [old, "100%"], (lang, cap)


def test_a_run_of_years_partly_without_a_row_of_its_own_names_no_cell_it_does_not_have(tmp_path):
    """eu_65_any_stage caps every mineral's mining country from 2030; gallium has Policy rows of its own for
    2032-2035 but not for 2030-2031, where the all-minerals rows apply: the Inputs sheet and the page read
    "'Policy'…I36" for 2030-2035, a range from a sheet to a cell.  Each part is a run of its own."""
    from planner.reports.compare_report import input_rows
    from planner.studies.compare import CaseResult
    from planner.workbook.reader import read_workbook

    tables = default_tables_for("gallium")
    rows_of = {r["year"]: n for n, r in enumerate(tables["Policy"], start=2) if r.get("mineral_id") == "gallium"}
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "ga.xlsx"))
    base = CaseResult(Case(BASE, "", loaded.data), "optimal")  # what the cells were and are: no plan needed
    eu = CaseResult(Case("eu_65_any_stage", "", loaded.scenarios["eu_65_any_stage"].data), "optimal")
    for lang in L.LANGS:
        runs = [r[4:6] for r in input_rows(base, eu, lang) if r[1:4] == ["Policy", "mining_country_cap_share", "gallium"]]
        assert runs == [["2030-2031", "'Policy'"], ["2032-2035", f"'Policy'!I{rows_of[2032]}\u2026I{rows_of[2035]}"]], \
            (lang, runs)


def test_a_run_of_cells_apart_names_each_stretch_of_rows(tmp_path):
    """gallium_ban lifts gallium's single-country cap in 2026-2035, held in gallium's own Policy rows for
    2026-2028 and 2032-2035 and in the all-minerals rows for 2029-2031: the Inputs sheet and the page read
    "'Policy'!D30…D36", as if the run held the rows between, and china_cap_40's nickel run "'Policy'!C6…C85"
    (80 rows for six years).  Each stretch of rows one after another is named, in the years' order."""
    from planner.reports.compare_report import input_rows
    from planner.studies.compare import CaseResult
    from planner.workbook.reader import read_workbook

    tables = default_tables_for("gallium")
    own = {r["year"]: n for n, r in enumerate(tables["Policy"], start=2) if r.get("mineral_id") == "gallium"}
    every = {r["year"]: n for n, r in enumerate(tables["Policy"], start=2) if not r.get("mineral_id")}
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "ga.xlsx"))
    base = CaseResult(Case(BASE, "", loaded.data), "optimal")  # what the cells were and are: no plan needed
    ban = CaseResult(Case("gallium_ban", "", loaded.scenarios["gallium_ban"].data), "optimal")
    said = f"'Policy'!D{own[2026]}\u2026D{own[2028]}, D{every[2029]}\u2026D{every[2031]}, D{own[2032]}\u2026D{own[2035]}"
    for lang in L.LANGS:
        (cap,) = [r for r in input_rows(base, ban, lang) if r[1:4] == ["Policy", "single_country_cap_share", "gallium"]]
        assert cap[4:6] == ["2026-2035", said], (lang, cap)


def test_what_moved_says_a_cost_change_within_the_proven_gaps_is_not_significant(ga_late):
    """compare --policies' 'what moved' gave 'cost, present value 48,316.51 M 48,316.53 M +0.02 M' for a case whose
    price the Summary calls not significant (its range -0.36 M to +0.31 M).  The base's plan here is given a
    proven gap of USD 2 M (its bound lowered): a case costing 0.5 M more moved within it, one costing 5 M more
    beyond it."""
    import html as htmllib

    from planner.reports.compare_report import inputs_section
    from planner.studies.compare import CaseResult

    base = ga_late[0]
    st = base.plan.stats
    gapped = dataclasses.replace(base, plan=dataclasses.replace(base.plan, stats=dataclasses.replace(
        st, bound_usd=st.objective_usd - 2e6)))
    for more, marked in ((0.5e6, True), (5e6, False)):
        parts = dict(base.evaluation.costs_usd)
        parts["purchases"] += more
        ev = dataclasses.replace(base.evaluation, costs_usd=parts)
        case = CaseResult(Case("dearer", "", base.case.data), "optimal", plan=base.plan, evaluation=ev)
        for lang in L.LANGS:
            moved = htmllib.unescape(inputs_section(gapped, case, lang)[-1]).replace("\u00a0", " ")
            (cost,) = [r for r in re.findall(r"<tr>(.*?)</tr>", moved, re.S)
                       if L.label("compare.out.cost", lang) in r]
            said = L.label("sig.no", lang)
            assert (f"({said})" in cost) == marked, (lang, more, cost)


def test_a_scenario_that_moves_a_start_year_shows_the_years_as_years(ga_late):
    """central_asia_delay adds two years to three supply options' first_year: the page and the Inputs sheet
    read 'base 2,027, scenario 2,029', a year with a thousands separator."""
    from planner.reports.compare_report import input_rows

    start = ga_late[0].case.data.suppliers["ga_kaz_kaz"].first_year
    for lang in L.LANGS:
        (changed,) = input_rows(*ga_late, lang)
        assert changed[2:4] == ["first_year", "ga_kaz_kaz"] and changed[6:8] == [str(start), str(start + 2)], changed


def test_tonnes_moving_between_countries_are_signed_but_not_coloured_as_a_cost(compared):
    """The table of tonnes mined and refined per country coloured its changes as costs are: under the graphite
    ban China's tonnes down in green, Canada's and Korea's up in red, as if buying outside China were a loss.
    The changes keep their sign, without the colour."""
    _result, out = compared
    page = (out / f"{REPORT}.html").read_text(encoding="utf-8").replace("\u00a0", " ").replace("<wbr>", "")
    head = L.label("compare.col.mined_case", case="graphite_ban_2026")
    table = page[page.rindex("<table", 0, page.index(head)):]
    table = table[:table.index("</table>")]
    changes = [re.findall(r"<td([^>]*)>([^<]*)</td>", r)[i] for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
               for i in (5, 8)]
    moved = [text for _cls, text in changes if text != "0 t"]
    assert any(t.startswith("+") for t in moved) and any(t.startswith("-") for t in moved), changes
    assert all("up" not in cls and "down" not in cls for cls, _text in changes), changes


def test_the_summary_s_case_summaries_read_across_a_page_in_rows_as_tall_as_their_text(compared):
    """The Summary prints across pages; each case's summary in words (with no-break spaces, English) wrapped
    at 60 characters held its row six 18 pt lines high on every page, the pages of numbers beside it blank."""
    _, out = compared
    ws = load_workbook(out / f"{REPORT}.xlsx")["Summary"]
    assert ws.page_setup.fitToWidth > 1
    (what,) = [c.column for c in ws[1] if c.value == "what_changed"]
    assert ws.column_dimensions[get_column_letter(what)].width > PRINT_WIDTH / 2
    for r in range(2, ws.max_row + 1):
        text = ws.cell(r, what).value
        assert (ws.row_dimensions[r].height or LINE_PT) <= LINE_PT * math.ceil(len(text) / (PRINT_WIDTH / 2)), r


def test_a_no_break_space_in_english_text_keeps_english_line_heights():
    """The case summaries join a number to its unit with a no-break space: not Korean, whose lines stand taller."""
    assert line_pt("46,371\xa0t unmet in 2027\u20132035") == LINE_PT
    assert line_pt("미충족 46,371\xa0t") > LINE_PT


def test_a_proven_change_of_cost_too_small_for_the_usual_digits_keeps_its_first_digit():
    """Tightening tungsten's China cap to 45% from 2030 costs USD 4.83 M on USD 48,316 M, proven (far above the
    two plans' gaps): the console, the page's sentence and headline table said '(0%)' beside '+USD 4.83 M', and
    the Summary sheet's 0.0% read it the same.  Here 30 t more on 1,000,000 t: +USD 2.4 M, +0.003%, not 0%."""
    from planner.reports.compare_report import build_compare_html, build_compare_workbook, narrative, significant

    d = case([supplier("cn", "CHN", 80_000, 2e6)], 1e6)
    more = case([supplier("cn", "CHN", 80_000, 2e6)], 1e6 + 30)
    results, _ = run_cases([Case(BASE, "", d), Case("more", "", more)], TEST_OPTS, 1)
    base, r = results
    assert r.ok and significant(base, r)
    assert "+USD\u00a02.40\u00a0M (+0.003%)" in narrative(base, r), narrative(base, r)
    page = build_compare_html(results, "t", "s")
    table = page[page.index('<table class="data">', page.index(L.label("compare.sec.headline", "en"))):]
    cells = re.findall(r"<td(?: class=\"[^\"]*\")?>([^<]*)</td>", table[:table.index("</table>")])
    assert cells[len(cells) // 2 + 4] == "+0.003%", cells
    ws = build_compare_workbook(results, [])["Summary"]
    heads = [c.value for c in ws[1]]
    share = ws.cell(3, heads.index("delta_cost_pct") + 1)
    assert share.number_format == "0.000%" and f"{share.value:.3%}" == "0.003%"


def test_tonnes_left_unmet_after_a_ban_s_first_year_are_dated_to_the_years_they_are_short():
    """A ban on the only supply in 2025-2026 of 2024-2027, shortfalls allowed: the sentence said the second
    year's shortfall was 'unmet in 2026-2027', as if it ran to the end of the horizon; it is unmet in 2026."""
    from planner.reports.compare_report import narrative

    d = case([supplier("cn", "CHN", 100, 80, end=2027)], 60, years=(2024, 2027), allow_unmet=True)
    ban = dataclasses.replace(d, capacity_factor={("cn", 2025): 0.0, ("cn", 2026): 0.0})
    results, _ = run_cases([Case(BASE, "", d), Case("ban", "", ban, minerals=["li"], first_year=2025)], TEST_OPTS, 1)
    base, r = results
    assert r.ok and r.evaluation.indicators["li", 2027].unmet_t == 0
    en, ko = (narrative(base, r, lang).replace("\u00a0", " ") for lang in ("en", "ko"))
    assert "2025 shortfall 60 t; 60 t unmet in 2026." in en, en
    assert "2026년 부족량 60 t" in ko and "2026-2027" not in ko, ko


def test_a_sampled_hedged_comparison_says_its_scenarios_are_draws(tmp_path):
    """compare --hedged --sample said nowhere that its cases met equally likely draws of the Disruption risks
    sheet, as solve --hedged, stress, stockpile and coalition now say in their subtitles."""
    from planner.workbook.writer import write_input_workbook

    path = write_input_workbook(default_tables_for("gallium"), tmp_path / "ga.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(path), "-s", "gallium_ban", "--hedged", "--sample", "5", "-j",
                                       "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (page,) = out.glob("*.html")
    assert "scenarios drawn from the Disruption risks sheet (--sample 5 --seed 1)" in page.read_text()
