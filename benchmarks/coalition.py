"""planner coalition on the default case: the seven coalitions of KOR, JPN and USA, against HiGHS alone on
the same models.

    python benchmarks/coalition.py                  # the command with -j 2, then the yardstick
    python benchmarks/coalition.py --repeat 3 --jobs 1 2

The command runs as a new process (reading, every coalition of every mineral built, solved and verified
in worker processes, the reports written); its wall time is what a planner waits.  The yardstick builds
the same models in this process (``models.coalition.CoalitionSession``: Korea's hedged model in each
coalition and the coalition's rows, one model per coalition and mineral group, none reused),
writes each one's HiGHS blocks to MPS and solves them with highspy alone, one after the other, with the
planner's options (gap 1e-7, one thread, no restart).  The ratio is the command's wall time over HiGHS
alone's solve time: what the build, the verification, the reports and the process start-up cost on top of
the solves, less what two workers and the reuse of plans save.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

import run  # noqa: E402  (highs_alone: each block to MPS and back, solved by highspy alone)

from models.coalition import CoalitionCase, CoalitionSession  # noqa: E402
from models.solve import SolveOptions  # noqa: E402
from planner.studies.coalition import check_members  # noqa: E402
from planner.studies.games import coalitions  # noqa: E402
from planner.studies.resilience import hedged_options  # noqa: E402
from planner.workbook.reader import read_workbook  # noqa: E402

WORKBOOK = ROOT / "inputs" / "korea_2030.xlsx"
MEMBERS = ("KOR", "JPN", "USA")


def command(jobs: int, folder: Path) -> tuple[float, str]:
    """Wall seconds of ``planner coalition`` with ``jobs`` workers, and its last line."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "planner", "coalition", str(WORKBOOK), "--members", ",".join(MEMBERS),
                           "-j", str(jobs), "-o", str(folder)], cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, done.stdout.strip().splitlines()[-1]


def yardstick(folder: Path) -> dict[str, float]:
    """Build every coalition's model of every mineral group, and solve its blocks with highspy alone from MPS
    (``benchmarks/run.py``'s ``highs_alone``: the planner's gap, one thread, no restart)."""
    d = read_workbook(WORKBOOK).data
    members, minerals = check_members(d, list(MEMBERS), [])
    opts = hedged_options(SolveOptions.from_settings(d.settings, threads=1))
    out = {"build_s": 0.0, "solve_s": 0.0, "models": 0, "blocks": 0}
    reference: dict[str, dict] = {}
    for group in (g for g in d.mineral_groups if set(g) & set(minerals)):  # the minerals a stream plant links
        m = "+".join(group)
        case = d.restricted_to(group)
        for s in coalitions(members):
            s = tuple(i for i in members if i in s)
            c = time.perf_counter()
            session = CoalitionSession(CoalitionCase(case, members, s, reference.get(m, {})))
            out["build_s"] += time.perf_counter() - c
            if s == ("KOR",):  # its purchases are the spare capacity partners meet without Korea
                reference[m] = dict(session.solve(opts, shadow_prices=False).buy_t)
            out["models"] += 1
            out["solve_s"] += run.highs_alone(session, opts, folder, session.blocks)
            out["blocks"] += len(session.blocks)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, nargs="+", default=[2], help="worker counts for the command (default 2)")
    p.add_argument("--repeat", type=int, default=1)
    args = p.parse_args()
    print(f"planner coalition {WORKBOOK.name} --members {','.join(MEMBERS)} (7 coalitions x each mineral group)")
    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in args.jobs:
            for r in range(args.repeat):
                wall, last = command(jobs, Path(tmp) / f"out{jobs}-{r}")
                walls.append((jobs, wall))
                print(f"  command, -j {jobs}:                   {wall:8.1f} s   ({last.split('(')[-1]}")
        alone = yardstick(Path(tmp))
    print(f"  yardstick: {alone['models']} models, {alone['blocks']} HiGHS blocks")
    print(f"  Pyomo build + compile, all models:    {alone['build_s']:8.1f} s")
    print(f"  HiGHS alone, one after the other:     {alone['solve_s']:8.1f} s")
    for jobs, wall in walls:
        print(f"  command -j {jobs} / HiGHS alone:         {wall / alone['solve_s']:8.2f}")


if __name__ == "__main__":
    main()
