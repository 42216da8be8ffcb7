"""The cells an .xlsx file holds, and only those.

A worksheet may declare any size (``<dimension ref="A1:XFD1048576"/>``), and
openpyxl builds a cell object for every position of the declared range when
asked for its rows: one stray cell far from the table then costs gigabytes.
This reader streams each part's XML once through expat and keeps only the
cells that hold something, so its time and memory follow what the file
contains.  An empty cell that is merely formatted is not data and is dropped.

Elements are recognised by their local name, whatever namespace prefix the
writing program chose (``<c>``, ``<x:c>``), as ``planner.workbook.safety``
counts them.  Two kinds of cell come back as markers for the table reader to
report at their cell: a formula with no calculated value (:class:`Uncalculated`)
and a stored value no spreadsheet program could show (:class:`Unreadable`).

Values are read as openpyxl reads them, dates included, without importing
openpyxl: it loads numpy, half a second of every ``planner validate``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from planner.workbook.errors import column_number

MAX_ROW = 1_048_576  # Excel's grid
MAX_COLUMN = 16_384  # XFD
WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)
# Excel's built-in number formats that show dates or times: 14-22 and 45-47, and the East Asian
# ones (27-36, 50-58); 46 is a duration ([h]:mm:ss).
BUILTIN_DATES = frozenset(range(14, 23)) | frozenset(range(27, 37)) | {45, 46, 47} | frozenset(range(50, 59))
BUILTIN_DURATIONS = frozenset({46})
_QUOTED_OR_BRACKETED = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # text and colours, not [h] [m] [s]
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_REFERENCE = re.compile(r"([A-Za-z]{1,3})([0-9]+)")
# The functions whose result is TRUE or FALSE (Excel's logical and IS functions; _xlfn. marks a newer one).
_LOGICAL_CALL = re.compile(r"\s*(?:_xlfn\.)?(?:TRUE|FALSE|AND|OR|NOT|XOR|ISBLANK|ISERR|ISERROR|ISEVEN|ISFORMULA|"
                           r"ISLOGICAL|ISNA|ISNONTEXT|ISNUMBER|ISODD|ISREF|ISTEXT)\s*\(", re.I)
_TRUE = ("1", "true")  # an XML boolean attribute: Excel writes 1, LibreOffice true
# Parts that are not XML (the reader refuses to parse one as XML, so the safety scan never counts it).
BINARY_SUFFIXES = (".bin", ".png", ".jpeg", ".jpg", ".gif", ".emf", ".wmf", ".tif", ".tiff", ".bmp")


class XlsxError(Exception):
    """The file's structure cannot be read; ``sheet`` (may be blank), ``value`` and ``expected``
    say where and what, as an issue does."""

    def __init__(self, expected: str, sheet: str = "", value: object = None):
        super().__init__(expected)
        self.sheet, self.value, self.expected = sheet, value, expected


@dataclass(frozen=True)
class Uncalculated:
    """A formula with no calculated value: the workbook was written by a program and never opened in
    a spreadsheet.  Reading it as blank would silently drop data (a cap would vanish)."""

    formula: str

    def __str__(self) -> str:
        return f"={self.formula}"


@dataclass(frozen=True)
class Unreadable:
    """A stored value no spreadsheet program reads as written: NaN, a decimal comma, a bad reference."""

    text: str
    expected: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Sheet:
    name: str
    rows: dict[int, dict[int, object]] = field(default_factory=dict)  # row -> column -> value, non-blank only
    merged: list[str] = field(default_factory=list)  # "F3:G3"
    # Hidden in the spreadsheet (Hide, or a filter), and read all the same: the table reader says so.
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # (first, last), as <col> gives them


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _refuse(*_) -> None:
    raise XlsxError("plain XML; document type and entity declarations are refused")


def _parse(source, start, end, chars=None) -> None:
    """Stream an XML part through expat: ``start(name, attributes)``, ``end(name)`` and ``chars(text)``
    with qualified names as written (x:c).  Nothing is kept but what the handlers keep."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    # The safety scan refused these already; refuse them here too, whatever reaches this parser.
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler, parser.EndElementHandler = start, end
    if chars is not None:
        parser.CharacterDataHandler = chars
    parser.ParseFile(source)


class _HeaderRead(Exception):
    """Ends a pass over a sheet whose header row alone is wanted."""


class _Text:
    """Collects the text of a string item (<si>, <is>): its <t> and rich-text runs, without the
    phonetic hints (<rPh>) East Asian text carries."""

    def __init__(self):
        self.parts: list[str] = []
        self.collect = False
        self.phonetic = 0

    def start(self, local: str) -> None:
        if local == "t" and not self.phonetic:
            self.collect = True
        elif local == "rPh":
            self.phonetic += 1

    def end(self, local: str) -> None:
        if local == "t":
            self.collect = False
        elif local == "rPh":
            self.phonetic -= 1

    def chars(self, data: str) -> None:
        if self.collect:
            self.parts.append(data)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def _open_part(z: zipfile.ZipFile, name: str):
    if name.lower().endswith(BINARY_SUFFIXES):  # the safety scan did not count it as XML
        raise XlsxError(f"a workbook whose parts are where they belong; {name} is named as XML but is not")
    try:
        return z.open(name)
    except KeyError:
        raise XlsxError(f"a complete workbook; the part {name} it refers to is missing") from None


@dataclass
class Structure:
    """What xl/workbook.xml and its relationships say: each relationship's (type, part) by its id, each
    sheet's part by its name, the hidden sheets, and the date system."""

    targets: dict[str, tuple[str, str]] = field(default_factory=dict)
    sheet_parts: dict[str, str] = field(default_factory=dict)
    hidden_sheets: set[str] = field(default_factory=set)
    very_hidden: set[str] = field(default_factory=set)  # among them, those no menu unhides (state="veryHidden")
    epoch: dt.datetime = WINDOWS_EPOCH


def read_structure(z: zipfile.ZipFile) -> Structure:
    """The workbook's :class:`Structure`, streamed through expat (which refuses entity declarations)."""
    s = Structure()

    def relationship(name, attrs):
        if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            s.targets[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], part)

    with _open_part(z, "xl/_rels/workbook.xml.rels") as src:
        _parse(src, relationship, lambda name: None)

    def book(name, attrs):
        local = _local(name)
        if local == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
            s.epoch = MAC_EPOCH
        elif local == "sheet":
            rel = next((v for k, v in attrs.items() if _local(k) == "id"), "")  # r:id, any prefix
            if rel in s.targets:
                s.sheet_parts.setdefault(attrs.get("name", ""), s.targets[rel][1])
                if attrs.get("state") in ("hidden", "veryHidden"):
                    s.hidden_sheets.add(attrs.get("name", ""))
                if attrs.get("state") == "veryHidden":
                    s.very_hidden.add(attrs.get("name", ""))

    with _open_part(z, "xl/workbook.xml") as src:
        _parse(src, book, lambda name: None)
    return s


class Workbook:
    """An .xlsx opened for reading, one sheet at a time."""

    def __init__(self, path: Path):
        self._zip = zipfile.ZipFile(path)
        try:
            self._read_structure()
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self._zip.close()

    def _part(self, name: str):
        return _open_part(self._zip, name)

    def _read_structure(self) -> None:
        s = read_structure(self._zip)
        self._sheet_parts, self.hidden_sheets, self._epoch = s.sheet_parts, s.hidden_sheets, s.epoch
        self.very_hidden = s.very_hidden
        by_type = {kind: part for kind, part in s.targets.values()}
        names = set(self._zip.namelist())
        self._strings = self._read_strings(by_type["sharedStrings"]) if by_type.get("sharedStrings") in names else []
        self._dates, self._durations = (self._read_date_styles(by_type["styles"]) if by_type.get("styles") in names
                                        else (set(), set()))

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheet_parts)

    def _read_strings(self, part: str) -> list[str]:
        strings: list[str] = []
        text = _Text()

        def end(name):
            local = _local(name)
            if local == "si":
                strings.append(text.take())
            else:
                text.end(local)

        with self._part(part) as src:
            _parse(src, lambda name, attrs: text.start(_local(name)), end, text.chars)
        return strings

    def _read_date_styles(self, part: str) -> tuple[set[int], set[int]]:
        """Indices of the cell styles whose number format shows a date, and a duration."""
        custom: dict[int, str] = {}
        formats: list[int] = []
        inside: list[str] = []

        def start(name, attrs):
            local = _local(name)
            if local == "numFmt":
                custom[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
            elif local == "xf" and inside and inside[-1] == "cellXfs":
                formats.append(_int(attrs.get("numFmtId")))
            inside.append(local)

        with self._part(part) as src:
            _parse(src, start, lambda name: inside.pop())
        dates, durations = set(), set()
        for i, number_format in enumerate(formats):
            code = custom.get(number_format)
            if code is None:
                dates.update({i} if number_format in BUILTIN_DATES else ())
                durations.update({i} if number_format in BUILTIN_DURATIONS else ())
            else:
                code = code.split(";")[0]  # the format of positive numbers decides, as in Excel
                dates.update({i} if _DATE_PART.search(_QUOTED_OR_BRACKETED.sub("", code)) else ())
                durations.update({i} if _DURATION.search(code) else ())
        return dates, durations

    def sheet(self, name: str, header_only: bool = False) -> Sheet:
        """Every non-blank cell of sheet ``name``, in one streamed pass; with ``header_only``, those of row 1
        alone, the pass ended where a later row starts (a stray sheet's header, read whatever its size)."""
        out = Sheet(name)
        rows = out.rows
        row = column = 0
        cell: dict | None = None  # the attributes of the <c> being read
        parts: dict[str, list[str]] = {}  # its <v> and <f> text, collected
        collect: list[str] | None = None
        inline = _Text()

        def start(tag, attrs):
            nonlocal row, column, cell, collect
            if ":" in tag:  # the local name, without a call: this runs for every element of the sheet
                tag = tag.rpartition(":")[2]
            if cell is not None:
                if tag == "v" or tag == "f":
                    collect = parts[tag] = []
                else:
                    inline.start(tag)
            elif tag == "c":
                cell = attrs
                parts.clear()
                inline.parts.clear()  # text a malformed cell left behind
            elif tag == "row":
                row = _row_number(attrs.get("r"), row + 1, name)
                column = 0
                if header_only and row > 1:
                    raise _HeaderRead
                if attrs.get("hidden") in _TRUE:
                    out.hidden_rows.add(row)
            elif tag == "col" and attrs.get("hidden") in _TRUE:
                out.hidden_columns.append((_int(attrs.get("min")), _int(attrs.get("max"))))
            elif tag == "mergeCell":
                out.merged.append(attrs.get("ref", ""))

        def end(tag):
            nonlocal column, cell, collect
            if ":" in tag:
                tag = tag.rpartition(":")[2]
            if tag == "c" and cell is not None:
                r, column = _coordinate(cell.get("r"), row, column + 1, name)
                value = self._value(cell, parts, inline)
                if value is not None and (type(value) is not str or value.strip()):
                    rows.setdefault(r, {})[column] = value
                cell = None
            elif cell is not None:
                collect = None
                if tag != "v":
                    inline.end(tag)

        def chars(data):
            if collect is not None:
                collect.append(data)
            else:
                inline.chars(data)

        with self._part(self._sheet_parts[name]) as src, contextlib.suppress(_HeaderRead):
            _parse(src, start, end, chars)
        return out

    def _value(self, attrs: dict, parts: dict[str, list[str]], inline: _Text) -> object:
        """A cell's value as a spreadsheet shows it; None when it holds nothing."""
        kind = attrs.get("t", "n")
        text = "".join(parts["v"]) if "v" in parts else ""
        if kind == "n" and text:  # most cells: a number
            number = _number(text)
            if "f" in parts and _logical("".join(parts["f"])) and not isinstance(number, Unreadable):
                # LibreOffice saves a TRUE in a cell formatted as text as =TRUE(), 1, a number; so it saves any
                # formula that shows TRUE or FALSE there (=B2>0, =AND(...)), as Excel saves them as t="b".
                return number != 0
            style = attrs.get("s")
            if style is None or isinstance(number, Unreadable) or _int(style) not in self._dates:
                return number
            try:
                return _from_serial(number, self._epoch, duration=_int(style) in self._durations)
            except (OverflowError, ValueError):
                return Unreadable(text, "a date a spreadsheet can show; this date cell holds a number far outside "
                                        "the calendar. Format the cell as Number and type the value")
        if kind == "inlineStr":
            return inline.take()
        if "f" in parts and not text and kind != "str":  # str: a formula whose result is empty text
            return Uncalculated("".join(parts["f"]).strip())
        if not text:
            return None
        if kind == "s":
            if not text.strip().isdigit() or int(text) >= len(self._strings):
                return Unreadable(text, "a text the workbook holds; the cell points at a missing shared string "
                                        "(a damaged file). Retype the cell and save")
            return self._strings[int(text)]
        if kind == "b":
            number = _number(text, integer=True)
            return number if isinstance(number, Unreadable) else bool(number)
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(text)
            except ValueError:
                return Unreadable(text, "a date as ISO 8601 text (2026-01-01); retype the cell and save")
        return text  # str (a formula's text result), e (an error such as #DIV/0!), or unknown: as stored


def _logical(formula: str) -> bool:
    """Whether ``formula`` (without its '=') gives TRUE or FALSE: a comparison at its top level (1=1, A1<>B1, B2>0:
    comparisons bind last, so the whole formula is one), or one call of a logical function (TRUE(), AND(...),
    ISBLANK(...)).  Text in quotes, a quoted sheet name and what is inside brackets are skipped."""
    depth, quote, first_close = 0, "", None
    for i, ch in enumerate(formula):
        if quote:
            quote = "" if ch == quote else quote  # a doubled quote inside ("a""b") closes and opens again
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0 and first_close is None:
                first_close = i
        elif depth == 0 and ch in "=<>":
            return True
    return bool(_LOGICAL_CALL.match(formula)) and first_close == len(formula.rstrip()) - 1


def _from_serial(days: float, epoch: dt.datetime, duration: bool) -> dt.datetime | dt.time | dt.timedelta:
    """A date cell's number as a date, a time of day or a duration, to the millisecond."""
    if duration:
        return dt.timedelta(days=days)
    day, fraction = divmod(days, 1)
    time = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= days < 1 and time.days == 0:
        return (dt.datetime.min + time).time()
    if 0 < days < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel counts a 29 February 1900 that never was
    return epoch + dt.timedelta(days=day) + time


def _number(text: str, integer: bool = False) -> float | int | Unreadable:
    """A stored number as Excel and openpyxl read it: a float when it has a point or an exponent."""
    try:
        number = float(text) if not integer and ("." in text or "e" in text or "E" in text) else int(text)
    except ValueError:
        pass
    else:
        if integer:  # a TRUE/FALSE cell's 0 or 1
            return number
        try:
            beyond = math.isinf(float(number))  # "1e309": digits beyond float range, not "inf"
        except OverflowError:  # 400 digits, no point: an int no float holds
            beyond = True
        if beyond:
            from planner.workbook.cells import MAX_ABS  # cells reads this module's values: imported here

            return Unreadable(text, f"a number of sensible size (|x| <= {MAX_ABS:g}); the file stores a number "
                                    "beyond it, and beyond any spreadsheet's range")
        return number
    try:
        float(text)
        return Unreadable(text, "a finite number; NaN and infinity cannot be planned with")
    except ValueError:
        return Unreadable(text, "a number; the program that wrote the file stored text that is not a number "
                                "here (a decimal comma?). Retype the cell and save")


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return -1  # matches no style


def _row_number(text: str | None, default: int, sheet: str) -> int:
    row = default if text is None else _int(text)
    if not 1 <= row <= MAX_ROW:
        raise XlsxError(f"row numbers from 1 to {MAX_ROW:,}; the file is damaged", sheet, text)
    return row


def _coordinate(ref: str | None, row: int, column: int, sheet: str) -> tuple[int, int]:
    """(row, column) of a cell: from its reference (B5), or the next position when it has none."""
    if ref is not None:
        match = _REFERENCE.fullmatch(ref)
        if match is None:
            raise XlsxError("cell references like B5; the file is damaged", sheet, ref)
        letters, row = match[1], int(match[2])
        column = _COLUMNS.get(letters) or _COLUMNS.setdefault(letters, column_number(letters))
    if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
        raise XlsxError("cells inside the grid, A1 to XFD1048576; the file is damaged", sheet, ref)
    return row, column


_COLUMNS: dict[str, int] = {}  # "XFD" -> 16384, as met
