"""Sparse index sets and lookups built once from the dataset.

Constraint rules look things up here instead of looping over all suppliers,
so building the model is linear in the size of the data (a slow Pyomo build
almost always comes from a full scan inside a rule).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from models.dataset import CHINA_POOL, MINING, REFINING, PlanningData


@dataclass
class Index:
    minerals: list[str]
    years: list[int]
    my: list[tuple[str, int]]  # every (mineral, year)
    sy: list[tuple[str, int]]  # (supplier, year) where a usable option is available
    supplier_years: dict[str, list[int]]
    mineral_of: dict[str, str]  # supplier or recycling option or agreement -> mineral
    buy_by_my: dict[tuple[str, int], list[str]]  # suppliers delivering (m, y)
    pool_by_my: dict[tuple[str, str, int], list[str]]  # (m, pool, y) -> suppliers whose tonnes join that pool
    country_by_my: dict[tuple[str, str, int], list[str]]  # (m, country, y) -> suppliers touching it
    # stage -> (m, country, y) -> suppliers mined (MINING) or refined (REFINING) there
    stage_country_by_my: dict[str, dict[tuple[str, str, int], list[str]]]
    ira_by_my: dict[tuple[str, int], list[str]]
    ry: list[tuple[str, int]]  # (recycling option, year)
    rec_by_m: dict[str, list[str]]
    own_rec_by_m: dict[str, list[str]]  # the options with modules of their own (fed by the Feedstock sheet)
    oy: list[tuple[str, int]]  # (module owner: own recycling option, stream plant or refinery, year)
    plants_of_stream: dict[str, list[str]]
    feed_by_ky: dict[tuple[str, int], list[str]]  # (refinery, year) -> the supply options feeding it
    ay: list[tuple[str, int]]  # (agreement, year) from its first year
    agr_by_my: dict[tuple[str, int], list[str]]
    china_exposed: list[str] = field(default_factory=list)  # minerals with China-linked supply or stock

    @cached_property
    def sy_set(self) -> set[tuple[str, int]]:
        return set(self.sy)

    @cached_property
    def ay_set(self) -> set[tuple[str, int]]:
        return set(self.ay)


def build_index(d: PlanningData) -> Index:
    years = list(d.years)
    minerals = list(d.minerals)
    sy, supplier_years = [], {}
    mineral_of: dict[str, str] = {}
    buy_by_my: dict = defaultdict(list)
    pool_by_my: dict = defaultdict(list)
    country_by_my: dict = defaultdict(list)
    stage_country_by_my: dict = {MINING: defaultdict(list), REFINING: defaultdict(list)}
    ira_by_my: dict = defaultdict(list)
    for m in minerals:
        for s in d.usable_suppliers[m]:
            ys = [y for y in years if s.available(y)]
            supplier_years[s.supplier_id] = ys
            mineral_of[s.supplier_id] = m
            compliant = d.ira_compliant(s)
            for y in ys:
                sy.append((s.supplier_id, y))
                buy_by_my[m, y].append(s.supplier_id)
                pool_by_my[m, s.pool, y].append(s.supplier_id)
                for c in sorted(s.countries):
                    country_by_my[m, c, y].append(s.supplier_id)
                stage_country_by_my[MINING][m, s.origin_country, y].append(s.supplier_id)
                stage_country_by_my[REFINING][m, s.processing_country, y].append(s.supplier_id)
                if compliant:
                    ira_by_my[m, y].append(s.supplier_id)
    rec_by_m = {m: [r.option_id for r in d.recycling_by_mineral[m]] for m in minerals}
    own_rec_by_m = {m: [r.option_id for r in d.recycling_by_mineral[m] if r.plant_id is None] for m in minerals}
    for r in d.recycling.values():
        mineral_of[r.option_id] = r.mineral_id
    plants_of_stream: dict = defaultdict(list)
    for p in d.recycling_plants.values():
        plants_of_stream[p.stream_id].append(p.plant_id)
        outputs = d.owner_minerals(p.plant_id)
        mineral_of[p.plant_id] = outputs[0] if outputs else p.plant_id
    feed_by_ky: dict = defaultdict(list)
    for k in d.refineries.values():
        mineral_of[k.refinery_id] = k.mineral_id
    for s_id, y in sy:
        ref = d.suppliers[s_id].refinery_id
        if ref is not None:
            feed_by_ky[ref, y].append(s_id)
    ay, agr_by_my = [], defaultdict(list)
    for a in d.agreements.values():
        mineral_of[a.agreement_id] = a.mineral_id
        for y in years:
            if y >= a.first_year:
                ay.append((a.agreement_id, y))
                agr_by_my[a.mineral_id, y].append(a.agreement_id)
    china_exposed = [m for m in minerals if any(pool_by_my.get((m, CHINA_POOL, y)) for y in years)
                     or (m in d.stockpile and d.stockpile[m].initial_t(CHINA_POOL) > 0)]
    return Index(
        minerals=minerals, years=years, my=[(m, y) for m in minerals for y in years], sy=sy,
        supplier_years=supplier_years, mineral_of=mineral_of, buy_by_my=buy_by_my, pool_by_my=pool_by_my,
        country_by_my=country_by_my, stage_country_by_my=stage_country_by_my, ira_by_my=ira_by_my,
        ry=[(r, y) for r in d.recycling for y in years], rec_by_m=rec_by_m, own_rec_by_m=own_rec_by_m,
        oy=[(k, y) for k in d.module_owners for y in years], plants_of_stream=dict(plants_of_stream),
        feed_by_ky=dict(feed_by_ky), ay=ay, agr_by_my=agr_by_my,
        china_exposed=china_exposed,
    )
