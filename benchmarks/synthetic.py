"""Synthetic planning cases of any size, as workbook tables (the same rows a planner types).

``make_tables(minerals, suppliers_per_mineral, years, seed)`` returns tables
that ``planner.workbook.writer.write_input_workbook`` turns into a valid workbook.
The data are random but shaped like the real case: China-linked routes are
cheapest, policy limits tighten linearly toward 2030-style targets, and there
is always enough non-China capacity, recycling feedstock and stockpile room
for the targets to be feasible.
"""

from __future__ import annotations

import random

COUNTRIES = [  # code, political risk (0-1), FEOC, US FTA/CMA
    ("KOR", 0.35, "no", "yes"), ("CHN", 0.55, "yes", "no"), ("AUS", 0.15, "no", "yes"),
    ("CHL", 0.40, "no", "yes"), ("ARG", 0.45, "no", "no"), ("USA", 0.30, "no", "yes"),
    ("CAN", 0.12, "no", "yes"), ("JPN", 0.15, "no", "yes"), ("IDN", 0.65, "no", "no"),
    ("PHL", 0.80, "no", "no"), ("KAZ", 0.55, "no", "no"), ("UZB", 0.60, "no", "no"),
    ("ZAF", 0.60, "no", "no"), ("BRA", 0.65, "no", "no"), ("VNM", 0.45, "no", "no"),
    ("MYS", 0.45, "no", "no"), ("FIN", 0.10, "no", "no"), ("MNG", 0.35, "no", "no"),
]


def make_tables(minerals: int, suppliers_per_mineral: int, years: int, seed: int = 1) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    first, last = 2024, 2024 + years - 1
    span = max(years - 1, 1)
    src = "syn"
    t: dict[str, list[dict]] = {name: [] for name in (
        "Minerals", "Countries", "Suppliers", "Demand", "Recycling", "Feedstock", "Stockpile", "Agreements",
        "Policy", "Sources")}
    t["Settings"] = [{"name": "first_year", "value": first}, {"name": "last_year", "value": last},
                     {"name": "price_year", "value": first},
                     {"name": "time_limit_s", "value": 600}, {"name": "mip_gap", "value": 0.0001},
                     {"name": "price_basis", "value": "synthetic"}]
    t["Sources"] = [{"source_id": src, "figures": "all", "source": "benchmarks/synthetic.py", "estimate": "yes",
                     "note": f"random case, seed {seed}"}]
    for code, risk, feoc, fta in COUNTRIES:
        t["Countries"].append({"country_code": code, "name": code, "political_risk": risk, "sanctioned": "no",
                               "foreign_entity_of_concern": feoc, "us_fta_or_cma": fta,
                               "msp_member": fta, "fta_with_korea": fta,
                               "security_treaty": "yes" if code in ("KOR", "USA", "JPN", "AUS", "CAN") else "no",
                               "unga_agreement_share": round(1 - risk, 2),
                               "export_restrictions": "yes" if code in ("CHN", "IDN") else "no", "source_id": src})
    abroad = [c[0] for c in COUNTRIES if c[0] not in ("KOR", "CHN")]
    safe = [c[0] for c in COUNTRIES if c[1] <= 0.45 and c[0] not in ("KOR", "CHN")]
    for i in range(minerals):
        m = f"m{i:02d}"
        price = rng.uniform(2_000, 60_000)
        demand0 = rng.uniform(1_000, 80_000)
        t["Minerals"].append({"mineral_id": m, "name": f"mineral {i}", "traded_form": "synthetic", "unit": "t",
                              "strategic": "yes", "battery_mineral": "yes" if i % 3 == 0 else "no",
                              "shortage_penalty_usd_per_t": round(price * 5), "substitution_index": 1.0,
                              "source_id": src})
        peak = demand0 * 1.06 ** span
        for y in range(first, last + 1):
            t["Demand"].append({"mineral_id": m, "year": y, "demand_t": round(demand0 * 1.06 ** (y - first)),
                                "source_id": src})
            t["Feedstock"].append({"mineral_id": m, "year": y,
                                   "feedstock_t": round(demand0 * 1.06 ** (y - first) * (0.05 + 0.3 * (y - first) / span)),
                                   "source_id": src})
        n_china = max(1, round(0.35 * suppliers_per_mineral))
        for k in range(suppliers_per_mineral):
            china = k < n_china
            origin = "CHN" if china and k % 2 == 0 else rng.choice(safe if k % 3 else abroad)
            processing = "CHN" if china else rng.choice([origin, origin, rng.choice(safe)])
            cap_share = (1.6 if china else 2.2) / (n_china if china else max(suppliers_per_mineral - n_china, 1))
            capacity = round(peak * cap_share * rng.uniform(0.7, 1.3))
            starts_late = not china and rng.random() < 0.25
            t["Suppliers"].append({
                "supplier_id": f"{m}-s{k:02d}", "mineral_id": m, "name": f"option {k}",
                "origin_country": origin, "processing_country": processing, "capacity_t_per_yr": capacity,
                "price_usd_per_t": round(price * (rng.uniform(0.85, 1.0) if china else rng.uniform(1.05, 1.45))),
                "price_escalation_per_yr": rng.choice([0, 0.01, 0.02]),
                "fixed_cost_usd_per_yr": round(price * capacity * rng.choice([0, 0.005, 0.02])),
                "min_volume_t_per_yr": round(capacity * rng.choice([0, 0, 0.2])),
                "first_year": first + rng.randint(1, min(3, span)) if starts_late else first,
                "last_year": last, "contract": None, "source_id": src})
        t["Recycling"].append({"option_id": f"{m}-rec", "mineral_id": m,
                               "module_capacity_t_per_yr": round(peak * 0.04) or 1,
                               "capital_cost_usd_per_module": round(price * peak * 0.04 * 0.8),
                               "operating_cost_usd_per_t": round(price * 0.9), "existing_modules": 1,
                               "max_modules": 12, "lead_time_yr": 1, "recovery_yield": 0.9, "life_yr": 15,
                               "source_id": src})
        t["Stockpile"].append({"mineral_id": m, "initial_stock_t": round(demand0 * 54 / 365),
                               "holding_cost_usd_per_t_yr": round(price * 0.04),
                               "purchase_premium_usd_per_t": round(price * 0.02),
                               "max_stock_t": round(peak * 0.5), "source_id": src})
        if i % 3 == 0:
            t["Agreements"].append({"agreement_id": f"{m}-swap", "kind": "swap", "partner_countries": "JPN;USA",
                                    "mineral_id": m, "fee_usd_per_yr": round(price * demand0 * 0.004),
                                    "emergency_volume_t": round(demand0 * 0.05), "first_year": first,
                                    "source_id": src})
    for y in range(first, last + 1):
        f = (y - first) / span
        t["Policy"].append({"year": y, "mineral_id": None, "china_cap_share": round(0.8 - 0.3 * f, 4),
                            "single_country_cap_share": round(0.8 - 0.3 * f, 4), "risk_cap": 0.6,
                            "recycling_min_share": round(0.02 + 0.18 * f, 4),
                            "stockpile_min_days": round(54 + 46 * f, 1), "ira_min_share": None, "source_id": src})
    return t
