"""A solved plan as plain numbers: what the verifier and the reports read.

Nothing here refers to Pyomo, so a plan can be checked against the input data
by code that never saw the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Solve statuses, as reports and exit codes use them.
OPTIMAL = "optimal"  # proven within the MIP gap
FEASIBLE = "feasible"  # a plan, but the time limit stopped the proof
INFEASIBLE = "infeasible"
NO_SOLUTION = "no_solution"  # time limit or error before any plan was found


# The policy constraint families (each a Constraint ``<family>`` of the model and, in its elastic copy,
# a Var ``<family>_slack``), as a plan's shadow prices and a diagnosis's relaxations name them: the
# Policy column behind each, +1 for a cap (it must rise to become feasible) or -1 for a minimum (it
# must fall), and the limit's unit.
FAMILY_LIMIT = {
    "china_cap": ("china_cap_share", +1, "share"),
    "single_country_cap": ("single_country_cap_share", +1, "share"),
    "mining_country_cap": ("mining_country_cap_share", +1, "share"),
    "refining_country_cap": ("refining_country_cap_share", +1, "share"),
    "risk_cap": ("risk_cap", +1, "score"),
    "ira_share": ("ira_min_share", -1, "share"),
    "recycling_share": ("recycling_min_share", -1, "share"),
    "stockpile_cover": ("stockpile_min_days", -1, "days"),
}


def is_cap(family: str) -> bool:
    """A cap must rise to make a case feasible (a minimum must fall)."""
    return family in FAMILY_LIMIT and FAMILY_LIMIT[family][1] > 0


def family_limit(family: str) -> str:
    """The Policy column a shadow-price or diagnosis family limits ('demand' stays itself)."""
    return FAMILY_LIMIT[family][0] if family in FAMILY_LIMIT else family


@dataclass
class SolveStats:
    status: str
    termination: str  # the solver's own words
    objective_usd: float | None
    bound_usd: float | None
    gap: float | None
    wall_s: float
    build_s: float = 0.0
    variables: int = 0
    integer_variables: int = 0
    constraints: int = 0
    time_limit_s: float = 0.0
    mip_gap: float = 0.0
    threads: int = 0
    random_seed: int = 0
    blocks: int = 1  # HiGHS models solved (one per mineral when no constraint links minerals)
    decomposition: str = ""  # how, in words


@dataclass
class Plan:
    """Decision values of one solve.  Keys mirror the model's index sets."""

    stats: SolveStats
    buy_t: dict[tuple[str, int], float] = field(default_factory=dict)  # (supplier, year)
    contracted: dict[tuple[str, int], int] = field(default_factory=dict)
    # Contract starts that commit fixed costs past the horizon (the model's START_TAIL).
    start: dict[tuple[str, int], int] = field(default_factory=dict)
    build_modules: dict[tuple[str, int], int] = field(default_factory=dict)  # (owner, year): option, plant or refinery
    recycled_t: dict[tuple[str, int], float] = field(default_factory=dict)
    # (stream plant, year): units of its stream processed (MWh, t of magnets ...: the Streams sheet's unit).
    processed_units: dict[tuple[str, int], float] = field(default_factory=dict)
    # (mineral, pool, year), pool "china" or "other"; stock at the end of the year.
    stock_t: dict[tuple[str, str, int], float] = field(default_factory=dict)
    stock_add_t: dict[tuple[str, str, int], float] = field(default_factory=dict)
    stock_release_t: dict[tuple[str, str, int], float] = field(default_factory=dict)
    join: dict[tuple[str, int], int] = field(default_factory=dict)  # (agreement, year)
    line_t: dict[tuple[str, int], float] = field(default_factory=dict)  # (agreement, year): the line held
    unmet_t: dict[tuple[str, int], float] = field(default_factory=dict)
    # (policy family, mineral, year) -> USD of present value per point of tightening.
    shadow_usd_per_point: dict[tuple[str, str, int], float] = field(default_factory=dict)
    recourse: Recourse | None = None  # a hedged plan's second stage, or a plan stress-tested

    @property
    def has_solution(self) -> bool:
        return self.stats.status in (OPTIMAL, FEASIBLE)

    @property
    def whole_numbers(self) -> dict[str, dict[tuple, int]]:
        """The whole-number decisions by the model's variable name (contracts, their starts, modules,
        memberships): a start for a related model (``Session.solve``)."""
        return {"contracted": self.contracted, "start": self.start, "build_modules": self.build_modules,
                "join": self.join}


@dataclass
class Recourse:
    """What each disruption scenario does to the plan: its second-stage decisions, keyed as the
    model's index sets (``models.disruption``; the scenario last, the option a replacement stands
    in for first), and the value at risk of the CVaR term (None if unused)."""

    spot_t: dict[tuple[str, str, int, str], float] = field(default_factory=dict)  # (lost option, from, y, ω)
    crisis_recycled_t: dict[tuple[str, str, int, str], float] = field(default_factory=dict)  # (lost, r, y, ω)
    crisis_release_t: dict[tuple[str, str, int, str], float] = field(default_factory=dict)  # (lost, pool, y, ω)
    rebuild_t: dict[tuple[str, str, int, str], float] = field(default_factory=dict)  # (mineral, pool, y, ω)
    deficit_t: dict[tuple[str, str, int, str], float] = field(default_factory=dict)
    call_t: dict[tuple[str, str, int, str], float] = field(default_factory=dict)  # (agreement, lost, y, ω)
    give_back_t: dict[tuple[str, int, str], float] = field(default_factory=dict)  # (agreement, y, ω)
    owed_t: dict[tuple[str, int, str], float] = field(default_factory=dict)
    unmet_t: dict[tuple[str, int, str], float] = field(default_factory=dict)  # (lost option, y, ω)
    var_usd: float | None = None


@dataclass
class CoalitionPlan:
    """A coalition's own decisions (``models.coalition``), beside Korea's plan: each member's reserve, the
    joint stock, and each partner's recourse, keyed (mineral, partner, ..., year, ω)."""

    reserve_t: dict[tuple[str, str, int], float] = field(default_factory=dict)  # (mineral, member, year)
    joint_stock_t: dict[tuple[str, int], float] = field(default_factory=dict)  # (mineral, year)
    own_t: dict[tuple[str, str, int, str], float] = field(default_factory=dict)  # drawn from its own stock
    joint_t: dict[tuple[str, str, int, str], float] = field(default_factory=dict)  # drawn from the joint stock
    borrow_t: dict[tuple[str, str, str, int, str], float] = field(default_factory=dict)  # (m, i, lender, y, ω)
    spot_t: dict[tuple[str, str, int, int, str], float] = field(default_factory=dict)  # (m, i, step, y, ω)
    short_t: dict[tuple[str, str, int, int, str], float] = field(default_factory=dict)  # (m, i, step, y, ω)


@dataclass(frozen=True)
class Relaxation:
    """One limit the elastic diagnosis had to move for the case to become feasible."""

    family: str  # a FAMILY_LIMIT name, or "demand"
    mineral_id: str
    year: int
    country: str | None
    limit: float | None  # the limit in the workbook
    needed: float  # the loosest value of the limit the data can meet (same unit)
    unit: str
    cell: str  # where the limit lives, e.g. "'Policy'!C5"
    # The cell is the all-minerals row of its year: change it there and every mineral moves.
    all_minerals_row: bool = False
