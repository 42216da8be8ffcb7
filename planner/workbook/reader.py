"""Workbook -> typed planning dataset.

The reader checks the file (``planner.workbook.safety``), parses every sheet as
``planner.workbook.schema`` describes it, collects *all* problems, runs the semantic
checks of ``planner.workbook.validate`` and returns a :class:`models.dataset.PlanningData`.
It never touches Pyomo.
"""

from __future__ import annotations

import difflib
import re
import warnings
import zipfile
from dataclasses import MISSING, dataclass, field
from pathlib import Path

from models.dataset import (
    Agreement, Country, Mineral, PlanningData, PolicyLimits, RecyclingOption, Settings, StockpileRule,
    Supplier,
)
from planner.workbook import schema as S
from planner.workbook.cells import Bad, Parser, letter, norm_key
from planner.workbook.errors import InputError, Issue, Issues
from planner.workbook.safety import check_workbook_file, sha256_of
from planner.workbook.scenarios import read_scenarios
from planner.workbook.validate import check_dataset

MAX_ROWS = 100_000  # per sheet; a planning case has a few thousand at most
HEADER_SEARCH_ROWS = 10
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


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
    counts: dict[str, int] = field(default_factory=dict)
    scenarios: dict = field(default_factory=dict)  # name -> planner.workbook.scenarios.Scenario


def _open(path: Path, issues: Issues):
    """Open with openpyxl; any failure becomes a clean issue, at its cell when one can be found."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # notes on unsupported Excel extensions mean nothing to a planner
            return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        try:
            unreadable = _unreadable_cells(path)
        except Exception:  # the parts are malformed beyond one cell: the message below says it all
            unreadable = []
        for sheet, coord, header, text, expected in unreadable:
            issues.error(sheet, coord, header, text, expected)
        if not unreadable:
            issues.error("", "", "", None, f"a readable .xlsx workbook; it could not be opened "
                                           f"({type(exc).__name__}: {str(exc)[:200]})")
        return None


def _unreadable_cells(path: Path) -> list[tuple[str, str, str, str, str]]:
    """(sheet, cell, column header, stored text, expected) of each cell whose stored value openpyxl
    cannot read, as other programs may write them: NaN, INF or 1,5 in a number cell, or a boolean
    that is not 0 or 1.  The rules are those of openpyxl's cell parser (``_cast_number``)."""
    from defusedxml.ElementTree import fromstring, iterparse

    found = []
    with zipfile.ZipFile(path) as z:
        rels = {r.get("Id"): r.get("Target", "") for r in fromstring(z.read("xl/_rels/workbook.xml.rels"))}
        strings = []
        if "xl/sharedStrings.xml" in z.namelist():
            strings = ["".join(si.itertext()) for si in fromstring(z.read("xl/sharedStrings.xml"))]

        def shown(el, kind: str, text: str | None) -> str:
            if kind == "inlineStr":
                return "".join(el.itertext())
            if kind == "s" and text and text.isdigit() and int(text) < len(strings):
                return strings[int(text)]
            return text or ""

        for sheet in fromstring(z.read("xl/workbook.xml")).iter(f"{_MAIN}sheet"):
            target = rels.get(sheet.get(f"{_REL}id"), "")
            headers: dict[str, str] = {}  # column letters -> header text, to name a bad cell's column
            with z.open(target.lstrip("/") if target.startswith("/") else "xl/" + target) as part:
                for _, el in iterparse(part):
                    if el.tag != f"{_MAIN}c":
                        continue
                    coord, kind, text = el.get("r", ""), el.get("t", "n"), el.findtext(f"{_MAIN}v")
                    letters = coord.rstrip("0123456789")
                    if coord == f"{letters}1":
                        headers[letters] = shown(el, kind, text)
                    elif text and kind in ("n", "b") and _cast(kind, text) is None:
                        expected = ("a finite number; NaN and infinity cannot be planned with" if _cast("f", text)
                                    is not None else "a number; the program that wrote the file stored text that "
                                    "is not a number here (a decimal comma?). Retype the cell and save")
                        found.append((sheet.get("name"), coord, headers.get(letters, ""), text, expected))
                    el.clear()
    return found


def _cast(kind: str, text: str) -> float | None:
    """The number openpyxl reads from a stored value of cell type ``kind`` ('n', 'b'; 'f' for any
    float), or None where it fails."""
    try:
        if kind == "f" or (kind == "n" and any(ch in text for ch in ".eE")):
            return float(text)
        return int(text)
    except ValueError:
        return None


def _formula_cells_without_value(path: Path, wb_values) -> set[tuple[str, str]]:
    """(sheet, coordinate) of formula cells with no cached result.

    A workbook written by a program and never opened in Excel has formulas
    but no computed values; reading them as blanks would silently drop data.
    """
    with zipfile.ZipFile(path) as z:
        if not any(
            (b"<f>" in z.read(n) or b"<f " in z.read(n))
            for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")
        ):
            return set()
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=False, read_only=True)
    out = set()
    try:
        for ws in wb.worksheets:
            if ws.title not in S.SHEET_BY_NAME:
                continue
            values = wb_values[ws.title]
            for row in ws.iter_rows():
                for c in row:
                    if getattr(c, "data_type", None) == "f" and values[c.coordinate].value is None:
                        out.add((ws.title, c.coordinate))
    finally:
        wb.close()
    return out


def _read_table(ws, sheet: S.Sheet, parser: Parser, issues: Issues, uncalculated: set) -> list[Row]:
    """Parse one sheet's table: header in row 1, one record per row below it."""
    if ws.max_row > MAX_ROWS:
        issues.error(sheet.name, "", "", f"{ws.max_row:,} rows", f"at most {MAX_ROWS:,} rows")
        return []
    grid = list(ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True))
    expected = {norm_key(c.name): c for c in sheet.columns}
    header = [norm_key(v) if v is not None else "" for v in (grid[0] if grid else ())]
    if not any(h in expected for h in header):
        for r in range(1, min(HEADER_SEARCH_ROWS, len(grid))):
            if sum(norm_key(v) in expected for v in grid[r] if v is not None) >= 2:
                issues.error(sheet.name, f"A{r + 1}", "", None,
                             f"the header row in row 1; found headers in row {r + 1}. Delete the rows above it")
                return []
    colmap: dict[str, int] = {}
    for j, h in enumerate(header):
        if h in expected:
            name = expected[h].name
            if name in colmap:
                issues.error(sheet.name, f"{letter(j + 1)}1", name, grid[0][j],
                             f"each column once; {name} is also in column {letter(colmap[name] + 1)}")
            else:
                colmap[name] = j
    unknown = [(j, grid[0][j]) for j, h in enumerate(header) if h and h not in expected]
    for col in sheet.columns:
        if col.name not in colmap:
            hint = difflib.get_close_matches(col.name, [str(v) for _, v in unknown], n=1)
            if hint:  # point at the renamed header itself
                j = next(j for j, v in unknown if str(v) == hint[0])
                unknown = [(k, v) for k, v in unknown if k != j]
                issues.error(sheet.name, f"{letter(j + 1)}1", col.name, hint[0],
                             f"a column headed {col.name!r}; this one looks like it was renamed")
            else:
                issues.error(sheet.name, "1:1", col.name, None, f"a column headed {col.name!r} in row 1")
    for j, v in unknown:
        issues.warn(sheet.name, f"{letter(j + 1)}1", "", v, "a known column; this column is ignored")
    if any(c.name not in colmap for c in sheet.columns):
        return []

    _check_merged(ws, sheet, issues)
    rows: list[Row] = []
    blank_run: list[int] = []
    for i in range(1, len(grid)):
        r = i + 1
        raw = {name: grid[i][j] if j < len(grid[i]) else None for name, j in colmap.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
            blank_run.append(r)
            continue
        if blank_run:
            issues.error(sheet.name, f"A{blank_run[0]}", "", None,
                         f"no blank rows inside the table; row{'s' if len(blank_run) > 1 else ''} "
                         f"{blank_run[0]}{'-' + str(blank_run[-1]) if len(blank_run) > 1 else ''} "
                         "is empty but data follows. Delete the empty row(s)")
            blank_run = []
        values, cells = {}, {}
        for col in sheet.columns:
            coord = f"{letter(colmap[col.name] + 1)}{r}"
            cells[col.name] = coord
            if (sheet.name, coord) in uncalculated:
                issues.error(sheet.name, coord, col.name, "a formula with no calculated value",
                             "a value; the workbook was written by a program and never calculated. Open it "
                             "in Excel or LibreOffice, let it recalculate, and save")
                values[col.name] = Bad
                continue
            try:
                values[col.name] = parser.parse(sheet.name, coord, col, raw[col.name])
            except Bad:
                values[col.name] = Bad
                continue
            if values[col.name] is None and col.required:
                issues.error(sheet.name, coord, col.name, None, f"a value; {col.name} is required")
                values[col.name] = Bad  # reported; keep the row out of the dataset
        rows.append(Row(r, values, cells))
    return rows


def _check_merged(ws, sheet: S.Sheet, issues: Issues) -> None:
    for rng in getattr(ws, "merged_cells", None) and ws.merged_cells.ranges or ():
        issues.error(sheet.name, str(rng.coord), "", None,
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
                         f"({first.cells[col]}), ignoring case and spaces")
            row.values["__duplicate__"] = True
        else:
            seen[key] = row


def _read_settings(ws, issues: Issues) -> tuple[Settings, dict[str, str], list[Row]]:
    sheet = S.SHEET_BY_NAME["Settings"]
    parser = Parser(issues, None)
    rows = _read_table(ws, sheet, parser, issues, set())
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
        try:
            raw = row.values["value"]
            v = parser.parse("Settings", coord, spec, raw)
        except Bad:
            continue
        cells[spec.name] = f"'Settings'!{coord}"
        if v is None:
            continue
        if spec.kind == S.COUNTRY:
            v = str(v).upper()
        values[spec.name] = v
    kwargs = {s.name: values.get(s.name, s.default) for s in S.SETTINGS}
    kwargs["allow_unmet_demand"] = kwargs["allow_unmet_demand"] in (True, "yes")
    settings = Settings(**kwargs)
    if settings.first_year > settings.last_year:
        issues.error("Settings", cells.get("first_year", "").split("!")[-1], "first_year", settings.first_year,
                     f"first_year <= last_year ({settings.last_year})")
    return settings, cells, rows


def read_workbook(path: str | Path) -> Loaded:
    """Read and check a planning workbook; raise InputError listing every problem."""
    path = Path(path)
    issues = check_workbook_file(path)
    issues.raise_if_errors()
    wb = _open(path, issues)
    issues.raise_if_errors()
    digest = sha256_of(path)
    try:
        uncalculated = _formula_cells_without_value(path, wb)
    except Exception as exc:
        issues.error("", "", "", None, f"a readable .xlsx workbook ({type(exc).__name__}: {str(exc)[:200]})")
        raise InputError(list(issues))

    missing = [s.name for s in S.SHEETS if s.name not in wb.sheetnames and not s.optional]
    for name in missing:
        close = difflib.get_close_matches(name, wb.sheetnames, n=1)
        issues.error(name, "", "", None, f"a sheet named {name!r}" +
                     (f"; sheet {close[0]!r} looks like it was renamed" if close else ""))
    settings, setting_cells, setting_rows = (_read_settings(wb["Settings"], issues) if "Settings" in wb.sheetnames
                                             else (Settings(), {}, []))
    years = settings.years if settings.first_year <= settings.last_year else None
    parser = Parser(issues, years)
    tables: dict[str, list[Row]] = {}
    for sheet in S.SHEETS[1:]:
        if sheet.name in wb.sheetnames:
            tables[sheet.name] = _read_table(wb[sheet.name], sheet, parser, issues, uncalculated)
            _check_unique(sheet, tables[sheet.name], issues)
        else:
            tables[sheet.name] = []
    data = _build(settings, {"Settings": setting_rows, **tables}, issues)
    data.cells.update({("Settings", None, k): v for k, v in setting_cells.items()})
    check_dataset(data, issues)
    # Scenarios are resolved against a valid base only; otherwise their errors would echo the base's.
    scenarios = read_scenarios(tables["Scenarios"], data, parser, issues) if not issues.errors else {}
    issues.raise_if_errors()
    counts = {name: len(rows) for name, rows in tables.items()}
    return Loaded(data, [i for i in issues if i.severity != "error"], digest, counts, scenarios)


class _Refs:
    """Resolves references to ids defined on another sheet, recording unknown ones."""

    def __init__(self, issues: Issues):
        self.issues = issues
        self.known: dict[str, dict[str, str]] = {}

    def define(self, kind: str, ids: list[str]) -> None:
        self.known[kind] = {norm_key(i): i for i in ids}

    def resolve(self, kind: str, sheet: str, row: Row, column: str, where: str) -> str | None:
        value = row.values[column]
        if value is None or value is Bad:
            return None
        canon = self.known[kind].get(norm_key(value))
        if canon is None:
            listed = sorted(self.known[kind].values())
            sample = ", ".join(listed[:12]) + (", ..." if len(listed) > 12 else "")
            self.issues.error(sheet, row.cells[column], column, value,
                              f"a {kind} listed on the {where} sheet ({sample})")
            row.values["__unresolved__"] = True
        return canon


def _ok(row: Row) -> bool:
    """A row whose every cell parsed, is not a duplicate and has no unknown reference."""
    return not any(v is Bad for v in row.values.values()) and "__duplicate__" not in row.values \
        and "__unresolved__" not in row.values


def _build(settings: Settings, t: dict[str, list[Row]], issues: Issues) -> PlanningData:
    refs = _Refs(issues)
    cells: dict[tuple, str] = {}

    def remember(sheet: str, key, row: Row) -> None:
        for col, coord in row.cells.items():
            cells[(sheet, key, col)] = f"'{sheet}'!{coord}"

    for row in t["Countries"]:
        if isinstance(row.values.get("country_code"), str):
            row.values["country_code"] = row.values["country_code"].upper()
    def ids(sheet: str, column: str) -> list[str]:
        # An id stays known when another cell of its row is bad, so one typo does
        # not turn every reference to it into a second, misleading error.
        return [r.values[column] for r in t[sheet] if isinstance(r.values.get(column), str)
                and "__duplicate__" not in r.values]

    refs.define("source_id", ids("Sources", "source_id"))
    refs.define("country", ids("Countries", "country_code"))
    refs.define("mineral", ids("Minerals", "mineral_id"))
    if settings.home_country not in refs.known["country"].values() and t["Countries"]:
        issues.error("Settings", "", "home_country", settings.home_country,
                     "a country listed on the Countries sheet")
    for name, rows in t.items():
        if name == "Sources":
            continue
        for row in rows:
            refs.resolve("source_id", name, row, "source_id", "Sources")
        unsourced = sum(1 for row in rows if row.values.get("source_id") is None)
        if unsourced and name != "Settings":  # solver options and the currency are no figures to source
            issues.warn(name, "", "source_id", f"{unsourced} row(s) without a source",
                        "every figure's source cited from the Sources sheet")

    def by(sheet: str, key_cols: tuple[str, ...], make) -> dict:
        out = {}
        for row in t[sheet]:
            for col in S.SHEET_BY_NAME[sheet].columns:
                if col.kind in (S.MINERAL, S.COUNTRY):
                    canon = refs.resolve("mineral" if col.kind == S.MINERAL else "country", sheet, row,
                                         col.name, "Minerals" if col.kind == S.MINERAL else "Countries")
                    if canon is not None:
                        row.values[col.name] = canon
                elif col.kind == S.COUNTRIES and row.values[col.name] not in (None, Bad):
                    codes = [c.strip().upper() for c in re.split(r"[;,]", row.values[col.name]) if c.strip()]
                    unknown = [c for c in codes if c not in refs.known["country"].values()]
                    if unknown:
                        issues.error(sheet, row.cells[col.name], col.name, row.values[col.name],
                                     "ISO3 codes from the Countries sheet separated by ';' "
                                     f"(unknown: {', '.join(unknown)})")
                        row.values["__unresolved__"] = True
                    row.values[col.name] = tuple(codes)
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
    recycling = by("Recycling", ("option_id",), lambda v: fields(RecyclingOption, v))
    feedstock = by("Feedstock", ("mineral_id", "year"), lambda v: v["feedstock_t"])
    stockpile = by("Stockpile", ("mineral_id",), lambda v: fields(StockpileRule, v))
    agreements = by("Agreements", ("agreement_id",), lambda v: fields(Agreement, v))
    policy_rows = by("Policy", ("mineral_id", "year"), lambda v: v)
    world = by("WorldSupply", ("mineral_id", "stage", "country"), lambda v: v["world_share"])
    policy, policy_cells = _resolve_policy(policy_rows, minerals, settings, cells)
    cells.update(policy_cells)
    return PlanningData(settings, minerals, countries, suppliers, demand, recycling, feedstock, stockpile,
                        agreements, policy, cells, world_share=world)


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
