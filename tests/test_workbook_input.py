"""The planning workbook: the default validates clean, init reproduces it, and
planted errors are reported exactly, each at its cell, all at once."""

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from factory import default_tables_for, ending_in, set_policy
from conftest import DEFAULT_WORKBOOK
from corpus import cells, part, rezipped, set_value_xml, setting_cell
from planner.workbook import schema as S
from planner.cli import main
from planner.workbook.defaults import load_default_tables
from planner.workbook.errors import InputError
from planner.workbook.cells import letter
from planner.workbook.reader import read_workbook
from planner.workbook.sheet_xml import xlsx_bytes
from planner.workbook.writer import build_input_workbook, write_input_workbook

# Cell -> (column, new value, what the planted error is)
PLANTED = {
    ("Suppliers", "F2"): ("capacity_t_per_yr", "lots", "text where a number belongs"),
    ("Suppliers", "G3"): ("price_usd_per_t", "12700", "a number stored as text"),
    ("Suppliers", "I4"): ("fixed_cost_usd_per_yr", -5, "a negative cost"),
    ("Countries", "C3"): ("political_risk", 72, "a share outside [0, 1]"),
    ("Demand", "B2"): ("year", 2401, "a year no horizon could hold (one outside this horizon is ignored)"),
    ("Suppliers", "B6"): ("mineral_id", "unobtainium", "an unknown mineral"),
    ("Suppliers", "D7"): ("origin_country", "XXX", "an unknown country"),
    ("Suppliers", "E8"): ("processing_country", None, "a blank required cell"),
    ("Suppliers", "A9"): ("supplier_id", " LI_AUS_CHN ", "a duplicate id differing by case and spaces"),
    ("Demand", "C3"): ("demand_t", "=2*55000", "a formula never calculated"),
    ("Stockpile", "E1"): ("max_stock_t", "max_stock", "a renamed column"),
}
# Two planted errors that are only visible across columns.
CROSS = {
    ("Suppliers", "K10"): ("first_year", 2029),  # last_year is 2026 below
    ("Suppliers", "L10"): ("last_year", 2026),
    ("Suppliers", "J11"): ("min_volume_t_per_yr", 10**9),  # above capacity
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "broken.xlsx"
    cells(path, {**{at: value for at, (_col, value, _why) in PLANTED.items()},
                 **{at: value for at, (_col, value) in CROSS.items()},
                 ("Suppliers", "D12"): "RUS"})  # sanctioned: a warning, not an error
    return path


def test_default_workbook_validates_clean():
    loaded = read_workbook(DEFAULT_WORKBOOK)
    assert loaded.warnings == []
    assert len(loaded.data.minerals) == 13
    assert len(loaded.data.suppliers) == 66
    assert list(loaded.data.years) == list(range(2026, 2036))


def test_validate_shows_the_policy_sheets_recycling_minimum_beside_what_recycling_can_give():
    """The brackets of validate's recycling table hold the Policy sheet's recycling_min_share of that mineral
    and year (the header said 'the Recycling minimum', a sheet that holds none)."""
    result = CliRunner().invoke(main, ["validate", str(DEFAULT_WORKBOOK)])
    assert result.exit_code == 0, result.output
    assert "the Policy sheet's recycling minimum in brackets" in result.output
    d = read_workbook(DEFAULT_WORKBOOK).data
    table = result.output[result.output.index("recycling minimum in brackets"):]
    nickel = next(line for line in table.splitlines() if line.split()[:1] == ["nickel"])
    floors = [float(f.strip("()%")) / 100 for f in nickel.replace("( ", "(").split() if f.startswith("(")]
    assert floors == pytest.approx([d.limit("recycling_min_share", "nickel", y) for y in (2026, 2030, 2035)])


def test_validate_shows_what_recycling_can_give_in_the_cases_target_year(tmp_path):
    """validate's recycling table showed 2030 beside the first and last years whatever the case: a strategy that
    reaches its limits in 2028 showed 2030 and not 2028.  Dysprosium over 2026-2031 on the strategy's path moved two
    years earlier (the limits of 2030 from 2028 on), without its own Policy rows."""
    tables = ending_in(default_tables_for("dysprosium"), 2031)
    rows = [r for r in tables["Policy"] if r["mineral_id"] is None]
    final = next(r for r in rows if r["year"] == 2030)
    tables["Policy"] = [r if r["year"] < 2028 else {**final, "year": r["year"]} for r in rows]
    path = write_input_workbook(tables, tmp_path / "early.xlsx")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "the strategy's target year (2028)" in result.output
    table = result.output[result.output.index("recycling minimum in brackets"):].splitlines()
    assert table[1].split() == ["2026", "2028", "2031"]
    dysprosium = next(line for line in table if line.split()[:1] == ["dysprosium"])
    floors = [float(f.strip("()%")) / 100 for f in dysprosium.replace("( ", "(").split() if f.startswith("(")]
    assert floors == pytest.approx([0.02, 0.2, 0.2])


def test_every_estimate_is_labelled_and_every_row_cites_a_source():
    wb = load_workbook(DEFAULT_WORKBOOK)
    sources = {r[0]: r for r in wb["Sources"].iter_rows(min_row=2, values_only=True)}
    assert any(r[3] == "yes" for r in sources.values())
    for sheet in S.SHEETS:
        if sheet.name in ("Settings", "Sources"):
            continue
        j = sheet.headers.index("source_id")
        cited = [r[j] for r in wb[sheet.name].iter_rows(min_row=2, values_only=True)]
        assert cited and all(c in sources for c in cited), sheet.name
    # Settings that are figures (not solver options) cite their source too.
    settings = {r[0]: r[4] for r in wb["Settings"].iter_rows(min_row=2, values_only=True)}
    for name in ("first_year", "last_year", "price_year", "discount_rate", "min_contract_years",
                 "risk_stage_combination", "risk_weight_mining", "price_basis"):
        assert settings[name] in sources, name
    for sid, row in sources.items():
        if row[3] == "yes":  # an estimate must say so where a reader looks
            assert "estimate" in " ".join(str(x) for x in row if x).lower(), sid


def test_planted_errors_are_reported_exactly(broken):
    with pytest.raises(InputError) as exc:
        read_workbook(broken)
    found = {(i.sheet, i.cell, i.column) for i in exc.value.issues}
    expected = {(s, c, col) for (s, c), (col, _v, _w) in PLANTED.items()}
    expected |= {("Suppliers", "K10", "first_year"), ("Suppliers", "J11", "min_volume_t_per_yr")}
    assert found == expected
    by_cell = {(i.sheet, i.cell): i for i in exc.value.issues}
    assert "stored as text" in by_cell["Suppliers", "G3"].expected
    assert by_cell["Countries", "C3"].expected == "a score between 0 and 1"  # a risk score: no percent hint
    assert "renamed" in by_cell["Stockpile", "E1"].expected or "max_stock" in by_cell["Stockpile", "E1"].expected
    assert "formula" in str(by_cell["Demand", "C3"]) and "never calculated" in str(by_cell["Demand", "C3"])
    assert [w.cell for w in exc.value.warnings] == ["D12"]


def test_cli_lists_every_problem_and_exits_2(broken):
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for (sheet, cell), _ in PLANTED.items():
        assert f"'{sheet}'!{cell}" in result.output


@pytest.mark.parametrize("content, words", [
    (b"supplier_id,mineral_id\nli,lithium\n", "text"),
    (b"PK\x03\x04 this is not really a zip", "xlsx"),
    (b"", "empty"),
])
def test_unreadable_files_get_one_clean_message(tmp_path, content, words):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert words in result.output.lower()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes as POSIX has them")
def test_a_pipe_given_as_the_workbook_is_called_a_pipe_not_an_empty_file(tmp_path):
    """``planner validate <(cat my_plan.xlsx)`` (a pipe the shell names /dev/fd/63) was "the file is empty (0
    bytes)": a pipe has no size, and the workbook is read more than once, so it cannot be read from one."""
    pipe = tmp_path / "case.xlsx"
    os.mkfifo(pipe)
    result = CliRunner().invoke(main, ["validate", str(pipe)])
    assert result.exit_code == 2
    assert result.output.splitlines()[1] == (f"  - file: {str(pipe)!r} is a pipe or a device, not a file; expected "
                                             "an .xlsx workbook saved as a file"), result.output


def test_xml_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(DEFAULT_WORKBOOK) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
                        b'"&lol;&lol;&lol;&lol;">]>' + body)
            dst.writestr(item, data)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "entit" in result.output.lower() or "doctype" in result.output.lower()


def test_missing_sheet_is_named(tmp_path):
    wb = build_input_workbook(load_default_tables())
    del wb["Agreements"]
    path = tmp_path / "no_agreements.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    assert [(i.sheet, i.cell) for i in exc.value.issues] == [("Agreements", "")]


def _issues(path) -> list:
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    return exc.value.issues


def test_a_missing_sheet_says_it_is_missing_and_where_its_columns_are(tmp_path):
    wb = build_input_workbook(load_default_tables())
    del wb["Policy"]
    path = tmp_path / "no_policy.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    (issue,) = _issues(path)
    assert str(issue) == ("'Policy': a sheet named 'Policy'; it is missing (deleted?). Add it back: README, "
                          "Workbook reference lists its columns")


def test_a_renamed_sheet_is_not_taken_for_another_sheet_of_the_workbook(tmp_path):
    """Countries is missing; Sources (a sheet of its own, close in spelling) is no rename of it."""
    wb = build_input_workbook(load_default_tables())
    del wb["Countries"]
    path = tmp_path / "no_countries.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    assert [str(i) for i in _issues(path)] == [
        "'Countries': a sheet named 'Countries'; it is missing (deleted?). Add it back: README, Workbook reference "
        "lists its columns"]


def test_an_optional_column_renamed_with_values_under_it_is_an_error_not_ignored(tmp_path):
    """An optional column's header retyped ('Ramp up', 'delivery_prob') was "a known column; this column is
    ignored", a warning: the run went on without the values typed under it. Renamed and empty, it is still
    a warning, as any other column the planner does not read."""
    path = write_input_workbook(default_tables_for("gallium"), tmp_path / "gallium.xlsx")  # 0.7 and 0.8 typed
    wb = load_workbook(path)
    ws = wb["Suppliers"]
    header = {c.value: c for c in ws[1]}
    header["delivery_probability"].value = "delivery_prob"
    header["contract_years_left"].value = "contract years"  # nothing typed under it
    path.write_bytes(xlsx_bytes(wb))
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    (issue,) = exc.value.issues
    letter = header["delivery_probability"].column_letter
    assert str(issue) == (f"'Suppliers'!{letter}1 [delivery_probability]: found 'delivery_prob'; a column headed "
                          "'delivery_probability'; this one looks like it was renamed, and the values under it would be "
                          "ignored")
    empty = header["contract_years_left"].column_letter
    assert [str(w) for w in exc.value.warnings if w.cell == f"{empty}1"] == [
        f"'Suppliers'!{empty}1: found 'contract years'; a known column; this column is ignored"]


def test_the_scenarios_and_uncertainty_sheets_are_checked_in_the_same_run_as_a_bad_case(tmp_path):
    """With an error anywhere in the case (here a Suppliers cell), the Scenarios and Uncertainty sheets were not
    read at all: their own mistakes showed only in the next run, once the case was fixed.  What they select is
    still not checked then, as it may be the bad row's: the Kazakh option with the bad cell is the one both name."""
    tables = default_tables_for("gallium")
    kaz = next(r for r in tables["Suppliers"] if r["supplier_id"] == "ga_kaz_kaz")
    kaz["capacity_t_per_yr"] = "plenty"
    path = write_input_workbook(tables, tmp_path / "kaz.xlsx")
    assert [(i.sheet, i.column) for i in _issues(path)] == [("Suppliers", "capacity_t_per_yr")]
    delay = next(r for r in tables["Scenarios"] if r["scenario"] == "central_asia_delay")
    delay["column"] = "first_yr"
    tables["Uncertainty"][0]["column"] = "capacity"
    path = write_input_workbook(tables, tmp_path / "three.xlsx")
    found = [str(i) for i in _issues(path)]
    assert len(found) == 3 and found[0].startswith("'Suppliers'!"), found
    assert "[column]: found 'first_yr'; a column of Suppliers a scenario can change; did you mean 'first_year'?" \
        in found[1], found
    assert found[2].endswith("[column]: found 'capacity'; a number column of Suppliers; did you mean "
                             "'capacity_t_per_yr'?"), found


def test_a_row_left_out_for_a_bad_cell_has_its_rules_across_columns_checked_in_the_same_run(tmp_path):
    """A bad cell kept the row out of the case before its rules across columns were checked: a price typed as
    text hid first_year after last_year in the same row, found only once the price was fixed."""
    tables = load_default_tables()
    tables["Suppliers"][0].update(price_usd_per_t="12,500 USD", first_year=2030, last_year=2028)
    tables["Suppliers"][1].update(mineral_id="lithum", min_volume_t_per_yr=10**7)  # an unknown mineral
    tables["Recycling"][0].update(capital_cost_usd_per_module="90M", existing_modules=30)  # max_modules 20
    tables["Stockpile"][0].update(holding_cost_usd_per_t_yr=-1, initial_stock_t=200_000)  # max_stock_t 126,000
    path = write_input_workbook(tables, tmp_path / "rows.xlsx")
    capacity = tables["Suppliers"][1]["capacity_t_per_yr"]
    found = [(i.sheet, i.column, i.expected.split(";")[0]) for i in _issues(path)]
    assert found == [
        ("Suppliers", "price_usd_per_t", "a number"),
        ("Suppliers", "first_year", "first_year <= last_year (2028)"),
        ("Suppliers", "mineral_id", "a mineral listed on the Minerals sheet"),
        ("Suppliers", "min_volume_t_per_yr", f"at most capacity_t_per_yr ({capacity:,.0f} t)"),
        ("Recycling", "capital_cost_usd_per_module", "a number"),
        ("Recycling", "existing_modules", "at most max_modules (20)"),
        ("Stockpile", "initial_stock_t", "at most max_stock_t (126,000 t)"),
        ("Stockpile", "holding_cost_usd_per_t_yr", "a number >= 0 USD/t/yr"),
    ], found


def test_a_bound_in_tonnes_below_a_tonne_is_named_as_typed_not_rounded(tmp_path):
    """Gallium's quantities are a few tonnes: an initial stock of 7.99 t above max_stock_t 7.98 was refused as 'at
    most max_stock_t (8 t)', and a minimum volume of 0.8 t above a capacity of 0.75 t as 'at most
    capacity_t_per_yr (1 t)', each bound rounded to whole tonnes so the value looked within it."""
    tables = default_tables_for("gallium")
    tables["Stockpile"][0].update(initial_stock_t=7.99, max_stock_t=7.98)
    supplier = tables["Suppliers"][0]
    supplier.update(capacity_t_per_yr=0.75, min_volume_t_per_yr=0.8, accessible_share=None)
    found = {(i.sheet, i.column): i.expected for i in _issues(write_input_workbook(tables, tmp_path / "ga.xlsx"))}
    assert found[("Stockpile", "initial_stock_t")].startswith("at most max_stock_t (7.98 t)"), found
    assert found[("Suppliers", "min_volume_t_per_yr")].startswith("at most capacity_t_per_yr (0.75 t)"), found


def _unreadable_tables():
    """(sheet, how) for every required sheet: the sheet deleted, and its first required column deleted."""
    for sheet in S.SHEETS:
        if not sheet.optional:
            yield sheet.name, None
        yield sheet.name, next(c.name for c in sheet.columns if c.required)
    yield "Suppliers", "capacity_t_per_yr"  # as a new user found it: the Refining sheet's refinery seemed unfed


@pytest.mark.parametrize("sheet, column", list(_unreadable_tables()))
def test_a_sheet_that_cannot_be_read_is_the_one_error_not_its_consequences(tmp_path, sheet, column):
    """A sheet or a required column deleted: its rows are not read, so nothing that names them (a
    mineral, a country, a refinery an option feeds, a stream's lifetimes) is reported missing as well."""
    wb = build_input_workbook(load_default_tables())
    if column is None:
        del wb[sheet]
    else:
        ws = wb[sheet]
        ws.delete_cols([c.value for c in ws[1]].index(column) + 1)
    path = tmp_path / "cut.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    issues = _issues(path)
    assert {i.sheet for i in issues} == {sheet}, "\n".join(map(str, issues))
    assert len(issues) == 1, "\n".join(map(str, issues))


def test_a_bad_row_is_reported_but_not_the_refinery_it_names_as_unfed(tmp_path):
    """Every option that names kor_lioh has a bad capacity: the rows are out of the case, but they
    still name the refinery, which is not "fed by no option"."""
    tables = load_default_tables()
    for row in tables["Suppliers"]:
        if row.get("refinery_id") == "kor_lioh":
            row["capacity_t_per_yr"] = "lots"
    path = write_input_workbook(tables, tmp_path / "bad_rows.xlsx")
    issues = _issues(path)
    assert issues and {(i.sheet, i.column) for i in issues} == {("Suppliers", "capacity_t_per_yr")}


@pytest.mark.parametrize("value, found", [("maybe", "other text"), (3, "a number")])
def test_a_yes_no_setting_says_what_it_expected(tmp_path, value, found):
    tables = load_default_tables()
    row = next(i for i, r in enumerate(tables["Settings"]) if r["name"] == "allow_unmet_demand")
    tables["Settings"][row]["value"] = value
    path = write_input_workbook(tables, tmp_path / "maybe.xlsx")
    (issue,) = _issues(path)
    assert str(issue) == (f"'Settings'!B{row + 2} [allow_unmet_demand]: found {value!r}; yes or no; the cell holds "
                          f"{found}. Expected yes or no (or TRUE/FALSE)")


def _content(path):
    """Everything a planner sees: cell values, formats, validations, frozen panes (not zip timestamps)."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = [(c.coordinate, c.value, c.number_format) for row in ws.iter_rows() for c in row]
        dvs = sorted((dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation)
        out[ws.title] = (cells, dvs, ws.freeze_panes)
    return out


@pytest.mark.parametrize("typed, read", [("TRUE", True), (" false ", False), ("True", True)])
def test_true_or_false_typed_as_text_in_a_yes_no_cell_is_read_as_yes_or_no(tmp_path, typed, read):
    """TRUE typed (or pasted) into a yes/no cell, which the workbook formats as text, is the text 'TRUE': it was
    refused with "Expected yes or no (or TRUE/FALSE)", naming as allowed what the cell held."""
    path = tmp_path / "true.xlsx"
    cells(path, {("Minerals", "E2"): typed, ("Settings", setting_cell("allow_unmet_demand")): typed})
    d = read_workbook(path).data
    assert d.minerals["lithium"].strategic is read and d.settings.allow_unmet_demand is read


def test_init_writes_the_committed_default(tmp_path):
    target = tmp_path / "my_plan.xlsx"
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert _content(target) == _content(DEFAULT_WORKBOOK)
    again = CliRunner().invoke(main, ["init", str(target)])
    assert again.exit_code == 4 and "exists" in again.output


def test_a_warning_shows_the_value_of_the_cell_it_names(tmp_path):
    """A warning's "found" is what its cell holds (once a cut-off sentence of the numbers behind it)."""
    tables = load_default_tables()
    row = set_policy(tables, 2026, "graphite", china_cap_share=0.0)
    path = write_input_workbook(tables, tmp_path / "tight.xlsx")
    loaded = read_workbook(path)
    cap = next(w for w in loaded.warnings if w.column == "china_cap_share")
    assert cap.where == f"'Policy'!C{row}" and cap.value == 0.0
    assert "a cap of at least" in cap.expected and "for graphite in 2026" in cap.expected
    sheet = load_workbook(path)[cap.sheet]
    for warning in loaded.warnings:  # every warning at a cell shows that cell's value
        if warning.cell and warning.sheet == cap.sheet:
            assert sheet[warning.cell].value == warning.value, warning


def test_drop_downs_refuse_what_the_reader_refuses():
    """Every choice, yes/no and reference column (and setting) has a list, every number a range, and
    each stops an entry outside it in Excel and LibreOffice (errorStyle stop, with its message)."""
    wb = build_input_workbook(load_default_tables())
    for sheet in S.SHEETS:
        ws = wb[sheet.name]
        validations = ws.data_validations.dataValidation
        assert validations and all(v.showErrorMessage and v.errorStyle == "stop" and v.error for v in validations)
        covered = {str(r).split(":")[0].rstrip("0123456789") if sheet.name != "Settings" else str(r)
                   for v in validations for r in v.sqref.ranges}
        if sheet.name == "Settings":
            for i, spec in enumerate(S.SETTINGS, start=2):
                if spec.kind in (S.CHOICE, S.YESNO, S.COUNTRY) or S.bounds(spec).text != "any" and \
                        spec.kind in S.NUMERIC:
                    assert f"B{i}" in covered, spec.name
            continue
        for j, col in enumerate(sheet.columns, start=1):
            typed = col.kind in (S.CHOICE, S.YESNO, S.NUMBER, S.SHARE, S.INTEGER) or (
                col.kind in S.REFERENCES and col.kind != S.COUNTRIES)
            assert not typed or chr(64 + j) in covered, (sheet.name, col.name)
    lists = {v.formula1 for v in wb["Disruptions"].data_validations.dataValidation if v.type == "list"}
    assert "Suppliers!$A$2:$A$500" in lists and "Minerals!$A$2:$A$500" in lists


def test_a_repeated_year_is_reported_with_the_year_it_leaves_missing(tmp_path):
    """Demand B3 typed as 2026 where 2027 belongs: the row repeats lithium 2026, and lithium has no 2027.
    Both in one run; a row whose year cannot be read is the one error for the years it may hold."""
    wb = build_input_workbook(load_default_tables())
    ws = wb["Demand"]
    assert (ws["A2"].value, ws["B2"].value, ws["A3"].value, ws["B3"].value) == ("lithium", 2026, "lithium", 2027)
    ws["B3"] = 2026
    nickel = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "nickel")
    ws.cell(nickel, 2, "2026 ")  # text: the row is out of the case, and nickel 2026 is not "missing" too
    path = tmp_path / "dup_year.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    assert [str(i) for i in _issues(path)] == [
        "'Demand' [demand_t]: a row for lithium in every year; missing 2027",
        "'Demand'!A3 [mineral_id]: found 'lithium, 2026'; a unique mineral_id + year; the same as row 2 (A2), "
        "ignoring case, width, spaces and invisible characters",
        f"'Demand'!B{nickel} [year]: found '2026 '; a number, but the cell holds text that looks like a number (a "
        "number stored as text); re-enter it as a number. Expected a year."]


@pytest.mark.parametrize("sheet, column, value, says", [
    # no capital after ';'
    ("Suppliers", "capacity_t_per_yr", -220000, "found -220000; a number from 0 to 1,000,000,000 t/yr"),
    ("Policy", "china_cap_share", 80, "found 80; a share between 0 and 1 (write 0.8 for 80%)"),
    ("Policy", "risk_cap", 7.2, "found 7.2; a score between 0 and 1"),  # a score: 80% means nothing there
    ("Recycling", "recovery_yield", 90, "found 90; a share above 0 and at most 1 (write 0.8 for 80%)"),
])
def test_a_number_out_of_range_says_what_it_must_be(tmp_path, sheet, column, value, says):
    path = tmp_path / "range.xlsx"
    cells(path, {(sheet, f"{letter(S.SHEET_BY_NAME[sheet].headers.index(column) + 1)}2"): value})
    (issue,) = _issues(path)
    assert str(issue).endswith(f"[{column}]: {says}"), str(issue)


STORED_AS_TEXT = ("a number, but the cell holds text that looks like a number (a number stored as text); re-enter it "
                  "as a number")
BEYOND_BOUND = "a number of sensible size (|x| <= 1e+12); the cell holds text, a number beyond it"


@pytest.mark.parametrize("typed, says", [
    # Figures copied from a report or PDF keep their thousands spaces (plain, no-break, thin) and typographic minus
    # sign: the cell holds text that looks like a number, and the message says so.
    *((typed, STORED_AS_TEXT) for typed in ["220 000", "220\u00a0000", "220\u202f000", "\u2212220000", "220,000 "]),
    # '1e400' (no spreadsheet holds it as a number, so it stays text) was "a number with 'e400' after it: type the
    # number alone", and '1e20' was to be re-entered as a number, to be refused then for its size.
    *((typed, BEYOND_BOUND) for typed in ["1e400", "-1E400", "1e20"]),
])
def test_a_number_typed_as_text_is_called_stored_as_text_or_out_of_range(tmp_path, typed, says):
    path = tmp_path / "pasted.xlsx"
    cells(path, {("Suppliers", "F2"): typed})
    (issue,) = _issues(path)
    assert str(issue) == (f"'Suppliers'!F2 [capacity_t_per_yr]: found {typed!r}; {says}. Expected a number from 0 to "
                          "1,000,000,000 t/yr."), str(issue)


@pytest.mark.parametrize("stored", ["1e309", "-1.5E+400", "1" + "0" * 400])
def test_a_stored_number_beyond_float_range_is_called_out_of_range_as_a_large_one_is(tmp_path, stored):
    """<v>1e309</v> reads as inf in Python: it was called "a finite number", where 1e13 is out of the ±1e12 range;
    400 digits with no point (an int no float holds) raised an OverflowError out of the reader."""
    path = tmp_path / "huge.xlsx"
    cells(path, {("Suppliers", "F2"): 5.0})
    rezipped(path, {part("Suppliers"): lambda x: set_value_xml(x, "F2", stored.encode())})
    (issue,) = _issues(path)
    found = stored if len(stored) <= 60 else stored[:57] + "..."  # a long value is shown cut
    assert str(issue) == (f"'Suppliers'!F2 [capacity_t_per_yr]: found {found!r}; a number of sensible size (|x| <= "
                          "1e+12); the file stores a number beyond it, and beyond any spreadsheet's range"), str(issue)


TONNES_REFUSED = ("a billion tonnes is far above any mineral's world output, and at larger tonnages the solver's "
                  "round-off exceeds its tolerances (a sound case reads as infeasible)")


def test_a_tonnage_beyond_a_billion_tonnes_is_refused_on_every_sheet_partners_too(tmp_path):
    """Tonnages within the general bound of 1e12 broke the solve: a gallium stock of 1e12 t (Stockpile B12, E12)
    was "infeasible even with every policy limit relaxed" (exit 1), naming 45 minimum volumes of other minerals,
    and a Japanese gallium demand of 1e11 t (Partners C12) made planner coalition diagnose Korea's own case, which
    is feasible. A tonnage column (by its unit: t, t/yr, t/month, t/unit) holds at most 1e9 t."""
    path = tmp_path / "huge.xlsx"
    cells(path, {("Stockpile", "B12"): 1e12, ("Stockpile", "E12"): 1e12, ("Partners", "C12"): 1e11,
                 ("Suppliers", "F2"): 2e9})
    found = sorted(str(i) for i in _issues(path))
    assert found == [
        f"'Partners'!C12 [demand_t_per_yr]: found 100000000000; a number from 0 to 1,000,000,000 t/yr: "
        f"{TONNES_REFUSED}",
        f"'Stockpile'!B12 [initial_stock_t]: found 1000000000000; a number from 0 to 1,000,000,000 t: {TONNES_REFUSED}",
        f"'Stockpile'!E12 [max_stock_t]: found 1000000000000; a number from 0 to 1,000,000,000 t: {TONNES_REFUSED}",
        f"'Suppliers'!F2 [capacity_t_per_yr]: found 2000000000; a number from 0 to 1,000,000,000 t/yr: "
        f"{TONNES_REFUSED}"], found
    cells(path, {("Stockpile", "B12"): 1e9, ("Stockpile", "E12"): 1e9})
    assert read_workbook(path).data.stockpile["gallium"].max_stock_t == 1e9
    # One rule keyed on the unit: every tonnage column has the bound, and no other column has it.
    for sheet in S.SHEETS:
        for col in sheet.columns:
            if col.kind in S.NUMERIC:
                assert (S.bounds(col).high == 1e9) == S.is_tonnage(col.unit), (sheet.name, col.name)
    assert {c.unit for sh in S.SHEETS for c in sh.columns if S.is_tonnage(c.unit)} == {"t", "t/yr", "t/month",
                                                                                        "t/unit"}


def test_a_number_with_an_exponent_and_a_unit_after_it_names_the_unit(tmp_path):
    path = tmp_path / "unit.xlsx"
    cells(path, {("Suppliers", "F2"): "2e5 t"})
    (issue,) = _issues(path)
    assert "a number with 't' after it: type the number alone" in str(issue), str(issue)


@pytest.mark.parametrize("typed", ["NaN", "nan", "inf", "-Infinity", "1_000"])
def test_text_only_python_reads_as_a_number_is_not_called_a_number_stored_as_text(tmp_path, typed):
    """'NaN' (pasted from a program's output) was "text that looks like a number; re-enter it as a number": typed
    again it stays text, as do 'inf' and '1_000' in a spreadsheet."""
    path = tmp_path / "pasted.xlsx"
    cells(path, {("Suppliers", "F2"): typed})
    (issue,) = _issues(path)
    assert str(issue) == (f"'Suppliers'!F2 [capacity_t_per_yr]: found {typed!r}; a number; the cell holds text. "
                          "Expected a number from 0 to 1,000,000,000 t/yr."), str(issue)


@pytest.mark.parametrize("blank, says", [(1, "row 10 is empty but data follows. Delete it"),
                                         (2, "rows 10-11 are empty but data follows. Delete them")])
def test_blank_rows_inside_a_table_are_named_in_good_english(tmp_path, blank, says):
    wb = build_input_workbook(load_default_tables())
    wb["Suppliers"].insert_rows(10, blank)
    path = tmp_path / "blank.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    (issue,) = _issues(path)
    assert str(issue) == f"'Suppliers'!A10: no blank rows inside the table; {says}"


def test_errors_are_listed_sheet_by_sheet_in_the_workbooks_order_then_cell_by_cell(tmp_path):
    """A country code is checked after every cell is parsed, yet it is listed with its sheet and row."""
    path = tmp_path / "all.xlsx"
    cells(path, {("Policy", "C2"): 80, ("Suppliers", "G4"): "abc", ("Suppliers", "D3"): "CLH",
                 ("Demand", "B3"): 2405,  # no horizon could hold it (a row of another horizon is ignored)
                 ("Suppliers", "F2"): -220000})
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    named = [line.split(" ")[3] for line in result.output.splitlines() if line.startswith("  - ")]
    assert named == ["'Suppliers'!F2", "'Suppliers'!D3", "'Suppliers'!G4", "'Demand'!B3", "'Policy'!C2"]


def test_init_makes_the_folders_of_its_path_as_the_readme_says(tmp_path):
    """Like -o DIR for the outputs: a new folder for a new case is the usual wish; the message names the file."""
    target = tmp_path / "cases" / "2027" / "my_plan.xlsx"
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 0 and f"wrote {target}" in result.output, result.output
    assert target.is_file()
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `planner init PATH"))
    assert "creates its folder" in row


def test_a_folder_given_to_init_or_a_workbook_named_without_xlsx_is_told_what_was_meant(tmp_path):
    """`planner init outputs` (a folder) said only that it must end in .xlsx; `planner validate my_plan` beside
    my_plan.xlsx said only that there is no workbook at my_plan.  A name longer than the file system takes gets
    no hint (looking it up fails), and is still an error of the name, not of writing."""
    folder = tmp_path / "outputs"
    folder.mkdir()
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 4 and list(folder.iterdir()) == []
    assert result.output == (f"error: {folder} must end in .xlsx (it is a folder: give a file in it, e.g. "
                             f"{folder / 'my_plan.xlsx'})\n")
    shutil.copy(DEFAULT_WORKBOOK, tmp_path / "my_plan.xlsx")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "my_plan")])
    assert result.exit_code == 2
    assert result.output == f"error: no workbook at {tmp_path / 'my_plan'} (did you mean {tmp_path / 'my_plan.xlsx'}?)\n"
    long = tmp_path / ("a" * 252)  # a name the file system takes, but not with .xlsx after it
    result = CliRunner().invoke(main, ["validate", str(long)])
    assert result.exit_code == 2 and result.output == f"error: no workbook at {long}\n", result.output


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_a_workbook_path_that_loops_through_symbolic_links_is_called_a_loop_not_missing(tmp_path, command):
    """A link pointing at itself, or two at each other, was answered "no workbook at ...", though a name is there:
    the planner looked for the file it leads to, and the loop never leads to one."""
    (tmp_path / "a.xlsx").symlink_to(tmp_path / "b.xlsx")
    (tmp_path / "b.xlsx").symlink_to(tmp_path / "a.xlsx")
    result = CliRunner().invoke(main, [command, str(tmp_path / "a.xlsx")])
    assert result.exit_code == 2
    assert result.output == (f"error: cannot open the workbook {tmp_path / 'a.xlsx'}: its path is a loop of symbolic "
                             "links; give the workbook itself, or point the link at it\n"), result.output


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_a_workbook_path_that_is_a_dangling_symbolic_link_names_the_missing_file_it_points_at(tmp_path, command):
    """A link to a file that is not there (moved, renamed, on a drive not mounted) was answered only "no workbook
    at a.xlsx", though a.xlsx is there: the message did not say it is a link, nor where it leads."""
    (tmp_path / "a.xlsx").symlink_to("gone/b.xlsx")  # relative, as links usually are: resolved from the link's folder
    (tmp_path / "c.xlsx").symlink_to(tmp_path / "a.xlsx")  # a chain: named by the file at its end
    for name in ("a.xlsx", "c.xlsx"):
        result = CliRunner().invoke(main, [command, str(tmp_path / name)])
        assert result.exit_code == 2
        assert result.output == (f"error: no workbook at {tmp_path / name}: it is a symbolic link to "
                                 f"{tmp_path / 'gone' / 'b.xlsx'}, which does not exist; give the workbook itself, "
                                 "or point the link at it\n"), result.output


@pytest.mark.parametrize("name, says", [
    (".xlsx", "has no name before .xlsx; give one, e.g. {folder}/my_plan.xlsx"),
    ("my_plan.xlsx ", "must end in .xlsx, not in ' ' after it"),
])
def test_init_tells_a_name_that_only_looks_as_if_it_ended_in_xlsx_what_is_wrong(tmp_path, name, says):
    """Both were told they "must end in .xlsx", which they seem to: '.xlsx' alone is a hidden file's name with no
    suffix, and a space typed after the name hides at the end of the line."""
    result = CliRunner().invoke(main, ["init", str(tmp_path / name)])
    assert result.exit_code == 4 and list(tmp_path.iterdir()) == []
    assert result.output == f"error: {tmp_path / name} {says.format(folder=tmp_path)}\n", result.output


def _default_settings_copy(workbook):
    """A copy of the default workbook at ``workbook``, opened: (path, workbook, its Settings sheet, the row of
    each setting by name)."""
    import shutil

    shutil.copy(DEFAULT_WORKBOOK, workbook)
    wb = load_workbook(workbook)
    ws = wb["Settings"]
    return workbook, wb, ws, {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}


def test_a_year_setting_out_of_range_or_typed_as_text_expects_a_year(tmp_path):
    """'Expected a whole number from 1990 to 2100 year.': a setting counted in years says it wants a year."""
    workbook, wb, ws, rows = _default_settings_copy(tmp_path / "years.xlsx")
    ws.cell(rows["last_year"], 2).value = "2035 AD"
    ws.cell(rows["price_year"], 2).value = 3024
    workbook.write_bytes(xlsx_bytes(wb))
    r = CliRunner().invoke(main, ["validate", str(workbook)])
    assert r.exit_code == 2
    assert (f"'Settings'!B{rows['last_year']} [last_year]: found '2035 AD'; a number; the cell holds text, a number "
            "with 'AD' after it: type the number alone, in the column's unit. Expected a year from 1990 to 2100."
            ) in r.output
    assert f"'Settings'!B{rows['price_year']} [price_year]: found 3024; a year from 1990 to 2100" in r.output
    assert "2100 year" not in r.output


@pytest.mark.parametrize("lock, program", [("~$korea case.xlsx", "Excel"), (".~lock.korea case.xlsx#", "LibreOffice")])
def test_a_workbook_open_in_a_spreadsheet_is_read_as_saved_with_a_warning(tmp_path, lock, program):
    """The lock file Excel or LibreOffice keeps beside an open workbook: its unsaved edits are not read, so
    the run says so (a warning: a lock left by a crash must not stop the run)."""
    path = tmp_path / "korea case.xlsx"
    path.write_bytes(DEFAULT_WORKBOOK.read_bytes())
    (tmp_path / "~$other.xlsx").write_bytes(b"")  # another workbook open beside it: not this one's
    assert not any(w.where == "file" for w in read_workbook(path).warnings)
    (tmp_path / lock).write_bytes(b"")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert (f"  - file: a workbook saved and closed; korea case.xlsx looks open in {program} ({lock} is beside it)"
            in result.output), result.output
    assert "edits not saved yet are not in it" in result.output


def test_ids_that_look_the_same_are_the_same_id(tmp_path):
    """Full-width letters (a Korean input method's full-width mode) and the invisible characters a copy from a
    web page or PDF brings along (zero-width space, byte-order mark, soft hyphen) do not make another id: a
    reference resolves to the id as its own sheet spells it, and a second row with such an id is a duplicate."""
    wb = build_input_workbook(load_default_tables())
    sup, settings = wb["Suppliers"], wb["Settings"]
    assert (sup["A2"].value, sup["D2"].value, sup["E2"].value, sup["B3"].value) == (
        "li_aus_chn", "AUS", "CHN", "lithium")
    assert (settings["A7"].value, settings["A9"].value) == ("home_country", "allow_unmet_demand")
    sup["D2"], sup["E2"], sup["B3"] = "ＡＵＳ", "\ufeffCHN", "lith\u00adium\u200b"
    settings["B7"], settings["B9"] = "ｋｏｒ", "ＮＯ"
    path = tmp_path / "lookalike.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    d = read_workbook(path).data
    li = d.suppliers["li_aus_chn"]
    assert (li.origin_country, li.processing_country, d.suppliers["li_chl_chl"].mineral_id) == (
        "AUS", "CHN", "lithium")
    assert (d.settings.home_country, d.settings.allow_unmet_demand) == ("KOR", False)

    sup["A3"] = "li_aus_chn\u200b"  # looks like A2's id
    path.write_bytes(xlsx_bytes(wb))
    assert [str(i) for i in _issues(path) if i.cell == "A3"] == [
        "'Suppliers'!A3 [supplier_id]: found 'li_aus_chn\\u200b'; a unique supplier_id; the same as row 2 (A2), "
        "ignoring case, width, spaces and invisible characters"]


def test_a_copy_of_a_sheet_is_not_read_and_the_run_says_so(tmp_path):
    """Excel names a sheet's copy "Suppliers (2)", LibreOffice "Policy_2": a planner who keeps the original
    as a backup and edits the copy would plan without the edits, silently."""
    wb = build_input_workbook(load_default_tables())
    for sheet, copy in (("Suppliers", "Suppliers (2)"), ("Policy", "Policy_2")):
        wb.copy_worksheet(wb[sheet]).title = copy
        wb[copy]["C2"] = "edited here"
    wb.create_sheet("Notes_2026")  # a sheet of the planner's own: not a copy
    path = tmp_path / "copies.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    assert [str(w) for w in read_workbook(path).warnings if w.sheet not in S.SHEET_BY_NAME] == [
        "'Suppliers (2)': edits on the sheet 'Suppliers'; this sheet, named as a copy of it, is not read, only 'Suppliers' is. Make "
        "your changes there, or delete the copy",
        "'Policy_2': edits on the sheet 'Policy'; this sheet, named as a copy of it, is not read, only 'Policy' is. Make your changes "
        "there, or delete the copy"]


@pytest.mark.parametrize("copy", ["demand1", "Demand2", "Demand 2", "Copy of Demand", "Demand - Copy", "demand copy 2"])
def test_a_copy_of_a_sheet_named_otherwise_than_excel_names_it_is_not_read_and_the_run_says_so(tmp_path, copy):
    """A copy named by hand ('demand1'), by Google Sheets ('Copy of Demand') or by Windows' habit ('Demand - Copy')
    was ignored without a word, as 'Demand (2)' was before it was warned of: edits there were not in the run."""
    wb = build_input_workbook(load_default_tables())
    wb.copy_worksheet(wb["Demand"]).title = copy
    wb[copy]["C2"] = 1
    path = tmp_path / "copy.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    assert [str(w) for w in read_workbook(path).warnings] == [
        f"'{copy}': edits on the sheet 'Demand'; this sheet, named as a copy of it, is not read, only 'Demand' is. Make your changes "
        "there, or delete the copy"]


def test_a_sheet_named_otherwise_holding_a_read_sheets_header_row_is_warned_of_as_a_copy(tmp_path):
    """The Demand table pasted, header and all, into a new sheet ('Sheet1') was ignored without a word: edits there
    were not in the run.  A sheet whose header is another's in part, or no sheet's, is the planner's own."""
    wb = build_input_workbook(load_default_tables())
    pasted, partial, notes = wb.create_sheet("Sheet1"), wb.create_sheet("Workings"), wb.create_sheet("Notes")
    for row in wb["Demand"].iter_rows(values_only=True):
        pasted.append(row)
    pasted["C2"] = 1
    partial.append([c.value for c in wb["Demand"][1]][:-1])  # one column short: not the table's header
    notes.append(["note", "by"])
    path = tmp_path / "pasted.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    assert [str(w) for w in read_workbook(path).warnings] == [
        "'Sheet1': edits on the sheet 'Demand'; this sheet, with the same header row as it, looks like a copy of it "
        "and is not read, only 'Demand' is. Make your changes there, or delete the copy"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_report_given_as_the_input_is_called_a_report_with_the_workbook_it_came_from(tmp_path, lang):
    """``planner validate outputs/korea_2030-plan.xlsx``: a report shares some sheet names with an input (Policy,
    Recycling, Stockpile ...), and was answered with 25 problems, each input sheet and column it lacks."""
    workbook = write_input_workbook(default_tables_for("gallium"), tmp_path / "gallium.xlsx")
    solved = CliRunner().invoke(main, ["solve", str(workbook), "-o", str(tmp_path / "out"), "--lang", lang])
    assert solved.exit_code == 0, solved.output
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "out" / "gallium-plan.xlsx")])
    assert result.exit_code == 2
    assert result.output == ("error: 1 problem(s) in the input; fix them all and run again:\n  - file: a planning "
                             "workbook (the input, with its Settings, Minerals, Suppliers ... sheets); this is a report "
                             f"the planner wrote, from {workbook.resolve()} (its Run sheet says so). Give that "
                             "workbook, or write a fresh one with 'planner init'\n")


def test_china_as_the_home_country_is_refused_with_every_other_problem(tmp_path):
    """Settings home_country CHN, a code of the Countries sheet, was planned: the China cap then limited the
    home country's own mines and refineries as exposure, while the single-country caps left them out as
    domestic.  It is refused at its cell, in the same run as the workbook's other problems, and nothing is
    solved or written."""
    workbook, wb, ws, rows = _default_settings_copy(tmp_path / "china at home.xlsx")
    ws.cell(rows["home_country"], 2).value = "CHN"
    ws.cell(rows["discount_rate"], 2).value = 4.5  # 4.5 meant as %: a share above 1
    wb["Suppliers"]["F2"] = -10
    workbook.write_bytes(xlsx_bytes(wb))
    out = tmp_path / "out"
    for args in (["validate", str(workbook)], ["solve", str(workbook), "-o", str(out)]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 2, r.output
        assert r.output.startswith("error: 3 problem(s) in the input; fix them all and run again:\n"), r.output
        assert (f"  - 'Settings'!B{rows['home_country']} [home_country]: found 'CHN'; the ISO3 code of the importing "
                "country the plan is made for (KOR in the default case), not CHN: the China cap and the China share "
                "measure supply mined or refined in CHN") in r.output
        assert f"'Settings'!B{rows['discount_rate']} [discount_rate]: found 4.5" in r.output
        assert "'Suppliers'!F2 [capacity_t_per_yr]: found -10" in r.output
    assert not out.exists()
    # Another country of the Countries sheet, neither sanctioned nor a partner, is a home country like KOR.
    ws.cell(rows["home_country"], 2).value = "AUS"
    ws.cell(rows["discount_rate"], 2).value = 0.045
    wb["Suppliers"]["F2"] = 5000
    workbook.write_bytes(xlsx_bytes(wb))
    assert read_workbook(workbook).data.settings.home_country == "AUS"


def test_a_copied_scenario_disruption_or_risk_whose_name_was_not_changed_is_named_at_its_description(tmp_path):
    """Rows with one name form one scenario, disruption or risk (ignoring case and spaces). A block copied to
    make a variant, its description rewritten but its name kept (or typed in capitals), joined the first
    block without a word: its changes, stops or draws were added to the original's, and its description was
    dropped. The second description is an error at its cell, on every sheet in the same run; a later row
    whose description is blank or the same stays one more row of the same block."""
    tables = load_default_tables()
    first = {sheet: next(r for r in tables[sheet] if r[name] == copied) for sheet, name, copied in (
        ("Scenarios", "scenario", "lithium_price_up"), ("Disruptions", "disruption", "drc_cobalt_halt"),
        ("Disruption risks", "risk", "drc_cobalt_halt"))}
    tables["Scenarios"].append(first["Scenarios"] | {"scenario": "LITHIUM_PRICE_UP ", "value": 0.5,
                                                     "description": "Lithium prices fall by half to 2030."})
    tables["Disruptions"].append(first["Disruptions"] | {"first_year": 2031,
                                                         "description": "A second cobalt halt, in 2031."})
    tables["Disruption risks"].append(first["Disruption risks"] | {"description": "DR Congo cuts a quota."})
    tables["Scenarios"].append(first["Scenarios"] | {"mineral_id": "nickel"})  # the same description: one more row
    path = write_input_workbook(tables, tmp_path / "copied.xlsx")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    wb = load_workbook(path)
    last = {sheet: wb[sheet].max_row for sheet in first}
    at = {sheet: next(r for r in range(2, last[sheet]) if wb[sheet].cell(r, 2).value == first[sheet]["description"])
          for sheet in first}
    assert result.output.startswith("error: 3 problem(s) in the input"), result.output
    for sheet, kind, name, found, row in (
            ("Scenarios", "scenario", "lithium_price_up", "Lithium prices fall by half to 2030.",
             last["Scenarios"] - 1),
            ("Disruptions", "disruption", "drc_cobalt_halt", "A second cobalt halt, in 2031.", last["Disruptions"]),
            ("Disruption risks", "risk", "drc_cobalt_halt", "DR Congo cuts a quota.", last["Disruption risks"])):
        assert (f"  - '{sheet}'!B{row} [description]: found {found!r}; blank, or the {kind}'s description as at "
                f"'{sheet}'!B{at[sheet]}: a {kind} has one description, on its first row, and the rows with one "
                f"name (ignoring case and spaces) form one {kind}. Is this a copy of {name!r} whose name was not "
                "changed? Give it a name of its own\n") in result.output, result.output


def test_rows_columns_and_sheets_hidden_in_the_spreadsheet_are_read_with_a_warning(tmp_path):
    """A planner who hides a supplier's rows to leave them out, filters a sheet, hides a column or a sheet,
    planned with what the workbook no longer showed, without a word. They are read all the same (hiding is no
    deletion), and each sheet says which of its rows and columns are hidden; LibreOffice's hidden="true" as
    Excel's hidden="1"."""
    wb = build_input_workbook(load_default_tables())
    for r in (5, 6, 9):
        wb["Suppliers"].row_dimensions[r].hidden = True
    wb["Suppliers"].column_dimensions["P"].hidden = True
    assert wb["Suppliers"]["P1"].value == "delivery_probability"
    wb["Demand"].auto_filter.ref = "A1:D131"
    wb["Demand"].row_dimensions[3].hidden = True  # filtered out
    wb["Scenarios"].sheet_state = "hidden"
    excel = tmp_path / "excel.xlsx"
    excel.write_bytes(xlsx_bytes(wb))
    with zipfile.ZipFile(excel) as src, zipfile.ZipFile(tmp_path / "libreoffice.xlsx", "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name).replace(b'hidden="1"', b'hidden="true"'))
    for path in (excel, tmp_path / "libreoffice.xlsx"):
        loaded = read_workbook(path)
        assert len(loaded.data.suppliers) == 66 and "graphite_ban_2026" in loaded.scenarios  # read all the same
        assert [str(w) for w in loaded.warnings] == [
            "'Suppliers'!P1 [delivery_probability]: every column of the table in view; this one is hidden but its "
            "values are read all the same, into the plan. Unhide it to check them",
            "'Suppliers'!5:5: every row of the table in view; rows 5-6, 9 are hidden (Hide, or a filter) but read "
            "all the same, into the plan. Unhide them to check, and delete a row to leave it out",
            "'Demand'!3:3: every row of the table in view; row 3 is hidden (Hide, or a filter) but read all the "
            "same, into the plan. Unhide it to check, and delete a row to leave it out",
            "'Scenarios': a sheet in view; this one is hidden but read all the same, into the plan. Unhide it "
            "(right-click a sheet tab > Unhide) to check it"], path.name
    result = CliRunner().invoke(main, ["validate", str(excel)])
    assert result.exit_code == 0 and "4 warning(s):" in result.output, result.output


def test_a_very_hidden_sheet_is_warned_of_with_the_way_to_show_it(tmp_path):
    """A sheet very hidden (by a macro, or a program) was told "Unhide it (right-click a sheet tab > Unhide)":
    Excel's Unhide does not list it; only the Visual Basic editor's Visible property shows it again."""
    wb = build_input_workbook(load_default_tables())
    wb["Scenarios"].sheet_state = "veryHidden"
    wb["Uncertainty"].sheet_state = "hidden"
    path = tmp_path / "very_hidden.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    loaded = read_workbook(path)
    assert "graphite_ban_2026" in loaded.scenarios  # read all the same
    assert [str(w) for w in loaded.warnings] == [
        "'Scenarios': a sheet in view; this one is very hidden (by a macro or a program) but read all the same, into "
        "the plan. Excel's Unhide does not list it: to check it, press Alt+F11, select the sheet under the workbook's "
        "Microsoft Excel Objects and set its Visible property to -1 - xlSheetVisible",
        "'Uncertainty': a sheet in view; this one is hidden but read all the same, into the plan. Unhide it "
        "(right-click a sheet tab > Unhide) to check it"]


def test_years_after_the_horizon_that_the_model_takes_as_written_are_warned_of_at_their_cells(tmp_path):
    """A supply option first delivering, or an agreement first joinable, after the last decision year, or an
    option delivering only before the first, is never used, and prices quoted after it are escalated back from there: all solve, so they are warnings (most likely
    slips), not errors."""
    wb = load_workbook(DEFAULT_WORKBOOK)
    wb["Suppliers"]["K2"], wb["Suppliers"]["L2"] = 2036, 2040  # li_aus_chn
    wb["Suppliers"]["K6"] = 2035  # li_arg_arg, in the last year: usable
    wb["Suppliers"]["K7"], wb["Suppliers"]["L7"] = 2020, 2025  # li_kaz_kaz, only before 2026: never used
    wb["Suppliers"]["L3"] = 2026  # li_chl_chl, in the first year: usable
    wb["Agreements"]["H2"] = 2036  # kor_jpn_dy; last_year is 2035
    wb["Agreements"]["H3"] = 2035  # kor_jpn_tb, in the last year: joinable
    wb["Settings"]["B4"] = 2042  # price_year, for 2024
    path = tmp_path / "late.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    loaded = read_workbook(path)
    late = [str(w) for w in loaded.warnings if w.column in ("first_year", "last_year", "price_year")]
    assert late == [
        "'Settings'!B4 [price_year]: found 2042; the year the prices were quoted in, at most last_year (2035): "
        "the prices written are taken as 2042's and escalated back from there to 2026-2035 "
        "(price_escalation_per_yr)",
        "'Suppliers'!K2 [first_year]: found 2036; a year up to Settings last_year (2035): option li_aus_chn can "
        "deliver only from 2036, after the last decision year, so no plan uses it",
        "'Suppliers'!L7 [last_year]: found 2025; a year from Settings first_year (2026): option li_kaz_kaz can "
        "deliver only up to 2025, before the first decision year, so no plan uses it",
        "'Agreements'!H2 [first_year]: found 2036; a year up to Settings last_year (2035): agreement kor_jpn_dy "
        "can be joined only from 2036, after the last decision year, so no plan joins it"], late
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0 and all(f"'{cell}" in result.output for cell in (
        "Agreements'!H2", "Settings'!B4", "Suppliers'!K2")), result.output


def test_a_route_into_a_refinery_of_another_mineral_is_an_error_at_its_refinery_id(tmp_path):
    """A gallium option naming the lithium hydroxide refinery was read without a word: its tonnes filled the
    lithium modules, and lithium and gallium were solved as one model, tied by that refinery."""
    tables = load_default_tables()
    route = next(r for r in tables["Suppliers"] if r["supplier_id"] == "ga_jpn_jpn")
    route["refinery_id"] = "kor_lioh"
    path = write_input_workbook(tables, tmp_path / "cross_refinery.xlsx")
    row = 2 + tables["Suppliers"].index(route)
    assert [str(i) for i in _issues(path)] == [
        f"'Suppliers'!R{row} [refinery_id]: found 'kor_lioh'; a refinery of gallium (the option's mineral_id), or "
        "blank; kor_lioh refines lithium (Refining)"]


def _swap_with_partners(tmp_path, partners: str) -> tuple[Path, int]:
    """The default workbook with the Korea-Japan nickel swap's partner_countries set to ``partners``: its path and
    the swap's row."""
    tables = load_default_tables()
    swap = next(r for r in tables["Agreements"] if r["agreement_id"] == "kor_jpn_ni")
    swap["partner_countries"] = partners
    return write_input_workbook(tables, tmp_path / "partners.xlsx"), 2 + tables["Agreements"].index(swap)


def test_an_agreement_with_the_home_country_as_a_partner_is_warned_of_at_its_partner_countries(tmp_path):
    """A swap naming KOR among its partners was read without a word (the Partners sheet refuses KOR): Korea's
    emergency tonnes came from itself.  A warning, not an error: a home_country changed to a partner's (the default
    case planned for AUS, a member of msp_nd) may be meant, and the rest of the case still holds."""
    path, row = _swap_with_partners(tmp_path, "JPN;kor")
    assert [str(w) for w in read_workbook(path).warnings] == [
        f"'Agreements'!C{row} [partner_countries]: found 'JPN;KOR'; partner countries other than the home country KOR "
        "(Settings home_country): an agreement KOR makes with itself is planned as written, its tonnes as a partner's"]


def test_an_agreement_with_a_sanctioned_partner_is_an_error_at_its_partner_countries(tmp_path):
    """A swap naming RUS (sanctioned on the Countries sheet) among its partners was read without a word, and planned:
    its line counted as stock cover and was drawn on in disruptions, though a supply option from Russia is left out
    of the plan.  The model cannot leave an agreement out as it does an option, so it is an error, not a warning."""
    path, row = _swap_with_partners(tmp_path, "JPN;rus")
    assert [str(i) for i in _issues(path)] == [
        f"'Agreements'!C{row} [partner_countries]: found 'JPN;RUS'; no sanctioned country; RUS is sanctioned "
        "(Countries), and the plan would count on the tonnes of agreement kor_jpn_ni all the same. Take it out of the "
        "partners, or delete the row"]


def test_a_recycling_option_id_with_a_colon_is_an_error_not_a_plant_output_replaced(tmp_path):
    """An option fed by the Feedstock sheet named 'bat_hydro:lithium', the name the planner gives plant bat_hydro's
    lithium output: one replaced the other in the case without a word (the battery plant's lithium was gone, and
    the default case's recycling minimum could no longer be met)."""
    tables = load_default_tables()
    tables["Recycling"].append({**tables["Recycling"][0], "option_id": "bat_hydro:lithium", "mineral_id": "lithium",
                                "recovery_yield": 0.9, "stream_id": None})
    tables["Feedstock"] += [{"mineral_id": "lithium", "year": y, "feedstock_t": 50, "source_id": "feedstock"}
                            for y in range(2026, 2036)]
    path = write_input_workbook(tables, tmp_path / "colon.xlsx")
    assert [str(i) for i in _issues(path)] == [
        f"'Recycling'!A{1 + len(tables['Recycling'])} [option_id]: found 'bat_hydro:lithium'; an id without ':': the "
        "planner names each mineral a plant recovers from its stream <option_id>:<mineral>, and this id could be one "
        "of them"]


def test_an_id_used_on_two_sheets_the_model_keys_by_id_is_an_error_at_the_second(tmp_path):
    """A nickel supply option named kor_jpn_dy, the dysprosium agreement's id: the model took the option for a
    dysprosium one in the disruptions' recourse, and planner stress failed its own verification (exit 5, "a bug").
    One named lithium, as the mineral, tied the minerals' models together."""
    tables = load_default_tables()
    option = next(r for r in tables["Suppliers"] if r["supplier_id"] == "ni_idn_chn")
    option["supplier_id"] = "kor_jpn_dy"
    other = next(r for r in tables["Suppliers"] if r["supplier_id"] == "ga_jpn_jpn")
    other["supplier_id"] = "Lithium"
    path = write_input_workbook(tables, tmp_path / "clash.xlsx")
    agreement = 2 + next(i for i, r in enumerate(tables["Agreements"]) if r["agreement_id"] == "kor_jpn_dy")
    assert [str(i) for i in _issues(path)] == [
        f"'Suppliers'!A{2 + tables['Suppliers'].index(other)} [supplier_id]: found 'Lithium'; an id not used on the "
        "Minerals sheet too: the model tells what it plans apart by id",
        f"'Agreements'!A{agreement} [agreement_id]: found 'kor_jpn_dy'; an id not used on the Suppliers sheet too: the "
        "model tells what it plans apart by id"]


def test_a_china_cap_with_china_coded_otherwise_is_warned_of_at_its_policy_cell(tmp_path):
    """China coded PRC throughout: the China cap measures CHN, which no row had, so it limited nothing and every
    China share read 0%, without a word."""
    tables = default_tables_for("lithium")
    for rows in tables.values():
        for row in rows:
            for column, value in row.items():
                if isinstance(value, str) and "CHN" in value.split(";"):
                    row[column] = ";".join("PRC" if c == "CHN" else c for c in value.split(";"))
    path = write_input_workbook(tables, tmp_path / "prc.xlsx")
    warned = [str(w) for w in read_workbook(path).warnings if w.column == "china_cap_share"]
    assert warned == [
        "'Policy'!C2 [china_cap_share]: found 0.7; a China cap on supply mined or refined in CHN (ISO3), a "
        "country_code the Countries sheet does not have (it codes China PRC): the cap limits nothing, and every "
        "China share is 0%. Code China CHN"], warned
    # No country named China: the case may have no Chinese supply, and the advice says so
    next(r for r in tables["Countries"] if r["country_code"] == "PRC")["name"] = "Middle Kingdom"
    path = write_input_workbook(tables, tmp_path / "unnamed.xlsx")
    warned = [str(w) for w in read_workbook(path).warnings if w.column == "china_cap_share"]
    assert [w.split("does not have")[1] for w in warned] == [
        ": the cap limits nothing, and every China share is 0%. If China supplies, code it CHN"], warned


def test_a_what_if_that_sanctions_a_partner_leaves_the_base_case_and_its_agreements_as_they_are(tmp_path):
    """A Scenarios row marking JPN sanctioned (a Japan embargo) made every agreement with Japan an error at its
    Agreements cell, though that sheet names no sanctioned country: the base case could not be solved, and the
    planner was told to edit the base's Agreements.  The Countries sheet's own sanction is the error; a what-if's
    plans its agreements as written (README)."""
    tables = load_default_tables()
    tables["Scenarios"].append({"scenario": "japan_embargo", "description": "Japan under sanctions", "lever": "edit",
                                "sheet": "Countries", "item_id": "JPN", "column": "sanctioned", "operation": "set",
                                "value": "yes"})
    loaded = read_workbook(write_input_workbook(tables, tmp_path / "embargo.xlsx"))
    embargo = loaded.scenarios["japan_embargo"].data
    assert embargo.countries["JPN"].sanctioned and not loaded.data.countries["JPN"].sanctioned
    assert any("JPN" in a.partner_countries for a in embargo.agreements.values())


def test_a_year_deleted_from_the_all_minerals_policy_path_is_warned_of(tmp_path):
    """Deleting the all-minerals Policy row of 2030 (the strategy's target year) left ten minerals without a China
    cap, a stockpile minimum or any other limit that year: the plan bought 86-100% of them from China in 2030, and
    neither validate nor solve said a word.  One warning now names the year, at the year cell of the row before
    it; so do rows that stop before the horizon's last year; the rows as shipped have none."""
    def said(edit) -> list[str]:
        tables = load_default_tables()
        edit(tables)
        loaded = read_workbook(write_input_workbook(tables, tmp_path / "hole.xlsx"))
        return [str(w) for w in loaded.warnings if w.sheet == "Policy" and w.column == "year"]

    def without(year):
        return lambda t: t.update(Policy=[r for r in t["Policy"]
                                          if not (r["year"] == year and r["mineral_id"] is None)])

    tail = ("so a limit applies then only where a mineral's own row sets it (add the row, with its cells blank where "
            "no limit is meant)")
    [hole] = said(without(2030))
    assert hole == ("'Policy'!A5 [year]: found 2029; an all-minerals row (mineral_id blank) in every year from 2026 to "
                    f"2035; 2030 has none, {tail}"), hole
    [last] = said(without(2035))
    assert "found 2034;" in last and "2035 has none" in last, last

    [short] = said(lambda t: (without(2034)(t), without(2035)(t)))  # rows that stop before the horizon's end
    assert "found 2033;" in short and "2034, 2035 have none" in short, short
    assert not [w for w in read_workbook(DEFAULT_WORKBOOK).warnings if w.sheet == "Policy" and w.column == "year"]


def test_a_stock_minimum_beyond_a_billion_tonnes_is_refused_at_its_policy_cell(tmp_path):
    """A typed tonnage is at most a billion tonnes, but the stock a Policy row's days ask for (days x demand) was
    not: 3,650 days of a 5e8 t demand asked for 5e9 t, where the solver's round-off exceeds its tolerances."""
    tables = default_tables_for("gallium")
    for r in tables["Demand"]:
        r["demand_t"] = 5e8
    row = next(i for i, r in enumerate(tables["Policy"], start=2) if r["mineral_id"] is None and r["year"] == 2030)
    tables["Policy"][row - 2]["stockpile_min_days"] = 3650
    with pytest.raises(InputError) as e:
        read_workbook(write_input_workbook(tables, tmp_path / "deep.xlsx"))
    found = [str(i) for i in e.value.issues if i.column == "stockpile_min_days"]
    assert len(found) == 1 and found[0].startswith("'Policy'!"), found
    assert ("3650 days of gallium's 500,000,000 t of demand in 2030 is 5,000,000,000 t" in found[0]
            and "at most 1,000,000,000 t" in found[0]), found
