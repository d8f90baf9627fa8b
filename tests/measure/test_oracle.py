"""Graph indicators against networkx as oracle, and the member-bootstrap semantics.

Member bootstrap: multiplicities c stand for an explicit resampled graph in which a member drawn
k times appears as k copies that keep its ties and are not tied to each other; pairs of copies of
one member are structurally missing (never counted as possible ties, triples or dyads). The
vectorised indicators must equal a direct count on that explicit networkx graph.
"""

import networkx as nx
import numpy as np
import pytest

from kohesi.measure.catalogue import get
from kohesi.measure.graphs import window_from_edges
from kohesi.measure.params import MeasureParams


def _random_window(seed: int, n: int = 12, p: float = 0.3):
    g = nx.gnp_random_graph(n, p, seed=seed)
    names = [f"v{i:02d}" for i in g]
    w = window_from_edges([(names[u], names[v]) for u, v in g.edges()], nodes=names)
    return g, w


def _duplicated(g: nx.Graph, c: np.ndarray) -> nx.Graph:
    h = nx.Graph()
    copies = {v: [(v, k) for k in range(int(c[v]))] for v in g}
    for v in g:
        h.add_nodes_from(copies[v])
    for u, v in g.edges():
        h.add_edges_from((a, b) for a in copies[u] for b in copies[v])
    return h


def _freeman(h: nx.Graph) -> float:
    n = h.number_of_nodes()
    k = np.array([d for _, d in h.degree()])
    return (k.max() - k).sum() / ((n - 1) * (n - 2))


def _pairs(nodes) -> int:
    nodes = list(nodes)
    return sum(1 for i, a in enumerate(nodes) for b in nodes[i + 1 :] if a[0] != b[0])


def _density(h: nx.Graph) -> float:
    return h.number_of_edges() / _pairs(h.nodes)


def _local(h: nx.Graph) -> dict:
    tri = nx.triangles(h)
    return {v: (tri[v], _pairs(h[v])) for v in h}


def _transitivity(h: nx.Graph) -> float:
    loc = _local(h).values()
    return sum(t for t, _ in loc) / sum(p for _, p in loc)


def _avg_clustering(h: nx.Graph, g: nx.Graph) -> float:
    """Mean local clustering over the copies of members with at least two neighbours in ``g``."""
    loc = _local(h)
    return float(np.mean([t / p if p else 0.0 for v, (t, p) in loc.items() if g.degree(v[0]) >= 2]))


LOCAL = {
    "density": _density,
    "closure": _transitivity,
    "mean_clustering": "needs g",
    "degree_centralization": _freeman,
    "coverage": lambda h: sum(1 for _, d in h.degree() if d > 0) / h.number_of_nodes(),
}
PATHS = {
    "global_efficiency": nx.global_efficiency,
    "fragmentation": lambda h: 1 - max(len(c) for c in nx.connected_components(h)) / h.number_of_nodes(),
}

ORACLES = {
    "density": nx.density,
    "closure": nx.transitivity,
    "mean_clustering": lambda g: float(np.mean([c for v, c in nx.clustering(g).items() if g.degree(v) >= 2])),
    "global_efficiency": nx.global_efficiency,
    "degree_centralization": _freeman,
    "fragmentation": lambda h: 1 - max(len(c) for c in nx.connected_components(h)) / h.number_of_nodes(),
    "coverage": lambda h: sum(1 for _, d in h.degree() if d > 0) / h.number_of_nodes(),
}


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", sorted(ORACLES))
def test_observed_value_matches_networkx(seed, name):
    g, w = _random_window(seed)
    assert get(name)(w) == pytest.approx(ORACLES[name](g), abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", sorted(LOCAL))
def test_bootstrap_replicate_equals_explicit_duplicated_graph(seed, name):
    g, w = _random_window(seed)
    rng = np.random.default_rng(seed)
    c = rng.multinomial(w.n, np.full(w.n, 1 / w.n), size=3).astype(float)
    reps = get(name)(w, c)
    oracle = (lambda h: _avg_clustering(h, g)) if name == "mean_clustering" else LOCAL[name]
    for row, value in zip(c, reps, strict=True):
        assert value == pytest.approx(oracle(_duplicated(g, row)), abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", sorted(PATHS))
def test_path_indicators_exact_when_no_member_is_dropped(seed, name):
    """Replicates keep the observed paths; exact whenever every member is drawn at least once."""
    g, w = _random_window(seed)
    rng = np.random.default_rng(seed)
    c = 1.0 + rng.integers(0, 3, size=(3, w.n))
    reps = get(name)(w, c)
    for row, value in zip(c, reps, strict=True):
        assert value == pytest.approx(PATHS[name](_duplicated(g, row)), abs=1e-12)


def test_reciprocity_matches_networkx():
    rng = np.random.default_rng(3)
    arcs = {(int(a), int(b)) for a, b in rng.integers(0, 10, size=(40, 2)) if a != b}
    d = nx.DiGraph(list(arcs))
    w = window_from_edges(arcs=[(f"v{a}", f"v{b}") for a, b in sorted(arcs)])
    assert get("reciprocity")(w) == pytest.approx(nx.overall_reciprocity(d))


def test_assortativity_matches_networkx():
    g, w = _random_window(7, n=20, p=0.25)
    attr = {v: "xy"[v % 2] if v < 14 else "z" for v in g}
    nx.set_node_attributes(g, attr, "k")
    w = window_from_edges([(f"v{u:02d}", f"v{v:02d}") for u, v in g.edges()], nodes=[f"v{i:02d}" for i in g],
                          params=MeasureParams(attribute="k"))
    w.attrs = {"k": np.array([attr[int(n[1:])] for n in w.names], dtype=object)}
    assert get("attribute_assortativity")(w) == pytest.approx(nx.attribute_assortativity_coefficient(g, "k"))
