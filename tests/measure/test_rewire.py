"""Degree-preserving swap chains and triangle counts against networkx."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kohesi.measure.rewire import swap_chain
from kohesi.measure.triangles import transitivity


def _edges(g: nx.Graph) -> tuple[np.ndarray, np.ndarray]:
    el = np.array(list(g.edges()), dtype=np.int64).reshape(-1, 2)
    return el[:, 0], el[:, 1]


@settings(max_examples=40, deadline=None)
@given(st.integers(5, 40), st.floats(0.05, 0.6), st.integers(0, 10**6), st.booleans())
def test_chain_keeps_degrees_and_simplicity(n, p, seed, directed):
    g = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    if g.number_of_edges() < 2:
        return
    s, d = _edges(g)
    out = swap_chain(s, d, n, 4, seed, directed=directed)
    assert out.shape == (4, len(s), 2)
    for el in out:
        assert (el[:, 0] != el[:, 1]).all()
        assert len({(int(a), int(b)) for a, b in el}) == len(el)
        if directed:
            assert (np.bincount(el[:, 0], minlength=n) == np.bincount(s, minlength=n)).all()
            assert (np.bincount(el[:, 1], minlength=n) == np.bincount(d, minlength=n)).all()
        else:
            assert (el[:, 0] < el[:, 1]).all()
            assert (np.bincount(el.ravel(), minlength=n) == np.bincount(np.r_[s, d], minlength=n)).all()


def test_chain_is_seeded_and_mixes():
    g = nx.gnm_random_graph(200, 1500, seed=3)
    s, d = _edges(g)
    a = swap_chain(s, d, 200, 5, seed=11)
    assert np.array_equal(a, swap_chain(s, d, 200, 5, seed=11))
    assert not np.array_equal(a, swap_chain(s, d, 200, 5, seed=12))
    orig = set(zip(np.minimum(s, d).tolist(), np.maximum(s, d).tolist(), strict=True))
    kept = len(orig & {tuple(e) for e in a[0].tolist()}) / len(orig)
    assert kept < 0.1  # 2m burn-in proposals: few original edges survive


def test_rewired_caveman_loses_its_clustering_like_networkx_double_edge_swap():
    """The mean transitivity of rewired samples matches networkx's own degree-preserving
    swaps (``double_edge_swap``) on the same clustered graph."""
    g = nx.connected_caveman_graph(8, 6)
    s, d = _edges(g)
    ours = [transitivity(g.number_of_nodes(), el[:, 0], el[:, 1]) for el in swap_chain(s, d, 48, 30, seed=5)]
    theirs = []
    for k in range(30):
        h = g.copy()
        nx.double_edge_swap(h, nswap=4 * h.number_of_edges(), max_tries=10**6, seed=k)
        theirs.append(nx.transitivity(h))
    assert nx.transitivity(g) > 0.75
    assert np.mean(ours) == pytest.approx(np.mean(theirs), abs=0.04)


def test_tiny_inputs():
    assert swap_chain(np.array([0]), np.array([1]), 2, 3, seed=0).shape == (3, 1, 2)
    assert swap_chain(np.array([0, 2]), np.array([1, 3]), 4, 0, seed=0).shape == (0, 2, 2)


@pytest.mark.parametrize("g", [nx.karate_club_graph(), nx.florentine_families_graph(), nx.davis_southern_women_graph(),
                               nx.gnm_random_graph(300, 4000, seed=1), nx.connected_caveman_graph(5, 7)])
def test_transitivity_equals_networkx(g):
    g = nx.convert_node_labels_to_integers(g)
    s, d = _edges(g)
    assert transitivity(g.number_of_nodes(), d, s) == pytest.approx(nx.transitivity(g), rel=1e-12)


def test_transitivity_without_triples_is_nan():
    assert np.isnan(transitivity(4, np.array([0, 2]), np.array([1, 3])))
