"""Writes planning (input) workbooks that are pleasant to edit in Excel or LibreOffice.

Every sheet gets a styled header row whose names carry units, frozen panes,
input cells in the input style, number formats, drop-down lists for
categorical columns, and a hover note per header.  The About sheet is
generated from ``planner.workbook.schema``.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from planner.workbook import schema as S
from planner.workbook.cells import MAX_ABS

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_ALIGNMENT = Alignment(vertical="center")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the usual "input cell" yellow
TITLE_FONT = Font(bold=True, size=14)
VALIDATED_ROWS = 500  # drop-downs reach this far so new rows get them too

# Formats that show a figure as stored (up to 5 decimals): a share 0.0425 as 4.25% and 2e-06 as 0.0002% (not 4.3%
# and 0.0%), a content of 0.007 t/unit as 0.007 (not 0.01). A fraction's optional decimals ('#') follow a required
# one: Excel shows '#,##0.##' as '220,000.' for a whole number.
SHARE_FORMAT = "0.0####%"
SCORE_FORMAT = "0.00###"
WHOLE_FORMAT = "0"
AMOUNT_FORMAT = "#,##0"  # a whole amount: 220,000
FRACTION_FORMAT = "#,##0.0####"  # an amount with a fraction: 71.2, 0.1667


def number_format(col: S.Column | S.Setting, value: object = None) -> str:
    """The format of a cell of ``col`` holding ``value``: a share as a percentage, a score (unit 0-1) as a
    number, an amount with thousands separators, and the decimals it has if it is not whole."""
    if col.kind == S.SHARE or col.kind == S.NUMBER and col.unit.startswith("share"):
        return SCORE_FORMAT if col.unit == "0-1" else SHARE_FORMAT
    if col.kind in (S.INTEGER, S.YEAR):
        return WHOLE_FORMAT
    if col.kind == S.NUMBER:
        whole = not isinstance(value, float) or value.is_integer()
        return AMOUNT_FORMAT if whole else FRACTION_FORMAT
    return "General" if col.kind == S.RAW else "@"


def style_header(ws, headers: list[str], widths: list[int] | None = None, start_row: int = 1) -> None:
    # The first new header cell's style, copied to the next: openpyxl hashes each fill, font and alignment
    # again for every cell it is set on.
    made = None
    for j, name in enumerate(headers, start=1):
        c = put(ws, start_row, j, name)
        if made is not None and c._style is None:  # a new cell, not a quoted text
            c._style = StyleArray(made)
        else:
            new = c._style is None
            c.fill, c.font = HEADER_FILL, HEADER_FONT
            c.alignment = HEADER_ALIGNMENT
            if new:
                made = StyleArray(c._style)
        width = widths[j - 1] if widths else max(12, min(48, len(name) + 3))
        ws.column_dimensions[get_column_letter(j)].width = width
    if start_row == 1:
        ws.freeze_panes = "B2"


# The longest error message of a data validation ([MS-XLS] 2.5.37: its input message may have 255 characters).
MAX_MESSAGE = 225


def _validation(ws, where: str, prompt: str, **kind) -> None:
    """A data validation that refuses what the reader would (errorStyle stop), with its prompt."""
    dv = DataValidation(allow_blank=True, showErrorMessage=True, errorStyle="stop", showInputMessage=True, **kind)
    dv.error, dv.errorTitle = prompt, "Not allowed"
    dv.prompt, dv.promptTitle = prompt, "Allowed"
    dv.add(where)
    ws.add_data_validation(dv)


def _add_validations(ws, specs, rows: str) -> None:
    """Each column's (or setting's) drop-down or number range, from the schema, on ``rows`` ("{}2:{}500")
    formatted with its column letter (or the Settings value cell of each setting, given as letter)."""
    for letter, col in specs:
        where = rows.format(letter, letter)
        if col.kind in (S.YESNO, S.CHOICE):
            listed = f"{col.name}: one of " + ", ".join(col.choices)
            _validation(ws, where, listed if len(listed) <= MAX_MESSAGE else f"{col.name}: one of the listed values",
                        type="list", formula1='"' + ",".join(col.choices) + '"')
        elif col.kind in S.REFERENCES and col.kind != S.COUNTRIES:
            sheet, column = S.REFERENCES[col.kind]
            at = get_column_letter(S.SHEET_BY_NAME[sheet].headers.index(column) + 1)
            _validation(ws, where, f"{col.name}: a {column} from {sheet}", type="list",
                        formula1=f"{sheet}!${at}$2:${at}${VALIDATED_ROWS}")
        elif col.kind in (S.NUMBER, S.SHARE, S.INTEGER):
            b = S.bounds(col)
            if b.low is None and b.high is None:  # no bounds of its own: still a number of sensible size
                b = S.Bounds(-MAX_ABS, MAX_ABS)
            prompt, kind = f"{col.name}: {S.range_text(col)}", "whole" if col.kind == S.INTEGER else "decimal"
            if b.low is not None and b.high is not None and (b.low_open or b.high_open):
                # Excel has no half-open "between": a formula on the range's first cell (a yield above 0,
                # not 0), which Excel and LibreOffice move along the range.
                at = where.split(":")[0]
                tests = [f"ISNUMBER({at})", f"{at}{'>' if b.low_open else '>='}{b.low:g}",
                         f"{at}{'<' if b.high_open else '<='}{b.high:g}"] + \
                        ([f"{at}=INT({at})"] if col.kind == S.INTEGER else [])
                _validation(ws, where, prompt, type="custom", formula1=f"AND({','.join(tests)})")
                continue
            operator = ("between" if b.low is not None and b.high is not None else
                        ("greaterThan" if b.low_open else "greaterThanOrEqual") if b.low is not None else
                        "lessThan" if b.high_open else "lessThanOrEqual")
            first, second = (b.low, b.high) if b.low is not None else (b.high, None)
            _validation(ws, where, prompt, type=kind, operator=operator, formula1=f"{first:g}",
                        formula2=None if second is None else f"{second:g}")
        elif col.kind == S.YEAR:  # the planning horizon the Settings sheet gives, as the reader takes it
            first, last = (_setting_formula(name) for name in ("first_year", "last_year"))
            _validation(ws, where, f"{col.name}: {S.range_text(col)}", type="whole",
                        operator="between", formula1=first, formula2=last)


def _setting_formula(name: str) -> str:
    """A formula for the value of setting ``name`` on the Settings sheet, found by its name (a planner may
    reorder the rows), or the setting's default where the row is missing, as the reader takes it."""
    names, values = (f"Settings!${c}$2:${c}${VALIDATED_ROWS}" for c in "AB")
    return f'IFERROR(INDEX({values},MATCH("{name}",{names},0)),{S.SETTING_BY_NAME[name].default})'


# The height of a line of text in a row, in points (11-point font), and the characters a line holds per unit of
# column width (a unit is the width of a '0'; text runs a little narrower).
LINE_HEIGHT = 15
CHARS_PER_WIDTH = 1.1


def _fit_rows(ws, row: int, texts_widths) -> None:
    """Set the height of ``row`` to the lines its wrapped cells take: (text, column width) pairs. Excel and
    LibreOffice do not size a row to its wrapped text when they open a workbook, so the lines would overlap
    the next row's."""
    lines = max(-(-len(str(text)) // int(width * CHARS_PER_WIDTH)) for text, width in texts_widths)
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT * lines


# Widest a table's column is made for its values (wider text shows when its cell is selected).
MAX_WIDTH = 48


def _column_width(name: str, values) -> int:
    """A width that shows the header and the values (up to MAX_WIDTH): ids, names and sources are read at a
    glance, not cut at the next column."""
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return max(12, min(MAX_WIDTH, max(len(name) + 3, longest + 2)))


def _write_table(ws, sheet: S.Sheet, rows: list[dict]) -> None:
    style_header(ws, sheet.headers, widths=[_column_width(c.name, (r.get(c.name) for r in rows))
                                            for c in sheet.columns])
    for j, col in enumerate(sheet.columns, start=1):
        head = ws.cell(row=1, column=j)
        unit = f" [{col.unit}]" if col.unit else ""
        head.comment = Comment(f"{col.description}{unit}", "planner", width=320, height=110)
        for i, row in enumerate(rows, start=2):
            value = row.get(col.name)
            c = put(ws, i, j, value)
            c.fill = INPUT_FILL
            c.number_format = number_format(col, value)
    _add_validations(ws, [(get_column_letter(j), c) for j, c in enumerate(sheet.columns, start=1)],
                     f"{{}}2:{{}}{VALIDATED_ROWS}")


def _write_settings(ws, rows: list[dict]) -> None:
    sheet = S.SHEET_BY_NAME["Settings"]
    widths = [max(len(s.name) for s in S.SETTINGS) + 2, 18, 10, 90, 16]
    style_header(ws, sheet.headers, widths=widths)
    given = {r["name"]: r for r in rows}
    top = Alignment(vertical="top")  # a setting's cells beside the first line of its description
    for i, spec in enumerate(S.SETTINGS, start=2):
        row = given.get(spec.name, {})
        value = row.get("value", spec.default)
        cells = [put(ws, i, j, v) for j, v in enumerate((spec.name, value, spec.unit, spec.description,
                                                          row.get("source_id")), start=1)]
        for c in cells:
            c.alignment = top
        cells[1].fill = cells[4].fill = INPUT_FILL
        if spec.kind == S.SHARE:  # other numbers as typed (General): a time limit typed as 0.5 shows 0.5
            cells[1].number_format = number_format(spec, value)
        cells[3].alignment = Alignment(wrap_text=True, vertical="top")
        _fit_rows(ws, i, [(spec.description, widths[3])])
        _add_validations(ws, [(f"B{i}", spec), (f"E{i}", sheet.column("source_id"))], "{}")


ABOUT_INTRO = (
    "Critical-minerals sourcing planner: planning workbook",
    "This workbook holds one whole planning case. Yellow cells are inputs: edit them, add rows at the "
    "bottom of a table, and keep the header row (row 1) as it is. Column names carry their units (listed at "
    "the end of this text). Drop-down lists offer the "
    "allowed values. Run 'planner validate <this file>' to check it and 'planner solve <this file>' to "
    "plan. Every figure cites a row of the Sources sheet; rows marked 'estimate' there are "
    "approximations a planner should replace with better data. " + S.units_text(),
)


def _write_about(ws) -> None:
    put(ws, 1, 1, ABOUT_INTRO[0]).font = TITLE_FONT
    put(ws, 2, 1, ABOUT_INTRO[1]).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:F2")
    r = 4
    headers = ["sheet", "column", "unit", "required", "values", "meaning"]
    for j, h in enumerate(headers, start=1):
        c = put(ws, r, j, h)
        c.fill, c.font = HEADER_FILL, HEADER_FONT
    widths = [16, max(len(s.name) for s in S.SETTINGS) + 2, 12, 10, 36, 100]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    _fit_rows(ws, 2, [(ABOUT_INTRO[1], sum(widths))])
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in S.SHEETS:
        r += 1
        put(ws, r, 1, sheet.name).font = Font(bold=True)
        c = put(ws, r, 6, sheet.description)
        c.font, c.alignment = Font(bold=True), wrap
        _fit_rows(ws, r, [(sheet.description, widths[5])])
        rows = ([(s.name, s.unit, "no", S.range_text(s), s.description) for s in S.SETTINGS]
                if sheet.name == "Settings" else
                [(c.name, c.unit, "yes" if c.required else "no", S.range_text(c), c.description)
                 for c in sheet.columns])
        for values in rows:
            r += 1
            for j, v in enumerate((sheet.name, *values), start=1):
                put(ws, r, j, v).alignment = wrap
            _fit_rows(ws, r, [(values[3], widths[4]), (values[4], widths[5])])
    ws.freeze_panes = "A5"


def build_input_workbook(tables: dict[str, list[dict]]) -> Workbook:
    wb = Workbook()
    about = wb.active
    about.title = "About"
    _write_about(about)
    for sheet in S.SHEETS:
        ws = wb.create_sheet(sheet.name)
        if sheet.name == "Settings":
            _write_settings(ws, tables.get("Settings", []))
        else:
            _write_table(ws, sheet, tables.get(sheet.name, []))
    return wb


# The type openpyxl gives a value of each of these types (Cell._bind_value); text is typed in ``put``.
_KINDS = {int: "n", float: "n", bool: "b", type(None): "n"}
_new_cell = Cell.__new__

# Text that a spreadsheet or a CSV reader could take for a formula when it starts with one of these
# (after white space): OWASP's list for CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@")


def put(ws, row: int, column: int, value):
    """Write ``value`` to a cell.  Every cell of every workbook the planner writes (inputs, plans,
    reports: headers, titles and file names too) goes through here, so text stays text even if
    it starts with '=' (openpyxl would otherwise store a formula that Excel runs), and text that
    looks like a formula carries Excel's quote prefix (shown as typed, and kept text if the sheet
    is saved again as CSV); characters a workbook cannot hold (control characters in a file name)
    are dropped instead of failing."""
    text = isinstance(value, str)
    if text:
        if not value.isprintable():  # printable text holds no control character
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        quoted = value.lstrip().startswith(FORMULA_STARTS)
        # openpyxl's binding of a text, without its search for the characters dropped above (a third of the
        # time of writing a text cell): a plain str of at most 32,767 characters, an error code ('#N/A') an
        # error; here a text that looks like a formula is a string, quoted below.
        value = value[:32767]  # a plain str, as a slice of a str of any type is
        kind = "s" if quoted or value not in ERROR_CODES else "e"
    else:
        kind = _KINDS.get(type(value))  # None: a value openpyxl types itself (a date)
    if not (0 < row < 1048577 and column > 0):
        raise ValueError(f"no cell at row {row}, column {column}")
    cells, at = ws._cells, (row, column)
    cell = cells.get(at)
    if cell is None:
        if kind is None:
            cell = Cell(ws, row=row, column=column)  # its value bound below
        else:
            # openpyxl's Cell(ws, row, column) with its slots set here: its __init__ took five times as long
            # (openpyxl is pinned below 3.2, as for sheet_xml; tests/test_no_formulas.py compares every slot).
            cell = _new_cell(Cell)
            cell.parent, cell._style, cell.row, cell.column = ws, None, row, column
            cell._hyperlink = cell._comment = None
        cells[at] = cell
        if row > ws._current_row:
            ws._current_row = row
    elif value is None:  # as ws.cell(row, column, None): the cell as it is
        return cell
    if kind is None:
        cell.value = value
    else:
        cell._value, cell.data_type = value, kind
        if text and quoted:
            cell.quotePrefix = True
    return cell


def write_input_workbook(tables: dict[str, list[dict]], path: Path) -> Path:
    """Save a planning workbook to ``path`` (tests and benchmarks; ``planner init`` writes atomically), in
    openpyxl's bytes by ``sheet_xml``, the writer of every report too (0.12 s for the default case, against
    openpyxl's own 0.22 s)."""
    from planner.workbook.sheet_xml import xlsx_bytes  # openpyxl loads when a workbook is written

    Path(path).write_bytes(xlsx_bytes(build_input_workbook(tables)))
    return Path(path)
