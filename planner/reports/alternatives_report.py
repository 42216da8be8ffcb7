"""The reports of ``planner alternatives``: ``<stem>-alternatives.xlsx`` and ``.html``.

The alternatives side by side (cost against the least cost, and every direction's measure), what
each mineral reaches, the trade-off of two chosen dimensions, and the range of every decision within
the budget, all from verified plans.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

from models.alternatives import BUDGET_TOTAL, COUNTRY_MIN_SHARE, DIRECTIONS, MAX
from planner.reports import html
from planner.reports.files import workbook_bytes
from planner.reports.plan_workbook import (
    DAYS, INT, PCT, USD, Col, chart_rows, finish_chart, make_printable, write_run_sheet, write_table,
)
from planner.studies.alternatives import (
    COST, DIRECTION, FRONTIER, LEAST_COST, MIX, Alternative, Range, Study, direction_name, mineral_measures,
    range_value,
)
from planner.studies.compare import proven_gap_usd
from planner.workbook.writer import put

# Each direction's measure in the workbook and on the page.
MEASURE_FORMAT = {"china": (PCT, "percent"), "recycling": (PCT, "percent"), "partners": (PCT, "percent"),
                  "countries": (INT, "number"), "stock": (DAYS, "days")}
COLUMN = {"china": "china_share", "recycling": "recycling_share", "partners": "aligned_share",
          "countries": "supplier_countries", "stock": "stock_days"}
SHORT = {COST: "cost", "china": "China share", "recycling": "recycling share", "partners": "aligned share",
         "countries": "supplier countries", "stock": "stock days"}
FAMILY_WORDS = {"supplier": "tonnes bought over the horizon",
                "recycling": "recycling modules built that run in the horizon",
                "agreement": "years of membership", "stock": "mean stock in days of demand"}
# Category labels at 8 pt, so that a floating-bar chart shows every item's name.
SMALL_LABELS = RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=800)),
                                     endParaRPr=CharacterProperties(sz=800))])


def _cost_change(study: Study, alt: Alternative) -> float | None:
    return None if alt.cost_usd is None else alt.cost_usd - study.best_usd


def _share(delta: float | None, base: float) -> float | None:
    return None if delta is None or not base else delta / abs(base)


def _significance(study: Study, alt: Alternative) -> str:
    """A cost difference within the least-cost plan's proven gap is the solver's tolerance, not a finding."""
    delta = _cost_change(study, alt)
    if delta is None or alt.name == LEAST_COST:
        return ""
    return "not significant: within the proven gap of the least-cost plan" if abs(delta) <= proven_gap_usd(
        study.least_cost.plan) else ""


def _weights(alt: Alternative) -> str:
    """A mix's share of each direction (its Halton weight, before each is divided by how far it moved)."""
    if alt.kind != MIX:
        return ""
    return ", ".join(f"{name}{'' if way == DIRECTIONS[name].sense else ':' + way}\u00a0{w:.0%}"
                     for (name, way), w in alt.weights.items())


def tradeoff_value(study: Study, alt: Alternative, dim: str) -> float | None:
    """The trade-off chart's coordinate: the cost above the least cost (share of it), or a measure."""
    if dim == COST:
        return _share(_cost_change(study, alt), study.best_usd)
    return alt.measures.get(dim)


def _words(name: str) -> str:
    """A direction's measure without its note: 'China-linked share of demand'."""
    return DIRECTIONS[name].label.split(" (")[0]


def _axis_title(dim: str) -> str:
    return "cost above the least cost (share of it)" if dim == COST else _words(dim)


def _dim_label(dim: str) -> str:
    return "cost above the least cost" if dim == COST else DIRECTIONS[dim].label


def _dim_format(dim: str) -> str:
    return "percent" if dim == COST else MEASURE_FORMAT[dim][1]


def alternative_rows(study: Study) -> tuple[list[Col], list[list]]:
    cols = [Col("alternative", "", "The plan: least cost, the furthest in one direction, a mix, or a point of "
                                   "the frontier"),
            Col("kind", "", "least cost, direction, mix, frontier (the furthest in one direction on part of the "
                            "allowance), or range (a range's end that failed)"),
            Col("weights", "", "A mix: each direction's Halton weight (each direction is divided by how far it "
                               "moved alone, so each counts alike)"),
            Col("budget_pct", "0.00%", "The most it may cost above the least-cost plan, share of its cost"),
            Col("status", "", "optimal (proven furthest within the gap), feasible (time limit: a plan within the "
                              "budget, not proven furthest), not applicable, no_solution, or error"),
            Col("cost_usd", USD, "Present value of every cost (verified)"),
            Col("cost_change_usd", USD, "Cost above the least-cost plan (USD, present value)"),
            Col("cost_change_pct", "0.000%", "Cost above the least-cost plan, share of its cost (at most the slack)")]
    cols += [Col(COLUMN[n], MEASURE_FORMAT[n][0], x.label[0].upper() + x.label[1:] + ", recomputed from the "
                                                                                 "verified plan")
             for n, x in DIRECTIONS.items()]
    cols += [Col("solver_value", "0.0000", "A single direction: its measure as the solver found it"),
             Col("solver_bound", "0.0000", "The furthest any plan within the budget can go (HiGHS's bound); the "
                                           "true extreme lies between the value and the bound"),
             Col("solve_s", "0.00", "Solve time (s)"), Col("note", "", "Why a plan is missing, or a caution")]
    rows = []
    for alt in study.alternatives:
        delta = _cost_change(study, alt)
        rows.append([alt.name, alt.kind, _weights(alt), study.slack * alt.allowance_share if alt.kind != LEAST_COST
                     else 0.0, alt.status, alt.cost_usd, delta, _share(delta, study.best_usd),
                     *[alt.measures.get(n) for n in DIRECTIONS], alt.value, alt.bound, round(alt.wall_s, 3),
                     alt.message or _significance(study, alt)])
    return cols, rows


def mineral_rows(study: Study) -> tuple[list[Col], list[list]]:
    d = study.data
    cols = [Col("alternative", "", "The plan"), Col("mineral", "", "mineral_id"),
            Col("cost_usd", USD, "Present value of the mineral's costs"),
            Col("cost_change_pct", "0.000%", "Above the mineral's cost in the least-cost plan, share of it"),
            Col("allowance_usd", USD, "The mineral's share of the budget's allowance (in a per-mineral budget, "
                                      "its own limit)")]
    cols += [Col(COLUMN[n], MEASURE_FORMAT[n][0], f"The mineral's {_words(n)}")
             for n in DIRECTIONS]
    base = study.least_cost.evaluation.costs_by_mineral_usd
    rows = []
    for alt in study.alternatives:
        if not alt.ok:
            continue
        for m in d.minerals:
            cost = alt.evaluation.costs_by_mineral_usd[m]
            measures = mineral_measures(d, alt.plan, alt.evaluation, m)
            rows.append([alt.name, m, cost, _share(cost - base[m], base[m]), study.allowance_usd.get(m),
                         *[measures[n] for n in DIRECTIONS]])
    return cols, rows


def item_label(study: Study, r: Range) -> str:
    item = r.item
    if item.family == "supplier":
        s = study.data.suppliers[item.item]
        return f"{item.item} ({s.origin_country}>{s.processing_country})"
    if item.family == "agreement":
        return f"{item.item} ({'; '.join(study.data.agreements[item.item].partner_countries)})"
    return item.item


def range_rows(study: Study) -> tuple[list[Col], list[list]]:
    cols = [Col("family", "", "supplier, recycling, agreement or stock"), Col("item", "", "Its id"),
            Col("mineral", "", "mineral_id"), Col("measure", "", "What is ranged, over the horizon"),
            Col("unit", "", "t, modules, years or days"),
            Col("least_cost", "#,##0.##", "In the least-cost plan"),
            Col("low", "#,##0.##", "The least any verified plan within the budget has"),
            Col("high", "#,##0.##", "The most any verified plan within the budget has"),
            Col("low_bound", "#,##0.##", "No plan within the budget has less (HiGHS's bound, or the decision's own "
                                         "bound)"),
            Col("high_bound", "#,##0.##", "No plan within the budget has more"),
            Col("width", "#,##0.##", "high - low"),
            Col("share_of_demand_low", PCT, "A supplier: low as a share of the mineral's demand over the horizon"),
            Col("share_of_demand_high", PCT, "A supplier: high as a share of the mineral's demand over the horizon"),
            Col("choice", "", "forced: the same in every plan within the budget; free: it can move"),
            Col("proven", "", "yes: both ends are proven (bound = value); no: the true end lies between them"),
            Col("low_found_by", "", "The plan that reached low"), Col("high_found_by", "", "The plan that reached "
                                                                                          "high"),
            Col("solves", INT, "HiGHS runs spent on this range (an end another plan reached at the decision's own "
                               "bound needs none)")]
    rows = []
    for r in study.ranges:
        item = r.item
        supplier = item.family == "supplier"
        rows.append([item.family, item.item, item.mineral, FAMILY_WORDS[item.family], item.unit, r.least_cost,
                     r.low, r.high, r.low_bound, r.high_bound, r.high - r.low,
                     share_of_demand(study, r, r.low) if supplier else None,
                     share_of_demand(study, r, r.high) if supplier else None,
                     "forced" if r.forced else "free", "yes" if r.proven else "no", r.low_by, r.high_by, r.solves])
    return cols, rows


def share_of_demand(study: Study, r: Range, tonnes: float) -> float:
    """A supplier's tonnes as a share of its mineral's demand over the horizon."""
    return tonnes / (sum(study.data.demand_t.get((r.item.mineral, y), 0.0) for y in study.data.years) or 1.0)


def decision_rows(study: Study) -> tuple[list[Col], list[list]]:
    """Every decision the ranges cover, its value in every plan, side by side."""
    solved = [a for a in study.alternatives if a.ok]
    cols = [Col("family", "", "supplier, recycling, agreement or stock"), Col("item", "", "Its id"),
            Col("mineral", "", "mineral_id"), Col("measure", "", "What is shown, over the horizon"),
            Col("unit", "", "t, modules, years or days")]
    cols += [Col(a.name, "#,##0.##", f"Its value in the plan '{a.name}'") for a in solved]
    d = study.data
    rows = [[item.family, item.item, item.mineral, FAMILY_WORDS[item.family], item.unit,
             *[range_value(d, a.plan, a.evaluation, item) for a in solved]] for item in study.items]
    return cols, rows


def measure_rows(study: Study) -> tuple[list[Col], list[list]]:
    cols = [Col("direction", "", "Name in --directions"), Col("column", "", "Column of the Alternatives sheet"),
            Col("default_way", "", "min or max: which way the direction goes unless :min or :max says"),
            Col("definition", "", "The measure, recomputed from each verified plan")]
    rows = [[n, COLUMN[n], x.sense, x.label] for n, x in DIRECTIONS.items()]
    rows.append(["(budget)", "cost_change_pct", "", budget_words(study)])
    return cols, rows


def budget_words(study: Study) -> str:
    each = ("" if study.budget == BUDGET_TOTAL else
            " (a per-mineral budget: each mineral also at most its own least cost plus its share of the allowance, "
            "shared in proportion to |cost|)")
    return (f"Every alternative costs at most (1 + {study.slack:g}) x C*, C* = {study.best_usd:,.0f} USD the cost of "
            f"the least-cost plan found{each}. C* is proven within {_gap_text(study)} of the least possible cost, so "
            f"every alternative costs at most (1 + {study.slack:g}) x (1 + that gap) times the least possible cost.")


def _gap_text(study: Study) -> str:
    gap = study.least_cost.plan.stats.gap
    return "an unknown gap" if gap is None else f"{gap:.4%}"


def build_alternatives_workbook(study: Study, tradeoff: tuple[str, str], run_info) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Alternatives"
    write_table(ws, *alternative_rows(study))
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 40
    write_table(wb.create_sheet("ByMineral"), *mineral_rows(study))
    write_table(wb.create_sheet("Ranges"), *range_rows(study))
    write_table(wb.create_sheet("Decisions"), *decision_rows(study))
    measures = wb.create_sheet("Measures")
    write_table(measures, *measure_rows(study))
    measures.column_dimensions["D"].width = 120
    write_run_sheet(wb, run_info)
    _charts(wb, study, tradeoff)
    make_printable(wb)
    return wb


def _charts(wb: Workbook, study: Study, tradeoff: tuple[str, str]) -> None:
    """Native charts: the trade-off of two dimensions, one marker per plan; each mineral's supplier ranges and
    the stock ranges as floating bars (from the least to the most within the budget)."""
    data = wb.create_sheet("ChartData")
    charts = wb.create_sheet("Charts", 1)
    solved = [a for a in study.alternatives if a.ok and all(tradeoff_value(study, a, x) is not None for x in tradeoff)]
    for j, head in enumerate(("plan", *tradeoff), start=1):
        put(data, 1, j, head)
    for i, alt in enumerate(solved, start=2):
        put(data, i, 1, alt.name)
        for j, dim in enumerate(tradeoff, start=2):
            put(data, i, j, tradeoff_value(study, alt, dim)).number_format = MEASURE_FORMAT.get(dim, (PCT,))[0]
    row = 1
    if solved:
        ch = ScatterChart()
        ch.title = _short_title(tradeoff)
        ch.scatterStyle = "lineMarker"
        ch.x_axis.title, ch.y_axis.title = (_axis_title(x) for x in tradeoff)
        for axis, dim in zip((ch.x_axis, ch.y_axis), tradeoff):
            axis.number_format = "0%" if _dim_format(dim) == "percent" else "0"
            axis.delete = False
        for i, alt in enumerate(solved, start=2):
            s = Series(Reference(data, min_col=3, min_row=i), Reference(data, min_col=2, min_row=i), title=alt.name)
            color = html.PALETTE[(i - 2) % len(html.PALETTE)].lstrip("#")
            # Explicit colours: LibreOffice draws no marker a chart style only implies.
            s.marker = Marker(symbol="circle", size=8)
            s.marker.graphicalProperties = GraphicalProperties(solidFill=color)
            s.marker.graphicalProperties.line.solidFill = color
            s.graphicalProperties.line.noFill = True
            s.smooth = False
            ch.series.append(s)
        finish_chart(ch, 24, plot_cm=9)
        charts.add_chart(ch, "A1")
        row += chart_rows(ch)
    top = len(solved) + 3
    blocks = [(f"{study.data.minerals[m].name}: suppliers' share of demand",
               [r for r in study.ranges if r.item.family == "supplier" and r.item.mineral == m],
               lambda r, v: share_of_demand(study, r, v), PCT) for m in study.data.minerals]
    blocks.append(("Stock: mean days of demand", [r for r in study.ranges if r.item.family == "stock"],
                   lambda r, v: v, "0"))
    placed, pair_rows = 0, 0
    for title, ranges, scale, number_format in blocks:
        if not ranges:
            continue
        for j, head in enumerate(("item", "least", "room to the most"), start=1):
            put(data, top, j, head)
        for i, r in enumerate(ranges, start=top + 1):
            put(data, i, 1, item_label(study, r))
            put(data, i, 2, scale(r, r.low)).number_format = number_format
            put(data, i, 3, scale(r, r.high - r.low)).number_format = number_format
        bar = BarChart()
        bar.type, bar.grouping, bar.overlap = "bar", "stacked", 100
        bar.title = title
        bar.add_data(Reference(data, min_col=2, max_col=3, min_row=top, max_row=top + len(ranges)),
                     titles_from_data=True)
        bar.set_categories(Reference(data, min_col=1, min_row=top + 1, max_row=top + len(ranges)))
        bar.series[0].graphicalProperties.noFill = True  # the bar floats from the least to the most
        bar.series[0].graphicalProperties.line.noFill = True
        bar.series[1].graphicalProperties.solidFill = html.PALETTE[0].lstrip("#")
        bar.x_axis.scaling.orientation = "maxMin"  # the first item on top, as in the table,
        bar.y_axis.crosses = "max"  # and the value axis still at the bottom
        bar.x_axis.tickLblSkip = 1
        bar.x_axis.txPr = SMALL_LABELS  # every item's label fits its bar
        bar.y_axis.number_format = "0%" if number_format == PCT else "0"
        bar.y_axis.scaling.min = 0
        bar.x_axis.delete = bar.y_axis.delete = False
        finish_chart(bar, 20, plot_cm=max(3.0, 0.9 * len(ranges)))
        bar.legend = None  # the title says what the bar is
        charts.add_chart(bar, f"{'A' if placed % 2 == 0 else 'L'}{row}")
        pair_rows = max(pair_rows, chart_rows(bar))
        if placed % 2:  # two charts a row, the next row below the taller
            row, pair_rows = row + pair_rows + 1, 0
        placed += 1
        top += len(ranges) + 2


def _short_title(tradeoff: tuple[str, str]) -> str:
    x, y = (SHORT[d] for d in tradeoff)
    return f"Trade-off: {y} against {x}"


# ---- HTML -------------------------------------------------------------------------------

def _shown(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    return html.fmt(value, MEASURE_FORMAT[name][1])


def alternatives_narrative(study: Study) -> list[str]:
    d = study.data
    st = study.least_cost.plan.stats
    out = [f"The least-cost plan costs USD {study.best_usd / 1e6:,.0f} M (present value {d.settings.first_year}-"
           f"{d.settings.last_year}), proven within {_gap_text(study)} of the least possible cost (HiGHS's bound "
           f"USD {st.bound_usd / 1e6:,.0f} M). " if st.bound_usd is not None else
           f"The least-cost plan found costs USD {study.best_usd / 1e6:,.0f} M (its gap is not proven). "]
    out[0] += (f"Every alternative below costs at most {study.slack:.1%} more (USD {study.budget_usd / 1e6:,.0f} M): "
               + (f"each mineral within {study.slack:.1%} of its own least cost." if study.budget != BUDGET_TOTAL
                  else "in total, the minerals free to share the allowance."))
    base = study.least_cost.measures
    for alt in study.of_kind(DIRECTION):
        name = alt.direction[0]
        if not alt.ok:
            out.append(f"{alt.name}: {alt.status} ({alt.message}).")
            continue
        delta = _cost_change(study, alt)
        out.append(f"{alt.name[0].upper() + alt.name[1:]}: {_words(name)} {_shown(name, base[name])} in the least-cost plan, "
                   f"{_shown(name, alt.measures[name])} at +{_share(delta, study.best_usd):.2%} "
                   f"(USD {delta / 1e6:,.0f} M){_reach_words(study, alt, name)}.")
    points = _frontier(study)
    if len(points) > 2:
        name = study.frontier[0]
        out.append(f"The frontier, {direction_name_words(study)}: " + ", ".join(
            f"{_shown(name, a.measures[name])} within {study.slack * a.allowance_share:.1%}"
            for a in points[1:]) + f" (least cost: {_shown(name, points[0].measures[name])}).")
    mixes = [a for a in study.of_kind(MIX) if a.ok]
    if mixes:
        out.append(f"{len(mixes)} mixes trade the directions off (Halton weights): plans within the budget that no "
                   "single direction shows; see the table and the trade-off chart.")
    if study.ranges:
        free = [r for r in study.ranges if not r.forced]
        out.append(f"Of {len(study.ranges)} decisions ranged, {len(study.ranges) - len(free)} are forced (the same in "
                   f"every plan within the budget) and {len(free)} are free; {study.range_solves} HiGHS solves, "
                   f"{study.range_ends_known} ends known without one, in {study.phase_s.get('ranges', 0.0):,.0f} s.")
    elif not study.ranges_asked:
        out.append("Ranges were not computed (--no-ranges, the default with a total budget, where each end is a "
                   "solve of the whole model).")
    if study.stopped:
        out.append("The run was stopped: this report holds what finished.")
    return out


def direction_name_words(study: Study) -> str:
    """'the least China-linked share of demand at each cost'."""
    name, way = study.frontier
    return f"the {'most' if way == MAX else 'least'} {_words(name)} at each cost"


def _frontier(study: Study) -> list[Alternative]:
    """The trade-off frontier: the least-cost plan, then the plan furthest in the frontier's direction at each
    share of the allowance, the whole allowance last."""
    if study.frontier is None:
        return []
    points = [a for a in study.alternatives if a.ok and a.kind in (DIRECTION, FRONTIER)
              and a.direction == study.frontier]
    return [study.least_cost] + sorted(points, key=lambda a: a.allowance_share)


def _reach_words(study: Study, alt: Alternative, name: str) -> str:
    """The minerals that moved most in this direction, per mineral."""
    d = study.data
    moves = []
    for m in d.minerals:
        a = mineral_measures(d, study.least_cost.plan, study.least_cost.evaluation, m)[name]
        b = mineral_measures(d, alt.plan, alt.evaluation, m)[name]
        if a is not None and b is not None and abs(b - a) > 1e-9:
            moves.append((abs(b - a), m, a, b))
    if not moves:
        return ""
    top = sorted(moves, reverse=True)[:3]
    return "; most for " + ", ".join(f"{m} {_shown(name, a)} -> {_shown(name, b)}" for _, m, a, b in top)


def _tradeoff_chart(study: Study, tradeoff: tuple[str, str]) -> str:
    """One marker per plan; when cost is an axis, the frontier (the furthest in one direction at each share
    of the allowance) as a line, and the budget as a dashed line."""
    x_dim, y_dim = tradeoff

    def point(a):
        return tradeoff_value(study, a, x_dim), tradeoff_value(study, a, y_dim)

    frontier = _frontier(study)
    series = []
    if len(frontier) > 1:
        series.append(html.Series(f"frontier: {direction_name(*study.frontier)} at each cost",
                                  [point(a) for a in frontier], color=html.MUTED))
    series += [html.Series(a.name, [point(a)]) for a in study.alternatives if a.ok and a.kind != FRONTIER]
    xs = [x for s in series for x, y in s.points if x is not None and y is not None]
    if xs and y_dim == COST:
        series.append(html.Series(f"budget: +{study.slack:.1%}", [(min(xs), study.slack), (max(xs), study.slack)],
                                  dashed=True, color="#C00000"))
    return html.line_chart(_short_title(tradeoff), series, y_format=_dim_format(y_dim), x_format=_dim_format(x_dim),
                           x_label=_dim_label(x_dim), y_label=_axis_title(y_dim), zero_based=False, width=960,
                           height=440)


def _reach_table(study: Study) -> str:
    """Per mineral: each direction's measure in the least-cost plan and in the plan furthest that way."""
    d = study.data
    singles = [a for a in study.of_kind(DIRECTION) if a.ok]
    heads = ["mineral", "cost USD M"]
    formats = ["text", "usd_m"]
    for a in singles:
        name = a.direction[0]
        heads += [f"{name}: least cost", f"{name}: {a.name}"]
        formats += [MEASURE_FORMAT[name][1]] * 2
    rows = []
    for m in d.minerals:
        row = [m, study.least_cost.evaluation.costs_by_mineral_usd[m]]
        base = mineral_measures(d, study.least_cost.plan, study.least_cost.evaluation, m)
        for a in singles:
            name = a.direction[0]
            row += [base[name], mineral_measures(d, a.plan, a.evaluation, m)[name]]
        rows.append(row)
    return html.table(heads, rows, formats=formats)


def _range_charts(study: Study) -> list[str]:
    out = []
    d = study.data
    for family, fmt_, label, convert in (
            ("supplier", "percent", "share of the mineral's demand over the horizon",
             lambda r, v: share_of_demand(study, r, v)),
            ("stock", "days", "mean stock in days of demand", lambda r, v: v),
            ("recycling", "number", "modules built that run in the horizon", lambda r, v: v),
            ("agreement", "number", "years of membership", lambda r, v: v)):
        rows = [html.RangeRow(item_label(study, r), convert(r, r.low), convert(r, r.high), convert(r, r.least_cost),
                              d.minerals[r.item.mineral].name if family == "supplier" else "")
                for r in study.ranges if r.item.family == family]
        if rows:
            out.append(html.range_chart(f"{family.capitalize()} ranges within the budget: {label}", rows,
                                        x_format=fmt_, x_label=label, bar_name="from the least to the most within "
                                                                               "the budget",
                                        marker_name="least-cost plan", width=960))
    return out


def build_alternatives_html(study: Study, tradeoff: tuple[str, str], title: str, subtitle: str) -> str:
    narrative = alternatives_narrative(study)
    cols, rows = alternative_rows(study)
    shown = [0, 2, 4, 5, 6, 7, *range(8, 8 + len(DIRECTIONS)), len(cols) - 1]  # the workbook has every column
    fmts = ["text", "text", "text", "usd_m", "usd_m", "percent", *[MEASURE_FORMAT[n][1] for n in DIRECTIONS], "text"]
    sections = [(_short_title(tradeoff), [_tradeoff_chart(study, tradeoff)]),
                ("The alternatives side by side", [html.table(
                    [cols[k].name for k in shown], [[row[k] for k in shown] for row in rows], formats=fmts,
                    delta_columns=frozenset({4}))])]
    if any(a.ok for a in study.of_kind(DIRECTION)):
        scope = ("each mineral's own extreme within its own allowance" if study.budget != BUDGET_TOTAL else
                 "what the plan furthest in each direction gives each mineral (the minerals share one allowance)")
        sections.append(("What each mineral reaches", [f"<p>Per mineral, the measure in the least-cost plan and in "
                                                       f"the plan furthest in each direction: {html.esc(scope)}.</p>",
                                                       _reach_table(study)]))
    if study.ranges:
        cols, rows = range_rows(study)
        keep = [0, 1, 2, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17]
        rfmts = ["text", "text", "text", "text", "number", "number", "number", "number", "number", "text", "text",
                 "text", "text", "number"]
        sections.append(("The range of each decision within the budget", [
            "<p>Each bar runs from the least to the most the decision takes in any plan within the budget; the dot "
            "is the least-cost plan. A bar of no width is a forced choice; a wide one, a free choice.</p>",
            *_range_charts(study),
            html.table([cols[k].name for k in keep], [[row[k] for k in keep] for row in rows], formats=rfmts)]))
    sections.append(("How these plans were found", [
        "<p>" + html.esc(budget_words(study)) + "</p>",
        "<p>" + html.esc(f"Each direction's plan minimises or maximises its measure (the Measures sheet) subject to "
                         f"every limit of the case and the budget; the mixes weigh the directions by Halton points "
                         f"over the simplex, each direction divided by how far it moved alone. A supplier country "
                         f"counts when it mines or refines at least {COUNTRY_MIN_SHARE:.0%} of the mineral's demand "
                         f"over the horizon. Solved as {study.decomposition or 'one model'}. Every plan was "
                         "verified against the input data, and its cost checked against the budget.") + "</p>"]))
    return html.page(title, subtitle, narrative, sections, narrative_heading="The room within the budget")


def alternatives_files(study: Study, tradeoff: tuple[str, str], run_info, title: str, subtitle: str
                       ) -> tuple[bytes, bytes]:
    """The bytes of the alternatives workbook and page."""
    return (workbook_bytes(build_alternatives_workbook(study, tradeoff, run_info)),
            build_alternatives_html(study, tradeoff, title, subtitle).encode("utf-8"))
