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


def test_the_readmes_size_of_the_default_workbook_is_the_files():
    """The README gave the default case as 65 kB, 0.3 MB of XML, 3,300 cells and 11,000 XML elements; it had
    grown to 152 kB, 0.8 MB, 8,416 cells and 26,118 elements, counted as the safety check counts them."""
    import zipfile

    from conftest import DEFAULT_WORKBOOK
    from planner.workbook import safety

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    kb, mb, cells, elements = re.search(r"the default case is a (\d+) kB file with ([\d.]+) MB of XML, ([\d,]+) "
                                        r"cells and ([\d,]+) XML elements", readme).groups()
    totals = {"cells": 0, "elements": 0}
    with zipfile.ZipFile(DEFAULT_WORKBOOK) as z:
        for info in z.infolist():
            safety._scan_part(z, info, totals)
        xml_bytes = sum(i.file_size for i in z.infolist())
    assert int(kb) == round(DEFAULT_WORKBOOK.stat().st_size / 1000)
    assert float(mb) == round(xml_bytes / 1e6, 1)
    assert int(cells.replace(",", "")) == round(totals["cells"], -2)
    assert int(elements.replace(",", "")) == round(totals["elements"], -3)
