"""Unit tests of the compiled Axelrod and Schelling engines against plain-Python oracles."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kohesi.simulate import axelrod, count_regions, schelling
from kohesi.simulate._lattice import neighbour_table


def _regions_networkx(culture: np.ndarray) -> tuple[int, int]:
    side = culture.shape[0]
    g = nx.grid_2d_graph(side, side)
    same = nx.Graph()
    same.add_nodes_from(g)
    same.add_edges_from((a, b) for a, b in g.edges if np.array_equal(culture[a], culture[b]))
    comps = list(nx.connected_components(same))
    return len(comps), max(len(c) for c in comps)


@settings(max_examples=40, deadline=None)
@given(side=st.integers(2, 7), f=st.integers(1, 3), q=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_count_regions_matches_networkx(side, f, q, seed):
    culture = np.random.default_rng(seed).integers(0, q, (side, side, f))
    assert count_regions(culture) == _regions_networkx(culture)


@pytest.mark.parametrize("torus", [False, True])
@pytest.mark.parametrize("moore", [False, True])
def test_neighbour_table_matches_networkx(moore, torus):
    side = 5
    nb, deg = neighbour_table(side, moore=moore, torus=torus)
    g = nx.grid_2d_graph(side, side, periodic=torus)
    if moore:
        for r in range(side):
            for c in range(side):
                for dr, dc in ((1, 1), (1, -1)):
                    rr, cc = r + dr, c + dc
                    if torus:
                        rr, cc = rr % side, cc % side
                    if 0 <= rr < side and 0 <= cc < side:
                        g.add_edge((r, c), (rr, cc))
    for i in range(side * side):
        mine = set(nb[i, : deg[i]].tolist())
        assert -1 not in mine
        theirs = {a * side + b for a, b in g.neighbors(divmod(i, side))}
        assert mine == theirs


@pytest.mark.parametrize("f,q", [(3, 2), (5, 10), (5, 15)])
def test_axelrod_ends_in_absorbing_state(f, q):
    r = axelrod(side=8, features=f, traits=q, seed=5)
    assert r.converged
    c = r.culture
    for a in range(8):
        for b in range(8):
            for da, db in ((0, 1), (1, 0)):
                if a + da < 8 and b + db < 8:
                    overlap = int((c[a, b] == c[a + da, b + db]).sum())
                    assert overlap in (0, f)
    assert (r.regions, r.largest_region) == _regions_networkx(c)
    assert r.changes <= r.events


def test_axelrod_cap_and_seeds():
    r = axelrod(side=20, features=5, traits=15, seed=1, max_events=1000)
    assert not r.converged and r.events == 1000
    a = axelrod(side=10, features=5, traits=15, seed=1)
    b = axelrod(side=10, features=5, traits=15, seed=2)
    assert not np.array_equal(a.culture, b.culture)
    with pytest.raises(ValueError):
        axelrod(side=1)


def test_axelrod_single_trait_is_one_region():
    r = axelrod(side=6, features=4, traits=1, seed=0)
    assert r.converged and r.regions == 1 and r.events == 0


def _schelling_oracle(grid: np.ndarray, homophily: float) -> tuple[float, float]:
    side = grid.shape[0]
    shares, happy, agents = [], 0, 0
    for r in range(side):
        for c in range(side):
            if grid[r, c] < 0:
                continue
            agents += 1
            nbrs = [grid[rr, cc] for rr in range(r - 1, r + 2) for cc in range(c - 1, c + 2)
                    if (rr, cc) != (r, c) and 0 <= rr < side and 0 <= cc < side and grid[rr, cc] >= 0]
            share = sum(1 for x in nbrs if x == grid[r, c]) / len(nbrs) if nbrs else 0.0
            if nbrs:
                shares.append(share)
            happy += share >= homophily
    return float(np.mean(shares)), happy / agents


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_schelling_final_state_matches_oracle(seed):
    r = schelling(side=15, steps=6, seed=seed, stop_when_happy=False)
    seg, happy = _schelling_oracle(r.grid, 0.4)
    assert r.segregation[-1] == pytest.approx(seg)
    assert r.happy[-1] == pytest.approx(happy)
    assert (r.grid >= 0).sum() == r.agents
    assert len(r.segregation) == 7


def test_schelling_stops_when_all_happy_and_validates():
    r = schelling(side=20, steps=200, seed=4)
    assert r.happy[-1] == 1.0 and r.steps < 200
    with pytest.raises(ValueError):
        schelling(density=1.5)
