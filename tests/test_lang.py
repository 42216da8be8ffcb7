"""Every command that writes a report, run with --lang ko on a small real case: no English left in the
page (outside ids, codes, units and the methods' own names), every sheet named in Korean, and every
header row of every sheet from the catalogue.  The English runs of the same commands are the other
test files' business; the brief's Korean run is in test_brief."""

import json
import math
import re

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import TEST_OPTS
from factory import default_tables_for, ending_in
from planner.cli import main
from planner.reports import labels as L
from planner.reports.plan_workbook import sheet_name
from planner.studies.sensitivity import prepare
from planner.workbook import schema as S
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook
from test_brief import english_words

LAST = 2030
# Literature the reports cite by its authors' and tools' names, and the agencies they name.
CITED = {"Gemechu", "py", "JOGMEC", "f"}  # f(lost): the shortage cost curve in a formula

# Run facts that are paths, the command, the platform or libraries' versions: as written in any language.
AS_WRITTEN = {"input_workbook", "command", "output_dir", "platform", "highs", "input_sha256"}

# The optional engine's and its method's own names, and its memory's unit.
ENGINE_WORDS = {"mpisppy", "Progressive", "Hedging", "MB"}

# Each command with the options that keep it small; the report's stem follows the workbook's (dy).
COMMANDS = {
    "solve": ["solve"],
    "hedged": ["solve", "--hedged"],
    "compare": ["compare", "--policies", "-j", "1"],
    "compare_scenarios": ["compare", "--all", "-j", "1"],
    "compare_hedged": ["compare", "--hedged", "-s", "rare_earth_ban", "-j", "1"],
    "sweep": ["sweep", "--recycling", "0:0.2:0.1"],
    "stress": ["stress"],
    "stockpile": ["stockpile", "--days", "60:120:60", "-j", "1"],
    "alternatives": ["alternatives", "--count", "1"],
    "coalition": ["coalition", "--members", "KOR,JPN", "-j", "1"],
    "sensitivity": ["sensitivity", "--trajectories", "2", "-j", "1"],
}
# The strategy's own words for a study, in its report's title (korean_terms.md).
TITLE_TERMS = {"alternatives": "준최적 대안", "sensitivity": "민감도 분석"}


@pytest.fixture(scope="module")
def dy(tmp_path_factory):
    """The default case cut to dysprosium (disrupted, with partners and an agreement), 2026-2030."""
    tables = ending_in(default_tables_for("dysprosium"), LAST)
    return write_input_workbook(tables, tmp_path_factory.mktemp("in") / "dy.xlsx")


@pytest.fixture(scope="module")
def dy_2028(tmp_path_factory):
    """dy cut to 2026-2028, for the sensitivity study (its ~200 solves, each smaller): its page has every section
    and its workbook every sheet that dy's do, and its page more charts (the scenarios starting later go)."""
    tables = ending_in(default_tables_for("dysprosium"), 2028)
    tables["Scenarios"] = [r for r in tables["Scenarios"] if not isinstance(r["first_year"], int)
                           or r["first_year"] <= 2028]
    return write_input_workbook(tables, tmp_path_factory.mktemp("in") / "dy.xlsx")


def _ids(loaded) -> set[str]:
    """What a Korean report shows as the workbook writes it: ids and codes, the input workbook's sheet and
    column names (its schema), the Settings choices a sentence names, the
    workbook's own texts (option names, the Uncertainty sheet's descriptions, the checker's messages on
    the default ranges it leaves out: sensitivity's Notes), the literature cited and the methods' names."""
    d, study = loaded.data, prepare(loaded, TEST_OPTS)
    names = {w for sheet in S.SHEET_BY_NAME.values() for w in (sheet.name, *sheet.headers)}
    texts = [*(s.name for s in d.suppliers.values()), *(f.description for f in study.ctx.factors),
             *(str(n.values.get("issue", "")) for n in study.notes)]
    words = {w for text in (*names, *texts) for w in re.findall(r"[A-Za-z]+", text)}
    # A what-if's id heads its columns and charts, as in English; a long id may break after each '_'.
    scenarios = {w for name in loaded.scenarios for w in (name, *name.split("_"))}
    return ({*d.suppliers, *d.minerals, *d.agreements, *d.countries, *d.recycling, d.settings.reliance_basis,
             *d.estimated_sources} | {sc.event for sc in d.disruptions} | names | words | scenarios | CITED)


@pytest.fixture(scope="module")
def ids_of():
    """``_ids`` of a workbook, worked out once for every command run on it (a read and a study's preparation)."""
    known = {}

    def ids(path):
        if path not in known:
            known[path] = _ids(read_workbook(path))
        return known[path]

    return ids


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_korean_report_holds_no_english(tmp_path, request, ids_of, monkeypatch, command):
    from planner.studies import jobs

    dy = request.getfixturevalue("dy_2028" if command == "sensitivity" else "dy")
    # solve --hedged's values one at a time, in this process (the other commands are given -j 1): the words do not
    # depend on it, and a worker spawned after a solve here imports the solver stack again (about 1 s of CPU each).
    monkeypatch.setattr(jobs, "default_jobs", lambda: 1)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, [*COMMANDS[command], str(dy), "--lang", "ko", "-o", str(out), "--gap", "1e-4"])
    assert r.exit_code == 0, r.output
    (page,) = out.glob("*.html")
    (book,) = out.glob("*.xlsx")
    ids = ids_of(dy)
    text = page.read_text(encoding="utf-8")
    assert '<html lang="ko">' in text
    assert TITLE_TERMS.get(command, "") in re.search(r"<title>(.*?)</title>", text).group(1)
    assert english_words(re.sub(r"--[\w-]+", " ", text), ids) == [], command  # options by their names
    wb = load_workbook(book)
    assert all(L.is_korean(name) for name in wb.sheetnames), wb.sheetnames
    for ws in wb.worksheets:
        heads = " ".join(str(c.value) for c in ws[1] if c.value is not None)
        assert english_words(heads, ids) == [], (command, ws.title)
    # The Run sheet's facts in words are in Korean too, where the .json keeps them in English; facts that are
    # paths, the command line, the platform or a tool's own identifiers stay as written.
    facts = json.loads(next(out.glob("*.json")).read_text())
    cells = list(wb[sheet_name("Run", "ko")].iter_rows(min_row=2, max_col=2, values_only=True))
    assert [name for name, value in cells if isinstance(value, bool)] == [], command  # 예 or 아니오, not TRUE or 1
    run = [(name, value) for name, value in cells
           if isinstance(value, str) and name not in AS_WRITTEN and not name.endswith("termination")]
    assert [name for name, value in run if L.is_korean(value) and L.is_korean(str(facts[name]))] == []
    assert [(name, value) for name, value in run if english_words(value, ids)] == [], command


def test_the_mpisppy_engine_is_a_run_fact_in_words(dy):
    """--engine mpisppy's engine fact: the .json's English as it was, a Korean Run sheet's Korean (the run itself
    needs the optional engine; the fact is made before any solve)."""
    from planner.reports.runinfo import mpisppy_engine
    from planner.studies.scale_out import plan_blocks

    loaded = read_workbook(dy)
    ways = []
    for memory_mb in (4096.0, 1.0):  # the block whole on one rank, then too large for one: PH
        (b,) = plan_blocks(loaded.data, memory_mb)
        ways.append(b.method)
        fact = mpisppy_engine(3, [b], memory_mb)
        way = "extensive form on one rank" if b.method == "ef" else "Progressive Hedging across the ranks"
        assert fact == (f"mpisppy on 3 MPI ranks: {b.name} {way} (~{b.estimate_mb:,.0f} MB); "
                        f"rank memory {memory_mb:,.0f} MB")
        korean = fact.in_lang("ko")
        assert L.is_korean(korean) and english_words(korean, {*loaded.data.minerals, *ENGINE_WORDS}) == [], korean
    assert ways == ["ef", "ph"]


def test_a_particle_follows_a_number_as_it_is_read_aloud():
    """USD 176,572 is read ...칠십이 (ends in a vowel): 를, not 을; 10 (십), 3 (삼), 7 (칠) end in a consonant."""
    assert L.object_("USD 176,572", "ko") == "USD 176,572를"
    assert [L.subject(n, "ko")[-1] for n in ("10", "3", "7", "2", "4", "5", "9", "1", "6", "8")] == \
        ["이", "이", "이", "가", "가", "가", "가", "이", "이", "이"]
    assert L.topic("MSP", "ko") == "MSP는" and L.topic("IRA", "ko") == "IRA는" and L.topic("EU", "ko") == "EU는"
    assert L.object_("USD 176,572", "en") == "USD 176,572"
    # Tonnes after a number are read 톤 (a consonant), not the letter t: '(+6,000 t)로' read wrong.
    assert L.to("(+6,000\u00a0t)", "ko") == "(+6,000\u00a0t)으로" and L.object_("6,000 t", "ko") == "6,000 t을"
    assert L.subject("t", "ko") == "t가"
    # A bracketed aside at the end is not read: '평균 (설정 risk_basis both)를' took 'h' of 'both'.
    assert L.object_("평균 (설정 risk_basis both)", "ko") == "평균 (설정 risk_basis both)을"
    assert L.subject("리튬 가격 1.5배, 2026-2030년 (lithium_price_up)", "ko").endswith("(lithium_price_up)이")
    assert L.object_("수입 (a (b) c)", "ko").endswith("을") and L.to("x)", "ko") == "x)로"


def test_no_korean_particle_is_written_after_a_field_whatever_fills_it():
    """A particle depends on how the filled-in word ends: "USD 48,336 M와" (엠 ends in a consonant: 과). The
    catalogue asks for it by role ({least_with}, {basis_object}), never writes one after a field."""
    bare = re.compile(r"\{[a-z_]+\}(?:와|과|을|를|이|가|은|는|으로|로)(?![가-힣])")
    assert [k for k, (_en, ko) in L.CATALOGUE.items() if bare.search(ko)] == []
    assert L.label("res.hedge.story", "ko", n=3, hedged="USD 10 M", least="USD 48,336 M", tail="10%",
                   cvar="USD 1 M", cvar_least="USD 2 M", premium="+USD 1 M").count("USD 48,336 M과 ") == 1
    assert L.with_("수입", "ko") == "수입과" and L.with_("USD 2", "ko") == "USD 2와" and L.with_("x", "en") == "x"
    # 로 after a vowel or ㄹ, else 으로: "USD 48,326 M으로" (엠), "4.5%로" (퍼센트), "비축일수로", "10으로", "1로" (일)
    assert [L.to(w, "ko") for w in ("USD 48,326 M", "4.5%", "비축일수", "10", "1", "수입", "pro_rata")] == [
        "USD 48,326 M으로", "4.5%로", "비축일수로", "10으로", "1로", "수입으로", "pro_rata로"]


def test_a_number_of_years_or_modules_reads_as_each_language_counts():
    """'6 년' was the Korean of a threshold's contract years: a counter follows its number unspaced."""
    assert (L.counted("6", "years", "ko"), L.counted("3", "modules", "ko")) == ("6년", "모듈 3개")
    assert (L.counted("6", "years"), L.counted("1", "years"), L.counted("0.5", "share")) == (
        "6 years", "1 year", "0.5 share")


def test_the_sensitivity_story_counts_one_input_as_one():
    """The default case's gallium study (-m gallium --only-declared) read '1 uncertain inputs: 1 from the
    Uncertainty sheet and 0 default ranges' and '(1 of the 1 inputs in the model)'."""
    one = dict(n=1, declared=1, default=1, in_model=1, sampled="x", screen=1, samples=1, search=1, cost="USD 1 M")
    text = L.label("sens.story.inputs", **one)
    assert text.startswith("1 uncertain input: 1 from the Uncertainty sheet and 1 default range over"), text
    assert "(1 sample)" in text and "x: 1 sample," in text and "the 1 solve of" in text
    many = L.label("sens.story.inputs", **(one | dict(n=2, default=0, screen=4)))
    assert many.startswith("2 uncertain inputs: 1 from") and "0 default ranges" in many and "(4 samples)" in many
    assert "(1 of the 1 input in the model)" in L.label("sens.story.unmeasured", inputs="a", n=1, in_model=1,
                                                         tornado="t")


# Counts the English catalogue may leave plural: a verb agrees with them ('{n} minerals stay'), or they are never 1
# (the members of a coalition, scenarios beyond a limit, the threshold search's 7 bisection steps), or the plural is
# not an added ending (countries).
PLURAL_ALWAYS = {"res.values_skipped", "res.dis.many_minerals", "coal.story.together", "coal.story.most",
                 "coal.story.only", "coal.story.one", "coal.story.nothing", "sens.group.countries",
                 "note.sens_threshold"}


def test_an_english_count_of_one_takes_no_plural_ending():
    """About a hundred English labels wrote a count before a plural noun: 'drawn in 1 of 1 disruptions', '1 points,
    1 solved', 'Of 1 decisions ranged'.  Each takes the noun's ending from its count ('{of} disruption{of_s}',
    which label() fills), but for the labels whose counts are never 1 or need more than an ending."""
    nouns = ("samples", "plans", "decisions", "minerals", "cases", "points", "scenarios", "disruptions", "blocks",
             "coalitions", "members", "rows", "steps", "inputs", "ends", "options", "modules", "suppliers",
             "countries", "agreements", "solves", "draws", "events", "limits", "plants", "groups", "values")
    plural = {key for key, texts in L.CATALOGUE.items() if isinstance(texts, tuple) and isinstance(texts[0], str)
              for field, noun in re.findall(r"\{(\w+)\} ([a-z]+)\b", texts[0])
              if noun in nouns and f"{{{field}_s}}" not in texts[0]}
    assert plural == PLURAL_ALWAYS
    assert L.label("res.why.stock", n=1, of=1, mineral="gallium", t="2 t", year=2027) == (
        "drawn in 2027 by 1 of 1 disruption of gallium; 2 t expected that year")
    assert L.label("res.why.stock", n=1, of=3, mineral="gallium", t="2 t", year=2027).startswith(
        "drawn in 2027 by 1 of 3 disruptions")
    one = L.label("plan.story.china_over", year=2030, cap="50%", minerals="Graphite 73%")
    assert one == "Above 50% in 2030, each as its own Policy row allows: Graphite 73%."  # was '1 minerals stay above'


def test_a_wrapped_korean_row_is_as_tall_as_its_korean_lines():
    """Korean glyphs stand taller than Latin ones: a second line at 15 pt a line was cut off in LibreOffice."""
    from openpyxl import Workbook

    from planner.reports.plan_workbook import LINE_PT, WIDE_LINE_PT, _column_width, fit_columns, text_width

    ws = Workbook().active
    texts = ["차감 항목이라 음수: 마지막 해 이후에 넘겨주는 비축량을 그해 최저가로 평가한 가치 " * 3,
             "A credit, so negative: the stock handed on past the last year, valued at that year's price " * 3]
    for text in texts:
        ws.append(["a", 1.5, text])
    fit_columns(ws)
    lines = [math.ceil(text_width(t) / (_column_width(ws, 3) - 2)) for t in texts]
    assert min(lines) > 1
    heights = [ws.row_dimensions[r].height for r in (1, 2)]
    assert heights == [WIDE_LINE_PT * lines[0], LINE_PT * lines[1]]
    assert heights[0] / lines[0] >= 18 > heights[1] / lines[1]  # a Korean line is taller than a Latin one


def test_every_reason_a_study_gives_is_worded_in_each_language():
    """A case, sweep point or alternative without a plan says why in the report's language (planner.studies.reasons)."""
    from planner.studies import reasons

    keys = [v for k, v in vars(reasons).items() if k.isupper() and isinstance(v, str)]
    assert len(keys) == 10
    for key in keys:
        en, ko = (L.label(f"why.{key}", lang, s="60", detail="x") for lang in L.LANGS)
        assert not L.is_korean(en) and L.is_korean(ko), key


def test_the_language_is_chosen_in_any_case(tmp_path, dy):
    """--lang KO was refused (exit 2) as not one of 'en', 'ko'."""
    r = CliRunner().invoke(main, ["solve", str(dy), "--lang", "KO", "-o", str(tmp_path), "--gap", "1e-4"])
    assert r.exit_code == 0, r.output
    (page,) = tmp_path.glob("*.html")
    assert '<html lang="ko">' in page.read_text(encoding="utf-8")
    langs = {name: p for name, command in main.commands.items() for p in command.params if p.name == "lang"}
    assert len(langs) == 9  # every command that writes a report
    for name, param in langs.items():
        assert [param.type.convert(v, param, None) for v in ("Ko", "EN")] == ["ko", "en"], name


def test_a_korean_header_names_what_its_column_holds(tmp_path, dy):
    """Korean headers a reviewer read as saying something else: the brief's Replacing China sheet headed its tonnes
    of China-linked supply 중국 의존도 (a share) and its supply option ids 'id' in English; the plan's recycling
    sheet headed its plant ids 설비 운영 주체 (an operating entity); the policy indicators sheet put 채굴 단계
    특정국 상한 beside its own shadow price, 채굴 단계 특정국 의존도 상한 잠재가격.  The catalogue's words for
    not significant, export controls and a shortage follow korean_terms.md (유의하지 않음, 수출통제, 부족량): a
    significance cell read 아니오: 범위가 0을 포함, a header 수출 제한, and compare's sentence '2026년 부족량 …;
    2027-2035 미충족 …' worded one quantity two ways."""
    for command in ("brief", "solve"):
        r = CliRunner().invoke(main, [command, str(dy), "--lang", "ko", "-o", str(tmp_path), "--gap", "1e-4"])
        assert r.exit_code == 0, r.output
    (brief,) = tmp_path.glob("*-brief.xlsx")
    ws = load_workbook(brief)[L.label("sheet.china", "ko")]
    heads = [c.value for c in ws[1]]
    assert all(L.is_korean(h) for h in heads), heads
    for j, plan in ((2, "word.no_policy"), (3, "word.plan")):  # tonnes, not a share
        assert "의존도" not in heads[j] and "중국 연계 물량" in heads[j] and heads[j].endswith("(t)"), heads[j]
        assert L.label(plan, "ko") in heads[j], heads[j]
    assert ws.cell(2, 3).value > 1  # tonnes: a share is at most 1
    (plan,) = tmp_path.glob("*-plan.xlsx")
    wb = load_workbook(plan)
    heads = [c.value for c in wb[sheet_name("Recycling", "ko")][1]]
    plant = heads.index(L.label("head.plant", "ko"))
    assert heads[plant + 1] == f"{heads[plant]} 이름" and "운영 주체" not in heads[plant], heads  # an id, then its name
    heads = [c.value for c in wb[sheet_name("Policy", "ko")][1]]
    shadows = {i: h.removesuffix(" 잠재가격 (USD/포인트)") for i, h in enumerate(heads) if h.endswith(" 잠재가격 (USD/포인트)")}
    assert {L.label(f"limit.{stage}_country_cap_share", "ko") for stage in ("mining", "refining")} < {*shadows.values()}
    assert [(heads[i - 1], limit) for i, limit in shadows.items() if heads[i - 1] != limit] == []  # cap, its price
    ko = {key: words[1] for key, words in L.CATALOGUE.items()}
    assert [key for key, words in ko.items() if "수출 제한" in words] == []
    assert ko["sig.cell.no"] == ko["sig.no"] and ko["res.range_holds_0"].startswith(f"{ko['sig.no']}: ")
    assert [key for key, words in ko.items() if key.startswith("note.") and words.startswith("아니오: ")
            and "significant" in key] == []
    assert "부족량" in ko["compare.story.shortfall"] and "부족량" in ko["compare.story.later"]
    assert "미충족" not in ko["compare.story.later"]


def test_korean_words_name_the_input_sheets_by_the_names_they_have():
    """The input workbook's sheets have English names in either language ('Policy', 'Disruptions'), as most
    Korean sentences say them ('Sources 시트'); the brief, compare and stockpile said 정책 시트 and 공급 차질 시트,
    sheets a reader could not find."""
    ko = {key: words[1] for key, words in L.CATALOGUE.items()}
    assert [key for key, words in ko.items() if "정책 시트" in words or "공급 차질 시트" in words] == []
    assert "Policy 시트" in ko["brief.assume.no_policy"] and "Disruptions 시트" in ko["brief.q.stop.none"]
