"""The results workbook: its contract (sheets, columns), its numbers, and safe writing; what
`planner solve` writes and records; and the verifier rejecting a corrupted plan in every family."""

import contextlib
import copy
import hashlib
import json
import math
import os
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import DEFAULT_WORKBOOK, ROOT, TEST_OPTS
from factory import (
    Agreement, PolicyLimits, RecyclingOption, StockpileRule, case, default_tables_for, ending_in, supplier,
)
from models.solve import solve_case
from planner.__main__ import START_MB
from planner.cli import main
from planner.workbook.errors import OutputError
from planner.reports.files import check_targets, commit
from planner.reports.plan_workbook import write_plan_workbook
from planner.verify import evaluate, verify
from planner.workbook.reader import read_workbook
from planner.workbook.writer import write_input_workbook
from render import chart_problems, pdf_pages_text, soffice_binary, xlsx_to_pdfs

CONTRACT = {
    "Supply": ["year", "mineral", "supplier", "origin_country", "processing_country", "tonnes", "cost_usd"],
    "Policy": ["year", "mineral", "china_share", "china_cap", "top_country", "top_country_share",
               "single_country_cap", "avg_risk", "risk_cap", "recycling_share", "recycling_min", "stockpile_days",
               "stockpile_min", "china_cap_usd_per_point", "single_country_cap_usd_per_point",
               "risk_cap_usd_per_point", "recycling_min_usd_per_point", "stockpile_min_usd_per_point"],
}


@pytest.fixture(scope="module")
def solved():
    """A small case solved once for the tests that write or build its workbook (none changes it)."""
    d = case([supplier("cn", "CHN", 100, 80, end=2025), supplier("cl", "CHL", 120, 30, end=2025),
              supplier("au", "AUS", 150, 80, end=2025)], 100, years=(2024, 2025),
             policy=PolicyLimits(china_cap_share=0.5, stockpile_min_days=10),
             stockpile=[StockpileRule("li", 0, 2, 1, 100)])
    plan = solve_case(d, TEST_OPTS)
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
    # The page's charts: China share against the cap, recycling, stock days, cost by mineral, purchases.
    titles = [ch.title.tx.rich.p[0].r[0].t for ch in wb["Charts"]._charts]
    assert titles[0].startswith("China share of") and any(t.startswith("Purchases by") for t in titles)
    assert any(t.startswith("Stockpile days") for t in titles) and any(t.startswith("Cost by mineral") for t in titles)


def test_never_writes_over_the_input(tmp_path, solved):
    source = tmp_path / "case.xlsx"
    source.write_bytes(b"the planner's input")
    with pytest.raises(OutputError, match="input workbook"):
        _write(tmp_path, solved, name="case.xlsx", protected=[source])
    assert source.read_bytes() == b"the planner's input"


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_plan(printed):
    pdf, _ = printed["plan"]
    assert pdf.stat().st_size > 1000


def test_plan_charts_draw_alike_everywhere(tmp_path, solved):
    assert chart_problems(_write(tmp_path, solved)) == []


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


# ---- what `planner solve` writes, and when it refuses ----------------------------------

@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory):
    """The default case cut down to gallium: real data and cells, solved in a blink."""
    path = tmp_path_factory.mktemp("in") / "gallium.xlsx"
    write_input_workbook(default_tables_for("gallium"), path)
    return path


def solve_cli(*args):
    return CliRunner().invoke(main, ["solve", *map(str, args)])


@pytest.fixture(scope="module")
def small_plan(tmp_path_factory, small_workbook):
    """The folder `planner solve` on the small workbook wrote, once for the tests that read its outputs or start
    from a folder a run left (a copy of it: the same bytes)."""
    out = tmp_path_factory.mktemp("small-plan")
    assert solve_cli(small_workbook, "-o", out).exit_code == 0
    return out


# `planner solve` in a real process that stops dead at one moment of writing its outputs: once a
# temporary file is on disk ("temporary"), or once the first output is renamed into place ("renamed").
# It notes that file in the marker, then waits to be killed.
KILLABLE_WRITER = """
import os, sys, time
from pathlib import Path
from planner.__main__ import START_MB
from planner.cli import main

workbook, out, marker, moment = sys.argv[1], Path(sys.argv[2]).resolve(), Path(sys.argv[3]), sys.argv[4]
fsync, replace = os.fsync, os.replace

def hang(path):
    marker.write_text(str(path))
    time.sleep(120)

def fsync_then_hang(fd):
    fsync(fd)
    path = Path(os.readlink(f"/proc/self/fd/{fd}"))
    if moment == "temporary" and path.parent == out:
        hang(path)

def replace_then_hang(source, target):
    replace(source, target)
    if moment == "renamed" and Path(target).parent == out:
        hang(target)

os.fsync, os.replace = fsync_then_hang, replace_then_hang
main(["solve", workbook, "-o", str(out)])
"""


def kill_while_writing(small_workbook, out: Path, moment: str) -> Path:
    """Run KILLABLE_WRITER to ``moment``, kill it with SIGKILL, and return the file it was at."""
    marker = out.parent / "writing"
    marker.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE_WRITER, str(small_workbook), str(out), str(marker),
                             moment], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() or not marker.read_text():
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, f"the writer never reached the moment {moment!r}"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    return Path(marker.read_text())


def vouched(out: Path, stem: str) -> dict[str, bool]:
    """What a reader checks: for each file the run's .json names, whether the file beside it is the
    one the .json was written with (its SHA-256 matches)."""
    facts = json.loads((out / f"{stem}.json").read_text())
    return {name: (out / name).exists() and hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
            for name, digest in facts["outputs_sha256"].items()}


def test_a_run_killed_while_writing_leaves_the_previous_outputs_and_the_next_run_sweeps_up(tmp_path,
                                                                                          small_workbook, small_plan):
    out = shutil.copytree(small_plan, tmp_path / "out")
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    half_written = kill_while_writing(small_workbook, out, "temporary")
    assert half_written.parent == out and half_written.name.startswith(".gallium-plan.xlsx.")
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == previous
    # The next run removes what the killed one left, and writes as usual.
    assert solve_cli(small_workbook, "-o", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["gallium-plan.html", "gallium-plan.json", "gallium-plan.xlsx"]
    assert vouched(out, "gallium-plan") == {"gallium-plan.xlsx": True, "gallium-plan.html": True}


def test_a_run_killed_between_two_renames_leaves_a_set_a_reader_can_tell_is_mixed(tmp_path, small_workbook,
                                                                                   small_plan):
    """The .json is renamed last and names the SHA-256 of the files of its run: a kill between
    the renames leaves the new workbook beside the previous run's .json, which does not vouch for it."""
    out = shutil.copytree(small_plan, tmp_path / "out")
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert vouched(out, "gallium-plan") == {"gallium-plan.xlsx": True, "gallium-plan.html": True}
    renamed = kill_while_writing(small_workbook, out, "renamed")
    assert renamed == out / "gallium-plan.xlsx"
    assert (out / "gallium-plan.json").read_bytes() == first["gallium-plan.json"]
    # The .json vouches for the workbook only if the second run wrote the very same bytes.
    same = (out / "gallium-plan.xlsx").read_bytes() == first["gallium-plan.xlsx"]
    assert (out / "gallium-plan.html").read_bytes() == first["gallium-plan.html"]  # not renamed yet
    assert vouched(out, "gallium-plan") == {"gallium-plan.xlsx": same, "gallium-plan.html": True}


# A disk that fills up: the kernel refuses writes past RLIMIT_FSIZE (EFBIG), as a full disk does (ENOSPC).
FILE_SIZE_LIMIT_BYTES = 16_000


def _small_files_only():
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT_BYTES, FILE_SIZE_LIMIT_BYTES))


def test_a_full_disk_exits_4_naming_the_file_with_no_traceback(tmp_path, small_workbook, small_plan):
    out = shutil.copytree(small_plan, tmp_path / "out")
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = subprocess.run([sys.executable, "-m", "planner", "solve", str(small_workbook), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, preexec_fn=_small_files_only)
    assert proc.returncode == 4, proc.stderr
    # The first file too large is the plan workbook's temporary file beside its target.
    assert re.search(r"cannot write .+: File too large", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == previous  # and no temporary left


def _sweep(workbook: Path, out: Path) -> list[str]:
    return ["sweep", str(workbook), "--china-cap", "0.9,0.8", "-o", str(out)]


def test_a_complete_study_removes_the_stopped_and_failed_reports_of_earlier_runs(tmp_path, small_workbook,
                                                                                  monkeypatch):
    """A stopped run's report (<name>-stopped.*) and a failed run's (<name>-failed.*) stayed beside the complete
    report of a later run, where a planner could open the out-of-date one.  The complete run removes them in
    its commit and names them; it leaves every other file (another study's, or a name that only begins like
    theirs), and when its own commit fails (a full disk) it leaves them too."""
    from models.solve import Session

    out, name = tmp_path / "out", "gallium-sweep-china-cap"
    solve, solves = Session.solve, []

    def stopped_at_the_second_point(session, *args, **kwargs):
        solves.append(1)
        if len(solves) == 2:
            raise KeyboardInterrupt  # Ctrl-C, as the second point's solve starts
        return solve(session, *args, **kwargs)

    def broken(session, *args, **kwargs):  # a plan the verifier rejects: the run fails (exit 5)
        plan = solve(session, *args, **kwargs)
        (s, y), t = max(plan.buy_t.items(), key=lambda kv: kv[1])
        plan.buy_t[s, y] = t - 1.0
        return plan

    for patched, code in ((stopped_at_the_second_point, 130), (broken, 5)):
        with monkeypatch.context() as m:
            m.setattr(Session, "solve", patched)
            result = CliRunner().invoke(main, _sweep(small_workbook, out))
            assert result.exit_code == code, result.output
    asides = [f"{name}-{aside}.{x}" for aside in ("stopped", "failed") for x in ("xlsx", "html", "json")]
    assert sorted(p.name for p in out.iterdir()) == sorted(asides)
    others = [f"{name}-stopped.csv", f"{name}-stopped-2.xlsx", f"{name}-failed.xlsx.bak",
              "gallium-compare-stopped.xlsx", "gallium-sweep-risk-cap-failed.json"]
    for other in others:
        (out / other).write_bytes(b"kept")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    full = subprocess.run([sys.executable, "-m", "planner", *_sweep(small_workbook, out)], cwd=ROOT,
                          capture_output=True, text=True, preexec_fn=_small_files_only)
    assert full.returncode == 4 and "File too large" in full.stderr, full.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    result = CliRunner().invoke(main, _sweep(small_workbook, out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([*(f"{name}.{x}" for x in ("html", "json", "xlsx")),
                                                            *others])
    removed = [f"{name}-{aside}.{x}" for x in ("xlsx", "html", "json") for aside in ("stopped", "failed")]
    assert f"\nremoved   {', '.join(removed)}: an earlier run's stopped or failed report" in result.output, \
        result.output


def test_a_superseded_file_is_never_the_input_and_goes_only_once_every_output_is_in_place(tmp_path):
    """files.commit removes what the outputs supersede after their renames, never the input workbook."""
    source, stale = tmp_path / "case-sweep-china-cap-stopped.xlsx", tmp_path / "case-sweep-china-cap-failed.xlsx"
    source.write_bytes(b"the planner's input")
    stale.write_bytes(b"an earlier run's")
    with pytest.raises(OutputError, match="a folder of that name is in the way"):
        (tmp_path / "in-the-way.json").mkdir()
        commit({tmp_path / "case.xlsx": b"x", tmp_path / "in-the-way.json": b"{}"}, protected=[source],
               superseded=[source, stale])
    assert source.exists() and stale.exists()
    commit({tmp_path / "case.xlsx": b"x"}, protected=[source], superseded=[source, stale])
    assert source.read_bytes() == b"the planner's input" and not stale.exists()


def test_refuses_the_input_through_any_path(tmp_path, small_workbook):
    source = tmp_path / "in" / "case.xlsx"
    source.parent.mkdir()
    source.write_bytes(b"the planner's input")
    hard = tmp_path / "hard.xlsx"
    os.link(source, hard)
    soft = tmp_path / "soft.xlsx"
    soft.symlink_to(source)
    for target in (hard, soft, tmp_path / "in" / ".." / "in" / "case.xlsx"):
        with pytest.raises(OutputError, match="input workbook"):
            commit({target: b"x"}, protected=[source])
    assert source.read_bytes() == b"the planner's input"
    # Through the CLI: an output name that is a link to the input workbook.
    out = tmp_path / "out"
    out.mkdir()
    (out / "gallium-plan.xlsx").symlink_to(small_workbook)
    before = small_workbook.read_bytes()
    result = solve_cli(small_workbook, "-o", out)
    assert result.exit_code == 4 and "it is the input workbook" in result.output
    assert small_workbook.read_bytes() == before


def test_a_folder_in_the_way_exits_4_with_a_message(tmp_path, small_workbook):
    (tmp_path / "gallium-plan.xlsx").mkdir()
    result = solve_cli(small_workbook, "-o", tmp_path)
    assert result.exit_code == 4
    assert "a folder of that name is in the way" in result.output and "Traceback" not in result.output


def test_an_output_folder_on_a_loop_of_symbolic_links_exits_4_with_a_message(tmp_path, small_workbook):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    result = solve_cli(small_workbook, "-o", tmp_path / "a" / "out")
    assert result.exit_code == 4, result.output
    assert "loop of symbolic links" in result.output and "Traceback" not in result.output


def test_an_output_folder_through_a_dangling_symbolic_link_names_the_link(tmp_path, small_workbook):
    """-o through a link to a folder since moved or deleted said "File exists", of a folder that did not."""
    (tmp_path / "latest").symlink_to(tmp_path / "run-2026-12-01")
    for out in (tmp_path / "latest", tmp_path / "latest" / "gallium"):
        result = solve_cli(small_workbook, "-o", out)
        assert result.exit_code == 4, result.output
        assert result.output.endswith(f"error: cannot create the output folder {out}: {tmp_path / 'latest'} is a "
                                      f"symbolic link to {tmp_path / 'run-2026-12-01'}, which does not exist\n")


def test_an_output_name_too_long_with_its_temporary_is_refused_before_the_solve(tmp_path, small_workbook):
    """The workbook's 235-character stem makes a 245-character output name, which the file system takes, but
    its temporary's name (.<name>.<pid>.<8>.tmp) it does not: the run stopped there after the solve."""
    long = tmp_path / ("g" * 235 + ".xlsx")
    shutil.copy(small_workbook, long)
    result = solve_cli(long, "-o", tmp_path / "out")
    assert result.exit_code == 4, result.output
    assert "longer than the file system takes" in result.output and "Traceback" not in result.output
    assert "model " not in result.output  # refused before the model was built


def test_a_run_with_its_standard_output_closed_writes_its_outputs(tmp_path, small_workbook):
    """`planner solve ... >&-` (a shell that closed stdout): Python has no sys.stdout then, and quieting
    HiGHS's banner ended the run as an internal error."""
    done = subprocess.run([sys.executable, "-m", "planner", "solve", str(small_workbook), "-o", str(tmp_path)],
                          preexec_fn=lambda: os.close(1), stderr=subprocess.PIPE, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".html", ".json", ".xlsx"]


NOBODY = 65534  # the unprivileged user of Debian and most Linux systems


def as_unprivileged_user(command) -> tuple[int, str]:
    """``command()`` -> (exit code, output), run without root's power to write through file
    permissions: as root (CI runs so) in a forked child that drops to user nobody, else here.
    The child runs code this process has loaded already (root's Python may be unreadable to nobody)."""
    if os.geteuid() != 0:
        return command()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report through the pipe, and never return into pytest
        status = 1
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.write(write, json.dumps(command()).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read) as pipe:
        reply = pipe.read()
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0, "the unprivileged child failed"
    return tuple(json.loads(reply))


@contextlib.contextmanager
def shared_copy(small_workbook: Path):
    """(a folder user nobody may enter, the small workbook in it, readable by all): pytest's own folder is
    root's alone.  Removed afterwards, the folders a test locked in it too."""
    shared = Path(tempfile.mkdtemp())
    try:
        shared.chmod(0o755)
        workbook = shared / "gallium.xlsx"
        shutil.copy(small_workbook, workbook)
        workbook.chmod(0o644)
        yield shared, workbook
    finally:
        for folder in shared.iterdir():  # a test's locked folders opened again, for the removal
            if folder.is_dir():
                folder.chmod(0o755)
        shutil.rmtree(shared)


@pytest.mark.skipif(os.name != "posix", reason="file permissions as POSIX has them")
def test_read_only_folder_or_file_exits_4_with_a_message(tmp_path, small_workbook):
    with shared_copy(small_workbook) as (shared, workbook):
        locked = shared / "locked"
        locked.mkdir()

        def solve_into_locked():
            result = solve_cli(workbook, "-o", locked)
            return result.exit_code, result.output

        locked.chmod(0o777)
        assert solve_into_locked()[0] == 0  # loads every module the command needs, before any fork
        for p in locked.iterdir():
            p.unlink()
        locked.chmod(0o555)
        code, output = as_unprivileged_user(solve_into_locked)
        assert code == 4 and "permission denied" in output, output
        locked.chmod(0o777)
        (locked / "gallium-plan.xlsx").write_bytes(b"open in Excel")
        (locked / "gallium-plan.xlsx").chmod(0o444)
        code, output = as_unprivileged_user(solve_into_locked)
        assert code == 4 and "locked or read-only (is it open in Excel?)" in output, output
        assert (locked / "gallium-plan.xlsx").read_bytes() == b"open in Excel"


@pytest.mark.skipif(os.name != "posix", reason="file permissions as POSIX has them")
def test_an_output_folder_that_cannot_be_entered_or_read_exits_4_before_the_solve(tmp_path, small_workbook):
    """-o (or init's path) inside a folder the user may not enter ended as "internal error (PermissionError)
    ... a bug", exit 5; a folder it may write but not read was refused by click as a usage error (exit 2), and
    let through that, the solve wrote every output and then failed to flush the folder: exit 4 saying the
    outputs "already replaced" were not vouched for."""
    with shared_copy(small_workbook) as (shared, workbook):
        closed, drop = shared / "closed", shared / "drop"
        closed.mkdir()
        drop.mkdir()
        # Every module the commands use loaded before any fork.
        assert solve_cli(workbook, "-o", shared / "warm").exit_code == 0
        assert CliRunner().invoke(main, ["init", str(shared / "warm" / "new.xlsx")]).exit_code == 0
        closed.chmod(0o000)  # nobody may enter it
        drop.chmod(0o333)  # nobody may write and enter it, not list it

        def run(*args):
            result = CliRunner().invoke(main, list(map(str, args)))
            return result.exit_code, result.output

        for args in (["solve", workbook, "-o", closed / "sub"], ["init", closed / "sub" / "new.xlsx"],
                     ["solve", workbook, "-o", drop]):
            code, output = as_unprivileged_user(lambda: run(*args))
            assert code == 4 and "permission denied" in output and "internal error" not in output, (args, output)
            assert "model " not in output  # refused before the model was built
        drop.chmod(0o755)
        assert not any(drop.iterdir())


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="a folder no file can be created in, whatever its permissions")
@pytest.mark.parametrize("args", [["init", "/proc/new.xlsx"], ["solve"], ["stress"], ["compare", "--all"],
                                  ["sweep", "--china-cap", "0.5"], ["stockpile"], ["alternatives"], ["coalition"],
                                  ["brief"], ["sensitivity"]], ids=lambda args: args[0])
def test_an_output_folder_no_file_can_be_created_in_is_refused_before_any_solve(tmp_path, args):
    """-o /proc: its permissions let root write, so the run solved and only then failed to write, exit 4 after
    the work.  A temporary made and removed in the folder, as the commit makes them, tells before any solve."""
    given = args if args[0] == "init" else [args[0], str(DEFAULT_WORKBOOK), *args[1:], "-o", "/proc"]
    result = CliRunner().invoke(main, given)
    assert result.exit_code == 4, result.output
    assert [line for line in result.output.splitlines() if not line.startswith("read ")] == [
        "error: cannot write to /proc: no file can be created there (No such file or directory); choose another "
        "output folder"], result.output  # nothing solved


@pytest.mark.skipif(not hasattr(os, "statvfs"), reason="a file system's read-only flag as POSIX reports it")
def test_an_output_folder_on_a_read_only_file_system_is_called_read_only_not_permission_denied(tmp_path, monkeypatch):
    """A volume mounted read-only (docker -v ...:ro, a write-protected stick) refuses every write whatever the
    folder's permissions, and os.access says so: the run said "permission denied", sending the reader to chmod."""
    real_statvfs = os.statvfs

    class ReadOnly:
        def __init__(self, path):
            self.f_flag = real_statvfs(path).f_flag | os.ST_RDONLY

    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False)
    monkeypatch.setattr(os, "statvfs", ReadOnly)
    with pytest.raises(OutputError) as e:
        check_targets([tmp_path / "plan.xlsx"])
    assert str(e.value) == f"cannot write to {tmp_path}: it is on a read-only file system; choose another output folder"
    monkeypatch.setattr(os, "statvfs", real_statvfs)  # a folder on a writable file system: its permissions
    with pytest.raises(OutputError, match=": permission denied$"):
        check_targets([tmp_path / "plan.xlsx"])


def test_checking_an_output_folder_leaves_nothing_in_it(tmp_path):
    check_targets([tmp_path / "new" / "plan.xlsx", tmp_path / "plan.xlsx"])
    assert [p.name for p in tmp_path.rglob("*")] == ["new"]


def test_outputs_are_built_fresh_with_no_links_or_macros(small_plan):
    with zipfile.ZipFile(small_plan / "gallium-plan.xlsx") as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml")
        rels = b"".join(z.read(n) for n in names if n.endswith(".rels"))
    assert not [n for n in names if "externalLink" in n or "vbaProject" in n or n.endswith(".bin")]
    assert b"macroEnabled" not in types and b"TargetMode=\"External\"" not in rels


def test_run_sheet_and_json_record_input_options_versions_and_outcome(tmp_path, small_workbook):
    result = solve_cli(small_workbook, "-o", tmp_path, "--gap", "0.001")
    assert result.exit_code == 0, result.output
    facts = json.loads((tmp_path / "gallium-plan.json").read_text())
    run = {r[0]: r[1] for r in load_workbook(tmp_path / "gallium-plan.xlsx")["Run"].iter_rows(min_row=2,
                                                                                             values_only=True)}
    assert facts.pop("outputs_sha256") == {  # the .json alone vouches for the files of its run
        name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        for name in ("gallium-plan.xlsx", "gallium-plan.html")}
    assert 0 < facts.pop("outputs_built_s") < 60  # of the .json alone: the Run sheet is inside what it times
    assert list(run) == list(facts)  # the same facts in both places (xlsx keeps 15 digits)
    assert all(run[k] == pytest.approx(v, rel=1e-14) if isinstance(v, float) else run[k] == v
               for k, v in facts.items())
    assert facts["input_sha256"] == hashlib.sha256(small_workbook.read_bytes()).hexdigest()
    assert (facts["mip_gap"], facts["threads"], facts["random_seed"]) == (0.001, 2, 0)
    assert facts["time_limit_s"] == 60 and facts["options_from_command_line"] == "mip_gap"
    assert facts["status"] == "optimal" and facts["termination"] == "convergenceCriteriaSatisfied"
    assert 0 <= facts["gap"] <= 0.001 and facts["best_bound_usd"] <= facts["objective_usd"]
    for tool in ("planner_version", "python", "pyomo", "highspy", "highs"):
        assert facts[tool] and facts[tool] != "not installed"


def test_the_commands_a_run_and_init_print_for_running_again_quote_a_path_with_spaces(tmp_path, small_workbook):
    """The Run sheet's command and init's next steps joined the arguments with spaces: 'planner solve
    my case.xlsx -o 출력 폴더', pasted into a shell, named other files."""
    folder = tmp_path / "내 사례 2030"
    init = subprocess.run([sys.executable, "-m", "planner", "init", str(folder / "my case.xlsx")], cwd=ROOT,
                          capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    steps = [shlex.split(line) for line in init.stdout.splitlines()[1:]]
    assert steps == [["planner", "validate", str(folder / "my case.xlsx")],
                     ["planner", "solve", str(folder / "my case.xlsx")]], init.stdout
    workbook = folder / "gallium 2.xlsx"
    shutil.copy(small_workbook, workbook)
    out = folder / "출력 폴더"
    done = subprocess.run([sys.executable, "-m", "planner", "solve", str(workbook), "-o", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    command = json.loads((out / "gallium 2-plan.json").read_text())["command"]
    assert shlex.split(command) == ["planner", "solve", str(workbook), "-o", str(out)], command


def _run_sheet_to_print(path: Path, small_plan: Path):
    """The Run sheet of the plan `planner solve` wrote into ``small_plan``, alone in a workbook saved at ``path``;
    its cells."""
    wb = load_workbook(small_plan / "gallium-plan.xlsx")
    cells = {r[0].value: r[1] for r in wb["Run"].iter_rows(min_row=2)}
    for name in wb.sheetnames:  # the Run sheet alone, printed as LibreOffice prints it
        if name != "Run":
            del wb[name]
    wb.save(path)
    return path, cells


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice is not installed")
def test_the_run_sheet_prints_its_numbers_in_their_units(printed):
    """The Run sheet's figures printed as Python holds them: objective_usd 48316505330.2999, gap
    8.76247109142647E-06.  Now each in the format of the unit its name ends in (USD whole, a gap in percent,
    days in tenths), any other fraction in at most four decimals; the values themselves stay exact."""
    pdf, cells = printed["run sheet"]
    assert isinstance(cells["objective_usd"].value, float) and cells["objective_usd"].number_format == "#,##0"
    assert 0 < cells["gap"].value < 1e-3 and cells["gap"].number_format == "0.0000%"
    text = "".join(pdf_pages_text(pdf))
    assert f"{cells['objective_usd'].value:,.0f}" in text and f"{cells['gap'].value:.4%}" in text, text
    assert not re.search(r"\d\.\d{5,}|\dE-\d", text), text


def test_time_limit_without_a_plan_exits_3_and_writes_nothing(tmp_path):
    result = solve_cli(DEFAULT_WORKBOOK, "-o", tmp_path, "--time-limit", "0.1")  # the least Settings allow
    assert result.exit_code == 3, result.output
    assert "no plan found within the time limit of 0.1 s" in result.output
    assert list(tmp_path.iterdir()) == []


def test_time_limit_with_a_plan_reports_it_with_its_gap_and_a_warning(tmp_path):
    """A 6-mineral synthetic case (benchmarks/synthetic.py) cannot be proven optimal to gap 0 in a
    few seconds, though HiGHS has a plan by then (0.12% from the least cost at 1 s, 0.016% at 2 s, on a
    machine where the default case is proven in about one).  A slower machine gets more time, until a plan
    is found.  (A 20-mineral case needed limits of 2 s, then 4 or 8 s, for a plan: 11-20 s of the suite.)"""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_tables

    case_path = write_input_workbook(make_tables(6, 30, 10, 1), tmp_path / "big.xlsx")
    for seconds in (1, 2, 4, 8, 16, 32, 64):
        result = solve_cli(case_path, "-o", tmp_path, "--gap", "0", "--time-limit", seconds)
        if result.exit_code != 3:
            break
    assert result.exit_code == 0, result.output
    assert "status    feasible" in result.output
    assert "warning: HiGHS stopped (maxTimeLimit) before proving this plan optimal" in result.output
    facts = json.loads((tmp_path / "big-plan.json").read_text())
    assert facts["status"] == "feasible" and facts["termination"] == "maxTimeLimit"
    assert facts["gap"] > 0 and f"{facts['gap']:.3%}" in result.output


# ---- the verifier covers every constraint family ------------------------------------------

END = 2026
EVERY_FAMILY = case(
    [supplier("cn", "CHN", 100, 80, end=END),
     supplier("cl", "CHL", 120, 60, min_volume=10, fixed=100, end=END, contract_years_left=2),
     supplier("au", "AUS", 150, 90, contract="on", end=END), supplier("id", "IDN", 110, 60, end=END),
     supplier("ru", "RUS", 50, 100, end=END)], 100, years=(2024, END), min_contract_years=2,
    policy=PolicyLimits(china_cap_share=0.6, single_country_cap_share=0.7, risk_cap=0.4, recycling_min_share=0.05,
                        stockpile_min_days=20, ira_min_share=0.1),
    recycling=[RecyclingOption("r", "li", 40, 800, 120, 1, 4, 1, 0.9)],
    feedstock={("li", y): 30.0 for y in range(2024, END + 1)}, stockpile=[StockpileRule("li", 5, 8, 3, 200)],
    agreements=[Agreement("ag", "joint_stockpile", ("AUS",), "li", 50, 5, 2025)],
    basis="consumption")  # the basis on which the China cap counts releases from the stock


def move(plan, source, target, tonnes, y=2024):
    """Shift tonnes between two options, keeping the demand balance."""
    plan.buy_t[source, y] -= tonnes
    plan.buy_t[target, y] += tonnes


def set_(mapping, key, value):
    mapping[key] = value


# Each corruption breaks one rule of the data; the verifier must name it.
CORRUPTIONS = {
    "capacity": (lambda p: set_(p.buy_t, ("au", 2024), 95), "capacity au 2024"),
    "minimum volume": (lambda p: set_(p.buy_t, ("cl", 2024), 5), "minimum volume cl 2024"),
    "contract length": (lambda p: [set_(p.contracted, ("id", y), 0) or set_(p.buy_t, ("id", y), 0)
                                   for y in (2025, 2026)], "contract length id"),
    "forced contract": (lambda p: set_(p.contracted, ("au", 2024), 0), "contract au 2024"),
    "excluded option": (lambda p: set_(p.buy_t, ("ru", 2024), 5), "buy ru 2024"),
    "most modules": (lambda p: set_(p.build_modules, ("r", 2024), 5), "modules r: builds"),
    "recycling capacity": (lambda p: set_(p.recycled_t, ("r", 2024), 45), "recycling capacity r 2024"),
    "feedstock": (lambda p: set_(p.recycled_t, ("r", 2024), 30), "feedstock li 2024"),
    "contract in force": (lambda p: [set_(p.contracted, ("cl", 2025), 0), set_(p.buy_t, ("cl", 2025), 0)],
                          "contract cl 2025: in force"),
    "stock balance": (lambda p: set_(p.stock_t, ("li", "china", 2024), p.stock_t["li", "china", 2024] + 3),
                      "stock balance li china 2024"),
    "largest stock": (lambda p: set_(p.stock_t, ("li", "china", 2024), 250), "stock li 2024: 250"),
    "stock pool": (lambda p: set_(p.stock_add_t, ("li", "other", 2024), 50), "stock pool li other 2024"),
    "China cap counts releases": (lambda p: set_(p.stock_release_t, ("li", "china", 2024), 20), "China cap li 2024"),
    "membership kept": (lambda p: [set_(p.join, ("ag", 2025), 1), set_(p.join, ("ag", 2026), 0)],
                        "agreement ag left in 2026"),
    "membership first year": (lambda p: set_(p.join, ("ag", 2024), 1), "agreement ag joined in 2024"),
    "demand balance": (lambda p: set_(p.buy_t, ("cl", 2024), p.buy_t["cl", 2024] + 1), "demand balance li 2024"),
    "unmet demand": (lambda p: set_(p.unmet_t, ("li", 2024), 5), "demand li 2024"),
    "China cap": (lambda p: move(p, "cl", "cn", 15), "China cap li 2024"),
    "single-country cap": (lambda p: [move(p, "cn", "au", p.buy_t["cn", 2024]), move(p, "cl", "au", 20)],
                           "single-country cap li 2024: AUS"),
    "risk cap": (lambda p: move(p, "cl", "id", 15), "risk cap li 2024"),
    "IRA share": (lambda p: move(p, "cl", "cn", p.buy_t["cl", 2024]), "IRA share li 2024"),
    "recycling share": (lambda p: [set_(p.buy_t, ("au", 2024), p.recycled_t["r", 2024]),
                                   set_(p.recycled_t, ("r", 2024), 0)], "recycling share li 2024"),
    "stockpile cover": (lambda p: [set_(p.stock_t, ("li", pool, 2024), 0) for pool in ("china", "other")],
                        "stockpile cover li 2024"),
    "objective": (lambda p: setattr(p.stats, "objective_usd", p.stats.objective_usd * 1.01), "objective"),
    "negative tonnes": (lambda p: set_(p.recycled_t, ("r", 2025), -1), "recycled_t r 2025: negative"),
    "fractional contract": (lambda p: set_(p.contracted, ("cl", 2024), 0.5), "contracted cl 2024: 0.5"),
    "fractional module": (lambda p: set_(p.build_modules, ("r", 2025), 0.5), "build_modules r 2025: 0.5"),
}


@pytest.fixture(scope="module")
def every_family_plan():
    plan = solve_case(EVERY_FAMILY, TEST_OPTS)
    assert evaluate(EVERY_FAMILY, plan).violations == []
    # The corruptions assume this plan's shape: China and Chile bought, nothing from Australia,
    # Indonesia contracted at no cost, and China-linked stock held.
    assert plan.buy_t["cn", 2024] > 15 and plan.buy_t["cl", 2024] > 15 and plan.buy_t["au", 2024] == 0
    assert all(plan.contracted["id", y] for y in (2024, 2025, 2026)) and plan.stock_t["li", "china", 2024] > 0
    return plan


@pytest.mark.parametrize("family", CORRUPTIONS)
def test_verifier_rejects_a_corrupted_plan_in_every_family(every_family_plan, family):
    corrupt, expected = CORRUPTIONS[family]
    plan = copy.deepcopy(every_family_plan)
    corrupt(plan)
    violations = evaluate(EVERY_FAMILY, plan).violations
    assert any(v.startswith(expected) for v in violations), violations


def test_run_json_records_non_finite_numbers_as_null_and_vouches_for_the_other_outputs():
    from planner.reports.runinfo import run_json

    facts = json.loads(run_json([("status", "optimal"), ("gap", float("nan"))], {Path("out/x.xlsx"): b"PK"}))
    assert facts == {"status": "optimal", "gap": None,
                     "outputs_sha256": {"x.xlsx": hashlib.sha256(b"PK").hexdigest()}}


HEADLINE = ("status", "termination", "objective_usd", "best_bound_usd", "gap")
KEY_FIGURES = {  # beyond the headline, each study's own numbers
    "stress": ("expected_disruption_cost_usd", "cvar_90_usd", "worst_scenario", "worst_cost_usd"),
    "hedged": ("expected_total_cost_usd", "least_cost_status", "least_cost_expected_total_cost_usd",
               "value_of_hedging_usd", "value_of_hedging_low_usd", "vss_usd", "evpi_high_usd"),
    "compare": ("case base objective_usd", "case gallium_ban status", "case gallium_ban change_usd"),
    "compare-hedged": ("case gallium_ban hedged_expected_usd", "case gallium_ban least_cost_expected_usd"),
    "sweep-china-cap": ("point 0.9 status", "point 0.9 objective_usd", "point 0.6 best_bound_usd"),
    "alternatives": ("least_cost_usd", "budget_usd", "alternative least China cost_usd"),
}


def test_every_kind_of_run_writes_under_its_own_name_with_its_headline_in_the_json(tmp_path, monkeypatch):
    """The README's commands in its order: each kind of run writes under its own name (once
    compare --hedged replaced compare's report, and a sampled hedged run the hedged one); a run of
    the same kind replaces its own, all or none.  Every .json carries its headline (status,
    objective, bound, gap) and the study's key figures, as -plan.json does (once stress and hedged
    runs recorded only run facts)."""
    from planner.studies import jobs

    # The hedged solves' jobs one at a time, in this process: names and facts do not depend on it, and a worker
    # spawned after a solve here imports the solver stack again (about 1 s of CPU each, 6 in all).
    monkeypatch.setattr(jobs, "default_jobs", lambda: 1)
    # Gallium to 2031 with three of its what-ifs: a name and the facts a .json carries do not depend on the horizon
    # or on how many what-ifs there are (to 2035 with all six, the runs took 9 s of CPU; so, 6 s); the two given by
    # -s are still some of them, not all (all would be the full run's name).
    tables = ending_in(default_tables_for("gallium"), 2031)
    tables["Scenarios"] = [r for r in tables["Scenarios"] if r["scenario"] in ("gallium_ban", "china_cap_40",
                                                                            "rare_earth_ban")]
    path = write_input_workbook(tables, tmp_path / "ga.xlsx")
    out = tmp_path / "out"
    runs = [(["solve"], "plan"), (["solve", "--hedged"], "hedged"),
            (["solve", "--hedged", "--sample", "20"], "hedged-sample20-seed1"),
            (["solve", "--hedged", "--sample", "20", "--seed", "2", "--mix"], "hedged-sample20-seed2-mix"),
            (["stress"], "stress"), (["stress", "--sample", "20"], "stress-sample20-seed1"),
            (["compare", "--all", "-j", "1"], "compare"), (["compare", "--all", "--hedged", "-j", "1"], "compare-hedged"),
            (["compare", "--all", "--hedged", "--sample", "20", "-j", "1"], "compare-hedged-sample20-seed1"),
            (["compare", "-s", "gallium_ban", "-s", "china_cap_40", "-j", "1"],
             "compare-gallium_ban-china_cap_40"),  # two of the scenarios: named after them
            (["sweep", "--china-cap", "0.9,0.6"], "sweep-china-cap"),
            (["sweep", "--china-cap", "0.9,0.6", "-m", "gallium"], "sweep-china-cap"),  # every mineral: the full run
            (["sweep", "--risk-cap", "1,0.9", "--years", "2030-2031"], "sweep-risk-cap-years2030-2031"),
            (["alternatives", "--directions", "china", "--no-ranges"], "alternatives")]
    written = {}
    for args, name in runs:
        run = CliRunner().invoke(main, [args[0], str(path), *args[1:], "-o", str(out)])
        assert run.exit_code == 0, (args, run.output)
        files = {p.name: p.read_bytes() for p in out.glob(f"ga-{name}.*")}
        assert set(files) == {f"ga-{name}.{k}" for k in ("xlsx", "html", "json")}, (name, sorted(files))
        written.update(files)
        facts = json.loads(files[f"ga-{name}.json"])
        assert facts["status"] == "optimal", (name, facts)
        if not name.startswith("sweep"):
            assert all(facts[k] is not None for k in HEADLINE), (name, facts)
        kind = next((k for k in sorted(KEY_FIGURES, key=len, reverse=True) if name.startswith(k)), None)
        assert kind is None or all(facts.get(k) is not None for k in KEY_FIGURES[kind]), (name, facts)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == written  # nothing replaced


def test_a_stopped_study_opens_with_what_finished_in_either_language():
    """The notice a stopped study's page and workbook open with (tests/test_signals.py stops real runs);
    none for a run that finished."""
    from openpyxl import Workbook

    from planner.reports.html import page
    from planner.reports.plan_workbook import stop_notice, study_files

    facts = [("interrupted", True), ("stopped_by", "SIGTERM"), ("finished", 5), ("asked", 10)]
    assert stop_notice(facts, "cases") == ("This run was stopped (SIGTERM) before it finished: 5 of the 10 cases "
                                           "asked for finished, and this report holds only those.")
    assert stop_notice(facts, "cases", "ko") == ("이 실행은 끝나기 전에 중단되었습니다(SIGTERM). 요청한 사례 10개 중 "
                                                 "5개만 끝났고, 이 보고서는 그 결과만 담습니다.")
    assert stop_notice(facts[:3], "plans") == ("This run was stopped (SIGTERM) before it finished: this report holds "
                                               "only the 5 plans that finished.")
    assert stop_notice([("interrupted", False)], "cases") == ""
    def build(notice: str) -> str:
        return page("t", "", [], [("s", ["x"])], notice=notice)

    wb = Workbook()
    wb.active.title = "Summary"
    _xlsx, html = study_files(wb, build, [("interrupted", False)], "cases")
    assert html.decode() == build("") and 'class="stopped"' not in build("") and wb.sheetnames == ["Summary"]
    _xlsx, html = study_files(wb, build, facts, "cases", "ko")
    assert wb.sheetnames == ["중단됨", "Summary"] and "요청한 사례 10개 중" in wb["중단됨"]["A1"].value
    assert html.decode().index('class="stopped"') < html.decode().index("<section>")


def test_a_run_restricted_to_some_minerals_or_scenarios_is_named_after_them():
    """A subset's outputs say what they hold, in the order named, and never replace the full run's
    (once stockpile -m graphite -m gallium replaced the 13-mineral report); a long list, or names that
    are no plain words, is named by its count and a stable hash."""
    from planner.cli import _run_name, _subset

    every = ["lithium", "graphite", "gallium", "cobalt"]
    assert _subset(["graphite", "gallium"], every, "minerals") == "graphite-gallium"
    assert _subset(["gallium", "graphite", "gallium"], every, "minerals") == "gallium-graphite"
    assert _subset(every[::-1], every, "minerals") == ""  # all of them: the full run's name
    assert _run_name("stockpile", (20, 1, False), subset="graphite-gallium") == \
        "stockpile-graphite-gallium-sample20-seed1"
    scenarios = [f"scenario_number_{i}" for i in range(5)]
    long = _subset(scenarios[:4], scenarios, "scenarios")
    assert long == _subset(scenarios[:4], scenarios, "scenarios")  # stable
    assert long.startswith("4-scenarios-") and len(long) == len("4-scenarios-") + 8
    assert long != _subset(scenarios[1:], scenarios, "scenarios")
    odd = _subset(["ban 2026/27"], ["ban 2026/27", "base_price"], "scenarios")  # no spaces or slashes in a file name
    assert odd.startswith("1-scenarios-") and odd != _subset(["ban 2026-27"], ["ban 2026-27", "x"], "scenarios")
    # A last name that is an aside's (compare -s failed) would read as the full run's failed report.
    assert _subset(["graphite", "Stopped"], [*every, "Stopped"], "minerals").startswith("2-minerals-")
    assert _subset(["failed", "graphite"], [*every, "failed"], "minerals") == "failed-graphite"
    # A first name that is a kind's own word (compare -s policies, compare -s hedged -s x) would name another kind's
    # report: compare --policies's, compare --hedged -s x's.
    for first in ("policies", "Hedged"):
        scenarios = [first, "x", "y"]
        named = _subset([first, "x"], scenarios, "scenarios")
        assert named.startswith("2-scenarios-") and _run_name("compare", subset=named) != "compare-hedged-x"
        assert _subset([first], scenarios, "scenarios").startswith("1-scenarios-")
    assert _subset(["x", "policies"], ["x", "policies", "y"], "scenarios") == "x-policies"


def _address_space(mb: int):
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (mb * 2**20, mb * 2**20))


def test_a_sampled_run_that_would_not_fit_is_refused_before_it_is_built(tmp_path):
    """20,000 draws need about 10 GB: under a 3 GB address-space limit the run once built for
    minutes, then ended in exit 5, "internal error (MemoryError) ... a bug".  2,000 draws need about
    1 GB, refused alike under 600 MB (the process holds under 200 MB of it by then), and take a tenth of
    the CPU to draw (0.4 s)."""
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "planner", "solve", str(DEFAULT_WORKBOOK), "--hedged", "--sample",
                           "2000", "-o", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True,
                          preexec_fn=_address_space(600), timeout=300)
    assert proc.returncode == 6, proc.stderr
    assert "not enough memory" in proc.stderr and "RLIMIT_AS" in proc.stderr and "MB" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "leaked" not in proc.stderr
    assert time.monotonic() - t0 < 60 and not (tmp_path / "out").exists()


def test_the_address_space_check_asks_room_for_the_whole_estimate(tmp_path):
    """200 draws (218 MB estimated) under a 300 MB address-space limit, of which the process has mapped about
    160 MB by the check: the address space grows by more than the resident memory (solver threads' arenas), and
    a check that asked only the estimate less the planner's own 130 MB let the run start; it ran out after 67 s
    of swapping arenas in and out (exit 6), and under 330 MB hung starting a solver thread.  Now it is refused
    before the model is built."""
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "planner", "solve", str(DEFAULT_WORKBOOK), "--hedged", "--sample",
                           "200", "--seed", "1", "-o", str(tmp_path / "out")], cwd=ROOT, capture_output=True,
                          text=True, preexec_fn=_address_space(300), timeout=120)
    assert proc.returncode == 6, proc.stderr
    assert "not enough memory: the model of 151 disruption scenarios needs about" in proc.stderr, proc.stderr
    assert time.monotonic() - t0 < 20 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("mb", [190, 230])
def test_running_out_of_memory_all_the_same_is_out_of_memory_not_a_bug(tmp_path, mb):
    """A plain solve under a tight address space: Python's MemoryError, or a solve refused before its
    threads start (under 230 MB glibc once aborted it as a thread started, exit 127, about 1 run in 12
    under load), is exit 6 with a plain message; nothing is written."""
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "planner", "solve", str(DEFAULT_WORKBOOK), "-o", str(out)], cwd=ROOT,
                          capture_output=True, text=True, preexec_fn=_address_space(mb), timeout=300)
    assert proc.returncode == 6, proc.stderr
    assert "out of memory" in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "leaked" not in proc.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("mb", [60, 100, 120])
def test_an_address_space_too_small_to_load_the_planner_is_out_of_memory_from_the_start(tmp_path, mb):
    """Under about 130 MB of ulimit -v the planner's libraries cannot all load: numpy's OpenBLAS ended the
    process itself with exit 1 (the code of "infeasible") at 100 MB, an import failed half-way into an
    "internal error" at 120 MB, and at 60 MB numpy's advice on a broken install came wrapped in the message.
    Now every command says how much it may take and needs, exit 6, before it loads anything."""
    proc = subprocess.run([sys.executable, "-m", "planner", "validate", str(DEFAULT_WORKBOOK)], cwd=ROOT,
                          capture_output=True, text=True, preexec_fn=_address_space(mb), timeout=60)
    assert proc.returncode == 6, proc.stdout + proc.stderr
    assert proc.stdout == "" and proc.stderr == (
        f"out of memory: this process may take {mb} MB of address space (RLIMIT_AS, ulimit -v); the planner needs "
        f"{START_MB} MB to load its libraries, and more to solve; nothing was written\n")


@pytest.mark.skipif(not Path("/proc/self/status").exists() or (os.cpu_count() or 1) < 2,
                    reason="counts threads in /proc; OpenBLAS starts none of its own on one core")
def test_numpy_starts_no_blas_threads_in_a_planner_process():
    """OpenBLAS, as numpy loads (highspy imports it), started a thread per core, each reserving tens of MB of
    address space; and when one could not start (about 150 MB of ulimit -v, or a process limit reached)
    it raised SIGINT, so the run ended as "interrupted (Ctrl-C)", exit 130, instead of out of memory (6).
    A planner command leaves numpy one thread, unless the user set OPENBLAS_NUM_THREADS."""
    script = ("import pathlib, sys\n"
              "from planner.cli import main\n"
              "try:\n    main(['validate', sys.argv[1]], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
              "import numpy\n"
              "print('threads', pathlib.Path('/proc/self/status').read_text().split('Threads:')[1].split()[0])\n")
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    proc = subprocess.run([sys.executable, "-c", script, str(DEFAULT_WORKBOOK)], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "threads 1", proc.stdout
    chosen = subprocess.run([sys.executable, "-c", script, str(DEFAULT_WORKBOOK)], cwd=ROOT, capture_output=True,
                            text=True, env={**env, "OPENBLAS_NUM_THREADS": "2"}, timeout=120)
    assert chosen.stdout.splitlines()[-1] == "threads 2", chosen.stdout  # the user's choice stands


def test_a_solve_that_fits_is_not_refused(tmp_path):
    """On one thread HiGHS runs in the main thread and needs no arena of its own: under 250 MB, where
    two threads are refused, the default case solves, and takes no more address space than with room to
    spare.  The thread that loaded the report modules during the solve had no room for its arena there, so
    each of its mallocs mapped 64 MB and unmapped it: the run touched the limit (249 MB, against 185 MB of
    its own) and, once under load, HiGHS was refused memory meanwhile."""
    script = ("import pathlib, sys\n"
              "from planner.cli import main\n"
              "try:\n    main(['solve', sys.argv[1], '-o', sys.argv[2], '--threads', '1'], standalone_mode=False)\n"
              "except SystemExit as e:\n    print('exit', e.code)\n"
              "print('peak', pathlib.Path('/proc/self/status').read_text().split('VmPeak:')[1].split()[0])\n")
    peak_kb = {}
    for mb in (250, 1000):
        out = tmp_path / str(mb)
        proc = subprocess.run([sys.executable, "-c", script, str(DEFAULT_WORKBOOK), str(out)], cwd=ROOT,
                              capture_output=True, text=True, preexec_fn=_address_space(mb), timeout=300)
        assert proc.stdout.splitlines()[-2:-1] == ["exit 0"], proc.stdout[-2000:] + proc.stderr
        assert (out / f"{DEFAULT_WORKBOOK.stem}-plan.xlsx").exists()
        peak_kb[mb] = int(proc.stdout.splitlines()[-1].split()[1])
    assert abs(peak_kb[250] - peak_kb[1000]) <= 4 * 1024, peak_kb


def test_a_sheet_of_charts_prints_each_chart_whole_on_a_page():
    """A chart taller than a page (the hedged report's fifteen costliest disruptions, two bars each:
    21 cm) printed cut across two pages at the width's scale: the sheet is scaled so that its tallest
    chart fits the printable height (A4 landscape, default margins: 15.9 cm), and page breaks fall
    between charts, never through one."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from planner.reports.plan_workbook import PAGE_HEIGHT_CM, ROW_CM, make_printable

    wb = Workbook()
    ws = wb.active
    for i in range(1, 17):
        ws.cell(i, 1, f"event {i}")
        ws.cell(i, 2, float(i))
    charts = []
    for k, (anchor, height) in enumerate((("A18", 21.0), ("A60", 8.0), ("A80", 8.0))):
        bar = BarChart()
        bar.add_data(Reference(ws, min_col=2, min_row=1, max_row=16))
        bar.width, bar.height = 20.0, height
        ws.add_chart(bar, anchor)
        charts.append((int(anchor[1:]), height))
    make_printable(wb)
    scale = ws.page_setup.scale / 100
    assert 21.0 * scale <= 15.9
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    page_rows = PAGE_HEIGHT_CM / (ROW_CM * scale)
    for first, height in charts:
        last = first + math.ceil(height / ROW_CM) - 1
        top = max([0, *(b for b in breaks if b < first)])  # the page the chart starts on begins after this row
        assert not any(first <= b < last for b in breaks), (first, breaks)
        assert last - top <= page_rows + 1, (first, last, top, page_rows)


def test_charts_placed_one_under_another_by_chart_rows_each_print_whole():
    """The sensitivity Charts sheet: five charts of 14.75 cm, each placed chart_rows + 1 below the one before.
    Counted at 0.5 cm a row they lay 0.8 cm further apart than placed, the breaks fell behind, and the third,
    fourth and fifth charts printed their legends on pages of their own."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from planner.reports.plan_workbook import PAGE_HEIGHT_CM, ROW_CM, chart_rows, make_printable

    wb = Workbook()
    data = wb.create_sheet("data")
    for i in range(1, 16):
        data.cell(i, 1, float(i))
    ws = wb.active
    row, placed = 1, []
    for _ in range(5):
        bar = BarChart()
        bar.add_data(Reference(data, min_col=1, min_row=1, max_row=15))
        bar.width, bar.height = 24.0, 14.75
        ws.add_chart(bar, f"A{row}")
        placed.append(row)
        row += chart_rows(bar) + 1
    make_printable(wb)
    page_cm = PAGE_HEIGHT_CM / (ws.page_setup.scale / 100)
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    for first in placed:
        top = max([0, *(b for b in breaks if b < first)]) + 1  # the first row of the page the chart starts on
        assert (first - top) * ROW_CM + 14.75 <= page_cm, (first, top, breaks)


def test_no_page_of_a_sheet_of_charts_holds_only_the_empty_rows_under_its_charts():
    """The Korean plan's Charts sheet printed a blank page 3: two rows of charts filled page 2, and the
    empty rows between them and the break before the third row ran past its foot onto a page of their own.
    Every page now ends where its rows still fit LibreOffice's page (A4 landscape: 15.9 cm at the print
    scale), before the next chart and not on its top edge (LibreOffice drew that edge at the foot of the
    page before), and every chart lies whole on one page."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from planner.reports.plan_workbook import ROW_CM, make_printable

    wb = Workbook()
    data, charts = wb.active, wb.create_sheet("Charts")
    for i in range(1, 6):
        data.cell(i, 1, float(i))
    # The Korean plan's charts: (anchor, height in cm), two a row.
    layout = [("A1", 11.2), ("H1", 10.1), ("A25", 9.55), ("H25", 9.55), ("A48", 8.15), ("H48", 15.05)]
    for anchor, height in layout:
        bar = BarChart()
        bar.add_data(Reference(data, min_col=1, min_row=1, max_row=5))
        bar.width, bar.height = 12.0, height
        charts.add_chart(bar, anchor)
    make_printable(wb)
    scale = charts.page_setup.scale / 100
    breaks = sorted(b.id for b in charts.row_breaks.brk)
    firsts = sorted({int(anchor[1:]) for anchor, _h in layout})
    assert breaks and not set(breaks) & {first - 1 for first in firsts}
    starts = [1] + [b + 1 for b in breaks]
    for start, end in zip(starts, [*breaks, None]):
        if end is not None:
            assert (end - start + 1) * ROW_CM * scale <= 15.9, (start, end, scale)
        for anchor, height in layout:
            first = int(anchor[1:])
            if first >= start and (end is None or first <= end):  # a chart that starts on this page ends on it
                assert end is None or (first - 1) * ROW_CM + height <= end * ROW_CM, (anchor, end)


def _plan_charts_to_print(path: Path, default_plan, lang: str):
    """The plan's sheet of charts and its data, alone in a workbook saved at ``path``."""
    from planner.reports.plan_workbook import sheet_name

    wb, charts = _plan_charts(default_plan, lang)
    for ws in wb.worksheets:
        if ws.title not in (charts.title, sheet_name("ChartData", lang)):
            wb.remove(ws)
    wb.save(path)
    return path, None


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_plans_charts_print_without_a_blank_page(printed, lang):
    """The plan's sheet of charts (and its data) printed by LibreOffice: no page left blank."""
    from render import pdf_blank_pages

    pdf, _ = printed["charts", lang]
    assert pdf_blank_pages(pdf) == []


def _tall_chart_to_print(path: Path):
    """The hedged report's costliest disruptions: fifteen long names, two bars each, under their table."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from planner.reports.plan_workbook import finish_chart, make_printable, ranked_bars

    wb = Workbook()
    ws = wb.active
    ws.append(["event", "least-cost plan", "hedged plan"])
    for i in range(15):
        ws.append([f"{2027 + i % 9}: China withholds export licences for graphite for a year ({i})",
                   90.0 - 5 * i, 40.0 - 2 * i])
    bar = ranked_bars(BarChart())
    bar.title = "Disruption cost, the 15 costliest scenarios (USD M, present value)"
    bar.add_data(Reference(ws, min_col=2, max_col=3, min_row=1, max_row=16), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=2, max_row=16))
    ws.add_chart(finish_chart(bar, 22, categories=[c.value for c in ws["A"][1:]]), "A18")
    make_printable(wb)
    wb.save(path)
    return path, None


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice not installed")
def test_a_chart_as_tall_as_a_page_under_its_table_prints_without_a_blank_page(printed):
    """The hedged report's costliest disruptions: fifteen long names, two bars each, under their table.
    Scaled for the chart alone, the page after it held only its last empty rows."""
    from render import pdf_blank_pages

    pdf, _ = printed["tall chart"]
    assert pdf_blank_pages(pdf) == []


def _chart_with_names(ws, names: list[str], title: str):
    """A line chart of one series per name, its names read from the sheet's first row (as the reports'
    charts read theirs)."""
    from openpyxl.chart import LineChart, Reference

    for j, name in enumerate(names, start=2):
        ws.cell(1, j, name)
        for i in range(2, 6):
            ws.cell(i, j, 0.1 * i)
    ch = LineChart()
    ch.title = title
    ch.add_data(Reference(ws, min_col=2, max_col=1 + len(names), min_row=1, max_row=5), titles_from_data=True)
    return ch


@pytest.mark.parametrize("title", [
    "China share",
    "China share of imports, tonne-weighted over minerals, against the cap",
    "China share of imports, tonne-weighted over minerals, against the cap of each mineral weighted the same way and "
    "the mining and refining stages",
    "중국 의존도 (수입 기준, 광물 간 물량 가중) 와 상한",
])
def test_a_workbook_chart_title_gets_room_for_each_line_it_takes(title):
    """LibreOffice wrapped the plan's chart titles in two or three lines over a plot placed 1.5 cm down:
    the title is set in lines that no viewer wraps again, and the plot starts below the last."""
    from openpyxl import Workbook

    from planner.reports.html import text_px
    from planner.reports.plan_workbook import (
        PT_CM, TITLE_LINE_CM, TITLE_PAD_CM, TITLE_PT, TITLE_SHARE, finish_chart, title_lines,
    )

    ch = finish_chart(_chart_with_names(Workbook().active, ["a", "b"], title), 12)
    lines = [p.r[0].t for p in ch.title.tx.rich.p]
    assert lines == title_lines(title, 12) and " ".join(lines).split() == title.split()
    assert all(text_px(line, TITLE_PT, bold=True) * PT_CM <= TITLE_SHARE * 12 for line in lines if " " in line)
    assert all(p.pPr.defRPr.sz == TITLE_PT * 100 for p in ch.title.tx.rich.p)
    plot = ch.layout.manualLayout
    assert plot.y * ch.height >= TITLE_PAD_CM + TITLE_LINE_CM * len(lines) - 1e-9
    assert plot.y + plot.h <= 1
    if len(title) > 60:
        assert len(lines) >= 2


def test_a_legend_has_room_for_every_name_it_reads_from_the_workbook(tmp_path):
    """The plan's China-share chart (four series, 12 cm) lost its cap entry in LibreOffice: its legend was
    sized by the count of entries, two rows, and LibreOffice sets long names one a row.  After
    ``make_printable`` the legend has a row per name too wide to share one, below the plot, and the
    chart below it moves down as the chart grows."""
    from openpyxl import Workbook, load_workbook

    from planner.reports.plan_workbook import LEGEND_ROW_CM, chart_rows, finish_chart, make_printable

    wb = Workbook()
    data, charts = wb.active, wb.create_sheet("Charts")
    names = ["China share", "China share, mining", "China share, refining", "cap (each mineral's, weighted the same way)"]
    ch = finish_chart(_chart_with_names(data, names, "China share of imports"), 12)
    charts.add_chart(ch, "A1")
    below = finish_chart(_chart_with_names(data, names[:2], "below"), 12)
    charts.add_chart(below, f"A{1 + chart_rows(ch)}")
    before = ch.height
    make_printable(wb)
    legend = ch.legend.layout.manualLayout
    plot = ch.layout.manualLayout
    assert legend.h * ch.height >= 4 * LEGEND_ROW_CM  # one name a row: each is wider than half the chart
    assert legend.y >= plot.y + plot.h
    assert ch.height > before and int(below.anchor[1:]) >= 1 + math.ceil(ch.height / 0.5)
    path = tmp_path / "legend.xlsx"
    wb.save(path)
    assert chart_problems(path) == []
    assert load_workbook(path)["Charts"]._charts is not None


@pytest.fixture(scope="module")
def default_plan():
    """The default case's least-cost plan, verified: thirteen minerals and twenty-odd countries to chart."""
    d = read_workbook(DEFAULT_WORKBOOK).data
    plan = solve_case(d, TEST_OPTS)
    return d, plan, verify(d, plan)


def _plan_charts(default_plan, lang: str):
    from planner.reports.plan_workbook import build_plan_workbook, sheet_name

    d, plan, ev = default_plan
    wb = build_plan_workbook(d, plan, ev, [("input_sha256", "x")], "korea_2030.xlsx", lang)
    return wb, wb[sheet_name("Charts", lang)]


@pytest.fixture(scope="module")
def plan_charts(default_plan) -> dict:
    """Language -> the default plan's workbook and its sheet of charts, built once for the tests that read them."""
    return {lang: _plan_charts(default_plan, lang) for lang in ("en", "ko")}


@pytest.fixture(scope="module")
def printed(tmp_path_factory, solved, small_plan, default_plan) -> dict:
    """Every workbook the tests of this file print, printed by LibreOffice in one run: it takes longer to start
    than to print (ten tests of a run each took 27 s of CPU and 46 s; with one run, 11 s and 21 s, the builds
    and the default case's solve included).  Name -> (the PDF, what the workbook's builder returned besides its
    path, for the test to check)."""
    folder = tmp_path_factory.mktemp("printed")
    built = {"plan": (_write(folder, solved, "plan.xlsx"), None),
             "run sheet": _run_sheet_to_print(folder / "run.xlsx", small_plan),
             "long table": _long_table_to_print(folder / "long.xlsx"),
             "tall summary": _tall_summary_to_print(folder / "tall-summary.xlsx"),
             "tall chart": _tall_chart_to_print(folder / "tall-chart.xlsx"),
             "legend": _legend_to_print(folder / "legend.xlsx")}
    for lang in ("en", "ko"):
        built["summary", lang] = _plan_summary_to_print(folder / f"summary-{lang}.xlsx", default_plan, lang)
        built["charts", lang] = _plan_charts_to_print(folder / f"charts-{lang}.xlsx", default_plan, lang)
    pdfs = xlsx_to_pdfs([path for path, _ in built.values()], folder)
    return {name: (pdf, besides) for (name, (_path, besides)), pdf in zip(built.items(), pdfs)}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_china_share_shows_beside_its_refining_share(plan_charts, lang):
    """The China share of imports runs along its refining share (most of it) and was drawn hidden under it:
    it is marked at each year, and the refining share, drawn over it, dotted."""
    _wb, charts = plan_charts[lang]
    total, mining, refining, cap = charts._charts[0].series
    solid = (None, "solid")
    assert total.marker.symbol == "circle" and total.graphicalProperties.line.dashStyle in solid
    assert refining.graphicalProperties.line.dashStyle == "sysDot" and refining.marker.symbol is None
    assert mining.graphicalProperties.line.dashStyle in solid and cap.graphicalProperties.line.dashStyle == "dash"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_cost_by_mineral_is_a_ranked_list_with_room_for_every_name(default_plan, plan_charts, lang):
    """Thirteen columns in 12 cm turned their minerals' names and cut or skipped them: the chart is horizontal
    bars, first mineral on top, every name shown (no skipping) in the room left of the plot, each in the
    lines it wraps to there within its band."""
    from openpyxl.chart import BarChart

    from planner.reports import labels as L
    from planner.reports.html import text_px, wrap
    from planner.reports.plan_workbook import LEGEND_PT, NAME_LINE_CM, NAME_PAD_CM, PT_CM

    d, _plan, _ev = default_plan
    _wb, charts = plan_charts[lang]
    title = L.label("plan.chart.cost_by_mineral", lang).split()[0]
    bar = next(ch for ch in charts._charts if ch.title.tx.rich.p[0].r[0].t.startswith(title))
    assert isinstance(bar, BarChart) and bar.type == "bar" and bar.x_axis.tickLblSkip == 1
    assert bar.x_axis.scaling.orientation == "maxMin" and bar.y_axis.crosses == "max"
    names = [L.mineral_name(d, m, lang) for m in d.minerals]
    plot = bar.layout.manualLayout
    room_cm = plot.x * bar.width - NAME_PAD_CM
    band_cm = plot.h * bar.height / len(names)
    assert max(text_px(n, LEGEND_PT) for n in names) * PT_CM <= room_cm  # short names: one line each
    for name in names:
        assert len(wrap(name, room_cm / PT_CM, LEGEND_PT)) * NAME_LINE_CM < band_cm, name


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_legend_names_are_set_apart_and_keep_their_rows(plan_charts, lang):
    """LibreOffice set the Korean plan's legend entries edge to edge, each name running into the next swatch:
    every name ends in LEGEND_GAP, and its legend has the rows the names with that room need."""
    from planner.reports.plan_workbook import LEGEND_GAP, LEGEND_ROW_CM, legend_rows

    _wb, charts = plan_charts[lang]
    shown = [ch for ch in charts._charts if ch.legend is not None]
    assert len(shown) >= 3
    for ch in shown:
        names = [s.tx.v for s in ch.series]
        assert all(n.endswith(LEGEND_GAP) and n.strip() for n in names), names
        legend = ch.legend.layout.manualLayout
        assert legend.h * ch.height >= legend_rows(names, ch.width) * LEGEND_ROW_CM


def _legend_to_print(path: Path):
    """A chart of nine Korean names in its legend (the Korean plan's recycling chart), saved at ``path``; the names
    and the sheet of the chart."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from planner.reports.plan_workbook import finish_chart, make_printable

    names = ["리튬", "니켈", "코발트", "망간", "흑연", "네오디뮴", "디스프로슘", "터븀", "텅스텐"]
    wb = Workbook()
    data, charts = wb.active, wb.create_sheet("Charts")
    for j, name in enumerate(names, start=1):
        data.cell(1, j, name)
        data.cell(2, j, float(j))
    bar = BarChart()
    bar.title = "연도별 국내 재자원화 물량"
    bar.add_data(Reference(data, min_col=1, max_col=len(names), min_row=1, max_row=2), titles_from_data=True)
    charts.add_chart(finish_chart(bar, 12), "A1")
    make_printable(wb)
    wb.save(path)
    return path, (names, charts)


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice not installed")
def test_libreoffice_draws_legend_names_apart(tmp_path, printed):
    """In LibreOffice's PDF, a legend name ends at least 0.8 cm (of the chart, before the print scale)
    before the next name on its line starts: room, and the next entry's swatch (the Korean plan's recycling
    chart: its minerals' names 0.36 cm apart, each running into the next swatch)."""
    pdf, (names, charts) = printed["legend"]
    subprocess.run(["pdftotext", "-bbox", str(pdf), str(tmp_path / "words.html")], check=True)
    page = next(p for p in (tmp_path / "words.html").read_text(encoding="utf-8").split("<page ") if "연도별" in p)
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page)
    placed = sorted((round(float(y)), float(x0), float(x1)) for x0, y, x1, w in words if w in names)
    assert len(placed) == len(names)  # every entry drawn
    scale = charts.page_setup.scale / 100
    gaps = [(b[1] - a[2]) / 72 * 2.54 / scale for a, b in zip(placed, placed[1:]) if a[0] == b[0]]
    assert gaps and min(gaps) >= 0.8, gaps


def _wide_table(ws, columns: int, rows: int = 8):
    from planner.workbook.writer import style_header

    style_header(ws, ["year", "mineral"] + [f"measure number {j}" for j in range(columns)])
    for i in range(2, rows + 2):
        ws.cell(i, 1, 2024 + i)
        ws.cell(i, 2, "lithium")
        for j in range(columns):
            ws.cell(i, 3 + j, 12345.678 * (i + j))


def test_a_wide_table_repeats_its_header_and_label_columns_on_every_page():
    """A table printed several pages across repeats its header row and the columns that say what a row
    is (year and mineral), not the first column alone; a block of chart data (years down the first
    column, no header style) repeats its years."""
    from openpyxl import Workbook

    from planner.reports.plan_workbook import make_printable

    wb = Workbook()
    _wide_table(wb.active, 30)
    data = wb.create_sheet("ChartData")
    for top in range(1, 73, 12):  # blocks of ten years under a header row each, longer than a summary
        data.cell(top, 1, "year")
        for j in range(2, 40):
            data.cell(top, j, f"series {j}")
            for i in range(top + 1, top + 11):
                data.cell(i, 1, 2015 + i - top)
                data.cell(i, j, 0.5 * i * j)
    narrow = wb.create_sheet("Narrow")
    _wide_table(narrow, 2)
    make_printable(wb)
    ws = wb.active
    assert ws.page_setup.fitToWidth > 1
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$B"
    assert data.page_setup.fitToWidth > 1 and data.print_title_cols == "$A:$A"
    assert narrow.page_setup.fitToWidth == 1 and narrow.print_title_cols is None


def _long_table_to_print(path: Path):
    """A table two pages wide and 200 rows long, made printable and saved at ``path``; its workbook."""
    from openpyxl import Workbook

    from planner.reports.plan_workbook import make_printable

    wb = Workbook()
    _wide_table(wb.active, 30, rows=200)
    make_printable(wb)
    wb.save(path)
    return path, wb


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice is not installed")
def test_a_long_table_printed_across_pages_prints_each_rows_pages_one_after_the_other(printed):
    """A table two pages wide and many pages long (compare --policies' Story sheet: 7,000 rows) printed
    down the left-hand columns first: the right-hand columns of its first rows came 175 pages after them.
    Now a block of rows prints its pages across, then the next block."""
    pdf, wb = printed["long table"]
    assert wb.active.page_setup.fitToWidth > 1 and wb.active.page_setup.pageOrder == "overThenDown"
    pages = [p for p in pdf_pages_text(pdf) if p.strip()]
    across = wb.active.page_setup.fitToWidth
    assert len(pages) >= 2 * across
    first_rows = [p.splitlines()[1].split()[0] for p in pages]  # the first data row's year (repeated on each page)
    assert first_rows[:across] == ["2026"] * across and first_rows[across] != "2026", first_rows
    # Page 2 goes on with the columns page 1 left off at, for the same rows.
    assert "measure number 0" in pages[0] and "measure number 0" not in pages[1]


def test_a_chart_below_a_table_wider_than_the_page_prints_whole():
    """The brief's Costs sheet: a table of eight columns wider than the page above a 22 cm chart printed at
    100% with the chart's right side on a page of its own.  Now the sheet is scaled so that the
    columns the chart spans fit one page (every column where that stays readable)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    from planner.reports.plan_workbook import COLUMN_CM, PAGE_WIDTH_CM, finish_chart, make_printable

    for columns in (3, 12):
        wb = Workbook()
        ws = wb.active
        _wide_table(ws, columns)
        bar = BarChart()
        bar.title = "What each policy adds on its own"
        bar.add_data(Reference(ws, min_col=3, min_row=2, max_row=9))
        ws.add_chart(finish_chart(bar, 22, plot_cm=8), "A12")
        make_printable(wb)
        scale = ws.page_setup.scale / 100
        assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_cols is None
        edges, right = [0.0], 0.0
        for j in range(1, 60):
            right += (ws.column_dimensions[get_column_letter(j)].width or 8.43) * COLUMN_CM
            edges.append(right)
        reach = next(e for e in edges if e >= 22)  # the column edge at or after the chart's right side
        assert reach * scale <= PAGE_WIDTH_CM
        table = edges[ws.max_column]
        if columns == 3:  # narrow enough: every column on one page
            assert table * scale <= PAGE_WIDTH_CM
        else:  # too wide for one readable page: across two, the chart whole on the first
            assert table * scale > PAGE_WIDTH_CM and scale >= 0.5


def test_only_a_header_cell_is_fitted_as_a_header():
    """fit_columns wraps a header with spaces at HEADER_WIDTH and leaves room for its filter button; a text
    in a fill of the header's colour but another pattern is no header (fills are told apart whole, not by
    colour alone), and a long text is wrapped at TEXT_WIDTH."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    from planner.reports.plan_workbook import HEADER_WIDTH, TEXT_WIDTH, fit_columns
    from planner.workbook.writer import HEADER_FILL, style_header

    wb = Workbook()
    ws = wb.active
    long_name = "a header of many words, far longer than a header may be wide"
    style_header(ws, [long_name, long_name, "word " * 20])
    ws.cell(1, 2).fill = PatternFill("darkGray", fgColor=HEADER_FILL.fgColor)  # same colour, another pattern
    ws.cell(1, 3).fill = PatternFill()
    ws.cell(2, 1, 1.5)
    fit_columns(ws)
    assert ws.column_dimensions["A"].width == HEADER_WIDTH + 2 + 3
    assert ws.column_dimensions["B"].width == len(long_name) + 3
    assert ws.column_dimensions["C"].width == TEXT_WIDTH + 3
    assert ws.cell(1, 1).alignment.wrap_text and ws.row_dimensions[1].height > 15


def test_a_column_is_as_wide_as_its_values_as_shown():
    """fit_columns measures each text (remembered once measured: a Korean report measures the same words in
    many cells) and each number as its number format shows it: a wide (Korean) character as two, a line break
    as one, digits and separators 15% wider, a percentage multiplied by 100, the sign of a negative zero kept
    (a number's width is remembered by its value, and 0.0 == -0.0)."""
    from openpyxl import Workbook

    from planner.reports.plan_workbook import fit_columns, text_width

    # East Asian wide characters (Hangul jamo from U+1100 on) as two; a dash as one, as Latin text is.
    assert [text_width(t) for t in ("é", "\u1100", "\u1101", "—", "ㄱ", "한국어", "two\nlines", "")] == [1, 2, 2, 1, 2, 6, 9, 0]
    ws = Workbook().active
    rows = [(1234567.891, "#,##0.0"), (-0.0, "0.0%"), (0.123456, "0.000%"), (12345678, "General"), (1 / 3, "General"),
            (-2.5, "#,##0.##;[Red]-#,##0.##"), (True, "0")]
    for j, (value, fmt) in enumerate(rows, start=1):
        ws.cell(1, j, value).number_format = fmt
    ws.cell(2, 2, 0.0).number_format = ws.cell(3, 2, -0.0).number_format = "0.000000"
    texts = ["한국어 비축 일수", "two\nlines here", "비축 stock 100일"]
    for j, text in enumerate(texts, start=len(rows) + 1):
        for r in (1, 2, 3):  # measured again from the cache
            ws.cell(r, j, text)
    fit_columns(ws)
    shown = ["1,234,567.9", "-0.000000", "12.346%", "12345678", "0.3333333333", "-2.50", "True"]
    assert [ws.column_dimensions[chr(64 + j)].width for j in range(1, 11)] == [
        max(8.0, len(t) * 1.15 + 3) for t in shown] + [19, 17, 19]


def test_a_wrapped_row_keeps_its_short_cells_on_its_first_line():
    """A row made taller by one long text keeps the row's other cells at its top (the printed Measures sheet
    left a short cell at the foot of a tall row, beside the first line of the text it belongs with)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from planner.reports.plan_workbook import fit_columns

    ws = Workbook().active
    ws.cell(1, 1, "budget")
    ws.cell(1, 2, "a description far longer than any column may be wide, " * 4)
    ws.cell(1, 3, 12.5).alignment = Alignment(vertical="center")
    ws.cell(2, 1, "short")
    ws.cell(2, 2, "short too")
    fit_columns(ws)
    assert ws.row_dimensions[1].height > 15
    assert [ws.cell(1, j).alignment.vertical for j in (1, 2, 3)] == ["top", "top", "center"]  # a set one stays
    assert ws.cell(2, 1).alignment.vertical is None and ws.row_dimensions[2].height is None


def test_a_column_of_text_after_a_column_of_numbers_stands_apart_from_them():
    """A table's text beside the right-aligned numbers before it is indented, header and text alike: the
    stockpile Summary read "92.369 → 100" (mandate days, then the mandate's path) and the Hedge sheet
    "2,914,073significant".  A text after a text, and a number in a text column, stay as they were."""
    from openpyxl import Workbook

    from planner.reports.plan_workbook import Col, fit_columns, write_table

    ws = Workbook().active
    write_table(ws, [Col("mineral", ""), Col("mandate_days", "0.0"), Col("mandate_path_days", ""),
                     Col("significant", "")], [["graphite", 92.3, "69 → 100", "yes"], ["gallium", 92.3, 5, "no"]])
    fit_columns(ws)
    assert [ws.cell(r, 3).alignment.indent for r in (1, 2, 3)] == [1, 1, 0]  # the header, a text, a number
    assert ws.cell(1, 3).alignment.horizontal == "left" and ws.cell(2, 3).alignment.horizontal == "left"
    assert [ws.cell(r, j).alignment.indent for r in (1, 2) for j in (1, 4)] == [0] * 4
    assert ws.cell(1, 2).alignment.horizontal == "right"  # the numbers' header over them


def test_the_summarys_notes_on_the_cost_parts_stand_apart_from_their_shares(solved):
    """The Summary's cost parts: the note after each right-aligned share touched it when printed
    ('0.005%가입한 협정의...'); header and notes are set apart as a table's text after numbers is (``APART``)."""
    from planner.reports import labels as L
    from planner.reports.plan_workbook import build_plan_workbook

    d, plan, ev = solved
    for lang in ("en", "ko"):
        ws = build_plan_workbook(d, plan, ev, [], "case.xlsx", lang).worksheets[0]
        head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == L.label("col.what", lang))
        notes = [ws.cell(r, 4) for r in range(head, head + 1 + len(ev.costs_usd))]
        assert all(c.alignment.horizontal == "left" and c.alignment.indent == 1 for c in notes), lang
        assert notes[1].value == L.cost_note(next(iter(ev.costs_usd)), lang)


def _beside_its_copy_at_100(path: Path, wb, ws) -> tuple[Path, str]:
    """Sheet ``ws`` of ``wb`` (the only sheet left) and a copy of it printed at 100%, saved at ``path``, for
    ``_printed_scale``; the path and the words the sheet begins with."""
    for other in wb.worksheets:
        if other is not ws:
            wb.remove(other)
    at_100 = wb.copy_worksheet(ws)
    at_100.sheet_properties.pageSetUpPr.fitToPage = False
    at_100.page_setup.scale = 100
    wb.save(path)
    return path, str(ws.cell(1, 1).value)[:20]


def _printed_scale(pdf: Path, title: str) -> tuple[float, int]:
    """How large LibreOffice printed a sheet saved by ``_beside_its_copy_at_100``, against its copy printed at
    100%, by the median height of its words; and the pages it takes."""
    from statistics import median

    from render import pdf_word_heights

    # ``title`` is on the first page of the sheet and of its copy
    first_of_copy = [i for i, text in enumerate(pdf_pages_text(pdf), start=1) if title in text][1]
    heights = [median(pdf_word_heights(pdf, i)) for i in (1, first_of_copy)]
    return heights[0] / heights[1], first_of_copy - 1


def _plan_summary_to_print(path: Path, default_plan, lang: str):
    """The plan's Summary beside its copy at 100%, saved at ``path``; the words it begins with."""
    from planner.reports.plan_workbook import build_plan_workbook, sheet_name

    d, plan, ev = default_plan
    wb = build_plan_workbook(d, plan, ev, [("input_sha256", "x")], "korea_2030.xlsx", lang)
    return _beside_its_copy_at_100(path, wb, wb[sheet_name("Summary", lang)])


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_plans_summary_prints_on_one_page_larger_than_a_wide_table(printed, lang):
    """The Summary, fitted to one page, printed at about half its size (51% in English, 59% in Korean): its value
    column was as wide as its one long text ('yes: every constraint rechecked from the input'), its last column
    as its year table's longest header, 197 characters in all.  Its text now wraps at the width that prints it
    largest on one page: two thirds of its size, larger than a table PRINT_WIDTH wide (59%)."""
    from planner.reports.plan_workbook import COLUMN_CM, PAGE_WIDTH_CM, PRINT_WIDTH

    scale, pages = _printed_scale(*printed["summary", lang])
    assert pages == 1 and scale >= 0.62 > PAGE_WIDTH_CM / (PRINT_WIDTH * COLUMN_CM), scale


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_plans_summary_prints_each_figures_unit_whole(printed, lang):
    """Printed, the Summary's 'Total cost, present value (USD M)' (and the Korean '최선 하한: 이보다 싼 계획은 없음
    (USD M)') broke inside its unit, '(USD' over 'M)': the unit is joined by no-break spaces, as the pages' headers
    join theirs."""
    pdf, _ = printed["summary", lang]
    text = "".join(pdf_pages_text(pdf))
    assert "USD" in text and not re.search(r"^\s*M\)", text, re.M), text


def _tall_summary_to_print(path: Path):
    """The brief's answers: 47 rows of wrapped sentences and a note below them, made printable and saved beside
    a copy at 100% at ``path``; the words the sheet begins with, and the sheet."""
    from openpyxl import Workbook

    from planner.reports.plan_workbook import make_printable

    wb = Workbook()
    ws = wb.active
    for r in range(1, 48):
        ws.cell(r, 1, f"question {r:02}")  # the first, question 01, is on no other page
        ws.cell(r, 2, "an answer of several sentences, each of them long enough to wrap onto lines of its own " * 2)
    ws.cell(49, 1, "a note below the answers, as long as three of them and more, " * 5)
    make_printable(wb)
    path, title = _beside_its_copy_at_100(path, wb, ws)
    return path, (title, ws)


@pytest.mark.skipif(soffice_binary() is None, reason="LibreOffice not installed")
def test_a_summary_too_tall_for_one_readable_page_prints_one_page_wide_on_more(printed):
    """The brief's answers, 47 rows of wrapped sentences fitted to one page, printed at a third of their size: a
    summary whose rows would print smaller than a table PRINT_WIDTH wide runs on to a second page, one page wide,
    and a note on a row of its own wider than the columns is wrapped over them (the print area cut it off)."""
    from planner.reports.plan_workbook import COLUMN_CM, PAGE_WIDTH_CM, PRINT_WIDTH

    pdf, (title, ws) = printed["tall summary"]
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.cell(49, 1).alignment.wrap_text and "A49:B49" in ws.merged_cells
    scale, pages = _printed_scale(pdf, title)
    assert pages > 1 and scale > PAGE_WIDTH_CM / (PRINT_WIDTH * COLUMN_CM), scale


def test_each_purchase_names_the_source_of_its_price(tmp_path):
    """Every figure keeps its source: the Supply sheet showed each option's price with no source, though the
    Suppliers row cites one (one option's row here cites another).  The sheet still prints one page wide."""
    tables = default_tables_for("gallium")
    tables["Sources"].append({**tables["Sources"][0], "source_id": "measured", "estimate": False})
    cited = tables["Suppliers"][0]
    cited["source_id"] = "measured"
    workbook = write_input_workbook(tables, tmp_path / "ga.xlsx")
    result = CliRunner().invoke(main, ["solve", str(workbook), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    supply = _table(load_workbook(tmp_path / "out" / "ga-plan.xlsx")["Supply"])
    rows = {r["supplier_id"]: r for r in tables["Suppliers"]}
    assert supply and {r["supplier"] for r in supply} >= {cited["supplier_id"]}, "the test needs the cited option bought"
    assert all(r["source_id"] == rows[r["supplier"]]["source_id"] for r in supply)
    assert len({r["source_id"] for r in supply}) == 2
    assert load_workbook(tmp_path / "out" / "ga-plan.xlsx")["Supply"].page_setup.fitToWidth == 1
