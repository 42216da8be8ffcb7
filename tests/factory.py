"""Small planning cases built in code, for hand-solved and property tests."""

from __future__ import annotations

from models.dataset import (
    Agreement, Country, Mineral, PlanningData, PolicyLimits, RecyclingOption, Settings, StockpileRule, Supplier,
)

COUNTRIES = {
    "KOR": (0.1, False, False, True),
    "CHN": (0.6, False, True, False),
    "AUS": (0.1, False, False, True),
    "CHL": (0.3, False, False, True),
    "IDN": (0.5, False, False, False),
    "RUS": (0.9, True, True, False),
}


def supplier(sid, origin, price, capacity, *, processing=None, mineral="li", fixed=0.0, min_volume=0.0,
             first=None, last=None, escalation=0.0, contract=None, base=2024, end=2024,
             contract_years_left=0) -> Supplier:
    return Supplier(sid, mineral, sid, origin, processing or origin, capacity, price, escalation, fixed, min_volume,
                    first or base, last or end, contract, contract_years_left)


def case(suppliers, demand, *, years=(2024, 2024), policy=None, recycling=(), feedstock=None, stockpile=(),
         agreements=(), minerals=("li",), discount_rate=0.0, min_contract_years=1, allow_unmet=False,
         battery=("li",), basis="imports") -> PlanningData:
    """A case over ``years``; ``demand`` maps (mineral, year) -> t or is one number for every mineral-year;
    ``basis`` is Settings reliance_basis (imports or consumption)."""
    settings = Settings(first_year=years[0], last_year=years[1], price_year=years[0], discount_rate=discount_rate,
                        min_contract_years=min_contract_years, allow_unmet_demand=allow_unmet,
                        reliance_basis=basis)
    yrs = range(years[0], years[1] + 1)
    if not isinstance(demand, dict):
        demand = {(m, y): float(demand) for m in minerals for y in yrs}
    return PlanningData(
        settings=settings,
        minerals={m: Mineral(m, m, m, True, m in battery, 1e6) for m in minerals},
        countries={c: Country(c, c, *v) for c, v in COUNTRIES.items()},
        suppliers={s.supplier_id: s for s in suppliers},
        demand_t=demand,
        recycling={r.option_id: r for r in recycling},
        feedstock_t=feedstock or {},
        stockpile={s.mineral_id: s for s in stockpile},
        agreements={a.agreement_id: a for a in agreements},
        policy={(m, y): policy for m in minerals for y in yrs} if isinstance(policy, PolicyLimits)
        else (policy or {}),
    )


__all__ = ["case", "supplier", "Agreement", "PolicyLimits", "RecyclingOption", "StockpileRule"]


def renamed(tables: dict[str, list[dict]], old: str, new: str) -> dict[str, list[dict]]:
    """``tables`` with every cell that holds the id ``old`` holding ``new`` (a mineral named in Hangul)."""
    for rows in tables.values():
        for row in rows:
            for column, value in row.items():
                if value == old:
                    row[column] = new
    return tables


def default_tables_for(*minerals: str) -> dict[str, list[dict]]:
    """The default case's tables cut down to ``minerals``: a small case with real data and
    cells, to write with ``planner.workbook.write_input_workbook``."""
    from planner.workbook.defaults import load_default_tables

    tables = load_default_tables()
    for name, rows in tables.items():
        if rows and "mineral_id" in rows[0]:
            rows[:] = [r for r in rows if r["mineral_id"] in minerals or (r["mineral_id"] is None and
                                                                           name != "Streams")]
    # A stream keeps none of its minerals: it goes, with its plants, sales and lifetimes.
    streams = {r["stream_id"] for r in tables["Streams"]}
    first = {}
    for r in tables["Streams"]:  # the name, unit and collection rate stay on a kept stream's first row
        first.setdefault(r["stream_id"], r)
    for r in load_default_tables()["Streams"]:
        if r["stream_id"] in streams and r["name"] and first[r["stream_id"]] is not r:
            for column in ("name", "unit", "collection_rate"):
                first[r["stream_id"]][column] = r[column]
    tables["Recycling"] = [r for r in tables["Recycling"] if r["stream_id"] in streams or r["stream_id"] is None]
    for name in ("Put on market", "Lifetimes"):
        tables[name] = [r for r in tables[name] if r["stream_id"] in streams]
    tables["Scenarios"] = scenarios_still_valid(tables)
    return tables


def default_case_for(folder, *minerals: str) -> PlanningData:
    """The default case cut down to ``minerals`` as the planner reads it: their tables (``default_tables_for``)
    written to a workbook in ``folder`` and read back."""
    from planner.workbook.reader import read_workbook
    from planner.workbook.writer import write_input_workbook

    path = folder / f"{'_'.join(minerals)}.xlsx"
    return read_workbook(write_input_workbook(default_tables_for(*minerals), path)).data


def ending_in(tables: dict[str, list[dict]], last_year: int) -> dict[str, list[dict]]:
    """The tables with their horizon cut at ``last_year``: Settings last_year, and no row of a later year."""
    for row in tables["Settings"]:
        if row["name"] == "last_year":
            row["value"] = last_year
    for rows in tables.values():
        rows[:] = [r for r in rows if not isinstance(r.get("year"), int) or r["year"] <= last_year]
    return tables


def scenarios_still_valid(tables: dict[str, list[dict]]) -> list[dict]:
    """The Scenarios rows of cut-down tables that name no supply option removed with its mineral."""
    kept = {r["supplier_id"] for r in tables["Suppliers"]}
    return [r for r in tables["Scenarios"] if r["sheet"] == "Settings" or r["item_id"] in (None, *kept)]


def set_policy(tables: dict[str, list[dict]], year: int, mineral: str | None, **limits) -> int:
    """Set Policy limits for one mineral (None: all minerals) in one year, in its row if the table has
    one, else in a new row; the row's number on the sheet (the header is row 1)."""
    rows = tables["Policy"]
    for k, row in enumerate(rows):
        if row["year"] == year and row["mineral_id"] == mineral:
            row.update(limits)
            return k + 2
    rows.append({c: None for c in rows[0]} | {"year": year, "mineral_id": mineral, "source_id": "motie_2023"}
                | limits)
    return len(rows) + 1
