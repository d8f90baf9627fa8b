"""Flow stage 2, communication: reciprocity, responsiveness, response time, efficiency."""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import post_weight, ratio, require, weighted_median
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["reciprocity", "reciprocity_gl", "responsiveness", "response_time", "global_efficiency"]


def _recip_parts(w: Window, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s, d = w.conv_arcs
    if len(s) == 0:
        z = np.zeros(c.shape[0])
        return z, z
    wt = c[:, s] * c[:, d]
    return (wt * w.conv_mutual).sum(axis=1), wt.sum(axis=1)


@indicator(
    title="Reciprocity of the conversation graph",
    range=(0.0, 1.0),
    proxy="validated",
    stage="communication",
    aspect="trust_norms",
    null="rewire_directed",
    source="Wasserman & Faust 1994; Garlaschelli & Loffredo 2004, PRL 93:268701; Gouldner 1960 (norm of reciprocity)",
    formula="r = |{(u,v) ∈ R_W : (v,u) ∈ R_W}| / |R_W| (R_W: reply and mention arcs)",
)
def reciprocity(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of reply/mention arcs u→v that are answered by an arc v→u in the same window.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> reciprocity(window_from_edges(arcs=[("a", "b"), ("b", "a"), ("a", "c")]))
    0.6666666666666666
    """
    require(w, "reply")
    num, den = _recip_parts(w, c)
    return ratio(num, den)


@indicator(
    title="Reciprocity beyond chance (Garlaschelli–Loffredo)",
    range=(-1.0, 1.0),
    proxy="validated",
    stage="communication",
    source="Garlaschelli & Loffredo 2004, PRL 93:268701, Eq. (4)",
    formula="ρ_r = (r − ā) / (1 − ā), ā = |R_W| / (n(n−1))",
)
def reciprocity_gl(w: Window, c: np.ndarray) -> np.ndarray:
    """Reciprocity corrected for density: 0 = as random, 1 = fully reciprocal, < 0 = avoided.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> round(reciprocity_gl(window_from_edges(arcs=[("a", "b"), ("b", "a"), ("a", "c")])), 4)
    0.3333
    """
    require(w, "reply")
    num, den = _recip_parts(w, c)
    r = ratio(num, den)
    nn = c.sum(axis=1)
    abar = ratio(den, nn**2 - (c**2).sum(axis=1))
    return ratio(r - abar, 1.0 - abar)


@indicator(
    title="Responsiveness (posts answered within Δ)",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="communication",
    tags=("factor:communication",),
    null="shuffle",
    source="CHAOSS Time to First Response; Garlaschelli & Loffredo 2004 (communication stage)",
    formula="#posts with a reply by another member within Δ / #posts",
)
def responsiveness(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the window's posts answered by another member within Δ (default 24 h).

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0}, {"actor": "b", "t": 10, "reply_to": "e0"},
    ...                 {"actor": "a", "t": 20}, {"actor": "b", "t": 30}])
    >>> responsiveness(w)
    0.25
    """
    require(w, "reply")
    ok = (w.p_lat >= 0) & (w.p_lat <= w.params.response_window_s)
    pw = post_weight(w, c)
    return ratio((pw * ok).sum(axis=1), pw.sum(axis=1))


@indicator(
    title="Median time to first response (minutes)",
    range=(0.0, np.inf),
    proxy="plausible",
    orientation="down",
    stage="communication",
    null="shuffle",
    null_scored=True,
    source="CHAOSS Time to First Response",
    formula="median over answered posts of (first reply by another member − post) in minutes",
)
def response_time(w: Window, c: np.ndarray) -> np.ndarray:
    """Median minutes from a post to its first reply by another member (↓; scored by its null).

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0}, {"actor": "b", "t": 10, "reply_to": "e0"},
    ...                 {"actor": "a", "t": 20, "reply_to": "e1"}])
    >>> response_time(w)
    10.0
    """
    require(w, "reply")
    ok = ~np.isnan(w.p_lat) & (w.p_lat >= 0)
    return weighted_median(w.p_lat[ok] / 60.0, post_weight(w, c)[:, ok])


def _inverse_distances(w: Window) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source members, 1/d(source, v) (0 when unreachable or v = source), and whether each
    source has a neighbour."""
    n = w.n
    if n > w.params.efficiency_sources:
        rng = np.random.default_rng([w.index, n, 7])
        src = np.sort(rng.choice(n, size=w.params.efficiency_sources, replace=False))
    else:
        src = np.arange(n)
    d = np.asarray(w.graph.distances(source=src.tolist()), dtype=float)
    with np.errstate(divide="ignore"):
        inv = np.where(np.isfinite(d) & (d > 0), 1.0 / d, 0.0)
    return src, inv, np.asarray(w.graph.degree(), dtype=float)[src] > 0


@indicator(
    title="Global efficiency",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="communication",
    tags=("factor:communication",),
    source="Latora & Marchiori 2001, PRL 87:198701",
    formula="E = 1/(n(n−1)) Σ_{u≠v} 1/d(u,v) over G_W (1/∞ = 0)",
)
def global_efficiency(w: Window, c: np.ndarray) -> np.ndarray:
    """Mean inverse shortest-path distance between members: how easily news travels.

    Above ``efficiency_sources`` members the sum runs over that many seeded source members
    (an unbiased estimate). Copies of one member are at distance 2 (through any neighbour).
    Bootstrap replicates keep the observed shortest paths (exact when no member is dropped;
    an approximation when a dropped member was the only route).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> round(global_efficiency(window_from_edges([("a", "b"), ("b", "c")])), 4)
    0.8333
    """
    if w.n < 2:
        return np.full(c.shape[0], np.nan)
    src, inv, has_nb = w.once("efficiency", lambda: _inverse_distances(w))
    cs = c[:, src]
    pair_sum = ((cs @ inv.astype(c.dtype)) * c).sum(axis=1)
    self_copies = (cs * (cs - 1.0) * 0.5 * has_nb).sum(axis=1)
    nn = c.sum(axis=1)
    return ratio(pair_sum + self_copies, cs.sum(axis=1) * (nn - 1.0))
