"""Exact answers in seconds: each mineral solved as its own HiGHS model when no constraint links
the minerals, the whole model when one does, the same answers either way, and a diagnosis
that works when followed."""

import math
import re

import numpy as np
import pyomo.environ as pyo
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEFAULT_WORKBOOK, TEST_OPTS
from factory import PolicyLimits, RecyclingOption, StockpileRule, case, default_tables_for, set_policy, supplier
from models.plan import FAMILY_LIMIT, OPTIMAL
from models.solve import MIN_STEPS_A_COPY, Session, SolveOptions
from planner.cli import main
from planner.reports import labels as L
from planner.reports.runinfo import run_info
from planner.verify import verify
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook

YEARS = (2024, 2026)
EXAMPLES = 25


def tol(usd: float) -> float:
    """Room for HiGHS's tolerances (1e-9 relative gap, 1 USD absolute gap per block)."""
    return 1e-7 * abs(usd) + 5.0


@st.composite
def two_minerals(draw):
    """Two random minerals, each with its own suppliers, recycling, stock and limits."""
    sups, recycling, stock, policy = [], [], [], {}
    for m in ("li", "co"):
        for i in range(draw(st.integers(2, 4))):
            origin = draw(st.sampled_from(["CHN", "AUS", "CHL", "IDN"]))
            cap = draw(st.integers(20, 120))
            sups.append(supplier(f"{m}{i}", origin, draw(st.integers(50, 200)), cap, mineral=m,
                                 processing=draw(st.sampled_from([origin, "CHN"])),
                                 fixed=draw(st.sampled_from([0, 300, 2000])),
                                 min_volume=draw(st.sampled_from([0, min(cap, 15)])), end=YEARS[1]))
        recycling.append(RecyclingOption(f"r{m}", m, 15, 800, 120, 2, 5, 1, 0.9))
        stock.append(StockpileRule(m, 5, 8, 3, 200, initial_china_share=0.5))
        limits = PolicyLimits(china_cap_share=draw(st.sampled_from([None, 0.5, 0.8])),
                              risk_cap=draw(st.sampled_from([None, 0.5])),
                              recycling_min_share=draw(st.sampled_from([None, 0.1])),
                              stockpile_min_days=draw(st.sampled_from([None, 30])))
        policy.update({(m, y): limits for y in range(YEARS[0], YEARS[1] + 1)})
    return case(sups, draw(st.integers(40, 100)), years=YEARS, minerals=("li", "co"), policy=policy,
                discount_rate=0.05, min_contract_years=2, recycling=recycling, stockpile=stock,
                feedstock={(m, y): 40.0 for m in ("li", "co") for y in range(YEARS[0], YEARS[1] + 1)})


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_minerals())
def test_the_decomposed_and_the_single_model_agree(d):
    """Same status, the same least cost (within the proven bounds) and the same verified plan
    cost, whether each mineral is its own HiGHS model or not; and the same shadow prices for the
    same plan (two optimal plans may differ in their contracts, and so in their prices).  Each price
    is measured on its block's LP in one and on the whole LP in the other (models.prices)."""
    split, whole = Session(d), Session(d, decompose=False)
    assert len(split.blocks) == 2 and len(whole.blocks) == 1
    a, b = split.solve(TEST_OPTS), whole.solve(TEST_OPTS, shadow_prices=False)
    assert a.stats.status == b.stats.status
    if a.stats.status != OPTIMAL:
        return
    assert a.stats.objective_usd >= b.stats.bound_usd - tol(b.stats.bound_usd)
    assert b.stats.objective_usd >= a.stats.bound_usd - tol(a.stats.bound_usd)
    assert verify(d, a).total_usd == pytest.approx(verify(d, b).total_usd, rel=1e-7, abs=5.0)
    for mine, theirs in zip(split.form.columns, whole.form.columns):  # the split plan, priced whole
        assert mine.name == theirs.name
        theirs.set_value(mine.value, skip_validation=True)
    priced = whole.shadow_prices_usd(TEST_OPTS.time_limit_s)
    assert priced.keys() == a.shadow_usd_per_point.keys()
    for key, price in priced.items():  # the cost of one step tighter: the block's or the whole's LP, the same
        assert a.shadow_usd_per_point[key] == pytest.approx(price, rel=1e-5, abs=1e-3), key


def test_a_block_priced_by_two_copies_of_its_lp_has_the_prices_of_one():
    """The largest block's limits are shared between two copies of its LP, each pricing every other
    limit from its own basis (``Session._block_prices``): the default case's battery group, whose
    plan meets 123 of its limits exactly, gets the prices one copy finds for all, in the same order,
    and ``Session.solve`` with two threads reports them."""
    full = read_workbook(DEFAULT_WORKBOOK).data
    session = Session(full.restricted_to(list(full.mineral_groups[0])))
    assert len(session.blocks) == 1
    plan = session.solve(SolveOptions(time_limit_s=60, mip_gap=1e-5, threads=2))
    assert plan.stats.status == OPTIMAL
    block, steps = session.blocks[0], session._steps()
    x = np.array([v.value or 0.0 for v in session.form.columns])[block.cols]
    one, two = (session._block_prices(block, x, steps, 60, copies=k) for k in (1, 2))
    assert list(one) == list(two) == list(plan.shadow_usd_per_point) and len(one) > 2 * MIN_STEPS_A_COPY
    assert sum(0 < p < math.inf for p in one.values()) > 50  # most of them move the cost
    for key, price in one.items():
        assert two[key] == pytest.approx(price, rel=1e-6, abs=1e-2), key
        assert plan.shadow_usd_per_point[key] == pytest.approx(price, rel=1e-6, abs=1e-2), key


class _Budget(Session):
    """A case whose minerals share a purchase budget: a constraint that links them."""

    def _build(self, data, elastic):
        b = super()._build(data, elastic)
        b.budget = pyo.Constraint(expr=sum(b.buy_t[s, y] for s, y in b.SY) <= 160)
        return b


def test_a_constraint_across_minerals_falls_back_to_one_model():
    """Demand 100 t of each of two minerals, at most 160 t bought in all: the rest must come
    from recycling (a module of 20 t each, at 150 USD/t against 100 to buy), so the minerals
    are one problem.  It is solved whole, and the run facts say why."""
    d = case([supplier("li0", "AUS", 100, 200, mineral="li"), supplier("co0", "AUS", 100, 200, mineral="co")],
             100, minerals=("li", "co"),
             recycling=[RecyclingOption(f"r{m}", m, 20, 0, 150, 1, 1, 1, 1.0) for m in ("li", "co")],
             feedstock={(m, 2024): 100.0 for m in ("li", "co")})
    alone = Session(d)
    assert len(alone.blocks) == 2 and alone.solve(TEST_OPTS).stats.objective_usd == pytest.approx(200 * 100)
    session = _Budget(d)
    assert len(session.blocks) == 1 and session.blocks[0].groups == ("li", "co")
    plan = session.solve(TEST_OPTS)
    assert plan.stats.status == OPTIMAL and "a single model: budget links the minerals" in plan.stats.decomposition
    assert plan.stats.objective_usd == pytest.approx(160 * 100 + 40 * 150)
    facts = dict(run_info(DEFAULT_WORKBOOK, "0" * 64, TEST_OPTS, {}, plan.stats, {}))
    assert facts["solved_as"] == plan.stats.decomposition and facts["highs_models"] == 1


def test_the_default_case_is_one_model_per_mineral_or_group():
    """Only a recycling plant links minerals: the battery metals (and graphite) of the battery plants, the
    magnet rare earths of the magnet plants; every other mineral is a model of its own."""
    d = read_workbook(DEFAULT_WORKBOOK).data
    session = Session(d)
    assert sorted(g for b in session.blocks for g in b.groups) == sorted(d.minerals)
    assert sorted(sorted(b.groups) for b in session.blocks) == sorted(sorted(g) for g in d.mineral_groups)
    assert ["dysprosium", "neodymium", "terbium"] in [sorted(g) for g in d.mineral_groups]
    assert session.decomposition.startswith(f"{len(d.mineral_groups)} blocks, one per mineral or per group")


def _apply(tables, cell: str, mineral: str, year: int, column: str, value: float, all_minerals: bool):
    """Make one printed change, as a planner would: a mineral's own Policy row, or its cell."""
    if all_minerals:
        set_policy(tables, year, mineral, **{column: value})
    else:
        row = int(re.search(r"(\d+)$", cell).group(1)) - 2
        tables["Policy"][row][column] = value


def test_every_printed_change_together_makes_the_case_feasible(tmp_path):
    """Graphite's China cap at 0 in 2026 and a 400-day stockpile minimum in 2030 for every
    mineral: both must move, the stockpile in an all-minerals row.  Making every printed change
    as the message says gives a case that solves.  Graphite and gallium (two models) hold the all-minerals row's
    change for each of two minerals; the other minerals would add only solves (7.5 s of the whole case's, 1 s here)."""
    tables = default_tables_for("graphite", "gallium")
    set_policy(tables, 2026, "graphite", china_cap_share=0.0)
    next(r for r in tables["Policy"] if r["year"] == 2030 and r["mineral_id"] is None)["stockpile_min_days"] = 400
    path = write_input_workbook(tables, tmp_path / "tight.xlsx")
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "Make all of these changes together (checked" in result.output
    # Each limit is printed in the catalogue's words ('China cap'): back to its Policy column.
    column_of = {L.limit_name(column): column for column, _sense, _unit in FAMILY_LIMIT.values()}
    changes = re.findall(r"- ('Policy'!\w+) ([^,]+), (\w+) (\d{4}): is [^,]+, must be at (?:least|most) "
                         r"([\d.,]+)(%| days|)( \(the all-minerals row)?", result.output)
    limits = {f for _, f, *_ in changes}
    assert {"China cap", "stockpile minimum"} <= limits, result.output
    for cell, limit, mineral, year, value, unit, all_minerals in changes:
        number = float(value.replace(",", "")) / (100 if unit == "%" else 1)
        _apply(tables, cell, mineral, int(year), column_of[limit], number, bool(all_minerals))
    fixed = write_input_workbook(tables, tmp_path / "fixed.xlsx")
    after = CliRunner().invoke(main, ["solve", str(fixed), "-o", str(tmp_path / "out"), "--gap", "0.001"])
    assert after.exit_code == 0, after.output


def test_the_validate_warning_and_the_diagnosis_agree_on_one_limit(tmp_path):
    """For graphite's China cap at 0 in 2026 alone (no other limit on graphite that year: the stock may
    be drawn to nothing), the lowest cap `validate` says the data allow and the cap the diagnosis asks
    for are the same number.  Graphite alone: both numbers are graphite's."""
    tables = default_tables_for("graphite")
    set_policy(tables, 2026, "graphite", china_cap_share=0.0, single_country_cap_share=1.0, risk_cap=1.0,
               stockpile_min_days=0, recycling_min_share=0)
    path = write_input_workbook(tables, tmp_path / "tight.xlsx")
    warned = CliRunner().invoke(main, ["validate", str(path)]).output
    solved = CliRunner().invoke(main, ["solve", str(path), "-o", str(tmp_path / "out")]).output
    lowest = re.search(r"a cap of at least ([\d.]+)%", warned).group(1)
    needed = re.search(r"China cap, graphite 2026: is 0%, must be at least ([\d.]+)%", solved).group(1)
    assert lowest == needed


def test_a_sweep_does_not_solve_an_unchanged_mineral_again():
    """Sweeping gallium's cap leaves the other models (a mineral, or the minerals a recycling plant
    links) as they were: their proven answers stand, and only gallium is solved again.  Every model of the default
    case but the battery group's, which added only solves (the magnet group's stands for a group's)."""
    full = read_workbook(DEFAULT_WORKBOOK).data
    battery = next(g for g in full.mineral_groups if "lithium" in g)
    d = full.restricted_to([m for m in full.minerals if m not in battery])
    session = Session(d)
    opts = SolveOptions(time_limit_s=60, mip_gap=1e-4, threads=2)
    first = session.solve(opts, shadow_prices=False)
    assert len(session.solved) == len(d.mineral_groups)
    session.set_limit("china_cap_share", 0.7, [("gallium", 2035)])
    second = session.solve(opts, shadow_prices=False, warm_start=True)
    assert first.stats.status == second.stats.status == OPTIMAL
    assert session.solved == {("gallium",)}


def test_a_held_first_stage_gives_the_matrices_compiling_again_gives():
    """A stress test holds the least-cost plan's first stage in the hedged model (``Session.held_at``); the
    compiled form folds those columns and drops the first stage's rows (``CompiledModel.held``) in place of
    compiling the model again.  Sampled draws of the default case's battery group and gallium: the same
    columns, rows, matrix, bounds, costs and offset as ``compile_model`` of the model with those variables
    fixed and those rows deactivated; and the hedged session's own model is left free: compiled again, it is
    the form it was built with (no variable fixed, no row dropped)."""
    from models.compile import compile_model
    from models.disruption import RECOURSE_ROWS, first_stage_values
    from models.sampling import sample_disruptions

    full = read_workbook(DEFAULT_WORKBOOK).data
    d = sample_disruptions(full.restricted_to([*full.mineral_groups[0], "gallium"]), 40, 3, False)
    least = Session(d)
    assert least.solve(TEST_OPTS, shadow_prices=False).stats.status == OPTIMAL
    hedged = Session(d, hedged=True)
    free = hedged.form
    form = hedged.held_at(least.model).form
    reference = Session(d, hedged=True)  # kept: a compiled form refers to its model's variables
    for v, value in first_stage_values(reference.model, least.model):
        v.fix(value)
    for con in reference.model.component_objects(pyo.Constraint, active=True):
        if con.name not in RECOURSE_ROWS:
            con.deactivate()
    _same_form(form, compile_model(reference.model))
    assert len(form.rows) < len(free.rows) and len(form.columns) < len(free.columns)  # the first stage's are gone
    assert hedged.form is free
    _same_form(free, compile_model(hedged.model))


def _same_form(form, ref) -> None:
    """Two compiled models are the same problem: columns and rows by name, matrix, bounds, costs, offset."""
    import numpy as np

    assert [(v.parent_component().name, v.index()) for v in form.columns] == \
        [(v.parent_component().name, v.index()) for v in ref.columns]
    assert [(r.parent_component().name, r.index()) for r in form.rows] == \
        [(r.parent_component().name, r.index()) for r in ref.rows]
    for k in ("start", "index", "integer"):
        assert np.array_equal(getattr(form, k), getattr(ref, k)), k
    for k in ("value", "c", "row_lower", "row_upper", "col_lower", "col_upper"):
        assert np.allclose(getattr(form, k), getattr(ref, k), rtol=1e-12, atol=1e-12), k
    assert form.offset == pytest.approx(ref.offset, rel=1e-12)


def test_a_wait_and_see_problem_cut_from_the_hedged_model_is_the_model_with_that_scenario_alone():
    """``Session.wait_and_see`` cuts one scenario, at probability 1, from the risk-neutral hedged model of
    the default case's magnet group (ten scenarios, each hitting the first stage's purchases through the
    lost tonnes): the matrices of the model built with that scenario alone, and its optimum."""
    import dataclasses

    full = read_workbook(DEFAULT_WORKBOOK).data
    d = full.restricted_to(full.mineral_groups[1])
    d = dataclasses.replace(d, settings=dataclasses.replace(d.settings, cvar_weight=0.0))
    hedged = Session(d, hedged=True)
    hits = [sc for sc in d.disruptions if any(share > 0 for share in sc.loss.values())]
    assert len(hits) >= 4
    for sc in hits[:4]:
        alone = Session(dataclasses.replace(d, disruptions=(dataclasses.replace(sc, probability=1.0),)), hedged=True)
        cut = hedged.wait_and_see(sc.name)
        _same_form(cut.form, alone.form)
        a, b = alone.solve(TEST_OPTS, shadow_prices=False), cut.solve(TEST_OPTS, shadow_prices=False)
        assert a.stats.status == b.stats.status == OPTIMAL
        assert b.stats.objective_usd == pytest.approx(a.stats.objective_usd, rel=1e-8)
    linked = dataclasses.replace(d, settings=dataclasses.replace(d.settings, cvar_weight=0.5))
    with pytest.raises(ValueError):
        Session(linked, hedged=True).wait_and_see(d.disruptions[0].name)


def test_shadow_prices_keep_to_the_time_limit():
    """The LPs behind the shadow prices count against the time limit: with time left they give the
    prices the solve gave, and once it has run out none (never prices from an LP stopped early)."""
    cap = PolicyLimits(china_cap_share=0.5, risk_cap=None, recycling_min_share=None, stockpile_min_days=None)
    d = case([supplier("cn", "CHN", 50, 100, end=YEARS[1]), supplier("au", "AUS", 80, 100, end=YEARS[1])], 60,
             years=YEARS, policy={("li", y): cap for y in range(YEARS[0], YEARS[1] + 1)})
    session = Session(d)
    plan = session.solve(TEST_OPTS)
    # The cap holds the cheaper Chinese tonnes to half of 60 t: a point more is 0.6 t at 30 USD/t less.
    assert plan.shadow_usd_per_point == pytest.approx({("china_cap", "li", y): 18.0
                                                       for y in range(YEARS[0], YEARS[1] + 1)})
    assert session.shadow_prices_usd(TEST_OPTS.time_limit_s) == pytest.approx(plan.shadow_usd_per_point)
    assert session.shadow_prices_usd(0.0) == {}


def test_a_stop_ends_the_run_under_way_and_the_blocks_queued_behind_it_never_start():
    """A stop (Ctrl-C, SIGTERM or SIGHUP during a solve: ``_Runs.stop``) reaches HiGHS inside its run.  highspy's
    cancelSolve is read only through HiGHS's interrupt callbacks, which were off: a Ctrl-C waited for the run to
    end (8-13 s of a 1,000-draw hedged model's largest block).  The stop turns them on in the run under way.  The
    block queued behind it never starts.  50 draws of the battery group and gallium, one thread: the group's block
    takes about 2 s from nothing."""
    import dataclasses
    import threading
    import time

    from models.sampling import sample_disruptions

    def stop_once_running(session: Session) -> None:
        """Stop the session's solve a tenth of a second into its first HiGHS run."""
        def stop() -> None:
            while not session._runs.highs:
                time.sleep(0.005)
            time.sleep(0.1)
            session._runs.stop()
        threading.Thread(target=stop, daemon=True).start()

    full = read_workbook(DEFAULT_WORKBOOK).data
    d = sample_disruptions(full.restricted_to([*full.mineral_groups[0], "gallium"]), 50, 3, False)
    one_thread = dataclasses.replace(TEST_OPTS, threads=1)
    group = Session(d.restricted_to(full.mineral_groups[0]), hedged=True)
    stop_once_running(group)
    assert group.solve(one_thread, shadow_prices=False).stats.termination == "interrupted"
    both = Session(d, hedged=True)
    stop_once_running(both)
    assert both.solve(one_thread, shadow_prices=False).stats.termination == "interrupted"
    assert both.solved == {both.blocks[0].groups} and ("gallium",) not in both.solved
    # The interrupt callbacks come on with a stop alone: each is a call into Python, which waits for the interpreter
    # while another thread holds it (the default case's battery group's block took 0.65 s against 0.56 s), and in a
    # bare run of the main thread (a coalition's LPs) Python's own Ctrl-C would be raised inside one, and HiGHS end
    # the run as a solve error, the stop lost.
    from models.solve import _Runs, new_highs

    h = new_highs(1)
    runs = _Runs()
    with runs.running(h):
        assert not h.HandleUserInterrupt
        runs.stop()
        assert h.HandleUserInterrupt
    later = new_highs(1)
    with runs.running(later):  # a run that starts after the stop is asked to end too
        assert later.HandleUserInterrupt


def test_the_root_plan_search_runs_only_for_a_hedged_block_from_nothing(monkeypatch):
    """HiGHS's root reduced-cost sub-MIP looks for a first plan.  It is off for a run given a start and for a block
    without scenarios (the default case's battery group: 0.81 -> 0.56 s, the same optimum), on for a hedged block
    from nothing, where it finds the first plan (the battery group's at 1,000 draws: 64 -> 31 s)."""
    from models import solve as S

    seen = []
    running = S._Runs.running

    def record(runs, h):
        seen.append(h.getOptionValue("mip_heuristic_run_root_reduced_cost")[1])
        return running(runs, h)

    monkeypatch.setattr(S._Runs, "running", record)
    d = read_workbook(DEFAULT_WORKBOOK).data.restricted_to(["gallium"])
    least_cost = Session(d).solve(TEST_OPTS, shadow_prices=False)
    assert seen == [False]
    hedged = Session(d, hedged=True)
    plan = hedged.solve(TEST_OPTS, shadow_prices=False)
    assert seen[1:] == [True]
    hedged._proven.clear()  # the same block again would be read from the proven runs, not run
    assert hedged.solve(TEST_OPTS, shadow_prices=False, start=least_cost.whole_numbers).stats.objective_usd == \
        pytest.approx(plan.stats.objective_usd, rel=1e-5)
    assert seen[2:] == [False]
