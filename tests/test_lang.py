"""Every command that writes a report, run with --lang ko on a small real case: no English left in the
page (outside ids, codes, units and the methods' own names), every sheet named in Korean, and every
header row of every sheet from the catalogue.  The English runs of the same commands are the other
test files' business; the brief's Korean run is in test_brief."""

import json
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
# Run facts still made in English where the study makes them: compare's and coalition's, sweep's diagnosis
# of a point with no plan, and sensitivity's inputs with their ranges and the decisions they flip.
RUN_IN_ENGLISH = ({"compare", "coalition"}, re.compile(r"no plan unless$| input \d+$|^decision "))

# Each command with the options that keep it small; the report's stem follows the workbook's (dy).
COMMANDS = {
    "solve": ["solve"],
    "hedged": ["solve", "--hedged"],
    "compare": ["compare", "--policies", "-j", "1"],
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


def _ids(loaded) -> set[str]:
    """What a Korean report shows as the workbook writes it: ids and codes, the input workbook's sheet and
    column names (its schema), the Settings choices a sentence names, the
    workbook's own texts (option names, the Uncertainty sheet's descriptions, the checker's messages on
    the default ranges it leaves out: sensitivity's Notes), the literature cited and the methods' names."""
    d, study = loaded.data, prepare(loaded, TEST_OPTS)
    names = {w for sheet in S.SHEET_BY_NAME.values() for w in (sheet.name, *sheet.headers)}
    texts = [*(s.name for s in d.suppliers.values()), *(f.description for f in study.ctx.factors), *study.notes]
    words = {w for text in (*names, *texts) for w in re.findall(r"[A-Za-z]+", text)}
    return ({*d.suppliers, *d.minerals, *d.agreements, *d.countries, *d.recycling, d.settings.reliance_basis,
             *d.estimated_sources} | {sc.event for sc in d.disruptions} | names | words | CITED)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_korean_report_holds_no_english(tmp_path, dy, command):
    out = tmp_path / "out"
    r = CliRunner().invoke(main, [*COMMANDS[command], str(dy), "--lang", "ko", "-o", str(out), "--gap", "1e-4"])
    assert r.exit_code == 0, r.output
    (page,) = out.glob("*.html")
    (book,) = out.glob("*.xlsx")
    ids = _ids(read_workbook(dy))
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
    if command not in RUN_IN_ENGLISH[0]:
        assert [(name, value) for name, value in run if english_words(value, ids)
                and not RUN_IN_ENGLISH[1].search(name)] == [], command


def test_a_particle_follows_a_number_as_it_is_read_aloud():
    """USD 176,572 is read ...칠십이 (ends in a vowel): 를, not 을; 10 (십), 3 (삼), 7 (칠) end in a consonant."""
    assert L.object_("USD 176,572", "ko") == "USD 176,572를"
    assert [L.subject(n, "ko")[-1] for n in ("10", "3", "7", "2", "4", "5", "9", "1", "6", "8")] == \
        ["이", "이", "이", "가", "가", "가", "가", "이", "이", "이"]
    assert L.topic("MSP", "ko") == "MSP는" and L.topic("IRA", "ko") == "IRA는" and L.topic("EU", "ko") == "EU는"
    assert L.object_("USD 176,572", "en") == "USD 176,572"


def test_a_number_of_years_or_modules_reads_as_each_language_counts():
    """'6 년' was the Korean of a threshold's contract years: a counter follows its number unspaced."""
    assert (L.counted("6", "years", "ko"), L.counted("3", "modules", "ko")) == ("6년", "모듈 3개")
    assert (L.counted("6", "years"), L.counted("1", "years"), L.counted("0.5", "share")) == (
        "6 years", "1 year", "0.5 share")
