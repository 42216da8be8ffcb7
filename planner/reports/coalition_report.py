"""The report of ``planner coalition``: ``<stem>-coalition.xlsx``, ``.html`` and ``.json``.

What each partnership is worth (v(S) per coalition and mineral, with the range the solves prove), the
Shapley split and whether it is in the core (the coalitions it shorts named), the nucleolus and the
least-core ε, each member's fair share of the coalition's stock cost against the fees of the Agreements
sheet, what each member adds to each coalition, who the disruptions hit and when, and how the grand
coalition covers them.  Every figure comes from verified plans (``planner.verify.verify_coalition``);
every arrangement is labelled hypothetical unless the Agreements sheet says it is signed.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment

from models.dataset import CHINA, PlanningData
from planner.reports import html
from planner.reports.files import workbook_bytes
from planner.reports.plan_workbook import T, USD, Col, finish_chart, make_printable, write_run_sheet, write_table
from planner.reports.runinfo import proven_range
from planner.studies.coalition import ALL, ROUND_OFF_USD, CoalitionStudy, Split
from planner.workbook.writer import TITLE_FONT, put

HYPOTHETICAL = ("Every arrangement here is hypothetical: as of early 2026 no Korea-Japan or Korea-US stockpile-sharing "
                "or swap agreement has been signed (a Korea-Japan stockpiling dialogue, February 2025; a US-Japan "
                "framework to explore complementary stockpiling, October 2025; FORGE, the successor of the Minerals "
                "Security Partnership, February 2026).")
HOW = ("v(S) = the members' expected costs alone minus the coalition's (first stage + (1 - cvar_weight) x expected "
       "disruption cost + cvar_weight x CVaR, present value). A coalition holds a joint stock beside each member's "
       "own; every member, alone too, may hold a reserve on the same terms, so v(S) is the value of pooling, not of "
       "having a stock. Partners' stocks and exposures come from the Partners sheet (estimates where its Sources "
       "say so); probabilities are assumptions.")


def _name(s: tuple[str, ...]) -> str:
    return "+".join(s)


def _significant(r) -> str:
    return "yes" if r.significant else "no: the range holds 0"


def _korea_row(study: CoalitionStudy, m: str) -> list:
    """Korea's figures for the Partners table, from the case itself: its demand and stock at the start, its
    floor in the last year, and the China-linked share of what its plan alone buys in the first year."""
    d, y0 = study.d, study.d.settings.first_year
    alone = study.solved.get(((study.home,), study.block_of(m)))
    bought = {s: t for (s, y), t in (alone.korea_buy_t if alone else {}).items() if y == y0 and t > 0
              and d.suppliers[s].mineral_id == m}
    china = sum(t for s, t in bought.items() if CHINA in d.suppliers[s].countries) / sum(bought.values()) \
        if bought else None
    rule = d.stockpile.get(m)
    return [study.home, m, d.demand_t.get((m, y0), 0.0), rule.initial_stock_t if rule else 0.0,
            d.limit("stockpile_min_days", m, d.settings.last_year), None, china,
            "its supply options (Suppliers)", "Shortage costs / Minerals", "the workbook's own sheets", "see them"]


PARTNER_COLS = [
    Col("member", "", "Member country"), Col("mineral", "", "mineral_id"),
    Col("demand_t_per_yr", T, "Yearly demand in the traded form (Korea: the first year's, Demand sheet)"),
    Col("stock_t", T, "Emergency stock (Korea: at the start, Stockpile sheet)"),
    Col("mandate_days", "0", "Days its policy keeps in stock (Korea: the Policy floor in the last year)"),
    Col("lendable_t", T, "What it may lend a member not hit: its stock above its mandate (Korea: decided by its plan)"),
    Col("china_share", "0.0%", "Share of its supply mined or refined in China (Korea: of what its plan alone buys "
                               "in the first year)"),
    Col("other_suppliers", "", "Its other supplier countries and shares"),
    Col("shortage_cost", "", "Its shortage cost: flat USD/t, or a factor on Korea's curve"),
    Col("sources", "", "Sources rows: demand and exposure; stock and mandate; shortage cost"),
    Col("estimates", "", "Which of its figures are estimates (Sources marked estimate, or a stock taken from the "
                         "mandate)"),
]


def partner_rows(study: CoalitionStudy) -> list[list]:
    d = study.d
    rows = []
    for m in study.minerals:
        rows.append(_korea_row(study, m))
        for i in study.members:
            p = d.partners.get((i, m))
            if p is None:
                continue
            sources = dict(zip(("demand and exposure", "stock", "shortage cost"), p.sources))
            estimated = [what for what, sid in sources.items() if sid in d.estimated_sources]
            if p.stock_from_mandate:
                estimated.append("stock (from the mandate)")
            shortage = (f"{p.shortage_cost_usd_per_t:,.0f} USD/t" if p.shortage_cost_usd_per_t is not None else
                        f"{1.0 if p.shortage_cost_factor is None else p.shortage_cost_factor:g} x Korea's curve")
            rows.append([i, m, p.demand_t_per_yr, p.stock_t, p.mandate_days, p.lendable_t, p.china_share,
                         "; ".join(f"{c} {x:.0%}" for c, x in p.suppliers) or "-", shortage,
                         "; ".join(sid or "-" for sid in sources.values()), ", ".join(estimated) or "none"])
    return rows


COALITION_COLS = [
    Col("coalition", "", "Members"), Col("mineral", "", "mineral_id, or all minerals (a CVaR term links them)"),
    Col("expected_cost_usd", USD, "The coalition's hedged objective: first stage + expected disruption cost (+ CVaR "
                                  "term), present value, verified"),
    Col("bound_usd", USD, "HiGHS's proven lower bound of it"),
    Col("value_usd", USD, "v(S): its members' costs alone minus its cost"),
    Col("value_low_usd", USD, "Lowest v(S) the bounds allow"), Col("value_high_usd", USD, "Highest"),
    Col("significant", "", "no: the range holds 0"),
    Col("joint_stock_t", T, "The joint stock at the end of the last year"),
    Col("reserves_t", T, "The members' reserves at the end of the last year, together"),
    Col("status", "", "optimal, or feasible (time limit)"),
    Col("solved", "", "How: solved (HiGHS blocks run / blocks), or why it was not solved again"),
    Col("wall_s", "0.00", "Seconds to build, solve and verify"),
]


def coalition_rows(study: CoalitionStudy) -> list[list]:
    last = study.d.settings.last_year
    rows = []
    for s in study.coalitions:
        for b in study.blocks:
            r = study.solved.get((s, b))
            if r is None:
                continue
            v = study.value(s, b) if study.complete(s) else None
            rows.append([_name(s), b, r.objective.value, r.objective.low, *(
                [v.value, v.low, v.high, _significant(v)] if v else [None] * 4),
                sum(t for (_m, y), t in r.joint_stock_t.items() if y == last),
                sum(t for (_m, _i, y), t in r.reserve_t.items() if y == last), r.status,
                r.reused or f"solved ({r.blocks_solved}/{r.blocks} blocks)", r.wall_s])
    return rows


def value_matrix(study: CoalitionStudy) -> tuple[list[str], list[list]]:
    """v(S) by coalition (rows) and mineral (columns), and in all."""
    headers = ["coalition", *study.blocks, "all minerals"] if study.blocks != [ALL] else ["coalition", "all minerals"]
    rows = []
    for s in study.coalitions:
        if len(s) < 2 or not study.complete(s):
            continue
        per = [study.value(s, b).value for b in study.blocks] if study.blocks != [ALL] else []
        rows.append([_name(s), *per, study.value(s).value])
    return headers, rows


def shapley_rows(study: CoalitionStudy, split: Split) -> tuple[list[str], list[list]]:
    headers = ["member", *([] if study.blocks == [ALL] else study.blocks), "shapley_usd", "nucleolus_usd",
               "gross_saving_usd", "fair_share_of_stock_cost_usd", "fair_share_usd_per_yr"]
    rows = []
    for i in study.members:
        per = [] if study.blocks == [ALL] else [split.shapley_by_mineral_usd[i, b] for b in study.blocks]
        gross = sum(v for (j, _b), v in split.gross_saving_usd.items() if j == i) if split.gross_saving_usd else None
        fair = sum(v for (j, _b), v in split.fair_share_usd.items() if j == i) if split.fair_share_usd else None
        rows.append([i, *per, split.shapley_usd[i], split.nucleolus_usd[i], gross, fair,
                     None if fair is None else fair / split.annuity])
    return headers, rows


FEE_COLS = [
    Col("mineral", "", "mineral_id, or the group a stream plant links"),
    Col("stock_cost_usd", USD, "What the grand coalition's joint stock costs (first stage, present value)"),
    Col("korea_fair_share_usd", USD, "Korea's fair share of it: Korea's own saving before the stock's cost is "
                                     "shared, minus its Shapley value (negative: Korea should be paid)"),
    Col("korea_fair_share_usd_per_yr", USD, "The same as an even yearly payment over the horizon"),
    Col("korea_fees_usd", USD, "Present value of the fees of Korea's Agreements rows with these partners (joined "
                               "from their first year, whole line): today's terms for lines with these partners"),
    Col("korea_fees_usd_per_yr", USD, "The same as an even yearly payment"),
    Col("fees_minus_fair_usd", USD, "What the fees ask above Korea's fair share (present value)"),
    Col("agreements", "", "Those Agreements rows (all hypothetical unless marked signed)"),
]


def fee_rows(study: CoalitionStudy, split: Split) -> list[list]:
    if not split.fair_share_usd:
        return []
    rows = []
    for b in study.blocks:
        minerals = study.minerals if b == ALL else b.split("+")
        fair = split.fair_share_usd.get((study.home, b), 0.0)
        fees = sum(split.fees_usd.get(m, 0.0) for m in minerals)
        named = [a for m in minerals for a in split.fee_agreements.get(m, [])]
        rows.append([b, split.joint_cost_usd.get(b, 0.0), fair, fair / split.annuity, fees, fees / split.annuity,
                     fees - fair, ", ".join(named) or "-"])
    return rows


CORE_COLS = [Col("coalition", "", "A coalition short of the grand one"),
             Col("value_usd", USD, "v(S): what it saves alone"),
             Col("shapley_usd", USD, "What the Shapley split gives its members together"),
             Col("excess_usd", USD, "Shapley - v(S): negative means it would do better alone"),
             Col("holds", "", "yes: the Shapley split gives it at least what it saves alone"),
             Col("nucleolus_usd", USD, "What the nucleolus gives its members together")]


def core_rows(study: CoalitionStudy, split: Split) -> list[list]:
    short = {s: x for s, x in split.violations}
    rows = []
    for s in study.coalitions:
        if len(s) == len(study.members):
            continue
        v = study.value(s).value
        got = sum(split.shapley_usd[i] for i in s)
        rows.append([_name(s), v, got, got - v, "no" if s in short else "yes",
                     sum(split.nucleolus_usd[i] for i in s)])
    return rows


MARGINAL_COLS = [Col("coalition", "", "S"), Col("adds", "", "The member added"),
                 Col("value_added_usd", USD, "v(S + member) - v(S), all minerals"),
                 Col("low_usd", USD, "Lowest the bounds allow"), Col("high_usd", USD, "Highest"),
                 Col("significant", "", "no: the range holds 0"),
                 Col("by_mineral", "", "The largest parts, by mineral")]


def marginal_rows(study: CoalitionStudy, split: Split) -> list[list]:
    rows = []
    for (s, i), r in split.marginal_usd.items():
        parts = sorted(((b, split.marginal_by_mineral_usd[s, i, b]) for b in study.blocks), key=lambda x: -abs(x[1]))
        shown = "; ".join(f"{b} {x:,.0f}" for b, x in parts[:4] if abs(x) >= 1) or "-"
        rows.append([_name(s), i, r.value, r.low, r.high, _significant(r), shown])
    return rows


COVER_COLS = [Col("coalition", "", "Members"), Col("mineral", "", "mineral_id"),
              Col("scenario", "", "Disruption scenario"), Col("probability", "0.0000", "An assumption"),
              Col("member", "", "Who"), Col("lost_t", T, "Tonnes it loses (all years of the scenario)"),
              Col("own_stock_t", T, "From its own stock and reserve (Korea: the public stock and its reserve)"),
              Col("joint_stock_t", T, "From the joint stock"), Col("swaps_in_t", T, "Borrowed from members not hit"),
              Col("lent_t", T, "Lent to members hit"), Col("spot_t", T, "Bought spot, within its share of spare "
                                                                      "capacity"),
              Col("recycling_t", T, "Extra recycling (Korea)"), Col("unmet_t", T, "Left short, at its shortage cost")]


def cover_rows(study: CoalitionStudy, only: tuple[str, ...] | None = None) -> list[list]:
    rows = []
    for (s, _b), r in study.solved.items():
        if (only is not None and s != only) or len(s) < 2:
            continue
        rows += [[_name(s), c.mineral_id, c.scenario, c.probability, c.member, c.lost_t, c.own_t, c.joint_t,
                  c.swaps_in_t, c.lent_t, c.spot_t, c.recycling_t, c.unmet_t] for c in r.cover]
    return sorted(rows, key=lambda r: (len(r[0]), r[0], r[1], -r[3], r[2], r[4]))


def exposure_rows(study: CoalitionStudy) -> tuple[list[str], list[list]]:
    """Per mineral and event, the tonnes each member loses (alone), summed over the event's scenarios
    weighted by probability, and in how many of them: pooling helps only where members are hit apart."""
    lost: dict[tuple[str, str, str], list[float]] = {}
    event = {sc.name: sc.event for sc in study.d.disruptions}
    for ((s, _b), r) in study.solved.items():
        if len(s) != 1:
            continue
        for c in r.cover:
            x = lost.setdefault((c.mineral_id, event[c.scenario], c.member), [0.0, 0])
            x[0] += c.probability * c.lost_t
            x[1] += 1
    keys = sorted({(m, e) for m, e, _i in lost})
    headers = ["mineral", "event", *[f"{i} expected lost t (scenarios)" for i in study.members], "hit together"]
    rows = []
    for m, e in keys:
        cells, hit = [], []
        for i in study.members:
            x = lost.get((m, e, i))
            cells.append(f"{x[0]:,.1f} ({x[1]})" if x else "-")
            if x:
                hit.append(i)
        rows.append([m, e, *cells, "+".join(hit) if len(hit) > 1 else (f"{hit[0]} alone" if hit else "-")])
    return headers, rows


def arrangement_rows(d: PlanningData, members: tuple[str, ...]) -> list[list]:
    """Korea's Agreements rows with any member: today's terms for lines with them, signed or hypothetical."""
    others = set(members) - {d.settings.home_country}
    return [[a.agreement_id, a.kind, ";".join(a.partner_countries), a.mineral_id, a.fee_usd_per_yr,
             a.fee_usd_per_t_yr, a.emergency_volume_t, "signed" if a.signed else "hypothetical"]
            for a in d.agreements.values() if set(a.partner_countries) & others]


ARRANGEMENT_COLS = [Col("agreement_id", "", "Agreements row"), Col("kind", "", "swap or joint_stockpile"),
                    Col("partners", "", "Partner countries"), Col("mineral", "", "mineral_id"),
                    Col("fee_usd_per_yr", USD, "Yearly fee"), Col("fee_usd_per_t_yr", USD, "Fee per tonne of line"),
                    Col("emergency_volume_t", T, "Largest line"),
                    Col("status", "", "signed (Agreements signed = yes) or hypothetical")]


# ---- the story -------------------------------------------------------------------------------------

def _m(usd: float) -> str:
    """Money in the story: USD millions, or whole dollars below a million (the savings are often small)."""
    return f"USD {usd / 1e6:,.2f} M" if abs(usd) >= 1e6 else f"USD {usd:,.0f}"


def story(study: CoalitionStudy, split: Split | None) -> list[str]:
    d, members = study.d, study.members
    rule = d.settings.coalition_sharing_rule.replace("_", " ")
    out = [f"Members {', '.join(members)}; {len(study.coalitions)} coalitions of {len(study.minerals)} mineral(s), "
           f"joint stock shared {rule} (Settings coalition_sharing_rule), cvar_weight {d.settings.cvar_weight:g}. "
           + HYPOTHETICAL]
    if split is None:
        out.append("The run was stopped before every coalition was solved: the values of the coalitions that "
                   "finished are below; the split needs them all.")
        return out
    grand = tuple(members)
    v = study.value(grand)
    worth = sorted(((b, study.value(grand, b).value) for b in study.blocks), key=lambda x: -x[1])
    top = [f"{b} {_m(x)}" for b, x in worth if x >= 1][:5]
    most = f", most in {', '.join(top)}." if top and study.blocks != [ALL] else "."
    out.append(f"Together the {len(members)} members save {_m(v.value)} in expectation (present value; proven "
               f"between {_m(v.low)} and {_m(v.high)})" + (most if top else
                                                                           ": pooling buys nothing here."))
    out.append("Shapley split: " + "; ".join(f"{i} {_m(split.shapley_usd[i])}" for i in members) + ". " + (
        "It is in the core: no coalition saves more alone." if split.in_core else
        "It is not in the core: " + "; ".join(f"{_name(s)} would save {_m(x)} more alone" for s, x in
                                              split.violations) + ". The nucleolus gives " + "; ".join(
            f"{i} {_m(split.nucleolus_usd[i])}" for i in members)
        + f" (least-core ε {_m(split.least_core_epsilon_usd)})."))
    for i in members:
        if i == study.home:
            continue
        others = tuple(j for j in members if j != i)
        if len(others) > 1 and (others, i) in split.marginal_usd:
            r = split.marginal_usd[others, i]
            out.append(f"{i} adds {_m(r.value)} to {_name(others)}" + ("" if r.significant else
                                                                       " (not significant: within the solves' gaps)")
                       + ".")
    if split.fair_share_usd:
        fair = sum(v for (j, _b), v in split.fair_share_usd.items() if j == study.home)
        fees = sum(split.fees_usd.values())
        out.append(f"Korea's fair share of the coalition's stock cost is {_m(fair)} ({_m(fair / split.annuity)} a "
                   f"year); the fees of its Agreements rows with these partners come to {_m(fees)} "
                   f"({_m(fees / split.annuity)} a year).")
    if abs(v.value) < 1e3 * max(1, len(study.blocks)):
        out.append("Why so little: a stock serves two members only if they are hit at different times. In these "
                   "data the events that size each member's stock hit the members together (China's export stops "
                   "hit all of them; the sea-lane closure Korea and Japan), and what hits one member alone is "
                   "covered by its own stock (see 'Who the disruptions hit').")
    return out


# ---- the files -------------------------------------------------------------------------------------

def coalition_facts(study: CoalitionStudy, split: Split | None) -> list[tuple[str, object]]:
    """The study's headline for its .json and Run sheet: the grand coalition's solve, every v(S) with its
    range, the split and the fair shares."""
    grand = tuple(study.members)
    statuses = {r.status for r in study.solved.values()}
    status = next((s for s in ("no_solution", "feasible") if s in statuses), "optimal")
    out: list[tuple[str, object]] = [("status", status)]
    if all((grand, b) in study.solved for b in study.blocks):
        c = study.cost(grand)
        out += [("termination", ", ".join(sorted({study.solved[grand, b].termination for b in study.blocks}))),
                ("objective_usd", c.value), ("best_bound_usd", c.low),
                ("gap", (c.value - c.low) / abs(c.low) if c.low else 0.0)]
    out += [("members", ",".join(study.members)), ("minerals", ",".join(study.minerals)),
            ("sharing_rule", study.d.settings.coalition_sharing_rule),
            ("coalitions_solved", sum(1 for r in study.solved.values() if not r.reused)),
            ("coalitions_reused", sum(1 for r in study.solved.values() if r.reused)),
            ("highs_blocks_run", sum(r.blocks_solved for r in study.solved.values())),
            ("interrupted", study.stopped), ("hypothetical", HYPOTHETICAL)]
    for s in study.coalitions:
        if len(s) > 1 and study.complete(s):
            out += proven_range(f"value {_name(s)}", study.value(s))
    if split is None:
        return out + [("split", "not computed: the run was stopped before every coalition was solved")]
    out += [(f"shapley {i}_usd", split.shapley_usd[i]) for i in study.members]
    out += [("in_core", split.in_core), ("core_violated_by", "; ".join(_name(s) for s, _x in split.violations) or None),
            ("least_core_epsilon_usd", split.least_core_epsilon_usd)]
    out += [(f"nucleolus {i}_usd", split.nucleolus_usd[i]) for i in study.members]
    if split.fair_share_usd:
        out += [(f"fair_share {i}_usd", sum(v for (j, _b), v in split.fair_share_usd.items() if j == i))
                for i in study.members]
        out += [("korea_fees_usd", sum(split.fees_usd.values()))]
    out += [(f"{i} adds to {_name(s)}_usd", r.value) for (s, i), r in split.marginal_usd.items()]
    return out


def build_workbook(study: CoalitionStudy, split: Split | None, run_info, title: str, subtitle: str) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    put(ws, 1, 1, title).font = TITLE_FONT
    put(ws, 2, 1, subtitle)
    for k, line in enumerate([*story(study, split), HOW], start=4):
        put(ws, k, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[k].height = 48
    ws.column_dimensions["A"].width = 160
    write_table(wb.create_sheet("Coalitions"), COALITION_COLS, coalition_rows(study))
    headers, rows = value_matrix(study)
    write_table(wb.create_sheet("Values"), [Col(h, "" if j == 0 else USD, "v(S), USD present value" if j else "S")
                                            for j, h in enumerate(headers)], rows)
    if split is not None:
        headers, rows = shapley_rows(study, split)
        sh = wb.create_sheet("Shapley")
        write_table(sh, [Col(h, "" if j == 0 else USD, "USD present value" if j else "member")
                         for j, h in enumerate(headers)], rows)
        _shapley_chart(sh, study, len(rows))
        write_table(wb.create_sheet("Fair shares"), FEE_COLS, fee_rows(study, split))
        write_table(wb.create_sheet("Core"), CORE_COLS, core_rows(study, split))
        write_table(wb.create_sheet("Marginal"), MARGINAL_COLS, marginal_rows(study, split))
    headers, rows = exposure_rows(study)
    write_table(wb.create_sheet("Exposure"), [Col(h, "", "Expected tonnes lost alone (scenarios hitting it)")
                                              for h in headers], rows)
    write_table(wb.create_sheet("Cover"), COVER_COLS, cover_rows(study))
    write_table(wb.create_sheet("Partners"), PARTNER_COLS, partner_rows(study))
    write_table(wb.create_sheet("Arrangements"), ARRANGEMENT_COLS, arrangement_rows(study.d, study.members))
    write_run_sheet(wb, run_info)
    make_printable(wb)
    return wb


def _shapley_chart(ws, study: CoalitionStudy, n: int) -> None:
    """Each member's Shapley value, stacked by mineral (the Shapley sheet's own columns)."""
    if not n:
        return
    blocks = len(study.blocks) if study.blocks != [ALL] else 0
    bar = BarChart()
    bar.type, bar.grouping, bar.overlap = "col", "stacked", 100
    bar.title = "Shapley value by member and mineral (USD, present value)"
    bar.y_axis.number_format = "#,##0"
    last = 1 + blocks if blocks else 1 + 1  # the minerals, or the total alone
    bar.add_data(Reference(ws, min_col=2, max_col=last, min_row=1, max_row=1 + n), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + n))
    ws.add_chart(finish_chart(bar, 22, plot_cm=8), f"A{n + 4}")


def build_html(study: CoalitionStudy, split: Split | None, title: str, subtitle: str) -> str:
    headers, rows = value_matrix(study)
    sections = [("What each partnership is worth", [
        _value_chart(study), html.table(headers, rows, formats=["text"] + ["usd"] * (len(headers) - 1)),
        "<p>v(S) in USD, present value: what the coalition saves against its members alone. " + html.esc(HOW)
        + "</p>"])]
    if split is not None:
        sh, srows = shapley_rows(study, split)
        sections.append(("The fair split", [
            _shapley_chart_svg(study, split), html.table(sh, srows, formats=["text"] + ["usd"] * (len(sh) - 1)),
            "<p>Shapley value: each member's marginal saving averaged over the orders in which the coalition could "
            "form. Gross saving: what its own costs fall by in the grand coalition, before the joint stock's cost is "
            "shared; fair share of the stock cost = gross saving - Shapley value (negative: it should be paid).</p>",
            html.table([c.name for c in FEE_COLS], fee_rows(study, split),
                       formats=["text", "usd", "usd", "usd", "usd", "usd", "usd", "text"]) if split.fair_share_usd
            else "<p>Fair shares are not computed with a CVaR term: the CVaR does not split by member.</p>"]))
        sections.append(("Is the split stable? The core", [
            html.table([c.name for c in CORE_COLS], core_rows(study, split),
                       formats=["text", "usd", "usd", "usd", "text", "usd"]),
            f"<p>{'In the core' if split.in_core else 'Not in the core'}: every coalition should get at least "
            f"what it saves alone. Least-core ε {html.fmt(split.least_core_epsilon_usd, 'usd')} USD (at most 0 "
            "when the core holds an allocation); the nucleolus is the split that shorts the worst-off coalition "
            "least.</p>"]))
        sections.append(("What each member adds to each coalition", [html.table(
            [c.name for c in MARGINAL_COLS], marginal_rows(study, split),
            formats=["text", "text", "usd", "usd", "usd", "text", "text"])]))
    eh, erows = exposure_rows(study)
    grand = cover_rows(study, tuple(study.members))
    pooled = [r for r in grand if r[7] > 1e-3 or r[8] > 1e-3 or r[9] > 1e-3]
    sections += [
        ("Who the disruptions hit, and when", [html.table(eh, erows), "<p>Expected tonnes each member loses alone "
                                               "(probability-weighted over the event's scenarios) and in how many "
                                               "scenarios; a stock can serve two members only if they are hit "
                                               "apart.</p>"]),
        ("What the joint stock and the swaps cover, and for whom", [html.table(
            [c.name for c in COVER_COLS], pooled[:200], formats=["text", "text", "text", "probability", "text"]
            + ["t"] * 8) if pooled else "<p>Nothing: in the grand coalition's plan no member draws on the joint stock "
                                        "or borrows. The workbook's Cover sheet shows how every member covers every "
                                        "scenario in every coalition.</p>"]),
        ("The members' figures", [html.table([c.name for c in PARTNER_COLS], partner_rows(study), formats=[
            "text", "text", "t", "t", "number", "t", "percent", "text", "text", "text", "text"])]),
        ("Korea's agreements with these partners today", [html.table(
            [c.name for c in ARRANGEMENT_COLS], arrangement_rows(study.d, study.members),
            formats=["text", "text", "text", "text", "usd", "usd", "t", "text"]),
            f"<p>{html.esc(HYPOTHETICAL)} These lines stay open to Korea in every coalition, as they are; the "
            "coalition's pooling comes on top of them.</p>"])]
    return html.page(title, subtitle, story(study, split), sections, narrative_heading="In short")


def _value_chart(study: CoalitionStudy) -> str:
    pairs = [s for s in study.coalitions if len(s) > 1 and study.complete(s)]
    if not pairs or all(abs(study.value(s).value) < ROUND_OFF_USD for s in pairs):
        return ""  # nothing to draw: every coalition saves nothing
    if study.blocks == [ALL]:
        return html.bar_chart("v(S) by coalition (USD M)", [_name(s) for s in pairs],
                              {"all minerals": [study.value(s).value for s in pairs]}, y_format="usd_m")
    return html.bar_chart("v(S) by coalition and mineral (USD M)", [_name(s) for s in pairs],
                          {b: [study.value(s, b).value for s in pairs] for b in study.blocks}, y_format="usd_m",
                          width=960, height=360, value_labels=False)


def _shapley_chart_svg(study: CoalitionStudy, split: Split) -> str:
    members = list(study.members)
    if all(abs(x) < ROUND_OFF_USD for x in split.shapley_usd.values()):
        return ""
    if study.blocks == [ALL]:
        return html.bar_chart("Shapley value by member (USD M)", members,
                              {"all minerals": [split.shapley_usd[i] for i in members]}, y_format="usd_m")
    return html.bar_chart("Shapley value by member and mineral (USD M)", members,
                          {b: [split.shapley_by_mineral_usd[i, b] for i in members] for b in study.blocks},
                          y_format="usd_m", width=720, height=360, value_labels=False)


def coalition_files(study: CoalitionStudy, split: Split | None, run_info, title: str,
                    subtitle: str) -> tuple[bytes, bytes]:
    return (workbook_bytes(build_workbook(study, split, run_info, title, subtitle)),
            build_html(study, split, title, subtitle).encode("utf-8"))

