"""Axelrod's (1997) model of the dissemination of culture, in a compiled event loop.

Each site of a bounded square territory holds a culture: ``F`` features, each one of ``q``
traits. One **event** (Axelrod 1997, p. 208):

1. pick a site at random, and one of its von Neumann neighbours at random (with replacement);
2. with probability equal to their cultural similarity (shared features / ``F``) the two
   interact: the active site copies the neighbour's trait on one feature where they differ.

The process stops in the absorbing state, where every pair of adjacent sites shares all of
its features or none; the result is the number of **stable regions**, the 4-connected sets of
sites with identical culture.

The engine keeps the culture in an ``(N, F)`` integer array and the overlap of every adjacent
pair in an ``(N, 4)`` array; a counter of *active bonds* (adjacent pairs with
``0 < overlap < F``) is updated after each trait change, so the absorbing state is detected
exactly, at the event it is reached, at no extra cost. Random numbers come from a SplitMix64
stream seeded from a :class:`numpy.random.Generator`; one 64-bit draw picks both the site and
the neighbour.

References
----------
.. [1] Axelrod, R. (1997). The dissemination of culture: a model with local convergence and
   global polarization. *Journal of Conflict Resolution* 41(2):203–226.
.. [2] Axtell, R., Axelrod, R., Epstein, J. M., Cohen, M. D. (1996). Aligning simulation
   models: a case study and results. *Computational and Mathematical Organization Theory*
   1(2):123–141.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kohesi._numba import njit
from kohesi.simulate._lattice import bounded, neighbour_table, numba_seed, splitmix_next, unit

__all__ = ["AxelrodResult", "axelrod", "count_regions", "axelrod_events"]


@dataclass(frozen=True)
class AxelrodResult:
    """Outcome of one Axelrod run.

    Attributes
    ----------
    side, features, traits
        The territory side and the culture parameters ``F`` and ``q``.
    regions
        Number of stable regions (4-connected sets of identical culture) at the end.
    largest_region
        Size (sites) of the largest region.
    cultures
        Number of distinct cultures at the end.
    events
        Events run (including those that changed nothing).
    changes
        Events in which a trait was copied.
    converged
        Whether the absorbing state was reached before ``max_events``.
    culture
        Final culture, shape ``(side, side, F)``.
    """

    side: int
    features: int
    traits: int
    regions: int
    largest_region: int
    cultures: int
    events: int
    changes: int
    converged: bool
    culture: np.ndarray


@njit(cache=True)
def _overlaps(culture, nb, deg):
    n, f = culture.shape
    ov = np.zeros(nb.shape, dtype=np.int64)
    rev = np.full(nb.shape, -1, dtype=np.int64)
    active = 0
    for i in range(n):
        for s in range(deg[i]):
            j = nb[i, s]
            o = 0
            for k in range(f):
                if culture[i, k] == culture[j, k]:
                    o += 1
            ov[i, s] = o
            for t in range(deg[j]):
                if nb[j, t] == i:
                    rev[i, s] = t
            if i < j and 0 < o < f:
                active += 1
    return ov, rev, active


@njit(cache=True)
def _run(culture, nb, deg, seed, max_events):
    state = np.array([seed], dtype=np.uint64)
    lo32 = np.uint64(0xFFFFFFFF)
    n, f = culture.shape
    ov, rev, active = _overlaps(culture, nb, deg)
    differ = np.empty(f, dtype=np.int64)
    events = 0
    changes = 0
    while active > 0 and events < max_events:
        events += 1
        bits = splitmix_next(state)
        i = bounded(bits >> np.uint64(32), n)
        s = bounded(bits & lo32, deg[i])
        o = ov[i, s]
        if o == 0 or o == f:
            continue
        if unit(splitmix_next(state)) * f >= o:
            continue
        j = nb[i, s]
        m = 0
        for k in range(f):
            if culture[i, k] != culture[j, k]:
                differ[m] = k
                m += 1
        k = differ[bounded(splitmix_next(state) & lo32, m)]
        old = culture[i, k]
        new = culture[j, k]
        culture[i, k] = new
        changes += 1
        for t in range(deg[i]):
            x = nb[i, t]
            cx = culture[x, k]
            d = (1 if cx == new else 0) - (1 if cx == old else 0)
            if d != 0:
                before = ov[i, t]
                after = before + d
                was = 0 < before < f
                now = 0 < after < f
                if was and not now:
                    active -= 1
                elif now and not was:
                    active += 1
                ov[i, t] = after
                ov[x, rev[i, t]] = after
    return events, changes, active == 0


@njit(cache=True)
def _regions(culture, nb, deg):
    n, f = culture.shape
    label = np.full(n, -1, dtype=np.int64)
    stack = np.empty(n, dtype=np.int64)
    count = 0
    largest = 0
    for start in range(n):
        if label[start] >= 0:
            continue
        label[start] = count
        top = 0
        stack[top] = start
        top += 1
        size = 0
        while top > 0:
            top -= 1
            i = stack[top]
            size += 1
            for s in range(deg[i]):
                j = nb[i, s]
                if label[j] >= 0:
                    continue
                same = True
                for k in range(f):
                    if culture[i, k] != culture[j, k]:
                        same = False
                        break
                if same:
                    label[j] = count
                    stack[top] = j
                    top += 1
        if size > largest:
            largest = size
        count += 1
    return count, largest, label


def count_regions(culture: np.ndarray) -> tuple[int, int]:
    """Number of 4-connected regions of identical culture and the size of the largest.

    Parameters
    ----------
    culture
        Integer array of shape ``(side, side, F)``.

    Examples
    --------
    >>> c = np.array([[[0], [0], [1]], [[2], [0], [1]], [[2], [2], [0]]])
    >>> count_regions(c)
    (4, 3)
    """
    side = culture.shape[0]
    flat = np.ascontiguousarray(culture.reshape(side * side, -1)).astype(np.int64)
    nb, deg = neighbour_table(side)
    count, largest, _ = _regions(flat, nb, deg)
    return int(count), int(largest)


def axelrod(
    side: int = 10,
    features: int = 5,
    traits: int = 10,
    seed: int | np.random.Generator = 0,
    *,
    max_events: int = 2_000_000_000,
) -> AxelrodResult:
    """Run Axelrod's culture model on a bounded ``side`` × ``side`` territory to its absorbing state.

    Parameters
    ----------
    side
        Side of the square territory (Axelrod's base case: 10).
    features
        Number of cultural features ``F``.
    traits
        Number of traits per feature ``q``.
    seed
        Seed or generator; the same seed gives the same run, bit for bit.
    max_events
        Safety cap on the number of events; ``converged`` is false when it is hit.

    Returns
    -------
    AxelrodResult

    Notes
    -----
    Rules as in [1]_: bounded territory (edge sites have 3 neighbours, corners 2), von Neumann
    neighbourhood, random site then random neighbour drawn with replacement, interaction with
    probability overlap / F copying one differing feature chosen at random.

    References
    ----------
    .. [1] Axelrod, R. (1997). The dissemination of culture. *J. Conflict Resolution*
       41:203–226, Table 2.

    Examples
    --------
    >>> r = axelrod(side=5, features=3, traits=2, seed=1)
    >>> r.converged, r.regions >= 1
    (True, True)
    >>> axelrod(side=5, features=3, traits=2, seed=1).events == r.events
    True
    """
    if side < 2 or features < 1 or traits < 1:
        raise ValueError("axelrod needs side >= 2, features >= 1, traits >= 1")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    culture = rng.integers(0, traits, size=(side * side, features), dtype=np.int64)
    nb, deg = neighbour_table(side)
    events, changes, converged = _run(culture, nb, deg, numba_seed(rng), max_events)
    regions, largest, _ = _regions(culture, nb, deg)
    return AxelrodResult(
        side=side,
        features=features,
        traits=traits,
        regions=int(regions),
        largest_region=int(largest),
        cultures=len(np.unique(culture, axis=0)),
        events=int(events),
        changes=int(changes),
        converged=bool(converged),
        culture=culture.reshape(side, side, features),
    )


def axelrod_events(
    side: int, features: int, traits: int, n_events: int, seed: int = 0
) -> tuple[int, int]:
    """Run exactly up to ``n_events`` events (or the absorbing state) for benchmarking.

    Returns ``(events_run, changes)``.
    """
    rng = np.random.default_rng(seed)
    culture = rng.integers(0, traits, size=(side * side, features), dtype=np.int64)
    nb, deg = neighbour_table(side)
    events, changes, _ = _run(culture, nb, deg, numba_seed(rng), n_events)
    return int(events), int(changes)
