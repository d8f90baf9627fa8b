"""The cyclic garbage collector paused while a step builds many small Python objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["no_gc"]


@contextmanager
def no_gc() -> Iterator[None]:
    """Without the cyclic garbage collector, which would otherwise walk the objects a step builds
    (none of them in a cycle) over and over as they accumulate; it is turned back on, if it was on,
    when the step ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
