"""Enough memory for a hedged run, checked before its model is built.

The extensive form of a hedged run (and of a stress test) holds every scenario's recourse, so its
memory grows with the scenarios: ``estimate_mb`` is linear in ``models.disruption.recourse_size``,
fitted to the peak resident memory of ``planner solve --hedged --sample N`` on the default case
(measured on this machine, 2026-12; the README gives the figures).  A run whose estimate is more
than the process may address (``RLIMIT_AS``, ``ulimit -v``), more than its container may use
(cgroup ``memory.max``) or more than the machine has available (``MemAvailable``) is refused before
it starts, with exit code 6; a MemoryError that happens anyway is reported as out of memory too.

Any solve also needs room to start its threads (``check_solve``): under a tight address-space limit
glibc can abort a process whose new thread finds no memory for its thread-local data, where no
Python code can catch it, so a solve without that room is refused before its threads start.
"""

from __future__ import annotations

from pathlib import Path

from models.dataset import PlanningData
from models.disruption import recourse_size
from planner.workbook.errors import MemoryShort

# Peak resident memory of a hedged run: the planner and its libraries, plus this much per unit of
# recourse_size: a line above the peaks of 50 to 2,000 draws of the default case (2026-12-07: 118, 204,
# 628 and 1,130 MB, at recourse sizes 2,728 to 139,616; see the README).  0.0062, fitted on 2026-12-05,
# came to 585 MB at 1,000 draws and 996 MB at 2,000: short of what the runs took by then.
BASE_MB = 130.0
MB_PER_RECOURSE = 0.0075
ADDRESS_SPACE = "address space (RLIMIT_AS, ulimit -v)"


def estimate_mb(d: PlanningData) -> float:
    """Peak resident memory (MB) of one process holding the hedged model of ``d``'s disruptions."""
    return BASE_MB + MB_PER_RECOURSE * recourse_size(d)


def _kb(path: str, key: str) -> float | None:
    """A "key: N kB" line of a /proc file, in MB (None where there is no such file)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(f"{key}:"):
                return float(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _cgroup_free_mb() -> float | None:
    """What the cgroup (v2) this process runs in may still use, if it is limited."""
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = float(Path("/sys/fs/cgroup/memory.current").read_text())
    except (OSError, ValueError):
        return None
    return None if limit == "max" else (float(limit) - used) / 2**20


def limits_mb() -> dict[str, float]:
    """What bounds this process's memory, in MB: the address space it may still take (RLIMIT_AS
    less its size now), and the memory the machine and the container have available."""
    out: dict[str, float] = {}
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            out[ADDRESS_SPACE] = soft / 2**20 - (_kb("/proc/self/status", "VmSize") or 0.0)
    except (ImportError, OSError, ValueError):  # no resource module (Windows)
        pass
    available = _kb("/proc/meminfo", "MemAvailable")
    if available is not None:
        out["available memory (MemAvailable)"] = available
    container = _cgroup_free_mb()
    if container is not None:
        out["the container's memory limit (cgroup memory.max)"] = container
    return out


def check(d: PlanningData, processes: int = 1) -> float:
    """Raise MemoryShort if the hedged model of ``d`` would not fit, held in this process
    (``processes`` 1) or in each of ``processes`` worker processes; return the estimate (MB)."""
    need = estimate_mb(d)
    in_use = (_kb("/proc/self/status", "VmRSS") or 0.0) if processes == 1 else 0.0  # part of the estimate
    for what, left in limits_mb().items():
        # The address space is each process's own, and it grows by more than the resident memory (solver
        # threads' malloc arenas, mapped and not all touched): the default case's 1,000 draws, 681 MB
        # estimated, took 601 to 640 MB of address space beyond the 161 MB mapped at this check (2026-12-07:
        # it ran under an RLIMIT_AS of 801 MB and ran out under 762 MB), where asking for the estimate less what
        # the process held (BASE_MB), 551 MB, let it start and run out.  The memory is shared by all.
        wanted = need if what.startswith("address") else need * processes - in_use
        if wanted > left:
            each = f" in each of {processes} worker processes" if processes > 1 else ""
            raise MemoryShort(
                f"not enough memory: the model of {len(d.disruptions):,} disruption scenarios needs about "
                f"{need:,.0f} MB{each}, and only {max(left, 0):,.0f} MB is left of the {what}. Sample fewer draws "
                "(--sample), run fewer cases at once (-j), or raise the limit; nothing was written")
    return need


# Address space a solve takes beyond what the process holds when it starts.  On one thread HiGHS runs in
# the main thread and needs little; on several, each solver thread's malloc arena reserves 64 MB (glibc,
# 64-bit) besides its stack.  Measured on the default case (plain solve): on 2 threads it ran with 135 MB
# of RLIMIT_AS left and HiGHS was refused memory with 130 MB left; with about 50 MB left glibc sometimes
# aborted the process as a thread started (1 run in 12 under load), where no Python code can catch it.
# On 1 thread it ran with 20 MB left.
SOLVE_MB_ONE_THREAD = 8.0
SOLVE_MB_PER_POOL_THREAD = 66.0


def check_solve(threads: int) -> None:
    """Raise MemoryShort if the address space left (RLIMIT_AS less the process's size now) cannot hold
    a solve on ``threads`` threads; call it before the solve's threads start."""
    need = SOLVE_MB_PER_POOL_THREAD * threads if threads > 1 else SOLVE_MB_ONE_THREAD
    left = limits_mb().get(ADDRESS_SPACE)
    if left is not None and left < need:
        raise MemoryShort(f"out of memory: a solve on {threads} thread(s) needs about {need:,.0f} MB of address "
                          f"space to start its threads, and only {max(left, 0):,.0f} MB is left of the {ADDRESS_SPACE}; "
                          "nothing was written. Raise the limit, or solve on fewer threads (--threads 1)")


def room_for_a_helper_thread() -> bool:
    """Whether a thread of the planner's own may run beside a solve: not under an address-space limit.
    A thread's first malloc reserves an arena of 64 MB (glibc, 64-bit), mapping 128 MB to align it; with less
    left, each of its mallocs maps 64 MB and unmaps it again.  Under 250 MB, where the default case solves on
    one thread, the process touched the limit (249 MB) as the thread imported the report modules, and a solve
    allocating meanwhile was refused memory (once, under load, when the thread was preempted in between)."""
    return ADDRESS_SPACE not in limits_mb()


def out_of_memory() -> str:
    """The message of a run that ran out of memory all the same."""
    left = "; ".join(f"{what}: {mb:,.0f} MB left" for what, mb in limits_mb().items()) or "no limit known"
    return (f"out of memory: the run needed more memory than it could get ({left}); nothing was written. Sample "
            "fewer draws (--sample), run fewer cases at once (-j), or raise the limit")
