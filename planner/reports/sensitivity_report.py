"""The reports of ``planner sensitivity``: ``<stem>-sensitivity.xlsx``, ``.html`` and the facts of its ``.json``.

Which inputs move each headline output (a tornado of each input alone at the ends of its range,
Morris's mu* and sigma, Sobol' S1 and ST with their confidence intervals), where a mineral has no
plan, and the decisions that change inside the ranges, by plain name, with the inputs that move
them and the value at which one flips them alone.  In English or Korean: every word of the report comes
from ``planner.reports.labels``; an input is named by what its figures are (the catalogue's words for its
column) and whose (its supply option, countries, event or minerals), its id beside it where a reader traces it
(the workbook's input_id columns, the .json).
"""

from __future__ import annotations

import math

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

from models.dataset import PlanningData
from planner.reports import html
from planner.reports import labels as L
from planner.reports.labels import EN, label
from planner.reports.plan_workbook import (
    Col, chart_rows, finish_chart, make_printable, sheet_name, significance, study_files, wrap_sentences,
    write_run_sheet, write_table, yes,
)
from planner.studies.sensitivity import BISECTIONS, INVALID, MIN_TRAJECTORIES, Output, Study, Threshold
from planner.workbook.uncertainty import ADD, SCALE, Factor, Note
from planner.workbook.writer import put

# Category labels at 8 pt, so that a chart of many inputs shows every input's name.
SMALL_LABELS = RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=800)),
                                     endParaRPr=CharacterProperties(sz=800))])

TOP = 5  # inputs named in the narrative
SHOWN = 15  # inputs in a chart
HTML_FORMAT = {"usd": "usd_m", "share": "percent", "years": "number", "modules": "number", "t": "t",
               "yes/no": "number"}


# ---- words -----------------------------------------------------------------------------------

def factor_value(f: Factor, x: float | None, digits: int = 4, lang: str = EN, zeros: bool = False) -> str:
    """A factor's value as a planner reads it: x0.95 (scale), +12 (add), 0.03 (set); ``zeros``: with its
    trailing zeros, so that two values set side by side read to the same digits (x0.9570 beside x0.9531, not
    x0.957)."""
    if x is None:
        return label("sens.as_in_workbook", lang)
    spec = f"{'+' if f.operation == ADD else ''}{'#' if zeros else ''}.{digits}g"
    return ("x" if f.operation == SCALE else "") + format(x, spec).rstrip(".")


def input_name(d: PlanningData, f: Factor, lang: str = EN) -> str:
    """An input as a planner reads it, from the base case ``d``: whose figures it moves, then the catalogue's
    words for its columns ('gallium: supplier prices (USD/t)', 'Kazakh gallium from alumina refining: supply
    capacity (t/yr)', '26 countries (wgi_countries): political risk scores'); ``input_where`` says where its
    figures are, and its id (``Factor.name``) is beside it where a reader traces it."""
    columns = dict.fromkeys((t.sheet, t.column) for t in f.targets)
    words = L.words_list([label(f"sens.column.{sheet}.{column}", lang) if f"sens.column.{sheet}.{column}"
                          in L.CATALOGUE else label("sens.where", lang, sheet=sheet, column=column)
                          for sheet, column in columns], lang)
    return label("sens.input", lang, group=_whose(d, f, lang), words=words)


def input_name_id(d: PlanningData, f: Factor, lang: str = EN) -> str:
    """An input in words with its id, for the run's facts (the .json keeps what it can be traced by)."""
    return label("sens.input_id", lang, input=input_name(d, f, lang), id=f.name)


def _named(study: Study, i: int, lang: str) -> str:
    """The study's input ``i`` in words."""
    return input_name(study.data, study.factors[i], lang)


NAMED_ITEMS = 3  # rows an input's name lists by name; more are counted


def _whose(d: PlanningData, f: Factor, lang: str) -> str:
    """Whose figures an input moves: a default range's event or minerals; else the rows it moves, by name where
    they are few (supply options, countries) or counted with the Sources row they cite; else its minerals; a
    declared range that selects none of these by its own name on the Uncertainty sheet."""
    kind, group = f.group
    if kind == "event":
        return L.event_name(d, group, lang)
    if f"sens.group.{group}" in L.CATALOGUE:  # battery minerals
        return label(f"sens.group.{group}", lang)
    if kind == "minerals":
        return L.minerals_words(d, group.split("+"), lang, capital=False)
    sheet = f.targets[0].sheet
    if f.items and len(f.items) <= NAMED_ITEMS and sheet in _ITEM_NAMES:
        return L.words_list([_ITEM_NAMES[sheet](d, item, lang) for item in f.items], lang)
    if kind in ("source", "all"):
        rows = (label("sens.group.countries", lang, n=len(f.items)) if sheet == "Countries"
                else label("sens.group.rows", lang, n=len(f.items), sheet=sheet) if f.items
                else label("sens.group.all_minerals", lang))
        return rows if kind == "all" else label("sens.group.source", lang, rows=rows, source=group)
    return L.minerals_words(d, f.minerals, lang, capital=False) if f.minerals else f.name


def note_text(d: PlanningData, note: Note, lang: str = EN) -> str:
    """A note of the study (``Note``) in words: its input and minerals named as the reports name them, its outputs
    (the first six, and how many more) in the study's words."""
    values = dict(note.values)
    if "factor" in values:
        values["input"] = input_name(d, values.pop("factor"), lang)
    for key in ("also", "minerals"):
        if key in values:
            values[key] = L.minerals_words(d, values[key], lang, capital=False)
    if "end" in values:
        values["end"] = label(f"sens.end.{values['end']}", lang)
    if "outputs" in values:
        names = [output_label(d, o, lang) for o in values["outputs"]]
        values["outputs"] = "; ".join(names[:6]) + (label("sens.and_more", lang, n=len(names) - 6)
                                                    if len(names) > 6 else "")
    return label(f"sens.note.{note.kind}", lang, **values)


def _option(d: PlanningData, supplier_id: str, lang: str) -> str:
    """A supply option by the first clause of its name ('Kazakh gallium from alumina refining')."""
    return L.clause(L.option_name(d, supplier_id, lang, with_id=False)) if supplier_id in d.suppliers else supplier_id


# How an input's rows are named, by their sheet (their ids: ``Factor.items``).
_ITEM_NAMES = {
    "Suppliers": _option,
    "Countries": L.country_name,
    "Minerals": L.mineral_name,
    "Stockpile": L.mineral_name,
    "Recycling": lambda d, key, lang: L.plant_name(d, key, lang, with_id=False),
    "Refining": lambda d, key, lang: L.plant_name(d, key, lang, with_id=False),
    "Agreements": lambda d, key, lang: L.agreement_name(d, key, lang, with_id=False),
    "Disruptions": L.event_name,
}


def input_where(f: Factor, lang: str = EN) -> str:
    """Where an input's figures are: its Uncertainty cells, or the sheet and column of a default range."""
    t = f.targets[0]
    return ", ".join(f.cells) if f.cells else label("sens.where", lang, sheet=t.sheet, column=t.column)


def factor_range(f: Factor, lang: str = EN) -> str:
    return label("sens.range", lang, low=factor_value(f, f.low, lang=lang), high=factor_value(f, f.high, lang=lang))


def shown(o: Output, v: float | None, sign: bool = False, lang: str = EN) -> str:
    """An output's value in words: USD 1,234.5 M, 48.2%, 95.1 days, 6 years."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return label("sens.no_value", lang)
    plus = "+" if sign and v > 0 else ""
    if o.unit == "usd":  # whole dollars below a million, else three significant figures: USD 0.2 M hid 213,000;
        # from a billion whole millions, as every report writes them (USD 48,317 M: 'bn' is no unit of theirs)
        a = abs(v)
        money = f"USD {a:,.0f}" if a < 1e6 else f"USD {a / 1e6:,.{max(0, 2 - int(math.log10(a / 1e6)))}f} M"
        return ("-" if v < 0 and round(a) else plus) + money
    if o.unit == "share":  # a change of a share in percentage points; no '-0.00' for a change that rounds to 0
        return L.points(html.fmt(v * 100, "number", 2, sign=sign), lang) if sign else html.fmt(v, "percent", 1)
    if o.unit == "days":
        return L.days(html.fmt(v, "number", 1, sign=sign), lang)
    if o.unit == "t":
        return f"{html.fmt(v, 'number', 0, sign=sign)} t"
    if o.unit == "yes/no":
        return label("sens.a_plan" if v else "sens.no_plan", lang) if not sign else f"{plus}{v:g}"
    return L.counted(f"{plus}{v:g}", o.unit, lang)


def noise_text(study: Study, morris: bool, lang: str = EN) -> str:
    """What a cost difference must exceed to be significant: the solves' proven gaps (``Study.noise_usd``; for
    a Morris effect, a change per whole range, ``Study.effect_negligible``).
    Hedged plans are solved to a relative gap of 1e-7 (``resilience.HEDGED_GAP``), so theirs is a fraction of a
    dollar, often 0: a threshold that rounds to USD 0 is no threshold, and the sentence says the plans are
    proven to the dollar instead."""
    cost = next(o for o in study.outputs if o.key == "total_cost_usd")
    noise = study.effect_negligible(cost) if morris else study.noise_usd  # Morris: per whole range
    if noise < 1:
        return label("sens.morris_proven" if morris else "sens.story.proven", lang)
    return label("sens.morris_noise" if morris else "sens.story.noise", lang, usd=shown(cost, noise, lang=lang))


def effect(study: Study, o: Output, v: float | None, lang: str = EN, morris: bool = False) -> str:
    """A change of ``o`` in words: 'no plan' where there is none, 'no significant change' where a cost
    moves less than the solves' proven gaps, else signed ('+USD 30,776', '-2.10 points'); ``morris``: ``v``
    is a Morris statistic, a change per whole range, whose gaps are ``Study.effect_negligible``."""
    if v is None:
        return label("sens.no_plan", lang)
    if o.unit == "usd" and abs(v) <= (study.effect_negligible(o) if morris else study.noise_usd):
        return label("sens.no_significant_change", lang)
    return shown(o, v, True, lang)


def output_label(d: PlanningData, o: Output, lang: str = EN) -> str:
    """An output in plain words: the study's own in English, the catalogue's in Korean, a decision's minerals
    and item named from the case ``d`` as the Korean pages name them (``_item``), not by their ids."""
    if lang == EN:
        return o.label
    kind = o.key.partition(":")[0]
    if kind.startswith("china_share_"):
        return label("sens.out.china", lang, year=kind.removeprefix("china_share_"),
                     basis=label(f"basis_word.{o.name}", lang))
    if kind == "total_cost_usd":
        return label("sens.out.cost_hedged" if o.name == "hedged" else "sens.out.cost", lang)
    item = _item(d, o, lang)
    if kind == "feasible":
        return label("sens.out.feasible", lang, minerals=item)
    return label(f"sens.out.{kind}", lang, item=item)


# The kind of item each decision is about, as labels.decision_name names it.
_DECISION_ITEM = {"contract": "supplier", "modules": "recycling", "line": "agreement"}


def _item(d: PlanningData, o: Output, lang: str) -> str:
    """A decision's item: a mineral group by its minerals' names in every language ('Gallium', '네오디뮴·디스프로슘':
    the English page's 'Where minerals have no plan' read the id 'gallium'); else its workbook name in English
    (an option's name is English); in Korean as the Korean pages name it (a supply option by its mineral and
    route, a plant by its stream), id in brackets; a headline output's own words (the stock cover's years)."""
    if o.decision == "feasible":
        return L.minerals_words(d, o.name.split("+"), lang)
    if lang == EN:
        return o.name
    if o.decision in _DECISION_ITEM:
        return L.decision_name(d, _DECISION_ITEM[o.decision], o.key.partition(":")[2], lang)
    return o.name


def threshold_text(study: Study, o: Output, t: Threshold, lang: str = EN) -> str:
    """'below x0.9470 (between x0.9490 and x0.9470): 9 years' - where a factor alone flips a decision."""
    f = study.factors[t.factor]
    if o.decision == "feasible":
        after = label("sens.no_plan" if t.state_after is False else "sens.a_plan", lang)
    elif t.state_after is None:
        after = label("sens.no_plan_at_all", lang)
    elif o.decision == "line":
        after = label("sens.line_held" if t.state_after else "sens.no_line", lang)
    else:
        after = L.counted(f"{t.state_after:g}", o.unit, lang)
    # Enough digits to tell the two sides apart (x1.0004 is not x1).
    digits = next((k for k in range(4, 9) if factor_value(f, t.before, k) != factor_value(f, t.after, k)), 9)
    return label("sens.threshold.below" if t.end < t.before else "sens.threshold.above", lang,
                 input=input_name(study.data, f, lang), value=factor_value(f, t.after, digits, zeros=True),
                 before=factor_value(f, t.before, digits, zeros=True), after=after)


# ---- the facts -------------------------------------------------------------------------------

def sensitivity_facts(study: Study) -> list[tuple[str, object]]:
    """The study's headline for its .json and Run sheet: the base plan's status, objective, bound and
    gap, what was sampled and how it ended, the five inputs that move the cost most, the minerals
    without a plan somewhere and every decision that changes, with its threshold."""
    base = study.base
    cost = base.outputs.get("total_cost_usd")
    gap_usd = base.gap_usd
    out: list[tuple[str, object]] = [
        ("status", L.run_status(base.status)), ("objective_usd", cost),
        ("best_bound_usd", None if cost is None else cost - gap_usd),
        ("gap", None if not cost else gap_usd / abs(cost)), ("method", study.method), ("seed", study.seed),
        ("trajectories", study.trajectories), ("hedged", study.ctx.hedged), ("strategy_cost", study.ctx.strategy),
        ("minerals", ", ".join(study.ctx.minerals) or L.Worded("run.all_minerals")),
        ("solved_by_mineral", study.ctx.by_mineral),
        ("inputs", len(study.factors)), ("inputs_declared", sum(1 for f in study.factors if f.cells)),
        ("inputs_default", sum(1 for f in study.factors if not f.cells)), ("inputs_in_model", len(study.in_model)),
        ("inputs_held_fixed", len(study.fixed)), ("morris_samples_planned", study.morris_planned),
        ("morris_trajectories_finished", study.morris_finished),
        ("sobol_inputs", L.Worded(_inputs_fact, study=study, inputs=study.sobol_factors)),
        ("sobol_samples_planned", study.sobol_planned), ("samples_solved", len(study.sampled)),
        ("threshold_solves", len(study.bisections)),
        *[(f"samples_{status}", n) for status, n in sorted(study.status_counts().items())],
        *[(f"no_plan {m}", L.Worded("run.of_samples", n=n, of=of))
          for m, (n, of) in sorted(study.mineral_failures().items())],
        ("noise_usd", study.noise_usd), ("interrupted", study.stopped),
        *[(f"{phase}_s", round(s, 2)) for phase, s in study.phase_s.items()],
    ]
    for o in study.headline:
        r = study.ranked(o.key)
        if r is None:
            continue
        unmeasured = study.unmeasured(o.key)
        if unmeasured:
            out.append((f"{o.key} not measured", L.Worded(_inputs_fact, study=study, inputs=unmeasured)))
        for rank, i in enumerate(_top(study, o.key, TOP), start=1):
            j = study.in_model.index(i)
            out.append((f"{o.key} input {rank}", L.Worded(_input_fact, study=study, i=i, mu_star=r.mu_star[j],
                                                          sigma=r.sigma[j])))
    for d in study.decisions:
        out.append((f"decision {d.output.key}", L.Worded(_decision_fact, study=study, d=d)))
    return out


def _inputs_fact(study: Study, inputs: list[int], lang: str = EN) -> str:
    """Inputs of a run fact: in words, each with its id."""
    return ", ".join(input_name_id(study.data, study.factors[i], lang) for i in inputs)


def _input_fact(study: Study, i: int, mu_star: float, sigma: float, lang: str = EN) -> str:
    """An input that moves an output most: its range and Morris's mu* and sigma (none with one step only)."""
    f = study.factors[i]
    return label("sens.run.input", lang, input=input_name_id(study.data, f, lang), range=factor_range(f, lang),
                 mu=f"{mu_star:.6g}",
                 sigma=f"{sigma:.6g}" if _finite(sigma) is not None else label("sens.run.no_sigma", lang))


def _decision_fact(study: Study, d, lang: str = EN) -> str:
    """A decision the samples change: its base value and range, how often it changed, the inputs that move it
    most and where one alone flips it."""
    o = d.output
    parts = [label("sens.run.decision", lang, base=shown(o, d.base, lang=lang), low=shown(o, d.low, lang=lang),
                   high=shown(o, d.high, lang=lang), changed=d.changed, seen=d.seen)]
    if d.movers:
        parts.append(label("sens.run.moved", lang, inputs=_inputs_fact(study, d.movers[:3], lang)))
    parts += [threshold_text(study, o, t, lang) for t in d.thresholds]
    return label("word.sep", lang).join(parts)


def _short(d: PlanningData, o: Output, lang: str) -> str:
    """An output's name for a chart title: 'total cost of the plan', 'China share of imports in 2030'."""
    return output_label(d, o, lang).split(",")[0].split(":")[0]


def _top(study: Study, key: str, n: int) -> list[int]:
    """The ``n`` inputs with the largest mu* on output ``key`` (those with an effect); none where too few
    Morris trajectories finished for a ranking."""
    r = study.ranked(key)
    if r is None:
        return []
    o = next(o for o in study.outputs if o.key == key)
    return [i for i in study.ranking(key)[:n] if r.mu_star[study.in_model.index(i)] > study.effect_negligible(o)]


def _unmeasured_text(study: Study, key: str, o: Output, unmeasured: list[int], lang: str) -> str:
    """The catalogue's sentence ``key`` naming the inputs Morris did not measure on output ``o`` (``unmeasured``),
    those that alone move it most first (the first six, and how many more)."""
    names = [_named(study, i, lang) for i in _by_swing(study, o) if i in unmeasured]
    more = label("sens.and_more", lang, n=len(names) - 6) if len(names) > 6 else ""
    return label(key, lang, n=len(names), in_model=len(study.in_model), inputs=", ".join(names[:6]) + more,
                 tornado=label("sens.sec.tornado", lang))


def _no_ranking_text(study: Study, lang: str) -> str:
    """Why a study whose Morris screening a stop cut short ranks no input; "" where Morris ranks them, or did not
    run."""
    if not study.morris_results or study.morris_ranks:
        return ""
    return label("sens.story.no_ranking", lang, done=study.morris_finished, asked=study.trajectories,
                 least=MIN_TRAJECTORIES, tornado=label("sens.sec.tornado", lang))


# ---- the narrative ---------------------------------------------------------------------------

def narrative(study: Study, lang: str = EN) -> list[str]:
    base = study.base
    cost = next(o for o in study.outputs if o.key == "total_cost_usd")
    declared = sum(1 for f in study.factors if f.cells)
    # A stop in the Morris phase leaves fewer trajectories than asked for: the text counts those that finished.
    cut = study.stopped and bool(study.in_model) and study.morris_finished < study.trajectories
    sampled = label("sens.story.morris_cut" if cut else "sens.story.morris", lang, n=len(study.morris),
                    trajectories=study.trajectories, done=study.morris_finished)
    if study.sobol_planned:
        sampled += label("sens.story.sobol", lang, n=len(study.sobol),
                         base=study.sobol_planned // (len(study.sobol_factors) + 2))
    out = [label("sens.story.inputs", lang, n=len(study.factors), declared=declared,
                 default=len(study.factors) - declared, in_model=len(study.in_model), sampled=sampled,
                 screen=len(study.screen), samples=len(study.sampled), search=len(study.bisections),
                 cost=shown(cost, base.outputs.get("total_cost_usd"), lang=lang))]
    if cut:
        out.append(label("sens.story.stopped_morris", lang, done=study.morris_finished, asked=study.trajectories)
                   + (" " + label("sens.story.partial_mu", lang) if study.ranked(cost.key) else ""))
    elif study.stopped:
        out.append(label("sens.story.stopped", lang))
    if no_ranking := _no_ranking_text(study, lang):
        out.append(no_ranking)
    r = study.ranked(cost.key)
    top = _top(study, cost.key, TOP)
    unmeasured = study.unmeasured(cost.key)
    if top:
        words = []
        for i in top:
            low, high = study.swing(cost, i)
            j = study.in_model.index(i)
            words.append(label("sens.story.input", lang, input=_named(study, i, lang),
                               range=factor_range(study.factors[i], lang), mu=shown(cost, r.mu_star[j], lang=lang),
                               steps=r.effects[j], low=effect(study, cost, low, lang),
                               high=effect(study, cost, high, lang)))
        out.append(label("sens.story.top_measured" if unmeasured else "sens.story.top", lang, n=len(top),
                         inputs="; ".join(words), trajectories=study.morris_finished,
                         measured=len(study.in_model) - len(unmeasured), in_model=len(study.in_model)))
    if unmeasured:
        out.append(_unmeasured_text(study, "sens.story.unmeasured", cost, unmeasured, lang))
    if top:
        out.append(noise_text(study, False, lang))
    for o in study.headline[1:]:
        top = _top(study, o.key, 3)
        if top:
            out.append(label("sens.story.moves", lang, output=L.capital(output_label(study.data, o, lang)),
                             base=shown(o, base.outputs.get(o.key), lang=lang),
                             inputs=", ".join(_named(study, i, lang) for i in top)))
    if study.sobol_results.get("total_cost_usd"):
        s = study.sobol_results["total_cost_usd"]
        ranked = sorted(range(len(study.sobol_factors)), key=lambda j: -s.st[j])
        out.append(label("sens.story.sobol_indices", lang, n=len(study.sobol_factors), indices="; ".join(
            f"{_named(study, study.sobol_factors[j], lang)} S1 {s.s1[j]:.2f} "
            f"(\u00b1{s.s1_conf[j]:.2f}), ST {s.st[j]:.2f} (\u00b1{s.st_conf[j]:.2f})" for j in ranked[:TOP])))
    for d in study.decisions:
        if d.output.decision != "feasible":
            continue
        m = d.output.name
        names = L.capital(L.minerals_words(study.data, m.split("+"), lang))  # the sentence starts with them
        one = "+" not in m
        # The Decisions table's count: the samples drawn in which the mineral was solved.
        text = label("sens.story.no_plan" if one else "sens.story.no_plan_group", lang, minerals=names, n=d.changed,
                     of=d.seen)
        if d.thresholds:
            text += label("sens.story.when", lang, when=label("sens.or_when", lang).join(
                threshold_text(study, d.output, t, lang).rsplit(": ", 1)[0] for t in d.thresholds))
        elif d.movers and study.ranked(d.output.key):
            text += label("sens.story.depends" if one else "sens.story.depend", lang,
                          inputs=", ".join(_named(study, i, lang) for i in d.movers[:3]))
        out.append(text + ".")
    flips = [d for d in study.decisions if d.output.decision != "feasible"]
    if flips:
        out.append(label("sens.story.flips", lang, n=len(flips), alone=sum(1 for d in flips if d.thresholds),
                         table=label("sens.sec.flips", lang)))
    else:
        out.append(label("sens.story.no_flips", lang))
    invalid = study.status_counts().get(INVALID, 0)
    if invalid:
        out.append(label("sens.story.invalid", lang, n=invalid))
    return out


# ---- the workbook ----------------------------------------------------------------------------

def _cols(*cols: tuple[str, str] | tuple[str, str, str]) -> list[Col]:
    """Columns (id, format[, key]) whose Korean header and note are the catalogue's ``sens_<key>``."""
    return [Col(c[0], c[1], key=f"sens_{c[-1] if len(c) > 2 else c[0]}") for c in cols]


def _output_cells(study: Study, o: Output, lang: str) -> list[str]:
    """An output's cells of a row: its words, as the page names it, then its id (``output_id``: the .json's key)."""
    return [output_label(study.data, o, lang), o.key]


def input_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    cols = _cols(("input", ""), ("input_id", ""), ("what", ""), ("kind", ""), ("operation", ""), ("low", "0.####"),
                 ("high", "0.####"), ("figures", "0"), ("sources", ""), ("from", ""), ("in_model", ""),
                 ("description", ""))

    def what(f: Factor) -> str:  # the workbook's sheet and column ids, and which rows
        return f.label if lang == EN else label("sens.what", lang, sheet=f.targets[0].sheet,
                                                column=f.targets[0].column, n=len(f.targets))

    def kind(f: Factor) -> str:  # declared, or a default range's kind of figure (schema.DEFAULT_RANGES' id)
        return label("sens.declared" if f.kind == "declared" else f"sens.kind.{f.kind}", lang)

    def where(f: Factor) -> str:
        return f.where if lang == EN or f.cells else label("sens.default_range", lang, kind=kind(f))

    rows = [[input_name(study.data, f, lang), f.name, what(f), kind(f), label(f"sens.op.{f.operation}", lang), f.low,
             f.high, len(f.targets), ", ".join(f.sources), where(f), yes(i in study.in_model, lang), f.description]
            for i, f in enumerate(study.factors)]
    rows += [[input_name(study.data, f, lang), f.name, what(f), label("sens.held_fixed", lang),
              label(f"sens.op.{f.operation}", lang), f.low, f.high, len(f.targets), ", ".join(f.sources), where(f), "",
              f.description] for f in study.fixed]
    return cols, rows


def tornado_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    cols = _cols(("output", ""), ("output_id", ""), ("input", "", "input_alone"), ("input_id", ""),
                 ("low", "0.####", "input_low"), ("high", "0.####", "input_high"), ("base_value", "#,##0.####"),
                 ("change_at_low", "#,##0.####"), ("change_at_high", "#,##0.####"), ("swing", "#,##0.####"),
                 ("no_plan", "", "no_plan_at"))
    rows = []
    for o in study.headline:
        for i in _by_swing(study, o):
            low, high = swing = study.swing(o, i)
            f = study.factors[i]
            rows.append([*_output_cells(study, o, lang), input_name(study.data, f, lang), f.name, f.low, f.high,
                         study.base.outputs.get(o.key), low, high, _size(low, high),
                         _no_plan_note(study, i, swing, lang) or None])
    return cols, rows


def _no_plan_note(study: Study, i: int, swing: tuple[float | None, float | None], lang: str) -> str:
    """'no plan (input at its high end)' where input ``i`` alone leaves an output without a value (a mineral
    without a plan) at an end of its range (``swing``: ``Study.swing`` of the output and input), as the page's
    tornado says beside the bars; "" where both ends have one (or were not solved: a stop)."""
    ends = [label(end, lang) for e, end, v in zip((0, 1), ("sens.low_end", "sens.high_end"), swing)
            if v is None and study.screened(i, e) is not None]
    return label("sens.no_plan_ends", lang, ends=", ".join(ends)) if ends else ""


def _size(low: float | None, high: float | None) -> float:
    return max(abs(v) for v in (low, high, 0.0) if v is not None)


def _by_swing(study: Study, o: Output) -> list[int]:
    """Inputs in the model by the larger change of ``o`` at their ends (those it has a value at),
    largest first."""
    return sorted(study.in_model, key=lambda i: (-_size(*study.swing(o, i)), study.factors[i].name))


def _moves(study: Study, o: Output, i: int) -> bool:
    """Whether input ``i`` alone moves ``o`` more than a negligible amount at an end of its range."""
    return _size(*study.swing(o, i)) > study.negligible(o)


def morris_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    cols = _cols(("output", ""), ("output_id", ""), ("input", "", "input_any"), ("input_id", ""), ("rank", "0"),
                 ("mu_star", "#,##0.####"), ("mu_star_conf", "#,##0.####"), ("sigma", "#,##0.####"),
                 ("mu", "#,##0.####"), ("effects", "0"), ("significant", ""))
    rows = []
    for o in study.outputs:
        r = study.morris_results.get(o.key)
        if r is None:
            continue
        # The inputs no step measured last, without a rank; no ranks at all from too few trajectories.
        ranks = study.ranked(o.key) is not None
        unmeasured = study.unmeasured(o.key)
        ranked = [i for i in study.ranking(o.key) if i not in unmeasured]
        for k, i in enumerate([*ranked, *unmeasured], start=1):
            j = study.in_model.index(i)
            if o.decision and not r.mu_star[j] > 0:
                continue  # a decision lists the inputs that move it
            rank = k if ranks and k <= len(ranked) else None
            significant = ("" if o.unit != "usd" or math.isnan(r.mu_star[j])
                           else significance(r.mu_star[j] > study.effect_negligible(o), lang))
            rows.append([*_output_cells(study, o, lang), _named(study, i, lang), study.factors[i].name, rank,
                         *(_finite(v) for v in (r.mu_star[j], r.mu_star_conf[j], r.sigma[j], r.mu[j])), r.effects[j],
                         significant])
    return cols, rows


def _finite(v: float) -> float | None:
    return None if v is None or math.isnan(v) else v


def chart_unit(study: Study, o: Output, values, lang: str = EN, by_largest: bool = False) -> tuple[float, str]:
    """(factor, unit words) that a table's or chart's changes of ``o`` are shown in, multiplied by the
    factor: a share in percentage points; money in USD M where every effect above the solves' gaps is at
    least USD 1 M, else in USD thousand, else in USD, so that the smallest effect shown keeps three
    significant figures (an effect of USD 38,904 reads 38.9 thousand, not 0.04 M); ``by_largest``: by
    the largest effect, for a chart read by its bars and axis."""
    if o.unit == "share":
        return 100.0, label("sens.unit.share", lang)
    if o.unit != "usd":
        return 1.0, label(f"sens.unit.{o.unit}", lang) if o.unit == "days" else o.unit
    significant = [abs(v) for v in values if _finite(v) is not None and abs(v) > study.noise_usd]
    least = (max if by_largest else min)(significant, default=0.0)
    unit = "usd" if least >= 1e6 else "usd_k" if least >= 1e3 else "usd_1"
    return {"usd": 1e-6, "usd_k": 1e-3, "usd_1": 1.0}[unit], label(f"sens.unit.{unit}", lang)


def _scaled(v: float | None, factor: float) -> float | None:
    return None if _finite(v) is None else v * factor


def sobol_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    cols = _cols(("output", ""), ("output_id", ""), ("input", "", "input_sobol"), ("input_id", ""), ("S1", "0.000"),
                 ("S1_conf", "0.000"), ("ST", "0.000"), ("ST_conf", "0.000"), ("rows", "0"))
    rows = []
    for o in study.outputs:
        s = study.sobol_results.get(o.key)
        if s is None:
            continue
        for j in sorted(range(len(study.sobol_factors)), key=lambda j: -s.st[j]):
            i = study.sobol_factors[j]
            rows.append([*_output_cells(study, o, lang), _named(study, i, lang), study.factors[i].name, s.s1[j],
                         s.s1_conf[j], s.st[j], s.st_conf[j], s.rows])
    return cols, rows


def decision_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    # The decision in words, as the page words it; its id (kind:item) keys it as the Morris sheet and the .json do.
    cols = _cols(("decision", ""), ("item", ""), ("output_id", "", "decision_id"), ("base", "#,##0.##"),
                 ("least", "#,##0.##"), ("most", "#,##0.##"), ("changed", "0"), ("samples", "0"),
                 ("moved_most_by", ""), ("flips_alone_with", ""), ("threshold", ""))
    cols[-1] = Col("threshold", "", key="sens_threshold", values=(("steps", BISECTIONS),))
    rows = [[label(f"sens.decision.{d.output.decision}", lang), _item(study.data, d.output, lang), d.output.key,
             d.base, d.low, d.high, d.changed, d.seen,
             ", ".join(_named(study, i, lang) for i in d.movers[:5]) or _no_movers(study, d.output, lang),
             ", ".join(_named(study, i, lang) for i in d.alone[:5]),
             "; ".join(threshold_text(study, d.output, t, lang) for t in d.thresholds)] for d in study.decisions]
    return cols, rows


def _no_movers(study: Study, o: Output, lang: str) -> str:
    """Why no input has a Morris mu* on decision ``o`` though samples change it: no Morris sample finished,
    or no step changes it (for a decision of a mineral's plan, no step with a plan at both ends: where a
    step's other end has none, the step measures nothing)."""
    if not study.morris:
        return label("sens.moved_by.no_morris", lang)
    return label("sens.moved_by.none" if o.decision == "feasible" else "sens.moved_by.none_with_plan", lang)


def sample_reason(s, lang: str = EN) -> str:
    """Why a sample has no plan, in ``lang``: its edited case's broken rule, or each mineral group's reason."""
    return "; ".join((f"{g}: " if g else "") + L.reason(why, lang) for g, why in s.reasons)


def sample_rows(study: Study, lang: str = EN) -> tuple[list[Col], list[list]]:
    moved = sorted(set(study.in_model) | set(study.sobol_factors))
    cols = [*_cols(("phase", ""), ("index", "0"), ("status", "", "sample_status"), ("message", "")),
            *[Col(o.key, "#,##0.####", key="sens_sample_output", values=(
                ("output", _short(study.data, o, lang) + (" (USD)" if o.unit == "usd" else "")),
                ("words", output_label(study.data, o, lang)))) for o in study.headline],
            *[Col(study.factors[i].name, "0.####", label("sens.note.value_of", lang,
                                                         input=_named(study, i, lang))) for i in moved]]
    rows = [[label(f"sens.phase.{s.phase}", lang), s.index, L.status(s.status, lang), sample_reason(s, lang),
             *[s.outputs.get(o.key) for o in study.headline], *[s.point[i] for i in moved]] for s in study.samples]
    return cols, rows


def build_sensitivity_workbook(study: Study, run_info: list, lang: str = EN) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = sheet_name("Summary", lang)
    write_table(summary, _cols(("finding", "")), [[p] for p in narrative(study, lang)], lang=lang)
    wrap_sentences(summary, 2)
    for name, (cols, rows) in (("uncertain_inputs", input_rows(study, lang)), ("Tornado", tornado_rows(study, lang)),
                               ("Morris", morris_rows(study, lang)), ("Sobol", sobol_rows(study, lang)),
                               ("Decisions", decision_rows(study, lang)), ("Samples", sample_rows(study, lang))):
        if name == "Sobol" and not rows:
            continue
        write_table(wb.create_sheet(sheet_name(name, lang)), cols, rows, lang=lang)
    notes = wb.create_sheet(sheet_name("Notes", lang))
    write_table(notes, _cols(("note", "")), [[note_text(study.data, n, lang)] for n in study.notes], lang=lang)
    wrap_sentences(notes, 2)
    _charts(wb, study, lang)
    write_run_sheet(wb, run_info, lang)
    make_printable(wb)
    return wb


def _charts(wb: Workbook, study: Study, lang: str) -> None:
    """Native charts: a tornado per headline output (the top inputs' change at each end), the Morris
    mu* of the total cost, and the Sobol' indices of the total cost."""
    data = wb.create_sheet(sheet_name("ChartData", lang))
    charts = wb.create_sheet(sheet_name("Charts", lang), 1)
    row, top = 1, 1
    for o in study.headline:
        chosen = [i for i in _by_swing(study, o) if _moves(study, o, i)][:SHOWN]
        if not chosen:
            continue
        factor, unit = chart_unit(study, o, [v for i in chosen for v in study.swing(o, i)], lang, by_largest=True)
        for j, head in enumerate((label("sens.col.input", lang), label("sens.at_low", lang, unit=unit),
                                  label("sens.at_high", lang, unit=unit)), start=1):
            put(data, top, j, head)
        put(data, top, 4, label("sens.col.no_plan", lang))
        for k, i in enumerate(chosen, start=top + 1):
            low, high = swing = study.swing(o, i)
            # An end without a plan has no bar: the input's name on the axis says so, or it reads as no effect.
            note = _no_plan_note(study, i, swing, lang)
            name = _named(study, i, lang)
            put(data, k, 1, label("sens.chart.input_no_plan", lang, input=name, note=note) if note else name)
            put(data, k, 2, _scaled(low, factor)).number_format = "#,##0.00"
            put(data, k, 3, _scaled(high, factor)).number_format = "#,##0.00"
            put(data, k, 4, note)
        bar = _bar(label("sens.chart.tornado_sheet", lang, output=_short(study.data, o, lang)), data, top,
                   len(chosen), 3, label("sens.axis.change", lang, unit=unit))
        bar.overlap = 100  # the two ends on one line: a tornado
        charts.add_chart(bar, f"A{row}")
        row += chart_rows(bar) + 1
        top += len(chosen) + 2
    chosen = _top(study, "total_cost_usd", SHOWN)  # none where Morris ranks none
    if chosen:
        r = study.ranked("total_cost_usd")
        cost = next(o for o in study.outputs if o.key == "total_cost_usd")
        idx = [study.in_model.index(i) for i in chosen]
        factor, unit = chart_unit(study, cost, [r.mu_star[j] for j in idx], lang)
        # sigma needs two steps of an input; a chart without any would name a series it does not draw
        heads = ["mu*", "sigma"][:2 if any(_finite(r.sigma[j]) is not None for j in idx) else 1]
        for j, head in enumerate((label("sens.col.input", lang), *(f"{h} ({unit})" for h in heads)), start=1):
            put(data, top, j, head)
        for k, (i, j) in enumerate(zip(chosen, idx), start=top + 1):
            put(data, k, 1, _named(study, i, lang))
            for col, v in enumerate((r.mu_star[j], r.sigma[j])[:len(heads)], start=2):
                put(data, k, col, _scaled(v, factor)).number_format = "#,##0.00"
        charts.add_chart(_bar(label("sens.chart.morris_cost" if len(heads) == 2 else "sens.chart.morris_cost_mu", lang),
                              data, top, len(chosen), 1 + len(heads), unit), f"A{row}")
        row += chart_rows(charts._charts[-1]) + 1
        top += len(chosen) + 2
    s = study.sobol_results.get("total_cost_usd")
    if s:
        for j, head in enumerate((label("sens.col.input", lang), "S1", "ST"), start=1):
            put(data, top, j, head)
        for k, j in enumerate(sorted(range(len(study.sobol_factors)), key=lambda j: -s.st[j]), start=top + 1):
            put(data, k, 1, _named(study, study.sobol_factors[j], lang))
            put(data, k, 2, s.s1[j]).number_format = "0.000"
            put(data, k, 3, s.st[j]).number_format = "0.000"
        charts.add_chart(_bar(label("sens.chart.sobol_cost", lang), data, top, len(study.sobol_factors), 3,
                              label("sens.axis.sobol", lang)), f"A{row}")


def _bar(title: str, data, top: int, n: int, last_col: int, unit: str) -> BarChart:
    """A horizontal bar chart of ``n`` items (first on top) from ChartData rows below ``top``."""
    bar = BarChart()
    bar.type, bar.grouping = "bar", "clustered"
    bar.title = title
    bar.add_data(Reference(data, min_col=2, max_col=last_col, min_row=top, max_row=top + n), titles_from_data=True)
    bar.set_categories(Reference(data, min_col=1, min_row=top + 1, max_row=top + n))
    for k, series in enumerate(bar.series):
        series.graphicalProperties.solidFill = html.PALETTE[k].lstrip("#")
    bar.x_axis.scaling.orientation = "maxMin"  # the first item on top
    bar.y_axis.crosses = "max"  # and the value axis still at the bottom
    bar.x_axis.tickLblSkip = 1
    bar.x_axis.tickLblPos = "low"  # the inputs' names at the left edge, clear of the bars either side of 0
    bar.x_axis.txPr = SMALL_LABELS
    bar.y_axis.title = unit
    bar.y_axis.number_format = "#,##0.0"
    bar.x_axis.delete = bar.y_axis.delete = False
    return finish_chart(bar, 24, plot_cm=max(4.0, 0.75 * n))


# ---- the page --------------------------------------------------------------------------------

def _html_format(o: Output) -> str:
    """A chart's and table's format of changes of ``o``: plain numbers in the unit ``chart_unit`` chose
    for money, shares and days (its words in the report's language), else the output's own."""
    return "number" if o.unit in ("usd", "share", "days") else HTML_FORMAT[o.unit]


def build_sensitivity_html(study: Study, title: str, subtitle: str, lang: str = EN, notice: str = "") -> str:
    sections = []
    tornadoes = []
    for o in study.headline:
        chosen = [i for i in _by_swing(study, o) if _moves(study, o, i)][:SHOWN]
        if not chosen:
            continue
        factor, unit = chart_unit(study, o, [v for i in chosen for v in study.swing(o, i)], lang, by_largest=True)
        rows = []
        for i in chosen:
            low, high = swing = study.swing(o, i)
            rows.append(html.TornadoRow(f"{_named(study, i, lang)} ({factor_range(study.factors[i], lang)})",
                                        _scaled(low, factor), _scaled(high, factor),
                                        # the chart names the ends; an end a stop left unsolved is no "no plan"
                                        label("sens.no_plan", lang) if _no_plan_note(study, i, swing, lang) else ""))
        tornadoes.append(html.tornado_chart(
            label("sens.chart.tornado", lang, output=L.capital(output_label(study.data, o, lang)),
                  base=shown(o, study.base.outputs.get(o.key), lang=lang)), rows,
            x_format=_html_format(o), x_label=unit if _html_format(o) == "number" else "",
            low_name=label("sens.low_end", lang), high_name=label("sens.high_end", lang)))
    if tornadoes:
        sections.append((label("sens.sec.tornado", lang), tornadoes))
    morris = []
    for o in study.headline:
        chosen = _top(study, o.key, SHOWN)  # none where Morris ranks none
        if not chosen:
            continue
        r = study.ranked(o.key)
        idx = [study.in_model.index(i) for i in chosen]
        factor, unit = chart_unit(study, o, [r.mu_star[j] for j in idx], lang)
        fmt_ = _html_format(o)
        unit = f" ({unit})" if fmt_ == "number" else ""

        def cell(v: float) -> float | str | None:
            """A figure of the table; an effect on money within the solves' gaps says it is not significant."""
            if _finite(v) is None:
                return None
            noise = study.effect_negligible(o)  # mu*, its interval, sigma and mu: changes per whole range
            return label("sens.not_significant", lang) if o.unit == "usd" and abs(v) <= noise else v * factor

        # sigma is the spread of an input's steps: with one step there is none, and the row says so.
        one_step = label("sens.one_step", lang)
        morris.append(html.tornado_chart(f"Morris: {output_label(study.data, o, lang)}{unit}", [
            html.TornadoRow(_named(study, i, lang), _scaled(r.mu_star[j], factor),
                            _scaled(r.sigma[j], factor), one_step if _finite(r.sigma[j]) is None else "")
            for i, j in zip(chosen, idx)],
            x_format=fmt_, x_label=unit.strip(" ()"), low_name="mu*", high_name="sigma"))
        morris.append(html.table([label("sens.col.input", lang), label("sens.col.where", lang),
                                  label("sens.col.range", lang), f"mu*{unit}", "\u00b1 (95%)", "sigma", "mu",
                                  label("sens.col.steps", lang)],
                                 [[_named(study, i, lang), input_where(study.factors[i], lang),
                                   factor_range(study.factors[i], lang),
                                   *(cell(v) for v in (r.mu_star[j], r.mu_star_conf[j], r.sigma[j], r.mu[j])),
                                   r.effects[j]] for i, j in zip(chosen, idx)],
                                 formats=["text", "text", "text", fmt_, fmt_, fmt_, fmt_, "number"]))
        unmeasured = study.unmeasured(o.key)
        if unmeasured:
            text = _unmeasured_text(study, "sens.morris_unmeasured", o, unmeasured, lang)
            morris.append(f"<p>{html.esc(text)}</p>")
    if no_ranking := _no_ranking_text(study, lang):  # the narrative's reason, where the charts would be
        morris.append(f"<p>{html.esc(no_ranking)}</p>")
    if morris:
        note = f"{noise_text(study, True, lang)} {label('sens.morris_sigma', lang)}"
        morris.append(f"<p>{html.esc(note)}</p>")
        sections.append((label("sens.sec.morris", lang), morris))
    sobol = []
    for o in study.headline:
        s = study.sobol_results.get(o.key)
        if not s:
            continue
        order = sorted(range(len(study.sobol_factors)), key=lambda j: -s.st[j])
        names = [_named(study, study.sobol_factors[j], lang) for j in order]
        sobol.append(html.tornado_chart(label("sens.chart.sobol", lang, output=output_label(study.data, o, lang),
                                              n=s.rows), [
            html.TornadoRow(n, s.s1[j], s.st[j]) for n, j in zip(names, order)], low_name=label("sens.s1", lang),
            high_name=label("sens.st", lang)))
        sobol.append(html.table([label("sens.col.input", lang), "S1", "\u00b1 (95%)", "ST", "\u00b1 (95%)"],
                                [[n, s.s1[j], s.s1_conf[j], s.st[j], s.st_conf[j]] for n, j in zip(names, order)]))
    if sobol:
        sections.append((label("sens.sec.sobol", lang), sobol))
    cols, rows = decision_rows(study, lang)
    at = {c.name: k for k, c in enumerate(cols)}
    feasible = [r for d, r in zip(study.decisions, rows) if d.output.decision == "feasible"]
    flipping = [r for d, r in zip(study.decisions, rows) if d.output.decision != "feasible"]
    if feasible:
        sections.append((label("sens.sec.no_plan", lang), [html.table(
            [label(f"sens.col.{k}", lang) for k in ("minerals", "without", "samples", "depends", "alone", "threshold")],
            [[r[at[name]] for name in ("item", "changed", "samples", "moved_most_by", "flips_alone_with", "threshold")]
             for r in feasible], formats=["text", "number", "number", "text", "text", "text"])]))
    shown_cols = [k for k, c in enumerate(cols) if c.name != "output_id"]  # the id in the workbook, the item named
    sections.append((label("sens.sec.flips", lang), [html.table(
        [L.page_head(cols[k], lang) for k in shown_cols], [[r[k] for k in shown_cols] for r in flipping],
        formats=["text", "text", "number", "number", "number", "number", "number", "text", "text", "text"])]
        if flipping else [f"<p>{html.esc(label('sens.story.no_flips', lang))}</p>"]))
    cols, rows = input_rows(study, lang)
    shown_cols = [k for k, c in enumerate(cols) if c.name != "input_id"]  # ids in the workbook; 'what' says where
    sections.append((label("sens.sec.inputs", lang), [html.table(
        [L.page_head(cols[k], lang) for k in shown_cols], [[r[k] for k in shown_cols] for r in rows],
        formats=["text", "text", "text", "text", "number", "number", "number", "text", "text", "text", "text"])]
        + ([f"<p>{html.esc(note_text(study.data, n, lang))}</p>" for n in study.notes])))
    counts = study.status_counts()
    sections.append((label("sens.sec.samples", lang), [html.table(
        [label("col.status", lang), label("sens.col.samples", lang)],
        [[L.status(k, lang), n] for k, n in sorted(counts.items())]),
        f"<p>{html.esc(label('sens.samples_counted', lang, n=len(study.sampled), search=len(study.bisections)))}"
        "</p>"]))
    return html.page(title, subtitle, narrative(study, lang), sections,
                     narrative_heading=label("sens.heading", lang), lang=lang, notice=notice)


def titles(workbook: str, d, study: Study, gap: float, seed: int, sha: str, lang: str = EN) -> tuple[str, str]:
    s = d.settings
    return (label("sens.title", lang, workbook=workbook),
            label("sens.subtitle", lang, workbook=workbook, first=s.first_year, last=s.last_year, currency=s.currency,
                  price_year=s.price_year, n=len(study.sampled), gap=html.power_of_ten(gap), seed=seed, sha=sha[:12],
                  plans=label("sens.plans.hedged" if study.ctx.hedged else "sens.plans.least_cost", lang)))


def sensitivity_files(study: Study, run_info: list, title: str, subtitle: str, lang: str = EN) -> tuple[bytes, bytes]:
    """The bytes of the study's workbook and page."""
    return study_files(build_sensitivity_workbook(study, run_info, lang),
                       lambda notice: build_sensitivity_html(study, title, subtitle, lang, notice), run_info,
                       "samples", lang)
