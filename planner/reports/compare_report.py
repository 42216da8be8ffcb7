"""The comparison reports of ``planner compare``: ``<stem>-compare.xlsx`` and ``<stem>-compare.html``.

Both are built from the same verified results (``planner.compare.CaseResult``);
every indicator is shown for each case and as a change from the base.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter

from planner.reports import html
from planner.reports.files import workbook_bytes
from planner.studies.compare import (
    BASE, CaseResult, china_value_share, mean_over_minerals, narrative, proven_gap_usd, relative_change,
    supplier_changes,
)
from planner.workbook.writer import put
from planner.reports.plan_workbook import (
    COST_PART_NOTES, DAYS, INT, PCT, RISK, T, USD, Col, make_printable, write_run_sheet, write_table,
)
from planner.verify import COST_PARTS, purchases_by_origin_usd

# Indicators per mineral and year: (name, unit format, description, MineralYear -> value).
INDICATORS = [
    ("china_share", PCT, "Share of supply mined or refined in China", lambda mi: mi.china_share),
    ("avg_political_risk", RISK, "Volume-weighted political risk of imports (0-1)", lambda mi: mi.avg_risk),
    ("recycling_share", PCT, "Share of demand met by domestic recycling", lambda mi: mi.recycling_share),
    ("stockpile_days", DAYS, "Stock plus agreement volumes, in days of that year's imports",
     lambda mi: mi.stockpile_days),
    ("unmet_t", T, "Demand not delivered (t), charged at the shortage penalty", lambda mi: mi.unmet_t),
]
HTML_FORMAT = {PCT: "percent", RISK: "number", DAYS: "days", T: "t", USD: "usd_m"}
TOP_COUNTRIES = 8  # the supply-mix chart groups the rest as "other"


def _delta(value, base):
    return None if value is None or base is None else value - base


def summary_rows(results: list[CaseResult]) -> tuple[list[Col], list[list]]:
    """One row per case: status, cost and its parts, and headline indicators, with changes from the base."""
    base = results[0]
    last = base.case.data.settings.last_year
    cols = [Col("case", "", "base, or the scenario's name"), Col("status", "", "optimal, feasible (time limit), "
                                                                              "infeasible, no_solution or error"),
            Col("total_cost_usd", USD, "Present value of every cost, 2024 USD"),
            Col("delta_cost_usd", USD, "Change from the base (USD, present value)"),
            Col("delta_cost_pct", PCT, "Change from the base (share of the base cost)")]
    cols += [Col(f"delta_{p}_usd", USD, f"Change from the base: {COST_PART_NOTES[p]}") for p in COST_PARTS]
    cols += [Col("china_value_share", PCT, "Share of purchase value (all years, all minerals) linked to China"),
             Col(f"mean_china_share_{last}", PCT, f"China share in {last}, mean over minerals"),
             Col(f"mean_political_risk_{last}", RISK, f"Political risk of imports in {last}, mean over minerals"),
             Col(f"mean_recycling_share_{last}", PCT, f"Recycling share of demand in {last}, mean over minerals"),
             Col(f"mean_stockpile_days_{last}", DAYS, f"Stockpile cover in {last}, mean over minerals"),
             Col("unmet_t", T, "Demand not delivered over all years and minerals (t)"),
             Col("gap", "0.000%", "Proven relative gap of the plan: the least cost lies within it"),
             Col("proven_gap_usd", USD, "How much cheaper the best plan could be (objective minus HiGHS's bound); "
                                        "a change from the base smaller than this plus the base's is not "
                                        "significant"),
             Col("solve_s", "0.0", "Wall time of the solve, verification and diagnosis (s)"),
             Col("what_changed", "", "Generated summary, or the diagnosis of an infeasible case")]
    rows = []
    for r in results:
        d = r.case.data
        row = [r.case.name, r.status]
        if r.ok:
            ev = r.evaluation
            b = base.evaluation if base.ok else None
            row += [ev.total_usd, _delta(ev.total_usd, b and b.total_usd),
                    relative_change(ev.total_usd - b.total_usd, b.total_usd) if b else None]
            row += [_delta(ev.costs_usd[p], b and b.costs_usd[p]) for p in COST_PARTS]
            row += [china_value_share(d, r.plan)]
            row += [mean_over_minerals(ev, d, last, f) for _, _, _, f in INDICATORS[:4]]
            row += [sum(mi.unmet_t for mi in ev.indicators.values()), r.plan.stats.gap, proven_gap_usd(r.plan)]
        else:
            row += [None] * (len(cols) - 5)
        row += [round(r.wall_s, 2), narrative(base, r) if r.case.name != BASE else r.case.description]
        rows.append(row)
    return cols, rows


def indicator_rows(results: list[CaseResult]) -> tuple[list[Col], list[list]]:
    """Long table: indicator, mineral, year, base value, then each scenario's value and change."""
    base, others = results[0], results[1:]
    d = base.case.data
    cols = [Col("indicator", "", "What is measured"), Col("mineral", "", "mineral_id"), Col("year", INT, "Year"),
            Col("base", "", "Value in the base case")]
    for r in others:
        cols += [Col(r.case.name, "", f"Value in scenario {r.case.name}"),
                 Col(f"delta {r.case.name}", "", "Change from the base")]
    rows = []
    for name, fmt, _, f in INDICATORS:
        for m in d.minerals:
            for y in d.years:
                b = f(base.evaluation.indicators[m, y]) if base.ok else None
                row = [name, m, y, (b, fmt)]
                for r in others:
                    v = f(r.evaluation.indicators[m, y]) if r.ok else None
                    row += [(v, fmt), (_delta(v, b), fmt)]
                rows.append(row)
    return cols, rows


def supplier_rows(results: list[CaseResult]) -> tuple[list[Col], list[list]]:
    base = results[0]
    cols = [Col("scenario", "", "Scenario"), Col("change", "", "enters: used in the scenario, not in the base; "
                                                               "leaves: the reverse"),
            Col("supplier", "", "supplier_id"), Col("mineral", "", "mineral_id"),
            Col("origin_country", "", "ISO3"), Col("processing_country", "", "ISO3"),
            Col("years", "", "The years it enters or leaves"),
            Col("base_t", T, "Tonnes bought in those years in the base"),
            Col("scenario_t", T, "Tonnes bought in those years in the scenario"),
            Col("mineral_touched", "", "yes: the scenario changes this mineral's data; no: a change elsewhere, "
                                       "often between plans of near-equal cost (within the solver's gap)")]
    rows = []
    if not base.ok:
        return cols, rows
    for r in results[1:]:
        if r.ok:
            touched = set(r.case.minerals)
            for s_id, change, years, ta, tb in supplier_changes(base, r):
                s = base.case.data.suppliers[s_id]
                rows.append([r.case.name, change, s_id, s.mineral_id, s.origin_country, s.processing_country, years,
                             ta, tb, "yes" if s.mineral_id in touched else "no"])
    return cols, rows


def diagnosis_rows(results: list[CaseResult]) -> tuple[list[Col], list[list]]:
    cols = [Col("scenario", "", "Case with no plan"), Col("cell", "", "Workbook cell of the limit"),
            Col("limit", "", "Policy family (or demand)"), Col("mineral", "", "mineral_id"),
            Col("year", INT, "Year"), Col("country", "", "Country, for single-country caps"),
            Col("value", "0.000", "The limit now"), Col("needed", "0.000", "The loosest value the data can meet"),
            Col("unit", "", "share, score, days or t")]
    rows = []
    for r in results:
        if r.relaxations:
            rows += [[r.case.name, x.cell, x.family, x.mineral_id, x.year, x.country, x.limit, x.needed, x.unit]
                     for x in r.relaxations]
        elif not r.ok:
            rows.append([r.case.name, "", r.message, None, None, None, None, None, ""])
    return cols, rows


def _typed_table(ws, cols: list[Col], rows: list[list]) -> None:
    """write_table, with cells given as (value, number format) where the format varies by row."""
    write_table(ws, cols, [[c[0] if isinstance(c, tuple) else c for c in row] for row in rows])
    for i, row in enumerate(rows, start=2):
        for j, c in enumerate(row, start=1):
            if isinstance(c, tuple):
                ws.cell(row=i, column=j).number_format = c[1]


def build_compare_workbook(results: list[CaseResult], run_info: list[tuple[str, object]]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    cols, rows = summary_rows(results)
    write_table(ws, cols, rows)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions[get_column_letter(len(cols))].width = 120
    _typed_table(wb.create_sheet("Indicators"), *indicator_rows(results))
    write_table(wb.create_sheet("Suppliers"), *supplier_rows(results))
    write_table(wb.create_sheet("Diagnosis"), *diagnosis_rows(results))
    write_run_sheet(wb, run_info)
    _compare_charts(wb, results)
    make_printable(wb)
    return wb


def _compare_charts(wb: Workbook, results: list[CaseResult]) -> None:
    """Native charts: cost change per scenario by part; China share over time per mineral, per case."""
    data = wb.create_sheet("ChartData")
    charts = wb.create_sheet("Charts", 1)
    solved = [r for r in results if r.ok]
    base = results[0]
    if not solved:
        return
    d = base.case.data
    years = list(d.years)
    # Block 1: cost parts per case (million USD, present value).
    put(data, 1, 1, "case")
    for j, p in enumerate(COST_PARTS, start=2):
        put(data, 1, j, p)
    for i, r in enumerate(solved, start=2):
        put(data, i, 1, r.case.name)
        for j, p in enumerate(COST_PARTS, start=2):
            put(data, i, j, r.evaluation.costs_usd[p] / 1e6).number_format = "#,##0"
    bar = BarChart()
    bar.type, bar.grouping, bar.overlap = "bar", "stacked", 100
    bar.title = "Cost by part per case (USD M, present value)"
    bar.height, bar.width = 10, 24
    bar.add_data(Reference(data, min_col=2, max_col=1 + len(COST_PARTS), min_row=1, max_row=1 + len(solved)),
                 titles_from_data=True)
    bar.set_categories(Reference(data, min_col=1, min_row=2, max_row=1 + len(solved)))
    charts.add_chart(bar, "A1")
    # Block 2: China share per mineral and year, one column per case.
    top = len(solved) + 3
    for k, m in enumerate(d.minerals):
        row0 = top + k * (len(years) + 2)
        put(data, row0, 1, f"{m} year")
        for j, r in enumerate(solved, start=2):
            put(data, row0, j, r.case.name)
        for i, y in enumerate(years, start=row0 + 1):
            put(data, i, 1, y)
            for j, r in enumerate(solved, start=2):
                put(data, i, j, r.evaluation.indicators[m, y].china_share).number_format = PCT
        ch = LineChart()
        ch.title = f"{m}: China share per case"
        ch.y_axis.number_format = "0%"
        ch.y_axis.scaling.min, ch.y_axis.scaling.max = 0, 1
        ch.height, ch.width = 7, 12
        ch.add_data(Reference(data, min_col=2, max_col=1 + len(solved), min_row=row0, max_row=row0 + len(years)),
                    titles_from_data=True)
        ch.set_categories(Reference(data, min_col=1, min_row=row0 + 1, max_row=row0 + len(years)))
        ch.legend.position = "b"
        charts.add_chart(ch, f"{'A' if k % 2 == 0 else 'J'}{22 + 15 * (k // 2)}")


# ---- HTML -------------------------------------------------------------------------------

def build_compare_html(results: list[CaseResult], title: str, subtitle: str) -> str:
    base = results[0]
    solved = [r for r in results if r.ok]
    d = base.case.data
    years = list(d.years)
    story = [narrative(base, r) for r in results[1:]]
    if not base.ok:
        story.insert(0, f"The base case has no plan ({base.message or base.status}); changes cannot be measured.")
    sections: list[tuple[str, list[str]]] = []

    cols, rows = summary_rows(results)
    last = d.settings.last_year
    keep = ["case", "status", "total_cost_usd", "delta_cost_usd", "delta_cost_pct", "china_value_share",
            f"mean_china_share_{last}", f"mean_stockpile_days_{last}", "unmet_t"]
    by_name = {c.name: i for i, c in enumerate(cols)}
    idx = [by_name[k] for k in keep]
    fmts = ["text", "text", "usd_m", "usd_m", "percent", "percent", "percent", "days", "t"]
    sections.append(("Cost and headline indicators", [html.table(
        ["case", "status", "total cost (USD M, PV)", "change (USD M)", "change", "China share of value",
         f"China share {last} (mean)", f"stockpile days {last} (mean)", "unmet demand (t)"],
        [[row[i] for i in idx] for row in rows], formats=fmts, delta_columns=frozenset({3, 4}))]))
    if solved:
        parts = {p: [r.evaluation.costs_usd[p] for r in solved] for p in COST_PARTS
                 if any(r.evaluation.costs_usd[p] for r in solved)}
        charts = [html.bar_chart("Cost by component per case (present value)", [r.case.name for r in solved],
                                 parts, y_format="usd_m", y_label="USD M")]
        if base.ok:
            deltas = {p: [r.evaluation.costs_usd[p] - base.evaluation.costs_usd[p] for r in solved[1:]]
                      for p in parts}
            charts.append(html.bar_chart("Change in cost from the base, by component",
                                         [r.case.name for r in solved[1:]], deltas, y_format="usd_m",
                                         y_label="USD M"))
        sections.append(("Cost", charts))
        sections.append(("China share over time against the cap", [
            html.line_chart(f"{d.minerals[m].name}: China share", [
                html.Series(r.case.name, [(y, r.evaluation.indicators[m, y].china_share) for y in years])
                for r in solved] + [html.Series("cap (base)", [(y, d.limits(m, y).china_cap_share) for y in years],
                                                dashed=True, color="#C00000")], y_format="percent")
            for m in d.minerals]))
        value = {r.case.name: purchases_by_origin_usd(r.case.data, r.plan) for r in solved}
        totals: dict[str, float] = {}
        for v in value.values():
            for c, x in v.items():
                totals[c] = totals.get(c, 0.0) + x
        top = sorted(totals, key=lambda c: -totals[c])[:TOP_COUNTRIES]
        mix = {_country(d, c): [value[r.case.name].get(c, 0.0) for r in solved] for c in top}
        mix["other"] = [sum(x for c, x in value[r.case.name].items() if c not in top) for r in solved]
        sections.append(("Supply mix", [html.bar_chart(
            "Purchase value by country of origin, all minerals 2024-2030 (undiscounted)",
            [r.case.name for r in solved], mix, y_format="usd_m", y_label="USD M", width=960)]))
        sections.append(("Recycling and stockpile", [
            html.line_chart("Recycling share of demand (mean over minerals)", [
                html.Series(r.case.name, [(y, mean_over_minerals(r.evaluation, r.case.data, y,
                                                                 lambda mi: mi.recycling_share)) for y in years])
                for r in solved], y_format="percent"),
            html.line_chart("Stockpile cover in days of imports (mean over minerals)", [
                html.Series(r.case.name, [(y, mean_over_minerals(r.evaluation, r.case.data, y,
                                                                 lambda mi: mi.stockpile_days)) for y in years])
                for r in solved], y_format="days")]))
    cols, rows = supplier_rows(results)
    shown = [row[:-1] for row in rows if row[-1] == "yes"]
    if rows:
        others = len(rows) - len(shown)
        note = (f'<p>{others} other entries and exits, in minerals the scenarios do not change, are '
                "in the workbook's Suppliers sheet; most are swaps between plans of near-equal cost.</p>"
                if others else "")
        sections.append(("Suppliers that enter or leave, in the minerals each scenario changes", [html.table(
            [c.name for c in cols[:-1]], shown, formats=["text"] * 7 + ["t", "t"]) + note]))
    cols, rows = diagnosis_rows(results)
    if rows:
        sections.append(("Cases without a plan: what must move", [html.table(
            [c.name for c in cols], rows, formats=["text", "text", "text", "text", "year", "text", "number",
                                                   "number", "text"])]))
    return html.page(title, subtitle, story, sections)


def _country(d, code: str) -> str:
    c = d.countries.get(code)
    return f"{c.name} ({code})" if c else code


def compare_files(results: list[CaseResult], run_info, title: str, subtitle: str) -> tuple[bytes, bytes]:
    """The bytes of the comparison workbook and page."""
    return (workbook_bytes(build_compare_workbook(results, run_info)),
            build_compare_html(results, title, subtitle).encode("utf-8"))
