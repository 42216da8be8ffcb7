"""Reports of plans tested against disruptions: ``<stem>-stress`` (the least-cost plan hit by each
disruption) and ``<stem>-hedged`` (the hedged plan's results workbook, with the comparison,
VSS, EVPI, agreement values, differences and binding limits added).

Every money figure is present value at the start of the first year and comes from the verified
:class:`planner.verify.Evaluation` of the plan with its recourse; figures from optimisations
carry their proven range, and a range that holds 0 is reported as not significant.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from models.dataset import PlanningData
from planner.reports import html
from planner.reports.files import workbook_bytes
from planner.reports.runinfo import outcome, proven_range
from planner.reports.plan_workbook import (
    DAYS, INT, PCT, T, USD, Col, build_plan_workbook, make_printable, write_run_sheet, write_table,
)
from planner.studies.compare import year_list
from planner.studies.resilience import PROTECTIONS, Range, Resilience, Tested, protection
from planner.workbook.writer import TITLE_FONT, put

PROBABILITY_NOTE = ("Probabilities come from the Disruptions sheet, or the Disruption risks sheet for sampled "
                    "scenarios, and are assumptions (see their Sources rows), not forecasts: the expected cost and "
                    "CVaR are only as good as they are.")

OUTCOME_COLS = [
    Col("scenario", "", "Disruption scenario (event, and start year for per-year events)"),
    Col("event", "", "Disruptions sheet name"), Col("probability", "0.0000", "Its probability (an assumption)"),
    Col("cell", "", "The Disruptions cell its probability comes from"),
    Col("minerals_hit", "", "Minerals that lose tonnes"),
    Col("lost_t", T, "Planned tonnes that do not arrive, all minerals (t)"),
    Col("unmet_t", T, "Demand left unmet (t)"),
    Col("cost_usd", USD, "What the disruption adds to the plan's cost, present value (USD): spot premiums, extra "
                         "recycling, rebuilding the stock and giving back calls, shortage penalties, less the lost "
                         "tonnes not paid for"),
]
COVER_COLS = [
    Col("scenario", "", "Disruption scenario"), Col("mineral", "", "mineral_id"),
    Col("crisis_years", "", "Years tonnes are lost"),
    Col("lost_t", T, "Planned tonnes that do not arrive (t)"),
    Col("lost_days", DAYS, "The lost tonnes in days of those years' demand"),
    Col("spot_t", T, "Bought spot from spare capacity, at the spot multiplier (t)"),
    Col("recycling_t", T, "Extra recycling from modules online and unused feedstock (t)"),
    Col("stock_t", T, "Released from the public stock (t)"),
    Col("agreements_t", T, "Called on swap lines and joint stocks whose partners are not hit (t)"),
    Col("unmet_t", T, "Left unmet, at the shortage penalty (t)"),
    Col("unmet_share", PCT, "unmet / lost"),
    Col("stock_back_by", INT, "Year by which the stock drawn is bought back and every call given back: the "
                              "crisis's last year + Settings rebuild_years (blank: after the last year)"),
    Col("days_to_rebuild", DAYS, "Days from the end of the crisis until then; the model is yearly, so whole "
                                 "years x 365 (0: nothing drawn)"),
]


def outcome_rows(t: Tested) -> list[list]:
    return [[o.scenario.name, o.scenario.event, o.scenario.probability, o.scenario.cell,
             ", ".join(c.mineral_id for c in o.covers), sum(c.lost_t for c in o.covers),
             sum(c.unmet_t for c in o.covers), o.cost_usd] for o in t.outcomes]


def cover_rows(t: Tested) -> list[list]:
    return [[o.scenario.name, c.mineral_id, year_list(c.crisis_years), c.lost_t, c.lost_days, c.spot_t,
             c.recycling_t, c.stock_t, c.agreements_t, c.unmet_t, c.unmet_t / c.lost_t if c.lost_t else None,
             c.rebuilt_year, c.days_to_rebuild] for o in t.outcomes for c in o.covers]


def figures(t: Tested) -> list[tuple[str, object, str, str]]:
    """The headline figures of a tested plan: (name, value, format, what it is)."""
    calm = 1 - sum(o.scenario.probability for o in t.outcomes)
    worst = t.worst
    return [
        ("first_stage_cost_usd", t.first_stage_usd, USD, "The plan's cost if no disruption happens (verified)"),
        ("expected_disruption_cost_usd", t.expected_recourse_usd, USD, "Σ probability x disruption cost"),
        ("expected_total_cost_usd", t.expected_total_usd, USD, "first stage + expected disruption cost"),
        (f"cvar_{t.level:.0%}_usd".replace("%", ""), t.cvar_usd, USD,
         f"Average disruption cost over the costliest {1 - t.level:.0%} of outcomes (CVaR at level {t.level:g}; "
         "no disruption counts as an outcome of cost 0)"),
        ("worst_scenario", worst.scenario.name if worst else None, "", "The costliest disruption"),
        ("worst_cost_usd", worst.cost_usd if worst else None, USD, "Its cost"),
        ("probability_no_disruption", calm, "0.0000", "1 - Σ probabilities"),
    ]


def _figures_sheet(ws, title: str, subtitle: str, blocks: list[tuple[str, list[tuple[str, object, str, str]]]],
                   notes: list[str]) -> None:
    put(ws, 1, 1, title).font = TITLE_FONT
    put(ws, 2, 1, subtitle)
    r = 4
    for heading, rows in blocks:
        put(ws, r, 1, heading).font = Font(bold=True)
        r += 1
        for name, value, number_format, what in rows:
            put(ws, r, 1, name)
            put(ws, r, 2, value).number_format = number_format or "General"
            put(ws, r, 3, what)
            r += 1
        r += 1
    for note in notes:
        put(ws, r, 1, note)
        r += 1
    for col, width in zip("ABC", (34, 22, 100)):
        ws.column_dimensions[col].width = width


# ---- what protection buys ----------------------------------------------------------------

PROTECTION_COLS = [
    Col("mineral", "", "mineral_id"),
    Col("expected_lost_output_usd", USD, "Expected output still lost with this plan: unmet tonnes on the Shortage "
                                         "costs curve, present value"),
    Col("avoided_by_stock_usd", USD, "Expected lost output avoided by releases from the stock"),
    Col("avoided_by_lines_usd", USD, "... by calls on swap lines and joint stocks"),
    Col("avoided_by_second_sources_usd", USD, "... by spot purchases from other suppliers' spare capacity"),
    Col("avoided_by_recycling_usd", USD, "... by extra recycling in the crisis"),
    Col("stock_cost_usd", USD, "The plan's cost of holding the stock (holding, purchase premium), present value"),
    Col("avoided_per_usd_of_stock", "0.00", "Lost output the stock avoids per USD it costs (blank: it costs nothing)"),
    Col("lines_cost_usd", USD, "The agreements' fees, present value"),
    Col("avoided_per_usd_of_lines", "0.00", "Lost output the lines avoid per USD of fees (blank: no fees)"),
]
PROTECTION_NOTE = ("What protection buys: in each crisis year the tonnes lost would, all unmet, cost f(lost) on the "
                   "mineral's shortage cost curve; f(lost) - f(unmet) is the lost output avoided, shared among stock, "
                   "lines, second sources and recycling in proportion to the tonnes each replaced (an attribution; "
                   "planner stockpile solves the plan without the stock). Expected over the scenarios, present value.")


def protection_rows(d: PlanningData, t: Tested) -> list[list]:
    rows = []
    found = protection(d, t)
    for m in d.minerals:
        if m in found:
            p = found[m]
            rows.append([m, p.expected_lost_output_usd, *(p.avoided_usd[w] for w in PROTECTIONS),
                         p.stock_cost_usd, p.per_usd("stock"), p.lines_cost_usd, p.per_usd("lines")])
    return rows


def _protection_table(d: PlanningData, t: Tested) -> str:
    rows = protection_rows(d, t)
    if not rows:
        return "<p>No disruption hits this plan's minerals.</p>"
    return html.table(["mineral", "still lost (USD M)", "avoided: stock", "lines", "second sources", "recycling",
                       "stock cost (USD M)", "per USD of stock", "fees (USD M)", "per USD of fees"], rows,
                      formats=["text"] + ["usd_m"] * 6 + ["number", "usd_m", "number"]) \
        + f"<p>{html.esc(PROTECTION_NOTE)}</p>"


def _protection_sheet(wb: Workbook, d: PlanningData, t: Tested, index: int | None = None) -> None:
    ws = wb.create_sheet("Protection", index)
    write_table(ws, PROTECTION_COLS, protection_rows(d, t))
    put(ws, ws.max_row + 2, 1, PROTECTION_NOTE)


# ---- planner stress ----------------------------------------------------------------------

def build_stress_workbook(d: PlanningData, t: Tested, run_info, subtitle: str) -> Workbook:
    wb = Workbook()
    _figures_sheet(wb.active, "The least-cost plan under each disruption", subtitle,
                   [("Least-cost plan", figures(t))], [PROBABILITY_NOTE])
    wb.active.title = "Summary"
    write_table(wb.create_sheet("Disruptions"), OUTCOME_COLS, outcome_rows(t))
    write_table(wb.create_sheet("Cover"), COVER_COLS, cover_rows(t))
    _protection_sheet(wb, d, t)
    write_run_sheet(wb, run_info)
    make_printable(wb)
    return wb


def _stress_story(t: Tested) -> list[str]:
    story = [f"Held to the least-cost plan's contracts, stock and agreements, the {len(t.outcomes)} disruption "
             f"scenarios add USD {t.expected_recourse_usd / 1e6:,.2f} M to its cost in expectation (present value), "
             f"and USD {t.cvar_usd / 1e6:,.2f} M on average over the worst {1 - t.level:.0%} of outcomes (CVaR)."]
    worst = t.worst
    if worst is not None:
        lost = sum(c.lost_t for c in worst.covers)
        unmet = sum(c.unmet_t for c in worst.covers)
        story.append(f"The costliest is {worst.scenario.name} (probability {worst.scenario.probability:.3f}): "
                     f"USD {worst.cost_usd / 1e6:,.2f} M, {lost:,.0f} t lost of which {unmet:,.0f} t go unmet.")
    story.append(PROBABILITY_NOTE)
    return story


def _cost_chart(tested: list[Tested], top: int = 15) -> str:
    names = [o.scenario.name for o in sorted(tested[0].outcomes, key=lambda o: -o.cost_usd)[:top]]
    stacks = {t.label: [next(o.cost_usd for o in t.outcomes if o.scenario.name == n) for n in names]
              for t in tested}
    return html.bar_chart(f"Disruption cost, the {len(names)} costliest scenarios (present value)", names, stacks,
                          y_format="usd_m", y_label="USD M", stacked=False, width=960, height=380,
                          value_labels=len(tested) == 1)


# A page lists at most this many scenarios, the costliest; the workbook lists them all.
PAGE_SCENARIOS = 100


def _on_page(t: Tested, rows: list[list]) -> tuple[list[list], str]:
    """``rows`` (scenario first) cut to the ``PAGE_SCENARIOS`` costliest scenarios of ``t``, costliest
    first, and a note saying so ("" if all fit)."""
    if len(t.outcomes) <= PAGE_SCENARIOS:
        return rows, ""
    rank = {o.scenario.name: k for k, o in enumerate(sorted(t.outcomes, key=lambda o: -o.cost_usd))}
    kept = sorted((r for r in rows if rank[r[0]] < PAGE_SCENARIOS), key=lambda r: rank[r[0]])
    return kept, (f"<p>The {PAGE_SCENARIOS} costliest of {len(t.outcomes):,} scenarios ({t.label}), costliest "
                  "first; the workbook lists them all.</p>")


def _table(t: Tested, headers: list[str], rows: list[list], formats: list[str]) -> str:
    rows, note = _on_page(t, rows)
    return html.table(headers, rows, formats=formats) + note


def _cover_table(t: Tested) -> str:
    rows = [[r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[11], r[12]] for r in cover_rows(t)]
    return _table(t, ["scenario", "mineral", "crisis years", "lost", "days of demand", "spot", "recycling", "stock",
                      "agreements", "unmet", "stock back by", "days to rebuild"], rows,
                  ["text", "text", "text", "t", "days", "t", "t", "t", "t", "t", "year", "days"])


def build_stress_html(d: PlanningData, t: Tested, title: str, subtitle: str) -> str:
    sections = [("What each disruption costs the plan", [_cost_chart([t]), _table(
        t, ["scenario", "event", "probability", "cell", "minerals hit", "lost (t)", "unmet (t)", "cost (USD M)"],
        outcome_rows(t), ["text", "text", "probability", "text", "text", "t", "t", "usd_m"])]),
        ("How the lost tonnes were covered", [_cover_table(t) + "<p>Stock back by: the year by which the stock "
                                              "drawn is bought back and every swap call given back (Settings "
                                              "rebuild_years after the crisis); the model is yearly, so days to "
                                              "rebuild are whole years.</p>"]),
        ("What protection buys, per mineral", [_protection_table(d, t)])]
    return html.page(title, subtitle, _stress_story(t), sections, narrative_heading="In short")


def stress_files(d: PlanningData, t: Tested, run_info, title: str, subtitle: str) -> tuple[bytes, bytes]:
    return (workbook_bytes(build_stress_workbook(d, t, run_info, subtitle)),
            build_stress_html(d, t, title, subtitle).encode("utf-8"))


# ---- planner solve --hedged --------------------------------------------------------------

def stress_facts(t: Tested) -> list[tuple[str, object]]:
    """The stress test's headline, for its .json and Run sheet: the least-cost plan's solve and what
    the disruptions cost it."""
    return outcome(t.decided_by) + [(name, value) for name, value, _f, _w in figures(t)]


def hedged_facts(res: Resilience) -> list[tuple[str, object]]:
    """A hedged run's headline: the hedged plan's solve and figures, the least-cost plan's beside
    them, and the value of hedging, VSS, EVPI and agreement values with their proven ranges."""
    out = outcome(res.hedged.decided_by) + [(name, value) for name, value, _f, _w in figures(res.hedged)]
    out += outcome(res.least_cost.decided_by, "least_cost_") + [
        (f"least_cost_{name}", value) for name, value, _f, _w in figures(res.least_cost)]
    out += proven_range("value_of_hedging", res.value_of_hedging)
    if res.values_skipped:
        return out + [("vss_evpi_not_computed", res.values_skipped)]
    out += proven_range("vss", res.vss) + proven_range("evpi", res.evpi)
    for a in sorted({a for m in res.minerals for a in m.agreements}):
        r = res.agreement_value(a)
        out += [(f"agreement {a} value", NEEDED)] if r is None else proven_range(f"agreement {a} value", r)
    return out + ([("agreement_values_by", res.agreements_by)] if res.agreements_by else [])


NEEDED = "needed: the Policy cannot be met without it (proven infeasible)"


def _range_row(name: str, r: Range, what: str) -> list:
    return [name, r.value, r.low, r.high, "yes" if r.significant else "no: the range holds 0", what]


RANGE_COLS = [Col("figure", "", "What is measured"), Col("value_usd", USD, "Its value for the plans found (USD)"),
              Col("low_usd", USD, "Lowest value the solver's bounds allow (USD)"),
              Col("high_usd", USD, "Highest value the solver's bounds allow (USD)"),
              Col("significant", "", "no: the range holds 0, so the figure may be the solver's gap alone"),
              Col("what_it_is", "", "Definition")]


VSS_WHAT = ("Value of the stochastic solution: expected cost of the plan decided for the average disruption (EEV) "
            "minus the hedged plan's (RP), risk-neutral")
EVPI_WHAT = ("Expected value of perfect information: the hedged plan's expected cost minus that of plans made knowing "
             "which disruption comes (WS), risk-neutral")


def value_rows(res: Resilience) -> list[list]:
    rows = [_range_row("value_of_hedging", res.value_of_hedging,
                       "Hedged objective of the least-cost plan minus that of the hedged plan: what deciding "
                       "before the disruptions, knowing they may come, saves")]
    if res.values_skipped:
        return rows + [[name, None, None, None, "not computed", f"{what}. Not computed: {res.values_skipped}"]
                       for name, what in (("vss", VSS_WHAT), ("evpi", EVPI_WHAT))]
    rows += [_range_row("vss", res.vss, VSS_WHAT), _range_row("evpi", res.evpi, EVPI_WHAT)]
    what = ("Expected cost of the hedged plan without this agreement minus with it (its worth as stockpile cover "
            "included)" + (f"; {res.agreements_by}" if res.agreements_by else ""))
    for a in sorted({a for m in res.minerals for a in m.agreements}):
        r = res.agreement_value(a)
        rows.append([f"agreement {a}", None, None, None, NEEDED, what] if r is None
                    else _range_row(f"agreement {a}", r, what))
    return rows


MINERAL_COLS = [Col("mineral", "", "mineral_id"),
                Col("least_cost_usd", USD, "Least-cost plan's cost, no disruption (USD)"),
                Col("hedged_expected_usd", USD, "RP: the expected cost of the hedged plan presented (the Hedge "
                                                "sheet's), its part for this mineral (USD)"),
                Col("expected_value_plan_usd", USD, "EEV: the mean-disruption plan's expected cost (USD)"),
                Col("wait_and_see_usd", USD, "WS: expected cost with each disruption known in advance (USD)"),
                Col("vss_usd", USD, "EEV - RP"), Col("evpi_usd", USD, "RP - WS")]


def mineral_rows(res: Resilience) -> list[list]:
    return [[m.mineral_id, m.least_cost.value, m.hedged.value, m.expected_value_plan.value, m.wait_and_see.value,
             m.vss.value, m.evpi.value] for m in res.minerals]


DIFF_COLS = [Col("decision", "", "stock, line, purchases, recycling or refining modules"),
             Col("item", "", "mineral, agreement, supplier or recycling option"), Col("year", INT, "Year"),
             Col("least_cost", "#,##0.0", "The least-cost plan's value"), Col("hedged", "#,##0.0", "The hedged plan's"),
             Col("unit", "", "Unit"), Col("why", "", "What it does in the disruptions (hedged plan)")]
BINDING_COLS = [Col("decision", "", "stock, line or purchases"), Col("item", "", "mineral, agreement or supplier"),
                Col("years", "", "Years the hedged plan sits at the limit"), Col("limit", "#,##0.##", "The limit"),
                Col("unit", "", "Unit"), Col("cell", "", "Workbook cell that sets it"),
                Col("least_cost_too", "", "yes: the least-cost plan sits there too")]


def diff_rows(res: Resilience) -> list[list]:
    return [[x.what, x.item, x.year, x.least_cost, x.hedged, x.unit, x.why] for x in res.differences]


def binding_rows(res: Resilience) -> list[list]:
    return [[b.what, b.item, year_list(b.years), b.limit, b.unit, b.cell, "yes" if b.least_cost_too else "no"]
            for b in res.binding]


def _side_by_side(res: Resilience) -> list[list]:
    a, b = res.least_cost, res.hedged
    by_name = {o.scenario.name: o for o in a.outcomes}
    return [[o.scenario.name, o.scenario.event, o.scenario.probability, by_name[o.scenario.name].cost_usd, o.cost_usd,
             sum(c.unmet_t for c in by_name[o.scenario.name].covers), sum(c.unmet_t for c in o.covers)]
            for o in b.outcomes]


SIDE_COLS = [Col("scenario", "", "Disruption scenario"),
             Col("event", "", "Disruptions sheet name, or for a sampled scenario its stops: risk@start year+days"),
             Col("probability", "0.0000", "An assumption"),
             Col("least_cost_plan_usd", USD, "Its cost to the least-cost plan (USD)"),
             Col("hedged_plan_usd", USD, "Its cost to the hedged plan (USD)"),
             Col("least_cost_unmet_t", T, "Unmet tonnes, least-cost plan"),
             Col("hedged_unmet_t", T, "Unmet tonnes, hedged plan")]


def build_hedged_workbook(d: PlanningData, res: Resilience, run_info, source: str, subtitle: str) -> Workbook:
    h = res.hedged
    wb = build_plan_workbook(d, h.plan, h.evaluation, run_info, source)
    ws = wb.create_sheet("Hedge", 1)
    _figures_sheet(ws, "The hedged plan against the least-cost plan", subtitle,
                   [("Least-cost plan", figures(res.least_cost)), ("Hedged plan", figures(h))],
                   [f"Hedged objective: first stage + (1 - {h.weight:g}) x expected disruption cost + {h.weight:g} "
                    f"x CVaR at {h.level:g} (Settings cvar_weight, cvar_level).", PROBABILITY_NOTE])
    r = ws.max_row + 2
    write_table(ws, RANGE_COLS, value_rows(res), start_row=r)
    write_table(wb.create_sheet("Differences", 2), DIFF_COLS, diff_rows(res))
    write_table(wb.create_sheet("Binding", 3), BINDING_COLS, binding_rows(res))
    write_table(wb.create_sheet("Disruptions", 4), SIDE_COLS, _side_by_side(res))
    write_table(wb.create_sheet("Cover", 5), COVER_COLS, cover_rows(h))
    write_table(wb.create_sheet("Values by mineral", 6), MINERAL_COLS, mineral_rows(res))
    _protection_sheet(wb, d, h, 7)
    make_printable(wb)
    return wb


def _hedge_story(res: Resilience) -> list[str]:
    a, b = res.least_cost, res.hedged
    saving = res.value_of_hedging
    story = [f"Decided against the {len(b.outcomes)} disruption scenarios, the hedged plan's expected cost is USD "
             f"{b.expected_total_usd / 1e6:,.2f} M against {a.expected_total_usd / 1e6:,.2f} M for the least-cost "
             f"plan tested the same way; its CVaR ({1 - b.level:.0%} worst outcomes) is USD {b.cvar_usd / 1e6:,.2f} M "
             f"against {a.cvar_usd / 1e6:,.2f} M. Its cost if nothing happens is USD "
             f"{(b.first_stage_usd - a.first_stage_usd) / 1e6:+,.2f} M: the premium of the insurance."]
    story.append("Hedging saves " + _shown(saving) + (
        f"; VSS, EVPI and agreement values were not computed: {res.values_skipped}." if res.values_skipped else
        "; VSS " + _shown(res.vss) + "; EVPI " + _shown(res.evpi) + "."))
    kinds: dict[str, set[str]] = {}
    for x in res.differences:
        kinds.setdefault(x.what, set()).add(x.item)
    if kinds:
        story.append("It differs in: " + "; ".join(f"{k} ({', '.join(sorted(v)[:6])}"
                                                   f"{', ...' if len(v) > 6 else ''})" for k, v in kinds.items()) + ".")
    story.append(PROBABILITY_NOTE)
    return story


def _shown(r: Range) -> str:
    text = f"USD {r.value / 1e6:,.3f} M (proven between {r.low / 1e6:,.3f} and {r.high / 1e6:,.3f})"
    return text if r.significant else text + ", not significant"


def build_hedged_html(d: PlanningData, res: Resilience, title: str, subtitle: str) -> str:
    sections = [("The hedge in numbers", [html.table(
        ["figure", "value (USD)", "low", "high", "significant", "what it is"], value_rows(res),
        formats=["text", "usd", "usd", "usd", "text", "text"]), html.table(
        ["mineral", "least cost (USD M)", "RP (USD M)", "EEV (USD M)", "WS (USD M)", "VSS (USD)", "EVPI (USD)"],
        mineral_rows(res), formats=["text"] + ["usd_m"] * 4 + ["usd"] * 2) if res.minerals else ""]),
        ("Disruption cost, least-cost plan against hedged plan", [_cost_chart([res.least_cost, res.hedged]),
                                                                  _table(
            res.hedged, ["scenario", "event", "probability", "least-cost plan (USD M)", "hedged plan (USD M)",
                         "unmet, least-cost (t)", "unmet, hedged (t)"], _side_by_side(res),
            ["text", "text", "probability", "usd_m", "usd_m", "t", "t"])]),
        ("What the hedged plan does differently, and why", [html.table(
            ["decision", "item", "year", "least-cost", "hedged", "unit", "why"], diff_rows(res),
            formats=["text", "text", "year", "number", "number", "text", "text"]) if res.differences
            else "<p>Nothing: the least-cost plan is already the hedged plan.</p>"]),
        ("Workbook limits the hedged plan presses against", [html.table(
            ["decision", "item", "years", "limit", "unit", "cell", "least-cost plan too"], binding_rows(res),
            formats=["text", "text", "text", "number", "text", "text", "text"]) if res.binding
            else "<p>None.</p>"]),
        ("How the hedged plan covers each disruption", [_cover_table(res.hedged)]),
        ("What the hedged plan's protection buys, per mineral", [_protection_table(d, res.hedged)])]
    return html.page(title, subtitle, _hedge_story(res), sections, narrative_heading="In short")


def hedged_files(d: PlanningData, res: Resilience, run_info, source: str, title: str,
                 subtitle: str) -> tuple[bytes, bytes]:
    return (workbook_bytes(build_hedged_workbook(d, res, run_info, source, subtitle)),
            build_hedged_html(d, res, title, subtitle).encode("utf-8"))
