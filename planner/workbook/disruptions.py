"""The Disruptions sheet: events a plan is tested against and hedged for; and the Disruption risks
sheet, what scenarios are sampled from (``models.sampling``).

Rows with the same ``disruption`` name form one event; each row picks supply options (mineral,
option, country and role) and the share of their planned tonnes lost from ``first_year`` for
``duration``.  An event with probability basis ``horizon`` is one scenario; ``per_year`` gives
one scenario per start year, the event first starting in year k with probability
p (1 - p)^(k - first_year).  This module resolves the parsed rows against the base dataset into
:class:`models.dataset.DisruptionScenario`; it never touches Excel or Pyomo.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field

from models.dataset import DAYS_PER_YEAR, SAMPLED, CountryStop, DisruptionRisk, DisruptionScenario, PlanningData
from planner.workbook.cells import Bad, another_description, norm_key
from planner.workbook.errors import Issues
from planner.workbook.scenarios import touches

SHEET = "Disruptions"
RISKS = "Disruption risks"
PROBABILITY_TOL = 1e-9


@dataclass
class _Event:
    name: str
    first_row: object
    probability: float | None = None
    basis: str = "horizon"
    description: str = ""
    loss: dict[tuple[str, int], float] = field(default_factory=dict)  # by start offset 0
    spot: dict[tuple[str, int], float] = field(default_factory=dict)  # typed multipliers
    # (mineral, year) -> (country, role) -> share lost, of the rows without a typed multiplier
    hit: dict[tuple[str, int], dict[tuple[str, str], float]] = field(default_factory=dict)
    days: dict[tuple[str, int], float] = field(default_factory=dict)  # days of the year the option is stopped
    onset: dict[tuple[str, int], float] = field(default_factory=dict)  # days its stop had run at the year's start
    partners: set[str] = field(default_factory=set)
    stops: list[CountryStop] = field(default_factory=list)  # the rows by country, for other importers
    ok: bool = True


def read_disruptions(rows, base: PlanningData, issues: Issues, complete: bool = True
                     ) -> tuple[DisruptionScenario, ...]:
    """The scenarios of the Disruptions sheet's parsed ``rows`` (references already resolved by the
    reader); every problem is recorded in ``issues`` with its cell.  ``complete``: ``base`` holds
    every row of the case; if not (a row of it was bad, and reported), a row or event that matches
    no supply option is not reported, as the option may be the bad row's."""
    events: dict[str, _Event] = {}
    for row in rows:
        v = row.values
        if not isinstance(v["disruption"], str):
            continue  # a bad or blank name was reported by the parser
        key = norm_key(v["disruption"])
        event = events.get(key)
        if event is None:  # the event's heads are on its first row, whatever its other cells hold
            event = events[key] = _Event(v["disruption"], row, v["probability"], v["probability_basis"] or "horizon",
                                         _text(v.get("description")))
            taken = _taken_name(key)
            if taken:  # a scenario of that name would be two: the planner's lookups by name ended in a KeyError
                issues.error(SHEET, row.cells["disruption"], "disruption", v["disruption"], taken)
                event.ok = False
        if any(x is Bad for x in v.values()):
            event.ok = False
            continue
        _read_row(row, event, base, issues, complete)
    scenarios: list[DisruptionScenario] = []
    for event in events.values():
        if event.probability is None:
            issues.error(SHEET, event.first_row.cells["probability"], "probability", None,
                         f"a probability on the first row of disruption {event.name!r}")
            continue
        if event.ok and not event.loss and complete:
            issues.error(SHEET, event.first_row.cells["disruption"], "disruption", event.name,
                         "an event that hits at least one supply option; its rows match none")
        elif event.ok and event.loss:
            scenarios += _expand(event, base)
    total = sum(sc.probability for sc in scenarios)
    if total > 1 + PROBABILITY_TOL:
        last = max(events.values(), key=lambda e: e.first_row.number)
        issues.error(SHEET, last.first_row.cells["probability"], "probability", round(total, 6),
                     "probabilities adding up to at most 1 over all disruptions (they are alternatives: at most "
                     "one happens); per_year events count every start year in the horizon. Lower them")
    return tuple(scenarios)


def _taken_name(key: str) -> str:
    """What is wrong with a disruption named ``key`` (norm_key'd) that the planner names scenarios of its own so,
    or "": a per_year event's start years are <name>@<year> (``_expand``), and --sample's draws sample<k>
    (``models.sampling``), which --mix puts beside this sheet's events."""
    if "@" in key:
        return ("a name without '@': the planner names each start year of a per_year disruption <name>@<year>, and "
                "this name could be one of them")
    if re.fullmatch(rf"{SAMPLED}\d+", key):
        return ("a name other than sample<number>: --sample names its draws so, and --mix puts them beside this "
                "sheet's disruptions")
    return ""


# Given once per risk, on its first row (blank or the same on the others).
RISK_HEADS = ("annual_probability", "first_year", "duration_min_days", "duration_max_days")


def read_risks(rows, base: PlanningData, issues: Issues, complete: bool = True) -> tuple[DisruptionRisk, ...]:
    """The risks of the Disruption risks sheet's parsed ``rows``; every problem is recorded in
    ``issues`` with its cell (``complete`` as for ``read_disruptions``)."""
    firsts: dict[str, object] = {}
    members: dict[str, list] = {}
    for row in rows:
        if isinstance(row.values["risk"], str):  # a bad or blank name was reported by the parser
            key = norm_key(row.values["risk"])
            firsts.setdefault(key, row)
            members.setdefault(key, []).append(row)
    out = []
    for key, first in firsts.items():
        risk = _read_risk(first, members[key], base, issues, complete)
        if risk is not None:
            out.append(risk)
    return tuple(out)


def _read_risk(first, rows: list, base: PlanningData, issues: Issues, complete: bool) -> DisruptionRisk | None:
    ok = True

    def error(row, column: str, value, expected: str) -> None:
        nonlocal ok
        issues.error(RISKS, row.cells[column], column, value, expected)
        ok = False

    head = first.values
    name = head["risk"]
    if head["annual_probability"] is None:
        error(first, "annual_probability", None, f"a yearly probability on the first row of risk {name!r}")
    if head["duration_min_days"] is None:
        error(first, "duration_min_days", None, f"the shortest stop in days on the first row of risk {name!r}")
    elif head["duration_min_days"] is Bad or head["duration_max_days"] is Bad:
        ok = False  # reported by the parser
    elif head["duration_max_days"] is not None and head["duration_max_days"] < head["duration_min_days"]:
        error(first, "duration_max_days", head["duration_max_days"],
              f"blank, or at least duration_min_days ({head['duration_min_days']:g})")
    share: dict[str, float] = {}
    spot: dict[str, float] = {}
    untyped: dict[str, dict[tuple[str, str], float]] = {}  # mineral -> (country, role) -> share lost
    partners: set[str] = set()
    stops: list[CountryStop] = []
    for row in rows:
        v = row.values
        if any(x is Bad for x in v.values()):
            ok = False
            continue
        if row is not first:
            for column in RISK_HEADS:
                if v[column] is not None and head[column] is not Bad and v[column] != head[column]:
                    error(row, column, v[column], f"blank or {head[column]!r}: it is given on the risk's first row")
            wrong = another_description("risk", name, v["description"], _text(head["description"]),
                                        f"'{RISKS}'!{first.cells['description']}")
            if wrong:
                error(row, "description", v["description"], wrong)
        matched = _match(row, RISKS, base, issues, lambda *a, row=row: error(row, *a), complete)
        if matched is None:
            continue
        hit, named = matched
        if v["supplier_id"] is None:  # a row by country reaches other importers too
            stops.append(CountryStop(v["mineral_id"], v["country"], 0, v["share_lost"],
                                     importers=frozenset(v["importers_hit"] or ())))
        for s in hit:
            share[s.supplier_id] = max(share.get(s.supplier_id, 0.0), v["share_lost"])
            if v["spot_price_multiplier"] is not None:
                spot[s.mineral_id] = max(spot.get(s.mineral_id, 1.0), v["spot_price_multiplier"])
            elif v["country"] is not None:
                lost = untyped.setdefault(s.mineral_id, {})
                role = (v["country"], v["country_role"] or "either")
                lost[role] = max(lost.get(role, 0.0), v["share_lost"])
        partners.update(named)
    if ok and not share and complete:
        issues.error(RISKS, first.cells["risk"], "risk", name, "a risk that hits at least one supply option; its "
                                                               "rows match none")
    if not ok or not share:
        return None
    low = head["duration_min_days"]
    return DisruptionRisk(name, head["annual_probability"], head["first_year"] or base.settings.first_year, low,
                          head["duration_max_days"] or low, share, spot, frozenset(partners),
                          f"'{RISKS}'!{first.cells['annual_probability']}",
                          {m: base.world_supply_lost(m, shares) for m, shares in untyped.items()}, tuple(stops),
                          _text(head.get("description")))


def _read_row(row, event: _Event, base: PlanningData, issues: Issues, complete: bool) -> None:
    v, cells = row.values, row.cells

    def error(column: str, value, expected: str) -> None:
        issues.error(SHEET, cells[column], column, value, expected)
        event.ok = False

    if row is not event.first_row:
        for column, kept in (("probability", event.probability), ("probability_basis", event.basis)):
            if v[column] is not None and kept is not Bad and v[column] != kept:
                error(column, v[column], f"blank or {kept!r}: it is given on the event's first row")
        wrong = another_description("disruption", event.name, v["description"], event.description,
                                    f"'{SHEET}'!{event.first_row.cells['description']}")
        if wrong:
            error("description", v["description"], wrong)
    matched = _match(row, SHEET, base, issues, error, complete)
    if matched is None:
        return
    hit, partners = matched
    years = v["duration"] if (v["duration_unit"] or "years") == "years" else v["duration"] / DAYS_PER_YEAR
    start = v["first_year"]
    typed = v["spot_price_multiplier"]
    for k in range(min(math.ceil(years), base.settings.last_year - start + 1)):  # to the horizon's end
        part = min(1.0, years - k)  # a part year loses that part of its tonnes
        if v["supplier_id"] is None:  # a row by country reaches other importers too
            event.stops.append(CountryStop(v["mineral_id"], v["country"], start + k, v["share_lost"] * part,
                                           part * DAYS_PER_YEAR, k * DAYS_PER_YEAR,
                                           frozenset(v["importers_hit"] or ())))
        for s in hit:
            key, my = (s.supplier_id, start + k), (s.mineral_id, start + k)
            # Rows of one event describe one shock: the option loses the largest share any of them gives, is
            # stopped for the longest of them, and release lead times count from the one that has run longest
            # (as sampling combines stops; whatever the rows' order).
            event.loss[key] = max(event.loss.get(key, 0.0), v["share_lost"] * part)
            event.days[key] = max(event.days.get(key, 0.0), part * DAYS_PER_YEAR)
            event.onset[key] = max(event.onset.get(key, 0.0), k * DAYS_PER_YEAR)
            if typed is not None:
                event.spot[my] = max(event.spot.get(my, 1.0), typed)
            elif v["country"] is not None:
                lost = event.hit.setdefault(my, {})
                role = (v["country"], v["country_role"] or "either")
                lost[role] = max(lost.get(role, 0.0), v["share_lost"])
    event.partners.update(partners)


def _match(row, sheet: str, base: PlanningData, issues: Issues, error, complete: bool
           ) -> tuple[list, tuple[str, ...]] | None:
    """The supply options a Disruptions or Disruption risks row hits (by mineral, option, country
    and role) and the partners it names; None if the row is bad (reported through ``error``) or
    matches no option (a warning: harmless on its own, in a workbook cut down to fewer minerals;
    not given when ``base`` is not ``complete``)."""
    v, cells = row.values, row.cells
    if v["country_role"] is not None and v["country"] is None:
        error("country_role", v["country_role"], "blank, or a country to match")
        return None
    supplier, mineral, country = v["supplier_id"], v["mineral_id"], v["country"]
    hit = [s for s in base.suppliers.values()
           if (supplier is None or s.supplier_id == supplier) and (mineral is None or s.mineral_id == mineral)
           and (country is None or touches(s, country, v["country_role"] or "either"))]
    if not hit:
        if complete:
            column = "mineral_id" if supplier is None else "supplier_id"
            issues.warn(sheet, cells[column], column, v[column], "a row that matches at least one supply option; "
                                                                  "this one matches none and is ignored")
        return None
    return hit, v["partners_hit"] or ()


def _expand(event: _Event, base: PlanningData) -> list[DisruptionScenario]:
    """The event's scenarios: one for ``horizon``, one per start year in the horizon for ``per_year``."""
    first = min(y for _s, y in event.loss)
    last = base.settings.last_year
    cell = f"'{SHEET}'!{event.first_row.cells['probability']}"
    starts = [(first, event.probability)] if event.basis == "horizon" else [
        (y, event.probability * (1 - event.probability) ** (y - first)) for y in range(first, last + 1)]
    spot = dict(event.spot)
    for (m, y), shares in event.hit.items():  # rows without a typed multiplier: derived from the shock
        spot[m, y] = max(spot.get((m, y), 1.0), base.derived_multiplier(m, base.world_supply_lost(m, shares)))
    out = []
    for start, p in starts:
        shift = start - first

        def shifted(table: dict) -> dict:
            return {(k, y + shift): x for (k, y), x in table.items() if y + shift <= last}

        name = event.name if event.basis == "horizon" else f"{event.name}@{start}"
        out.append(DisruptionScenario(name, event.name, p, shifted(event.loss),
                                      {k: x for k, x in shifted(spot).items() if x != 1.0},
                                      frozenset(event.partners), cell, shifted(event.days), shifted(event.onset),
                                      tuple(dataclasses.replace(st, year=st.year + shift) for st in event.stops
                                            if st.year + shift <= last),
                                      description=event.description))
    return out


def _text(value) -> str:
    """A description cell as text: blank (or bad, reported by the parser) is ""."""
    return value.strip() if isinstance(value, str) else ""
