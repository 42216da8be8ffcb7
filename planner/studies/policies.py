"""The price of security policy by policy: what the workbook's Policy limits cost together, each
alone, and each added last (``planner compare --policies``).

A policy family is one column of the Policy sheet (``models.dataset.PolicyLimits``: the China cap,
the single-country cap, the risk cap, the recycling and stockpile minimums, the IRA share, the
stage caps).  Lifting a family blanks it in every mineral and year, as if the workbook left it
empty.  With C(S) the least cost when only the families S are kept and P the families the workbook
sets, the study solves (``planner.studies.compare``: in parallel, every plan verified, an
infeasible case diagnosed) C(P) (the base), C(∅) ("no policy"), and for each f in P, C({f})
(f alone) and C(P ∖ {f}) (all but f), and prices:

    strategy  = C(P) − C(∅)            what the strategy costs against no policy
    alone_f   = C({f}) − C(∅)          what f costs on its own (its stand-alone price)
    last_f    = C(P) − C(P ∖ {f})      what f adds once every other family holds (added last)

Families overlap (a 40% single-country cap is a 40% cap on China too; a recycling minimum
lowers the imports a China cap shares out), so neither the prices alone nor the prices last add
up to the strategy's: a family that costs much alone and nothing last is one the others already
enforce.  Each C comes from a plan with a proven bound, so each price is a ``Range``: a price
whose range holds 0 (a difference smaller than the two plans' proven gaps) is not significant.

The brief (``planner.studies.brief``) builds its cases from the same pieces: the columns set, a case
with some lifted, the strategy's target year and a plan's cost range.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from models.dataset import PlanningData, PolicyLimits
from planner.studies.compare import BASE, Case, CaseResult, proven_gap_usd
from planner.studies.resilience import Range
from planner.workbook.scenarios import NO_POLICY

POLICY_COLUMNS = [f.name for f in dataclasses.fields(PolicyLimits)]  # in the Policy sheet's order
# A cost difference this small (relative) is round-off of sums of billions, whatever the gaps.
ROUND_OFF = 1e-9


def columns_set(d: PlanningData) -> list[str]:
    """The Policy columns the workbook sets: a value in force for some mineral and year (a limit that
    cannot bind a mineral, ``PlanningData.limit_applies``, does not count)."""
    return [c for c in POLICY_COLUMNS if any(d.limit(c, m, y) is not None for m in d.minerals for y in d.years)]


def lift(d: PlanningData, *columns: str) -> PlanningData:
    """The case with these Policy columns blank in every mineral and year."""
    for c in columns:
        d = d.with_limit(c, None, list(d.policy))
    return d


def taking_the_row(d: PlanningData, column: str, year: int) -> list[str] | None:
    """The minerals whose ``column`` in ``year`` is the all-minerals Policy row's (no row of their own there);
    None without such a row."""
    row = d.cells.get(("Policy", (None, year), column))
    return None if row is None else [m for m in d.minerals if d.cell("Policy", (m, year), column) == row]


def strategy_limit(d: PlanningData, column: str, year: int) -> float | None:
    """The strategy's limit in ``year``: its all-minerals row of the Policy sheet, as the minerals that take
    it have it (None when every mineral sets its own, where the data cannot meet the strategy); without
    such a row, the limit most minerals have."""
    taking = taking_the_row(d, column, year)
    values = [d.limit(column, m, year) for m in (d.minerals if taking is None else taking)]
    values = [v for v in values if v is not None]
    return max(sorted(set(values)), key=values.count) if values else None


def target_year(d: PlanningData) -> int:
    """The year the strategy's Policy path reaches the limits it then keeps (2030 in the default case), or
    the last year when they change to the end."""
    years = list(d.years)
    path = {y: [strategy_limit(d, c, y) for c in POLICY_COLUMNS] for y in years}
    return next(y for i, y in enumerate(years) if all(path[yy] == path[y] for yy in years[i:]))


def cost_range(r: CaseResult) -> Range:
    """A plan's verified cost, and as low as the best plan could be (HiGHS's bound), widened by round-off."""
    cost = r.evaluation.total_usd
    eps = ROUND_OFF * abs(cost)
    return Range(cost, cost - proven_gap_usd(r.plan) - eps, cost + eps)


def case_name(kept: frozenset[str], families: list[str]) -> str:
    """A case's name from the families it keeps: base, no_policy, '<f> alone' or 'all but <f>'
    (with two families, f alone is all but the other, and is named for the first)."""
    if kept == frozenset(families):
        return BASE
    if not kept:
        return NO_POLICY
    if len(kept) == 1:
        return f"{next(iter(kept))} alone"
    missing, = set(families) - kept
    return f"all but {missing}"


def _description(kept: frozenset[str], families: list[str]) -> str:
    if kept == frozenset(families):
        return "The workbook as it is: every Policy limit in force."
    if not kept:
        return "Every Policy limit lifted (blank in every mineral and year)."
    lifted = [f for f in families if f not in kept]
    return f"Kept: {', '.join(f for f in families if f in kept)}; lifted: {', '.join(lifted)}."


def policy_cases(d: PlanningData) -> list[Case]:
    """The cases of the study, the base first, then no policy, each family alone and all but each;
    a set of kept families is solved once whatever it is called (one family: base and no policy)."""
    families = columns_set(d)
    full = frozenset(families)
    kept_sets = [full, frozenset()] + [frozenset({f}) for f in families] + [full - {f} for f in families]
    cases: dict[frozenset[str], Case] = {}
    for kept in kept_sets:
        if kept not in cases:
            cases[kept] = Case(case_name(kept, families), _description(kept, families),
                               lift(d, *(f for f in families if f not in kept)))
    return list(cases.values())


@dataclass(frozen=True)
class Price:
    """What a set of policies costs: the difference of two plans' costs (present value), its proven
    range, and its split by mineral (the verified costs' difference; its significance is the total's)."""

    usd: Range
    by_mineral_usd: dict[str, float]

    @property
    def significant(self) -> bool:
        return self.usd.significant


@dataclass
class PolicyPrices:
    """The study's figures; a price is None when one of its two cases has no verified plan."""

    families: list[str]  # the families the workbook sets, in Policy column order
    strategy: Price | None  # base − no policy
    alone: dict[str, Price | None]  # family -> f alone − no policy
    last: dict[str, Price | None]  # family -> base − all but f
    years: list[int]  # the years of the China shares: the strategy's target year and the last
    # (mineral, year) -> China share on Settings reliance_basis (no policy, base); None without a plan.
    china_share: dict[tuple[str, int], tuple[float | None, float | None]]


def _price(more: CaseResult | None, less: CaseResult | None) -> Price | None:
    """C(more) − C(less), or None if either has no verified plan."""
    if more is None or less is None or not more.ok or not less.ok:
        return None
    a, b = more.evaluation.costs_by_mineral_usd, less.evaluation.costs_by_mineral_usd
    return Price(cost_range(more) - cost_range(less), {m: a[m] - b.get(m, 0.0) for m in a})


def policy_prices(d: PlanningData, results: list[CaseResult]) -> PolicyPrices:
    """The prices of the strategy and of each family, from the study's results (some may be
    missing: a run stopped early)."""
    families = columns_set(d)
    full = frozenset(families)
    done = {r.case.name: r for r in results}

    def result(kept: frozenset[str]) -> CaseResult | None:
        return done.get(case_name(kept, families))

    base, none = result(full), result(frozenset())
    years = sorted({target_year(d), d.settings.last_year})

    def share(r: CaseResult | None, m: str, y: int) -> float | None:
        return r.evaluation.indicators[m, y].china_share if r is not None and r.ok else None

    return PolicyPrices(
        families=families, strategy=_price(base, none),
        alone={f: _price(result(frozenset({f})), none) for f in families},
        last={f: _price(base, result(full - {f})) for f in families},
        years=years, china_share={(m, y): (share(none, m, y), share(base, m, y)) for m in d.minerals for y in years})
