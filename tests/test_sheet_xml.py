"""The workbook writer (planner/workbook/sheet_xml.py) writes the same bytes as openpyxl's own, part
by part: on cells of every kind it writes itself, on cells it leaves to openpyxl, and on a real plan
workbook in English and Korean (the plan workbook holds every style, comment and chart the reports use)."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from conftest import TEST_OPTS
from factory import default_case_for, default_tables_for
from models.solve import Session
from planner.reports.plan_workbook import build_plan_workbook
from planner.workbook.sheet_xml import xlsx_bytes
from planner.verify import verify
from planner.workbook.writer import build_input_workbook


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def same_as_openpyxl(build) -> dict[str, bytes]:
    """Both writers' parts of two workbooks ``build`` makes alike; openpyxl stamps the save time."""
    theirs = io.BytesIO()
    build().save(theirs)
    expected, got = parts(theirs.getvalue()), parts(xlsx_bytes(build()))
    assert list(got) == list(expected)
    differ = [name for name in expected if got[name] != expected[name] and name != "docProps/core.xml"]
    assert not differ, differ
    return got


def every_kind_of_cell() -> Workbook:
    wb = Workbook()
    ws = wb.active
    texts = ["plain", " leading", "trailing ", "  ", "", "a & b < c > d \"q\" 'a'", "two\nlines", "tab\there",
             "한국어 비축 일수", "ünïcödé ≥ ≤ –", "=1+1 is text here"]
    numbers = [0, 1, -7, 2**40, 0.1, 1 / 3, -2.5e-12, 1e22, 123456789.125, float("nan"), float("inf"), True, False]
    for j, value in enumerate(texts + numbers, start=1):
        ws.cell(row=1 + j % 5, column=j, value=value)
    styled = ws.cell(row=8, column=2)  # empty, styled: written as an empty <c>
    styled.font = Font(bold=True)
    ws.cell(row=8, column=3, value=4.5).fill = PatternFill("solid", fgColor="DDEEFF")
    ws.cell(row=8, column=4, value="wrapped").alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(row=9, column=1).comment = Comment("a comment on an empty cell", "planner")
    ws.cell(row=9, column=2, value="noted").comment = Comment("a comment & more", "planner")
    ws.row_dimensions[9].height = 30
    ws.row_dimensions[12].height = 18  # a styled row with no cells
    # Left to openpyxl's writer, in their place in the row:
    ws.cell(row=10, column=1, value=dt.datetime(2030, 1, 2, 3, 4, 5))
    ws.cell(row=10, column=2, value="after a date")
    ws.cell(row=10, column=3, value=CellRichText("rich ", TextBlock(InlineFont(b=True), "text")))
    ws.cell(row=10, column=4, value="link").hyperlink = "https://example.org/"
    ws.cell(row=10, column=5, value="=SUM(A1:A2)")
    ws.cell(row=10, column=6, value=7)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=12, min_row=1, max_row=5))
    ws.add_chart(chart, "H12")
    wb.create_sheet("Second").append(["x", 1.5, None, "y"])
    return wb


def test_every_kind_of_cell_is_written_as_openpyxl_writes_it():
    got = same_as_openpyxl(every_kind_of_cell)
    sheet = got["xl/worksheets/sheet1.xml"].decode()
    # The cases that differ in XML are there: kept spaces, escapes, an empty styled cell, NaN.
    for piece in ('<t xml:space="preserve"> leading</t>', "a &amp; b &lt; c &gt; d", '<c r="B8" s="1" t="n" />',
                  "<v />", '<c r="E1" t="inlineStr" />', "<f>SUM(A1:A2)</f>"):
        assert piece in sheet, piece


def test_the_input_workbook_is_written_as_openpyxl_writes_it():
    same_as_openpyxl(lambda: build_input_workbook(default_tables_for("gallium", "graphite")))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_plan_workbook_is_written_as_openpyxl_writes_it(lang, tmp_path):
    d = default_case_for(tmp_path, "gallium", "graphite")
    plan = Session(d).solve(TEST_OPTS)
    ev = verify(d, plan)
    same_as_openpyxl(lambda: build_plan_workbook(d, plan, ev, [("input_sha256", "0" * 64)], source="small.xlsx",
                                                 lang=lang))
