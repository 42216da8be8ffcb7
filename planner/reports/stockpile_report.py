"""The reports of ``planner stockpile``: ``<stem>-stockpile.xlsx``, ``.html`` and ``.json``.

Per mineral, the days of stock its disruptions make worth holding (the hedged plan with its cover
floor lifted) against the mandate and the reference rules, the marginal value of one more day, what the
mandate costs over the risk-based level, and the shortfalls each level leaves; a curve of expected cost
and CVaR against uniform days of cover.  Every figure comes from a verified plan with every scenario;
money is present value at the start of the first year.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series

from models.dataset import PlanningData
from models.iis import Conflict
from models.plan import INFEASIBLE
from planner.reports import html
from planner.reports import labels as L
from planner.reports.html import usd_m
from planner.reports.labels import EN, label
from planner.reports.plan_workbook import (
    DAYS, PCT, T, USD, USD_M, Col, chart_rows, finish_chart, make_printable, marked, sheet_name, sheet_title,
    study_files, significance, wrap_notes, write_run_sheet, write_table,
)
from planner.reports.resilience_report import PROTECTION_COLS, protection_heads, protection_rows
from planner.studies.stockpile import (
    MANDATE, MANDATE_PLUS, REFERENCE_DAYS, REFERENCES, RISK_BASED, MineralStockpile, Point, StockpileStudy,
    mandate_path,
)
from planner.studies.sweep import point_text
from planner.workbook.writer import put

SUMMARY_COLS = [
    Col("mineral", ""), Col("risk_based_days", DAYS), Col("risk_based_min_days", DAYS),
    Col("risk_based_max_days", DAYS), Col("calm_days", DAYS), Col("mandate_days", DAYS), Col("mandate_path_days", ""),
    Col("mandate_cost_usd", USD), Col("mandate_cost_low_usd", USD), Col("mandate_cost_high_usd", USD),
    Col("significant", "", key="mandate_significant"), Col("day_saving_usd", USD), Col("day_cost_usd", USD),
    Col("shortfall_probability_mandate", PCT), Col("shortfall_probability_risk_based", PCT),
    Col("expected_unmet_t_mandate", T), Col("expected_unmet_t_risk_based", T),
    Col("expected_lost_output_usd_mandate", USD), Col("expected_lost_output_usd_risk_based", USD),
    Col("mandate_avoided_per_extra_usd", "0.00"),
]
CURVE_COLS = [
    Col("mineral", ""), Col("point", "", key="floor_point"), Col("days_floor", DAYS), Col("status", "", key="case_status"),
    Col("mean_cover_days", DAYS), Col("first_stage_usd", USD), Col("expected_disruption_usd", USD),
    Col("expected_total_usd", USD), Col("cvar_usd", USD), Col("hedged_objective_usd", USD),
    Col("shortfall_probability", PCT), Col("expected_unmet_t", T), Col("expected_lost_output_usd", USD),
    Col("solve_s", "0.00", key="case_solve_s"),
]


def _mean(days: dict[int, float]) -> float | None:
    return sum(days.values()) / len(days) if days else None


def _whole(v: float | None) -> float | None:
    """A figure to the whole unit its column shows, 0 where it rounds to 0: no "-0" (a day that saves
    -0.4 USD, a re-optimised plan's round-off, reads 0)."""
    return None if v is None else round(v) + 0.0


def _n(v: float) -> str:
    return html.fmt(v, "number", decimals=0)


def _reference(days: float, lang: str) -> str:
    """A reference rule by its name and days: "JOGMEC high-risk metals 180 days"."""
    return f"{label(REFERENCE_KEYS[days], lang)} {L.days(_n(days), lang)}"


def path_text(path: dict[int, float], arrow: str = "\u2192", space: str = " ") -> str:
    """A floor's path by year in a few numbers, "69 → 100" (a constant floor: "100"; ``html.limit_path``)."""
    return html.limit_path(sorted(path.items()), "number", arrow, space)


def point_name(p: Point, lang: str = EN) -> str:
    """A floor as a reader knows it: the risk-based level, the mandate, the mandate plus a day, or so many days."""
    named = {RISK_BASED: "stock.point.risk_based", MANDATE: "stock.point.mandate",
             MANDATE_PLUS: "stock.point.mandate_plus"}
    return label(named[p.label], lang) if p.label in named else L.days(point_text(p.days), lang)


Summary = list[dict[str, object]]


def summary(d: PlanningData, study: StockpileStudy) -> Summary:
    """Per mineral the Summary's figures by column id (``SUMMARY_COLS``; ``significant`` a bool, or None with
    no mandate cost: ``_in_words`` for a report), and its mandate's ``path`` by year: made once a run, for the
    workbook, the page, the .json and the console."""
    rows = []
    for ms in study.minerals:
        rb, md = ms.risk_based, ms.mandate
        days = rb.cover_days
        mandate = mandate_path(d, ms.mineral_id)
        cost = ms.mandate_cost
        ok = md is not None and md.tested is not None
        rows.append({
            "mineral": ms.mineral_id, "risk_based_days": _mean(days),
            "risk_based_min_days": min(days.values(), default=None),
            "risk_based_max_days": max(days.values(), default=None), "calm_days": ms.calm_mean_days,
            "mandate_days": _mean(mandate), "mandate_path_days": path_text(mandate) if mandate else None,
            "mandate_cost_usd": cost.value if cost else None, "mandate_cost_low_usd": cost.low if cost else None,
            "mandate_cost_high_usd": cost.high if cost else None,
            "significant": None if cost is None else cost.significant,
            "day_saving_usd": _whole(ms.day_saving_usd), "day_cost_usd": _whole(ms.day_cost_usd),
            "shortfall_probability_mandate": md.shortfall_probability if ok else None,
            "shortfall_probability_risk_based": rb.shortfall_probability,
            "expected_unmet_t_mandate": md.expected_unmet_t if ok else None,
            "expected_unmet_t_risk_based": rb.expected_unmet_t,
            "expected_lost_output_usd_mandate": md.expected_lost_output_usd if ok else None,
            "expected_lost_output_usd_risk_based": rb.expected_lost_output_usd,
            "mandate_avoided_per_extra_usd": ms.mandate_avoided_per_extra_usd,
            "path": mandate, "binds": sorted(y for y, v in mandate.items() if y in days and days[y] < v - 0.5)})
    return rows


def _in_words(r: dict[str, object], lang: str) -> dict[str, object]:
    """A ``summary`` row as a report shows it: whether the mandate's cost is significant, yes or no."""
    return {**r, "significant": None if r["significant"] is None else significance(r["significant"], lang)}


def mandate_cost_text(cost: float, significant: bool | None, word: bool = True) -> str:
    """What the mandate costs over the risk-based plan, in USD M: a significant cost too small for the usual
    digits takes those of its first digit (a proven USD 226 read 'USD 0 M' beside 'significant: yes');
    ``word``: with 'USD' before it (the story, the console), else the figure alone (a table's USD M column)."""
    digits = html.nonzero_decimals(cost, "usd_m") if significant else None
    return usd_m(cost, decimals=digits) if word else html.fmt(cost, "usd_m", digits)


def summary_rows(rows: Summary, lang: str = EN) -> list[list]:
    return [[r[c.name] for c in SUMMARY_COLS] for r in (_in_words(r, lang) for r in rows)]


def _points(ms: MineralStockpile) -> list[Point]:
    return [p for p in (ms.risk_based, ms.mandate, ms.mandate_plus_day) if p is not None] + ms.curve


def curve_rows(study: StockpileStudy, lang: str = EN) -> list[list]:
    rows = []
    for ms in study.minerals:
        for p in _points(ms):
            t = p.tested
            rows.append([ms.mineral_id, point_name(p, lang), p.days, L.status(p.status, lang),
                         p.mean_cover_days if t else None,
                         t.first_stage_usd if t else None, t.expected_recourse_usd if t else None,
                         t.expected_total_usd if t else None, t.cvar_usd if t else None,
                         p.objective_usd if t else None, p.shortfall_probability if t else None,
                         p.expected_unmet_t if t else None, p.expected_lost_output_usd if t else None,
                         round(p.wall_s, 3)])
    return rows


def stockpile_protection_rows(d: PlanningData, study: StockpileStudy, lang: str = EN) -> list[list]:
    """Per mineral, what the protection of its risk-based plan and of its mandate's plan buys."""
    rows = []
    for ms in study.minerals:
        for p in (ms.risk_based, ms.mandate):
            if p is not None and p.tested is not None:
                rows += [[r[0], point_name(p, lang), *r[1:]] for r in protection_rows(d, p.tested)
                         if r[0] == ms.mineral_id]
    return rows


PROTECTION_POINT_COLS = [PROTECTION_COLS[0], Col("plan", "", key="floor_plan"), *PROTECTION_COLS[1:]]


def mandate_words(path: dict[int, float], lang: str = EN) -> str:
    """The mandate as the study solves it, its path by year: "the mandate's path, 69 days in 2026 to 100
    by 2030 (mean 92 over 2026-2035)"; a constant floor "a mandate of 100 days in 2026-2035"."""
    years = sorted(path)
    first, last = path[years[0]], path[years[-1]]
    if all(v == first for v in path.values()):
        return label("stock.story.mandate_flat", lang, days=L.days(_n(first), lang), years=L.year_list(years, lang))
    by = min(y for y in years if all(path[z] == last for z in years if z >= y))  # held from then on
    return label("stock.story.mandate", lang, first=L.days(_n(first), lang), first_year=years[0], last=_n(last),
                 by=by, mean=_n(_mean(path)), start=years[0], end=years[-1])


CELLS_NAMED = 3  # a conflict's cells a sentence names; the rest it counts


def _cell_words(c: Conflict, lang: str) -> str:
    """A workbook cell of a conflict as the input workbook writes it: "'Stockpile'!E6 max_stock_t = 46,600 t in
    2035" (its sheet, column and unit are the schema's, in any language)."""
    if not isinstance(c.value, (int, float)):
        value = str(c.value)
    elif c.unit == "share":
        value = html.fmt(c.value, "percent", 1)
    elif c.unit == "days":
        value = L.days(f"{c.value:,g}", lang)
    else:
        value = f"{c.value:,g} {L.unit_word(c.unit, lang)}".strip()
    if not c.years:
        return f"{c.cell} {c.column} = {value}"
    return label("stock.story.cell", lang, cell=c.cell, column=c.column, value=value, years=L.year_list(c.years, lang))


def no_plan_words(d: PlanningData, ms: MineralStockpile, lang: str = EN) -> str | None:
    """Why a mineral's curve stops short of a reference rule, in two sentences: the rules with no plan, the
    lowest uniform floor with none and where the chart stops; then that the cover cannot be held within the
    case's limits and, where the study knows them, the cells that bound it at the lowest such rule.  None
    where every rule has a plan."""
    missing = sorted((p for p in ms.curve if p.tested is None and p.days in REFERENCE_DAYS), key=lambda p: p.days)
    if not missing:
        return None
    sep = label("word.sep", lang)
    rules = L.words_list([_reference(p.days, lang) for p in missing], lang)
    first = min(p.days for p in ms.curve if p.tested is None)
    held = [p.days for p in ms.curve if p.tested is not None]
    head = label("stock.story.no_plan", lang, mineral=L.mineral_name(d, ms.mineral_id, lang), rules=rules,
                 beyond=label("stock.story.no_plan_from", lang, days=L.days(_n(first), lang))
                 if first < missing[0].days else "",
                 chart=label("stock.story.chart_stops", lang, days=L.days(_n(max(held)), lang))
                 if len(held) >= 2 else "")  # the chart is drawn
    if all(p.status == INFEASIBLE for p in missing):
        why = label("stock.story.cannot_hold", lang)
    else:
        why = label("stock.story.no_plan_status", lang, status=L.status(missing[0].status, lang))
    cells = missing[0].bound_by
    if cells:
        named = [_cell_words(c, lang) for c in cells[:CELLS_NAMED]]
        if len(cells) > CELLS_NAMED:
            named.append(label("stock.story.more_cells", lang, n=len(cells) - CELLS_NAMED))
        why += ": " + label("stock.story.bound_by", lang, days=L.days(_n(missing[0].days), lang),
                            cells=sep.join(named))
    return f"{head} {why}."


def _story(d: PlanningData, study: StockpileStudy, rows: Summary, lang: str) -> list[str]:
    out = []
    for ms, r in zip(study.minerals, rows):
        # Cover the plan would hold with no disruption is not the disruptions' doing: said where it shows.
        calm = r["calm_days"] if r["calm_days"] is not None and round(r["calm_days"]) >= 1 else None
        parts = [label("stock.story.risk_based" if calm is None else "stock.story.risk_based_calm", lang,
                       mineral=L.mineral_name(d, r["mineral"], lang), days=L.days(_n(r["risk_based_days"]), lang),
                       low=_n(r["risk_based_min_days"]), high=_n(r["risk_based_max_days"]),
                       calm=None if calm is None else L.days(_n(calm), lang))]
        if r["path"]:
            parts.append(label("stock.story.against", lang, mandate=mandate_words(r["path"], lang)))
            cost = r["mandate_cost_usd"]
            if cost is not None:
                binds = label("stock.story.binds", lang, years=L.year_list(r["binds"], lang))
                parts.append(label("stock.story.cost", lang, usd=mandate_cost_text(cost, r["significant"]))
                             + ("" if r["significant"] else f" ({html.not_significant(lang)})")
                             + (f" ({binds})" if r["binds"] else ""))
        out.append(label("word.sep", lang).join(parts) + ".")
        stops = no_plan_words(d, ms, lang)
        if stops:
            out.append(stops)
    out.append(label("stock.story.what", lang) + " " + label("res.probability_note", lang))
    return [line for line in out + [L.estimates_note(d, lang)] if line]


def build_workbook(d: PlanningData, study: StockpileStudy, rows: Summary, run_info, subtitle: str, lang: str = EN
                   ) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name("Summary", lang)
    write_table(ws, SUMMARY_COLS, summary_rows(rows, lang), lang=lang)
    notes = {ws: ws.max_row + 2}  # the first row of sentences under each sheet's table
    put(ws, ws.max_row + 2, 1, subtitle)
    for k, line in enumerate(_story(d, study, rows, lang)):
        put(ws, ws.max_row + 1 + (k == 0), 1, line)
    curve = wb.create_sheet(sheet_name("Curve", lang))
    points = curve_rows(study, lang)
    write_table(curve, CURVE_COLS, points, lang=lang)
    notes[curve] = curve.max_row + 2
    put(curve, curve.max_row + 2, 1, label("stock.uniform_note", lang))
    protection = wb.create_sheet(sheet_name("Protection", lang))
    write_table(protection, PROTECTION_POINT_COLS, stockpile_protection_rows(d, study, lang), lang=lang)
    notes[protection] = protection.max_row + 2
    put(protection, protection.max_row + 2, 1, label("res.protect.note", lang))
    put(protection, protection.max_row + 1, 1, label("stock.per_usd_note", lang))
    charts = wb.create_sheet(sheet_name("Charts", lang), 1)
    at = 1
    for ms in study.minerals:  # expected total above the risk-based plan and CVaR (million USD) against days
        mine = [(k + 2, r) for k, r in enumerate(points) if r[0] == ms.mineral_id and r[2] is not None and r[7]]
        if len(mine) < 2:
            continue
        # A scatter: the days are numbers (0, 60, 100, 120), which a line chart would space evenly as labels.
        ch = ScatterChart()
        ch.scatterStyle = "lineMarker"
        name = L.mineral_name(d, ms.mineral_id, lang)
        ch.title = label("stock.chart", lang, mineral=name)
        ch.y_axis.title = "USD M"
        ch.x_axis.title = label("stock.axis.days", lang)
        data = wb.create_sheet(sheet_title(f"{sheet_name('ChartData', lang)} {name}"))
        put(data, 1, 1, label("word.days", lang))
        put(data, 1, 2, label("stock.series.above", lang))
        put(data, 1, 3, label("stock.series.cvar", lang))
        for i, (_r, row) in enumerate(mine, start=2):  # in the chart's units, which its data labels take
            put(data, i, 1, row[2]).number_format = DAYS
            put(data, i, 2, (row[7] - ms.risk_based.tested.expected_total_usd) / 1e6).number_format = USD_M
            put(data, i, 3, row[8] / 1e6).number_format = USD_M
        days = Reference(data, min_col=1, min_row=2, max_row=len(mine) + 1)
        for col, color in ((2, html.PALETTE[0]), (3, html.PALETTE[1])):
            s = Series(Reference(data, min_col=col, min_row=1, max_row=len(mine) + 1), days, title_from_data=True)
            marked(s, color).graphicalProperties.line.solidFill = color.lstrip("#")
            s.smooth = False
            ch.series.append(s)
        ch.x_axis.number_format = "0"
        ch.x_axis.delete = ch.y_axis.delete = False
        finish_chart(ch, 18)
        charts.add_chart(ch, f"A{at}")
        at += chart_rows(ch) + 1
        data.sheet_state = "hidden"
    write_run_sheet(wb, run_info, lang)
    make_printable(wb)
    for sheet, first_row in notes.items():
        wrap_notes(sheet, first_row)
    return wb


def _above_risk_based(ms: MineralStockpile, p: Point) -> float:
    """Expected total cost of a point above the risk-based plan's: the purchases every point shares
    (billions for a battery mineral's group) would flatten the curve."""
    return p.tested.expected_total_usd - ms.risk_based.tested.expected_total_usd


def _chart(d: PlanningData, ms: MineralStockpile, mandate_days: float | None, lang: str) -> str:
    """Cost above the risk-based plan and CVaR against the uniform floor; markers at the mean cover the
    risk-based plan and the mandate's plan hold."""
    curve = [p for p in ms.curve if p.tested]
    if len(curve) < 2:
        return ""
    series = [html.Series(label("stock.series.above", lang), [(p.days, _above_risk_based(ms, p)) for p in curve]),
              html.Series(label("stock.series.cvar", lang), [(p.days, p.tested.cvar_usd) for p in curve])]
    # Markers: the risk-based level and the mandate at their own cover and cost.
    series.append(html.Series(label("stock.series.risk_based", lang,
                                    days=L.days(_n(ms.risk_based.mean_cover_days), lang)),
                              [(ms.risk_based.mean_cover_days, 0.0)]))
    if ms.mandate is not None and ms.mandate.tested is not None and mandate_days is not None:
        # Named by the floor's mean and placed at the cover its plan holds, which can be more.
        series.append(html.Series(label("stock.series.mandate", lang, floor=L.days(_n(mandate_days), lang),
                                        days=L.days(_n(ms.mandate.mean_cover_days), lang)),
                                  [(ms.mandate.mean_cover_days, _above_risk_based(ms, ms.mandate))]))
    return html.line_chart(label("stock.chart", lang, mineral=L.mineral_name(d, ms.mineral_id, lang)), series,
                           y_format="usd_m", x_format="number", x_label=label("stock.axis.markers", lang),
                           y_label="USD M", width=620, height=300)


REFERENCE_KEYS = {60.0: "stock.ref.jogmec", 100.0: "stock.ref.korea", 180.0: "stock.ref.jogmec_high"}


def build_html(d: PlanningData, study: StockpileStudy, rows: Summary, title: str, subtitle: str, lang: str = EN,
               notice: str = "") -> str:
    shown = [_in_words(r, lang) for r in rows]
    table = html.table(
        [label("word.mineral", lang)] + [label(f"stock.col.{k}", lang) for k in (
            "risk_based", "calm", "mandate", "mandate_cost", "significant", "day_saves", "day_costs", "p_mandate",
            "p_risk_based", "unmet_mandate", "unmet_risk_based", "avoided_per_usd")],
        [[L.mineral_name(d, r["mineral"], lang),
          # the range on one line: '66 (21–' over '114)' in the default case's narrow column
          f"{_n(r['risk_based_days'])}{html.NBSP}({_n(r['risk_based_min_days'])}\u2013\u2060"
          f"{_n(r['risk_based_max_days'])})",
          None if r["calm_days"] is None else _n(r["calm_days"]),
          None if r["mandate_days"] is None
          else f"{_n(r['mandate_days'])} ({path_text(r['path'], space=html.NBSP)})",  # the path on one line
          None if r["mandate_cost_usd"] is None
          else mandate_cost_text(r["mandate_cost_usd"], raw["significant"], word=False),
          *(r[k] for k in ("significant", "day_saving_usd", "day_cost_usd",
                           "shortfall_probability_mandate", "shortfall_probability_risk_based",
                           "expected_unmet_t_mandate", "expected_unmet_t_risk_based",
                           "mandate_avoided_per_extra_usd"))] for r, raw in zip(shown, rows)],
        formats=["text", "text", "text", "text", "usd_m", "text", "usd", "usd", "percent", "percent", "t", "t",
                 "number"])
    refs = label("word.sep", lang).join(_reference(days, lang) for _name, days in REFERENCES)
    charts = [_chart(d, ms, r["mandate_days"], lang) for ms, r in zip(study.minerals, rows)]
    sections = [(label("stock.sec.days", lang), [table, f"<p>{html.esc(label('stock.table_note', lang))}</p>",
                                                 f"<p>{html.esc(label('stock.refs', lang, refs=refs))}</p>"]),
                (label("stock.sec.curve", lang), [c for c in charts if c]
                 + [f"<p>{html.esc(label('stock.uniform_note', lang))}</p>"]),
                (label("stock.sec.protection", lang), [html.table(
                    [label("word.mineral", lang), label("stock.col.plan", lang), *protection_heads(lang)],
                    [[L.mineral_name(d, r[0], lang), *r[1:]] for r in stockpile_protection_rows(d, study, lang)],
                    formats=["text", "text"] + ["usd_m"] * 6 + ["number", "usd_m", "number"]),
                    f"<p>{html.esc(label('res.protect.note', lang))}</p>",
                    f"<p>{html.esc(label('stock.per_usd_note', lang))}</p>"]),
                (label("stock.sec.points", lang), [html.table(
                    [L.page_head(c, lang) for c in CURVE_COLS], [[L.mineral_name(d, r[0], lang), *r[1:]]
                                                          for r in curve_rows(study, lang)], formats=[
                        "text", "text", "days", "text", "days", "usd_m", "usd_m", "usd_m", "usd_m", "usd_m", "percent",
                        "t", "usd_m", "number"], lang=lang)])]
    return html.page(title, subtitle, _story(d, study, rows, lang), sections,
                     narrative_heading=label("word.in_short", lang), lang=lang, notice=notice)


def titles(workbook: str, d: PlanningData, gap: float, sha: str, lang: str = EN) -> tuple[str, str]:
    s = d.settings
    subtitle = label("stock.subtitle", lang, workbook=workbook, first=s.first_year, last=s.last_year,
                     currency=s.currency, price_year=s.price_year, gap=html.power_of_ten(gap), sha=sha[:12])
    return label("stock.title", lang, workbook=workbook), L.with_sampled_basis(subtitle, d, lang)


def facts(study: StockpileStudy, rows: Summary) -> list[tuple[str, object]]:
    """The study's headline for its .json and Run sheet: per mineral the risk-based and mandated days
    and what the mandate costs, with the range its solves prove and whether it is significant."""
    out: list[tuple[str, object]] = [("minerals_done", len(study.minerals)), ("stopped", study.stopped)]
    for r in rows:
        m = r["mineral"]
        out += [(f"{m}_risk_based_days", r["risk_based_days"]), (f"{m}_calm_days", r["calm_days"]),
                (f"{m}_mandate_days", r["mandate_days"]),
                (f"{m}_mandate_path_days", r["mandate_path_days"]),
                (f"{m}_mandate_cost_usd", r["mandate_cost_usd"]),
                # the range the solves prove, which decides the verdict beside it
                (f"{m}_mandate_cost_low_usd", r["mandate_cost_low_usd"]),
                (f"{m}_mandate_cost_high_usd", r["mandate_cost_high_usd"]),
                (f"{m}_mandate_cost_significant", r["significant"])]  # true or false, as the hedged plan's
    return out


def stockpile_files(d: PlanningData, study: StockpileStudy, rows: Summary, run_info, title: str, subtitle: str,
                    lang: str = EN) -> tuple[bytes, bytes]:
    return study_files(build_workbook(d, study, rows, run_info, subtitle, lang),
                       lambda notice: build_html(d, study, rows, title, subtitle, lang, notice), run_info, "minerals",
                       lang)
