"""This process's peak memory and CPU time, as the benchmarks report them."""

from __future__ import annotations

import resource


def maxrss_mb() -> float:
    """Peak resident set size of this process so far, in MB (``ru_maxrss`` is kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def cpu_s() -> float:
    """User + system CPU seconds of this process so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
