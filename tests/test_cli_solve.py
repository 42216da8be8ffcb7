"""`planner solve` end to end on real workbooks: the default case, an infeasible
edit with its diagnosis, and the exit codes."""

import re

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import DEFAULT_WORKBOOK, options_refused
from factory import default_tables_for, renamed, set_policy
from models.solve import SolveOptions, solve_case
from planner.cli import main
from planner.reports import labels as L
from planner.workbook.reader import read_workbook
from planner.verify import verify
from planner.workbook.writer import write_input_workbook
from render import chromium_binary, render_html

# The default case's least cost, decisions 2026-2035: every mineral solved to a 1e-7 gap, where HiGHS
# proved each optimum outright (bound = objective; HiGHS 1.16, 2026-12-08: the case rebuilt on the evidence, and the
# magnet streams' dysprosium and terbium at the Demand sheet's composition, the Policy rows that follow, every stock
# at its Sources rule).
DEFAULT_OPTIMUM_USD = 48_358_855_013.38


def test_default_case_reaches_the_proven_optimum_within_its_reported_gap():
    d = read_workbook(DEFAULT_WORKBOOK).data
    plan = solve_case(d, SolveOptions.from_settings(d.settings, threads=2))
    st = plan.stats
    assert st.status == "optimal" and st.gap <= d.settings.mip_gap
    ev = verify(d, plan)
    # The proven optimum lies between HiGHS's bound and the plan's cost, whose difference is the gap.
    assert st.bound_usd - 1.0 <= DEFAULT_OPTIMUM_USD <= ev.total_usd + 1.0
    assert ev.total_usd - DEFAULT_OPTIMUM_USD <= st.gap * abs(st.bound_usd) + 1.0
    for m in d.minerals:  # every mineral's 2030 China cap holds, on the imports basis
        assert ev.indicators[m, 2030].basis == "imports"
        assert ev.indicators[m, 2030].china_share <= d.limit("china_cap_share", m, 2030) + 1e-6


def test_solve_writes_the_plan_and_never_touches_the_input(tmp_path):
    before = DEFAULT_WORKBOOK.read_bytes()
    result = CliRunner().invoke(main, ["solve", str(DEFAULT_WORKBOOK), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "status    optimal" in result.output and "lithium" in result.output
    assert ", 1 refinery, " in result.output  # not '1 refineries'
    # Every year's China share, and the years each binding limit binds, by mineral.
    assert " ".join(str(y) for y in range(2026, 2036)) in " ".join(result.output.split())
    binding = result.output[result.output.index("binding limits"):]
    # The limits in the catalogue's words, as the pages and the Policy sheet's notes name them.
    assert "single-country cap 2026-2035" in binding.splitlines()[1] and binding.splitlines()[1].split()[0] == "lithium"
    assert "China cap 2026-2028" in binding.splitlines()[1] and "stockpile minimum" in binding
    assert not any(raw in binding for raw in ("china_cap", "single_country_cap", "stockpile_cover", "risk_cap"))
    page = (tmp_path / "korea_2030-plan.html").read_text(encoding="utf-8")
    for key in ("plan.sec.binding", "plan.sec.risk", "plan.sec.mix", "plan.sec.partners"):
        assert L.label(key) in page
    # The Recycling minimums of manganese (2% -> 2.5% -> 2%) and nickel (... -> 7.5%) read as they are.
    assert "2.0% \u2192 2.5% (2028) \u2192 2.0%" in page and "2.0% \u2192 8.0% (2028) \u2192 7.5%" in page
    # The stock in 2035 sits at its minimum: said once, not '82 days in 2035 (82 days)'.
    assert not re.search(r"(\d+ days) in 2035 \(\1\)", page) and "in 2035, just the minimum" in page
    if chromium_binary():
        assert render_html(tmp_path / "korea_2030-plan.html", tmp_path / "plan.png") == []
    wb = load_workbook(tmp_path / "korea_2030-plan.xlsx")
    run = {r[0]: r[1] for r in wb["Run"].iter_rows(min_row=2, values_only=True)}
    assert run["status"] == "optimal" and len(run["input_sha256"]) == 64 and run["highs"]
    assert DEFAULT_WORKBOOK.read_bytes() == before


@pytest.fixture
def infeasible_workbook(tmp_path):
    """The default case's graphite with no graphite from China at all in 2026: non-China capacity,
    recycling and the non-China part of the initial stock cannot cover 2026 demand, so the case is infeasible
    (the other minerals' models, feasible, added only solves)."""
    tables = default_tables_for("graphite")
    row = set_policy(tables, 2026, "graphite", china_cap_share=0.0)
    path = tmp_path / "tight.xlsx"
    write_input_workbook(tables, path)
    return path, row


def test_infeasible_case_names_the_policy_cell_and_exits_1(infeasible_workbook, tmp_path):
    path, row = infeasible_workbook
    out = tmp_path / "out"
    out.mkdir()
    (out / "tight-plan.xlsx").write_bytes(b"an earlier plan")
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert result.exit_code == 1, result.output
    # The cell, then the limit in the words the conflict block below it uses ('China cap, graphite').
    assert f"'Policy'!C{row} China cap, graphite 2026" in result.output and " china_cap," not in result.output
    assert "Traceback" not in result.output
    assert (out / "tight-plan.xlsx").read_bytes() == b"an earlier plan"  # a failed run leaves outputs as they were


def test_output_folder_that_is_a_file_exits_4(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["solve", str(DEFAULT_WORKBOOK), "-o", str(blocker / "sub" / "deeper")])
    assert result.exit_code == 4, result.output
    # It said "Not a directory", leaving the reader to find which folder on the path was a file.
    assert result.output.endswith(f"\nerror: cannot create the output folder {blocker / 'sub' / 'deeper'}: {blocker} "
                                  "is a file, not a folder\n"), result.output


def test_missing_workbook_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2 and "no workbook" in result.output


@pytest.mark.parametrize("option, value, text", [
    ("--time-limit", "nan", "a finite number"), ("--time-limit", "0", "a number >= 0.1 s"),
    ("--gap", "nan", "a finite number"), ("--gap", "2", "a share between 0 and 1"),
    ("--threads", "100000", "a whole number from 1 to 256"), ("--threads", "1.5", "a whole number"),
])
def test_solver_options_are_bounded_as_the_settings_sheet_bounds_them(option, value, text, tmp_path):
    result = CliRunner().invoke(main, ["solve", str(DEFAULT_WORKBOOK), "-o", str(tmp_path), option, value])
    assert result.exit_code == 2 and text in result.output, result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, refused", [
    (["solve", "--time-limit", "-1", "--gap", "2", "--threads", "0"],
     ["'--time-limit': '-1': a number >= 0.1 s", "'--gap': '2': a share between 0 and 1",
      "'--threads': '0': a whole number from 1 to 256"]),
    (["stress", "--sample", "0", "--seed", "-1", "--lang", "xx"],
     ["'--sample': 0 is not in the range", "'--seed': -1 is not in the range", "'--lang': 'xx' is not one of"]),
    (["alternatives", "--slack", "-1", "--count", "1000", "--budget", "foo", "--time-limit", "nan"],
     ["'--slack': '-1': expected a share", "'--count': 1000 is not in the range", "'--budget': 'foo' is not one of",
      "'--time-limit': 'nan': a finite number"]),
])
def test_every_value_refused_by_its_type_is_named_at_once(args, refused, tmp_path):
    """click stopped at the first value its type refused: --time-limit -1 --gap 2 --threads 0 named --time-limit
    alone, and each run after a fix named the next."""
    lines = options_refused(args, tmp_path)
    assert len(lines) == len(refused) and all(line.startswith("  - Invalid value for ") and text in line
                                              for line, text in zip(lines, refused)), lines


@pytest.mark.parametrize("args, problems", [
    (["solve", "--time-limit", "-1", "--seed", "3"],
     ["Invalid value for '--time-limit': '-1'", "--seed goes with --sample N"]),
    (["solve", "--hedged", "--gap", "2", "--ranks", "2"],
     ["Invalid value for '--gap': '2'", "--ranks goes with --engine mpisppy"]),
    (["stress", "--threads", "0", "--mix"], ["Invalid value for '--threads': '0'", "--mix goes with --sample N"]),
    (["stockpile", "--jobs", "0", "--days", "x"], ["Invalid value for '-j' / '--jobs': 0", "--days 'x': expected"]),
    (["compare", "--lang", "xx", "--policies", "--all"],
     ["Invalid value for '--lang': 'xx'", "--policies prices the workbook's own Policy limits"]),
    (["sweep", "--years", "1", "--china-cap", "0.8:0.3:0.05", "--recycling", "0:x"],
     ["Invalid value for '--years': '1'", "give exactly one of --china-cap", "--recycling '0:x'"]),
    (["alternatives", "--slack", "-1", "--directions", "china", "--count", "3"],
     ["Invalid value for '--slack': '-1'", "--count mixes directions"]),
    (["coalition", "--jobs", "0", "--seed", "2"],
     ["Invalid value for '-j' / '--jobs': 0", "--seed goes with --sample N"]),
    (["sensitivity", "--trajectories", "1", "--top", "3"],
     ["Invalid value for '--trajectories': 1", "--top goes with --method sobol"]),
])
def test_values_refused_by_type_and_options_out_of_place_are_named_in_one_run(args, problems, tmp_path):
    """Options that do not go together were checked only once every value was accepted: --time-limit -1 --seed 3
    named --time-limit; once it was fixed, the next run named --seed."""
    lines = options_refused(args, tmp_path)
    assert len(lines) == len(problems) and all(line.startswith(f"  - {p}") for line, p in zip(lines, problems)), \
        lines


@pytest.mark.parametrize("args, problem", [
    (["stress", "--sample", "0", "--seed", "3"], "Invalid value for '--sample': 0"),  # --sample is given
    (["sensitivity", "--method", "sobl", "--top", "3"], "Invalid value for '--method': 'sobl'"),  # sobol, perhaps
    (["solve", "--hedged", "--engine", "mpi", "--ranks", "2"], "Invalid value for '--engine': 'mpi'"),
    # a --count refused is not a count that mixes the one direction given
    (["alternatives", "--count", "-1", "--directions", "china"], "Invalid value for '--count': -1"),
])
def test_an_option_its_type_refused_counts_as_given_with_its_value_unknown(args, problem, tmp_path):
    """A combination is not refused on a guess: --sample 0 is given, so --seed goes with it, and --method sobl
    may be a slip for sobol, which --top goes with."""
    result = CliRunner().invoke(main, [*args, str(DEFAULT_WORKBOOK), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and result.output.splitlines()[-1].startswith(f"Error: {problem}"), result.output
    assert "problems with the options" not in result.output and not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_rank_memory_must_be_a_finite_number_before_anything_else(value, tmp_path):
    """click's FloatRange lets nan (and inf) through its bound: the option is refused as a usage error
    before the engine is looked for or the workbook read."""
    result = CliRunner().invoke(main, ["solve", str(DEFAULT_WORKBOOK), "-o", str(tmp_path), "--hedged", "--engine",
                                       "mpisppy", "--rank-memory", value])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '--rank-memory': {value!r} is not a finite number (expected x>=1)" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_name_longer_than_the_file_system_takes_is_bad_input_or_an_output_error_not_a_bug(tmp_path):
    """A path pasted twice, or a folder name run on: 'File name too long' ended as an internal error (5)."""
    long = "a" * 300  # NAME_MAX is 255 bytes on Linux and macOS file systems
    result = CliRunner().invoke(main, ["validate", str(tmp_path / f"{long}.xlsx")])
    assert result.exit_code == 2, result.output
    assert result.output == f"error: cannot open the workbook {tmp_path / long}.xlsx: File name too long\n"
    result = CliRunner().invoke(main, ["solve", str(DEFAULT_WORKBOOK), "-o", str(tmp_path / long)])
    assert result.exit_code == 4, result.output
    assert "File name too long; choose a shorter output folder or workbook name; the run's output files are all " \
           "written or none are" in result.output and "internal error" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["stress", "--sample", "1e3"], ["brief", "--year", "2030.5"], ["compare", "--all", "-j", "1.5"],
    ["alternatives", "--count", "two"], ["sensitivity", "--trajectories", "ten"],
])
def test_a_count_that_is_no_whole_number_is_called_that(tmp_path, args):
    """click's IntRange answered "'1e3' is not a valid integer range.", which asked for a range."""
    result = CliRunner().invoke(main, [*args, str(DEFAULT_WORKBOOK), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    last = result.output.splitlines()[-1]
    assert last.startswith(f"Error: Invalid value for '{args[-2]}'") and last.endswith(
        f": {args[-1]!r} is not a valid whole number."), result.output
    assert not (tmp_path / "out").exists()


def test_a_year_without_demand_is_planned_and_reported(tmp_path):
    """Gallium's demand set to 0 t in 2026: the plan was found and verified, then the page's table of stock days
    (days of a demand of 0: none) ended the run as an internal error (TypeError), exit 5, with nothing written."""
    tables = default_tables_for("gallium")
    next(r for r in tables["Demand"] if r["year"] == 2026)["demand_t"] = 0
    workbook = write_input_workbook(tables, tmp_path / "gallium.xlsx")
    result = CliRunner().invoke(main, ["solve", str(workbook), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "gallium-plan.html", "gallium-plan.json", "gallium-plan.xlsx"]


def test_a_mineral_named_in_hangul_keeps_the_console_tables_columns(tmp_path):
    """A mineral named 갈륨 pushed its row of the China-share table and of the binding limits two columns right:
    the padding counted each Hangul syllable as one column, and the console shows it in two."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    workbook = write_input_workbook(renamed(default_tables_for("gallium", "lithium"), "gallium", "갈륨"),
                                    tmp_path / "hangul.xlsx")
    result = CliRunner().invoke(main, ["solve", str(workbook), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("2026  2027"))
    for name in ("lithium", "갈륨"):
        row, limits = [line for line in lines if line.startswith(f"  {name} ")]
        # The first year's share ends under 2026, its binding mark after it: 2026 in "  2026", "  70%*".
        assert width(row[:row.index("%") + 1]) == width(header[:header.index("2026") + 4]) - 1, row
        assert width(limits[:limits.index("China cap")]) == 14, limits
    # validate's tables too: the share's % at one column for every mineral
    result = CliRunner().invoke(main, ["validate", str(workbook)])
    assert result.exit_code == 0, result.output
    shares = [line for line in result.output.splitlines() if line.startswith(("  lithium ", "  갈륨 "))][:2]
    assert len({width(line[:line.index("%")]) for line in shares}) == 1, shares  # the China share table's rows


FOLDER = " (. for the current folder)"


@pytest.mark.parametrize("args, where, hint", [
    (["solve", str(DEFAULT_WORKBOOK), "-o", ""], "'-o' / '--output-dir': ''", FOLDER),
    (["compare", str(DEFAULT_WORKBOOK), "--all", "-o", " "], "'-o' / '--output-dir': ' '", FOLDER),
    (["validate", ""], "'[WORKBOOK]': ''", ""),
    (["solve", "", "-o", "out"], "'[WORKBOOK]': ''", ""),
    (["init", ""], "'PATH': ''", ""),
])
def test_a_blank_path_is_a_usage_error_not_the_current_folder(tmp_path, monkeypatch, args, where, hint):
    """``planner solve "$CASE" -o "$OUT"`` with $OUT unset wrote the outputs into the current folder unasked, and
    with $CASE unset was refused as "'.' is a folder"."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.output.endswith(f"Error: Invalid value for {where} is blank; give a path{hint}\n"), result.output
    assert list(tmp_path.iterdir()) == []


def test_a_tilde_the_shell_left_as_it_was_is_the_home_folder(tmp_path, monkeypatch):
    """-o "~/outputs" (quoted, so the shell does not expand it) made a folder named ~ in the current folder, and
    the run said it wrote ~/outputs/...: the files were not where it said, and 'rm -rf ~' would clear them away
    with the home folder."""
    home, here = tmp_path / "home", tmp_path / "here"
    home.mkdir()
    here.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(here)
    result = CliRunner().invoke(main, ["init", "~/cases/my_plan.xlsx"])
    assert result.exit_code == 0, result.output
    assert (home / "cases" / "my_plan.xlsx").is_file() and list(here.iterdir()) == []
    result = CliRunner().invoke(main, ["validate", "~/cases/my_plan.xlsx"])
    assert result.exit_code == 0 and result.output.startswith("valid: "), result.output


def test_an_output_folder_that_is_a_file_or_the_input_exits_4(tmp_path):
    workbook = tmp_path / "case.xlsx"
    workbook.write_bytes(DEFAULT_WORKBOOK.read_bytes())
    (tmp_path / "notes.txt").write_text("a file")
    for out, text in ((tmp_path / "notes.txt", "it is a file, not a folder"),
                      (workbook, "it is the input workbook, not a folder")):
        result = CliRunner().invoke(main, ["solve", str(workbook), "-o", str(out)])
        assert result.exit_code == 4 and text in result.output, result.output
    assert workbook.read_bytes() == DEFAULT_WORKBOOK.read_bytes()


def test_a_blank_limit_has_no_binding_row_no_shadow_price_and_no_mark(tmp_path):
    """Neodymium with every Policy limit blank: the China cap, held at its non-binding 100%, once
    showed as binding in 2028 (a dual of the row at 100% China) with a shadow price and a *."""
    from planner.workbook.schema import POLICY_LIMITS

    tables = default_tables_for("neodymium")
    tables["Disruptions"] = tables["Disruption risks"] = []
    for row in tables["Policy"]:
        row.update({c: None for c in POLICY_LIMITS})
    path = write_input_workbook(tables, tmp_path / "nd.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    shares = next(line for line in result.output.splitlines() if line.strip().startswith("neodymium"))
    assert "binding limits: none" in result.output and "*" not in shares, result.output
    assert L.label("plan.story.none_binds") in (out / "nd-plan.html").read_text(encoding="utf-8")
    policy = load_workbook(out / "nd-plan.xlsx")["Policy"]
    header = [c.value for c in policy[1]]
    for row in policy.iter_rows(min_row=2, values_only=True):
        assert all(row[j] is None for j, h in enumerate(header) if h.endswith("_usd_per_point")), row


def test_an_output_open_in_a_spreadsheet_that_does_not_lock_it_is_replaced_with_a_warning(tmp_path):
    """LibreOffice (and Excel for Mac) keep an open workbook unlocked: the run replaces it, and the window still
    shows the earlier plan, which saving there would put back over the new one."""
    from planner.workbook.writer import write_input_workbook

    workbook = write_input_workbook(default_tables_for("gallium"), tmp_path / "gallium.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".~lock.gallium-plan.xlsx#").write_text(",planner,host,06.12.2026 12:00,file:///home/planner;")
    result = CliRunner().invoke(main, ["solve", str(workbook), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert ("warning: gallium-plan.xlsx is open in LibreOffice (.~lock.gallium-plan.xlsx# is beside it): it shows "
            "the earlier run until you close it (without saving) and open it again") in result.output
    assert (out / "gallium-plan.xlsx").exists() and "gallium-plan.html is open" not in result.output


@pytest.mark.parametrize("hedged", [False, True])
def test_the_least_demand_accepted_solves_and_verifies(tmp_path, hedged):
    """Gallium's demand at the least a Demand cell takes (validate.MIN_DEMAND_T) with unmet demand allowed: the
    plan and every disruption scenario of it pass independent verification.  A thousand times less (1e-6 t),
    HiGHS left it unmet uncharged within its tolerance and the verifier, pricing it on the shortage cost curve,
    found the objective 2,063 USD apart (exit 5); such a demand is now refused as input (tests/corpus.py)."""
    from planner.workbook.validate import MIN_DEMAND_T

    tables = default_tables_for("gallium")
    for row in tables["Demand"]:
        row["demand_t"] = MIN_DEMAND_T
    for row in tables["Settings"]:
        if row["name"] == "allow_unmet_demand":
            row["value"] = True
    path = write_input_workbook(tables, tmp_path / "gram.xlsx")
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(tmp_path / "out"), *(["--hedged"] if hedged else [])])
    assert result.exit_code == 0, result.output


def test_the_plan_pages_recycling_minimums_read_with_the_same_digits(tmp_path):
    """Lithium's recycling minimum is 2% every year, manganese's 2% -> 2.5% (2028) -> 2%: the page's column of
    minimums read '2%' above '2.0% -> 2.5% (2028) -> 2.0%', one 2% written two ways.  Each path now takes the
    decimals the whole column needs."""
    import html

    path = write_input_workbook(default_tables_for("lithium", "manganese"), tmp_path / "li_mn.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = html.unescape((out / "li_mn-plan.html").read_text(encoding="utf-8"))
    head = f">{L.label('plan.limit_path.recycling_min_share')}</th>"
    table = page[page.index(head):]
    table = table[:table.index("</table>")]
    rows = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    minimums = {name: cells[-1] for name, *cells in rows if cells}
    assert minimums == {"Lithium": "2.0%", "Manganese": "2.0% \u2192 2.5% (2028) \u2192 2.0%"}, minimums
