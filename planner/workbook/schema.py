"""The planning workbook, described once.

Every sheet and column the planner reads is listed here with its type, unit,
bounds and plain-words meaning.  The reader, the validator, the workbook
writer (``planner init``), the About sheet and the README reference are all
generated from these tables, so they cannot disagree.

Column names carry their unit (``capacity_t_per_yr``, ``price_usd_per_t``)
and mean the same thing in the workbook, the code and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column kinds.  Each is parsed by planner.workbook.cells.Parser.
ID = "id"  # text key, unique within its sheet (case- and space-insensitive)
TEXT = "text"
NUMBER = "number"  # real number within the column's bounds (default: >= 0)
INTEGER = "integer"  # whole number within the column's bounds (default: >= 0)
SHARE = "share"  # real number in [0, 1], or the tighter bounds the column declares
YEAR = "year"  # whole year inside the planning horizon
YESNO = "yesno"
CHOICE = "choice"  # one of Column.choices
MINERAL = "mineral"  # a mineral_id from the Minerals sheet
COUNTRY = "country"  # an ISO3 code from the Countries sheet
COUNTRIES = "countries"  # several ISO3 codes separated by ";"
SOURCE = "source"  # a source_id from the Sources sheet
SUPPLIER = "supplier"  # a supplier_id from the Suppliers sheet
STREAM = "stream"  # a stream_id from the Streams sheet
REFINERY = "refinery"  # a refinery_id from the Refining sheet
RAW = "raw"  # kept as typed; Settings values are parsed by their own Setting's kind
SHARES = "shares"  # several shares (0 to 1) separated by ";", e.g. a ramp-up 0.3;0.6;0.9

YES_NO = ("yes", "no")
# Kinds that name a row of another sheet: that sheet and its id column.  The reader resolves every
# such cell of every sheet in one pass; the input workbook offers the ids in a drop-down.
REFERENCES = {MINERAL: ("Minerals", "mineral_id"), COUNTRY: ("Countries", "country_code"),
              COUNTRIES: ("Countries", "country_code"), SOURCE: ("Sources", "source_id"),
              SUPPLIER: ("Suppliers", "supplier_id"), STREAM: ("Streams", "stream_id"),
              REFINERY: ("Refining", "refinery_id")}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    required: bool = True
    unit: str = ""
    minimum: float | None = 0.0
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    # An exclusive bound is itself out of range (a yield above 0, not 0).
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    description: str
    columns: tuple[Column, ...]
    # Columns whose combined value must be unique (case/space-insensitive).
    key: tuple[str, ...] = ()
    # An optional sheet may be absent (a workbook without what-if scenarios).
    optional: bool = False
    # A study sheet (what-ifs, disruptions) is read against the case the other sheets make: an error
    # on it leaves the case itself sound, so the case's own checks still run.
    study: bool = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Setting:
    name: str
    kind: str
    default: object
    unit: str
    description: str
    minimum: float | None = 0.0
    maximum: float | None = None
    choices: tuple[str, ...] = field(default=())
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False


NUMERIC = (NUMBER, INTEGER, SHARE, YEAR)

# The most a tonnage typed may be, in every column whose unit is tonnes (t, t/yr, t/month, t/unit: ``is_tonnage``),
# on every sheet (Partners too) and after a what-if's change, and the stocks days of demand ask for (Korea's Policy
# stockpile_min_days, a partner's mandate_days; not a stream's units x content, a loose bound on recycling that
# solved as it should at 1e12 units): a billion tonnes is far above any critical mineral's world output (tens of
# millions of tonnes a year at most).  The general bound of every number, 1e12, let through tonnages that broke the
# solve: at 1e11-1e12 t a double's spacing (1e-5 to 1e-4 t) exceeds HiGHS's feasibility tolerances, and a sound case
# (a gallium stock of 1e12 t, a partner's demand of 1e11 t) was reported infeasible.
MAX_TONNES = 1e9
TONNES_WHY = ("a billion tonnes is far above any mineral's world output, and at larger tonnages the solver's "
              "round-off exceeds its tolerances (a sound case reads as infeasible)")


def is_tonnage(unit: str) -> bool:
    """A unit of tonnes of a mineral: t, or t per something (t/yr, t/month, t/unit); not USD/t."""
    return unit == "t" or unit.startswith("t/")


def _number(x: float) -> str:
    """A bound as a planner reads it: 1,000,000,000 rather than 1e+09."""
    return f"{x:,.0f}" if abs(x) >= 1e6 and x == int(x) else f"{x:g}"


@dataclass(frozen=True)
class Bounds:
    """The range a number column or setting accepts (``bounds``)."""

    low: float | None
    high: float | None
    low_open: bool = False  # the bound itself is out of range
    high_open: bool = False

    def holds(self, x: float) -> bool:
        if self.low is not None and (x <= self.low if self.low_open else x < self.low):
            return False
        return self.high is None or (x < self.high if self.high_open else x <= self.high)

    @property
    def text(self) -> str:
        """The range in words: 'from 1 to 50', '>= 0', 'above 0 and at most 1'."""
        lo, hi = self.low, self.high
        if lo is not None and hi is not None:
            if not (self.low_open or self.high_open):
                return f"from {_number(lo)} to {_number(hi)}"
            return f"{'above' if self.low_open else 'at least'} {_number(lo)} and " \
                   f"{'below' if self.high_open else 'at most'} {_number(hi)}"
        if lo is not None:
            return f"{'>' if self.low_open else '>='} {_number(lo)}"
        if hi is not None:
            return f"{'<' if self.high_open else '<='} {_number(hi)}"
        return "any"


def bounds(spec: Column | Setting) -> Bounds:
    """The range of a number column or setting: its declared minimum and maximum, a share never
    above 1.  The reader enforces exactly this, and the README reference and the About sheet state
    it, so a bound cannot be documented and not enforced.  (A YEAR column's range is the planning
    horizon, set by the Settings sheet.)  A tonnage is at most ``MAX_TONNES``, whatever its column."""
    high = spec.maximum
    if spec.kind == SHARE:  # a fraction: 0.8 is 80%
        high = 1.0 if high is None else min(high, 1.0)
    if is_tonnage(spec.unit):
        high = MAX_TONNES if high is None else min(high, MAX_TONNES)
    return Bounds(spec.minimum, high, spec.exclusive_minimum, spec.exclusive_maximum)


def range_text(spec: Column | Setting) -> str:
    """The values a column or setting accepts, in the words of the README reference."""
    if spec.kind == YEAR:
        return "a year from Settings first_year to last_year"
    if spec.kind in NUMERIC:
        return ("a whole number " if spec.kind == INTEGER else "") + bounds(spec).text
    if spec.choices and spec.kind != YESNO:
        return "one of: " + ", ".join(spec.choices)
    if spec.kind in REFERENCES:
        sheet, column = REFERENCES[spec.kind]
        return f"{column}s of {sheet} separated by ';'" if spec.kind == COUNTRIES else f"a {column} of {sheet}"
    return "yes or no" if spec.kind == YESNO else ""


SOURCE_COL = Column(
    "source_id", SOURCE, "Which row of the Sources sheet the figures in this row come from.",
    required=False,
)

# The columns by which a Disruptions or Disruption risks row picks the supply options it hits.
OPTION_MATCH = (
    Column("mineral_id", MINERAL, "Only options of this mineral; blank for all.", required=False),
    Column("supplier_id", SUPPLIER, "Only this supply option; blank for all that match the other columns.",
           required=False),
    Column("country", COUNTRY, "Only options touching this country (see country_role); blank for all.",
           required=False),
    Column("country_role", CHOICE, "Match the country as origin (mining), processing (refining) or either "
                                   "(default).", required=False, choices=("origin", "processing", "either")),
)
PARTNERS_HIT = Column("partners_hit", COUNTRIES, "Agreement partners hit too (ISO3 codes separated by ';'): their "
                                                 "swap lines and joint stocks cannot deliver.", required=False)
IMPORTERS_HIT = Column("importers_hit", COUNTRIES, "Coalition members this row reaches through their own supply "
                       "(planner coalition; ISO3 codes separated by ';'), e.g. KOR;JPN for a sea-lane closure that "
                       "spares the US's Pacific routes; blank: every member, as a country's export stop. Korea's "
                       "options are hit as the row says whatever it holds.", required=False)

SPOT_MULTIPLIER = Column(
    "spot_price_multiplier", NUMBER, "Spot price of the mineral while the stop lasts over its normal price. Blank: "
    "derived from the share of world supply the stop removes (the WorldSupply shares of the countries it hits, "
    "times share_lost) and the mineral's price_elasticity (Minerals), at most Settings spot_multiplier_max; 1 for "
    "a mineral without an elasticity or a row that names no country.", required=False, unit="x", minimum=1.0)

SETTINGS: tuple[Setting, ...] = (
    Setting("first_year", INTEGER, 2026, "year",
            "First decision year. Years before it are not decided: the state columns (Stockpile initial_stock_t, "
            "Recycling existing_modules, Suppliers contract_years_left, Agreements member_at_start) describe "
            "its start. Present values are discounted to it.", minimum=1990, maximum=2100),
    Setting("last_year", INTEGER, 2035, "year", "Last decision year (inclusive).", minimum=1990, maximum=2100),
    Setting("price_year", INTEGER, 2024, "year",
            "Year the prices and costs of the workbook are quoted in; price escalation counts from it.",
            minimum=1990, maximum=2100),
    Setting("discount_rate", SHARE, 0.045, "share/yr",
            "Real discount rate for the present value of all costs, and for the annuity that spreads a "
            "recycling module's capital over its life (0.045 = 4.5%)."),
    Setting("currency", CHOICE, "USD", "", "Currency of every money figure in the workbook.", choices=("USD",)),
    Setting("home_country", COUNTRY, "KOR", "ISO3",
            "The importing country; recycled supply is domestic and carries its risk score."),
    Setting("min_contract_years", INTEGER, 3, "yr",
            "A supply contract, once signed, runs at least this many years (or to the option's last year).",
            minimum=1, maximum=50),
    Setting("allow_unmet_demand", YESNO, "no", "yes/no",
            "yes: demand may go unmet at the mineral's shortage penalty; no: demand is a hard constraint.",
            choices=YES_NO),
    Setting("time_limit_s", NUMBER, 60.0, "s", "Solver wall-time limit.", minimum=0.1),
    Setting("mip_gap", SHARE, 0.00001, "share",
            "Relative MIP gap at which the solver stops (0.00001 = 0.001%; the plan costs at most this much more "
            "than the best possible, and each mineral is solved to it). Smaller proves more but takes longer."),
    Setting("threads", INTEGER, 2, "", "Solver threads.", minimum=1, maximum=256),
    Setting("risk_stage_combination", CHOICE, "weighted", "",
            "How an option's political risk combines its mining (origin) and refining (processing) countries' "
            "scores: weighted = risk_weight_mining x origin + (1 - risk_weight_mining) x processing; worst = the "
            "higher of the two.", choices=("weighted", "worst")),
    Setting("risk_weight_mining", SHARE, 0.5, "share",
            "Weight of the mining country in an option's risk when risk_stage_combination is weighted; the "
            "refining country gets the rest (0.5: equal weights, an assumption)."),
    Setting("price_basis", TEXT, "", "", "What the prices are: year, basis and exchange rate used.",
            minimum=None),
    Setting("risk_basis", CHOICE, "political", "",
            "What a country's risk score measures, in the risk cap, the average risk and the supply-risk "
            "indicators: political = political_risk (WGI); alignment = 1 - the alignment score (Countries "
            "alignment inputs, weighted below); both = the mean of the two.",
            choices=("political", "alignment", "both")),
    Setting("alignment_weight_msp", NUMBER, 0.25, "weight",
            "Weight of Countries msp_member in the alignment score (weights are divided by their sum, which must be "
            "above 0)."),
    Setting("alignment_weight_fta", NUMBER, 0.15, "weight", "Weight of Countries fta_with_korea."),
    Setting("alignment_weight_security", NUMBER, 0.25, "weight", "Weight of Countries security_treaty."),
    Setting("alignment_weight_unga", NUMBER, 0.2, "weight", "Weight of Countries unga_agreement_share."),
    Setting("alignment_weight_no_export_restrictions", NUMBER, 0.15, "weight",
            "Weight of having no export restrictions (Countries export_restrictions = no)."),
    Setting("cvar_weight", SHARE, 0.0, "share",
            "Hedged plans (solve --hedged): weight of the CVaR of the disruption cost against its expected "
            "value. 0 = risk-neutral (expected cost only); 1 = only the average of the worst outcomes counts."),
    Setting("cvar_level", SHARE, 0.9, "share",
            "Hedged plans: the CVaR averages the costliest 1 - cvar_level of outcomes (0.9: the worst 10%, the "
            "no-disruption outcome included).", maximum=0.999),
    Setting("terminal_stock_credit", YESNO, "yes", "yes/no",
            "yes: the stock handed on after the last year is credited at that year's lowest price, so stock bought for "
            "the last years is not counted as lost; no: it is worth nothing to the plan (the horizon is the end).",
            choices=YES_NO),
    Setting("rebuild_years", INTEGER, 1, "yr",
            "After a disruption ends, the years within which the stockpile cover floor holds again and every "
            "swap call is given back (1: by the year after).", minimum=1, maximum=50),
    Setting("spot_multiplier_max", NUMBER, 5.0, "x",
            "The highest crisis spot multiplier a disruption's derived price may reach (an event's typed "
            "spot_price_multiplier is not capped). With Minerals price_elasticity, a stop removing share R of "
            "world supply sets the spot price to (1 - R)^(-1/elasticity) times normal, at most this.",
            minimum=1.0, maximum=100.0),
    Setting("reliance_basis", CHOICE, "imports", "",
            "What every exposure share (China cap, single-country and stage caps, risk cap, IRA share) and every "
            "reported China share is a share of: imports = purchases from abroad, each counted when it arrives, "
            "over all purchases (Korea's 2030 target is reliance on one country for imports; recycling and "
            "releases from the stock are not imports); consumption = imports and domestic recycling, with "
            "China-linked tonnes counted when consumed (released from the stock included): the measure of "
            "earlier versions, kept for comparison.", choices=("imports", "consumption")),
    Setting("coalition_sharing_rule", CHOICE, "pro_rata", "",
            "planner coalition: how the members hit by a disruption share the coalition's joint stock. pro_rata = "
            "each may draw up to its demand's share of the stock among the members hit at the time; need_first = "
            "the stock goes first where a tonne left short would cost most (the coalition's least-cost split).",
            choices=("pro_rata", "need_first")),
)

# Scenario levers: the sheet, column and operation each stands for (None: given on the row;
# a policy row's operation defaults to set).
LEVERS: dict[str, tuple[str, str | None, str | None]] = {
    "disruption": ("Suppliers", "capacity_t_per_yr", "scale"),
    "price_shock": ("Suppliers", "price_usd_per_t", "scale"),
    "demand_change": ("Demand", "demand_t", "scale"),
    "policy": ("Policy", None, None),
}
SCENARIO_LEVERS = (*LEVERS, "edit")
SCENARIO_SHEETS = ("Settings", "Minerals", "Countries", "Suppliers", "Demand", "Recycling", "Feedstock",
                   "Stockpile", "Agreements", "Policy")
# Sheets an Uncertainty row may range (what-ifs, sources and the ranges themselves are no figures of the case).
UNCERTAIN_SHEETS = ("Settings", "Minerals", "Countries", "Suppliers", "Demand", "Recycling", "Streams",
                    "Put on market", "Lifetimes", "Refining", "Feedstock", "Stockpile", "Agreements", "Policy",
                    "WorldSupply", "Disruptions", "Disruption risks", "Shortage costs", "Spot supply")

# Default ranges of ``planner sensitivity``: every number of a row whose Sources row is an estimate,
# and that no Uncertainty row ranges, moves by one of these factors, by the kind of figure its column
# holds.  A column's kind is found from the words of its name, else from its unit (names say units),
# so a column added later is covered as its unit says.  Whole-number columns (modules, years, lead
# times), Settings and Policy (choices, not estimates) get none; a planner declares those.
@dataclass(frozen=True)
class DefaultRange:
    kind: str  # in plain words, for the reports
    low: float  # factor on the figure
    high: float
    units: tuple[str, ...] = ()  # column units of this kind
    words: tuple[str, ...] = ()  # or words in the column name (checked first)


DEFAULT_RANGES: tuple[DefaultRange, ...] = (
    DefaultRange("probabilities", 0.5, 2.0, words=("probability",)),
    DefaultRange("elasticities", 0.5, 2.0, words=("elasticity",)),
    DefaultRange("prices and costs per tonne", 0.8, 1.2, units=("USD/t",)),
    DefaultRange("fixed costs, capital and fees", 0.7, 1.3, units=("USD", "USD/yr", "USD/t/yr")),
    DefaultRange("capacities and rates", 0.75, 1.25, units=("t/yr", "t/month")),
    DefaultRange("quantities: demand, feedstock, stocks, volumes, contents and units on the market", 0.9, 1.1,
                 units=("t", "t/unit", "units")),
    DefaultRange("durations and lead times in days", 0.5, 1.5, units=("days", "days or yr")),
    DefaultRange("price escalation", 0.5, 1.5, units=("share/yr",)),
    DefaultRange("multipliers", 0.8, 1.2, units=("x",)),
    DefaultRange("shares, yields and scores", 0.9, 1.1, units=("share", "0-1")),
)
# Sheets whose figures get no default range: limits and settings are choices, not estimates.
NO_DEFAULT_RANGE_SHEETS = ("Settings", "Policy")


def default_range(column: Column) -> DefaultRange | None:
    """The default range of a column's figures, or None (not a real number, or a kind not listed)."""
    if column.kind not in (NUMBER, SHARE):
        return None
    by_words = [r for r in DEFAULT_RANGES if any(w in column.name for w in r.words)]
    return (by_words or [r for r in DEFAULT_RANGES if column.unit in r.units] or [None])[0]


def default_ranges_text() -> str:
    """The default ranges in words, for the Uncertainty sheet's description (About sheet, README)."""
    return "; ".join(f"{r.kind} x{r.low:g} to x{r.high:g}" for r in DEFAULT_RANGES)


# The sheets whose ids the model keys its decisions by, in one map (reader._check_one_namespace).
ONE_ID = " An id is used once across Minerals, Suppliers, Recycling, Refining and Agreements."

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "Settings",
        "Case-wide settings, one per row. The value and source_id columns are read; the rest explains it.",
        (
            Column("name", ID, "Setting name (fixed list, see below)."),
            Column("value", RAW, "Its value.", required=False),
            Column("unit", TEXT, "Unit of the value.", required=False),
            Column("description", TEXT, "What the setting does.", required=False),
            SOURCE_COL,
        ),
        key=("name",),
    ),
    Sheet(
        "Minerals",
        "The minerals planned for, in the traded form Korea imports.",
        (
            Column("mineral_id", ID, "Short id used on every other sheet, e.g. lithium." + ONE_ID),
            Column("name", TEXT, "Display name."),
            Column("traded_form", TEXT, "The imported product, e.g. lithium hydroxide, LiOH·H2O."),
            Column("unit", CHOICE, "Unit of every quantity of this mineral.", choices=("t",)),
            Column("strategic", YESNO, "One of Korea's ten strategic critical minerals (2023 strategy).",
                   choices=YES_NO),
            Column("battery_mineral", YESNO,
                   "A battery mineral, to which the IRA-compliant share applies.", choices=YES_NO),
            Column("shortage_penalty_usd_per_t", NUMBER,
                   "Cost charged per t of demand not delivered, for a mineral without rows on the Shortage costs "
                   "sheet (their curve prices it where it has them); used only where unmet demand is allowed.",
                   unit="USD/t"),
            Column("substitution_index", SHARE,
                   "The EU criticality methodology's substitution index for supply risk, SI(SR): 1 = no "
                   "substitute, lower = substitutes reduce the supply risk. Multiplies the SR indicator.",
                   unit="0-1"),
            Column("price_elasticity", NUMBER,
                   "Short-run price elasticity of the world market, demand and other suppliers' response together, "
                   "as a positive number: a disruption without a typed spot_price_multiplier that removes share R of "
                   "world supply (WorldSupply) raises the spot price to (1 - R)^(-1/elasticity) times normal, at "
                   "most Settings spot_multiplier_max. Blank: such a disruption leaves the price as it is.",
                   required=False, unit="-", exclusive_minimum=True),
            SOURCE_COL,
        ),
        key=("mineral_id",),
    ),
    Sheet(
        "Countries",
        "Countries of origin (mining) and processing (refining), with their risk attributes.",
        (
            Column("country_code", ID, "ISO 3166 alpha-3 code, e.g. CHN."),
            Column("name", TEXT, "Country name."),
            Column("political_risk", SHARE,
                   "Risk score in [0, 1]: 1 - World Bank WGI 'Political Stability and Absence of "
                   "Violence' percentile rank / 100.", unit="0-1"),
            Column("sanctioned", YESNO, "Korea may not source from this country; its options are excluded.",
                   choices=YES_NO),
            Column("foreign_entity_of_concern", YESNO,
                   "A 'foreign entity of concern' under the US IRA (China, Russia, North Korea, Iran).",
                   choices=YES_NO),
            Column("us_fta_or_cma", YESNO,
                   "The US, or a country with a US free-trade or critical-minerals agreement.",
                   choices=YES_NO),
            Column("msp_member", YESNO, "Alignment input: a member of the Minerals Security Partnership "
                                        "(FORGE since February 2026).", choices=YES_NO),
            Column("fta_with_korea", YESNO, "Alignment input: a free-trade agreement with Korea in force "
                                            "(bilateral, or through ASEAN, the EU or RCEP); yes for Korea itself.",
                   choices=YES_NO),
            Column("security_treaty", YESNO, "Alignment input: a mutual defence treaty with Korea or the US.",
                   choices=YES_NO),
            Column("unga_agreement_share", SHARE, "Alignment input: share of UN General Assembly votes in "
                                                  "which the country voted as Korea did (1 for Korea).",
                   unit="share"),
            Column("export_restrictions", YESNO, "Alignment input (resource nationalism): the country bans, "
                                                 "limits or licenses exports of critical minerals of this case; "
                                                 "counts against alignment.", choices=YES_NO),
            SOURCE_COL,
        ),
        key=("country_code",),
    ),
    Sheet(
        "Suppliers",
        "One row per supply option: a source mine/refinery route Korea can contract with.",
        (
            Column("supplier_id", ID, "Short unique id of the option." + ONE_ID),
            Column("mineral_id", MINERAL, "Mineral supplied."),
            Column("name", TEXT, "Description: company, project or trade route.", required=False),
            Column("origin_country", COUNTRY, "Country where the ore is mined."),
            Column("processing_country", COUNTRY, "Country where it is refined into the traded form."),
            Column("capacity_t_per_yr", NUMBER, "Most Korea can buy from this option per year.", unit="t/yr"),
            Column("price_usd_per_t", NUMBER, "Delivered price in the price year (Settings price_year).", unit="USD/t"),
            Column("price_escalation_per_yr", NUMBER,
                   "Yearly real price change (0.02 = +2%/yr; may be negative).", unit="share/yr",
                   minimum=-0.5, maximum=1.0),
            Column("fixed_cost_usd_per_yr", NUMBER,
                   "Fixed cost of holding the contract, per year it is active.", unit="USD/yr"),
            Column("min_volume_t_per_yr", NUMBER,
                   "Volume that must be taken each year the contract is active.", unit="t/yr"),
            Column("first_year", INTEGER, "First year the option can deliver (e.g. a new plant's start); may be "
                                          "before the first decision year.", unit="year", minimum=1990,
                   maximum=2100),
            Column("last_year", INTEGER, "Last year the option can deliver; may be after the last decision year.",
                   unit="year", minimum=1990, maximum=2100),
            Column("contract", CHOICE,
                   "Leave blank to let the model choose; 'on' forces the contract in every available "
                   "year, 'off' excludes the option.", required=False, choices=("on", "off")),
            Column("contract_years_left", INTEGER,
                   "A contract already in force at the start of the first decision year: the years it still "
                   "runs, that year included (blank or 0: none in force). It is active in those years; after "
                   "them the model may keep it or let it end.", required=False, unit="yr", maximum=50),
            Column("ramp_up", SHARES,
                   "A new project's output in its first years as shares of capacity_t_per_yr, separated by ';' "
                   "(0.3;0.6;0.9: 30% in first_year, 60% the year after, 90% the third, full capacity after). "
                   "Blank: full capacity from first_year.", required=False, unit="shares"),
            Column("delivery_probability", SHARE,
                   "Chance that the project delivers as planned (blank: 1). The plan counts on capacity x this "
                   "share: an expected haircut for projects not yet built.", required=False, unit="share"),
            Column("accessible_share", SHARE,
                   "Share of the option's capacity Korea can take (blank: 1): an offtake share, or the capacity "
                   "left after partners' contracts (Japan, the US, Europe).", required=False, unit="share"),
            Column("refinery_id", REFINERY,
                   "A Korean refinery of the Refining sheet this route feeds (ore or an intermediate refined in "
                   "Korea), one that refines this option's mineral: what it delivers must fit the refinery's modules "
                   "online. Blank: refined elsewhere, or in a plant outside the plan's choice.", required=False),
            SOURCE_COL,
        ),
        key=("supplier_id",),
    ),
    Sheet(
        "Demand",
        "Korea's demand (imports plus domestic recycling) per mineral and year.",
        (
            Column("mineral_id", MINERAL, "Mineral."),
            Column("year", YEAR, "Year."),
            Column("demand_t", NUMBER, "Quantity that must be supplied that year.", unit="t"),
            SOURCE_COL,
        ),
        key=("mineral_id", "year"),
    ),
    Sheet(
        "Recycling",
        "Domestic recycling options, built in whole modules. An option with a mineral_id recovers that mineral "
        "from the Feedstock sheet (capacity in t recovered). An option with a stream_id is a plant that processes "
        "a stream of the Streams sheet (spent batteries, magnets, scrap) and recovers every mineral of it at "
        "once, at the stream's recovery yields: its outputs share its capacity (units of the stream a year) and "
        "its operating cost is per unit processed.",
        (
            Column("option_id", ID, "Short unique id of the recycling option, without ':' (<option_id>:<mineral> names "
                                        "a stream plant's output of a mineral)." + ONE_ID),
            Column("mineral_id", MINERAL, "Mineral recovered (blank for a stream plant: it recovers the stream's "
                                          "minerals).", required=False),
            Column("module_capacity_t_per_yr", NUMBER, "Capacity of one module: t recovered a year, or for a "
                                                       "stream plant units of the stream processed a year.",
                   unit="t/yr"),
            Column("capital_cost_usd_per_module", NUMBER,
                   "Investment per module; the cost charges it as an annuity over life_yr at the discount rate, "
                   "in each year the module runs inside the horizon.", unit="USD"),
            Column("operating_cost_usd_per_t", NUMBER, "Operating cost per t recovered (a stream plant: per unit "
                                                       "processed).", unit="USD/t"),
            Column("existing_modules", INTEGER, "Modules running at the start of the first decision year (their "
                                                "capital is sunk).", unit="modules"),
            Column("max_modules", INTEGER, "Most modules that may exist in total.", unit="modules"),
            Column("lead_time_yr", INTEGER, "Years from the build decision until a module produces.",
                   unit="yr", maximum=20),
            Column("recovery_yield", SHARE, "t recovered per t of end-of-life feedstock (0.9 = 90%); blank for a "
                                            "stream plant (the Streams sheet gives its yields).", unit="share",
                   required=False, exclusive_minimum=True),
            Column("life_yr", INTEGER, "Years a module runs once built; its capital annuity is spread over them.",
                   unit="yr", minimum=1, maximum=100),
            Column("stream_id", STREAM, "The stream a plant processes (Streams sheet); blank for an option fed by "
                                        "the Feedstock sheet.", required=False),
            SOURCE_COL,
        ),
        key=("option_id",),
    ),
    Sheet(
        "Streams",
        "End-of-life material recyclers can process, as a stock-flow: each stream (spent EV batteries, storage "
        "batteries, magnets, manufacturing scrap) has units put on the market each year (Put on market), a "
        "lifetime distribution (Lifetimes) and a collection rate; the units collected in a year are "
        "collection_rate x the sum over ages of what was put on the market that many years before x the share "
        "retiring at that age. Rows with the same stream_id form one stream, one row per mineral it contains.",
        (
            Column("stream_id", TEXT, "Stream id, e.g. ev_batteries; rows with the same id form one stream."),
            Column("name", TEXT, "What the stream is; on its first row.", required=False),
            Column("unit", TEXT, "Unit of the stream (MWh, t of magnets ...); on its first row.", required=False),
            Column("collection_rate", SHARE, "Share of retired units reaching Korea's recyclers (not exported, "
                                             "landfilled or reused); on its first row.", required=False,
                   unit="share"),
            Column("mineral_id", MINERAL, "A mineral the stream contains."),
            Column("content_t_per_unit", NUMBER, "Tonnes of the mineral's traded form contained in one unit.",
                   unit="t/unit"),
            Column("recovery_yield", SHARE, "Share of the contained mineral a plant recovers (0.9 = 90%).",
                   unit="share", exclusive_minimum=True),
            SOURCE_COL,
        ),
        key=("stream_id", "mineral_id"),
        optional=True,
    ),
    Sheet(
        "Put on market",
        "Units of each stream sold in Korea per year, history and projection: what retires later.",
        (
            Column("stream_id", STREAM, "Stream."),
            Column("year", INTEGER, "Year the units were put on the market (may be long before the first decision "
                                    "year).", unit="year", minimum=1950, maximum=2100),
            Column("units", NUMBER, "Units put on the market that year (the stream's unit).", unit="units"),
            SOURCE_COL,
        ),
        key=("stream_id", "year"),
        optional=True,
    ),
    Sheet(
        "Lifetimes",
        "How long a stream's units last: the share retiring at each age (0 = the year they are put on the market, "
        "as for manufacturing scrap); a stream's shares add up to 1.",
        (
            Column("stream_id", STREAM, "Stream."),
            Column("age_yr", INTEGER, "Age in years.", unit="yr", maximum=100),
            Column("share_retiring", SHARE, "Share of the units retiring at that age.", unit="share"),
            SOURCE_COL,
        ),
        key=("stream_id", "age_yr"),
        optional=True,
    ),
    Sheet(
        "Refining",
        "Refining capacity Korea may build at home, in modules: the supply options naming a refinery in their "
        "refinery_id column feed it (imported ore or intermediates), and what they deliver must fit the modules "
        "online.",
        (
            Column("refinery_id", ID, "Short unique id." + ONE_ID),
            Column("mineral_id", MINERAL, "Mineral refined (its traded form)."),
            Column("name", TEXT, "Description.", required=False),
            Column("module_capacity_t_per_yr", NUMBER, "Refined output of one module a year.", unit="t/yr"),
            Column("capital_cost_usd_per_module", NUMBER, "Investment per module, charged as an annuity over life_yr "
                                                          "in each year it runs inside the horizon.", unit="USD"),
            Column("operating_cost_usd_per_t", NUMBER, "Conversion cost per t refined, on top of the feed's price.",
                   unit="USD/t"),
            Column("existing_modules", INTEGER, "Modules running at the start of the first decision year.",
                   unit="modules"),
            Column("max_modules", INTEGER, "Most modules that may exist in total.", unit="modules"),
            Column("lead_time_yr", INTEGER, "Years from the build decision until a module produces.", unit="yr",
                   maximum=20),
            Column("life_yr", INTEGER, "Years a module runs once built.", unit="yr", minimum=1, maximum=100),
            SOURCE_COL,
        ),
        key=("refinery_id",),
        optional=True,
    ),
    Sheet(
        "Feedstock",
        "End-of-life material (spent batteries, scrap) available to recyclers per mineral and year.",
        (
            Column("mineral_id", MINERAL, "Mineral contained."),
            Column("year", YEAR, "Year."),
            Column("feedstock_t", NUMBER, "Contained mineral available as feedstock.", unit="t"),
            SOURCE_COL,
        ),
        key=("mineral_id", "year"),
    ),
    Sheet(
        "Stockpile",
        "The public stockpile (KOMIR) per mineral.",
        (
            Column("mineral_id", MINERAL, "Mineral stocked."),
            Column("initial_stock_t", NUMBER, "Stock held at the start of the first decision year.", unit="t"),
            Column("holding_cost_usd_per_t_yr", NUMBER, "Storage, insurance and capital cost per t held per year.",
                   unit="USD/t/yr"),
            Column("purchase_premium_usd_per_t", NUMBER,
                   "Extra cost per t added to the stock, on top of the supplier's price.", unit="USD/t"),
            Column("max_stock_t", NUMBER, "Largest stock that can be held.", unit="t"),
            Column("initial_china_share", SHARE,
                   "Share of initial_stock_t mined or refined in China: it counts toward the China cap when "
                   "released (blank: all of it).", required=False, unit="share"),
            Column("release_lead_days", NUMBER,
                   "Days from the decision to release stock until it reaches users (blank: 0). In a disruption, "
                   "the stock replaces only the lost tonnes of the part of a stop after this lead time: a stop "
                   "shorter than it cannot be covered from stock.", required=False, unit="days", maximum=365),
            Column("max_release_t_per_month", NUMBER,
                   "Most that can be released in a month of a disruption (blank: no limit).", required=False,
                   unit="t/month"),
            SOURCE_COL,
        ),
        key=("mineral_id",),
    ),
    Sheet(
        "Agreements",
        "Joint stockpiles and mineral-swap agreements Korea may join.",
        (
            Column("agreement_id", ID, "Short unique id." + ONE_ID),
            Column("kind", CHOICE, "swap or joint_stockpile.", choices=("swap", "joint_stockpile")),
            Column("partner_countries", COUNTRIES, "Partner ISO3 codes separated by ';', e.g. JPN;USA."),
            Column("mineral_id", MINERAL, "Mineral covered."),
            Column("fee_usd_per_yr", NUMBER, "Yearly fee while a member.", unit="USD/yr"),
            Column("emergency_volume_t", NUMBER,
                   "The largest line Korea may hold: swap tonnes the partners lend, or Korea's share of the joint "
                   "stockpile. The plan chooses the line (up to this); it counts toward stockpile cover and is "
                   "what a disruption can call on, if no partner is hit too.", unit="t"),
            Column("fee_usd_per_t_yr", NUMBER, "Yearly fee per tonne of line held (blank: 0).", required=False,
                   unit="USD/t/yr"),
            Column("first_year", INTEGER, "First year Korea can join; may be before the first decision year.",
                   unit="year", minimum=1990, maximum=2100),
            Column("member_at_start", YESNO, "yes: Korea is already a member at the start of the first decision "
                                             "year (blank: no).", required=False, choices=YES_NO),
            Column("delivery_days", NUMBER, "Days from a call on the line until the tonnes reach Korea (blank: 0); "
                                          "like the stock's release lead time, a stop shorter than it cannot be "
                                          "covered from the line.", required=False, unit="days", maximum=365),
            Column("signed", YESNO, "yes: signed and in force; blank or no: a hypothetical arrangement, as every "
                                    "Korea-Japan and Korea-US stockpile-sharing or swap agreement is as of early 2026 "
                                    "(a dialogue, February 2025; a US-Japan framework, October 2025; FORGE, February "
                                    "2026). Reports say which.", required=False, choices=YES_NO),
            SOURCE_COL,
        ),
        key=("agreement_id",),
    ),
    Sheet(
        "Policy",
        "Policy limits per year. A blank mineral_id applies to every mineral; a row naming a mineral "
        "overrides it column by column. A blank limit is not applied.",
        (
            Column("year", YEAR, "Year the limits apply to."),
            Column("mineral_id", MINERAL, "Mineral, or blank for all minerals.", required=False),
            Column("china_cap_share", SHARE,
                   "Most of a mineral's reliance on China, mined or refined there, on Settings reliance_basis: a "
                   "share of imports (purchases whose origin or processing country is China over all purchases "
                   "from abroad) or of consumption (China-linked tonnes consumed, released stock included, over "
                   "consumption).", required=False, unit="share"),
            Column("single_country_cap_share", SHARE,
                   "Most of a mineral's reliance on any one supplier country (by origin or processing), on Settings "
                   "reliance_basis: a share of imports (Korea itself not counted), or of supply (imports and "
                   "recycling).", required=False, unit="share"),
            Column("risk_cap", SHARE, "Highest volume-weighted average risk score of the imports (or supply, by "
                                      "Settings reliance_basis; political risk, misalignment or both: Settings "
                                      "risk_basis).", required=False, unit="0-1"),
            Column("recycling_min_share", SHARE, "Least share of demand met by domestic recycling; applies only "
                                                 "to minerals with a Recycling option.", required=False,
                   unit="share"),
            Column("stockpile_min_days", NUMBER,
                   "Least stockpile cover (stock plus agreement emergency volumes, at the end of the year) in days "
                   "of that year's demand; in the last year it is the stock the plan hands on.",
                   required=False, unit="days", maximum=3650),
            Column("ira_min_share", SHARE,
                   "Battery minerals only: least share of supply from the US or FTA partners with no foreign "
                   "entity of concern in origin or processing.", required=False, unit="share"),
            Column("mining_country_cap_share", SHARE,
                   "Most of a mineral's imports (or supply, by reliance_basis) mined in any one country: a cap at "
                   "the mining stage alone (with refining_country_cap_share 0.65, the EU's 65%-at-any-stage rule).",
                   required=False, unit="share"),
            Column("refining_country_cap_share", SHARE,
                   "Most of a mineral's imports (or supply, by reliance_basis) refined in any one country: a cap at "
                   "the refining stage alone, where China's reach is widest.", required=False, unit="share"),
            SOURCE_COL,
        ),
        key=("year", "mineral_id"),
    ),
    Sheet(
        "WorldSupply",
        "World output shares by country and stage, for the supply-risk indicators of the results (the "
        "EU method's global-supply term and GeoPolRisk). Countries not listed count as many small producers.",
        (
            Column("mineral_id", MINERAL, "Mineral."),
            Column("stage", CHOICE, "mining (ore) or refining (the traded form).", choices=("mining", "refining")),
            Column("country", COUNTRY, "Producing country."),
            Column("world_share", SHARE, "Its share of world output at that stage; a mineral's shares at a "
                                         "stage add up to at most 1.", unit="share"),
            SOURCE_COL,
        ),
        key=("mineral_id", "stage", "country"),
        optional=True,
    ),
    Sheet(
        "Scenarios",
        "What-if scenarios for 'planner compare'. Each row is one change to the base case inside a named "
        "scenario; a scenario's rows apply in order. A lever fills in sheet, column and operation: "
        "disruption = Suppliers capacity_t_per_yr x value (0 = an export ban), price_shock = Suppliers "
        "price_usd_per_t x value, demand_change = Demand demand_t x value, policy = set (or scale, add) a Policy "
        "column. "
        "Selectors (item_id, mineral_id, country, years) pick the rows changed; blank selects all.",
        (
            Column("scenario", TEXT, "Scenario name, e.g. graphite_ban_2026; rows with the same name form one "
                                     "scenario. Not base or no_policy, the names planner compare gives its own "
                                     "cases."),
            Column("description", TEXT, "What the scenario represents; written on the scenario's first row.",
                   required=False),
            Column("lever", CHOICE, "A common change; leave blank (or 'edit') to give sheet, column and "
                                    "operation yourself.", required=False, choices=SCENARIO_LEVERS),
            Column("sheet", CHOICE, "Sheet whose values change.", required=False, choices=SCENARIO_SHEETS),
            Column("item_id", TEXT, "The row's id on that sheet (supplier_id, option_id, agreement_id, "
                                    "country_code, mineral_id or setting name); blank for all.", required=False),
            Column("mineral_id", MINERAL, "Only rows of this mineral; blank for all.", required=False),
            Column("country", COUNTRY, "Suppliers: only options touching this country (see country_role); "
                                       "Agreements: with this partner; Countries: this country.",
                   required=False),
            Column("country_role", CHOICE, "Suppliers: match the country as origin (mining), processing "
                                           "(refining) or either (default).", required=False,
                   choices=("origin", "processing", "either")),
            Column("first_year", YEAR, "First year changed (Demand, Feedstock, Policy, and Suppliers capacity "
                                       "or price); blank = the first decision year.", required=False),
            Column("last_year", YEAR, "Last year changed; blank = last planning year.", required=False),
            Column("column", TEXT, "Column changed, as headed on that sheet (Settings: value).",
                   required=False),
            Column("operation", CHOICE, "set: replace by value; scale: multiply by value; add: add value.",
                   required=False, choices=("set", "scale", "add")),
            Column("value", RAW, "The new value, factor or amount."),
            SOURCE_COL,
        ),
        optional=True,
        study=True,
    ),
    Sheet(
        "Disruptions",
        "Supply disruptions a plan is tested against (planner stress) and hedged for (planner solve --hedged). "
        "Rows with the same disruption name form one event; each row names the supply options it hits (by "
        "mineral, option, country and role) and the share of their planned tonnes lost. The events are taken "
        "as alternatives: in a run at most one happens, and their probabilities add up to at most 1.",
        (
            Column("disruption", TEXT, "Event name, e.g. china_graphite_stop; rows with the same name form one "
                                       "event. Without '@' and not sample<number>, the names the planner gives a "
                                       "per_year event's start years and --sample's draws."),
            Column("description", TEXT, "What the event represents; written on its first row.", required=False),
            Column("probability", SHARE, "Chance of the event, on its first row: over the whole horizon, or of "
                                         "starting in any one year (probability_basis).", required=False,
                   unit="share"),
            Column("probability_basis", CHOICE, "horizon (default): the event starts in first_year with this "
                                                "probability; per_year: it may start in any year from first_year "
                                                "on, with this chance each year until it does (one scenario per "
                                                "start year).", required=False, choices=("horizon", "per_year")),
            *OPTION_MATCH,
            Column("first_year", YEAR, "Year the event starts (per_year: the first year it can start)."),
            Column("duration", NUMBER, "How long supply is lost, from the start of first_year.",
                   unit="days or yr", exclusive_minimum=True),
            Column("duration_unit", CHOICE, "years (default) or days; a part year loses that part of the year's "
                                            "tonnes.", required=False, choices=("years", "days")),
            Column("share_lost", SHARE, "Share of the selected options' planned tonnes that do not arrive.",
                   unit="share"),
            SPOT_MULTIPLIER,
            PARTNERS_HIT,
            IMPORTERS_HIT,
            SOURCE_COL,
        ),
        optional=True,
        study=True,
    ),
    Sheet(
        "Disruption risks",
        "What disruption scenarios are sampled from (planner stress or solve --hedged with --sample N): per risk, "
        "the chance each year that a stop starts, how long it lasts and what it takes. Rows with the same risk "
        "name stop together (one draw: a country's controls on several minerals, say); different risks are "
        "drawn independently. A sampled scenario is one draw of every risk over the horizon: several stops may "
        "overlap, and on an option hit twice the shares lost combine as 1 - (1 - a)(1 - b).",
        (
            Column("risk", TEXT, "Risk name, e.g. china_graphite_controls; rows with the same name form one risk."),
            Column("description", TEXT, "What the risk represents; written on its first row.", required=False),
            Column("annual_probability", SHARE, "Chance that a stop starts in any one year, on the risk's first "
                                                "row (an assumption unless its source says otherwise).",
                   required=False, unit="share/yr"),
            Column("first_year", YEAR, "First year a stop can start, on the first row (blank: Settings "
                                       "first_year).", required=False),
            Column("duration_min_days", NUMBER, "Shortest stop, from the start of its year, on the first row.",
                   required=False, unit="days", exclusive_minimum=True),
            Column("duration_max_days", NUMBER, "Longest stop, on the first row (blank: duration_min_days); the "
                                                "length is drawn uniformly in between.", required=False,
                   unit="days", exclusive_minimum=True),
            *OPTION_MATCH,
            Column("share_lost", SHARE, "Share of the matched options' planned tonnes that do not arrive while "
                                        "the stop lasts (a part year loses that part of its tonnes).",
                   unit="share"),
            SPOT_MULTIPLIER,
            PARTNERS_HIT,
            IMPORTERS_HIT,
            SOURCE_COL,
        ),
        optional=True,
        study=True,
    ),
    Sheet(
        "Shortage costs",
        "What leaving demand unmet costs Korea, per mineral, as a curve over the depth of the shortage: each row "
        "is a step that ends at a share of the year's demand, with its cost per tonne (the first few percent "
        "absorbed by thrifting, substitution and deferral; deeper shortages stop downstream production at the "
        "value added lost). A mineral's steps end at increasing shares and cost no less than the step before "
        "(a convex curve); a shortage deeper than the last step costs the last step's price. A mineral without "
        "rows costs its Minerals shortage_penalty_usd_per_t per tonne. Used in every disruption (unmet demand is "
        "always allowed there) and outside disruptions when Settings allow_unmet_demand is yes.",
        (
            Column("mineral_id", MINERAL, "Mineral."),
            Column("segment_end_share", SHARE, "Where this step ends, as a share of the year's demand (0.05 = the "
                                               "first 5% unmet).", unit="share", exclusive_minimum=True),
            Column("cost_usd_per_t", NUMBER, "Cost of each tonne unmet within this step.", unit="USD/t"),
            Column("segment", TEXT, "What the step stands for (thrifting, substitution, lines stopping ...).",
                   required=False),
            SOURCE_COL,
        ),
        key=("mineral_id", "segment_end_share"),
        optional=True,
    ),
    Sheet(
        "Spot supply",
        "The spot supply curve Korea meets in a disruption: its spot purchases come from the spare capacity of "
        "the options still delivering, in steps at rising prices. Each row is a step: a share of that spare "
        "capacity at a factor times the crisis spot price. A mineral's steps (or the all-minerals steps, "
        "mineral_id blank) have shares adding up to 1 and factors that never fall. Without rows all spare "
        "capacity sells at the crisis price.",
        (
            Column("mineral_id", MINERAL, "Mineral, or blank for every mineral without rows of its own.",
                   required=False),
            Column("share_of_spare", SHARE, "Share of the spare capacity sold in this step.", unit="share"),
            Column("price_factor", NUMBER, "Price of this step over the crisis spot price (1 = the crisis "
                                           "price); a step's premium is (price_factor - 1) x the crisis price of "
                                           "the mineral's cheapest option that year.", unit="x", minimum=1.0),
            SOURCE_COL,
        ),
        optional=True,
    ),
    Sheet(
        "Partners",
        "Partner countries a coalition with Korea may include (planner coalition): per country and mineral its "
        "demand, its emergency stock and mandate, how its supply is exposed, and what a shortage costs it. Korea's "
        "own figures are the rest of the workbook; it has no rows here. Every arrangement with a partner is "
        "hypothetical unless the Agreements sheet says it is signed.",
        (
            Column("country", COUNTRY, "Partner country (ISO3), a member planner coalition --members may name; not "
                                       "the home country."),
            Column("mineral_id", MINERAL, "Mineral."),
            Column("demand_t_per_yr", NUMBER, "Its yearly demand (consumption or imports) of the mineral in the "
                                              "traded form of the Minerals sheet, held flat over the horizon.",
                   unit="t/yr"),
            Column("stock_t", NUMBER, "Emergency stock it holds (government stock; blank: mandate_days of its "
                                      "demand, an estimate).", required=False, unit="t"),
            Column("mandate_days", NUMBER, "Days of its demand its policy keeps in stock (JOGMEC: 60, 180 for "
                                           "high-risk metals); it lends a fellow member only what it holds above "
                                           "this (blank: 0).", required=False, unit="days", maximum=3650),
            Column("china_share", SHARE, "Share of its supply mined or refined in China.", unit="share"),
            Column("main_suppliers", TEXT, "Its other supplier countries with their shares of its supply, as "
                                           "ISO3:share separated by ';', e.g. CHL:0.54;ARG:0.43 (China goes in "
                                           "china_share; with it they add up to at most 1; the rest is hit only by "
                                           "a row naming no country).", required=False),
            Column("shortage_cost_usd_per_t", NUMBER, "What a tonne of its demand left unmet costs it (blank: "
                                                      "Korea's curve times shortage_cost_factor).", required=False,
                   unit="USD/t"),
            Column("shortage_cost_factor", NUMBER, "Its shortage cost as Korea's curve of the mineral (Shortage "
                                                   "costs, or the Minerals penalty) times this, the steps at the same "
                                                   "shares of its own demand (blank with no flat cost: 1, an "
                                                   "assumption).", required=False, unit="x", exclusive_minimum=True),
            Column("source_id", SOURCE, "The Sources row of its demand and supply shares.", required=False),
            Column("stock_source_id", SOURCE, "The Sources row of its stock and mandate.", required=False),
            Column("shortage_source_id", SOURCE, "The Sources row of its shortage cost.", required=False),
        ),
        key=("country", "mineral_id"),
        optional=True,
        study=True,
    ),
    Sheet(
        "Uncertainty",
        "What planner sensitivity may vary: each row gives a range (low to high) to the figures it selects on one "
        "sheet and column, by the selectors of the Scenarios sheet (item_id, mineral_id, country, years) and by the "
        "Sources row they cite. Rows with the same factor name move together (one value drawn for all). A row whose "
        "low equals high holds its figures at that value. Every other figure whose Sources row is an estimate gets a "
        "default range by the kind of figure (one factor per sheet, column and event or risk, mineral or source; the "
        "minerals a recycling plant links, planned together, move together; clipped to "
        "the column's range): " + default_ranges_text() + ". Whole numbers, Settings and Policy get none.",
        (
            Column("factor", TEXT, "Factor name; rows with the same name move together (one value). Blank: the row "
                                   "is a factor of its own.", required=False),
            Column("description", TEXT, "What the range stands for.", required=False),
            Column("sheet", CHOICE, "Sheet whose figures are uncertain.",
                   choices=UNCERTAIN_SHEETS),
            Column("column", TEXT, "Column, as headed on that sheet (Settings: value, with the setting as "
                                   "item_id)."),
            Column("item_id", TEXT, "The row's id on that sheet (supplier_id, option_id, refinery_id, stream_id, "
                                    "agreement_id, country_code, mineral_id, disruption or risk name, setting "
                                    "name); blank for all.", required=False),
            Column("mineral_id", MINERAL, "Only rows of this mineral; blank for all.", required=False),
            Column("country", COUNTRY, "Only rows naming this country (Suppliers: see country_role).",
                   required=False),
            Column("country_role", CHOICE, "Suppliers: match the country as origin (mining), processing "
                                           "(refining) or either (default).", required=False,
                   choices=("origin", "processing", "either")),
            Column("first_year", YEAR, "Sheets with a year column: first year selected (blank: the first).",
                   required=False),
            Column("last_year", YEAR, "Last year selected (blank: the last).", required=False),
            Column("cites_source", SOURCE, "Only rows citing this Sources row (all prices of source X).",
                   required=False),
            Column("operation", CHOICE, "scale (default): low and high multiply the figures; add: they are added; "
                                        "set: they replace them.", required=False, choices=("scale", "add", "set")),
            Column("low", NUMBER, "Low end of the range (a factor, an amount or a value, by operation).",
                   minimum=None),
            Column("high", NUMBER, "High end of the range; at least low.", minimum=None),
            SOURCE_COL,
        ),
        optional=True,
        study=True,
    ),
    Sheet(
        "Sources",
        "Where every figure comes from. Rows marked estimate are approximations a planner should replace.",
        (
            Column("source_id", ID, "Short id that data rows cite in their source_id column."),
            Column("figures", TEXT, "Which figures this source backs."),
            Column("source", TEXT, "Publication, publisher and date."),
            Column("estimate", YESNO, "yes: an estimate or our own approximation, not an official figure.",
                   choices=YES_NO),
            Column("note", TEXT, "How the figure was derived.", required=False),
        ),
        key=("source_id",),
    ),
)

SHEET_BY_NAME = {s.name: s for s in SHEETS}
# The first fact on the Run sheet of every report the planner writes (planner.reports.runinfo): a workbook holding
# it is a report, given where its input belongs.
RUN_INPUT_FACT = "input_workbook"
STUDY_SHEETS = tuple(s.name for s in SHEETS if s.study)
SETTING_BY_NAME = {s.name: s for s in SETTINGS}
# Settings of earlier versions, and what replaced them (for the message that meets an old workbook).
RENAMED_SETTINGS = {"base_year": "first_year (the first decision year) and price_year (the year prices are "
                                 "quoted in)"}
# Policy columns that hold limits, in report order.
POLICY_LIMITS = ("china_cap_share", "single_country_cap_share", "mining_country_cap_share",
                 "refining_country_cap_share", "risk_cap", "recycling_min_share",
                 "stockpile_min_days", "ira_min_share")


# What each unit of the tables above means; a unit such as USD/t/yr is made of these.
UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("t", "tonnes of the mineral's traded form (Minerals traded_form)"),
    ("USD", "US dollars at Settings price_year's prices"),
    ("share", "a fraction, 0.5 = 50% (shown as a percentage)"),
    ("shares", "several shares separated by ';'"),
    ("0-1", "a score from 0 to 1, not a fraction of anything"),
    ("x", "a multiplier, 1 = unchanged"),
    ("weight", "a relative weight (the weights are divided by their sum)"),
    ("-", "a pure number"),
    ("yr", "years"), ("year", "a calendar year"), ("days", "days"), ("month", "a month"), ("s", "seconds"),
    ("unit", "one unit of a recycling stream (Streams unit)"), ("units", "units of a recycling stream"),
    ("modules", "whole modules"), ("ISO3", "an ISO 3166 alpha-3 country code"), ("yes/no", "yes or no"),
)


def units_text() -> str:
    """The units of the workbook in words, for the README reference and the About sheet."""
    return "Units: " + "; ".join(f"{u} = {words}" for u, words in UNIT_WORDS) + \
        ". A unit such as USD/t/yr combines them (US dollars per tonne per year)."


def reference_markdown() -> str:
    """The workbook reference for the README, generated from the tables above: every column's and
    setting's range is the one the reader enforces (``bounds``)."""
    out = [units_text(), ""]
    for sheet in SHEETS:
        out += [f"### {sheet.name}", "", sheet.description, ""]
        if sheet.name == "Settings":
            out += ["| setting | unit | default | values | meaning |", "| --- | --- | --- | --- | --- |"]
            out += [f"| `{s.name}` | {s.unit} | {s.default} | {range_text(s)} | {s.description} |" for s in SETTINGS]
        else:
            out += ["| column | unit | required | values | meaning |", "| --- | --- | --- | --- | --- |"]
            out += [f"| `{c.name}` | {c.unit or c.kind} | {'yes' if c.required else 'no'} | {range_text(c)} | "
                    f"{c.description} |" for c in sheet.columns]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
