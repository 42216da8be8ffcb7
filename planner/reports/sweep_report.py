"""The reports of ``planner sweep``: ``<stem>-sweep-<parameter>.xlsx`` and ``.html``.

Total cost against the swept limit, the marginal cost of each step (overall
and per mineral), and the China share each point reaches, all from verified
plans.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference

from models.dataset import LIMIT_APPLIES_ONLY_TO, PlanningData
from models.plan import FEASIBLE, INFEASIBLE, NO_SOLUTION, OPTIMAL
from planner.indicators import mineral_sr, stage_risk
from planner.reports import html
from planner.reports.compare_report import STORY_COLS, story_rows, story_section
from planner.reports.files import workbook_bytes
from planner.reports.plan_report import definitions_table
from planner.workbook.writer import put
from planner.reports.plan_workbook import (
    PCT, RISK, USD, Col, chart_rows, finish_chart, make_printable, write_definitions, write_run_sheet, write_table,
)
from planner.studies.compare import percent_of
from planner.studies.story import supplier_story
from planner.studies.sweep import Parameter, SweepPoint, marginal_usd_per_point
from planner.verify import COST_PARTS


# Worst first: a sweep's headline status is that of its worst point.
_STATUS_ORDER = ("error", NO_SOLUTION, INFEASIBLE, FEASIBLE, OPTIMAL)


def sweep_facts(points: list[SweepPoint]) -> list[tuple[str, object]]:
    """The sweep's headline, for its .json and Run sheet: the worst status of its points, and each
    point's status, objective, bound, gap and verified cost."""
    worst = min((p.status for p in points), key=lambda s: _STATUS_ORDER.index(s) if s in _STATUS_ORDER else 0)
    out: list[tuple[str, object]] = [("status", worst)]
    for p in points:
        st = p.plan.stats if p.plan else None
        out += [(f"point {p.value:g} status", p.status), (f"point {p.value:g} objective_usd", st and st.objective_usd),
                (f"point {p.value:g} best_bound_usd", st and st.bound_usd), (f"point {p.value:g} gap", st and st.gap),
                (f"point {p.value:g} cost_usd", p.total_usd)]
    return out


def _value_fmt(param: Parameter) -> str:
    return {"share": PCT, "score": "0.00", "days": "0"}[param.unit]


def _per_point(param: Parameter) -> str:
    return {"share": "percentage point", "score": "0.01 of risk score", "days": "day"}[param.unit]


def sweep_rows(points: list[SweepPoint], param: Parameter) -> tuple[list[Col], list[list]]:
    marginal = marginal_usd_per_point(points, param, lambda p: p.total_usd)
    cols = [Col(param.column, _value_fmt(param), f"The {param.label} in the swept years"),
            Col("status", "", "optimal, feasible (time limit), infeasible, no_solution or error"),
            Col("total_cost_usd", USD, "Present value of every cost"),
            Col("marginal_usd_per_point", USD, f"Cost of the step from the previous row, per {_per_point(param)} "
                                               "of tightening"),
            *[Col(f"{p}_usd", USD, f"Present value of {p}") for p in COST_PARTS],
            Col("gap", "0.00%", "Solver's relative MIP gap"), Col("solve_s", "0.00", "Solve and verify time (s)"),
            Col("note", "", "Why a point has no plan")]
    rows = []
    for p, mc in zip(points, marginal):
        ev = p.evaluation
        rows.append([p.value, p.status, p.total_usd, mc, *[ev.costs_usd[c] if ev else None for c in COST_PARTS],
                     p.plan.stats.gap if ev else None, round(p.wall_s, 3), p.message])
    return cols, rows


def mineral_rows(points: list[SweepPoint], param: Parameter, minerals: list[str]) -> tuple[list[Col], list[list]]:
    cols = [Col(param.column, _value_fmt(param), f"The {param.label}")]
    cols += [Col(f"{m}_cost_usd", USD, f"Present value of {m}'s costs") for m in minerals]
    cols += [Col(f"{m}_marginal_usd_per_point", USD, f"{m}: cost of the step per {_per_point(param)}")
             for m in minerals]
    marg = {m: marginal_usd_per_point(points, param, lambda p, m=m: p.evaluation.costs_by_mineral_usd[m])
            for m in minerals}
    rows = []
    for i, p in enumerate(points):
        ev = p.evaluation
        rows.append([p.value, *[ev.costs_by_mineral_usd[m] if ev else None for m in minerals],
                     *[marg[m][i] for m in minerals]])
    return cols, rows


def china_rows(points: list[SweepPoint], param: Parameter, minerals: list[str], year: int):
    cols = [Col(param.column, _value_fmt(param), f"The {param.label}")]
    cols += [Col(f"{m}_china_share_{year}", PCT, f"{m}: China share of consumption in {year}") for m in minerals]
    rows = [[p.value, *[p.evaluation.indicators[m, year].china_share if p.evaluation else None for m in minerals]]
            for p in points]
    return cols, rows


def supply_risk_rows(d: PlanningData, points: list[SweepPoint], param: Parameter, minerals: list[str], year: int):
    cols = [Col(param.column, _value_fmt(param), f"The {param.label}")]
    cols += [Col(f"{m}_supply_risk_{year}", RISK, f"{m}: EU supply risk for Korea's sourcing in {year}, the higher "
                                                  "stage (Definitions sheet)") for m in minerals]
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


def build_sweep_workbook(d, points, param, minerals, year, keys, run_info) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sweep"
    cols, rows = sweep_rows(points, param)
    write_table(ws, cols, rows)
    write_table(wb.create_sheet("ByMineral"), *mineral_rows(points, param, minerals))
    write_table(wb.create_sheet("ChinaShare"), *china_rows(points, param, minerals, year))
    write_table(wb.create_sheet("SupplyRisk"), *supply_risk_rows(d, points, param, minerals, year))
    story = []
    for p, changes in sweep_story(d, points, param, keys, minerals):
        story += story_rows(_shown(param, p.value), changes, d, set(minerals))
    write_table(wb.create_sheet("Story"), [Col("point", "", f"The {param.label} of the point; the base is the "
                                               "loosest point"), *STORY_COLS[1:]], story)
    write_definitions(wb)
    write_run_sheet(wb, run_info)
    charts = wb.create_sheet("Charts", 1)
    n = len(points)
    # Cost in million USD beside the sweep table's columns, so the chart reads in M.
    put(ws, 1, len(cols) + 2, "total_cost_usd_m")
    put(ws, 1, len(cols) + 3, "marginal_usd_m_per_point")
    for i, row in enumerate(rows, start=2):
        put(ws, i, len(cols) + 2, None if row[2] is None else row[2] / 1e6).number_format = "#,##0.0"
        put(ws, i, len(cols) + 3, None if row[3] is None else row[3] / 1e6).number_format = "#,##0.00"
    cats = Reference(ws, min_col=1, min_row=2, max_row=n + 1)
    line = LineChart()
    line.title = f"Total cost against the {param.label}"
    line.y_axis.title = "USD M (present value)"
    line.x_axis.title = param.column
    line.add_data(Reference(ws, min_col=len(cols) + 2, min_row=1, max_row=n + 1), titles_from_data=True)
    line.set_categories(cats)
    charts.add_chart(finish_chart(line, 18), "A1")
    bar = BarChart()
    bar.title = f"Marginal cost per {_per_point(param)} of tightening"
    bar.y_axis.title = "USD M per point"
    bar.add_data(Reference(ws, min_col=len(cols) + 3, min_row=1, max_row=n + 1), titles_from_data=True)
    bar.set_categories(cats)
    charts.add_chart(finish_chart(bar, 18), f"A{1 + chart_rows(line)}")
    make_printable(wb)
    return wb


def _shown(param: Parameter, v: float) -> str:
    return {"share": f"{v:.0%}", "score": f"{v:.2f}", "days": f"{v:g} days"}[param.unit]


def sweep_narrative(points: list[SweepPoint], param: Parameter, where: str, not_applicable: list[str]) -> list[str]:
    solved = [p for p in points if p.evaluation]
    skipped = ([f"Not applicable to {', '.join(not_applicable)}: {param.column} applies only to "
                f"{LIMIT_APPLIES_ONLY_TO[param.column]}, so these minerals are left out of the sweep."]
               if not_applicable else [])
    if not solved:
        return [f"No point of the sweep has a verified plan: {points[0].message if points else 'nothing solved'}.",
                *skipped]
    loose, tight = (max(solved, key=lambda p: p.value), min(solved, key=lambda p: p.value))
    if not param.tighter_when_lower:
        loose, tight = tight, loose
    rise = tight.total_usd - loose.total_usd
    out = [f"Tightening the {param.label} {where} from {_shown(param, loose.value)} to {_shown(param, tight.value)} "
           f"raises the present-value cost by USD {rise / 1e6:,.0f} M{percent_of(rise, loose.total_usd, 2)}."]
    marginal = marginal_usd_per_point(points, param, lambda p: p.total_usd)
    steps = [(m, a, b) for m, a, b in zip(marginal[1:], points, points[1:]) if m is not None]
    if steps:
        m, a, b = max(steps, key=lambda s: s[0])
        out.append(f"The steepest step is from {_shown(param, a.value)} to {_shown(param, b.value)}: "
                   f"USD {m / 1e6:,.1f} M per {_per_point(param)}.")
    gap = max((p.plan.stats.gap or 0.0) for p in solved)
    out.append(f"Each plan is within {gap:.2%} of the least cost (about USD {gap * loose.total_usd / 1e6:,.0f} M); "
               "smaller differences are the solver's tolerance, not policy. Run with a smaller --gap for a finer "
               "curve.")
    none = [p for p in points if not p.evaluation]
    if none:
        out.append(f"No verified plan at {', '.join(_shown(param, p.value) for p in none)} ({none[0].message}).")
    return out + skipped


def build_sweep_html(d, points, param, minerals, not_applicable, year, keys, title, subtitle, where) -> str:
    narrative = sweep_narrative(points, param, where, not_applicable)
    cols, rows = sweep_rows(points, param)
    x_fmt = {"share": "percent", "score": "number", "days": "number"}[param.unit]
    fmts = [x_fmt, "text", "usd_m", "usd_m"] + ["usd_m"] * len(COST_PARTS) + ["percent", "number", "text"]
    table = ("Every point", [html.table([c.name for c in cols], rows, formats=fmts, delta_columns=frozenset({3}))])
    if not any(p.evaluation for p in points):  # nothing to draw: say so and show the table
        return html.page(title, subtitle, narrative, [table])
    marginal = marginal_usd_per_point(points, param, lambda p: p.total_usd)
    reverse = param.tighter_when_lower  # tighter to the right
    sections = [("Cost against the limit", [
        html.line_chart(f"Total cost against the {param.label}",
                        [html.Series("cost of the plan found", [(p.value, p.total_usd) for p in points]),
                         # The true least cost lies between the bound and the plan: differences inside
                         # that band are the solver's tolerance, not policy.
                         html.Series("lower bound (no plan can cost less)",
                                     [(p.value, p.plan.stats.bound_usd if p.evaluation else None) for p in points],
                                     dashed=True)],
                        y_format="usd_m", x_format=x_fmt, x_label=param.column, y_label="USD M (present value)",
                        zero_based=False, x_reverse=reverse),
        html.bar_chart(f"Marginal cost per {_per_point(param)} of tightening",
                       [_shown(param, p.value) for p in points],
                       {"USD per point": [m or 0.0 for m in marginal]}, y_format="usd_m", y_label="USD M")])]
    per_m = {m: marginal_usd_per_point(points, param, lambda p, m=m: p.evaluation.costs_by_mineral_usd[m])
             for m in minerals}
    paying = [m for m in minerals if any(abs(x or 0.0) > 1.0 for x in per_m[m])]
    if paying:
        sections.append(("Which minerals pay", [html.bar_chart(
            f"Marginal cost per {_per_point(param)} by mineral", [_shown(param, p.value) for p in points],
            {m: [x or 0.0 for x in per_m[m]] for m in paying}, y_format="usd_m", y_label="USD M",
            width=900, value_labels=False)]))
    sections.append((f"China share in {year}", [html.line_chart(
        f"China share of consumption in {year} at each point",
        [html.Series(m, [(p.value, p.evaluation.indicators[m, year].china_share if p.evaluation else None)
                         for p in points]) for m in minerals],
        y_format="percent", x_format=x_fmt, x_label=param.column, x_reverse=reverse, width=900)]))
    cols, rows = supply_risk_rows(d, points, param, minerals, year)
    sections.append((f"Supply risk in {year}", [html.line_chart(
        f"EU supply risk for Korea's sourcing in {year} at each point (higher stage)",
        [html.Series(m, [(r[0], r[1 + i]) for r in rows]) for i, m in enumerate(minerals)],
        y_format="number", x_format=x_fmt, x_label=param.column, x_reverse=reverse, width=900), definitions_table()]))
    ends = _ends(points, param)
    if ends:
        loose, tight = ends
        base = (d.with_limit(param.column, loose.value, keys), loose.plan, loose.evaluation)
        other = (d.with_limit(param.column, tight.value, keys), tight.plan, tight.evaluation)
        shown = [m for m in minerals if supplier_story(base, other, [m])]
        sections.append((f"Who replaces whom: {_shown(param, tight.value)} against {_shown(param, loose.value)}",
                         story_section(f"at {_shown(param, tight.value)}", base, other, shown) or
                         ["<p>The tightest and the loosest plan buy the same.</p>"]))
    sections.append(table)
    return html.page(title, subtitle, narrative, sections)


def sweep_files(d, points, param, minerals, not_applicable, year, keys, run_info, title, subtitle, where
                ) -> tuple[bytes, bytes]:
    """The bytes of the sweep workbook and page."""
    return (workbook_bytes(build_sweep_workbook(d, points, param, minerals, year, keys, run_info)),
            build_sweep_html(d, points, param, minerals, not_applicable, year, keys, title, subtitle,
                             where).encode("utf-8"))
