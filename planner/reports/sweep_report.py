"""The reports of ``planner sweep``: ``<stem>-sweep-<parameter>.xlsx`` and ``.html``, in English or Korean.

Total cost against the swept limit, the marginal cost of each step (overall and per mineral), the China
share each point reaches, and where the swept limit does not bind, the other limits that do the work
instead with their shadow prices; all from verified plans.  Every word comes from
``planner.reports.labels``.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font

from models.dataset import PlanningData
from models.plan import FEASIBLE, INFEASIBLE, NO_SOLUTION, OPTIMAL
from planner.indicators import mineral_sr, stage_risk
from planner.reports import html
from planner.reports import labels as L
from planner.reports.compare_report import STORY_COLS, relaxation_words, story_rows, story_section
from planner.reports.html import usd_m
from planner.reports.labels import EN, label
from planner.reports.plan_report import definitions_table
from planner.reports.plan_workbook import (
    GAP, PCT, RISK, USD, Col, chart_rows, finish_chart, make_printable, marked, sheet_name, study_files,
    write_definitions, write_run_sheet, write_table,
)
from planner.studies.compare import proven_gap_usd, relative_change
from planner.studies.story import supplier_story
from planner.studies.sweep import (Instead, Parameter, SweepPoint, loosest_without_plan, marginal_usd_per_point,
                                   point_text)
from planner.verify import COST_PARTS
from planner.workbook.writer import put

# A marginal cost within its plans' proven gaps: light grey, apart from the priced bars.
NOT_SIGNIFICANT = "#C3C9D1"
# Worst first: a sweep's headline status is that of its worst point.
_STATUS_ORDER = ("error", NO_SOLUTION, INFEASIBLE, FEASIBLE, OPTIMAL)


def sweep_facts(points: list[SweepPoint]) -> list[tuple[str, object]]:
    """The sweep's headline, for its .json and Run sheet: the worst status of its points, and each
    point's status, objective, bound, gap and verified cost."""
    worst = min((p.status for p in points), key=lambda s: _STATUS_ORDER.index(s) if s in _STATUS_ORDER else 0)
    out: list[tuple[str, object]] = [("status", L.run_status(worst))]
    for p in points:
        st = p.plan.stats if p.plan else None
        at = f"point {point_text(p.value)}"
        out += [(f"{at} status", L.run_status(p.status)), (f"{at} objective_usd", st and st.objective_usd),
                (f"{at} best_bound_usd", st and st.bound_usd), (f"{at} gap", st and st.gap),
                (f"{at} cost_usd", p.total_usd)]
        out += [(f"{at} binds instead {x.column}", x.at) for x in p.instead]
        if p.diagnosis:
            out.append((f"{at} no plan unless", L.Worded(_unless, relaxations=p.relaxations, overrides=p.overrides)))
    return out


def _swept_col(param: Parameter) -> Col:
    """The first column of every sweep table: the swept limit's value at the point."""
    return Col(param.column, {"share": PCT, "score": "0.00", "days": "0"}[param.unit], key="swept_value",
               values=_limit(param))


def _per_point(param: Parameter, lang: str) -> str:
    return label(f"sweep.per.{param.unit}", lang)


def _limit(param: Parameter) -> tuple[tuple[str, str], ...]:
    return (("limit", f"@limit.{param.column}"),)


def _price(x: Instead) -> str:
    """A stand-in limit's highest shadow price, as words show it."""
    shown = L.price_shown(x.price_usd_per_point)
    return "\u2013" if shown is None else shown if isinstance(shown, str) else f"{shown:,.0f}"


def _instead_words(p: SweepPoint, lang: str) -> str:
    """'single-country cap at its limit in 5 (up to USD 1,050,474 per point)', one per limit."""
    return label("word.sep", lang).join(
        label("sweep.instead.one", lang, limit=L.limit_name(x.column, lang), n=x.at,
              price=_price(x))
        for x in p.instead)


def point_note(p: SweepPoint, lang: str = EN, limit: int = 3) -> str:
    """Why a point has no plan, or whose plan it keeps: an infeasible point with the limits that must move
    for a plan (mineral, year and Policy cell; ``limit`` of them named), as ``planner compare`` says it, and
    where the sweep set a cell's value, that it did; no plan within the time limit in ``planner compare``'s
    words (``reason``)."""
    if p.status == INFEASIBLE and (p.relaxations or p.why is None):
        return _unless(p.relaxations, lang, limit, p.overrides)
    return L.reason(p.why, lang)  # no plan within the time limit, the diagnosis cut short, or whose plan it keeps


def _unless(relaxations, lang: str = EN, limit: int = 3, overrides=None) -> str:
    """The limits an infeasible point must move for a plan, or that no plan meets its limit with the others;
    after a limit the sweep set (``overrides``, ``SweepPoint.overrides``), that the value in force is the
    sweep's and what its cell holds."""
    if not relaxations:
        return label("sweep.infeasible", lang)
    overrides = overrides or {}

    def note(r) -> str:
        key = (r.family, r.mineral_id, r.year)
        return label("sweep.set.note", lang, value=L.limit_value(r.limit, r.unit, lang),
                     held=_held(overrides[key], r.unit, lang)) if key in overrides else ""

    return relaxation_words(relaxations, lang, limit, note)


def set_by_sweep_words(value: float, held: float | None, unit: str, lang: str = EN) -> str:
    """A limit's value in force where the sweep set it, as a diagnosis names it in place of 'is 40%': 'set to
    40% by the sweep (the cell holds 50%)', so that a planner who opens the cell is not misled."""
    return label("sweep.set", lang, value=L.limit_value(value, unit, lang), held=_held(held, unit, lang))


def _held(held: float | None, unit: str, lang: str) -> str:
    """What the workbook's cell holds, where the sweep set another value."""
    return (label("sweep.held.blank", lang) if held is None
            else label("sweep.held", lang, value=L.limit_value(held, unit, lang)))


def priced_steps(points: list[SweepPoint], param: Parameter) -> list[tuple[int, float, bool]]:
    """The steps between neighbouring points that both have a plan: (i, marginal cost in USD per point,
    significant), from ``points[i - 1]`` to ``points[i]``.  A step whose cost changes by no more than its two
    plans' proven gaps together is the solver's tolerance, not a price of the limit: not significant."""
    marginal = marginal_usd_per_point(points, param, lambda p: p.total_usd)
    return [(i, m, abs(b.total_usd - a.total_usd) > proven_gap_usd(a.plan) + proven_gap_usd(b.plan))
            for i, (m, a, b) in enumerate(zip(marginal[1:], points, points[1:]), start=1) if m is not None]


def _step_name(points: list[SweepPoint], i: int, param: Parameter, lang: str) -> str:
    """A step as a chart's category names it: '80% \u2192 75%'."""
    return label("sweep.step", lang, a=_shown(param, points[i - 1].value, lang), b=_shown(param, points[i].value, lang))


def marginal_chart_data(points: list[SweepPoint], param: Parameter, lang: str = EN
                        ) -> tuple[list[str], list[tuple[str, list[float | None], str]], str]:
    """The marginal-cost chart, one bar per priced step: its steps' names and its series (name, USD per point
    of each step or None, colour): the significant steps, then, if any, the others, drawn apart in grey; or
    instead of a chart the words why there is none (no step between two plans, or none significant: bars of
    the solver's tolerance alone would read as a price)."""
    steps = priced_steps(points, param)
    if not steps:
        return [], [], label("sweep.chart.no_step", lang)
    if not any(sig for _i, _m, sig in steps):
        return [], [], label("sweep.chart.none_significant", lang)
    series = [(label("sweep.series.marginal", lang), [m if sig else None for _i, m, sig in steps], html.PALETTE[0])]
    if not all(sig for _i, _m, sig in steps):
        series.append((label("sweep.series.marginal_ns", lang), [None if sig else m for _i, m, sig in steps],
                       NOT_SIGNIFICANT))
    return [_step_name(points, i, param, lang) for i, _m, _sig in steps], series, ""


def sweep_rows(points: list[SweepPoint], param: Parameter, price_year: int, lang: str = EN
               ) -> tuple[list[Col], list[list]]:
    marginal = marginal_usd_per_point(points, param, lambda p: p.total_usd)
    per = (("per", _per_point(param, lang)),)
    cols = [_swept_col(param),
            Col("status", "", key="case_status"),
            Col("total_cost_usd", USD, values=(("price_year", price_year),)),
            Col("marginal_usd_per_point", USD, values=per),
            *[Col(f"{p}_usd", USD, key="part_usd", values=(("part", f"@cost.{p}"), ("note", f"@cost_note.{p}")))
              for p in COST_PARTS],
            Col("gap", GAP, key="proven_gap"), Col("solve_s", "0.00", key="case_solve_s"),
            Col("binding_here", "0", key="swept_binds", values=_limit(param)),
            Col("binds_instead", "", key="binds_instead", values=_limit(param)),
            Col("note", "", key="point_note")]
    rows = []
    for p, mc in zip(points, marginal):
        ev = p.evaluation
        n = p.swept if ev else None
        rows.append([p.value, L.status(p.status, lang), p.total_usd, mc,
                     *[ev.costs_usd[c] if ev else None for c in COST_PARTS],
                     p.plan.stats.gap if ev else None, round(p.wall_s, 3),
                     None if n is None else f"{n - p.slack}/{n}", _instead_words(p, lang) or None,
                     point_note(p, lang, len(p.relaxations))])
    return cols, rows


def mineral_rows(d: PlanningData, points: list[SweepPoint], param: Parameter, minerals: list[str],
                 lang: str = EN) -> tuple[list[Col], list[list]]:
    cols = [_swept_col(param)]
    cols += [Col(f"{m}_cost_usd", USD, key="mineral_cost_usd", values=(("mineral", L.mineral_name(d, m, lang)),))
             for m in minerals]
    cols += [Col(f"{m}_marginal_usd_per_point", USD, key="mineral_marginal_usd",
                 values=(("mineral", L.mineral_name(d, m, lang)), ("per", _per_point(param, lang)))) for m in minerals]
    marg = {m: marginal_usd_per_point(points, param, lambda p, m=m: p.evaluation.costs_by_mineral_usd[m])
            for m in minerals}
    rows = []
    for i, p in enumerate(points):
        ev = p.evaluation
        rows.append([p.value, *[ev.costs_by_mineral_usd[m] if ev else None for m in minerals],
                     *[marg[m][i] for m in minerals]])
    return cols, rows


def china_rows(d: PlanningData, points: list[SweepPoint], param: Parameter, minerals: list[str], year: int,
               lang: str = EN):
    cols = [_swept_col(param)]
    cols += [Col(f"{m}_china_share_{year}", PCT, key="mineral_china_share",
                 values=(("mineral", L.mineral_name(d, m, lang)), ("year", year),
                         ("basis", f"@basis_word.{d.settings.reliance_basis}"))) for m in minerals]
    rows = [[p.value, *[p.evaluation.indicators[m, year].china_share if p.evaluation else None for m in minerals]]
            for p in points]
    return cols, rows


def supply_risk_rows(d: PlanningData, points: list[SweepPoint], param: Parameter, minerals: list[str], year: int,
                     lang: str = EN):
    cols = [_swept_col(param)]
    cols += [Col(f"{m}_supply_risk_{year}", RISK, key="mineral_supply_risk",
                 values=(("mineral", L.mineral_name(d, m, lang)), ("year", year))) for m in minerals]
    rows = []
    for p in points:
        risks = stage_risk(d, p.plan, p.evaluation) if p.evaluation else None
        rows.append([p.value, *[mineral_sr(risks, m, year) if risks else None for m in minerals]])
    return cols, rows


def _ends(points: list[SweepPoint], param: Parameter) -> tuple[SweepPoint, SweepPoint] | None:
    """The loosest and the tightest point with a verified plan (the story's base and its other end)."""
    solved = [p for p in points if p.evaluation]
    if len(solved) < 2:
        return None
    loose, tight = max(solved, key=lambda p: p.value), min(solved, key=lambda p: p.value)
    return (loose, tight) if param.tighter_when_lower else (tight, loose)


def sweep_story(d, points, param, keys, minerals):
    """(point, changes) of each solved point against the loosest, for ``minerals``."""
    ends = _ends(points, param)
    if ends is None:
        return []
    loose = ends[0]
    base = (d.with_limit(param.column, loose.value, keys), loose.plan, loose.evaluation)
    return [(p, supplier_story(base, (d.with_limit(param.column, p.value, keys), p.plan, p.evaluation), minerals))
            for p in points if p.evaluation and p is not loose]


def build_sweep_workbook(d, points, param, minerals, year, keys, run_info, lang: str = EN) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name("Sweep", lang)
    cols, rows = sweep_rows(points, param, d.settings.price_year, lang)
    write_table(ws, cols, rows, lang=lang)
    write_table(wb.create_sheet(sheet_name("ByMineral", lang)), *mineral_rows(d, points, param, minerals, lang),
                lang=lang)
    write_table(wb.create_sheet(sheet_name("ChinaShare", lang)), *china_rows(d, points, param, minerals, year, lang),
                lang=lang)
    write_table(wb.create_sheet(sheet_name("SupplyRisk", lang)),
                *supply_risk_rows(d, points, param, minerals, year, lang), lang=lang)
    story = []
    for p, changes in sweep_story(d, points, param, keys, minerals):
        story += story_rows(_shown(param, p.value, lang), changes, d, set(minerals), lang)
    write_table(wb.create_sheet(sheet_name("Story", lang)),
                [Col("point", "", key="sweep_point", values=_limit(param)), *STORY_COLS[1:]], story, lang=lang)
    write_definitions(wb, lang)
    write_run_sheet(wb, run_info, lang)
    charts = wb.create_sheet(sheet_name("Charts", lang), 1)
    n = len(points)
    # Cost in million USD beside the sweep table's columns, so the chart reads in M.
    put(ws, 1, len(cols) + 2, label("sweep.col.cost_m", lang))
    for i, row in enumerate(rows, start=2):
        put(ws, i, len(cols) + 2, None if row[2] is None else row[2] / 1e6).number_format = "#,##0.0"
    cats = Reference(ws, min_col=1, min_row=2, max_row=n + 1)
    limit = L.limit_name(param.column, lang)
    line = LineChart()
    line.title = label("sweep.chart.cost", lang, limit=limit, price_year=d.settings.price_year)
    line.y_axis.title = label("sweep.axis.usd", lang)
    line.x_axis.title = limit
    line.add_data(Reference(ws, min_col=len(cols) + 2, min_row=1, max_row=n + 1), titles_from_data=True)
    line.set_categories(cats)
    costs_m = [row[2] / 1e6 for row in rows if row[2] is not None]
    digits = 0
    if costs_m:
        # The axis spans the costs, as the page's does: from 0, a sweep's 48,316 M and 48,330 M were one flat line.
        ticks = html.nice_ticks(min(costs_m), max(costs_m))
        line.y_axis.scaling.min, line.y_axis.scaling.max = ticks[0], ticks[-1]
        line.y_axis.majorUnit = ticks[1] - ticks[0]
        # Its ticks' digits as the page's: a small case's read '74' at every step, not 74.00 to 74.15.
        digits = html.tick_decimals(ticks, "number")
    line.y_axis.number_format = "#,##0" + (f".{'0' * digits}" if digits else "")
    # Each point marked: one plan is a dot, not nothing.
    marked(line.series[0], html.PALETTE[0]).graphicalProperties.line.solidFill = html.PALETTE[0].lstrip("#")
    charts.add_chart(finish_chart(line, 18), "A1")
    _marginal_workbook_chart(ws, charts, len(cols) + 4, 1 + chart_rows(line), points, param, lang)
    make_printable(wb)
    return wb


def _marginal_workbook_chart(ws, charts, col: int, row: int, points: list[SweepPoint], param: Parameter,
                             lang: str) -> None:
    """The marginal-cost chart at ``row`` of the Charts sheet, from the priced steps written at ``col`` of the
    sweep sheet (USD M per point, a step within its plans' proven gaps in a grey series of its own); or, where
    no step has a marginal cost a planner could use, the chart's title and the words why."""
    title = label("sweep.chart.marginal", lang, per=_per_point(param, lang))
    steps, series, why = marginal_chart_data(points, param, lang)
    if why:
        put(charts, row, 1, title).font = Font(bold=True)
        # The words as wide as the chart above them, wrapped (on one line they ran past the printed page).
        put(charts, row + 1, 1, why).alignment = Alignment(wrap_text=True, vertical="top")
        charts.merge_cells(start_row=row + 1, start_column=1, end_row=row + 3, end_column=10)
        return
    put(ws, 1, col, label("sweep.col.step", lang))
    for i, step in enumerate(steps, start=2):
        put(ws, i, col, step)
    bar = BarChart()
    bar.grouping, bar.overlap = "stacked", 100  # a step's one bar, in the colour of its series
    for j, (name, values, color) in enumerate(series, start=col + 1):
        put(ws, 1, j, name)
        for i, m in enumerate(values, start=2):
            put(ws, i, j, None if m is None else m / 1e6).number_format = "#,##0.00"
        bar.add_data(Reference(ws, min_col=j, min_row=1, max_row=len(steps) + 1), titles_from_data=True)
        bar.series[-1].graphicalProperties.solidFill = color.lstrip("#")
    bar.title = title
    bar.y_axis.title = label("sweep.axis.per", lang)
    bar.x_axis.title = label("sweep.axis.steps", lang, limit=L.limit_name(param.column, lang))  # as the cost chart's
    bar.set_categories(Reference(ws, min_col=col, min_row=2, max_row=len(steps) + 1))
    charts.add_chart(finish_chart(bar, 18), f"A{row}")


def _bare(param: Parameter, v: float) -> str:
    """A swept value with every digit that tells it from its neighbours ('45.00001%' beside '45%'), a number of
    days without its unit (the points table's header names it)."""
    return f"{point_text(v * 100)}%" if param.unit == "share" else point_text(v)


def _shown(param: Parameter, v: float, lang: str = EN) -> str:
    return L.days(_bare(param, v), lang) if param.unit == "days" else _bare(param, v)


def sweep_narrative(points: list[SweepPoint], param: Parameter, where: str, not_applicable: list[str],
                    lang: str = EN) -> list[str]:
    solved = [p for p in points if p.evaluation]
    limit = L.limit_name(param.column, lang)
    skipped = ([label("sweep.not_applicable", lang, minerals=", ".join(not_applicable), limit=limit,
                      whom=label(f"applies.{param.column}", lang))] if not_applicable else [])
    if not solved:  # at least one point finished
        first = loosest_without_plan(points, param)
        return [label("sweep.none", lang, at=_shown(param, first.value, lang), why=point_note(first, lang)), *skipped]
    ends = _ends(points, param)
    out = [] if ends is None else [_rise_words(*ends, param, limit, where, lang)]  # one plan: nothing to tighten
    loose = solved[0] if ends is None else ends[0]
    # A step smaller than the two plans' proven gaps is the solver's tolerance: no steepest step to name.
    steps = [(m, points[i - 1], points[i]) for i, m, significant in priced_steps(points, param) if significant]
    if steps:
        m, a, b = max(steps, key=lambda s: s[0])
        out.append(label("sweep.story.steepest", lang, a=_shown(param, a.value, lang), b=_shown(param, b.value, lang),
                         usd=usd_m(m), per=_per_point(param, lang)))
    out += instead_story(points, param, lang)
    gap = max((p.plan.stats.gap or 0.0) for p in solved)
    # A gap of a small case's cost read 'about USD 0 M': its first digit shows.
    usd = gap * loose.total_usd
    out.append(label("sweep.story.gap", lang, gap=html.fmt(gap, "percent", 3),
                     usd=usd_m(usd, decimals=html.nonzero_decimals(usd, "usd_m"))))
    first = loosest_without_plan(points, param)
    if first:
        values = [_shown(param, p.value, lang) for p in points if not p.evaluation]
        out.append(label("sweep.story.no_plan" if len(values) > 1 else "sweep.story.no_plan_one", lang,
                         values=", ".join(values), at=_shown(param, first.value, lang), why=point_note(first, lang)))
    return out + skipped


def _rise_words(loose: SweepPoint, tight: SweepPoint, param: Parameter, limit: str, where: str, lang: str) -> str:
    """What tightening from the loosest to the tightest plan does to the cost: nothing a report shows, a change
    within the two plans' proven gaps (not significant), or a rise."""
    ends = dict(limit=limit, where=where, loose=_shown(param, loose.value, lang),
                tight=_shown(param, tight.value, lang))
    rise = tight.total_usd - loose.total_usd
    gaps = proven_gap_usd(loose.plan) + proven_gap_usd(tight.plan)
    if usd_m(rise) == usd_m(0):
        # Two plans found at one cost, each within its gap of its own least cost: the least cost may still move
        # by up to the gaps together, so the change is not significant, not shown to be nothing.
        if usd_m(gaps) == usd_m(0):
            return label("sweep.story.unchanged", lang, usd=usd_m(loose.total_usd), **ends)
        return label("sweep.story.unchanged_ns", lang, usd=usd_m(loose.total_usd), gap=usd_m(gaps), **ends)
    share = relative_change(rise, loose.total_usd)
    pct = "" if share is None else f" ({html.fmt(share, 'percent', 2, sign=True)})"
    if abs(rise) <= gaps:
        return label("sweep.story.rise_ns", lang, usd=usd_m(rise, sign=True), pct=pct, gap=usd_m(gaps), **ends)
    return label("sweep.story.rise", lang, usd=usd_m(rise), pct=pct, **ends)


def instead_story(points: list[SweepPoint], param: Parameter, lang: str) -> list[str]:
    """Where the swept limit does not bind, which limit does the work instead: one sentence per run of points
    with the same limits sitting in its place."""
    out = []
    runs: list[list[SweepPoint]] = []
    for p in points:
        if not p.evaluation or not p.instead:
            continue
        if runs and [x.column for x in runs[-1][-1].instead] == [x.column for x in p.instead]:
            runs[-1].append(p)
        else:
            runs.append([p])
    for run in runs:
        first, last = run[0], run[-1]
        values = (_shown(param, first.value, lang) if first is last else
                  label("sweep.range", lang, a=_shown(param, first.value, lang), b=_shown(param, last.value, lang)))
        top = first.instead[0]
        out.append(label("sweep.story.instead", lang, values=values, limit=L.limit_name(param.column, lang),
                         slack=first.slack, n=first.swept, by=L.limit_name(top.column, lang), at=top.at,
                         price=_price(top)))
    return out


def build_sweep_html(d, points, param, minerals, not_applicable, year, keys, title, subtitle, where,
                     lang: str = EN, notice: str = "") -> str:
    narrative = [line for line in sweep_narrative(points, param, where, not_applicable, lang)
                 + [L.estimates_note(d, lang)] if line]
    cols, rows = sweep_rows(points, param, d.settings.price_year, lang)
    x_fmt = {"share": "percent", "score": "number", "days": "number"}[param.unit]
    limit = L.limit_name(param.column, lang)
    # The axes and the table's column of values: days are bare numbers there, so their name says the unit.
    axis = label("sweep.axis.days", lang, limit=limit) if param.unit == "days" else limit
    keep = [0, 1, 2, 3, len(cols) - 3, len(cols) - 2, len(cols) - 1]
    table = (label("sweep.sec.points", lang), [html.table(
        [axis, label("col.status", lang), label("compare.col.cost", lang, price_year=d.settings.price_year),
         label("sweep.col.marginal", lang, per=_per_point(param, lang)), label("sweep.col.binds", lang, limit=limit),
         label("sweep.col.instead", lang), label("sweep.col.note", lang)],
        # The value as written: the column's format printed 0.45 and 0.4500001 both as '45%'.
        [[_bare(param, row[k]) if k == 0 else row[k] for k in keep] for row in rows],
        formats=[x_fmt, "text", "usd_m", "usd_m", "text", "text", "text"],
        delta_columns=frozenset({3}))
        + f"<p>{html.esc(label('sweep.instead.note', lang, limit=limit))}</p>"])
    if not any(p.evaluation for p in points):  # nothing to draw: say so and show the table
        return html.page(title, subtitle, narrative, [table], narrative_heading=label("word.in_short", lang),
                         lang=lang, notice=notice)
    reverse = param.tighter_when_lower  # tighter to the right
    sections = [(label("sweep.sec.cost", lang), [
        html.line_chart(label("sweep.chart.cost", lang, limit=limit, price_year=d.settings.price_year),
                        [html.Series(label("sweep.series.cost", lang), [(p.value, p.total_usd) for p in points]),
                         # The true least cost lies between the bound and the plan: differences inside
                         # that band are the solver's tolerance, not policy.
                         html.Series(label("sweep.series.bound", lang),
                                     [(p.value, p.plan.stats.bound_usd if p.evaluation else None) for p in points],
                                     dashed=True)],
                        y_format="usd_m", x_format=x_fmt, x_label=axis, y_label="USD M",
                        zero_based=False, x_reverse=reverse),
        _marginal_chart(points, param, lang)])]
    # The steps of the marginal-cost chart, by mineral: a step to or from a point without a plan has no cost.
    steps = [i for i, _m, _sig in priced_steps(points, param)]
    per_m = {m: marginal_usd_per_point(points, param, lambda p, m=m: p.evaluation.costs_by_mineral_usd[m])
             for m in minerals}
    paying = [m for m in minerals if any(abs(per_m[m][i]) > 1.0 for i in steps)]
    if paying:
        sections.append((label("sweep.sec.minerals", lang), [html.bar_chart(
            label("sweep.chart.by_mineral", lang, per=_per_point(param, lang)),
            [_step_name(points, i, param, lang) for i in steps],
            {L.mineral_name(d, m, lang): [per_m[m][i] for i in steps] for m in paying}, y_format="usd_m",
            # The legend names the one mineral that pays too: a bar 'by mineral' must say whose it is.
            y_label="USD M", width=900, value_labels=False, legend=True)]))
    basis = label(f"basis_word.{d.settings.reliance_basis}", lang)
    sections.append((label("sweep.sec.china", lang, year=year), [html.line_chart(
        label("sweep.chart.china", lang, year=year, basis=basis),
        [html.Series(L.mineral_name(d, m, lang), [(p.value, p.evaluation.indicators[m, year].china_share
                                                   if p.evaluation else None) for p in points]) for m in minerals],
        y_format="percent", x_format=x_fmt, x_label=axis, x_reverse=reverse, width=900)]))
    cols, rows = supply_risk_rows(d, points, param, minerals, year, lang)
    sections.append((label("sweep.sec.sr", lang, year=year), [html.line_chart(
        label("sweep.chart.sr", lang, year=year),
        [html.Series(L.mineral_name(d, m, lang), [(r[0], r[1 + i]) for r in rows]) for i, m in enumerate(minerals)],
        y_format="number", x_format=x_fmt, x_label=axis, x_reverse=reverse, width=900), definitions_table(lang)]))
    ends = _ends(points, param)
    if ends:
        loose, tight = ends
        base = (d.with_limit(param.column, loose.value, keys), loose.plan, loose.evaluation)
        other = (d.with_limit(param.column, tight.value, keys), tight.plan, tight.evaluation)
        shown = [m for m in minerals if supplier_story(base, other, [m])]
        sections.append((label("sweep.sec.story", lang, tight=_shown(param, tight.value, lang),
                               loose=_shown(param, loose.value, lang)),
                         story_section(_shown(param, tight.value, lang), base, other, shown, lang) or
                         [f"<p>{html.esc(label('sweep.story.same', lang))}</p>"]))
    sections.append(table)
    return html.page(title, subtitle, narrative, sections, narrative_heading=label("word.in_short", lang), lang=lang,
                     notice=notice)


def _marginal_chart(points: list[SweepPoint], param: Parameter, lang: str) -> str:
    """The marginal cost of each priced step as a bar, a step within its plans' proven gaps in grey and named
    so; or, where no step has a marginal cost a planner could use, the words why."""
    title = label("sweep.chart.marginal", lang, per=_per_point(param, lang))
    steps, series, why = marginal_chart_data(points, param, lang)
    if why:
        return f'<p class="note"><strong>{html.esc(title)}</strong><br>{html.esc(why)}</p>'
    return html.bar_chart(title, steps, {name: values for name, values, _c in series}, y_format="usd_m",
                          y_label="USD M", colors=[color for _n, _v, color in series])


def titles(workbook: str, d, param: Parameter, points: list[SweepPoint], gap: float, lang: str = EN
           ) -> tuple[str, str]:
    """The page's title and subtitle."""
    s = d.settings
    verified = sum(1 for p in points if p.evaluation)
    return (label("sweep.title", lang, limit=L.limit_name(param.column, lang), workbook=workbook),
            label("sweep.subtitle", lang, points=len(points), verified=verified, gap=html.power_of_ten(gap),
                  currency=s.currency, price_year=s.price_year, first=s.first_year, last=s.last_year))


def where_words(swept_years: list[int], chosen: list[str], d, narrowed: bool, lang: str = EN) -> str:
    """'in 2030' or 'in 2027-2030', with the minerals when not all were swept."""
    years = L.year_list(swept_years)
    if not narrowed:
        return label("sweep.where", lang, years=years)
    return label("sweep.where_minerals", lang, years=years,
                 minerals=L.minerals_words(d, chosen, lang, capital=False))


def sweep_files(d, points, param, minerals, not_applicable, year, keys, run_info, title, subtitle, where,
                lang: str = EN) -> tuple[bytes, bytes]:
    """The bytes of the sweep workbook and page."""
    return study_files(build_sweep_workbook(d, points, param, minerals, year, keys, run_info, lang),
                       lambda notice: build_sweep_html(d, points, param, minerals, not_applicable, year, keys, title,
                                                       subtitle, where, lang, notice), run_info, "points", lang)

