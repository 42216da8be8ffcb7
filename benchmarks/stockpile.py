"""``planner stockpile`` on the default case end to end (13 minerals x 17 floors: issue 21's target is
under 3 minutes on 2 cores), against highspy alone on the same models, and against another checkout.

    python benchmarks/stockpile.py                            # 1 pair
    python benchmarks/stockpile.py --pairs 2 --baseline ../old   # and the command in another checkout
                                                              # (its .venv and default case) after each

The yardstick is a new process running highspy alone, with the planner's options and two blocks at a
time, on every block of every point's hedged model (each mineral's case with the point's floors,
``planner.studies.stockpile.floors``), read from MPS: the solves the study must make, without its
warm starts, verification, reports or processes.  Wall and CPU (user + system, with the processes each
run started) are printed for each; the machine is shared, so the runs of a set go back to back and
the figures to quote are their ratios.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from models.solve import Session, SolveOptions  # noqa: E402
from planner.studies.resilience import HEDGED_GAP  # noqa: E402
from planner.studies.stockpile import floors  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402
from run import highs_process, print_runs, timed_process, write_blocks  # noqa: E402

DEFAULT = ROOT / "inputs" / "korea_2030.xlsx"
DAYS = [float(v) for v in range(0, 181, 15)]  # the command's default --days 0:180:15


def stockpile_run(root: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU seconds of ``planner stockpile`` on the default case in the checkout ``root`` (its
    own .venv, or this Python, and its own default case), a new process."""
    python = root / ".venv" / "bin" / "python"
    with tempfile.TemporaryDirectory() as tmp:
        return timed_process([str(python) if root != ROOT and python.exists() else sys.executable, "-m", "planner",
                              "stockpile", str(root / "inputs" / "korea_2030.xlsx"), "-o", tmp], root)


def point_blocks(folder: Path) -> tuple[list[str], int]:
    """Every point's hedged blocks as MPS files (largest first), and the number of points."""
    d = read_workbook(DEFAULT).data
    paths, count = [], 0
    for m in (m for m in d.minerals if d.stockpile[m].max_stock_t > 0):
        session = Session(d.restricted_to(d.group_of(m)), hedged=True)
        for k, (_label, by_year, _uniform) in enumerate(floors(d, m, DAYS)):
            session.set_limits("stockpile_min_days", {(m, y): by_year.get(y) or 0.0 for y in d.years})
            paths += write_blocks(session, folder, f"{m}-{k}-")
            count += 1
    return paths, count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--baseline", type=Path, help="Also time the command in this checkout right after each run")
    a = ap.parse_args()
    opts = SolveOptions(a.time_limit, HEDGED_GAP, a.threads)
    baseline = a.baseline and a.baseline.resolve()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        paths, points = point_blocks(Path(tmp))
        for _ in range(a.pairs):
            runs.append((stockpile_run(), highs_process(paths, opts, hedged=True),
                         stockpile_run(baseline) if baseline else None))
    print(f"'planner stockpile' on the default case ({points} points), new process, against highspy alone on their "
          f"{len(paths)} blocks, new process" + (f", and against {baseline}" if baseline else "")
          + " (wall, and CPU with the processes each started):")
    print_runs(runs, "target: planner < 180 s on 2 cores")


if __name__ == "__main__":
    main()
