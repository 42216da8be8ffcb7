"""The results workbook of one solve: ``outputs/<stem>-plan.xlsx``.

Sheet and column names are a contract other tools rely on (see the README).
Every figure comes from the verified :class:`planner.verify.Evaluation`, not
from the solver, except solver statistics and shadow prices.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.comments import Comment
from openpyxl.drawing.text import CharacterProperties, ParagraphProperties
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from models.dataset import BASIS_CONSUMPTION, CHINA_POOL, LIMIT_APPLIES_ONLY_TO, MINING, REFINING, STAGES, PlanningData
from models.plan import Plan
from planner.indicators import (
    DEFINITIONS, PURCHASE_MIN_T, limit_over_minerals, over_minerals, partner_tonnes, stage_risk,
)
from planner.reports import labels as L
from planner.reports.files import commit, workbook_bytes
from planner.reports.html import color_of, nonzero_decimals, text_px, unit_whole, wrap
from planner.reports.labels import CATALOGUE, EN, label
from planner.reports.width import display_width as text_width
from planner.verify import Evaluation, purchases_by_origin_usd
from planner.workbook import schema as S
from planner.workbook.writer import HEADER_ALIGNMENT, HEADER_FILL, TITLE_FONT, put, style_header

T = "#,##0"  # tonnes
USD = "#,##0"
USD_M = "#,##0.0"  # million USD (values divided by 1e6)
PCT = "0.0%"
RISK = "0.000"
DAYS = "0.0"
INT = "0"
# A proven gap to its first digit: the default case's 7e-06 read "0.00%" in the sweep, as if proven exact.
GAP = "0.0000%"


def pct_format(digits: int | None) -> str:
    """A share's number format: PCT, or ``digits`` after the point where PCT would round a share that is
    not 0 to 0.0% (``html.nonzero_decimals``)."""
    return PCT if digits is None else f"0.{'0' * digits}%"


@dataclass(frozen=True)
class Col:
    """A column of a results workbook.  ``name`` is its id: the English header, which other tools may rely
    on; in another language the header is the catalogue's ``head.<key>``, and the hover note is
    ``note.<key>`` in every language (``key`` is the id unless given; ``values`` fill a template's
    fields).  ``description`` is the English note of a column the catalogue does not hold."""

    name: str
    fmt: str
    description: str = ""
    key: str = ""
    values: tuple[tuple[str, object], ...] = ()

    def _values(self, lang: str) -> dict[str, object]:
        """The template's fields; a value '@key' is the catalogue's text of that key in ``lang``."""
        return {k: label(v[1:], lang) if isinstance(v, str) and v.startswith("@") else v for k, v in self.values}

    def head(self, lang: str = EN) -> str:
        key = f"head.{self.key or self.name}"
        return label(key, lang, **self._values(lang)) if lang != EN and key in CATALOGUE else self.name

    def note(self, lang: str = EN) -> str:
        key = f"note.{self.key or self.name}"
        return label(key, lang, **self._values(lang)) if key in CATALOGUE else self.description


APART = Alignment(horizontal="left", indent=1)  # a text set apart from the right-aligned number before it
AS_NUMBERS = Alignment(horizontal="right")  # a word in a column of numbers ('∞') stands where they do
HEAD_OVER_NUMBERS, HEAD_APART = Alignment(horizontal="right", vertical="center", wrap_text=True), APART + HEADER_ALIGNMENT


def apart_columns(formats: list[str | None]) -> set[int]:
    """The columns (from 1) of text right after a column of numbers (a number format): set ``APART`` from them."""
    return {j for j, (before, f) in enumerate(zip(formats, formats[1:]), start=2) if before and not f}


def write_table(ws, cols: list[Col], rows: list[list], start_row: int = 1, lang: str = EN) -> None:
    """A header with hover notes, typed rows, number formats and a filter (column widths: ``fit_columns``).
    A column of text after a column of numbers stands apart from them (``APART``), header and text alike:
    else they touch ("92.369 → 100", "2,914,073significant")."""
    style_header(ws, [c.head(lang) for c in cols], start_row=start_row)
    apart = apart_columns([c.fmt for c in cols])
    for j, c in enumerate(cols, start=1):
        note = c.note(lang)
        if note:
            ws.cell(row=start_row, column=j).comment = Comment(note, "planner", width=320, height=110)
        if c.fmt:  # a header over numbers stands over them, at the right
            ws.cell(row=start_row, column=j).alignment = HEAD_OVER_NUMBERS
        elif j in apart:
            ws.cell(row=start_row, column=j).alignment = HEAD_APART
    # A cell's style, by its column and whether it holds text, set through openpyxl's setters on the first
    # such new cell and copied to the next (openpyxl hashes and looks up each format and alignment again for
    # every cell: a third of the time of writing a table).  The workbook's style lists grow in the same order.
    made: dict[tuple[int, bool], StyleArray] = {}
    for i, row in enumerate(rows, start=start_row + 1):
        for j, (c, v) in enumerate(zip(cols, row), start=1):
            cell = put(ws, i, j, v)
            text = isinstance(v, str)
            if not (c.fmt or text and j in apart):
                continue
            if cell._style is None and (j, text) in made:  # a new cell, not a quoted text
                cell._style = StyleArray(made[j, text])
                continue
            new = cell._style is None
            if c.fmt:
                cell.number_format = c.fmt
                if text:
                    cell.alignment = AS_NUMBERS
            else:
                cell.alignment = APART
            if new:
                made[j, text] = StyleArray(cell._style)
    if rows:
        ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(cols))}{start_row + len(rows)}"


def sheet_name(key: str, lang: str = EN) -> str:
    """A sheet's name in the report's language (``sheet.<key>``, the English name in lower case with _ for
    spaces; at most 31 characters, as Excel allows)."""
    return label(f"sheet.{key.lower().replace(' ', '_')}", lang)[:31]


NOT_IN_SHEET_NAMES = str.maketrans({c: "_" for c in ':\\/?*[]'})  # Excel refuses these in a sheet's name


def sheet_title(text: str) -> str:
    """``text`` as a sheet's name (an id may hold characters Excel refuses in one), at most 31 characters."""
    return text.translate(NOT_IN_SHEET_NAMES)[:31]


def run_value(v: object, lang: str = EN) -> object:
    """A run fact as a Run sheet shows it: a fact in words (``labels.Worded``) in Korean on a Korean sheet,
    where the .json keeps the English; a yes or no in words in either language, where the .json keeps
    true or false (a boolean cell reads TRUE in Excel and 1 in LibreOffice)."""
    if isinstance(v, L.Worded) and lang != EN:
        return v.in_lang(lang)
    if isinstance(v, bool):
        return yes(v, lang)
    return v if isinstance(v, (int, float, str)) or v is None else str(v)


# A fractional run fact's number format, by the unit its name ends in; any other in up to four decimals.
RUN_FORMATS = (("_usd", USD), ("gap", GAP), ("_days", DAYS))
RUN_FORMAT = "#,##0.0###"


def run_format(name: str, value: object) -> str | None:
    """The number format of a run fact's value: its value printed whole it read 48316505330.2999 USD, a gap
    8.76247109142647E-06, days 1.583826429980271.  None for a whole number, a text or a yes or no."""
    if not isinstance(value, float) or value.is_integer():
        return None
    return next((fmt for unit, fmt in RUN_FORMATS if name.endswith(unit)), RUN_FORMAT)


def write_run_sheet(wb: Workbook, run_info: list[tuple[str, object]], lang: str = EN) -> None:
    """The Run sheet: one row per recorded fact of the run (the facts of the .json, by their ids, ``run_value``),
    each number in the format of its unit (``run_format``)."""
    ws = wb.create_sheet(sheet_name("Run", lang))
    rows = [[k, run_value(v, lang)] for k, v in run_info]
    write_table(ws, [Col("name", ""), Col("value", "", key="run_value")], rows, lang=lang)
    format_run_values(ws, rows)


def format_run_values(ws, rows: list[list]) -> None:
    """A Run sheet's values, from row 2 of column B, each number in its unit's format (``run_format``)."""
    for i, (k, v) in enumerate(rows, start=2):
        if fmt := run_format(k, v):
            ws.cell(i, 2).number_format = fmt


def stop_notice(run_info: list[tuple[str, object]], what: str, lang: str = EN) -> str:
    """What a study stopped before it finished says first (its ``stopped_by``, ``finished`` and, where
    known, ``asked`` facts; ``what``: the ``stopped.*`` noun of its items); "" if it finished."""
    facts = dict(run_info)
    if "stopped_by" not in facts:
        return ""
    asked = facts.get("asked")
    return label("stopped.notice" if asked is not None else "stopped.notice.open", lang, signal=facts["stopped_by"],
                 done=facts["finished"], asked=asked, what=label(f"stopped.{what}", lang))


def study_files(wb: Workbook, page: Callable[[str], str], run_info: list[tuple[str, object]], what: str,
                lang: str = EN) -> tuple[bytes, bytes]:
    """The bytes of a study's workbook and page (``page(notice)``: the page with ``notice`` under its title,
    ``html.page``'s).  A study stopped before it finished keeps what finished (``planner.stopping``); then
    both open with ``stop_notice``: the workbook on a first sheet of its own, the page in a box under the
    title."""
    notice = stop_notice(run_info, what, lang)
    if notice:
        ws = wb.create_sheet(sheet_name("Stopped", lang), 0)
        cell = put(ws, 1, 1, notice)
        cell.font, cell.alignment = Font(bold=True, color="D55E00"), Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = TEXT_WIDTH * 1.5
        ws.sheet_properties.tabColor = "D55E00"
        wb.active = 0
    return workbook_bytes(wb), page(notice).encode("utf-8")


# ---- readable columns, rows and pages -------------------------------------------------------------

TEXT_WIDTH = 60  # characters: longer text wraps
HEADER_WIDTH = 18  # characters a header with spaces may wrap at
MIN_WRAP = 10  # characters: the narrowest wrap of a sheet of charts' table (``fit_columns``' ``within``)
LINE_PT = 15  # a row's height per line of text
WIDE_LINE_PT = 18  # per line of text with Korean in it: its glyphs stand taller (a second line of 15 pt was cut)


def line_pt(text: str) -> float:
    """A row's height per line of ``text``: taller with East Asian (Korean) characters in it, not with a no-break
    space or a dash (the compare's case summaries, in English, were given Korean's taller lines)."""
    return WIDE_LINE_PT if text_width(text) > len(text) else LINE_PT  # a wide character counts two


SENTENCE_WIDTH = 100  # characters: a column of sentences one A4 page wide


def wrap_sentences(ws, first_row: int = 1, width: int = SENTENCE_WIDTH) -> None:
    """Column A of sentences (a summary, notes) one page wide: each wrapped at the top of its cell, its row
    as high as its lines (wide characters as two, a tenth spare for breaks at words)."""
    ws.column_dimensions["A"].width = width
    for (cell,) in ws.iter_rows(min_row=first_row, max_col=1):
        if isinstance(cell.value, str):
            _wrapped(ws, cell, width)


def _wrapped(ws, cell, width: float) -> None:
    """A sentence wrapped at the top of its cell ``width`` characters wide, its row as high as its lines."""
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[cell.row].height = line_pt(cell.value) * _sentence_lines(cell.value, width)


def _sentence_lines(text: str, width: float) -> int:
    """The lines a sentence wraps to ``width`` characters wide (wide characters as two, a tenth spare for breaks
    at words)."""
    return max(1, math.ceil(text_width(text) / (0.9 * width)))


def wrap_notes(ws, first_row: int) -> None:
    """Sentences in column A from ``first_row`` on, below a table whose first column is narrow: it ran on to
    the right, past the page's edge.  Each is merged over the columns that fit in SENTENCE_WIDTH (and in one
    printed page) and wrapped there, its row as high as its lines; on a table printed across pages it starts
    after the columns each page repeats, which would print its first words cut off on every page.  After
    ``make_printable``, which sizes the columns and the pages."""
    widths = [_column_width(ws, j) for j in range(1, ws.max_column + 1)]
    room = min(SENTENCE_WIDTH, sum(widths) / max(1, ws.page_setup.fitToWidth or 1))
    first = last = min(len(widths), 1 + (label_columns(ws) if ws.print_title_cols else 0))
    used = widths[first - 1]
    while last < len(widths) and used + widths[last] <= room:
        used += widths[last]
        last += 1
    for (cell,) in ws.iter_rows(min_row=first_row, max_col=1):
        if isinstance(cell.value, str):
            text, cell.value = cell.value, None
            note = ws.cell(cell.row, first)
            note.value = text
            if last > first:
                ws.merge_cells(start_row=cell.row, start_column=first, end_row=cell.row, end_column=last)
            _wrapped(ws, note, used)


def formatted(value, number_format: str = "General") -> str:
    """A cell's value as a spreadsheet shows it in ``number_format`` (close enough to size its column)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    spec = _python_format(number_format)
    if spec is None:
        return str(value) if isinstance(value, int) else f"{value:.10g}"
    return f"{value * 100:{spec[:-1]}}%" if spec.endswith("%") else f"{value:{spec}}"


@functools.lru_cache(maxsize=None)  # a report has a few number formats, each read for many cells
def _python_format(number_format: str) -> str | None:
    """Python's format of a number in ``number_format``, ending in '%' if its value shows multiplied by 100
    and followed by '%'; None for General."""
    fmt = (number_format or "General").split(";")[0]
    if fmt == "General":
        return None
    decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    if fmt.endswith("%"):
        return f",.{decimals}f%"
    return f",.{decimals}f" if "," in fmt else f".{decimals}f"


def _number_width(value, number_format: str) -> float:
    """Characters a value that is not a text needs in a column, in its number format."""
    # Digits and separators render wider in the fonts LibreOffice substitutes for Calibri.
    return text_width(formatted(value, number_format)) * (1.15 if isinstance(value, (int, float)) else 1.0)


def _header_fills(wb: Workbook) -> set[int]:
    """The ids of the workbook's fills that are ``HEADER_FILL``: a cell is a header if its fill's id is one
    (openpyxl compares two fills attribute by attribute, and made a proxy of the fill for every text cell)."""
    return {i for i, fill in enumerate(wb._fills) if fill.fgColor.rgb == HEADER_FILL.fgColor.rgb and fill == HEADER_FILL}


def _filled_rows(ws) -> list[list]:
    """Each row's cells that hold a value, row by row (the cells openpyxl holds: ``iter_rows`` would
    make an empty cell for every gap of the sheet's rectangle, most of the time of a wide sheet); in
    the order they were written, which fitting does not depend on."""
    rows: dict[int, list] = {}
    for (r, _c), cell in ws._cells.items():
        if cell._value is not None:
            rows.setdefault(r, []).append(cell)
    return list(rows.values())


WRAP_TOP, TOP = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")


def fit_columns(ws, one_page: bool = False, within: float | None = None) -> None:
    """Every column as wide as its values need as formatted (no ##### at the default zoom), text longer than
    TEXT_WIDTH wrapped (in a table wider than a page, longer than the page's room beside the columns each of its
    pages repeats, ``label_columns``), a header with spaces wrapped at HEADER_WIDTH, and each row as high as its
    lines.
    A row that holds only a text in its first column (a title, a note) runs on to the right and sets no
    width.  On a summary printed on ``one_page``, text wraps at the width that prints it largest there
    (``_best_wrap``): a value column as wide as its one long text printed the plan's Summary at half size.
    ``within`` (characters): text wraps at the widest width, down to HEADER_WIDTH, that keeps the columns
    within it (a sheet of charts prints its table one page wide: the brief's Costs printed its last column,
    the significance of each policy's cost, alone on a second page, away from the policies it was of)."""
    widths: dict[int, float] = {}  # what a column's numbers and headers without a space need
    heads: dict[int, float] = {}  # what its headers with spaces need, which wrap at HEADER_WIDTH
    texts: dict[int, float] = {}  # what its other text needs, which may wrap
    words: dict[int, float] = {}  # its longest word, which no wrap breaks (only ``within`` wraps narrower)
    merged = {r.start_cell.coordinate: r for r in ws.merged_cells.ranges}
    # A row that holds only a text in its first column (a title, a note) runs on to the right.
    rows = [row for row in _filled_rows(ws) if not _alone(row)]
    header_fills = _header_fills(ws.parent)
    formats: dict[int, str] = {}  # number formats by their ids, each looked up in the workbook once
    # Each number's width by its format, type and value, measured once (a plan's 16,000 numbers hold 5,000
    # values); not a zero's, which is equal to -0.0 but shown as '-0'.
    measured: dict[tuple, float] = {}
    for row in rows:
        for c in row:
            if merged and c.coordinate in merged:  # a text over several columns sets none of their widths
                continue
            value = c._value
            if not isinstance(value, str):
                fmt_id = c._style.numFmtId if c._style is not None else 0
                kind = type(value)
                known = (kind is float or kind is int) and value != 0
                w = measured.get((fmt_id, kind, value)) if known else None
                if w is None:
                    fmt = formats.get(fmt_id) or formats.setdefault(fmt_id, c.number_format)
                    w = _number_width(value, fmt)
                    if known:
                        measured[fmt_id, kind, value] = w
                widths[c.column] = max(widths.get(c.column, 0.0), w)
                continue
            w = text_width(value)
            if within is not None:
                words[c.column] = max(words.get(c.column, 0.0), max(map(text_width, value.split()), default=0))
            if not (c.has_style and c._style.fillId in header_fills):  # not a header
                texts[c.column] = max(texts.get(c.column, 0.0), w)
                continue
            if " " in value:
                heads[c.column] = max(heads.get(c.column, 0.0), w)
                continue
            widths[c.column] = max(widths.get(c.column, 0.0), w + 2)  # the filter's button

    def wrapped_at(most: float, head: float = HEADER_WIDTH) -> dict[int, float]:
        """Each column's width, its text wrapped at ``most`` and its headers at ``head`` (through no word)."""
        def at(j: int, need: dict[int, float], wrap: float) -> float:
            return min(need.get(j, 0.0), max(wrap, min(words.get(j, 0.0), TEXT_WIDTH)))
        return {j: max(8.0, max(widths.get(j, 0.0), at(j, heads, head) + 2, at(j, texts, most)) + 3)
                for j in widths.keys() | heads.keys() | texts.keys()}

    if one_page:
        chosen = wrapped_at(_best_wrap(ws, rows, merged, wrapped_at))
    elif within is not None:  # the text wraps narrower first, then the headers too
        tries = [wrapped_at(m) for m in range(TEXT_WIDTH, HEADER_WIDTH - 1, -1)] + [
            wrapped_at(m, m) for m in range(HEADER_WIDTH - 1, MIN_WRAP - 1, -1)]
        chosen = next((w for w in tries if sum(w.values()) <= within), tries[-1])
    else:
        chosen = wrapped_at(TEXT_WIDTH)
    _set_widths(ws, chosen)
    if within is None and not one_page and ws.cell(1, 1).fill == HEADER_FILL and sum(chosen.values()) > PRINT_WIDTH:
        # A table printed across pages: its text wraps as wide as a page beside the columns each page repeats.
        # Wrapped at TEXT_WIDTH, the compare's case summaries held each row six lines high on all four pages of
        # its Summary, three of them blank beside the numbers.
        labels = label_columns(ws)
        room = PRINT_WIDTH - sum(chosen.get(j, 0.0) for j in range(1, labels + 1))
        if room > TEXT_WIDTH:  # the repeated columns as they were: wider, they would take more of every page
            chosen = {j: chosen[j] if j <= labels else w for j, w in wrapped_at(room).items()}
            _set_widths(ws, chosen)

    # Each cell's alignment plus a wrap or a top, made once a combination: openpyxl makes, hashes and looks up a
    # new Alignment for every cell it is set on (60 ms on the plan's Recycling sheet, whose names wrap in every
    # row).  Its style ids, as openpyxl's own setter sets them (openpyxl is pinned below 3.2, as for sheet_xml).
    alignments, combined = ws.parent._alignments, {}

    def style(c) -> StyleArray:
        if not c._style:  # a cell never styled, as openpyxl's getter makes it
            c._style = StyleArray()
        return c._style

    def align(c, extra: Alignment) -> None:
        key = (style(c).alignmentId, id(extra))  # extra: WRAP_TOP or TOP
        if key not in combined:
            combined[key] = alignments.add(alignments[key[0]] + extra)
        c._style.alignmentId = combined[key]

    column_width = _widths_of(ws, chosen)
    for row in rows:
        height = 0.0
        for c in row:
            if not isinstance(c._value, str):  # a number is one line
                continue
            needed = _lines(c, merged, column_width)
            if needed > 1:
                # openpyxl's '+' keeps what the cell sets (its side, an indent) and adds only what it lacks
                align(c, WRAP_TOP)
                height = max(height, line_pt(c.value) * needed)
        if height:
            ws.row_dimensions[row[0].row].height = height
            for c in row:  # the row's short cells beside the wrapped text, on its first line, not its last
                if alignments[style(c).alignmentId].vertical is None:
                    align(c, TOP)


def _set_widths(ws, widths: dict[int, float]) -> None:
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w


def _alone(row: list) -> bool:
    """A row that holds only a text in its first column: a title or a note, which runs on to the right."""
    return len(row) == 1 and row[0].column == 1 and isinstance(row[0].value, str)


def _widths_of(ws, widths: dict[int, float]) -> Callable[[int], float]:
    """A column's width: as in ``widths``, else as the sheet sets it; looked up once a column."""
    known = dict(widths)

    def width(j: int) -> float:
        if j not in known:
            known[j] = _column_width(ws, j)
        return known[j]
    return width


def _lines(c, merged: dict, column_width: Callable[[int], float]) -> int:
    """The lines a text cell wraps to in its column (or the columns it is merged over); a title never wraps."""
    value = c._value
    if not isinstance(value, str) or not value:
        return 1
    need = text_width(value)
    # One line if it fits its own column: the columns it may be merged over are wider still.
    if need <= max(1.0, column_width(c.column) - 2) or c.font.sz == TITLE_FONT.sz:
        return 1
    span = merged.get(c.coordinate) if merged else None
    width = sum(column_width(j) for j in (range(c.column, span.max_col + 1) if span else (c.column,))) - 2
    return math.ceil(need / max(1.0, width))


def _best_wrap(ws, rows: list[list], merged: dict, wrapped_at: Callable[[float], dict[int, float]]) -> int:
    """The width, from HEADER_WIDTH to TEXT_WIDTH characters, to wrap a summary's text at that prints it largest
    on one page: narrower columns print larger across, taller rows smaller down (``_one_page_scale``)."""
    page = _page_rows(ws)  # the same for every width tried

    def scale(most: int) -> float:
        column_width = _widths_of(ws, wrapped_at(most))
        heights = {}  # pt, of the rows whose text wraps, as fit_columns sets them
        for row in rows:
            if tall := max((line_pt(c.value) * n for c in row if (n := _lines(c, merged, column_width)) > 1),
                           default=0.0):
                heights[row[0].row] = tall
        return _one_page_scale(ws, column_width, heights, page)
    return max(range(HEADER_WIDTH, TEXT_WIDTH + 1), key=lambda most: (scale(most), most))


def _one_page_scale(ws, column_width: Callable[[int], float], heights: dict[int, float] | None = None,
                    page: tuple[int, list, list[float]] | None = None) -> float:
    """The scale (at most 1) a sheet prints at on one page, its columns ``column_width`` wide, its rows as high
    as ``heights`` (pt) or as set; a note on a row of its own wider than the columns wrapped over them
    (``_one_page``).  ``page``: the sheet's ``_page_rows``, if known."""
    columns, notes, row_cm = page or _page_rows(ws)
    width = sum(column_width(j) for j in range(1, columns + 1))
    heights = dict(heights or {})
    for note, need in notes:
        if need > width:  # it runs past the columns (``_runs_past``)
            heights[note.row] = line_pt(note.value) * _sentence_lines(note.value, width)
    tall_cm = sum(heights[r] * PT_CM if r in heights else cm for r, cm in enumerate(row_cm, start=1))
    return min(1.0, PAGE_WIDTH_CM / (width * COLUMN_CM), PAGE_HEIGHT_CM / tall_cm)


def _page_rows(ws) -> tuple[int, list, list[float]]:
    """What ``_one_page_scale`` reads of a sheet, whatever its columns' widths: how many columns it has; each
    note that runs past them where it is wider than they are (``_runs_past``), with the characters it needs;
    and each row's height in cm as set (``_row_cm``)."""
    columns = ws.max_column
    notes = [(row[0], text_width(row[0].value)) for row in _filled_rows(ws) if _alone(row) and _may_run_past(ws, row[0])]
    return columns, notes, [_row_cm(ws, r) for r in range(1, ws.max_row + 1)]


# A4 landscape with the default margins (0.75 in at the sides, 1 in at top and bottom): 25.9 cm by 15.9 cm of
# printable paper, a little kept spare.
PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 25.0, 15.5
# One character of column width, as LibreOffice prints it (0.19 cm in Excel; LibreOffice's substitute fonts
# are wider: a sheet of charts scaled by 0.19 printed its right-hand charts cut across two pages); one row
# of the default height.
COLUMN_CM, ROW_CM = 0.25, 0.53
PRINT_WIDTH = 170  # characters of columns printed on one page width, still readable
PAGE_ROWS = 60  # rows of a summary sheet printed on one page, still readable
LABEL_SHARE = 0.4  # of a page's width the columns repeated on each page of a wide table may take


def make_printable(wb: Workbook) -> None:
    """Every sheet readable on A4 landscape: columns fitted (``fit_columns``); a table's header row repeated on
    every page and printed no smaller than about 70%; a table wider than that across more pages, the
    columns that say what a row is (``label_columns``) repeated on each, the pages of its rows one after the other;
    a summary on one page (``_one_page``);
    a sheet of charts (and any table above them) scaled to the page's width, a page break before any chart
    that would cross one, so each prints whole; the print area the cells and charts used."""
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        charts = list(ws._charts)
        header = ws.cell(1, 1).fill == HEADER_FILL
        summary = not charts and not header and ws.max_row <= PAGE_ROWS
        if ws.max_row > 1 or ws.max_column > 1:
            fit_columns(ws, one_page=summary, within=PRINT_WIDTH if charts else None)
        if charts:
            _fit_legends(wb, charts)
            _charts_whole(ws, charts)
            continue
        width = sum(_column_width(ws, j) for j in range(1, ws.max_column + 1))
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = max(1, math.ceil(width / PRINT_WIDTH)), 0
        if summary:
            _one_page(ws)
        if header:
            ws.print_title_rows = "1:1"
        if ws.page_setup.fitToWidth > 1:
            ws.print_title_cols = f"A:{get_column_letter(label_columns(ws))}"
            # The pages of a row follow each other: down first, the default, printed the Story sheet's right-hand
            # columns of its first rows 175 pages after their left-hand ones.
            ws.page_setup.pageOrder = "overThenDown"
        if ws.sheet_state != "hidden":  # LibreOffice prints a hidden sheet that has a print area
            ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"


def _one_page(ws) -> None:
    """A summary one page wide: a note on a row of its own that runs past the last column wrapped over them all
    (the print area cut it); on one page where that prints it no smaller than a table of PRINT_WIDTH, else on as
    many as its rows need (the brief's answers, squeezed onto one page, printed at a third of their size)."""
    column_width = _widths_of(ws, {})
    width = sum(column_width(j) for j in range(1, ws.max_column + 1))
    for row in _filled_rows(ws):
        if _alone(row) and _runs_past(ws, row[0], width):
            ws.merge_cells(start_row=row[0].row, start_column=1, end_row=row[0].row, end_column=ws.max_column)
            _wrapped(ws, row[0], width)
    readable = PAGE_WIDTH_CM / (PRINT_WIDTH * COLUMN_CM)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, int(_one_page_scale(ws, column_width) >= readable)


def _runs_past(ws, note, width: float) -> bool:
    """A note alone on its row (``_alone``), neither a title nor wrapped, wider than the sheet's columns
    (``width`` characters), which the print area cuts."""
    return _may_run_past(ws, note) and text_width(note.value) > width


def _may_run_past(ws, note) -> bool:
    """A note alone on its row, neither a title nor wrapped, on a sheet of more than one column: it runs past
    them where it is wider (``_runs_past``)."""
    return ws.max_column > 1 and note.font.sz != TITLE_FONT.sz and not note.alignment.wrap_text


def _column_width(ws, j: int) -> float:
    return ws.column_dimensions[get_column_letter(j)].width or 8.43


def label_columns(ws) -> int:
    """How many columns at the left of a table say what its rows are: text or years (the Policy sheet's
    year and mineral, the chart data's year), up to LABEL_SHARE of a page's width; at least the first."""
    n, used = 0, 0.0
    for j in range(1, ws.max_column + 1):
        used += _column_width(ws, j)
        values = [v for (v,) in ws.iter_rows(min_row=2, max_row=min(ws.max_row, PAGE_ROWS), min_col=j, max_col=j,
                                             values_only=True) if v is not None]
        if used > LABEL_SHARE * PRINT_WIDTH or not values or not all(
                isinstance(v, str) or type(v) is int and 1900 <= v <= 2200 for v in values):
            break
        n = j
    return max(1, n)


def _anchor(chart) -> tuple[int, int]:
    """(column, row) of a chart's top-left cell, from its anchor ('H19')."""
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    letters, row = coordinate_from_string(chart.anchor)
    return column_index_from_string(letters), row


def _charts_whole(ws, charts) -> None:
    """Scale a sheet of charts to one page's width, every column it prints counted, not only the charts'
    (the brief's Costs table, wider than the chart below it, printed the chart's right side on a page of
    its own), where that stays as readable as a table (PRINT_WIDTH); a table wider than that prints across
    pages and the charts whole on the first (no columns repeated: LibreOffice repeats the part of a chart
    that lies in them too).  The tallest chart fits a page's height; pages break between charts, never
    through one, by the rows' own heights (a table's wrapped rows above a chart are taller).  The scale is
    set rather than fit to the page, so that the breaks fall where they were placed for it."""
    def col_cm(j: int) -> float:
        return sum(_column_width(ws, k) * COLUMN_CM for k in range(1, j))

    right = max(col_cm(_anchor(ch)[0]) + ch.width for ch in charts)
    reach = 1  # the column the rightmost chart ends in, by the sheet's own widths (not the default's)
    while col_cm(reach + 1) < right:
        reach += 1
    last = max(ws.max_column, reach)
    every_column = 100 * PAGE_WIDTH_CM / col_cm(last + 1)
    readable = 100 * PAGE_WIDTH_CM / (PRINT_WIDTH * COLUMN_CM)
    # A chart taller than a page (the hedged report's fifteen costliest disruptions, two bars each: 21 cm)
    # printed cut across two pages at the width's scale.  A page holds it in whole rows, with the empty row
    # above it: the rows of the tallest chart fit a page, or LibreOffice printed their last on a page of its
    # own.
    scale = int(min(100, max(every_column, min(readable, 100 * PAGE_WIDTH_CM / col_cm(reach + 1))),
                    100 * PAGE_HEIGHT_CM / (max(ch.height for ch in charts) + 2 * ROW_CM)))
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = scale
    tops = [0.0, 0.0]  # tops[r]: the top of row r in cm
    spans = []
    for ch in sorted(charts, key=lambda c: _anchor(c)[1]):
        first = _anchor(ch)[1]
        while len(tops) <= first:
            tops.append(tops[-1] + _row_cm(ws, len(tops) - 1))
        spans.append((first, tops[first] + ch.height))
    page_cm = PAGE_HEIGHT_CM * 100 / scale
    top, filled = 1, 0.0  # the page's first row, and where its charts end (cm)
    for first, bottom_cm in spans:
        if bottom_cm - tops[top] > page_cm and first > top:
            # The page ends an empty row before the chart (LibreOffice draws a chart's top edge that lies on a
            # break at the foot of the page before), or sooner where the empty rows under its charts run past
            # the page: LibreOffice printed those on a page of their own (the Korean plan's blank page 3).
            end = first - 1
            while end > top and tops[end] >= filled and (end == first - 1 or tops[end + 1] - tops[top] > page_cm):
                end -= 1
            ws.row_breaks.append(Break(id=end))
            top = end + 1
        filled = max(filled, bottom_cm)
    bottom = max(first + int((bottom_cm - tops[first]) / ROW_CM) for first, bottom_cm in spans)  # its last row
    ws.print_area = f"A1:{get_column_letter(last)}{max(bottom, ws.max_row)}"


def _row_cm(ws, r: int) -> float:
    """A row's printed height: as set, or the default's."""
    dim = ws.row_dimensions.get(r)
    return dim.height * PT_CM if dim is not None and dim.height else ROW_CM


# Chart geometry (cm) that LibreOffice and Excel both draw with a plot area: the title gets a line of its
# own for each line it wraps to, the legend its own rows below the plot, sized for its entries, instead of
# either eating the plot area.
LEGEND_ROW_CM, LEGEND_ENTRY_CM, AXIS_CM, PLOT_CM = 0.55, 3.6, 1.3, 5.5
TITLE_PT, LEGEND_PT = 12, 10  # the title's size is set; the legend's is LibreOffice's default (Excel's is 9)
TITLE_LINE_CM, TITLE_PAD_CM = 0.55, 0.8  # a title line (12 pt and leading), and the room above and below it
TITLE_SHARE = 0.75  # of the chart's width a title line may take (LibreOffice wraps a title at 4/5 of it)
PT_CM = 2.54 / 72


def _title_text(ch) -> str:
    """A chart's title as one text (the runs of its paragraphs), '' if it has none."""
    rich = ch.title.tx.rich if ch.title is not None and ch.title.tx is not None else None
    if rich is None:
        return ""
    return " ".join(" ".join(r.t for r in (p.r or []) if r.t) for p in rich.paragraphs).strip()


def title_lines(text: str, width_cm: float) -> list[str]:
    """A chart title broken at words into lines that each fit TITLE_SHARE of the chart's width in bold at
    TITLE_PT (measured with the HTML charts' text widths, in points): no viewer wraps such a line again, so
    the title takes the lines the chart leaves room for."""
    return wrap(text, TITLE_SHARE * width_cm / PT_CM, TITLE_PT, bold=True)


def _set_title(ch, width_cm: float) -> float:
    """The title in lines of its own, bold at TITLE_PT; the height (cm) it takes above the plot."""
    lines = title_lines(_title_text(ch), width_cm)
    if not lines:
        return TITLE_PAD_CM
    ch.title = "\n".join(lines)  # a paragraph a line
    for paragraph in ch.title.tx.rich.paragraphs:
        paragraph.pPr = ParagraphProperties(defRPr=CharacterProperties(sz=TITLE_PT * 100, b=True))
    return TITLE_PAD_CM + TITLE_LINE_CM * len(lines)


# LibreOffice sets a legend's columns edge to edge, a name running into the next entry's swatch (the Korean
# plan's legends read as one word): each name ends in this much room, two em spaces (drawn as nothing).
LEGEND_GAP = "\u2003\u2003"


def legend_rows(names: list[str], width_cm: float) -> int:
    """Rows a bottom legend of ``names`` needs in a chart ``width_cm`` wide: LibreOffice sets its entries in
    columns as wide as the widest (a swatch and the name with its ``LEGEND_GAP``) and leaves out the entries
    its box has no room for (the plan's China-share chart lost its cap)."""
    if len(names) < 2:
        return 0
    widest = max(LEGEND_ENTRY_CM, 1.0 + max(text_px(n.rstrip() + LEGEND_GAP, LEGEND_PT) for n in names) * PT_CM)
    return math.ceil(len(names) / max(1, int((width_cm - 1) // widest)))


def _legend_cm(names: list[str], width_cm: float) -> float:
    return legend_rows(names, width_cm) * LEGEND_ROW_CM + 0.3 if len(names) > 1 else 0.0


def _place(ch, title_cm: float, plot_cm: float, legend_cm: float) -> None:
    """The chart as high as its title, plot, axis labels and legend; the plot area and the legend placed
    by hand at their heights (a plot's left and width as set, if a report set them)."""
    height = title_cm + plot_cm + AXIS_CM + legend_cm
    ch.height = height
    given = ch.layout.manualLayout if ch.layout is not None and ch.layout.manualLayout is not None else None
    left = given.x if given is not None else min(0.3, 2.0 / ch.width)
    # The inner plot (without tick labels) is placed, so the axis labels keep AXIS_CM below it
    # (openpyxl writes the chart's layout as the plot area's).
    ch.layout = Layout(ManualLayout(layoutTarget="inner", xMode="edge", yMode="edge", x=left,
                                    y=title_cm / height, w=given.w if given is not None else 0.97 - left,
                                    h=plot_cm / height))
    if ch.legend is not None and legend_cm:
        ch.legend.position = "b"
        ch.legend.layout = Layout(ManualLayout(xMode="edge", yMode="edge", x=0.02, w=0.96,
                                               y=1 - legend_cm / height, h=legend_cm / height))


def _geometry(ch) -> tuple[float, float, float]:
    """(title, plot, legend) heights in cm of a chart ``_place`` laid out."""
    plot = ch.layout.manualLayout
    legend = ch.legend.layout.manualLayout if ch.legend is not None and ch.legend.layout is not None else None
    return plot.y * ch.height, plot.h * ch.height, legend.h * ch.height if legend is not None else 0.0


def _name(series, wb: Workbook | None = None) -> str | None:
    """A series' name: literal, or read from its cell in ``wb``; None if it has none, or its cell is outside
    ``wb`` or no workbook is given."""
    tx = series.tx
    if tx is None:
        return None
    if tx.v is not None:
        return str(tx.v)
    if tx.strRef is not None and wb is not None:
        sheet, _, cell = tx.strRef.f.rpartition("!")
        sheet = sheet.strip("'").replace("''", "'")
        if sheet in wb.sheetnames:
            value = wb[sheet][cell.replace("$", "")].value
            return None if value is None else str(value)
    return None


def _names(ch, wb: Workbook | None = None) -> list[str]:
    """The series' names (``_name``), a name not known reading as a placeholder of an average name's width."""
    return [name if name is not None else "x" * 12 for name in (_name(s, wb) for s in ch.series)]


def marked(series, color: str, size: int = 6):
    """``series`` with a circle at each point, filled and outlined in ``color`` ('#RRGGBB'): explicit, as
    LibreOffice draws no marker or colour a chart style only implies."""
    series.marker = Marker(symbol="circle", size=size)
    series.marker.graphicalProperties = GraphicalProperties(solidFill=color.lstrip("#"))
    series.marker.graphicalProperties.line.solidFill = color.lstrip("#")
    return series


def finish_chart(ch, width_cm: float, plot_cm: float = PLOT_CM, categories: list[str] | None = None):
    """Give a native chart what every viewer draws the same way: lines not smoothed (LibreOffice curves a
    line whose XML says nothing), a title in lines that fit and the room they need, a plot area placed by
    hand, and a bottom legend with the rows its names need (the chart grows to hold them;
    ``make_printable`` sizes it again from names the chart reads from cells).  A chart of horizontal bars
    (``ranked_bars``) given its ``categories``' names has room for them on the left and a band for each
    (``category_room``): the plot grows past ``plot_cm`` to hold them."""
    if isinstance(ch, LineChart):
        ch.smooth = False
        for series in ch.series:
            series.smooth = False
    ch.width = width_cm
    if len(ch.series) < 2:
        ch.legend = None  # one series: the title says what it is
    if categories:
        left_cm, band_cm = category_room(categories, width_cm, len(ch.series))
        plot_cm = max(plot_cm, band_cm * len(categories))
        ch.layout = Layout(ManualLayout(x=left_cm / width_cm, w=0.97 - left_cm / width_cm))  # kept by _place
    _place(ch, _set_title(ch, width_cm), plot_cm, _legend_cm(_names(ch), width_cm))
    return ch


# A horizontal bar chart's names: at most this share of its width, the lines LibreOffice wraps them in (10 pt
# and leading), the room between a name and its plot, and between two names' bands.
NAMES_SHARE, NAME_LINE_CM, NAME_PAD_CM, BAND_GAP_CM, BAR_CM = 0.45, 0.45, 0.5, 0.25, 0.35


def ranked_bars(bar: BarChart) -> BarChart:
    """A bar chart that reads as a ranked list: horizontal bars, its first category on top (as in its table),
    the value axis still at the bottom, and every category named (LibreOffice leaves out every other name
    when they would touch); ``finish_chart`` with the categories gives the names their room."""
    bar.type = "bar"
    bar.x_axis.scaling.orientation = "maxMin"
    bar.y_axis.crosses = "max"
    bar.x_axis.tickLblSkip = 1
    return bar


def category_room(names: list[str], width_cm: float, series: int = 1) -> tuple[float, float]:
    """(left, band) in cm of a horizontal bar chart ``width_cm`` wide: the room on the plot's left for the
    category ``names``, at most NAMES_SHARE of the chart, and each category's height, as high as its
    longest name wraps in that room and as its ``series`` bars (the 15 costliest disruptions' names, in
    0.6 cm each, lost every other name and wrapped the rest over their neighbours)."""
    text_cm = min(NAMES_SHARE * width_cm - NAME_PAD_CM, max(text_px(n, LEGEND_PT) for n in names) * PT_CM)
    lines = max(len(wrap(n, text_cm / PT_CM, LEGEND_PT)) for n in names)
    return text_cm + NAME_PAD_CM, max(lines * NAME_LINE_CM, series * BAR_CM) + BAND_GAP_CM


def _fit_legends(wb: Workbook, charts) -> None:
    """Each legend's names, read from the workbook, set apart by ``LEGEND_GAP`` (the series are named by
    those texts, no longer by their cells) and the legend as high as they need: the chart grows (its plot as
    the report set it, like its neighbours') and the charts below it move down."""
    for ch in sorted(charts, key=lambda c: _anchor(c)[1]):
        if ch.legend is None or ch.layout is None or ch.layout.manualLayout is None:
            continue
        for series in ch.series:
            name = _name(series, wb)
            if name is not None:
                series.tx = SeriesLabel(v=name.rstrip() + LEGEND_GAP)
        names = _names(ch, wb)
        title_cm, plot_cm, legend_cm = _geometry(ch)
        more = _legend_cm(names, ch.width) - legend_cm
        if more <= 1e-6:
            continue
        row = _anchor(ch)[1]
        rows = chart_rows(ch)  # as the report placed the next chart
        _place(ch, title_cm, plot_cm, legend_cm + more)
        shift = chart_rows(ch) - rows
        for other in charts:
            c, r = _anchor(other)
            if other is not ch and r > row:
                other.anchor = f"{get_column_letter(c)}{r + shift}"


def chart_rows(ch) -> int:
    """Worksheet rows (ROW_CM each at the default height) a finished chart covers, to place the next.  Counted
    at 0.5 cm, five charts of 14.75 cm a page apart on the sensitivity Charts sheet drifted 0.8 cm further down
    each page, until the third's legend printed on a page of its own, and the fourth's and fifth's."""
    return math.ceil(ch.height / ROW_CM) + 1


def write_definitions(wb: Workbook, lang: str = EN) -> None:
    """The Definitions sheet: every supply-risk indicator, by its Indicators sheet header in ``lang`` (the id
    in English, the catalogue's name in Korean), with its formula and source."""
    write_table(wb.create_sheet(sheet_name("Definitions", lang)),
                [Col("indicator", "", key="indicator_name"), Col("unit", "", key="indicator_unit"), Col("definition", ""),
                 Col("source", "")],
                [[INDICATOR_COL[name].head(lang), L.unit_word(unit, lang), label(f"indicator.{name}.def", lang),
                  label(f"indicator.{name}.source", lang)]
                 for name, unit, _definition, _source in DEFINITIONS], lang=lang)


# Each supply-risk indicator's column of the Indicators sheet, by its id: the Definitions name it by its header.
INDICATOR_COL = {name: Col(name, RISK if unit != "share" else PCT, key=f"indicator_{name}")
                 for name, unit, _d, _s in DEFINITIONS}
INDICATOR_COLS = [
    Col("year", INT), Col("mineral", ""), Col("stage", ""), *INDICATOR_COL.values(),
    Col("geopolrisk_world_hhi", RISK), Col("purchases_t", "#,##0.0"), Col("imported_t", "#,##0.0"),
    Col("recycled_t", "#,##0.0"),
]


def indicator_rows(d: PlanningData, plan: Plan, ev: Evaluation, lang: str = EN) -> list[list]:
    risks = stage_risk(d, plan, ev)
    rows = []
    for m in d.minerals:
        for y in d.years:
            for g in STAGES:
                r = risks[m, y, g]
                rows.append([y, m, label(f"word.{g}", lang), r.hhi, r.hhi_wgi, r.import_reliance, r.eol_rir,
                             r.world_hhi_wgi, r.sr, r.geopolrisk, r.world_hhi, r.purchases_t, r.imported_t,
                             r.recycled_t])
    return rows


PARTNER_COLS = [
    Col("year", INT), Col("mineral", ""), Col("country", ""), Col("name", "", key="country_name"),
    Col("mined_t", T), Col("refined_t", T), Col("political_risk", RISK), Col("alignment", RISK),
    Col("risk_score", RISK), Col("msp_member", ""), Col("fta_with_korea", ""), Col("security_treaty", ""),
    Col("unga_agreement_share", PCT), Col("export_restrictions", ""),
]


def partner_rows(d: PlanningData, plan: Plan, lang: str = EN) -> list[list]:
    rows = []
    for (m, c, y), (mined, refined) in sorted(partner_tonnes(d, plan).items(), key=lambda kv: (kv[0][2], kv[0][0],
                                                                                             kv[0][1])):
        k = d.countries[c]
        rows.append([y, m, c, L.country_name(d, c, lang), mined, refined, k.political_risk, d.alignment(c),
                     d.country_risk(c), yes(k.msp_member, lang), yes(k.fta_with_korea, lang),
                     yes(k.security_treaty, lang), k.unga_agreement_share, yes(k.export_restrictions, lang)])
    return rows


def yes(x, lang: str = EN) -> str:
    return label("word.yes" if x else "word.no", lang)


def significance(x, lang: str = EN) -> str:
    """A significance column's cell: yes or no in English; in Korean 유의함 or 유의하지 않음, the words the
    other reports say it in (아니오 under a header 유의함 read as a second word for it)."""
    return label("sig.cell.yes" if x else "sig.cell.no", lang)


def _supply_sheet(ws, d: PlanningData, plan: Plan, lang: str) -> None:
    cols = [Col("year", INT), Col("mineral", ""), Col("supplier", ""), Col("origin_country", ""),
            Col("processing_country", ""), Col("tonnes", T), Col("price_usd_per_t", USD),
            Col("cost_usd", USD, key="purchase_cost_usd"), Col("contracted", ""), Col("source_id", "")]
    rows = []
    for (s_id, y), t in sorted(plan.buy_t.items(), key=lambda kv: (kv[0][1], d.suppliers[kv[0][0]].mineral_id,
                                                                   kv[0][0])):
        on = plan.contracted.get((s_id, y), 0)
        if t < PURCHASE_MIN_T and not on:
            continue
        s = d.suppliers[s_id]
        price = d.price_usd_per_t(s, y)
        rows.append([y, s.mineral_id, s_id, s.origin_country, s.processing_country, t, price, t * price,
                     yes(on, lang), s.source_id])
    write_table(ws, cols, rows, lang=lang)


def _shadow(name: str, column: str) -> Col:
    """The shadow-price column of the limit ``name`` (Policy column ``column``)."""
    return Col(f"{name}_usd_per_point", USD, key="usd_per_point", values=(("limit", f"@limit.{column}"),))


POLICY_COLS = [
    Col("year", INT), Col("mineral", ""),
    Col("china_share", PCT), Col("china_share_mining", PCT), Col("china_share_refining", PCT),
    Col("china_share_value", PCT), Col("china_cap", PCT), _shadow("china_cap", "china_cap_share"),
    Col("top_country", ""), Col("top_country_share", PCT), Col("single_country_cap", PCT),
    _shadow("single_country_cap", "single_country_cap_share"),
    Col("top_mining_country", ""), Col("top_mining_country_share", PCT), Col("mining_country_cap", PCT),
    _shadow("mining_country_cap", "mining_country_cap_share"),
    Col("top_refining_country", ""), Col("top_refining_country_share", PCT), Col("refining_country_cap", PCT),
    _shadow("refining_country_cap", "refining_country_cap_share"),
    Col("avg_risk", RISK), Col("risk_cap", RISK), _shadow("risk_cap", "risk_cap"),
    Col("recycling_share", PCT), Col("recycling_min", PCT), _shadow("recycling_min", "recycling_min_share"),
    Col("stockpile_days", DAYS), Col("stockpile_min", DAYS), _shadow("stockpile_min", "stockpile_min_days"),
    Col("ira_share", PCT), Col("ira_min", PCT), _shadow("ira_min", "ira_min_share"),
    Col("demand_t", T), Col("supply_t", T), Col("unmet_t", T), Col("not_applicable", ""), Col("reliance_basis", ""),
]


def not_applicable(d: PlanningData, m: str, lang: str = EN) -> str:
    """The Policy limits that cannot bind mineral ``m`` (``PlanningData.limit_applies``), in words."""
    return label("word.sep", lang).join(
        label("plan.not_applicable", lang, limit=L.limit_name(column, lang), whom=label(f"applies.{column}", lang))
        for column in LIMIT_APPLIES_ONLY_TO if not d.limit_applies(column, m))


def policy_rows(d: PlanningData, plan: Plan, ev: Evaluation, lang: str = EN) -> list[list]:
    rows = []
    sp = plan.shadow_usd_per_point
    for m in d.minerals:
        for y in d.years:
            mi = ev.indicators[m, y]
            lim = {c: d.limit(c, m, y) for c in S.POLICY_LIMITS}

            def price(family, column):
                # Blank when the limit is not applied, or when the pricing LP gave no duals.
                return L.price_shown(sp.get((family, m, y), 0.0)) if lim[column] is not None and sp else None

            rows.append([
                y, m, mi.china_share, mi.china_share_mining, mi.china_share_refining,
                mi.china_share_value, lim["china_cap_share"], price("china_cap", "china_cap_share"),
                *mi.top(), lim["single_country_cap_share"], price("single_country_cap", "single_country_cap_share"),
                *mi.top(MINING), lim["mining_country_cap_share"], price("mining_country_cap", "mining_country_cap_share"),
                *mi.top(REFINING), lim["refining_country_cap_share"],
                price("refining_country_cap", "refining_country_cap_share"),
                mi.avg_risk, lim["risk_cap"], price("risk_cap", "risk_cap"),
                mi.recycling_share, lim["recycling_min_share"], price("recycling_share", "recycling_min_share"),
                mi.stockpile_days, lim["stockpile_min_days"], price("stockpile_cover", "stockpile_min_days"),
                mi.ira_share if d.minerals[m].battery_mineral else None, lim["ira_min_share"],
                price("ira_share", "ira_min_share"), mi.demand_t, mi.supply_t, mi.unmet_t,
                not_applicable(d, m, lang), mi.basis,
            ])
    return rows


def recycling_rows(d: PlanningData, plan: Plan, ev: Evaluation, lang: str = EN) -> list[list]:
    """Per year and recycling option: the plant that runs it, by id and by name, modules built and online,
    capacity, units processed, tonnes recycled and available, and the year's capital and operating cost (a
    plant's on its first output's row)."""
    names = {k: L.plant_name(d, k, lang, with_id=False) for k in d.module_owners}
    rows, shown = [], set()
    for y in d.years:
        for r in d.recycling.values():
            k = d.owner_of(r)
            owner = d.module_owners[k]
            online = ev.modules_online[k, y]
            out = plan.recycled_t.get((r.option_id, y), 0.0)
            first = (k, y) not in shown
            shown.add((k, y))
            if r.plant_id is None:
                processed, available = None, d.feedstock_t.get((r.mineral_id, y), 0.0) * r.recovery_yield
                opex = out * r.operating_cost_usd_per_t
            else:
                processed = plan.processed_units.get((k, y), 0.0)
                stream = d.streams[d.recycling_plants[k].stream_id]
                available = stream.available_units(y) * d.output_per_unit_t(r)
                opex = processed * owner.operating_cost_usd_per_t if first else None
            capital = (online - owner.existing_modules) * owner.capital_cost_usd_per_module \
                * d.settings.annuity_factor(owner.life_yr) if first else None
            rows.append([y, r.option_id, k, names[k], r.mineral_id, plan.build_modules.get((k, y), 0), online,
                         online * owner.module_capacity_t_per_yr, processed, out, available, capital, opex])
    return rows


RECYCLING_COLS = [Col("year", INT), Col("option_id", ""), Col("plant", ""), Col("plant_name", ""), Col("mineral", ""),
                  Col("modules_built", INT), Col("modules_online", INT), Col("capacity", T), Col("processed", T),
                  Col("recycled_t", T), Col("available_t", T), Col("capital_usd", USD, key="recycling_capital_usd"),
                  Col("operating_usd", USD, key="recycling_operating_usd")]


def _refining_sheet(ws, d: PlanningData, plan: Plan, ev: Evaluation, lang: str) -> None:
    cols = [Col("year", INT), Col("refinery_id", ""), Col("mineral", ""), Col("modules_built", INT),
            Col("modules_online", INT), Col("capacity_t", T), Col("fed_t", T),
            Col("capital_usd", USD, key="refining_capital_usd"), Col("operating_usd", USD, key="refining_operating_usd")]
    rows = []
    for y in d.years:
        for k, ref in d.refineries.items():
            online = ev.modules_online[k, y]
            fed = sum(t for (s, yy), t in plan.buy_t.items() if yy == y and d.suppliers[s].refinery_id == k)
            rows.append([y, k, ref.mineral_id, plan.build_modules.get((k, y), 0), online,
                         online * ref.module_capacity_t_per_yr, fed,
                         (online - ref.existing_modules) * ref.capital_cost_usd_per_module
                         * d.settings.annuity_factor(ref.life_yr), fed * ref.operating_cost_usd_per_t])
    write_table(ws, cols, rows, lang=lang)


STOCKPILE_COLS = [Col("year", INT), Col("mineral", ""), Col("stock_t", T), Col("stock_china_t", T),
                  Col("added_t", T), Col("released_t", T), Col("released_china_t", T),
                  Col("agreement_volume_t", T), Col("cover_t", T), Col("demand_t", T), Col("stockpile_days", DAYS),
                  Col("stock_days", DAYS), Col("stock_days_iea", DAYS), Col("stockpile_min", DAYS)]
POOL_COLS = ("stock_china_t", "released_china_t")


def stockpile_table(d: PlanningData, ev: Evaluation) -> tuple[list[Col], list[list]]:
    """The Stockpile sheet's columns and rows.  The China pool's columns only on the consumption basis: on
    the imports basis a stocked tonne's pool counts toward no cap and costs nothing, so no plan decides
    it, and the split HiGHS happened to return (1,150 t or 4,937 t of lithium in 2026 for the same
    plan) would read as a decision."""
    rows = []
    for y in d.years:
        for m in d.minerals:
            mi = ev.indicators[m, y]
            rows.append([y, m, mi.stock_total_t, mi.stock_t[CHINA_POOL], sum(mi.added_t.values()),
                         sum(mi.released_t.values()), mi.released_t[CHINA_POOL], mi.agreement_volume_t, mi.cover_t,
                         mi.demand_t, mi.stockpile_days, mi.stock_days, mi.stock_days_iea,
                         d.limit("stockpile_min_days", m, y)])
    if d.settings.reliance_basis == BASIS_CONSUMPTION:
        return STOCKPILE_COLS, rows
    kept = [j for j, c in enumerate(STOCKPILE_COLS) if c.name not in POOL_COLS]
    return [STOCKPILE_COLS[j] for j in kept], [[r[j] for j in kept] for r in rows]


def _agreements_sheet(ws, d: PlanningData, plan: Plan, lang: str) -> None:
    cols = [Col("year", INT), Col("agreement_id", ""), Col("kind", "", key="agreement_kind"),
            Col("partner_countries", ""), Col("mineral", ""), Col("joined", ""), Col("line_t", T),
            Col("emergency_volume_t", T), Col("fee_usd", USD), Col("status", "", key="agreement_status")]
    rows = []
    for y in d.years:
        for a in d.agreements.values():
            j = plan.join.get((a.agreement_id, y), 0)
            line = plan.line_t.get((a.agreement_id, y), 0.0)
            rows.append([y, a.agreement_id, label(f"agreement.{a.kind}", lang), ";".join(a.partner_countries),
                         a.mineral_id, yes(j, lang), line, a.emergency_volume_t,
                         a.fee_usd_per_yr * j + a.fee_usd_per_t_yr * line,
                         label("agreement.signed" if a.signed else "agreement.hypothetical", lang)])
    write_table(ws, cols, rows, lang=lang)


def _bold(ws, row: int, column: int, value, right: bool = False):
    c = put(ws, row, column, value)
    c.font = Font(bold=True)
    if right:
        c.alignment = Alignment(horizontal="right", wrap_text=True)
    return c


def year_rows(d: PlanningData, plan: Plan, ev: Evaluation) -> list[list]:
    """Per year over all minerals: demand, supply, the China share (tonne-weighted), recycling share and stock
    days (demand-weighted), unmet tonnes and the mineral-year limits with a positive shadow price: blank for a
    plan without shadow prices (a hedged plan's are not computed), as its Policy sheet's prices are, not 0."""
    rows = []
    for y in d.years:
        mys = [ev.indicators[m, y] for m in d.minerals]
        binding = sum(1 for (_f, _m, yy), v in plan.shadow_usd_per_point.items()
                      if yy == y and v > 0) if plan.shadow_usd_per_point else None
        rows.append([y, sum(mi.demand_t for mi in mys), sum(mi.supply_t for mi in mys),
                     *(over_minerals(ev, d.minerals, y, k) for k in ("china_share", "recycling_share",
                                                                     "stockpile_days")),
                     sum(mi.unmet_t for mi in mys), binding])
    return rows


def _summary_sheet(ws, d: PlanningData, plan: Plan, ev: Evaluation, source: str, lang: str,
                   hedged: bool = False) -> None:
    """What a reader asks first, in words over their values: the cost and how sure it is, its parts in USD M,
    and the totals year by year.  A hedged plan's bound is on its hedged objective, which is then shown beside
    the cost (the cost alone sat below a bound above it)."""
    st, s = plan.stats, d.settings
    put(ws, 1, 1, label("plan.title_hedged" if hedged else "plan.title", lang, workbook=source)).font = TITLE_FONT
    put(ws, 2, 1, label("plan.subtitle", lang, workbook=source, first=s.first_year, last=s.last_year,
                        currency=s.currency, price_year=s.price_year))
    facts = [("plan.fact.status", L.status(st.status, lang), ""),
             ("plan.fact.cost", ev.total_usd / 1e6, USD_M),
             *((("plan.fact.objective_hedged", None if st.objective_usd is None else st.objective_usd / 1e6, USD_M),)
               if hedged else ()),
             ("plan.fact.bound_hedged" if hedged else "plan.fact.bound",
              None if st.bound_usd is None else st.bound_usd / 1e6, USD_M),
             ("plan.fact.gap", st.gap, GAP), ("plan.fact.solve", st.wall_s, "0.00"),
             ("plan.fact.verified", label("plan.verified", lang), "")]
    _bold(ws, 4, 1, label("col.figure", lang))
    _bold(ws, 4, 2, label("col.value", lang), right=True)
    for r, (key, value, fmt) in enumerate(facts, start=5):
        put(ws, r, 1, unit_whole(label(key, lang)))  # printed, 'Total cost, present value (USD' over 'M)'
        c = put(ws, r, 2, value)
        c.number_format = fmt or "General"
        c.alignment = Alignment(horizontal="right")
    r = 5 + len(facts) + 1
    for j, (key, right) in enumerate((("col.part", False), ("col.usd_m_pv", True), ("word.share", True),
                                      ("col.what", False)), start=1):
        _bold(ws, r, j, label(key, lang), right)
    ws.cell(r, 4).alignment = APART  # the notes stand apart from the shares before them ('0.005%가입한')
    ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=8)
    total = ev.total_usd or 1.0
    for part, usd in ev.costs_usd.items():
        r += 1
        put(ws, r, 1, L.cost_part(part, lang))
        put(ws, r, 2, usd / 1e6).number_format = USD_M
        put(ws, r, 3, usd / total).number_format = pct_format(nonzero_decimals(usd / total, "percent"))
        put(ws, r, 4, L.cost_note(part, lang)).alignment = APART
        ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=8)  # the note runs over the year table's
    r += 2
    heads = ["word.year", "col.demand_t", "col.supply_t", "measure.china_share", "measure.recycling_share",
             "measure.stockpile_days", "col.unmet", "col.binding_count"]
    fmts = [INT, T, T, PCT, PCT, DAYS, T, INT]
    for j, h in enumerate(heads, start=1):
        _bold(ws, r, j, unit_whole(label(h, lang)), right=True)  # 'binding limits (mineral-' over 'years)'
    for row in year_rows(d, plan, ev):
        r += 1
        for j, (v, f) in enumerate(zip(row, fmts), start=1):
            put(ws, r, j, v).number_format = f
    put(ws, r + 2, 1, label("plan.summary.note", lang, basis=label(f"basis_word.{s.reliance_basis}", lang))
        + ("" if plan.shadow_usd_per_point else " " + label("plan.summary.no_prices", lang)))
    put(ws, r + 3, 1, L.estimates_note(d, lang) or None)


def _line(data, title: str, first_col: int, last_col: int, top: int, n: int, y_format: str = "0%",
          dashed: tuple[int, ...] = (), colors: tuple[str, ...] = (), share: bool = True,
          along: tuple[int, int] | None = None) -> LineChart:
    """A line chart of ChartData columns ``first_col``..``last_col`` (headers in row ``top``, years in column 1),
    series ``dashed`` (indexes) drawn as dashed red limits.  ``along`` (below, above): two series that run
    along each other (the China share and its refining share, nearly the same), the later drawn over the
    earlier: the one below is marked at each year and the one above dotted, so that both show."""
    ch = LineChart()
    ch.title = title
    ch.y_axis.number_format = y_format
    if share:
        ch.y_axis.scaling.min, ch.y_axis.scaling.max = 0, 1
    ch.add_data(Reference(data, min_col=first_col, max_col=last_col, min_row=top, max_row=top + n),
                titles_from_data=True)
    ch.set_categories(Reference(data, min_col=1, min_row=top + 1, max_row=top + n))
    for i, colour in enumerate(colors):
        ch.series[i].graphicalProperties.line.solidFill = colour.lstrip("#")
    for i in dashed:
        line = ch.series[i].graphicalProperties.line
        line.dashStyle, line.solidFill, line.width = "dash", "C00000", 28575
    if along is not None:
        below, above = (ch.series[i] for i in along)
        marked(below, colors[along[0]])
        above.graphicalProperties.line.dashStyle = "sysDot"
    return ch


def _stacked_by_year(data, title: str, top: int, n: int, columns: int) -> BarChart:
    """Stacked columns per year of a ChartData block: ``columns`` series from column 2 (headers in row
    ``top``), the years in column 1."""
    bar = BarChart()
    bar.type, bar.grouping, bar.overlap = "col", "stacked", 100
    bar.title = title
    bar.y_axis.number_format = "#,##0"
    bar.add_data(Reference(data, min_col=2, max_col=1 + columns, min_row=top, max_row=top + n), titles_from_data=True)
    bar.set_categories(Reference(data, min_col=1, min_row=top + 1, max_row=top + n))
    return bar


def _block(data, top: int, heads: list[str], years: list[int], columns: list[list], fmt: str | list[str]) -> int:
    """A block of ChartData: a header row at ``top``, one row per year, each column in its format (or all in
    one); the row after it."""
    fmts = fmt if isinstance(fmt, list) else [fmt] * len(columns)
    put(data, top, 1, heads[0])
    for j, h in enumerate(heads[1:], start=2):
        put(data, top, j, h)
    for i, y in enumerate(years, start=top + 1):
        put(data, i, 1, y)
        for j, (col, f) in enumerate(zip(columns, fmts), start=2):
            put(data, i, j, col[i - top - 1]).number_format = f
    return top + len(years) + 2


def _charts(wb: Workbook, d: PlanningData, plan: Plan, ev: Evaluation, lang: str) -> None:
    """Native charts, the page's: China share against the cap, tonne-weighted over minerals (by mining and
    refining too); the recycling build-out by mineral against the minimum; the stock in days against the
    minimum; the cost by mineral; purchases by country of origin."""
    data = wb.create_sheet(sheet_name("ChartData", lang))
    charts = wb.create_sheet(sheet_name("Charts", lang), 1)
    years, minerals, n = list(d.years), list(d.minerals), len(d.years)
    basis = label(f"basis_word.{d.settings.reliance_basis}", lang)
    # China share over all minerals, by either stage, mining and refining, and the all-minerals cap.
    top = 1
    shares = [[over_minerals(ev, minerals, y, k) for y in years]
              for k in ("china_share", "china_share_mining", "china_share_refining")]
    cap = [limit_over_minerals(d, ev, minerals, y, "china_share", "china_cap_share") for y in years]
    nxt = _block(data, top, [label("word.year", lang), L.measure("china_share", lang),
                             L.measure("china_share_mining", lang), L.measure("china_share_refining", lang),
                             label("word.cap_weighted", lang)], years, shares + [cap], PCT)
    ch = _line(data, label("plan.chart.china", lang, basis=basis), 2, 5, top, n, dashed=(3,),
               colors=("#D55E00", "#E69F00", "#882255"), along=(0, 2))
    charts.add_chart(finish_chart(ch, 12), "A1")
    row = 1 + chart_rows(ch)
    # Recycling by mineral (t) per year, and the share of demand against the all-minerals minimum.
    top = nxt
    recycled = {m: [ev.indicators[m, y].recycled_t for y in years] for m in minerals}
    shown = [m for m in minerals if any(recycled[m])]
    nxt = _block(data, top, [label("word.year", lang), *[L.mineral_name(d, m, lang) for m in shown]], years,
                 [recycled[m] for m in shown], T)
    if shown:
        charts.add_chart(finish_chart(_stacked_by_year(data, label("plan.chart.recycled", lang), top, n,
                                                       len(shown)), 12), "H1")
    top = nxt
    nxt = _block(data, top, [label("word.year", lang), L.measure("recycling_share", lang),
                             label("word.minimum_weighted", lang), L.measure("stockpile_days", lang),
                             label("word.minimum_weighted", lang)], years,
                 [[over_minerals(ev, minerals, y, "recycling_share") for y in years],
                  [limit_over_minerals(d, ev, minerals, y, "recycling_share", "recycling_min_share") for y in years],
                  [over_minerals(ev, minerals, y, "stockpile_days") for y in years],
                  [limit_over_minerals(d, ev, minerals, y, "stockpile_days", "stockpile_min_days") for y in years]],
                 [PCT, PCT, DAYS, DAYS])
    ch = _line(data, label("plan.chart.recycling_share", lang), 2, 3, top, n, y_format="0%", dashed=(1,),
               colors=("#56B4E9",), share=False)
    ch.y_axis.scaling.min = 0
    charts.add_chart(finish_chart(ch, 12), f"A{row}")
    ch = _line(data, label("plan.chart.stock_days", lang), 4, 5, top, n, y_format="0", dashed=(1,),
               colors=("#0072B2",), share=False)
    ch.y_axis.scaling.min = 0
    charts.add_chart(finish_chart(ch, 12), f"H{row}")
    row += chart_rows(ch)
    # Cost by mineral (USD M, present value).
    top = nxt
    put(data, top, 1, label("word.mineral", lang))
    put(data, top, 2, label("col.usd_m_pv", lang))
    names = [L.mineral_name(d, m, lang) for m in minerals]
    for i, (m, name) in enumerate(zip(minerals, names), start=top + 1):
        put(data, i, 1, name)
        put(data, i, 2, ev.costs_by_mineral_usd[m] / 1e6).number_format = USD_M
    bar = ranked_bars(BarChart())  # thirteen names under 12 cm of columns were cut and skipped
    bar.title = label("plan.chart.cost_by_mineral", lang)
    bar.y_axis.number_format = "#,##0"
    bar.add_data(Reference(data, min_col=2, min_row=top + 1, max_row=top + len(minerals)))
    bar.set_categories(Reference(data, min_col=1, min_row=top + 1, max_row=top + len(minerals)))
    charts.add_chart(finish_chart(bar, 12, categories=names), f"A{row}")
    # Purchase value (USD M, undiscounted) by country of origin, per year.
    top = top + len(minerals) + 2
    value = {(c, y): usd for y in years for c, usd in purchases_by_origin_usd(d, plan, y).items()}
    countries = sorted({c for c, _ in value}, key=lambda c: -sum(v for (cc, _), v in value.items() if cc == c))
    if countries:
        _block(data, top, [label("word.year", lang), *[L.country_name(d, c, lang) for c in countries]], years,
               [[value.get((c, y), 0.0) / 1e6 for y in years] for c in countries], USD_M)
        bar = _stacked_by_year(data, label("plan.chart.purchases", lang), top, n, len(countries))
        for series, c in zip(bar.series, countries):
            series.graphicalProperties.solidFill = color_of(c).lstrip("#")
        charts.add_chart(finish_chart(bar, 12), f"H{row}")


def build_plan_workbook(d: PlanningData, plan: Plan, ev: Evaluation, run_info: list[tuple[str, object]],
                        source: str, lang: str = EN, printable: bool = True, hedged: bool = False) -> Workbook:
    """The results workbook of ``plan`` (``hedged``: decided against disruptions, its bound on that
    objective); ``printable`` False leaves ``make_printable`` to a report that adds sheets to it (fitting
    every sheet once, not the plan's twice)."""
    wb = Workbook()
    summary = wb.active
    summary.title = sheet_name("Summary", lang)
    _summary_sheet(summary, d, plan, ev, source, lang, hedged)
    _supply_sheet(wb.create_sheet(sheet_name("Supply", lang)), d, plan, lang)
    write_table(wb.create_sheet(sheet_name("Policy", lang)), POLICY_COLS, policy_rows(d, plan, ev, lang), lang=lang)
    write_table(wb.create_sheet(sheet_name("Recycling", lang)), RECYCLING_COLS, recycling_rows(d, plan, ev, lang),
                lang=lang)
    if d.refineries:
        _refining_sheet(wb.create_sheet(sheet_name("Refining", lang)), d, plan, ev, lang)
    write_table(wb.create_sheet(sheet_name("Stockpile", lang)), *stockpile_table(d, ev), lang=lang)
    _agreements_sheet(wb.create_sheet(sheet_name("Agreements", lang)), d, plan, lang)
    write_table(wb.create_sheet(sheet_name("Indicators", lang)), INDICATOR_COLS, indicator_rows(d, plan, ev, lang),
                lang=lang)
    write_table(wb.create_sheet(sheet_name("Partners", lang)), PARTNER_COLS, partner_rows(d, plan, lang), lang=lang)
    write_definitions(wb, lang)
    write_run_sheet(wb, run_info, lang)
    _charts(wb, d, plan, ev, lang)
    if printable:
        make_printable(wb)
    return wb


def write_plan_workbook(path: Path, d: PlanningData, plan: Plan, ev: Evaluation,
                        run_info: list[tuple[str, object]], source: str, protected=()) -> Path:
    """Write the results workbook on its own (no .json beside it); never over ``protected`` inputs."""
    wb = build_plan_workbook(d, plan, ev, run_info, source)
    return commit({Path(path): workbook_bytes(wb)}, protected)[0]
