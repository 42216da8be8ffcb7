"""The Partners sheet: the figures of partner countries a coalition with Korea may include
(``planner coalition``, ``models.coalition``).

One row per partner country and mineral: its demand, its emergency stock and mandate, how its supply
is exposed (its China share and its other supplier countries, written ``CHL:0.54;ARG:0.43`` in one
cell) and what a shortage costs it.  References (country, mineral, sources) are resolved by the
reader; this module checks what only the whole row can say, and every problem names its cell.
"""

from __future__ import annotations

import difflib

from models.dataset import CHINA, DAYS_PER_YEAR, Partner, PlanningData
from planner.workbook.cells import MAX_ABS, Bad, norm_key
from planner.workbook.errors import Issues
from planner.workbook.schema import MAX_TONNES, TONNES_WHY
from planner.workbook.validate import below_a_kilogram

SHEET = "Partners"
SHARE_TOL = 1e-6  # shares typed to a few decimals may add up to 1 plus round-off


def read_partners(rows, base: PlanningData, issues: Issues, countries: dict[str, str]
                  ) -> dict[tuple[str, str], Partner]:
    """Every sound row of the Partners sheet as a :class:`Partner`, keyed (country, mineral_id); each
    problem is recorded in ``issues`` with its cell, and its row left out.  ``countries``: the codes the
    Countries sheet lists (by ``norm_key``), a row with a bad cell included, as every reference resolves."""
    out: dict[tuple[str, str], Partner] = {}
    for row in rows:
        v, cells = row.values, row.cells
        # A cell the parser, the references or the key check refused is reported; the row's other cells are
        # checked all the same (each check only with the cells it reads sound), so that every problem shows at once.
        left_out = any(x is Bad for x in v.values()) or "__duplicate__" in v
        problems = len(issues.errors)

        def error(column: str, value, expected: str) -> None:
            issues.error(SHEET, cells[column], column, value, expected)

        country, m = v["country"], v["mineral_id"]
        if country == base.settings.home_country:
            error("country", country, f"a partner country, not the home country {country}: Korea's own figures "
                                      "are the workbook's other sheets (Demand, Stockpile, Policy, Suppliers, "
                                      "Shortage costs)")
        # With the Countries sheet unread, every country would read as unknown: that sheet's one error says it.
        suppliers = None if v["main_suppliers"] is Bad or "Countries" in issues.unread else _suppliers(
            v["main_suppliers"], countries, lambda value, expected: error("main_suppliers", value, expected))
        if suppliers is not None and v["china_share"] is not Bad:
            total = v["china_share"] + sum(share for _c, share in suppliers)
            if total > 1 + SHARE_TOL:
                error("main_suppliers", v["main_suppliers"], f"shares that, with china_share {v['china_share']:g}, "
                                                             f"add up to at most 1; they add up to {total:.4g}")
        if v["shortage_cost_usd_per_t"] not in (None, Bad) and v["shortage_cost_factor"] not in (None, Bad):
            error("shortage_cost_factor", v["shortage_cost_factor"], "blank when shortage_cost_usd_per_t is given: "
                                                                     "a flat cost or a factor on Korea's curve, "
                                                                     "not both")
        factor = v["shortage_cost_factor"]
        if factor not in (None, Bad) and m is not Bad and m in base.minerals:
            # The cost the model charges a partner's tonne short is this factor times Korea's curve: each is
            # within the bound of every number, but their product is not (1e12 x 1e12 = 1e24 USD/t read, and
            # coalition values came out as nonsense, exit 0).
            dearest = max(cost for _w, cost in base.shortage_steps(m))
            if factor * dearest > MAX_ABS:
                curve = base.shortage_curve.get(m)
                where = base.cells.get(("Shortage costs", (m, curve[-1].end_share), "cost_usd_per_t") if curve else
                                       ("Minerals", m, "shortage_penalty_usd_per_t"), "")
                what = (f"the dearest step of Korea's {m} curve" if curve else
                        f"Korea's {m} penalty (Minerals shortage_penalty_usd_per_t)")
                what += f" at {where}" if where else ""
                error("shortage_cost_factor", factor,
                      f"a factor that keeps the partner's shortage cost at most {MAX_ABS:g} USD/t; {factor:g} x "
                      f"{dearest:,g} USD/t, {what}, is {factor * dearest:.3g} USD/t")
        # A partner's demand below a kilogram, as Korea's: grams left unmet within the solver's tolerance are
        # priced by the check alone, and the coalition's plan failed its verification (exit 5).
        if v["demand_t_per_yr"] is not Bad and (wrong := below_a_kilogram(v["demand_t_per_yr"])):
            error("demand_t_per_yr", v["demand_t_per_yr"], wrong)
        mandate, stock = v["mandate_days"], v["stock_t"]
        if stock is None and mandate not in (None, Bad) and v["demand_t_per_yr"] is not Bad \
                and mandate * v["demand_t_per_yr"] / DAYS_PER_YEAR > MAX_TONNES:
            # The stock a blank stock_t stands for is bounded as a typed one is.
            error("mandate_days", mandate, f"a mandate whose stock, {mandate:g} days of {v['demand_t_per_yr']:,.0f} "
                                           f"t/yr (stock_t blank), is at most {MAX_TONNES:,.0f} t: {TONNES_WHY}")
        if left_out or len(issues.errors) > problems:
            continue
        mandate = mandate or 0.0
        out[country, m] = Partner(
            country, m, v["demand_t_per_yr"], mandate * v["demand_t_per_yr"] / DAYS_PER_YEAR if stock is None
            else stock, mandate, v["china_share"], tuple(suppliers), v["shortage_cost_usd_per_t"],
            v["shortage_cost_factor"], stock_from_mandate=stock is None,
            sources=(v["source_id"], v["stock_source_id"], v["shortage_source_id"]))
        for column, coord in cells.items():
            base.cells[SHEET, (country, m), column] = f"'{SHEET}'!{coord}"
    return out


def _suppliers(text: str | None, known: dict[str, str], error) -> list[tuple[str, float]] | None:
    """``CHL:0.54;ARG:0.43`` -> [("CHL", 0.54), ("ARG", 0.43)]; None (and an error) if the cell is not
    that: an entry that is not ISO3:share, a country not on the Countries sheet, China (its share
    goes in china_share), a country twice, a share outside 0 to 1."""
    if text is None:
        return []
    out: list[tuple[str, float]] = []
    for entry in (e.strip() for e in str(text).split(";")):
        if not entry:
            continue
        code, sep, share_text = entry.partition(":")
        try:
            share = float(share_text) if sep else None
        except ValueError:
            share = None
        if share is None or not 0 <= share <= 1:
            error(text, f"ISO3:share entries separated by ';', each share from 0 to 1, e.g. CHL:0.54;ARG:0.43 "
                        f"({entry!r} is not one)")
            return None
        canon = known.get(norm_key(code))
        if canon is None:
            close = difflib.get_close_matches(norm_key(code), list(known), n=1)
            error(text, f"countries listed on the Countries sheet; {code.strip()!r} is not one"
                        + (f" (did you mean {known[close[0]]}?)" if close else ""))
            return None
        if canon == CHINA:
            error(text, "the other supplier countries: China's share goes in the china_share column")
            return None
        if canon in dict(out):
            error(text, f"each country once; {canon} is listed twice")
            return None
        out.append((canon, share))
    return out
