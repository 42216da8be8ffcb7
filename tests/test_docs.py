"""The README cannot drift from the schema, and CI runs the README's test command as written."""

import re

from conftest import ROOT
from planner.workbook.schema import reference_markdown


def test_readme_workbook_reference_is_current():
    assert reference_markdown() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```\n(.+?)\n```", readme)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readmes_least_cost_is_the_optimum_the_default_solve_is_checked_against():
    """The README quotes the default case's least cost; test_cli_solve solves the default case and checks
    its proven optimum against the same figure, so the README's figure is a run's figure."""
    from test_cli_solve import DEFAULT_OPTIMUM_USD

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"least cost **{round(DEFAULT_OPTIMUM_USD):,} USD**" in readme
