"""Square-lattice neighbour tables and seeding shared by the classic models."""

from __future__ import annotations

import numpy as np

from kohesi._numba import njit

__all__ = ["neighbour_table", "numba_seed", "splitmix_next", "bounded", "unit"]

_VON_NEUMANN = ((-1, 0), (0, -1), (0, 1), (1, 0))
_MOORE = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


def neighbour_table(
    side: int, *, moore: bool = False, torus: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Neighbours of every cell of a ``side`` × ``side`` lattice, cells numbered row by row.

    Returns ``(nb, deg)``: ``nb[i, :deg[i]]`` are the neighbours of cell ``i`` in a fixed
    order, padded with -1. On a bounded lattice edge cells have fewer neighbours.

    Examples
    --------
    >>> nb, deg = neighbour_table(3)
    >>> deg.reshape(3, 3).tolist()
    [[2, 3, 2], [3, 4, 3], [2, 3, 2]]
    >>> nb[4, :4].tolist()
    [1, 3, 5, 7]
    """
    offsets = _MOORE if moore else _VON_NEUMANN
    rows, cols = np.divmod(np.arange(side * side), side)
    nb = np.full((side * side, len(offsets)), -1, dtype=np.int64)
    deg = np.zeros(side * side, dtype=np.int64)
    for dr, dc in offsets:
        r, c = rows + dr, cols + dc
        if torus:
            r, c, ok = r % side, c % side, np.ones(side * side, dtype=bool)
        else:
            ok = (r >= 0) & (r < side) & (c >= 0) & (c < side)
        idx = np.nonzero(ok)[0]
        nb[idx, deg[idx]] = r[idx] * side + c[idx]
        deg[idx] += 1
    return nb, deg


def numba_seed(rng: np.random.Generator) -> int:
    """A seed for Numba's internal generator, drawn from ``rng`` so runs are reproducible."""
    return int(rng.integers(0, 2**32 - 1))


@njit(cache=True, inline="always")
def splitmix_next(state: np.ndarray) -> np.uint64:
    """Next 64 random bits from a SplitMix64 stream kept in ``state[0]`` (Steele et al. 2014).

    Used in the event loops, where Numba's ``np.random`` calls dominate the cost of an event.
    """
    z = state[0] + np.uint64(0x9E3779B97F4A7C15)
    state[0] = z
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, inline="always")
def bounded(bits32: np.uint64, n: int) -> int:
    """An integer in ``[0, n)`` from 32 random bits (Lemire 2019, multiply-shift).

    The bias, at most ``n / 2**32``, is negligible for lattices below a million sites.
    """
    return np.int64((bits32 * np.uint64(n)) >> np.uint64(32))


@njit(cache=True, inline="always")
def unit(bits: np.uint64) -> float:
    """A float in ``[0, 1)`` from 64 random bits."""
    return (bits >> np.uint64(11)) * (1.0 / 9007199254740992.0)
