"""The results workbook: its contract (sheets, columns), its numbers, and safe writing."""

import zipfile

import pytest
from openpyxl import load_workbook

from factory import PolicyLimits, StockpileRule, case, supplier
from models.solve import solve_case
from planner.errors import OutputError
from planner.files import atomic_write
from planner.results import write_plan_workbook
from planner.verify import verify
from render import soffice_binary, xlsx_to_pdf

CONTRACT = {
    "Supply": ["year", "mineral", "supplier", "origin_country", "processing_country", "tonnes", "cost_usd"],
    "Policy": ["year", "mineral", "china_share", "china_cap", "top_country", "top_country_share",
               "single_country_cap", "avg_risk", "risk_cap", "recycling_share", "recycling_min", "stockpile_days",
               "stockpile_min", "china_cap_usd_per_point", "single_country_cap_usd_per_point",
               "risk_cap_usd_per_point", "recycling_min_usd_per_point", "stockpile_min_usd_per_point"],
}


@pytest.fixture
def solved(opts):
    d = case([supplier("cn", "CHN", 100, 80, end=2025), supplier("cl", "CHL", 120, 30, end=2025),
              supplier("au", "AUS", 150, 80, end=2025)], 100, years=(2024, 2025),
             policy=PolicyLimits(china_cap_share=0.5, stockpile_min_days=10),
             stockpile=[StockpileRule("li", 0, 2, 1, 100)])
    plan = solve_case(d, opts)
    return d, plan, verify(d, plan)


def _write(tmp_path, solved, name="case-plan.xlsx", protected=()):
    d, plan, ev = solved
    return write_plan_workbook(tmp_path / name, d, plan, ev, [("input_sha256", "x")], "case.xlsx", protected)


def _table(ws):
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_plan_workbook_sheets_columns_and_numbers(tmp_path, solved):
    d, plan, ev = solved
    wb = load_workbook(_write(tmp_path, solved))
    assert {"Summary", "Supply", "Policy", "Recycling", "Stockpile", "Agreements", "Run", "Charts"} <= set(
        wb.sheetnames)
    for sheet, cols in CONTRACT.items():
        header = [c.value for c in wb[sheet][1]]
        assert set(cols) <= set(header), set(cols) - set(header)
    supply = _table(wb["Supply"])
    assert sum(r["tonnes"] for r in supply if r["year"] == 2024) == pytest.approx(
        ev.indicators["li", 2024].imports_t)
    assert sum(r["cost_usd"] for r in supply) == pytest.approx(ev.costs_usd["purchases"])  # no discounting
    policy = {(r["mineral"], r["year"]): r for r in _table(wb["Policy"])}
    assert policy["li", 2024]["china_share"] == pytest.approx(0.5)
    assert policy["li", 2024]["china_cap"] == 0.5
    assert policy["li", 2024]["china_cap_usd_per_point"] > 0
    assert policy["li", 2024]["risk_cap_usd_per_point"] is None  # not applied
    assert wb["Policy"]["C2"].number_format == "0.0%"
    assert len(wb["Charts"]._charts) == 2  # China share per mineral (1) and the country mix


def test_existing_output_survives_a_failed_write(tmp_path, solved):
    target = _write(tmp_path, solved)
    before = target.read_bytes()

    def crash(path):
        path.write_bytes(b"partial")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, crash)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left behind


def test_never_writes_over_the_input(tmp_path, solved):
    source = tmp_path / "case.xlsx"
    source.write_bytes(b"the planner's input")
    with pytest.raises(OutputError, match="input workbook"):
        _write(tmp_path, solved, name="case.xlsx", protected=[source])
    assert source.read_bytes() == b"the planner's input"


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_plan(tmp_path, solved):
    path = _write(tmp_path, solved)
    assert xlsx_to_pdf(path, tmp_path).stat().st_size > 1000


def test_input_text_is_never_written_as_a_formula(tmp_path, opts):
    """A supplier id like =HYPERLINK(...) must reach the results as that literal text."""
    evil = '=HYPERLINK("http://example.com","x")'
    d = case([supplier(evil, "AUS", 100, 200)], 50)
    plan = solve_case(d, opts)
    path = write_plan_workbook(tmp_path / "p.xlsx", d, plan, verify(d, plan), [("note", "@SUM(A1)")], "c.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    supply = _table(load_workbook(path)["Supply"])
    assert supply[0]["supplier"] == evil


def test_verifier_rejects_a_corrupted_plan(solved):
    """Independent of the model: push 10 t more through the China option and the
    verifier must name the capacity-free violations it causes (China cap, balance)."""
    from planner.verify import evaluate

    d, plan, _ = solved
    plan.buy_t["cn", 2024] += 10
    violations = evaluate(d, plan).violations
    assert any(v.startswith("China cap li 2024") for v in violations)
    assert any(v.startswith("demand balance li 2024") for v in violations)
    assert any(v.startswith("objective") for v in violations)
