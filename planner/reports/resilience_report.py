"""Reports of plans tested against disruptions, in English or Korean: ``<stem>-stress`` (the least-cost plan
hit by each disruption) and ``<stem>-hedged`` (the hedged plan's results workbook, with the comparison,
VSS, EVPI, agreement values, differences and binding limits added).

Every money figure is present value at the start of the first year and comes from the verified
:class:`planner.verify.Evaluation` of the plan with its recourse; figures from optimisations
carry their proven range, and a range that holds 0 is reported as not significant.  Every word comes
from ``planner.reports.labels``.
"""

from __future__ import annotations

from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font

from models.dataset import PlanningData
from planner.reports import html
from planner.reports import labels as L
from planner.reports.files import workbook_bytes
from planner.reports.html import usd_m
from planner.reports.labels import EN, Worded, label
from planner.reports.plan_workbook import (
    APART, DAYS, INT, PCT, T, USD, USD_M, Col, build_plan_workbook, finish_chart, make_printable, ranked_bars,
    sheet_name, write_run_sheet, write_table, yes,
)
from planner.reports.runinfo import outcome, proven_range
from planner.studies.resilience import (
    PROTECTIONS, VALUES_MAX_SCENARIOS, Difference, Range, Resilience, Tested, protection,
)
from planner.workbook.writer import TITLE_FONT, put

OUTCOME_COLS = [
    Col("disruption", "", key="disruption_name"), Col("scenario", "", key="disruption_scenario"), Col("event", ""),
    Col("probability", "0.0000"), Col("cell", "", key="probability_cell"), Col("minerals_hit", ""),
    Col("lost_t", T, key="lost_t_all"), Col("unmet_t", T, key="disruption_unmet_t"),
    Col("cost_usd", USD, key="disruption_cost_usd"),
]
COVER_COLS = [
    Col("disruption", "", key="disruption_name"), Col("scenario", "", key="disruption_scenario"), Col("mineral", ""),
    Col("crisis_years", ""), Col("lost_t", T), Col("lost_days", DAYS), Col("spot_t", T), Col("recycling_t", T),
    Col("stock_t", T, key="released_stock_t"), Col("agreements_t", T), Col("unmet_t", T, key="disruption_unmet_t"),
    Col("unmet_share", PCT), Col("stock_back_by", INT), Col("days_to_rebuild", DAYS),
]


def outcome_rows(t: Tested) -> list[list]:
    """Per scenario: its id, event, probability, cell, minerals hit, tonnes lost and unmet, and cost (the
    workbook puts the scenario's name before them, ``named``)."""
    return [[o.scenario.name, o.scenario.event, o.scenario.probability, o.scenario.cell,
             ", ".join(c.mineral_id for c in o.covers), sum(c.lost_t for c in o.covers),
             sum(c.unmet_t for c in o.covers), o.cost_usd] for o in t.outcomes]


def cover_rows(t: Tested) -> list[list]:
    return [[o.scenario.name, c.mineral_id, L.year_list(c.crisis_years), c.lost_t, c.lost_days, c.spot_t,
             c.recycling_t, c.stock_t, c.agreements_t, c.unmet_t, c.unmet_t / c.lost_t if c.lost_t else None,
             c.rebuilt_year, c.days_to_rebuild] for o in t.outcomes for c in o.covers]


def scenario_names(d: PlanningData, t: Tested, lang: str) -> dict[str, str]:
    """Each scenario's id and its name as a reader knows it (``labels.disruption_name``): made once a report,
    for every table that names them (a pass is 10-17 ms at 763 sampled scenarios)."""
    return {o.scenario.name: L.disruption_name(d, o.scenario, lang) for o in t.outcomes}


def named(names: dict[str, str], rows: list[list]) -> list[list]:
    """``rows`` (a scenario's id first) led by the scenario's name (``scenario_names``); the id stays, to find
    the scenario in the .json and the other sheets."""
    return [[names[r[0]], *r] for r in rows]


class Figure(NamedTuple):
    """A headline figure of a tested plan: its .json id and value (money in USD), the format a sheet shows it in
    (money in USD M), its name in words with that unit, and what it is."""

    id: str
    value: object
    number_format: str
    name: str
    what: str


def figures(t: Tested, lang: str = EN, d: PlanningData | None = None) -> list[Figure]:
    """The headline figures of a tested plan.  With ``d`` (a workbook's sheet) the costliest scenario is named
    in words, its id in brackets; without, by its id alone (the .json)."""
    calm = max(0.0, 1 - sum(o.scenario.probability for o in t.outcomes))  # not -2e-16 when every draw stops
    worst = t.worst
    tail = html.pct(1 - t.level)

    def fig(key: str, value, number_format: str, what: str, name: str = "") -> Figure:
        return Figure(key, value, number_format, name or label(f"res.figname.{key}", lang), what)

    # the level in percent with every digit it has: ':.0%' named levels 0.995 and 0.999 both cvar_100_usd
    cvar = f"cvar_{round(t.level * 100, 6):g}_usd"
    return [
        fig("first_stage_cost_usd", t.first_stage_usd, USD_M, label("res.fig.first_stage", lang)),
        fig("expected_disruption_cost_usd", t.expected_recourse_usd, USD_M, label("res.fig.expected_disruption", lang)),
        fig("expected_total_cost_usd", t.expected_total_usd, USD_M, label("res.fig.expected_total", lang)),
        fig(cvar, t.cvar_usd, USD_M, label("res.fig.cvar", lang, tail=tail, level=f"{t.level:g}"),
            label("res.figname.cvar", lang, level=f"{t.level:g}")),
        fig("worst_scenario", None if worst is None else worst.scenario.name if d is None else
            f"{L.disruption_name(d, worst.scenario, lang)} ({worst.scenario.name})", "", label("res.fig.worst", lang)),
        fig("worst_cost_usd", worst.cost_usd if worst else None, USD_M, label("res.fig.worst_cost", lang)),
        fig("probability_no_disruption", calm, "0.0000", label("res.fig.calm", lang)),
    ]


def _figures_sheet(ws, title: str, subtitle: str, blocks: list[tuple[str, list[Figure]]], notes: list[str],
                   lang: str) -> None:
    put(ws, 1, 1, title).font = TITLE_FONT
    put(ws, 2, 1, subtitle)
    r = 4
    for heading, rows in blocks:
        put(ws, r, 1, heading).font = Font(bold=True)
        for j, key in enumerate(("col.figure", "col.value", "col.what"), start=2):
            c = put(ws, r, j, label(key, lang))
            c.font = Font(bold=True)
            if key != "col.figure":  # the value's header over its numbers (as the plan's Summary), what it is apart
                c.alignment = Alignment(horizontal="right") if key == "col.value" else APART
        r += 1
        for f in rows:
            put(ws, r, 2, f.name)
            money = f.number_format == USD_M and f.value is not None
            value = put(ws, r, 3, f.value / 1e6 if money else f.value)
            value.number_format = f.number_format or "General"
            if isinstance(f.value, str):  # a name (the costliest disruption) under the header, as the numbers
                value.alignment = Alignment(horizontal="right")
            put(ws, r, 4, f.what).alignment = APART
            r += 1
        r += 1
    for note in notes:
        put(ws, r, 1, note)
        r += 1


# ---- what protection buys ----------------------------------------------------------------

PROTECTION_COLS = [
    Col("mineral", ""), Col("expected_lost_output_usd", USD, key="expected_lost_output_still_usd"),
    Col("avoided_by_stock_usd", USD), Col("avoided_by_lines_usd", USD), Col("avoided_by_second_sources_usd", USD),
    Col("avoided_by_recycling_usd", USD), Col("stock_cost_usd", USD), Col("avoided_per_usd_of_stock", "0.00"),
    Col("lines_cost_usd", USD), Col("avoided_per_usd_of_lines", "0.00"),
]


def protection_rows(d: PlanningData, t: Tested) -> list[list]:
    rows = []
    found = protection(d, t)
    for m in d.minerals:
        if m in found:
            p = found[m]
            rows.append([m, p.expected_lost_output_usd, *(p.avoided_usd[w] for w in PROTECTIONS),
                         p.stock_cost_usd, p.per_usd("stock"), p.lines_cost_usd, p.per_usd("lines")])
    return rows


def protection_heads(lang: str) -> list[str]:
    return [label(f"res.protect.{k}", lang) for k in ("still", "stock", "lines", "spot", "recycling", "stock_cost",
                                                     "per_stock", "fees", "per_fee")]


def _protection_table(d: PlanningData, t: Tested, lang: str) -> str:
    rows = protection_rows(d, t)
    if not rows:
        return f"<p>{html.esc(label('res.protect.none', lang))}</p>"
    return html.table([label("word.mineral", lang), *protection_heads(lang)],
                      [[L.mineral_name(d, r[0], lang), *r[1:]] for r in rows],
                      formats=["text"] + ["usd_m"] * 6 + ["number", "usd_m", "number"]) \
        + f"<p>{html.esc(label('res.protect.note', lang))}</p>"


def _protection_sheet(wb: Workbook, d: PlanningData, t: Tested, lang: str, index: int | None = None) -> None:
    ws = wb.create_sheet(sheet_name("Protection", lang), index)
    write_table(ws, PROTECTION_COLS, protection_rows(d, t), lang=lang)
    put(ws, ws.max_row + 2, 1, label("res.protect.note", lang))


# ---- planner stress ----------------------------------------------------------------------

def _costliest(d: PlanningData, tested: list[Tested], lang: str, top: int) -> list[tuple[str, str]]:
    """(id, name) of the ``top`` costliest scenarios of the first plan, costliest first; the name year first,
    as a chart clips a long label at its end."""
    return [(o.scenario.name, L.disruption_name(d, o.scenario, lang, year_first=True))
            for o in sorted(tested[0].outcomes, key=lambda o: -o.cost_usd)[:top]]


def _cost_data(d: PlanningData, wb: Workbook, tested: list[Tested], lang: str, top: int = 15) -> None:
    """The page's chart of the costliest disruptions, native: its data beside it on a sheet of charts."""
    ws = wb.create_sheet(sheet_name("Disruption charts", lang), 1)
    costliest = _costliest(d, tested, lang, top)
    names = [n for n, _name in costliest]
    if not names:
        return
    put(ws, 1, 1, label("col.event", lang))
    for j, t in enumerate(tested, start=2):
        put(ws, 1, j, label(f"res.plan.{_plan_key(t)}", lang))
    for i, (n, name) in enumerate(costliest, start=2):
        put(ws, i, 1, name)
        for j, t in enumerate(tested, start=2):
            put(ws, i, j, next(o.cost_usd for o in t.outcomes if o.scenario.name == n) / 1e6).number_format = "#,##0.0"
    bar = ranked_bars(BarChart())  # the costliest on top, as in the table
    bar.grouping = "clustered"
    bar.title = label("res.chart.cost", lang, n=len(names))
    bar.add_data(Reference(ws, min_col=2, max_col=1 + len(tested), min_row=1, max_row=1 + len(names)),
                 titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + len(names)))
    bar.y_axis.number_format = "#,##0"
    finish_chart(bar, 22, categories=[name for _n, name in costliest])
    ws.add_chart(bar, f"A{len(names) + 3}")


def _plan_key(t: Tested) -> str:
    return "hedged" if t.label.startswith("hedged") else "least_cost"


def build_stress_workbook(d: PlanningData, t: Tested, run_info, subtitle: str, lang: str = EN) -> Workbook:
    wb = Workbook()
    _figures_sheet(wb.active, label("res.stress.sheet_title", lang), subtitle,
                   [(label("res.plan.least_cost", lang), figures(t, lang, d))],
                   [label("res.probability_note", lang)], lang)
    wb.active.title = sheet_name("Summary", lang)
    names = scenario_names(d, t, lang)
    write_table(wb.create_sheet(sheet_name("Disruptions", lang)), OUTCOME_COLS, named(names, outcome_rows(t)),
                lang=lang)
    write_table(wb.create_sheet(sheet_name("Losses covered", lang)), COVER_COLS, named(names, cover_rows(t)), lang=lang)
    _protection_sheet(wb, d, t, lang)
    write_run_sheet(wb, run_info, lang)
    _cost_data(d, wb, [t], lang)
    make_printable(wb)
    return wb


def assumptions(d: PlanningData, lang: str) -> str:
    s = d.settings
    items = [label("compare.assume.usd", lang, price_year=s.price_year, first=s.first_year, last=s.last_year,
                   rate=html.pct(s.discount_rate)),
             label(_size_key(d), lang), label("res.assume.foresight", lang),
             label("res.assume.rebuild", lang, years=s.rebuild_years), label("res.probability_note", lang),
             L.estimates_note(d, lang)]
    return html.assumptions("", items)  # a section of its own, under its heading


def _size_key(d: PlanningData) -> str:
    """How big the scenarios are, in words: the Disruptions sheet's events, draws from the Disruption risks
    sheet (``--sample``), or both (``--mix``); a sampled page said the Disruptions sheet's shares and years."""
    kind = L.sampling_kind(d)
    return "res.assume.size" if kind is None else f"res.assume.size_{kind}"


def _stress_story(d: PlanningData, t: Tested, lang: str) -> list[str]:
    story = [label("res.stress.story", lang, n=len(t.outcomes), expected=usd_m(t.expected_recourse_usd),
                   tail=html.pct(1 - t.level), cvar=usd_m(t.cvar_usd))]
    worst = t.worst
    if worst is not None:  # its probability as the table's column writes them all
        digits = html.probability_decimals([o.scenario.probability for o in t.outcomes])
        story.append(label("res.stress.worst", lang, scenario=L.disruption_name(d, worst.scenario, lang),
                           probability=html.fmt(worst.scenario.probability, "probability", digits),
                           usd=usd_m(worst.cost_usd),
                           lost=html.tonnes(sum(c.lost_t for c in worst.covers)),
                           unmet=html.tonnes(sum(c.unmet_t for c in worst.covers))))
    return story


def _cost_chart(d: PlanningData, tested: list[Tested], lang: str, top: int = 15) -> str:
    costliest = _costliest(d, tested, lang, top)
    stacks = {label(f"res.plan.{_plan_key(t)}", lang): [next(o.cost_usd for o in t.outcomes if o.scenario.name == n)
                                                         for n, _name in costliest] for t in tested}
    return html.ranked_chart(label("res.chart.cost", lang, n=len(costliest)), [name for _n, name in costliest],
                             stacks, x_format="usd_m", x_label="USD M", width=960)


# A page lists at most this many scenarios, the costliest; the workbook lists them all.
PAGE_SCENARIOS = 100


def _on_page(t: Tested, rows: list[list], lang: str) -> tuple[list[list], str]:
    """``rows`` (scenario first) cut to the ``PAGE_SCENARIOS`` costliest scenarios of ``t``, costliest
    first, and a note saying so ("" if all fit)."""
    if len(t.outcomes) <= PAGE_SCENARIOS:
        return rows, ""
    rank = {o.scenario.name: k for k, o in enumerate(sorted(t.outcomes, key=lambda o: -o.cost_usd))}
    kept = sorted((r for r in rows if rank[r[0]] < PAGE_SCENARIOS), key=lambda r: rank[r[0]])
    return kept, (f"<p>{html.esc(label('res.page_cut', lang, n=PAGE_SCENARIOS, of=f'{len(t.outcomes):,}'))}"
                  "</p>")


def _table(t: Tested, names: dict[str, str], headers: list[str], rows: list[list], formats: list[str], lang: str,
           with_id: bool = True) -> str:
    """A page's table of scenarios: ``rows`` (a scenario's id first) cut to the page (``_on_page``), each led
    by the scenario's name, its id after it if ``with_id`` (``headers`` and ``formats`` say both)."""
    rows, note = _on_page(t, rows, lang)
    rows = [r if with_id else [r[0], *r[2:]] for r in named(names, rows)]
    return html.table(headers, rows, formats=formats, lang=lang) + note


def _scenario_heads(lang: str, with_id: bool = True) -> list[str]:
    return [label("res.col.disruption", lang)] + ([label("res.col.scenario_id", lang)] if with_id else [])


def _cover_table(d: PlanningData, t: Tested, names: dict[str, str], lang: str) -> str:
    # Stock not back within the horizon is back after its last year, not unknown (a dash read as no data).
    after = label("res.back_after", lang, last=d.settings.last_year)
    rows = [[r[0], L.mineral_name(d, r[1], lang), *r[2:10], after if r[11] is None else r[11]] for r in cover_rows(t)]
    return _table(t, names, _scenario_heads(lang, False) + [label("word.mineral", lang)]
                  + [label(f"res.col.{k}", lang) for k in ("crisis_years", "lost", "lost_days", "spot", "recycling",
                                                          "stock", "agreements", "unmet", "back_by")], rows,
                  ["text", "text", "text", "t", "days", "t", "t", "t", "t", "t", "year"], lang, with_id=False)


def build_stress_html(d: PlanningData, t: Tested, title: str, subtitle: str, lang: str = EN) -> str:
    order = list(d.minerals)  # minerals hit in the workbook's order, as every list of minerals
    rows = [[r[0], r[2], r[3], L.minerals_words(d, sorted({c.mineral_id for c in o.covers}, key=order.index), lang),
             *r[5:]] for r, o in zip(outcome_rows(t), t.outcomes)]
    columns = ["probability", "cell", "hit", "lost", "unmet", "cost"]
    formats = ["text", "text", "probability", "text", "text", "t", "t", "usd_m"]
    cells = {o.scenario.cell for o in t.outcomes}
    once = ""
    if len(cells) == 1:  # sampled draws: every probability from one command line, said once, not on every row
        rows = [[*r[:2], *r[3:]] for r in rows]
        once = f"<p>{html.esc(label('res.cell_once', lang, cell=cells.pop()))}</p>"
        columns.remove("cell")
        del formats[3]
    names = scenario_names(d, t, lang)
    sections = [(label("brief.assumptions", lang), [assumptions(d, lang)]),
                (label("res.sec.cost", lang), [_cost_chart(d, [t], lang), _table(
                    t, names, _scenario_heads(lang) + [label(f"res.col.{k}", lang) for k in columns], rows, formats,
                    lang) + once]),
                (label("res.sec.cover", lang), [_cover_table(d, t, names, lang)
                                                + f"<p>{html.esc(label('res.cover.note', lang))}</p>"]),
                (label("res.sec.protection", lang), [_protection_table(d, t, lang)])]
    return html.page(title, subtitle, _stress_story(d, t, lang), sections,
                     narrative_heading=label("word.in_short", lang), lang=lang)


def stress_files(d: PlanningData, t: Tested, run_info, title: str, subtitle: str, lang: str = EN
                 ) -> tuple[bytes, bytes]:
    return (workbook_bytes(build_stress_workbook(d, t, run_info, subtitle, lang)),
            build_stress_html(d, t, title, subtitle, lang).encode("utf-8"))


def titles(kind: str, workbook: str, d: PlanningData, gap: float, sha: str, ph_gap: float | None = None,
           by_ph: bool = False, lang: str = EN) -> tuple[str, str]:
    """The title and subtitle of a stress or hedged report."""
    s = d.settings
    solved = label("res.solved", lang, gap=html.power_of_ten(gap))
    if by_ph:
        solved = label("res.solved_ph", lang, solved=solved,
                       ph="\u2013" if ph_gap is None else f"{ph_gap:.1e}")
    subtitle = label("res.subtitle", lang, workbook=workbook, first=s.first_year, last=s.last_year,
                     currency=s.currency, price_year=s.price_year, solved=solved, sha=sha[:12])
    return label(f"res.title.{kind}", lang, workbook=workbook), L.with_sampled_basis(subtitle, d, lang)


# ---- planner solve --hedged --------------------------------------------------------------

def stress_facts(t: Tested) -> list[tuple[str, object]]:
    """The stress test's headline, for its .json and Run sheet: the least-cost plan's solve and what
    the disruptions cost it."""
    return outcome(t.decided_by) + [(f.id, f.value) for f in figures(t)]


def hedged_facts(res: Resilience) -> list[tuple[str, object]]:
    """A hedged run's headline: the hedged plan's solve and figures, the least-cost plan's beside
    them, and the value of hedging, VSS, EVPI and agreement values with their proven ranges."""
    out = outcome(res.hedged.decided_by) + [(f.id, f.value) for f in figures(res.hedged)]
    out += outcome(res.least_cost.decided_by, "least_cost_") + [
        (f"least_cost_{f.id}", f.value) for f in figures(res.least_cost)]
    out += proven_range("value_of_hedging", res.value_of_hedging)
    if res.values_skipped:
        return out + [("vss_evpi_not_computed", values_skipped_text(res))]
    out += proven_range("vss", res.vss) + proven_range("evpi", res.evpi)
    for a in sorted({a for m in res.minerals for a in m.agreements}):
        r = res.agreement_value(a)
        name = f"agreement {a} value"
        out += [(name, Worded("res.needed"))] if r is None else proven_range(name, r)
    return out + ([("agreement_values_by", Worded("res.agreements_by_embedded"))] if res.agreements_by_embedded
                  else [])


def console_lines(d: PlanningData, res: Resilience | Tested, lang: str = EN) -> list[str]:
    """The console's headline of planner stress (``res``: the least-cost plan tested) or solve --hedged, in the
    page's words: each plan's expected cost, its parts and its CVaR of the disruption cost, then the values
    with their proven ranges.  The expected cost, the page's headline and what the hedged plan is decided on
    (with cvar_weight 0), went unnamed, and the CVaR read 'mean of the costliest 10% of outcomes' with no word
    of which cost."""
    if isinstance(res, Tested):
        return [_tested_line(d, res, label("res.plan.least_cost", lang), lang)]
    lines = [_tested_line(d, t, label(key, lang), lang)
             for t, key in ((res.hedged, "res.plan.hedged"), (res.least_cost, "res.plan.least_cost"))]
    shown = [("value_of_hedging", res.value_of_hedging)]
    if not res.values_skipped:
        shown += [("vss", res.vss), ("evpi", res.evpi)]
    weight = res.hedged.weight  # with a CVaR weight: the value of hedging is of the objective, VSS and EVPI neutral

    def name(key: str) -> str:
        if not weight:
            return label(f"res.fig.{key}", lang)
        if key == "value_of_hedging":
            return label("res.console.on_objective", lang, name=label(f"res.fig.{key}", lang), weight=f"{weight:g}")
        return label("res.console.risk_neutral", lang, name=label(f"res.fig.{key}", lang))

    lines += [f"{name(key)}: {_shown(r, lang)}" for key, r in shown]
    if res.values_skipped:
        lines.append(label("res.console.values_skipped", lang, why=values_skipped_text(res, lang)))
    return lines


def _m(usd: float, decimals: int = 2) -> str:
    """USD in millions with the console's fixed digits ('USD 0.00 M', where html.usd_m writes 'USD 0 M')."""
    return f"USD {usd / 1e6:,.{decimals}f} M"


def _tested_line(d: PlanningData, t: Tested, plan: str, lang: str) -> str:
    worst = t.worst  # None: --sample drew no stop at all, as the reports say
    return label("res.console.tested", lang, plan=plan, expected=_m(t.expected_total_usd), calm=_m(t.first_stage_usd),
                 disruption=_m(t.expected_recourse_usd), tail=html.pct(1 - t.level), level=f"{t.level:g}",
                 cvar=_m(t.cvar_usd), worst=label("res.console.no_worst", lang) if worst is None else
                 f"{L.disruption_name(d, worst.scenario, lang)} ({worst.scenario.name}), {_m(worst.cost_usd)}")


def values_skipped_text(res: Resilience, lang: str | None = None) -> str:
    """Why VSS, EVPI and the agreement values were not computed (``res.hedged`` tests one outcome per scenario):
    in ``lang``, or as a run fact (``Worded``) that a Korean Run sheet words in Korean."""
    values = dict(n=f"{len(res.hedged.outcomes):,}", most=VALUES_MAX_SCENARIOS)
    return Worded("res.values_skipped", **values) if lang is None else label("res.values_skipped", lang, **values)


def _range_row(name: str, r: Range, what: str, lang: str) -> list:
    return [name, r.value, r.low, r.high, label("sig.yes" if r.significant else "res.range_holds_0", lang), what]


RANGE_COLS = [Col("figure", "", key="range_figure"), Col("value_usd", USD), Col("low_usd", USD), Col("high_usd", USD),
              Col("significant", "", key="range_significant"), Col("what_it_is", "")]


def value_rows(d: PlanningData, res: Resilience, lang: str = EN) -> list[list]:
    """The figures that judge the hedge, each by its name in words (an agreement by its partners, mineral
    and kind, id in brackets), with its value and proven range in USD."""
    rows = [_range_row(label("res.fig.value_of_hedging", lang), res.value_of_hedging, label("res.what.hedging", lang),
                       lang)]
    if res.values_skipped:
        why = values_skipped_text(res, lang)
        return rows + [[label(f"res.fig.{name}", lang), None, None, None, label("res.not_computed", lang),
                        f"{label(f'res.what.{name}', lang)} ({why})"] for name in ("vss", "evpi")]
    rows += [_range_row(label(f"res.fig.{name}", lang), getattr(res, name), label(f"res.what.{name}", lang), lang)
             for name in ("vss", "evpi")]
    what = label("res.what.agreement", lang) + (
        f"; {label('res.agreements_by_embedded', lang)}" if res.agreements_by_embedded else "")
    for a in sorted({a for m in res.minerals for a in m.agreements}):
        r, name = res.agreement_value(a), label("res.fig.agreement", lang, name=L.agreement_name(d, a, lang))
        rows.append([name, None, None, None, label("res.needed", lang), what] if r is None
                    else _range_row(name, r, what, lang))
    return rows


def _in_usd_m(rows: list[list], columns: slice, most: int = 6) -> list[list]:
    """``rows`` with the USD figures of ``columns`` in USD M, as text: with 3 decimals, more (up to ``most``)
    where a row's figures differ by whole dollars that 3 would hide (a value and the range proven around it)."""
    out = []
    for r in rows:
        xs = [x for x in r[columns] if x is not None]
        k = next((k for k in range(3, most + 1) if len({html.fmt(x, "usd_m", k) for x in xs})
                  == len({round(x) for x in xs})), most)
        out.append([*r[:columns.start], *(None if x is None else html.fmt(x, "usd_m", k) for x in r[columns]),
                    *r[columns.stop:]])
    return out


MINERAL_COLS = [Col("mineral", ""), Col("least_cost_usd", USD), Col("hedged_expected_usd", USD),
                Col("expected_value_plan_usd", USD), Col("wait_and_see_usd", USD), Col("vss_usd", USD),
                Col("evpi_usd", USD)]


def mineral_rows(res: Resilience) -> list[list]:
    return [[m.mineral_id, m.least_cost.value, m.hedged.value, m.expected_value_plan.value, m.wait_and_see.value,
             m.vss.value, m.evpi.value] for m in res.minerals]


DIFF_COLS = [Col("decision", "", key="difference_decision"), Col("item", "", key="difference_item"),
             Col("year", INT), Col("least_cost", "#,##0.0", key="difference_least_cost"),
             Col("hedged", "#,##0.0"), Col("unit", "", key="decision_unit"), Col("why", "")]
BINDING_COLS = [Col("decision", "", key="binding_decision"), Col("item", "", key="binding_item"),
                Col("years", ""), Col("limit", "#,##0.##", key="binding_limit"), Col("unit", "", key="decision_unit"),
                Col("cell", "", key="binding_cell"), Col("least_cost_too", "")]


def why(d: PlanningData, x: Difference, lang: str = EN) -> str:
    """What a decision of the hedged plan does in the disruptions, in words."""
    mineral = L.minerals_words(d, x.mineral.split("+"), lang, capital=False)
    if x.hedged < x.least_cost:
        # A cut: the disruptions that draw this cover or hit this supplier explain holding or buying it, not
        # having less of it.
        return _cut(d, x, lang)
    if x.what == "purchases":
        # Counted as the disruptions that stop the supplier in the row's year, not in any year; none is said
        # in words ("hit in 2032 by 0 of 10" read as hit).
        if not x.hit:
            return label("res.why.knock_on", lang, mineral=mineral)
        return label("res.why.purchases" if x.used else "res.why.purchases_none", lang, n=x.used, of=x.hit,
                     mineral=mineral, year=x.year)
    key = {"stock": "res.why.stock", "line": "res.why.line", "recycling modules": "res.why.modules",
           "refining modules": "res.why.refining"}[x.what]
    if not x.used and x.what != "refining modules":  # counted in the row's year, as a purchase's; none in words
        if x.later:  # cover bought or held this year for a crisis of a later year
            return label(f"{key}_later", lang, n=x.later, of=x.hit, mineral=mineral, year=x.year)
        key += "_none"
    return label(key, lang, n=x.used, of=x.hit, mineral=mineral, year=x.year, t=html.tonnes(x.expected_t or 0.0))


def _cut(d: PlanningData, x: Difference, lang: str) -> str:
    """A cut in words: how much less, and what the hedged plan has more of instead that year (``x.instead``:
    cover held for cover, tonnes bought for tonnes bought or made at home), where it has any."""
    instead, less = _CUT_WORDS[x.what]
    fewer = x.least_cost - x.hedged
    t = L.counted(html.fmt(fewer), x.unit, lang) if x.unit == "modules" else html.tonnes(fewer)
    if not x.instead:
        return label(less, lang, t=t)
    more = [label(f"res.why.instead_{what}", lang, t=html.tonnes(tonnes, True),
                  name=L.decision_name(d, _DECISION_KIND[what], item, lang, with_id=False))
            for (what, item), tonnes in x.instead.items()]
    held = L.words_list(more, lang)
    return label(instead, lang, t=t, held=held, held_to=L.to(held, lang))


# A cut's words (``_cut``), by ``Difference.what``: with what stands instead, and alone.
_CUT_WORDS = {"stock": ("res.why.instead", "res.why.less"), "line": ("res.why.instead", "res.why.less"),
              "purchases": ("res.why.bought_instead", "res.why.bought_less"),
              "recycling modules": ("res.why.modules_instead", "res.why.modules_less"),
              "refining modules": ("res.why.modules_instead", "res.why.modules_less")}


# A decision's kind (``Difference.what``, ``Binding.what``) as labels.decision_name knows it.
_DECISION_KIND = {"purchases": "supplier", "stock": "stock", "line": "agreement", "recycling modules": "recycling",
                 "refining modules": "recycling"}


def item_name(d: PlanningData, what: str, item: str, lang: str = EN, short: bool = False) -> str:
    """What a decision (``Difference``, ``Binding``) is about, as the plan page names it, id in brackets: a
    supply option, a mineral's stock, an agreement, or the plant or refinery that owns modules.  ``short``:
    without the id, a supply option by its mineral and route (for a sentence)."""
    if short and what == "purchases" and item in d.suppliers:
        s = d.suppliers[item]
        route = L.route_name(d, s.origin_country, s.processing_country, lang)
        return f"{L.mineral_name(d, s.mineral_id, lang)} {route}"
    return L.decision_name(d, _DECISION_KIND.get(what, what), item, lang, with_id=not short)


def diff_rows(d: PlanningData, res: Resilience, lang: str = EN) -> list[list]:
    return [[label(f"res.decision.{x.what.replace(' ', '_')}", lang), item_name(d, x.what, x.item, lang), x.year,
             x.least_cost, x.hedged, L.unit_word(x.unit, lang), why(d, x, lang)] for x in res.differences]


def binding_rows(d: PlanningData, res: Resilience, lang: str = EN) -> list[list]:
    return [[label(f"res.decision.{b.what}", lang), item_name(d, b.what, b.item, lang), L.year_list(b.years), b.limit,
             L.unit_word(b.unit, lang), b.cell, yes(b.least_cost_too, lang)] for b in res.binding]


def _side_by_side(res: Resilience) -> list[list]:
    a, b = res.least_cost, res.hedged
    by_name = {o.scenario.name: o for o in a.outcomes}
    return [[o.scenario.name, o.scenario.event, o.scenario.probability, by_name[o.scenario.name].cost_usd, o.cost_usd,
             sum(c.unmet_t for c in by_name[o.scenario.name].covers), sum(c.unmet_t for c in o.covers)]
            for o in b.outcomes]


SIDE_COLS = [Col("disruption", "", key="disruption_name"), Col("scenario", "", key="disruption_scenario"),
             Col("event", "", key="sampled_event"), Col("probability", "0.0000"), Col("least_cost_plan_usd", USD),
             Col("hedged_plan_usd", USD), Col("least_cost_unmet_t", T), Col("hedged_unmet_t", T)]


def build_hedged_workbook(d: PlanningData, res: Resilience, run_info, source: str, subtitle: str,
                          lang: str = EN) -> Workbook:
    h = res.hedged
    wb = build_plan_workbook(d, h.plan, h.evaluation, run_info, source, lang, printable=False, hedged=True)
    ws = wb.create_sheet(sheet_name("Hedge", lang), 1)
    _figures_sheet(ws, label("res.hedge.sheet_title", lang), subtitle,
                   [(label("res.plan.least_cost", lang), figures(res.least_cost, lang, d)),
                    (label("res.plan.hedged", lang), figures(h, lang, d))],
                   [label("res.hedge.objective", lang, weight=f"{h.weight:g}", level=f"{h.level:g}"),
                    label("res.probability_note", lang)], lang)
    # The values on a sheet of their own: below the figures, in the same columns, each column took the wider of
    # the two blocks' texts, and the one-page summary printed at a quarter of its size.
    write_table(wb.create_sheet(sheet_name("Hedge values", lang), 2), RANGE_COLS, value_rows(d, res, lang), lang=lang)
    write_table(wb.create_sheet(sheet_name("Differences", lang), 3), DIFF_COLS, diff_rows(d, res, lang), lang=lang)
    write_table(wb.create_sheet(sheet_name("Binding", lang), 4), BINDING_COLS, binding_rows(d, res, lang), lang=lang)
    side = wb.create_sheet(sheet_name("Disruptions", lang), 5)
    names = scenario_names(d, h, lang)
    write_table(side, SIDE_COLS, named(names, _side_by_side(res)), lang=lang)
    write_table(wb.create_sheet(sheet_name("Losses covered", lang), 6), COVER_COLS, named(names, cover_rows(h)), lang=lang)
    write_table(wb.create_sheet(sheet_name("Values by mineral", lang), 7), MINERAL_COLS, mineral_rows(res), lang=lang)
    _protection_sheet(wb, d, h, lang, 8)
    _cost_data(d, wb, [res.least_cost, h], lang)
    make_printable(wb)
    return wb


def _expected_saving(usd: float, lang: str) -> str:
    """What a CVaR-weighted hedge saves in expected cost alone, or, where it costs more there, how much more (a
    'saving' of USD -3.2 M read as one)."""
    return label("res.hedge.expected_saves" if usd >= 0 else "res.hedge.expected_rises", lang, usd=usd_m(abs(usd)))


def _hedge_story(d: PlanningData, res: Resilience, lang: str) -> list[str]:
    a, b = res.least_cost, res.hedged
    story = [label("res.hedge.story", lang, n=len(b.outcomes), hedged=usd_m(b.expected_total_usd),
                   least=usd_m(a.expected_total_usd), tail=html.pct(1 - b.level), cvar=usd_m(b.cvar_usd),
                   cvar_least=usd_m(a.cvar_usd), premium=usd_m(b.first_stage_usd - a.first_stage_usd, True))]
    weighted = b.weight > 0  # the value of hedging is then of the hedged objective, VSS and EVPI risk-neutral
    values = (label("res.hedge.skipped", lang, why=values_skipped_text(res, lang)) if res.values_skipped else
              label("res.hedge.values_neutral" if weighted else "res.hedge.values", lang, vss=_shown(res.vss, lang),
                    evpi=_shown(res.evpi, lang)))
    if weighted:
        story.append(label("res.hedge.saves_weighted", lang, saving=_shown(res.value_of_hedging, lang),
                           rest=f"{1 - b.weight:g}", weight=f"{b.weight:g}", level=f"{b.level:g}",
                           expected=_expected_saving(a.expected_total_usd - b.expected_total_usd, lang),
                           values=values))
    else:
        story.append(label("res.hedge.saves", lang, saving=_shown(res.value_of_hedging, lang), values=values))
    # Of each kind of decision the items that move most first, over every year: in the same order in every
    # language (sorted by their names, the English and the Korean sentence named different first six).
    kinds: dict[str, dict[str, float]] = {}
    for x in res.differences:
        moved = kinds.setdefault(x.what, {})
        moved[x.item] = moved.get(x.item, 0.0) + abs(x.hedged - x.least_cost)
    if kinds:
        named = {k: list(dict.fromkeys(item_name(d, k, i, lang, short=True)  # two refineries' routes read alike
                                       for i in sorted(v, key=lambda i: (-v[i], i)))) for k, v in kinds.items()}
        story.append(label("res.hedge.differs", lang, kinds=label("word.sep", lang).join(
            f"{label(f'res.decision.{k.replace(chr(32), chr(95))}', lang)} ({', '.join(v[:6])}"
            f"{', ...' if len(v) > 6 else ''})" for k, v in named.items())))
    return story


def _shown(r: Range, lang: str) -> str:
    """A proven figure in a sentence, with its range where its ends read apart ('proven between 2.914 and 2.914'
    read as if a range were given)."""
    value, low, high = (f"{x / 1e6:,.3f}" for x in (r.value, r.low, r.high))
    text = label("res.range" if low != high else "res.range_shown", lang, value=value, low=low, high=high)
    return text if r.significant else text + label("res.not_significant", lang)


def build_hedged_html(d: PlanningData, res: Resilience, title: str, subtitle: str, lang: str = EN) -> str:
    side = [[r[0], *r[2:]] for r in _side_by_side(res)]
    names = scenario_names(d, res.hedged, lang)
    sections = [
        (label("brief.assumptions", lang), [assumptions(d, lang)]),
        (label("res.sec.hedge", lang), [html.table(
            [label(f"res.col.{k}", lang) for k in ("figure", "value_m", "low_m", "high_m", "significant", "what")],
            _in_usd_m(value_rows(d, res, lang), slice(1, 4)), formats=["text", "number", "number", "number", "text",
                                                                       "text"]), html.table(
            [label("word.mineral", lang)] + [label(f"res.col.{k}", lang) for k in ("least_cost_m", "rp", "eev", "ws",
                                                                                   "vss_m", "evpi_m")],
            _in_usd_m([[L.minerals_words(d, r[0].split("+"), lang), *r[1:]] for r in mineral_rows(res)],
                      slice(1, 7), 3),
            formats=["text"] + ["number"] * 6) if res.minerals else ""]),
        (label("res.sec.side", lang), [_cost_chart(d, [res.least_cost, res.hedged], lang), _table(
            res.hedged, names, _scenario_heads(lang) + [label(f"res.col.{k}", lang) for k in (
                "probability", "cost_least", "cost_hedged", "unmet_least", "unmet_hedged")], side,
            ["text", "text", "probability", "usd_m", "usd_m", "t", "t"], lang)]),
        (label("res.sec.differs", lang), [html.table(
            [label(f"res.col.{k}", lang) for k in ("decision", "item", "year", "least_cost", "hedged", "unit", "why")],
            diff_rows(d, res, lang), formats=["text", "text", "year", "number", "number", "text", "text"])
            if res.differences else f"<p>{html.esc(label('res.same', lang))}</p>"]),
        (label("res.sec.binding", lang), [html.table(
            [label(f"res.col.{k}", lang) for k in ("decision", "item", "years", "limit", "unit", "cell", "too")],
            binding_rows(d, res, lang), formats=["text", "text", "text", "number", "text", "text", "text"])
            if res.binding else f"<p>{html.esc(label('word.none', lang))}</p>"]),
        (label("res.sec.cover_hedged", lang), [_cover_table(d, res.hedged, names, lang)]),
        (label("res.sec.protection_hedged", lang), [_protection_table(d, res.hedged, lang)])]
    return html.page(title, subtitle, _hedge_story(d, res, lang), sections,
                     narrative_heading=label("word.in_short", lang), lang=lang)


def hedged_files(d: PlanningData, res: Resilience, run_info, source: str, title: str,
                 subtitle: str, lang: str = EN) -> tuple[bytes, bytes]:
    return (workbook_bytes(build_hedged_workbook(d, res, run_info, source, subtitle, lang)),
            build_hedged_html(d, res, title, subtitle, lang).encode("utf-8"))

