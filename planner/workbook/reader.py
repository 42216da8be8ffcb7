"""Workbook -> typed planning dataset.

The reader checks the file (``planner.workbook.safety``), parses every sheet as
``planner.workbook.schema`` describes it, collects *all* problems, runs the semantic
checks of ``planner.workbook.validate`` and returns a :class:`models.dataset.PlanningData`.
It never touches Pyomo.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import MISSING, dataclass, field, replace
from pathlib import Path

from models.dataset import (
    Agreement, Country, Mineral, PlanningData, PolicyLimits, RecyclingOption, RecyclingPlant, Refinery, Settings,
    ShortageSegment, SpotStep, StockpileRule, Stream, Supplier,
)
from planner.workbook import schema as S
from planner.workbook.cells import (
    POSSIBLE_YEARS, Bad, Parser, first_few, horizon_text, letter, norm_key, one_of, warn_outside,
)
from planner.workbook.disruptions import read_disruptions, read_risks
from planner.workbook.errors import Issue, Issues, workbook_order
from planner.workbook.partners import read_partners
from planner.workbook.safety import check_workbook_file, sha256_of
from planner.workbook.scenarios import read_scenarios
from planner.workbook.uncertainty import read_uncertainty
from planner.workbook.validate import case_sound, check_dataset, check_left_out_rows
from planner.workbook.xlsx import Sheet, Workbook, XlsxError

MAX_ROWS = 100_000  # per sheet; a planning case has a few thousand at most
# Sheets of a row per year of the plan: a row of a year outside the horizon is ignored, with a warning.
YEARLY_ROWS = ("Demand", "Feedstock", "Policy")
# Sheets whose years select a span of the plan: one reaching outside the horizon is cut to it (cells.year_span).
# The Disruptions and Disruption risks sheets keep a year outside the horizon an error: their first_year is
# when an event starts (or may start), and one starting before the horizon would be under way at its start, a
# state the case's starting state (stocks, contracts, modules at first_year) does not describe; moved to
# first_year it would be another event, and dropped it would leave a risk out of the plan unseen.
YEAR_SPANS = ("Scenarios", "Uncertainty")
# A sheet's copy as Excel ("Suppliers (2)"), LibreOffice ("Suppliers_2") and Google Sheets ("Copy of Suppliers")
# name it, or a planner does ("suppliers2", "Suppliers copy", "Suppliers - Copy"); matched on the name's norm_key.
_COPY = re.compile(r"(?:copy of )?(.*?)(?:[ _-]*(?:\(\d+\)|\d+|\(?copy\)?(?: ?\(?\d+\)?)?))?")


@dataclass
class Row:
    number: int  # worksheet row
    values: dict[str, object]  # parsed, None when blank
    cells: dict[str, str]  # column name -> "F12"


@dataclass
class Loaded:
    data: PlanningData
    warnings: list[Issue]
    sha256: str
    scenarios: dict = field(default_factory=dict)  # name -> planner.workbook.scenarios.Scenario
    # The parsed rows of every sheet, Settings included: ``case_from_rows`` reads the case again from
    # them, edited (planner sensitivity).
    tables: dict[str, list[Row]] = field(default_factory=dict)
    uncertainty: list = field(default_factory=list)  # the Uncertainty sheet's factors (planner.workbook.uncertainty)


def _read_table(ws: Sheet, sheet: S.Sheet, parser: Parser, issues: Issues) -> list[Row]:
    """Parse one sheet's table: header in row 1, one record per row below it.  Only the cells the
    file holds are visited, so a stray cell far from the table costs nothing."""
    _check_merged(ws, sheet, issues)  # first: a merge over the header hides the column it is reported missing
    expected = {norm_key(c.name): c for c in sheet.columns}
    first = ws.rows.get(1, {})
    header = {j: norm_key(v) for j, v in sorted(first.items())}
    if not any(h in expected for h in header.values()):
        for r in sorted(ws.rows):  # only the rows holding something: however far down the header was moved
            if sum(norm_key(v) in expected for v in ws.rows[r].values()) >= 2:
                issues.error(sheet.name, f"A{r}", "", None,
                             f"the header row in row 1; found headers in row {r}. Delete the rows above it")
                issues.unread.add(sheet.name)
                return []
    colmap: dict[str, int] = {}
    for j, h in header.items():
        if h in expected:
            name = expected[h].name
            if name in colmap:
                issues.error(sheet.name, f"{letter(j)}1", name, first[j],
                             f"each column once; {name} is also in column {letter(colmap[name])}")
            else:
                colmap[name] = j
    unknown = [(j, first[j]) for j, h in header.items() if h not in expected]
    # A merge across the header keeps only its first cell's text: the others read as missing.
    over_header = [ref for ref in ws.merged if re.fullmatch(r"[A-Z]+1(:[A-Z]+\d+)?", ref)]
    why = f"hidden under the merged cells {', '.join(over_header)}?" if over_header else "deleted?"
    for col in sheet.columns:
        if col.name in colmap:
            continue
        hint = difflib.get_close_matches(col.name, [str(v) for _, v in unknown], n=1)
        j = next(j for j, v in unknown if str(v) == hint[0]) if hint else None
        # An optional column may be left out (all blank); renamed, with values under it, they would be ignored.
        if j is not None and (col.required or any(r > 1 and j in cells for r, cells in ws.rows.items())):
            unknown = [(k, v) for k, v in unknown if k != j]  # point at the renamed header itself
            issues.error(sheet.name, f"{letter(j)}1", col.name, hint[0],
                         f"a column headed {col.name!r}; this one looks like it was renamed"
                         + ("" if col.required else ", and the values under it would be ignored"))
        elif col.required:
            issues.error(sheet.name, "1:1", col.name, None, f"a column headed {col.name!r} in row 1; it is missing "
                         f"({why}). Add it back: the About sheet lists every column")
    for j, v in unknown:
        issues.warn(sheet.name, f"{letter(j)}1", "", v, "a known column; this column is ignored")
    if any(c.name not in colmap for c in sheet.columns if c.required):
        issues.unread.add(sheet.name)
        return []

    rows: list[Row] = []
    last = 1  # the last row with data in the table's columns
    for r in sorted(ws.rows):
        raw = {c.name: ws.rows[r].get(colmap[c.name]) if c.name in colmap else None for c in sheet.columns}
        if r == 1 or all(v is None for v in raw.values()):
            continue  # the header, or a row with something only outside the table's columns
        if r > MAX_ROWS:
            name, j = next((name, j) for name, j in colmap.items() if raw[name] is not None)
            issues.error(sheet.name, f"{letter(j)}{r}", name, raw[name],
                         f"a table of at most {MAX_ROWS:,} rows; is this a stray value far below the table? "
                         "Delete it")
            break
        if r > last + 1:
            blank = f"row {last + 1} is" if r == last + 2 else f"rows {last + 1}-{r - 1} are"
            issues.error(sheet.name, f"A{last + 1}", "", None,
                         f"no blank rows inside the table; {blank} empty but data follows. Delete "
                         f"{'it' if r == last + 2 else 'them'}")
        last = r
        if sum(isinstance(v, str) and norm_key(v) == norm_key(name) for name, v in raw.items()) >= 2:
            # A table pasted below with its header: one problem, not one per column ("found 'year'; a number").
            issues.error(sheet.name, f"{r}:{r}", "", None, "a row of data; this row repeats the header row (a table "
                                                           "pasted with its header?). Delete it")
            continue
        values, cells = {}, {}
        for col in sheet.columns:
            # A cell of a column left out is blank; messages point at its row.
            coord = f"{letter(colmap[col.name])}{r}" if col.name in colmap else f"{r}:{r}"
            cells[col.name] = coord
            try:
                values[col.name] = parser.parse(sheet.name, coord, col, raw[col.name])
            except Bad:
                values[col.name] = Bad
                continue
            if values[col.name] is None and col.required:
                issues.error(sheet.name, coord, col.name, None, f"a value; {col.name} is required")
                values[col.name] = Bad  # reported; keep the row out of the dataset
        rows.append(Row(r, values, cells))
    _warn_hidden(ws, sheet, colmap, rows, issues)
    return rows


def _warn_hidden(ws: Sheet, sheet: S.Sheet, colmap: dict[str, int], rows: list[Row], issues: Issues) -> None:
    """Rows and columns of the table hidden in the spreadsheet (Hide, a filter, a collapsed group) are read all
    the same: a planner who hid a supplier's row to leave it out, or filtered the sheet, would plan with what
    the sheet no longer shows, without a word."""
    hidden = [row.number for row in rows if row.number in ws.hidden_rows]
    if hidden:
        runs = _runs(hidden)
        issues.warn(sheet.name, f"{hidden[0]}:{hidden[0]}", "", None,
                    f"every row of the table in view; {'row' if len(hidden) == 1 else 'rows'} {runs} "
                    f"{'is' if len(hidden) == 1 else 'are'} hidden (Hide, or a filter) but read all the same, into "
                    f"the plan. Unhide {'it' if len(hidden) == 1 else 'them'} to check, and delete a row to leave "
                    "it out")
    for name, j in sorted(colmap.items(), key=lambda item: item[1]):
        if any(first <= j <= last for first, last in ws.hidden_columns) and any(
                row.values[name] is not None for row in rows):
            issues.warn(sheet.name, f"{letter(j)}1", name, None,
                        "every column of the table in view; this one is hidden but its values are read all the "
                        "same, into the plan. Unhide it to check them")


def _runs(numbers: list[int]) -> str:
    """Sorted row numbers in runs of consecutive ones: 5, 6, 7, 9 as '5-7, 9'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _check_merged(ws: Sheet, sheet: S.Sheet, issues: Issues) -> None:
    for ref in ws.merged:
        issues.error(sheet.name, ref, "", None,
                     "no merged cells in a data sheet; unmerge them (Home > Merge > Unmerge) and fill each cell")


def _check_unique(sheet: S.Sheet, rows: list[Row], issues: Issues) -> None:
    if not sheet.key:  # a sheet of repeatable rows (Scenarios)
        return
    seen: dict[tuple, Row] = {}
    for row in rows:
        key = tuple(norm_key(row.values[k]) if row.values[k] not in (None, Bad) else "" for k in sheet.key)
        if any(row.values[k] is Bad for k in sheet.key):
            continue
        if key in seen:
            first = seen[key]
            col = sheet.key[0]
            shown = ", ".join(str(row.values[k]) if row.values[k] is not None else "(blank)" for k in sheet.key)
            issues.error(sheet.name, row.cells[col], col, shown,
                         f"a unique {' + '.join(sheet.key)}; the same as row {first.number} "
                         f"({first.cells[col]}), ignoring case, width, spaces and invisible characters")
            row.values["__duplicate__"] = True
        else:
            seen[key] = row


def _settings(rows: list[Row], issues: Issues) -> tuple[Settings, dict[str, str]]:
    """The Settings sheet's parsed rows as Settings, and the cell of each setting given."""
    parser = Parser(issues, None)
    values: dict[str, object] = {}
    cells: dict[str, str] = {}
    for row in rows:
        name = row.values.get("name")
        if name in (None, Bad):
            continue
        spec = S.SETTING_BY_NAME.get(norm_key(name))
        if norm_key(name) in S.RENAMED_SETTINGS:
            issues.error("Settings", row.cells["name"], "name", name,
                         f"a known setting; {norm_key(name)} was replaced by {S.RENAMED_SETTINGS[norm_key(name)]}")
            continue
        if spec is None:
            close = difflib.get_close_matches(norm_key(name), list(S.SETTING_BY_NAME), n=1)
            issues.error("Settings", row.cells["name"], "name", name,
                         "a known setting" + (f"; did you mean {close[0]!r}?" if close else ": "
                                              + ", ".join(S.SETTING_BY_NAME)))
            continue
        coord = row.cells["value"]
        if spec.name in values:
            issues.error("Settings", row.cells["name"], "name", name, f"each setting once; {spec.name} repeats")
            continue
        raw = row.values["value"]
        if raw is Bad:  # reported as the table was read (a formula never calculated, a damaged cell)
            continue
        try:
            v = parser.parse("Settings", coord, spec, raw)
        except Bad:
            continue
        cells[spec.name] = f"'Settings'!{coord}"
        if v is None:
            if spec.default != "":  # a cleared cell plans with the default: a horizon changed without a word
                issues.warn("Settings", coord, spec.name, None,
                            f"a value; the cell is blank, so the default {spec.default} is taken. Type it to keep "
                            "it, or the value you meant")
            continue
        if spec.kind == S.COUNTRY:
            v = str(v).upper()
        values[spec.name] = v
    kwargs = {s.name: values.get(s.name, s.default) for s in S.SETTINGS}
    for s in S.SETTINGS:
        if s.kind == S.YESNO:  # a default is written as the workbook has it
            kwargs[s.name] = kwargs[s.name] in (True, "yes")
    settings = Settings(**kwargs)
    if settings.first_year > settings.last_year:
        issues.error("Settings", cells.get("first_year", "").split("!")[-1], "first_year", settings.first_year,
                     f"first_year <= last_year ({settings.last_year})")
    return settings, cells


def read_workbook(path: str | Path) -> Loaded:
    """Read and check a planning workbook; raise InputError listing every problem."""
    path = Path(path)
    issues = check_workbook_file(path)
    issues.raise_if_errors()
    _warn_if_open(path, issues)
    digest = sha256_of(path)
    try:
        with Workbook(path) as book:
            names = book.sheetnames
            book_hidden, very_hidden = book.hidden_sheets, book.very_hidden
            tabs = _find_sheets(names)
            sheets = {name: book.sheet(tab) for name, tab in tabs.items()}
            pasted = _pasted_tables(book, names, tabs)
            made_from = None if "Settings" in sheets else _report_input(book, names)
    except XlsxError as e:
        issues.error(e.sheet, "", "", e.value, e.expected)
    except Exception as e:  # XML or zip errors the safety scan let through: the file is damaged
        issues.error("", "", "", None, f"a readable .xlsx workbook; it could not be read ({type(e).__name__}: "
                                       f"{str(e)[:200]})")
    issues.raise_if_errors()
    if made_from is not None:  # not each input sheet it lacks: it is not an input at all
        issues.error("", "", "", None, f"a planning workbook (the input, with its Settings, Minerals, Suppliers ... "
                                       f"sheets); this is a report the planner wrote, from {made_from} (its Run "
                                       f"sheet says so). Give that workbook, or write a fresh one with 'planner init'")
        issues.raise_if_errors()

    missing = [s.name for s in S.SHEETS if s.name not in sheets and not s.optional]
    strays = [n for n in names if n not in tabs.values()]  # a renamed sheet is among them
    read = {norm_key(tab): tab for tab in tabs.values()}
    for name in strays:
        # A copy's name, or a tab named as a read one but for case and spaces ('Suppliers ')
        original = read.get(_COPY.fullmatch(norm_key(name))[1])
        if original is not None:  # else it is missing, and named so
            # 'Demand 2030' too: not read, whether a copy or a variant of its own
            issues.warn(name, "", "", None, f"edits on the sheet {original!r}; this sheet, named as a copy of it, is "
                                            f"not read, only {original!r} is. Make your changes there, or delete the "
                                            "copy")
        elif name in pasted:  # 'Sheet1' holding the Demand table pasted with its header
            original = pasted[name]
            issues.warn(name, "", "", None, f"edits on the sheet {original!r}; this sheet, with the same header row "
                                            f"as it, looks like a copy of it and is not read, only {original!r} is. "
                                            "Make your changes there, or delete the copy")
    for name in sorted(book_hidden & set(tabs.values()), key=names.index):
        if name in very_hidden:  # hidden by a macro or a program: Excel's Unhide does not list it, its VBA editor does
            how = ("very hidden (by a macro or a program) but read all the same, into the plan. Excel's Unhide does "
                   "not list it: to check it, press Alt+F11, select the sheet under the workbook's Microsoft Excel "
                   "Objects and set its Visible property to -1 - xlSheetVisible")
        else:
            how = ("hidden but read all the same, into the plan. Unhide it (right-click a sheet tab > Unhide) to "
                   "check it")
        issues.warn(name, "", "", None, f"a sheet in view; this one is {how}")
    for name in missing:
        issues.unread.add(name)
        close = difflib.get_close_matches(name, strays, n=1)
        issues.error(name, "", "", None, f"a sheet named {name!r}; it is missing" +
                     (f": sheet {close[0]!r} looks like it was renamed" if close else
                      " (deleted?). Add it back: README, Workbook reference lists its columns"))
    setting_rows = (_read_table(sheets["Settings"], S.SHEET_BY_NAME["Settings"], Parser(issues, None), issues)
                    if "Settings" in sheets else [])
    settings, _ = _settings(setting_rows, issues)
    years = settings.years if settings.first_year <= settings.last_year else None
    parser = Parser(issues, years)
    tables: dict[str, list[Row]] = {"Settings": setting_rows}
    for sheet in S.SHEETS[1:]:
        if sheet.name in sheets:
            # A year outside the horizon: its row ignored, or its span cut to the horizon (below, and
            # year_span), so a what-if on a shorter horizon runs on the same workbook.
            free = sheet.name in YEARLY_ROWS + YEAR_SPANS and years is not None
            tables[sheet.name] = _read_table(sheets[sheet.name], sheet, Parser(issues, None) if free else parser,
                                             issues)
            if free:
                _check_possible_years(sheet, tables[sheet.name], years, issues)
            if free and sheet.name in YEARLY_ROWS:
                tables[sheet.name] = _in_horizon(sheet.name, tables[sheet.name], years, issues)
            _check_unique(sheet, tables[sheet.name], issues)
        else:
            tables[sheet.name] = []
    _check_emptied(sheets, tables, issues)
    data = case_from_rows(tables, issues, settings_read=True)
    # Scenarios change the case, so they are applied to a sound case only; they come after the
    # disruptions, so that each what-if case keeps them.  The Uncertainty sheet is resolved against the
    # same rows (its ranges are applied by planner sensitivity).  With the case unsound, what both sheets
    # say of themselves (columns, operations, ranges, values) is checked all the same, in the same run;
    # what they select is not, as it may be a bad row's.
    complete = case_sound(issues)
    scenarios = read_scenarios(tables["Scenarios"], data, parser, issues, complete)
    uncertainty = read_uncertainty(tables, data, parser, issues, complete)
    issues.raise_if_errors()
    warnings = sorted((i for i in issues if i.severity != "error"), key=workbook_order)
    return Loaded(data, warnings, digest, scenarios, tables, uncertainty)


def _check_possible_years(sheet: S.Sheet, rows: list[Row], years: range, issues: Issues) -> None:
    """A year no horizon could hold (POSSIBLE_YEARS) on a sheet whose years outside the horizon are ignored or cut
    is an error at its cell all the same, as on any other sheet."""
    for col in sheet.columns:
        if col.kind == S.YEAR:
            for row in rows:
                year = row.values[col.name]
                if year not in (None, Bad) and not POSSIBLE_YEARS.holds(year):
                    issues.error(sheet.name, row.cells[col.name], col.name, year,
                                 f"a year inside {horizon_text(years)}")
                    row.values[col.name] = Bad


def _in_horizon(sheet: str, rows: list[Row], years: range, issues: Issues) -> list[Row]:
    """The rows of a YEARLY_ROWS sheet inside the horizon ``years`` (or with a bad year, reported); the others are
    left out with one warning naming them."""
    kept, outside = [], []
    for row in rows:
        (kept if row.values["year"] in (None, Bad) or row.values["year"] in years else outside).append(row)
    shown = ", ".join(str(y) for y in sorted({r.values["year"] for r in outside}))
    warn_outside(issues, sheet, "year", [r.cells["year"] for r in outside], years,
                 f"row(s) of {shown} are outside it, and ignored")
    return kept


def _pasted_tables(book: Workbook, names: list[str], tabs: dict[str, str]) -> dict[str, str]:
    """The tab read for each stray sheet (none of the workbook's) whose header row is exactly a read sheet's, as
    a table pasted into a new sheet has: row 1 alone is read of it."""
    by_header = {tuple(norm_key(h) for h in S.SHEET_BY_NAME[name].headers): tab for name, tab in tabs.items()}
    out = {}
    for name in names:
        if name in tabs.values():
            continue
        try:
            first = book.sheet(name, header_only=True).rows.get(1, {})
        except Exception:  # a stray part damaged, or a chart sheet: not read, as before, and not ours to judge
            continue
        original = by_header.get(tuple(norm_key(v) for _, v in sorted(first.items())))
        if original is not None:
            out[name] = original
    return out


def _find_sheets(names: list[str]) -> dict[str, str]:
    """The tab of each sheet the workbook has, by the sheet's name: the tab of that name, or else the one tab
    whose name differs from it only in case and spaces (a tab renamed 'suppliers', or 'Suppliers ' with a space
    typed after it).  Excel takes sheet names in any case as the same name; such a sheet was "missing"."""
    tabs = {}
    for sheet in S.SHEETS:
        like = [n for n in names if n == sheet.name] or [n for n in names if norm_key(n) == norm_key(sheet.name)]
        if len(like) == 1:
            tabs[sheet.name] = like[0]
    return tabs


def _check_emptied(sheets: dict[str, Sheet], tables: dict[str, list[Row]], issues: Issues) -> None:
    """A sheet left with its header alone (its rows cut, or cleared) is one error at the sheet when a case
    cannot do without it: the Suppliers sheet, or a sheet whose ids other cells name.  Each such cell was an
    error of its own ("a mineral listed on the Minerals sheet; it has none": 509 of them for an emptied
    Minerals sheet, 815 for Sources), burying the one cause; the sheet is then unread, as a deleted one is."""
    for target, column in dict.fromkeys(S.REFERENCES.values()):  # Countries once, for COUNTRY and COUNTRIES
        if target not in sheets or tables[target] or target in issues.unread:
            continue
        kinds = {kind for kind, (sheet, _) in S.REFERENCES.items() if sheet == target}
        naming = [f"'{name}'!{row.cells[col.name]}" for name, rows in tables.items() for row in rows
                  for col in S.SHEET_BY_NAME[name].columns
                  if col.kind in kinds and row.values[col.name] not in (None, Bad)]
        if naming:
            why = f"{len(naming):,} cell(s) on other sheets name its {column}s (the first: {naming[0]})"
        elif target == "Suppliers":
            why = "a case plans its supply from them"
        else:
            continue
        issues.error(target, "", "", None, f"rows under the header; the sheet has none, and {why}. Were its rows "
                                           "deleted? Put them back")
        issues.unread.add(target)


def _report_input(book: Workbook, names: list[str]) -> str | None:
    """The input workbook a report the planner wrote was made from, as its Run sheet names it (any language's
    sheet name); None for a workbook that is no such report."""
    for name in names:
        if name not in S.SHEET_BY_NAME:
            for cells in book.sheet(name).rows.values():
                if cells.get(1) == S.RUN_INPUT_FACT:
                    return str(cells.get(2, "an input workbook"))
    return None


def open_in(path: Path) -> tuple[str, str] | None:
    """The lock file beside a workbook open in a spreadsheet, and the program: Excel keeps ``~$name``,
    LibreOffice ``.~lock.name#`` (None if there is neither)."""
    for lock, program in ((f"~${path.name}", "Excel"), (f".~lock.{path.name}#", "LibreOffice")):
        if (path.parent / lock).is_file():
            return lock, program
    return None


def _warn_if_open(path: Path, issues: Issues) -> None:
    """A workbook open in a spreadsheet is read as last saved: a planner who has not saved the edits just
    made would plan without them."""
    if (found := open_in(path)) is not None:
        lock, program = found
        issues.warn("", "", "", None, f"a workbook saved and closed; {path.name} looks open in {program} ({lock} is "
                                      "beside it), and this run reads it as last saved: edits not saved yet are not "
                                      "in it. Save it, and run again if you had changed it")


def case_from_rows(tables: dict[str, list[Row]], issues: Issues, settings_read: bool = False) -> PlanningData:
    """The case the parsed rows of every sheet (Settings included) make, with every check of the
    reader; problems go to ``issues``.  ``read_workbook`` reads a file's rows so, and planner
    sensitivity reads rows it edited again so, whatever sheet they are on: every figure the reader
    derives from them (curves, disruption scenarios, crisis prices) follows the edit.
    ``settings_read``: the Settings rows' own problems are reported already."""
    settings, setting_cells = _settings(tables["Settings"], Issues() if settings_read else issues)
    data = _build(settings, tables, issues, setting_cells)
    data.cells.update({("Settings", None, k): v for k, v in setting_cells.items()})
    check_dataset(data, issues, _unread_keys(tables["Demand"], ("mineral_id", "year")))
    check_left_out_rows(tables, issues, lambda row: not _ok(row) and "__duplicate__" not in row.values)
    # Every problem at once: the study sheets are read whatever else is wrong, against the case as far
    # as it is sound (``complete`` keeps them from echoing a bad row of the case).
    complete = case_sound(issues)
    data.disruptions = read_disruptions(tables["Disruptions"], data, issues, complete)
    data.disruption_risks = read_risks(tables["Disruption risks"], data, issues, complete)
    data.partners = read_partners(tables["Partners"], data, issues, _known_ids(tables, S.COUNTRY))
    return data


def _known_ids(t: dict[str, list[Row]], kind: str) -> dict[str, str]:
    """The ids a reference of ``kind`` may name (``schema.REFERENCES``), by ``norm_key``, as their own sheet spells
    them.  An id stays known when another cell of its row is bad, so one typo does not turn every reference to
    it into a second, misleading error."""
    sheet, column = S.REFERENCES[kind]
    return {norm_key(r.values[column]): r.values[column] for r in t.get(sheet, [])
            if isinstance(r.values.get(column), str) and "__duplicate__" not in r.values}


class _Refs:
    """Resolves the cells that name a row of another sheet (``schema.REFERENCES``), on every
    sheet in one pass: a known id becomes the id as its own sheet spells it; an unknown one is
    reported, with the nearest id, and its cell is bad (the row stays out of the dataset)."""

    def __init__(self, t: dict[str, list[Row]], issues: Issues):
        self.issues = issues
        self.known = {kind: _known_ids(t, kind) for kind in S.REFERENCES}

    def expected(self, kind: str, given: list[str]) -> str:
        """What a reference cell must hold: the id nearest to each unknown one, or every id."""
        sheet, column = S.REFERENCES[kind]
        noun = {"mineral_id": "mineral", "country_code": "country"}.get(column, column)
        known = self.known[kind]
        close = [_nearest(norm_key(g), list(known)) for g in given]
        if all(close):
            hint = "did you mean " + ", ".join(known[c[0]] for c in close) + "?"
        else:
            hint = one_of(known.values(), 40)
        if kind == S.COUNTRIES:
            return f"{noun} codes listed on the {sheet} sheet separated by ';' (unknown: {', '.join(given)}; {hint})"
        return f"a {noun} listed on the {sheet} sheet; {hint}"

    def resolve(self, sheet: str, row: Row, col: S.Column) -> None:
        value = row.values[col.name]
        if value is None or value is Bad or isinstance(value, tuple):  # a tuple: countries resolved already
            return
        if S.REFERENCES[col.kind][0] in self.issues.unread:  # its ids are unknown, not wrong: the
            row.values[col.name] = Bad                           # missing sheet or column is the error
            return
        known = self.known[col.kind]
        given = [c.strip() for c in re.split(r"[;,]", value) if c.strip()] if col.kind == S.COUNTRIES else [value]
        unknown = [g for g in given if norm_key(g) not in known]
        if unknown or not given:
            self.issues.error(sheet, row.cells[col.name], col.name, value, self.expected(col.kind, unknown or [value]))
            row.values[col.name] = Bad
            return
        canon = tuple(known[norm_key(g)] for g in given)
        row.values[col.name] = canon if col.kind == S.COUNTRIES else canon[0]


def _nearest(given: str, known: list[str]) -> list[str]:
    """The known id nearest to ``given``, in a list (empty if none is near): the same letters in
    another order first (CLH: CHL, not CHN), then the closest by difflib."""
    swapped = [k for k in known if sorted(k) == sorted(given)]
    return swapped[:1] or difflib.get_close_matches(given, known, n=1)


def _unread_keys(rows: list[Row], key_cols: tuple[str, ...]) -> frozenset[tuple]:
    """The keys of the rows kept out of the case for a bad cell (a duplicate is read, and not among them),
    None for a key cell that is itself bad: the keys such a row may have been meant to hold."""
    return frozenset(tuple(v if (v := row.values[k]) is not Bad else None for k in key_cols)
                     for row in rows if "__duplicate__" not in row.values and not _ok(row))


def _ok(row: Row) -> bool:
    """A row whose every cell parsed and named a known id, and that is not a duplicate."""
    return not any(v is Bad for v in row.values.values()) and "__duplicate__" not in row.values


def _build(settings: Settings, t: dict[str, list[Row]], issues: Issues, setting_cells: dict[str, str]
           ) -> PlanningData:
    cells: dict[tuple, str] = {}

    def remember(sheet: str, key, row: Row) -> None:
        for col, coord in row.cells.items():
            cells[(sheet, key, col)] = f"'{sheet}'!{coord}"

    for row in t["Countries"]:
        if isinstance(row.values.get("country_code"), str):
            row.values["country_code"] = row.values["country_code"].upper()
    refs = _Refs(t, issues)
    home = refs.known[S.COUNTRY].get(norm_key(settings.home_country))
    if home is not None:  # as the Countries sheet spells it ("kor " or a full-width ＫＯＲ is KOR)
        settings = replace(settings, home_country=home)
    elif "Countries" not in issues.unread:
        where = setting_cells.get("home_country", "").split("!")[-1]
        issues.error("Settings", where, "home_country", settings.home_country,
                     refs.expected(S.COUNTRY, [settings.home_country]))
    for name, rows in t.items():
        for row in rows:
            for col in S.SHEET_BY_NAME[name].columns:
                if col.kind in S.REFERENCES:
                    refs.resolve(name, row, col)
        unsourced = [row.cells["source_id"] for row in rows if row.values.get("source_id") is None]
        if unsourced and name not in ("Settings", "Sources"):  # solver options and the currency are no figures
            issues.warn(name, unsourced[0], "source_id", None,
                        f"every figure's source cited from the Sources sheet; {len(unsourced)} row(s) cite none: "
                        f"{first_few(unsourced)}")

    def by(sheet: str, key_cols: tuple[str, ...], make) -> dict:
        out = {}
        for row in t[sheet]:
            if not _ok(row):
                continue
            key = tuple(row.values[k] for k in key_cols)
            key = key[0] if len(key) == 1 else key
            out[key] = make(row.values)
            remember(sheet, key, row)
        return out

    def fields(cls, v: dict, **extra):
        """The dataclass from a row's values; a blank optional cell takes the field's default."""
        spec = cls.__dataclass_fields__
        defaulted = {k for k, f in spec.items() if f.default is not MISSING}
        return cls(**{k: v[k] for k in spec if k in v and k not in extra and not (v[k] is None and k in defaulted)},
                   **extra)

    countries = by("Countries", ("country_code",), lambda v: fields(Country, v))
    minerals = by("Minerals", ("mineral_id",), lambda v: fields(Mineral, v))
    suppliers = by("Suppliers", ("supplier_id",), lambda v: fields(Supplier, v, name=v["name"] or ""))
    demand = by("Demand", ("mineral_id", "year"), lambda v: v["demand_t"])
    streams = _streams(t, issues, remember)
    refineries = by("Refining", ("refinery_id",), lambda v: fields(Refinery, v, name=v["name"] or ""))
    recycling, plants = _recycling(t["Recycling"], streams, refineries, issues, remember, fields)
    feedstock = by("Feedstock", ("mineral_id", "year"), lambda v: v["feedstock_t"])
    stockpile = by("Stockpile", ("mineral_id",), lambda v: fields(StockpileRule, v))
    agreements = by("Agreements", ("agreement_id",), lambda v: fields(Agreement, v))
    policy_rows = by("Policy", ("mineral_id", "year"), lambda v: v)
    world = by("WorldSupply", ("mineral_id", "stage", "country"), lambda v: v["world_share"])
    shortage_curve = _shortage_curves(t["Shortage costs"], issues, remember)
    spot_curve = _spot_curves(t["Spot supply"], issues)
    policy, policy_cells = _resolve_policy(policy_rows, minerals, settings, cells)
    cells.update(policy_cells)
    if issues.sound("Policy"):
        _check_policy_path(policy_rows, settings, cells, issues)
    for m in minerals.keys() - stockpile.keys():
        # No row: no stock, and none can be built.  Every mineral gets a rule, so nothing downstream
        # (the model, the conflict diagnosis, the reports) meets a mineral without one.
        stockpile[m] = StockpileRule(m, 0.0, 0.0, 0.0, 0.0)
    # Every Suppliers row names its refinery, a row with a bad cell elsewhere too; none does if the
    # sheet could not be read.
    fed = {norm_key(r.values["refinery_id"]) for r in t["Suppliers"] if isinstance(r.values.get("refinery_id"), str)}
    for k in (() if "Suppliers" in issues.unread else [k for k in refineries if norm_key(k) not in fed]):
        issues.error(*_split(cells[("Refining", k, "refinery_id")]), "refinery_id", k,
                     "a refinery that some supply option feeds (its refinery_id on the Suppliers sheet); no option "
                     "names this one, so it could refine nothing")
    _check_one_namespace(minerals, suppliers, recycling, plants, refineries, agreements, cells, issues)
    estimated = frozenset(r.values["source_id"] for r in t["Sources"] if _ok(r) and r.values["estimate"] is True)
    return PlanningData(settings, minerals, countries, suppliers, demand, recycling, feedstock, stockpile,
                        agreements, policy, cells, world_share=world, shortage_curve=shortage_curve,
                        spot_curve=spot_curve, streams=streams, recycling_plants=plants, refineries=refineries,
                        estimated_sources=estimated)


def _check_one_namespace(minerals, suppliers, recycling, plants, refineries, agreements, cells, issues) -> None:
    """The model keys its variables, and the mineral each belongs to, by these ids in one map: a supply option named
    as an agreement took that agreement's mineral in the disruptions' recourse (planner stress failed its own
    verification, exit 5), and one named as a mineral tied that mineral's model to its own.  So an id is used once
    across these sheets (looking the same counts, as on one sheet); a second use is an error at its cell.  (A
    recycling option named as a refinery is refused as the Recycling sheet is read.)"""
    owners: dict[str, str] = {}
    fed = {k: o for k, o in recycling.items() if o.plant_id is None}  # a plant's outputs are named plant:mineral
    for sheet, ids, column in (("Minerals", minerals, "mineral_id"), ("Suppliers", suppliers, "supplier_id"),
                               ("Recycling", {**fed, **plants}, "option_id"), ("Refining", refineries, "refinery_id"),
                               ("Agreements", agreements, "agreement_id")):
        for k in ids:
            other = owners.setdefault(norm_key(k), sheet)
            if other != sheet:
                issues.error(*_split(cells[(sheet, k, column)]), column, k,
                             f"an id not used on the {other} sheet too: the model tells what it plans apart by id")


def _split(ref: str) -> tuple[str, str]:
    """"'Refining'!A3" -> ("Refining", "A3")."""
    sheet, _, cell = ref.partition("!")
    return sheet.strip("'"), cell


def _streams(t: dict[str, list[Row]], issues: Issues, remember) -> dict[str, Stream]:
    """Each stream of the Streams sheet with its units put on the market and its lifetime distribution:
    the name, unit and collection rate on its first row, lifetimes adding up to 1."""
    rows: dict[str, list[Row]] = {}
    for row in t["Streams"]:
        if _ok(row):
            rows.setdefault(row.values["stream_id"], []).append(row)
    market: dict[str, dict[int, float]] = {}
    for row in t["Put on market"]:
        if _ok(row):
            market.setdefault(row.values["stream_id"], {})[row.values["year"]] = row.values["units"]
            remember("Put on market", (row.values["stream_id"], row.values["year"]), row)
    life: dict[str, list[Row]] = {}
    for row in t["Lifetimes"]:
        if _ok(row):
            life.setdefault(row.values["stream_id"], []).append(row)
            remember("Lifetimes", (row.values["stream_id"], row.values["age_yr"]), row)
    out = {}
    for f, members in rows.items():
        head = members[0].values
        ok = True
        if head["collection_rate"] is None:
            issues.error("Streams", members[0].cells["collection_rate"], "collection_rate", None,
                         f"a collection rate on the first row of stream {f!r}")
            ok = False
        shares = life.get(f, [])
        total = sum(r.values["share_retiring"] for r in shares)
        if abs(total - 1.0) > 1e-6:
            where = shares[-1] if shares else None
            if issues.sound("Lifetimes"):
                issues.error("Lifetimes", where.cells["share_retiring"] if where else "", "share_retiring",
                             round(total, 6), f"shares of stream {f!r} adding up to 1 (a lifetime distribution: "
                                              "every unit retires at some age)")
            ok = False
        if not market.get(f):
            if issues.sound("Put on market"):  # else its rows may be the ones reported
                issues.error("Streams", members[0].cells["stream_id"], "stream_id", f,
                             "a stream with units put on the market in some year (Put on market sheet)")
            ok = False
        if ok:
            out[f] = Stream(f, head["name"] or f, head["unit"] or "units", head["collection_rate"],
                            {r.values["mineral_id"]: r.values["content_t_per_unit"] for r in members},
                            {r.values["mineral_id"]: r.values["recovery_yield"] for r in members},
                            market[f], {r.values["age_yr"]: r.values["share_retiring"] for r in shares})
            for r in members:
                remember("Streams", (f, r.values["mineral_id"]), r)
    return out


def _recycling(rows: list[Row], streams: dict[str, Stream], refineries: dict, issues: Issues, remember, fields
               ) -> tuple[dict[str, RecyclingOption], dict[str, RecyclingPlant]]:
    """The Recycling sheet's options: one fed by the Feedstock sheet (a mineral and a yield), or a plant
    processing a stream (a stream_id; its outputs are the stream's minerals, ``option:mineral``)."""
    options, plants = {}, {}
    for row in rows:
        v = row.values
        if not _ok(row):
            continue
        k = v["option_id"]
        if k in refineries:
            issues.error("Recycling", row.cells["option_id"], "option_id", k,
                         "an id not used on the Refining sheet too (modules are counted by id)")
            continue
        if ":" in k:  # 'bat_hydro:lithium' took the place of plant bat_hydro's lithium output, which was left out
            issues.error("Recycling", row.cells["option_id"], "option_id", k,
                         "an id without ':': the planner names each mineral a plant recovers from its stream "
                         "<option_id>:<mineral>, and this id could be one of them")
            continue
        stream = v["stream_id"]
        if stream is None:
            missing = [c for c in ("mineral_id", "recovery_yield") if v[c] is None]
            for c in missing:
                issues.error("Recycling", row.cells[c], c, None, f"a value: {c} is required for an option fed by "
                                                                 "the Feedstock sheet (or a stream_id for a plant)")
            if not missing:
                options[k] = fields(RecyclingOption, v)
                remember("Recycling", k, row)
            continue
        given = [c for c in ("mineral_id", "recovery_yield") if v[c] is not None]
        for c in given:
            issues.error("Recycling", row.cells[c], c, v[c], f"blank for a plant processing stream {stream!r}: it "
                                                             "recovers every mineral of the stream at the yields of "
                                                             "the Streams sheet")
        if given or stream not in streams:
            continue  # an unknown stream is reported by its reference, a bad one on its sheet
        plants[k] = fields(RecyclingPlant, v, plant_id=k)
        remember("Recycling", k, row)
        for m, content in streams[stream].content_t_per_unit.items():
            out = f"{k}:{m}"
            options[out] = RecyclingOption(out, m, v["module_capacity_t_per_yr"], v["capital_cost_usd_per_module"],
                                           0.0, v["existing_modules"], v["max_modules"], v["lead_time_yr"],
                                           streams[stream].recovery_yield[m], v["life_yr"], plant_id=k)
            remember("Recycling", out, row)
    return options, plants


def _grouped(rows: list[Row], blank_ok: bool) -> dict[str, list[Row]]:
    """Rows of a curve sheet by mineral, in sheet order (a blank mineral is "" where ``blank_ok``)."""
    out: dict[str, list[Row]] = {}
    for row in rows:  # references are resolved already: a mineral here is on the Minerals sheet
        m = row.values["mineral_id"]
        if not _ok(row) or (m is None and not blank_ok):
            continue
        out.setdefault(m or "", []).append(row)
    return out


def _shortage_curves(rows: list[Row], issues: Issues, remember) -> dict[str, tuple]:
    """Each mineral's shortage cost steps: ends rising, each above 0, costs never falling."""
    sheet = "Shortage costs"
    out = {}
    for m, steps in _grouped(rows, blank_ok=False).items():
        ok, end, cost = True, 0.0, 0.0
        for row in steps:
            v = row.values
            if v["segment_end_share"] <= end:
                issues.error(sheet, row.cells["segment_end_share"], "segment_end_share", v["segment_end_share"],
                             f"a step end above {end:g} (the previous step of {m}): the rows of a mineral run from "
                             "the shallowest shortage to the deepest, each ending further")
                ok = False
            if v["cost_usd_per_t"] < cost:
                issues.error(sheet, row.cells["cost_usd_per_t"], "cost_usd_per_t", v["cost_usd_per_t"],
                             f"at least {cost:,.0f} USD/t (the previous step of {m}): a deeper shortage never costs "
                             "less per tonne")
                ok = False
            end, cost = max(end, v["segment_end_share"]), max(cost, v["cost_usd_per_t"])
        if ok:
            out[m] = tuple(ShortageSegment(r.values["segment_end_share"], r.values["cost_usd_per_t"],
                                           r.values["segment"] or "") for r in steps)
            for r in steps:
                remember(sheet, (m, r.values["segment_end_share"]), r)
    return out


def _spot_curves(rows: list[Row], issues: Issues) -> dict[str, tuple]:
    """Each mineral's (or, under "", every other mineral's) spot supply steps: shares adding up to 1,
    price factors never falling."""
    sheet = "Spot supply"
    out = {}
    for m, steps in _grouped(rows, blank_ok=True).items():
        ok, factor = True, 1.0
        for row in steps:
            if row.values["price_factor"] < factor:
                issues.error(sheet, row.cells["price_factor"], "price_factor", row.values["price_factor"],
                             f"at least {factor:g} (the step before): the spot price never falls as Korea buys more")
                ok = False
            factor = max(factor, row.values["price_factor"])
        total = sum(r.values["share_of_spare"] for r in steps)
        if abs(total - 1.0) > 1e-6:
            last = steps[-1]
            issues.error(sheet, last.cells["share_of_spare"], "share_of_spare", last.values["share_of_spare"],
                         f"shares of {m or 'the all-minerals rows'} adding up to 1 (they add up to {total:.4g})")
            ok = False
        if ok:
            out[m] = tuple(SpotStep(r.values["share_of_spare"], r.values["price_factor"]) for r in steps)
    return out


def _check_policy_path(rows: dict, settings: Settings, cells: dict, issues: Issues) -> None:
    """A warning for a year of the horizon without an all-minerals row where other years have one: a row deleted by
    accident (the strategy's target year 2030's, say, or the last, or Settings last_year raised past the rows) left
    that year without a limit for every mineral without a value of its own, and the plan bought 86-100% from China
    in it without a word.  The warning is at the year cell of the row before the first year missing (or after)."""
    years = sorted(y for m, y in rows if m is None and y in settings.years)
    if not years:
        return
    missing = [y for y in settings.years if y not in years]
    if not missing:
        return
    near = max((y for y in years if y < missing[0]), default=years[0])
    shown = ", ".join(map(str, missing))
    issues.warn(*_split(cells[("Policy", (None, near), "year")]), "year", near,
                f"an all-minerals row (mineral_id blank) in every year from {settings.first_year} to "
                f"{settings.last_year}; {shown} {'has' if len(missing) == 1 else 'have'} none, so a limit applies then "
                "only where a mineral's own row sets it (add the row, with its cells blank where no limit is meant)")


def _resolve_policy(rows: dict, minerals: dict, settings: Settings, cells: dict):
    """Per mineral-year limits: a mineral row's non-blank value overrides the all-minerals row."""
    policy: dict[tuple[str, int], PolicyLimits] = {}
    where: dict[tuple, str] = {}
    for m in minerals:
        for y in settings.years:
            chosen = {}
            for name in S.POLICY_LIMITS:
                for key in ((m, y), (None, y)):
                    row = rows.get(key)
                    if row is not None and row[name] is not None:
                        chosen[name] = row[name]
                        where[("Policy", (m, y), name)] = cells[("Policy", key, name)]
                        break
            if chosen:
                policy[(m, y)] = PolicyLimits(**chosen)
    return policy, where
