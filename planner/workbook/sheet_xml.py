"""An openpyxl workbook as the bytes of its .xlsx, with the worksheets' cells written as text.

openpyxl 3.1 serialises every cell as an element tree of its own (a ``<c>``, its ``<v>`` or
``<is><t>``) through et_xmlfile: that took 0.21 s of ``planner solve``'s 0.4 s of writing
(issue 24), for 27,000 cells.  :func:`xlsx_bytes` saves the workbook as openpyxl does, and
writes each row of plain cells (text, numbers, booleans, empty styled cells, with or without a
comment) as one string with the escaping et_xmlfile uses: the same bytes in every part, which
tests/test_sheet_xml.py checks against openpyxl's own writer.  Any other cell (a date, rich
text, a hyperlink, a formula) is written by openpyxl's writer in its place.  Each worksheet is
serialised in memory rather than to a temporary file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from math import isinf, isnan
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # what et_xmlfile escapes with

from openpyxl.cell._writer import write_cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

_TEXT, _NUMBER, _BOOL = "s", "n", "b"
_PLAIN = (_TEXT, _NUMBER, _BOOL)


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer, with the rows written as text."""

    def write_rows(self) -> None:
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            write = xf._file  # et_xmlfile 2's write function (pyproject pins it), after the open <sheetData>
            ws = self.ws
            dims = ws.row_dimensions
            letters: dict[int, str] = {}
            style_ids: dict[bytes, int] = {}
            parts: list[str] = []  # the text not yet written: the whole sheet's rows go in one write
            for row_idx, row in self.rows():
                attrs = {"r": f"{row_idx}"}
                attrs.update(dims.get(row_idx, {}))
                parts += ["<row", *(f' {k}="{_escape_attrib(v)}"' for k, v in attrs.items()), ">"]
                at = f"{row_idx}"
                for cell in row:
                    comment = cell._comment
                    if comment is not None:
                        ws._comments.append(CommentRecord.from_cell(cell))
                    style = cell._style  # cell.has_style, without the property
                    styled = style is not None and any(style)
                    if cell._value is None and not styled and not comment:
                        continue
                    text = _cell(cell, at, style.tobytes() if styled else None, letters, style_ids)
                    if text is None:  # not a plain cell: openpyxl writes it
                        write("".join(parts))
                        parts = []
                        write_cell(xf, ws, cell, styled)
                    else:
                        parts.append(text)
                parts.append("</row>")
            write("".join(parts))
        self.xf.send(None)


def _cell(cell, row: str, style: bytes | None, letters: dict[int, str], style_ids: dict[bytes, int]) -> str | None:
    """A plain cell's ``<c>`` element, as et_xmlfile would write it; None for any other cell.  ``row``: the
    cell's row number as text; ``style``: its style array's bytes, None if it has no style.  ``letters``
    and ``style_ids`` remember each column's letter and each style's id, by those bytes (openpyxl's
    ``style_id`` hashes the array in Python and looks it up twice, for every cell)."""
    kind, value = cell.data_type, cell._value
    if kind not in _PLAIN or isinstance(value, CellRichText) or cell._hyperlink:
        return None
    column = cell.column
    letter = letters.get(column) or letters.setdefault(column, get_column_letter(column))
    if style is not None:
        style_id = style_ids.get(style)
        if style_id is None:
            style_id = style_ids[style] = cell.style_id
        head = f'<c r="{letter}{row}" s="{style_id}"'
    else:
        head = f'<c r="{letter}{row}"'
    if value is None or value == "":
        return head + (' t="inlineStr" />' if kind == _TEXT else f' t="{kind}" />')
    if kind == _TEXT:
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f'{head} t="inlineStr"><is><t{space}>{_escape_cdata(value)}</t></is></c>'
    if type(value) in (float, int):
        # safe_string's own conversion (its isinstance checks took as long), into digits, '.', '-', 'e'
        # and '+', which need no escaping
        if isnan(value) or isinf(value):
            return f'{head} t="{kind}"><v /></c>'
        return f'{head} t="{kind}"><v>{"%.16g" % value}</v></c>'
    number = safe_string(value)
    return f'{head} t="{kind}"><v>{_escape_cdata(number)}</v></c>' if number else f'{head} t="{kind}"><v /></c>'


class _BookWriter(ExcelWriter):
    """openpyxl's workbook writer, with :class:`_SheetWriter` for the worksheets, in memory."""

    def write_worksheet(self, ws) -> None:
        # openpyxl 3.1's ExcelWriter.write_worksheet, for a workbook that is not write-only.
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


def xlsx_bytes(wb, writer=_BookWriter) -> bytes:
    """``wb`` (not write-only) as the bytes of its .xlsx: openpyxl's ``save_workbook``, into memory.  ``writer``:
    a subclass of the writer (tests/corpus.py's takes the parts of sheets it wrote before from its cache)."""
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
    writer(wb, archive).save()
    return buf.getvalue()
