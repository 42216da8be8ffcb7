"""The planning workbook as a planner sees it in Excel or LibreOffice: every figure shown as stored, drop-downs
and ranges that refuse exactly what the reader refuses, columns wide enough for their ids, wrapped text in
rows tall enough to hold it."""

import re

import pytest
from openpyxl.utils import get_column_letter

from planner.workbook import schema as S
from planner.workbook.defaults import load_default_tables
from planner.workbook.writer import CHARS_PER_WIDTH, LINE_HEIGHT, MAX_WIDTH, build_input_workbook


@pytest.fixture(scope="module")
def wb():
    return build_input_workbook(load_default_tables())


def _shown_digits(fmt: str) -> tuple[int, float] | None:
    """The decimals a number format shows at most and the factor it shows the value at (100 for a percentage);
    None for a format that is no number format."""
    m = re.fullmatch(r"(?:#,##)?0(?:\.(0*#*))?(%?)", fmt)
    if m is None:
        return None
    return len(m.group(1) or ""), 100.0 if m.group(2) else 1.0


def test_every_figure_is_shown_as_stored(wb):
    """A cell shows its figure, not a rounding of it: mip_gap 0.00001 showed as 0.00%, a stream's content of
    0.007 t/unit as 0.01 and a lifetime share of 0.000002 as 0.0%. And no format ends a whole number with
    a decimal point, as Excel shows '#,##0.##' (220,000.)."""
    for ws in wb.worksheets[1:]:
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if not isinstance(c.value, (int, float)) or isinstance(c.value, bool):
                    continue
                fmt = c.number_format
                if fmt == "General":
                    continue
                assert ".#" not in fmt, (ws.title, c.coordinate, fmt)
                digits = _shown_digits(fmt)
                assert digits is not None, (ws.title, c.coordinate, fmt)
                decimals, factor = digits
                shown = round(c.value * factor, decimals)
                assert shown == pytest.approx(c.value * factor, rel=1e-12, abs=1e-12), \
                    (ws.title, c.coordinate, c.value, fmt)


def _accepts(dv, x: float, settings: dict[str, float]) -> bool:
    """Whether data validation ``dv`` lets a planner type the number ``x``, as Excel decides it: its built-in
    comparisons, or a custom formula of the tests the writer makes (ISNUMBER, comparisons, a whole number)."""
    if dv.type == "custom":
        tests = re.fullmatch(r"AND\((.*)\)", dv.formula1).group(1).split(",")
        ok = True
        for t in tests:
            if t.startswith("ISNUMBER("):
                continue
            m = re.fullmatch(r"[A-Z]+\d+(>=|<=|>|<|=)(.*)", t)
            op, rhs = m.groups()
            if rhs.startswith("INT("):
                ok &= x == int(x)
                continue
            y = float(rhs)
            ok &= {">=": x >= y, "<=": x <= y, ">": x > y, "<": x < y}[op]
        return ok

    def value(formula):
        m = re.search(r'MATCH\("(\w+)"', formula)
        return settings[m.group(1)] if m else float(formula)

    if dv.type == "whole" and x != int(x):
        return False
    low = value(dv.formula1)
    op = dv.operator or "between"
    if op == "between":
        return low <= x <= value(dv.formula2)
    return {"greaterThan": x > low, "greaterThanOrEqual": x >= low, "lessThan": x < low,
            "lessThanOrEqual": x <= low}[op]


def test_number_ranges_refuse_what_the_reader_refuses_and_accept_what_it_accepts(wb):
    """At each end of every number column's and setting's range, and just beyond it, the spreadsheet's check
    agrees with the reader's (schema.bounds): a recovery_yield of 0 was let through (an 'at least 0'
    between), which the reader refuses. A year column offers the horizon of the Settings sheet, as read."""
    settings = {"first_year": 2026, "last_year": 2035}
    checked = 0
    for sheet in S.SHEETS:
        ws = wb[sheet.name]
        by_cell = {str(r).split(":")[0]: dv for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges}
        specs = ([(f"B{i}", s) for i, s in enumerate(S.SETTINGS, start=2)] if sheet.name == "Settings" else
                 [(f"{get_column_letter(j)}2", c) for j, c in enumerate(sheet.columns, start=1)])
        for at, col in specs:
            if col.kind not in S.NUMERIC:
                continue
            dv = by_cell[at]
            if col.kind == S.YEAR:
                for year, ok in ((2025, False), (2026, True), (2035, True), (2036, False), (2030.5, False)):
                    assert _accepts(dv, year, settings) is ok, (sheet.name, col.name, year)
                checked += 1
                continue
            b = S.bounds(col)
            points = [p for end in (b.low, b.high) if end is not None for p in (end - 0.5, end, end + 0.5)]
            for x in points:
                reader = b.holds(x) and (col.kind != S.INTEGER or x == int(x))
                assert _accepts(dv, x, settings) is reader, (sheet.name, col.name, x)
            checked += 1
    assert checked > 100


def test_columns_are_wide_enough_for_their_ids_and_names(wb):
    """A column is as wide as its longest value (up to MAX_WIDTH): the Sources sheet's source_id column was
    12 wide, cutting risk_combination and usgs_mcs_2024 at the next column."""
    for sheet in S.SHEETS[1:]:
        ws = wb[sheet.name]
        for j, col in enumerate(sheet.columns, start=1):
            longest = max((len(str(c.value)) for (c,) in ws.iter_rows(min_row=2, min_col=j, max_col=j)
                           if c.value is not None), default=0)
            width = ws.column_dimensions[get_column_letter(j)].width
            assert width >= min(MAX_WIDTH, longest), (sheet.name, col.name, width, longest)
    assert wb["Settings"].column_dimensions["A"].width >= max(len(s.name) for s in S.SETTINGS)


def test_wrapped_text_has_rows_tall_enough_to_hold_it(wb):
    """The Settings descriptions and the About sheet's meanings wrap, in rows as tall as their lines: neither
    Excel nor LibreOffice sizes a row to its wrapped text on opening, so the lines ran over the next rows. A
    sheet's description on the About sheet wraps too (it ran off to the right, hundreds of characters)."""
    def lines(text, width):
        return -(-len(text) // int(width * CHARS_PER_WIDTH))

    settings = wb["Settings"]
    width = settings.column_dimensions["D"].width
    for i, spec in enumerate(S.SETTINGS, start=2):
        assert settings.cell(i, 4).alignment.wrap_text
        need = lines(spec.description, width)
        if need > 1:
            assert settings.row_dimensions[i].height >= LINE_HEIGHT * need, spec.name
    about = wb["About"]
    width = about.column_dimensions["F"].width
    described = 0
    for (cell,) in about.iter_rows(min_row=5, min_col=6, max_col=6):
        if isinstance(cell.value, str) and lines(cell.value, width) > 1:
            assert cell.alignment.wrap_text, cell.coordinate
            assert about.row_dimensions[cell.row].height >= LINE_HEIGHT * lines(cell.value, width), cell.coordinate
            described += 1
    assert described > 20


def test_a_column_name_has_one_unit_on_every_sheet():
    """Names say units and mean the same everywhere: Recycling's recovery_yield was in t/t and Streams' in
    share (both a fraction recovered), and Put on market's year had no unit (the README said 'integer')
    where every other year column says year."""
    units: dict[str, set[str]] = {}
    for sheet in S.SHEETS:
        for col in sheet.columns:
            if col.kind in S.NUMERIC:
                units.setdefault(col.name, set()).add(col.unit or col.kind)  # as the README and About show it
    assert {name: u for name, u in units.items() if len(u) > 1} == {}


def test_validation_messages_and_lists_fit_excels_limits(wb):
    """A data validation's error message has at most 225 characters, its input message 255 and each title 32
    ([MS-XLS] 2.5.37 DValStrings), a typed list 255: the Uncertainty sheet's 'sheet' column said 'one of' its 19
    sheets in an error message of 233 characters."""
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert len(dv.error) <= 225 and len(dv.prompt) <= 255, (ws.title, str(dv.sqref), len(dv.error))
            assert len(dv.errorTitle) <= 32 and len(dv.promptTitle) <= 32
            assert dv.type != "list" or len(dv.formula1) <= 257, (ws.title, str(dv.sqref))  # 255 and the quotes


def test_every_unit_is_explained_in_the_readme_and_on_the_about_sheet(wb):
    """A unit such as 0-1 (a score, not a fraction), x (a multiplier) or weight was used in the headers' notes, the
    About sheet and the README reference without a word on what it means: only t, USD and share were."""
    from pathlib import Path

    legend = dict(S.UNIT_WORDS)
    units = {c.unit for s in S.SHEETS for c in s.columns} | {s.unit for s in S.SETTINGS}
    for unit in units - {""}:
        parts = [unit] if unit in legend else [p for part in unit.split(" or ") for p in part.split("/")]
        assert all(p in legend for p in parts), unit
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert S.units_text() in readme and S.units_text() in wb["About"]["A2"].value
