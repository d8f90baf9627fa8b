"""Quicker hand-offs of the interpreter lock while two threads share a step.

When one thread runs Python code (following sign-up lists) and another mostly waits on compiled
code that releases the lock (polars, the n-gram scorer), the second needs the lock back a few
hundred times, briefly each, and waits for the first to let go: by default up to 5 ms each time
(:func:`sys.setswitchinterval`), most of the step's wall time on two cores. A shorter interval
lets it back in at once; the first loses little, since each switch is cheap next to 100 µs.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["quick_handoff"]

_LOCK = threading.Lock()
_DEPTH = 0
_SAVED = 0.005


@contextmanager
def quick_handoff(interval: float = 1e-4) -> Iterator[None]:
    """Run the block with the interpreter's switch interval at ``interval`` seconds; the interval
    the process had is restored when the last of any overlapping blocks ends."""
    global _DEPTH, _SAVED
    with _LOCK:
        if _DEPTH == 0:
            _SAVED = sys.getswitchinterval()
            sys.setswitchinterval(min(interval, _SAVED))
        _DEPTH += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH -= 1
            if _DEPTH == 0:
                sys.setswitchinterval(_SAVED)
