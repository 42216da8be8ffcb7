import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))  # tests/factory.py

from models.solve import SolveOptions  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORKBOOK = ROOT / "inputs" / "korea_2030.xlsx"


# Every run draws the same examples (each test's own, seeded by a hash of it, with no example database), so a
# verdict holds from one run, machine and day to the next, for a given Hypothesis version (fresh draws failed
# a test that had passed the run before).
# `pytest --hypothesis-profile=explore` draws fresh examples, keeps the failing ones in .hypothesis/ and replays
# them first next time (README, Two commands).  Neither profile has a deadline or a too-slow health check: a solve's
# time depends on the machine's load, not on the code.
settings.register_profile("repeatable", derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("repeatable")  # --hypothesis-profile loads its profile after this file

# Small test models are solved to (near) proven optimality, on one thread.
TEST_OPTS = SolveOptions(time_limit_s=30, mip_gap=1e-9, threads=1)


def options_refused(args: list[str], tmp_path: Path) -> list[str]:
    """The problems the one usage error of ``planner ARGS`` on the default workbook lists ('N problems with the
    options; fix them all and run again:' and a line each), after checking it exits 2 without a traceback and
    writes nothing."""
    from click.testing import CliRunner

    from planner.cli import main

    result = CliRunner().invoke(main, [*args, str(DEFAULT_WORKBOOK), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists(), result.output
    head, _, listed = result.output.partition(" problems with the options; fix them all and run again:\n")
    lines = listed.splitlines()
    assert head.endswith(f"Error: {len(lines)}"), result.output
    return lines


@pytest.fixture
def opts() -> SolveOptions:
    return TEST_OPTS
