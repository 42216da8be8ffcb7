"""The default Korea 2026-2035 case, kept as reviewable CSV files in planner/workbook/defaults/.

``planner init`` and the committed inputs/korea_2030.xlsx are both written from
these tables by :func:`planner.workbook.writer.build_input_workbook`, so they cannot drift.
"""

from __future__ import annotations

import csv
from pathlib import Path

from planner.workbook import schema as S

DEFAULTS_DIR = Path(__file__).parent / "defaults"
Table = list[dict[str, object]]


def _typed(col: S.Column | S.Setting, text: str) -> object:
    """CSV text -> the value a planner would type into the cell."""
    if text == "":
        return None
    if col.kind in (S.INTEGER, S.YEAR):
        return int(text)
    if col.kind in (S.NUMBER, S.SHARE, S.RAW):
        try:
            x = float(text)
        except ValueError:  # a RAW cell holding text, e.g. a scenario's "yes"
            return text
        return int(x) if x.is_integer() and "." not in text and "e" not in text.lower() else x
    return text


def load_default_tables(folder: Path = DEFAULTS_DIR) -> dict[str, Table]:
    """Every sheet of the default case as a list of rows (column name -> value)."""
    tables: dict[str, Table] = {}
    for sheet in S.SHEETS:
        with (folder / f"{sheet.name.lower().replace(' ', '_')}.csv").open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        if sheet.name == "Settings":
            tables[sheet.name] = [
                {"name": r["name"], "value": _typed(S.SETTING_BY_NAME[r["name"]], r["value"]),
                 "source_id": r.get("source_id") or None} for r in rows
            ]
        else:
            tables[sheet.name] = [{c.name: _typed(c, r.get(c.name, "")) for c in sheet.columns} for r in rows]
    return tables
