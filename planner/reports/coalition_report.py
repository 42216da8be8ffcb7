"""The report of ``planner coalition``: ``<stem>-coalition.xlsx``, ``.html`` and ``.json``.

What each partnership is worth (v(S) per coalition and mineral, with the range the solves prove), the
Shapley split and whether it is in the core (the coalitions it shorts named), the nucleolus and the
least-core ε, each member's settlement (what it should pay or be paid to end with its Shapley value)
against the fees of the Agreements sheet, what each member adds to each coalition, who the disruptions
hit and when, and how the grand coalition covers them.  Every figure comes from verified plans
(``planner.verify.verify_coalition``); every arrangement is labelled hypothetical unless the Agreements
sheet says it is signed.  In English or Korean: every word comes from ``planner.reports.labels``.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.pagebreak import Break

from models.dataset import CHINA, PlanningData
from planner.reports import html
from planner.reports import labels as L
from planner.reports.labels import EN, label
from planner.reports.plan_workbook import (
    T, USD, Col, finish_chart, make_printable, sheet_name, study_files, write_run_sheet, write_table,
    yes,
)
from planner.reports.runinfo import proven_range
from planner.studies.coalition import ALL, ROUND_OFF_USD, CoalitionStudy, Split, agreements_with
from planner.workbook.writer import TITLE_FONT, put


def _cols(*cols: tuple[str, str] | tuple[str, str, str]) -> list[Col]:
    """Columns (id, format[, key]) whose Korean header and note are the catalogue's ``coal_<key>`` (the key is
    the id unless one id means two things)."""
    return [Col(c[0], c[1], key=f"coal_{c[-1] if len(c) > 2 else c[0]}") for c in cols]


def _name(s: tuple[str, ...]) -> str:
    return "+".join(s)


def _member(study: CoalitionStudy, code: str, lang: str, page: bool = True) -> str:
    """A member by its country's name ('Japan', '일본') on a page and in sentences; by its ISO code in a
    workbook table (``page`` False), whose cells keep the ids as every results workbook does."""
    return L.country_name(study.d, code, lang) if page else code


def _coalition(study: CoalitionStudy, s, lang: str, page: bool = True) -> str:
    """A coalition by its members' names joined by '+' ('Korea+Japan', '한국+일본'); by their codes in a workbook
    table ('KOR+JPN', the .json's key)."""
    return "+".join(_member(study, i, lang) for i in s) if page else _name(s)


def _in_text(study: CoalitionStudy, s, lang: str) -> str:
    """A coalition as a sentence names it: one member as a country in text ('the United States', which read
    'United States would save ...'), several joined by '+'."""
    return L.country_in_text(study.d, s[0], lang) if len(s) == 1 else _coalition(study, s, lang)


def _significant(r, lang: str = EN) -> str:
    return label("sig.cell.yes" if r.significant else "res.range_holds_0", lang)


def _verdict(core: str, lang: str = EN) -> str:
    """A core verdict of ``Split`` ('in', 'out', 'not_significant') as the tables say it: yes, no, not significant."""
    return label("sig.no", lang) if core == "not_significant" else yes(core == "in", lang)


def _block(study: CoalitionStudy, b: str, lang: str, capital: bool = True) -> str:
    """A block by its minerals' names in words ('Lithium, nickel and cobalt', not its id 'lithium+nickel+cobalt';
    'lithium, ...' inside a sentence, not ``capital``; 'all minerals' when a CVaR term links them)."""
    return label("coal.all_minerals", lang) if b == ALL else L.minerals_words(study.d, b.split("+"), lang, capital)


def _blocks(study: CoalitionStudy, lang: str) -> list[str]:
    """The blocks as column headers, by their minerals' names."""
    return [_block(study, b, lang) for b in study.blocks]


def _money(values: list[float]) -> tuple[str, str]:
    """The format and unit of a chart of savings: USD M, or whole dollars when all are under a million."""
    return ("usd_m", "USD M") if max((abs(v) for v in values), default=0.0) >= 1e6 else ("usd", "USD")


def _korea_row(study: CoalitionStudy, m: str, lang: str, page: bool) -> list:
    """Korea's figures for the Partners table, from the case itself: its demand and stock at the start, its
    floor in the last year, and the China-linked share of what its plan alone buys in the first year."""
    d, y0 = study.d, study.d.settings.first_year
    alone = study.solved.get(((study.home,), study.block_of(m)))
    bought = {s: t for (s, y), t in (alone.korea_buy_t if alone else {}).items() if y == y0 and t > 0
              and d.suppliers[s].mineral_id == m}
    china = sum(t for s, t in bought.items() if CHINA in d.suppliers[s].countries) / sum(bought.values()) \
        if bought else None
    rule = d.stockpile.get(m)
    return [_member(study, study.home, lang, page), m, d.demand_t.get((m, y0), 0.0),
            rule.initial_stock_t if rule else 0.0,
            d.limit("stockpile_min_days", m, d.settings.last_year), None, china,
            label("coal.korea.suppliers", lang), label("coal.korea.shortage", lang),
            label("coal.korea.sources", lang, first=y0, last=d.settings.last_year), label("coal.korea.estimates", lang)]


PARTNER_COLS = _cols(
    ("member", ""), ("mineral", ""), ("demand_t_per_yr", T), ("stock_t", T), ("mandate_days", "0"), ("lendable_t", T),
    ("china_share", "0.0%"), ("other_suppliers", ""), ("shortage_cost", ""), ("sources", ""), ("estimates", ""))


def partner_rows(study: CoalitionStudy, lang: str = EN, page: bool = False) -> list[list]:
    """Each member's figures per mineral, Korea's from the case itself; on a ``page`` members and their other
    suppliers by country name."""
    d = study.d
    rows = []
    for m in study.minerals:
        if study.home in study.members:  # a study of partners alone plans Korea alone only as a reference
            rows.append(_korea_row(study, m, lang, page))
        for i in study.members:
            p = d.partners.get((i, m))
            if p is None:
                continue
            sources = dict(zip(("exposure", "stock", "shortage"), p.sources))
            estimated = [label(f"coal.figure.{what}", lang) for what, sid in sources.items()
                         if sid in d.estimated_sources]
            if p.stock_from_mandate:
                estimated.append(label("coal.figure.stock_from_mandate", lang))
            shortage = (f"{p.shortage_cost_usd_per_t:,.0f} USD/t" if p.shortage_cost_usd_per_t is not None else
                        label("coal.korea_curve", lang,
                              factor=f"{1.0 if p.shortage_cost_factor is None else p.shortage_cost_factor:g}"))
            rows.append([_member(study, i, lang, page), m, p.demand_t_per_yr, p.stock_t, p.mandate_days,
                         p.lendable_t, p.china_share,
                         "; ".join(f"{_member(study, c, lang, page)} {x:.0%}" for c, x in p.suppliers)
                         or html.EN_DASH, shortage,
                         "; ".join(sid or html.EN_DASH for sid in sources.values()),
                         ", ".join(estimated) or label("word.none", lang)])
    return rows


COALITION_COLS = _cols(
    ("coalition", ""), ("mineral", "", "block"), ("expected_cost_usd", USD), ("bound_usd", USD), ("value_usd", USD),
    ("value_low_usd", USD), ("value_high_usd", USD), ("significant", ""), ("joint_stock_t", T), ("reserves_t", T),
    ("status", ""), ("solved", ""), ("wall_s", "0.00"))


def coalition_rows(study: CoalitionStudy, lang: str = EN) -> list[list]:
    last = study.d.settings.last_year
    rows = []
    for s in study.coalitions:
        for b in study.blocks:
            r = study.solved.get((s, b))
            if r is None:
                continue
            v = study.value(s, b) if study.complete(s) else None
            rows.append([_name(s), b, r.objective.value, r.objective.low, *(
                [v.value, v.low, v.high, _significant(v, lang)] if v else [None] * 4),
                sum(t for (_m, y), t in r.joint_stock_t.items() if y == last),
                sum(t for (_m, _i, y), t in r.reserve_t.items() if y == last), L.status(r.status, lang),
                (r.reused if lang == EN else label("coal.reused", lang)) if r.reused else
                label("coal.solved", lang, run=r.blocks_solved, of=r.blocks), r.wall_s])
    return rows


def value_matrix(study: CoalitionStudy, lang: str = EN, page: bool = False) -> tuple[list[str], list[list]]:
    """v(S) by coalition (rows, by name on a ``page``) and mineral group (columns), and in all where there are
    several groups: one group's column is its all (it was shown twice, under its name and 'all minerals')."""
    several = len(study.blocks) > 1
    headers = [label("coal.col.coalition", lang), *_blocks(study, lang),
               *([label("coal.all_minerals", lang)] if several else [])]
    rows = []
    for s in study.coalitions:
        if len(s) < 2 or not study.complete(s):
            continue
        rows.append([_coalition(study, s, lang, page), *(study.value(s, b).value for b in study.blocks),
                     *([study.value(s).value] if several else [])])
    return headers, rows


# The Shapley table's columns after the member and its blocks (``coal.col.<key>``): each member's settlement in the
# plan found, then in any plan as cheap (the console's and the story's order); on a page each range, and the way
# it settles, in one column of words, and the blocks in a table of their own (``shapley_matrix``), so the table
# stays within the page.
SHAPLEY_KEYS = ("shapley_usd", "shapley_low_usd", "shapley_high_usd", "nucleolus_usd", "gross_saving_usd",
                "settlement_usd", "settlement_usd_per_yr", "settlement_found_low_usd", "settlement_found_high_usd",
                "settlement_found_says", "settlement_low_usd", "settlement_high_usd", "settlement_says")
PAGE_SHAPLEY_KEYS = ("shapley_usd", "shapley_range", "nucleolus_usd", "gross_saving_usd", "settlement_usd",
                     "settlement_usd_per_yr", "settlement_found_range", "settlement_range")
# The workbook's Shapley columns of words, and the hover note of each column that is not "USD present value".
_SHAPLEY_WORDS = ("settlement_found_says", "settlement_says")
_SHAPLEY_NOTES = {
    "settlement_usd": "coal.note.settlement_found", "settlement_found_low_usd": "coal.note.found_range",
    "settlement_found_high_usd": "coal.note.found_range", "settlement_found_says": "coal.note.settlement_found_says",
    "settlement_low_usd": "coal.note.settlement_range", "settlement_high_usd": "coal.note.settlement_range",
    "settlement_says": "coal.note.settlement_says"}


def shapley_cols(headers: list[str], lang: str) -> list[Col]:
    """The workbook's Shapley columns (``shapley_rows``' headers, already in ``lang``): money, each with its note,
    and which way a settlement goes in words."""
    fixed = len(headers) - len(SHAPLEY_KEYS)  # the member and its blocks
    return _matrix_cols(headers[:fixed], "coal.note.usd", lang) + [
        Col(h, "" if k in _SHAPLEY_WORDS else USD, label(_SHAPLEY_NOTES.get(k, "coal.note.usd"), lang))
        for h, k in zip(headers[fixed:], SHAPLEY_KEYS)]


def _ends(r, lang: str) -> list:
    """A settlement's least, most and which way that says, or three blanks where it is not known."""
    return [None, None, None] if r is None else [r.low, r.high, label(f"coal.settle.{settled(r)}", lang)]


def _ends_in_words(r, lang: str) -> str | None:
    """``_ends`` as a page's one cell, '3,331 to 3,331: pays', or a blank where it is not known."""
    return None if r is None else label("coal.settle.range", lang, low=html.fmt(r.low, "usd"),
                                        high=html.fmt(r.high, "usd"), way=label(f"coal.settle.{settled(r)}", lang))


def shapley_rows(study: CoalitionStudy, split: Split, lang: str = EN, page: bool = False
                 ) -> tuple[list[str], list[list]]:
    """Per member: its Shapley value (by block and in all, with the range the coalitions' solves prove),
    nucleolus share, own saving and settlement: in the plan found, with the range the coalitions' gaps prove,
    then the range plans as cheap prove, each with which way that says (``SHAPLEY_KEYS``); on a ``page``
    each range and its way in one cell (``PAGE_SHAPLEY_KEYS``), and no block; nor with one block, whose values
    are the Shapley values."""
    by_block = not page and len(study.blocks) > 1
    headers = [label("coal.col.member", lang), *(_blocks(study, lang) if by_block else []),
               *(label(f"coal.col.{k}", lang) for k in (PAGE_SHAPLEY_KEYS if page else SHAPLEY_KEYS))]
    rows = []
    for i in study.members:
        per = [split.shapley_by_mineral_usd[i, b] for b in study.blocks] if by_block else []
        gross, owes = _member_total(split.gross_saving_usd, i), _member_total(split.settlement_usd, i)
        found, span = split.settlement_found_usd.get(i), split.settlement_total_usd.get(i)
        if page:
            ends = [_ends_in_words(found, lang), _ends_in_words(span, lang)]
        else:
            ends = [*_ends(found, lang), *_ends(span, lang)]
        phi = split.shapley_range_usd[i]
        shown = [label("coal.shapley.range" if phi.significant else "coal.shapley.range_ns", lang,
                       low=html.fmt(phi.low, "usd"), high=html.fmt(phi.high, "usd"))] if page else [phi.low, phi.high]
        rows.append([_member(study, i, lang, page), *per, split.shapley_usd[i], *shown, split.nucleolus_usd[i], gross,
                     owes, None if owes is None else owes / split.annuity, *ends])
    return headers, rows


def shapley_matrix(study: CoalitionStudy, split: Split, lang: str = EN) -> tuple[list[str], list[list]]:
    """The page's Shapley values by member (rows, by name) and mineral group (columns), and in all: beside the
    settlements they would take the table past the page's width (seven groups on the default case)."""
    headers = [label("coal.col.member", lang), *_blocks(study, lang), label("coal.all_minerals", lang)]
    return headers, [[_member(study, i, lang), *(split.shapley_by_mineral_usd[i, b] for b in study.blocks),
                      split.shapley_usd[i]] for i in study.members]


def settled(span) -> str:
    """Which way a settlement's proven range (``Split.settlement_total_usd``) goes: 'pays' or 'is_paid' when
    the whole range is on that side (``Range.significant``, as the .json says), 'even' when all of it is
    round-off, else 'not_significant' (plans as cheap settle it either way)."""
    if span.significant:
        return "pays" if span.low > 0 else "is_paid"
    return "even" if -ROUND_OFF_USD < span.low and span.high < ROUND_OFF_USD else "not_significant"


def _proven_settlement(split: Split, member: str):
    """``member``'s settlement with the widest range proven: over the plans as cheap where it is known, else the
    plan found's within the coalitions' gaps (known wherever a settlement is); which way it goes is said from
    this, never from the plan found's amount alone."""
    span = split.settlement_total_usd.get(member)
    return span if span is not None else split.settlement_found_usd[member]


def _member_total(amounts: dict[tuple[str, str], float], member: str) -> float | None:
    """``member``'s amount over all blocks, of a split's (member, block) amounts (settlement_usd: what it
    should pay, negative: be paid, to end with its Shapley value); None where the split has none (a CVaR
    term)."""
    if not amounts:
        return None
    return sum(v for (j, _b), v in amounts.items() if j == member)


FEE_COLS = _cols(
    ("mineral", "", "group"), ("korea_gross_saving_usd", USD), ("korea_shapley_usd", USD),
    ("korea_settlement_usd", USD), ("korea_settlement_usd_per_yr", USD), ("korea_settlement_low_usd", USD),
    ("korea_settlement_high_usd", USD), ("joint_stock_cost_usd", USD),
    ("korea_fees_usd", USD), ("korea_fees_usd_per_yr", USD), ("fees_minus_settlement_usd", USD), ("agreements", ""))


# Of the Settlement table's columns, those that are not Korea's: a study of partners alone shows only these.
_NOT_KOREAS = ("mineral", "joint_stock_cost_usd")


def fee_cols(study: CoalitionStudy) -> list[Col]:
    """The Settlement table's columns: Korea's saving, settlement and fees beside the joint stock's cost where
    Korea is a member; in a study of partners alone the joint stock's cost alone (each member's settlement is
    in the Shapley table)."""
    return FEE_COLS if study.home in study.members else [c for c in FEE_COLS if c.name in _NOT_KOREAS]


# The page's Settlement table in two, each with the mineral group: Korea's saving and what it pays to settle, then
# what the settlements pay for beside them (the joint stock's cost, Korea's agreements and their fees).  All twelve
# columns in one wrapped each header to five lines and the agreements' names to a dozen, at 1300 px and in print.
PAGE_FEE_TABLES = (("korea_gross_saving_usd", "korea_shapley_usd", "korea_settlement_usd",
                    "korea_settlement_usd_per_yr", "korea_settlement_low_usd", "korea_settlement_high_usd"),
                   ("joint_stock_cost_usd", "korea_fees_usd", "korea_fees_usd_per_yr", "fees_minus_settlement_usd",
                    "agreements"))


def page_fee_tables(study: CoalitionStudy, split: Split, lang: str = EN) -> list[str]:
    """The page's Settlement tables (``PAGE_FEE_TABLES``) of the columns ``fee_cols`` shows: one in a study of
    partners alone (the joint stock's cost)."""
    cols, rows = fee_cols(study), fee_rows(study, split, lang, page=True)
    names = [c.name for c in cols]
    tables = []
    for part in PAGE_FEE_TABLES:
        kept = [0, *(names.index(n) for n in part if n in names)]  # the mineral group, then the part's columns
        if len(kept) > 1:
            tables.append(html.table(_heads([cols[k] for k in kept], lang), [[r[k] for k in kept] for r in rows],
                                     formats=["usd" if cols[k].fmt else "text" for k in kept]))
    return tables


def fee_rows(study: CoalitionStudy, split: Split, lang: str = EN, page: bool = False) -> list[list]:
    """Per block, Korea's settlement (its own saving minus its Shapley value) beside the joint stock's cost,
    which is only part of what the settlements pay for, and beside the fees of its agreements (by id, on a
    ``page`` by name with the id in brackets); the columns of ``fee_cols``."""
    if not split.settlement_usd:
        return []
    kept = [FEE_COLS.index(c) for c in fee_cols(study)]
    rows = []
    for b in study.blocks:
        minerals = study.minerals if b == ALL else b.split("+")
        owes = split.settlement_usd.get((study.home, b), 0.0)
        fees = sum(split.fees_usd.get(m, 0.0) for m in minerals)
        named = [a for m in minerals for a in split.fee_agreements.get(m, [])]
        span = split.settlement_range_usd.get((study.home, b))
        rows.append([_block(study, b, lang), split.gross_saving_usd.get((study.home, b), 0.0),
                     split.shapley_by_mineral_usd.get((study.home, b), 0.0), owes, owes / split.annuity,
                     None if span is None else span.low, None if span is None else span.high,
                     split.joint_cost_usd.get(b, 0.0), fees, fees / split.annuity, fees - owes,
                     ("; ".join(L.agreement_name(study.d, a, lang) for a in named) if page else
                      ", ".join(named)) or html.EN_DASH])
    return [[r[k] for k in kept] for r in rows]


CORE_COLS = _cols(
    ("coalition", "", "core_coalition"), ("value_usd", USD, "core_value_usd"), ("shapley_usd", USD),
    ("excess_usd", USD), ("holds", ""),
    ("nucleolus_usd", USD))


def core_rows(study: CoalitionStudy, split: Split, lang: str = EN, page: bool = False) -> list[list]:
    rows = []
    for s in study.coalitions:
        if len(s) == len(study.members):
            continue
        v = study.value(s).value
        got = sum(split.shapley_usd[i] for i in s)
        rows.append([_coalition(study, s, lang, page), v, got, got - v, _verdict(split.holds[s], lang),
                     sum(split.nucleolus_usd[i] for i in s)])
    return rows


MARGINAL_COLS = _cols(
    ("coalition", "", "marginal_coalition"), ("adds", ""), ("value_added_usd", USD), ("low_usd", USD),
    ("high_usd", USD),
    ("significant", ""), ("by_mineral", ""))


def marginal_rows(study: CoalitionStudy, split: Split, lang: str = EN, page: bool = False) -> list[list]:
    rows = []
    for (s, i), r in split.marginal_usd.items():
        parts = sorted(((b, split.marginal_by_mineral_usd[s, i, b]) for b in study.blocks), key=lambda x: -abs(x[1]))
        shown = "; ".join(f"{_block(study, b, lang)} {x:,.0f}" for b, x in parts[:4] if abs(x) >= 1) or html.EN_DASH
        rows.append([_coalition(study, s, lang, page), _member(study, i, lang, page), r.value, r.low, r.high,
                     _significant(r, lang), shown])
    return rows


COVER_COLS = _cols(
    ("coalition", ""), ("mineral", ""), ("scenario", ""), ("probability", "0.0000"), ("member", ""), ("lost_t", T),
    ("own_stock_t", T), ("joint_stock_t", T, "joint_drawn_t"), ("swaps_in_t", T), ("lent_t", T), ("spot_t", T),
    ("recycling_t", T),
    ("unmet_t", T))


def cover_rows(study: CoalitionStudy, only: tuple[str, ...] | None = None, lang: str = EN,
               page: bool = False) -> list[list]:
    """How each coalition of two or more (or ``only`` one) covers each member in each scenario; in the
    workbook's order (smaller coalitions first), on a ``page`` coalitions and members by name."""
    rows = []
    for (s, _b), r in study.solved.items():
        if (only is not None and s != only) or len(s) < 2:
            continue
        rows += [[s, c.mineral_id, c.scenario, c.probability, c.member, c.lost_t, c.own_t, c.joint_t,
                  c.swaps_in_t, c.lent_t, c.spot_t, c.recycling_t, c.unmet_t] for c in r.cover]
    rows.sort(key=lambda r: (len(r[0]), _name(r[0]), r[1], -r[3], r[2], r[4]))
    return [[_coalition(study, r[0], lang, page), *r[1:4], _member(study, r[4], lang, page), *r[5:]] for r in rows]


def _lost_alone(study: CoalitionStudy) -> dict[tuple[str, str, str], list[float]]:
    """(mineral, event, member) -> [expected tonnes the member loses alone, summed over the event's scenarios
    weighted by probability; how many scenarios hit it]."""
    lost: dict[tuple[str, str, str], list[float]] = {}
    event = {sc.name: sc.event for sc in study.d.disruptions}
    for ((s, _b), r) in study.solved.items():
        if len(s) != 1:
            continue
        for c in r.cover:
            x = lost.setdefault((c.mineral_id, event[c.scenario], c.member), [0.0, 0])
            x[0] += c.probability * c.lost_t
            x[1] += 1
    return lost


def _event(d: PlanningData, event: str, lang: str) -> str:
    """An event as a planner names it: a sampled one, whose id lists its draws ('china_gallium_controls@2027+473d
    & drc_cobalt_halt@2032+327d'), as its sample ('Sample 3: ...'), a Disruptions sheet event by its words."""
    sampled = next((sc for sc in d.disruptions if sc.event == event and sc.draws), None)
    return L.disruption_name(d, sampled, lang) if sampled else L.event_name(d, event, lang)


def hit_together(study: CoalitionStudy) -> dict[str, list[str]]:
    """Each event that hits two members or more in one mineral, with the most members it hits so (members'
    order), the events that lose most tonnes first: what a stock cannot serve twice."""
    lost = _lost_alone(study)
    hit: dict[str, list[str]] = {}
    for m, e in sorted({(m, e) for m, e, _i in lost}):
        who = [i for i in study.members if (m, e, i) in lost]
        if len(who) > 1 and len(who) > len(hit.get(e, [])):
            hit[e] = who
    tonnes = {e: sum(x[0] for (_m, f, _i), x in lost.items() if f == e) for e in hit}
    return {e: hit[e] for e in sorted(hit, key=lambda e: -tonnes[e])}


def exposure_rows(study: CoalitionStudy, lang: str = EN) -> tuple[list[str], list[list]]:
    """Per mineral and event, the tonnes each member loses (alone), summed over the event's scenarios
    weighted by probability, and in how many of them: pooling helps only where members are hit apart.  A table
    in words, in the workbook as on the page: minerals, events and members by name."""
    lost = _lost_alone(study)
    # The members' losses: a study of partners alone also plans Korea alone, whose events hit none of them.  The
    # minerals in the order of their names in the report's language, as the cover table's (``cover_rows``): by
    # their ids a Korean table read 세륨, 코발트, 디스프로슘, 갈륨, 흑연 ...
    keys = sorted({(m, e) for m, e, i in lost if i in study.members},
                  key=lambda k: (L.mineral_name(study.d, k[0], lang), k))
    headers = [label("word.mineral", lang), label("res.col.disruption", lang),
               *[label("coal.col.expected_lost", lang, member=_member(study, i, lang)) for i in study.members],
               label("coal.col.hit_together", lang)]
    rows = []
    for m, e in keys:
        cells, hit = [], []
        for i in study.members:
            x = lost.get((m, e, i))
            cells.append(f"{x[0]:,.1f} ({x[1]})" if x else html.EN_DASH)
            if x:
                hit.append(i)
        together = (_coalition(study, hit, lang) if len(hit) > 1 else
                    label("coal.alone", lang, member=_member(study, hit[0], lang)) if hit else html.EN_DASH)
        rows.append([L.mineral_name(study.d, m, lang), _event(study.d, e, lang), *cells, together])
    return headers, rows


def arrangement_rows(study: CoalitionStudy, lang: str = EN) -> list[list]:
    """Korea's Agreements rows with any member on the minerals studied: today's terms for lines with them,
    signed or hypothetical."""
    return [[a.agreement_id, label(f"agreement.{a.kind}", lang), ";".join(a.partner_countries), a.mineral_id,
             a.fee_usd_per_yr, a.fee_usd_per_t_yr, a.emergency_volume_t,
             label("agreement.signed" if a.signed else "agreement.hypothetical", lang)]
            for a in agreements_with(study.d, study.members, study.minerals)]


ARRANGEMENT_COLS = _cols(
    ("agreement_id", ""), ("kind", ""), ("partners", ""), ("mineral", ""), ("fee_usd_per_yr", USD),
    ("fee_usd_per_t_yr", USD), ("emergency_volume_t", T), ("status", "", "agreement_status"))
# The page names each agreement in words ('Japan nickel swap (kor_jpn_ni)'): its kind, partners and mineral are
# said there, so the page leaves out the columns that would say them again (the workbook keeps them, by id).
_SAID_BY_NAME = ("kind", "partners", "mineral")
PAGE_ARRANGEMENT_COLS = [c for c in ARRANGEMENT_COLS if c.name not in _SAID_BY_NAME]


def page_arrangement_rows(study: CoalitionStudy, lang: str = EN) -> list[list]:
    """``arrangement_rows`` for the page (``PAGE_ARRANGEMENT_COLS``): each agreement by name."""
    kept = [k for k, c in enumerate(ARRANGEMENT_COLS) if c.name not in _SAID_BY_NAME]
    return [[L.agreement_name(study.d, r[0], lang), *(r[k] for k in kept[1:])] for r in arrangement_rows(study, lang)]


# ---- the story -------------------------------------------------------------------------------------

def _m(usd: float) -> str:
    """Money in the story: USD millions, or whole dollars below a million (the savings are often small); a
    round-off below a dollar reads 0, not -0."""
    return f"USD {html.fmt(usd / 1e6, 'number', 2)} M" if abs(usd) >= 1e6 else f"USD {html.fmt(usd, 'number', 0)}"


def _members_words(d: PlanningData, members, lang: str) -> str:
    """The members in words: 'Korea, Japan and the United States', '한국·일본·미국'."""
    return L.words_list([L.country_in_text(d, i, lang) for i in members], lang)


def _split_words(study: CoalitionStudy, amounts: dict[str, float], lang: str) -> str:
    return "; ".join(f"{L.country_in_text(study.d, i, lang)} {_m(x)}" for i, x in amounts.items())


def hypothetical(study: CoalitionStudy, lang: str = EN) -> str:
    """That every arrangement is hypothetical, and what has been signed: Korea's agreements with the partners, or in
    a study of partners alone, of the members studied."""
    if study.home in study.members:
        return label("coal.hypothetical", lang)
    return label("coal.hypothetical.partners", lang, members=_members_words(study.d, study.members, lang))


def story(study: CoalitionStudy, split: Split | None, lang: str = EN) -> list[str]:
    d, members = study.d, study.members
    out = [label("coal.story.members", lang, members=_members_words(d, members, lang), n=len(study.coalitions),
                 minerals=len(study.minerals), rule=label(f"coal.rule.{d.settings.coalition_sharing_rule}", lang),
                 cvar=f"{d.settings.cvar_weight:g}") + " " + hypothetical(study, lang)]
    if split is None:
        out.append(label("coal.story.stopped", lang))
        return out
    grand = tuple(members)
    v = study.value(grand)
    worth = sorted(((b, study.value(grand, b).value) for b in study.blocks), key=lambda x: -x[1])
    top = [f"{_block(study, b, lang, capital=False)} {_m(x)}" for b, x in worth if x >= 1][:5]
    values = dict(n=len(members), usd=_m(v.value), low=_m(v.low), high=_m(v.high))
    if not top:
        out.append(label("coal.story.nothing", lang, **values))
    elif len(study.blocks) == 1 and study.blocks != [ALL]:  # one group: its minerals said once, not 'most in' it
        out.append(label("coal.story.one", lang, minerals=_block(study, study.blocks[0], lang, capital=False),
                         **values))
    elif len(top) == 1 and study.blocks != [ALL]:  # one group of several saves: said plainly, not 'most in' it
        none = [m for b, x in worth if x < 1 for m in b.split("+")]
        out.append(label("coal.story.only", lang, minerals=_block(study, worth[0][0], lang, capital=False),
                         others=L.minerals_words(d, none, lang, capital=False), **values))
    elif study.blocks != [ALL]:
        out.append(label("coal.story.most", lang, most=label("word.sep", lang).join(top), **values))
    else:
        out.append(label("coal.story.together", lang, **values))
    verdict = label("coal.story.core", lang) if split.in_core else label(
        "coal.story.not_core", lang, short="; ".join(label("coal.story.short", lang,
                                                           coalition=_in_text(study, s, lang), usd=_m(x))
                                                     for s, x in split.violations),
        nucleolus=_split_words(study, split.nucleolus_usd, lang), epsilon=_m(split.least_core_epsilon_usd))
    if split.core == "not_significant":
        verdict = label("coal.story.core_ns", lang, verdict=verdict)
    out.append(label("coal.story.shapley", lang, split=_split_words(study, split.shapley_usd, lang)) + " " + verdict)
    for i in members:
        if i == study.home:
            continue
        others = tuple(j for j in members if j != i)
        if len(others) > 1 and (others, i) in split.marginal_usd:
            r = split.marginal_usd[others, i]
            # A member can be worth less than nothing to a coalition (it draws on the joint stock the others share
            # pro rata): 'adds USD -6,211' read as a gain.
            key = "coal.story.adds" if r.value >= 0 else "coal.story.lowers"
            out.append(label(key if r.significant else f"{key}_ns", lang,
                             member=L.capital(L.country_in_text(d, i, lang)), usd=_m(abs(r.value)),
                             coalition=_coalition(study, others, lang)))
    if split.settlement_usd:
        # The home country's settlement; in a study of partners alone, that of the member that pays most.
        subject = study.home if study.home in members else max(
            members, key=lambda i: _member_total(split.settlement_usd, i))
        out.append(_settlement_words(study, split, subject, lang))
    if abs(v.value) < 1e3 * max(1, len(study.blocks)):
        together = hit_together(study)
        out.append(label("coal.story.why_little", lang, section=label("coal.sec.hit", lang), together=(
            "; " if lang == EN else ", ").join(label("coal.story.hits", lang, event=_event(d, e, lang),
                                                     members=_members_words(d, who, lang))
                                               for e, who in together.items()))
                   if together else label("coal.story.why_little_apart", lang, section=label("coal.sec.hit", lang)))
    # The values rest on Korea's shortage curves and the partners' figures, largely estimates: said as every
    # page of results says it.
    return [line for line in out + [L.estimates_note(d, lang)] if line]


def _settlement_words(study: CoalitionStudy, split: Split, subject: str, lang: str) -> str:
    """``subject``'s settlement: which way it goes and to or from whom, only as far as its proven range (every
    plan of the grand coalition within its proven gap) says; the joint stock beside it, and the fees of Korea's
    agreements where Korea is a member."""
    d, members = study.d, study.members
    owes = _member_total(split.settlement_usd, subject)
    gross = _member_total(split.gross_saving_usd, subject)
    fees = sum(split.fees_usd.values())
    joint = split.joint_total_usd
    # None: not known (--no-ranges, or an end HiGHS did not prove); the plan found's range then says the way
    span = split.settlement_total_usd.get(subject)
    proven = _proven_settlement(split, subject)
    way = settled(proven)
    # The members on the other side of the settlement as proven, by name ('its partners' read as all of them).
    other = [i for i in members if i != subject
             and settled(_proven_settlement(split, i)) == ("is_paid" if way == "pays" else "pays")]
    named = L.country_in_text(d, subject, lang)
    words = dict(gross=_m(gross), usd=_m(abs(owes)), usd_yr=_m(abs(owes) / split.annuity), signed=_m(owes),
                 member=named, owner=L.possessive(named, lang),
                 partners=_members_words(d, other, lang) if other else label("coal.story.partners", lang))
    if way == "not_significant":
        side = "pays" if proven.low > -ROUND_OFF_USD else "is_paid" if proven.high < ROUND_OFF_USD else "either"
        unsettled = label(f"coal.story.unsettled.{side}", lang, **words)
        said = [label("coal.story.settle.not_significant" if span is not None else
                      "coal.story.settle.found_not_significant", lang, low=_m(proven.low), high=_m(proven.high),
                      unsettled=unsettled, **words)]
        if span is None:
            said.append(label("coal.story.settle.found", lang))
    else:
        # No other member is paid (significantly): the payment goes to the joint stock, not to a partner
        key = "pays_joint" if way == "pays" and not other and abs(joint) >= ROUND_OFF_USD else way
        said = [label(f"coal.story.settle.{key}", lang, **words)]
        if span is None:  # who holds the reserves is not unique where plans tie on cost, and no range is known
            said.append(label("coal.story.settle.found", lang))
        elif span.high - span.low >= ROUND_OFF_USD and way != "even":
            said.append(label("coal.story.settle.range", lang, low=_m(abs(span.low)), high=_m(abs(span.high)))
                        if way == "pays" else label("coal.story.settle.range", lang, low=_m(abs(span.high)),
                                                    high=_m(abs(span.low))))
        else:
            said.append(label("coal.story.settle.unique", lang))
    # Verified plans as cheap in which the member's own cost differs: they hold its reserves elsewhere (a
    # range from HiGHS's bounds alone is what the solves leave unproven, said by the range).
    moved = sum(x.most_usd - x.least_usd for (i, _b), x in study.own_costs.items() if i == subject)
    if span is not None and moved >= ROUND_OFF_USD:
        said.append(label("coal.story.settle.ends", lang))
    said.append(label("coal.story.joint.some" if abs(joint) >= ROUND_OFF_USD else "coal.story.joint.none", lang,
                      joint=_m(joint)))
    if study.home in members:  # the fees are Korea's, for its lines with the partners
        said.append(label("coal.story.fees", lang, fees=_m(fees), fees_yr=_m(fees / split.annuity)))
    return " ".join(said)


# ---- the files -------------------------------------------------------------------------------------

def coalition_facts(study: CoalitionStudy, split: Split | None) -> list[tuple[str, object]]:
    """The study's headline for its .json and Run sheet: the grand coalition's solve, every v(S) with its
    range, the split and the settlements."""
    grand = tuple(study.members)
    statuses = {r.status for r in study.solved.values()}
    status = next((s for s in ("no_solution", "feasible") if s in statuses), "optimal")
    out: list[tuple[str, object]] = [("status", L.run_status(status))]
    if all((grand, b) in study.solved for b in study.blocks):
        c = study.cost(grand)
        out += [("termination", ", ".join(sorted({study.solved[grand, b].termination for b in study.blocks}))),
                ("objective_usd", c.value), ("best_bound_usd", c.low),
                ("gap", (c.value - c.low) / abs(c.low) if c.low else 0.0)]
    out += [("members", ",".join(study.members)), ("minerals", ",".join(study.minerals)),
            ("sharing_rule", study.d.settings.coalition_sharing_rule),
            ("coalitions_solved", sum(1 for r in study.plans if not r.reused)),
            ("coalitions_reused", sum(1 for r in study.plans if r.reused)),
            # partners alone: Korea's plan alone, solved for the spare capacity it leaves, is no coalition's
            *([] if study.home in study.members else [("reference_plans_solved",
                                                         len(study.solved) - len(study.plans))]),
            ("highs_blocks_run", sum(r.blocks_solved for r in study.solved.values())),
            ("interrupted", study.stopped), ("hypothetical", L.Worded(hypothetical, study=study))]
    for s in study.coalitions:
        if len(s) > 1 and study.complete(s):
            out += proven_range(f"value {_name(s)}", study.value(s))
    if split is None:
        return out + [("split", L.Worded("coal.run.split_stopped"))]
    for i in study.members:
        out += proven_range(f"shapley {i}", split.shapley_range_usd[i])
    out += [("in_core", split.in_core), ("in_core_significant", split.core != "not_significant"),
            ("core_violated_by", "; ".join(_name(s) for s, _x in split.violations) or None),
            ("least_core_epsilon_usd", split.least_core_epsilon_usd)]
    out += [(f"nucleolus {i}_usd", split.nucleolus_usd[i]) for i in study.members]
    if split.settlement_usd:
        for i in study.members:  # with the range every plan as cheap proves, when it is known
            span = split.settlement_total_usd.get(i)
            out += proven_range(f"settlement {i}", span) if span is not None else [
                (f"settlement {i}_usd", _member_total(split.settlement_usd, i))]
        for i, r in split.settlement_found_usd.items():  # the plan found's, within the coalitions' gaps alone
            out += proven_range(f"settlement {i} in the plan found", r)
        out.append(("joint_stock_cost_usd", split.joint_total_usd))
        if study.home in study.members:  # the fees are Korea's, for its lines with the partners
            out.append(("korea_fees_usd", sum(split.fees_usd.values())))
    out += [(f"{i} adds to {_name(s)}_usd", r.value) for (s, i), r in split.marginal_usd.items()]
    return out


def build_workbook(study: CoalitionStudy, split: Split | None, run_info, title: str, subtitle: str,
                   lang: str = EN) -> Workbook:
    wb = Workbook()
    wb.active.title = sheet_name("Summary", lang)  # written last: it says what every other sheet holds
    write_table(wb.create_sheet(sheet_name("Coalitions", lang)), COALITION_COLS, coalition_rows(study, lang),
                lang=lang)
    headers, rows = value_matrix(study, lang)
    write_table(wb.create_sheet(sheet_name("Values", lang)), _matrix_cols(headers, "coal.note.value", lang), rows,
                lang=lang)
    if split is not None:
        headers, rows = shapley_rows(study, split, lang)
        sh = wb.create_sheet(sheet_name("Shapley", lang))
        write_table(sh, shapley_cols(headers, lang), rows, lang=lang)
        _shapley_chart(wb, sh, study, split, len(rows), lang)
        write_table(wb.create_sheet(sheet_name("Settlement", lang)), fee_cols(study), fee_rows(study, split, lang),
                    lang=lang)
        write_table(wb.create_sheet(sheet_name("Core", lang)), CORE_COLS, core_rows(study, split, lang), lang=lang)
        write_table(wb.create_sheet(sheet_name("Marginal", lang)), MARGINAL_COLS, marginal_rows(study, split, lang),
                    lang=lang)
    headers, rows = exposure_rows(study, lang)
    write_table(wb.create_sheet(sheet_name("Exposure", lang)),
                [Col(h, "", label("coal.note.exposure", lang)) for h in headers], rows, lang=lang)
    covered = cover_rows(study)
    write_table(wb.create_sheet(sheet_name("Losses covered", lang)), COVER_COLS, covered, lang=lang)
    write_table(wb.create_sheet(sheet_name("Partners", lang)), PARTNER_COLS, partner_rows(study, lang), lang=lang)
    if study.home in study.members:  # Korea's own lines: no coalition of partners alone has them
        write_table(wb.create_sheet(sheet_name("Arrangements", lang)), ARRANGEMENT_COLS,
                    arrangement_rows(study, lang), lang=lang)
    write_run_sheet(wb, run_info, lang)
    story_row = _summary_sheet(wb, study, split, title, subtitle, len(covered), lang)
    make_printable(wb)
    if not wb.worksheets[0].page_setup.fitToHeight:  # a cover of more than a page: the story starts the second
        wb.worksheets[0].row_breaks.append(Break(id=story_row - 1))
    return wb


KEY_COLS = _cols(("figure", ""), ("usd", USD, "key_usd"), ("low_usd", USD, "key_low_usd"),
                 ("high_usd", USD, "key_high_usd"), ("says", "", "key_says"))
# The sheets the Summary describes, in the workbook's order (each as sheet_name keys it; coal.sheet.<key>).
SHEETS = ("Coalitions", "Values", "Shapley", "Shapley chart", "Settlement", "Core", "Marginal", "Exposure",
          "Losses covered", "Partners", "Arrangements", "Run")
# The sheets by mineral group, and in all, where there are several groups; of one group, by coalition or member
# alone (coal.sheet.<key>_one).
BY_GROUP = ("Values", "Shapley", "Shapley chart")


def key_rows(study: CoalitionStudy, split: Split | None, lang: str = EN) -> list[list]:
    """The figures a reader of the Summary wants first: what the grand coalition saves, with its proven range;
    each member's Shapley value; whether the split is in the core (else the nucleolus); each member's
    settlement in the plan found, then in any plan as cheap, each with its range and which way it goes; the
    joint stock's cost and Korea's agreements' fees."""
    grand = tuple(study.members)
    if not study.complete(grand) or len(grand) < 2:
        return []
    v = study.value(grand)
    rows = [[label("coal.key.value", lang, coalition=_coalition(study, grand, lang)), v.value, v.low, v.high,
             _significant(v, lang)]]
    if split is None:
        return rows
    names = {i: _member(study, i, lang) for i in study.members}
    rows += [[label("coal.key.shapley", lang, member=names[i]), r.value, r.low, r.high, _significant(r, lang)]
             for i, r in split.shapley_range_usd.items()]
    rows.append([label("coal.key.core", lang), None, None, None, _verdict(split.core, lang)])
    if not split.in_core:
        rows += [[label("coal.key.nucleolus", lang, member=names[i]), x, None, None, None]
                 for i, x in split.nucleolus_usd.items()]
    if split.settlement_usd:
        # The plan found's settlement with the range the coalitions' gaps alone prove, then the least and most in
        # any plan as cheap, which may hold the reserves elsewhere: the console's and the story's order.
        rows += [[label("coal.key.settlement", lang, member=names[i]), _member_total(split.settlement_usd, i),
                  *_ends(split.settlement_found_usd.get(i), lang)] for i in study.members]
        rows += [[label("coal.key.settlement_any", lang, member=names[i]), None, *_ends(span, lang)]
                 for i, span in split.settlement_total_usd.items()]
        rows.append([label("coal.key.joint", lang), split.joint_total_usd, None, None, None])
        if study.home in study.members:
            rows.append([label("coal.key.fees", lang), sum(split.fees_usd.values()), None, None, None])
    return rows


def _summary_sheet(wb: Workbook, study: CoalitionStudy, split: Split | None, title: str, subtitle: str,
                   covered: int, lang: str) -> int:
    """The workbook's first sheet, its cover: the title, the key figures (``key_rows``), what each other sheet
    holds, and the story (the row it starts at, returned); the long tables on sheets of their own."""
    ws = wb.worksheets[0]
    put(ws, 1, 1, title).font = TITLE_FONT
    put(ws, 2, 1, subtitle)
    write_table(ws, KEY_COLS, key_rows(study, split, lang), start_row=4, lang=lang)
    ws.auto_filter.ref = None  # a handful of figures: no filter buttons on the cover
    at = ws.max_row + 2
    put(ws, at, 1, label("coal.sheets", lang)).font = Font(bold=True)
    shown = [key for key in SHEETS if sheet_name(key, lang) in wb.sheetnames]
    for k, key in enumerate(shown, start=at + 1):
        what = f"coal.sheet.{key.lower().replace(' ', '_')}"
        if key == "Settlement" and study.home not in study.members:  # the joint stock alone (``fee_cols``)
            what += "_partners"
        if key in BY_GROUP and (len(study.blocks) == 1 or key == "Shapley chart"
                                and len(_shapley_series(study, split, lang)[1]) == 1):  # one group drawn
            what += "_one"
        put(ws, k, 1, label("coal.sheets.line", lang, sheet=sheet_name(key, lang), what=label(
            what, lang, rows=f"{covered:,}")))
    at = ws.max_row + 2
    put(ws, at, 1, label("word.in_short", lang)).font = Font(bold=True)
    for k, line in enumerate([*story(study, split, lang), label("coal.how", lang)], start=at + 1):
        put(ws, k, 1, line)
    return at


def _matrix_cols(headers: list[str], note: str, lang: str) -> list[Col]:
    """A table of money by member or coalition (rows) and block (columns): headers already in ``lang``."""
    return [Col(h, "" if j == 0 else USD, label(note, lang) if j else "") for j, h in enumerate(headers)]


def _nothing_to_split(split: Split) -> bool:
    """Whether every member's Shapley value is round-off: a chart of it would be empty."""
    return all(abs(x) < ROUND_OFF_USD for x in split.shapley_usd.values())


def _shapley_chart(wb: Workbook, ws, study: CoalitionStudy, split: Split, n: int, lang: str) -> None:
    """Each member's Shapley value, stacked by mineral, on a sheet of its own after the Shapley sheet: under the
    table, the Korean sheet with the settlements' ranges printed across two pages and the second without the
    members' names (a sheet of charts repeats no columns), where a table alone repeats them.  Its data above it
    (``_shapley_series``), the members by name as the page's chart and tables say them: the Shapley table's
    cells keep the codes, which the bars were labelled with.  In words under the table when every value is 0
    (an empty chart's axis would only show round-off labels)."""
    if not n:
        return
    if _nothing_to_split(split):
        put(ws, n + 3, 1, label("coal.chart.shapley_nothing", lang))
        return
    names, blocks, series = _shapley_series(study, split, lang)
    charts = wb.create_sheet(sheet_name("Shapley chart", lang))
    put(charts, 1, 1, label("coal.col.member", lang))
    for j, (name, values) in enumerate(series.items(), start=2):
        put(charts, 1, j, name)
        for i, x in enumerate(values, start=2):
            put(charts, i, j, x).number_format = USD
    for i, name in enumerate(names, start=2):
        put(charts, i, 1, name)
    bar = BarChart()
    bar.type, bar.grouping, bar.overlap = "col", "stacked", 100
    bar.title = _chart_title(study, "coal.chart.shapley", label("coal.chart.usd_pv", lang), lang, blocks)
    bar.y_axis.number_format = "#,##0"
    bar.add_data(Reference(charts, min_col=2, max_col=1 + len(series), min_row=1, max_row=1 + len(names)),
                 titles_from_data=True)
    bar.set_categories(Reference(charts, min_col=1, min_row=2, max_row=1 + len(names)))
    charts.add_chart(finish_chart(bar, 22, plot_cm=8), f"A{len(names) + 3}")


def _chart_title(study: CoalitionStudy, key: str, unit: str, lang: str, blocks: list[str]) -> str:
    """A chart's title: by mineral group where it draws several (``<key>_by_mineral``, their legend names
    them), else naming its one group (one series has no legend)."""
    if len(blocks) > 1:
        return label(f"{key}_by_mineral", lang, unit=unit)
    return label(key, lang, unit=unit, group=_block(study, blocks[0], lang, capital=False))


def _shapley_series(study: CoalitionStudy, split: Split, lang: str
                    ) -> tuple[list[str], list[str], dict[str, list[float]]]:
    """The Shapley chart's members by name, its mineral groups (``_drawn``) and its series, the page's and the
    workbook's alike: each member's value by mineral group, or in all when a CVaR term links the minerals."""
    names = [_member(study, i, lang) for i in study.members]
    if study.blocks == [ALL]:
        return names, [ALL], {label("coal.all_minerals", lang): [split.shapley_usd[i] for i in study.members]}
    values = {b: [split.shapley_by_mineral_usd[i, b] for i in study.members] for b in study.blocks}
    blocks = _drawn(values)
    return names, blocks, {_block(study, b, lang): values[b] for b in blocks}


def _drawn(values: dict[str, list[float]]) -> list[str]:
    """The mineral groups a chart by group draws: those worth something to someone.  Of the default case's seven
    groups five saved nothing, and the legend listed them beside no bar (the story says where nothing is saved)."""
    return [b for b, v in values.items() if any(abs(x) >= ROUND_OFF_USD for x in v)] or list(values)


def _named(study: CoalitionStudy, rows: list[list], cols: list[Col], lang: str) -> list[list]:
    """A workbook table's rows for the page: its mineral column (the workbook's mineral_id) by the mineral's
    name, as every other table of the page names it."""
    k = [c.name for c in cols].index("mineral")
    return [[*r[:k], L.mineral_name(study.d, r[k], lang), *r[k + 1:]] for r in rows]


def _heads(cols: list[Col], lang: str) -> list[str]:
    return [L.page_head(c, lang) for c in cols]


def build_html(study: CoalitionStudy, split: Split | None, title: str, subtitle: str, lang: str = EN,
               notice: str = "") -> str:
    headers, rows = value_matrix(study, lang, page=True)
    sections = [(label("coal.sec.worth", lang), [
        _value_chart(study, lang), html.table(headers, rows, formats=["text"] + ["usd"] * (len(headers) - 1)),
        f"<p>{html.esc(label('coal.worth.note', lang))} {html.esc(label('coal.how', lang))}</p>"])]
    if split is not None:
        ids, srows = shapley_rows(study, split, lang, page=True)
        words = {label(f"coal.col.{k}", lang) for k in ("member", "shapley_range", "settlement_found_range",
                                                          "settlement_range")}
        sh = _heads([Col(h, "", key=f"coal_{h}") for h in ids], lang)  # the workbook's ids, in words
        mh, mrows = shapley_matrix(study, split, lang)
        sections.append((label("coal.sec.split", lang), [
            _shapley_chart_svg(study, split, lang),
            # one group's values are the table's Shapley values
            html.table(mh, mrows, formats=["text"] + ["usd"] * (len(mh) - 1)) if len(study.blocks) > 1 else "",
            html.table(sh, srows, formats=["text" if h in words else "usd" for h in ids]),
            f"<p>{html.esc(label('coal.split.note', lang))}</p>",
            *(page_fee_tables(study, split, lang) if split.settlement_usd
              else [f"<p>{html.esc(label('coal.split.no_settlement', lang))}</p>"])]))
        sections.append((label("coal.sec.core", lang), [
            html.table(_heads(CORE_COLS, lang), core_rows(study, split, lang, page=True),
                       formats=["text", "usd", "usd", "usd", "text", "usd"]),
            "<p>" + html.esc(label({"in": "coal.core.in", "out": "coal.core.out"}.get(split.core, "coal.core.ns"), lang,
                                   epsilon=html.fmt(split.least_core_epsilon_usd, "usd"))) + "</p>"]))
        sections.append((label("coal.sec.marginal", lang), [html.table(
            _heads(MARGINAL_COLS, lang), marginal_rows(study, split, lang, page=True),
            formats=["text", "text", "usd", "usd", "usd", "text", "text"])]))
    eh, erows = exposure_rows(study, lang)
    grand = cover_rows(study, tuple(study.members), lang, page=True)
    scenarios = {sc.name: sc for sc in study.d.disruptions}
    pooled = [[r[0], L.mineral_name(study.d, r[1], lang),
               L.disruption_name(study.d, scenarios[r[2]], lang) if r[2] in scenarios else r[2], *r[3:]]
              for r in grand if r[7] > 1e-3 or r[8] > 1e-3 or r[9] > 1e-3]
    sections += [
        (label("coal.sec.hit", lang), [html.table(eh, erows), f"<p>{html.esc(label('coal.hit.note', lang))}</p>"]),
        (label("coal.sec.cover", lang), [html.table(
            _heads(COVER_COLS, lang), pooled[:200], formats=["text", "text", "text", "probability", "text"]
            + ["t"] * 8) if pooled else f"<p>{html.esc(label('coal.cover.none', lang))}</p>"]),
        (label("coal.sec.members", lang), [html.table(_heads(PARTNER_COLS, lang), _named(
            study, partner_rows(study, lang, page=True), PARTNER_COLS, lang), formats=[
            "text", "text", "t", "t", "number", "t", "percent", "text", "text", "text", "text"])])]
    if study.home in study.members:  # Korea's own lines: no coalition of partners alone has them
        sections.append((label("coal.sec.agreements", lang), [html.table(
            _heads(PAGE_ARRANGEMENT_COLS, lang), page_arrangement_rows(study, lang),
            formats=["text", "usd", "usd", "t", "text"]),
            f"<p>{html.esc(label('coal.hypothetical', lang))} {html.esc(label('coal.agreements.note', lang))}</p>"]))
    return html.page(title, subtitle, story(study, split, lang), sections,
                     narrative_heading=label("word.in_short", lang), lang=lang, notice=notice)


def _value_chart(study: CoalitionStudy, lang: str) -> str:
    pairs = [s for s in study.coalitions if len(s) > 1 and study.complete(s)]
    if not pairs or all(abs(study.value(s).value) < ROUND_OFF_USD for s in pairs):
        return ""  # nothing to draw: every coalition saves nothing
    fmt, unit = _money([study.value(s).value for s in pairs])
    values = {b: [study.value(s, b).value for s in pairs] for b in study.blocks}
    blocks = _drawn(values)
    title = _chart_title(study, "coal.chart.value", unit, lang, blocks)
    names = [_coalition(study, s, lang) for s in pairs]
    series = {_block(study, b, lang): values[b] for b in blocks}
    if len(series) == 1:  # one group's bars: their values beside them
        return html.bar_chart(title, names, series, y_format=fmt)
    return html.bar_chart(title, names, series, y_format=fmt, width=960, height=360, value_labels=False)


def _shapley_chart_svg(study: CoalitionStudy, split: Split, lang: str) -> str:
    if _nothing_to_split(split):
        return f"<p>{html.esc(label('coal.chart.shapley_nothing', lang))}</p>"
    fmt, unit = _money(list(split.shapley_usd.values()))
    names, blocks, series = _shapley_series(study, split, lang)
    title = _chart_title(study, "coal.chart.shapley", unit, lang, blocks)
    if len(series) == 1:  # one group's bars: their values beside them
        return html.bar_chart(title, names, series, y_format=fmt)
    return html.bar_chart(title, names, series, y_format=fmt, width=720, height=360, value_labels=False)


def titles(workbook: str, d: PlanningData, members: list[str], gap: float, sha: str, lang: str = EN
           ) -> tuple[str, str]:
    s = d.settings
    subtitle = label("coal.subtitle", lang, first=s.first_year, last=s.last_year, currency=s.currency,
                     price_year=s.price_year, gap=html.power_of_ten(gap), sha=sha[:12])
    return (label("coal.title", lang, members=_members_words(d, members, lang), workbook=workbook),
            L.with_sampled_basis(subtitle, d, lang))


def coalition_files(study: CoalitionStudy, split: Split | None, run_info, title: str,
                    subtitle: str, lang: str = EN) -> tuple[bytes, bytes]:
    return study_files(build_workbook(study, split, run_info, title, subtitle, lang),
                       lambda notice: build_html(study, split, title, subtitle, lang, notice), run_info,
                       "coalition_plans", lang)
