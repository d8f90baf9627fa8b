"""Seeding igraph's random generator locally, without touching the global ``random`` state."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import igraph as ig

__all__ = ["igraph_seed"]


@contextmanager
def igraph_seed(seed: int) -> Iterator[None]:
    """Run igraph's randomised routines (Leiden, rewire) with a private seeded generator."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)
