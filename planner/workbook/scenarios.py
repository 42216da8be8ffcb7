"""What-if scenarios: named lists of changes to the base case.

Each row of the Scenarios sheet (see ``planner.workbook.schema``) is one change: a
sheet, the rows it selects (item_id, mineral_id, country, years), a column,
an operation (set, scale, add) and a value; a lever (disruption, price_shock,
demand_change, policy) fills in the sheet, column and operation.  This module
resolves the rows against the base dataset and applies a scenario by building
a new, independent :class:`PlanningData`.  It never touches Excel (the reader
hands it parsed rows) or Pyomo (the model gets an ordinary dataset back).

A change to a supplier's capacity or price in given years becomes a
year-specific factor (``PlanningData.capacity_factor`` / ``price_factor``):
that is how an export ban (capacity x 0 from 2026) or a price shock is held.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field

from models.dataset import PlanningData, PolicyLimits
from planner.workbook import schema as S
from planner.workbook.errors import Issues
# Bad: the parser's "bad cell, already reported" signal
from planner.workbook.cells import (
    SPANS_CUT, Bad, another_description, norm_key, one_of, percent_like, warn_outside, year_span,
)
from planner.workbook.validate import check_dataset

# Dataset attribute holding each sheet's rows, keyed by the sheet's id.
_TABLES = {"Minerals": "minerals", "Countries": "countries", "Suppliers": "suppliers", "Recycling": "recycling",
           "Stockpile": "stockpile", "Agreements": "agreements", "Demand": "demand_t",
           "Feedstock": "feedstock_t", "Policy": "policy"}
_YEARLY = ("Demand", "Feedstock", "Policy")  # rows keyed by (mineral_id, year)
# Which selector columns choose rows on each sheet; the others must be blank.
_SELECTORS = {
    "Settings": ("item_id",),
    "Minerals": ("item_id", "mineral_id"),
    "Countries": ("item_id", "country"),
    "Suppliers": ("item_id", "mineral_id", "country", "country_role", "first_year", "last_year"),
    "Demand": ("mineral_id", "first_year", "last_year"),
    "Feedstock": ("mineral_id", "first_year", "last_year"),
    "Policy": ("mineral_id", "first_year", "last_year"),
    "Recycling": ("item_id", "mineral_id"),
    "Stockpile": ("item_id", "mineral_id"),
    "Agreements": ("item_id", "mineral_id", "country"),
}
# Supplier columns that may change in some years only; other columns change the whole row.
_PER_YEAR = {"capacity_t_per_yr": "capacity_factor", "price_usd_per_t": "price_factor"}
# Settings a scenario may change; the horizon, currency and home country define the case itself.
SCENARIO_SETTINGS = ("discount_rate", "min_contract_years", "allow_unmet_demand", "time_limit_s", "mip_gap",
                     "terminal_stock_credit")
# The names planner compare gives its own cases, the base case and compare --policies' case without Policy limits:
# a scenario so named was taken for that case ("base" replaced the base case, every change measured from it).
BASE = "base"
NO_POLICY = "no_policy"
RESERVED_NAMES = (BASE, NO_POLICY)
_NUMERIC = (S.NUMBER, S.INTEGER, S.SHARE, S.YEAR)
_FACTOR = S.Column("value", S.NUMBER, "A factor", minimum=0.0)
_AMOUNT = S.Column("value", S.NUMBER, "An amount", minimum=None)


@dataclass(frozen=True)
class Change:
    """One resolved row of the Scenarios sheet."""

    row: int
    coord: str  # the value cell, e.g. "M5"
    sheet: str
    column: str
    operation: str
    value: object  # typed: the new value (set), a factor (scale) or an amount (add)
    keys: tuple  # the rows selected on ``sheet``
    years: tuple[int, ...] | None  # Suppliers capacity/price: the years changed; else None
    minerals: frozenset[str]  # minerals the change touches, for reports

    @property
    def cell(self) -> str:
        return f"'Scenarios'!{self.coord}"


@dataclass
class Scenario:
    name: str
    description: str
    changes: list[Change] = field(default_factory=list)
    data: PlanningData | None = None  # the base case with the changes applied

    @property
    def minerals(self) -> list[str]:
        """Minerals the scenario touches, in the order of the Minerals sheet."""
        touched = set().union(*(c.minerals for c in self.changes)) if self.changes else set()
        return [m for m in (self.data.minerals if self.data else ()) if m in touched]

    @property
    def first_year(self) -> int | None:
        """First year a year-limited change takes effect (None if every change is for all years)."""
        years = [min(c.years) for c in self.changes if c.years]
        return min(years) if years else None


def _editable(sheet: str) -> dict[str, S.Column | S.Setting]:
    """Columns a scenario may change on ``sheet``: typed values that are not ids or references."""
    if sheet == "Settings":
        return {"value": S.Column("value", S.RAW, "")}
    spec = S.SHEET_BY_NAME[sheet]
    return {c.name: c for c in spec.columns
            if c.name not in spec.key and c.kind in (*_NUMERIC, S.YESNO, S.CHOICE)}


class _Resolver:
    """Turns Scenarios rows into Changes against one base dataset, recording every problem."""

    def __init__(self, base: PlanningData, parser, issues: Issues, complete: bool):
        self.base, self.parser, self.issues = base, parser, issues
        self.complete = complete  # False: the case has a bad row, which a selector may name; selectors unchecked
        self.cut: list[str] = []  # the year cells outside the horizon, of spans cut to it

    def error(self, row, column: str, value, expected: str) -> None:
        self.issues.error("Scenarios", row.cells[column], column, value, expected)

    def change(self, row) -> Change | None:
        v = row.values
        lever = v["lever"] or "edit"
        sheet, column, operation = v["sheet"], v["column"], v["operation"]
        ok = True
        if lever != "edit":
            implied = S.LEVERS[lever]
            for name, given, meant in zip(("sheet", "column", "operation"), (sheet, column, operation), implied):
                if given is not None and meant is not None and norm_key(given) != norm_key(meant):
                    self.error(row, name, given, f"blank or {meant!r}: lever {lever} sets it")
                    ok = False
            sheet, column = implied[0], column if implied[1] is None else implied[1]
            operation = operation or implied[2] or "set"
        for name, given in (("sheet", sheet), ("column", column), ("operation", operation)):
            if given is None:
                self.error(row, name, None, f"a value: a {'policy' if lever == 'policy' else 'edit'} row names "
                                            f"its {name}" + ("" if lever != "edit" else
                                                             " (or choose a lever)"))
                ok = False
        if not ok:
            return None
        target = self._column(row, sheet, column, lever)
        if target is None:
            return None
        if operation != "set" and (target.kind not in _NUMERIC or sheet == "Settings"):
            # A setting's column is 'value', a number or not: "value is not a number" was said of discount_rate too.
            self.error(row, "operation", operation, f"set: a scenario gives a setting its new value ({v['item_id']} "
                                                    "set to the value wanted), not a scale or an addition"
                       if sheet == "Settings" else f"set: {column} is not a number to scale or add to")
            return None
        value = self._value(row, sheet, target, operation)
        keys, years, minerals = self._select(row, sheet, target.name)
        if value is _INVALID or keys is None:
            return None
        if sheet == "Minerals" and target.name == "shortage_penalty_usd_per_t":
            self._penalty_unused(row, keys)
        return Change(row.number, row.cells["value"], sheet, target.name, operation, value, keys, years, minerals)

    def _penalty_unused(self, row, minerals: tuple) -> None:
        """A warning: a mineral with rows on the Shortage costs sheet is priced by their curve, never by its
        Minerals penalty, so a what-if that changes the penalty changes nothing for it (it planned exactly as
        the base case, and the compare report listed the changed cell as if it had counted)."""
        curved = [m for m in minerals if self.base.shortage_curve.get(m)]
        if curved:
            self.issues.warn("Scenarios", row.cells["value"], "value", row.values["value"],
                             f"a change that counts: {', '.join(curved)} {'has' if len(curved) == 1 else 'have'} rows "
                             "on the Shortage costs sheet, whose curve prices every tonne left unmet; the Minerals "
                             "shortage_penalty_usd_per_t is used only for a mineral without them, so this row "
                             "changes nothing" + (" for those" if len(curved) < len(minerals) else ""))

    def _column(self, row, sheet: str, column: str, lever: str):
        columns = _editable(sheet)
        target = columns.get(norm_key(column))
        if target is None:
            close = difflib.get_close_matches(norm_key(column), list(columns), n=1)
            where = "column" if lever in ("edit", "policy") else "lever"
            self.error(row, where, column if where == "column" else lever,
                       f"a column of {sheet} a scenario can change"
                       + (f"; did you mean {close[0]!r}?" if close else f": {', '.join(columns)}"))
        return target

    def _value(self, row, sheet: str, target, operation: str):
        raw, coord = row.values["value"], row.cells["value"]
        if sheet == "Settings":
            spec = S.SETTING_BY_NAME.get(norm_key(row.values["item_id"] or ""))
            if spec is None:
                return _INVALID  # reported by _select
            target = spec
        spec = target if operation == "set" else _FACTOR if operation == "scale" else _AMOUNT
        try:
            value = self.parser.parse("Scenarios", coord, spec, raw)
        except Bad:
            return _INVALID
        if value is None:
            self.error(row, "value", raw, "a value")
            return _INVALID
        if operation == "scale" and (wrong := percent_like(value, target.name)):
            self.issues.warn("Scenarios", coord, "value", raw, wrong)
        return value

    def _select(self, row, sheet: str, column: str):
        """The keys of the rows chosen, the years of a per-year supplier change, and the minerals touched."""
        v, d = row.values, self.base
        allowed = _SELECTORS[sheet]
        per_year = sheet == "Suppliers" and column in _PER_YEAR
        fail = (None, None, frozenset())
        given = [c for c in ("item_id", "mineral_id", "country", "country_role", "first_year", "last_year")
                 if v[c] is not None]
        for c in given:
            if c not in allowed or (c in ("first_year", "last_year") and sheet == "Suppliers" and not per_year):
                why = (f"{sheet} rows are chosen by {', '.join(allowed)}" if c not in allowed
                       else f"only capacity_t_per_yr and price_usd_per_t change by year; {column} changes for "
                            "the whole row")
                self.error(row, c, v[c], f"blank: {why}")
                return fail
        if v["country_role"] is not None and v["country"] is None:
            self.error(row, "country_role", v["country_role"], "blank, or a country to match")
            return fail
        if sheet == "Settings":  # chosen by item_id alone (the selectors above refused any other)
            name = norm_key(v["item_id"] or "")
            if name not in SCENARIO_SETTINGS:
                self.error(row, "item_id", v["item_id"], "one of the settings a scenario may change: "
                           + ", ".join(SCENARIO_SETTINGS))
                return fail
            return (name,), None, frozenset()
        if not self.complete:  # the years below default to the horizon, which may be the bad part
            return fail
        span = year_span(v["first_year"], v["last_year"], d.settings.years,
                         lambda column, value, expected: self.error(row, column, value, expected), self.cut, row.cells)
        if span is None:
            return fail
        years = tuple(span)
        mineral = self._known(row, "mineral_id", d.minerals, "Minerals")
        country = self._known(row, "country", d.countries, "Countries")
        if mineral is _INVALID or country is _INVALID:
            return fail
        if sheet in _YEARLY:
            minerals = [mineral] if mineral else list(d.minerals)
            return tuple((m, y) for m in minerals for y in years), None, frozenset(minerals)
        table = getattr(d, _TABLES[sheet])
        if v["item_id"] is not None:
            item = self._known(row, "item_id", table, sheet)
            if item is _INVALID:
                return fail
            candidates = [item]
        else:
            candidates = list(table)
        keys = tuple(k for k in candidates if self._matches(sheet, table[k], k, mineral, country,
                                                            v["country_role"] or "either"))
        if not keys:
            self.error(row, "item_id" if v["item_id"] is not None else "mineral_id", v["item_id"] or mineral,
                       f"a selection that matches at least one row of {sheet}; these selectors match none")
            return fail
        return keys, years if per_year else None, self._minerals_of(sheet, table, keys)

    def _known(self, row, column: str, ids, sheet: str):
        """The canonical id for a selector cell, None if blank, _INVALID (reported) if unknown."""
        given = row.values[column]
        if given is None:
            return None
        canon = {norm_key(k): k for k in ids}.get(norm_key(given))
        if canon is None:
            self.error(row, column, given, f"an id on the {sheet} sheet; {one_of(ids, 15)}")
            return _INVALID
        return canon

    @staticmethod
    def _matches(sheet: str, item, key, mineral, country, role: str) -> bool:
        if mineral is not None and getattr(item, "mineral_id", key) != mineral:
            return False
        if country is None:
            return True
        if sheet == "Suppliers":
            return touches(item, country, role)
        if sheet == "Agreements":
            return country in item.partner_countries
        return key == country  # Countries

    def _minerals_of(self, sheet: str, table: dict, keys: tuple) -> frozenset[str]:
        if sheet == "Countries":  # every mineral with an option mined or refined there
            return frozenset(s.mineral_id for s in self.base.suppliers.values() if s.countries & set(keys))
        return frozenset(getattr(table[k], "mineral_id", k) for k in keys)


_INVALID = object()  # a value or selector that was reported as wrong


def touches(s, country: str, role: str) -> bool:
    """Whether supply option ``s`` touches ``country`` as origin (mining), processing (refining) or either."""
    return country in {"origin": {s.origin_country}, "processing": {s.processing_country}, "either": s.countries}[role]


def read_scenarios(rows, base: PlanningData, parser, issues: Issues, case_complete: bool) -> dict[str, Scenario]:
    """Group the parsed Scenarios rows by name, resolve them and apply each scenario to ``base``.

    Every problem is recorded in ``issues`` with its Scenarios cell; a scenario
    with a problem gets no dataset.  ``case_complete`` False (``base`` lacks a bad row of the case): each row's
    own cells are checked, not the rows it selects, and no scenario is applied.
    """
    resolver = _Resolver(base, parser, issues, case_complete)
    scenarios: dict[str, Scenario] = {}
    by_key: dict[str, Scenario] = {}
    complete: dict[str, bool] = {}
    described: dict[str, str] = {}  # the cell of each scenario's description
    for row in rows:
        if any(v is Bad for v in row.values.values()) or row.values["scenario"] is None:
            name = row.values.get("scenario")
            if isinstance(name, str):
                complete[norm_key(name)] = False
            continue
        key = norm_key(row.values["scenario"])
        sc = by_key.get(key)
        if sc is None:
            sc = by_key[key] = scenarios[row.values["scenario"]] = Scenario(row.values["scenario"], "")
            if key in RESERVED_NAMES:  # once, at its first row
                resolver.error(row, "scenario", sc.name, f"a name other than {' and '.join(RESERVED_NAMES)}: planner "
                                                         "compare names its own cases so (the base case, the case "
                                                         "without Policy limits), and would take this scenario for one")
                complete[key] = False
        text = row.values["description"]
        wrong = another_description("scenario", sc.name, text, sc.description, described.get(key, ""))
        if wrong:
            resolver.error(row, "description", text, wrong)
            complete[key] = False
        elif text and not sc.description:
            sc.description, described[key] = text, f"'Scenarios'!{row.cells['description']}"
        change = resolver.change(row)
        if change is None:
            complete[key] = False
        else:
            sc.changes.append(change)
    warn_outside(issues, "Scenarios", "", resolver.cut, base.settings.years, SPANS_CUT)
    for key, sc in by_key.items():
        if case_complete and complete.get(key, True):
            sc.data = apply_scenario(base, sc, parser, issues)
    return scenarios


def apply_scenario(base: PlanningData, sc: Scenario, parser, issues: Issues) -> PlanningData | None:
    """A new dataset: ``base`` with the scenario's changes applied in order, or None if the result is invalid.

    Changed figures point at their Scenarios cell, so later messages (validation,
    infeasibility diagnosis) name the cell that set them.
    """
    d = dataclasses.replace(base, **{a: dict(getattr(base, a)) for a in (
        *_TABLES.values(), "capacity_factor", "price_factor", "cells")})
    before = len(issues.errors)
    for ch in sc.changes:
        _apply(d, ch, parser, issues)
    found = Issues()
    check_dataset(d, found, warnings=False)
    for issue in found.errors:
        if issue.sheet != "Scenarios":  # a figure the scenario left as it was, made wrong by what it changed
            issue = dataclasses.replace(issue, expected=f"{issue.expected} (in scenario {sc.name}, after its "
                                                        f"changes: {_cells(sc.changes)}; the base case is valid)")
        issues.append(issue)
    return d if len(issues.errors) == before else None


def _cells(changes: list[Change], most: int = 4) -> str:
    """The Scenarios cells of a scenario's changes, for a message: the first ``most`` and how many more."""
    cells = list(dict.fromkeys(ch.cell for ch in changes))
    more = f" and {len(cells) - most} more" if len(cells) > most else ""
    return ", ".join(cells[:most]) + more


def _new(old: float, ch: Change) -> float:
    return {"set": lambda: ch.value, "scale": lambda: old * ch.value, "add": lambda: old + ch.value}[ch.operation]()


def _apply(d: PlanningData, ch: Change, parser, issues: Issues) -> None:
    def checked(value, column: str, what: str):
        """The changed value, if it is still a valid value of the column."""
        try:
            return parser.parse("Scenarios", ch.coord, _editable(ch.sheet)[column], value)
        except Bad:
            issues[-1] = dataclasses.replace(issues[-1], expected=f"{issues[-1].expected} (after the change, "
                                                                  f"for {what})")
            return _INVALID

    if ch.sheet == "Settings":
        (name,) = ch.keys
        d.settings = dataclasses.replace(d.settings, **{name: ch.value})
        d.cells["Settings", name, "value"] = ch.cell
        return
    if ch.years is not None:  # a supplier's capacity or price in some years only
        factors = getattr(d, _PER_YEAR[ch.column])
        for sid in ch.keys:
            s = d.suppliers[sid]
            for y in ch.years:
                unchanged = s.capacity_t_per_yr if ch.column == "capacity_t_per_yr" else s.price_in(
                    y, d.settings.price_year)
                new = checked(_new(unchanged * factors.get((sid, y), 1.0), ch), ch.column, f"{sid} {y}")
                if new is _INVALID:
                    return
                if unchanged == 0 and new != 0:
                    issues.error("Scenarios", ch.coord, ch.column, ch.value,
                                 f"a change that keeps {sid}'s zero {ch.column} at 0 in {y}; to give it a value, "
                                 "change the whole row (leave the years blank)")
                    return
                # A scale keeps its factor exact (1.5, not 1.4999...); set and add are relative to the data.
                factors[sid, y] = (factors.get((sid, y), 1.0) * ch.value if ch.operation == "scale"
                                   else new / unchanged if unchanged else 1.0)
                d.cells["Suppliers", (sid, y), ch.column] = ch.cell
        return
    table = getattr(d, _TABLES[ch.sheet])
    for key in ch.keys:
        if ch.sheet in ("Demand", "Feedstock"):
            new = checked(_new(table.get(key, 0.0), ch), ch.column, f"{key[0]} {key[1]}")
            if new is _INVALID:
                return
            table[key] = new
        elif ch.sheet == "Policy":
            limits = table.get(key, PolicyLimits())
            old = getattr(limits, ch.column)
            if old is None and ch.operation != "set":
                issues.error("Scenarios", ch.coord, ch.column, ch.value,
                             f"operation set: {ch.column} is blank for {key[0]} {key[1]}, so there is nothing to "
                             f"{ch.operation}")
                return
            new = checked(_new(old, ch), ch.column, f"{key[0]} {key[1]}")
            if new is _INVALID:
                return
            table[key] = dataclasses.replace(limits, **{ch.column: new})
        else:
            new = checked(_new(getattr(table[key], ch.column), ch), ch.column, str(key))
            if new is _INVALID:
                return
            table[key] = dataclasses.replace(table[key], **{ch.column: new})
        d.cells[ch.sheet, key, ch.column] = ch.cell


@dataclass(frozen=True)
class CellChange:
    """A workbook figure a scenario changed: where it is in the base workbook, its value there and in the
    scenario, and the Scenarios cell that changed it."""

    sheet: str
    column: str
    key: object  # the row: an id, (mineral_id, year) or, for a supplier's capacity or price, (supplier_id, year)
    cell: str  # the base workbook's cell, or the sheet where the base has no row (an all-minerals Policy row)
    old: object
    new: object
    source: str  # the Scenarios cell


def _figure(d: PlanningData, sheet: str, key, column: str):
    """The value a dataset holds for one figure (a supplier's capacity and price in a year with its factor)."""
    if sheet == "Suppliers" and column in _PER_YEAR and isinstance(key, tuple):
        sid, y = key
        s = d.suppliers[sid]
        unchanged = s.capacity_t_per_yr if column == "capacity_t_per_yr" else s.price_in(y, d.settings.price_year)
        return unchanged * getattr(d, _PER_YEAR[column]).get((sid, y), 1.0)
    table = getattr(d, _TABLES[sheet])
    if sheet in ("Demand", "Feedstock"):
        return table.get(key, 0.0)
    if sheet == "Policy":
        return getattr(table.get(key, PolicyLimits()), column)
    return getattr(table[key], column)


def changed_cells(base: PlanningData, other: PlanningData) -> list[CellChange]:
    """Every figure of ``base`` that ``other`` (a scenario of it) changed, in the order of the Scenarios rows
    that changed them: each change leaves its Scenarios cell in ``other.cells``."""
    out = []
    for name in SCENARIO_SETTINGS:
        old, new = getattr(base.settings, name), getattr(other.settings, name)
        if old != new:  # the reader keeps a setting's value cell under (Settings, None, name)
            out.append(CellChange("Settings", "value", name, base.cells.get(("Settings", None, name), "'Settings'"),
                                  old, new, other.cells.get(("Settings", name, "value"), "'Scenarios'")))
    for where, source in other.cells.items():
        if where[0] == "Settings" or not source.startswith("'Scenarios'!") or base.cells.get(where) == source:
            continue
        sheet, key, column = where
        old, new = _figure(base, sheet, key, column), _figure(other, sheet, key, column)
        if old != new:
            row = key[0] if sheet == "Suppliers" and column in _PER_YEAR and isinstance(key, tuple) else key
            out.append(CellChange(sheet, column, key, base.cells.get((sheet, row, column), f"'{sheet}'"), old, new,
                                  source))
    return out
