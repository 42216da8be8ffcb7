"""Uncertain inputs: which figures of the workbook may be wrong, and by how much (planner sensitivity).

A factor is a group of figures that move together: one value is drawn for it, and each of its figures
is edited by it as a Scenarios row edits a figure (set, scale or add).  The edits are made to the
parsed rows of the workbook and the case is read again from them (``reader.case_from_rows``), so
whatever the reader derives from a figure (a disruption's crisis price from an elasticity, the
scenarios of a per-year event, a shortage curve) follows its edit, on every sheet alike.

Factors come from the Uncertainty sheet (declared ranges, resolved and checked here when the workbook
is read), and for every other figure whose Sources row is an estimate from the default range of its
kind of column (``schema.DEFAULT_RANGES``), one factor per sheet, column and group: the event or risk
of the row, else the mineral group of its mineral or stream (``PlanningData.mineral_groups``: the
minerals a recycling plant links, planned together, move together; any other mineral alone), else its
Sources row.  Both work from the schema alone, so a sheet or
column added to it is covered as its unit says.  Nothing here touches Excel or Pyomo.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from models.dataset import PlanningData
from planner.workbook import schema as S
from planner.workbook.cells import SPANS_CUT, Bad, Parser, norm_key, percent_like, warn_outside, year_span
from planner.workbook.errors import Issues

SHEET = "Uncertainty"
SCALE, ADD, SET = "scale", "add", "set"
# Settings that are no figures of the case: its horizon, and the solver's options.
NOT_FIGURES = ("first_year", "last_year", "price_year", "time_limit_s", "mip_gap", "threads")
_FIGURE_KINDS = (S.NUMBER, S.SHARE, S.INTEGER)
_SELECTORS = ("item_id", "mineral_id", "country", "country_role", "first_year", "last_year", "cites_source")


@dataclass(frozen=True)
class Target:
    """One figure: a column of one parsed row of a sheet (Settings: the value of a setting's row)."""

    sheet: str
    row: int  # index in the sheet's parsed rows
    column: str


@dataclass
class Factor:
    """Figures that move together: one value, in [low, high], edits each of them by ``operation``."""

    name: str
    operation: str  # scale, add or set
    low: float
    high: float
    targets: tuple[Target, ...]
    label: str  # what it moves, in the workbook's words: sheet, column and which rows
    description: str = ""
    cells: tuple[str, ...] = ()  # the Uncertainty rows that declare it ('Uncertainty'!M5); () for a default
    kind: str = "declared"  # or the kind of its default range (schema.DEFAULT_RANGES)
    sources: tuple[str, ...] = ()  # the Sources rows its figures cite
    minerals: tuple[str, ...] = ()  # the minerals whose rows it edits; () for rows of every mineral
    base: float | None = None  # the value at which its figures are as the workbook has them, if one
    ends: tuple[str, str] = ("", "")  # its first Uncertainty row's low and high cells ("M5", "N5")
    # For its name in the reports: the ids of its rows (the sheet's item_id column: supply options, countries,
    # events; () where the sheet has none), and a default range's group as (kind, id): ("minerals", group name),
    # ("event", id), ("source", source_id) or ("all", "all minerals") where its rows name none of these.
    items: tuple[str, ...] = ()
    group: tuple[str, str] = ("", "")

    @property
    def fixed(self) -> bool:
        """A range of no width: its figures are held at one value in every run, not varied."""
        return self.low == self.high

    @property
    def where(self) -> str:
        """Where the range comes from, for messages and reports."""
        return ", ".join(self.cells) if self.cells else f"default range ({self.kind})"


def figure_column(sheet: str, column: str, setting: str | None = None) -> S.Column | S.Setting | None:
    """The spec of a column whose cells are figures a range may move (a number, not an id or a
    year that keys the row); on Settings the setting's own spec."""
    if sheet == "Settings":
        spec = S.SETTING_BY_NAME.get(norm_key(setting or ""))
        return spec if column == "value" and spec and spec.kind in _FIGURE_KINDS and spec.name not in NOT_FIGURES \
            else None
    spec = S.SHEET_BY_NAME[sheet]
    col = next((c for c in spec.columns if c.name == column), None)
    return col if col and col.kind in _FIGURE_KINDS and col.name not in spec.key else None


def _id_column(sheet: S.Sheet) -> str | None:
    """The column item_id matches: the sheet's one-column key, or the name that groups its rows
    (a disruption, a risk, a stream)."""
    if len(sheet.key) == 1:
        return sheet.key[0]
    first = sheet.columns[0]
    return first.name if first.kind in (S.TEXT, S.STREAM) else None


def _allowed(sheet: S.Sheet) -> tuple[str, ...]:
    """The selectors that can pick rows of ``sheet``, from its columns."""
    names = set(sheet.headers)
    kinds = {c.kind for c in sheet.columns}
    return tuple(s for s, ok in (
        ("item_id", _id_column(sheet) is not None), ("mineral_id", "mineral_id" in names),
        ("country", bool(kinds & {S.COUNTRY, S.COUNTRIES})),
        ("country_role", {"origin_country", "processing_country"} <= names),
        ("first_year", "year" in names), ("last_year", "year" in names), ("cites_source", "source_id" in names))
        if ok)


def _country_columns(sheet: S.Sheet, role: str) -> list[str]:
    if role in ("origin", "processing"):
        return [f"{role}_country"]
    return [c.name for c in sheet.columns if c.kind in (S.COUNTRY, S.COUNTRIES)]


def _ok(row) -> bool:
    return not any(v is Bad for v in row.values.values()) and "__duplicate__" not in row.values


def new_value(original: float, operation: str, x: float, spec: S.Column | S.Setting) -> float:
    """A figure after an edit by ``x``; a whole-number column's is rounded to a whole number."""
    value = {SCALE: original * x, ADD: original + x, SET: x}[operation]
    return round(value) if spec.kind == S.INTEGER else value


def _spec(tables, t: Target):
    setting = tables["Settings"][t.row].values["name"] if t.sheet == "Settings" else None
    return figure_column(t.sheet, t.column, setting)


def edited(tables: dict[str, list], values: Iterable[tuple[Factor, float]]) -> dict[str, list]:
    """The parsed rows with each factor's figures edited by its value; the rows given are left as
    they are (an edited row is a copy)."""
    out = dict(tables)
    copied: set[tuple[str, int]] = set()
    for factor, x in values:
        for t in factor.targets:
            if out[t.sheet] is tables[t.sheet]:
                out[t.sheet] = list(tables[t.sheet])
            if (t.sheet, t.row) not in copied:
                row = out[t.sheet][t.row]
                out[t.sheet][t.row] = dataclasses.replace(row, values=dict(row.values))
                copied.add((t.sheet, t.row))
            row = out[t.sheet][t.row]
            original = tables[t.sheet][t.row].values[t.column]
            row.values[t.column] = new_value(original, factor.operation, x, _spec(tables, t))
    return out


@dataclass
class Note:
    """What a study left out, and why, for the reports to word (the catalogue's ``sens.note.<kind>``): ``values``
    fill its fields, a Factor among them named as the reports name an input, a workbook rule's message (``issue``)
    in its own words."""

    kind: str
    values: dict[str, object]


@dataclass
class _Declared:
    """One Uncertainty row, resolved."""

    row: object
    name: str
    operation: str
    low: float
    high: float
    targets: list[Target] = field(default_factory=list)
    label: str = ""
    sources: set[str] = field(default_factory=set)
    minerals: set[str] = field(default_factory=set)
    items: tuple[str, ...] = ()


def read_uncertainty(tables: dict[str, list], base: PlanningData, parser: Parser, issues: Issues,
                     complete: bool) -> list[Factor]:
    """The factors the Uncertainty sheet declares, each row resolved against the case's parsed rows:
    its sheet, column and selectors, its range (low at most high) and every figure it selects at
    both ends of its range, checked as its own cell is; every problem goes to ``issues`` with its
    Uncertainty cell.  Rows with the same factor name form one factor.  ``complete`` False (a row of the
    case is bad): each row's own cells are checked, not the figures it selects (one may be the bad row's)."""
    factors: dict[str, Factor] = {}
    taken: dict[Target, str] = {}  # a figure -> the cell of the row that ranges it
    cut: list[str] = []  # the year cells outside the horizon, of spans cut to it
    for row in tables.get(SHEET, []):
        if not _ok(row):
            continue  # its bad cell is reported
        declared = _resolve(row, tables, base, parser, issues, complete, cut)
        if declared is None:
            continue
        again = [t for t in declared.targets if t in taken]
        if again:
            where = taken[again[0]]
            issues.error(SHEET, row.cells["column"], "column", row.values["column"],
                         f"figures ranged by one row only; {len(again)} of these are ranged by {where} already "
                         f"(e.g. {_figure_words(tables, again[0])})")
            continue
        cell = f"'{SHEET}'!{row.cells['low']}"
        taken.update({t: cell for t in declared.targets})
        key = norm_key(declared.name)
        factor = factors.get(key)
        if factor is None:
            factors[key] = Factor(declared.name, declared.operation, declared.low, declared.high,
                                  tuple(declared.targets), declared.label, row.values["description"] or "", (cell,),
                                  sources=tuple(sorted(declared.sources)), minerals=tuple(sorted(declared.minerals)),
                                  base=_base(tables, declared.operation, declared.targets),
                                  ends=(row.cells["low"], row.cells["high"]), items=declared.items)
            continue
        for column, mine, theirs in (("operation", declared.operation, factor.operation),
                                     ("low", declared.low, factor.low), ("high", declared.high, factor.high)):
            if mine != theirs:
                issues.error(SHEET, row.cells[column], column, row.values[column] or mine,
                             f"{theirs} as on the factor's first row ({factor.cells[0]}): rows of one factor move "
                             "together, by one value")
                break
        else:
            factor.targets += tuple(declared.targets)
            factor.label += "; " + declared.label
            factor.cells += (cell,)
            factor.sources = tuple(sorted(set(factor.sources) | declared.sources))
            factor.minerals = tuple(sorted(set(factor.minerals) | declared.minerals))
            factor.items = tuple(dict.fromkeys(factor.items + declared.items))
            factor.base = factor.base if factor.base == _base(tables, factor.operation, declared.targets) else None
    warn_outside(issues, SHEET, "", cut, base.settings.years, SPANS_CUT)
    return list(factors.values())


def _resolve(row, tables, base: PlanningData, parser: Parser, issues: Issues, complete: bool, cut: list[str]
             ) -> _Declared | None:
    v = row.values

    def error(column: str, value, expected: str) -> None:
        issues.error(SHEET, row.cells[column], column, value, expected)

    sheet = S.SHEET_BY_NAME[v["sheet"]]
    column = norm_key(v["column"])
    if sheet.name == "Settings":
        if v["item_id"] is None or figure_column("Settings", "value", v["item_id"]) is None:
            names = [s.name for s in S.SETTINGS if figure_column("Settings", "value", s.name)]
            error("item_id", v["item_id"], "the name of a setting that is a figure of the case: " + ", ".join(names))
            return None
        if column != "value":
            error("column", v["column"], "value: a range on Settings moves the value of the setting named in item_id")
            return None
    elif figure_column(sheet.name, column) is None:
        figures = [c.name for c in sheet.columns if figure_column(sheet.name, c.name)]
        close = difflib.get_close_matches(column, figures, n=1)
        error("column", v["column"], f"a number column of {sheet.name}"
              + (f"; did you mean {close[0]!r}?" if close else ": " + (", ".join(figures) or "it has none")))
        return None
    operation = v["operation"] or SCALE
    low, high = v["low"], v["high"]
    if low > high:
        error("low", low, f"at most high ({high:g}): a range runs from low to high")
        return None
    if operation == SCALE and low < 0:
        error("low", low, "a factor of at least 0 (operation scale: 1 leaves the figures as they are)")
        return None
    for end in ("low", "high") if operation == SCALE else ():
        if wrong := percent_like(v[end], v["item_id"] if sheet.name == "Settings" else column):
            issues.warn(SHEET, row.cells[end], end, v[end], wrong)
    allowed = _allowed(sheet) if sheet.name != "Settings" else ("item_id",)
    for selector in _SELECTORS:
        if v[selector] is not None and selector not in allowed:
            error(selector, v[selector], f"blank: {sheet.name} rows are chosen by {', '.join(allowed) or 'nothing'}")
            return None
    if v["country_role"] is not None and v["country"] is None:
        error("country_role", v["country_role"], "blank, or a country to match")
        return None
    if not complete:  # the years below default to the horizon, which may be the bad part
        return None
    span = year_span(v["first_year"], v["last_year"], base.settings.years, error, cut, row.cells)
    if span is None:
        return None
    id_column = "name" if sheet.name == "Settings" else _id_column(sheet)
    countries = _country_columns(sheet, v["country_role"] or "either")
    targets, sources, minerals, ids = [], set(), set(), []
    for i, r in enumerate(tables[sheet.name]):
        values = r.values
        if not _ok(r) or values.get(column) is None:
            continue  # a bad row is reported; a blank cell is no figure
        ids.append(values.get(id_column))
        if v["item_id"] is not None and norm_key(values.get(id_column)) != norm_key(v["item_id"]):
            continue
        if v["mineral_id"] is not None and values.get("mineral_id") != v["mineral_id"]:
            continue
        if v["country"] is not None and not any(v["country"] == c or (isinstance(c, tuple) and v["country"] in c)
                                                for c in (values.get(name) for name in countries)):
            continue
        if "year" in values and values["year"] not in span:
            continue
        if v["cites_source"] is not None and values.get("source_id") != v["cites_source"]:
            continue
        targets.append(Target(sheet.name, i, column))
        sources.add(values.get("source_id") or "")
        if values.get("mineral_id"):
            minerals.add(values["mineral_id"])
    if not targets:
        item = v["item_id"]
        known = [norm_key(i) for i in ids if i]
        # No id to suggest where the item is on the sheet as typed, and another selector leaves it out.
        close = difflib.get_close_matches(norm_key(item), known, n=1) if item and norm_key(item) not in known else []
        error("item_id" if item is not None else "column", item or v["column"],
              f"a selection that matches at least one figure of {sheet.name} {column}; these selectors match none"
              + (f" (did you mean {close[0]!r}?)" if close else ""))
        return None
    declared = _Declared(row, v["factor"] or _default_name(v, sheet, column), operation, low, high, targets,
                         _label(v, sheet, column, len(targets)), sources - {""}, minerals, _items(tables, targets))
    for end in ("low", "high"):  # each figure at each end of the range, checked as its own cell is
        for t in targets:
            spec = _spec(tables, t)
            value = new_value(tables[t.sheet][t.row].values[t.column], operation, v[end], spec)
            try:
                parser.parse(SHEET, row.cells[end], spec, value)
            except Bad:
                issues[-1] = dataclasses.replace(issues[-1], column=end, value=v[end], expected=(
                    f"a range within which every figure it moves stays valid; at {end} {_figure_words(tables, t)} "
                    f"would be {value:g}: {issues[-1].expected}"))
                return None
    return declared


def _base(tables, operation: str, targets: list[Target] | tuple[Target, ...]) -> float | None:
    """The factor's value that leaves its figures as they are: 1 to scale, 0 to add, or the one
    value its figures share when it sets them (None if they differ)."""
    if operation != SET:
        return 1.0 if operation == SCALE else 0.0
    values = {tables[t.sheet][t.row].values[t.column] for t in targets}
    return float(values.pop()) if len(values) == 1 else None


def _items(tables, targets: Iterable[Target]) -> tuple[str, ...]:
    """The ids of the targets' rows in their sheet's item_id column, in order (none where it has none)."""
    out = []
    for t in targets:
        column = "name" if t.sheet == "Settings" else _id_column(S.SHEET_BY_NAME[t.sheet])
        if column is not None and tables[t.sheet][t.row].values.get(column) is not None:
            out.append(str(tables[t.sheet][t.row].values[column]))
    return tuple(dict.fromkeys(out))


def _figure_words(tables, t: Target) -> str:
    row = tables[t.sheet][t.row]
    if t.sheet == "Settings":
        return f"Settings {row.values['name']}"
    return f"'{t.sheet}'!{row.cells[t.column]} {t.column}"


def _default_name(v: dict, sheet: S.Sheet, column: str) -> str:
    what = [str(v[s]) for s in ("item_id", "mineral_id", "country", "cites_source") if v[s] is not None]
    if v["first_year"] is not None or v["last_year"] is not None:
        what.append(f"{v['first_year'] or ''}-{v['last_year'] or ''}")
    return f"{' '.join(what) or sheet.name} {column}"


def _label(v: dict, sheet: S.Sheet, column: str, n: int) -> str:
    parts = [f"{s} {v[s]}" for s in _SELECTORS if v[s] is not None]
    return f"{sheet.name} {column}" + (f" ({', '.join(parts)})" if parts else " (every row)") + f": {n} figure(s)"


def estimate_sources(tables: dict[str, list]) -> set[str]:
    """The source_ids of the Sources rows marked estimate."""
    return {r.values["source_id"] for r in tables.get("Sources", []) if _ok(r) and r.values.get("estimate") is True}


def default_factors(tables: dict[str, list], declared: list[Factor], sheets: Iterable[str],
                    groups: dict[str, str]) -> tuple[list[Factor], list[Note]]:
    """One factor per sheet, column and group for every figure on ``sheets`` whose row cites an
    estimate and that no declared factor ranges: its column's default range (``schema.default_range``),
    clipped so that every figure stays within its column's bounds.  ``groups`` names the group of each
    mineral and stream id ("gallium", "neodymium+dysprosium+terbium").  Also the notes on the groups
    left out (every figure 0, or no room within the bounds)."""
    estimates = estimate_sources(tables)
    taken = {t for f in declared for t in f.targets}
    mineral_ids = {row.values.get("mineral_id") for row in tables.get("Minerals", [])}
    found: dict[tuple[str, str, tuple[str, str]], list[Target]] = {}
    for name in sheets:
        if name in S.NO_DEFAULT_RANGE_SHEETS:
            continue
        sheet = S.SHEET_BY_NAME[name]
        event = _id_column(sheet) if sheet.columns[0].kind == S.TEXT and not sheet.key else None
        for col in sheet.columns:
            if figure_column(name, col.name) is None or S.default_range(col) is None:
                continue
            for i, row in enumerate(tables.get(name, [])):
                values = row.values
                if not _ok(row) or values.get(col.name) is None or values.get("source_id") not in estimates:
                    continue
                target = Target(name, i, col.name)
                if target not in taken:
                    minerals = groups.get(values.get("stream_id")) or groups.get(values.get("mineral_id"))
                    group = (("event", values.get(event)) if event else ("minerals", minerals) if minerals
                             else ("source", values["source_id"]) if values.get("source_id") else ("all", ""))
                    found.setdefault((name, col.name, group), []).append(target)
    factors, notes = [], []
    for (name, column, (kind, group)), targets in found.items():
        group = group or "all minerals"
        col = S.SHEET_BY_NAME[name].column(column)
        r = S.default_range(col)
        figures = [tables[name][t.row].values[column] for t in targets]
        label = f"{name} {column} of {group}"
        if not any(figures):
            continue  # scaling 0 moves nothing
        rows = [tables[name][t.row].values for t in targets]
        minerals = sorted({v["mineral_id"] for v in rows if v.get("mineral_id")})
        if kind == "minerals" and not minerals:  # a stream's rows: its group's minerals (a run of others leaves it out)
            minerals = sorted(m for m, g in groups.items() if g == group and m in mineral_ids)
        factor = Factor(f"{group} {column}", SCALE, r.low, r.high, tuple(targets), f"{label}: {len(targets)} figure(s)",
                        kind=r.kind, sources=tuple(sorted({v["source_id"] for v in rows})), minerals=tuple(minerals),
                        base=1.0, items=_items(tables, targets), group=(kind, group))
        low, high = _clipped(r.low, r.high, figures, S.bounds(col))
        if low is None:
            notes.append(Note("no_room", {"factor": factor, "low": f"x{r.low:g}", "high": f"x{r.high:g}",
                                          "range": S.range_text(col)}))
            continue
        factor.low, factor.high = low, high
        factors.append(factor)
    names = [f.name for f in factors]
    for f in factors:  # a name shared by two sheets' columns (share_lost) says its sheet
        if names.count(f.name) > 1:
            f.name = f"{f.targets[0].sheet}: {f.name}"
    declared_names = {norm_key(f.name) for f in declared}
    for f in factors:  # nor one an Uncertainty row gives its factor: SALib took the two for one (IndexError)
        if norm_key(f.name) in declared_names:
            f.name = f"{f.name} (default range)"
    return factors, notes


def _clipped(low: float, high: float, figures: list[float], bounds: S.Bounds) -> tuple[float | None, float]:
    """The factor range [low, high] narrowed so that every figure times it stays within ``bounds``
    (None if nothing is left but the figures as they are)."""
    for x in figures:
        if x == 0:
            continue
        for bound, is_low in ((bounds.low, True), (bounds.high, False)):
            if bound is None:
                continue
            limit = bound / x  # the factor at which x reaches the bound
            # x > 0: a lower bound limits how far the factor may fall; x < 0 the other way round.
            if (is_low and x > 0) or (not is_low and x < 0):
                low = max(low, limit)
            else:
                high = min(high, limit)
    if high - low < 1e-9 or not all(bounds.holds(x * low) and bounds.holds(x * high) for x in figures):
        return None, high
    return low, high
