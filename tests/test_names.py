"""Reports name what a planner reads, not the workbook's internal ids: a disruption by its description and
the year it starts, a sampled scenario by its stops, an agreement by its partners, mineral and kind, a
recycling plant by its stream and minerals, a group of minerals in words; ids stay where a reader needs
them to find a row (a column of their own, or in brackets after the name)."""

import dataclasses
import re
import subprocess
import sys

import pytest

from conftest import DEFAULT_WORKBOOK, TEST_OPTS
from factory import default_tables_for, ending_in
from models.sampling import sample_disruptions
from planner.reports import labels as L
from planner.reports.plan_report import build_plan_html
from planner.reports.resilience_report import build_hedged_html, build_stress_html
from planner.studies.resilience import study
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook


@pytest.fixture(scope="module")
def d():
    return read_workbook(DEFAULT_WORKBOOK).data


def test_a_disruption_is_named_by_its_description_and_start_year(d):
    sc = next(s for s in d.disruptions if s.name == "china_graphite_stop@2030")
    assert sc.description.startswith("China withholds export licences for graphite for a year: ")
    assert L.disruption_name(d, sc) == "China withholds export licences for graphite for a year, from 2030"
    assert L.disruption_name(d, sc, year_first=True) == "2030: China withholds export licences for graphite for a year"
    # A name made without a description says how long the event stops supply, as the description does.
    assert L.disruption_name(d, sc, "ko") == "중국 흑연 공급 차질 1년간, 2030년부터"
    cobalt = next(s for s in d.disruptions if s.name == "drc_cobalt_halt@2027")
    assert L.disruption_name(d, cobalt) == "DR Congo halts cobalt exports for eight months, from 2027"
    assert L.disruption_name(d, cobalt, "ko") == "콩고민주공화국 코발트 공급 차질 240일간, 2027년부터"
    # Two years, even where the horizon cuts a late start short.
    late = next(s for s in d.disruptions if s.name == f"china_gallium_stop@{d.settings.last_year}")
    assert L.disruption_name(d, late, "ko") == f"중국 갈륨 공급 차질 2년간, {d.settings.last_year}년부터"
    assert L.event_name(d, "china_gallium_stop", "ko") == "중국 갈륨 공급 차질 2년간"
    # A description that gives its year does not get it twice; without one the event's name reads in words.
    nickel = next(s for s in d.disruptions if s.event == "indonesia_nickel_restriction")
    assert L.disruption_name(d, nickel) == "Indonesia restricts exports of nickel intermediates for a year in 2029"
    # Nor on a chart's label, where the year leads ('2029: ... in 2029').
    assert L.disruption_name(d, nickel, year_first=True) == L.disruption_name(d, nickel)
    bare = dataclasses.replace(nickel, description="")
    assert L.disruption_name(d, bare) == "Indonesia nickel restriction for 1 year, from 2029"
    assert L.disruption_name(d, nickel, "ko") == "인도네시아 니켈 공급 차질 1년간, 2029년부터"
    # A Korean description is the Korean name.
    korean = dataclasses.replace(nickel, description="인도네시아 니켈 중간재 수출 제한: 1년")
    assert L.disruption_name(d, korean, "ko") == "인도네시아 니켈 중간재 수출 제한, 2029년부터"
    assert L.event_name(d, "china_gallium_stop") == "China stops most gallium exports for two years"
    for sc in d.disruptions:
        for lang in L.LANGS:
            name = L.disruption_name(d, sc, lang)
            assert "@" not in name and "_" not in name and str(min(y for _s, y in sc.loss)) in name, name
        assert L.is_korean(L.disruption_name(d, sc, "ko"))


def test_a_sampled_scenario_is_named_by_its_stops(d):
    sampled = sample_disruptions(d, 30, 1)
    risks = {r.name: r for r in d.disruption_risks}
    assert all(r.description for r in risks.values())
    for sc in sampled.disruptions:
        stops = [re.match(r"^(.+)@(\d{4})\+(\d+)d$", s).groups() for s in sc.event.split(" & ")]
        name, ko = L.disruption_name(sampled, sc), L.disruption_name(sampled, sc, "ko")
        assert name.startswith(f"Sample {int(sc.name.removeprefix('sample'))}: ") and ko.startswith("표본 ")
        for risk, year, days in stops[:L.SAMPLE_STOPS]:
            assert f"{L.clause(risks[risk].description)} from {year} for {days} days" in name
            assert f"{year}년부터 {days}일간" in ko
        if len(stops) > L.SAMPLE_STOPS:
            assert name.endswith(f"; {len(stops) - L.SAMPLE_STOPS} more")
        assert "@" not in name + ko and "_" not in name + ko


def test_agreements_plants_and_mineral_groups_read_as_words(d):
    assert L.agreement_name(d, "kor_jpn_ni") == "Japan nickel swap (kor_jpn_ni)"
    assert L.agreement_name(d, "kor_jpn_ni", "ko") == "일본 니켈 광물 스와프 (kor_jpn_ni)"
    assert L.agreement_name(d, "msp_nd", with_id=False) == ("United States, Japan, Australia and Canada neodymium "
                                                            "joint stockpile")
    assert L.plant_name(d, "bat_hydro") == ("Spent lithium-ion batteries recycling: lithium, nickel, cobalt, "
                                            "manganese and graphite (bat_hydro)")
    assert L.plant_name(d, "bat_hydro", "ko") == "사용후 리튬이온 배터리 재자원화: 리튬·니켈·코발트·망간·흑연 (bat_hydro)"
    assert L.plant_name(d, "kor_lioh") == "Lithium refinery in Korea (kor_lioh)"
    assert L.plant_name(d, "w_rec_scrap", "ko", with_id=False) == "텅스텐 재자원화 설비"
    group = "lithium+nickel+cobalt+manganese+graphite".split("+")
    assert L.minerals_words(d, group) == "Lithium, nickel, cobalt, manganese and graphite"
    assert L.minerals_words(d, group, "ko") == "리튬·니켈·코발트·망간·흑연"
    assert L.minerals_words(d, ["gallium"]) == "Gallium"



def test_no_two_recycling_plants_share_a_name_in_either_language(d):
    """In Korean the battery and cell-scrap plants were both '리튬·니켈·코발트·망간·흑연 재자원화 설비' (and the two
    magnet plants both '네오디뮴·디스프로슘·터븀 재자원화 설비'): each is named by its stream, in the catalogue's
    Korean words when the Streams sheet's name is English; the plan's Recycling sheet names it beside its id."""
    from models.solve import Session
    from planner.reports.plan_workbook import build_plan_workbook, sheet_name
    from planner.verify import verify

    for lang in L.LANGS:
        names = {k: L.plant_name(d, k, lang, with_id=False) for k in d.module_owners}
        assert len(set(names.values())) == len(names), names
    assert L.plant_name(d, "cell_scrap_hydro", "ko", with_id=False) == (
        "국내 셀 공장 공정 스크랩 재자원화: 리튬·니켈·코발트·망간·흑연")
    assert L.plant_name(d, "magnet_rec", "ko", with_id=False) == "폐차 네오디뮴 영구자석 재자원화: 네오디뮴·디스프로슘·터븀"
    assert L.stream_name(d, "cell_scrap") == "Scrap of Korean cell plants"  # English as the Streams sheet writes it
    # A stream named in Korean on its sheet goes by that name.
    korean = dataclasses.replace(d.streams["cell_scrap"], name="셀 스크랩: 국내 공장")
    assert L.stream_name(dataclasses.replace(d, streams={**d.streams, "cell_scrap": korean}), "cell_scrap", "ko") == (
        "셀 스크랩")
    small = d.restricted_to(["neodymium", "dysprosium", "terbium"])
    plan = Session(small).solve(TEST_OPTS)
    ev = verify(small, plan)
    for lang in L.LANGS:
        ws = build_plan_workbook(small, plan, ev, [], "rare.xlsx", lang)[sheet_name("Recycling", lang)]
        rows = list(ws.iter_rows(values_only=True))
        col = rows[0].index("plant_name" if lang == "en" else "설비 이름")
        named = {r[2]: r[col] for r in rows[1:]}
        assert named == {k: L.plant_name(small, k, lang, with_id=False) for k in named}
        assert len(set(named.values())) == len(named) == 2, named  # magnet_rec and swarf_rec


def test_a_what_if_is_named_by_what_it_changes_where_its_description_cannot_name_it():
    """The Korean compare report named each what-if by its id alone (its Scenarios description is English):
    it is named by what the rows of its first row's kind change, in the years they change it; every name
    distinct, in Korean without an id, and in English where a scenario has no description."""
    loaded = read_workbook(DEFAULT_WORKBOOK)
    ko = {name: L.what_if_name(sc.data, sc.changes, "ko") for name, sc in loaded.scenarios.items()}
    assert ko["graphite_ban_2026"] == "중국 흑연 공급 중단"  # from the first year to the last: no years
    assert ko["gallium_ban"] == "중국 갈륨 공급 중단"  # one option: its route and mineral
    assert ko["rare_earth_ban"] == "중국 디스프로슘·터븀 공급 중단"
    assert ko["lithium_price_up"] == "리튬 가격 1.5배, 2026-2030년"
    assert ko["china_cap_40"] == "중국 의존도 상한 40%, 2030년부터"
    assert ko["indonesia_nickel_restriction"] == "인도네시아 \u2192 중국 니켈 공급 중단"
    assert ko["central_asia_delay"] == "카자흐스탄 리튬·카자흐스탄 갈륨·우즈베키스탄 텅스텐: 공급 시작 연도 +2"
    assert ko["demand_high"] == "광물 8종 수요 1.2배, 2027년부터"
    assert ko["eu_65_any_stage"] == ("채굴 단계 특정국 의존도 상한 65%·정제 단계 특정국 의존도 상한 65%, "
                                     "2030년부터")
    assert len(set(ko.values())) == len(ko) and all(L.is_korean(n) and "_" not in n for n in ko.values())
    sc = loaded.scenarios["lithium_price_up"]
    assert L.what_if_name(sc.data, sc.changes) == "Lithium prices x1.5, 2026-2030"
    assert L.what_if_name(sc.data, ()) == ""


def test_definitions_name_each_indicator_as_its_column_is_headed():
    """The Korean Definitions (plan, compare and sweep workbooks and pages) showed the indicator ids (hhi,
    world_hhi_wgi): each is named as the Indicators sheet heads its column, the id in English (the workbook's
    contract), the catalogue's Korean name in Korean; a page names it in words in either language."""
    from openpyxl import Workbook

    from planner.indicators import DEFINITIONS
    from planner.reports.plan_report import definitions_table
    from planner.reports.plan_workbook import INDICATOR_COLS, write_definitions

    ids = [name for name, _u, _d, _s in DEFINITIONS]
    for lang in L.LANGS:
        wb = Workbook()
        write_definitions(wb, lang)
        named = [r[0] for r in wb.worksheets[-1].iter_rows(min_row=2, values_only=True)]
        heads = {c.name: c.head(lang) for c in INDICATOR_COLS}
        assert named == [heads[i] for i in ids]
        page = re.findall(r"<tr><td(?: class=\"short\")?>([^<]*)</td>", definitions_table(lang))
        assert len(page) == len(ids) and not set(page) & set(ids), page
        if lang == "ko":
            assert not set(named) & set(ids) and all(L.is_korean(n) for n in named + page), named
            assert named[0] == page[0] == "집중도 (HHI)"
        else:
            assert named == ids  # the English sheet as it was


def test_a_decision_is_named_by_what_it_is_about_the_same_on_every_page(d):
    """labels.decision_name names the hedged page's differences and binding limits and the alternatives
    page's ranges: an option, a plant or refinery, an agreement by name with its id, a stock by its mineral."""
    from planner.reports.resilience_report import item_name

    assert L.decision_name(d, "supplier", "li_aus_chn") == L.option_name(d, "li_aus_chn") == item_name(
        d, "purchases", "li_aus_chn") == "Australian spodumene converted to LiOH in China (li_aus_chn)"
    assert L.decision_name(d, "recycling", "kor_lioh") == item_name(d, "refining modules", "kor_lioh") == (
        "Lithium refinery in Korea (kor_lioh)")
    assert L.decision_name(d, "recycling", "kor_lioh", "ko", with_id=False) == "국내 리튬 정제 설비"
    assert item_name(d, "line", "kor_jpn_ni", short=True) == "Japan nickel swap"
    assert L.decision_name(d, "stock", "graphite", "ko") == item_name(d, "stock", "graphite", "ko") == "흑연"
    assert item_name(d, "purchases", "li_aus_chn", "ko", short=True) == "리튬 호주 → 중국"  # for a sentence
    assert L.decision_name(d, "contract", "li_aus_chn") == "li_aus_chn"  # no name of its own

def test_a_country_takes_the_article_its_english_name_takes_in_a_sentence(d):
    """'Korea should pay United States': a sentence names the United States, the Philippines and the Russian
    Federation with 'the' (labels.country_in_text); a table's cell keeps the name (country_name); Korean has no
    article."""
    names = {c: L.country_in_text(d, c) for c in ("USA", "PHL", "RUS", "KOR", "JPN", "COD", "CHN")}
    assert names == {"USA": "the United States", "PHL": "the Philippines", "RUS": "the Russian Federation",
                     "KOR": "Korea", "JPN": "Japan", "COD": "DR Congo", "CHN": "China"}
    assert L.country_name(d, "USA") == "United States" and L.country_in_text(d, "USA", "ko") == "미국"
    other = dataclasses.replace(d.countries["USA"], name="The Gambia")
    assert L.country_in_text(dataclasses.replace(d, countries={**d.countries, "USA": other}), "USA") == "The Gambia"
    assert L.possessive("the United States") == "the United States'" and L.possessive("Korea") == "Korea's"


def test_years_read_in_runs_in_a_cell_and_in_a_sentence_of_either_language():
    """One helper for every report's years (binding limits, crisis years, the years a stock floor binds)."""
    assert L.year_list([2030, 2026, 2027, 2028, 2035]) == "2026-2028, 2030, 2035"  # a cell, in any language
    assert L.year_list([2026, 2027, 2028, 2030, 2033], "en") == "2026-2028, 2030 and 2033"
    assert L.year_list([2026, 2027, 2028, 2030], "ko") == "2026-2028·2030"
    assert L.year_list([2031], "ko") == L.year_list([2031]) == "2031" and L.year_list([]) == ""


def test_a_limit_family_is_named_by_the_label_catalogue_without_loading_the_solver():
    """The cli words a diagnosis and every report names a binding limit through ``labels.family_name``; the
    catalogue stays light (no Pyomo, no HiGHS) so a command that only reads or words things starts fast."""
    assert L.family_name("china_cap") == L.limit_name("china_cap_share") == "China cap"
    assert L.family_name("recycling_share", "ko") == L.limit_name("recycling_min_share", "ko")
    assert L.family_name("demand") == L.label("word.demand", "en")
    loaded = subprocess.run([sys.executable, "-c", "import sys, planner.reports.labels; print(*sorted(sys.modules))"],
                            capture_output=True, text=True, check=True).stdout.split()
    assert "planner.reports.labels" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("pyomo", "highspy", "models") and m not in
                ("models", "models.dataset", "models.plan")]


@pytest.fixture(scope="module")
def rare_earths(tmp_path_factory):
    """The magnet minerals, valued together (their recycling plants link them), with their agreements and
    disruptions, to 2030: the rare-earth licensing from 2027 to 2030 and the sea-lane closure name a disruption
    of one mineral and of several, by start year, as the default case's 38 to 2035 do (its study took 3.2 s of
    CPU; this one, written and read, 1.5 s)."""
    tables = ending_in(default_tables_for("neodymium", "dysprosium", "terbium"), 2030)
    for name in ("Scenarios", "Disruptions"):  # none starting after the horizon
        tables[name] = [r for r in tables[name] if not isinstance(r["first_year"], int) or r["first_year"] <= 2030]
    rare = read_workbook(write_input_workbook(tables, tmp_path_factory.mktemp("in") / "rare.xlsx")).data
    return rare, study(rare, TEST_OPTS)


@pytest.mark.parametrize("lang", L.LANGS)
def test_hedged_and_stress_pages_name_disruptions_agreements_groups_and_figures(rare_earths, lang):
    rare, res = rare_earths
    hedged = build_hedged_html(rare, res, "hedged", "subtitle", lang)
    stress = build_stress_html(rare, res.least_cost, "stress", "subtitle", lang)
    for o in res.hedged.outcomes:
        name = L.disruption_name(rare, o.scenario, lang)
        assert name in hedged and name in stress
        # The id once, in its own column: not in the story, the chart or the cover table.
        assert hedged.count(o.scenario.name) == 1 and stress.count(o.scenario.name) == 1, o.scenario.name
    # The probability column in one format (0.0200 beside 0.0196, never 0.02), and the costliest event's
    # probability in the In short as that column writes it, after its name with how long it stops supply.
    probabilities = re.findall(r'<td class="num">([^<]*)</td><td>&#x27;Disruptions&#x27;!C\d+</td>', stress)
    assert len(probabilities) == len(res.least_cost.outcomes)
    assert len({len(p.split(".")[1]) for p in probabilities}) == 1 and "0.0200" in probabilities, probabilities
    worst = res.least_cost.worst.scenario
    shown = probabilities[[o.scenario.name for o in res.least_cost.outcomes].index(worst.name)]
    assert L.label("res.stress.worst", lang, scenario=L.disruption_name(rare, worst, lang), probability=shown,
                   usd="", lost="", unmet="").split(":")[0] in stress.replace("&#x27;", "'")
    assert re.search(r"\d+(일간|년간)" if lang == "ko" else r" for |months|days", L.disruption_name(rare, worst, lang))
    words = {"en": ("Neodymium, dysprosium and terbium", "value of hedging", "value of the stochastic solution (VSS)",
                    "Japan dysprosium joint stockpile (kor_jpn_dy)", "value (USD M)",
                    "value of the stochastic solution (VSS, USD M)"),
             "ko": ("네오디뮴·디스프로슘·터븀", "헤지의 가치", "확률적 해의 가치(VSS)", "일본 디스프로슘 공동비축 (kor_jpn_dy)",
                    "값 (USD M)", "확률적 해의 가치 (VSS, USD M)")}[lang]
    for w in words:  # as read: a header's unit is held together by no-break spaces
        assert w in hedged.replace("\u00a0", " "), w
    for raw in ("neodymium+dysprosium+terbium", ">value_of_hedging<", ">vss<", ">evpi<", "agreement kor_jpn",
                "(USD)<"):
        assert raw not in hedged, raw
    # One unit in the figures table: every amount in USD M, the range's marker kept.
    table = hedged.replace("\u00a0", " ").split(L.label("res.col.value_m", lang))[1].split("</table>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', table)
    assert cells and all(c.endswith(" M") or c == "\u2013" for c in cells), cells
    assert L.label("res.range_holds_0", lang) in table
    # The In short names agreements and options in words, not by id.
    story = hedged.split('<section class="what-changed">')[1].split("</section>")[0]
    assert L.label("res.decision.purchases", lang) in story and "@" not in story
    assert not re.search(r"\b(kor_jpn|msp|nd|dy|tb)_\w+", story), story


def test_the_plan_page_names_recycling_plants(rare_earths):
    rare, res = rare_earths
    page = build_plan_html(rare, res.hedged.plan, res.hedged.evaluation, "rare.xlsx", "0" * 64)
    assert ("Swarf of Korean magnet plants recycling: neodymium, dysprosium and terbium (swarf_rec)</td>"
            in page)
    assert "<td>swarf_rec</td>" not in page
    ko = build_plan_html(rare, res.hedged.plan, res.hedged.evaluation, "rare.xlsx", "0" * 64, "ko")
    assert "국내 자석 공장 가공 스크랩 재자원화: 네오디뮴·디스프로슘·터븀 (swarf_rec)</td>" in ko



def test_a_list_of_minerals_in_a_sentence_is_the_catalogues_one_list():
    """The plan's In short ('중국 의존도 상한: 2개 광물 (리튬, 니켈)') and a sweep's minerals joined Korean names with
    ', ' where every other Korean sentence joins them with '·': one list (``labels.minerals_words``), both languages."""
    from factory import PolicyLimits, case, supplier
    from models.solve import Session
    from planner.reports.plan_report import story
    from planner.reports.sweep_report import where_words
    from planner.verify import verify

    minerals = ("lithium", "nickel")
    d = case([supplier(f"{m}_{c.lower()}", c, price, 1e4, mineral=m)
              for m in minerals for c, price in (("CHN", 10.0), ("AUS", 20.0))], 100.0, minerals=minerals,
             battery=minerals, policy=PolicyLimits(china_cap_share=0.5))  # China is cheaper: its cap binds for both
    plan = Session(d).solve(TEST_OPTS)
    ev = verify(d, plan)
    assert "the China cap for 2 minerals (lithium and nickel)" in story(d, plan, ev)[-1]
    assert "중국 의존도 상한: 2개 광물 (리튬·니켈)" in story(d, plan, ev, "ko")[-1]
    assert where_words([2030], list(minerals), d, True) == "in 2030 for lithium and nickel"
    assert where_words([2030], list(minerals), d, True, "ko") == "2030년 리튬·니켈에"


def test_a_what_if_is_named_by_its_change_whatever_the_order_of_the_rows_that_serve_it(tmp_path):
    """A tungsten ban in 2028-2029 written below the rows that serve it (shortfalls allowed, the China cap lifted
    in those years) was named in Korean by its first row, '설정 allow_unmet_demand: 예', as if the scenario
    only allowed shortfalls; it is named by the ban, as the same rows written ban first are."""
    from planner.workbook.defaults import load_default_tables
    from test_scenarios import row

    serving = [row("w_ban", lever="edit", sheet="Settings", item_id="allow_unmet_demand", column="value",
                   operation="set", value="yes"),
               row("w_ban", lever="policy", mineral_id="tungsten", first_year=2028, last_year=2029,
                   column="china_cap_share", value=1)]
    ban = [row("w_ban", lever="disruption", mineral_id="tungsten", country="CHN", first_year=2028, last_year=2029,
               value=0)]
    names = []
    for k, rows in enumerate((serving + ban, ban + serving)):
        tables = load_default_tables()
        tables["Scenarios"] = rows
        sc = read_workbook(write_input_workbook(tables, tmp_path / f"case{k}.xlsx")).scenarios["w_ban"]
        names.append([L.what_if_name(sc.data, sc.changes, lang) for lang in ("en", "ko")])
    assert names[0] == names[1], names
    assert names[0][1] == "중국 텅스텐 공급 중단, 2028-2029년", names
