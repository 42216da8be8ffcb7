"""planner brief: its costs equal the separate solves', its tables add up, a Korean brief is Korean, its charts
render whole in Chromium and its workbook's charts in LibreOffice with their series; and the label catalogue."""

import dataclasses
import html as htmllib
import itertools
import json
import re

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import TEST_OPTS
from factory import default_tables_for, ending_in, set_policy
from models.dataset import CHINA, PolicyLimits
from models.solve import solve_case
from planner.cli import main
from planner.reports import labels as L
from planner.reports.brief_report import build_brief_html, build_brief_workbook, cost_answer, standin_sentence
from planner.reports.files import workbook_bytes
from planner.reports.html import NBSP, color_of, usd_m
from planner.reports.plan_workbook import COLUMN_CM, PAGE_WIDTH_CM, PRINT_WIDTH
from planner.studies.brief import (
    AGREEMENTS, CHINA_AND_SINGLE, NO_POLICY, OPTION, disruptions, policy_costs, replacements, run_brief,
    stand_ins,
)
from planner.studies.compare import proven_gap_usd
from planner.verify import COST_PARTS, verify
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook
from render import (
    chart_problems, chart_text_problems, chromium_binary, pdf_page_colors, pdf_pages_text, soffice_binary,
    tables_that_scroll, xlsx_to_pdfs,
)

LAST = 2031  # a horizon that still holds the 2030 target year, and solves in a blink
chromium = pytest.mark.skipif(chromium_binary() is None, reason="Chromium not installed")
soffice = pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice not installed")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The default case cut to nickel (it has a swap agreement) and graphite (China-heavy), both disrupted,
    2026-2031."""
    tables = ending_in(default_tables_for("nickel", "graphite"), LAST)
    return write_input_workbook(tables, tmp_path_factory.mktemp("in") / "small.xlsx")


@pytest.fixture(scope="module")
def brief(with_open):
    """The small brief without what is still open: the same cases' plans, which run_brief solves alike with or
    without --alternatives (test_planner_brief_writes_all_three... runs planner brief without)."""
    return dataclasses.replace(with_open, alternatives=None)


def _cost(d) -> tuple[float, float]:
    plan = solve_case(d, TEST_OPTS, shadow_prices=False)
    return verify(d, plan).total_usd, proven_gap_usd(plan)


def test_the_costs_equal_the_separate_solves(brief):
    d = brief.data
    assert {"china_cap_share", "single_country_cap_share", "risk_cap", "recycling_min_share", "stockpile_min_days",
            AGREEMENTS} <= set(brief.policies)
    strategy, strategy_gap = _cost(d)
    assert brief.strategy.evaluation.total_usd == pytest.approx(strategy, rel=1e-7)

    def blank(*columns):
        return dataclasses.replace(d, policy={k: dataclasses.replace(v, **dict.fromkeys(columns))
                                              for k, v in d.policy.items()})

    separate = {NO_POLICY: dataclasses.replace(d, policy={}), AGREEMENTS: dataclasses.replace(d, agreements={}),
                CHINA_AND_SINGLE: blank("china_cap_share", "single_country_cap_share")}
    separate |= {c: blank(c) for c in brief.policies if c != AGREEMENTS}
    costs = {pc.policy: pc for pc in policy_costs(brief)}
    assert set(costs) == set(separate)
    for key, case in separate.items():
        without, gap = _cost(case)
        pc = costs[key]
        assert pc.adds.value == pytest.approx(strategy - without, rel=1e-6, abs=1.0), key
        assert pc.base_usd == pytest.approx(without, rel=1e-7), key
        # Significant exactly when the difference is more than both plans' proven gaps (and round-off).
        if abs(strategy - without) > 2 * (gap + strategy_gap) + 1e-6 * strategy:
            assert pc.significant, key
    assert costs[NO_POLICY].adds.value > 0 and costs[NO_POLICY].significant  # the strategy costs something


def test_the_replacements_add_up_to_chinas_lost_tonnes(brief):
    d = brief.data
    reps = replacements(brief)
    assert any(r.china_lost_t > 1000 for r in reps)
    for r in reps:
        tol = 1e-4 * d.demand_t[r.mineral, r.year] + 0.01
        assert sum(s.change_t for s in r.sources) == pytest.approx(r.china_lost_t, abs=tol), (r.mineral, r.year)
        assert r.china_lost_t == pytest.approx(
            brief.no_policy.evaluation.indicators[r.mineral, r.year].china_t
            - brief.strategy.evaluation.indicators[r.mineral, r.year].china_t)
        for s in r.sources:  # the China-linked options are what is replaced, never a replacement
            assert s.kind != OPTION or CHINA not in d.suppliers[s.item].countries
        assert [s.change_t for s in r.sources] == sorted((s.change_t for s in r.sources), reverse=True)


def test_a_limit_that_costs_nothing_on_its_own_names_the_limit_that_does_its_work(brief):
    """The China cap and the single-country cap follow one path: left out alone, the China cap changes nothing,
    because the single-country cap holds China there; left out together they cost more than the
    single-country cap alone, and the brief says which limit does the work."""
    listed = policy_costs(brief)
    costs = {pc.policy: pc for pc in listed}
    assert not costs["china_cap_share"].significant and costs[CHINA_AND_SINGLE].significant
    (china,) = [s for s in stand_ins(brief, listed) if s.column == "china_cap_share"]
    assert china.by == "single_country_cap_share" and 0 < china.at_limit <= china.of
    assert china.both.value == costs[CHINA_AND_SINGLE].adds.value
    assert china.both.value - china.by_alone.value > 0 and (china.both - china.by_alone).significant
    sentence = standin_sentence(brief, "en", listed)
    # 'Added last', as the heading and the table say: compare --policies prices the China cap alone at far more.
    assert "Added last, the China cap costs nothing" in sentence and "the single-country cap holds it there" in sentence
    assert "on its own" not in sentence and "on its own" not in cost_answer(brief, "en", listed)


@pytest.fixture(scope="module")
def gallium_tungsten(tmp_path_factory):
    """Gallium and tungsten, 2026-2031: China is the single country, so each cap does the other's work."""
    tables = ending_in(default_tables_for("gallium", "tungsten"), LAST)
    b = run_brief(read_workbook(write_input_workbook(tables, tmp_path_factory.mktemp("gw") / "gw.xlsx")).data,
                  TEST_OPTS, 1)
    return b, policy_costs(b)


def test_a_single_country_cap_that_the_china_cap_does_the_work_of_is_named_in_lower_case(gallium_tungsten):
    """The sentence read 'the Single-country share sits at the single-country cap': the measure's heading, not
    its name inside a sentence."""
    b, costs = gallium_tungsten
    assert [s.column for s in stand_ins(b, costs)] == ["china_cap_share", "single_country_cap_share"]
    sentence = standin_sentence(b, "en", costs)
    assert "the single-country share at the single-country cap" in sentence and "Single" not in sentence
    assert "the China share sits at the China cap" in sentence
    assert "특정국 의존도가 특정국 의존도 상한에 닿아" in standin_sentence(b, "ko", costs)


def test_two_caps_that_each_do_the_others_work_are_said_once(gallium_tungsten):
    """Each cap costs nothing added last because the other holds its measure: the brief said so in full twice,
    once for each cap ('Added last, the China cap costs nothing ... Added last, the single-country cap costs
    nothing ...'), in both languages.  Now one sentence names both caps, each one's mineral-years at its cap,
    and what leaving out both costs."""
    b, costs = gallium_tungsten
    china, single = stand_ins(b, costs)
    both = next(pc for pc in costs if pc.policy == CHINA_AND_SINGLE)
    en, ko = standin_sentence(b, "en", costs), standin_sentence(b, "ko", costs)
    assert en.startswith(f"Added last, the China cap and the single-country cap each cost nothing ({usd_m(0.0)} each, ")
    assert en.count("Added last") == 1 and en.count("each limit does the other's work") == 1
    assert (f"in {china.at_limit} of {china.of} mineral-years the China share sits at the China cap, and in "
            f"{single.at_limit} of {single.of} the single-country share at the single-country cap "
            "(gallium and tungsten)") in en
    assert f"Without both, the plan costs {usd_m(both.adds.value)} less" in en
    assert ko.count("마지막에 추가하면") == 1 and ko.count("서로의 역할을 대신합니다") == 1
    assert ko.startswith(f"중국 의존도 상한과 특정국 의존도 상한은 마지막에 추가하면 각각 비용이 없습니다(각 {usd_m(0.0)}, ")
    page = cost_answer(b, "en", costs)
    assert page.count("Added last") == 1 and page.count("each cost nothing") == 1


def test_the_strategys_recycling_target_is_shown_where_the_minerals_rows_replace_it(gallium_tungsten):
    """The Policy sheet's all-minerals row sets the strategy's 20% recycling in 2030, and every mineral with a
    recycling option (tungsten here) lowers it in a row of its own: the exposure table's target read 'set per
    mineral', hiding the 20% a ministry reports against. Now it reads the 20%, then what the minerals' own rows
    amount to, in both languages."""
    from planner.reports.brief_report import exposure_rows

    b, _ = gallium_tungsten
    assert b.data.limit("recycling_min_share", "tungsten", b.year) < 0.2  # tungsten's own row replaces the 20%
    for lang in L.LANGS:
        (row,) = [r for r in exposure_rows(b, lang) if r[0] == L.measure("recycling_share", lang)]
        assert row[-2].startswith("20%; "), (lang, row[-2])
        assert L.label("word.per_mineral", lang) not in row[-2]


def test_a_proven_gap_below_a_million_is_written_in_dollars_not_as_0_m(gallium_tungsten):
    """A cap within its two plans' proven gaps of USD 2 read 'not significant: within the two plans' proven gaps
    (USD 0 M)', which says a difference of 0 is not significant within a gap of 0.  Now a gap below a million
    reads in whole USD, a larger one in USD M; the two caps that do each other's work give theirs in one clause."""
    b, costs = gallium_tungsten
    china = next(pc for pc in costs if pc.policy == "china_cap_share")
    gap = china.adds.high - china.adds.low
    assert 0 < gap < 5000  # the small solves prove their optima to a few dollars: USD M rounds it to 0
    for lang in ("en", "ko"):
        for text in (standin_sentence(b, lang, costs), cost_answer(b, lang, costs)):
            assert "USD 0 M)" not in text and "USD\u00a00\u00a0M)" not in text
    assert f"(USD 0 M each, not significant: within the two plans' proven gaps (USD {gap:,.0f})): ".replace(
        "USD 0 M", usd_m(0.0)) in standin_sentence(b, "en", costs)
    assert f"증명된 최적성 차이(USD {gap:,.0f}) 이내" in standin_sentence(b, "ko", costs)

    def widened(policy: str, half: float) -> list:
        return [dataclasses.replace(pc, adds=dataclasses.replace(pc.adds, low=-half, high=half))
                if pc.policy == policy else pc for pc in costs]

    assert (f"not significant: each within its two plans' proven gaps (USD 329,482 and USD {gap:,.0f})"
            in standin_sentence(b, "en", widened("china_cap_share", 164_741.0)))
    assert (f"not significant: each within its two plans' proven gaps (USD 1.50 M and USD {gap:,.0f})"
            in standin_sentence(b, "en", widened("china_cap_share", 750_000.0)))


# Words a Korean report may hold in Latin letters: units, acronyms, the solver and the command it names.
ALLOWED = {"usd", "m", "t", "d", "hhi", "eu", "sha", "ira", "msp", "fta", "forge", "un", "iea", "highs", "planner",
           "brief", "alternatives", "stress", "sweep", "stockpile", "compare", "eol", "rir", "geopolrisk", "wgi", "sr",
           "ir", "si", "cvar", "vss", "evpi", "rp", "eev", "ws", "doi", "usgs", "ftc", "p",  # %p: percentage points
           # the methods' own names and symbols (Morris's mu* and sigma, Sobol's S1 and ST, Halton points, v(S))
           "morris", "sobol", "mu", "sigma", "st", "n", "halton", "v", "s", "id", "x", "c", "e"}


def english_words(page: str, ids: set[str]) -> list[str]:
    """The words in Latin letters of a page's text (not its tags, styles or attributes) that are no id,
    code, file name or unit."""
    text = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    # A <wbr> inside an id ('cathode_<wbr>scrap') is a place a line may break, not a space between words.
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", text.replace("<wbr>", "")))
    # The input's SHA-256, in hex: a workbook written anew has another, and one of digits then 'ce' read as 'ce'.
    text = re.sub(r"SHA-256\s+[0-9a-f]+", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z0-9_.@]*", text)
    return [w for w in words if not re.search(r"[\d_.@]", w) and w.lower() not in ALLOWED and w not in ids
            and not (len(w) == 3 and w.isupper())]


def _ids(d) -> set[str]:
    """Workbook ids and codes, the Settings choice a definition names (reliance_basis imports) and the input
    workbook's sheet names (its schema: 'the Sources sheet' of the note on estimates)."""
    from planner.workbook import schema as S

    return ({*d.suppliers, *d.minerals, *d.agreements, *d.countries, *d.recycling, d.settings.reliance_basis}
            | {sc.event for sc in d.disruptions} | set(S.SHEET_BY_NAME))


def test_planner_brief_writes_all_three_and_a_korean_brief_is_korean(tmp_path, small):
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["brief", str(small), "--lang", "ko", "-o", str(out), "-j", "1"])
    assert r.exit_code == 0, r.output
    assert "전략의 비용" in r.output and "중국 의존도 상한" in r.output
    assert f"wrote     {out / 'small-brief.html'}, .xlsx and .json" in r.output  # the page first: it is the brief
    page = (out / "small-brief.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "재자원화" in page and "특정국 의존도" in page and "비축일수" in page
    d = read_workbook(small).data
    assert english_words(page, _ids(d)) == []
    facts = json.loads((out / "small-brief.json").read_text(encoding="utf-8"))
    assert facts["strategy_cost_usd"] > facts["no_policy_cost_usd"] > 0
    assert set(facts["outputs_sha256"]) == {"small-brief.xlsx", "small-brief.html"}
    wb = load_workbook(out / "small-brief.xlsx")
    assert wb.sheetnames[0] == "핵심 답변" and all(L.is_korean(name) for name in wb.sheetnames)
    assert english_words(" ".join(str(c.value) for c in wb.worksheets[1][1]), _ids(d)) == []  # headers
    # The Run sheet words the statuses in Korean (labels.Worded), where the .json keeps them in English.
    run = dict(wb[L.label("sheet.run", "ko")].iter_rows(min_row=2, max_col=2, values_only=True))
    assert run["status"] == L.label(f"status.{facts['status']}", "ko")
    cases = {k: v for k, v in run.items() if k.startswith("case ")}
    assert cases and all(L.is_korean(v) and not L.is_korean(facts[k]) for k, v in cases.items()), cases


def test_an_unknown_language_is_a_usage_error_and_nothing_is_written(tmp_path, small):
    r = CliRunner().invoke(main, ["brief", str(small), "--lang", "fr", "-o", str(tmp_path / "out")])
    assert r.exit_code == 2 and "'fr' is not one of 'en', 'ko'" in r.output
    assert not (tmp_path / "out").exists()


def test_a_year_outside_the_horizon_is_bad_input(tmp_path, small):
    r = CliRunner().invoke(main, ["brief", str(small), "--year", "2040", "-o", str(tmp_path / "out")])
    assert r.exit_code == 2 and "2026-2031" in r.output


@chromium
def test_the_briefs_charts_render_whole_in_chromium(tmp_path, brief):
    for lang in L.LANGS:
        path = tmp_path / f"brief-{lang}.html"
        path.write_text(build_brief_html(brief, lang, "small.xlsx", "0" * 64, "test"), encoding="utf-8")
        texts, problems = chart_text_problems(path, tmp_path)
        assert problems == [] and texts > 50, (lang, problems[:10])


def test_the_brief_names_each_disruption_by_its_description_and_start_year(brief):
    """Not by its id: 'China withholds export licences for graphite for a year, from 2029', not
    'china_graphite_stop (2029)'; the id stays in the workbook's own column."""
    shown = disruptions(brief)
    assert shown
    for lang in L.LANGS:
        page = build_brief_html(brief, lang, "small.xlsx", "0" * 64, "test")
        for x in shown:
            assert L.disruption_name(brief.data, x.plan.scenario, lang) in page
            assert x.event not in page and x.plan.scenario.name not in page
        sheet = build_brief_workbook(brief, lang, [], "small.xlsx")[L.label("sheet.disruptions", lang)]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [r[:2] for r in rows if r[1]] == [(L.disruption_name(brief.data, x.plan.scenario, lang),
                                                  x.plan.scenario.name) for x in shown]


@pytest.fixture(scope="module")
def printed(tmp_path_factory, brief):
    """The brief's workbook in English, and its Replacing China sheet alone in each language, printed to PDF in one
    LibreOffice run (it takes longer to start than to convert one): {"brief": (the .xlsx, its PDF), lang: (that
    sheet, its PDF)}."""
    tmp = tmp_path_factory.mktemp("printed")
    path = tmp / "brief.xlsx"
    path.write_bytes(workbook_bytes(build_brief_workbook(brief, "en", [("input_sha256", "0" * 64)], "small.xlsx")))
    files, sheets = {"brief": path}, {"brief": path}
    for lang in L.LANGS:
        wb = build_brief_workbook(brief, lang, [("input_sha256", "0" * 64)], "small.xlsx")
        sheets[lang] = wb[L.label("sheet.china", lang)]
        for other in wb.sheetnames:
            if other != sheets[lang].title:
                del wb[other]
        files[lang] = tmp / f"china-{lang}.xlsx"
        files[lang].write_bytes(workbook_bytes(wb))
    return dict(zip(files, zip(sheets.values(), xlsx_to_pdfs(list(files.values()), tmp))))


@soffice
def test_the_briefs_workbook_charts_render_in_libreoffice_with_their_series(brief, printed):
    path, pdf = printed["brief"]
    assert chart_problems(path) == []
    pages = pdf_pages_text(pdf)
    basis = L.label(f"basis_word.{brief.data.settings.reliance_basis}")
    for title, series in ((L.label("brief.exposure.chart", basis=basis), ["KOR", "CHN"]),
                          (L.label("brief.stop.chart"), ["KOR", "CHN"])):
        page = next(i for i, text in enumerate(pages, start=1) if title[:24] in text)  # a long title wraps
        counts = pdf_page_colors(pdf, page, [color_of(c) for c in series])
        assert all(n > 10 for n in counts.values()), (title, counts)
    # The Costs table's last column, each policy cost's significance, printed on a page of its own, away
    # from the policies (test_the_briefs_chart_sheets_print_their_tables_one_page_wide).
    costs = build_brief_workbook(brief, "en", [("input_sha256", "0" * 64)], "small.xlsx")[L.label("sheet.costs")]
    first, last = costs.cell(1, 1).value, costs.cell(1, costs.max_column).value
    assert [first in text for text in pages if last in text] == [True]


def test_the_briefs_chart_sheets_print_their_tables_one_page_wide(brief):
    """A sheet with charts prints at a scale of its own (``_charts_whole``): its table's text now wraps
    narrower, then its headers, until the columns fit the page at that scale.  The Costs and Disruptions
    tables were 237 and 252 characters wide (34 and 37 cm at their 58%, on a page 25 cm wide) and printed
    their last columns on a second page, without the names of their rows."""
    for lang in L.LANGS:
        wb = build_brief_workbook(brief, lang, [("input_sha256", "0" * 64)], "small.xlsx")
        charted = [ws for ws in wb if ws._charts]
        assert len(charted) == 3, lang
        for ws in charted:
            width = sum(ws.column_dimensions[get_column_letter(j)].width for j in range(1, ws.max_column + 1))
            assert width * COLUMN_CM * ws.page_setup.scale / 100 <= PAGE_WIDTH_CM, (lang, ws.title, width)


def test_the_briefs_run_sheet_shows_each_number_in_its_units_format(brief):
    """The brief wrote its Run sheet without number formats, where every other report's Run sheet
    (plan_workbook.write_run_sheet) formats each number by its unit: its objective read 48316505330.3 USD, cents on
    an estimate proven only to about USD 0.3 M, and its gap 6.99707E-06."""
    info = [("input_sha256", "0" * 64), ("objective_usd", 48316505330.29985), ("gap", 6.997065672952956e-06),
            ("solve_seconds", 0.78125), ("blocks", 7)]
    for lang in L.LANGS:
        run = build_brief_workbook(brief, lang, info, "small.xlsx")[L.label("sheet.run", lang)]
        formats = {r[0].value: r[1].number_format for r in run.iter_rows(min_row=2)}
        assert formats["objective_usd"] == "#,##0" and formats["gap"] == "0.0000%", (lang, formats)
        assert formats["solve_seconds"] == "#,##0.0###" and formats["blocks"] == "General", (lang, formats)


def test_the_catalogue_has_every_text_in_both_languages_with_the_same_fields():
    for key, texts in L.CATALOGUE.items():
        assert len(texts) == len(L.LANGS) and all(t.strip() for t in texts), key
        en, ko = L.fields(key)
        # Korean may take a word with its particle (L.PARTICLES) where English takes the word; a column's
        # English header is its id, which may name fewer of the values than its Korean header.
        ko = {f.rpartition("_")[0] if f.rpartition("_")[2] in L.PARTICLES else f for f in ko}
        # English may take a plural ending (L.PLURALS) where Korean has none.
        en = {f.removesuffix("_es").removesuffix("_s") for f in en}
        assert ko == en or key.startswith("head.") and en <= ko, key
        # Korean, or no word in Latin letters but units, acronyms and ids (HHI, MSP, '{case}', '.').
        assert L.is_korean(texts[1]) or english_words(re.sub(r"\{\w+\}", " ", texts[1]), set()) == [], key
    # Every Policy column and cost part has its words (the other reports move onto the catalogue next).
    for column in (f.name for f in dataclasses.fields(PolicyLimits)):
        assert f"limit.{column}" in L.CATALOGUE, column
    for part in COST_PARTS:
        assert f"cost.{part}" in L.CATALOGUE and f"cost_note.{part}" in L.CATALOGUE, part
    # The strategy's own words (korean_terms.md).
    assert L.limit_name("recycling_min_share", "ko").startswith("재자원화")
    assert L.limit_name("single_country_cap_share", "ko").startswith("특정국 의존도")
    assert L.measure("stockpile_days", "ko") == "비축일수"
    with pytest.raises(ValueError, match="'fr' is not a report language"):
        L.label("word.plan", "fr")


def test_plain_names(small):
    d = read_workbook(small).data
    sid = next(s for s, x in d.suppliers.items() if x.origin_country == "IDN" and x.processing_country == "CHN")
    assert L.option_name(d, sid) == f"{d.suppliers[sid].name} ({sid})"
    assert L.option_name(d, sid, "ko") == f"니켈 인도네시아 \u2192 중국 ({sid})"
    assert L.country_name(d, "KOR") == "Korea" and L.country_name(d, "CHN", "ko") == "중국"
    assert L.mineral_name(d, "graphite", "ko") == "흑연"
    assert L.topic("중국 의존도 상한", "ko").endswith("은") and L.subject("최소 비축일수", "ko").endswith("가")


def test_an_english_count_of_one_takes_no_plural_ending():
    """'1 days worth holding' (stockpile), 'within 1 years' (hedged, stress): a field <name>_s is the
    ending, empty when the count reads 1; Korean has none."""
    assert L.days("1") == "1 day" and L.days("1,000") == "1,000 days" and L.days("1", "ko") == "1일"
    assert "within 1 year (" in L.label("res.assume.rebuild", years=1)
    assert "within 2 years (" in L.label("res.assume.rebuild", years=2)


@pytest.fixture(scope="module")
def with_open(small):
    """The small brief with what is still open (--alternatives)."""
    return run_brief(read_workbook(small).data, TEST_OPTS, 1, alternatives=True)


def test_the_count_of_forced_decisions_reads_as_a_sentence_for_none_one_and_many(with_open):
    """'0 decisions are forced: every plan ... takes them the same way' said of nothing, and '1 decisions are
    forced' of one: none forced says so ('No decision is forced'), and a count of one takes no plural ending."""
    from planner.reports.brief_report import open_answer

    b = with_open
    ranges = b.alternatives.ranges
    assert len(ranges) >= 3

    def page(forced: int, lang: str = "en") -> str:
        shaped = [dataclasses.replace(r, high=r.low) if k < forced else
                  dataclasses.replace(r, high=max(r.high, r.low + 1.0)) for k, r in enumerate(ranges)]
        study = dataclasses.replace(b.alternatives, ranges=shaped)
        return htmllib.unescape(open_answer(dataclasses.replace(b, alternatives=study), lang))

    assert "No decision is forced: each can be taken another way within 2%" in page(0) and "0 decision" not in page(0)
    assert "고정된 결정은 없습니다" in page(0, "ko") and "0개 결정" not in page(0, "ko")
    assert "least cost (USD" in page(1) and "): 1 decision. The ones with the most room:" in page(1)
    assert "): 2 decisions. The ones" in page(2) and "2개 결정은 고정입니다" in page(2, "ko")
    # The headline's count and its unit read as one phrase: '3개 결정에 ... 여지가 있음', not '3 최소비용의 ...', and the
    # counter on its number, as Korean writes it ('3 개' read as a stray space).
    n = len(ranges)
    headline = re.sub(r"<[^>]+>", "", page(2, "ko"))
    assert f"{n - 2}개 결정에 최소비용의 2% 이내에서 달리 정할 여지가 있음 (전체 {n}개 중)" in headline
    assert f"{n - 2} of {n} decisions have room within 2% of the least cost" in re.sub(r"<[^>]+>", "", page(2))


def test_a_count_of_modules_in_what_is_still_open_says_module_for_one():
    """The table of decisions with room read '1 modules': modules and years are counted as every page counts
    them ('1 module', '20 modules'; '모듈 1개')."""
    from planner.reports.brief_report import _decision_value

    assert _decision_value(1, "modules", "en") == "1\u00a0module" and _decision_value(20, "modules", "en") == \
        "20\u00a0modules"
    assert _decision_value(1, "years", "en") == "1\u00a0year" and _decision_value(1, "modules", "ko") == "모듈\u00a01개"


def test_what_is_still_open_names_plants_and_agreements_not_their_ids(with_open):
    """The table read 'recycling modules bat_hydro': a plant is named as the plan page names it, by its stream
    and minerals, id in brackets, in English and Korean; an agreement by its partners."""
    from planner.reports.brief_report import open_rows

    d = with_open.data
    plants = {r.item.item for r in with_open.alternatives.ranges if r.item.family == "recycling"}
    assert plants
    for lang in ("en", "ko"):
        names = [row[0] for row in open_rows(with_open, lang)]
        for k in plants:
            assert any(L.plant_name(d, k, lang) in n for n in names), (k, names)
            assert not [n for n in names if n.endswith(f" {k}")], names


def test_a_stock_decision_starts_with_its_mineral_so_that_its_capital_reads_right(with_open):
    """'stock of Nickel, mean days of demand': the mineral's name, capitalised, leads the row ('Nickel: stock,
    mean days of demand') instead of standing capitalised inside it."""
    from planner.reports.brief_report import open_rows

    names = [row[0] for row in open_rows(with_open, "en")]
    assert "Nickel: stock, mean days of demand" in names and not [n for n in names if "stock of" in n]


@chromium
def test_the_answers_tables_show_every_column_in_their_cards(tmp_path, with_open):
    """A long first cell (a supply option's name, a disruption's description) once stayed on one line and
    pushed the other columns of an answer's table out of its card, to be scrolled to: with the answers two
    cards abreast (a 1440 px window) every column shows."""
    for lang in L.LANGS:
        path = tmp_path / f"brief-{lang}.html"
        path.write_text(build_brief_html(with_open, lang, "small.xlsx", "0" * 64, "test"), encoding="utf-8")
        assert tables_that_scroll(path, tmp_path, ".answer .table-wrap", width=1440) == [], lang


def test_every_page_of_results_says_its_figures_rest_on_the_workbooks_estimates(brief):
    """The brief, the plan, compare and the disruption pages gave costs computed from estimated prices and
    demand (77 of the default's 93 Sources rows are marked estimate) without the word 'estimate' anywhere;
    each now says so, with the count, in its Assumptions or In short, in both languages, and says nothing
    for a workbook whose Sources mark no estimate."""
    from planner.reports import compare_report, resilience_report
    from planner.reports.brief_report import answer_lines
    from planner.reports.plan_report import story

    d, plan, ev = brief.data, brief.strategy.plan, brief.strategy.evaluation
    n = len(d.estimated_sources)
    assert n > 0
    for lang, words in (("en", f"({n} Sources rows marked estimate)"), ("ko", f"(해당 행 {n}개)")):
        note = L.estimates_note(d, lang)
        assert words in note
        assert note in htmllib.unescape(build_brief_html(brief, lang, "small.xlsx", "s", "v"))
        assert note in [line for _q, line in answer_lines(brief, lang)]  # the Answers sheet and the console
        assert note in story(d, plan, ev, lang)
        for page in (compare_report, resilience_report):
            assert note in htmllib.unescape(page.assumptions(d, lang))
    none = dataclasses.replace(d, estimated_sources=frozenset())
    assert L.estimates_note(none, "en") == "" and "<li></li>" not in compare_report.assumptions(none, "en")
    assert not any("estimate" in line for line in story(none, plan, ev, "en"))


def test_the_disruption_answer_says_its_events_and_probabilities_are_assumptions(brief):
    """The hedged and stockpile reports call a disruption's probability an assumption; the brief's 'What if a
    supplier stops' gave each event's probability and cost with no such word, in its page and its workbook."""
    assert brief.data.disruptions
    for lang, said, head in (("en", "their probabilities and the tonnes they take are that sheet's assumptions",
                              "probability (an assumption)"), ("ko", "확률, 잃는 물량은 이 시트의 가정", "확률 (가정)")):
        page = htmllib.unescape(build_brief_html(brief, lang, "small.xlsx", "s", "v")).replace(NBSP, " ").replace(
            "<wbr>", "")
        section = page[page.index(L.label("brief.q.stop", lang)):]
        assert said in section[:section.index("</table>")] and f">{head}</th>" in page, lang  # the answer; the events' table
        sheet = build_brief_workbook(brief, lang, [], "small.xlsx")[L.label("sheet.disruptions", lang)]
        heads = [c.value.replace(NBSP, " ") for c in sheet[1]]
        assert head in heads, (lang, heads)


def test_a_year_china_gains_reads_as_a_gain_not_as_china_losing_a_negative_amount(brief):
    """The strategy buys more from China than no policy in years it stocks up (the default case's neodymium in
    2026: 276 t more), and 'Who replaces China, year by year' read 'China loses (t)' -276 t, page and sheet.
    Its column is now China's change against no policy, signed: +276 t; a loss reads -."""
    from planner.reports.brief_report import china_section

    gains = [r for r in replacements(brief) if r.china_lost_t < -1]
    assert gains
    for lang in L.LANGS:
        (table,) = china_section(brief, lang)
        head = [htmllib.unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
        assert head[2] == L.label("col.china_change", lang) and L.label("col.china_loses", lang) not in head, lang
        cells = [[htmllib.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
                 for r in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)]
        shown = {(c[0], c[1]): c[2] for c in cells if c}
        for r in replacements(brief):
            change = shown[L.mineral_name(brief.data, r.mineral, lang), str(r.year)]
            assert change.startswith("+" if r.china_lost_t < 0 else "-"), (lang, r.mineral, r.year, change)
        ws = build_brief_workbook(brief, lang, [("input_sha256", "0" * 64)], "small.xlsx")[L.label("sheet.china", lang)]
        assert ws.cell(1, 5).value == L.label("col.china_change", lang), lang
        for i in range(2, ws.max_row + 1):
            no_policy, plan, change = (ws.cell(i, j).value for j in (3, 4, 5))
            assert change == pytest.approx(plan - no_policy), (lang, i)


@soffice
def test_the_replacing_china_sheet_prints_one_page_wide_in_both_languages(printed):
    """Who replaces China, a long table, prints one page wide as the other tables do: its columns fit
    PRINT_WIDTH (it was 243 characters in English, 210 in Korean: two pages wide, LibreOffice printing every
    row's left half first and the right halves after), and each page LibreOffice prints holds its last column."""
    for lang in L.LANGS:
        ws, pdf = printed[lang]
        width = sum(ws.column_dimensions[get_column_letter(j)].width for j in range(1, ws.max_column + 1))
        assert width <= PRINT_WIDTH and ws.page_setup.fitToWidth == 1, (lang, width)
        first, last = ws.cell(1, 1).value, ws.cell(1, ws.max_column).value
        pages = [text for text in pdf_pages_text(pdf) if text.strip()]
        assert pages and all(first in text and last in text for text in pages), lang


def _costs_table(page: str, policy: str) -> list[str]:
    """The cells of ``policy``'s row in the page's table of what each policy costs (its status column follows)."""
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    cells = [[htmllib.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
             for r in rows]
    (row,) = [c for c in cells if len(c) == 7 and c[0] == policy]
    return row


def test_a_significant_policy_cost_never_reads_0_percent_of_the_plan(brief):
    """The political-risk cap adds a significant USD 2.0 M to the small case's USD 6,186 M (0.03%): the page read
    '0%' and the workbook '0.0%' beside 'significant', as if it cost nothing (on the default case, USD 15.2 M).
    A share that rounds to 0 at its usual digits now shows its first digit; one not significant stays 0%."""
    costs = {pc.policy: pc for pc in policy_costs(brief)}
    small, noise = costs["risk_cap"], costs["china_cap_share"]
    assert small.significant and 0 < small.share < 0.0005 and not noise.significant
    for lang in L.LANGS:
        page = build_brief_html(brief, lang, "small.xlsx", "0" * 64, "test")
        assert _costs_table(page, L.limit_name("risk_cap", lang))[4] == f"{small.share * 100:.2f}%", lang
        assert _costs_table(page, L.limit_name("china_cap_share", lang))[4] == "0%", lang
        ws = build_brief_workbook(brief, lang, [("input_sha256", "0" * 64)], "small.xlsx")[L.label("sheet.costs",
                                                                                                   lang)]
        table = itertools.takewhile(lambda row: row[0].value, ws.iter_rows(min_row=2))  # not the chart's names
        shown = {row[0].value: row[4] for row in table}
        cell = shown[L.limit_name("risk_cap", lang)]
        assert cell.value == small.share and cell.number_format == "0.00%", lang
        assert shown[L.limit_name("china_cap_share", lang)].number_format == "0.0%", lang


@pytest.fixture(scope="module")
def rare_earths(tmp_path_factory):
    """A brief of the default case cut to three rare earths, 2026-2031, with dysprosium's caps of 2030 at 75%, a
    point above the least its data allow (74%): no plan meets their other limits without the agreements, and three
    policies cost nothing significant when added last."""
    tables = ending_in(default_tables_for("neodymium", "dysprosium", "terbium"), LAST)
    set_policy(tables, 2030, "dysprosium", china_cap_share=0.75, single_country_cap_share=0.75)
    path = write_input_workbook(tables, tmp_path_factory.mktemp("in") / "ree.xlsx")
    return run_brief(read_workbook(path).data, TEST_OPTS, 1)


def test_the_workbooks_chart_of_policy_costs_draws_no_empty_bar_for_a_policy_no_plan_can_do_without(rare_earths):
    """Without the agreements no plan meets the rare earths' other limits: the Costs sheet said so in its row,
    but its chart drew that row as an empty bar, which reads 'costs nothing'. The rows no plan can do
    without now come last and the chart stops above them, as the page's chart leaves them out."""
    b = rare_earths
    assert {pc.policy for pc in policy_costs(b) if pc.adds is None} == {AGREEMENTS}
    for lang in L.LANGS:
        ws = build_brief_workbook(b, lang, [("input_sha256", "0" * 64)], "ree.xlsx")[L.label("sheet.costs", lang)]
        (chart,) = ws._charts
        (series,) = chart.series
        ref = series.val.numRef.f  # 'Sheet'!$D$3:$D$n
        first, last = (int(x) for x in re.findall(r"\$(\d+)", ref))
        assert all(isinstance(ws.cell(i, 4).value, (int, float)) for i in range(first, last + 1)), (lang, ref)
        needed = [i for i in range(2, ws.max_row + 1) if ws.cell(i, 1).value == L.limit_name(AGREEMENTS, lang)]
        assert needed and needed[0] > last and ws.cell(needed[0], 4).value is None, lang


def test_the_workbooks_chart_of_policy_costs_marks_what_is_not_significant_as_the_page_does(rare_earths):
    """The page's chart named a bar smaller than its proven gap 'not significant'; the workbook's chart, on the
    Policy column, did not (a '0 M' bar that may not be 0).  Its names now read as the page's."""
    costs = {pc.policy: pc for pc in policy_costs(rare_earths)}
    assert any(pc.adds is not None and not pc.significant for pc in costs.values())
    for lang in L.LANGS:
        ws = build_brief_workbook(rare_earths, lang, [("input_sha256", "0" * 64)], "ree.xlsx")[
            L.label("sheet.costs", lang)]
        (chart,) = ws._charts
        (series,) = chart.series
        ref = (series.cat.numRef or series.cat.strRef).f  # 'Sheet'!$J$3:$J$n
        column, first, last = re.search(r"\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", ref).groups()
        names = [ws[f"{column}{i}"].value for i in range(int(first), int(last) + 1)]
        sig = L.label("sig.no", lang).replace(" ", NBSP)
        assert names == [L.limit_name(p, lang) if costs[p].significant else
                         L.label("sig.chart_name", lang, name=L.limit_name(p, lang), sig=sig)
                         for p in costs if p != NO_POLICY and costs[p].adds is not None], (lang, names)


def test_the_page_and_the_workbook_each_compute_the_policy_costs_once(rare_earths, monkeypatch):
    """The page computed every policy's cost against the strategy four times over (its answer, the stand-in
    sentence, the table and the chart), the workbook four times: each now computes them once and hands them on,
    and says the same as before."""
    from planner.reports import brief_report

    before = (build_brief_html(rare_earths, "en", "ree.xlsx", "0" * 64, "test"),
              workbook_cells(build_brief_workbook(rare_earths, "en", [], "ree.xlsx")))
    calls = []

    def counted(b):
        calls.append(b)
        return policy_costs(b)

    monkeypatch.setattr(brief_report, "policy_costs", counted)
    page = build_brief_html(rare_earths, "en", "ree.xlsx", "0" * 64, "test")
    assert len(calls) == 1
    cells = workbook_cells(build_brief_workbook(rare_earths, "en", [], "ree.xlsx"))
    assert len(calls) == 2
    assert (page, cells) == before


def workbook_cells(wb) -> dict[str, list]:
    """Every sheet's values, row by row."""
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_the_pages_chart_of_policy_costs_marks_what_is_not_significant_and_names_what_it_leaves_out(rare_earths):
    """On the default case the chart of what each policy adds when added last drew the China cap and the
    recycling minimum as '0 M' bars with no mark that they are smaller than the proven gap (the table above it
    says 'not significant'), and left out the agreements, which no plan can do without, with no word.  A bar
    not significant is now named so and a note under the chart says what that means; a note names the
    policies left out."""
    costs = {pc.policy: pc for pc in policy_costs(rare_earths)}
    noise = [p for p, pc in costs.items() if pc.adds is not None and not pc.significant]
    assert noise and costs[AGREEMENTS].adds is None and costs["risk_cap"].significant
    for lang in L.LANGS:
        page = build_brief_html(rare_earths, lang, "ree.xlsx", "0" * 64, "test")
        block = page[page.index(f'aria-label="{htmllib.escape(L.label("brief.costs.chart", lang))}'):]
        block = htmllib.unescape(block[:block.index("</div>")])
        categories = re.findall(r'<text class="category"[^>]*>.*?<title>(.*?)</title>', block)
        sig = L.label("sig.no", lang).replace(" ", NBSP)
        assert categories == [L.limit_name(p, lang) if costs[p].significant else
                              L.label("sig.chart_name", lang, name=L.limit_name(p, lang), sig=sig)
                              for p in costs if p != NO_POLICY and costs[p].adds is not None], lang
        # Wrapped in its band, a label breaks before '(not significant)', never inside it ('(not / significant)').
        lines = [re.findall(r"<tspan[^>]*>(.*?)</tspan>", text) for text in
                 re.findall(r'<text class="category"[^>]*>(.*?)<title>', block)]
        marked = [spans for spans in lines if any(L.label("sig.no", lang).split()[-1] in line for line in spans)]
        assert len(marked) == len(noise) and all(spans[-1] == f"({sig})" for spans in marked), (lang, marked)
        notes = [htmllib.unescape(n) for n in re.findall(r'<p class="note">(.*?)</p>', block)]
        assert notes == [L.label("brief.costs.chart.gap", lang),
                         L.label("brief.costs.chart.needed", lang, policies=L.limit_name(AGREEMENTS, lang))], lang


def test_the_china_answer_says_its_unit_once(brief):
    """'217,724 t China-linked tonnes replaced in 2030' said tonnes twice, in the console, the Answers sheet and
    the page; the figure in tonnes is now followed by what it is of."""
    from planner.reports.brief_report import answer_lines

    question = L.label("brief.q.china", L.EN, year=brief.year)
    [line] = [text for q, text in answer_lines(brief, L.EN) if q == question][:1]
    said = r"[\d,.]+ t of China-linked supply replaced in \d{4}, all minerals, against no policy"
    assert re.fullmatch(said, line), line
