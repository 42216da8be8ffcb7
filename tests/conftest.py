import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/factory.py

from models.solve import SolveOptions  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORKBOOK = ROOT / "inputs" / "korea_2030.xlsx"


# Small test models are solved to (near) proven optimality, on one thread.
TEST_OPTS = SolveOptions(time_limit_s=30, mip_gap=1e-9, threads=1)


@pytest.fixture
def opts() -> SolveOptions:
    return TEST_OPTS
