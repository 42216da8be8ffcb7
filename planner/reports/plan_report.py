"""The plan report of ``planner solve``: ``<stem>-plan.html``.

One self-contained page from the verified plan: cost and its parts, the
limits that bind and their shadow prices, China share and the supply-risk
indicators per mineral and year against the caps, the supplier mix per
mineral, the partners with their scores beside the tonnes bought from them,
and recycling, stock and agreements.
"""

from __future__ import annotations

from models.dataset import STAGES, PlanningData
from models.plan import Plan
from planner.indicators import DEFINITIONS, binding_years, exposure_tonnes, mineral_sr, stage_risk
from planner.reports import html
from planner.reports.plan_workbook import COST_PART_NOTES
from planner.studies.compare import supply_by_origin_t, year_list
from planner.verify import Evaluation

NARROW = 520  # px: two charts side by side on a laptop screen
FAMILY_LIMIT = {"china_cap": "china_cap_share", "single_country_cap": "single_country_cap_share",
                "risk_cap": "risk_cap", "recycling_share": "recycling_min_share",
                "stockpile_cover": "stockpile_min_days", "ira_share": "ira_min_share"}


def binding_rows(d: PlanningData, plan: Plan) -> list[list]:
    """Per binding limit and mineral: the years it binds and its shadow prices (USD per point)."""
    rows = []
    for (family, m), years in sorted(binding_years(plan).items(), key=lambda kv: (kv[0][1], kv[0][0])):
        prices = [plan.shadow_usd_per_point[family, m, y] for y in years]
        top = max(zip(prices, years))
        rows.append([FAMILY_LIMIT.get(family, family), m, year_list(years), top[0], top[1], sum(prices)])
    return rows


def _share_chart(d: PlanningData, ev: Evaluation, m: str) -> str:
    years = list(d.years)
    return html.line_chart(f"{d.minerals[m].name}: China share of consumption", [
        html.Series("China share", [(y, ev.indicators[m, y].china_share) for y in years]),
        html.Series("cap", [(y, d.limit("china_cap_share", m, y)) for y in years], dashed=True, color="#C00000")],
        y_format="percent", width=NARROW, height=260)


def _mix_chart(d: PlanningData, plan: Plan, ev: Evaluation, m: str) -> str:
    """Tonnes per year by country of origin, recycling and net stock release."""
    years = list(d.years)
    by_year = {y: supply_by_origin_t(d, plan, m, y) for y in years}
    places = sorted({c for v in by_year.values() for c in v}, key=lambda c: -sum(v.get(c, 0.0)
                                                                                 for v in by_year.values()))
    stacks = {_place(d, c): [by_year[y].get(c, 0.0) for y in years] for c in places}
    draw = [sum(ev.indicators[m, y].released_t.values()) - sum(ev.indicators[m, y].added_t.values()) for y in years]
    if any(abs(x) > 1e-6 for x in draw):
        stacks["stock (released - added)"] = draw
    return html.bar_chart(f"{d.minerals[m].name}: supply by origin (t)", [str(y) for y in years], stacks,
                          y_format="t", width=NARROW, height=340, value_labels=False)


def _place(d: PlanningData, code: str) -> str:
    return "recycled in Korea" if code == "recycled" else d.countries[code].name if code in d.countries else code


def indicator_table(d: PlanningData, plan: Plan, ev: Evaluation) -> str:
    risks = stage_risk(d, plan, ev)
    first, last = d.settings.first_year, d.settings.last_year
    rows = []
    for m in d.minerals:
        for g in STAGES:
            a, b = risks[m, first, g], risks[m, last, g]
            rows.append([m, g, a.hhi, b.hhi, b.hhi_wgi, b.import_reliance, b.eol_rir, a.sr, b.sr, b.geopolrisk])
    return html.table(["mineral", "stage", f"HHI {first}", f"HHI {last}", f"HHI_WGI {last}",
                       f"import reliance {last}", f"EoL-RIR {last}", f"SR {first}", f"SR {last}",
                       f"GeoPolRisk {last}"], rows,
                      formats=["text", "text", "number", "number", "number", "percent", "percent", "number",
                               "number", "number"])


def definitions_table() -> str:
    return html.table(["indicator", "unit", "definition", "source"], [list(r) for r in DEFINITIONS],
                      formats=["text"] * 4)


def partners_table(d: PlanningData, plan: Plan) -> str:
    """Each country Korea buys from, its scores beside the tonnes mined or refined there."""
    tonnes = exposure_tonnes(d, plan)
    first, last = d.settings.first_year, d.settings.last_year
    rows = []
    for c, m in sorted({(c, m) for m, c, _ in tonnes}, key=lambda k: (-d.alignment(k[0]), k[0], k[1])):
        k = d.countries[c]
        t = {y: tonnes.get((m, c, y), 0.0) for y in d.years}
        ties = [name for name, flag in (("MSP", k.msp_member), ("FTA", k.fta_with_korea),
                                        ("treaty", k.security_treaty), ("export limits", k.export_restrictions))
                if flag]
        rows.append([c, d.alignment(c), k.political_risk, " ".join(ties) or "none", k.unga_agreement_share, m,
                     t[first], t[last], sum(t.values())])
    return html.table(["country", "alignment", "political risk", "inputs", "UNGA agreement", "mineral",
                       f"t {first}", f"t {last}", "t all years"], rows,
                      formats=["text", "number", "number", "text", "percent", "text", "t", "t", "t"])


def build_plan_html(d: PlanningData, plan: Plan, ev: Evaluation, title: str, subtitle: str) -> str:
    first, last = d.settings.first_year, d.settings.last_year
    risks = stage_risk(d, plan, ev)
    binding = binding_rows(d, plan)
    st = plan.stats
    story = [f"The plan costs USD {ev.total_usd / 1e6:,.0f} M in present value over {first}-{last} "
             f"(status {st.status}, within {st.gap or 0:.2%} of the least cost); every figure below is "
             "recomputed from the input data by the independent verifier."]
    if binding:
        by_limit: dict[str, list[str]] = {}
        for limit, m, *_ in binding:
            by_limit.setdefault(limit, []).append(m)
        story.append("Binding limits (years and shadow prices in the table below): " + "; ".join(
            f"{limit} for {', '.join(ms)}" for limit, ms in by_limit.items()) + ".")
    else:
        story.append("No policy limit binds: the least-cost plan meets every limit on its own.")
    sr_last = {m: mineral_sr(risks, m, last) for m in d.minerals}
    worst = sorted((v, m) for m, v in sr_last.items() if v is not None)[-3:][::-1]
    if worst:
        story.append(f"Highest supply risk (EU method, Korea's sourcing) in {last}: "
                     + ", ".join(f"{m} {v:.2f}" for v, m in worst) + " (the EU flags 1 or more).")
    costs = [[p, ev.costs_usd[p], ev.costs_usd[p] / ev.total_usd if ev.total_usd else None, COST_PART_NOTES[p]]
             for p in ev.costs_usd if ev.costs_usd[p]]
    sections = [("Cost and its parts", [
        html.table(["part", "USD M (present value)", "share", "what it is"], costs,
                   formats=["text", "usd_m", "percent", "text"]),
        html.bar_chart("Cost by mineral (present value)", list(d.minerals),
                       {"cost": [ev.costs_by_mineral_usd[m] for m in d.minerals]}, y_format="usd_m",
                       y_label="USD M", width=960, value_labels=False)])]
    sections.append(("Binding limits and their shadow prices", [html.table(
        ["limit", "mineral", "years it binds", "highest USD per point", "in", "sum over years (USD)"], binding,
        formats=["text", "text", "text", "usd", "year", "usd"]) + "<p>A shadow price is the present-value USD the "
        "plan would cost more if the limit were one point tighter (a percentage point, 0.01 of risk score, or a "
        "day of cover), with contracts and modules held.</p>"] if binding else
        ["<p>No limit binds.</p>"]))
    sections.append(("China share against the cap", [_share_chart(d, ev, m) for m in d.minerals]))
    sections.append(("Supply-risk indicators", [
        html.line_chart("Supply risk (EU method, higher stage) per mineral", [
            html.Series(m, [(y, mineral_sr(risks, m, y)) for y in d.years]) for m in d.minerals],
            y_format="number", width=960, height=380),
        indicator_table(d, plan, ev), definitions_table()]))
    sections.append(("Supplier mix per mineral", [_mix_chart(d, plan, ev, m) for m in d.minerals]))
    sections.append(("Partners: alignment and political risk beside the tonnes bought", [
        partners_table(d, plan) + "<p>Tonnes are those mined or refined in the country (a tonne mined in one "
        "country and refined in another counts for both). Alignment: 1 = fully aligned with Korea, from the "
        "inputs MSP/FORGE membership, an FTA with Korea, a security treaty with Korea or the US, UNGA voting "
        "agreement and no export limits (Settings alignment weights). The risk cap and the indicators use "
        f"{_basis(d)}.</p>"]))
    sections.append((f"The other limits in {last}, recycling, stock and agreements", [
        other_caps_table(d, ev), agreements_table(d, plan)]))
    return html.page(title, subtitle, story, sections, narrative_heading="In short")


def _basis(d: PlanningData) -> str:
    return {"political": "political risk (Settings risk_basis political)",
            "alignment": "misalignment, 1 - alignment (Settings risk_basis alignment)",
            "both": "the mean of political risk and misalignment (Settings risk_basis both)"}[d.settings.risk_basis]


def other_caps_table(d: PlanningData, ev: Evaluation) -> str:
    """The last year's average risk, largest country share, recycling and cover against their limits."""
    last = d.settings.last_year
    rows = []
    for m in d.minerals:
        b = ev.indicators[m, last]
        rows.append([m, b.avg_risk, d.limit("risk_cap", m, last), b.top_country[1],
                     d.limit("single_country_cap_share", m, last), b.recycling_share,
                     d.limit("recycling_min_share", m, last), b.stockpile_days, d.limit("stockpile_min_days", m, last)])
    return html.table(["mineral", f"avg risk {last}", "risk cap", "top country share", "single-country cap",
                       "recycling share", "minimum", "stock cover", "minimum"], rows,
                      formats=["text", "number", "number", "percent", "percent", "percent", "percent", "days",
                               "days"])


def agreements_table(d: PlanningData, plan: Plan) -> str:
    rows = []
    for a in d.agreements.values():
        years = [y for y in d.years if plan.join.get((a.agreement_id, y), 0)]
        line = max((plan.line_t.get((a.agreement_id, y), 0.0) for y in years), default=0.0)
        rows.append([a.agreement_id, a.kind, ", ".join(a.partner_countries), a.mineral_id,
                     "signed" if a.signed else "hypothetical", year_list(years) if years else "not joined", line,
                     a.emergency_volume_t, a.fee_usd_per_yr])
    return html.table(["agreement", "kind", "partners", "mineral", "status", "member in", "largest line held (t)",
                       "emergency volume (t)", "fee (USD/yr)"], rows, formats=["text"] * 6 + ["t", "t", "usd"])
