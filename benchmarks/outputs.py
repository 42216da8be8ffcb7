"""Building the outputs of `planner solve` after HiGHS (issue 24), here and in another checkout.

    python benchmarks/outputs.py                              # the plan workbook, its bytes, the page: medians
    python benchmarks/outputs.py --baseline ../old            # and in another checkout, by turns
    python benchmarks/outputs.py --baseline ../old --same     # and whether both write the same bytes
    python benchmarks/outputs.py --lang ko --rounds 5 --repeat 3

Timing: a new process per checkout and round solves the default case once, then builds its outputs
(``build_plan_workbook``, ``workbook_bytes``, ``build_plan_html``) ``--repeat`` times after one
warm-up; the checkouts take turns, so that both see the same load of a shared machine.  Medians of
wall seconds, and of CPU seconds for the workbook and its bytes.

``--same``: each checkout runs `planner solve` (in English and in Korean) on the default case, and
compare, stress, brief (in both languages), sweep, stockpile and alternatives on a graphite-only cut
of it, in-process with the clock and the date stopped (two runs then record the same run facts), and
writes the default case's input workbook and a two-mineral cut; every part of every .xlsx but
docProps/core.xml (the time it was saved) and every .html must be the same bytes.  A checkout runs
in its own .venv if it has one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "inputs" / "korea_2030.xlsx"


def _python(checkout: Path) -> str:
    venv = checkout / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _child(checkout: Path, *args: str) -> str:
    done = subprocess.run([_python(checkout), __file__, "--child", str(checkout), *args], capture_output=True,
                          text=True)
    if done.returncode:
        sys.exit(f"{checkout} {' '.join(args)}:\n{done.stderr[-3000:]}")
    return done.stdout


def _use(checkout: str) -> None:
    sys.path.insert(0, checkout)
    import planner

    assert Path(planner.__file__).is_relative_to(checkout), planner.__file__


def child_time(lang: str, repeat: int) -> None:
    """Solve the default case, then time building its outputs ``repeat`` times (after one warm-up)."""
    from models.solve import Session, SolveOptions
    from planner.reports.files import workbook_bytes
    from planner.reports.plan_report import build_plan_html
    from planner.reports.plan_workbook import build_plan_workbook
    from planner.reports.runinfo import run_info
    from planner.verify import verify
    from planner.workbook.reader import read_workbook

    loaded = read_workbook(DEFAULT)
    d = loaded.data
    opts = SolveOptions.from_settings(d.settings)
    plan = Session(d).solve(opts)
    ev = verify(d, plan)
    info = run_info(DEFAULT, loaded.sha256, opts, {}, plan.stats,
                    dict.fromkeys(("import", "read", "build", "solve", "verify"), 0), Path(tempfile.gettempdir()))
    runs = []
    for _ in range(repeat + 1):
        cpu, t0 = time.process_time(), time.perf_counter()
        wb = build_plan_workbook(d, plan, ev, info, source=DEFAULT.name, lang=lang)
        t1 = time.perf_counter()
        workbook_bytes(wb)
        t2, cpu = time.perf_counter(), time.process_time() - cpu
        build_plan_html(d, plan, ev, DEFAULT.name, loaded.sha256, lang)
        runs.append((t1 - t0, t2 - t1, time.perf_counter() - t2, cpu))
    print(json.dumps(runs[1:]))


def stop_clock() -> None:
    """Every clock reads the same from now on (before the planner loads: it notes when it started)."""
    time.perf_counter = time.monotonic = lambda: 1000.0
    time.time = lambda: 1.7e9


def child_run(out: str, args: list[str]) -> None:
    """``planner ARGS -o OUT`` in this process, with the clock (``stop_clock``) and the date stopped."""
    import planner.reports.runinfo as runinfo

    class Stopped(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2026, 1, 1, tzinfo=tz)

    runinfo.datetime = Stopped
    from planner.cli import main

    sys.argv = ["planner", *args, "-o", out]  # the command the Run sheet records
    try:
        main(sys.argv[1:], standalone_mode=False)
    except SystemExit as e:
        if e.code not in (0, None):
            raise


def child_inputs(checkout: str, out: str) -> None:
    """The default case's input workbook and a two-mineral cut of it, written by ``checkout``."""
    sys.path.append(str(Path(checkout) / "tests"))
    from factory import default_tables_for
    from planner.workbook.defaults import load_default_tables
    from planner.workbook.writer import write_input_workbook

    write_input_workbook(load_default_tables(), Path(out) / "default.xlsx")
    write_input_workbook(default_tables_for("graphite", "gallium"), Path(out) / "two.xlsx")


def timings(checkouts: list[Path], lang: str, rounds: int, repeat: int) -> None:
    runs: dict[Path, list] = {c: [] for c in checkouts}
    for _ in range(rounds):
        for c in checkouts:
            runs[c] += json.loads(_child(c, "time", lang, str(repeat)))
    print(f"Outputs of the default case ({lang}), medians of {rounds} x {repeat} builds (ms):")
    for c, rows in runs.items():
        build, data, page, cpu = (statistics.median(x) * 1000 for x in zip(*rows))
        total = statistics.median(sum(r[:3]) for r in rows) * 1000
        print(f"  {str(c):40s} workbook {build:5.0f}  bytes {data:5.0f}  page {page:4.0f}  total {total:5.0f}   "
              f"CPU workbook+bytes {cpu:5.0f}")


def same(checkouts: list[Path]) -> bool:
    """Whether every checkout writes the bytes the first writes (``--same`` above)."""
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, str(ROOT / "tests"))
        from factory import default_tables_for

        sys.path.insert(0, str(ROOT))
        from planner.workbook.writer import write_input_workbook

        cut = write_input_workbook(default_tables_for("graphite"), Path(tmp) / "graphite.xlsx")
        one = ["-j", "1", "--threads", "1"]
        runs = {"solve": ["solve", str(DEFAULT), "--threads", "1"],
                "solve_ko": ["solve", str(DEFAULT), "--threads", "1", "--lang", "ko"],
                "compare": ["compare", str(cut), "-s", "graphite_ban_2026", *one],
                "stress": ["stress", str(cut), "--threads", "1"],
                "brief": ["brief", str(cut), *one], "brief_ko": ["brief", str(cut), *one, "--lang", "ko"],
                "sweep": ["sweep", str(cut), "--china-cap", "0.8,0.5", "-m", "graphite", "--threads", "1"],
                "stockpile": ["stockpile", str(cut), "--days", "0:60:30", *one],
                "alternatives": ["alternatives", str(cut), "--count", "2", "--no-ranges", "--threads", "1"]}
        written = {}
        for c in checkouts:
            for name, args in runs.items():
                out = Path(tmp) / "out" / name  # the same folder for every checkout: the Run sheet names it
                _child(c, "run", str(out), *args)
                for f in out.iterdir():
                    written.setdefault((name, f.name), []).append(f.read_bytes())
                    f.unlink()
            out = Path(tmp) / "out" / "inputs"
            out.mkdir(parents=True, exist_ok=True)
            _child(c, "inputs", str(out))
            for f in out.iterdir():
                written.setdefault(("inputs", f.name), []).append(f.read_bytes())
                f.unlink()
    alike = True
    for (name, file), versions in sorted(written.items()):
        if file.endswith(".json"):  # the run facts; its outputs_sha256 hashes the workbook with its save time
            continue
        differ = [] if len(versions) == len(checkouts) else ["(not written by every checkout)"]
        for other in versions[1:]:
            differ += _differ(versions[0], other) if file.endswith(".xlsx") else [] if other == versions[0] else [file]
        print(f"  {'same' if not differ else 'DIFFERENT':9s} {name}/{file}" + (f": {differ}" if differ else ""))
        alike = alike and not differ
    return alike


def _differ(a: bytes, b: bytes) -> list[str]:
    """The parts of two .xlsx that differ, but docProps/core.xml (the time each was saved)."""
    import io

    za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
    if za.namelist() != zb.namelist():
        return ["(other parts)"]
    return [n for n in za.namelist() if n != "docProps/core.xml" and za.read(n) != zb.read(n)]


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        checkout, what, *rest = sys.argv[2:]
        if what == "run":
            stop_clock()
        _use(checkout)
        if what == "time":
            child_time(rest[0], int(rest[1]))
        elif what == "run":
            child_run(rest[0], rest[1:])
        else:
            child_inputs(checkout, rest[0])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", type=Path, help="Another checkout to time by turns with this one (and compare)")
    ap.add_argument("--same", action="store_true", help="Check that the checkouts write the same bytes")
    ap.add_argument("--lang", default="en", choices=("en", "ko"))
    ap.add_argument("--rounds", type=int, default=3, help="New processes per checkout")
    ap.add_argument("--repeat", type=int, default=3, help="Builds per process, after one warm-up")
    a = ap.parse_args()
    if a.same and not a.baseline:
        ap.error("--same compares with --baseline")
    checkouts = [ROOT] + ([a.baseline.resolve()] if a.baseline else [])
    if a.same:
        if not same(checkouts[::-1]):  # the baseline's bytes first
            sys.exit(1)
    timings(checkouts, a.lang, a.rounds, a.repeat)


if __name__ == "__main__":
    main()
