"""Workbooks damaged as their users damage them, each built from the default case: a lock file given in the
workbook's place, a setting typed as a formula and never calculated, a sheet emptied of its rows, a tab renamed
in another case.  Each is read as meant, or refused with one message that names the cause."""

import re
import time

import pytest
from click.testing import CliRunner
from openpyxl.utils import column_index_from_string

from conftest import DEFAULT_WORKBOOK
from corpus import cells, default_bytes, part, rezipped, setting_cell
from planner.cli import main
from planner.workbook import schema as S
from planner.workbook.cells import letter
from planner.workbook.defaults import load_default_tables
from planner.workbook.errors import InputError
from planner.workbook.reader import read_workbook
from planner.workbook.sheet_xml import xlsx_bytes
from planner.workbook.writer import build_input_workbook, write_input_workbook

# The owner file Excel keeps beside an open workbook: the user's name, then again in UTF-16, 165 bytes.
EXCEL_OWNER = (bytes([5]) + b"alice").ljust(55, b" ") + bytes([5, 0]) + "alice".encode("utf-16-le").ljust(108, b" ")
LIBREOFFICE_LOCK = b",alice,desk,07.12.2026 03:40,file:///home/alice/.config/libreoffice/4;"


@pytest.mark.parametrize("lock, content, program", [
    ("~$korea case.xlsx", EXCEL_OWNER, "Excel"),
    ("~$rea case.xlsx", EXCEL_OWNER, "Excel"),  # Excel's name for it may drop the first letters of a long name
    (".~lock.korea case.xlsx#", LIBREOFFICE_LOCK, "LibreOffice"),
])
def test_a_lock_file_given_as_the_workbook_is_called_a_lock_file_and_the_workbook_named(tmp_path, lock, content,
                                                                                          program):
    """A shell's completion offers ``~$korea case.xlsx`` before the workbook: it was "not a zip archive" (Excel's)
    or "a text or CSV file" (LibreOffice's), with the advice to save it as .xlsx."""
    (tmp_path / "korea case.xlsx").write_bytes(DEFAULT_WORKBOOK.read_bytes())
    (tmp_path / lock).write_bytes(content)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(tmp_path / lock), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[1:] == [
        f"  - file: an .xlsx workbook; {lock} is the lock file {program} keeps beside a workbook while it is open "
        "(it only names who has it open). Give korea case.xlsx itself"], result.output
    assert not out.exists()


def _typed(tmp_path, sheet: str, cell: str, value) -> tuple:
    """The default workbook with ``value`` typed in ``sheet``!``cell``, saved: its path and the cell's column."""
    path = tmp_path / "case.xlsx"
    cells(path, {(sheet, cell): value})
    return path, S.SHEET_BY_NAME[sheet].headers[column_index_from_string(re.match("[A-Z]+", cell)[0]) - 1]


def _errors(path) -> list[str]:
    with pytest.raises(InputError) as e:
        read_workbook(path)
    return [str(i) for i in e.value.issues]


def test_a_setting_whose_formula_was_never_calculated_is_one_problem_at_its_cell(tmp_path):
    """It was a second problem too, at the same cell: "found <class 'planner.workbook.cells.Bad'>; a number"."""
    path, cell = tmp_path / "case.xlsx", setting_cell("last_year")
    cells(path, {("Settings", cell): "=B2+9"})  # openpyxl stores no calculated value
    assert _errors(path) == [f"'Settings'!{cell} [value]: found '=B2+9'; a value; this formula was never "
                             "calculated (the workbook was written by a program). Open it in Excel or LibreOffice, "
                             "let it recalculate, and save"]


@pytest.mark.parametrize("sheet, cause", [
    ("Minerals", "509 cell(s) on other sheets name its mineral_ids (the first: 'Suppliers'!B2)"),
    ("Countries", "278 cell(s) on other sheets name its country_codes (the first: 'Suppliers'!D2)"),
    ("Sources", "820 cell(s) on other sheets name its source_ids (the first: 'Settings'!E2)"),
    ("Streams", "cell(s) on other sheets name its stream_ids (the first: 'Recycling'!K2)"),
    ("Refining", "cell(s) on other sheets name its refinery_ids (the first: 'Suppliers'!"),
    ("Suppliers", "a case plans its supply from them"),
])
def test_a_sheet_emptied_of_its_rows_is_one_problem_not_one_per_cell_naming_it(tmp_path, sheet, cause):
    """Every cell naming an id of an emptied sheet was a problem of its own ("a mineral listed on the Minerals
    sheet; it has none"): 509 lines for the Minerals sheet, 815 for Sources, burying the cause; the Suppliers
    sheet emptied was 25 problems of the Scenarios and Disruptions sheets ("these selectors match none")."""
    tables = load_default_tables()
    tables[sheet] = []
    path = write_input_workbook(tables, tmp_path / "case.xlsx")
    errors = _errors(path)
    assert len(errors) == 1, "\n".join(errors)
    assert errors[0].startswith(f"'{sheet}': rows under the header; the sheet has none, and "), errors[0]
    assert cause in errors[0] and errors[0].endswith(". Were its rows deleted? Put them back"), errors[0]


@pytest.mark.parametrize("tab", ["suppliers", "SUPPLIERS", "Suppliers "])
def test_a_tab_renamed_only_in_case_or_spaces_is_read_as_its_sheet(tmp_path, tab):
    """Excel takes sheet names in any case as one name; a tab renamed 'suppliers', or with a space after its
    name, was "a sheet named 'Suppliers'; it is missing", and 'SUPPLIERS' was "(deleted?)"."""
    (tmp_path / "as_built.xlsx").write_bytes(default_bytes())
    wb = build_input_workbook(load_default_tables())
    wb["Suppliers"].title = "renaming"  # openpyxl takes 'suppliers' for a second 'Suppliers' and makes it 'suppliers1'
    wb["renaming"].title = tab
    copy = wb.copy_worksheet(wb[tab])
    copy.title = f"{tab.strip()} (2)"
    (tmp_path / "renamed.xlsx").write_bytes(xlsx_bytes(wb))
    loaded = read_workbook(tmp_path / "renamed.xlsx")
    assert loaded.data.suppliers == read_workbook(tmp_path / "as_built.xlsx").data.suppliers
    assert [str(w) for w in loaded.warnings if w.sheet == copy.title] == [
        f"'{copy.title}': edits on the sheet {tab!r}; this sheet, named as a copy of it, is not read, only {tab!r} is. "
        "Make your changes there, or delete the copy"]


@pytest.mark.parametrize("typed, point", [("0,8", "0.8"), (" 0,75 ", "0.75")])
def test_a_decimal_comma_typed_as_text_is_told_to_be_typed_with_a_point(tmp_path, typed, point):
    """'0,8' typed where the decimal sign is a point is text; the message said "re-enter it as a number", and
    typed again it was text again."""
    path, _ = _typed(tmp_path, "Policy", "C2", typed)
    assert _errors(path) == [f"'Policy'!C2 [china_cap_share]: found {typed!r}; a number, but the cell holds text "
                             f"that looks like a number (a number stored as text); type it with a decimal point, "
                             f"{point}. Expected a share between 0 and 1."]


def test_a_header_row_moved_far_down_is_found_where_it_is(tmp_path):
    """Rows inserted above a table (a title, notes): past row 10 the header was not looked for, and each column
    was "a column headed 'year' in row 1; it is missing (deleted?)"."""
    wb = build_input_workbook(load_default_tables())
    wb["Demand"].insert_rows(1, 12)
    wb["Demand"]["A1"] = "Demand by mineral, from the 2023 strategy"
    path = tmp_path / "case.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    assert _errors(path) == ["'Demand'!A13: the header row in row 1; found headers in row 13. Delete the rows above "
                             "it"]


def test_a_header_row_repeated_inside_the_table_is_one_problem(tmp_path):
    """A table pasted below with its header: each of its 17 cells was a problem of its own ("found 'year'; a
    number; the cell holds text")."""
    wb = build_input_workbook(load_default_tables())
    ws = wb["Suppliers"]
    ws.insert_rows(30)
    for cell in ws[1]:
        ws.cell(30, cell.column, cell.value)
    path = tmp_path / "case.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    assert _errors(path) == ["'Suppliers'!30:30: a row of data; this row repeats the header row (a table pasted "
                             "with its header?). Delete it"]


def test_a_tab_named_as_a_sheet_but_for_a_space_beside_it_is_warned_of_as_a_copy(tmp_path):
    """'Suppliers ' beside 'Suppliers' (a copy renamed, a space typed after the name): its edits are not read,
    and nothing said so."""
    wb = build_input_workbook(load_default_tables())
    copy = wb.copy_worksheet(wb["Suppliers"])
    copy.title = "Suppliers "
    path = tmp_path / "case.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    assert [str(w) for w in read_workbook(path).warnings if w.sheet == "Suppliers "] == [
        "'Suppliers ': edits on the sheet 'Suppliers'; this sheet, named as a copy of it, is not read, only 'Suppliers' is. Make your "
        "changes there, or delete the copy"]


def test_a_true_that_libreoffice_saved_as_a_formula_in_a_text_cell_is_yes(tmp_path):
    """A TRUE in a cell formatted as text (the yes/no columns are), saved by LibreOffice, is stored as the
    formula =TRUE() with the number 1: it was "found 1; yes or no; the cell holds a number. Expected yes or no
    (or TRUE/FALSE)" for a cell showing TRUE."""
    path = tmp_path / "case.xlsx"

    def saved_by_libreoffice(xml: bytes) -> bytes:
        # China's msp_member, in whatever style the writer gives it
        new, n = re.subn(rb'<c r="G3" s="(\d+)" t="inlineStr"><is><t>no</t></is></c>',
                         rb'<c r="G3" s="\1" t="n"><f aca="false">TRUE()</f><v>1</v></c>', xml)
        assert n == 1, "the default workbook's Countries!G3 is no longer China's msp_member 'no'"
        return new

    rezipped(path, {part("Countries"): saved_by_libreoffice})
    assert read_workbook(path).data.countries["CHN"].msp_member is True


@pytest.mark.parametrize("formula, value, read", [
    ("1=1", "1", True), ("B3&lt;&gt;B2", "1", True), ("AND(TRUE(),F3&gt;0.5)", "0", False), ("ISBLANK(Z3)", "1", True),
    ("_xlfn.XOR(TRUE(),FALSE())", "1", True), ("'Sheet=1'!A1 = 2", "0", False)])
def test_any_formula_that_shows_true_or_false_saved_with_a_number_is_yes_or_no(tmp_path, formula, value, read):
    """LibreOffice saves a logical formula in a cell formatted as text with its result as a number, as it saves
    =TRUE(): =1=1 showing TRUE was "found 1; yes or no; the cell holds a number", though =TRUE() was read as yes."""
    path = tmp_path / "case.xlsx"

    def saved_by_libreoffice(xml: bytes) -> bytes:
        new, n = re.subn(rb'<c r="G3" s="(\d+)" t="inlineStr"><is><t>no</t></is></c>',
                         rb'<c r="G3" s="\1" t="n"><f aca="false">' + formula.encode() + rb'</f><v>' + value.encode()
                         + rb'</v></c>', xml)
        assert n == 1, "the default workbook's Countries!G3 is no longer China's msp_member 'no'"
        return new

    rezipped(path, {part("Countries"): saved_by_libreoffice})
    assert read_workbook(path).data.countries["CHN"].msp_member is read


@pytest.mark.parametrize("formula", ["1+0", "IF(F3&gt;0.5,1,0)", "NOT(FALSE())+0", "LEN(\"a=b\")"])
def test_a_formula_giving_a_number_in_a_yes_no_cell_is_still_a_number(tmp_path, formula):
    path = tmp_path / "case.xlsx"
    rezipped(path, {part("Countries"): lambda xml: re.sub(
        rb'<c r="G3" s="(\d+)" t="inlineStr"><is><t>no</t></is></c>',
        rb'<c r="G3" s="\1" t="n"><f>' + formula.encode() + rb'</f><v>1</v></c>', xml)})
    assert _errors(path) == ["'Countries'!G3 [msp_member]: found 1; yes or no; the cell holds a number. Expected yes "
                             "or no (or TRUE/FALSE)"]


TONNES_YR = ("F2", "capacity_t_per_yr", "from 0 to 1,000,000,000 t/yr")
USD_T = ("G2", "price_usd_per_t", ">= 0 USD/t")


@pytest.mark.parametrize("column, typed, unit, where", [
    (TONNES_YR, "1,200 t", "t", "after"), (TONNES_YR, "57 000 t/yr", "t/yr", "after"),
    (TONNES_YR, "12,700 USD", "USD", "after"), (TONNES_YR, "1,5 kt", "kt", "after"),
    # A currency before the number was "the cell holds text" alone, where one after it was told what to do.
    (USD_T, "$16,800", "$", "before"), (USD_T, "USD 12,700", "USD", "before"), (USD_T, "US$ 12,700", "US$", "before"),
    (USD_T, "\u20a9 16,800", "\u20a9", "before"),
])
def test_a_number_typed_with_its_unit_is_told_to_be_typed_alone(tmp_path, column, typed, unit, where):
    """It was "a number; the cell holds text", which did not say what of it was not a number."""
    cell, name, bounds = column
    path, _ = _typed(tmp_path, "Suppliers", cell, typed)
    assert _errors(path) == [f"'Suppliers'!{cell} [{name}]: found {typed!r}; a number; the cell holds text, a number "
                             f"with {unit!r} {where} it: type the number alone, in the column's unit. Expected a "
                             f"number {bounds}."]


def test_a_long_text_in_a_number_cell_is_answered_at_once(tmp_path):
    """'USD 1' and 32,000 spaces took 3.7 s of CPU in the check for a unit before a number, '1', spaces and '!' 14.5 s
    in the one for a unit after it (their spaces were backtracked over, quadratically); the README promises a
    check of any workbook in under 2 s."""
    for typed in ("USD 1" + " " * 32000 + "x", "1" + " " * 32000 + "!"):
        path, _ = _typed(tmp_path, "Suppliers", "G2", typed)
        t0 = time.process_time()
        assert _errors(path)[0].endswith("the cell holds text. Expected a number >= 0 USD/t.")
        assert time.process_time() - t0 < 2.0


def _warnings(path, sheet) -> list[str]:
    return [str(w) for w in read_workbook(path).warnings if w.sheet == sheet]


def test_rows_citing_no_source_are_named_by_their_cells(tmp_path):
    """The warning said "7 row(s) cite none" without a cell: the planner had to hunt for the blanks."""
    column = letter(S.SHEET_BY_NAME["Suppliers"].headers.index("source_id") + 1)
    blanked = [3, 5, 8, 9, 12, 20, 31]
    path = tmp_path / "case.xlsx"
    cells(path, {("Suppliers", f"{column}{r}"): None for r in blanked})
    assert _warnings(path, "Suppliers") == [
        f"'Suppliers'!{column}3 [source_id]: every figure's source cited from the Sources sheet; 7 row(s) cite none: "
        f"{column}3, {column}5, {column}8, {column}9, {column}12, ... (7 in all)"]


def test_a_blank_setting_takes_its_default_with_a_warning_at_its_cell(tmp_path):
    """A cleared first_year planned 2026-2035 whatever the planner meant, without a word."""
    path = tmp_path / "as_given.xlsx"
    path.write_bytes(default_bytes())
    assert _warnings(path, "Settings") == []
    cells(path, {("Settings", setting_cell(name)): None for name in ("first_year", "discount_rate")})
    assert read_workbook(path).data.settings.first_year == 2026
    assert _warnings(path, "Settings") == [
        f"'Settings'!{setting_cell(name)} [{name}]: a value; the cell is blank, so the default {default} is taken. Type it "
        "to keep it, or the value you meant" for name, default in (("first_year", 2026), ("discount_rate", 0.045))]


def test_a_workbook_of_too_many_cells_names_the_sheet_holding_them_and_its_size(tmp_path):
    """It was "file: found 'more than 100,000 cells'": which of 25 sheets, and how big, the planner had to find."""
    cells = b'<c r="A%d"><v>1</v></c><c r="B%d"><v>1</v></c><c r="C%d"><v>1</v></c>'
    rows = b"".join(b'<row r="%d">' % r + cells % (r, r, r) + b"</row>" for r in range(1, 40_001))
    path = tmp_path / "case.xlsx"
    rezipped(path, {part("Feedstock"): b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                       b"<sheetData>" + rows + b"</sheetData></worksheet>"})
    (error,) = _errors(path)
    assert error.startswith("'Feedstock': found '120,000 cells'; at most 100,000 cells in the workbook (a planning "
                            "case has a few thousand); refused. This sheet holds 120,000 of the "), error
    assert error.endswith(" cells counted (a cell formatted but empty counts too): delete the rows and columns beyond "
                          "its table, and save"), error


@pytest.mark.parametrize("sheet, cell, typed, shown", [("Policy", "C2", "40%", "0.4"),
                                                       ("Suppliers", "P2", " 4.5 % ", "0.045")])
def test_a_share_typed_as_text_with_a_percent_sign_is_told_its_value_as_a_share(tmp_path, sheet, cell, typed, shown):
    """"4.5%" pasted as text was "re-enter it as a number": typed again as 4.5 it is refused as above 1."""
    path, column = _typed(tmp_path, sheet, cell, typed)
    assert _errors(path) == [f"'{sheet}'!{cell} [{column}]: found {typed!r}; a number, but the cell holds text that "
                             f"looks like a number (a number stored as text); type it as {shown} (the percentage "
                             "divided by 100). Expected a share between 0 and 1."]


def test_a_price_escalation_typed_as_text_with_a_percent_sign_is_told_its_value_as_a_share(tmp_path):
    """"0.5%" a year pasted as text was "re-enter it as a number": typed again as 0.5 it was read as 50% a year."""
    path, column = _typed(tmp_path, "Suppliers", "H2", "0.5%")
    assert _errors(path) == [f"'Suppliers'!H2 [{column}]: found '0.5%'; a number, but the cell holds text that looks "
                             "like a number (a number stored as text); type it as 0.005 (the percentage divided by "
                             "100). Expected a number from -0.5 to 1 share/yr."]


def test_a_shorter_horizon_runs_on_the_same_workbook_leaving_out_the_years_outside_it(tmp_path):
    """Settings first_year moved to 2027 made every 2026 row of Demand, Feedstock and Policy, and every Scenarios
    first_year of 2026, an error of its own (32): a what-if on a shorter horizon needed the workbook cut first."""
    wb = build_input_workbook(load_default_tables())
    settings = wb["Settings"]
    first = next(r for r in range(2, settings.max_row + 1) if settings.cell(r, 1).value == "first_year")
    settings.cell(first, 2).value = 2027
    demand_2041 = wb["Demand"].max_row + 1  # a year after the horizon too, on a row of its own
    for c, v in enumerate(("lithium", 2041, 1.0, None, "motie_2023"), start=1):
        wb["Demand"].cell(demand_2041, c, v)
    path = tmp_path / "case.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    loaded = read_workbook(path)
    assert list(loaded.data.years) == list(range(2027, 2036))
    assert {y for _, y in loaded.data.demand_t} == set(range(2027, 2036))
    horizon = "years inside the planning horizon 2027-2035 (Settings first_year, last_year)"
    warned = {w.sheet: str(w) for w in loaded.warnings if "planning horizon" in str(w)}
    assert warned == {
        "Demand": f"'Demand'!B2 [year]: {horizon}; 14 row(s) of 2026, 2041 are outside it, and ignored: B2, B12, "
                  "B22, B32, B42, ... (14 in all)",
        "Feedstock": f"'Feedstock'!B2 [year]: {horizon}; 1 row(s) of 2026 are outside it, and ignored: B2",
        "Policy": f"'Policy'!A2 [year]: {horizon}; 8 row(s) of 2026 are outside it, and ignored: A2, A20, A30, A37, "
                  "A56, ... (8 in all)",
        "Scenarios": f"'Scenarios'!I2: {horizon}; 10 selector year(s) reach outside it, and select only the years "
                     "they share with it: I2, I4, I5, I7, I8, ... (10 in all)"}
    demand_high = loaded.scenarios["demand_high"].data
    assert {y for _, y in demand_high.demand_t} == set(range(2027, 2036))


@pytest.mark.parametrize("sheet, cell, year, expected", [
    ("Demand", "B2", 2401, "a year inside the planning horizon 2026-2035 (Settings first_year, last_year)"),
    ("Scenarios", "I2", 2036, "a year inside the planning horizon 2026-2035 (Settings first_year, last_year)"),
])
def test_a_year_no_horizon_could_hold_or_a_span_wholly_outside_it_stays_an_error(tmp_path, sheet, cell, year,
                                                                                   expected):
    """A slip (2401 for 2041) is no row of another horizon; a Scenarios span after the horizon selects nothing."""
    path, column = _typed(tmp_path, sheet, cell, year)
    assert _errors(path) == [f"'{sheet}'!{cell} [{column}]: found {year}; {expected}"]
