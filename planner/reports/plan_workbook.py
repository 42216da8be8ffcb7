"""The results workbook of one solve: ``outputs/<stem>-plan.xlsx``.

Sheet and column names are a contract other tools rely on (see the README).
Every figure comes from the verified :class:`planner.verify.Evaluation`, not
from the solver, except solver statistics and shadow prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
import math

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from models.dataset import CHINA_POOL, LIMIT_APPLIES_ONLY_TO, MINING, REFINING, STAGES, PlanningData
from models.plan import Plan
from planner.indicators import DEFINITIONS, partner_tonnes, stage_risk
from planner.reports.files import commit, workbook_bytes
from planner.verify import Evaluation, purchases_by_origin_usd
from planner.workbook import schema as S
from planner.workbook.writer import TITLE_FONT, put, style_header

T = "#,##0"  # tonnes
USD = "#,##0"
PCT = "0.0%"
RISK = "0.000"
DAYS = "0.0"
INT = "0"


@dataclass(frozen=True)
class Col:
    name: str
    fmt: str
    description: str


# What each of planner.verify.COST_PARTS is, in words for the reports.
COST_PART_NOTES = {
    "purchases": "Tonnes bought from supply options at each year's price (escalated)",
    "contracts": "Fixed yearly costs of active contracts, and of the minimum length past the horizon of a late start",
    "recycling_capital": "Capital of recycling modules built, as an annuity over their life in each year they run",
    "recycling_operating": "Operating cost per tonne recycled (per unit processed by a stream plant)",
    "refining": "Korean refineries: capital of modules built (an annuity, as for recycling) and conversion cost per "
                "tonne refined",
    "stockpile": "Stockpile purchase premium on additions and holding cost on the stock",
    "agreements": "Yearly fees of joint-stockpile and swap agreements joined, and per tonne of line held",
    "terminal_stock": "Credit for the stock handed on after the last year, at that year's lowest price (negative)",
    "shortage": "Unmet demand priced on the Shortage costs curve (only when Settings allow it)",
}

SHADOW_NOTE = ("present-value USD the plan would cost more if this limit were tightened by one point "
               "(1 percentage point of share, 0.01 of risk score, or one stockpile day), with contracts, "
               "modules and memberships held at the plan's choice; 0 = not binding (where several prices are "
               "valid, one of them)")


def write_table(ws, cols: list[Col], rows: list[list], start_row: int = 1) -> None:
    """A header with units and hover notes, typed rows, number formats and a filter."""
    style_header(ws, [c.name for c in cols])
    for j, c in enumerate(cols, start=1):
        ws.cell(row=start_row, column=j).comment = Comment(c.description, "planner", width=320, height=110)
    for i, row in enumerate(rows, start=start_row + 1):
        for j, (c, v) in enumerate(zip(cols, row), start=1):
            cell = put(ws, i, j, v)
            if c.fmt:
                cell.number_format = c.fmt
    if rows:
        ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(cols))}{start_row + len(rows)}"


def write_run_sheet(wb: Workbook, run_info: list[tuple[str, object]]) -> None:
    """The Run sheet: one row per recorded fact of the run."""
    run = wb.create_sheet("Run")
    write_table(run, [Col("name", "", "What was recorded"), Col("value", "", "Its value")],
                [[k, v] for k, v in run_info])
    run.column_dimensions["B"].width = 80


# Chart geometry (cm) that LibreOffice and Excel both draw with a plot area: the legend gets its own rows
# below the plot, sized for its entries, instead of eating the plot area.
LEGEND_ROW_CM, LEGEND_ENTRY_CM, TITLE_CM, AXIS_CM, PLOT_CM = 0.55, 3.6, 1.5, 1.3, 5.5


def legend_rows(entries: int, width_cm: float) -> int:
    """Rows a bottom legend of ``entries`` needs in a chart ``width_cm`` wide."""
    return math.ceil(entries / max(1, int((width_cm - 1) // LEGEND_ENTRY_CM))) if entries > 1 else 0


def finish_chart(ch, width_cm: float, plot_cm: float = PLOT_CM):
    """Give a native chart what every viewer draws the same way: lines not smoothed (LibreOffice curves a
    line whose XML says nothing), a plot area placed by hand, and a bottom legend with the rows it needs
    (the chart grows to hold them)."""
    if isinstance(ch, LineChart):
        ch.smooth = False
        for series in ch.series:
            series.smooth = False
    entries = len(ch.series)
    legend_cm = legend_rows(entries, width_cm) * LEGEND_ROW_CM + (0.3 if entries > 1 else 0)
    height = TITLE_CM + plot_cm + AXIS_CM + legend_cm
    ch.width, ch.height = width_cm, height
    # The inner plot (without tick labels) is placed, so the axis labels keep AXIS_CM below it
    # (openpyxl writes the chart's layout as the plot area's).
    left = min(0.3, 2.0 / width_cm)
    ch.layout = Layout(ManualLayout(layoutTarget="inner", xMode="edge", yMode="edge", x=left,
                                    y=TITLE_CM / height, w=0.97 - left, h=plot_cm / height))
    if entries > 1:
        ch.legend.position = "b"
        ch.legend.layout = Layout(ManualLayout(xMode="edge", yMode="edge", x=0.02, w=0.96,
                                               y=1 - legend_cm / height, h=legend_cm / height))
    else:
        ch.legend = None  # one series: the title says what it is
    return ch


def chart_rows(ch) -> int:
    """Worksheet rows (0.5 cm each at the default height) a finished chart covers, to place the next."""
    return math.ceil(ch.height / 0.5) + 1


def write_definitions(wb: Workbook) -> None:
    """The Definitions sheet: every supply-risk indicator with its formula and source."""
    write_table(wb.create_sheet("Definitions"), [Col("indicator", "", "Column name in the Indicators sheet"),
                                                 Col("unit", "", "Unit or scale"),
                                                 Col("definition", "", "How it is computed"),
                                                 Col("source", "", "Where the method comes from")],
                [list(row) for row in DEFINITIONS])
    ws = wb["Definitions"]
    for letter_, width in zip("ABCD", (18, 8, 110, 60)):
        ws.column_dimensions[letter_].width = width


INDICATOR_COLS = [
    Col("year", INT, "Planning year"), Col("mineral", "", "mineral_id"),
    Col("stage", "", "mining (origin country of each tonne) or refining (processing country)"),
    *[Col(name, RISK if unit != "share" else PCT, f"{definition} Source: {source}.")
      for name, unit, definition, source in DEFINITIONS],
    Col("geopolrisk_world_hhi", RISK, "HHI of world output at the stage (WorldSupply), the GeoPolRisk factor"),
    Col("purchases_t", "#,##0.0", "Tonnes bought (primary supply)"),
    Col("imported_t", "#,##0.0", "Of which from a foreign country at this stage"),
    Col("recycled_t", "#,##0.0", "Tonnes recycled in Korea"),
]


def indicator_rows(d: PlanningData, plan: Plan, ev: Evaluation) -> list[list]:
    risks = stage_risk(d, plan, ev)
    rows = []
    for m in d.minerals:
        for y in d.years:
            for g in STAGES:
                r = risks[m, y, g]
                rows.append([y, m, g, r.hhi, r.hhi_wgi, r.import_reliance, r.eol_rir, r.world_hhi_wgi, r.sr,
                             r.geopolrisk, r.world_hhi, r.purchases_t, r.imported_t, r.recycled_t])
    return rows


PARTNER_COLS = [
    Col("year", INT, "Planning year"), Col("mineral", "", "mineral_id"), Col("country", "", "ISO3"),
    Col("name", "", "Country name"), Col("mined_t", T, "Tonnes bought that were mined there"),
    Col("refined_t", T, "Tonnes bought that were refined there"),
    Col("political_risk", RISK, "1 - WGI political-stability percentile / 100 (Countries)"),
    Col("alignment", RISK, "Alignment score with Korea, 0-1 (Countries inputs, Settings weights)"),
    Col("risk_score", RISK, "The score the risk cap and the indicators use (Settings risk_basis)"),
    Col("msp_member", "", "Minerals Security Partnership / FORGE"), Col("fta_with_korea", "", "FTA in force"),
    Col("security_treaty", "", "Mutual defence treaty with Korea or the US"),
    Col("unga_agreement_share", PCT, "UN General Assembly votes agreeing with Korea's"),
    Col("export_restrictions", "", "Bans, quotas or licences on critical-mineral exports"),
]


def partner_rows(d: PlanningData, plan: Plan) -> list[list]:
    rows = []
    for (m, c, y), (mined, refined) in sorted(partner_tonnes(d, plan).items(), key=lambda kv: (kv[0][2], kv[0][0],
                                                                                             kv[0][1])):
        k = d.countries[c]
        rows.append([y, m, c, k.name, mined, refined, k.political_risk, d.alignment(c), d.country_risk(c),
                     _yes(k.msp_member), _yes(k.fta_with_korea), _yes(k.security_treaty), k.unga_agreement_share,
                     _yes(k.export_restrictions)])
    return rows


def make_printable(wb: Workbook) -> None:
    """Every sheet prints landscape, as wide as one page."""
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _yes(x) -> str:
    return "yes" if x else "no"


def _supply_sheet(ws, d: PlanningData, plan: Plan) -> None:
    cols = [Col("year", INT, "Planning year"), Col("mineral", "", "mineral_id"),
            Col("supplier", "", "supplier_id from the Suppliers sheet"),
            Col("origin_country", "", "ISO3 country where it is mined"),
            Col("processing_country", "", "ISO3 country where it is refined"),
            Col("tonnes", T, "Tonnes bought that year (t)"),
            Col("price_usd_per_t", USD, "Price that year after escalation (USD/t)"),
            Col("cost_usd", USD, "tonnes x price, in that year's USD (not discounted)"),
            Col("contracted", "", "Whether the contract is active that year (fixed cost and minimum volume)")]
    rows = []
    for (s_id, y), t in sorted(plan.buy_t.items(), key=lambda kv: (kv[0][1], d.suppliers[kv[0][0]].mineral_id,
                                                                   kv[0][0])):
        on = plan.contracted.get((s_id, y), 0)
        if t < 1e-6 and not on:
            continue
        s = d.suppliers[s_id]
        price = d.price_usd_per_t(s, y)
        rows.append([y, s.mineral_id, s_id, s.origin_country, s.processing_country, t, price, t * price, _yes(on)])
    write_table(ws, cols, rows)


POLICY_COLS = [
    Col("year", INT, "Planning year"), Col("mineral", "", "mineral_id"),
    Col("china_share", PCT, "Share mined or refined in China, on the reliance basis: the quantity the China cap "
                            "limits"),
    Col("china_share_mining", PCT, "Share mined in China (the mining stage alone)"),
    Col("china_share_refining", PCT, "Share refined in China (the refining stage alone)"),
    Col("china_share_value", PCT, "China-linked share of the value of imports"),
    Col("china_cap", PCT, "China exposure cap from the Policy sheet (blank = not applied)"),
    Col("china_cap_usd_per_point", USD, "China cap: " + SHADOW_NOTE),
    Col("top_country", "", "Supplier country with the largest share (by origin or processing; on the imports "
                           "basis Korea is no supplier country)"),
    Col("top_country_share", PCT, "Its share, on the reliance basis"),
    Col("single_country_cap", PCT, "Single-country cap (blank = not applied)"),
    Col("single_country_cap_usd_per_point", USD, "Single-country cap: " + SHADOW_NOTE),
    Col("top_mining_country", "", "Country where the largest share is mined"),
    Col("top_mining_country_share", PCT, "Its share"),
    Col("mining_country_cap", PCT, "Mining-country cap (blank = not applied)"),
    Col("mining_country_cap_usd_per_point", USD, "Mining-country cap: " + SHADOW_NOTE),
    Col("top_refining_country", "", "Country where the largest share is refined"),
    Col("top_refining_country_share", PCT, "Its share"),
    Col("refining_country_cap", PCT, "Refining-country cap (blank = not applied)"),
    Col("refining_country_cap_usd_per_point", USD, "Refining-country cap: " + SHADOW_NOTE),
    Col("avg_risk", RISK, "Volume-weighted risk of imports (on the consumption basis: of supply, recycled tonnes "
                          "at the home country's score) (0-1): the quantity the risk cap limits"),
    Col("risk_cap", RISK, "Political-risk cap (blank = not applied)"),
    Col("risk_cap_usd_per_point", USD, "Risk cap: " + SHADOW_NOTE),
    Col("recycling_share", PCT, "Recycled tonnes / demand"),
    Col("recycling_min", PCT, "Minimum recycling share (blank = not applied, or not applicable: see not_applicable)"),
    Col("recycling_min_usd_per_point", USD, "Recycling minimum: " + SHADOW_NOTE),
    Col("stockpile_days", DAYS, "(Stock + agreement emergency volumes) at the end of the year / demand x 365"),
    Col("stockpile_min", DAYS, "Minimum stockpile days (blank = not applied)"),
    Col("stockpile_min_usd_per_point", USD, "Stockpile minimum: " + SHADOW_NOTE),
    Col("ira_share", PCT, "IRA-compliant share of supply (battery minerals)"),
    Col("ira_min", PCT, "Minimum IRA-compliant share (blank = not applied, or not applicable)"),
    Col("ira_min_usd_per_point", USD, "IRA minimum: " + SHADOW_NOTE),
    Col("demand_t", T, "Demand (t)"), Col("supply_t", T, "Imports plus recycling (t)"),
    Col("unmet_t", T, "Demand not delivered (t); only when Settings allow it"),
    Col("not_applicable", "", "Policy limits that cannot bind this mineral, whatever the Policy sheet says"),
    Col("reliance_basis", "", "What the shares are shares of (Settings reliance_basis): imports (purchases from "
                              "abroad, as Korea's target is written) or consumption (imports and recycling)"),
]


def not_applicable(d: PlanningData, m: str) -> str:
    """The Policy limits that cannot bind mineral ``m`` (``PlanningData.limit_applies``), in words."""
    return "; ".join(f"{column} (applies only to {whom})" for column, whom in LIMIT_APPLIES_ONLY_TO.items()
                     if not d.limit_applies(column, m))


def policy_rows(d: PlanningData, plan: Plan, ev: Evaluation) -> list[list]:
    rows = []
    sp = plan.shadow_usd_per_point
    for m in d.minerals:
        for y in d.years:
            mi = ev.indicators[m, y]
            lim = {c: d.limit(c, m, y) for c in S.POLICY_LIMITS}

            def price(family, column):
                # Blank when the limit is not applied, or when the pricing LP gave no duals.
                return sp.get((family, m, y), 0.0) if lim[column] is not None and sp else None

            rows.append([
                y, m, mi.china_share, mi.china_share_mining, mi.china_share_refining,
                mi.china_share_value, lim["china_cap_share"], price("china_cap", "china_cap_share"),
                *mi.top(), lim["single_country_cap_share"], price("single_country_cap", "single_country_cap_share"),
                *mi.top(MINING), lim["mining_country_cap_share"], price("mining_country_cap", "mining_country_cap_share"),
                *mi.top(REFINING), lim["refining_country_cap_share"],
                price("refining_country_cap", "refining_country_cap_share"),
                mi.avg_risk, lim["risk_cap"], price("risk_cap", "risk_cap"),
                mi.recycling_share, lim["recycling_min_share"], price("recycling_share", "recycling_min_share"),
                mi.stockpile_days, lim["stockpile_min_days"], price("stockpile_cover", "stockpile_min_days"),
                mi.ira_share if d.minerals[m].battery_mineral else None, lim["ira_min_share"],
                price("ira_share", "ira_min_share"), mi.demand_t, mi.supply_t, mi.unmet_t, not_applicable(d, m), mi.basis,
            ])
    return rows


def _recycling_sheet(ws, d: PlanningData, plan: Plan, ev: Evaluation) -> None:
    cols = [Col("year", INT, "Planning year"), Col("option_id", "", "Recycling option (a stream plant's output: "
                                                                   "plant:mineral)"),
            Col("plant", "", "Whose modules it runs on: itself, or the stream plant"),
            Col("mineral", "", "mineral_id"), Col("modules_built", INT, "Modules whose construction starts"),
            Col("modules_online", INT, "Modules producing (existing + built at least lead-time years ago)"),
            Col("capacity", T, "modules_online x module capacity: t recovered, or a plant's units processed"),
            Col("processed", T, "A stream plant's units processed"),
            Col("recycled_t", T, "Tonnes recycled"),
            Col("available_t", T, "Most that could be recovered: the Feedstock sheet's contained t x yield, or the "
                                  "stream's collected units x content x yield"),
            Col("capital_usd", USD, "Capital annuity charged that year for the modules built in the horizon that "
                                    "run (not discounted; a plant's on its first output's row)"),
            Col("operating_usd", USD, "Operating cost that year (not discounted; a plant's on its first output's "
                                      "row)")]
    rows, shown = [], set()
    for y in d.years:
        for r in d.recycling.values():
            k = d.owner_of(r)
            owner = d.module_owners[k]
            online = ev.modules_online[k, y]
            out = plan.recycled_t.get((r.option_id, y), 0.0)
            first = (k, y) not in shown
            shown.add((k, y))
            if r.plant_id is None:
                processed, available = None, d.feedstock_t.get((r.mineral_id, y), 0.0) * r.recovery_yield
                opex = out * r.operating_cost_usd_per_t
            else:
                processed = plan.processed_t.get((k, y), 0.0)
                stream = d.streams[d.recycling_plants[k].stream_id]
                available = stream.available_units(y) * d.output_per_unit_t(r)
                opex = processed * owner.operating_cost_usd_per_t if first else None
            capital = (online - owner.existing_modules) * owner.capital_cost_usd_per_module \
                * d.settings.annuity_factor(owner.life_yr) if first else None
            rows.append([y, r.option_id, k, r.mineral_id, plan.build_modules.get((k, y), 0), online,
                         online * owner.module_capacity_t_per_yr, processed, out, available, capital, opex])
    write_table(ws, cols, rows)


def _refining_sheet(ws, d: PlanningData, plan: Plan, ev: Evaluation) -> None:
    cols = [Col("year", INT, "Planning year"), Col("refinery_id", "", "Korean refinery (Refining sheet)"),
            Col("mineral", "", "mineral_id"), Col("modules_built", INT, "Modules whose construction starts"),
            Col("modules_online", INT, "Modules producing"),
            Col("capacity_t", T, "modules_online x module capacity (t refined)"),
            Col("fed_t", T, "Tonnes its feed routes delivered"),
            Col("capital_usd", USD, "Capital annuity charged that year (not discounted)"),
            Col("operating_usd", USD, "Conversion cost that year (not discounted)")]
    rows = []
    for y in d.years:
        for k, ref in d.refineries.items():
            online = ev.modules_online[k, y]
            fed = sum(t for (s, yy), t in plan.buy_t.items() if yy == y and d.suppliers[s].refinery_id == k)
            rows.append([y, k, ref.mineral_id, plan.build_modules.get((k, y), 0), online,
                         online * ref.module_capacity_t_per_yr, fed,
                         (online - ref.existing_modules) * ref.capital_cost_usd_per_module
                         * d.settings.annuity_factor(ref.life_yr), fed * ref.operating_cost_usd_per_t])
    write_table(ws, cols, rows)


def _stockpile_sheet(ws, d: PlanningData, ev: Evaluation) -> None:
    cols = [Col("year", INT, "Planning year"), Col("mineral", "", "mineral_id"),
            Col("stock_t", T, "Public stock at the end of the year (t)"),
            Col("stock_china_t", T, "Of which China-linked (mined or refined in China): the China pool (t)"),
            Col("added_t", T, "Bought into the stockpile (t)"), Col("released_t", T, "Released to serve demand (t)"),
            Col("released_china_t", T, "Of which from the China pool; counted toward the China cap (t)"),
            Col("agreement_volume_t", T, "Agreement lines held (t)"),
            Col("cover_t", T, "stock + agreement lines (t)"), Col("demand_t", T, "Demand of the year (t)"),
            Col("stockpile_days", DAYS, "cover / demand x 365: the mandate's basis, agreement lines included"),
            Col("stock_days", DAYS, "stock alone / demand x 365: without the agreement lines"),
            Col("stock_days_iea", DAYS, "stock alone / the year before's net imports x 365: the IEA's basis (the "
                                        "first year: its own imports)"),
            Col("stockpile_min", DAYS, "Minimum days from the Policy sheet")]
    rows = []
    for y in d.years:
        for m in d.minerals:
            mi = ev.indicators[m, y]
            rows.append([y, m, mi.stock_total_t, mi.stock_t[CHINA_POOL], sum(mi.added_t.values()),
                         sum(mi.released_t.values()), mi.released_t[CHINA_POOL], mi.agreement_volume_t, mi.cover_t,
                         mi.demand_t, mi.stockpile_days, mi.stock_days, mi.stock_days_iea,
                         d.limit("stockpile_min_days", m, y)])
    write_table(ws, cols, rows)


def _agreements_sheet(ws, d: PlanningData, plan: Plan) -> None:
    cols = [Col("year", INT, "Planning year"), Col("agreement_id", "", "Agreement"), Col("kind", "", "swap or "
            "joint_stockpile"), Col("partner_countries", "", "ISO3 codes"), Col("mineral", "", "mineral_id"),
            Col("joined", "", "Member that year"),
            Col("line_t", T, "Line held: swap tonnes or joint-stockpile share the plan chose, up to the emergency "
                             "volume; counted toward stockpile cover and callable in a disruption (t)"),
            Col("emergency_volume_t", T, "The largest line the agreement allows (Agreements sheet) (t)"),
            Col("fee_usd", USD, "Fees paid that year: membership plus per tonne of line (not discounted)"),
            Col("status", "", "signed (Agreements signed = yes) or hypothetical")]
    rows = []
    for y in d.years:
        for a in d.agreements.values():
            j = plan.join.get((a.agreement_id, y), 0)
            line = plan.line_t.get((a.agreement_id, y), 0.0)
            rows.append([y, a.agreement_id, a.kind, ";".join(a.partner_countries), a.mineral_id, _yes(j), line,
                         a.emergency_volume_t, a.fee_usd_per_yr * j + a.fee_usd_per_t_yr * line,
                         "signed" if a.signed else "hypothetical"])
    write_table(ws, cols, rows)


def _summary_sheet(ws, d: PlanningData, plan: Plan, ev: Evaluation, source: str) -> None:
    st = plan.stats
    put(ws, 1, 1, "Sourcing plan").font = TITLE_FONT
    put(ws, 2, 1, f"{source}, decisions {d.settings.first_year}-{d.settings.last_year}, {d.settings.currency} of "
                  f"{d.settings.price_year}, present value at the start of {d.settings.first_year}")
    facts = [("status", st.status, ""), ("total_cost_pv_usd", ev.total_usd, USD),
             ("best_bound_usd", st.bound_usd, USD), ("gap", st.gap, "0.000%"),
             ("solve_time_s", st.wall_s, "0.00"), ("verified", "yes: every constraint rechecked from the input", "")]
    r = 4
    for name, value, fmt in facts:
        put(ws, r, 1, name).font = Font(bold=True)
        c = put(ws, r, 2, value)
        c.number_format = fmt or "General"
        r += 1
    r += 1
    put(ws, r, 1, "cost_part").font = Font(bold=True)
    put(ws, r, 2, "pv_usd").font = Font(bold=True)
    put(ws, r, 3, "share").font = Font(bold=True)
    put(ws, r, 4, "what it is").font = Font(bold=True)
    total = ev.total_usd or 1.0
    for part, usd in ev.costs_usd.items():
        r += 1
        put(ws, r, 1, part)
        put(ws, r, 2, usd).number_format = USD
        put(ws, r, 3, usd / total).number_format = PCT
        put(ws, r, 4, COST_PART_NOTES[part])
    r += 2
    heads = ["year", "demand_t", "supply_t", "china_share", "recycling_share", "avg_stockpile_days",
             "unmet_t", "binding_policies"]
    fmts = [INT, T, T, PCT, PCT, DAYS, T, ""]
    for j, h in enumerate(heads, start=1):
        put(ws, r, j, h).font = Font(bold=True)
    for y in d.years:
        r += 1
        mys = [ev.indicators[m, y] for m in d.minerals]
        supply = sum(mi.supply_t for mi in mys)
        days = [mi.stockpile_days for mi in mys if mi.stockpile_days is not None]
        binding = sum(1 for (f, _m, yy), v in plan.shadow_usd_per_point.items() if yy == y and v > 0)
        base = sum(mi.china_base_t for mi in mys)
        vals = [y, sum(mi.demand_t for mi in mys), supply,
                sum(mi.china_t for mi in mys) / base if base else 0.0,
                sum(mi.recycled_t for mi in mys) / max(sum(mi.demand_t for mi in mys), 1e-9),
                sum(days) / len(days) if days else None, sum(mi.unmet_t for mi in mys), binding]
        for j, (v, f) in enumerate(zip(vals, fmts), start=1):
            put(ws, r, j, v).number_format = f or "General"
    put(ws, r + 2, 1, "Shares over all minerals are tonne-weighted; see the Policy sheet per "
            "mineral. binding_policies counts mineral-year limits with a positive shadow price.")
    for j, w in enumerate([22, 20, 14, 14, 16, 18, 12, 60], start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _charts(wb: Workbook, d: PlanningData, plan: Plan, ev: Evaluation) -> None:
    """Native charts: China share against its cap per mineral; purchase value by origin country."""
    data = wb.create_sheet("ChartData")
    charts = wb.create_sheet("Charts", 1)
    years = list(d.years)
    minerals = list(d.minerals)
    # Block 1: China share and cap per mineral, one row per year.
    put(data, 1, 1, "year")
    for i, y in enumerate(years, start=2):
        put(data, i, 1, y)
    for k, m in enumerate(minerals):
        col = 2 + 2 * k
        put(data, 1, col, f"{m} china_share")
        put(data, 1, col + 1, f"{m} china_cap")
        for i, y in enumerate(years, start=2):
            put(data, i, col, ev.indicators[m, y].china_share).number_format = PCT
            put(data, i, col + 1, d.limit("china_cap_share", m, y)).number_format = PCT
    n = len(years)
    cats = Reference(data, min_col=1, min_row=2, max_row=n + 1)
    for k, m in enumerate(minerals):
        ch = LineChart()
        ch.title = f"{m}: China share vs cap"
        ch.y_axis.title = "share of consumption"
        ch.y_axis.number_format = "0%"
        ch.y_axis.scaling.min, ch.y_axis.scaling.max = 0, 1
        ch.add_data(Reference(data, min_col=2 + 2 * k, max_col=3 + 2 * k, min_row=1, max_row=n + 1),
                    titles_from_data=True)
        ch.set_categories(cats)
        cap_line = ch.series[1].graphicalProperties.line
        cap_line.dashStyle, cap_line.solidFill, cap_line.width = "dash", "C00000", 28575
        finish_chart(ch, 12)
        charts.add_chart(ch, f"{'A' if k % 2 == 0 else 'H'}{1 + chart_rows(ch) * (k // 2)}")
    # Block 2: purchase value (USD, undiscounted) by origin country, per year.
    top = n + 3
    value = {(c, y): usd for y in years for c, usd in purchases_by_origin_usd(d, plan, y).items()}
    countries = sorted({c for c, _ in value}, key=lambda c: -sum(v for (cc, _), v in value.items() if cc == c))
    put(data, top, 1, "year")
    for j, c in enumerate(countries, start=2):
        put(data, top, j, c)
    for i, y in enumerate(years, start=top + 1):
        put(data, i, 1, y)
        for j, c in enumerate(countries, start=2):
            put(data, i, j, value.get((c, y), 0.0)).number_format = USD
    if countries:
        bar = BarChart()
        bar.type, bar.grouping, bar.overlap = "col", "stacked", 100
        bar.title = "Purchases by country of origin (USD, all minerals)"
        bar.y_axis.title = "USD"
        bar.y_axis.number_format = "#,##0,,\"M\""
        bar.add_data(Reference(data, min_col=2, max_col=1 + len(countries), min_row=top, max_row=top + n),
                     titles_from_data=True)
        bar.set_categories(Reference(data, min_col=1, min_row=top + 1, max_row=top + n))
        charts.add_chart(finish_chart(bar, 22, plot_cm=8), "O1")


def build_plan_workbook(d: PlanningData, plan: Plan, ev: Evaluation, run_info: list[tuple[str, object]],
                        source: str) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    _summary_sheet(summary, d, plan, ev, source)
    _supply_sheet(wb.create_sheet("Supply"), d, plan)
    write_table(wb.create_sheet("Policy"), POLICY_COLS, policy_rows(d, plan, ev))
    _recycling_sheet(wb.create_sheet("Recycling"), d, plan, ev)
    if d.refineries:
        _refining_sheet(wb.create_sheet("Refining"), d, plan, ev)
    _stockpile_sheet(wb.create_sheet("Stockpile"), d, ev)
    _agreements_sheet(wb.create_sheet("Agreements"), d, plan)
    write_table(wb.create_sheet("Indicators"), INDICATOR_COLS, indicator_rows(d, plan, ev))
    write_table(wb.create_sheet("Partners"), PARTNER_COLS, partner_rows(d, plan))
    write_definitions(wb)
    write_run_sheet(wb, run_info)
    _charts(wb, d, plan, ev)
    make_printable(wb)
    return wb


def write_plan_workbook(path: Path, d: PlanningData, plan: Plan, ev: Evaluation,
                        run_info: list[tuple[str, object]], source: str, protected=()) -> Path:
    """Write the results workbook on its own (no .json beside it); never over ``protected`` inputs."""
    wb = build_plan_workbook(d, plan, ev, run_info, source)
    return commit({Path(path): workbook_bytes(wb)}, protected)[0]
