"""The plan report of ``planner solve``: ``<stem>-plan.html``, in English or Korean.

One self-contained page from the verified plan: what it costs and the limits that bind, in plain words
first; the cost and its parts; the binding limits with their shadow prices; China's share against the
cap over all minerals and per mineral; the recycling build-out and the stock, year by year; the
supply-risk indicators; the supplier mix per mineral by mining and by refining country; the partners
with their scores beside the tonnes bought from them; the agreements.  Every word comes from
``planner.reports.labels``.
"""

from __future__ import annotations

from models.dataset import MINING, REFINING, STAGES, PlanningData
from models.plan import Plan, family_limit
from planner.indicators import (
    DEFINITIONS, binding_years, exposure_tonnes, limit_over_minerals, mineral_sr, over_minerals, stage_risk,
)
from planner.reports import html
from planner.reports import labels as L
from planner.reports.labels import EN, label
from planner.reports.plan_workbook import INDICATOR_COL
from planner.studies.compare import USED_T
from planner.studies.policies import strategy_limit, target_year
from planner.verify import Evaluation

NARROW = 520  # px: two charts side by side on a laptop screen
CAP_RED = "#C00000"


def binding_rows(d: PlanningData, plan: Plan, lang: str = EN) -> list[list]:
    """Per binding limit and mineral: the years it binds and its shadow prices (USD per point)."""
    rows = []
    order = list(d.minerals)
    for (family, m), years in sorted(binding_years(plan).items(), key=lambda kv: (order.index(kv[0][1]), kv[0][0])):
        prices = [plan.shadow_usd_per_point[family, m, y] for y in years]
        top = max(zip(prices, years))
        rows.append([L.family_name(family, lang), L.mineral_name(d, m, lang),
                     L.year_list(years), L.price_shown(top[0]), top[1], L.price_shown(sum(prices))])
    return rows


def story(d: PlanningData, plan: Plan, ev: Evaluation, lang: str = EN) -> list[str]:
    """'In short': the cost, China's share, recycling, the stock and the limits that bind, in plain words."""
    st, s = plan.stats, d.settings
    first, last, target = s.first_year, s.last_year, target_year(d)
    pct = lambda x: html.fmt(x, "percent")  # noqa: E731
    # A gap below 0.0005% read 'within 0%', as if the plan were proven exactly: its first digit shows.
    gap = st.gap or 0.0
    out = [label("plan.story.cost", lang, usd=html.usd_m(ev.total_usd), first=first, last=last,
                 price_year=s.price_year, gap=html.fmt(gap, "percent", html.nonzero_decimals(gap, "percent") or 3))]
    share = {y: over_minerals(ev, d.minerals, y, "china_share") for y in (first, target, last)}
    cap = strategy_limit(d, "china_cap_share", target)  # the strategy's, not the minerals' own rows
    bound = limit_over_minerals(d, ev, d.minerals, target, "china_share", "china_cap_share")
    out.append(label("plan.story.china", lang, basis=label(f"basis_word.{s.reliance_basis}", lang),
                     first=first, target=target, last=last, now=pct(share[first]), then=pct(share[target]),
                     end=pct(share[last]), cap=pct(cap) if cap is not None else label("word.per_mineral", lang),
                     bound=pct(bound)))
    if cap is not None:
        over = [m for m in d.minerals if ev.indicators[m, target].china_share > cap + 5e-4]
        if over:
            out.append(label("plan.story.china_over", lang, year=target, cap=pct(cap),
                             minerals=", ".join(f"{L.mineral_name(d, m, lang)} "
                                                f"{pct(ev.indicators[m, target].china_share)}" for m in over)))
    recycled = sum(ev.indicators[m, target].recycled_t for m in d.minerals)
    built = sum(n for n in plan.build_modules.values())
    out.append(label("plan.story.recycling", lang, year=target,
                     share=pct(over_minerals(ev, d.minerals, target, "recycling_share")), t=html.tonnes(recycled),
                     minimum=pct(limit_over_minerals(d, ev, d.minerals, target, "recycling_share",
                                                     "recycling_min_share")),
                     modules=built, first=first, last=last))
    days = {y: over_minerals(ev, d.minerals, y, "stockpile_days") for y in (target, last)}
    floor = {y: limit_over_minerals(d, ev, d.minerals, y, "stockpile_days", "stockpile_min_days")
             for y in (target, last)}
    shown = lambda x: L.days(html.fmt(x, "number", 0), lang) if x is not None else "\u2013"  # noqa: E731
    # The last year's cover beside its minimum, or 'just the minimum' where they read the same.
    at_minimum = shown(days[last]) == shown(floor[last])
    end = label("plan.story.stock.end_at_minimum" if at_minimum else "plan.story.stock.end", lang,
                days=shown(days[last]), last=last, minimum=shown(floor[last]))
    out.append(label("plan.story.stock", lang, year=target, days=shown(days[target]), minimum=shown(floor[target]),
                     end=end))
    by_limit: dict[str, list[str]] = {}
    for (family, m) in sorted(binding_years(plan), key=lambda k: list(d.minerals).index(k[1])):
        by_limit.setdefault(family_limit(family), []).append(m)
    if by_limit:
        parts = [label("plan.story.binds", lang, limit=L.limit_name(column, lang), n=len(ms),
                       minerals=L.minerals_words(d, ms, lang, capital=False))
                 for column, ms in sorted(by_limit.items(), key=lambda kv: -len(kv[1]))]
        out.append(label("plan.story.binding", lang, parts=label("word.sep", lang).join(parts)))
    else:
        out.append(label("plan.story.none_binds", lang))
    risks = stage_risk(d, plan, ev)
    worst = sorted((v, m) for m in d.minerals if (v := mineral_sr(risks, m, last)) is not None)[-3:][::-1]
    if worst:
        out.append(label("plan.story.risk", lang, year=last, minerals=", ".join(
            f"{L.mineral_name(d, m, lang)} {v:.2f}" for v, m in worst)))
    unmet = sum(mi.unmet_t for mi in ev.indicators.values())
    if unmet > USED_T:
        out.append(label("plan.story.unmet", lang, t=html.tonnes(unmet)))
    return [line for line in out + [L.estimates_note(d, lang)] if line]


def _year_table(d: PlanningData, value, kind: str, limit_column: str | None, lang: str) -> str:
    """Minerals down, years across: ``value(m, y)``, and the mineral's limit from the first year to the last
    (``limit_column``) beside it."""
    years = list(d.years)
    paths = {m: [(y, d.limit(limit_column, m, y)) for y in years] for m in d.minerals} if limit_column else {}
    path_kind = "percent" if kind == "percent" else "number"
    decimals = html.limit_decimals(list(paths.values()), path_kind)  # one mineral's path reads as another's
    rows = []
    for m in d.minerals:
        row = [L.mineral_name(d, m, lang), *[value(m, y) for y in years]]
        if limit_column:
            row.append(html.limit_path(paths[m], path_kind, decimals=decimals))
        rows.append(row)
    heads = [label("word.mineral", lang), *map(str, years)]
    if limit_column:
        heads.append(label(f"plan.limit_path.{limit_column}", lang))
    return html.table(heads, rows, formats=["text", *[kind] * len(years)] + (["text"] if limit_column else []))


def china_section(d: PlanningData, ev: Evaluation, lang: str) -> list[str]:
    """China's share over all minerals by either stage, mining and refining, against the all-minerals cap;
    per mineral in a table (the charts of single minerals would mostly draw the cap twice)."""
    years = list(d.years)
    basis = label(f"basis_word.{d.settings.reliance_basis}", lang)
    chart = html.line_chart(label("plan.chart.china", lang, basis=basis), [
        html.Series(L.measure("china_share_mining", lang),
                    [(y, over_minerals(ev, d.minerals, y, "china_share_mining")) for y in years], color="#E69F00"),
        # The China share is mostly its refining share: that is drawn over it, dotted, so that both show.
        html.Series(L.measure("china_share", lang), [(y, over_minerals(ev, d.minerals, y, "china_share"))
                                                     for y in years], color=html.color_of("CHN")),
        html.Series(L.measure("china_share_refining", lang),
                    [(y, over_minerals(ev, d.minerals, y, "china_share_refining")) for y in years],
                    color="#882255", dotted=True),
        html.Series(label("word.cap_weighted", lang), [
            (y, limit_over_minerals(d, ev, d.minerals, y, "china_share", "china_cap_share")) for y in years],
            dashed=True, color=CAP_RED)], y_format="percent", width=960, height=340)
    note = html.esc(label("plan.china.note", lang, definition=L.definition("china_share", lang,
                                                                            d.settings.reliance_basis)))
    table = _year_table(d, lambda m, y: ev.indicators[m, y].china_share, "percent", "china_cap_share", lang)
    return [chart, f"<p>{note}</p>" + table]


def _against_minimum(d: PlanningData, ev: Evaluation, title: str, measure: str, limit: str, color: str, lang: str,
                     **chart) -> str:
    """A measure over all minerals year by year (a line) against the Policy minimum weighted the same way (dashed)."""
    years = list(d.years)
    return html.line_chart(title, [
        html.Series(L.measure(measure, lang), [(y, over_minerals(ev, d.minerals, y, measure)) for y in years],
                    color=color),
        html.Series(label("word.minimum_weighted", lang),
                    [(y, limit_over_minerals(d, ev, d.minerals, y, measure, limit)) for y in years],
                    dashed=True, color=CAP_RED)], width=NARROW, height=340, **chart)


def recycling_section(d: PlanningData, ev: Evaluation, lang: str) -> list[str]:
    """The recycling build-out year by year: tonnes recycled per mineral, the share of demand against the
    minimum, the modules online per plant, and each mineral's share."""
    years = list(d.years)
    shown = [m for m in d.minerals if any(ev.indicators[m, y].recycled_t > USED_T for y in years)]
    if not shown:
        return [f"<p>{html.esc(label('plan.recycling.none', lang))}</p>"]
    bars = html.bar_chart(label("plan.chart.recycled", lang), [str(y) for y in years],
                          {L.mineral_name(d, m, lang): [ev.indicators[m, y].recycled_t for y in years] for m in shown},
                          y_format="t", width=NARROW, height=340, value_labels=False)
    share = _against_minimum(d, ev, label("plan.chart.recycling_share", lang), "recycling_share",
                             "recycling_min_share", html.color_of("recycled"), lang, y_format="percent")
    owners = sorted({d.owner_of(r) for r in d.recycling.values()})
    modules = [[L.plant_name(d, k, lang), *[ev.modules_online[k, y] for y in years]] for k in owners
               if any(ev.modules_online[k, y] for y in years)]
    return [bars, share,
            _year_table(d, lambda m, y: ev.indicators[m, y].recycling_share, "percent", "recycling_min_share", lang),
            f"<h3>{html.esc(label('plan.recycling.modules', lang))}</h3>"
            + html.table([label("col.plant", lang), *map(str, years)], modules,
                         formats=["text", *["number"] * len(years)])]


def stock_section(d: PlanningData, ev: Evaluation, lang: str) -> list[str]:
    """The stock year by year: days of demand over all minerals against the minimum, tonnes held per mineral,
    and each mineral's days."""
    years = list(d.years)
    days = _against_minimum(d, ev, label("plan.chart.stock_days", lang), "stockpile_days", "stockpile_min_days",
                            html.color_of("KOR"), lang, y_format="number", y_label=label("word.days", lang))
    moves = html.bar_chart(label("plan.chart.stock_moves", lang), [str(y) for y in years], {
        label("plan.stock.added", lang): [sum(sum(ev.indicators[m, y].added_t.values()) for m in d.minerals)
                                          for y in years],
        label("plan.stock.released", lang): [-sum(sum(ev.indicators[m, y].released_t.values()) for m in d.minerals)
                                             for y in years]},
        y_format="t", width=NARROW, height=340, value_labels=False, colors=[html.color_of("KOR"), "#E69F00"])
    return [days, moves, f"<p>{html.esc(label('plan.stock.note', lang))}</p>"
            # A year without demand has no days of it: a dash.
            + _year_table(d, lambda m, y: None if (days := ev.indicators[m, y].stockpile_days) is None else round(days),
                          "number", "stockpile_min_days", lang)]


def _mix_chart(d: PlanningData, plan: Plan, ev: Evaluation, m: str, stage: str, lang: str) -> str:
    """Tonnes per year by mining or refining country, recycling in Korea and the stock's net release: each
    tonne once."""
    years = list(d.years)
    by_year: dict[int, dict[str, float]] = {y: {} for y in years}
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        if s.mineral_id == m and t > USED_T:
            c = s.origin_country if stage == MINING else s.processing_country
            by_year[y][c] = by_year[y].get(c, 0.0) + t
    places = sorted({c for v in by_year.values() for c in v}, key=lambda c: -sum(v.get(c, 0.0)
                                                                                 for v in by_year.values()))
    stacks = {L.country_name(d, c, lang): [by_year[y].get(c, 0.0) for y in years] for c in places}
    colors = [html.color_of(c) for c in places]
    recycled = [ev.indicators[m, y].recycled_t for y in years]
    if any(x > USED_T for x in recycled):
        stacks[label("word.recycled", lang)] = recycled
        colors.append(html.color_of("recycled"))
    draw = [sum(ev.indicators[m, y].released_t.values()) - sum(ev.indicators[m, y].added_t.values()) for y in years]
    if any(abs(x) > USED_T for x in draw):
        stacks[label("word.stock", lang)] = draw
        colors.append(html.color_of("stock"))
    key = "plan.chart.mix_mining" if stage == MINING else "plan.chart.mix_refining"
    return html.bar_chart(label(key, lang, mineral=L.mineral_name(d, m, lang)), [str(y) for y in years], stacks,
                          y_format="t", width=NARROW, height=340, value_labels=False, colors=colors)


def indicator_table(d: PlanningData, plan: Plan, ev: Evaluation, lang: str) -> str:
    risks = stage_risk(d, plan, ev)
    first, last = d.settings.first_year, d.settings.last_year
    rows = []
    for m in d.minerals:
        for g in STAGES:
            a, b = risks[m, first, g], risks[m, last, g]
            rows.append([L.mineral_name(d, m, lang), label(f"word.{g}", lang), a.hhi, b.hhi, b.hhi_wgi,
                         b.import_reliance, b.eol_rir, a.sr, b.sr, b.geopolrisk])
    return html.table([label("word.mineral", lang), label("col.stage", lang), f"HHI {first}", f"HHI {last}",
                       f"HHI_WGI {last}", label("col.import_reliance", lang, year=last), f"EoL-RIR {last}",
                       f"SR {first}", f"SR {last}", f"GeoPolRisk {last}"], rows,
                      formats=["text", "text", "number", "number", "number", "percent", "percent", "number",
                               "number", "number"])


def definitions_table(lang: str = EN) -> str:
    """The supply-risk indicators by name (as the Indicators sheet heads them, in words), unit, formula, source."""
    return html.table([label("col.indicator", lang), label("col.unit", lang), label("col.definition", lang),
                       label("col.source", lang)],
                      [[L.page_head(INDICATOR_COL[name], lang), L.unit_word(unit, lang),
                        label(f"indicator.{name}.def", lang),
                        label(f"indicator.{name}.source", lang)]
                       for name, unit, _d, _s in DEFINITIONS], formats=["text"] * 4)


def partners_table(d: PlanningData, plan: Plan, lang: str) -> str:
    """Each country Korea buys from, its scores beside the tonnes mined or refined there."""
    tonnes = exposure_tonnes(d, plan)
    first, last = d.settings.first_year, d.settings.last_year
    rows = []
    for c, m in sorted({(c, m) for m, c, _ in tonnes}, key=lambda k: (-d.alignment(k[0]), k[0], k[1])):
        k = d.countries[c]
        t = {y: tonnes.get((m, c, y), 0.0) for y in d.years}
        ties = [label(key, lang) for key, flag in (("tie.msp", k.msp_member), ("tie.fta", k.fta_with_korea),
                                                    ("tie.treaty", k.security_treaty),
                                                    ("tie.export_limits", k.export_restrictions)) if flag]
        rows.append([L.country_name(d, c, lang), d.alignment(c), k.political_risk,
                     ", ".join(ties) or label("word.none", lang), k.unga_agreement_share, L.mineral_name(d, m, lang),
                     t[first], t[last], sum(t.values())])
    return html.table([label("word.country", lang), label("col.alignment", lang), label("col.political_risk", lang),
                       label("col.ties", lang), label("col.unga", lang), label("word.mineral", lang),
                       f"t {first}", f"t {last}", label("col.t_all_years", lang)], rows,
                      formats=["text", "number", "number", "text", "percent", "text", "t", "t", "t"])


def _basis(d: PlanningData, lang: str) -> str:
    return label(f"plan.risk_basis.{d.settings.risk_basis}", lang)


def other_caps_table(d: PlanningData, ev: Evaluation, lang: str) -> str:
    """The last year's average risk, largest country share, recycling and cover against their limits."""
    last = d.settings.last_year
    rows = []
    for m in d.minerals:
        b = ev.indicators[m, last]
        rows.append([L.mineral_name(d, m, lang), b.avg_risk, d.limit("risk_cap", m, last), b.top_country[1],
                     d.limit("single_country_cap_share", m, last), b.recycling_share,
                     d.limit("recycling_min_share", m, last), b.stockpile_days, d.limit("stockpile_min_days", m, last)])
    return html.table([label("word.mineral", lang), label("col.avg_risk", lang, year=last),
                       L.limit_name("risk_cap", lang), L.measure("top_country_share", lang),
                       L.limit_name("single_country_cap_share", lang), L.measure("recycling_share", lang),
                       L.limit_name("recycling_min_share", lang), L.measure("stockpile_days", lang),
                       L.limit_name("stockpile_min_days", lang)], rows,
                      formats=["text", "number", "number", "percent", "percent", "percent", "percent", "days",
                               "days"], lang=lang)


def agreements_table(d: PlanningData, plan: Plan, lang: str) -> str:
    rows = []
    for a in d.agreements.values():
        years = [y for y in d.years if plan.join.get((a.agreement_id, y), 0)]
        line = max((plan.line_t.get((a.agreement_id, y), 0.0) for y in years), default=0.0)
        rows.append([a.agreement_id, label(f"agreement.{a.kind}", lang),
                     ", ".join(L.country_name(d, c, lang) for c in a.partner_countries),
                     L.mineral_name(d, a.mineral_id, lang),
                     label("agreement.signed" if a.signed else "agreement.hypothetical", lang),
                     L.year_list(years) if years else label("plan.not_joined", lang), line, a.emergency_volume_t,
                     a.fee_usd_per_yr])
    return html.table([label("col.agreement", lang), label("col.kind", lang), label("col.partners", lang),
                       label("word.mineral", lang), label("col.status", lang), label("col.member_in", lang),
                       label("col.largest_line", lang),
                       label("col.emergency_volume", lang), label("col.fee", lang)], rows,
                      formats=["text"] * 6 + ["t", "t", "usd"])


def build_plan_html(d: PlanningData, plan: Plan, ev: Evaluation, workbook: str, sha: str, lang: str = EN) -> str:
    s = d.settings
    last = s.last_year
    title = label("plan.title", lang, workbook=workbook)
    subtitle = label("plan.page_subtitle", lang, first=s.first_year, last=last, currency=s.currency,
                     price_year=s.price_year, sha=sha[:12])
    binding = binding_rows(d, plan, lang)
    shares = {p: ev.costs_usd[p] / ev.total_usd if ev.total_usd else None for p in ev.costs_usd}
    costs = [[L.cost_part(p, lang), ev.costs_usd[p],
              html.fmt(shares[p], "percent", html.nonzero_decimals(shares[p], "percent")),  # a cost never reads 0%
              L.cost_note(p, lang)] for p in ev.costs_usd if ev.costs_usd[p]]
    sections = [(label("plan.sec.cost", lang), [
        html.table([label("col.part", lang), label("col.usd_m_pv", lang), label("word.share", lang),
                    label("col.what", lang)], costs, formats=["text", "usd_m", "percent", "text"]),
        html.bar_chart(label("plan.chart.cost_by_mineral", lang), [L.mineral_name(d, m, lang) for m in d.minerals],
                       {label("col.usd_m_pv", lang): [ev.costs_by_mineral_usd[m] for m in d.minerals]},
                       y_format="usd_m", y_label="USD M", width=960, value_labels=False)])]
    sections.append((label("plan.sec.binding", lang), [html.table(
        [label("col.limit", lang), label("word.mineral", lang), label("col.years_binding", lang),
         label("col.highest_price", lang), label("col.in_year", lang), label("col.price_sum", lang)], binding,
        formats=["text", "text", "text", "usd", "year", "usd"])
        + f"<p>{html.esc(label('plan.shadow.note', lang))}</p>"] if binding else
        [f"<p>{html.esc(label('plan.story.none_binds', lang))}</p>"]))
    sections.append((label("plan.sec.china", lang), china_section(d, ev, lang)))
    sections.append((label("plan.sec.recycling", lang), recycling_section(d, ev, lang)))
    sections.append((label("plan.sec.stock", lang), stock_section(d, ev, lang)))
    risks = stage_risk(d, plan, ev)
    sections.append((label("plan.sec.risk", lang), [
        html.line_chart(label("plan.chart.sr", lang), [
            html.Series(L.mineral_name(d, m, lang), [(y, mineral_sr(risks, m, y)) for y in d.years])
            for m in d.minerals], y_format="number", width=960, height=380),
        indicator_table(d, plan, ev, lang), definitions_table(lang)]))
    sections.append((label("plan.sec.mix", lang), [f"<p>{html.esc(label('plan.mix.note', lang))}</p>"] + [
        chart for m in d.minerals for chart in (_mix_chart(d, plan, ev, m, MINING, lang),
                                                _mix_chart(d, plan, ev, m, REFINING, lang))]))
    sections.append((label("plan.sec.partners", lang), [
        partners_table(d, plan, lang) + f"<p>{html.esc(label('plan.partners.note', lang, basis=_basis(d, lang)))}</p>"]))
    sections.append((label("plan.sec.other", lang, year=last), [other_caps_table(d, ev, lang),
                                                               agreements_table(d, plan, lang)]))
    return html.page(title, subtitle, story(d, plan, ev, lang), sections,
                     narrative_heading=label("word.in_short", lang), lang=lang)
