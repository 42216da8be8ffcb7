"""The typed planning dataset: the one object the model, the verifier and the
reports consume.  Pure data, no Excel and no Pyomo.

Field names repeat the workbook's column names (see ``planner.workbook.schema``), so a
figure means the same thing in the workbook, the code and the reports.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from functools import cached_property

CHINA = "CHN"
# Stock is held in two pools by exposure, so a tonne bought from a China-linked option
# counts as Chinese when it is consumed, whenever that is (see add_stockpile).
CHINA_POOL, OTHER_POOL = "china", "other"
POOLS = (CHINA_POOL, OTHER_POOL)
# Policy limits that bind only some minerals, and which (``PlanningData.limit_applies``).
LIMIT_APPLIES_ONLY_TO = {"recycling_min_share": "minerals with a recycling option",
                         "ira_min_share": "battery minerals"}
# How an option's political risk combines its mining and refining countries' scores.
RISK_WEIGHTED, RISK_WORST = "weighted", "worst"
# What a country's risk score measures (Settings risk_basis): political instability (1 - WGI percentile),
# lack of alignment with Korea (1 - the alignment score), or the mean of the two.
RISK_POLITICAL, RISK_ALIGNMENT, RISK_BOTH = "political", "alignment", "both"
# What every exposure share is a share of (Settings reliance_basis): purchases from abroad over imports,
# as Korea's target is written (recycling and the stock's own releases outside it), or consumption
# (imports and domestic recycling, China counted as consumed: the measure of earlier versions).
BASIS_IMPORTS, BASIS_CONSUMPTION = "imports", "consumption"
# The alignment inputs of a country and the Settings weight of each (see PlanningData.alignment).
ALIGNMENT_WEIGHTS = {"msp_member": "alignment_weight_msp", "fta_with_korea": "alignment_weight_fta",
                     "security_treaty": "alignment_weight_security",
                     "unga_agreement_share": "alignment_weight_unga",
                     "export_restrictions": "alignment_weight_no_export_restrictions"}
# Stages of a supply route: where the ore is mined (origin) and where it is refined (processing).
MINING, REFINING = "mining", "refining"
STAGES = (MINING, REFINING)
# How a coalition's members share its joint stock in a crisis (Settings coalition_sharing_rule):
# in proportion to the demand of the members hit, or first where a tonne is needed most.
PRO_RATA, NEED_FIRST = "pro_rata", "need_first"
# Kinds of agreement: the workbook's two, and a coalition member's reserve of its own (``models.coalition``).
SWAP, JOINT_STOCKPILE, RESERVE = "swap", "joint_stockpile", "reserve"

DAYS_PER_YEAR = 365.0
Mineral_ = str  # a mineral_id
Year = int
MY = tuple[str, int]  # (mineral_id, year)


@dataclass(frozen=True)
class Settings:
    first_year: int = 2026  # the first decision year; the workbook holds the state at its start
    last_year: int = 2035
    price_year: int = 2024  # the year the workbook's prices are quoted in; escalation counts from it
    discount_rate: float = 0.045
    currency: str = "USD"
    home_country: str = "KOR"
    min_contract_years: int = 3
    allow_unmet_demand: bool = False
    time_limit_s: float = 60.0
    mip_gap: float = 1e-5
    threads: int = 2
    risk_stage_combination: str = RISK_WEIGHTED
    risk_weight_mining: float = 0.5
    price_basis: str = ""
    risk_basis: str = RISK_POLITICAL
    alignment_weight_msp: float = 0.25
    alignment_weight_fta: float = 0.15
    alignment_weight_security: float = 0.25
    alignment_weight_unga: float = 0.2
    alignment_weight_no_export_restrictions: float = 0.15
    # The hedged plan's risk aversion: weight λ of CVaR against the expected recourse cost, and its level α.
    cvar_weight: float = 0.0
    cvar_level: float = 0.9
    # After a disruption ends, the years within which the cover floor holds again and calls are given back.
    rebuild_years: int = 1
    reliance_basis: str = BASIS_IMPORTS
    # The highest crisis spot multiplier derived from a shock and an elasticity (``crisis_multiplier``).
    spot_multiplier_max: float = 5.0
    # The stock handed on after the last year is credited at that year's lowest price (add_cost_objective).
    terminal_stock_credit: bool = True
    # How a coalition's members share its joint stock in a crisis (``models.coalition``).
    coalition_sharing_rule: str = PRO_RATA

    @property
    def years(self) -> range:
        """The decision years, first_year..last_year."""
        return range(self.first_year, self.last_year + 1)

    def discount_factor(self, year: int) -> float:
        """Present-value factor of a cost paid in ``year``: 1 / (1 + r)^(year - first_year)."""
        return (1.0 + self.discount_rate) ** -(year - self.first_year)

    def annuity_factor(self, life_yr: int) -> float:
        """Yearly payment that repays 1 USD of capital over ``life_yr`` years at the discount rate:
        r / (1 - (1 + r)^-life), or 1 / life at r = 0."""
        r = self.discount_rate
        return 1.0 / life_yr if r == 0 else r / (1.0 - (1.0 + r) ** -life_yr)


@dataclass(frozen=True)
class Mineral:
    mineral_id: str
    name: str
    traded_form: str
    strategic: bool
    battery_mineral: bool
    shortage_penalty_usd_per_t: float
    substitution_index: float = 1.0  # the EU's SI(SR): 1 = no substitute credited
    # Short-run price elasticity of the world market (demand and other suppliers' response together,
    # as a positive number); None: a disruption's spot price is not derived, only typed.
    price_elasticity: float | None = None


@dataclass(frozen=True)
class Country:
    country_code: str
    name: str
    political_risk: float
    sanctioned: bool
    foreign_entity_of_concern: bool
    us_fta_or_cma: bool
    # Alignment with Korea (PlanningData.alignment).
    msp_member: bool = False  # Minerals Security Partnership, now FORGE
    fta_with_korea: bool = False
    security_treaty: bool = False  # a mutual defence treaty with Korea or the US
    unga_agreement_share: float = 0.0  # UN General Assembly votes agreeing with Korea's
    export_restrictions: bool = False  # bans, quotas or licences on critical-mineral exports


@dataclass(frozen=True)
class Supplier:
    supplier_id: str
    mineral_id: str
    name: str
    origin_country: str
    processing_country: str
    capacity_t_per_yr: float
    price_usd_per_t: float
    price_escalation_per_yr: float
    fixed_cost_usd_per_yr: float
    min_volume_t_per_yr: float
    first_year: int
    last_year: int
    contract: str | None = None  # None: model chooses; "on": forced; "off": excluded
    # Years a contract already in force at the start of the first decision year still runs
    # (that year included); 0: no contract in force.
    contract_years_left: int = 0
    ramp_up: tuple[float, ...] = ()  # share of capacity in the project's first years, from first_year
    delivery_probability: float = 1.0  # the plan counts on this share of capacity (a project not yet built)
    accessible_share: float = 1.0  # share of the capacity Korea can take (offtake; partners' contracts)
    refinery_id: str | None = None  # a Korean refinery whose capacity this feed route fills (Refining sheet)
    source_id: str | None = None  # the Sources row its figures cite (reports show it beside its price)

    def ramp(self, year: int) -> float:
        """Share of capacity delivered in ``year``: the ramp-up's share in the project's first years, then 1."""
        k = year - self.first_year
        return self.ramp_up[k] if 0 <= k < len(self.ramp_up) else 1.0

    @property
    def countries(self) -> frozenset[str]:
        """Countries this option exposes Korea to: where it is mined and where it is refined."""
        return frozenset((self.origin_country, self.processing_country))

    @property
    def pool(self) -> str:
        """The stock pool its tonnes join: China-linked if mined or refined in China."""
        return CHINA_POOL if CHINA in self.countries else OTHER_POOL

    def price_in(self, year: int, price_year: int) -> float:
        """Price in USD/t in ``year``: price_usd_per_t * (1 + price_escalation_per_yr)^(year - price_year)."""
        return self.price_usd_per_t * (1.0 + self.price_escalation_per_yr) ** (year - price_year)

    def available(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def contract_held(self, year: int, first_year: int) -> bool:
        """Its contract must run in ``year``: forced on, or still in force from before ``first_year``."""
        return self.contract == "on" or year < first_year + self.contract_years_left


@dataclass(frozen=True)
class RecyclingOption:
    """One recycled output: a Recycling row recovering one mineral from the Feedstock sheet (its own
    modules; capacity in t recovered), or one mineral of a stream plant (``plant_id``: the plant's
    modules and capacity are shared by all its outputs, ``RecyclingPlant``)."""

    option_id: str
    mineral_id: str
    module_capacity_t_per_yr: float
    capital_cost_usd_per_module: float
    operating_cost_usd_per_t: float
    existing_modules: int
    max_modules: int
    lead_time_yr: int
    recovery_yield: float
    life_yr: int = 20
    plant_id: str | None = None  # the stream plant producing this output (None: its own modules)


@dataclass(frozen=True)
class Stream:
    """End-of-life material that several minerals can be recovered from (spent batteries, magnets,
    manufacturing scrap), as a stock-flow: units put on the market each year retire by age
    (``lifetime``: age in years -> share retiring, summing to 1) and ``collection_rate`` of them
    reach Korea's recyclers.  Each unit contains ``content_t_per_unit`` of each mineral, of which a
    plant recovers ``recovery_yield``."""

    stream_id: str
    name: str
    unit: str
    collection_rate: float
    content_t_per_unit: dict[str, float]
    recovery_yield: dict[str, float]
    put_on_market: dict[int, float] = field(default_factory=dict)  # year -> units
    lifetime: dict[int, float] = field(default_factory=dict)  # age (years) -> share retiring then

    def available_units(self, year: int) -> float:
        """Units reaching Korea's recyclers in ``year``: collection x Σ_a put_on_market[year - a] x lifetime[a]."""
        return self.collection_rate * sum(self.put_on_market.get(year - a, 0.0) * share
                                          for a, share in self.lifetime.items())


@dataclass(frozen=True)
class RecyclingPlant:
    """A recycling option that processes a stream (a Recycling row with a stream_id): modules of
    ``module_capacity_t_per_yr`` units of the stream a year; every mineral of the stream is recovered
    from what it processes (its outputs, ``RecyclingOption`` with this ``plant_id``)."""

    plant_id: str
    stream_id: str
    module_capacity_t_per_yr: float  # units of the stream processed per module and year
    capital_cost_usd_per_module: float
    operating_cost_usd_per_t: float  # per unit processed
    existing_modules: int
    max_modules: int
    lead_time_yr: int
    life_yr: int = 20


@dataclass(frozen=True)
class Refinery:
    """Refining capacity Korea can build at home (the Refining sheet): modules of refined output a
    year, fed by the supply options that name it (imported ore or intermediates refined in Korea)."""

    refinery_id: str
    mineral_id: str
    module_capacity_t_per_yr: float
    capital_cost_usd_per_module: float
    operating_cost_usd_per_t: float  # conversion cost per t refined, on top of the feed's price
    existing_modules: int
    max_modules: int
    lead_time_yr: int
    life_yr: int = 20
    name: str = ""


@dataclass(frozen=True)
class StockpileRule:
    mineral_id: str
    initial_stock_t: float
    holding_cost_usd_per_t_yr: float
    purchase_premium_usd_per_t: float
    max_stock_t: float
    initial_china_share: float = 1.0  # of initial_stock_t, China-linked (blank in the workbook: all of it)
    release_lead_days: float = 0.0  # days from a release decision until the stock reaches users
    max_release_t_per_month: float | None = None  # most that can be released in a month; None: no limit

    def initial_t(self, pool: str) -> float:
        """Stock of ``pool`` at the start of the first decision year."""
        china = self.initial_stock_t * self.initial_china_share
        return china if pool == CHINA_POOL else self.initial_stock_t - china


@dataclass(frozen=True)
class Agreement:
    agreement_id: str
    kind: str
    partner_countries: tuple[str, ...]
    mineral_id: str
    fee_usd_per_yr: float
    emergency_volume_t: float  # the largest line (swap) or share (joint stockpile) Korea may hold, t
    first_year: int
    member_at_start: bool = False  # joined before the first decision year (membership is kept)
    fee_usd_per_t_yr: float = 0.0  # fee per tonne of line held, per year
    delivery_days: float = 0.0  # days from a call until the partners' tonnes reach Korea
    signed: bool = False  # signed and in force; False: a hypothetical arrangement
    # A coalition's joint stock or a fellow member's stock (``models.coalition``): what may be owed on
    # it is limited by the coalition's rows, not by a line Korea holds (its line is 0 and not cover).
    pooled: bool = False


@dataclass(frozen=True)
class PolicyLimits:
    """The limits in force for one mineral-year; None means not applied."""

    china_cap_share: float | None = None
    single_country_cap_share: float | None = None
    risk_cap: float | None = None
    recycling_min_share: float | None = None
    stockpile_min_days: float | None = None
    ira_min_share: float | None = None
    mining_country_cap_share: float | None = None
    refining_country_cap_share: float | None = None


@dataclass(frozen=True)
class ShortageSegment:
    """One step of a mineral's shortage cost curve: tonnes unmet up to ``end_share`` of the year's
    demand (from the previous step's end) cost ``cost_usd_per_t`` each."""

    end_share: float
    cost_usd_per_t: float
    what: str = ""  # what the step stands for: thrifting, substitution, lines stopping ...


@dataclass(frozen=True)
class SpotStep:
    """One step of the spot supply curve Korea meets in a crisis: ``share_of_spare`` of the spare
    capacity of the options still delivering, at ``price_factor`` times the crisis spot price."""

    share_of_spare: float
    price_factor: float


def crisis_multiplier(world_lost: float, elasticity: float, cap: float) -> float:
    """Spot price over its normal level when a stop removes ``world_lost`` of world supply, for a
    market whose short-run price elasticity (demand and other suppliers together) is ``elasticity``:

        μ = (1 − R)^(−1/ε), at most ``cap``

    (constant-elasticity clearing: the remaining supply 1 − R meets demand at price μ when
    μ^(−ε) = 1 − R).  R = 0 gives 1; R = 1 gives the cap."""
    if world_lost <= 0:
        return 1.0
    if world_lost >= 1:
        return cap
    # Compared in logarithms: a small elasticity (0.002 with R = 0.78) overflows the power before the cap.
    log_mu = -math.log1p(-world_lost) / elasticity
    return cap if log_mu >= math.log(cap) else math.exp(log_mu)


@dataclass(frozen=True)
class CountryStop:
    """What one row of a disruption takes in one year from the supply of an importer other than Korea
    (a member of a coalition, ``models.coalition``), whose supply is known by country, not by option:
    ``share_lost`` of its tonnes of ``mineral_id`` mined or refined in ``country``.  Korea's own options
    are hit through ``DisruptionScenario.loss``; this is the same row, by country."""

    mineral_id: str | None  # None: every mineral
    country: str | None  # None: all of the importer's supply of the mineral
    year: int
    share_lost: float  # of the year's tonnes (a part year loses that part)
    days: float = DAYS_PER_YEAR  # days of the year the stop runs, from the start of the year
    onset: float = 0.0  # days it had run at the start of the year
    importers: frozenset[str] = frozenset()  # the importers it reaches; empty: every one


@dataclass(frozen=True)
class Partner:
    """A partner country's figures for one mineral (the Partners sheet): what a coalition with it needs
    to know of its demand, its stock and how its supply is exposed."""

    country: str
    mineral_id: str
    demand_t_per_yr: float  # held flat over the horizon
    stock_t: float  # held for emergencies (the workbook's, or its mandate's days of demand)
    mandate_days: float  # kept in stock whatever a fellow member needs
    china_share: float  # of its supply mined or refined in China
    suppliers: tuple[tuple[str, float], ...] = ()  # its other supplier countries and their shares
    shortage_cost_usd_per_t: float | None = None  # flat; None: shortage_cost_factor x Korea's curve
    shortage_cost_factor: float | None = None  # None (and no flat cost): 1
    stock_from_mandate: bool = False  # stock_t was blank: the mandate's days of demand, an estimate
    # The Sources rows its figures cite: demand and exposure; stock and mandate; shortage cost.
    sources: tuple[str | None, str | None, str | None] = (None, None, None)

    @property
    def exposure(self) -> dict[str, float]:
        """Share of its supply from each country (China: mined or refined there)."""
        return {CHINA: self.china_share, **dict(self.suppliers)}

    @property
    def lendable_t(self) -> float:
        """What it may lend a fellow member not hit when it is not: its stock above its mandate."""
        return max(0.0, self.stock_t - self.mandate_days * self.demand_t_per_yr / DAYS_PER_YEAR)


# A sampled scenario's name is this and its draw's number (sample0042): no Disruptions row may take one.
SAMPLED = "sample"


@dataclass(frozen=True)
class DisruptionScenario:
    """One disruption as the plan must meet it: an event of the Disruptions sheet starting in a
    given year.  Scenarios are taken as mutually exclusive; with probability 1 - Σ p none happens."""

    name: str  # e.g. "graphite_stop@2027"
    event: str  # the Disruptions sheet's name for it
    probability: float  # over the horizon
    loss: dict[tuple[str, int], float]  # (supplier_id, year) -> share of the planned tonnes lost
    spot_multiplier: dict[tuple[str, int], float]  # (mineral_id, year) -> spot price / normal price
    partners_hit: frozenset[str] = frozenset()  # agreements with these partners cannot deliver
    cell: str = ""  # the Disruptions cell of its probability, for messages
    # When the stop runs, for release lead times: (supplier_id, year) -> days of that year the option
    # is stopped (from the start of the year), and days since its stop began at the start of the year
    # (0 in the year it starts).  Absent: the whole year, from its start.
    stop_days: dict[tuple[str, int], float] = field(default_factory=dict)
    onset_days: dict[tuple[str, int], float] = field(default_factory=dict)
    # The same rows by country, for importers other than Korea (``PlanningData.partner_loss``).
    stops: tuple[CountryStop, ...] = ()
    # (mineral_id, year) -> Korea's share of the spare capacity sold spot, when other importers hit at
    # the same time bid for it too (``models.coalition``); absent: all of it.
    spot_share: dict[tuple[str, int], float] = field(default_factory=dict)
    description: str = ""  # the Disruptions sheet's description of the event, for reports' names
    # A sampled scenario's draws (``models.sampling``): (risk name, start year, days) of each stop.
    draws: tuple[tuple[str, int, float], ...] = ()

    def stopped(self, supplier_id: str, year: int) -> tuple[float, float]:
        """(days of ``year`` the option is stopped, days its stop had run at the start of ``year``)."""
        return (self.stop_days.get((supplier_id, year), DAYS_PER_YEAR),
                self.onset_days.get((supplier_id, year), 0.0))


@dataclass(frozen=True)
class DisruptionRisk:
    """One risk of the Disruption risks sheet: in any year from ``first_year`` a stop starts with
    ``annual_probability``, lasts a number of days drawn uniformly from [``duration_min_days``,
    ``duration_max_days``] from the start of that year, and takes ``share_lost`` of each matched
    option's planned tonnes (rows of one risk stop together).  Risks are independent of each
    other; ``planner ... --sample N`` draws joint scenarios from them (``models.sampling``)."""

    name: str
    annual_probability: float
    first_year: int
    duration_min_days: float
    duration_max_days: float
    share_lost: dict[str, float]  # supplier_id -> share of its planned tonnes lost while stopped
    spot_multiplier: dict[str, float]  # mineral_id -> spot price / normal price while stopped, as typed
    partners_hit: frozenset[str] = frozenset()
    cell: str = ""  # the Disruption risks cell of its probability, for messages
    # mineral_id -> share of world supply the stop removes (``world_supply_lost``), for the minerals
    # without a typed multiplier: their crisis price follows from it (``crisis_multiplier``).
    world_lost: dict[str, float] = field(default_factory=dict)
    # Its rows by country, for other importers (year, days and onset are set when a stop is drawn).
    stops: tuple[CountryStop, ...] = ()
    description: str = ""  # the Disruption risks sheet's description, for reports' names


@dataclass
class PlanningData:
    """A whole planning case, as read from one workbook."""

    settings: Settings
    minerals: dict[str, Mineral]
    countries: dict[str, Country]
    suppliers: dict[str, Supplier]
    demand_t: dict[MY, float]
    recycling: dict[str, RecyclingOption]
    feedstock_t: dict[MY, float]
    stockpile: dict[str, StockpileRule]
    agreements: dict[str, Agreement]
    policy: dict[MY, PolicyLimits]
    # Where each figure came from, for messages: (sheet, key, column) -> "'Policy'!C5".
    cells: dict[tuple, str] = field(default_factory=dict)
    # Year-specific multipliers on a supply option, from scenarios (an export control
    # delivers a fraction of capacity; a price shock): (supplier_id, year) -> factor.
    capacity_factor: dict[tuple[str, int], float] = field(default_factory=dict)
    price_factor: dict[tuple[str, int], float] = field(default_factory=dict)
    # World output shares by stage, for the supply-risk indicators: (mineral_id, stage, country) -> share.
    world_share: dict[tuple[str, str, str], float] = field(default_factory=dict)
    # The disruptions a hedged plan is decided against (planner solve --hedged, planner stress).
    disruptions: tuple[DisruptionScenario, ...] = ()
    # What scenarios are sampled from (``models.sampling``): the Disruption risks sheet.
    disruption_risks: tuple[DisruptionRisk, ...] = ()
    # Recycling streams as stock-flows, the plants that process them, and refineries Korea may build.
    streams: dict[str, Stream] = field(default_factory=dict)
    recycling_plants: dict[str, RecyclingPlant] = field(default_factory=dict)
    refineries: dict[str, Refinery] = field(default_factory=dict)
    # Per mineral, the cost of leaving demand unmet, by depth (the Shortage costs sheet); a mineral
    # without rows has one flat step at its shortage_penalty_usd_per_t (``shortage_steps``).
    shortage_curve: dict[str, tuple[ShortageSegment, ...]] = field(default_factory=dict)
    # Per mineral, the spot supply curve of a crisis (the Spot supply sheet; ``spot_steps``).
    spot_curve: dict[str, tuple[SpotStep, ...]] = field(default_factory=dict)
    # Partner countries' figures, for coalitions (the Partners sheet): (country, mineral_id) -> Partner.
    partners: dict[tuple[str, str], Partner] = field(default_factory=dict)
    # The Sources rows marked estimate, for reports that label the figures citing them.
    estimated_sources: frozenset[str] = frozenset()

    @property
    def years(self) -> range:
        return self.settings.years

    def limits(self, mineral_id: str, year: int) -> PolicyLimits:
        return self.policy.get((mineral_id, year), PolicyLimits())

    def with_limit(self, column: str, value: float, keys) -> PlanningData:
        """A copy with the Policy ``column`` set to ``value`` in the given (mineral, year) keys."""
        policy = dict(self.policy)
        for k in keys:
            policy[k] = dataclasses.replace(policy.get(k, PolicyLimits()), **{column: value})
        return dataclasses.replace(self, policy=policy)

    def restricted_to(self, minerals) -> PlanningData:
        """The case cut down to ``minerals``, with every row of the others left out.  Only a stream
        plant's shared capacity (and a CVaR term) links minerals, so the risk-neutral model of the whole
        case is the sum of its mineral groups' models (``mineral_groups``): cut it down by whole groups."""
        keep = set(minerals)
        suppliers = {k: s for k, s in self.suppliers.items() if s.mineral_id in keep}

        def mine(table: dict) -> dict:  # rows keyed by (mineral, ...)
            return {k: v for k, v in table.items() if k[0] in keep}

        def theirs(table: dict) -> dict:  # rows keyed by (supplier, year)
            return {k: v for k, v in table.items() if k[0] in suppliers}

        def stops(rows: tuple[CountryStop, ...]) -> tuple[CountryStop, ...]:  # a blank mineral hits every one
            return tuple(r for r in rows if r.mineral_id is None or r.mineral_id in keep)

        return dataclasses.replace(
            self, minerals={m: v for m, v in self.minerals.items() if m in keep}, suppliers=suppliers,
            demand_t=mine(self.demand_t), feedstock_t=mine(self.feedstock_t), policy=mine(self.policy),
            world_share=mine(self.world_share),
            shortage_curve={m: c for m, c in self.shortage_curve.items() if m in keep},
            spot_curve={m: c for m, c in self.spot_curve.items() if m in keep or m == ""},
            recycling={k: r for k, r in self.recycling.items() if r.mineral_id in keep},
            recycling_plants={k: p for k, p in self.recycling_plants.items()
                              if any(r.plant_id == k and r.mineral_id in keep for r in self.recycling.values())},
            refineries={k: r for k, r in self.refineries.items() if r.mineral_id in keep},
            stockpile={m: r for m, r in self.stockpile.items() if m in keep},
            agreements={k: a for k, a in self.agreements.items() if a.mineral_id in keep},
            capacity_factor=theirs(self.capacity_factor), price_factor=theirs(self.price_factor),
            disruptions=tuple(dataclasses.replace(sc, loss=theirs(sc.loss), spot_multiplier=mine(sc.spot_multiplier),
                                                  stop_days=theirs(sc.stop_days), onset_days=theirs(sc.onset_days),
                                                  stops=stops(sc.stops), spot_share=mine(sc.spot_share))
                              for sc in self.disruptions),
            disruption_risks=tuple(dataclasses.replace(
                r, share_lost={s: x for s, x in r.share_lost.items() if s in suppliers},
                spot_multiplier={m: x for m, x in r.spot_multiplier.items() if m in keep},
                world_lost={m: x for m, x in r.world_lost.items() if m in keep}, stops=stops(r.stops))
                for r in self.disruption_risks),
            partners={k: p for k, p in self.partners.items() if k[1] in keep})

    def capacity_t(self, s: Supplier, year: int) -> float:
        """Most that can be bought from ``s`` in ``year``: capacity_t_per_yr x its ramp-up share that year x
        its delivery probability x the share Korea can take x the year's capacity factor (a scenario's)."""
        return (s.capacity_t_per_yr * s.ramp(year) * s.delivery_probability * s.accessible_share
                * self.capacity_factor.get((s.supplier_id, year), 1.0))

    def min_volume_t(self, s: Supplier, year: int) -> float:
        """The contract's minimum volume in ``year``; the ramp-up, the delivery probability and a capacity cut
        scale it too (a take-or-pay on what the project delivers; force majeure)."""
        return (s.min_volume_t_per_yr * s.ramp(year) * s.delivery_probability
                * self.capacity_factor.get((s.supplier_id, year), 1.0))

    def price_usd_per_t(self, s: Supplier, year: int) -> float:
        """Delivered price in ``year``: the escalated quoted price x the year's price factor."""
        return s.price_in(year, self.settings.price_year) * self.price_factor.get((s.supplier_id, year), 1.0)

    def lowest_price_usd_per_t(self, mineral_id: str, year: int) -> float:
        """The lowest price of any option of the mineral that delivers in ``year``: what a tonne
        costs to replace then (0 if nothing delivers)."""
        return min((self.price_usd_per_t(s, year) for s in self.usable_suppliers[mineral_id]
                    if s.available(year) and self.capacity_t(s, year) > 0), default=0.0)

    def stock_value_usd_per_t(self, mineral_id: str) -> float:
        """What a tonne of stock handed on after the last decision year is worth: the last year's
        lowest price.  No purchase costs less, and recycling cheaper than that runs flat out for
        consumption anyway, so no plan gains by stocking up to hand on; both pools get the one
        value, so the end is no reason to change their mix."""
        return self.lowest_price_usd_per_t(mineral_id, self.settings.last_year)

    def stock_rule(self, mineral_id: str) -> StockpileRule:
        """The mineral's Stockpile row, or a rule of no stock, no cost and no lead time if it has none."""
        return self.stockpile.get(mineral_id) or StockpileRule(mineral_id, 0.0, 0.0, 0.0, 0.0)

    def shortage_steps(self, mineral_id: str) -> list[tuple[float | None, float]]:
        """The shortage cost curve as (width, USD/t) steps, the width a share of the year's demand
        and None for the last, open step (a shortage deeper than the curve costs its last price).
        Costs never fall from one step to the next (the reader checks), so the curve is convex."""
        curve = self.shortage_curve.get(mineral_id)
        if not curve:
            return [(None, self.minerals[mineral_id].shortage_penalty_usd_per_t)]
        out, start = [], 0.0
        for k, seg in enumerate(curve):
            out.append((None if k == len(curve) - 1 else seg.end_share - start, seg.cost_usd_per_t))
            start = seg.end_share
        return out

    def spot_steps(self, mineral_id: str) -> tuple[SpotStep, ...]:
        """The crisis spot supply curve of a mineral: its own rows, else the all-minerals rows, else
        all spare capacity at the crisis price."""
        return self.spot_curve.get(mineral_id) or self.spot_curve.get("") or (SpotStep(1.0, 1.0),)

    def partner_shortage_steps(self, p: Partner) -> list[tuple[float | None, float]]:
        """A partner's shortage cost curve, as ``shortage_steps`` (widths are shares of its own demand):
        its flat cost per tonne, or Korea's curve of the mineral times its factor (1 if blank)."""
        if p.shortage_cost_usd_per_t is not None:
            return [(None, p.shortage_cost_usd_per_t)]
        factor = 1.0 if p.shortage_cost_factor is None else p.shortage_cost_factor
        return [(width, factor * cost) for width, cost in self.shortage_steps(p.mineral_id)]

    @staticmethod
    def partner_loss(p: Partner, sc: DisruptionScenario, year: int) -> tuple[float, float, float]:
        """(share of the partner's tonnes of its mineral lost in ``year``, days the stop runs then, days
        it had run at the start of the year) in scenario ``sc``.  A stop on a country takes its share
        of the partner's supply from that country (China: mined or refined there); a stop naming no
        country takes its share of all of it; stops that reach other importers only are passed by.
        Stops on one country combine as independent losses, 1 - Π(1 - l), and so do the country
        stops with the ones on all supply:

            λ = 1 - (1 - l_all) (1 - min(1, Σ_c x_c l_c))

        The stop that runs longest gives the days and onset (for release lead times); of equally long
        stops, the one that has run longest, whatever their order."""
        kept_all, kept = 1.0, {}
        days, onset = 0.0, 0.0
        for stop in sc.stops:
            if stop.year != year or stop.mineral_id not in (None, p.mineral_id) or (
                    stop.importers and p.country not in stop.importers):
                continue
            if stop.country is None:
                kept_all *= 1.0 - stop.share_lost
            elif stop.country in p.exposure:
                kept[stop.country] = kept.get(stop.country, 1.0) * (1.0 - stop.share_lost)
            else:
                continue
            if (stop.days, stop.onset) > (days, onset):  # of equally long stops, the longest-running
                days, onset = stop.days, stop.onset
        exposed = min(1.0, sum(p.exposure[c] * (1.0 - k) for c, k in kept.items()))
        share = 1.0 - kept_all * (1.0 - exposed)
        return (share, days, onset) if share > 0 else (0.0, 0.0, 0.0)

    def world_supply_lost(self, mineral_id: str, shares_lost: dict[tuple[str, str], float]) -> float:
        """Share of world supply of a mineral a stop removes: Σ_c l_c w_{m,g,c} over the countries c it
        hits, at the stage g it hits them (mining for origin, refining for processing, the stage where
        the country holds the larger world share for either).  ``shares_lost``: (country, role) -> l."""
        def share(c: str, stage: str) -> float:
            return self.world_share.get((mineral_id, stage, c), 0.0)

        lost: dict[str, float] = {}
        for (c, role), l in shares_lost.items():
            w = {"origin": share(c, MINING), "processing": share(c, REFINING)}.get(
                role, max(share(c, MINING), share(c, REFINING)))
            lost[c] = max(lost.get(c, 0.0), l * w)
        return min(1.0, sum(lost.values()))

    def derived_multiplier(self, mineral_id: str, world_lost: float) -> float:
        """The crisis spot multiplier a stop removing ``world_lost`` of world supply sets
        (``crisis_multiplier``); 1 if the mineral has no elasticity."""
        mineral = self.minerals.get(mineral_id)  # a bad Minerals row is reported; its events get no price
        elasticity = mineral.price_elasticity if mineral else None
        if not elasticity:
            return 1.0
        return crisis_multiplier(world_lost, elasticity, self.settings.spot_multiplier_max)

    @staticmethod
    def deliverable_share(lead_days: float, stop_days: float, onset_days: float) -> float:
        """Share of a stop's lost tonnes in one year that stock or a line with ``lead_days`` of
        delivery time can still replace.  The stop covers days [onset, onset + D) of its run in the
        year (D = ``stop_days``, onset = days it had run at the start of the year); what is called
        arrives from day ``lead_days`` of the run, so it meets the part of the loss after it."""
        if stop_days <= 0:
            return 1.0
        return max(0.0, min(1.0, (onset_days + stop_days - max(onset_days, lead_days)) / stop_days))

    def alignment(self, code: str) -> float:
        """Alignment of a country with Korea in [0, 1]: the weighted mean of its alignment inputs
        (MSP/FORGE member, FTA with Korea, security treaty, UNGA voting agreement, and no export
        restrictions), with the Settings weights ``ALIGNMENT_WEIGHTS`` (the reader refuses weights
        that add up to 0)."""
        c, st = self.countries[code], self.settings
        weights = {column: getattr(st, w) for column, w in ALIGNMENT_WEIGHTS.items()}
        total = sum(weights.values())
        value = {column: float(getattr(c, column)) for column in weights}
        value["export_restrictions"] = 1.0 - value["export_restrictions"]  # restrictions count against
        return sum(weights[k] * value[k] for k in weights) / total

    def country_risk(self, code: str) -> float:
        """A country's risk score in [0, 1] by Settings risk_basis: political_risk, 1 - alignment,
        or the mean of the two."""
        political = self.countries[code].political_risk
        basis = self.settings.risk_basis
        if basis == RISK_POLITICAL:
            return political
        misaligned = 1.0 - self.alignment(code)
        return misaligned if basis == RISK_ALIGNMENT else (political + misaligned) / 2

    def supplier_risk(self, s: Supplier) -> float:
        """Risk of an option from its mining and refining countries' scores (``country_risk``):
        weighted by stage, w·risk_origin + (1 − w)·risk_processing with w = risk_weight_mining, or
        the worse of the two."""
        return self._by_stage(self.country_risk(s.origin_country), self.country_risk(s.processing_country), max)

    def supplier_alignment(self, s: Supplier) -> float:
        """Alignment of an option with Korea from its mining and refining countries' scores
        (``alignment``), combined by stage as ``supplier_risk`` combines risk: weighted, or the
        less aligned of the two."""
        return self._by_stage(self.alignment(s.origin_country), self.alignment(s.processing_country), min)

    def _by_stage(self, mining: float, refining: float, worse) -> float:
        """An option's score from its countries' (Settings risk_stage_combination): weighted by stage with
        risk_weight_mining, or the ``worse`` of the two."""
        if self.settings.risk_stage_combination == RISK_WORST:
            return worse(mining, refining)
        w = self.settings.risk_weight_mining
        return w * mining + (1.0 - w) * refining

    def home_alignment(self) -> float:
        """Alignment of recycled (domestic) tonnes: the home country's score, 1 if it is not listed."""
        home = self.settings.home_country
        return self.alignment(home) if home in self.countries else 1.0

    def home_risk(self) -> float:
        return self.country_risk(self.settings.home_country) if self.settings.home_country in self.countries \
            else 0.0

    def excluded(self, s: Supplier) -> bool:
        """Options the model must not use: forced off, or touching a sanctioned country."""
        return s.contract == "off" or any(self.countries[c].sanctioned for c in s.countries)

    def ira_compliant(self, s: Supplier) -> bool:
        """Mined or refined in the US or an FTA/critical-minerals partner, and no foreign
        entity of concern at either stage (US IRA 30D rules)."""
        countries = [self.countries[c] for c in s.countries]
        return any(c.us_fta_or_cma for c in countries) and not any(c.foreign_entity_of_concern for c in countries)

    def limit_applies(self, column: str, mineral_id: str) -> bool:
        """Whether a Policy limit can bind ``mineral_id`` at all (``LIMIT_APPLIES_ONLY_TO``): the
        recycling minimum only where the mineral has a recycling option, the IRA share only for
        battery minerals.  The model, the verifier, the sweep and the reports all ask here."""
        if column == "recycling_min_share":
            return bool(self.recycling_by_mineral.get(mineral_id))
        if column == "ira_min_share":
            return self.minerals[mineral_id].battery_mineral
        return True

    def limit(self, column: str, mineral_id: str, year: int) -> float | None:
        """The Policy limit in force for a mineral-year: None when blank or not applicable."""
        if not self.limit_applies(column, mineral_id):
            return None
        return getattr(self.limits(mineral_id, year), column)

    def cell(self, sheet: str, key, column: str) -> str:
        return self.cells.get((sheet, key, column), f"'{sheet}'")

    @cached_property
    def usable_suppliers(self) -> dict[str, list[Supplier]]:
        """Per mineral, the options the model may use, in workbook order."""
        out: dict[str, list[Supplier]] = {m: [] for m in self.minerals}
        for s in self.suppliers.values():
            if not self.excluded(s):
                out[s.mineral_id].append(s)
        return out

    @cached_property
    def module_owners(self) -> dict[str, RecyclingOption | RecyclingPlant | Refinery]:
        """Everything built in modules, by id: recycling options with modules of their own, stream
        plants, refineries (their ids are unique across the three)."""
        own = {r.option_id: r for r in self.recycling.values() if r.plant_id is None}
        return {**own, **self.recycling_plants, **self.refineries}

    def owner_of(self, r: RecyclingOption) -> str:
        """The module owner whose modules a recycled output runs on."""
        return r.plant_id or r.option_id

    def output_per_unit_t(self, r: RecyclingOption) -> float:
        """Tonnes of ``r``'s mineral recovered per unit its plant processes (stream outputs only):
        content x recovery yield."""
        stream = self.streams[self.recycling_plants[r.plant_id].stream_id]
        return stream.content_t_per_unit.get(r.mineral_id, 0.0) * r.recovery_yield

    def owner_minerals(self, owner_id: str) -> list[str]:
        """The minerals an owner's modules serve (several for a stream plant)."""
        if owner_id in self.refineries:
            return [self.refineries[owner_id].mineral_id]
        return [r.mineral_id for r in self.recycling.values() if self.owner_of(r) == owner_id]

    @cached_property
    def mineral_groups(self) -> list[list[str]]:
        """The minerals no row of the model links, in groups: a stream plant's outputs share its
        capacity, so its minerals are one group; every other mineral is a group of its own."""
        parent = {m: m for m in self.minerals}

        def root(m: str) -> str:
            while parent[m] != m:
                m = parent[m]
            return m

        for p in self.recycling_plants:
            ms = [m for m in self.owner_minerals(p) if m in parent]
            for m in ms[1:]:
                parent[root(m)] = root(ms[0])
        groups: dict[str, list[str]] = {}
        for m in self.minerals:
            groups.setdefault(root(m), []).append(m)
        return list(groups.values())

    def group_of(self, mineral_id: str) -> list[str]:
        return next(g for g in self.mineral_groups if mineral_id in g)

    @cached_property
    def recycling_by_mineral(self) -> dict[str, list[RecyclingOption]]:
        out: dict[str, list[RecyclingOption]] = {m: [] for m in self.minerals}
        for r in self.recycling.values():
            out[r.mineral_id].append(r)
        return out

    @cached_property
    def agreements_by_mineral(self) -> dict[str, list[Agreement]]:
        out: dict[str, list[Agreement]] = {m: [] for m in self.minerals}
        for a in self.agreements.values():
            out[a.mineral_id].append(a)
        return out
