"""Sources notes that quote the cells quote them right (issue 20, 5).

A Sources row's ``figures`` and ``note`` say which cells it backs and how they were derived, and often
repeat them: a project's start year, a delivery probability, the deepest step of a shortage curve.
The convention (README, "The default case") makes every such figure checkable:

- a number written in a unit the cells carry (a year; a share as % or as a decimal; a rate %/yr;
  t, kt or MWh; USD, USD m, USD/t; days; years; a factor x 1.25, +50%) is a value of a cell of a row
  citing that source, exactly as stored (a range: both ends).  After a row id (``li_kaz_kaz``) it is
  a value of that row, whichever source the row cites; after a column name (``delivery_probability``)
  a value of that column;
- the working of a derivation stands in square brackets, ``max_stock_t = [40% of 2035 demand]``:
  its inputs and steps are not cells;
- figures from the literature stand in the ``source`` column beside their citation.

A number in a unit no column of those rows has (USD/kg, kWh; a rate where no column is a rate)
cannot contradict them and is left alone, as are whole numbers without a unit (counts), numbers
that are part of a name (NMC811, 30D) or a date (2024-03-13), and the years and ages that index
rows (Demand year, Lifetimes age_yr).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from planner.workbook import schema as S
from planner.workbook.defaults import load_default_tables

# The units a figure and a cell are compared in.
YEAR, SHARE, RATE, AMOUNT, USD, DAYS, YEARS, FACTOR, NUMBER = (
    "year", "share", "share/yr", "amount", "USD", "days", "years", "factor", "number")

# The id by which a note names a row and a message finds it.  Settings are named by their column
# (spot_multiplier_max), as first_year is also a Suppliers column.
_ROW_IDS = {"Suppliers": "supplier_id", "Recycling": "option_id", "Refining": "refinery_id",
            "Agreements": "agreement_id", "Streams": "stream_id", "Put on market": "stream_id",
            "Lifetimes": "stream_id", "Scenarios": "scenario", "Disruptions": "disruption",
            "Disruption risks": "risk"}
_QUOTABLE = S.NUMERIC + (S.SHARES, S.RAW)
# Text columns that hold countries with shares ("PHL:0.3;IDN:0.2"): their shares are cells too.
_COUNTRY_SHARES = {"main_suppliers"}


@dataclass(frozen=True)
class Cell:
    sheet: str
    address: str  # e.g. K7
    row: str  # how a reader finds the row: its id, and its year where rows differ by year
    column: str
    value: float
    unit: str

    def __str__(self) -> str:
        row = "" if self.row == self.column else f" {self.row}"
        return f"'{self.sheet}'!{self.address}{row} {self.column} = {self.value:g}"


@dataclass
class Cells:
    """The numeric cells a note can quote, and the units of their columns: a blank cell's column
    too, as a figure for a blank cell contradicts it."""

    cells: list[Cell] = field(default_factory=list)
    columns: dict[str, set[str]] = field(default_factory=dict)

    @property
    def units(self) -> set[str]:
        return set().union(*self.columns.values())

    def only(self, column: str) -> Cells:
        return Cells([c for c in self.cells if c.column == column], {column: self.columns[column]})


@dataclass(frozen=True)
class Figure:
    text: str  # as written
    values: tuple[float, ...]  # in the cells' units: a share as a fraction, USD m as USD
    unit: str

    def compares(self, unit: str) -> bool:
        return self.unit == unit or (self.unit == NUMBER and unit != YEAR)


def _unit(sheet: str, column: str, unit: str, kind: str, row: dict) -> str:
    if kind == S.YEAR or unit == "year":
        return YEAR
    if sheet == "Disruptions" and column == "duration":
        return DAYS if row.get("duration_unit") == "days" else YEARS
    if sheet == "Scenarios" and column == "value":  # in the unit of the what-if's lever
        return {"policy": SHARE, "edit": YEARS}.get(str(row.get("lever")), FACTOR)
    if "USD" in unit:
        return USD
    if unit in ("t", "t/yr", "t/month", "t/unit", "units"):
        return AMOUNT
    if unit == "share/yr":
        return RATE
    if kind in (S.SHARE, S.SHARES):
        return SHARE
    return {"days": DAYS, "yr": YEARS, "x": FACTOR}.get(unit, NUMBER)


def cells(tables: dict) -> tuple[dict[str, Cells], dict[str, Cells]]:
    """The numeric cells by the source their row cites, and by the id of their row."""
    by_source: dict[str, Cells] = {}
    by_row: dict[str, Cells] = {}
    for sheet in S.SHEETS:
        if sheet.name == "Sources":
            continue
        id_col = _ROW_IDS.get(sheet.name) or next((c.name for c in sheet.columns if c.kind in (S.ID, S.MINERAL)), "")
        for i, row in enumerate(tables[sheet.name]):
            if sheet.name == "Settings":
                s = S.SETTING_BY_NAME[row["name"]]
                columns = [(s.name, s.unit, s.kind, row["value"], "B")] if s.kind in S.NUMERIC else []
                label = s.name
            else:
                columns = [(c.name, c.unit, S.SHARES if c.name in _COUNTRY_SHARES else c.kind, row[c.name],
                            get_column_letter(j + 1))
                           for j, c in enumerate(sheet.columns) if (c.kind in _QUOTABLE or c.name in _COUNTRY_SHARES)
                           and not (c.name in sheet.key and c.kind in (S.YEAR, S.INTEGER))]  # Demand year
                label = " ".join(str(row[k]) for k in (id_col, "year") if row.get(k) is not None) or "all minerals"
            owners = [by_source.setdefault(row["source_id"], Cells())] if row.get("source_id") else []
            if sheet.name in _ROW_IDS:
                owners.append(by_row.setdefault(str(row[_ROW_IDS[sheet.name]]), Cells()))
            for name, unit, kind, value, letter in columns:
                u = _unit(sheet.name, name, unit, kind, row)
                try:
                    values = [float(x.rpartition(":")[2]) for x in str(value).split(";")] if value is not None else []
                except ValueError:  # a what-if's text value ("yes")
                    continue
                for owner in owners:
                    owner.columns.setdefault(name, set()).add(u)
                    owner.cells += [Cell(sheet.name, f"{letter}{i + 2}", label, name, x, u) for x in values]
    return by_source, by_row


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE = re.compile(
    rf"(?<![\w.,/-])(?P<pre>USD\s|\+|x\s)?(?P<a>{_NUM})(?:-(?P<b>{_NUM}))?"
    r"(?P<unit>%/yr|%|\s(?:m|bn)\b(?:/t)?|/t\b|/(?:kg|lb|mtu)\b|\s(?:t/yr|t|kt|Mt|MWh)\b"
    r"|\s(?:GWh|kWh|kg|million)\b|[\s-]days?\b|[\s-](?:more\s)?years?\b|\syr\b(?!/)|\sx\b|\stimes\b)?"
    r"(?![\w%])")
_DATE = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})(?:-\d{2})?\b")
_WORKING = re.compile(r"\[[^\]]*\]")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def figures(text: str) -> list[Figure]:
    """The numbers of a stretch of text that could be cells, in the cells' units."""
    # 2024-03-13 and 2023-01 are dates; 2021-22 is a range of years.
    text = _DATE.sub(lambda m: m.group() if int(m.group("m")) > int(m.group("y")[2:]) else "date", text)
    out = []
    for m in _FIGURE.finditer(text):
        pre, unit = (m.group("pre") or "").strip(), (m.group("unit") or "").strip(" -")
        a, b = m.group("a"), m.group("b")
        values = (_number(a),) + ((_number(b),) if b else ())
        if unit == "%/yr":
            out.append(Figure(m.group(), tuple(v / 100 for v in values), RATE))
        elif unit == "%" and pre == "+":  # +50%: a factor of 1.5
            out.append(Figure(m.group(), tuple(1 + v / 100 for v in values), FACTOR))
        elif unit == "%":
            out.append(Figure(m.group(), tuple(v / 100 for v in values), SHARE))
        elif unit in ("m", "m/t", "bn", "/t") or (pre == "USD" and not unit):
            scale = {"m": 1e6, "m/t": 1e6, "bn": 1e9}.get(unit, 1)
            out.append(Figure(m.group(), tuple(v * scale for v in values), USD))
        elif unit in ("t/yr", "t", "kt", "Mt", "MWh"):
            scale = {"kt": 1e3, "Mt": 1e6}.get(unit, 1)
            out.append(Figure(m.group(), tuple(v * scale for v in values), AMOUNT))
        elif unit.startswith("day"):
            out.append(Figure(m.group(), values, DAYS))
        elif unit.endswith(("year", "years")) or unit == "yr":
            out.append(Figure(m.group(), values, YEARS))
        elif unit in ("x", "times") or pre == "x":
            out.append(Figure(m.group(), values, FACTOR))
        elif unit:  # USD/kg, kWh, GWh, kg: no cell is in these units
            continue
        elif re.fullmatch(r"(19|20)\d\d", a):
            out.append(Figure(m.group(), (values[0], _number(a[:2] + b) if b and len(b) == 2 else values[-1]), YEAR))
        elif "." in a or "," in a:  # 0.65, 39,500: a value without its unit
            out.append(Figure(m.group(), values, NUMBER))
    return out


def _clauses(text: str) -> list[str]:
    """The text without its [working], split at ';' and at the end of each sentence, not inside brackets."""
    text = _WORKING.sub(" ", text)
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and (ch == ";" or (ch == "." and (i + 1 == len(text) or text[i + 1] == " "))):
            out.append(text[start:i])
            start = i + 1
    return out + [text[start:]]


def _misquotes(text: str, quoted: Cells) -> list[Figure]:
    """The figures of the text that are in a unit of the quoted cells' columns and no such cell."""
    def is_cell(f: Figure) -> bool:
        return all(any(abs(c.value - v) <= 1e-9 * max(1.0, abs(v)) for c in quoted.cells if f.compares(c.unit))
                   for v in f.values)
    return [f for f in figures(text) if any(f.compares(u) for u in quoted.units) and not is_cell(f)]


class NoteChecker:
    """Reads Sources rows against the cells of a workbook's tables."""

    def __init__(self, tables: dict):
        self.by_source, self.by_row = cells(tables)
        columns = {c.name for sh in S.SHEETS for c in sh.columns if "_" in c.name and c.kind in _QUOTABLE}
        columns |= {s.name for s in S.SETTINGS if s.kind in S.NUMERIC}
        self.names = re.compile(r"\b(" + "|".join(sorted(map(re.escape, set(self.by_row) | columns), key=len,
                                                           reverse=True)) + r")\b")

    def contradictions(self, source: dict) -> list[str]:
        """Every figure of the row's figures and note that no cell it speaks for holds."""
        sid, found = source["source_id"], []
        for text_column in ("figures", "note"):
            for clause in _clauses(source.get(text_column) or ""):
                # A clause speaks for the rows citing the source; after a row id for that row, after a
                # column name for that column of them.
                whose, rows, column, start = f"the cells citing {sid}", self.by_source.get(sid, Cells()), None, 0
                for m in list(self.names.finditer(clause)) + [None]:
                    end = m.start() if m else len(clause)
                    quoted = rows.only(column) if column else rows
                    for f in _misquotes(clause[start:end], quoted):
                        near = sorted((c for c in quoted.cells if f.compares(c.unit)),
                                      key=lambda c: min(abs(c.value - v) for v in f.values))[:3]
                        found.append(f"Sources {sid} {text_column}: {f.text.strip()!r} is no {f.unit} of {whose}"
                                     + (f" {column}" if column else "") + "; nearest: "
                                     + ("; ".join(map(str, near)) or f"none (those {f.unit} cells are blank)"))
                    if m and m.group() in self.by_row:
                        whose, rows, column = f"row {m.group()}", self.by_row[m.group()], None
                    elif m and m.group() in rows.columns:
                        column = m.group()
                    start = m.end() if m else end
        return found


def test_every_figure_a_note_gives_for_a_cell_is_that_cell():
    tables = load_default_tables()
    checker = NoteChecker(tables)
    found = [line for source in tables["Sources"] for line in checker.contradictions(source)]
    assert not found, "\n".join(found)


def test_every_name_a_note_gives_is_in_the_workbook():
    """A row id, column, setting or source a note names exists (Sources once named li_us_usa for
    li_usa_usa); a research file is named with its extension (korea_facts.md)."""
    tables = load_default_tables()
    _by_source, by_row = cells(tables)
    known = set(by_row) | {s["source_id"] for s in tables["Sources"]} | {s.name for s in S.SETTINGS}
    known |= {c.name for sheet in S.SHEETS for c in sheet.columns}
    unknown = [(s["source_id"], name) for s in tables["Sources"] for text in (s["figures"], s["note"] or "")
               for name in re.findall(r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+(?:_\*)?(?![\w.]*\.md)", text)
               if not (name in known or name.endswith("_*") and any(k.startswith(name[:-1]) for k in known))]
    assert unknown == []


def test_a_planted_contradiction_is_reported_with_its_source_and_cells():
    tables = load_default_tables()
    checker, sources = NoteChecker(tables), {s["source_id"]: s for s in tables["Sources"]}

    def contradictions(source_id: str, note: str) -> list[str]:
        return checker.contradictions(dict(sources[source_id], note=note))

    row = {s["supplier_id"]: i + 2 for i, s in enumerate(tables["Suppliers"])}
    col = {c.name: get_column_letter(j + 1) for j, c in enumerate(S.SHEET_BY_NAME["Suppliers"].columns)}

    # The Kazakh lithium note as it was: "from 2027" while the cell says 2032.
    (found,) = contradictions("proj_kaz_lithium", "estimate: first deliveries from 2027.")
    assert found == ("Sources proj_kaz_lithium note: '2027' is no year of the cells citing proj_kaz_lithium; "
                     f"nearest: 'Suppliers'!{col['first_year']}{row['li_kaz_kaz']} li_kaz_kaz first_year = 2032; "
                     f"'Suppliers'!{col['last_year']}{row['li_kaz_kaz']} li_kaz_kaz last_year = 2035")

    # A percentage that differs: Iluka's projects are 70% likely, not 75%; a range with one end off.
    (found,) = contradictions("proj_iluka", "estimate: delivery_probability 75%, from 2027.")
    assert "'75%' is no share of the cells citing proj_iluka delivery_probability" in found
    odds = col["delivery_probability"]
    assert f"'Suppliers'!{odds}{row['nd_aus_aus']} nd_aus_aus delivery_probability = 0.7" in found
    (found,) = contradictions("proj_new_refineries", "estimate: delivery_probability 60-75%.")
    assert "'60-75%'" in found
    # Without a column name a share may be any share of the rows (60% is a ramp-up step of w_uzb_uzb);
    # after one it is that column's.
    assert contradictions("proj_uzb_tungsten", "estimate: 60% likely.") == []
    (found,) = contradictions("proj_uzb_tungsten", "estimate: delivery_probability 60%.")
    assert "w_uzb_uzb delivery_probability = 0.3" in found

    # Tonnes after a row id are that row's, in a note no row cites too; kt is 1,000 t.
    (found,) = contradictions("china_routes", "li_aus_chn 220 kt/yr; li_chl_chn 150,000 t/yr.")
    assert found.startswith("Sources china_routes note: '150,000 t/yr' is no amount of row li_chl_chn; nearest: "
                            f"'Suppliers'!{col['capacity_t_per_yr']}{row['li_chl_chn']} li_chl_chn "
                            "capacity_t_per_yr = 140000")

    # A figure for a cell left blank is reported too: the DR Congo risk types no spot multiplier.
    (found,) = contradictions("risk_drc_cobalt", "estimate: spot price x 1.8.")
    assert "'x 1.8' is no factor" in found and "cells are blank" in found

    # What the convention leaves alone: the working in brackets, units no cell has, names and dates.
    for note in ("estimate: max_stock_t = [40% of 2035 demand, 2% of the price], rounded.",
                 "estimate: USD 330/mtu WO3 (2024-05-06), 25 kWh a car, NMC811, 3 lines.",
                 "estimate: 70% likely, from 2027 with ramp_up 30%, 60% and 85% in its first years."):
        assert contradictions("proj_iluka", note) == [], note
    # ...but outside the brackets a derivation's result is a claim about the cell.
    assert contradictions("sup_tungsten", "estimate: APT [USD 330/mtu x 88] = USD 30,000/t.")
