"""Semantic checks on a parsed dataset, and cheap pre-solve warnings.

Cell-level type checks happen in ``planner.workbook.reader``; here the rows are typed
and the checks are about meaning: contradictions between columns, missing
demand, sanctioned suppliers, and capacity that cannot meet a cap.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Iterator

from models.dataset import (
    ALIGNMENT_WEIGHTS, BASIS_IMPORTS, CHINA, DAYS_PER_YEAR, OTHER_POOL, PlanningData, RecyclingOption, StockpileRule,
    Supplier,
)
from planner.workbook import schema as S
from planner.workbook.cells import MAX_ABS, Bad
from planner.workbook.errors import Issues


def _split(ref: str) -> tuple[str, str]:
    """"'Suppliers'!F12" -> ("Suppliers", "F12")."""
    sheet, _, cell = ref.partition("!")
    return sheet.strip("'"), cell


# The least demand a year may have, if any: HiGHS holds a tonne balance to its tolerance, so a smaller
# demand could be left unmet (and uncharged) within it; the verifier then prices the unmet grams on the
# shortage cost curve and rejects the plan (1e-6 t of gallium: 2,063 USD apart).  1 kg is a hundred times
# the least that solves and verifies.
MIN_DEMAND_T = 0.001


def below_a_kilogram(t: float, span: str = "") -> str | None:
    """What a yearly demand of ``t`` tonnes must be instead (Korea's Demand, a what-if's, a partner's), or None:
    0 or at least ``MIN_DEMAND_T``; ``span`` names the minerals and years one cell set."""
    if 0 < t < MIN_DEMAND_T:
        return (f"0 (no demand) or at least {MIN_DEMAND_T:g} t (1 kg){span}: a smaller demand is below what the solver "
                "resolves")
    return None


# The sheets a mineral's recycling routes are read from.
RECYCLING_SHEETS = ("Recycling", "Feedstock", "Streams", "Put on market", "Lifetimes")


class _Unread(Exception):
    """A cell a row rule reads is bad, and reported: the rule is not checked."""


def _supplier_years(get) -> tuple | None:
    first, last = get("first_year"), get("last_year")
    return ("first_year", first, f"first_year <= last_year ({last})") if first > last else None


def _supplier_min_volume(get) -> tuple | None:
    volume, capacity, access = get("min_volume_t_per_yr"), get("capacity_t_per_yr"), get("accessible_share")
    if volume <= capacity * access:
        return None
    shown = "" if access == 1 else f" x accessible_share {access:g}"
    return "min_volume_t_per_yr", volume, f"at most capacity_t_per_yr{shown} ({_tonnes(capacity * access)} t)"


def _tonnes(t: float) -> str:
    """A bound in tonnes as typed, not rounded to whole tonnes: gallium's max_stock_t 7.98 read '(8 t)' beside an
    initial stock of 7.99 refused as above it."""
    return f"{t:,.6f}".rstrip("0").rstrip(".")


def _modules(get) -> tuple | None:
    existing, most = get("existing_modules"), get("max_modules")
    return ("existing_modules", existing, f"at most max_modules ({most})") if existing > most else None


def _stock(get) -> tuple | None:
    initial, most = get("initial_stock_t"), get("max_stock_t")
    return ("initial_stock_t", initial, f"at most max_stock_t ({_tonnes(most)} t)") if initial > most else None


# The rules one row keeps across its own columns: (sheet, the record it makes, its id field, the case's table of
# them, the rules).  Checked on the case's records, and on a row left out of the case for a bad cell with the cells
# that read, so that all of a row's problems show in one run.
ROW_RULES = (("Suppliers", Supplier, "supplier_id", "suppliers", (_supplier_years, _supplier_min_volume)),
             ("Recycling", RecyclingOption, "option_id", "recycling", (_modules,)),
             ("Stockpile", StockpileRule, "mineral_id", "stockpile", (_stock,)))


def _broken(rules, get: Callable[[str], object]) -> Iterator[tuple[str, object, str]]:
    """(column, value, expected) for each of ``rules`` a row breaks; ``get(column)`` gives a cell's value."""
    for rule in rules:
        try:
            found = rule(get)
        except _Unread:
            continue
        if found:
            yield found


def check_left_out_rows(tables: dict, issues: Issues, left_out: Callable) -> None:
    """``ROW_RULES`` on each row ``left_out`` of the case for a bad cell, with the cells that read (a blank
    optional one as its field's default)."""
    for sheet, record, _key, _table, rules in ROW_RULES:
        defaults = {f.name: f.default for f in dataclasses.fields(record)}

        for row in (r for r in tables[sheet] if left_out(r)):
            def get(column: str, v=row.values):
                value = v[column] if v[column] is not None else defaults.get(column, Bad)
                if value is Bad or value is dataclasses.MISSING:
                    raise _Unread
                return value

            for column, value, expected in _broken(rules, get):
                issues.error(sheet, row.cells[column], column, value, expected)


def case_sound(issues: Issues) -> bool:
    """No error on a sheet of the case itself (every row and reference of it sound); the study
    sheets (``schema.STUDY_SHEETS``) are read against the case and do not count."""
    return not any(i.sheet not in S.STUDY_SHEETS for i in issues.errors)


def check_dataset(d: PlanningData, issues: Issues,
                  unread_demand: frozenset[tuple[str | None, int | None]] = frozenset(),
                  warnings: bool = True) -> None:
    """Append every semantic error and warning found in ``d`` to ``issues``.  ``unread_demand``: the
    (mineral, year) of each Demand row kept out of ``d`` for a bad cell, None where that cell is the bad
    one; a year such a row may hold is reported with the row, not as missing.  ``warnings`` False skips the
    checks that can only warn (a scenario's dataset: only its errors are reported)."""

    def at(sheet: str, key, column: str) -> tuple[str, str]:
        return _split(d.cell(sheet, key, column))

    for sheet, _record, key, table, rules in ROW_RULES:
        for r in getattr(d, table).values():
            for column, value, expected in _broken(rules, functools.partial(getattr, r)):
                issues.error(*at(sheet, getattr(r, key), column), column, value, expected)
    for s in d.suppliers.values():
        known = s.countries <= d.countries.keys()  # an unknown country is reported already
        if s.contract_years_left and known and s.first_year <= s.last_year and (
                d.excluded(s) or not s.available(d.settings.first_year)):
            sanctioned = sorted(c for c in s.countries if d.countries[c].sanctioned)
            if s.contract == "off":
                why = "its contract is off (Suppliers contract)"
            elif sanctioned:
                why = (f"{', '.join(sanctioned)} {'is' if len(sanctioned) == 1 else 'are'} sanctioned (Countries), so "
                       "the model excludes it")
            else:
                why = (f"it does not deliver in {d.settings.first_year} (first_year-last_year {s.first_year}-"
                       f"{s.last_year})")
            issues.error(*at("Suppliers", s.supplier_id, "contract_years_left"), "contract_years_left",
                         s.contract_years_left, f"blank or 0: a contract in force at the start must be usable, but {why}")
        top_price, year = max(((d.price_usd_per_t(s, y), y) for y in d.years), default=(0.0, None))
        if top_price > MAX_ABS:  # a price escalated (or shocked) beyond what the solver can take
            issues.error(*at("Suppliers", s.supplier_id, "price_escalation_per_yr"), "price_escalation_per_yr",
                         s.price_escalation_per_yr, f"a price of at most {MAX_ABS:g} USD/t in every year; with this "
                         f"escalation {s.supplier_id} costs {top_price:.3g} USD/t in {year}")
        refinery = d.refineries.get(s.refinery_id) if s.refinery_id else None
        if refinery is not None and refinery.mineral_id != s.mineral_id:
            # Its tonnes would fill another mineral's modules (and tie the two minerals into one model).
            issues.error(*at("Suppliers", s.supplier_id, "refinery_id"), "refinery_id", s.refinery_id,
                         f"a refinery of {s.mineral_id} (the option's mineral_id), or blank; {s.refinery_id} "
                         f"refines {refinery.mineral_id} (Refining)")
        bad = sorted(c for c in s.countries if c in d.countries and d.countries[c].sanctioned)
        if bad:
            column = "origin_country" if s.origin_country in bad else "processing_country"
            issues.warn(*at("Suppliers", s.supplier_id, column), column, getattr(s, column),
                        f"no sanctioned country; {', '.join(bad)} is sanctioned (Countries), so the model excludes "
                        f"option {s.supplier_id}")
    for a in d.agreements.values():
        home = d.settings.home_country
        if warnings and home in a.partner_countries:
            # A swap or joint stock with itself: most likely a home_country changed to a partner's (the default
            # case planned for JPN), which the rest of the case may still make sense for; so a warning.
            issues.warn(*at("Agreements", a.agreement_id, "partner_countries"), "partner_countries",
                        ";".join(a.partner_countries), f"partner countries other than the home country {home} "
                        f"(Settings home_country): an agreement {home} makes with itself is planned as written, its "
                        "tonnes as a partner's")
        # Marked so on the Countries sheet itself: a what-if that sanctions a partner (a Scenarios row) plans its
        # agreements as written; refused, it stopped the base case and sent the planner to edit its Agreements.
        sanctioned = [c for c in a.partner_countries if c in d.countries and d.countries[c].sanctioned
                      and d.cell("Countries", c, "sanctioned").startswith("'Countries'")]
        if sanctioned:
            # An error, where a supply option from a sanctioned country is a warning: the model leaves such an
            # option out (``PlanningData.excluded``) and plans with the others, but it has no way to leave out an
            # agreement: it would plan with the line, count it as stock cover and draw on it in a disruption, all
            # tonnes a sanctioned country lends.  So it is refused, as a contract in force with an excluded option is.
            issues.error(*at("Agreements", a.agreement_id, "partner_countries"), "partner_countries",
                         ";".join(a.partner_countries), f"no sanctioned country; {', '.join(sanctioned)} "
                         f"{'is' if len(sanctioned) == 1 else 'are'} sanctioned (Countries), and the plan would count "
                         f"on the tonnes of agreement {a.agreement_id} all the same. Take "
                         f"{'it' if len(sanctioned) == 1 else 'them'} out of the partners, or delete the row")
        if a.member_at_start and a.first_year > d.settings.first_year:
            issues.error(*at("Agreements", a.agreement_id, "member_at_start"), "member_at_start", "yes",
                         f"no: a member at the start of {d.settings.first_year}, but first_year is {a.first_year}")
    if warnings:
        _horizon_warnings(d, issues)
        _warn_if_no_china(d, issues)
    _check_home_country(d, issues)
    _check_alignment_and_world_shares(d, issues)
    seen = set()  # one message per Policy cell and mineral, not one per year
    # Else a mineral's route may be in a row reported, or name a mineral whose own row is (recycling options
    # by mineral then has no place for it).
    recycling_read = issues.sound("Minerals", *RECYCLING_SHEETS)
    for (m, y), lim in sorted(d.policy.items()):
        where = d.cell("Policy", (m, y), "recycling_min_share")
        # An all-minerals target does not apply to a mineral with no recycling route; a row naming it asks
        # for the impossible.
        named = where != d.cells.get(("Policy", (None, y), "recycling_min_share"))
        if recycling_read and lim.recycling_min_share and named and (where, m) not in seen \
                and not d.limit_applies("recycling_min_share", m):
            seen.add((where, m))
            issues.error(*_split(where), "recycling_min_share", lim.recycling_min_share,
                         f"0 or blank for {m} in {y}: {m} has no row in the Recycling sheet, so no recycling "
                         "target can be met")
    # Once per cell: a scenario's demand_change row scales every year of a mineral (or of all) from one cell.
    tiny: dict[str, list[tuple[str, int, float]]] = {}
    for (m, y), t in sorted(d.demand_t.items()):
        if 0 < t < MIN_DEMAND_T:
            tiny.setdefault(d.cell("Demand", (m, y), "demand_t"), []).append((m, y, t))
    for where, found in tiny.items():
        years = sorted({y for _m, y, _t in found})
        span = "" if len(found) == 1 else " ({} {})".format(", ".join(dict.fromkeys(m for m, _y, _t in found)),
                                                            f"{years[0]}-{years[-1]}" if len(years) > 1 else years[0])
        issues.error(*_split(where), "demand_t", found[0][2], below_a_kilogram(found[0][2], span))
    # The stock a Policy row's days ask for is held to the billion tonnes a typed stock is (days x demand): once per
    # cell, at its first mineral and year.
    huge: dict[str, tuple[str, int, float, float]] = {}
    for (m, y), t in sorted(d.demand_t.items()):
        days = d.limits(m, y).stockpile_min_days
        if days and days * t / DAYS_PER_YEAR > S.MAX_TONNES:
            huge.setdefault(d.cell("Policy", (m, y), "stockpile_min_days"), (m, y, days, t))
    for where, (m, y, days, t) in huge.items():
        issues.error(*_split(where), "stockpile_min_days", days,
                     f"days whose stock is at most {S.MAX_TONNES:,.0f} t: {days:g} days of {m}'s {t:,.0f} t of "
                     f"demand in {y} is {days * t / DAYS_PER_YEAR:,.0f} t; {S.TONNES_WHY}")
    # A duplicate row is no bad row: the year it should have held is missing, and said so in the same run.
    for m in d.minerals if "Demand" not in issues.unread else ():
        missing = [y for y in d.years if (m, y) not in d.demand_t
                   and not any(mm in (None, m) and yy in (None, y) for mm, yy in unread_demand)]
        if missing:
            issues.error("Demand", "", "demand_t", None,
                         f"a row for {m} in every year; missing {', '.join(map(str, missing))}")
    if case_sound(issues):  # these need every row and reference of the case sound
        _policy_contradictions(d, issues)
        if not warnings:
            return
        capacity_warnings(d, issues)
        for m in d.minerals:
            if ("Stockpile", m, "mineral_id") not in d.cells and any(d.limits(m, y).stockpile_min_days
                                                                      for y in d.years):
                issues.warn("Stockpile", "", "mineral_id", None, f"a row for {m}: the Policy sheet asks for "
                            f"stockpile days, but with no row {m} has no stock and cannot build one (only agreements "
                            "count)")


def _horizon_warnings(d: PlanningData, issues: Issues) -> None:
    """Years outside the horizon that the model takes as written, though they are most likely slips: a supply
    option first delivering, or an agreement first joinable, after the last decision year, or an option
    delivering only before the first (never used: its row does nothing), and prices quoted after it (escalation counts back from then: a price rising 3% a year is a
    fifth lower seven years before).  A member at the start, or a contract in force at the start, whose
    first_year is after the first year, and a first_year after the option's own last_year, are errors already."""
    last = d.settings.last_year
    late = [("Suppliers", s.supplier_id, s.first_year, f"option {s.supplier_id} can deliver only", "uses it")
            for s in d.suppliers.values() if not s.contract_years_left and s.first_year <= s.last_year]
    late += [("Agreements", a.agreement_id, a.first_year, f"agreement {a.agreement_id} can be joined only", "joins it")
             for a in d.agreements.values() if not a.member_at_start]
    for sheet, key, first, what, used in late:
        if first > last:
            issues.warn(*_split(d.cell(sheet, key, "first_year")), "first_year", first,
                        f"a year up to Settings last_year ({last}): {what} from {first}, after the last decision "
                        f"year, so no plan {used}")
    first = d.settings.first_year
    for o in d.suppliers.values():  # its mirror: delivering only before the first decision year
        if o.last_year < first:
            issues.warn(*_split(d.cell("Suppliers", o.supplier_id, "last_year")), "last_year", o.last_year,
                        f"a year from Settings first_year ({first}): option {o.supplier_id} can deliver only up to "
                        f"{o.last_year}, before the first decision year, so no plan uses it")
    s = d.settings
    if s.price_year > last:
        issues.warn(*_split(d.cell("Settings", None, "price_year")), "price_year", s.price_year,
                    f"the year the prices were quoted in, at most last_year ({last}): the prices written are "
                    f"taken as {s.price_year}'s and escalated back from there to {s.first_year}-{last} "
                    "(price_escalation_per_yr)")


def _warn_if_no_china(d: PlanningData, issues: Issues) -> None:
    """A China cap with no CHN on the Countries sheet (China coded PRC or CN) limits nothing, and every China share
    reads 0%: the plan was made as if no supply were Chinese, without a word."""
    capped = [key for key, lim in d.policy.items() if lim.china_cap_share is not None]
    if CHINA in d.countries or not capped or not issues.sound("Countries"):  # a CHN row with a bad cell is left out
        return
    named = [c for c, country in d.countries.items() if country.name.strip().lower() == "china"]
    nothing = ": the cap limits nothing, and every China share is 0%"
    # with no country named China, the case may have no Chinese supply at all, where the cap is only idle
    advice = (f" (it codes China {named[0]}){nothing}. Code China {CHINA}" if named
              else f"{nothing}. If China supplies, code it {CHINA}")
    issues.warn(*_split(d.cell("Policy", capped[0], "china_cap_share")), "china_cap_share",
                d.policy[capped[0]].china_cap_share,
                f"a China cap on supply mined or refined in {CHINA} (ISO3), a country_code the Countries sheet does "
                f"not have{advice}")


def _check_home_country(d: PlanningData, issues: Issues) -> None:
    """The home country is the importer the plan is made for: not China, whose share of supply the China cap
    limits (China's own mines and refineries would be both its domestic supply and the exposure capped), and not
    a country the Countries sheet sanctions (the plan would be barred from its own country's supply).  An
    unknown code is the reader's error already."""
    home = d.settings.home_country
    if home not in d.countries:
        return
    if home == CHINA:
        issues.error(*_split(d.cell("Settings", None, "home_country")), "home_country", home,
                     f"the ISO3 code of the importing country the plan is made for (KOR in the default case), not "
                     f"{CHINA}: the China cap and the China share measure supply mined or refined in {CHINA}, "
                     "which for China itself is its own supply, not an exposure")
    elif d.countries[home].sanctioned:
        issues.error(*_split(d.cell("Countries", home, "sanctioned")), "sanctioned", "yes",
                     f"no for {home}, the home country (Settings home_country): the plan is made for {home}, and "
                     "a sanctioned country's supply options are excluded")


def _check_alignment_and_world_shares(d: PlanningData, issues: Issues) -> None:
    """Alignment weights that can score a country (the alignment score divides by their sum, and the
    Partners sheet and the partners direction show it whatever the risk_basis), and world shares
    that add up to at most 1 per mineral and stage."""
    if sum(getattr(d.settings, w) for w in ALIGNMENT_WEIGHTS.values()) <= 0:
        where = [d.cells.get(("Settings", None, w), f"'Settings' {w}") for w in ALIGNMENT_WEIGHTS.values()]
        issues.error(*_split(where[0]), ALIGNMENT_WEIGHTS["msp_member"], 0,
                     f"alignment weights that add up to more than 0; all five are 0 ({', '.join(where)}), so no "
                     "country has an alignment score. Give at least one a weight (the defaults: 0.25, 0.15, 0.25, "
                     "0.2, 0.15)")
    totals: dict[tuple[str, str], float] = {}
    for (m, stage, _c), share in d.world_share.items():
        totals[m, stage] = totals.get((m, stage), 0.0) + share
    for (m, stage), total in sorted(totals.items()):
        if total > 1 + 1e-6:
            first = next(k for k in sorted(d.world_share) if k[:2] == (m, stage))
            issues.error(*_split(d.cell("WorldSupply", first, "world_share")), "world_share", round(total, 6),
                         f"the {stage} shares of {m} adding up to at most 1 (100%)")


def _policy_contradictions(d: PlanningData, issues: Issues) -> None:
    """Policy limits no plan can meet while anything is supplied, one message per Policy cell:
    a risk cap below the risk of every source, and IRA and recycling floors that add up to more
    than all supply (recycled tonnes are domestic, not IRA-compliant imports)."""
    below: dict[str, tuple[float, list[str]]] = {}  # Policy cell -> (cap, "mineral year: lowest risk")
    ira_reported: set[str] = set()
    for m, y in sorted(d.policy):
        risks = [d.supplier_risk(s) for s in d.usable_suppliers[m] if s.available(y)]
        risks += [d.home_risk()] if d.recycling_by_mineral[m] else []
        cap = d.limit("risk_cap", m, y)
        if cap is not None and risks and cap < min(risks):
            below.setdefault(d.cell("Policy", (m, y), "risk_cap"), (cap, []))[1].append(
                f"{m} {y}: {min(risks):.2f}")
        ira, recycling = d.limit("ira_min_share", m, y) or 0, d.limit("recycling_min_share", m, y) or 0
        if ira and ira + recycling > 1:
            where = d.cell("Policy", (m, y), "ira_min_share")
            if where not in ira_reported:
                ira_reported.add(where)
                issues.error(*_split(where), "ira_min_share", ira,
                             f"recycling_min_share + ira_min_share at most 1 ({m} {y}: {recycling:g} + {ira:g}); "
                             "recycled tonnes are not IRA-compliant imports")
    for where, (cap, lows) in below.items():
        shown = "; ".join(lows[:4]) + ("; ..." if len(lows) > 4 else "")
        issues.error(*_split(where), "risk_cap", cap,
                     f"a risk_cap at least the lowest political risk of any source ({shown}); "
                     "no mix of sources can average below it")


def max_recycling_t(d: PlanningData, mineral_id: str, year: int) -> float:
    """Most recycled output possible in ``year``: all modules built as early as allowed, limited by
    the feedstock (a stream's collected units, for a plant's outputs) x yield."""
    own = [r for r in d.recycling_by_mineral[mineral_id] if r.plant_id is None]
    cap = feed_limit = 0.0
    for r in own:
        modules = r.max_modules if year - r.lead_time_yr >= d.settings.first_year else r.existing_modules
        cap += modules * r.module_capacity_t_per_yr
        feed_limit = max(feed_limit, d.feedstock_t.get((mineral_id, year), 0.0) * r.recovery_yield)
    plants = 0.0
    for r in d.recycling_by_mineral[mineral_id]:
        if r.plant_id is not None:
            p = d.recycling_plants[r.plant_id]
            modules = p.max_modules if year - p.lead_time_yr >= d.settings.first_year else p.existing_modules
            units = min(modules * p.module_capacity_t_per_yr, d.streams[p.stream_id].available_units(year))
            plants += units * d.output_per_unit_t(r)
    return min(cap, feed_limit) + plants


def capacity_warnings(d: PlanningData, issues: Issues) -> None:
    """Warn, with numbers, where capacity cannot meet demand or the China cap."""
    imports_basis = d.settings.reliance_basis == BASIS_IMPORTS
    for m in d.minerals:
        for y in d.years:
            demand = d.demand_t.get((m, y), 0.0)
            if demand <= 0:
                continue
            avail = [s for s in d.usable_suppliers[m] if s.available(y)]
            recycled = max_recycling_t(d, m, y)
            total = sum(d.capacity_t(s, y) for s in avail) + recycled
            if total < demand:
                issues.warn(*_split(d.cell("Demand", (m, y), "demand_t")), "demand_t", demand,
                            f"at most the capacity of {m}'s usable supply options and recycling in {y}, "
                            f"{total:,.0f} t (Suppliers, Recycling, Feedstock, Streams), or some demand goes unmet")
            cap = d.limit("china_cap_share", m, y)
            if cap is None:
                continue
            non_china = sum(d.capacity_t(s, y) for s in avail if CHINA not in s.countries)
            rule = d.stockpile.get(m)
            if imports_basis:
                # China's share of imports is least when imports are least: demand less all recycling and
                # the most stock that could be released (the stock on hand in the first year; later, the
                # largest stock, imported in the years before), the rest bought outside China first.
                stock = 0.0 if rule is None else rule.initial_stock_t if y == d.settings.first_year \
                    else rule.max_stock_t
                imports = max(0.0, demand - recycled - stock)
                lowest = 1 - non_china / imports if imports > non_china else 0.0
                why = (f"1 - {non_china:,.0f} / imports of at least {imports:,.0f} t: non-China capacity "
                       f"{non_china:,.0f} t; demand {demand:,.0f} t less recycling and the stock that could be "
                       "released")
            else:
                # Every non-China tonne the year could have: capacity, recycling and the non-China part of
                # the initial stock (the China pool counts as China when released).
                most = non_china + recycled + (rule.initial_t(OTHER_POOL) if rule else 0.0)
                lowest = 1 - most / demand
                why = (f"1 - {most:,.0f} / demand {demand:,.0f} t: non-China capacity {non_china:,.0f} t, "
                       f"recycling and non-China stock {most - non_china:,.0f} t")
            if lowest > cap + 1e-9:
                issues.warn(*_split(d.cell("Policy", (m, y), "china_cap_share")), "china_cap_share", cap,
                            f"a cap of at least {math.ceil(lowest * 1000) / 10:.1f}% for {m} in {y} ({why}), or the "
                            "cap cannot be met; a solve's diagnosis can ask for more where other limits bind too")


def merit_order_china_share(d: PlanningData, year: int) -> dict[str, float]:
    """China share per mineral when demand is filled cheapest-first with no policy.

    This is today's import pattern as implied by the supplier data: a check
    that the default case reproduces the observed shares.  Contracts in force (or forced on) take
    their minimum volumes first.  A route through a Korean refinery costs its feed plus the
    conversion, and together with the refinery's other routes it fills only the modules that
    exist: one still to be built is not today's pattern.
    """
    out = {}
    for m in d.minerals:
        options = [s for s in d.usable_suppliers[m] if s.available(year)]
        refining_left = {r.refinery_id: r.existing_modules * r.module_capacity_t_per_yr
                         for r in d.refineries.values()}
        bought_from = dict.fromkeys((s.supplier_id for s in options), 0.0)

        def buy(s: Supplier, most: float) -> None:
            take = min(most, d.capacity_t(s, year) - bought_from[s.supplier_id],
                       refining_left[s.refinery_id] if s.refinery_id else math.inf)
            if take > 0:
                bought_from[s.supplier_id] += take
                if s.refinery_id:
                    refining_left[s.refinery_id] -= take

        def cost(s: Supplier) -> float:
            conversion = d.refineries[s.refinery_id].operating_cost_usd_per_t if s.refinery_id else 0.0
            return d.price_usd_per_t(s, year) + conversion

        need = d.demand_t.get((m, year), 0.0)
        for s in options:
            if s.contract_held(year, d.settings.first_year):
                buy(s, min(d.min_volume_t(s, year), need - sum(bought_from.values())))
        for s in sorted(options, key=cost):
            buy(s, need - sum(bought_from.values()))
        bought = sum(bought_from.values())
        china = sum(bought_from[s.supplier_id] for s in options if CHINA in s.countries)
        out[m] = china / bought if bought else 0.0
    return out
