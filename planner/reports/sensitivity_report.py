"""The reports of ``planner sensitivity``: ``<stem>-sensitivity.xlsx``, ``.html`` and the facts of its ``.json``.

Which inputs move each headline output (a tornado of each input alone at the ends of its range,
Morris's mu* and sigma, Sobol' S1 and ST with their confidence intervals), where a mineral has no
plan, and the decisions that change inside the ranges, by plain name, with the inputs that move
them and the value at which one flips them alone.
"""

from __future__ import annotations

import math

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from planner.reports import html
from planner.reports.alternatives_report import SMALL_LABELS
from planner.reports.files import workbook_bytes
from planner.reports.plan_workbook import (
    DAYS, PCT, USD, Col, chart_rows, finish_chart, make_printable, write_run_sheet, write_table,
)
from planner.studies.sensitivity import BISECTIONS, INVALID, Output, Study, Threshold
from planner.workbook.uncertainty import ADD, SCALE, Factor
from planner.workbook.writer import put

TOP = 5  # inputs named in the narrative
SHOWN = 15  # inputs in a chart
EXCEL_FORMAT = {"usd": USD, "share": PCT, "days": DAYS, "years": "0", "modules": "0", "t": "#,##0", "yes/no": "0"}
DECISION_WORDS = {"contract": "years under contract", "modules": "modules built",
                  "line": "agreement line held, mean t a year", "feasible": "has a plan (1) or none (0)"}
HTML_FORMAT = {"usd": "usd_m", "share": "percent", "days": "days", "years": "number", "modules": "number",
               "t": "t", "yes/no": "number"}


# ---- words -----------------------------------------------------------------------------------

def factor_value(f: Factor, x: float | None, digits: int = 4) -> str:
    """A factor's value as a planner reads it: x0.95 (scale), +12 (add), 0.03 (set)."""
    if x is None:
        return "as in the workbook"
    if f.operation == SCALE:
        return f"x{x:.{digits}g}"
    return f"{x:+.{digits}g}" if f.operation == ADD else f"{x:.{digits}g}"


def factor_range(f: Factor) -> str:
    return f"{factor_value(f, f.low)} to {factor_value(f, f.high)}"


def shown(o: Output, v: float | None, sign: bool = False) -> str:
    """An output's value in words: USD 1,234.5 M, 48.2%, 95.1 days, 6 years."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "no value"
    plus = "+" if sign and v > 0 else ""
    if o.unit == "usd":
        money = f"USD {abs(v):,.0f}" if abs(v) < 1e5 else (
            f"USD {abs(v) / 1e6:,.1f} M" if abs(v) < 1e11 else f"USD {abs(v) / 1e9:,.2f} bn")
        return ("-" if v < 0 and round(abs(v)) else plus) + money
    if o.unit == "share":
        return f"{plus}{v * 100:.2f} points" if sign else f"{v:.1%}"
    if o.unit == "days":
        return f"{plus}{v:,.1f} days"
    if o.unit == "t":
        return f"{plus}{v:,.0f} t"
    if o.unit == "yes/no":
        return ("no plan", "a plan")[bool(v)] if not sign else f"{plus}{v:g}"
    return f"{plus}{v:g} {o.unit}"


def threshold_text(study: Study, o: Output, t: Threshold) -> str:
    """'below x0.947 (between x0.947 and x0.949): 9 years' - where a factor alone flips a decision."""
    f = study.factors[t.factor]
    side = "below" if t.end < t.before else "above"
    if o.decision == "feasible":
        after = "no plan" if t.state_after is False else "a plan"
    elif t.state_after is None:
        after = "no plan at all"
    elif o.decision == "line":
        after = "a line held" if t.state_after else "no line"
    else:
        after = f"{t.state_after:g} {o.unit}"
    # Enough digits to tell the two sides apart (x1.0004 is not x1).
    digits = next((k for k in range(4, 9) if factor_value(f, t.before, k) != factor_value(f, t.after, k)), 9)
    return (f"{f.name} {side} {factor_value(f, t.after, digits)} (between {factor_value(f, t.before, digits)} and "
            f"{factor_value(f, t.after, digits)}): {after}")


# ---- the facts -------------------------------------------------------------------------------

def sensitivity_facts(study: Study) -> list[tuple[str, object]]:
    """The study's headline for its .json and Run sheet: the base plan's status, objective, bound and
    gap, what was sampled and how it ended, the five inputs that move the cost most, the minerals
    without a plan somewhere and every decision that changes, with its threshold."""
    base = study.base
    cost = base.outputs.get("total_cost_usd")
    gap_usd = base.gap_usd
    out: list[tuple[str, object]] = [
        ("status", base.status), ("objective_usd", cost), ("best_bound_usd", None if cost is None else cost - gap_usd),
        ("gap", None if not cost else gap_usd / abs(cost)), ("method", study.method), ("seed", study.seed),
        ("trajectories", study.trajectories), ("hedged", study.ctx.hedged), ("strategy_cost", study.ctx.strategy),
        ("minerals", ", ".join(study.ctx.minerals) or "all"), ("solved_by_mineral", study.ctx.by_mineral),
        ("inputs", len(study.factors)), ("inputs_declared", sum(1 for f in study.factors if f.cells)),
        ("inputs_default", sum(1 for f in study.factors if not f.cells)), ("inputs_in_model", len(study.in_model)),
        ("inputs_held_fixed", len(study.fixed)), ("morris_samples_planned", study.morris_planned),
        ("sobol_inputs", ", ".join(study.factors[i].name for i in study.sobol_factors)),
        ("sobol_samples_planned", study.sobol_planned), ("samples_solved", len(study.samples)),
        *[(f"samples_{status}", n) for status, n in sorted(study.status_counts().items())],
        *[(f"no_plan {m}", n) for m, n in sorted(study.mineral_failures().items())],
        ("noise_usd", study.noise_usd), ("interrupted", study.stopped),
        *[(f"{phase}_s", round(s, 2)) for phase, s in study.phase_s.items()],
    ]
    for o in study.headline:
        r = study.morris_results.get(o.key)
        if r is None:
            continue
        for rank, i in enumerate(_top(study, o.key, TOP), start=1):
            j = study.in_model.index(i)
            out.append((f"{o.key} input {rank}", f"{study.factors[i].name} ({factor_range(study.factors[i])}): "
                                                 f"mu* {r.mu_star[j]:.6g}, sigma {r.sigma[j]:.6g}"))
    for d in study.decisions:
        out.append((f"decision {d.output.key}", _decision_fact(study, d)))
    return out


def _decision_fact(study: Study, d) -> str:
    o = d.output
    text = (f"base {shown(o, d.base)}; {shown(o, d.low)} to {shown(o, d.high)} in the samples; changed in {d.changed} "
            f"of {d.seen}")
    if d.movers:
        text += "; moved most by " + ", ".join(study.factors[i].name for i in d.movers[:3])
    if d.thresholds:
        text += "; " + "; ".join(threshold_text(study, o, t) for t in d.thresholds)
    return text


def _short(o: Output) -> str:
    """An output's name for a chart title: 'total cost of the plan', 'China share in 2030'."""
    return o.label.split(",")[0].split(":")[0]


def _top(study: Study, key: str, n: int) -> list[int]:
    """The ``n`` inputs with the largest mu* on output ``key`` (those with an effect)."""
    r = study.morris_results.get(key)
    if r is None:
        return []
    o = next(o for o in study.outputs if o.key == key)
    return [i for i in study.ranking(key)[:n] if r.mu_star[study.in_model.index(i)] > study.negligible(o)]


# ---- the narrative ---------------------------------------------------------------------------

def narrative(study: Study) -> list[str]:
    base = study.base
    cost = next(o for o in study.outputs if o.key == "total_cost_usd")
    declared = sum(1 for f in study.factors if f.cells)
    sampled = f"{len(study.morris)} Morris samples ({study.trajectories} trajectories)"
    if study.sobol_planned:
        sampled += f" and {len(study.sobol)} Sobol' samples (N = {study.sobol_planned // (len(study.sobol_factors) + 2)})"
    out = [f"{len(study.factors)} uncertain inputs: {declared} from the Uncertainty sheet and "
           f"{len(study.factors) - declared} default ranges over the figures marked estimate; {len(study.in_model)} "
           f"of them reach the model (the others feed only what this run does not use). Each was solved alone at "
           f"both ends of its range, then {sampled}; every plan verified. The base plan costs "
           f"{shown(cost, base.outputs.get('total_cost_usd'))}."]
    if study.stopped:
        out.append("The run was stopped before it finished: the figures use the samples that finished.")
    top = _top(study, "total_cost_usd", TOP)
    if top:
        r = study.morris_results["total_cost_usd"]
        words = []
        for i in top:
            low, high = study.swing(cost, i)
            words.append(f"{study.factors[i].name} ({factor_range(study.factors[i])}: mu* "
                         f"{shown(cost, r.mu_star[study.in_model.index(i)])}; alone {shown(cost, low, True)} at its low "
                         f"end, {shown(cost, high, True)} at its high end)")
        out.append(f"The {len(top)} inputs that move the total cost most (Morris mu*, the mean change of the cost when "
                   "the input moves across its whole range): " + "; ".join(words) + ".")
        out.append(f"Cost differences below {shown(cost, study.noise_usd)} are within the solver's proven gaps and "
                   "not significant.")
    for o in study.headline[1:]:
        top = _top(study, o.key, 3)
        if top:
            out.append(f"{o.label[0].upper()}{o.label[1:]} (base {shown(o, base.outputs.get(o.key))}) moves most with "
                       + ", ".join(study.factors[i].name for i in top) + ".")
    if study.sobol_results.get("total_cost_usd"):
        s = study.sobol_results["total_cost_usd"]
        ranked = sorted(range(len(study.sobol_factors)), key=lambda j: -s.st[j])
        out.append("Sobol' indices of the total cost over the " + str(len(study.sobol_factors)) + " inputs ranked highest "
                   "(the others as in the workbook): " + "; ".join(
                       f"{study.factors[study.sobol_factors[j]].name} S1 {s.s1[j]:.2f} (\u00b1{s.s1_conf[j]:.2f}), ST "
                       f"{s.st[j]:.2f} (\u00b1{s.st_conf[j]:.2f})" for j in ranked[:TOP]) + ".")
    for d in study.decisions:
        if d.output.decision != "feasible":
            continue
        m = d.output.name
        failed = sum(1 for s in study.samples if s.has_plan(m) is False)
        text = (f"{m} {'has' if '+' not in m else 'have'} no plan in {failed} of {len(study.samples)} samples: the "
                "policy limits cannot all be met")
        if d.thresholds:
            text += " when " + " or when ".join(threshold_text(study, d.output, t).split(":")[0] for t in d.thresholds)
            text += " (the other inputs as in the workbook)"
        elif d.movers:
            text += (f"; {'it depends' if '+' not in m else 'they depend'} most on "
                     + ", ".join(study.factors[i].name for i in d.movers[:3]))
        out.append(text + ".")
    flips = [d for d in study.decisions if d.output.decision != "feasible"]
    if flips:
        alone = sum(1 for d in flips if d.thresholds)
        out.append(f"{len(flips)} decisions change inside the ranges; {alone} of them flip with one input alone, at the "
                   "values in the table 'Decisions that flip inside the ranges'.")
    else:
        out.append("No decision of the plan changes inside the ranges.")
    invalid = study.status_counts().get(INVALID, 0)
    if invalid:
        out.append(f"{invalid} samples broke a rule of the workbook where several inputs moved at once; they are "
                   "counted, not solved (the Samples sheet says which rule).")
    return out


# ---- the workbook ----------------------------------------------------------------------------

def input_rows(study: Study) -> tuple[list[Col], list[list]]:
    cols = [Col("input", "", "The factor: figures that move together"),
            Col("what", "", "Sheet, column and the rows it moves"), Col("kind", "", "declared, or the default range's "
                                                                                    "kind of figure"),
            Col("operation", "", "scale, add or set"), Col("low", "0.####", "Low end of the range"),
            Col("high", "0.####", "High end of the range"),
            Col("figures", "0", "Figures it moves"), Col("sources", "", "Sources rows its figures cite"),
            Col("from", "", "The Uncertainty cells that declare it, or the default range"),
            Col("in_model", "", "yes: its edit changes a model HiGHS solves; no: it cannot move any output"),
            Col("description", "", "What the range stands for")]
    rows = [[f.name, f.label, f.kind, f.operation, f.low, f.high, len(f.targets), ", ".join(f.sources), f.where,
             "yes" if i in study.in_model else "no", f.description] for i, f in enumerate(study.factors)]
    rows += [[f.name, f.label, "held fixed", f.operation, f.low, f.high, len(f.targets), ", ".join(f.sources), f.where,
              "", f.description] for f in study.fixed]
    return cols, rows


def tornado_rows(study: Study) -> tuple[list[Col], list[list]]:
    cols = [Col("output", "", "The output"), Col("input", "", "The input moved alone, the others as in the workbook"),
            Col("low", "0.####", "The input's low end"), Col("high", "0.####", "The input's high end"),
            Col("base_value", "#,##0.####", "The output in the base plan"),
            Col("change_at_low", "#,##0.####", "The output at the input's low end, less the base (blank: no value there)"),
            Col("change_at_high", "#,##0.####", "The output at the input's high end, less the base"),
            Col("swing", "#,##0.####", "The larger of the two changes, in size")]
    rows = []
    for o in study.headline:
        for i in _by_swing(study, o):
            low, high = study.swing(o, i)
            f = study.factors[i]
            rows.append([o.key, f.name, f.low, f.high, study.base.outputs.get(o.key), low, high, _size(low, high)])
    return cols, rows


def _size(low: float | None, high: float | None) -> float:
    return max(abs(v) for v in (low, high, 0.0) if v is not None)


def _by_swing(study: Study, o: Output) -> list[int]:
    """Inputs in the model by the larger change of ``o`` at their ends (those it has a value at),
    largest first."""
    return sorted(study.in_model, key=lambda i: (-_size(*study.swing(o, i)), study.factors[i].name))


def _moves(study: Study, o: Output, i: int) -> bool:
    """Whether input ``i`` alone moves ``o`` more than a negligible amount at an end of its range."""
    return _size(*study.swing(o, i)) > study.negligible(o)


def morris_rows(study: Study) -> tuple[list[Col], list[list]]:
    cols = [Col("output", "", "The output"), Col("input", "", "The input"), Col("rank", "0", "By mu* on this output"),
            Col("mu_star", "#,##0.####", "Mean absolute elementary effect: the output's mean change (in its unit) when "
                                         "the input moves across its whole range"),
            Col("mu_star_conf", "#,##0.####", "Half-width of mu*'s 95% bootstrap confidence interval"),
            Col("sigma", "#,##0.####", "Standard deviation of the effects: how much the effect depends on the other "
                                       "inputs (interactions, or a non-linear response)"),
            Col("mu", "#,##0.####", "Mean effect, with its sign: positive when the output rises with the input"),
            Col("effects", "0", "Steps that measured it (both samples with a value)"),
            Col("significant", "", "USD outputs: no when mu* is within the solver's proven gaps")]
    noise = study.noise_usd
    rows = []
    for o in study.outputs:
        r = study.morris_results.get(o.key)
        if r is None:
            continue
        for rank, i in enumerate(study.ranking(o.key), start=1):
            j = study.in_model.index(i)
            if o.decision and not r.mu_star[j] > 0:
                continue  # a decision lists the inputs that move it
            significant = "" if o.unit != "usd" or math.isnan(r.mu_star[j]) else (
                "yes" if r.mu_star[j] > noise else "no")
            rows.append([o.key, study.factors[i].name, rank, *(_finite(v) for v in (
                r.mu_star[j], r.mu_star_conf[j], r.sigma[j], r.mu[j])), r.effects[j], significant])
    return cols, rows


def _finite(v: float) -> float | None:
    return None if v is None or math.isnan(v) else v


def sobol_rows(study: Study) -> tuple[list[Col], list[list]]:
    cols = [Col("output", "", "The output"), Col("input", "", "One of the inputs ranked highest by Morris"),
            Col("S1", "0.000", "First-order index: the share of the output's variance the input explains alone"),
            Col("S1_conf", "0.000", "Half-width of S1's 95% confidence interval"),
            Col("ST", "0.000", "Total index: the share it explains with its interactions"),
            Col("ST_conf", "0.000", "Half-width of ST's 95% confidence interval"),
            Col("rows", "0", "Base samples N used (rows whose every sample has the output)")]
    rows = []
    for o in study.outputs:
        s = study.sobol_results.get(o.key)
        if s is None:
            continue
        for j in sorted(range(len(study.sobol_factors)), key=lambda j: -s.st[j]):
            rows.append([o.key, study.factors[study.sobol_factors[j]].name, s.s1[j], s.s1_conf[j], s.st[j],
                         s.st_conf[j], s.rows])
    return cols, rows


def decision_rows(study: Study) -> tuple[list[Col], list[list]]:
    cols = [Col("decision", "", "feasible (the mineral has a plan), contract (years under contract), modules "
                                "(recycling modules built), line (agreement line held)"),
            Col("item", "", "The supply option (its workbook name), recycling option, agreement or mineral"),
            Col("base", "#,##0.##", "In the base plan"), Col("least", "#,##0.##", "The least seen in any sample"),
            Col("most", "#,##0.##", "The most seen"),
            Col("changed", "0", "Samples in which it differs from the base plan"),
            Col("samples", "0", "Samples in which it has a value"),
            Col("moved_most_by", "", "Inputs by Morris mu* on it, largest first"),
            Col("flips_alone_with", "", "Inputs that change it alone at an end of their range"),
            Col("threshold", "", f"Where the first of them flips it, by bisection ({BISECTIONS} steps)")]
    rows = [[d.output.decision, d.output.name, d.base, d.low, d.high, d.changed, d.seen,
             ", ".join(study.factors[i].name for i in d.movers[:5]),
             ", ".join(study.factors[i].name for i in d.alone[:5]),
             "; ".join(threshold_text(study, d.output, t) for t in d.thresholds)] for d in study.decisions]
    return cols, rows


def sample_rows(study: Study) -> tuple[list[Col], list[list]]:
    moved = sorted(set(study.in_model) | set(study.sobol_factors))
    cols = [Col("phase", "", "base, one at a time, Morris, Sobol' or threshold (bisection)"),
            Col("index", "0", "Row of its phase's sample"), Col("status", "", "optimal, feasible (time limit), "
                                                                             "infeasible (a mineral has no plan), "
                                                                             "no_solution, invalid or error"),
            Col("message", "", "Which minerals have no plan, or which rule the edited case broke"),
            *[Col(o.key, "#,##0.####", o.label) for o in study.headline],
            *[Col(study.factors[i].name, "0.####", f"Value of {study.factors[i].name} (blank: as in the workbook)")
              for i in moved]]
    rows = [[s.phase, s.index, s.status, s.message, *[s.outputs.get(o.key) for o in study.headline],
             *[s.point[i] for i in moved]] for s in study.samples]
    return cols, rows


def build_sensitivity_workbook(study: Study, run_info: list) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    write_table(summary, [Col("finding", "", "What the study found, in numbers")], [[p] for p in narrative(study)])
    summary.column_dimensions["A"].width = 160
    for name, (cols, rows) in (("Inputs", input_rows(study)), ("Tornado", tornado_rows(study)),
                               ("Morris", morris_rows(study)), ("Sobol", sobol_rows(study)),
                               ("Decisions", decision_rows(study)), ("Samples", sample_rows(study))):
        if name == "Sobol" and not rows:
            continue
        write_table(wb.create_sheet(name), cols, rows)
    notes = wb.create_sheet("Notes")
    write_table(notes, [Col("note", "", "Inputs left out, and why")], [[n] for n in study.notes])
    notes.column_dimensions["A"].width = 160
    _charts(wb, study)
    write_run_sheet(wb, run_info)
    make_printable(wb)
    return wb


def _charts(wb: Workbook, study: Study) -> None:
    """Native charts: a tornado per headline output (the top inputs' change at each end), the Morris
    mu* of the total cost, and the Sobol' indices of the total cost."""
    data = wb.create_sheet("ChartData")
    charts = wb.create_sheet("Charts", 1)
    row, top = 1, 1
    for o in study.headline:
        chosen = [i for i in _by_swing(study, o) if _moves(study, o, i)][:SHOWN]
        if not chosen:
            continue
        scale = 1e6 if o.unit == "usd" else 100 if o.unit == "share" else 1
        unit = {"usd": "USD M", "share": "points", "days": "days"}.get(o.unit, o.unit)
        for j, head in enumerate(("input", f"at its low end ({unit})", f"at its high end ({unit})"), start=1):
            put(data, top, j, head)
        for k, i in enumerate(chosen, start=top + 1):
            low, high = study.swing(o, i)
            put(data, k, 1, study.factors[i].name)
            put(data, k, 2, None if low is None else low / scale).number_format = "#,##0.00"
            put(data, k, 3, None if high is None else high / scale).number_format = "#,##0.00"
        bar = _bar(f"Tornado: {_short(o)}", data, top, len(chosen), 3, f"change from the base, {unit}")
        bar.overlap = 100  # the two ends on one line: a tornado
        charts.add_chart(bar, f"A{row}")
        row += chart_rows(bar) + 1
        top += len(chosen) + 2
    r = study.morris_results.get("total_cost_usd")
    chosen = _top(study, "total_cost_usd", SHOWN)
    if r and chosen:
        for j, head in enumerate(("input", "mu* (USD M)", "sigma (USD M)"), start=1):
            put(data, top, j, head)
        for k, i in enumerate(chosen, start=top + 1):
            j = study.in_model.index(i)
            put(data, k, 1, study.factors[i].name)
            put(data, k, 2, r.mu_star[j] / 1e6).number_format = "#,##0.00"
            put(data, k, 3, _finite(r.sigma[j] / 1e6)).number_format = "#,##0.00"
        charts.add_chart(_bar("Morris: mu* and sigma of the total cost", data, top, len(chosen), 3, "USD M"),
                         f"A{row}")
        row += chart_rows(charts._charts[-1]) + 1
        top += len(chosen) + 2
    s = study.sobol_results.get("total_cost_usd")
    if s:
        for j, head in enumerate(("input", "S1", "ST"), start=1):
            put(data, top, j, head)
        for k, j in enumerate(sorted(range(len(study.sobol_factors)), key=lambda j: -s.st[j]), start=top + 1):
            put(data, k, 1, study.factors[study.sobol_factors[j]].name)
            put(data, k, 2, s.s1[j]).number_format = "0.000"
            put(data, k, 3, s.st[j]).number_format = "0.000"
        charts.add_chart(_bar("Sobol' indices of the total cost", data, top, len(study.sobol_factors), 3,
                              "share of variance (S1 alone, ST with interactions)"), f"A{row}")


def _bar(title: str, data, top: int, n: int, last_col: int, unit: str) -> BarChart:
    """A horizontal bar chart of ``n`` items (first on top) from ChartData rows below ``top``."""
    bar = BarChart()
    bar.type, bar.grouping = "bar", "clustered"
    bar.title = title
    bar.add_data(Reference(data, min_col=2, max_col=last_col, min_row=top, max_row=top + n), titles_from_data=True)
    bar.set_categories(Reference(data, min_col=1, min_row=top + 1, max_row=top + n))
    for k, series in enumerate(bar.series):
        series.graphicalProperties.solidFill = html.PALETTE[k].lstrip("#")
    bar.x_axis.scaling.orientation = "maxMin"  # the first item on top
    bar.y_axis.crosses = "max"  # and the value axis still at the bottom
    bar.x_axis.tickLblSkip = 1
    bar.x_axis.tickLblPos = "low"  # the inputs' names at the left edge, clear of the bars either side of 0
    bar.x_axis.txPr = SMALL_LABELS
    bar.y_axis.title = unit
    bar.y_axis.number_format = "#,##0.0"
    bar.x_axis.delete = bar.y_axis.delete = False
    return finish_chart(bar, 24, plot_cm=max(4.0, 0.75 * n))


# ---- the page --------------------------------------------------------------------------------

def build_sensitivity_html(study: Study, title: str, subtitle: str) -> str:
    sections = []
    tornadoes = []
    for o in study.headline:
        rows = []
        for i in [i for i in _by_swing(study, o) if _moves(study, o, i)][:SHOWN]:
            low, high = study.swing(o, i)
            rows.append(html.TornadoRow(f"{study.factors[i].name} ({factor_range(study.factors[i])})", low, high,
                                        "no plan" if None in (low, high) else ""))
        if rows:
            tornadoes.append(html.tornado_chart(
                f"{o.label[0].upper()}{o.label[1:]}: change from the base ({shown(o, study.base.outputs.get(o.key))}) "
                "with each input alone at the ends of its range", rows, x_format=HTML_FORMAT[o.unit],
                x_label="percentage points" if o.unit == "share" else "", low_name="input at its low end",
                high_name="input at its high end"))
    if tornadoes:
        sections.append(("What each input does alone: tornadoes", tornadoes))
    morris = []
    for o in study.headline:
        r = study.morris_results.get(o.key)
        chosen = _top(study, o.key, SHOWN)
        if not (r and chosen):
            continue
        idx = [study.in_model.index(i) for i in chosen]
        # A share's effects are a few points or less: in points, with the decimals they need.
        scale, fmt_, unit = (100, "number", " (points)") if o.unit == "share" else (1, HTML_FORMAT[o.unit], "")

        def scaled(v: float) -> float | None:
            return None if _finite(v) is None else v * scale

        morris.append(html.tornado_chart(f"Morris: {o.label}{unit}", [
            html.TornadoRow(study.factors[i].name, scaled(r.mu_star[j]), scaled(r.sigma[j])) for i, j in zip(chosen, idx)],
            x_format=fmt_, low_name="mu*", high_name="sigma"))
        morris.append(html.table(["input", "range", f"mu*{unit}", "\u00b1 (95%)", "sigma", "mu", "steps"],
                                 [[study.factors[i].name, factor_range(study.factors[i]),
                                   *(scaled(v) for v in (r.mu_star[j], r.mu_star_conf[j], r.sigma[j], r.mu[j])),
                                   r.effects[j]] for i, j in zip(chosen, idx)],
                                 formats=["text", "text", fmt_, fmt_, fmt_, fmt_, "number"]))
    if morris:
        sections.append(("Morris screening: mu* (the mean effect across the whole range) and sigma (how much it "
                         "depends on the other inputs)", morris))
    sobol = []
    for o in study.headline:
        s = study.sobol_results.get(o.key)
        if not s:
            continue
        order = sorted(range(len(study.sobol_factors)), key=lambda j: -s.st[j])
        names = [study.factors[study.sobol_factors[j]].name for j in order]
        sobol.append(html.tornado_chart(f"Sobol' indices: {o.label} ({s.rows} base samples)", [
            html.TornadoRow(n, s.s1[j], s.st[j]) for n, j in zip(names, order)], low_name="S1 (alone)",
            high_name="ST (with interactions)"))
        sobol.append(html.table(["input", "S1", "\u00b1 (95%)", "ST", "\u00b1 (95%)"],
                                [[n, s.s1[j], s.s1_conf[j], s.st[j], s.st_conf[j]] for n, j in zip(names, order)]))
    if sobol:
        sections.append(("Sobol' indices of the inputs ranked highest", sobol))
    cols, rows = decision_rows(study)
    flipping = [r for r in rows if r[0] != "feasible"]
    feasible = [r for r in rows if r[0] == "feasible"]
    if feasible:
        sections.append(("Where minerals have no plan", [html.table(
            ["minerals", "samples without a plan", "samples", "depends most on", "alone", "threshold"],
            [[r[1], r[5], r[6], r[7], r[8], r[9]] for r in feasible],
            formats=["text", "number", "number", "text", "text", "text"])]))
    sections.append(("Decisions that flip inside the ranges", [html.table(
        ["decision", *(c.name for c in cols[1:])], [[DECISION_WORDS[r[0]], *r[1:]] for r in flipping],
        formats=["text", "text", "number", "number", "number", "number", "number", "text", "text", "text"])]
        if flipping else ["<p>No decision of the plan changes inside the ranges.</p>"]))
    cols, rows = input_rows(study)
    sections.append(("The uncertain inputs", [html.table(
        [c.name for c in cols], rows, formats=["text", "text", "text", "text", "number", "number", "number", "text",
                                               "text", "text", "text"])]
        + ([f"<p>{html.esc(n)}</p>" for n in study.notes])))
    counts = study.status_counts()
    sections.append(("Samples", [html.table(["status", "samples"], sorted(counts.items()))]))
    return html.page(title, subtitle, narrative(study), sections, narrative_heading="What decides the plan")


def sensitivity_files(study: Study, run_info: list, title: str, subtitle: str) -> tuple[bytes, bytes]:
    """The bytes of the study's workbook and page."""
    return (workbook_bytes(build_sensitivity_workbook(study, run_info)),
            build_sensitivity_html(study, title, subtitle).encode("utf-8"))
