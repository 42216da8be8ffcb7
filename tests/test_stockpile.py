"""planner stockpile: risk-based days of stock per mineral against the mandate (issue 21).  The
two-step newsvendor of test_economics solved by hand, its properties, and the command end to end."""

import dataclasses
import html
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.chart import ScatterChart
from openpyxl.utils import get_column_letter

from conftest import DEFAULT_WORKBOOK, TEST_OPTS
from factory import default_tables_for
from planner.cli import main
from planner.reports import stockpile_report
from planner.reports.resilience_report import protection_heads
from planner.reports.plan_workbook import LINE_PT, SENTENCE_WIDTH, label_columns, sheet_name, text_width
from planner.reports import labels as L
from planner.reports.stockpile_report import (
    _whole, build_html, build_workbook, mandate_words, no_plan_words, summary, titles,
)
from planner.studies.stockpile import floors, study
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook
from render import id_headers
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
    assert ms.reference(180.0).objective_usd > ms.reference(100.0).objective_usd + 1
    # The mandate's margin: lost output, 30 t of stock leave cut50 20 t at 30 and cut100 20 t at 30 + 50 at
    # 110: 0.15 x 600 + 0.1 x 6,100 = 700 USD; 40 t leave 0.15 x 300 + 0.1 x 5,000 = 545.  The 10 t more
    # cost 10 x 20 = 200 before any disruption: 155 / 200 = 0.775 USD of output per extra USD (an average
    # over all the stock, as the Protection table gives, would be another figure).
    assert rb.expected_lost_output_usd == pytest.approx(700) and md.expected_lost_output_usd == pytest.approx(545)
    assert ms.mandate_avoided_per_extra_usd == pytest.approx(0.775)
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


def test_stockpile_from_the_command_line(tmp_path, monkeypatch):
    """One mineral of the default case, two floors: the three reports together, the Protection sheet, the
    headline in the .json; the input untouched; bad options are usage errors before any solve.  The
    summary is made once, for the .json, the workbook, the page in both and the console."""
    made, real = [], stockpile_report.summary
    monkeypatch.setattr(stockpile_report, "summary", lambda *a: made.append(1) or real(*a))
    before = DEFAULT_WORKBOOK.read_bytes()
    result = CliRunner().invoke(main, ["stockpile", str(DEFAULT_WORKBOOK), "-m", "gallium", "--days", "0,100",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert DEFAULT_WORKBOOK.read_bytes() == before
    assert len(made) == 1
    stem = tmp_path / "korea_2030-stockpile-gallium"  # one mineral: not the full run's name
    wb = load_workbook(f"{stem}.xlsx")
    assert {"Summary", "Curve", "Protection", "Charts", "Run"} <= set(wb.sheetnames)
    summary = [[c.value for c in r] for r in wb["Summary"].iter_rows(min_row=1, max_row=2)]
    assert summary[1][0] == "gallium" and summary[1][1] > 0
    facts = json.loads(open(f"{stem}.json").read())
    page = open(f"{stem}.html").read()
    row = dict(zip(summary[0], summary[1]))
    assert facts["gallium_mandate_days"] == pytest.approx(row["mandate_days"])
    # The cover the plan holds with no disruption at all, which the risk-based days include (a China cap
    # bought ahead of), in every output.
    assert facts["gallium_calm_days"] == pytest.approx(row["calm_days"])
    assert 60 < row["calm_days"] < row["risk_based_days"]
    assert "with no disruption at all it would still hold 68 days" in page
    # A yes or no is true or false in the .json, as every report's, and in words on the Run sheet.
    assert facts["gallium_mandate_cost_significant"] is True and facts["stopped"] is False
    # with the range the solves prove, which decides that verdict: significant, so it holds no 0
    low, high = facts["gallium_mandate_cost_low_usd"], facts["gallium_mandate_cost_high_usd"]
    assert 0 < low <= facts["gallium_mandate_cost_usd"] <= high
    assert (low, high) == pytest.approx((row["mandate_cost_low_usd"], row["mandate_cost_high_usd"]))
    run = dict(wb["Run"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert (run["gallium_mandate_cost_significant"], run["stopped"]) == ("yes", "no")
    assert "gallium" in page.lower()  # by its Minerals sheet name
    # The default mandate is Korea's path, named as such; its cost falls in the years it lifts the cover.
    assert "against the mandate&#x27;s path, 69 days in 2026 to 100 by 2030 (mean 92 over 2026-2035)" in page
    assert "92 d (69 \u2192 100)" in result.output.replace("->", "\u2192")
    # Every row significant: no asterisk, so no legend for one.
    assert "*" not in result.output and "not significant" not in result.output
    for bad in (["--days", "0:x"], ["-m", "unobtainium"], ["--days", "-5"]):
        r = CliRunner().invoke(main, ["stockpile", str(DEFAULT_WORKBOOK), *bad, "-o", str(tmp_path / "bad")])
        assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert not (tmp_path / "bad").exists()


def test_no_uniform_floor_costs_less_than_none():
    """Why the report names no "best uniform days": each higher floor only rules plans out, so along the
    curve the proven objective never falls, and its lowest floor (0 days) is the risk-based plan."""
    (ms,) = study(two_step(), ["li"], [0.0, 30.0, 110.0, 130.0, 150.0], TEST_OPTS).minerals
    curve = [p for p in ms.curve if p.tested]
    assert [p.days for p in curve] == sorted(p.days for p in curve) and len(curve) >= 6
    for lower, higher in zip(curve, curve[1:]):
        assert higher.objective.high >= lower.objective.low
    assert curve[0].days == 0 and curve[0].objective_usd == pytest.approx(ms.risk_based.objective_usd, abs=1e-6)
    assert curve[-1].objective_usd > ms.risk_based.objective_usd + 1  # 180 days binds: it costs


KOREA_PATH = {2026: 69.0, 2027: 77.0, 2028: 85.0, 2029: 92.0, **{y: 100.0 for y in range(2030, 2036)}}


def test_the_mandate_is_named_as_the_path_it_is():
    """The mandate is solved year by year, so the report names its path, with the mean it shows beside."""
    assert mandate_words(KOREA_PATH) == "the mandate's path, 69 days in 2026 to 100 by 2030 (mean 92 over 2026-2035)"
    assert mandate_words(KOREA_PATH, "ko") == "의무 비축 경로(2026년 69일에서 2030년까지 100일, 2026-2035년 평균 92일)"
    assert mandate_words({2026: 60.0, 2027: 60.0, 2029: 60.0}) == "a mandate of 60 days in 2026-2027 and 2029"
    assert mandate_words({2026: 60.0, 2027: 60.0, 2029: 60.0}, "ko") == "2026-2027·2029년 의무 60일"
    # A figure that rounds to 0 carries no sign: a day that "saves" -0.4 USD of round-off saves 0.
    assert str(_whole(-0.4)) == "0.0" and _whole(-64.2) == -64 and _whole(None) is None


def test_the_report_says_what_its_numbers_are_in_english_and_korean():
    """The newsvendor with a 146-day mandate: the page names the mandate, explains why no uniform floor
    is best, and tells its margin per USD from the Protection table's average, in both languages."""
    d = two_step(146.0)
    s = study(d, ["li"], [0.0, 73.0], TEST_OPTS)
    (r,) = summary(d, s)
    assert r["mandate_days"] == 146 and r["mandate_path_days"] == "146" and r["binds"] == [2024]
    assert "best_uniform_days" not in r
    pages = {lang: build_html(d, s, summary(d, s), *titles("case.xlsx", d, TEST_OPTS.mip_gap, "0" * 64, lang), lang)
             for lang in ("en", "ko")}
    en, ko = pages["en"], pages["ko"]
    assert "against a mandate of 146 days in 2024;" in en and "it lifts the cover in 2024," in en
    assert "best uniform" not in en and "no uniform floor costs less than none" in en
    assert "mandate&#x27;s extra stock: lost output avoided per extra USD" in en
    assert "Per USD of stock here is an average" in en
    assert id_headers(en) == []  # the page's tables are headed in words (the workbook keeps the ids)
    assert "2024년 의무 146일 대비" in ko and "2024년에 비축을 올림" in ko and "110일이 보유할" in ko
    assert "어떤 균일 하한도 하한이 없을 때보다 싸지 않습니다" in ko and "의무 추가 비축: 추가 1 USD당 막은 생산 손실" in ko
    assert "최적 균일" not in ko
    # A day's saving and cost are one split of a proven change: a small negative saving is no proven loss.
    assert "a small negative saving is that split, not a proven loss" in en and "증명된 손실이 아닙니다" in ko


def test_the_protection_table_names_the_unit_of_every_amount():
    """The amounts avoided by stock, lines, second sources and recycling read '198 M' in their cells, so
    their headers carry the USD M the cells leave out (they read 'avoided: stock', 'lines', ...)."""
    d = two_step(146.0)
    s = study(d, ["li"], [0.0, 73.0], TEST_OPTS)
    for lang in ("en", "ko"):
        heads = protection_heads(lang)
        money = heads[:6] + [heads[7]]  # all but the two ratios (USD avoided per USD)
        assert all(h.endswith("(USD M)") for h in money), money
        page = build_html(d, s, summary(d, s), *titles("case.xlsx", d, TEST_OPTS.mip_gap, "0" * 64, lang), lang)
        assert all(f">{h}</th>" in page.replace("&#x27;", "'").replace("\u00a0", " ") for h in money)


def test_the_mandate_marker_is_named_by_the_cover_it_is_placed_at():
    """A 73-day mandate binds nothing: its plan holds the risk-based 109.5 days, and its marker stands
    there on the days axis; the legend named it 'mandate (mean 73 days)', a point at 110."""
    d = two_step(73.0)
    s = study(d, ["li"], [0.0, 146.0], TEST_OPTS)
    assert s.minerals[0].mandate.mean_cover_days == pytest.approx(109.5, abs=1e-3)
    en = build_html(d, s, summary(d, s), *titles("case.xlsx", d, TEST_OPTS.mip_gap, "0" * 64, "en"), "en")
    ko = build_html(d, s, summary(d, s), *titles("case.xlsx", d, TEST_OPTS.mip_gap, "0" * 64, "ko"), "ko")
    assert "mandate of mean 73 days: holds 110 days" in en and "mandate (mean 73" not in en
    assert "의무 평균 73일: 보유 평균 110일" in ko


def test_the_workbook_chart_places_each_floor_at_its_days():
    """Floors of 0, 30, 110 and 150 days (and the reference 60, 100, 180): the workbook's chart reads them as
    numbers on its x axis, as the page does, not as evenly spaced labels (a line chart put 30 days midway
    between 0 and 60)."""
    d = two_step()
    s = study(d, ["li"], [0.0, 30.0, 110.0, 150.0], TEST_OPTS)
    d = dataclasses.replace(d, minerals={"li": dataclasses.replace(d.minerals["li"], name="Lithium")})
    wb = build_workbook(d, s, summary(d, s), {}, "subtitle", "ko")
    (ch,) = wb[sheet_name("Charts", "ko")]._charts
    assert isinstance(ch, ScatterChart) and len(ch.series) == 2
    data = wb[f"{sheet_name('ChartData', 'ko')} 리튬"]  # the mineral in Korean, not its id
    days = [data.cell(r, 1).value for r in range(2, data.max_row + 1)]
    assert days == sorted(days) and {0, 30, 110} <= set(days)
    # each figure in its unit's format, which Excel's data labels and tips take (they read 12.3456789012)
    assert {(data.cell(r, 1).number_format, data.cell(r, 2).number_format, data.cell(r, 3).number_format)
            for r in range(2, data.max_row + 1)} == {("0.0", "#,##0.0", "#,##0.0")}
    for series in ch.series:
        assert series.xVal.numRef.f == f"'{data.title}'!$A$2:$A${data.max_row}"


def test_a_reference_rule_with_no_plan_is_named_with_what_bounds_it():
    """The newsvendor's stock held to 40 t (146 days of its 100 t a year): JOGMEC's 180 days, and the
    uniform 150, have no plan.  The table said "infeasible" and the chart just stopped; the story, on the
    page and the Summary sheet, names the rule and the mineral, from which floor no plan exists, and the
    Stockpile cell that bounds the cover (HiGHS's conflicting set, the study's own floor left out)."""
    d = two_step()
    d = dataclasses.replace(d, stockpile={"li": dataclasses.replace(d.stockpile["li"], max_stock_t=40.0)})
    s = study(d, ["li"], [0.0, 73.0, 150.0], TEST_OPTS)
    (ms,) = s.minerals
    assert [p.days for p in ms.curve if p.tested is None] == [150.0, 180.0]
    (cell,) = ms.reference(180.0).bound_by
    assert (cell.column, cell.value, cell.unit) == ("max_stock_t", 40.0, "t")
    assert ms.reference(150.0).bound_by == ()  # a uniform floor, not a reference rule: not asked
    rows = summary(d, s)
    en = ("li: no plan holds JOGMEC high-risk metals 180 days, nor any uniform floor from 150 days, so its chart "
          "stops at 100 days. That cover cannot be held within the case's limits: at 180 days it is bounded by "
          f"{cell.cell} max_stock_t = 40 t in {L.year_list(cell.years, 'en')}.")
    ko = ("li: JOGMEC 고위험 금속 180일을 지키는 계획이 없음(균일 하한 150일 이상도 마찬가지). 차트는 100일에서 멈춤. "
          "이 사례의 한도 안에서는 그만큼 비축할 수 없음: 180일에서 이를 막는 셀은 "
          f"{cell.cell} max_stock_t = 40 t ({L.year_list(cell.years, 'ko')}년).")
    for lang, sentence in (("en", en), ("ko", ko)):
        page = build_html(d, s, rows, *titles("case.xlsx", d, TEST_OPTS.mip_gap, "0" * 64, lang), lang)
        assert html.escape(sentence) in page, lang
        ws = build_workbook(d, s, rows, {}, "subtitle", lang)[sheet_name("Summary", lang)]
        assert sentence in [c.value for row in ws.iter_rows() for c in row], lang
    # Every reference with a plan: no such sentence.
    roomy = study(two_step(), ["li"], [0.0], TEST_OPTS)
    assert no_plan_words(d, roomy.minerals[0]) is None


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_sentences_under_each_table_wrap_within_a_printed_page(lang):
    """The Summary's story (and the Curve's and Protection's notes) under a table 19 columns wide: each
    sentence ran on from column A past the page's edge.  Now each is wrapped in a merged cell at most
    SENTENCE_WIDTH wide, after the columns every page repeats, its row high enough for its lines."""
    d = two_step(146.0)
    s = study(d, ["li"], [0.0, 73.0], TEST_OPTS)
    wb = build_workbook(d, s, summary(d, s), {}, "subtitle", lang)
    for name in ("Summary", "Curve", "Protection"):
        ws = wb[sheet_name(name, lang)]
        merged = {r.start_cell.coordinate: r for r in ws.merged_cells.ranges}
        repeated = ws.print_title_cols and label_columns(ws) or 0
        notes = [c for row in ws.iter_rows(min_row=2) for c in row
                 if isinstance(c.value, str) and text_width(c.value) > 60]
        assert notes, name
        for c in notes:
            span = merged[c.coordinate]
            width = sum(ws.column_dimensions[get_column_letter(j)].width for j in range(span.min_col, span.max_col + 1))
            assert span.min_col == repeated + 1 and width <= SENTENCE_WIDTH, (name, c.value)
            assert c.alignment.wrap_text and ws.row_dimensions[c.row].height / LINE_PT >= text_width(c.value) / width


def test_a_mineral_id_with_characters_excel_refuses_in_a_sheet_name_still_names_its_chart_data():
    """Its ChartData sheet is named from its id (openpyxl refused 'ChartData li:ion' and the run ended as an
    internal error)."""
    d = two_step()
    s = study(d, ["li"], [0.0, 30.0, 110.0], TEST_OPTS)
    s = dataclasses.replace(s, minerals=[dataclasses.replace(m, mineral_id="li:[x]/y") for m in s.minerals])
    wb = build_workbook(d, s, summary(d, s), {}, "subtitle", "en")
    assert f"{sheet_name('ChartData', 'en')} li__x__y" in wb.sheetnames


def test_a_korean_report_names_the_cells_that_bound_the_cover_in_korean_units(tmp_path):
    """The cells that bound the cover below a reference rule (models.iis) carry their own units: a Korean report
    read '200 units/yr' for a stream plant's capacity.  Dysprosium over 2026-2030 with one Chinese supply option
    of 105 t a year and no caps: JOGMEC's 180 days have no plan in 2026, bounded by that year's demand, the
    option's capacity and the magnet recycling plant's capacity (in the stream's units a year)."""
    import re

    from factory import ending_in, scenarios_still_valid

    tables = ending_in(default_tables_for("dysprosium"), 2030)
    for row in tables["Policy"]:
        if row["mineral_id"] == "dysprosium":
            row.update(china_cap_share=1.0, single_country_cap_share=1.0, risk_cap=1.0)
    tables["Suppliers"] = [{**r, "capacity_t_per_yr": 105.0} for r in tables["Suppliers"]
                           if r["supplier_id"] == "dy_chn_chn"]
    tables["Scenarios"] = scenarios_still_valid(tables)
    path = write_input_workbook(tables, tmp_path / "dy.xlsx")
    named = {"en": r"bounded by .*? and 5 more", "ko": r"막는 셀은 .*? 외 5개"}
    plant = {"en": "= 300 units/yr in 2026", "ko": "= 300 단위/년 (2026년)"}
    for lang in ("en", "ko"):
        out = tmp_path / lang
        r = CliRunner().invoke(main, ["stockpile", str(path), "--days", "60", "-j", "1", "--lang", lang,
                                      "-o", str(out)])
        assert r.exit_code == 0, r.output
        page = html.unescape((out / "dy-stockpile.html").read_text(encoding="utf-8"))
        cells = re.search(named[lang], page).group(0)
        assert f"'Recycling'!C3 module_capacity_t_per_yr {plant[lang]}" in cells, lang
        summary = load_workbook(out / "dy-stockpile.xlsx")[sheet_name("Summary", lang)]
        assert any(cells in str(c.value) for row in summary.iter_rows() for c in row), lang
    # No unit in English words left beside the Korean (the columns are the input workbook's, as written).
    assert not re.findall(r"\b(?:units?|yr)\b", re.sub(r"\w+_\w+", "", cells)), cells
    # Every cell of the conflict, named or counted, has its unit in Korean words (a stream's content per unit too).
    (ms,) = study(read_workbook(path).data, ["dysprosium"], [60.0], TEST_OPTS).minerals
    units = {c.unit for c in ms.reference(180.0).bound_by}
    assert {"t/yr", "units/yr", "t/unit"} <= units
    assert [u for u in units if re.search("[a-z]{2,}", L.unit_word(u, "ko"))] == []


def test_a_workbook_where_no_mineral_can_hold_stock_is_bad_input_not_a_ctrl_c(tmp_path):
    """No Stockpile row with a max_stock_t above 0: the study of no mineral ended as "interrupted (Ctrl-C): before
    the first mineral finished", exit 130, with no Ctrl-C."""
    tables = default_tables_for("gallium")
    tables["Stockpile"] = []
    workbook = write_input_workbook(tables, tmp_path / "nostock.xlsx")
    result = CliRunner().invoke(main, ["stockpile", str(workbook), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        "error: no mineral can hold stock (the Stockpile sheet gives none a max_stock_t above 0): there are no days "
        "of stock to weigh; give one a max_stock_t, or name it with -m")
    assert "Ctrl-C" not in result.output and not (tmp_path / "out").exists()


def test_floors_closer_than_six_digits_are_two_points_each_named_as_written():
    """A point is kept by its label: with :g's 6 significant digits 60.0000001 days was '60 days' too and took
    the reference rule's place."""
    d = read_workbook(DEFAULT_WORKBOOK).data
    m = next(m for m in d.minerals if d.stockpile[m].max_stock_t > 0)
    labels = [label for label, _by_year, days in floors(d, m, [60.0000001, 75]) if days is not None]
    assert labels == ["60 days", "60.0000001 days", "75 days", "100 days", "180 days"], labels


def test_a_significant_mandate_cost_below_the_usual_digits_does_not_read_0():
    """The newsvendor's 146-day mandate costs a proven USD 80 over the risk-based plan: the story and the
    table read 'USD 0 M' and '0 M' beside 'significant: yes'; the cost now takes its first digit."""
    d = two_step(146.0)
    s = study(d, ["li"], [0.0, 73.0], TEST_OPTS)
    (r,) = summary(d, s)
    assert r["mandate_cost_usd"] == pytest.approx(80, abs=1e-6) and r["significant"]
    for lang in ("en", "ko"):
        page = build_html(d, s, summary(d, s), *titles("case.xlsx", d, TEST_OPTS.mip_gap, "0" * 64, lang), lang)
        page = page.replace("\u00a0", " ")
        assert "USD 0.00008 M" in page  # the story
        assert '<td class="short">146 (146)</td><td class="num">0.00008 M</td>' in page  # the days table
    assert stockpile_report.mandate_cost_text(80.0, True) == "USD\u00a00.00008\u00a0M"
    assert stockpile_report.mandate_cost_text(80.0, False) == "USD\u00a00\u00a0M"  # within the gaps: 0


def test_a_sampled_study_says_its_scenarios_are_draws():
    """With --sample the page and the workbook's subtitle said 'verified with every scenario' and nothing else:
    a reader could not tell 200 draws of the Disruption risks sheet from the Disruptions sheet's scenarios."""
    from models.sampling import sample_disruptions

    d = read_workbook(DEFAULT_WORKBOOK).data
    assert "Disruption risks" not in titles("case.xlsx", d, 1e-7, "0" * 64)[1]  # the Disruptions sheet's own
    sampled, mixed = sample_disruptions(d, 200, 2), sample_disruptions(d, 20, 2, mix=True)
    assert titles("case.xlsx", sampled, 1e-7, "0" * 64)[1].endswith(
        "; scenarios drawn from the Disruption risks sheet (--sample 200 --seed 2)")
    assert titles("case.xlsx", sampled, 1e-7, "0" * 64, "ko")[1].endswith(
        "; Disruption risks 시트에서 뽑은 시나리오 (--sample 200 --seed 2)")
    assert titles("case.xlsx", mixed, 1e-7, "0" * 64)[1].endswith(
        "; the Disruptions sheet's scenarios and draws from the Disruption risks sheet (--sample 20 --seed 2 --mix)")
