"""Reproduce Axelrod (1997), J. Conflict Resolution 41:203–226: Table 2 and the territory-size effect.

The paper's means are over 10 runs per cell, so each carries its own sampling error; the
tolerance combines ours (across 40 seeds) and the paper's (the same spread over 10 runs).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from kohesi.simulate.axelrod import axelrod

TABLE_2 = {  # (F, q) -> mean number of stable regions on 10x10
    (5, 5): 1.0, (5, 10): 3.2, (5, 15): 20.0,
    (10, 5): 1.0, (10, 10): 1.0, (10, 15): 1.4,
    (15, 5): 1.0, (15, 10): 1.0, (15, 15): 1.2,
}
SEEDS = 40
PAPER_RUNS = 10
Z = 3.0
SD_FLOOR = 0.5


def _regions(side: int, f: int, q: int, seeds: range) -> np.ndarray:
    out = []
    for s in seeds:
        r = axelrod(side=side, features=f, traits=q, seed=s)
        assert r.converged
        out.append(r.regions)
    return np.array(out, dtype=float)


@pytest.fixture(scope="module")
def table() -> dict[tuple[int, int], np.ndarray]:
    return {cell: _regions(10, *cell, range(1000 * cell[0] + cell[1], 1000 * cell[0] + cell[1] + SEEDS)) for cell in TABLE_2}


@pytest.mark.parametrize("cell", sorted(TABLE_2))
def test_table2_cell(table, cell):
    r = table[cell]
    sd = r.std(ddof=1)
    se = math.sqrt(sd**2 / SEEDS + max(sd, SD_FLOOR) ** 2 / PAPER_RUNS)
    assert abs(r.mean() - TABLE_2[cell]) <= Z * se, (cell, r.mean(), TABLE_2[cell], se)


def test_table2_shape(table):
    mean = {cell: r.mean() for cell, r in table.items()}
    assert mean[(5, 5)] < mean[(5, 10)] < mean[(5, 15)]
    assert mean[(5, 15)] > 10 > mean[(10, 15)] >= mean[(15, 15)]
    assert all(mean[(f, 5)] < 1.2 for f in (5, 10, 15))


def test_f5_q10_distribution():
    """Axelrod (1997) over 100 runs of F=5, q=10: median 3, 14 % of runs end with one region."""
    r = _regions(10, 5, 10, range(7000, 7100))
    assert 2 <= np.median(r) <= 4
    assert 0.05 <= np.mean(r == 1) <= 0.25


def test_regions_fall_with_territory_size():
    """F=5, q=15: about 23 regions near 12x12 but fewer on larger territories (6 at 50x50)."""
    small = _regions(12, 5, 15, range(40))
    large = _regions(30, 5, 15, range(100, 112))
    diff = small.mean() - large.mean()
    se = math.sqrt(small.var(ddof=1) / small.size + large.var(ddof=1) / large.size)
    assert abs(small.mean() - 23) <= Z * small.std(ddof=1) / math.sqrt(small.size)
    assert diff - Z * se > 0, (small.mean(), large.mean())


def test_same_seed_same_run():
    a = axelrod(side=10, features=5, traits=15, seed=42)
    b = axelrod(side=10, features=5, traits=15, seed=42)
    assert a.events == b.events and a.regions == b.regions
    assert np.array_equal(a.culture, b.culture)
