"""planner compare --policies: the price of each Policy family alone and added last, and of the
strategy against no policy, on a hand-solved case, as a property of random cases, and end to end."""

import html
import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from openpyxl import load_workbook

from conftest import TEST_OPTS
from factory import PolicyLimits, case, default_tables_for, supplier
from planner.cli import main
from planner.reports.compare_report import policy_rows, summary_rows
from planner.reports import labels as L
from planner.reports.html import NBSP
from planner.reports.labels import label
from planner.studies.compare import BASE, run_cases, solve_case_verified
from planner.studies.policies import NO_POLICY, columns_set, cost_range, policy_cases, policy_prices
from planner.workbook.writer import write_input_workbook
from render import pdf_pages_text, soffice_binary, xlsx_to_pdf
from test_model_properties import PROPERTY, instances, tol

CHINA, SINGLE = "china_cap_share", "single_country_cap_share"


def three_sources(**limits):
    """100 t of lithium from China at 100 USD/t, Chile at 110 or Australia at 150 (100 t each)."""
    return case([supplier("cn", "CHN", 100, 100), supplier("cl", "CHL", 110, 100), supplier("au", "AUS", 150, 100)],
                100, policy=PolicyLimits(**limits))


def study(d):
    results, stopped = run_cases(policy_cases(d), TEST_OPTS, 1)
    assert not stopped and all(r.ok for r in results)
    return results, policy_prices(d, results)


def test_two_overlapping_caps_alone_and_last():
    """China at most 50%, any one country at most 40%.  No policy buys 100 t from China: 10,000 USD.
    The China cap alone: 50 t China + 50 t Chile = 10,500 (price 500).  The single-country cap alone:
    40 + 40 + 20 t Australia = 11,400 (price 1,400); it holds China to 40%, so with both the China cap
    adds nothing: the base costs 11,400, the China cap's price added last is 0 (not significant) and
    the single-country cap's is 11,400 - 10,500 = 900.  Alone the two add up to 1,900, more than the
    strategy's 1,400; added last, to 900, less."""
    d = three_sources(china_cap_share=0.5, single_country_cap_share=0.4)
    results, prices = study(d)
    # With two families, one alone is all but the other: four cases, not six.
    assert [r.case.name for r in results] == [BASE, NO_POLICY, f"{CHINA} alone", f"{SINGLE} alone"]
    assert [r.evaluation.total_usd for r in results] == pytest.approx([11_400, 10_000, 10_500, 11_400])
    assert prices.families == [CHINA, SINGLE]
    assert prices.strategy.usd.value == pytest.approx(1_400) and prices.strategy.significant
    assert prices.alone[CHINA].usd.value == pytest.approx(500)
    assert prices.alone[SINGLE].usd.value == pytest.approx(1_400)
    assert prices.last[SINGLE].usd.value == pytest.approx(900) and prices.last[SINGLE].significant
    assert prices.last[CHINA].usd.value == pytest.approx(0, abs=1e-6) and not prices.last[CHINA].significant
    assert prices.last[SINGLE].by_mineral_usd == pytest.approx({"li": 900})
    # What the policies buy: China's share of imports in the target year, here the only one.
    assert prices.years == [2024]
    assert prices.china_share["li", 2024] == pytest.approx((1.0, 0.4))


def test_a_price_not_significant_keeps_its_words_on_one_line():
    """The China cap added last to a single-country cap of 40% adds nothing: the page's sentence said
    'USD 0 M (not significant)' with an ordinary space inside the brackets, so a line could break between
    'not' and 'significant'; every other report joins them with no-break spaces."""
    from planner.reports.compare_report import policy_story

    d = three_sources(china_cap_share=0.5, single_country_cap_share=0.4)
    results, prices = study(d)
    assert not prices.last[CHINA].significant
    for lang in L.LANGS:
        each = policy_story(d, prices, results, lang)[1]
        words = label("sig.no", lang)
        assert f"({words.replace(' ', NBSP)})" in each and f"({words})" not in each, each


def test_the_chart_of_prices_marks_a_bar_not_significant_as_the_table_does():
    """The China cap added last to a 40% single-country cap adds 0 (not significant), alone 500 (significant);
    the single-country cap is significant both ways.  The page's table and sentences said so, but its chart drew
    the China cap's 0 M bar under the bare policy name.  The chart now names the bar not significant, as the
    brief's chart of policy costs does, and leaves the significant policy's name bare."""
    from planner.reports.compare_report import policy_section

    d = three_sources(china_cap_share=0.5, single_country_cap_share=0.4)
    _, prices = study(d)
    assert prices.alone[CHINA].significant and not prices.last[CHINA].significant
    assert prices.alone[SINGLE].significant and prices.last[SINGLE].significant
    for lang in L.LANGS:
        section = "".join(policy_section(d, prices, lang))
        chart = section[section.index(f'aria-label="{html.escape(label("compare.price.chart", lang))}'):]
        chart = html.unescape(chart[:chart.index("</svg>")])
        categories = re.findall(r'<text class="category"[^>]*>.*?<title>(.*?)</title>', chart)
        last = label("compare.price.bar.last", lang)
        assert categories == [f"{L.limit_name(CHINA, lang)} ({last}: {label('sig.no', lang).replace(' ', NBSP)})",
                              L.limit_name(SINGLE, lang)], (lang, categories)


def test_one_family_is_priced_by_the_base_and_no_policy_alone():
    """One cap: its price alone, its price last and the strategy's are one difference, of two solves."""
    d = three_sources(china_cap_share=0.5)
    results, prices = study(d)
    assert [r.case.name for r in results] == [BASE, NO_POLICY]
    assert prices.alone[CHINA] == prices.last[CHINA] == prices.strategy
    assert prices.strategy.usd.value == pytest.approx(500)


def test_a_limit_that_cannot_bind_is_not_a_family():
    """A recycling minimum on a mineral with no recycling option is not in force: nothing to price."""
    d = three_sources(recycling_min_share=0.2, china_cap_share=0.5)
    assert columns_set(d) == [CHINA]
    assert columns_set(three_sources()) == [] and len(policy_cases(three_sources())) == 1


@settings(PROPERTY, max_examples=25)  # up to 14 solves each
@given(instances())
def test_lifting_limits_never_raises_the_cost(d):
    """Every case keeps a subset of the base's limits and a superset of no policy's: when the base has
    a plan, every case has one, costing at least no policy's bound and at most the base's cost above
    its own bound; no price is significantly negative."""
    results = [solve_case_verified(c, TEST_OPTS) for c in policy_cases(d)]
    base, none = results[0], next((r for r in results if r.case.name == NO_POLICY), results[0])
    if not base.ok:  # infeasible, and diagnosed
        assert base.status == "infeasible" and base.why is not None
        return
    for r in results:
        assert r.ok, r.case.name
        cost = cost_range(r)
        assert cost.value >= cost_range(none).low - tol(cost.value)
        assert cost_range(base).value >= cost.low - tol(cost.value)
    prices = policy_prices(d, results)
    for p in [prices.strategy, *prices.alone.values(), *prices.last.values()]:
        assert p.usd.high >= -tol(cost_range(base).value)


@pytest.fixture(scope="module")
def cerium(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("policies")
    return write_input_workbook(default_tables_for("cerium"), tmp / "cerium.xlsx")


def test_compare_policies_end_to_end(cerium, tmp_path):
    """The default case's cerium: five cases per family set; the three files, the prices in the
    Policies sheet as the Summary's costs give them, and in the .json and the page."""
    before = cerium.read_bytes()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(cerium), "--policies", "-j", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert cerium.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [f"cerium-compare-policies.{x}" for x in ("html", "json", "xlsx")]
    assert "strategy (every policy)" in result.output and "no policy -> every policy" in result.output
    # Each policy by the catalogue's words, not its Policy column's id.
    assert "China cap  " in result.output and "china_cap_share" not in result.output
    wb = load_workbook(out / "cerium-compare-policies.xlsx")
    assert wb.sheetnames[:3] == ["Policies", "Policies by mineral", "Summary"]
    cost = {r[0]: r[2] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    head, *rows = wb["Policies"].iter_rows(values_only=True)
    policies = {r[0]: dict(zip(head, r)) for r in rows}
    families = [f for f in policies if f != "strategy"]
    assert CHINA in families and "recycling_min_share" not in families  # cerium has no recycling option
    assert policies["strategy"]["alone_usd"] == pytest.approx(cost[BASE] - cost[NO_POLICY])
    for f in families:
        assert policies[f]["alone_usd"] == pytest.approx(cost[f"{f} alone"] - cost[NO_POLICY])
        assert policies[f]["last_usd"] == pytest.approx(cost[BASE] - cost[f"all but {f}"])
        assert policies[f]["alone_high_usd"] >= policies[f]["alone_usd"] >= policies[f]["alone_low_usd"]
    facts = json.loads((out / "cerium-compare-policies.json").read_text())
    assert facts["price strategy_usd"] == pytest.approx(cost[BASE] - cost[NO_POLICY])
    assert facts["policy families"] == ", ".join(families)
    page = (out / "cerium-compare-policies.html").read_text(encoding="utf-8")
    assert "The price of each policy" in page and "China 2030: no policy" in page
    # Each case says which Policy limits it lifts: "No workbook figure differs from the base" was false.
    assert "No workbook figure differs from the base." not in page
    page = html.unescape(page)
    lifted = "The Policy sheet's {}: lifted (blank in every mineral and year). No other workbook figure differs"
    assert lifted.format(", ".join(L.limit_name(f, "en") for f in families)) in page  # no policy
    for f in families:
        assert lifted.format(L.limit_name(f, "en")) in page  # all but f


@pytest.mark.parametrize("extra", [["-s", "graphite_ban_2026"], ["--all"], ["--hedged"]])
def test_policies_goes_alone(cerium, extra, tmp_path):
    result = CliRunner().invoke(main, ["compare", str(cerium), "--policies", *extra, "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert f"leave out {extra[0]}" in result.output and not list(tmp_path.iterdir())


def test_a_workbook_without_policy_limits_has_nothing_to_price(tmp_path):
    tables = default_tables_for("cerium")
    for row in tables["Policy"]:
        row.update({c: None for c in row if c not in ("year", "mineral_id", "source_id")})
    workbook = write_input_workbook(tables, tmp_path / "free.xlsx")
    result = CliRunner().invoke(main, ["compare", str(workbook), "--policies", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "sets no limit" in result.output


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice is not installed")
def test_every_printed_page_of_the_korean_policies_sheet_names_its_policies(cerium, tmp_path):
    """The Policies sheet prints two pages across.  Its Korean names were its last column: page 1 held the
    prices beside ids (china_cap_share) and page 2 the names, beside no price a reader could match them to
    on page 1.  Now the names stand beside the ids, repeated with them on every page."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(cerium), "--policies", "--lang", "ko", "-j", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out / "cerium-compare-policies.xlsx")
    for name in wb.sheetnames[1:]:  # the Policies sheet alone, printed as LibreOffice prints it
        del wb[name]
    wb.save(tmp_path / "policies.xlsx")
    pages = [page for page in pdf_pages_text(xlsx_to_pdf(tmp_path / "policies.xlsx", tmp_path)) if page.strip()]
    assert len(pages) > 1  # the case this guards: a table printed across pages
    for page in pages:
        for f in (CHINA, "risk_cap"):
            assert L.limit_name(f, "ko") in page, page


def test_the_korean_policies_sheet_reads_in_korean_or_ids():
    """Every text of the Policies sheet in Korean is the catalogue's Korean or an id (a Policy column, or
    'strategy' as the .json names it): no English words such as 'strategy (every family)'.  The cases'
    own column of the Summary too: it read 'china_cap_share alone' and 'all but ...' in Korean."""
    results, prices = study(three_sources(china_cap_share=0.5, single_country_cap_share=0.4))
    cases = [row[0] for row in summary_rows(results, "ko")[1]]
    assert cases == ["기준", "정책 없음", f"{L.limit_name(CHINA, 'ko')} 단독", f"{L.limit_name(SINGLE, 'ko')} 단독"]
    assert [row[0] for row in summary_rows(results)[1]] == [BASE, NO_POLICY, f"{CHINA} alone", f"{SINGLE} alone"]
    rows = policy_rows(prices, "ko")
    assert [r[0] for r in rows] == ["strategy", CHINA, SINGLE]
    for text in (v for r in rows for v in r if isinstance(v, str)):
        assert re.fullmatch(r"[a-z0-9_]+", text) or re.search("[\uac00-\ud7a3]", text), text
    assert rows[0][1] == label("compare.strategy", "ko")


def test_the_split_by_mineral_of_a_price_not_significant_says_so_at_its_column():
    """The page's table of prices by mineral split the China cap's price added last (0, not significant) into
    figures per mineral under its bare name; the split of a total within the proven gaps is no finding either,
    and its column now says so.  The significant prices' columns keep their names."""
    from planner.reports.compare_report import policy_section

    d = three_sources(china_cap_share=0.5, single_country_cap_share=0.4)
    _, prices = study(d)
    assert not prices.last[CHINA].significant and prices.alone[CHINA].significant and prices.strategy.significant
    for lang in L.LANGS:
        section = html.unescape("".join(policy_section(d, prices, lang)))
        table = section[section.rindex("<table", 0, section.index(label("compare.col.last_of", lang,
                                                                         limit=L.limit_name(SINGLE, lang)))):]
        heads = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table[:table.index("</thead>")])]
        said = f" ({label('sig.no', lang).replace(' ', NBSP)})"
        marked = [h.removesuffix(said) for h in heads if h.endswith(said)]
        assert marked == [label("compare.col.last_of", lang, limit=L.limit_name(CHINA, lang))], (lang, heads)
