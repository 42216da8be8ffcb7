"""Disruption scenarios sampled from the Disruption risks sheet (``planner ... --sample N --seed S``).

A sample is one draw of every risk over the horizon.  For each risk r and each year y from its
first year to T, a stop starts at the beginning of y with probability q_r (the risk's
annual_probability), independently of other years and other risks; rows of one risk stop
together.  A stop lasts D days, D ~ Uniform[duration_min_days, duration_max_days], and takes
share l_{r,s} of option s's planned tonnes in each year it covers, in proportion to the part of
the year covered (as the Disruptions sheet does).  Where stops overlap on an option their
shares combine as independent losses, 1 - Π(1 - l).  The spot multiplier of a mineral is the
highest typed multiplier of the stops hitting it, or the one the shares of world supply they
remove set together, 1 - Π(1 - R) (``PlanningData.derived_multiplier``), if higher.  Agreement partners named by any stop of the sample are hit
throughout the sample (conservative: the model takes one set of partners hit per scenario).

The N samples are equally likely (sample average approximation).  Samples in which nothing
stops are the calm outcome: they are not scenarios of the model, their weight is the
1 - Σ p_ω that ``models.disruption`` gives to no disruption.  With ``mix`` the Disruptions
sheet's hand-written events keep their probabilities and the samples share the rest: either one
of those named events happens, or the world of the risks sheet.

Draws come from numpy's PCG64 seeded with S: the same workbook, N and S give the same scenarios
on any machine.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from models.dataset import DAYS_PER_YEAR, SAMPLED, CountryStop, DisruptionRisk, DisruptionScenario, PlanningData



def sample_disruptions(d: PlanningData, n: int, seed: int, mix: bool = False) -> PlanningData:
    """``d`` with its disruptions replaced by ``n`` samples of its risks (see the module docstring)."""
    named = d.disruptions if mix else ()
    weight = max(0.0, 1.0 - sum(sc.probability for sc in named)) / n
    rng = np.random.Generator(np.random.PCG64(seed))
    years = list(d.years)
    sampled = []
    for k in range(n):
        draw = _Draw()
        draws = []
        for risk in d.disruption_risks:
            # Drawn for every year, used or not: a sample depends on the seed and its position
            # only, so the first k samples of N are the k samples of --sample k.
            starts = rng.random(len(years)) < risk.annual_probability
            days = rng.uniform(risk.duration_min_days, risk.duration_max_days, len(years))
            for year, start, length in zip(years, starts, days):
                if start and year >= risk.first_year:
                    draws.append((risk.name, year, float(length)))
                    draw.stop(risk, year, length, years[-1])
        if draw.loss:
            event = " & ".join(f"{risk}@{year}+{length:.0f}d" for risk, year, length in draws)
            sampled.append(DisruptionScenario(f"{SAMPLED}{k + 1:0{len(str(n))}d}", event, weight,
                                              draw.loss, draw.spot_multiplier(d), frozenset(draw.partners),
                                              f"--sample {n} --seed {seed}", draw.days, draw.onset,
                                              tuple(draw.stops), draws=tuple(draws)))
    return dataclasses.replace(d, disruptions=tuple(named) + tuple(sampled))


@dataclasses.dataclass
class _Draw:
    """The stops of one sample, combined."""

    loss: dict[tuple[str, int], float] = dataclasses.field(default_factory=dict)
    typed: dict[tuple[str, int], float] = dataclasses.field(default_factory=dict)  # typed spot multipliers
    kept: dict[tuple[str, int], float] = dataclasses.field(default_factory=dict)  # Π (1 - world share lost)
    days: dict[tuple[str, int], float] = dataclasses.field(default_factory=dict)
    onset: dict[tuple[str, int], float] = dataclasses.field(default_factory=dict)
    partners: set[str] = dataclasses.field(default_factory=set)
    stops: list[CountryStop] = dataclasses.field(default_factory=list)  # by country, for other importers

    def stop(self, risk: DisruptionRisk, year: int, days: float, last: int) -> None:
        """Add one stop of ``risk`` from the start of ``year`` for ``days``."""
        length = days / DAYS_PER_YEAR
        for k in range(math.ceil(length)):
            y = year + k
            if y > last:
                break
            part = min(1.0, length - k)  # a part year loses that part of its tonnes
            for s, share in risk.share_lost.items():
                self.loss[s, y] = 1.0 - (1.0 - self.loss.get((s, y), 0.0)) * (1.0 - share * part)
                # Every stop runs from the start of the year: the option is stopped for the longest of
                # them, and release lead times count from the one that has run longest (whichever of
                # them was drawn first).
                self.onset[s, y] = max(self.onset.get((s, y), 0.0), k * DAYS_PER_YEAR)
                self.days[s, y] = max(self.days.get((s, y), 0.0), part * DAYS_PER_YEAR)
            for m, x in risk.spot_multiplier.items():
                self.typed[m, y] = max(self.typed.get((m, y), 1.0), x)
            for m, lost in risk.world_lost.items():
                self.kept[m, y] = self.kept.get((m, y), 1.0) * (1.0 - lost)
            self.stops += [dataclasses.replace(row, year=y, share_lost=row.share_lost * part, days=part * DAYS_PER_YEAR,
                                               onset=k * DAYS_PER_YEAR) for row in risk.stops]
        self.partners |= risk.partners_hit

    def spot_multiplier(self, d: PlanningData) -> dict[tuple[str, int], float]:
        """Per (mineral, year): the highest typed multiplier, or the one the stops' combined loss of
        world supply sets (1 - Π(1 - R)), whichever is higher."""
        out = dict(self.typed)
        for (m, y), kept in self.kept.items():
            out[m, y] = max(out.get((m, y), 1.0), d.derived_multiplier(m, 1.0 - kept))
        return {k: x for k, x in out.items() if x != 1.0}
