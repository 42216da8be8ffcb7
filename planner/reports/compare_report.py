"""The comparison reports of ``planner compare``: ``<stem>-compare.xlsx`` and ``<stem>-compare.html``, in
English or Korean.

Both are built from the same verified results (``planner.studies.compare.CaseResult``); every indicator is
shown for each case and as a change from the base.  Per scenario: the workbook cells it changes against
the base (sheet, cell, old, new) beside the outputs that moved, and who replaces whom with the unmet
tonnes beside the tonnes gained and lost.  The page states what every case assumes (perfect foresight,
or with --hedged, of its case's changes only: its plan decided before knowing which disruption comes; the
stockpile floor kept, USD of the price year).  ``compare --policies`` adds the price of each
policy (``planner.studies.policies``): a Policies sheet and section.  ``compare --hedged`` headlines each case by
what its hedged plan was decided and proven on (expected cost, with CVaR if weighted), its change with the proven
range that judges it, and the cost if nothing happens beside it, unproven.  Every word comes from
``planner.reports.labels``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference

from models.dataset import STAGES
from models.plan import Relaxation, is_cap
from planner.indicators import StageRisk, limit_over_minerals, over_minerals, partner_tonnes, stage_risk
from planner.reports import html
from planner.reports import labels as L
from planner.reports.html import nonzero_decimals, tonnes, usd_m
from planner.reports.labels import EN, family_name, label
from planner.reports.plan_report import definitions_table
from planner.reports.plan_workbook import (
    DAYS, GAP, INT, PCT, RISK, T, USD, Col, chart_rows, finish_chart, make_printable, pct_format, sheet_name,
    significance, study_files, write_definitions, write_run_sheet, write_table, yes,
)
from planner.reports.runinfo import outcome, proven_range
from planner.studies.compare import (
    BASE, USED_T, CaseResult, china_value_share, cuts_supply, decided_stats, hedged_change, hedged_objective,
    proven_gap_usd, relative_change, supply_by_origin_t, year_most_changed,
)
from planner.studies.policies import NO_POLICY, PolicyPrices, Price, columns_set, target_year
from planner.studies.story import COUNTRY, OPTION, RECYCLING, STOCK, UNMET, Change, supplier_story
from planner.verify import COST_PARTS, purchases_by_origin_usd
from planner.workbook import schema as S
from planner.workbook.scenarios import CellChange, changed_cells
from planner.workbook.writer import put

CAP_RED = "#C00000"
TOP_COUNTRIES = 8  # the supply-mix chart groups the rest as "other"
SHARE_MOVED = 0.005  # a mineral's China share that moves more than this between cases gets its own chart


def _higher_stage(risk: dict[str, StageRisk], field: str):
    values = [getattr(risk[g], field) for g in STAGES if getattr(risk[g], field) is not None]
    return max(values) if values else None


# Indicators per mineral and year: (name, unit format, (MineralYear, {stage: StageRisk}) -> value); each one's
# words are the catalogue's compare.indicator.<name>.
INDICATORS = [
    ("china_share", PCT, lambda mi, rk: mi.china_share),
    ("avg_risk", RISK, lambda mi, rk: mi.avg_risk),
    ("recycling_share", PCT, lambda mi, rk: mi.recycling_share),
    ("stockpile_days", DAYS, lambda mi, rk: mi.stockpile_days),
    ("unmet_t", T, lambda mi, rk: mi.unmet_t),
    ("supply_risk_sr", RISK, lambda mi, rk: _higher_stage(rk, "sr")),
    ("hhi_mining", RISK, lambda mi, rk: rk["mining"].hhi),
    ("hhi_refining", RISK, lambda mi, rk: rk["refining"].hhi),
    ("import_reliance_refining", PCT, lambda mi, rk: rk["refining"].import_reliance),
    ("geopolrisk", RISK, lambda mi, rk: _higher_stage(rk, "geopolrisk")),
]


def indicator_values(r: CaseResult) -> dict[str, dict[tuple[str, int], object]]:
    """Every indicator of a verified case: name -> (mineral, year) -> value."""
    d, ev = r.case.data, r.evaluation
    risks = stage_risk(d, r.plan, ev)
    return {name: {(m, y): f(ev.indicators[m, y], {g: risks[m, y, g] for g in STAGES})
                   for m in d.minerals for y in d.years} for name, _, f in INDICATORS}


def _delta(value, base):
    return None if value is None or base is None else value - base


def case_name(name: str, lang: str = EN) -> str:
    """A case as a reader knows it: a scenario by its workbook name; the base, no policy, and compare
    --policies' 'X alone' and 'all but X' in words."""
    if name == BASE:
        return label("compare.base", lang)
    if name == NO_POLICY:
        return label("word.no_policy", lang)
    if name.endswith(" alone"):
        return label("compare.alone", lang, limit=L.limit_name(name.removesuffix(" alone"), lang))
    if name.startswith("all but "):
        return label("compare.all_but", lang, limit=L.limit_name(name.removeprefix("all but "), lang))
    return name


def case_cell(name: str, lang: str = EN) -> str:
    """A case in a table's first column: its id, the .json's key, in English; in Korean, a case the study made
    (the base, no policy, 'X alone', 'all but X') in words, a scenario by its workbook name."""
    return name if lang == EN else case_name(name, lang)


def case_title(case, lang: str = EN) -> str:
    """A case for a sentence, a heading or a table's first column: a scenario by the first words of its Scenarios
    description where that is in ``lang``, else by what its rows change (``labels.what_if_name``), its name in
    brackets ('China stops gallium exports from 2026 (gallium_ban)', '중국 갈륨 공급 중단 (gallium_ban)');
    otherwise as ``case_name``.  A column header and a chart's bars, axis and legend keep ``case_name``'s short
    form, as a sentence would not fit there; a chart's title, which wraps at words, takes this one."""
    name = case_name(case.name, lang)
    if name != case.name:
        return name
    if case.description and (lang == EN) != L.is_korean(case.description):
        words = L.clause(case.description)
    else:
        words = L.what_if_name(case.data, case.changes, lang)
    return f"{words} ({case.name})" if words else name


# ---- the headline sentence of each case --------------------------------------------------------

def tolerance_usd(base: CaseResult, r: CaseResult) -> float:
    """How far apart two plans' costs can be by the solver's tolerance alone: their proven gaps together."""
    return proven_gap_usd(base.plan) + proven_gap_usd(r.plan)


def significant(base: CaseResult, r: CaseResult) -> bool:
    """Whether the case's cost differs from the base's by more than the two plans' proven gaps; compare --hedged:
    whether its hedged objective's change, the headline, has a proven range that leaves out 0."""
    if _hedged(base, r):
        return hedged_change(base, r).significant
    return abs(r.evaluation.total_usd - base.evaluation.total_usd) > tolerance_usd(base, r)


def _hedged(*results: CaseResult) -> bool:
    """compare --hedged, every one of ``results`` with its plans tested (a case without a plan has none)."""
    return all(r.tested is not None for r in results)


def is_hedged(results: list[CaseResult]) -> bool:
    """Whether the comparison is compare --hedged's: some case has its plans tested against the disruptions."""
    return any(r.tested is not None for r in results)


def objective_name(d, lang: str = EN) -> str:
    """compare --hedged: what each hedged plan was decided on, in words: the expected cost, with CVaR where
    Settings cvar_weight is above 0."""
    weight = d.settings.cvar_weight
    return (label("compare.objective.cvar", lang, weight=f"{weight:g}") if weight > 0
            else label("compare.objective.neutral", lang))


def _hedged_cost_words(base: CaseResult, r: CaseResult, name: str, lang: str) -> str:
    """compare --hedged: the change of the hedged objective with its proven range and significance, then the
    change of the cost if nothing happens beside it (no proof: neither plan was chosen for it)."""
    d = r.case.data
    change = hedged_change(base, r)
    share = relative_change(change.value, hedged_objective(base).value)
    text = label("compare.story.hedged_cost", lang, case=name, objective=objective_name(d, lang),
                 usd=usd_m(change.value, True), pct=_share_words(share, change.significant),
                 first=d.settings.first_year, last=d.settings.last_year,
                 low=html.fmt(change.low, "usd_m", 3, sign=True).removesuffix(" M"),
                 high=html.fmt(change.high, "usd_m", 3, sign=True).removesuffix(" M"))
    if not change.significant:
        text += label("compare.story.hedged_not_significant", lang)
    return text + label("compare.story.if_calm", lang, usd=usd_m(r.evaluation.total_usd - base.evaluation.total_usd,
                                                                  True))


def change_share(share: float | None, proven: bool) -> str:
    """A change of cost as a share of the base's, signed: a change the solves prove (significant) that would
    round to 0% shows its first digit (USD 4.83 M on USD 48,316 M is +0.01%, not 0%; ``html.nonzero_decimals``),
    as the brief's shares do; one within the proven gaps reads as the usual digits give it."""
    return html.fmt(share, "percent", html.nonzero_decimals(share, "percent") if proven else None, sign=True)


def _share_words(share: float | None, proven: bool) -> str:
    return "" if share is None else f" ({change_share(share, proven)})"


def narrative(base: CaseResult, r: CaseResult, lang: str = EN) -> str:
    """One sentence in numbers: what the case changed and what it costs."""
    d = r.case.data
    name, first, last = case_title(r.case, lang), d.settings.first_year, d.settings.last_year
    if r.relaxations:
        return label("compare.story.no_plan", lang, case=name, why=relaxation_words(r.relaxations, lang))
    if not r.ok:
        return label("compare.story.no_plan", lang, case=name, why=L.reason(r.why, lang) or L.status(r.status, lang))
    if not base.ok and _hedged(r):
        return label("compare.story.hedged_base_no_plan", lang, case=name, objective=objective_name(d, lang),
                     usd=usd_m(hedged_objective(r).value), first=first, last=last)
    if not base.ok:
        return label("compare.story.base_no_plan", lang, case=name, usd=usd_m(r.evaluation.total_usd),
                     first=first, last=last)
    if _hedged(base, r):
        text = _hedged_cost_words(base, r, name, lang)
    else:
        delta = r.evaluation.total_usd - base.evaluation.total_usd
        share = relative_change(delta, base.evaluation.total_usd)
        text = label("compare.story.cost", lang, case=name, usd=usd_m(delta, True), first=first, last=last,
                     pct=_share_words(share, significant(base, r)))
        if not significant(base, r):
            text += label("compare.story.not_significant", lang, gap=usd_m(tolerance_usd(base, r)))
    sep = label("word.sep", lang)
    focus = r.case.minerals if len(r.case.minerals) <= 3 else []
    year = r.case.first_year or year_most_changed(base, r, focus)
    for m in focus:
        unmet = r.evaluation.indicators[m, year].unmet_t
        later = {y: r.evaluation.indicators[m, y].unmet_t for y in d.years if y > year}
        if cuts_supply(d, m) or unmet > USED_T or sum(later.values()) > USED_T:
            text += _disruption_words(d, r, m, year, unmet, later, lang)
        else:  # a policy, price or demand change: who gained and lost against the base
            story = [c for c in case_story(base, r, [m]) if c.kind in (OPTION, RECYCLING, STOCK)]
            # The scenario's first year, or the year that changed most if that one did not.
            shown = year if any(c.year == year for c in story) else max(
                {c.year for c in story}, key=lambda y: sum(abs(c.change_t) for c in story if c.year == y), default=year)
            changes = [c for c in story if c.year == shown]
            if changes:
                text += sep + label("compare.story.moves", lang, mineral=L.mineral_name(d, m, lang), year=shown,
                                    moves=", ".join(f"{item_name(d, c, lang)} {tonnes(c.change_t, True)}"
                                                    for c in changes[:4]))
    y = target_year(d)
    shares = [over_minerals(x.evaluation, d.minerals, y, "china_share") for x in (r, base)]
    if not focus and None not in shares:
        text += sep + label("compare.story.china", lang, year=y, share=html.pct(shares[0]), base=html.pct(shares[1]))
    return text + label("compare.story.end", lang)


def relaxation_words(relaxations, lang: str = EN, limit: int = 3, note: Callable[[Relaxation], str] = lambda r: ""
                     ) -> str:
    """What an infeasible case must move, the first few limits in words with their cells; after each, the
    words ``note`` gives it (a sweep's: the value in force is the sweep's, not the cell's)."""
    parts = [label("compare.relax.cap" if is_cap(r.family) else "compare.relax.min", lang, cell=r.cell,
                   limit=family_name(r.family, lang),
                   mineral=L.mineral_name_id(r.mineral_id, lang), year=r.year,
                   value=L.limit_value(r.needed, r.unit, lang)) + note(r)
             for r in sorted(relaxations, key=lambda r: (r.mineral_id, r.year, r.family))[:limit]]
    more = label("compare.relax.more", lang, n=len(relaxations) - limit) if len(relaxations) > limit else ""
    return label("compare.relax", lang, parts=label("word.sep", lang).join(parts), more=more)


def _disruption_words(d, r: CaseResult, m: str, year: int, unmet: float, later: dict[int, float], lang: str) -> str:
    """Where the supply came from in a disrupted year, the shortfall, and what the stock gave; then the tonnes
    left unmet in the years after it (``later``: year -> t), in the years they are (a two-year ban's 721 t of
    its second year read 'unmet in 2029-2035', as if the shortage ran to the horizon's end)."""
    sep, text = label("word.sep", lang), ""
    supply = supply_by_origin_t(d, r.plan, m, year)
    total = sum(supply.values())
    if total > 0:
        top = sorted(supply.items(), key=lambda kv: -kv[1])[:2]
        text += sep + label("compare.story.from", lang, mineral=L.mineral_name(d, m, lang), year=year, sources=", ".join(
            f"{_place(d, c, lang)} ({html.pct(t / total)})" for c, t in top))
    released = sum(r.evaluation.indicators[m, year].released_t.values())
    if unmet > USED_T:
        text += sep + label("compare.story.shortfall", lang, year=year, t=tonnes(unmet))
        if released > USED_T:
            text += label("compare.story.after_stock", lang, t=tonnes(released))
    elif released > USED_T:
        text += sep + label("compare.story.no_shortfall", lang, year=year, t=tonnes(released))
    if sum(later.values()) > USED_T:
        short = [y for y, t in later.items() if t > USED_T] or list(later)
        text += sep + label("compare.story.later", lang, t=tonnes(sum(later.values())), years=L.year_list(short, lang))
    return text


def _place(d, code: str, lang: str) -> str:
    return label("word.recycled", lang) if code == "recycled" else L.country_name(d, code, lang)


def item_name(d, c: Change, lang: str = EN, with_id: bool = True) -> str:
    """What a reader is shown for an item of the story: a country, a route with its option id, or recycling
    in Korea, the stock, unmet demand."""
    if c.kind == COUNTRY:
        return L.country_name(d, c.item, lang)
    if c.kind == OPTION:
        s = d.suppliers[c.item]
        route = L.route_name(d, s.origin_country, s.processing_country, lang)
        return f"{route} ({c.item})" if with_id else route
    return label({RECYCLING: "word.recycled", STOCK: "word.stock", UNMET: "word.unmet"}[c.kind], lang)


# ---- the workbook ---------------------------------------------------------------------------------

def summary_rows(results: list[CaseResult], lang: str = EN) -> tuple[list[Col], list[list]]:
    """One row per case: status, cost and its parts, and headline indicators in the target year, with changes
    from the base.  compare --hedged: the hedged objective first, with its proven range and the change's, then
    the cost if nothing happens and its parts (no proof: neither plan was chosen for it)."""
    base = results[0]
    d0 = base.case.data
    year = target_year(d0)
    basis = ("basis", f"@basis_word.{d0.settings.reliance_basis}")
    price = (("price_year", d0.settings.price_year),)
    hedged = is_hedged(results)
    cols = [Col("case", ""), Col("status", "", key="case_status")]
    if hedged:
        cols += [Col("hedged_objective_usd", USD, key="compare_objective_usd", values=price),
                 Col("hedged_objective_low_usd", USD), Col("delta_objective_usd", USD),
                 Col("delta_objective_low_usd", USD), Col("delta_objective_high_usd", USD),
                 Col("delta_objective_significant", ""), Col("delta_objective_pct", PCT),
                 Col("cost_if_calm_usd", USD, values=price), Col("delta_cost_if_calm_usd", USD)]
    else:
        cols += [Col("total_cost_usd", USD, values=price), Col("delta_cost_usd", USD), Col("delta_cost_pct", PCT)]
    cols += [Col(f"delta_{p}_usd", USD, key="delta_part_calm_usd" if hedged else "delta_part_usd",
                 values=(("part", f"@cost.{p}"), ("note", f"@cost_note.{p}")))
             for p in COST_PARTS]
    cols += [Col("china_value_share", PCT),
             Col(f"china_share_{year}", PCT, key="china_share_year", values=(("year", year), basis)),
             Col(f"recycling_share_{year}", PCT, key="recycling_share_year", values=(("year", year),)),
             Col(f"stockpile_days_{year}", DAYS, key="stockpile_days_year", values=(("year", year),)),
             Col(f"mean_avg_risk_{year}", RISK, key="mean_avg_risk_year", values=(("year", year),)),
             Col(f"mean_supply_risk_{year}", RISK, key="mean_supply_risk_year", values=(("year", year),)),
             Col("unmet_t", T, key="unmet_t_all"), Col("gap", GAP, key="hedged_gap" if hedged else "proven_gap")]
    cols += [] if hedged else [Col("proven_gap_usd", USD)]  # hedged: in the objective's proven range
    cols += [Col("solve_s", "0.0", key="case_solve_s"), Col("what_changed", "")]
    rows = []
    for r in results:
        d = r.case.data
        row = [case_cell(r.case.name, lang), L.status(r.status, lang)]
        if r.ok:
            ev = r.evaluation
            b = base.evaluation if base.ok else None
            row += (_hedged_cost_cells(base, r, lang) if hedged else
                    [ev.total_usd, _delta(ev.total_usd, b and b.total_usd),
                     relative_change(ev.total_usd - b.total_usd, b.total_usd) if b else None])
            row += [_delta(ev.costs_usd[p], b and b.costs_usd[p]) for p in COST_PARTS]
            values = indicator_values(r)
            row += [china_value_share(d, r.plan)]
            row += [over_minerals(ev, d.minerals, year, k) for k in ("china_share", "recycling_share",
                                                                     "stockpile_days")]
            row += [_mean(values[k], d.minerals, year) for k in ("avg_risk", "supply_risk_sr")]
            row += [sum(mi.unmet_t for mi in ev.indicators.values()), decided_stats(r).gap]
            row += [] if hedged else [proven_gap_usd(r.plan)]
        else:
            row += [None] * (len(cols) - 4)
        row += [round(r.wall_s, 2), narrative(base, r, lang) if r.case.name != BASE else label("compare.base.what",
                                                                                               lang)]
        rows.append(row)
    return cols, rows


def _hedged_cost_cells(base: CaseResult, r: CaseResult, lang: str) -> list:
    """compare --hedged, a verified case's cost columns: its hedged objective and how low the best plan's could be;
    the change from the base with its proven range, significance (none for the base itself) and share; the cost
    if nothing happens and its change."""
    own, calm = hedged_objective(r), r.evaluation.total_usd
    if not base.ok:
        return [own.value, own.low, None, None, None, None, None, calm, None]
    change = hedged_change(base, r)
    return [own.value, own.low, change.value, change.low, change.high,
            None if r is base else significance(change.significant, lang),
            relative_change(change.value, hedged_objective(base).value), calm, calm - base.evaluation.total_usd]


def _mean(values: dict[tuple[str, int], object], minerals, year: int) -> float | None:
    xs = [values[m, year] for m in minerals if values[m, year] is not None]
    return sum(xs) / len(xs) if xs else None


def indicator_rows(results: list[CaseResult], lang: str = EN) -> tuple[list[Col], list[list]]:
    """Long table: indicator, mineral, year, base value, then each scenario's value and change."""
    base, others = results[0], results[1:]
    d = base.case.data
    cols = [Col("indicator", "", key="compare_indicator"), Col("indicator_id", "", key="compare_indicator_id"),
            Col("mineral", ""), Col("year", INT), Col("base", "", key="base_value")]
    for r in others:
        name = case_name(r.case.name, lang)
        cols += [Col(r.case.name, "", key="case_value", values=(("case", name),)),
                 Col(f"delta {r.case.name}", "", key="case_delta", values=(("case", name),))]
    values = [indicator_values(r) if r.ok else None for r in results]
    rows = []
    for name, fmt, _ in INDICATORS:
        words = label(f"compare.indicator.{name}", lang)
        for m in d.minerals:
            for y in d.years:
                b = values[0][name][m, y] if values[0] else None
                row = [words, name, m, y, (b, fmt)]
                for v in values[1:]:
                    x = v[name][m, y] if v else None
                    row += [(x, fmt), (_delta(x, b), fmt)]
                rows.append(row)
    return cols, rows


STORY_COLS = [
    Col("scenario", "", key="story_case"), Col("mineral", ""), Col("year", INT), Col("kind", "", key="story_kind"),
    Col("item", "", key="story_item"), Col("label", "", key="story_label"), Col("base_t", T), Col("scenario_t", T),
    Col("change_t", T), Col("political_risk", RISK, key="story_political_risk"),
    Col("alignment", RISK, key="story_alignment"), Col("mineral_touched", ""),
]


def story_rows(name: str, changes: list[Change], d, touched, lang: str = EN) -> list[list]:
    """The supplier story as rows of STORY_COLS."""
    rows = []
    for c in changes:
        code = c.item if c.kind == COUNTRY else d.suppliers[c.item].origin_country if c.kind == OPTION else None
        scores = [d.countries[code].political_risk, d.alignment(code)] if code in d.countries else [None, None]
        rows.append([name, c.mineral, c.year, c.kind, c.item, item_name(d, c, lang, with_id=False), c.base_t,
                     c.other_t, c.change_t, *scores, yes(c.mineral in touched, lang)])
    return rows


def case_story(base: CaseResult, r: CaseResult, minerals=None) -> list[Change]:
    return supplier_story((base.case.data, base.plan, base.evaluation), (r.case.data, r.plan, r.evaluation),
                          minerals)


def supplier_rows(results: list[CaseResult], lang: str = EN) -> tuple[list[Col], list[list]]:
    base = results[0]
    rows = []
    if base.ok:
        for r in results[1:]:
            if r.ok:
                rows += story_rows(case_cell(r.case.name, lang), case_story(base, r), r.case.data,
                                   set(r.case.minerals), lang)
    return STORY_COLS, rows


INPUT_COLS = [Col("scenario", "", key="story_case"), Col("sheet", "", key="input_sheet"),
              Col("column", "", key="input_column"), Col("row", "", key="input_row"),
              Col("years", "", key="input_years"), Col("cell", "", key="input_cell"), Col("old", "", key="input_old"),
              Col("new", "", key="input_new"), Col("set_by", "", key="input_set_by")]


def _kind(c: CellChange) -> str:
    """The kind of a changed figure's column (a share, a number, yes/no ...) from the workbook's schema; a
    whole number in years (a supply option's first_year) is a year."""
    spec = S.SETTING_BY_NAME[c.key] if c.sheet == "Settings" else S.SHEET_BY_NAME[c.sheet].column(c.column)
    return S.YEAR if spec.unit == "year" else spec.kind


def _shown_value(v, kind: str, lang: str) -> str:
    """A workbook figure as a reader compares it: a share in %, a year as written (2034, not 2,034), a number
    with separators, yes/no in words, blank as a dash."""
    if isinstance(v, bool):
        return yes(v, lang)
    if v is None:
        return "\u2013"
    if isinstance(v, (int, float)):
        if kind == S.SHARE:
            return html.pct(v)
        if kind == S.YEAR:
            return html.fmt(v, "year")
        return f"{v:,.0f}" if abs(v) >= 100 or v == int(v) else f"{v:.4g}"
    return str(v)


def _run_words(values: list, kind: str, lang: str) -> str:
    """A run of years' figures in one cell: the one figure, or the first and last and between them, in the
    order they come, the lowest and highest where beyond those ('95%…75%…95%': it read '95%…95%' over a dip to
    75% in 2030); of figures not all numbers (yes/no, a blank), each other one that comes between them."""
    shown = [_shown_value(v, kind, lang) for v in values]
    if all(v == shown[0] for v in shown):
        return shown[0]
    inner = range(1, len(values) - 1)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        low, high = sorted((values[0], values[-1]))
        turns = {k for k in (min(inner, key=values.__getitem__, default=None),
                             max(inner, key=values.__getitem__, default=None))
                 if k is not None and not low <= values[k] <= high}
    else:
        turns = {k for k in inner if shown[k] not in shown[:k]}
    turns = {k for k in turns if shown[k] not in (shown[0], shown[-1])}
    return "\u2026".join(shown[k] for k in (0, *sorted(turns), len(values) - 1))


def _cells_words(cells: list[str]) -> str:
    """A run's cells in the years' order, each stretch of rows one after another as first…last and the stretches
    apart by commas ("'Policy'!C6…C10, C85"): a run whose years take the all-minerals rows for some years and
    the mineral's own for others read "'Policy'!C6…C85", as if it held the 80 rows between."""
    distinct = list(dict.fromkeys(cells))
    if "!" not in distinct[0]:
        return distinct[0]
    sheet = distinct[0].split("!")[0]
    stretches: list[list[tuple[str, int]]] = []
    for cell in distinct:
        column, row = re.fullmatch(r"([A-Z]+)(\d+)", cell.split("!")[-1]).groups()
        if stretches and stretches[-1][-1] == (column, int(row) - 1):
            stretches[-1].append((column, int(row)))
        else:
            stretches.append([(column, int(row))])
    words = [f"{s[0][0]}{s[0][1]}" + (f"\u2026{s[-1][0]}{s[-1][1]}" if len(s) > 1 else "") for s in stretches]
    return f"{sheet}!" + ", ".join(words)


def input_rows(base: CaseResult, r: CaseResult, lang: str = EN) -> list[list]:
    """The workbook cells a case changes against the base, a run of years with the same change in one row:
    scenario, sheet, column, row (an id or a mineral), years, the base's cells, old and new values (each run's
    in one cell, ``_run_words``), the Scenarios cell that changes them."""
    groups: list[list[CellChange]] = []
    changes = sorted(changed_cells(base.case.data, r.case.data),
                     key=lambda c: (c.source, c.sheet, c.column, str(c.key)))
    for c in changes:
        row, year = (c.key if isinstance(c.key, tuple) else (c.key, None))
        last = groups[-1][-1] if groups else None
        # A run of years keeps to cells of rows or to the sheet alone (no row of its own): a run of both read
        # "'Policy'…I36", its first cell a sheet.
        if (last is not None and (last.sheet, last.column, last.source) == (c.sheet, c.column, c.source)
                and isinstance(last.key, tuple) and last.key[0] == row and year == last.key[1] + 1
                and ("!" in last.cell) == ("!" in c.cell)):
            groups[-1].append(c)
        else:
            groups.append([c])
    out = []
    for g in groups:
        first, end = g[0], g[-1]
        row, y0 = first.key if isinstance(first.key, tuple) else (first.key, None)
        years = "" if y0 is None else str(y0) if len(g) == 1 else f"{y0}-{end.key[1]}"
        cells = _cells_words([c.cell for c in g])
        kind = _kind(first)
        out.append([case_cell(r.case.name, lang), first.sheet, first.column, row, years, cells,
                    _run_words([c.old for c in g], kind, lang), _run_words([c.new for c in g], kind, lang),
                    first.source])
    return out


def diagnosis_rows(results: list[CaseResult], lang: str = EN, worded: bool = False) -> tuple[list[Col], list[list]]:
    """The limits each case without a plan must move.  ``worded``: for a page, the mineral by its name, and a
    limit's value and the value it needs as a planner types them (``labels.limit_value``: '40%', '40.4%'), where
    a number to 2 decimals showed a cap of 40% needing 40.4% as 0.40 needing 0.40."""
    value = (lambda x, unit: L.limit_value(x, unit, lang)) if worded else (lambda x, unit: x)
    mineral = (lambda d, m: L.mineral_name(d, m, lang)) if worded else (lambda d, m: m)
    cols = [Col("scenario", "", key="story_case"), Col("cell", "", key="diagnosis_cell"),
            Col("limit", "", key="diagnosis_limit"), Col("mineral", ""), Col("year", INT),
            Col("country", "", key="diagnosis_country"), Col("value", "0.000", key="diagnosis_value"),
            Col("needed", "0.000"), Col("unit", "", key="diagnosis_unit")]
    rows = []
    for r in results:
        if r.relaxations:
            rows += [[case_cell(r.case.name, lang), x.cell, family_name(x.family, lang),
                      mineral(r.case.data, x.mineral_id), x.year,
                      x.country, value(x.limit, x.unit), value(x.needed, x.unit), L.unit_word(x.unit, lang)]
                     for x in r.relaxations]
        elif not r.ok:
            rows.append([case_cell(r.case.name, lang), "", L.reason(r.why, lang), None, None, None, None, None, ""])
    return cols, rows


def _typed_table(ws, cols: list[Col], rows: list[list], lang: str) -> None:
    """write_table, with cells given as (value, number format) where the format varies by row."""
    write_table(ws, cols, [[c[0] if isinstance(c, tuple) else c for c in row] for row in rows], lang=lang)
    for i, row in enumerate(rows, start=2):
        for j, c in enumerate(row, start=1):
            if isinstance(c, tuple):
                ws.cell(row=i, column=j).number_format = c[1]


HEDGED_COLS = [Col("case", ""), Col("least_cost_if_calm_usd", USD), Col("least_cost_expected_usd", USD),
               Col("least_cost_cvar_usd", USD), Col("hedged_if_calm_usd", USD),
               Col("hedged_expected_usd", USD, key="compare_hedged_expected_usd"), Col("hedged_cvar_usd", USD),
               Col("insurance_premium_usd", USD), Col("expected_saving_usd", USD)]


def hedged_rows(results: list[CaseResult], lang: str = EN) -> list[list]:
    """compare --hedged: per case, the least-cost and the hedged plan tested against the disruptions."""
    rows = []
    for r in results:
        if r.tested is None:
            continue
        a, b = r.tested
        rows.append([case_cell(r.case.name, lang), a.first_stage_usd, a.expected_total_usd, a.cvar_usd,
                     b.first_stage_usd, b.expected_total_usd, b.cvar_usd, b.first_stage_usd - a.first_stage_usd,
                     a.expected_total_usd - b.expected_total_usd])
    return rows


# ---- compare --policies: the price of each policy -------------------------------------------

# The id of the strategy's row of the Policies sheet (the others': their Policy columns), as the .json names it;
# its words, in the row's name, come from the catalogue (compare.strategy).
STRATEGY = "strategy"


def _price_cols(kind: str) -> list[Col]:
    return [Col(f"{kind}_usd", USD, key=f"price_{kind}_usd"), Col(f"{kind}_low_usd", USD, key="price_low_usd"),
            Col(f"{kind}_high_usd", USD, key="price_high_usd"),
            Col(f"{kind}_significant", "", key="price_significant"),
            Col(f"{kind}_share_of_strategy", PCT, key="price_share_of_strategy")]


# The name beside the id, so that a page of the table printed across pages repeats both (``label_columns``): last,
# it printed alone on the second page, the Korean report's only Korean words there.
POLICY_COLS = [Col("policy", "", key="price_policy"), Col("name", "", key="price_policy_name"),
               *_price_cols("alone"), *_price_cols("last")]


def _price_cells(p: Price | None, strategy: Price | None, lang: str) -> list:
    if p is None:
        return [None] * 5
    share = None if strategy is None else relative_change(p.usd.value, strategy.usd.value)
    return [p.usd.value, p.usd.low, p.usd.high, significance(p.significant, lang), share]


def policy_rows(prices: PolicyPrices, lang: str = EN) -> list[list]:
    """The strategy, then each family: its price alone and added last, with proven ranges (POLICY_COLS)."""
    s = prices.strategy
    return [[STRATEGY, label("compare.strategy", lang), *_price_cells(s, s, lang), *[None] * 5]] + [
        [f, L.limit_name(f, lang), *_price_cells(prices.alone[f], s, lang), *_price_cells(prices.last[f], s, lang)]
        for f in prices.families]


def policy_mineral_rows(d, prices: PolicyPrices) -> tuple[list[Col], list[list]]:
    """Per mineral: the prices split by mineral and the China share with no policy and with the base."""
    cols = [Col("mineral", ""), Col("strategy_usd", USD, key="price_strategy_mineral_usd")]
    for f in prices.families:
        limit = (("limit", f"@limit.{f}"),)
        cols += [Col(f"{f}_alone_usd", USD, key="price_alone_mineral_usd", values=limit),
                 Col(f"{f}_last_usd", USD, key="price_last_mineral_usd", values=limit)]
    basis = ("basis", f"@basis_word.{d.settings.reliance_basis}")
    for y in prices.years:
        cols += [Col(f"china_share_{y}_no_policy", PCT, key="china_share_no_policy", values=(("year", y), basis)),
                 Col(f"china_share_{y}_base", PCT, key="china_share_base", values=(("year", y), basis))]

    def split(p: Price | None, m: str):
        return None if p is None else p.by_mineral_usd.get(m)

    rows = []
    for m in d.minerals:
        row = [m, split(prices.strategy, m)]
        for f in prices.families:
            row += [split(prices.alone[f], m), split(prices.last[f], m)]
        for y in prices.years:
            row += list(prices.china_share[m, y])
        rows.append(row)
    return cols, rows


def policy_facts(prices: PolicyPrices) -> list[tuple[str, object]]:
    """The prices for the .json headline and the Run sheet."""
    out: list[tuple[str, object]] = [("policy families", ", ".join(prices.families))]
    named = [(STRATEGY, prices.strategy)] + [(f"{f} {kind}", table[f]) for f in prices.families
                                               for kind, table in (("alone", prices.alone), ("last", prices.last))]
    for name, p in named:
        out += [(f"price {name}_usd", p and p.usd.value), (f"price {name} low_usd", p and p.usd.low),
                (f"price {name} high_usd", p and p.usd.high), (f"price {name} significant", p and p.significant)]
    return out


def _price_words(p: Price | None, lang: str) -> str:
    if p is None:
        return label("compare.price.unknown", lang)
    return usd_m(p.usd.value) + ("" if p.significant else f" ({html.not_significant(lang)})")


def policy_story(d, prices: PolicyPrices, results: list[CaseResult], lang: str = EN) -> list[str]:
    """The study's headline in sentences: the strategy's price, each family's, and what they buy."""
    s = prices.strategy
    none = next((r for r in results if r.case.name == NO_POLICY and r.ok), None)
    share = relative_change(s.usd.value, none.evaluation.total_usd) if s is not None and none is not None else None
    sep = label("word.sep", lang)
    lines = [label("compare.price.strategy", lang, families=", ".join(L.limit_name(f, lang) for f in prices.families),
                   usd=_price_words(s, lang), pct="" if share is None else f" ({html.pct(share, True)})",
                   first=d.settings.first_year, last=d.settings.last_year)]
    if prices.families:
        lines.append(label("compare.price.each", lang, alone=sep.join(
            f"{L.limit_name(f, lang)} {_price_words(prices.alone[f], lang)}" for f in prices.families), last=sep.join(
            f"{L.limit_name(f, lang)} {_price_words(prices.last[f], lang)}" for f in prices.families)))
    for y in prices.years:
        pairs = [prices.china_share[m, y] for m in d.minerals]
        if all(a is not None and b is not None for a, b in pairs) and pairs:
            runs = {r.case.name: r for r in results if r.ok}
            if NO_POLICY in runs and BASE in runs:
                lines.append(label("compare.price.china", lang, year=y,
                                   basis=label(f"basis_word.{d.settings.reliance_basis}", lang),
                                   none=html.pct(over_minerals(runs[NO_POLICY].evaluation, d.minerals, y,
                                                               "china_share")),
                                   base=html.pct(over_minerals(runs[BASE].evaluation, d.minerals, y, "china_share"))))
    return lines


def _price_chart_name(family: str, prices: PolicyPrices, lang: str) -> str:
    """A policy as the chart of prices names it: not significant where its prices are (both, or the one bar
    named), as the table and sentences say."""
    bars = {kind: p for kind, p in (("alone", prices.alone[family]), ("last", prices.last[family])) if p is not None}
    unsure = [kind for kind, p in bars.items() if not p.significant]
    bar = label(f"compare.price.bar.{unsure[0]}", lang) if len(unsure) == 1 and len(bars) == 2 else ""
    return html.chart_name(L.limit_name(family, lang), not unsure, lang, bar)


def policy_section(d, prices: PolicyPrices, lang: str = EN) -> list[str]:
    """The HTML: the price table, a chart of the prices alone and last, the split by mineral, the shares."""
    def ranged(p: Price | None) -> list:
        if p is None:
            return [None, None, None]
        return [p.usd.value, html.usd_m_range(p.usd.low, p.usd.high, 1),
                label("sig.yes" if p.significant else "sig.no", lang)]

    s = prices.strategy
    rows = [[label("compare.strategy", lang), *ranged(s), None, None, None]] + [
        [L.limit_name(f, lang), *ranged(prices.alone[f]), *ranged(prices.last[f])] for f in prices.families]
    out = [html.table([label("col.policy", lang), label("compare.col.alone", lang), label("col.proven", lang),
                       label("col.significance", lang), label("compare.col.last", lang), label("col.proven", lang),
                       label("col.significance", lang)], rows,
                      formats=["text", "usd_m", "text", "text", "usd_m", "text", "text"])
           + f"<p>{html.esc(label('compare.price.note', lang, currency=d.settings.currency, price_year=d.settings.price_year))}</p>"]
    out.append(html.bar_chart(label("compare.price.chart", lang), [_price_chart_name(f, prices, lang)
                                                                   for f in prices.families], {
        label("compare.col.alone", lang): [p and p.usd.value for p in prices.alone.values()],
        label("compare.col.last", lang): [p and p.usd.value for p in prices.last.values()]}, y_format="usd_m",
        y_label="USD M", stacked=False, width=960))

    def judged(head: str, p: Price | None) -> str:
        """A price's column of the split by mineral, said not significant where its total is not: the split of
        a difference within the proven gaps is no finding either."""
        return head if p is None or p.significant else f"{head} ({html.not_significant(lang)})"

    _, rows = policy_mineral_rows(d, prices)
    heads = ([label("word.mineral", lang), judged(label("compare.strategy", lang), s)]
             + [judged(label(f"compare.col.{kind}_of", lang, limit=L.limit_name(f, lang)),
                       (prices.alone if kind == "alone" else prices.last)[f])
                for f in prices.families for kind in ("alone", "last")]
             + [label("compare.col.china_case", lang, year=y, case=label(f"compare.case.{case}", lang))
                for y in prices.years for case in ("no_policy", "base")])
    n_price = 1 + 2 * len(prices.families)
    rows = [[L.mineral_name(d, r[0], lang), *r[1:]] for r in rows]
    out.append(html.table(heads, rows, formats=["text"] + ["usd_m"] * n_price
                          + ["percent"] * (len(heads) - 1 - n_price))
               + f"<p>{html.esc(label('compare.price.by_mineral', lang, basis=label(f'basis_word.{d.settings.reliance_basis}', lang)))}</p>")
    return out


def compare_facts(results: list[CaseResult]) -> list[tuple[str, object]]:
    """The comparison's headline, for its .json and Run sheet: the base case's solve, and each
    case's status, objective, bound, gap, verified cost and change from the base.  With --hedged the
    cost is the hedged objective the plans were decided on, the change has its proven range, and the
    cost if nothing happens, its change, and both plans' expected costs are beside them."""
    base = results[0]
    out = outcome(decided_stats(base)) if base.plan else [("status", L.run_status(base.status))]
    base_usd = base.evaluation.total_usd if base.ok else None
    for r in results:
        st, name = decided_stats(r) if r.plan else None, f"case {r.case.name}"
        total = r.evaluation.total_usd if r.ok else None
        out += [(f"{name} status", L.run_status(r.status)), (f"{name} objective_usd", st and st.objective_usd),
                (f"{name} best_bound_usd", st and st.bound_usd), (f"{name} gap", st and st.gap)]
        if r.tested:
            own, change = hedged_objective(r), hedged_change(base, r) if base.tested else None
            out += [(f"{name} cost_usd", own.value), (f"{name} cost_low_usd", own.low)]
            out += proven_range(f"{name} change", change) if change else [(f"{name} change_usd", None)]
            out += [(f"{name} cost_if_calm_usd", total),
                    (f"{name} change_if_calm_usd", None if base_usd is None else total - base_usd),
                    (f"{name} least_cost_expected_usd", r.tested[0].expected_total_usd),
                    (f"{name} hedged_expected_usd", r.tested[1].expected_total_usd)]
        else:
            out += [(f"{name} cost_usd", total),
                    (f"{name} change_usd", None if total is None or base_usd is None else total - base_usd)]
            if r is not base and r.ok and base.ok:  # the verdict the page and the story give, and its yardstick
                out += [(f"{name} change_proven_gaps_usd", tolerance_usd(base, r)),
                        (f"{name} change_significant", significant(base, r))]
    return out


def case_walls(results) -> list[tuple[str, object]]:
    """Each case's status and seconds, as the compare and brief runs record them."""
    return [(f"case {r.case.name}", L.Worded("run.status_wall", status=L.run_status(r.status), s=f"{r.wall_s:.1f}"))
            for r in results]


def build_compare_workbook(results: list[CaseResult], run_info: list[tuple[str, object]],
                           prices: PolicyPrices | None = None, lang: str = EN) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name("Summary", lang)
    cols, rows = summary_rows(results, lang)
    write_table(ws, cols, rows, lang=lang)
    base = results[0]
    # A proven change of cost keeps its first digit where the column's 0.0% would read it as none.
    share_col = next(j for j, c in enumerate(cols) if c.name in ("delta_cost_pct", "delta_objective_pct"))
    for i, (row, r) in enumerate(zip(rows, results)):
        if r is not base and base.ok and r.ok and significant(base, r) and row[share_col] is not None:
            digits = nonzero_decimals(row[share_col], "percent")
            if digits:
                ws.cell(i + 2, share_col + 1).number_format = pct_format(digits)
    inputs = [row for r in results[1:] if base.ok for row in input_rows(base, r, lang)]
    if inputs:
        write_table(wb.create_sheet(sheet_name("Inputs", lang)), INPUT_COLS, inputs, lang=lang)
    _typed_table(wb.create_sheet(sheet_name("Indicators", lang)), *indicator_rows(results, lang), lang)
    write_table(wb.create_sheet(sheet_name("Story", lang)), *supplier_rows(results, lang), lang=lang)
    write_table(wb.create_sheet(sheet_name("Diagnosis", lang)), *diagnosis_rows(results, lang), lang=lang)
    if any(r.tested for r in results):
        write_table(wb.create_sheet(sheet_name("Hedged", lang), 1), HEDGED_COLS, hedged_rows(results, lang),
                    lang=lang)
    write_definitions(wb, lang)
    write_run_sheet(wb, run_info, lang)
    _compare_charts(wb, results, lang)
    if prices is not None:  # compare --policies: the prices first, the cases behind them
        write_table(wb.create_sheet(sheet_name("Policies", lang), 0), POLICY_COLS, policy_rows(prices, lang),
                    lang=lang)
        write_table(wb.create_sheet(sheet_name("Policies by mineral", lang), 1),
                    *policy_mineral_rows(results[0].case.data, prices), lang=lang)
    make_printable(wb)
    return wb


def _moved(results: list[CaseResult]) -> list[str]:
    """The minerals whose China share differs between the solved cases in some year (by SHARE_MOVED)."""
    solved = [r for r in results if r.ok]
    d = results[0].case.data
    return [m for m in d.minerals if any(
        max(r.evaluation.indicators[m, y].china_share for r in solved)
        - min(r.evaluation.indicators[m, y].china_share for r in solved) > SHARE_MOVED for y in d.years)]


def _share_series(results: list[CaseResult], m: str | None) -> list[tuple[str, list, bool]]:
    """(name, values per year, is a cap) of China's share per case, over all minerals (``m`` None) or of one,
    and each case's cap where it differs from the base's (over all minerals: the minerals' own, weighted
    alike)."""
    solved = [r for r in results if r.ok]
    d = results[0].case.data
    out = []
    for r in solved:
        ev = r.evaluation
        out.append((r.case.name, [over_minerals(ev, d.minerals, y, "china_share") if m is None
                                  else ev.indicators[m, y].china_share for y in d.years], False))
    shown: list[list] = []  # each case's caps per mineral and year, where they differ from the base's
    for r in solved:
        limits = [r.case.data.limit("china_cap_share", mm, y) for mm in ([m] if m else d.minerals) for y in d.years]
        if shown and limits == shown[0]:
            continue
        shown.append(limits)
        out.append((r.case.name, [limit_over_minerals(r.case.data, r.evaluation, d.minerals, y, "china_share",
                                                      "china_cap_share") if m is None
                                  else r.case.data.limit("china_cap_share", m, y) for y in d.years], True))
    return out


def _series_name(name: str, cap: bool, lang: str) -> str:
    shown = case_name(name, lang)
    return label("compare.cap_of", lang, case=shown) if cap else shown


def _compare_charts(wb: Workbook, results: list[CaseResult], lang: str) -> None:
    """Native charts, the page's: cost by part per case; China share per case against each case's cap, over
    all minerals and for each mineral whose share moves."""
    data = wb.create_sheet(sheet_name("ChartData", lang))
    charts = wb.create_sheet(sheet_name("Charts", lang), 1)
    solved = [r for r in results if r.ok]
    if not solved:
        return
    d = results[0].case.data
    years = list(d.years)
    # Block 1: cost parts per case (million USD, present value).
    parts = [p for p in COST_PARTS if any(r.evaluation.costs_usd[p] for r in solved)]
    put(data, 1, 1, label("col.case", lang))
    for j, p in enumerate(parts, start=2):
        put(data, 1, j, L.cost_part(p, lang))
    for i, r in enumerate(solved, start=2):
        put(data, i, 1, case_name(r.case.name, lang))
        for j, p in enumerate(parts, start=2):
            put(data, i, j, r.evaluation.costs_usd[p] / 1e6).number_format = "#,##0"
    bar = BarChart()
    bar.type, bar.grouping, bar.overlap = "bar", "stacked", 100
    bar.title = label("compare.chart.parts_calm" if is_hedged(results) else "compare.chart.parts", lang,
                      price_year=d.settings.price_year)
    bar.add_data(Reference(data, min_col=2, max_col=1 + len(parts), min_row=1, max_row=1 + len(solved)),
                 titles_from_data=True)
    bar.set_categories(Reference(data, min_col=1, min_row=2, max_row=1 + len(solved)))
    bar.y_axis.number_format = "#,##0"
    finish_chart(bar, 24, plot_cm=max(5.5, 0.8 * len(solved)))
    bar.layout.manualLayout.x, bar.layout.manualLayout.w = 0.25, 0.72  # case names on the left
    charts.add_chart(bar, "A1")
    row = 1 + chart_rows(bar)
    # Block 2: China share per year, one column per case and a dashed column per cap that differs.
    top = len(solved) + 3
    basis = label(f"basis_word.{d.settings.reliance_basis}", lang)
    for k, m in enumerate([None, *_moved(results)]):
        series = _share_series(results, m)
        put(data, top, 1, label("word.year", lang))
        for j, (name, _values, cap) in enumerate(series, start=2):
            put(data, top, j, _series_name(name, cap, lang))
        for i, y in enumerate(years, start=top + 1):
            put(data, i, 1, y)
            for j, (_name, values, _cap) in enumerate(series, start=2):
                put(data, i, j, values[i - top - 1]).number_format = PCT
        ch = LineChart()
        ch.title = (label("compare.chart.china_all", lang, basis=basis) if m is None else
                    label("compare.chart.china", lang, mineral=L.mineral_name(d, m, lang), basis=basis))
        ch.y_axis.number_format = "0%"
        ch.y_axis.scaling.min, ch.y_axis.scaling.max = 0, 1
        ch.add_data(Reference(data, min_col=2, max_col=1 + len(series), min_row=top, max_row=top + len(years)),
                    titles_from_data=True)
        ch.set_categories(Reference(data, min_col=1, min_row=top + 1, max_row=top + len(years)))
        for s, (_name, _values, cap) in zip(ch.series, series):
            if cap:
                s.graphicalProperties.line.dashStyle = "dash"
        if series[len(solved)][2]:  # the base's cap in red, as on the page
            series_line = ch.series[len(solved)].graphicalProperties.line
            series_line.solidFill, series_line.width = "C00000", 28575
        finish_chart(ch, 16)
        charts.add_chart(ch, f"{'A' if k % 2 == 0 else 'K'}{row + chart_rows(ch) * (k // 2)}")
        top += len(years) + 2


# ---- HTML -------------------------------------------------------------------------------

def _share_charts(results: list[CaseResult], lang: str) -> list[str]:
    """China share per case against each case's cap: over all minerals, then each mineral whose share moves."""
    d = results[0].case.data
    basis = label(f"basis_word.{d.settings.reliance_basis}", lang)
    charts = []
    for m in [None, *_moved(results)]:
        series = [html.Series(_series_name(name, cap, lang), list(zip(d.years, values)), dashed=cap,
                              color=CAP_RED if cap and name == results[0].case.name else None)
                  for name, values, cap in _share_series(results, m)]
        title = (label("compare.chart.china_all", lang, basis=basis) if m is None else
                 label("compare.chart.china", lang, mineral=L.mineral_name(d, m, lang), basis=basis))
        charts.append(html.line_chart(title, series, y_format="percent", width=960 if m is None else 620))
    return charts


def story_section(name: str, base, other, minerals, lang: str = EN, title: str | None = None) -> list[str]:
    """For each of ``minerals``: a chart of the tonnes gained and lost per year against the base by supply
    option, recycling and stock, with the unmet tonnes (the bars of a year add up to 0: demand is the same), a
    table of the same, largest first, and the tonnes mined and refined in each country (each tonne once in each
    column).  ``base`` and ``other`` are (PlanningData, Plan, Evaluation) of two verified plans; ``name`` the
    other's short name, for column headers, and ``title`` its name in the charts' titles (default: ``name``)."""
    d = other[0]
    years = list(d.years)
    out = []
    sep = label("word.sep", lang)
    for m in minerals:
        mineral = L.mineral_name(d, m, lang)
        changes = supplier_story(base, other, [m])
        if not changes:
            out.append(f"<p>{html.esc(label('compare.no_change', lang, mineral=mineral))}</p>")
            continue
        kinds = [c for c in changes if c.kind in (OPTION, RECYCLING, STOCK, UNMET)]
        keys = sorted({(c.kind, c.item) for c in kinds}, key=lambda k: -sum(abs(c.change_t) for c in kinds
                                                                            if (c.kind, c.item) == k))
        named = {k: item_name(d, next(c for c in kinds if (c.kind, c.item) == k), lang) for k in keys}
        stacks = {named[k]: [sum(c.change_t for c in kinds if (c.kind, c.item) == k and c.year == y) for y in years]
                  for k in keys}
        colors, used = [], set()
        for kind, item in keys:  # an option in its mining country's colour; a second from there, another
            key = {UNMET: UNMET, RECYCLING: "recycled", STOCK: "stock"}.get(kind) or d.suppliers[item].origin_country
            colors.append(None if key in used else html.color_of(key))
            used.add(key)
        # ... none of the chart's, nor a listed country's (a second Argentine option drew in China's vermilion).
        spare = iter([c for c in html.OTHER_COUNTRY_COLORS if c not in colors])
        colors = [c or next(spare, None) for c in colors]
        out.append(html.bar_chart(label("compare.chart.story", lang, case=title or name, mineral=mineral),
                                  [str(y) for y in years], stacks, y_format="t", width=960, height=420,
                                  value_labels=False, colors=colors))
        rows = []
        for y in years:
            here = [c for c in kinds if c.year == y and c.kind != UNMET]
            unmet = next((c for c in kinds if c.year == y and c.kind == UNMET), None)
            if not here and unmet is None:
                continue
            gained = sep.join(f"{item_name(d, c, lang)} {tonnes(c.change_t, True)}" for c in here if c.change_t > 0)
            lost = sep.join(f"{item_name(d, c, lang)} {tonnes(c.change_t, True)}" for c in here if c.change_t < 0)
            rows.append([y, gained or "\u2013", lost or "\u2013", other[2].indicators[m, y].unmet_t,
                         unmet.change_t if unmet else 0.0])
        out.append(html.table([label("word.year", lang), label("compare.col.gained", lang),
                               label("compare.col.lost", lang), label("col.unmet", lang),
                               label("compare.col.unmet_change", lang)], rows,
                              formats=["year", "text", "text", "t", "t"], delta_columns=frozenset({4})))
        out.append(_country_table(d, base, other, m, name, lang))
    return out


def _country_table(d, base, other, m: str, name: str, lang: str) -> str:
    """Per country, the tonnes of ``m`` mined there and refined there over the horizon, in the base and the
    case: each tonne once in the mined columns and once in the refined ones."""
    def totals(case) -> dict[tuple[str, str], float]:
        out: dict[tuple[str, str], float] = {}
        for (mineral, c, _y), mined_refined in partner_tonnes(case[0], case[1]).items():
            if mineral == m:
                for stage, t in zip(("mined", "refined"), mined_refined):
                    out[stage, c] = out.get((stage, c), 0.0) + t
        return out

    a, b = totals(base), totals(other)
    codes = sorted({c for _, c in a.keys() | b.keys()},
                   key=lambda c: (-sum(abs(b.get((s, c), 0.0) - a.get((s, c), 0.0)) for s in ("mined", "refined")),
                                  c))
    rows = []
    for c in codes:
        cells = []
        for stage in ("mined", "refined"):
            x, y = a.get((stage, c), 0.0), b.get((stage, c), 0.0)
            cells += [x, y, y - x]
        k = d.countries.get(c)
        rows.append([L.country_name(d, c, lang), d.alignment(c) if k else None, k.political_risk if k else None,
                     *cells])
    first, last = d.settings.first_year, d.settings.last_year
    heads = [label("word.country", lang), label("col.alignment", lang), label("col.political_risk", lang)]
    for stage in ("mined", "refined"):
        heads += [label(f"compare.col.{stage}_base", lang, first=first, last=last),
                  label(f"compare.col.{stage}_case", lang, case=name), label("col.change", lang)]
    # Tonnes that move from China to Canada are neither a rise nor a fall in cost: signed, not red or green.
    return (html.table(heads, rows, formats=["text", "number", "number", "t", "t", "t", "t", "t", "t"],
                       signed_columns=frozenset({5, 8}), whole=(name,))
            + f"<p class=\"note\">{html.esc(label('compare.countries.note', lang))}</p>")


def inputs_section(base: CaseResult, r: CaseResult, lang: str) -> list[str]:
    """What a scenario changes in the workbook (a case of compare --policies: the Policy limits it lifts), and the
    outputs that moved."""
    d = base.case.data
    rows = input_rows(base, r, lang)
    kept = set(columns_set(r.case.data))
    lifted = [L.limit_name(c, lang) for c in columns_set(d) if c not in kept]
    none = (label("compare.inputs.lifted", lang, limits=", ".join(lifted)) if lifted
            else label("compare.inputs.none", lang))
    out = [html.table([label(f"compare.col.{k}", lang) for k in ("sheet", "column", "row", "years", "cell", "old",
                                                                "new", "set_by")],
                      [row[1:] for row in rows], formats=["text"] * 8) if rows else f"<p>{html.esc(none)}</p>"]
    if r.ok and base.ok:
        y = target_year(d)
        a, b = base.evaluation, r.evaluation
        moved = ([[label("compare.out.objective", lang, objective=objective_name(d, lang)),
                   hedged_objective(base).value, hedged_objective(r).value, "usd_m"],
                  [label("compare.out.calm", lang), a.total_usd, b.total_usd, "usd_m"]] if _hedged(base, r) else
                 [[label("compare.out.cost", lang), a.total_usd, b.total_usd, "usd_m"]])
        moved += [[label("compare.out.unmet", lang), sum(mi.unmet_t for mi in a.indicators.values()),
                  sum(mi.unmet_t for mi in b.indicators.values()), "t"]]
        for key, measure, kind in (("china_share", "china_share", "percent"),
                                   ("recycling_share", "recycling_share", "percent"),
                                   ("stockpile_days", "stockpile_days", "days")):
            va, vb = (over_minerals(x, d.minerals, y, measure) for x in (a, b))
            moved.append([f"{L.measure(key, lang)} {y}", va, vb, kind])
        judged = moved[0][0]  # the cost (compare --hedged: the hedged objective), judged against the proven gaps
        rows = []
        for what, va, vb, kind in moved:
            if va is None or vb is None:
                continue
            if kind == "percent":  # a change of a share is in percentage points
                shown_a, shown_b, number = (html.fmt(va, kind), html.fmt(vb, kind),
                                            html.share_points(vb - va, sign=True))
            else:  # the change shown is the difference of the figures shown
                shown_a, shown_b, number = html.change(va, vb, kind, lang)
            if not number.startswith(("+", "-")):
                continue  # it moved less than the figure shows (a signed figure is signed unless it reads 0)
            if what == judged and not significant(base, r):
                number += f" ({html.not_significant(lang)})"
            rows.append([what, shown_a, shown_b, L.points(number, lang) if kind == "percent" else number])
        # Each row's figures written in its own unit, and set at the right as numbers are in every table
        # (a "number" column shows a text as written)
        name = case_name(r.case.name, lang)
        out.append(html.table([label("compare.col.output", lang), label("compare.base", lang), name,
                               label("col.change_own_unit", lang)], rows,
                              formats=["text", "number", "number", "number"], whole=(name,)) if rows else
                   f"<p>{html.esc(label('compare.out.none', lang))}</p>")
    return out


def assumptions(d, lang: str, hedged: bool = False) -> str:
    s = d.settings
    items = [label("compare.assume.usd", lang, price_year=s.price_year, first=s.first_year, last=s.last_year,
                   rate=html.pct(s.discount_rate)),
             label("compare.assume.foresight_hedged" if hedged else "compare.assume.foresight", lang),
             label("compare.assume.floor", lang),
             label("compare.assume.hedged", lang, formula=label(
                 f"compare.formula.{'cvar' if s.cvar_weight > 0 else 'neutral'}", lang, weight=f"{s.cvar_weight:g}",
                 level=f"{s.cvar_level:g}")) if hedged else label("compare.assume.significance", lang),
             L.cost_note("terminal_stock", lang),  # the one negative cost part, and why
             L.estimates_note(d, lang)]
    return html.assumptions("", items)  # a section of its own, under its heading


def _headline_row(title: str, values: list, base: CaseResult, r: CaseResult, lang: str) -> list:
    """A case's row of the page's headline table: a change of cost within the two plans' proven gaps reads as
    not significant, uncoloured, as its sentence above says (it was coloured as a rise)."""
    if r is base or not (base.ok and r.ok):
        return [title, *values]
    if significant(base, r):  # a proven change keeps its first digit where the column's would read 0%
        change_pct = values[3]
        digits = None if change_pct is None else html.nonzero_decimals(change_pct, "percent")
        return [title, *values[:3], change_share(change_pct, True) if digits else change_pct, *values[4:]]
    change_usd, change_pct = values[2], values[3]
    return [title, *values[:2], f"{html.fmt(change_usd, 'usd_m', sign=True)} ({html.not_significant(lang)})",
            html.fmt(change_pct, "percent", sign=True), *values[4:]]


def build_compare_html(results: list[CaseResult], title: str, subtitle: str,
                       prices: PolicyPrices | None = None, lang: str = EN, notice: str = "") -> str:
    base = results[0]
    solved = [r for r in results if r.ok]
    d = base.case.data
    years = list(d.years)
    year = target_year(d)
    # compare --policies: the prices say what each case changed; a case without a plan says why.
    story = [narrative(base, r, lang) for r in results[1:] if prices is None or not r.ok]
    if not base.ok:
        story.insert(0, label("compare.base.no_plan", lang, why=L.reason(base.why, lang) or L.status(base.status, lang)))
    hedged = is_hedged(results)
    sections: list[tuple[str, list[str]]] = [(label("brief.assumptions", lang), [assumptions(d, lang, hedged)])]
    if prices is not None:
        story = policy_story(d, prices, results, lang) + story
        sections.append((label("compare.sec.prices", lang), policy_section(d, prices, lang)))

    cols, rows = summary_rows(results, lang)
    by_name = {c.name: i for i, c in enumerate(cols)}
    titles = {r.case.name: case_title(r.case, lang) for r in results}
    indicators = [f"china_share_{year}", f"recycling_share_{year}", f"stockpile_days_{year}",
                  f"mean_supply_risk_{year}", "unmet_t"]
    basis = label(f"basis_word.{d.settings.reliance_basis}", lang)
    heads = [label("col.case", lang), label("col.status", lang)]
    if hedged:  # the objective the plans were decided and proven on, its change's proven range; calm beside
        objective = objective_name(d, lang)
        money = ["hedged_objective_usd", "delta_objective_usd", "delta_objective_pct"]
        heads += [label("compare.col.objective", lang, objective=objective, price_year=d.settings.price_year),
                  label("compare.col.change_usd", lang), label("compare.col.change", lang), label("col.proven", lang),
                  label("compare.col.calm", lang), label("compare.col.calm_change", lang)]
        # The range as written, set at the right as numbers are (a "number" column shows a text as written)
        formats = ["text", "text", "usd_m", "usd_m", "percent", "number", "usd_m", "number"]
        notes = [label("compare.headline.note_hedged", lang, objective=objective)]
    else:
        money = ["total_cost_usd", "delta_cost_usd", "delta_cost_pct"]
        heads += [label("compare.col.cost", lang, price_year=d.settings.price_year),
                  label("compare.col.change_usd", lang), label("compare.col.change", lang)]
        formats = ["text", "text", "usd_m", "usd_m", "percent"]
        notes = []
    heads += [label("compare.col.china", lang, year=year, basis=basis), label("compare.col.recycling", lang, year=year),
              label("compare.col.stock", lang, year=year), label("compare.col.sr", lang, year=year),
              label("col.unmet", lang)]
    notes.append(label("compare.headline.note", lang, year=year))

    def values(row: list, r: CaseResult) -> list:
        """status, the money columns (compare --hedged: the change's proven range and the cost if nothing happens
        too), the indicators."""
        out = [row[by_name[k]] for k in ["status", *money]]
        if hedged:
            low, high = (row[by_name[k]] for k in ("delta_objective_low_usd", "delta_objective_high_usd"))
            calm, calm_change = (row[by_name[k]] for k in ("cost_if_calm_usd", "delta_cost_if_calm_usd"))
            # signed as a change, but not coloured as one the solves prove; to the thousand USD hedged gaps are made of
            out += [None if r is base or low is None else html.usd_m_range(low, high, 3, sign=True), calm,
                    None if calm_change is None else html.fmt(calm_change, "usd_m", sign=True)]
        return out + [row[by_name[k]] for k in indicators]

    sections.append((label("compare.sec.headline", lang), [html.table(
        heads, [_headline_row(titles[r.case.name], values(row, r), base, r, lang) for row, r in zip(rows, results)],
        formats=formats + ["percent", "percent", "number", "number", "t"], delta_columns=frozenset({3, 4}))
        + "".join(f"<p>{html.esc(n)}</p>" for n in notes)]))
    if tested := [r for r in results if r.tested is not None]:
        sections.append((label("compare.sec.hedged", lang), [html.table(
            [label("col.case", lang)] + [label(f"compare.col.hedged_{k}", lang) for k in (
                "lc_calm", "lc_expected", "lc_cvar", "h_calm", "h_expected", "h_cvar", "premium", "saving")],
            [[titles[r.case.name], *row[1:]] for r, row in zip(tested, hedged_rows(tested))],
            formats=["text"] + ["usd_m"] * 8)
            + f"<p>{html.esc(label('compare.hedged.note', lang))}</p>"]))
    for r in results[1:]:
        if base.ok and (r.ok or r.case.minerals):
            name = case_name(r.case.name, lang)
            parts = inputs_section(base, r, lang)
            if r.ok and r.case.minerals:
                parts += story_section(name, (d, base.plan, base.evaluation), (r.case.data, r.plan, r.evaluation),
                                       r.case.minerals, lang, case_title(r.case, lang))
            sections.append((label("compare.sec.case", lang, case=case_title(r.case, lang)), parts))
    if solved:
        parts = {p: [r.evaluation.costs_usd[p] for r in solved] for p in COST_PARTS
                 if any(r.evaluation.costs_usd[p] for r in solved)}
        names = [case_name(r.case.name, lang) for r in solved]
        calm = "_calm" if hedged else ""  # --hedged: the parts are of the cost if nothing happens, not the headline
        charts = [html.bar_chart(label(f"compare.chart.parts{calm}", lang, price_year=d.settings.price_year), names,
                                 {L.cost_part(p, lang): v for p, v in parts.items()}, y_format="usd_m",
                                 y_label="USD M")]
        if base.ok and len(solved) > 1:
            deltas = {L.cost_part(p, lang): [r.evaluation.costs_usd[p] - base.evaluation.costs_usd[p]
                                             for r in solved[1:]] for p in parts}
            charts.append(html.bar_chart(label(f"compare.chart.deltas{calm}", lang), names[1:], deltas,
                                         y_format="usd_m", y_label="USD M"))
        charts.append(f"<p>{html.esc(L.cost_note('terminal_stock', lang))}</p>")  # why one part's bars fall below 0
        sections.append((label("compare.sec.cost", lang), charts))
        sections.append((label("compare.sec.china", lang), _share_charts(results, lang)))
        values = {r.case.name: indicator_values(r) for r in solved}
        sections.append((label("compare.sec.sr", lang, year=year), [
            html.bar_chart(label("compare.chart.sr", lang, year=year), [L.mineral_name(d, m, lang) for m in d.minerals],
                           {case_name(r.case.name, lang): [values[r.case.name]["supply_risk_sr"][m, year]
                                                           for m in d.minerals] for r in solved},
                           y_format="number", stacked=False, width=960, value_labels=False),
            definitions_table(lang)]))
        value = {r.case.name: purchases_by_origin_usd(r.case.data, r.plan) for r in solved}
        totals: dict[str, float] = {}
        for v in value.values():
            for c, x in v.items():
                totals[c] = totals.get(c, 0.0) + x
        top = sorted(totals, key=lambda c: -totals[c])[:TOP_COUNTRIES]
        mix = {L.country_name(d, c, lang): [value[r.case.name].get(c, 0.0) for r in solved] for c in top}
        mix[label("compare.other", lang)] = [sum(x for c, x in value[r.case.name].items() if c not in top)
                                             for r in solved]
        sections.append((label("compare.sec.mix", lang), [html.bar_chart(
            label("compare.chart.mix", lang, first=d.settings.first_year, last=d.settings.last_year), names, mix,
            y_format="usd_m", y_label="USD M", width=960, colors=[html.color_of(c) for c in top] + ["#888888"])]))
        sections.append((label("compare.sec.recycling", lang), [
            html.line_chart(label("compare.chart.recycling", lang), [
                html.Series(case_name(r.case.name, lang), [(y, over_minerals(r.evaluation, d.minerals, y,
                                                                             "recycling_share")) for y in years])
                for r in solved], y_format="percent"),
            html.line_chart(label("compare.chart.stock", lang), [
                html.Series(case_name(r.case.name, lang), [(y, over_minerals(r.evaluation, d.minerals, y,
                                                                             "stockpile_days")) for y in years])
                for r in solved], y_format="number")]))
    cols, rows = diagnosis_rows(results, lang, worded=True)
    if rows:
        sections.append((label("compare.sec.diagnosis", lang), [html.table(
            [c.head(lang) for c in cols], [[case_name(r[0], lang), *r[1:]] for r in rows],
            formats=["text", "text", "text", "text", "year", "text", "text", "text", "text"])]))
    return html.page(title, subtitle, story, sections, narrative_heading=label("compare.what_changed", lang),
                     lang=lang, notice=notice)


def titles(workbook: str, d, results: list[CaseResult], gap: float, sha: str, policies: bool,
           lang: str = EN) -> tuple[str, str]:
    """The page's title and subtitle: the cases, and how many of them have a plan, solved and verified (a case
    without one is neither)."""
    s = d.settings
    title = label("compare.title.policies" if policies else "compare.title", lang, workbook=workbook)
    subtitle = label("compare.subtitle", lang, first=s.first_year, last=s.last_year, currency=s.currency,
                     price_year=s.price_year, cases=len(results), verified=sum(r.ok for r in results),
                     gap=f"{gap * 100:.3g}%", sha=sha[:12])
    # the cases' scenarios, drawn for each case alike with --sample (``d`` is the workbook's, undrawn)
    return title, L.with_sampled_basis(subtitle, results[0].case.data if results else d, lang)


def compare_files(results: list[CaseResult], run_info, title: str, subtitle: str,
                  prices: PolicyPrices | None = None, lang: str = EN) -> tuple[bytes, bytes]:
    """The bytes of the comparison workbook and page (with ``prices``: compare --policies)."""
    return study_files(build_compare_workbook(results, run_info, prices, lang),
                       lambda notice: build_compare_html(results, title, subtitle, prices, lang, notice), run_info,
                       "cases", lang)
