"""The reports of ``planner stockpile``: ``<stem>-stockpile.xlsx``, ``.html`` and ``.json``.

Per mineral, the days of stock its disruptions make worth holding (the hedged plan with its cover
floor lifted) against the mandate and the reference rules, the marginal value of one more day, what the
mandate costs over the risk-based level, and the shortfalls each level leaves; a curve of expected cost
and CVaR against uniform days of cover.  Every figure comes from a verified plan with every scenario;
money is present value at the start of the first year.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference

from models.dataset import PlanningData
from planner.reports import html
from planner.reports.files import workbook_bytes
from planner.reports.plan_workbook import (
    DAYS, PCT, T, USD, Col, chart_rows, finish_chart, make_printable, write_run_sheet, write_table,
)
from planner.reports.resilience_report import PROBABILITY_NOTE, PROTECTION_COLS, PROTECTION_NOTE, protection_rows
from planner.studies.stockpile import MineralStockpile, Point, REFERENCES, StockpileStudy
from planner.workbook.writer import put

SUMMARY_COLS = [
    Col("mineral", "", "mineral_id"),
    Col("risk_based_days", DAYS, "Cover the hedged plan holds with no floor: days of demand (stock and agreement "
                                 "lines), mean over the years"),
    Col("risk_based_min_days", DAYS, "Its lowest year"), Col("risk_based_max_days", DAYS, "Its highest year"),
    Col("mandate_days", DAYS, "The workbook's floor (Policy stockpile_min_days), mean over the years"),
    Col("best_uniform_days", DAYS, "The --days value (or reference rule) with the least hedged objective"),
    Col("mandate_cost_usd", USD, "What the mandate costs over the risk-based level (hedged objective)"),
    Col("mandate_cost_low_usd", USD, "Proven lower end"), Col("mandate_cost_high_usd", USD, "Proven upper end"),
    Col("significant", "", "no: the proven range holds 0 (smaller than the solves' gaps)"),
    Col("day_saving_usd", USD, "Expected disruption cost one more day of the mandate saves"),
    Col("day_cost_usd", USD, "What that day costs before any disruption (holding, premium, purchases)"),
    Col("shortfall_probability_mandate", PCT, "Chance of any unmet demand, with the mandate"),
    Col("shortfall_probability_risk_based", PCT, "The same, with the risk-based stock"),
    Col("expected_unmet_t_mandate", T, "Expected tonnes unmet, with the mandate"),
    Col("expected_unmet_t_risk_based", T, "The same, with the risk-based stock"),
    Col("expected_lost_output_usd_mandate", USD, "Expected output lost (shortage cost curve), with the mandate"),
    Col("expected_lost_output_usd_risk_based", USD, "The same, with the risk-based stock"),
    Col("lost_output_avoided_per_usd", "0.00", "Lost output the mandate's stock avoids per USD it costs, against "
                                               "no floor (blank where it costs nothing more)"),
]
CURVE_COLS = [
    Col("mineral", "", "mineral_id"), Col("point", "", "The floor solved: uniform days, the mandate, or none"),
    Col("days_floor", DAYS, "Uniform floor in days of demand (blank: the mandate's path, or none)"),
    Col("status", "", "optimal, feasible, or infeasible (a floor above the largest stock, say)"),
    Col("mean_cover_days", DAYS, "Cover held, mean over the years"),
    Col("first_stage_usd", USD, "Cost if no disruption happens"),
    Col("expected_disruption_usd", USD, "Expected disruption cost"),
    Col("expected_total_usd", USD, "Sum of the two"),
    Col("cvar_usd", USD, "CVaR of the disruption cost (Settings cvar_level)"),
    Col("hedged_objective_usd", USD, "first stage + (1 - λ) expected + λ CVaR (Settings cvar_weight λ)"),
    Col("shortfall_probability", PCT, "Chance of any unmet demand"),
    Col("expected_unmet_t", T, "Expected tonnes unmet"),
    Col("expected_lost_output_usd", USD, "Expected output lost"),
    Col("solve_s", "0.00", "Solve and verify time (s)"),
]


def _mean(days: dict[int, float]) -> float | None:
    return sum(days.values()) / len(days) if days else None


def lost_output_avoided_per_usd(ms: MineralStockpile) -> float | None:
    """Lost output the mandate's stock avoids per USD of its first-stage cost, against the plan with no
    floor (None when the mandate costs nothing more, or either point has no plan)."""
    a, b = ms.risk_based, ms.mandate
    if b is None or b.tested is None:
        return None
    extra = b.tested.first_stage_usd - a.tested.first_stage_usd
    if extra <= 1.0:
        return None
    return (a.expected_lost_output_usd - b.expected_lost_output_usd) / extra


def summary_rows(d: PlanningData, study: StockpileStudy) -> list[list]:
    rows = []
    for ms in study.minerals:
        rb, md = ms.risk_based, ms.mandate
        days = rb.cover_days
        mandate = {y: v for y in d.years if (v := d.limit("stockpile_min_days", ms.mineral_id, y)) is not None}
        cost = ms.mandate_cost
        best = ms.best_on_curve
        ok = md is not None and md.tested is not None
        rows.append([ms.mineral_id, _mean(days), min(days.values(), default=None), max(days.values(), default=None),
                     _mean(mandate), best.days if best else None, cost.value if cost else None,
                     cost.low if cost else None, cost.high if cost else None,
                     None if cost is None else ("yes" if cost.significant else "no"),
                     ms.day_saving_usd, ms.day_cost_usd,
                     md.shortfall_probability if ok else None, rb.shortfall_probability,
                     md.expected_unmet_t if ok else None, rb.expected_unmet_t,
                     md.expected_lost_output_usd if ok else None, rb.expected_lost_output_usd,
                     lost_output_avoided_per_usd(ms)])
    return rows


def _points(ms: MineralStockpile) -> list[Point]:
    return [p for p in (ms.risk_based, ms.mandate, ms.mandate_plus_day) if p is not None] + ms.curve


def curve_rows(study: StockpileStudy) -> list[list]:
    rows = []
    for ms in study.minerals:
        for p in _points(ms):
            t = p.tested
            rows.append([ms.mineral_id, p.label, p.days, p.status, p.mean_cover_days if t else None,
                         t.first_stage_usd if t else None, t.expected_recourse_usd if t else None,
                         t.expected_total_usd if t else None, t.cvar_usd if t else None,
                         p.objective_usd if t else None, p.shortfall_probability if t else None,
                         p.expected_unmet_t if t else None, p.expected_lost_output_usd if t else None,
                         round(p.wall_s, 3)])
    return rows


def stockpile_protection_rows(d: PlanningData, study: StockpileStudy) -> list[list]:
    """Per mineral, what the protection of its risk-based plan and of its mandate's plan buys."""
    rows = []
    for ms in study.minerals:
        for p in (ms.risk_based, ms.mandate):
            if p is not None and p.tested is not None:
                rows += [[r[0], p.label, *r[1:]] for r in protection_rows(d, p.tested) if r[0] == ms.mineral_id]
    return rows


PROTECTION_POINT_COLS = [PROTECTION_COLS[0], Col("plan", "", "risk-based (no floor) or mandate"), *PROTECTION_COLS[1:]]


def _story(d: PlanningData, study: StockpileStudy) -> list[str]:
    out = []
    for row in summary_rows(d, study):
        m, rb_days, mandate_days, best, cost, significant = row[0], row[1], row[4], row[5], row[6], row[9]
        text = f"{m}: the disruptions make {rb_days:,.0f} day{'s' * (round(rb_days) != 1)} worth holding"
        if mandate_days is not None:
            text += f" against a mandate of {mandate_days:,.0f}"
            if cost is not None:
                text += (f"; the mandate costs USD {cost / 1e6:,.2f} M more in present value"
                         + (" (not significant)" if significant == "no" else ""))
        if best:  # a floor of 0 is no floor: the risk-based plan, said already
            text += f"; of the uniform floors, {best:g} days costs least"
        out.append(text + ".")
    out.append("Risk-based: the hedged plan with the mineral's floor lifted holds what the expected cost of "
               "shortages (Shortage costs sheet), crisis prices and release times make worth its holding cost. "
               + PROBABILITY_NOTE)
    return out


def build_workbook(d: PlanningData, study: StockpileStudy, run_info, subtitle: str) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    write_table(ws, SUMMARY_COLS, summary_rows(d, study))
    put(ws, ws.max_row + 2, 1, subtitle)
    for k, line in enumerate(_story(d, study)):
        put(ws, ws.max_row + 1 + (k == 0), 1, line)
    curve = wb.create_sheet("Curve")
    rows = curve_rows(study)
    write_table(curve, CURVE_COLS, rows)
    protection = wb.create_sheet("Protection")
    write_table(protection, PROTECTION_POINT_COLS, stockpile_protection_rows(d, study))
    put(protection, protection.max_row + 2, 1, PROTECTION_NOTE)
    charts = wb.create_sheet("Charts", 1)
    at = 1
    for ms in study.minerals:  # expected total and CVaR (million USD) against uniform days, per mineral
        mine = [(k + 2, r) for k, r in enumerate(rows) if r[0] == ms.mineral_id and r[2] is not None and r[7]]
        if len(mine) < 2:
            continue
        ch = LineChart()
        ch.title = (f"{ms.mineral_id}: expected cost above the risk-based plan, and CVaR, against days of cover "
                    "(USD M, present value)")
        ch.y_axis.title = "USD M"
        ch.x_axis.title = "days of cover (uniform floor)"
        data = wb.create_sheet(f"ChartData {ms.mineral_id}"[:31])
        put(data, 1, 1, "days")
        put(data, 1, 2, "expected cost above the risk-based plan (USD M)")
        put(data, 1, 3, "CVaR of disruption cost (USD M)")
        for i, (_r, row) in enumerate(mine, start=2):
            put(data, i, 1, row[2])
            put(data, i, 2, (row[7] - ms.risk_based.tested.expected_total_usd) / 1e6)
            put(data, i, 3, row[8] / 1e6)
        ch.add_data(Reference(data, min_col=2, max_col=3, min_row=1, max_row=len(mine) + 1), titles_from_data=True)
        ch.set_categories(Reference(data, min_col=1, min_row=2, max_row=len(mine) + 1))
        finish_chart(ch, 18)
        charts.add_chart(ch, f"A{at}")
        at += chart_rows(ch) + 1
        data.sheet_state = "hidden"
    write_run_sheet(wb, run_info)
    make_printable(wb)
    return wb


def _above_risk_based(ms: MineralStockpile, p: Point) -> float:
    """Expected total cost of a point above the risk-based plan's: the purchases every point shares
    (billions for a battery mineral's group) would flatten the curve."""
    return p.tested.expected_total_usd - ms.risk_based.tested.expected_total_usd


def _chart(ms: MineralStockpile, mandate_days: float | None) -> str:
    curve = [p for p in ms.curve if p.tested]
    if len(curve) < 2:
        return ""
    series = [html.Series("expected cost above the risk-based plan", [(p.days, _above_risk_based(ms, p))
                                                                      for p in curve]),
              html.Series("CVaR of the disruption cost", [(p.days, p.tested.cvar_usd) for p in curve])]
    # Markers: the risk-based level and the mandate at their own cover and cost.
    series.append(html.Series(f"risk-based ({ms.risk_based.mean_cover_days:,.0f} days)",
                              [(ms.risk_based.mean_cover_days, 0.0)]))
    if ms.mandate is not None and ms.mandate.tested is not None and mandate_days is not None:
        series.append(html.Series(f"mandate ({mandate_days:,.0f} days)",
                                  [(ms.mandate.mean_cover_days, _above_risk_based(ms, ms.mandate))]))
    return html.line_chart(f"{ms.mineral_id}: cost above the risk-based plan, and CVaR, by days of cover", series, y_format="usd_m", x_format="number",
                           x_label="days of cover (uniform floor; markers: mean cover held)", y_label="USD M",
                           width=620, height=300)


def build_html(d: PlanningData, study: StockpileStudy, title: str, subtitle: str) -> str:
    rows = summary_rows(d, study)
    table = html.table(
        ["mineral", "risk-based days", "mandate days", "best uniform days", "mandate cost (USD M)", "significant",
         "a day saves (USD)", "a day costs (USD)", "P(shortfall), mandate", "P(shortfall), risk-based",
         "unmet t, mandate", "unmet t, risk-based", "lost output avoided per USD"],
        [[r[0], r[1], r[4], r[5], r[6], r[9], r[10], r[11], r[12], r[13], r[14], r[15], r[18]] for r in rows],
        formats=["text", "days", "days", "days", "usd_m", "text", "usd", "usd", "percent", "percent", "t", "t",
                 "number"])
    refs = "; ".join(f"{name} {days:g} days" for name, days in REFERENCES)
    charts = [_chart(ms, r[4]) for ms, r in zip(study.minerals, rows)]
    sections = [("Days of stock each mineral deserves", [table, f"<p>Reference rules on the curve: {html.esc(refs)}."
                                                          "</p>"]),
                ("Expected cost and risk against days of cover", [c for c in charts if c]),
                ("What the stock, lines and second sources buy", [html.table(
                    ["mineral", "plan", "still lost (USD M)", "avoided: stock", "lines", "second sources",
                     "recycling", "stock cost (USD M)", "per USD of stock", "fees (USD M)", "per USD of fees"],
                    stockpile_protection_rows(d, study),
                    formats=["text", "text"] + ["usd_m"] * 6 + ["number", "usd_m", "number"]),
                    f"<p>{html.esc(PROTECTION_NOTE)}</p>"]),
                ("Every point solved", [html.table([c.name for c in CURVE_COLS], curve_rows(study), formats=[
                    "text", "text", "days", "text", "days", "usd_m", "usd_m", "usd_m", "usd_m", "usd_m", "percent",
                    "t", "usd_m", "number"])])]
    return html.page(title, subtitle, _story(d, study), sections, narrative_heading="In short")


def facts(d: PlanningData, study: StockpileStudy) -> list[tuple[str, object]]:
    """The study's headline for its .json and Run sheet: per mineral the risk-based and mandated days
    and what the mandate costs."""
    out: list[tuple[str, object]] = [("minerals_done", len(study.minerals)), ("stopped", study.stopped)]
    for r in summary_rows(d, study):
        out += [(f"{r[0]}_risk_based_days", r[1]), (f"{r[0]}_mandate_days", r[4]),
                (f"{r[0]}_mandate_cost_usd", r[6]), (f"{r[0]}_mandate_cost_significant", r[9])]
    return out


def stockpile_files(d: PlanningData, study: StockpileStudy, run_info, title: str, subtitle: str
                    ) -> tuple[bytes, bytes]:
    return (workbook_bytes(build_workbook(d, study, run_info, subtitle)),
            build_html(d, study, title, subtitle).encode("utf-8"))
