"""User text never becomes a formula: a workbook whose every text is a formula payload (ids,
names, scenario names, descriptions, sources, even the file name) goes through solve, compare
and sweep, and no worksheet of any output holds a formula element, in any namespace prefix."""

import re
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from factory import default_tables_for
from planner.cli import main
from planner.workbook import schema as S
from planner.workbook.writer import write_input_workbook

FORMULA = re.compile(rb"<(?:[^\s<>/:!?]+:)?f[\s/>]")  # <f>, <x:f ...>, <f/>
FILE_STEM = '=HYPERLINK("evil.example","click me")'  # a file name holds no slash


def payload(text: str) -> str:
    return f'=HYPERLINK("http://evil.example/","{text}")'


def payload_tables() -> dict[str, list[dict]]:
    """The gallium case with every text a payload, mapped the same way everywhere so that every
    reference still resolves.  Column names, setting names and choices stay as they are."""
    tables = default_tables_for("gallium")
    for row in tables["Disruptions"] + tables["Disruption risks"]:
        row["partners_hit"] = row["importers_hit"] = None  # a list of codes splits at commas, and a payload holds one
    for row in tables["Partners"]:
        row["main_suppliers"] = None  # its codes are in text (CHL:0.5), which a payload would not resolve
    texts = (S.ID, S.TEXT, S.MINERAL, S.COUNTRY, S.SOURCE)
    for sheet in S.SHEETS:
        if sheet.name == "Settings":
            continue
        for row in tables[sheet.name]:
            for col in sheet.columns:
                value = row.get(col.name)
                if value is None or (sheet.name, col.name) in (("Scenarios", "column"), ("Uncertainty", "column")):
                    continue
                if (sheet.name, col.name) == ("Scenarios", "item_id") and row["sheet"] == "Settings":
                    continue  # a setting's name
                if col.kind == S.COUNTRIES:
                    row[col.name] = ";".join(payload(c) for c in value.split(";"))
                elif col.kind in texts:
                    row[col.name] = payload(value)
    for row in tables["Settings"]:
        if row["name"] in ("home_country", "price_basis"):
            row["value"] = payload(row["value"])
        if row.get("source_id"):
            row["source_id"] = payload(row["source_id"])
    return tables


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("payloads")
    workbook = write_input_workbook(payload_tables(), tmp / f"{FILE_STEM}.xlsx")
    out = tmp / "out"
    runs = [["solve", str(workbook), "-o", str(out)],
            ["compare", str(workbook), "-s", payload("gallium_ban"), "-s", payload("central_asia_delay"), "-j", "1",
             "-o", str(out)],
            ["sweep", str(workbook), "--china-cap", "0.8,0.5", "-m", payload("gallium"), "-o", str(out)]]
    for args in runs:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    return sorted(out.glob("*.xlsx"))


def test_every_output_workbook_is_written(outputs):
    # Two of the scenarios, named by a hash: their names are no plain file-name words.
    names = [p.name.removeprefix(FILE_STEM) for p in outputs]
    assert len(names) == 3 and re.fullmatch(r"-compare-2-scenarios-[0-9a-f]{8}\.xlsx", names[0]), names
    assert names[1:] == ["-plan.xlsx", "-sweep-china-cap.xlsx"]  # the only mineral: the full sweep


def test_no_worksheet_of_any_output_holds_a_formula(outputs):
    for path in outputs:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    assert not FORMULA.search(z.read(name)), f"{path.name} {name}"


def test_payloads_read_back_as_the_text_they_were(outputs):
    compare, plan, sweep = ({c.value for ws in load_workbook(p) for row in ws.iter_rows() for c in row}
                            for p in outputs)
    assert payload("gallium_ban") in compare  # the Indicators header names the scenario
    assert any(str(v).startswith(f"{FILE_STEM}.xlsx, decisions 2026-2035") for v in plan)  # the Summary names the file
    assert f"{payload('gallium')}_cost_usd" in sweep  # ByMineral and ChinaShare headers name the mineral


def test_a_file_name_with_control_characters_is_written_without_them(tmp_path):
    """A workbook cannot hold a control character; one in the input's name must not end the run."""
    workbook = write_input_workbook(default_tables_for("gallium"), tmp_path / "case\x07bell.xlsx")
    result = CliRunner().invoke(main, ["solve", str(workbook), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    summary = load_workbook(tmp_path / "out" / "case\x07bell-plan.xlsx")["Summary"]
    assert summary["A2"].value.startswith("casebell.xlsx, decisions 2026-2035")


def test_text_that_looks_like_a_formula_carries_the_quote_prefix(outputs, tmp_path):
    """In every output and in the input workbook the planner writes: kept as text in Excel, and as
    text when the sheet is saved again as CSV (once a name that began with a tab and '=' was stored
    as plain text beginning with '=')."""
    tables = payload_tables()
    tables["Suppliers"][0]["name"] = '\t=HYPERLINK("http://evil.example/","tab")'
    written = write_input_workbook(tables, tmp_path / "in.xlsx")
    for path in [*outputs, written]:
        looks = [c for ws in load_workbook(path) for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value.lstrip().startswith("=")]
        assert looks and all(c.quotePrefix for c in looks), (path.name, [c.coordinate for c in looks
                                                                          if not c.quotePrefix][:5])


class Words(str):
    """A text of a type of its own, as a Run sheet's facts in words are (labels.Worded)."""


def _slots(cell) -> dict:
    """Every slot of an openpyxl cell but its sheet, its style as a tuple."""
    names = {n for k in type(cell).__mro__ for n in getattr(k, "__slots__", ())} - {"parent"}
    return {n: tuple(getattr(cell, n)) if n == "_style" and cell._style is not None else getattr(cell, n)
            for n in names}


def _openpyxl_put(ws, row: int, column: int, value):
    """What put does, through openpyxl's own cell and binding."""
    if isinstance(value, str):
        value = value.replace("\x07", "").replace("\x00", "")
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.lstrip().startswith(("=", "+", "-", "@")):
        cell.data_type, cell.quotePrefix = "s", True
    return cell


def test_put_makes_the_cell_openpyxl_makes_and_quotes_what_looks_like_a_formula():
    """writer.put makes a cell and binds its value itself rather than through openpyxl (whose Cell() and
    search for characters a workbook cannot hold, which put has dropped already, took most of the time of
    writing a cell): every slot as openpyxl's ws.cell sets it for the value put keeps, on a new cell and
    over an old one, except that a text that looks like a formula is a string with the quote prefix."""
    import datetime as dt

    from openpyxl import Workbook

    from planner.workbook.writer import put

    values = ["plain", "", " ", "#N/A", "#DIV/0!", "#n/a", "=1+1", "=", " \t-3", "+", "@SUM(A1)", "a\x07b\x00",
              "한국어 =", "x" * 40000, Words("worded"), Words("=worded"), "two\nlines", "tab\there",
              None, 0, -7, 2**40, 1.5, float("nan"), True, False, dt.datetime(2030, 1, 2), dt.date(2030, 1, 2)]
    olds = (None, 2.5, "old", "=old", dt.datetime(2030, 1, 1))
    ws, theirs = Workbook().active, Workbook().active
    for i, value in enumerate(values, start=1):
        for j, old in enumerate(olds, start=1):
            if old is not None:
                put(ws, i, j, old)
                _openpyxl_put(theirs, i, j, old)
            cell, expected = put(ws, i, j, value), _openpyxl_put(theirs, i, j, value)
            assert cell.parent is ws and _slots(cell) == _slots(expected), (value, old)
            assert type(cell.value) is type(expected.value)
    assert ws._current_row == theirs._current_row == len(values)
    assert ws["A4"].data_type == "e" and len(ws["A14"].value) == 32767 and ws["A7"].data_type == "s"
    assert ws["A7"].quotePrefix and ws["B19"].value == 2.5 and ws["A19"].value is None
