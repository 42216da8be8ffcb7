"""The reports of ``planner alternatives``: ``<stem>-alternatives.xlsx`` and ``.html``, in English or Korean.

The alternatives side by side (cost against the least cost, and every direction's measure), what
each mineral reaches, the trade-off of two chosen dimensions, and the range of every decision within
the budget, all from verified plans.  Every word comes from ``planner.reports.labels``.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series

from models.alternatives import BUDGET_TOTAL, COUNTRY_MIN_SHARE, DIRECTIONS, MAX, RangeItem
from planner.reports import html
from planner.reports import labels as L
from planner.reports.html import usd_m
from planner.reports.labels import EN, label
from planner.reports.runinfo import solved_as
from planner.reports.plan_workbook import (
    DAYS, INT, PCT, USD, Col, chart_rows, finish_chart, make_printable, marked, ranked_bars, sheet_name, study_files,
    write_run_sheet, write_table, yes,
)
from planner.studies.alternatives import (
    COST, DIRECTION, FRONTIER, LEAST_COST, MIX, RANGE, Alternative, Range, Study, direction_moved, mineral_measures,
    range_value,
)
from planner.studies.compare import proven_gap_usd
from planner.workbook.writer import put

# Each direction's measure in the workbook and on the page.
MEASURE_FORMAT = {"china": (PCT, "percent"), "recycling": (PCT, "percent"), "partners": (PCT, "percent"),
                  "countries": (INT, "number"), "stock": (DAYS, "days")}
COLUMN = {"china": "china_share", "recycling": "recycling_share", "partners": "aligned_share",
          "countries": "supplier_countries", "stock": "stock_days"}


def _cost_change(study: Study, alt: Alternative) -> float | None:
    return None if alt.cost_usd is None else alt.cost_usd - study.best_usd


def _share(delta: float | None, base: float) -> float | None:
    return None if delta is None or not base else delta / abs(base)


def _significance(study: Study, alt: Alternative, lang: str) -> str:
    """A cost difference within the least-cost plan's proven gap is the solver's tolerance, not a finding."""
    delta = _cost_change(study, alt)
    if delta is None or alt.name == LEAST_COST:
        return ""
    return label("alt.not_significant", lang) if abs(delta) <= proven_gap_usd(study.least_cost.plan) else ""


def _weights(alt: Alternative, lang: str = EN) -> str:
    """A mix's share of each direction (its Halton weight, before each is divided by how far it moved); in
    English by the names --directions takes."""
    if alt.kind != MIX:
        return ""
    return ", ".join(f"{name if lang == EN else direction_words(name, way, lang)}"
                     f"{'' if way == DIRECTIONS[name].sense or lang != EN else ':' + way}\u00a0{w:.0%}"
                     for (name, way), w in alt.weights.items())


def direction_words(name: str, sense: str, lang: str = EN) -> str:
    """'least China', 'most recycling' ... in the report's language."""
    return label(f"alt.dir.{name}.{sense}", lang)


def alt_name(study: Study, alt: Alternative, lang: str = EN) -> str:
    """A plan as a reader knows it: least cost, the furthest in a direction, a mix, a point of the frontier, or a
    range's end by its decision's name (in English the others by the plan's own name)."""
    if alt.kind == RANGE:
        way, _, key = alt.name.partition(" ")
        return range_end_name(study, way, next(i for i in study.items if i.item == key), lang)
    if lang == EN:
        return alt.name
    if alt.kind == LEAST_COST:
        return label("alt.least_cost", lang)
    if alt.kind == DIRECTION:
        return direction_words(*alt.direction, lang)
    if alt.kind == MIX:
        return label("alt.mix", lang, n=alt.name.removeprefix("mix "))
    if alt.kind == FRONTIER:
        return label("alt.frontier", lang, direction=direction_words(*alt.direction, lang),
                     share=html.fmt(study.slack * alt.allowance_share, "percent", 2))
    return alt.name


def range_end_name(study: Study, way: str, item: RangeItem, lang: str = EN) -> str:
    """The plan that took a decision to its least or most ('least' or 'most' ``way``), the decision by its name
    as the row beside it names it ('least stock of gallium', 'most Chinese flake spheronised in China
    (gr_chn_chn)'; '갈륨 비축 최소'); in English it was the id, 'least gr_chn_chn', and 'least gallium' for the
    plan of least gallium stock."""
    if item.family == "stock":
        return label(f"alt.range.{way}", lang, item=label(
            "alt.stock_of", lang, mineral=L.minerals_words(study.data, [item.item], lang, capital=False)))
    return label(f"alt.range.{way}", lang, item=item_name(study, item, lang))


def _label_of(name: str, lang: str) -> str:
    """A direction's measure in words (with its note)."""
    return label(f"alt.measure.{name}", lang, share=f"{COUNTRY_MIN_SHARE:.0%}")


def tradeoff_value(study: Study, alt: Alternative, dim: str) -> float | None:
    """The trade-off chart's coordinate: the cost above the least cost (share of it), or a measure."""
    if dim == COST:
        return _share(_cost_change(study, alt), study.best_usd)
    return alt.measures.get(dim)


def _words(name: str, lang: str = EN) -> str:
    """A direction's measure without its note: 'China-linked share of demand'."""
    return label(f"alt.short.{name}", lang)


def _axis_title(dim: str, lang: str) -> str:
    return label("alt.cost_above_share", lang) if dim == COST else _words(dim, lang)


def _dim_label(dim: str, lang: str) -> str:
    return label("alt.cost_above", lang) if dim == COST else _label_of(dim, lang)


def _dim_format(dim: str) -> str:
    """An axis's number format: the axis title names the unit (days)."""
    return "percent" if dim == COST else {"days": "number"}.get(MEASURE_FORMAT[dim][1], MEASURE_FORMAT[dim][1])


def alternative_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    cols = [Col("alternative", ""), Col("kind", "", key="alternative_kind"), Col("weights", ""),
            Col("budget_pct", "0.00%"), Col("status", "", key="alternative_status"),
            Col("cost_usd", USD, key="alternative_cost_usd", values=(("estimates", "@word.estimates_where_marked"),)),
            Col("cost_change_usd", USD),
            Col("cost_change_pct", "0.000%")]
    cols += [Col(COLUMN[n], MEASURE_FORMAT[n][0], key="direction_measure",
                 values=(("short", _words(n, lang)), ("measure", _label_of(n, lang)))) for n in DIRECTIONS]
    cols += [Col("solver_value", "0.0000"), Col("solver_bound", "0.0000"), Col("solve_s", "0.00", key="case_solve_s"),
             Col("note", "", key="alternative_note")]
    rows = []
    for alt in study.alternatives:
        delta = _cost_change(study, alt)
        rows.append([alt_name(study, alt, lang), label(f"alt.kind.{alt.kind.replace(' ', '_')}", lang),
                     _weights(alt, lang),
                     study.slack * alt.allowance_share if alt.kind != LEAST_COST else 0.0, L.status(alt.status, lang),
                     alt.cost_usd, delta, _share(delta, study.best_usd), *[alt.measures.get(n) for n in DIRECTIONS],
                     alt.value, alt.bound, round(alt.wall_s, 3), L.reason(alt.why, lang) or _significance(study, alt, lang)])
    return cols, rows


def mineral_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    d = study.data
    cols = [Col("alternative", ""), Col("mineral", ""), Col("cost_usd", USD, key="mineral_alt_cost_usd"),
            Col("cost_change_pct", "0.000%", key="mineral_cost_change_pct"), Col("allowance_usd", USD)]
    cols += [Col(COLUMN[n], MEASURE_FORMAT[n][0], key="mineral_measure", values=(("measure", f"@alt.short.{n}"),))
             for n in DIRECTIONS]
    base = study.least_cost.evaluation.costs_by_mineral_usd
    rows = []
    for alt in study.alternatives:
        if not alt.ok:
            continue
        for m in d.minerals:
            cost = alt.evaluation.costs_by_mineral_usd[m]
            measures = mineral_measures(d, alt.plan, alt.evaluation, m)
            rows.append([alt_name(study, alt, lang), m, cost, _share(cost - base[m], base[m]),
                         study.allowance_usd.get(m), *[measures[n] for n in DIRECTIONS]])
    return cols, rows


def item_name(study: Study, item: RangeItem, lang: str = EN, with_id: bool = True) -> str:
    """A ranged decision by what it is about, id in brackets (``labels.decision_name``), in the tables and the
    charts alike (the charts' labels were ids, 'li_aus_chn (AUS>CHN)', 'bat_hydro', where the table beside them
    named each); without the id beside a column of ids."""
    return L.decision_name(study.data, item.family, item.item, lang, with_id)


def family_name(study: Study, family: str, items: list[str], lang: str = EN) -> str:
    """A kind of ranged decision as the page names it; modules are a refinery's as well as a recycling
    plant's ('recycling' alone named a Korean refinery's modules recycling)."""
    refining = [k in study.data.refineries for k in items] if family == "recycling" else [False]
    if all(refining):
        return label("alt.family_name.refining", lang)
    return label("alt.family_name.recycling_refining" if any(refining) else f"alt.family_name.{family}", lang)


# A ranged decision in the workbook: its id, then its name (the sheets had the id alone).
ITEM_COLS = [Col("item", "", key="range_item"), Col("name", "", key="range_item_name")]


def range_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    cols = [Col("family", ""), *ITEM_COLS, Col("mineral", ""),
            Col("measure", "", key="range_measure"), Col("unit", "", key="range_unit"),
            Col("least_cost", "#,##0.##", key="range_least_cost"), Col("low", "#,##0.##"), Col("high", "#,##0.##"),
            Col("low_bound", "#,##0.##"), Col("high_bound", "#,##0.##"), Col("width", "#,##0.##"),
            Col("share_of_demand_low", PCT), Col("share_of_demand_high", PCT), Col("choice", ""), Col("proven", ""),
            Col("low_found_by", ""), Col("high_found_by", ""), Col("solves", INT)]
    names = {a.name: alt_name(study, a, lang) for a in study.alternatives}
    names.update({f"{way} {r.item.item}": range_end_name(study, way, r.item, lang)  # a range's own solves
                  for r in study.ranges for way in ("least", "most")})
    rows = []
    for r in study.ranges:
        item = r.item
        supplier = item.family == "supplier"
        rows.append([item.family, item.item, item_name(study, item, lang, with_id=False), item.mineral,
                     label(f"alt.family.{item.family}", lang),
                     L.unit_word(item.unit, lang), r.least_cost, r.low, r.high, r.low_bound, r.high_bound,
                     r.high - r.low, share_of_demand(study, r, r.low) if supplier else None,
                     share_of_demand(study, r, r.high) if supplier else None,
                     label("word.forced" if r.forced else "alt.free", lang), yes(r.proven, lang),
                     names.get(r.low_by, r.low_by), names.get(r.high_by, r.high_by), r.solves])
    return cols, rows


def share_of_demand(study: Study, r: Range, tonnes: float) -> float:
    """A supplier's tonnes as a share of its mineral's demand over the horizon."""
    return tonnes / (sum(study.data.demand_t.get((r.item.mineral, y), 0.0) for y in study.data.years) or 1.0)


def decision_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    """Every decision the ranges cover, its value in every plan, side by side."""
    solved = [a for a in study.alternatives if a.ok]
    cols = [Col("family", ""), *ITEM_COLS, Col("mineral", ""),
            Col("measure", "", key="range_measure"), Col("unit", "", key="range_unit")]
    cols += [Col(a.name, "#,##0.##", key="plan_value", values=(("plan", alt_name(study, a, lang)),)) for a in solved]
    d = study.data
    rows = [[item.family, item.item, item_name(study, item, lang, with_id=False), item.mineral,
             label(f"alt.family.{item.family}", lang), L.unit_word(item.unit, lang),
             *[range_value(d, a.plan, a.evaluation, item) for a in solved]]
            for item in study.items]
    return cols, rows


def measure_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    """Each direction's measure in words, as the Alternatives sheet and the page head it, with the ids a reader
    types or traces (its name in --directions, its column's id) and its default way in words (min or max after
    it, as --directions takes it); then the budget."""
    cols = [Col("measure", "", key="measure_words"), Col("direction", ""), Col("column", "", key="measure_column"),
            Col("default_way", ""), Col("definition", "", key="measure_definition")]
    rows = [[_words(n, lang), n, COLUMN[n], f"{direction_words(n, x.sense, lang)} ({x.sense})", _label_of(n, lang)]
            for n, x in DIRECTIONS.items()]
    rows.append([label("alt.budget_row", lang), "", "cost_change_pct", "", budget_words(study, lang)])
    return cols, rows


def budget_words(study: Study, lang: str = EN) -> str:
    each = "" if study.budget == BUDGET_TOTAL else label("alt.budget.each", lang)
    return label("alt.budget", lang, slack=f"{study.slack:g}", best=f"{study.best_usd:,.0f}", each=each,
                 gap=_gap_text(study, lang))


def estimates_words(study: Study, lang: str = EN) -> str:
    """That the figures behind every plan are estimates where the workbook's Sources say so, and how many say so."""
    return label("alt.estimates", lang, estimates=label("word.estimates_where_marked", lang),
                 n=len(study.data.estimated_sources))


def _gap_text(study: Study, lang: str) -> str:
    gap = study.least_cost.plan.stats.gap
    return label("alt.gap_unknown", lang) if gap is None else f"{gap:.4%}"


def build_alternatives_workbook(study: Study, tradeoff: tuple[str, str], run_info, lang: str = EN) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name("Alternatives", lang)
    write_table(ws, *alternative_rows(study, lang), lang=lang)
    write_table(wb.create_sheet(sheet_name("ByMineral", lang)), *mineral_rows(study, lang), lang=lang)
    write_table(wb.create_sheet(sheet_name("Ranges", lang)), *range_rows(study, lang), lang=lang)
    write_table(wb.create_sheet(sheet_name("Decisions", lang)), *decision_rows(study, lang), lang=lang)
    write_table(wb.create_sheet(sheet_name("Measures", lang)), *measure_rows(study, lang), lang=lang)
    write_run_sheet(wb, run_info, lang)
    _charts(wb, study, tradeoff, lang)
    make_printable(wb)
    return wb


def _charts(wb: Workbook, study: Study, tradeoff: tuple[str, str], lang: str) -> None:
    """Native charts: the trade-off of two dimensions, one marker per plan; each mineral's supplier ranges and
    the stock ranges as floating bars (from the least to the most within the budget)."""
    data = wb.create_sheet(sheet_name("ChartData", lang))
    charts = wb.create_sheet(sheet_name("Charts", lang), 1)
    solved = [a for a in study.alternatives if a.ok and all(tradeoff_value(study, a, x) is not None for x in tradeoff)]
    for j, head in enumerate((label("col.plan", lang), *(_axis_title(x, lang) for x in tradeoff)), start=1):
        put(data, 1, j, head)
    for i, alt in enumerate(solved, start=2):
        put(data, i, 1, alt_name(study, alt, lang))
        for j, dim in enumerate(tradeoff, start=2):
            put(data, i, j, tradeoff_value(study, alt, dim)).number_format = MEASURE_FORMAT.get(dim, (PCT,))[0]
    row = 1
    if solved:
        ch = ScatterChart()
        ch.title = _short_title(tradeoff, lang)
        ch.scatterStyle = "lineMarker"
        ch.x_axis.title, ch.y_axis.title = (_axis_title(x, lang) for x in tradeoff)
        for axis, dim in zip((ch.x_axis, ch.y_axis), tradeoff):
            axis.number_format = "0%" if _dim_format(dim) == "percent" else "0"
            axis.delete = False
        for i, alt in enumerate(solved, start=2):
            s = Series(Reference(data, min_col=3, min_row=i), Reference(data, min_col=2, min_row=i),
                       title=alt_name(study, alt, lang))
            marked(s, html.PALETTE[(i - 2) % len(html.PALETTE)], size=8)
            s.graphicalProperties.line.noFill = True
            s.smooth = False
            ch.series.append(s)
        finish_chart(ch, 24, plot_cm=9)
        charts.add_chart(ch, "A1")
        row += chart_rows(ch)
    top = len(solved) + 3
    blocks = [(label("alt.chart.suppliers", lang, mineral=L.mineral_name(study.data, m, lang)),
               [r for r in study.ranges if r.item.family == "supplier" and r.item.mineral == m],
               lambda r, v: share_of_demand(study, r, v), PCT) for m in study.data.minerals]
    blocks.append((label("alt.chart.stock", lang), [r for r in study.ranges if r.item.family == "stock"],
                   lambda r, v: v, "0"))
    for title, ranges, scale, number_format in blocks:
        if not ranges:
            continue
        for j, head in enumerate(("col.item", "col.low", "alt.room_to_most"), start=1):
            put(data, top, j, label(head, lang))
        names = [item_name(study, r.item, lang) for r in ranges]
        for i, (r, name) in enumerate(zip(ranges, names), start=top + 1):
            put(data, i, 1, name)
            put(data, i, 2, scale(r, r.low)).number_format = number_format
            put(data, i, 3, scale(r, r.high - r.low)).number_format = number_format
        bar = ranked_bars(BarChart())  # the first item on top, as in the table, each named
        bar.grouping, bar.overlap = "stacked", 100
        bar.title = title
        bar.add_data(Reference(data, min_col=2, max_col=3, min_row=top, max_row=top + len(ranges)),
                     titles_from_data=True)
        bar.set_categories(Reference(data, min_col=1, min_row=top + 1, max_row=top + len(ranges)))
        bar.series[0].graphicalProperties.noFill = True  # the bar floats from the least to the most
        bar.series[0].graphicalProperties.line.noFill = True
        bar.series[1].graphicalProperties.solidFill = html.PALETTE[0].lstrip("#")
        bar.y_axis.number_format = "0%" if number_format == PCT else "0"
        bar.y_axis.scaling.min = 0
        bar.x_axis.delete = bar.y_axis.delete = False
        finish_chart(bar, 20, plot_cm=3.0, categories=names)
        bar.legend = None  # the title says what the bar is
        # One chart a row: two 20-cm charts side by side printed the sheet at 42%, their names in 3-point type.
        charts.add_chart(bar, f"A{row}")
        row += chart_rows(bar)
        top += len(ranges) + 2


def _short_title(tradeoff: tuple[str, str], lang: str = EN) -> str:
    x, y = (label("alt.cost", lang) if d == COST else _words(d, lang) for d in tradeoff)
    return label("alt.tradeoff", lang, x=x, y=y)


# ---- HTML -------------------------------------------------------------------------------

def _shown(name: str, value: float | None, lang: str = EN) -> str:
    """A measure as the page's sentences write it: stock days in words ('103 days', '103일'); a table's cell
    has the catalogue's short unit instead (html.table, '103 d', '103일')."""
    if value is None:
        return "\u2013"
    if MEASURE_FORMAT[name][1] == "days":
        return L.days(html.fmt(value, "number", 0), lang)
    return html.fmt(value, MEASURE_FORMAT[name][1])


def alternatives_narrative(study: Study, lang: str = EN) -> list[str]:
    d = study.data
    st = study.least_cost.plan.stats
    each = (label("alt.story.each", lang, slack=html.fmt(study.slack, "percent", 1)) if study.budget != BUDGET_TOTAL
            else label("alt.story.shared", lang))
    values = dict(usd=usd_m(study.best_usd), first=d.settings.first_year, last=d.settings.last_year,
                  gap=_gap_text(study, lang), slack=html.fmt(study.slack, "percent", 1),
                  budget=usd_m(study.budget_usd), each=each)
    out = [label("alt.story.least", lang, bound=usd_m(st.bound_usd), **values) if st.bound_usd is not None else
           label("alt.story.least_unproven", lang, **values)]
    base = study.least_cost.measures
    for alt in study.of_kind(DIRECTION):
        name = alt.direction[0]
        if not alt.ok:
            out.append(label("alt.story.failed", lang, plan=alt_name(study, alt, lang),
                             status=L.status(alt.status, lang),
                             why=L.reason(alt.why, lang)))
            continue
        delta = _cost_change(study, alt)
        plan = alt_name(study, alt, lang)
        # a measure in days says its unit with its figures: 'stock days 103 days' said it twice
        measure = label("alt.story.stock", lang) if MEASURE_FORMAT[name][1] == "days" else _words(name, lang)
        pct = html.fmt(_share(delta, study.best_usd), "percent", 2, sign=True)
        if direction_moved(study, alt) is False:  # '13 in the least-cost plan, 13 at +1.63%' read as the price of 13
            out.append(label("alt.story.unmoved", lang, plan=L.capital(plan), measure=measure,
                             base=_shown(name, base[name], lang), pct=pct, usd=usd_m(delta)))
            continue
        out.append(label("alt.story.direction", lang, plan=L.capital(plan), measure=measure,
                         base=_shown(name, base[name], lang), value=_shown(name, alt.measures[name], lang),
                         pct=pct, usd=usd_m(delta), reach=_reach_words(study, alt, name, lang)))
    points = _frontier(study)
    if len(points) > 2:
        name = study.frontier[0]
        out.append(label("alt.story.frontier", lang, direction=direction_name_words(study, lang),
                         points=", ".join(label("alt.story.within", lang, value=_shown(name, a.measures[name], lang),
                                                share=html.fmt(study.slack * a.allowance_share, "percent", 1))
                                          for a in points[1:]),
                         least=_shown(name, points[0].measures[name], lang)))
    mixes = [a for a in study.of_kind(MIX) if a.ok]
    if mixes:
        out.append(label("alt.story.mixes", lang, n=len(mixes)))
    elif study.count and not study.of_kind(MIX) and not study.stopped:  # asked for, none made: say why
        out.append(label("alt.story.no_mixes", lang))
    if study.ranges:
        free = [r for r in study.ranges if not r.forced]
        out.append(label("alt.story.ranges" if len(free) < len(study.ranges) else "alt.story.ranges_free", lang,
                         n=len(study.ranges), forced=len(study.ranges) - len(free),
                         free=len(free), solves=study.range_solves, known=study.range_ends_known,
                         s=f"{study.phase_s.get('ranges', 0.0):,.0f}"))
    elif not study.ranges_asked:
        out.append(label("alt.story.no_ranges", lang))
    if study.stopped:
        out.append(label("alt.story.stopped", lang))
    return out


def direction_name_words(study: Study, lang: str = EN) -> str:
    """'the least China-linked share of demand at each cost'."""
    name, way = study.frontier
    return label(f"alt.at_each_cost.{'max' if way == MAX else 'min'}", lang, measure=_words(name, lang))


def _frontier(study: Study) -> list[Alternative]:
    """The trade-off frontier: the least-cost plan, then the plan furthest in the frontier's direction at each
    share of the allowance, the whole allowance last."""
    if study.frontier is None:
        return []
    points = [a for a in study.alternatives if a.ok and a.kind in (DIRECTION, FRONTIER)
              and a.direction == study.frontier]
    return [study.least_cost] + sorted(points, key=lambda a: a.allowance_share)


def _reach_words(study: Study, alt: Alternative, name: str, lang: str) -> str:
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
    return label("alt.story.most_for", lang, moves=", ".join(
        f"{L.minerals_words(d, [m], lang, capital=False)} {_shown(name, a, lang)} \u2192 {_shown(name, b, lang)}"
        for _, m, a, b in top))  # mid-sentence: 'most for molybdenum', not 'Molybdenum'


def _tradeoff_chart(study: Study, tradeoff: tuple[str, str], lang: str) -> str:
    """One marker per plan; when cost is an axis, the frontier (the furthest in one direction at each share
    of the allowance) as a line, and the budget as a dashed line."""
    x_dim, y_dim = tradeoff

    def point(a):
        return tradeoff_value(study, a, x_dim), tradeoff_value(study, a, y_dim)

    frontier = _frontier(study)
    series = []
    if len(frontier) > 1:
        series.append(html.Series(label("alt.series.frontier", lang, direction=direction_words(*study.frontier, lang)),
                                  [point(a) for a in frontier], color=html.MUTED))
    series += [html.Series(alt_name(study, a, lang), [point(a)]) for a in study.alternatives
               if a.ok and a.kind != FRONTIER]
    xs = [x for s in series for x, y in s.points if x is not None and y is not None]
    if xs and y_dim == COST:
        series.append(html.Series(label("alt.series.budget", lang, slack=html.fmt(study.slack, "percent", 1)),
                                  [(min(xs), study.slack), (max(xs), study.slack)], dashed=True, color="#C00000"))
    return html.line_chart(_short_title(tradeoff, lang), series, y_format=_dim_format(y_dim),
                           x_format=_dim_format(x_dim), x_label=_dim_label(x_dim, lang),
                           y_label=_axis_title(y_dim, lang), zero_based=False, width=960, height=440)


def _reach_table(study: Study, lang: str) -> str:
    """Per mineral: each direction's measure in the least-cost plan and in the plan furthest that way."""
    d = study.data
    singles = [a for a in study.of_kind(DIRECTION) if a.ok]
    heads = [label("word.mineral", lang), label("alt.col.cost_m", lang)]
    formats = ["text", "usd_m"]
    for a in singles:
        name = a.direction[0]
        heads += [label("alt.col.measure_in", lang, measure=_words(name, lang), plan=label("alt.least_cost", lang)),
                  label("alt.col.measure_in", lang, measure=_words(name, lang), plan=alt_name(study, a, lang))]
        formats += [MEASURE_FORMAT[name][1]] * 2
    rows = []
    for m in d.minerals:
        row = [L.mineral_name(d, m, lang), study.least_cost.evaluation.costs_by_mineral_usd[m]]
        base = mineral_measures(d, study.least_cost.plan, study.least_cost.evaluation, m)
        for a in singles:
            name = a.direction[0]
            furthest = mineral_measures(d, a.plan, a.evaluation, m)[name]
            row += [base[name], furthest]
        rows.append(row)
    return html.table(heads, rows, formats=formats, lang=lang)


def _range_charts(study: Study, lang: str) -> list[str]:
    out = []
    d = study.data
    for family, fmt_, convert in (
            ("supplier", "percent", lambda r, v: share_of_demand(study, r, v)),
            ("stock", "number", lambda r, v: v), ("recycling", "number", lambda r, v: v),  # the axis says days
            ("agreement", "number", lambda r, v: v)):
        ranges = [r for r in study.ranges if r.item.family == family]
        rows = [html.RangeRow(item_name(study, r.item, lang), convert(r, r.low), convert(r, r.high),
                              convert(r, r.least_cost),
                              L.mineral_name(d, r.item.mineral, lang) if family == "supplier" else "")
                for r in ranges]
        if rows:
            axis = label(f"alt.range_axis.{family}", lang)
            named = family_name(study, family, [r.item.item for r in ranges], lang)
            # A title starts as a sentence does: 'supplier ranges ...' was the one chart title in lower case.
            out.append(html.range_chart(L.capital(label("alt.chart.ranges", lang, family=named, axis=axis)), rows,
                                        x_format=fmt_, x_label=axis,
                                        bar_name=label("alt.series.range", lang),
                                        marker_name=label("alt.least_cost", lang), width=960))
    return out


def build_alternatives_html(study: Study, tradeoff: tuple[str, str], title: str, subtitle: str,
                            lang: str = EN, notice: str = "") -> str:
    narrative = alternatives_narrative(study, lang)
    cols, rows = alternative_rows(study, lang)
    shown = [0, 2, 4, 5, 6, 7, *range(8, 8 + len(DIRECTIONS)), len(cols) - 1]  # the workbook has every column
    fmts = ["text", "text", "text", "usd_m", "usd_m", "percent", *[MEASURE_FORMAT[n][1] for n in DIRECTIONS], "text"]
    heads = [label(f"alt.col.{k}", lang) for k in ("plan", "weights", "status", "cost", "change", "change_pct")]
    heads += [_words(n, lang) for n in DIRECTIONS] + [label("sweep.col.note", lang)]
    side = [[row[k] for k in shown] for row in rows]
    sections = [(_short_title(tradeoff, lang), [_tradeoff_chart(study, tradeoff, lang)]),
                (label("alt.sec.side", lang), [html.table(heads, side, formats=fmts, delta_columns=frozenset({4}),
                                                          lang=lang)])]
    if any(a.ok for a in study.of_kind(DIRECTION)):
        scope = label("alt.scope.each" if study.budget != BUDGET_TOTAL else "alt.scope.shared", lang)
        sections.append((label("alt.sec.reach", lang), [
            f"<p>{html.esc(label('alt.reach.note', lang, scope=scope))}</p>",
                                                        _reach_table(study, lang)]))
    if study.ranges:
        cols, rows = range_rows(study, lang)
        # 1,380 px wide at 14 columns for the whole case, past a 1,300 px window: the page leaves the HiGHS solves
        # to the workbook, and the proven bounds ('no plan has less', 'no plan has more') too where every end
        # is proven, so each equals its end ('both ends proven' says so); the plans that found the ends
        # ('least cathode_scrap_hydro') break after an id's _.
        keep = [0, 1, 3, 5, 6, 7, 8, *([] if all(r.proven for r in study.ranges) else [9, 10]), 14, 15, 16, 17]
        rfmts = ["number" if cols[k].fmt else "text" for k in keep]
        rows = [[family_name(study, row[0], [r.item.item], lang), item_name(study, r.item, lang), row[2],
                 L.mineral_name(study.data, row[3], lang), *row[4:]] for r, row in zip(study.ranges, rows)]
        sections.append((label("alt.sec.ranges", lang), [
            f"<p>{html.esc(label('alt.ranges.note', lang))}</p>", *_range_charts(study, lang),
            html.table([L.page_head(cols[k], lang) for k in keep], [[row[k] for k in keep] for row in rows],
                       formats=rfmts, ids_break=frozenset({keep.index(16), keep.index(17)}))]))
    sections.append((label("alt.sec.how", lang), [
        f"<p>{html.esc(budget_words(study, lang))}</p>",
        f"<p>{html.esc(estimates_words(study, lang))}</p>",
        "<p>" + html.esc(label("alt.how", lang, share=f"{COUNTRY_MIN_SHARE:.0%}", solved=_solved_as(study, lang)))
        + "</p>"]))
    return html.page(title, subtitle, narrative, sections, narrative_heading=label("alt.room", lang), lang=lang,
                     notice=notice)


def _solved_as(study: Study, lang: str) -> str:
    """How the model was solved: the solver session's own words in English, its count of blocks in Korean."""
    return solved_as(study.decomposition, study.blocks).in_lang(lang)


def titles(workbook: str, d, slack: float, budget: str, sha: str, lang: str = EN) -> tuple[str, str]:
    s = d.settings
    return (label("alt.title", lang, workbook=workbook),
            label("alt.subtitle", lang, slack=html.fmt(slack, "percent", 1),
                  budget=label(f"alt.budget_kind.{budget}", lang),
                  first=s.first_year, last=s.last_year, currency=s.currency, price_year=s.price_year, sha=sha[:12]))


def alternatives_files(study: Study, tradeoff: tuple[str, str], run_info, title: str, subtitle: str, lang: str = EN
                       ) -> tuple[bytes, bytes]:
    """The bytes of the alternatives workbook and page."""
    return study_files(build_alternatives_workbook(study, tradeoff, run_info, lang),
                       lambda notice: build_alternatives_html(study, tradeoff, title, subtitle, lang, notice),
                       run_info, "plans", lang)
