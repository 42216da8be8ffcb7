"""The brief of ``planner brief``: ``<stem>-brief.html`` and ``.xlsx``, in English or Korean.

The page answers first, each with a number, its unit and its significance: what the strategy costs
and what each policy adds when added last, who replaces China, how exposed Korea is, what a disruption
costs, what is still open; then the assumptions, a map per mineral of where the tonnes come from,
and the tables behind each answer.  The workbook holds the same tables with native charts.  Every
word comes from ``planner.reports.labels``; every figure from ``planner.studies.brief``, whose plans
are verified.
"""

from __future__ import annotations

import itertools
import math
import statistics

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from models.dataset import MINING, REFINING
from planner.indicators import limit_over_minerals, mineral_sr, over_minerals, stage_risk
from planner.reports import html
from planner.reports.html import NBSP, pct, tonnes, usd_m
from planner.reports import labels as L
from planner.reports.files import workbook_bytes
from planner.reports.labels import EN, label
from planner.reports.plan_workbook import (
    APART, apart_columns, finish_chart, format_run_values, make_printable, pct_format, run_value, text_width,
)
from planner.reports.runinfo import outcome, proven_range
from planner.studies.brief import (
    NO_POLICY, OPTION, RECYCLING, SLACK, STOCK, UNMET, Brief, PolicyCost, Replacement, disruptions, per_mineral,
    StandIn, policy_costs, replacements, routes_t, stand_ins, stated_limit, strategy_limit,
)
from planner.studies.compare import CaseResult
from planner.verify import COST_PARTS
from planner.workbook.writer import HEADER_FILL, HEADER_FONT, TITLE_FONT, put

ANSWER_WIDTH = 90  # characters of the Answers sheet's text column
TOP_SOURCES = 3  # sources named per mineral on the first screen
TOP_DISRUPTIONS = 3
TOP_OPEN = 6
# Pixels of a map's width, as the page's other charts: printed on A4 its names and captions read at 7-8 pt (at
# 1,280 px they printed at 5.5 pt, too small to read).
MAP_WIDTH = 960
USD_M = "#,##0.0"
T = "#,##0"
PCT = "0.0%"


def _significance(pc: PolicyCost, lang: str) -> str:
    if pc.adds is None:
        return label("word.needed", lang)
    if pc.significant:
        return label("sig.yes", lang)
    return label("sig.no.why", lang, gap=_gap(pc))


def _gap(pc: PolicyCost) -> str:
    """The two plans' proven gaps together, as 'USD 4,566' below a million (in USD M a gap of USD 2 read
    'USD 0 M', as if a difference of 0 were not significant within a gap of 0), else as 'USD 1.2 M'."""
    gap = pc.adds.high - pc.adds.low
    return f"USD {html.fmt(gap, 'usd' if gap < 1e6 else 'usd_m')}"


def _policy(key: str, lang: str) -> str:
    return L.limit_name(key, lang)


def _source(b: Brief, kind: str, item: str, lang: str, with_id: bool = True) -> str:
    d = b.data
    if kind == OPTION:
        s = d.suppliers[item]
        route = L.route_name(d, s.origin_country, s.processing_country, lang)
        return f"{route} ({item})" if with_id else route
    return label({RECYCLING: "word.recycled", STOCK: "word.stock", UNMET: "word.unmet"}[kind], lang)


def _years(b: Brief) -> list[int]:
    d = b.data
    return sorted({d.settings.first_year, b.year, d.settings.last_year})


# ---- the answers --------------------------------------------------------------------------------

def _answer(heading: str, figure: str, unit: str, body: list[str]) -> str:
    return (f'<div class="answer"><h2>{html.esc(heading)}</h2><div class="figure">{html.esc(figure)} '
            f'<span class="unit">{html.esc(unit)}</span></div>{"".join(body)}</div>')


def _p(text: str, cls: str = "") -> str:
    return f'<p class="{cls}">{html.esc(text)}</p>' if cls else f"<p>{html.esc(text)}</p>"


def cost_answer(b: Brief, lang: str, costs: list[PolicyCost]) -> str:
    st = b.data.settings
    total = next(pc for pc in costs if pc.policy == NO_POLICY)
    plan_usd = b.strategy.evaluation.total_usd
    body = [_p(label("brief.q.cost.text", lang, plan=usd_m(plan_usd), none=usd_m(total.base_usd),
                     first=st.first_year, last=st.last_year, sig=_significance(total, lang))),
            _p(label("brief.q.cost.each", lang))]
    rows = [[_policy(pc.policy, lang), label("word.needed", lang) if pc.adds is None else usd_m(pc.adds.value, True),
             label("sig.yes", lang) if pc.significant else label("sig.no", lang) if pc.adds else ""]
            for pc in costs if pc.policy != NO_POLICY]
    body.append(html.table([label("col.policy", lang), label("col.added_last", lang), label("col.significance", lang)],
                           rows, formats=["text", "text", "text"]))
    notes = [standin_sentence(b, lang, costs)] + [label("brief.q.cost.overlap", lang)]
    if any(pc.adds is not None and pc.adds.value < 0 and pc.significant for pc in costs):
        notes.append(label("brief.q.cost.negative", lang))
    body += [_p(n, "note") for n in notes if n]
    unit = label("brief.q.cost.unit", lang, pct=pct(total.share, sign=True)) if total.adds else ""
    figure = usd_m(total.adds.value, True) if total.adds else label("word.needed", lang)
    return _answer(label("brief.q.cost", lang), figure, unit, body)


def standin_sentence(b: Brief, lang: str, costs: list[PolicyCost]) -> str:
    """Which limit does the work of one that costs nothing when added last; two limits that each do the
    other's work in one sentence (it read twice in full, once for each)."""
    found = stand_ins(b, costs)
    out = []
    for s in found:
        other = next((o for o in found if (o.column, o.by) == (s.by, s.column)), None)
        if other is None:
            out.append(_standin_one(b, lang, costs, s))
        elif found.index(s) < found.index(other):
            out.append(_standin_mutual(b, lang, costs, s, other))
    return " ".join(out)


def _standin_one(b: Brief, lang: str, costs: list[PolicyCost], s: StandIn) -> str:
    limit, by = _policy(s.column, lang), _policy(s.by, lang)
    own = next(pc for pc in costs if pc.policy == s.column)
    measure = label(f"brief.standin.{MEASURE_OF[s.column]}", lang)
    return label("brief.standin", lang, limit=limit, by=by, measure=measure, usd=usd_m(own.adds.value, True),
                 sig=_significance(own, lang), n=s.at_limit, of=s.of,
                 minerals=L.minerals_words(b.data, s.minerals, lang, capital=False), alone=usd_m(s.by_alone.value),
                 both=usd_m(s.both.value))


def _standin_mutual(b: Brief, lang: str, costs: list[PolicyCost], s: StandIn, t: StandIn) -> str:
    """``s`` and ``t``, each the other's stand-in: what each adds and its significance once if they read alike."""
    own = [next(pc for pc in costs if pc.policy == x.column) for x in (s, t)]
    usd = list(dict.fromkeys(usd_m(pc.adds.value, True) for pc in own))
    # Neither is significant (else it would not be a stand-in): one clause, with both gaps where they differ.
    gaps = list(dict.fromkeys(_gap(pc) for pc in own))
    sig = (label("sig.no.why", lang, gap=gaps[0]) if len(gaps) == 1 else
           label("sig.no.why.each", lang, a=gaps[0], b=gaps[1]))
    minerals = [m for m in b.data.minerals if m in s.minerals or m in t.minerals]
    return label("brief.standin.mutual", lang, a=_policy(s.column, lang), b=_policy(t.column, lang),
                 a_measure=label(f"brief.standin.{MEASURE_OF[s.column]}", lang),
                 b_measure=label(f"brief.standin.{MEASURE_OF[t.column]}", lang),
                 usd=label("brief.standin.each", lang, usd=usd[0]) if len(usd) == 1 else L.words_list(usd, lang),
                 sig=sig, a_n=s.at_limit, a_of=s.of, b_n=t.at_limit, b_of=t.of,
                 minerals=L.minerals_words(b.data, minerals, lang, capital=False), both=usd_m(s.both.value))


def _replaced_by(b: Brief, r: Replacement, lang: str, top: int | None = TOP_SOURCES) -> str:
    """The sources that gain China's tonnes, largest first, and the rest in one figure, so that the
    line adds up to China's loss with the unmet tonnes beside it."""
    gains = [s for s in r.sources if s.kind != UNMET and s.change_t > 0]
    losses = sorted((s for s in r.sources if s.kind != UNMET and s.change_t < 0), key=lambda s: s.change_t)
    shown = gains + losses if top is None else gains[:top] + losses[:1]
    parts = [f"{_source(b, s.kind, s.item, lang)} {tonnes(s.change_t, True)}" for s in shown]
    rest = r.china_lost_t - r.unmet_t - sum(s.change_t for s in shown)
    if abs(rest) > max(0.5, 1e-4 * r.china_lost_t):
        parts.append(label("word.others", lang, t=tonnes(rest, True)))
    return label("word.sep", lang).join(parts) or "\u2013"


def china_answer(b: Brief, lang: str) -> str:
    reps = [r for r in replacements(b, [b.year]) if r.china_lost_t > 0]
    lost = sum(r.china_lost_t for r in reps)
    body = [_p(label("brief.q.china.text", lang))]
    if reps:
        rows = [[L.mineral_name(b.data, r.mineral, lang), tonnes(r.china_lost_t), _replaced_by(b, r, lang),
                 tonnes(r.unmet_t) if r.unmet_t > 0 else "\u2013"] for r in reps]
        body.append(html.table([label("word.mineral", lang), label("col.china_loses", lang),
                                label("col.replaced_by", lang), label("col.unmet", lang)], rows,
                               formats=["text"] * 4))
    else:
        body.append(_p(label("brief.q.china.none", lang, year=b.year)))
    return _answer(label("brief.q.china", lang, year=b.year), tonnes(lost),
                   label("brief.q.china.unit", lang, year=b.year), body)


def exposure_rows(b: Brief, lang: str) -> list[list[str]]:
    """Measure (with its definition), the plan now / target year / last year, the target, no policy."""
    d = b.data
    years = _years(b)
    plan, none = b.strategy.evaluation, b.no_policy.evaluation
    china_target = strategy_limit(b.data, "china_cap_share", b.year)
    risks = {id(r): stage_risk(r.case.data, r.plan, r.evaluation) for r in (b.strategy, b.no_policy)}

    def count(r: CaseResult, y: int) -> str:
        over = sum(1 for m in d.minerals if r.evaluation.indicators[m, y].china_share > china_target + 1e-4)
        return f"{over}/{len(d.minerals)}"

    def hhi(r: CaseResult, y: int) -> str:
        return html.fmt(_median([risks[id(r)][m, y, REFINING].hhi for m in d.minerals]), "number", 2)

    def sr(r: CaseResult, y: int) -> str:
        return html.fmt(_median([mineral_sr(risks[id(r)], m, y) for m in d.minerals]), "number", 2)

    rows = []
    basis = d.settings.reliance_basis
    for name, column, kind in (("china_share", "china_cap_share", "percent"),
                               ("china_share_mining", None, "percent"), ("china_share_refining", None, "percent"),
                               ("top_country_share", "single_country_cap_share", "percent"),
                               ("recycling_share", "recycling_min_share", "percent"),
                               ("stockpile_days", "stockpile_min_days", "days")):
        def worded(v):
            return L.days(html.fmt(v, "number", 0), lang) if kind == "days" and v is not None else html.fmt(v, kind)

        def shown(ev, y):
            return worded(over_minerals(ev, d.minerals, y, name))
        target = strategy_limit(d, column, b.year) if column else None
        stated = stated_limit(d, column, b.year) if column and per_mineral(d, column, b.year) else None
        # The strategy's own target where the minerals' rows replace it (the default's 20% recycling, which every
        # mineral with a recycling option lowers to what it can reach): 'set per mineral' hid the 20%.
        target_text = (worded(stated) if stated is not None else label("word.per_mineral", lang)
                       if column and per_mineral(d, column, b.year) else "\u2013" if target is None else worded(target))
        if column and any(d.limit(column, m, b.year) != target for m in d.minerals):
            # Mineral rows set their own limits: the total's is theirs weighted as the total is (the default's
            # single-country share, 50.1% in 2030, read as a miss of the 50% that the rare earths' own caps allow).
            target_text = label("brief.target.weighted", lang, target=target_text, weighted=worded(
                limit_over_minerals(d, plan, d.minerals, b.year, name, column)))
        rows.append([L.measure(name, lang), L.definition(name, lang, basis), *[shown(plan, y) for y in years], target_text,
                     shown(none, b.year)])
    shown = [("hhi_refining", hhi, "\u2013"), ("sr_median", sr, "\u2013")]
    if china_target is not None:
        # Mineral rows of the Policy sheet may let a mineral above the all-minerals cap: those the workbook
        # allows are the target, not 0 (the default's neodymium, dysprosium and terbium in 2030 read as a miss).
        own = sum(1 for m in d.minerals if (d.limit("china_cap_share", m, b.year) or 1.0) > china_target + 1e-4)
        shown.insert(0, ("minerals_over_target", count, label("brief.target.own_caps", lang, n=own) if own else "0"))
    for name, value, target in shown:
        rows.append([L.measure(name, lang), L.definition(name, lang), *[value(b.strategy, y) for y in years], target,
                     value(b.no_policy, b.year)])
    return rows


def _median(values: list[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _year_heading(y: int, b: Brief, lang: str) -> str:
    return label("word.now", lang, year=y) if y == b.data.settings.first_year else str(y)


def exposure_answer(b: Brief, lang: str) -> str:
    years = _years(b)
    rows = [[name, *values] for name, _definition, *values in exposure_rows(b, lang)]
    table = html.table([label("col.measure", lang), *[_year_heading(y, b, lang) for y in years],
                        label("col.target_year", lang, year=b.year), label("col.no_policy_year", lang, year=b.year)],
                       rows, formats=["text"] * (len(years) + 3))
    china = over_minerals(b.strategy.evaluation, b.data.minerals, b.year, "china_share")
    return _answer(label("brief.q.exposure", lang), pct(china),
                   f"{L.measure('china_share', lang)} {b.year}", [_p(label("brief.q.exposure.text", lang)), table])


def _cover(o, what: str) -> float:
    return sum(getattr(c, what) for c in o.covers)


def disruption_rows(b: Brief, lang: str = EN) -> list[list]:
    """Event by name from its start year (``labels.disruption_name``), cost with the plan, with no policy,
    saved, lost, spot, stock and lines, unmet; the scenario's id last (the stress workbooks' key)."""
    out = []
    for x in disruptions(b):
        o = x.plan
        out.append([L.disruption_name(b.data, o.scenario, lang), o.scenario.probability, o.cost_usd,
                    None if x.no_policy is None else x.no_policy.cost_usd, x.saved_usd, _cover(o, "lost_t"),
                    _cover(o, "spot_t"), _cover(o, "stock_t") + _cover(o, "agreements_t"), _cover(o, "unmet_t"),
                    o.scenario.name])
    return out


def stop_answer(b: Brief, lang: str) -> str:
    rows = disruption_rows(b, lang)
    if not rows:
        return _answer(label("brief.q.stop", lang), "\u2013", "", [_p(label("brief.q.stop.none", lang))])
    worst = disruptions(b)[0]
    shown = [[event, usd_m(plan), tonnes(stock), tonnes(unmet), "\u2013" if none is None else usd_m(none)]
             for event, _p_, plan, none, _s, _l, _spot, stock, unmet, _id in rows[:TOP_DISRUPTIONS]]
    table = html.table([label("col.event", lang), label("col.cost_plan", lang), label("col.from_stock", lang),
                        label("col.unmet", lang), label("col.cost_no_policy", lang)], shown, formats=["text"] * 5)
    unit = label("brief.q.stop.unit", lang, event=rows[0][0])
    return _answer(label("brief.q.stop", lang), usd_m(worst.plan.cost_usd), unit,
                   [_p(label("brief.q.stop.text", lang)), table])


def decision_name(b: Brief, item, lang: str) -> str:
    """A decision with room as the pages name its option, plant, agreement or mineral, id in brackets."""
    return label(f"decision.{item.family}", lang, name=L.decision_name(b.data, item.family, item.item, lang))


def _decision_value(x: float, unit: str, lang: str) -> str:
    if unit == "t":
        return tonnes(x)
    if unit == "days":
        return L.days(html.fmt(x, "number", 0), lang).replace(" ", NBSP)
    return L.counted(html.fmt(x, "number", 0), unit, lang).replace(" ", NBSP)  # '1 module', '20 modules'


def _room(r) -> float:
    span = r.item.highest - r.item.lowest
    return (r.high - r.low) / span if span > 0 else 0.0


def open_rows(b: Brief, lang: str, top: int | None = None) -> list[list[str]]:
    ranges = sorted(b.alternatives.ranges, key=lambda r: -_room(r))
    return [[decision_name(b, r.item, lang), _decision_value(r.least_cost, r.item.unit, lang),
             _decision_value(r.low, r.item.unit, lang), _decision_value(r.high, r.item.unit, lang),
             label("word.forced", lang) if r.forced else pct(_room(r))] for r in ranges[:top]]


def _open_headline(study, lang: str) -> tuple[str, str]:
    """The count of decisions still open, with its counter, and the rest of its phrase: the card's figure and
    unit, and the Answers sheet's line."""
    n, forced = len(study.ranges), sum(1 for r in study.ranges if r.forced)
    return (label("brief.q.open.figure", lang, open=n - forced),
            label("brief.q.open.unit", lang, n=n, slack=pct(study.slack)))


def open_answer(b: Brief, lang: str) -> str:
    study = b.alternatives
    if study is None or not study.ranges:
        return _answer(label("brief.q.open", lang), "\u2013", "", [_p(label("brief.q.open.none", lang))])
    forced = sum(1 for r in study.ranges if r.forced)
    table = html.table([label("col.decision", lang), label("col.least_cost", lang), label("col.low", lang),
                        label("col.high", lang), label("col.room", lang)], open_rows(b, lang, TOP_OPEN),
                       formats=["text"] * 5)
    text = label("brief.q.open.text" if forced else "brief.q.open.text_none", lang, forced=forced,
                 slack=pct(study.slack), budget=usd_m(study.budget_usd - study.best_usd))
    return _answer(label("brief.q.open", lang), *_open_headline(study, lang), [_p(text), table])


def assumptions(b: Brief, lang: str) -> str:
    st = b.data.settings
    values = dict(price_year=st.price_year, first=st.first_year, last=st.last_year, rate=pct(st.discount_rate))
    negative = [p for p in COST_PARTS if b.strategy.evaluation.costs_usd[p] < 0
                or b.no_policy.evaluation.costs_usd[p] < 0]
    items = [label("brief.assume.usd", lang, **values), label("brief.assume.foresight", lang),
             label("brief.assume.no_policy", lang), label("brief.assume.significance", lang),
             label("brief.assume.shares", lang)]
    if negative:
        items.append(label("brief.assume.negative", lang, parts=label("word.sep", lang).join(
            f"{L.cost_part(p, lang)}: {L.cost_note(p, lang)}" for p in negative)))
    items.append(L.estimates_note(b.data, lang))
    return html.assumptions(label("brief.assumptions", lang), items)


# ---- the sections behind the answers ------------------------------------------------------------

def _names(b: Brief, lang: str) -> dict[str, str]:
    return {c: L.country_name(b.data, c, lang) for c in b.data.countries} | {
        b.data.settings.home_country: L.country_name(b.data, b.data.settings.home_country, lang)}


def mineral_map(b: Brief, m: str, lang: str) -> str:
    d, y = b.data, b.year
    home = d.settings.home_country
    shapes = html.world()["countries"]
    panels = []
    for key, r in (("brief.map.no_policy", b.no_policy), ("brief.map.plan", b.strategy)):
        routes = routes_t(r, m, y)
        mi = r.evaluation.indicators[m, y]
        notes = []
        domestic = routes.get((home, home), 0.0)
        for text_key, t in (("brief.map.recycled", mi.recycled_t), ("brief.map.domestic", domestic),
                            ("brief.map.stock", sum(mi.released_t.values())),
                            ("brief.map.to_stock", sum(mi.added_t.values())), ("brief.map.unmet", mi.unmet_t)):
            if t > 0.5:
                notes.append(label(text_key, lang, t=tonnes(t)))
        missing = sorted({c for pair in routes for c in pair if c not in shapes})
        if missing:
            notes.append(label("brief.map.missing", lang, countries=", ".join(missing)))
        if not routes:
            notes.append(label("brief.map.nothing", lang))
        panels.append(html.MapPanel(label(key, lang), [html.Route(a, c, t) for (a, c), t in sorted(routes.items())],
                                    label("word.sep", lang).join(notes)))
    return html.flow_map(label("brief.map.title", lang, mineral=L.mineral_name(d, m, lang), year=y,
                               home=L.country_name(d, home, lang)), panels,
                         _names(b, lang), home=home, legend=label("brief.map.legend", lang), width=MAP_WIDTH)


def cost_rows(b: Brief, lang: str, costs: list[PolicyCost]) -> list[list]:
    """One row per policy cost, the strategy against no policy first and the policies no plan can do without
    last, so that a chart of the rows between draws no empty bar that reads 'costs nothing' for them; and
    last in a row the digits of its share: None for the usual ones; a significant cost's share, that they
    would round to 0, shows its first digit (``html.nonzero_decimals``)."""
    return [[_policy(pc.policy, lang), L.status(pc.status, lang), pc.base_usd if pc.adds else None,
             pc.adds.value if pc.adds else None, pc.share, pc.adds.low if pc.adds else None,
             pc.adds.high if pc.adds else None, _significance(pc, lang),
             html.nonzero_decimals(pc.share, "percent") if pc.significant else None]
            for pc in _cost_order(costs)]


def _cost_order(costs: list[PolicyCost]) -> list[PolicyCost]:
    """The policy costs in ``cost_rows``' order."""
    first, *others = costs
    return [first, *sorted(others, key=lambda pc: pc.adds is None)]


def _chart_name(pc, lang: str) -> str:
    """A policy as a chart of costs added last names it."""
    return html.chart_name(_policy(pc.policy, lang), pc.significant, lang)


def costs_chart(lang: str, costs: list[PolicyCost]) -> str:
    """Each policy's cost added last, as bars; a bar smaller than its proven gap named not significant (its
    '0 M' may not be 0, nor a '15 M' 15), and the policies no plan can do without, which have no such cost and
    no bar, named under the chart."""
    costs = [pc for pc in costs if pc.policy != NO_POLICY]
    shown = [pc for pc in costs if pc.adds is not None]
    chart = html.bar_chart(label("brief.costs.chart", lang), [_chart_name(pc, lang) for pc in shown],
                           {label("col.adds", lang): [pc.adds.value for pc in shown]}, y_format="usd_m", width=960,
                           height=360)
    notes = [label("brief.costs.chart.gap", lang)] if any(not pc.significant for pc in shown) else []
    needed = [_policy(pc.policy, lang) for pc in costs if pc.adds is None]
    if needed:
        notes.append(label("brief.costs.chart.needed", lang, policies=L.words_list(needed, lang)))
    return chart + "".join(_p(n, "note") for n in notes)


def costs_section(b: Brief, lang: str, costs: list[PolicyCost]) -> list[str]:
    rows = cost_rows(b, lang, costs)
    table = html.table([label("col.policy", lang), label("col.status", lang), label("col.cost_without", lang),
                        label("col.adds", lang), label("col.adds_share", lang), label("col.proven", lang),
                        label("col.significance", lang)],
                       [[p, s, base, adds, html.fmt(share, "percent", digits),
                         "\u2013" if lo is None else html.usd_m_range(lo, hi), sig]
                        for p, s, base, adds, share, lo, hi, sig, digits in rows],
                       formats=["text", "text", "usd_m", "usd_m", "percent", "text", "text"])
    chart = costs_chart(lang, costs)
    plan, none = b.strategy.evaluation.costs_usd, b.no_policy.evaluation.costs_usd
    parts = html.table([label("col.part", lang), label("col.plan_usd", lang), label("col.no_policy_usd", lang),
                        label("col.difference", lang), label("col.what", lang)],
                       [[L.cost_part(p, lang), plan[p], none[p], plan[p] - none[p], L.cost_note(p, lang)]
                        for p in COST_PARTS if plan[p] or none[p]],
                       formats=["text", "usd_m", "usd_m", "usd_m", "text"])
    return [table, chart, f"<h3>{html.esc(label('brief.costs.parts', lang))}</h3>{parts}"]


def china_rows(b: Brief, lang: str) -> list[list]:
    """One row per source and mineral-year: the long form of who replaces China (workbook).  A supply option
    by its route ('Australia → Korea': where it is mined and refined) and its id, no more columns than
    one page's width holds (its name, mined in and refined in printed the sheet two pages wide)."""
    d = b.data
    return [[L.mineral_name(d, r.mineral, lang), r.year, r.china_no_policy_t, r.china_plan_t, -r.china_lost_t,
             _source(b, s.kind, s.item, lang, with_id=False), s.item, s.change_t]
            for r in replacements(b) for s in r.sources]


def china_section(b: Brief, lang: str) -> list[str]:
    """Year by year China's change against no policy, signed: in a year where the plan buys more from China
    than no policy (to stock it), 'China loses -276 t' read as a loss."""
    rows = [[L.mineral_name(b.data, r.mineral, lang), r.year, -r.china_lost_t, _replaced_by(b, r, lang, None),
             r.unmet_t if r.unmet_t > 0 else None] for r in replacements(b)]
    return [html.table([label("word.mineral", lang), label("word.year", lang), label("col.china_change", lang),
                        label("col.others_change", lang), label("col.unmet", lang)], rows,
                       formats=["text", "year", "t", "text", "t"], signed_columns=frozenset({2}))]


def china_cap_over_minerals(b: Brief, year: int) -> float | None:
    """The plan's China caps over minerals, each mineral's own weighted as the plan's China share is: the line
    its total keeps under.  The all-minerals cap alone is not: mineral rows loosen it (the default's rare
    earths in 2030, graphite and nickel after), and the total drew above it (74% against 70% in 2026, 67%
    against 50% in 2035) in a plan that meets every cap."""
    return limit_over_minerals(b.data, b.strategy.evaluation, b.data.minerals, year, "china_share", "china_cap_share")


def exposure_section(b: Brief, lang: str) -> list[str]:
    d, y = b.data, b.year
    years = _years(b)
    plan, none = b.strategy.evaluation, b.no_policy.evaluation
    risks = stage_risk(d, b.strategy.plan, plan)
    rows = []
    for m in d.minerals:
        mi = plan.indicators[m, y]
        top, share = mi.top_country
        rows.append([L.mineral_name(d, m, lang), *[plan.indicators[m, yy].china_share for yy in years],
                     none.indicators[m, y].china_share,
                     "\u2013" if top is None else f"{L.country_name(d, top, lang)} {pct(share)}",
                     risks[m, y, MINING].hhi, risks[m, y, REFINING].hhi, mineral_sr(risks, m, y)])
    table = html.table([label("word.mineral", lang), *[label("col.china_year", lang, year=yy) for yy in years],
                        label("col.no_policy_year", lang, year=y), label("col.top_country", lang, year=y),
                        label("col.hhi_mining", lang, year=y), label("col.hhi_refining", lang, year=y),
                        label("col.sr_year", lang, year=y)], rows,
                       formats=["text", *["percent"] * len(years), "percent", "text", "number", "number", "number"])
    chart = html.line_chart(label("brief.exposure.chart", lang, basis=label(f"basis_word.{d.settings.reliance_basis}", lang)), [
        html.Series(label("word.plan", lang), [(yy, over_minerals(plan, d.minerals, yy, "china_share"))
                                              for yy in d.years], color=html.color_of("KOR")),
        html.Series(label("word.no_policy", lang), [(yy, over_minerals(none, d.minerals, yy, "china_share"))
                                                   for yy in d.years], color=html.color_of("CHN")),
        html.Series(label("word.cap_weighted", lang), [(yy, china_cap_over_minerals(b, yy)) for yy in d.years],
                    dashed=True, color="#C00000")], y_format="percent", width=960, height=340)
    return [chart, table]


def stop_section(b: Brief, lang: str) -> list[str]:
    rows = [r[:-1] for r in disruption_rows(b, lang)]
    if not rows:
        return [_p(label("brief.q.stop.none", lang))]
    names = [L.disruption_name(b.data, x.plan.scenario, lang, year_first=True) for x in disruptions(b)]
    chart = html.bar_chart(label("brief.stop.chart", lang), names,
                           {label("word.plan", lang): [r[2] for r in rows],
                            label("word.no_policy", lang): [r[3] for r in rows]}, y_format="usd_m", stacked=False,
                           width=960, height=380, colors=[html.color_of("KOR"), html.color_of("CHN")],
                           label_lines=6)  # each event named whole, its year with it: rotated, they were cut
    table = html.table([label("col.event", lang), label("col.probability", lang), label("col.cost_plan", lang),
                        label("col.cost_no_policy", lang), label("col.saved", lang), label("col.lost", lang),
                        label("col.spot", lang), label("col.from_stock", lang), label("col.unmet", lang)], rows,
                       formats=["text", "probability", "usd_m", "usd_m", "usd_m", "t", "t", "t", "t"])
    return [chart, table]


# The measure each limit of a stand-in pair limits (named inside a sentence by brief.standin.<measure>).
MEASURE_OF = {"china_cap_share": "china_share", "single_country_cap_share": "top_country_share"}
MEASURES = ("china_share", "china_share_mining", "china_share_refining", "top_country_share", "recycling_share",
            "stockpile_days", "hhi", "sr")


def definitions_section(b: Brief, lang: str) -> list[str]:
    return [html.table([label("col.measure", lang), label("col.definition", lang)],
                       [[L.measure(n, lang), L.definition(n, lang, b.data.settings.reliance_basis)] for n in MEASURES],
                       formats=["text", "text"])]


def build_brief_html(b: Brief, lang: str, workbook: str, sha: str, version: str) -> str:
    st = b.data.settings
    costs = policy_costs(b)
    title = label("brief.title", lang, workbook=workbook)
    subtitle = label("brief.subtitle", lang, first=st.first_year, last=st.last_year, price_year=st.price_year,
                     rate=pct(st.discount_rate), plans=len(b.cases), sha=sha[:12])
    answers = (f'<section><h2>{html.esc(label("brief.answers", lang))}</h2><div class="answers">'
               + cost_answer(b, lang, costs) + china_answer(b, lang) + exposure_answer(b, lang) + stop_answer(b, lang)
               + open_answer(b, lang) + "</div>" + assumptions(b, lang) + "</section>")
    sections = [(label("brief.sec.map", lang, year=b.year), [mineral_map(b, m, lang) for m in b.data.minerals]),
                (label("brief.sec.costs", lang), costs_section(b, lang, costs)),
                (label("brief.sec.china", lang), china_section(b, lang)),
                (label("brief.sec.exposure", lang), exposure_section(b, lang)),
                (label("brief.sec.stop", lang), stop_section(b, lang))]
    if b.alternatives is not None and b.alternatives.ranges:
        sections.append((label("brief.sec.open", lang, slack=pct(SLACK)), [html.table(
            [label("col.decision", lang), label("col.least_cost", lang), label("col.low", lang),
             label("col.high", lang), label("col.room", lang)], open_rows(b, lang), formats=["text"] * 5)]))
    sections.append((label("brief.sec.definitions", lang), definitions_section(b, lang)))
    return html.page(title, subtitle, [], sections, lang=lang, answers=answers,
                     footer=label("brief.footer", lang, version=version))


# ---- the workbook ----------------------------------------------------------------------------------

def _sheet(wb: Workbook, key: str, lang: str, headers: list[str], rows: list[list], formats: list[str],
           widths: list[int] | None = None):
    """A sheet with a header row, typed rows in their number formats, long text wrapped.  A column of text after
    a column of numbers stands apart from them (``APART``), header and text alike: printed, the Costs sheet read
    '2,137.2significant' and '0.3not significant'."""
    ws = wb.create_sheet(label(key, lang)[:31])
    apart = apart_columns(formats)
    for j, h in enumerate(headers, start=1):
        c = put(ws, 1, j, html.unit_whole(h))  # printed, the Korean Disruptions' '전략 계획 비용 (USD' over 'M)'
        c.fill, c.font = HEADER_FILL, HEADER_FONT
        c.alignment = (APART if j in apart else Alignment()) + Alignment(vertical="center", wrap_text=True)
    for i, row in enumerate(rows, start=2):
        for j, (v, f) in enumerate(zip(row, formats), start=1):
            c = put(ws, i, j, v)
            if f:
                c.number_format = f
            elif isinstance(v, str) and len(v) > 40:
                c.alignment = (APART if j in apart else Alignment()) + Alignment(wrap_text=True, vertical="top")
            elif j in apart and isinstance(v, str):
                c.alignment = APART
    for j, h in enumerate(headers, start=1):
        longest = max([_width(h) / 1.6] + [_width(r[j - 1]) for r in rows if j - 1 < len(r)])
        ws.column_dimensions[get_column_letter(j)].width = (widths[j - 1] if widths else
                                                             max(10, min(60, longest + 3)))
    ws.freeze_panes = "B2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    return ws


def _width(v) -> float:
    """Characters a value needs in a column (``text_width``); numbers as their formatted digits."""
    if v is None:
        return 0
    if isinstance(v, (int, float)):
        return len(f"{v:,.1f}") + 1
    return text_width(str(v))


def build_brief_workbook(b: Brief, lang: str, info: list[tuple[str, object]], workbook: str) -> Workbook:
    d, st = b.data, b.data.settings
    pcs = policy_costs(b)
    wb = Workbook()
    ws = wb.active
    ws.title = label("sheet.answers", lang)[:31]
    put(ws, 1, 1, label("brief.title", lang, workbook=workbook)).font = TITLE_FONT
    put(ws, 2, 1, label("brief.subtitle", lang, first=st.first_year, last=st.last_year, price_year=st.price_year,
                        rate=pct(st.discount_rate), plans=len(b.cases), sha=str(dict(info).get("input_sha256",
                                                                                         ""))[:12]))
    r = 4
    for heading, value in _answer_lines(b, lang, pcs):
        if heading and r > 4:
            r += 1  # a blank row between the answers
        put(ws, r, 1, heading).font = Font(bold=True)
        put(ws, r, 1, heading).alignment = Alignment(wrap_text=True, vertical="top")
        c = put(ws, r, 2, value)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        # LibreOffice and Excel keep a row one line high unless told: ANSWER_WIDTH characters a line.
        ws.row_dimensions[r].height = 15 * max(1, math.ceil(_width(value) / ANSWER_WIDTH),
                                               math.ceil(_width(heading) / 26))
        r += 1
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = ANSWER_WIDTH + 4

    rows = cost_rows(b, lang, pcs)
    costs = _sheet(wb, "sheet.costs", lang, [
        label("col.policy", lang), label("col.status", lang), label("col.cost_without", lang), label("col.adds", lang),
        label("col.adds_share", lang), label("col.proven_low", lang), label("col.proven_high", lang),
        label("col.significance", lang)],
        [[p, s, _m(base), _m(adds), share, _m(lo), _m(hi), sig] for p, s, base, adds, share, lo, hi, sig, _digits
         in rows], ["", "", USD_M, USD_M, PCT, USD_M, USD_M, ""])
    for i, digits in enumerate((r[-1] for r in rows), start=2):
        if digits is not None:
            costs.cell(i, 5).number_format = pct_format(digits)
    n = 1 + len(list(itertools.takewhile(lambda r: r[3] is not None, rows)))  # the rows with a cost
    if n > 2:  # each policy added last; the total (the first row) would dwarf them
        # The chart's names under the table, as the page's chart says them (the Policy column keeps the name).
        top = costs.max_row + 2
        put(costs, top, 1, label("brief.costs.chart", lang)).font = Font(bold=True)
        for i, pc in enumerate(_cost_order(pcs)[1:n - 1], start=top + 1):
            put(costs, i, 1, _chart_name(pc, lang))
        bar = BarChart()
        bar.type, bar.title = "bar", label("brief.costs.chart", lang)
        bar.add_data(Reference(costs, min_col=4, min_row=3, max_row=n))
        bar.set_categories(Reference(costs, min_col=1, min_row=top + 1, max_row=top + n - 2))
        bar.y_axis.number_format = "#,##0"
        costs.add_chart(_names_left(finish_chart(bar, 22, plot_cm=8)), f"A{costs.max_row + 3}")

    plan, none = b.strategy.evaluation.costs_usd, b.no_policy.evaluation.costs_usd
    _sheet(wb, "sheet.parts", lang, [label("col.part", lang), label("col.plan_usd", lang),
                                     label("col.no_policy_usd", lang), label("col.difference", lang),
                                     label("col.what", lang)],
           [[L.cost_part(p, lang), _m(plan[p]), _m(none[p]), _m(plan[p] - none[p]), L.cost_note(p, lang)]
            for p in COST_PARTS], ["", USD_M, USD_M, USD_M, ""])

    _sheet(wb, "sheet.china", lang, [
        label("word.mineral", lang), label("word.year", lang),
        label("col.china_t", lang, plan=label("word.no_policy", lang)),
        label("col.china_t", lang, plan=label("word.plan", lang)),
        label("col.china_change", lang), label("col.source", lang), label("col.source_id", lang),
        label("col.change", lang)],
        china_rows(b, lang), ["", "0", T, T, T, "", "", T])

    ex = _sheet(wb, "sheet.exposure", lang, [
        label("col.measure", lang), label("col.definition", lang), *[str(y) for y in _years(b)],
        label("col.target_year", lang, year=b.year), label("col.no_policy_year", lang, year=b.year)],
        exposure_rows(b, lang), [""] * (len(_years(b)) + 4), widths=[30, 60] + [14] * (len(_years(b)) + 2))
    top = ex.max_row + 2
    for j, h in enumerate([label("word.year", lang), label("word.plan", lang), label("word.no_policy", lang),
                           label("word.cap_weighted", lang)], start=1):
        put(ex, top, j, h).font = Font(bold=True)
    for i, y in enumerate(d.years, start=top + 1):
        put(ex, i, 1, y)
        for j, v in enumerate([over_minerals(b.strategy.evaluation, d.minerals, y, "china_share"),
                               over_minerals(b.no_policy.evaluation, d.minerals, y, "china_share"),
                               china_cap_over_minerals(b, y)], start=2):
            put(ex, i, j, v).number_format = PCT
    line = LineChart()
    line.title = label("brief.exposure.chart", lang, basis=label(f"basis_word.{d.settings.reliance_basis}", lang))
    line.add_data(Reference(ex, min_col=2, max_col=4, min_row=top, max_row=top + len(d.years)),
                  titles_from_data=True)
    line.set_categories(Reference(ex, min_col=1, min_row=top + 1, max_row=top + len(d.years)))
    line.y_axis.number_format = "0%"
    line.y_axis.scaling.min, line.y_axis.scaling.max = 0, 1
    for series, colour in zip(line.series, ("0072B2", "D55E00", "C00000")):
        series.graphicalProperties.line.solidFill = colour
    line.series[2].graphicalProperties.line.dashStyle = "dash"
    ex.add_chart(finish_chart(line, 18), f"F{top}")

    routes = []
    for key, res in ((label("word.no_policy", lang), b.no_policy), (label("word.plan", lang), b.strategy)):
        for m in d.minerals:
            for y in d.years:
                for (a, c), t in sorted(routes_t(res, m, y).items()):
                    routes.append([key, L.mineral_name(d, m, lang), y, a, L.country_name(d, a, lang), c,
                                   L.country_name(d, c, lang), t])
    _sheet(wb, "sheet.routes", lang, [label("col.plan", lang), label("word.mineral", lang), label("word.year", lang),
                                      "ISO", label("word.mined_in", lang), "ISO", label("word.refined_in", lang),
                                      label("col.tonnes", lang)], routes, ["", "", "0", "", "", "", "", T])

    rows = disruption_rows(b, lang)
    if rows:
        dis = _sheet(wb, "sheet.disruptions", lang, [
            label("col.event", lang), label("res.col.scenario_id", lang), label("col.probability", lang),
            label("col.cost_plan", lang), label("col.cost_no_policy", lang), label("col.saved", lang),
            label("col.lost", lang), label("col.spot", lang), label("col.from_stock", lang), label("col.unmet", lang)],
            [[e, key, p, _m(a), _m(c), _m(s), lost, spot, stock, unmet]
             for e, p, a, c, s, lost, spot, stock, unmet, key in rows],
            ["", "", "0.000", USD_M, USD_M, USD_M, T, T, T, T])
        bar = BarChart()
        bar.type, bar.grouping, bar.title = "bar", "clustered", label("brief.stop.chart", lang)
        # The costs with the plan and with no policy (columns D and E, after the event, its id and probability).
        bar.add_data(Reference(dis, min_col=4, max_col=5, min_row=1, max_row=len(rows) + 1), titles_from_data=True)
        bar.set_categories(Reference(dis, min_col=1, min_row=2, max_row=len(rows) + 1))
        for series, colour in zip(bar.series, ("0072B2", "D55E00")):
            series.graphicalProperties.solidFill = colour
        bar.y_axis.number_format = "#,##0"
        dis.add_chart(_names_left(finish_chart(bar, 22, plot_cm=8)), f"A{len(rows) + 4}")
    if b.alternatives is not None and b.alternatives.ranges:
        _sheet(wb, "sheet.open", lang, [label("col.decision", lang), label("col.least_cost", lang),
                                        label("col.low", lang), label("col.high", lang), label("col.room", lang)],
               open_rows(b, lang), [""] * 5)
    _sheet(wb, "sheet.definitions", lang, [label("col.measure", lang), label("col.definition", lang)],
           [[L.measure(n, lang), L.definition(n, lang, d.settings.reliance_basis)] for n in MEASURES],
           ["", ""], widths=[30, 110])
    run = [[k, run_value(v, lang)] for k, v in info]
    facts = _sheet(wb, "sheet.run", lang, [label("col.name", lang), label("col.value", lang)], run, ["", ""],
                   widths=[34, 90])
    format_run_values(facts, run)  # each number in its unit's format, as every study's Run sheet
    make_printable(wb)
    ws.page_setup.orientation = "portrait"  # the answers read down one A4 page
    return wb


def _names_left(ch):
    """A horizontal bar chart's plot moved right, so that long category names fit on its left, drawn at the
    plot's left edge: beside the axis, where it crosses 0, they lay over the bars whenever a value is
    negative (a policy that saves money)."""
    ch.layout.manualLayout.x, ch.layout.manualLayout.w = 0.36, 0.6
    ch.x_axis.tickLblPos = "low"
    return ch


def _m(x: float | None) -> float | None:
    return None if x is None else x / 1e6


# ---- what the command line prints, what the .json holds ------------------------------------------

def answer_lines(b: Brief, lang: str) -> list[tuple[str, str]]:
    """The answers as (question, line) pairs, the question on its first line only: what ``planner brief``
    prints."""
    return _answer_lines(b, lang, policy_costs(b))


def _answer_lines(b: Brief, lang: str, costs: list[PolicyCost]) -> list[tuple[str, str]]:
    """The answers as ``answer_lines`` gives them, from the policy costs already computed (the Answers sheet
    shares them with the Costs sheet)."""
    st, sep = b.data.settings, label("word.sep", lang)
    total = next(pc for pc in costs if pc.policy == NO_POLICY)
    head = (f"{usd_m(total.adds.value, True)} {label('brief.q.cost.unit', lang, pct=pct(total.share, sign=True))}, "
            f"{_significance(total, lang)}" if total.adds else _significance(total, lang))
    lines = [head, label("brief.q.cost.each", lang)] + [f"{_policy(pc.policy, lang)}: "
                      f"{usd_m(pc.adds.value, True) + ', ' if pc.adds else ''}{_significance(pc, lang)}"
                      for pc in costs if pc.policy != NO_POLICY]
    out = _asked(label("brief.q.cost", lang), lines + [standin_sentence(b, lang, costs)])
    reps = [r for r in replacements(b, [b.year]) if r.china_lost_t > 0]
    out += _asked(label("brief.q.china", lang, year=b.year), [
        f"{tonnes(sum(r.china_lost_t for r in reps))} {label('brief.q.china.unit', lang, year=b.year)}"] + [
        f"{L.mineral_name(b.data, r.mineral, lang)} {tonnes(r.china_lost_t)}: {_replaced_by(b, r, lang)}"
        + (f"{sep}{label('word.unmet', lang)} {tonnes(r.unmet_t)}" if r.unmet_t > 0 else "") for r in reps]
        if reps else [label("brief.q.china.none", lang, year=b.year)])
    years = _years(b)
    out += _asked(label("brief.q.exposure", lang), [
        f"{name}: " + " | ".join(f"{y}: {v}" for y, v in zip(years, values)) + f" | {label('word.target', lang)}: "
        f"{values[len(years)]} | {label('word.no_policy', lang)} {b.year}: {values[len(years) + 1]}"
        for name, _definition, *values in exposure_rows(b, lang)])
    out += _asked(label("brief.q.stop", lang), [
        label("brief.stop.line", lang, event=L.disruption_name(b.data, x.plan.scenario, lang),
              plan=usd_m(x.plan.cost_usd),
              none="\u2013" if x.no_policy is None else usd_m(x.no_policy.cost_usd))
        for x in disruptions(b)[:TOP_DISRUPTIONS]] or [label("brief.q.stop.none", lang)])
    study = b.alternatives
    if study is not None and study.ranges:
        open_lines = [" ".join(_open_headline(study, lang))]
    else:
        open_lines = [label("brief.q.open.none", lang)]
    out += _asked(label("brief.q.open", lang), open_lines)
    out += _asked(label("brief.assumptions", lang), [label("brief.assume.usd", lang, price_year=st.price_year,
                                                           first=st.first_year, last=st.last_year,
                                                           rate=pct(st.discount_rate)),
                                                     L.estimates_note(b.data, lang)])
    return [(q, line.replace(NBSP, " ")) for q, line in out]


def _asked(question: str, lines: list[str]) -> list[tuple[str, str]]:
    lines = [line for line in lines if line]
    return [(question if i == 0 else "", line) for i, line in enumerate(lines)]


def headline_facts(b: Brief) -> list[tuple[str, object]]:
    """The brief's headline for the .json and the Run sheet, as every study's: the plan it presents (the
    strategy), then its figures in USD of the price year, present value, with their proven ranges."""
    out = [*outcome(b.strategy.plan.stats), ("brief_year", b.year),
           ("strategy_cost_usd", b.strategy.evaluation.total_usd), ("no_policy_cost_usd", b.no_policy.evaluation.total_usd)]
    for pc in policy_costs(b):
        name = "strategy_vs_no_policy" if pc.policy == NO_POLICY else f"adds {pc.policy}"
        out += proven_range(name, pc.adds) if pc.adds else [(f"{name}_usd", None),
                                                             (f"{name}_status", L.run_status(pc.status))]
    return out


def brief_files(b: Brief, lang: str, info: list[tuple[str, object]], workbook: str, sha: str,
                version: str) -> tuple[bytes, bytes]:
    """The .xlsx and the .html of the brief."""
    xlsx = workbook_bytes(build_brief_workbook(b, lang, info, workbook))
    page = build_brief_html(b, lang, workbook, sha, version)
    return xlsx, page.encode("utf-8")

