"""Ctrl-C, SIGTERM and SIGHUP (a closed terminal), sent to real planner processes: every phase
stops cleanly, with its own exit code and message, keeping the cases or points that finished, and
compare's workers end with it.

Each test waits for a line the planner prints (a progress step) before it signals, never for a
fixed time.  The child gets SIGINT at its default, as a terminal gives it: a runner started in
the background of a shell without job control passes SIGINT on ignored, and then no Ctrl-C
test can pass (that is what made the old sweep test fail "once": it ran to the end, exit 0).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import DEFAULT_WORKBOOK, ROOT
from factory import default_tables_for
from planner.workbook.writer import write_input_workbook


class Live:
    """A planner command in a real process, its stdout on a pseudo-terminal so that the progress
    bar draws every step, as at a terminal."""

    def __init__(self, *args: str, preexec=None):
        def as_from_a_terminal():
            # A shell gives its commands SIGINT's and SIGHUP's defaults, whatever pytest inherited (SIGHUP is
            # ignored when the suite itself runs under nohup, and the SIGHUP tests would see nothing happen).
            for s in (signal.SIGINT, signal.SIGHUP):
                signal.signal(s, signal.SIG_DFL)
            if preexec:
                preexec()

        master, slave = pty.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "planner", *args], cwd=ROOT, stdout=slave,
                                     stderr=subprocess.PIPE, text=True, preexec_fn=as_from_a_terminal)
        os.close(slave)
        self.master, self.out = master, ""

    def _read(self, seconds: float) -> bool:
        """Read what the process printed within ``seconds``; False once it closed its output."""
        if not select.select([self.master], [], [], seconds)[0]:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # the process ended: the pseudo-terminal is gone
            return False
        self.out += data.decode(errors="replace")
        return bool(data)

    def wait_for(self, text: str, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        while text not in self.out:
            assert self._read(0.1) and time.monotonic() < deadline, f"never printed {text!r}:\n{self.out}"

    def finish(self, timeout_s: float = 120) -> tuple[int, str]:
        """(exit code, stderr) once the process has ended."""
        deadline = time.monotonic() + timeout_s
        while self._read(0.1):
            assert time.monotonic() < deadline, self.out
        err = self.proc.stderr.read()
        os.close(self.master)
        return self.proc.wait(timeout=max(deadline - time.monotonic(), 1)), err


@pytest.fixture(scope="module")
def gallium(tmp_path_factory) -> Path:
    """The default case cut to gallium: its plan is solved and written in well under a second, after the stop
    signals are taken over (the default case's took several)."""
    return write_input_workbook(default_tables_for("gallium"), tmp_path_factory.mktemp("in") / "gallium.xlsx")


def sweep(tmp_path: Path, *extra: str, preexec=None) -> Live:
    # 11 points of the default case's lithium cap, each solve (0.3 s and more) well over the time a signal takes
    # to arrive.  Every mineral's cap took twice as long to its second point: all 11 points are infeasible, and
    # each is diagnosed.
    return Live("sweep", str(DEFAULT_WORKBOOK), "--china-cap", "0.8:0.3:0.05", "-m", "lithium", "-o", str(tmp_path),
                *extra, preexec=preexec)


@pytest.mark.parametrize("stop, code, says, name", [
    (signal.SIGINT, 130, "interrupted (Ctrl-C)", "Ctrl-C"), (signal.SIGTERM, 143, "terminated (SIGTERM)", "SIGTERM"),
    (signal.SIGHUP, 129, "hung up (SIGHUP: the terminal was closed)", "SIGHUP")])  # as `kill -HUP` sends it
def test_a_stopped_sweep_reports_the_points_that_finished(tmp_path, stop, code, says, name):
    earlier = {tmp_path / f"korea_2030-sweep-china-cap-lithium.{k}": f"a complete earlier sweep's {k}".encode()
               for k in ("xlsx", "html", "json")}
    for path, data in earlier.items():
        path.write_bytes(data)
    live = sweep(tmp_path)
    live.wait_for(" 2/11")
    live.proc.send_signal(stop)
    exit_code, err = live.finish()
    assert exit_code == code, err
    assert "Traceback" not in live.out + err
    assert f"{says}: the report holds the " in err and " of 11 points that finished" in err, err
    finished = int(err.split("the report holds the ")[1].split()[0])
    assert 2 <= finished < 11
    # The partial report goes beside the complete one, which stays as it was.
    assert all(path.read_bytes() == data for path, data in earlier.items())
    wb = load_workbook(tmp_path / "korea_2030-sweep-china-cap-lithium-stopped.xlsx")
    rows = list(wb["Sweep"].iter_rows(min_row=2))
    assert len(rows) == finished
    facts = json.loads((tmp_path / "korea_2030-sweep-china-cap-lithium-stopped.json").read_text())
    assert set(facts["outputs_sha256"]) == {"korea_2030-sweep-china-cap-lithium-stopped.xlsx",
                                            "korea_2030-sweep-china-cap-lithium-stopped.html"}
    assert facts["interrupted"] is True and (facts["finished"], facts["asked"]) == (finished, 11)
    # The page and the workbook say so first (once only the .json did): "11 points" read as a full sweep.
    notice = (f"This run was stopped ({name}) before it finished: {finished} of the 11 "
              "points asked for finished, and this report holds only those.")
    assert wb.sheetnames[0] == "Stopped" and wb.active.title == "Stopped" and wb["Stopped"]["A1"].value == notice
    page = (tmp_path / "korea_2030-sweep-china-cap-lithium-stopped.html").read_text(encoding="utf-8")
    assert f'</header>\n<p class="stopped" role="alert">{notice}</p>' in page


def test_closing_the_terminal_stops_a_sweep_as_sighup_and_keeps_the_points_that_finished(tmp_path):
    """The planner's terminal is closed (its window, or an ssh session that dropped): the kernel hangs it up with
    SIGHUP.  That ended the run at once, with no report and no word of why; then, handled, the first progress
    step drawn on the dead terminal (a write that fails with EIO) ended it as "no output was written"."""
    def own_terminal():  # a session of its own, whose controlling terminal is the pseudo-terminal
        os.setsid()
        fcntl.ioctl(1, termios.TIOCSCTTY, 0)

    live = sweep(tmp_path, preexec=own_terminal)
    live.wait_for(" 2/11")
    os.close(live.master)  # the terminal is gone
    err = live.proc.stderr.read()  # to its end, when the planner exits (a diagnosis could fill the pipe)
    exit_code = live.proc.wait(timeout=120)
    assert exit_code == 129, err
    assert "Traceback" not in err and "hung up (SIGHUP: the terminal was closed): the report holds the " in err, err
    finished = int(err.split("the report holds the ")[1].split()[0])
    wb = load_workbook(tmp_path / "korea_2030-sweep-china-cap-lithium-stopped.xlsx")
    assert wb["Stopped"]["A1"].value == (f"This run was stopped (SIGHUP) before it finished: {finished} of the 11 "
                                         "points asked for finished, and this report holds only those.")


def test_a_run_started_under_nohup_goes_on_when_its_terminal_hangs_up(tmp_path, gallium):
    """``nohup planner ...`` starts the planner with SIGHUP ignored, so that closing the terminal leaves it
    running: it stays ignored, as SIGINT in a background job does."""
    live = Live("solve", str(gallium), "-o", str(tmp_path),
                preexec=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    live.wait_for("model ")  # the stop signals are taken over by now; the solve and the writing come next
    live.proc.send_signal(signal.SIGHUP)
    exit_code, err = live.finish()
    assert exit_code == 0, live.out + err
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"gallium-plan.{x}" for x in ("html", "json", "xlsx")]


def test_a_stop_while_the_model_is_built_writes_nothing(tmp_path):
    live = sweep(tmp_path)
    live.wait_for("points of china_cap_share")  # the workbook is read; the model is built next
    live.proc.send_signal(signal.SIGTERM)
    exit_code, err = live.finish()
    assert exit_code == 143, err
    assert "Traceback" not in live.out + err and err.startswith("terminated (SIGTERM): ")
    if "nothing written" in err:
        assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_inside_a_constraint_being_built_prints_only_the_stop(tmp_path, gallium):
    """Pyomo logs an ERROR for each component a KeyboardInterrupt cuts short (the rule, then the component)
    before it raises it on: a Ctrl-C while the model is built printed those lines before the run's own.  Here
    the Ctrl-C comes from inside the single-country cap's rule, at the same point every run."""
    code = ("import os, signal\n"
            "import models.caps as caps\n"
            "summed = caps._sum_buy\n"
            "def ctrl_c_here(*args):\n"
            "    os.kill(os.getpid(), signal.SIGINT)\n"
            "    return summed(*args)\n"
            "caps._sum_buy = ctrl_c_here\n"
            "from planner.__main__ import run\n"
            "run()\n")
    done = subprocess.run([sys.executable, "-c", code, "solve", str(gallium), "-o", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert done.returncode == 130, done.stdout + done.stderr
    assert "ERROR" not in done.stdout + done.stderr and "KeyboardInterrupt" not in done.stdout + done.stderr
    assert done.stderr == "interrupted (Ctrl-C): no output was written\n"
    assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_that_came_while_python_started_is_honoured_at_once(tmp_path):
    """The signal waits, blocked, until the planner's first line runs: as a Ctrl-C pressed during
    start-up, or one a launcher left blocked in the process it started."""
    live = Live("solve", str(DEFAULT_WORKBOOK), "-o", str(tmp_path),
                preexec=lambda: signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}))
    live.proc.send_signal(signal.SIGINT)
    exit_code, err = live.finish()
    assert exit_code == 130, live.out + err
    assert err == "interrupted (Ctrl-C): no output was written\n"
    assert list(tmp_path.iterdir()) == []


def test_nothing_of_the_planner_loads_before_its_ctrl_c_handling_starts():
    """The ``planner`` command's module loads only the standard library before ``run`` catches a Ctrl-C: one
    pressed while the planner's first modules loaded printed a traceback (about one run in twelve at 20 ms)."""
    loaded = subprocess.run([sys.executable, "-c", "import sys, planner.__main__; "
                             "print(sorted(m for m in sys.modules if m.startswith(('planner', 'models'))))"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['planner', 'planner.__main__']"


def _workers(parent: int) -> list[int]:
    """The multiprocessing workers among the children of ``parent``: spawned (their command line runs
    multiprocessing's spawn_main) or forked (the parent's own command line)."""
    found = []
    try:
        own = Path(f"/proc/{parent}/cmdline").read_bytes()
    except OSError:
        return found
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and (b"spawn_main" in cmdline or cmdline == own):
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """Whether process ``pid`` is on a core (state R in /proc/PID/stat): a worker solving, not waiting for work."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "R"
    except (OSError, IndexError):
        return False


def _sigterm_held(pid: int) -> bool:
    """Whether process ``pid`` blocks SIGTERM or runs a handler of its own for it (/proc/PID/status)."""
    status = dict(line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return any(int(status[mask], 16) >> (signal.SIGTERM - 1) & 1 for mask in ("SigBlk", "SigCgt"))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the worker processes")
def test_sigterm_stops_compare_keeps_the_finished_cases_and_ends_the_workers(tmp_path, battery_and_gallium):
    # Its ten cases are the default case's ten, on six of its minerals: the base case ends sooner.
    live = Live("compare", str(battery_and_gallium), "--all", "-j", "2", "-o", str(tmp_path))
    live.wait_for(" base")  # the report needs the base case; the progress bar names each case as it ends
    workers = _workers(live.proc.pid)
    assert workers, "compare runs its cases in worker processes"
    live.proc.send_signal(signal.SIGTERM)
    exit_code, err = live.finish()
    assert exit_code == 143, err
    assert "Traceback" not in live.out + err
    assert "terminated (SIGTERM): the report holds the " in err and " of 10 cases that finished" in err, err
    assert [w for w in workers if Path(f"/proc/{w}").exists()] == []  # gone when the parent is
    wb = load_workbook(tmp_path / "battery_ga-compare-stopped.xlsx")
    summary = list(wb["Summary"].iter_rows(min_row=2))
    finished = int(err.split("the report holds the ")[1].split()[0])
    assert summary[0][0].value == "base" and len(summary) == finished
    notice = (f"This run was stopped (SIGTERM) before it finished: {finished} of the 10 cases asked for finished, "
              "and this report holds only those.")
    assert wb.sheetnames[0] == "Stopped" and wb["Stopped"]["A1"].value == notice
    assert notice in (tmp_path / "battery_ga-compare-stopped.html").read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the worker processes")
def test_a_worker_ended_from_outside_is_reported_as_such_not_as_a_bug(tmp_path, battery_and_gallium):
    """SIGTERM to one worker of compare (kill PID, not the planner): the run cannot be complete, so it
    writes nothing and says which signal ended which process, with 128 + the signal; no "bug"."""
    live = Live("compare", str(battery_and_gallium), "--all", "-j", "2", "-o", str(tmp_path))
    live.wait_for("solving")
    # A worker drops a stop signal that reaches it while it starts (the parent gets a group's signal too):
    # let it reach its loop first, where SIGTERM is neither blocked nor caught; and end one that is solving a
    # case.  One killed once its cases were done, waiting to be ended with the last of them (after ' base' that
    # was, one run in five under load), had nothing left to lose: the run was complete and ended 0.
    deadline = time.monotonic() + 120
    while True:
        workers = _workers(live.proc.pid)
        with contextlib.suppress(OSError):  # a worker that ended as it was looked at
            busy = [w for w in workers if _running(w) and not _sigterm_held(w)]
            if busy:
                break
        assert time.monotonic() < deadline and live.proc.poll() is None, "no worker was seen solving a case"
        time.sleep(0.01)
    os.kill(busy[0], signal.SIGTERM)
    exit_code, err = live.finish()
    assert exit_code == 143, err
    assert "a worker process was ended by signal 15 (SIGTERM) from outside; no output was written" in err, err
    assert "bug" not in err and "internal error" not in err and "Traceback" not in live.out + err, err
    assert list(tmp_path.iterdir()) == []
    assert [w for w in workers if Path(f"/proc/{w}").exists()] == []


def _process_group(pgid: int) -> list[int]:
    """The processes still in process group ``pgid`` (zombies aside)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


# When the group signal comes, after the planner printed a line: while the two workers start (they
# import the solver stack for a few seconds), once one case finished, and once two had (one worker
# then waits for work: with multiprocessing's Pool, a worker killed while waiting held the pool's
# lock, and the pool's shutdown waited on it for ever).  Each round signals at every moment.
GROUP_SIGNAL_MOMENTS = [("3 cases, 2 at a time", 0.0), ("3 cases, 2 at a time", 0.5),
                        ("3 cases, 2 at a time", 1.5), ("1/3", 0.0), ("2/3", 0.0)]
GROUP_SIGNAL_ROUNDS = 1  # run 20 rounds in a row when the workers change (PLANNER_SIGNAL_ROUNDS=20)


@pytest.fixture(scope="module")
def battery_and_gallium(tmp_path_factory) -> Path:
    """The default case cut to the minerals the compare's scenarios hit: the battery group (lithium
    is planned with nickel, cobalt, manganese and graphite) and gallium.  Its hedged compare takes 6 s
    on a quiet machine, so every moment below falls inside the run (lithium and gallium alone ended
    in 1.2 s, before the 1.5 s moment); the whole default case's cases take ten seconds or more each."""
    return write_input_workbook(default_tables_for("lithium", "nickel", "cobalt", "manganese", "graphite",
                                                   "gallium"), tmp_path_factory.mktemp("in") / "battery_ga.xlsx")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the process group")
@pytest.mark.parametrize("after, delay", GROUP_SIGNAL_MOMENTS)
def test_sigterm_to_the_process_group_ends_a_parallel_hedged_compare(tmp_path, battery_and_gallium, after, delay):
    """``kill -TERM -<pgid>``, as a scheduler or a CI timeout sends it, reaches the planner and its
    workers at once: the run ends with 143, promptly, and nothing of it is left (no process of the
    group, no leaked semaphore)."""
    for _ in range(int(os.environ.get("PLANNER_SIGNAL_ROUNDS", GROUP_SIGNAL_ROUNDS))):
        live = Live("compare", str(battery_and_gallium), "--hedged", "-s", "lithium_price_up", "-s", "gallium_ban",
                    "-j", "2", "-o", str(tmp_path), preexec=os.setpgrp)
        try:
            live.wait_for(after, timeout_s=600)  # a busy machine solves slowly; the signal still comes after it
            time.sleep(delay)
            os.killpg(live.proc.pid, signal.SIGTERM)
            t0 = time.monotonic()
            exit_code, err = live.finish(timeout_s=60)  # the pseudo-terminal closes when the last worker ends
        except BaseException:
            os.killpg(live.proc.pid, signal.SIGKILL)  # a hung run is not left behind
            raise
        assert exit_code == 143, live.out + err
        assert time.monotonic() - t0 < 30, "the run took long to stop"
        assert err.startswith("terminated (SIGTERM): ") and "Traceback" not in live.out + err, err
        assert "leaked" not in err and "resource_tracker" not in err, err
        deadline = time.monotonic() + 10  # the resource tracker ends once it sees its last user gone
        while _process_group(live.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _process_group(live.proc.pid) == []


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see the semaphores and workers")
def test_workers_share_no_semaphore_and_a_lost_worker_ends_the_run():
    """The workers of run_jobs have nothing in common to be left holding (multiprocessing's Pool shares
    semaphores, which a stopped or failed run left in /dev/shm); an error in a worker is raised here,
    and a worker killed outright ends the run as out of memory, never as a hang."""
    from planner.studies.jobs import WorkerLost, run_jobs
    from planner.workbook.errors import WorkerEnded
    from worker_items import crashed_on_two, ended_on_two, fails_on_one, killed_on_two, square

    maps = []
    done, stopped = run_jobs(square, range(5), 2, lambda r: maps.append(Path("/proc/self/maps").read_text()))
    assert sorted(done) == [0, 1, 4, 9, 16] and not stopped
    assert maps and not any("/dev/shm/sem.mp-" in m for m in maps)  # multiprocessing's named semaphores
    with pytest.raises(ValueError, match="bad item 1"):
        run_jobs(fails_on_one, range(4), 2)
    with pytest.raises(MemoryError, match="SIGKILL"):
        run_jobs(killed_on_two, range(4), 2)
    with pytest.raises(WorkerEnded, match=r"signal 1 \(SIGHUP\) from outside") as ended:
        run_jobs(ended_on_two, range(4), 2)
    assert ended.value.signum == signal.SIGHUP
    with pytest.raises(WorkerLost, match="SIGABRT"):  # a crash is a bug, reported as one
        run_jobs(crashed_on_two, range(4), 2)
    assert _workers(os.getpid()) == []


@pytest.mark.parametrize("stop, says", [(signal.SIGINT, "interrupted (Ctrl-C)"), (signal.SIGTERM, "terminated (SIGTERM)")])
def test_a_stop_while_a_studys_report_is_built_completes_it(tmp_path, gallium, stop, says):
    """Every case of the compare is solved; the stop comes while its report is built.  It ended as "no output
    was written", exit 130 or 143: every finished case lost, against the README's word that the cases that
    finished are reported.  Now the report is completed and written, and the run says so."""
    workbook = gallium
    out = tmp_path / "out"
    script = (f"import os, signal, sys\n"
              f"import planner.reports.compare_report as report\n"
              f"build = report.compare_files\n"
              f"def stopped_while_built(*args):\n"
              f"    os.kill(os.getpid(), {int(stop)})\n"
              f"    return build(*args)\n"
              f"report.compare_files = stopped_while_built\n"
              f"from planner.__main__ import run\n"
              f"sys.argv = ['planner', 'compare', {str(workbook)!r}, '-s', 'gallium_ban', '-j', '1', '-o', {str(out)!r}]\n"
              f"run()\n")
    # SIGINT as at a terminal (as ``Live`` starts its runs): a SIGINT ignored from the start stays ignored.
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.endswith(f"{says} after the solving was over: the report was completed\n"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"gallium-compare-gallium_ban.{x}" for x in ("html", "json", "xlsx")]
