"""The typed planning dataset: the one object the model, the verifier and the
reports consume.  Pure data, no Excel and no Pyomo.

Field names repeat the workbook's column names (see ``planner.workbook.schema``), so a
figure means the same thing in the workbook, the code and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

CHINA = "CHN"

Mineral_ = str  # a mineral_id
Year = int
MY = tuple[str, int]  # (mineral_id, year)


@dataclass(frozen=True)
class Settings:
    base_year: int = 2024
    last_year: int = 2030
    discount_rate: float = 0.045
    currency: str = "USD"
    home_country: str = "KOR"
    min_contract_years: int = 3
    allow_unmet_demand: bool = False
    time_limit_s: float = 60.0
    mip_gap: float = 1e-4
    threads: int = 2
    price_basis: str = ""

    @property
    def years(self) -> range:
        return range(self.base_year, self.last_year + 1)

    def discount_factor(self, year: int) -> float:
        """Present-value factor of a cost paid in ``year``: 1 / (1 + r)^(year - base_year)."""
        return (1.0 + self.discount_rate) ** -(year - self.base_year)


@dataclass(frozen=True)
class Mineral:
    mineral_id: str
    name: str
    traded_form: str
    strategic: bool
    battery_mineral: bool
    shortage_penalty_usd_per_t: float


@dataclass(frozen=True)
class Country:
    country_code: str
    name: str
    political_risk: float
    sanctioned: bool
    foreign_entity_of_concern: bool
    us_fta_or_cma: bool


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

    @property
    def countries(self) -> frozenset[str]:
        """Countries this option exposes Korea to: where it is mined and where it is refined."""
        return frozenset((self.origin_country, self.processing_country))

    def price_in(self, year: int, base_year: int) -> float:
        """Price in USD/t in ``year``: price_usd_per_t * (1 + price_escalation_per_yr)^(year - base_year)."""
        return self.price_usd_per_t * (1.0 + self.price_escalation_per_yr) ** (year - base_year)

    def available(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class RecyclingOption:
    option_id: str
    mineral_id: str
    module_capacity_t_per_yr: float
    capital_cost_usd_per_module: float
    operating_cost_usd_per_t: float
    existing_modules: int
    max_modules: int
    lead_time_yr: int
    recovery_yield: float


@dataclass(frozen=True)
class StockpileRule:
    mineral_id: str
    initial_stock_t: float
    holding_cost_usd_per_t_yr: float
    purchase_premium_usd_per_t: float
    max_stock_t: float


@dataclass(frozen=True)
class Agreement:
    agreement_id: str
    kind: str
    partner_countries: tuple[str, ...]
    mineral_id: str
    fee_usd_per_yr: float
    emergency_volume_t: float
    first_year: int


@dataclass(frozen=True)
class PolicyLimits:
    """The limits in force for one mineral-year; None means not applied."""

    china_cap_share: float | None = None
    single_country_cap_share: float | None = None
    risk_cap: float | None = None
    recycling_min_share: float | None = None
    stockpile_min_days: float | None = None
    ira_min_share: float | None = None


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

    @property
    def years(self) -> range:
        return self.settings.years

    def limits(self, mineral_id: str, year: int) -> PolicyLimits:
        return self.policy.get((mineral_id, year), PolicyLimits())

    def capacity_t(self, s: Supplier, year: int) -> float:
        """Most that can be bought from ``s`` in ``year``: capacity_t_per_yr x the year's capacity factor."""
        return s.capacity_t_per_yr * self.capacity_factor.get((s.supplier_id, year), 1.0)

    def min_volume_t(self, s: Supplier, year: int) -> float:
        """The contract's minimum volume in ``year``; a capacity cut scales it too (force majeure)."""
        return s.min_volume_t_per_yr * self.capacity_factor.get((s.supplier_id, year), 1.0)

    def price_usd_per_t(self, s: Supplier, year: int) -> float:
        """Delivered price in ``year``: the escalated base price x the year's price factor."""
        return s.price_in(year, self.settings.base_year) * self.price_factor.get((s.supplier_id, year), 1.0)

    def supplier_risk(self, s: Supplier) -> float:
        """Risk of an option: the worse of its origin and processing country's scores."""
        return max(self.countries[c].political_risk for c in s.countries)

    def home_risk(self) -> float:
        home = self.countries.get(self.settings.home_country)
        return home.political_risk if home else 0.0

    def excluded(self, s: Supplier) -> bool:
        """Options the model must not use: forced off, or touching a sanctioned country."""
        return s.contract == "off" or any(self.countries[c].sanctioned for c in s.countries)

    def ira_compliant(self, s: Supplier) -> bool:
        """Mined or refined in the US or an FTA/critical-minerals partner, and no foreign
        entity of concern at either stage (US IRA 30D rules)."""
        countries = [self.countries[c] for c in s.countries]
        return any(c.us_fta_or_cma for c in countries) and not any(c.foreign_entity_of_concern for c in countries)

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
