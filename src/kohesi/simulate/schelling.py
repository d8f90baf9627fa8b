"""Schelling's (1971) segregation model with the rules of Mesa's example, compiled.

Agents of two types live on a bounded square grid with Moore neighbourhoods. An agent is
**happy** when the share of like agents among its neighbours is at least ``homophily``
(an agent without neighbours is unhappy). One step:

1. every agent that was unhappy at the end of the last step moves, in random order, to a
   cell drawn at random among the empty cells at that moment;
2. happiness is reassessed for every agent.

These are the rules of ``mesa.examples.basic.schelling`` (Mesa 3.5: ``OrthogonalMooreGrid``
without wrapping, ``shuffle_do("step")`` then ``do("assign_state")``), so the two can be
compared step for step and timed side by side. The **segregation index** is the mean share of
like neighbours over agents with at least one neighbour.

References
----------
.. [1] Schelling, T. C. (1971). Dynamic models of segregation. *Journal of Mathematical
   Sociology* 1(2):143–186.
.. [2] Mesa developers. Schelling segregation example, ``mesa/examples/basic/schelling``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kohesi._numba import njit
from kohesi.simulate._lattice import neighbour_table, numba_seed

__all__ = ["SchellingResult", "schelling"]


@dataclass(frozen=True)
class SchellingResult:
    """Outcome of one Schelling run.

    Attributes
    ----------
    segregation
        Segregation index after setup (index 0) and after every step.
    happy
        Share of happy agents after setup and after every step.
    moves
        Number of moves in every step (index 0 is 0).
    agents
        Number of agents.
    steps
        Steps actually run (the run stops early once every agent is happy).
    grid
        Final grid, ``-1`` empty, ``0``/``1`` the agent types.
    """

    segregation: np.ndarray
    happy: np.ndarray
    moves: np.ndarray
    agents: int
    steps: int
    grid: np.ndarray


@njit(cache=True)
def _assess(grid, pos, kind, nb, deg, homophily, happy):
    total_share = 0.0
    counted = 0
    n_happy = 0
    for a in range(pos.shape[0]):
        i = pos[a]
        like = 0
        occupied = 0
        for s in range(deg[i]):
            g = grid[nb[i, s]]
            if g >= 0:
                occupied += 1
                if kind[g] == kind[a]:
                    like += 1
        if occupied > 0:
            share = like / occupied
            total_share += share
            counted += 1
        else:
            share = 0.0
        happy[a] = share >= homophily
        if happy[a]:
            n_happy += 1
    index = total_share / counted if counted > 0 else 0.0
    return index, n_happy


@njit(cache=True)
def _run(grid, pos, kind, empties, nb, deg, homophily, steps, seed, seg, hap, mov, stop):
    np.random.seed(seed)
    n = pos.shape[0]
    happy = np.zeros(n, dtype=np.bool_)
    order = np.arange(n)
    index, n_happy = _assess(grid, pos, kind, nb, deg, homophily, happy)
    seg[0] = index
    hap[0] = n_happy / n if n > 0 else 1.0
    done = 0
    for t in range(1, steps + 1):
        if stop and (n_happy == n or empties.shape[0] == 0):
            break
        np.random.shuffle(order)
        moves = 0
        for a in order:
            if happy[a] or empties.shape[0] == 0:
                continue
            r = np.random.randint(0, empties.shape[0])
            dest = empties[r]
            empties[r] = pos[a]
            grid[pos[a]] = -1
            grid[dest] = a
            pos[a] = dest
            moves += 1
        index, n_happy = _assess(grid, pos, kind, nb, deg, homophily, happy)
        seg[t] = index
        hap[t] = n_happy / n
        mov[t] = moves
        done = t
    return done


def schelling(
    side: int = 20,
    steps: int = 100,
    seed: int | np.random.Generator = 0,
    *,
    density: float = 0.8,
    minority: float = 0.5,
    homophily: float = 0.4,
    stop_when_happy: bool = True,
) -> SchellingResult:
    """Run Schelling's segregation model (Mesa's example rules) for up to ``steps`` steps.

    Parameters
    ----------
    side
        Side of the square grid (Mesa's default: 20).
    steps
        Maximum number of steps; the run stops once every agent is happy.
    seed
        Seed or generator; the same seed gives the same run, bit for bit.
    density
        Chance that a cell holds an agent at setup.
    minority
        Chance that an agent is of type 1.
    homophily
        Least share of like neighbours an agent needs to be happy.
    stop_when_happy
        Stop once every agent is happy (Mesa's ``running`` flag); set false to time a fixed
        number of steps.

    Returns
    -------
    SchellingResult

    References
    ----------
    .. [1] Schelling, T. C. (1971). Dynamic models of segregation. *J. Math. Sociol.*
       1:143–186.

    Examples
    --------
    >>> r = schelling(side=20, steps=30, seed=3)
    >>> bool(r.segregation[-1] > r.segregation[0] + 0.2)
    True
    """
    if side < 2 or not (0 < density < 1) or not (0 <= minority <= 1) or not (0 <= homophily <= 1):
        raise ValueError("schelling needs side >= 2, 0 < density < 1, minority and homophily in [0, 1]")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    n_cells = side * side
    occupied = rng.random(n_cells) < density
    pos = np.nonzero(occupied)[0].astype(np.int64)
    kind = (rng.random(pos.shape[0]) < minority).astype(np.int8)
    grid = np.full(n_cells, -1, dtype=np.int64)
    grid[pos] = np.arange(pos.shape[0])
    empties = np.nonzero(~occupied)[0].astype(np.int64)
    nb, deg = neighbour_table(side, moore=True)
    seg = np.full(steps + 1, np.nan)
    hap = np.full(steps + 1, np.nan)
    mov = np.zeros(steps + 1, dtype=np.int64)
    done = _run(
        grid, pos, kind, empties, nb, deg, homophily, steps, numba_seed(rng), seg, hap, mov, stop_when_happy
    )
    out = np.full(n_cells, -1, dtype=np.int8)
    out[pos] = kind
    return SchellingResult(
        segregation=seg[: done + 1],
        happy=hap[: done + 1],
        moves=mov[: done + 1],
        agents=int(pos.shape[0]),
        steps=int(done),
        grid=out.reshape(side, side),
    )
