"""The ``planner`` command line: init, validate, solve, stress, compare, sweep, alternatives, brief.

Every command turns known failures into a short message and an exit code
(see EXIT_* in planner.workbook.errors and the README); ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import hashlib
import math
import os
import re
import shlex
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NoReturn

import click

from planner import stopping
from planner.workbook import schema as S
from planner.workbook.errors import (
    EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_MEMORY, EXIT_NO_SOLUTION, EXIT_OK, EXIT_OUTPUT, InputError,
    MemoryShort, OutputError, WorkerEnded,
)
from planner.reports.runinfo import PACKAGE
from planner.reports.width import display_width

DEFAULT_WORKBOOK = Path("inputs/korea_2030.xlsx")


class GivenPath(click.Path):
    """A path that is not empty: '' (a script's unset variable, "$OUT") would be the current folder, where a run
    wrote its outputs unasked, and a workbook '' was refused as "'.' is a folder".  A ~ the shell left as it was
    (quoted: -o "~/outputs") is the home folder: taken as written, a run made a folder named ~ here, and said it
    wrote to ~/outputs."""

    def __init__(self, hint: str = "", **kwargs):
        super().__init__(**kwargs)
        self.hint = hint

    def convert(self, value, param, ctx):
        if isinstance(value, str):
            if not value.strip():
                self.fail(f"{value!r} is blank; give a path{self.hint}", param, ctx)
            value = os.path.expanduser(value)
        return super().convert(value, param, ctx)


WORKBOOK_PATH = GivenPath(dir_okay=False, path_type=Path)
# What a command writes to (-o, init's PATH): whether it can be written is checked as every output is (exit 4);
# click's Path would refuse a folder or file it cannot read, as a usage error (2), though writing needs no reading.
OUTPUT_DIR = GivenPath(" (. for the current folder)", path_type=Path, readable=False)
NO_DISRUPTIONS = ("error: the workbook has no disruptions to test against: add rows to its Disruptions sheet (see "
                  "the README), or write a fresh workbook with 'planner init'")
STOCKPILE_DAYS = ("0:180:15", "30,60,100")  # planner stockpile --days: its default, and a list of floors
NO_RISKS = ("error: --sample draws scenarios from the Disruption risks sheet, and this workbook has no rows there: "
            "add some (see the README), or write a fresh workbook with 'planner init'")


class Failure(Exception):
    """A run that ends with a message and an exit code, not a traceback."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def _left(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns of the console, a wide character (Hangul, CJK: East Asian width W or F)
    counted as the two it takes: f"{m:<12}" counts it as one, and a mineral named in Hangul pushed its row's figures
    out of their columns."""
    return text + " " * (width - display_width(text))


def _issue_lines(issues) -> list[str]:
    return [f"  - {i}" for i in issues]


def _out_of_memory(e: BaseException) -> bool:
    """Whether an error is the process running out of memory, as Python and the libraries say it: a
    MemoryError, an allocation (or a thread, or a library's mapping) the system refused."""
    return (isinstance(e, MemoryError) or (isinstance(e, OSError) and e.errno == errno.ENOMEM)
            or (isinstance(e, ImportError) and "failed to map segment" in str(e))
            or (isinstance(e, RuntimeError) and "can't start new thread" in str(e)))


# A write that found no room (a disk or quota full, a file too large), or an output name longer than the
# file system takes.
CANNOT_WRITE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.ENAMETOOLONG)


def _say(text: str) -> None:
    """A message on stderr.  One that cannot be written (stderr on a full disk, or closed) is lost rather than
    raised from the error handler, where it would replace the run's exit code with Python's 1."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(text, err=True)


class _Console:
    """sys.stdout or sys.stderr, which shows a character its encoding lacks as a \\u escape, and goes quiet once
    the reader of its pipe has gone (``planner compare |
    head``), or its terminal was closed (a write then fails with EIO): the run goes on, writes its outputs,
    or what finished before the terminal's SIGHUP stopped it, and ends with its own exit code, where the first
    line printed after that ended it, with nothing written (exit 0 after a pipe, 129 as "no output was
    written" after a terminal)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            try:
                return self._stream.write(text)
            except UnicodeEncodeError:
                # A console whose encoding lacks a character (a Korean report's findings, an id in Hangul, on a
                # cp1252 or latin-1 console, or a file it is redirected to on Windows) ended the run as an
                # internal error, exit 5, with nothing written: such characters are shown as \u escapes.
                encoding = self._stream.encoding
                return self._stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        except OSError as e:
            if not _reader_gone(e):
                raise
            self._quiet()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as e:
            if not _reader_gone(e):
                raise
            self._quiet()

    def _quiet(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())  # what is still buffered goes there too
        os.close(devnull)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _reader_gone(e: OSError) -> bool:
    """Whether a console write failed because nobody reads it any more: a pipe's reader ended, or the
    terminal was closed (hung up)."""
    return isinstance(e, BrokenPipeError) or e.errno == errno.EIO


def friendly(command):
    """Map the exceptions a user can cause to messages and exit codes."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except InputError as e:
            _say(f"error: {len(e.issues)} problem(s) in the input; fix them all and run again:")
            _say("\n".join(_issue_lines(e.issues)))
            if e.warnings:
                _say(f"and {len(e.warnings)} warning(s):")
                _say("\n".join(_issue_lines(e.warnings)))
            sys.exit(EXIT_BAD_INPUT)
        except OutputError as e:
            _say(f"error: {e}")
            sys.exit(EXIT_OUTPUT)
        except Failure as e:
            _say(str(e))
            sys.exit(e.code)
        except KeyboardInterrupt:
            stopping.end("no output was written")
        except MemoryShort as e:  # refused before it started
            _say(f"error: {e}")
            sys.exit(EXIT_MEMORY)
        except WorkerEnded as e:  # someone ended one worker: not a bug, and the run cannot be complete
            if stopping.requested():  # the signal came to the whole process group: a stop
                stopping.end("no output was written")
            _say(f"error: {e}; no output was written (earlier outputs are untouched)")
            sys.exit(128 + e.signum)  # the shell's convention, as for a stop of the planner itself
        except Exception as e:  # a bug: say so plainly, keep the traceback for --debug
            if stopping.requested():  # unless a stop signal surfaced as this error
                stopping.end("no output was written")
            if isinstance(e, OSError) and e.errno in CANNOT_WRITE:  # the console's log on a full disk, /dev/shm,
                # an output's name. Files are written only by files.commit: they are all written or none.
                shorter = "; choose a shorter output folder or workbook name" if e.errno == errno.ENAMETOOLONG else ""
                _say(f"error: cannot write {e.filename or 'the console output (standard output)'}: {e.strerror}"
                     f"{shorter}; the run's output files are all written or none are")
                sys.exit(EXIT_OUTPUT)
            if _out_of_memory(e):  # the machine's limits, not a bug
                from planner.memory import out_of_memory

                _say(f"{out_of_memory()} ({type(e).__name__}{f': {e}' if str(e) else ''})")
                sys.exit(EXIT_MEMORY)
            if debug:
                raise
            _say(f"internal error ({type(e).__name__}: {e}). This is a bug in the planner, not in your "
                 "workbook; run again with --debug for the traceback and report it.")
            sys.exit(EXIT_INTERNAL)

    return run


class SettingValue(click.ParamType):
    """A command-line value for a row of the Settings sheet, read and bounded as the workbook's is."""

    def __init__(self, setting: str):
        self.spec = S.SETTING_BY_NAME[setting]
        self.name = {S.INTEGER: "integer", S.SHARE: "share"}.get(self.spec.kind, "number")

    def convert(self, value, param, ctx):
        from planner.workbook.cells import Bad, Parser
        from planner.workbook.errors import Issues

        issues = Issues()
        try:
            return Parser(issues, None).parse("Settings", "", self.spec, float(value))
        except ValueError:
            self.fail(f"{value!r} is not a number", param, ctx)
        except Bad:
            self.fail(f"{value!r}: {issues[-1].expected}", param, ctx)


class Years(click.ParamType):
    """--years: a year, a range of years (2027-2030) or 'all', inside the years a workbook may plan."""

    name = "years"

    def convert(self, value, param, ctx):
        if value.strip().lower() == "all":
            return "all"
        first, dash, last = value.partition("-")
        bounds = S.SETTING_BY_NAME["last_year"]  # the years any workbook may plan
        try:  # "2030-" is no range: the year it would end in is not given
            years = int(first), int(last if dash else first)
        except ValueError:
            years = ()
        if not years or not bounds.minimum <= years[0] <= years[1] <= bounds.maximum:
            self.fail(f"{value!r}: expected a year or a range like 2027-2030 (years from {bounds.minimum:g} to "
                      f"{bounds.maximum:g}), or 'all'", param, ctx)
        return years


class Share(click.ParamType):
    """A share from 0 to 1 (0.02 = 2%)."""

    name = "share"

    def convert(self, value, param, ctx):
        try:
            x = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not (math.isfinite(x) and 0 <= x <= 1):
            self.fail(f"{value!r}: expected a share from 0 to 1 (0.02 = 2%)", param, ctx)
        return x


class WholeRange(click.IntRange):
    """click's IntRange, but a value that is no whole number (--sample 1e3, --year 2030.5) is "not a valid whole
    number", not "not a valid integer range", which asked for a range; the help still shows INTEGER."""

    name = "whole number"

    def get_metavar(self, param, ctx=None) -> str:
        return "INTEGER"


class FiniteRange(click.FloatRange):
    """A float range that refuses nan and inf as well: click's FloatRange lets nan through every bound."""

    def convert(self, value, param, ctx):
        x = super().convert(value, param, ctx)
        if not math.isfinite(x):
            self.fail(f"{value!r} is not a finite number (expected {self._describe_range()})", param, ctx)
        return x


def solver_options(per: str = ""):
    """The --time-limit, --gap and --threads options of every command that solves."""
    options = (
        click.option("--time-limit", type=SettingValue("time_limit_s"), help=f"Seconds{per} (default: Settings)."),
        click.option("--gap", type=SettingValue("mip_gap"), help="Relative MIP gap, 0.001 = 0.1% (default: Settings)."),
        click.option("--threads", type=SettingValue("threads"), help="Solver threads (default: Settings)."),
    )

    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


LANGS = ("en", "ko")  # planner.reports.labels.LANGS, without importing it at start-up


def lang_option(command):
    """--lang: the language of the reports a command writes (a choice, in any case: KO is ko; anything else is a
    usage error, exit 2)."""
    return click.option("--lang", type=click.Choice(LANGS, case_sensitive=False), default="en", show_default=True,
                        help="Language of the reports: en (English) or ko (Korean, in the strategy's own words); "
                             "numbers, units, ISO codes and workbook ids stay as they are.")(command)


def disruption_options(command):
    """--sample, --seed and --mix: scenarios drawn from the Disruption risks sheet instead of the
    Disruptions sheet's events (``models.sampling``)."""
    options = (
        # 20,000 draws of the default case need ~7.6 GB in one process (planner.memory; measured: 462 MB at
        # 1,000, 1,564 MB at 4,000); planner.memory refuses a run that would not fit before building it.
        click.option("--sample", type=WholeRange(1, 20_000), metavar="N",
                     help="Draw N equally likely scenarios (at most 20,000) from the Disruption risks sheet instead "
                          "of using the Disruptions sheet."),
        click.option("--seed", type=WholeRange(0, 2**63 - 1), metavar="S",
                     help="Seed of --sample's draws (default 1): the same workbook, N and S give the same scenarios."),
        click.option("--mix", is_flag=True, help="With --sample: keep the Disruptions sheet's events too, at their "
                                                 "probabilities; the samples share the rest."),
    )
    for option in reversed(options):
        command = option(command)
    return command


def _sampling(sample, seed, mix) -> tuple[int, int, bool] | None:
    """The sampling asked for (N, seed, --mix), or None."""
    return None if sample is None else (sample, 1 if seed is None else seed, mix)


def _sample_problems(sample, seed, mix, **_) -> list[str]:
    """The checks of ``disruption_options``: --seed or --mix without --sample."""
    if sample is not None:
        return []
    return [f"{name} goes with --sample N (draw N scenarios from the Disruption risks sheet)"
            for name, given in (("--seed", seed is not None), ("--mix", mix)) if given]


REFUSED = object()  # an option given with a value its type refused


class _EveryValue(click.Command):
    """A command that checks every option before it refuses any: click stops at the first value its type
    refuses (``--time-limit -1 --gap 2 --threads 0`` named only --time-limit), and the options that do not go
    together were checked only once every value was accepted (``--time-limit -1 --seed 3`` named --time-limit,
    then, once fixed, --seed), so a planner fixed one, ran again, and met the next.

    ``checks``: the command's checks of what its options alone can tell, before any work (--seed without
    --sample, a --days range): a function of the option values by name (``**_`` takes the rest) that returns
    the problems.  A value its type refused is REFUSED there: given (--sample 0 --seed 3 is not "--seed goes
    with --sample"), its value not known (a check of --method sobol says nothing of --method sobl).  Every
    problem is refused at once, as a usage error (exit 2)."""

    def __init__(self, *args, checks: Callable[..., list[str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = checks

    def parse_args(self, ctx, args):
        refused: list[click.BadParameter] = []

        def checked(handle):
            def handle_parse_result(ctx, opts, args):
                try:
                    return handle(ctx, opts, args)
                except click.BadParameter as e:  # the value stays unset: the command is not run
                    refused.append(e)
                    return None, args
            return handle_parse_result

        params = self.get_params(ctx)
        for param in params:  # on the instance, for this parse only
            param.handle_parse_result = checked(param.handle_parse_result)
        try:
            rest = super().parse_args(ctx, args)
        finally:
            for param in params:
                del param.handle_parse_result
        problems = [e.format_message() for e in refused]
        if self.checks is not None and not ctx.resilient_parsing:
            problems += self.checks(**{p.name: ctx.params.get(p.name, REFUSED) for p in params if p.expose_value})
        if problems:
            raise click.UsageError(_options_problems(problems), ctx)
        return rest


def _options_problems(problems: list[str]) -> str:
    """One problem with the options as it is, or all of them, counted, a line each."""
    if len(problems) == 1:
        return problems[0]
    return f"{len(problems)} problems with the options; fix them all and run again:\n" + "\n".join(
        _issue_lines(problems))


class _Planner(click.Group):
    command_class = _EveryValue


@click.group(cls=_Planner, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show Python tracebacks of internal errors.")
@click.version_option(package_name=PACKAGE)
def main(debug: bool) -> None:
    """Critical-minerals sourcing planner: plan imports, recycling and stockpiles year by year
    at least cost under China-exposure, political-risk, recycling and stockpile policies.

    Exit codes: 0 done, 1 infeasible (diagnosis printed), 2 bad input, 3 no plan within
    the time limit, 4 cannot write output, 5 internal error, 6 not enough memory,
    129 hung up (SIGHUP: the terminal was closed), 130 interrupted (Ctrl-C), 143 terminated
    (SIGTERM).
    """
    # numpy (highspy loads it) starts an OpenBLAS thread per core as it loads, each reserving tens of MB of
    # address space, for linear algebra the planner does not do; and when one cannot start (the address
    # space or the process limit is reached) OpenBLAS raises SIGINT: the run ended as a Ctrl-C, exit 130.
    # One thread, unless the user chose otherwise; worker processes inherit it.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.stdout, sys.stderr = (s if s is None or isinstance(s, _Console) else _Console(s)
                              for s in (sys.stdout, sys.stderr))


@main.command()
@click.argument("path", type=GivenPath(path_type=Path, readable=False))  # as OUTPUT_DIR
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@friendly
def init(path: Path, force: bool) -> None:
    """Write a fresh copy of the default Korea 2030 workbook to PATH, to edit."""
    from planner.reports.files import check_targets, commit, workbook_bytes
    from planner.workbook.defaults import load_default_tables
    from planner.workbook.writer import build_input_workbook

    if path.suffix.lower() != ".xlsx":
        # '.xlsx' alone has no suffix (a hidden file's name), and 'x.xlsx ' ends in a space: each was told it "must
        # end in .xlsx", which it seems to.
        name = path.name.rstrip()
        why = (f"must end in .xlsx (it is a folder: give a file in it, e.g. {path / 'my_plan.xlsx'})"
               if _is(path, Path.is_dir) else
               f"has no name before .xlsx; give one, e.g. {path.with_name('my_plan.xlsx')}" if name.lower() == ".xlsx"
               else f"must end in .xlsx, not in {path.name[len(name):]!r} after it" if name.lower().endswith(".xlsx")
               else "must end in .xlsx")
        raise Failure(f"error: {path} {why}", EXIT_OUTPUT)
    check_targets([path])
    if path.exists() and not force:
        raise Failure(f"error: {path} exists; choose another name or pass --force to replace it", EXIT_OUTPUT)
    commit({path: workbook_bytes(build_input_workbook(load_default_tables()))})
    shown = shlex.quote(str(path))  # as a shell takes it back: a name with spaces or quotes stays one argument
    click.echo(f"wrote {path}: the default Korea case (decisions 2026-2035). Edit the yellow cells, then run:\n"
               f"  planner validate {shown}\n  planner solve {shown}")


def _read(path: Path):
    from planner.workbook.reader import read_workbook

    try:
        found = path.exists()
    except OSError as e:  # a name longer than the file system takes (a pasted path run on)
        raise Failure(f"error: cannot open the workbook {path}: {e.strerror}", EXIT_BAD_INPUT) from None
    if not found:
        try:  # exists() says False for a path that loops through symbolic links, as for none
            os.stat(path)
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise Failure(f"error: cannot open the workbook {path}: its path is a loop of symbolic links; give "
                              "the workbook itself, or point the link at it", EXIT_BAD_INPUT) from None
        if _is(path, Path.is_symlink):  # a dangling link: the name is there, the file it points at is not
            raise Failure(f"error: no workbook at {path}: it is a symbolic link to {os.path.realpath(path)}, which "
                          "does not exist; give the workbook itself, or point the link at it", EXIT_BAD_INPUT)
        named = path.with_name(path.name + ".xlsx")
        hint = (" (run it from the project folder, or give a workbook path)" if path == DEFAULT_WORKBOOK else
                f" (did you mean {named}?)" if path.suffix.lower() != ".xlsx" and _is(named, Path.is_file) else "")
        raise Failure(f"error: no workbook at {path}{hint}", EXIT_BAD_INPUT)
    return read_workbook(path)


def _is(path: Path, kind: Callable[[Path], bool]) -> bool:
    """``kind(path)`` for a hint, False where the name cannot be looked up (longer than the file system takes)."""
    try:
        return kind(path)
    except OSError:
        return False


def _loader(*modules: str) -> Callable[[], None]:
    """What imports ``modules``, for a command to use after a wait that releases the interpreter
    (HiGHS solving); a failure surfaces where the command imports them itself."""
    import importlib

    def load() -> None:
        with contextlib.suppress(BaseException):
            for name in modules:
                importlib.import_module(name)
    return load


def _describe(loaded) -> str:
    d = loaded.data
    usable = sum(len(v) for v in d.usable_suppliers.values())
    recycling = len(d.module_owners) - len(d.refineries)
    def n(count: int, one: str, many: str) -> str:  # '1 refinery', '2 refineries'
        return f"{count} {one if count == 1 else many}"

    refineries = f", {n(len(d.refineries), 'refinery', 'refineries')}" if d.refineries else ""
    return (f"{n(len(d.minerals), 'mineral', 'minerals')}, {n(len(d.suppliers), 'supply option', 'supply options')} "
            f"({usable} usable), {n(recycling, 'recycling option', 'recycling options')} "
            f"({n(len(d.recycling_plants), 'plant', 'plants')} on {n(len(d.streams), 'stream', 'streams')})"
            f"{refineries}, {n(len(d.agreements), 'agreement', 'agreements')}, "
            f"{d.settings.first_year}-{d.settings.last_year}")


def _print_warnings(warnings) -> None:
    if warnings:
        click.echo(f"{len(warnings)} warning(s):")
        click.echo("\n".join(_issue_lines(warnings)))


@main.command()
@click.argument("workbook", type=WORKBOOK_PATH, default=str(DEFAULT_WORKBOOK))
@friendly
def validate(workbook: Path) -> None:
    """Check WORKBOOK and list every problem (sheet, cell, column, value, expectation)."""
    from planner.studies.policies import target_year
    from planner.workbook.validate import max_recycling_t, merit_order_china_share

    loaded = _read(workbook)
    d = loaded.data
    click.echo(f"valid: {_describe(loaded)}")
    if loaded.scenarios:
        click.echo(f"scenarios ({len(loaded.scenarios)}, each applied and checked): {', '.join(loaded.scenarios)}")
    _print_warnings(loaded.warnings)
    y = d.settings.first_year
    shares = merit_order_china_share(d, y)
    click.echo(f"China share of tonnes bought in {y} if bought cheapest-first with no policy (cap in {y}):")
    for m, share in shares.items():
        cap = d.limit("china_cap_share", m, y)
        click.echo(f"  {_left(m, 12)} {share:6.1%}  ({'no cap' if cap is None else f'cap {cap:.0%}'})")
    target = target_year(d)
    years = sorted({d.settings.first_year, target, d.settings.last_year})
    click.echo(f"Most recycling can give, share of demand in the first year, the strategy's target year ({target}) and "
               "the last year (every module built as early as allowed, all the feedstock collected; the Policy sheet's "
               "recycling minimum in brackets):")
    click.echo(f"  {'':<12}" + "".join(f"{y:>16}" for y in years))
    for m in d.minerals:
        if not d.recycling_by_mineral[m]:
            continue
        cells = []
        for y in years:
            demand = d.demand_t.get((m, y), 0.0)
            floor = d.limit("recycling_min_share", m, y)
            cells.append(f"{max_recycling_t(d, m, y) / demand if demand else 0:7.1%}"
                         + (f" ({floor:5.1%})" if floor is not None else " " * 8))
        click.echo(f"  {_left(m, 12)}" + "".join(f"{c:>16}" for c in cells))


def _print_plan(d, plan, ev) -> None:
    from planner.reports.html import limit_path

    st = plan.stats
    gap = "n/a" if st.gap is None else f"{st.gap:.4%}"
    proven = "" if st.bound_usd is None else f", at most {st.objective_usd - st.bound_usd:,.0f} above the least cost"
    click.echo(f"status    {st.status}   objective {ev.total_usd:,.0f} {d.settings.currency} (present value{proven})   "
               f"gap {gap}   solve {st.wall_s:.2f} s ({st.decomposition})")
    click.echo("verified  demand, capacities, contracts, recycling, stockpile, every cap and the objective, "
               "recomputed from the input data")
    from planner.indicators import binding_years
    from planner.reports.labels import family_name, year_list

    years = list(d.years)
    binding = binding_years(plan)
    china_binds = {(m, y) for (family, m), ys in binding.items() if family == "china_cap" for y in ys}
    basis = "imports" if d.settings.reliance_basis == "imports" else "consumption"
    click.echo(f"China share of {basis} per year (mined or refined in China; Settings reliance_basis; * the China cap "
               "binds):")
    click.echo(f"  {'':<12}" + "".join(f"{y:>6}" for y in years) + "   cap")
    for m in d.minerals:
        cells = "".join(f"{ev.indicators[m, y].china_share:5.0%}{'*' if (m, y) in china_binds else ' '}"
                        for y in years)
        caps = [(y, d.limit("china_cap_share", m, y)) for y in years if d.limit("china_cap_share", m, y) is not None]
        shown = limit_path(caps, "percent", "->") if caps else "none"
        click.echo(f"  {_left(m, 12)}{cells}  {shown}")
    if binding:
        click.echo("binding limits (shadow price of at least 1 USD per point):")
        by_mineral: dict[str, list[str]] = {}
        for (family, m), ys in binding.items():
            by_mineral.setdefault(m, []).append(f"{family_name(family)} {year_list(ys)}")
        for m in d.minerals:
            if m in by_mineral:
                click.echo(f"  {_left(m, 12)}{'; '.join(by_mineral[m])}")
    else:
        click.echo("binding limits: none")
    unmet = sum(mi.unmet_t for mi in ev.indicators.values())
    if unmet > 0:
        click.echo(f"unmet demand: {unmet:,.0f} t in total (see the Policy sheet, column unmet_t)")


def _shown(value, unit: str) -> str:
    """A limit or data value as a planner reads it: a limit as every report writes it (``limit_value``), any
    other figure with its unit."""
    from planner.reports.labels import LIMIT_UNIT, limit_value

    if isinstance(value, str):
        return value
    if value is None or unit in LIMIT_UNIT.values():
        return limit_value(value, unit)
    return f"{value:,g} {unit}".rstrip()


def _print_diagnosis(diagnosis, opts, overrides=None) -> None:
    """The limits an infeasible case must move; a limit a sweep set (``overrides``, (family, mineral, year) ->
    what its cell holds) is said to be the sweep's, not 'is' a value its cell does not show."""
    from models.plan import INFEASIBLE, is_cap
    from planner.reports.labels import family_name, reason
    from planner.reports.sweep_report import set_by_sweep_words
    from planner.studies import reasons

    relaxations = diagnosis.relaxations
    if not diagnosis.finished or not relaxations:
        click.echo(f"{reason(reasons.infeasible(diagnosis, opts.time_limit_s))} (HiGHS: "
                   f"{diagnosis.plan.stats.termination}).", err=True)
        return
    if diagnosis.verified:
        click.echo("infeasible: no plan meets every policy limit. Make all of these changes together (checked: "
                   "with all of them the case has a plan):", err=True)
    elif diagnosis.check == INFEASIBLE:
        click.echo("infeasible: no plan meets every policy limit. These limits must move, but even with all of "
                   "them moved the case has no plan (whole contracts or modules; see below):", err=True)
    else:
        click.echo("infeasible: no plan meets every policy limit. These limits must move; the time limit of "
                   f"{opts.time_limit_s:g} s ended the check of all of them together before it found a plan, so "
                   "they may not be enough:", err=True)
    for r in sorted(relaxations, key=lambda r: (r.mineral_id, r.year, r.family)):
        # Caps must rise to the needed value; minimums (and demand) must fall to it.
        bound = "at least" if is_cap(r.family) else "at most"
        row = (f" (the all-minerals row of {r.year}: to change {r.mineral_id} alone, add a {r.mineral_id} row "
               f"for {r.year})" if r.all_minerals_row else "")
        key = (r.family, r.mineral_id, r.year)
        now = (set_by_sweep_words(r.limit, overrides[key], r.unit) if overrides and key in overrides
               else f"is {_shown(r.limit, r.unit)}")
        click.echo(f"  - {r.cell} {family_name(r.family)}, {r.mineral_id} {r.year}: {now}, "
                   f"must be {bound} {_shown(r.needed, r.unit)}{row}", err=True)


def _print_conflicts(report, overrides=None) -> None:
    """The second depth of the diagnosis: HiGHS's smallest conflicting set, or why there is none; a Policy
    limit a sweep set (``overrides``, as ``_print_diagnosis``'s) said to be the sweep's."""
    from planner.reports.labels import family_name
    from planner.reports.sweep_report import set_by_sweep_words

    def line(c):
        years = f" ({', '.join(map(str, c.years))})" if c.years else ""
        what = c.what or f"{family_name(c.family)}{f' on {c.country}' if c.country else ''}, {c.mineral_id}"
        key = (c.family, c.mineral_id, c.years[0]) if c.family and len(c.years) == 1 else None
        if overrides and key in overrides:  # its year before the words, not after their own brackets
            return f"  - {c.cell} {what}{years}: {set_by_sweep_words(c.value, overrides[key], c.unit)}"
        return f"  - {c.cell} {what}: {_shown(c.value, c.unit)}{years}"

    if report.lp_feasible:
        click.echo("the limits can all be met with fractional contracts and recycling modules, but not with whole "
                   "ones: check minimum volumes, forced contracts, module sizes and the minimum contract length:",
                   err=True)
    elif not report.found:
        click.echo("no smallest conflicting set found within the time limit (HiGHS IIS)", err=True)
        return
    else:
        click.echo(f"smallest conflicting set (HiGHS IIS of the LP relaxation: {report.iis_rows} constraint(s), "
                   f"{report.iis_bounds} bound(s)). These cannot all hold; changing any one of them removes this "
                   "conflict (others may remain):", err=True)
    click.echo("\n".join(line(c) for c in report.conflicts), err=True)


def _explain_infeasible(d, opts, diagnosis=None, overrides=None) -> None:
    """Both depths: which policy limits must move and by how much (``diagnosis``, if already made), then
    which numbers clash; the limits a sweep set (``overrides``) said to be the sweep's."""
    from models.iis import explain
    from models.solve import diagnose
    from planner.studies.compare import relaxations_found

    diagnosis = diagnosis or diagnose(d, opts)
    _print_diagnosis(diagnosis, opts, overrides)
    explain_minerals = sorted({r.mineral_id for r in relaxations_found(diagnosis)}) or None
    _print_conflicts(explain(d, opts, minerals=explain_minerals), overrides)


def _explain_coalition_infeasible(d, opts, studied, e) -> None:
    """A coalition's model without a plan: Korea's own case of its minerals diagnosed if it too has none;
    else which coalition's model failed, that Korea's own case has a plan, and the Partners rows of the
    coalition's members for those minerals (a diagnosis of Korea's case named Korea's cells, all sound)."""
    from planner.studies.coalition import CoalitionNoPlan, own_case_has_plan

    minerals = list(e.minerals) if isinstance(e, CoalitionNoPlan) else list(studied)
    if not isinstance(e, CoalitionNoPlan) or not own_case_has_plan(d, minerals, opts):
        _explain_infeasible(d.restricted_to(minerals), opts)
        return
    home, which = d.settings.home_country, ", ".join(minerals)
    rows = _partner_lines(d, e.coalition, minerals)
    click.echo(f"infeasible: {e.what} has no plan (HiGHS: {e.plan.stats.termination}), though {home}'s own case of "
               f"{which} has one (checked: it solves), so no limit of {home}'s case is the cause. Most likely "
               "numerics (tonnages or costs too far apart for the solver's tolerances) or the partners' figures"
               + (f"; check the Partners rows of coalition {'+'.join(e.coalition)} for {which}:" if rows else
                  f"; coalition {'+'.join(e.coalition)} has no Partners rows for {which}"), err=True)
    for line in rows:
        click.echo(f"  - {line}", err=True)


def _partner_lines(d, coalition: tuple[str, ...], minerals) -> list[str]:
    """The Partners rows of ``coalition``'s members for ``minerals``, each with its tonnes and shortage cost and
    their cells (a blank stock_t, its mandate_days'), for the message on a coalition's model without a plan."""
    out = []
    for c in coalition:
        for m in minerals:
            p = d.partners.get((c, m))
            if p is None:
                continue
            at = functools.partial(d.cell, "Partners", (c, m))  # a cell's address, else the sheet's name
            stock = (f"stock_t blank: {p.stock_t:,.6g} t ({p.mandate_days:g} mandate_days of demand, "
                     f"{at('mandate_days')})" if p.stock_from_mandate else
                     f"stock_t {p.stock_t:,.6g} t ({at('stock_t')})")
            cost = (f"shortage_cost_usd_per_t {p.shortage_cost_usd_per_t:,.6g} USD/t "
                    f"({at('shortage_cost_usd_per_t')})" if p.shortage_cost_usd_per_t is not None else
                    f"shortage_cost_factor {p.shortage_cost_factor:g} ({at('shortage_cost_factor')})"
                    if p.shortage_cost_factor is not None else "shortage cost: Korea's curve")
            out.append(f"{c}, {m}: demand_t_per_yr {p.demand_t_per_yr:,.6g} t/yr ({at('demand_t_per_yr')}), "
                       f"{stock}, {cost}")
    return out


def _no_plan(stats, opts) -> Failure:
    """A solve that stopped without any plan: the time (or iteration) limit, memory, or a solver fault."""
    from models.solve import MEMORY_LIMIT

    if stats.termination in ("maxTimeLimit", "iterationLimit"):
        return Failure(f"error: no plan found within the time limit of {opts.time_limit_s:g} s "
                       f"(HiGHS: {stats.termination}); nothing written. Raise --time-limit or the Settings "
                       "time_limit_s", EXIT_NO_SOLUTION)
    if stats.termination == MEMORY_LIMIT:
        from planner.memory import out_of_memory

        return Failure(f"{out_of_memory()} (HiGHS: {stats.termination})", EXIT_MEMORY)
    return Failure(f"internal error: HiGHS stopped without a plan ({stats.termination}); nothing written",
                   EXIT_INTERNAL)


def _warn_not_proven(stats) -> None:
    gap = "unknown" if stats.gap is None else f"{stats.gap:.3%}"
    click.echo(f"warning: HiGHS stopped ({stats.termination}) before proving this plan optimal: it is feasible "
               f"and verified, and costs at most {gap} more than the best possible (gap); the Run sheet says so "
               "too. Raise --time-limit to narrow the gap.", err=True)


def _solve_problems(hedged, sample, seed, mix, engine, ranks, rank_memory, **_) -> list[str]:
    problems = _sample_problems(sample, seed, mix)
    if not hedged:
        problems += [f"{name} goes with --hedged (a plan decided against disruptions)" for name, given in (
            ("--sample", sample is not None), ("--engine mpisppy", engine == "mpisppy"),
            ("--ranks", ranks is not None), ("--rank-memory", rank_memory is not None)) if given]
    elif engine == "highs":  # without --hedged, that is said already; not when the --engine given was REFUSED
        problems += [f"{name} goes with --engine mpisppy" for name, given in (
            ("--ranks", ranks is not None), ("--rank-memory", rank_memory is not None)) if given]
    return problems


@main.command(checks=_solve_problems)
@click.argument("workbook", type=WORKBOOK_PATH, default=str(DEFAULT_WORKBOOK))
@click.option("-o", "--output-dir", type=OUTPUT_DIR, default=Path("outputs"),
              show_default=True, help="Folder for <stem>-plan.xlsx, .html and .json (with --hedged: <stem>-hedged.*, "
                                      "<stem>-hedged-sample<N>-seed<S>.* with --sample).")
@click.option("--hedged", is_flag=True, help="Decide the plan against the Disruptions sheet: least expected cost "
                                             "(plus CVaR, Settings cvar_weight), and report it beside the least-cost "
                                             "plan tested the same way.")
@disruption_options
@click.option("--engine", type=click.Choice(["highs", "mpisppy"]), default="highs", show_default=True,
              help="With --hedged: highs = the extensive form in this process (by mineral when no CVaR links "
                   "them); mpisppy = mpi-sppy under MPI: each mineral block's extensive form on one rank, PH with "
                   "bounding spokes for a block too large for one rank or when a CVaR term links the minerals "
                   "(pip install '.[scale]').")
@click.option("--ranks", type=WholeRange(1, 4096), metavar="K", help="With --engine mpisppy: MPI processes "
                                                                        "(default 3: for PH, the hub and two bounding "
                                                                        "spokes).")
@click.option("--rank-memory", type=FiniteRange(1, None), metavar="MB",
              help="With --engine mpisppy: memory of one rank; a block whose extensive form is estimated to need "
                   "more goes to PH (default 4096).")
@lang_option
@solver_options("")
@friendly
def solve(workbook: Path, output_dir: Path, hedged: bool, sample, seed, mix, engine, ranks, rank_memory, lang,
          time_limit, gap, threads) -> None:
    """Find the least-cost plan for WORKBOOK, verify it and write <stem>-plan.xlsx, .html and .json."""
    if hedged:  # a run of its own, which exits
        _resilience(workbook, output_dir, "hedged", time_limit, gap, threads, _sampling(sample, seed, mix), engine,
                    ranks, lang, rank_memory)
    from models.plan import INFEASIBLE, NO_SOLUTION, OPTIMAL
    from models.solve import Session, SolveOptions
    from planner.reports.files import check_targets

    from planner import STARTED, memory

    t0 = time.perf_counter()
    t_import = t0 - STARTED  # the modules this command uses, click's parsing included
    loaded = _read(workbook)
    d = loaded.data
    t_read = time.perf_counter() - t0
    click.echo(f"read      {workbook}: {_describe(loaded)} ({t_read:.2f} s)")
    _print_warnings(loaded.warnings)
    targets = {k: output_dir / f"{workbook.stem}-plan.{k}" for k in ("xlsx", "html", "json")}
    check_targets(targets.values(), protected=[workbook])  # before the solve, not after it
    opts = SolveOptions.from_settings(d.settings, time_limit, gap, threads)
    session = Session(d)
    click.echo(f"model     {session.size['variables']:,} variables ({session.size['integer_variables']:,} integer), "
               f"{session.size['constraints']:,} constraints ({session.build_s:.2f} s)")
    memory.check_solve(opts.threads)
    # What the reports need loads while HiGHS runs: a core waits idle on the largest block.  Under an
    # address-space limit they load after it, on this thread: another thread's malloc arena took what HiGHS needed.
    load = _loader("planner.verify", "planner.reports.plan_report", "planner.reports.plan_workbook",
                   "planner.workbook.sheet_xml", "importlib.metadata") if memory.room_for_a_helper_thread() else None
    plan = session.solve(opts, meanwhile=load)
    stopping.check()  # a stop HiGHS swallowed ends its run as an error, not as "no plan"
    if plan.stats.status == INFEASIBLE:
        _explain_infeasible(d, opts)
        stopping.check()
        raise Failure("no plan written (earlier outputs are untouched)", EXIT_INFEASIBLE)
    if plan.stats.status == NO_SOLUTION:
        raise _no_plan(plan.stats, opts)
    from planner.reports.files import workbook_bytes
    from planner.reports.plan_report import build_plan_html
    from planner.reports.plan_workbook import build_plan_workbook
    from planner.reports.runinfo import run_info
    from planner.verify import VerificationError, verify

    t1 = time.perf_counter()
    try:
        ev = verify(d, plan)
    except VerificationError as e:
        raise Failure("internal error: the plan failed independent verification, so it is not reported "
                      "(a bug in the model):\n" + "\n".join(f"  - {v}" for v in e.violations[:20]), EXIT_INTERNAL)
    t_verify = time.perf_counter() - t1
    _print_plan(d, plan, ev)
    if plan.stats.status != OPTIMAL:
        _warn_not_proven(plan.stats)
    info = run_info(workbook, loaded.sha256, opts, {"time_limit_s": time_limit, "mip_gap": gap, "threads": threads},
                    plan.stats, {"import": t_import, "read": t_read, "build": session.build_s,
                                 "solve": plan.stats.wall_s, "verify": t_verify}, output_dir)
    t_write = time.perf_counter()
    xlsx = workbook_bytes(build_plan_workbook(d, plan, ev, info, source=workbook.name, lang=lang))
    page = build_plan_html(d, plan, ev, workbook.name, loaded.sha256, lang)
    _commit({targets["xlsx"]: xlsx, targets["html"]: page.encode("utf-8")}, info, targets["json"], workbook,
            time.perf_counter() - t_write)
    click.echo(f"wrote     {targets['xlsx']}, {targets['html'].name} and {targets['json'].name} in "
               f"{time.perf_counter() - t_write:.2f} s  (total {time.perf_counter() - STARTED:.2f} s wall, "
               f"imports {t_import:.2f} s)")
    sys.exit(EXIT_OK)


@main.command(checks=_sample_problems)
@click.argument("workbook", type=WORKBOOK_PATH, default=str(DEFAULT_WORKBOOK))
@click.option("-o", "--output-dir", type=OUTPUT_DIR, default=Path("outputs"),
              show_default=True, help="Folder for <stem>-stress.xlsx, .html and .json (<stem>-stress-sample<N>-seed<S>.* "
                                      "with --sample).")
@disruption_options
@lang_option
@solver_options("")
@friendly
def stress(workbook: Path, output_dir: Path, sample, seed, mix, lang, time_limit, gap, threads) -> None:
    """Find the least-cost plan for WORKBOOK, then let every disruption of its Disruptions sheet hit it:
    what each costs, and how the lost tonnes are covered (<stem>-stress.xlsx, .html, .json)."""
    _resilience(workbook, output_dir, "stress", time_limit, gap, threads, _sampling(sample, seed, mix), lang=lang)


def _with_disruptions(workbook: Path, sampling):
    """The workbook read, and its case with the disruption scenarios a study meets: the Disruptions
    sheet's, or ``sampling``'s draws from the Disruption risks sheet; the memory they need checked."""
    from models.sampling import sample_disruptions
    from planner import memory

    loaded = _read(workbook)
    d = loaded.data
    _print_warnings(loaded.warnings)
    if sampling is None:
        click.echo(f"read      {workbook}: {_describe(loaded)}; {len(d.disruptions)} disruption scenarios")
        if not d.disruptions:
            raise Failure(NO_DISRUPTIONS, EXIT_BAD_INPUT)
    else:
        click.echo(f"read      {workbook}: {_describe(loaded)}; {len(d.disruption_risks)} disruption risks")
        if not d.disruption_risks:
            raise Failure(NO_RISKS, EXIT_BAD_INPUT)
        n, seed, mix = sampling
        d = sample_disruptions(d, n, seed, mix)
        # Clipped at 0: probabilities adding up to 1 give -2e-16, printed as -0.000, when every draw stops something.
        calm = max(0.0, 1 - sum(sc.probability for sc in d.disruptions))
        rest = (f"nothing stops in the rest (probability {calm:.3f})" if calm > 1e-9 else
                "something stops in every draw (no calm outcome)")
        click.echo(f"sampled   {n:,} draws (seed {seed}{', with the Disruptions sheet' if mix else ''}): "
                   f"{len(d.disruptions):,} disruption scenarios; {rest}")
    memory.check(d)  # before the model is built: refused, not killed half-way
    return loaded, d


def _resilience(workbook: Path, output_dir: Path, kind: str, time_limit, gap, threads, sampling=None,
                engine: str = "highs", ranks: int | None = None, lang: str = "en",
                rank_memory: float | None = None) -> NoReturn:
    """planner stress and planner solve --hedged: solve, test against the disruptions, report, and exit."""
    from models.solve import SolveOptions
    from planner.reports.files import check_targets
    from planner.reports.resilience_report import (
        console_lines, hedged_facts, hedged_files, stress_facts, stress_files, titles,
    )
    from planner.studies.jobs import default_jobs
    from planner.studies.resilience import hedged_options, stress as stress_plan, study

    t0 = time.perf_counter()
    loaded, d = _with_disruptions(workbook, sampling)
    hedge_with, engine_facts = _engine(engine, ranks, output_dir / f"{workbook.stem}-mpisppy", d, rank_memory)
    outputs = _outputs(output_dir / f"{workbook.stem}-{_run_name(kind, sampling, engine)}")
    check_targets(outputs, protected=[workbook])
    opts = hedged_options(SolveOptions.from_settings(d.settings, time_limit, gap, threads))
    with _reported(d, opts, "no plan written", "a plan failed independent verification with its disruptions"):
        if kind == "stress":
            result = stress_plan(d, opts)
        else:
            result = study(d, opts, default_jobs(), progress=lambda step: click.echo(f"solving   {step}"),
                           hedge_with=hedge_with)
            if result is None:
                stopping.end("no output was written")
    stopping.check()
    info = _run_table(workbook, loaded, opts, {"time_limit_s": time_limit, "mip_gap": gap, "threads": threads},
                      output_dir, [*(stress_facts(result) if kind == "stress" else hedged_facts(result)),
                                   ("disruption_scenarios", len(d.disruptions)),
                                   *_sampled(sampling), *engine_facts,
                                   ("cvar_weight", d.settings.cvar_weight), ("cvar_level", d.settings.cvar_level),
                                   ("verified", _worded("run.verified_recourse")),
                                   ("wall_s", round(time.perf_counter() - t0, 2))])
    title, subtitle = titles(kind, workbook.name, d, opts.mip_gap, loaded.sha256, dict(engine_facts).get("ph_gap"),
                             hedge_with is not None and kind != "stress", lang)
    if kind == "stress":
        files = functools.partial(stress_files, d, result, info, title, subtitle, lang)
    else:
        files = functools.partial(hedged_files, d, result, info, workbook.name, title, subtitle, lang)
    for line in console_lines(d, result, lang):
        click.echo(f"  {line}")
    _write_study(outputs, files, info, workbook, t0)
    sys.exit(EXIT_OK)


@contextlib.contextmanager
def _reported(d, opts, nothing: str, failed: str, infeasible=None):
    """A study's plan that could not be had, or that failed verification, as a message and an exit code:
    an infeasible case diagnosed (1; by ``infeasible(e)`` if given, else as Korea's case), no plan within the
    time limit (3), a verification failure (5)."""
    from planner.studies.resilience import NoPlan
    from planner.verify import VerificationError

    try:
        yield
    except NoPlan as e:
        stopping.check()
        if e.plan.stats.status == "infeasible":
            if infeasible is None:
                _explain_infeasible(d, opts)
            else:
                infeasible(e)
            raise Failure(f"{nothing} (earlier outputs are untouched)", EXIT_INFEASIBLE) from None
        raise _no_plan(e.plan.stats, opts) from None
    except VerificationError as e:
        raise Failure(f"internal error: {failed}, so it is not reported (a bug in the model):\n"
                      + "\n".join(f"  - {v}" for v in e.violations[:20]), EXIT_INTERNAL) from None


def _engine(engine: str, ranks: int | None, workdir: Path, d, rank_memory: float | None):
    """The hedged plan's engine: (None, facts) for the extensive form in this process, or for
    mpi-sppy a ``hedge_with`` for ``resilience.study`` and the run facts it fills in (the commands,
    so that a cluster scheduler can run them, and what mpi-sppy proved).  Checked before any solve."""
    if engine != "mpisppy":
        return None, [("engine", _worded("run.engine_highs"))]
    from planner.reports.runinfo import engine_versions, mpisppy_engine
    from planner.studies import scale_out

    absent = scale_out.missing()
    if absent:
        raise Failure(f"error: --engine mpisppy needs {', '.join(absent)}, which are not installed: "
                      f"{scale_out.INSTALL}", EXIT_BAD_INPUT)
    ranks = ranks or 3
    memory_mb = rank_memory or scale_out.RANK_MEMORY_MB
    blocks = scale_out.plan_blocks(d, memory_mb)
    ph = [b.name for b in blocks if b.method == "ph"]
    if ph:
        try:
            scale_out.cylinders(ranks)
        except ValueError as e:
            why = ("a CVaR term links the minerals" if d.settings.cvar_weight > 0 else
                   f"the extensive form of {', '.join(ph)} is estimated above --rank-memory")
            raise Failure(f"error: --ranks {e} ({why}: Progressive Hedging)", EXIT_BAD_INPUT) from None
    facts: list[tuple[str, object]] = [("engine", mpisppy_engine(ranks, blocks, memory_mb)), *engine_versions()]
    commands: list[str] = []

    def announce(cmd: list[str]) -> None:
        commands.append(shlex.join(cmd))
        click.echo(f"mpi-sppy  {commands[-1]}\n          (work folder {workdir}; a cluster scheduler can run "
                   "this command as it is)")

    def usd_m(x: float | None) -> str:
        return "unknown" if x is None else f"USD {x / 1e6:,.3f} M"

    def hedge_with(d, opts, proven):
        try:
            # d is the case the blocks were planned from (study hands on the one it was given).
            result = scale_out.run_blocks(d, opts, ranks, workdir, rank_memory_mb=memory_mb, announce=announce,
                                          blocks=blocks, proven=proven)
        except scale_out.ScaleOutFailed as e:
            raise Failure(f"error: {e}", EXIT_NO_SOLUTION) from None
        gap = "unknown" if result.gap is None else f"{result.gap:.1e}"
        ph_note = (f", PH {result.iterations} iterations at most (PH on a mixed-integer model is a heuristic: the "
                   "gap is all it proves)") if "ph" in result.method else ""
        click.echo(f"  mpi-sppy ({result.method}): {result.wall_s:.1f} s{ph_note}; best plan found "
                   f"{usd_m(result.inner_usd)}, proven lower bound {usd_m(result.outer_usd)}, gap {gap}")
        facts.extend([("mpisppy_commands", "\n".join(commands)), ("ph_iterations", result.iterations),
                      ("ph_inner_bound_usd", result.inner_usd), ("ph_outer_bound_usd", result.outer_usd),
                      ("ph_gap", result.gap), ("ph_wall_s", round(result.wall_s, 2))])
        return scale_out.verified_plan(d, result, opts, "hedged plan")

    return hedge_with, facts


def _worded(key: str) -> str:
    """A run fact in words (``labels.Worded``: the Run sheet words it in the report's language); the
    catalogue loads when a run records it, not at start-up."""
    from planner.reports.labels import Worded

    return Worded(key)


def _sampled(sampling) -> list[tuple[str, str]]:
    """The run facts' line on where the disruption scenarios came from."""
    if sampling is None:
        return [("sampled", _worded("run.sampled_no"))]
    n, seed, mix = sampling
    return [("sampled", f"--sample {n} --seed {seed}" + (" --mix" if mix else ""))]


def _stop_facts(stopped: bool, finished: int, asked: int | None = None) -> list:
    """What a study that a stop cut short records beside what finished, and its report opens with
    (``plan_workbook.stop_notice``): the signal, how many items (cases, points, ...) finished and,
    where known, how many were asked for."""
    if not stopped:
        return []
    return ([("stopped_by", stopping.signal_name()), ("finished", finished)]
            + ([("asked", asked)] if asked is not None else []))


def _run_table(workbook: Path, loaded, opts, given: dict, output_dir: Path, extra: list) -> list:
    from planner.reports.runinfo import run_header, versions

    return run_header(workbook, loaded.sha256, opts, given, output_dir) + extra + versions()


def _run_name(kind: str, sampling=None, engine: str = "highs", subset: str = "") -> str:
    """What a study's outputs are named after: the kind of run, the part of the case it was restricted
    to (``_subset``) and what it was run against (hedged-sample200-seed1, compare-hedged,
    stockpile-graphite-gallium, stress-sample500-seed2-mix, hedged-mpisppy), so that runs of different
    kinds, or of a part and the whole, never replace each other's reports; a run of the same kind
    replaces its own."""
    parts = [kind] + ([subset] if subset else [])
    if sampling is not None:
        n, seed, mix = sampling
        parts.append(f"sample{n}-seed{seed}" + ("-mix" if mix else ""))
    if engine != "highs":
        parts.append(engine)
    return "-".join(parts)


SUBSET_NAME_CHARS = 60  # longer, and a subset is named by its count and a hash
# The words a kind of run puts after its name (compare-hedged, compare-policies, sensitivity-hedged,
# alternatives-total), where a subset's first name goes: compare -s policies wrote <stem>-compare-policies.*, the
# report of compare --policies, and compare -s hedged -s x the report of compare --hedged -s x.
VARIANTS = ("hedged", "policies", "total")


def _subset(chosen, every, noun: str) -> str:
    """The part of an output name that says a run was restricted to ``chosen`` of ``every`` (minerals,
    scenarios): "" for all of them, else their names in the order given (graphite-gallium), or, when
    that would be long, a name is no plain word of letters, digits and _, the last is one of the
    ``ASIDES`` (a mineral "failed" would name a complete run as the full run's failed report, which the
    next complete full run removes; in any case, as some file systems ignore it) or the first one of the
    ``VARIANTS`` (a scenario "policies" would name compare --policies's report), their count and a stable hash
    of the names (5-scenarios-3f9a0c12)."""
    chosen = list(dict.fromkeys(chosen))
    if set(chosen) == set(every):
        return ""
    joined = "-".join(chosen)
    if len(joined) <= SUBSET_NAME_CHARS and all(re.fullmatch(r"[A-Za-z0-9_]+", c) for c in chosen) \
            and chosen[-1].lower() not in ASIDES and chosen[0].lower() not in VARIANTS:
        return joined
    return f"{len(chosen)}-{noun}-{hashlib.sha256(chr(10).join(chosen).encode()).hexdigest()[:8]}"


def _minerals(d, given) -> list[str]:
    """-m/--mineral: the minerals named, as the Minerals sheet spells them, each once; all named at
    once if some are not on the sheet."""
    from planner.workbook.cells import norm_key

    known = {norm_key(m): m for m in d.minerals}
    unknown = [m for m in given if norm_key(m) not in known]
    if unknown:
        raise Failure(f"error: -m/--mineral {', '.join(map(repr, unknown))}: not on the Minerals sheet "
                      f"({', '.join(d.minerals)})", EXIT_BAD_INPUT)  # quoted: a blank -m '' shows
    return list(dict.fromkeys(known[norm_key(m)] for m in given))


def _against_workbook(*checks: Callable[[], object]) -> list:
    """The values of checks of options against the workbook read (-m, --years), each a callable that raises
    a Failure; every problem named in one message, as ``_Command`` names those of the options alone (a
    bad -m was refused, and a bad --years only in the next run)."""
    values, problems = [], []
    for check in checks:
        try:
            values.append(check())
        except Failure as e:
            problems.append(str(e).removeprefix("error: "))
    if problems:
        raise Failure(f"error: {_options_problems(problems)}", EXIT_BAD_INPUT)
    return values


def _count(n: int, noun: str) -> str:
    """A count in the console's English: '1 input', '2 inputs'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _outputs(stem: Path) -> tuple[Path, Path, Path]:
    """The .xlsx, .html and .json of a study; the stem may hold dots of its own (korea.v2-compare)."""
    return tuple(stem.parent / f"{stem.name}{suffix}" for suffix in (".xlsx", ".html", ".json"))


def _write_study(outputs: tuple[Path, Path, Path], files, info: list, workbook: Path, t0: float,
                 stopped: bool = False, lead: int = 0, failed: str = "") -> None:
    """A study's .xlsx, .html and .json, as ``files()`` builds them, written (``_commit``), and the line that
    says where they went, naming ``outputs[lead]`` in full (the brief leads with its page).  Its solving is
    over: a stop now, while the report is built and written (seconds), would lose every case that finished,
    so it is held and the run completes (``stopping.held``).  A study in which a plan failed its checks
    (``failed``: which, and the sheet that names it) is a failed run, exit 5: its report goes beside a complete
    report of an earlier run (``-failed``), never over it; a ``stopped`` one's, ``-stopped``.  A complete
    report removes the ``-stopped`` and ``-failed`` reports earlier runs left beside it, in the same commit:
    they are out of date, and one opened by mistake would be read as this run's."""
    aside = "failed" if failed else "stopped" if stopped else None
    stale = [] if aside else [p for p in (_aside_name(o, a) for o in outputs for a in ASIDES) if os.path.lexists(p)]
    with stopping.held():
        written = _commit(dict(zip(outputs, files())), info, outputs[-1], workbook, aside=aside, superseded=stale)
    if stopping.requested() and not stopped:
        click.echo(f"{stopping.describe()} after the solving was over: the report was completed", err=True)
    rest = [p.suffix for k, p in enumerate(written) if k != lead]
    click.echo(f"wrote     {written[lead]}, {rest[0]} and {rest[1]}  (total {time.perf_counter() - t0:.1f} s)")
    left = [p for p in stale if os.path.lexists(p)]
    if len(left) < len(stale):
        click.echo(f"removed   {', '.join(p.name for p in stale if p not in left)}: an earlier run's stopped or failed "
                   "report, out of date beside this complete one")
    for p in left:
        click.echo(f"warning: could not remove {p}, an earlier run's stopped or failed report: it is out of date; "
                   "delete it", err=True)
    if failed:
        raise Failure(f"internal error: {failed} of the -failed report (a bug in the model)", EXIT_INTERNAL)


def _end_if_no_plan(noun: str, unplanned: list[str], of: int) -> None:
    """A complete study none of whose ``of`` cases or points (``noun``) has a plan (``unplanned``: the status of
    each without one) wrote its report, which says why for each, and ends as a solve without a plan does, so
    that a script can tell: 1 (infeasible) if some was proven infeasible, else 3 (none within the time limit)."""
    from models.plan import INFEASIBLE, NO_SOLUTION

    if len(unplanned) < of:
        return
    counts = {s: unplanned.count(s) for s in dict.fromkeys(unplanned)}
    words = {INFEASIBLE: "infeasible", NO_SOLUTION: "without a plan within the time limit"}
    shown = ", ".join(f"{n} {words.get(s, s)}" for s, n in counts.items())
    raise Failure(f"no {noun} has a plan ({shown}); the report says why for each",
                  EXIT_INFEASIBLE if INFEASIBLE in counts else EXIT_NO_SOLUTION)


ASIDES = ("stopped", "failed")  # what a study's report that is not complete is named after (``_aside_name``)


def _aside_name(path: Path, aside: str) -> Path:
    """Where a stopped or failed study's report goes: beside the complete report of its kind, never over it
    (korea_2030-compare-stopped.xlsx, korea_2030-compare-failed.xlsx)."""
    return path.with_name(f"{path.name[:-len(path.suffix)]}-{aside}{path.suffix}")


def _commit(files: dict[Path, bytes], info: list, facts: Path, workbook: Path, built_s: float | None = None,
            aside: str | None = None, superseded: Iterable[Path] = ()) -> list[Path]:
    """A run's files and, last, its JSON facts naming their SHA-256 (and ``built_s``, the time building
    them took): all appear, or none; the paths written.  A stopped or failed study's report takes
    ``_aside_name``s (``aside``: "stopped" or "failed"), so that an earlier complete one stays as it was;
    ``superseded`` files go once they are all in place (``files.commit``)."""
    from planner.reports.files import commit
    from planner.reports.runinfo import run_json

    if aside:
        files, facts = {_aside_name(p, aside): data for p, data in files.items()}, _aside_name(facts, aside)
    written = commit({**files, facts: run_json(info, files, built_s)}, protected=[workbook], superseded=superseded)
    _warn_if_shown_stale(written)
    return written


def _warn_if_shown_stale(written: list[Path]) -> None:
    """An output open in a spreadsheet that does not lock it against replacement (LibreOffice, Excel for Mac;
    Excel on Windows does, and files.commit refuses then) still shows the earlier run, and saving it there
    would put the earlier run back over this one."""
    from planner.workbook.reader import open_in

    for path in written:
        if (found := open_in(path)) is not None:
            click.echo(f"warning: {path.name} is open in {found[1]} ({found[0]} is beside it): it shows the earlier "
                       "run until you close it (without saving) and open it again", err=True)


def _stockpile_days(days_range: str) -> list[float]:
    """stockpile --days: its floors, in days (a ``planner.studies.sweep.RangeError`` says why not)."""
    from planner.studies.sweep import PARAMETERS, parse_range

    return parse_range(days_range, PARAMETERS["stockpile-days"], STOCKPILE_DAYS)


def _stockpile_problems(days_range, **values) -> list[str]:
    from planner.studies.sweep import RangeError

    problems: list[str] = []
    try:
        _stockpile_days(days_range)
    except RangeError as e:
        problems.append(f"--days {e}")
    return problems + _sample_problems(**values)


@main.command(checks=_stockpile_problems)
@click.argument("workbook", type=WORKBOOK_PATH, default=str(DEFAULT_WORKBOOK))
@click.option("--days", "days_range", default=STOCKPILE_DAYS[0], show_default=True, metavar="RANGE",
              help=f"Uniform floors of stockpile cover to solve, in days of demand (START:STOP:STEP or "
                   f"{STOCKPILE_DAYS[1]}); "
                   "the reference rules (60, 100, 180 days) are added.")
@click.option("-m", "--mineral", "minerals", multiple=True, help="Only this mineral (repeatable; default: every "
                                                                 "mineral with a Stockpile row).")
@click.option("-j", "--jobs", type=WholeRange(min=1), help="Minerals solved at once (default: the cores).")
@click.option("-o", "--output-dir", type=OUTPUT_DIR, default=Path("outputs"), show_default=True,
              help="Folder for <stem>-stockpile.xlsx, .html and .json (<stem>-stockpile-<minerals>.* with -m, "
                   "<stem>-stockpile-sample<N>-seed<S>.* with --sample).")
@disruption_options
@lang_option
@solver_options(" per solve")
@friendly
def stockpile(workbook: Path, days_range, minerals, jobs, output_dir, sample, seed, mix, lang, time_limit, gap,
              threads) -> None:
    """How many days of stock each mineral of WORKBOOK deserves against its disruptions: the hedged plan
    with the mineral's cover floor lifted (risk-based), at the mandate and one day above it, and at each
    uniform floor of --days; against JOGMEC's 60/180 days and Korea's 100 (<stem>-stockpile.*)."""
    from models.solve import SolveOptions
    from planner.reports.files import check_targets
    from planner.reports.html import fmt
    from planner.reports.stockpile_report import (
        facts, mandate_cost_text, path_text, stockpile_files, summary, titles,
    )
    from planner.studies.jobs import default_jobs
    from planner.studies.resilience import NoPlan, hedged_options
    from planner.studies.stockpile import study
    from planner.verify import VerificationError

    days = _stockpile_days(days_range)
    sampling = _sampling(sample, seed, mix)
    t0 = time.perf_counter()
    loaded, d = _with_disruptions(workbook, sampling)
    every = [m for m in d.minerals if d.stockpile[m].max_stock_t > 0]
    chosen = _minerals(d, minerals) if minerals else every
    if not chosen:  # else a study of nothing, ended as "interrupted (Ctrl-C)" with no Ctrl-C
        raise Failure("error: no mineral can hold stock (the Stockpile sheet gives none a max_stock_t above 0): "
                      "there are no days of stock to weigh; give one a max_stock_t, or name it with -m", EXIT_BAD_INPUT)
    subset = _subset(chosen, every, "minerals")
    outputs = _outputs(output_dir / f"{workbook.stem}-{_run_name('stockpile', sampling, subset=subset)}")
    check_targets(outputs, protected=[workbook])
    opts = hedged_options(SolveOptions.from_settings(d.settings, time_limit, gap, threads))
    floors = len(set(days) | {60.0, 100.0, 180.0}) + 3
    click.echo(f"solving   {len(chosen)} mineral{'s' * (len(chosen) > 1)} x {floors} floors "
               f"(risk-based, mandate, mandate + 1 day, {days_range} and the reference rules)")
    try:
        with click.progressbar(length=len(chosen), label="solving", show_eta=True, show_pos=True,
                               item_show_func=lambda m: m or "") as bar:
            result = study(d, chosen, days, opts, jobs or default_jobs(), progress=lambda m: bar.update(1, m))
    except NoPlan as e:
        stopping.check()
        if e.plan.stats.status == "infeasible":
            _explain_infeasible(d, opts)
            raise Failure("no plan written (earlier outputs are untouched)", EXIT_INFEASIBLE)
        raise _no_plan(e.plan.stats, opts)
    except VerificationError as e:
        raise Failure("internal error: a plan failed independent verification with its disruptions, so it is not "
                      "reported (a bug in the model):\n" + "\n".join(f"  - {v}" for v in e.violations[:20]),
                      EXIT_INTERNAL)
    if not result.minerals:
        stopping.end("before the first mineral finished; nothing written")
    rows = summary(d, result)  # once: the .json, the workbook, the page and the console
    info = _run_table(workbook, loaded, opts, {"time_limit_s": time_limit, "mip_gap": gap, "threads": threads},
                      output_dir, [("days", days_range), ("minerals", ", ".join(chosen)),
                                   ("disruption_scenarios", len(d.disruptions)), *_sampled(sampling),
                                   ("cvar_weight", d.settings.cvar_weight), ("cvar_level", d.settings.cvar_level),
                                   *facts(result, rows),
                                   *_stop_facts(result.stopped, len(result.minerals), len(chosen)),
                                   ("verified", _worded("run.verified_recourse")),
                                   ("wall_s", round(time.perf_counter() - t0, 2))])
    title, subtitle = titles(workbook.name, d, opts.mip_gap, loaded.sha256, lang)
    files = functools.partial(stockpile_files, d, result, rows, info, title, subtitle, lang)
    click.echo(f"  {'mineral':<12}{'risk-based: mean':>17}{'no disruption':>15}  {'mandate: mean (path)':<22}"
               f"{'mandate costs':>14}  a day saves / costs (USD)")
    for r in rows:
        cost = "-" if r["mandate_cost_usd"] is None else (
            mandate_cost_text(r["mandate_cost_usd"], r["significant"]).replace("\u00a0", " ")
            + ("" if r["significant"] else "*"))
        day = "-" if r["day_saving_usd"] is None else f"{fmt(r['day_saving_usd'], 'usd')} / {fmt(r['day_cost_usd'], 'usd')}"
        mandate = "-" if r["mandate_days"] is None else \
            f"{fmt(r['mandate_days'], 'days')} ({path_text(r['path'], '->')})"
        calm = "-" if r["calm_days"] is None else fmt(r["calm_days"], "days")
        click.echo(f"  {_left(r['mineral'], 12)}{fmt(r['risk_based_days'], 'days'):>17}{calm:>15}  {mandate:<22}"
                   f"{cost:>14}  "
                   f"{day}")
    if any(r["mandate_cost_usd"] is not None and not r["significant"] for r in rows):
        click.echo("  (* not significant: within the solves' proven gaps)")
    _write_study(outputs, files, info, workbook, t0, result.stopped)
    if result.stopped:
        stopping.end(f"the report holds the {len(result.minerals)} of {len(chosen)} minerals that finished")
    sys.exit(EXIT_OK)


def _compare_problems(names, all_, policies, hedged, sample, seed, mix, **_) -> list[str]:
    problems: list[str] = []
    if policies:
        given = [name for name, on in (("-s", names), ("--all", all_), ("--hedged", hedged)) if on]
        if given:
            problems.append(f"--policies prices the workbook's own Policy limits, without scenarios or "
                            f"disruptions: leave out {' and '.join(given)}")
    problems += _sample_problems(sample, seed, mix)
    if sample is not None and not hedged:
        problems.append("--sample goes with --hedged (plans decided against disruptions)")
    return problems


@main.command(checks=_compare_problems)
@click.argument("workbook", type=WORKBOOK_PATH, default=str(DEFAULT_WORKBOOK))
@click.option("-s", "--scenario", "names", multiple=True, help="A scenario of the Scenarios sheet (repeatable).")
@click.option("--all", "all_", is_flag=True, help="Every scenario of the Scenarios sheet.")
@click.option("--policies", is_flag=True, help="Instead of scenarios: the price of each Policy limit the workbook sets, "
                                               "alone and added last, and of all of them against no policy.")
@click.option("-o", "--output-dir", type=OUTPUT_DIR, default=Path("outputs"),
              show_default=True, help="Folder for <stem>-compare.xlsx, .html and .json (<stem>-compare-<scenarios>.* "
                                      "with -s, <stem>-compare-hedged.* with --hedged, <stem>-compare-policies.* with "
                                      "--policies).")
@click.option("-j", "--jobs", type=WholeRange(min=1), help="Cases solved at once (default: the cores).")
@click.option("--hedged", is_flag=True, help="Plan each case against the Disruptions sheet, and show its hedged and "
                                             "least-cost plans side by side.")
@disruption_options
@lang_option
@solver_options(" per case")
@friendly
def compare(workbook: Path, names, all_, policies: bool, output_dir: Path, jobs, hedged: bool, sample, seed, mix,
            lang, time_limit, gap, threads) -> None:
    """Solve the base case and scenarios of WORKBOOK (or, with --policies, the case with its Policy
    limits lifted family by family), verify every plan and compare them in <stem>-compare.xlsx, .html
    and .json."""
    from models.solve import SolveOptions
    from planner.studies.compare import BASE, ERROR, run_cases
    from planner.studies.jobs import default_jobs
    from planner.reports.compare_report import (case_walls, compare_facts, compare_files, narrative, policy_facts,
                                                titles)
    from planner.reports.files import check_targets
    from planner.studies.policies import policy_cases, policy_prices

    sampling = _sampling(sample, seed, mix)
    loaded = _read(workbook)
    d = loaded.data
    if policies:
        cases = policy_cases(d)
        if len(cases) == 1:
            raise Failure("error: the workbook's Policy sheet sets no limit: there is no policy to price",
                          EXIT_BAD_INPUT)
    else:
        cases = _scenario_cases(loaded, names, all_)
    if sampling is not None and not d.disruption_risks:
        raise Failure(NO_RISKS, EXIT_BAD_INPUT)
    if hedged and sampling is None and not d.disruptions:
        raise Failure(NO_DISRUPTIONS, EXIT_BAD_INPUT)
    if sampling is not None:  # the same draws for every case (common random numbers): differences are the cases'
        from models.sampling import sample_disruptions

        cases = [dataclasses.replace(c, data=sample_disruptions(c.data, *sampling)) for c in cases]
    opts = SolveOptions.from_settings(d.settings, time_limit, gap, threads)
    jobs = min(jobs or default_jobs(), len(cases))
    if hedged:  # each worker holds one case's hedged model
        from planner import memory

        memory.check(max(cases, key=lambda c: len(c.data.disruptions)).data, jobs)
    kind = "compare-policies" if policies else "compare-hedged" if hedged else "compare"
    subset = "" if policies else _subset([c.name for c in cases[1:]], loaded.scenarios, "scenarios")
    outputs = _outputs(output_dir / f"{workbook.stem}-{_run_name(kind, sampling, subset=subset)}")
    check_targets(outputs, protected=[workbook])
    click.echo(f"read      {workbook}: {_describe(loaded)}; {len(cases)} cases, {jobs} at a time")
    t0 = time.perf_counter()
    with click.progressbar(length=len(cases), label="solving", show_eta=True, show_pos=True,
                           item_show_func=lambda name: name or "") as bar:
        results, interrupted = run_cases(cases, opts, jobs, lambda r: bar.update(1, r.case.name), hedged)
    if not results or results[0].case.name != BASE:
        stopping.end("before the base case was solved; nothing written")
    prices = policy_prices(d, results) if policies else None
    # The base first when it has no plan, with why: every case is compared with it, and nothing else says so.
    for r in results if not results[0].ok else results[1:]:
        if prices is None or not r.ok:  # the prices say the rest
            click.echo(f"  {narrative(results[0], r, lang)}".replace("\u00a0", " "))
    if prices is not None:
        _print_prices(d, prices)
    info = _run_table(workbook, loaded, opts, {"time_limit_s": time_limit, "mip_gap": gap, "threads": threads},
                      output_dir, [*compare_facts(results), *(policy_facts(prices) if prices else []),
                                   ("jobs", jobs), ("interrupted", interrupted),
                                   *_stop_facts(interrupted, len(results), len(cases))]
                      + (_sampled(sampling) if hedged else []) + case_walls(results))
    title, subtitle = titles(workbook.name, d, results, opts.mip_gap, loaded.sha256, policies, lang)
    _write_study(outputs, functools.partial(compare_files, results, info, title, subtitle, prices, lang), info,
                 workbook, t0, interrupted, failed="a plan failed independent verification; see the Summary sheet"
                 if any(r.status == ERROR for r in results) else "")
    if interrupted:
        stopping.end(f"the report holds the {len(results)} of {len(cases)} cases that finished")
    _end_if_no_plan("case", [r.status for r in results if not r.ok], len(results))
    sys.exit(EXIT_OK)


def _scenario_cases(loaded, names, all_) -> list:
    """compare -s/--all: the base and the scenarios named (in the order named, each once), or all."""
    from planner.studies.compare import BASE, Case
    from planner.workbook.cells import norm_key

    known = {norm_key(n): sc for n, sc in loaded.scenarios.items()}
    if not names and not all_:
        raise Failure("error: name scenarios with -s NAME, give --all, or price the Policy limits with --policies. "
                      "Scenarios in the workbook: "
                      + (", ".join(loaded.scenarios) or "none (add rows to the Scenarios sheet)"), EXIT_BAD_INPUT)
    unknown = [n for n in names if norm_key(n) not in known]
    if unknown:
        raise Failure(f"error: no scenario named {', '.join(map(repr, unknown))} in the Scenarios sheet; it has: "
                      + (", ".join(loaded.scenarios) or "none"), EXIT_BAD_INPUT)
    chosen = list(loaded.scenarios.values()) if all_ else list({norm_key(n): known[norm_key(n)]
                                                                for n in names}.values())
    if not chosen:
        raise Failure("error: the Scenarios sheet has no scenarios to compare", EXIT_BAD_INPUT)
    return [Case(BASE, "The workbook as it is.", loaded.data)] + [
        Case(sc.name, sc.description, sc.data, sc.minerals, sc.first_year, changes=tuple(sc.changes)) for sc in chosen]


def _print_prices(d, prices) -> None:
    """compare --policies: each price with its proven range, and the China shares they buy."""
    def millions(usd: float) -> str:
        return f"{round(usd / 1e6, 1) + 0.0:,.1f}"  # + 0.0: round-off below 0.05 M reads 0.0, not -0.0

    def shown(p) -> str:
        if p is None:
            return "no plan"
        return (f"{millions(p.usd.value)}{'' if p.significant else '*'} "
                f"[{millions(p.usd.low)} to {millions(p.usd.high)}]")

    from planner.reports.labels import label, limit_name

    click.echo("price of each policy (USD M, present value; [proven range]; * not significant: the range holds 0):")
    names = {f: limit_name(f) for f in prices.families}
    w = max(map(len, [*names.values(), label("compare.strategy")])) + 2
    click.echo(f"  {'policy':<{w}}{'alone (against no policy)':<36}added last (against all but it)")
    click.echo(f"  {label('compare.strategy'):<{w}}{shown(prices.strategy)}")
    for f in prices.families:
        click.echo(f"  {names[f]:<{w}}{shown(prices.alone[f]):<36}{shown(prices.last[f])}")
    click.echo(f"China share of {d.settings.reliance_basis} (Settings reliance_basis), no policy -> every policy:")
    click.echo(f"  {'':<12}" + "".join(f"{y:>16}" for y in prices.years))
    for m in d.minerals:
        cells = ["-" if a is None or b is None else f"{a:.0%} -> {b:.0%}"
                 for a, b in (prices.china_share[m, y] for y in prices.years)]
        click.echo(f"  {_left(m, 12)}" + "".join(f"{c:>16}" for c in cells))


def _swept_years(years: tuple[int, int] | str | None, d) -> list[int]:
    """The years of --years (already bounded by the Years type) inside the workbook's horizon."""
    from planner.studies.policies import target_year

    first, last = d.settings.first_year, d.settings.last_year
    if years is None:
        return [target_year(d)]
    if years == "all":
        return list(d.years)
    if years[0] < first or years[1] > last:
        from planner.reports.labels import year_list

        shown = year_list(range(years[0], years[1] + 1))
        raise Failure(f"error: --years {shown!r}: expected a year or a range like 2027-{last} inside "
                      f"{first}-{last}, or 'all'", EXIT_BAD_INPUT)
    return list(range(years[0], years[1] + 1))


def sweep_name(stem: str, option: str, d, minerals, years: list[int]) -> str:
    """What a sweep's outputs are named after, without the ending: ``<stem>-sweep-<option>``, then the
    minerals named (``_subset``) and the years swept where they are not the default, as ``labels.year_list``
    writes them (korea_2030-sweep-china-cap-lithium-nickel-years2027-2030).  benchmarks/sweep.py finds
    the sweep's outputs by it."""
    from planner.reports.labels import year_list

    named = [_subset(minerals, d.minerals, "minerals")]
    if years != _swept_years(None, d):
        named.append(f"years{year_list(years)}")
    return f"{stem}-{_run_name(f'sweep-{option}', subset='-'.join(filter(None, named)))}"


def _swept(china_cap, risk_cap, recycling, stockpile_days, **_) -> dict[str, str]:
    """sweep: the range options given, by name."""
    return {k: v for k, v in (("china-cap", china_cap), ("risk-cap", risk_cap), ("recycling", recycling),
                              ("stockpile-days", stockpile_days)) if v is not None}


def _sweep_problems(**values) -> list[str]:
    from planner.studies.sweep import PARAMETERS, RangeError, parse_range

    given = _swept(**values)
    problems = [] if len(given) == 1 else ["give exactly one of --china-cap, --risk-cap, --recycling, "
                                           "--stockpile-days with a range such as 0.8:0.3:0.05"]
    for option, text in given.items():
        try:
            parse_range(text, PARAMETERS[option])
        except RangeError as e:
            problems.append(f"--{option} {e}")
    return problems


@main.command(checks=_sweep_problems)
@click.argument("workbook", type=WORKBOOK_PATH, default=str(DEFAULT_WORKBOOK))
@click.option("--china-cap", "china_cap", metavar="RANGE", help="Sweep the China cap, e.g. 0.8:0.3:0.05.")
@click.option("--risk-cap", "risk_cap", metavar="RANGE", help="Sweep the political-risk cap, e.g. 0.75:0.5:0.05.")
@click.option("--recycling", metavar="RANGE", help="Sweep the recycling minimum share, e.g. 0:0.3:0.05.")
@click.option("--stockpile-days", "stockpile_days", metavar="RANGE", help="Sweep the stockpile minimum, "
                                                                         "e.g. 54:120:6.")
@click.option("--years", type=Years(), help="Years the swept limit applies to: 2030, 2027-2030 or all (default: the "
                                           "target year, from which the Policy limits stay the same).")
@click.option("-m", "--mineral", "minerals", multiple=True, help="Only this mineral's limit (repeatable; "
                                                                 "default: every mineral).")
@click.option("-o", "--output-dir", type=OUTPUT_DIR, default=Path("outputs"),
              show_default=True, help="Folder for <stem>-sweep-<parameter>.xlsx, .html and .json "
                                      "(-<minerals> after it with -m, -years<first>-<last> with --years).")
@lang_option
@solver_options(" per point")
@friendly
def sweep(workbook: Path, china_cap, risk_cap, recycling, stockpile_days, years, minerals, output_dir, lang,
          time_limit, gap, threads) -> None:
    """Solve WORKBOOK over a range of one policy limit and report total cost and the marginal
    cost of each step (the price of security), overall and per mineral."""
    from models.dataset import LIMIT_APPLIES_ONLY_TO
    from models.solve import SolveOptions
    from planner.studies.sweep import PARAMETERS, loosest_without_plan, parse_range, point_text, run_sweep
    from planner.reports.files import check_targets
    from models.plan import NO_SOLUTION
    from planner.reports.labels import year_list
    from planner.reports.sweep_report import point_note, sweep_facts, sweep_files, titles, where_words

    (option, text), = _swept(china_cap, risk_cap, recycling, stockpile_days).items()
    param = PARAMETERS[option]
    values = parse_range(text, param)
    loaded = _read(workbook)
    d = loaded.data
    chosen, swept_years = _against_workbook(lambda: _minerals(d, minerals) if minerals else list(d.minerals),
                                            lambda: _swept_years(years, d))
    outputs = _outputs(output_dir / sweep_name(workbook.stem, option, d, chosen, swept_years))
    # One place decides where a limit can bind (PlanningData.limit_applies); the others are reported as such.
    not_applicable = [m for m in chosen if not d.limit_applies(param.column, m)]
    chosen = [m for m in chosen if m not in not_applicable]
    if not chosen:
        raise Failure(f"error: {param.column} applies only to {LIMIT_APPLIES_ONLY_TO[param.column]}, and none of "
                      f"{', '.join(not_applicable)} is one: nothing to sweep", EXIT_BAD_INPUT)
    keys = [(m, y) for m in chosen for y in swept_years]
    opts = SolveOptions.from_settings(d.settings, time_limit, gap, threads)
    check_targets(outputs, protected=[workbook])
    where = f"in {year_list(swept_years)}" + (
        "" if not minerals and not not_applicable else f" for {', '.join(chosen)}")
    points = _count(len(values), "point")
    click.echo(f"read      {workbook}: {_describe(loaded)}; {points} of {param.column} {where}")
    if not_applicable:
        click.echo(f"not applicable to {', '.join(not_applicable)}: {param.column} applies only to "
                   f"{LIMIT_APPLIES_ONLY_TO[param.column]}")
    t0 = time.perf_counter()
    with click.progressbar(length=len(values), label="solving", show_eta=True, show_pos=True,
                           item_show_func=lambda v: "" if v is None else f"{param.column} = {point_text(v)}") as bar:
        points, interrupted, session = run_sweep(d, param, values, keys, opts, lambda p: bar.update(1, p.value))
    if not points:
        stopping.end("before the first point finished; nothing written")
    width = max(len(point_text(p.value)) for p in points)  # the widest value printed: 0.8000001 shifts no line
    for p in points:
        cost = "-" if p.total_usd is None else f"{p.total_usd:,.0f} {d.settings.currency}"
        instead = "; ".join(f"{x.column} at its limit in {x.at} of {p.slack} where {param.column} does not bind"
                            for x in p.instead)
        # No plan within the time limit in planner compare's words ('no plan within the time limit of 0.1 s'),
        # not the status's id, over the status and cost columns.
        outcome = f"{point_note(p):<38}" if p.status == NO_SOLUTION else f"{p.status:<11} {cost:>26}"
        click.echo(f"  {param.column} = {point_text(p.value):<{width}} {outcome}  ({p.wall_s:.2f} s)"
                   + (f"  {instead}" if instead else ""))
        if p.diagnosis:  # the limits to move, a cell the sweep set said to be the sweep's
            click.echo(f"    {point_note(p)}")
    loosest = loosest_without_plan(points, param)
    if loosest and loosest.diagnosis:  # why, at the point nearest a plan: the compare's and solve's explanation
        click.echo(f"no plan at {param.column} = {point_text(loosest.value)}, the loosest point without one:", err=True)
        _explain_infeasible(d.with_limit(param.column, loosest.value, keys), opts, loosest.diagnosis,
                            loosest.overrides)
    info = _run_table(workbook, loaded, opts, {"time_limit_s": time_limit, "mip_gap": gap, "threads": threads},
                      output_dir, [
        *sweep_facts(points), ("parameter", param.column), ("values", text), ("years", ", ".join(map(str, swept_years))),
        ("minerals", ", ".join(chosen)), ("not_applicable", ", ".join(not_applicable) or _worded("word.none")),
        ("points_solved", len(points)), ("interrupted", interrupted),
        *_stop_facts(interrupted, len(points), len(values)),
        ("variables", session.size["variables"]), ("constraints", session.size["constraints"]),
        ("build_s", round(session.build_s, 3)), ("solve_s_total", round(sum(p.wall_s for p in points), 3))])
    title, subtitle = titles(workbook.name, d, param, points, opts.mip_gap, lang)
    files = functools.partial(sweep_files, d, points, param, chosen, not_applicable, swept_years[-1], keys, info,
                              title, subtitle, where_words(swept_years, chosen, d, bool(minerals or not_applicable),
                                                           lang), lang)
    _write_study(outputs, files, info, workbook, t0, interrupted, failed="a plan failed independent verification; "
                 "see the Sweep sheet" if any(p.status == "error" for p in points) else "")
    if interrupted:
        stopping.end(f"the report holds the {len(points)} of {len(values)} points that finished")
    _end_if_no_plan("point", [p.status for p in points if p.evaluation is None], len(points))
    sys.exit(EXIT_OK)


def _alternatives_problems(directions, tradeoff, count, **_) -> list[str]:
    from planner.studies.alternatives import OptionError, parse_directions, parse_tradeoff

    problems: list[str] = []
    chosen = None
    try:
        chosen = parse_directions(directions)
    except OptionError as e:
        problems.append(f"--directions {e}")
    if tradeoff:
        try:
            parse_tradeoff(tradeoff)
        except OptionError as e:
            problems.append(f"--tradeoff {e}")
    if chosen is not None and count not in (None, 0, REFUSED) and len(chosen) < 2:
        problems.append("--count mixes directions: give at least two with --directions, or --count 0")
    return problems


@main.command(checks=_alternatives_problems)
@click.argument("workbook", type=WORKBOOK_PATH, default=str(DEFAULT_WORKBOOK))
@click.option("--slack", type=Share(), default=0.02, show_default=True,
              help="Most an alternative may cost above the least-cost plan, as a share of its cost (0.02 = 2%).")
@click.option("--directions", default="china,recycling,partners,countries,stock", show_default=True,
              help="Directions to push, each its default way or NAME:min / NAME:max: china (least), recycling "
                   "(most), partners (most aligned), countries (fewest supplier countries), stock (most).")
@click.option("--count", type=WholeRange(0, 100),
              help="Further plans that mix the directions (Halton weights), after one plan per direction "
                   "(default: 5, or 0 with one direction).")
@click.option("--budget", type=click.Choice(["mineral", "total"]), default="mineral", show_default=True,
              help="mineral: each mineral within the slack of its own least cost (solved mineral by mineral); "
                   "total: the total cost within the slack (one model, slower).")
@click.option("--ranges/--no-ranges", default=None, help="The least and most of every decision within the budget "
                                                         "(default: on with --budget mineral, off with total).")
@click.option("--tradeoff", metavar="X,Y", help="The trade-off chart's axes: two of the directions or cost "
                                                "(default: the first direction and cost).")
@click.option("-o", "--output-dir", type=OUTPUT_DIR, default=Path("outputs"),
              show_default=True, help="Folder for <stem>-alternatives.xlsx, .html and .json.")
@lang_option
@solver_options(" per solve")
@friendly
def alternatives(workbook: Path, slack, directions, count, budget, ranges, tradeoff, output_dir, lang, time_limit,
                 gap, threads) -> None:
    """The plans within a few percent of the least cost of WORKBOOK that go furthest in chosen
    directions (least China, most recycling, ...), mixes of them, and the range of every decision
    within that budget, each plan verified; in <stem>-alternatives.xlsx, .html and .json (-alternatives-total
    with --budget total)."""
    from models.plan import INFEASIBLE, NO_SOLUTION, OPTIMAL
    from models.solve import SolveOptions
    from planner.reports import html
    from planner.reports.alternatives_report import alternatives_files, titles, tradeoff_value
    from planner.reports.labels import Worded, reason, run_status
    from planner.reports.runinfo import outcome, solved_as
    from planner.reports.files import check_targets
    from planner.studies.alternatives import (
        COST, DIRECTION, ERROR, MIX, direction_moved, parse_directions, parse_tradeoff, planned_steps,
        run_alternatives,
    )

    chosen = parse_directions(directions)
    if count is None:
        count = 5 if len(chosen) > 1 else 0
    axes = parse_tradeoff(tradeoff) if tradeoff else (chosen[0][0], COST)
    ranges = budget == "mineral" if ranges is None else ranges
    loaded = _read(workbook)
    d = loaded.data
    opts = SolveOptions.from_settings(d.settings, time_limit, gap, threads)
    # A total budget's study is another study of the case than the per-mineral one: it does not replace its reports.
    outputs = _outputs(output_dir / f"{workbook.stem}-alternatives{'-total' if budget == 'total' else ''}")
    check_targets(outputs, protected=[workbook])
    click.echo(f"read      {workbook}: {_describe(loaded)}; {len(chosen)} direction(s) and {count} mix(es) within "
               f"{slack:.2%} of the least cost ({budget} budget){', with ranges' if ranges else ''}")
    t0 = time.perf_counter()
    with click.progressbar(length=planned_steps(d, chosen, count, ranges, axes, slack), label="solving", show_eta=True,
                           show_pos=True, item_show_func=lambda label: label or "") as bar:
        study = run_alternatives(d, opts, slack, chosen, count, budget, ranges, axes,
                                 lambda label, steps=1: bar.update(steps, label))
    least = study.least_cost
    if study.stopped and not least.ok:
        stopping.end("before the least-cost plan was found; nothing written")
    if least.status == INFEASIBLE:
        _explain_infeasible(d, opts)
        stopping.check()
        raise Failure("no alternatives written (earlier outputs are untouched)", EXIT_INFEASIBLE)
    if least.status == NO_SOLUTION:
        raise _no_plan(least.plan.stats, opts)
    if least.status == ERROR:
        raise Failure(f"internal error: the least-cost plan failed independent verification, so nothing is "
                      f"reported (a bug in the model): {reason(least.why)}", EXIT_INTERNAL)
    if least.status != OPTIMAL:
        _warn_not_proven(least.plan.stats)
    # the names' column as wide as the longest ('most supplier countries within 0.50% optimal' pushed its row out)
    names = max([28] + [display_width(alt.name) for alt in study.alternatives])
    for alt in study.alternatives:
        cost = "" if alt.cost_usd is None else f"{alt.cost_usd:,.0f} {d.settings.currency}"
        # a round-off below the least cost reads 0%, not -0.000%
        above = "" if alt.cost_usd is None or alt is least else html.fmt(tradeoff_value(study, alt, COST), "percent",
                                                                           3, sign=True)
        click.echo(f"  {_left(alt.name, names)} {alt.status:<14} {cost:>26} {above:>9}  {reason(alt.why)}".rstrip())
    # Mixes that each spend their budget cost the same to the dollar and read as one plan printed again: say
    # whether their measures tell them apart.
    same: dict[int, list] = {}
    for alt in study.alternatives:
        if alt.cost_usd is not None and alt is not least:
            same.setdefault(round(alt.cost_usd), []).append(alt)
    for alts in (a for a in same.values() if len(a) > 1):
        apart = len({tuple(sorted(a.measures.items())) for a in alts}) > 1
        click.echo(f"  {', '.join(a.name for a in alts)}: the same cost to the dollar; "
                   + ("their measures differ (the Alternatives sheet)" if apart else "the same measures too"))
    for alt in study.of_kind(DIRECTION):  # its cost above is no price of anything: say so
        if direction_moved(study, alt) is False:
            click.echo(f"  {alt.name}: no further than the least-cost plan within the budget (its cost is for no gain)")
    if study.count and not study.of_kind(MIX) and not study.stopped:
        click.echo("  no mixes: fewer than two directions go further than the least-cost plan")
    if study.ranges:
        free = sum(1 for r in study.ranges if not r.forced)
        click.echo(f"  ranges: {len(study.ranges)} decisions, {free} free and {len(study.ranges) - free} forced; "
                   f"{study.range_solves} solves, {study.range_ends_known} ends known without one")
    st = least.plan.stats
    info = _run_table(workbook, loaded, opts, {"time_limit_s": time_limit, "mip_gap": gap, "threads": threads},
                      output_dir, [
        ("slack", slack), ("budget", budget), ("directions", ", ".join(f"{n}:{w}" for n, w in chosen)),
        ("count", count), ("ranges", ranges), ("tradeoff", ",".join(axes)),
        *outcome(st), ("least_cost_usd", least.cost_usd), ("budget_usd", study.budget_usd),
        ("solved_as", solved_as(study.decomposition, study.blocks)),
        ("alternatives_solved", len(study.alternatives) - 1), ("range_decisions", len(study.ranges)),
        ("range_solves", study.range_solves), ("range_ends_known_without_a_solve", study.range_ends_known),
        ("interrupted", study.stopped), *_stop_facts(study.stopped, len(study.alternatives)),
        *[(f"{phase}_s", round(s, 3)) for phase, s in study.phase_s.items()],
        *[fact for a in study.alternatives for fact in (
            (f"alternative {a.name}", run_status(a.status) if a.cost_usd is None else
             Worded("run.status_cost", status=run_status(a.status), usd=f"{a.cost_usd:,.0f}")),
            (f"alternative {a.name} cost_usd", a.cost_usd))]])
    title, subtitle = titles(workbook.name, d, slack, budget, loaded.sha256, lang)
    _write_study(outputs, functools.partial(alternatives_files, study, axes, info, title, subtitle, lang), info,
                 workbook, t0, study.stopped, failed="a plan failed independent verification or the budget check; "
                 "see the Alternatives sheet" if any(a.status == ERROR for a in study.alternatives) else "")
    if study.stopped:
        stopping.end(f"the report holds the {len(study.alternatives)} plans that finished")
    sys.exit(EXIT_OK)


def _proven_usd(r) -> str:
    """A figure in whole USD with the range its solves prove, as the coalition page gives it (round-off
    reads 0, never -0): partnerships are worth thousands."""
    from planner.reports.html import fmt

    return (f"USD {fmt(r.value, 'usd')} (proven {fmt(r.low, 'usd')} to {fmt(r.high, 'usd')}"
            f"{'' if r.significant else ', not significant'})")


@main.command(checks=_sample_problems)
@click.argument("workbook", type=WORKBOOK_PATH, default=str(DEFAULT_WORKBOOK))
@click.option("--members", metavar="CODES", help="Member countries, ISO3 codes separated by ',': 2 to 6 of the home "
                                                 "country and the partners with rows on the Partners sheet; partners "
                                                 "alone leave the home country out (default: the home country and "
                                                 "every country of the Partners sheet).")
@click.option("-m", "--mineral", "minerals", multiple=True, help="Only this mineral (repeatable; default: every "
                                                                 "mineral).")
@click.option("-j", "--jobs", type=WholeRange(min=1), help="Coalitions solved at once (default: the cores).")
@click.option("-o", "--output-dir", type=OUTPUT_DIR, default=Path("outputs"),
              show_default=True, help="Folder for <stem>-coalition-<members>.xlsx, .html and .json "
                                      "(-<minerals> after <members> with -m).")
@click.option("--ranges/--no-ranges", default=True, show_default=True,
              help="Each member's settlement with its proven range over the grand coalition's plans as cheap: two "
                   "solves per member and mineral group (about three times the run on the default case). Without "
                   "it, the settlement of the plan found with the range the coalitions' gaps prove, which a plan as "
                   "cheap may split otherwise.")
@disruption_options
@lang_option
@solver_options(" per coalition and mineral")
@friendly
def coalition(workbook: Path, members, minerals, jobs, output_dir, ranges, sample, seed, mix, lang, time_limit, gap,
              threads) -> None:
    """Joint stockpiles and swaps as a coalition: plan every coalition of the members against the same
    disruptions, and report what each partnership is worth (v(S)), the Shapley split, whether it is in the
    core (else the nucleolus), what each member pays to settle the split against the Agreements fees, and
    what each member adds (<stem>-coalition-<members>.xlsx, .html, .json)."""
    from models.solve import SolveOptions
    from planner.reports.coalition_report import coalition_facts, coalition_files, titles
    from planner.reports.files import check_targets
    from planner.reports.html import fmt
    from planner.studies.coalition import MemberError, check_members, plans_to_solve, run_study, settle
    from planner.studies.jobs import default_jobs
    from planner.studies.resilience import hedged_options

    sampling = _sampling(sample, seed, mix)
    loaded = _read(workbook)
    d = loaded.data
    _print_warnings(loaded.warnings)
    home = d.settings.home_country
    if members is None and not d.partners:  # else "--members: 1 named", of an option not given
        raise Failure("error: the Partners sheet has no rows: a coalition is the home country and partners with "
                      "rows there (see the README); add them, or write a fresh workbook with 'planner init'",
                      EXIT_BAD_INPUT)
    named = ([c for c in members.split(",") if c.strip()] if members is not None
             else [home, *dict.fromkeys(c for c, _m in d.partners)])
    try:
        chosen, studied = check_members(d, named, list(minerals))
    except MemberError as e:
        raise Failure(f"error: {len(e.problems)} problem(s) with --members or -m; nothing was solved:\n"
                      + "\n".join(f"  - {p}" for p in e.problems), EXIT_BAD_INPUT) from None
    if sampling is None and not d.disruptions:
        raise Failure(NO_DISRUPTIONS, EXIT_BAD_INPUT)
    if sampling is not None:
        if not d.disruption_risks:
            raise Failure(NO_RISKS, EXIT_BAD_INPUT)
        from models.sampling import sample_disruptions

        d = sample_disruptions(d, *sampling)
    jobs = jobs or default_jobs()
    from planner import memory

    memory.check(d.restricted_to(studied), jobs)
    subset = _subset(studied, d.minerals, "minerals")
    kind = "coalition-" + "-".join(chosen)
    outputs = _outputs(output_dir / f"{workbook.stem}-{_run_name(kind, sampling, subset=subset)}")
    check_targets(outputs, protected=[workbook])
    opts = hedged_options(SolveOptions.from_settings(d.settings, time_limit, gap, threads))
    n = 2 ** len(chosen) - 1
    blocks = 1 if d.settings.cvar_weight > 0 else len({tuple(d.group_of(m)) for m in studied})
    click.echo(f"read      {workbook}: {_describe(loaded)}; members {', '.join(chosen)}: {n} coalitions x "
               f"{blocks} block(s) (mineral groups), {len(d.disruptions):,} disruption scenarios, {jobs} at a time")
    t0 = time.perf_counter()
    with _reported(d, opts, "no coalition report written", "a coalition's plan failed independent verification",
                   functools.partial(_explain_coalition_infeasible, d, opts, studied)), \
            click.progressbar(length=plans_to_solve(d, chosen, blocks), label="solving", show_eta=True,
                              show_pos=True, item_show_func=lambda label: label or "") as bar:
        study = run_study(d, chosen, studied, opts, jobs, lambda label: bar.update(1, label), ranges)
    if not study.solved:
        stopping.end("before any coalition was solved; nothing written")
    split = settle(study)

    for s in study.coalitions:
        if len(s) > 1 and study.complete(s):
            click.echo(f"  v({'+'.join(s)}) = {_proven_usd(study.value(s))}")
    if split is not None:
        click.echo("  Shapley: " + ", ".join(f"{i} {_proven_usd(r)}" for i, r in split.shapley_range_usd.items())
                   + ("; in the core" if split.in_core else "; NOT in the core (short: " + ", ".join(
                       "+".join(s) for s, _x in split.violations) + ")")
                   + (", not significant (costs within the proven gaps decide it either way)"
                      if split.core == "not_significant" else "")
                   + ("" if split.in_core else "; nucleolus: " + ", ".join(
                       f"{i} USD {fmt(x, 'usd')}" for i, x in split.nucleolus_usd.items())))
        # What each member pays to settle (negative: is paid) in the plan found, with the range the coalitions'
        # gaps prove (--no-ranges too); then what it pays in any plan as cheap, which may hold the reserves with
        # other members, or why that is not known.
        if split.settlement_found_usd:
            # The stocks are paid by whoever holds them, so the settlements add up to the joint stock's cost: both
            # members of a coalition worth nothing "paid", with no one paid, and the line did not say to what.
            click.echo(f"  settlement in the plan found (pays; negative: is paid; together they pay the joint stock's "
                       f"USD {fmt(split.joint_total_usd, 'usd')}): " + ", ".join(
                           f"{i} {_proven_usd(r)}" for i, r in split.settlement_found_usd.items()))
            if split.settlement_total_usd:
                click.echo("  in any plan as cheap, which may hold the reserves with other members or in the joint "
                           "stock (each ends with its cost alone less its Shapley value in every one): " + ", ".join(
                               f"{i} USD {fmt(r.low, 'usd')} to {fmt(r.high, 'usd')}"
                               for i, r in split.settlement_total_usd.items()))
            else:
                click.echo("  plans as cheap, which may hold the reserves with other members or in the joint stock "
                           "and settle otherwise: " + ("not known (a solve of their range stopped or did not prove "
                                                       "its end)" if ranges else "not searched (--no-ranges)"))
    info = _run_table(workbook, loaded, opts, {"time_limit_s": time_limit, "mip_gap": gap, "threads": threads},
                      output_dir, [*coalition_facts(study, split),
                                   *_stop_facts(study.stopped, len(study.plans), n * blocks), *_sampled(sampling),
                                   ("jobs", jobs),
                                   ("cvar_weight", d.settings.cvar_weight), ("cvar_level", d.settings.cvar_level),
                                   ("verified", _worded("run.verified_coalitions")),
                                   ("wall_s", round(time.perf_counter() - t0, 2))])
    title, subtitle = titles(workbook.name, d, chosen, opts.mip_gap, loaded.sha256, lang)
    _write_study(outputs, functools.partial(coalition_files, study, split, info, title, subtitle, lang), info,
                 workbook, t0, study.stopped)
    if study.stopped:
        stopping.end(f"the report holds the {len(study.plans)} of {n * blocks} coalition plans that finished")
    sys.exit(EXIT_OK)


@main.command()
@click.argument("workbook", type=WORKBOOK_PATH, default=str(DEFAULT_WORKBOOK))
@lang_option
@click.option("--alternatives", is_flag=True, help="Also find which decisions are forced and which have room within "
                                                   "2% of the least cost (40-50 s more on the default case on 2 cores).")
@click.option("--year", type=WholeRange(1900, 2200), help="The year the answers and the maps show (default: the "
                                                              "target year, from which the Policy limits stay the "
                                                              "same).")
@click.option("-o", "--output-dir", type=OUTPUT_DIR, default=Path("outputs"),
              show_default=True, help="Folder for <stem>-brief.html, .xlsx and .json.")
@click.option("-j", "--jobs", type=WholeRange(min=1), help="Plans solved at once (default: the cores).")
@solver_options(" per solve")
@friendly
def brief(workbook: Path, lang: str, alternatives: bool, year, output_dir: Path, jobs, time_limit, gap,
          threads) -> None:
    """The answers a ministry asks first, for WORKBOOK: what the strategy and each policy cost, who replaces
    China, how exposed Korea is, what a disruption costs, what is still open; with a map of where the
    tonnes come from.  Solves every plan the answers need, verifies each, and writes <stem>-brief.html,
    .xlsx and .json."""
    from models.plan import INFEASIBLE, NO_SOLUTION, OPTIMAL
    from models.solve import SolveOptions
    from planner.reports.brief_report import answer_lines, brief_files, headline_facts
    from planner.reports.compare_report import case_walls
    from planner.reports.files import check_targets
    from planner.reports.labels import reason
    from planner.studies.alternatives import ERROR as ALTERNATIVE_ERROR
    from planner.studies.brief import NO_POLICY, STRATEGY, cases, run_brief
    from planner.studies.compare import ERROR
    from planner.studies.jobs import default_jobs

    t0 = time.perf_counter()
    loaded = _read(workbook)
    d = loaded.data
    _print_warnings(loaded.warnings)
    if year is not None and year not in d.years:
        raise Failure(f"error: --year {year}: expected a year of the workbook's horizon, "
                      f"{d.settings.first_year}-{d.settings.last_year}", EXIT_BAD_INPUT)
    opts = SolveOptions.from_settings(d.settings, time_limit, gap, threads)
    outputs = _outputs(output_dir / f"{workbook.stem}-brief")
    check_targets(outputs, protected=[workbook])
    solves = len(cases(d)) + alternatives
    jobs = min(jobs or default_jobs(), solves)
    click.echo(f"read      {workbook}: {_describe(loaded)}; {len(d.disruptions)} disruption scenarios; "
               f"{solves} studies, {jobs} at a time")
    with click.progressbar(length=solves, label="solving", show_eta=True, show_pos=True,
                           item_show_func=lambda name: name or "") as bar:
        result = run_brief(d, opts, jobs, alternatives, year, lambda name: bar.update(1, name))
    if result.stopped:
        stopping.end("the brief needs every study; nothing written")
    for name in (STRATEGY, NO_POLICY):
        r = result.cases[name]
        if r.status == INFEASIBLE and name == STRATEGY:
            _explain_infeasible(d, opts)
            stopping.check()
            raise Failure("no brief written (earlier outputs are untouched)", EXIT_INFEASIBLE)
        if r.status == NO_SOLUTION:
            raise _no_plan(r.plan.stats, opts)
        if not r.ok:
            raise Failure(f"error: the {name.replace('_', ' ')} plan: {reason(r.why) or r.status}; no brief written",
                          EXIT_INTERNAL if r.status == ERROR else EXIT_INFEASIBLE)
    failed = [r for r in result.errors] + ([a for a in result.alternatives.alternatives
                                            if a.status == ALTERNATIVE_ERROR] if result.alternatives else [])
    if failed:
        raise Failure("internal error: a plan failed independent verification, so no brief is written (a bug in the "
                      "model):\n" + "\n".join(f"  - {getattr(r, 'name', None) or r.case.name}: {reason(r.why)}"
                                              for r in failed), EXIT_INTERNAL)
    if result.strategy.status != OPTIMAL:
        _warn_not_proven(result.strategy.plan.stats)
    for question, answer in answer_lines(result, lang):
        click.echo(f"{question}: {answer}" if question else f"  {answer}")
    info = _run_table(workbook, loaded, opts, {"time_limit_s": time_limit, "mip_gap": gap, "threads": threads},
                      output_dir, [("lang", lang), ("alternatives", alternatives), ("jobs", jobs),
                                   *headline_facts(result),
                                   *case_walls(result.cases.values()),
                                   ("wall_s", round(time.perf_counter() - t0, 2))])
    files = functools.partial(brief_files, result, lang, info, workbook.name, loaded.sha256,
                              str(dict(info)["planner_version"]))
    _write_study(outputs, files, info, workbook, t0, lead=1)


class PowerOfTwo(click.ParamType):
    """--samples: Sobol' base samples, a power of two (the Sobol' sequence is balanced only then)."""

    name = "N"

    def convert(self, value, param, ctx):
        try:
            n = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a whole number", param, ctx)
        if not (2 <= n <= 2**16 and n & (n - 1) == 0):
            self.fail(f"{value!r}: expected a power of two from 2 to 65536 (64, 128, 256 ...): the Sobol' sequence is "
                      "balanced only then", param, ctx)
        return n


class _PhaseBars:
    """One progress bar per phase of a study, the samples of the phase and the time left."""

    def __init__(self):
        self.phase, self.bar, self.done = None, None, 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase, self.done = phase, 0
            self.bar = click.progressbar(length=max(total, 1), label=f"{phase:<14}", show_eta=True, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _sensitivity_problems(method, top, samples, **_) -> list[str]:
    if method != "morris":  # sobol, or REFUSED
        return []
    return [f"{name} goes with --method sobol (Sobol' indices of the top inputs)"
            for name, given in (("--top", top is not None), ("--samples", samples is not None)) if given]


@main.command(checks=_sensitivity_problems)
@click.argument("workbook", type=WORKBOOK_PATH, default=str(DEFAULT_WORKBOOK))
@click.option("--method", type=click.Choice(["morris", "sobol"]), default="morris", show_default=True,
              help="morris: the elementary effects of every uncertain input; sobol: Morris, then Sobol' indices of the "
                   "--top inputs.")
@click.option("--top", type=WholeRange(1, 50), metavar="K",
              help="With --method sobol: the inputs Morris ranks highest that get Sobol' indices (default 8).")
@click.option("--samples", type=PowerOfTwo(), help="With --method sobol: the base sample N, a power of two (default "
                                                   "64); N x (K + 2) solves.")
@click.option("--trajectories", type=WholeRange(2, 1000), default=10, show_default=True, metavar="R",
              help="Morris trajectories: R x (inputs + 1) solves.")
@click.option("--seed", type=WholeRange(0, 2**32 - 1), default=1, show_default=True,
              help="Seed of the samples: the same workbook, options and seed give the same indices.")
@click.option("-j", "--jobs", type=WholeRange(min=1), help="Samples solved at once (default: the cores).")
@click.option("--hedged", is_flag=True, help="Each sample's plan hedged against the Disruptions sheet (its expected "
                                             "cost); the Disruptions sheet's estimates are inputs too.")
@click.option("--strategy-cost", is_flag=True, help="Also the cost of the strategy: each case solved again without any "
                                                    "policy limit.")
@click.option("-m", "--mineral", "minerals", multiple=True, help="Only this mineral (repeatable; default: every "
                                                                 "mineral).")
@click.option("--only-declared", is_flag=True, help="Only the Uncertainty sheet's ranges: no default ranges for the "
                                                    "figures marked estimate.")
@click.option("-o", "--output-dir", type=OUTPUT_DIR, default=Path("outputs"), show_default=True,
              help="Folder for <stem>-sensitivity.xlsx, .html and .json (<stem>-sensitivity-hedged.* with --hedged, "
                   "-<minerals> after it with -m).")
@lang_option
@solver_options(" per sample")
@friendly
def sensitivity(workbook: Path, method, top, samples, trajectories, seed, jobs, hedged, strategy_cost, minerals,
                only_declared, output_dir, lang, time_limit, gap, threads) -> None:
    """Which uncertain inputs of WORKBOOK decide the plan: each input alone at the ends of its range
    (a tornado), Morris's elementary effects of all of them, Sobol' indices of the top ones, and the
    decisions that flip inside the ranges, with the value at which they flip; every sample solved
    and verified (<stem>-sensitivity.xlsx, .html and .json)."""
    from models.solve import SolveOptions
    from planner.reports.files import check_targets
    from planner.reports.sensitivity_report import (
        effect, factor_value, input_name, input_where, note_text, sample_reason, sensitivity_facts, sensitivity_files,
        titles,
    )
    from planner.studies.jobs import default_jobs
    from planner.studies.sensitivity import ERROR, case_at, named_case, prepare, run_study
    from planner.workbook.errors import Issues

    loaded = _read(workbook)
    d = loaded.data
    chosen = tuple(_minerals(d, minerals))
    if hedged and not d.disruptions:
        raise Failure(NO_DISRUPTIONS, EXIT_BAD_INPUT)
    jobs = jobs or default_jobs()
    opts = SolveOptions.from_settings(d.settings, time_limit, gap, threads)
    if hedged:  # each worker holds one mineral's hedged model at a time, or the whole case's
        from planner import memory

        memory.check(d, jobs)
    kind = "sensitivity-hedged" if hedged else "sensitivity"
    subset = _subset(chosen or d.minerals, d.minerals, "minerals")
    outputs = _outputs(output_dir / f"{workbook.stem}-{_run_name(kind, subset=subset)}")
    check_targets(outputs, protected=[workbook])
    _print_warnings(loaded.warnings)
    t0 = time.perf_counter()
    prepared = prepare(loaded, opts, hedged, strategy_cost, chosen, only_declared)
    ctx = prepared.ctx
    if not ctx.factors:  # else a study of nothing: no sample, and a report of no input, exit 0
        why = ("--only-declared leaves out the default ranges of the figures marked estimate" if only_declared
               else "no figure marked estimate (Sources sheet) takes a default range")
        # Ranges on a sheet this run does not read (Disruption risks; Disruptions without --hedged) are not 'none'.
        aside = [n.values for n in prepared.notes if n.kind.startswith("not_in_run")]
        ranges = ("Uncertainty sheet ranges none" if not aside else
                  "Uncertainty sheet's ranges are all on sheets this run does not read ("
                  + "; ".join(f"{v['where']}: {v['sheets']}" for v in aside)
                  + ("; the Disruptions sheet enters only with --hedged" if any(
                      n.kind == "not_in_run_hedged" for n in prepared.notes) else "") + ")")
        raise Failure(f"error: no uncertain input{' of ' + ', '.join(chosen) if chosen else ''} to study: the "
                      f"{ranges}, and {why}", EXIT_BAD_INPUT)
    click.echo(f"read      {workbook}: {_describe(loaded)}; {_count(len(ctx.factors), 'uncertain input')} "
               f"({prepared.declared} from the Uncertainty sheet, "
               f"{_count(len(ctx.factors) - prepared.declared, 'default range')} of estimates"
               + (f", {len(prepared.fixed)} held fixed" if prepared.fixed else "") + f"), checked at both ends "
               f"({time.perf_counter() - t0:.1f} s); {_count(jobs, 'sample')} at a time")
    named = named_case(ctx)  # as the reports name them
    for note in prepared.notes:
        click.echo(f"  note: {note_text(named, note)}")
    bars = _PhaseBars()
    try:
        study = run_study(ctx, method, trajectories, top or 8, samples or 64, seed, jobs, prepared.fixed,
                          prepared.notes, bars, data=named)
    finally:
        bars.close()
    base = study.base
    if not base.ok:
        if study.stopped:
            stopping.end("before the base case was solved; nothing written")
        if base.status == ERROR:
            raise Failure(f"internal error: the base plan failed independent verification, so nothing is reported (a "
                          f"bug in the model): {sample_reason(base)}", EXIT_INTERNAL)
        if base.status == "infeasible":
            _explain_infeasible(case_at(ctx, ctx.base_point, Issues()), opts)
            raise Failure("no study written: the workbook's own case has no plan (earlier outputs are untouched)",
                          EXIT_INFEASIBLE)
        raise Failure(f"error: the workbook's own case has no plan ({sample_reason(base)}); nothing written. Raise "
                      "--time-limit or the Settings time_limit_s", EXIT_NO_SOLUTION)
    counts = study.status_counts()
    click.echo(f"solved    {len(study.sampled)} samples (besides the base case and {len(study.bisections)} solves of "
               "the search for thresholds): " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
               + f"; {len(study.in_model)} of {_count(len(ctx.factors), 'input')} "
               f"reach{'es' if len(study.in_model) == 1 else ''} the model")
    cost = next(o for o in ctx.outputs if o.key == "total_cost_usd")
    r = study.ranked(cost.key)
    if r:  # a ranking of what Morris measured, as the report's headline
        unmeasured = study.unmeasured(cost.key)
        what = cost.label.removesuffix(", present value")  # with --hedged, the hedged plan's expected cost
        click.echo(f"the inputs that move the {what} most (Morris mu*: the mean size of the change in it as the input "
                   f"moves across its whole range; {study.morris_finished} trajectories):")
        for i in [i for i in study.ranking(cost.key) if i not in unmeasured][:5]:
            f = ctx.factors[i]
            ends = [f"{effect(study, cost, v)} at {factor_value(f, x)}" for v, x in zip(study.swing(cost, i),
                                                                                         (f.low, f.high))]
            mu = effect(study, cost, r.mu_star[study.in_model.index(i)], morris=True)
            click.echo(f"  {input_name(study.data, f)} ({input_where(f)}): mu* {mu.removeprefix('+')}; alone: "
                       f"{', '.join(ends)}")
        if unmeasured:
            click.echo(f"  not measured, effect unknown (no Morris step with a plan at both ends): "
                       f"{_count(len(unmeasured), 'input')} (see the Morris sheet)")
    failures = study.mineral_failures()
    if failures:
        click.echo("minerals without a plan in some samples: " + ", ".join(f"{m} in {n} of {of}"
                                                                          for m, (n, of) in failures.items()))
    flips = [x for x in study.decisions if x.output.decision != "feasible"]
    # the sheet's rows of a group's plan coming and going are the line above's, not counted here
    planned = len(study.decisions) - len(flips)
    also = f"; it also lists {_count(planned, 'mineral group')} with a plan in some samples only" if planned else ""
    click.echo(f"decisions that change inside the ranges: {len(flips)} ({sum(1 for x in flips if x.thresholds)} flip "
               f"with one input alone; see the Decisions sheet{also})")
    info = _run_table(workbook, loaded, opts, {"time_limit_s": time_limit, "mip_gap": gap, "threads": threads},
                      output_dir, [*sensitivity_facts(study), *_stop_facts(study.stopped, len(study.sampled)),
                                   ("jobs", jobs),
                                   ("wall_s", round(time.perf_counter() - t0, 2))])
    title, subtitle = titles(workbook.name, d, study, opts.mip_gap, seed, loaded.sha256, lang)
    files = functools.partial(sensitivity_files, study, info, title, subtitle, lang)
    _write_study(outputs, files, info, workbook, t0, study.stopped, failed="a plan failed independent verification; "
                 "see the Samples sheet" if any(x.status == ERROR for x in study.samples) else "")
    if study.stopped:
        stopping.end(f"the report holds the {len(study.sampled)} samples that finished")
    sys.exit(EXIT_OK)
