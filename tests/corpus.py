"""A corpus of bad workbooks, each built in code from the default case.

Every case writes one file and says what the planner must answer: the words
its message must contain and, where one cell is at fault, that cell.  The
files are generated, not checked in, so each one shows exactly what is wrong
with it.  ``tests/test_bad_inputs.py`` runs every case through the CLI.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from planner.workbook import schema as S
from planner.workbook.cells import letter
from planner.workbook.defaults import load_default_tables
from planner.workbook.safety import MAX_CELLS
from planner.workbook.sheet_xml import _BookWriter, xlsx_bytes
from planner.workbook.writer import build_input_workbook

SHEET_ORDER = ["About"] + [s.name for s in S.SHEETS]  # as build_input_workbook writes them


def part(sheet: str) -> str:
    """The zip member holding ``sheet``."""
    return f"xl/worksheets/sheet{SHEET_ORDER.index(sheet) + 1}.xml"


@dataclass(frozen=True)
class Case:
    name: str
    write: Callable[[Path], None]
    says: tuple[str, ...]  # each must appear in the message (case-insensitive)
    cell: str = ""  # "'Suppliers'!F2" when one cell is at fault
    hostile: bool = False  # a bomb or a huge file: also timed in a subprocess


CASES: dict[str, Case] = {}


def case(*says: str, cell: str = "", hostile: bool = False):
    def register(write: Callable[[Path], None]):
        CASES[write.__name__] = Case(write.__name__, write, says, cell, hostile)
        return write

    return register


# ---- builders ---------------------------------------------------------------------------------

def default_workbook(notes: bool = True) -> Workbook:
    """The default case; without the header notes (a third of the file) if ``notes`` is False."""
    wb = build_input_workbook(load_default_tables())
    for ws in wb.worksheets if not notes else ():
        for cell in ws[1]:
            cell.comment = None
    return wb


def edited(path: Path, edit: Callable[[Workbook], None], notes: bool = True) -> None:
    """The default workbook, changed by ``edit`` through openpyxl, saved in openpyxl's bytes by the planner's
    own writer (``sheet_xml``: half of ``wb.save``'s time, the same parts)."""
    wb = default_workbook(notes)
    edit(wb)
    path.write_bytes(xlsx_bytes(wb))


class _Recorded:
    """A zip archive being written that remembers each part written into it."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive, self.parts = archive, {}

    def writestr(self, name, data, *args, **kwargs):
        self.parts[name] = data
        self.archive.writestr(name, data, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.archive, name)


class SheetsKept(_BookWriter):
    """The planner's writer (sheet_xml), taking the part of each worksheet not in ``changed`` from ``kept`` (title
    -> its XML, comments and relationships as written last) and keeping there each such part it writes; a changed
    sheet is written anew and dropped from ``kept``.  Serialising a sheet is most of a write: a workbook written
    again and again with a few cells changed, then put back, is written with its other sheets' very bytes."""

    def __init__(self, wb, archive, kept: dict, changed: set[str]):
        super().__init__(wb, _Recorded(archive))
        self.kept, self.changed = kept, changed

    def write_worksheet(self, ws) -> None:
        name = ws.path[1:]
        if ws.title in self.changed or ws.title not in self.kept:
            super().write_worksheet(ws)
            if ws.title in self.changed:
                self.kept.pop(ws.title, None)
            else:
                self.kept[ws.title] = (self._archive.parts[name], list(ws._comments), list(ws._rels))
            return
        xml, comments, rels = self.kept[ws.title]  # ws._drawing is the one of the write that kept it: no charts
        ws._comments, ws._rels = list(comments), RelationshipList(rels)
        self._archive.writestr(name, xml)
        self.manifest.append(ws)


def kept_writer(kept: dict, changed: set[str]):
    """The ``writer`` of ``xlsx_bytes`` for :class:`SheetsKept`."""
    return functools.partial(SheetsKept, kept=kept, changed=changed)


@functools.cache
def _default_kept(notes: bool) -> tuple[Workbook, dict, bytes]:
    """One default workbook for every :func:`cells_bytes` of this process, its sheets' parts and its bytes, as
    written first (saving numbers its cells' styles)."""
    wb, kept = default_workbook(notes), {}
    return wb, kept, xlsx_bytes(wb, writer=kept_writer(kept, set()))


def default_bytes(notes: bool = True) -> bytes:
    return _default_kept(notes)[2]


def _type(wb: Workbook, values: dict[tuple[str, str], object]) -> None:
    for (sheet, coord), value in values.items():
        wb[sheet][coord] = value


def cells_bytes(values: dict[tuple[str, str], object], notes: bool = True) -> bytes:
    """The bytes of the default workbook with ``values`` ((sheet, cell) -> value) typed in.  Text, numbers and
    blanks are typed into copies of the cells of one workbook built once, which are put back after, and only the
    sheets typed in are written (0.03 s, not 0.25): the same parts.  A date or time gives its cell a style of its
    own, which a fresh workbook numbers in the order of its cells: it is typed into a fresh one.  (A sheet or
    column deleted would renumber the styles too: ``edited`` builds afresh.)"""
    if not all(isinstance(v, (str, int, float, type(None))) for v in values.values()):
        wb = default_workbook(notes)
        _type(wb, values)
        return xlsx_bytes(wb)
    wb, kept, _ = _default_kept(notes)
    held = {}  # (sheet, row, column) -> the cell as built, None where there was none
    for (sheet, coord), value in values.items():
        ws = wb[sheet]
        key = coordinate_to_tuple(coord)
        if (sheet, *key) not in held:
            cell = held[sheet, *key] = ws._cells.get(key)
            if cell is not None:
                typed = ws._cells[key] = cell.__class__(ws, *key, style_array=cell._style.__copy__())
                typed._value, typed.data_type, typed._hyperlink, typed._comment = (
                    cell._value, cell.data_type, cell._hyperlink, cell._comment)
    _type(wb, values)
    for ws in wb.worksheets:  # as before the first save, which sets it (openpyxl writes it from the second save on)
        ws.column_dimensions.max_outline = None
    try:
        return xlsx_bytes(wb, writer=kept_writer(kept, {sheet for sheet, _ in values}))
    finally:
        for (sheet, *key), cell in held.items():
            if cell is None:
                del wb[sheet]._cells[tuple(key)]
            else:
                wb[sheet]._cells[tuple(key)] = cell


def cells(path: Path, values: dict[tuple[str, str], object], notes: bool = True) -> None:
    path.write_bytes(cells_bytes(values, notes))


def rezipped(path: Path, members: dict[str, bytes | Callable[[bytes], bytes]],
             compression: int = zipfile.ZIP_DEFLATED, notes: bool = True) -> None:
    """The default workbook's zip with members replaced (bytes or a function of the old bytes) or added."""
    with zipfile.ZipFile(io.BytesIO(default_bytes(notes))) as src, \
            zipfile.ZipFile(path, "w", compression) as dst:
        for name in src.namelist():
            data = src.read(name)
            change = members.get(name)
            dst.writestr(name, change(data) if callable(change) else data if change is None else change)
        for name, data in members.items():
            if name not in src.namelist():
                dst.writestr(name, data)


def set_value_xml(sheet_xml: bytes, coord: str, text: bytes) -> bytes:
    """Replace a numeric cell's stored value with ``text``, as another program might write it."""
    out, n = re.subn(rb'(<c r="' + coord.encode() + rb'"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>" + text + b"</v>",
                     sheet_xml)
    assert n == 1, coord
    return out


def with_doctype(sheet_xml: bytes, doctype: bytes, coord: str, entity: bytes) -> bytes:
    """Put a DOCTYPE before the root element and an entity reference into text cell ``coord``."""
    out, n = re.subn(rb'(<c r="' + coord.encode() + rb'"[^>]*><is><t>)[^<]*', rb"\g<1>" + entity, sheet_xml)
    assert n == 1, coord
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + out


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (the container of encrypted .xlsx and old .xls files).

    Streams are padded to 4096 bytes so they live in ordinary 512-byte sectors.
    """
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    sector = 512
    fat = [fat_sect, end]  # sector 0: the FAT, sector 1: the directory
    entries, data = [], b""
    for name, body in streams.items():
        body = body.ljust(max(4096, -(-len(body) // sector) * sector), b"\0")
        start = len(fat)
        n = len(body) // sector
        fat += list(range(start + 1, start + n)) + [end]
        entries.append((name, start, len(body)))
        data += body
    assert len(fat) <= sector // 4

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1, nostream, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 1, nostream, end, 0)
    for i, (name, start, size) in enumerate(entries, start=1):  # a right-leaning chain of siblings
        directory += entry(name, 2, nostream, i + 1 if i < len(entries) else nostream, start, size)
    directory = directory.ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *([free] * 108)))
    fat_bytes = struct.pack(f"<{sector // 4}I", *(fat + [free] * (sector // 4 - len(fat))))
    return header + fat_bytes + directory + data


# ---- structure --------------------------------------------------------------------------------

@case("'Agreements'", "a sheet named 'Agreements'; it is missing")
def missing_sheet(path):
    edited(path, lambda wb: wb.remove(wb["Agreements"]))


@case("'Supplier'", "renamed", cell="'Suppliers'")
def renamed_sheet(path):
    edited(path, lambda wb: setattr(wb["Suppliers"], "title", "Supplier"))


@case("capacity_t_per_yr", "a column headed 'capacity_t_per_yr'", "it is missing")
def missing_column(path):
    edited(path, lambda wb: wb["Suppliers"].delete_cols(6))


@case("capacity_t_per_yr", "renamed", cell="'Suppliers'!F1")
def renamed_header(path):
    cells(path, {("Suppliers", "F1"): "capacity_t"})


@case("no blank rows inside the table", "rows 5-6", cell="'Suppliers'!A5")
def blank_rows_inside_table(path):
    edited(path, lambda wb: wb["Suppliers"].insert_rows(5, 2))


@case("merged cells", "unmerge", cell="'Suppliers'!F3:G3")
def merged_cells(path):
    edited(path, lambda wb: wb["Suppliers"].merge_cells("F3:G3"))


@case("no merged cells", "a column headed 'mineral_id' in row 1; it is missing (hidden under the merged cells A1:B1?)",
      cell="'Suppliers'!A1:B1")
def merged_header_cells(path):
    """A merge across the header keeps A1's text and drops B1's: both the merge and the column it hides are named."""
    edited(path, lambda wb: wb["Suppliers"].merge_cells("A1:B1"))


@case("header row in row 1", "row 3", cell="'Suppliers'!A3")
def header_not_in_row_1(path):
    def edit(wb):
        ws = wb["Suppliers"]
        ws.insert_rows(1, 2)
        ws["A1"] = "Supply options, 2024 review"

    edited(path, edit)


# ---- values -----------------------------------------------------------------------------------

@case("stored as text", "price_usd_per_t", "'12700'", cell="'Suppliers'!G3")
def number_stored_as_text(path):
    cells(path, {("Suppliers", "G3"): "12700"})


@case("the cell holds text", "shortage_penalty_usd_per_t", cell="'Minerals'!G2")
def bad_cell_in_the_row_of_a_mineral_with_recycling(path):
    """Lithium's row left out for its bad cell, its recycling options read: the check of the Policy sheet's
    recycling minimum looked them up by mineral and ended as an internal error (KeyError: 'lithium')."""
    cells(path, {("Minerals", "G2"): "x"})


@case("TRUE/FALSE", "capacity_t_per_yr", cell="'Suppliers'!F2")
def boolean_for_number(path):
    cells(path, {("Suppliers", "F2"): True})


@case("holds a date", "first_year", "2026-01-01", cell="'Suppliers'!K2")
def date_for_year(path):
    cells(path, {("Suppliers", "K2"): dt.datetime(2026, 1, 1)})


@case("holds a date", "first_year", "2026-01-01", cell="'Suppliers'!K2")
def date_for_year_1904_system(path):
    """A Mac-style workbook counting days from 1904: the date must read as typed, not 4 years off."""
    def edit(wb):
        wb.epoch = CALENDAR_MAC_1904
        wb["Suppliers"]["K2"] = dt.datetime(2026, 1, 1)

    edited(path, edit)


@case("finite number", "capacity_t_per_yr", "nan", cell="'Suppliers'!F2")
def nan_value(path):
    rezipped(path, {part("Suppliers"): lambda x: set_value_xml(x, "F2", b"NaN")})


@case("finite number", "price_usd_per_t", "inf", cell="'Suppliers'!G2")
def inf_value(path):
    rezipped(path, {part("Suppliers"): lambda x: set_value_xml(x, "G2", b"INF")})


@case("sensible size", "1e309", "beyond it", "demand_t", cell="'Demand'!C2")
def overflowing_value(path):
    """Beyond float range Python reads it as inf: it was "a finite number", not out of range as 1e13 is."""
    rezipped(path, {part("Demand"): lambda x: set_value_xml(x, "C2", b"1e309")})


@case("sensible size", "1e+300", cell="'Suppliers'!F2")
def huge_value(path):
    cells(path, {("Suppliers", "F2"): 1e300})


@case("sensible size", "1e+12", cell="'Suppliers'!F2")
def capacity_beyond_what_the_solver_takes(path):
    """HiGHS takes a matrix entry of 1e15 as infinite: at the old limit the solve failed (exit 5)."""
    cells(path, {("Suppliers", "F2"): 1e15, ("Suppliers", "G2"): 1e15, ("Suppliers", "I2"): 1e15})


@case("a price of at most 1e+12 USD/t in every year", "2.05e+15", cell="'Suppliers'!H2")
def price_escalated_beyond_what_the_solver_takes(path):
    cells(path, {("Suppliers", "G2"): 1e12, ("Suppliers", "H2"): 1.0})


@case("not a number", "1,5", cell="'Suppliers'!G2")
def locale_decimal_comma_in_xml(path):
    rezipped(path, {part("Suppliers"): lambda x: set_value_xml(x, "G2", b"1,5")})


@case("Excel error", "#DIV/0!", cell="'Suppliers'!G2")
def excel_error_value(path):
    rezipped(path, {part("Suppliers"): lambda x: re.sub(
        rb'<c r="G2"([^>]*?) t="n"><v>[^<]*</v>', rb'<c r="G2"\1 t="e"><v>#DIV/0!</v>', x)})


# ---- ids and references -----------------------------------------------------------------------

@case("a unique supplier_id", "row 2", cell="'Suppliers'!A9")
def duplicate_id(path):
    cells(path, {("Suppliers", "A9"): "li_aus_chn"})


@case("a unique supplier_id", "ignoring case", cell="'Suppliers'!A9")
def duplicate_id_differing_in_case(path):
    cells(path, {("Suppliers", "A9"): "LI_AUS_CHN"})


@case("a unique supplier_id", "spaces", cell="'Suppliers'!A9")
def duplicate_id_differing_in_spaces(path):
    cells(path, {("Suppliers", "A9"): "  li_aus_chn\t"})


@case("a unique mineral_id + year", cell="'Demand'!A3")
def duplicate_key_pair(path):
    cells(path, {("Demand", "B3"): 2026})


@case("0 (no demand) or at least 0.001 t", "1e-06", cell="'Demand'!C4")
def demand_below_what_the_solver_resolves(path):
    # A gram a year: HiGHS could leave it unmet within its tolerance, uncharged; the verifier would reject the plan.
    cells(path, {("Demand", "C4"): 1e-6})


@case("unobtainium", "a mineral listed on the Minerals sheet", cell="'Suppliers'!B6")
def unknown_mineral(path):
    cells(path, {("Suppliers", "B6"): "unobtainium"})


@case("XXX", "unknown: XXX", cell="'Agreements'!C2")
def unknown_partner_country(path):
    cells(path, {("Agreements", "C2"): "JPN;XXX"})


_SOURCE_COL = letter(S.SHEET_BY_NAME["Suppliers"].headers.index("source_id") + 1)


@case("nowhere_2024", "a source_id listed on the Sources sheet", cell=f"'Suppliers'!{_SOURCE_COL}2")
def unknown_source(path):
    cells(path, {("Suppliers", f"{_SOURCE_COL}2"): "nowhere_2024"})


@case("CLH", "did you mean CHL?", cell="'Suppliers'!D3")
def country_typo(path):
    cells(path, {("Suppliers", "D3"): "CLH"})


@case("ZZZ", "unknown: ZZZ", cell="'Disruptions'!N2")
def malformed_partner_list(path):
    cells(path, {("Disruptions", "N2"): "JPN;;ZZZ"})


# ---- bounds: declared once in the schema, enforced for every column and setting ----------------

def setting_cell(name: str) -> str:
    """The Settings value cell of setting ``name``, as build_input_workbook writes it."""
    return f"B{[s.name for s in S.SETTINGS].index(name) + 2}"


@case("[cvar_level]", "from 0 to 0.999", "found 1;", cell=f"'Settings'!{setting_cell('cvar_level')}")
def cvar_level_of_one(path):
    """Documented as at most 0.999, once accepted: the hedged run ended in ZeroDivisionError (exit 5)."""
    cells(path, {("Settings", setting_cell("cvar_level")): 1.0})


@case("found 0.9995", "from 0 to 0.999", cell=f"'Settings'!{setting_cell('cvar_level')}")
def cvar_level_just_above_its_bound(path):
    cells(path, {("Settings", setting_cell("cvar_level")): 0.9995})


@case("recovery_yield", "above 0 and at most 1", cell="'Recycling'!I2")
def recovery_yield_of_zero(path):
    cells(path, {("Recycling", "I2"): 0})


@case("duration_min_days", "> 0", cell="'Disruption risks'!E2")
def stop_of_no_days(path):
    cells(path, {("Disruption risks", "E2"): 0})


# ---- every problem at once --------------------------------------------------------------------

@case("'Disruptions'!I2", "'Disruptions'!I3", "'Disruptions'!E4", "unobtainium", "'Disruptions'!F5",
      "no_such_option", "'Disruptions'!G6", "did you mean CHN?", "'Disruptions'!N7", "unknown: XXX",
      "'Disruption risks'!F2", "at least duration_min_days", "'Suppliers'!G3", "8 problem(s)",
      cell="'Disruptions'!I2")
def disruption_sheets_wrong_everywhere(path):
    """Bad years in two rows, and in others an unknown mineral, supplier and country, a malformed
    partner list, a longest stop shorter than the shortest, and a bad cell in the case itself:
    all reported together (once only the years came first, the rest after they were fixed)."""
    cells(path, {("Disruptions", "I2"): 2099, ("Disruptions", "I3"): 1999, ("Disruptions", "E4"): "unobtainium",
                 ("Disruptions", "F5"): "no_such_option", ("Disruptions", "G6"): "CHM",
                 ("Disruptions", "N7"): "JPN;XXX", ("Disruption risks", "E2"): 400, ("Disruption risks", "F2"): 100,
                 ("Suppliers", "G3"): "12,700 USD"})


@case("alignment weights that add up to more than 0", "'Settings'!B17", "'Settings'!B21",
      cell="'Settings'!B17")
def alignment_weights_all_zero(path):
    """With risk_basis political the run once succeeded and scored every country's alignment 0 (0/0)."""
    cells(path, {("Settings", setting_cell(w)): 0 for w in (
        "alignment_weight_msp", "alignment_weight_fta", "alignment_weight_security", "alignment_weight_unga",
        "alignment_weight_no_export_restrictions")})


# ---- contradictions ---------------------------------------------------------------------------

@case("[home_country]", "found 'CHN'", "not CHN", "the importing country", "China cap",
      cell=f"'Settings'!{setting_cell('home_country')}")
def home_country_china(path):
    """China as the importer: the China cap would limit its own mines and refineries as exposure, and the
    single-country caps leave the home country out on the imports basis; the run once planned it."""
    cells(path, {("Settings", setting_cell("home_country")): "chn"})


@case("[sanctioned]", "no for KOR, the home country", cell="'Countries'!D2")
def home_country_sanctioned(path):
    """The home country marked sanctioned: a plan barred from its own country's supply."""
    cells(path, {("Countries", "D2"): "yes"})


@case("at most capacity_t_per_yr", cell="'Suppliers'!J2")
def min_volume_above_capacity(path):
    cells(path, {("Suppliers", "J2"): 300000})


@case("first_year <= last_year", cell="'Suppliers'!K2")
def first_year_after_last_year(path):
    cells(path, {("Suppliers", "K2"): 2029, ("Suppliers", "L2"): 2026})


@case("at most max_modules", cell="'Recycling'!F2")
def existing_modules_above_max(path):
    cells(path, {("Recycling", "F2"): 31})


@case("at most max_stock_t", cell="'Stockpile'!B2")
def initial_stock_above_max(path):
    cells(path, {("Stockpile", "B2"): 200000})


@case("first_year <= last_year", cell="'Settings'!B2")
def horizon_starting_after_it_ends(path):
    cells(path, {("Settings", "B2"): 2036})


@case("lowest political risk", "risk_cap", cell="'Policy'!E8")
def risk_cap_below_every_source(path):
    cells(path, {("Policy", "E8"): 0.05})


@case("recycling_min_share + ira_min_share", cell="'Policy'!H8")
def ira_floor_plus_recycling_floor_above_one(path):
    cells(path, {("Policy", "H8"): 0.95})  # with nickel's 2032 recycling floor of 9.5%


# ---- formulas, links, macros ------------------------------------------------------------------

@case("never calculated", cell="'Demand'!C3")
def formula_never_calculated(path):
    cells(path, {("Demand", "C3"): "=2*55000"})


@case("never calculated", "'Settings'!B3", "'Settings'!B4", cell="'Settings'!B4")
def settings_formula_never_calculated(path):
    """Settings are data like any sheet: a formula without a value must not fall back to the default."""
    cells(path, {("Settings", "B3"): "=2020+8", ("Settings", "B4"): "=0.1*2"})


@case("never calculated", "0.1*5", cell="'Policy'!C8")
def namespaced_formula_never_calculated(path):
    """As the .NET Open XML SDK writes it, every element prefixed (<x:c>, <x:f>): the 2030 China cap
    must not silently vanish."""
    def formula(x: bytes) -> bytes:  # whatever style index the cell has
        out, n = re.subn(rb'<x:c r="C8" s="(\d+)" t="n"><x:v>0.5</x:v></x:c>',
                         rb'<x:c r="C8" s="\1"><x:f>0.1*5</x:f></x:c>', namespaced(x))
        assert n == 1, "the 2030 China cap is no longer in Policy!C8"
        return out

    rezipped(path, {part("Policy"): formula})


@case("capacity_t_per_yr", cell="'Suppliers'!F1")
def header_written_as_a_formula(path):
    cells(path, {("Suppliers", "F1"): '=HYPERLINK("http://evil.example/","capacity_t_per_yr")'})


_EXTERNAL_LINK = (b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  b'<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                  b'r:id="rId1"><sheetNames><sheetName val="Prices"/></sheetNames></externalBook></externalLink>')


@case("links to other workbooks", "Break Link")
def external_links(path):
    rezipped(path, {
        "xl/externalLinks/externalLink1.xml": _EXTERNAL_LINK,
        "xl/externalLinks/_rels/externalLink1.xml.rels":
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" TargetMode="External" Target="file:///C:/prices/2024.xlsx" Type="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath"/></Relationships>',
    })


@case("macro", ".xlsm", "save it as a plain .xlsx")
def macro_enabled_renamed(path):
    rezipped(path, {
        "xl/vbaProject.bin": cfb({"VBA": b"Attribute VB_Name = \"Module1\"\r\nSub AutoOpen()\r\nEnd Sub\r\n"}),
        "[Content_Types].xml": lambda x: x.replace(
            b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml").replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'),
    })


# ---- not a workbook ---------------------------------------------------------------------------

@case("damaged")
def corrupt_zip(path):
    data = bytearray(default_bytes())
    info = zipfile.ZipFile(io.BytesIO(default_bytes())).getinfo(part("Suppliers"))
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle:middle + 64] = bytes(64)  # wipe part of the deflate stream
    path.write_bytes(bytes(data))


@case("damaged or truncated")
def truncated_file(path):
    path.write_bytes(default_bytes()[: len(default_bytes()) // 2])


@case("CSV", "save it as .xlsx")
def csv_renamed(path):
    path.write_text("supplier_id,mineral_id,capacity_t_per_yr\nli_aus_chn,lithium,57000\n", encoding="utf-8")


@case("empty")
def empty_file(path):
    path.write_bytes(b"")


@case("password-protected", "File > Info > Protect Workbook")
def password_protected(path):
    path.write_bytes(cfb({"EncryptionInfo": bytes(range(256)) * 2, "EncryptedPackage": bytes(8192)}))


@case("old Excel 97-2003", "save it as .xlsx")
def legacy_xls(path):
    path.write_bytes(cfb({"Workbook": b"\x09\x08\x10\x00" + bytes(4092)}))


@case("some other zip file", "xl/workbook.xml")
def zip_that_is_not_a_workbook(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<document/>")


@case("Excel Binary Workbook (.xlsb)", "save it as .xlsx")
def excel_binary_workbook(path):
    """Excel's binary format (Save As > Excel Binary Workbook), under an .xlsx name: it was "some other zip file"."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", bytes(64))
        z.writestr("xl/worksheets/sheet1.bin", bytes(64))


@case("OpenDocument spreadsheet", "Save As", "Excel 2007-365 (.xlsx)")
def opendocument_spreadsheet(path):
    """LibreOffice's own format, as it saves it (the mimetype part first, stored), under an .xlsx name."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", "<manifest:manifest/>", compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)


@case("UTF-8")
def xml_part_in_utf16(path):
    rezipped(path, {part("Suppliers"): lambda x: x.decode("utf-8").encode("utf-16")})


# ---- hostile files ----------------------------------------------------------------------------

_LAUGHS = b"<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">" + b"".join(
    b"<!ENTITY lol%d \"%s\">" % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10))) for i in range(1, 10)
) + b"]>\n"


@case("DOCTYPE", "entity", hostile=True)
def billion_laughs(path):
    rezipped(path, {part("Suppliers"): lambda x: with_doctype(x, _LAUGHS, "C2", b"&lol9;")})


@case("DOCTYPE", "entity", hostile=True)
def external_entity(path):
    rezipped(path, {part("Suppliers"): lambda x: with_doctype(
        x, b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n', "C2", b"&xxe;")})


@case("DOCTYPE", "entity", hostile=True)
def entity_after_long_comment(path):
    """A DOCTYPE may follow comments; the check must not stop after the first kilobytes."""
    rezipped(path, {part("Suppliers"): lambda x: with_doctype(
        x, b"<!--" + b"padding " * 20_000 + b"-->" + _LAUGHS, "C2", b"&lol9;")})


@case("zip bomb", "bytes uncompressed", hostile=True)
def zip_bomb(path):
    """400 kB that inflate to 400 MB."""
    path.write_bytes(raw_zip(_default_members() + [("xl/media/image1.png", *_zeros(400))]))


@case("damaged", hostile=True)
def zip_bomb_understating_its_size(path):
    """The Suppliers sheet claims 1 kB but inflates to 400 MB; reading stops at the claimed size."""
    raw, crc, _size = _zeros(400)
    members = [m if m[0] != part("Suppliers") else (m[0], raw, crc, 1000) for m in _default_members()]
    path.write_bytes(raw_zip(members))


@case("zip bomb", "compression ratio", hostile=True)
def zip_bomb_one_part(path):
    """One 40 MB part of zeros: within the total, but squeezed a thousand-fold."""
    rezipped(path, {part("Suppliers"): lambda x: x + bytes(40_000_000)})


@case(f"at most {MAX_CELLS:,} cells", hostile=True)
def millions_of_cells(path):
    """2.5 million empty cells, stored uncompressed so only the cell count gives them away."""
    rows = b"".join(b'<row r="%d">' % r + b"<c/>" * 25 + b"</row>" for r in range(1, 100_001))
    rezipped(path, {part("Feedstock"): _sheet(rows)}, compression=zipfile.ZIP_STORED)


@case("XML elements", hostile=True)
def millions_of_rows(path):
    rows = b"<row/>" * 2_000_000
    rezipped(path, {part("Feedstock"): _sheet(rows)}, compression=zipfile.ZIP_STORED)


@case("at most 100,000 rows", "stray value", cell="'Demand'!A150000", hostile=True)
def stray_value_far_below_the_table(path):
    cells(path, {("Demand", "A150000"): "x"})


@case(f"at most {MAX_CELLS:,} cells", hostile=True)
def namespaced_cells_beyond_the_limit(path):
    """More cells than allowed, written <x:c>: a prefix does not make a cell uncounted."""
    rows = b"".join(b'<row r="%d">' % r + b'<c r="A%d"><v>1</v></c>' % r * 3 + b"</row>"
                    for r in range(1, MAX_CELLS // 3 + 1_000))
    rezipped(path, {part("Feedstock"): namespaced(_sheet(rows))}, compression=zipfile.ZIP_STORED)


def _moved(path, to: str, sheet_xml: bytes) -> None:
    """The Feedstock sheet stored as part ``to``, where the workbook's relationships point."""
    target = part("Feedstock").encode()
    rezipped(path, {to: sheet_xml, "xl/_rels/workbook.xml.rels": lambda x: x.replace(b"/" + target,
                                                                                     b"/" + to.encode())},
             compression=zipfile.ZIP_STORED)


@case(f"at most {MAX_CELLS:,} cells", hostile=True)
def worksheet_in_custom_xml(path):
    """1.1 million cells in a part under customXml/, a folder SharePoint writes and readers skip."""
    _moved(path, "customXml/item1.xml",
           _sheet(b"".join(b'<row r="%d">' % r + b"<c/>" * 11 + b"</row>" for r in range(1, 100_001))))


@case(f"at most {MAX_CELLS:,} cells", hostile=True)
def worksheet_in_custom_xml_utf16(path):
    """The same in UTF-16, which custom XML may use: counted all the same."""
    _moved(path, "customXml/item1.xml", _sheet(b"<row>" + b"<c/>" * 300_000 + b"</row>").decode().encode("utf-16"))


@case("xl/media/image1.png", "is named as XML but is not", hostile=True)
def worksheet_named_as_an_image(path):
    """A part named .png is not scanned as XML; it must not be read as a sheet either."""
    _moved(path, "xl/media/image1.png", _sheet(b"<row>" + b"<c/>" * 300_000 + b"</row>"))


# ---- valid workbooks whose size is not their content ------------------------------------------
# Each once cost minutes and gigabytes (the reader walked every row and column of the declared
# range); each must validate, cheaply.

HARMLESS: dict[str, Callable[[Path], None]] = {}


def harmless(write: Callable[[Path], None]):
    HARMLESS[write.__name__] = write
    return write


@harmless
def stray_text_far_right(path):
    cells(path, {("Suppliers", "XFD3000"): "x"}, notes=False)


@harmless
def formatted_empty_cell_far_below(path):
    edited(path, lambda wb: setattr(wb["Demand"]["A150000"], "number_format", "0.00"), notes=False)


@harmless
def whole_grid_declared(path):
    rezipped(path, {part(sheet): lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', x)
                    for sheet in SHEET_ORDER}, notes=False)


@harmless
def as_many_cells_as_allowed(path):
    """The limit's worth of cells, in a row far below each table and right of it."""
    with zipfile.ZipFile(io.BytesIO(default_bytes(False))) as z:  # the default case's own cells (4,253 in 2026-11)
        held = sum(z.read(n).count(b"<c ") for n in z.namelist() if n.startswith("xl/worksheets/"))
    per_sheet = (MAX_CELLS - held) // (len(SHEET_ORDER) - 1)
    far_row = b'<row r="1000000"><c r="AZ1000000"><v>7</v></c>' + b"<c><v>7</v></c>" * (per_sheet - 1) + b"</row>"
    rezipped(path, {part(sheet): lambda x: x.replace(b"</sheetData>", far_row + b"</sheetData>")
                    for sheet in SHEET_ORDER[1:]}, notes=False)


_OPENING_OR_CLOSING_TAG = re.compile(rb"<(/?)(?=[A-Za-z][\w.-]*[\s/>])")


def namespaced(xml: bytes) -> bytes:
    """A part with every element of its default namespace written with the prefix x:."""
    # a function, not the template rb"<\1x:", which Python 3.11 expands at each of a million tags (2.5 times as long)
    xml = _OPENING_OR_CLOSING_TAG.sub(lambda tag: b"</x:" if tag[1] else b"<x:", xml)
    return xml.replace(b' xmlns="', b' xmlns:x="', 1)


def _sheet(rows: bytes) -> bytes:
    return (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + rows + b"</sheetData></worksheet>")


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from (name, raw deflate data, CRC-32, size it claims to inflate to)."""
    local, central = b"", b""
    for name, raw, crc, size in members:
        head = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(raw), size)
        central += (b"PK\x01\x02" + struct.pack("<H", 20) + head
                    + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, len(local)) + name.encode())
        local += b"PK\x03\x04" + head + struct.pack("<HH", len(name), 0) + name.encode() + raw
    return local + central + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members),
                                                             len(central), len(local), 0)


def _deflate(data: bytes) -> bytes:
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return z.compress(data) + z.flush()


def _default_members() -> list[tuple[str, bytes, int, int]]:
    with zipfile.ZipFile(io.BytesIO(default_bytes())) as z:
        return [(n, _deflate(d), zlib.crc32(d), len(d)) for n, d in ((n, z.read(n)) for n in z.namelist())]


@functools.cache
def _zeros(megabytes: int) -> tuple[bytes, int, int]:
    """Raw deflate data, CRC-32 and size of ``megabytes`` MB of zeros, made in milliseconds: once the
    window is all zeros, each sync-flushed megabyte compresses to the same ~1 kB block."""
    chunk = bytes(1 << 20)
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = z.compress(chunk) + z.flush(zlib.Z_SYNC_FLUSH)
    repeat = z.compress(chunk) + z.flush(zlib.Z_SYNC_FLUSH)
    raw = first + repeat * (megabytes - 2) + z.compress(chunk) + z.flush()
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return raw, crc, megabytes * len(chunk)
