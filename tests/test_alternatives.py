"""planner alternatives: near-optimal plans (MGA).  Hand-solved cases whose ranges, extremes and
frontier are known; every alternative verified and within the budget; the reports written and drawn."""

import dataclasses
import json
import math
import re
import signal
import time
from html import unescape

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import DEFAULT_WORKBOOK, TEST_OPTS
from factory import (
    PolicyLimits, RecyclingOption, StockpileRule, case, default_tables_for, ending_in, set_policy, supplier,
)
from models.alternatives import AlternativesSession
from models.plan import OPTIMAL
from planner.cli import main
from planner.studies.alternatives import (
    DIRECTION, ERROR, FRONTIER, LEAST_COST, MIX, OptionError, budget_breach, mix_weights, parse_directions,
    parse_tradeoff, run_alternatives,
)
from planner.verify import verify
from planner.workbook.writer import write_input_workbook
from planner.reports import html
from planner.reports import labels as L
from planner.reports.plan_workbook import COLUMN_CM, PAGE_WIDTH_CM, PRINT_WIDTH, Col, sheet_name
from planner.workbook.reader import read_workbook
from render import chart_problems, chromium_binary, id_headers, render_html

ALL = parse_directions("china,recycling,partners,countries,stock")


def ranges_by_item(study):
    return {r.item.item: r for r in study.ranges}


def test_two_equal_cost_suppliers_are_each_free_between_nothing_and_the_demand():
    d = case([supplier("a", "AUS", 100, 200), supplier("b", "CHL", 100, 200)], 100)
    study = run_alternatives(d, TEST_OPTS, 0.0, [], 0)
    r = ranges_by_item(study)
    for s in ("a", "b"):
        assert r[s].low == pytest.approx(0, abs=1e-6) and r[s].high == pytest.approx(100, abs=1e-6)
        assert r[s].proven and not r[s].forced
    # no decision is forced: the story says so, not '0 are forced' ('0개는 고정')
    from planner.reports.alternatives_report import alternatives_narrative

    for lang, words in (("en", "None of the "), ("ko", "고정된 결정은 없습니다")):
        story = " ".join(alternatives_narrative(study, lang))
        assert words in story and " 0 are forced" not in story and "0개는 고정" not in story


def test_a_strictly_cheaper_supplier_at_zero_slack_is_a_point():
    d = case([supplier("a", "AUS", 100, 200), supplier("b", "CHL", 120, 200)], 100)
    study = run_alternatives(d, TEST_OPTS, 0.0, [], 0)
    r = ranges_by_item(study)
    assert r["a"].low == pytest.approx(100, abs=1e-6) and r["a"].high == pytest.approx(100, abs=1e-6)
    assert r["b"].low == pytest.approx(0, abs=1e-6) and r["b"].high == pytest.approx(0, abs=1e-6)
    assert r["a"].forced and r["b"].forced and r["a"].proven and r["b"].proven
    from planner.reports.alternatives_report import alternatives_narrative

    assert "Of 2 decisions ranged, 2 are forced" in " ".join(alternatives_narrative(study))


def china_case():
    """100 t a year for two years: China at 100 USD/t or Australia at 110, 100 t each."""
    return case([supplier("cn", "CHN", 100, 100, end=2025), supplier("au", "AUS", 110, 100, end=2025)], 100,
                years=(2024, 2025))


def test_least_china_and_its_frontier_are_the_hand_solved_shares():
    """Least cost: all Chinese, 20,000 USD.  5% more (1,000 USD) moves 1,000 / 10 = 100 t of 200 to
    Australia: a China share of 50%.  A quarter, half and three quarters of the allowance move 25, 50 and 75 t:
    87.5%, 75% and 62.5%."""
    study = run_alternatives(china_case(), TEST_OPTS, 0.05, [("china", "min")], 0, tradeoff=("china", "cost"))
    assert study.least_cost.cost_usd == pytest.approx(20_000)
    (least_china,) = study.of_kind(DIRECTION)
    assert least_china.measures["china"] == pytest.approx(0.5)
    assert least_china.value == pytest.approx(0.5) and least_china.bound == pytest.approx(0.5)
    assert least_china.cost_usd == pytest.approx(21_000)
    assert [a.measures["china"] for a in study.of_kind(FRONTIER)] == pytest.approx([0.875, 0.75, 0.625])


def rich_case():
    """Two minerals with China-linked and other options, recycling, stock and a cover floor."""
    years = (2024, 2026)
    sups = []
    for m in ("li", "co"):
        sups += [supplier(f"{m}_cn", "AUS", 100, 150, processing="CHN", mineral=m, end=years[1]),
                 supplier(f"{m}_au", "AUS", 115, 120, mineral=m, fixed=200, min_volume=10, end=years[1]),
                 supplier(f"{m}_id", "IDN", 108, 120, mineral=m, end=years[1]),
                 supplier(f"{m}_cl", "CHL", 120, 80, mineral=m, end=years[1])]
    ys = range(years[0], years[1] + 1)
    d = case(sups, 100, years=years, minerals=("li", "co"), discount_rate=0.05, min_contract_years=2,
             policy={(m, y): PolicyLimits(china_cap_share=0.8, stockpile_min_days=30) for m in ("li", "co")
                     for y in ys},
             recycling=[RecyclingOption("r_li", "li", 10, 400, 125, 1, 4, 1, 0.9)],
             feedstock={("li", y): 40.0 for y in ys},
             stockpile=[StockpileRule(m, 8, 4, 2, 60, initial_china_share=0.5) for m in ("li", "co")],
             basis="consumption")  # China counted as consumed: a direction the stock's pools can move
    aligned = {"KOR": (True, True, True, 1.0, False), "AUS": (True, True, True, 0.8, False),
               "CHL": (False, True, False, 0.6, False), "IDN": (False, False, False, 0.3, True),
               "CHN": (False, True, False, 0.2, True)}
    for code, (msp, fta, security, unga, restricts) in aligned.items():
        d.countries[code] = dataclasses.replace(d.countries[code], msp_member=msp, fta_with_korea=fta,
                                                security_treaty=security, unga_agreement_share=unga,
                                                export_restrictions=restricts)
    return d


@pytest.mark.parametrize("budget", ["mineral", "total"])
def test_every_alternative_is_verified_and_within_the_slack_of_the_proven_optimum(budget):
    d = rich_case()
    slack = 0.03
    study = run_alternatives(d, TEST_OPTS, slack, ALL, 3, budget=budget, ranges=False, tradeoff=("china", "cost"))
    least = study.least_cost
    assert least.status == OPTIMAL and least.plan.stats.gap <= 1e-8  # proven
    plans = study.alternatives[1:]
    assert {a.kind for a in plans} == {DIRECTION, MIX, FRONTIER} and len(study.of_kind(MIX)) == 3
    for alt in plans:
        assert alt.ok, (alt.name, alt.status, alt.why)
        assert verify(d, alt.plan).total_usd == pytest.approx(alt.cost_usd)  # verified like any plan
        assert alt.cost_usd <= (1 + slack) * least.cost_usd + 1e-6 * least.cost_usd
        if budget == "mineral":  # and each mineral within the slack of its own least cost
            for m, cost in alt.evaluation.costs_by_mineral_usd.items():
                assert cost <= (1 + slack) * least.evaluation.costs_by_mineral_usd[m] + 1e-3
    for alt in study.of_kind(DIRECTION):  # the solver's measure is the one recomputed from the verified plan
        name, way = alt.direction
        assert alt.value == pytest.approx(alt.measures[name], rel=1e-6, abs=1e-6)
        assert alt.measures[name] != pytest.approx(least.measures[name])  # every direction moved
        assert (alt.bound <= alt.value + 1e-9) if way == "min" else (alt.bound >= alt.value - 1e-9)


def test_a_total_budget_links_the_minerals_and_a_per_mineral_one_does_not():
    d = rich_case()
    for budget, blocks, words in (("mineral", 2, "2 blocks, one per mineral"),
                                  ("total", 1, "a single model: cost_budget links the minerals")):
        session = AlternativesSession(d, budget)
        session.solve(TEST_OPTS, shadow_prices=False)
        session.add_budget({"li": 10.0, "co": 10.0})
        assert len(session.blocks) == blocks and words in session.decomposition


def test_fewest_and_most_supplier_countries_by_hand():
    """100 t: Australia and Chile 100 USD/t for up to 60 t each, Indonesia 101 USD/t.  Least cost buys from
    two countries (10,000 USD).  Indonesia alone costs 1% more; a country counts from 1% of the demand
    (1 t), and 1 t from Indonesia costs 1 USD more."""
    d = case([supplier("a", "AUS", 100, 60), supplier("b", "CHL", 100, 60), supplier("c", "IDN", 101, 100)], 100)
    counts = {}
    for slack in (0.005, 0.02):
        study = run_alternatives(d, TEST_OPTS, slack, parse_directions("countries,countries:max"), 0, ranges=False)
        assert study.least_cost.measures["countries"] == 2
        counts[slack] = [a.measures["countries"] for a in study.of_kind(DIRECTION)]
    assert counts == {0.005: [2, 3], 0.02: [1, 3]}
    assert run_alternatives(d, TEST_OPTS, 0.0, parse_directions("countries:max"), 0, ranges=False
                            ).of_kind(DIRECTION)[0].measures["countries"] == 2


def test_the_budget_check_flags_a_plan_over_the_budget():
    d = china_case()
    loose = run_alternatives(d, TEST_OPTS, 0.05, [("china", "min")], 0, ranges=False)
    tight = run_alternatives(d, TEST_OPTS, 0.01, [("china", "min")], 0, ranges=False)
    over = loose.of_kind(DIRECTION)[0].evaluation
    assert budget_breach(loose, over) == ""
    assert "total 21,000 USD > budget 20,200 USD" in budget_breach(tight, over)


def test_ranges_are_proven_without_a_solve_where_a_plan_sits_at_the_decisions_own_bound():
    """The least-cost plan buys nothing from Chile and all of China's 100 t: those ends need no solve."""
    study = run_alternatives(china_case(), TEST_OPTS, 0.05, [], 0)
    r = ranges_by_item(study)
    assert (r["cn"].low, r["cn"].high) == pytest.approx((100, 200))  # at most 100 t a year of 200 t
    assert (r["au"].low, r["au"].high) == pytest.approx((0, 100))
    assert study.range_ends_known >= 2 and study.range_solves + study.range_ends_known == 2 * len(study.ranges)


def test_mix_weights_are_deterministic_and_spread_over_the_simplex():
    ws = mix_weights(3, 20)
    assert ws == mix_weights(3, 20)
    assert all(math.isclose(sum(w), 1.0) and min(w) > 0 for w in ws)
    for j in range(3):  # every direction leads some mix
        assert any(max(w) == w[j] for w in ws)


def test_ctrl_c_keeps_the_finished_alternatives():
    def interrupt(label, steps=1):
        if label == "most aligned partners":
            raise KeyboardInterrupt  # as if Ctrl-C arrived after the third direction

    study = run_alternatives(rich_case(), TEST_OPTS, 0.03, ALL, 3, ranges=False, on_step=interrupt)
    assert study.stopped
    assert [a.name for a in study.alternatives] == [LEAST_COST, "least China", "most recycling",
                                                    "most aligned partners"]


@pytest.mark.parametrize("args, text", [
    (["--directions", "china,mithril"], "'mithril' is not a direction"),
    (["--directions", "china:sideways"], "the way must be :min or :max"),
    (["--directions", "china", "--count", "3"], "--count mixes directions"),
    (["--tradeoff", "china"], "expected two different names"),
    (["--tradeoff", "cost,cost"], "expected two different names"),
    (["--slack", "nan"], "expected a share from 0 to 1"),
    (["--slack", "2"], "expected a share from 0 to 1"),
    (["--count", "101"], "101 is not in the range 0<=x<=100"),
    (["--budget", "galaxy"], "'galaxy' is not one of 'mineral', 'total'"),
    (["--threads", "0"], "from 1 to 256"),
])
def test_bad_options_are_refused_before_any_work(args, text):
    t0 = time.process_time()  # CPU time: the same on a machine busy with other work
    result = CliRunner().invoke(main, ["alternatives", str(DEFAULT_WORKBOOK), *args])
    assert result.exit_code == 2 and text in result.output, result.output
    assert time.process_time() - t0 < 2.0  # the workbook is read at most; nothing is solved


def test_parsers():
    assert parse_directions("China, stock:min,china") == [("china", "min"), ("stock", "min")]
    assert parse_tradeoff("cost,recycling") == ("cost", "recycling")
    with pytest.raises(OptionError):
        parse_tradeoff("china,mithril")


def test_a_total_budget_writes_reports_of_its_own(tmp_path):
    """'--budget total' wrote <stem>-alternatives.* as the per-mineral study does, and replaced its reports."""
    path = write_input_workbook(default_tables_for("gallium"), tmp_path / "one.xlsx")
    out = tmp_path / "out"
    for extra in ([], ["--budget", "total"]):
        result = CliRunner().invoke(main, ["alternatives", str(path), "-o", str(out), "--count", "0", "--no-ranges",
                                           "--directions", "china", "--gap", "1e-4", *extra])
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"one-alternatives{kind}.{k}" for kind in ("", "-total") for k in ("xlsx", "html", "json"))
    assert json.loads((out / "one-alternatives-total.json").read_text())["budget"] == "total"
    assert json.loads((out / "one-alternatives.json").read_text())["budget"] == "mineral"


def test_cli_writes_the_reports_and_they_draw(tmp_path):
    path = write_input_workbook(default_tables_for("graphite", "gallium"), tmp_path / "two.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["alternatives", str(path), "-o", str(out), "--count", "2", "--gap", "1e-4"])
    assert result.exit_code == 0, result.output
    xlsx, page, facts = (out / f"two-alternatives.{k}" for k in ("xlsx", "html", "json"))
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Alternatives", "Charts", "ByMineral", "Ranges", "Decisions", "Measures", "Run",
                             "ChartData"]
    measures = list(wb["Measures"].iter_rows(values_only=True))
    assert measures[0] == ("measure", "direction", "column", "default_way", "definition")
    assert [r[:4] for r in measures[1:3]] == [
        ("China-linked tonnes per tonne of demand", "china", "china_share", "least China (min)"),
        ("recycled share of demand", "recycling", "recycling_share", "most recycling (max)")]
    rows = list(wb["Alternatives"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows[:6]] == [LEAST_COST, "least China", "most recycling", "most aligned partners",
                                        "fewest supplier countries", "most stock"]
    assert all(r[4] != ERROR and r[7] <= 0.02 + 1e-9 for r in rows)  # status, cost_change_pct
    ranges = list(wb["Ranges"].iter_rows(min_row=2, values_only=True))
    assert len(ranges) == 5 + 4 + 2 + 2  # suppliers, the battery and cell-scrap plants (graphite), stocked minerals
    assert chart_problems(xlsx) == []
    # The range charts one under another, each whole on the page at a scale a table is printed at: two 20-cm charts
    # side by side printed the default case's at 42%, their decisions' names in 3-point type.
    charts = wb["Charts"]
    assert {c.anchor._from.col for c in charts._charts} == {0}
    assert charts.page_setup.scale >= 100 * PAGE_WIDTH_CM / (PRINT_WIDTH * COLUMN_CM)
    text = page.read_text(encoding="utf-8")
    assert "Least China: China-linked tonnes per tonne of demand" in text and "The range of each decision" in text
    # The ranges in words: each option by its name with its id in brackets, under headers in words, not ids.
    d = read_workbook(path).data
    assert all(f"<td>{html.esc(L.option_name(d, s))}</td>" in text for s in d.suppliers)
    assert id_headers(text) == [] and "both ends proven" in text and "<td>supplier</td><td>gr_" not in text
    assert_ranges_named_as_the_tables_name_them(text, wb, d, "en")
    # Every figure rests on the workbook's, estimates where its Sources say so: the page and the cost's note say so.
    d_estimates = len(d.estimated_sources)
    assert d_estimates and f"(estimates where its Sources say so: {d_estimates} Sources rows marked estimate)" in text
    assert "estimates where its Sources say so" in wb["Alternatives"]["F1"].comment.text
    # Stock days as every page writes them: a table's cell with the catalogue's short unit, a sentence in words.
    cells = re.findall(r'<td class="num">(\d[\d,]*(?:\u00a0d| days))</td>', text)
    assert cells and all(c.endswith("\u00a0d") for c in cells), cells
    assert re.search(r"Most stock: stock \d+ days in the least-cost plan", text)
    run = json.loads(facts.read_text())
    assert run["slack"] == 0.02 and run["budget"] == "mineral" and run["interrupted"] is False
    assert set(run["outputs_sha256"]) == {xlsx.name, page.name}
    if chromium_binary():
        assert render_html(page, tmp_path / "page.png") == []


def test_sigterm_keeps_the_finished_alternatives(tmp_path):
    """A real process on the default case, stopped after its third step."""
    from test_signals import Live

    live = Live("alternatives", str(DEFAULT_WORKBOOK), "-o", str(tmp_path), "--no-ranges")
    live.wait_for(" 3/")
    live.proc.send_signal(signal.SIGTERM)
    exit_code, err = live.finish()
    assert exit_code == 143, err
    assert "Traceback" not in live.out + err and "terminated (SIGTERM): the report holds the " in err, err
    kept = int(err.split("the report holds the ")[1].split()[0])
    rows = list(load_workbook(tmp_path / "korea_2030-alternatives-stopped.xlsx")["Alternatives"].iter_rows(min_row=2))
    assert 3 <= kept == len(rows) < 15
    assert json.loads((tmp_path / "korea_2030-alternatives-stopped.json").read_text())["interrupted"] is True


def test_a_direction_no_decision_can_move_is_not_applicable_and_leaves_nothing_to_mix():
    study = run_alternatives(china_case(), TEST_OPTS, 0.03, parse_directions("recycling,china"), 2, ranges=False)
    recycling, china = study.of_kind(DIRECTION)
    assert recycling.status == "not applicable" and china.ok
    assert study.of_kind(MIX) == []  # one direction moved: nothing to trade off
    # Worded in the report's language: the Korean page read '재자원화 최대: not applicable (...)'.
    from planner.reports.alternatives_report import alternatives_narrative

    assert L.status(recycling.status, "ko") == "해당 없음" and L.status(recycling.status) == "not applicable"
    story = " ".join(alternatives_narrative(study, "ko"))
    assert "해당 없음" in story and "not applicable" not in story, story


def test_the_range_chart_draws_free_and_forced_ranges_and_escapes_text():
    from planner.reports.html import RangeRow, range_chart
    from test_html import EVIL, NS, svg

    root = svg(range_chart(EVIL, [RangeRow("free", 0.1, 0.6, 0.2, group=EVIL), RangeRow("forced", 0.4, 0.4, 0.4,
                                                                                          group=EVIL),
                                  RangeRow(EVIL, None, None)], x_format="percent", x_label=EVIL))
    assert len(root.findall(".//s:g[@class='range']", NS)) == 2  # a row without figures is left out
    assert len(root.findall(".//s:g[@class='range']/s:rect", NS)) == 1  # free: a bar
    assert len(root.findall(".//s:g[@class='range']/s:line", NS)) == 1  # forced: an upright line
    assert [t.text for t in root.findall(".//s:text[@class='group']", NS)] == [EVIL]  # one heading, escaped
    assert root.find(".//s:text[@class='no-data']", NS) is None
    assert svg(range_chart("nothing", [])).find(".//s:text[@class='no-data']", NS).text == "\u2013"


def test_alternatives_at_the_least_cost_read_0_percent_above_it_not_a_signed_round_off(tmp_path):
    """With no slack every alternative costs the least cost, to round-off: the console read '+0.000%' (or
    '-0.000%'), as the page reads it, 0%."""
    path = write_input_workbook(default_tables_for("gallium"), tmp_path / "ga.xlsx")
    result = CliRunner().invoke(main, ["alternatives", str(path), "-o", str(tmp_path / "out"), "--slack", "0",
                                       "--count", "1", "--gap", "1e-4", "--no-ranges"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("  ") and "USD" in line][1:]
    assert rows and all(line.split()[-1] == "0%" for line in rows), result.output
    assert "0.000%" not in result.output


def test_an_infeasible_case_gets_its_diagnosis_and_no_alternatives(tmp_path):
    tables = default_tables_for("gallium")
    set_policy(tables, 2026, "gallium", china_cap_share=0.0)
    path = write_input_workbook(tables, tmp_path / "tight.xlsx")
    result = CliRunner().invoke(main, ["alternatives", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "China cap, gallium 2026: is 0%, must be at least" in result.output
    assert "no alternatives written" in result.output and list((tmp_path / "out").iterdir()) == []


@pytest.fixture(scope="module")
def korean(tmp_path_factory):
    """A Korean run on graphite and gallium (both stocked, gallium's options all estimates): its page text,
    its workbook and its case."""
    tmp = tmp_path_factory.mktemp("ko")
    path = write_input_workbook(default_tables_for("graphite", "gallium"), tmp / "two.xlsx")
    out = tmp / "out"
    result = CliRunner().invoke(main, ["alternatives", str(path), "-o", str(out), "--count", "1", "--gap", "1e-4",
                                       "--lang", "ko"])
    assert result.exit_code == 0, result.output
    return ((out / "two-alternatives.html").read_text(encoding="utf-8"), load_workbook(out / "two-alternatives.xlsx"),
            read_workbook(path).data)


def range_chart_rows(page: str) -> list[str]:
    """The names the page's range charts give their rows, each name's wrapped lines joined again."""
    texts = re.findall(r'<g class="range"><title>[^<]*</title><text[^>]*>(.*?)</text>', page)
    return [unescape(" ".join(re.findall(r">([^<]+)<", f">{t}<"))) for t in texts]


def assert_ranges_named_as_the_tables_name_them(page: str, wb, d, lang: str) -> None:
    """The range charts (page and workbook) and the Ranges sheet name each decision as the page's ranges table
    does, by its name from the dataset and the catalogue (labels.decision_name); they named it by its id
    ('gr_chn_chn (CHN>CHN)', 'bat_hydro', an agreement's partners' ISO codes), and the sheet by its id alone."""
    ranges = list(wb[sheet_name("Ranges", lang)].iter_rows(values_only=True))
    head = ranges[0]
    family, item = (head.index(Col(*c).head(lang)) for c in (("family", ""), ("item", "", "", "range_item")))
    decisions = [(r[family], r[item]) for r in ranges[1:]]
    named = {(f, k): L.decision_name(d, f, k, lang) for f, k in decisions}
    assert sorted(range_chart_rows(page)) == sorted(named.values())
    charted = {r[0] for r in wb[sheet_name("ChartData", lang)].iter_rows(values_only=True)}
    assert {n for (f, _), n in named.items() if f in ("supplier", "stock")} <= charted
    assert not [c for c in charted if isinstance(c, str) and re.search(r"\(\w+>\w+\)|_", c) and c not in named.values()]
    assert head[item + 1] == Col("name", "", key="range_item_name").head(lang)  # the name beside the id
    assert [r[item + 1] for r in ranges[1:]] == [L.decision_name(d, f, k, lang, with_id=False) for f, k in decisions]


def test_the_range_charts_and_the_ranges_sheet_name_each_decision_as_the_ranges_table_does(korean):
    text, wb, d = korean
    assert_ranges_named_as_the_tables_name_them(text, wb, d, "ko")
    assert "(CHN>CHN)" not in text


def test_a_korean_page_says_which_range_ends_needed_no_solve_in_plain_korean(korean):
    text, _, _ = korean
    assert "안 끝" not in text  # read as "not finished"
    assert re.search(r"HiGHS 풀이 \d+회, 풀이 없이 확정된 범위 끝값 \d+개", text)


def test_a_korean_page_names_minerals_and_writes_days_in_the_catalogues_unit(korean):
    """The plans that took a stock to its least or most by the mineral's Korean name, in the page and the
    workbook; stock days as '131일', not '131 d'."""
    text, wb, d = korean
    for m in ("graphite", "gallium"):
        assert f"{m} 최소" not in text and f"{m} 최대" not in text
    heads = [c.value for c in wb["범위"][1]]
    by = [heads.index(L.label(f"head.{k}_found_by", "ko")) for k in ("low", "high")]
    found_by = {row[k] for row in wb["범위"].iter_rows(min_row=2, values_only=True) for k in by}
    assert not any(isinstance(v, str) and re.search(r"\b(graphite|gallium)\b", v) for v in found_by), found_by
    assert {"흑연 비축 최소", "갈륨 비축 최소"} & found_by or {"흑연 비축 최대", "갈륨 비축 최대"} & found_by, found_by
    assert not re.search(r"\d d\b", re.sub(r"<svg.*?</svg>", "", text, flags=re.S))
    assert re.search(r"<td class=\"num\">\d+일</td>", text) and re.search(r"흑연 \d+일 \u2192 \d+일", text)


def test_the_plans_that_found_a_range_end_are_named_by_their_decision_in_english_too(tmp_path):
    """The English ranges table and Ranges sheet named the plan that took a decision to its least or most by the
    decision's id ('least gr_chn_chn', 'most ga_kaz_kaz'), and the plan of the least graphite stock 'least
    graphite', where the Korean ones name the decision ('흑연 중국 (gr_chn_chn) 최소', '흑연 비축 최소').  English
    now names it as the row does: 'least stock of graphite', 'least <the option's name> (gr_chn_chn)'."""
    path = write_input_workbook(default_tables_for("graphite", "gallium"), tmp_path / "two.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["alternatives", str(path), "-o", str(out), "--count", "1", "--gap", "1e-4"])
    assert result.exit_code == 0, result.output
    d = read_workbook(path).data
    ws = load_workbook(out / "two-alternatives.xlsx")["Ranges"]
    heads = [c.value for c in ws[1]]
    by = [heads.index(k) for k in ("low_found_by", "high_found_by")]
    found_by = {row[k] for row in ws.iter_rows(min_row=2, values_only=True) for k in by}
    ends = {v for v in found_by if isinstance(v, str) and v.split(" ", 1)[0] in ("least", "most")
            and not v.startswith(("least cost", "least China", "most recycling", "most aligned", "most stock"))}
    assert ends, found_by  # the case this test is about: plans of the ranges' own solves found some ends
    bare = set(d.suppliers) | set(d.minerals) | set(d.recycling) | set(d.agreements) | set(d.refineries)
    assert not [v for v in ends if v.split(" ", 1)[1] in bare], ends
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    family, item, name = (heads.index(k) for k in ("family", "item", "name"))
    names = {f"{r[name]} ({r[item]})" for r in rows if r[family] != "stock"} | {
        L.label("alt.stock_of", "en", mineral=m) for m in ("graphite", "gallium")}
    assert [v for v in ends if v.split(" ", 1)[1] not in names] == [], ends
    page = (out / "two-alternatives.html").read_text(encoding="utf-8")
    assert not re.search(r"<td>(least|most) (gr|ga)_", page)


def test_every_range_chart_title_starts_as_a_sentence_does():
    """The page's range charts were titled 'supplier ranges within the budget: ...', 'stock ranges ...',
    'agreement ranges ...', in lower case, under and beside titles that start in upper case."""
    from planner.reports.alternatives_report import build_alternatives_html

    d = case([supplier("cn_mine", "CHN", 50, 200), supplier("au_mine", "AUS", 60, 100),
              supplier("cl_mine", "CHL", 60, 100)], 80)
    study = run_alternatives(d, TEST_OPTS, 0.5, parse_directions("china"), 0)
    page = build_alternatives_html(study, ("china", "cost"), "t", "s")
    titles = [unescape(t) for t in re.findall(r'<svg[^>]*aria-label="([^"]*)"', page)]
    ranges = [t for t in titles if " ranges within the budget" in t]
    assert ranges, titles  # the case this test is about
    assert [t for t in titles if t[:1].islower()] == [], titles


def test_a_korean_report_says_its_figures_are_estimates_where_the_sources_say_so(korean):
    text, wb, d = korean
    assert f"(Sources가 그렇게 표시한 곳은 추정치: 해당 Sources 행 {len(d.estimated_sources)}개)" in text
    assert "추정치" in wb["대안"]["F1"].comment.text


def test_the_measures_sheet_names_each_measure_and_the_budget_row_in_the_reports_language(korean):
    """The Measures sheet named each measure by its ids alone ('china', 'china_share', 'min'): each is named in words,
    as the Alternatives sheet heads its column, its way in words; the ids stay in columns of their own."""
    _, wb, _ = korean
    rows = list(wb["측정 기준"].iter_rows(min_row=2, values_only=True))
    assert rows[0][:4] == ("수요 톤당 중국 연계 물량", "china", "china_share", "중국 최소 (min)")
    assert rows[-1][:3] == ("(예산)", None, "cost_change_pct") and "C*" in rows[-1][4]
    heads = next(wb["대안"].iter_rows(max_row=1, values_only=True))
    assert all(r[0] in heads and L.is_korean(r[3]) for r in rows[:-1])
    assert all(L.is_korean(str(r[0])) and L.is_korean(str(r[4])) for r in rows)


def test_zero_slack_writes_its_reports_with_every_decision_forced_and_no_frontier(tmp_path):
    """'planner alternatives --slack 0' (the README's 'at zero slack all are forced') ended in an internal
    error: the plans' China measures differ by round-off only, and the trade-off chart found no x tick.  It
    also solved the frontier three times at 0% ('least China within 0.00%' thrice)."""
    path = write_input_workbook(default_tables_for("gallium"), tmp_path / "ga.xlsx")
    r = CliRunner().invoke(main, ["alternatives", str(path), "--slack", "0", "--count", "0", "-o",
                                  str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert "China within 0.00%" not in r.output and re.search(r"ranges: (\d+) decisions, 0 free and \1 forced", r.output)
    assert "<svg" in (tmp_path / "out" / "ga-alternatives.html").read_text(encoding="utf-8")


def test_a_chart_of_x_values_apart_by_round_off_draws_them_at_one_tick():
    chart = html.line_chart("t", [html.Series("a", [(0.7651, 0.0), (0.7651 + 1e-13, 0.0), (0.7651 + 2e-13, 1e-9)])],
                            x_format="percent")
    assert re.findall(r'class="tick-x"[^>]*>([^<]*)<', chart) == ["77%"]  # one tick, as for one x value


def test_a_decision_no_plan_can_move_within_the_horizon_is_a_known_point_not_an_internal_error(tmp_path):
    """Gallium and graphite over 2026-2027: a recycling plant that can be built only after 2027 has a range no
    solve can push (no decision within the horizon moves it); the run ended in exit 5, "internal error
    (ValueError: the measure depends on no decision)", with no report.  Such a range is forced at the value
    every plan has, known without a solve."""
    tables = ending_in(default_tables_for("gallium", "graphite"), 2027)
    for r in tables["Disruptions"] + tables["Disruption risks"] + tables["Scenarios"]:
        for k in ("first_year", "last_year"):
            if isinstance(r.get(k), int) and r[k] > 2027:
                r[k] = 2027
    workbook = write_input_workbook(tables, tmp_path / "short.xlsx")
    d = read_workbook(workbook).data
    study = run_alternatives(d, TEST_OPTS, 0.02, ALL, 1)
    unmoved = [r for r in study.ranges if r.solves == 0 and r.low == r.high]
    assert unmoved and all(r.low_bound == r.high_bound == r.low for r in unmoved)
    assert not [a for a in study.alternatives if a.status == ERROR]
    result = CliRunner().invoke(main, ["alternatives", str(workbook), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output and len(list((tmp_path / "out").iterdir())) == 3


def test_a_korean_refinery_s_modules_are_not_named_recycling():
    """Lithium from China, or Australian feed refined in a Korean refinery that must be built, and a recycling
    plant: the page's chart 'recycling ranges within the budget' and the ranges table's 'recycling' rows named
    the refinery's modules recycling.  The chart now names both kinds, each row its own."""
    from models.dataset import Refinery
    from planner.reports.alternatives_report import build_alternatives_html

    years = (2024, 2026)
    feed = dataclasses.replace(supplier("feed", "AUS", 60, 100, processing="KOR", end=years[1]), refinery_id="kr")
    d = case([supplier("cn", "CHN", 50, 200, end=years[1]), feed], 80, years=years,
             recycling=[RecyclingOption("r", "li", 15, 800, 120, 2, 5, 1, 0.9)],
             feedstock={("li", y): 50.0 for y in range(years[0], years[1] + 1)})
    d = dataclasses.replace(d, refineries={"kr": Refinery("kr", "li", 40, 500, 5, 0, 2, 1, 5)})
    study = run_alternatives(d, TEST_OPTS, 0.5, parse_directions("china"), 0)
    modules = {r.item.item for r in study.ranges if r.item.family == "recycling"}
    assert modules == {"r", "kr"}
    for lang in L.LANGS:
        page = build_alternatives_html(study, ("china", "recycling"), "t", "s", lang)
        both = L.label("alt.family_name.recycling_refining", lang)
        assert html.esc(L.capital(L.label("alt.chart.ranges", lang, family=both,
                                          axis=L.label("alt.range_axis.recycling", lang)))) in page
        table = page[page.rindex('<table class="data">'):]
        kinds = {cells[1]: cells[0] for cells in
                 (re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table))
                 if len(cells) > 1}
        refinery = next(v for k, v in kinds.items() if k.endswith("(kr)"))
        plant = next(v for k, v in kinds.items() if k.endswith("(r)"))
        assert (refinery, plant) == (L.label("alt.family_name.refining", lang),
                                     L.label("alt.family_name.recycling", lang)), kinds


def test_the_ranges_table_fits_a_page_leaving_the_workbook_its_solves_and_proven_bounds():
    """The whole case's ranges table was 1,380 px wide at 14 columns, past a 1,300 px window (it scrolled
    sideways).  Every end proven, 'no plan has less' and 'no plan has more' repeated the least and the most;
    the HiGHS solves per decision are the workbook's (the page's summary counts them)."""
    from planner.reports.alternatives_report import build_alternatives_html, range_rows

    d = case([supplier("cn_mine", "CHN", 50, 200), supplier("au_mine", "AUS", 60, 100),
              supplier("cl_mine", "CHL", 60, 100)], 80)
    study = run_alternatives(d, TEST_OPTS, 0.5, parse_directions("china"), 0)
    assert study.ranges and all(r.proven for r in study.ranges)
    for lang in L.LANGS:
        page = build_alternatives_html(study, ("china", "cost"), "t", "s", lang)
        table = page[page.rindex('<table class="data">'):]
        heads = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th\b[^>]*>(.*?)</th>", table)]
        assert len(heads) <= 11, heads
        gone = [L.page_head(c, lang) for c in range_rows(study, lang)[0] if c.name in ("low_bound", "high_bound",
                                                                                      "solves")]
        assert len(gone) == 3 and not set(gone) & set(heads), heads
        # The plans that found the ends ('least au_mine') break after an id's _.
        found = [cells[-2:] for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row)
                                          for row in re.findall(r"<tr>(.*?)</tr>", table)) if cells]
        assert any("_" in c for pair in found for c in pair), found
        assert all("_" not in c or "_<wbr>" in c for pair in found for c in pair), found


def test_plans_of_the_same_cost_to_the_dollar_are_told_apart_by_their_measures(tmp_path):
    """Gallium's five mixes each spend the whole 2% allowance: the console printed five lines of the same cost,
    which read as one plan printed five times.  It now says which plans cost the same and whether their measures
    (the Alternatives sheet's) differ."""
    path = write_input_workbook(default_tables_for("gallium"), tmp_path / "ga.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["alternatives", str(path), "-o", str(out), "--no-ranges"])
    assert result.exit_code == 0, result.output
    head, *rows = load_workbook(out / "ga-alternatives.xlsx")["Alternatives"].iter_rows(values_only=True)
    cost, first = head.index("cost_usd"), head.index("china_share")
    measures = {r[0]: r[first:first + 5] for r in rows}
    by_cost: dict[int, list[str]] = {}
    for r in rows[1:]:  # the least-cost plan is the yardstick, not one of the alternatives
        if r[cost] is not None:
            by_cost.setdefault(round(r[cost]), []).append(r[0])
    tied = [names for names in by_cost.values() if len(names) > 1]
    assert any(all(n.startswith("mix") for n in names[-5:]) for names in tied), tied  # the five mixes at least
    said = [line for line in result.output.splitlines() if "the same cost to the dollar" in line]
    assert len(said) == len(tied), result.output
    for names in tied:
        apart = len({measures[n] for n in names}) > 1
        words = "their measures differ (the Alternatives sheet)" if apart else "the same measures too"
        assert f"  {', '.join(names)}: the same cost to the dollar; {words}" in said, (said, names)


def test_the_story_of_a_direction_says_each_unit_once_and_names_minerals_as_a_sentence_does(tmp_path):
    """The default case's story read 'Most stock: stock days 103 days in the least-cost plan, 197 days at +1.89%
    ...; most for Lithium 96 days → 234 days', the unit twice and a mineral capitalised mid-sentence."""
    from planner.reports.alternatives_report import alternatives_narrative

    d = read_workbook(write_input_workbook(default_tables_for("graphite", "gallium"), tmp_path / "two.xlsx")).data
    study = run_alternatives(d, TEST_OPTS, 0.02, parse_directions("stock"), 0, ranges=False)
    n = r"[\d,]+"
    for lang, sentence in (
            ("en", rf"Most stock: stock {n} days in the least-cost plan, {n} days at .*; most for graphite {n} days "
                   rf"\u2192 {n} days, gallium {n} days"),
            ("ko", rf"비축 최대: 비축, 최소비용 계획 {n}일, 이 계획 {n}일, .*가장 크게 움직인 광물: 흑연 {n}일 \u2192 {n}일, "
                   rf"갈륨 {n}일")):
        said = alternatives_narrative(study, lang)[1]
        assert re.match(sentence, said), (lang, said)


def test_a_direction_that_goes_no_further_than_the_least_cost_plan_says_so_and_why_there_are_no_mixes():
    """The least-cost plan of china_case buys from China alone: one supplier country, the fewest there can be.
    The page read 'Fewest supplier countries: supplier countries 1 in the least-cost plan, 1 at +x% (USD ...)',
    the solver's plan at the same count read as what one country costs, and with 2 mixes asked and none made it
    said nothing of them. Now it says the direction goes no further, and why there are no mixes."""
    from planner.reports.alternatives_report import alternatives_narrative

    study = run_alternatives(china_case(), TEST_OPTS, 0.05, parse_directions("china,countries"), 2, ranges=False)
    china, countries = study.of_kind(DIRECTION)
    assert study.least_cost.measures["countries"] == countries.measures["countries"] == 1
    assert china.measures["china"] < study.least_cost.measures["china"] and study.of_kind(MIX) == []
    unmoved = {"en": "supplier countries 1 in the least-cost plan already; no plan within the budget goes further",
               "ko": "최소비용 계획이 이미 1; 예산 이내에서 더 나아가는 계획은 없습니다"}
    for lang in L.LANGS:
        story = " ".join(alternatives_narrative(study, lang))
        assert unmoved[lang] in story, story
        assert L.label("alt.story.no_mixes", lang) in story
    assert "1 in the least-cost plan, 1 at" not in " ".join(alternatives_narrative(study, "en"))


def test_the_console_keeps_its_columns_for_a_long_plan_name(tmp_path):
    """A plan's name longer than 28 characters ('most supplier countries within 0.50%') pushed its status, cost and
    share out of their columns: the names' column is now as wide as the longest."""
    path = write_input_workbook(default_tables_for("gallium"), tmp_path / "ga.xlsx")
    result = CliRunner().invoke(main, ["alternatives", str(path), "-o", str(tmp_path / "out"), "--directions",
                                       "countries:max,stock:min", "--count", "1", "--gap", "1e-4", "--no-ranges"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("  ") and line.rstrip().endswith("%")]
    assert any(len(line.split(" optimal")[0].rstrip()) > 30 for line in rows), result.output
    assert len({line.index(" optimal") for line in rows}) == 1, result.output
    assert len({line.index(" USD") for line in rows}) == 1, result.output
