"""Null percentiles are uniform when the data come from the null itself."""

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kohesi.measure._stats import mid_percentile
from kohesi.measure.catalogue import get
from kohesi.measure.graphs import window_from_edges
from kohesi.measure.nulls import null_samples
from kohesi.measure.params import MeasureParams


def _ks_uniform(x: np.ndarray) -> float:
    x = np.sort(x)
    n = len(x)
    return float(max((np.arange(1, n + 1) / n - x).max(), (x - np.arange(n) / n).max()))


def test_permutation_null_percentile_is_uniform():
    rng = np.random.default_rng(0)
    ind = get("ei_homophily").indicator if hasattr(get("ei_homophily"), "indicator") else get("ei_homophily")
    pcts = []
    for s in range(150):
        g = nx.gnp_random_graph(30, 0.15, seed=s)
        names = [f"v{i:02d}" for i in g]
        w = window_from_edges([(names[u], names[v]) for u, v in g.edges()], nodes=names,
                              params=MeasureParams(attribute="k"))
        w.attrs = {"k": rng.choice(np.array(["x", "y", "z"], dtype=object), size=w.n)}
        w.index = s
        obs = ind(w)
        null = null_samples(w, [ind], 39, seed=1)["ei_homophily"]
        pcts.append(mid_percentile(obs, null))
    pcts = np.array(pcts)
    assert abs(pcts.mean() - 0.5) < 0.06
    assert _ks_uniform(pcts) < 0.15


def test_rewiring_null_percentile_of_closure_is_near_uniform_on_random_graphs():
    ind = get("closure")
    pcts = []
    for s in range(60):
        g = nx.gnm_random_graph(40, 120, seed=100 + s)
        names = [f"v{i:02d}" for i in g]
        w = window_from_edges([(names[u], names[v]) for u, v in g.edges()], nodes=names)
        w.index = s
        null = null_samples(w, [ind], 19, seed=2)["closure"]
        pcts.append(mid_percentile(ind(w), null))
    pcts = np.array(pcts)
    assert abs(pcts.mean() - 0.5) < 0.12
    assert _ks_uniform(pcts) < 0.25


def test_clustered_graph_sits_high_in_the_rewiring_null():
    g = nx.connected_caveman_graph(6, 6)
    names = [f"v{i:02d}" for i in g]
    w = window_from_edges([(names[u], names[v]) for u, v in g.edges()], nodes=names)
    null = null_samples(w, [get("closure")], 19, seed=0)["closure"]
    assert mid_percentile(get("closure")(w), null) == 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.floats(0, 1))
def test_mid_percentile_bounds(null, obs):
    p = mid_percentile(obs, np.array(null))
    assert 0.0 <= p <= 1.0
    assert mid_percentile(max(null) + 1, np.array(null)) == 1.0
    assert mid_percentile(min(null) - 1, np.array(null)) == 0.0
