"""The comparison reports of ``planner compare``: ``<stem>-compare.xlsx`` and ``<stem>-compare.html``.

Both are built from the same verified results (``planner.compare.CaseResult``);
every indicator is shown for each case and as a change from the base.  ``compare --policies``
adds the price of each policy (``planner.studies.policies``): a Policies sheet and section.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter

from models.dataset import STAGES
from planner.indicators import StageRisk, exposure_tonnes, stage_risk
from planner.reports import html
from planner.reports.files import workbook_bytes
from planner.reports.runinfo import outcome
from planner.reports.plan_report import definitions_table
from planner.studies.compare import (
    BASE, CaseResult, china_value_share, mean_over_minerals, narrative, percent_of, proven_gap_usd,
    relative_change,
)
from planner.studies.policies import NO_POLICY, PolicyPrices, Price
from planner.studies.story import COUNTRY, OPTION, RECYCLING, STOCK, Change, story_lines, supplier_story
from planner.workbook.writer import put
from planner.reports.plan_workbook import (
    COST_PART_NOTES, DAYS, INT, PCT, RISK, T, USD, Col, chart_rows, finish_chart, make_printable, write_definitions,
    write_run_sheet, write_table,
)
from planner.verify import COST_PARTS, purchases_by_origin_usd


def _higher_stage(risk: dict[str, StageRisk], field: str):
    values = [getattr(risk[g], field) for g in STAGES if getattr(risk[g], field) is not None]
    return max(values) if values else None


# Indicators per mineral and year: (name, unit format, description, (MineralYear, {stage: StageRisk}) -> value).
INDICATORS = [
    ("china_share", PCT, "Share of consumption mined or refined in China (stock releases included)",
     lambda mi, rk: mi.china_share),
    ("avg_risk", RISK, "Volume-weighted risk score of supply (0-1; Settings risk_basis)", lambda mi, rk: mi.avg_risk),
    ("recycling_share", PCT, "Share of demand met by domestic recycling", lambda mi, rk: mi.recycling_share),
    ("stockpile_days", DAYS, "Stock plus agreement volumes, in days of that year's demand",
     lambda mi, rk: mi.stockpile_days),
    ("unmet_t", T, "Demand not delivered (t), charged at the shortage penalty", lambda mi, rk: mi.unmet_t),
    ("supply_risk_sr", RISK, "EU supply risk for Korea's sourcing, the higher of mining and refining (see the "
                             "Definitions sheet)", lambda mi, rk: _higher_stage(rk, "sr")),
    ("hhi_mining", RISK, "HHI of purchases by country of mining (0-1)", lambda mi, rk: rk["mining"].hhi),
    ("hhi_refining", RISK, "HHI of purchases by country of refining (0-1)", lambda mi, rk: rk["refining"].hhi),
    ("import_reliance_refining", PCT, "Share of purchases refined abroad",
     lambda mi, rk: rk["refining"].import_reliance),
    ("geopolrisk", RISK, "GeoPolRisk-style import risk, the higher stage (0-1)",
     lambda mi, rk: _higher_stage(rk, "geopolrisk")),
]


def indicator_values(r: CaseResult) -> dict[str, dict[tuple[str, int], object]]:
    """Every indicator of a verified case: name -> (mineral, year) -> value."""
    d, ev = r.case.data, r.evaluation
    risks = stage_risk(d, r.plan, ev)
    return {name: {(m, y): f(ev.indicators[m, y], {g: risks[m, y, g] for g in STAGES})
                   for m in d.minerals for y in d.years} for name, _, _, f in INDICATORS}
HTML_FORMAT = {PCT: "percent", RISK: "number", DAYS: "days", T: "t", USD: "usd_m"}
TOP_COUNTRIES = 8  # the supply-mix chart groups the rest as "other"


def _delta(value, base):
    return None if value is None or base is None else value - base


def summary_rows(results: list[CaseResult]) -> tuple[list[Col], list[list]]:
    """One row per case: status, cost and its parts, and headline indicators, with changes from the base."""
    base = results[0]
    last = base.case.data.settings.last_year
    cols = [Col("case", "", "base, or the scenario's name"), Col("status", "", "optimal, feasible (time limit), "
                                                                              "infeasible, no_solution or error"),
            Col("total_cost_usd", USD, "Present value of every cost, 2024 USD"),
            Col("delta_cost_usd", USD, "Change from the base (USD, present value)"),
            Col("delta_cost_pct", PCT, "Change from the base (share of the base cost)")]
    cols += [Col(f"delta_{p}_usd", USD, f"Change from the base: {COST_PART_NOTES[p]}") for p in COST_PARTS]
    cols += [Col("china_value_share", PCT, "China-linked share of the purchase value of all years and minerals "
                                            "(USD-weighted, purchases only: dominated by the costly minerals)"),
             Col(f"mean_china_share_{last}", PCT, f"China share of consumption in {last}, the plain mean over "
                                                  "minerals (each mineral counts once)"),
             Col(f"mean_avg_risk_{last}", RISK, f"Average risk score of supply in {last}, mean over minerals"),
             Col(f"mean_recycling_share_{last}", PCT, f"Recycling share of demand in {last}, mean over minerals"),
             Col(f"mean_stockpile_days_{last}", DAYS, f"Stockpile cover in {last}, mean over minerals"),
             Col(f"mean_supply_risk_{last}", RISK, f"EU supply risk (higher stage) in {last}, mean over minerals"),
             Col("unmet_t", T, "Demand not delivered over all years and minerals (t)"),
             Col("gap", "0.000%", "Proven relative gap of the plan: the least cost lies within it"),
             Col("proven_gap_usd", USD, "How much cheaper the best plan could be (objective minus HiGHS's bound); "
                                        "a change from the base smaller than this plus the base's is not "
                                        "significant"),
             Col("solve_s", "0.0", "Wall time of the solve, verification and diagnosis (s)"),
             Col("what_changed", "", "Generated summary, or the diagnosis of an infeasible case")]
    rows = []
    for r in results:
        d = r.case.data
        row = [r.case.name, r.status]
        if r.ok:
            ev = r.evaluation
            b = base.evaluation if base.ok else None
            row += [ev.total_usd, _delta(ev.total_usd, b and b.total_usd),
                    relative_change(ev.total_usd - b.total_usd, b.total_usd) if b else None]
            row += [_delta(ev.costs_usd[p], b and b.costs_usd[p]) for p in COST_PARTS]
            values = indicator_values(r)
            row += [china_value_share(d, r.plan)]
            row += [_mean(values[name], d.minerals, last) for name, *_ in INDICATORS[:4]]
            row += [_mean(values["supply_risk_sr"], d.minerals, last)]
            row += [sum(mi.unmet_t for mi in ev.indicators.values()), r.plan.stats.gap, proven_gap_usd(r.plan)]
        else:
            row += [None] * (len(cols) - 4)
        row += [round(r.wall_s, 2), narrative(base, r) if r.case.name != BASE else r.case.description]
        rows.append(row)
    return cols, rows


def _mean(values: dict[tuple[str, int], object], minerals, year: int) -> float | None:
    xs = [values[m, year] for m in minerals if values[m, year] is not None]
    return sum(xs) / len(xs) if xs else None


def indicator_rows(results: list[CaseResult]) -> tuple[list[Col], list[list]]:
    """Long table: indicator, mineral, year, base value, then each scenario's value and change."""
    base, others = results[0], results[1:]
    d = base.case.data
    cols = [Col("indicator", "", "What is measured"), Col("mineral", "", "mineral_id"), Col("year", INT, "Year"),
            Col("base", "", "Value in the base case")]
    for r in others:
        cols += [Col(r.case.name, "", f"Value in scenario {r.case.name}"),
                 Col(f"delta {r.case.name}", "", "Change from the base")]
    values = [indicator_values(r) if r.ok else None for r in results]
    rows = []
    for name, fmt, _, _ in INDICATORS:
        for m in d.minerals:
            for y in d.years:
                b = values[0][name][m, y] if values[0] else None
                row = [name, m, y, (b, fmt)]
                for v in values[1:]:
                    x = v[name][m, y] if v else None
                    row += [(x, fmt), (_delta(x, b), fmt)]
                rows.append(row)
    return cols, rows


STORY_COLS = [
    Col("scenario", "", "Scenario (or sweep point)"), Col("mineral", "", "mineral_id"), Col("year", INT, "Year"),
    Col("kind", "", "country: tonnes mined or refined there (a tonne counts for both); option: a supply option; "
                    "recycling: tonnes recycled in Korea; stock_draw: tonnes released from the stock less tonnes "
                    "added"),
    Col("item", "", "ISO3 code or supplier_id"), Col("label", "", "What it is"),
    Col("base_t", T, "Tonnes in the base"), Col("scenario_t", T, "Tonnes in the scenario"),
    Col("change_t", T, "scenario_t - base_t; rows are largest first within a mineral and year"),
    Col("political_risk", RISK, "Of the country (option: its mining country)"),
    Col("alignment", RISK, "Alignment score with Korea of the country (option: its mining country)"),
    Col("mineral_touched", "", "yes: the scenario changes this mineral's data; no: a change elsewhere, often "
                               "between plans of near-equal cost (within the solver's gap)"),
]


def story_rows(name: str, changes: list[Change], d, touched) -> list[list]:
    """The supplier story as rows of STORY_COLS."""
    rows = []
    for c in changes:
        code = c.item if c.kind == COUNTRY else d.suppliers[c.item].origin_country if c.kind == OPTION else None
        scores = [d.countries[code].political_risk, d.alignment(code)] if code in d.countries else [None, None]
        rows.append([name, c.mineral, c.year, c.kind, c.item, c.label, c.base_t, c.other_t, c.change_t, *scores,
                     "yes" if c.mineral in touched else "no"])
    return rows


def case_story(base: CaseResult, r: CaseResult, minerals=None) -> list[Change]:
    return supplier_story((base.case.data, base.plan, base.evaluation), (r.case.data, r.plan, r.evaluation),
                          minerals)


def supplier_rows(results: list[CaseResult]) -> tuple[list[Col], list[list]]:
    base = results[0]
    rows = []
    if base.ok:
        for r in results[1:]:
            if r.ok:
                rows += story_rows(r.case.name, case_story(base, r), r.case.data, set(r.case.minerals))
    return STORY_COLS, rows


def diagnosis_rows(results: list[CaseResult]) -> tuple[list[Col], list[list]]:
    cols = [Col("scenario", "", "Case with no plan"), Col("cell", "", "Workbook cell of the limit"),
            Col("limit", "", "Policy family (or demand)"), Col("mineral", "", "mineral_id"),
            Col("year", INT, "Year"), Col("country", "", "Country, for single-country caps"),
            Col("value", "0.000", "The limit now"), Col("needed", "0.000", "The loosest value the data can meet"),
            Col("unit", "", "share, score, days or t")]
    rows = []
    for r in results:
        if r.relaxations:
            rows += [[r.case.name, x.cell, x.family, x.mineral_id, x.year, x.country, x.limit, x.needed, x.unit]
                     for x in r.relaxations]
        elif not r.ok:
            rows.append([r.case.name, "", r.message, None, None, None, None, None, ""])
    return cols, rows


def _typed_table(ws, cols: list[Col], rows: list[list]) -> None:
    """write_table, with cells given as (value, number format) where the format varies by row."""
    write_table(ws, cols, [[c[0] if isinstance(c, tuple) else c for c in row] for row in rows])
    for i, row in enumerate(rows, start=2):
        for j, c in enumerate(row, start=1):
            if isinstance(c, tuple):
                ws.cell(row=i, column=j).number_format = c[1]


HEDGED_COLS = [
    Col("case", "", "Case"),
    Col("least_cost_if_calm_usd", USD, "The least-cost plan's cost if no disruption happens (USD, present value)"),
    Col("least_cost_expected_usd", USD, "Its expected cost over the Disruptions sheet's scenarios (USD)"),
    Col("least_cost_cvar_usd", USD, "CVaR of its disruption cost at Settings cvar_level (USD)"),
    Col("hedged_if_calm_usd", USD, "The hedged plan's cost if no disruption happens (USD)"),
    Col("hedged_expected_usd", USD, "Its expected cost (USD)"),
    Col("hedged_cvar_usd", USD, "CVaR of its disruption cost (USD)"),
    Col("insurance_premium_usd", USD, "hedged_if_calm - least_cost_if_calm: what the hedge costs if nothing happens"),
    Col("expected_saving_usd", USD, "least_cost_expected - hedged_expected: what the hedge saves on average"),
]


def hedged_rows(results: list[CaseResult]) -> list[list]:
    """compare --hedged: per case, the least-cost and the hedged plan tested against the disruptions."""
    rows = []
    for r in results:
        if r.tested is None:
            continue
        a, b = r.tested
        rows.append([r.case.name, a.first_stage_usd, a.expected_total_usd, a.cvar_usd, b.first_stage_usd,
                     b.expected_total_usd, b.cvar_usd, b.first_stage_usd - a.first_stage_usd,
                     a.expected_total_usd - b.expected_total_usd])
    return rows


# ---- compare --policies: the price of each policy -------------------------------------------

STRATEGY = "strategy (every family)"


def _price_cols(kind: str, what: str) -> list[Col]:
    return [Col(f"{kind}_usd", USD, f"{what}; USD, present value"),
            Col(f"{kind}_low_usd", USD, "The least it can be, from the two plans' proven bounds"),
            Col(f"{kind}_high_usd", USD, "The most it can be (the bounds again)"),
            Col(f"{kind}_significant", "", "no: its proven range holds 0, a difference within the two plans' "
                                            "proven gaps"),
            Col(f"{kind}_share_of_strategy", PCT, "Over the strategy's price")]


POLICY_COLS = [
    Col("policy", "", "The Policy column priced (that limit in every mineral and year), or the strategy: every "
                      "family the workbook sets"),
    *_price_cols("alone", "Its stand-alone price: the least cost with this family alone minus the least cost with "
                          "no policy (the strategy: the base minus no policy)"),
    *_price_cols("last", "Its price added last: the base's least cost minus the least cost with every family but "
                         "this one"),
]


def _price_cells(p: Price | None, strategy: Price | None) -> list:
    if p is None:
        return [None] * 5
    share = None if strategy is None else relative_change(p.usd.value, strategy.usd.value)
    return [p.usd.value, p.usd.low, p.usd.high, "yes" if p.significant else "no", share]


def policy_rows(prices: PolicyPrices) -> list[list]:
    """The strategy, then each family: its price alone and added last, with proven ranges (POLICY_COLS)."""
    s = prices.strategy
    return [[STRATEGY, *_price_cells(s, s), *[None] * 5]] + [
        [f, *_price_cells(prices.alone[f], s), *_price_cells(prices.last[f], s)] for f in prices.families]


def policy_mineral_rows(d, prices: PolicyPrices) -> tuple[list[Col], list[list]]:
    """Per mineral: the prices split by mineral and the China share with no policy and with the base."""
    cols = [Col("mineral", "", "mineral_id"),
            Col("strategy_usd", USD, "The base's cost of this mineral minus no policy's (USD, present value)")]
    for f in prices.families:
        cols += [Col(f"{f}_alone_usd", USD, f"{f} alone minus no policy, this mineral's costs"),
                 Col(f"{f}_last_usd", USD, f"The base minus all but {f}, this mineral's costs")]
    for y in prices.years:
        cols += [Col(f"china_share_{y}_no_policy", PCT, f"China-linked share in {y} with no policy (Settings "
                                                        f"reliance_basis: {d.settings.reliance_basis})"),
                 Col(f"china_share_{y}_base", PCT, "The same with every Policy limit in force")]

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
    named = [("strategy", prices.strategy)] + [(f"{f} {kind}", table[f]) for f in prices.families
                                               for kind, table in (("alone", prices.alone), ("last", prices.last))]
    for name, p in named:
        out += [(f"price {name}_usd", p and p.usd.value), (f"price {name} low_usd", p and p.usd.low),
                (f"price {name} high_usd", p and p.usd.high), (f"price {name} significant", p and p.significant)]
    return out


def _price_words(p: Price | None) -> str:
    if p is None:
        return "unknown (a case has no plan)"
    return f"USD {p.usd.value / 1e6:,.1f} M" + ("" if p.significant else " (not significant)")


def policy_story(d, prices: PolicyPrices, results: list[CaseResult]) -> list[str]:
    """The study's headline in sentences: the strategy's price, each family's, and what they buy."""
    span = f"{d.settings.first_year}-{d.settings.last_year}"
    s = prices.strategy
    none = next((r for r in results if r.case.name == NO_POLICY and r.ok), None)
    share = "" if s is None or none is None else percent_of(s.usd.value, none.evaluation.total_usd)
    lines = [f"The strategy (every Policy limit the workbook sets: {', '.join(prices.families)}) costs "
             f"{_price_words(s)}{share} over {span} (present value) against no policy."]
    if prices.families:
        lines.append("Alone, against no policy: " + "; ".join(
            f"{f} {_price_words(prices.alone[f])}" for f in prices.families) + ". Added last, with every other "
            "family in force: " + "; ".join(f"{f} {_price_words(prices.last[f])}" for f in prices.families) + ".")
    for y in prices.years:
        pairs = [prices.china_share[m, y] for m in d.minerals]
        if all(a is not None and b is not None for a, b in pairs) and pairs:
            lines.append(f"China share of {d.settings.reliance_basis} in {y}, mean over minerals: "
                         f"{sum(a for a, _ in pairs) / len(pairs):.1%} with no policy, "
                         f"{sum(b for _, b in pairs) / len(pairs):.1%} with the policies.")
    return lines


def policy_section(d, prices: PolicyPrices) -> list[str]:
    """The HTML: the price table, a chart of the prices alone and last, the split by mineral, the shares."""
    def ranged(p: Price | None) -> list:
        if p is None:
            return [None, None, None]
        return [p.usd.value, f"{html.fmt(p.usd.low, 'usd_m', 1)} to {html.fmt(p.usd.high, 'usd_m', 1)}",
                "yes" if p.significant else "no"]

    s = prices.strategy
    rows = [[STRATEGY, *ranged(s), None, None, None]] + [
        [f, *ranged(prices.alone[f]), *ranged(prices.last[f])] for f in prices.families]
    out = [html.table(["policy", "alone (USD M)", "proven range", "significant", "added last (USD M)",
                       "proven range", "significant"], rows,
                      formats=["text", "usd_m", "text", "text", "usd_m", "text", "text"])
           + "<p>Alone: the least cost with only this Policy column in force (every other blank) minus the least "
             "cost with no policy; the strategy's: the base minus no policy. Added last: the base minus the least "
             "cost with every family but this one. Families overlap (a 40% cap on any country caps China too), so "
             "neither column adds up to the strategy's price. Each price lies in its proven range (the two plans' "
             "bounds); one whose range holds 0 is not significant. Present value, "
             f"{html.esc(d.settings.currency)}.</p>"]
    out.append(html.bar_chart("The price of each policy: alone and added last", prices.families, {
        "alone": [p and p.usd.value for p in prices.alone.values()],
        "added last": [p and p.usd.value for p in prices.last.values()]}, y_format="usd_m", y_label="USD M",
        stacked=False, width=960))
    _, rows = policy_mineral_rows(d, prices)
    heads = (["mineral", "strategy"] + [f"{f} {kind}" for f in prices.families for kind in ("alone", "last")]
             + [f"China {y}: {case}" for y in prices.years for case in ("no policy", "base")])
    n_price = 1 + 2 * len(prices.families)
    out.append(html.table(heads, rows, formats=["text"] + ["usd_m"] * n_price
                          + ["percent"] * (len(heads) - 1 - n_price))
               + "<p>By mineral: each price split by the minerals' verified costs (the proven range is the "
                 "total's), then the China-linked share with no policy and with every policy "
                 f"(Settings reliance_basis: {html.esc(d.settings.reliance_basis)}): what the policies buy.</p>")
    return out


def compare_facts(results: list[CaseResult]) -> list[tuple[str, object]]:
    """The comparison's headline, for its .json and Run sheet: the base case's solve, and each
    case's status, objective, bound, gap, verified cost and change from the base (with --hedged,
    both plans' expected costs)."""
    base = results[0]
    out = outcome(base.plan.stats) if base.plan else [("status", base.status)]
    base_usd = base.evaluation.total_usd if base.ok else None
    for r in results:
        st, name = r.plan.stats if r.plan else None, f"case {r.case.name}"
        total = r.evaluation.total_usd if r.ok else None
        out += [(f"{name} status", r.status), (f"{name} objective_usd", st and st.objective_usd),
                (f"{name} best_bound_usd", st and st.bound_usd), (f"{name} gap", st and st.gap),
                (f"{name} cost_usd", total),
                (f"{name} change_usd", None if total is None or base_usd is None else total - base_usd)]
        if r.tested:
            out += [(f"{name} least_cost_expected_usd", r.tested[0].expected_total_usd),
                    (f"{name} hedged_expected_usd", r.tested[1].expected_total_usd)]
    return out


def build_compare_workbook(results: list[CaseResult], run_info: list[tuple[str, object]],
                           prices: PolicyPrices | None = None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    cols, rows = summary_rows(results)
    write_table(ws, cols, rows)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions[get_column_letter(len(cols))].width = 120
    _typed_table(wb.create_sheet("Indicators"), *indicator_rows(results))
    write_table(wb.create_sheet("Story"), *supplier_rows(results))
    write_table(wb.create_sheet("Diagnosis"), *diagnosis_rows(results))
    if any(r.tested for r in results):
        write_table(wb.create_sheet("Hedged", 1), HEDGED_COLS, hedged_rows(results))
    write_definitions(wb)
    write_run_sheet(wb, run_info)
    _compare_charts(wb, results)
    if prices is not None:  # compare --policies: the prices first, the cases behind them
        ws = wb.create_sheet("Policies", 0)
        write_table(ws, POLICY_COLS, policy_rows(prices))
        ws.column_dimensions["A"].width = 30
        write_table(wb.create_sheet("Policies by mineral", 1), *policy_mineral_rows(results[0].case.data, prices))
    make_printable(wb)
    return wb


def _compare_charts(wb: Workbook, results: list[CaseResult]) -> None:
    """Native charts: cost change per scenario by part; China share over time per mineral, per case."""
    data = wb.create_sheet("ChartData")
    charts = wb.create_sheet("Charts", 1)
    solved = [r for r in results if r.ok]
    base = results[0]
    if not solved:
        return
    d = base.case.data
    years = list(d.years)
    # Block 1: cost parts per case (million USD, present value).
    put(data, 1, 1, "case")
    for j, p in enumerate(COST_PARTS, start=2):
        put(data, 1, j, p)
    for i, r in enumerate(solved, start=2):
        put(data, i, 1, r.case.name)
        for j, p in enumerate(COST_PARTS, start=2):
            put(data, i, j, r.evaluation.costs_usd[p] / 1e6).number_format = "#,##0"
    bar = BarChart()
    bar.type, bar.grouping, bar.overlap = "bar", "stacked", 100
    bar.title = "Cost by part per case (USD M, present value)"
    bar.add_data(Reference(data, min_col=2, max_col=1 + len(COST_PARTS), min_row=1, max_row=1 + len(solved)),
                 titles_from_data=True)
    bar.set_categories(Reference(data, min_col=1, min_row=2, max_row=1 + len(solved)))
    finish_chart(bar, 24, plot_cm=max(5.5, 0.8 * len(solved)))
    charts.add_chart(bar, "A1")
    row = 1 + chart_rows(bar)
    # Block 2: China share per mineral and year, one column per case.
    top = len(solved) + 3
    for k, m in enumerate(d.minerals):
        row0 = top + k * (len(years) + 2)
        put(data, row0, 1, f"{m} year")
        for j, r in enumerate(solved, start=2):
            put(data, row0, j, r.case.name)
        for i, y in enumerate(years, start=row0 + 1):
            put(data, i, 1, y)
            for j, r in enumerate(solved, start=2):
                put(data, i, j, r.evaluation.indicators[m, y].china_share).number_format = PCT
        ch = LineChart()
        ch.title = f"{m}: China share per case"
        ch.y_axis.number_format = "0%"
        ch.y_axis.scaling.min, ch.y_axis.scaling.max = 0, 1
        ch.add_data(Reference(data, min_col=2, max_col=1 + len(solved), min_row=row0, max_row=row0 + len(years)),
                    titles_from_data=True)
        ch.set_categories(Reference(data, min_col=1, min_row=row0 + 1, max_row=row0 + len(years)))
        finish_chart(ch, 16)
        charts.add_chart(ch, f"{'A' if k % 2 == 0 else 'K'}{row + chart_rows(ch) * (k // 2)}")


# ---- HTML -------------------------------------------------------------------------------

def _share_charts(results: list[CaseResult]) -> list[str]:
    """China share per mineral, one line per case, and each case's own cap where it differs from the base's."""
    solved = [r for r in results if r.ok]
    d = results[0].case.data
    years = list(d.years)
    charts = []
    for m in d.minerals:
        series = [html.Series(r.case.name, [(y, r.evaluation.indicators[m, y].china_share) for y in years])
                  for r in solved]
        caps: list[tuple[str, list]] = []
        for r in results:
            cap = [(y, r.case.data.limit("china_cap_share", m, y)) for y in years]
            if r.case.name == BASE or cap != caps[0][1]:
                caps.append((r.case.name, cap))
        series += [html.Series(f"cap ({name})", cap, dashed=True, color="#C00000" if name == BASE else None)
                   for name, cap in caps]
        charts.append(html.line_chart(f"{d.minerals[m].name}: China share of consumption", series,
                                      y_format="percent", width=620))
    return charts


def story_section(name: str, base, other, minerals) -> list[str]:
    """For each of ``minerals``: a chart of the tonnes gained and lost per year against the base, by option,
    recycling and stock, and a table of the same, largest first, with the partners' scores.  ``base`` and
    ``other`` are (PlanningData, Plan, Evaluation) of two verified plans."""
    d = other[0]
    years = list(d.years)
    out = []
    for m in minerals:
        changes = supplier_story(base, other, [m])
        if not changes:
            out.append(f"<p>{html.esc(m)}: no supplier, recycling or stock change against the base.</p>")
            continue
        kinds = [c for c in changes if c.kind in (OPTION, RECYCLING, STOCK)]
        labels = sorted({c.label for c in kinds}, key=lambda lab: -sum(abs(c.change_t) for c in kinds
                                                                        if c.label == lab))
        stacks = {lab: [sum(c.change_t for c in kinds if c.label == lab and c.year == y) for y in years]
                  for lab in labels}
        out.append(html.bar_chart(f"{name}: {d.minerals[m].name}, tonnes gained and lost against the base",
                                  [str(y) for y in years], stacks, y_format="t", width=960,
                                  height=420, value_labels=False))
        lines = story_lines(changes)
        rows = [[y, *lines[m, y]] for y in years if (m, y) in lines]
        partners = _partner_totals(base, m), _partner_totals(other, m)
        codes = sorted(partners[0].keys() | partners[1].keys(),
                       key=lambda c: (-abs(partners[1].get(c, 0.0) - partners[0].get(c, 0.0)),
                                      -partners[1].get(c, 0.0), c))
        partner_rows = [[d.countries[c].name, d.alignment(c), d.countries[c].political_risk,
                         partners[0].get(c, 0.0), partners[1].get(c, 0.0),
                         partners[1].get(c, 0.0) - partners[0].get(c, 0.0)] for c in codes]
        out.append(html.table(["year", "gained (largest first)", "lost (largest first)"], rows,
                              formats=["year", "text", "text"]))
        out.append(html.table([f"{d.minerals[m].name} from (mined or refined there)", "alignment",
                               "political risk", f"base t {years[0]}-{years[-1]}", f"{name} t", "change t"],
                              partner_rows, formats=["text", "number", "number", "t", "t", "t"]))
    return out


def _partner_totals(case, m: str) -> dict[str, float]:
    """Tonnes of ``m`` mined or refined in each country over all years, of (PlanningData, Plan, Evaluation)."""
    out: dict[str, float] = {}
    for (mm, c, _y), t in exposure_tonnes(case[0], case[1]).items():
        if mm == m:
            out[c] = out.get(c, 0.0) + t
    return out


def build_compare_html(results: list[CaseResult], title: str, subtitle: str,
                       prices: PolicyPrices | None = None) -> str:
    base = results[0]
    solved = [r for r in results if r.ok]
    d = base.case.data
    years = list(d.years)
    # compare --policies: the prices say what each case changed; a case without a plan says why.
    story = [narrative(base, r) for r in results[1:] if prices is None or not r.ok]
    if not base.ok:
        story.insert(0, f"The base case has no plan ({base.message or base.status}); changes cannot be measured.")
    sections: list[tuple[str, list[str]]] = []
    if prices is not None:
        story = policy_story(d, prices, results) + story
        sections.append(("The price of each policy", policy_section(d, prices)))

    cols, rows = summary_rows(results)
    last = d.settings.last_year
    keep = ["case", "status", "total_cost_usd", "delta_cost_usd", "delta_cost_pct", "china_value_share",
            f"mean_china_share_{last}", f"mean_supply_risk_{last}", f"mean_stockpile_days_{last}", "unmet_t"]
    by_name = {c.name: i for i, c in enumerate(cols)}
    idx = [by_name[k] for k in keep]
    fmts = ["text", "text", "usd_m", "usd_m", "percent", "percent", "percent", "number", "days", "t"]
    sections.append(("Cost and headline indicators", [html.table(
        ["case", "status", "cost (USD M, PV)", "change (USD M)", "change", "China share of purchase value, all years",
         f"China share of consumption {last}, mean", f"supply risk {last}, mean", f"stock days {last}, mean",
         "unmet (t)"],
        [[row[i] for i in idx] for row in rows], formats=fmts, delta_columns=frozenset({3, 4}))
        + "<p>The two China shares differ by design: the share of purchase value weighs every tonne by its price "
          "over all years and minerals (dear minerals such as lithium count most), while the share of consumption "
          f"is each mineral's China-linked tonnes in {last}, stock releases included, averaged with every mineral "
          "counting once; the China cap limits the latter.</p>"]))
    if any(r.tested for r in results):
        sections.append(("Least-cost and hedged plans against the disruptions", [html.table(
            ["case", "least-cost: if calm", "expected", "CVaR", "hedged: if calm", "expected", "CVaR",
             "insurance premium", "expected saving"], hedged_rows(results), formats=["text"] + ["usd_m"] * 8)
            + "<p>Each case's plans are tested against the Disruptions sheet (probabilities are assumptions). The "
              "case's plan in the rest of this report is its hedged plan. USD M, present value.</p>"]))
    touched = [r for r in solved[1:] if base.ok and r.case.minerals]
    for r in touched:
        sections.append((f"Who replaces whom: {r.case.name}", story_section(
            r.case.name, (d, base.plan, base.evaluation), (r.case.data, r.plan, r.evaluation), r.case.minerals)))
    if solved:
        parts = {p: [r.evaluation.costs_usd[p] for r in solved] for p in COST_PARTS
                 if any(r.evaluation.costs_usd[p] for r in solved)}
        charts = [html.bar_chart("Cost by component per case (present value)", [r.case.name for r in solved],
                                 parts, y_format="usd_m", y_label="USD M")]
        if base.ok:
            deltas = {p: [r.evaluation.costs_usd[p] - base.evaluation.costs_usd[p] for r in solved[1:]]
                      for p in parts}
            charts.append(html.bar_chart("Change in cost from the base, by component",
                                         [r.case.name for r in solved[1:]], deltas, y_format="usd_m",
                                         y_label="USD M"))
        sections.append(("Cost", charts))
        sections.append(("China share over time against each case's cap", _share_charts(results)))
        values = {r.case.name: indicator_values(r) for r in solved}
        sections.append((f"Supply risk in {last}", [
            html.bar_chart(f"EU supply risk for Korea's sourcing in {last} (higher stage), per case",
                           list(d.minerals), {r.case.name: [values[r.case.name]["supply_risk_sr"][m, last]
                                                            for m in d.minerals] for r in solved},
                           y_format="number", stacked=False, width=960, value_labels=False),
            definitions_table()]))
        value = {r.case.name: purchases_by_origin_usd(r.case.data, r.plan) for r in solved}
        totals: dict[str, float] = {}
        for v in value.values():
            for c, x in v.items():
                totals[c] = totals.get(c, 0.0) + x
        top = sorted(totals, key=lambda c: -totals[c])[:TOP_COUNTRIES]
        mix = {_country(d, c): [value[r.case.name].get(c, 0.0) for r in solved] for c in top}
        mix["other"] = [sum(x for c, x in value[r.case.name].items() if c not in top) for r in solved]
        sections.append(("Supply mix", [html.bar_chart(
            f"Purchase value by country of origin, all minerals {d.settings.first_year}-{last} (undiscounted)",
            [r.case.name for r in solved], mix, y_format="usd_m", y_label="USD M", width=960)]))
        sections.append(("Recycling and stockpile", [
            html.line_chart("Recycling share of demand (mean over minerals)", [
                html.Series(r.case.name, [(y, mean_over_minerals(r.evaluation, r.case.data, y,
                                                                 lambda mi: mi.recycling_share)) for y in years])
                for r in solved], y_format="percent"),
            html.line_chart("Stockpile cover in days of demand (mean over minerals)", [
                html.Series(r.case.name, [(y, mean_over_minerals(r.evaluation, r.case.data, y,
                                                                 lambda mi: mi.stockpile_days)) for y in years])
                for r in solved], y_format="days")]))
    cols, rows = diagnosis_rows(results)
    if rows:
        sections.append(("Cases without a plan: what must move", [html.table(
            [c.name for c in cols], rows, formats=["text", "text", "text", "text", "year", "text", "number",
                                                   "number", "text"])]))
    return html.page(title, subtitle, story, sections)


def _country(d, code: str) -> str:
    c = d.countries.get(code)
    return f"{c.name} ({code})" if c else code


def compare_files(results: list[CaseResult], run_info, title: str, subtitle: str,
                  prices: PolicyPrices | None = None) -> tuple[bytes, bytes]:
    """The bytes of the comparison workbook and page (with ``prices``: compare --policies)."""
    return (workbook_bytes(build_compare_workbook(results, run_info, prices)),
            build_compare_html(results, title, subtitle, prices).encode("utf-8"))
