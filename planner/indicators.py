"""Supply-risk indicators and partner alignment of a verified plan.

Computed from the typed dataset, the plan's tonnes and the verified
:class:`planner.verify.Evaluation`, never from the model, per mineral, year
and stage (mining: the origin country of each tonne; refining: the processing
country).  The formulas, their sources and a hand-worked example are in
``models/FORMULATION.md``, section "Supply-risk indicators and partner
alignment".  Country scores come from ``PlanningData.country_risk`` (political
risk, misalignment or both, by Settings risk_basis), the one score the risk cap
uses too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from models.dataset import MINING, REFINING, STAGES, PlanningData, Supplier
from models.plan import Plan
from planner.verify import Evaluation, MineralYear

WGI_SCALE = 10.0  # the EU method scales governance scores to 0-10 (10 = worst); risk scores are 0-1
BINDING_USD_PER_POINT = 1.0  # a shadow price below this is solver round-off, not a binding limit
PURCHASE_MIN_T = 1e-6  # tonnes bought below this are solver round-off (1e-15 t), not a purchase or a partner


def stage_country(s: Supplier, stage: str) -> str:
    """The country of an option at a stage: where it is mined, or where it is refined."""
    return s.origin_country if stage == MINING else s.processing_country


def hhi(tonnes_by_country: dict[str, float]) -> float | None:
    """Herfindahl-Hirschman index of shares (0-1): sum of squared shares; None with no tonnes."""
    total = sum(tonnes_by_country.values())
    if total <= 0:
        return None
    return sum((t / total) ** 2 for t in tonnes_by_country.values())


def hhi_weighted(shares_or_tonnes: dict[str, float], risk: dict[str, float], *, normalise: bool = True
                 ) -> float | None:
    """Risk-weighted HHI on the EU's 0-10 scale: sum of share^2 x 10 x risk score.  ``normalise``
    turns tonnes into shares; world shares are used as given (the unlisted rest counts as many
    small producers, adding nothing)."""
    total = sum(shares_or_tonnes.values()) if normalise else 1.0
    if total <= 0 or not shares_or_tonnes:
        return None
    return sum((x / total) ** 2 * WGI_SCALE * risk[c] for c, x in shares_or_tonnes.items())


def supply_risk(world_hhi_wgi: float, sourcing_hhi_wgi: float, import_reliance: float, eol_rir: float,
                substitution_index: float) -> float:
    """The EU criticality methodology's supply risk (European Commission 2017, doi:10.2760/73303):

    SR = [HHI_WGI,world x IR/2 + HHI_WGI,sourcing x (1 - IR/2)] x (1 - EoL_RIR) x SI_SR
    """
    return ((world_hhi_wgi * import_reliance / 2 + sourcing_hhi_wgi * (1 - import_reliance / 2))
            * (1 - eol_rir) * substitution_index)


@dataclass(frozen=True)
class StageRisk:
    """The indicators of one mineral, year and stage."""

    purchases_t: float  # tonnes bought (primary supply), all countries
    imported_t: float  # of which from a foreign country at this stage
    recycled_t: float
    hhi: float | None  # of purchases by country, 0-1
    hhi_wgi: float | None  # risk-weighted, 0-10
    import_reliance: float | None  # imported / purchases
    eol_rir: float | None  # recycled / (purchases + recycled)
    world_hhi: float | None  # of world output, 0-1 (None: no WorldSupply rows)
    world_hhi_wgi: float | None
    sr: float | None  # the EU supply risk for Korea's sourcing
    geopolrisk: float | None  # world HHI x import-weighted risk, 0-1


# Name, unit, definition and source of each indicator, for the reports (in this order).
DEFINITIONS = [
    ("hhi", "0-1", "Herfindahl-Hirschman index of Korea's purchases by country at the stage: sum over countries "
                   "of (tonnes from c / all tonnes bought)^2. 1 = one country; 0.25 = four equal countries.",
     "US DoJ/FTC concentration index; EU CRM methodology 2017"),
    ("hhi_wgi", "0-10", "The same, each country's squared share weighted by 10 x its risk score (Settings "
                        "risk_basis: political = 1 - WGI political-stability percentile): the EU's HHI_WGI for "
                        "Korea's own sourcing.", "EU CRM methodology 2017 (doi:10.2760/73303)"),
    ("import_reliance", "share", "Tonnes bought whose country at the stage is not Korea / all tonnes bought "
                                 "(no exports are modelled, so net = gross imports).",
     "EU CRM methodology 2017 (IR); USGS net import reliance"),
    ("eol_rir", "share", "End-of-life recycling input rate: tonnes recycled in Korea / (tonnes bought + recycled).",
     "EU CRM methodology 2017 (EoL-RIR)"),
    ("world_hhi_wgi", "0-10", "HHI_WGI of world output at the stage (WorldSupply sheet shares; unlisted countries "
                              "count as many small producers).", "EU CRM methodology 2017 (global supply term)"),
    ("sr", "score", "EU supply risk for Korea: [world HHI_WGI x IR/2 + Korea's HHI_WGI x (1 - IR/2)] x "
                    "(1 - EoL-RIR) x SI(SR) (Minerals substitution_index); the EU flags SR >= 1. The mineral's SR "
                    "is the higher of its two stages, as in the EU method.",
     "European Commission (2017), Methodology for establishing the EU list of critical raw materials"),
    ("geopolrisk", "0-1", "GeoPolRisk-style import risk: HHI of world output x sum over foreign countries of "
                          "(risk score x tonnes bought from c) / (tonnes bought + recycled).",
     "Gemechu et al. (2016); geopolrisk-py documentation"),
]


def stage_risk(d: PlanningData, plan: Plan, ev: Evaluation) -> dict[tuple[str, int, str], StageRisk]:
    """Every indicator per (mineral, year, stage), from the plan's purchases and the verified
    recycling tonnes."""
    bought: dict[tuple[str, int, str], dict[str, float]] = {}
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        if t > 0:
            for stage in STAGES:
                by_country = bought.setdefault((s.mineral_id, y, stage), {})
                c = stage_country(s, stage)
                by_country[c] = by_country.get(c, 0.0) + t
    risk = {c: d.country_risk(c) for c in d.countries}
    home = d.settings.home_country
    out = {}
    for (m, y), mi in ev.indicators.items():
        for stage in STAGES:
            q = bought.get((m, y, stage), {})
            purchases = sum(q.values())
            imported = purchases - q.get(home, 0.0)
            world = {c: share for (mm, g, c), share in d.world_share.items() if mm == m and g == stage}
            world_hhi = sum(x * x for x in world.values()) if world else None
            world_wgi = hhi_weighted(world, risk, normalise=False) if world else None
            supply = purchases + mi.recycled_t
            ir = imported / purchases if purchases > 0 else None
            eol = mi.recycled_t / supply if supply > 0 else None
            hw = hhi_weighted(q, risk)
            sr = (supply_risk(world_wgi, hw, ir, eol, d.minerals[m].substitution_index)
                  if None not in (world_wgi, hw, ir, eol) else None)
            weighted = sum(risk[c] * t for c, t in q.items() if c != home)
            gpr = world_hhi * weighted / supply if world_hhi is not None and supply > 0 else None
            out[m, y, stage] = StageRisk(purchases, imported, mi.recycled_t, hhi(q), hw, ir, eol, world_hhi,
                                         world_wgi, sr, gpr)
    return out


def mineral_sr(risks: dict[tuple[str, int, str], StageRisk], m: str, y: int) -> float | None:
    """A mineral's supply risk in a year: the higher of its stages (the EU method's rule)."""
    values = [risks[m, y, g].sr for g in STAGES if risks[m, y, g].sr is not None]
    return max(values) if values else None


def partner_tonnes(d: PlanningData, plan: Plan) -> dict[tuple[str, str, int], tuple[float, float]]:
    """(mineral, country, year) -> (tonnes mined there, tonnes refined there) that Korea bought."""
    out: dict[tuple[str, str, int], tuple[float, float]] = {}
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        if t < PURCHASE_MIN_T:
            continue
        for c, mined, refined in ((s.origin_country, t, 0.0), (s.processing_country, 0.0, t)):
            a, b = out.get((s.mineral_id, c, y), (0.0, 0.0))
            out[s.mineral_id, c, y] = (a + mined, b + refined)
    return out


def exposure_tonnes(d: PlanningData, plan: Plan) -> dict[tuple[str, str, int], float]:
    """(mineral, country, year) -> tonnes bought that were mined or refined there, each tonne counted once
    per country (a tonne mined and refined in one country counts once for it)."""
    out: dict[tuple[str, str, int], float] = {}
    for (s_id, y), t in plan.buy_t.items():
        s = d.suppliers[s_id]
        if t >= PURCHASE_MIN_T:
            for c in s.countries:
                out[s.mineral_id, c, y] = out.get((s.mineral_id, c, y), 0.0) + t
    return out


def binding_years(plan: Plan) -> dict[tuple[str, str], list[int]]:
    """(policy family, mineral) -> the years its limit binds (a shadow price of at least 1 USD per point)."""
    out: dict[tuple[str, str], list[int]] = {}
    for (family, m, y), usd in sorted(plan.shadow_usd_per_point.items()):
        if usd >= BINDING_USD_PER_POINT:
            out.setdefault((family, m), []).append(y)
    return out


# Totals over minerals: each mineral's MineralYear measure weighted by the tonnes it is a share of (on
# Settings reliance_basis), or for stock cover by the demand it counts days of, so that a total is the
# share of all those tonnes: "tonne-weighted over minerals".  name -> (the measure, its weight).
TOTALS: dict[str, tuple[Callable[[MineralYear], float | None], Callable[[MineralYear], float]]] = {
    "china_share": (lambda mi: mi.china_share, lambda mi: mi.china_base_t),
    "china_share_mining": (lambda mi: mi.china_share_mining, lambda mi: mi.base_t),
    "china_share_refining": (lambda mi: mi.china_share_refining, lambda mi: mi.base_t),
    "top_country_share": (lambda mi: mi.top_country[1], lambda mi: mi.base_t),
    "recycling_share": (lambda mi: mi.recycling_share, lambda mi: mi.demand_t),
    "stockpile_days": (lambda mi: mi.stockpile_days, lambda mi: mi.demand_t),
}


def over_minerals(ev: Evaluation, minerals, year: int, measure: str) -> float | None:
    """A TOTALS measure over ``minerals`` in ``year``, tonne-weighted; None with no tonnes."""
    value, weight = TOTALS[measure]
    pairs = [(value(ev.indicators[m, year]), weight(ev.indicators[m, year])) for m in minerals]
    pairs = [(v, w) for v, w in pairs if v is not None and w > 0]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


def limit_over_minerals(d: PlanningData, ev: Evaluation, minerals, year: int, measure: str,
                        column: str) -> float | None:
    """The Policy limit ``column`` over ``minerals`` in ``year``, each mineral's weighted as ``measure`` is in
    TOTALS (``over_minerals``): the bound the minerals' own limits put on the total, to draw beside it.  A
    mineral without a cap may take everything (1), one without a minimum needs nothing (0)."""
    _, weight = TOTALS[measure]
    cap = column.endswith("_cap_share")
    pairs = [(d.limit(column, m, year), weight(ev.indicators[m, year])) for m in minerals]
    total = sum(w for _, w in pairs if w > 0)
    if not total or all(v is None for v, _ in pairs):
        return None
    return sum((1.0 if cap else 0.0) * w if v is None else v * w for v, w in pairs if w > 0) / total


# What each Policy column limits, from MineralYear, and how near the limit counts as at it.
LIMITED: dict[str, tuple[Callable[[MineralYear], float | None], float]] = {
    "china_cap_share": (lambda mi: mi.china_share, 1e-4),
    "single_country_cap_share": (lambda mi: mi.top_country[1], 1e-4),
    "mining_country_cap_share": (lambda mi: mi.top(MINING)[1], 1e-4),
    "refining_country_cap_share": (lambda mi: mi.top(REFINING)[1], 1e-4),
    "risk_cap": (lambda mi: mi.avg_risk, 1e-4),
    "recycling_min_share": (lambda mi: mi.recycling_share, 1e-4),
    "stockpile_min_days": (lambda mi: mi.stockpile_days, 1e-2),
    "ira_min_share": (lambda mi: mi.ira_share, 1e-4),
}


def at_limit(d: PlanningData, ev: Evaluation, column: str, mineral: str, year: int) -> bool:
    """Whether the plan sits at the Policy limit ``column`` of ``mineral`` in ``year`` (a limit in force)."""
    limit = d.limit(column, mineral, year)
    measure, tol = LIMITED[column]
    value = measure(ev.indicators[mineral, year])
    return limit is not None and value is not None and abs(value - limit) <= tol

