"""``python -m planner`` and the ``planner`` command."""

import contextlib
import gc
import os
import resource
import sys
import threading

# The address space (ulimit -v) the libraries every command loads need: under 130 MB numpy's OpenBLAS ended the
# process itself (exit 1) or an import failed half-way (an "internal error"), measured 2026-12-07.
START_MB = 160


def run() -> None:
    """The command line, with Ctrl-C, SIGTERM and SIGHUP handled from the first moment: while its
    modules load and its options are parsed too, not only inside a command.  Only the standard
    library loads before the ``try`` (a Ctrl-C while the planner's first modules loaded printed a
    traceback)."""
    # A model's components and a workbook's cells are many small objects that live until the command
    # ends: a young-generation collection every 50,000 allocations, not every 700, took 0.1 s off
    # planner solve's 2.0 s of CPU (issue 24), with the same peak memory.
    gc.set_threshold(50_000, 10, 10)
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    if limit != resource.RLIM_INFINITY and limit < START_MB * 2**20:
        from planner.workbook.errors import EXIT_MEMORY

        print(f"out of memory: this process may take {limit / 2**20:.0f} MB of address space (RLIMIT_AS, ulimit -v); "
              f"the planner needs {START_MB} MB to load its libraries, and more to solve; nothing was written",
              file=sys.stderr)
        sys.exit(EXIT_MEMORY)
    try:
        from planner import stopping

        stopping.install()
        import click

        from planner.cli import main

        try:
            code = main(standalone_mode=False)  # click's own mode ends a Ctrl-C as "Aborted!", exit 1
        except click.Abort:
            raise KeyboardInterrupt from None
        except click.ClickException as e:
            with contextlib.suppress(OSError):  # stderr on a full disk: the exit code still tells
                e.show()
            code = e.exit_code
        except SystemExit as e:  # a command's own end: its outputs are written, or refused, by now
            code = e.code
    except KeyboardInterrupt:
        from planner import stopping

        stopping.end("no output was written")
    except MemoryError:  # while the planner's own modules load, under a very tight limit
        from planner.workbook.errors import EXIT_MEMORY

        print("out of memory while the planner started; nothing was written", file=sys.stderr)
        sys.exit(EXIT_MEMORY)
    leave(0 if code is None else code)


def leave(code: int | str) -> None:
    """End the process with ``code``.  A command's outputs are on disk by now (``files.commit`` syncs
    them) and what it printed is flushed here; tearing the interpreter down, which frees the model and
    the workbook object by object, took 0.08 s of ``planner solve``'s 1.6 s (issue 24), so it is skipped,
    unless a worker process or another thread of the run is still alive and may need it."""
    multiprocessing = sys.modules.get("multiprocessing")
    if not isinstance(code, int) or (multiprocessing is not None and multiprocessing.active_children()) or any(
            t is not threading.main_thread() and not t.daemon for t in threading.enumerate()):
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe (output into head) has nothing left to take
            stream.flush()
    os._exit(code)


if __name__ == "__main__":  # also keeps worker processes from re-running the command line
    run()
