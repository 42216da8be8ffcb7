"""Infeasible cases, diagnosed at both depths on real workbooks: the default case with one
planted conflict each, whole or cut to two of its independent models (gallium and tungsten) where
the conflict is in one of them (each mineral group is its own model, the same in the cut case:
``PlanningData.restricted_to``).  The elastic diagnosis names the Policy cells to move; HiGHS's IIS
names the smallest set of clashing cells; a conflict that only whole contracts cause is
called so."""

import re
import zipfile

import pytest
from click.testing import CliRunner

from conftest import DEFAULT_WORKBOOK, ROOT, TEST_OPTS
from corpus import set_value_xml
from factory import default_tables_for, set_policy
from models.iis import explain
from planner.cli import main
from planner.reports.labels import family_name
from planner.workbook.defaults import load_default_tables
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook
from planner.workbook.xlsx import Workbook, read_structure


# Two minerals of the default case that no plant links to another: a cut with two models, solved in
# a blink, where the whole case solves the battery group's model (the slowest) three times over.
GALLIUM_AND_TUNGSTEN = ("gallium", "tungsten")
# Graphite's model: the battery group, planned together, the same in the default case and in this cut of it
# (half the whole case's time to diagnose, where the other groups' models have nothing to add).
BATTERY_GROUP = ("lithium", "nickel", "cobalt", "manganese", "graphite")


def planted(tmp_path, edit, minerals=None):
    """The default case (or its ``minerals``) with ``edit(tables)`` applied, as a workbook; its path
    and data.  That the case is infeasible, ``solve_cli`` proves: exit 1 follows only a solve that
    ended infeasible."""
    tables = default_tables_for(*minerals) if minerals else load_default_tables()
    edit(tables)
    path = tmp_path / "planted.xlsx"
    write_input_workbook(tables, path)
    return path, read_workbook(path).data


def solve_cli(path, tmp_path):
    return refused(path, tmp_path / "out", CliRunner().invoke(main, ["solve", str(path), "-o", str(tmp_path / "out")]))


def refused(path, out, result) -> str:
    """The output of `planner solve` on ``path`` into ``out``, which must have found no plan and written none."""
    assert result.exit_code == 1, result.output
    assert "infeasible" in result.output
    assert not (out / f"{path.stem}-plan.xlsx").exists()
    return result.output


@pytest.fixture(scope="module")
def default_changed(tmp_path_factory):
    """The default case with cells changed as the README's examples change them (sheet, the row's key,
    {column: value}): its workbook, and `planner solve` on it (its output folder and result).  Each case is
    made and solved once in the module: the README's first example is test_cap_below_what_capacity_allows's
    case too, and the whole case's diagnosis is the slowest of this file.  The cells' stored numbers are changed
    in the sheet's XML, the file's other parts copied as they are (openpyxl took 0.4 s to load and save it)."""
    runs = {}

    def run(sheet, row_key, cells):
        key = (sheet, row_key, tuple(cells.items()))
        if key not in runs:
            folder = tmp_path_factory.mktemp("changed")
            workbook = folder / "changed.xlsx"
            with Workbook(DEFAULT_WORKBOOK) as book:
                rows = book.sheet(sheet).rows
            (r,) = [r for r, row in rows.items() if r > 1 and tuple(row.get(j) for j in range(1, len(row_key) + 1))
                    == row_key]
            with zipfile.ZipFile(DEFAULT_WORKBOOK) as src, zipfile.ZipFile(workbook, "w") as dst:
                part = read_structure(src).sheet_parts[sheet]
                for info in src.infolist():
                    data = src.read(info)
                    if info.filename == part:
                        for column, value in cells.items():
                            data = set_value_xml(data, f"{column}{r}", str(value).encode())
                    dst.writestr(info, data)  # compressed as it was
            runs[key] = workbook, folder / "out", CliRunner().invoke(main, ["solve", str(workbook), "-o",
                                                                             str(folder / "out")])
        return runs[key]

    return run


# graphite's 2026 China cap set to 0 (column C of its Policy row)
GRAPHITE_WITHOUT_CHINA = ("Policy", (2026, "graphite"), {"C": 0})


def row(tables, sheet, **match):
    return next(r for r in tables[sheet] if all(r[k] == v for k, v in match.items()))


def test_cap_below_what_capacity_allows(default_changed):
    """No graphite from China in 2026: Mozambican flake refined in Korea is then the only import, but
    graphite's single-country cap holds any one country to 85% of imports, and that contract, in force at
    the start, must take its minimum volume: some imports there must be, all of them Mozambican.  The IIS is
    exactly those three cells, all in 2026."""
    path, out_dir, result = default_changed(*GRAPHITE_WITHOUT_CHINA)
    d = read_workbook(path).data
    assert d.limit("china_cap_share", "graphite", 2026) == 0
    report = explain(d, TEST_OPTS)
    assert not report.lp_feasible and report.found
    cap_cell = d.cell("Policy", ("graphite", 2026), "china_cap_share")
    assert {c.cell for c in report.conflicts} == {
        cap_cell, d.cell("Policy", ("graphite", 2026), "single_country_cap_share"),
        d.cell("Suppliers", "gr_moz_kor", "min_volume_t_per_yr")}
    assert all(c.years == (2026,) for c in report.conflicts)
    # A Policy limit comes as its family, mineral and country, for the reports to word in their language.
    assert [(c.what, c.family, c.mineral_id, c.country) for c in report.conflicts[:2]] == [
        ("", "china_cap", "graphite", ""), ("", "single_country_cap", "graphite", "MOZ")]
    out = refused(path, out_dir, result)
    assert f"{cap_cell} China cap, graphite 2026: is 0%, must be at least" in out  # first depth
    assert "smallest conflicting set" in out and f"{cap_cell} China cap, graphite: 0% (2026)" in out
    assert f"{report.conflicts[1].cell} single-country cap on MOZ, graphite: 90% (2026)" in out


def test_recycling_target_above_feedstock(tmp_path):
    """Tungsten scrap in 2030 cut to 100 t: the recycling minimum of tungsten's Policy row (10.5%) needs
    far more, though modules could be built.  The IIS is the two cells."""
    def edit(t):
        row(t, "Feedstock", mineral_id="tungsten", year=2030)["feedstock_t"] = 100

    path, d = planted(tmp_path, edit, GALLIUM_AND_TUNGSTEN)
    report = explain(d, TEST_OPTS)
    policy_cell = d.cell("Policy", ("tungsten", 2030), "recycling_min_share")
    feed_cell = d.cell("Feedstock", ("tungsten", 2030), "feedstock_t")
    share = d.limit("recycling_min_share", "tungsten", 2030)
    assert share == 0.105
    assert [(c.cell, c.value) for c in report.conflicts] == [(policy_cell, share), (feed_cell, 100)]
    assert report.iis_rows == 2  # plus non-negativity of recycled tonnes, which no cell holds
    # Both depths name the limit in the label catalogue's words (the IIS kept its own, 'recycling minimum
    # share'), in either language.
    assert family_name(report.conflicts[0].family, "ko") == "재자원화 비중 하한"
    out = solve_cli(path, tmp_path)
    assert f"{policy_cell} recycling minimum, tungsten 2030: is 10.5%, must be at most" in out
    assert f"{policy_cell} recycling minimum, tungsten: 10.5% (2030)" in out
    assert f"{feed_cell} recycling feedstock, tungsten: 100 t (2030)" in out


def test_minimum_volume_above_demand_is_an_integer_conflict(tmp_path):
    """Japan's gallium contract must take at least 100 t a year, more than demand (39-60 t)
    plus stock room, so it can never be signed; without it Canada and Kazakhstan (8-16 t)
    cannot keep China under its cap.  A fractional contract could, so the LP
    relaxation is feasible: the diagnosis says so and names the minimum volume first."""
    def edit(t):
        jp = row(t, "Suppliers", supplier_id="ga_jpn_jpn")
        jp["capacity_t_per_yr"], jp["min_volume_t_per_yr"] = 100, 100

    path, d = planted(tmp_path, edit, GALLIUM_AND_TUNGSTEN)
    report = explain(d, TEST_OPTS, minerals=["gallium"])
    assert report.lp_feasible
    first = report.conflicts[0]
    assert first.cell == d.cell("Suppliers", "ga_jpn_jpn", "min_volume_t_per_yr") and first.value == 100
    assert "above the smallest yearly demand" in first.what
    out = solve_cli(path, tmp_path)
    assert "can all be met with fractional contracts and recycling modules, but not with whole ones" in out
    assert f"{first.cell} minimum volume of supplier ga_jpn_jpn" in out


def test_a_mineral_without_a_stockpile_row_is_diagnosed_not_crashed(tmp_path):
    """The Policy asks for stockpile days of graphite, whose Stockpile row was deleted: no stock, so
    infeasible; both depths name cells (the Stockpile sheet as the missing row's place)."""
    def without_graphite_stock(tables):
        for sheet in ("Stockpile", "Agreements"):
            tables[sheet] = [r for r in tables[sheet] if r["mineral_id"] != "graphite"]

    path, _ = planted(tmp_path, without_graphite_stock, BATTERY_GROUP)
    out = solve_cli(path, tmp_path)
    assert "a row for graphite: the Policy sheet asks for stockpile days" in out
    assert "stockpile minimum, graphite" in out and "smallest conflicting set" in out
    assert "'Stockpile' largest stock, graphite: 0 t" in out
    assert "Traceback" not in out and "internal error" not in out


@pytest.mark.parametrize("opening, sheet, row_key, cells", [
    # graphite's 2026 China cap set to 0: the limits to move, then the smallest conflicting set
    ("infeasible: ", *GRAPHITE_WITHOUT_CHINA),
    # Japan's gallium contract at 100 t a year, capacity and minimum volume: only whole contracts conflict
    ("the limits can all be met with fractional", "Suppliers", ("ga_jpn_jpn",), {"F": 100, "J": 100}),
])
def test_the_readmes_infeasible_examples_are_what_the_default_case_prints(opening, sheet, row_key, cells,
                                                                          default_changed):
    """The README's examples of exit 1 are the messages the default case gives today with the cells its text
    names changed (the first named 'Policy'!C12 and an IIS of six cells of an older case, the second a
    demand of 39 t and minimum volumes of 1.6 t)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```\n(.*?)```", readme, flags=re.S) if b.startswith(opening))
    _, _, result = default_changed(sheet, row_key, cells)
    assert result.exit_code == 1
    assert example in result.output


def test_the_initial_stock_in_a_conflict_says_how_it_reaches_a_later_year(tmp_path):
    """Gallium must hold 3,000 days of stock at the end of 2027 (its maximum stock lifted): what it holds then
    is the initial stock carried through 2026 and 2027 plus what capacity is left over after demand.  The
    initial stock's cell comes with those two years of the stock balance, and its words say so (they read
    'initial stock, gallium (2026, 2027)', as if the stock were the years' own figure)."""
    def edit(tables):
        row(tables, "Stockpile", mineral_id="gallium")["max_stock_t"] = 10_000
        set_policy(tables, 2027, "gallium", stockpile_min_days=3000)

    _path, d = planted(tmp_path, edit, GALLIUM_AND_TUNGSTEN)
    report = explain(d, TEST_OPTS)
    assert not report.lp_feasible and report.found
    stock = next(c for c in report.conflicts if c.column == "initial_stock_t")
    assert stock.cell == d.cell("Stockpile", "gallium", "initial_stock_t") and stock.years == (2026, 2027)
    assert stock.what == "initial stock, gallium (carried by the stock balance into the years shown)"


def test_a_diagnosis_the_time_limit_cut_short_names_no_limits_and_says_so(tmp_path, capsys):
    """A time limit that lets HiGHS prove the case infeasible (in presolve) but ends the elastic model early
    left moves far from the smallest (dozens of Demand and Policy cells of graphite, 'checked') or none ('the
    conflict is in the data itself'): each study reported them as what must move.  Now no limit is named,
    and the message says the time limit ended the diagnosis; with time, the one cell that must move."""
    import dataclasses

    from models.solve import diagnose
    from planner.cli import _explain_infeasible
    from planner.reports.compare_report import narrative
    from planner.reports.labels import reason
    from planner.studies.compare import BASE, Case, solve_case_verified
    from planner.studies.sweep import PARAMETERS, run_sweep

    def edit(t):
        t["Disruptions"] = t["Disruption risks"] = []
        set_policy(t, 2026, "graphite", china_cap_share=0.0)

    _path, d = planted(tmp_path, edit, ["graphite"])
    cut = dataclasses.replace(TEST_OPTS, time_limit_s=1e-9)
    short = diagnose(d, cut)
    assert short.plan.stats.termination == "maxTimeLimit"

    result = solve_case_verified(Case(BASE, "", d), cut)
    assert result.status == "infeasible" and result.relaxations == []
    assert reason(result.why) == ("infeasible; the time limit of 1e-09 s ended the diagnosis before it found which "
                                  "limits must move; raise --time-limit or the Settings time_limit_s to have them")
    assert reason(result.why, "ko").startswith("실행 불가; 시간 제한 1e-09초 안에 진단이 끝나지 않아")
    points, stopped, _ = run_sweep(d, PARAMETERS["china-cap"], [0.0], [("graphite", 2026)], cut)
    assert not stopped and points[0].status == "infeasible" and points[0].relaxations == []
    assert points[0].why == result.why
    # The reports word it in their language (a Korean compare said it in English).
    story = narrative(result, result, "ko")
    assert "진단이 끝나지 않아" in story and "time limit" not in story, story

    _explain_infeasible(d, cut, short)
    said = capsys.readouterr().err
    assert said.startswith("infeasible; the time limit of 1e-09 s ended the diagnosis before it found which limits "
                           "must move"), said
    assert "Make all of these changes" not in said and "conflict is in the data" not in said
    assert "smallest conflicting set" in said  # the IIS still names the clashing cells

    found = solve_case_verified(Case(BASE, "", d), TEST_OPTS).relaxations
    assert [(r.family, r.year, round(r.needed, 3)) for r in found] == [("china_cap", 2026, 0.756)]
